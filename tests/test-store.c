/* test-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "waybill-demo.h"
#include "waybill-store-private.h"
#include "test-util.h"

typedef TestStoreDir Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = test_make_tmp_dir ("store");
  fixture->path = g_build_filename (fixture->dir, "data", "waybill.db", NULL);
  fixture->store = test_open_store (fixture->path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  test_store_dir_tear_down (fixture);
}

static WaybillOrder *
add_order (WaybillStore *store,
           const char   *number,
           const char   *customer,
           const char   *email,
           const char   *tracking)
{
  g_autoptr(WaybillOrder) order = waybill_order_new (number, customer);
  g_autoptr(GError) error = NULL;

  waybill_order_set_email (order, email);
  if (tracking != NULL)
    {
      g_autoptr(WaybillShipment) shipment = waybill_shipment_new ("ups", tracking);

      waybill_order_set_stage (order, WAYBILL_STATUS_SHIPPED);
      waybill_order_add_shipment (order, shipment);
    }

  waybill_store_create_order (store, order, &error);
  g_assert_no_error (error);
  g_assert_cmpint (waybill_order_get_id (order), >, 0);

  return g_steal_pointer (&order);
}

static gint64
query_int (WaybillStore *store,
           const char   *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (waybill_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

static char *
query_text (WaybillStore *store,
            const char   *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value;

  g_assert_cmpint (sqlite3_prepare_v2 (waybill_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  return value;
}

static void
test_open_creates_private_files (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  g_autofree char *mode = NULL;
  struct stat st;

  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_stat (fixture->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  mode = query_text (fixture->store, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");
  g_assert_cmpint (query_int (fixture->store, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (query_int (fixture->store, "PRAGMA user_version"), ==, WAYBILL_STORE_SCHEMA_VERSION);
  g_assert_cmpint (query_int (fixture->store, "PRAGMA application_id"), ==, WAYBILL_STORE_APPLICATION_ID);
  g_assert_cmpint (query_int (fixture->store, "PRAGMA busy_timeout"), >=, 1000);
}

static void
test_orders_crud (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(WaybillOrder) order = add_order (fixture->store, "1042", "Anna Müller", "anna@example.com", NULL);
  g_autoptr(WaybillOrder) again = NULL;
  g_autoptr(WaybillOrder) dup = waybill_order_new ("1042", "Someone Else");
  g_autoptr(WaybillOrder) empty = waybill_order_new ("  ", "Nobody");
  g_autoptr(GError) error = NULL;
  gint64 id = waybill_order_get_id (order);

  g_assert_nonnull (waybill_order_get_created (order));

  again = waybill_store_get_order (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (waybill_order_get_customer (again), ==, "Anna Müller");
  g_assert_cmpstr (waybill_order_get_email (again), ==, "anna@example.com");
  g_assert_cmpint (waybill_order_get_display_status (again), ==, WAYBILL_STATUS_RECEIVED);
  g_clear_object (&again);

  /* Found by number, with or without "#", in any case. */
  again = waybill_store_find_order (fixture->store, "#1042", &error);
  g_assert_no_error (error);
  g_assert_cmpint (waybill_order_get_id (again), ==, id);
  g_clear_object (&again);

  /* A second order with the same number is refused, clearly. */
  g_assert_false (waybill_store_create_order (fixture->store, dup, &error));
  g_assert_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_DUPLICATE);
  g_assert_nonnull (strstr (error->message, "1042"));
  g_assert_cmpint (waybill_order_get_id (dup), ==, 0);
  g_clear_error (&error);

  g_assert_false (waybill_store_create_order (fixture->store, empty, &error));
  g_assert_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* Update. */
  waybill_order_set_customer (order, "Anna Müller-Lind");
  waybill_order_set_stage (order, WAYBILL_STATUS_PROCESSING);
  waybill_order_set_note (order, "Gift wrap");
  waybill_store_update_order (fixture->store, order, &error);
  g_assert_no_error (error);
  again = waybill_store_get_order (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (waybill_order_get_customer (again), ==, "Anna Müller-Lind");
  g_assert_cmpstr (waybill_order_get_note (again), ==, "Gift wrap");
  g_assert_cmpint (waybill_order_get_display_status (again), ==, WAYBILL_STATUS_PROCESSING);
  g_clear_object (&again);

  /* Archive and back. */
  waybill_store_set_archived (fixture->store, id, TRUE, &error);
  g_assert_no_error (error);
  again = waybill_store_get_order (fixture->store, id, &error);
  g_assert_true (waybill_order_get_archived (again));
  g_clear_object (&again);
  waybill_store_set_archived (fixture->store, id, FALSE, &error);
  g_assert_no_error (error);

  /* Delete; a second delete says the order is gone. */
  waybill_store_delete_order (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_null (waybill_store_get_order (fixture->store, id, &error));
  g_assert_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (waybill_store_delete_order (fixture->store, id, &error));
  g_assert_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (waybill_store_set_archived (fixture->store, id, TRUE, &error));
  g_assert_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (waybill_store_update_order (fixture->store, order, &error));
  g_assert_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_NOT_FOUND);
}

static void
test_shipments (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(WaybillOrder) order = add_order (fixture->store, "2001", "Ben Brooks", NULL, "1z 999aa1 0123456784");
  g_autoptr(WaybillOrder) again = NULL;
  g_autoptr(WaybillShipment) second = waybill_shipment_new ("usps", "9400111899223817576487");
  g_autoptr(WaybillShipment) dup = waybill_shipment_new ("ups", "1Z999AA10123456784");
  g_autoptr(WaybillShipment) nowhere = waybill_shipment_new ("ups", "1Z999AA10000000000");
  g_autoptr(GError) error = NULL;
  gint64 id = waybill_order_get_id (order);
  WaybillShipment *first;

  /* Tracking numbers are kept without spaces and in upper case. */
  again = waybill_store_find_by_tracking (fixture->store, "1Z999AA10123456784", &error);
  g_assert_no_error (error);
  g_assert_cmpint (waybill_order_get_id (again), ==, id);
  g_assert_cmpint (waybill_order_get_display_status (again), ==, WAYBILL_STATUS_PENDING);
  first = g_ptr_array_index (waybill_order_get_shipments (again), 0);
  g_assert_cmpstr (waybill_shipment_get_tracking_number (first), ==, "1Z999AA10123456784");
  g_clear_object (&again);
  again = waybill_store_find_by_tracking (fixture->store, "1z999aa1 0123456784", &error);
  g_assert_no_error (error);
  g_clear_object (&again);

  waybill_shipment_set_status (second, WAYBILL_STATUS_IN_TRANSIT);
  waybill_store_add_shipment (fixture->store, id, second, &error);
  g_assert_no_error (error);
  g_assert_cmpint (waybill_shipment_get_order_id (second), ==, id);

  g_assert_false (waybill_store_add_shipment (fixture->store, id, dup, &error));
  g_assert_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_DUPLICATE);
  g_assert_cmpint (waybill_shipment_get_id (dup), ==, 0);
  g_clear_error (&error);

  g_assert_false (waybill_store_add_shipment (fixture->store, 999999, nowhere, &error));
  g_assert_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The order shows its least advanced shipment: pending. Once the
   * first is delivered, the second's "in transit". */
  again = waybill_store_get_order (fixture->store, id, &error);
  g_assert_cmpuint (waybill_order_get_shipments (again)->len, ==, 2);
  g_assert_cmpint (waybill_order_get_display_status (again), ==, WAYBILL_STATUS_PENDING);
  first = g_ptr_array_index (waybill_order_get_shipments (again), 0);
  waybill_shipment_set_status (first, WAYBILL_STATUS_DELIVERED);
  waybill_store_update_shipment (fixture->store, first, &error);
  g_assert_no_error (error);
  g_clear_object (&again);
  again = waybill_store_get_order (fixture->store, id, &error);
  g_assert_cmpint (waybill_order_get_display_status (again), ==, WAYBILL_STATUS_IN_TRANSIT);
  g_clear_object (&again);

  /* Remove the second; delivered remains. */
  waybill_store_remove_shipment (fixture->store, waybill_shipment_get_id (second), &error);
  g_assert_no_error (error);
  again = waybill_store_get_order (fixture->store, id, &error);
  g_assert_cmpuint (waybill_order_get_shipments (again)->len, ==, 1);
  g_assert_cmpint (waybill_order_get_display_status (again), ==, WAYBILL_STATUS_DELIVERED);
  g_assert_false (waybill_store_remove_shipment (fixture->store, waybill_shipment_get_id (second), &error));
  g_assert_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Deleting the order takes its shipments and events with it. */
  waybill_store_delete_order (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_int (fixture->store, "SELECT count(*) FROM shipments"), ==, 0);
}

static WaybillTrackingEvent *
make_event (const char    *iso,
            WaybillStatus  status,
            const char    *code,
            const char    *description)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (time);
  return waybill_tracking_event_new (time, status, code, description, "Memphis, TN, US");
}

static void
test_record_results (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(WaybillOrder) order = add_order (fixture->store, "3001", "Cleo", NULL, "1Z999AA10123456784");
  g_autoptr(WaybillTrackingResult) result = waybill_tracking_result_new (WAYBILL_STATUS_IN_TRANSIT);
  g_autoptr(WaybillTrackingResult) later = NULL;
  g_autoptr(WaybillShipment) shipment = NULL;
  g_autoptr(WaybillOrder) again = NULL;
  g_autoptr(GError) error = NULL;
  WaybillShipment *s = g_ptr_array_index (waybill_order_get_shipments (order), 0);
  gint64 sid = waybill_shipment_get_id (s);
  WaybillStatus previous = WAYBILL_STATUS_INVALID;
  WaybillTrackingEvent *e;

  g_ptr_array_add (result->events, make_event ("2026-11-20T08:00:00-06:00", WAYBILL_STATUS_INFO_RECEIVED, "MP", "Label created"));
  g_ptr_array_add (result->events, make_event ("2026-11-21T14:05:00-06:00", WAYBILL_STATUS_IN_TRANSIT, "AR", "Arrived at Facility"));
  result->estimated_to = g_date_time_new_from_iso8601 ("2099-12-03T18:00:00Z", NULL);
  result->sub_status = g_strdup ("On the way");

  waybill_store_record_result (fixture->store, sid, result, NULL, &previous, &error);
  g_assert_no_error (error);
  g_assert_cmpint (previous, ==, WAYBILL_STATUS_PENDING);

  /* The same answer again: no duplicate events. */
  waybill_store_record_result (fixture->store, sid, result, NULL, &previous, &error);
  g_assert_no_error (error);
  g_assert_cmpint (previous, ==, WAYBILL_STATUS_IN_TRANSIT);
  g_assert_cmpint (query_int (fixture->store, "SELECT count(*) FROM tracking_events"), ==, 2);

  /* A later answer adds what is new and delivers. */
  later = waybill_tracking_result_copy (result);
  later->status = WAYBILL_STATUS_DELIVERED;
  g_ptr_array_add (later->events, make_event ("2026-11-22T10:30:00-06:00", WAYBILL_STATUS_DELIVERED, "D", "Delivered"));
  later->delivered_at = g_date_time_new_from_iso8601 ("2026-11-22T10:30:00-06:00", NULL);
  later->signed_by = g_strdup ("FRONT DOOR");
  waybill_store_record_result (fixture->store, sid, later, NULL, &previous, &error);
  g_assert_no_error (error);
  g_assert_cmpint (previous, ==, WAYBILL_STATUS_IN_TRANSIT);
  g_assert_cmpint (query_int (fixture->store, "SELECT count(*) FROM tracking_events"), ==, 3);

  shipment = waybill_store_get_shipment (fixture->store, sid, &error);
  g_assert_no_error (error);
  g_assert_cmpint (waybill_shipment_get_status (shipment), ==, WAYBILL_STATUS_DELIVERED);
  g_assert_cmpstr (waybill_shipment_get_signed_by (shipment), ==, "FRONT DOOR");
  g_assert_cmpstr (waybill_shipment_get_sub_status (shipment), ==, "On the way");
  g_assert_nonnull (waybill_shipment_get_last_checked (shipment));
  g_assert_cmpuint (waybill_shipment_get_events (shipment)->len, ==, 3);
  /* Newest first, with the carrier's offset kept. */
  e = g_ptr_array_index (waybill_shipment_get_events (shipment), 0);
  g_assert_cmpstr (waybill_tracking_event_get_description (e), ==, "Delivered");
  g_assert_cmpint (g_date_time_get_utc_offset (waybill_tracking_event_get_time (e)) / G_USEC_PER_SEC, ==, -6 * 3600);
  g_assert_cmpint (g_date_time_get_hour (waybill_tracking_event_get_time (e)), ==, 10);

  again = waybill_store_get_order (fixture->store, waybill_order_get_id (order), &error);
  g_assert_cmpint (waybill_order_get_display_status (again), ==, WAYBILL_STATUS_DELIVERED);

  /* The same shipment without reading its events. */
  {
    g_autoptr(WaybillShipment) bare = waybill_store_get_shipment_without_events (fixture->store, sid, &error);

    g_assert_no_error (error);
    g_assert_cmpint (waybill_shipment_get_status (bare), ==, WAYBILL_STATUS_DELIVERED);
    g_assert_cmpstr (waybill_shipment_get_signed_by (bare), ==, "FRONT DOOR");
    g_assert_cmpuint (waybill_shipment_get_events (bare)->len, ==, 0);
    g_assert_null (waybill_store_get_shipment_without_events (fixture->store, 987654, &error));
    g_assert_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }

  /* A failure is counted and kept in words; a success clears it. */
  waybill_store_record_failure (fixture->store, sid, "UPS does not know this number", NULL, &error);
  g_assert_no_error (error);
  waybill_store_record_failure (fixture->store, sid, "UPS does not know this number", NULL, &error);
  g_clear_object (&shipment);
  shipment = waybill_store_get_shipment (fixture->store, sid, &error);
  g_assert_cmpuint (waybill_shipment_get_failure_count (shipment), ==, 2);
  g_assert_cmpstr (waybill_shipment_get_last_error (shipment), ==, "UPS does not know this number");
  waybill_store_record_result (fixture->store, sid, later, NULL, NULL, &error);
  g_clear_object (&shipment);
  shipment = waybill_store_get_shipment (fixture->store, sid, &error);
  g_assert_cmpuint (waybill_shipment_get_failure_count (shipment), ==, 0);
  g_assert_null (waybill_shipment_get_last_error (shipment));
}

/* Counts, in temporary tables of the test's connection, the writes a
 * recording makes: order rows written with their whole summary, order rows
 * written with their last update alone, and event rows inserted. */
static void
count_writes (WaybillStore *store)
{
  g_assert_cmpint (sqlite3_exec (waybill_store_get_db (store),
                                 "CREATE TEMP TABLE writes (what TEXT);"
                                 "CREATE TEMP TRIGGER count_summary AFTER UPDATE OF status ON orders "
                                 "  BEGIN INSERT INTO writes VALUES ('summary'); END;"
                                 "CREATE TEMP TRIGGER count_last_update AFTER UPDATE OF last_update ON orders "
                                 "  BEGIN INSERT INTO writes VALUES ('last_update'); END;"
                                 "CREATE TEMP TRIGGER count_events AFTER INSERT ON tracking_events "
                                 "  BEGIN INSERT INTO writes VALUES ('event'); END;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
}

static gint64
count_written (WaybillStore *store,
               const char   *what)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM writes WHERE what = '%s'", what);

  return query_int (store, sql);
}

static void
forget_writes (WaybillStore *store)
{
  g_assert_cmpint (sqlite3_exec (waybill_store_get_db (store), "DELETE FROM writes", NULL, NULL, NULL), ==, SQLITE_OK);
}

static WaybillTrackingEvent *
event_hours_ago (GDateTime     *now,
                 int            hours,
                 WaybillStatus  status,
                 const char    *description)
{
  g_autoptr(GDateTime) time = g_date_time_add_hours (now, -hours);

  return waybill_tracking_event_new (time, status, "X", description, "Memphis, TN, US");
}

/* Two shipments of one order in one batch: the order's summary is written
 * once, and is what both shipments together make. */
static void
test_record_batch_same_order (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(WaybillOrder) order = add_order (fixture->store, "3401", "Gus", NULL, "1Z999AA10123456784");
  g_autoptr(WaybillShipment) second = waybill_shipment_new ("ups", "1Z999AA10000000009");
  g_autoptr(WaybillTrackingResult) ahead = waybill_tracking_result_new (WAYBILL_STATUS_OUT_FOR_DELIVERY);
  g_autoptr(WaybillTrackingResult) behind = waybill_tracking_result_new (WAYBILL_STATUS_IN_TRANSIT);
  /* A day on, so that the events are newer than the order's own edits. */
  g_autoptr(GDateTime) today = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) now = g_date_time_add_days (today, 1);
  g_autoptr(GDateTime) soon = g_date_time_add_days (now, 1);
  g_autoptr(GDateTime) later = g_date_time_add_days (now, 3);
  g_autoptr(WaybillOrder) again = NULL;
  g_autoptr(GError) error = NULL;
  WaybillShipment *first = g_ptr_array_index (waybill_order_get_shipments (order), 0);
  gint64 ids[2];
  WaybillTrackingResult *results[2] = { ahead, behind };
  WaybillStatus previous[2] = { WAYBILL_STATUS_INVALID, WAYBILL_STATUS_INVALID };
  WaybillStatus statuses[2] = { WAYBILL_STATUS_OUT_FOR_DELIVERY, WAYBILL_STATUS_IN_TRANSIT };
  WaybillOrderQuery in_transit = { WAYBILL_FILTER_ALL, WAYBILL_STATUS_IN_TRANSIT, WAYBILL_SORT_NEWEST };
  g_autofree char *status = NULL;

  waybill_store_add_shipment (fixture->store, waybill_order_get_id (order), second, &error);
  g_assert_no_error (error);
  ids[0] = waybill_shipment_get_id (first);
  ids[1] = waybill_shipment_get_id (second);

  g_ptr_array_add (ahead->events, event_hours_ago (now, 1, WAYBILL_STATUS_OUT_FOR_DELIVERY, "On the van"));
  ahead->estimated_to = g_date_time_ref (later);
  g_ptr_array_add (behind->events, event_hours_ago (now, 5, WAYBILL_STATUS_IN_TRANSIT, "Left the hub"));
  behind->estimated_to = g_date_time_ref (soon);

  count_writes (fixture->store);
  waybill_store_record_results (fixture->store, 2, ids, results, now, previous, &error);
  g_assert_no_error (error);
  g_assert_cmpint (previous[0], ==, WAYBILL_STATUS_PENDING);
  g_assert_cmpint (previous[1], ==, WAYBILL_STATUS_PENDING);
  g_assert_cmpint (count_written (fixture->store, "summary"), ==, 1);
  g_assert_cmpint (count_written (fixture->store, "event"), ==, 2);

  /* The least advanced shipment, the soonest delivery, the newest event. */
  status = query_text (fixture->store, "SELECT status FROM orders WHERE order_number = '3401'");
  g_assert_cmpstr (status, ==, waybill_status_to_id (waybill_status_for_order (WAYBILL_STATUS_SHIPPED, statuses, 2)));
  g_assert_cmpstr (status, ==, "in_transit");
  g_assert_cmpint (query_int (fixture->store, "SELECT eta FROM orders WHERE order_number = '3401'"), ==,
                   g_date_time_to_unix (soon));
  g_assert_cmpint (query_int (fixture->store, "SELECT last_update FROM orders WHERE order_number = '3401'"), ==,
                   g_date_time_to_unix (now) - 3600);
  again = waybill_store_get_order (fixture->store, waybill_order_get_id (order), &error);
  g_assert_no_error (error);
  g_assert_cmpint (waybill_order_get_display_status (again), ==, WAYBILL_STATUS_IN_TRANSIT);
  g_assert_false (waybill_order_get_delayed (again));
  g_assert_cmpint (waybill_store_count_orders (fixture->store, &in_transit, &error), ==, 1);

  /* The same shipment twice in a batch: the later result wins and the
   * earlier one is its "previous". */
  {
    g_autoptr(WaybillTrackingResult) delivered = waybill_tracking_result_new (WAYBILL_STATUS_DELIVERED);
    gint64 same[3] = { ids[1], ids[1], ids[0] };
    WaybillTrackingResult *three[3] = { behind, delivered, delivered };
    WaybillStatus before[3];

    g_ptr_array_add (delivered->events, event_hours_ago (now, 0, WAYBILL_STATUS_DELIVERED, "Delivered"));
    forget_writes (fixture->store);
    waybill_store_record_results (fixture->store, 3, same, three, now, before, &error);
    g_assert_no_error (error);
    g_assert_cmpint (before[0], ==, WAYBILL_STATUS_IN_TRANSIT);
    g_assert_cmpint (before[1], ==, WAYBILL_STATUS_IN_TRANSIT);
    g_assert_cmpint (before[2], ==, WAYBILL_STATUS_OUT_FOR_DELIVERY);
    g_assert_cmpint (count_written (fixture->store, "summary"), ==, 1);
    g_clear_object (&again);
    again = waybill_store_get_order (fixture->store, waybill_order_get_id (order), &error);
    g_assert_cmpint (waybill_order_get_display_status (again), ==, WAYBILL_STATUS_DELIVERED);
    /* Delivered shipments have no estimated delivery left to show. */
    g_assert_cmpint (query_int (fixture->store, "SELECT eta IS NULL FROM orders WHERE order_number = '3401'"), ==, 1);
    g_assert_cmpint (waybill_store_count_orders (fixture->store, &in_transit, &error), ==, 0);
  }
}

/* An answer that says nothing new writes no event and leaves the order
 * row alone (its columns are in the list's indexes); one with only a new
 * event writes the order's last update alone. */
static void
test_record_unchanged_writes_nothing (Fixture       *fixture,
                                      gconstpointer  data)
{
  g_autoptr(WaybillOrder) order = add_order (fixture->store, "3501", "Hana", NULL, "1Z999AA10123456784");
  g_autoptr(WaybillTrackingResult) result = waybill_tracking_result_new (WAYBILL_STATUS_IN_TRANSIT);
  g_autoptr(GDateTime) today = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) now = g_date_time_add_days (today, 1);
  g_autoptr(GDateTime) checked = g_date_time_add_minutes (now, 30);
  g_autoptr(GDateTime) eta = g_date_time_add_days (now, 2);
  g_autoptr(WaybillShipment) shipment = NULL;
  g_autoptr(GError) error = NULL;
  WaybillShipment *s = g_ptr_array_index (waybill_order_get_shipments (order), 0);
  gint64 sid = waybill_shipment_get_id (s);
  WaybillStatus previous = WAYBILL_STATUS_INVALID;

  g_ptr_array_add (result->events, event_hours_ago (now, 3, WAYBILL_STATUS_IN_TRANSIT, "Departed"));
  result->estimated_to = g_date_time_ref (eta);
  waybill_store_record_result (fixture->store, sid, result, now, NULL, &error);
  g_assert_no_error (error);

  count_writes (fixture->store);
  waybill_store_record_result (fixture->store, sid, result, checked, &previous, &error);
  g_assert_no_error (error);
  g_assert_cmpint (previous, ==, WAYBILL_STATUS_IN_TRANSIT);
  g_assert_cmpint (count_written (fixture->store, "event"), ==, 0);
  g_assert_cmpint (count_written (fixture->store, "summary"), ==, 0);
  g_assert_cmpint (count_written (fixture->store, "last_update"), ==, 0);
  /* The check itself is kept. */
  shipment = waybill_store_get_shipment (fixture->store, sid, &error);
  g_assert_cmpint (g_date_time_to_unix (waybill_shipment_get_last_checked (shipment)), ==,
                   g_date_time_to_unix (checked));

  /* A new event, same status and estimate: the last update alone. */
  g_ptr_array_add (result->events, event_hours_ago (now, 1, WAYBILL_STATUS_IN_TRANSIT, "Arrived"));
  waybill_store_record_result (fixture->store, sid, result, checked, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count_written (fixture->store, "event"), ==, 1);
  g_assert_cmpint (count_written (fixture->store, "summary"), ==, 0);
  g_assert_cmpint (count_written (fixture->store, "last_update"), ==, 1);
  g_assert_cmpint (query_int (fixture->store, "SELECT last_update FROM orders WHERE order_number = '3501'"), ==,
                   g_date_time_to_unix (now) - 3600);

  /* A new estimate: the whole summary. */
  forget_writes (fixture->store);
  g_clear_pointer (&result->estimated_to, g_date_time_unref);
  result->estimated_to = g_date_time_add_days (now, 4);
  waybill_store_record_result (fixture->store, sid, result, checked, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count_written (fixture->store, "summary"), ==, 1);
  g_assert_cmpint (query_int (fixture->store, "SELECT eta FROM orders WHERE order_number = '3501'"), ==,
                   g_date_time_to_unix (result->estimated_to));
}

static void
test_record_batch_is_atomic (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(WaybillOrder) order = add_order (fixture->store, "3101", "Dora", NULL, "1Z999AA10123456784");
  g_autoptr(WaybillTrackingResult) result = waybill_tracking_result_new (WAYBILL_STATUS_OUT_FOR_DELIVERY);
  g_autoptr(GError) error = NULL;
  WaybillShipment *s = g_ptr_array_index (waybill_order_get_shipments (order), 0);
  gint64 ids[2] = { waybill_shipment_get_id (s), 987654 };
  WaybillTrackingResult *results[2] = { result, result };
  WaybillStatus previous[2];

  g_ptr_array_add (result->events, make_event ("2026-11-21T07:00:00Z", WAYBILL_STATUS_OUT_FOR_DELIVERY, "OD", "Out for delivery"));

  /* The second shipment does not exist: nothing of the batch lands. */
  g_assert_false (waybill_store_record_results (fixture->store, 2, ids, results, NULL, previous, &error));
  g_assert_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_NOT_FOUND);
  g_assert_cmpint (query_int (fixture->store, "SELECT count(*) FROM tracking_events"), ==, 0);
  g_assert_cmpint (query_int (fixture->store, "SELECT count(*) FROM shipments WHERE status = 'pending'"), ==, 1);
}

static void
test_delayed_flag (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(WaybillOrder) order = add_order (fixture->store, "3201", "Emil", NULL, "1Z999AA10123456784");
  g_autoptr(WaybillTrackingResult) result = waybill_tracking_result_new (WAYBILL_STATUS_IN_TRANSIT);
  g_autoptr(WaybillOrder) again = NULL;
  g_autoptr(GError) error = NULL;
  WaybillShipment *s = g_ptr_array_index (waybill_order_get_shipments (order), 0);
  WaybillOrderQuery attention = { WAYBILL_FILTER_ATTENTION, WAYBILL_STATUS_INVALID, WAYBILL_SORT_NEWEST };

  /* Past its estimated delivery and not delivered: delayed. */
  result->estimated_to = g_date_time_new_from_iso8601 ("2020-01-01T00:00:00Z", NULL);
  waybill_store_record_result (fixture->store, waybill_shipment_get_id (s), result, NULL, NULL, &error);
  g_assert_no_error (error);
  again = waybill_store_get_order (fixture->store, waybill_order_get_id (order), &error);
  g_assert_true (waybill_order_get_delayed (again));
  g_assert_cmpint (waybill_store_count_orders (fixture->store, &attention, &error), ==, 1);
  g_clear_object (&again);

  /* Delivered: no longer delayed. */
  result->status = WAYBILL_STATUS_DELIVERED;
  waybill_store_record_result (fixture->store, waybill_shipment_get_id (s), result, NULL, NULL, &error);
  again = waybill_store_get_order (fixture->store, waybill_order_get_id (order), &error);
  g_assert_false (waybill_order_get_delayed (again));
  g_assert_cmpint (waybill_store_count_orders (fixture->store, &attention, &error), ==, 0);
}

static void
test_manual_event (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(WaybillOrder) order = add_order (fixture->store, "3301", "Fritz", NULL, "LOCAL-COURIER-7");
  g_autoptr(WaybillTrackingEvent) event = make_event ("2026-11-21T16:00:00+01:00", WAYBILL_STATUS_DELIVERED, "", "Handed over at the door");
  g_autoptr(WaybillShipment) shipment = NULL;
  g_autoptr(GError) error = NULL;
  WaybillShipment *s = g_ptr_array_index (waybill_order_get_shipments (order), 0);

  waybill_store_add_event (fixture->store, waybill_shipment_get_id (s), event, &error);
  g_assert_no_error (error);
  shipment = waybill_store_get_shipment (fixture->store, waybill_shipment_get_id (s), &error);
  g_assert_cmpint (waybill_shipment_get_status (shipment), ==, WAYBILL_STATUS_DELIVERED);
  g_assert_nonnull (waybill_shipment_get_delivered_at (shipment));
  g_assert_cmpuint (waybill_shipment_get_events (shipment)->len, ==, 1);
}

static void
test_due_shipments (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(WaybillOrder) a = add_order (fixture->store, "D-1", "Due", NULL, "1Z999AA10123456784");
  g_autoptr(WaybillOrder) b = add_order (fixture->store, "D-2", "Later", NULL, "1Z999AA10000000009");
  g_autoptr(WaybillOrder) c = add_order (fixture->store, "D-3", "Archived", NULL, "1Z999AA10000000010");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_hours (now, 3);
  g_autoptr(GDateTime) past = g_date_time_add_hours (now, -1);
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(GError) error = NULL;
  WaybillShipment *sa = g_ptr_array_index (waybill_order_get_shipments (a), 0);
  WaybillShipment *sb = g_ptr_array_index (waybill_order_get_shipments (b), 0);
  g_autoptr(WaybillTrackingResult) delivered = waybill_tracking_result_new (WAYBILL_STATUS_DELIVERED);

  waybill_store_schedule_shipment (fixture->store, waybill_shipment_get_id (sa), past, &error);
  g_assert_no_error (error);
  waybill_store_schedule_shipment (fixture->store, waybill_shipment_get_id (sb), later, &error);
  g_assert_no_error (error);
  waybill_store_set_archived (fixture->store, waybill_order_get_id (c), TRUE, &error);

  due = waybill_store_list_due_shipments (fixture->store, now, FALSE, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (due->len, ==, 1);
  g_assert_cmpint (waybill_shipment_get_id (g_ptr_array_index (due, 0)), ==, waybill_shipment_get_id (sa));
  g_clear_pointer (&due, g_ptr_array_unref);

  /* --all: every active one, archived orders still left out. */
  due = waybill_store_list_due_shipments (fixture->store, now, TRUE, 100, &error);
  g_assert_cmpuint (due->len, ==, 2);
  g_clear_pointer (&due, g_ptr_array_unref);

  /* Delivered: never again. */
  waybill_store_record_result (fixture->store, waybill_shipment_get_id (sa), delivered, NULL, NULL, &error);
  g_assert_no_error (error);
  due = waybill_store_list_due_shipments (fixture->store, later, TRUE, 100, &error);
  g_assert_cmpuint (due->len, ==, 1);
  g_clear_pointer (&due, g_ptr_array_unref);

  g_assert_false (waybill_store_schedule_shipment (fixture->store, 424242, now, &error));
  g_assert_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  waybill_store_set_delay_threshold (fixture->store, 3600);
  g_assert_cmpuint (waybill_store_get_delay_threshold (fixture->store), ==, 3600);
}

static void
test_announced_once (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(WaybillOrder) order = add_order (fixture->store, "3401", "Greta", NULL, "1Z999AA10123456784");
  g_autoptr(GError) error = NULL;
  WaybillShipment *s = g_ptr_array_index (waybill_order_get_shipments (order), 0);
  gboolean was_new = FALSE;

  waybill_store_mark_announced (fixture->store, waybill_shipment_get_id (s), WAYBILL_STATUS_DELIVERED, &was_new, &error);
  g_assert_no_error (error);
  g_assert_true (was_new);
  waybill_store_mark_announced (fixture->store, waybill_shipment_get_id (s), WAYBILL_STATUS_DELIVERED, &was_new, &error);
  g_assert_no_error (error);
  g_assert_false (was_new);

  /* A delay is announced once too, apart from the statuses. */
  waybill_store_mark_delay_announced (fixture->store, waybill_shipment_get_id (s), &was_new, &error);
  g_assert_no_error (error);
  g_assert_true (was_new);
  waybill_store_mark_delay_announced (fixture->store, waybill_shipment_get_id (s), &was_new, &error);
  g_assert_false (was_new);

  g_assert_false (waybill_store_mark_announced (fixture->store, 999999, WAYBILL_STATUS_DELIVERED, &was_new, &error));
  g_assert_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_NOT_FOUND);
}

static void
test_list_filters_and_paging (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  WaybillOrderQuery query = WAYBILL_ORDER_QUERY_INIT;
  g_autoptr(GPtrArray) page1 = NULL;
  g_autoptr(GPtrArray) page2 = NULL;
  g_autoptr(GPtrArray) all = NULL;
  gint64 total, archived, delivered, active, ofd;

  waybill_demo_fill (fixture->store, 60, 7, &error);
  g_assert_no_error (error);

  total = waybill_store_count_orders (fixture->store, &query, &error);
  query.filter = WAYBILL_FILTER_ARCHIVED;
  archived = waybill_store_count_orders (fixture->store, &query, &error);
  g_assert_cmpint (archived, >=, 1);
  g_assert_cmpint (total + archived, ==, 60);

  /* Paging covers everything once, newest first. */
  query.filter = WAYBILL_FILTER_ALL;
  page1 = waybill_store_list_orders (fixture->store, &query, 0, 25, &error);
  page2 = waybill_store_list_orders (fixture->store, &query, 25, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page1->len, ==, 25);
  g_assert_cmpuint (page1->len + page2->len, ==, total);
  for (guint i = 1; i < page1->len; i++)
    g_assert_cmpint (g_date_time_compare (waybill_order_get_created (g_ptr_array_index (page1, i - 1)),
                                          waybill_order_get_created (g_ptr_array_index (page1, i))), >=, 0);
  g_assert_cmpint (g_date_time_compare (waybill_order_get_created (g_ptr_array_index (page1, 24)),
                                        waybill_order_get_created (g_ptr_array_index (page2, 0))), >=, 0);

  /* By status. */
  query.status = WAYBILL_STATUS_DELIVERED;
  all = waybill_store_list_orders (fixture->store, &query, 0, 1000, &error);
  g_assert_no_error (error);
  delivered = all->len;
  g_assert_cmpint (delivered, >=, 1);
  for (guint i = 0; i < all->len; i++)
    {
      WaybillOrder *o = g_ptr_array_index (all, i);

      g_assert_cmpint (waybill_order_get_display_status (o), ==, WAYBILL_STATUS_DELIVERED);
      g_assert_false (waybill_order_get_archived (o));
    }
  g_assert_cmpint (waybill_store_count_orders (fixture->store, &query, &error), ==, delivered);

  query.status = WAYBILL_STATUS_INVALID;
  query.filter = WAYBILL_FILTER_DELIVERED;
  g_assert_cmpint (waybill_store_count_orders (fixture->store, &query, &error), ==, delivered);
  query.filter = WAYBILL_FILTER_ACTIVE;
  active = waybill_store_count_orders (fixture->store, &query, &error);
  g_assert_cmpint (active, >, 0);
  g_assert_cmpint (active, <, total - delivered + 1);
  query.filter = WAYBILL_FILTER_OUT_FOR_DELIVERY;
  ofd = waybill_store_count_orders (fixture->store, &query, &error);
  g_assert_cmpint (ofd, >=, 1);

  /* Every sort works and lists the same number of rows. */
  for (WaybillSort sort = 0; sort < WAYBILL_N_SORTS; sort++)
    {
      g_autoptr(GPtrArray) sorted = NULL;

      query.filter = WAYBILL_FILTER_ALL;
      query.sort = sort;
      sorted = waybill_store_list_orders (fixture->store, &query, 0, 1000, &error);
      g_assert_no_error (error);
      g_assert_cmpint (sorted->len, ==, total);
    }

  /* A bad query is an error, not a crash. */
  query.filter = 42;
  g_assert_null (waybill_store_list_orders (fixture->store, &query, 0, 10, &error));
  g_assert_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_INVALID);
}

static void
test_search_ranking (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WaybillOrder) a = add_order (fixture->store, "1042", "Anna Müller", "anna@example.com", "1Z999AA10123456784");
  g_autoptr(WaybillOrder) b = add_order (fixture->store, "10420", "Bert Annan", "bert@shop.example", NULL);
  g_autoptr(WaybillOrder) c = add_order (fixture->store, "2042", "Carla Jones", "carla@1042.example", "9400111899223817576487");
  g_autoptr(GPtrArray) r = NULL;

  g_assert_cmpint (waybill_order_get_id (b), >, waybill_order_get_id (a));

#define FIRST(arr) waybill_order_get_order_number (g_ptr_array_index (arr, 0))

  /* The exact order number first, then numbers that start with it, then
   * other matches. */
  r = waybill_store_search (fixture->store, "1042", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r->len, ==, 3);
  g_assert_cmpstr (FIRST (r), ==, "1042");
  g_assert_cmpstr (waybill_order_get_order_number (g_ptr_array_index (r, 1)), ==, "10420");
  g_clear_pointer (&r, g_ptr_array_unref);

  /* Prefix of a name, case and accents ignored. */
  r = waybill_store_search (fixture->store, "mull", 10, &error);
  g_assert_cmpuint (r->len, ==, 1);
  g_assert_cmpstr (FIRST (r), ==, "1042");
  g_clear_pointer (&r, g_ptr_array_unref);

  r = waybill_store_search (fixture->store, "ann", 10, &error);
  g_assert_cmpuint (r->len, ==, 2);
  g_clear_pointer (&r, g_ptr_array_unref);

  /* Email and tracking number, whole or in part. */
  r = waybill_store_search (fixture->store, "bert@shop", 10, &error);
  g_assert_cmpuint (r->len, ==, 1);
  g_assert_cmpstr (FIRST (r), ==, "10420");
  g_clear_pointer (&r, g_ptr_array_unref);

  r = waybill_store_search (fixture->store, "9400 1118 9922 3817 5764 87", 10, &error);
  g_assert_cmpuint (r->len, >=, 1);
  g_assert_cmpstr (FIRST (r), ==, "2042");
  g_clear_pointer (&r, g_ptr_array_unref);

  r = waybill_store_search (fixture->store, "1z999", 10, &error);
  g_assert_cmpuint (r->len, ==, 1);
  g_assert_cmpstr (FIRST (r), ==, "1042");
  g_clear_pointer (&r, g_ptr_array_unref);

  /* Among matches as good as each other, the newest order first, and
   * archived orders after the others: "Brandt & Co" starts with the
   * text; the two other Brandts only have it as a word, the newer first
   * until it is archived. */
  {
    g_autoptr(WaybillOrder) lena = add_order (fixture->store, "3001", "Lena Brandt", "lena@example.org", NULL);
    g_autoptr(WaybillOrder) co = add_order (fixture->store, "3002", "Brandt & Co", "info@example.org", NULL);
    g_autoptr(WaybillOrder) tom = add_order (fixture->store, "3003", "Tom Brandt", "tom@example.org", NULL);

#define NTH_ID(arr, n) waybill_order_get_id (g_ptr_array_index (arr, n))
    r = waybill_store_search (fixture->store, "brandt", 10, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (r->len, ==, 3);
    g_assert_cmpint (NTH_ID (r, 0), ==, waybill_order_get_id (co));
    g_assert_cmpint (NTH_ID (r, 1), ==, waybill_order_get_id (tom));
    g_assert_cmpint (NTH_ID (r, 2), ==, waybill_order_get_id (lena));
    g_clear_pointer (&r, g_ptr_array_unref);

    g_assert_true (waybill_store_set_archived (fixture->store, waybill_order_get_id (tom), TRUE, &error));
    r = waybill_store_search (fixture->store, "brandt", 10, &error);
    g_assert_cmpuint (r->len, ==, 3);
    g_assert_cmpint (NTH_ID (r, 1), ==, waybill_order_get_id (lena));
    g_assert_cmpint (NTH_ID (r, 2), ==, waybill_order_get_id (tom));
    g_clear_pointer (&r, g_ptr_array_unref);

    /* Only the limit's worth, the best first. */
    r = waybill_store_search (fixture->store, "brandt", 1, &error);
    g_assert_cmpuint (r->len, ==, 1);
    g_assert_cmpint (NTH_ID (r, 0), ==, waybill_order_get_id (co));
    g_clear_pointer (&r, g_ptr_array_unref);
#undef NTH_ID
  }

  /* FTS5 syntax and odd input are plain text. */
  r = waybill_store_search (fixture->store, "\"ann OR* NEAR(", 10, &error);
  g_assert_no_error (error);
  g_clear_pointer (&r, g_ptr_array_unref);
  r = waybill_store_search (fixture->store, "", 10, &error);
  g_assert_cmpuint (r->len, ==, 0);
  g_clear_pointer (&r, g_ptr_array_unref);
  r = waybill_store_search (fixture->store, "\xff\xfe bad utf8", 10, &error);
  g_assert_no_error (error);
  g_clear_pointer (&r, g_ptr_array_unref);

  /* Renaming updates the index. */
  waybill_order_set_customer (c, "Zoë Zimmermann");
  waybill_store_update_order (fixture->store, c, &error);
  g_assert_no_error (error);
  r = waybill_store_search (fixture->store, "zimmer", 10, &error);
  g_assert_cmpuint (r->len, ==, 1);
  g_clear_pointer (&r, g_ptr_array_unref);
  r = waybill_store_search (fixture->store, "jones", 10, &error);
  g_assert_cmpuint (r->len, ==, 0);
  g_clear_pointer (&r, g_ptr_array_unref);

  /* Deleted orders leave the index. */
  waybill_store_delete_order (fixture->store, waybill_order_get_id (a), &error);
  r = waybill_store_search (fixture->store, "mull", 10, &error);
  g_assert_cmpuint (r->len, ==, 0);

#undef FIRST
}

static void
test_migration_from_v1 (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("waybill-migrate-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "waybill.db", NULL);
  g_autofree char *sql = NULL;
  g_autoptr(WaybillStore) store = NULL;
  g_autoptr(WaybillOrder) order = NULL;
  g_autoptr(GPtrArray) found = NULL;
  WaybillOrderQuery query = WAYBILL_ORDER_QUERY_INIT;
  sqlite3 *db = NULL;

  g_file_get_contents (TEST_SRCDIR "/schema-v1.sql", &sql, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  /* Announced under schema 1: keyed on the status alone. */
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO notifications (shipment_id, status, announced_at) "
                                     "VALUES (1, 'in_transit', 1764200100)", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (db);

  store = test_open_store (path);
  g_assert_cmpint (query_int (store, "PRAGMA user_version"), ==, WAYBILL_STORE_SCHEMA_VERSION);

  /* What was announced before the upgrade is not announced again; the
   * status coming back after a change is. */
  {
    g_autoptr(WaybillTrackingResult) result = NULL;
    gboolean was_new = TRUE;

    g_assert_true (waybill_store_mark_announced (store, 1, WAYBILL_STATUS_IN_TRANSIT, &was_new, &error));
    g_assert_no_error (error);
    g_assert_false (was_new);
    g_assert_cmpint (query_int (store, "SELECT count(*) FROM notifications"), ==, 1);

    result = waybill_tracking_result_new (WAYBILL_STATUS_FAILED_ATTEMPT);
    g_assert_true (waybill_store_record_result (store, 1, result, NULL, NULL, &error));
    g_clear_pointer (&result, waybill_tracking_result_free);
    result = waybill_tracking_result_new (WAYBILL_STATUS_IN_TRANSIT);
    g_assert_true (waybill_store_record_result (store, 1, result, NULL, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpint (query_int (store, "SELECT status_seq FROM shipments WHERE id = 1"), ==, 2);
    g_assert_true (waybill_store_mark_announced (store, 1, WAYBILL_STATUS_IN_TRANSIT, &was_new, &error));
    g_assert_true (was_new);
    g_assert_true (waybill_store_mark_announced (store, 1, WAYBILL_STATUS_IN_TRANSIT, &was_new, &error));
    g_assert_false (was_new);
    g_assert_true (waybill_store_mark_delay_announced (store, 1, &was_new, &error));
    g_assert_true (was_new);
    g_assert_no_error (error);
    /* A gone shipment is an error, as before. */
    g_assert_false (waybill_store_mark_announced (store, 999, WAYBILL_STATUS_IN_TRANSIT, &was_new, &error));
    g_assert_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }

  /* The old data is there, with the new summary and search index. */
  g_assert_cmpint (waybill_store_count_orders (store, &query, &error), ==, 2);
  order = waybill_store_find_order (store, "A-100", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (waybill_order_get_customer (order), ==, "Hedda Gabler");
  g_assert_cmpuint (waybill_order_get_shipments (order)->len, ==, 1);
  found = waybill_store_search (store, "gabl", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = waybill_store_search (store, "1Z999AA10123456784", 10, &error);
  g_assert_cmpuint (found->len, ==, 1);
  g_clear_pointer (&found, g_ptr_array_unref);
  /* The index of schema 8 keeps prefixes of up to 8 characters: a number
   * typed from its start is found from them. */
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM sqlite_schema WHERE name = 'search' "
                                     "AND sql LIKE '%prefix = ''1 2 3 4 5 6 7 8''%'"), ==, 1);
  found = waybill_store_search (store, "1Z999AA1", 10, &error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM tracking_events"), ==, 1);

  /* And it takes new orders. */
  g_clear_object (&order);
  order = add_order (store, "A-102", "Nora Helmer", NULL, NULL);

  g_clear_object (&store);
  remove_tree (dir);
}

static char *
write_file (const char *dir,
            const char *contents,
            gsize       length)
{
  char *path = g_build_filename (dir, "waybill.db", NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);

  return path;
}

static void
assert_unchanged (const char *path,
                  const char *contents,
                  gsize       length)
{
  g_autofree char *now = NULL;
  gsize now_length = 0;

  g_assert_true (g_file_get_contents (path, &now, &now_length, NULL));
  g_assert_cmpmem (now, now_length, contents, length);
}

static void
test_not_a_database (void)
{
  static const char garbage[] = "order_number,customer\n1042,Anna\nThis is a CSV file, not a database.\n"
                                "It is long enough to look like something. ............................";
  g_autofree char *dir = g_dir_make_tmp ("waybill-bad-XXXXXX", NULL);
  g_autofree char *path = write_file (dir, garbage, sizeof garbage - 1);
  g_autoptr(GError) error = NULL;

  g_assert_null (waybill_store_open (path, &error));
  g_assert_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_NOT_A_DATABASE);
  g_assert_nonnull (strstr (error->message, "not a Waybill database"));
  assert_unchanged (path, garbage, sizeof garbage - 1);

  remove_tree (dir);
}

static char *
make_sqlite_file (const char *dir,
                  const char *sql,
                  char      **contents,
                  gsize      *length)
{
  g_autofree char *path = g_build_filename (dir, "waybill.db", NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_true (g_file_get_contents (path, contents, length, NULL));

  return g_steal_pointer (&path);
}

static void
test_other_programs_database (void)
{
  g_autofree char *dir = g_dir_make_tmp ("waybill-other-XXXXXX", NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autofree char *path = make_sqlite_file (dir, "CREATE TABLE bookmarks (url TEXT); "
                                                 "INSERT INTO bookmarks VALUES ('https://gnome.org');",
                                            &contents, &length);
  g_autoptr(GError) error = NULL;

  g_assert_null (waybill_store_open (path, &error));
  g_assert_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_NOT_A_DATABASE);
  assert_unchanged (path, contents, length);

  remove_tree (dir);
}

static void
test_newer_database (void)
{
  g_autofree char *dir = g_dir_make_tmp ("waybill-newer-XXXXXX", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *sql = g_strdup_printf ("PRAGMA application_id = %d; CREATE TABLE orders (x); "
                                          "CREATE TABLE future_stuff (y); PRAGMA user_version = 99;",
                                          WAYBILL_STORE_APPLICATION_ID);
  gsize length = 0;
  g_autofree char *path = make_sqlite_file (dir, sql, &contents, &length);
  g_autoptr(GError) error = NULL;

  g_assert_null (waybill_store_open (path, &error));
  g_assert_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "newer version of Waybill"));
  assert_unchanged (path, contents, length);

  remove_tree (dir);
}

static void
test_unwritable_location (void)
{
  g_autoptr(GError) error = NULL;

  if (geteuid () != 0)
    {
      g_autofree char *dir = g_dir_make_tmp ("waybill-ro-XXXXXX", NULL);
      g_autofree char *path = g_build_filename (dir, "sub", "waybill.db", NULL);

      g_chmod (dir, 0500);
      g_assert_null (waybill_store_open (path, &error));
      g_assert_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_READ_ONLY);
      g_chmod (dir, 0700);
      remove_tree (dir);
    }
  else
    {
      /* Root writes anywhere it has permissions for; /proc takes no new
       * files for anyone. */
      g_assert_null (waybill_store_open ("/proc/waybill-test/waybill.db", &error));
      g_assert_nonnull (error);
      g_assert_true (error->domain == WAYBILL_STORE_ERROR);
      g_assert_nonnull (strstr (error->message, "/proc/waybill-test"));
    }
}

static void
test_disk_full (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  WaybillOrderQuery query = WAYBILL_ORDER_QUERY_INIT;
  gint64 before;
  guint saved = 0;

  waybill_demo_fill (fixture->store, 20, 3, &error);
  g_assert_no_error (error);
  before = waybill_store_count_orders (fixture->store, NULL, &error);

  /* The disk "fills up" a few pages on. */
  waybill_store_set_max_page_count (fixture->store,
                                    query_int (fixture->store, "PRAGMA page_count") + 3);

  for (guint i = 0; i < 2000 && error == NULL; i++)
    {
      g_autofree char *number = g_strdup_printf ("FULL-%u", i);
      g_autofree char *note = g_strnfill (300, 'x');
      g_autoptr(WaybillOrder) order = waybill_order_new (number, "Disk Filler");

      waybill_order_set_note (order, note);
      if (waybill_store_create_order (fixture->store, order, &error))
        saved++;
      else
        g_assert_cmpint (waybill_order_get_id (order), ==, 0);
    }

  g_assert_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_DISK_FULL);
  g_assert_nonnull (strstr (error->message, "disk is full"));
  g_clear_error (&error);

  /* What was saved before is all there; the failed order is not. */
  g_assert_cmpint (waybill_store_count_orders (fixture->store, &query, &error), ==,
                   before + saved);
  {
    g_autofree char *check = query_text (fixture->store, "PRAGMA integrity_check");

    g_assert_cmpstr (check, ==, "ok");
  }

  /* Space again: the store goes on working. */
  waybill_store_set_max_page_count (fixture->store, 1073741823);
  {
    g_autoptr(WaybillOrder) order = add_order (fixture->store, "AFTER-FULL", "Back", NULL, NULL);

    g_assert_cmpint (waybill_order_get_id (order), >, 0);
  }
}

static void
test_killed_writer_loses_nothing (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WaybillOrder) kept = add_order (fixture->store, "KEPT-1", "Before the crash", NULL, NULL);
  g_autofree char *check = NULL;
  int status = 0;
  pid_t pid;

  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      /* A second process writes a big transaction and is killed in the
       * middle of it. */
      WaybillStore *child = waybill_store_open (fixture->path, NULL);
      sqlite3 *db = waybill_store_get_db (child);

      sqlite3_exec (db, "BEGIN IMMEDIATE; DELETE FROM orders;"
                        "INSERT INTO orders (order_number, created, updated) VALUES ('HALF', 1, 1);",
                    NULL, NULL, NULL);
      kill (getpid (), SIGKILL);
      _exit (0);
    }

  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status));

  g_clear_object (&fixture->store);
  fixture->store = test_open_store (fixture->path);
  check = query_text (fixture->store, "PRAGMA integrity_check");
  g_assert_cmpstr (check, ==, "ok");
  g_assert_cmpint (waybill_store_count_orders (fixture->store, NULL, &error), ==, 1);
  g_clear_object (&kept);
  kept = waybill_store_find_order (fixture->store, "KEPT-1", &error);
  g_assert_no_error (error);
}

typedef struct
{
  const char *path;
  const char *prefix;
  guint       n_saved;
} WriterData;

static gpointer
writer_thread (gpointer user_data)
{
  WriterData *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(WaybillStore) store = test_open_store (data->path);

  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *number = g_strdup_printf ("%s-%u", data->prefix, i);
      g_autoptr(WaybillOrder) order = waybill_order_new (number, data->prefix);

      if (waybill_store_create_order (store, order, &error))
        data->n_saved++;
      g_assert_no_error (error);
    }

  return NULL;
}

static void
test_two_writers (Fixture       *fixture,
                  gconstpointer  data)
{
  WriterData a = { fixture->path, "CLI", 0 };
  WriterData b = { fixture->path, "WINDOW", 0 };
  g_autoptr(GError) error = NULL;
  GThread *ta, *tb;
  guint changed = 0;

  ta = g_thread_new ("a", writer_thread, &a);
  tb = g_thread_new ("b", writer_thread, &b);
  g_thread_join (ta);
  g_thread_join (tb);

  g_assert_cmpuint (a.n_saved, ==, 100);
  g_assert_cmpuint (b.n_saved, ==, 100);
  g_assert_cmpint (waybill_store_count_orders (fixture->store, NULL, &error), ==, 200);

  /* The first connection notices the others' commits. */
  g_signal_connect_swapped (fixture->store, "changed", G_CALLBACK (g_atomic_int_inc), &changed);
  g_assert_true (waybill_store_check_for_changes (fixture->store));
  g_assert_cmpuint (changed, ==, 1);
  g_assert_false (waybill_store_check_for_changes (fixture->store));
  g_assert_cmpuint (changed, ==, 1);
}

static void
test_changed_signal (Fixture       *fixture,
                     gconstpointer  data)
{
  guint changed = 0;
  g_autoptr(WaybillOrder) order = NULL;

  g_signal_connect_swapped (fixture->store, "changed", G_CALLBACK (g_atomic_int_inc), &changed);
  order = add_order (fixture->store, "S-1", "Signal", NULL, NULL);
  g_assert_cmpuint (changed, ==, 1);
  /* Our own commits are not reported again by the watcher. */
  g_assert_false (waybill_store_check_for_changes (fixture->store));
}

static void
test_demo_data (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  waybill_demo_fill (fixture->store, WAYBILL_DEMO_DEFAULT_ORDERS, 1042, &error);
  g_assert_no_error (error);

  /* Every status is there, some orders delayed, some with exceptions. */
  for (WaybillStatus s = 0; s < WAYBILL_N_STATUSES; s++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM orders WHERE status = '%s'",
                                              waybill_status_to_id (s));

      if (s == WAYBILL_STATUS_SHIPPED)
        continue;
      g_assert_cmpint (query_int (fixture->store, sql), >=, 1);
    }
  g_assert_cmpint (query_int (fixture->store, "SELECT count(*) FROM orders WHERE delayed = 1"), >=, 1);
  g_assert_cmpint (query_int (fixture->store, "SELECT count(*) FROM shipments WHERE status = 'exception' "
                                              "AND exception_reason IS NOT NULL"), >=, 1);
  g_assert_cmpint (query_int (fixture->store, "SELECT min(n) FROM (SELECT count(*) AS n FROM tracking_events "
                                              "GROUP BY shipment_id)"), >=, 1);

  /* Demo data goes into an empty database only. */
  g_assert_false (waybill_demo_fill (fixture->store, 5, 1, &error));
  g_assert_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_INVALID);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/waybill/store/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("open-creates-private-files", test_open_creates_private_files);
  ADD ("orders-crud", test_orders_crud);
  ADD ("shipments", test_shipments);
  ADD ("record-results", test_record_results);
  ADD ("record-batch-is-atomic", test_record_batch_is_atomic);
  ADD ("record-batch-same-order", test_record_batch_same_order);
  ADD ("record-unchanged-writes-nothing", test_record_unchanged_writes_nothing);
  ADD ("delayed-flag", test_delayed_flag);
  ADD ("manual-event", test_manual_event);
  ADD ("announced-once", test_announced_once);
  ADD ("due-shipments", test_due_shipments);
  ADD ("list-filters-and-paging", test_list_filters_and_paging);
  ADD ("search-ranking", test_search_ranking);
  ADD ("disk-full", test_disk_full);
  ADD ("killed-writer-loses-nothing", test_killed_writer_loses_nothing);
  ADD ("two-writers", test_two_writers);
  ADD ("changed-signal", test_changed_signal);
  ADD ("demo-data", test_demo_data);
  g_test_add_func ("/waybill/store/migration-from-v1", test_migration_from_v1);
  g_test_add_func ("/waybill/store/not-a-database", test_not_a_database);
  g_test_add_func ("/waybill/store/other-programs-database", test_other_programs_database);
  g_test_add_func ("/waybill/store/newer-database", test_newer_database);
  g_test_add_func ("/waybill/store/unwritable-location", test_unwritable_location);

  return g_test_run ();
}
