/* waybill-message.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The events a customer can be told about. */
typedef enum
{
  WAYBILL_MESSAGE_EVENT_INVALID = -1,
  WAYBILL_MESSAGE_EVENT_SHIPPED = 0,
  WAYBILL_MESSAGE_EVENT_OUT_FOR_DELIVERY,
  WAYBILL_MESSAGE_EVENT_DELIVERED,
  WAYBILL_MESSAGE_EVENT_DELAYED,
  WAYBILL_MESSAGE_EVENT_EXCEPTION,
  WAYBILL_MESSAGE_EVENT_READY_FOR_PICKUP,
  WAYBILL_N_MESSAGE_EVENTS,
} WaybillMessageEvent;

/* How a customer wants to hear from the shop. */
typedef enum
{
  WAYBILL_CONTACT_UNSET = 0,
  WAYBILL_CONTACT_EMAIL,
  WAYBILL_CONTACT_SMS,
  WAYBILL_CONTACT_NONE,
} WaybillContact;

typedef enum
{
  WAYBILL_MESSAGE_CHANNEL_EMAIL,
  WAYBILL_MESSAGE_CHANNEL_SMS,
  WAYBILL_N_MESSAGE_CHANNELS,
} WaybillMessageChannel;

/* queued -> sending -> sent; a failed attempt goes back to queued (with a
 * later next attempt) or ends in failed.  See waybill-outbox.c. */
typedef enum
{
  WAYBILL_MESSAGE_STATE_QUEUED,
  WAYBILL_MESSAGE_STATE_SENDING,
  WAYBILL_MESSAGE_STATE_SENT,
  WAYBILL_MESSAGE_STATE_FAILED,
} WaybillMessageState;

#define WAYBILL_MESSAGE_ERROR (waybill_message_error_quark ())

typedef enum
{
  /* Worth another try later: no network, a busy server. */
  WAYBILL_MESSAGE_ERROR_TEMPORARY,
  /* The server refused the user name, password or token. */
  WAYBILL_MESSAGE_ERROR_AUTH,
  /* The server refused this message for good (bad address or number). */
  WAYBILL_MESSAGE_ERROR_REJECTED,
  /* Sending is not set up (no server, no sender). */
  WAYBILL_MESSAGE_ERROR_NOT_CONFIGURED,
  /* The daily limit of messages is reached. */
  WAYBILL_MESSAGE_ERROR_LIMIT,
} WaybillMessageError;

/**
 * WaybillMessage:
 * @id: the row id, 0 before it is stored
 * @order_id: the order the message is about
 * @shipment_id: the shipment, or 0 when the message is about the order
 * @event: what it announces
 * @channel: email or SMS
 * @recipient: the email address or phone number
 * @subject: the subject (email only; empty for SMS)
 * @body: the text
 * @automatic: queued by the outbox for a status change (sent at most once
 *   per order, shipment, event and channel) rather than by a person
 * @state: where it is on its way
 * @attempts: how many times sending was tried
 * @next_attempt: when to try next (Unix seconds), 0 for now
 * @last_error: (nullable): why the last attempt failed
 * @provider_id: (nullable): the id the server gave the message
 * @created: when it was queued
 * @sent_at: when it was sent, 0 when not yet
 *
 * One message to a customer, as kept in the store.
 */
typedef struct
{
  gint64                 id;
  gint64                 order_id;
  gint64                 shipment_id;
  WaybillMessageEvent    event;
  WaybillMessageChannel  channel;
  char                  *recipient;
  char                  *subject;
  char                  *body;
  gboolean               automatic;
  WaybillMessageState    state;
  guint                  attempts;
  gint64                 next_attempt;
  char                  *last_error;
  char                  *provider_id;
  gint64                 created;
  gint64                 sent_at;
} WaybillMessage;

#define WAYBILL_TYPE_MESSAGE (waybill_message_get_type ())

GType                 waybill_message_get_type          (void) G_GNUC_CONST;
GQuark                waybill_message_error_quark       (void);

WaybillMessage       *waybill_message_new               (void);
WaybillMessage       *waybill_message_copy              (const WaybillMessage *self);
void                  waybill_message_free              (WaybillMessage       *self);

const char           *waybill_message_event_to_id       (WaybillMessageEvent   event);
WaybillMessageEvent   waybill_message_event_from_id     (const char           *id);
const char           *waybill_message_event_get_label   (WaybillMessageEvent   event);

const char           *waybill_contact_to_id             (WaybillContact        contact);
WaybillContact        waybill_contact_from_id           (const char           *id);
const char           *waybill_contact_get_label         (WaybillContact        contact);

const char           *waybill_message_channel_to_id     (WaybillMessageChannel channel);
gboolean              waybill_message_channel_from_id   (const char           *id,
                                                         WaybillMessageChannel *out_channel);

const char           *waybill_message_state_to_id       (WaybillMessageState   state);
gboolean              waybill_message_state_from_id     (const char           *id,
                                                         WaybillMessageState  *out_state);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WaybillMessage, waybill_message_free)

G_END_DECLS
