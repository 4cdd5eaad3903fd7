/* test-accessibility.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ui-util.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "waybill-chart.h"
#include "waybill-demo.h"
#include "waybill-import-window.h"
#include "waybill-lookup-window.h"
#include "waybill-format.h"
#include "waybill-order-editor.h"
#include "waybill-order-row.h"
#include "waybill-preferences-window.h"
#include "waybill-store.h"
#include "waybill-window.h"

/* Every control has a name a screen reader can say, and the window reads
 * right with large text.
 *
 * The name check walks the widget trees of the main window (list and order
 * detail), the editor, the preferences and the look-up, and fails on any
 * control (by its accessible role) that has none.  GTK 4.8 has no getter
 * for the computed name, so the check asks the test AT backend
 * (GTK_A11Y=test) for what names a control: an accessible label or a
 * labelled-by relation set on it, or the text of the label inside a
 * button; a preferences row's title names the row.  An icon-only button
 * also needs a tooltip, for the people who see the icon.  Composite
 * widgets (a spin button, a drop-down, an entry row) are judged as one
 * control, not by the parts GTK builds inside them.  The negative cases
 * prove the check fails when a name is missing. */

static gboolean
is_control_role (GtkAccessibleRole role)
{
  switch (role)
    {
    case GTK_ACCESSIBLE_ROLE_BUTTON:
    case GTK_ACCESSIBLE_ROLE_CHECKBOX:
    case GTK_ACCESSIBLE_ROLE_COMBO_BOX:
    case GTK_ACCESSIBLE_ROLE_LINK:
    case GTK_ACCESSIBLE_ROLE_MENU_ITEM:
    case GTK_ACCESSIBLE_ROLE_MENU_ITEM_CHECKBOX:
    case GTK_ACCESSIBLE_ROLE_MENU_ITEM_RADIO:
    case GTK_ACCESSIBLE_ROLE_RADIO:
    case GTK_ACCESSIBLE_ROLE_SEARCH_BOX:
    case GTK_ACCESSIBLE_ROLE_SLIDER:
    case GTK_ACCESSIBLE_ROLE_SPIN_BUTTON:
    case GTK_ACCESSIBLE_ROLE_SWITCH:
    case GTK_ACCESSIBLE_ROLE_TEXT_BOX:
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
has_label_property (GtkWidget *widget)
{
  g_autofree char *value = NULL;

  if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL))
    return FALSE;

  /* Set, and not to nothing: the check returns the value when it differs. */
  value = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, "");
  return value != NULL;
}

static gboolean
has_name_of_its_own (GtkWidget *widget)
{
  return has_label_property (widget) ||
         gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
}

/* The text of a visible label inside @widget (a button's label), if any. */
static const char *
inner_label (GtkWidget *widget)
{
  if (!gtk_widget_get_visible (widget))
    return NULL;
  if (GTK_IS_LABEL (widget))
    {
      const char *text = gtk_label_get_text (GTK_LABEL (widget));

      return text != NULL && *text != '\0' ? text : NULL;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      const char *text = inner_label (c);

      if (text != NULL)
        return text;
    }

  return NULL;
}

/* Composite widgets: judged whole, their insides are GTK's. */
static gboolean
is_composite (GtkWidget *widget)
{
  return GTK_IS_SPIN_BUTTON (widget) || GTK_IS_DROP_DOWN (widget) || GTK_IS_SEARCH_ENTRY (widget) ||
         GTK_IS_MENU_BUTTON (widget) || GTK_IS_ENTRY (widget) || GTK_IS_PASSWORD_ENTRY (widget) ||
         ADW_IS_PREFERENCES_ROW (widget) || GTK_IS_WINDOW_CONTROLS (widget) ||
         GTK_IS_SCROLLBAR (widget) || ADW_IS_SPLIT_BUTTON (widget);
}

static char *
describe (GtkWidget *widget)
{
  GString *path = g_string_new (NULL);

  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
    {
      const char *name = gtk_widget_get_name (w);

      g_string_prepend (path, name != NULL && !g_str_equal (name, G_OBJECT_TYPE_NAME (w)) ? name
                                                                                           : G_OBJECT_TYPE_NAME (w));
      if (gtk_widget_get_parent (w) != NULL)
        g_string_prepend (path, " > ");
    }

  return g_string_free (path, FALSE);
}

/* Why @widget, a control, has no name; NULL when it has one. */
static const char *
missing_name (GtkWidget *widget)
{
  if (ADW_IS_PREFERENCES_ROW (widget))
    {
      const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget));

      /* The row is labelled by its title label, empty or not. */
      return (title != NULL && *title != '\0') || has_label_property (widget) ? NULL : "a row without a title";
    }

  if (GTK_IS_MENU_BUTTON (widget))
    {
      const char *label = gtk_menu_button_get_label (GTK_MENU_BUTTON (widget));

      if (label != NULL && *label != '\0')
        return NULL;
      if (!has_label_property (widget))
        return "an icon-only menu button without an accessible label";
      if (gtk_widget_get_tooltip_text (widget) == NULL)
        return "an icon-only menu button without a tooltip";
      return NULL;
    }

  /* A button is labelled by its child whatever that is (GTK sets the
   * relation to an icon too): only a label inside or a label property
   * names it. */
  if (GTK_IS_BUTTON (widget) && !GTK_IS_CHECK_BUTTON (widget))
    {
      if (inner_label (widget) != NULL)
        return NULL;
      if (!has_label_property (widget))
        return "an icon-only button without an accessible label";
      if (gtk_widget_get_tooltip_text (widget) == NULL)
        return "an icon-only button without a tooltip";
      return NULL;
    }

  if (GTK_IS_CHECK_BUTTON (widget))
    {
      const char *label = gtk_check_button_get_label (GTK_CHECK_BUTTON (widget));

      return (label != NULL && *label != '\0') || has_name_of_its_own (widget) ? NULL
                                                                                : "a check button without a label";
    }

  return has_name_of_its_own (widget) ? NULL : "a control without an accessible label";
}

static void
collect_unnamed (GtkWidget *widget,
                 GPtrArray *problems)
{
  GtkAccessibleRole role;

  if (!gtk_widget_get_visible (widget))
    return;

  /* Window controls (close, minimise) and scroll bars are GTK's, named
   * by GTK. */
  if (GTK_IS_WINDOW_CONTROLS (widget) || GTK_IS_SCROLLBAR (widget))
    return;

  role = gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget));
  if (is_control_role (role) || ADW_IS_PREFERENCES_ROW (widget) || GTK_IS_MENU_BUTTON (widget))
    {
      const char *why = missing_name (widget);

      if (why != NULL)
        {
          g_autofree char *where = describe (widget);

          g_ptr_array_add (problems, g_strdup_printf ("%s: %s", where, why));
        }
    }

  if (is_composite (widget) && !ADW_IS_PREFERENCES_ROW (widget))
    return;

  /* Into the rows too: their suffix buttons and switches are controls. */
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect_unnamed (c, problems);
}

static void
assert_all_named (GtkWidget *root)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);

  collect_unnamed (root, problems);
  if (problems->len > 0)
    {
      g_autoptr(GString) message = g_string_new (NULL);

      for (guint i = 0; i < problems->len; i++)
        g_string_append_printf (message, "\n  %s", (char *) g_ptr_array_index (problems, i));
      g_error ("%u controls without an accessible name in %s:%s", problems->len,
               G_OBJECT_TYPE_NAME (root), message->str);
    }
}

static guint
count_unnamed (GtkWidget *root)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);

  collect_unnamed (root, problems);
  return problems->len;
}

/* The check itself: it fails on each kind of missing name. */
static void
test_check_fails_without_names (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *icon_button = gtk_button_new_from_icon_name ("edit-delete-symbolic");
  GtkWidget *toggle = gtk_switch_new ();
  GtkWidget *menu = gtk_menu_button_new ();
  GtkWidget *labelled = gtk_button_new_with_label ("Delete");
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *row = adw_action_row_new ();

  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));
  gtk_box_append (GTK_BOX (box), labelled);
  g_assert_cmpuint (count_unnamed (window), ==, 0);

  /* An icon-only button: no name; a tooltip alone is not enough. */
  gtk_box_append (GTK_BOX (box), icon_button);
  g_assert_cmpuint (count_unnamed (window), ==, 1);
  gtk_widget_set_tooltip_text (icon_button, "Delete");
  g_assert_cmpuint (count_unnamed (window), ==, 1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon_button), GTK_ACCESSIBLE_PROPERTY_LABEL, "Delete", -1);
  g_assert_cmpuint (count_unnamed (window), ==, 0);

  /* The label alone, without a tooltip, leaves sighted people guessing. */
  gtk_widget_set_tooltip_text (icon_button, NULL);
  g_assert_cmpuint (count_unnamed (window), ==, 1);
  gtk_widget_set_tooltip_text (icon_button, "Delete");

  /* A switch with nothing to say what it switches. */
  gtk_box_append (GTK_BOX (box), toggle);
  g_assert_cmpuint (count_unnamed (window), ==, 1);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_RELATION_LABELLED_BY, labelled, NULL, -1);
  g_assert_cmpuint (count_unnamed (window), ==, 0);

  /* An icon-only menu button. */
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu), "open-menu-symbolic");
  gtk_box_append (GTK_BOX (box), menu);
  g_assert_cmpuint (count_unnamed (window), ==, 1);
  gtk_widget_set_tooltip_text (menu, "Main Menu");
  gtk_accessible_update_property (GTK_ACCESSIBLE (menu), GTK_ACCESSIBLE_PROPERTY_LABEL, "Main Menu", -1);
  g_assert_cmpuint (count_unnamed (window), ==, 0);

  /* A row without a title. */
  gtk_box_append (GTK_BOX (box), list);
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  g_assert_cmpuint (count_unnamed (window), ==, 1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), "Start at Login");
  g_assert_cmpuint (count_unnamed (window), ==, 0);

  /* A hidden control does not count. */
  {
    GtkWidget *hidden = gtk_button_new_from_icon_name ("list-add-symbolic");

    gtk_box_append (GTK_BOX (box), hidden);
    g_assert_cmpuint (count_unnamed (window), ==, 1);
    gtk_widget_set_visible (hidden, FALSE);
    g_assert_cmpuint (count_unnamed (window), ==, 0);
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

typedef struct
{
  char          *dir;
  WaybillStore  *store;
  WaybillWindow *window;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("waybill-a11y-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "waybill.db", NULL);
  fixture->store = waybill_store_open (path, &error);
  g_assert_no_error (error);
  waybill_demo_fill (fixture->store, 40, 1042, &error);
  g_assert_no_error (error);

  fixture->window = waybill_window_new (NULL, fixture->store, NULL);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1100, 720);
  gtk_window_present (GTK_WINDOW (fixture->window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
  iterate (100);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  gtk_window_destroy (GTK_WINDOW (fixture->window));
  iterate (50);
  g_clear_object (&fixture->store);
  dir = g_dir_open (fixture->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (fixture->dir, name, NULL);

      g_remove (child);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}

/* The order with the most to show: a problem, several events. */
static gint64
busy_order_id (Fixture *fixture)
{
  GListModel *orders = waybill_window_get_orders (fixture->window);
  gint64 best = 0;
  guint most = 0;

  for (guint i = 0; i < g_list_model_get_n_items (orders); i++)
    {
      g_autoptr(WaybillOrder) order = g_list_model_get_item (orders, i);
      g_autoptr(WaybillOrder) full = waybill_store_get_order (fixture->store, waybill_order_get_id (order), NULL);
      GPtrArray *shipments = waybill_order_get_shipments (full);
      guint n = 0;

      for (guint j = 0; j < shipments->len; j++)
        {
          waybill_store_load_events (fixture->store, g_ptr_array_index (shipments, j), NULL);
          n += waybill_shipment_get_events (g_ptr_array_index (shipments, j))->len + 1;
        }
      if (n > most)
        {
          most = n;
          best = waybill_order_get_id (order);
        }
    }

  return best;
}

static void
test_window_named (Fixture       *fixture,
                   gconstpointer  data)
{
  /* Nothing selected, then an order's detail. */
  assert_all_named (GTK_WIDGET (fixture->window));
  waybill_window_show_order_id (fixture->window, busy_order_id (fixture));
  iterate (100);
  assert_all_named (GTK_WIDGET (fixture->window));

  /* Narrow: the back button and the folded header. */
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 400, 720);
  iterate (200);
  assert_all_named (GTK_WIDGET (fixture->window));
}

static void
test_editor_named (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(WaybillOrder) order = waybill_store_get_order (fixture->store, busy_order_id (fixture), NULL);
  WaybillOrderEditor *editor;

  editor = waybill_order_editor_new (GTK_WINDOW (fixture->window), fixture->store, order);
  gtk_window_present (GTK_WINDOW (editor));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (editor));
  assert_all_named (GTK_WIDGET (editor));
  gtk_window_destroy (GTK_WINDOW (editor));

  editor = waybill_order_editor_new (GTK_WINDOW (fixture->window), fixture->store, NULL);
  gtk_window_present (GTK_WINDOW (editor));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (editor));
  assert_all_named (GTK_WIDGET (editor));
  gtk_window_destroy (GTK_WINDOW (editor));
  iterate (50);
}

static void
test_preferences_named (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GSettingsSchema) schema =
    g_settings_schema_source_lookup (g_settings_schema_source_get_default (), "io.github.waybill.Waybill", TRUE);
  g_autoptr(GSettings) settings = g_settings_new_full (schema, NULL, NULL);
  WaybillPreferencesWindow *prefs = waybill_preferences_window_new (GTK_WINDOW (fixture->window), settings);

  gtk_window_present (GTK_WINDOW (prefs));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (prefs));
  iterate (100);
  assert_all_named (GTK_WIDGET (prefs));
  gtk_window_destroy (GTK_WINDOW (prefs));
  iterate (50);
}

static void
test_lookup_named (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(WaybillTrackerRegistry) registry = waybill_tracker_registry_new (NULL);
  WaybillLookupWindow *lookup;

  /* Not a number of any carrier: answered at once, without asking. */
  lookup = waybill_lookup_window_new (GTK_WINDOW (fixture->window), fixture->store, registry, "hello");
  gtk_window_present (GTK_WINDOW (lookup));
  for (int i = 0; i < 100 && waybill_lookup_window_get_busy (lookup); i++)
    iterate (10);
  assert_all_named (GTK_WIDGET (lookup));
  gtk_window_destroy (GTK_WINDOW (lookup));
  iterate (50);
}

/* The import window: its preview, with a file that has bad rows, and the
 * mapping page for a CSV of no known shop (all pages are in its tree). */
static void
test_import_named (Fixture       *fixture,
                   gconstpointer  data)
{
  static const char * const files[] = { "bad-rows.csv", "custom.tsv" };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (TEST_SRCDIR, "data", "import", files[i], NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      WaybillImportWindow *window = waybill_import_window_new (GTK_WINDOW (fixture->window), fixture->store, file);

      gtk_window_present (GTK_WINDOW (window));
      gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
      iterate (500);
      assert_all_named (GTK_WIDGET (window));
      gtk_window_destroy (GTK_WINDOW (window));
      iterate (50);
    }
}

/* The keyboard shortcuts of #6 are bound on the window (Ctrl+Q and Ctrl+?
 * are the application's: see test-app-refresh). */
static void
test_window_shortcuts (Fixture       *fixture,
                       gconstpointer  data)
{
  static const struct { const char *trigger; const char *action; } wanted[] = {
    { "<Control>f", "win.search" },
    { "<Control>l", "win.lookup" },
    { "<Control>n", "win.new-order" },
    { "<Control>r", "win.refresh" },
    { "Delete", "order.archive" },
    { "<Shift>Delete", "order.delete" },
  };
  g_autoptr(GHashTable) bound = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (fixture->window));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);

          if (GTK_IS_NAMED_ACTION (action))
            g_hash_table_insert (bound, gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut)),
                                 g_strdup (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action))));
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (wanted); i++)
    g_assert_cmpstr (g_hash_table_lookup (bound, wanted[i].trigger), ==, wanted[i].action);
}

/* Labels a person should read whole that are cut short ("…"). */
static void
collect_ellipsized (GtkWidget *widget,
                    GPtrArray *cut)
{
  if (!gtk_widget_get_mapped (widget))
    return;

  if (GTK_IS_LABEL (widget) && gtk_label_get_ellipsize (GTK_LABEL (widget)) != PANGO_ELLIPSIZE_NONE &&
      pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (widget))))
    g_ptr_array_add (cut, g_strdup (gtk_label_get_text (GTK_LABEL (widget))));
  /* An order in the list draws its texts itself. */
  if (WAYBILL_IS_ORDER_ROW (widget) && waybill_order_row_get_cut_short (WAYBILL_ORDER_ROW (widget)))
    {
      g_auto(GStrv) texts = waybill_order_row_dup_texts (WAYBILL_ORDER_ROW (widget));

      g_ptr_array_add (cut, g_strjoinv (" / ", texts));
    }

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect_ellipsized (c, cut);
}

static GPtrArray *
ellipsized (GtkWidget *root)
{
  GPtrArray *cut = g_ptr_array_new_with_free_func (g_free);

  collect_ellipsized (root, cut);
  return cut;
}

static void
collect_rows (GtkWidget *widget,
              GPtrArray *rows)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (WAYBILL_IS_ORDER_ROW (widget))
    g_ptr_array_add (rows, widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect_rows (c, rows);
}

/* The order rows on screen. */
static GPtrArray *
order_rows (Fixture *fixture)
{
  GPtrArray *rows = g_ptr_array_new ();

  collect_rows (GTK_WIDGET (fixture->window), rows);
  return rows;
}

/* An order row draws its texts itself: its accessible name says all of
 * them, the number first. */
static void
test_order_rows_named (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GDateTime) now = waybill_format_now ();
  guint parcels = 0;

  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
  rows = order_rows (fixture);
  g_assert_cmpuint (rows->len, >, 5);

  for (guint i = 0; i < rows->len; i++)
    {
      WaybillOrderRow *row = g_ptr_array_index (rows, i);
      WaybillOrder *order = waybill_order_row_get_order (row);
      WaybillShipment *shipment = waybill_order_get_primary_shipment (order);
      g_autofree char *name = NULL;
      g_autofree char *line = waybill_format_order_line (order, now);

      g_assert_true (has_label_property (GTK_WIDGET (row)));
      name = gtk_test_accessible_check_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, "");
      g_assert_true (g_str_has_prefix (name, waybill_order_get_order_number (order)));
      g_assert_nonnull (strstr (name, waybill_order_get_customer (order)));
      g_assert_nonnull (strstr (name, waybill_status_get_label (waybill_order_get_display_status (order))));
      g_assert_nonnull (strstr (name, line));
      if (waybill_order_get_delayed (order))
        g_assert_nonnull (strstr (name, "Delayed"));
      else
        g_assert_null (strstr (name, "Delayed"));
      if (shipment != NULL)
        {
          g_assert_nonnull (strstr (name, waybill_shipment_get_tracking_number (shipment)));
          parcels++;
        }
    }
  g_assert_cmpuint (parcels, >, 0);
}

/* The check for texts cut short sees a row's own texts: a row narrower
 * than its order's texts is cut short, a wide one is not. */
static void
test_order_row_cut_short (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(WaybillOrder) order = waybill_store_get_order (fixture->store, busy_order_id (fixture), NULL);
  GtkWidget *window = gtk_window_new ();
  WaybillOrderRow *row = waybill_order_row_new ();
  int minimum, natural, narrow_height, wide_height;

  /* A window as narrow as it goes: the row gets less than its natural
   * width. */
  waybill_order_row_set_order (row, order);
  gtk_widget_measure (GTK_WIDGET (row), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  g_assert_cmpint (minimum, <, natural);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (row));
  gtk_window_set_default_size (GTK_WINDOW (window), 100, -1);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (window);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (row)), <, natural);
  g_assert_true (waybill_order_row_get_cut_short (row));
  narrow_height = gtk_widget_get_height (GTK_WIDGET (row));

  gtk_window_set_default_size (GTK_WINDOW (window), natural + 100, -1);
  iterate (200);
  gtk_test_widget_wait_for_draw (window);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (row)), >=, natural);
  g_assert_false (waybill_order_row_get_cut_short (row));
  wide_height = gtk_widget_get_height (GTK_WIDGET (row));
  /* Cut short, not wrapped: the same lines. */
  g_assert_cmpint (narrow_height, ==, wide_height);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
show_large (Fixture    *fixture,
            int         width,
            gboolean    dark,
            gboolean    detail,
            const char *shot)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  g_autoptr(GPtrArray) cut = NULL;

  AdwLeaflet *leaflet = ADW_LEAFLET (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                                    WAYBILL_TYPE_WINDOW, "leaflet"));
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  int last_width = -1;

  adw_style_manager_set_color_scheme (manager, dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_FORCE_LIGHT);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), width, 760);
  iterate (300);
  /* Until the window has its new size and the panes have stopped moving
   * (a busy machine draws late). */
  while (g_get_monotonic_time () < deadline &&
         (adw_leaflet_get_child_transition_running (leaflet) ||
          gtk_widget_get_width (GTK_WIDGET (fixture->window)) != last_width))
    {
      last_width = gtk_widget_get_width (GTK_WIDGET (fixture->window));
      iterate (200);
    }
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
  /* The order on screen: nothing in it drawn over anything else. */
  g_assert_true (gtk_widget_get_mapped (waybill_window_get_detail (fixture->window)) == detail);
  if (detail)
    assert_order_detail_apart (waybill_window_get_detail (fixture->window));
  save_screenshot (GTK_WIDGET (fixture->window), shot);

  /* Nothing on screen is cut short: what does not fit wraps. */
  cut = ellipsized (GTK_WIDGET (fixture->window));
  for (guint i = 0; i < cut->len; i++)
    g_test_message ("%s: cut short: %s", shot, (char *) g_ptr_array_index (cut, i));
  g_assert_cmpuint (cut->len, ==, 0);
}

/* Large Text (the accessibility setting scales the font by 1.25 to 1.5):
 * the window at 1.5×, light and dark, wide and narrow, with the order that
 * has the most to show.  No label on screen is ellipsized, and nothing in
 * the order's detail is drawn over anything else. */
static void
test_large_text (Fixture       *fixture,
                 gconstpointer  data)
{
  GtkSettings *settings = gtk_settings_get_default ();
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(WaybillOrder) first = NULL;
  int dpi = 0, height = 0;

  /* The rows lay out their texts themselves: they grow with the text. */
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
  rows = order_rows (fixture);
  g_assert_cmpuint (rows->len, >, 0);
  first = g_object_ref (waybill_order_row_get_order (g_ptr_array_index (rows, 0)));
  height = gtk_widget_get_height (g_ptr_array_index (rows, 0));

  g_object_get (settings, "gtk-xft-dpi", &dpi, NULL);
  g_object_set (settings, "gtk-xft-dpi", 96 * 1024 * 3 / 2, NULL);
  iterate (200);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = order_rows (fixture);
  g_assert_cmpuint (rows->len, >, 0);
  g_assert_true (waybill_order_row_get_order (g_ptr_array_index (rows, 0)) == first);
  g_assert_cmpint (gtk_widget_get_height (g_ptr_array_index (rows, 0)), >=, height * 13 / 10);

  waybill_window_show_order_id (fixture->window, busy_order_id (fixture));
  show_large (fixture, 1100, FALSE, TRUE, "large-text-wide.png");
  show_large (fixture, 1100, TRUE, TRUE, "large-text-wide-dark.png");
  show_large (fixture, 400, FALSE, TRUE, "large-text-narrow.png");
  show_large (fixture, 400, TRUE, TRUE, "large-text-narrow-dark.png");
  /* Narrow shows the detail; back to the list. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.search", NULL);
  show_large (fixture, 400, FALSE, FALSE, "large-text-narrow-list.png");

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  g_object_set (settings, "gtk-xft-dpi", dpi, NULL);
}

/* The columns of @texture's band [@y0, @y1) that hold ink, anything
 * unlike the background at the band's left edge; FALSE when none do. */
static gboolean
ink_columns (GdkTexture *texture,
             int         y0,
             int         y1,
             int        *first,
             int        *last)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  gsize stride = (gsize) width * 4;
  g_autofree guchar *pixels = g_malloc (stride * height);

  gdk_texture_download (texture, pixels, stride);
  *first = -1;
  *last = -1;
  for (int y = MAX (y0, 0); y < MIN (y1, height); y++)
    {
      const guint32 *line = (const guint32 *) (pixels + stride * y);

      for (int x = 0; x < width; x++)
        {
          guint32 a = line[x], b = line[0];
          int difference = 0;

          for (int shift = 0; shift < 32; shift += 8)
            difference = MAX (difference, ABS ((int) ((a >> shift) & 0xff) - (int) ((b >> shift) & 0xff)));
          if (difference < 48)
            continue;
          if (*first < 0 || x < *first)
            *first = x;
          if (x > *last)
            *last = x;
        }
    }

  return *first >= 0;
}

/* Where @row draws ink in its first line (the number and the customer)
 * and its last (the tracking number, short and alone), in columns of the
 * row, and where its status pill is. */
static void
row_extents (GtkWidget *row,
             int        line1[2],
             int        tracking[2],
             int        pill[2])
{
  g_autoptr(GdkTexture) texture = render_widget (row);
  int height = gtk_widget_get_height (row);
  GtkWidget *pill_widget = NULL;
  graphene_rect_t bounds;

  g_assert_true (ink_columns (texture, 2, height / 4, &line1[0], &line1[1]));
  g_assert_true (ink_columns (texture, height * 3 / 4, height - 2, &tracking[0], &tracking[1]));

  for (GtkWidget *c = gtk_widget_get_first_child (row); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (g_str_equal (G_OBJECT_TYPE_NAME (c), "WaybillStatusPill"))
      pill_widget = c;
  g_assert_nonnull (pill_widget);
  g_assert_true (gtk_widget_compute_bounds (pill_widget, row, &bounds));
  pill[0] = (int) bounds.origin.x;
  pill[1] = (int) (bounds.origin.x + bounds.size.width);
}

/* @order's row alone in a window 500 pixels wide, drawn in @direction:
 * where its texts and its pill are (row_extents()); nothing in it drawn
 * over anything else.  Returns the row's width. */
static int
measure_row (WaybillOrder     *order,
             GtkTextDirection  direction,
             int               line1[2],
             int               tracking[2],
             int               pill[2])
{
  GtkWidget *window = gtk_window_new ();
  WaybillOrderRow *row = waybill_order_row_new ();
  g_autofree char *misplaced = NULL;
  int width;

  gtk_widget_set_default_direction (direction);
  waybill_order_row_set_order (row, order);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (row));
  gtk_window_set_default_size (GTK_WINDOW (window), 500, -1);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (window);
  iterate (100);
  g_assert_cmpint (gtk_widget_get_direction (GTK_WIDGET (row)), ==, direction);

  width = gtk_widget_get_width (GTK_WIDGET (row));
  row_extents (GTK_WIDGET (row), line1, tracking, pill);
  g_test_message ("%s: line 1 %d-%d, tracking %d-%d, pill %d-%d of %d",
                  direction == GTK_TEXT_DIR_RTL ? "right to left" : "left to right",
                  line1[0], line1[1], tracking[0], tracking[1], pill[0], pill[1], width);
  misplaced = find_misplaced_child (GTK_WIDGET (row));
  g_assert_cmpstr (misplaced, ==, NULL);
  gtk_window_destroy (GTK_WINDOW (window));

  return width;
}

/* In the band [@y0, @y1) of @texture: the columns of coloured pixels (a
 * chart's bars) and of dark grey ones (text). */
static void
colour_and_text_columns (GdkTexture *texture,
                         int         y0,
                         int         y1,
                         int         colour[2],
                         int         text[2])
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  gsize stride = (gsize) width * 4;
  g_autofree guchar *pixels = g_malloc (stride * height);

  gdk_texture_download (texture, pixels, stride);
  colour[0] = colour[1] = text[0] = text[1] = -1;
  for (int y = MAX (y0, 0); y < MIN (y1, height); y++)
    for (int x = 0; x < width; x++)
      {
        const guchar *p = pixels + stride * y + 4 * x;
        int high = MAX (p[0], MAX (p[1], p[2])), low = MIN (p[0], MIN (p[1], p[2]));
        int *range;

        if (p[3] < 128)
          continue;
        if (high - low > 60)
          range = colour;
        else if (high < 128)
          range = text;
        else
          continue;
        if (range[0] < 0 || x < range[0])
          range[0] = x;
        range[1] = MAX (range[1], x);
      }
}

/* A chart of one full bar, "Delivered", in @direction: where its label
 * and its bar are drawn. */
static int
chart_extents (GtkTextDirection direction,
               int              bar[2],
               int              label[2])
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *chart = waybill_chart_new ();
  g_autoptr(GdkTexture) texture = NULL;
  double value = 10;
  int width;

  gtk_widget_set_default_direction (direction);
  waybill_chart_set_maximum (WAYBILL_CHART (chart), 10);
  waybill_chart_add_bar (WAYBILL_CHART (chart), "Delivered", &value, NULL);
  gtk_window_set_child (GTK_WINDOW (window), chart);
  gtk_window_set_default_size (GTK_WINDOW (window), 400, -1);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (window);
  iterate (100);

  width = gtk_widget_get_width (chart);
  texture = render_widget (chart);
  colour_and_text_columns (texture, 0, 28, bar, label);
  g_assert_cmpint (bar[0], >=, 0);
  g_assert_cmpint (label[0], >=, 0);
  gtk_window_destroy (GTK_WINDOW (window));

  return width;
}

/* Right-to-left languages: an order row draws its texts itself, so it is
 * checked to mirror, beside the same row left to right, with texts in
 * both directions: a Hebrew name and a Latin tracking number (Pango swaps
 * left and right alignment for a paragraph whose direction differs from
 * the window's); so is a chart of the insights.  Then the window: nothing
 * in the order's detail overlaps, and no text is cut short. */
static void
test_right_to_left (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(WaybillOrder) order = waybill_order_new ("WB-1042", "\xd7\x93\xd7\x95\xd7\x93 \xd7\x9b\xd7\x94\xd7\x9f");
  g_autoptr(WaybillShipment) shipment = waybill_shipment_new ("ups", "1Z999AA10123456784");
  g_autoptr(GPtrArray) cut = NULL;
  int line1[2], tracking[2], pill[2];
  int width;

  waybill_shipment_set_status (shipment, WAYBILL_STATUS_IN_TRANSIT);
  waybill_order_add_shipment (order, shipment);

  /* Left to right, as a control: each text starts at the left. */
  width = measure_row (order, GTK_TEXT_DIR_LTR, line1, tracking, pill);
  g_assert_cmpint (line1[0], <, width / 8);
  g_assert_cmpint (line1[1], <, width / 2);
  g_assert_cmpint (tracking[0], <, width / 8);
  g_assert_cmpint (tracking[1], <, width / 2);
  g_assert_cmpint (pill[0], <, width / 8);

  /* Right to left: the same, mirrored. */
  width = measure_row (order, GTK_TEXT_DIR_RTL, line1, tracking, pill);
  g_assert_cmpint (line1[0], >, width / 2);
  g_assert_cmpint (line1[1], >, width - width / 8);
  g_assert_cmpint (tracking[0], >, width / 2);
  g_assert_cmpint (tracking[1], >, width - width / 8);
  g_assert_cmpint (pill[1], >, width - width / 8);

  /* The insights' charts: labels on the right, bars growing leftwards. */
  {
    int bar[2], label[2], chart_width;

    chart_width = chart_extents (GTK_TEXT_DIR_LTR, bar, label);
    g_test_message ("chart left to right: label %d-%d, bar %d-%d of %d",
                    label[0], label[1], bar[0], bar[1], chart_width);
    g_assert_cmpint (label[0], <, 4);
    g_assert_cmpint (label[1], <, bar[0]);
    g_assert_cmpint (bar[1], >, chart_width - 20);

    chart_width = chart_extents (GTK_TEXT_DIR_RTL, bar, label);
    g_test_message ("chart right to left: label %d-%d, bar %d-%d of %d",
                    label[0], label[1], bar[0], bar[1], chart_width);
    g_assert_cmpint (label[1], >, chart_width - 4);
    g_assert_cmpint (label[0], >, bar[1]);
    g_assert_cmpint (bar[0], <, 20);
  }

  /* The whole window right to left, with the order that has the most. */
  iterate (100);
  waybill_window_show_order_id (fixture->window, busy_order_id (fixture));
  iterate (300);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
  assert_order_detail_apart (waybill_window_get_detail (fixture->window));
  save_screenshot (GTK_WIDGET (fixture->window), "right-to-left.png");
  cut = ellipsized (GTK_WIDGET (fixture->window));
  for (guint i = 0; i < cut->len; i++)
    g_test_message ("cut short: %s", (char *) g_ptr_array_index (cut, i));
  g_assert_cmpuint (cut->len, ==, 0);

  gtk_widget_set_default_direction (GTK_TEXT_DIR_LTR);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("TZ", "UTC", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  ui_test_load_app_style ();

  g_test_add_func ("/waybill/accessibility/check-fails-without-names", test_check_fails_without_names);
  g_test_add ("/waybill/accessibility/window", Fixture, NULL, fixture_set_up, test_window_named, fixture_tear_down);
  g_test_add ("/waybill/accessibility/editor", Fixture, NULL, fixture_set_up, test_editor_named, fixture_tear_down);
  g_test_add ("/waybill/accessibility/preferences", Fixture, NULL, fixture_set_up, test_preferences_named,
              fixture_tear_down);
  g_test_add ("/waybill/accessibility/import", Fixture, NULL, fixture_set_up, test_import_named, fixture_tear_down);
  g_test_add ("/waybill/accessibility/window-shortcuts", Fixture, NULL, fixture_set_up, test_window_shortcuts,
              fixture_tear_down);
  g_test_add ("/waybill/accessibility/order-rows", Fixture, NULL, fixture_set_up, test_order_rows_named,
              fixture_tear_down);
  g_test_add ("/waybill/accessibility/order-row-cut-short", Fixture, NULL, fixture_set_up,
              test_order_row_cut_short, fixture_tear_down);
  g_test_add ("/waybill/accessibility/large-text", Fixture, NULL, fixture_set_up, test_large_text,
              fixture_tear_down);
  g_test_add ("/waybill/accessibility/lookup", Fixture, NULL, fixture_set_up, test_lookup_named, fixture_tear_down);
  g_test_add ("/waybill/accessibility/right-to-left", Fixture, NULL, fixture_set_up, test_right_to_left,
              fixture_tear_down);

  return g_test_run ();
}
