/* test-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "test-util.h"
#include "ui-util.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "waybill-demo.h"
#include "waybill-order-detail.h"
#include "waybill-order-editor.h"
#include "waybill-preferences-window.h"
#include "fake-carrier-server.h"
#include "waybill-store.h"
#include "waybill-window.h"

/* The window on a seeded database: it lists the orders, shows the selected
 * order's timeline, and follows changes written by another connection.
 * With WAYBILL_SCREENSHOT_DIR set it also saves PNGs of what it showed
 * (the README's and the metainfo's screenshots are made this way). */

typedef struct
{
  char          *dir;
  char          *path;
  WaybillStore  *store;
  WaybillWindow *window;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = test_make_tmp_dir ("window");
  fixture->path = g_build_filename (fixture->dir, "waybill.db", NULL);
  fixture->store = test_open_store (fixture->path);
  waybill_demo_fill (fixture->store, 40, 1042, &error);
  g_assert_no_error (error);
  waybill_store_watch (fixture->store, 200);

  fixture->window = waybill_window_new (NULL, fixture->store, NULL);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1100, 720);
  gtk_window_present (GTK_WINDOW (fixture->window));
  iterate (100);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  iterate (50);
  g_assert_finalize_object (fixture->store);
  remove_tree (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

/* Collects the text of every label under @widget, to check what a person
 * would read. */

static void
test_lists_orders (Fixture       *fixture,
                   gconstpointer  data)
{
  GListModel *orders = waybill_window_get_orders (fixture->window);
  g_autoptr(WaybillOrder) first = NULL;
  g_autofree char *text = NULL;

  /* 40 demo orders, one of them archived. */
  g_assert_cmpuint (g_list_model_get_n_items (orders), ==, 39);
  first = g_list_model_get_item (orders, 0);
  g_assert_nonnull (first);

  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
  text = widget_text (GTK_WIDGET (fixture->window));
  /* The newest order's number and customer are on screen. */
  g_assert_nonnull (strstr (text, waybill_order_get_order_number (first)));
  g_assert_nonnull (strstr (text, waybill_order_get_customer (first)));
  g_assert_nonnull (strstr (text, "39 orders"));
  g_assert_nonnull (strstr (text, "No Order Selected"));
}

static guint
find_order_with_events (GListModel *orders)
{
  for (guint i = 0; i < g_list_model_get_n_items (orders); i++)
    {
      g_autoptr(WaybillOrder) order = g_list_model_get_item (orders, i);

      if (waybill_order_get_display_status (order) == WAYBILL_STATUS_IN_TRANSIT)
        return i;
    }

  g_assert_not_reached ();
}

static void
test_selection_shows_timeline (Fixture       *fixture,
                               gconstpointer  data)
{
  GListModel *orders = waybill_window_get_orders (fixture->window);
  guint position = find_order_with_events (orders);
  g_autoptr(WaybillOrder) order = g_list_model_get_item (orders, position);
  g_autoptr(WaybillOrder) stored = NULL;
  g_autoptr(GError) error = NULL;
  WaybillShipment *shipment;
  GPtrArray *events;
  g_autofree char *text = NULL;

  waybill_window_select_order (fixture->window, position);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));

  stored = waybill_store_get_order (fixture->store, waybill_order_get_id (order), &error);
  g_assert_no_error (error);
  shipment = g_ptr_array_index (waybill_order_get_shipments (stored), 0);
  waybill_store_load_events (fixture->store, shipment, &error);
  g_assert_no_error (error);
  events = waybill_shipment_get_events (shipment);
  g_assert_cmpuint (events->len, >=, 3);

  text = widget_text (waybill_window_get_detail (fixture->window));
  g_assert_nonnull (strstr (text, waybill_order_get_customer (order)));
  g_assert_nonnull (strstr (text, waybill_shipment_get_tracking_number (shipment)));
  g_assert_nonnull (strstr (text, "In Transit"));
  /* Every event of the timeline is shown, with its place. */
  for (guint i = 0; i < events->len; i++)
    {
      WaybillTrackingEvent *event = g_ptr_array_index (events, i);

      g_assert_nonnull (strstr (text, waybill_tracking_event_get_description (event)));
      g_assert_nonnull (strstr (text, waybill_tracking_event_get_location (event)));
    }

  assert_order_detail_apart (waybill_window_get_detail (fixture->window));
  save_screenshot (GTK_WIDGET (fixture->window), "main-window.png");
}

static gboolean
has_text (WaybillWindow *window,
          const char    *needle)
{
  g_autofree char *text = widget_text (GTK_WIDGET (window));

  return strstr (text, needle) != NULL;
}

static void
wait_for_text (WaybillWindow *window,
               const char    *needle)
{
  for (int i = 0; i < 300 && !has_text (window, needle); i++)
    iterate (10);
}

static void
test_follows_other_connection (Fixture       *fixture,
                               gconstpointer  data)
{
  GListModel *orders = waybill_window_get_orders (fixture->window);
  g_autoptr(WaybillStore) other = NULL;
  g_autoptr(WaybillOrder) order = waybill_order_new ("X-2001", "Ingrid Second-Process");
  g_autoptr(GError) error = NULL;
  gint64 deadline;

  other = waybill_store_open (fixture->path, &error);
  g_assert_no_error (error);
  waybill_store_create_order (other, order, &error);
  g_assert_no_error (error);

  /* The window looks every 200 ms in this test (every second in the app). */
  deadline = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
  while (g_list_model_get_n_items (orders) != 40 && g_get_monotonic_time () < deadline)
    iterate (20);

  g_assert_cmpuint (g_list_model_get_n_items (orders), ==, 40);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
  iterate (50);
  g_assert_true (has_text (fixture->window, "Ingrid Second-Process"));

  /* And a deletion too. */
  waybill_store_delete_order (other, waybill_order_get_id (order), &error);
  g_assert_no_error (error);
  deadline = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
  while (g_list_model_get_n_items (orders) != 39 && g_get_monotonic_time () < deadline)
    iterate (20);
  g_assert_cmpuint (g_list_model_get_n_items (orders), ==, 39);
}

static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  GListModel *orders = waybill_window_get_orders (fixture->window);
  g_autoptr(WaybillOrder) target = g_list_model_get_item (orders, 5);
  GtkWidget *entry;
  g_autoptr(WaybillOrder) found = NULL;

  entry = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                     WAYBILL_TYPE_WINDOW, "search_entry"));
  gtk_editable_set_text (GTK_EDITABLE (entry), waybill_order_get_order_number (target));

  /* GtkSearchEntry waits a little before it reports a change. */
  for (int i = 0; i < 100 && g_list_model_get_n_items (orders) > 5; i++)
    iterate (10);

  g_assert_cmpuint (g_list_model_get_n_items (orders), >=, 1);
  found = g_list_model_get_item (orders, 0);
  g_assert_cmpstr (waybill_order_get_order_number (found), ==, waybill_order_get_order_number (target));

  gtk_editable_set_text (GTK_EDITABLE (entry), "zzzz-nothing-like-this");
  for (int i = 0; i < 100 && g_list_model_get_n_items (orders) > 0; i++)
    iterate (10);
  g_assert_cmpuint (g_list_model_get_n_items (orders), ==, 0);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
  g_assert_true (has_text (fixture->window, "No Results Found"));
}

/* The order's phone number, where the detail shows it under the name,
 * is on one line, however narrow the window: a number broken in two is
 * misread. */
static void
assert_phone_on_one_line (Fixture *fixture,
                          guint    position)
{
  g_autoptr(WaybillOrder) order = g_list_model_get_item (waybill_window_get_orders (fixture->window), position);
  GtkLabel *label = GTK_LABEL (gtk_widget_get_template_child (waybill_window_get_detail (fixture->window),
                                                              WAYBILL_TYPE_ORDER_DETAIL, "contact_label"));
  const char *phone = waybill_order_get_phone (order);
  g_auto(GStrv) parts = NULL;
  g_autofree char *shown_phone = NULL;
  PangoLayout *layout;
  const char *text, *found;
  gsize length;
  int first_line, last_line, x;

  g_assert_nonnull (phone);
  g_assert_nonnull (strchr (phone, ' '));
  parts = g_strsplit (phone, " ", -1);
  shown_phone = g_strjoinv ("\u00a0", parts);
  /* Written with plain or non-breaking spaces. */
  text = gtk_label_get_text (label);
  found = strstr (text, shown_phone);
  length = strlen (shown_phone);
  if (found == NULL)
    {
      found = strstr (text, phone);
      length = strlen (phone);
    }
  g_assert_nonnull (found);

  /* The narrow window does wrap the line (e-mail and phone). */
  layout = gtk_label_get_layout (label);
  g_assert_cmpint (pango_layout_get_line_count (layout), >, 1);
  pango_layout_index_to_line_x (layout, found - text, FALSE, &first_line, &x);
  pango_layout_index_to_line_x (layout, g_utf8_prev_char (found + length) - text, FALSE, &last_line, &x);
  g_assert_cmpint (first_line, ==, last_line);
}

static void
test_narrow_window_folds (Fixture       *fixture,
                          gconstpointer  data)
{
  AdwLeaflet *leaflet;
  GListModel *orders = waybill_window_get_orders (fixture->window);
  guint position = find_order_with_events (orders);

  leaflet = ADW_LEAFLET (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                        WAYBILL_TYPE_WINDOW, "leaflet"));
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 400, 700);
  iterate (300);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
  g_assert_true (adw_leaflet_get_folded (leaflet));

  /* Opening an order in a narrow window shows the order alone. */
  waybill_window_select_order (fixture->window, position);
  iterate (500);
  g_assert_true (adw_leaflet_get_visible_child (leaflet) !=
                 GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                            WAYBILL_TYPE_WINDOW, "sidebar")));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
  assert_order_detail_apart (waybill_window_get_detail (fixture->window));
  assert_phone_on_one_line (fixture, position);
  save_screenshot (GTK_WIDGET (fixture->window), "order-detail.png");
}

static void
test_filters_and_counts (Fixture       *fixture,
                         gconstpointer  data)
{
  GListModel *orders = waybill_window_get_orders (fixture->window);
  GtkDropDown *dropdown = GTK_DROP_DOWN (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                                        WAYBILL_TYPE_WINDOW, "filter_dropdown"));
  GListModel *labels = gtk_drop_down_get_model (dropdown);
  WaybillOrderQuery query = { WAYBILL_FILTER_DELIVERED, WAYBILL_STATUS_INVALID, WAYBILL_SORT_NEWEST };
  gint64 delivered = waybill_store_count_orders (fixture->store, &query, NULL);
  g_autofree char *expected = g_strdup_printf ("Delivered (%" G_GINT64_FORMAT ")", delivered);

  /* Every filter shows its count. */
  g_assert_cmpuint (g_list_model_get_n_items (labels), ==, 6);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (labels), 0), ==, "All (39)");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (labels), WAYBILL_FILTER_DELIVERED), ==, expected);

  gtk_drop_down_set_selected (dropdown, WAYBILL_FILTER_DELIVERED);
  g_assert_cmpuint (g_list_model_get_n_items (orders), ==, delivered);
  for (guint i = 0; i < g_list_model_get_n_items (orders); i++)
    {
      g_autoptr(WaybillOrder) order = g_list_model_get_item (orders, i);

      g_assert_cmpint (waybill_order_get_display_status (order), ==, WAYBILL_STATUS_DELIVERED);
    }

  gtk_drop_down_set_selected (dropdown, WAYBILL_FILTER_ARCHIVED);
  g_assert_cmpuint (g_list_model_get_n_items (orders), ==, 1);

  gtk_drop_down_set_selected (dropdown, WAYBILL_FILTER_ATTENTION);
  for (guint i = 0; i < g_list_model_get_n_items (orders); i++)
    {
      g_autoptr(WaybillOrder) order = g_list_model_get_item (orders, i);

      g_assert_true (waybill_order_get_delayed (order) ||
                     waybill_status_needs_attention (waybill_order_get_display_status (order)));
    }
  g_assert_cmpuint (g_list_model_get_n_items (orders), >=, 3);

  /* Sorting by estimated delivery puts the soonest first. */
  gtk_drop_down_set_selected (dropdown, WAYBILL_FILTER_ACTIVE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.sort", "s", "estimated-delivery"));
  {
    g_autoptr(WaybillOrder) first = g_list_model_get_item (orders, 0);
    g_autoptr(WaybillOrder) second = g_list_model_get_item (orders, 1);
    WaybillShipment *a = waybill_order_get_primary_shipment (first);
    WaybillShipment *b = waybill_order_get_primary_shipment (second);

    g_assert_nonnull (a);
    g_assert_nonnull (b);
    g_assert_nonnull (waybill_shipment_get_estimated_to (a));
    g_assert_cmpint (g_date_time_compare (waybill_shipment_get_estimated_to (a),
                                          waybill_shipment_get_estimated_to (b)), <=, 0);
  }
}

static void
test_order_actions (Fixture       *fixture,
                    gconstpointer  data)
{
  GListModel *orders = waybill_window_get_orders (fixture->window);
  guint position = find_order_with_events (orders);
  g_autoptr(WaybillOrder) order = g_list_model_get_item (orders, position);
  g_autoptr(WaybillOrder) stored = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = waybill_order_get_id (order);
  const char *number = waybill_order_get_order_number (order);
  guint events_before;

  waybill_window_select_order (fixture->window, position);
  iterate (50);

  /* Archive: gone from "All", kept in the database. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "order.archive", NULL));
  iterate (50);
  g_assert_cmpuint (g_list_model_get_n_items (orders), ==, 38);
  stored = waybill_store_get_order (fixture->store, id, &error);
  g_assert_true (waybill_order_get_archived (stored));
  g_clear_object (&stored);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "order.unarchive", NULL));
  iterate (50);
  g_assert_cmpuint (g_list_model_get_n_items (orders), ==, 39);

  /* Mark as delivered adds a manual event and delivers. */
  stored = waybill_store_get_order (fixture->store, id, &error);
  {
    WaybillShipment *shipment = g_ptr_array_index (waybill_order_get_shipments (stored), 0);

    waybill_store_load_events (fixture->store, shipment, &error);
    events_before = waybill_shipment_get_events (shipment)->len;
  }
  g_clear_object (&stored);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "order.mark-delivered", NULL));
  iterate (50);
  stored = waybill_store_get_order (fixture->store, id, &error);
  g_assert_cmpint (waybill_order_get_display_status (stored), ==, WAYBILL_STATUS_DELIVERED);
  {
    WaybillShipment *shipment = g_ptr_array_index (waybill_order_get_shipments (stored), 0);

    waybill_store_load_events (fixture->store, shipment, &error);
    g_assert_cmpuint (waybill_shipment_get_events (shipment)->len, ==, events_before + 1);
  }
  g_clear_object (&stored);
  g_assert_true (has_text (fixture->window, "Marked as delivered by hand"));

  /* Delete, then Undo brings it back with its timeline. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "order.delete", NULL));
  iterate (50);
  g_assert_null (waybill_store_find_order (fixture->store, number, NULL));
  g_assert_cmpuint (g_list_model_get_n_items (orders), ==, 38);
  /* The toast comes once the previous one has slid out. */
  wait_for_text (fixture->window, "deleted");
  g_assert_true (has_text (fixture->window, "deleted"));
  /* A person reads it before pressing Undo; pressing within a frame of it
   * appearing would race libadwaita 1.2's own slide-in (see present_toast()). */
  iterate (600);
  {
    /* Press the toast's Undo button, as a person would. */
    GtkWidget *overlay = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                                    WAYBILL_TYPE_WINDOW, "toast_overlay"));
    GtkWidget *button = NULL;
    GSList *stack = g_slist_prepend (NULL, overlay);

    while (stack != NULL && button == NULL)
      {
        GtkWidget *w = stack->data;

        stack = g_slist_delete_link (stack, stack);
        if (GTK_IS_BUTTON (w) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (w)), "_Undo") == 0)
          button = w;
        for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
          stack = g_slist_prepend (stack, c);
      }
    g_slist_free (stack);
    g_assert_nonnull (button);
    g_signal_emit_by_name (button, "clicked");
  }
  iterate (50);
  g_assert_cmpuint (g_list_model_get_n_items (orders), ==, 39);
  stored = waybill_store_find_order (fixture->store, number, &error);
  g_assert_no_error (error);
  {
    WaybillShipment *shipment = g_ptr_array_index (waybill_order_get_shipments (stored), 0);

    waybill_store_load_events (fixture->store, shipment, &error);
    g_assert_cmpuint (waybill_shipment_get_events (shipment)->len, ==, events_before + 1);
  }
}

/* Messages that follow each other faster than libadwaita's toast
 * animations (300 to 500 ms) replace each other without crashing, and the
 * newest is the one left on screen. */
static void
test_toasts_in_quick_succession (Fixture       *fixture,
                                 gconstpointer  data)
{
  GListModel *orders = waybill_window_get_orders (fixture->window);
  const guint gaps[] = { 0, 20, 50, 100, 150, 250, 400 };

#ifdef __GLIBC__
  /* Freed memory is overwritten: a use after free crashes here rather
   * than now and then. */
  mallopt (M_PERTURB, 0xa5);
#endif
  waybill_window_select_order (fixture->window, find_order_with_events (orders));
  iterate (50);
  for (guint i = 0; i < G_N_ELEMENTS (gaps); i++)
    {
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "order.archive", NULL));
      iterate (gaps[i]);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "order.unarchive", NULL));
      iterate (gaps[i]);
    }
  g_assert_cmpuint (g_list_model_get_n_items (orders), ==, 39);

  for (int i = 0; i < 300 && (has_text (fixture->window, "Order archived") ||
                              !has_text (fixture->window, "Order moved out of the archive")); i++)
    iterate (10);
  g_assert_true (has_text (fixture->window, "Order moved out of the archive"));
  g_assert_false (has_text (fixture->window, "Order archived"));
  /* Every slide and fade has ended. */
  iterate (1000);
  g_assert_true (has_text (fixture->window, "Order moved out of the archive"));
#ifdef __GLIBC__
  mallopt (M_PERTURB, 0);
#endif
}

static void
test_add_event_by_hand (Fixture       *fixture,
                        gconstpointer  data)
{
  GListModel *orders = waybill_window_get_orders (fixture->window);
  guint position = find_order_with_events (orders);
  g_autoptr(WaybillOrder) order = g_list_model_get_item (orders, position);
  g_autoptr(WaybillShipment) shipment = NULL;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog = NULL;
  GList *toplevels;
  WaybillTrackingEvent *newest;
  guint before;

  shipment = waybill_store_get_shipment (fixture->store,
                                         waybill_shipment_get_id (waybill_order_get_primary_shipment (order)),
                                         &error);
  g_assert_no_error (error);
  before = waybill_shipment_get_events (shipment)->len;
  g_clear_object (&shipment);

  waybill_window_select_order (fixture->window, position);
  iterate (50);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "order.add-event", NULL));
  iterate (100);

  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data))
      dialog = l->data;
  g_list_free (toplevels);
  g_assert_nonnull (dialog);

  gtk_editable_set_text (g_object_get_data (G_OBJECT (dialog), "description"), "Handed to the neighbour at no. 12");
  gtk_editable_set_text (g_object_get_data (G_OBJECT (dialog), "location"), "Leeds, GB");
  adw_message_dialog_response (dialog, "add");
  iterate (100);

  shipment = waybill_store_get_shipment (fixture->store,
                                         waybill_shipment_get_id (waybill_order_get_primary_shipment (order)),
                                         &error);
  g_assert_cmpuint (waybill_shipment_get_events (shipment)->len, ==, before + 1);
  newest = g_ptr_array_index (waybill_shipment_get_events (shipment), 0);
  g_assert_cmpstr (waybill_tracking_event_get_description (newest), ==, "Handed to the neighbour at no. 12");
  g_assert_cmpstr (waybill_tracking_event_get_location (newest), ==, "Leeds, GB");
  g_assert_true (has_text (fixture->window, "Handed to the neighbour at no. 12"));
}

static void
test_copy_tracking_number (Fixture       *fixture,
                           gconstpointer  data)
{
  GListModel *orders = waybill_window_get_orders (fixture->window);
  guint position = find_order_with_events (orders);
  g_autoptr(WaybillOrder) order = g_list_model_get_item (orders, position);
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (fixture->window));
  g_autofree char *text = NULL;

  waybill_window_select_order (fixture->window, position);
  iterate (50);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "order.copy-tracking-number", NULL));
  iterate (50);

  {
    GValue v = G_VALUE_INIT;

    g_value_init (&v, G_TYPE_STRING);
    g_assert_true (gdk_content_provider_get_value (gdk_clipboard_get_content (clipboard), &v, NULL));
    text = g_value_dup_string (&v);
    g_value_unset (&v);
  }
  g_assert_cmpstr (text, ==, waybill_shipment_get_tracking_number (waybill_order_get_primary_shipment (order)));
  g_assert_true (has_text (fixture->window, "Tracking number copied"));
}

static void
test_lookup_jumps_to_order (Fixture       *fixture,
                            gconstpointer  data)
{
  GListModel *orders = waybill_window_get_orders (fixture->window);
  guint position = find_order_with_events (orders);
  g_autoptr(WaybillOrder) order = g_list_model_get_item (orders, position);
  const char *tracking = waybill_shipment_get_tracking_number (waybill_order_get_primary_shipment (order));
  GtkWidget *entry = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                                WAYBILL_TYPE_WINDOW, "search_entry"));
  g_autofree char *pasted = g_strdup_printf ("  %s ", tracking);
  WaybillOrder *shown;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.lookup", NULL));
  gtk_editable_set_text (GTK_EDITABLE (entry), pasted);
  g_signal_emit_by_name (entry, "activate");
  iterate (50);

  shown = waybill_order_detail_get_order (WAYBILL_ORDER_DETAIL (waybill_window_get_detail (fixture->window)));
  g_assert_nonnull (shown);
  g_assert_cmpint (waybill_order_get_id (shown), ==, waybill_order_get_id (order));
}

static GtkWindow *
find_editor (void)
{
  GList *toplevels = gtk_window_list_toplevels ();
  GtkWindow *found = NULL;

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (WAYBILL_IS_ORDER_EDITOR (l->data))
      found = l->data;
  g_list_free (toplevels);

  return found;
}

static void
test_new_and_edit_open_the_editor (Fixture       *fixture,
                                   gconstpointer  data)
{
  GListModel *orders = waybill_window_get_orders (fixture->window);
  GtkWindow *editor;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new-order", NULL));
  iterate (100);
  editor = find_editor ();
  g_assert_nonnull (editor);
  g_assert_cmpint (waybill_order_editor_get_order_id (WAYBILL_ORDER_EDITOR (editor)), ==, 0);
  g_assert_true (gtk_window_get_transient_for (editor) == GTK_WINDOW (fixture->window));
  gtk_window_destroy (editor);
  iterate (50);

  /* Edit is only there with an order shown; it opens that order. */
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "order.edit", NULL) && find_editor ());
  waybill_window_select_order (fixture->window, 3);
  iterate (50);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "order.edit", NULL));
  iterate (100);
  editor = find_editor ();
  g_assert_nonnull (editor);
  {
    g_autoptr(WaybillOrder) order = g_list_model_get_item (orders, 3);

    g_assert_cmpint (waybill_order_editor_get_order_id (WAYBILL_ORDER_EDITOR (editor)), ==,
                     waybill_order_get_id (order));
  }
  gtk_window_destroy (editor);
  iterate (50);
}

static guint
find_order_with_status (GListModel    *orders,
                        WaybillStatus  status)
{
  for (guint i = 0; i < g_list_model_get_n_items (orders); i++)
    {
      g_autoptr(WaybillOrder) order = g_list_model_get_item (orders, i);

      if (waybill_order_get_display_status (order) == status)
        return i;
    }

  g_assert_not_reached ();
}

/* An order with a problem in dark mode: the stepper shows where it went
 * wrong, in words. */
static void
test_exception_dark (Fixture       *fixture,
                     gconstpointer  data)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  GListModel *orders = waybill_window_get_orders (fixture->window);
  guint position = find_order_with_status (orders, WAYBILL_STATUS_EXCEPTION);
  g_autofree char *text = NULL;

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_DARK);
  waybill_window_select_order (fixture->window, position);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
  iterate (100);

  g_assert_true (adw_style_manager_get_dark (manager));
  text = widget_text (waybill_window_get_detail (fixture->window));
  g_assert_nonnull (strstr (text, "Problem"));
  g_assert_true (strstr (text, "Held in customs") != NULL || strstr (text, "Address problem") != NULL);

  assert_order_detail_apart (waybill_window_get_detail (fixture->window));
  save_screenshot (GTK_WIDGET (fixture->window), "exception-dark.png");
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_DEFAULT);
}

static void
test_preferences (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GSettingsSchema) schema =
    g_settings_schema_source_lookup (g_settings_schema_source_get_default (), "io.github.waybill.Waybill", TRUE);
  g_autoptr(GSettings) settings = NULL;
  WaybillPreferencesWindow *prefs;
  g_autofree char *text = NULL;

  g_assert_nonnull (schema);
  settings = g_settings_new_full (schema, NULL, NULL);
  prefs = waybill_preferences_window_new (GTK_WINDOW (fixture->window), settings);
  gtk_window_set_default_size (GTK_WINDOW (prefs), 640, 760);
  gtk_window_present (GTK_WINDOW (prefs));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (prefs));
  iterate (200);

  /* Every tracking API has its account group. */
  text = widget_text (GTK_WIDGET (prefs));
  g_assert_nonnull (strstr (text, "DHL"));
  g_assert_nonnull (strstr (text, "UPS"));
  g_assert_nonnull (strstr (text, "FedEx"));
  g_assert_nonnull (strstr (text, "USPS"));
  g_assert_nonnull (strstr (text, "AfterShip"));
  g_assert_nonnull (strstr (text, "17TRACK"));
  save_screenshot (GTK_WIDGET (prefs), "preferences.png");

  /* A setting changed in the window reaches GSettings. */
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (prefs), "refresh");
  iterate (100);
  g_free (text);
  text = widget_text (GTK_WIDGET (prefs));
  g_assert_nonnull (strstr (text, "How Often to Check"));
  save_screenshot (GTK_WIDGET (prefs), "preferences-refresh.png");
  {
    /* Moving the spin button of "In transit" writes the setting. */
    GtkWidget *found = NULL;
    GSList *stack = g_slist_prepend (NULL, prefs);

    while (stack != NULL)
      {
        GtkWidget *w = stack->data;

        stack = g_slist_delete_link (stack, stack);
        if (found == NULL && GTK_IS_SPIN_BUTTON (w) &&
            gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (w)) == 180)
          found = w;
        for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
          stack = g_slist_prepend (stack, c);
      }
    g_assert_nonnull (found);
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (found), 120);
    g_assert_cmpint (g_settings_get_int (settings, "refresh-in-transit-minutes") +
                     g_settings_get_int (settings, "refresh-picked-up-minutes"), ==, 300);
    g_settings_reset (settings, "refresh-in-transit-minutes");
    g_settings_reset (settings, "refresh-picked-up-minutes");
  }

  gtk_window_destroy (GTK_WINDOW (prefs));
  iterate (50);
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label,
             guint       nth)
{
  GSList *stack = g_slist_prepend (NULL, root);
  GPtrArray *found = g_ptr_array_new ();
  GtkWidget *result = NULL;

  /* Depth first, in order, so that "the nth" follows the page. */
  while (stack != NULL)
    {
      GtkWidget *w = stack->data;
      GSList *children = NULL;

      stack = g_slist_delete_link (stack, stack);
      if (GTK_IS_BUTTON (w) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (w)), label) == 0)
        g_ptr_array_add (found, w);
      for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
        children = g_slist_prepend (children, c);
      for (GSList *l = children; l != NULL; l = l->next)
        stack = g_slist_prepend (stack, l->data);
      g_slist_free (children);
    }

  if (nth < found->len)
    result = g_ptr_array_index (found, nth);
  g_ptr_array_unref (found);

  return result;
}

static const char *
row_subtitle_of (GtkWidget *button)
{
  GtkWidget *row = gtk_widget_get_ancestor (button, ADW_TYPE_ACTION_ROW);

  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

static void
wait_for_subtitle (GtkWidget *button)
{
  for (int i = 0; i < 500 && (row_subtitle_of (button) == NULL ||
                              g_str_equal (row_subtitle_of (button), "Asking…")); i++)
    iterate (10);
}

/* Test Connection asks the API with the credentials as they are now. */
static void
test_preferences_test_connection (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(FakeCarrierServer) server = fake_carrier_server_new ();
  WaybillPreferencesWindow *prefs;
  GtkWidget *dhl;
  GtkWidget *ups;

  fake_carrier_server_setup_env (server);
  g_unsetenv ("WAYBILL_UPS_CLIENT_ID");
  g_unsetenv ("WAYBILL_UPS_CLIENT_SECRET");
  g_unsetenv ("WAYBILL_AFTERSHIP_API_KEY");
  g_unsetenv ("WAYBILL_17TRACK_API_KEY");

  prefs = waybill_preferences_window_new (GTK_WINDOW (fixture->window), NULL);
  gtk_window_present (GTK_WINDOW (prefs));
  iterate (100);

  dhl = find_button (GTK_WIDGET (prefs), "_Test", 0);
  ups = find_button (GTK_WIDGET (prefs), "_Test", 1);
  g_assert_nonnull (dhl);
  g_assert_nonnull (ups);

  /* DHL is set up and answers (it does not know the number): it works. */
  fake_response_fixture (fake_carrier_server_queue (server, "/track/shipments", 404), "dhl/error-404.json");
  g_signal_emit_by_name (dhl, "clicked");
  wait_for_subtitle (dhl);
  g_assert_cmpstr (row_subtitle_of (dhl), ==, "Connected: the account works");
  g_assert_cmpuint (fake_carrier_server_count (server, "/track/shipments"), ==, 1);

  /* UPS has no credentials: nothing is asked. */
  g_signal_emit_by_name (ups, "clicked");
  wait_for_subtitle (ups);
  g_assert_cmpstr (row_subtitle_of (ups), ==, "Enter the account’s credentials first");

  /* A wrong DHL key: the API's refusal, in words. */
  g_setenv ("WAYBILL_DHL_API_KEY", "not-the-right-key", TRUE);
  fake_response_json (fake_carrier_server_queue (server, "/track/shipments", 401),
                      "{\"title\": \"Unauthorized\", \"status\": 401, \"detail\": \"Invalid API key\"}");
  g_signal_emit_by_name (dhl, "clicked");
  wait_for_subtitle (dhl);
  g_assert_cmpstr (row_subtitle_of (dhl), !=, "Connected: the account works");
  g_assert_true (gtk_widget_has_css_class (gtk_widget_get_ancestor (dhl, ADW_TYPE_ACTION_ROW), "error"));

  gtk_window_destroy (GTK_WINDOW (prefs));
  iterate (50);
  g_unsetenv ("WAYBILL_DHL_API_KEY");
  g_unsetenv ("WAYBILL_DHL_URL");
}

static void
test_empty_state (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("waybill-empty-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "waybill.db", NULL);
  g_autoptr(WaybillStore) store = waybill_store_open (path, &error);
  WaybillWindow *window;
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  window = waybill_window_new (NULL, store, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  iterate (100);

  text = widget_text (GTK_WIDGET (window));
  g_assert_nonnull (strstr (text, "No Orders Yet"));
  g_assert_nonnull (strstr (text, "Try the Demo Data"));
  save_screenshot (GTK_WIDGET (window), "empty.png");

  /* The demo button fills the list. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.load-demo", NULL));
  iterate (100);
  g_assert_cmpuint (g_list_model_get_n_items (waybill_window_get_orders (window)), ==, 39);

  gtk_window_destroy (GTK_WINDOW (window));
  iterate (50);
}

static void
test_store_error_shown (void)
{
  g_autoptr(GError) error = g_error_new_literal (WAYBILL_STORE_ERROR,
                                                 WAYBILL_STORE_ERROR_NOT_A_DATABASE,
                                                 "“/tmp/x” is not a Waybill database");
  WaybillWindow *window = waybill_window_new (NULL, NULL, error);
  g_autofree char *text = NULL;

  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  text = widget_text (GTK_WIDGET (window));
  g_assert_nonnull (strstr (text, "Could Not Open the Orders"));
  g_assert_nonnull (strstr (text, "is not a Waybill database"));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The check of the detail's layout fails on what it is there to catch:
 * two widgets in the same place, one reaching out of its parent, and the
 * detail built twice over (its template instantiated a second time). */
static void
test_overlap_check_fails (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *fixed = gtk_fixed_new ();
  GtkWidget *a = gtk_button_new_with_label ("A");
  GtkWidget *b = gtk_button_new_with_label ("B");
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *tall = gtk_label_new ("tall");
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *twice = GTK_WIDGET (g_object_new (WAYBILL_TYPE_ORDER_DETAIL, NULL));
  char *misplaced;

  gtk_widget_set_size_request (a, 100, 40);
  gtk_widget_set_size_request (b, 100, 40);
  gtk_fixed_put (GTK_FIXED (fixed), a, 0, 0);
  gtk_fixed_put (GTK_FIXED (fixed), b, 50, 20);
  gtk_widget_set_size_request (tall, 50, 2000);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), tall);
  gtk_widget_set_size_request (scroller, 100, 100);
  gtk_box_append (GTK_BOX (box), fixed);
  gtk_box_append (GTK_BOX (box), scroller);
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (window);
  iterate (50);

  misplaced = find_misplaced_child (fixed);
  g_assert_nonnull (misplaced);
  g_assert_nonnull (strstr (misplaced, "overlap"));
  g_free (misplaced);
  /* Side by side, they are apart. */
  gtk_fixed_move (GTK_FIXED (fixed), b, 100, 20);
  iterate (50);
  gtk_test_widget_wait_for_draw (window);
  g_assert_null (find_misplaced_child (fixed));

  /* The label is taller than the scrolled window's viewport. */
  misplaced = find_misplaced_child (gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller)));
  g_assert_nonnull (misplaced);
  g_assert_nonnull (strstr (misplaced, "reaches outside"));
  g_free (misplaced);
  g_assert_null (find_misplaced_child (box));

  /* The bug of the messages merge: a second copy of the whole page. */
  gtk_widget_init_template (twice);
  gtk_window_set_child (GTK_WINDOW (window), twice);
  gtk_window_set_default_size (GTK_WINDOW (window), 600, 600);
  gtk_test_widget_wait_for_draw (window);
  iterate (100);
  misplaced = find_misplaced_child (twice);
  g_assert_nonnull (misplaced);
  g_assert_nonnull (strstr (misplaced, "GtkScrolledWindow"));
  g_free (misplaced);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The detail as it is built: apart, with an order or with none. */
static void
test_detail_alone_apart (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *detail = GTK_WIDGET (g_object_new (WAYBILL_TYPE_ORDER_DETAIL, NULL));
  g_autoptr(GListModel) children = gtk_widget_observe_children (detail);

  gtk_window_set_child (GTK_WINDOW (window), detail);
  gtk_window_set_default_size (GTK_WINDOW (window), 600, 600);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (window);
  iterate (100);
  /* One page in it. */
  g_assert_cmpuint (g_list_model_get_n_items (children), ==, 1);
  assert_order_detail_apart (detail);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("TZ", "UTC", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  ui_test_load_app_style ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/waybill/window/lists-orders", test_lists_orders);
  ADD ("/waybill/window/selection-shows-timeline", test_selection_shows_timeline);
  ADD ("/waybill/window/follows-other-connection", test_follows_other_connection);
  ADD ("/waybill/window/search", test_search);
  ADD ("/waybill/window/narrow-window-folds", test_narrow_window_folds);
  ADD ("/waybill/window/filters-and-counts", test_filters_and_counts);
  ADD ("/waybill/window/order-actions", test_order_actions);
  ADD ("/waybill/window/toasts-in-quick-succession", test_toasts_in_quick_succession);
  ADD ("/waybill/window/copy-tracking-number", test_copy_tracking_number);
  ADD ("/waybill/window/add-event-by-hand", test_add_event_by_hand);
  ADD ("/waybill/window/lookup-jumps-to-order", test_lookup_jumps_to_order);
  ADD ("/waybill/window/new-and-edit-open-the-editor", test_new_and_edit_open_the_editor);
  ADD ("/waybill/window/exception-dark", test_exception_dark);
  ADD ("/waybill/window/preferences", test_preferences);
  ADD ("/waybill/window/preferences-test-connection", test_preferences_test_connection);
  g_test_add_func ("/waybill/window/empty-state", test_empty_state);
  g_test_add_func ("/waybill/window/overlap-check-fails", test_overlap_check_fails);
  g_test_add_func ("/waybill/window/detail-alone-apart", test_detail_alone_apart);
  g_test_add_func ("/waybill/window/store-error-shown", test_store_error_shown);

  return g_test_run ();
}
