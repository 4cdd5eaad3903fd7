/* test-insights-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ui-util.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "insights-seed.h"
#include "waybill-demo.h"
#include "waybill-feedback.h"
#include "waybill-feedback-dialog.h"
#include "waybill-feedback-window.h"
#include "waybill-insights-window.h"
#include "waybill-order-detail.h"
#include "waybill-window.h"
#include "test-util.h"

/* Keeping customers informed, in the window: the Insights window shows the
 * seeded figures (in each chart's data and accessible description), the
 * Feedback window lists the seeded feedback, Copy Status Reply puts the
 * reply on the clipboard and Add Feedback saves a rating.
 *
 * With WAYBILL_SCREENSHOT_DIR set, it saves the Insights and Feedback
 * windows on demo data, light and dark. */

typedef TestStoreDir Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  test_store_dir_set_up (fixture, "insights");

  if (g_strcmp0 (data, "demo") == 0)
    {
      waybill_demo_fill (fixture->store, 600, 1042, &error);
      g_assert_no_error (error);
    }
  else
    insights_seed (fixture->store);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  test_store_dir_tear_down (fixture);
}

static void
wait_loaded (WaybillInsightsWindow *window)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  iterate (20);
  while (waybill_insights_window_is_loading (window) && g_get_monotonic_time () < deadline)
    iterate (10);
  g_assert_false (waybill_insights_window_is_loading (window));
}

static const char *
description (WaybillInsightsWindow *window,
             const char            *chart)
{
  WaybillChart *widget = waybill_insights_window_get_chart (window, chart);

  g_assert_nonnull (widget);
  return waybill_chart_get_description (widget);
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (haystack == NULL || strstr (haystack, needle) == NULL)
    g_error ("“%s” is not in “%s”", needle, haystack);
}

/* Shows @needle, within 3 s: a toast comes once the one before it has
 * slid out (see present_toast() in waybill-window.c). */
static void
assert_shows (gpointer    widget,
              const char *needle)
{
  gint64 deadline = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
  g_autofree char *text = widget_text (widget);

  while (strstr (text, needle) == NULL && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10 * 1000);
      g_free (text);
      text = widget_text (widget);
    }
  assert_contains (text, needle);
}

static void
test_insights_shows_figures (Fixture       *fixture,
                             gconstpointer  data)
{
  WaybillInsightsWindow *window = waybill_insights_window_new (NULL, fixture->store);
  WaybillChart *on_time;

  gtk_window_present (GTK_WINDOW (window));
  waybill_insights_window_set_period (window, WAYBILL_INSIGHTS_PERIOD_ALL);
  wait_loaded (window);

  assert_contains (waybill_insights_window_get_summary (window), "8 orders · 8 parcels");
  assert_contains (waybill_insights_window_get_summary (window), "average rating 3.0 of 5 from 4 ratings");

  on_time = waybill_insights_window_get_chart (window, "on-time");
  g_assert_cmpuint (waybill_chart_get_n_bars (on_time), ==, 3);
  assert_contains (description (window, "on-time"), "UPS: 67% on time (2 of 3)");
  assert_contains (description (window, "on-time"), "FedEx: no delivered parcel had an estimated day");
  assert_contains (description (window, "on-time"), "DHL Express: 100% on time (1 of 1)");
  assert_contains (description (window, "transit"), "UPS: 2.7 days");
  assert_contains (description (window, "transit"), "FedEx: 3.0 days");
  assert_contains (description (window, "transit"), "DHL Express: 1.0 days");
  assert_contains (description (window, "exceptions"), "UPS: 1 (Held in customs 1)");
  assert_contains (description (window, "exceptions"), "FedEx: 1 (Address problem 1)");
  assert_contains (description (window, "exceptions"), "DHL Express: 0");
  assert_contains (description (window, "status"), "Delivered: 5");
  assert_contains (description (window, "status"), "Problem: 2");
  assert_contains (description (window, "status"), "Processing: 1");
  assert_contains (description (window, "rating"), "week of 29 Sep: average 1.0 of 5");
  assert_contains (description (window, "rating"), "week of 10 Nov: average 3.0 of 5");
  assert_contains (description (window, "feedback-count"), "week of 10 Nov: 2 ratings");
  g_assert_cmpuint (waybill_chart_get_n_bars (waybill_insights_window_get_chart (window, "rating")), ==, 3);

  /* What a screen reader gets: an image described by its figures. */
  gtk_test_accessible_assert_role (on_time, GTK_ACCESSIBLE_ROLE_IMG);
  gtk_test_accessible_assert_property (on_time, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       waybill_chart_get_description (on_time));
  gtk_test_accessible_assert_property (on_time, GTK_ACCESSIBLE_PROPERTY_LABEL, "On-time delivery per carrier");

  /* A new rating shows up by itself. */
  {
    g_autoptr(WaybillOrder) order = waybill_store_find_order (fixture->store, "2003", NULL);
    g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 ("2025-11-12T10:00:00Z", NULL);
    g_autoptr(WaybillFeedback) feedback = waybill_feedback_new (waybill_order_get_id (order), 5, NULL, when,
                                                                WAYBILL_FEEDBACK_SOURCE_STAFF);

    g_assert_true (waybill_store_add_feedback (fixture->store, feedback, NULL, NULL));
    wait_loaded (window);
    assert_contains (description (window, "feedback-count"), "week of 10 Nov: 3 ratings");
  }

  gtk_window_destroy (GTK_WINDOW (window));
  iterate (20);
}

static void
test_insights_empty_period (Fixture       *fixture,
                            gconstpointer  data)
{
  WaybillInsightsWindow *window = waybill_insights_window_new (NULL, fixture->store);

  gtk_window_present (GTK_WINDOW (window));
  /* The seeded orders are from 2025: nothing in the last week. */
  waybill_insights_window_set_period (window, WAYBILL_INSIGHTS_PERIOD_WEEK);
  wait_loaded (window);

  assert_contains (waybill_insights_window_get_summary (window), "0 orders · 0 parcels · no ratings");
  g_assert_cmpuint (waybill_chart_get_n_bars (waybill_insights_window_get_chart (window, "on-time")), ==, 0);
  g_assert_cmpstr (description (window, "on-time"), ==, "");

  gtk_window_destroy (GTK_WINDOW (window));
  iterate (20);
}

static void
test_feedback_window_lists (Fixture       *fixture,
                            gconstpointer  data)
{
  WaybillFeedbackWindow *window = waybill_feedback_window_new (NULL, fixture->store);
  GListModel *model = waybill_feedback_window_get_model (window);
  g_autoptr(WaybillFeedback) first = NULL;
  g_autofree char *text = NULL;

  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 4);
  first = g_list_model_get_item (model, 0);
  g_assert_cmpstr (waybill_feedback_get_order_number (first), ==, "2005");
  g_assert_cmpstr (waybill_feedback_window_get_summary (window), ==, "Average 3.0 of 5 stars from 4 ratings");

  text = widget_text (GTK_WIDGET (window));
  assert_contains (text, "3.0");
  assert_contains (text, "4 ratings");
  assert_contains (text, "Lovely mug, fast delivery");
  assert_contains (text, "Anna Andersson");
  assert_contains (text, "★★☆☆☆");
  assert_contains (text, "Survey");
  assert_contains (text, "Entered by staff");

  gtk_window_destroy (GTK_WINDOW (window));
  iterate (20);
}

static void
wait_imported (WaybillFeedbackWindow *window)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_assert_true (waybill_feedback_window_is_importing (window));
  while (waybill_feedback_window_is_importing (window) && g_get_monotonic_time () < deadline)
    iterate (10);
  g_assert_false (waybill_feedback_window_is_importing (window));
  iterate (50);
}

static void
test_feedback_window_import (Fixture       *fixture,
                             gconstpointer  data)
{
  WaybillFeedbackWindow *window = waybill_feedback_window_new (NULL, fixture->store);
  g_autofree char *csv = g_build_filename (fixture->dir, "survey.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (csv);
  g_autoptr(GFile) missing = g_file_new_for_path ("/nonexistent/survey.csv");
  g_autofree char *text = NULL;
  g_autofree char *error_text = NULL;

  g_assert_true (g_file_set_contents (csv, "order,rating,comment,date\n2007,4,Fine,2025-11-20\n2999,5,,2025-11-20\n",
                                      -1, NULL));
  gtk_window_present (GTK_WINDOW (window));
  waybill_feedback_window_import_file (window, file);
  wait_imported (window);

  g_assert_cmpuint (g_list_model_get_n_items (waybill_feedback_window_get_model (window)), ==, 5);
  text = widget_text (GTK_WIDGET (window));
  assert_contains (text, "1 answer imported; 1 row skipped: Line 3: there is no order “2999”");

  waybill_feedback_window_import_file (window, missing);
  wait_imported (window);
  error_text = widget_text (GTK_WIDGET (window));
  assert_contains (error_text, "survey.csv");
  g_assert_cmpuint (g_list_model_get_n_items (waybill_feedback_window_get_model (window)), ==, 5);

  gtk_window_destroy (GTK_WINDOW (window));
  iterate (20);
}

static char *
clipboard_text (GtkWidget *widget)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (widget);
  GValue value = G_VALUE_INIT;
  char *text;

  g_value_init (&value, G_TYPE_STRING);
  g_assert_true (gdk_content_provider_get_value (gdk_clipboard_get_content (clipboard), &value, NULL));
  text = g_value_dup_string (&value);
  g_value_unset (&value);

  return text;
}

static WaybillWindow *
open_window_on (Fixture    *fixture,
                const char *order_number)
{
  WaybillWindow *window = waybill_window_new (NULL, fixture->store, NULL);
  g_autoptr(WaybillOrder) order = waybill_store_find_order (fixture->store, order_number, NULL);

  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  gtk_window_present (GTK_WINDOW (window));
  iterate (100);
  g_assert_nonnull (order);
  waybill_window_show_order_id (window, waybill_order_get_id (order));
  iterate (50);

  return window;
}

static void
test_copy_status_reply (Fixture       *fixture,
                        gconstpointer  data)
{
  WaybillWindow *window = open_window_on (fixture, "2004");
  g_autofree char *reply = NULL;
  g_autofree char *detail = NULL;

  /* The order detail has the button too. */
  detail = widget_text (waybill_window_get_detail (window));
  assert_contains (detail, "Copy Status _Reply");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "order.copy-status-reply", NULL));
  iterate (50);

  reply = clipboard_text (GTK_WIDGET (window));
  g_assert_cmpstr (reply, ==, "Your order 2004 is held up: it is waiting in customs. We are looking into it. "
                              "Track it here: https://www.ups.com/track?loc=en_US&tracknum=1Z0000000000000004");
  assert_shows (window, "Reply copied");

  gtk_window_destroy (GTK_WINDOW (window));
  iterate (50);
}

static WaybillFeedbackDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (WAYBILL_IS_FEEDBACK_DIALOG (window))
        return WAYBILL_FEEDBACK_DIALOG (window);
    }

  return NULL;
}

static void
test_add_feedback (Fixture       *fixture,
                   gconstpointer  data)
{
  WaybillWindow *window = open_window_on (fixture, "2007");
  WaybillOrderDetail *detail = WAYBILL_ORDER_DETAIL (waybill_window_get_detail (window));
  g_autoptr(WaybillOrder) order = waybill_store_find_order (fixture->store, "2007", NULL);
  g_autoptr(GPtrArray) saved = NULL;
  WaybillFeedbackDialog *dialog;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  GtkTextBuffer *buffer;

  before = widget_text (waybill_order_detail_get_feedback_group (detail));
  assert_contains (before, "No feedback from the customer yet");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "order.add-feedback", NULL));
  iterate (50);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);

  /* Save waits for a rating. */
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "save"));
  waybill_feedback_dialog_set_rating (dialog, 4);
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "save"));
  g_assert_cmpuint (waybill_feedback_dialog_get_rating (dialog), ==, 4);
  assert_shows (dialog, "4 of 5 stars: Good");
  {
    g_autofree char *all = widget_text (GTK_WIDGET (dialog));

    assert_contains (all, "What did the customer think of order 2007?");
  }

  /* Each star names itself for screen readers. */
  {
    GtkWidget *star = gtk_widget_get_first_child (gtk_widget_get_first_child (
                        GTK_WIDGET (adw_message_dialog_get_extra_child (ADW_MESSAGE_DIALOG (dialog)))));

    gtk_test_accessible_assert_property (star, GTK_ACCESSIBLE_PROPERTY_LABEL, "1 star");
  }

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (g_object_get_data (G_OBJECT (dialog), "comment-view")));
  gtk_text_buffer_set_text (buffer, "  Called to say thanks  ", -1);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "save");
  iterate (100);

  saved = waybill_store_list_order_feedback (fixture->store, waybill_order_get_id (order), NULL);
  g_assert_cmpuint (saved->len, ==, 1);
  g_assert_cmpuint (waybill_feedback_get_rating (g_ptr_array_index (saved, 0)), ==, 4);
  g_assert_cmpstr (waybill_feedback_get_comment (g_ptr_array_index (saved, 0)), ==, "Called to say thanks");
  g_assert_cmpint (waybill_feedback_get_source (g_ptr_array_index (saved, 0)), ==, WAYBILL_FEEDBACK_SOURCE_STAFF);

  after = widget_text (waybill_order_detail_get_feedback_group (detail));
  assert_contains (after, "Called to say thanks");
  assert_contains (after, "★★★★☆");
  assert_shows (window, "Feedback saved");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  assert_order_detail_apart (GTK_WIDGET (detail));
  save_screenshot (GTK_WIDGET (window), "order-feedback.png");

  /* Removed again from the order. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "order.remove-feedback", "x",
                                             waybill_feedback_get_id (g_ptr_array_index (saved, 0))));
  iterate (50);
  {
    g_autoptr(GPtrArray) left = waybill_store_list_order_feedback (fixture->store, waybill_order_get_id (order), NULL);
    g_autofree char *removed = widget_text (waybill_order_detail_get_feedback_group (detail));

    g_assert_cmpuint (left->len, ==, 0);
    assert_contains (removed, "No feedback from the customer yet");
    assert_shows (window, "Feedback removed");
  }

  gtk_window_destroy (GTK_WINDOW (window));
  iterate (50);
}

static GtkScrolledWindow *
find_scroller (GtkWidget *widget)
{
  /* The drop-down's popover has one too, unmapped while closed. */
  if (GTK_IS_SCROLLED_WINDOW (widget) && gtk_widget_get_mapped (widget))
    return GTK_SCROLLED_WINDOW (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkScrolledWindow *found = find_scroller (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
scroll_to_end (GtkWidget *window)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (find_scroller (window));

  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  iterate (100);
}

static void
test_screenshots (Fixture       *fixture,
                  gconstpointer  data)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  WaybillInsightsWindow *insights = waybill_insights_window_new (NULL, fixture->store);
  WaybillFeedbackWindow *feedback = waybill_feedback_window_new (NULL, fixture->store);

  gtk_window_set_default_size (GTK_WINDOW (insights), 1200, 1000);
  gtk_window_present (GTK_WINDOW (insights));
  wait_loaded (insights);
  /* Demo data is of the last weeks: every chart has figures. */
  g_assert_cmpuint (waybill_chart_get_n_bars (waybill_insights_window_get_chart (insights, "on-time")), ==, 8);
  g_assert_cmpuint (waybill_chart_get_n_bars (waybill_insights_window_get_chart (insights, "rating")), >, 0);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (insights));
  save_screenshot (GTK_WIDGET (insights), "insights.png");
  scroll_to_end (GTK_WIDGET (insights));
  save_screenshot (GTK_WIDGET (insights), "insights-feedback.png");

  gtk_window_present (GTK_WINDOW (feedback));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (feedback));
  g_assert_cmpuint (g_list_model_get_n_items (waybill_feedback_window_get_model (feedback)), >, 10);
  save_screenshot (GTK_WIDGET (feedback), "feedback.png");

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_DARK);
  iterate (100);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (find_scroller (GTK_WIDGET (insights))), 0);
  save_screenshot (GTK_WIDGET (insights), "insights-dark.png");
  save_screenshot (GTK_WIDGET (feedback), "feedback-dark.png");
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_DEFAULT);

  gtk_window_destroy (GTK_WINDOW (insights));
  gtk_window_destroy (GTK_WINDOW (feedback));
  iterate (50);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("TZ", "UTC", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  ui_test_load_app_style ();

#define ADD(path, data, func) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)

  ADD ("/waybill/insights-window/shows-figures", NULL, test_insights_shows_figures);
  ADD ("/waybill/insights-window/empty-period", NULL, test_insights_empty_period);
  ADD ("/waybill/insights-window/feedback-window-lists", NULL, test_feedback_window_lists);
  ADD ("/waybill/insights-window/feedback-window-import", NULL, test_feedback_window_import);
  ADD ("/waybill/insights-window/copy-status-reply", NULL, test_copy_status_reply);
  ADD ("/waybill/insights-window/add-feedback", NULL, test_add_feedback);
  ADD ("/waybill/insights-window/screenshots", "demo", test_screenshots);

  return g_test_run ();
}
