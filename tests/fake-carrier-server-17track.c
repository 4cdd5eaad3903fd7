/* fake-carrier-server-17track.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * 17TRACK API v2.2, as the fake server plays it: the key in the 17token
 * header (a wrong one is HTTP 401 with -18010002 in data.errors), and every
 * call a POST of a JSON array of at most 40 {"number", "carrier"?}.
 */

#include "config.h"

#include <json-glib/json-glib.h>

#include "fake-carrier-server.h"

#define MAX_NUMBERS 40

static gboolean
body_is_valid (SoupServerMessage *message)
{
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (message));
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonArray *items;

  if (!json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                   (gssize) g_bytes_get_size (body), NULL))
    return FALSE;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return FALSE;

  items = json_node_get_array (root);
  if (json_array_get_length (items) == 0 || json_array_get_length (items) > MAX_NUMBERS)
    return FALSE;

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *item = json_array_get_element (items, i);

      if (!JSON_NODE_HOLDS_OBJECT (item) ||
          json_object_get_string_member_with_default (json_node_get_object (item),
                                                      "number", NULL) == NULL)
        return FALSE;
    }

  return TRUE;
}

static gboolean
seventeen_track_check_auth (FakeCarrierServer    *server,
                            const FakeCarrierApi *api,
                            SoupServerMessage    *message,
                            const char           *path)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (message);

  if (g_strcmp0 (soup_message_headers_get_one (headers, "17token"), api->api_key) != 0)
    {
      fake_answer (message, SOUP_STATUS_UNAUTHORIZED,
                   "{\"code\":-18010002,\"data\":{\"errors\":[{\"code\":-18010002,"
                   "\"message\":\"Access token is invalid.\"}]}}");
      return FALSE;
    }

  if (g_strcmp0 (soup_server_message_get_method (message), "POST") != 0 ||
      !body_is_valid (message))
    {
      fake_answer (message, SOUP_STATUS_OK,
                   "{\"code\":-18010013,\"data\":{\"errors\":[{\"code\":-18010013,"
                   "\"message\":\"Submitted data is invalid.\"}]}}");
      return FALSE;
    }

  return TRUE;
}

const FakeCarrierApi fake_carrier_api_17track = {
  .id = "17track",
  .paths = (const char * const []) { "/track/v2.2/", NULL },
  .api_key = FAKE_17TRACK_API_KEY,
  .check_auth = seventeen_track_check_auth,
};
