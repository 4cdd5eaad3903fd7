/* test-tracker-17track.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "carriers/waybill-tracker-17track.h"
#include "tracker-test-util.h"

#define UPS "1Z999AA10123456784"
#define CHINA_POST "RB123456785CN"
#define POSTNL "3SKABA0123456789"
#define UNKNOWN "QX0000000001"

#define INFO_PATH "/track/v2.2/gettrackinfo"
#define REGISTER_PATH "/track/v2.2/register"

typedef TrackerFixture Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  tracker_fixture_setup (f, waybill_tracker_17track_new);
}

/* The body of a request: a JSON array of {"number", "carrier"?}, as
 * "number" or "number:carrier", joined with commas. */
static char *
request_items (const FakeRequest *request)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) items = g_string_new (NULL);
  JsonArray *array;

  g_assert_cmpstr (request->method, ==, "POST");
  g_assert_cmpstr (soup_message_headers_get_content_type (request->headers, NULL), ==,
                   "application/json");
  json_parser_load_from_data (parser, g_bytes_get_data (request->body, NULL),
                              (gssize) g_bytes_get_size (request->body), &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)));

  array = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *item = json_array_get_object_element (array, i);

      if (i > 0)
        g_string_append_c (items, ',');
      g_string_append (items, json_object_get_string_member (item, "number"));
      if (json_object_has_member (item, "carrier"))
        g_string_append_printf (items, ":%" G_GINT64_FORMAT,
                                json_object_get_int_member (item, "carrier"));
      g_assert_cmpuint (json_object_get_size (item), ==,
                        json_object_has_member (item, "carrier") ? 2 : 1);
    }

  return g_strdup (items->str);
}

static void
assert_items (FakeCarrierServer *server,
              guint              index,
              const char        *path,
              const char        *expected)
{
  const FakeRequest *request = fake_carrier_server_get_request (server, index);
  g_autofree char *items = request_items (request);

  g_assert_cmpstr (request->path, ==, path);
  g_assert_cmpstr (items, ==, expected);
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "17token"), ==,
                   FAKE_17TRACK_API_KEY);
}

static void
test_properties (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(WaybillTracker) production = NULL;

  g_assert_cmpstr (waybill_tracker_get_id (f->tracker), ==, "17track");
  g_assert_cmpstr (waybill_tracker_get_name (f->tracker), ==, "17TRACK");
  g_assert_cmpuint (waybill_tracker_get_batch_size (f->tracker), ==, 40);
  g_assert_cmpfloat (waybill_tracker_get_requests_per_second (f->tracker), ==, 3.0);
  g_assert_cmpint (waybill_tracker_get_auth (f->tracker), ==, WAYBILL_TRACKER_AUTH_API_KEY);
  g_assert_cmpstr (waybill_tracker_get_base_url (f->tracker), ==,
                   fake_carrier_server_get_url (f->server));
  g_assert_true (waybill_tracker_is_configured (f->tracker));

  g_assert_cmpuint (waybill_tracker_17track_code_for_carrier ("ups"), ==, 100002);
  g_assert_cmpuint (waybill_tracker_17track_code_for_carrier ("dhl-parcel-de"), ==, 7041);
  g_assert_cmpuint (waybill_tracker_17track_code_for_carrier ("royal-mail"), ==, 0);
  g_assert_cmpuint (waybill_tracker_17track_code_for_carrier (NULL), ==, 0);

  g_unsetenv ("WAYBILL_17TRACK_URL");
  g_unsetenv ("WAYBILL_17TRACK_API_KEY");
  production = waybill_tracker_17track_new (NULL);
  g_assert_cmpstr (waybill_tracker_get_base_url (production), ==, "https://api.17track.net");
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
    { "17track/1-info-received.json", WAYBILL_STATUS_INFO_RECEIVED, 1, "2024-05-06 18:02:00 -0400" },
    { "17track/2-picked-up.json", WAYBILL_STATUS_PICKED_UP, 2, "2024-05-07 19:31:00 -0400" },
    { "17track/3-in-transit.json", WAYBILL_STATUS_IN_TRANSIT, 4, "2024-05-09 06:47:00 -0400" },
    { "17track/4-out-for-delivery.json", WAYBILL_STATUS_OUT_FOR_DELIVERY, 5, "2024-05-09 08:05:00 -0400" },
    { "17track/5-delivered.json", WAYBILL_STATUS_DELIVERED, 6, "2024-05-09 14:36:00 -0400" },
  };

  waybill_tracker_set_carrier_hint (f->tracker, UPS, "ups");
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    fake_response_fixture (fake_carrier_server_queue (f->server, INFO_PATH, 200), steps[i].fixture);

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autoptr(WaybillTrackingReply) reply = fake_track_one (f->tracker, UPS);
      WaybillTrackingResult *result = reply->result;
      WaybillTrackingEvent *newest;

      g_assert_no_error (reply->error);
      g_assert_cmpint (result->status, ==, steps[i].status);
      g_assert_cmpint (result->exception_reason, ==, WAYBILL_EXCEPTION_NONE);
      g_assert_cmpuint (result->events->len, ==, steps[i].n_events);
      tracker_assert_newest_first (result);

      newest = tracker_event_at (result, 0);
      g_assert_cmpint (waybill_tracking_event_get_status (newest), ==, steps[i].status);
      g_assert_false (waybill_tracking_event_get_time_is_local (newest));
      tracker_assert_time (waybill_tracking_event_get_time (newest), steps[i].newest);

      /* One call per lookup: the number is registered. */
      assert_items (f->server, i, INFO_PATH, UPS ":100002");

      switch (steps[i].status)
        {
        case WAYBILL_STATUS_INFO_RECEIVED:
          g_assert_cmpstr (result->sub_status, ==,
                           "Shipper created a label, UPS has not received the package yet.");
          g_assert_cmpstr (waybill_tracking_event_get_code (newest), ==, "InfoReceived");
          g_assert_cmpstr (waybill_tracking_event_get_location (newest), ==, "United States");
          g_assert_null (result->estimated_from);
          g_assert_null (result->estimated_to);
          break;

        case WAYBILL_STATUS_PICKED_UP:
          g_assert_cmpstr (waybill_tracking_event_get_code (newest), ==, "InTransit_PickedUp");
          g_assert_cmpstr (waybill_tracking_event_get_location (newest), ==,
                           "Atlanta, GA, United States");
          tracker_assert_time (result->estimated_from, "2024-05-09 00:00:00 -0400");
          tracker_assert_time (result->estimated_to, "2024-05-10 23:59:59 -0400");
          break;

        case WAYBILL_STATUS_IN_TRANSIT:
          g_assert_cmpstr (result->sub_status, ==, "Arrived at Facility");
          g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, 2)), ==,
                           WAYBILL_STATUS_PICKED_UP);
          g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, 3)), ==,
                           WAYBILL_STATUS_INFO_RECEIVED);
          break;

        case WAYBILL_STATUS_OUT_FOR_DELIVERY:
          tracker_assert_time (result->estimated_from, "2024-05-09 12:00:00 -0400");
          tracker_assert_time (result->estimated_to, "2024-05-09 16:00:00 -0400");
          g_assert_null (result->delivered_at);
          break;

        case WAYBILL_STATUS_DELIVERED:
          tracker_assert_time (result->delivered_at, "2024-05-09 14:36:00 -0400");
          g_assert_null (result->signed_by);
          g_assert_null (result->estimated_from);
          g_assert_null (result->estimated_to);
          g_assert_cmpstr (waybill_tracking_event_get_description (newest), ==, "DELIVERED");
          g_assert_cmpstr (waybill_tracking_event_get_code (newest), ==, "Delivered_Other");
          g_assert_cmpstr (waybill_tracking_event_get_location (newest), ==,
                           "Brooklyn, NY, United States");
          g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, 1)), ==,
                           WAYBILL_STATUS_OUT_FOR_DELIVERY);
          break;

        default:
          g_assert_not_reached ();
        }
    }

  g_assert_cmpuint (fake_carrier_server_get_n_requests (f->server), ==, G_N_ELEMENTS (steps));
}

/* An exception with a reason, and events from two providers. */
static void
test_exception (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(WaybillTrackingReply) reply = NULL;
  WaybillTrackingResult *result;

  fake_response_fixture (fake_carrier_server_queue (f->server, INFO_PATH, 200),
                         "17track/exception-damaged.json");
  reply = fake_track_one (f->tracker, CHINA_POST);
  result = reply->result;

  g_assert_nonnull (result);
  g_assert_cmpint (result->status, ==, WAYBILL_STATUS_EXCEPTION);
  g_assert_cmpint (result->exception_reason, ==, WAYBILL_EXCEPTION_DAMAGED);
  g_assert_cmpstr (result->sub_status, ==, "The item was damaged in transit and is being examined.");
  g_assert_cmpuint (result->events->len, ==, 4);
  tracker_assert_newest_first (result);
  g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, 0)), ==,
                   WAYBILL_STATUS_EXCEPTION);
  g_assert_cmpstr (waybill_tracking_event_get_code (tracker_event_at (result, 0)), ==, "Exception_Damage");
  g_assert_cmpstr (waybill_tracking_event_get_location (tracker_event_at (result, 1)), ==, "Frankfurt");
  /* The origin carrier's events, at their own offset. */
  tracker_assert_time (waybill_tracking_event_get_time (tracker_event_at (result, 3)), "2024-04-02 11:20:00 +0800");
  g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, 3)), ==,
                   WAYBILL_STATUS_PICKED_UP);

  /* No carrier hint: 17TRACK detects it. */
  assert_items (f->server, 0, INFO_PATH, CHINA_POST);
}

static void
test_returned (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(WaybillTrackingReply) reply = NULL;
  WaybillTrackingResult *result;

  fake_response_fixture (fake_carrier_server_queue (f->server, INFO_PATH, 200), "17track/returned.json");
  reply = fake_track_one (f->tracker, POSTNL);
  result = reply->result;

  g_assert_nonnull (result);
  g_assert_cmpint (result->status, ==, WAYBILL_STATUS_RETURNED);
  g_assert_cmpint (result->exception_reason, ==, WAYBILL_EXCEPTION_NONE);
  g_assert_cmpuint (result->events->len, ==, 4);
  g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, 0)), ==,
                   WAYBILL_STATUS_RETURNED);
  g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, 1)), ==,
                   WAYBILL_STATUS_RETURNED);
  g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, 2)), ==,
                   WAYBILL_STATUS_EXCEPTION);
  g_assert_null (result->delivered_at);
  g_assert_null (result->estimated_to);
}

static void
add_member (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* A gettrackinfo answer with one event. */
static char *
build_answer (const char *status,
              const char *sub_status,
              const char *description,
              const char *time_iso,
              const char *time_utc)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_int_value (builder, 0);
  json_builder_set_member_name (builder, "data");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "accepted");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  add_member (builder, "number", UNKNOWN);
  json_builder_set_member_name (builder, "track_info");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "latest_status");
  json_builder_begin_object (builder);
  add_member (builder, "status", status);
  add_member (builder, "sub_status", sub_status);
  add_member (builder, "sub_status_descr", NULL);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "latest_event");
  json_builder_begin_object (builder);
  add_member (builder, "description", description);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "tracking");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "providers");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "events");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  add_member (builder, "time_iso", time_iso);
  add_member (builder, "time_utc", time_utc);
  add_member (builder, "description", description);
  add_member (builder, "location", NULL);
  add_member (builder, "stage", NULL);
  add_member (builder, "sub_status", sub_status);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "rejected");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);

  return json_to_string (root, FALSE);
}

/* Every documented status and sub_status, and text for the unknown. */
static void
test_sub_statuses (Fixture       *f,
                   gconstpointer  data)
{
  static const struct
  {
    const char             *status;
    const char             *sub_status;
    const char             *text;
    WaybillStatus           expected;
    WaybillExceptionReason  reason;
  } cases[] = {
    { "InfoReceived", "InfoReceived", "Label created", WAYBILL_STATUS_INFO_RECEIVED, 0 },
    { "InTransit", "InTransit_PickedUp", "Picked up", WAYBILL_STATUS_PICKED_UP, 0 },
    { "InTransit", "InTransit_Other", "In transit", WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "InTransit", "InTransit_Departure", "Departed", WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "InTransit", "InTransit_Arrival", "Arrived", WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "InTransit", "InTransit_CustomsProcessing", "Customs clearance", WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "InTransit", "InTransit_CustomsReleased", "Released by customs", WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "InTransit", "InTransit_CustomsRequiringInformation", "Customs need an invoice", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_CUSTOMS },
    { "Expired", "Expired_Other", "No news for 60 days", WAYBILL_STATUS_EXPIRED, 0 },
    { "AvailableForPickup", "AvailableForPickup_Other", "At the post office", WAYBILL_STATUS_AVAILABLE_FOR_PICKUP, 0 },
    { "OutForDelivery", "OutForDelivery_Other", "With the courier", WAYBILL_STATUS_OUT_FOR_DELIVERY, 0 },
    { "DeliveryFailure", "DeliveryFailure_Other", "Not delivered", WAYBILL_STATUS_FAILED_ATTEMPT, 0 },
    { "DeliveryFailure", "DeliveryFailure_NoBody", "Nobody at home", WAYBILL_STATUS_FAILED_ATTEMPT, 0 },
    { "DeliveryFailure", "DeliveryFailure_Security", "Duties unpaid", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_CUSTOMS },
    { "DeliveryFailure", "DeliveryFailure_Rejected", "Refused", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_REFUSED },
    { "DeliveryFailure", "DeliveryFailure_InvalidAddress", "Wrong street", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_ADDRESS },
    { "Delivered", "Delivered_Other", "Delivered", WAYBILL_STATUS_DELIVERED, 0 },
    { "Exception", "Exception_Other", "Problem", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_OTHER },
    { "Exception", "Exception_Returning", "Going back", WAYBILL_STATUS_RETURNED, 0 },
    { "Exception", "Exception_Returned", "Back at the sender", WAYBILL_STATUS_RETURNED, 0 },
    { "Exception", "Exception_NoBody", "Recipient unknown", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_ADDRESS },
    { "Exception", "Exception_Security", "Held at the border", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_CUSTOMS },
    { "Exception", "Exception_Damage", "Broken", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_DAMAGED },
    { "Exception", "Exception_Rejected", "Refused", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_REFUSED },
    { "Exception", "Exception_Delayed", "Late", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_DELAY },
    { "Exception", "Exception_Lost", "Gone", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_LOST },
    { "Exception", "Exception_Destroyed", "Destroyed", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_OTHER },
    { "Exception", "Exception_Cancel", "Cancelled", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_OTHER },
    /* Sub-statuses this version does not know: their words tell. */
    { "Exception", "Exception_Future", "Storm in the area", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_WEATHER },
    { "Exception", NULL, "The parcel is lost", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_LOST },
    { "Exception", NULL, "Returned to sender", WAYBILL_STATUS_RETURNED, 0 },
    { "InTransit", "InTransit_Future", "Somewhere", WAYBILL_STATUS_IN_TRANSIT, 0 },
    /* A status from the future: the newest event tells. */
    { "Teleported", NULL, "Beamed", WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "Teleported", "Delivered_Other", "Beamed home", WAYBILL_STATUS_DELIVERED, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(WaybillTrackingReply) reply = NULL;
      g_autofree char *json = build_answer (cases[i].status, cases[i].sub_status, cases[i].text,
                                            "2024-05-06T07:08:09+02:00", "2024-05-06T05:08:09Z");

      fake_response_json (fake_carrier_server_queue (f->server, INFO_PATH, 200), json);
      reply = fake_track_one (f->tracker, UNKNOWN);
      g_assert_nonnull (reply->result);
      if (reply->result->status != cases[i].expected ||
          reply->result->exception_reason != cases[i].reason)
        g_error ("%s/%s “%s”: got %s/%s, expected %s/%s", cases[i].status, cases[i].sub_status,
                 cases[i].text,
                 waybill_status_to_id (reply->result->status),
                 waybill_exception_reason_to_id (reply->result->exception_reason),
                 waybill_status_to_id (cases[i].expected),
                 waybill_exception_reason_to_id (cases[i].reason));
      g_assert_cmpuint (reply->result->events->len, ==, 1);
    }
}

/* time_iso with its offset; without one, time_utc; without either, local. */
static void
test_times (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(WaybillTrackingReply) with_offset = NULL;
  g_autoptr(WaybillTrackingReply) gmt = NULL;
  g_autoptr(WaybillTrackingReply) local = NULL;
  g_autoptr(WaybillTrackingReply) none = NULL;
  g_autofree char *json = NULL;
  g_autofree char *wall = NULL;
  WaybillTrackingEvent *event;

  json = build_answer ("InTransit", "InTransit_Other", "Sorted", "2024-05-06T07:08:09+02:00",
                       "2024-05-06T05:08:09Z");
  fake_response_json (fake_carrier_server_queue (f->server, INFO_PATH, 200), json);
  with_offset = fake_track_one (f->tracker, UNKNOWN);
  tracker_assert_time (waybill_tracking_event_get_time (tracker_event_at (with_offset->result, 0)),
                       "2024-05-06 07:08:09 +0200");

  g_free (json);
  json = build_answer ("InTransit", "InTransit_Other", "Sorted", "2024-05-06T07:08:09",
                       "2024-05-06T05:08:09Z");
  fake_response_json (fake_carrier_server_queue (f->server, INFO_PATH, 200), json);
  gmt = fake_track_one (f->tracker, UNKNOWN);
  event = tracker_event_at (gmt->result, 0);
  g_assert_false (waybill_tracking_event_get_time_is_local (event));
  tracker_assert_time (waybill_tracking_event_get_time (event), "2024-05-06 05:08:09 +0000");

  g_free (json);
  json = build_answer ("InTransit", "InTransit_Other", "Sorted", "2024-05-06T07:08:09", NULL);
  fake_response_json (fake_carrier_server_queue (f->server, INFO_PATH, 200), json);
  local = fake_track_one (f->tracker, UNKNOWN);
  event = tracker_event_at (local->result, 0);
  g_assert_true (waybill_tracking_event_get_time_is_local (event));
  wall = g_date_time_format (waybill_tracking_event_get_time (event), "%Y-%m-%d %H:%M:%S");
  g_assert_cmpstr (wall, ==, "2024-05-06 07:08:09");

  /* An event without a time is dropped; without any event, the status
   * still tells. */
  g_free (json);
  json = build_answer ("InTransit", "InTransit_Other", "Sorted", NULL, "yesterday");
  fake_response_json (fake_carrier_server_queue (f->server, INFO_PATH, 200), json);
  none = fake_track_one (f->tracker, UNKNOWN);
  g_assert_nonnull (none->result);
  g_assert_cmpint (none->result->status, ==, WAYBILL_STATUS_IN_TRANSIT);
  g_assert_cmpuint (none->result->events->len, ==, 0);
}

/* -18019902, then register, then read. */
static void
test_register_then_read (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(WaybillTrackingReply) reply = NULL;

  waybill_tracker_set_carrier_hint (f->tracker, UPS, "ups");
  fake_response_fixture (fake_carrier_server_queue (f->server, INFO_PATH, 200),
                         "17track/not-registered.json");
  fake_response_fixture (fake_carrier_server_queue (f->server, REGISTER_PATH, 200),
                         "17track/register-accepted.json");
  fake_response_fixture (fake_carrier_server_queue (f->server, INFO_PATH, 200),
                         "17track/2-picked-up.json");
  reply = fake_track_one (f->tracker, UPS);

  g_assert_nonnull (reply->result);
  g_assert_cmpint (reply->result->status, ==, WAYBILL_STATUS_PICKED_UP);
  g_assert_cmpuint (reply->result->events->len, ==, 2);

  g_assert_cmpuint (fake_carrier_server_get_n_requests (f->server), ==, 3);
  assert_items (f->server, 0, INFO_PATH, UPS ":100002");
  assert_items (f->server, 1, REGISTER_PATH, UPS ":100002");
  assert_items (f->server, 2, INFO_PATH, UPS ":100002");
}

/* -18019901 on register is fine: read again. */
static void
test_already_registered (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(WaybillTrackingReply) reply = NULL;

  fake_response_fixture (fake_carrier_server_queue (f->server, INFO_PATH, 200),
                         "17track/not-registered.json");
  fake_response_fixture (fake_carrier_server_queue (f->server, REGISTER_PATH, 200),
                         "17track/register-already.json");
  fake_response_fixture (fake_carrier_server_queue (f->server, INFO_PATH, 200),
                         "17track/5-delivered.json");
  reply = fake_track_one (f->tracker, UPS);

  g_assert_nonnull (reply->result);
  g_assert_cmpint (reply->result->status, ==, WAYBILL_STATUS_DELIVERED);
  g_assert_cmpuint (fake_carrier_server_get_n_requests (f->server), ==, 3);
  assert_items (f->server, 1, REGISTER_PATH, UPS);
}

static void
test_not_found (Fixture       *f,
                gconstpointer  data)
{
  static const char invalid[] =
    "{\"code\":0,\"data\":{\"accepted\":[{\"number\":\"" UNKNOWN "\",\"carrier\":0,"
    "\"track_info\":{\"latest_status\":{\"status\":\"NotFound\",\"sub_status\":\"NotFound_InvalidCode\"},"
    "\"tracking\":{\"providers\":[]}}}],\"rejected\":[]}}";
  g_autoptr(WaybillTrackingReply) nothing = NULL;
  g_autoptr(WaybillTrackingReply) bad_number = NULL;
  g_autoptr(WaybillTrackingReply) still = NULL;

  /* Registered, but the carrier has nothing yet. */
  fake_response_fixture (fake_carrier_server_queue (f->server, INFO_PATH, 200), "17track/not-found.json");
  nothing = fake_track_one (f->tracker, UNKNOWN);
  fake_assert_error (nothing, WAYBILL_TRACKER_ERROR_NOT_FOUND);
  g_assert_cmpstr (nothing->error->message, ==,
                   "17TRACK has no information about tracking number " UNKNOWN " yet");

  fake_response_json (fake_carrier_server_queue (f->server, INFO_PATH, 200), invalid);
  bad_number = fake_track_one (f->tracker, UNKNOWN);
  fake_assert_error (bad_number, WAYBILL_TRACKER_ERROR_NOT_FOUND);
  g_assert_cmpstr (bad_number->error->message, ==,
                   UNKNOWN " is not a valid 17TRACK tracking number");

  /* Registered, and still not registered when asked again. */
  fake_response_fixture (fake_carrier_server_queue (f->server, INFO_PATH, 200),
                         "17track/not-registered.json");
  fake_response_fixture (fake_carrier_server_queue (f->server, REGISTER_PATH, 200),
                         "17track/register-accepted.json");
  fake_response_fixture (fake_carrier_server_queue (f->server, INFO_PATH, 200),
                         "17track/not-registered.json");
  still = fake_track_one (f->tracker, UPS);
  fake_assert_error (still, WAYBILL_TRACKER_ERROR_NOT_FOUND);

  g_assert_cmpuint (fake_carrier_server_get_n_requests (f->server), ==, 5);
}

/* -18019903: a clear not_found. */
static void
test_carrier_not_detected (Fixture       *f,
                           gconstpointer  data)
{
  static const char not_registered[] =
    "{\"code\":0,\"data\":{\"accepted\":[],\"rejected\":[{\"number\":\"" UNKNOWN "\","
    "\"error\":{\"code\":-18019902,\"message\":\"The tracking number '" UNKNOWN "' does not "
    "register, please register first.\"}}]}}";
  g_autoptr(WaybillTrackingReply) reply = NULL;

  fake_response_json (fake_carrier_server_queue (f->server, INFO_PATH, 200), not_registered);
  fake_response_fixture (fake_carrier_server_queue (f->server, REGISTER_PATH, 200),
                         "17track/register-carrier-not-detected.json");
  reply = fake_track_one (f->tracker, UNKNOWN);

  fake_assert_error (reply, WAYBILL_TRACKER_ERROR_NOT_FOUND);
  g_assert_cmpstr (reply->error->message, ==,
                   "17TRACK cannot tell which carrier tracking number " UNKNOWN
                   " belongs to; set the shipment’s carrier");
  /* Nothing registered, nothing asked again. */
  g_assert_cmpuint (fake_carrier_server_get_n_requests (f->server), ==, 2);
}

/* Three numbers: two answered, one unknown that cannot be registered. */
static void
test_batch (Fixture       *f,
            gconstpointer  data)
{
  const char *numbers[] = { UPS, UNKNOWN, CHINA_POST, UNKNOWN, NULL };
  g_autoptr(GPtrArray) replies = NULL;
  g_autoptr(GError) error = NULL;
  WaybillTrackingReply *reply;

  waybill_tracker_set_carrier_hint (f->tracker, UPS, "ups");
  waybill_tracker_set_carrier_hint (f->tracker, CHINA_POST, "china-post");
  fake_response_fixture (fake_carrier_server_queue (f->server, INFO_PATH, 200), "17track/batch.json");
  fake_response_fixture (fake_carrier_server_queue (f->server, REGISTER_PATH, 200),
                         "17track/register-carrier-not-detected.json");
  replies = fake_track (f->tracker, numbers, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (fake_carrier_server_get_n_requests (f->server), ==, 2);
  /* A number asked twice is one item. */
  assert_items (f->server, 0, INFO_PATH, UPS ":100002," UNKNOWN "," CHINA_POST ":3011");
  assert_items (f->server, 1, REGISTER_PATH, UNKNOWN);

  reply = g_ptr_array_index (replies, 0);
  g_assert_nonnull (reply->result);
  g_assert_cmpint (reply->result->status, ==, WAYBILL_STATUS_DELIVERED);
  reply = g_ptr_array_index (replies, 1);
  fake_assert_error (reply, WAYBILL_TRACKER_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (reply->error->message, "cannot tell which carrier"));
  reply = g_ptr_array_index (replies, 2);
  g_assert_nonnull (reply->result);
  g_assert_cmpint (reply->result->status, ==, WAYBILL_STATUS_EXCEPTION);
  reply = g_ptr_array_index (replies, 3);
  fake_assert_error (reply, WAYBILL_TRACKER_ERROR_NOT_FOUND);
}

static void
test_auth (Fixture       *f,
           gconstpointer  data)
{
  const char *numbers[] = { UPS, CHINA_POST, NULL };
  g_autoptr(WaybillCredentials) wrong = waybill_credentials_new ("not-the-key", NULL, NULL);
  g_autoptr(WaybillCredentials) right = waybill_credentials_new (FAKE_17TRACK_API_KEY, NULL, NULL);
  g_autoptr(GPtrArray) replies = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WaybillTrackingReply) envelope = NULL;

  waybill_tracker_set_credentials (f->tracker, wrong);
  replies = fake_track (f->tracker, numbers, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fake_carrier_server_get_n_requests (f->server), ==, 1);
  for (guint i = 0; i < replies->len; i++)
    {
      WaybillTrackingReply *reply = g_ptr_array_index (replies, i);

      fake_assert_error (reply, WAYBILL_TRACKER_ERROR_AUTH);
      g_assert_cmpstr (reply->error->message, ==,
                       "17TRACK rejected Waybill’s API key; check the 17TRACK API key in Preferences");
    }

  /* The same, behind HTTP 200. */
  waybill_tracker_set_credentials (f->tracker, right);
  fake_response_fixture (fake_carrier_server_queue (f->server, INFO_PATH, 200),
                         "17track/error-invalid-key.json");
  envelope = fake_track_one (f->tracker, UPS);
  fake_assert_error (envelope, WAYBILL_TRACKER_ERROR_AUTH);
}

static void
test_not_configured (Fixture       *f,
                     gconstpointer  data)
{
  const char *numbers[] = { UPS, CHINA_POST, NULL };

  tracker_check_not_configured (f, NULL, numbers, "API key");
}

static void
test_rate_limited (Fixture       *f,
                   gconstpointer  data)
{
  const char *numbers[] = { UPS, CHINA_POST, NULL };
  g_autoptr(GPtrArray) replies = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WaybillTrackingReply) envelope = NULL;
  g_autoptr(WaybillTrackingReply) registering = NULL;

  fake_response_header (fake_response_fixture (fake_carrier_server_queue (f->server, INFO_PATH, 429),
                                               "17track/error-request-limit.json"),
                        "Retry-After", "20");
  replies = fake_track (f->tracker, numbers, &error);
  g_assert_no_error (error);
  tracker_assert_all_rate_limited (replies, 20);

  /* -18010014 behind HTTP 200, without a delay. */
  fake_response_fixture (fake_carrier_server_queue (f->server, INFO_PATH, 200),
                         "17track/error-request-limit.json");
  envelope = fake_track_one (f->tracker, UPS);
  fake_assert_error (envelope, WAYBILL_TRACKER_ERROR_RATE_LIMITED);
  g_assert_cmpuint (envelope->retry_after_seconds, ==, 0);

  /* Met while registering. */
  fake_response_fixture (fake_carrier_server_queue (f->server, INFO_PATH, 200),
                         "17track/not-registered.json");
  fake_response_header (fake_response_fixture (fake_carrier_server_queue (f->server, REGISTER_PATH, 429),
                                               "17track/error-request-limit.json"),
                        "Retry-After", "5");
  registering = fake_track_one (f->tracker, UPS);
  fake_assert_error (registering, WAYBILL_TRACKER_ERROR_RATE_LIMITED);
  g_assert_cmpuint (registering->retry_after_seconds, ==, 5);

  g_assert_cmpuint (fake_carrier_server_get_n_requests (f->server), ==, 4);
}

static void
test_unavailable (Fixture       *f,
                  gconstpointer  data)
{
  static const char page[] = "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>";
  g_autoptr(WaybillTrackingReply) broken = NULL;
  g_autoptr(WaybillTrackingReply) quota = NULL;
  g_autoptr(WaybillTrackingReply) internal = NULL;

  fake_response_json (fake_carrier_server_queue (f->server, INFO_PATH, 500), "{}");
  broken = fake_track_one (f->tracker, UPS);
  fake_assert_error (broken, WAYBILL_TRACKER_ERROR_UNAVAILABLE);
  g_assert_nonnull (strstr (broken->error->message, "HTTP 500"));

  tracker_check_down_page (f, INFO_PATH, UPS, 503, page, 90);

  fake_response_fixture (fake_carrier_server_queue (f->server, INFO_PATH, 200), "17track/error-quota.json");
  quota = fake_track_one (f->tracker, UPS);
  fake_assert_error (quota, WAYBILL_TRACKER_ERROR_UNAVAILABLE);
  g_assert_nonnull (strstr (quota->error->message, "quota"));

  fake_response_json (fake_carrier_server_queue (f->server, INFO_PATH, 200),
                      "{\"code\":-18010003,\"data\":{\"errors\":[{\"code\":-18010003,"
                      "\"message\":\"Internal service error, please retry later.\"}]}}");
  internal = fake_track_one (f->tracker, UPS);
  fake_assert_error (internal, WAYBILL_TRACKER_ERROR_UNAVAILABLE);
}

static void
test_bad_response (Fixture       *f,
                   gconstpointer  data)
{
  static const char html[] =
    "<!DOCTYPE html>\n<html><head><title>17TRACK</title></head><body>Oops</body></html>";
  static const char * const bodies[] = {
    "not json at all",
    "[]",
    "{\"code\":0}",
    "{\"code\":0,\"data\":{}}",
    "{\"code\":0,\"data\":{\"accepted\":\"all\"}}",
    /* Not a word about the number asked. */
    "{\"code\":0,\"data\":{\"accepted\":[{\"number\":\"OTHER\"}],\"rejected\":[]}}",
    /* No track_info */
    "{\"code\":0,\"data\":{\"accepted\":[{\"number\":\"" UPS "\"}],\"rejected\":[]}}",
    /* Neither a status nor an event */
    "{\"code\":0,\"data\":{\"accepted\":[{\"number\":\"" UPS "\",\"track_info\":{}}]}}",
    "{\"code\":-2,\"data\":{}}",
    "{\"code\":0,\"data\":{\"accepted\":[{\"number\":\"" UPS "\",\"track_info\":{\"latest_",
  };

  tracker_check_web_page (f, INFO_PATH, UPS, html);
  tracker_check_bad_bodies (f, INFO_PATH, UPS, bodies, G_N_ELEMENTS (bodies));
}

static void
test_truncated (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(WaybillTrackingReply) reply = NULL;

  reply = tracker_track_truncated (f, INFO_PATH, "17track/5-delivered.json", UPS);
}

static void
test_timeout (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(WaybillTrackingReply) reply = NULL;

  reply = tracker_track_never_answered (f, INFO_PATH, 300, UPS);
}

static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  tracker_check_refused (f, UPS);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  const char *numbers[] = { UPS, NULL };

  /* Cancelled while registering. */
  fake_response_fixture (fake_carrier_server_queue (f->server, INFO_PATH, 200),
                         "17track/not-registered.json");
  fake_response_mode (fake_carrier_server_queue (f->server, REGISTER_PATH, 200),
                      FAKE_RESPONSE_NEVER_ANSWER);
  tracker_check_cancelled (f, numbers);
  g_assert_cmpuint (fake_carrier_server_get_n_requests (f->server), ==, 2);
}

static void
test_parse_directly (void)
{
  const char *numbers[] = { UPS, UNKNOWN, CHINA_POST, NULL };
  g_autoptr(WaybillTracker) tracker = waybill_tracker_17track_new (NULL);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GPtrArray) replies = NULL;
  WaybillTrackingReply *reply;

  body = tracker_fixture_bytes ("17track/batch.json");
  replies = waybill_tracker_17track_parse_response (WAYBILL_TRACKER_17TRACK (tracker), numbers,
                                                    200, body);
  g_assert_cmpuint (replies->len, ==, 3);
  reply = g_ptr_array_index (replies, 0);
  g_assert_nonnull (reply->result);
  g_assert_cmpuint (reply->result->events->len, ==, 6);
  /* Not registered, and no one to register it here. */
  fake_assert_error (g_ptr_array_index (replies, 1), WAYBILL_TRACKER_ERROR_NOT_FOUND);
  reply = g_ptr_array_index (replies, 2);
  g_assert_nonnull (reply->result);
  g_assert_cmpint (reply->result->exception_reason, ==, WAYBILL_EXCEPTION_DAMAGED);
}

int
main (int   argc,
      char *argv[])
{
  /* Local times must stay as written, also far from the carrier's zone. */
  g_setenv ("TZ", "Asia/Tokyo", TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/waybill/tracker-17track/" path, Fixture, NULL, fixture_setup, func, tracker_fixture_teardown)

  ADD ("properties", test_properties);
  ADD ("lifecycle", test_lifecycle);
  ADD ("exception", test_exception);
  ADD ("returned", test_returned);
  ADD ("sub-statuses", test_sub_statuses);
  ADD ("times", test_times);
  ADD ("register-then-read", test_register_then_read);
  ADD ("already-registered", test_already_registered);
  ADD ("not-found", test_not_found);
  ADD ("carrier-not-detected", test_carrier_not_detected);
  ADD ("batch", test_batch);
  ADD ("auth", test_auth);
  ADD ("not-configured", test_not_configured);
  ADD ("rate-limited", test_rate_limited);
  ADD ("unavailable", test_unavailable);
  ADD ("bad-response", test_bad_response);
  ADD ("truncated", test_truncated);
  ADD ("timeout", test_timeout);
  ADD ("refused", test_refused);
  ADD ("cancel", test_cancel);
  g_test_add_func ("/waybill/tracker-17track/parse", test_parse_directly);

  return g_test_run ();
}
