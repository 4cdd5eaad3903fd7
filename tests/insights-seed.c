/* insights-seed.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "insights-seed.h"
#include "waybill-feedback.h"

static GDateTime *
utc (const char *iso)
{
  GDateTime *time = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (time);
  return time;
}

static WaybillShipment *
shipment (const char             *carrier,
          const char             *tracking,
          WaybillStatus           status,
          WaybillExceptionReason  reason,
          const char             *first_event,
          const char             *delivered,
          const char             *estimate)
{
  WaybillShipment *s = waybill_shipment_new (carrier, tracking);
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);

  waybill_shipment_set_status (s, status);
  waybill_shipment_set_exception_reason (s, reason);
  if (first_event != NULL)
    {
      g_autoptr(GDateTime) time = utc (first_event);

      g_ptr_array_add (events, waybill_tracking_event_new (time, WAYBILL_STATUS_PICKED_UP, "PU",
                                                           "Picked up", "Memphis, TN, US"));
    }
  if (delivered != NULL)
    {
      g_autoptr(GDateTime) time = utc (delivered);

      g_ptr_array_add (events, waybill_tracking_event_new (time, WAYBILL_STATUS_DELIVERED, "DL",
                                                           "Delivered", "Denver, CO, US"));
      waybill_shipment_set_delivered_at (s, time);
    }
  if (estimate != NULL)
    {
      g_autoptr(GDateTime) time = utc (estimate);

      waybill_shipment_set_estimated_delivery (s, NULL, time);
    }
  waybill_shipment_set_events (s, events);

  return s;
}

static gint64
order (WaybillStore    *store,
       const char      *number,
       const char      *customer,
       const char      *created,
       WaybillStatus    stage,
       WaybillShipment *first,
       WaybillShipment *second)
{
  g_autoptr(WaybillOrder) o = waybill_order_new (number, customer);
  g_autoptr(GDateTime) time = utc (created);
  g_autoptr(GError) error = NULL;

  waybill_order_set_created (o, time);
  waybill_order_set_stage (o, stage);
  if (first != NULL)
    waybill_order_add_shipment (o, first);
  if (second != NULL)
    waybill_order_add_shipment (o, second);
  g_clear_object (&first);
  g_clear_object (&second);

  waybill_store_create_order (store, o, &error);
  g_assert_no_error (error);

  return waybill_order_get_id (o);
}

static void
feedback (WaybillStore *store,
          gint64        order_id,
          guint         rating,
          const char   *comment,
          const char   *given,
          WaybillFeedbackSource source)
{
  g_autoptr(GDateTime) time = utc (given);
  g_autoptr(WaybillFeedback) f = waybill_feedback_new (order_id, rating, comment, time, source);
  g_autoptr(GError) error = NULL;

  waybill_store_add_feedback (store, f, NULL, &error);
  g_assert_no_error (error);
}

void
insights_seed (WaybillStore *store)
{
  const WaybillStatus S = WAYBILL_STATUS_SHIPPED;
  gint64 a, b, e, g;

  a = order (store, "2001", "Anna Andersson", "2025-11-03T09:00:00Z", S,
             shipment ("ups", "1Z0000000000000001", WAYBILL_STATUS_DELIVERED, WAYBILL_EXCEPTION_NONE,
                       "2025-11-04T10:00:00Z", "2025-11-06T10:00:00Z", "2025-11-06T18:00:00Z"), NULL);
  b = order (store, "2002", "Ben Brooks", "2025-11-03T10:00:00Z", S,
             shipment ("ups", "1Z0000000000000002", WAYBILL_STATUS_DELIVERED, WAYBILL_EXCEPTION_NONE,
                       "2025-11-04T12:00:00Z", "2025-11-08T12:00:00Z", "2025-11-07T18:00:00Z"), NULL);
  /* Delivered late in the evening of the day it was due by: on time. */
  order (store, "2003", "Chloé Costa", "2025-11-04T08:00:00Z", S,
         shipment ("ups", "1Z0000000000000003", WAYBILL_STATUS_DELIVERED, WAYBILL_EXCEPTION_NONE,
                   "2025-11-05T23:30:00Z", "2025-11-07T23:30:00Z", "2025-11-07T00:00:00Z"), NULL);
  order (store, "2004", "David Dubois", "2025-11-04T09:00:00Z", S,
         shipment ("ups", "1Z0000000000000004", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_CUSTOMS,
                   "2025-11-05T09:00:00Z", NULL, NULL), NULL);
  e = order (store, "2005", "Emma Evans", "2025-11-05T09:00:00Z", S,
             shipment ("fedex", "000000000005", WAYBILL_STATUS_DELIVERED, WAYBILL_EXCEPTION_NONE,
                       "2025-11-06T00:00:00Z", "2025-11-09T00:00:00Z", NULL), NULL);
  order (store, "2006", "Felix Fischer", "2025-11-05T10:00:00Z", S,
         shipment ("fedex", "000000000006", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_ADDRESS,
                   "2025-11-06T09:00:00Z", NULL, NULL),
         shipment ("fedex", "000000000007", WAYBILL_STATUS_IN_TRANSIT, WAYBILL_EXCEPTION_NONE,
                   "2025-11-06T09:00:00Z", NULL, "2025-11-20T18:00:00Z"));
  order (store, "2007", "Grace Hughes", "2025-11-06T10:00:00Z", WAYBILL_STATUS_PROCESSING, NULL, NULL);
  g = order (store, "1990", "Hiro Ito", "2025-10-01T10:00:00Z", S,
             shipment ("dhl-express", "1234567890", WAYBILL_STATUS_DELIVERED, WAYBILL_EXCEPTION_NONE,
                       "2025-10-02T10:00:00Z", "2025-10-03T10:00:00Z", "2025-10-04T18:00:00Z"), NULL);

  feedback (store, a, 5, "Lovely mug, fast delivery", "2025-11-07T12:00:00Z", WAYBILL_FEEDBACK_SOURCE_STAFF);
  feedback (store, b, 2, "Arrived a day late", "2025-11-10T12:00:00Z", WAYBILL_FEEDBACK_SOURCE_SURVEY);
  feedback (store, e, 4, NULL, "2025-11-11T12:00:00Z", WAYBILL_FEEDBACK_SOURCE_SURVEY);
  feedback (store, g, 1, "Box was crushed", "2025-10-05T12:00:00Z", WAYBILL_FEEDBACK_SOURCE_STAFF);
}
