/* test-stats.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "insights-seed.h"
#include "waybill-stats.h"
#include "waybill-store-private.h"
#include "test-util.h"

typedef TestStoreDir Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  test_store_dir_set_up (fixture, "stats");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  test_store_dir_tear_down (fixture);
}

static WaybillCarrierStats *
find_carrier (WaybillStats *stats,
              const char   *id)
{
  for (guint i = 0; i < stats->carriers->len; i++)
    {
      WaybillCarrierStats *carrier = g_ptr_array_index (stats->carriers, i);

      if (g_str_equal (carrier->carrier, id))
        return carrier;
    }

  return NULL;
}

static void
test_seeded_since (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) since = waybill_stats_parse_since (SEED_SINCE, &error);
  g_autoptr(WaybillStats) stats = NULL;
  WaybillCarrierStats *ups, *fedex;
  WaybillFeedbackWeek *week;

  g_assert_no_error (error);
  insights_seed (fixture->store);

  stats = waybill_stats_compute (fixture->store, since, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stats);

  g_assert_cmpuint (stats->carriers->len, ==, 2);
  ups = find_carrier (stats, "ups");
  fedex = find_carrier (stats, "fedex");
  g_assert_nonnull (ups);
  g_assert_nonnull (fedex);
  g_assert_null (find_carrier (stats, "dhl-express"));
  /* Most shipments first. */
  g_assert_true (g_ptr_array_index (stats->carriers, 0) == ups);

  g_assert_cmpuint (ups->shipments, ==, 4);
  g_assert_cmpuint (ups->delivered, ==, 3);
  g_assert_cmpuint (ups->delivered_with_estimate, ==, 3);
  g_assert_cmpuint (ups->on_time, ==, 2);
  g_assert_cmpfloat_with_epsilon (ups->on_time_rate, 2.0 / 3.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (ups->average_transit_days, 8.0 / 3.0, 1e-9);
  g_assert_cmpuint (ups->exceptions, ==, 1);
  g_assert_cmpuint (ups->exceptions_by_reason[WAYBILL_EXCEPTION_CUSTOMS], ==, 1);
  g_assert_cmpuint (ups->exceptions_by_reason[WAYBILL_EXCEPTION_ADDRESS], ==, 0);

  g_assert_cmpuint (fedex->shipments, ==, 3);
  g_assert_cmpuint (fedex->delivered, ==, 1);
  g_assert_cmpuint (fedex->delivered_with_estimate, ==, 0);
  g_assert_cmpfloat (fedex->on_time_rate, ==, -1);
  g_assert_cmpfloat_with_epsilon (fedex->average_transit_days, 3.0, 1e-9);
  g_assert_cmpuint (fedex->exceptions, ==, 1);
  g_assert_cmpuint (fedex->exceptions_by_reason[WAYBILL_EXCEPTION_ADDRESS], ==, 1);

  g_assert_cmpuint (stats->orders, ==, 7);
  g_assert_cmpuint (stats->orders_by_status[WAYBILL_STATUS_DELIVERED], ==, 4);
  g_assert_cmpuint (stats->orders_by_status[WAYBILL_STATUS_EXCEPTION], ==, 2);
  g_assert_cmpuint (stats->orders_by_status[WAYBILL_STATUS_PROCESSING], ==, 1);
  g_assert_cmpuint (stats->orders_by_status[WAYBILL_STATUS_IN_TRANSIT], ==, 0);

  g_assert_cmpuint (stats->feedback_count, ==, 3);
  g_assert_cmpfloat_with_epsilon (stats->feedback_average, 11.0 / 3.0, 1e-9);
  g_assert_cmpuint (stats->feedback_weeks->len, ==, 2);
  week = &g_array_index (stats->feedback_weeks, WaybillFeedbackWeek, 0);
  g_assert_cmpint (g_date_get_year (&week->week), ==, 2025);
  g_assert_cmpint (g_date_get_month (&week->week), ==, 11);
  g_assert_cmpint (g_date_get_day (&week->week), ==, 3);
  g_assert_cmpuint (week->count, ==, 1);
  g_assert_cmpfloat_with_epsilon (week->average, 5.0, 1e-9);
  week = &g_array_index (stats->feedback_weeks, WaybillFeedbackWeek, 1);
  g_assert_cmpint (g_date_get_day (&week->week), ==, 10);
  g_assert_cmpuint (week->count, ==, 2);
  g_assert_cmpfloat_with_epsilon (week->average, 3.0, 1e-9);
}

static void
test_seeded_all_time (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WaybillStats) stats = NULL;
  WaybillCarrierStats *dhl;

  insights_seed (fixture->store);

  stats = waybill_stats_compute (fixture->store, NULL, NULL, &error);
  g_assert_no_error (error);

  g_assert_null (stats->since);
  g_assert_cmpuint (stats->carriers->len, ==, 3);
  dhl = find_carrier (stats, "dhl-express");
  g_assert_nonnull (dhl);
  g_assert_cmpuint (dhl->shipments, ==, 1);
  g_assert_cmpfloat_with_epsilon (dhl->on_time_rate, 1.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (dhl->average_transit_days, 1.0, 1e-9);
  g_assert_cmpuint (stats->orders, ==, 8);
  g_assert_cmpuint (stats->orders_by_status[WAYBILL_STATUS_DELIVERED], ==, 5);
  g_assert_cmpuint (stats->feedback_count, ==, 4);
  g_assert_cmpfloat_with_epsilon (stats->feedback_average, 3.0, 1e-9);
}

static void
test_until (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) since = g_date_time_new_from_iso8601 ("2025-11-04T00:00:00Z", NULL);
  g_autoptr(GDateTime) until = g_date_time_new_from_iso8601 ("2025-11-05T00:00:00Z", NULL);
  g_autoptr(WaybillStats) stats = NULL;

  insights_seed (fixture->store);

  /* Only 2003 and 2004 were created on 4 November; no feedback then. */
  stats = waybill_stats_compute (fixture->store, since, until, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats->orders, ==, 2);
  g_assert_cmpuint (stats->carriers->len, ==, 1);
  g_assert_cmpuint (((WaybillCarrierStats *) g_ptr_array_index (stats->carriers, 0))->shipments, ==, 2);
  g_assert_cmpuint (stats->feedback_count, ==, 0);
  g_assert_cmpfloat (stats->feedback_average, ==, 0);
}

static void
test_empty (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WaybillStats) stats = waybill_stats_compute (fixture->store, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (stats->carriers->len, ==, 0);
  g_assert_cmpuint (stats->orders, ==, 0);
  g_assert_cmpuint (stats->feedback_count, ==, 0);
  g_assert_cmpuint (stats->feedback_weeks->len, ==, 0);
  g_assert_nonnull (stats->until);
}

static void
compute_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  WaybillStats **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = waybill_stats_compute_finish (result, &error);
  g_assert_no_error (error);
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(WaybillStats) stats = NULL;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  insights_seed (fixture->store);

  waybill_stats_compute_async (fixture->path, NULL, NULL, NULL, compute_cb, &stats);
  while (stats == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_assert_nonnull (stats);
  g_assert_cmpuint (stats->orders, ==, 8);
}

static void
async_error_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GError **out = user_data;
  g_autoptr(WaybillStats) stats = waybill_stats_compute_finish (result, out);

  g_assert_null (stats);
}

static void
test_async_not_a_database (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *bad = g_build_filename (fixture->dir, "junk.db", NULL);
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_assert_true (g_file_set_contents (bad, "this is not a database, just some text that is long enough "
                                      "to have a header of its own, and then some more text", -1, NULL));
  waybill_stats_compute_async (bad, NULL, NULL, NULL, async_error_cb, &error);
  while (error == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_assert_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_NOT_A_DATABASE);
}

static void
test_parse_since (void)
{
  const char *bad[] = { "", "yesterday", "2025-13-01", "2025-02-30", "2025-11-01x", "11/01/2025" };
  g_autoptr(GDateTime) good = NULL;

  good = waybill_stats_parse_since ("2025-11-01", NULL);
  g_assert_nonnull (good);
  g_assert_cmpint (g_date_time_get_day_of_month (good), ==, 1);
  g_assert_cmpint (g_date_time_get_hour (good), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GDateTime) time = waybill_stats_parse_since (bad[i], &error);

      g_assert_null (time);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (error->message, "2025-11-01"));
    }
}

/* Stats read without taking the write lock: another connection in the
 * middle of a write does not stop them. */
static void
test_reads_during_write (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WaybillStore) other = NULL;
  g_autoptr(WaybillStats) stats = NULL;

  insights_seed (fixture->store);
  other = test_open_store (fixture->path);
  g_assert_true (waybill_store_begin (other, &error));

  stats = waybill_stats_compute (fixture->store, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats->orders, ==, 8);

  waybill_store_rollback (other);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/waybill/stats/seeded-since", test_seeded_since);
  ADD ("/waybill/stats/seeded-all-time", test_seeded_all_time);
  ADD ("/waybill/stats/until", test_until);
  ADD ("/waybill/stats/empty", test_empty);
  ADD ("/waybill/stats/async", test_async);
  ADD ("/waybill/stats/async-not-a-database", test_async_not_a_database);
  ADD ("/waybill/stats/reads-during-write", test_reads_during_write);
  g_test_add_func ("/waybill/stats/parse-since", test_parse_since);

  return g_test_run ();
}
