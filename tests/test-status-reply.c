/* test-status-reply.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "waybill-status-reply.h"

/* The replies are in English (LC_ALL=C.UTF-8) and UTC (TZ=UTC); "now" is
 * Tuesday 2 December 2025, 15:00. */

static GDateTime *
at (const char *iso)
{
  GDateTime *time = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (time);
  return time;
}

static GDateTime *
now (void)
{
  return at ("2025-12-02T15:00:00Z");
}

static void
add_event (WaybillShipment *shipment,
           const char      *iso,
           WaybillStatus    status,
           const char      *location)
{
  g_autoptr(GDateTime) time = at (iso);

  g_ptr_array_add (waybill_shipment_get_events (shipment),
                   waybill_tracking_event_new (time, status, "X", "Scan", location));
}

static WaybillShipment *
ups (WaybillStatus status)
{
  WaybillShipment *shipment = waybill_shipment_new ("ups", "1Z999AA10123456784");

  waybill_shipment_set_status (shipment, status);
  return shipment;
}

static void
set_eta (WaybillShipment *shipment,
         const char      *iso)
{
  g_autoptr(GDateTime) eta = at (iso);

  waybill_shipment_set_estimated_delivery (shipment, NULL, eta);
}

static char *
reply_for (WaybillShipment *first,
           WaybillShipment *second)
{
  g_autoptr(WaybillOrder) order = waybill_order_new ("1042", "Anna");
  g_autoptr(GDateTime) time = now ();

  waybill_order_set_stage (order, WAYBILL_STATUS_SHIPPED);
  if (first != NULL)
    waybill_order_add_shipment (order, first);
  if (second != NULL)
    waybill_order_add_shipment (order, second);

  return waybill_status_reply_build (order, time);
}

#define TRACK " Track it here: https://www.ups.com/track?loc=en_US&tracknum=1Z999AA10123456784"

static void
test_in_transit_this_morning (void)
{
  g_autoptr(WaybillShipment) s = ups (WAYBILL_STATUS_IN_TRANSIT);
  g_autofree char *text = NULL;

  add_event (s, "2025-12-01T20:00:00Z", WAYBILL_STATUS_PICKED_UP, "Louisville, KY, US");
  add_event (s, "2025-12-02T08:10:00Z", WAYBILL_STATUS_IN_TRANSIT, "Memphis, TN, US");
  set_eta (s, "2025-12-04T18:00:00Z");

  text = reply_for (s, NULL);
  g_assert_cmpstr (text, ==, "Your order 1042 was last scanned in Memphis, TN, US this morning "
                             "and is due Thursday 4 December." TRACK);
}

static void
test_relative_days (void)
{
  struct {
    const char *event;
    const char *eta;
    const char *expected;
  } cases[] = {
    { "2025-12-02T13:00:00Z", "2025-12-02T18:00:00Z",
      "Your order 1042 was last scanned in Memphis, TN, US this afternoon and is due today." TRACK },
    { "2025-12-01T19:00:00Z", "2025-12-03T18:00:00Z",
      "Your order 1042 was last scanned in Memphis, TN, US yesterday and is due tomorrow." TRACK },
    { "2025-11-24T19:00:00Z", NULL,
      "Your order 1042 was last scanned in Memphis, TN, US on Monday 24 November." TRACK },
    /* Past its estimate: running late. */
    { "2025-11-29T10:00:00Z", "2025-12-01T18:00:00Z",
      "Your order 1042 was last scanned in Memphis, TN, US on Saturday 29 November. "
      "It was due yesterday and is running late." TRACK },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(WaybillShipment) s = ups (WAYBILL_STATUS_IN_TRANSIT);
      g_autofree char *text = NULL;

      add_event (s, cases[i].event, WAYBILL_STATUS_IN_TRANSIT, "Memphis, TN, US");
      if (cases[i].eta != NULL)
        set_eta (s, cases[i].eta);
      text = reply_for (s, NULL);
      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

static void
test_evening_without_location (void)
{
  g_autoptr(WaybillShipment) s = ups (WAYBILL_STATUS_IN_TRANSIT);
  g_autofree char *text = NULL;
  g_autoptr(WaybillShipment) s2 = ups (WAYBILL_STATUS_IN_TRANSIT);
  g_autofree char *text2 = NULL;
  g_autoptr(GDateTime) late = at ("2025-12-02T21:00:00Z");
  g_autoptr(WaybillOrder) order = waybill_order_new ("1042", "Anna");

  add_event (s, "2025-12-02T19:00:00Z", WAYBILL_STATUS_IN_TRANSIT, NULL);
  waybill_order_add_shipment (order, s);
  text = waybill_status_reply_build (order, late);
  g_assert_cmpstr (text, ==, "Your order 1042 is on its way; it was last scanned this evening." TRACK);

  add_event (s2, "2025-12-02T09:00:00Z", WAYBILL_STATUS_IN_TRANSIT, "");
  set_eta (s2, "2025-12-05T12:00:00Z");
  text2 = reply_for (s2, NULL);
  g_assert_cmpstr (text2, ==, "Your order 1042 was last scanned this morning and is due Friday 5 December." TRACK);
}

static void
test_delivered (void)
{
  g_autoptr(WaybillShipment) s = ups (WAYBILL_STATUS_DELIVERED);
  g_autoptr(WaybillShipment) older = ups (WAYBILL_STATUS_DELIVERED);
  g_autoptr(WaybillShipment) no_time = ups (WAYBILL_STATUS_DELIVERED);
  g_autoptr(GDateTime) yesterday = at ("2025-12-01T11:00:00Z");
  g_autoptr(GDateTime) last_week = at ("2025-11-26T11:00:00Z");
  g_autofree char *text = NULL;
  g_autofree char *text2 = NULL;
  g_autofree char *text3 = NULL;

  waybill_shipment_set_delivered_at (s, yesterday);
  add_event (s, "2025-12-01T11:00:00Z", WAYBILL_STATUS_DELIVERED, "Denver, CO, US");
  text = reply_for (s, NULL);
  /* No link: there is nothing left to track. */
  g_assert_cmpstr (text, ==, "Your order 1042 was delivered yesterday.");

  waybill_shipment_set_delivered_at (older, last_week);
  text2 = reply_for (older, NULL);
  g_assert_cmpstr (text2, ==, "Your order 1042 was delivered on Wednesday 26 November.");

  text3 = reply_for (no_time, NULL);
  g_assert_cmpstr (text3, ==, "Your order 1042 has been delivered.");
}

static void
test_exceptions (void)
{
  struct {
    WaybillExceptionReason reason;
    const char *words;
  } cases[] = {
    { WAYBILL_EXCEPTION_CUSTOMS, "it is waiting in customs" },
    { WAYBILL_EXCEPTION_ADDRESS, "the carrier needs a more complete address" },
    { WAYBILL_EXCEPTION_DAMAGED, "the parcel was damaged on the way" },
    { WAYBILL_EXCEPTION_NONE, "the carrier reported a problem" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(WaybillShipment) s = ups (WAYBILL_STATUS_EXCEPTION);
      g_autofree char *text = NULL;
      g_autofree char *expected = NULL;

      waybill_shipment_set_exception_reason (s, cases[i].reason);
      add_event (s, "2025-12-02T09:00:00Z", WAYBILL_STATUS_EXCEPTION, "Memphis, TN, US");
      text = reply_for (s, NULL);
      expected = g_strdup_printf ("Your order 1042 is held up: %s. We are looking into it." TRACK,
                                  cases[i].words);
      g_assert_cmpstr (text, ==, expected);
    }
}

static void
test_no_events_yet (void)
{
  g_autoptr(WaybillShipment) s = ups (WAYBILL_STATUS_PENDING);
  g_autoptr(WaybillShipment) unknown = waybill_shipment_new (NULL, "XYZ123");
  g_autofree char *text = NULL;
  g_autofree char *text2 = NULL;

  text = reply_for (s, NULL);
  g_assert_cmpstr (text, ==, "Your order 1042 is packed and handed to UPS, who have not scanned it yet." TRACK);

  /* An unknown carrier: no name, no link. */
  text2 = reply_for (unknown, NULL);
  g_assert_cmpstr (text2, ==, "Your order 1042 is packed, and the carrier has not scanned it yet.");
}

static void
test_other_statuses (void)
{
  struct {
    WaybillStatus status;
    const char   *location;
    const char   *expected;
  } cases[] = {
    { WAYBILL_STATUS_OUT_FOR_DELIVERY, "Denver, CO, US", "Your order 1042 is out for delivery today." TRACK },
    { WAYBILL_STATUS_AVAILABLE_FOR_PICKUP, "Denver Post Office",
      "Your order 1042 is waiting to be collected at Denver Post Office." TRACK },
    { WAYBILL_STATUS_FAILED_ATTEMPT, NULL,
      "Your order 1042 could not be delivered this morning; UPS will try again." TRACK },
    { WAYBILL_STATUS_RETURNED, NULL, "Your order 1042 is on its way back to us; we will be in touch." TRACK },
    { WAYBILL_STATUS_EXPIRED, NULL,
      "Your order 1042 has not been scanned by the carrier for a while; we are looking into it." TRACK },
    { WAYBILL_STATUS_INFO_RECEIVED, NULL,
      "Your order 1042 is ready and waiting for the carrier to pick it up." TRACK },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(WaybillShipment) s = ups (cases[i].status);
      g_autofree char *text = NULL;

      add_event (s, "2025-12-02T09:00:00Z", cases[i].status, cases[i].location);
      text = reply_for (s, NULL);
      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

/* Without any event time, a sentence that needs none. */
static void
test_failed_attempt_without_events (void)
{
  g_autoptr(WaybillShipment) s = waybill_shipment_new ("no-such-carrier", "ABC123");
  g_autoptr(WaybillShipment) out = waybill_shipment_new (NULL, "ABC124");
  g_autofree char *text = NULL;
  g_autofree char *text2 = NULL;

  waybill_shipment_set_status (s, WAYBILL_STATUS_FAILED_ATTEMPT);
  text = reply_for (s, NULL);
  g_assert_cmpstr (text, ==, "Your order 1042 could not be delivered; the carrier will try again.");

  waybill_shipment_set_status (out, WAYBILL_STATUS_OUT_FOR_DELIVERY);
  text2 = reply_for (out, NULL);
  g_assert_cmpstr (text2, ==, "Your order 1042 is out for delivery today.");
}

static void
test_several_shipments (void)
{
  g_autoptr(WaybillShipment) first = ups (WAYBILL_STATUS_DELIVERED);
  g_autoptr(WaybillShipment) second = waybill_shipment_new ("usps", "9400111899223197428490");
  g_autoptr(GDateTime) delivered = at ("2025-12-02T10:00:00Z");
  g_autofree char *text = NULL;

  waybill_shipment_set_delivered_at (first, delivered);
  waybill_shipment_set_status (second, WAYBILL_STATUS_OUT_FOR_DELIVERY);
  add_event (second, "2025-12-02T07:00:00Z", WAYBILL_STATUS_OUT_FOR_DELIVERY, "Denver, CO, US");

  text = reply_for (first, second);
  g_assert_true (g_str_has_prefix (text, "Your order 1042 was sent in 2 parcels:\n"
                                         "Parcel 1 was delivered this morning.\n"
                                         "Parcel 2 is out for delivery today. Track it here: "));
  g_assert_nonnull (strstr (text, "9400111899223197428490"));
}

static void
test_without_shipments (void)
{
  struct {
    WaybillStatus stage;
    const char   *expected;
  } cases[] = {
    { WAYBILL_STATUS_RECEIVED,
      "We have received your order 1042 and will let you know as soon as it is on its way." },
    { WAYBILL_STATUS_PROCESSING,
      "Your order 1042 is being prepared and will be on its way soon; we will send the tracking details then." },
    { WAYBILL_STATUS_SHIPPED,
      "Your order 1042 is on its way; we do not have its tracking number yet and will send it as soon as we do." },
    { WAYBILL_STATUS_CANCELLED, "Your order 1042 was cancelled, so it will not be sent." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(WaybillOrder) order = waybill_order_new ("1042", "Anna");
      g_autoptr(GDateTime) time = now ();
      g_autofree char *text = NULL;

      waybill_order_set_stage (order, cases[i].stage);
      text = waybill_status_reply_build (order, time);
      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/waybill/status-reply/in-transit-this-morning", test_in_transit_this_morning);
  g_test_add_func ("/waybill/status-reply/relative-days", test_relative_days);
  g_test_add_func ("/waybill/status-reply/evening-without-location", test_evening_without_location);
  g_test_add_func ("/waybill/status-reply/delivered", test_delivered);
  g_test_add_func ("/waybill/status-reply/exceptions", test_exceptions);
  g_test_add_func ("/waybill/status-reply/no-events-yet", test_no_events_yet);
  g_test_add_func ("/waybill/status-reply/other-statuses", test_other_statuses);
  g_test_add_func ("/waybill/status-reply/failed-attempt-without-events", test_failed_attempt_without_events);
  g_test_add_func ("/waybill/status-reply/several-shipments", test_several_shipments);
  g_test_add_func ("/waybill/status-reply/without-shipments", test_without_shipments);

  return g_test_run ();
}
