/* test-messages-ui.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The customer-message windows, headless: Preferences → Customer Messages
 * (the preview follows the template as it is typed; settings reach
 * GSettings) and Notify Customer (filled in, sent through a local SMTP
 * server, shown on the order; a failure said in the window).
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>

#include "fake-twilio.h"
#include "ui-util.h"
#include "waybill-compose-window.h"
#include "waybill-messages-page.h"
#include "waybill-order-detail.h"
#include "waybill-order-editor.h"
#include "waybill-outbox.h"
#include "waybill-preferences-window.h"
#include "smtp-sink-run.h"
#include "test-util.h"

typedef struct
{
  char         *dir;
  WaybillStore *store;
  GSettings    *settings;
  SmtpSink      sink;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = NULL;

  fixture->dir = test_make_tmp_dir ("messages-ui");
  path = g_build_filename (fixture->dir, "waybill.db", NULL);
  fixture->store = test_open_store (path);
  fixture->settings = g_settings_new ("io.github.waybill.Waybill");
  test_reset_message_settings (fixture->settings);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  smtp_sink_stop (&fixture->sink);
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->settings);
  remove_tree (fixture->dir);
  g_free (fixture->dir);
}

/* tests/smtp-sink.py, and the settings pointing at it. */
static void
start_sink (Fixture *fixture)
{
  smtp_sink_start (&fixture->sink, fixture->dir, NULL, NULL, 0);
  g_settings_set_string (fixture->settings, "smtp-host", "127.0.0.1");
  g_settings_set_int (fixture->settings, "smtp-port", (int) fixture->sink.port);
  g_settings_set_enum (fixture->settings, "smtp-security", WAYBILL_SMTP_SECURITY_NONE);
  g_settings_set_string (fixture->settings, "smtp-from", "shop@example.com");
}

static guint
sink_count (Fixture *fixture)
{
  g_autoptr(GPtrArray) mails = smtp_sink_entries (&fixture->sink, "data");

  return mails->len;
}

/* The first widget under @root of @type that @match accepts. */
static GtkWidget *
find_widget (GtkWidget  *root,
             GType       type,
             gboolean  (*match) (GtkWidget *widget, gconstpointer data),
             gconstpointer data)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) && (match == NULL || match (root, data)))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type, match, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
row_titled (GtkWidget     *widget,
            gconstpointer  title)
{
  return g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

static gboolean
label_reads (GtkWidget     *widget,
             gconstpointer  text)
{
  return g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0;
}

/* A parcel's timeline: its title holds the tracking number. */
static gboolean
group_titled (GtkWidget     *widget,
              gconstpointer  part)
{
  const char *title = adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (widget));

  return title != NULL && strstr (title, part) != NULL;
}

static gboolean
widget_named (GtkWidget     *widget,
              gconstpointer  name)
{
  return g_strcmp0 (gtk_widget_get_name (widget), name) == 0;
}

static gboolean
button_labelled (GtkWidget     *widget,
                 gconstpointer  label)
{
  return g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

static WaybillOrder *
add_order (Fixture *fixture)
{
  g_autoptr(WaybillOrder) order = waybill_order_new ("1042", "Anna Smith");
  g_autoptr(WaybillShipment) shipment = waybill_shipment_new ("dhl-express", "1234567890");
  g_autoptr(GError) error = NULL;

  waybill_order_set_email (order, "anna@example.com");
  waybill_order_set_phone (order, "+44 20 7946 0000");
  waybill_shipment_set_status (shipment, WAYBILL_STATUS_OUT_FOR_DELIVERY);
  waybill_order_add_shipment (order, shipment);
  waybill_store_create_order (fixture->store, order, &error);
  g_assert_no_error (error);
  g_assert_true (waybill_store_update_shipment (fixture->store, shipment, &error));

  return waybill_store_get_order (fixture->store, waybill_order_get_id (order), &error);
}

/* Preferences, on Customer Messages, drawn. */
static WaybillPreferencesWindow *
open_messages_page (Fixture    *fixture,
                    GtkWidget **out_page)
{
  WaybillPreferencesWindow *prefs = waybill_preferences_window_new (NULL, fixture->settings);

  gtk_window_set_default_size (GTK_WINDOW (prefs), 640, 900);
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (prefs), "messages");
  gtk_window_present (GTK_WINDOW (prefs));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (prefs));
  iterate (100);

  *out_page = find_widget (GTK_WIDGET (prefs), WAYBILL_TYPE_MESSAGES_PAGE, NULL, NULL);
  g_assert_nonnull (*out_page);

  return prefs;
}

static void
test_preferences (Fixture       *fixture,
                  gconstpointer  data)
{
  WaybillPreferencesWindow *prefs;
  GtkWidget *page, *row, *toggle, *button, *feedback;
  g_autofree char *text = NULL;
  g_autoptr(GVariant) templates = NULL;
  const char *stored = NULL;

  g_settings_set_string (fixture->settings, "shop-name", "Tea & Things");
  prefs = open_messages_page (fixture, &page);

  /* The preview: the default template on the sample order. */
  text = widget_text (page);
  g_assert_nonnull (strstr (text, "Your order 1042 is on its way"));
  g_assert_nonnull (strstr (text, "Hello Alex Example,"));
  g_assert_nonnull (strstr (text, "SMS: Tea & Things: your order 1042 has shipped with DHL Express."));
  save_screenshot (GTK_WIDGET (prefs), "preferences-messages.png");

  /* The template editor and its preview, further down. */
  if (g_getenv ("WAYBILL_SCREENSHOT_DIR") != NULL)
    {
      GtkWidget *scroller = find_widget (page, GTK_TYPE_SCROLLED_WINDOW, NULL, NULL);
      GtkWidget *combo = find_widget (page, ADW_TYPE_COMBO_ROW, row_titled, "Message");
      GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
      graphene_rect_t bounds;

      g_assert_true (gtk_widget_compute_bounds (combo, gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller)),
                                                &bounds));
      gtk_adjustment_set_value (adjustment, bounds.origin.y - 110);
      save_screenshot (GTK_WIDGET (prefs), "preferences-messages-templates.png");
      gtk_adjustment_set_value (adjustment, 0);
    }

  /* Typing in the subject updates the preview and the setting. */
  row = find_widget (page, ADW_TYPE_ENTRY_ROW, row_titled, "Email Subject");
  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), "Shipped: {order_number} for {customer} {oops}");
  iterate (50);
  g_free (text);
  text = widget_text (page);
  g_assert_nonnull (strstr (text, "Shipped: 1042 for Alex Example {oops}"));
  templates = g_settings_get_value (fixture->settings, "message-templates");
  g_assert_true (g_variant_lookup (templates, "shipped-subject", "&s", &stored));
  g_assert_cmpstr (stored, ==, "Shipped: {order_number} for {customer} {oops}");
  g_clear_pointer (&templates, g_variant_unref);

  /* And the body, in its text view. */
  {
    GtkWidget *view = find_widget (page, GTK_TYPE_TEXT_VIEW, NULL, NULL);

    gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)),
                              "Dear {customer}, track {tracking_number}.", -1);
    iterate (50);
    g_free (text);
    text = widget_text (page);
    g_assert_nonnull (strstr (text, "Dear Alex Example, track 1234567890."));
  }

  /* Another template shows its own text. */
  waybill_messages_page_show_event (WAYBILL_MESSAGES_PAGE (page), WAYBILL_MESSAGE_EVENT_DELIVERED);
  iterate (50);
  g_free (text);
  text = widget_text (page);
  g_assert_nonnull (strstr (text, "Your order 1042 was delivered"));

  /* No feedback address: the Delivered preview does not ask for feedback.
   * With one, it does, with the sample order filled in; one that is no
   * address is said under the row, and not put in the message. */
  g_assert_null (strstr (text, "How did we do?"));
  feedback = find_widget (page, ADW_TYPE_ENTRY_ROW, row_titled, "Feedback Address");
  g_assert_nonnull (feedback);
  gtk_editable_set_text (GTK_EDITABLE (feedback), "https://tea.example/rate?order={order_number}");
  iterate (50);
  {
    g_autofree char *stored_address = g_settings_get_string (fixture->settings, "feedback-address");
    g_assert_cmpstr (stored_address, ==, "https://tea.example/rate?order={order_number}");
  }
  g_free (text);
  text = widget_text (page);
  g_assert_nonnull (strstr (text, "If anything is wrong, just reply to this message.\n"
                                  "How did we do? Tell us in a minute: https://tea.example/rate?order=1042\n"));
  g_assert_false (gtk_widget_has_css_class (feedback, "error"));
  if (g_getenv ("WAYBILL_SCREENSHOT_DIR") != NULL)
    {
      GtkWidget *scroller = find_widget (page, GTK_TYPE_SCROLLED_WINDOW, NULL, NULL);
      GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
      GtkWidget *view = find_widget (page, GTK_TYPE_TEXT_VIEW, NULL, NULL);
      graphene_rect_t bounds;

      g_assert_true (gtk_widget_compute_bounds (view, gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller)),
                                                &bounds));
      gtk_adjustment_set_value (adjustment, bounds.origin.y - 60);
      save_screenshot (GTK_WIDGET (prefs), "preferences-messages-feedback.png");
      gtk_adjustment_set_value (adjustment, 0);
    }

  gtk_editable_set_text (GTK_EDITABLE (feedback), "tea shop survey");
  iterate (50);
  g_free (text);
  text = widget_text (page);
  g_assert_nonnull (strstr (text, "The feedback address “tea shop survey” has a space in it"));
  g_assert_null (strstr (text, "How did we do?"));
  g_assert_true (gtk_widget_has_css_class (feedback, "error"));
  save_screenshot (GTK_WIDGET (prefs), "preferences-messages-feedback-error.png");

  gtk_editable_set_text (GTK_EDITABLE (feedback), "");
  iterate (50);
  g_free (text);
  text = widget_text (page);
  g_assert_null (strstr (text, "has a space in it"));
  g_assert_false (gtk_widget_has_css_class (feedback, "error"));

  /* Back to shipped, reset: the defaults again, no override kept. */
  waybill_messages_page_show_event (WAYBILL_MESSAGES_PAGE (page), WAYBILL_MESSAGE_EVENT_SHIPPED);
  iterate (50);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "Shipped: {order_number} for {customer} {oops}");
  button = find_widget (page, GTK_TYPE_BUTTON, button_labelled, "_Reset");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  iterate (50);
  templates = g_settings_get_value (fixture->settings, "message-templates");
  g_assert_cmpuint (g_variant_n_children (templates), ==, 0);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "Your order {order_number} is on its way");

  /* Settings reach GSettings: an automatic message, the mail server, its
   * security, the shop's name (and the preview follows it). */
  toggle = find_widget (page, GTK_TYPE_SWITCH, widget_named, "message-auto-delivered");
  g_assert_nonnull (toggle);
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (toggle)));
  gtk_switch_set_active (GTK_SWITCH (toggle), TRUE);
  g_assert_true (g_settings_get_boolean (fixture->settings, "message-auto-delivered"));
  g_assert_false (g_settings_get_boolean (fixture->settings, "message-auto-shipped"));

  row = find_widget (page, ADW_TYPE_ENTRY_ROW, row_titled, "Mail Server");
  gtk_editable_set_text (GTK_EDITABLE (row), "smtp.example.com");
  {
    g_autofree char *host = g_settings_get_string (fixture->settings, "smtp-host");
    g_assert_cmpstr (host, ==, "smtp.example.com");
  }
  row = find_widget (page, ADW_TYPE_COMBO_ROW, row_titled, "Security");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row)), ==, 0);
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), 1);
  g_assert_cmpint (g_settings_get_enum (fixture->settings, "smtp-security"), ==, WAYBILL_SMTP_SECURITY_TLS);

  row = find_widget (page, ADW_TYPE_ENTRY_ROW, row_titled, "Shop Name");
  gtk_editable_set_text (GTK_EDITABLE (row), "Kettle Corner");
  iterate (50);
  {
    g_autofree char *shop = g_settings_get_string (fixture->settings, "shop-name");
    g_assert_cmpstr (shop, ==, "Kettle Corner");
  }
  g_free (text);
  text = widget_text (page);
  g_assert_nonnull (strstr (text, "SMS: Kettle Corner: your order 1042"));

  gtk_window_destroy (GTK_WINDOW (prefs));
  iterate (50);
}

/* The subtitle of the Twilio test row once Twilio (or nobody) answered. */
static const char *
twilio_test_result (GtkWidget *row,
                    GtkWidget *button)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  g_signal_emit_by_name (button, "clicked");
  g_assert_false (gtk_widget_get_sensitive (button));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "Asking Twilio…");
  while (!gtk_widget_get_sensitive (button) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (gtk_widget_get_sensitive (button));

  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

/* Preferences → SMS → Test Account: Twilio's answer, in words. */
static void
test_twilio_test (Fixture       *fixture,
                  gconstpointer  data)
{
  FakeTwilio twilio = { 0 };
  WaybillPreferencesWindow *prefs;
  GtkWidget *page, *sid, *token, *row, *button;
  const char *result;

  fake_twilio_start (&twilio);
  g_setenv ("WAYBILL_TWILIO_URL", twilio.url, TRUE);

  prefs = open_messages_page (fixture, &page);
  sid = find_widget (page, ADW_TYPE_ENTRY_ROW, row_titled, "Account SID");
  token = find_widget (page, ADW_TYPE_ENTRY_ROW, row_titled, "Auth Token");
  button = find_widget (page, GTK_TYPE_BUTTON, button_labelled, "_Test Account");
  g_assert_nonnull (sid);
  g_assert_nonnull (token);
  g_assert_nonnull (button);
  row = gtk_widget_get_ancestor (button, ADW_TYPE_ACTION_ROW);
  g_assert_nonnull (row);

  /* Nothing typed yet: said without asking. */
  result = twilio_test_result (row, button);
  g_assert_cmpstr (result, ==, "Enter the Twilio account SID and auth token first");
  g_assert_true (gtk_widget_has_css_class (row, "error"));
  g_assert_cmpuint (twilio.account_requests, ==, 0);

  /* A wrong token: refused, error 20003. */
  gtk_editable_set_text (GTK_EDITABLE (sid), FAKE_TWILIO_SID);
  gtk_editable_set_text (GTK_EDITABLE (token), "not-the-token");
  result = twilio_test_result (row, button);
  g_assert_cmpstr (result, ==, "Twilio refused the account SID or auth token (error 20003: Authenticate)");
  g_assert_true (gtk_widget_has_css_class (row, "error"));

  /* The right one: the account's name. */
  gtk_editable_set_text (GTK_EDITABLE (token), FAKE_TWILIO_TOKEN);
  result = twilio_test_result (row, button);
  g_assert_cmpstr (result, ==, "Twilio accepted the account SID and auth token of “Tea & Things”");
  g_assert_false (gtk_widget_has_css_class (row, "error"));
  g_assert_cmpuint (twilio.account_requests, ==, 2);
  /* Nothing was sent, nothing was kept. */
  g_assert_cmpuint (twilio.requests, ==, 0);
  if (g_getenv ("WAYBILL_SCREENSHOT_DIR") != NULL)
    {
      GtkWidget *scroller = find_widget (page, GTK_TYPE_SCROLLED_WINDOW, NULL, NULL);
      GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));

      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
      save_screenshot (GTK_WIDGET (prefs), "preferences-messages-twilio.png");
    }

  /* Twilio out of reach. */
  fake_twilio_stop (&twilio);
  result = twilio_test_result (row, button);
  g_assert_true (g_str_has_prefix (result, "Could not reach Twilio: "));
  g_assert_true (gtk_widget_has_css_class (row, "error"));

  g_unsetenv ("WAYBILL_TWILIO_URL");
  gtk_window_destroy (GTK_WINDOW (prefs));
  iterate (50);
}

static void
test_compose (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(WaybillOrder) order = NULL;
  g_autoptr(WaybillOutbox) outbox = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *text = NULL;
  WaybillComposeWindow *compose;
  GtkWidget *to, *subject, *send;
  gint64 deadline;

  start_sink (fixture);
  g_settings_set_string (fixture->settings, "shop-name", "Tea & Things");
  order = add_order (fixture);
  outbox = waybill_outbox_new (fixture->store, fixture->settings);

  compose = waybill_compose_window_new (NULL, outbox, order);
  g_object_add_weak_pointer (G_OBJECT (compose), (gpointer *) &compose);
  gtk_window_present (GTK_WINDOW (compose));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (compose));

  /* Filled in for the parcel's state: out for delivery, by email. */
  to = find_widget (GTK_WIDGET (compose), ADW_TYPE_ENTRY_ROW, row_titled, "To");
  subject = find_widget (GTK_WIDGET (compose), ADW_TYPE_ENTRY_ROW, row_titled, "Subject");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (to)), ==, "anna@example.com");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (subject)), ==, "Your order 1042 arrives today");
  save_screenshot (GTK_WIDGET (compose), "compose.png");

  uri = waybill_compose_window_get_mailto_uri (compose);
  g_assert_true (g_str_has_prefix (uri, "mailto:anna@example.com?subject=Your%20order%201042%20arrives%20today&body=Hello%20Anna%20Smith%2C"));

  /* Another event refills it; the subject is edited by hand. */
  waybill_compose_window_set_event (compose, WAYBILL_MESSAGE_EVENT_DELIVERED);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (subject)), ==, "Your order 1042 was delivered");
  gtk_editable_set_text (GTK_EDITABLE (subject), "Delivered — thank you!");

  send = find_widget (GTK_WIDGET (compose), GTK_TYPE_BUTTON, button_labelled, "_Send");
  g_assert_true (gtk_widget_get_sensitive (send));
  g_signal_emit_by_name (send, "clicked");

  /* Sent, the window closes itself. */
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (compose != NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (compose);
  g_assert_cmpuint (sink_count (fixture), ==, 1);
  {
    g_autofree char *log = NULL;

    g_assert_true (g_file_get_contents (fixture->sink.log_path, &log, NULL, NULL));
    g_assert_nonnull (strstr (log, "To: <anna@example.com>"));
    g_assert_nonnull (strstr (log, "Subject: =?UTF-8?B?"));
  }

  /* The order shows it. */
  messages = waybill_store_list_messages (fixture->store, waybill_order_get_id (order), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (messages->len, ==, 1);
  {
    WaybillOrderDetail *detail = g_object_new (WAYBILL_TYPE_ORDER_DETAIL, NULL);
    GtkWidget *window = gtk_window_new ();

    WaybillMessage *sent = g_ptr_array_index (messages, 0);
    WaybillShipment *parcel = waybill_order_get_primary_shipment (order);
    GtkWidget *timeline;
    g_autofree char *timeline_text = NULL;

    gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (detail));
    waybill_order_detail_set_order (detail, order);
    waybill_order_detail_set_messages (detail, messages);
    text = widget_text (detail);
    g_assert_nonnull (strstr (text, "Messages"));
    g_assert_nonnull (strstr (text, "Delivered · Email"));
    g_assert_nonnull (strstr (text, "to anna@example.com"));

    /* A message about a parcel also stands in that parcel's timeline. */
    g_assert_nonnull (parcel);
    g_assert_cmpint (sent->state, ==, WAYBILL_MESSAGE_STATE_SENT);
    sent->shipment_id = waybill_shipment_get_id (parcel);
    waybill_order_detail_set_messages (detail, messages);
    timeline = find_widget (GTK_WIDGET (detail), ADW_TYPE_PREFERENCES_GROUP, group_titled,
                            waybill_shipment_get_tracking_number (parcel));
    g_assert_nonnull (timeline);
    timeline_text = widget_text (timeline);
    g_assert_nonnull (strstr (timeline_text, "Customer told by email: Delivered"));
    g_assert_nonnull (strstr (timeline_text, "anna@example.com"));

    /* Not one that failed. */
    sent->state = WAYBILL_MESSAGE_STATE_FAILED;
    waybill_order_detail_set_messages (detail, messages);
    g_free (timeline_text);
    timeline = find_widget (GTK_WIDGET (detail), ADW_TYPE_PREFERENCES_GROUP, group_titled,
                            waybill_shipment_get_tracking_number (parcel));
    timeline_text = widget_text (timeline);
    g_assert_null (strstr (timeline_text, "Customer told"));
    sent->state = WAYBILL_MESSAGE_STATE_SENT;
    gtk_window_destroy (GTK_WINDOW (window));
  }

  /* A message waiting for a retry and one that failed show why. */
  {
    WaybillMessage *waiting = waybill_message_copy (g_ptr_array_index (messages, 0));
    WaybillMessage *failed = waybill_message_copy (g_ptr_array_index (messages, 0));
    WaybillOrderDetail *detail = g_object_new (WAYBILL_TYPE_ORDER_DETAIL, NULL);
    GtkWidget *window = gtk_window_new ();

    waiting->state = WAYBILL_MESSAGE_STATE_QUEUED;
    waiting->event = WAYBILL_MESSAGE_EVENT_DELAYED;
    waiting->channel = WAYBILL_MESSAGE_CHANNEL_SMS;
    waiting->next_attempt = waiting->created + 300;
    waiting->last_error = g_strdup ("Twilio is busy, Waybill tries again later (HTTP 503: Service Unavailable)");
    failed->state = WAYBILL_MESSAGE_STATE_FAILED;
    failed->event = WAYBILL_MESSAGE_EVENT_SHIPPED;
    failed->last_error = g_strdup ("The mail server refused the message to <anna@example.com> & more (550)");
    g_ptr_array_insert (messages, 0, failed);
    g_ptr_array_add (messages, waiting);

    gtk_window_set_default_size (GTK_WINDOW (window), 640, 900);
    /* The main window's order actions, so that the detail's buttons look
     * as they do there (not greyed out). */
    {
      static const GActionEntry entries[] = {
        { "copy-status-reply" }, { "add-feedback" }, { "notify-customer" },
      };
      GSimpleActionGroup *group = g_simple_action_group_new ();

      g_action_map_add_action_entries (G_ACTION_MAP (group), entries, G_N_ELEMENTS (entries), NULL);
      gtk_widget_insert_action_group (window, "order", G_ACTION_GROUP (group));
      g_object_unref (group);
    }
    gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (detail));
    waybill_order_detail_set_order (detail, order);
    waybill_order_detail_set_messages (detail, messages);
    gtk_window_present (GTK_WINDOW (window));
    gtk_test_widget_wait_for_draw (window);
    g_free (text);
    text = widget_text (detail);
    g_assert_nonnull (strstr (text, "Not sent: The mail server refused the message to <anna@example.com> & more (550)"));
    g_assert_nonnull (strstr (text, "Not sent yet (next try"));
    g_assert_nonnull (strstr (text, "Delayed · SMS"));
    {
      GtkWidget *scroller = find_widget (GTK_WIDGET (detail), GTK_TYPE_SCROLLED_WINDOW, NULL, NULL);
      GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));

      iterate (100);
      assert_order_detail_apart (GTK_WIDGET (detail));
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
      /* Nothing focused or selected: in the main window the search field
       * has the focus, not the customer's (selectable) name. */
      gtk_window_set_focus (GTK_WINDOW (window), NULL);
      {
        GtkWidget *name = find_widget (GTK_WIDGET (detail), GTK_TYPE_LABEL, label_reads, "Anna Smith");

        g_assert_nonnull (name);
        gtk_label_select_region (GTK_LABEL (name), 0, 0);
      }
      save_screenshot (window, "order-messages.png");
    }
    gtk_window_destroy (GTK_WINDOW (window));
  }

  /* By SMS, with no Twilio account: said in the window, which stays. */
  compose = waybill_compose_window_new (NULL, outbox, order);
  g_object_add_weak_pointer (G_OBJECT (compose), (gpointer *) &compose);
  gtk_window_present (GTK_WINDOW (compose));
  waybill_compose_window_set_channel (compose, WAYBILL_MESSAGE_CHANNEL_SMS);
  to = find_widget (GTK_WIDGET (compose), ADW_TYPE_ENTRY_ROW, row_titled, "To (phone number)");
  g_assert_nonnull (to);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (to)), ==, "+44 20 7946 0000");
  send = find_widget (GTK_WIDGET (compose), GTK_TYPE_BUTTON, button_labelled, "_Send");
  g_signal_emit_by_name (send, "clicked");
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  g_clear_pointer (&text, g_free);
  while (g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_free (text);
      text = widget_text (compose);
      if (strstr (text, "Not sent yet") != NULL)
        break;
    }
  g_assert_nonnull (strstr (text, "Not sent yet: Sending SMS is not set up"));
  g_assert_nonnull (compose);
  g_assert_true (gtk_widget_get_sensitive (send));
  gtk_window_destroy (GTK_WINDOW (compose));
  iterate (50);
  g_assert_null (compose);
}

/* The order editor keeps the customer's choice, and a later order of the
 * same customer starts with it. */
static void
test_editor_contact (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(WaybillOrder) order = add_order (fixture);
  g_autoptr(WaybillOrder) later = waybill_order_new ("1043", "Anna Smith");
  g_autoptr(GError) error = NULL;
  WaybillOrderEditor *editor;
  GtkWidget *row;
  WaybillContact contact;
  gboolean remembered;

  editor = waybill_order_editor_new (NULL, fixture->store, order);
  gtk_window_present (GTK_WINDOW (editor));
  row = find_widget (GTK_WIDGET (editor), ADW_TYPE_COMBO_ROW, row_titled, "Keep Informed By");
  g_assert_nonnull (row);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row)), ==, WAYBILL_CONTACT_UNSET);

  /* Changing only the choice is a change to save. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), WAYBILL_CONTACT_SMS);
  g_assert_true (waybill_order_editor_save (editor));
  g_assert_true (waybill_store_get_contact (fixture->store, waybill_order_get_id (order), &contact, &remembered, &error));
  g_assert_cmpint (contact, ==, WAYBILL_CONTACT_SMS);
  g_assert_false (remembered);

  waybill_order_set_email (later, "anna@example.com");
  g_assert_true (waybill_store_create_order (fixture->store, later, &error));
  editor = waybill_order_editor_new (NULL, fixture->store, later);
  gtk_window_present (GTK_WINDOW (editor));
  row = find_widget (GTK_WIDGET (editor), ADW_TYPE_COMBO_ROW, row_titled, "Keep Informed By");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row)), ==, WAYBILL_CONTACT_SMS);
  gtk_window_destroy (GTK_WINDOW (editor));
  iterate (50);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  ui_test_load_app_style ();

  g_test_add ("/waybill/messages-ui/preferences", Fixture, NULL, fixture_set_up, test_preferences, fixture_tear_down);
  g_test_add ("/waybill/messages-ui/twilio-test", Fixture, NULL, fixture_set_up, test_twilio_test, fixture_tear_down);
  g_test_add ("/waybill/messages-ui/editor-contact", Fixture, NULL, fixture_set_up, test_editor_contact, fixture_tear_down);
  g_test_add ("/waybill/messages-ui/compose", Fixture, NULL, fixture_set_up, test_compose, fixture_tear_down);

  return g_test_run ();
}
