/* waybill-outbox.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "waybill-clock.h"
#include "waybill-mail-sender.h"
#include "waybill-message.h"
#include "waybill-sms-sender.h"
#include "waybill-store.h"

G_BEGIN_DECLS

/* Attempts of one message before it is given up on. */
#define WAYBILL_OUTBOX_MAX_ATTEMPTS 6
/* The first retry waits this long; each next one five times longer. */
#define WAYBILL_OUTBOX_FIRST_RETRY_S 60
/* How long a channel rests after its credentials were refused. */
#define WAYBILL_OUTBOX_AUTH_PAUSE_S 3600
/* A message claimed longer ago than this by a Waybill that is gone. */
#define WAYBILL_OUTBOX_STALE_S 900
#define WAYBILL_OUTBOX_DEFAULT_DAILY_LIMIT 200

#define WAYBILL_TYPE_OUTBOX (waybill_outbox_get_type ())

G_DECLARE_FINAL_TYPE (WaybillOutbox, waybill_outbox, WAYBILL, OUTBOX, GObject)

WaybillOutbox     *waybill_outbox_new                 (WaybillStore        *store,
                                                       GSettings           *settings);
WaybillStore      *waybill_outbox_get_store           (WaybillOutbox       *self);
GSettings         *waybill_outbox_get_settings        (WaybillOutbox       *self);
WaybillClock      *waybill_outbox_get_clock           (WaybillOutbox       *self);
void               waybill_outbox_set_clock           (WaybillOutbox       *self,
                                                       WaybillClock        *clock);
WaybillMailSender *waybill_outbox_get_mail_sender     (WaybillOutbox       *self);
WaybillSmsSender  *waybill_outbox_get_sms_sender      (WaybillOutbox       *self);

void               waybill_outbox_set_secrets         (WaybillOutbox       *self,
                                                       const char          *smtp_password,
                                                       const char          *twilio_sid,
                                                       const char          *twilio_token);
void               waybill_outbox_load_secrets_async  (WaybillOutbox       *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean           waybill_outbox_load_secrets_finish (WaybillOutbox       *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

gboolean           waybill_outbox_get_auto_send       (WaybillOutbox       *self,
                                                       WaybillMessageEvent  event);
guint              waybill_outbox_get_daily_limit     (WaybillOutbox       *self);

WaybillMessage    *waybill_outbox_compose             (WaybillOutbox       *self,
                                                       WaybillOrder        *order,
                                                       WaybillShipment     *shipment,
                                                       WaybillMessageEvent  event,
                                                       WaybillMessageChannel channel);
gboolean           waybill_outbox_choose_channel      (WaybillOutbox       *self,
                                                       WaybillOrder        *order,
                                                       WaybillMessageChannel *out_channel,
                                                       GError             **error);
guint              waybill_outbox_queue_changes       (WaybillOutbox       *self,
                                                       GPtrArray           *changes,
                                                       GError             **error);

void               waybill_outbox_process_async       (WaybillOutbox       *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean           waybill_outbox_process_finish      (WaybillOutbox       *self,
                                                       GAsyncResult        *result,
                                                       guint               *out_sent,
                                                       guint               *out_failed,
                                                       GError             **error);

void               waybill_outbox_send_message_async  (WaybillOutbox       *self,
                                                       WaybillMessage      *message,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
WaybillMessage    *waybill_outbox_send_message_finish (WaybillOutbox       *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

void               waybill_outbox_start               (WaybillOutbox       *self);
void               waybill_outbox_stop                (WaybillOutbox       *self);
void               waybill_outbox_wake                (WaybillOutbox       *self);

G_END_DECLS
