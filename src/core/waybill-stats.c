/* waybill-stats.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-stats"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "waybill-stats.h"

/* Insights over a period: how carriers do, where orders stand, what
 * customers say.  The store computes them (waybill-store-stats.c); the
 * definitions, shared by the window and `waybill stats`:
 *
 * - The period [since, until) selects orders by their creation time: a
 *   carrier's figures are those of the shipments of the orders created in
 *   the period, and so are the orders per status.  Feedback is selected by
 *   the date it was given.  Choosing the order's creation keeps every
 *   figure about the same set of orders, whatever became of them since.
 * - Delivered: the shipment's status is delivered and it has a delivery
 *   time.
 * - On time: delivered on or before the local day of its estimated
 *   delivery (the end of the window when the carrier gave one, else its
 *   start).  The on-time rate is on time / delivered shipments that had an
 *   estimate; a carrier with none has no rate (-1).
 * - Transit days: from the shipment's first tracking event (the carrier's
 *   first scan) to its delivery, in days with decimals, averaged over the
 *   delivered shipments that have events.
 * - Exceptions: the shipments whose status is exception now, by reason
 *   (no reason counts as "other").
 * - Feedback: count and average rating, and the same per week (weeks start
 *   on Monday, local time). */

void
waybill_stats_free (WaybillStats *stats)
{
  if (stats == NULL)
    return;

  g_clear_pointer (&stats->since, g_date_time_unref);
  g_clear_pointer (&stats->until, g_date_time_unref);
  g_clear_pointer (&stats->carriers, g_ptr_array_unref);
  g_clear_pointer (&stats->feedback_weeks, g_array_unref);
  g_free (stats);
}

typedef struct
{
  char      *path;
  GDateTime *since;
  GDateTime *until;
} ComputeData;

static void
compute_data_free (gpointer data)
{
  ComputeData *compute = data;

  g_free (compute->path);
  g_clear_pointer (&compute->since, g_date_time_unref);
  g_clear_pointer (&compute->until, g_date_time_unref);
  g_free (compute);
}

static void
compute_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ComputeData *compute = task_data;
  g_autoptr(WaybillStore) store = NULL;
  GError *error = NULL;
  WaybillStats *stats;

  /* A connection of this thread's own: a store belongs to its thread. */
  store = waybill_store_open (compute->path, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  stats = waybill_stats_compute (store, compute->since, compute->until, &error);
  if (stats == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, stats, (GDestroyNotify) waybill_stats_free);
}

/**
 * waybill_stats_compute_async:
 * @database_path: the store's file; the figures are computed in a thread
 *   with a connection of its own
 */
void
waybill_stats_compute_async (const char          *database_path,
                             GDateTime           *since,
                             GDateTime           *until,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ComputeData *compute;

  g_return_if_fail (database_path != NULL);

  compute = g_new0 (ComputeData, 1);
  compute->path = g_strdup (database_path);
  compute->since = since != NULL ? g_date_time_ref (since) : NULL;
  compute->until = until != NULL ? g_date_time_ref (until) : NULL;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, waybill_stats_compute_async);
  g_task_set_task_data (task, compute, compute_data_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, compute_thread);
}

WaybillStats *
waybill_stats_compute_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * waybill_stats_parse_since:
 * @text: a date, "2025-11-01", local time
 *
 * Returns: (transfer full): the start of that local day, or %NULL with an
 *   error that says what a date looks like
 */
GDateTime *
waybill_stats_parse_since (const char  *text,
                           GError     **error)
{
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  int year = 0, month = 0, day = 0;
  char end = '\0';

  if (text == NULL || sscanf (text, "%4d-%2d-%2d%c", &year, &month, &day, &end) != 3 ||
      !g_date_valid_dmy (day, month, year))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a date such as 2025-11-01"), text != NULL ? text : "");
      return NULL;
    }

  return g_date_time_new (local, year, month, day, 0, 0, 0);
}
