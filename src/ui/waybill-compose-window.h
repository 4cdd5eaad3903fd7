/* waybill-compose-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "waybill-message.h"
#include "waybill-order.h"
#include "waybill-outbox.h"

G_BEGIN_DECLS

#define WAYBILL_TYPE_COMPOSE_WINDOW (waybill_compose_window_get_type ())

G_DECLARE_FINAL_TYPE (WaybillComposeWindow, waybill_compose_window, WAYBILL, COMPOSE_WINDOW, AdwWindow)

WaybillComposeWindow *waybill_compose_window_new             (GtkWindow            *parent,
                                                              WaybillOutbox        *outbox,
                                                              WaybillOrder         *order);
WaybillMessage       *waybill_compose_window_get_message     (WaybillComposeWindow *self);
void                  waybill_compose_window_set_event       (WaybillComposeWindow *self,
                                                              WaybillMessageEvent   event);
void                  waybill_compose_window_set_channel     (WaybillComposeWindow *self,
                                                              WaybillMessageChannel channel);
char                 *waybill_compose_window_get_mailto_uri  (WaybillComposeWindow *self);

G_END_DECLS
