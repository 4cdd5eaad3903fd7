/* waybill-feedback-import.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-feedback"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "waybill-csv-reader.h"
#include "waybill-feedback.h"

/* Survey answers from a CSV file: one row per answer, with a header naming
 * the order number, rating, comment and date columns (in any order, under
 * the names survey tools use).  A broken row is reported with its line
 * number and skipped; the good rows are kept; an answer already imported
 * is not imported again, as the store keeps feedback unique. */

typedef enum
{
  COL_ORDER,
  COL_RATING,
  COL_COMMENT,
  COL_DATE,
  N_COLS,
} Column;

static const char * const column_names[N_COLS][8] = {
  [COL_ORDER] = { "order", "order number", "order_number", "order no", "order #", "order id",
                  "ordernumber", NULL },
  [COL_RATING] = { "rating", "score", "stars", "rating (1-5)", NULL },
  [COL_COMMENT] = { "comment", "comments", "feedback", "message", "text", NULL },
  [COL_DATE] = { "date", "submitted", "submitted at", "answered", "answered at", "timestamp",
                 "created", NULL },
};

static int
column_for (const char *header)
{
  g_autofree char *name = g_utf8_strdown (header, -1);

  g_strstrip (name);
  for (int c = 0; c < N_COLS; c++)
    for (guint i = 0; column_names[c][i] != NULL; i++)
      if (g_str_equal (name, column_names[c][i]))
        return c;

  return -1;
}

/* "2025-12-04", "2025-12-04 09:30", "2025-12-04 09:30:15" (local time),
 * or ISO 8601 with an offset.  A date alone is noon local time, so that
 * it stays on its day in every nearby time zone. */
static GDateTime *
parse_date (const char *text)
{
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autofree char *copy = g_strstrip (g_strdup (text));
  int year, month, day, hour = 12, minute = 0, second = 0;
  int used = 0;
  const char *rest;

  if (*copy == '\0')
    return NULL;

  if (strchr (copy, 'T') != NULL)
    return g_date_time_new_from_iso8601 (copy, local);

  if (sscanf (copy, "%4d-%2d-%2d%n", &year, &month, &day, &used) != 3)
    return NULL;
  rest = copy + used;
  if (*rest != '\0')
    {
      if (sscanf (rest, " %2d:%2d%n", &hour, &minute, &used) != 2)
        return NULL;
      rest += used;
      if (*rest == ':')
        {
          if (sscanf (rest, ":%2d%n", &second, &used) != 1)
            return NULL;
          rest += used;
        }
      if (*rest != '\0')
        return NULL;
    }

  if (!g_date_valid_dmy (day, month, year) || hour < 0 || hour > 23 ||
      minute < 0 || minute > 59 || second < 0 || second > 59)
    return NULL;

  return g_date_time_new (local, year, month, day, hour, minute, second);
}

static gboolean
parse_rating (const char *text,
              guint      *out_rating)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  char *end = NULL;
  gint64 value;

  if (*copy == '\0')
    return FALSE;
  value = g_ascii_strtoll (copy, &end, 10);
  if (*end != '\0' || value < WAYBILL_FEEDBACK_MIN_RATING || value > WAYBILL_FEEDBACK_MAX_RATING)
    return FALSE;

  *out_rating = value;
  return TRUE;
}

static void
add_problem (WaybillFeedbackImportReport *report,
             guint64                      line,
             const char                  *message)
{
  /* Translators: a problem with one row of an imported file, such as
   * "Line 4: there is no order “1099”" */
  g_ptr_array_add (report->problems,
                   g_strdup_printf (_("Line %llu: %s"), (unsigned long long) line, message));
}

static gboolean
is_record_error (const GError *error)
{
  return error->domain == WAYBILL_CSV_ERROR &&
         (error->code == WAYBILL_CSV_ERROR_ENCODING ||
          error->code == WAYBILL_CSV_ERROR_TOO_LARGE ||
          error->code == WAYBILL_CSV_ERROR_UNTERMINATED);
}

/* One row; FALSE only for errors that end the import (the disk is full). */
static gboolean
import_row (WaybillStore                *store,
            WaybillFeedbackImportReport *report,
            const int                   *columns,
            const char * const          *fields,
            guint                        n_fields,
            guint64                      line,
            GError                     **error)
{
  g_autoptr(WaybillOrder) order = NULL;
  g_autoptr(WaybillFeedback) feedback = NULL;
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *message = NULL;
  const char *v[N_COLS] = { NULL };
  gboolean was_new = FALSE;
  guint rating = 0;
  gboolean blank = TRUE;

  for (guint i = 0; i < n_fields; i++)
    blank &= *g_strstrip ((char *) fields[i]) == '\0';
  if (blank)
    return TRUE;

  for (int c = 0; c < N_COLS; c++)
    v[c] = columns[c] >= 0 && (guint) columns[c] < n_fields ? fields[columns[c]] : "";

  if (*v[COL_ORDER] == '\0')
    {
      add_problem (report, line, _("the order number is missing"));
      return TRUE;
    }
  if (!parse_rating (v[COL_RATING], &rating))
    {
      message = g_strdup_printf (_("the rating “%s” is not a whole number from 1 to 5"), v[COL_RATING]);
      add_problem (report, line, message);
      return TRUE;
    }
  date = parse_date (v[COL_DATE]);
  if (date == NULL)
    {
      message = g_strdup_printf (_("the date “%s” is not a date such as 2025-12-04"), v[COL_DATE]);
      add_problem (report, line, message);
      return TRUE;
    }

  order = waybill_store_find_order (store, v[COL_ORDER], &local_error);
  if (order == NULL)
    {
      if (!g_error_matches (local_error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      message = g_strdup_printf (_("there is no order “%s”"), v[COL_ORDER]);
      add_problem (report, line, message);
      return TRUE;
    }

  feedback = waybill_feedback_new (waybill_order_get_id (order), rating, v[COL_COMMENT], date,
                                   WAYBILL_FEEDBACK_SOURCE_SURVEY);
  if (!waybill_store_add_feedback (store, feedback, &was_new, error))
    return FALSE;

  if (was_new)
    report->added++;
  else
    report->duplicates++;

  return TRUE;
}

/**
 * waybill_feedback_import:
 * @stream: a CSV file of survey answers
 *
 * Imports survey answers in one transaction.
 *
 * Returns: (transfer full): what was imported and which rows were not, or
 *   %NULL when the file cannot be read at all (no header, a missing
 *   column, an I/O error, a full disk)
 */
WaybillFeedbackImportReport *
waybill_feedback_import (WaybillStore  *store,
                         GInputStream  *stream,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr(WaybillCsvReader) reader = NULL;
  g_autoptr(WaybillFeedbackImportReport) report = NULL;
  g_autoptr(GError) local_error = NULL;
  int columns[N_COLS] = { -1, -1, -1, -1 };

  g_return_val_if_fail (WAYBILL_IS_STORE (store), NULL);
  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);

  reader = waybill_csv_reader_new (stream);
  if (!waybill_csv_reader_read_record (reader, cancellable, &local_error))
    {
      if (local_error == NULL || is_record_error (local_error))
        g_set_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_INVALID,
                     _("The file has no header row"));
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  for (guint i = 0; i < waybill_csv_reader_get_n_fields (reader); i++)
    {
      int c = column_for (waybill_csv_reader_get_field (reader, i));

      if (c >= 0 && columns[c] < 0)
        columns[c] = i;
    }

  if (columns[COL_ORDER] < 0 || columns[COL_RATING] < 0 || columns[COL_DATE] < 0)
    {
      g_set_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_INVALID,
                   _("The file needs an order number, a rating and a date column "
                     "(its header names them “order”, “rating” and “date”)"));
      return NULL;
    }

  report = g_new0 (WaybillFeedbackImportReport, 1);
  report->problems = g_ptr_array_new_with_free_func (g_free);

  if (!waybill_store_begin (store, error))
    return NULL;

  for (;;)
    {
      g_clear_error (&local_error);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto failed;

      if (!waybill_csv_reader_read_record (reader, cancellable, &local_error))
        {
          if (local_error == NULL)
            break;
          if (!is_record_error (local_error))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              goto failed;
            }
          add_problem (report, waybill_csv_reader_get_line (reader), local_error->message);
          continue;
        }

      if (!import_row (store, report, columns, waybill_csv_reader_get_fields (reader),
                       waybill_csv_reader_get_n_fields (reader),
                       waybill_csv_reader_get_line (reader), error))
        goto failed;
    }

  if (!waybill_store_commit (store, error))
    return NULL;

  return g_steal_pointer (&report);

failed:
  waybill_store_rollback (store);
  return NULL;
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GFile *file = task_data;
  const char *path = g_object_get_data (G_OBJECT (task), "database-path");
  g_autoptr(WaybillStore) store = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  WaybillFeedbackImportReport *report;
  GError *error = NULL;

  /* A connection of this thread's own: a store belongs to its thread. */
  store = waybill_store_open (path, &error);
  if (store != NULL)
    stream = g_file_read (file, cancellable, &error);
  if (stream == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  report = waybill_feedback_import (store, G_INPUT_STREAM (stream), cancellable, &error);
  if (report == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, report, (GDestroyNotify) waybill_feedback_import_report_free);
}

/**
 * waybill_feedback_import_file_async:
 * @database_path: the store's file; the import runs in a thread with a
 *   connection of its own, and the store's other connections see the
 *   change through their watch
 */
void
waybill_feedback_import_file_async (const char          *database_path,
                                    GFile               *file,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (database_path != NULL);
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, waybill_feedback_import_file_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_object_set_data_full (G_OBJECT (task), "database-path", g_strdup (database_path), g_free);
  g_task_run_in_thread (task, import_thread);
}

WaybillFeedbackImportReport *
waybill_feedback_import_file_finish (GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
waybill_feedback_import_report_free (WaybillFeedbackImportReport *report)
{
  if (report == NULL)
    return;

  g_clear_pointer (&report->problems, g_ptr_array_unref);
  g_free (report);
}
