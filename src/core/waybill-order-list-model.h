/* waybill-order-list-model.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "waybill-store.h"

G_BEGIN_DECLS

#define WAYBILL_TYPE_ORDER_LIST_MODEL (waybill_order_list_model_get_type ())

G_DECLARE_FINAL_TYPE (WaybillOrderListModel, waybill_order_list_model, WAYBILL, ORDER_LIST_MODEL, GObject)

WaybillOrderListModel *waybill_order_list_model_new        (WaybillStore          *store);
WaybillStore          *waybill_order_list_model_get_store  (WaybillOrderListModel *self);
void                   waybill_order_list_model_set_query  (WaybillOrderListModel   *self,
                                                            const WaybillOrderQuery *query);
void                   waybill_order_list_model_set_search (WaybillOrderListModel *self,
                                                            const char            *text);
const char            *waybill_order_list_model_get_search (WaybillOrderListModel *self);
void                   waybill_order_list_model_reload     (WaybillOrderListModel *self);
guint                  waybill_order_list_model_find       (WaybillOrderListModel *self,
                                                            gint64                 order_id);
const GError          *waybill_order_list_model_get_error  (WaybillOrderListModel *self);

G_END_DECLS
