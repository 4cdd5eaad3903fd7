/* waybill-feedback-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-feedback-window"

#include "config.h"

#include <glib/gi18n.h>

#include "waybill-feedback.h"
#include "waybill-feedback-window.h"
#include "waybill-format.h"

/* Every customer's feedback, newest first, with the average on top; and
 * the import of a survey's answers from CSV.  It follows the store: a
 * change anywhere (another window, the command line) reloads the list. */
struct _WaybillFeedbackWindow
{
  AdwWindow        parent_instance;

  WaybillStore    *store;
  GListStore      *model;
  AdwToast        *toast;
  char            *summary;
  guint            reload_id;
  GCancellable    *cancellable;
  gboolean         importing;

  AdwToastOverlay *toast_overlay;
  GtkStack        *stack;
  GtkLabel        *average_label;
  GtkLabel        *stars_label;
  GtkLabel        *count_label;
  GtkColumnView   *column_view;
};

G_DEFINE_FINAL_TYPE (WaybillFeedbackWindow, waybill_feedback_window, ADW_TYPE_WINDOW)

typedef enum
{
  COLUMN_DATE,
  COLUMN_ORDER,
  COLUMN_CUSTOMER,
  COLUMN_RATING,
  COLUMN_COMMENT,
  COLUMN_SOURCE,
} Column;

static char *
stars_text (guint rating)
{
  GString *text = g_string_new (NULL);

  for (guint i = 1; i <= WAYBILL_FEEDBACK_MAX_RATING; i++)
    g_string_append (text, i <= rating ? "★" : "☆");

  return g_string_free (text, FALSE);
}

static char *
cell_text (WaybillFeedback *feedback,
           Column           column)
{
  switch (column)
    {
    case COLUMN_DATE:
      {
        g_autoptr(GDateTime) local = g_date_time_to_local (waybill_feedback_get_given_at (feedback));

        /* Translators: a date in a list, "Tue 3 Dec 2025", see strftime(3) */
        return g_date_time_format (local, _("%a %-d %b %Y"));
      }
    case COLUMN_ORDER:
      return g_strdup (waybill_feedback_get_order_number (feedback));
    case COLUMN_CUSTOMER:
      return g_strdup (waybill_feedback_get_customer (feedback));
    case COLUMN_RATING:
      return stars_text (waybill_feedback_get_rating (feedback));
    case COLUMN_COMMENT:
      return g_strdup (waybill_feedback_get_comment (feedback));
    case COLUMN_SOURCE:
    default:
      return g_strdup (waybill_feedback_source_get_label (waybill_feedback_get_source (feedback)));
    }
}

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (GPOINTER_TO_INT (user_data) == COLUMN_RATING)
    gtk_widget_add_css_class (label, "rating-stars");
  gtk_list_item_set_child (item, label);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  WaybillFeedback *feedback = gtk_list_item_get_item (item);
  Column column = GPOINTER_TO_INT (user_data);
  GtkWidget *label = gtk_list_item_get_child (item);
  g_autofree char *text = cell_text (feedback, column);

  gtk_label_set_label (GTK_LABEL (label), text != NULL ? text : "");
  gtk_widget_set_tooltip_text (label, column == COLUMN_COMMENT && text != NULL && *text ? text : NULL);

  if (column == COLUMN_RATING)
    {
      guint rating = waybill_feedback_get_rating (feedback);
      g_autofree char *words = g_strdup_printf (ngettext ("%u star", "%u stars", rating), rating);

      gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL, words, -1);
    }
}

static void
add_column (WaybillFeedbackWindow *self,
            const char            *title,
            Column                 column,
            gboolean               expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *view_column;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), GINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), GINT_TO_POINTER (column));
  view_column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (view_column, expand);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  gtk_column_view_append_column (self->column_view, view_column);
  g_object_unref (view_column);
}

static void
present_toast (WaybillFeedbackWindow *self,
               AdwToast              *toast)
{
  if (self->toast != NULL)
    adw_toast_dismiss (self->toast);
  g_set_weak_pointer (&self->toast, toast);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
reload (WaybillFeedbackWindow *self)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *average = NULL;
  g_autofree char *stars = NULL;
  g_autofree char *count = NULL;
  guint sum = 0;

  if (self->store == NULL)
    return;

  list = waybill_store_list_feedback (self->store, NULL, &error);
  if (list == NULL)
    {
      AdwToast *toast = adw_toast_new (error->message);

      adw_toast_set_timeout (toast, 0);
      present_toast (self, toast);
      return;
    }

  g_list_store_splice (self->model, 0, g_list_model_get_n_items (G_LIST_MODEL (self->model)),
                       list->pdata, list->len);

  gtk_stack_set_visible_child_name (self->stack, list->len > 0 ? "list" : "empty");
  if (list->len == 0)
    {
      g_clear_pointer (&self->summary, g_free);
      return;
    }

  for (guint i = 0; i < list->len; i++)
    sum += waybill_feedback_get_rating (g_ptr_array_index (list, i));

  average = g_strdup_printf ("%.1f", (double) sum / list->len);
  stars = stars_text ((guint) (((double) sum / list->len) + 0.5));
  count = g_strdup_printf (ngettext ("%u rating", "%u ratings", list->len), list->len);
  gtk_label_set_label (self->average_label, average);
  gtk_label_set_label (self->stars_label, stars);
  gtk_label_set_label (self->count_label, count);

  g_free (self->summary);
  /* Translators: for screen readers, "Average 3.7 of 5 stars from 15 ratings" */
  self->summary = g_strdup_printf (ngettext ("Average %s of 5 stars from %u rating",
                                             "Average %s of 5 stars from %u ratings", list->len),
                                   average, list->len);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->average_label), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->summary, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->stars_label), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->summary, -1);
}

static gboolean
reload_timeout_cb (gpointer user_data)
{
  WaybillFeedbackWindow *self = user_data;

  self->reload_id = 0;
  reload (self);

  return G_SOURCE_REMOVE;
}

/* The refresher commits often: changes close together reload once. */
static void
store_changed_cb (WaybillFeedbackWindow *self)
{
  if (self->reload_id == 0)
    self->reload_id = g_timeout_add (200, reload_timeout_cb, self);
}

static void
imported_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(WaybillFeedbackWindow) self = user_data;
  g_autoptr(WaybillFeedbackImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) message = g_string_new (NULL);
  AdwToast *toast;

  report = waybill_feedback_import_file_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->importing = FALSE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "feedback.import", TRUE);

  if (report == NULL)
    {
      toast = adw_toast_new (error->message);
      adw_toast_set_timeout (toast, 0);
      present_toast (self, toast);
      return;
    }

  g_string_append_printf (message, ngettext ("%u answer imported", "%u answers imported", report->added),
                          report->added);
  if (report->duplicates > 0)
    {
      g_string_append (message, ", ");
      g_string_append_printf (message, ngettext ("%u already there", "%u already there", report->duplicates),
                              report->duplicates);
    }
  if (report->problems->len > 0)
    {
      g_string_append (message, "; ");
      /* Translators: followed by the first problem, "Line 4: there is no order “1099”" */
      g_string_append_printf (message, ngettext ("%u row skipped: %s", "%u rows skipped, first %s",
                                                 report->problems->len),
                              report->problems->len, (const char *) g_ptr_array_index (report->problems, 0));
    }

  /* The import wrote through a connection of its own: read it now rather
   * than when the store's watch notices. */
  g_clear_handle_id (&self->reload_id, g_source_remove);
  reload (self);

  toast = adw_toast_new (message->str);
  if (report->problems->len > 0)
    adw_toast_set_timeout (toast, 0);
  present_toast (self, toast);
}

/**
 * waybill_feedback_window_import_file:
 *
 * Imports survey answers in a thread, then tells in a toast how many were
 * imported and which rows were not.
 */
void
waybill_feedback_window_import_file (WaybillFeedbackWindow *self,
                                     GFile                 *file)
{
  g_return_if_fail (WAYBILL_IS_FEEDBACK_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->store == NULL || self->importing)
    return;

  self->importing = TRUE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "feedback.import", FALSE);
  waybill_feedback_import_file_async (waybill_store_get_path (self->store), file, self->cancellable,
                                      imported_cb, g_object_ref (self));
}

/**
 * waybill_feedback_window_is_importing:
 *
 * Returns: whether an import is running, for tests
 */
gboolean
waybill_feedback_window_is_importing (WaybillFeedbackWindow *self)
{
  g_return_val_if_fail (WAYBILL_IS_FEEDBACK_WINDOW (self), FALSE);

  return self->importing;
}

static void
import_response_cb (GtkNativeDialog       *chooser,
                    int                    response,
                    WaybillFeedbackWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        waybill_feedback_window_import_file (self, file);
    }

  g_object_unref (chooser);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  WaybillFeedbackWindow *self = WAYBILL_FEEDBACK_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Import Survey Answers"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (import_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
waybill_feedback_window_dispose (GObject *object)
{
  WaybillFeedbackWindow *self = WAYBILL_FEEDBACK_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->reload_id, g_source_remove);
  g_clear_weak_pointer (&self->toast);
  g_clear_object (&self->store);
  g_clear_object (&self->model);
  g_clear_pointer (&self->summary, g_free);

  G_OBJECT_CLASS (waybill_feedback_window_parent_class)->dispose (object);
}

static void
waybill_feedback_window_class_init (WaybillFeedbackWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = waybill_feedback_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/waybill/Waybill/waybill-feedback-window.ui");
  gtk_widget_class_bind_template_child (widget_class, WaybillFeedbackWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, WaybillFeedbackWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, WaybillFeedbackWindow, average_label);
  gtk_widget_class_bind_template_child (widget_class, WaybillFeedbackWindow, stars_label);
  gtk_widget_class_bind_template_child (widget_class, WaybillFeedbackWindow, count_label);
  gtk_widget_class_bind_template_child (widget_class, WaybillFeedbackWindow, column_view);

  gtk_widget_class_install_action (widget_class, "feedback.import", NULL, import_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
waybill_feedback_window_init (WaybillFeedbackWindow *self)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->model = g_list_store_new (WAYBILL_TYPE_FEEDBACK);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));

  add_column (self, _("Date"), COLUMN_DATE, FALSE);
  add_column (self, _("Order"), COLUMN_ORDER, FALSE);
  add_column (self, _("Customer"), COLUMN_CUSTOMER, FALSE);
  add_column (self, _("Rating"), COLUMN_RATING, FALSE);
  add_column (self, _("Comment"), COLUMN_COMMENT, TRUE);
  add_column (self, _("Source"), COLUMN_SOURCE, FALSE);
}

WaybillFeedbackWindow *
waybill_feedback_window_new (GtkWindow    *parent,
                             WaybillStore *store)
{
  WaybillFeedbackWindow *self;

  g_return_val_if_fail (WAYBILL_IS_STORE (store), NULL);

  self = g_object_new (WAYBILL_TYPE_FEEDBACK_WINDOW, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  g_signal_connect_object (store, "changed", G_CALLBACK (store_changed_cb), self, G_CONNECT_SWAPPED);
  reload (self);

  return self;
}

/**
 * waybill_feedback_window_get_model:
 *
 * Returns: (transfer none): the feedback shown, for tests
 */
GListModel *
waybill_feedback_window_get_model (WaybillFeedbackWindow *self)
{
  g_return_val_if_fail (WAYBILL_IS_FEEDBACK_WINDOW (self), NULL);

  return G_LIST_MODEL (self->model);
}

/**
 * waybill_feedback_window_get_summary:
 *
 * Returns: (nullable): "Average 3.7 of 5 stars from 15 ratings", or %NULL
 *   without feedback
 */
const char *
waybill_feedback_window_get_summary (WaybillFeedbackWindow *self)
{
  g_return_val_if_fail (WAYBILL_IS_FEEDBACK_WINDOW (self), NULL);

  return self->summary;
}
