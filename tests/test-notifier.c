/* test-notifier.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The notifier against python3-dbusmock's notification_daemon template on
 * a private session bus: what reaches the server, what is not sent, and
 * what the buttons do.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <libnotify/notify.h>
#include <signal.h>
#include <string.h>

#include "waybill-notifier.h"
#include "test-util.h"

#define TEST_APP_ID   "org.example.WaybillTest"
#define TEST_APP_NAME "Waybill Test"

#define NOTIFY_NAME  "org.freedesktop.Notifications"
#define NOTIFY_PATH  "/org/freedesktop/Notifications"
#define NOTIFY_IFACE "org.freedesktop.Notifications"
#define MOCK_IFACE   "org.freedesktop.DBus.Mock"

/* Process-wide: one private bus, one mock server (restarted if a test
 * stopped it), one connection to talk to the mock. */
static GTestDBus       *test_bus;
static GDBusConnection *bus_connection;
static GSubprocess     *mock_daemon;
static char            *log_dir;
static guint            mock_starts;
/* Notify calls the running mock answered before the current test: the
 * mock numbers notifications 1, 2, 3… from its start. */
static guint            notify_base;
/* How many notifier signals the handlers below saw. */
static guint            n_signals;

typedef struct
{
  char            *dir;
  char            *path;
  WaybillStore    *store;
  WaybillNotifier *notifier;
} Fixture;

typedef struct
{
  char     *app_name;
  guint32   replaces_id;
  char     *app_icon;
  char     *summary;
  char     *body;
  GStrv     actions;
  GVariant *hints;
  gint32    timeout;
} NotifyCall;

static void
notify_call_free (NotifyCall *call)
{
  g_free (call->app_name);
  g_free (call->app_icon);
  g_free (call->summary);
  g_free (call->body);
  g_strfreev (call->actions);
  g_clear_pointer (&call->hints, g_variant_unref);
  g_free (call);
}

/* Mock and bus helpers */

static gboolean
name_has_owner (const char *name)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  gboolean has_owner;

  reply = g_dbus_connection_call_sync (bus_connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", name), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, 1000, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(b)", &has_owner);

  return has_owner;
}

static GVariant *
call_mock (const char         *iface,
           const char         *method,
           GVariant           *args,
           const GVariantType *reply_type,
           GError            **error)
{
  return g_dbus_connection_call_sync (bus_connection, NOTIFY_NAME, NOTIFY_PATH, iface, method,
                                      args, reply_type, G_DBUS_CALL_FLAGS_NO_AUTO_START,
                                      2000, NULL, error);
}

static void
start_daemon (void)
{
  g_autofree char *log_file = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline;
  gboolean ready = FALSE;

  g_assert_null (mock_daemon);

  log_file = g_strdup_printf ("%s/notify-%u.log", log_dir, ++mock_starts);
  /* -l: without a log file dbusmock prints the calls on stdout, which
   * would break the TAP output. */
  mock_daemon = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                                  "/usr/bin/python3", "-m", "dbusmock",
                                  "--template", "notification_daemon",
                                  "-l", log_file, NULL);
  g_assert_no_error (error);

  /* The mock owns the name before it has loaded the template: wait for
   * both. */
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!ready && g_get_monotonic_time () < deadline)
    {
      if (name_has_owner (NOTIFY_NAME))
        {
          g_autoptr(GVariant) caps = call_mock (NOTIFY_IFACE, "GetCapabilities", NULL,
                                                G_VARIANT_TYPE ("(as)"), NULL);

          ready = caps != NULL;
        }
      if (!ready)
        g_usleep (10 * 1000);
    }
  g_assert_true (ready);

  notify_base = 0;
}

static void
stop_daemon (void)
{
  g_autoptr(GError) error = NULL;
  gint64 deadline;

  g_assert_nonnull (mock_daemon);

  g_subprocess_send_signal (mock_daemon, SIGTERM);
  g_subprocess_wait (mock_daemon, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&mock_daemon);

  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (name_has_owner (NOTIFY_NAME) && g_get_monotonic_time () < deadline)
    g_usleep (10 * 1000);
  g_assert_false (name_has_owner (NOTIFY_NAME));
}

/* The Notify calls the mock received since the last clear_calls(). */
static GPtrArray *
get_notify_calls (void)
{
  g_autoptr(GPtrArray) calls = g_ptr_array_new_with_free_func ((GDestroyNotify) notify_call_free);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariantIter) iter = NULL;
  g_autoptr(GError) error = NULL;
  const char *method;
  GVariant *args;
  GVariant *value = NULL;
  guint64 timestamp;

  reply = call_mock (MOCK_IFACE, "GetCalls", NULL, G_VARIANT_TYPE ("(a(tsav))"), &error);
  g_assert_no_error (error);

  g_variant_get (reply, "(a(tsav))", &iter);
  while (g_variant_iter_next (iter, "(t&s@av)", &timestamp, &method, &args))
    {
      NotifyCall *call;

      if (!g_str_equal (method, "Notify"))
        {
          g_variant_unref (args);
          continue;
        }

      g_assert_cmpuint (g_variant_n_children (args), ==, 8);
      call = g_new0 (NotifyCall, 1);
      g_variant_get_child (args, 0, "v", &value);
      call->app_name = g_variant_dup_string (value, NULL);
      g_clear_pointer (&value, g_variant_unref);
      g_variant_get_child (args, 1, "v", &value);
      call->replaces_id = g_variant_get_uint32 (value);
      g_clear_pointer (&value, g_variant_unref);
      g_variant_get_child (args, 2, "v", &value);
      call->app_icon = g_variant_dup_string (value, NULL);
      g_clear_pointer (&value, g_variant_unref);
      g_variant_get_child (args, 3, "v", &value);
      call->summary = g_variant_dup_string (value, NULL);
      g_clear_pointer (&value, g_variant_unref);
      g_variant_get_child (args, 4, "v", &value);
      call->body = g_variant_dup_string (value, NULL);
      g_clear_pointer (&value, g_variant_unref);
      g_variant_get_child (args, 5, "v", &value);
      call->actions = g_variant_dup_strv (value, NULL);
      g_clear_pointer (&value, g_variant_unref);
      g_variant_get_child (args, 6, "v", &call->hints);
      g_assert_true (g_variant_is_of_type (call->hints, G_VARIANT_TYPE_VARDICT));
      g_variant_get_child (args, 7, "v", &value);
      call->timeout = g_variant_get_int32 (value);
      g_clear_pointer (&value, g_variant_unref);
      g_ptr_array_add (calls, call);
      g_variant_unref (args);
    }

  return g_steal_pointer (&calls);
}

static void
clear_calls (void)
{
  g_autoptr(GPtrArray) calls = get_notify_calls ();
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  notify_base += calls->len;
  reply = call_mock (MOCK_IFACE, "ClearCalls", NULL, NULL, &error);
  g_assert_no_error (error);
}

/* The id the mock gave to the n-th notification of this test. */
static guint32
notification_id (guint n)
{
  return notify_base + n + 1;
}

/* The server says a button was clicked. */
static void
invoke_action (guint32     id,
               const char *action)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  GVariant *args[] = { g_variant_new_variant (g_variant_new_uint32 (id)),
                       g_variant_new_variant (g_variant_new_string (action)) };

  reply = call_mock (MOCK_IFACE, "EmitSignal",
                     g_variant_new ("(sss@av)", NOTIFY_IFACE, "ActionInvoked", "us",
                                    g_variant_new_array (G_VARIANT_TYPE_VARIANT, args, 2)),
                     NULL, &error);
  g_assert_no_error (error);
}

/* Runs the main loop until a notifier signal arrives, for a while. */
static void
wait_for_signal (void)
{
  gint64 deadline = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
  guint before = n_signals;

  while (n_signals == before && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
}

/* Reading a call */

static const char *
action_label (NotifyCall *call,
              const char *key)
{
  guint n = g_strv_length (call->actions);

  g_assert_cmpuint (n % 2, ==, 0);
  for (guint i = 0; i < n; i += 2)
    if (g_str_equal (call->actions[i], key))
      return call->actions[i + 1];

  return NULL;
}

static int
hint_urgency (NotifyCall *call)
{
  guchar urgency;

  if (!g_variant_lookup (call->hints, "urgency", "y", &urgency))
    return -1;

  return urgency;
}

static char *
hint_string (NotifyCall *call,
             const char *key)
{
  char *value = NULL;

  if (!g_variant_lookup (call->hints, key, "s", &value))
    return NULL;

  return value;
}

/* libnotify sends the icon as the app icon, or, from 0.8.4 on, as the
 * image-path hint. */
static char *
call_icon (NotifyCall *call)
{
  char *icon;

  if (call->app_icon[0] != '\0')
    return g_strdup (call->app_icon);
  if ((icon = hint_string (call, "image-path")) != NULL)
    return icon;

  return hint_string (call, "image_path");
}

/* Fixture */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  if (mock_daemon == NULL)
    start_daemon ();
  clear_calls ();

  fixture->dir = test_make_tmp_dir ("notifier");
  fixture->path = g_build_filename (fixture->dir, "waybill.db", NULL);
  fixture->store = test_open_store (fixture->path);
  fixture->notifier = waybill_notifier_new (fixture->store, TEST_APP_ID, TEST_APP_NAME);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->notifier);
  g_assert_finalize_object (fixture->store);
  remove_tree (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

/* An order with one shipment, stored, so that its ids are real. */
static WaybillOrder *
add_order (Fixture    *fixture,
           const char *number,
           const char *carrier,
           const char *tracking)
{
  g_autoptr(WaybillOrder) order = waybill_order_new (number, "Anna Müller");
  g_autoptr(WaybillShipment) shipment = waybill_shipment_new (carrier, tracking);
  g_autoptr(GError) error = NULL;

  waybill_order_set_stage (order, WAYBILL_STATUS_SHIPPED);
  waybill_order_add_shipment (order, shipment);
  waybill_store_create_order (fixture->store, order, &error);
  g_assert_no_error (error);
  g_assert_cmpint (waybill_shipment_get_id (shipment), >, 0);

  return g_steal_pointer (&order);
}

static WaybillStatusChange *
change_for (WaybillOrder  *order,
            WaybillStatus  from,
            WaybillStatus  to)
{
  WaybillShipment *shipment = waybill_order_get_primary_shipment (order);

  waybill_shipment_set_status (shipment, to);
  return waybill_status_change_new_for_shipment (order, shipment, from);
}

static GPtrArray *
changes_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) waybill_status_change_free);
}

static void
announce (Fixture   *fixture,
          GPtrArray *changes)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (waybill_notifier_announce (fixture->notifier, changes, &error));
  g_assert_no_error (error);
}

static void
announce_one (Fixture             *fixture,
              WaybillStatusChange *change)
{
  g_autoptr(GPtrArray) changes = changes_new ();

  g_ptr_array_add (changes, change);
  announce (fixture, changes);
}

/* Tests */

static void
test_status_change (void)
{
  g_autoptr(WaybillOrder) order = waybill_order_new ("1042", "Anna Müller");
  g_autoptr(WaybillShipment) shipment = waybill_shipment_new ("dhl", "00340434161094042557");
  g_autoptr(GDateTime) early = g_date_time_new_utc (2024, 12, 1, 8, 0, 0);
  g_autoptr(GDateTime) late = g_date_time_new_utc (2024, 12, 2, 9, 30, 0);
  g_autoptr(GDateTime) eta = g_date_time_new_utc (2024, 12, 3, 12, 0, 0);
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(WaybillStatusChange) change = NULL;
  g_autoptr(WaybillStatusChange) copy = NULL;

  waybill_order_set_id (order, 7);
  waybill_shipment_set_id (shipment, 11);
  waybill_shipment_set_status (shipment, WAYBILL_STATUS_EXCEPTION);
  waybill_shipment_set_exception_reason (shipment, WAYBILL_EXCEPTION_CUSTOMS);
  waybill_shipment_set_estimated_to (shipment, eta);
  /* The newest event with a location wins, whatever the order. */
  g_ptr_array_add (events, waybill_tracking_event_new (late, WAYBILL_STATUS_IN_TRANSIT, "", "Arrived", "Leipzig"));
  g_ptr_array_add (events, waybill_tracking_event_new (early, WAYBILL_STATUS_PICKED_UP, "", "Picked up", "Bonn"));
  waybill_shipment_set_events (shipment, events);
  waybill_order_add_shipment (order, shipment);

  change = waybill_status_change_new_for_shipment (order, shipment, WAYBILL_STATUS_IN_TRANSIT);
  g_assert_cmpint (change->order_id, ==, 7);
  g_assert_cmpstr (change->order_number, ==, "1042");
  g_assert_cmpint (change->shipment_id, ==, 11);
  g_assert_cmpstr (change->carrier, ==, "dhl");
  g_assert_cmpstr (change->tracking_number, ==, "00340434161094042557");
  g_assert_cmpint (change->from, ==, WAYBILL_STATUS_IN_TRANSIT);
  g_assert_cmpint (change->to, ==, WAYBILL_STATUS_EXCEPTION);
  g_assert_cmpint (change->exception_reason, ==, WAYBILL_EXCEPTION_CUSTOMS);
  g_assert_cmpstr (change->location, ==, "Leipzig");
  g_assert_true (change->estimated_delivery != NULL && g_date_time_equal (change->estimated_delivery, eta));
  g_assert_false (change->first_fetch);
  g_assert_false (change->delayed);
  g_assert_false (waybill_status_change_is_delay_only (change));

  copy = waybill_status_change_copy (change);
  g_assert_true (copy->order_number != change->order_number);
  g_assert_cmpstr (copy->order_number, ==, "1042");
  g_assert_cmpstr (copy->location, ==, "Leipzig");
  g_assert_true (copy->estimated_delivery == change->estimated_delivery);
  g_assert_cmpint (copy->to, ==, WAYBILL_STATUS_EXCEPTION);

  copy->from = copy->to;
  g_assert_false (waybill_status_change_is_delay_only (copy));
  copy->delayed = TRUE;
  g_assert_true (waybill_status_change_is_delay_only (copy));

  g_assert_true (g_type_is_a (WAYBILL_TYPE_STATUS_CHANGE, G_TYPE_BOXED));
}

static void
test_single (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(WaybillOrder) order = add_order (fixture, "1042", "ups", "1Z999AA10123456784");
  g_autoptr(GDateTime) eta = g_date_time_new_utc (2024, 12, 3, 12, 5, 0);
  g_autoptr(GPtrArray) calls = NULL;
  g_autofree char *open_order = NULL;
  g_autofree char *copy = NULL;
  g_autofree char *icon = NULL;
  g_autofree char *desktop_entry = NULL;
  WaybillStatusChange *change;
  NotifyCall *call;

  change = change_for (order, WAYBILL_STATUS_IN_TRANSIT, WAYBILL_STATUS_OUT_FOR_DELIVERY);
  change->location = g_strdup ("Leipzig <Hub> & Co");
  change->estimated_delivery = g_date_time_ref (eta);
  announce_one (fixture, change);

  calls = get_notify_calls ();
  g_assert_cmpuint (calls->len, ==, 1);
  call = g_ptr_array_index (calls, 0);

  g_assert_cmpstr (call->app_name, ==, TEST_APP_NAME);
  g_assert_cmpuint (call->replaces_id, ==, 0);
  g_assert_cmpstr (call->summary, ==, "Order 1042 is out for delivery");
  /* The carrier's name, not its id; markup escaped, as the server reads
   * markup; the time in the user's zone (UTC+2 here). */
  g_assert_cmpstr (call->body, ==,
                   "UPS 1Z999AA10123456784\n"
                   "Location: Leipzig &lt;Hub&gt; &amp; Co\n"
                   "Expected Tue 3 Dec, 14:05");

  icon = call_icon (call);
  g_assert_cmpstr (icon, ==, TEST_APP_ID);
  desktop_entry = hint_string (call, "desktop-entry");
  g_assert_cmpstr (desktop_entry, ==, TEST_APP_ID);
  g_assert_cmpint (hint_urgency (call), ==, NOTIFY_URGENCY_NORMAL);

  open_order = g_strdup_printf ("app.open-order(int64 %" G_GINT64_FORMAT ")", waybill_order_get_id (order));
  copy = g_strdup ("app.copy-tracking-number::1Z999AA10123456784");
  g_assert_cmpstr (action_label (call, open_order), ==, "Open Order");
  g_assert_cmpstr (action_label (call, copy), ==, "Copy Tracking Number");
  g_assert_nonnull (action_label (call, "default"));
  g_assert_cmpuint (g_strv_length (call->actions), ==, 6);
}

static void
test_statuses (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(WaybillOrder) customs = add_order (fixture, "2001", "dhl-express", "00340434161094042557");
  g_autoptr(WaybillOrder) failed = add_order (fixture, "2002", "fedex", "123456789012");
  g_autoptr(WaybillOrder) late = add_order (fixture, "2003", "acme-parcels", "AC123");
  g_autoptr(WaybillOrder) delivered = add_order (fixture, "#2004", "ups", "1Z999AA10123456784");
  g_autoptr(GDateTime) eta = g_date_time_new_utc (2024, 12, 1, 7, 0, 0);
  g_autoptr(GPtrArray) changes = changes_new ();
  g_autoptr(GPtrArray) calls = NULL;
  WaybillStatusChange *change;
  NotifyCall *call;

  change = change_for (customs, WAYBILL_STATUS_IN_TRANSIT, WAYBILL_STATUS_EXCEPTION);
  change->exception_reason = WAYBILL_EXCEPTION_CUSTOMS;
  g_ptr_array_add (changes, change);
  g_ptr_array_add (changes, change_for (failed, WAYBILL_STATUS_OUT_FOR_DELIVERY, WAYBILL_STATUS_FAILED_ATTEMPT));
  change = change_for (late, WAYBILL_STATUS_IN_TRANSIT, WAYBILL_STATUS_IN_TRANSIT);
  change->delayed = TRUE;
  change->estimated_delivery = g_date_time_ref (eta);
  g_ptr_array_add (changes, change);
  announce (fixture, changes);

  calls = get_notify_calls ();
  g_assert_cmpuint (calls->len, ==, 3);

  call = g_ptr_array_index (calls, 0);
  g_assert_cmpstr (call->summary, ==, "Order 2001 has a problem: held in customs");
  g_assert_cmpstr (call->body, ==, "DHL Express 00340434161094042557");
  g_assert_cmpint (hint_urgency (call), ==, NOTIFY_URGENCY_CRITICAL);

  call = g_ptr_array_index (calls, 1);
  g_assert_cmpstr (call->summary, ==, "Order 2002: delivery attempt failed");
  g_assert_cmpint (hint_urgency (call), ==, NOTIFY_URGENCY_CRITICAL);

  /* A delay alone; an unknown carrier id is shown as is. */
  call = g_ptr_array_index (calls, 2);
  g_assert_cmpstr (call->summary, ==, "Order 2003 is delayed");
  g_assert_cmpstr (call->body, ==, "acme-parcels AC123\nWas expected Sun 1 Dec, 09:00");
  g_assert_cmpint (hint_urgency (call), ==, NOTIFY_URGENCY_CRITICAL);
  g_clear_pointer (&calls, g_ptr_array_unref);
  clear_calls ();

  /* Delivered: normal urgency, no estimate any more. */
  change = change_for (delivered, WAYBILL_STATUS_OUT_FOR_DELIVERY, WAYBILL_STATUS_DELIVERED);
  change->estimated_delivery = g_date_time_ref (eta);
  announce_one (fixture, change);
  calls = get_notify_calls ();
  g_assert_cmpuint (calls->len, ==, 1);
  call = g_ptr_array_index (calls, 0);
  g_assert_cmpstr (call->summary, ==, "Order #2004 was delivered");
  g_assert_cmpstr (call->body, ==, "UPS 1Z999AA10123456784");
  g_assert_cmpint (hint_urgency (call), ==, NOTIFY_URGENCY_NORMAL);
}

static void
order_ids_cb (WaybillNotifier  *notifier,
              GArray           *ids,
              GArray          **out)
{
  g_assert_null (*out);
  *out = g_array_ref (ids);
  n_signals++;
}

static void
test_summary (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) orders = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) changes = changes_new ();
  g_autoptr(GPtrArray) calls = NULL;
  g_autoptr(GArray) shown = NULL;
  g_autofree char *desktop_entry = NULL;
  WaybillStatusChange *change;
  NotifyCall *call;

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *number = g_strdup_printf ("30%02u", i);
      g_autofree char *tracking = g_strdup_printf ("1Z999AA1012345678%u", i);

      g_ptr_array_add (orders, add_order (fixture, number, "ups", tracking));
    }

  /* Exactly three: one notification each. */
  for (guint i = 0; i < 3; i++)
    g_ptr_array_add (changes, change_for (g_ptr_array_index (orders, i),
                                          WAYBILL_STATUS_IN_TRANSIT, WAYBILL_STATUS_OUT_FOR_DELIVERY));
  announce (fixture, changes);
  calls = get_notify_calls ();
  g_assert_cmpuint (calls->len, ==, 3);
  g_clear_pointer (&calls, g_ptr_array_unref);
  g_ptr_array_set_size (changes, 0);
  clear_calls ();

  /* Five: one summary. */
  for (guint i = 0; i < 5; i++)
    g_ptr_array_add (changes, change_for (g_ptr_array_index (orders, i),
                                          WAYBILL_STATUS_OUT_FOR_DELIVERY, WAYBILL_STATUS_DELIVERED));
  change = g_ptr_array_index (changes, 4);
  change->to = WAYBILL_STATUS_EXCEPTION;
  announce (fixture, changes);

  calls = get_notify_calls ();
  g_assert_cmpuint (calls->len, ==, 1);
  call = g_ptr_array_index (calls, 0);
  g_assert_cmpstr (call->summary, ==, "5 orders changed status");
  g_assert_cmpstr (call->body, ==,
                   "Order 3000 was delivered\n"
                   "Order 3001 was delivered\n"
                   "Order 3002 was delivered\n"
                   "and 2 more");
  g_assert_cmpstr (action_label (call, "app.show-orders"), ==, "Show Orders");
  g_assert_nonnull (action_label (call, "default"));
  g_assert_cmpuint (g_strv_length (call->actions), ==, 4);
  /* One of them has a problem. */
  g_assert_cmpint (hint_urgency (call), ==, NOTIFY_URGENCY_CRITICAL);
  desktop_entry = hint_string (call, "desktop-entry");
  g_assert_cmpstr (desktop_entry, ==, TEST_APP_ID);

  /* Its button lists the orders. */
  g_signal_connect (fixture->notifier, "show-orders", G_CALLBACK (order_ids_cb), &shown);
  invoke_action (notification_id (0), "app.show-orders");
  wait_for_signal ();
  g_assert_nonnull (shown);
  g_assert_cmpuint (shown->len, ==, 5);
  for (guint i = 0; i < 5; i++)
    g_assert_cmpint (g_array_index (shown, gint64, i), ==,
                     waybill_order_get_id (g_ptr_array_index (orders, i)));
}

static void
test_summary_counts_orders (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(WaybillOrder) first = add_order (fixture, "4001", "ups", "1Z999AA10123456780");
  g_autoptr(WaybillOrder) second = add_order (fixture, "4002", "ups", "1Z999AA10123456781");
  g_autoptr(GPtrArray) changes = changes_new ();
  g_autoptr(GPtrArray) calls = NULL;
  g_autoptr(GError) error = NULL;
  NotifyCall *call;

  /* Two more parcels for each order. */
  for (guint i = 0; i < 2; i++)
    {
      WaybillOrder *order = i == 0 ? first : second;

      for (guint j = 0; j < 2; j++)
        {
          g_autofree char *tracking = g_strdup_printf ("JD0000000000%u%u", i, j);
          g_autoptr(WaybillShipment) shipment = waybill_shipment_new ("dhl", tracking);
          WaybillStatusChange *change;

          waybill_store_add_shipment (fixture->store, waybill_order_get_id (order), shipment, &error);
          g_assert_no_error (error);
          waybill_shipment_set_status (shipment, WAYBILL_STATUS_DELIVERED);
          change = waybill_status_change_new_for_shipment (order, shipment, WAYBILL_STATUS_IN_TRANSIT);
          g_ptr_array_add (changes, change);
        }
    }
  announce (fixture, changes);

  calls = get_notify_calls ();
  g_assert_cmpuint (calls->len, ==, 1);
  call = g_ptr_array_index (calls, 0);
  g_assert_cmpstr (call->summary, ==, "2 orders changed status");
  g_assert_cmpint (hint_urgency (call), ==, NOTIFY_URGENCY_NORMAL);
}

static void
open_order_cb (WaybillNotifier *notifier,
               gint64           order_id,
               gint64          *out)
{
  *out = order_id;
  n_signals++;
}

static void
copy_cb (WaybillNotifier  *notifier,
         const char       *number,
         char            **out)
{
  g_free (*out);
  *out = g_strdup (number);
  n_signals++;
}

static void
test_actions (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(WaybillOrder) order = add_order (fixture, "5001", "ups", "1Z999AA10123456784");
  g_autoptr(GPtrArray) calls = NULL;
  g_autofree char *open_order = NULL;
  g_autofree char *copied = NULL;
  gint64 opened = 0;
  gint64 id = waybill_order_get_id (order);

  g_signal_connect (fixture->notifier, "open-order", G_CALLBACK (open_order_cb), &opened);
  g_signal_connect (fixture->notifier, "copy-tracking-number", G_CALLBACK (copy_cb), &copied);

  announce_one (fixture, change_for (order, WAYBILL_STATUS_IN_TRANSIT, WAYBILL_STATUS_OUT_FOR_DELIVERY));
  calls = get_notify_calls ();
  g_assert_cmpuint (calls->len, ==, 1);

  open_order = g_strdup_printf ("app.open-order(int64 %" G_GINT64_FORMAT ")", id);
  invoke_action (notification_id (0), open_order);
  wait_for_signal ();
  g_assert_cmpint (opened, ==, id);

  invoke_action (notification_id (0), "app.copy-tracking-number::1Z999AA10123456784");
  wait_for_signal ();
  g_assert_cmpstr (copied, ==, "1Z999AA10123456784");

  /* Clicking the notification itself opens the order. */
  opened = 0;
  invoke_action (notification_id (0), "default");
  wait_for_signal ();
  g_assert_cmpint (opened, ==, id);
}

static void
test_no_repeat_after_restart (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(WaybillOrder) order = add_order (fixture, "6001", "ups", "1Z999AA10123456784");
  g_autoptr(GPtrArray) calls = NULL;
  WaybillStatusChange *change;

  change = change_for (order, WAYBILL_STATUS_IN_TRANSIT, WAYBILL_STATUS_OUT_FOR_DELIVERY);
  announce_one (fixture, waybill_status_change_copy (change));
  calls = get_notify_calls ();
  g_assert_cmpuint (calls->len, ==, 1);
  g_clear_pointer (&calls, g_ptr_array_unref);

  /* Again in the same run. */
  announce_one (fixture, waybill_status_change_copy (change));
  calls = get_notify_calls ();
  g_assert_cmpuint (calls->len, ==, 1);
  g_clear_pointer (&calls, g_ptr_array_unref);

  /* "Restart": a new store on the same file and a new notifier. */
  g_assert_finalize_object (fixture->notifier);
  g_assert_finalize_object (fixture->store);
  fixture->store = test_open_store (fixture->path);
  fixture->notifier = waybill_notifier_new (fixture->store, TEST_APP_ID, TEST_APP_NAME);

  announce_one (fixture, change);
  calls = get_notify_calls ();
  g_assert_cmpuint (calls->len, ==, 1);
  g_clear_pointer (&calls, g_ptr_array_unref);

  /* The next change of the same parcel is news. */
  announce_one (fixture, change_for (order, WAYBILL_STATUS_OUT_FOR_DELIVERY, WAYBILL_STATUS_DELIVERED));
  calls = get_notify_calls ();
  g_assert_cmpuint (calls->len, ==, 2);
  g_assert_cmpstr (((NotifyCall *) g_ptr_array_index (calls, 1))->summary, ==, "Order 6001 was delivered");
}

/* The carrier says @status now: recorded in the store as the refresher
 * does, and the change it makes handed to the notifier. */
static void
record_and_announce (Fixture       *fixture,
                     WaybillOrder  *order,
                     WaybillStatus  status)
{
  WaybillShipment *shipment = waybill_order_get_primary_shipment (order);
  gint64 id = waybill_shipment_get_id (shipment);
  g_autoptr(WaybillTrackingResult) result = waybill_tracking_result_new (status);
  g_autoptr(WaybillShipment) stored = NULL;
  g_autoptr(GError) error = NULL;
  WaybillStatus previous = WAYBILL_STATUS_INVALID;

  g_assert_true (waybill_store_record_result (fixture->store, id, result, NULL, &previous, &error));
  g_assert_no_error (error);
  stored = waybill_store_get_shipment (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (waybill_shipment_get_status (stored), ==, status);

  announce_one (fixture, waybill_status_change_new_for_shipment (order, stored, previous));
}

static void
reopen (Fixture *fixture)
{
  g_assert_finalize_object (fixture->notifier);
  g_assert_finalize_object (fixture->store);
  fixture->store = test_open_store (fixture->path);
  fixture->notifier = waybill_notifier_new (fixture->store, TEST_APP_ID, TEST_APP_NAME);
}

/* Out for delivery, a failed attempt, out for delivery again: three real
 * changes, three popups; none of them again after a restart. */
static void
test_status_comes_back (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(WaybillOrder) order = add_order (fixture, "6101", "ups", "1Z999AA10123456784");
  g_autoptr(GPtrArray) calls = NULL;
  WaybillShipment *shipment = waybill_order_get_primary_shipment (order);
  g_autoptr(WaybillShipment) stored = NULL;
  WaybillStatusChange *last;

  record_and_announce (fixture, order, WAYBILL_STATUS_IN_TRANSIT);
  clear_calls ();

  record_and_announce (fixture, order, WAYBILL_STATUS_OUT_FOR_DELIVERY);
  record_and_announce (fixture, order, WAYBILL_STATUS_FAILED_ATTEMPT);
  /* The same answer again changes nothing, and says nothing. */
  record_and_announce (fixture, order, WAYBILL_STATUS_FAILED_ATTEMPT);
  record_and_announce (fixture, order, WAYBILL_STATUS_OUT_FOR_DELIVERY);

  calls = get_notify_calls ();
  g_assert_cmpuint (calls->len, ==, 3);
  g_assert_cmpstr (((NotifyCall *) g_ptr_array_index (calls, 0))->summary, ==,
                   "Order 6101 is out for delivery");
  g_assert_cmpstr (((NotifyCall *) g_ptr_array_index (calls, 2))->summary, ==,
                   "Order 6101 is out for delivery");
  g_clear_pointer (&calls, g_ptr_array_unref);

  /* The last change handed over again, in this run and after a restart
   * (a crash after the record): nothing more. */
  stored = waybill_store_get_shipment (fixture->store, waybill_shipment_get_id (shipment), NULL);
  last = waybill_status_change_new_for_shipment (order, stored, WAYBILL_STATUS_FAILED_ATTEMPT);
  announce_one (fixture, waybill_status_change_copy (last));
  reopen (fixture);
  announce_one (fixture, waybill_status_change_copy (last));
  calls = get_notify_calls ();
  g_assert_cmpuint (calls->len, ==, 3);
  g_clear_pointer (&calls, g_ptr_array_unref);

  /* A failed attempt again after the restart is a new change. */
  record_and_announce (fixture, order, WAYBILL_STATUS_FAILED_ATTEMPT);
  calls = get_notify_calls ();
  g_assert_cmpuint (calls->len, ==, 4);
  waybill_status_change_free (last);
}

static void
test_first_fetch (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(WaybillOrder) order = add_order (fixture, "7001", "ups", "1Z999AA10123456784");
  g_autoptr(GPtrArray) calls = NULL;
  WaybillStatusChange *change;

  change = change_for (order, WAYBILL_STATUS_PENDING, WAYBILL_STATUS_OUT_FOR_DELIVERY);
  change->first_fetch = TRUE;
  announce_one (fixture, change);
  calls = get_notify_calls ();
  g_assert_cmpuint (calls->len, ==, 0);
  g_clear_pointer (&calls, g_ptr_array_unref);

  /* It was not recorded either: a later real change to the same status
   * is announced. */
  announce_one (fixture, change_for (order, WAYBILL_STATUS_IN_TRANSIT, WAYBILL_STATUS_OUT_FOR_DELIVERY));
  calls = get_notify_calls ();
  g_assert_cmpuint (calls->len, ==, 1);
}

static void
test_disabled (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(WaybillOrder) order = add_order (fixture, "8001", "ups", "1Z999AA10123456784");
  g_autoptr(GPtrArray) calls = NULL;
  WaybillStatusChange *change;

  g_assert_true (waybill_notifier_get_enabled (fixture->notifier, WAYBILL_STATUS_OUT_FOR_DELIVERY));
  waybill_notifier_set_enabled (fixture->notifier, WAYBILL_STATUS_OUT_FOR_DELIVERY, FALSE);
  g_assert_false (waybill_notifier_get_enabled (fixture->notifier, WAYBILL_STATUS_OUT_FOR_DELIVERY));
  announce_one (fixture, change_for (order, WAYBILL_STATUS_IN_TRANSIT, WAYBILL_STATUS_OUT_FOR_DELIVERY));

  /* Off by default. */
  g_assert_false (waybill_notifier_get_enabled (fixture->notifier, WAYBILL_STATUS_IN_TRANSIT));
  announce_one (fixture, change_for (order, WAYBILL_STATUS_PICKED_UP, WAYBILL_STATUS_IN_TRANSIT));

  waybill_notifier_set_delay_enabled (fixture->notifier, FALSE);
  change = change_for (order, WAYBILL_STATUS_IN_TRANSIT, WAYBILL_STATUS_IN_TRANSIT);
  change->delayed = TRUE;
  announce_one (fixture, change);

  waybill_notifier_set_active (fixture->notifier, FALSE);
  announce_one (fixture, change_for (order, WAYBILL_STATUS_IN_TRANSIT, WAYBILL_STATUS_DELIVERED));

  calls = get_notify_calls ();
  g_assert_cmpuint (calls->len, ==, 0);
  g_clear_pointer (&calls, g_ptr_array_unref);

  /* Switched on again, the same changes are news: nothing was recorded. */
  waybill_notifier_set_active (fixture->notifier, TRUE);
  waybill_notifier_set_enabled (fixture->notifier, WAYBILL_STATUS_OUT_FOR_DELIVERY, TRUE);
  waybill_notifier_set_enabled (fixture->notifier, WAYBILL_STATUS_IN_TRANSIT, TRUE);
  announce_one (fixture, change_for (order, WAYBILL_STATUS_IN_TRANSIT, WAYBILL_STATUS_OUT_FOR_DELIVERY));
  announce_one (fixture, change_for (order, WAYBILL_STATUS_PICKED_UP, WAYBILL_STATUS_IN_TRANSIT));
  calls = get_notify_calls ();
  g_assert_cmpuint (calls->len, ==, 2);
  g_assert_cmpstr (((NotifyCall *) g_ptr_array_index (calls, 1))->summary, ==, "Order 8001 is on its way");
}

static void
test_settings (Fixture       *fixture,
               gconstpointer  data)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(WaybillOrder) order = add_order (fixture, "9001", "ups", "1Z999AA10123456784");
  g_autoptr(GPtrArray) calls = NULL;
  g_auto(GStrv) keys = NULL;
  guint n_status_keys = 0;

  /* The test environment points GSETTINGS_SCHEMA_DIR at the build. */
  g_assert_nonnull (source);
  schema = g_settings_schema_source_lookup (source, APP_ID_BASE, TRUE);
  g_assert_nonnull (schema);
  settings = g_settings_new_full (schema, NULL, NULL);

  /* The notifier's own defaults are the schema's. */
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GSettingsSchemaKey) key = NULL;
      g_autoptr(GVariant) value = NULL;
      g_autofree char *id = NULL;
      WaybillStatus status;

      if (!g_str_has_prefix (keys[i], "notify-") ||
          g_str_equal (keys[i], "notify-status-changes") ||
          g_str_equal (keys[i], "notify-delayed"))
        continue;

      id = g_strdelimit (g_strdup (keys[i] + strlen ("notify-")), "-", '_');
      status = waybill_status_from_id (id);
      g_assert_cmpint (status, !=, WAYBILL_STATUS_INVALID);
      key = g_settings_schema_get_key (schema, keys[i]);
      value = g_settings_schema_key_get_default_value (key);
      g_assert_cmpint (g_variant_get_boolean (value), ==,
                       waybill_notifier_get_enabled (fixture->notifier, status));
      n_status_keys++;
    }
  g_assert_cmpuint (n_status_keys, ==, 10);
  g_assert_true (waybill_notifier_get_delay_enabled (fixture->notifier));
  g_assert_true (g_settings_get_boolean (settings, "notify-delayed"));

  waybill_notifier_bind_settings (fixture->notifier, settings);

  g_settings_set_boolean (settings, "notify-delivered", FALSE);
  g_assert_false (waybill_notifier_get_enabled (fixture->notifier, WAYBILL_STATUS_DELIVERED));
  announce_one (fixture, change_for (order, WAYBILL_STATUS_OUT_FOR_DELIVERY, WAYBILL_STATUS_DELIVERED));
  calls = get_notify_calls ();
  g_assert_cmpuint (calls->len, ==, 0);
  g_clear_pointer (&calls, g_ptr_array_unref);

  g_settings_set_boolean (settings, "notify-in-transit", TRUE);
  g_assert_true (waybill_notifier_get_enabled (fixture->notifier, WAYBILL_STATUS_IN_TRANSIT));
  g_settings_set_boolean (settings, "notify-delayed", FALSE);
  g_assert_false (waybill_notifier_get_delay_enabled (fixture->notifier));
  g_settings_set_boolean (settings, "notify-status-changes", FALSE);
  g_assert_false (waybill_notifier_get_active (fixture->notifier));
  g_settings_set_boolean (settings, "notify-status-changes", TRUE);
  g_assert_true (waybill_notifier_get_active (fixture->notifier));

  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);
  g_assert_true (waybill_notifier_get_enabled (fixture->notifier, WAYBILL_STATUS_DELIVERED));
}

static void
count_messages_cb (const char     *log_domain,
                   GLogLevelFlags  log_level,
                   const char     *message,
                   gpointer        user_data)
{
  GPtrArray *messages = user_data;

  g_ptr_array_add (messages, g_strdup (message));
}

static void
test_no_daemon (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(WaybillOrder) first = add_order (fixture, "9101", "ups", "1Z999AA10123456780");
  g_autoptr(WaybillOrder) second = add_order (fixture, "9102", "ups", "1Z999AA10123456781");
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) changes = changes_new ();
  g_autoptr(GError) error = NULL;
  gboolean was_new = TRUE;
  gint64 start;
  guint handler;

  stop_daemon ();
  /* Let libnotify see the server go. */
  while (g_main_context_iteration (NULL, FALSE))
    ;

  handler = g_log_set_handler ("waybill-notifier", G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_WARNING,
                               count_messages_cb, messages);

  start = g_get_monotonic_time ();
  g_ptr_array_add (changes, change_for (first, WAYBILL_STATUS_IN_TRANSIT, WAYBILL_STATUS_OUT_FOR_DELIVERY));
  g_ptr_array_add (changes, change_for (second, WAYBILL_STATUS_IN_TRANSIT, WAYBILL_STATUS_OUT_FOR_DELIVERY));
  announce (fixture, changes);
  announce_one (fixture, change_for (first, WAYBILL_STATUS_OUT_FOR_DELIVERY, WAYBILL_STATUS_DELIVERED));
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);

  g_log_remove_handler ("waybill-notifier", handler);

  /* Logged once for the three changes. */
  g_assert_cmpuint (messages->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (messages, 0), "notification"));

  /* The changes count as announced: never shown twice, even late. */
  waybill_store_mark_announced (fixture->store, waybill_shipment_get_id (waybill_order_get_primary_shipment (second)),
                                WAYBILL_STATUS_OUT_FOR_DELIVERY, &was_new, &error);
  g_assert_no_error (error);
  g_assert_false (was_new);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  /* Local times in a zone that is not UTC, to see they are converted. */
  g_setenv ("TZ", "XST-2", TRUE);

  g_test_init (&argc, &argv, NULL);

  test_bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (test_bus);
  bus_connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  log_dir = g_dir_make_tmp ("waybill-notify-log-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/waybill/notifier/status-change", test_status_change);
  g_test_add ("/waybill/notifier/single", Fixture, NULL, fixture_set_up, test_single, fixture_tear_down);
  g_test_add ("/waybill/notifier/statuses", Fixture, NULL, fixture_set_up, test_statuses, fixture_tear_down);
  g_test_add ("/waybill/notifier/summary", Fixture, NULL, fixture_set_up, test_summary, fixture_tear_down);
  g_test_add ("/waybill/notifier/summary-counts-orders", Fixture, NULL, fixture_set_up,
              test_summary_counts_orders, fixture_tear_down);
  g_test_add ("/waybill/notifier/actions", Fixture, NULL, fixture_set_up, test_actions, fixture_tear_down);
  g_test_add ("/waybill/notifier/no-repeat-after-restart", Fixture, NULL, fixture_set_up,
              test_no_repeat_after_restart, fixture_tear_down);
  g_test_add ("/waybill/notifier/status-comes-back", Fixture, NULL, fixture_set_up,
              test_status_comes_back, fixture_tear_down);
  g_test_add ("/waybill/notifier/first-fetch", Fixture, NULL, fixture_set_up, test_first_fetch, fixture_tear_down);
  g_test_add ("/waybill/notifier/disabled", Fixture, NULL, fixture_set_up, test_disabled, fixture_tear_down);
  g_test_add ("/waybill/notifier/settings", Fixture, NULL, fixture_set_up, test_settings, fixture_tear_down);
  /* Last: it stops the server (a later test would start it again). */
  g_test_add ("/waybill/notifier/no-daemon", Fixture, NULL, fixture_set_up, test_no_daemon, fixture_tear_down);

  status = g_test_run ();

  /* libnotify holds the bus connection until it is uninitialised. */
  notify_uninit ();
  if (mock_daemon != NULL)
    stop_daemon ();
  g_clear_object (&bus_connection);
  g_test_dbus_down (test_bus);
  g_clear_object (&test_bus);
  remove_tree (log_dir);
  g_free (log_dir);

  return status;
}
