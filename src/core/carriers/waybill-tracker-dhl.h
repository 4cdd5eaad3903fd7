/* waybill-tracker-dhl.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "waybill-tracker.h"

G_BEGIN_DECLS

#define WAYBILL_TYPE_TRACKER_DHL (waybill_tracker_dhl_get_type ())

G_DECLARE_FINAL_TYPE (WaybillTrackerDhl, waybill_tracker_dhl, WAYBILL, TRACKER_DHL, WaybillTracker)

WaybillTracker       *waybill_tracker_dhl_new            (SoupSession       *session);

/* For tests and fuzzers: reads one answer of GET /track/shipments. */
WaybillTrackingReply *waybill_tracker_dhl_parse_response (WaybillTrackerDhl *self,
                                                          const char        *number,
                                                          guint              status,
                                                          GBytes            *body);

G_END_DECLS
