/* fuzz-usps.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target: any body as USPS's answer must give one reply, a
 * result or an error, without crashing or leaking; and any text must
 * decode as HTML to valid UTF-8.  The first byte picks the HTTP status, so
 * error bodies are read too.
 */

#include "config.h"

#include <stdint.h>

#include "carriers/waybill-tracker-usps.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const guint statuses[] = { 200, 200, 200, 200, 400, 401, 403, 404, 429, 500, 503 };
  static WaybillTracker *tracker;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(WaybillTrackingReply) reply = NULL;
  g_autofree char *text = NULL;
  g_autofree char *decoded = NULL;
  guint status = 200;

  if (tracker == NULL)
    tracker = waybill_tracker_usps_new (NULL);

  text = g_strndup ((const char *) data, size);
  decoded = waybill_tracker_usps_decode_html (text);
  g_assert (decoded == NULL || g_utf8_validate (decoded, -1, NULL));

  /* Seeds are plain JSON, whose first byte is "{": status 200. */
  if (size > 0 && data[0] != '{')
    {
      status = statuses[data[0] % G_N_ELEMENTS (statuses)];
      data++;
      size--;
    }

  body = g_bytes_new (data, size);
  reply = waybill_tracker_usps_parse_response (WAYBILL_TRACKER_USPS (tracker),
                                               "9400111899560012345678", status, body);
  g_assert (reply != NULL);
  g_assert ((reply->result == NULL) != (reply->error == NULL));

  return 0;
}
