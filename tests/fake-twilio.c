/* fake-twilio.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fake-twilio.h"

#define ACCOUNT_PATH "/2010-04-01/Accounts/" FAKE_TWILIO_SID ".json"
#define MESSAGES_PATH "/2010-04-01/Accounts/" FAKE_TWILIO_SID "/Messages.json"

static void
answer (SoupServerMessage *msg,
        guint              status,
        const char        *json)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json, strlen (json));
}

static gboolean
authorized (SoupServerMessage *msg)
{
  g_autofree char *basic = g_base64_encode ((const guchar *) FAKE_TWILIO_SID ":" FAKE_TWILIO_TOKEN,
                                            strlen (FAKE_TWILIO_SID ":" FAKE_TWILIO_TOKEN));
  g_autofree char *expected = g_strdup_printf ("Basic %s", basic);
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "Authorization");

  return g_strcmp0 (auth, expected) == 0;
}

static void
twilio_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  FakeTwilio *twilio = user_data;
  const char *method = soup_server_message_get_method (msg);
  g_autofree char *reply = NULL;
  SoupMessageBody *body;
  GHashTable *form;

  if (!authorized (msg))
    {
      if (g_str_equal (method, "GET"))
        twilio->account_requests++;
      else
        twilio->requests++;
      answer (msg, 401, "{\"code\": 20003, \"message\": \"Authenticate\", "
                        "\"more_info\": \"https://www.twilio.com/docs/errors/20003\", \"status\": 401}");
      return;
    }

  if (g_str_equal (method, "GET") && g_str_equal (path, ACCOUNT_PATH))
    {
      const char *status = twilio->account_status != NULL ? twilio->account_status : "active";

      twilio->account_requests++;
      if (twilio->account_html)
        {
          soup_server_message_set_status (msg, 200, NULL);
          soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC, "<html></html>", 13);
          return;
        }
      reply = g_strdup_printf ("{\"sid\": \"%s\", \"friendly_name\": \"Tea & Things\", \"status\": \"%s\", "
                               "\"type\": \"Full\"}", FAKE_TWILIO_SID, status);
      answer (msg, 200, reply);
      return;
    }

  g_assert_cmpstr (method, ==, "POST");
  g_assert_cmpstr (path, ==, MESSAGES_PATH);
  twilio->requests++;

  if (twilio->fail_next > 0)
    {
      twilio->fail_next--;
      answer (msg, 500, "{\"code\": 20500, \"message\": \"Internal Server Error\", \"status\": 500}");
      return;
    }

  g_assert_cmpstr (soup_message_headers_get_content_type (soup_server_message_get_request_headers (msg), NULL),
                   ==, "application/x-www-form-urlencoded");
  body = soup_server_message_get_request_body (msg);
  {
    g_autofree char *text = g_strndup (body->data, body->length);
    form = soup_form_decode (text);
  }
  g_ptr_array_add (twilio->bodies, form);

  reply = g_strdup_printf ("{\"sid\": \"SM%032u\", \"status\": \"queued\", \"to\": \"%s\"}",
                           twilio->bodies->len, (char *) g_hash_table_lookup (form, "To"));
  answer (msg, 201, reply);
}

void
fake_twilio_start (FakeTwilio *twilio)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  twilio->server = soup_server_new (NULL, NULL);
  twilio->bodies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  soup_server_add_handler (twilio->server, "/2010-04-01", twilio_cb, twilio, NULL);
  soup_server_listen_local (twilio->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (twilio->server);
  twilio->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
}

void
fake_twilio_stop (FakeTwilio *twilio)
{
  if (twilio->server != NULL)
    soup_server_disconnect (twilio->server);
  g_clear_object (&twilio->server);
  g_clear_pointer (&twilio->bodies, g_ptr_array_unref);
  g_clear_pointer (&twilio->url, g_free);
}
