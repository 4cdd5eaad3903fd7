/* bench-stats.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "waybill-demo.h"
#include "waybill-feedback.h"
#include "waybill-stats.h"

/* How long insights take over WAYBILL_BENCH_DATA_DIR's database (filled
 * with WAYBILL_BENCH_ORDERS demo orders, 100,000 by default, when empty):
 * the median of 5 runs, all time and the last 30 days; and the feedback
 * list the Feedback window reads. */

#define ROUNDS 5

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *values)
{
  qsort (values, ROUNDS, sizeof (double), compare_double);

  return values[ROUNDS / 2];
}

static double
time_stats (WaybillStore *store,
            GDateTime    *since)
{
  double times[ROUNDS];

  for (guint i = 0; i < ROUNDS; i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();
      g_autoptr(WaybillStats) stats = waybill_stats_compute (store, since, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (stats);
      times[i] = (g_get_monotonic_time () - start) / 1000.0;
    }

  return median (times);
}

int
main (int   argc,
      char *argv[])
{
  const char *keep = g_getenv ("WAYBILL_BENCH_DATA_DIR");
  const char *n_env = g_getenv ("WAYBILL_BENCH_ORDERS");
  g_autofree char *dir = keep ? g_strdup (keep) : g_dir_make_tmp ("waybill-bench-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "waybill.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(WaybillStore) store = waybill_store_open (path, &error);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) month = g_date_time_add_days (now, -30);
  double times[ROUNDS];

  g_assert_no_error (error);
  if (waybill_store_count_orders (store, NULL, NULL) == 0)
    {
      waybill_demo_fill (store, n_env ? (guint) atoi (n_env) : 100000, 99, &error);
      g_assert_no_error (error);
    }

  printf ("stats.all_time %.0f ms\n", time_stats (store, NULL));
  printf ("stats.last_30_days %.0f ms\n", time_stats (store, month));

  for (guint i = 0; i < ROUNDS; i++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(GPtrArray) list = waybill_store_list_feedback (store, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (list);
      times[i] = (g_get_monotonic_time () - start) / 1000.0;
    }
  printf ("feedback.list %.0f ms\n", median (times));

  return 0;
}
