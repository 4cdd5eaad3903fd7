/* fuzz-dhl.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target: any body as DHL's answer must give one reply, a
 * result or an error, without crashing or leaking.
 */

#include "config.h"

#include <stdint.h>

#include "carriers/waybill-tracker-dhl.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static WaybillTracker *tracker;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(WaybillTrackingReply) reply = NULL;

  if (tracker == NULL)
    tracker = waybill_tracker_dhl_new (NULL);

  body = g_bytes_new (data, size);
  reply = waybill_tracker_dhl_parse_response (WAYBILL_TRACKER_DHL (tracker),
                                              "00340434161094042557", 200, body);
  g_assert (reply != NULL);
  g_assert ((reply->result == NULL) != (reply->error == NULL));

  return 0;
}
