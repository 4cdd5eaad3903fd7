/* waybill-tracker-usps.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "waybill-tracker.h"

G_BEGIN_DECLS

#define WAYBILL_TYPE_TRACKER_USPS (waybill_tracker_usps_get_type ())

G_DECLARE_FINAL_TYPE (WaybillTrackerUsps, waybill_tracker_usps, WAYBILL, TRACKER_USPS, WaybillTracker)

WaybillTracker       *waybill_tracker_usps_new            (SoupSession        *session);

/* For tests and fuzzers: reads one answer of GET /tracking/v3/tracking/N. */
WaybillTrackingReply *waybill_tracker_usps_parse_response (WaybillTrackerUsps *self,
                                                           const char         *number,
                                                           guint               status,
                                                           GBytes             *body);

/* USPS text fields hold HTML: "Priority Mail<SUP>&#174;</SUP>".  Returns
 * the text with tags dropped and entities decoded (&#153; is ™, as in
 * Windows-1252), cleaned as waybill_text_clean() does; %NULL when empty. */
char                 *waybill_tracker_usps_decode_html    (const char         *text);

G_END_DECLS
