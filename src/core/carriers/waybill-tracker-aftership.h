/* waybill-tracker-aftership.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "waybill-tracker.h"

G_BEGIN_DECLS

#define WAYBILL_TYPE_TRACKER_AFTERSHIP (waybill_tracker_aftership_get_type ())

G_DECLARE_FINAL_TYPE (WaybillTrackerAftership, waybill_tracker_aftership, WAYBILL, TRACKER_AFTERSHIP, WaybillTracker)

WaybillTracker       *waybill_tracker_aftership_new              (SoupSession             *session);

/* AfterShip's courier slug for a Waybill carrier id, or NULL when AfterShip
 * is left to detect the courier. */
const char           *waybill_tracker_aftership_slug_for_carrier (const char              *carrier_id);

/* For tests and fuzzers: reads one answer of GET /trackings (a list), of
 * GET /trackings/{id} or of POST /trackings (one tracking), as the reply
 * about @number. */
WaybillTrackingReply *waybill_tracker_aftership_parse_response   (WaybillTrackerAftership *self,
                                                                  const char              *number,
                                                                  guint                    status,
                                                                  GBytes                  *body);

G_END_DECLS
