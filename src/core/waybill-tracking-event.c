/* waybill-tracking-event.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-tracking-event"

#include "config.h"

#include <glib/gi18n.h>

#include "waybill-tracking-event.h"
#include "waybill-util-private.h"

/* One scan or note on a shipment's timeline.  Events are immutable once
 * made: the store deduplicates them on (time, code, description). */
struct _WaybillTrackingEvent
{
  GObject        parent_instance;

  gint64         id;
  GDateTime     *time;
  WaybillStatus  status;
  char          *code;
  char          *description;
  char          *location;
  /* TRUE when the carrier gave a local time without a UTC offset. */
  guint          time_is_local : 1;
};

G_DEFINE_FINAL_TYPE (WaybillTrackingEvent, waybill_tracking_event, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_TIME,
  PROP_STATUS,
  PROP_CODE,
  PROP_DESCRIPTION,
  PROP_LOCATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
waybill_tracking_event_finalize (GObject *object)
{
  WaybillTrackingEvent *self = (WaybillTrackingEvent *)object;

  g_clear_pointer (&self->time, g_date_time_unref);
  g_clear_pointer (&self->code, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->location, g_free);

  G_OBJECT_CLASS (waybill_tracking_event_parent_class)->finalize (object);
}

static void
waybill_tracking_event_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  WaybillTrackingEvent *self = WAYBILL_TRACKING_EVENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_TIME:
      g_value_set_boxed (value, self->time);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_CODE:
      g_value_set_string (value, self->code);
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;
    case PROP_LOCATION:
      g_value_set_string (value, self->location);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
waybill_tracking_event_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  WaybillTrackingEvent *self = WAYBILL_TRACKING_EVENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_get_int64 (value);
      break;
    case PROP_TIME:
      g_clear_pointer (&self->time, g_date_time_unref);
      self->time = g_value_dup_boxed (value);
      break;
    case PROP_STATUS:
      self->status = g_value_get_enum (value);
      break;
    case PROP_CODE:
      waybill_set_str (&self->code, g_value_get_string (value));
      break;
    case PROP_DESCRIPTION:
      waybill_set_str (&self->description, g_value_get_string (value));
      break;
    case PROP_LOCATION:
      waybill_set_str (&self->location, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
waybill_tracking_event_class_init (WaybillTrackingEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = waybill_tracking_event_finalize;
  object_class->get_property = waybill_tracking_event_get_property;
  object_class->set_property = waybill_tracking_event_set_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_TIME] =
    g_param_spec_boxed ("time", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, WAYBILL_TYPE_STATUS, WAYBILL_STATUS_IN_TRANSIT,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CODE] =
    g_param_spec_string ("code", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOCATION] =
    g_param_spec_string ("location", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
waybill_tracking_event_init (WaybillTrackingEvent *self)
{
  self->status = WAYBILL_STATUS_IN_TRANSIT;
}

WaybillTrackingEvent *
waybill_tracking_event_new (GDateTime     *time,
                            WaybillStatus  status,
                            const char    *code,
                            const char    *description,
                            const char    *location)
{
  g_return_val_if_fail (time != NULL, NULL);

  return g_object_new (WAYBILL_TYPE_TRACKING_EVENT,
                       "time", time,
                       "status", status,
                       "code", code,
                       "description", description,
                       "location", location,
                       NULL);
}

gint64
waybill_tracking_event_get_id (WaybillTrackingEvent *self)
{
  g_return_val_if_fail (WAYBILL_IS_TRACKING_EVENT (self), 0);
  return self->id;
}

void
waybill_tracking_event_set_id (WaybillTrackingEvent *self,
                               gint64                id)
{
  g_return_if_fail (WAYBILL_IS_TRACKING_EVENT (self));

  if (self->id != id)
    {
      self->id = id;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
    }
}

GDateTime *
waybill_tracking_event_get_time (WaybillTrackingEvent *self)
{
  g_return_val_if_fail (WAYBILL_IS_TRACKING_EVENT (self), NULL);
  return self->time;
}

gboolean
waybill_tracking_event_get_time_is_local (WaybillTrackingEvent *self)
{
  g_return_val_if_fail (WAYBILL_IS_TRACKING_EVENT (self), FALSE);
  return self->time_is_local;
}

void
waybill_tracking_event_set_time_is_local (WaybillTrackingEvent *self,
                                          gboolean              is_local)
{
  g_return_if_fail (WAYBILL_IS_TRACKING_EVENT (self));
  self->time_is_local = !!is_local;
}

WaybillStatus
waybill_tracking_event_get_status (WaybillTrackingEvent *self)
{
  g_return_val_if_fail (WAYBILL_IS_TRACKING_EVENT (self), WAYBILL_STATUS_INVALID);
  return self->status;
}

const char *
waybill_tracking_event_get_code (WaybillTrackingEvent *self)
{
  g_return_val_if_fail (WAYBILL_IS_TRACKING_EVENT (self), NULL);
  return self->code;
}

const char *
waybill_tracking_event_get_description (WaybillTrackingEvent *self)
{
  g_return_val_if_fail (WAYBILL_IS_TRACKING_EVENT (self), NULL);
  return self->description;
}

const char *
waybill_tracking_event_get_location (WaybillTrackingEvent *self)
{
  g_return_val_if_fail (WAYBILL_IS_TRACKING_EVENT (self), NULL);
  return self->location;
}
