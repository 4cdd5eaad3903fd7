/* waybill-status-change.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "waybill-order.h"
#include "waybill-shipment.h"
#include "waybill-status.h"

G_BEGIN_DECLS

/**
 * WaybillStatusChange:
 * @order_id: the order the shipment belongs to
 * @order_number: (nullable): the order number as people know it ("1042")
 * @shipment_id: the shipment that changed
 * @carrier: (nullable): the carrier id ("ups"); unknown ids are shown as is
 * @tracking_number: (nullable): the shipment's tracking number
 * @from: the status before the change
 * @to: the status after the change
 * @exception_reason: why, when @to is %WAYBILL_STATUS_EXCEPTION
 * @location: (nullable): where the carrier last saw the parcel
 * @estimated_delivery: (nullable): when the carrier expects to deliver
 * @first_fetch: %TRUE for the first answer about a newly added or imported
 *   shipment: what it says is news to nobody, so it is not announced
 * @delayed: %TRUE when the shipment became delayed with this change.  With
 *   @from equal to @to the change is only that: the shipment is late.
 *
 * One change of one shipment, as the refresher reports it and the notifier
 * announces it.
 */
typedef struct
{
  gint64                  order_id;
  char                   *order_number;
  gint64                  shipment_id;
  char                   *carrier;
  char                   *tracking_number;
  WaybillStatus           from;
  WaybillStatus           to;
  WaybillExceptionReason  exception_reason;
  char                   *location;
  GDateTime              *estimated_delivery;
  gboolean                first_fetch;
  gboolean                delayed;
} WaybillStatusChange;

#define WAYBILL_TYPE_STATUS_CHANGE (waybill_status_change_get_type ())

GType                waybill_status_change_get_type         (void) G_GNUC_CONST;
WaybillStatusChange *waybill_status_change_new              (void);
WaybillStatusChange *waybill_status_change_new_for_shipment (WaybillOrder              *order,
                                                             WaybillShipment           *shipment,
                                                             WaybillStatus              from);
WaybillStatusChange *waybill_status_change_copy             (const WaybillStatusChange *self);
void                 waybill_status_change_free             (WaybillStatusChange       *self);
gboolean             waybill_status_change_is_delay_only    (const WaybillStatusChange *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WaybillStatusChange, waybill_status_change_free)

G_END_DECLS
