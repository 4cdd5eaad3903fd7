/* waybill-oauth-token.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "waybill-tracker-private.h"

G_BEGIN_DECLS

/**
 * WaybillOAuthClientAuth:
 * @WAYBILL_OAUTH_CLIENT_AUTH_BASIC: `Authorization: Basic base64(id:secret)`
 *   (UPS)
 * @WAYBILL_OAUTH_CLIENT_AUTH_FORM: `client_id` and `client_secret` form
 *   fields in the body (FedEx, USPS)
 *
 * How the client credentials reach the token endpoint.
 */
typedef enum
{
  WAYBILL_OAUTH_CLIENT_AUTH_BASIC,
  WAYBILL_OAUTH_CLIENT_AUTH_FORM,
} WaybillOAuthClientAuth;

/* A token is renewed this long before it expires (or at half its life,
 * for tokens that live less than twice this). */
#define WAYBILL_OAUTH_EXPIRY_MARGIN_SECONDS 60

/* The life of a token whose reply does not say. */
#define WAYBILL_OAUTH_DEFAULT_LIFETIME_SECONDS 3600

/**
 * WaybillOAuthClock:
 *
 * Returns: the current time in seconds, on any monotonic scale
 */
typedef gint64 (*WaybillOAuthClock) (gpointer user_data);

/**
 * WaybillOAuthBuildFunc:
 * @tracker: the tracker that sends
 * @user_data: the data given to waybill_oauth_token_send_async()
 * @error: where to put a failure (usually from waybill_tracker_new_message())
 *
 * Builds the request; called once per attempt, as a message is sent once.
 * The token adds the `Authorization` header.
 *
 * Returns: (transfer full) (nullable): the message
 */
typedef SoupMessage *(*WaybillOAuthBuildFunc) (WaybillTracker  *tracker,
                                               gpointer         user_data,
                                               GError         **error);

#define WAYBILL_TYPE_OAUTH_TOKEN (waybill_oauth_token_get_type ())

G_DECLARE_FINAL_TYPE (WaybillOAuthToken, waybill_oauth_token, WAYBILL, OAUTH_TOKEN, GObject)

WaybillOAuthToken   *waybill_oauth_token_new         (WaybillTracker         *tracker,
                                                      const char             *token_path,
                                                      WaybillOAuthClientAuth  client_auth,
                                                      const char             *scope);
void                 waybill_oauth_token_get_async   (WaybillOAuthToken      *self,
                                                      GCancellable           *cancellable,
                                                      GAsyncReadyCallback     callback,
                                                      gpointer                user_data);
char                *waybill_oauth_token_get_finish  (WaybillOAuthToken      *self,
                                                      GAsyncResult           *result,
                                                      guint                  *out_retry_after_seconds,
                                                      GError                **error);
void                 waybill_oauth_token_invalidate  (WaybillOAuthToken      *self,
                                                      const char             *rejected_token);
gboolean             waybill_oauth_token_is_valid    (WaybillOAuthToken      *self);

void                 waybill_oauth_token_send_async  (WaybillOAuthToken      *self,
                                                      WaybillOAuthBuildFunc   build,
                                                      gpointer                build_data,
                                                      GDestroyNotify          build_data_destroy,
                                                      GCancellable           *cancellable,
                                                      GAsyncReadyCallback     callback,
                                                      gpointer                user_data);
WaybillHttpResponse *waybill_oauth_token_send_finish (WaybillOAuthToken      *self,
                                                      GAsyncResult           *result,
                                                      guint                  *out_retry_after_seconds,
                                                      GError                **error);

/* For tests: replaces the clock that decides expiry. */
void                 waybill_oauth_token_set_clock   (WaybillOAuthToken      *self,
                                                      WaybillOAuthClock       clock,
                                                      gpointer                user_data);

G_END_DECLS
