/* waybill-mail-sender.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  WAYBILL_SMTP_SECURITY_STARTTLS,
  WAYBILL_SMTP_SECURITY_TLS,
  WAYBILL_SMTP_SECURITY_NONE,
} WaybillSmtpSecurity;

#define WAYBILL_TYPE_MAIL_SENDER (waybill_mail_sender_get_type ())

G_DECLARE_FINAL_TYPE (WaybillMailSender, waybill_mail_sender, WAYBILL, MAIL_SENDER, GObject)

WaybillMailSender *waybill_mail_sender_new             (void);
void               waybill_mail_sender_set_server      (WaybillMailSender   *self,
                                                        const char          *host,
                                                        guint                port,
                                                        WaybillSmtpSecurity  security);
void               waybill_mail_sender_set_login       (WaybillMailSender   *self,
                                                        const char          *username,
                                                        const char          *password);
void               waybill_mail_sender_set_from        (WaybillMailSender   *self,
                                                        const char          *name,
                                                        const char          *address);
gboolean           waybill_mail_sender_is_configured   (WaybillMailSender   *self);

char              *waybill_mail_sender_compose         (WaybillMailSender   *self,
                                                        const char          *to,
                                                        const char          *subject,
                                                        const char          *body,
                                                        GDateTime           *date,
                                                        const char          *message_id);

void               waybill_mail_sender_send_async      (WaybillMailSender   *self,
                                                        const char          *to,
                                                        const char          *subject,
                                                        const char          *body,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
char              *waybill_mail_sender_send_finish     (WaybillMailSender   *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

char              *waybill_mail_sender_mailto_uri      (const char          *to,
                                                        const char          *subject,
                                                        const char          *body);

G_END_DECLS
