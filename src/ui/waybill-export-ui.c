/* waybill-export-ui.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-export-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "waybill-export-ui.h"

/* Export… in the window: a small dialog asks for the format, a save dialog
 * for the destination (GtkFileChooserNative, so that it goes through the
 * portal in a sandbox), then waybill_export_async() writes the file in a
 * thread.  The result is a sentence for a toast: what was exported, or
 * why it could not be. */

typedef struct
{
  WaybillStore         *store;
  GtkWindow            *parent;
  GtkFileChooserNative *chooser;
  WaybillExportFormat   format;
  GFile                *file;
} Export;

static void
export_free (gpointer data)
{
  Export *export = data;

  g_clear_object (&export->store);
  g_clear_object (&export->parent);
  if (export->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (export->chooser));
  g_clear_object (&export->chooser);
  g_clear_object (&export->file);
  g_free (export);
}

static void
return_cancelled (GTask *task)
{
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", _("Export cancelled"));
}

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Export *export = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *name = NULL;
  guint n_orders = 0;

  if (!waybill_export_finish (result, &n_orders, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, error->domain, error->code,
                                 _("The orders could not be exported: %s"), error->message);
      return;
    }

  basename = g_file_get_basename (export->file);
  name = g_filename_display_name (basename ? basename : "");
  g_task_return_pointer (task,
                         g_strdup_printf (ngettext ("%u order exported to “%s”",
                                                    "%u orders exported to “%s”", n_orders),
                                          n_orders, name),
                         g_free);
}

/* Takes the task's reference. */
static void
start_export (GTask *task)
{
  Export *export = g_task_get_task_data (task);

  waybill_export_async (export->store, export->format, export->file, NULL, NULL, NULL,
                        g_task_get_cancellable (task), export_done_cb, task);
}

static void
chooser_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     gpointer         user_data)
{
  GTask *task = user_data;
  Export *export = g_task_get_task_data (task);

  if (response == GTK_RESPONSE_ACCEPT)
    export->file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

  if (export->file == NULL)
    {
      return_cancelled (task);
      g_object_unref (task);
      return;
    }

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  start_export (task);
}

static void
choose_file (GTask *task)
{
  Export *export = g_task_get_task_data (task);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *name = NULL;
  gboolean csv = export->format == WAYBILL_EXPORT_FORMAT_CSV;

  export->chooser = gtk_file_chooser_native_new (_("Export Orders"), export->parent,
                                                 GTK_FILE_CHOOSER_ACTION_SAVE,
                                                 _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (export->chooser), TRUE);

  gtk_file_filter_set_name (filter, csv ? _("CSV Files") : _("JSON Files"));
  gtk_file_filter_add_mime_type (filter, csv ? "text/csv" : "application/json");
  gtk_file_filter_add_suffix (filter, csv ? "csv" : "json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (export->chooser), filter);

  /* Translators: the name proposed for an export; %s is today's date */
  name = g_strdup_printf (_("Waybill Orders %s"), date);
  {
    g_autofree char *file_name = g_strconcat (name, csv ? ".csv" : ".json", NULL);

    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (export->chooser), file_name);
  }

  g_signal_connect (export->chooser, "response", G_CALLBACK (chooser_response_cb), task);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (export->chooser));
}

static void
format_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    gpointer          user_data)
{
  GTask *task = user_data;
  Export *export = g_task_get_task_data (task);

  if (g_str_equal (response, "csv"))
    export->format = WAYBILL_EXPORT_FORMAT_CSV;
  else if (g_str_equal (response, "json"))
    export->format = WAYBILL_EXPORT_FORMAT_JSON;
  else
    {
      return_cancelled (task);
      g_object_unref (task);
      return;
    }

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  choose_file (task);
}

/**
 * waybill_export_ui_run_async:
 * @parent: (nullable): the window the dialogs belong to
 * @store: the store to export
 * @cancellable: (nullable): stops the export once it runs
 *
 * Asks for the format (CSV or JSON) and where to save, then exports every
 * order there.  Finish with waybill_export_ui_finish(): when the person
 * cancels a dialog, the error is %G_IO_ERROR_CANCELLED, which needs no
 * message.
 */
void
waybill_export_ui_run_async (GtkWindow           *parent,
                             WaybillStore        *store,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;
  Export *export;
  GtkWidget *dialog;

  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (WAYBILL_IS_STORE (store));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  export = g_new0 (Export, 1);
  export->store = g_object_ref (store);
  export->parent = parent ? g_object_ref (parent) : NULL;
  export->format = WAYBILL_EXPORT_FORMAT_JSON;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, waybill_export_ui_run_async);
  g_task_set_task_data (task, export, export_free);

  dialog = adw_message_dialog_new (parent, _("Export Orders"),
                                   _("JSON holds everything — orders, shipments, tracking "
                                     "events and notes — and imports back into Waybill without "
                                     "loss. CSV has one row per shipment, for spreadsheets."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "csv", _("_CSV"),
                                    "json", _("_JSON"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "json",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "json");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  /* The task's reference goes to the response, which comes exactly once. */
  g_signal_connect (dialog, "response", G_CALLBACK (format_response_cb), task);
  gtk_window_present (GTK_WINDOW (dialog));
}

/**
 * waybill_export_ui_to_file_async:
 * @store: the store to export
 * @format: CSV or JSON
 * @file: where to write; replaced only once the export is complete
 * @cancellable: (nullable): stops the export
 *
 * Exports every order into @file without asking anything: the second half
 * of waybill_export_ui_run_async().  Finish with waybill_export_ui_finish().
 */
void
waybill_export_ui_to_file_async (WaybillStore        *store,
                                 WaybillExportFormat  format,
                                 GFile               *file,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;
  Export *export;

  g_return_if_fail (WAYBILL_IS_STORE (store));
  g_return_if_fail (format == WAYBILL_EXPORT_FORMAT_CSV || format == WAYBILL_EXPORT_FORMAT_JSON);
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  export = g_new0 (Export, 1);
  export->store = g_object_ref (store);
  export->format = format;
  export->file = g_object_ref (file);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, waybill_export_ui_to_file_async);
  g_task_set_task_data (task, export, export_free);
  start_export (task);
}

/**
 * waybill_export_ui_finish:
 *
 * Returns: (transfer full): a sentence for a toast saying what was
 *   exported and where, or %NULL with @error set to a sentence saying why
 *   nothing was (%G_IO_ERROR_CANCELLED when the person cancelled)
 */
char *
waybill_export_ui_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == waybill_export_ui_run_async ||
                        g_task_get_source_tag (G_TASK (result)) == waybill_export_ui_to_file_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
