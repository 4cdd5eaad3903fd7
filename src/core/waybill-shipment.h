/* waybill-shipment.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "waybill-status.h"
#include "waybill-tracking-event.h"

G_BEGIN_DECLS

#define WAYBILL_TYPE_SHIPMENT (waybill_shipment_get_type ())

G_DECLARE_FINAL_TYPE (WaybillShipment, waybill_shipment, WAYBILL, SHIPMENT, GObject)

WaybillShipment *waybill_shipment_new                    (const char      *carrier,
                                                          const char      *tracking_number);
gint64           waybill_shipment_get_id                 (WaybillShipment *self);
void             waybill_shipment_set_id                 (WaybillShipment *self,
                                                          gint64           id);
gint64           waybill_shipment_get_order_id           (WaybillShipment *self);
void             waybill_shipment_set_order_id           (WaybillShipment *self,
                                                          gint64           order_id);
const char      *waybill_shipment_get_carrier            (WaybillShipment *self);
void             waybill_shipment_set_carrier            (WaybillShipment *self,
                                                          const char      *carrier);
const char      *waybill_shipment_get_tracking_number    (WaybillShipment *self);
void             waybill_shipment_set_tracking_number    (WaybillShipment *self,
                                                          const char      *tracking_number);
WaybillStatus    waybill_shipment_get_status             (WaybillShipment *self);
void             waybill_shipment_set_status             (WaybillShipment *self,
                                                          WaybillStatus    status);
const char      *waybill_shipment_get_sub_status         (WaybillShipment *self);
void             waybill_shipment_set_sub_status         (WaybillShipment *self,
                                                          const char      *sub_status);
WaybillExceptionReason
                 waybill_shipment_get_exception_reason   (WaybillShipment *self);
void             waybill_shipment_set_exception_reason   (WaybillShipment *self,
                                                          WaybillExceptionReason reason);
GDateTime       *waybill_shipment_get_estimated_from     (WaybillShipment *self);
GDateTime       *waybill_shipment_get_estimated_to       (WaybillShipment *self);
void             waybill_shipment_set_estimated_from     (WaybillShipment *self,
                                                          GDateTime       *estimated_from);
void             waybill_shipment_set_estimated_to       (WaybillShipment *self,
                                                          GDateTime       *estimated_to);
void             waybill_shipment_set_estimated_delivery (WaybillShipment *self,
                                                          GDateTime       *from,
                                                          GDateTime       *to);
GDateTime       *waybill_shipment_get_delivered_at       (WaybillShipment *self);
void             waybill_shipment_set_delivered_at       (WaybillShipment *self,
                                                          GDateTime       *delivered_at);
const char      *waybill_shipment_get_signed_by          (WaybillShipment *self);
void             waybill_shipment_set_signed_by          (WaybillShipment *self,
                                                          const char      *signed_by);
GDateTime       *waybill_shipment_get_last_event_at      (WaybillShipment *self);
void             waybill_shipment_set_last_event_at      (WaybillShipment *self,
                                                          GDateTime       *last_event_at);
GDateTime       *waybill_shipment_get_last_checked       (WaybillShipment *self);
void             waybill_shipment_set_last_checked       (WaybillShipment *self,
                                                          GDateTime       *last_checked);
GDateTime       *waybill_shipment_get_next_check         (WaybillShipment *self);
void             waybill_shipment_set_next_check         (WaybillShipment *self,
                                                          GDateTime       *next_check);
guint            waybill_shipment_get_failure_count      (WaybillShipment *self);
void             waybill_shipment_set_failure_count      (WaybillShipment *self,
                                                          guint            failure_count);
const char      *waybill_shipment_get_last_error         (WaybillShipment *self);
void             waybill_shipment_set_last_error         (WaybillShipment *self,
                                                          const char      *last_error);
gboolean         waybill_shipment_get_delayed            (WaybillShipment *self);
void             waybill_shipment_set_delayed            (WaybillShipment *self,
                                                          gboolean         delayed);
GPtrArray       *waybill_shipment_get_events             (WaybillShipment *self);
void             waybill_shipment_set_events             (WaybillShipment *self,
                                                          GPtrArray       *events);

G_END_DECLS
