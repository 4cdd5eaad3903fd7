/* test-export.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "waybill-demo.h"
#include "waybill-export.h"
#include "waybill-import.h"
#include "waybill-store-private.h"
#include "test-util.h"

typedef struct
{
  char         *dir;
  WaybillStore *store;
  WaybillStore *copy;
} Fixture;

static WaybillStore *
open_store (Fixture    *fixture,
            const char *name)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

  return test_open_store (path);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = test_make_tmp_dir ("export");
  fixture->store = open_store (fixture, "first.db");
  fixture->copy = open_store (fixture, "second.db");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->store);
  g_assert_finalize_object (fixture->copy);
  remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static GDateTime *
at (const char *iso)
{
  GDateTime *time = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (time);

  return time;
}

/* A shop with every kind of fact: the demo's orders and timelines, and
 * by hand an archived order, awkward text, a carrier's local time, an
 * exception, announced changes and a long-failing shipment. */
static void
fill (WaybillStore *store)
{
  g_autoptr(WaybillOrder) awkward = waybill_order_new ("#A-1", "Zoë \"Zee\" O'Hara, Jr.");
  g_autoptr(WaybillOrder) archived = waybill_order_new ("old-7", "Ann Archive");
  g_autoptr(WaybillShipment) parcel = waybill_shipment_new ("royal-mail", "RB123456785GB");
  g_autoptr(WaybillShipment) failing = waybill_shipment_new (NULL, "ZZ-CUSTOM-42");
  g_autoptr(WaybillTrackingResult) result = waybill_tracking_result_new (WAYBILL_STATUS_EXCEPTION);
  g_autoptr(WaybillTrackingEvent) local = NULL;
  g_autoptr(WaybillTrackingEvent) offset = NULL;
  g_autoptr(GDateTime) created = at ("2023-12-24T18:30:00+01:00");
  g_autoptr(GDateTime) local_time = NULL;
  g_autoptr(GDateTime) offset_time = at ("2024-01-02T09:15:00-05:00");
  g_autoptr(GDateTime) eta = at ("2024-01-05T00:00:00Z");
  g_autoptr(GDateTime) checked = at ("2024-01-03T12:00:00Z");
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
  g_autoptr(GError) error = NULL;
  gboolean was_new = FALSE;

  g_assert_true (waybill_demo_fill (store, 25, 7, &error));
  g_assert_no_error (error);

  waybill_order_set_email (awkward, "zee@example.com");
  waybill_order_set_address (awkward, "Flat 2, \"The Old Mill\"\n1 Water Lane\nYork YO1 7HH\nGB");
  waybill_order_set_items (awkward, "1 × Mug, \"big\"\n3 × Spoon; silver");
  waybill_order_set_note (awkward, "Line one\r\nLine two; with \"quotes\", commas\tand a tab");
  waybill_order_set_total (awkward, 19.995);
  waybill_order_set_currency (awkward, "GBP");
  waybill_order_set_stage (awkward, WAYBILL_STATUS_SHIPPED);
  waybill_order_set_created (awkward, created);
  waybill_order_add_shipment (awkward, parcel);
  waybill_order_add_shipment (awkward, failing);
  g_assert_true (waybill_store_create_order (store, awkward, &error));
  g_assert_no_error (error);

  local_time = g_date_time_new (tz, 2024, 1, 2, 7, 45, 0);
  local = waybill_tracking_event_new (local_time, WAYBILL_STATUS_IN_TRANSIT, "IT", "Sorted", "Chester");
  waybill_tracking_event_set_time_is_local (local, TRUE);
  offset = waybill_tracking_event_new (offset_time, WAYBILL_STATUS_EXCEPTION, "EX", "Held at customs", NULL);
  g_ptr_array_add (result->events, g_object_ref (local));
  g_ptr_array_add (result->events, g_object_ref (offset));
  result->exception_reason = WAYBILL_EXCEPTION_CUSTOMS;
  result->sub_status = g_strdup ("Awaiting duties");
  result->estimated_to = g_date_time_ref (eta);
  result->signed_by = NULL;
  g_assert_true (waybill_store_record_result (store, waybill_shipment_get_id (parcel), result, checked,
                                              NULL, &error));
  g_assert_no_error (error);
  g_assert_true (waybill_store_mark_announced (store, waybill_shipment_get_id (parcel),
                                               WAYBILL_STATUS_IN_TRANSIT, &was_new, &error));
  g_assert_true (waybill_store_mark_announced (store, waybill_shipment_get_id (parcel),
                                               WAYBILL_STATUS_EXCEPTION, &was_new, &error));
  g_assert_no_error (error);
  g_assert_true (waybill_store_record_failure (store, waybill_shipment_get_id (failing), "Not found",
                                               checked, &error));
  g_assert_true (waybill_store_record_failure (store, waybill_shipment_get_id (failing), "Still not found",
                                               checked, &error));
  g_assert_no_error (error);

  waybill_order_set_phone (archived, "+44 20 0000 0000");
  g_assert_true (waybill_store_create_order (store, archived, &error));
  g_assert_true (waybill_store_set_archived (store, waybill_order_get_id (archived), TRUE, &error));
  g_assert_no_error (error);
}

static int
dump_row_cb (void  *data,
             int    n_columns,
             char **values,
             char **names)
{
  GString *out = data;

  for (int i = 0; i < n_columns; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? "|" : "", values[i] ? values[i] : "NULL");
  g_string_append_c (out, '\n');

  return 0;
}

/* The database's facts, without its row ids: two databases with the same
 * facts dump the same. */
static char *
dump (WaybillStore *store)
{
  static const char * const queries[] = {
    "SELECT order_number, customer, email, phone, address, items, total, currency, note, stage, "
    "  archived, created, updated, status, delayed, eta, last_update "
    "FROM orders ORDER BY order_number",
    "SELECT o.order_number, s.carrier, s.tracking_number, s.status, s.sub_status, s.exception_reason, "
    "  s.estimated_from, s.estimated_to, s.delivered_at, s.signed_by, s.last_event_at, s.last_checked, "
    "  s.next_check, s.failure_count, s.last_error, s.delayed "
    "FROM shipments s JOIN orders o ON o.id = s.order_id ORDER BY o.order_number, s.tracking_number",
    "SELECT o.order_number, s.tracking_number, e.time, e.utc_offset, e.status, e.code, e.description, "
    "  e.location "
    "FROM tracking_events e JOIN shipments s ON s.id = e.shipment_id JOIN orders o ON o.id = s.order_id "
    "ORDER BY o.order_number, s.tracking_number, e.time, e.code, e.description",
    "SELECT o.order_number, s.tracking_number, n.status "
    "FROM notifications n JOIN shipments s ON s.id = n.shipment_id JOIN orders o ON o.id = s.order_id "
    "ORDER BY 1, 2, 3",
    "SELECT order_number, customer, email, tracking FROM search ORDER BY order_number",
  };
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_string_append_printf (out, "[%u]\n", i);
      g_assert_cmpint (sqlite3_exec (waybill_store_get_db (store), queries[i], dump_row_cb, out, NULL),
                       ==, SQLITE_OK);
    }

  return g_string_free (out, FALSE);
}

static gint64
count (WaybillStore *store,
       const char   *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", table);
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (waybill_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return n;
}

static GFile *
file_in (Fixture    *fixture,
         const char *name)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

  return g_file_new_for_path (path);
}

static WaybillImportResult *
import_into (WaybillStore *store,
             GFile        *file)
{
  g_autoptr(WaybillImporter) importer = waybill_importer_new (store);
  g_autoptr(GError) error = NULL;
  WaybillImportResult *result = waybill_importer_run (importer, file, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpuint (result->n_rows_bad, ==, 0);
  g_assert_true (result->written);

  return result;
}

static void
test_ids (void)
{
  g_assert_cmpstr (waybill_export_format_to_id (WAYBILL_EXPORT_FORMAT_CSV), ==, "csv");
  g_assert_cmpstr (waybill_export_format_to_id (WAYBILL_EXPORT_FORMAT_JSON), ==, "json");
  g_assert_cmpint (waybill_export_format_from_id ("json"), ==, WAYBILL_EXPORT_FORMAT_JSON);
  g_assert_cmpint (waybill_export_format_from_id ("csv"), ==, WAYBILL_EXPORT_FORMAT_CSV);
  g_assert_cmpint (waybill_export_format_from_id ("xml"), ==, WAYBILL_EXPORT_FORMAT_INVALID);
}

static void
test_json_round_trip (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GFile) file = file_in (fixture, "all.json");
  g_autoptr(WaybillImportResult) result = NULL;
  g_autoptr(WaybillImportResult) again = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *original = NULL;
  g_autofree char *copied = NULL;
  g_autofree char *copied_again = NULL;
  JsonObject *root;
  guint n_orders = 0;

  fill (fixture->store);
  g_assert_cmpint (count (fixture->store, "tracking_events"), >, 10);
  g_assert_cmpint (count (fixture->store, "notifications"), ==, 2);

  g_assert_true (waybill_export_to_file (fixture->store, WAYBILL_EXPORT_FORMAT_JSON, file, NULL,
                                         &n_orders, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_orders, ==, 27);

  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, "waybill");
  g_assert_cmpint (json_object_get_int_member (root, "version"), ==, WAYBILL_EXPORT_JSON_VERSION);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "orders")), ==, 27);

  result = import_into (fixture->copy, file);
  g_assert_cmpint (result->format, ==, WAYBILL_IMPORT_FORMAT_WAYBILL_JSON);
  g_assert_cmpuint (result->orders_new, ==, 27);

  /* The same facts, down to times, events, announcements and the search
   * index. */
  original = dump (fixture->store);
  copied = dump (fixture->copy);
  g_assert_cmpstr (original, ==, copied);
  g_assert_cmpint (count (fixture->copy, "notifications"), ==, 2);
  g_assert_nonnull (strstr (copied, "Zoë \"Zee\" O'Hara, Jr."));
  g_assert_nonnull (strstr (copied, "Held at customs"));

  /* And once more: nothing changes. */
  again = import_into (fixture->copy, file);
  g_assert_cmpuint (again->orders_new, ==, 0);
  g_assert_cmpuint (again->orders_updated, ==, 0);
  g_assert_cmpuint (again->orders_unchanged, ==, 27);
  copied_again = dump (fixture->copy);
  g_assert_cmpstr (copied, ==, copied_again);
}

static void
test_csv_round_trip (Fixture       *fixture,
                     gconstpointer  data)
{
  /* A CSV reader reads a line break inside a field as "\n", however it
   * was written: only the JSON keeps a "\r\n". */
  static const char * const order_facts =
    "SELECT order_number, customer, email, phone, address, items, total, currency, "
    "  replace (note, char (13) || char (10), char (10)), stage, archived, created "
    "FROM orders ORDER BY order_number";
  static const char * const shipment_facts =
    "SELECT o.order_number, s.carrier, s.tracking_number, s.status "
    "FROM shipments s JOIN orders o ON o.id = s.order_id ORDER BY 1, 3";
  g_autoptr(GFile) file = file_in (fixture, "all.csv");
  g_autoptr(WaybillImportResult) result = NULL;
  g_autoptr(GString) a = g_string_new (NULL);
  g_autoptr(GString) b = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *expected_header = NULL;
  static const char * const columns[] = { WAYBILL_EXPORT_CSV_COLUMNS, NULL };
  guint n_orders = 0;

  fill (fixture->store);
  g_assert_true (waybill_export_to_file (fixture->store, WAYBILL_EXPORT_FORMAT_CSV, file, NULL,
                                         &n_orders, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_orders, ==, 27);

  /* RFC 4180: the header, CRLF, quoted fields where needed. */
  g_assert_true (g_file_load_contents (file, NULL, &contents, NULL, NULL, &error));
  expected_header = g_strjoinv (",", (char **) columns);
  g_assert_true (g_str_has_prefix (contents, expected_header));
  g_assert_true (g_str_has_prefix (contents + strlen (expected_header), "\r\n"));
  g_assert_nonnull (strstr (contents, "\"Zoë \"\"Zee\"\" O'Hara, Jr.\""));
  g_assert_nonnull (strstr (contents, ",19.995,GBP,2023-12-24T17:30:00Z,shipped,no,"));

  result = import_into (fixture->copy, file);
  g_assert_cmpint (result->format, ==, WAYBILL_IMPORT_FORMAT_WAYBILL);
  g_assert_cmpuint (result->orders_new, ==, 27);

  /* The orders and their parcels come back as they were. */
  g_assert_cmpint (sqlite3_exec (waybill_store_get_db (fixture->store), order_facts, dump_row_cb, a, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (waybill_store_get_db (fixture->copy), order_facts, dump_row_cb, b, NULL), ==, SQLITE_OK);
  g_assert_cmpstr (a->str, ==, b->str);
  g_string_truncate (a, 0);
  g_string_truncate (b, 0);
  g_assert_cmpint (sqlite3_exec (waybill_store_get_db (fixture->store), shipment_facts, dump_row_cb, a, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (waybill_store_get_db (fixture->copy), shipment_facts, dump_row_cb, b, NULL), ==, SQLITE_OK);
  g_assert_cmpstr (a->str, ==, b->str);
  /* The number a carrier would refuse was kept on purpose: it comes back. */
  g_assert_nonnull (strstr (b->str, "ZZCUSTOM42"));
}

static void
test_stream (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  guint n_orders = 99;
  const char *text;

  /* An empty database exports a valid, empty file. */
  g_assert_true (waybill_export_to_stream (fixture->store, WAYBILL_EXPORT_FORMAT_JSON, out, NULL,
                                           &n_orders, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_orders, ==, 0);
  g_assert_true (g_output_stream_write_all (out, "", 1, NULL, NULL, &error));
  text = g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out));
  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (json_parser_get_root (parser)), "orders")), ==, 0);
}

/* More orders than one page of the export (500), archived ones among
 * them: every order comes out exactly once. */
static void
test_many_pages (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *orders;
  guint n_orders = 0;

  g_assert_true (waybill_demo_fill (fixture->store, 1234, 3, &error));
  g_assert_no_error (error);
  g_assert_true (waybill_export_to_stream (fixture->store, WAYBILL_EXPORT_FORMAT_JSON, out, NULL,
                                           &n_orders, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_orders, ==, 1234);
  g_assert_true (g_output_stream_write_all (out, "", 1, NULL, NULL, &error));
  g_assert_true (json_parser_load_from_data (parser, g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)),
                                             -1, &error));
  g_assert_no_error (error);
  orders = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "orders");
  g_assert_cmpuint (json_array_get_length (orders), ==, 1234);
  for (guint i = 0; i < json_array_get_length (orders); i++)
    {
      const char *number = json_object_get_string_member (json_array_get_object_element (orders, i),
                                                          "order_number");

      g_assert_nonnull (number);
      g_assert_true (g_hash_table_add (seen, (gpointer) number));
    }
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GFile) file = file_in (fixture, "keep.json");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;

  fill (fixture->store);
  g_assert_true (g_file_replace_contents (file, "old", 3, NULL, FALSE, 0, NULL, NULL, &error));

  /* A cancelled export leaves the file as it was. */
  g_cancellable_cancel (cancellable);
  g_assert_false (waybill_export_to_file (fixture->store, WAYBILL_EXPORT_FORMAT_JSON, file, cancellable,
                                          NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (g_file_load_contents (file, NULL, &contents, NULL, NULL, NULL));
  g_assert_cmpstr (contents, ==, "old");
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
  guint     n_orders;
  guint     n_progress;
  double    last;
  GThread  *main_thread;
} AsyncState;

static void
progress_cb (double   fraction,
             gpointer user_data)
{
  AsyncState *state = user_data;

  g_assert_true (g_thread_self () == state->main_thread);
  g_assert_cmpfloat (fraction, >=, state->last);
  g_assert_cmpfloat (fraction, <=, 1.0);
  state->last = fraction;
  state->n_progress++;
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  AsyncState *state = user_data;

  g_assert_null (object);
  state->ok = waybill_export_finish (result, &state->n_orders, &state->error);
  state->done = TRUE;
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GFile) file = file_in (fixture, "async.csv");
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  AsyncState state = { 0 };

  state.main_thread = g_thread_self ();
  fill (fixture->store);

  waybill_export_async (fixture->store, WAYBILL_EXPORT_FORMAT_CSV, file, progress_cb, &state, NULL,
                        NULL, done_cb, &state);
  while (!state.done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  g_assert_true (state.done);
  g_assert_no_error (state.error);
  g_assert_true (state.ok);
  g_assert_cmpuint (state.n_orders, ==, 27);
  g_assert_cmpuint (state.n_progress, >=, 1);
  g_assert_cmpfloat (state.last, ==, 1.0);
  g_assert_true (g_file_load_contents (file, NULL, &contents, NULL, NULL, &error));
  g_assert_true (g_str_has_prefix (contents, "order_number,"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/waybill/export/ids", test_ids);
  g_test_add ("/waybill/export/json-round-trip", Fixture, NULL, fixture_set_up, test_json_round_trip, fixture_tear_down);
  g_test_add ("/waybill/export/csv-round-trip", Fixture, NULL, fixture_set_up, test_csv_round_trip, fixture_tear_down);
  g_test_add ("/waybill/export/stream", Fixture, NULL, fixture_set_up, test_stream, fixture_tear_down);
  g_test_add ("/waybill/export/many-pages", Fixture, NULL, fixture_set_up, test_many_pages, fixture_tear_down);
  g_test_add ("/waybill/export/cancel", Fixture, NULL, fixture_set_up, test_cancel, fixture_tear_down);
  g_test_add ("/waybill/export/async", Fixture, NULL, fixture_set_up, test_async, fixture_tear_down);

  return g_test_run ();
}
