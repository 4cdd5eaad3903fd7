/* waybill-chart.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define WAYBILL_TYPE_CHART (waybill_chart_get_type ())

G_DECLARE_FINAL_TYPE (WaybillChart, waybill_chart, WAYBILL, CHART, GtkWidget)

GtkWidget  *waybill_chart_new             (void);
void        waybill_chart_clear           (WaybillChart       *self);
void        waybill_chart_set_series      (WaybillChart       *self,
                                           guint               n_series,
                                           const char * const *names);
void        waybill_chart_set_maximum     (WaybillChart       *self,
                                           double              maximum);
void        waybill_chart_add_bar         (WaybillChart       *self,
                                           const char         *label,
                                           const double       *values,
                                           const char         *value_text);
void        waybill_chart_set_empty_text  (WaybillChart       *self,
                                           const char         *text);
void        waybill_chart_set_description (WaybillChart       *self,
                                           const char         *description);
const char *waybill_chart_get_description (WaybillChart       *self);
guint       waybill_chart_get_n_bars      (WaybillChart       *self);

G_END_DECLS
