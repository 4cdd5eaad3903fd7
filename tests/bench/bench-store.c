/* bench-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

#include "waybill-demo.h"
#include "waybill-order-list-model.h"
#include "waybill-store-private.h"

/* The store's hot paths at N orders, each beside the bare SQLite work it
 * stands on, measured in the same run.  Prints one line per figure:
 *   NAME VALUE UNIT [limit=VALUE ratio=VALUE]
 * Medians of several rounds: the machine is noisy, the ratios count.
 *
 *   bench-store [lookup] [search] [page] [cli] [record_results]
 * runs the groups named, or all of them. */

#define ROUNDS 7

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), compare_double);

  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

static double
now_us (void)
{
  return (double) g_get_monotonic_time ();
}

static GPtrArray *
sample_column (sqlite3    *db,
               const char *sql)
{
  GPtrArray *values = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;

  sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (values, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);

  return values;
}

/* The bare equivalent of a lookup through the store: the same rows read
 * with prepared statements, without building objects. */
static void
bare_lookup (sqlite3_stmt *find,
             sqlite3_stmt *shipments,
             const char   *key)
{
  sqlite3_bind_text (find, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (find) == SQLITE_ROW)
    {
      volatile gint64 id = sqlite3_column_int64 (find, 0);

      for (int c = 1; c < sqlite3_column_count (find); c++)
        (void) sqlite3_column_text (find, c);
      sqlite3_bind_int64 (shipments, 1, id);
      while (sqlite3_step (shipments) == SQLITE_ROW)
        for (int c = 0; c < sqlite3_column_count (shipments); c++)
          (void) sqlite3_column_text (shipments, c);
      sqlite3_reset (shipments);
    }
  sqlite3_reset (find);
}

static void
bench_lookup (WaybillStore *store,
              sqlite3      *db,
              const char   *name,
              GPtrArray    *keys,
              gboolean      by_tracking)
{
  double api[ROUNDS], bare[ROUNDS];
  sqlite3_stmt *find = NULL, *shipments = NULL;
  double a, b;

  sqlite3_prepare_v2 (db,
                      by_tracking
                      ? "SELECT o.* FROM orders o WHERE o.id = (SELECT order_id FROM shipments "
                        "WHERE tracking_number = ? ORDER BY id DESC LIMIT 1)"
                      : "SELECT o.* FROM orders o WHERE o.order_number = ?",
                      -1, &find, NULL);
  sqlite3_prepare_v2 (db, "SELECT * FROM shipments WHERE order_id = ? ORDER BY id", -1, &shipments, NULL);

  for (guint r = 0; r < ROUNDS; r++)
    {
      double start = now_us ();

      for (guint i = 0; i < keys->len; i++)
        {
          g_autoptr(WaybillOrder) order = by_tracking
            ? waybill_store_find_by_tracking (store, g_ptr_array_index (keys, i), NULL)
            : waybill_store_find_order (store, g_ptr_array_index (keys, i), NULL);

          g_assert_nonnull (order);
        }
      api[r] = (now_us () - start) / keys->len;

      start = now_us ();
      for (guint i = 0; i < keys->len; i++)
        bare_lookup (find, shipments, g_ptr_array_index (keys, i));
      bare[r] = (now_us () - start) / keys->len;
    }

  a = median (api, ROUNDS);
  b = median (bare, ROUNDS);
  printf ("%s %.1f us limit=%.1f ratio=%.2f\n", name, a, b, a / b);

  sqlite3_finalize (find);
  sqlite3_finalize (shipments);
}

static void
bench_search (WaybillStore *store,
              GPtrArray    *queries)
{
  g_autofree double *times = g_new (double, queries->len);

  for (guint i = 0; i < queries->len; i++)
    {
      double best = G_MAXDOUBLE;

      for (guint r = 0; r < 3; r++)
        {
          double start = now_us ();
          g_autoptr(GPtrArray) found = waybill_store_search (store, g_ptr_array_index (queries, i), 50, NULL);

          g_assert_nonnull (found);
          best = MIN (best, now_us () - start);
        }
      times[i] = best;
    }

  printf ("store.search %.2f ms\n", median (times, queries->len) / 1000.0);
  qsort (times, queries->len, sizeof (double), compare_double);
  printf ("store.search_worst %.2f ms\n", times[queries->len - 1] / 1000.0);
}

static double
time_item (WaybillOrderListModel *model,
           guint                  position)
{
  double start = now_us ();
  g_autoptr(WaybillOrder) order = g_list_model_get_item (G_LIST_MODEL (model), position);

  g_assert_nonnull (order);

  return now_us () - start;
}

/* Pages as the order list reads them, through its model: scrolling on
 * (each page after the last key of the one before), and a jump of the
 * scrollbar to a part of the list not read yet (from the nearest page
 * boundary the model knows, or from the end). */
static void
bench_pages (WaybillStore *store)
{
  static const char * const filter_names[] = { "all", "active", "attention", "out_for_delivery",
                                               "delivered", "archived" };
  static const char * const sort_names[] = { "newest", "eta", "last_update" };
  g_autoptr(WaybillOrderListModel) model = waybill_order_list_model_new (store);
  double worst = 0, worst_jump = 0;

  for (WaybillFilter f = 0; f < WAYBILL_N_FILTERS; f++)
    for (WaybillSort s = 0; s < WAYBILL_N_SORTS; s++)
      {
        WaybillOrderQuery query = { f, WAYBILL_STATUS_INVALID, s };
        g_autoptr(GArray) scroll = g_array_new (FALSE, FALSE, sizeof (double));
        g_autoptr(GArray) jumps = g_array_new (FALSE, FALSE, sizeof (double));
        guint n, n_pages;
        double m, j;

        waybill_order_list_model_set_query (model, &query);
        n = g_list_model_get_n_items (G_LIST_MODEL (model));
        n_pages = (n + 99) / 100;

        for (guint r = 0; r < 3; r++)
          {
            /* A jump to a quarter, half, three quarters of the list, then
             * scrolling on from there for a few pages. */
            static const double at[] = { 0.25, 0.5, 0.75 };
            guint from = (guint) (n_pages * at[r]);

            waybill_order_list_model_reload (model);
            time_item (model, 0);
            if (from > 1)
              {
                double t = time_item (model, from * 100);

                g_array_append_val (jumps, t);
              }
            for (guint p = from + 1; p < MIN (n_pages, from + 15); p++)
              {
                double t = time_item (model, p * 100);

                g_array_append_val (scroll, t);
              }
          }

        /* Scrolling from the top. */
        waybill_order_list_model_reload (model);
        time_item (model, 0);
        for (guint p = 1; p < MIN (n_pages, 40); p++)
          {
            double t = time_item (model, p * 100);

            g_array_append_val (scroll, t);
          }

        m = scroll->len > 0 ? median ((double *) (gpointer) scroll->data, scroll->len) : 0;
        j = jumps->len > 0 ? median ((double *) (gpointer) jumps->data, jumps->len) : 0;
        worst = MAX (worst, m);
        worst_jump = MAX (worst_jump, j);
        printf ("store.page.%s.%s %.2f ms\n", filter_names[f], sort_names[s], m / 1000.0);
        printf ("store.page_jump.%s.%s %.2f ms\n", filter_names[f], sort_names[s], j / 1000.0);
      }

  printf ("store.page %.2f ms limit=5\n", worst / 1000.0);
  printf ("store.page_jump %.2f ms\n", worst_jump / 1000.0);
}

/* Tracking results for @ids, as a carrier would answer in round @round:
 * two events newer than the last round's and the last round's newest
 * again, which the store must drop as a duplicate. */
static GPtrArray *
make_results (GArray    *ids,
              GDateTime *base,
              guint      round)
{
  GPtrArray *results = g_ptr_array_new_with_free_func ((GDestroyNotify) waybill_tracking_result_free);

  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      WaybillTrackingResult *result = waybill_tracking_result_new (WAYBILL_STATUS_IN_TRANSIT);

      for (int e = -1; e < 2; e++)
        {
          g_autoptr(GDateTime) t = g_date_time_add_minutes (base, (int) round * 120 + e * 30 + (int) (id % 60));

          g_ptr_array_add (result->events,
                           waybill_tracking_event_new (t, WAYBILL_STATUS_IN_TRANSIT, "AR",
                                                       "Arrived at the benchmark hub", "Memphis, TN, US"));
        }
      result->estimated_to = g_date_time_add_days (base, 3);
      g_ptr_array_add (results, result);
    }

  return results;
}

/* The floor for recording @results: the same writes to the same tables
 * with bare prepared statements in one transaction.  For each result it
 * inserts every event with INSERT OR IGNORE on the events' unique index
 * (the deduplication) and updates the shipment row with every column the
 * store writes.  It leaves out what the store does on top: reading each
 * shipment's previous status, computing the delayed flag, and keeping the
 * order row's summary (status, delayed, eta, last update) current. */
static double
record_bare (sqlite3   *db,
             GArray    *ids,
             GPtrArray *results,
             gint64     checked)
{
  sqlite3_stmt *insert = NULL;
  sqlite3_stmt *update = NULL;
  double start;

  sqlite3_prepare_v2 (db, "INSERT OR IGNORE INTO tracking_events (shipment_id, time, utc_offset, status, "
                          "code, description, location) VALUES (?, ?, ?, ?, ?, ?, ?)", -1, &insert, NULL);
  sqlite3_prepare_v2 (db, "UPDATE shipments SET status = ?, sub_status = ?, exception_reason = ?, "
                          "estimated_from = ?, estimated_to = ?, delivered_at = ?, signed_by = ?, "
                          "last_event_at = ?, last_checked = ?, failure_count = 0, last_error = NULL, "
                          "delayed = ? WHERE id = ?", -1, &update, NULL);

  start = now_us ();
  g_assert_cmpint (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < results->len; i++)
    {
      WaybillTrackingResult *result = g_ptr_array_index (results, i);
      gint64 id = g_array_index (ids, gint64, i);
      gint64 last_event = 0;

      for (guint e = 0; e < result->events->len; e++)
        {
          WaybillTrackingEvent *event = g_ptr_array_index (result->events, e);
          GDateTime *time = waybill_tracking_event_get_time (event);

          last_event = MAX (last_event, g_date_time_to_unix (time));
          sqlite3_bind_int64 (insert, 1, id);
          sqlite3_bind_int64 (insert, 2, g_date_time_to_unix (time));
          sqlite3_bind_int64 (insert, 3, g_date_time_get_utc_offset (time) / G_USEC_PER_SEC);
          sqlite3_bind_text (insert, 4, waybill_status_to_id (waybill_tracking_event_get_status (event)), -1, SQLITE_STATIC);
          sqlite3_bind_text (insert, 5, waybill_tracking_event_get_code (event), -1, SQLITE_STATIC);
          sqlite3_bind_text (insert, 6, waybill_tracking_event_get_description (event), -1, SQLITE_STATIC);
          sqlite3_bind_text (insert, 7, waybill_tracking_event_get_location (event), -1, SQLITE_STATIC);
          g_assert_cmpint (sqlite3_step (insert), ==, SQLITE_DONE);
          sqlite3_reset (insert);
        }
      sqlite3_bind_text (update, 1, waybill_status_to_id (result->status), -1, SQLITE_STATIC);
      sqlite3_bind_null (update, 2);
      sqlite3_bind_null (update, 3);
      sqlite3_bind_null (update, 4);
      sqlite3_bind_int64 (update, 5, g_date_time_to_unix (result->estimated_to));
      sqlite3_bind_null (update, 6);
      sqlite3_bind_null (update, 7);
      sqlite3_bind_int64 (update, 8, last_event);
      sqlite3_bind_int64 (update, 9, checked);
      sqlite3_bind_int (update, 10, 0);
      sqlite3_bind_int64 (update, 11, id);
      g_assert_cmpint (sqlite3_step (update), ==, SQLITE_DONE);
      sqlite3_reset (update);
    }
  g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_finalize (insert);
  sqlite3_finalize (update);

  return now_us () - start;
}

/* store.record_results: 10,000 results through the store beside the
 * bare floor, in the same database, each round on its own half of the
 * shipments (alternating which side goes first), each round's results
 * newer than the last round's. */
static void
bench_record_results (WaybillStore *store,
                      sqlite3      *db,
                      guint         n)
{
  g_autoptr(GArray) api_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) bare_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GDateTime) base = g_date_time_new_now_utc ();
  double api[ROUNDS], bare[ROUNDS];
  sqlite3_stmt *stmt = NULL;
  double a, b;

  sqlite3_prepare_v2 (db, "SELECT id FROM shipments WHERE status NOT IN ('delivered', 'returned', 'expired') "
                          "ORDER BY id LIMIT ?", -1, &stmt, NULL);
  sqlite3_bind_int (stmt, 1, 2 * n);
  for (guint i = 0; sqlite3_step (stmt) == SQLITE_ROW; i++)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (i % 2 ? bare_ids : api_ids, id);
    }
  sqlite3_finalize (stmt);

  for (guint r = 0; r < ROUNDS; r++)
    {
      g_autoptr(GPtrArray) api_results = make_results (api_ids, base, r);
      g_autoptr(GPtrArray) bare_results = make_results (bare_ids, base, r);
      g_autoptr(GDateTime) checked = g_date_time_add_minutes (base, (int) r * 120 + 60);

      for (guint side = 0; side < 2; side++)
        {
          if ((side + r) % 2 == 0)
            {
              double start = now_us ();

              g_assert_true (waybill_store_record_results (store, api_ids->len, (gint64 *) (gpointer) api_ids->data,
                                                           (WaybillTrackingResult **) api_results->pdata, checked,
                                                           NULL, NULL));
              api[r] = now_us () - start;
            }
          else
            bare[r] = record_bare (db, bare_ids, bare_results, g_date_time_to_unix (checked));
        }
    }

  a = median (api, ROUNDS);
  b = median (bare, ROUNDS);
  printf ("store.record_results %.0f ms limit=%.0f ratio=%.2f\n", a / 1000.0, b / 1000.0, a / b);
  printf ("store.record_results_per_result %.1f us\n", a / api_ids->len);
}

/* Whether the figures of @group were asked for: all of them when the
 * command line names none. */
static gboolean
wanted (int          argc,
        char       **argv,
        const char  *group)
{
  if (argc < 2)
    return TRUE;

  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], group))
      return TRUE;

  return FALSE;
}

static double
time_command (const char * const *argv)
{
  double times[ROUNDS];

  for (guint r = 0; r < ROUNDS; r++)
    {
      g_autoptr(GError) error = NULL;
      double start = now_us ();
      int status = 0;

      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, NULL,
                    &status, &error);
      g_assert_no_error (error);
      g_assert_true (g_spawn_check_wait_status (status, NULL));
      times[r] = now_us () - start;
    }

  return median (times, ROUNDS) / 1000.0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  const char *n_env = g_getenv ("WAYBILL_BENCH_ORDERS");
  guint n_orders = n_env ? (guint) atoi (n_env) : 100000;
  const char *results_env = g_getenv ("WAYBILL_BENCH_RESULTS");
  guint n_results = results_env ? (guint) atoi (results_env) : 10000;
  const char *binary = g_getenv ("WAYBILL_BINARY");
  const char *keep = g_getenv ("WAYBILL_BENCH_DATA_DIR");
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(WaybillStore) store = NULL;
  g_autoptr(GPtrArray) tracking = NULL;
  g_autoptr(GPtrArray) numbers = NULL;
  g_autoptr(GPtrArray) queries = g_ptr_array_new_with_free_func (g_free);
  sqlite3 *db;
  double start;

  dir = keep ? g_strdup (keep) : g_dir_make_tmp ("waybill-bench-XXXXXX", NULL);
  path = g_build_filename (dir, "waybill.db", NULL);

  store = waybill_store_open (path, &error);
  g_assert_no_error (error);

  if (waybill_store_count_orders (store, NULL, NULL) == 0 &&
      waybill_store_count_orders (store, &(WaybillOrderQuery) { WAYBILL_FILTER_ARCHIVED, WAYBILL_STATUS_INVALID, WAYBILL_SORT_NEWEST }, NULL) == 0)
    {
      start = now_us ();
      waybill_demo_fill (store, n_orders, 99, &error);
      g_assert_no_error (error);
      printf ("demo.fill %.1f s limit=30 ratio=%.2f\n", (now_us () - start) / 1e6,
              (now_us () - start) / 1e6 / 30.0);
    }

  db = waybill_store_get_db (store);
  tracking = sample_column (db, "SELECT tracking_number FROM shipments ORDER BY random () LIMIT 2000");
  numbers = sample_column (db, "SELECT order_number FROM orders ORDER BY random () LIMIT 2000");

  if (wanted (argc, argv, "lookup"))
    {
      bench_lookup (store, db, "store.find_tracking", tracking, TRUE);
      bench_lookup (store, db, "store.find_order", numbers, FALSE);
    }

  /* Varied queries: whole and partial names, emails, order and tracking
   * numbers, as staff type them. */
  {
    g_autoptr(GPtrArray) names = sample_column (db, "SELECT customer FROM orders ORDER BY random () LIMIT 20");
    g_autoptr(GPtrArray) emails = sample_column (db, "SELECT email FROM orders WHERE email IS NOT NULL ORDER BY random () LIMIT 10");

    for (guint i = 0; i < names->len; i++)
      {
        const char *name = g_ptr_array_index (names, i);

        g_ptr_array_add (queries, g_strdup (name));
        g_ptr_array_add (queries, g_strndup (name, 3));
      }
    for (guint i = 0; i < emails->len; i++)
      g_ptr_array_add (queries, g_strndup (g_ptr_array_index (emails, i), 8));
    for (guint i = 0; i < 10; i++)
      {
        g_ptr_array_add (queries, g_strdup (g_ptr_array_index (numbers, i)));
        g_ptr_array_add (queries, g_strdup (g_ptr_array_index (tracking, i)));
        g_ptr_array_add (queries, g_strndup (g_ptr_array_index (tracking, 10 + i), 8));
      }
  }
  if (wanted (argc, argv, "search"))
    bench_search (store, queries);
  if (wanted (argc, argv, "page"))
    bench_pages (store);

  if (binary != NULL && wanted (argc, argv, "cli"))
    {
      const char *lookup_argv[] = { binary, "lookup", g_ptr_array_index (tracking, 0), "--data-dir", dir, NULL };
      const char *show_argv[] = { binary, "show", g_ptr_array_index (numbers, 0), "--data-dir", dir, NULL };

      printf ("cli.lookup %.1f ms limit=50\n", time_command (lookup_argv));
      printf ("cli.show %.1f ms limit=50\n", time_command (show_argv));
    }

  if (wanted (argc, argv, "record_results"))
    bench_record_results (store, db, n_results);

  g_clear_object (&store);
  if (keep == NULL)
    {
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (path, "-shm", NULL);

      g_remove (path);
      g_remove (wal);
      g_remove (shm);
      g_rmdir (dir);
    }

  return 0;
}
