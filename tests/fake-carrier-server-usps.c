/* fake-carrier-server-usps.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * USPS, as the fake server plays it: an OAuth token endpoint that takes the
 * client id and secret as form fields and wants the "tracking" scope, and
 * the Tracking API v3 that wants a token it issued.  Errors of the token
 * endpoint are OAuth's {error, error_description}; those of the API are
 * {apiVersion, error:{code, message, errors}}.
 */

#include "config.h"


#include "fake-carrier-server.h"

#define TOKEN_PATH "/oauth2/v3/token"
#define TRACK_PATH "/tracking/v3/tracking/"

static gboolean
has_scope (const char *scopes,
           const char *scope)
{
  g_auto(GStrv) items = NULL;

  if (scopes == NULL)
    return FALSE;

  items = g_strsplit (scopes, " ", -1);

  return g_strv_contains ((const char * const *) items, scope);
}

static gboolean
usps_check_auth (FakeCarrierServer    *server,
                 const FakeCarrierApi *api,
                 SoupServerMessage    *message,
                 const char           *path)
{
  if (g_str_equal (path, TOKEN_PATH))
    {
      g_autoptr(GHashTable) form = fake_parse_form (message);

      if (g_strcmp0 (soup_server_message_get_method (message), "POST") != 0 ||
          form == NULL ||
          g_strcmp0 (g_hash_table_lookup (form, "grant_type"), "client_credentials") != 0)
        {
          fake_answer (message, SOUP_STATUS_BAD_REQUEST,
                       "{\"error\":\"unsupported_grant_type\","
                       "\"error_description\":\"The grant type is not supported.\"}");
          return FALSE;
        }
      if (g_strcmp0 (g_hash_table_lookup (form, "client_id"), api->client_id) != 0 ||
          g_strcmp0 (g_hash_table_lookup (form, "client_secret"), api->client_secret) != 0)
        {
          fake_answer (message, SOUP_STATUS_UNAUTHORIZED,
                       "{\"error\":\"invalid_client\","
                       "\"error_description\":\"Client authentication failed.\"}");
          return FALSE;
        }
      if (!has_scope (g_hash_table_lookup (form, "scope"), "tracking"))
        {
          fake_answer (message, SOUP_STATUS_BAD_REQUEST,
                       "{\"error\":\"invalid_scope\","
                       "\"error_description\":\"The requested scope is invalid.\"}");
          return FALSE;
        }
      return TRUE;
    }

  if (!fake_carrier_server_check_bearer (server, api->id, message))
    {
      fake_answer (message, SOUP_STATUS_UNAUTHORIZED,
                   "{\"apiVersion\":\"/tracking/v3\",\"error\":{\"code\":\"401\","
                   "\"message\":\"The access token is invalid or has expired.\",\"errors\":[]}}");
      return FALSE;
    }

  if (g_strcmp0 (soup_server_message_get_method (message), "GET") != 0)
    {
      fake_answer (message, SOUP_STATUS_METHOD_NOT_ALLOWED,
                   "{\"apiVersion\":\"/tracking/v3\",\"error\":{\"code\":\"405\","
                   "\"message\":\"Method Not Allowed\",\"errors\":[]}}");
      return FALSE;
    }

  return TRUE;
}

static gboolean
usps_handle_default (FakeCarrierServer    *server,
                     const FakeCarrierApi *api,
                     SoupServerMessage    *message,
                     const char           *path)
{
  if (!g_str_equal (path, TOKEN_PATH))
    return FALSE;

  fake_carrier_server_serve_token (server, api->id, message);
  return TRUE;
}

const FakeCarrierApi fake_carrier_api_usps = {
  .id = "usps",
  .paths = (const char * const []) { TOKEN_PATH, TRACK_PATH, NULL },
  .client_id = FAKE_USPS_CLIENT_ID,
  .client_secret = FAKE_USPS_CLIENT_SECRET,
  .check_auth = usps_check_auth,
  .handle_default = usps_handle_default,
};
