/* fake-carrier-server-ups.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * UPS, as the fake server plays it: an OAuth token endpoint that takes the
 * client in a Basic header, and the Track API that wants a token it issued
 * plus the transId and transactionSrc headers.
 */

#include "config.h"

#include <string.h>

#include "fake-carrier-server.h"

#define TOKEN_PATH "/security/v1/oauth/token"

static gboolean
check_client (const FakeCarrierApi *api,
              SoupServerMessage    *message)
{
  const char *header;
  g_autofree char *expected = NULL;
  g_autofree char *pair = NULL;

  header = soup_message_headers_get_one (soup_server_message_get_request_headers (message),
                                         "Authorization");
  pair = g_strconcat (api->client_id, ":", api->client_secret, NULL);
  expected = g_base64_encode ((const guchar *) pair, strlen (pair));

  return header != NULL && g_str_has_prefix (header, "Basic ") &&
         g_str_equal (header + strlen ("Basic "), expected);
}

static gboolean
ups_check_auth (FakeCarrierServer    *server,
                const FakeCarrierApi *api,
                SoupServerMessage    *message,
                const char           *path)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (message);

  if (g_str_equal (path, TOKEN_PATH))
    {
      g_autoptr(GHashTable) form = fake_parse_form (message);

      if (g_strcmp0 (soup_server_message_get_method (message), "POST") != 0 ||
          form == NULL ||
          g_strcmp0 (g_hash_table_lookup (form, "grant_type"), "client_credentials") != 0)
        {
          fake_answer (message, SOUP_STATUS_BAD_REQUEST,
                       "{\"response\":{\"errors\":[{\"code\":\"10400\","
                       "\"message\":\"Invalid/Missing grant_type\"}]}}");
          return FALSE;
        }
      if (!check_client (api, message))
        {
          fake_answer (message, SOUP_STATUS_UNAUTHORIZED,
                       "{\"response\":{\"errors\":[{\"code\":\"250003\","
                       "\"message\":\"Invalid Access License number\"}]}}");
          return FALSE;
        }
      return TRUE;
    }

  if (!fake_carrier_server_check_bearer (server, api->id, message))
    {
      fake_answer (message, SOUP_STATUS_UNAUTHORIZED,
                   "{\"response\":{\"errors\":[{\"code\":\"250002\","
                   "\"message\":\"Invalid Authentication Information.\"}]}}");
      return FALSE;
    }

  if (soup_message_headers_get_one (headers, "transId") == NULL ||
      soup_message_headers_get_one (headers, "transactionSrc") == NULL)
    {
      fake_answer (message, SOUP_STATUS_BAD_REQUEST,
                   "{\"response\":{\"errors\":[{\"code\":\"TV1000\","
                   "\"message\":\"Missing transId or transactionSrc\"}]}}");
      return FALSE;
    }

  return TRUE;
}

static gboolean
ups_handle_default (FakeCarrierServer    *server,
                    const FakeCarrierApi *api,
                    SoupServerMessage    *message,
                    const char           *path)
{
  if (!g_str_equal (path, TOKEN_PATH))
    return FALSE;

  fake_carrier_server_serve_token (server, api->id, message);
  return TRUE;
}

const FakeCarrierApi fake_carrier_api_ups = {
  .id = "ups",
  .paths = (const char * const []) { TOKEN_PATH, "/api/track/v1/details/", NULL },
  .client_id = FAKE_UPS_CLIENT_ID,
  .client_secret = FAKE_UPS_CLIENT_SECRET,
  .check_auth = ups_check_auth,
  .handle_default = ups_handle_default,
};
