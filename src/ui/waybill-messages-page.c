/* waybill-messages-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-messages-page"

#include "config.h"

#include <glib/gi18n.h>

#include "waybill-credentials.h"
#include "waybill-mail-sender.h"
#include "waybill-message-template.h"
#include "waybill-messages-page.h"
#include "waybill-sms-sender.h"

/* Preferences → Customer Messages: the shop's name, which events are told
 * automatically, the templates with a live preview on a sample order, the
 * mail server and the Twilio account (secrets in the keyring), each with a
 * test, and the daily limit.  Settings apply at once. */
struct _WaybillMessagesPage
{
  AdwPreferencesPage  parent_instance;

  GSettings          *settings;
  WaybillOutbox      *outbox;
  WaybillOrder       *sample;
  GCancellable       *cancellable;
  gboolean            loading;

  AdwEntryRow        *shop_row;
  AdwEntryRow        *feedback_row;
  GtkLabel           *feedback_error_label;
  AdwPreferencesGroup *auto_group;
  AdwComboRow        *template_row;
  AdwEntryRow        *subject_row;
  AdwEntryRow        *sms_row;
  GtkTextView        *body_view;
  GtkLabel           *preview_subject;
  GtkLabel           *preview_body;
  GtkLabel           *preview_sms;
  AdwEntryRow        *smtp_host_row;
  GtkSpinButton      *smtp_port_spin;
  AdwComboRow        *smtp_security_row;
  AdwEntryRow        *smtp_username_row;
  AdwEntryRow        *smtp_password_row;
  AdwEntryRow        *smtp_from_row;
  GtkWidget          *smtp_test_button;
  AdwActionRow       *smtp_test_row;
  AdwEntryRow        *twilio_sid_row;
  AdwEntryRow        *twilio_token_row;
  AdwEntryRow        *sms_from_row;
  GtkWidget          *twilio_test_button;
  AdwActionRow       *twilio_test_row;
  GtkSpinButton      *limit_spin;
};

G_DEFINE_FINAL_TYPE (WaybillMessagesPage, waybill_messages_page, ADW_TYPE_PREFERENCES_PAGE)

static const char * const auto_keys[] = {
  "message-auto-shipped",
  "message-auto-out-for-delivery",
  "message-auto-delivered",
  "message-auto-delayed",
  "message-auto-exception",
  "message-auto-ready-for-pickup",
};

G_STATIC_ASSERT (G_N_ELEMENTS (auto_keys) == WAYBILL_N_MESSAGE_EVENTS);

static WaybillMessageEvent
current_event (WaybillMessagesPage *self)
{
  guint selected = adw_combo_row_get_selected (self->template_row);

  return selected < WAYBILL_N_MESSAGE_EVENTS ? (WaybillMessageEvent) selected : WAYBILL_MESSAGE_EVENT_SHIPPED;
}

static char *
body_text (WaybillMessagesPage *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->body_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);

  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
update_preview (WaybillMessagesPage *self)
{
  g_autofree char *shop = g_settings_get_string (self->settings, "shop-name");
  g_autofree char *feedback = g_settings_get_string (self->settings, "feedback-address");
  g_autoptr(GHashTable) values = waybill_message_values_new (self->sample, NULL, shop, feedback);
  g_autofree char *body = body_text (self);
  g_autofree char *subject = waybill_message_template_render (gtk_editable_get_text (GTK_EDITABLE (self->subject_row)), values);
  g_autofree char *text = waybill_message_template_render (body, values);
  g_autofree char *sms = waybill_message_template_render (gtk_editable_get_text (GTK_EDITABLE (self->sms_row)), values);
  g_autofree char *sms_line = g_strdup_printf (_("SMS: %s"), sms);

  gtk_label_set_text (self->preview_subject, subject);
  gtk_label_set_text (self->preview_body, text);
  gtk_label_set_text (self->preview_sms, sms_line);
}

/* A feedback address that cannot be used is said under it; the messages
 * then leave the feedback line out. */
static void
feedback_changed_cb (WaybillMessagesPage *self)
{
  g_autofree char *address = g_settings_get_string (self->settings, "feedback-address");
  g_autofree char *link = NULL;
  g_autoptr(GError) error = NULL;

  link = waybill_message_feedback_link (address, waybill_order_get_order_number (self->sample), &error);
  if (error != NULL)
    {
      gtk_label_set_text (self->feedback_error_label, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->feedback_row), "error");
    }
  else
    {
      gtk_label_set_text (self->feedback_error_label, "");
      gtk_widget_remove_css_class (GTK_WIDGET (self->feedback_row), "error");
    }
  gtk_widget_set_visible (GTK_WIDGET (self->feedback_error_label), error != NULL);

  update_preview (self);
}

static void
load_template (WaybillMessagesPage *self)
{
  WaybillMessageEvent event = current_event (self);
  g_autofree char *subject = waybill_message_template_get_subject (self->settings, event);
  g_autofree char *body = waybill_message_template_get_body (self->settings, event);
  g_autofree char *sms = waybill_message_template_get_sms (self->settings, event);

  self->loading = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->subject_row), subject);
  gtk_editable_set_text (GTK_EDITABLE (self->sms_row), sms);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->body_view), body, -1);
  self->loading = FALSE;

  update_preview (self);
}

static void
template_selected_cb (WaybillMessagesPage *self)
{
  if (self->settings != NULL)
    load_template (self);
}

static void
template_edited_cb (WaybillMessagesPage *self)
{
  WaybillMessageEvent event = current_event (self);
  g_autofree char *body = NULL;

  if (self->loading || self->settings == NULL)
    return;

  body = body_text (self);
  waybill_message_template_set (self->settings, event, "subject",
                                gtk_editable_get_text (GTK_EDITABLE (self->subject_row)));
  waybill_message_template_set (self->settings, event, "body", body);
  waybill_message_template_set (self->settings, event, "sms",
                                gtk_editable_get_text (GTK_EDITABLE (self->sms_row)));
  update_preview (self);
}

static void
reset_clicked_cb (WaybillMessagesPage *self)
{
  WaybillMessageEvent event = current_event (self);

  waybill_message_template_set (self->settings, event, "subject", NULL);
  waybill_message_template_set (self->settings, event, "body", NULL);
  waybill_message_template_set (self->settings, event, "sms", NULL);
  load_template (self);
}

static void
show_toast (WaybillMessagesPage *self,
            const char          *text)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (ADW_IS_PREFERENCES_WINDOW (root))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root), adw_toast_new (text));
}

/* ---- Secrets ------------------------------------------------------------ */

typedef struct
{
  WaybillMessagesPage *self;
  GtkWidget           *row;
} SecretData;

static void
secret_data_free (SecretData *data)
{
  g_object_unref (data->self);
  g_object_unref (data->row);
  g_free (data);
}

static void
secrets_reloaded_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!waybill_outbox_load_secrets_finish (WAYBILL_OUTBOX (object), result, &error))
    g_debug ("Secrets not reloaded: %s", error->message);
}

static void
secret_stored_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  SecretData *data = user_data;
  g_autoptr(GError) error = NULL;

  if (!waybill_credentials_store_finish (result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *text = g_strdup_printf (_("Could not save to the keyring: %s"), error->message);

          gtk_widget_add_css_class (data->row, "error");
          show_toast (data->self, text);
        }
    }
  else
    {
      gtk_widget_remove_css_class (data->row, "error");
      show_toast (data->self, _("Saved in the keyring"));
      if (data->self->outbox != NULL)
        waybill_outbox_load_secrets_async (data->self->outbox, NULL, secrets_reloaded_cb, NULL);
    }

  secret_data_free (data);
}

static void
secret_apply_cb (WaybillMessagesPage *self,
                 AdwEntryRow         *row)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
  SecretData *data;
  const char *api;
  const char *field;

  if (row == self->smtp_password_row)
    api = "smtp", field = WAYBILL_CREDENTIAL_CLIENT_SECRET;
  else if (row == self->twilio_sid_row)
    api = "twilio", field = WAYBILL_CREDENTIAL_CLIENT_ID;
  else
    api = "twilio", field = WAYBILL_CREDENTIAL_CLIENT_SECRET;

  if (*text == '\0')
    return;

  data = g_new0 (SecretData, 1);
  data->self = g_object_ref (self);
  data->row = g_object_ref (GTK_WIDGET (row));
  waybill_credentials_store_async (api, field, text, NULL, self->cancellable, secret_stored_cb, data);
}

static void
secrets_looked_up_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(WaybillMessagesPage) self = user_data;
  g_autoptr(WaybillCredentials) credentials = NULL;
  g_autoptr(GError) error = NULL;

  credentials = waybill_credentials_lookup_finish (result, &error);
  if (credentials == NULL)
    return;

  /* The account SID is no secret to its owner: shown. The token and the
   * password are shown as dots, so the user sees that they are set. */
  if (credentials->client_id != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->twilio_sid_row), credentials->client_id);
  if (credentials->client_secret != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->twilio_token_row), credentials->client_secret);
}

static void
smtp_looked_up_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(WaybillMessagesPage) self = user_data;
  g_autoptr(WaybillCredentials) credentials = NULL;
  g_autoptr(GError) error = NULL;

  credentials = waybill_credentials_lookup_finish (result, &error);
  if (credentials != NULL && credentials->client_secret != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->smtp_password_row), credentials->client_secret);
}

/* ---- Test email ----------------------------------------------------------- */

static void
test_sent_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(WaybillMessagesPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  id = waybill_mail_sender_send_finish (WAYBILL_MAIL_SENDER (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_widget_set_sensitive (self->smtp_test_button, TRUE);
  if (id == NULL)
    {
      adw_action_row_set_subtitle (self->smtp_test_row, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->smtp_test_row), "error");
      return;
    }

  gtk_widget_remove_css_class (GTK_WIDGET (self->smtp_test_row), "error");
  adw_action_row_set_subtitle (self->smtp_test_row, _("The test email was sent: look in the sender’s inbox"));
}

static void
smtp_test_clicked_cb (WaybillMessagesPage *self)
{
  g_autoptr(WaybillMailSender) sender = waybill_mail_sender_new ();
  g_autofree char *from = g_settings_get_string (self->settings, "smtp-from");
  g_autofree char *host = g_settings_get_string (self->settings, "smtp-host");
  g_autofree char *user = g_settings_get_string (self->settings, "smtp-username");
  g_autofree char *shop = g_settings_get_string (self->settings, "shop-name");

  /* What the rows say now, the password as typed or as kept. */
  waybill_mail_sender_set_server (sender, host, g_settings_get_int (self->settings, "smtp-port"),
                                  g_settings_get_enum (self->settings, "smtp-security"));
  waybill_mail_sender_set_login (sender, user, gtk_editable_get_text (GTK_EDITABLE (self->smtp_password_row)));
  waybill_mail_sender_set_from (sender, shop, from);

  gtk_widget_set_sensitive (self->smtp_test_button, FALSE);
  adw_action_row_set_subtitle (self->smtp_test_row, _("Sending…"));
  waybill_mail_sender_send_async (sender, from, _("Waybill test email"),
                                  _("This test shows that Waybill can send email to your customers."),
                                  self->cancellable, test_sent_cb, g_object_ref (self));
}

/* ---- Test Twilio account ----------------------------------------------------- */

static void
twilio_checked_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(WaybillMessagesPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;

  name = waybill_sms_sender_check_account_finish (WAYBILL_SMS_SENDER (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_widget_set_sensitive (self->twilio_test_button, TRUE);
  if (name == NULL)
    {
      adw_action_row_set_subtitle (self->twilio_test_row, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->twilio_test_row), "error");
      return;
    }

  gtk_widget_remove_css_class (GTK_WIDGET (self->twilio_test_row), "error");
  if (*name != '\0')
    /* Translators: %s is the name of the account at Twilio */
    text = g_strdup_printf (_("Twilio accepted the account SID and auth token of “%s”"), name);
  else
    text = g_strdup (_("Twilio accepted the account SID and auth token"));
  adw_action_row_set_subtitle (self->twilio_test_row, text);
}

static void
twilio_test_clicked_cb (WaybillMessagesPage *self)
{
  g_autoptr(WaybillSmsSender) sender = waybill_sms_sender_new (NULL);

  /* What the rows say now, as typed or as kept in the keyring. */
  waybill_sms_sender_set_account (sender, gtk_editable_get_text (GTK_EDITABLE (self->twilio_sid_row)),
                                  gtk_editable_get_text (GTK_EDITABLE (self->twilio_token_row)));

  gtk_widget_set_sensitive (self->twilio_test_button, FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->twilio_test_row), "error");
  adw_action_row_set_subtitle (self->twilio_test_row, _("Asking Twilio…"));
  waybill_sms_sender_check_account_async (sender, self->cancellable, twilio_checked_cb, g_object_ref (self));
}

/* ---- Setup ------------------------------------------------------------------ */

static gboolean
security_to_row (GValue   *value,
                 GVariant *variant,
                 gpointer  user_data)
{
  const char *nick = g_variant_get_string (variant, NULL);

  g_value_set_uint (value, g_str_equal (nick, "tls") ? 1 : g_str_equal (nick, "none") ? 2 : 0);

  return TRUE;
}

static GVariant *
security_from_row (const GValue       *value,
                   const GVariantType *type,
                   gpointer            user_data)
{
  static const char * const nicks[] = { "starttls", "tls", "none" };

  return g_variant_new_string (nicks[MIN (g_value_get_uint (value), 2)]);
}

static void
bind_settings (WaybillMessagesPage *self)
{
  g_settings_bind (self->settings, "shop-name", self->shop_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "feedback-address", self->feedback_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "smtp-host", self->smtp_host_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "smtp-port", self->smtp_port_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "smtp-username", self->smtp_username_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "smtp-from", self->smtp_from_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "sms-from", self->sms_from_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "message-daily-limit", self->limit_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (self->settings, "smtp-security", self->smtp_security_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, security_to_row, security_from_row, NULL, NULL);

  for (int i = 0; i < WAYBILL_N_MESSAGE_EVENTS; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *toggle = gtk_switch_new ();
      const char *label = waybill_message_event_get_label (i);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), label);
      gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
      gtk_widget_set_name (toggle, auto_keys[i]);
      g_settings_bind (self->settings, auto_keys[i], toggle, "active", G_SETTINGS_BIND_DEFAULT);
      adw_preferences_group_add (self->auto_group, row);
    }

  /* The preview follows the shop's name and feedback address too. */
  g_signal_connect_object (self->settings, "changed::shop-name", G_CALLBACK (update_preview), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::feedback-address", G_CALLBACK (feedback_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

static void
waybill_messages_page_dispose (GObject *object)
{
  WaybillMessagesPage *self = WAYBILL_MESSAGES_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), WAYBILL_TYPE_MESSAGES_PAGE);
  g_clear_object (&self->settings);
  g_clear_object (&self->outbox);
  g_clear_object (&self->sample);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (waybill_messages_page_parent_class)->dispose (object);
}

static void
waybill_messages_page_class_init (WaybillMessagesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = waybill_messages_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/waybill/Waybill/waybill-messages-page.ui");
  gtk_widget_class_bind_template_child (widget_class, WaybillMessagesPage, shop_row);
  gtk_widget_class_bind_template_child (widget_class, WaybillMessagesPage, feedback_row);
  gtk_widget_class_bind_template_child (widget_class, WaybillMessagesPage, feedback_error_label);
  gtk_widget_class_bind_template_child (widget_class, WaybillMessagesPage, auto_group);
  gtk_widget_class_bind_template_child (widget_class, WaybillMessagesPage, template_row);
  gtk_widget_class_bind_template_child (widget_class, WaybillMessagesPage, subject_row);
  gtk_widget_class_bind_template_child (widget_class, WaybillMessagesPage, sms_row);
  gtk_widget_class_bind_template_child (widget_class, WaybillMessagesPage, body_view);
  gtk_widget_class_bind_template_child (widget_class, WaybillMessagesPage, preview_subject);
  gtk_widget_class_bind_template_child (widget_class, WaybillMessagesPage, preview_body);
  gtk_widget_class_bind_template_child (widget_class, WaybillMessagesPage, preview_sms);
  gtk_widget_class_bind_template_child (widget_class, WaybillMessagesPage, smtp_host_row);
  gtk_widget_class_bind_template_child (widget_class, WaybillMessagesPage, smtp_port_spin);
  gtk_widget_class_bind_template_child (widget_class, WaybillMessagesPage, smtp_security_row);
  gtk_widget_class_bind_template_child (widget_class, WaybillMessagesPage, smtp_username_row);
  gtk_widget_class_bind_template_child (widget_class, WaybillMessagesPage, smtp_password_row);
  gtk_widget_class_bind_template_child (widget_class, WaybillMessagesPage, smtp_from_row);
  gtk_widget_class_bind_template_child (widget_class, WaybillMessagesPage, smtp_test_button);
  gtk_widget_class_bind_template_child (widget_class, WaybillMessagesPage, smtp_test_row);
  gtk_widget_class_bind_template_child (widget_class, WaybillMessagesPage, twilio_sid_row);
  gtk_widget_class_bind_template_child (widget_class, WaybillMessagesPage, twilio_token_row);
  gtk_widget_class_bind_template_child (widget_class, WaybillMessagesPage, sms_from_row);
  gtk_widget_class_bind_template_child (widget_class, WaybillMessagesPage, twilio_test_button);
  gtk_widget_class_bind_template_child (widget_class, WaybillMessagesPage, twilio_test_row);
  gtk_widget_class_bind_template_child (widget_class, WaybillMessagesPage, limit_spin);
  gtk_widget_class_bind_template_callback (widget_class, template_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, template_edited_cb);
  gtk_widget_class_bind_template_callback (widget_class, reset_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, secret_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, smtp_test_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, twilio_test_clicked_cb);
}

static void
waybill_messages_page_init (WaybillMessagesPage *self)
{
  g_autoptr(GtkStringList) events = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) security = gtk_string_list_new (NULL);

  self->cancellable = g_cancellable_new ();
  self->sample = waybill_message_sample_order ();
  gtk_widget_init_template (GTK_WIDGET (self));

  for (int i = 0; i < WAYBILL_N_MESSAGE_EVENTS; i++)
    gtk_string_list_append (events, waybill_message_event_get_label (i));
  adw_combo_row_set_model (self->template_row, G_LIST_MODEL (events));

  gtk_string_list_append (security, _("STARTTLS"));
  gtk_string_list_append (security, _("TLS"));
  gtk_string_list_append (security, _("None (this computer only)"));
  adw_combo_row_set_model (self->smtp_security_row, G_LIST_MODEL (security));

  g_signal_connect_object (gtk_text_view_get_buffer (self->body_view), "changed",
                           G_CALLBACK (template_edited_cb), self, G_CONNECT_SWAPPED);
}

/**
 * waybill_messages_page_new:
 * @settings: the app's settings
 *
 * Returns: (transfer floating): the page
 */
WaybillMessagesPage *
waybill_messages_page_new (GSettings *settings)
{
  WaybillMessagesPage *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (WAYBILL_TYPE_MESSAGES_PAGE, NULL);
  self->settings = g_object_ref (settings);
  bind_settings (self);
  load_template (self);
  feedback_changed_cb (self);

  waybill_credentials_lookup_async ("smtp", self->cancellable, smtp_looked_up_cb, g_object_ref (self));
  waybill_credentials_lookup_async ("twilio", self->cancellable, secrets_looked_up_cb, g_object_ref (self));

  return self;
}

/**
 * waybill_messages_page_set_outbox:
 * @outbox: (nullable): the app's outbox, told when secrets change
 */
void
waybill_messages_page_set_outbox (WaybillMessagesPage *self,
                                  WaybillOutbox       *outbox)
{
  g_return_if_fail (WAYBILL_IS_MESSAGES_PAGE (self));

  g_set_object (&self->outbox, outbox);
}

void
waybill_messages_page_show_event (WaybillMessagesPage *self,
                                  WaybillMessageEvent  event)
{
  g_return_if_fail (WAYBILL_IS_MESSAGES_PAGE (self));
  g_return_if_fail (event >= 0 && event < WAYBILL_N_MESSAGE_EVENTS);

  adw_combo_row_set_selected (self->template_row, event);
}
