/* waybill-tracking-result.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "waybill-status.h"
#include "waybill-tracking-event.h"

G_BEGIN_DECLS

/**
 * WaybillTrackingResult:
 *
 * What a tracking API said about one tracking number: the values the store
 * records on the shipment.  Events may repeat ones already stored; the store
 * drops duplicates.
 */
typedef struct
{
  WaybillStatus           status;
  WaybillExceptionReason  exception_reason;
  char                   *sub_status;
  GDateTime              *estimated_from;
  GDateTime              *estimated_to;
  GDateTime              *delivered_at;
  char                   *signed_by;
  /* element-type WaybillTrackingEvent */
  GPtrArray              *events;
} WaybillTrackingResult;

#define WAYBILL_TYPE_TRACKING_RESULT (waybill_tracking_result_get_type ())

GType                  waybill_tracking_result_get_type (void) G_GNUC_CONST;
WaybillTrackingResult *waybill_tracking_result_new      (WaybillStatus                status);
WaybillTrackingResult *waybill_tracking_result_copy     (const WaybillTrackingResult *self);
void                   waybill_tracking_result_free     (WaybillTrackingResult       *self);
void                   waybill_tracking_result_add_event (WaybillTrackingResult      *self,
                                                          WaybillTrackingEvent       *event);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WaybillTrackingResult, waybill_tracking_result_free)

G_END_DECLS
