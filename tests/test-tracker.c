/* test-tracker.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The machinery every tracker shares: batching, errors, HTTP details,
 * safe JSON, times and text, TLS, and the registry.
 */

#include "config.h"

#include <gio/gio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "carriers/waybill-tracker-17track.h"
#include "carriers/waybill-tracker-aftership.h"
#include "carriers/waybill-tracker-dhl.h"
#include "carriers/waybill-tracker-private.h"
#include "carriers/waybill-tracker-registry.h"
#include "fake-carrier-server.h"

/* ---- A tracker that answers without a network ----------------------------- */

#define TEST_TYPE_TRACKER (test_tracker_get_type ())
G_DECLARE_FINAL_TYPE (TestTracker, test_tracker, TEST, TRACKER, WaybillTracker)

struct _TestTracker
{
  WaybillTracker  parent_instance;

  /* Each batch asked, as "a,b" */
  GPtrArray      *batches;
};

G_DEFINE_FINAL_TYPE (TestTracker, test_tracker, WAYBILL_TYPE_TRACKER)

/* "deny…" fails the whole request with auth, "slow…" with rate_limited,
 * "gone…" is not found, anything else is in transit. */
static void
test_tracker_track_async (WaybillTracker      *tracker,
                          const char * const  *numbers,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  TestTracker *self = TEST_TRACKER (tracker);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  GPtrArray *replies = NULL;

  g_assert_cmpuint (g_strv_length ((char **) numbers), <=, waybill_tracker_get_batch_size (tracker));
  g_ptr_array_add (self->batches, g_strjoinv (",", (char **) numbers));

  for (guint i = 0; numbers[i] != NULL && replies == NULL; i++)
    {
      if (g_str_has_prefix (numbers[i], "deny"))
        {
          g_autoptr(GError) error = waybill_tracker_error_new (tracker, WAYBILL_TRACKER_ERROR_AUTH,
                                                               NULL);

          replies = waybill_tracking_replies_new_failed (numbers, error, 0);
        }
      else if (g_str_has_prefix (numbers[i], "slow"))
        {
          g_autoptr(GError) error = waybill_tracker_error_new_rate_limited (tracker, 42);

          replies = waybill_tracking_replies_new_failed (numbers, error, 42);
        }
    }

  if (replies == NULL)
    {
      replies = waybill_tracking_replies_new ();
      for (guint i = 0; numbers[i] != NULL; i++)
        {
          if (g_str_has_prefix (numbers[i], "gone"))
            {
              g_autoptr(GError) error = waybill_tracker_error_new_not_found (tracker, numbers[i]);

              g_ptr_array_add (replies, waybill_tracking_reply_new_error (numbers[i], error, 0));
            }
          else
            g_ptr_array_add (replies,
                             waybill_tracking_reply_new_result (numbers[i],
                                                                waybill_tracking_result_new (WAYBILL_STATUS_IN_TRANSIT)));
        }
    }

  g_task_return_pointer (task, replies, (GDestroyNotify) g_ptr_array_unref);
}

static GPtrArray *
test_tracker_track_finish (WaybillTracker  *tracker,
                           GAsyncResult    *result,
                           GError         **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_tracker_finalize (GObject *object)
{
  TestTracker *self = TEST_TRACKER (object);

  g_ptr_array_unref (self->batches);

  G_OBJECT_CLASS (test_tracker_parent_class)->finalize (object);
}

static void
test_tracker_class_init (TestTrackerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  WaybillTrackerClass *tracker_class = WAYBILL_TRACKER_CLASS (klass);

  object_class->finalize = test_tracker_finalize;

  tracker_class->id = "test";
  tracker_class->name = "Test";
  tracker_class->default_url = "https://test.invalid";
  tracker_class->batch_size = 2;
  tracker_class->requests_per_second = 5.0;
  tracker_class->auth = WAYBILL_TRACKER_AUTH_API_KEY;
  tracker_class->track_async = test_tracker_track_async;
  tracker_class->track_finish = test_tracker_track_finish;
}

static void
test_tracker_init (TestTracker *self)
{
  self->batches = g_ptr_array_new_with_free_func (g_free);
}

static TestTracker *
test_tracker_new (void)
{
  g_autoptr(WaybillCredentials) credentials = waybill_credentials_new ("key", NULL, NULL);

  return g_object_new (TEST_TYPE_TRACKER, "credentials", credentials, NULL);
}

/* ---- Batching ---------------------------------------------------------------- */

static void
test_batches (void)
{
  const char *numbers[] = { "a", "gone-b", "c", "d", "e", NULL };
  g_autoptr(TestTracker) tracker = test_tracker_new ();
  g_autoptr(GPtrArray) replies = NULL;
  g_autoptr(GError) error = NULL;
  WaybillTrackingReply *reply;

  replies = fake_track (WAYBILL_TRACKER (tracker), numbers, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (tracker->batches->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (tracker->batches, 0), ==, "a,gone-b");
  g_assert_cmpstr (g_ptr_array_index (tracker->batches, 1), ==, "c,d");
  g_assert_cmpstr (g_ptr_array_index (tracker->batches, 2), ==, "e");

  reply = g_ptr_array_index (replies, 0);
  g_assert_nonnull (reply->result);
  reply = g_ptr_array_index (replies, 1);
  fake_assert_error (reply, WAYBILL_TRACKER_ERROR_NOT_FOUND);
  g_assert_cmpstr (reply->error->message, ==, "Test does not know tracking number gone-b");
}

static void
test_stop_after_auth (void)
{
  const char *numbers[] = { "a", "b", "deny-c", "d", "e", "f", NULL };
  g_autoptr(TestTracker) tracker = test_tracker_new ();
  g_autoptr(GPtrArray) replies = NULL;
  g_autoptr(GError) error = NULL;

  replies = fake_track (WAYBILL_TRACKER (tracker), numbers, &error);
  g_assert_no_error (error);

  /* The rest are not asked: the answer would be the same. */
  g_assert_cmpuint (tracker->batches->len, ==, 2);
  g_assert_nonnull (((WaybillTrackingReply *) g_ptr_array_index (replies, 1))->result);
  for (guint i = 2; i < replies->len; i++)
    fake_assert_error (g_ptr_array_index (replies, i), WAYBILL_TRACKER_ERROR_AUTH);
}

static void
test_stop_after_rate_limit (void)
{
  const char *numbers[] = { "slow-a", "b", "c", NULL };
  g_autoptr(TestTracker) tracker = test_tracker_new ();
  g_autoptr(GPtrArray) replies = NULL;
  g_autoptr(GError) error = NULL;

  replies = fake_track (WAYBILL_TRACKER (tracker), numbers, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tracker->batches->len, ==, 1);
  for (guint i = 0; i < replies->len; i++)
    {
      WaybillTrackingReply *reply = g_ptr_array_index (replies, i);

      fake_assert_error (reply, WAYBILL_TRACKER_ERROR_RATE_LIMITED);
      g_assert_cmpuint (reply->retry_after_seconds, ==, 42);
      g_assert_cmpstr (reply->error->message, ==,
                       "Test asked Waybill to slow down; try again in 42 seconds");
    }
}

static void
test_not_configured (void)
{
  const char *numbers[] = { "a", "b", "c", NULL };
  g_autoptr(TestTracker) tracker = test_tracker_new ();
  g_autoptr(GPtrArray) replies = NULL;
  g_autoptr(GError) error = NULL;

  waybill_tracker_set_credentials (WAYBILL_TRACKER (tracker), NULL);
  replies = fake_track (WAYBILL_TRACKER (tracker), numbers, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tracker->batches->len, ==, 0);
  for (guint i = 0; i < replies->len; i++)
    fake_assert_error (g_ptr_array_index (replies, i), WAYBILL_TRACKER_ERROR_NOT_CONFIGURED);
}

static void
test_empty (void)
{
  const char *numbers[] = { NULL };
  g_autoptr(TestTracker) tracker = test_tracker_new ();
  g_autoptr(GPtrArray) replies = NULL;
  g_autoptr(GError) error = NULL;

  replies = fake_track (WAYBILL_TRACKER (tracker), numbers, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (replies->len, ==, 0);
  g_assert_cmpuint (tracker->batches->len, ==, 0);
}

/* ---- Errors and replies -------------------------------------------------------- */

static void
test_error_kinds (void)
{
  static const char * const kinds[] = {
    "auth", "not_found", "rate_limited", "unavailable", "bad_response", "network",
    "not_configured",
  };
  g_autoptr(TestTracker) tracker = test_tracker_new ();
  g_autoptr(GError) other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "x");
  g_autoptr(GError) unknown = g_error_new_literal (WAYBILL_TRACKER_ERROR, 99, "x");

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autoptr(GError) error = waybill_tracker_error_new (WAYBILL_TRACKER (tracker), i, "detail");

      g_assert_error (error, WAYBILL_TRACKER_ERROR, (int) i);
      g_assert_cmpstr (waybill_tracker_error_kind (error), ==, kinds[i]);
      g_assert_nonnull (strstr (error->message, "Test"));
    }

  g_assert_null (waybill_tracker_error_kind (NULL));
  g_assert_null (waybill_tracker_error_kind (other));
  g_assert_null (waybill_tracker_error_kind (unknown));
}

static void
test_http_errors (void)
{
  static const struct
  {
    guint status;
    int   code;
  } cases[] = {
    { 401, WAYBILL_TRACKER_ERROR_AUTH },
    { 403, WAYBILL_TRACKER_ERROR_AUTH },
    { 429, WAYBILL_TRACKER_ERROR_RATE_LIMITED },
    { 500, WAYBILL_TRACKER_ERROR_UNAVAILABLE },
    { 502, WAYBILL_TRACKER_ERROR_UNAVAILABLE },
    { 503, WAYBILL_TRACKER_ERROR_UNAVAILABLE },
    { 504, WAYBILL_TRACKER_ERROR_UNAVAILABLE },
    { 400, WAYBILL_TRACKER_ERROR_BAD_RESPONSE },
    { 302, WAYBILL_TRACKER_ERROR_BAD_RESPONSE },
  };
  g_autoptr(TestTracker) tracker = test_tracker_new ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(WaybillHttpResponse) response = waybill_http_response_new (cases[i].status, NULL,
                                                                           NULL);
      g_autoptr(GError) error = NULL;

      g_assert_false (waybill_tracker_check_status (WAYBILL_TRACKER (tracker), response, &error));
      g_assert_error (error, WAYBILL_TRACKER_ERROR, cases[i].code);
    }
}

static void
test_reply (void)
{
  g_autoptr(WaybillTrackingReply) result = NULL;
  g_autoptr(WaybillTrackingReply) failed = NULL;
  g_autoptr(WaybillTrackingReply) copy = NULL;
  g_autoptr(GError) error = g_error_new_literal (WAYBILL_TRACKER_ERROR,
                                                 WAYBILL_TRACKER_ERROR_UNAVAILABLE, "down");

  result = waybill_tracking_reply_new_result ("N1", waybill_tracking_result_new (WAYBILL_STATUS_DELIVERED));
  copy = g_boxed_copy (WAYBILL_TYPE_TRACKING_REPLY, result);
  g_assert_cmpstr (copy->number, ==, "N1");
  g_assert_cmpint (copy->result->status, ==, WAYBILL_STATUS_DELIVERED);
  g_assert_null (copy->error);

  failed = waybill_tracking_reply_new_error ("N2", error, 60);
  g_assert_null (failed->result);
  g_assert_error (failed->error, WAYBILL_TRACKER_ERROR, WAYBILL_TRACKER_ERROR_UNAVAILABLE);
  g_assert_true (failed->error != error);
  g_assert_cmpuint (failed->retry_after_seconds, ==, 60);
}

/* ---- HTTP details ----------------------------------------------------------------- */

static guint
retry_after (const char *name,
             const char *value,
             GDateTime  *now)
{
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);

  if (name != NULL)
    soup_message_headers_append (headers, name, value);

  return waybill_http_parse_retry_after (headers, now);
}

static void
test_retry_after (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2024, 5, 6, 12, 0, 0);
  g_autoptr(GDateTime) later = g_date_time_add_seconds (now, 125);
  g_autoptr(GDateTime) earlier = g_date_time_add_seconds (now, -30);
  g_autofree char *later_text = soup_date_time_to_string (later, SOUP_DATE_HTTP);
  g_autofree char *earlier_text = soup_date_time_to_string (earlier, SOUP_DATE_HTTP);
  g_autofree char *epoch = g_strdup_printf ("%" G_GINT64_FORMAT, g_date_time_to_unix (now) + 77);

  g_assert_cmpuint (retry_after (NULL, NULL, now), ==, 0);
  g_assert_cmpuint (retry_after ("Retry-After", "120", now), ==, 120);
  g_assert_cmpuint (retry_after ("Retry-After", " 5 ", now), ==, 5);
  g_assert_cmpuint (retry_after ("Retry-After", later_text, now), ==, 125);
  g_assert_cmpuint (retry_after ("Retry-After", earlier_text, now), ==, 1);
  g_assert_cmpuint (retry_after ("Retry-After", "soon", now), ==, 0);
  g_assert_cmpuint (retry_after ("Retry-After", "-5", now), ==, 0);
  g_assert_cmpuint (retry_after ("Retry-After", "99999999", now), ==, WAYBILL_TRACKER_MAX_RETRY_AFTER);
  g_assert_cmpuint (retry_after ("RateLimit-Reset", "17", now), ==, 17);
  g_assert_cmpuint (retry_after ("X-RateLimit-Reset", epoch, now), ==, 77);
  g_assert_cmpuint (retry_after ("RateLimit", "limit=10, remaining=0, reset=33", now), ==, 33);
  g_assert_cmpuint (retry_after ("RateLimit", "limit=10", now), ==, 0);

  /* Only with statuses that mean "wait". */
  {
    g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
    g_autoptr(WaybillHttpResponse) ok = NULL;
    g_autoptr(WaybillHttpResponse) limited = NULL;

    soup_message_headers_append (headers, "Retry-After", "3");
    ok = waybill_http_response_new (200, headers, NULL);
    limited = waybill_http_response_new (429, headers, NULL);
    g_assert_cmpuint (ok->retry_after_seconds, ==, 0);
    g_assert_cmpuint (limited->retry_after_seconds, ==, 3);
    g_assert_cmpuint (g_bytes_get_size (ok->body), ==, 0);
  }
}

static void
test_json (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  gint64 number = -1;
  double real = 0;

  json_parser_load_from_data (parser,
                              "{\"s\":\"text\",\"n\":42,\"f\":2.5,\"ns\":\"14399\",\"fs\":\"1.5e3\","
                              "\"bad\":\"12abc\",\"b\":true,\"bs\":\"true\",\"nul\":null,"
                              "\"o\":{\"p\":{\"q\":\"deep\"}},\"a\":[1,\"two\",{\"x\":1}],"
                              "\"huge\":1e300}",
                              -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));

  g_assert_cmpstr (waybill_json_get_string (root, "s"), ==, "text");
  g_assert_null (waybill_json_get_string (root, "n"));
  g_assert_null (waybill_json_get_string (root, "nul"));
  g_assert_null (waybill_json_get_string (root, "o"));
  g_assert_null (waybill_json_get_string (root, "missing"));
  g_assert_null (waybill_json_get_string (NULL, "s"));

  g_assert_true (waybill_json_get_int (root, "n", &number));
  g_assert_cmpint (number, ==, 42);
  g_assert_true (waybill_json_get_int (root, "ns", &number));
  g_assert_cmpint (number, ==, 14399);
  g_assert_true (waybill_json_get_int (root, "f", &number));
  g_assert_cmpint (number, ==, 2);
  g_assert_true (waybill_json_get_int (root, "fs", &number));
  g_assert_cmpint (number, ==, 1500);
  g_assert_false (waybill_json_get_int (root, "bad", &number));
  g_assert_false (waybill_json_get_int (root, "huge", &number));
  g_assert_false (waybill_json_get_int (root, "o", &number));
  g_assert_false (waybill_json_get_int (root, "nul", &number));
  g_assert_true (waybill_json_get_double (root, "f", &real));
  g_assert_cmpfloat (real, ==, 2.5);

  g_assert_true (waybill_json_get_bool (root, "b"));
  g_assert_true (waybill_json_get_bool (root, "bs"));
  g_assert_false (waybill_json_get_bool (root, "s"));
  g_assert_false (waybill_json_get_bool (root, "o"));

  g_assert_nonnull (waybill_json_get_object (root, "o"));
  g_assert_null (waybill_json_get_object (root, "a"));
  g_assert_null (waybill_json_get_array (root, "o"));
  g_assert_cmpstr (waybill_json_lookup_string (root, "o", "p", "q", NULL), ==, "deep");
  g_assert_null (waybill_json_lookup_string (root, "o", "x", "q", NULL));
  g_assert_null (waybill_json_lookup_string (root, "s", "p", NULL));
  g_assert_nonnull (waybill_json_lookup_object (root, "o", "p", NULL));

  g_assert_cmpuint (waybill_json_array_length (waybill_json_get_array (root, "a")), ==, 3);
  g_assert_cmpuint (waybill_json_array_length (NULL), ==, 0);
  g_assert_null (waybill_json_array_get_object (waybill_json_get_array (root, "a"), 0));
  g_assert_nonnull (waybill_json_array_get_object (waybill_json_get_array (root, "a"), 2));
  g_assert_null (waybill_json_array_get_object (waybill_json_get_array (root, "a"), 3));
  g_assert_cmpstr (waybill_json_array_get_string (waybill_json_get_array (root, "a"), 1), ==, "two");
  g_assert_null (waybill_json_array_get_string (waybill_json_get_array (root, "a"), 0));
}

static void
test_iso8601 (void)
{
  static const struct
  {
    const char *text;
    const char *expected;   /* NULL: not a time */
    gboolean    is_local;
  } cases[] = {
    { "2024-03-13T13:41:00", "2024-03-13 13:41:00", TRUE },
    { "2024-03-13 13:41", "2024-03-13 13:41:00", TRUE },
    { "2024-03-13T13:41:00Z", "2024-03-13 13:41:00 +0000", FALSE },
    { "2024-03-13T13:41:00+02:00", "2024-03-13 13:41:00 +0200", FALSE },
    { "2024-03-13T13:41:00.250-05:00", "2024-03-13 13:41:00 -0500", FALSE },
    { " 2024-03-13 ", "2024-03-13 00:00:00", TRUE },
    { "2024-02-30", NULL, FALSE },
    { "13.03.2024", NULL, FALSE },
    { "yesterday", NULL, FALSE },
    { "", NULL, FALSE },
    { NULL, NULL, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gboolean is_local = !cases[i].is_local;
      g_autoptr(GDateTime) time = waybill_parse_iso8601 (cases[i].text, &is_local);
      g_autofree char *text = NULL;

      if (cases[i].expected == NULL)
        {
          g_assert_null (time);
          continue;
        }

      g_assert_nonnull (time);
      text = g_date_time_format (time, is_local ? "%Y-%m-%d %H:%M:%S" : "%Y-%m-%d %H:%M:%S %z");
      g_assert_cmpstr (text, ==, cases[i].expected);
      g_assert_cmpint (is_local, ==, cases[i].is_local);
    }

  g_assert_null (waybill_date_time_new_local (2024, 13, 1, 0, 0, 0));
  g_assert_null (waybill_date_time_new_local (2024, 1, 1, 24, 0, 0));
}

static void
test_text (void)
{
  static const char * const words[] = { "zustellung", "ready for pickup", NULL };
  g_autoptr(GString) location = g_string_new (NULL);
  g_autofree char *folded = waybill_text_fold ("In ZUSTELLUNG – heute");
  g_autofree char *clean = waybill_text_clean ("  DELIVERED \n  to   FRONT door ");
  g_autofree char *empty = waybill_text_clean (" \t ");
  g_autofree char *invalid = waybill_text_clean ("bad \xff byte");

  g_assert_true (waybill_text_has_any (folded, words));
  g_assert_false (waybill_text_has_any ("", words));
  g_assert_cmpstr (clean, ==, "DELIVERED to FRONT door");
  g_assert_null (empty);
  g_assert_true (g_utf8_validate (invalid, -1, NULL));

  waybill_location_append (location, "PARAMUS");
  waybill_location_append (location, " NJ ");
  waybill_location_append (location, NULL);
  waybill_location_append (location, "");
  waybill_location_append (location, "US");
  waybill_location_append (location, "us");
  g_assert_cmpstr (location->str, ==, "PARAMUS, NJ, US");
}

static void
test_env (void)
{
  g_autofree char *url = waybill_credentials_env_name ("17track", "URL");
  g_autofree char *key = waybill_credentials_env_name ("aftership", "API_KEY");
  g_autoptr(TestTracker) from_env = NULL;
  g_autoptr(TestTracker) explicit = NULL;

  g_assert_cmpstr (url, ==, "WAYBILL_17TRACK_URL");
  g_assert_cmpstr (key, ==, "WAYBILL_AFTERSHIP_API_KEY");

  g_setenv ("WAYBILL_TEST_URL", "http://127.0.0.1:9/", TRUE);
  from_env = g_object_new (TEST_TYPE_TRACKER, NULL);
  g_assert_cmpstr (waybill_tracker_get_base_url (WAYBILL_TRACKER (from_env)), ==,
                   "http://127.0.0.1:9");
  explicit = g_object_new (TEST_TYPE_TRACKER, "base-url", "http://127.0.0.1:10", NULL);
  g_assert_cmpstr (waybill_tracker_get_base_url (WAYBILL_TRACKER (explicit)), ==,
                   "http://127.0.0.1:10");
  waybill_tracker_set_base_url (WAYBILL_TRACKER (explicit), NULL);
  g_assert_cmpstr (waybill_tracker_get_base_url (WAYBILL_TRACKER (explicit)), ==,
                   "http://127.0.0.1:9");
  g_unsetenv ("WAYBILL_TEST_URL");
  waybill_tracker_set_base_url (WAYBILL_TRACKER (explicit), NULL);
  g_assert_cmpstr (waybill_tracker_get_base_url (WAYBILL_TRACKER (explicit)), ==,
                   "https://test.invalid");

  g_setenv ("WAYBILL_TEST_API_KEY", "from-env", TRUE);
  g_clear_object (&from_env);
  from_env = g_object_new (TEST_TYPE_TRACKER, NULL);
  g_assert_true (waybill_tracker_is_configured (WAYBILL_TRACKER (from_env)));
  g_assert_cmpstr (waybill_tracker_get_credentials (WAYBILL_TRACKER (from_env))->api_key, ==,
                   "from-env");
  g_unsetenv ("WAYBILL_TEST_API_KEY");
}

/* https origins are verified: a self-signed certificate is refused.
 *
 * In a child process that leaves with _exit(): at exit, LeakSanitizer
 * crashes while scanning the thread-local storage of glib-networking's
 * dlopen()ed TLS module, and this child has nothing else to check. */
static void
test_tls_verified (void)
{
  g_autofree char *pem = g_build_filename (TEST_SRCDIR, "data", "carriers", "tls",
                                           "self-signed.pem", NULL);
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(WaybillTracker) tracker = NULL;
  g_autoptr(WaybillTrackingReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  GSList *uris;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 20 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      g_test_trap_assert_stdout ("*certificate refused*");
      return;
    }

  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_print ("No TLS backend: certificate refused (skipped)\n");
      _exit (0);
    }

  certificate = g_tls_certificate_new_from_file (pem, &error);
  g_assert_no_error (error);
  server = soup_server_new ("tls-certificate", certificate, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY | SOUP_SERVER_LISTEN_HTTPS,
                            &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_strdup_printf ("https://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_setenv ("WAYBILL_DHL_API_KEY", "key", TRUE);
  tracker = waybill_tracker_dhl_new (NULL);
  waybill_tracker_set_base_url (tracker, url);
  reply = fake_track_one (tracker, "00340434161094042557");
  fake_assert_error (reply, WAYBILL_TRACKER_ERROR_NETWORK);
  g_assert_nonnull (strstr (reply->error->message, "certificate"));

  g_clear_object (&tracker);
  soup_server_disconnect (server);
  g_print ("certificate refused\n");
  fflush (stdout);
  _exit (0);
}

/* ---- Registry ------------------------------------------------------------------- */

static void
clear_env (const char *api_id)
{
  static const char * const suffixes[] = { "URL", "API_KEY", "CLIENT_ID", "CLIENT_SECRET" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *name = waybill_credentials_env_name (api_id, suffixes[i]);

      g_unsetenv (name);
    }
}

static void
test_registry (void)
{
  g_autoptr(FakeCarrierServer) server = fake_carrier_server_new ();
  g_autoptr(WaybillTrackerRegistry) registry = NULL;
  g_autoptr(GPtrArray) all = NULL;
  WaybillTracker *dhl, *ups;

  fake_carrier_server_setup_env (server);
  clear_env ("ups");
  clear_env ("aftership");
  clear_env ("17track");
  registry = waybill_tracker_registry_new (NULL);

  dhl = waybill_tracker_registry_get (registry, "dhl");
  ups = waybill_tracker_registry_get (registry, "ups");
  g_assert_true (WAYBILL_IS_TRACKER_DHL (dhl));
  g_assert_nonnull (ups);
  g_assert_null (waybill_tracker_registry_get (registry, "no-such-api"));
  g_assert_true (waybill_tracker_get_session (dhl) == waybill_tracker_registry_get_session (registry));
  g_assert_true (waybill_tracker_get_session (ups) == waybill_tracker_registry_get_session (registry));

  all = waybill_tracker_registry_list (registry);
  g_assert_cmpuint (all->len, >=, 2);
  for (guint i = 0; i < all->len; i++)
    {
      WaybillTracker *tracker = g_ptr_array_index (all, i);

      g_assert_true (waybill_tracker_registry_get (registry, waybill_tracker_get_id (tracker)) == tracker);
    }

  /* The carrier's own API when configured. */
  g_assert_true (waybill_tracker_registry_for_carrier (registry, "dhl-express") == dhl);
  g_assert_true (waybill_tracker_registry_for_carrier (registry, "dhl-parcel-de") == dhl);
  g_assert_true (waybill_tracker_registry_for_carrier (registry, "deutsche-post") == dhl);

  /* Not configured, and no aggregator configured: link-only. */
  g_assert_null (waybill_tracker_registry_for_carrier (registry, "ups"));
  g_assert_null (waybill_tracker_registry_for_carrier (registry, "dpd"));
  g_assert_null (waybill_tracker_registry_for_carrier (registry, "no-such-carrier"));

  {
    g_autoptr(WaybillCredentials) credentials = waybill_credentials_new (NULL, "id", "secret");

    waybill_tracker_set_credentials (ups, credentials);
    g_assert_true (waybill_tracker_registry_for_carrier (registry, "ups") == ups);
  }

  waybill_tracker_set_credentials (dhl, NULL);
  g_assert_null (waybill_tracker_registry_for_carrier (registry, "dhl-express"));
}

/* The aggregators answer for the carriers they cover when nothing better
 * is configured; a carrier's own API comes first. */
static void
test_registry_aggregators (void)
{
  g_autoptr(WaybillTrackerRegistry) registry = waybill_tracker_registry_new (NULL);
  g_autoptr(WaybillCredentials) key = waybill_credentials_new ("key", NULL, NULL);
  g_autoptr(WaybillCredentials) client = waybill_credentials_new (NULL, "id", "secret");
  g_autoptr(GPtrArray) all = waybill_tracker_registry_list (registry);
  WaybillTracker *aftership, *seventeen_track, *ups;

  /* Nothing configured, whatever the environment says. */
  for (guint i = 0; i < all->len; i++)
    waybill_tracker_set_credentials (g_ptr_array_index (all, i), NULL);

  aftership = waybill_tracker_registry_get (registry, "aftership");
  seventeen_track = waybill_tracker_registry_get (registry, "17track");
  ups = waybill_tracker_registry_get (registry, "ups");
  g_assert_true (WAYBILL_IS_TRACKER_AFTERSHIP (aftership));
  g_assert_true (WAYBILL_IS_TRACKER_17TRACK (seventeen_track));
  g_assert_nonnull (ups);
  g_assert_true (waybill_tracker_get_session (aftership) == waybill_tracker_registry_get_session (registry));
  g_assert_true (waybill_tracker_get_session (seventeen_track) == waybill_tracker_registry_get_session (registry));

  g_assert_null (waybill_tracker_registry_for_carrier (registry, "royal-mail"));
  g_assert_null (waybill_tracker_registry_for_carrier (registry, "ups"));
  g_assert_null (waybill_tracker_registry_for_carrier (registry, "dpd"));

  /* Only an aggregator: it answers for carriers with and without an API. */
  waybill_tracker_set_credentials (seventeen_track, key);
  g_assert_true (waybill_tracker_registry_for_carrier (registry, "royal-mail") == seventeen_track);
  g_assert_true (waybill_tracker_registry_for_carrier (registry, "ups") == seventeen_track);

  /* Both: AfterShip comes first in the carriers' lists. */
  waybill_tracker_set_credentials (aftership, key);
  g_assert_true (waybill_tracker_registry_for_carrier (registry, "royal-mail") == aftership);
  g_assert_true (waybill_tracker_registry_for_carrier (registry, "dpd") == aftership);
  g_assert_true (waybill_tracker_registry_for_carrier (registry, "ups") == aftership);

  /* The carrier's own API, once configured, wins. */
  waybill_tracker_set_credentials (ups, client);
  g_assert_true (waybill_tracker_registry_for_carrier (registry, "ups") == ups);
  g_assert_true (waybill_tracker_registry_for_carrier (registry, "royal-mail") == aftership);

  /* Without the aggregators, the carriers without an API are link-only. */
  waybill_tracker_set_credentials (aftership, NULL);
  waybill_tracker_set_credentials (seventeen_track, NULL);
  g_assert_null (waybill_tracker_registry_for_carrier (registry, "royal-mail"));
  g_assert_true (waybill_tracker_registry_for_carrier (registry, "ups") == ups);
}

static void
track_number_done_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* One number tracked ad hoc (the window's look-up): the carrier from the
 * number, the answer from the API that covers it, and the reasons a number
 * is not asked about, in words. */
static WaybillTrackingResult *
track_number (WaybillTrackerRegistry  *registry,
              const char              *input,
              const char              *carrier_id,
              char                   **out_number,
              const char             **out_carrier,
              const char             **out_service,
              GError                 **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  waybill_tracker_registry_track_number_async (registry, input, carrier_id, NULL,
                                               track_number_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return waybill_tracker_registry_track_number_finish (registry, result, out_number, out_carrier,
                                                       out_service, error);
}

static void
test_registry_track_number (void)
{
  g_autoptr(FakeCarrierServer) server = fake_carrier_server_new ();
  g_autoptr(WaybillTrackerRegistry) registry = NULL;
  g_autoptr(WaybillTrackingResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;
  const char *carrier = NULL;
  const char *service = NULL;

  fake_carrier_server_setup_env (server);
  clear_env ("aftership");
  clear_env ("17track");
  registry = waybill_tracker_registry_new (NULL);

  /* Typed with spaces and lower case: the UPS API is asked about the
   * number, and what it said comes back with the carrier. */
  fake_response_fixture (fake_carrier_server_queue (server, "/api/track/v1/details/1Z999AA10123456784", 200),
                         "ups/5-delivered.json");
  result = track_number (registry, "1z 999aa1 0123456784", NULL, &number, &carrier, &service, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpint (result->status, ==, WAYBILL_STATUS_DELIVERED);
  g_assert_cmpuint (result->events->len, >, 0);
  g_assert_cmpstr (number, ==, "1Z999AA10123456784");
  g_assert_cmpstr (carrier, ==, "ups");
  g_assert_cmpstr (service, ==, "UPS");
  g_clear_pointer (&result, waybill_tracking_result_free);

  /* The API does not know it. */
  fake_response_fixture (fake_carrier_server_queue (server, "/api/track/v1/details/1Z999AA10123456784", 200),
                         "ups/not-found-TW0001.json");
  result = track_number (registry, "1Z999AA10123456784", "ups", NULL, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, WAYBILL_TRACKER_ERROR, WAYBILL_TRACKER_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Not asked: a mistyped check digit, no known format, an unknown
   * carrier, a carrier no configured API covers. */
  result = track_number (registry, "1Z999AA10123456785", NULL, NULL, NULL, NULL, &error);
  g_assert_error (error, WAYBILL_TRACKER_ERROR, WAYBILL_TRACKER_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "check digit"));
  g_clear_error (&error);
  result = track_number (registry, "hello", NULL, NULL, NULL, NULL, &error);
  g_assert_error (error, WAYBILL_TRACKER_ERROR, WAYBILL_TRACKER_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "not a tracking number"));
  g_clear_error (&error);
  result = track_number (registry, "1Z999AA10123456784", "no-such-carrier", NULL, NULL, NULL, &error);
  g_assert_error (error, WAYBILL_TRACKER_ERROR, WAYBILL_TRACKER_ERROR_NOT_FOUND);
  g_clear_error (&error);
  result = track_number (registry, "1Z999AA10123456784", "dpd", NULL, NULL, NULL, &error);
  g_assert_error (error, WAYBILL_TRACKER_ERROR, WAYBILL_TRACKER_ERROR_NOT_CONFIGURED);
  g_assert_nonnull (strstr (error->message, "Preferences"));
  g_clear_error (&error);

  g_assert_cmpuint (fake_carrier_server_count (server, "/api/track/v1/details/"), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/waybill/tracker/batches", test_batches);
  g_test_add_func ("/waybill/tracker/stop-after-auth", test_stop_after_auth);
  g_test_add_func ("/waybill/tracker/stop-after-rate-limit", test_stop_after_rate_limit);
  g_test_add_func ("/waybill/tracker/not-configured", test_not_configured);
  g_test_add_func ("/waybill/tracker/empty", test_empty);
  g_test_add_func ("/waybill/tracker/error-kinds", test_error_kinds);
  g_test_add_func ("/waybill/tracker/http-errors", test_http_errors);
  g_test_add_func ("/waybill/tracker/reply", test_reply);
  g_test_add_func ("/waybill/tracker/retry-after", test_retry_after);
  g_test_add_func ("/waybill/tracker/json", test_json);
  g_test_add_func ("/waybill/tracker/iso8601", test_iso8601);
  g_test_add_func ("/waybill/tracker/text", test_text);
  g_test_add_func ("/waybill/tracker/env", test_env);
  g_test_add_func ("/waybill/tracker/tls-verified", test_tls_verified);
  g_test_add_func ("/waybill/tracker/registry", test_registry);
  g_test_add_func ("/waybill/tracker/registry-aggregators", test_registry_aggregators);
  g_test_add_func ("/waybill/tracker/registry-track-number", test_registry_track_number);

  return g_test_run ();
}
