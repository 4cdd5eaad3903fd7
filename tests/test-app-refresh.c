/* test-app-refresh.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ui-util.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>

#include "fake-carrier-server.h"
#include "waybill-application.h"
#include "waybill-carrier.h"
#include "waybill-mail-sender.h"
#include "waybill-order-row.h"
#include "waybill-status.h"
#include "waybill-store.h"
#include "waybill-window.h"
#include "smtp-sink-run.h"
#include "test-util.h"

/* The app as it runs (WaybillApplication with its refresher, notifier and
 * window, g_application_run with --data-dir) against the fake UPS API
 * served by this process and python3-dbusmock's notification daemon on
 * run-xvfb.sh's private session bus: Refresh Now records the new status
 * and events, the row and the last check change, a notification is shown,
 * and its "Open Order" button selects the order in the window.
 *
 * And customer messages (issue #9): with the automatic "out for delivery"
 * message on and the mail server set to tests/smtp-sink.py, the same
 * Refresh Now sends the customer exactly one email, the order shows it as
 * sent, and neither a second refresh nor a restart on the same data (where
 * the carrier reports the same change again) sends another. */

#define NUMBER "1Z999AA10123456784"
#define NUMBER_PATH "/api/track/v1/details/" NUMBER

#define NOTIFY_NAME  "org.freedesktop.Notifications"
#define NOTIFY_PATH  "/org/freedesktop/Notifications"
#define NOTIFY_IFACE "org.freedesktop.Notifications"
#define MOCK_IFACE   "org.freedesktop.DBus.Mock"

typedef struct
{
  FakeCarrierServer *server;
  GSubprocess       *mock;
  GDBusConnection   *bus;
  char              *dir;
  gint64             moving_id;
  gint64             parcel_id;
  gint64             other_id;
  gboolean           ran;
  /* Customer messages */
  SmtpSink           sink;
  guint              phase;
  guint              asked_before;
  WaybillWindow     *window;
  GApplication      *app;
} Test;

static GVariant *
call_mock (Test               *test,
           const char         *iface,
           const char         *method,
           GVariant           *args,
           const GVariantType *reply_type,
           GError            **error)
{
  return g_dbus_connection_call_sync (test->bus, NOTIFY_NAME, NOTIFY_PATH, iface, method, args, reply_type,
                                      G_DBUS_CALL_FLAGS_NO_AUTO_START, 2000, NULL, error);
}

static void
start_notification_daemon (Test *test)
{
  g_autofree char *log = g_build_filename (test->dir, "notify.log", NULL);
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  gboolean ready = FALSE;

  test->bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  test->mock = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                                 "/usr/bin/python3", "-m", "dbusmock", "--template", "notification_daemon",
                                 "-l", log, NULL);
  g_assert_no_error (error);

  while (!ready && g_get_monotonic_time () < deadline)
    {
      g_autoptr(GVariant) caps = call_mock (test, NOTIFY_IFACE, "GetCapabilities", NULL,
                                            G_VARIANT_TYPE ("(as)"), NULL);

      ready = caps != NULL;
      if (!ready)
        g_usleep (20 * 1000);
    }
  g_assert_true (ready);
}

/* The Notify calls the daemon received: (summary, actions) each. */
static GPtrArray *
notify_calls (Test *test)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariantIter) iter = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *calls = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  const char *method;
  GVariant *args;
  guint64 timestamp;

  reply = call_mock (test, MOCK_IFACE, "GetCalls", NULL, G_VARIANT_TYPE ("(a(tsav))"), &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(a(tsav))", &iter);
  while (g_variant_iter_next (iter, "(t&s@av)", &timestamp, &method, &args))
    {
      if (g_str_equal (method, "Notify"))
        g_ptr_array_add (calls, args);
      else
        g_variant_unref (args);
    }

  return calls;
}

static char *
call_string (GVariant *args,
             guint     index)
{
  g_autoptr(GVariant) value = NULL;

  g_variant_get_child (args, index, "v", &value);
  return g_variant_dup_string (value, NULL);
}

static gboolean
call_has_action (GVariant   *args,
                 const char *action)
{
  g_autoptr(GVariant) value = NULL;
  g_autofree const char **actions = NULL;

  g_variant_get_child (args, 5, "v", &value);
  actions = g_variant_get_strv (value, NULL);
  for (guint i = 0; actions[i] != NULL; i += 2)
    if (g_str_equal (actions[i], action))
      return TRUE;

  return FALSE;
}

static void
seed (Test *test)
{
  g_autofree char *path = g_build_filename (test->dir, "waybill.db", NULL);
  g_autoptr(WaybillStore) store = NULL;
  g_autoptr(WaybillOrder) moving = waybill_order_new ("A-1042", "Anna Müller");
  g_autoptr(WaybillOrder) other = waybill_order_new ("A-1043", "Bo Berg");
  g_autoptr(WaybillShipment) parcel = waybill_shipment_new ("ups", NUMBER);
  g_autoptr(WaybillShipment) done = waybill_shipment_new ("ups", "1Z999AA10123456795");
  g_autoptr(WaybillTrackingResult) in_transit = waybill_tracking_result_new (WAYBILL_STATUS_IN_TRANSIT);
  g_autoptr(WaybillTrackingResult) delivered = waybill_tracking_result_new (WAYBILL_STATUS_DELIVERED);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) two_days_ago = g_date_time_add_days (now, -2);
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (now, 1);
  g_autoptr(WaybillTrackingEvent) event = NULL;
  g_autoptr(GError) error = NULL;

  store = waybill_store_open (path, &error);
  g_assert_no_error (error);
  waybill_order_set_stage (moving, WAYBILL_STATUS_SHIPPED);
  waybill_order_set_email (moving, "anna@example.com");
  waybill_order_add_shipment (moving, parcel);
  waybill_order_set_stage (other, WAYBILL_STATUS_SHIPPED);
  waybill_order_add_shipment (other, done);
  g_assert_true (waybill_store_create_order (store, moving, &error));
  g_assert_true (waybill_store_create_order (store, other, &error));
  g_assert_no_error (error);
  test->moving_id = waybill_order_get_id (moving);
  test->parcel_id = waybill_shipment_get_id (parcel);
  test->other_id = waybill_order_get_id (other);

  /* Checked before (so a change is news, not a first fetch), and not due
   * again until tomorrow: only Refresh Now asks. */
  event = waybill_tracking_event_new (two_days_ago, WAYBILL_STATUS_IN_TRANSIT, "IT", "On the way",
                                      "Louisville, KY, US");
  waybill_tracking_result_add_event (in_transit, event);
  g_assert_true (waybill_store_record_result (store, waybill_shipment_get_id (parcel), in_transit,
                                              two_days_ago, NULL, &error));
  g_assert_true (waybill_store_schedule_shipment (store, waybill_shipment_get_id (parcel), tomorrow, &error));
  g_assert_true (waybill_store_record_result (store, waybill_shipment_get_id (done), delivered,
                                              two_days_ago, NULL, &error));
  g_assert_no_error (error);
}

static const char *
find_line (const char *text,
           const char *prefix,
           char      **out_line)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  *out_line = NULL;
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      {
        *out_line = g_strdup (lines[i]);
        break;
      }

  return *out_line;
}

/* The text of the list row of an order. */
static char *
row_text (GtkWidget  *root,
          const char *order_number)
{
  GSList *stack = g_slist_prepend (NULL, root);
  char *found = NULL;

  while (stack != NULL)
    {
      GtkWidget *w = stack->data;

      stack = g_slist_delete_link (stack, stack);
      if (found == NULL && WAYBILL_IS_ORDER_ROW (w))
        {
          char *text = widget_text (w);

          if (strstr (text, order_number) != NULL)
            found = text;
          else
            g_free (text);
        }
      for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
        stack = g_slist_prepend (stack, c);
    }
  g_assert_nonnull (found);

  return found;
}

static void
wait_until (gboolean (*done) (Test *), Test *test, guint seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (!done (test) && g_get_monotonic_time () < deadline)
    iterate (20);
}

static gboolean
asked_and_announced (Test *test)
{
  g_autoptr(GPtrArray) calls = NULL;

  if (fake_carrier_server_count (test->server, "/api/track/v1/details/") == 0)
    return FALSE;
  calls = notify_calls (test);
  return calls->len > 0;
}

static void
run_test (GApplication *app,
          Test         *test)
{
  WaybillWindow *window = WAYBILL_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_autofree char *path = g_build_filename (test->dir, "waybill.db", NULL);
  g_autoptr(WaybillStore) store = NULL;
  g_autoptr(WaybillShipment) shipment = NULL;
  g_autoptr(GPtrArray) calls = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *checked_before = NULL;
  g_autofree char *checked_after = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *open_order = NULL;
  const char *out_for_delivery = waybill_status_get_label (WAYBILL_STATUS_OUT_FOR_DELIVERY);
  GtkWidget *detail;
  guint n_events_before;

  test->ran = TRUE;
  g_assert_true (WAYBILL_IS_WINDOW (window));

  /* The application's shortcuts: Ctrl+Q quits, Ctrl+? shows the keyboard
   * shortcuts (GtkApplication's help overlay from gtk/help-overlay.ui). */
  {
    g_auto(GStrv) quit = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.quit");
    g_auto(GStrv) help = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.show-help-overlay");

    g_assert_true (g_strv_contains ((const char * const *) quit, "<Control>q"));
    g_assert_true (g_strv_contains ((const char * const *) help, "<Control>question"));
  }
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  iterate (300);

  /* Before: in transit, checked two days ago, nothing asked yet (nothing
   * was due when the refresher started). */
  store = waybill_store_open (path, &error);
  g_assert_no_error (error);
  shipment = waybill_store_get_shipment (store, test->parcel_id, &error);
  g_assert_no_error (error);
  g_assert_true (waybill_store_load_events (store, shipment, &error));
  n_events_before = waybill_shipment_get_events (shipment)->len;
  g_assert_cmpuint (n_events_before, ==, 1);
  g_assert_cmpuint (fake_carrier_server_count (test->server, "/api/track/v1/details/"), ==, 0);

  waybill_window_show_order_id (window, test->moving_id);
  iterate (100);
  detail = waybill_window_get_detail (window);
  text = row_text (GTK_WIDGET (window), "A-1042");
  g_assert_nonnull (strstr (text, waybill_status_get_label (WAYBILL_STATUS_IN_TRANSIT)));
  g_assert_null (strstr (text, out_for_delivery));
  g_clear_pointer (&text, g_free);
  text = widget_text (detail);
  g_assert_nonnull (find_line (text, "Last checked", &checked_before));
  g_clear_pointer (&text, g_free);

  /* Refresh Now, as Ctrl+R does. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL));
  wait_until (asked_and_announced, test, 15);
  iterate (500);

  /* The store has the new status and the new events. */
  g_clear_object (&shipment);
  shipment = waybill_store_get_shipment (store, test->parcel_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (waybill_shipment_get_status (shipment), ==, WAYBILL_STATUS_OUT_FOR_DELIVERY);
  g_assert_true (waybill_store_load_events (store, shipment, &error));
  g_assert_cmpuint (waybill_shipment_get_events (shipment)->len, >, n_events_before);
  g_assert_cmpuint (fake_carrier_server_count (test->server, "/api/track/v1/details/"), ==, 1);

  /* The window: the row and the detail say out for delivery, and the
   * last check is now. */
  text = row_text (GTK_WIDGET (window), "A-1042");
  g_assert_nonnull (strstr (text, out_for_delivery));
  g_clear_pointer (&text, g_free);
  text = widget_text (detail);
  g_assert_nonnull (find_line (text, "Last checked", &checked_after));
  g_assert_cmpstr (checked_after, !=, checked_before);
  g_clear_pointer (&text, g_free);
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();
    g_autofree char *today = g_date_time_format (now, "%a %-d %b");

    g_assert_nonnull (strstr (checked_after, today));
  }
  {
    GtkWidget *button = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), WAYBILL_TYPE_WINDOW,
                                                                   "refresh_button"));
    const char *tooltip = gtk_widget_get_tooltip_text (button);

    g_assert_nonnull (tooltip);
    g_assert_nonnull (strstr (tooltip, "last checked"));
  }
  save_screenshot (GTK_WIDGET (window), "app-refresh.png");

  /* One notification, with its buttons. */
  calls = notify_calls (test);
  g_assert_cmpuint (calls->len, ==, 1);
  summary = call_string (g_ptr_array_index (calls, 0), 3);
  g_assert_cmpstr (summary, ==, "Order A-1042 is out for delivery");
  open_order = g_strdup_printf ("app.open-order(int64 %" G_GINT64_FORMAT ")", test->moving_id);
  g_assert_true (call_has_action (g_ptr_array_index (calls, 0), open_order));
  g_assert_true (call_has_action (g_ptr_array_index (calls, 0), "app.copy-tracking-number::" NUMBER));

  /* Someone looks at another order, then clicks "Open Order". */
  waybill_window_show_order_id (window, test->other_id);
  iterate (100);
  text = widget_text (detail);
  g_assert_nonnull (strstr (text, "Bo Berg"));
  g_clear_pointer (&text, g_free);
  {
    GVariant *args[] = { g_variant_new_variant (g_variant_new_uint32 (1)),
                         g_variant_new_variant (g_variant_new_string (open_order)) };
    g_autoptr(GVariant) reply = NULL;

    reply = call_mock (test, MOCK_IFACE, "EmitSignal",
                       g_variant_new ("(sss@av)", NOTIFY_IFACE, "ActionInvoked", "us",
                                      g_variant_new_array (G_VARIANT_TYPE_VARIANT, args, 2)),
                       NULL, &error);
    g_assert_no_error (error);
  }
  iterate (500);
  text = widget_text (detail);
  g_assert_nonnull (strstr (text, "Anna Müller"));
  g_assert_null (strstr (text, "Bo Berg"));

  g_application_quit (app);
}

static gboolean
run_test_idle (gpointer user_data)
{
  Test *test = user_data;

  run_test (g_application_get_default (), test);
  return G_SOURCE_REMOVE;
}

static void
activate_cb (GApplication *app,
             Test         *test)
{
  if (!test->ran)
    g_idle_add (run_test_idle, test);
}

static void
test_refresh_now (void)
{
  g_autoptr(WaybillApplication) app = NULL;
  Test test = { 0 };
  char *argv[] = { (char *) "waybill", (char *) "--data-dir", NULL, NULL };
  int status;

  test.dir = test_make_tmp_dir ("app-refresh");
  argv[2] = test.dir;
  test.server = fake_carrier_server_new ();
  fake_carrier_server_setup_env (test.server);
  fake_response_fixture (fake_carrier_server_queue (test.server, NUMBER_PATH, 200), "ups/4-out-for-delivery.json");
  seed (&test);
  start_notification_daemon (&test);

  app = waybill_application_new ();
  g_signal_connect_after (app, "activate", G_CALLBACK (activate_cb), &test);
  status = g_application_run (G_APPLICATION (app), 3, argv);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (test.ran);

  g_subprocess_send_signal (test.mock, SIGTERM);
  g_subprocess_wait (test.mock, NULL, NULL);
  g_clear_object (&test.mock);
  g_clear_object (&test.bus);
  fake_carrier_server_free (test.server);
  remove_tree (test.dir);
  g_free (test.dir);
}

/* ---- Customer messages ---------------------------------------------------- */

/* tests/smtp-sink.py on a free port, and the app's settings pointing at it
 * (GSETTINGS_BACKEND=memory: the app in this process reads them). */
static void
start_sink (Test *test)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.waybill.Waybill");

  smtp_sink_start (&test->sink, test->dir, NULL, NULL, 0);
  g_settings_set_string (settings, "shop-name", "Tea & Things");
  g_settings_set_string (settings, "smtp-host", "127.0.0.1");
  g_settings_set_int (settings, "smtp-port", (int) test->sink.port);
  g_settings_set_enum (settings, "smtp-security", WAYBILL_SMTP_SECURITY_NONE);
  g_settings_set_string (settings, "smtp-from", "shop@example.com");
  g_settings_set_boolean (settings, "message-auto-out-for-delivery", TRUE);
}

/* The messages the sink accepted, as {"from", "to", "data"} objects. */
static GPtrArray *
sink_mails (Test *test)
{
  return smtp_sink_entries (&test->sink, "data");
}

static guint
n_mails (Test *test)
{
  g_autoptr(GPtrArray) mails = sink_mails (test);

  return mails->len;
}

static gboolean
mail_arrived (Test *test)
{
  return n_mails (test) > 0;
}

static gboolean
refresh_answered (Test *test)
{
  return fake_carrier_server_count (test->server, "/api/track/v1/details/") > test->asked_before;
}

/* Refresh Now, and the time for whatever it would set off. */
static void
refresh_now (Test          *test,
             WaybillWindow *window)
{
  test->asked_before = fake_carrier_server_count (test->server, "/api/track/v1/details/");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL));
  wait_until (refresh_answered, test, 15);
  g_assert_true (refresh_answered (test));
  iterate (1500);
}

/* The lines of the order detail that name a message to the customer. */
static guint
count_lines (const char *text,
             const char *prefix)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      n++;

  return n;
}

static gboolean
detail_shows_sent (Test *test)
{
  g_autofree char *text = widget_text (waybill_window_get_detail (test->window));

  return strstr (text, "Sent ") != NULL && strstr (text, " to anna@example.com") != NULL;
}

static GPtrArray *
stored_messages (Test *test)
{
  g_autofree char *path = g_build_filename (test->dir, "waybill.db", NULL);
  g_autoptr(WaybillStore) store = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *messages;

  store = waybill_store_open (path, &error);
  g_assert_no_error (error);
  messages = waybill_store_list_messages (store, test->moving_id, &error);
  g_assert_no_error (error);

  return messages;
}

static void
check_order_shows_one_sent (Test          *test,
                            WaybillWindow *window)
{
  g_autoptr(GPtrArray) messages = stored_messages (test);
  g_autofree char *text = NULL;
  g_autofree char *title = g_strdup_printf ("%s · Email",
                                            waybill_message_event_get_label (WAYBILL_MESSAGE_EVENT_OUT_FOR_DELIVERY));
  WaybillMessage *message;

  g_assert_cmpuint (messages->len, ==, 1);
  message = g_ptr_array_index (messages, 0);
  g_assert_cmpint (message->state, ==, WAYBILL_MESSAGE_STATE_SENT);
  g_assert_cmpint (message->event, ==, WAYBILL_MESSAGE_EVENT_OUT_FOR_DELIVERY);
  g_assert_true (message->automatic);
  g_assert_cmpuint (message->attempts, ==, 1);

  test->window = window;
  waybill_window_show_order_id (window, test->moving_id);
  wait_until (detail_shows_sent, test, 10);
  text = widget_text (waybill_window_get_detail (window));
  g_assert_cmpuint (count_lines (text, title), ==, 1);
  g_assert_cmpuint (count_lines (text, "Sent "), ==, 1);
  g_assert_nonnull (strstr (text, " to anna@example.com"));
  test->window = NULL;
}

static void
run_messages_test (GApplication *app,
                   Test         *test)
{
  WaybillWindow *window = WAYBILL_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));

  test->ran = TRUE;
  g_assert_true (WAYBILL_IS_WINDOW (window));
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  iterate (300);

  if (test->phase == 0)
    {
      g_autoptr(GPtrArray) mails = NULL;
      g_autoptr(GPtrArray) messages = stored_messages (test);
      g_autofree char *to = NULL;
      g_autofree char *from = NULL;
      g_autofree char *subject = NULL;
      g_autofree char *body = NULL;
      g_autofree char *expected = NULL;
      g_autofree char *link = waybill_carrier_get_tracking_url (waybill_carrier_lookup ("ups"), NUMBER);
      JsonObject *mail;
      const char *data;

      /* Nothing sent before the parcel moves. */
      g_assert_cmpuint (messages->len, ==, 0);
      g_assert_cmpuint (n_mails (test), ==, 0);

      /* Refresh Now: out for delivery, and the customer hears of it. */
      test->asked_before = 0;
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL));
      wait_until (mail_arrived, test, 20);
      iterate (1000);

      mails = sink_mails (test);
      g_assert_cmpuint (mails->len, ==, 1);
      mail = g_ptr_array_index (mails, 0);
      g_assert_cmpstr (json_object_get_string_member (mail, "from"), ==, "shop@example.com");
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (mail, "to")), ==, 1);
      g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (mail, "to"), 0), ==,
                       "anna@example.com");
      data = json_object_get_string_member (mail, "data");
      to = smtp_mail_header (data, "To");
      from = smtp_mail_header (data, "From");
      subject = smtp_mail_header (data, "Subject");
      body = smtp_mail_body (data);
      g_assert_cmpstr (to, ==, "<anna@example.com>");
      g_assert_cmpstr (from, ==, "\"Tea & Things\" <shop@example.com>");
      g_assert_cmpstr (subject, ==, "Your order A-1042 arrives today");
      g_assert_nonnull (link);
      expected = g_strdup_printf ("Hello Anna Müller,\r\n\r\n"
                                  "Your order A-1042 is out for delivery with UPS and should arrive today.\r\n"
                                  "Follow your parcel: %s\r\n\r\n"
                                  "Tea & Things\r\n", link);
      g_assert_cmpstr (body, ==, expected);

      check_order_shows_one_sent (test, window);

      /* A second refresh: the same answer, nothing more. */
      refresh_now (test, window);
      g_assert_cmpuint (n_mails (test), ==, 1);
      check_order_shows_one_sent (test, window);
    }
  else
    {
      /* Restarted on the same data: the outbox starts and finds nothing
       * to send; the carrier then takes the parcel back to in transit and
       * out for delivery again, and the customer is not told twice. */
      iterate (1500);
      g_assert_cmpuint (n_mails (test), ==, 1);
      refresh_now (test, window);
      refresh_now (test, window);
      {
        g_autofree char *path = g_build_filename (test->dir, "waybill.db", NULL);
        g_autoptr(WaybillStore) store = NULL;
        g_autoptr(WaybillShipment) shipment = NULL;
        g_autoptr(GError) error = NULL;

        store = waybill_store_open (path, &error);
        g_assert_no_error (error);
        shipment = waybill_store_get_shipment (store, test->parcel_id, &error);
        g_assert_no_error (error);
        g_assert_cmpint (waybill_shipment_get_status (shipment), ==, WAYBILL_STATUS_OUT_FOR_DELIVERY);
      }
      g_assert_cmpuint (n_mails (test), ==, 1);
      check_order_shows_one_sent (test, window);
    }

  /* Quit as closing the last window does, so that nothing of this run
   * is left to the next. */
  gtk_window_destroy (GTK_WINDOW (window));
  g_application_quit (app);
}

static gboolean
run_messages_test_idle (gpointer user_data)
{
  Test *test = user_data;

  run_messages_test (test->app, test);
  return G_SOURCE_REMOVE;
}

static void
messages_activate_cb (GApplication *app,
                      Test         *test)
{
  if (!test->ran)
    g_idle_add (run_messages_test_idle, test);
}

static void
run_app (Test *test)
{
  g_autoptr(WaybillApplication) app = waybill_application_new ();
  char *argv[] = { (char *) "waybill", (char *) "--data-dir", test->dir, NULL };

  test->ran = FALSE;
  test->app = G_APPLICATION (app);
  g_signal_connect_after (app, "activate", G_CALLBACK (messages_activate_cb), test);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 3, argv), ==, 0);
  g_assert_true (test->ran);
  test->app = NULL;
  iterate (100);
  /* Gone, with its bus name, before the next start. */
  g_assert_finalize_object (g_steal_pointer (&app));
}

static void
test_customer_message (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.waybill.Waybill");
  Test test = { 0 };

  test.dir = test_make_tmp_dir ("app-messages");
  test.server = fake_carrier_server_new ();
  fake_carrier_server_setup_env (test.server);
  /* First run: out for delivery, then the same again; after the restart:
   * back in transit, then out for delivery once more. */
  fake_response_fixture (fake_carrier_server_queue (test.server, NUMBER_PATH, 200), "ups/4-out-for-delivery.json");
  fake_response_fixture (fake_carrier_server_queue (test.server, NUMBER_PATH, 200), "ups/4-out-for-delivery.json");
  fake_response_fixture (fake_carrier_server_queue (test.server, NUMBER_PATH, 200), "ups/3-in-transit.json");
  fake_response_fixture (fake_carrier_server_queue (test.server, NUMBER_PATH, 200), "ups/4-out-for-delivery.json");
  seed (&test);
  start_notification_daemon (&test);
  start_sink (&test);

  test.phase = 0;
  run_app (&test);
  test.phase = 1;
  run_app (&test);

  g_assert_cmpuint (fake_carrier_server_pending (test.server, NUMBER_PATH), ==, 0);
  g_assert_cmpuint (n_mails (&test), ==, 1);

  test_reset_message_settings (settings);
  smtp_sink_stop (&test.sink);
  g_subprocess_send_signal (test.mock, SIGTERM);
  g_subprocess_wait (test.mock, NULL, NULL);
  g_clear_object (&test.mock);
  g_clear_object (&test.bus);
  fake_carrier_server_free (test.server);
  remove_tree (test.dir);
  g_free (test.dir);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("TZ", "UTC", TRUE);
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/waybill/app/refresh-now", test_refresh_now);
  g_test_add_func ("/waybill/app/customer-message", test_customer_message);

  return g_test_run ();
}
