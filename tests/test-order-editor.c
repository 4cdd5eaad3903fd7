/* test-order-editor.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ui-util.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "waybill-order-editor.h"
#include "waybill-store.h"
#include "test-util.h"

/* The order editor, driven as a person would: typing into its fields,
 * pressing its buttons, closing it.  What it wrote is checked with the
 * store's own calls.  With WAYBILL_SCREENSHOT_DIR set it also saves PNGs
 * of the editor with a recognised tracking number and with errors. */

#define UPS_NUMBER       "1Z999AA10123456784"
#define UPS_MISTYPED     "1Z999AA10123456785"
/* Fits FedEx Express and GLS, both with a correct check digit. */
#define AMBIGUOUS_NUMBER "719678094233"

typedef struct
{
  char         *dir;
  char         *path;
  WaybillStore *store;
  GtkWindow    *parent;
} Fixture;

static void
save_form_screenshot (GtkWidget  *widget,
                      const char *name)
{
  if (g_getenv ("WAYBILL_SCREENSHOT_DIR") == NULL)
    return;

  /* Tall enough to show the whole form. */
  gtk_window_set_default_size (GTK_WINDOW (gtk_widget_get_root (widget)), 600, 1000);
  save_screenshot (widget, name);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = test_make_tmp_dir ("editor");
  fixture->path = g_build_filename (fixture->dir, "waybill.db", NULL);
  fixture->store = test_open_store (fixture->path);

  fixture->parent = GTK_WINDOW (adw_window_new ());
  gtk_window_set_default_size (fixture->parent, 1000, 800);
  gtk_window_present (fixture->parent);
  iterate (50);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  /* The editors go with their parent. */
  gtk_window_destroy (fixture->parent);
  iterate (50);
  g_assert_finalize_object (fixture->store);
  remove_tree (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

/* Helpers */

static WaybillOrderEditor *
open_editor (Fixture      *fixture,
             WaybillOrder *order)
{
  WaybillOrderEditor *editor = waybill_order_editor_new (fixture->parent, fixture->store, order);

  gtk_window_present (GTK_WINDOW (editor));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (editor));

  return editor;
}

static gpointer
child (WaybillOrderEditor *editor,
       const char         *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (editor),
                                                   WAYBILL_TYPE_ORDER_EDITOR, name);

  g_assert_nonnull (object);
  return object;
}

static void
type (WaybillOrderEditor *editor,
      const char         *row,
      const char         *text)
{
  gtk_editable_set_text (GTK_EDITABLE (child (editor, row)), text);
  iterate (10);
}

static void
type_buffer (WaybillOrderEditor *editor,
             const char         *buffer,
             const char         *text)
{
  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (child (editor, buffer)), text, -1);
  iterate (10);
}

/* The text a person reads in a widget. */

static void
assert_shows (gpointer    widget,
              const char *needle)
{
  g_autofree char *text = widget_text (widget);

  if (strstr (text, needle) == NULL)
    g_error ("“%s” is not shown; the text is:\n%s", needle, text);
}

static void
assert_does_not_show (gpointer    widget,
                      const char *needle)
{
  g_autofree char *text = widget_text (widget);

  if (strstr (text, needle) != NULL)
    g_error ("“%s” is shown; the text is:\n%s", needle, text);
}

static const char *
selected_carrier_name (WaybillOrderEditor *editor)
{
  GtkStringObject *item = adw_combo_row_get_selected_item (child (editor, "carrier_row"));

  g_assert_nonnull (item);
  return gtk_string_object_get_string (item);
}

static void
select_carrier_name (WaybillOrderEditor *editor,
                     const char         *name)
{
  AdwComboRow *row = child (editor, "carrier_row");
  GListModel *model = adw_combo_row_get_model (row);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_str_equal (gtk_string_object_get_string (item), name))
        {
          adw_combo_row_set_selected (row, i);
          iterate (10);
          return;
        }
    }

  g_assert_not_reached ();
}

static gboolean
has_error (WaybillOrderEditor *editor,
           const char         *row)
{
  return gtk_widget_has_css_class (GTK_WIDGET (child (editor, row)), "error");
}

static gboolean
save_sensitive (WaybillOrderEditor *editor)
{
  return gtk_widget_get_sensitive (GTK_WIDGET (child (editor, "save_button")));
}

static void
click (WaybillOrderEditor *editor,
       const char         *button)
{
  GtkWidget *widget = child (editor, button);

  g_assert_true (gtk_widget_is_sensitive (widget));
  g_signal_emit_by_name (widget, "clicked");
  iterate (10);
}

static void
saved_cb (WaybillOrderEditor  *editor,
          WaybillOrder        *order,
          WaybillOrder       **out)
{
  g_assert_null (*out);
  *out = g_object_ref (order);
}

static AdwMessageDialog *
find_message_dialog (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();
  AdwMessageDialog *found = NULL;

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      {
        g_assert_null (found);
        found = l->data;
      }

  return found;
}

static gint64
count_orders (WaybillStore *store)
{
  WaybillOrderQuery query = WAYBILL_ORDER_QUERY_INIT;
  g_autoptr(GError) error = NULL;
  gint64 n = waybill_store_count_orders (store, &query, &error);

  g_assert_no_error (error);
  return n;
}

static WaybillOrder *
find_order (WaybillStore *store,
            const char   *number)
{
  g_autoptr(GError) error = NULL;
  WaybillOrder *order = waybill_store_find_order (store, number, &error);

  g_assert_no_error (error);
  return order;
}

static WaybillOrder *
make_order (Fixture    *fixture,
            const char *number,
            guint       n_shipments)
{
  static const char * const numbers[] = { "1Z999AA10123456784", "00340434161094042557" };
  static const char * const carriers[] = { "ups", "dhl-parcel-de" };
  g_autoptr(WaybillOrder) order = waybill_order_new (number, "Ada Lovelace");
  g_autoptr(GError) error = NULL;

  waybill_order_set_email (order, "ada@example.org");
  waybill_order_set_phone (order, "+44 20 7946 0000");
  waybill_order_set_address (order, "Ada Lovelace\n12 St James's Square\nLondon");
  waybill_order_set_items (order, "1 × Analytical Engine\n2 × Punch cards");
  waybill_order_set_note (order, "Fragile");
  for (guint i = 0; i < n_shipments; i++)
    {
      g_autoptr(WaybillShipment) shipment = waybill_shipment_new (carriers[i], numbers[i]);

      waybill_order_add_shipment (order, shipment);
    }
  waybill_store_create_order (fixture->store, order, &error);
  g_assert_no_error (error);

  return find_order (fixture->store, number);
}

/* Tests */

static void
test_new_order_saved (Fixture       *fixture,
                      gconstpointer  data)
{
  WaybillOrderEditor *editor = open_editor (fixture, NULL);
  g_autoptr(WaybillOrder) saved = NULL;
  g_autoptr(WaybillOrder) stored = NULL;
  WaybillShipment *shipment;

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (editor)), ==, "New Order");
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (editor)) == fixture->parent);
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (editor)));
  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
  g_signal_connect (editor, "saved", G_CALLBACK (saved_cb), &saved);

  type (editor, "number_row", "  W-2001 ");
  type (editor, "customer_row", "Grace Hopper");
  type (editor, "email_row", "grace@example.org");
  type (editor, "phone_row", "+1 555 0100");
  type_buffer (editor, "address_buffer", "Grace Hopper\n1 Navy Yard\nArlington, VA");
  type_buffer (editor, "items_buffer", "1 × Compiler");
  type (editor, "note_row", "Leave at the door");
  type (editor, "tracking_row", UPS_NUMBER);
  click (editor, "add_button");
  assert_shows (editor, "1Z999AA10123456784");
  g_assert_cmpstr (gtk_editable_get_text (child (editor, "tracking_row")), ==, "");

  g_assert_true (save_sensitive (editor));
  click (editor, "save_button");
  iterate (50);

  /* Saved, announced, and closed. */
  g_assert_null (editor);
  g_assert_nonnull (saved);
  g_assert_cmpint (waybill_order_get_id (saved), >, 0);
  g_assert_cmpstr (waybill_order_get_order_number (saved), ==, "W-2001");

  stored = find_order (fixture->store, "W-2001");
  g_assert_nonnull (stored);
  g_assert_cmpint (waybill_order_get_id (stored), ==, waybill_order_get_id (saved));
  g_assert_cmpstr (waybill_order_get_customer (stored), ==, "Grace Hopper");
  g_assert_cmpstr (waybill_order_get_email (stored), ==, "grace@example.org");
  g_assert_cmpstr (waybill_order_get_phone (stored), ==, "+1 555 0100");
  g_assert_cmpstr (waybill_order_get_address (stored), ==, "Grace Hopper\n1 Navy Yard\nArlington, VA");
  g_assert_cmpstr (waybill_order_get_items (stored), ==, "1 × Compiler");
  g_assert_cmpstr (waybill_order_get_note (stored), ==, "Leave at the door");
  g_assert_cmpuint (waybill_order_get_shipments (stored)->len, ==, 1);
  shipment = g_ptr_array_index (waybill_order_get_shipments (stored), 0);
  g_assert_cmpstr (waybill_shipment_get_carrier (shipment), ==, "ups");
  g_assert_cmpstr (waybill_shipment_get_tracking_number (shipment), ==, UPS_NUMBER);
}

static void
test_required_fields (Fixture       *fixture,
                      gconstpointer  data)
{
  WaybillOrderEditor *editor = open_editor (fixture, NULL);
  g_autoptr(WaybillOrder) saved = NULL;

  g_signal_connect (editor, "saved", G_CALLBACK (saved_cb), &saved);

  /* Empty: nothing to save, and no scolding before anything was typed. */
  g_assert_false (save_sensitive (editor));
  g_assert_false (waybill_order_editor_get_can_save (editor));
  g_assert_false (has_error (editor, "number_row"));
  g_assert_false (has_error (editor, "customer_row"));

  type (editor, "number_row", "W-3001");
  g_assert_false (save_sensitive (editor));
  type (editor, "customer_row", "   ");
  g_assert_false (save_sensitive (editor));

  /* Leaving a required field empty marks it. */
  gtk_widget_grab_focus (child (editor, "customer_row"));
  iterate (10);
  gtk_widget_grab_focus (child (editor, "email_row"));
  iterate (10);
  g_assert_true (has_error (editor, "customer_row"));
  assert_shows (child (editor, "customer_row"), "Required");

  type (editor, "customer_row", "Linus");
  g_assert_true (save_sensitive (editor));
  g_assert_false (has_error (editor, "customer_row"));

  /* A bad email keeps it from being saved, and says why once left. */
  type (editor, "email_row", "linus@localhost");
  g_assert_false (save_sensitive (editor));
  gtk_widget_grab_focus (child (editor, "phone_row"));
  iterate (10);
  g_assert_true (has_error (editor, "email_row"));
  assert_shows (child (editor, "email_row"), "Not a valid address");
  type (editor, "email_row", "linus@example.org");
  g_assert_true (save_sensitive (editor));
  g_assert_false (has_error (editor, "email_row"));

  /* Saving an incomplete form by keyboard (Ctrl+S) shows every problem. */
  type (editor, "number_row", "");
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  iterate (10);
  g_assert_true (has_error (editor, "number_row"));
  assert_shows (child (editor, "number_row"), "Required");
  g_assert_null (saved);
  g_assert_cmpint (count_orders (fixture->store), ==, 0);

  /* Enter in a field saves once it is complete. */
  type (editor, "number_row", "W-3001");
  g_signal_emit_by_name (child (editor, "note_row"), "entry-activated");
  iterate (20);
  g_assert_nonnull (saved);
  g_assert_cmpint (count_orders (fixture->store), ==, 1);
}

static void
test_ups_number (Fixture       *fixture,
                 gconstpointer  data)
{
  WaybillOrderEditor *editor = open_editor (fixture, NULL);
  GtkWidget *verdict = child (editor, "verdict_row");

  g_assert_false (gtk_widget_get_visible (verdict));
  g_assert_cmpstr (selected_carrier_name (editor), ==, "Unknown");

  type (editor, "number_row", "W-4001");
  type (editor, "customer_row", "Margaret Hamilton");
  type (editor, "email_row", "margaret@example.org");
  type_buffer (editor, "address_buffer", "Margaret Hamilton\n2101 NASA Parkway\nHouston, TX 77058");
  type_buffer (editor, "items_buffer", "1 × Guidance computer\n3 × Core rope memory");
  /* As printed on a label, with spaces and in lower case. */
  type (editor, "tracking_row", "1z 999 aa1 0123 4567 84");

  g_assert_true (gtk_widget_get_visible (verdict));
  assert_shows (verdict, "UPS · Check digit correct");
  g_assert_cmpstr (selected_carrier_name (editor), ==, "UPS");
  g_assert_false (has_error (editor, "tracking_row"));
  g_assert_true (gtk_widget_get_sensitive (child (editor, "add_button")));
  g_assert_false (gtk_widget_get_visible (child (editor, "keep_button")));

  gtk_widget_grab_focus (child (editor, "tracking_row"));
  gtk_editable_set_position (child (editor, "tracking_row"), -1);
  save_form_screenshot (GTK_WIDGET (editor), "editor-new.png");

  /* Enter adds it, normalised. */
  g_signal_emit_by_name (child (editor, "tracking_row"), "entry-activated");
  iterate (10);
  assert_shows (child (editor, "shipments_group"), UPS_NUMBER);
  assert_shows (child (editor, "shipments_group"), "UPS");
  g_assert_false (gtk_widget_get_visible (verdict));
  g_assert_cmpstr (selected_carrier_name (editor), ==, "Unknown");

  /* The same number again is refused. */
  type (editor, "tracking_row", UPS_NUMBER);
  assert_shows (verdict, "Already added to this order");
  g_assert_true (has_error (editor, "tracking_row"));
  g_assert_false (gtk_widget_get_sensitive (child (editor, "add_button")));
  g_assert_false (gtk_widget_get_visible (child (editor, "keep_button")));
}

static void
test_wrong_check_digit (Fixture       *fixture,
                        gconstpointer  data)
{
  WaybillOrderEditor *editor = open_editor (fixture, NULL);
  g_autoptr(WaybillOrder) saved = NULL;
  GtkWidget *verdict = child (editor, "verdict_row");

  g_signal_connect (editor, "saved", G_CALLBACK (saved_cb), &saved);
  type (editor, "number_row", "W-5001");
  type (editor, "customer_row", "Katherine Johnson");
  g_assert_true (save_sensitive (editor));

  type (editor, "tracking_row", UPS_MISTYPED);
  g_assert_true (has_error (editor, "tracking_row"));
  assert_shows (verdict, "Check digit wrong");
  assert_shows (verdict, "probably mistyped");
  g_assert_cmpstr (selected_carrier_name (editor), ==, "UPS");
  g_assert_false (gtk_widget_get_sensitive (child (editor, "add_button")));
  g_assert_true (gtk_widget_get_visible (child (editor, "keep_button")));
  /* Not saved with the order behind the person's back either. */
  g_assert_false (save_sensitive (editor));

  /* Enter does not add it... */
  g_signal_emit_by_name (child (editor, "tracking_row"), "entry-activated");
  iterate (10);
  assert_does_not_show (child (editor, "shipments_group"), UPS_MISTYPED);
  g_assert_cmpstr (gtk_editable_get_text (child (editor, "tracking_row")), ==, UPS_MISTYPED);

  /* ...a second, explicit confirmation does. */
  click (editor, "keep_button");
  assert_shows (child (editor, "shipments_group"), UPS_MISTYPED);
  g_assert_false (has_error (editor, "tracking_row"));
  g_assert_true (save_sensitive (editor));

  click (editor, "save_button");
  iterate (20);
  g_assert_nonnull (saved);
  g_assert_cmpuint (waybill_order_get_shipments (saved)->len, ==, 1);
  g_assert_cmpstr (waybill_shipment_get_tracking_number (g_ptr_array_index (waybill_order_get_shipments (saved), 0)),
                   ==, UPS_MISTYPED);
}

static void
test_ambiguous_number (Fixture       *fixture,
                       gconstpointer  data)
{
  WaybillOrderEditor *editor = open_editor (fixture, NULL);
  g_autoptr(WaybillOrder) saved = NULL;
  GtkWidget *verdict = child (editor, "verdict_row");
  WaybillShipment *shipment;

  g_signal_connect (editor, "saved", G_CALLBACK (saved_cb), &saved);
  type (editor, "number_row", "W-6001");
  type (editor, "customer_row", "Hedy Lamarr");

  /* The first carrier whose check digit holds is chosen... */
  type (editor, "tracking_row", AMBIGUOUS_NUMBER);
  g_assert_cmpstr (selected_carrier_name (editor), ==, "FedEx");
  assert_shows (verdict, "FedEx · Check digit correct");
  assert_shows (verdict, "Could also be GLS");
  g_assert_true (gtk_widget_get_sensitive (child (editor, "add_button")));

  /* ...and the person may choose the other; the number is checked again. */
  select_carrier_name (editor, "GLS");
  assert_shows (verdict, "GLS · Check digit correct");
  assert_shows (verdict, "Could also be FedEx");

  /* A carrier the number does not fit asks for confirmation. */
  select_carrier_name (editor, "Royal Mail");
  assert_shows (verdict, "Not a Royal Mail tracking number");
  g_assert_true (gtk_widget_get_visible (child (editor, "keep_button")));
  g_assert_false (gtk_widget_get_sensitive (child (editor, "add_button")));

  /* The choice holds while the number is edited. */
  select_carrier_name (editor, "GLS");
  {
    int position = -1;

    gtk_editable_insert_text (child (editor, "tracking_row"), " ", -1, &position);
    iterate (10);
  }
  g_assert_cmpstr (selected_carrier_name (editor), ==, "GLS");
  assert_shows (verdict, "GLS · Check digit correct");

  click (editor, "add_button");
  assert_shows (child (editor, "shipments_group"), "GLS");
  click (editor, "save_button");
  iterate (20);

  g_assert_nonnull (saved);
  g_assert_cmpuint (waybill_order_get_shipments (saved)->len, ==, 1);
  shipment = g_ptr_array_index (waybill_order_get_shipments (saved), 0);
  g_assert_cmpstr (waybill_shipment_get_carrier (shipment), ==, "gls");
  g_assert_cmpstr (waybill_shipment_get_tracking_number (shipment), ==, AMBIGUOUS_NUMBER);
}

static void
test_pending_number_saved (Fixture       *fixture,
                           gconstpointer  data)
{
  WaybillOrderEditor *editor = open_editor (fixture, NULL);
  g_autoptr(WaybillOrder) saved = NULL;

  /* A good number typed but not added goes with the order. */
  g_signal_connect (editor, "saved", G_CALLBACK (saved_cb), &saved);
  type (editor, "number_row", "W-6501");
  type (editor, "customer_row", "Alan Turing");
  type (editor, "tracking_row", UPS_NUMBER);
  g_assert_true (waybill_order_editor_save (editor));
  iterate (20);
  g_assert_nonnull (saved);
  g_assert_cmpuint (waybill_order_get_shipments (saved)->len, ==, 1);
}

static void
test_duplicate_order_number (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(WaybillOrder) existing = make_order (fixture, "W-7001", 0);
  WaybillOrderEditor *editor = open_editor (fixture, NULL);
  g_autoptr(WaybillOrder) saved = NULL;

  g_assert_cmpstr (waybill_order_get_order_number (existing), ==, "W-7001");
  g_signal_connect (editor, "saved", G_CALLBACK (saved_cb), &saved);
  type (editor, "number_row", "W-7001");
  type (editor, "customer_row", "Someone Else");
  type (editor, "email_row", "someone@example.org");
  type (editor, "tracking_row", UPS_MISTYPED);
  click (editor, "keep_button");
  g_assert_true (save_sensitive (editor));

  click (editor, "save_button");
  iterate (20);

  /* Nothing written, the editor stays, and the field says why. */
  g_assert_null (saved);
  g_assert_cmpint (count_orders (fixture->store), ==, 1);
  g_assert_true (has_error (editor, "number_row"));
  assert_shows (child (editor, "number_row"), "Already used");
  g_assert_false (save_sensitive (editor));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (editor)));

  /* Show a mistyped number and a bad email too, for the screenshot. */
  type (editor, "email_row", "someone@example");
  gtk_widget_grab_focus (child (editor, "email_row"));
  iterate (10);
  gtk_widget_grab_focus (child (editor, "tracking_row"));
  type (editor, "tracking_row", "1Z999AA10123456780");
  gtk_editable_set_position (child (editor, "tracking_row"), -1);
  iterate (10);
  g_assert_true (has_error (editor, "email_row"));
  save_form_screenshot (GTK_WIDGET (editor), "editor-error.png");

  /* Fixing the number clears the error, and saving works. */
  type (editor, "tracking_row", "");
  type (editor, "email_row", "someone@example.org");
  type (editor, "number_row", "W-7002");
  g_assert_false (has_error (editor, "number_row"));
  g_assert_true (save_sensitive (editor));
  click (editor, "save_button");
  iterate (20);
  g_assert_nonnull (saved);
  g_assert_cmpint (count_orders (fixture->store), ==, 2);
  /* The shipment kept before the failed attempt is saved once. */
  g_assert_cmpuint (waybill_order_get_shipments (saved)->len, ==, 1);
}

static void
test_edit_changes_only_what_changed (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autoptr(WaybillOrder) order = make_order (fixture, "W-8001", 2);
  g_autoptr(WaybillOrder) saved = NULL;
  g_autoptr(WaybillOrder) meanwhile = NULL;
  g_autoptr(WaybillOrder) stored = NULL;
  g_autoptr(WaybillStore) other = NULL;
  g_autoptr(GError) error = NULL;
  WaybillOrderEditor *editor = open_editor (fixture, order);

  g_signal_connect (editor, "saved", G_CALLBACK (saved_cb), &saved);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (editor)), ==, "Edit Order");
  g_assert_cmpstr (gtk_editable_get_text (child (editor, "number_row")), ==, "W-8001");
  g_assert_cmpstr (gtk_editable_get_text (child (editor, "email_row")), ==, "ada@example.org");
  assert_shows (child (editor, "shipments_group"), "1Z999AA10123456784");
  assert_shows (child (editor, "shipments_group"), "00340434161094042557");
  g_assert_false (waybill_order_editor_get_modified (editor));
  g_assert_cmpint (waybill_order_editor_get_order_id (editor), ==, waybill_order_get_id (order));

  /* Meanwhile another process changes the note. */
  other = waybill_store_open (fixture->path, &error);
  g_assert_no_error (error);
  meanwhile = waybill_store_get_order (other, waybill_order_get_id (order), &error);
  g_assert_no_error (error);
  waybill_order_set_note (meanwhile, "Fragile: handle with care");
  waybill_store_update_order (other, meanwhile, &error);
  g_assert_no_error (error);

  type (editor, "phone_row", "+44 20 7946 0999");
  g_assert_true (waybill_order_editor_get_modified (editor));
  g_signal_emit_by_name (child (editor, "phone_row"), "entry-activated");
  iterate (20);
  g_assert_nonnull (saved);

  stored = waybill_store_get_order (fixture->store, waybill_order_get_id (order), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (waybill_order_get_phone (stored), ==, "+44 20 7946 0999");
  /* What was not touched here is as it was, or as the other process left it. */
  g_assert_cmpstr (waybill_order_get_order_number (stored), ==, "W-8001");
  g_assert_cmpstr (waybill_order_get_customer (stored), ==, "Ada Lovelace");
  g_assert_cmpstr (waybill_order_get_email (stored), ==, "ada@example.org");
  g_assert_cmpstr (waybill_order_get_address (stored), ==, "Ada Lovelace\n12 St James's Square\nLondon");
  g_assert_cmpstr (waybill_order_get_items (stored), ==, "1 × Analytical Engine\n2 × Punch cards");
  g_assert_cmpstr (waybill_order_get_note (stored), ==, "Fragile: handle with care");
  g_assert_cmpuint (waybill_order_get_shipments (stored)->len, ==, 2);
}

static void
count_cb (guint *counter)
{
  (*counter)++;
}

static void
test_unchanged_edit_writes_nothing (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(WaybillOrder) order = make_order (fixture, "W-8501", 1);
  g_autoptr(WaybillOrder) saved = NULL;
  WaybillOrderEditor *editor = open_editor (fixture, order);
  guint n_changes = 0;

  g_signal_connect (editor, "saved", G_CALLBACK (saved_cb), &saved);
  g_signal_connect_swapped (fixture->store, "changed", G_CALLBACK (count_cb), &n_changes);
  g_assert_true (save_sensitive (editor));
  click (editor, "save_button");
  iterate (20);
  g_assert_nonnull (saved);
  g_assert_cmpint (waybill_order_get_id (saved), ==, waybill_order_get_id (order));
  g_assert_cmpuint (n_changes, ==, 0);
  g_signal_handlers_disconnect_by_func (fixture->store, count_cb, &n_changes);
}

static void
test_close_with_changes_asks (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(WaybillOrder) order = make_order (fixture, "W-9001", 1);
  g_autoptr(WaybillOrder) stored = NULL;
  WaybillOrderEditor *editor = open_editor (fixture, order);
  AdwMessageDialog *dialog;

  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);

  /* Nothing changed: no dialog. */
  g_assert_null (find_message_dialog ());

  type (editor, "customer_row", "Ada King");
  type_buffer (editor, "items_buffer", "Nothing");

  /* The close button asks first; Cancel keeps editing. */
  gtk_window_close (GTK_WINDOW (editor));
  iterate (50);
  g_assert_nonnull (editor);
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Discard Changes?");
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (editor));
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "discard"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);
  g_assert_cmpstr (adw_message_dialog_get_close_response (dialog), ==, "cancel");
  gtk_window_close (GTK_WINDOW (dialog));
  iterate (50);
  g_assert_nonnull (editor);
  g_assert_null (find_message_dialog ());

  /* Escape asks too; Discard closes without saving. */
  gtk_widget_activate_action (GTK_WIDGET (editor), "window.close", NULL);
  iterate (50);
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "discard");
  iterate (50);
  g_assert_null (editor);
  g_assert_null (find_message_dialog ());

  stored = find_order (fixture->store, "W-9001");
  g_assert_cmpstr (waybill_order_get_customer (stored), ==, "Ada Lovelace");
  g_assert_cmpstr (waybill_order_get_items (stored), ==, "1 × Analytical Engine\n2 × Punch cards");
}

static void
test_close_without_changes (Fixture       *fixture,
                            gconstpointer  data)
{
  WaybillOrderEditor *editor = open_editor (fixture, NULL);

  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);

  /* Typing and taking it back is no change. */
  type (editor, "customer_row", "Somebody");
  type (editor, "customer_row", "");
  g_assert_false (waybill_order_editor_get_modified (editor));

  click (editor, "cancel_button");
  iterate (50);
  g_assert_null (editor);
  g_assert_null (find_message_dialog ());

  /* A new order with only a tracking number typed asks. */
  editor = open_editor (fixture, NULL);
  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
  type (editor, "tracking_row", UPS_NUMBER);
  g_assert_true (waybill_order_editor_get_modified (editor));
  gtk_window_close (GTK_WINDOW (editor));
  iterate (50);
  g_assert_nonnull (editor);
  g_assert_nonnull (find_message_dialog ());
  adw_message_dialog_response (find_message_dialog (), "discard");
  iterate (50);
  g_assert_null (editor);
  g_assert_cmpint (count_orders (fixture->store), ==, 0);
}

static GtkWidget *
find_remove_button (GtkWidget  *widget,
                    const char *number)
{
  if (GTK_IS_BUTTON (widget) &&
      g_strcmp0 (gtk_widget_get_tooltip_text (widget), "Remove Shipment") == 0)
    {
      GtkWidget *row = gtk_widget_get_ancestor (widget, ADW_TYPE_ACTION_ROW);

      if (g_strcmp0 (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), number) == 0)
        return widget;
    }

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_remove_button (c, number);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
test_remove_shipment (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(WaybillOrder) order = make_order (fixture, "W-9501", 2);
  g_autoptr(WaybillOrder) saved = NULL;
  g_autoptr(WaybillOrder) stored = NULL;
  WaybillOrderEditor *editor = open_editor (fixture, order);
  GtkWidget *button;
  WaybillShipment *left;

  g_signal_connect (editor, "saved", G_CALLBACK (saved_cb), &saved);

  button = find_remove_button (child (editor, "shipments_group"), "1Z999AA10123456784");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  iterate (10);
  assert_does_not_show (child (editor, "shipments_group"), "1Z999AA10123456784");
  g_assert_true (waybill_order_editor_get_modified (editor));

  /* Not before Save... */
  stored = find_order (fixture->store, "W-9501");
  g_assert_cmpuint (waybill_order_get_shipments (stored)->len, ==, 2);
  g_clear_object (&stored);

  /* ...and a number added and removed again leaves no trace. */
  type (editor, "tracking_row", AMBIGUOUS_NUMBER);
  click (editor, "add_button");
  button = find_remove_button (child (editor, "shipments_group"), AMBIGUOUS_NUMBER);
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  iterate (10);

  click (editor, "save_button");
  iterate (20);
  g_assert_nonnull (saved);

  stored = find_order (fixture->store, "W-9501");
  g_assert_cmpuint (waybill_order_get_shipments (stored)->len, ==, 1);
  left = g_ptr_array_index (waybill_order_get_shipments (stored), 0);
  g_assert_cmpstr (waybill_shipment_get_tracking_number (left), ==, "00340434161094042557");
}

static void
test_accessible_names (Fixture       *fixture,
                       gconstpointer  data)
{
  WaybillOrderEditor *editor = open_editor (fixture, NULL);
  GtkWidget *address = child (editor, "address_view");
  GtkWidget *items = child (editor, "items_view");

  /* The multi-line fields are named by their visible labels. */
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (gtk_widget_get_prev_sibling (address))), ==, "Address");
  gtk_test_accessible_assert_relation (address, GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                       gtk_widget_get_prev_sibling (address), NULL);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (gtk_widget_get_prev_sibling (items))), ==, "Items");
  gtk_test_accessible_assert_relation (items, GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                       gtk_widget_get_prev_sibling (items), NULL);

  /* An error is also told to assistive technologies. */
  type (editor, "number_row", "x");
  type (editor, "number_row", "");
  waybill_order_editor_save (editor);
  gtk_test_accessible_assert_state (child (editor, "number_row"), GTK_ACCESSIBLE_STATE_INVALID,
                                    GTK_ACCESSIBLE_INVALID_TRUE);
  gtk_test_accessible_assert_property (child (editor, "number_row"),
                                       GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, "Required");
  gtk_window_destroy (GTK_WINDOW (editor));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("TZ", "UTC", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/waybill/order-editor/new-order-saved", test_new_order_saved);
  ADD ("/waybill/order-editor/required-fields", test_required_fields);
  ADD ("/waybill/order-editor/ups-number", test_ups_number);
  ADD ("/waybill/order-editor/wrong-check-digit", test_wrong_check_digit);
  ADD ("/waybill/order-editor/ambiguous-number", test_ambiguous_number);
  ADD ("/waybill/order-editor/pending-number-saved", test_pending_number_saved);
  ADD ("/waybill/order-editor/duplicate-order-number", test_duplicate_order_number);
  ADD ("/waybill/order-editor/edit-changes-only-what-changed", test_edit_changes_only_what_changed);
  ADD ("/waybill/order-editor/unchanged-edit-writes-nothing", test_unchanged_edit_writes_nothing);
  ADD ("/waybill/order-editor/close-with-changes-asks", test_close_with_changes_asks);
  ADD ("/waybill/order-editor/close-without-changes", test_close_without_changes);
  ADD ("/waybill/order-editor/remove-shipment", test_remove_shipment);
  ADD ("/waybill/order-editor/accessible-names", test_accessible_names);

  return g_test_run ();
}
