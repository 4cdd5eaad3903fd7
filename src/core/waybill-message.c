/* waybill-message.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-message"

#include "config.h"

#include <glib/gi18n.h>

#include "waybill-message.h"

G_DEFINE_BOXED_TYPE (WaybillMessage, waybill_message, waybill_message_copy, waybill_message_free)

G_DEFINE_QUARK (waybill-message-error-quark, waybill_message_error)

static const char * const event_ids[] = {
  "shipped",
  "out_for_delivery",
  "delivered",
  "delayed",
  "exception",
  "ready_for_pickup",
};

G_STATIC_ASSERT (G_N_ELEMENTS (event_ids) == WAYBILL_N_MESSAGE_EVENTS);

static const char * const contact_ids[] = { "", "email", "sms", "none" };
static const char * const channel_ids[] = { "email", "sms" };
static const char * const state_ids[] = { "queued", "sending", "sent", "failed" };

WaybillMessage *
waybill_message_new (void)
{
  WaybillMessage *self = g_new0 (WaybillMessage, 1);

  self->event = WAYBILL_MESSAGE_EVENT_SHIPPED;

  return self;
}

WaybillMessage *
waybill_message_copy (const WaybillMessage *self)
{
  WaybillMessage *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->recipient = g_strdup (self->recipient);
  copy->subject = g_strdup (self->subject);
  copy->body = g_strdup (self->body);
  copy->last_error = g_strdup (self->last_error);
  copy->provider_id = g_strdup (self->provider_id);

  return copy;
}

void
waybill_message_free (WaybillMessage *self)
{
  if (self == NULL)
    return;

  g_free (self->recipient);
  g_free (self->subject);
  g_free (self->body);
  g_free (self->last_error);
  g_free (self->provider_id);
  g_free (self);
}

const char *
waybill_message_event_to_id (WaybillMessageEvent event)
{
  g_return_val_if_fail (event >= 0 && event < WAYBILL_N_MESSAGE_EVENTS, NULL);

  return event_ids[event];
}

WaybillMessageEvent
waybill_message_event_from_id (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (event_ids); i++)
    if (g_strcmp0 (id, event_ids[i]) == 0)
      return (WaybillMessageEvent) i;

  return WAYBILL_MESSAGE_EVENT_INVALID;
}

/**
 * waybill_message_event_get_label:
 *
 * Returns: the event's name for people ("Out for delivery")
 */
const char *
waybill_message_event_get_label (WaybillMessageEvent event)
{
  switch (event)
    {
    case WAYBILL_MESSAGE_EVENT_SHIPPED:
      return _("Shipped");
    case WAYBILL_MESSAGE_EVENT_OUT_FOR_DELIVERY:
      return _("Out for delivery");
    case WAYBILL_MESSAGE_EVENT_DELIVERED:
      return _("Delivered");
    case WAYBILL_MESSAGE_EVENT_DELAYED:
      return _("Delayed");
    case WAYBILL_MESSAGE_EVENT_EXCEPTION:
      return _("Problem with the parcel");
    case WAYBILL_MESSAGE_EVENT_READY_FOR_PICKUP:
      return _("Ready for pickup");
    case WAYBILL_MESSAGE_EVENT_INVALID:
    case WAYBILL_N_MESSAGE_EVENTS:
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
waybill_contact_to_id (WaybillContact contact)
{
  g_return_val_if_fail (contact <= WAYBILL_CONTACT_NONE, NULL);

  return contact_ids[contact];
}

/* Unknown and empty ids are WAYBILL_CONTACT_UNSET. */
WaybillContact
waybill_contact_from_id (const char *id)
{
  for (guint i = 1; i < G_N_ELEMENTS (contact_ids); i++)
    if (g_strcmp0 (id, contact_ids[i]) == 0)
      return (WaybillContact) i;

  return WAYBILL_CONTACT_UNSET;
}

const char *
waybill_contact_get_label (WaybillContact contact)
{
  switch (contact)
    {
    case WAYBILL_CONTACT_EMAIL:
      return _("Email");
    case WAYBILL_CONTACT_SMS:
      return _("SMS");
    case WAYBILL_CONTACT_NONE:
      return _("No messages");
    case WAYBILL_CONTACT_UNSET:
    default:
      return _("Not chosen");
    }
}

const char *
waybill_message_channel_to_id (WaybillMessageChannel channel)
{
  g_return_val_if_fail (channel < WAYBILL_N_MESSAGE_CHANNELS, NULL);

  return channel_ids[channel];
}

gboolean
waybill_message_channel_from_id (const char            *id,
                                 WaybillMessageChannel *out_channel)
{
  for (guint i = 0; i < G_N_ELEMENTS (channel_ids); i++)
    if (g_strcmp0 (id, channel_ids[i]) == 0)
      {
        *out_channel = (WaybillMessageChannel) i;
        return TRUE;
      }

  return FALSE;
}

const char *
waybill_message_state_to_id (WaybillMessageState state)
{
  g_return_val_if_fail (state <= WAYBILL_MESSAGE_STATE_FAILED, NULL);

  return state_ids[state];
}

gboolean
waybill_message_state_from_id (const char          *id,
                               WaybillMessageState *out_state)
{
  for (guint i = 0; i < G_N_ELEMENTS (state_ids); i++)
    if (g_strcmp0 (id, state_ids[i]) == 0)
      {
        *out_state = (WaybillMessageState) i;
        return TRUE;
      }

  return FALSE;
}
