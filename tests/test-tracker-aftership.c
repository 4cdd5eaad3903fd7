/* test-tracker-aftership.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "carriers/waybill-tracker-aftership.h"
#include "tracker-test-util.h"
#include "waybill-carrier.h"

#define ROYAL_MAIL "RR123456785GB"
#define ROYAL_MAIL_ID "a3f1c2d4e5b6478990ab12cd34ef5678"
#define UPS "1Z4E2F390398765432"
#define DPD "01905025996788"
#define GLS "ZX8KJ4T9"
#define GLS_ID "f0e1d2c3b4a5968778695a4b3c2d1e0f"
#define UNKNOWN "QX0000000001"

#define PATH "/tracking/2026-07/trackings"
#define LIST_QUERY(numbers) "tracking_numbers=" numbers "&limit=200"

typedef TrackerFixture Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  tracker_fixture_setup (f, waybill_tracker_aftership_new);
}

/* The JSON body of a request, as an object. */
static JsonObject *
request_object (const FakeRequest *request)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  g_assert_nonnull (request->body);
  json_parser_load_from_data (parser, g_bytes_get_data (request->body, NULL),
                              (gssize) g_bytes_get_size (request->body), &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));

  return json_object_ref (json_node_get_object (root));
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

static void
test_properties (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(WaybillTracker) production = NULL;

  g_assert_cmpstr (waybill_tracker_get_id (f->tracker), ==, "aftership");
  g_assert_cmpstr (waybill_tracker_get_name (f->tracker), ==, "AfterShip");
  g_assert_cmpuint (waybill_tracker_get_batch_size (f->tracker), ==, 50);
  g_assert_cmpfloat (waybill_tracker_get_requests_per_second (f->tracker), ==, 5.0);
  g_assert_cmpint (waybill_tracker_get_auth (f->tracker), ==, WAYBILL_TRACKER_AUTH_API_KEY);
  g_assert_cmpstr (waybill_tracker_get_base_url (f->tracker), ==,
                   fake_carrier_server_get_url (f->server));
  g_assert_true (waybill_tracker_is_configured (f->tracker));

  g_unsetenv ("WAYBILL_AFTERSHIP_URL");
  g_unsetenv ("WAYBILL_AFTERSHIP_API_KEY");
  production = waybill_tracker_aftership_new (NULL);
  g_assert_cmpstr (waybill_tracker_get_base_url (production), ==, "https://api.aftership.com");
  g_assert_false (waybill_tracker_is_configured (production));
}

/* Every slug in the table names a carrier Waybill knows. */
static void
test_slugs (void)
{
  const WaybillCarrier * const *carriers;
  guint n_carriers, n_slugs = 0;

  carriers = waybill_carrier_get_all (&n_carriers);
  for (guint i = 0; i < n_carriers; i++)
    if (waybill_tracker_aftership_slug_for_carrier (waybill_carrier_get_id (carriers[i])) != NULL)
      n_slugs++;
  g_assert_cmpuint (n_slugs, ==, 33);

  g_assert_cmpstr (waybill_tracker_aftership_slug_for_carrier ("ups"), ==, "ups");
  g_assert_cmpstr (waybill_tracker_aftership_slug_for_carrier ("dhl-express"), ==, "dhl");
  g_assert_cmpstr (waybill_tracker_aftership_slug_for_carrier ("dhl-parcel-de"), ==, "dhl-germany");
  g_assert_cmpstr (waybill_tracker_aftership_slug_for_carrier ("royal-mail"), ==, "royal-mail");
  g_assert_cmpstr (waybill_tracker_aftership_slug_for_carrier ("postnl"), ==, "postnl-3s");
  g_assert_cmpstr (waybill_tracker_aftership_slug_for_carrier ("canada-post"), ==, "canada-post");
  g_assert_null (waybill_tracker_aftership_slug_for_carrier ("no-such-carrier"));
  g_assert_null (waybill_tracker_aftership_slug_for_carrier (NULL));
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
    { "aftership/1-info-received.json", WAYBILL_STATUS_INFO_RECEIVED, 1, "2024-06-10 14:02:00 +0100" },
    { "aftership/2-picked-up.json", WAYBILL_STATUS_PICKED_UP, 2, "2024-06-10 17:45:00 +0100" },
    { "aftership/3-in-transit.json", WAYBILL_STATUS_IN_TRANSIT, 4, "2024-06-11 06:32:00 +0100" },
    { "aftership/4-out-for-delivery.json", WAYBILL_STATUS_OUT_FOR_DELIVERY, 5, "2024-06-12 07:12:00 +0100" },
    { "aftership/5-delivered.json", WAYBILL_STATUS_DELIVERED, 6, "2024-06-12 12:38:00 +0100" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    fake_response_fixture (fake_carrier_server_queue (f->server, PATH, 200), steps[i].fixture);

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autoptr(WaybillTrackingReply) reply = fake_track_one (f->tracker, ROYAL_MAIL);
      WaybillTrackingResult *result = reply->result;
      WaybillTrackingEvent *newest;
      const FakeRequest *request;

      g_assert_no_error (reply->error);
      g_assert_cmpint (result->status, ==, steps[i].status);
      g_assert_cmpint (result->exception_reason, ==, WAYBILL_EXCEPTION_NONE);
      g_assert_cmpuint (result->events->len, ==, steps[i].n_events);
      tracker_assert_newest_first (result);

      newest = tracker_event_at (result, 0);
      g_assert_cmpint (waybill_tracking_event_get_status (newest), ==, steps[i].status);
      g_assert_false (waybill_tracking_event_get_time_is_local (newest));
      tracker_assert_time (waybill_tracking_event_get_time (newest), steps[i].newest);

      request = fake_carrier_server_get_last_request (f->server, PATH);
      g_assert_cmpstr (request->method, ==, "GET");
      g_assert_cmpstr (request->path, ==, PATH);
      g_assert_cmpstr (request->query, ==, LIST_QUERY (ROYAL_MAIL));
      g_assert_cmpstr (soup_message_headers_get_one (request->headers, "as-api-key"), ==,
                       FAKE_AFTERSHIP_API_KEY);
      g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Accept"), ==,
                       "application/json");

      switch (steps[i].status)
        {
        case WAYBILL_STATUS_INFO_RECEIVED:
          g_assert_cmpstr (result->sub_status, ==, "Info Received");
          g_assert_null (result->estimated_from);
          g_assert_null (result->estimated_to);
          g_assert_cmpstr (waybill_tracking_event_get_code (newest), ==, "InfoReceived_001");
          g_assert_cmpstr (waybill_tracking_event_get_description (newest), ==,
                           "We've got your item's details. We're expecting it soon.");
          g_assert_cmpstr (waybill_tracking_event_get_location (newest), ==, "GBR");
          break;

        case WAYBILL_STATUS_PICKED_UP:
          g_assert_cmpstr (result->sub_status, ==, "Acceptance scan");
          /* A date alone: the whole day, at local midnight. */
          g_assert_nonnull (result->estimated_from);
          g_assert_true (g_date_time_equal (result->estimated_from, result->estimated_to));
          g_assert_cmpint (g_date_time_get_day_of_month (result->estimated_from), ==, 12);
          g_assert_cmpstr (waybill_tracking_event_get_location (newest), ==, "Swindon, GBR");
          g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, 1)), ==,
                           WAYBILL_STATUS_INFO_RECEIVED);
          break;

        case WAYBILL_STATUS_IN_TRANSIT:
          g_assert_cmpstr (waybill_tracking_event_get_location (newest), ==,
                           "Edinburgh, Scotland, GBR");
          /* The courier's date wins over AfterShip's prediction (12–13 June). */
          g_assert_true (g_date_time_equal (result->estimated_from, result->estimated_to));
          g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, 1)), ==,
                           WAYBILL_STATUS_IN_TRANSIT);
          g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, 2)), ==,
                           WAYBILL_STATUS_PICKED_UP);
          break;

        case WAYBILL_STATUS_OUT_FOR_DELIVERY:
          /* No courier date: AfterShip's latest estimate, a window. */
          tracker_assert_time (result->estimated_from, "2024-06-12 09:00:00 +0100");
          tracker_assert_time (result->estimated_to, "2024-06-12 13:00:00 +0100");
          g_assert_null (result->delivered_at);
          break;

        case WAYBILL_STATUS_DELIVERED:
          tracker_assert_time (result->delivered_at, "2024-06-12 12:38:00 +0100");
          g_assert_cmpstr (result->signed_by, ==, "SMITH");
          g_assert_cmpstr (result->sub_status, ==, "Sign by customer");
          g_assert_null (result->estimated_from);
          g_assert_null (result->estimated_to);
          g_assert_cmpstr (waybill_tracking_event_get_code (newest), ==, "Delivered_003");
          g_assert_cmpstr (waybill_tracking_event_get_description (newest), ==,
                           "Delivered and signed for by SMITH");
          g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, 1)), ==,
                           WAYBILL_STATUS_OUT_FOR_DELIVERY);
          g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, 4)), ==,
                           WAYBILL_STATUS_PICKED_UP);
          g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, 5)), ==,
                           WAYBILL_STATUS_INFO_RECEIVED);
          break;

        default:
          g_assert_not_reached ();
        }
    }

  /* Known numbers are read, never created. */
  g_assert_cmpuint (fake_carrier_server_get_n_requests (f->server), ==, G_N_ELEMENTS (steps));
}

static void
test_exception (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(WaybillTrackingReply) reply = NULL;
  WaybillTrackingResult *result;

  fake_response_fixture (fake_carrier_server_queue (f->server, PATH, 200),
                         "aftership/exception-customs.json");
  reply = fake_track_one (f->tracker, UPS);
  result = reply->result;

  g_assert_nonnull (result);
  g_assert_cmpint (result->status, ==, WAYBILL_STATUS_EXCEPTION);
  g_assert_cmpint (result->exception_reason, ==, WAYBILL_EXCEPTION_CUSTOMS);
  g_assert_cmpstr (result->sub_status, ==, "Delayed (Customs clearance)");
  g_assert_cmpuint (result->events->len, ==, 4);
  tracker_assert_newest_first (result);
  g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, 0)), ==,
                   WAYBILL_STATUS_EXCEPTION);
  g_assert_cmpstr (waybill_tracking_event_get_location (tracker_event_at (result, 0)), ==, "Koeln, DEU");
  g_assert_cmpstr (waybill_tracking_event_get_location (tracker_event_at (result, 2)), ==, "Atlanta, GA, USA");
  /* Each event keeps its own offset. */
  tracker_assert_time (waybill_tracking_event_get_time (tracker_event_at (result, 3)), "2024-03-28 16:20:00 -0400");
  /* Still on its way: the estimate stays. */
  tracker_assert_time (result->estimated_to, "2024-04-04 23:59:59 +0200");
  g_assert_null (result->delivered_at);
}

static void
test_returned (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(WaybillTrackingReply) reply = NULL;
  WaybillTrackingResult *result;

  fake_response_fixture (fake_carrier_server_queue (f->server, PATH, 200), "aftership/returned.json");
  reply = fake_track_one (f->tracker, DPD);
  result = reply->result;

  g_assert_nonnull (result);
  g_assert_cmpint (result->status, ==, WAYBILL_STATUS_RETURNED);
  g_assert_cmpstr (result->sub_status, ==, "Returned to sender");
  g_assert_cmpuint (result->events->len, ==, 5);
  g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, 0)), ==,
                   WAYBILL_STATUS_RETURNED);
  g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, 1)), ==,
                   WAYBILL_STATUS_RETURNED);
  g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, 2)), ==,
                   WAYBILL_STATUS_EXCEPTION);
  g_assert_cmpstr (waybill_tracking_event_get_code (tracker_event_at (result, 2)), ==, "Exception_003");
  g_assert_null (result->delivered_at);
  g_assert_null (result->estimated_to);
}

/* tag and subtag, every documented meaning, and text for the unknown. */
static void
test_subtags (Fixture       *f,
              gconstpointer  data)
{
  static const struct
  {
    const char             *tag;
    const char             *subtag;
    const char             *message;
    gboolean                return_to_sender;
    WaybillStatus           status;
    WaybillExceptionReason  reason;
  } cases[] = {
    { "Pending", "Pending_001", "Pending", FALSE, WAYBILL_STATUS_PENDING, 0 },
    { "InfoReceived", "InfoReceived_001", "Info Received", FALSE, WAYBILL_STATUS_INFO_RECEIVED, 0 },
    { "InTransit", "InTransit_001", "In Transit", FALSE, WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "InTransit", "InTransit_002", "Acceptance scan", FALSE, WAYBILL_STATUS_PICKED_UP, 0 },
    { "InTransit", "InTransit_005", "Customs clearance completed", FALSE, WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "InTransit", "InTransit_006", "Customs clearance started", FALSE, WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "OutForDelivery", "OutForDelivery_001", "Out for Delivery", FALSE, WAYBILL_STATUS_OUT_FOR_DELIVERY, 0 },
    { "OutForDelivery", "OutForDelivery_004", "Delivery appointment scheduled", FALSE, WAYBILL_STATUS_OUT_FOR_DELIVERY, 0 },
    { "AttemptFail", "AttemptFail_002", "Addressee not available", FALSE, WAYBILL_STATUS_FAILED_ATTEMPT, 0 },
    { "AvailableForPickup", "AvailableForPickup_001", "Available for pickup", FALSE, WAYBILL_STATUS_AVAILABLE_FOR_PICKUP, 0 },
    { "Delivered", "Delivered_001", "Delivered", FALSE, WAYBILL_STATUS_DELIVERED, 0 },
    { "Delivered", "Delivered_002", "Picked up by the customer", FALSE, WAYBILL_STATUS_DELIVERED, 0 },
    { "Delivered", "Delivered_004", "Delivered and received cash on delivery", FALSE, WAYBILL_STATUS_DELIVERED, 0 },
    { "Delivered", "Delivered_005", "Delivered to neighbor", FALSE, WAYBILL_STATUS_DELIVERED, 0 },
    { "Exception", "Exception_001", "Exception", FALSE, WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_OTHER },
    { "Exception", "Exception_002", "Customer moved", FALSE, WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_ADDRESS },
    { "Exception", "Exception_003", "Customer refused delivery", FALSE, WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_REFUSED },
    { "Exception", "Exception_004", "Delayed (Customs clearance)", FALSE, WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_CUSTOMS },
    { "Exception", "Exception_005", "Delayed (External factors)", FALSE, WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_DELAY },
    { "Exception", "Exception_006", "Held for payment", FALSE, WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_OTHER },
    { "Exception", "Exception_007", "Incorrect Address", FALSE, WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_ADDRESS },
    { "Exception", "Exception_008", "Pick up missed", FALSE, WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_OTHER },
    { "Exception", "Exception_009", "Rejected by carrier", FALSE, WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_OTHER },
    { "Exception", "Exception_010", "Returning to sender", FALSE, WAYBILL_STATUS_RETURNED, 0 },
    { "Exception", "Exception_011", "Returned to sender", FALSE, WAYBILL_STATUS_RETURNED, 0 },
    { "Exception", "Exception_012", "Shipment damage", FALSE, WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_DAMAGED },
    { "Exception", "Exception_013", "Shipment lost", FALSE, WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_LOST },
    { "Exception", "Exception_016", "Delayed (Processing issue)", FALSE, WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_DELAY },
    { "Exception", "Exception_017", "Delayed (Extreme weather)", FALSE, WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_WEATHER },
    { "Exception", "Exception_018", "Incorrect / missing documents", FALSE, WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_CUSTOMS },
    /* Subtags this version does not know: their words tell. */
    { "Exception", "Exception_099", "Parcel damaged in the sorting centre", FALSE, WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_DAMAGED },
    { "Exception", "Exception_099", "Storm warning: no deliveries", FALSE, WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_WEATHER },
    { "Exception", "Exception_099", "Something happened", FALSE, WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_OTHER },
    { "Exception", NULL, "Item is being returned to sender", FALSE, WAYBILL_STATUS_RETURNED, 0 },
    { "Expired", "Expired_001", "Expired", FALSE, WAYBILL_STATUS_EXPIRED, 0 },
    /* A subtag names its tag. */
    { NULL, "Delivered_002", "Picked up by the customer", FALSE, WAYBILL_STATUS_DELIVERED, 0 },
    /* A shipment on its way back, whatever the tag says. */
    { "InTransit", "InTransit_007", "Departure Scan", TRUE, WAYBILL_STATUS_RETURNED, 0 },
    { "Delivered", "Delivered_001", "Delivered", TRUE, WAYBILL_STATUS_RETURNED, 0 },
    /* A tag from the future, with or without checkpoints. */
    { "Teleported", NULL, "Beamed", FALSE, WAYBILL_STATUS_IN_TRANSIT, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(WaybillTrackingReply) reply = NULL;
      g_autofree char *json = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "meta");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "code");
      json_builder_add_int_value (builder, 200);
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "data");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "trackings");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, "0123456789abcdef0123456789abcdef");
      json_builder_set_member_name (builder, "tracking_number");
      json_builder_add_string_value (builder, UNKNOWN);
      add_member (builder, "tag", cases[i].tag);
      add_member (builder, "subtag", cases[i].subtag);
      add_member (builder, "subtag_message", cases[i].message);
      json_builder_set_member_name (builder, "return_to_sender");
      json_builder_add_boolean_value (builder, cases[i].return_to_sender);
      json_builder_set_member_name (builder, "checkpoints");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "checkpoint_time");
      json_builder_add_string_value (builder, "2024-05-06T07:08:09+02:00");
      add_member (builder, "tag", cases[i].tag);
      add_member (builder, "subtag", cases[i].subtag);
      add_member (builder, "message", cases[i].message);
      json_builder_end_object (builder);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      json = json_to_string (root, FALSE);

      fake_response_json (fake_carrier_server_queue (f->server, PATH, 200), json);
      reply = fake_track_one (f->tracker, UNKNOWN);
      g_assert_nonnull (reply->result);
      if (reply->result->status != cases[i].status ||
          reply->result->exception_reason != cases[i].reason)
        g_error ("%s/%s “%s”: got %s/%s, expected %s/%s", cases[i].tag, cases[i].subtag,
                 cases[i].message,
                 waybill_status_to_id (reply->result->status),
                 waybill_exception_reason_to_id (reply->result->exception_reason),
                 waybill_status_to_id (cases[i].status),
                 waybill_exception_reason_to_id (cases[i].reason));
      g_assert_cmpuint (reply->result->events->len, ==, 1);
    }
}

/* A checkpoint_time without an offset is the courier's wall clock, kept as
 * written; one that cannot be read drops its checkpoint only. */
static void
test_local_time (Fixture       *f,
                 gconstpointer  data)
{
  static const char json[] =
    "{\"meta\":{\"code\":200},\"data\":{\"trackings\":[{\"tracking_number\":\"" UNKNOWN "\","
    "\"tag\":\"InTransit\",\"checkpoints\":["
    "{\"checkpoint_time\":\"2024-05-06T07:08:09\",\"tag\":\"InTransit\",\"message\":\"Sorted\"},"
    "{\"checkpoint_time\":\"yesterday\",\"tag\":\"InTransit\",\"message\":\"Lost in time\"},"
    "{\"tag\":\"InTransit\",\"message\":\"No time at all\"}]}]}}";
  g_autoptr(WaybillTrackingReply) reply = NULL;
  g_autofree char *wall = NULL;
  WaybillTrackingEvent *event;

  fake_response_json (fake_carrier_server_queue (f->server, PATH, 200), json);
  reply = fake_track_one (f->tracker, UNKNOWN);
  g_assert_nonnull (reply->result);
  g_assert_cmpuint (reply->result->events->len, ==, 1);

  event = tracker_event_at (reply->result, 0);
  g_assert_true (waybill_tracking_event_get_time_is_local (event));
  wall = g_date_time_format (waybill_tracking_event_get_time (event), "%Y-%m-%d %H:%M:%S");
  g_assert_cmpstr (wall, ==, "2024-05-06 07:08:09");
  g_assert_cmpstr (waybill_tracking_event_get_description (event), ==, "Sorted");
  g_assert_null (waybill_tracking_event_get_location (event));
  /* Without a subtag, the tag is the code. */
  g_assert_cmpstr (waybill_tracking_event_get_code (event), ==, "InTransit");
  g_assert_cmpstr (reply->result->sub_status, ==, "Sorted");
}

/* 4004, then create, then read. */
static void
test_create_then_read (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(WaybillTrackingReply) reply = NULL;
  g_autoptr(JsonObject) body = NULL;
  const FakeRequest *request;
  WaybillTrackingResult *result;

  waybill_tracker_set_carrier_hint (f->tracker, GLS, "gls");
  g_assert_cmpstr (waybill_tracker_get_carrier_hint (f->tracker, GLS), ==, "gls");

  fake_response_fixture (fake_carrier_server_queue (f->server, PATH, 404), "aftership/error-4004.json");
  fake_response_fixture (fake_carrier_server_queue (f->server, PATH, 201), "aftership/created.json");
  fake_response_fixture (fake_carrier_server_queue (f->server, PATH "/" GLS_ID, 200),
                         "aftership/tracking-by-id.json");
  reply = fake_track_one (f->tracker, GLS);
  result = reply->result;

  g_assert_no_error (reply->error);
  g_assert_cmpint (result->status, ==, WAYBILL_STATUS_IN_TRANSIT);
  g_assert_cmpuint (result->events->len, ==, 2);
  g_assert_cmpstr (waybill_tracking_event_get_location (tracker_event_at (result, 0)), ==,
                   "Nieuwegein, NLD");
  g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, 1)), ==,
                   WAYBILL_STATUS_PICKED_UP);
  g_assert_nonnull (result->estimated_from);
  g_assert_cmpint (g_date_time_get_day_of_month (result->estimated_to), ==, 3);

  g_assert_cmpuint (fake_carrier_server_get_n_requests (f->server), ==, 3);
  request = fake_carrier_server_get_request (f->server, 0);
  g_assert_cmpstr (request->method, ==, "GET");
  g_assert_cmpstr (request->query, ==, LIST_QUERY (GLS));

  request = fake_carrier_server_get_request (f->server, 1);
  g_assert_cmpstr (request->method, ==, "POST");
  g_assert_cmpstr (request->path, ==, PATH);
  g_assert_null (request->query);
  g_assert_true (request->authorized);
  g_assert_cmpstr (soup_message_headers_get_content_type (request->headers, NULL), ==,
                   "application/json");
  body = request_object (request);
  g_assert_cmpstr (json_object_get_string_member (body, "tracking_number"), ==, GLS);
  g_assert_cmpstr (json_object_get_string_member (body, "slug"), ==, "gls");
  g_assert_cmpuint (json_object_get_size (body), ==, 2);

  request = fake_carrier_server_get_request (f->server, 2);
  g_assert_cmpstr (request->method, ==, "GET");
  g_assert_cmpstr (request->path, ==, PATH "/" GLS_ID);
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "as-api-key"), ==,
                   FAKE_AFTERSHIP_API_KEY);
}

/* A list without the number is the same "does not exist"; without a hint,
 * AfterShip detects the courier. */
static void
test_create_without_hint (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(WaybillTrackingReply) reply = NULL;
  g_autoptr(JsonObject) body = NULL;

  waybill_tracker_set_carrier_hint (f->tracker, GLS, "gls");
  waybill_tracker_set_carrier_hint (f->tracker, GLS, NULL);
  g_assert_null (waybill_tracker_get_carrier_hint (f->tracker, GLS));

  fake_response_fixture (fake_carrier_server_queue (f->server, PATH, 200), "aftership/list-empty.json");
  fake_response_fixture (fake_carrier_server_queue (f->server, PATH, 201), "aftership/created.json");
  fake_response_fixture (fake_carrier_server_queue (f->server, PATH "/" GLS_ID, 200),
                         "aftership/created.json");
  reply = fake_track_one (f->tracker, GLS);

  /* Just created: AfterShip has not asked the courier yet. */
  g_assert_nonnull (reply->result);
  g_assert_cmpint (reply->result->status, ==, WAYBILL_STATUS_PENDING);
  g_assert_cmpuint (reply->result->events->len, ==, 0);
  g_assert_cmpstr (reply->result->sub_status, ==, "Pending");

  g_assert_cmpuint (fake_carrier_server_get_n_requests (f->server), ==, 3);
  body = request_object (fake_carrier_server_get_request (f->server, 1));
  g_assert_cmpstr (json_object_get_string_member (body, "tracking_number"), ==, GLS);
  g_assert_false (json_object_has_member (body, "slug"));
}

/* 4003: created meanwhile, so read again. */
static void
test_already_exists (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(WaybillTrackingReply) reply = NULL;
  const FakeRequest *request;

  fake_response_fixture (fake_carrier_server_queue (f->server, PATH, 200), "aftership/list-empty.json");
  fake_response_fixture (fake_carrier_server_queue (f->server, PATH, 400), "aftership/error-4003.json");
  fake_response_fixture (fake_carrier_server_queue (f->server, PATH, 200), "aftership/returned.json");
  reply = fake_track_one (f->tracker, DPD);

  g_assert_nonnull (reply->result);
  g_assert_cmpint (reply->result->status, ==, WAYBILL_STATUS_RETURNED);
  g_assert_cmpuint (fake_carrier_server_get_n_requests (f->server), ==, 3);
  request = fake_carrier_server_get_request (f->server, 2);
  g_assert_cmpstr (request->method, ==, "GET");
  g_assert_cmpstr (request->query, ==, LIST_QUERY (DPD));
}

/* A create that fails: not_found, in AfterShip's words. */
static void
test_create_refused (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(WaybillTrackingReply) refused = NULL;
  g_autoptr(WaybillTrackingReply) silent = NULL;
  g_autoptr(WaybillTrackingReply) vanished = NULL;

  fake_response_fixture (fake_carrier_server_queue (f->server, PATH, 200), "aftership/list-empty.json");
  fake_response_fixture (fake_carrier_server_queue (f->server, PATH, 400), "aftership/error-4012.json");
  refused = fake_track_one (f->tracker, UNKNOWN);
  fake_assert_error (refused, WAYBILL_TRACKER_ERROR_NOT_FOUND);
  g_assert_cmpstr (refused->error->message, ==,
                   "AfterShip cannot track " UNKNOWN ": Cannot detect courier. Activate courier at "
                   "https://admin.aftership.com/settings/couriers.");

  fake_response_fixture (fake_carrier_server_queue (f->server, PATH, 200), "aftership/list-empty.json");
  fake_response_body (fake_carrier_server_queue (f->server, PATH, 422), "text/plain", "no", 2);
  silent = fake_track_one (f->tracker, UNKNOWN);
  fake_assert_error (silent, WAYBILL_TRACKER_ERROR_NOT_FOUND);
  g_assert_cmpstr (silent->error->message, ==, "AfterShip does not know tracking number " UNKNOWN);

  /* Created, but gone when read. */
  fake_response_fixture (fake_carrier_server_queue (f->server, PATH, 200), "aftership/list-empty.json");
  fake_response_fixture (fake_carrier_server_queue (f->server, PATH, 201), "aftership/created.json");
  fake_response_fixture (fake_carrier_server_queue (f->server, PATH "/" GLS_ID, 404),
                         "aftership/error-4004.json");
  vanished = fake_track_one (f->tracker, GLS);
  fake_assert_error (vanished, WAYBILL_TRACKER_ERROR_NOT_FOUND);

  g_assert_cmpuint (fake_carrier_server_get_n_requests (f->server), ==, 7);
}

/* Three numbers in one request; the one AfterShip lacks is created alone. */
static void
test_batch (Fixture       *f,
            gconstpointer  data)
{
  const char *numbers[] = { ROYAL_MAIL, UNKNOWN, DPD, NULL };
  g_autoptr(GPtrArray) replies = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;
  WaybillTrackingReply *reply;

  fake_response_fixture (fake_carrier_server_queue (f->server, PATH, 200), "aftership/batch.json");
  fake_response_fixture (fake_carrier_server_queue (f->server, PATH, 400), "aftership/error-4012.json");
  replies = fake_track (f->tracker, numbers, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (fake_carrier_server_get_n_requests (f->server), ==, 2);
  g_assert_cmpstr (fake_carrier_server_get_request (f->server, 0)->query, ==,
                   LIST_QUERY (ROYAL_MAIL "," UNKNOWN "," DPD));
  body = request_object (fake_carrier_server_get_request (f->server, 1));
  g_assert_cmpstr (json_object_get_string_member (body, "tracking_number"), ==, UNKNOWN);

  reply = g_ptr_array_index (replies, 0);
  g_assert_nonnull (reply->result);
  g_assert_cmpint (reply->result->status, ==, WAYBILL_STATUS_OUT_FOR_DELIVERY);
  g_assert_cmpuint (reply->result->events->len, ==, 5);
  reply = g_ptr_array_index (replies, 1);
  fake_assert_error (reply, WAYBILL_TRACKER_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (reply->error->message, "Cannot detect courier"));
  reply = g_ptr_array_index (replies, 2);
  g_assert_nonnull (reply->result);
  g_assert_cmpint (reply->result->status, ==, WAYBILL_STATUS_RETURNED);
}

/* A number AfterShip tracks with two couriers: the hinted one. */
static void
test_slug_preference (Fixture       *f,
                      gconstpointer  data)
{
  static const char json[] =
    "{\"meta\":{\"code\":200},\"data\":{\"pagination\":{\"total\":2},\"trackings\":["
    "{\"id\":\"1\",\"tracking_number\":\"" UNKNOWN "\",\"slug\":\"dhl\",\"tag\":\"InTransit\"},"
    "{\"id\":\"2\",\"tracking_number\":\"" UNKNOWN "\",\"slug\":\"dhl-germany\",\"tag\":\"Delivered\"}]}}";
  g_autoptr(WaybillTrackingReply) first = NULL;
  g_autoptr(WaybillTrackingReply) hinted = NULL;

  fake_response_json (fake_carrier_server_queue (f->server, PATH, 200), json);
  first = fake_track_one (f->tracker, UNKNOWN);
  g_assert_cmpint (first->result->status, ==, WAYBILL_STATUS_IN_TRANSIT);

  waybill_tracker_set_carrier_hint (f->tracker, UNKNOWN, "dhl-parcel-de");
  fake_response_json (fake_carrier_server_queue (f->server, PATH, 200), json);
  hinted = fake_track_one (f->tracker, UNKNOWN);
  g_assert_cmpint (hinted->result->status, ==, WAYBILL_STATUS_DELIVERED);
}

static void
test_auth (Fixture       *f,
           gconstpointer  data)
{
  const char *numbers[] = { ROYAL_MAIL, DPD, NULL };
  g_autoptr(WaybillCredentials) wrong = waybill_credentials_new ("not-the-key", NULL, NULL);
  g_autoptr(GPtrArray) replies = NULL;
  g_autoptr(GError) error = NULL;

  waybill_tracker_set_credentials (f->tracker, wrong);
  replies = fake_track (f->tracker, numbers, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (fake_carrier_server_get_n_requests (f->server), ==, 1);
  for (guint i = 0; i < replies->len; i++)
    {
      WaybillTrackingReply *reply = g_ptr_array_index (replies, i);

      fake_assert_error (reply, WAYBILL_TRACKER_ERROR_AUTH);
      g_assert_cmpstr (reply->error->message, ==,
                       "AfterShip rejected Waybill’s API key; check the AfterShip API key in Preferences");
    }
}

/* A key revoked between the read and the create stops the batch. */
static void
test_auth_while_creating (Fixture       *f,
                          gconstpointer  data)
{
  const char *numbers[] = { UNKNOWN, GLS, NULL };
  g_autoptr(GPtrArray) replies = NULL;
  g_autoptr(GError) error = NULL;

  fake_response_fixture (fake_carrier_server_queue (f->server, PATH, 200), "aftership/list-empty.json");
  fake_response_fixture (fake_carrier_server_queue (f->server, PATH, 401), "aftership/error-401.json");
  replies = fake_track (f->tracker, numbers, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (fake_carrier_server_get_n_requests (f->server), ==, 2);
  fake_assert_error (g_ptr_array_index (replies, 0), WAYBILL_TRACKER_ERROR_AUTH);
  fake_assert_error (g_ptr_array_index (replies, 1), WAYBILL_TRACKER_ERROR_AUTH);
}

static void
test_not_configured (Fixture       *f,
                     gconstpointer  data)
{
  const char *numbers[] = { ROYAL_MAIL, DPD, NULL };

  tracker_check_not_configured (f, NULL, numbers, "API key");
}

static void
test_rate_limited (Fixture       *f,
                   gconstpointer  data)
{
  const char *numbers[] = { ROYAL_MAIL, DPD, NULL };
  const char *missing[] = { UNKNOWN, GLS, NULL };
  g_autoptr(GPtrArray) replies = NULL;
  g_autoptr(GPtrArray) creating = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WaybillTrackingReply) reset = NULL;
  g_autoptr(WaybillTrackingReply) silent = NULL;

  fake_response_header (fake_response_fixture (fake_carrier_server_queue (f->server, PATH, 429),
                                               "aftership/error-429.json"),
                        "Retry-After", "12");
  replies = fake_track (f->tracker, numbers, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fake_carrier_server_get_n_requests (f->server), ==, 1);
  tracker_assert_all_rate_limited (replies, 12);

  /* AfterShip's own headers: when the limit resets. */
  fake_response_header (fake_response_header (fake_response_fixture (fake_carrier_server_queue (f->server, PATH, 429),
                                                                     "aftership/error-429.json"),
                                              "ratelimit-limit", "10"),
                        "ratelimit-reset", "3");
  reset = fake_track_one (f->tracker, ROYAL_MAIL);
  fake_assert_error (reset, WAYBILL_TRACKER_ERROR_RATE_LIMITED);
  g_assert_cmpuint (reset->retry_after_seconds, ==, 3);

  fake_response_fixture (fake_carrier_server_queue (f->server, PATH, 429), "aftership/error-429.json");
  silent = fake_track_one (f->tracker, ROYAL_MAIL);
  fake_assert_error (silent, WAYBILL_TRACKER_ERROR_RATE_LIMITED);
  g_assert_cmpuint (silent->retry_after_seconds, ==, 0);

  /* Met while creating: the numbers still to create are not asked. */
  fake_response_fixture (fake_carrier_server_queue (f->server, PATH, 200), "aftership/list-empty.json");
  fake_response_header (fake_response_fixture (fake_carrier_server_queue (f->server, PATH, 429),
                                               "aftership/error-429.json"),
                        "Retry-After", "7");
  creating = fake_track (f->tracker, missing, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fake_carrier_server_get_n_requests (f->server), ==, 5);
  for (guint i = 0; i < creating->len; i++)
    {
      WaybillTrackingReply *reply = g_ptr_array_index (creating, i);

      fake_assert_error (reply, WAYBILL_TRACKER_ERROR_RATE_LIMITED);
      g_assert_cmpuint (reply->retry_after_seconds, ==, 7);
    }
}

static void
test_unavailable (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(WaybillTrackingReply) broken = NULL;
  g_autoptr(WaybillTrackingReply) envelope = NULL;
  static const char page[] = "<html><body><h1>502 Bad Gateway</h1></body></html>";

  fake_response_fixture (fake_carrier_server_queue (f->server, PATH, 500), "aftership/error-500.json");
  broken = fake_track_one (f->tracker, ROYAL_MAIL);
  fake_assert_error (broken, WAYBILL_TRACKER_ERROR_UNAVAILABLE);
  g_assert_nonnull (strstr (broken->error->message, "HTTP 500"));

  tracker_check_down_page (f, PATH, ROYAL_MAIL, 502, page, 60);

  /* An error envelope behind HTTP 200. */
  fake_response_json (fake_carrier_server_queue (f->server, PATH, 200),
                      "{\"meta\":{\"code\":503,\"type\":\"ServiceUnavailable\","
                      "\"message\":\"Service is temporarily unavailable.\"},\"data\":{}}");
  envelope = fake_track_one (f->tracker, ROYAL_MAIL);
  fake_assert_error (envelope, WAYBILL_TRACKER_ERROR_UNAVAILABLE);
}

static void
test_bad_response (Fixture       *f,
                   gconstpointer  data)
{
  static const char html[] =
    "<!DOCTYPE html>\n<html><head><title>AfterShip</title></head>"
    "<body><p>Scheduled maintenance.</p></body></html>";
  static const char * const bodies[] = {
    "not json at all",
    "[]",
    "{\"meta\":{\"code\":200}}",
    "{\"meta\":{\"code\":200},\"data\":[]}",
    "{\"meta\":{\"code\":200},\"data\":{\"trackings\":\"none\"}}",
    "{\"meta\":{\"code\":200},\"data\":{\"trackings\":[{\"tracking_number\":",
    "{\"meta\":{\"code\":4000,\"type\":\"BadRequest\",\"message\":\"?\"},\"data\":{}}",
    "",
  };
  g_autoptr(WaybillTrackingReply) no_id = NULL;
  g_autoptr(WaybillTrackingReply) not_a_tracking = NULL;

  tracker_check_web_page (f, PATH, ROYAL_MAIL, html);
  tracker_check_bad_bodies (f, PATH, ROYAL_MAIL, bodies, G_N_ELEMENTS (bodies));

  /* A create that gives no id to read. */
  fake_response_fixture (fake_carrier_server_queue (f->server, PATH, 200), "aftership/list-empty.json");
  fake_response_json (fake_carrier_server_queue (f->server, PATH, 201),
                      "{\"meta\":{\"code\":201},\"data\":{\"tracking_number\":\"" GLS "\"}}");
  no_id = fake_track_one (f->tracker, GLS);
  fake_assert_error (no_id, WAYBILL_TRACKER_ERROR_BAD_RESPONSE);

  /* A read that gives something else than a tracking. */
  fake_response_fixture (fake_carrier_server_queue (f->server, PATH, 200), "aftership/list-empty.json");
  fake_response_fixture (fake_carrier_server_queue (f->server, PATH, 201), "aftership/created.json");
  fake_response_json (fake_carrier_server_queue (f->server, PATH "/" GLS_ID, 200),
                      "{\"meta\":{\"code\":200},\"data\":{\"pagination\":{}}}");
  not_a_tracking = fake_track_one (f->tracker, GLS);
  fake_assert_error (not_a_tracking, WAYBILL_TRACKER_ERROR_BAD_RESPONSE);
}

static void
test_truncated (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(WaybillTrackingReply) reply = NULL;

  reply = tracker_track_truncated (f, PATH, "aftership/5-delivered.json", ROYAL_MAIL);
}

static void
test_timeout (Fixture       *f,
              gconstpointer  data)
{
  const char *numbers[] = { UNKNOWN, GLS, NULL };
  g_autoptr(WaybillTrackingReply) reply = NULL;
  g_autoptr(GPtrArray) replies = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  reply = tracker_track_never_answered (f, PATH, 300, ROYAL_MAIL);

  /* While creating: one wait, not one per number. */
  start = g_get_monotonic_time ();
  fake_response_fixture (fake_carrier_server_queue (f->server, PATH, 200), "aftership/list-empty.json");
  fake_response_mode (fake_carrier_server_queue (f->server, PATH, 201), FAKE_RESPONSE_NEVER_ANSWER);
  replies = fake_track (f->tracker, numbers, &error);
  g_assert_no_error (error);
  fake_assert_error (g_ptr_array_index (replies, 0), WAYBILL_TRACKER_ERROR_NETWORK);
  fake_assert_error (g_ptr_array_index (replies, 1), WAYBILL_TRACKER_ERROR_NETWORK);
  g_assert_cmpuint (fake_carrier_server_get_n_requests (f->server), ==, 3);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 1500 * 1000);
}

static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  tracker_check_refused (f, ROYAL_MAIL);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  const char *numbers[] = { GLS, NULL };

  /* Cancelled while creating. */
  fake_response_fixture (fake_carrier_server_queue (f->server, PATH, 200), "aftership/list-empty.json");
  fake_response_mode (fake_carrier_server_queue (f->server, PATH, 201), FAKE_RESPONSE_NEVER_ANSWER);
  tracker_check_cancelled (f, numbers);
  g_assert_cmpuint (fake_carrier_server_get_n_requests (f->server), ==, 2);
}

static void
test_parse_directly (void)
{
  static const char gone_json[] = "{\"meta\":{\"code\":4004},\"data\":{}}";
  g_autoptr(WaybillTracker) tracker = waybill_tracker_aftership_new (NULL);
  WaybillTrackerAftership *self = WAYBILL_TRACKER_AFTERSHIP (tracker);
  g_autofree char *list = NULL;
  g_autofree char *one = NULL;
  g_autoptr(GBytes) list_body = NULL;
  g_autoptr(GBytes) one_body = NULL;
  g_autoptr(GBytes) not_found_body = NULL;
  g_autoptr(WaybillTrackingReply) listed = NULL;
  g_autoptr(WaybillTrackingReply) absent = NULL;
  g_autoptr(WaybillTrackingReply) single = NULL;
  g_autoptr(WaybillTrackingReply) gone = NULL;
  gsize length;

  list = fake_load_fixture ("aftership/batch.json", &length);
  list_body = g_bytes_new (list, length);
  listed = waybill_tracker_aftership_parse_response (self, ROYAL_MAIL, 200, list_body);
  g_assert_nonnull (listed->result);
  g_assert_cmpuint (listed->result->events->len, ==, 5);
  absent = waybill_tracker_aftership_parse_response (self, UNKNOWN, 200, list_body);
  fake_assert_error (absent, WAYBILL_TRACKER_ERROR_NOT_FOUND);

  one = fake_load_fixture ("aftership/tracking-by-id.json", &length);
  one_body = g_bytes_new (one, length);
  single = waybill_tracker_aftership_parse_response (self, GLS, 200, one_body);
  g_assert_nonnull (single->result);
  g_assert_cmpint (single->result->status, ==, WAYBILL_STATUS_IN_TRANSIT);

  not_found_body = g_bytes_new_static (gone_json, strlen (gone_json));
  gone = waybill_tracker_aftership_parse_response (self, GLS, 404, not_found_body);
  fake_assert_error (gone, WAYBILL_TRACKER_ERROR_NOT_FOUND);
}

int
main (int   argc,
      char *argv[])
{
  /* Local times must stay as written, also far from the courier's zone. */
  g_setenv ("TZ", "America/Los_Angeles", TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/waybill/tracker-aftership/" path, Fixture, NULL, fixture_setup, func, tracker_fixture_teardown)

  ADD ("properties", test_properties);
  ADD ("lifecycle", test_lifecycle);
  ADD ("exception", test_exception);
  ADD ("returned", test_returned);
  ADD ("subtags", test_subtags);
  ADD ("local-time", test_local_time);
  ADD ("create-then-read", test_create_then_read);
  ADD ("create-without-hint", test_create_without_hint);
  ADD ("already-exists", test_already_exists);
  ADD ("create-refused", test_create_refused);
  ADD ("batch", test_batch);
  ADD ("slug-preference", test_slug_preference);
  ADD ("auth", test_auth);
  ADD ("auth-while-creating", test_auth_while_creating);
  ADD ("not-configured", test_not_configured);
  ADD ("rate-limited", test_rate_limited);
  ADD ("unavailable", test_unavailable);
  ADD ("bad-response", test_bad_response);
  ADD ("truncated", test_truncated);
  ADD ("timeout", test_timeout);
  ADD ("refused", test_refused);
  ADD ("cancel", test_cancel);
  g_test_add_func ("/waybill/tracker-aftership/slugs", test_slugs);
  g_test_add_func ("/waybill/tracker-aftership/parse", test_parse_directly);

  return g_test_run ();
}
