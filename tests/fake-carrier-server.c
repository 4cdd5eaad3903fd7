/* fake-carrier-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fake-carrier-server.h"

/* Every API the server plays.  One line per API. */
static const FakeCarrierApi * const apis[] = {
  &fake_carrier_api_dhl,
  &fake_carrier_api_ups,
  &fake_carrier_api_fedex,
  &fake_carrier_api_usps,
  &fake_carrier_api_aftership,
  &fake_carrier_api_17track,
};

/* The longest a test waits for a tracker, in seconds. */
#define TRACK_TIMEOUT_SECONDS 10

struct _FakeResponse
{
  guint             status;
  char             *content_type;
  GBytes           *body;
  GPtrArray        *headers;   /* name, value, name, value… */
  FakeResponseMode  mode;
};

typedef struct
{
  FakeHandlerFunc func;
  gpointer        user_data;
} Handler;

typedef struct
{
  /* token -> TRUE while valid */
  GHashTable *tokens;
  guint       n_issued;
  char       *expires_in_json;
} OAuthState;

struct _FakeCarrierServer
{
  SoupServer *server;
  char       *url;
  /* path -> GQueue of FakeResponse */
  GHashTable *queues;
  /* path -> Handler */
  GHashTable *handlers;
  /* api id -> OAuthState */
  GHashTable *oauth;
  GPtrArray  *requests;
  GPtrArray  *paused;
  /* FakeCarrierApi added by tests, beside the built-in ones */
  GPtrArray  *extra_apis;
  guint       n_unexpected;
};

static void
fake_response_free (FakeResponse *response)
{
  g_free (response->content_type);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_ptr_array_unref (response->headers);
  g_free (response);
}

static void
queue_free (GQueue *queue)
{
  g_queue_free_full (queue, (GDestroyNotify) fake_response_free);
}

static void
fake_request_free (FakeRequest *request)
{
  g_free (request->method);
  g_free (request->path);
  g_free (request->query);
  g_clear_pointer (&request->headers, soup_message_headers_unref);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_free (request);
}

static void
oauth_state_free (OAuthState *state)
{
  g_hash_table_unref (state->tokens);
  g_free (state->expires_in_json);
  g_free (state);
}

static OAuthState *
oauth_state (FakeCarrierServer *self,
             const char        *api_id)
{
  OAuthState *state = g_hash_table_lookup (self->oauth, api_id);

  if (state == NULL)
    {
      state = g_new0 (OAuthState, 1);
      state->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      state->expires_in_json = g_strdup ("\"14399\"");
      g_hash_table_insert (self->oauth, g_strdup (api_id), state);
    }

  return state;
}

static gboolean
api_serves (const FakeCarrierApi *api,
            const char           *path)
{
  for (guint j = 0; api->paths[j] != NULL; j++)
    if (g_str_has_prefix (path, api->paths[j]))
      return TRUE;

  return FALSE;
}

static const FakeCarrierApi *
api_for_path (FakeCarrierServer *self,
              const char        *path)
{
  /* An API a test added wins: it may borrow a real API's path. */
  for (guint i = 0; i < self->extra_apis->len; i++)
    if (api_serves (g_ptr_array_index (self->extra_apis, i), path))
      return g_ptr_array_index (self->extra_apis, i);

  for (guint i = 0; i < G_N_ELEMENTS (apis); i++)
    if (api_serves (apis[i], path))
      return apis[i];

  return NULL;
}

/**
 * fake_answer:
 * @json: (nullable): the body, as application/json
 */
void
fake_answer (SoupServerMessage *message,
             guint              status,
             const char        *json)
{
  soup_server_message_set_status (message, status, NULL);
  if (json != NULL)
    soup_server_message_set_response (message, "application/json", SOUP_MEMORY_COPY,
                                      json, strlen (json));
}

/* Writes the head and half the body by hand, then hangs up: what a
 * connection that drops mid-answer looks like. */
static void
answer_truncated (SoupServerMessage *message,
                  FakeResponse      *response)
{
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(GString) head = g_string_new (NULL);
  GOutputStream *output;
  gsize length = g_bytes_get_size (response->body);

  g_string_append_printf (head, "HTTP/1.1 %u %s\r\n", response->status,
                          soup_status_get_phrase (response->status));
  g_string_append_printf (head, "Content-Type: %s\r\n",
                          response->content_type ? response->content_type : "application/json");
  g_string_append_printf (head, "Content-Length: %" G_GSIZE_FORMAT "\r\n", length);
  g_string_append (head, "Connection: close\r\n\r\n");

  stream = soup_server_message_steal_connection (message);
  output = g_io_stream_get_output_stream (stream);
  g_output_stream_write_all (output, head->str, head->len, NULL, NULL, NULL);
  g_output_stream_write_all (output, g_bytes_get_data (response->body, NULL), length / 2,
                             NULL, NULL, NULL);
  g_io_stream_close (stream, NULL, NULL);
}

static void
answer_queued (FakeCarrierServer *self,
               SoupServerMessage *message,
               FakeResponse      *response)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (message);

  switch (response->mode)
    {
    case FAKE_RESPONSE_NEVER_ANSWER:
      soup_server_message_pause (message);
      g_ptr_array_add (self->paused, g_object_ref (message));
      return;

    case FAKE_RESPONSE_TRUNCATED:
      answer_truncated (message, response);
      return;

    case FAKE_RESPONSE_CHUNKED:
    case FAKE_RESPONSE_NORMAL:
    default:
      break;
    }

  soup_server_message_set_status (message, response->status, NULL);
  for (guint i = 0; i + 1 < response->headers->len; i += 2)
    soup_message_headers_replace (headers, g_ptr_array_index (response->headers, i),
                                  g_ptr_array_index (response->headers, i + 1));

  if (response->body != NULL)
    {
      gsize length;
      const char *data = g_bytes_get_data (response->body, &length);

      soup_server_message_set_response (message,
                                        response->content_type ? response->content_type
                                                               : "application/json",
                                        SOUP_MEMORY_COPY, data, length);
    }

  if (response->mode == FAKE_RESPONSE_CHUNKED)
    {
      soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
      soup_message_body_complete (soup_server_message_get_response_body (message));
    }
}

static void
record (FakeCarrierServer *self,
        SoupServerMessage *message,
        const char        *path)
{
  FakeRequest *request = g_new0 (FakeRequest, 1);
  GUri *uri = soup_server_message_get_uri (message);

  request->method = g_strdup (soup_server_message_get_method (message));
  request->path = g_strdup (path);
  request->query = g_strdup (g_uri_get_query (uri));
  request->headers = soup_message_headers_ref (soup_server_message_get_request_headers (message));
  request->body = soup_message_body_flatten (soup_server_message_get_request_body (message));
  g_ptr_array_add (self->requests, request);
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *message,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  FakeCarrierServer *self = user_data;
  const FakeCarrierApi *api = api_for_path (self, path);
  FakeRequest *request;
  Handler *handler;
  GQueue *queue;

  record (self, message, path);
  request = g_ptr_array_index (self->requests, self->requests->len - 1);

  if (api == NULL)
    {
      self->n_unexpected++;
      fake_answer (message, SOUP_STATUS_NOT_FOUND, "{\"fake\":\"no API serves this path\"}");
      return;
    }

  if (!api->check_auth (self, api, message, path))
    return;
  request->authorized = TRUE;

  handler = g_hash_table_lookup (self->handlers, path);
  if (handler != NULL && handler->func (self, message, path, handler->user_data))
    return;

  queue = g_hash_table_lookup (self->queues, path);
  if (queue != NULL && !g_queue_is_empty (queue))
    {
      FakeResponse *response = g_queue_pop_head (queue);

      answer_queued (self, message, response);
      fake_response_free (response);
      return;
    }

  if (api->handle_default != NULL && api->handle_default (self, api, message, path))
    return;

  self->n_unexpected++;
  fake_answer (message, SOUP_STATUS_INTERNAL_SERVER_ERROR,
               "{\"fake\":\"nothing queued for this path\"}");
}

/**
 * fake_carrier_server_new:
 *
 * Returns: (transfer full): a server listening on 127.0.0.1
 */
FakeCarrierServer *
fake_carrier_server_new (void)
{
  FakeCarrierServer *self = g_new0 (FakeCarrierServer, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  self->server = soup_server_new ("server-header", "fake-carrier-server ", NULL);
  self->queues = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) queue_free);
  self->handlers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->oauth = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) oauth_state_free);
  self->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) fake_request_free);
  self->paused = g_ptr_array_new_with_free_func (g_object_unref);
  self->extra_apis = g_ptr_array_new ();

  soup_server_add_handler (self->server, NULL, server_cb, self, NULL);
  soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (self->server);
  g_assert_nonnull (uris);
  self->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return self;
}

void
fake_carrier_server_free (FakeCarrierServer *self)
{
  if (self == NULL)
    return;

  /* Requests kept waiting get an answer nobody reads, so that their
   * connections close. */
  for (guint i = 0; i < self->paused->len; i++)
    {
      SoupServerMessage *message = g_ptr_array_index (self->paused, i);

      soup_server_message_set_status (message, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
      soup_server_message_unpause (message);
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;

  soup_server_disconnect (self->server);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_object_unref (self->server);

  g_ptr_array_unref (self->paused);
  g_ptr_array_unref (self->extra_apis);
  g_ptr_array_unref (self->requests);
  g_hash_table_unref (self->queues);
  g_hash_table_unref (self->handlers);
  g_hash_table_unref (self->oauth);
  g_free (self->url);
  g_free (self);
}

/**
 * fake_carrier_server_get_url:
 *
 * Returns: the origin, such as "http://127.0.0.1:40123"
 */
const char *
fake_carrier_server_get_url (FakeCarrierServer *self)
{
  return self->url;
}

/**
 * fake_carrier_server_add_api:
 * @api: an API that lives at least as long as the server
 *
 * Plays one more API, for tests of the machinery itself.
 */
void
fake_carrier_server_add_api (FakeCarrierServer    *self,
                             const FakeCarrierApi *api)
{
  g_ptr_array_add (self->extra_apis, (gpointer) api);
}

static void
set_env (const char *api_id,
         const char *suffix,
         const char *value)
{
  g_autofree char *name = waybill_credentials_env_name (api_id, suffix);

  if (value != NULL)
    g_setenv (name, value, TRUE);
  else
    g_unsetenv (name);
}

/**
 * fake_carrier_server_setup_env:
 *
 * Points every API at the server (WAYBILL_<ID>_URL) and gives it the
 * credentials the server accepts.
 */
void
fake_carrier_server_setup_env (FakeCarrierServer *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (apis); i++)
    {
      set_env (apis[i]->id, "URL", self->url);
      set_env (apis[i]->id, "API_KEY", apis[i]->api_key);
      set_env (apis[i]->id, "CLIENT_ID", apis[i]->client_id);
      set_env (apis[i]->id, "CLIENT_SECRET", apis[i]->client_secret);
    }
}

/**
 * fake_carrier_server_queue:
 * @path: the request path, without the query
 * @status: the HTTP status to answer
 *
 * Queues an answer for the next request to @path that passes the API's
 * credential check.  Chain fake_response_json() and the others to fill it.
 *
 * Returns: (transfer none): the response, owned by the server
 */
FakeResponse *
fake_carrier_server_queue (FakeCarrierServer *self,
                           const char        *path,
                           guint              status)
{
  FakeResponse *response = g_new0 (FakeResponse, 1);
  GQueue *queue = g_hash_table_lookup (self->queues, path);

  if (queue == NULL)
    {
      queue = g_queue_new ();
      g_hash_table_insert (self->queues, g_strdup (path), queue);
    }

  response->status = status;
  response->headers = g_ptr_array_new_with_free_func (g_free);
  g_queue_push_tail (queue, response);

  return response;
}

FakeResponse *
fake_response_body (FakeResponse *response,
                    const char   *content_type,
                    const char   *body,
                    gsize         length)
{
  g_free (response->content_type);
  response->content_type = g_strdup (content_type);
  g_clear_pointer (&response->body, g_bytes_unref);
  response->body = g_bytes_new (body, length);

  return response;
}

FakeResponse *
fake_response_json (FakeResponse *response,
                    const char   *json)
{
  return fake_response_body (response, "application/json", json, strlen (json));
}

/**
 * fake_response_fixture:
 * @name: a file under tests/data/carriers, such as "dhl/delivered.json"
 */
FakeResponse *
fake_response_fixture (FakeResponse *response,
                       const char   *name)
{
  g_autofree char *contents = NULL;
  gsize length;

  contents = fake_load_fixture (name, &length);

  return fake_response_body (response, "application/json", contents, length);
}

FakeResponse *
fake_response_header (FakeResponse *response,
                      const char   *name,
                      const char   *value)
{
  g_ptr_array_add (response->headers, g_strdup (name));
  g_ptr_array_add (response->headers, g_strdup (value));

  return response;
}

FakeResponse *
fake_response_mode (FakeResponse     *response,
                    FakeResponseMode  mode)
{
  response->mode = mode;
  if (response->body == NULL)
    fake_response_json (response, "{\"fake\":\"a body long enough to be cut in half\"}");

  return response;
}

/**
 * fake_carrier_server_set_handler:
 * @func: (nullable): the handler, %NULL to remove it
 *
 * Lets a callback answer @path (after the credential check).
 */
void
fake_carrier_server_set_handler (FakeCarrierServer *self,
                                 const char        *path,
                                 FakeHandlerFunc    func,
                                 gpointer           user_data)
{
  Handler *handler;

  if (func == NULL)
    {
      g_hash_table_remove (self->handlers, path);
      return;
    }

  handler = g_new0 (Handler, 1);
  handler->func = func;
  handler->user_data = user_data;
  g_hash_table_replace (self->handlers, g_strdup (path), handler);
}

/**
 * fake_carrier_server_pending:
 *
 * Returns: how many queued answers for @path were not served
 */
guint
fake_carrier_server_pending (FakeCarrierServer *self,
                             const char        *path)
{
  GQueue *queue = g_hash_table_lookup (self->queues, path);

  return queue != NULL ? g_queue_get_length (queue) : 0;
}

/**
 * fake_carrier_server_count:
 * @path_prefix: (nullable): a path or its beginning, %NULL for all
 *
 * Returns: how many requests came for paths starting with @path_prefix
 */
guint
fake_carrier_server_count (FakeCarrierServer *self,
                           const char        *path_prefix)
{
  guint n = 0;

  for (guint i = 0; i < self->requests->len; i++)
    {
      FakeRequest *request = g_ptr_array_index (self->requests, i);

      if (path_prefix == NULL || g_str_has_prefix (request->path, path_prefix))
        n++;
    }

  return n;
}

guint
fake_carrier_server_get_n_requests (FakeCarrierServer *self)
{
  return self->requests->len;
}

const FakeRequest *
fake_carrier_server_get_request (FakeCarrierServer *self,
                                 guint              index)
{
  g_assert_cmpuint (index, <, self->requests->len);

  return g_ptr_array_index (self->requests, index);
}

/**
 * fake_carrier_server_get_last_request:
 * @path_prefix: (nullable): a path or its beginning, %NULL for any
 *
 * Returns: (nullable): the newest request for a path starting with
 *   @path_prefix
 */
const FakeRequest *
fake_carrier_server_get_last_request (FakeCarrierServer *self,
                                      const char        *path_prefix)
{
  for (guint i = self->requests->len; i > 0; i--)
    {
      FakeRequest *request = g_ptr_array_index (self->requests, i - 1);

      if (path_prefix == NULL || g_str_has_prefix (request->path, path_prefix))
        return request;
    }

  return NULL;
}

/**
 * fake_carrier_server_get_n_unexpected:
 *
 * Returns: how many requests found nothing to answer them (no API serves
 *   the path, or nothing was queued): a test that expects none asserts 0
 */
guint
fake_carrier_server_get_n_unexpected (FakeCarrierServer *self)
{
  return self->n_unexpected;
}

/* ---- OAuth ------------------------------------------------------------ */

/**
 * fake_carrier_server_check_bearer:
 *
 * Returns: whether @message carries "Authorization: Bearer T" with a
 *   token T the server issued for @api_id and has not expired
 */
gboolean
fake_carrier_server_check_bearer (FakeCarrierServer *self,
                                  const char        *api_id,
                                  SoupServerMessage *message)
{
  OAuthState *state = oauth_state (self, api_id);
  const char *header;

  header = soup_message_headers_get_one (soup_server_message_get_request_headers (message),
                                         "Authorization");
  if (header == NULL || !g_str_has_prefix (header, "Bearer "))
    return FALSE;

  return g_hash_table_contains (state->tokens, header + strlen ("Bearer "));
}

/**
 * fake_carrier_server_serve_token:
 *
 * Answers a token request whose client was already checked: a new token,
 * "<api>-token-<n>", with the expires_in of
 * fake_carrier_server_set_token_expires_in() (by default "14399", a
 * string, as UPS sends it).
 */
void
fake_carrier_server_serve_token (FakeCarrierServer *self,
                                 const char        *api_id,
                                 SoupServerMessage *message)
{
  OAuthState *state = oauth_state (self, api_id);
  g_autofree char *token = NULL;
  g_autofree char *json = NULL;

  token = g_strdup_printf ("%s-token-%u", api_id, ++state->n_issued);
  g_hash_table_add (state->tokens, g_strdup (token));

  json = g_strdup_printf ("{\"token_type\":\"Bearer\",\"issued_at\":\"1700000000000\","
                          "\"client_id\":\"fake\",\"access_token\":\"%s\",\"scope\":\"\","
                          "\"expires_in\":%s,\"refresh_count\":\"0\",\"status\":\"approved\"}",
                          token, state->expires_in_json);
  fake_answer (message, SOUP_STATUS_OK, json);
}

/**
 * fake_carrier_server_set_token_expires_in:
 * @json_value: the JSON of expires_in in the next tokens: "3599" (a
 *   number), "\"14399\"" (a string)…
 */
void
fake_carrier_server_set_token_expires_in (FakeCarrierServer *self,
                                          const char        *api_id,
                                          const char        *json_value)
{
  OAuthState *state = oauth_state (self, api_id);

  g_free (state->expires_in_json);
  state->expires_in_json = g_strdup (json_value);
}

/**
 * fake_carrier_server_expire_tokens:
 *
 * Makes every token issued so far for @api_id invalid, as if they had
 * expired or been revoked: the next request with one is answered 401.
 */
void
fake_carrier_server_expire_tokens (FakeCarrierServer *self,
                                   const char        *api_id)
{
  g_hash_table_remove_all (oauth_state (self, api_id)->tokens);
}

guint
fake_carrier_server_get_n_tokens (FakeCarrierServer *self,
                                  const char        *api_id)
{
  return oauth_state (self, api_id)->n_issued;
}

/**
 * fake_parse_form:
 *
 * Returns: (transfer full): the fields of an x-www-form-urlencoded body
 */
GHashTable *
fake_parse_form (SoupServerMessage *message)
{
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (message));
  g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));

  return soup_form_decode (text);
}

/* ---- Test helpers ----------------------------------------------------- */

/**
 * fake_load_fixture:
 * @name: a file under tests/data/carriers
 *
 * Returns: (transfer full): its contents
 */
char *
fake_load_fixture (const char *name,
                   gsize      *out_length)
{
  g_autofree char *path = g_build_filename (TEST_SRCDIR, "data", "carriers", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, out_length, &error);
  g_assert_no_error (error);

  return contents;
}

typedef struct
{
  gboolean   done;
  gboolean   timed_out;
  GPtrArray *replies;
  GError    *error;
} TrackWait;

static void
track_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  TrackWait *wait = user_data;

  wait->replies = waybill_tracker_track_finish (WAYBILL_TRACKER (source), result, &wait->error);
  wait->done = TRUE;
}

static gboolean
track_timeout_cb (gpointer user_data)
{
  TrackWait *wait = user_data;

  wait->timed_out = TRUE;

  return G_SOURCE_REMOVE;
}

/**
 * fake_track:
 *
 * Runs waybill_tracker_track_async() to its end, iterating the main
 * context, and fails the test when it takes longer than 10 seconds.  Checks
 * the contract: one reply per number, in order, with a result or an error.
 *
 * Returns: (transfer full): the replies, or %NULL with @error
 */
GPtrArray *
fake_track (WaybillTracker      *tracker,
            const char * const  *numbers,
            GError             **error)
{
  TrackWait wait = { 0 };
  guint timeout_id;

  waybill_tracker_track_async (tracker, numbers, NULL, track_cb, &wait);
  timeout_id = g_timeout_add_seconds (TRACK_TIMEOUT_SECONDS, track_timeout_cb, &wait);
  while (!wait.done && !wait.timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (wait.timed_out);
  g_source_remove (timeout_id);

  if (wait.replies == NULL)
    {
      g_assert_nonnull (wait.error);
      g_propagate_error (error, wait.error);
      return NULL;
    }

  g_assert_no_error (wait.error);
  g_assert_cmpuint (wait.replies->len, ==, g_strv_length ((char **) numbers));
  for (guint i = 0; i < wait.replies->len; i++)
    {
      WaybillTrackingReply *reply = g_ptr_array_index (wait.replies, i);

      g_assert_cmpstr (reply->number, ==, numbers[i]);
      g_assert_true ((reply->result == NULL) != (reply->error == NULL));
      if (reply->error != NULL)
        {
          g_assert_nonnull (waybill_tracker_error_kind (reply->error));
          fake_assert_no_secret (reply->error->message);
        }
    }

  return wait.replies;
}

/**
 * fake_track_one:
 *
 * Returns: (transfer full): the reply about @number
 */
WaybillTrackingReply *
fake_track_one (WaybillTracker *tracker,
                const char     *number)
{
  const char *numbers[] = { number, NULL };
  g_autoptr(GPtrArray) replies = NULL;
  g_autoptr(GError) error = NULL;

  replies = fake_track (tracker, numbers, &error);
  g_assert_no_error (error);

  return waybill_tracking_reply_copy (g_ptr_array_index (replies, 0));
}

void
fake_assert_error (const WaybillTrackingReply *reply,
                   WaybillTrackerError         code)
{
  g_assert_nonnull (reply);
  g_assert_null (reply->result);
  g_assert_error (reply->error, WAYBILL_TRACKER_ERROR, (gint) code);
}

/**
 * fake_assert_no_secret:
 *
 * Fails when @text holds a credential or a token of the fake APIs.
 */
void
fake_assert_no_secret (const char *text)
{
  if (text == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (apis); i++)
    {
      if (apis[i]->api_key != NULL)
        g_assert_null (strstr (text, apis[i]->api_key));
      if (apis[i]->client_id != NULL)
        g_assert_null (strstr (text, apis[i]->client_id));
      if (apis[i]->client_secret != NULL)
        g_assert_null (strstr (text, apis[i]->client_secret));
    }
  g_assert_null (strstr (text, "-token-"));
}

/* A port on 127.0.0.1 where nothing listens: a refused connection. */
guint16
fake_closed_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);

  /* Bound, never listening, then closed: nothing answers there. */
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* For cancellation tests: finishing a cancelled request gives no replies. */
void
fake_cancelled_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GError **error = user_data;
  GPtrArray *replies;

  replies = waybill_tracker_track_finish (WAYBILL_TRACKER (source), result, error);
  g_assert_null (replies);
}

gboolean
fake_cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);

  return G_SOURCE_REMOVE;
}
