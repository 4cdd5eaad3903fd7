/* tracker-test-util.h
 *
 * What the six carrier-adapter tests (test-tracker-*.c) share: a fixture
 * holding the fake carrier server and one tracker pointed at it, and the
 * assertions on a tracking result every one of them makes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fake-carrier-server.h"

G_BEGIN_DECLS

/* A carrier's constructor, e.g. waybill_tracker_dhl_new. */
typedef WaybillTracker *(*TrackerNewFunc) (SoupSession *session);

typedef struct
{
  FakeCarrierServer *server;
  WaybillTracker    *tracker;
} TrackerFixture;

void                  tracker_fixture_start       (TrackerFixture *f);
void                  tracker_fixture_setup       (TrackerFixture *f,
                                                   TrackerNewFunc  new_tracker);
void                  tracker_fixture_teardown    (TrackerFixture *f,
                                                   gconstpointer   data);

WaybillTrackingEvent *tracker_event_at            (WaybillTrackingResult *result,
                                                   guint                  index);
void                  tracker_assert_time         (GDateTime             *time,
                                                   const char            *expected);
void                  tracker_assert_local_time   (GDateTime             *time,
                                                   const char            *expected);
void                  tracker_assert_newest_first (WaybillTrackingResult *result);

G_END_DECLS
