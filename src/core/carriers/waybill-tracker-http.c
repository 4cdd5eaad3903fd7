/* waybill-tracker-http.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-tracker"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "waybill-json-parse.h"
#include "waybill-tracker-private.h"

/* How much of the body is read at once. */
#define READ_CHUNK_SIZE (64 * 1024)

/* JSON nested deeper than this is no tracking answer. */
#define MAX_JSON_DEPTH 128

/* ---- Responses -------------------------------------------------------- */

/**
 * waybill_http_response_new:
 * @headers: (nullable): the response headers; a reference is taken
 * @body: (nullable): the body; a reference is taken
 *
 * Returns: (transfer full): a response; for tests and fuzzers, and for
 *   waybill_tracker_send_finish()
 */
WaybillHttpResponse *
waybill_http_response_new (guint               status,
                           SoupMessageHeaders *headers,
                           GBytes             *body)
{
  WaybillHttpResponse *response = g_new0 (WaybillHttpResponse, 1);

  response->status = status;
  response->headers = headers ? soup_message_headers_ref (headers) : NULL;
  response->body = body ? g_bytes_ref (body) : g_bytes_new (NULL, 0);
  if (headers != NULL &&
      (status == WAYBILL_HTTP_TOO_MANY_REQUESTS || status >= 500))
    response->retry_after_seconds = waybill_http_parse_retry_after (headers, NULL);

  return response;
}

void
waybill_http_response_free (WaybillHttpResponse *response)
{
  if (response == NULL)
    return;

  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_free (response);
}

gboolean
waybill_http_response_is_success (const WaybillHttpResponse *response)
{
  g_return_val_if_fail (response != NULL, FALSE);

  return SOUP_STATUS_IS_SUCCESSFUL (response->status);
}

static gboolean
looks_like_html (const char *data,
                 gsize       len)
{
  gsize i = 0;

  while (i < len && g_ascii_isspace (data[i]))
    i++;

  return i < len && data[i] == '<';
}

/**
 * waybill_http_response_parse_json:
 * @tracker: the tracker, for the name in error messages
 *
 * Parses the body.  An empty body, an HTML page, text that is not JSON, a
 * body cut short and JSON nested absurdly deep are bad_response errors.
 *
 * Returns: (transfer full): the root node
 */
JsonNode *
waybill_http_response_parse_json (const WaybillHttpResponse  *response,
                                  WaybillTracker             *tracker,
                                  GError                    **error)
{
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  const char *data;
  gsize len;

  g_return_val_if_fail (response != NULL, NULL);
  g_return_val_if_fail (WAYBILL_IS_TRACKER (tracker), NULL);

  data = g_bytes_get_data (response->body, &len);
  if (len == 0)
    {
      g_propagate_error (error, waybill_tracker_error_new (tracker,
                                                           WAYBILL_TRACKER_ERROR_BAD_RESPONSE,
                                                           _("an empty answer")));
      return NULL;
    }
  if (looks_like_html (data, len))
    {
      g_propagate_error (error, waybill_tracker_error_new (tracker,
                                                           WAYBILL_TRACKER_ERROR_BAD_RESPONSE,
                                                           _("a web page instead of data")));
      return NULL;
    }
  root = waybill_json_parse (data, len, MAX_JSON_DEPTH, &local_error);
  if (root == NULL)
    {
      g_debug ("Not JSON: %s", local_error->message);
      g_propagate_error (error, waybill_tracker_error_new (tracker,
                                                           WAYBILL_TRACKER_ERROR_BAD_RESPONSE,
                                                           g_error_matches (local_error, WAYBILL_JSON_PARSE_ERROR,
                                                                            WAYBILL_JSON_PARSE_ERROR_TOO_DEEP)
                                                             ? _("data nested too deeply")
                                                             : _("not JSON")));
      return NULL;
    }

  return root;
}

/**
 * waybill_http_response_get_object:
 *
 * As waybill_http_response_parse_json(), for a body that must be a JSON
 * object.
 *
 * Returns: (transfer full): the object; unref with json_object_unref()
 */
JsonObject *
waybill_http_response_get_object (const WaybillHttpResponse  *response,
                                  WaybillTracker             *tracker,
                                  GError                    **error)
{
  g_autoptr(JsonNode) root = NULL;

  root = waybill_http_response_parse_json (response, tracker, error);
  if (root == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_propagate_error (error, waybill_tracker_error_new (tracker,
                                                           WAYBILL_TRACKER_ERROR_BAD_RESPONSE,
                                                           _("unexpected data")));
      return NULL;
    }

  return json_object_ref (json_node_get_object (root));
}

/* A delay in seconds, a Unix time (when @may_be_epoch), or an HTTP date.
 * Returns FALSE when @value is none of them. */
static gboolean
parse_delay (const char *value,
             GDateTime  *now,
             gboolean    may_be_epoch,
             gint64     *out_seconds)
{
  g_autofree char *text = g_strstrip (g_strdup (value));
  g_autoptr(GDateTime) date = NULL;
  guint64 number;

  if (*text == '\0')
    return FALSE;

  if (g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64, &number, NULL))
    {
      /* A reset header holds either a delta or a Unix time; no delta is
       * anywhere near 2001. */
      if (may_be_epoch && number > 1000000000)
        *out_seconds = (gint64) number - g_date_time_to_unix (now);
      else
        *out_seconds = (gint64) number;
      return TRUE;
    }

  date = soup_date_time_new_from_http_string (text);
  if (date == NULL)
    return FALSE;

  *out_seconds = g_date_time_difference (date, now) / G_TIME_SPAN_SECOND;
  return TRUE;
}

static guint
clamp_delay (gint64 seconds)
{
  /* A time already past means "now": the smallest wait that is not "unknown". */
  if (seconds < 1)
    return 1;

  return (guint) MIN (seconds, WAYBILL_TRACKER_MAX_RETRY_AFTER);
}

/**
 * waybill_http_parse_retry_after:
 * @headers: (nullable): response headers
 * @now: (nullable): the current time, %NULL for now
 *
 * How long an API asked to wait: `Retry-After` (seconds or an HTTP date),
 * else `RateLimit-Reset` / `X-RateLimit-Reset` (seconds or a Unix time),
 * else the `reset` of a `RateLimit` header.
 *
 * Returns: seconds to wait, at most %WAYBILL_TRACKER_MAX_RETRY_AFTER; 0
 *   when the headers do not say
 */
guint
waybill_http_parse_retry_after (SoupMessageHeaders *headers,
                                GDateTime          *now)
{
  static const char * const reset_headers[] = {
    "RateLimit-Reset", "X-RateLimit-Reset", "X-Rate-Limit-Reset",
  };
  g_autoptr(GDateTime) local_now = NULL;
  const char *value;
  gint64 delay;

  if (headers == NULL)
    return 0;

  if (now == NULL)
    now = local_now = g_date_time_new_now_utc ();

  value = soup_message_headers_get_one (headers, "Retry-After");
  if (value != NULL && parse_delay (value, now, FALSE, &delay))
    return clamp_delay (delay);

  for (guint i = 0; i < G_N_ELEMENTS (reset_headers); i++)
    {
      value = soup_message_headers_get_one (headers, reset_headers[i]);
      if (value != NULL && parse_delay (value, now, TRUE, &delay))
        return clamp_delay (delay);
    }

  /* draft-ietf-httpapi-ratelimit-headers: "RateLimit: limit=10, remaining=0, reset=30". */
  value = soup_message_headers_get_one (headers, "RateLimit");
  if (value != NULL)
    {
      g_auto(GStrv) items = g_strsplit_set (value, ",;", -1);

      for (guint i = 0; items[i] != NULL; i++)
        {
          const char *item = g_strstrip (items[i]);

          if (g_str_has_prefix (item, "reset=") &&
              parse_delay (item + strlen ("reset="), now, FALSE, &delay))
            return clamp_delay (delay);
        }
    }

  return 0;
}

/* ---- Requests --------------------------------------------------------- */

/**
 * waybill_tracker_new_message:
 * @method: "GET", "POST"…
 * @path_and_query: the path as the API documents it, and the query, with
 *   every variable part already escaped (g_uri_escape_string())
 *
 * A message to the tracker's origin that asks for JSON.  Credentials go in
 * headers or the body, never in @path_and_query.
 *
 * Returns: (transfer full): the message, or %NULL when the origin is not
 *   an http(s) URL (a not_configured error)
 */
SoupMessage *
waybill_tracker_new_message (WaybillTracker  *self,
                             const char      *method,
                             const char      *path_and_query,
                             GError         **error)
{
  g_autofree char *url = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  SoupMessage *message;

  g_return_val_if_fail (WAYBILL_IS_TRACKER (self), NULL);
  g_return_val_if_fail (method != NULL, NULL);
  g_return_val_if_fail (path_and_query != NULL && path_and_query[0] == '/', NULL);

  url = g_strconcat (waybill_tracker_get_base_url (self), path_and_query, NULL);
  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  scheme = uri ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      (g_strcmp0 (scheme, "https") != 0 && g_strcmp0 (scheme, "http") != 0))
    {
      g_autofree char *env_name = waybill_credentials_env_name (waybill_tracker_get_id (self),
                                                                "URL");

      g_set_error (error, WAYBILL_TRACKER_ERROR, WAYBILL_TRACKER_ERROR_NOT_CONFIGURED,
                   /* Translators: %s is an API's name, then a variable's name. */
                   _("The address of %s is not a web address; check %s"),
                   waybill_tracker_get_name (self), env_name);
      return NULL;
    }

  message = soup_message_new_from_uri (method, uri);
  soup_message_headers_replace (soup_message_get_request_headers (message),
                                "Accept", "application/json");

  return message;
}

typedef struct
{
  SoupMessage  *message;
  GCancellable *request_cancellable;
  GCancellable *caller_cancellable;
  gulong        caller_handler;
  GSource      *timeout_source;
  gboolean      timed_out;
  GInputStream *stream;
  GByteArray   *buffer;
} SendData;

static void
send_data_free (SendData *data)
{
  if (data->timeout_source != NULL)
    {
      g_source_destroy (data->timeout_source);
      g_source_unref (data->timeout_source);
    }
  if (data->caller_handler != 0)
    g_cancellable_disconnect (data->caller_cancellable, data->caller_handler);
  g_clear_object (&data->caller_cancellable);
  g_clear_object (&data->request_cancellable);
  g_clear_object (&data->stream);
  g_clear_object (&data->message);
  g_clear_pointer (&data->buffer, g_byte_array_unref);
  g_free (data);
}

static gboolean
send_timeout_cb (gpointer user_data)
{
  SendData *data = user_data;

  data->timed_out = TRUE;
  g_cancellable_cancel (data->request_cancellable);

  return G_SOURCE_REMOVE;
}

static void
caller_cancelled_cb (GCancellable *caller,
                     GCancellable *request)
{
  g_cancellable_cancel (request);
}

/* Turns a transport failure into the error the caller sees: cancellation
 * stays a cancellation, everything else is network (or a body cut short,
 * which is a bad_response). */
static GError *
transport_error (WaybillTracker *self,
                 SendData       *data,
                 GError         *error)
{
  g_autofree char *detail = NULL;

  if (g_cancellable_is_cancelled (data->caller_cancellable))
    return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));

  if (data->timed_out)
    {
      guint ms = waybill_tracker_get_timeout_ms (self);

      if (ms % 1000 == 0)
        detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "no answer within %u second",
                                               "no answer within %u seconds", ms / 1000),
                                  ms / 1000);
      else
        detail = g_strdup_printf (_("no answer within %.1f seconds"), ms / 1000.0);
      return waybill_tracker_error_new (self, WAYBILL_TRACKER_ERROR_NETWORK, detail);
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
    return waybill_tracker_error_new (self, WAYBILL_TRACKER_ERROR_BAD_RESPONSE,
                                      _("the answer was cut short"));

  if (error->domain == G_TLS_ERROR)
    detail = g_strdup (_("its security certificate could not be verified"));
  else if (error->domain == G_RESOLVER_ERROR)
    detail = g_strdup (_("its address could not be found"));
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    detail = g_strdup (_("the connection was refused"));
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    detail = g_strdup (_("the connection timed out"));
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
           g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE))
    detail = g_strdup (_("the network is unreachable"));
  else
    detail = g_strdup (error->message);

  return waybill_tracker_error_new (self, WAYBILL_TRACKER_ERROR_NETWORK, detail);
}

static void
send_fail (GTask  *task,
           GError *error)
{
  WaybillTracker *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);

  g_task_return_error (task, transport_error (self, data, error));
  g_error_free (error);
}

/* A body shorter than its Content-Length was cut short.  Compressed
 * bodies are read decompressed: their length says nothing. */
static gboolean
body_is_short (SoupMessage *message,
               gsize        received)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (message);
  const char *coding = soup_message_headers_get_one (headers, "Content-Encoding");

  return soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
         (coding == NULL || g_ascii_strcasecmp (coding, "identity") == 0) &&
         (goffset) received < soup_message_headers_get_content_length (headers);
}

static void
send_complete (GTask *task)
{
  WaybillTracker *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  WaybillHttpResponse *response;

  if (body_is_short (data->message, data->buffer->len))
    {
      g_task_return_error (task, waybill_tracker_error_new (self,
                                                            WAYBILL_TRACKER_ERROR_BAD_RESPONSE,
                                                            _("the answer was cut short")));
      return;
    }

  body = g_byte_array_free_to_bytes (g_steal_pointer (&data->buffer));
  response = waybill_http_response_new (soup_message_get_status (data->message),
                                        soup_message_get_response_headers (data->message),
                                        body);
  g_task_return_pointer (task, response, (GDestroyNotify) waybill_http_response_free);
}

static void read_next (GTask *task);

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WaybillTracker *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) chunk = NULL;
  GError *error = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (chunk == NULL)
    {
      send_fail (task, error);
      return;
    }

  if (g_bytes_get_size (chunk) == 0)
    {
      send_complete (task);
      return;
    }

  if (data->buffer->len + g_bytes_get_size (chunk) > WAYBILL_TRACKER_MAX_BODY_SIZE)
    {
      g_task_return_error (task, waybill_tracker_error_new (self,
                                                            WAYBILL_TRACKER_ERROR_BAD_RESPONSE,
                                                            _("the answer is too big")));
      return;
    }

  g_byte_array_append (data->buffer, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  read_next (g_steal_pointer (&task));
}

static void
read_next (GTask *task)
{
  SendData *data = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (data->stream, READ_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   data->request_cancellable, read_cb, task);
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WaybillTracker *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  SoupMessageHeaders *headers;
  GError *error = NULL;

  data->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (data->stream == NULL)
    {
      send_fail (task, error);
      return;
    }

  headers = soup_message_get_response_headers (data->message);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > WAYBILL_TRACKER_MAX_BODY_SIZE)
    {
      g_task_return_error (task, waybill_tracker_error_new (self,
                                                            WAYBILL_TRACKER_ERROR_BAD_RESPONSE,
                                                            _("the answer is too big")));
      return;
    }

  data->buffer = g_byte_array_new ();
  read_next (g_steal_pointer (&task));
}

/**
 * waybill_tracker_send_async:
 * @message: the request, from waybill_tracker_new_message()
 * @cancellable: (nullable): a #GCancellable
 *
 * Sends @message on the tracker's session and reads the whole answer, all
 * within #WaybillTracker:timeout-ms.  Every HTTP status is a response: what
 * a status means is the adapter's business (see
 * waybill_tracker_check_status()).
 */
void
waybill_tracker_send_async (WaybillTracker      *self,
                            SoupMessage         *message,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;
  SendData *data;

  g_return_if_fail (WAYBILL_IS_TRACKER (self));
  g_return_if_fail (SOUP_IS_MESSAGE (message));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, waybill_tracker_send_async);

  data = g_new0 (SendData, 1);
  data->message = g_object_ref (message);
  data->request_cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      data->caller_cancellable = g_object_ref (cancellable);
      data->caller_handler = g_cancellable_connect (cancellable,
                                                    G_CALLBACK (caller_cancelled_cb),
                                                    data->request_cancellable, NULL);
    }
  data->timeout_source = g_timeout_source_new (waybill_tracker_get_timeout_ms (self));
  g_source_set_callback (data->timeout_source, send_timeout_cb, data, NULL);
  g_source_set_static_name (data->timeout_source, "[waybill] tracker request timeout");
  g_source_attach (data->timeout_source, g_main_context_get_thread_default ());
  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);

  soup_session_send_async (waybill_tracker_get_session (self), message, G_PRIORITY_DEFAULT,
                           data->request_cancellable, sent_cb, task);
}

/**
 * waybill_tracker_send_finish:
 *
 * Returns: (transfer full): the response, or %NULL with a network,
 *   bad_response (too big, cut short) or cancelled error
 */
WaybillHttpResponse *
waybill_tracker_send_finish (WaybillTracker  *self,
                             GAsyncResult    *result,
                             GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == waybill_tracker_send_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * waybill_tracker_check_status:
 *
 * Returns: %TRUE for a 2xx status; else %FALSE with the usual error of
 *   the status (see waybill_tracker_error_new_http()), carrying the
 *   response's Retry-After for rate_limited
 */
gboolean
waybill_tracker_check_status (WaybillTracker             *self,
                              const WaybillHttpResponse  *response,
                              GError                    **error)
{
  g_return_val_if_fail (WAYBILL_IS_TRACKER (self), FALSE);
  g_return_val_if_fail (response != NULL, FALSE);

  if (waybill_http_response_is_success (response))
    return TRUE;

  if (response->status == WAYBILL_HTTP_TOO_MANY_REQUESTS)
    g_propagate_error (error,
                       waybill_tracker_error_new_rate_limited (self,
                                                               response->retry_after_seconds));
  else
    g_propagate_error (error, waybill_tracker_error_new_http (self, response->status));

  return FALSE;
}

/* ---- JSON ------------------------------------------------------------- */

static JsonNode *
get_member (JsonObject *object,
            const char *member)
{
  if (object == NULL || member == NULL)
    return NULL;

  return json_object_get_member (object, member);
}

JsonObject *
waybill_json_get_object (JsonObject *object,
                         const char *member)
{
  JsonNode *node = get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonArray *
waybill_json_get_array (JsonObject *object,
                        const char *member)
{
  JsonNode *node = get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static const char *
node_string (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

/**
 * waybill_json_get_string:
 *
 * Returns: (nullable): the member's string, %NULL when it is missing,
 *   null, or not a string
 */
const char *
waybill_json_get_string (JsonObject *object,
                         const char *member)
{
  return node_string (get_member (object, member));
}

static gboolean
node_double (JsonNode *node,
             double   *out_value)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    *out_value = (double) json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    *out_value = json_node_get_double (node);
  else if (type == G_TYPE_STRING)
    {
      g_autofree char *text = g_strstrip (g_strdup (json_node_get_string (node)));
      char *end = NULL;

      if (*text == '\0')
        return FALSE;
      *out_value = g_ascii_strtod (text, &end);
      if (end == NULL || *end != '\0')
        return FALSE;
    }
  else
    return FALSE;

  return isfinite (*out_value);
}

/**
 * waybill_json_get_double:
 *
 * Reads a number, or a string holding one ("14399" as UPS sends).
 *
 * Returns: whether the member holds a finite number
 */
gboolean
waybill_json_get_double (JsonObject *object,
                         const char *member,
                         double     *out_value)
{
  double value;

  if (!node_double (get_member (object, member), &value))
    return FALSE;

  if (out_value != NULL)
    *out_value = value;

  return TRUE;
}

/**
 * waybill_json_get_int:
 *
 * Reads an integer, or a number or string holding one; fractions are
 * dropped.
 *
 * Returns: whether the member holds a number that fits a #gint64
 */
gboolean
waybill_json_get_int (JsonObject *object,
                      const char *member,
                      gint64     *out_value)
{
  JsonNode *node = get_member (object, member);
  double value;

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_INT64)
    {
      if (out_value != NULL)
        *out_value = json_node_get_int (node);
      return TRUE;
    }

  if (!node_double (node, &value) || value < -9.2e18 || value > 9.2e18)
    return FALSE;

  if (out_value != NULL)
    *out_value = (gint64) value;

  return TRUE;
}

/**
 * waybill_json_get_bool:
 *
 * Returns: %TRUE only for true, or the string "true"
 */
gboolean
waybill_json_get_bool (JsonObject *object,
                       const char *member)
{
  JsonNode *node = get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (node);
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_ascii_strcasecmp (json_node_get_string (node), "true") == 0;

  return FALSE;
}

guint
waybill_json_array_length (JsonArray *array)
{
  return array != NULL ? json_array_get_length (array) : 0;
}

JsonObject *
waybill_json_array_get_object (JsonArray *array,
                               guint      index)
{
  JsonNode *node;

  if (array == NULL || index >= json_array_get_length (array))
    return NULL;

  node = json_array_get_element (array, index);

  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

const char *
waybill_json_array_get_string (JsonArray *array,
                               guint      index)
{
  if (array == NULL || index >= json_array_get_length (array))
    return NULL;

  return node_string (json_array_get_element (array, index));
}

static JsonObject *
lookup_valist (JsonObject *object,
               const char *first_member,
               va_list     args,
               const char **out_last)
{
  const char *member = first_member;
  const char *next;

  while (object != NULL && member != NULL)
    {
      next = va_arg (args, const char *);
      if (next == NULL)
        {
          *out_last = member;
          return object;
        }
      object = waybill_json_get_object (object, member);
      member = next;
    }

  *out_last = NULL;
  return NULL;
}

/**
 * waybill_json_lookup_object:
 * @first_member: the first of a %NULL-terminated path of members
 *
 * Follows a path of objects: ("status", "location", "address").
 *
 * Returns: (nullable): the object at the end of the path
 */
JsonObject *
waybill_json_lookup_object (JsonObject *object,
                            const char *first_member,
                            ...)
{
  const char *last = NULL;
  va_list args;

  va_start (args, first_member);
  object = lookup_valist (object, first_member, args, &last);
  va_end (args);

  return waybill_json_get_object (object, last);
}

/**
 * waybill_json_lookup_string:
 * @first_member: the first of a %NULL-terminated path of members
 *
 * Returns: (nullable): the string at the end of the path
 */
const char *
waybill_json_lookup_string (JsonObject *object,
                            const char *first_member,
                            ...)
{
  const char *last = NULL;
  va_list args;

  va_start (args, first_member);
  object = lookup_valist (object, first_member, args, &last);
  va_end (args);

  return waybill_json_get_string (object, last);
}

/* ---- Times ------------------------------------------------------------ */

/**
 * waybill_date_time_new_local:
 *
 * A wall-clock time of the carrier's, with no known offset: kept in the
 * local zone and shown as written (see WaybillTrackingEvent:time-is-local).
 *
 * Returns: (transfer full) (nullable): the time, %NULL when a field is out
 *   of range
 */
GDateTime *
waybill_date_time_new_local (int year,
                             int month,
                             int day,
                             int hour,
                             int minute,
                             int second)
{
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31 ||
      hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59)
    return NULL;

  return g_date_time_new_local (year, month, day, hour, minute, second);
}

/**
 * waybill_parse_iso8601:
 * @text: (nullable): "2023-05-04T10:15:00+02:00", "2023-05-04T10:15:00Z",
 *   "2023-05-04T10:15:00" (no offset), "2023-05-04 10:15" or "2023-05-04"
 * @out_is_local: (out) (optional): set to %TRUE when @text has no offset
 *
 * Returns: (transfer full) (nullable): the time; a time without an offset
 *   is in the local zone
 */
GDateTime *
waybill_parse_iso8601 (const char *text,
                       gboolean   *out_is_local)
{
  g_autofree char *copy = NULL;
  g_autoptr(GTimeZone) local = NULL;
  GDateTime *time;
  int year, month, day;
  char tail;

  if (out_is_local != NULL)
    *out_is_local = FALSE;
  if (text == NULL)
    return NULL;

  copy = g_strstrip (g_strdup (text));
  if (strlen (copy) < 10)
    return NULL;
  if (copy[10] == ' ')
    copy[10] = 'T';

  /* GLib wants seconds: "2024-03-13T13:41" becomes "2024-03-13T13:41:00". */
  if (strlen (copy) >= 16 && copy[10] == 'T' && copy[13] == ':' &&
      (copy[16] == '\0' || strchr ("Zz+-", copy[16]) != NULL))
    {
      char *with_seconds = g_strdup_printf ("%.16s:00%s", copy, copy + 16);

      g_free (copy);
      copy = with_seconds;
    }

  time = g_date_time_new_from_iso8601 (copy, NULL);
  if (time != NULL)
    return time;

  if (out_is_local != NULL)
    *out_is_local = TRUE;

  local = g_time_zone_new_local ();
  time = g_date_time_new_from_iso8601 (copy, local);
  if (time != NULL)
    return time;

  /* A date alone. */
  if (strlen (copy) == 10 &&
      sscanf (copy, "%4d-%2d-%2d%c", &year, &month, &day, &tail) == 3)
    return waybill_date_time_new_local (year, month, day, 0, 0, 0);

  if (out_is_local != NULL)
    *out_is_local = FALSE;

  return NULL;
}

/* ---- Text ------------------------------------------------------------- */

/**
 * waybill_text_fold:
 * @text: (nullable): free text from an API
 *
 * Returns: (transfer full): @text case-folded for matching, "" for %NULL
 */
char *
waybill_text_fold (const char *text)
{
  g_autofree char *valid = NULL;
  g_autofree char *normal = NULL;

  if (text == NULL)
    return g_strdup ("");

  valid = g_utf8_make_valid (text, -1);
  normal = g_utf8_normalize (valid, -1, G_NORMALIZE_NFC);

  return g_utf8_casefold (normal ? normal : valid, -1);
}

/**
 * waybill_text_has_any:
 * @folded: text from waybill_text_fold()
 * @needles: (array zero-terminated=1): lower-case words and phrases
 *
 * Returns: whether @folded holds one of @needles
 */
gboolean
waybill_text_has_any (const char         *folded,
                      const char * const *needles)
{
  if (folded == NULL || *folded == '\0')
    return FALSE;

  for (guint i = 0; needles[i] != NULL; i++)
    if (strstr (folded, needles[i]) != NULL)
      return TRUE;

  return FALSE;
}

/**
 * waybill_text_clean:
 * @text: (nullable): free text from an API
 *
 * Valid UTF-8, spaces collapsed, no spaces at the ends.
 *
 * Returns: (transfer full) (nullable): the text, %NULL when it is empty
 */
char *
waybill_text_clean (const char *text)
{
  g_autofree char *valid = NULL;
  GString *clean;
  gboolean space = FALSE;

  if (text == NULL)
    return NULL;

  valid = g_utf8_make_valid (text, -1);
  clean = g_string_new (NULL);
  for (const char *p = valid; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p))
        {
          space = clean->len > 0;
          continue;
        }
      if (space)
        g_string_append_c (clean, ' ');
      space = FALSE;
      g_string_append_c (clean, *p);
    }

  if (clean->len == 0)
    {
      g_string_free (clean, TRUE);
      return NULL;
    }

  return g_string_free (clean, FALSE);
}

/**
 * waybill_location_append:
 * @location: the location so far
 * @part: (nullable): a city, a region, a country…
 *
 * Appends @part after a comma, unless it is empty or already said.
 */
void
waybill_location_append (GString    *location,
                         const char *part)
{
  g_autofree char *clean = waybill_text_clean (part);
  g_autofree char *folded_part = NULL;
  g_auto(GStrv) said = NULL;

  if (clean == NULL)
    return;

  /* Compared part by part: "US" is not said by "PARAMUS". */
  folded_part = waybill_text_fold (clean);
  said = g_strsplit (location->str, ", ", -1);
  for (guint i = 0; said[i] != NULL; i++)
    {
      g_autofree char *folded = waybill_text_fold (said[i]);

      if (g_str_equal (folded, folded_part))
        return;
    }

  if (location->len > 0)
    g_string_append (location, ", ");
  g_string_append (location, clean);
}
