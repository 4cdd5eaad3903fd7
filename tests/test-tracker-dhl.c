/* test-tracker-dhl.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "carriers/waybill-tracker-dhl.h"
#include "tracker-test-util.h"

#define PAKET "00340434161094042557"
#define EXPRESS "3941278806"
#define PATH "/track/shipments"

typedef TrackerFixture Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  tracker_fixture_setup (f, waybill_tracker_dhl_new);
}

static void
test_properties (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(WaybillTracker) production = NULL;
  g_autofree char *id = NULL;
  guint batch_size;
  double rps;

  g_object_get (f->tracker, "id", &id, "batch-size", &batch_size,
                "requests-per-second", &rps, NULL);
  g_assert_cmpstr (id, ==, "dhl");
  g_assert_cmpstr (waybill_tracker_get_name (f->tracker), ==, "DHL");
  g_assert_cmpuint (batch_size, ==, 1);
  g_assert_cmpfloat (rps, ==, 1.0);
  g_assert_cmpint (waybill_tracker_get_auth (f->tracker), ==, WAYBILL_TRACKER_AUTH_API_KEY);
  g_assert_cmpstr (waybill_tracker_get_base_url (f->tracker), ==,
                   fake_carrier_server_get_url (f->server));
  g_assert_cmpuint (waybill_tracker_get_timeout_ms (f->tracker), ==, 30000);
  g_assert_true (waybill_tracker_is_configured (f->tracker));

  waybill_tracker_set_base_url (f->tracker, "http://127.0.0.1:1234///");
  g_assert_cmpstr (waybill_tracker_get_base_url (f->tracker), ==, "http://127.0.0.1:1234");

  g_unsetenv ("WAYBILL_DHL_URL");
  g_unsetenv ("WAYBILL_DHL_API_KEY");
  production = waybill_tracker_dhl_new (NULL);
  g_assert_cmpstr (waybill_tracker_get_base_url (production), ==, "https://api-eu.dhl.com");
  g_assert_false (waybill_tracker_is_configured (production));
}

static void
test_lifecycle (Fixture       *f,
                gconstpointer  data)
{
  static const struct
  {
    const char    *fixture;
    WaybillStatus  status;
    guint          n_events;
    const char    *newest;
  } steps[] = {
    { "dhl/paket-1-label-created.json", WAYBILL_STATUS_INFO_RECEIVED, 1, "2024-03-11 18:02:00" },
    { "dhl/paket-2-picked-up.json", WAYBILL_STATUS_PICKED_UP, 2, "2024-03-12 08:37:00" },
    { "dhl/paket-3-in-transit.json", WAYBILL_STATUS_IN_TRANSIT, 4, "2024-03-13 04:48:00" },
    { "dhl/paket-4-out-for-delivery.json", WAYBILL_STATUS_OUT_FOR_DELIVERY, 5, "2024-03-13 09:05:00" },
    { "dhl/paket-5-delivered.json", WAYBILL_STATUS_DELIVERED, 6, "2024-03-13 13:41:00" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    fake_response_fixture (fake_carrier_server_queue (f->server, PATH, 200), steps[i].fixture);

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autoptr(WaybillTrackingReply) reply = fake_track_one (f->tracker, PAKET);
      WaybillTrackingResult *result = reply->result;
      const FakeRequest *request;

      g_assert_no_error (reply->error);
      g_assert_cmpint (result->status, ==, steps[i].status);
      g_assert_cmpuint (result->events->len, ==, steps[i].n_events);
      tracker_assert_newest_first (result);
      /* DHL Paket gives local times without an offset: kept as written. */
      g_assert_true (waybill_tracking_event_get_time_is_local (tracker_event_at (result, 0)));
      tracker_assert_local_time (waybill_tracking_event_get_time (tracker_event_at (result, 0)), steps[i].newest);
      g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, 0)), ==,
                       steps[i].status);

      request = fake_carrier_server_get_last_request (f->server, PATH);
      g_assert_cmpstr (request->method, ==, "GET");
      g_assert_cmpstr (request->query, ==, "trackingNumber=" PAKET);
      g_assert_cmpstr (soup_message_headers_get_one (request->headers, "DHL-API-Key"), ==,
                       FAKE_DHL_API_KEY);
      g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Accept"), ==,
                       "application/json");

      switch (steps[i].status)
        {
        case WAYBILL_STATUS_INFO_RECEIVED:
          g_assert_cmpstr (result->sub_status, ==,
                           "Die Auftragsdaten zu dieser Sendung wurden vom Absender elektronisch an DHL übermittelt.");
          g_assert_null (result->estimated_to);
          g_assert_null (waybill_tracking_event_get_location (tracker_event_at (result, 0)));
          break;

        case WAYBILL_STATUS_PICKED_UP:
          tracker_assert_local_time (result->estimated_from, "2024-03-13 00:00:00");
          tracker_assert_local_time (result->estimated_to, "2024-03-13 00:00:00");
          g_assert_cmpstr (waybill_tracking_event_get_location (tracker_event_at (result, 0)), ==,
                           "Bremen, DE");
          g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, 1)), ==,
                           WAYBILL_STATUS_INFO_RECEIVED);
          break;

        case WAYBILL_STATUS_OUT_FOR_DELIVERY:
          tracker_assert_local_time (result->estimated_from, "2024-03-13 10:00:00");
          tracker_assert_local_time (result->estimated_to, "2024-03-13 14:00:00");
          g_assert_null (result->delivered_at);
          break;

        case WAYBILL_STATUS_DELIVERED:
          tracker_assert_local_time (result->delivered_at, "2024-03-13 13:41:00");
          g_assert_null (result->estimated_to);
          g_assert_null (result->signed_by);
          g_assert_cmpstr (waybill_tracking_event_get_description (tracker_event_at (result, 0)), ==,
                           "Die Sendung wurde erfolgreich zugestellt.");
          g_assert_cmpstr (waybill_tracking_event_get_code (tracker_event_at (result, 0)), ==,
                           "delivered");
          g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, 1)), ==,
                           WAYBILL_STATUS_OUT_FOR_DELIVERY);
          g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, 4)), ==,
                           WAYBILL_STATUS_PICKED_UP);
          break;

        default:
          break;
        }
    }

  g_assert_cmpuint (fake_carrier_server_count (f->server, PATH), ==, G_N_ELEMENTS (steps));
}

static void
test_express (Fixture       *f,
              gconstpointer  data)
{
  static const WaybillStatus expected[] = {
    WAYBILL_STATUS_DELIVERED, WAYBILL_STATUS_OUT_FOR_DELIVERY, WAYBILL_STATUS_IN_TRANSIT,
    WAYBILL_STATUS_IN_TRANSIT, WAYBILL_STATUS_IN_TRANSIT, WAYBILL_STATUS_PICKED_UP,
    WAYBILL_STATUS_INFO_RECEIVED,
  };
  g_autoptr(WaybillTrackingReply) reply = NULL;
  g_autoptr(GDateTime) delivered = g_date_time_new_utc (2024, 4, 2, 12, 22, 0);
  WaybillTrackingResult *result;
  GDateTime *time;

  fake_response_fixture (fake_carrier_server_queue (f->server, PATH, 200),
                         "dhl/express-delivered.json");
  reply = fake_track_one (f->tracker, EXPRESS);
  result = reply->result;

  g_assert_nonnull (result);
  g_assert_cmpint (result->status, ==, WAYBILL_STATUS_DELIVERED);
  g_assert_cmpuint (result->events->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, i)), ==, expected[i]);
      g_assert_false (waybill_tracking_event_get_time_is_local (tracker_event_at (result, i)));
    }

  /* Times with an offset keep it. */
  time = waybill_tracking_event_get_time (tracker_event_at (result, 0));
  g_assert_true (g_date_time_equal (time, delivered));
  g_assert_cmpint (g_date_time_get_utc_offset (time), ==, 2 * G_TIME_SPAN_HOUR);
  g_assert_cmpint (g_date_time_get_utc_offset (waybill_tracking_event_get_time (tracker_event_at (result, 6))),
                   ==, G_TIME_SPAN_HOUR);

  g_assert_true (g_date_time_equal (result->delivered_at, delivered));
  g_assert_cmpstr (result->signed_by, ==, "M. SCHULZ");
  g_assert_cmpstr (result->sub_status, ==, "Delivered - Signed for by: M. SCHULZ");
  g_assert_cmpstr (waybill_tracking_event_get_location (tracker_event_at (result, 0)), ==,
                   "FRANKFURT AM MAIN - GERMANY, DE");
  g_assert_null (waybill_tracking_event_get_location (tracker_event_at (result, 6)));
  g_assert_cmpint (result->exception_reason, ==, WAYBILL_EXCEPTION_NONE);
}

/* Out for delivery, ready for pickup, attempts, returns and problems are
 * only in DHL's free text, in the language of the division. */
static void
test_free_text (Fixture       *f,
                gconstpointer  data)
{
  static const struct
  {
    const char             *code;
    const char             *text;
    gboolean                return_flag;
    WaybillStatus           status;
    WaybillExceptionReason  reason;
  } cases[] = {
    { "pre-transit", "The instruction data for this shipment have been provided by the sender to DHL electronically", FALSE, WAYBILL_STATUS_INFO_RECEIVED, 0 },
    { "transit", "Die Sendung wurde abgeholt.", FALSE, WAYBILL_STATUS_PICKED_UP, 0 },
    { "transit", "Die Sendung wurde vom Absender in die PACKSTATION eingeliefert.", FALSE, WAYBILL_STATUS_PICKED_UP, 0 },
    { "transit", "Processed at LEIPZIG - GERMANY", FALSE, WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "transit", "Out for delivery", FALSE, WAYBILL_STATUS_OUT_FOR_DELIVERY, 0 },
    { "transit", "With delivery courier", FALSE, WAYBILL_STATUS_OUT_FOR_DELIVERY, 0 },
    { "transit", "In Zustellung", FALSE, WAYBILL_STATUS_OUT_FOR_DELIVERY, 0 },
    { "transit", "Die Sendung wird voraussichtlich heute zugestellt.", FALSE, WAYBILL_STATUS_OUT_FOR_DELIVERY, 0 },
    { "transit", "Die Sendung liegt in der PACKSTATION 157 in 04109 Leipzig zur Abholung bereit.", FALSE, WAYBILL_STATUS_AVAILABLE_FOR_PICKUP, 0 },
    { "transit", "Die Sendung wurde in die Filiale gebracht.", FALSE, WAYBILL_STATUS_AVAILABLE_FOR_PICKUP, 0 },
    { "transit", "The shipment is ready for pickup at the DHL Parcelshop.", FALSE, WAYBILL_STATUS_AVAILABLE_FOR_PICKUP, 0 },
    { "transit", "Zustellversuch erfolglos, Benachrichtigungskarte hinterlassen.", FALSE, WAYBILL_STATUS_FAILED_ATTEMPT, 0 },
    { "delivered", "Die Sendung wurde vom Empfänger in der Packstation abgeholt.", FALSE, WAYBILL_STATUS_DELIVERED, 0 },
    { "failure", "Die Zustellung war nicht möglich. Der Empfänger wurde nicht angetroffen.", FALSE, WAYBILL_STATUS_FAILED_ATTEMPT, 0 },
    { "failure", "Zustellung nicht möglich; die Sendung liegt in der Filiale.", FALSE, WAYBILL_STATUS_FAILED_ATTEMPT, 0 },
    { "failure", "The shipment could not be delivered because the recipient refused to accept it.", FALSE, WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_REFUSED },
    { "failure", "Annahme verweigert.", FALSE, WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_REFUSED },
    { "failure", "Die Sendung wurde beschädigt.", FALSE, WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_DAMAGED },
    { "failure", "Address incomplete or incorrect; contact DHL.", FALSE, WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_ADDRESS },
    { "failure", "Empfänger unbekannt.", FALSE, WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_ADDRESS },
    { "failure", "Shipment on hold - customs clearance documents missing.", FALSE, WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_CUSTOMS },
    { "failure", "Die Sendung ist leider verloren gegangen.", FALSE, WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_LOST },
    { "failure", "Severe weather conditions have delayed delivery.", FALSE, WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_WEATHER },
    { "failure", "Shipment delayed.", FALSE, WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_DELAY },
    { "failure", "Problem with the shipment.", FALSE, WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_OTHER },
    { "transit", "Die Sendung wird an den Absender zurückgesendet.", FALSE, WAYBILL_STATUS_RETURNED, 0 },
    { "transit", "Rücksendung eingeleitet.", FALSE, WAYBILL_STATUS_RETURNED, 0 },
    { "transit", "The shipment is being returned to the sender.", FALSE, WAYBILL_STATUS_RETURNED, 0 },
    { "delivered", "Delivered", TRUE, WAYBILL_STATUS_RETURNED, 0 },
    { "transit", "Die Sendung wird vom Zoll zurückgehalten.", FALSE, WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "unknown", "", FALSE, WAYBILL_STATUS_PENDING, 0 },
    { "something-new", "Shipment information received", FALSE, WAYBILL_STATUS_PENDING, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(WaybillTrackingReply) reply = NULL;
      g_autofree char *json = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "shipments");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, PAKET);
      if (cases[i].return_flag)
        {
          json_builder_set_member_name (builder, "returnFlag");
          json_builder_add_boolean_value (builder, TRUE);
        }
      json_builder_set_member_name (builder, "status");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "timestamp");
      json_builder_add_string_value (builder, "2024-05-06T07:08:09");
      json_builder_set_member_name (builder, "statusCode");
      json_builder_add_string_value (builder, cases[i].code);
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, cases[i].text);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      json = json_to_string (root, FALSE);

      fake_response_json (fake_carrier_server_queue (f->server, PATH, 200), json);
      reply = fake_track_one (f->tracker, PAKET);
      g_assert_nonnull (reply->result);
      if (reply->result->status != cases[i].status ||
          reply->result->exception_reason != cases[i].reason)
        g_error ("“%s” (%s): got %s/%s, expected %s/%s", cases[i].text, cases[i].code,
                 waybill_status_to_id (reply->result->status),
                 waybill_exception_reason_to_id (reply->result->exception_reason),
                 waybill_status_to_id (cases[i].status),
                 waybill_exception_reason_to_id (cases[i].reason));

      /* The status alone still makes an event for the timeline. */
      g_assert_cmpuint (reply->result->events->len, ==, 1);
    }
}

static void
test_not_found (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(WaybillTrackingReply) missing = NULL;
  g_autoptr(WaybillTrackingReply) empty = NULL;
  g_autoptr(WaybillTrackingReply) invalid = NULL;

  fake_response_fixture (fake_carrier_server_queue (f->server, PATH, 404), "dhl/error-404.json");
  missing = fake_track_one (f->tracker, "00340434161094000000");
  fake_assert_error (missing, WAYBILL_TRACKER_ERROR_NOT_FOUND);
  g_assert_cmpstr (missing->error->message, ==,
                   "DHL does not know tracking number 00340434161094000000");
  g_assert_cmpstr (waybill_tracker_error_kind (missing->error), ==, "not_found");

  fake_response_json (fake_carrier_server_queue (f->server, PATH, 200), "{\"shipments\":[]}");
  empty = fake_track_one (f->tracker, PAKET);
  fake_assert_error (empty, WAYBILL_TRACKER_ERROR_NOT_FOUND);

  fake_response_json (fake_carrier_server_queue (f->server, PATH, 400),
                      "{\"title\":\"Bad Request\",\"status\":400,"
                      "\"detail\":\"Invalid trackingNumber\"}");
  invalid = fake_track_one (f->tracker, "ABC");
  fake_assert_error (invalid, WAYBILL_TRACKER_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (invalid->error->message, "not a valid DHL tracking number"));
}

static void
test_batch (Fixture       *f,
            gconstpointer  data)
{
  const char *numbers[] = { PAKET, "00340434161094000000", EXPRESS, NULL };
  g_autoptr(GPtrArray) replies = NULL;
  g_autoptr(GError) error = NULL;
  WaybillTrackingReply *reply;

  fake_response_fixture (fake_carrier_server_queue (f->server, PATH, 200),
                         "dhl/paket-5-delivered.json");
  fake_response_fixture (fake_carrier_server_queue (f->server, PATH, 404), "dhl/error-404.json");
  fake_response_fixture (fake_carrier_server_queue (f->server, PATH, 200),
                         "dhl/express-delivered.json");

  replies = fake_track (f->tracker, numbers, &error);
  g_assert_no_error (error);

  /* One request per number, in order. */
  g_assert_cmpuint (fake_carrier_server_count (f->server, PATH), ==, 3);
  g_assert_cmpstr (fake_carrier_server_get_request (f->server, 1)->query, ==,
                   "trackingNumber=00340434161094000000");

  reply = g_ptr_array_index (replies, 0);
  g_assert_nonnull (reply->result);
  g_assert_cmpuint (reply->result->events->len, ==, 6);
  reply = g_ptr_array_index (replies, 1);
  fake_assert_error (reply, WAYBILL_TRACKER_ERROR_NOT_FOUND);
  reply = g_ptr_array_index (replies, 2);
  g_assert_nonnull (reply->result);
  g_assert_cmpstr (reply->result->signed_by, ==, "M. SCHULZ");
}

static void
test_auth (Fixture       *f,
           gconstpointer  data)
{
  const char *numbers[] = { PAKET, EXPRESS, "JJD0099999999", NULL };
  g_autoptr(WaybillCredentials) wrong = waybill_credentials_new ("not-the-key", NULL, NULL);
  g_autoptr(GPtrArray) replies = NULL;
  g_autoptr(GError) error = NULL;

  waybill_tracker_set_credentials (f->tracker, wrong);
  replies = fake_track (f->tracker, numbers, &error);
  g_assert_no_error (error);

  /* The key is wrong for every number: one request tells. */
  g_assert_cmpuint (fake_carrier_server_count (f->server, PATH), ==, 1);
  for (guint i = 0; i < replies->len; i++)
    {
      WaybillTrackingReply *reply = g_ptr_array_index (replies, i);

      fake_assert_error (reply, WAYBILL_TRACKER_ERROR_AUTH);
      g_assert_cmpstr (reply->error->message, ==,
                       "DHL rejected Waybill’s API key; check the DHL API key in Preferences");
      g_assert_null (strstr (reply->error->message, "not-the-key"));
    }
}

static void
test_not_configured (Fixture       *f,
                     gconstpointer  data)
{
  const char *numbers[] = { PAKET, EXPRESS, NULL };

  tracker_check_not_configured (f, NULL, numbers, "API key");
}

static void
test_bad_url (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(WaybillTracker) tracker = NULL;
  g_autoptr(WaybillTrackingReply) reply = NULL;

  g_setenv ("WAYBILL_DHL_URL", "ftp://api-eu.dhl.com", TRUE);
  tracker = waybill_tracker_dhl_new (NULL);
  reply = fake_track_one (tracker, PAKET);
  fake_assert_error (reply, WAYBILL_TRACKER_ERROR_NOT_CONFIGURED);
  g_assert_nonnull (strstr (reply->error->message, "WAYBILL_DHL_URL"));
}

static void
test_rate_limited (Fixture       *f,
                   gconstpointer  data)
{
  const char *numbers[] = { PAKET, EXPRESS, NULL };
  g_autoptr(GPtrArray) replies = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_seconds (now, 90);
  g_autofree char *http_date = NULL;
  g_autoptr(WaybillTrackingReply) dated = NULL;
  g_autoptr(WaybillTrackingReply) silent = NULL;

  fake_response_header (fake_response_json (fake_carrier_server_queue (f->server, PATH, 429),
                                            "{\"title\":\"Too many requests\",\"status\":429,"
                                            "\"detail\":\"Too many requests. Retry later.\"}"),
                        "Retry-After", "30");
  replies = fake_track (f->tracker, numbers, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fake_carrier_server_count (f->server, PATH), ==, 1);
  tracker_assert_all_rate_limited (replies, 30);

  http_date = soup_date_time_to_string (later, SOUP_DATE_HTTP);
  fake_response_header (fake_carrier_server_queue (f->server, PATH, 429), "Retry-After", http_date);
  dated = fake_track_one (f->tracker, PAKET);
  fake_assert_error (dated, WAYBILL_TRACKER_ERROR_RATE_LIMITED);
  g_assert_cmpuint (dated->retry_after_seconds, >=, 85);
  g_assert_cmpuint (dated->retry_after_seconds, <=, 91);

  fake_carrier_server_queue (f->server, PATH, 429);
  silent = fake_track_one (f->tracker, PAKET);
  fake_assert_error (silent, WAYBILL_TRACKER_ERROR_RATE_LIMITED);
  g_assert_cmpuint (silent->retry_after_seconds, ==, 0);
}

static void
test_unavailable (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(WaybillTrackingReply) broken = NULL;

  fake_response_json (fake_carrier_server_queue (f->server, PATH, 500),
                      "{\"title\":\"Internal Server Error\",\"status\":500}");
  broken = fake_track_one (f->tracker, PAKET);
  fake_assert_error (broken, WAYBILL_TRACKER_ERROR_UNAVAILABLE);
  g_assert_cmpstr (waybill_tracker_error_kind (broken->error), ==, "unavailable");
  g_assert_nonnull (strstr (broken->error->message, "HTTP 500"));

  tracker_check_down_page (f, PATH, PAKET, 503,
                           "<html><body><h1>503 Service Unavailable</h1></body></html>", 120);
}

static void
test_bad_response (Fixture       *f,
                   gconstpointer  data)
{
  static const char html[] =
    "<!DOCTYPE html>\n<html><head><title>Maintenance</title></head>"
    "<body><p>We'll be back soon.</p></body></html>";
  static const char * const bodies[] = {
    "not json at all",
    "[]",
    "{\"shipments\":\"none\"}",
    "{\"shipments\":[{\"id\":\"" PAKET "\"}]}",
    "{\"shipments\":[42]}",
    "{\"shipments\":[{\"id\":\"" PAKET "\",\"status\":{\"statusCode\":",
    "",
  };
  g_autoptr(WaybillTrackingReply) teapot = NULL;
  g_autoptr(WaybillTrackingReply) deep = NULL;
  g_autoptr(GString) nested = g_string_new (NULL);

  tracker_check_web_page (f, PATH, PAKET, html);
  tracker_check_bad_bodies (f, PATH, PAKET, bodies, G_N_ELEMENTS (bodies));

  fake_response_json (fake_carrier_server_queue (f->server, PATH, 418), "{}");
  teapot = fake_track_one (f->tracker, PAKET);
  fake_assert_error (teapot, WAYBILL_TRACKER_ERROR_BAD_RESPONSE);

  /* Deep enough to overflow a recursive parser's stack. */
  for (guint i = 0; i < 200000; i++)
    g_string_append_c (nested, '[');
  fake_response_body (fake_carrier_server_queue (f->server, PATH, 200), "application/json",
                      nested->str, nested->len);
  deep = fake_track_one (f->tracker, PAKET);
  fake_assert_error (deep, WAYBILL_TRACKER_ERROR_BAD_RESPONSE);
}

static void
test_truncated (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(WaybillTrackingReply) reply = NULL;

  reply = tracker_track_truncated (f, PATH, "dhl/express-delivered.json", EXPRESS);
}

static void
test_too_big (Fixture       *f,
              gconstpointer  data)
{
  gsize size = 9 * 1024 * 1024;
  g_autofree char *big = g_malloc (size);
  g_autoptr(WaybillTrackingReply) declared = NULL;
  g_autoptr(WaybillTrackingReply) chunked = NULL;

  /* A valid JSON string, so that only its size is wrong. */
  memset (big, ' ', size);
  big[0] = '{';
  big[size - 1] = '}';

  fake_response_body (fake_carrier_server_queue (f->server, PATH, 200), "application/json",
                      big, size);
  declared = fake_track_one (f->tracker, PAKET);
  fake_assert_error (declared, WAYBILL_TRACKER_ERROR_BAD_RESPONSE);
  g_assert_nonnull (strstr (declared->error->message, "too big"));

  fake_response_mode (fake_response_body (fake_carrier_server_queue (f->server, PATH, 200),
                                          "application/json", big, size),
                      FAKE_RESPONSE_CHUNKED);
  chunked = fake_track_one (f->tracker, PAKET);
  fake_assert_error (chunked, WAYBILL_TRACKER_ERROR_BAD_RESPONSE);
  g_assert_nonnull (strstr (chunked->error->message, "too big"));
}

static void
test_chunked_ok (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(WaybillTrackingReply) reply = NULL;

  fake_response_mode (fake_response_fixture (fake_carrier_server_queue (f->server, PATH, 200),
                                             "dhl/express-delivered.json"),
                      FAKE_RESPONSE_CHUNKED);
  reply = fake_track_one (f->tracker, EXPRESS);
  g_assert_nonnull (reply->result);
  g_assert_cmpint (reply->result->status, ==, WAYBILL_STATUS_DELIVERED);
}

static void
test_timeout (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(WaybillTrackingReply) reply = NULL;

  reply = tracker_track_never_answered (f, PATH, 300, PAKET);
}

static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  tracker_check_refused (f, PAKET);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  const char *numbers[] = { PAKET, EXPRESS, NULL };

  fake_response_mode (fake_carrier_server_queue (f->server, PATH, 200), FAKE_RESPONSE_NEVER_ANSWER);
  tracker_check_cancelled (f, numbers);
  g_assert_cmpuint (fake_carrier_server_count (f->server, PATH), ==, 1);
}

static void
test_parse_directly (void)
{
  g_autoptr(WaybillTracker) tracker = waybill_tracker_dhl_new (NULL);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(WaybillTrackingReply) reply = NULL;

  body = tracker_fixture_bytes ("dhl/express-delivered.json");
  reply = waybill_tracker_dhl_parse_response (WAYBILL_TRACKER_DHL (tracker), EXPRESS, 200, body);
  g_assert_nonnull (reply->result);
  g_assert_cmpuint (reply->result->events->len, ==, 7);
}

int
main (int   argc,
      char *argv[])
{
  /* Local times must stay as written, also far from UTC. */
  g_setenv ("TZ", "Europe/Berlin", TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/waybill/tracker-dhl/" path, Fixture, NULL, fixture_setup, func, tracker_fixture_teardown)

  ADD ("properties", test_properties);
  ADD ("lifecycle", test_lifecycle);
  ADD ("express", test_express);
  ADD ("free-text", test_free_text);
  ADD ("not-found", test_not_found);
  ADD ("batch", test_batch);
  ADD ("auth", test_auth);
  ADD ("not-configured", test_not_configured);
  ADD ("bad-url", test_bad_url);
  ADD ("rate-limited", test_rate_limited);
  ADD ("unavailable", test_unavailable);
  ADD ("bad-response", test_bad_response);
  ADD ("truncated", test_truncated);
  ADD ("too-big", test_too_big);
  ADD ("chunked", test_chunked_ok);
  ADD ("timeout", test_timeout);
  ADD ("refused", test_refused);
  ADD ("cancel", test_cancel);
  g_test_add_func ("/waybill/tracker-dhl/parse", test_parse_directly);

  return g_test_run ();
}
