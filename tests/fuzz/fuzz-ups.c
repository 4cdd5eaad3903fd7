/* fuzz-ups.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target: any body as UPS's answer must give one reply, a
 * result or an error, without crashing or leaking.  The first byte picks
 * the HTTP status, so error bodies are read too.
 */

#include "config.h"

#include <stdint.h>

#include "carriers/waybill-tracker-ups.h"

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
  guint status = 200;

  if (tracker == NULL)
    tracker = waybill_tracker_ups_new (NULL);

  /* Seeds are plain JSON, whose first byte is "{": status 200. */
  if (size > 0 && data[0] != '{')
    {
      status = statuses[data[0] % G_N_ELEMENTS (statuses)];
      data++;
      size--;
    }

  body = g_bytes_new (data, size);
  reply = waybill_tracker_ups_parse_response (WAYBILL_TRACKER_UPS (tracker),
                                              "1Z999AA10123456784", status, body);
  g_assert (reply != NULL);
  g_assert ((reply->result == NULL) != (reply->error == NULL));

  return 0;
}
