/* waybill-sms-sender.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-sms"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "waybill-message.h"
#include "waybill-sms-sender.h"
#include "waybill-util-private.h"

/* Sends an SMS through Twilio's Messages API:
 *   POST /2010-04-01/Accounts/{AccountSid}/Messages.json
 * with a form body (To, From, Body) and HTTP basic authentication (account
 * SID and auth token).  Twilio answers 201 with {"sid", "status", …}, or
 * an error status with {"code", "message", "more_info", "status"}.
 *
 * The account's credentials are checked (Preferences → Test) with
 *   GET /2010-04-01/Accounts/{AccountSid}.json
 * which answers 200 with {"sid", "friendly_name", "status", …} for the
 * right SID and token, and 401 (error 20003) for wrong ones.
 *
 * The origin is https://api.twilio.com, or WAYBILL_TWILIO_URL (as for the
 * carriers' APIs) for tests and proxies; TLS is verified by libsoup. */

#define MAX_REPLY_BYTES (64 * 1024)

struct _WaybillSmsSender
{
  GObject      parent_instance;

  SoupSession *session;
  char        *base_url;
  char        *account_sid;
  char        *auth_token;
  char        *from;
};

G_DEFINE_FINAL_TYPE (WaybillSmsSender, waybill_sms_sender, G_TYPE_OBJECT)

static void
waybill_sms_sender_dispose (GObject *object)
{
  WaybillSmsSender *self = (WaybillSmsSender *)object;

  g_clear_object (&self->session);

  G_OBJECT_CLASS (waybill_sms_sender_parent_class)->dispose (object);
}

static void
waybill_sms_sender_finalize (GObject *object)
{
  WaybillSmsSender *self = (WaybillSmsSender *)object;

  g_free (self->base_url);
  g_free (self->account_sid);
  waybill_wipe_free (self->auth_token);
  g_free (self->from);

  G_OBJECT_CLASS (waybill_sms_sender_parent_class)->finalize (object);
}

static void
waybill_sms_sender_class_init (WaybillSmsSenderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = waybill_sms_sender_dispose;
  object_class->finalize = waybill_sms_sender_finalize;
}

static void
waybill_sms_sender_init (WaybillSmsSender *self)
{
  self->session = soup_session_new_with_options ("user-agent", PACKAGE_NAME "/" PACKAGE_VERSION " ",
                                                 "timeout", 60,
                                                 NULL);
}

/**
 * waybill_sms_sender_new:
 * @base_url: (nullable): the API's origin; %NULL for WAYBILL_TWILIO_URL
 *   when set, else Twilio's
 */
WaybillSmsSender *
waybill_sms_sender_new (const char *base_url)
{
  WaybillSmsSender *self = g_object_new (WAYBILL_TYPE_SMS_SENDER, NULL);
  const char *env = g_getenv ("WAYBILL_TWILIO_URL");
  char *url;

  if (base_url == NULL || *base_url == '\0')
    base_url = env != NULL && *env != '\0' ? env : WAYBILL_TWILIO_DEFAULT_URL;
  url = g_strdup (base_url);
  while (*url != '\0' && g_str_has_suffix (url, "/"))
    url[strlen (url) - 1] = '\0';
  self->base_url = url;

  return self;
}

const char *
waybill_sms_sender_get_base_url (WaybillSmsSender *self)
{
  g_return_val_if_fail (WAYBILL_IS_SMS_SENDER (self), NULL);

  return self->base_url;
}

void
waybill_sms_sender_set_account (WaybillSmsSender *self,
                                const char       *account_sid,
                                const char       *auth_token)
{
  g_return_if_fail (WAYBILL_IS_SMS_SENDER (self));

  g_free (self->account_sid);
  self->account_sid = waybill_dup_trimmed (account_sid);
  waybill_wipe_free (self->auth_token);
  self->auth_token = waybill_dup_trimmed (auth_token);
}

void
waybill_sms_sender_set_from (WaybillSmsSender *self,
                             const char       *from)
{
  g_return_if_fail (WAYBILL_IS_SMS_SENDER (self));

  g_free (self->from);
  self->from = waybill_dup_trimmed (from);
}

gboolean
waybill_sms_sender_is_configured (WaybillSmsSender *self)
{
  g_return_val_if_fail (WAYBILL_IS_SMS_SENDER (self), FALSE);

  return self->account_sid != NULL && self->auth_token != NULL && self->from != NULL;
}

/* A phone number as Twilio takes it: E.164, "+" and digits; spaces,
 * dashes, dots and brackets as people write them are dropped. */
static char *
normalize_phone (const char *text)
{
  GString *out = g_string_new (NULL);

  if (text == NULL)
    return g_string_free (out, TRUE);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p) || (*p == '+' && out->len == 0))
        g_string_append_c (out, *p);
      else if (*p != ' ' && *p != '-' && *p != '.' && *p != '(' && *p != ')' && *p != '/')
        return g_string_free (out, TRUE);
    }

  if (out->len < 4 || out->str[0] != '+')
    return g_string_free (out, TRUE);

  return g_string_free (out, FALSE);
}

typedef struct
{
  SoupMessage *message;
} SendData;

static void
send_data_free (SendData *data)
{
  g_clear_object (&data->message);
  g_free (data);
}

/* Reads Twilio's answer to the request of @task into @parser: FALSE when
 * there was none (the task has returned why); else its HTTP status and,
 * when it is a JSON object, the object. */
static gboolean
finish_request (GTask         *task,
                GObject       *source,
                GAsyncResult  *result,
                JsonParser    *parser,
                guint         *out_status,
                JsonObject   **out_reply)
{
  SendData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (bytes == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else if (error->domain == G_TLS_ERROR)
        g_task_return_new_error (task, WAYBILL_MESSAGE_ERROR, WAYBILL_MESSAGE_ERROR_NOT_CONFIGURED,
                                 _("No secure connection to Twilio: %s"), error->message);
      else
        g_task_return_new_error (task, WAYBILL_MESSAGE_ERROR, WAYBILL_MESSAGE_ERROR_TEMPORARY,
                                 _("Could not reach Twilio: %s"), error->message);
      return FALSE;
    }

  *out_status = soup_message_get_status (data->message);
  if (g_bytes_get_size (bytes) > 0 && g_bytes_get_size (bytes) <= MAX_REPLY_BYTES &&
      json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    *out_reply = json_node_get_object (json_parser_get_root (parser));

  return TRUE;
}

/* A request to @path_tail below the account's URL; %NULL when the base URL
 * is no web address (the task has returned why). */
static SoupMessage *
new_account_request (WaybillSmsSender *self,
                     GTask            *task,
                     const char       *method,
                     const char       *path_tail)
{
  g_autofree char *sid = g_uri_escape_string (self->account_sid, NULL, FALSE);
  g_autofree char *url = g_strdup_printf ("%s/2010-04-01/Accounts/%s%s", self->base_url, sid, path_tail);
  SoupMessage *message = soup_message_new (method, url);

  if (message == NULL)
    g_task_return_new_error (task, WAYBILL_MESSAGE_ERROR, WAYBILL_MESSAGE_ERROR_NOT_CONFIGURED,
                             _("The address of Twilio is not a web address; check WAYBILL_TWILIO_URL"));

  return message;
}

/* Sends @message (the task then owns it) with the account's credentials;
 * @callback gets @task back. */
static void
start_request (WaybillSmsSender    *self,
               GTask               *task,
               SoupMessage         *message,
               GAsyncReadyCallback  callback)
{
  g_autofree char *credentials = g_strdup_printf ("%s:%s", self->account_sid, self->auth_token);
  g_autofree char *basic = g_base64_encode ((const guchar *) credentials, strlen (credentials));
  g_autofree char *header = g_strdup_printf ("Basic %s", basic);
  SendData *data;

  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", header);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Accept", "application/json");
  memset (credentials, 0, strlen (credentials));
  memset (header, 0, strlen (header));

  data = g_new0 (SendData, 1);
  data->message = message;
  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);

  soup_session_send_and_read_async (self->session, message, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), callback, task);
}

static void
set_reply_error (GError     **error,
                 guint        http_status,
                 JsonObject  *reply)
{
  gint64 code = 0;
  const char *text = NULL;

  if (reply != NULL)
    {
      if (json_object_has_member (reply, "code") &&
          JSON_NODE_HOLDS_VALUE (json_object_get_member (reply, "code")))
        code = json_object_get_int_member (reply, "code");
      if (json_object_has_member (reply, "message") &&
          JSON_NODE_HOLDS_VALUE (json_object_get_member (reply, "message")))
        text = json_object_get_string_member (reply, "message");
    }
  if (text == NULL)
    text = soup_status_get_phrase (http_status);
  if (text == NULL)
    text = "";

  if (http_status == SOUP_STATUS_UNAUTHORIZED || http_status == SOUP_STATUS_FORBIDDEN)
    g_set_error (error, WAYBILL_MESSAGE_ERROR, WAYBILL_MESSAGE_ERROR_AUTH,
                 _("Twilio refused the account SID or auth token (error %lld: %s); check them in Preferences"),
                 (long long) code, text);
  else if (http_status == 429 || http_status >= 500)
    g_set_error (error, WAYBILL_MESSAGE_ERROR, WAYBILL_MESSAGE_ERROR_TEMPORARY,
                 _("Twilio is busy, Waybill tries again later (HTTP %u: %s)"), http_status, text);
  else
    g_set_error (error, WAYBILL_MESSAGE_ERROR, WAYBILL_MESSAGE_ERROR_REJECTED,
                 _("Twilio refused the message (error %lld: %s)"), (long long) code, text);
}

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *reply = NULL;
  guint status;

  if (!finish_request (task, source, result, parser, &status, &reply))
    return;

  if (status >= 200 && status < 300)
    {
      const char *sid = NULL;

      if (reply != NULL && json_object_has_member (reply, "sid") &&
          JSON_NODE_HOLDS_VALUE (json_object_get_member (reply, "sid")))
        sid = json_object_get_string_member (reply, "sid");
      if (sid == NULL || *sid == '\0')
        {
          /* Twilio took the message but said nothing we understand: it
           * went out, so it must not be sent again. */
          g_task_return_pointer (task, g_strdup (""), g_free);
          return;
        }
      g_task_return_pointer (task, g_strdup (sid), g_free);
      return;
    }

  set_reply_error (&error, status, reply);
  g_task_return_error (task, g_steal_pointer (&error));
}

/**
 * waybill_sms_sender_send_async:
 * @to: the phone number, in international form (+44 20 7946 0000)
 *
 * Sends one SMS.  The result is Twilio's message SID.  Errors are in
 * %WAYBILL_MESSAGE_ERROR.
 */
void
waybill_sms_sender_send_async (WaybillSmsSender    *self,
                               const char          *to,
                               const char          *body,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *number = NULL;
  g_autofree char *form = NULL;
  g_autoptr(GBytes) payload = NULL;
  SoupMessage *message;

  g_return_if_fail (WAYBILL_IS_SMS_SENDER (self));
  g_return_if_fail (body != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, waybill_sms_sender_send_async);

  if (!waybill_sms_sender_is_configured (self))
    {
      g_task_return_new_error (task, WAYBILL_MESSAGE_ERROR, WAYBILL_MESSAGE_ERROR_NOT_CONFIGURED,
                               _("Sending SMS is not set up: add the Twilio account SID, auth "
                                 "token and sender number in Preferences"));
      return;
    }

  number = normalize_phone (to);
  if (number == NULL)
    {
      g_task_return_new_error (task, WAYBILL_MESSAGE_ERROR, WAYBILL_MESSAGE_ERROR_REJECTED,
                               _("“%s” is not a phone number in international form (+…)"),
                               to != NULL ? to : "");
      return;
    }

  message = new_account_request (self, task, "POST", "/Messages.json");
  if (message == NULL)
    return;

  form = soup_form_encode ("To", number, "From", self->from, "Body", body, NULL);
  payload = g_bytes_new (form, strlen (form));
  soup_message_set_request_body_from_bytes (message, "application/x-www-form-urlencoded", payload);

  start_request (self, g_steal_pointer (&task), message, send_cb);
}

/**
 * waybill_sms_sender_send_finish:
 *
 * Returns: (transfer full): Twilio's message SID (empty when Twilio gave
 *   none), or %NULL with @error set
 */
char *
waybill_sms_sender_send_finish (WaybillSmsSender  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- Checking the account ------------------------------------------------ */

/* "AC" and 32 hexadecimal digits, as Twilio writes account SIDs. */
static gboolean
is_account_sid (const char *sid)
{
  if (strlen (sid) != 34 || sid[0] != 'A' || sid[1] != 'C')
    return FALSE;
  for (const char *p = sid + 2; *p != '\0'; p++)
    if (!g_ascii_isxdigit (*p))
      return FALSE;

  return TRUE;
}

static void
check_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *reply = NULL;
  const char *text = NULL;
  gint64 code = 0;
  guint status;

  if (!finish_request (task, source, result, parser, &status, &reply))
    return;

  if (status == SOUP_STATUS_OK && reply != NULL)
    {
      const char *name = json_object_get_string_member_with_default (reply, "friendly_name", "");
      const char *state = json_object_get_string_member_with_default (reply, "status", "active");

      /* Twilio's statuses: active, suspended, closed. */
      if (g_strcmp0 (state, "suspended") == 0)
        {
          g_task_return_new_error (task, WAYBILL_MESSAGE_ERROR, WAYBILL_MESSAGE_ERROR_AUTH,
                                   _("The Twilio account is suspended: it cannot send messages"));
          return;
        }
      if (g_strcmp0 (state, "active") != 0)
        {
          g_task_return_new_error (task, WAYBILL_MESSAGE_ERROR, WAYBILL_MESSAGE_ERROR_AUTH,
                                   _("The Twilio account cannot send messages (its status is “%s”)"),
                                   state != NULL ? state : "");
          return;
        }
      g_task_return_pointer (task, g_strdup (name != NULL ? name : ""), g_free);
      return;
    }

  if (reply != NULL)
    {
      code = json_object_get_int_member_with_default (reply, "code", 0);
      text = json_object_get_string_member_with_default (reply, "message", NULL);
    }
  if (text == NULL)
    text = soup_status_get_phrase (status);
  if (text == NULL)
    text = "";

  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN || status == SOUP_STATUS_NOT_FOUND)
    g_task_return_new_error (task, WAYBILL_MESSAGE_ERROR, WAYBILL_MESSAGE_ERROR_AUTH,
                             _("Twilio refused the account SID or auth token (error %lld: %s)"),
                             (long long) code, text);
  else if (status == SOUP_STATUS_OK)
    g_task_return_new_error (task, WAYBILL_MESSAGE_ERROR, WAYBILL_MESSAGE_ERROR_TEMPORARY,
                             _("Twilio gave an answer Waybill does not understand"));
  else
    g_task_return_new_error (task, WAYBILL_MESSAGE_ERROR, WAYBILL_MESSAGE_ERROR_TEMPORARY,
                             _("Twilio could not check the account (HTTP %u: %s)"), status, text);
}

/**
 * waybill_sms_sender_check_account_async:
 *
 * Asks Twilio whether the account SID and auth token are right (and the
 * account can send), without sending anything.  Errors are in
 * %WAYBILL_MESSAGE_ERROR: %WAYBILL_MESSAGE_ERROR_NOT_CONFIGURED (missing or
 * malformed), %WAYBILL_MESSAGE_ERROR_AUTH (refused, or the account is
 * suspended or closed), %WAYBILL_MESSAGE_ERROR_TEMPORARY (Twilio could not
 * be reached or answered otherwise).
 */
void
waybill_sms_sender_check_account_async (WaybillSmsSender    *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SoupMessage *message;

  g_return_if_fail (WAYBILL_IS_SMS_SENDER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, waybill_sms_sender_check_account_async);

  if (self->account_sid == NULL || self->auth_token == NULL)
    {
      g_task_return_new_error (task, WAYBILL_MESSAGE_ERROR, WAYBILL_MESSAGE_ERROR_NOT_CONFIGURED,
                               _("Enter the Twilio account SID and auth token first"));
      return;
    }
  if (!is_account_sid (self->account_sid))
    {
      g_task_return_new_error (task, WAYBILL_MESSAGE_ERROR, WAYBILL_MESSAGE_ERROR_NOT_CONFIGURED,
                               _("“%s” is not a Twilio account SID: it starts with AC and has 34 letters "
                                 "and digits (see the Twilio console)"), self->account_sid);
      return;
    }

  message = new_account_request (self, task, "GET", ".json");
  if (message == NULL)
    return;

  start_request (self, g_steal_pointer (&task), message, check_cb);
}

/**
 * waybill_sms_sender_check_account_finish:
 *
 * Returns: (transfer full): the account's name at Twilio (maybe empty)
 *   when Twilio accepted the SID and token, or %NULL with @error set
 */
char *
waybill_sms_sender_check_account_finish (WaybillSmsSender  *self,
                                         GAsyncResult      *result,
                                         GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
