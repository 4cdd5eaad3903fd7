/* waybill-status-pill.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "waybill-status.h"

G_BEGIN_DECLS

#define WAYBILL_TYPE_STATUS_PILL (waybill_status_pill_get_type ())

G_DECLARE_FINAL_TYPE (WaybillStatusPill, waybill_status_pill, WAYBILL, STATUS_PILL, GtkWidget)

GtkWidget  *waybill_status_pill_new        (void);
void        waybill_status_pill_set_status (WaybillStatusPill *self,
                                            WaybillStatus      status);
const char *waybill_status_pill_get_text   (WaybillStatusPill *self);

G_END_DECLS
