/* fuzz-17track.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target: any body as 17TRACK's answer to gettrackinfo must give
 * one reply per number, a result or an error, without crashing or
 * leaking.
 */

#include "config.h"

#include <stdint.h>

#include "carriers/waybill-tracker-17track.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const char * const numbers[] = {
    "1Z999AA10123456784", "RB123456785CN", "QX0000000001", NULL,
  };
  static WaybillTracker *tracker;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GPtrArray) replies = NULL;

  if (tracker == NULL)
    tracker = waybill_tracker_17track_new (NULL);

  body = g_bytes_new (data, size);
  replies = waybill_tracker_17track_parse_response (WAYBILL_TRACKER_17TRACK (tracker), numbers,
                                                    200, body);
  g_assert (replies != NULL);
  g_assert (replies->len == G_N_ELEMENTS (numbers) - 1);
  for (guint i = 0; i < replies->len; i++)
    {
      WaybillTrackingReply *reply = g_ptr_array_index (replies, i);

      g_assert (reply != NULL);
      g_assert ((reply->result == NULL) != (reply->error == NULL));
    }

  return 0;
}
