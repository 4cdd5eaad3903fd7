/* waybill-tracker-17track.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "waybill-tracker.h"

G_BEGIN_DECLS

#define WAYBILL_TYPE_TRACKER_17TRACK (waybill_tracker_17track_get_type ())

G_DECLARE_FINAL_TYPE (WaybillTracker17track, waybill_tracker_17track, WAYBILL, TRACKER_17TRACK, WaybillTracker)

WaybillTracker *waybill_tracker_17track_new                (SoupSession           *session);

/* 17TRACK's carrier code for a Waybill carrier id, or 0 when 17TRACK is
 * left to detect the carrier. */
guint           waybill_tracker_17track_code_for_carrier   (const char            *carrier_id);

/* For tests and fuzzers: reads one answer of POST /track/v2.2/gettrackinfo
 * about @numbers; a number still not registered is not_found. */
GPtrArray      *waybill_tracker_17track_parse_response     (WaybillTracker17track *self,
                                                            const char * const    *numbers,
                                                            guint                  status,
                                                            GBytes                *body);

G_END_DECLS
