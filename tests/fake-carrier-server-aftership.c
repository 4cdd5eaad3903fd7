/* fake-carrier-server-aftership.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * AfterShip Tracking API 2026-07, as the fake server plays it: the key in
 * the as-api-key header, error envelopes {"meta":{code,type,message},
 * "data":{}} when it is wrong, and a create (POST /trackings) that wants a
 * JSON body with a tracking_number.
 */

#include "config.h"

#include <json-glib/json-glib.h>

#include "fake-carrier-server.h"

#define TRACKINGS_PATH "/tracking/2026-07/trackings"

static gboolean
create_body_is_valid (SoupServerMessage *message)
{
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (message));
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *content_type;
  JsonNode *root;

  content_type = soup_message_headers_get_content_type (soup_server_message_get_request_headers (message),
                                                        NULL);
  if (g_strcmp0 (content_type, "application/json") != 0 ||
      !json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                   (gssize) g_bytes_get_size (body), NULL))
    return FALSE;

  root = json_parser_get_root (parser);

  return root != NULL && JSON_NODE_HOLDS_OBJECT (root) &&
         json_object_has_member (json_node_get_object (root), "tracking_number");
}

static gboolean
aftership_check_auth (FakeCarrierServer    *server,
                      const FakeCarrierApi *api,
                      SoupServerMessage    *message,
                      const char           *path)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (message);

  if (g_strcmp0 (soup_message_headers_get_one (headers, "as-api-key"), api->api_key) != 0)
    {
      fake_answer (message, SOUP_STATUS_UNAUTHORIZED,
                   "{\"meta\":{\"code\":401,\"type\":\"Unauthorized\","
                   "\"message\":\"Invalid API key.\"},\"data\":{}}");
      return FALSE;
    }

  if (g_str_equal (path, TRACKINGS_PATH) &&
      g_strcmp0 (soup_server_message_get_method (message), "POST") == 0 &&
      !create_body_is_valid (message))
    {
      fake_answer (message, SOUP_STATUS_BAD_REQUEST,
                   "{\"meta\":{\"code\":4001,\"type\":\"BadRequest\","
                   "\"message\":\"Invalid JSON data.\"},\"data\":{}}");
      return FALSE;
    }

  return TRUE;
}

const FakeCarrierApi fake_carrier_api_aftership = {
  .id = "aftership",
  .paths = (const char * const []) { "/tracking/2026-07/", NULL },
  .api_key = FAKE_AFTERSHIP_API_KEY,
  .check_auth = aftership_check_auth,
};
