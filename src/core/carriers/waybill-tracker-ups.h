/* waybill-tracker-ups.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "waybill-tracker.h"

G_BEGIN_DECLS

#define WAYBILL_TYPE_TRACKER_UPS (waybill_tracker_ups_get_type ())

G_DECLARE_FINAL_TYPE (WaybillTrackerUps, waybill_tracker_ups, WAYBILL, TRACKER_UPS, WaybillTracker)

WaybillTracker       *waybill_tracker_ups_new            (SoupSession       *session);

/* For tests and fuzzers: reads one answer of GET /api/track/v1/details/N. */
WaybillTrackingReply *waybill_tracker_ups_parse_response (WaybillTrackerUps *self,
                                                          const char        *number,
                                                          guint              status,
                                                          GBytes            *body);

G_END_DECLS
