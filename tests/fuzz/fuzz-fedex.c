/* fuzz-fedex.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target: any body as FedEx's answer about a batch of numbers
 * must give one reply per number, each a result or an error, without
 * crashing or leaking.  The first byte picks the HTTP status, so error
 * bodies are read too.
 */

#include "config.h"

#include <stdint.h>

#include "carriers/waybill-tracker-fedex.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const guint statuses[] = { 200, 200, 200, 200, 400, 401, 403, 404, 429, 500, 503 };
  /* Numbers of the seeds, so that their results are read in full. */
  static const char * const numbers[] = {
    "794612345671", "794623456782", "794600000000", "794634567893", NULL,
  };
  static WaybillTracker *tracker;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GPtrArray) replies = NULL;
  guint status = 200;

  if (tracker == NULL)
    tracker = waybill_tracker_fedex_new (NULL);

  /* Seeds are plain JSON, whose first byte is "{": status 200. */
  if (size > 0 && data[0] != '{')
    {
      status = statuses[data[0] % G_N_ELEMENTS (statuses)];
      data++;
      size--;
    }

  body = g_bytes_new (data, size);
  replies = waybill_tracker_fedex_parse_response (WAYBILL_TRACKER_FEDEX (tracker), numbers,
                                                  status, body);
  g_assert (replies != NULL);
  g_assert (replies->len == G_N_ELEMENTS (numbers) - 1);
  for (guint i = 0; i < replies->len; i++)
    {
      WaybillTrackingReply *reply = g_ptr_array_index (replies, i);

      g_assert ((reply->result == NULL) != (reply->error == NULL));
    }

  return 0;
}
