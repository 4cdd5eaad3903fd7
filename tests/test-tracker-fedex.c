/* test-tracker-fedex.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "carriers/waybill-tracker-fedex.h"
#include "tracker-test-util.h"

#define NUMBER     "794612345671"
#define EXCEPTION  "794623456782"
#define RETURNED   "794634567893"
#define LATE       "794645678904"
#define UNKNOWN    "794600000000"
#define TOKEN_PATH "/oauth/token"
#define TRACK_PATH "/track/v1/trackingnumbers"

typedef TrackerFixture Fixture;

static const TrackerOAuthApi api = {
  .carrier = "fedex",
  .token_path = TOKEN_PATH,
  .track_path = TRACK_PATH,
  .number_path = TRACK_PATH,
  .number = NUMBER,
  .in_transit = "fedex/3-in-transit.json",
  .out_for_delivery = "fedex/4-out-for-delivery.json",
  .rejected = "fedex/error-401.json",
};

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  tracker_fixture_start (f);
  /* FedEx sends expires_in as a number. */
  fake_carrier_server_set_token_expires_in (f->server, "fedex", "3599");
  f->tracker = waybill_tracker_fedex_new (NULL);
}

/* The numbers a request body asks about, checking its shape. */
static GStrv
numbers_of_body (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  JsonArray *items;

  json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                              (gssize) g_bytes_get_size (body), &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_true (json_object_get_boolean_member (root, "includeDetailedScans"));
  items = json_object_get_array_member (root, "trackingInfo");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *info = json_object_get_object_member (json_array_get_object_element (items, i),
                                                        "trackingNumberInfo");

      g_strv_builder_add (builder, json_object_get_string_member (info, "trackingNumber"));
    }

  return g_strv_builder_end (builder);
}

static GPtrArray *
track_many (WaybillTracker     *tracker,
            const char * const *numbers)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *replies = fake_track (tracker, numbers, &error);

  g_assert_no_error (error);

  return replies;
}

static WaybillTrackingReply *
reply_at (GPtrArray *replies,
          guint      index)
{
  g_assert_cmpuint (index, <, replies->len);

  return g_ptr_array_index (replies, index);
}

static void
test_properties (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(WaybillTracker) production = NULL;

  g_assert_cmpstr (waybill_tracker_get_id (f->tracker), ==, "fedex");
  g_assert_cmpstr (waybill_tracker_get_name (f->tracker), ==, "FedEx");
  g_assert_cmpuint (waybill_tracker_get_batch_size (f->tracker), ==, 30);
  /* 1,400 requests per 10 seconds. */
  g_assert_cmpfloat_with_epsilon (waybill_tracker_get_requests_per_second (f->tracker), 140.0, 1e-9);
  g_assert_cmpint (waybill_tracker_get_auth (f->tracker), ==, WAYBILL_TRACKER_AUTH_CLIENT);
  g_assert_true (waybill_tracker_is_configured (f->tracker));
  g_assert_cmpstr (waybill_tracker_get_base_url (f->tracker), ==,
                   fake_carrier_server_get_url (f->server));

  g_unsetenv ("WAYBILL_FEDEX_URL");
  g_unsetenv ("WAYBILL_FEDEX_CLIENT_SECRET");
  production = waybill_tracker_fedex_new (NULL);
  g_assert_cmpstr (waybill_tracker_get_base_url (production), ==, "https://apis.fedex.com");
  /* An id without its secret is not enough. */
  g_assert_false (waybill_tracker_is_configured (production));
}

static void
test_registry (Fixture       *f,
               gconstpointer  data)
{
  /* FedEx's own API answers for FedEx when it is configured. */
  tracker_check_registry ("fedex", WAYBILL_TYPE_TRACKER_FEDEX);
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
    { "fedex/1-label-created.json", WAYBILL_STATUS_INFO_RECEIVED, 1 },
    { "fedex/2-picked-up.json", WAYBILL_STATUS_PICKED_UP, 2 },
    { "fedex/3-in-transit.json", WAYBILL_STATUS_IN_TRANSIT, 5 },
    { "fedex/4-out-for-delivery.json", WAYBILL_STATUS_OUT_FOR_DELIVERY, 6 },
    { "fedex/5-delivered.json", WAYBILL_STATUS_DELIVERED, 7 },
  };
  const FakeRequest *request;
  g_autoptr(GHashTable) form = NULL;
  g_autofree char *form_text = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    fake_response_fixture (fake_carrier_server_queue (f->server, TRACK_PATH, 200),
                           steps[i].fixture);

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autoptr(WaybillTrackingReply) reply = fake_track_one (f->tracker, NUMBER);
      WaybillTrackingResult *result = reply->result;
      g_auto(GStrv) asked = NULL;

      g_assert_no_error (reply->error);
      g_assert_cmpint (result->status, ==, steps[i].status);
      g_assert_cmpint (result->exception_reason, ==, WAYBILL_EXCEPTION_NONE);
      g_assert_cmpuint (result->events->len, ==, steps[i].n_events);
      g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, 0)), ==,
                       steps[i].status);

      request = fake_carrier_server_get_last_request (f->server, TRACK_PATH);
      g_assert_cmpstr (request->method, ==, "POST");
      g_assert_cmpstr (request->path, ==, TRACK_PATH);
      g_assert_null (request->query);
      g_assert_cmpstr (soup_message_headers_get_content_type (request->headers, NULL), ==,
                       "application/json");
      g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Authorization"), ==,
                       "Bearer fedex-token-1");
      g_assert_cmpstr (soup_message_headers_get_one (request->headers, "X-locale"), ==, "en_US");
      asked = numbers_of_body (request->body);
      g_assert_cmpuint (g_strv_length (asked), ==, 1);
      g_assert_cmpstr (asked[0], ==, NUMBER);

      switch (steps[i].status)
        {
        case WAYBILL_STATUS_INFO_RECEIVED:
          g_assert_cmpstr (result->sub_status, ==, "Label created");
          g_assert_cmpstr (waybill_tracking_event_get_code (tracker_event_at (result, 0)), ==, "OC");
          g_assert_cmpstr (waybill_tracking_event_get_description (tracker_event_at (result, 0)), ==,
                           "Shipment information sent to FedEx");
          /* No city: the postal code says where. */
          g_assert_cmpstr (waybill_tracking_event_get_location (tracker_event_at (result, 0)), ==,
                           "38118, US");
          tracker_assert_time (waybill_tracking_event_get_time (tracker_event_at (result, 0)),
                               "2024-06-03 14:12:00 -0500");
          /* An estimated date at midnight is the whole day. */
          g_assert_null (result->estimated_from);
          tracker_assert_time (result->estimated_to, "2024-06-05 23:59:59 -0600");
          break;

        case WAYBILL_STATUS_PICKED_UP:
          /* FedEx gave the pickup without an offset: kept as written. */
          g_assert_true (waybill_tracking_event_get_time_is_local (tracker_event_at (result, 0)));
          tracker_assert_time (waybill_tracking_event_get_time (tracker_event_at (result, 0)),
                               "2024-06-03 19:45:00 +0000");
          g_assert_false (waybill_tracking_event_get_time_is_local (tracker_event_at (result, 1)));
          g_assert_cmpstr (waybill_tracking_event_get_location (tracker_event_at (result, 0)), ==,
                           "MEMPHIS, TN, US");
          g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, 1)), ==,
                           WAYBILL_STATUS_INFO_RECEIVED);
          /* ESTIMATED_DELIVERY with a time: delivery by then. */
          g_assert_null (result->estimated_from);
          tracker_assert_time (result->estimated_to, "2024-06-04 20:00:00 -0600");
          break;

        case WAYBILL_STATUS_IN_TRANSIT:
          g_assert_cmpstr (result->sub_status, ==, "In transit");
          g_assert_cmpstr (waybill_tracking_event_get_code (tracker_event_at (result, 0)), ==, "AR");
          g_assert_cmpstr (waybill_tracking_event_get_location (tracker_event_at (result, 0)), ==,
                           "DENVER, CO, US");
          tracker_assert_time (result->estimated_from, "2024-06-04 09:00:00 -0600");
          tracker_assert_time (result->estimated_to, "2024-06-04 13:00:00 -0600");
          break;

        case WAYBILL_STATUS_OUT_FOR_DELIVERY:
          g_assert_cmpstr (result->sub_status, ==, "On FedEx vehicle for delivery");
          tracker_assert_time (result->estimated_from, "2024-06-04 10:30:00 -0600");
          tracker_assert_time (result->estimated_to, "2024-06-04 14:30:00 -0600");
          break;

        case WAYBILL_STATUS_DELIVERED:
          g_assert_cmpstr (result->sub_status, ==, "Delivered");
          tracker_assert_time (result->delivered_at, "2024-06-04 13:47:00 -0600");
          g_assert_cmpstr (result->signed_by, ==, "M.GARCIA");
          g_assert_null (result->estimated_from);
          g_assert_null (result->estimated_to);
          g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, 1)), ==,
                           WAYBILL_STATUS_OUT_FOR_DELIVERY);
          g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, 2)), ==,
                           WAYBILL_STATUS_IN_TRANSIT);
          g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, 5)), ==,
                           WAYBILL_STATUS_PICKED_UP);
          g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, 6)), ==,
                           WAYBILL_STATUS_INFO_RECEIVED);
          g_assert_cmpstr (waybill_tracking_event_get_location (tracker_event_at (result, 0)), ==,
                           "DENVER, CO, US");
          break;

        default:
          g_assert_not_reached ();
        }
    }

  /* One token served every request. */
  g_assert_cmpuint (fake_carrier_server_count (f->server, TOKEN_PATH), ==, 1);
  g_assert_cmpuint (fake_carrier_server_count (f->server, TRACK_PATH), ==, G_N_ELEMENTS (steps));

  /* The client id and secret travel as form fields, not in a header. */
  request = fake_carrier_server_get_last_request (f->server, TOKEN_PATH);
  g_assert_cmpstr (request->method, ==, "POST");
  g_assert_cmpstr (soup_message_headers_get_content_type (request->headers, NULL), ==,
                   "application/x-www-form-urlencoded");
  g_assert_null (soup_message_headers_get_one (request->headers, "Authorization"));
  g_assert_null (request->query);
  form_text = g_strndup (g_bytes_get_data (request->body, NULL), g_bytes_get_size (request->body));
  form = soup_form_decode (form_text);
  g_assert_cmpuint (g_hash_table_size (form), ==, 3);
  g_assert_cmpstr (g_hash_table_lookup (form, "grant_type"), ==, "client_credentials");
  g_assert_cmpstr (g_hash_table_lookup (form, "client_id"), ==, FAKE_FEDEX_CLIENT_ID);
  g_assert_cmpstr (g_hash_table_lookup (form, "client_secret"), ==, FAKE_FEDEX_CLIENT_SECRET);
}

static void
test_exception (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(WaybillTrackingReply) reply = NULL;
  WaybillTrackingResult *result;

  fake_response_fixture (fake_carrier_server_queue (f->server, TRACK_PATH, 200),
                         "fedex/exception-address.json");
  reply = fake_track_one (f->tracker, EXCEPTION);
  result = reply->result;

  g_assert_nonnull (result);
  g_assert_cmpint (result->status, ==, WAYBILL_STATUS_EXCEPTION);
  g_assert_cmpint (result->exception_reason, ==, WAYBILL_EXCEPTION_ADDRESS);
  g_assert_cmpstr (result->sub_status, ==, "Delivery exception: Incorrect address");
  g_assert_cmpuint (result->events->len, ==, 6);
  g_assert_cmpstr (waybill_tracking_event_get_code (tracker_event_at (result, 0)), ==, "DE");
  g_assert_cmpstr (waybill_tracking_event_get_description (tracker_event_at (result, 0)), ==,
                   "Delivery exception: Incorrect recipient address - Unable to deliver");
  g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, 0)), ==,
                   WAYBILL_STATUS_EXCEPTION);
  g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, 1)), ==,
                   WAYBILL_STATUS_OUT_FOR_DELIVERY);
  tracker_assert_time (waybill_tracking_event_get_time (tracker_event_at (result, 0)), "2024-05-21 15:22:00 -0400");
  /* No estimate while the address is wrong. */
  g_assert_null (result->estimated_from);
  g_assert_null (result->estimated_to);
  g_assert_null (result->delivered_at);
}

static void
test_returned (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(WaybillTrackingReply) reply = NULL;
  WaybillTrackingResult *result;

  fake_response_fixture (fake_carrier_server_queue (f->server, TRACK_PATH, 200),
                         "fedex/returned.json");
  reply = fake_track_one (f->tracker, RETURNED);
  result = reply->result;

  g_assert_nonnull (result);
  g_assert_cmpint (result->status, ==, WAYBILL_STATUS_RETURNED);
  g_assert_cmpint (result->exception_reason, ==, WAYBILL_EXCEPTION_REFUSED);
  g_assert_cmpstr (result->sub_status, ==, "Return to shipper: Package refused by recipient");
  g_assert_cmpuint (result->events->len, ==, 4);
  g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, 0)), ==,
                   WAYBILL_STATUS_RETURNED);
  g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, 1)), ==,
                   WAYBILL_STATUS_EXCEPTION);
  g_assert_cmpstr (waybill_tracking_event_get_location (tracker_event_at (result, 0)), ==,
                   "PHOENIX, AZ, US");
  g_assert_null (result->estimated_to);
  g_assert_null (result->delivered_at);
}

static void
test_running_late (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(WaybillTrackingReply) reply = NULL;
  WaybillTrackingResult *result;

  fake_response_fixture (fake_carrier_server_queue (f->server, TRACK_PATH, 200),
                         "fedex/running-late.json");
  reply = fake_track_one (f->tracker, LATE);
  result = reply->result;

  /* Still moving, late because of the weather. */
  g_assert_nonnull (result);
  g_assert_cmpint (result->status, ==, WAYBILL_STATUS_IN_TRANSIT);
  g_assert_cmpint (result->exception_reason, ==, WAYBILL_EXCEPTION_WEATHER);
  g_assert_cmpstr (result->sub_status, ==, "Running late");
  g_assert_cmpstr (waybill_tracking_event_get_code (tracker_event_at (result, 0)), ==, "DY");
  g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, 0)), ==,
                   WAYBILL_STATUS_IN_TRANSIT);
  g_assert_cmpstr (waybill_tracking_event_get_description (tracker_event_at (result, 0)), ==,
                   "Delay: Local weather delay");
  /* The new window, not the missed commitment. */
  tracker_assert_time (result->estimated_from, "2024-01-17 13:00:00 -0600");
  tracker_assert_time (result->estimated_to, "2024-01-17 17:00:00 -0600");
}

/* Every code of FedEx's "Tracking Status Codes", as latestStatusDetail and
 * as the only scan event. */
static void
test_codes (Fixture       *f,
            gconstpointer  data)
{
  static const struct
  {
    const char             *code;
    const char             *derived;
    const char             *description;
    const char             *delay_type;
    WaybillStatus           status;
    WaybillExceptionReason  reason;
  } cases[] = {
    { "OC", "IN", "Shipment information sent to FedEx", NULL, WAYBILL_STATUS_INFO_RECEIVED, 0 },
    { "AP", "IN", "At pickup", NULL, WAYBILL_STATUS_INFO_RECEIVED, 0 },
    { "EP", NULL, "Enroute to pickup", NULL, WAYBILL_STATUS_INFO_RECEIVED, 0 },
    { "PU", "PU", "Picked up", NULL, WAYBILL_STATUS_PICKED_UP, 0 },
    { "PX", "PU", "Picked up (see details)", NULL, WAYBILL_STATUS_PICKED_UP, 0 },
    { "AR", "IT", "Arrived at FedEx location", NULL, WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "AF", "IT", "At local FedEx facility", NULL, WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "DP", "IT", "Departed FedEx location", NULL, WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "IT", "IT", "In transit", NULL, WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "IX", "IT", "In transit (see details)", NULL, WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "FD", "IT", "At FedEx destination facility", NULL, WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "AA", NULL, "At airport", NULL, WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "AC", NULL, "At Canada Post facility", NULL, WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "AX", NULL, "At USPS facility", NULL, WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "CH", NULL, "Location changed", NULL, WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "EA", NULL, "Enroute to airport", NULL, WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "EO", NULL, "Enroute to origin airport", NULL, WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "LO", NULL, "Left FedEx origin facility", NULL, WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "OF", NULL, "At FedEx origin facility", NULL, WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "Ow", NULL, "On the way", NULL, WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "OX", NULL, "Shipment information sent to USPS", NULL, WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "PF", NULL, "Plane in flight", NULL, WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "PL", NULL, "Plane landed", NULL, WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "PM", NULL, "In progress", NULL, WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "SF", NULL, "At sort facility", NULL, WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "TR", NULL, "Transfer", NULL, WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "CC", "IT", "International shipment release - Import", NULL, WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "CP", NULL, "Clearance in progress", NULL, WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "OD", "OD", "On FedEx vehicle for delivery", NULL, WAYBILL_STATUS_OUT_FOR_DELIVERY, 0 },
    { "ED", NULL, "Enroute to delivery", NULL, WAYBILL_STATUS_OUT_FOR_DELIVERY, 0 },
    { "AD", NULL, "At delivery", NULL, WAYBILL_STATUS_OUT_FOR_DELIVERY, 0 },
    { "DL", "DL", "Delivered", NULL, WAYBILL_STATUS_DELIVERED, 0 },
    { "HL", "HL", "Ready for pickup at FedEx Office", NULL, WAYBILL_STATUS_AVAILABLE_FOR_PICKUP, 0 },
    { "HP", NULL, "Ready for recipient pickup", NULL, WAYBILL_STATUS_AVAILABLE_FOR_PICKUP, 0 },
    { "RS", "RS", "Returning package to shipper", NULL, WAYBILL_STATUS_RETURNED, 0 },
    { "CA", "CA", "Shipment cancelled by sender", NULL, WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_OTHER },
    { "DE", "DE", "Delivery exception: Customer not available or business closed", NULL, WAYBILL_STATUS_FAILED_ATTEMPT, 0 },
    { "DE", "DE", "Delivery exception: Incorrect address", NULL, WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_ADDRESS },
    { "DE", "DE", "Delivery exception: Package refused by recipient", NULL, WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_REFUSED },
    { "DE", "DE", "Delivery exception: Returning to shipper", NULL, WAYBILL_STATUS_RETURNED, 0 },
    { "DE", "DE", "Delivery exception", NULL, WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_OTHER },
    { "SE", "SE", "Shipment exception: Package damaged", NULL, WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_DAMAGED },
    { "SE", "SE", "Shipment exception: Unable to locate package", NULL, WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_LOST },
    { "SE", "SE", "Shipment exception: Import documentation required by customs", NULL, WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_CUSTOMS },
    { "CD", "SE", "Clearance delay", NULL, WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_CUSTOMS },
    { "DY", "DY", "Delay: Local weather delay", NULL, WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_WEATHER },
    { "DY", "DY", "Delay", "WEATHER", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_WEATHER },
    { "DY", "DY", "Delay", NULL, WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_DELAY },
    { "DD", "DY", "Delivery delay", NULL, WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_DELAY },
    { "PD", NULL, "Pickup delay", NULL, WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_DELAY },
    /* Running late: moving, with the delay's reason. */
    { "DY", "RL", "Running late", NULL, WAYBILL_STATUS_IN_TRANSIT, WAYBILL_EXCEPTION_DELAY },
    { "IT", "RL", "Running late", "CLEARANCE", WAYBILL_STATUS_IN_TRANSIT, WAYBILL_EXCEPTION_CUSTOMS },
    { "IT", "IT", "In transit", "WEATHER", WAYBILL_STATUS_IN_TRANSIT, WAYBILL_EXCEPTION_WEATHER },
    { "AR", "IT", "Arrived at FedEx location", "OPERATIONAL", WAYBILL_STATUS_IN_TRANSIT, WAYBILL_EXCEPTION_DELAY },
    /* Codes that say nothing of where the parcel is: the derived code or
     * the scans tell. */
    { "AE", "IT", "Shipment arriving early", NULL, WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "AO", NULL, "Shipment arriving on-time", NULL, WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "RR", NULL, "Delivery option requested", NULL, WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "RM", NULL, "Delivery option modified", NULL, WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "RC", NULL, "Delivery option cancelled", NULL, WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "RP", NULL, "Return label link emailed to return sender", NULL, WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "LP", NULL, "Return label link cancelled by shipment originator", NULL, WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "RG", NULL, "Return label link expiring soon", NULL, WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "RD", NULL, "Return label link expired", NULL, WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "SP", NULL, "Split status", NULL, WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "DS", NULL, "Vehicle dispatched", NULL, WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "DR", NULL, "Vehicle furnished but not used", NULL, WAYBILL_STATUS_IN_TRANSIT, 0 },
    /* A code this version does not know. */
    { "ZZ", NULL, "Returned to shipper", NULL, WAYBILL_STATUS_RETURNED, 0 },
    { "ZZ", NULL, "Something new", NULL, WAYBILL_STATUS_IN_TRANSIT, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) json = g_string_new (NULL);
      g_autoptr(GString) delay = g_string_new ("");
      g_autoptr(WaybillTrackingReply) reply = NULL;
      g_autofree char *derived = NULL;

      if (cases[i].delay_type != NULL)
        g_string_printf (delay, ",\"delayDetail\":{\"type\":\"%s\",\"status\":\"DELAYED\"}",
                         cases[i].delay_type);
      derived = cases[i].derived ? g_strdup_printf ("\"%s\"", cases[i].derived) : g_strdup ("null");

      g_string_append_printf (json,
                              "{\"transactionId\":\"t\",\"output\":{\"completeTrackResults\":[{"
                              "\"trackingNumber\":\"%s\",\"trackResults\":[{"
                              "\"trackingNumberInfo\":{\"trackingNumber\":\"%s\"},"
                              "\"latestStatusDetail\":{\"code\":\"%s\",\"derivedCode\":%s,"
                              "\"description\":\"%s\"%s},"
                              "\"scanEvents\":[{\"date\":\"2024-06-01T10:15:00-05:00\","
                              "\"eventType\":\"%s\",\"eventDescription\":\"%s\","
                              "\"derivedStatusCode\":%s%s,"
                              "\"scanLocation\":{\"city\":\"MEMPHIS\",\"stateOrProvinceCode\":\"TN\","
                              "\"countryCode\":\"US\"}}]}]}]}}",
                              NUMBER, NUMBER, cases[i].code, derived, cases[i].description,
                              delay->str, cases[i].code, cases[i].description, derived,
                              delay->str);

      fake_response_json (fake_carrier_server_queue (f->server, TRACK_PATH, 200), json->str);
      reply = fake_track_one (f->tracker, NUMBER);
      g_assert_nonnull (reply->result);
      if (reply->result->status != cases[i].status ||
          reply->result->exception_reason != cases[i].reason)
        g_error ("%s/%s “%s”: got %s/%s, expected %s/%s", cases[i].code, cases[i].derived,
                 cases[i].description, waybill_status_to_id (reply->result->status),
                 waybill_exception_reason_to_id (reply->result->exception_reason),
                 waybill_status_to_id (cases[i].status),
                 waybill_exception_reason_to_id (cases[i].reason));
      g_assert_cmpuint (reply->result->events->len, ==, 1);
      g_assert_cmpstr (waybill_tracking_event_get_code (tracker_event_at (reply->result, 0)), ==,
                       cases[i].code);
      g_assert_cmpstr (waybill_tracking_event_get_description (tracker_event_at (reply->result, 0)), ==,
                       cases[i].description);
      g_assert_cmpstr (waybill_tracking_event_get_location (tracker_event_at (reply->result, 0)), ==,
                       "MEMPHIS, TN, US");
    }
}

static void
test_not_found (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(WaybillTrackingReply) unknown = NULL;
  g_autoptr(WaybillTrackingReply) invalid = NULL;

  /* HTTP 200 with a per-number error. */
  fake_response_fixture (fake_carrier_server_queue (f->server, TRACK_PATH, 200),
                         "fedex/not-found.json");
  unknown = fake_track_one (f->tracker, UNKNOWN);
  fake_assert_error (unknown, WAYBILL_TRACKER_ERROR_NOT_FOUND);
  g_assert_cmpstr (unknown->error->message, ==, "FedEx does not know tracking number 794600000000");

  fake_response_json (fake_carrier_server_queue (f->server, TRACK_PATH, 200),
                      "{\"transactionId\":\"t\",\"output\":{\"completeTrackResults\":[{"
                      "\"trackingNumber\":\"12345\",\"trackResults\":[{\"trackingNumberInfo\":"
                      "{\"trackingNumber\":\"12345\"},\"error\":{\"code\":"
                      "\"TRACKING.TRACKINGNUMBER.INVALID\",\"message\":\"Invalid tracking number.\"}}]}]}}");
  invalid = fake_track_one (f->tracker, "12345");
  fake_assert_error (invalid, WAYBILL_TRACKER_ERROR_NOT_FOUND);
  g_assert_cmpstr (invalid->error->message, ==, "12345 is not a valid FedEx tracking number");
}

static void
test_batch_with_unknown (Fixture       *f,
                         gconstpointer  data)
{
  const char *numbers[] = { NUMBER, UNKNOWN, NULL };
  g_autoptr(GPtrArray) replies = NULL;
  g_auto(GStrv) asked = NULL;

  fake_response_fixture (fake_carrier_server_queue (f->server, TRACK_PATH, 200),
                         "fedex/batch-with-unknown.json");
  replies = track_many (f->tracker, numbers);

  /* One request; the unknown number fails alone. */
  g_assert_cmpuint (fake_carrier_server_count (f->server, TRACK_PATH), ==, 1);
  asked = numbers_of_body (fake_carrier_server_get_last_request (f->server, TRACK_PATH)->body);
  g_assert_cmpstrv (asked, numbers);

  g_assert_nonnull (reply_at (replies, 0)->result);
  g_assert_cmpint (reply_at (replies, 0)->result->status, ==, WAYBILL_STATUS_IN_TRANSIT);
  g_assert_cmpuint (reply_at (replies, 0)->result->events->len, ==, 5);
  fake_assert_error (reply_at (replies, 1), WAYBILL_TRACKER_ERROR_NOT_FOUND);
}

/* Answers a track request as FedEx would: every number in transit, but
 * the unknown one, in the reverse order of the request so that results are
 * matched by number. */
static gboolean
answer_batch_cb (FakeCarrierServer *server,
                 SoupServerMessage *message,
                 const char        *path,
                 gpointer           user_data)
{
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (message));
  g_auto(GStrv) numbers = numbers_of_body (body);
  g_autoptr(GString) json = g_string_new ("{\"transactionId\":\"t\",\"output\":{\"completeTrackResults\":[");
  guint n = g_strv_length (numbers);

  for (guint i = n; i > 0; i--)
    {
      const char *number = numbers[i - 1];

      if (i != n)
        g_string_append_c (json, ',');
      if (g_str_equal (number, UNKNOWN))
        g_string_append_printf (json,
                                "{\"trackingNumber\":\"%s\",\"trackResults\":[{\"trackingNumberInfo\":"
                                "{\"trackingNumber\":\"%s\",\"trackingNumberUniqueId\":\"\","
                                "\"carrierCode\":\"\"},\"error\":{\"code\":"
                                "\"TRACKING.TRACKINGNUMBER.NOTFOUND\",\"message\":\"Tracking number "
                                "cannot be found. Please correct the tracking number and try again.\"}}]}",
                                number, number);
      else
        g_string_append_printf (json,
                                "{\"trackingNumber\":\"%s\",\"trackResults\":[{\"trackingNumberInfo\":"
                                "{\"trackingNumber\":\"%s\",\"trackingNumberUniqueId\":\"12029~%s~FDEG\","
                                "\"carrierCode\":\"FDXG\"},\"latestStatusDetail\":{\"code\":\"IT\","
                                "\"derivedCode\":\"IT\",\"statusByLocale\":\"In transit\","
                                "\"description\":\"In transit\",\"scanLocation\":{\"city\":\"MEMPHIS\","
                                "\"stateOrProvinceCode\":\"TN\",\"countryCode\":\"US\"}},"
                                "\"scanEvents\":[{\"date\":\"2024-06-04T03:15:00-05:00\","
                                "\"eventType\":\"DP\",\"eventDescription\":\"Departed FedEx hub\","
                                "\"exceptionCode\":\"\",\"exceptionDescription\":\"\","
                                "\"scanLocation\":{\"city\":\"MEMPHIS\",\"stateOrProvinceCode\":\"TN\","
                                "\"postalCode\":\"38118\",\"countryCode\":\"US\"},"
                                "\"derivedStatusCode\":\"IT\",\"derivedStatus\":\"In transit\"}]}]}",
                                number, number, number);
    }
  g_string_append (json, "]}}");

  fake_answer (message, SOUP_STATUS_OK, json->str);
  return TRUE;
}

static void
test_big_batch (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) numbers = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) replies = NULL;
  g_auto(GStrv) first = NULL;
  g_auto(GStrv) second = NULL;

  /* 33 numbers, the unknown one in the second request. */
  for (guint i = 0; i < 33; i++)
    g_ptr_array_add (numbers, i == 31 ? g_strdup (UNKNOWN) : g_strdup_printf ("7946%08u", 100 + i));
  g_ptr_array_add (numbers, NULL);

  fake_carrier_server_set_handler (f->server, TRACK_PATH, answer_batch_cb, NULL);
  replies = track_many (f->tracker, (const char * const *) numbers->pdata);

  g_assert_cmpuint (fake_carrier_server_count (f->server, TOKEN_PATH), ==, 1);
  g_assert_cmpuint (fake_carrier_server_count (f->server, TRACK_PATH), ==, 2);
  first = numbers_of_body (fake_carrier_server_get_request (f->server, 1)->body);
  second = numbers_of_body (fake_carrier_server_get_request (f->server, 2)->body);
  g_assert_cmpuint (g_strv_length (first), ==, 30);
  g_assert_cmpuint (g_strv_length (second), ==, 3);
  g_assert_cmpstr (first[0], ==, g_ptr_array_index (numbers, 0));
  g_assert_cmpstr (first[29], ==, g_ptr_array_index (numbers, 29));
  g_assert_cmpstr (second[1], ==, UNKNOWN);

  g_assert_cmpuint (replies->len, ==, 33);
  for (guint i = 0; i < replies->len; i++)
    {
      WaybillTrackingReply *reply = reply_at (replies, i);

      if (i == 31)
        {
          fake_assert_error (reply, WAYBILL_TRACKER_ERROR_NOT_FOUND);
          g_assert_nonnull (strstr (reply->error->message, UNKNOWN));
          continue;
        }
      g_assert_no_error (reply->error);
      g_assert_cmpint (reply->result->status, ==, WAYBILL_STATUS_IN_TRANSIT);
      g_assert_cmpstr (waybill_tracking_event_get_code (tracker_event_at (reply->result, 0)), ==, "DP");
    }
}

static void
test_token_renewed (Fixture       *f,
                    gconstpointer  data)
{
  /* FedEx drops the token early: 401, a new token, one retry. */
  tracker_check_token_renewed (f, &api);
}

static void
test_token_expiry (Fixture       *f,
                   gconstpointer  data)
{
  /* FedEx sends expires_in as a number. */
  tracker_check_token_expiry (f, &api, "2");
}

static void
test_token_rejected_twice (Fixture       *f,
                           gconstpointer  data)
{
  tracker_check_token_rejected_twice (f, &api);
}

static void
test_forbidden (Fixture       *f,
                gconstpointer  data)
{
  const char *numbers[] = { NUMBER, EXCEPTION, NULL };
  g_autoptr(GPtrArray) replies = NULL;

  /* No renewal for a 403: the account may not use the API. */
  fake_response_fixture (fake_carrier_server_queue (f->server, TRACK_PATH, 403),
                         "fedex/error-403.json");
  replies = track_many (f->tracker, numbers);
  for (guint i = 0; i < replies->len; i++)
    {
      fake_assert_error (reply_at (replies, i), WAYBILL_TRACKER_ERROR_AUTH);
      g_assert_cmpstr (reply_at (replies, i)->error->message, ==,
                       "FedEx rejected Waybill’s credentials; check the FedEx client ID and secret in Preferences");
    }
  g_assert_cmpuint (fake_carrier_server_count (f->server, TOKEN_PATH), ==, 1);
  g_assert_cmpuint (fake_carrier_server_count (f->server, TRACK_PATH), ==, 1);
}

/* FedEx's codes tell the kind when a proxy changed the status. */
static void
test_error_codes (Fixture       *f,
                  gconstpointer  data)
{
  static const struct
  {
    guint                status;
    const char          *fixture;
    WaybillTrackerError  error;
  } cases[] = {
    { 400, "fedex/error-401.json", WAYBILL_TRACKER_ERROR_AUTH },
    { 400, "fedex/error-403.json", WAYBILL_TRACKER_ERROR_AUTH },
    { 400, "fedex/error-429.json", WAYBILL_TRACKER_ERROR_RATE_LIMITED },
    { 400, "fedex/error-500.json", WAYBILL_TRACKER_ERROR_UNAVAILABLE },
    { 400, "fedex/error-404.json", WAYBILL_TRACKER_ERROR_UNAVAILABLE },
    { 400, "fedex/not-found.json", WAYBILL_TRACKER_ERROR_BAD_RESPONSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(WaybillTrackingReply) reply = NULL;

      fake_response_fixture (fake_carrier_server_queue (f->server, TRACK_PATH, cases[i].status),
                             cases[i].fixture);
      reply = fake_track_one (f->tracker, NUMBER);
      fake_assert_error (reply, cases[i].error);
    }
}

static void
test_bad_client (Fixture       *f,
                 gconstpointer  data)
{
  const char *numbers[] = { NUMBER, EXCEPTION, NULL };
  g_autoptr(WaybillCredentials) wrong = waybill_credentials_new (NULL, FAKE_FEDEX_CLIENT_ID,
                                                                 "wrong-secret-0000");
  g_autoptr(GPtrArray) replies = NULL;

  waybill_tracker_set_credentials (f->tracker, wrong);
  replies = track_many (f->tracker, numbers);

  g_assert_cmpuint (fake_carrier_server_count (f->server, TOKEN_PATH), ==, 1);
  g_assert_cmpuint (fake_carrier_server_count (f->server, TRACK_PATH), ==, 0);
  for (guint i = 0; i < replies->len; i++)
    {
      WaybillTrackingReply *reply = reply_at (replies, i);

      fake_assert_error (reply, WAYBILL_TRACKER_ERROR_AUTH);
      g_assert_null (strstr (reply->error->message, "wrong-secret"));
    }
}

static void
test_not_configured (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(WaybillCredentials) half = waybill_credentials_new (NULL, FAKE_FEDEX_CLIENT_ID, NULL);
  const char *numbers[] = { NUMBER, NULL };

  tracker_check_not_configured (f, half, numbers, "client ID and secret");
}

static void
test_rate_limited (Fixture       *f,
                   gconstpointer  data)
{
  const char *numbers[] = { NUMBER, EXCEPTION, NULL };
  g_autoptr(GPtrArray) replies = NULL;
  g_autoptr(WaybillTrackingReply) token = NULL;

  fake_response_header (fake_response_fixture (fake_carrier_server_queue (f->server, TRACK_PATH, 429),
                                               "fedex/error-429.json"),
                        "Retry-After", "12");
  replies = track_many (f->tracker, numbers);
  for (guint i = 0; i < replies->len; i++)
    {
      fake_assert_error (reply_at (replies, i), WAYBILL_TRACKER_ERROR_RATE_LIMITED);
      g_assert_cmpuint (reply_at (replies, i)->retry_after_seconds, ==, 12);
    }

  /* The token endpoint may be the one that says so. */
  fake_carrier_server_expire_tokens (f->server, "fedex");
  fake_response_header (fake_response_fixture (fake_carrier_server_queue (f->server, TOKEN_PATH, 429),
                                               "fedex/error-429.json"),
                        "Retry-After", "7");
  token = fake_track_one (f->tracker, NUMBER);
  fake_assert_error (token, WAYBILL_TRACKER_ERROR_RATE_LIMITED);
  g_assert_cmpuint (token->retry_after_seconds, ==, 7);
}

static void
test_unavailable (Fixture       *f,
                  gconstpointer  data)
{
  static const char page[] = "<html><head><title>Bad Gateway</title></head></html>";
  static const struct
  {
    guint       status;
    const char *fixture;
    const char *retry_after;
  } cases[] = {
    { 503, "fedex/error-503.json", "30" },
    { 500, "fedex/error-500.json", NULL },
    /* FedEx's NOT.FOUND.ERROR is a resource gone, not an unknown number;
     * the track path cannot be unknown either. */
    { 404, "fedex/error-404.json", NULL },
    { 404, NULL, NULL },
    { 502, NULL, NULL },
    /* The code, whatever the status a proxy put on it. */
    { 200, "fedex/error-503.json", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(WaybillTrackingReply) reply = NULL;
      FakeResponse *response = fake_carrier_server_queue (f->server, TRACK_PATH, cases[i].status);

      if (cases[i].fixture != NULL)
        fake_response_fixture (response, cases[i].fixture);
      else
        fake_response_body (response, "text/html", page, strlen (page));
      if (cases[i].retry_after != NULL)
        fake_response_header (response, "Retry-After", cases[i].retry_after);

      reply = fake_track_one (f->tracker, NUMBER);
      fake_assert_error (reply, WAYBILL_TRACKER_ERROR_UNAVAILABLE);
      g_assert_cmpuint (reply->retry_after_seconds, ==, cases[i].retry_after ? 30 : 0);
    }
}

static void
test_bad_response (Fixture       *f,
                   gconstpointer  data)
{
  static const char * const bodies[] = {
    "<!DOCTYPE html><html><body>Sorry, something went wrong</body></html>",
    "not json at all",
    "[]",
    "{\"transactionId\":\"t\",\"output\":{}}",
    "{\"transactionId\":\"t\",\"output\":{\"completeTrackResults\":{}}}",
    "{\"transactionId\":\"t\",\"output\":{\"completeTrackResults\":[{\"trackingNumber\":\"" NUMBER "\","
    "\"trackResults\":[]}]}}",
    "{\"transactionId\":\"t\",\"output\":{\"completeTrackResults\":[{\"trackingNumber\":\"" NUMBER "\","
    "\"trackResults\":[7, {\"trackingNumberInfo\":{}}]}]}}",
    /* Results for other numbers only: none is taken for the one asked. */
    "{\"transactionId\":\"t\",\"output\":{\"completeTrackResults\":[{\"trackingNumber\":\"999\","
    "\"trackResults\":[{\"latestStatusDetail\":{\"code\":\"DL\"}}]},"
    "{\"trackingNumber\":\"998\"}]}}",
    "{\"transactionId\":\"t\",\"output\":{\"completeTrackResults\":[{\"trackingNumber\":",
  };

  tracker_check_web_page (f, TRACK_PATH, NUMBER, bodies[0]);
  tracker_check_bad_bodies (f, TRACK_PATH, NUMBER, bodies + 1, G_N_ELEMENTS (bodies) - 1);
}

static void
test_truncated (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(WaybillTrackingReply) reply = NULL;

  reply = tracker_track_truncated (f, TRACK_PATH, "fedex/5-delivered.json", NUMBER);
}

static void
test_chunked (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(WaybillTrackingReply) reply = NULL;

  fake_response_mode (fake_response_fixture (fake_carrier_server_queue (f->server, TRACK_PATH, 200),
                                             "fedex/5-delivered.json"),
                      FAKE_RESPONSE_CHUNKED);
  reply = fake_track_one (f->tracker, NUMBER);
  g_assert_nonnull (reply->result);
  g_assert_cmpint (reply->result->status, ==, WAYBILL_STATUS_DELIVERED);
}

static void
test_timeout (Fixture       *f,
              gconstpointer  data)
{
  const char *numbers[] = { NUMBER, EXCEPTION, NULL };
  g_autoptr(GPtrArray) replies = NULL;
  g_autoptr(WaybillTrackingReply) token = NULL;
  gint64 start;

  waybill_tracker_set_timeout_ms (f->tracker, 200);

  /* The Track API never answers: every number of the batch fails. */
  fake_response_mode (fake_carrier_server_queue (f->server, TRACK_PATH, 200),
                      FAKE_RESPONSE_NEVER_ANSWER);
  start = g_get_monotonic_time ();
  replies = track_many (f->tracker, numbers);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  for (guint i = 0; i < replies->len; i++)
    {
      fake_assert_error (reply_at (replies, i), WAYBILL_TRACKER_ERROR_NETWORK);
      g_assert_cmpstr (reply_at (replies, i)->error->message, ==,
                       "Could not reach FedEx: no answer within 0.2 seconds");
    }

  /* The token expired, and the token endpoint does not answer either. */
  fake_carrier_server_expire_tokens (f->server, "fedex");
  fake_response_mode (fake_carrier_server_queue (f->server, TOKEN_PATH, 200),
                      FAKE_RESPONSE_NEVER_ANSWER);
  token = fake_track_one (f->tracker, NUMBER);
  fake_assert_error (token, WAYBILL_TRACKER_ERROR_NETWORK);
  g_assert_cmpuint (fake_carrier_server_count (f->server, TOKEN_PATH), ==, 2);
  g_assert_cmpuint (fake_carrier_server_count (f->server, TRACK_PATH), ==, 2);
}

static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  tracker_check_refused (f, NUMBER);
}

static void
test_parse_directly (void)
{
  const char *numbers[] = { UNKNOWN, NUMBER, NULL };
  g_autoptr(WaybillTracker) tracker = waybill_tracker_fedex_new (NULL);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GPtrArray) replies = NULL;

  /* Asked in another order than the answer gives them. */
  body = tracker_fixture_bytes ("fedex/batch-with-unknown.json");
  replies = waybill_tracker_fedex_parse_response (WAYBILL_TRACKER_FEDEX (tracker), numbers, 200,
                                                  body);
  g_assert_cmpuint (replies->len, ==, 2);
  fake_assert_error (reply_at (replies, 0), WAYBILL_TRACKER_ERROR_NOT_FOUND);
  g_assert_cmpstr (reply_at (replies, 1)->number, ==, NUMBER);
  g_assert_nonnull (reply_at (replies, 1)->result);
  g_assert_cmpint (reply_at (replies, 1)->result->status, ==, WAYBILL_STATUS_IN_TRANSIT);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/waybill/tracker-fedex/" path, Fixture, NULL, fixture_setup, func, tracker_fixture_teardown)

  ADD ("properties", test_properties);
  ADD ("registry", test_registry);
  ADD ("lifecycle", test_lifecycle);
  ADD ("exception", test_exception);
  ADD ("returned", test_returned);
  ADD ("running-late", test_running_late);
  ADD ("codes", test_codes);
  ADD ("not-found", test_not_found);
  ADD ("batch-with-unknown", test_batch_with_unknown);
  ADD ("big-batch", test_big_batch);
  ADD ("token-renewed", test_token_renewed);
  ADD ("token-expiry", test_token_expiry);
  ADD ("token-rejected-twice", test_token_rejected_twice);
  ADD ("forbidden", test_forbidden);
  ADD ("error-codes", test_error_codes);
  ADD ("bad-client", test_bad_client);
  ADD ("not-configured", test_not_configured);
  ADD ("rate-limited", test_rate_limited);
  ADD ("unavailable", test_unavailable);
  ADD ("bad-response", test_bad_response);
  ADD ("truncated", test_truncated);
  ADD ("chunked", test_chunked);
  ADD ("timeout", test_timeout);
  ADD ("refused", test_refused);
  g_test_add_func ("/waybill/tracker-fedex/parse", test_parse_directly);

  return g_test_run ();
}
