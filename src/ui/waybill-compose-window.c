/* waybill-compose-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-compose-window"

#include "config.h"

#include <glib/gi18n.h>

#include "waybill-compose-window.h"
#include "waybill-mail-sender.h"
#include "waybill-message-template.h"

/* "Notify Customer": the message for the order, filled in from the
 * template of the event that fits its parcel, editable, then either sent
 * through the outbox (the shop's mail server or Twilio, logged on the
 * order) or handed to the user's own mail app as a mailto: link, which
 * the OpenURI portal opens inside Flatpak. */
struct _WaybillComposeWindow
{
  AdwWindow       parent_instance;

  WaybillOutbox  *outbox;
  WaybillOrder   *order;
  GCancellable   *cancellable;
  gboolean        sending;

  AdwWindowTitle *window_title;
  AdwComboRow    *event_row;
  AdwComboRow    *channel_row;
  AdwEntryRow    *to_row;
  AdwEntryRow    *subject_row;
  GtkTextView    *body_view;
  GtkLabel       *status_label;
  GtkWidget      *send_button;
  GtkWidget      *mail_app_button;
};

G_DEFINE_FINAL_TYPE (WaybillComposeWindow, waybill_compose_window, ADW_TYPE_WINDOW)

static WaybillMessageChannel
selected_channel (WaybillComposeWindow *self)
{
  return adw_combo_row_get_selected (self->channel_row) == 1 ? WAYBILL_MESSAGE_CHANNEL_SMS
                                                             : WAYBILL_MESSAGE_CHANNEL_EMAIL;
}

static void
show_status (WaybillComposeWindow *self,
             const char           *text,
             gboolean              is_error)
{
  gtk_label_set_text (self->status_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), text != NULL);
  if (is_error)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "dim-label");
    }
}

static void
fields_changed_cb (WaybillComposeWindow *self)
{
  g_autofree char *to = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->to_row))));

  gtk_widget_set_sensitive (self->send_button, !self->sending && *to != '\0');
  gtk_widget_set_sensitive (self->mail_app_button, *to != '\0');
}

static void
recompose_cb (WaybillComposeWindow *self)
{
  g_autoptr(WaybillMessage) message = NULL;
  WaybillMessageChannel channel = selected_channel (self);
  guint event = adw_combo_row_get_selected (self->event_row);

  if (self->outbox == NULL || self->order == NULL || event >= WAYBILL_N_MESSAGE_EVENTS)
    return;

  message = waybill_outbox_compose (self->outbox, self->order, NULL, event, channel);
  gtk_editable_set_text (GTK_EDITABLE (self->to_row), message->recipient);
  gtk_editable_set_text (GTK_EDITABLE (self->subject_row), message->subject);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->body_view), message->body, -1);

  gtk_widget_set_visible (GTK_WIDGET (self->subject_row), channel == WAYBILL_MESSAGE_CHANNEL_EMAIL);
  gtk_widget_set_visible (self->mail_app_button, channel == WAYBILL_MESSAGE_CHANNEL_EMAIL);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->to_row),
                                 channel == WAYBILL_MESSAGE_CHANNEL_EMAIL ? _("To") : _("To (phone number)"));
  show_status (self, NULL, FALSE);
  fields_changed_cb (self);
}

/**
 * waybill_compose_window_get_message:
 *
 * Returns: (transfer full): the message as the window shows it now
 */
WaybillMessage *
waybill_compose_window_get_message (WaybillComposeWindow *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  WaybillMessage *message;
  WaybillShipment *shipment;

  g_return_val_if_fail (WAYBILL_IS_COMPOSE_WINDOW (self), NULL);

  buffer = gtk_text_view_get_buffer (self->body_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  shipment = waybill_order_get_primary_shipment (self->order);

  message = waybill_message_new ();
  message->order_id = waybill_order_get_id (self->order);
  message->shipment_id = shipment != NULL ? waybill_shipment_get_id (shipment) : 0;
  message->event = MIN (adw_combo_row_get_selected (self->event_row), WAYBILL_N_MESSAGE_EVENTS - 1);
  message->channel = selected_channel (self);
  message->recipient = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->to_row))));
  message->subject = message->channel == WAYBILL_MESSAGE_CHANNEL_EMAIL
                     ? g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->subject_row)))
                     : g_strdup ("");
  message->body = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);

  return message;
}

/**
 * waybill_compose_window_get_mailto_uri:
 *
 * Returns: (transfer full): the mailto: link "Open in Mail App" opens
 */
char *
waybill_compose_window_get_mailto_uri (WaybillComposeWindow *self)
{
  g_autoptr(WaybillMessage) message = NULL;

  g_return_val_if_fail (WAYBILL_IS_COMPOSE_WINDOW (self), NULL);

  message = waybill_compose_window_get_message (self);

  return waybill_mail_sender_mailto_uri (message->recipient, message->subject, message->body);
}

static void
uri_shown_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(WaybillComposeWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gtk_show_uri_full_finish (GTK_WINDOW (object), result, &error))
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = g_strdup_printf (_("Could not open your mail app: %s"), error->message);
      show_status (self, text, TRUE);
      return;
    }

  gtk_window_close (GTK_WINDOW (self));
}

static void
mail_app_clicked_cb (WaybillComposeWindow *self)
{
  g_autofree char *uri = waybill_compose_window_get_mailto_uri (self);

  /* gtk_show_uri_full() goes through the OpenURI portal in Flatpak. */
  gtk_show_uri_full (GTK_WINDOW (self), uri, GDK_CURRENT_TIME, self->cancellable,
                     uri_shown_cb, g_object_ref (self));
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(WaybillComposeWindow) self = user_data;
  g_autoptr(WaybillMessage) message = NULL;
  g_autoptr(GError) error = NULL;

  message = waybill_outbox_send_message_finish (WAYBILL_OUTBOX (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->sending = FALSE;
  fields_changed_cb (self);
  if (message == NULL)
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, WAYBILL_MESSAGE_ERROR, WAYBILL_MESSAGE_ERROR_REJECTED))
        text = g_strdup_printf (_("Not sent: %s"), error->message);
      else
        /* Translators: the message stays in the outbox and is tried again. */
        text = g_strdup_printf (_("Not sent yet: %s. Waybill tries again later; the order shows how it went."),
                                error->message);
      show_status (self, text, TRUE);
      return;
    }

  gtk_window_close (GTK_WINDOW (self));
}

static void
send_clicked_cb (WaybillComposeWindow *self)
{
  g_autoptr(WaybillMessage) message = NULL;

  if (self->outbox == NULL || self->sending)
    return;

  message = waybill_compose_window_get_message (self);
  if (message->recipient == NULL || *message->recipient == '\0')
    return;

  self->sending = TRUE;
  fields_changed_cb (self);
  show_status (self, _("Sending…"), FALSE);
  waybill_outbox_send_message_async (self->outbox, message, self->cancellable, sent_cb, g_object_ref (self));
}

static void
waybill_compose_window_dispose (GObject *object)
{
  WaybillComposeWindow *self = WAYBILL_COMPOSE_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), WAYBILL_TYPE_COMPOSE_WINDOW);
  g_clear_object (&self->outbox);
  g_clear_object (&self->order);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (waybill_compose_window_parent_class)->dispose (object);
}

static void
waybill_compose_window_class_init (WaybillComposeWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = waybill_compose_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/waybill/Waybill/waybill-compose-window.ui");
  gtk_widget_class_bind_template_child (widget_class, WaybillComposeWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, WaybillComposeWindow, event_row);
  gtk_widget_class_bind_template_child (widget_class, WaybillComposeWindow, channel_row);
  gtk_widget_class_bind_template_child (widget_class, WaybillComposeWindow, to_row);
  gtk_widget_class_bind_template_child (widget_class, WaybillComposeWindow, subject_row);
  gtk_widget_class_bind_template_child (widget_class, WaybillComposeWindow, body_view);
  gtk_widget_class_bind_template_child (widget_class, WaybillComposeWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, WaybillComposeWindow, send_button);
  gtk_widget_class_bind_template_child (widget_class, WaybillComposeWindow, mail_app_button);
  gtk_widget_class_bind_template_callback (widget_class, recompose_cb);
  gtk_widget_class_bind_template_callback (widget_class, fields_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, send_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, mail_app_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
waybill_compose_window_init (WaybillComposeWindow *self)
{
  g_autoptr(GtkStringList) events = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) channels = gtk_string_list_new (NULL);

  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  for (int i = 0; i < WAYBILL_N_MESSAGE_EVENTS; i++)
    gtk_string_list_append (events, waybill_message_event_get_label (i));
  gtk_string_list_append (channels, _("Email"));
  gtk_string_list_append (channels, _("SMS"));
  adw_combo_row_set_model (self->event_row, G_LIST_MODEL (events));
  adw_combo_row_set_model (self->channel_row, G_LIST_MODEL (channels));
}

void
waybill_compose_window_set_event (WaybillComposeWindow *self,
                                  WaybillMessageEvent   event)
{
  g_return_if_fail (WAYBILL_IS_COMPOSE_WINDOW (self));
  g_return_if_fail (event >= 0 && event < WAYBILL_N_MESSAGE_EVENTS);

  adw_combo_row_set_selected (self->event_row, event);
}

void
waybill_compose_window_set_channel (WaybillComposeWindow  *self,
                                    WaybillMessageChannel  channel)
{
  g_return_if_fail (WAYBILL_IS_COMPOSE_WINDOW (self));

  adw_combo_row_set_selected (self->channel_row, channel == WAYBILL_MESSAGE_CHANNEL_SMS ? 1 : 0);
}

/**
 * waybill_compose_window_new:
 * @outbox: the outbox that sends and logs the message
 * @order: the order, with its shipments
 *
 * Returns: (transfer none): the window, owned by GTK like every toplevel
 */
WaybillComposeWindow *
waybill_compose_window_new (GtkWindow     *parent,
                            WaybillOutbox *outbox,
                            WaybillOrder  *order)
{
  WaybillComposeWindow *self;
  WaybillMessageChannel channel = WAYBILL_MESSAGE_CHANNEL_EMAIL;
  g_autofree char *subtitle = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (WAYBILL_IS_OUTBOX (outbox), NULL);
  g_return_val_if_fail (WAYBILL_IS_ORDER (order), NULL);

  self = g_object_new (WAYBILL_TYPE_COMPOSE_WINDOW, "transient-for", parent, NULL);
  self->outbox = g_object_ref (outbox);
  self->order = g_object_ref (order);

  subtitle = g_strdup_printf (_("Order %s"), waybill_order_get_order_number (order));
  adw_window_title_set_subtitle (self->window_title, subtitle);

  /* The customer's choice; "none" still lets the shop write by hand. */
  if (!waybill_outbox_choose_channel (outbox, order, &channel, &error) && error != NULL)
    g_warning ("Could not read the customer's choice: %s", error->message);

  g_signal_handlers_block_by_func (self->event_row, recompose_cb, self);
  adw_combo_row_set_selected (self->event_row,
                              waybill_message_event_for_shipment (waybill_order_get_primary_shipment (order)));
  g_signal_handlers_unblock_by_func (self->event_row, recompose_cb, self);
  adw_combo_row_set_selected (self->channel_row, channel == WAYBILL_MESSAGE_CHANNEL_SMS ? 1 : 0);
  recompose_cb (self);

  return self;
}
