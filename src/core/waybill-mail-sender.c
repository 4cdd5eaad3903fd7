/* waybill-mail-sender.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-mail"

#include "config.h"

#include <curl/curl.h>
#include <glib/gi18n.h>
#include <string.h>

#include "waybill-mail-sender.h"
#include "waybill-message.h"
#include "waybill-util-private.h"

/* Sends one plain-text email through the shop's SMTP server with libcurl:
 * STARTTLS (required, never silently skipped), implicit TLS ("smtps") or,
 * for a server on the same machine, none.  Certificates are verified.
 * libcurl blocks, so each message is sent in a GTask thread; the
 * cancellable is honoured through the transfer's progress callback. */

#define CONNECT_TIMEOUT_S 30
#define TRANSFER_TIMEOUT_S 120

struct _WaybillMailSender
{
  GObject              parent_instance;

  char                *host;
  guint                port;
  WaybillSmtpSecurity  security;
  char                *username;
  char                *password;
  char                *from_name;
  char                *from_address;
};

G_DEFINE_FINAL_TYPE (WaybillMailSender, waybill_mail_sender, G_TYPE_OBJECT)

static void
waybill_mail_sender_finalize (GObject *object)
{
  WaybillMailSender *self = (WaybillMailSender *)object;

  g_free (self->host);
  g_free (self->username);
  waybill_wipe_free (self->password);
  g_free (self->from_name);
  g_free (self->from_address);

  G_OBJECT_CLASS (waybill_mail_sender_parent_class)->finalize (object);
}

static void
waybill_mail_sender_class_init (WaybillMailSenderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = waybill_mail_sender_finalize;

  /* Thread-safe since libcurl 7.84; done once, before any thread sends. */
  curl_global_init (CURL_GLOBAL_DEFAULT);
}

static void
waybill_mail_sender_init (WaybillMailSender *self)
{
  self->port = 587;
}

WaybillMailSender *
waybill_mail_sender_new (void)
{
  return g_object_new (WAYBILL_TYPE_MAIL_SENDER, NULL);
}

/**
 * waybill_mail_sender_set_server:
 * @port: the port, 0 for the usual one of @security (587, 465, 25)
 */
void
waybill_mail_sender_set_server (WaybillMailSender   *self,
                                const char          *host,
                                guint                port,
                                WaybillSmtpSecurity  security)
{
  g_return_if_fail (WAYBILL_IS_MAIL_SENDER (self));
  g_return_if_fail (security <= WAYBILL_SMTP_SECURITY_NONE);

  g_free (self->host);
  self->host = waybill_dup_trimmed (host);
  self->security = security;
  if (port == 0)
    port = security == WAYBILL_SMTP_SECURITY_TLS ? 465 : security == WAYBILL_SMTP_SECURITY_NONE ? 25 : 587;
  self->port = port;
}

void
waybill_mail_sender_set_login (WaybillMailSender *self,
                               const char        *username,
                               const char        *password)
{
  g_return_if_fail (WAYBILL_IS_MAIL_SENDER (self));

  g_free (self->username);
  self->username = waybill_dup_trimmed (username);
  waybill_wipe_free (self->password);
  self->password = password != NULL && *password != '\0' ? g_strdup (password) : NULL;
}

void
waybill_mail_sender_set_from (WaybillMailSender *self,
                              const char        *name,
                              const char        *address)
{
  g_return_if_fail (WAYBILL_IS_MAIL_SENDER (self));

  g_free (self->from_name);
  self->from_name = waybill_dup_trimmed (name);
  g_free (self->from_address);
  self->from_address = waybill_dup_trimmed (address);
}

gboolean
waybill_mail_sender_is_configured (WaybillMailSender *self)
{
  g_return_val_if_fail (WAYBILL_IS_MAIL_SENDER (self), FALSE);

  return self->host != NULL && self->from_address != NULL;
}

/* An address fit for SMTP's MAIL FROM and RCPT TO: one @, no spaces, no
 * angle brackets or line breaks that could smuggle in commands. */
static gboolean
address_is_valid (const char *address)
{
  const char *at;

  if (address == NULL || *address == '\0' || strlen (address) > 254)
    return FALSE;
  for (const char *p = address; *p != '\0'; p++)
    if ((guchar) *p <= ' ' || *p == '<' || *p == '>' || *p == ',' || *p == ';' || *p == 0x7f)
      return FALSE;
  at = strchr (address, '@');

  return at != NULL && at != address && at[1] != '\0' && strchr (at + 1, '@') == NULL;
}

static gboolean
host_is_local (const char *host)
{
  return g_ascii_strcasecmp (host, "localhost") == 0 || g_str_has_prefix (host, "127.") ||
         g_strcmp0 (host, "::1") == 0;
}

static gboolean
is_ascii_printable (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p < ' ' || (guchar) *p > '~')
      return FALSE;

  return TRUE;
}

/* A header value as RFC 2047 encoded words when it is not plain ASCII,
 * cut between characters so that each word stays short. */
static void
append_header_text (GString    *out,
                    const char *text)
{
  const char *p = text;
  gboolean first = TRUE;

  if (is_ascii_printable (text))
    {
      g_string_append (out, text);
      return;
    }

  while (*p != '\0')
    {
      const char *end = p;
      g_autofree char *encoded = NULL;

      while (*end != '\0' && end - p < 45)
        end = g_utf8_next_char (end);
      encoded = g_base64_encode ((const guchar *) p, end - p);
      if (!first)
        g_string_append (out, "\r\n ");
      g_string_append_printf (out, "=?UTF-8?B?%s?=", encoded);
      first = FALSE;
      p = end;
    }
}

/* Line breaks become CRLF; no other control characters. */
static char *
normalize_body (const char *body)
{
  GString *out = g_string_sized_new (strlen (body) + 32);

  for (const char *p = body; *p != '\0'; p++)
    {
      if (*p == '\r')
        continue;
      if (*p == '\n')
        g_string_append (out, "\r\n");
      else
        g_string_append_c (out, *p);
    }
  if (!g_str_has_suffix (out->str, "\r\n"))
    g_string_append (out, "\r\n");

  return g_string_free (out, FALSE);
}

static gboolean
body_is_7bit (const char *crlf_body)
{
  guint column = 0;

  for (const char *p = crlf_body; *p != '\0'; p++)
    {
      if ((guchar) *p > 0x7e)
        return FALSE;
      column = *p == '\n' ? 0 : column + 1;
      if (column > 900)
        return FALSE;
    }

  return TRUE;
}

static char *
format_date (GDateTime *date)
{
  static const char * const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  static const char * const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
  g_autofree char *zone = g_date_time_format (date, "%z");

  /* RFC 5322 wants English names, whatever the locale. */
  return g_strdup_printf ("%s, %d %s %d %02d:%02d:%02d %s",
                          days[g_date_time_get_day_of_week (date) - 1],
                          g_date_time_get_day_of_month (date),
                          months[g_date_time_get_month (date) - 1],
                          g_date_time_get_year (date),
                          g_date_time_get_hour (date),
                          g_date_time_get_minute (date),
                          g_date_time_get_second (date),
                          zone);
}

/**
 * waybill_mail_sender_compose:
 * @date: (nullable): the Date header, %NULL for now
 * @message_id: (nullable): the Message-ID without brackets, %NULL for a
 *   new one
 *
 * The message as it goes over the wire: headers, then the body, with CRLF
 * line ends.
 *
 * Returns: (transfer full): the message
 */
char *
waybill_mail_sender_compose (WaybillMailSender *self,
                             const char        *to,
                             const char        *subject,
                             const char        *body,
                             GDateTime         *date,
                             const char        *message_id)
{
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *date_text = NULL;
  g_autofree char *id = NULL;
  g_autofree char *crlf_body = NULL;
  const char *domain;
  GString *out;

  g_return_val_if_fail (WAYBILL_IS_MAIL_SENDER (self), NULL);
  g_return_val_if_fail (to != NULL && subject != NULL && body != NULL, NULL);

  if (date == NULL)
    date = now = g_date_time_new_now_local ();
  date_text = format_date (date);
  domain = self->from_address != NULL && strchr (self->from_address, '@') != NULL
           ? strchr (self->from_address, '@') + 1 : "waybill.invalid";
  if (message_id == NULL)
    {
      g_autofree char *uuid = g_uuid_string_random ();
      id = g_strdup_printf ("%s@%s", uuid, domain);
      message_id = id;
    }

  out = g_string_new (NULL);
  g_string_append_printf (out, "Date: %s\r\n", date_text);
  g_string_append (out, "From: ");
  if (self->from_name != NULL)
    {
      if (is_ascii_printable (self->from_name) && strpbrk (self->from_name, "\"\\") == NULL)
        g_string_append_printf (out, "\"%s\"", self->from_name);
      else
        append_header_text (out, self->from_name);
      g_string_append_c (out, ' ');
    }
  g_string_append_printf (out, "<%s>\r\n", self->from_address != NULL ? self->from_address : "");
  g_string_append_printf (out, "To: <%s>\r\n", to);
  g_string_append (out, "Subject: ");
  append_header_text (out, subject);
  g_string_append (out, "\r\n");
  g_string_append_printf (out, "Message-ID: <%s>\r\n", message_id);
  g_string_append (out, "MIME-Version: 1.0\r\n");
  g_string_append (out, "Content-Type: text/plain; charset=UTF-8\r\n");

  crlf_body = normalize_body (body);
  if (body_is_7bit (crlf_body))
    {
      g_string_append (out, "Content-Transfer-Encoding: 7bit\r\n\r\n");
      g_string_append (out, crlf_body);
    }
  else
    {
      g_autofree char *encoded = g_base64_encode ((const guchar *) crlf_body, strlen (crlf_body));
      gsize len = strlen (encoded);

      g_string_append (out, "Content-Transfer-Encoding: base64\r\n\r\n");
      for (gsize i = 0; i < len; i += 76)
        {
          g_string_append_len (out, encoded + i, MIN (76, len - i));
          g_string_append (out, "\r\n");
        }
    }

  return g_string_free (out, FALSE);
}

/* ---- Sending ------------------------------------------------------------ */

typedef struct
{
  char                *url;
  char                *username;
  char                *password;
  char                *from_address;
  char                *to;
  char                *payload;
  char                *message_id;
  WaybillSmtpSecurity  security;
  gsize                offset;
  GCancellable        *cancellable;
} SendData;

static void
send_data_free (SendData *data)
{
  g_free (data->url);
  g_free (data->username);
  waybill_wipe_free (data->password);
  g_free (data->from_address);
  g_free (data->to);
  g_free (data->payload);
  g_free (data->message_id);
  g_clear_object (&data->cancellable);
  g_free (data);
}

static size_t
read_cb (char   *buffer,
         size_t  size,
         size_t  nitems,
         void   *user_data)
{
  SendData *data = user_data;
  gsize left = strlen (data->payload) - data->offset;
  gsize n = MIN (left, size * nitems);

  memcpy (buffer, data->payload + data->offset, n);
  data->offset += n;

  return n;
}

static int
progress_cb (void       *user_data,
             curl_off_t  dltotal,
             curl_off_t  dlnow,
             curl_off_t  ultotal,
             curl_off_t  ulnow)
{
  SendData *data = user_data;

  return g_cancellable_is_cancelled (data->cancellable) ? 1 : 0;
}

static void
set_curl_error (GError     **error,
                CURLcode     code,
                long         reply,
                const char  *detail,
                const char  *host)
{
  const char *what = detail != NULL && *detail != '\0' ? detail : curl_easy_strerror (code);

  switch (code)
    {
    case CURLE_LOGIN_DENIED:
      g_set_error (error, WAYBILL_MESSAGE_ERROR, WAYBILL_MESSAGE_ERROR_AUTH,
                   _("The mail server refused the user name or password (%ld); "
                     "check them in Preferences"), reply);
      return;
    case CURLE_USE_SSL_FAILED:
      g_set_error (error, WAYBILL_MESSAGE_ERROR, WAYBILL_MESSAGE_ERROR_NOT_CONFIGURED,
                   _("The mail server %s does not offer a secure connection (STARTTLS); "
                     "check the security setting in Preferences"), host);
      return;
    case CURLE_COULDNT_RESOLVE_HOST:
      g_set_error (error, WAYBILL_MESSAGE_ERROR, WAYBILL_MESSAGE_ERROR_TEMPORARY,
                   _("The mail server %s could not be found; check the name or the network"), host);
      return;
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
      g_set_error (error, WAYBILL_MESSAGE_ERROR, WAYBILL_MESSAGE_ERROR_TEMPORARY,
                   _("Could not reach the mail server %s: %s"), host, what);
      return;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CACERT_BADFILE:
      g_set_error (error, WAYBILL_MESSAGE_ERROR, WAYBILL_MESSAGE_ERROR_NOT_CONFIGURED,
                   _("No secure connection to the mail server %s: %s"), host, what);
      return;
    default:
      break;
    }

  /* A reply from the server: 5xx refuses this message for good, 4xx asks
   * to try later. */
  if (reply >= 500 && reply < 600)
    g_set_error (error, WAYBILL_MESSAGE_ERROR, WAYBILL_MESSAGE_ERROR_REJECTED,
                 _("The mail server refused the message (%ld)"), reply);
  else if (reply >= 400 && reply < 500)
    g_set_error (error, WAYBILL_MESSAGE_ERROR, WAYBILL_MESSAGE_ERROR_TEMPORARY,
                 _("The mail server asked to try again later (%ld)"), reply);
  else
    g_set_error (error, WAYBILL_MESSAGE_ERROR, WAYBILL_MESSAGE_ERROR_TEMPORARY,
                 _("Sending the email failed: %s"), what);
}

static void
send_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SendData *data = task_data;
  g_autofree char *mail_from = g_strdup_printf ("<%s>", data->from_address);
  g_autofree char *rcpt = g_strdup_printf ("<%s>", data->to);
  char error_buffer[CURL_ERROR_SIZE] = "";
  struct curl_slist *recipients = NULL;
  g_autoptr(GUri) uri = NULL;
  GError *error = NULL;
  long reply = 0;
  CURLcode code;
  CURL *curl;

  curl = curl_easy_init ();
  if (curl == NULL)
    {
      g_task_return_new_error (task, WAYBILL_MESSAGE_ERROR, WAYBILL_MESSAGE_ERROR_TEMPORARY,
                               _("Could not start sending the email"));
      return;
    }

  recipients = curl_slist_append (NULL, rcpt);
  curl_easy_setopt (curl, CURLOPT_URL, data->url);
  curl_easy_setopt (curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (curl, CURLOPT_CONNECTTIMEOUT, (long) CONNECT_TIMEOUT_S);
  curl_easy_setopt (curl, CURLOPT_TIMEOUT, (long) TRANSFER_TIMEOUT_S);
  curl_easy_setopt (curl, CURLOPT_ERRORBUFFER, error_buffer);
  if (data->security == WAYBILL_SMTP_SECURITY_STARTTLS)
    curl_easy_setopt (curl, CURLOPT_USE_SSL, (long) CURLUSESSL_ALL);
  if (data->username != NULL)
    {
      curl_easy_setopt (curl, CURLOPT_USERNAME, data->username);
      curl_easy_setopt (curl, CURLOPT_PASSWORD, data->password != NULL ? data->password : "");
    }
  curl_easy_setopt (curl, CURLOPT_MAIL_FROM, mail_from);
  curl_easy_setopt (curl, CURLOPT_MAIL_RCPT, recipients);
  curl_easy_setopt (curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt (curl, CURLOPT_READFUNCTION, read_cb);
  curl_easy_setopt (curl, CURLOPT_READDATA, data);
  curl_easy_setopt (curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt (curl, CURLOPT_XFERINFOFUNCTION, progress_cb);
  curl_easy_setopt (curl, CURLOPT_XFERINFODATA, data);

  code = curl_easy_perform (curl);
  curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &reply);
  curl_slist_free_all (recipients);
  curl_easy_cleanup (curl);

  if (code == CURLE_OK)
    {
      g_task_return_pointer (task, g_steal_pointer (&data->message_id), g_free);
      return;
    }

  if (code == CURLE_ABORTED_BY_CALLBACK || g_cancellable_is_cancelled (cancellable))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("Sending the email was cancelled"));
      return;
    }

  uri = g_uri_parse (data->url, G_URI_FLAGS_NONE, NULL);
  set_curl_error (&error, code, reply, error_buffer, uri != NULL ? g_uri_get_host (uri) : data->url);
  g_debug ("SMTP failed: curl %d, reply %ld: %s", code, reply, error_buffer);
  g_task_return_error (task, error);
}

/**
 * waybill_mail_sender_send_async:
 *
 * Sends one plain-text email.  The result is the Message-ID it went out
 * with.  Errors are in %WAYBILL_MESSAGE_ERROR.
 */
void
waybill_mail_sender_send_async (WaybillMailSender   *self,
                                const char          *to,
                                const char          *subject,
                                const char          *body,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *host = NULL;
  SendData *data;

  g_return_if_fail (WAYBILL_IS_MAIL_SENDER (self));
  g_return_if_fail (subject != NULL && body != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, waybill_mail_sender_send_async);

  if (!waybill_mail_sender_is_configured (self))
    {
      g_task_return_new_error (task, WAYBILL_MESSAGE_ERROR, WAYBILL_MESSAGE_ERROR_NOT_CONFIGURED,
                               _("Sending email is not set up: add a mail server and a sender "
                                 "address in Preferences"));
      return;
    }
  if (!address_is_valid (self->from_address))
    {
      g_task_return_new_error (task, WAYBILL_MESSAGE_ERROR, WAYBILL_MESSAGE_ERROR_NOT_CONFIGURED,
                               _("“%s” is not a valid sender address"), self->from_address);
      return;
    }
  if (!address_is_valid (to))
    {
      g_autofree char *shown = g_strdelimit (g_strdup (to != NULL ? to : ""), "\r\n\t", ' ');

      g_task_return_new_error (task, WAYBILL_MESSAGE_ERROR, WAYBILL_MESSAGE_ERROR_REJECTED,
                               _("“%s” is not a valid email address"), shown);
      return;
    }
  /* A password never travels in the clear to another machine. */
  if (self->security == WAYBILL_SMTP_SECURITY_NONE && self->username != NULL && !host_is_local (self->host))
    {
      g_task_return_new_error (task, WAYBILL_MESSAGE_ERROR, WAYBILL_MESSAGE_ERROR_NOT_CONFIGURED,
                               _("The mail server %s is on another computer: choose STARTTLS or TLS "
                                 "so that the password is not sent unencrypted"), self->host);
      return;
    }

  data = g_new0 (SendData, 1);
  host = strchr (self->host, ':') != NULL ? g_strdup_printf ("[%s]", self->host) : g_strdup (self->host);
  data->url = g_strdup_printf ("%s://%s:%u", self->security == WAYBILL_SMTP_SECURITY_TLS ? "smtps" : "smtp",
                               host, self->port);
  data->username = g_strdup (self->username);
  data->password = g_strdup (self->password);
  data->from_address = g_strdup (self->from_address);
  data->to = g_strdup (to);
  data->security = self->security;
  uuid = g_uuid_string_random ();
  data->message_id = g_strdup_printf ("%s@%s", uuid, strchr (self->from_address, '@') + 1);
  data->payload = waybill_mail_sender_compose (self, to, subject, body, NULL, data->message_id);
  data->cancellable = cancellable != NULL ? g_object_ref (cancellable) : g_cancellable_new ();
  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);

  g_task_run_in_thread (task, send_thread);
}

/**
 * waybill_mail_sender_send_finish:
 *
 * Returns: (transfer full): the Message-ID, or %NULL with @error set
 */
char *
waybill_mail_sender_send_finish (WaybillMailSender  *self,
                                 GAsyncResult       *result,
                                 GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * waybill_mail_sender_mailto_uri:
 *
 * A mailto: URI that opens the user's mail app with the message filled
 * in (RFC 6068).
 *
 * Returns: (transfer full): the URI
 */
char *
waybill_mail_sender_mailto_uri (const char *to,
                                const char *subject,
                                const char *body)
{
  g_autofree char *t = g_uri_escape_string (to != NULL ? to : "", "@", FALSE);
  g_autofree char *s = g_uri_escape_string (subject != NULL ? subject : "", NULL, FALSE);
  g_autofree char *crlf = normalize_body (body != NULL ? body : "");
  g_autofree char *b = g_uri_escape_string (crlf, NULL, FALSE);

  return g_strdup_printf ("mailto:%s?subject=%s&body=%s", t, s, b);
}
