/* test-status.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "waybill-status.h"

static void
test_ids_round_trip (void)
{
  static const char * const ids[] = {
    "received", "processing", "shipped", "cancelled", "pending", "info_received", "picked_up",
    "in_transit", "out_for_delivery", "available_for_pickup", "failed_attempt", "delivered",
    "exception", "returned", "expired",
  };

  g_assert_cmpuint (G_N_ELEMENTS (ids), ==, WAYBILL_N_STATUSES);

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      WaybillStatus status = waybill_status_from_id (ids[i]);

      g_assert_cmpint (status, !=, WAYBILL_STATUS_INVALID);
      g_assert_cmpstr (waybill_status_to_id (status), ==, ids[i]);
      g_assert_nonnull (waybill_status_get_label (status));
      g_assert_cmpstr (waybill_status_get_label (status), !=, "");
      g_assert_true (g_str_has_suffix (waybill_status_get_icon_name (status), "-symbolic"));
      g_assert_nonnull (waybill_status_get_style_class (status));
    }

  g_assert_cmpint (waybill_status_from_id ("shipped-ish"), ==, WAYBILL_STATUS_INVALID);
  g_assert_cmpint (waybill_status_from_id (""), ==, WAYBILL_STATUS_INVALID);
  g_assert_cmpint (waybill_status_from_id (NULL), ==, WAYBILL_STATUS_INVALID);
}

static void
test_enum_type (void)
{
  GEnumClass *klass = g_type_class_ref (WAYBILL_TYPE_STATUS);
  GEnumValue *value = g_enum_get_value_by_nick (klass, "out_for_delivery");

  g_assert_nonnull (value);
  g_assert_cmpint (value->value, ==, WAYBILL_STATUS_OUT_FOR_DELIVERY);
  g_type_class_unref (klass);
}

static void
test_kinds (void)
{
  g_assert_true (waybill_status_is_order_stage (WAYBILL_STATUS_RECEIVED));
  g_assert_true (waybill_status_is_order_stage (WAYBILL_STATUS_CANCELLED));
  g_assert_false (waybill_status_is_order_stage (WAYBILL_STATUS_PENDING));
  g_assert_true (waybill_status_is_final (WAYBILL_STATUS_DELIVERED));
  g_assert_true (waybill_status_is_final (WAYBILL_STATUS_RETURNED));
  g_assert_true (waybill_status_is_final (WAYBILL_STATUS_EXPIRED));
  g_assert_false (waybill_status_is_final (WAYBILL_STATUS_OUT_FOR_DELIVERY));
  g_assert_true (waybill_status_needs_attention (WAYBILL_STATUS_EXCEPTION));
  g_assert_true (waybill_status_needs_attention (WAYBILL_STATUS_FAILED_ATTEMPT));
  g_assert_false (waybill_status_needs_attention (WAYBILL_STATUS_IN_TRANSIT));
}

static void
test_exception_reasons (void)
{
  static const char * const ids[] = {
    "customs", "damaged", "lost", "address", "refused", "weather", "delay", "other",
  };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      WaybillExceptionReason reason = waybill_exception_reason_from_id (ids[i]);

      g_assert_cmpint (reason, !=, WAYBILL_EXCEPTION_NONE);
      g_assert_cmpstr (waybill_exception_reason_to_id (reason), ==, ids[i]);
      g_assert_cmpstr (waybill_exception_reason_get_label (reason), !=, "");
    }

  g_assert_cmpint (waybill_exception_reason_from_id (NULL), ==, WAYBILL_EXCEPTION_NONE);
  g_assert_cmpint (waybill_exception_reason_from_id (""), ==, WAYBILL_EXCEPTION_NONE);
  /* A reason this version does not know is still a problem. */
  g_assert_cmpint (waybill_exception_reason_from_id ("aliens"), ==, WAYBILL_EXCEPTION_OTHER);
}

static WaybillStatus
order_status (WaybillStatus stage,
              ...)
{
  WaybillStatus statuses[8];
  guint n = 0;
  va_list args;
  int s;

  va_start (args, stage);
  while ((s = va_arg (args, int)) != WAYBILL_STATUS_INVALID)
    statuses[n++] = s;
  va_end (args);

  return waybill_status_for_order (stage, statuses, n);
}

static void
test_order_rule (void)
{
  const WaybillStatus END = WAYBILL_STATUS_INVALID;

  /* No shipments: the stage. */
  g_assert_cmpint (order_status (WAYBILL_STATUS_PROCESSING, END), ==, WAYBILL_STATUS_PROCESSING);
  /* Cancelled stays cancelled. */
  g_assert_cmpint (order_status (WAYBILL_STATUS_CANCELLED, WAYBILL_STATUS_IN_TRANSIT, END), ==,
                   WAYBILL_STATUS_CANCELLED);
  /* The least advanced shipment. */
  g_assert_cmpint (order_status (WAYBILL_STATUS_SHIPPED, WAYBILL_STATUS_DELIVERED,
                                 WAYBILL_STATUS_IN_TRANSIT, END), ==, WAYBILL_STATUS_IN_TRANSIT);
  g_assert_cmpint (order_status (WAYBILL_STATUS_SHIPPED, WAYBILL_STATUS_OUT_FOR_DELIVERY,
                                 WAYBILL_STATUS_INFO_RECEIVED, END), ==, WAYBILL_STATUS_INFO_RECEIVED);
  g_assert_cmpint (order_status (WAYBILL_STATUS_SHIPPED, WAYBILL_STATUS_DELIVERED,
                                 WAYBILL_STATUS_DELIVERED, END), ==, WAYBILL_STATUS_DELIVERED);
  /* An exception wins, wherever it is. */
  g_assert_cmpint (order_status (WAYBILL_STATUS_SHIPPED, WAYBILL_STATUS_PENDING,
                                 WAYBILL_STATUS_EXCEPTION, END), ==, WAYBILL_STATUS_EXCEPTION);
  g_assert_cmpint (order_status (WAYBILL_STATUS_SHIPPED, WAYBILL_STATUS_DELIVERED,
                                 WAYBILL_STATUS_EXCEPTION, END), ==, WAYBILL_STATUS_EXCEPTION);
  /* A parcel no longer tracked does not hide an active one... */
  g_assert_cmpint (order_status (WAYBILL_STATUS_SHIPPED, WAYBILL_STATUS_EXPIRED,
                                 WAYBILL_STATUS_DELIVERED, END), ==, WAYBILL_STATUS_DELIVERED);
  /* ...but shows when it is all there is. */
  g_assert_cmpint (order_status (WAYBILL_STATUS_SHIPPED, WAYBILL_STATUS_EXPIRED, END), ==,
                   WAYBILL_STATUS_EXPIRED);
  /* Returned ranks before delivered: the owner must see it. */
  g_assert_cmpint (order_status (WAYBILL_STATUS_SHIPPED, WAYBILL_STATUS_DELIVERED,
                                 WAYBILL_STATUS_RETURNED, END), ==, WAYBILL_STATUS_RETURNED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/waybill/status/ids-round-trip", test_ids_round_trip);
  g_test_add_func ("/waybill/status/enum-type", test_enum_type);
  g_test_add_func ("/waybill/status/kinds", test_kinds);
  g_test_add_func ("/waybill/status/exception-reasons", test_exception_reasons);
  g_test_add_func ("/waybill/status/order-rule", test_order_rule);

  return g_test_run ();
}
