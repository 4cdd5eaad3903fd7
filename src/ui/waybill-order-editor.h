/* waybill-order-editor.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "waybill-order.h"
#include "waybill-store.h"

G_BEGIN_DECLS

#define WAYBILL_TYPE_ORDER_EDITOR (waybill_order_editor_get_type ())

G_DECLARE_FINAL_TYPE (WaybillOrderEditor, waybill_order_editor, WAYBILL, ORDER_EDITOR, AdwWindow)

WaybillOrderEditor *waybill_order_editor_new          (GtkWindow          *parent,
                                                       WaybillStore       *store,
                                                       WaybillOrder       *order);
gint64              waybill_order_editor_get_order_id (WaybillOrderEditor *self);
gboolean            waybill_order_editor_get_modified (WaybillOrderEditor *self);
gboolean            waybill_order_editor_get_can_save (WaybillOrderEditor *self);
gboolean            waybill_order_editor_save         (WaybillOrderEditor *self);
void                waybill_order_editor_set_tracking (WaybillOrderEditor *self,
                                                       const char         *number,
                                                       const char         *carrier_id);

G_END_DECLS
