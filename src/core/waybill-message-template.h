/* waybill-message-template.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "waybill-message.h"
#include "waybill-order.h"
#include "waybill-shipment.h"
#include "waybill-status-change.h"

G_BEGIN_DECLS

/* The placeholders a template may hold, without their braces. */
extern const char * const waybill_message_placeholders[];

WaybillMessageEvent  waybill_message_event_for_change             (const WaybillStatusChange *change);
WaybillMessageEvent  waybill_message_event_for_shipment           (WaybillShipment    *shipment);

const char          *waybill_message_template_default_subject     (WaybillMessageEvent event);
const char          *waybill_message_template_default_body        (WaybillMessageEvent event);
const char          *waybill_message_template_default_sms         (WaybillMessageEvent event);

char                *waybill_message_template_get_subject         (GSettings          *settings,
                                                                   WaybillMessageEvent event);
char                *waybill_message_template_get_body            (GSettings          *settings,
                                                                   WaybillMessageEvent event);
char                *waybill_message_template_get_sms             (GSettings          *settings,
                                                                   WaybillMessageEvent event);
void                 waybill_message_template_set                 (GSettings          *settings,
                                                                   WaybillMessageEvent event,
                                                                   const char         *part,
                                                                   const char         *text);

GHashTable          *waybill_message_values_new                   (WaybillOrder       *order,
                                                                   WaybillShipment    *shipment,
                                                                   const char         *shop_name,
                                                                   const char         *feedback_address);
char                *waybill_message_feedback_link                (const char         *address,
                                                                   const char         *order_number,
                                                                   GError            **error);
char                *waybill_message_template_render              (const char         *text,
                                                                   GHashTable         *values);

WaybillOrder        *waybill_message_sample_order                 (void);

G_END_DECLS
