/* waybill-shipment.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-shipment"

#include "config.h"

#include <glib/gi18n.h>

#include "waybill-shipment.h"
#include "waybill-util-private.h"

/* A parcel of an order: the carrier that moves it, its tracking number and
 * what the carrier last said about it.  Events are loaded on demand by the
 * store (waybill_store_load_events()). */

struct _WaybillShipment
{
  GObject parent_instance;

  gint64 id;
  gint64 order_id;
  char *carrier;
  char *tracking_number;
  WaybillStatus status;
  char *sub_status;
  WaybillExceptionReason exception_reason;
  GDateTime *estimated_from;
  GDateTime *estimated_to;
  GDateTime *delivered_at;
  char *signed_by;
  GDateTime *last_event_at;
  GDateTime *last_checked;
  GDateTime *next_check;
  guint failure_count;
  char *last_error;
  gboolean delayed;
  GPtrArray *events;
};

G_DEFINE_FINAL_TYPE (WaybillShipment, waybill_shipment, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_ORDER_ID,
  PROP_CARRIER,
  PROP_TRACKING_NUMBER,
  PROP_STATUS,
  PROP_SUB_STATUS,
  PROP_EXCEPTION_REASON,
  PROP_ESTIMATED_FROM,
  PROP_ESTIMATED_TO,
  PROP_DELIVERED_AT,
  PROP_SIGNED_BY,
  PROP_LAST_EVENT_AT,
  PROP_LAST_CHECKED,
  PROP_NEXT_CHECK,
  PROP_FAILURE_COUNT,
  PROP_LAST_ERROR,
  PROP_DELAYED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
waybill_shipment_finalize (GObject *object)
{
  WaybillShipment *self = (WaybillShipment *)object;

  g_clear_pointer (&self->carrier, g_free);
  g_clear_pointer (&self->tracking_number, g_free);
  g_clear_pointer (&self->sub_status, g_free);
  g_clear_pointer (&self->estimated_from, g_date_time_unref);
  g_clear_pointer (&self->estimated_to, g_date_time_unref);
  g_clear_pointer (&self->delivered_at, g_date_time_unref);
  g_clear_pointer (&self->signed_by, g_free);
  g_clear_pointer (&self->last_event_at, g_date_time_unref);
  g_clear_pointer (&self->last_checked, g_date_time_unref);
  g_clear_pointer (&self->next_check, g_date_time_unref);
  g_clear_pointer (&self->last_error, g_free);
  g_clear_pointer (&self->events, g_ptr_array_unref);

  G_OBJECT_CLASS (waybill_shipment_parent_class)->finalize (object);
}

static void
waybill_shipment_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  WaybillShipment *self = WAYBILL_SHIPMENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_ORDER_ID:
      g_value_set_int64 (value, self->order_id);
      break;
    case PROP_CARRIER:
      g_value_set_string (value, self->carrier);
      break;
    case PROP_TRACKING_NUMBER:
      g_value_set_string (value, self->tracking_number);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_SUB_STATUS:
      g_value_set_string (value, self->sub_status);
      break;
    case PROP_EXCEPTION_REASON:
      g_value_set_uint (value, self->exception_reason);
      break;
    case PROP_ESTIMATED_FROM:
      g_value_set_boxed (value, self->estimated_from);
      break;
    case PROP_ESTIMATED_TO:
      g_value_set_boxed (value, self->estimated_to);
      break;
    case PROP_DELIVERED_AT:
      g_value_set_boxed (value, self->delivered_at);
      break;
    case PROP_SIGNED_BY:
      g_value_set_string (value, self->signed_by);
      break;
    case PROP_LAST_EVENT_AT:
      g_value_set_boxed (value, self->last_event_at);
      break;
    case PROP_LAST_CHECKED:
      g_value_set_boxed (value, self->last_checked);
      break;
    case PROP_NEXT_CHECK:
      g_value_set_boxed (value, self->next_check);
      break;
    case PROP_FAILURE_COUNT:
      g_value_set_uint (value, self->failure_count);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    case PROP_DELAYED:
      g_value_set_boolean (value, self->delayed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
waybill_shipment_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  WaybillShipment *self = WAYBILL_SHIPMENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      waybill_shipment_set_id (self, g_value_get_int64 (value));
      break;
    case PROP_ORDER_ID:
      waybill_shipment_set_order_id (self, g_value_get_int64 (value));
      break;
    case PROP_CARRIER:
      waybill_shipment_set_carrier (self, g_value_get_string (value));
      break;
    case PROP_TRACKING_NUMBER:
      waybill_shipment_set_tracking_number (self, g_value_get_string (value));
      break;
    case PROP_STATUS:
      waybill_shipment_set_status (self, g_value_get_enum (value));
      break;
    case PROP_SUB_STATUS:
      waybill_shipment_set_sub_status (self, g_value_get_string (value));
      break;
    case PROP_EXCEPTION_REASON:
      waybill_shipment_set_exception_reason (self, g_value_get_uint (value));
      break;
    case PROP_ESTIMATED_FROM:
      waybill_shipment_set_estimated_from (self, g_value_get_boxed (value));
      break;
    case PROP_ESTIMATED_TO:
      waybill_shipment_set_estimated_to (self, g_value_get_boxed (value));
      break;
    case PROP_DELIVERED_AT:
      waybill_shipment_set_delivered_at (self, g_value_get_boxed (value));
      break;
    case PROP_SIGNED_BY:
      waybill_shipment_set_signed_by (self, g_value_get_string (value));
      break;
    case PROP_LAST_EVENT_AT:
      waybill_shipment_set_last_event_at (self, g_value_get_boxed (value));
      break;
    case PROP_LAST_CHECKED:
      waybill_shipment_set_last_checked (self, g_value_get_boxed (value));
      break;
    case PROP_NEXT_CHECK:
      waybill_shipment_set_next_check (self, g_value_get_boxed (value));
      break;
    case PROP_FAILURE_COUNT:
      waybill_shipment_set_failure_count (self, g_value_get_uint (value));
      break;
    case PROP_LAST_ERROR:
      waybill_shipment_set_last_error (self, g_value_get_string (value));
      break;
    case PROP_DELAYED:
      waybill_shipment_set_delayed (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
waybill_shipment_class_init (WaybillShipmentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = waybill_shipment_finalize;
  object_class->get_property = waybill_shipment_get_property;
  object_class->set_property = waybill_shipment_set_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ORDER_ID] =
    g_param_spec_int64 ("order-id", NULL, NULL, 0, G_MAXINT64, 0,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CARRIER] =
    g_param_spec_string ("carrier", NULL, NULL, NULL,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_TRACKING_NUMBER] =
    g_param_spec_string ("tracking-number", NULL, NULL, NULL,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, WAYBILL_TYPE_STATUS, WAYBILL_STATUS_PENDING,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SUB_STATUS] =
    g_param_spec_string ("sub-status", NULL, NULL, NULL,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_EXCEPTION_REASON] =
    g_param_spec_uint ("exception-reason", NULL, NULL, 0, G_MAXUINT, 0,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ESTIMATED_FROM] =
    g_param_spec_boxed ("estimated-from", NULL, NULL, G_TYPE_DATE_TIME,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ESTIMATED_TO] =
    g_param_spec_boxed ("estimated-to", NULL, NULL, G_TYPE_DATE_TIME,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DELIVERED_AT] =
    g_param_spec_boxed ("delivered-at", NULL, NULL, G_TYPE_DATE_TIME,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SIGNED_BY] =
    g_param_spec_string ("signed-by", NULL, NULL, NULL,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LAST_EVENT_AT] =
    g_param_spec_boxed ("last-event-at", NULL, NULL, G_TYPE_DATE_TIME,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LAST_CHECKED] =
    g_param_spec_boxed ("last-checked", NULL, NULL, G_TYPE_DATE_TIME,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_NEXT_CHECK] =
    g_param_spec_boxed ("next-check", NULL, NULL, G_TYPE_DATE_TIME,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_FAILURE_COUNT] =
    g_param_spec_uint ("failure-count", NULL, NULL, 0, G_MAXUINT, 0,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DELAYED] =
    g_param_spec_boolean ("delayed", NULL, NULL, FALSE,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
waybill_shipment_init (WaybillShipment *self)
{
  self->status = WAYBILL_STATUS_PENDING;
  self->events = g_ptr_array_new_with_free_func (g_object_unref);
}

gint64
waybill_shipment_get_id (WaybillShipment *self)
{
  g_return_val_if_fail (WAYBILL_IS_SHIPMENT (self), 0);

  return self->id;
}

void
waybill_shipment_set_id (WaybillShipment *self,
                         gint64 id)
{
  g_return_if_fail (WAYBILL_IS_SHIPMENT (self));

  if (self->id != id)
    {
      self->id = id;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
    }
}

gint64
waybill_shipment_get_order_id (WaybillShipment *self)
{
  g_return_val_if_fail (WAYBILL_IS_SHIPMENT (self), 0);

  return self->order_id;
}

void
waybill_shipment_set_order_id (WaybillShipment *self,
                               gint64 order_id)
{
  g_return_if_fail (WAYBILL_IS_SHIPMENT (self));

  if (self->order_id != order_id)
    {
      self->order_id = order_id;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORDER_ID]);
    }
}

const char *
waybill_shipment_get_carrier (WaybillShipment *self)
{
  g_return_val_if_fail (WAYBILL_IS_SHIPMENT (self), NULL);

  return self->carrier;
}

void
waybill_shipment_set_carrier (WaybillShipment *self,
                              const char *carrier)
{
  g_return_if_fail (WAYBILL_IS_SHIPMENT (self));

  if (waybill_set_str (&self->carrier, carrier))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CARRIER]);
}

const char *
waybill_shipment_get_tracking_number (WaybillShipment *self)
{
  g_return_val_if_fail (WAYBILL_IS_SHIPMENT (self), NULL);

  return self->tracking_number;
}

void
waybill_shipment_set_tracking_number (WaybillShipment *self,
                                      const char *tracking_number)
{
  g_return_if_fail (WAYBILL_IS_SHIPMENT (self));

  if (waybill_set_str (&self->tracking_number, tracking_number))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRACKING_NUMBER]);
}

WaybillStatus
waybill_shipment_get_status (WaybillShipment *self)
{
  g_return_val_if_fail (WAYBILL_IS_SHIPMENT (self), WAYBILL_STATUS_INVALID);

  return self->status;
}

void
waybill_shipment_set_status (WaybillShipment *self,
                             WaybillStatus status)
{
  g_return_if_fail (WAYBILL_IS_SHIPMENT (self));

  if (self->status != status)
    {
      self->status = status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
    }
}

const char *
waybill_shipment_get_sub_status (WaybillShipment *self)
{
  g_return_val_if_fail (WAYBILL_IS_SHIPMENT (self), NULL);

  return self->sub_status;
}

void
waybill_shipment_set_sub_status (WaybillShipment *self,
                                 const char *sub_status)
{
  g_return_if_fail (WAYBILL_IS_SHIPMENT (self));

  if (waybill_set_str (&self->sub_status, sub_status))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUB_STATUS]);
}

WaybillExceptionReason
waybill_shipment_get_exception_reason (WaybillShipment *self)
{
  g_return_val_if_fail (WAYBILL_IS_SHIPMENT (self), WAYBILL_EXCEPTION_NONE);

  return self->exception_reason;
}

void
waybill_shipment_set_exception_reason (WaybillShipment *self,
                                       WaybillExceptionReason exception_reason)
{
  g_return_if_fail (WAYBILL_IS_SHIPMENT (self));

  if (self->exception_reason != exception_reason)
    {
      self->exception_reason = exception_reason;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXCEPTION_REASON]);
    }
}

GDateTime *
waybill_shipment_get_estimated_from (WaybillShipment *self)
{
  g_return_val_if_fail (WAYBILL_IS_SHIPMENT (self), NULL);

  return self->estimated_from;
}

void
waybill_shipment_set_estimated_from (WaybillShipment *self,
                                     GDateTime *estimated_from)
{
  g_return_if_fail (WAYBILL_IS_SHIPMENT (self));

  if (waybill_set_date_time (&self->estimated_from, estimated_from))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ESTIMATED_FROM]);
}

GDateTime *
waybill_shipment_get_estimated_to (WaybillShipment *self)
{
  g_return_val_if_fail (WAYBILL_IS_SHIPMENT (self), NULL);

  return self->estimated_to;
}

void
waybill_shipment_set_estimated_to (WaybillShipment *self,
                                   GDateTime *estimated_to)
{
  g_return_if_fail (WAYBILL_IS_SHIPMENT (self));

  if (waybill_set_date_time (&self->estimated_to, estimated_to))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ESTIMATED_TO]);
}

GDateTime *
waybill_shipment_get_delivered_at (WaybillShipment *self)
{
  g_return_val_if_fail (WAYBILL_IS_SHIPMENT (self), NULL);

  return self->delivered_at;
}

void
waybill_shipment_set_delivered_at (WaybillShipment *self,
                                   GDateTime *delivered_at)
{
  g_return_if_fail (WAYBILL_IS_SHIPMENT (self));

  if (waybill_set_date_time (&self->delivered_at, delivered_at))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DELIVERED_AT]);
}

const char *
waybill_shipment_get_signed_by (WaybillShipment *self)
{
  g_return_val_if_fail (WAYBILL_IS_SHIPMENT (self), NULL);

  return self->signed_by;
}

void
waybill_shipment_set_signed_by (WaybillShipment *self,
                                const char *signed_by)
{
  g_return_if_fail (WAYBILL_IS_SHIPMENT (self));

  if (waybill_set_str (&self->signed_by, signed_by))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNED_BY]);
}

GDateTime *
waybill_shipment_get_last_event_at (WaybillShipment *self)
{
  g_return_val_if_fail (WAYBILL_IS_SHIPMENT (self), NULL);

  return self->last_event_at;
}

void
waybill_shipment_set_last_event_at (WaybillShipment *self,
                                    GDateTime *last_event_at)
{
  g_return_if_fail (WAYBILL_IS_SHIPMENT (self));

  if (waybill_set_date_time (&self->last_event_at, last_event_at))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_EVENT_AT]);
}

GDateTime *
waybill_shipment_get_last_checked (WaybillShipment *self)
{
  g_return_val_if_fail (WAYBILL_IS_SHIPMENT (self), NULL);

  return self->last_checked;
}

void
waybill_shipment_set_last_checked (WaybillShipment *self,
                                   GDateTime *last_checked)
{
  g_return_if_fail (WAYBILL_IS_SHIPMENT (self));

  if (waybill_set_date_time (&self->last_checked, last_checked))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_CHECKED]);
}

GDateTime *
waybill_shipment_get_next_check (WaybillShipment *self)
{
  g_return_val_if_fail (WAYBILL_IS_SHIPMENT (self), NULL);

  return self->next_check;
}

void
waybill_shipment_set_next_check (WaybillShipment *self,
                                 GDateTime *next_check)
{
  g_return_if_fail (WAYBILL_IS_SHIPMENT (self));

  if (waybill_set_date_time (&self->next_check, next_check))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_CHECK]);
}

guint
waybill_shipment_get_failure_count (WaybillShipment *self)
{
  g_return_val_if_fail (WAYBILL_IS_SHIPMENT (self), 0);

  return self->failure_count;
}

void
waybill_shipment_set_failure_count (WaybillShipment *self,
                                    guint failure_count)
{
  g_return_if_fail (WAYBILL_IS_SHIPMENT (self));

  if (self->failure_count != failure_count)
    {
      self->failure_count = failure_count;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILURE_COUNT]);
    }
}

const char *
waybill_shipment_get_last_error (WaybillShipment *self)
{
  g_return_val_if_fail (WAYBILL_IS_SHIPMENT (self), NULL);

  return self->last_error;
}

void
waybill_shipment_set_last_error (WaybillShipment *self,
                                 const char *last_error)
{
  g_return_if_fail (WAYBILL_IS_SHIPMENT (self));

  if (waybill_set_str (&self->last_error, last_error))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

gboolean
waybill_shipment_get_delayed (WaybillShipment *self)
{
  g_return_val_if_fail (WAYBILL_IS_SHIPMENT (self), FALSE);

  return self->delayed;
}

void
waybill_shipment_set_delayed (WaybillShipment *self,
                              gboolean delayed)
{
  g_return_if_fail (WAYBILL_IS_SHIPMENT (self));

  if (self->delayed != !!delayed)
    {
      self->delayed = !!delayed;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DELAYED]);
    }
}

WaybillShipment *
waybill_shipment_new (const char *carrier,
                      const char *tracking_number)
{
  return g_object_new (WAYBILL_TYPE_SHIPMENT,
                       "carrier", carrier,
                       "tracking-number", tracking_number,
                       NULL);
}

void
waybill_shipment_set_estimated_delivery (WaybillShipment *self,
                                         GDateTime       *from,
                                         GDateTime       *to)
{
  g_return_if_fail (WAYBILL_IS_SHIPMENT (self));

  waybill_shipment_set_estimated_from (self, from);
  waybill_shipment_set_estimated_to (self, to);
}

/**
 * waybill_shipment_get_events:
 *
 * Returns: (transfer none) (element-type WaybillTrackingEvent): the events
 *   loaded for this shipment, newest first
 */
GPtrArray *
waybill_shipment_get_events (WaybillShipment *self)
{
  g_return_val_if_fail (WAYBILL_IS_SHIPMENT (self), NULL);

  return self->events;
}

/**
 * waybill_shipment_set_events:
 * @events: (transfer none) (element-type WaybillTrackingEvent): the events
 */
void
waybill_shipment_set_events (WaybillShipment *self,
                             GPtrArray       *events)
{
  g_return_if_fail (WAYBILL_IS_SHIPMENT (self));
  g_return_if_fail (events != NULL);

  g_ptr_array_set_size (self->events, 0);
  for (guint i = 0; i < events->len; i++)
    g_ptr_array_add (self->events, g_object_ref (g_ptr_array_index (events, i)));
}
