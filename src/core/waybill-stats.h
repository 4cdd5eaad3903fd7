/* waybill-stats.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "waybill-store.h"

G_BEGIN_DECLS

/* The figures of one carrier over a period; see waybill-stats.c for what
 * each one means exactly. */
typedef struct
{
  char   *carrier;               /* carrier id, "" for shipments without one */
  guint   shipments;
  guint   delivered;
  guint   delivered_with_estimate;
  guint   on_time;
  double  on_time_rate;          /* 0..1, or -1 when no delivered shipment had an estimate */
  double  average_transit_days;  /* or -1 when no delivered shipment has a start */
  guint   exceptions;
  guint   exceptions_by_reason[WAYBILL_N_EXCEPTION_REASONS];
} WaybillCarrierStats;

typedef struct
{
  GDate   week;                  /* the Monday the week starts on, local time */
  guint   count;
  double  average;
} WaybillFeedbackWeek;

typedef struct
{
  GDateTime *since;              /* nullable: all time */
  GDateTime *until;
  GPtrArray *carriers;           /* WaybillCarrierStats, most shipments first */
  guint      orders;
  guint      orders_by_status[WAYBILL_N_STATUSES];
  guint      feedback_count;
  double     feedback_average;   /* 0 when there is no feedback */
  GArray    *feedback_weeks;     /* WaybillFeedbackWeek, oldest first, weeks with feedback */
} WaybillStats;

WaybillStats *waybill_stats_compute      (WaybillStore         *store,
                                          GDateTime            *since,
                                          GDateTime            *until,
                                          GError              **error);
void          waybill_stats_compute_async (const char          *database_path,
                                          GDateTime            *since,
                                          GDateTime            *until,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
WaybillStats *waybill_stats_compute_finish (GAsyncResult       *result,
                                          GError              **error);
void          waybill_stats_free         (WaybillStats         *stats);
GDateTime    *waybill_stats_parse_since  (const char           *text,
                                          GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WaybillStats, waybill_stats_free)

G_END_DECLS
