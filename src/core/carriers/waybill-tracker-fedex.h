/* waybill-tracker-fedex.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "waybill-tracker.h"

G_BEGIN_DECLS

#define WAYBILL_TYPE_TRACKER_FEDEX (waybill_tracker_fedex_get_type ())

G_DECLARE_FINAL_TYPE (WaybillTrackerFedex, waybill_tracker_fedex, WAYBILL, TRACKER_FEDEX, WaybillTracker)

WaybillTracker *waybill_tracker_fedex_new            (SoupSession         *session);

/* For tests and fuzzers: reads one answer of POST /track/v1/trackingnumbers
 * that asked about @numbers; returns one WaybillTrackingReply per number. */
GPtrArray      *waybill_tracker_fedex_parse_response (WaybillTrackerFedex *self,
                                                      const char * const  *numbers,
                                                      guint                status,
                                                      GBytes              *body);

G_END_DECLS
