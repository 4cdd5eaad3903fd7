/* waybill-order-row.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "waybill-order.h"

G_BEGIN_DECLS

#define WAYBILL_TYPE_ORDER_ROW (waybill_order_row_get_type ())

G_DECLARE_FINAL_TYPE (WaybillOrderRow, waybill_order_row, WAYBILL, ORDER_ROW, GtkWidget)

WaybillOrderRow *waybill_order_row_new       (void);
WaybillOrder    *waybill_order_row_get_order (WaybillOrderRow *self);
void             waybill_order_row_set_order (WaybillOrderRow *self,
                                              WaybillOrder    *order);
gboolean         waybill_order_row_get_cut_short (WaybillOrderRow *self);
char           **waybill_order_row_dup_texts     (WaybillOrderRow *self);

G_END_DECLS
