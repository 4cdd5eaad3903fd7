/* waybill-format.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "waybill-order.h"
#include "waybill-shipment.h"

G_BEGIN_DECLS

char *waybill_format_delivery_line (WaybillShipment *shipment,
                                    GDateTime       *now);
char *waybill_format_order_line    (WaybillOrder    *order,
                                    GDateTime       *now);
char *waybill_format_date_time     (GDateTime       *time);
GDateTime *waybill_format_now      (void);
char *waybill_format_iso8601       (GDateTime       *time);
const char *waybill_format_carrier_name (const char *carrier_id);

G_END_DECLS
