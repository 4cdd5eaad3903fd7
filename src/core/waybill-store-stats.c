/* waybill-store-stats.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-store"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "waybill-stats.h"
#include "waybill-store-private.h"

/* The store's aggregate queries for insights (see waybill-stats.c for the
 * definitions).  Each figure is one GROUP BY over the period's orders, so
 * that 100,000 orders take a handful of scans, not 100,000 queries.
 *
 * ?1 and ?2 are the period [since, until) in Unix seconds; days are the
 * local days of the process's time zone ('localtime'). */

static const char carrier_sql[] =
  "SELECT carrier, count (*), sum (delivered), sum (has_estimate), "
  "       sum (has_estimate AND date (delivered_at, 'unixepoch', 'localtime') "
  "                           <= date (estimate, 'unixepoch', 'localtime')), "
  "       avg (transit) / 86400.0, "
  "       sum (exception) "
  "FROM (SELECT coalesce (s.carrier, '') AS carrier, "
  "             s.status = 'delivered' AND s.delivered_at IS NOT NULL AS delivered, "
  "             s.delivered_at AS delivered_at, "
  "             coalesce (s.estimated_to, s.estimated_from) AS estimate, "
  "             s.status = 'delivered' AND s.delivered_at IS NOT NULL "
  "               AND coalesce (s.estimated_to, s.estimated_from) IS NOT NULL AS has_estimate, "
  /* Seconds from the first scan to the delivery: events after the
   * delivery (a late "delivered" rescan) do not count as a start. */
  "             CASE WHEN s.status = 'delivered' AND s.delivered_at IS NOT NULL "
  "                  THEN (SELECT s.delivered_at - min (e.time) FROM tracking_events e "
  "                        WHERE e.shipment_id = s.id AND e.time <= s.delivered_at) "
  "             END AS transit, "
  "             s.status = 'exception' AS exception "
  "      FROM orders o JOIN shipments s ON s.order_id = o.id "
  "      WHERE o.created >= ?1 AND o.created < ?2) "
  "GROUP BY carrier "
  "ORDER BY count (*) DESC, carrier";

static const char exception_sql[] =
  "SELECT coalesce (s.carrier, ''), coalesce (s.exception_reason, ''), count (*) "
  "FROM orders o JOIN shipments s ON s.order_id = o.id "
  "WHERE o.created >= ?1 AND o.created < ?2 AND s.status = 'exception' "
  "GROUP BY 1, 2";

static const char status_sql[] =
  "SELECT status, count (*) FROM orders "
  "WHERE created >= ?1 AND created < ?2 "
  "GROUP BY status";

static const char feedback_sql[] =
  "SELECT date (given_at, 'unixepoch', 'localtime', 'weekday 0', '-6 days') AS week, "
  "       count (*), avg (rating) "
  "FROM feedback "
  "WHERE given_at >= ?1 AND given_at < ?2 "
  "GROUP BY week ORDER BY week";

static sqlite3_stmt *
prepare_period (WaybillStore  *store,
                const char    *sql,
                gint64         since,
                gint64         until,
                GError       **error)
{
  sqlite3_stmt *stmt = waybill_store_prepare (store, sql, error);

  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, since);
      sqlite3_bind_int64 (stmt, 2, until);
    }

  return stmt;
}

static gboolean
finish (WaybillStore  *store,
        sqlite3_stmt  *stmt,
        int            rc,
        GError       **error)
{
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      waybill_store_set_error (store, error, rc);
      return FALSE;
    }

  return TRUE;
}

static void
carrier_stats_free (gpointer data)
{
  WaybillCarrierStats *carrier = data;

  g_free (carrier->carrier);
  g_free (carrier);
}

/**
 * waybill_stats_compute:
 * @since: (nullable): the start of the period; %NULL for all time
 * @until: (nullable): its end (excluded); %NULL for now
 *
 * Returns: (transfer full): the figures, or %NULL on a database error
 */
WaybillStats *
waybill_stats_compute (WaybillStore  *store,
                       GDateTime     *since,
                       GDateTime     *until,
                       GError       **error)
{
  g_autoptr(WaybillStats) stats = NULL;
  sqlite3_stmt *stmt;
  gint64 from, to;
  double rating_sum = 0;
  gboolean own_txn;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (WAYBILL_IS_STORE (store), NULL);

  stats = g_new0 (WaybillStats, 1);
  stats->since = since != NULL ? g_date_time_ref (since) : NULL;
  stats->until = until != NULL ? g_date_time_ref (until) : g_date_time_new_now_utc ();
  stats->carriers = g_ptr_array_new_with_free_func (carrier_stats_free);
  stats->feedback_weeks = g_array_new (FALSE, TRUE, sizeof (WaybillFeedbackWeek));

  from = since != NULL ? g_date_time_to_unix (since) : G_MININT64;
  to = g_date_time_to_unix (stats->until);

  /* One read transaction (deferred: it takes no write lock), so that the
   * figures agree with each other. */
  db = waybill_store_get_db (store);
  own_txn = sqlite3_get_autocommit (db) != 0;
  if (own_txn && (rc = sqlite3_exec (db, "BEGIN DEFERRED", NULL, NULL, NULL)) != SQLITE_OK)
    {
      waybill_store_set_error (store, error, rc);
      return NULL;
    }

  stmt = prepare_period (store, carrier_sql, from, to, error);
  if (stmt == NULL)
    goto failed;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      WaybillCarrierStats *carrier = g_new0 (WaybillCarrierStats, 1);

      carrier->carrier = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      carrier->shipments = sqlite3_column_int (stmt, 1);
      carrier->delivered = sqlite3_column_int (stmt, 2);
      carrier->delivered_with_estimate = sqlite3_column_int (stmt, 3);
      carrier->on_time = sqlite3_column_int (stmt, 4);
      carrier->on_time_rate = carrier->delivered_with_estimate > 0
                              ? (double) carrier->on_time / carrier->delivered_with_estimate : -1;
      carrier->average_transit_days = sqlite3_column_type (stmt, 5) == SQLITE_NULL
                                      ? -1 : sqlite3_column_double (stmt, 5);
      carrier->exceptions = sqlite3_column_int (stmt, 6);
      g_ptr_array_add (stats->carriers, carrier);
    }
  if (!finish (store, stmt, rc, error))
    goto failed;

  stmt = prepare_period (store, exception_sql, from, to, error);
  if (stmt == NULL)
    goto failed;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *carrier_id = (const char *) sqlite3_column_text (stmt, 0);
      WaybillExceptionReason reason =
        waybill_exception_reason_from_id ((const char *) sqlite3_column_text (stmt, 1));

      /* A problem the carrier gave no reason for counts as "other". */
      if (reason == WAYBILL_EXCEPTION_NONE || reason >= WAYBILL_N_EXCEPTION_REASONS)
        reason = WAYBILL_EXCEPTION_OTHER;

      for (guint i = 0; i < stats->carriers->len; i++)
        {
          WaybillCarrierStats *carrier = g_ptr_array_index (stats->carriers, i);

          if (g_strcmp0 (carrier->carrier, carrier_id) == 0)
            carrier->exceptions_by_reason[reason] += sqlite3_column_int (stmt, 2);
        }
    }
  if (!finish (store, stmt, rc, error))
    goto failed;

  stmt = prepare_period (store, status_sql, from, to, error);
  if (stmt == NULL)
    goto failed;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      WaybillStatus status = waybill_status_from_id ((const char *) sqlite3_column_text (stmt, 0));
      guint n = sqlite3_column_int (stmt, 1);

      if (status != WAYBILL_STATUS_INVALID)
        stats->orders_by_status[status] += n;
      stats->orders += n;
    }
  if (!finish (store, stmt, rc, error))
    goto failed;

  stmt = prepare_period (store, feedback_sql, from, to, error);
  if (stmt == NULL)
    goto failed;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      WaybillFeedbackWeek week = { { 0 } };
      int year, month, day;

      if (sscanf ((const char *) sqlite3_column_text (stmt, 0), "%d-%d-%d", &year, &month, &day) != 3)
        continue;
      g_date_set_dmy (&week.week, day, month, year);
      week.count = sqlite3_column_int (stmt, 1);
      week.average = sqlite3_column_double (stmt, 2);
      g_array_append_val (stats->feedback_weeks, week);

      stats->feedback_count += week.count;
      rating_sum += week.average * week.count;
    }
  if (!finish (store, stmt, rc, error))
    goto failed;

  if (stats->feedback_count > 0)
    stats->feedback_average = rating_sum / stats->feedback_count;

  if (own_txn)
    sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);

  return g_steal_pointer (&stats);

failed:
  if (own_txn)
    sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  return NULL;
}
