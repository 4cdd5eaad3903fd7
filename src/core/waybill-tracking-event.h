/* waybill-tracking-event.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "waybill-status.h"

G_BEGIN_DECLS

#define WAYBILL_TYPE_TRACKING_EVENT (waybill_tracking_event_get_type ())

G_DECLARE_FINAL_TYPE (WaybillTrackingEvent, waybill_tracking_event, WAYBILL, TRACKING_EVENT, GObject)

WaybillTrackingEvent *waybill_tracking_event_new             (GDateTime     *time,
                                                              WaybillStatus  status,
                                                              const char    *code,
                                                              const char    *description,
                                                              const char    *location);
gint64                waybill_tracking_event_get_id          (WaybillTrackingEvent *self);
void                  waybill_tracking_event_set_id          (WaybillTrackingEvent *self,
                                                              gint64                id);
GDateTime            *waybill_tracking_event_get_time        (WaybillTrackingEvent *self);
gboolean              waybill_tracking_event_get_time_is_local
                                                             (WaybillTrackingEvent *self);
void                  waybill_tracking_event_set_time_is_local
                                                             (WaybillTrackingEvent *self,
                                                              gboolean              is_local);
WaybillStatus         waybill_tracking_event_get_status      (WaybillTrackingEvent *self);
const char           *waybill_tracking_event_get_code        (WaybillTrackingEvent *self);
const char           *waybill_tracking_event_get_description (WaybillTrackingEvent *self);
const char           *waybill_tracking_event_get_location    (WaybillTrackingEvent *self);

G_END_DECLS
