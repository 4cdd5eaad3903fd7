/* fake-twilio.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Twilio's REST API as Waybill uses it, on 127.0.0.1, for tests: the
 * Messages resource (POST …/Accounts/{Sid}/Messages.json) and the account
 * (GET …/Accounts/{Sid}.json), with HTTP basic authentication.  Wrong
 * credentials get 401 with Twilio's error 20003.  Served from the test's
 * own main context.
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define FAKE_TWILIO_SID "AC0123456789abcdef0123456789abcdef"
#define FAKE_TWILIO_TOKEN "s3cret-token"

typedef struct
{
  SoupServer *server;
  char       *url;
  guint       requests;
  guint       account_requests;
  guint       fail_next;       /* answer the next messages 500 */
  const char *account_status;  /* "active" unless set */
  gboolean    account_html;    /* the account answered 200 with a web page */
  GPtrArray  *bodies;          /* GHashTable of the form fields of each accepted message */
} FakeTwilio;

void fake_twilio_start (FakeTwilio *twilio);
void fake_twilio_stop  (FakeTwilio *twilio);

G_END_DECLS
