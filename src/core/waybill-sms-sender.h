/* waybill-sms-sender.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define WAYBILL_TWILIO_DEFAULT_URL "https://api.twilio.com"

#define WAYBILL_TYPE_SMS_SENDER (waybill_sms_sender_get_type ())

G_DECLARE_FINAL_TYPE (WaybillSmsSender, waybill_sms_sender, WAYBILL, SMS_SENDER, GObject)

WaybillSmsSender *waybill_sms_sender_new            (const char          *base_url);
const char       *waybill_sms_sender_get_base_url   (WaybillSmsSender    *self);
void              waybill_sms_sender_set_account    (WaybillSmsSender    *self,
                                                     const char          *account_sid,
                                                     const char          *auth_token);
void              waybill_sms_sender_set_from       (WaybillSmsSender    *self,
                                                     const char          *from);
gboolean          waybill_sms_sender_is_configured  (WaybillSmsSender    *self);

void              waybill_sms_sender_send_async     (WaybillSmsSender    *self,
                                                     const char          *to,
                                                     const char          *body,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
char             *waybill_sms_sender_send_finish    (WaybillSmsSender    *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

void              waybill_sms_sender_check_account_async  (WaybillSmsSender    *self,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
char             *waybill_sms_sender_check_account_finish (WaybillSmsSender    *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);

G_END_DECLS
