/* waybill-tracking-result.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-tracking-result"

#include "config.h"

#include "waybill-tracking-result.h"

G_DEFINE_BOXED_TYPE (WaybillTrackingResult, waybill_tracking_result,
                     waybill_tracking_result_copy, waybill_tracking_result_free)

WaybillTrackingResult *
waybill_tracking_result_new (WaybillStatus status)
{
  WaybillTrackingResult *self = g_new0 (WaybillTrackingResult, 1);

  self->status = status;
  self->events = g_ptr_array_new_with_free_func (g_object_unref);

  return self;
}

WaybillTrackingResult *
waybill_tracking_result_copy (const WaybillTrackingResult *self)
{
  WaybillTrackingResult *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = waybill_tracking_result_new (self->status);
  copy->exception_reason = self->exception_reason;
  copy->sub_status = g_strdup (self->sub_status);
  copy->estimated_from = self->estimated_from ? g_date_time_ref (self->estimated_from) : NULL;
  copy->estimated_to = self->estimated_to ? g_date_time_ref (self->estimated_to) : NULL;
  copy->delivered_at = self->delivered_at ? g_date_time_ref (self->delivered_at) : NULL;
  copy->signed_by = g_strdup (self->signed_by);
  for (guint i = 0; i < self->events->len; i++)
    g_ptr_array_add (copy->events, g_object_ref (g_ptr_array_index (self->events, i)));

  return copy;
}

void
waybill_tracking_result_free (WaybillTrackingResult *self)
{
  if (self == NULL)
    return;

  g_free (self->sub_status);
  g_clear_pointer (&self->estimated_from, g_date_time_unref);
  g_clear_pointer (&self->estimated_to, g_date_time_unref);
  g_clear_pointer (&self->delivered_at, g_date_time_unref);
  g_free (self->signed_by);
  g_ptr_array_unref (self->events);
  g_free (self);
}

void
waybill_tracking_result_add_event (WaybillTrackingResult *self,
                                   WaybillTrackingEvent  *event)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (WAYBILL_IS_TRACKING_EVENT (event));

  g_ptr_array_add (self->events, g_object_ref (event));
}
