/* waybill-insights-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "waybill-chart.h"
#include "waybill-store.h"

G_BEGIN_DECLS

typedef enum
{
  WAYBILL_INSIGHTS_PERIOD_WEEK,
  WAYBILL_INSIGHTS_PERIOD_MONTH,
  WAYBILL_INSIGHTS_PERIOD_QUARTER,
  WAYBILL_INSIGHTS_PERIOD_ALL,
} WaybillInsightsPeriod;

#define WAYBILL_TYPE_INSIGHTS_WINDOW (waybill_insights_window_get_type ())

G_DECLARE_FINAL_TYPE (WaybillInsightsWindow, waybill_insights_window, WAYBILL, INSIGHTS_WINDOW, AdwWindow)

WaybillInsightsWindow *waybill_insights_window_new        (GtkWindow             *parent,
                                                           WaybillStore          *store);
void                   waybill_insights_window_set_period (WaybillInsightsWindow *self,
                                                           WaybillInsightsPeriod  period);
gboolean               waybill_insights_window_is_loading (WaybillInsightsWindow *self);
WaybillChart          *waybill_insights_window_get_chart  (WaybillInsightsWindow *self,
                                                           const char            *name);
const char            *waybill_insights_window_get_summary (WaybillInsightsWindow *self);

G_END_DECLS
