/* test-model.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "waybill-format.h"
#include "waybill-order.h"
#include "waybill-tracking-result.h"

static guint notify_count;

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  notify_count++;
}

static void
test_order_properties (void)
{
  WaybillOrder *order = waybill_order_new ("1042", "Anna Müller");
  g_autofree char *email = NULL;

  g_signal_connect (order, "notify", G_CALLBACK (count_notify_cb), NULL);
  notify_count = 0;

  g_object_set (order, "email", "anna@example.com", "total", 42.5, NULL);
  g_assert_cmpuint (notify_count, ==, 2);
  /* Setting the same value again notifies nothing. */
  waybill_order_set_email (order, "anna@example.com");
  g_assert_cmpuint (notify_count, ==, 2);
  /* An empty string is "no value". */
  waybill_order_set_phone (order, "");
  g_assert_null (waybill_order_get_phone (order));
  g_assert_cmpuint (notify_count, ==, 2);

  g_object_get (order, "email", &email, NULL);
  g_assert_cmpstr (email, ==, "anna@example.com");
  g_assert_cmpstr (waybill_order_get_order_number (order), ==, "1042");
  g_assert_cmpfloat (waybill_order_get_total (order), ==, 42.5);
  g_assert_cmpint (waybill_order_get_stage (order), ==, WAYBILL_STATUS_RECEIVED);

  g_assert_finalize_object (order);
}

static void
test_order_display_status (void)
{
  WaybillOrder *order = waybill_order_new ("1", "A");
  g_autoptr(WaybillShipment) a = waybill_shipment_new ("ups", "1Z999AA10123456784");
  g_autoptr(WaybillShipment) b = waybill_shipment_new ("usps", "9400111899223817576487");

  waybill_order_set_stage (order, WAYBILL_STATUS_PROCESSING);
  waybill_order_update_display_status (order);
  g_assert_cmpint (waybill_order_get_display_status (order), ==, WAYBILL_STATUS_PROCESSING);
  g_assert_null (waybill_order_get_primary_shipment (order));

  waybill_shipment_set_status (a, WAYBILL_STATUS_DELIVERED);
  waybill_shipment_set_status (b, WAYBILL_STATUS_IN_TRANSIT);
  waybill_shipment_set_delayed (b, TRUE);
  waybill_order_add_shipment (order, a);
  waybill_order_add_shipment (order, b);

  g_assert_cmpint (waybill_order_get_display_status (order), ==, WAYBILL_STATUS_IN_TRANSIT);
  g_assert_true (waybill_order_get_delayed (order));
  g_assert_true (waybill_order_get_primary_shipment (order) == b);

  g_clear_object (&a);
  g_clear_object (&b);
  g_assert_finalize_object (order);
}

static void
test_shipment_and_events (void)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 ("2026-11-20T14:05:00-06:00", NULL);
  WaybillShipment *shipment = waybill_shipment_new ("ups", "1Z999AA10123456784");
  WaybillTrackingEvent *event = waybill_tracking_event_new (time, WAYBILL_STATUS_IN_TRANSIT,
                                                            "AR", "Arrived at Facility",
                                                            "Memphis, TN, US");
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  WaybillTrackingResult *result = waybill_tracking_result_new (WAYBILL_STATUS_IN_TRANSIT);
  WaybillTrackingResult *copy;

  g_assert_cmpstr (waybill_tracking_event_get_code (event), ==, "AR");
  g_assert_true (g_date_time_equal (waybill_tracking_event_get_time (event), time));
  g_assert_cmpint (g_date_time_get_utc_offset (waybill_tracking_event_get_time (event)) / G_USEC_PER_SEC, ==,
                   -6 * 3600);

  g_ptr_array_add (events, g_object_ref (event));
  waybill_shipment_set_events (shipment, events);
  g_assert_cmpuint (waybill_shipment_get_events (shipment)->len, ==, 1);
  g_assert_cmpint (waybill_shipment_get_status (shipment), ==, WAYBILL_STATUS_PENDING);

  waybill_tracking_result_add_event (result, event);
  result->sub_status = g_strdup ("On the way");
  copy = waybill_tracking_result_copy (result);
  g_assert_cmpstr (copy->sub_status, ==, "On the way");
  g_assert_cmpuint (copy->events->len, ==, 1);
  waybill_tracking_result_free (result);
  waybill_tracking_result_free (copy);

  g_clear_pointer (&events, g_ptr_array_unref);
  g_assert_finalize_object (shipment);
  g_assert_finalize_object (event);
}

static void
test_delivery_line (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 27, 10, 0, 0);
  g_autoptr(GDateTime) tomorrow = g_date_time_new_utc (2026, 11, 28, 18, 0, 0);
  g_autoptr(GDateTime) later = g_date_time_new_utc (2026, 12, 3, 18, 0, 0);
  g_autoptr(GDateTime) past = g_date_time_new_utc (2026, 11, 25, 18, 0, 0);
  g_autoptr(WaybillShipment) shipment = waybill_shipment_new ("ups", "1Z999AA10123456784");
  g_autoptr(WaybillOrder) order = waybill_order_new ("7", "B");
  char *line;

  waybill_shipment_set_status (shipment, WAYBILL_STATUS_IN_TRANSIT);
  line = waybill_format_delivery_line (shipment, now);
  g_assert_cmpstr (line, ==, "No delivery date yet");
  g_free (line);

  waybill_shipment_set_estimated_delivery (shipment, NULL, tomorrow);
  line = waybill_format_delivery_line (shipment, now);
  g_assert_cmpstr (line, ==, "Arrives tomorrow");
  g_free (line);

  waybill_shipment_set_estimated_delivery (shipment, NULL, later);
  line = waybill_format_delivery_line (shipment, now);
  g_assert_cmpstr (line, ==, "Arrives Thu 3 Dec");
  g_free (line);

  waybill_shipment_set_estimated_delivery (shipment, NULL, past);
  waybill_shipment_set_delayed (shipment, TRUE);
  line = waybill_format_delivery_line (shipment, now);
  g_assert_cmpstr (line, ==, "Was due Wed 25 Nov");
  g_free (line);

  waybill_shipment_set_status (shipment, WAYBILL_STATUS_DELIVERED);
  waybill_shipment_set_delivered_at (shipment, past);
  line = waybill_format_delivery_line (shipment, now);
  g_assert_cmpstr (line, ==, "Delivered Wed 25 Nov");
  g_free (line);

  waybill_shipment_set_status (shipment, WAYBILL_STATUS_EXCEPTION);
  waybill_shipment_set_exception_reason (shipment, WAYBILL_EXCEPTION_CUSTOMS);
  line = waybill_format_delivery_line (shipment, now);
  g_assert_cmpstr (line, ==, "Problem: Held in customs");
  g_free (line);

  line = waybill_format_order_line (order, now);
  g_assert_cmpstr (line, ==, "Not shipped yet");
  g_free (line);

  line = waybill_format_iso8601 (past);
  g_assert_cmpstr (line, ==, "2026-11-25T18:00:00+00:00");
  g_free (line);
}

/* The formatted times follow TZ, also when it changes (the local zone is
 * kept between calls). */
static void
test_format_follows_time_zone (void)
{
  g_autoptr(GDateTime) time = g_date_time_new_utc (2026, 12, 1, 14, 5, 0);
  g_autofree char *utc = NULL;
  g_autofree char *east = NULL;
  g_autofree char *back = NULL;

  g_setenv ("TZ", "UTC", TRUE);
  utc = waybill_format_date_time (time);
  g_setenv ("TZ", "XST-2", TRUE);
  east = waybill_format_date_time (time);
  {
    g_autoptr(GDateTime) now = waybill_format_now ();

    g_assert_cmpint (g_date_time_get_utc_offset (now), ==, 2 * G_TIME_SPAN_HOUR);
  }
  g_setenv ("TZ", "UTC", TRUE);
  back = waybill_format_date_time (time);

  g_assert_nonnull (strstr (utc, "14:05"));
  g_assert_nonnull (strstr (east, "16:05"));
  g_assert_cmpstr (back, ==, utc);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("TZ", "UTC", TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/waybill/model/order-properties", test_order_properties);
  g_test_add_func ("/waybill/model/order-display-status", test_order_display_status);
  g_test_add_func ("/waybill/model/shipment-and-events", test_shipment_and_events);
  g_test_add_func ("/waybill/model/delivery-line", test_delivery_line);
  g_test_add_func ("/waybill/model/format-follows-time-zone", test_format_follows_time_zone);

  return g_test_run ();
}
