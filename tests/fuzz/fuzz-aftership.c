/* fuzz-aftership.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target: any body as AfterShip's answer (a list or one
 * tracking, with several statuses) must give one reply, a result or an error,
 * without crashing or leaking.
 */

#include "config.h"

#include <stdint.h>

#include "carriers/waybill-tracker-aftership.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const guint statuses[] = { 200, 201, 400, 404, 429, 503 };
  static WaybillTracker *tracker;
  g_autoptr(GBytes) body = NULL;

  if (tracker == NULL)
    {
      tracker = waybill_tracker_aftership_new (NULL);
      waybill_tracker_set_carrier_hint (tracker, "RR123456785GB", "royal-mail");
    }

  /* Every body as a success, and as one other status, chosen by its size
   * so that the seeds stay as they are. */
  body = g_bytes_new (data, size);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(WaybillTrackingReply) reply = NULL;
      guint status = i == 0 ? 200 : statuses[size % G_N_ELEMENTS (statuses)];

      reply = waybill_tracker_aftership_parse_response (WAYBILL_TRACKER_AFTERSHIP (tracker),
                                                        "RR123456785GB", status, body);
      g_assert (reply != NULL);
      g_assert ((reply->result == NULL) != (reply->error == NULL));
    }

  return 0;
}
