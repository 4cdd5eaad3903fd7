/* waybill-export.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-export"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "waybill-export.h"
#include "waybill-format.h"
#include "waybill-store-private.h"

/* Export writes the whole database out, one page of orders at a time, so
 * that a large database is never in memory at once.  The JSON holds every
 * stored fact (not the derived summaries the store recomputes); the CSV is
 * what a spreadsheet shows and what waybill-import.c reads back. */

#define PAGE_SIZE  500
#define FLUSH_SIZE (64 * 1024)

typedef struct
{
  WaybillStore              *store;
  GOutputStream             *stream;
  GString                   *out;
  WaybillExportFormat        format;
  guint                      n_orders;
  guint                      n_total;
  guint                      n_written;
  WaybillExportProgressFunc  progress;
  gpointer                   progress_data;
  sqlite3_stmt              *announced;
} Export;

const char *
waybill_export_format_to_id (WaybillExportFormat format)
{
  switch (format)
    {
    case WAYBILL_EXPORT_FORMAT_CSV:
      return "csv";
    case WAYBILL_EXPORT_FORMAT_JSON:
      return "json";
    case WAYBILL_N_EXPORT_FORMATS:
    case WAYBILL_EXPORT_FORMAT_INVALID:
    default:
      g_return_val_if_reached (NULL);
    }
}

WaybillExportFormat
waybill_export_format_from_id (const char *id)
{
  if (g_strcmp0 (id, "csv") == 0)
    return WAYBILL_EXPORT_FORMAT_CSV;
  if (g_strcmp0 (id, "json") == 0)
    return WAYBILL_EXPORT_FORMAT_JSON;

  return WAYBILL_EXPORT_FORMAT_INVALID;
}

static gboolean
flush (Export        *export,
       gboolean       force,
       GCancellable  *cancellable,
       GError       **error)
{
  if (export->out->len == 0 || (!force && export->out->len < FLUSH_SIZE))
    return TRUE;

  if (!g_output_stream_write_all (export->stream, export->out->str, export->out->len,
                                  NULL, cancellable, error))
    return FALSE;

  g_string_truncate (export->out, 0);

  return TRUE;
}

/* Times of orders and shipments are whole seconds in UTC. */
static char *
format_utc (GDateTime *time)
{
  g_autoptr(GDateTime) utc = NULL;

  if (time == NULL)
    return NULL;

  utc = g_date_time_to_utc (time);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

/* Amounts as people write them: two decimals when that is exact, else
 * the digits that matter (15, as many as a double holds for sure). */
static char *
format_amount (double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (value <= 0)
    return NULL;

  if (fabs (value * 100 - round (value * 100)) < 1e-6)
    return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.2f", value));

  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.15g", value));
}

/* CSV */

static void
csv_append (GString    *out,
            const char *value,
            gboolean    first)
{
  if (!first)
    g_string_append_c (out, ',');

  if (value == NULL || *value == '\0')
    return;

  if (strpbrk (value, ",\"\r\n;\t") == NULL &&
      !g_ascii_isspace (value[0]) && !g_ascii_isspace (value[strlen (value) - 1]))
    {
      g_string_append (out, value);
      return;
    }

  g_string_append_c (out, '"');
  for (const char *p = value; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
csv_append_row (Export          *export,
                WaybillOrder    *order,
                WaybillShipment *shipment)
{
  g_autofree char *total = format_amount (waybill_order_get_total (order));
  g_autofree char *created = format_utc (waybill_order_get_created (order));
  GString *out = export->out;

  csv_append (out, waybill_order_get_order_number (order), TRUE);
  csv_append (out, waybill_order_get_customer (order), FALSE);
  csv_append (out, waybill_order_get_email (order), FALSE);
  csv_append (out, waybill_order_get_phone (order), FALSE);
  csv_append (out, waybill_order_get_address (order), FALSE);
  csv_append (out, waybill_order_get_items (order), FALSE);
  csv_append (out, total, FALSE);
  csv_append (out, waybill_order_get_currency (order), FALSE);
  csv_append (out, created, FALSE);
  csv_append (out, waybill_status_to_id (waybill_order_get_stage (order)), FALSE);
  csv_append (out, waybill_order_get_archived (order) ? "yes" : "no", FALSE);
  csv_append (out, waybill_order_get_note (order), FALSE);
  csv_append (out, shipment ? waybill_shipment_get_carrier (shipment) : NULL, FALSE);
  csv_append (out, shipment ? waybill_shipment_get_tracking_number (shipment) : NULL, FALSE);
  csv_append (out, shipment ? waybill_status_to_id (waybill_shipment_get_status (shipment)) : NULL,
              FALSE);
  g_string_append (out, "\r\n");
}

static void
csv_append_order (Export       *export,
                  WaybillOrder *order)
{
  GPtrArray *shipments = waybill_order_get_shipments (order);

  if (shipments->len == 0)
    csv_append_row (export, order, NULL);

  for (guint i = 0; i < shipments->len; i++)
    csv_append_row (export, order, g_ptr_array_index (shipments, i));
}

/* JSON */

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_time (JsonBuilder *builder,
          const char  *name,
          GDateTime   *time)
{
  g_autofree char *text = format_utc (time);

  add_string (builder, name, text);
}

static void
add_event (JsonBuilder          *builder,
           WaybillTrackingEvent *event)
{
  GDateTime *time = waybill_tracking_event_get_time (event);
  g_autofree char *text = NULL;

  /* A carrier's local time without an offset is written without one. */
  if (waybill_tracking_event_get_time_is_local (event))
    text = g_date_time_format (time, "%Y-%m-%dT%H:%M:%S");
  else
    text = waybill_format_iso8601 (time);

  json_builder_begin_object (builder);
  add_string (builder, "time", text);
  add_string (builder, "status", waybill_status_to_id (waybill_tracking_event_get_status (event)));
  add_string (builder, "code", waybill_tracking_event_get_code (event));
  add_string (builder, "description", waybill_tracking_event_get_description (event));
  add_string (builder, "location", waybill_tracking_event_get_location (event));
  json_builder_end_object (builder);
}

static gboolean
add_announced (Export       *export,
               JsonBuilder  *builder,
               gint64        shipment_id,
               GError      **error)
{
  sqlite3 *db = waybill_store_get_db (export->store);
  int rc;

  if (export->announced == NULL)
    {
      rc = sqlite3_prepare_v2 (db, "SELECT status FROM notifications WHERE shipment_id = ? "
                                   "GROUP BY status ORDER BY min (announced_at), min (id)", -1, &export->announced, NULL);
      if (rc != SQLITE_OK)
        {
          waybill_store_set_error_from_db (error, db, rc, waybill_store_get_path (export->store));
          return FALSE;
        }
    }

  sqlite3_reset (export->announced);
  sqlite3_bind_int64 (export->announced, 1, shipment_id);

  json_builder_set_member_name (builder, "announced");
  json_builder_begin_array (builder);
  while ((rc = sqlite3_step (export->announced)) == SQLITE_ROW)
    json_builder_add_string_value (builder, (const char *) sqlite3_column_text (export->announced, 0));
  json_builder_end_array (builder);
  sqlite3_reset (export->announced);

  if (rc != SQLITE_DONE)
    {
      waybill_store_set_error_from_db (error, db, rc, waybill_store_get_path (export->store));
      return FALSE;
    }

  return TRUE;
}

static gboolean
add_shipment (Export           *export,
              JsonBuilder      *builder,
              WaybillShipment  *shipment,
              GError          **error)
{
  WaybillExceptionReason reason = waybill_shipment_get_exception_reason (shipment);
  GPtrArray *events;

  if (!waybill_store_load_events (export->store, shipment, error))
    return FALSE;
  events = waybill_shipment_get_events (shipment);

  json_builder_begin_object (builder);
  add_string (builder, "carrier", waybill_shipment_get_carrier (shipment));
  add_string (builder, "tracking_number", waybill_shipment_get_tracking_number (shipment));
  add_string (builder, "status", waybill_status_to_id (waybill_shipment_get_status (shipment)));
  add_string (builder, "sub_status", waybill_shipment_get_sub_status (shipment));
  add_string (builder, "exception_reason",
              reason != WAYBILL_EXCEPTION_NONE ? waybill_exception_reason_to_id (reason) : NULL);
  add_time (builder, "estimated_from", waybill_shipment_get_estimated_from (shipment));
  add_time (builder, "estimated_to", waybill_shipment_get_estimated_to (shipment));
  add_time (builder, "delivered_at", waybill_shipment_get_delivered_at (shipment));
  add_string (builder, "signed_by", waybill_shipment_get_signed_by (shipment));
  add_time (builder, "last_event_at", waybill_shipment_get_last_event_at (shipment));
  add_time (builder, "last_checked", waybill_shipment_get_last_checked (shipment));
  add_time (builder, "next_check", waybill_shipment_get_next_check (shipment));
  json_builder_set_member_name (builder, "failure_count");
  json_builder_add_int_value (builder, waybill_shipment_get_failure_count (shipment));
  add_string (builder, "last_error", waybill_shipment_get_last_error (shipment));
  json_builder_set_member_name (builder, "delayed");
  json_builder_add_boolean_value (builder, waybill_shipment_get_delayed (shipment));

  if (!add_announced (export, builder, waybill_shipment_get_id (shipment), error))
    return FALSE;

  /* Oldest first, as they happened. */
  json_builder_set_member_name (builder, "events");
  json_builder_begin_array (builder);
  for (guint i = events->len; i > 0; i--)
    add_event (builder, g_ptr_array_index (events, i - 1));
  json_builder_end_array (builder);

  json_builder_end_object (builder);

  return TRUE;
}

static gboolean
json_append_order (Export        *export,
                   WaybillOrder  *order,
                   GError       **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  GPtrArray *shipments = waybill_order_get_shipments (order);

  json_builder_begin_object (builder);
  add_string (builder, "order_number", waybill_order_get_order_number (order));
  add_string (builder, "customer", waybill_order_get_customer (order));
  add_string (builder, "email", waybill_order_get_email (order));
  add_string (builder, "phone", waybill_order_get_phone (order));
  add_string (builder, "address", waybill_order_get_address (order));
  add_string (builder, "items", waybill_order_get_items (order));
  json_builder_set_member_name (builder, "total");
  if (waybill_order_get_total (order) > 0)
    json_builder_add_double_value (builder, waybill_order_get_total (order));
  else
    json_builder_add_null_value (builder);
  add_string (builder, "currency", waybill_order_get_currency (order));
  add_string (builder, "note", waybill_order_get_note (order));
  add_string (builder, "stage", waybill_status_to_id (waybill_order_get_stage (order)));
  json_builder_set_member_name (builder, "archived");
  json_builder_add_boolean_value (builder, waybill_order_get_archived (order));
  add_time (builder, "created", waybill_order_get_created (order));
  add_time (builder, "updated", waybill_order_get_updated (order));

  json_builder_set_member_name (builder, "shipments");
  json_builder_begin_array (builder);
  for (guint i = 0; i < shipments->len; i++)
    if (!add_shipment (export, builder, g_ptr_array_index (shipments, i), error))
      return FALSE;
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);

  /* One order a line: a diff of two exports reads order by order. */
  g_string_append (export->out, export->n_written > 0 ? ",\n    " : "\n    ");
  g_string_append (export->out, text);

  return TRUE;
}

static gboolean
export_page (Export        *export,
             WaybillFilter  filter,
             GCancellable  *cancellable,
             GError       **error)
{
  WaybillOrderQuery query = WAYBILL_ORDER_QUERY_INIT;

  WaybillOrderKey last = { 0 };
  gboolean first = TRUE;

  query.filter = filter;

  /* Page by key: each page starts after the last row of the one before,
   * so that the 1000th page costs what the first did (OFFSET would walk
   * every row before it again). */
  for (;;)
    {
      g_autoptr(GPtrArray) page = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      page = waybill_store_list_orders_after (export->store, &query, first ? NULL : &last, 0, PAGE_SIZE,
                                              &last, error);
      first = FALSE;
      if (page == NULL)
        return FALSE;

      for (guint i = 0; i < page->len; i++)
        {
          WaybillOrder *order = g_ptr_array_index (page, i);

          if (export->format == WAYBILL_EXPORT_FORMAT_CSV)
            csv_append_order (export, order);
          else if (!json_append_order (export, order, error))
            return FALSE;

          export->n_written++;
          if (!flush (export, FALSE, cancellable, error))
            return FALSE;
        }

      if (export->progress != NULL && export->n_total > 0)
        export->progress (MIN (1.0, (double) export->n_written / export->n_total),
                          export->progress_data);

      if (page->len < PAGE_SIZE)
        return TRUE;
    }
}

static gboolean
export_run (Export        *export,
            GCancellable  *cancellable,
            GError       **error)
{
  static const WaybillOrderQuery all = { WAYBILL_FILTER_ALL, WAYBILL_STATUS_INVALID, WAYBILL_SORT_NEWEST };
  static const WaybillOrderQuery archived = { WAYBILL_FILTER_ARCHIVED, WAYBILL_STATUS_INVALID, WAYBILL_SORT_NEWEST };
  sqlite3 *db = waybill_store_get_db (export->store);
  gboolean own_transaction = FALSE;
  gint64 n_all, n_archived;
  gboolean ok = FALSE;

  /* One read transaction: the export is a snapshot, even while the app
   * or a refresh writes (WAL lets readers go on). */
  if (sqlite3_get_autocommit (db))
    {
      int rc = sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);

      if (rc != SQLITE_OK)
        {
          waybill_store_set_error_from_db (error, db, rc, waybill_store_get_path (export->store));
          return FALSE;
        }
      own_transaction = TRUE;
    }

  n_all = waybill_store_count_orders (export->store, &all, error);
  if (n_all < 0)
    goto out;
  n_archived = waybill_store_count_orders (export->store, &archived, error);
  if (n_archived < 0)
    goto out;
  export->n_total = n_all + n_archived;

  if (export->format == WAYBILL_EXPORT_FORMAT_CSV)
    {
      static const char * const columns[] = { WAYBILL_EXPORT_CSV_COLUMNS };

      for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
        csv_append (export->out, columns[i], i == 0);
      g_string_append (export->out, "\r\n");
    }
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *exported = format_utc (now);

      g_string_append_printf (export->out,
                              "{\n  \"format\": \"waybill\",\n  \"version\": %d,\n"
                              "  \"exported\": \"%s\",\n  \"orders\": [",
                              WAYBILL_EXPORT_JSON_VERSION, exported);
    }

  if (!export_page (export, WAYBILL_FILTER_ALL, cancellable, error) ||
      !export_page (export, WAYBILL_FILTER_ARCHIVED, cancellable, error))
    goto out;

  if (export->format == WAYBILL_EXPORT_FORMAT_JSON)
    g_string_append (export->out, "\n  ]\n}\n");

  if (!flush (export, TRUE, cancellable, error))
    goto out;

  export->n_orders = export->n_written;
  ok = TRUE;

out:
  g_clear_pointer (&export->announced, sqlite3_finalize);
  if (own_transaction)
    sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);

  return ok;
}

/**
 * waybill_export_to_stream:
 * @out_n_orders: (out) (optional): how many orders were written
 *
 * Writes every order, archived ones included, to @stream, which is left
 * open.  Blocks: call it from a thread with a store of its own, or use
 * waybill_export_async().
 */
gboolean
waybill_export_to_stream (WaybillStore         *store,
                          WaybillExportFormat   format,
                          GOutputStream        *stream,
                          GCancellable         *cancellable,
                          guint                *out_n_orders,
                          GError              **error)
{
  Export export = { 0 };
  gboolean ok;

  g_return_val_if_fail (WAYBILL_IS_STORE (store), FALSE);
  g_return_val_if_fail (format == WAYBILL_EXPORT_FORMAT_CSV || format == WAYBILL_EXPORT_FORMAT_JSON, FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  export.store = store;
  export.stream = stream;
  export.format = format;
  export.out = g_string_sized_new (FLUSH_SIZE + 4096);

  ok = export_run (&export, cancellable, error);
  g_string_free (export.out, TRUE);

  if (ok && out_n_orders != NULL)
    *out_n_orders = export.n_orders;

  return ok;
}

static gboolean
export_file (Export        *export,
             GFile         *file,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GFileOutputStream) stream = NULL;
  gboolean ok;

  /* g_file_replace() writes beside the file and renames on close: an
   * export that fails or is cancelled leaves the old file as it was. */
  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, cancellable, error);
  if (stream == NULL)
    return FALSE;

  export->stream = G_OUTPUT_STREAM (stream);
  export->out = g_string_sized_new (FLUSH_SIZE + 4096);
  ok = export_run (export, cancellable, error);
  g_string_free (export->out, TRUE);
  export->out = NULL;
  export->stream = NULL;

  if (!ok)
    {
      g_autoptr(GCancellable) abort = g_cancellable_new ();

      g_cancellable_cancel (abort);
      g_output_stream_close (G_OUTPUT_STREAM (stream), abort, NULL);
      return FALSE;
    }

  return g_output_stream_close (G_OUTPUT_STREAM (stream), cancellable, error);
}

/**
 * waybill_export_to_file:
 *
 * Like waybill_export_to_stream(), into @file, which is replaced only once
 * the export is complete.
 */
gboolean
waybill_export_to_file (WaybillStore         *store,
                        WaybillExportFormat   format,
                        GFile                *file,
                        GCancellable         *cancellable,
                        guint                *out_n_orders,
                        GError              **error)
{
  Export export = { 0 };

  g_return_val_if_fail (WAYBILL_IS_STORE (store), FALSE);
  g_return_val_if_fail (format == WAYBILL_EXPORT_FORMAT_CSV || format == WAYBILL_EXPORT_FORMAT_JSON, FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  export.store = store;
  export.format = format;

  if (!export_file (&export, file, cancellable, error))
    return FALSE;

  if (out_n_orders != NULL)
    *out_n_orders = export.n_orders;

  return TRUE;
}

/* Async */

typedef struct
{
  char                      *path;
  WaybillExportFormat        format;
  GFile                     *file;
  WaybillExportProgressFunc  progress;
  gpointer                   progress_data;
  GDestroyNotify             progress_data_free;
  GMainContext              *context;
  double                     last_progress;
  guint                      n_orders;
} AsyncData;

static void
async_data_free (gpointer data)
{
  AsyncData *async = data;

  if (async->progress_data_free != NULL)
    async->progress_data_free (async->progress_data);
  g_main_context_unref (async->context);
  g_object_unref (async->file);
  g_free (async->path);
  g_free (async);
}

typedef struct
{
  GTask  *task;
  double  fraction;
} ProgressUpdate;

static void
progress_update_free (gpointer data)
{
  ProgressUpdate *update = data;

  g_object_unref (update->task);
  g_free (update);
}

static gboolean
progress_cb (gpointer data)
{
  ProgressUpdate *update = data;
  AsyncData *async = g_task_get_task_data (update->task);

  async->progress (update->fraction, async->progress_data);

  return G_SOURCE_REMOVE;
}

/* Runs in the export thread: hands the fraction to the caller's context,
 * a few times a second at most. */
static void
thread_progress (double   fraction,
                 gpointer user_data)
{
  GTask *task = user_data;
  AsyncData *async = g_task_get_task_data (task);
  g_autoptr(GSource) source = NULL;
  ProgressUpdate *update;

  if (async->progress == NULL || (fraction - async->last_progress < 0.01 && fraction < 1.0))
    return;
  async->last_progress = fraction;

  update = g_new0 (ProgressUpdate, 1);
  update->task = g_object_ref (task);
  update->fraction = fraction;
  /* Always through a source: g_main_context_invoke() runs the function
   * right here, in this thread, when the caller's thread happens not to
   * be iterating its context at this moment. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, progress_cb, update, progress_update_free);
  g_source_attach (source, async->context);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  AsyncData *async = task_data;
  g_autoptr(WaybillStore) store = NULL;
  GError *error = NULL;
  Export export = { 0 };

  store = waybill_store_open (async->path, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  export.store = store;
  export.format = async->format;
  export.progress = thread_progress;
  export.progress_data = task;

  if (!export_file (&export, async->file, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  async->n_orders = export.n_orders;
  g_task_return_boolean (task, TRUE);
}

/**
 * waybill_export_async:
 * @store: the store; the export reads through a connection of its own to
 *   the same database, in a thread
 * @progress: (nullable) (scope notified): called on the caller's main
 *   context as the export goes on
 *
 * Exports into @file without blocking; @file is replaced only once the
 * export is complete.  Cancelling @cancellable leaves it as it was.
 */
void
waybill_export_async (WaybillStore              *store,
                      WaybillExportFormat        format,
                      GFile                     *file,
                      WaybillExportProgressFunc  progress,
                      gpointer                   progress_data,
                      GDestroyNotify             progress_data_free,
                      GCancellable              *cancellable,
                      GAsyncReadyCallback        callback,
                      gpointer                   user_data)
{
  g_autoptr(GTask) task = NULL;
  AsyncData *async;

  g_return_if_fail (WAYBILL_IS_STORE (store));
  g_return_if_fail (format == WAYBILL_EXPORT_FORMAT_CSV || format == WAYBILL_EXPORT_FORMAT_JSON);
  g_return_if_fail (G_IS_FILE (file));

  async = g_new0 (AsyncData, 1);
  async->path = g_strdup (waybill_store_get_path (store));
  async->format = format;
  async->file = g_object_ref (file);
  async->progress = progress;
  async->progress_data = progress_data;
  async->progress_data_free = progress_data_free;
  async->context = g_main_context_ref_thread_default ();
  async->last_progress = -1;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, waybill_export_async);
  g_task_set_task_data (task, async, async_data_free);
  g_task_run_in_thread (task, export_thread);
}

gboolean
waybill_export_finish (GAsyncResult  *result,
                       guint         *out_n_orders,
                       GError       **error)
{
  AsyncData *async;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == waybill_export_async, FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  async = g_task_get_task_data (G_TASK (result));
  if (out_n_orders != NULL)
    *out_n_orders = async->n_orders;

  return TRUE;
}
