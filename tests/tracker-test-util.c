/* tracker-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "carriers/waybill-tracker-registry.h"
#include "tracker-test-util.h"

/* The registry holds the carrier's own tracker (of type), which answers for
 * the carrier while it is configured, and only then. */
void
tracker_check_registry (const char *carrier,
                        GType       type)
{
  g_autoptr(WaybillTrackerRegistry) registry = waybill_tracker_registry_new (NULL);
  WaybillTracker *tracker = waybill_tracker_registry_get (registry, carrier);

  g_assert_true (G_TYPE_CHECK_INSTANCE_TYPE (tracker, type));
  g_assert_true (waybill_tracker_registry_for_carrier (registry, carrier) == tracker);
  waybill_tracker_set_credentials (tracker, NULL);
  g_assert_false (waybill_tracker_registry_for_carrier (registry, carrier) == tracker);
}

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

/* A file under tests/data/carriers as a body to parse. */
GBytes *
tracker_fixture_bytes (const char *name)
{
  gsize length;
  char *json = fake_load_fixture (name, &length);

  return g_bytes_new_take (json, length);
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

/* The API at path takes the request and never answers: the tracker gives up
 * after timeout_ms (not much sooner, not much later) with a network error
 * that says so. The reply is the caller's. */
WaybillTrackingReply *
tracker_track_never_answered (TrackerFixture *f,
                              const char     *path,
                              guint           timeout_ms,
                              const char     *number)
{
  g_autofree char *expected = NULL;
  WaybillTrackingReply *reply;
  gint64 start;

  expected = g_strdup_printf ("Could not reach %s: no answer within %.1f seconds",
                              waybill_tracker_get_name (f->tracker), timeout_ms / 1000.0);
  waybill_tracker_set_timeout_ms (f->tracker, timeout_ms);
  fake_response_mode (fake_carrier_server_queue (f->server, path, 200), FAKE_RESPONSE_NEVER_ANSWER);
  start = g_get_monotonic_time ();
  reply = fake_track_one (f->tracker, number);
  fake_assert_error (reply, WAYBILL_TRACKER_ERROR_NETWORK);
  g_assert_cmpstr (waybill_tracker_error_kind (reply->error), ==, "network");
  g_assert_cmpstr (reply->error->message, ==, expected);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, (gint64) timeout_ms * 1000 - 50 * 1000);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 1500 * 1000);

  return reply;
}

/* The API at path answers with the fixture cut off half-way: a bad response
 * that says it was cut short. The reply is the caller's. */
WaybillTrackingReply *
tracker_track_truncated (TrackerFixture *f,
                         const char     *path,
                         const char     *fixture,
                         const char     *number)
{
  WaybillTrackingReply *reply;

  fake_response_mode (fake_response_fixture (fake_carrier_server_queue (f->server, path, 200), fixture),
                      FAKE_RESPONSE_TRUNCATED);
  reply = fake_track_one (f->tracker, number);
  fake_assert_error (reply, WAYBILL_TRACKER_ERROR_BAD_RESPONSE);
  g_assert_nonnull (strstr (reply->error->message, "cut short"));

  return reply;
}

/* The API at path answers with a web page (a proxy's or a login's) in place
 * of JSON: a bad response that says so. */
void
tracker_check_web_page (TrackerFixture *f,
                        const char     *path,
                        const char     *number,
                        const char     *html)
{
  g_autoptr(WaybillTrackingReply) reply = NULL;

  fake_response_body (fake_carrier_server_queue (f->server, path, 200), "text/html",
                      html, strlen (html));
  reply = fake_track_one (f->tracker, number);
  fake_assert_error (reply, WAYBILL_TRACKER_ERROR_BAD_RESPONSE);
  g_assert_cmpstr (waybill_tracker_error_kind (reply->error), ==, "bad_response");
  g_assert_nonnull (strstr (reply->error->message, "web page"));
}

/* Each of bodies, served as JSON by the API at path, is a bad response. */
void
tracker_check_bad_bodies (TrackerFixture     *f,
                          const char         *path,
                          const char         *number,
                          const char * const *bodies,
                          gsize               n_bodies)
{
  for (gsize i = 0; i < n_bodies; i++)
    {
      g_autoptr(WaybillTrackingReply) reply = NULL;

      fake_response_body (fake_carrier_server_queue (f->server, path, 200), "application/json",
                          bodies[i], strlen (bodies[i]));
      reply = fake_track_one (f->tracker, number);
      fake_assert_error (reply, WAYBILL_TRACKER_ERROR_BAD_RESPONSE);
    }
}

/* With credentials (NULL or some missing) the tracker is not set up: every
 * number is answered so, naming what is missing, and nothing is asked. */
void
tracker_check_not_configured (TrackerFixture     *f,
                              WaybillCredentials *credentials,
                              const char * const *numbers,
                              const char         *missing)
{
  const char *name = waybill_tracker_get_name (f->tracker);
  g_autofree char *expected = g_strdup_printf ("%s is not set up; add the %s %s in Preferences",
                                               name, name, missing);
  g_autoptr(GPtrArray) replies = NULL;
  g_autoptr(GError) error = NULL;

  waybill_tracker_set_credentials (f->tracker, credentials);
  g_assert_false (waybill_tracker_is_configured (f->tracker));

  replies = fake_track (f->tracker, numbers, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (replies->len, ==, g_strv_length ((char **) numbers));
  g_assert_cmpuint (fake_carrier_server_get_n_requests (f->server), ==, 0);
  for (guint i = 0; i < replies->len; i++)
    {
      WaybillTrackingReply *reply = g_ptr_array_index (replies, i);

      fake_assert_error (reply, WAYBILL_TRACKER_ERROR_NOT_CONFIGURED);
      g_assert_cmpstr (waybill_tracker_error_kind (reply->error), ==, "not_configured");
      g_assert_cmpstr (reply->error->message, ==, expected);
    }
}

/* The API at path is down behind a proxy: its error page (HTTP status),
 * with Retry-After unless retry_after_seconds is 0. The carrier is
 * unavailable, for that long. */
void
tracker_check_down_page (TrackerFixture *f,
                         const char     *path,
                         const char     *number,
                         guint           status,
                         const char     *html,
                         guint           retry_after_seconds)
{
  g_autoptr(WaybillTrackingReply) reply = NULL;
  g_autofree char *code = g_strdup_printf ("HTTP %u", status);
  FakeResponse *response = fake_carrier_server_queue (f->server, path, status);

  fake_response_body (response, "text/html", html, strlen (html));
  if (retry_after_seconds > 0)
    {
      g_autofree char *seconds = g_strdup_printf ("%u", retry_after_seconds);

      fake_response_header (response, "Retry-After", seconds);
    }
  reply = fake_track_one (f->tracker, number);
  fake_assert_error (reply, WAYBILL_TRACKER_ERROR_UNAVAILABLE);
  g_assert_cmpstr (waybill_tracker_error_kind (reply->error), ==, "unavailable");
  g_assert_nonnull (strstr (reply->error->message, code));
  g_assert_cmpuint (reply->retry_after_seconds, ==, retry_after_seconds);
}

/* Nothing listens where the tracker is pointed: a network error naming the
 * carrier. */
void
tracker_check_refused (TrackerFixture *f,
                       const char     *number)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", fake_closed_port ());
  g_autofree char *expected = NULL;
  g_autoptr(WaybillTrackingReply) reply = NULL;

  expected = g_strdup_printf ("Could not reach %s: the connection was refused",
                              waybill_tracker_get_name (f->tracker));
  waybill_tracker_set_base_url (f->tracker, url);
  reply = fake_track_one (f->tracker, number);
  fake_assert_error (reply, WAYBILL_TRACKER_ERROR_NETWORK);
  g_assert_cmpstr (reply->error->message, ==, expected);
}

/* Tracks numbers and cancels 0.1 seconds later, while the server holds a
 * request the caller queued unanswered: the whole call ends cancelled. */
void
tracker_check_cancelled (TrackerFixture     *f,
                         const char * const *numbers)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  waybill_tracker_track_async (f->tracker, numbers, cancellable,
                               fake_cancelled_cb, &error);
  g_timeout_add (100, fake_cancel_cb, cancellable);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Every reply says to slow down, for retry_after_seconds, and says how long. */
void
tracker_assert_all_rate_limited (GPtrArray *replies,
                                 guint      retry_after_seconds)
{
  g_autofree char *wait = g_strdup_printf ("%u seconds", retry_after_seconds);

  g_assert_cmpuint (replies->len, >, 0);
  for (guint i = 0; i < replies->len; i++)
    {
      WaybillTrackingReply *reply = g_ptr_array_index (replies, i);

      fake_assert_error (reply, WAYBILL_TRACKER_ERROR_RATE_LIMITED);
      g_assert_cmpuint (reply->retry_after_seconds, ==, retry_after_seconds);
      g_assert_nonnull (strstr (reply->error->message, wait));
    }
}

static void
queue_progress (TrackerFixture        *f,
                const TrackerOAuthApi *api)
{
  fake_response_fixture (fake_carrier_server_queue (f->server, api->number_path, 200),
                         api->in_transit);
  fake_response_fixture (fake_carrier_server_queue (f->server, api->number_path, 200),
                         api->out_for_delivery);
}

/* The carrier drops the token early: a 401, a new token, one retry, which
 * carries the new token. */
void
tracker_check_token_renewed (TrackerFixture        *f,
                             const TrackerOAuthApi *api)
{
  g_autoptr(WaybillTrackingReply) first = NULL;
  g_autoptr(WaybillTrackingReply) second = NULL;
  g_autofree char *bearer = g_strdup_printf ("Bearer %s-token-2", api->carrier);
  const FakeRequest *request;

  queue_progress (f, api);
  first = fake_track_one (f->tracker, api->number);
  g_assert_nonnull (first->result);

  fake_carrier_server_expire_tokens (f->server, api->carrier);
  second = fake_track_one (f->tracker, api->number);
  g_assert_nonnull (second->result);
  g_assert_cmpint (second->result->status, ==, WAYBILL_STATUS_OUT_FOR_DELIVERY);

  g_assert_cmpuint (fake_carrier_server_count (f->server, api->token_path), ==, 2);
  g_assert_cmpuint (fake_carrier_server_count (f->server, api->track_path), ==, 3);
  g_assert_false (fake_carrier_server_get_request (f->server, 2)->authorized);
  request = fake_carrier_server_get_last_request (f->server, api->track_path);
  g_assert_true (request->authorized);
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Authorization"), ==, bearer);
}

/* A token that lives 2 seconds (expires_in as the carrier writes it) is
 * renewed after 1, before the carrier would refuse it. */
void
tracker_check_token_expiry (TrackerFixture        *f,
                            const TrackerOAuthApi *api,
                            const char            *expires_in)
{
  g_autoptr(WaybillTrackingReply) first = NULL;
  g_autoptr(WaybillTrackingReply) second = NULL;
  gint64 fetched;

  fake_carrier_server_set_token_expires_in (f->server, api->carrier, expires_in);
  queue_progress (f, api);

  first = fake_track_one (f->tracker, api->number);
  fetched = g_get_monotonic_time () / G_USEC_PER_SEC;
  g_assert_nonnull (first->result);
  while (g_get_monotonic_time () / G_USEC_PER_SEC <= fetched)
    g_usleep (20 * 1000);

  second = fake_track_one (f->tracker, api->number);
  g_assert_nonnull (second->result);
  g_assert_cmpuint (fake_carrier_server_count (f->server, api->token_path), ==, 2);
  g_assert_cmpuint (fake_carrier_server_count (f->server, api->track_path), ==, 2);
  g_assert_true (fake_carrier_server_get_last_request (f->server, api->track_path)->authorized);
}

/* Valid tokens, refused all the same: renewed once, not forever. */
void
tracker_check_token_rejected_twice (TrackerFixture        *f,
                                    const TrackerOAuthApi *api)
{
  g_autoptr(WaybillTrackingReply) reply = NULL;

  fake_response_fixture (fake_carrier_server_queue (f->server, api->number_path, 401), api->rejected);
  fake_response_fixture (fake_carrier_server_queue (f->server, api->number_path, 401), api->rejected);
  reply = fake_track_one (f->tracker, api->number);
  fake_assert_error (reply, WAYBILL_TRACKER_ERROR_AUTH);
  g_assert_cmpuint (fake_carrier_server_count (f->server, api->token_path), ==, 2);
  g_assert_cmpuint (fake_carrier_server_count (f->server, api->track_path), ==, 2);
}
