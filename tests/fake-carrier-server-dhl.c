/* fake-carrier-server-dhl.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * DHL Shipment Tracking – Unified, as the fake server plays it: the key in
 * the DHL-API-Key header, and problem details when it is wrong.
 */

#include "config.h"

#include "fake-carrier-server.h"

static gboolean
dhl_check_auth (FakeCarrierServer    *server,
                const FakeCarrierApi *api,
                SoupServerMessage    *message,
                const char           *path)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (message);

  if (g_strcmp0 (soup_message_headers_get_one (headers, "DHL-API-Key"), api->api_key) == 0)
    return TRUE;

  fake_answer (message, SOUP_STATUS_UNAUTHORIZED,
               "{\"status\":401,\"title\":\"Unauthorized\","
               "\"detail\":\"Unauthorized for given resource.\"}");
  return FALSE;
}

const FakeCarrierApi fake_carrier_api_dhl = {
  .id = "dhl",
  .paths = (const char * const []) { "/track/shipments", NULL },
  .api_key = FAKE_DHL_API_KEY,
  .check_auth = dhl_check_auth,
};
