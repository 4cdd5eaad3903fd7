/* waybill-status.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * WaybillStatus:
 *
 * The status vocabulary of DESIGN.md: the order stages come first, then
 * the shipment statuses.  An order shows its stage until it has shipments,
 * then the least advanced status of its active shipments.
 */
typedef enum
{
  WAYBILL_STATUS_RECEIVED,
  WAYBILL_STATUS_PROCESSING,
  WAYBILL_STATUS_SHIPPED,
  WAYBILL_STATUS_CANCELLED,
  WAYBILL_STATUS_PENDING,
  WAYBILL_STATUS_INFO_RECEIVED,
  WAYBILL_STATUS_PICKED_UP,
  WAYBILL_STATUS_IN_TRANSIT,
  WAYBILL_STATUS_OUT_FOR_DELIVERY,
  WAYBILL_STATUS_AVAILABLE_FOR_PICKUP,
  WAYBILL_STATUS_FAILED_ATTEMPT,
  WAYBILL_STATUS_DELIVERED,
  WAYBILL_STATUS_EXCEPTION,
  WAYBILL_STATUS_RETURNED,
  WAYBILL_STATUS_EXPIRED,
  WAYBILL_N_STATUSES,
  WAYBILL_STATUS_INVALID = -1,
} WaybillStatus;

typedef enum
{
  WAYBILL_EXCEPTION_NONE,
  WAYBILL_EXCEPTION_CUSTOMS,
  WAYBILL_EXCEPTION_DAMAGED,
  WAYBILL_EXCEPTION_LOST,
  WAYBILL_EXCEPTION_ADDRESS,
  WAYBILL_EXCEPTION_REFUSED,
  WAYBILL_EXCEPTION_WEATHER,
  WAYBILL_EXCEPTION_DELAY,
  WAYBILL_EXCEPTION_OTHER,
  WAYBILL_N_EXCEPTION_REASONS,
} WaybillExceptionReason;

#define WAYBILL_TYPE_STATUS (waybill_status_get_type ())
GType          waybill_status_get_type            (void) G_GNUC_CONST;

const char    *waybill_status_to_id               (WaybillStatus status);
WaybillStatus  waybill_status_from_id             (const char   *id);
const char    *waybill_status_get_label           (WaybillStatus status);
const char    *waybill_status_get_icon_name       (WaybillStatus status);
const char    *waybill_status_get_style_class     (WaybillStatus status);
gboolean       waybill_status_is_order_stage      (WaybillStatus status);
gboolean       waybill_status_is_final            (WaybillStatus status);
gboolean       waybill_status_needs_attention     (WaybillStatus status);
int            waybill_status_get_progress        (WaybillStatus status);

const char    *waybill_exception_reason_to_id     (WaybillExceptionReason reason);
WaybillExceptionReason
               waybill_exception_reason_from_id   (const char   *id);
const char    *waybill_exception_reason_get_label (WaybillExceptionReason reason);

WaybillStatus  waybill_status_for_order           (WaybillStatus        stage,
                                                   const WaybillStatus *shipment_statuses,
                                                   guint                n_shipments);

G_END_DECLS
