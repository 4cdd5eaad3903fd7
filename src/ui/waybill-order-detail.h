/* waybill-order-detail.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "waybill-order.h"

G_BEGIN_DECLS

#define WAYBILL_TYPE_ORDER_DETAIL (waybill_order_detail_get_type ())

G_DECLARE_FINAL_TYPE (WaybillOrderDetail, waybill_order_detail, WAYBILL, ORDER_DETAIL, GtkWidget)

WaybillOrder *waybill_order_detail_get_order    (WaybillOrderDetail *self);
void          waybill_order_detail_set_messages (WaybillOrderDetail *self,
                                                 GPtrArray          *messages);
void          waybill_order_detail_set_order (WaybillOrderDetail *self,
                                              WaybillOrder       *order);
void          waybill_order_detail_set_feedback (WaybillOrderDetail *self,
                                                 GPtrArray          *feedback);
GtkWidget    *waybill_order_detail_get_feedback_group (WaybillOrderDetail *self);

G_END_DECLS
