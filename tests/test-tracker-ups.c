/* test-tracker-ups.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "carriers/waybill-tracker-ups.h"
#include "tracker-test-util.h"

#define NUMBER "1Z999AA10123456784"
#define TOKEN_PATH "/security/v1/oauth/token"
#define TRACK_PATH "/api/track/v1/details/"
#define NUMBER_PATH TRACK_PATH NUMBER

typedef TrackerFixture Fixture;

static const TrackerOAuthApi api = {
  .carrier = "ups",
  .token_path = TOKEN_PATH,
  .track_path = TRACK_PATH,
  .number_path = NUMBER_PATH,
  .number = NUMBER,
  .in_transit = "ups/3-in-transit.json",
  .out_for_delivery = "ups/4-out-for-delivery.json",
  .rejected = "ups/error-250002.json",
};

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  tracker_fixture_setup (f, waybill_tracker_ups_new);
}

static void
test_properties (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(WaybillTracker) production = NULL;

  g_assert_cmpstr (waybill_tracker_get_id (f->tracker), ==, "ups");
  g_assert_cmpstr (waybill_tracker_get_name (f->tracker), ==, "UPS");
  g_assert_cmpuint (waybill_tracker_get_batch_size (f->tracker), ==, 1);
  g_assert_cmpfloat (waybill_tracker_get_requests_per_second (f->tracker), >, 0.0);
  g_assert_cmpint (waybill_tracker_get_auth (f->tracker), ==, WAYBILL_TRACKER_AUTH_CLIENT);
  g_assert_true (waybill_tracker_is_configured (f->tracker));

  g_unsetenv ("WAYBILL_UPS_URL");
  g_unsetenv ("WAYBILL_UPS_CLIENT_SECRET");
  production = waybill_tracker_ups_new (NULL);
  g_assert_cmpstr (waybill_tracker_get_base_url (production), ==, "https://onlinetools.ups.com");
  /* An id without its secret is not enough. */
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
  } steps[] = {
    { "ups/1-label-created.json", WAYBILL_STATUS_INFO_RECEIVED, 1 },
    { "ups/2-picked-up.json", WAYBILL_STATUS_PICKED_UP, 2 },
    { "ups/3-in-transit.json", WAYBILL_STATUS_IN_TRANSIT, 4 },
    { "ups/4-out-for-delivery.json", WAYBILL_STATUS_OUT_FOR_DELIVERY, 5 },
    { "ups/5-delivered.json", WAYBILL_STATUS_DELIVERED, 6 },
  };
  g_autoptr(GHashTable) trans_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const FakeRequest *request;
  g_autofree char *basic = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    fake_response_fixture (fake_carrier_server_queue (f->server, NUMBER_PATH, 200),
                           steps[i].fixture);

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autoptr(WaybillTrackingReply) reply = fake_track_one (f->tracker, NUMBER);
      WaybillTrackingResult *result = reply->result;
      const char *trans_id;

      g_assert_no_error (reply->error);
      g_assert_cmpint (result->status, ==, steps[i].status);
      g_assert_cmpuint (result->events->len, ==, steps[i].n_events);
      g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, 0)), ==,
                       steps[i].status);
      for (guint j = 0; j < result->events->len; j++)
        g_assert_false (waybill_tracking_event_get_time_is_local (tracker_event_at (result, j)));

      request = fake_carrier_server_get_last_request (f->server, TRACK_PATH);
      g_assert_cmpstr (request->method, ==, "GET");
      g_assert_cmpstr (request->path, ==, NUMBER_PATH);
      g_assert_cmpstr (request->query, ==, "locale=en_US&returnSignature=false");
      g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Authorization"), ==,
                       "Bearer ups-token-1");
      g_assert_cmpstr (soup_message_headers_get_one (request->headers, "transactionSrc"), ==,
                       "waybill");
      trans_id = soup_message_headers_get_one (request->headers, "transId");
      g_assert_nonnull (trans_id);
      g_assert_cmpuint (strlen (trans_id), <=, 32);
      g_assert_false (g_hash_table_contains (trans_ids, trans_id));
      g_hash_table_add (trans_ids, g_strdup (trans_id));

      switch (steps[i].status)
        {
        case WAYBILL_STATUS_INFO_RECEIVED:
          g_assert_cmpstr (result->sub_status, ==,
                           "Shipper created a label, UPS has not received the package yet.");
          g_assert_cmpstr (waybill_tracking_event_get_code (tracker_event_at (result, 0)), ==, "MP");
          g_assert_cmpstr (waybill_tracking_event_get_location (tracker_event_at (result, 0)), ==, "US");
          /* The GMT fields, shown at the place's offset. */
          tracker_assert_time (waybill_tracking_event_get_time (tracker_event_at (result, 0)),
                               "2024-03-11 17:45:02 -0400");
          g_assert_null (result->estimated_from);
          tracker_assert_time (result->estimated_to, "2024-03-14 23:59:59 +0000");
          break;

        case WAYBILL_STATUS_OUT_FOR_DELIVERY:
          tracker_assert_time (result->estimated_from, "2024-03-14 12:00:00 +0000");
          tracker_assert_time (result->estimated_to, "2024-03-14 16:00:00 +0000");
          tracker_assert_time (waybill_tracking_event_get_time (tracker_event_at (result, 1)),
                               "2024-03-13 22:17:00 -0500");
          break;

        case WAYBILL_STATUS_DELIVERED:
          tracker_assert_time (result->delivered_at, "2024-03-14 14:36:00 -0500");
          g_assert_cmpstr (result->signed_by, ==, "JOHNSON");
          g_assert_null (result->estimated_to);
          g_assert_cmpstr (result->sub_status, ==, "DELIVERED");
          g_assert_cmpstr (waybill_tracking_event_get_location (tracker_event_at (result, 0)), ==,
                           "Chicago, IL, US");
          g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, 1)), ==,
                           WAYBILL_STATUS_OUT_FOR_DELIVERY);
          g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, 4)), ==,
                           WAYBILL_STATUS_PICKED_UP);
          break;

        default:
          break;
        }
    }

  /* One token served every request. */
  g_assert_cmpuint (fake_carrier_server_count (f->server, TOKEN_PATH), ==, 1);
  g_assert_cmpuint (fake_carrier_server_count (f->server, TRACK_PATH), ==, G_N_ELEMENTS (steps));

  request = fake_carrier_server_get_last_request (f->server, TOKEN_PATH);
  g_assert_cmpstr (request->method, ==, "POST");
  g_assert_cmpstr (soup_message_headers_get_content_type (request->headers, NULL), ==,
                   "application/x-www-form-urlencoded");
  g_assert_cmpmem (g_bytes_get_data (request->body, NULL), g_bytes_get_size (request->body),
                   "grant_type=client_credentials", strlen ("grant_type=client_credentials"));
  basic = g_base64_encode ((const guchar *) FAKE_UPS_CLIENT_ID ":" FAKE_UPS_CLIENT_SECRET,
                           strlen (FAKE_UPS_CLIENT_ID ":" FAKE_UPS_CLIENT_SECRET));
  g_assert_true (g_str_has_suffix (soup_message_headers_get_one (request->headers,
                                                                 "Authorization"), basic));
  g_assert_null (request->query);
}

static void
test_exception (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(WaybillTrackingReply) reply = NULL;
  WaybillTrackingResult *result;

  fake_response_fixture (fake_carrier_server_queue (f->server, TRACK_PATH "1Z4E2F390398765432", 200),
                         "ups/exception-customs.json");
  reply = fake_track_one (f->tracker, "1Z4E2F390398765432");
  result = reply->result;

  g_assert_nonnull (result);
  g_assert_cmpint (result->status, ==, WAYBILL_STATUS_EXCEPTION);
  g_assert_cmpint (result->exception_reason, ==, WAYBILL_EXCEPTION_CUSTOMS);
  g_assert_true (g_str_has_prefix (result->sub_status, "UPS initiated contact with the sender"));
  g_assert_cmpuint (result->events->len, ==, 3);
  /* No GMT fields: the local time, as written. */
  g_assert_true (waybill_tracking_event_get_time_is_local (tracker_event_at (result, 0)));
  tracker_assert_time (waybill_tracking_event_get_time (tracker_event_at (result, 0)), "2024-05-19 11:02:00 +0000");
  g_assert_cmpstr (waybill_tracking_event_get_location (tracker_event_at (result, 2)), ==, "Cologne, DE");
  /* The rescheduled date wins over the scheduled one. */
  tracker_assert_time (result->estimated_to, "2024-05-23 23:59:59 +0000");
}

static void
test_returned (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(WaybillTrackingReply) reply = NULL;
  WaybillTrackingResult *result;

  fake_response_fixture (fake_carrier_server_queue (f->server, TRACK_PATH "1Z8V9W610312345670", 200),
                         "ups/returned.json");
  reply = fake_track_one (f->tracker, "1Z8V9W610312345670");
  result = reply->result;

  g_assert_nonnull (result);
  g_assert_cmpint (result->status, ==, WAYBILL_STATUS_RETURNED);
  g_assert_cmpstr (result->sub_status, ==, "Returning to Sender: In Transit");
  g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, 0)), ==,
                   WAYBILL_STATUS_RETURNED);
  g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, 1)), ==,
                   WAYBILL_STATUS_FAILED_ATTEMPT);
  g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, 2)), ==,
                   WAYBILL_STATUS_FAILED_ATTEMPT);
  g_assert_null (result->estimated_to);
}

/* Activity type, scan code, 3-digit status code and description, as UPS
 * combines them. */
static void
test_codes (Fixture       *f,
            gconstpointer  data)
{
  static const struct
  {
    const char             *type;
    const char             *code;
    const char             *status_code;
    const char             *description;
    WaybillStatus           status;
    WaybillExceptionReason  reason;
  } cases[] = {
    { "M", "MP", "003", "Shipper created a label, UPS has not received the package yet.", WAYBILL_STATUS_INFO_RECEIVED, 0 },
    { "P", "PU", "038", "Pickup Scan", WAYBILL_STATUS_PICKED_UP, 0 },
    { "I", "OR", NULL, "Origin Scan", WAYBILL_STATUS_PICKED_UP, 0 },
    { "I", "DP", "005", "Departed from Facility", WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "I", "OF", NULL, "Out For Delivery", WAYBILL_STATUS_OUT_FOR_DELIVERY, 0 },
    { "I", "OT", "021", "Out For Delivery Today", WAYBILL_STATUS_OUT_FOR_DELIVERY, 0 },
    { "I", "OD", "072", "Loaded on Delivery Vehicle", WAYBILL_STATUS_OUT_FOR_DELIVERY, 0 },
    { "I", "YP", "071", "Preparing for Delivery", WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "I", "U2", "092", "Customs Clearance in Progress", WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "X", "U2", "092", "Customs Clearance in Progress", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_CUSTOMS },
    { "X", "48", "022", "The receiver was not available for delivery.", WAYBILL_STATUS_FAILED_ATTEMPT, 0 },
    { "X", "3Y", "023", "Second Delivery Attempted", WAYBILL_STATUS_FAILED_ATTEMPT, 0 },
    { "X", "49", "024", "The receiver was not available at the time of the final delivery attempt.", WAYBILL_STATUS_FAILED_ATTEMPT, 0 },
    { "X", "RF", "064", "The receiver refused the delivery.", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_REFUSED },
    { "X", "DM", "059", "Damage reported", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_DAMAGED },
    { "X", "AD", "050", "Address Information Required", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_ADDRESS },
    { "X", "LF", "068", "Sent to Lost and Found", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_LOST },
    { "X", "WX", "052", "Delay: Severe Weather", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_WEATHER },
    { "X", "WA", "032", "Adverse Weather May Cause Delay", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_WEATHER },
    { "X", "DY", "046", "Delay", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_DELAY },
    { "X", "XX", "013", "Exception", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_OTHER },
    { "X", "45", NULL, "Your package was damaged in transit. We will notify the sender with details.", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_DAMAGED },
    { "X", "1E", NULL, "The post office indicates your UPS SurePost® package may be delayed due to a weather or emergency situation.", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_WEATHER },
    { "X", "YF", "999", "Unable to deliver, problem with address", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_ADDRESS },
    { "X", "5", NULL, "Your package is pending release from a Government Agency.", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_CUSTOMS },
    { "X", "SA", NULL, "Package returned to sender by international carrier because the addressee has moved. Contact Sender", WAYBILL_STATUS_RETURNED, 0 },
    { "X", "AP", "040", "Your package is ready for pickup", WAYBILL_STATUS_AVAILABLE_FOR_PICKUP, 0 },
    { "X", "9Q", NULL, "Please contact UPS for additional information.", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_OTHER },
    { "I", "RS", "034", "Returned to Sender", WAYBILL_STATUS_RETURNED, 0 },
    { "X", "RD", "081", "Returned - Damage Reported", WAYBILL_STATUS_RETURNED, WAYBILL_EXCEPTION_DAMAGED },
    { "D", "FS", "011", "DELIVERED", WAYBILL_STATUS_DELIVERED, 0 },
    { "D", "2Q", "161", "Delivered to UPS Access Point", WAYBILL_STATUS_AVAILABLE_FOR_PICKUP, 0 },
    { "D", "KB", "026", "Delivered by Local Post Office", WAYBILL_STATUS_DELIVERED, 0 },
    { "MV", "VP", "007", "Shipment Information Voided", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_OTHER },
    { "U", "UP", "154", "Updated Delivery Date", WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "NA", NULL, "000", "Status Not Available", WAYBILL_STATUS_IN_TRANSIT, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) json = g_string_new (NULL);
      g_autoptr(WaybillTrackingReply) reply = NULL;

      g_string_append_printf (json,
                              "{\"trackResponse\":{\"shipment\":[{\"inquiryNumber\":\"%s\","
                              "\"package\":[{\"trackingNumber\":\"%s\",\"activity\":[{"
                              "\"location\":{\"address\":{\"city\":\"Atlanta\","
                              "\"stateProvince\":\"GA\",\"countryCode\":\"US\"}},"
                              "\"status\":{\"type\":\"%s\",\"description\":\"%s\"",
                              NUMBER, NUMBER, cases[i].type, cases[i].description);
      if (cases[i].code != NULL)
        g_string_append_printf (json, ",\"code\":\"%s\"", cases[i].code);
      if (cases[i].status_code != NULL)
        g_string_append_printf (json, ",\"statusCode\":\"%s\"", cases[i].status_code);
      g_string_append (json, "},\"date\":\"20240601\",\"time\":\"101500\"}]}]}]}}");

      fake_response_json (fake_carrier_server_queue (f->server, NUMBER_PATH, 200), json->str);
      reply = fake_track_one (f->tracker, NUMBER);
      g_assert_nonnull (reply->result);
      if (reply->result->status != cases[i].status ||
          reply->result->exception_reason != cases[i].reason)
        g_error ("%s/%s/%s “%s”: got %s/%s, expected %s/%s", cases[i].type, cases[i].code,
                 cases[i].status_code, cases[i].description,
                 waybill_status_to_id (reply->result->status),
                 waybill_exception_reason_to_id (reply->result->exception_reason),
                 waybill_status_to_id (cases[i].status),
                 waybill_exception_reason_to_id (cases[i].reason));
      g_assert_cmpuint (reply->result->events->len, ==, 1);
      g_assert_cmpstr (waybill_tracking_event_get_description (g_ptr_array_index (reply->result->events, 0)),
                       ==, cases[i].description);
    }
}

static void
test_times (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(WaybillTrackingReply) reply = NULL;
  WaybillTrackingResult *result;

  fake_response_json (fake_carrier_server_queue (f->server, NUMBER_PATH, 200),
                      "{\"trackResponse\":{\"shipment\":[{\"inquiryNumber\":\"" NUMBER "\","
                      "\"package\":[{\"trackingNumber\":\"" NUMBER "\",\"activity\":["
                      "{\"status\":{\"type\":\"I\",\"code\":\"AR\",\"description\":\"Arrived\"},"
                      " \"date\":\"20240602\",\"time\":\"120000\",\"gmtDate\":\"20240602\","
                      " \"gmtTime\":\"063000\",\"gmtOffset\":\"+0530\"},"
                      "{\"status\":{\"type\":\"I\",\"code\":\"DP\",\"description\":\"Departed\"},"
                      " \"date\":\"20240601\",\"time\":\"2210\"},"
                      "{\"status\":{\"type\":\"I\",\"code\":\"EP\",\"description\":\"Export Scan\"},"
                      " \"date\":\"20240601\",\"time\":\"180000\",\"gmtOffset\":\"-4\"},"
                      "{\"status\":{\"type\":\"I\",\"code\":\"XX\",\"description\":\"Bad date\"},"
                      " \"date\":\"20241345\",\"time\":\"250000\"},"
                      "{\"status\":{\"type\":\"I\",\"code\":\"XX\",\"description\":\"No date\"}}"
                      "]}]}]}}");
  reply = fake_track_one (f->tracker, NUMBER);
  result = reply->result;

  /* Events without a usable time are left out; the rest are sorted. */
  g_assert_cmpuint (result->events->len, ==, 3);
  tracker_assert_time (waybill_tracking_event_get_time (tracker_event_at (result, 0)), "2024-06-02 12:00:00 +0530");
  g_assert_false (waybill_tracking_event_get_time_is_local (tracker_event_at (result, 0)));
  tracker_assert_time (waybill_tracking_event_get_time (tracker_event_at (result, 1)), "2024-06-01 22:10:00 +0000");
  g_assert_true (waybill_tracking_event_get_time_is_local (tracker_event_at (result, 1)));
  tracker_assert_time (waybill_tracking_event_get_time (tracker_event_at (result, 2)), "2024-06-01 18:00:00 -0400");
  g_assert_false (waybill_tracking_event_get_time_is_local (tracker_event_at (result, 2)));
}

static void
test_not_found (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(WaybillTrackingReply) unknown = NULL;
  g_autoptr(WaybillTrackingReply) invalid = NULL;
  g_autoptr(WaybillTrackingReply) missing = NULL;

  /* HTTP 200 with a warning. */
  fake_response_fixture (fake_carrier_server_queue (f->server, TRACK_PATH "1Z0000000000000000", 200),
                         "ups/not-found-TW0001.json");
  unknown = fake_track_one (f->tracker, "1Z0000000000000000");
  fake_assert_error (unknown, WAYBILL_TRACKER_ERROR_NOT_FOUND);
  g_assert_cmpstr (unknown->error->message, ==, "UPS does not know tracking number 1Z0000000000000000");

  fake_response_fixture (fake_carrier_server_queue (f->server, TRACK_PATH "12345", 400),
                         "ups/error-TV1002.json");
  invalid = fake_track_one (f->tracker, "12345");
  fake_assert_error (invalid, WAYBILL_TRACKER_ERROR_NOT_FOUND);
  g_assert_cmpstr (invalid->error->message, ==, "12345 is not a valid UPS tracking number");

  fake_response_json (fake_carrier_server_queue (f->server, NUMBER_PATH, 404), "{}");
  missing = fake_track_one (f->tracker, NUMBER);
  fake_assert_error (missing, WAYBILL_TRACKER_ERROR_NOT_FOUND);
}

static void
test_token_renewed (Fixture       *f,
                    gconstpointer  data)
{
  /* The token expires early on UPS's side: 401, a new token, one retry. */
  tracker_check_token_renewed (f, &api);
}

static void
test_token_rejected_twice (Fixture       *f,
                           gconstpointer  data)
{
  tracker_check_token_rejected_twice (f, &api);
}

static void
test_bad_client (Fixture       *f,
                 gconstpointer  data)
{
  const char *numbers[] = { NUMBER, "1Z4E2F390398765432", NULL };
  g_autoptr(WaybillCredentials) wrong = waybill_credentials_new (NULL, FAKE_UPS_CLIENT_ID,
                                                                 "wrong-secret-0000");
  g_autoptr(GPtrArray) replies = NULL;
  g_autoptr(GError) error = NULL;

  waybill_tracker_set_credentials (f->tracker, wrong);
  replies = fake_track (f->tracker, numbers, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (fake_carrier_server_count (f->server, TOKEN_PATH), ==, 1);
  g_assert_cmpuint (fake_carrier_server_count (f->server, TRACK_PATH), ==, 0);
  for (guint i = 0; i < replies->len; i++)
    {
      WaybillTrackingReply *reply = g_ptr_array_index (replies, i);

      fake_assert_error (reply, WAYBILL_TRACKER_ERROR_AUTH);
      g_assert_cmpstr (reply->error->message, ==,
                       "UPS rejected Waybill’s credentials; check the UPS client ID and secret in Preferences");
      g_assert_null (strstr (reply->error->message, "wrong-secret"));
    }
}

static void
test_not_configured (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(WaybillCredentials) half = waybill_credentials_new (NULL, FAKE_UPS_CLIENT_ID, NULL);
  const char *numbers[] = { NUMBER, NULL };

  tracker_check_not_configured (f, half, numbers, "client ID and secret");
}

static void
test_rate_limited (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(WaybillTrackingReply) tracking = NULL;
  g_autoptr(WaybillTrackingReply) token = NULL;

  fake_response_header (fake_response_fixture (fake_carrier_server_queue (f->server, NUMBER_PATH, 429),
                                               "ups/error-10429.json"),
                        "Retry-After", "15");
  tracking = fake_track_one (f->tracker, NUMBER);
  fake_assert_error (tracking, WAYBILL_TRACKER_ERROR_RATE_LIMITED);
  g_assert_cmpuint (tracking->retry_after_seconds, ==, 15);

  /* The token endpoint may be the one that says so. */
  fake_carrier_server_expire_tokens (f->server, "ups");
  fake_response_header (fake_response_json (fake_carrier_server_queue (f->server, TOKEN_PATH, 429),
                                            "{\"response\":{\"errors\":[{\"code\":\"10429\","
                                            "\"message\":\"Too Many Requests.\"}]}}"),
                        "Retry-After", "7");
  token = fake_track_one (f->tracker, NUMBER);
  fake_assert_error (token, WAYBILL_TRACKER_ERROR_RATE_LIMITED);
  g_assert_cmpuint (token->retry_after_seconds, ==, 7);
}

static void
test_unavailable (Fixture       *f,
                  gconstpointer  data)
{
  static const char page[] = "<html><head><title>503 Service Temporarily Unavailable</title></head></html>";
  g_autoptr(WaybillTrackingReply) token_down = NULL;

  tracker_check_down_page (f, NUMBER_PATH, NUMBER, 503, page, 0);

  /* The token expired, and the token endpoint is down. */
  fake_carrier_server_expire_tokens (f->server, "ups");
  fake_response_json (fake_carrier_server_queue (f->server, TOKEN_PATH, 500), "{}");
  token_down = fake_track_one (f->tracker, NUMBER);
  fake_assert_error (token_down, WAYBILL_TRACKER_ERROR_UNAVAILABLE);
  g_assert_cmpuint (fake_carrier_server_count (f->server, TOKEN_PATH), ==, 2);
  g_assert_cmpuint (fake_carrier_server_count (f->server, TRACK_PATH), ==, 2);
}

static void
test_bad_response (Fixture       *f,
                   gconstpointer  data)
{
  static const char * const bodies[] = {
    "<!DOCTYPE html><html><body>Sorry</body></html>",
    "{\"trackResponse\":{}}",
    "{\"trackResponse\":{\"shipment\":[{\"inquiryNumber\":\"" NUMBER "\"}]}}",
    "{\"trackResponse\":{\"shipment\":[{\"package\":[7]}]}}",
    "{\"trackResponse\":{\"shipment\":\"" NUMBER "\"}}",
    "{\"trackResponse\":",
  };

  tracker_check_web_page (f, NUMBER_PATH, NUMBER, bodies[0]);
  tracker_check_bad_bodies (f, NUMBER_PATH, NUMBER, bodies + 1, G_N_ELEMENTS (bodies) - 1);
}

static void
test_truncated (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(WaybillTrackingReply) reply = NULL;

  reply = tracker_track_truncated (f, NUMBER_PATH, "ups/5-delivered.json", NUMBER);
}

static void
test_token_timeout (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(WaybillTrackingReply) reply = NULL;

  waybill_tracker_set_timeout_ms (f->tracker, 200);
  fake_response_mode (fake_carrier_server_queue (f->server, TOKEN_PATH, 200),
                      FAKE_RESPONSE_NEVER_ANSWER);
  reply = fake_track_one (f->tracker, NUMBER);
  fake_assert_error (reply, WAYBILL_TRACKER_ERROR_NETWORK);
  g_assert_cmpuint (fake_carrier_server_count (f->server, TRACK_PATH), ==, 0);
}

static void
test_parse_directly (void)
{
  g_autoptr(WaybillTracker) tracker = waybill_tracker_ups_new (NULL);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(WaybillTrackingReply) reply = NULL;

  body = tracker_fixture_bytes ("ups/5-delivered.json");
  reply = waybill_tracker_ups_parse_response (WAYBILL_TRACKER_UPS (tracker), NUMBER, 200, body);
  g_assert_nonnull (reply->result);
  g_assert_cmpint (reply->result->status, ==, WAYBILL_STATUS_DELIVERED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/waybill/tracker-ups/" path, Fixture, NULL, fixture_setup, func, tracker_fixture_teardown)

  ADD ("properties", test_properties);
  ADD ("lifecycle", test_lifecycle);
  ADD ("exception", test_exception);
  ADD ("returned", test_returned);
  ADD ("codes", test_codes);
  ADD ("times", test_times);
  ADD ("not-found", test_not_found);
  ADD ("token-renewed", test_token_renewed);
  ADD ("token-rejected-twice", test_token_rejected_twice);
  ADD ("bad-client", test_bad_client);
  ADD ("not-configured", test_not_configured);
  ADD ("rate-limited", test_rate_limited);
  ADD ("unavailable", test_unavailable);
  ADD ("bad-response", test_bad_response);
  ADD ("truncated", test_truncated);
  ADD ("token-timeout", test_token_timeout);
  g_test_add_func ("/waybill/tracker-ups/parse", test_parse_directly);

  return g_test_run ();
}
