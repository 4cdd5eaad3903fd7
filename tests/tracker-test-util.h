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
GBytes               *tracker_fixture_bytes       (const char            *name);

/* The kinds of failure every carrier meets the same way; path is where the
 * carrier's API is asked (its own), number one it is asked about. */
WaybillTrackingReply *tracker_track_never_answered (TrackerFixture *f,
                                                    const char     *path,
                                                    guint           timeout_ms,
                                                    const char     *number);
WaybillTrackingReply *tracker_track_truncated      (TrackerFixture *f,
                                                    const char     *path,
                                                    const char     *fixture,
                                                    const char     *number);
void                  tracker_check_refused        (TrackerFixture *f,
                                                    const char     *number);
void                  tracker_check_web_page       (TrackerFixture *f,
                                                    const char     *path,
                                                    const char     *number,
                                                    const char     *html);
void                  tracker_check_bad_bodies     (TrackerFixture     *f,
                                                    const char         *path,
                                                    const char         *number,
                                                    const char * const *bodies,
                                                    gsize               n_bodies);
void                  tracker_check_not_configured (TrackerFixture     *f,
                                                    WaybillCredentials *credentials,
                                                    const char * const *numbers,
                                                    const char         *missing);
void                  tracker_check_down_page      (TrackerFixture *f,
                                                    const char     *path,
                                                    const char     *number,
                                                    guint           status,
                                                    const char     *html,
                                                    guint           retry_after_seconds);
void                  tracker_check_cancelled      (TrackerFixture     *f,
                                                    const char * const *numbers);
void                  tracker_assert_all_rate_limited (GPtrArray *replies,
                                                       guint      retry_after_seconds);

void                  tracker_check_registry       (const char *carrier,
                                                    GType       type);

/* A carrier whose API takes an OAuth token (UPS, FedEx, USPS). */
typedef struct
{
  const char *carrier;          /* its name on the fake server: "ups" */
  const char *token_path;
  const char *track_path;       /* every tracking request's path starts so */
  const char *number_path;      /* where the answers about number are queued */
  const char *number;
  const char *in_transit;       /* number's fixtures: in transit, */
  const char *out_for_delivery; /* then out for delivery */
  const char *rejected;         /* the API's body of a 401 */
} TrackerOAuthApi;

void                  tracker_check_token_renewed        (TrackerFixture        *f,
                                                          const TrackerOAuthApi *api);
void                  tracker_check_token_expiry         (TrackerFixture        *f,
                                                          const TrackerOAuthApi *api,
                                                          const char            *expires_in);
void                  tracker_check_token_rejected_twice (TrackerFixture        *f,
                                                          const TrackerOAuthApi *api);

G_END_DECLS
