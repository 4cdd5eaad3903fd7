/* waybill-oauth-token.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-oauth"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "waybill-oauth-token.h"

/* An OAuth 2 client-credentials token, fetched when first needed and kept
 * until shortly before it expires.  Callers that ask while a fetch is on
 * its way wait for that one fetch.  The token belongs to the credentials
 * it was fetched with: new credentials mean a new token.
 *
 * The token never appears in logs or errors, and neither do the client
 * id and secret. */
struct _WaybillOAuthToken
{
  GObject                 parent_instance;

  /* The tracker owns the token; the token does not keep it alive. */
  GWeakRef                tracker;
  char                   *token_path;
  WaybillOAuthClientAuth  client_auth;
  char                   *scope;

  char                   *access_token;
  gint64                  renew_at;
  WaybillCredentials     *fetched_with;

  /* GTasks waiting for the fetch on its way */
  GQueue                  waiters;
  gboolean                fetching;

  WaybillOAuthClock       clock;
  gpointer                clock_data;
};

G_DEFINE_FINAL_TYPE (WaybillOAuthToken, waybill_oauth_token, G_TYPE_OBJECT)

typedef struct
{
  WaybillOAuthToken *token;
  GCancellable      *cancellable;
  gulong             cancelled_id;
  guint              retry_after;
} Waiter;

static void
waiter_free (Waiter *waiter)
{
  if (waiter->cancelled_id != 0)
    g_cancellable_disconnect (waiter->cancellable, waiter->cancelled_id);
  g_clear_object (&waiter->cancellable);
  g_free (waiter);
}

static gint64
monotonic_seconds (gpointer user_data)
{
  return g_get_monotonic_time () / G_USEC_PER_SEC;
}

static gint64
now (WaybillOAuthToken *self)
{
  return self->clock (self->clock_data);
}

static void
clear_token (WaybillOAuthToken *self)
{
  if (self->access_token != NULL)
    memset (self->access_token, 0, strlen (self->access_token));
  g_clear_pointer (&self->access_token, g_free);
  g_clear_pointer (&self->fetched_with, waybill_credentials_free);
  self->renew_at = 0;
}

static void
waybill_oauth_token_dispose (GObject *object)
{
  WaybillOAuthToken *self = WAYBILL_OAUTH_TOKEN (object);

  /* Waiters hold a reference: there are none left at dispose. */
  g_assert (g_queue_is_empty (&self->waiters));

  G_OBJECT_CLASS (waybill_oauth_token_parent_class)->dispose (object);
}

static void
waybill_oauth_token_finalize (GObject *object)
{
  WaybillOAuthToken *self = WAYBILL_OAUTH_TOKEN (object);

  clear_token (self);
  g_weak_ref_clear (&self->tracker);
  g_free (self->token_path);
  g_free (self->scope);

  G_OBJECT_CLASS (waybill_oauth_token_parent_class)->finalize (object);
}

static void
waybill_oauth_token_class_init (WaybillOAuthTokenClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = waybill_oauth_token_dispose;
  object_class->finalize = waybill_oauth_token_finalize;
}

static void
waybill_oauth_token_init (WaybillOAuthToken *self)
{
  g_weak_ref_init (&self->tracker, NULL);
  g_queue_init (&self->waiters);
  self->clock = monotonic_seconds;
}

/**
 * waybill_oauth_token_new:
 * @tracker: the tracker whose origin, session, timeout and credentials the
 *   token uses; it should own the token
 * @token_path: the token endpoint's path, such as "/security/v1/oauth/token"
 * @client_auth: how the client id and secret are sent
 * @scope: (nullable): the scope to ask for, such as "tracking"
 *
 * Returns: (transfer full): a new token cache, empty
 */
WaybillOAuthToken *
waybill_oauth_token_new (WaybillTracker         *tracker,
                         const char             *token_path,
                         WaybillOAuthClientAuth  client_auth,
                         const char             *scope)
{
  WaybillOAuthToken *self;

  g_return_val_if_fail (WAYBILL_IS_TRACKER (tracker), NULL);
  g_return_val_if_fail (token_path != NULL && token_path[0] == '/', NULL);

  self = g_object_new (WAYBILL_TYPE_OAUTH_TOKEN, NULL);
  g_weak_ref_set (&self->tracker, tracker);
  self->token_path = g_strdup (token_path);
  self->client_auth = client_auth;
  self->scope = g_strdup (scope);

  return self;
}

void
waybill_oauth_token_set_clock (WaybillOAuthToken *self,
                               WaybillOAuthClock  clock,
                               gpointer           user_data)
{
  g_return_if_fail (WAYBILL_IS_OAUTH_TOKEN (self));

  self->clock = clock != NULL ? clock : monotonic_seconds;
  self->clock_data = clock != NULL ? user_data : NULL;
}

static gboolean
token_is_usable (WaybillOAuthToken *self,
                 WaybillTracker    *tracker)
{
  return self->access_token != NULL &&
         now (self) < self->renew_at &&
         waybill_credentials_equal (self->fetched_with,
                                    waybill_tracker_get_credentials (tracker));
}

/**
 * waybill_oauth_token_is_valid:
 *
 * Returns: whether a token is cached that can still be used without a
 *   fetch
 */
gboolean
waybill_oauth_token_is_valid (WaybillOAuthToken *self)
{
  g_autoptr(WaybillTracker) tracker = NULL;

  g_return_val_if_fail (WAYBILL_IS_OAUTH_TOKEN (self), FALSE);

  tracker = g_weak_ref_get (&self->tracker);

  return tracker != NULL && token_is_usable (self, tracker);
}

/**
 * waybill_oauth_token_invalidate:
 * @rejected_token: (nullable): the token the API rejected, or %NULL to drop
 *   whatever token is cached
 *
 * Forgets the token, so that the next caller fetches a new one.  A token
 * that was already renewed since @rejected_token is kept.
 */
void
waybill_oauth_token_invalidate (WaybillOAuthToken *self,
                                const char        *rejected_token)
{
  g_return_if_fail (WAYBILL_IS_OAUTH_TOKEN (self));

  if (rejected_token == NULL || g_strcmp0 (rejected_token, self->access_token) == 0)
    clear_token (self);
}

/* ---- Fetching --------------------------------------------------------- */

static void
complete_waiters (WaybillOAuthToken *self,
                  const GError      *error,
                  guint              retry_after)
{
  GQueue waiters = self->waiters;
  GTask *task;

  /* Callbacks may ask again at once: they start afresh. */
  self->fetching = FALSE;
  g_queue_init (&self->waiters);

  while ((task = g_queue_pop_head (&waiters)) != NULL)
    {
      Waiter *waiter = g_task_get_task_data (task);

      if (error != NULL)
        {
          waiter->retry_after = retry_after;
          g_task_return_error (task, g_error_copy (error));
        }
      else
        g_task_return_pointer (task, g_strdup (self->access_token), g_free);
      g_object_unref (task);
    }
}

static gboolean
parse_token (WaybillOAuthToken          *self,
             WaybillTracker             *tracker,
             const WaybillHttpResponse  *response,
             GError                    **error)
{
  g_autoptr(JsonObject) object = NULL;
  const char *access_token;
  gint64 lifetime = WAYBILL_OAUTH_DEFAULT_LIFETIME_SECONDS;
  gint64 margin;

  object = waybill_http_response_get_object (response, tracker, error);
  if (object == NULL)
    return FALSE;

  access_token = waybill_json_get_string (object, "access_token");
  if (access_token == NULL || *access_token == '\0')
    {
      g_propagate_error (error, waybill_tracker_error_new (tracker,
                                                           WAYBILL_TRACKER_ERROR_BAD_RESPONSE,
                                                           _("no access token")));
      return FALSE;
    }

  /* UPS sends "14399", FedEx 3599. */
  if (!waybill_json_get_int (object, "expires_in", &lifetime) || lifetime <= 0)
    lifetime = WAYBILL_OAUTH_DEFAULT_LIFETIME_SECONDS;
  lifetime = MIN (lifetime, (gint64) G_MAXINT32);
  margin = MIN (WAYBILL_OAUTH_EXPIRY_MARGIN_SECONDS, lifetime / 2);

  clear_token (self);
  self->access_token = g_strdup (access_token);
  self->renew_at = now (self) + lifetime - margin;
  self->fetched_with = waybill_credentials_copy (waybill_tracker_get_credentials (tracker));

  return TRUE;
}

static void
fetch_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(WaybillOAuthToken) self = user_data;
  WaybillTracker *tracker = WAYBILL_TRACKER (source);
  g_autoptr(WaybillHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  guint retry_after = 0;

  response = waybill_tracker_send_finish (tracker, result, &error);
  if (response != NULL)
    {
      retry_after = response->retry_after_seconds;

      /* RFC 6749 §5.2: a bad client is 400 or 401 (invalid_client,
       * unauthorized_client, invalid_grant…). */
      if (response->status == SOUP_STATUS_BAD_REQUEST ||
          response->status == SOUP_STATUS_UNAUTHORIZED ||
          response->status == SOUP_STATUS_FORBIDDEN)
        error = waybill_tracker_error_new (tracker, WAYBILL_TRACKER_ERROR_AUTH, NULL);
      else if (waybill_tracker_check_status (tracker, response, &error))
        parse_token (self, tracker, response, &error);
    }

  if (error != NULL)
    g_debug ("%s token: %s", waybill_tracker_get_id (tracker), waybill_tracker_error_kind (error));

  complete_waiters (self, error, retry_after);
}

static void
fetch (WaybillOAuthToken *self)
{
  g_autoptr(WaybillTracker) tracker = g_weak_ref_get (&self->tracker);
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  const WaybillCredentials *credentials;
  GString *form;

  g_assert (!self->fetching);

  if (tracker == NULL)
    {
      error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
      complete_waiters (self, error, 0);
      return;
    }

  credentials = waybill_tracker_get_credentials (tracker);
  if (!waybill_credentials_has_client (credentials))
    {
      error = waybill_tracker_error_new (tracker, WAYBILL_TRACKER_ERROR_NOT_CONFIGURED, NULL);
      complete_waiters (self, error, 0);
      return;
    }

  message = waybill_tracker_new_message (tracker, "POST", self->token_path, &error);
  if (message == NULL)
    {
      complete_waiters (self, error, 0);
      return;
    }

  form = g_string_new ("grant_type=client_credentials");
  if (self->scope != NULL)
    {
      g_autofree char *scope = g_uri_escape_string (self->scope, NULL, FALSE);

      g_string_append_printf (form, "&scope=%s", scope);
    }

  if (self->client_auth == WAYBILL_OAUTH_CLIENT_AUTH_FORM)
    {
      g_autofree char *id = g_uri_escape_string (credentials->client_id, NULL, FALSE);
      g_autofree char *secret = g_uri_escape_string (credentials->client_secret, NULL, FALSE);

      g_string_append_printf (form, "&client_id=%s&client_secret=%s", id, secret);
      memset (secret, 0, strlen (secret));
    }
  else
    {
      g_autofree char *pair = g_strconcat (credentials->client_id, ":",
                                           credentials->client_secret, NULL);
      g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
      g_autofree char *header = g_strconcat ("Basic ", encoded, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (message),
                                    "Authorization", header);
      memset (pair, 0, strlen (pair));
      memset (header, 0, strlen (header));
    }

  body = g_bytes_new_take (form->str, form->len);
  g_string_free (form, FALSE);
  soup_message_set_request_body_from_bytes (message, "application/x-www-form-urlencoded", body);

  self->fetching = TRUE;
  /* One fetch serves every waiter: no single waiter may cancel it.  The
   * tracker's timeout bounds it. */
  waybill_tracker_send_async (tracker, message, NULL, fetch_cb, g_object_ref (self));
}

static gboolean
cancel_waiter_idle_cb (gpointer user_data)
{
  GTask *task = user_data;
  Waiter *waiter = g_task_get_task_data (task);
  WaybillOAuthToken *self = waiter->token;

  /* Still waiting: the fetch has not answered it yet. */
  if (g_queue_remove (&self->waiters, task))
    {
      g_task_return_error_if_cancelled (task);
      g_object_unref (task);
    }

  return G_SOURCE_REMOVE;
}

static void
waiter_cancelled_cb (GCancellable *cancellable,
                     GTask        *task)
{
  /* Not from inside g_cancellable_cancel(): the caller may hold locks or
   * be half-way through something. */
  g_idle_add_full (G_PRIORITY_DEFAULT, cancel_waiter_idle_cb,
                   g_object_ref (task), g_object_unref);
}

/**
 * waybill_oauth_token_get_async:
 *
 * Gets a token: the cached one while it is valid, else a new one from the
 * token endpoint.  Callers that ask while a fetch is on its way share it.
 */
void
waybill_oauth_token_get_async (WaybillOAuthToken   *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(WaybillTracker) tracker = NULL;
  GTask *task;
  Waiter *waiter;

  g_return_if_fail (WAYBILL_IS_OAUTH_TOKEN (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, waybill_oauth_token_get_async);
  waiter = g_new0 (Waiter, 1);
  waiter->token = self;
  g_task_set_task_data (task, waiter, (GDestroyNotify) waiter_free);

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  tracker = g_weak_ref_get (&self->tracker);
  if (tracker != NULL && token_is_usable (self, tracker))
    {
      g_task_return_pointer (task, g_strdup (self->access_token), g_free);
      g_object_unref (task);
      return;
    }

  /* A token of other credentials is of no use to anybody. */
  if (tracker != NULL && self->access_token != NULL &&
      !waybill_credentials_equal (self->fetched_with, waybill_tracker_get_credentials (tracker)))
    clear_token (self);

  g_queue_push_tail (&self->waiters, task);
  if (cancellable != NULL)
    {
      waiter->cancellable = g_object_ref (cancellable);
      waiter->cancelled_id = g_cancellable_connect (cancellable,
                                                    G_CALLBACK (waiter_cancelled_cb),
                                                    task, NULL);
    }

  if (!self->fetching)
    fetch (self);
}

/**
 * waybill_oauth_token_get_finish:
 * @out_retry_after_seconds: (out) (optional): with a rate_limited or
 *   unavailable error, how long the token endpoint asked to wait
 *
 * Returns: (transfer full): the access token, or %NULL with an auth,
 *   not_configured, rate_limited, unavailable, bad_response, network or
 *   cancelled error
 */
char *
waybill_oauth_token_get_finish (WaybillOAuthToken  *self,
                                GAsyncResult       *result,
                                guint              *out_retry_after_seconds,
                                GError            **error)
{
  Waiter *waiter;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == waybill_oauth_token_get_async,
                        NULL);

  waiter = g_task_get_task_data (G_TASK (result));
  if (out_retry_after_seconds != NULL)
    *out_retry_after_seconds = waiter->retry_after;

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- Sending with the token ------------------------------------------- */

typedef struct
{
  WaybillTracker        *tracker;
  WaybillOAuthBuildFunc  build;
  gpointer               build_data;
  GDestroyNotify         build_data_destroy;
  char                  *token;
  guint                  attempt;
  guint                  retry_after;
} SendData;

static void
send_data_free (SendData *data)
{
  if (data->build_data_destroy != NULL)
    data->build_data_destroy (data->build_data);
  g_clear_object (&data->tracker);
  g_free (data->token);
  g_free (data);
}

static void send_attempt (GTask *task);

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WaybillOAuthToken *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  g_autoptr(WaybillHttpResponse) response = NULL;
  GError *error = NULL;

  response = waybill_tracker_send_finish (data->tracker, result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* The token expired early or was revoked: one new token, one more try. */
  if (response->status == SOUP_STATUS_UNAUTHORIZED && data->attempt == 0)
    {
      waybill_oauth_token_invalidate (self, data->token);
      data->attempt++;
      send_attempt (g_steal_pointer (&task));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&response),
                         (GDestroyNotify) waybill_http_response_free);
}

static void
token_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WaybillOAuthToken *self = WAYBILL_OAUTH_TOKEN (source);
  SendData *data = g_task_get_task_data (task);
  g_autoptr(SoupMessage) message = NULL;
  g_autofree char *header = NULL;
  GCancellable *cancellable;
  GError *error = NULL;

  g_free (data->token);
  data->token = waybill_oauth_token_get_finish (self, result, &data->retry_after, &error);
  if (data->token == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  message = data->build (data->tracker, data->build_data, &error);
  if (message == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  header = g_strconcat ("Bearer ", data->token, NULL);
  soup_message_headers_replace (soup_message_get_request_headers (message),
                                "Authorization", header);

  cancellable = g_task_get_cancellable (task);
  waybill_tracker_send_async (data->tracker, message, cancellable, send_cb,
                              g_steal_pointer (&task));
}

static void
send_attempt (GTask *task)
{
  WaybillOAuthToken *self = g_task_get_source_object (task);

  waybill_oauth_token_get_async (self, g_task_get_cancellable (task), token_cb, task);
}

/**
 * waybill_oauth_token_send_async:
 * @build: builds the request, once per attempt
 * @build_data: (closure): data for @build
 * @build_data_destroy: (nullable): frees @build_data
 *
 * Sends a request with `Authorization: Bearer <token>`.  When the API
 * answers 401, the token is dropped, a new one fetched, and the request
 * sent once more; a second 401 is the response.
 */
void
waybill_oauth_token_send_async (WaybillOAuthToken     *self,
                                WaybillOAuthBuildFunc  build,
                                gpointer               build_data,
                                GDestroyNotify         build_data_destroy,
                                GCancellable          *cancellable,
                                GAsyncReadyCallback    callback,
                                gpointer               user_data)
{
  GTask *task;
  SendData *data;

  g_return_if_fail (WAYBILL_IS_OAUTH_TOKEN (self));
  g_return_if_fail (build != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, waybill_oauth_token_send_async);

  data = g_new0 (SendData, 1);
  data->tracker = g_weak_ref_get (&self->tracker);
  data->build = build;
  data->build_data = build_data;
  data->build_data_destroy = build_data_destroy;
  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);

  if (data->tracker == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
      g_object_unref (task);
      return;
    }

  send_attempt (task);
}

/**
 * waybill_oauth_token_send_finish:
 * @out_retry_after_seconds: (out) (optional): when the token endpoint
 *   failed with rate_limited or unavailable, how long it asked to wait
 *
 * Returns: (transfer full): the API's response (the caller reads its
 *   status), or %NULL with the error of the token fetch or of the transport
 */
WaybillHttpResponse *
waybill_oauth_token_send_finish (WaybillOAuthToken  *self,
                                 GAsyncResult       *result,
                                 guint              *out_retry_after_seconds,
                                 GError            **error)
{
  SendData *data;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == waybill_oauth_token_send_async,
                        NULL);

  data = g_task_get_task_data (G_TASK (result));
  if (out_retry_after_seconds != NULL)
    *out_retry_after_seconds = data->retry_after;

  return g_task_propagate_pointer (G_TASK (result), error);
}
