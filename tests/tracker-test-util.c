/* tracker-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "tracker-test-util.h"

/* The fake server, running, with every carrier's URL and credentials in the
 * environment; no tracker yet (for a test that must set the server up
 * before the tracker reads the environment). */
void
tracker_fixture_start (TrackerFixture *f)
{
  f->server = fake_carrier_server_new ();
  fake_carrier_server_setup_env (f->server);
  f->tracker = NULL;
}

void
tracker_fixture_setup (TrackerFixture *f,
                       TrackerNewFunc  new_tracker)
{
  tracker_fixture_start (f);
  f->tracker = new_tracker (NULL);
}

/* The tracker must be gone (no reference leaked by a request in flight) and
 * the server must have been asked for nothing it had no answer queued for. */
void
tracker_fixture_teardown (TrackerFixture *f,
                          gconstpointer   data)
{
  g_assert_finalize_object (f->tracker);
  g_assert_cmpuint (fake_carrier_server_get_n_unexpected (f->server), ==, 0);
  fake_carrier_server_free (f->server);
}

WaybillTrackingEvent *
tracker_event_at (WaybillTrackingResult *result,
                  guint                  index)
{
  g_assert_cmpuint (index, <, result->events->len);

  return g_ptr_array_index (result->events, index);
}

static void
assert_formatted (GDateTime  *time,
                  const char *format,
                  const char *expected)
{
  g_autofree char *text = NULL;

  g_assert_nonnull (time);
  text = g_date_time_format (time, format);
  g_assert_cmpstr (text, ==, expected);
}

/* The time as the API wrote it: its wall clock and offset. */
void
tracker_assert_time (GDateTime  *time,
                     const char *expected)
{
  assert_formatted (time, "%Y-%m-%d %H:%M:%S %z", expected);
}

/* The wall clock only (for an API that gives no offset). */
void
tracker_assert_local_time (GDateTime  *time,
                           const char *expected)
{
  assert_formatted (time, "%Y-%m-%d %H:%M:%S", expected);
}

void
tracker_assert_newest_first (WaybillTrackingResult *result)
{
  for (guint i = 1; i < result->events->len; i++)
    g_assert_cmpint (g_date_time_compare (waybill_tracking_event_get_time (tracker_event_at (result, i - 1)),
                                          waybill_tracking_event_get_time (tracker_event_at (result, i))),
                     >=, 0);
}
