/* test-outbox.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Customer messages: templates, contact preferences, and the outbox
 * against a real SMTP server (python3-aiosmtpd, tests/smtp-sink.py) and a
 * fake Twilio on 127.0.0.1 (tests/fake-twilio.c, a SoupServer in this test).  Time is a manual
 * WaybillClock, so retries and pauses are checked without waiting.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>

#include "fake-twilio.h"
#include "waybill-mail-sender.h"
#include "waybill-message-template.h"
#include "waybill-outbox.h"
#include "waybill-store-private.h"
#include "smtp-sink-run.h"
#include "test-util.h"

#define T0 1780000000 /* 2026-05-28 20:26:40 UTC */

/* ---- Fixture ------------------------------------------------------------ */

typedef struct
{
  char          *dir;
  char          *db_path;
  WaybillStore  *store;
  GSettings     *settings;
  WaybillClock  *clock;
  WaybillOutbox *outbox;
  SmtpSink       sink;
  FakeTwilio     twilio;
} Fixture;

static void
new_outbox (Fixture *fixture)
{
  g_clear_object (&fixture->outbox);
  fixture->outbox = waybill_outbox_new (fixture->store, fixture->settings);
  waybill_outbox_set_clock (fixture->outbox, fixture->clock);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GDateTime) start = g_date_time_new_from_unix_utc (T0);

  fixture->dir = test_make_tmp_dir ("outbox");
  fixture->db_path = g_build_filename (fixture->dir, "waybill.db", NULL);
  fixture->store = test_open_store (fixture->db_path);

  fixture->settings = g_settings_new ("io.github.waybill.Waybill");
  test_reset_message_settings (fixture->settings);
  g_settings_set_string (fixture->settings, "shop-name", "Tea & Things");
  g_settings_set_string (fixture->settings, "smtp-from", "shop@example.com");
  g_settings_set_string (fixture->settings, "sms-from", "+15005550006");
  g_settings_set_enum (fixture->settings, "smtp-security", WAYBILL_SMTP_SECURITY_NONE);
  g_settings_set_boolean (fixture->settings, "message-auto-shipped", TRUE);
  g_settings_set_boolean (fixture->settings, "message-auto-delivered", TRUE);

  fixture->clock = waybill_clock_new_manual (start);
  new_outbox (fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->outbox != NULL)
    g_assert_finalize_object (g_steal_pointer (&fixture->outbox));
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->settings);
  g_clear_object (&fixture->clock);
  smtp_sink_stop (&fixture->sink);
  fake_twilio_stop (&fixture->twilio);

  remove_tree (fixture->dir);
  g_free (fixture->db_path);
  g_free (fixture->dir);
}

static void
use_smtp (Fixture *fixture)
{
  g_settings_set_string (fixture->settings, "smtp-host", "127.0.0.1");
  g_settings_set_int (fixture->settings, "smtp-port", fixture->sink.port);
}

static WaybillOrder *
add_order (Fixture    *fixture,
           const char *number,
           const char *email,
           const char *phone)
{
  g_autoptr(WaybillOrder) order = waybill_order_new (number, "Anna Smith");
  g_autoptr(WaybillShipment) shipment = waybill_shipment_new ("dhl-express", "1234567890");
  g_autoptr(GError) error = NULL;

  waybill_order_set_email (order, email);
  waybill_order_set_phone (order, phone);
  waybill_order_set_stage (order, WAYBILL_STATUS_SHIPPED);
  waybill_order_add_shipment (order, shipment);
  waybill_store_create_order (fixture->store, order, &error);
  g_assert_no_error (error);
  g_assert_cmpint (waybill_shipment_get_id (shipment), >, 0);

  return g_steal_pointer (&order);
}

static GPtrArray *
changes_for (WaybillOrder  *order,
             WaybillStatus  from,
             WaybillStatus  to)
{
  GPtrArray *changes = g_ptr_array_new_with_free_func ((GDestroyNotify) waybill_status_change_free);
  WaybillShipment *shipment = waybill_order_get_primary_shipment (order);

  waybill_shipment_set_status (shipment, to);
  g_ptr_array_add (changes, waybill_status_change_new_for_shipment (order, shipment, from));

  return changes;
}

static guint
queue (Fixture      *fixture,
       WaybillOrder *order,
       WaybillStatus from,
       WaybillStatus to)
{
  g_autoptr(GPtrArray) changes = changes_for (order, from, to);
  g_autoptr(GError) error = NULL;
  guint n;

  n = waybill_outbox_queue_changes (fixture->outbox, changes, &error);
  g_assert_no_error (error);

  return n;
}

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (*result == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (*result);

  return *result;
}

/* One pass; returns how many were sent. */
static guint
process (Fixture *fixture,
         guint   *out_failed)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint sent = 0;

  waybill_outbox_process_async (fixture->outbox, NULL, done_cb, &result);
  waybill_outbox_process_finish (fixture->outbox, wait_for (&result), &sent, out_failed, &error);
  g_assert_no_error (error);

  return sent;
}

static GPtrArray *
messages_of (Fixture      *fixture,
             WaybillOrder *order)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *messages = waybill_store_list_messages (fixture->store, waybill_order_get_id (order), &error);

  g_assert_no_error (error);

  return messages;
}

static void
advance (Fixture *fixture,
         gint64   seconds)
{
  waybill_clock_advance (fixture->clock, seconds * G_USEC_PER_SEC);
}

/* The body of a message as the sink got it, not decoded. */
static const char *
body_of (const char *data)
{
  const char *blank = strstr (data, "\r\n\r\n");

  g_assert_nonnull (blank);
  return blank + 4;
}

/* ---- Templates ----------------------------------------------------------- */

static void
test_render (void)
{
  g_autoptr(WaybillOrder) order = waybill_order_new ("1042", "Anna Smith");
  g_autoptr(WaybillShipment) shipment = waybill_shipment_new ("dhl-express", "1234567890");
  g_autoptr(GHashTable) values = NULL;
  g_autofree char *text = NULL;
  g_autofree char *odd = NULL;
  g_autofree char *empty = NULL;

  waybill_order_add_shipment (order, shipment);
  values = waybill_message_values_new (order, NULL, "Tea & Things", NULL);

  text = waybill_message_template_render ("Hi {customer}, {order_number} via {carrier} "
                                          "({tracking_number}) from {shop_name}: {tracking_link}",
                                          values);
  g_assert_cmpstr (text, ==, "Hi Anna Smith, 1042 via DHL Express (1234567890) from Tea & Things: "
                             "https://www.dhl.com/global-en/home/tracking/tracking-express.html?submit=1&tracking-id=1234567890");

  /* Unknown placeholders and lone braces stay visible; a doubled brace
   * still fills the inner placeholder. */
  odd = waybill_message_template_render ("{costumer} {{order_number}} {open <b>", values);
  g_assert_cmpstr (odd, ==, "{costumer} {1042} {open <b>");

  empty = waybill_message_template_render ("", values);
  g_assert_cmpstr (empty, ==, "");

  /* The estimate: one day, a range, or not known. */
  {
    g_autoptr(GDateTime) from = g_date_time_new_utc (2026, 12, 1, 9, 0, 0);
    g_autoptr(GDateTime) same_day = g_date_time_new_utc (2026, 12, 1, 18, 0, 0);
    g_autoptr(GDateTime) to = g_date_time_new_utc (2026, 12, 3, 18, 0, 0);
    g_autoptr(GHashTable) one = NULL;
    g_autoptr(GHashTable) range = NULL;

    g_assert_cmpstr (g_hash_table_lookup (values, "estimated_delivery"), ==, "not known yet");
    waybill_shipment_set_estimated_delivery (shipment, from, same_day);
    one = waybill_message_values_new (order, shipment, NULL, NULL);
    g_assert_cmpstr (g_hash_table_lookup (one, "estimated_delivery"), ==, "Tuesday 1 December");
    g_assert_cmpstr (g_hash_table_lookup (one, "shop_name"), ==, "Your shop");
    waybill_shipment_set_estimated_delivery (shipment, from, to);
    range = waybill_message_values_new (order, shipment, NULL, NULL);
    g_assert_cmpstr (g_hash_table_lookup (range, "estimated_delivery"), ==, "Tuesday 1 December to Thursday 3 December");
  }

  /* Every placeholder has a value, and every default names only known
   * placeholders. */
  for (guint i = 0; waybill_message_placeholders[i] != NULL; i++)
    g_assert_true (g_hash_table_contains (values, waybill_message_placeholders[i]));
  for (int e = 0; e < WAYBILL_N_MESSAGE_EVENTS; e++)
    {
      const char *parts[] = {
        waybill_message_template_default_subject (e),
        waybill_message_template_default_body (e),
        waybill_message_template_default_sms (e),
      };

      for (guint p = 0; p < G_N_ELEMENTS (parts); p++)
        {
          g_autofree char *out = waybill_message_template_render (parts[p], values);

          g_assert_null (strchr (out, '{'));
        }
    }
}

/* The feedback address: a web address (with the order filled in) or an
 * email address; anything else is refused, and gives no link. */
static void
test_feedback_link (void)
{
  static const struct {
    const char *address;
    const char *link;
  } good[] = {
    { "https://tea.example/rate?order={order_number}", "https://tea.example/rate?order=%23A%2010%2F42" },
    { "  http://tea.example/survey  ", "http://tea.example/survey" },
    { "www.tea.example/rate/{order_number}", "https://www.tea.example/rate/%23A%2010%2F42" },
    { "feedback@tea.example", "feedback@tea.example" },
    { "mailto:feedback@tea.example", "mailto:feedback@tea.example" },
    { "https://tea.example/rate?from=mail@tea.example", "https://tea.example/rate?from=mail@tea.example" },
  };
  static const struct {
    const char *address;
    const char *error;
  } bad[] = {
    { "https://tea.example/rate me", "The feedback address “https://tea.example/rate me” has a space in it" },
    { "ftp://tea.example/rate", "The feedback address “ftp://tea.example/rate” is neither a web address (https://…) nor an email address" },
    { "htps//tea", "The feedback address “htps//tea” is neither a web address (https://…) nor an email address" },
    { "https:///rate", "The feedback address “https:///rate” is neither a web address (https://…) nor an email address" },
    { "feedback@", "The feedback address “feedback@” is neither a web address (https://…) nor an email address" },
    { "https://tea.example/{customer}", "The feedback address “https://tea.example/{customer}” can hold no placeholder but {order_number}" },
    { "rate+{order_number}@tea.example", "The feedback address “rate+{order_number}@tea.example” is neither a web address (https://…) nor an email address" },
    { "mailto:tea.example", "The feedback address “mailto:tea.example” is neither a web address (https://…) nor an email address" },
  };
  g_autoptr(GError) error = NULL;

  g_assert_null (waybill_message_feedback_link (NULL, "1042", &error));
  g_assert_no_error (error);
  g_assert_null (waybill_message_feedback_link ("   ", "1042", &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autofree char *link = waybill_message_feedback_link (good[i].address, "#A 10/42", &error);

      g_assert_no_error (error);
      g_assert_cmpstr (link, ==, good[i].link);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_null (waybill_message_feedback_link (bad[i].address, "1042", &error));
      g_assert_error (error, WAYBILL_MESSAGE_ERROR, WAYBILL_MESSAGE_ERROR_NOT_CONFIGURED);
      g_assert_cmpstr (error->message, ==, bad[i].error);
      g_clear_error (&error);
    }
}

/* The Delivered message asks for feedback only when there is somewhere to
 * give it: no "Tell us: " with nothing after it. */
static void
test_render_feedback (void)
{
  g_autoptr(WaybillOrder) order = waybill_order_new ("1042", "Anna Smith");
  g_autoptr(WaybillShipment) shipment = waybill_shipment_new ("dhl-express", "1234567890");
  g_autoptr(GHashTable) with = NULL;
  g_autoptr(GHashTable) without = NULL;
  g_autoptr(GHashTable) broken = NULL;
  g_autofree char *asked = NULL;
  g_autofree char *not_asked = NULL;
  g_autofree char *not_broken = NULL;
  g_autofree char *last = NULL;
  g_autofree char *only = NULL;
  const char *body = waybill_message_template_default_body (WAYBILL_MESSAGE_EVENT_DELIVERED);

  waybill_order_add_shipment (order, shipment);
  with = waybill_message_values_new (order, NULL, "Tea & Things", "https://tea.example/rate?order={order_number}");
  without = waybill_message_values_new (order, NULL, "Tea & Things", "");
  broken = waybill_message_values_new (order, NULL, "Tea & Things", "not an address");
  g_assert_cmpstr (g_hash_table_lookup (with, "feedback_link"), ==, "https://tea.example/rate?order=1042");
  g_assert_cmpstr (g_hash_table_lookup (without, "feedback_link"), ==, "");
  g_assert_cmpstr (g_hash_table_lookup (broken, "feedback_link"), ==, "");

  asked = waybill_message_template_render (body, with);
  g_assert_cmpstr (asked, ==,
                   "Hello Anna Smith,\n\n"
                   "DHL Express has delivered your order 1042. We hope you enjoy it!\n"
                   "If anything is wrong, just reply to this message.\n"
                   "How did we do? Tell us in a minute: https://tea.example/rate?order=1042\n\n"
                   "Tea & Things");
  not_asked = waybill_message_template_render (body, without);
  g_assert_cmpstr (not_asked, ==,
                   "Hello Anna Smith,\n\n"
                   "DHL Express has delivered your order 1042. We hope you enjoy it!\n"
                   "If anything is wrong, just reply to this message.\n\n"
                   "Tea & Things");
  /* An address that is no address is not sent either. */
  not_broken = waybill_message_template_render (body, broken);
  g_assert_cmpstr (not_broken, ==, not_asked);

  /* The last line going takes its line break along; a one-line text
   * (an SMS) is not emptied. */
  last = waybill_message_template_render ("Enjoy!\nRate us: {feedback_link}", without);
  g_assert_cmpstr (last, ==, "Enjoy!");
  only = waybill_message_template_render ("{shop_name}: delivered. Rate us: {feedback_link}", without);
  g_assert_cmpstr (only, ==, "Tea & Things: delivered. Rate us: ");
}

static void
test_overrides (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.waybill.Waybill");
  g_autofree char *subject = NULL;
  g_autofree char *body = NULL;
  g_autofree char *back = NULL;
  g_autoptr(GVariant) stored = NULL;

  g_settings_reset (settings, "message-templates");
  waybill_message_template_set (settings, WAYBILL_MESSAGE_EVENT_DELIVERED, "subject", "Arrived: {order_number}");
  waybill_message_template_set (settings, WAYBILL_MESSAGE_EVENT_DELIVERED, "body", "Enjoy!");
  subject = waybill_message_template_get_subject (settings, WAYBILL_MESSAGE_EVENT_DELIVERED);
  body = waybill_message_template_get_body (settings, WAYBILL_MESSAGE_EVENT_DELIVERED);
  g_assert_cmpstr (subject, ==, "Arrived: {order_number}");
  g_assert_cmpstr (body, ==, "Enjoy!");

  /* Setting the default text (or nothing) forgets the override, so the
   * template follows the translation again. */
  waybill_message_template_set (settings, WAYBILL_MESSAGE_EVENT_DELIVERED, "body",
                                waybill_message_template_default_body (WAYBILL_MESSAGE_EVENT_DELIVERED));
  waybill_message_template_set (settings, WAYBILL_MESSAGE_EVENT_DELIVERED, "subject", "");
  stored = g_settings_get_value (settings, "message-templates");
  g_assert_cmpuint (g_variant_n_children (stored), ==, 0);
  back = waybill_message_template_get_subject (settings, WAYBILL_MESSAGE_EVENT_DELIVERED);
  g_assert_cmpstr (back, ==, waybill_message_template_default_subject (WAYBILL_MESSAGE_EVENT_DELIVERED));
}

static void
test_event_for_change (void)
{
  WaybillStatusChange change = { 0 };

  change.from = WAYBILL_STATUS_INFO_RECEIVED;
  change.to = WAYBILL_STATUS_PICKED_UP;
  g_assert_cmpint (waybill_message_event_for_change (&change), ==, WAYBILL_MESSAGE_EVENT_SHIPPED);
  change.from = WAYBILL_STATUS_PICKED_UP;
  change.to = WAYBILL_STATUS_IN_TRANSIT;
  g_assert_cmpint (waybill_message_event_for_change (&change), ==, WAYBILL_MESSAGE_EVENT_INVALID);
  change.to = WAYBILL_STATUS_OUT_FOR_DELIVERY;
  g_assert_cmpint (waybill_message_event_for_change (&change), ==, WAYBILL_MESSAGE_EVENT_OUT_FOR_DELIVERY);
  change.to = WAYBILL_STATUS_DELIVERED;
  g_assert_cmpint (waybill_message_event_for_change (&change), ==, WAYBILL_MESSAGE_EVENT_DELIVERED);
  change.to = WAYBILL_STATUS_EXCEPTION;
  g_assert_cmpint (waybill_message_event_for_change (&change), ==, WAYBILL_MESSAGE_EVENT_EXCEPTION);
  change.to = WAYBILL_STATUS_AVAILABLE_FOR_PICKUP;
  g_assert_cmpint (waybill_message_event_for_change (&change), ==, WAYBILL_MESSAGE_EVENT_READY_FOR_PICKUP);
  change.from = change.to = WAYBILL_STATUS_IN_TRANSIT;
  change.delayed = TRUE;
  g_assert_cmpint (waybill_message_event_for_change (&change), ==, WAYBILL_MESSAGE_EVENT_DELAYED);

  /* The first answer about a new shipment is news to nobody. */
  change.from = WAYBILL_STATUS_PENDING;
  change.to = WAYBILL_STATUS_DELIVERED;
  change.delayed = FALSE;
  change.first_fetch = TRUE;
  g_assert_cmpint (waybill_message_event_for_change (&change), ==, WAYBILL_MESSAGE_EVENT_INVALID);
}

static void
test_compose_mail (void)
{
  g_autoptr(WaybillMailSender) sender = waybill_mail_sender_new ();
  g_autoptr(GDateTime) date = g_date_time_new_utc (2026, 11, 27, 8, 5, 9);
  g_autofree char *text = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *from = NULL;
  g_autofree char *encoding = NULL;
  g_autofree char *decoded = NULL;
  g_autofree char *mailto = NULL;
  g_autoptr(GString) joined = g_string_new (NULL);
  gsize len;

  waybill_mail_sender_set_from (sender, "Thé & Co", "shop@example.com");
  text = waybill_mail_sender_compose (sender, "anna@example.com", "Ihre Bestellung 1042 ist unterwegs — schön",
                                      "Hallo Anna,\nÜbermorgen.\n.\n", date, "id@example.com");

  g_assert_true (g_str_has_prefix (text, "Date: Fri, 27 Nov 2026 08:05:09 +0000\r\n"));
  g_assert_nonnull (strstr (text, "\r\nTo: <anna@example.com>\r\n"));
  g_assert_nonnull (strstr (text, "\r\nMessage-ID: <id@example.com>\r\n"));
  g_assert_nonnull (strstr (text, "\r\nContent-Type: text/plain; charset=UTF-8\r\n"));
  from = smtp_mail_header (text, "From");
  g_assert_true (g_str_has_prefix (from, "=?UTF-8?B?"));
  g_assert_true (g_str_has_suffix (from, "?= <shop@example.com>"));

  /* The subject is encoded words, folded; decoded and joined it is the
   * subject again. */
  subject = smtp_mail_header (text, "Subject");
  g_assert_true (g_str_has_prefix (subject, "=?UTF-8?B?"));
  {
    const char *start = strstr (text, "Subject: ") + strlen ("Subject: ");
    const char *end = strstr (start, "\r\nMessage-ID");
    g_autofree char *header = g_strndup (start, end - start);
    g_auto(GStrv) words = g_strsplit (header, "\r\n ", -1);

    for (guint i = 0; words[i] != NULL; i++)
      {
        g_autofree char *b64 = NULL;
        g_autofree guchar *raw = NULL;

        g_assert_true (g_str_has_prefix (words[i], "=?UTF-8?B?") && g_str_has_suffix (words[i], "?="));
        g_assert_cmpuint (strlen (words[i]), <=, 76);
        b64 = g_strndup (words[i] + 10, strlen (words[i]) - 12);
        raw = g_base64_decode (b64, &len);
        g_string_append_len (joined, (const char *) raw, len);
      }
  }
  g_assert_cmpstr (joined->str, ==, "Ihre Bestellung 1042 ist unterwegs — schön");

  encoding = smtp_mail_header (text, "Content-Transfer-Encoding");
  g_assert_cmpstr (encoding, ==, "base64");
  decoded = smtp_mail_body (text);
  g_assert_cmpstr (decoded, ==, "Hallo Anna,\r\nÜbermorgen.\r\n.\r\n");

  mailto = waybill_mail_sender_mailto_uri ("anna@example.com", "Order 1042 & more", "Hi\nthere");
  g_assert_cmpstr (mailto, ==, "mailto:anna@example.com?subject=Order%201042%20%26%20more&body=Hi%0D%0Athere%0D%0A");
}

/* ---- Contact preference --------------------------------------------------- */

static void
test_contact (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(WaybillOrder) first = add_order (fixture, "1001", "Anna@Example.com", "+44 20 7946 0000");
  g_autoptr(WaybillOrder) second = NULL;
  g_autoptr(WaybillOrder) other = add_order (fixture, "1002", "bob@example.com", NULL);
  g_autoptr(GError) error = NULL;
  WaybillMessageChannel channel;
  WaybillContact contact;
  gboolean remembered;

  g_assert_true (waybill_store_get_contact (fixture->store, waybill_order_get_id (first), &contact, &remembered, &error));
  g_assert_no_error (error);
  g_assert_cmpint (contact, ==, WAYBILL_CONTACT_UNSET);
  /* No choice: email, since there is an address. */
  g_assert_true (waybill_outbox_choose_channel (fixture->outbox, first, &channel, &error));
  g_assert_cmpint (channel, ==, WAYBILL_MESSAGE_CHANNEL_EMAIL);

  g_assert_true (waybill_store_set_contact (fixture->store, waybill_order_get_id (first), WAYBILL_CONTACT_SMS, &error));
  g_assert_no_error (error);
  g_assert_true (waybill_outbox_choose_channel (fixture->outbox, first, &channel, &error));
  g_assert_cmpint (channel, ==, WAYBILL_MESSAGE_CHANNEL_SMS);

  /* Remembered for the address (whatever its case) for later orders. */
  second = add_order (fixture, "1003", " anna@example.COM ", "+44 20 7946 0000");
  g_assert_cmpint (waybill_store_lookup_contact_for_email (fixture->store, "ANNA@example.com", &error), ==,
                   WAYBILL_CONTACT_SMS);
  g_assert_true (waybill_store_get_contact (fixture->store, waybill_order_get_id (second), &contact, &remembered, &error));
  g_assert_cmpint (contact, ==, WAYBILL_CONTACT_SMS);
  g_assert_true (remembered);
  g_assert_true (waybill_store_get_contact (fixture->store, waybill_order_get_id (other), &contact, &remembered, &error));
  g_assert_cmpint (contact, ==, WAYBILL_CONTACT_UNSET);

  /* None: no message, and SMS without a phone number: none either. */
  g_assert_true (waybill_store_set_contact (fixture->store, waybill_order_get_id (other), WAYBILL_CONTACT_NONE, &error));
  g_assert_false (waybill_outbox_choose_channel (fixture->outbox, other, &channel, &error));
  g_assert_no_error (error);
  g_assert_true (waybill_store_set_contact (fixture->store, waybill_order_get_id (other), WAYBILL_CONTACT_SMS, &error));
  g_assert_false (waybill_outbox_choose_channel (fixture->outbox, other, &channel, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (queue (fixture, other, WAYBILL_STATUS_INFO_RECEIVED, WAYBILL_STATUS_PICKED_UP), ==, 0);

  /* An order that is gone. */
  g_assert_false (waybill_store_set_contact (fixture->store, 9999, WAYBILL_CONTACT_EMAIL, &error));
  g_assert_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_NOT_FOUND);
}

/* ---- Email -------------------------------------------------------------- */

static void
test_smtp_send (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(WaybillOrder) order = NULL;
  g_autoptr(WaybillOrder) quiet = NULL;
  g_autoptr(GPtrArray) mails = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *to = NULL;
  g_autofree char *from = NULL;
  g_autofree char *subject = NULL;
  WaybillMessage *message;
  JsonObject *mail;
  const char *raw;

  smtp_sink_start (&fixture->sink, fixture->dir, NULL, NULL, 0);
  use_smtp (fixture);
  order = add_order (fixture, "1042", "anna@example.com", NULL);
  quiet = add_order (fixture, "1043", "carl@example.com", NULL);

  /* Shipped and delivered are on; out for delivery is not. */
  g_assert_cmpuint (queue (fixture, order, WAYBILL_STATUS_INFO_RECEIVED, WAYBILL_STATUS_PICKED_UP), ==, 1);
  g_assert_cmpuint (queue (fixture, quiet, WAYBILL_STATUS_IN_TRANSIT, WAYBILL_STATUS_OUT_FOR_DELIVERY), ==, 0);
  /* The same change again (another pass, another process): once only. */
  g_assert_cmpuint (queue (fixture, order, WAYBILL_STATUS_PENDING, WAYBILL_STATUS_PICKED_UP), ==, 0);

  g_assert_cmpuint (process (fixture, NULL), ==, 1);

  mails = smtp_sink_entries (&fixture->sink, "data");
  g_assert_cmpuint (mails->len, ==, 1);
  mail = g_ptr_array_index (mails, 0);
  g_assert_cmpstr (json_object_get_string_member (mail, "from"), ==, "shop@example.com");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (mail, "to"), 0), ==,
                   "anna@example.com");
  raw = json_object_get_string_member (mail, "data");
  to = smtp_mail_header (raw, "To");
  from = smtp_mail_header (raw, "From");
  subject = smtp_mail_header (raw, "Subject");
  g_assert_cmpstr (to, ==, "<anna@example.com>");
  g_assert_cmpstr (from, ==, "\"Tea & Things\" <shop@example.com>");
  g_assert_cmpstr (subject, ==, "Your order 1042 is on its way");
  g_assert_cmpstr (body_of (raw), ==,
                   "Hello Anna Smith,\r\n\r\n"
                   "Good news: your order 1042 has shipped with DHL Express.\r\n"
                   "Tracking number: 1234567890\r\n"
                   "Follow your parcel: https://www.dhl.com/global-en/home/tracking/tracking-express.html?submit=1&tracking-id=1234567890\r\n"
                   "Expected delivery: not known yet\r\n\r\n"
                   "Thank you for shopping with us,\r\n"
                   "Tea & Things\r\n");

  /* Logged on the order. */
  messages = messages_of (fixture, order);
  g_assert_cmpuint (messages->len, ==, 1);
  message = g_ptr_array_index (messages, 0);
  g_assert_cmpint (message->state, ==, WAYBILL_MESSAGE_STATE_SENT);
  g_assert_cmpint (message->sent_at, ==, T0);
  g_assert_cmpuint (message->attempts, ==, 1);
  g_assert_nonnull (message->provider_id);
  g_assert_true (g_str_has_suffix (message->provider_id, "@example.com"));

  /* Restart: a new store and outbox on the same file; the change is seen
   * again and the outbox runs again: nothing new goes out. */
  g_assert_finalize_object (g_steal_pointer (&fixture->outbox));
  g_clear_object (&fixture->store);
  fixture->store = waybill_store_open (fixture->db_path, &error);
  g_assert_no_error (error);
  new_outbox (fixture);
  g_assert_cmpuint (queue (fixture, order, WAYBILL_STATUS_INFO_RECEIVED, WAYBILL_STATUS_PICKED_UP), ==, 0);
  g_assert_cmpuint (process (fixture, NULL), ==, 0);
  g_clear_pointer (&mails, g_ptr_array_unref);
  mails = smtp_sink_entries (&fixture->sink, "data");
  g_assert_cmpuint (mails->len, ==, 1);

  /* Delivered is another event: one more. */
  g_assert_cmpuint (queue (fixture, order, WAYBILL_STATUS_OUT_FOR_DELIVERY, WAYBILL_STATUS_DELIVERED), ==, 1);
  g_assert_cmpuint (process (fixture, NULL), ==, 1);
  g_clear_pointer (&mails, g_ptr_array_unref);
  mails = smtp_sink_entries (&fixture->sink, "data");
  g_assert_cmpuint (mails->len, ==, 2);
}

/* A delivered parcel: the email asks for feedback at the shop's address,
 * with the order filled in; without an address it does not ask. */
static void
test_smtp_feedback (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(WaybillOrder) order = NULL;
  g_autoptr(WaybillOrder) later = NULL;
  g_autoptr(GPtrArray) mails = NULL;
  g_autofree char *subject = NULL;
  const char *raw;

  smtp_sink_start (&fixture->sink, fixture->dir, NULL, NULL, 0);
  use_smtp (fixture);
  g_settings_set_string (fixture->settings, "feedback-address", "https://tea.example/rate?order={order_number}");
  order = add_order (fixture, "1042", "anna@example.com", NULL);
  g_assert_cmpuint (queue (fixture, order, WAYBILL_STATUS_OUT_FOR_DELIVERY, WAYBILL_STATUS_DELIVERED), ==, 1);
  g_assert_cmpuint (process (fixture, NULL), ==, 1);

  mails = smtp_sink_entries (&fixture->sink, "data");
  g_assert_cmpuint (mails->len, ==, 1);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (g_ptr_array_index (mails, 0), "to"), 0),
                   ==, "anna@example.com");
  raw = json_object_get_string_member (g_ptr_array_index (mails, 0), "data");
  subject = smtp_mail_header (raw, "Subject");
  g_assert_cmpstr (subject, ==, "Your order 1042 was delivered");
  g_assert_cmpstr (body_of (raw), ==,
                   "Hello Anna Smith,\r\n\r\n"
                   "DHL Express has delivered your order 1042. We hope you enjoy it!\r\n"
                   "If anything is wrong, just reply to this message.\r\n"
                   "How did we do? Tell us in a minute: https://tea.example/rate?order=1042\r\n\r\n"
                   "Tea & Things\r\n");

  /* The address taken away: the next order's message does not ask. */
  g_settings_set_string (fixture->settings, "feedback-address", "");
  later = add_order (fixture, "1043", "bob@example.com", NULL);
  g_assert_cmpuint (queue (fixture, later, WAYBILL_STATUS_OUT_FOR_DELIVERY, WAYBILL_STATUS_DELIVERED), ==, 1);
  g_assert_cmpuint (process (fixture, NULL), ==, 1);
  g_clear_pointer (&mails, g_ptr_array_unref);
  mails = smtp_sink_entries (&fixture->sink, "data");
  g_assert_cmpuint (mails->len, ==, 2);
  raw = json_object_get_string_member (g_ptr_array_index (mails, 1), "data");
  g_assert_null (strstr (raw, "How did we do"));
  g_assert_nonnull (strstr (body_of (raw), "If anything is wrong, just reply to this message.\r\n\r\nTea & Things\r\n"));
}

static void
test_smtp_auth (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(WaybillOrder) order = NULL;
  g_autoptr(GPtrArray) auths = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  WaybillMessage *message;

  smtp_sink_start (&fixture->sink, fixture->dir, "shop", "right", 0);
  use_smtp (fixture);
  g_settings_set_string (fixture->settings, "smtp-username", "shop");
  waybill_outbox_set_secrets (fixture->outbox, "wrong", NULL, NULL);
  order = add_order (fixture, "1042", "anna@example.com", NULL);
  g_assert_cmpuint (queue (fixture, order, WAYBILL_STATUS_INFO_RECEIVED, WAYBILL_STATUS_PICKED_UP), ==, 1);

  g_assert_cmpuint (process (fixture, NULL), ==, 0);
  auths = smtp_sink_entries (&fixture->sink, "auth");
  g_assert_cmpuint (auths->len, ==, 1);
  g_assert_false (json_object_get_boolean_member (g_ptr_array_index (auths, 0), "auth"));

  messages = messages_of (fixture, order);
  message = g_ptr_array_index (messages, 0);
  g_assert_cmpint (message->state, ==, WAYBILL_MESSAGE_STATE_QUEUED);
  g_assert_cmpstr (message->last_error, ==,
                   "The mail server refused the user name or password (535); check them in Preferences");
  /* The shop's mistake does not use up the message's attempts. */
  g_assert_cmpuint (message->attempts, ==, 0);

  /* No loop: the channel rests, passes in the meantime try nothing. */
  for (guint i = 0; i < 5; i++)
    {
      g_assert_cmpuint (process (fixture, NULL), ==, 0);
      advance (fixture, 600);
    }
  g_clear_pointer (&auths, g_ptr_array_unref);
  auths = smtp_sink_entries (&fixture->sink, "auth");
  g_assert_cmpuint (auths->len, ==, 1);

  /* After the pause: one more try. */
  advance (fixture, WAYBILL_OUTBOX_AUTH_PAUSE_S);
  g_assert_cmpuint (process (fixture, NULL), ==, 0);
  g_clear_pointer (&auths, g_ptr_array_unref);
  auths = smtp_sink_entries (&fixture->sink, "auth");
  g_assert_cmpuint (auths->len, ==, 2);

  /* The right password (the settings changed) sends it at once. */
  waybill_outbox_set_secrets (fixture->outbox, "right", NULL, NULL);
  g_assert_cmpuint (process (fixture, NULL), ==, 1);
  g_clear_pointer (&messages, g_ptr_array_unref);
  messages = messages_of (fixture, order);
  message = g_ptr_array_index (messages, 0);
  g_assert_cmpint (message->state, ==, WAYBILL_MESSAGE_STATE_SENT);
  g_assert_null (message->last_error);
}

static void
test_smtp_retry (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(WaybillOrder) order = NULL;
  g_autoptr(GPtrArray) refused = NULL;
  g_autoptr(GPtrArray) mails = NULL;
  gint64 expected_next = T0 + WAYBILL_OUTBOX_FIRST_RETRY_S;

  /* The server answers 451 twice, then takes the message. */
  smtp_sink_start (&fixture->sink, fixture->dir, NULL, NULL, 2);
  use_smtp (fixture);
  order = add_order (fixture, "1042", "anna@example.com", NULL);
  g_assert_cmpuint (queue (fixture, order, WAYBILL_STATUS_INFO_RECEIVED, WAYBILL_STATUS_PICKED_UP), ==, 1);

  g_assert_cmpuint (process (fixture, NULL), ==, 0);
  {
    g_autoptr(GPtrArray) messages = messages_of (fixture, order);
    WaybillMessage *message = g_ptr_array_index (messages, 0);

    g_assert_cmpint (message->state, ==, WAYBILL_MESSAGE_STATE_QUEUED);
    g_assert_cmpuint (message->attempts, ==, 1);
    g_assert_cmpint (message->next_attempt, ==, expected_next);
    g_assert_nonnull (strstr (message->last_error, "(451)"));
  }

  /* Not before it is due. */
  advance (fixture, WAYBILL_OUTBOX_FIRST_RETRY_S - 1);
  g_assert_cmpuint (process (fixture, NULL), ==, 0);
  refused = smtp_sink_entries (&fixture->sink, "refused");
  g_assert_cmpuint (refused->len, ==, 1);

  /* Then 60 s after the first, 5 × 60 s after the second. */
  advance (fixture, 1);
  g_assert_cmpuint (process (fixture, NULL), ==, 0);
  {
    g_autoptr(GPtrArray) messages = messages_of (fixture, order);
    WaybillMessage *message = g_ptr_array_index (messages, 0);

    g_assert_cmpuint (message->attempts, ==, 2);
    g_assert_cmpint (message->next_attempt, ==, expected_next + 5 * WAYBILL_OUTBOX_FIRST_RETRY_S);
  }
  advance (fixture, 5 * WAYBILL_OUTBOX_FIRST_RETRY_S);
  g_assert_cmpuint (process (fixture, NULL), ==, 1);
  mails = smtp_sink_entries (&fixture->sink, "data");
  g_assert_cmpuint (mails->len, ==, 1);
  g_clear_pointer (&refused, g_ptr_array_unref);
  refused = smtp_sink_entries (&fixture->sink, "refused");
  g_assert_cmpuint (refused->len, ==, 2);
}

static void
test_smtp_gives_up (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(WaybillOrder) order = NULL;
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  guint port, failed = 0;

  /* A port nobody listens on: connections are refused. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  g_settings_set_string (fixture->settings, "smtp-host", "127.0.0.1");
  g_settings_set_int (fixture->settings, "smtp-port", port);

  order = add_order (fixture, "1042", "anna@example.com", NULL);
  g_assert_cmpuint (queue (fixture, order, WAYBILL_STATUS_INFO_RECEIVED, WAYBILL_STATUS_PICKED_UP), ==, 1);

  for (guint i = 0; i < WAYBILL_OUTBOX_MAX_ATTEMPTS; i++)
    {
      g_assert_cmpuint (process (fixture, &failed), ==, 0);
      advance (fixture, 12 * 3600);
    }
  g_assert_cmpuint (failed, ==, 1);

  {
    g_autoptr(GPtrArray) messages = messages_of (fixture, order);
    WaybillMessage *message = g_ptr_array_index (messages, 0);

    g_assert_cmpint (message->state, ==, WAYBILL_MESSAGE_STATE_FAILED);
    g_assert_cmpuint (message->attempts, ==, WAYBILL_OUTBOX_MAX_ATTEMPTS);
    g_assert_true (g_str_has_prefix (message->last_error, "Could not reach the mail server 127.0.0.1"));
  }

  /* Failed is final. */
  g_assert_cmpuint (process (fixture, &failed), ==, 0);
  g_assert_cmpuint (failed, ==, 0);
}

static void
test_not_configured (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(WaybillOrder) order = add_order (fixture, "1042", "anna@example.com", NULL);
  g_autoptr(GPtrArray) messages = NULL;
  WaybillMessage *message;

  g_assert_cmpuint (queue (fixture, order, WAYBILL_STATUS_INFO_RECEIVED, WAYBILL_STATUS_PICKED_UP), ==, 1);
  g_assert_cmpuint (process (fixture, NULL), ==, 0);
  messages = messages_of (fixture, order);
  message = g_ptr_array_index (messages, 0);
  g_assert_cmpint (message->state, ==, WAYBILL_MESSAGE_STATE_QUEUED);
  g_assert_cmpuint (message->attempts, ==, 0);
  g_assert_true (g_str_has_prefix (message->last_error, "Sending email is not set up"));

  /* Setting it up sends it. */
  smtp_sink_start (&fixture->sink, fixture->dir, NULL, NULL, 0);
  use_smtp (fixture);
  g_assert_cmpuint (process (fixture, NULL), ==, 1);
}

/* Killed between the claim and the mark: the message may have gone out.
 * It is never sent again by itself. */
static void
test_crash_window (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(WaybillOrder) order = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GPtrArray) mails = NULL;
  g_autoptr(GError) error = NULL;
  WaybillMessage *message;
  gboolean claimed = FALSE;

  smtp_sink_start (&fixture->sink, fixture->dir, NULL, NULL, 0);
  use_smtp (fixture);
  order = add_order (fixture, "1042", "anna@example.com", NULL);
  g_assert_cmpuint (queue (fixture, order, WAYBILL_STATUS_INFO_RECEIVED, WAYBILL_STATUS_PICKED_UP), ==, 1);
  messages = messages_of (fixture, order);
  message = g_ptr_array_index (messages, 0);

  /* Another process claims it and dies. */
  {
    g_autoptr(WaybillStore) other = waybill_store_open (fixture->db_path, &error);

    g_assert_no_error (error);
    g_assert_true (waybill_store_claim_message (other, message->id, T0, &claimed, &error));
    g_assert_true (claimed);
  }

  /* While it may still be sending, it is left alone. */
  g_assert_cmpuint (process (fixture, NULL), ==, 0);
  advance (fixture, WAYBILL_OUTBOX_STALE_S + 1);
  g_assert_cmpuint (process (fixture, NULL), ==, 0);
  g_assert_cmpuint (process (fixture, NULL), ==, 0);

  g_clear_pointer (&messages, g_ptr_array_unref);
  messages = messages_of (fixture, order);
  message = g_ptr_array_index (messages, 0);
  g_assert_cmpint (message->state, ==, WAYBILL_MESSAGE_STATE_FAILED);
  g_assert_nonnull (strstr (message->last_error, "may or may not have reached the customer"));
  mails = smtp_sink_entries (&fixture->sink, "data");
  g_assert_cmpuint (mails->len, ==, 0);

  /* And a claim is exclusive. */
  g_assert_true (waybill_store_claim_message (fixture->store, message->id, T0, &claimed, &error));
  g_assert_false (claimed);
}

static void
test_daily_limit (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) mails = NULL;
  g_autoptr(GPtrArray) orders = g_ptr_array_new_with_free_func (g_object_unref);

  smtp_sink_start (&fixture->sink, fixture->dir, NULL, NULL, 0);
  use_smtp (fixture);
  g_settings_set_int (fixture->settings, "message-daily-limit", 2);

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *number = g_strdup_printf ("20%02u", i);
      g_autofree char *email = g_strdup_printf ("c%u@example.com", i);

      g_ptr_array_add (orders, add_order (fixture, number, email, NULL));
      g_assert_cmpuint (queue (fixture, g_ptr_array_index (orders, i),
                               WAYBILL_STATUS_INFO_RECEIVED, WAYBILL_STATUS_PICKED_UP), ==, 1);
    }

  g_assert_cmpuint (process (fixture, NULL), ==, 2);
  {
    g_autoptr(GPtrArray) messages = messages_of (fixture, g_ptr_array_index (orders, 2));
    WaybillMessage *message = g_ptr_array_index (messages, 0);

    g_assert_cmpint (message->state, ==, WAYBILL_MESSAGE_STATE_QUEUED);
    g_assert_cmpstr (message->last_error, ==,
                     "Waiting: the limit of 2 messages a day is reached (see Preferences)");
  }

  advance (fixture, 3600);
  g_assert_cmpuint (process (fixture, NULL), ==, 0);
  /* A day after the first two, the third goes. */
  advance (fixture, 23 * 3600 + 1);
  g_assert_cmpuint (process (fixture, NULL), ==, 1);
  mails = smtp_sink_entries (&fixture->sink, "data");
  g_assert_cmpuint (mails->len, ==, 3);
}

static void
test_manual (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(WaybillOrder) order = NULL;
  g_autoptr(WaybillMessage) message = NULL;
  g_autoptr(WaybillMessage) sent = NULL;
  g_autoptr(WaybillMessage) again = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) mails = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GError) error = NULL;

  smtp_sink_start (&fixture->sink, fixture->dir, NULL, NULL, 0);
  use_smtp (fixture);
  order = add_order (fixture, "1042", "anna@example.com", NULL);

  message = waybill_outbox_compose (fixture->outbox, order, NULL, WAYBILL_MESSAGE_EVENT_DELAYED,
                                    WAYBILL_MESSAGE_CHANNEL_EMAIL);
  g_assert_cmpstr (message->recipient, ==, "anna@example.com");
  g_assert_cmpstr (message->subject, ==, "Your order 1042 is delayed");
  g_free (message->body);
  message->body = g_strdup ("Sorry, one more day.");

  waybill_outbox_send_message_async (fixture->outbox, message, NULL, done_cb, &result);
  sent = waybill_outbox_send_message_finish (fixture->outbox, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (sent->state, ==, WAYBILL_MESSAGE_STATE_SENT);
  g_clear_object (&result);

  /* By hand, the same message may go twice. */
  waybill_outbox_send_message_async (fixture->outbox, message, NULL, done_cb, &result);
  again = waybill_outbox_send_message_finish (fixture->outbox, wait_for (&result), &error);
  g_assert_no_error (error);

  mails = smtp_sink_entries (&fixture->sink, "data");
  g_assert_cmpuint (mails->len, ==, 2);
  g_assert_cmpstr (body_of (json_object_get_string_member (g_ptr_array_index (mails, 0), "data")), ==,
                   "Sorry, one more day.\r\n");
  messages = messages_of (fixture, order);
  g_assert_cmpuint (messages->len, ==, 2);

  /* A bad address is refused before any connection, and said so. */
  g_clear_object (&result);
  g_free (message->recipient);
  message->recipient = g_strdup ("anna@example.com>\r\nRCPT TO:<x@evil.test");
  waybill_outbox_send_message_async (fixture->outbox, message, NULL, done_cb, &result);
  g_assert_null (waybill_outbox_send_message_finish (fixture->outbox, wait_for (&result), &error));
  g_assert_error (error, WAYBILL_MESSAGE_ERROR, WAYBILL_MESSAGE_ERROR_REJECTED);
  g_assert_null (strchr (error->message, '\n'));
  g_clear_pointer (&mails, g_ptr_array_unref);
  mails = smtp_sink_entries (&fixture->sink, "data");
  g_assert_cmpuint (mails->len, ==, 2);

  /* No password in the clear to another machine. */
  {
    g_autoptr(WaybillMailSender) sender = waybill_mail_sender_new ();
    g_autoptr(GAsyncResult) res = NULL;
    g_autoptr(GError) local_error = NULL;

    waybill_mail_sender_set_server (sender, "mail.example.com", 25, WAYBILL_SMTP_SECURITY_NONE);
    waybill_mail_sender_set_login (sender, "shop", "secret");
    waybill_mail_sender_set_from (sender, NULL, "shop@example.com");
    waybill_mail_sender_send_async (sender, "anna@example.com", "Hi", "Hi", NULL, done_cb, &res);
    g_assert_null (waybill_mail_sender_send_finish (sender, wait_for (&res), &local_error));
    g_assert_error (local_error, WAYBILL_MESSAGE_ERROR, WAYBILL_MESSAGE_ERROR_NOT_CONFIGURED);
  }
}

/* ---- SMS ---------------------------------------------------------------- */

static void
use_twilio (Fixture    *fixture,
            const char *token)
{
  fake_twilio_start (&fixture->twilio);
  g_setenv ("WAYBILL_TWILIO_URL", fixture->twilio.url, TRUE);
  new_outbox (fixture);
  g_unsetenv ("WAYBILL_TWILIO_URL");
  g_assert_cmpstr (waybill_sms_sender_get_base_url (waybill_outbox_get_sms_sender (fixture->outbox)), ==,
                   fixture->twilio.url);
  waybill_outbox_set_secrets (fixture->outbox, NULL, FAKE_TWILIO_SID, token);
}

static void
test_sms_send (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(WaybillOrder) order = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GError) error = NULL;
  WaybillMessage *message;
  GHashTable *form;

  use_twilio (fixture, FAKE_TWILIO_TOKEN);
  order = add_order (fixture, "1042", "anna@example.com", "+44 (20) 7946-0000");
  g_assert_true (waybill_store_set_contact (fixture->store, waybill_order_get_id (order), WAYBILL_CONTACT_SMS, &error));

  g_assert_cmpuint (queue (fixture, order, WAYBILL_STATUS_OUT_FOR_DELIVERY, WAYBILL_STATUS_DELIVERED), ==, 1);
  g_assert_cmpuint (process (fixture, NULL), ==, 1);

  g_assert_cmpuint (fixture->twilio.bodies->len, ==, 1);
  form = g_ptr_array_index (fixture->twilio.bodies, 0);
  g_assert_cmpuint (g_hash_table_size (form), ==, 3);
  g_assert_cmpstr (g_hash_table_lookup (form, "To"), ==, "+442079460000");
  g_assert_cmpstr (g_hash_table_lookup (form, "From"), ==, "+15005550006");
  g_assert_cmpstr (g_hash_table_lookup (form, "Body"), ==, "Tea & Things: your order 1042 was delivered. Enjoy!");

  messages = messages_of (fixture, order);
  message = g_ptr_array_index (messages, 0);
  g_assert_cmpint (message->channel, ==, WAYBILL_MESSAGE_CHANNEL_SMS);
  g_assert_cmpint (message->state, ==, WAYBILL_MESSAGE_STATE_SENT);
  g_assert_cmpstr (message->provider_id, ==, "SM00000000000000000000000000000001");

  /* Restart: nothing again. */
  g_assert_finalize_object (g_steal_pointer (&fixture->outbox));
  g_clear_object (&fixture->store);
  fixture->store = waybill_store_open (fixture->db_path, &error);
  g_assert_no_error (error);
  new_outbox (fixture);
  g_assert_cmpuint (queue (fixture, order, WAYBILL_STATUS_OUT_FOR_DELIVERY, WAYBILL_STATUS_DELIVERED), ==, 0);
  g_assert_cmpuint (process (fixture, NULL), ==, 0);
  g_assert_cmpuint (fixture->twilio.requests, ==, 1);
}

static void
test_sms_errors (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(WaybillOrder) order = NULL;
  g_autoptr(WaybillOrder) bad = NULL;
  g_autoptr(GError) error = NULL;

  use_twilio (fixture, "not-the-token");
  order = add_order (fixture, "1042", NULL, "+44 20 7946 0000");
  bad = add_order (fixture, "1043", NULL, "call me maybe");
  g_assert_true (waybill_store_set_contact (fixture->store, waybill_order_get_id (order), WAYBILL_CONTACT_SMS, &error));
  g_assert_true (waybill_store_set_contact (fixture->store, waybill_order_get_id (bad), WAYBILL_CONTACT_SMS, &error));
  g_assert_cmpuint (queue (fixture, order, WAYBILL_STATUS_OUT_FOR_DELIVERY, WAYBILL_STATUS_DELIVERED), ==, 1);

  /* 401 with error 20003: said on the order, one request, no loop. */
  for (guint i = 0; i < 3; i++)
    g_assert_cmpuint (process (fixture, NULL), ==, 0);
  g_assert_cmpuint (fixture->twilio.requests, ==, 1);
  {
    g_autoptr(GPtrArray) messages = messages_of (fixture, order);
    WaybillMessage *message = g_ptr_array_index (messages, 0);

    g_assert_cmpint (message->state, ==, WAYBILL_MESSAGE_STATE_QUEUED);
    g_assert_cmpstr (message->last_error, ==,
                     "Twilio refused the account SID or auth token (error 20003: Authenticate); "
                     "check them in Preferences");
  }

  /* A server error is retried later; a number that is none fails at once. */
  waybill_outbox_set_secrets (fixture->outbox, NULL, FAKE_TWILIO_SID, FAKE_TWILIO_TOKEN);
  fixture->twilio.fail_next = 1;
  g_assert_cmpuint (queue (fixture, bad, WAYBILL_STATUS_OUT_FOR_DELIVERY, WAYBILL_STATUS_DELIVERED), ==, 1);
  g_assert_cmpuint (process (fixture, NULL), ==, 0);
  {
    g_autoptr(GPtrArray) messages = messages_of (fixture, order);
    g_autoptr(GPtrArray) bad_messages = messages_of (fixture, bad);
    WaybillMessage *message = g_ptr_array_index (messages, 0);
    WaybillMessage *bad_message = g_ptr_array_index (bad_messages, 0);

    g_assert_cmpint (message->state, ==, WAYBILL_MESSAGE_STATE_QUEUED);
    g_assert_cmpstr (message->last_error, ==,
                     "Twilio is busy, Waybill tries again later (HTTP 500: Internal Server Error)");
    g_assert_cmpint (bad_message->state, ==, WAYBILL_MESSAGE_STATE_FAILED);
    g_assert_cmpstr (bad_message->last_error, ==,
                     "“call me maybe” is not a phone number in international form (+…)");
  }
  advance (fixture, WAYBILL_OUTBOX_FIRST_RETRY_S);
  g_assert_cmpuint (process (fixture, NULL), ==, 1);
  g_assert_cmpuint (fixture->twilio.bodies->len, ==, 1);
}

static char *
check_account (WaybillSmsSender  *sender,
               GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  waybill_sms_sender_check_account_async (sender, NULL, done_cb, &result);
  return waybill_sms_sender_check_account_finish (sender, wait_for (&result), error);
}

/* Preferences → SMS → Test: the account SID and token checked with
 * Twilio, nothing sent. */
static void
test_sms_check (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(WaybillSmsSender) sender = NULL;
  g_autoptr(WaybillSmsSender) nowhere = NULL;
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *closed_url = NULL;
  guint port;

  fake_twilio_start (&fixture->twilio);
  g_setenv ("WAYBILL_TWILIO_URL", fixture->twilio.url, TRUE);
  sender = waybill_sms_sender_new (NULL);
  g_unsetenv ("WAYBILL_TWILIO_URL");

  /* Right: the account's name. */
  waybill_sms_sender_set_account (sender, " " FAKE_TWILIO_SID " ", FAKE_TWILIO_TOKEN);
  name = check_account (sender, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (name, ==, "Tea & Things");
  g_assert_cmpuint (fixture->twilio.account_requests, ==, 1);

  /* Wrong token: 401, error 20003. */
  waybill_sms_sender_set_account (sender, FAKE_TWILIO_SID, "not-the-token");
  g_assert_null (check_account (sender, &error));
  g_assert_error (error, WAYBILL_MESSAGE_ERROR, WAYBILL_MESSAGE_ERROR_AUTH);
  g_assert_cmpstr (error->message, ==, "Twilio refused the account SID or auth token (error 20003: Authenticate)");
  g_clear_error (&error);

  /* A suspended account cannot send. */
  waybill_sms_sender_set_account (sender, FAKE_TWILIO_SID, FAKE_TWILIO_TOKEN);
  fixture->twilio.account_status = "suspended";
  g_assert_null (check_account (sender, &error));
  g_assert_error (error, WAYBILL_MESSAGE_ERROR, WAYBILL_MESSAGE_ERROR_AUTH);
  g_assert_cmpstr (error->message, ==, "The Twilio account is suspended: it cannot send messages");
  g_clear_error (&error);
  fixture->twilio.account_status = "closed";
  g_assert_null (check_account (sender, &error));
  g_assert_error (error, WAYBILL_MESSAGE_ERROR, WAYBILL_MESSAGE_ERROR_AUTH);
  g_assert_cmpstr (error->message, ==, "The Twilio account cannot send messages (its status is “closed”)");
  g_clear_error (&error);
  fixture->twilio.account_status = NULL;

  /* Something that is not Twilio's answer. */
  fixture->twilio.account_html = TRUE;
  g_assert_null (check_account (sender, &error));
  g_assert_error (error, WAYBILL_MESSAGE_ERROR, WAYBILL_MESSAGE_ERROR_TEMPORARY);
  g_assert_cmpstr (error->message, ==, "Twilio gave an answer Waybill does not understand");
  g_clear_error (&error);
  fixture->twilio.account_html = FALSE;
  g_assert_cmpuint (fixture->twilio.account_requests, ==, 5);

  /* Missing or malformed: said without asking Twilio. */
  waybill_sms_sender_set_account (sender, FAKE_TWILIO_SID, "  ");
  g_assert_null (check_account (sender, &error));
  g_assert_error (error, WAYBILL_MESSAGE_ERROR, WAYBILL_MESSAGE_ERROR_NOT_CONFIGURED);
  g_assert_cmpstr (error->message, ==, "Enter the Twilio account SID and auth token first");
  g_clear_error (&error);
  waybill_sms_sender_set_account (sender, "AC123/../../Messages", FAKE_TWILIO_TOKEN);
  g_assert_null (check_account (sender, &error));
  g_assert_error (error, WAYBILL_MESSAGE_ERROR, WAYBILL_MESSAGE_ERROR_NOT_CONFIGURED);
  g_assert_cmpstr (error->message, ==, "“AC123/../../Messages” is not a Twilio account SID: it starts with AC "
                                       "and has 34 letters and digits (see the Twilio console)");
  g_clear_error (&error);
  g_assert_cmpuint (fixture->twilio.account_requests, ==, 5);
  g_assert_cmpuint (fixture->twilio.requests, ==, 0);

  /* Nobody listening: said in words. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  closed_url = g_strdup_printf ("http://127.0.0.1:%u", port);
  nowhere = waybill_sms_sender_new (closed_url);
  waybill_sms_sender_set_account (nowhere, FAKE_TWILIO_SID, FAKE_TWILIO_TOKEN);
  g_assert_null (check_account (nowhere, &error));
  g_assert_error (error, WAYBILL_MESSAGE_ERROR, WAYBILL_MESSAGE_ERROR_TEMPORARY);
  g_assert_true (g_str_has_prefix (error->message, "Could not reach Twilio: "));
  g_assert_nonnull (strstr (error->message, "refused"));
}

/* The outbox on its own timer: a queued message goes out when the clock
 * says so, and a resting channel does not make the timer spin. */
static void
test_started (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(WaybillOrder) order = NULL;
  g_autoptr(GPtrArray) mails = NULL;
  gint64 deadline;

  smtp_sink_start (&fixture->sink, fixture->dir, NULL, NULL, 1);
  use_smtp (fixture);
  order = add_order (fixture, "1042", "anna@example.com", NULL);
  waybill_outbox_start (fixture->outbox);
  g_assert_cmpuint (queue (fixture, order, WAYBILL_STATUS_INFO_RECEIVED, WAYBILL_STATUS_PICKED_UP), ==, 1);

  /* The first attempt is refused (451); one timer is armed for the retry. */
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (waybill_clock_get_n_timeouts (fixture->clock) == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (waybill_clock_get_n_timeouts (fixture->clock), ==, 1);
  {
    gint64 when = 0;

    g_assert_true (waybill_clock_get_next_deadline (fixture->clock, &when));
    g_assert_cmpint (when, ==, (gint64) (T0 + WAYBILL_OUTBOX_FIRST_RETRY_S) * G_USEC_PER_SEC);
  }

  advance (fixture, WAYBILL_OUTBOX_FIRST_RETRY_S);
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(GPtrArray) messages = messages_of (fixture, order);

      if (((WaybillMessage *) g_ptr_array_index (messages, 0))->state == WAYBILL_MESSAGE_STATE_SENT)
        break;
      g_main_context_iteration (NULL, TRUE);
    }
  /* The pass ends, and arms no timer: nothing is queued. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (waybill_clock_get_n_timeouts (fixture->clock), ==, 0);
  mails = smtp_sink_entries (&fixture->sink, "data");
  g_assert_cmpuint (mails->len, ==, 1);
  waybill_outbox_stop (fixture->outbox);
  g_assert_cmpuint (waybill_clock_get_n_timeouts (fixture->clock), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) \
  g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)

  g_test_add_func ("/waybill/outbox/template/render", test_render);
  g_test_add_func ("/waybill/outbox/template/overrides", test_overrides);
  g_test_add_func ("/waybill/outbox/template/feedback-link", test_feedback_link);
  g_test_add_func ("/waybill/outbox/template/render-feedback", test_render_feedback);
  g_test_add_func ("/waybill/outbox/template/event-for-change", test_event_for_change);
  g_test_add_func ("/waybill/outbox/mail/compose", test_compose_mail);
  ADD ("/waybill/outbox/contact", test_contact);
  ADD ("/waybill/outbox/smtp/send", test_smtp_send);
  ADD ("/waybill/outbox/smtp/feedback", test_smtp_feedback);
  ADD ("/waybill/outbox/smtp/auth", test_smtp_auth);
  ADD ("/waybill/outbox/smtp/retry", test_smtp_retry);
  ADD ("/waybill/outbox/smtp/gives-up", test_smtp_gives_up);
  ADD ("/waybill/outbox/not-configured", test_not_configured);
  ADD ("/waybill/outbox/crash-window", test_crash_window);
  ADD ("/waybill/outbox/daily-limit", test_daily_limit);
  ADD ("/waybill/outbox/manual", test_manual);
  ADD ("/waybill/outbox/sms/send", test_sms_send);
  ADD ("/waybill/outbox/sms/errors", test_sms_errors);
  ADD ("/waybill/outbox/sms/check-account", test_sms_check);
  ADD ("/waybill/outbox/started", test_started);

  return g_test_run ();
}
