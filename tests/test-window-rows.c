/* test-window-rows.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "test-util.h"
#include "ui-util.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "waybill-demo.h"
#include "waybill-order-list-model.h"
#include "waybill-store.h"
#include "waybill-window.h"

/* The order list's rows with more orders than fit on screen: the list view
 * is given a screenful first and the rest after the frame, search results
 * as far as the list is scrolled, and the filter counts come after the
 * first frame.  None of it may change what the list holds. */

#define N_ORDERS 320

typedef struct
{
  char          *dir;
  char          *path;
  WaybillStore  *store;
  WaybillWindow *window;
} Fixture;

static GtkWidget *
child (Fixture    *fixture,
       const char *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (fixture->window), WAYBILL_TYPE_WINDOW, name));
}

static GListModel *
shown_rows (Fixture *fixture)
{
  return G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (child (fixture, "order_list"))));
}

static guint
n_row_widgets (Fixture *fixture)
{
  guint n = 0;

  for (GtkWidget *w = gtk_widget_get_first_child (child (fixture, "order_list")); w != NULL;
       w = gtk_widget_get_next_sibling (w))
    n++;

  return n;
}

/* What the key controllers of @widget do with @keyval: GTK 4.8 has no
 * way to send a test a key event, so their handlers are called. */
static gboolean
press_key (GtkWidget *widget,
           guint      keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  gboolean handled = FALSE;
  guint n_key_controllers = 0;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !handled; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_EVENT_CONTROLLER_KEY (controller))
        continue;
      n_key_controllers++;
      g_signal_emit_by_name (controller, "key-pressed", keyval, 0, (GdkModifierType) 0, &handled);
    }
  g_assert_cmpuint (n_key_controllers, >, 0);

  return handled;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = test_make_tmp_dir ("window-rows");
  fixture->path = g_build_filename (fixture->dir, "waybill.db", NULL);
  fixture->store = test_open_store (fixture->path);
  waybill_demo_fill (fixture->store, N_ORDERS, 77, &error);
  g_assert_no_error (error);

  fixture->window = waybill_window_new (NULL, fixture->store, NULL);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1000, 700);
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

static void
wait_for_shown (Fixture *fixture,
                guint    n)
{
  for (guint i = 0; i < 300 && g_list_model_get_n_items (shown_rows (fixture)) != n; i++)
    iterate (10);
  g_assert_cmpuint (g_list_model_get_n_items (shown_rows (fixture)), ==, n);
}

/* Before the first frame: a screenful of rows and no counts yet; after it
 * every order, each where the model has it, and the counts. */
static void
test_first_frame_then_all (Fixture       *fixture,
                           gconstpointer  data)
{
  GListModel *orders = waybill_window_get_orders (fixture->window);
  GtkDropDown *filters = GTK_DROP_DOWN (child (fixture, "filter_dropdown"));
  guint n = g_list_model_get_n_items (orders);
  GListModel *shown;

  g_assert_cmpuint (n, >, 250);
  g_assert_cmpuint (g_list_model_get_n_items (shown_rows (fixture)), <, 30);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (gtk_drop_down_get_model (filters)), 0), ==, "All");

  gtk_window_present (GTK_WINDOW (fixture->window));
  wait_for_shown (fixture, n);

  shown = shown_rows (fixture);
  for (guint i = 0; i < n; i += 13)
    {
      g_autoptr(WaybillOrder) a = g_list_model_get_item (orders, i);
      g_autoptr(WaybillOrder) b = g_list_model_get_item (shown, i);

      g_assert_true (a == b);
    }
  /* GTK 4.8 keeps a widget for up to 200 rows. */
  g_assert_cmpuint (n_row_widgets (fixture), <=, 210);
  {
    g_autofree char *all = g_strdup_printf ("All (%u)", n);

    g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (gtk_drop_down_get_model (filters)), 0), ==, all);
  }
}

/* A search shows a screenful of its results; scrolling down brings more;
 * the title counts them all; a result not shown yet can be selected. */
static void
test_search_rows (Fixture       *fixture,
                  gconstpointer  data)
{
  GListModel *orders = waybill_window_get_orders (fixture->window);
  GtkWidget *entry = child (fixture, "search_entry");
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (child (fixture, "order_list")));
  AdwWindowTitle *title = ADW_WINDOW_TITLE (child (fixture, "list_title"));
  guint n_results, n_shown;
  g_autofree char *subtitle = NULL;
  g_autoptr(WaybillOrder) last = NULL;
  g_autofree char *detail_title = NULL;

  gtk_window_present (GTK_WINDOW (fixture->window));
  wait_for_shown (fixture, g_list_model_get_n_items (orders));

  /* Every demo email ends in a domain most of them share. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "example");
  for (guint i = 0; i < 200 && waybill_order_list_model_get_search (WAYBILL_ORDER_LIST_MODEL (orders)) == NULL; i++)
    iterate (10);
  iterate (100);
  n_results = g_list_model_get_n_items (orders);
  n_shown = g_list_model_get_n_items (shown_rows (fixture));
  g_assert_cmpuint (n_results, >, 60);
  g_assert_cmpuint (n_shown, <, 40);
  g_assert_cmpuint (n_row_widgets (fixture), ==, n_shown);
  subtitle = g_strdup_printf ("%u orders", n_results);
  g_assert_cmpstr (adw_window_title_get_subtitle (title), ==, subtitle);

  /* Scrolling to the end shows more. */
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  iterate (100);
  g_assert_cmpuint (g_list_model_get_n_items (shown_rows (fixture)), >, n_shown);

  /* End brings every result, for the list view to go to the last one. */
  g_assert_cmpuint (g_list_model_get_n_items (shown_rows (fixture)), <, n_results);
  g_assert_true (press_key (child (fixture, "order_list"), GDK_KEY_End) == GDK_EVENT_PROPAGATE);
  g_assert_cmpuint (g_list_model_get_n_items (shown_rows (fixture)), ==, n_results);
  iterate (100);
  g_assert_cmpuint (g_list_model_get_n_items (shown_rows (fixture)), ==, n_results);

  /* The last result selected from outside the list. */
  last = g_list_model_get_item (orders, n_results - 1);
  waybill_window_select_order (fixture->window, n_results - 1);
  iterate (50);
  g_assert_cmpuint (gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (shown_rows (fixture))), ==,
                    n_results - 1);
  detail_title = g_strdup_printf ("Order %s", waybill_order_get_order_number (last));
  g_assert_cmpstr (adw_window_title_get_title (ADW_WINDOW_TITLE (child (fixture, "detail_title"))), ==,
                   detail_title);

  /* Clearing the search brings every order back, a screenful first. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  for (guint i = 0; i < 200 && waybill_order_list_model_get_search (WAYBILL_ORDER_LIST_MODEL (orders)) != NULL; i++)
    iterate (10);
  wait_for_shown (fixture, g_list_model_get_n_items (orders));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) \
  g_test_add ("/waybill/window-rows/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("first-frame-then-all", test_first_frame_then_all);
  ADD ("search-rows", test_search_rows);

  return g_test_run ();
}
