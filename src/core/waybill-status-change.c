/* waybill-status-change.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-status-change"

#include "config.h"

#include "waybill-status-change.h"

G_DEFINE_BOXED_TYPE (WaybillStatusChange, waybill_status_change,
                     waybill_status_change_copy, waybill_status_change_free)

/**
 * waybill_status_change_new:
 *
 * Returns: (transfer full): an empty change; @from and @to are
 *   %WAYBILL_STATUS_INVALID until set
 */
WaybillStatusChange *
waybill_status_change_new (void)
{
  WaybillStatusChange *self = g_new0 (WaybillStatusChange, 1);

  self->from = WAYBILL_STATUS_INVALID;
  self->to = WAYBILL_STATUS_INVALID;

  return self;
}

/* The newest event that says where the parcel was. */
static const char *
latest_location (WaybillShipment *shipment)
{
  GPtrArray *events = waybill_shipment_get_events (shipment);
  WaybillTrackingEvent *latest = NULL;

  if (events == NULL)
    return NULL;

  for (guint i = 0; i < events->len; i++)
    {
      WaybillTrackingEvent *event = g_ptr_array_index (events, i);
      const char *location = waybill_tracking_event_get_location (event);

      if (location == NULL || *location == '\0')
        continue;

      if (latest == NULL ||
          g_date_time_compare (waybill_tracking_event_get_time (event),
                               waybill_tracking_event_get_time (latest)) > 0)
        latest = event;
    }

  return latest != NULL ? waybill_tracking_event_get_location (latest) : NULL;
}

/**
 * waybill_status_change_new_for_shipment:
 * @order: the order of @shipment
 * @shipment: the shipment, already holding its new status
 * @from: the status it had before
 *
 * Fills a change from the shipment as it is now: its status becomes @to,
 * the end of its estimated delivery window the estimated delivery, and the
 * location of its newest event (if its events are loaded) the location.
 * @first_fetch and @delayed are left %FALSE for the caller to set.
 *
 * Returns: (transfer full): the change
 */
WaybillStatusChange *
waybill_status_change_new_for_shipment (WaybillOrder    *order,
                                        WaybillShipment *shipment,
                                        WaybillStatus    from)
{
  WaybillStatusChange *self;
  GDateTime *eta;

  g_return_val_if_fail (WAYBILL_IS_ORDER (order), NULL);
  g_return_val_if_fail (WAYBILL_IS_SHIPMENT (shipment), NULL);

  self = waybill_status_change_new ();
  self->order_id = waybill_order_get_id (order);
  self->order_number = g_strdup (waybill_order_get_order_number (order));
  self->shipment_id = waybill_shipment_get_id (shipment);
  self->carrier = g_strdup (waybill_shipment_get_carrier (shipment));
  self->tracking_number = g_strdup (waybill_shipment_get_tracking_number (shipment));
  self->from = from;
  self->to = waybill_shipment_get_status (shipment);
  self->exception_reason = waybill_shipment_get_exception_reason (shipment);
  self->location = g_strdup (latest_location (shipment));

  eta = waybill_shipment_get_estimated_to (shipment);
  if (eta == NULL)
    eta = waybill_shipment_get_estimated_from (shipment);
  if (eta != NULL)
    self->estimated_delivery = g_date_time_ref (eta);

  return self;
}

WaybillStatusChange *
waybill_status_change_copy (const WaybillStatusChange *self)
{
  WaybillStatusChange *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->order_number = g_strdup (self->order_number);
  copy->carrier = g_strdup (self->carrier);
  copy->tracking_number = g_strdup (self->tracking_number);
  copy->location = g_strdup (self->location);
  if (self->estimated_delivery != NULL)
    copy->estimated_delivery = g_date_time_ref (self->estimated_delivery);

  return copy;
}

void
waybill_status_change_free (WaybillStatusChange *self)
{
  if (self == NULL)
    return;

  g_free (self->order_number);
  g_free (self->carrier);
  g_free (self->tracking_number);
  g_free (self->location);
  g_clear_pointer (&self->estimated_delivery, g_date_time_unref);
  g_free (self);
}

/**
 * waybill_status_change_is_delay_only:
 *
 * Returns: %TRUE when the only news is that the shipment is now late
 */
gboolean
waybill_status_change_is_delay_only (const WaybillStatusChange *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->delayed && self->from == self->to;
}
