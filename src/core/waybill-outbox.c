/* waybill-outbox.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-outbox"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "carriers/waybill-credentials.h"
#include "waybill-message-template.h"
#include "waybill-outbox.h"
#include "waybill-util-private.h"

/* The outbox turns status changes into messages to customers and sends
 * them, by email (SMTP) or SMS (Twilio).
 *
 * Never twice.  An automatic message is unique per order, shipment, event
 * and channel in the store, so a change seen again (another pass, another
 * process, a restart) queues nothing.  Before a message goes out it is
 * claimed: its state becomes "sending" in a committed transaction, and
 * only the process whose UPDATE changed the row sends it.  Then it is sent,
 * then marked "sent".  A crash between the claim and the mark leaves a
 * message in "sending" that may or may not have reached the customer.
 * Waybill cannot know which, and chooses at most once: such a message is
 * marked failed ("may not have been sent") after WAYBILL_OUTBOX_STALE_S,
 * shown on the order, and never sent again by itself; the user may send it
 * by hand.  The window between the server accepting the message and the
 * mark is a few milliseconds; a duplicate would be worse than a message
 * the user is told about.
 *
 * Failures.  A temporary failure (no network, a busy server, 4xx) is tried
 * again after 1, 5, 25… minutes, WAYBILL_OUTBOX_MAX_ATTEMPTS times in all,
 * then the message fails.  A refused message (bad address, 5xx) fails at
 * once.  Refused credentials or a channel that is not set up pause that
 * channel (for WAYBILL_OUTBOX_AUTH_PAUSE_S, or until the settings or the
 * secrets change) without using up the message's attempts: one attempt,
 * one clear error on the order, no loop.
 *
 * Floods.  At most message-daily-limit messages go out in 24 hours; the
 * rest wait. */

#define MIN_WAKE_S 30
#define LIMIT_PAUSE_S 900
#define PASS_SIZE 50

struct _WaybillOutbox
{
  GObject            parent_instance;

  WaybillStore      *store;
  GSettings         *settings;
  WaybillClock      *clock;
  WaybillMailSender *mail;
  WaybillSmsSender  *sms;
  char              *smtp_password;
  char              *twilio_sid;
  char              *twilio_token;

  gint64             paused_until[WAYBILL_N_MESSAGE_CHANNELS];
  gint64             limit_until;

  gboolean           started;
  guint              wake_id;
  gboolean           processing;
  gboolean           again;
  GCancellable      *cancellable;
};

G_DEFINE_FINAL_TYPE (WaybillOutbox, waybill_outbox, G_TYPE_OBJECT)

static void
waybill_outbox_dispose (GObject *object)
{
  WaybillOutbox *self = (WaybillOutbox *)object;

  waybill_outbox_stop (self);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->clock);
  g_clear_object (&self->mail);
  g_clear_object (&self->sms);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (waybill_outbox_parent_class)->dispose (object);
}

static void
waybill_outbox_finalize (GObject *object)
{
  WaybillOutbox *self = (WaybillOutbox *)object;

  waybill_wipe_free (self->smtp_password);
  waybill_wipe_free (self->twilio_sid);
  waybill_wipe_free (self->twilio_token);

  G_OBJECT_CLASS (waybill_outbox_parent_class)->finalize (object);
}

static void
waybill_outbox_class_init (WaybillOutboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = waybill_outbox_dispose;
  object_class->finalize = waybill_outbox_finalize;
}

static void
waybill_outbox_init (WaybillOutbox *self)
{
  self->clock = waybill_clock_new ();
  self->mail = waybill_mail_sender_new ();
  self->sms = waybill_sms_sender_new (NULL);
  self->cancellable = g_cancellable_new ();
}

static gint64
now_s (WaybillOutbox *self)
{
  return waybill_clock_get_now_usec (self->clock) / G_USEC_PER_SEC;
}

static char *
get_string (WaybillOutbox *self,
            const char    *key)
{
  return self->settings != NULL ? g_settings_get_string (self->settings, key) : g_strdup ("");
}

/* The senders as the settings and secrets say. */
static void
apply_settings (WaybillOutbox *self)
{
  g_autofree char *host = get_string (self, "smtp-host");
  g_autofree char *username = get_string (self, "smtp-username");
  g_autofree char *from = get_string (self, "smtp-from");
  g_autofree char *shop = get_string (self, "shop-name");
  g_autofree char *sms_from = get_string (self, "sms-from");
  int port = self->settings != NULL ? g_settings_get_int (self->settings, "smtp-port") : 0;
  WaybillSmtpSecurity security = self->settings != NULL
                                 ? (WaybillSmtpSecurity) g_settings_get_enum (self->settings, "smtp-security")
                                 : WAYBILL_SMTP_SECURITY_STARTTLS;

  waybill_mail_sender_set_server (self->mail, host, port, security);
  waybill_mail_sender_set_login (self->mail, username, self->smtp_password);
  waybill_mail_sender_set_from (self->mail, shop, from);
  waybill_sms_sender_set_account (self->sms, self->twilio_sid, self->twilio_token);
  waybill_sms_sender_set_from (self->sms, sms_from);
}

/* New settings or secrets may fix what paused a channel. */
static void
resume (WaybillOutbox *self)
{
  for (guint i = 0; i < WAYBILL_N_MESSAGE_CHANNELS; i++)
    self->paused_until[i] = 0;
  apply_settings (self);
  if (self->started)
    waybill_outbox_wake (self);
}

static void
settings_changed_cb (WaybillOutbox *self,
                     const char    *key)
{
  if (g_str_has_prefix (key, "smtp-") || g_str_equal (key, "sms-from") ||
      g_str_equal (key, "shop-name") || g_str_equal (key, "message-daily-limit"))
    {
      self->limit_until = 0;
      resume (self);
    }
}

/**
 * waybill_outbox_new:
 * @settings: (nullable): the app's settings; %NULL for the defaults
 *   (nothing automatic, no sending set up)
 */
WaybillOutbox *
waybill_outbox_new (WaybillStore *store,
                    GSettings    *settings)
{
  WaybillOutbox *self;

  g_return_val_if_fail (WAYBILL_IS_STORE (store), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self = g_object_new (WAYBILL_TYPE_OUTBOX, NULL);
  self->store = g_object_ref (store);
  if (settings != NULL)
    {
      self->settings = g_object_ref (settings);
      g_signal_connect_swapped (settings, "changed", G_CALLBACK (settings_changed_cb), self);
    }
  apply_settings (self);

  return self;
}

WaybillStore *
waybill_outbox_get_store (WaybillOutbox *self)
{
  g_return_val_if_fail (WAYBILL_IS_OUTBOX (self), NULL);

  return self->store;
}

GSettings *
waybill_outbox_get_settings (WaybillOutbox *self)
{
  g_return_val_if_fail (WAYBILL_IS_OUTBOX (self), NULL);

  return self->settings;
}

WaybillClock *
waybill_outbox_get_clock (WaybillOutbox *self)
{
  g_return_val_if_fail (WAYBILL_IS_OUTBOX (self), NULL);

  return self->clock;
}

/**
 * waybill_outbox_set_clock:
 *
 * For tests: a manual clock decides what is due and when retries run.
 */
void
waybill_outbox_set_clock (WaybillOutbox *self,
                          WaybillClock  *clock)
{
  g_return_if_fail (WAYBILL_IS_OUTBOX (self));
  g_return_if_fail (WAYBILL_IS_CLOCK (clock));

  if (self->wake_id != 0)
    {
      waybill_clock_remove (self->clock, self->wake_id);
      self->wake_id = 0;
    }
  g_set_object (&self->clock, clock);
}

WaybillMailSender *
waybill_outbox_get_mail_sender (WaybillOutbox *self)
{
  g_return_val_if_fail (WAYBILL_IS_OUTBOX (self), NULL);

  return self->mail;
}

WaybillSmsSender *
waybill_outbox_get_sms_sender (WaybillOutbox *self)
{
  g_return_val_if_fail (WAYBILL_IS_OUTBOX (self), NULL);

  return self->sms;
}

/**
 * waybill_outbox_set_secrets:
 *
 * The SMTP password and the Twilio account, from the keyring or the
 * environment (waybill_outbox_load_secrets_async() finds them there).
 */
void
waybill_outbox_set_secrets (WaybillOutbox *self,
                            const char    *smtp_password,
                            const char    *twilio_sid,
                            const char    *twilio_token)
{
  g_return_if_fail (WAYBILL_IS_OUTBOX (self));

  waybill_wipe_free (self->smtp_password);
  self->smtp_password = g_strdup (smtp_password);
  waybill_wipe_free (self->twilio_sid);
  self->twilio_sid = g_strdup (twilio_sid);
  waybill_wipe_free (self->twilio_token);
  self->twilio_token = g_strdup (twilio_token);
  resume (self);
}

/* Secrets: the SMTP password is the "client_secret" of the keyring's
 * "smtp" entry (or WAYBILL_SMTP_CLIENT_SECRET); the Twilio account SID
 * and auth token are the "client_id" and "client_secret" of "twilio"
 * (WAYBILL_TWILIO_CLIENT_ID, WAYBILL_TWILIO_CLIENT_SECRET). */
typedef struct
{
  WaybillCredentials *smtp;
  GError             *error;
} SecretsData;

static void
secrets_data_free (SecretsData *data)
{
  g_clear_error (&data->error);
  waybill_credentials_free (data->smtp);
  g_free (data);
}

/* The keyring's entry @name, else the environment's, else empty ones
 * (with @error set when the keyring could not be read). */
static WaybillCredentials *
credentials_finish (const char    *name,
                    GAsyncResult  *result,
                    GError       **error)
{
  WaybillCredentials *credentials = waybill_credentials_lookup_finish (result, error);

  if (credentials == NULL)
    credentials = waybill_credentials_from_env (name);
  if (credentials == NULL)
    credentials = waybill_credentials_new (NULL, NULL, NULL);

  return credentials;
}

static void
twilio_loaded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WaybillOutbox *self = g_task_get_source_object (task);
  SecretsData *data = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(WaybillCredentials) twilio = credentials_finish ("twilio", result, &error);

  waybill_outbox_set_secrets (self, data->smtp->client_secret, twilio->client_id, twilio->client_secret);
  /* Without a keyring, what the environment gave is used, and the
   * caller hears why the rest is missing. */
  if (error != NULL || data->error != NULL)
    g_task_return_error (task, error != NULL ? error : g_steal_pointer (&data->error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
smtp_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SecretsData *data = g_task_get_task_data (task);
  GCancellable *cancellable;

  data->smtp = credentials_finish ("smtp", result, &data->error);

  cancellable = g_task_get_cancellable (task);
  waybill_credentials_lookup_async ("twilio", cancellable, twilio_loaded_cb, g_steal_pointer (&task));
}

void
waybill_outbox_load_secrets_async (WaybillOutbox       *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (WAYBILL_IS_OUTBOX (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, waybill_outbox_load_secrets_async);
  g_task_set_task_data (task, g_new0 (SecretsData, 1), (GDestroyNotify) secrets_data_free);
  waybill_credentials_lookup_async ("smtp", cancellable, smtp_loaded_cb, task);
}

gboolean
waybill_outbox_load_secrets_finish (WaybillOutbox  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static const char *
auto_send_key (WaybillMessageEvent event)
{
  static const char * const keys[] = {
    "message-auto-shipped",
    "message-auto-out-for-delivery",
    "message-auto-delivered",
    "message-auto-delayed",
    "message-auto-exception",
    "message-auto-ready-for-pickup",
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (keys) == WAYBILL_N_MESSAGE_EVENTS);

  return keys[event];
}

/**
 * waybill_outbox_get_auto_send:
 *
 * Returns: whether customers are told about @event without asking (off
 *   by default)
 */
gboolean
waybill_outbox_get_auto_send (WaybillOutbox       *self,
                              WaybillMessageEvent  event)
{
  g_return_val_if_fail (WAYBILL_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (event >= 0 && event < WAYBILL_N_MESSAGE_EVENTS, FALSE);

  return self->settings != NULL && g_settings_get_boolean (self->settings, auto_send_key (event));
}

guint
waybill_outbox_get_daily_limit (WaybillOutbox *self)
{
  g_return_val_if_fail (WAYBILL_IS_OUTBOX (self), 0);

  if (self->settings == NULL)
    return WAYBILL_OUTBOX_DEFAULT_DAILY_LIMIT;

  return MAX (1, g_settings_get_int (self->settings, "message-daily-limit"));
}

static WaybillShipment *
find_shipment (WaybillOrder *order,
               gint64        shipment_id)
{
  GPtrArray *shipments = waybill_order_get_shipments (order);

  for (guint i = 0; i < shipments->len; i++)
    if (waybill_shipment_get_id (g_ptr_array_index (shipments, i)) == shipment_id)
      return g_ptr_array_index (shipments, i);

  return NULL;
}

static gboolean
has_text (const char *text)
{
  return text != NULL && *text != '\0';
}

/**
 * waybill_outbox_compose:
 * @shipment: (nullable): the shipment; %NULL for the order's main one
 *
 * The message for @event, filled in from the order and the templates:
 * to the order's email address or phone number as @channel says.  It is
 * not stored; its recipient is empty when the order has no address for
 * @channel.
 *
 * Returns: (transfer full): the message
 */
WaybillMessage *
waybill_outbox_compose (WaybillOutbox         *self,
                        WaybillOrder          *order,
                        WaybillShipment       *shipment,
                        WaybillMessageEvent    event,
                        WaybillMessageChannel  channel)
{
  g_autoptr(GHashTable) values = NULL;
  g_autofree char *shop = NULL;
  g_autofree char *feedback = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *body = NULL;
  WaybillMessage *message;
  const char *recipient;

  g_return_val_if_fail (WAYBILL_IS_OUTBOX (self), NULL);
  g_return_val_if_fail (WAYBILL_IS_ORDER (order), NULL);
  g_return_val_if_fail (event >= 0 && event < WAYBILL_N_MESSAGE_EVENTS, NULL);

  if (shipment == NULL)
    shipment = waybill_order_get_primary_shipment (order);

  shop = get_string (self, "shop-name");
  feedback = get_string (self, "feedback-address");
  values = waybill_message_values_new (order, shipment, shop, feedback);

  message = waybill_message_new ();
  message->order_id = waybill_order_get_id (order);
  message->shipment_id = shipment != NULL ? waybill_shipment_get_id (shipment) : 0;
  message->event = event;
  message->channel = channel;
  recipient = channel == WAYBILL_MESSAGE_CHANNEL_EMAIL ? waybill_order_get_email (order)
                                                       : waybill_order_get_phone (order);
  message->recipient = g_strstrip (g_strdup (recipient != NULL ? recipient : ""));

  if (channel == WAYBILL_MESSAGE_CHANNEL_EMAIL)
    {
      subject = waybill_message_template_get_subject (self->settings, event);
      body = waybill_message_template_get_body (self->settings, event);
      message->subject = waybill_message_template_render (subject, values);
    }
  else
    {
      body = waybill_message_template_get_sms (self->settings, event);
      message->subject = g_strdup ("");
    }
  message->body = waybill_message_template_render (body, values);

  return message;
}

/**
 * waybill_outbox_choose_channel:
 * @out_channel: (out): how to reach the customer
 *
 * The customer's choice (kept with the order, or remembered for the email
 * address); without one, email when the order has an address.
 *
 * Returns: %FALSE when the customer is not to be messaged (they chose
 *   none, or there is no address for their choice), or on error
 */
gboolean
waybill_outbox_choose_channel (WaybillOutbox          *self,
                               WaybillOrder           *order,
                               WaybillMessageChannel  *out_channel,
                               GError                **error)
{
  WaybillContact contact = WAYBILL_CONTACT_UNSET;

  g_return_val_if_fail (WAYBILL_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (WAYBILL_IS_ORDER (order), FALSE);
  g_return_val_if_fail (out_channel != NULL, FALSE);

  if (waybill_order_get_id (order) > 0 &&
      !waybill_store_get_contact (self->store, waybill_order_get_id (order), &contact, NULL, error))
    return FALSE;

  switch (contact)
    {
    case WAYBILL_CONTACT_UNSET:
    case WAYBILL_CONTACT_EMAIL:
      *out_channel = WAYBILL_MESSAGE_CHANNEL_EMAIL;
      return has_text (waybill_order_get_email (order));
    case WAYBILL_CONTACT_SMS:
      *out_channel = WAYBILL_MESSAGE_CHANNEL_SMS;
      return has_text (waybill_order_get_phone (order));
    case WAYBILL_CONTACT_NONE:
    default:
      return FALSE;
    }
}

/**
 * waybill_outbox_queue_changes:
 * @changes: (element-type WaybillStatusChange): what the refresher recorded
 *
 * Queues the message of each change whose event is sent automatically,
 * once per order, shipment, event and channel.  Nothing is sent here: see
 * waybill_outbox_process_async(), and the outbox's own timer once started.
 *
 * Returns: how many messages were queued, or G_MAXUINT with @error set
 */
guint
waybill_outbox_queue_changes (WaybillOutbox  *self,
                              GPtrArray      *changes,
                              GError        **error)
{
  guint queued = 0;

  g_return_val_if_fail (WAYBILL_IS_OUTBOX (self), G_MAXUINT);
  g_return_val_if_fail (changes != NULL, G_MAXUINT);

  for (guint i = 0; i < changes->len; i++)
    {
      const WaybillStatusChange *change = g_ptr_array_index (changes, i);
      WaybillMessageEvent event = waybill_message_event_for_change (change);
      g_autoptr(WaybillOrder) order = NULL;
      g_autoptr(WaybillMessage) message = NULL;
      g_autoptr(GError) local_error = NULL;
      WaybillMessageChannel channel;
      WaybillShipment *shipment;
      gboolean was_new = FALSE;

      if (event == WAYBILL_MESSAGE_EVENT_INVALID || !waybill_outbox_get_auto_send (self, event))
        continue;

      order = waybill_store_get_order (self->store, change->order_id, &local_error);
      if (order == NULL)
        {
          /* Deleted since: nobody to tell. */
          if (g_error_matches (local_error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_NOT_FOUND))
            continue;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return G_MAXUINT;
        }
      if (!waybill_outbox_choose_channel (self, order, &channel, &local_error))
        {
          if (local_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return G_MAXUINT;
            }
          continue;
        }

      shipment = find_shipment (order, change->shipment_id);
      if (shipment == NULL)
        continue;

      message = waybill_outbox_compose (self, order, shipment, event, channel);
      message->automatic = TRUE;
      message->next_attempt = now_s (self);
      if (!waybill_store_queue_message (self->store, message, now_s (self), &was_new, error))
        return G_MAXUINT;
      if (was_new)
        {
          g_debug ("Queued %s message %" G_GINT64_FORMAT " for order %s",
                   waybill_message_event_to_id (event), message->id,
                   waybill_order_get_order_number (order));
          queued++;
        }
    }

  if (queued > 0 && self->started)
    waybill_outbox_wake (self);

  return queued;
}

/* ---- Sending one message ---------------------------------------------- */

typedef enum
{
  OUTCOME_SENT,
  OUTCOME_RETRY,
  OUTCOME_FAILED,
  OUTCOME_SKIPPED,
} Outcome;

typedef struct
{
  WaybillMessage *message;
} SendData;

static void
send_data_free (SendData *data)
{
  waybill_message_free (data->message);
  g_free (data);
}

static gint64
retry_delay (guint attempts)
{
  gint64 delay = WAYBILL_OUTBOX_FIRST_RETRY_S;

  for (guint i = 1; i < attempts; i++)
    delay *= 5;

  return MIN (delay, 12 * 3600);
}

/* Notes an attempt that could not even start (channel not set up, daily
 * limit) on the message, without claiming it. */
static void
note_waiting (WaybillOutbox  *self,
              WaybillMessage *message,
              const char     *why)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (message->last_error, why) == 0)
    return;
  if (!waybill_store_message_failed (self->store, message->id, why,
                                     MAX (message->next_attempt, 1), FALSE, &error))
    g_warning ("Could not note why a message waits: %s", error->message);
  g_free (message->last_error);
  message->last_error = g_strdup (why);
}

static void
record_outcome (GTask        *task,
                const char   *provider_id,
                const GError *send_error)
{
  WaybillOutbox *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  WaybillMessage *message = data->message;
  g_autoptr(GError) error = NULL;
  gint64 now = now_s (self);
  gint64 next = 0;
  gboolean refund = FALSE;
  Outcome outcome;

  if (send_error == NULL)
    {
      if (!waybill_store_message_sent (self->store, message->id, provider_id, now, &error))
        g_warning ("A message went out but could not be marked as sent: %s", error->message);
      message->state = WAYBILL_MESSAGE_STATE_SENT;
      message->sent_at = now;
      g_clear_pointer (&message->last_error, g_free);
      g_free (message->provider_id);
      message->provider_id = g_strdup (provider_id);
      g_task_return_int (task, OUTCOME_SENT);
      return;
    }

  if (g_error_matches (send_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Stopped before it went out: it is due again at the next start. */
      next = now;
      refund = TRUE;
      outcome = OUTCOME_RETRY;
    }
  else if (g_error_matches (send_error, WAYBILL_MESSAGE_ERROR, WAYBILL_MESSAGE_ERROR_AUTH) ||
           g_error_matches (send_error, WAYBILL_MESSAGE_ERROR, WAYBILL_MESSAGE_ERROR_NOT_CONFIGURED))
    {
      /* The channel rests; the message keeps its place and its attempts. */
      self->paused_until[message->channel] = now + WAYBILL_OUTBOX_AUTH_PAUSE_S;
      next = now;
      refund = TRUE;
      outcome = OUTCOME_RETRY;
    }
  else if (g_error_matches (send_error, WAYBILL_MESSAGE_ERROR, WAYBILL_MESSAGE_ERROR_TEMPORARY) &&
           message->attempts < WAYBILL_OUTBOX_MAX_ATTEMPTS)
    {
      next = now + retry_delay (message->attempts);
      outcome = OUTCOME_RETRY;
    }
  else
    {
      outcome = OUTCOME_FAILED;
    }

  g_debug ("Message %" G_GINT64_FORMAT " not sent (attempt %u): %s",
           message->id, message->attempts, send_error->message);
  if (!waybill_store_message_failed (self->store, message->id, send_error->message, next, refund, &error))
    g_warning ("Could not record a failed message: %s", error->message);
  if (refund && message->attempts > 0)
    message->attempts--;
  message->state = next > 0 ? WAYBILL_MESSAGE_STATE_QUEUED : WAYBILL_MESSAGE_STATE_FAILED;
  message->next_attempt = next;
  g_free (message->last_error);
  message->last_error = g_strdup (send_error->message);
  g_task_return_int (task, outcome);
}

static void
mail_sent_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  id = waybill_mail_sender_send_finish (WAYBILL_MAIL_SENDER (source), result, &error);
  record_outcome (task, id, error);
}

static void
sms_sent_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  id = waybill_sms_sender_send_finish (WAYBILL_SMS_SENDER (source), result, &error);
  record_outcome (task, id, error);
}

/* Sends one queued message, or leaves it for later.  The task returns
 * an Outcome; data->message is updated as the store is. */
static void
send_one_async (WaybillOutbox       *self,
                WaybillMessage      *message,
                gboolean             by_hand,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  SendData *data = g_new0 (SendData, 1);
  gint64 now = now_s (self);
  gboolean claimed = FALSE;
  gint64 sent;

  data->message = waybill_message_copy (message);
  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);
  message = data->message;

  /* A person pressing Send is an answer to a pause: try. */
  if (!by_hand && self->paused_until[message->channel] > now)
    {
      g_task_return_int (task, OUTCOME_SKIPPED);
      return;
    }

  if ((message->channel == WAYBILL_MESSAGE_CHANNEL_EMAIL && !waybill_mail_sender_is_configured (self->mail)) ||
      (message->channel == WAYBILL_MESSAGE_CHANNEL_SMS && !waybill_sms_sender_is_configured (self->sms)))
    {
      g_autoptr(GError) not_set_up = NULL;

      if (message->channel == WAYBILL_MESSAGE_CHANNEL_EMAIL)
        not_set_up = g_error_new (WAYBILL_MESSAGE_ERROR, WAYBILL_MESSAGE_ERROR_NOT_CONFIGURED,
                                  _("Sending email is not set up: add a mail server and a sender "
                                    "address in Preferences"));
      else
        not_set_up = g_error_new (WAYBILL_MESSAGE_ERROR, WAYBILL_MESSAGE_ERROR_NOT_CONFIGURED,
                                  _("Sending SMS is not set up: add the Twilio account SID, auth "
                                    "token and sender number in Preferences"));
      self->paused_until[message->channel] = now + WAYBILL_OUTBOX_AUTH_PAUSE_S;
      note_waiting (self, message, not_set_up->message);
      g_task_return_int (task, OUTCOME_SKIPPED);
      return;
    }

  sent = waybill_store_count_sent_messages (self->store, now - 24 * 3600, &error);
  if (sent < 0)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (sent >= waybill_outbox_get_daily_limit (self))
    {
      g_autofree char *why = NULL;

      why = g_strdup_printf (_("Waiting: the limit of %u messages a day is reached (see Preferences)"),
                             waybill_outbox_get_daily_limit (self));
      self->limit_until = now + LIMIT_PAUSE_S;
      note_waiting (self, message, why);
      g_task_return_int (task, OUTCOME_SKIPPED);
      return;
    }

  if (!waybill_store_claim_message (self->store, message->id, now, &claimed, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!claimed)
    {
      /* Another process took it. */
      g_task_return_int (task, OUTCOME_SKIPPED);
      return;
    }
  message->attempts++;
  message->state = WAYBILL_MESSAGE_STATE_SENDING;

  if (message->channel == WAYBILL_MESSAGE_CHANNEL_EMAIL)
    waybill_mail_sender_send_async (self->mail, message->recipient, message->subject, message->body,
                                    cancellable, mail_sent_cb, g_steal_pointer (&task));
  else
    waybill_sms_sender_send_async (self->sms, message->recipient, message->body,
                                   cancellable, sms_sent_cb, g_steal_pointer (&task));
}

/* ---- Passes ------------------------------------------------------------- */

typedef struct
{
  GPtrArray *due;
  guint      next;
  guint      sent;
  guint      failed;
} Pass;

static void
pass_free (Pass *pass)
{
  g_clear_pointer (&pass->due, g_ptr_array_unref);
  g_free (pass);
}

static void pass_next (GTask *task);

static void
pass_sent_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Pass *pass = g_task_get_task_data (task);
  GError *error = NULL;
  gssize outcome;

  outcome = g_task_propagate_int (G_TASK (result), &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (outcome == OUTCOME_SENT)
    pass->sent++;
  else if (outcome == OUTCOME_FAILED)
    pass->failed++;

  pass_next (g_steal_pointer (&task));
}

static void
pass_next (GTask *task)
{
  WaybillOutbox *self = g_task_get_source_object (task);
  Pass *pass = g_task_get_task_data (task);

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  if (pass->next >= pass->due->len || self->limit_until > now_s (self))
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  send_one_async (self, g_ptr_array_index (pass->due, pass->next++), FALSE,
                  g_task_get_cancellable (task), pass_sent_cb, task);
}

/**
 * waybill_outbox_process_async:
 *
 * Sends the messages that are due, one after the other.  Those that fail
 * are kept for a retry or marked failed; see the top of this file.
 */
void
waybill_outbox_process_async (WaybillOutbox       *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;
  Pass *pass;
  g_autoptr(GError) error = NULL;
  gint64 now;
  guint recovered;

  g_return_if_fail (WAYBILL_IS_OUTBOX (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, waybill_outbox_process_async);
  pass = g_new0 (Pass, 1);
  g_task_set_task_data (task, pass, (GDestroyNotify) pass_free);

  now = now_s (self);
  recovered = waybill_store_recover_messages (self->store, now - WAYBILL_OUTBOX_STALE_S,
                                              _("Waybill stopped while sending this message: it may "
                                                "or may not have reached the customer, so it is not "
                                                "sent again by itself"),
                                              &error);
  if (recovered == G_MAXUINT)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  if (recovered > 0)
    g_message ("%u message(s) were interrupted while being sent; they are marked on their orders",
               recovered);

  if (self->limit_until > now)
    pass->due = g_ptr_array_new ();
  else
    pass->due = waybill_store_list_due_messages (self->store, now, PASS_SIZE, &error);
  if (pass->due == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  pass_next (task);
}

gboolean
waybill_outbox_process_finish (WaybillOutbox  *self,
                               GAsyncResult   *result,
                               guint          *out_sent,
                               guint          *out_failed,
                               GError        **error)
{
  Pass *pass;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  pass = g_task_get_task_data (G_TASK (result));
  if (out_sent != NULL)
    *out_sent = pass->sent;
  if (out_failed != NULL)
    *out_failed = pass->failed;

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- One message by hand ------------------------------------------------ */

static void
manual_sent_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendData *data = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;
  gssize outcome;

  outcome = g_task_propagate_int (G_TASK (result), &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (outcome == OUTCOME_SENT)
    g_task_return_pointer (task, waybill_message_copy (data->message),
                           (GDestroyNotify) waybill_message_free);
  else
    g_task_return_new_error (task, WAYBILL_MESSAGE_ERROR,
                             outcome == OUTCOME_FAILED ? WAYBILL_MESSAGE_ERROR_REJECTED
                                                       : WAYBILL_MESSAGE_ERROR_TEMPORARY,
                             "%s", data->message->last_error != NULL ? data->message->last_error
                                                                     : _("The message was not sent"));
}

/**
 * waybill_outbox_send_message_async:
 * @message: a message from waybill_outbox_compose(), maybe edited
 *
 * Queues @message (sent by a person: no once-only rule) and sends it now.
 * When it cannot go out now it stays in the outbox, as the error says.
 */
void
waybill_outbox_send_message_async (WaybillOutbox       *self,
                                   WaybillMessage      *message,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(WaybillMessage) copy = NULL;
  GError *error = NULL;

  g_return_if_fail (WAYBILL_IS_OUTBOX (self));
  g_return_if_fail (message != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, waybill_outbox_send_message_async);

  copy = waybill_message_copy (message);
  copy->id = 0;
  copy->automatic = FALSE;
  copy->attempts = 0;
  copy->next_attempt = now_s (self);
  if (!waybill_store_queue_message (self->store, copy, now_s (self), NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  send_one_async (self, copy, TRUE, cancellable, manual_sent_cb, g_steal_pointer (&task));
}

/**
 * waybill_outbox_send_message_finish:
 *
 * Returns: (transfer full): the message as sent, or %NULL with @error set
 *   (the message is then kept in the outbox, or failed, on the order)
 */
WaybillMessage *
waybill_outbox_send_message_finish (WaybillOutbox  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- Running by itself ------------------------------------------------- */

static void schedule_wake (WaybillOutbox *self);

static void
processed_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  WaybillOutbox *self = WAYBILL_OUTBOX (source);
  g_autoptr(GError) error = NULL;
  guint sent = 0, failed = 0;

  if (!waybill_outbox_process_finish (self, result, &sent, &failed, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not send customer messages: %s", error->message);
  if (sent + failed > 0)
    g_debug ("Outbox pass: %u sent, %u failed", sent, failed);

  self->processing = FALSE;
  if (self->started && self->again)
    {
      self->again = FALSE;
      waybill_outbox_wake (self);
      return;
    }
  if (self->started)
    schedule_wake (self);
}

static void
wake_cb (gpointer user_data)
{
  WaybillOutbox *self = user_data;

  self->wake_id = 0;
  waybill_outbox_wake (self);
}

/* The next pass: when the first queued message is due, not before its
 * channel's pause or the daily limit's, and never sooner than MIN_WAKE_S
 * from now, so that nothing can spin. */
static void
schedule_wake (WaybillOutbox *self)
{
  g_autoptr(GPtrArray) queued = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = now_s (self);
  gint64 when = G_MAXINT64;

  if (self->wake_id != 0)
    {
      waybill_clock_remove (self->clock, self->wake_id);
      self->wake_id = 0;
    }

  queued = waybill_store_list_due_messages (self->store, G_MAXINT64, 500, &error);
  if (queued == NULL)
    {
      g_warning ("Could not read the outbox: %s", error->message);
      return;
    }

  for (guint i = 0; i < queued->len; i++)
    {
      WaybillMessage *message = g_ptr_array_index (queued, i);
      gint64 due = MAX (message->next_attempt, self->paused_until[message->channel]);

      when = MIN (when, MAX (due, self->limit_until));
    }

  if (when == G_MAXINT64)
    return;

  when = MAX (when, now + MIN_WAKE_S);
  self->wake_id = waybill_clock_add_timeout (self->clock, (when - now) * G_USEC_PER_SEC,
                                             wake_cb, self, NULL);
}

/**
 * waybill_outbox_wake:
 *
 * Runs a pass now (or right after the one running).
 */
void
waybill_outbox_wake (WaybillOutbox *self)
{
  g_return_if_fail (WAYBILL_IS_OUTBOX (self));

  if (self->processing)
    {
      self->again = TRUE;
      return;
    }

  if (self->wake_id != 0)
    {
      waybill_clock_remove (self->clock, self->wake_id);
      self->wake_id = 0;
    }

  self->processing = TRUE;
  waybill_outbox_process_async (self, self->cancellable, processed_cb, NULL);
}

/**
 * waybill_outbox_start:
 *
 * Sends what is due now and then whenever messages come due, until
 * waybill_outbox_stop().
 */
void
waybill_outbox_start (WaybillOutbox *self)
{
  g_return_if_fail (WAYBILL_IS_OUTBOX (self));

  if (self->started)
    return;

  self->started = TRUE;
  if (g_cancellable_is_cancelled (self->cancellable))
    g_set_object (&self->cancellable, g_cancellable_new ());
  waybill_outbox_wake (self);
}

void
waybill_outbox_stop (WaybillOutbox *self)
{
  g_return_if_fail (WAYBILL_IS_OUTBOX (self));

  self->started = FALSE;
  self->again = FALSE;
  if (self->wake_id != 0)
    {
      waybill_clock_remove (self->clock, self->wake_id);
      self->wake_id = 0;
    }
  if (self->processing)
    g_cancellable_cancel (self->cancellable);
}
