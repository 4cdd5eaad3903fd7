/* test-tracker-usps.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "carriers/waybill-tracker-usps.h"
#include "tracker-test-util.h"

#define NUMBER      "9400111899560012345678"
#define EXCEPTION   "9205590164917312751089"
#define RETURNED    "9361289691090012345670"
#define LATE        "9400136208070012345674"
#define HTML        "9505512345678901234567"
#define FOREIGN     "LX123456785DE"
#define TOKEN_PATH  "/oauth2/v3/token"
#define TRACK_PATH  "/tracking/v3/tracking/"
#define NUMBER_PATH TRACK_PATH NUMBER

typedef TrackerFixture Fixture;

static const TrackerOAuthApi api = {
  .carrier = "usps",
  .token_path = TOKEN_PATH,
  .track_path = TRACK_PATH,
  .number_path = NUMBER_PATH,
  .number = NUMBER,
  .in_transit = "usps/3-in-transit.json",
  .out_for_delivery = "usps/4-out-for-delivery.json",
  .rejected = "usps/error-401.json",
};

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  tracker_fixture_setup (f, waybill_tracker_usps_new);
}

static WaybillTrackingReply *
track_fixture (Fixture    *f,
               const char *number,
               const char *fixture)
{
  g_autofree char *path = g_strconcat (TRACK_PATH, number, NULL);

  fake_response_fixture (fake_carrier_server_queue (f->server, path, 200), fixture);

  return fake_track_one (f->tracker, number);
}

static void
test_properties (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(WaybillTracker) production = NULL;

  g_assert_cmpstr (waybill_tracker_get_id (f->tracker), ==, "usps");
  g_assert_cmpstr (waybill_tracker_get_name (f->tracker), ==, "USPS");
  g_assert_cmpuint (waybill_tracker_get_batch_size (f->tracker), ==, 1);
  /* The hourly quota: 60 an hour. */
  g_assert_cmpfloat_with_epsilon (waybill_tracker_get_requests_per_second (f->tracker),
                                  60.0 / 3600.0, 1e-9);
  g_assert_cmpint (waybill_tracker_get_auth (f->tracker), ==, WAYBILL_TRACKER_AUTH_CLIENT);
  g_assert_true (waybill_tracker_is_configured (f->tracker));

  g_unsetenv ("WAYBILL_USPS_URL");
  g_unsetenv ("WAYBILL_USPS_CLIENT_ID");
  production = waybill_tracker_usps_new (NULL);
  g_assert_cmpstr (waybill_tracker_get_base_url (production), ==, "https://apis.usps.com");
  g_assert_false (waybill_tracker_is_configured (production));
}

static void
test_registry (Fixture       *f,
               gconstpointer  data)
{
  tracker_check_registry ("usps", WAYBILL_TYPE_TRACKER_USPS);
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
    { "usps/1-label-created.json", WAYBILL_STATUS_INFO_RECEIVED, 1 },
    { "usps/2-accepted.json", WAYBILL_STATUS_PICKED_UP, 2 },
    { "usps/3-in-transit.json", WAYBILL_STATUS_IN_TRANSIT, 7 },
    { "usps/4-out-for-delivery.json", WAYBILL_STATUS_OUT_FOR_DELIVERY, 9 },
    { "usps/5-delivered.json", WAYBILL_STATUS_DELIVERED, 10 },
  };
  const FakeRequest *request;
  g_autoptr(GHashTable) form = NULL;
  g_autofree char *form_text = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    fake_response_fixture (fake_carrier_server_queue (f->server, NUMBER_PATH, 200),
                           steps[i].fixture);

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autoptr(WaybillTrackingReply) reply = fake_track_one (f->tracker, NUMBER);
      WaybillTrackingResult *result = reply->result;

      g_assert_no_error (reply->error);
      g_assert_cmpint (result->status, ==, steps[i].status);
      g_assert_cmpint (result->exception_reason, ==, WAYBILL_EXCEPTION_NONE);
      g_assert_cmpuint (result->events->len, ==, steps[i].n_events);
      g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, 0)), ==,
                       steps[i].status);
      /* GMTTimestamp and GMTOffset: exact times, at the place's offset. */
      for (guint j = 0; j < result->events->len; j++)
        g_assert_false (waybill_tracking_event_get_time_is_local (tracker_event_at (result, j)));

      request = fake_carrier_server_get_last_request (f->server, TRACK_PATH);
      g_assert_cmpstr (request->method, ==, "GET");
      g_assert_cmpstr (request->path, ==, NUMBER_PATH);
      g_assert_cmpstr (request->query, ==, "expand=DETAIL");
      g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Authorization"), ==,
                       "Bearer usps-token-1");

      switch (steps[i].status)
        {
        case WAYBILL_STATUS_INFO_RECEIVED:
          g_assert_cmpstr (result->sub_status, ==, "Shipping Label Created, USPS Awaiting Item");
          g_assert_cmpstr (waybill_tracking_event_get_code (tracker_event_at (result, 0)), ==, "GX");
          g_assert_cmpstr (waybill_tracking_event_get_location (tracker_event_at (result, 0)), ==,
                           "ATLANTA, GA 30301");
          tracker_assert_time (waybill_tracking_event_get_time (tracker_event_at (result, 0)),
                               "2024-11-18 10:02:41 -0500");
          /* An expected day without a time: by its end. */
          g_assert_null (result->estimated_from);
          tracker_assert_time (result->estimated_to, "2024-11-21 23:59:59 +0000");
          break;

        case WAYBILL_STATUS_PICKED_UP:
          g_assert_cmpstr (result->sub_status, ==, "USPS in possession of item");
          g_assert_cmpstr (waybill_tracking_event_get_code (tracker_event_at (result, 0)), ==, "03");
          g_assert_null (result->estimated_from);
          tracker_assert_time (result->estimated_to, "2024-11-20 23:59:59 +0000");
          break;

        case WAYBILL_STATUS_IN_TRANSIT:
          g_assert_cmpstr (waybill_tracking_event_get_location (tracker_event_at (result, 0)), ==,
                           "ORLANDO FL DISTRIBUTION CENTER");
          g_assert_cmpstr (waybill_tracking_event_get_code (tracker_event_at (result, 1)), ==, "TL");
          g_assert_null (waybill_tracking_event_get_location (tracker_event_at (result, 1)));
          g_assert_null (result->estimated_from);
          tracker_assert_time (result->estimated_to, "2024-11-20 21:00:00 -0500");
          break;

        case WAYBILL_STATUS_OUT_FOR_DELIVERY:
          /* The predicted window of deliveryDateExpectation. */
          tracker_assert_time (result->estimated_from, "2024-11-20 12:30:00 +0000");
          tracker_assert_time (result->estimated_to, "2024-11-20 16:30:00 +0000");
          break;

        case WAYBILL_STATUS_DELIVERED:
          g_assert_cmpstr (result->sub_status, ==, "Delivered, In/At Mailbox");
          tracker_assert_time (result->delivered_at, "2024-11-20 14:36:12 -0500");
          g_assert_cmpstr (result->signed_by, ==, "J PARKER");
          g_assert_null (result->estimated_from);
          g_assert_null (result->estimated_to);
          g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, 1)), ==,
                           WAYBILL_STATUS_OUT_FOR_DELIVERY);
          g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, 2)), ==,
                           WAYBILL_STATUS_IN_TRANSIT);
          g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, 8)), ==,
                           WAYBILL_STATUS_PICKED_UP);
          g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, 9)), ==,
                           WAYBILL_STATUS_INFO_RECEIVED);
          g_assert_cmpstr (waybill_tracking_event_get_location (tracker_event_at (result, 0)), ==,
                           "WINTER PARK, FL 32789");
          break;

        default:
          g_assert_not_reached ();
        }
    }

  g_assert_cmpuint (fake_carrier_server_count (f->server, TOKEN_PATH), ==, 1);
  g_assert_cmpuint (fake_carrier_server_count (f->server, TRACK_PATH), ==, G_N_ELEMENTS (steps));

  /* Form fields with the tracking scope; nothing in a header or the URL. */
  request = fake_carrier_server_get_last_request (f->server, TOKEN_PATH);
  g_assert_cmpstr (request->method, ==, "POST");
  g_assert_cmpstr (soup_message_headers_get_content_type (request->headers, NULL), ==,
                   "application/x-www-form-urlencoded");
  g_assert_null (soup_message_headers_get_one (request->headers, "Authorization"));
  g_assert_null (request->query);
  form_text = g_strndup (g_bytes_get_data (request->body, NULL), g_bytes_get_size (request->body));
  form = soup_form_decode (form_text);
  g_assert_cmpuint (g_hash_table_size (form), ==, 4);
  g_assert_cmpstr (g_hash_table_lookup (form, "grant_type"), ==, "client_credentials");
  g_assert_cmpstr (g_hash_table_lookup (form, "client_id"), ==, FAKE_USPS_CLIENT_ID);
  g_assert_cmpstr (g_hash_table_lookup (form, "client_secret"), ==, FAKE_USPS_CLIENT_SECRET);
  g_assert_cmpstr (g_hash_table_lookup (form, "scope"), ==, "tracking");
}

static void
test_exception (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(WaybillTrackingReply) reply = track_fixture (f, EXCEPTION,
                                                         "usps/exception-undeliverable.json");
  WaybillTrackingResult *result = reply->result;

  g_assert_nonnull (result);
  g_assert_cmpint (result->status, ==, WAYBILL_STATUS_EXCEPTION);
  g_assert_cmpint (result->exception_reason, ==, WAYBILL_EXCEPTION_ADDRESS);
  g_assert_cmpstr (result->sub_status, ==, "Undeliverable as Addressed");
  g_assert_cmpuint (result->events->len, ==, 5);
  g_assert_cmpstr (waybill_tracking_event_get_code (tracker_event_at (result, 0)), ==, "05");
  tracker_assert_time (waybill_tracking_event_get_time (tracker_event_at (result, 0)), "2024-12-03 11:12:08 -0600");
  g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, 1)), ==,
                   WAYBILL_STATUS_FAILED_ATTEMPT);
  /* The origin scan keeps its own offset. */
  tracker_assert_time (waybill_tracking_event_get_time (tracker_event_at (result, 4)), "2024-11-29 15:03:12 -0500");
  g_assert_null (result->estimated_to);
}

static void
test_returned (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(WaybillTrackingReply) reply = track_fixture (f, RETURNED, "usps/returned.json");
  WaybillTrackingResult *result = reply->result;

  g_assert_nonnull (result);
  g_assert_cmpint (result->status, ==, WAYBILL_STATUS_RETURNED);
  /* "Return to Sender Processed" after "No Such Number". */
  g_assert_cmpint (result->exception_reason, ==, WAYBILL_EXCEPTION_ADDRESS);
  g_assert_cmpstr (result->sub_status, ==, "Return to Sender Processed");
  g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, 0)), ==,
                   WAYBILL_STATUS_RETURNED);
  g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, 1)), ==,
                   WAYBILL_STATUS_RETURNED);
  g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, 2)), ==,
                   WAYBILL_STATUS_OUT_FOR_DELIVERY);
  /* Going back: the expected delivery no longer holds. */
  g_assert_null (result->estimated_to);
  g_assert_null (result->delivered_at);
}

static void
test_rescheduled (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(WaybillTrackingReply) reply = track_fixture (f, LATE, "usps/rescheduled.json");
  WaybillTrackingResult *result = reply->result;

  /* Where it is (at the post office), and late. */
  g_assert_nonnull (result);
  g_assert_cmpint (result->status, ==, WAYBILL_STATUS_IN_TRANSIT);
  g_assert_cmpint (result->exception_reason, ==, WAYBILL_EXCEPTION_DELAY);
  g_assert_cmpstr (result->sub_status, ==, "Rescheduled to Next Delivery Day");
  g_assert_cmpstr (waybill_tracking_event_get_code (tracker_event_at (result, 0)), ==, "71");
  g_assert_cmpint (waybill_tracking_event_get_status (tracker_event_at (result, 0)), ==,
                   WAYBILL_STATUS_IN_TRANSIT);
  /* Flat predicted window fields, in 24-hour times. */
  tracker_assert_time (result->estimated_from, "2025-02-15 10:00:00 +0000");
  tracker_assert_time (result->estimated_to, "2025-02-15 14:00:00 +0000");
}

static void
test_html_entities (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(WaybillTrackingReply) reply = track_fixture (f, HTML, "usps/html-entities.json");
  WaybillTrackingResult *result = reply->result;

  g_assert_nonnull (result);
  g_assert_cmpint (result->status, ==, WAYBILL_STATUS_AVAILABLE_FOR_PICKUP);
  g_assert_cmpstr (result->sub_status, ==, "Available for Pickup, USPS Smart Locker™");
  g_assert_cmpstr (waybill_tracking_event_get_description (tracker_event_at (result, 0)), ==,
                   "Available for Pickup, USPS Smart Locker™");
  g_assert_cmpstr (waybill_tracking_event_get_location (tracker_event_at (result, 0)), ==,
                   "O'FALLON, MO 63366");
  g_assert_cmpstr (waybill_tracking_event_get_location (tracker_event_at (result, 2)), ==,
                   "ST. LOUIS, MO 63101");
}

static void
test_decode_html (void)
{
  static const struct
  {
    const char *html;
    const char *text;
  } cases[] = {
    { "USPS Ground Advantage<SUP>&#153;</SUP>", "USPS Ground Advantage™" },
    { "Priority Mail<SUP>&#174;</SUP>", "Priority Mail®" },
    { "Priority Mail Express<sup>&reg;</sup>", "Priority Mail Express®" },
    { "USPS Tracking<SUP>&#x2122;</SUP> &trade;", "USPS Tracking™ ™" },
    { "Bring ID &amp; your notice", "Bring ID & your notice" },
    { "&lt;5 lbs&gt;", "<5 lbs>" },
    { "<5 lbs", "<5 lbs" },
    { "Fish &chips; &chips &", "Fish &chips; &chips &" },
    { "O&#39;FALLON", "O'FALLON" },
    { "&quot;Front Door&quot;", "\"Front Door\"" },
    { "Line<br/>two<BR>three", "Line two three" },
    { "&#128; &#150; &#151;", "€ – —" },
    { "&#129;x&#x7f;", "x" },
    { "&#0;x&#9;y", "x y" },
    { "&#55296;", "\xef\xbf\xbd" },
    { "&#1114112;", "\xef\xbf\xbd" },
    { "&#99999999999999999999;", "&#99999999999999999999;" },
    { "&amp;#153;", "&#153;" },
    { "caf\xc3\xa9 &eacute; &nbsp;x", "café é x" },
    { "bad \xff byte", "bad \xef\xbf\xbd byte" },
    { "  <b></b> ", NULL },
    { "", NULL },
    { NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = waybill_tracker_usps_decode_html (cases[i].html);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_times (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(WaybillTrackingReply) reply = track_fixture (f, FOREIGN, "usps/local-times.json");
  WaybillTrackingResult *result = reply->result;

  g_assert_nonnull (result);
  g_assert_cmpuint (result->events->len, ==, 4);

  /* GMT without GMTOffset: at the offset its local time shows. */
  tracker_assert_time (waybill_tracking_event_get_time (tracker_event_at (result, 0)), "2025-02-10 06:30:27 -0500");
  g_assert_false (waybill_tracking_event_get_time_is_local (tracker_event_at (result, 0)));
  /* GMT and GMTOffset without a local time. */
  tracker_assert_time (waybill_tracking_event_get_time (tracker_event_at (result, 1)), "2025-02-09 15:45:00 -0500");
  g_assert_false (waybill_tracking_event_get_time_is_local (tracker_event_at (result, 1)));
  /* An offset without GMT: the local time at that offset. */
  tracker_assert_time (waybill_tracking_event_get_time (tracker_event_at (result, 2)), "2025-02-09 13:00:00 +0100");
  g_assert_false (waybill_tracking_event_get_time_is_local (tracker_event_at (result, 2)));
  /* Neither: the local time as written, marked local. */
  tracker_assert_time (waybill_tracking_event_get_time (tracker_event_at (result, 3)), "2025-02-08 22:10:00 +0000");
  g_assert_true (waybill_tracking_event_get_time_is_local (tracker_event_at (result, 3)));
  g_assert_cmpstr (waybill_tracking_event_get_location (tracker_event_at (result, 3)), ==,
                   "FRANKFURT, GERMANY");
}

/* USPS event codes, and words of codes this table does not know. */
static void
test_codes (Fixture       *f,
            gconstpointer  data)
{
  static const struct
  {
    const char             *code;
    const char             *event_type;
    WaybillStatus           status;
    WaybillExceptionReason  reason;
  } cases[] = {
    { "GX", "Shipping Label Created, USPS Awaiting Item", WAYBILL_STATUS_INFO_RECEIVED, 0 },
    { "MA", "Pre-Shipment Info Sent to USPS, USPS Awaiting Item", WAYBILL_STATUS_INFO_RECEIVED, 0 },
    { "89", "Merchant Order Receipt Notification, USPS Awaiting Item", WAYBILL_STATUS_INFO_RECEIVED, 0 },
    { "TM", "Shipment Received, Package Acceptance Pending", WAYBILL_STATUS_INFO_RECEIVED, 0 },
    { "03", "USPS in possession of item", WAYBILL_STATUS_PICKED_UP, 0 },
    { "OA", "Accepted at USPS Origin Facility", WAYBILL_STATUS_PICKED_UP, 0 },
    { "UA", "Accepted at USPS Facility", WAYBILL_STATUS_PICKED_UP, 0 },
    { "PA", "Shipment Acceptance", WAYBILL_STATUS_PICKED_UP, 0 },
    { "AD", "Accepted at USPS Destination Facility", WAYBILL_STATUS_PICKED_UP, 0 },
    { "80", "Picked Up by Shipping Partner", WAYBILL_STATUS_PICKED_UP, 0 },
    { "83", "Tendered to Postal Service", WAYBILL_STATUS_PICKED_UP, 0 },
    { "SF", "Departed Post Office", WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "EF", "Departed USPS Facility", WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "10", "Arrived at USPS Regional Origin Facility", WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "PC", "Processing Complete", WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "T1", "Departed USPS Regional Facility", WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "A1", "Arrived at USPS Regional Facility", WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "TL", "In Transit to Next Facility", WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "07", "Arrived at Post Office", WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "14", "Arrived at Pickup Point", WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "19", "Arrived at USPS Facility", WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "41", "Received at Opening Unit", WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "42", "USPS Handoff to Shipping Partner", WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "81", "Arrived Shipping Partner Facility", WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "82", "Departed Shipping Partner Facility", WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "06", "Forwarded", WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "08", "Missent", WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "15", "Mis-shipped", WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "DX", "Delivery Status Not Updated", WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "71", "Rescheduled to Next Delivery Day", WAYBILL_STATUS_IN_TRANSIT, WAYBILL_EXCEPTION_DELAY },
    { "OF", "Out for Delivery", WAYBILL_STATUS_OUT_FOR_DELIVERY, 0 },
    { "01", "Delivered, Front Door/Porch", WAYBILL_STATUS_DELIVERED, 0 },
    { "17", "Delivered to Agent for Final Delivery", WAYBILL_STATUS_DELIVERED, 0 },
    { "43", "Picked Up at Post Office", WAYBILL_STATUS_DELIVERED, 0 },
    { "16", "Available for Pickup", WAYBILL_STATUS_AVAILABLE_FOR_PICKUP, 0 },
    { "02", "Notice Left (No Authorized Recipient Available)", WAYBILL_STATUS_FAILED_ATTEMPT, 0 },
    { "52", "Notice Left", WAYBILL_STATUS_FAILED_ATTEMPT, 0 },
    { "53", "Receptacle Blocked", WAYBILL_STATUS_FAILED_ATTEMPT, 0 },
    { "54", "Receptacle Full / Item Oversized", WAYBILL_STATUS_FAILED_ATTEMPT, 0 },
    { "55", "No Secure Location Available", WAYBILL_STATUS_FAILED_ATTEMPT, 0 },
    { "56", "No Authorized Recipient Available", WAYBILL_STATUS_FAILED_ATTEMPT, 0 },
    { "30", "Delivery Attempted - No Access to Delivery Location", WAYBILL_STATUS_FAILED_ATTEMPT, 0 },
    { "51", "Business Closed", WAYBILL_STATUS_FAILED_ATTEMPT, 0 },
    { "05", "Undeliverable as Addressed", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_ADDRESS },
    { "11", "Dead Letter", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_LOST },
    { "04", "Refused", WAYBILL_STATUS_RETURNED, WAYBILL_EXCEPTION_REFUSED },
    { "09", "Return to Sender", WAYBILL_STATUS_RETURNED, 0 },
    { "21", "No Such Number", WAYBILL_STATUS_RETURNED, WAYBILL_EXCEPTION_ADDRESS },
    { "22", "Insufficient Address", WAYBILL_STATUS_RETURNED, WAYBILL_EXCEPTION_ADDRESS },
    { "23", "Moved, Left No Address", WAYBILL_STATUS_RETURNED, WAYBILL_EXCEPTION_ADDRESS },
    { "24", "Forward Expired", WAYBILL_STATUS_RETURNED, WAYBILL_EXCEPTION_ADDRESS },
    { "25", "Addressee Unknown", WAYBILL_STATUS_RETURNED, WAYBILL_EXCEPTION_ADDRESS },
    { "26", "Vacant", WAYBILL_STATUS_RETURNED, WAYBILL_EXCEPTION_ADDRESS },
    { "27", "Unclaimed", WAYBILL_STATUS_RETURNED, 0 },
    { "28", "Deceased", WAYBILL_STATUS_RETURNED, WAYBILL_EXCEPTION_OTHER },
    { "29", "Return to Sender", WAYBILL_STATUS_RETURNED, 0 },
    { "31", "Not Picked Up", WAYBILL_STATUS_RETURNED, 0 },
    { "44", "Customer Recall", WAYBILL_STATUS_RETURNED, 0 },
    /* Codes this table does not know: their words. */
    { "ZZ", "Held in Customs", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_CUSTOMS },
    { "ZZ", "Customs Clearance", WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "ZZ", "Inbound Out of Customs", WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "ZZ", "Arriving Late", WAYBILL_STATUS_IN_TRANSIT, WAYBILL_EXCEPTION_DELAY },
    { "ZZ", "Delayed due to Weather", WAYBILL_STATUS_IN_TRANSIT, WAYBILL_EXCEPTION_WEATHER },
    { "ZZ", "Alert: Item Damaged", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_DAMAGED },
    { "ZZ", "Delivery Exception, Animal Interference", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_OTHER },
    { "ZZ", "Held at Post Office, At Customer Request", WAYBILL_STATUS_AVAILABLE_FOR_PICKUP, 0 },
    { "ZZ", "Delivered, Parcel Locker", WAYBILL_STATUS_DELIVERED, 0 },
    { "ZZ", "Out for Delivery, Expected Delivery by 9:00pm", WAYBILL_STATUS_OUT_FOR_DELIVERY, 0 },
    { "ZZ", "Notice Left (Business Closed)", WAYBILL_STATUS_FAILED_ATTEMPT, 0 },
    { "ZZ", "Return to Sender Processed", WAYBILL_STATUS_RETURNED, 0 },
    { "ZZ", "Pre-Shipment Info Sent to USPS, USPS Awaiting Item", WAYBILL_STATUS_INFO_RECEIVED, 0 },
    { "ZZ", "Accepted at USPS Origin Facility", WAYBILL_STATUS_PICKED_UP, 0 },
    { "ZZ", "Processed through USPS Facility", WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "ZZ", "Moving Through Network", WAYBILL_STATUS_IN_TRANSIT, 0 },
    { "ZZ", "Something New", WAYBILL_STATUS_IN_TRANSIT, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(WaybillTrackingReply) reply = NULL;
      g_autofree char *json = NULL;

      json = g_strdup_printf ("{\"trackingNumber\":\"" NUMBER "\",\"status\":\"%s\","
                              "\"trackingEvents\":[{\"eventType\":\"%s\","
                              "\"eventTimestamp\":\"2024-06-01T10:15:00\","
                              "\"GMTTimestamp\":\"2024-06-01T14:15:30Z\",\"GMTOffset\":\"-04:00\","
                              "\"eventCity\":\"NEW YORK\",\"eventState\":\"NY\","
                              "\"eventZIP\":\"10001\",\"eventCountry\":null,"
                              "\"eventCode\":\"%s\"}]}",
                              cases[i].event_type, cases[i].event_type, cases[i].code);
      fake_response_json (fake_carrier_server_queue (f->server, NUMBER_PATH, 200), json);
      reply = fake_track_one (f->tracker, NUMBER);
      g_assert_nonnull (reply->result);
      if (reply->result->status != cases[i].status ||
          reply->result->exception_reason != cases[i].reason)
        g_error ("%s “%s”: got %s/%s, expected %s/%s", cases[i].code, cases[i].event_type,
                 waybill_status_to_id (reply->result->status),
                 waybill_exception_reason_to_id (reply->result->exception_reason),
                 waybill_status_to_id (cases[i].status),
                 waybill_exception_reason_to_id (cases[i].reason));
      g_assert_cmpuint (reply->result->events->len, ==, 1);
      g_assert_cmpstr (waybill_tracking_event_get_code (tracker_event_at (reply->result, 0)), ==,
                       cases[i].code);
      g_assert_cmpstr (waybill_tracking_event_get_description (tracker_event_at (reply->result, 0)), ==,
                       cases[i].event_type);
      g_assert_cmpstr (waybill_tracking_event_get_location (tracker_event_at (reply->result, 0)), ==,
                       "NEW YORK, NY 10001");
    }
}

/* Without events: the status, then the category. */
static void
test_summary_only (Fixture       *f,
                   gconstpointer  data)
{
  static const struct
  {
    const char    *status;
    const char    *category;
    WaybillStatus  expected;
  } cases[] = {
    { "Delivered, In/At Mailbox", "Delivered", WAYBILL_STATUS_DELIVERED },
    { "Something New", "Out for Delivery", WAYBILL_STATUS_OUT_FOR_DELIVERY },
    { "Something New", "Pre-Shipment", WAYBILL_STATUS_INFO_RECEIVED },
    { "Something New", "Something Else", WAYBILL_STATUS_PENDING },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(WaybillTrackingReply) reply = NULL;
      g_autofree char *json = NULL;

      json = g_strdup_printf ("{\"trackingNumber\":\"" NUMBER "\",\"status\":\"%s\","
                              "\"statusCategory\":\"%s\",\"trackingEvents\":[]}",
                              cases[i].status, cases[i].category);
      fake_response_json (fake_carrier_server_queue (f->server, NUMBER_PATH, 200), json);
      reply = fake_track_one (f->tracker, NUMBER);
      g_assert_nonnull (reply->result);
      g_assert_cmpint (reply->result->status, ==, cases[i].expected);
      g_assert_cmpuint (reply->result->events->len, ==, 0);
      g_assert_cmpstr (reply->result->sub_status, ==, cases[i].status);
    }
}

static void
test_not_found (Fixture       *f,
                gconstpointer  data)
{
  static const struct
  {
    guint       status;
    const char *fixture;
    const char *message;
  } cases[] = {
    { 404, "usps/not-found-404.json", "USPS does not know tracking number " NUMBER },
    { 400, "usps/error-400-not-yet.json", "USPS does not know tracking number " NUMBER },
    { 400, "usps/error-400-invalid.json", NUMBER " is not a valid USPS tracking number" },
    /* The error body inside a 200. */
    { 200, "usps/not-found-404.json", "USPS does not know tracking number " NUMBER },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(WaybillTrackingReply) reply = NULL;

      fake_response_fixture (fake_carrier_server_queue (f->server, NUMBER_PATH, cases[i].status),
                             cases[i].fixture);
      reply = fake_track_one (f->tracker, NUMBER);
      fake_assert_error (reply, WAYBILL_TRACKER_ERROR_NOT_FOUND);
      g_assert_cmpstr (reply->error->message, ==, cases[i].message);
    }

  /* Another 400 is Waybill's fault, not the number's. */
  {
    g_autoptr(WaybillTrackingReply) reply = NULL;

    fake_response_json (fake_carrier_server_queue (f->server, NUMBER_PATH, 400),
                        "{\"apiVersion\":\"/tracking/v3\",\"error\":{\"code\":\"400\","
                        "\"message\":\"Bad Request\",\"errors\":[{\"title\":\"Unknown parameter\"}]}}");
    reply = fake_track_one (f->tracker, NUMBER);
    fake_assert_error (reply, WAYBILL_TRACKER_ERROR_BAD_RESPONSE);
  }
}

static void
test_token_renewed (Fixture       *f,
                    gconstpointer  data)
{
  tracker_check_token_renewed (f, &api);
}

static void
test_token_expiry (Fixture       *f,
                   gconstpointer  data)
{
  /* USPS sends expires_in as a string. */
  tracker_check_token_expiry (f, &api, "\"2\"");
}

static void
test_token_rejected_twice (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(WaybillTrackingReply) forbidden = NULL;

  tracker_check_token_rejected_twice (f, &api);

  /* 403: no renewal. */
  fake_response_json (fake_carrier_server_queue (f->server, NUMBER_PATH, 403),
                      "{\"apiVersion\":\"/tracking/v3\",\"error\":{\"code\":\"403\","
                      "\"message\":\"Access to this resource is forbidden.\",\"errors\":[]}}");
  forbidden = fake_track_one (f->tracker, NUMBER);
  fake_assert_error (forbidden, WAYBILL_TRACKER_ERROR_AUTH);
  g_assert_cmpuint (fake_carrier_server_count (f->server, TOKEN_PATH), ==, 2);
  g_assert_cmpuint (fake_carrier_server_count (f->server, TRACK_PATH), ==, 3);
}

static void
test_bad_client (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(WaybillCredentials) wrong = waybill_credentials_new (NULL, FAKE_USPS_CLIENT_ID,
                                                                 "wrong-secret-0000");
  g_autoptr(WaybillTrackingReply) reply = NULL;

  waybill_tracker_set_credentials (f->tracker, wrong);
  reply = fake_track_one (f->tracker, NUMBER);
  fake_assert_error (reply, WAYBILL_TRACKER_ERROR_AUTH);
  g_assert_cmpstr (reply->error->message, ==,
                   "USPS rejected Waybill’s credentials; check the USPS client ID and secret in Preferences");
  g_assert_cmpuint (fake_carrier_server_count (f->server, TOKEN_PATH), ==, 1);
  g_assert_cmpuint (fake_carrier_server_count (f->server, TRACK_PATH), ==, 0);
}

static void
test_not_configured (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(WaybillCredentials) half = waybill_credentials_new (NULL, NULL, FAKE_USPS_CLIENT_SECRET);
  const char *numbers[] = { NUMBER, NULL };

  tracker_check_not_configured (f, half, numbers, "client ID and secret");
}

static void
test_rate_limited (Fixture       *f,
                   gconstpointer  data)
{
  const char *numbers[] = { NUMBER, EXCEPTION, NULL };
  g_autoptr(GPtrArray) replies = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WaybillTrackingReply) token = NULL;

  /* The hourly quota: the rest of the batch is not asked. */
  fake_response_header (fake_response_fixture (fake_carrier_server_queue (f->server, NUMBER_PATH, 429),
                                               "usps/error-429.json"),
                        "Retry-After", "1800");
  replies = fake_track (f->tracker, numbers, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < replies->len; i++)
    {
      WaybillTrackingReply *reply = g_ptr_array_index (replies, i);

      fake_assert_error (reply, WAYBILL_TRACKER_ERROR_RATE_LIMITED);
      g_assert_cmpuint (reply->retry_after_seconds, ==, 1800);
      g_assert_cmpstr (reply->error->message, ==,
                       "USPS asked Waybill to slow down; try again in 1800 seconds");
    }
  g_assert_cmpuint (fake_carrier_server_count (f->server, TRACK_PATH), ==, 1);

  fake_carrier_server_expire_tokens (f->server, "usps");
  fake_response_header (fake_response_json (fake_carrier_server_queue (f->server, TOKEN_PATH, 429),
                                            "{\"error\":\"too_many_requests\"}"),
                        "Retry-After", "9");
  token = fake_track_one (f->tracker, NUMBER);
  fake_assert_error (token, WAYBILL_TRACKER_ERROR_RATE_LIMITED);
  g_assert_cmpuint (token->retry_after_seconds, ==, 9);
}

static void
test_unavailable (Fixture       *f,
                  gconstpointer  data)
{
  static const char page[] = "<html><body><h1>500 Internal Server Error</h1></body></html>";
  g_autoptr(WaybillTrackingReply) down = NULL;

  fake_response_header (fake_response_fixture (fake_carrier_server_queue (f->server, NUMBER_PATH, 503),
                                               "usps/error-503.json"),
                        "Retry-After", "120");
  down = fake_track_one (f->tracker, NUMBER);
  fake_assert_error (down, WAYBILL_TRACKER_ERROR_UNAVAILABLE);
  g_assert_cmpuint (down->retry_after_seconds, ==, 120);

  tracker_check_down_page (f, NUMBER_PATH, NUMBER, 500, page, 0);
}

static void
test_bad_response (Fixture       *f,
                   gconstpointer  data)
{
  static const char * const bodies[] = {
    "<!DOCTYPE html><html><body>Access Denied</body></html>",
    "tracking unavailable",
    "[]",
    "{}",
    "{\"trackingNumber\":\"" NUMBER "\",\"trackingEvents\":{}}",
    "{\"trackingNumber\":\"" NUMBER "\",\"status\":",
  };

  tracker_check_web_page (f, NUMBER_PATH, NUMBER, bodies[0]);
  tracker_check_bad_bodies (f, NUMBER_PATH, NUMBER, bodies + 1, G_N_ELEMENTS (bodies) - 1);
}

static void
test_truncated (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(WaybillTrackingReply) reply = NULL;

  reply = tracker_track_truncated (f, NUMBER_PATH, "usps/5-delivered.json", NUMBER);
}

static void
test_timeout (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(WaybillTrackingReply) reply = NULL;
  g_autoptr(WaybillTrackingReply) token = NULL;

  reply = tracker_track_never_answered (f, NUMBER_PATH, 200, NUMBER);

  fake_carrier_server_expire_tokens (f->server, "usps");
  fake_response_mode (fake_carrier_server_queue (f->server, TOKEN_PATH, 200),
                      FAKE_RESPONSE_NEVER_ANSWER);
  token = fake_track_one (f->tracker, NUMBER);
  fake_assert_error (token, WAYBILL_TRACKER_ERROR_NETWORK);
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
  g_autoptr(WaybillTracker) tracker = waybill_tracker_usps_new (NULL);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(WaybillTrackingReply) reply = NULL;

  body = tracker_fixture_bytes ("usps/5-delivered.json");
  reply = waybill_tracker_usps_parse_response (WAYBILL_TRACKER_USPS (tracker), NUMBER, 200, body);
  g_assert_nonnull (reply->result);
  g_assert_cmpint (reply->result->status, ==, WAYBILL_STATUS_DELIVERED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/waybill/tracker-usps/" path, Fixture, NULL, fixture_setup, func, tracker_fixture_teardown)

  ADD ("properties", test_properties);
  ADD ("registry", test_registry);
  ADD ("lifecycle", test_lifecycle);
  ADD ("exception", test_exception);
  ADD ("returned", test_returned);
  ADD ("rescheduled", test_rescheduled);
  ADD ("html-entities", test_html_entities);
  ADD ("times", test_times);
  ADD ("codes", test_codes);
  ADD ("summary-only", test_summary_only);
  ADD ("not-found", test_not_found);
  ADD ("token-renewed", test_token_renewed);
  ADD ("token-expiry", test_token_expiry);
  ADD ("token-rejected-twice", test_token_rejected_twice);
  ADD ("bad-client", test_bad_client);
  ADD ("not-configured", test_not_configured);
  ADD ("rate-limited", test_rate_limited);
  ADD ("unavailable", test_unavailable);
  ADD ("bad-response", test_bad_response);
  ADD ("truncated", test_truncated);
  ADD ("timeout", test_timeout);
  ADD ("refused", test_refused);
  g_test_add_func ("/waybill/tracker-usps/parse", test_parse_directly);
  g_test_add_func ("/waybill/tracker-usps/decode-html", test_decode_html);

  return g_test_run ();
}
