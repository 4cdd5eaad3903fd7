/* test-lookup.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ui-util.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "fake-carrier-server.h"
#include "waybill-lookup-window.h"
#include "waybill-order-editor.h"
#include "waybill-store.h"
#include "waybill-window.h"
#include "test-util.h"

/* The look-up (Ctrl+L, a number, Enter) for a number no order has: it is
 * tracked ad hoc through the fake UPS API served by this process, the
 * answer is shown, and "Create Order from This" makes an order with it. */

#define NUMBER "1Z999AA10123456784"
#define NUMBER_PATH "/api/track/v1/details/" NUMBER

typedef struct
{
  FakeCarrierServer *server;
  char              *dir;
  WaybillStore      *store;
  WaybillWindow     *window;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = NULL;

  fixture->server = fake_carrier_server_new ();
  fake_carrier_server_setup_env (fixture->server);
  fixture->dir = test_make_tmp_dir ("lookup");
  path = g_build_filename (fixture->dir, "waybill.db", NULL);
  fixture->store = test_open_store (path);

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
  g_clear_object (&fixture->store);
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  fake_carrier_server_free (fixture->server);
}

static gpointer
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

static gpointer
template_child (gpointer    widget,
                GType       type,
                const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (object);
  return object;
}

static void
assert_shows (gpointer    widget,
              const char *needle)
{
  g_autofree char *text = widget_text (widget);

  if (strstr (text, needle) == NULL)
    g_error ("“%s” is not shown; the text is:\n%s", needle, text);
}

/* Ctrl+L, the number, Enter; waits for the carrier's answer. */
static WaybillLookupWindow *
look_up (Fixture    *fixture,
         const char *number)
{
  GtkWidget *entry = NULL;
  WaybillLookupWindow *lookup;

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.lookup", NULL);
  iterate (20);
  entry = gtk_window_get_focus (GTK_WINDOW (fixture->window));
  g_assert_nonnull (entry);
  entry = gtk_widget_get_ancestor (entry, GTK_TYPE_SEARCH_ENTRY);
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), number);
  g_signal_emit_by_name (entry, "activate");
  iterate (20);

  lookup = find_toplevel (WAYBILL_TYPE_LOOKUP_WINDOW);
  g_assert_nonnull (lookup);
  for (int i = 0; i < 500 && waybill_lookup_window_get_busy (lookup); i++)
    iterate (10);
  g_assert_false (waybill_lookup_window_get_busy (lookup));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (lookup));

  return lookup;
}

static void
test_create_order (Fixture       *fixture,
                   gconstpointer  data)
{
  WaybillLookupWindow *lookup;
  WaybillOrderEditor *editor;
  g_autoptr(WaybillOrder) order = NULL;
  g_autoptr(GError) error = NULL;
  GtkStack *stack;
  WaybillShipment *shipment;

  fake_response_fixture (fake_carrier_server_queue (fixture->server, NUMBER_PATH, 200), "ups/5-delivered.json");

  /* Pasted as printed on a label. */
  lookup = look_up (fixture, " 1z 999aa1 0123456784 ");
  stack = template_child (lookup, WAYBILL_TYPE_LOOKUP_WINDOW, "stack");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "result");
  assert_shows (lookup, "Delivered");
  assert_shows (lookup, "UPS · " NUMBER);
  assert_shows (lookup, "Tracking Events");
  assert_shows (lookup, "Create Order from This");
  save_screenshot (GTK_WIDGET (lookup), "lookup-result.png");
  g_assert_cmpuint (fake_carrier_server_count (fixture->server, "/api/track/v1/details/"), ==, 1);

  /* Create Order from This: the editor has the number and the carrier. */
  g_signal_emit_by_name (template_child (lookup, WAYBILL_TYPE_LOOKUP_WINDOW, "create_button"), "clicked");
  iterate (50);
  editor = find_toplevel (WAYBILL_TYPE_ORDER_EDITOR);
  g_assert_nonnull (editor);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (lookup)));
  g_assert_cmpstr (gtk_editable_get_text (template_child (editor, WAYBILL_TYPE_ORDER_EDITOR, "tracking_row")),
                   ==, NUMBER);
  {
    GtkStringObject *item = adw_combo_row_get_selected_item (template_child (editor, WAYBILL_TYPE_ORDER_EDITOR,
                                                                             "carrier_row"));

    g_assert_cmpstr (gtk_string_object_get_string (item), ==, "UPS");
  }
  assert_shows (editor, "Check digit correct");

  gtk_editable_set_text (template_child (editor, WAYBILL_TYPE_ORDER_EDITOR, "number_row"), "L-1001");
  gtk_editable_set_text (template_child (editor, WAYBILL_TYPE_ORDER_EDITOR, "customer_row"), "Ida Pfeiffer");
  iterate (20);
  g_assert_true (waybill_order_editor_save (editor));
  iterate (100);

  /* The order exists with the parcel, and what was fetched is kept: the
   * status and the events, without asking the carrier again. */
  order = waybill_store_find_order (fixture->store, "L-1001", &error);
  g_assert_no_error (error);
  g_assert_nonnull (order);
  g_assert_cmpstr (waybill_order_get_customer (order), ==, "Ida Pfeiffer");
  g_assert_cmpuint (waybill_order_get_shipments (order)->len, ==, 1);
  shipment = waybill_order_get_primary_shipment (order);
  g_assert_cmpstr (waybill_shipment_get_tracking_number (shipment), ==, NUMBER);
  g_assert_cmpstr (waybill_shipment_get_carrier (shipment), ==, "ups");
  g_assert_cmpint (waybill_shipment_get_status (shipment), ==, WAYBILL_STATUS_DELIVERED);
  g_assert_nonnull (waybill_shipment_get_last_checked (shipment));
  g_assert_true (waybill_store_load_events (fixture->store, shipment, &error));
  g_assert_cmpuint (waybill_shipment_get_events (shipment)->len, >, 0);
  g_assert_cmpuint (fake_carrier_server_count (fixture->server, "/api/track/v1/details/"), ==, 1);

  /* The look-up is gone and the window shows the new order. */
  g_assert_null (find_toplevel (WAYBILL_TYPE_LOOKUP_WINDOW));
  assert_shows (fixture->window, "L-1001");
}

static void
test_cancel_editor_returns (Fixture       *fixture,
                            gconstpointer  data)
{
  WaybillLookupWindow *lookup;
  WaybillOrderEditor *editor;

  fake_response_fixture (fake_carrier_server_queue (fixture->server, NUMBER_PATH, 200), "ups/5-delivered.json");
  lookup = look_up (fixture, NUMBER);
  g_assert_nonnull (waybill_lookup_window_create_order (lookup));
  iterate (20);
  editor = find_toplevel (WAYBILL_TYPE_ORDER_EDITOR);
  g_assert_nonnull (editor);
  gtk_window_destroy (GTK_WINDOW (editor));
  iterate (50);
  /* Back to the answer; nothing stored. */
  g_assert_true (find_toplevel (WAYBILL_TYPE_LOOKUP_WINDOW) == lookup);
  g_assert_null (waybill_store_find_order (fixture->store, "L-1001", NULL));
  gtk_window_destroy (GTK_WINDOW (lookup));
  iterate (20);
}

static void
test_not_found (Fixture       *fixture,
                gconstpointer  data)
{
  WaybillLookupWindow *lookup;
  GtkStack *stack;

  fake_response_fixture (fake_carrier_server_queue (fixture->server, NUMBER_PATH, 200),
                         "ups/not-found-TW0001.json");
  lookup = look_up (fixture, NUMBER);
  stack = template_child (lookup, WAYBILL_TYPE_LOOKUP_WINDOW, "stack");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "error");
  assert_shows (lookup, "Nothing Found");
  assert_shows (lookup, "UPS does not know tracking number " NUMBER);
  save_screenshot (GTK_WIDGET (lookup), "lookup-not-found.png");
  gtk_window_destroy (GTK_WINDOW (lookup));
  iterate (20);

  /* A mistyped check digit is not even asked about. */
  lookup = look_up (fixture, "1Z999AA10123456785");
  assert_shows (lookup, "check digit is wrong");
  gtk_window_destroy (GTK_WINDOW (lookup));
  iterate (20);

  /* The credentials rejected, in words (asked twice: once more with a
   * new token). */
  fake_response_fixture (fake_carrier_server_queue (fixture->server, NUMBER_PATH, 401), "ups/error-250002.json");
  fake_response_fixture (fake_carrier_server_queue (fixture->server, NUMBER_PATH, 401), "ups/error-250002.json");
  lookup = look_up (fixture, NUMBER);
  assert_shows (lookup, "The Carrier Account Was Rejected");
  assert_shows (lookup, "Preferences");
  gtk_window_destroy (GTK_WINDOW (lookup));
  iterate (20);

  g_assert_cmpuint (fake_carrier_server_count (fixture->server, "/api/track/v1/details/"), ==, 3);
}

/* No answer at all: a refused connection. */
static void
test_network_error (Fixture       *fixture,
                    gconstpointer  data)
{
  WaybillLookupWindow *lookup;

  g_setenv ("WAYBILL_UPS_URL", "http://127.0.0.1:9", TRUE);
  /* The window's registry reads the origins when it is made: a new window. */
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  fixture->window = waybill_window_new (NULL, fixture->store, NULL);
  gtk_window_present (GTK_WINDOW (fixture->window));
  iterate (50);

  lookup = look_up (fixture, NUMBER);
  assert_shows (lookup, "No Connection");
  assert_shows (lookup, "Could not reach UPS");
  gtk_window_destroy (GTK_WINDOW (lookup));
  iterate (20);
}

/* A number an order has still jumps to the order, no look-up. */
static void
test_known_number_jumps (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(WaybillOrder) order = waybill_order_new ("K-1", "Known");
  g_autoptr(WaybillShipment) shipment = waybill_shipment_new ("ups", NUMBER);
  g_autoptr(GError) error = NULL;
  GtkWidget *entry;

  waybill_order_add_shipment (order, shipment);
  g_assert_true (waybill_store_create_order (fixture->store, order, &error));
  iterate (300);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.lookup", NULL);
  entry = gtk_widget_get_ancestor (gtk_window_get_focus (GTK_WINDOW (fixture->window)), GTK_TYPE_SEARCH_ENTRY);
  gtk_editable_set_text (GTK_EDITABLE (entry), NUMBER);
  g_signal_emit_by_name (entry, "activate");
  iterate (100);
  g_assert_null (find_toplevel (WAYBILL_TYPE_LOOKUP_WINDOW));

  /* A name no order has is no tracking number: nothing to ask about. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "Nobody Here");
  g_signal_emit_by_name (entry, "activate");
  iterate (100);
  g_assert_null (find_toplevel (WAYBILL_TYPE_LOOKUP_WINDOW));
  g_assert_cmpuint (fake_carrier_server_count (fixture->server, "/api/track/v1/details/"), ==, 0);
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

  ADD ("/waybill/lookup/create-order", test_create_order);
  ADD ("/waybill/lookup/cancel-editor-returns", test_cancel_editor_returns);
  ADD ("/waybill/lookup/not-found", test_not_found);
  ADD ("/waybill/lookup/network-error", test_network_error);
  ADD ("/waybill/lookup/known-number-jumps", test_known_number_jumps);

  return g_test_run ();
}
