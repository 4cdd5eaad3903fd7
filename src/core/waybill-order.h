/* waybill-order.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "waybill-shipment.h"
#include "waybill-status.h"

G_BEGIN_DECLS

#define WAYBILL_TYPE_ORDER (waybill_order_get_type ())

G_DECLARE_FINAL_TYPE (WaybillOrder, waybill_order, WAYBILL, ORDER, GObject)

WaybillOrder    *waybill_order_new                   (const char   *order_number,
                                                      const char   *customer);
gint64           waybill_order_get_id                (WaybillOrder *self);
void             waybill_order_set_id                (WaybillOrder *self,
                                                      gint64        id);
const char      *waybill_order_get_order_number      (WaybillOrder *self);
void             waybill_order_set_order_number      (WaybillOrder *self,
                                                      const char   *order_number);
const char      *waybill_order_get_customer          (WaybillOrder *self);
void             waybill_order_set_customer          (WaybillOrder *self,
                                                      const char   *customer);
const char      *waybill_order_get_email             (WaybillOrder *self);
void             waybill_order_set_email             (WaybillOrder *self,
                                                      const char   *email);
const char      *waybill_order_get_phone             (WaybillOrder *self);
void             waybill_order_set_phone             (WaybillOrder *self,
                                                      const char   *phone);
const char      *waybill_order_get_address           (WaybillOrder *self);
void             waybill_order_set_address           (WaybillOrder *self,
                                                      const char   *address);
const char      *waybill_order_get_items             (WaybillOrder *self);
void             waybill_order_set_items             (WaybillOrder *self,
                                                      const char   *items);
double           waybill_order_get_total             (WaybillOrder *self);
void             waybill_order_set_total             (WaybillOrder *self,
                                                      double        total);
const char      *waybill_order_get_currency          (WaybillOrder *self);
void             waybill_order_set_currency          (WaybillOrder *self,
                                                      const char   *currency);
const char      *waybill_order_get_note              (WaybillOrder *self);
void             waybill_order_set_note              (WaybillOrder *self,
                                                      const char   *note);
WaybillStatus    waybill_order_get_stage             (WaybillOrder *self);
void             waybill_order_set_stage             (WaybillOrder *self,
                                                      WaybillStatus stage);
WaybillStatus    waybill_order_get_display_status    (WaybillOrder *self);
void             waybill_order_set_display_status    (WaybillOrder *self,
                                                      WaybillStatus display_status);
gboolean         waybill_order_get_delayed           (WaybillOrder *self);
void             waybill_order_set_delayed           (WaybillOrder *self,
                                                      gboolean      delayed);
gboolean         waybill_order_get_archived          (WaybillOrder *self);
void             waybill_order_set_archived          (WaybillOrder *self,
                                                      gboolean      archived);
GDateTime       *waybill_order_get_created           (WaybillOrder *self);
void             waybill_order_set_created           (WaybillOrder *self,
                                                      GDateTime    *created);
GDateTime       *waybill_order_get_updated           (WaybillOrder *self);
void             waybill_order_set_updated           (WaybillOrder *self,
                                                      GDateTime    *updated);
GPtrArray       *waybill_order_get_shipments         (WaybillOrder *self);
void             waybill_order_add_shipment          (WaybillOrder    *self,
                                                      WaybillShipment *shipment);
WaybillShipment *waybill_order_get_primary_shipment  (WaybillOrder *self);
void             waybill_order_update_display_status (WaybillOrder *self);

G_END_DECLS
