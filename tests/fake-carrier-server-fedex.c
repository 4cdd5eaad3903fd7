/* fake-carrier-server-fedex.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * FedEx, as the fake server plays it: an OAuth token endpoint that takes
 * the client id and secret as form fields, and the Track API that wants a
 * token it issued and a JSON body asking about 1 to 30 numbers.  Errors
 * are FedEx's {transactionId, errors:[{code, message}]}.
 */

#include "config.h"

#include <json-glib/json-glib.h>

#include "fake-carrier-server.h"

#define TOKEN_PATH "/oauth/token"
#define TRACK_PATH "/track/v1/trackingnumbers"

/* FedEx's limit of numbers per request. */
#define MAX_NUMBERS 30

static void
answer_error (SoupServerMessage *message,
              guint              status,
              const char        *code,
              const char        *text)
{
  g_autofree char *json = NULL;

  json = g_strdup_printf ("{\"transactionId\":\"0b9c5a8e-fake-4c1d-9e0a-5d2f7c3b1a60\","
                          "\"errors\":[{\"code\":\"%s\",\"message\":\"%s\"}]}",
                          code, text);
  fake_answer (message, status, json);
}

/* The member if it is an object, else NULL, without json-glib's criticals. */
static JsonObject *
object_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* Whether the body is {"trackingInfo":[{"trackingNumberInfo":
 * {"trackingNumber":"…"}}, …]} with 1 to 30 numbers. */
static gboolean
check_track_body (SoupServerMessage *message)
{
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (message));
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonNode *items_node;
  JsonArray *items;
  gsize length;
  const char *data = g_bytes_get_data (body, &length);

  if (length == 0 || !json_parser_load_from_data (parser, data, (gssize) length, NULL))
    return FALSE;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;

  items_node = json_object_get_member (json_node_get_object (root), "trackingInfo");
  if (items_node == NULL || !JSON_NODE_HOLDS_ARRAY (items_node))
    return FALSE;
  items = json_node_get_array (items_node);
  if (json_array_get_length (items) == 0 ||
      json_array_get_length (items) > MAX_NUMBERS)
    return FALSE;

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *item = json_array_get_element (items, i);
      JsonObject *info;
      JsonNode *number;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        return FALSE;
      info = object_member (json_node_get_object (item), "trackingNumberInfo");
      number = info != NULL ? json_object_get_member (info, "trackingNumber") : NULL;
      if (number == NULL || !JSON_NODE_HOLDS_VALUE (number) ||
          json_node_get_value_type (number) != G_TYPE_STRING ||
          *json_node_get_string (number) == '\0')
        return FALSE;
    }

  return TRUE;
}

static gboolean
fedex_check_auth (FakeCarrierServer    *server,
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
          answer_error (message, SOUP_STATUS_BAD_REQUEST, "BAD.REQUEST.ERROR",
                        "The given client credentials were not valid. Please modify your request and try again.");
          return FALSE;
        }
      if (g_strcmp0 (g_hash_table_lookup (form, "client_id"), api->client_id) != 0 ||
          g_strcmp0 (g_hash_table_lookup (form, "client_secret"), api->client_secret) != 0)
        {
          answer_error (message, SOUP_STATUS_UNAUTHORIZED, "NOT.AUTHORIZED.ERROR",
                        "The given client credentials were not valid. Please modify your request and try again.");
          return FALSE;
        }
      return TRUE;
    }

  if (!fake_carrier_server_check_bearer (server, api->id, message))
    {
      answer_error (message, SOUP_STATUS_UNAUTHORIZED, "NOT.AUTHORIZED.ERROR",
                    "Access token expired. Please modify your request and try again.");
      return FALSE;
    }

  if (g_strcmp0 (soup_server_message_get_method (message), "POST") != 0 ||
      g_strcmp0 (soup_message_headers_get_content_type (headers, NULL), "application/json") != 0 ||
      !check_track_body (message))
    {
      answer_error (message, SOUP_STATUS_BAD_REQUEST, "TRACKING.TRACKINGNUMBER.EMPTY",
                    "Please provide tracking number.");
      return FALSE;
    }

  return TRUE;
}

static gboolean
fedex_handle_default (FakeCarrierServer    *server,
                      const FakeCarrierApi *api,
                      SoupServerMessage    *message,
                      const char           *path)
{
  if (!g_str_equal (path, TOKEN_PATH))
    return FALSE;

  fake_carrier_server_serve_token (server, api->id, message);
  return TRUE;
}

const FakeCarrierApi fake_carrier_api_fedex = {
  .id = "fedex",
  .paths = (const char * const []) { TOKEN_PATH, TRACK_PATH, NULL },
  .client_id = FAKE_FEDEX_CLIENT_ID,
  .client_secret = FAKE_FEDEX_CLIENT_SECRET,
  .check_auth = fedex_check_auth,
  .handle_default = fedex_handle_default,
};
