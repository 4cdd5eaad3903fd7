/* waybill-import-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-import-window"

#include "config.h"

#include <glib/gi18n.h>

#include "waybill-format.h"
#include "waybill-import-window.h"
#include "waybill-import.h"

/* The import window: a modal window that brings the orders of one file
 * into Waybill, in steps on the pages of a stack.
 *
 *  1. The start of the file is read to tell its format.  A CSV of no known
 *     format goes to the mapping page first, where each field gets its
 *     column.
 *  2. A dry run reads the whole file and fills the preview: the format,
 *     the first orders, what would change, the bad rows and the conflicts
 *     with the user's own edits.  Nothing is written yet.
 *  3. Import runs the import for real, in a thread, with a progress bar.
 *     It is one transaction: cancelled, it writes nothing.
 *  4. The summary says what was done, or the error page why nothing was.
 *
 * Both runs go through the importer's async call, which reads the file in
 * a thread with its own connection to the database, so a large file never
 * blocks the window.  The runs hold the window weakly: a window destroyed
 * (with its parent, say) goes at once, and cancels what still runs. */

/* How many orders the preview shows, and how many bad rows and conflicts
 * are listed: beyond that, the counts say the rest. */
#define PREVIEW_ORDERS 5
#define MAX_LISTED     50
/* Values from the file are cut to this many characters in the rows. */
#define MAX_VALUE_CHARS 120

typedef enum
{
  STATE_INSPECTING,
  STATE_MAPPING,
  STATE_CHECKING,
  STATE_PREVIEW,
  STATE_IMPORTING,
  STATE_DONE,
} State;

struct _WaybillImportWindow
{
  AdwWindow            parent_instance;

  WaybillStore        *store;
  GFile               *file;
  WaybillImporter     *importer;
  GCancellable        *cancellable;
  State                state;
  gboolean             disposed;

  /* The header row, for the mapping page; NULL for a JSON export. */
  char               **columns;
  WaybillImportFormat  detected;
  GtkStringList       *column_model;
  AdwComboRow         *mapping_rows[WAYBILL_N_IMPORT_FIELDS];

  /* The dry run shown on the preview page. */
  WaybillImportResult *preview;
  /* The rows made for it, removed when it is shown again. */
  GPtrArray           *preview_rows;
  /* The "kept" label of each listed conflict. */
  GPtrArray           *kept_labels;

  /* Template widgets */
  AdwWindowTitle      *window_title;
  GtkWidget           *cancel_button;
  GtkWidget           *import_button;
  GtkWidget           *import_good_button;
  GtkWidget           *continue_button;
  GtkWidget           *close_button;
  GtkStack            *stack;
  GtkLabel            *progress_title;
  GtkProgressBar      *progress_bar;
  GtkLabel            *progress_detail;
  AdwPreferencesPage  *preview_page;
  AdwActionRow        *format_row;
  GtkWidget           *mapping_button;
  AdwPreferencesGroup *counts_group;
  GtkLabel            *new_orders_label;
  GtkLabel            *updated_orders_label;
  GtkLabel            *unchanged_orders_label;
  GtkLabel            *new_shipments_label;
  AdwPreferencesGroup *orders_group;
  AdwPreferencesGroup *bad_rows_group;
  AdwPreferencesGroup *conflicts_group;
  GtkSwitch           *overwrite_switch;
  AdwPreferencesPage  *mapping_page;
  AdwPreferencesGroup *mapping_group;
  GtkLabel            *mapping_error;
  AdwStatusPage       *summary_page;
  AdwStatusPage       *error_page;
};

G_DEFINE_FINAL_TYPE (WaybillImportWindow, waybill_import_window, ADW_TYPE_WINDOW)

enum {
  IMPORTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Text */

/* The fields of the mapping page, in the order of WaybillImportField. */
static const char * const field_titles[] = {
  [WAYBILL_IMPORT_FIELD_ORDER_NUMBER] = N_("Order Number"),
  [WAYBILL_IMPORT_FIELD_CUSTOMER] = N_("Customer"),
  [WAYBILL_IMPORT_FIELD_EMAIL] = N_("Email"),
  [WAYBILL_IMPORT_FIELD_PHONE] = N_("Phone"),
  [WAYBILL_IMPORT_FIELD_ADDRESS] = N_("Address"),
  [WAYBILL_IMPORT_FIELD_ITEMS] = N_("Items"),
  [WAYBILL_IMPORT_FIELD_TOTAL] = N_("Total"),
  [WAYBILL_IMPORT_FIELD_CURRENCY] = N_("Currency"),
  [WAYBILL_IMPORT_FIELD_CREATED] = N_("Order Date"),
  [WAYBILL_IMPORT_FIELD_TRACKING_NUMBER] = N_("Tracking Number"),
  [WAYBILL_IMPORT_FIELD_CARRIER] = N_("Carrier"),
  [WAYBILL_IMPORT_FIELD_NOTE] = N_("Note"),
};

G_STATIC_ASSERT (G_N_ELEMENTS (field_titles) == WAYBILL_N_IMPORT_FIELDS);

/* Column names that usually hold a field, folded as by fold_name(): the
 * mapping page starts with these chosen, for the person to check. */
static const char * const field_guesses[][10] = {
  [WAYBILL_IMPORT_FIELD_ORDER_NUMBER] = { "ordernumber", "order", "orderid", "orderno", "ordernr",
                                          "number", "ref", "reference", "id", NULL },
  [WAYBILL_IMPORT_FIELD_CUSTOMER] = { "customer", "customername", "name", "fullname", "client",
                                      "buyer", "recipient", NULL },
  [WAYBILL_IMPORT_FIELD_EMAIL] = { "email", "emailaddress", "mail", NULL },
  [WAYBILL_IMPORT_FIELD_PHONE] = { "phone", "phonenumber", "telephone", "tel", "mobile", NULL },
  [WAYBILL_IMPORT_FIELD_ADDRESS] = { "address", "shippingaddress", "deliveryaddress", NULL },
  [WAYBILL_IMPORT_FIELD_ITEMS] = { "items", "item", "products", "product", "lineitems", NULL },
  [WAYBILL_IMPORT_FIELD_TOTAL] = { "total", "ordertotal", "amount", "price", "sum", NULL },
  [WAYBILL_IMPORT_FIELD_CURRENCY] = { "currency", NULL },
  [WAYBILL_IMPORT_FIELD_CREATED] = { "created", "createdat", "date", "orderdate", "placedon",
                                     "placed", NULL },
  [WAYBILL_IMPORT_FIELD_TRACKING_NUMBER] = { "trackingnumber", "tracking", "trackingno",
                                             "trackingcode", "parcel", "parcelnumber", NULL },
  [WAYBILL_IMPORT_FIELD_CARRIER] = { "carrier", "shipper", "courier", "shippingcarrier",
                                     "trackingcompany", NULL },
  [WAYBILL_IMPORT_FIELD_NOTE] = { "note", "notes", "comment", "comments", "remarks", NULL },
};

G_STATIC_ASSERT (G_N_ELEMENTS (field_guesses) == WAYBILL_N_IMPORT_FIELDS);

static gboolean
is_required (WaybillImportField field)
{
  return field == WAYBILL_IMPORT_FIELD_ORDER_NUMBER || field == WAYBILL_IMPORT_FIELD_CUSTOMER;
}

/* The words for a conflict's field id (see WaybillImportConflict). */
static const char *
conflict_field_title (const char *id)
{
  static const struct
  {
    const char *id;
    const char *title;
  } titles[] = {
    { "customer", N_("Customer") },
    { "email", N_("Email") },
    { "phone", N_("Phone") },
    { "address", N_("Address") },
    { "items", N_("Items") },
    { "total", N_("Total") },
    { "currency", N_("Currency") },
    { "note", N_("Note") },
    { "stage", N_("Stage") },
    { "archived", N_("Archived") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    if (g_strcmp0 (id, titles[i].id) == 0)
      return _(titles[i].title);

  return id;
}

/* Lower case, letters and digits only: "E-mail" and "email" match. */
static char *
fold_name (const char *name)
{
  g_autofree char *folded = g_utf8_casefold (name, -1);
  GString *out = g_string_new (NULL);

  for (const char *p = folded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c))
        g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

/* A value from the file on one line, and not too long for a row. */
static char *
shorten (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text != NULL ? text : "", "\n", -1);
  g_autofree char *joined = g_strstrip (g_strjoinv (" / ", lines));

  if (g_utf8_strlen (joined, -1) <= MAX_VALUE_CHARS)
    return g_steal_pointer (&joined);

  {
    g_autofree char *cut = g_utf8_substring (joined, 0, MAX_VALUE_CHARS - 1);

    return g_strconcat (cut, "…", NULL);
  }
}

static char *
shorten_or_empty (const char *text)
{
  if (text == NULL || *text == '\0')
    return g_strdup (_("(empty)"));

  return shorten (text);
}

/* An error in plain words; the importer's own messages already are. */
static char *
describe_error (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    return g_strdup (_("The file does not exist any more."));
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
    return g_strdup (_("You are not allowed to read this file."));
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY))
    return g_strdup (_("This is a folder, not a file."));

  return g_strdup (error->message);
}

static gboolean
has_changes (WaybillImportResult *result,
             gboolean             overwrite)
{
  return result->orders_new > 0 || result->orders_updated > 0 || result->shipments_new > 0 ||
         (overwrite && result->n_conflicts > 0);
}

/* Whether the import took the file's values over the user's. */
static gboolean
conflicts_overwritten (WaybillImportResult *result)
{
  WaybillImportConflict *first;

  if (result->conflicts->len == 0)
    return FALSE;

  first = g_ptr_array_index (result->conflicts, 0);
  return first->overwritten;
}

/* Whether a finished import changed anything in the store. */
static gboolean
wrote_changes (WaybillImportResult *result)
{
  return result->written && !result->dry_run &&
         (has_changes (result, FALSE) || conflicts_overwritten (result));
}

/* The user data of a run: the window, weakly. */
static gpointer
weak_self (WaybillImportWindow *self)
{
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  g_weak_ref_init (ref, self);

  return ref;
}

/* Returns: (transfer full) (nullable): the window, unless it is gone */
static WaybillImportWindow *
take_weak_self (gpointer user_data)
{
  GWeakRef *ref = user_data;
  WaybillImportWindow *self = g_weak_ref_get (ref);

  g_weak_ref_clear (ref);
  g_free (ref);

  if (self != NULL && self->disposed)
    g_clear_object (&self);

  return self;
}

/* Pages and buttons */

static void
show_page (WaybillImportWindow *self,
           const char          *name)
{
  gboolean preview = g_str_equal (name, "preview");
  gboolean mapping = g_str_equal (name, "mapping");
  gboolean finished = g_str_equal (name, "summary") || g_str_equal (name, "error");
  gboolean bad_rows = preview && self->preview->n_rows_bad > 0;
  GtkWidget *default_widget = NULL;

  gtk_widget_set_visible (self->cancel_button, !finished);
  gtk_widget_set_sensitive (self->cancel_button, TRUE);
  gtk_widget_set_visible (self->import_button, preview && !bad_rows);
  gtk_widget_set_visible (self->import_good_button, bad_rows);
  gtk_widget_set_visible (self->continue_button, mapping);
  gtk_widget_set_visible (self->close_button, finished);

  if (preview)
    default_widget = bad_rows ? self->import_good_button : self->import_button;
  else if (mapping)
    default_widget = self->continue_button;
  else if (finished)
    default_widget = self->close_button;

  gtk_stack_set_visible_child_name (self->stack, name);
  gtk_window_set_default_widget (GTK_WINDOW (self), default_widget);

  /* Enter goes to the default button, Escape to Cancel or Close.  With
   * no default to press, nothing has the focus: an Enter pressed twice on
   * Import must not land on Cancel, which would stop the import. */
  if (default_widget != NULL && gtk_widget_is_sensitive (default_widget))
    gtk_widget_grab_focus (default_widget);
  else
    gtk_window_set_focus (GTK_WINDOW (self), NULL);
}

static void
show_progress (WaybillImportWindow *self,
               const char          *title,
               const char          *detail)
{
  gtk_label_set_label (self->progress_title, title);
  gtk_label_set_label (self->progress_detail, detail ? detail : "");
  gtk_widget_set_visible (GTK_WIDGET (self->progress_detail), detail != NULL);
  show_page (self, "progress");
}

static void
show_error_text (WaybillImportWindow *self,
                 const char          *title,
                 const char          *text)
{
  g_autofree char *markup = g_markup_escape_text (text, -1);

  self->state = STATE_DONE;
  adw_status_page_set_title (self->error_page, title);
  adw_status_page_set_description (self->error_page, markup);
  show_page (self, "error");
}

static void
show_read_error (WaybillImportWindow *self,
                 const GError        *error)
{
  g_autofree char *reason = describe_error (error);
  g_autofree char *text = NULL;

  text = g_strdup_printf ("%s\n\n%s", reason,
                          _("Waybill imports the order exports of Shopify, WooCommerce and Etsy, "
                            "its own CSV and JSON exports, and other CSV files whose columns "
                            "you choose."));
  show_error_text (self, _("Cannot Read This File"), text);
}

/* The mapping page */

static void
update_continue (WaybillImportWindow *self)
{
  gboolean complete = TRUE;

  for (WaybillImportField f = 0; f < WAYBILL_N_IMPORT_FIELDS; f++)
    if (is_required (f) && adw_combo_row_get_selected (self->mapping_rows[f]) == 0)
      complete = FALSE;

  gtk_widget_set_sensitive (self->continue_button, complete);
}

static void
mapping_selected_cb (WaybillImportWindow *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->mapping_error), FALSE);
  update_continue (self);
}

/* The position in the column model of a column that usually holds
 * @field, or 0 (none); each column is guessed for one field only. */
static guint
guess_column (WaybillImportWindow *self,
              WaybillImportField   field,
              gboolean            *taken)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->column_model));

  for (guint g = 0; field_guesses[field][g] != NULL; g++)
    for (guint i = 1; i < n; i++)
      {
        g_autofree char *folded = NULL;

        if (taken[i])
          continue;
        folded = fold_name (gtk_string_list_get_string (self->column_model, i));
        if (g_str_equal (folded, field_guesses[field][g]))
          {
            taken[i] = TRUE;
            return i;
          }
      }

  return 0;
}

static void
build_mapping (WaybillImportWindow *self)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree gboolean *taken = NULL;

  self->column_model = gtk_string_list_new (NULL);
  gtk_string_list_append (self->column_model, _("None"));

  /* Columns without a name cannot be named in a mapping; a repeated name
   * stands for its first column. */
  for (guint i = 0; self->columns != NULL && self->columns[i] != NULL; i++)
    if (*self->columns[i] != '\0' && g_hash_table_add (seen, self->columns[i]))
      gtk_string_list_append (self->column_model, self->columns[i]);

  taken = g_new0 (gboolean, g_list_model_get_n_items (G_LIST_MODEL (self->column_model)));

  for (WaybillImportField f = 0; f < WAYBILL_N_IMPORT_FIELDS; f++)
    {
      AdwComboRow *row = ADW_COMBO_ROW (adw_combo_row_new ());

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(field_titles[f]));
      if (is_required (f))
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Required"));
      adw_combo_row_set_model (row, G_LIST_MODEL (self->column_model));
      adw_combo_row_set_selected (row, guess_column (self, f, taken));
      g_signal_connect_object (row, "notify::selected", G_CALLBACK (mapping_selected_cb), self,
                               G_CONNECT_SWAPPED);
      adw_preferences_group_add (self->mapping_group, GTK_WIDGET (row));
      self->mapping_rows[f] = row;
    }
}

static void
show_mapping (WaybillImportWindow *self,
              const char          *problem)
{
  self->state = STATE_MAPPING;
  gtk_label_set_label (self->mapping_error, problem ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->mapping_error), problem != NULL);
  update_continue (self);
  show_page (self, "mapping");

  /* Enter continues when the columns are all found; else the first row
   * waits for a choice. */
  if (!gtk_widget_is_sensitive (self->continue_button))
    gtk_widget_grab_focus (GTK_WIDGET (self->mapping_rows[0]));
}

static void
apply_mapping (WaybillImportWindow *self)
{
  for (WaybillImportField f = 0; f < WAYBILL_N_IMPORT_FIELDS; f++)
    {
      guint selected = adw_combo_row_get_selected (self->mapping_rows[f]);
      const char *column = NULL;

      if (selected != GTK_INVALID_LIST_POSITION && selected > 0)
        column = gtk_string_list_get_string (self->column_model, selected);
      waybill_importer_set_mapping (self->importer, f, column);
    }
}

/* The preview page */

static void
clear_preview_rows (WaybillImportWindow *self)
{
  for (guint i = 0; i < self->preview_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->preview_rows, i);
      GtkWidget *group = gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP);

      adw_preferences_group_remove (ADW_PREFERENCES_GROUP (group), row);
    }
  g_ptr_array_set_size (self->preview_rows, 0);
  g_ptr_array_set_size (self->kept_labels, 0);
}

static GtkWidget *
add_row (WaybillImportWindow *self,
         AdwPreferencesGroup *group,
         const char          *title,
         const char          *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  /* What comes from the file is text, never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->preview_rows, row);

  return row;
}

static void
set_description (AdwPreferencesGroup *group,
                 const char          *text)
{
  g_autofree char *markup = text ? g_markup_escape_text (text, -1) : NULL;

  adw_preferences_group_set_description (group, markup);
}

static void
set_count (GtkLabel *label,
           guint     count)
{
  g_autofree char *text = g_strdup_printf ("%u", count);

  gtk_label_set_label (label, text);
}

static char *
order_shipments_text (WaybillOrder *order)
{
  GPtrArray *shipments = waybill_order_get_shipments (order);
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < shipments->len; i++)
    {
      WaybillShipment *shipment = g_ptr_array_index (shipments, i);

      if (i > 0)
        g_string_append_c (text, '\n');
      /* Translators: a carrier, then a tracking number */
      g_string_append_printf (text, _("%s · %s"),
                              waybill_format_carrier_name (waybill_shipment_get_carrier (shipment)),
                              waybill_shipment_get_tracking_number (shipment));
    }

  if (shipments->len == 0)
    g_string_append (text, _("No tracking number"));

  return g_string_free (text, FALSE);
}

static void
fill_orders (WaybillImportWindow *self)
{
  WaybillImportResult *result = self->preview;
  guint total = result->orders_new + result->orders_updated + result->orders_unchanged;
  g_autofree char *description = NULL;

  for (guint i = 0; i < result->preview->len; i++)
    {
      WaybillOrder *order = g_ptr_array_index (result->preview, i);
      const char *customer = waybill_order_get_customer (order);
      g_autofree char *number = shorten (waybill_order_get_order_number (order));
      g_autofree char *name = shorten (customer);
      g_autofree char *title = NULL;
      g_autofree char *shipments = order_shipments_text (order);

      if (*name != '\0')
        /* Translators: an order number, then the customer's name */
        title = g_strdup_printf (_("%s · %s"), number, name);
      else
        title = g_strdup (number);
      add_row (self, self->orders_group, title, shipments);
    }

  if (result->preview->len == 0)
    description = g_strdup (_("The file holds no orders that can be imported."));
  else if (total > result->preview->len)
    description = g_strdup_printf (ngettext ("The first %u of %u order in the file",
                                             "The first %u of %u orders in the file", total),
                                   result->preview->len, total);
  set_description (self->orders_group, description);
}

static void
fill_bad_rows (WaybillImportWindow *self)
{
  WaybillImportResult *result = self->preview;
  g_autofree char *description = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->bad_rows_group), result->n_rows_bad > 0);
  if (result->n_rows_bad == 0)
    return;

  description = g_strdup_printf (ngettext ("%u row cannot be imported. Import the other rows, or "
                                           "cancel, correct the file and import it again.",
                                           "%u rows cannot be imported. Import the other rows, or "
                                           "cancel, correct the file and import it again.",
                                           result->n_rows_bad),
                                 result->n_rows_bad);
  set_description (self->bad_rows_group, description);

  for (guint i = 0; i < result->rows_bad->len && i < MAX_LISTED; i++)
    {
      WaybillImportBadRow *bad = g_ptr_array_index (result->rows_bad, i);

      if (bad->line > 0)
        {
          /* xgettext cannot read G_GUINT64_FORMAT in a message. */
          g_autofree char *number = g_strdup_printf ("%" G_GUINT64_FORMAT, bad->line);
          /* Translators: %s is the number of a line in the file */
          g_autofree char *title = g_strdup_printf (_("Line %s"), number);

          add_row (self, self->bad_rows_group, title, bad->reason);
        }
      else
        add_row (self, self->bad_rows_group, bad->reason, NULL);
    }

  if (result->n_rows_bad > MIN (result->rows_bad->len, MAX_LISTED))
    {
      guint more = result->n_rows_bad - MIN (result->rows_bad->len, MAX_LISTED);
      g_autofree char *title = g_strdup_printf (ngettext ("… and %u more bad row",
                                                          "… and %u more bad rows", more),
                                                more);

      add_row (self, self->bad_rows_group, title, NULL);
    }
}

static void
update_kept_labels (WaybillImportWindow *self)
{
  gboolean overwrite = gtk_switch_get_active (self->overwrite_switch);

  for (guint i = 0; i < self->kept_labels->len; i++)
    gtk_label_set_label (g_ptr_array_index (self->kept_labels, i),
                         overwrite ? _("File’s value") : _("Yours kept"));
}

static void
fill_conflicts (WaybillImportWindow *self)
{
  WaybillImportResult *result = self->preview;
  g_autofree char *description = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->conflicts_group), result->n_conflicts > 0);
  if (result->n_conflicts == 0)
    return;

  description = g_strdup_printf (ngettext ("You changed %u value in Waybill that the file changes "
                                           "too. Your value is kept unless you take the file’s.",
                                           "You changed %u values in Waybill that the file changes "
                                           "too. Your values are kept unless you take the file’s.",
                                           result->n_conflicts),
                                 result->n_conflicts);
  set_description (self->conflicts_group, description);

  for (guint i = 0; i < result->conflicts->len && i < MAX_LISTED; i++)
    {
      WaybillImportConflict *conflict = g_ptr_array_index (result->conflicts, i);
      g_autofree char *number = shorten (conflict->order_number);
      g_autofree char *ours = shorten_or_empty (conflict->ours);
      g_autofree char *theirs = shorten_or_empty (conflict->theirs);
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      GtkWidget *row;
      GtkWidget *kept;

      /* Translators: an order number, then a field such as "Email" */
      title = g_strdup_printf (_("Order %s · %s"), number, conflict_field_title (conflict->field));
      /* Translators: the value the user set, then the one in the file */
      subtitle = g_strdup_printf (_("In Waybill: %s\nIn the file: %s"), ours, theirs);
      row = add_row (self, self->conflicts_group, title, subtitle);

      kept = gtk_label_new (NULL);
      gtk_widget_add_css_class (kept, "dim-label");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), kept);
      g_ptr_array_add (self->kept_labels, kept);
    }

  if (result->n_conflicts > MIN (result->conflicts->len, MAX_LISTED))
    {
      guint more = result->n_conflicts - MIN (result->conflicts->len, MAX_LISTED);
      g_autofree char *title = g_strdup_printf (ngettext ("… and %u more change",
                                                          "… and %u more changes", more),
                                                more);

      add_row (self, self->conflicts_group, title, NULL);
    }

  update_kept_labels (self);
}

static void
update_import_buttons (WaybillImportWindow *self)
{
  gboolean overwrite = gtk_switch_get_active (self->overwrite_switch);
  gboolean changes = self->preview != NULL && has_changes (self->preview, overwrite);

  gtk_widget_set_sensitive (self->import_button, changes);
  gtk_widget_set_sensitive (self->import_good_button, changes);

  if (self->preview == NULL || changes)
    set_description (self->counts_group, NULL);
  else if (self->preview->n_rows_bad > 0 && self->preview->rows == self->preview->n_rows_bad)
    set_description (self->counts_group,
                     _("Nothing can be imported: every row of the file is bad."));
  else
    set_description (self->counts_group, _("Nothing to import: the orders of this file are already "
                                           "in Waybill as they are."));
}

static void
fill_preview (WaybillImportWindow *self)
{
  WaybillImportResult *result = self->preview;

  clear_preview_rows (self);

  adw_action_row_set_subtitle (self->format_row, waybill_import_format_get_label (result->format));
  gtk_widget_set_visible (self->mapping_button, result->format == WAYBILL_IMPORT_FORMAT_CUSTOM);

  set_count (self->new_orders_label, result->orders_new);
  set_count (self->updated_orders_label, result->orders_updated);
  set_count (self->unchanged_orders_label, result->orders_unchanged);
  set_count (self->new_shipments_label, result->shipments_new);

  fill_orders (self);
  fill_bad_rows (self);
  fill_conflicts (self);
  update_import_buttons (self);
}

static void
overwrite_changed_cb (WaybillImportWindow *self)
{
  update_kept_labels (self);
  update_import_buttons (self);
}

/* The summary */

static void
append_line (GString    *text,
             const char *line)
{
  if (text->len > 0)
    g_string_append_c (text, '\n');
  g_string_append (text, line);
}

/* Appends a line with @count in it, unless @count is 0. */
static void append_count (GString    *text,
                          guint       count,
                          const char *format,
                          ...) G_GNUC_PRINTF (3, 4);

static void
append_count (GString    *text,
              guint       count,
              const char *format,
              ...)
{
  g_autofree char *line = NULL;
  va_list args;

  if (count == 0)
    return;

  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);
  append_line (text, line);
}

static void
show_summary (WaybillImportWindow *self,
              WaybillImportResult *result)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *markup = NULL;
  const char *title;
  const char *icon;

  self->state = STATE_DONE;

  if (!result->written)
    {
      /* Bad rows stopped it: the file changed since the preview. */
      title = _("Nothing Imported");
      icon = "dialog-warning-symbolic";
      append_count (text, result->n_rows_bad,
                    ngettext ("%u row of the file is bad, so nothing was saved.",
                              "%u rows of the file are bad, so nothing was saved.",
                              result->n_rows_bad),
                    result->n_rows_bad);
    }
  else
    {
      gboolean changed = wrote_changes (result);

      title = changed ? _("Orders Imported") : _("Nothing to Change");
      icon = changed ? "emblem-ok-symbolic" : "dialog-information-symbolic";
      if (!changed)
        append_line (text, _("The orders of this file are already in Waybill as they are."));
      append_count (text, result->orders_new,
                    ngettext ("%u new order", "%u new orders", result->orders_new),
                    result->orders_new);
      append_count (text, result->orders_updated,
                    ngettext ("%u updated order", "%u updated orders", result->orders_updated),
                    result->orders_updated);
      if (changed)
        append_count (text, result->orders_unchanged,
                      ngettext ("%u order already up to date", "%u orders already up to date",
                                result->orders_unchanged),
                      result->orders_unchanged);
      append_count (text, result->shipments_new,
                    ngettext ("%u new shipment", "%u new shipments", result->shipments_new),
                    result->shipments_new);
      append_count (text, result->n_rows_bad,
                    ngettext ("%u bad row left out", "%u bad rows left out", result->n_rows_bad),
                    result->n_rows_bad);
      if (conflicts_overwritten (result))
        append_count (text, result->n_conflicts,
                      ngettext ("%u of your changes replaced by the file’s value",
                                "%u of your changes replaced by the file’s values",
                                result->n_conflicts),
                      result->n_conflicts);
      else
        append_count (text, result->n_conflicts,
                      ngettext ("%u of your changes kept", "%u of your changes kept",
                                result->n_conflicts),
                      result->n_conflicts);
    }

  markup = g_markup_escape_text (text->str, -1);
  adw_status_page_set_icon_name (self->summary_page, icon);
  adw_status_page_set_title (self->summary_page, title);
  adw_status_page_set_description (self->summary_page, markup);
  show_page (self, "summary");
}

static void
show_cancelled (WaybillImportWindow *self)
{
  g_autofree char *markup = g_markup_escape_text (_("Nothing was imported: your orders are as they "
                                                    "were."), -1);

  self->state = STATE_DONE;
  adw_status_page_set_icon_name (self->summary_page, "process-stop-symbolic");
  adw_status_page_set_title (self->summary_page, _("Import Cancelled"));
  adw_status_page_set_description (self->summary_page, markup);
  show_page (self, "summary");
}

/* Runs */

static void
import_done_cb (GObject      *source,
                GAsyncResult *async_result,
                gpointer      user_data)
{
  g_autoptr(WaybillImportWindow) self = take_weak_self (user_data);
  g_autoptr(WaybillImportResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* Finished even without a window: it announces the store's changes. */
  result = waybill_importer_run_finish (WAYBILL_IMPORTER (source), async_result, &error);
  if (self == NULL)
    return;

  if (result != NULL)
    show_summary (self, result);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_cancelled (self);
  else
    {
      g_autofree char *reason = describe_error (error);
      g_autofree char *text = g_strdup_printf ("%s\n\n%s", reason, _("Nothing was imported."));

      show_error_text (self, _("Import Failed"), text);
    }

  if (result != NULL && wrote_changes (result))
    g_signal_emit (self, signals[IMPORTED], 0);
}

static void
start_import (WaybillImportWindow *self,
              WaybillImportFlags   flags)
{
  g_assert (self->state == STATE_PREVIEW);

  if (gtk_switch_get_active (self->overwrite_switch))
    flags |= WAYBILL_IMPORT_OVERWRITE_EDITS;

  self->state = STATE_IMPORTING;
  waybill_importer_set_flags (self->importer, flags);
  show_progress (self, _("Importing Orders…"),
                 _("Nothing is saved until the whole file is imported: cancelling leaves your "
                   "orders as they were."));
  waybill_importer_run_async (self->importer, self->file, self->cancellable, import_done_cb,
                              weak_self (self));
}

static void
import_clicked_cb (WaybillImportWindow *self)
{
  if (self->state == STATE_PREVIEW && self->preview->n_rows_bad == 0)
    start_import (self, WAYBILL_IMPORT_FLAGS_NONE);
}

static void
import_good_clicked_cb (WaybillImportWindow *self)
{
  if (self->state == STATE_PREVIEW)
    start_import (self, WAYBILL_IMPORT_SKIP_BAD);
}

static void
check_done_cb (GObject      *source,
               GAsyncResult *async_result,
               gpointer      user_data)
{
  g_autoptr(WaybillImportWindow) self = take_weak_self (user_data);
  g_autoptr(WaybillImportResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = waybill_importer_run_finish (WAYBILL_IMPORTER (source), async_result, &error);
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (result == NULL)
    {
      if (self->column_model != NULL &&
          (g_error_matches (error, WAYBILL_IMPORT_ERROR, WAYBILL_IMPORT_ERROR_MAPPING) ||
           g_error_matches (error, WAYBILL_IMPORT_ERROR, WAYBILL_IMPORT_ERROR_UNKNOWN_FORMAT)))
        show_mapping (self, error->message);
      else
        show_read_error (self, error);
      return;
    }

  g_clear_pointer (&self->preview, waybill_import_result_free);
  self->preview = g_steal_pointer (&result);
  self->state = STATE_PREVIEW;
  fill_preview (self);
  show_page (self, "preview");
}

/* The dry run, which fills the preview. */
static void
start_check (WaybillImportWindow *self)
{
  self->state = STATE_CHECKING;
  waybill_importer_set_flags (self->importer, WAYBILL_IMPORT_DRY_RUN);
  show_progress (self, _("Reading the File…"), NULL);
  waybill_importer_run_async (self->importer, self->file, self->cancellable, check_done_cb,
                              weak_self (self));
}

static void
continue_clicked_cb (WaybillImportWindow *self)
{
  if (self->state != STATE_MAPPING || !gtk_widget_is_sensitive (self->continue_button))
    return;

  apply_mapping (self);
  start_check (self);
}

static void
mapping_clicked_cb (WaybillImportWindow *self)
{
  if (self->state == STATE_PREVIEW && self->column_model != NULL)
    show_mapping (self, NULL);
}

typedef struct
{
  WaybillImportFormat   format;
  char                **columns;
} Inspection;

static void
inspection_free (gpointer data)
{
  Inspection *inspection = data;

  g_strfreev (inspection->columns);
  g_free (inspection);
}

static void
inspect_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Inspection *inspection = g_new0 (Inspection, 1);
  GError *error = NULL;

  if (!waybill_import_inspect (G_FILE (task_data), cancellable, &inspection->format,
                               &inspection->columns, &error))
    {
      inspection_free (inspection);
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, inspection, inspection_free);
}

static void
inspect_done_cb (GObject      *source,
                 GAsyncResult *async_result,
                 gpointer      user_data)
{
  g_autoptr(WaybillImportWindow) self = take_weak_self (user_data);
  g_autoptr(GError) error = NULL;
  Inspection *inspection;

  inspection = g_task_propagate_pointer (G_TASK (async_result), &error);
  if (self == NULL || inspection == NULL)
    {
      if (self != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_read_error (self, error);
      g_clear_pointer (&inspection, inspection_free);
      return;
    }

  self->detected = inspection->format;
  self->columns = g_steal_pointer (&inspection->columns);
  inspection_free (inspection);

  if (self->detected != WAYBILL_IMPORT_FORMAT_CUSTOM)
    {
      start_check (self);
      return;
    }

  /* A text with one column is no table: most likely not a CSV at all. */
  if (self->columns == NULL || g_strv_length (self->columns) < 2)
    {
      show_error_text (self, _("Not a Table of Orders"),
                       _("This file has a single column. Choose a CSV file with one order or "
                         "line item per row, and the order number and the customer in columns "
                         "of their own."));
      return;
    }

  build_mapping (self);
  show_mapping (self, NULL);
}

static void
start_inspect (WaybillImportWindow *self)
{
  g_autoptr(GTask) task = NULL;

  task = g_task_new (NULL, self->cancellable, inspect_done_cb, weak_self (self));

  self->state = STATE_INSPECTING;
  g_task_set_source_tag (task, start_inspect);
  g_task_set_task_data (task, g_object_ref (self->file), g_object_unref);
  show_progress (self, _("Reading the File…"), NULL);
  g_task_run_in_thread (task, inspect_thread);
}

/* GtkWindow */

static gboolean
waybill_import_window_close_request (GtkWindow *window)
{
  WaybillImportWindow *self = WAYBILL_IMPORT_WINDOW (window);

  /* Closing while importing cancels the import; the window stays until
   * the import has stopped, to say that nothing was written. */
  if (self->state == STATE_IMPORTING)
    {
      if (!g_cancellable_is_cancelled (self->cancellable))
        {
          g_cancellable_cancel (self->cancellable);
          gtk_label_set_label (self->progress_title, _("Cancelling…"));
          gtk_widget_set_sensitive (self->cancel_button, FALSE);
        }
      return TRUE;
    }

  g_cancellable_cancel (self->cancellable);

  return GTK_WINDOW_CLASS (waybill_import_window_parent_class)->close_request (window);
}

/* GObject */

static void
waybill_import_window_dispose (GObject *object)
{
  WaybillImportWindow *self = WAYBILL_IMPORT_WINDOW (object);

  self->disposed = TRUE;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), WAYBILL_TYPE_IMPORT_WINDOW);
  for (guint i = 0; i < WAYBILL_N_IMPORT_FIELDS; i++)
    self->mapping_rows[i] = NULL;
  g_clear_object (&self->column_model);
  g_clear_object (&self->importer);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (waybill_import_window_parent_class)->dispose (object);
}

static void
waybill_import_window_finalize (GObject *object)
{
  WaybillImportWindow *self = WAYBILL_IMPORT_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->file);
  g_clear_pointer (&self->preview, waybill_import_result_free);
  g_clear_pointer (&self->preview_rows, g_ptr_array_unref);
  g_clear_pointer (&self->kept_labels, g_ptr_array_unref);
  g_strfreev (self->columns);

  G_OBJECT_CLASS (waybill_import_window_parent_class)->finalize (object);
}

static void
waybill_import_window_class_init (WaybillImportWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = waybill_import_window_dispose;
  object_class->finalize = waybill_import_window_finalize;
  window_class->close_request = waybill_import_window_close_request;

  /**
   * WaybillImportWindow::imported:
   * @self: the window
   *
   * Emitted when an import has written something to the store: new or
   * changed orders, or new shipments.  The store has then announced the
   * change itself (#WaybillStore::changed).
   */
  signals[IMPORTED] =
    g_signal_new ("imported",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/waybill/Waybill/waybill-import-window.ui");
  gtk_widget_class_bind_template_child (widget_class, WaybillImportWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, WaybillImportWindow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, WaybillImportWindow, import_button);
  gtk_widget_class_bind_template_child (widget_class, WaybillImportWindow, import_good_button);
  gtk_widget_class_bind_template_child (widget_class, WaybillImportWindow, continue_button);
  gtk_widget_class_bind_template_child (widget_class, WaybillImportWindow, close_button);
  gtk_widget_class_bind_template_child (widget_class, WaybillImportWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, WaybillImportWindow, progress_title);
  gtk_widget_class_bind_template_child (widget_class, WaybillImportWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, WaybillImportWindow, progress_detail);
  gtk_widget_class_bind_template_child (widget_class, WaybillImportWindow, preview_page);
  gtk_widget_class_bind_template_child (widget_class, WaybillImportWindow, format_row);
  gtk_widget_class_bind_template_child (widget_class, WaybillImportWindow, mapping_button);
  gtk_widget_class_bind_template_child (widget_class, WaybillImportWindow, counts_group);
  gtk_widget_class_bind_template_child (widget_class, WaybillImportWindow, new_orders_label);
  gtk_widget_class_bind_template_child (widget_class, WaybillImportWindow, updated_orders_label);
  gtk_widget_class_bind_template_child (widget_class, WaybillImportWindow, unchanged_orders_label);
  gtk_widget_class_bind_template_child (widget_class, WaybillImportWindow, new_shipments_label);
  gtk_widget_class_bind_template_child (widget_class, WaybillImportWindow, orders_group);
  gtk_widget_class_bind_template_child (widget_class, WaybillImportWindow, bad_rows_group);
  gtk_widget_class_bind_template_child (widget_class, WaybillImportWindow, conflicts_group);
  gtk_widget_class_bind_template_child (widget_class, WaybillImportWindow, overwrite_switch);
  gtk_widget_class_bind_template_child (widget_class, WaybillImportWindow, mapping_page);
  gtk_widget_class_bind_template_child (widget_class, WaybillImportWindow, mapping_group);
  gtk_widget_class_bind_template_child (widget_class, WaybillImportWindow, mapping_error);
  gtk_widget_class_bind_template_child (widget_class, WaybillImportWindow, summary_page);
  gtk_widget_class_bind_template_child (widget_class, WaybillImportWindow, error_page);
  gtk_widget_class_bind_template_callback (widget_class, import_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, import_good_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, continue_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, mapping_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, overwrite_changed_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
waybill_import_window_init (WaybillImportWindow *self)
{
  self->cancellable = g_cancellable_new ();
  self->preview_rows = g_ptr_array_new ();
  self->kept_labels = g_ptr_array_new ();
  self->detected = WAYBILL_IMPORT_FORMAT_AUTO;

  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * waybill_import_window_new:
 * @parent: (nullable): the window the import window belongs to
 * @store: the store to import into
 * @file: the file to import
 *
 * Creates the window and starts reading @file.  Present it with
 * gtk_window_present(); it destroys itself when closed, and cancels an
 * import that is still running.
 *
 * Returns: (transfer none): the window, owned by GTK like every toplevel
 */
WaybillImportWindow *
waybill_import_window_new (GtkWindow    *parent,
                           WaybillStore *store,
                           GFile        *file)
{
  WaybillImportWindow *self;
  g_autofree char *basename = NULL;
  g_autofree char *display_name = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (WAYBILL_IS_STORE (store), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  self = g_object_new (WAYBILL_TYPE_IMPORT_WINDOW,
                       "transient-for", parent,
                       "application", parent ? gtk_window_get_application (parent) : NULL,
                       NULL);
  self->store = g_object_ref (store);
  self->file = g_object_ref (file);
  self->importer = waybill_importer_new (store);
  waybill_importer_set_preview_limit (self->importer, PREVIEW_ORDERS);
  g_object_bind_property (self->importer, "progress", self->progress_bar, "fraction",
                          G_BINDING_SYNC_CREATE);

  basename = g_file_get_basename (file);
  display_name = g_filename_display_name (basename ? basename : "");
  adw_window_title_set_subtitle (self->window_title, display_name);

  start_inspect (self);

  return self;
}

/**
 * waybill_import_window_get_file:
 *
 * Returns: (transfer none): the file imported
 */
GFile *
waybill_import_window_get_file (WaybillImportWindow *self)
{
  g_return_val_if_fail (WAYBILL_IS_IMPORT_WINDOW (self), NULL);

  return self->file;
}
