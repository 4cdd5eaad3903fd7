/* test-cli-refresh.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "fake-carrier-server.h"
#include "waybill-paths.h"
#include "waybill-store.h"
#include "smtp-sink-run.h"
#include "test-util.h"

/* `waybill refresh` as cron runs it: the real binary (WAYBILL_BINARY) on a
 * private data folder, its tracking APIs pointed at the fake carrier
 * server, which runs in this process: the main loop turns while the binary
 * runs (g_subprocess_communicate_async()). */

#define UPS_PATH "/api/track/v1/details/"
#define DHL_PATH "/track/shipments"

/* One shipment per API: the real clock paces each API (UPS: 2 requests a
 * second), and no run should wait for it. */
#define UPS_A "1Z999AA10123456784"
#define DHL_C "00340434161094042557"

typedef struct
{
  char              *dir;
  char              *path;
  WaybillStore      *store;
  FakeCarrierServer *server;
} Fixture;

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

typedef struct
{
  gboolean  done;
  GBytes   *out;
  GBytes   *err;
  GError   *error;
} Communicate;

static void
communicate_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Communicate *communicate = user_data;

  g_subprocess_communicate_finish (G_SUBPROCESS (source), result, &communicate->out,
                                   &communicate->err, &communicate->error);
  communicate->done = TRUE;
}

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;

  return G_SOURCE_REMOVE;
}

static char *
bytes_to_string (GBytes *bytes)
{
  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    return g_strdup ("");

  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
waybill (Run     *run,
         Fixture *f,
         ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *binary = g_getenv ("WAYBILL_BINARY");
  Communicate communicate = { 0 };
  gboolean timed_out = FALSE;
  const char *arg;
  guint timeout_id;
  va_list ap;

  g_assert_nonnull (binary);
  g_ptr_array_add (args, (char *) binary);
  g_ptr_array_add (args, (char *) "refresh");
  va_start (ap, f);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, (char *) "--data-dir");
  g_ptr_array_add (args, f->dir);
  g_ptr_array_add (args, NULL);

  process = g_subprocess_newv ((const char * const *) args->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);

  g_subprocess_communicate_async (process, NULL, NULL, communicate_cb, &communicate);
  timeout_id = g_timeout_add_seconds (20, timeout_cb, &timed_out);
  while (!communicate.done && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (timeout_id);
  g_assert_no_error (communicate.error);

  run->out = bytes_to_string (communicate.out);
  run->err = bytes_to_string (communicate.err);
  g_clear_pointer (&communicate.out, g_bytes_unref);
  g_clear_pointer (&communicate.err, g_bytes_unref);
  run->status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
}

static JsonObject *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));

  return json_object_ref (json_node_get_object (root));
}

static void
assert_one_error_line (Run        *run,
                       const char *text)
{
  g_assert_cmpint (run->status, ==, 1);
  g_assert_true (g_str_has_prefix (run->err, "waybill refresh: "));
  g_assert_true (g_str_has_suffix (run->err, "\n"));
  g_assert_true (strchr (run->err, '\n') == run->err + strlen (run->err) - 1);
  g_assert_nonnull (strstr (run->err, text));
  g_assert_cmpstr (run->out, ==, "");
}

static gint64
count_announced (Fixture    *f,
                 const char *status)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 count;

  g_assert_cmpint (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM notifications WHERE status = ?",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, status, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return count;
}

static void
add_order (Fixture    *f,
           const char *order_number,
           const char *carrier,
           const char *tracking_number)
{
  g_autoptr(WaybillOrder) order = waybill_order_new (order_number, "Grace Hopper");
  g_autoptr(WaybillShipment) shipment = waybill_shipment_new (carrier, tracking_number);
  g_autoptr(GError) error = NULL;

  waybill_order_add_shipment (order, shipment);
  waybill_store_create_order (f->store, order, &error);
  g_assert_no_error (error);
}

static WaybillStatus
status_of (Fixture    *f,
           const char *tracking_number)
{
  g_autoptr(WaybillOrder) order = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *shipments;

  order = waybill_store_find_by_tracking (f->store, tracking_number, &error);
  g_assert_no_error (error);
  g_assert_nonnull (order);
  shipments = waybill_order_get_shipments (order);
  g_assert_cmpuint (shipments->len, ==, 1);

  return waybill_shipment_get_status (g_ptr_array_index (shipments, 0));
}

static void
queue_ups (Fixture    *f,
           const char *number,
           const char *fixture)
{
  g_autofree char *path = g_strconcat (UPS_PATH, number, NULL);

  fake_response_fixture (fake_carrier_server_queue (f->server, path, 200), fixture);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->server = fake_carrier_server_new ();
  fake_carrier_server_setup_env (f->server);

  f->dir = test_make_tmp_dir ("cli-refresh");
  f->path = waybill_paths_get_database_path (f->dir);
  f->store = test_open_store (f->path);

  add_order (f, "1001", "ups", UPS_A);
  add_order (f, "1003", "dhl-parcel-de", DHL_C);
  /* No API for it: not asked. */
  add_order (f, "1004", "bike-courier", "BIKE-0042");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_finalize_object (f->store);
  g_assert_cmpuint (fake_carrier_server_get_n_unexpected (f->server), ==, 0);
  fake_carrier_server_free (f->server);
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static JsonObject *
member_at (JsonObject *object,
           const char *array,
           guint       index)
{
  JsonArray *items = json_object_get_array_member (object, array);

  g_assert_nonnull (items);
  g_assert_cmpuint (index, <, json_array_get_length (items));

  return json_array_get_object_element (items, index);
}

static guint
length_of (JsonObject *object,
           const char *array)
{
  JsonArray *items = json_object_get_array_member (object, array);

  g_assert_nonnull (items);

  return json_array_get_length (items);
}

static void
test_json (Fixture       *f,
           gconstpointer  data)
{
  g_auto(Run) first = { 0 };
  g_auto(Run) again = { 0 };
  g_auto(Run) all = { 0 };
  g_autoptr(JsonObject) report = NULL;
  JsonObject *item;

  queue_ups (f, UPS_A, "ups/3-in-transit.json");
  fake_response_fixture (fake_carrier_server_queue (f->server, DHL_PATH, 404),
                         "dhl/error-404.json");

  waybill (&first, f, "--json", "--quiet", NULL);
  g_assert_cmpint (first.status, ==, 0);
  g_assert_cmpstr (first.err, ==, "");
  report = parse (first.out);
  g_assert_cmpint (json_object_get_int_member (report, "checked"), ==, 2);

  g_assert_cmpuint (length_of (report, "changed"), ==, 1);
  item = member_at (report, "changed", 0);
  g_assert_cmpuint (json_object_get_size (item), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (item, "order_number"), ==, "1001");
  g_assert_cmpstr (json_object_get_string_member (item, "tracking_number"), ==, UPS_A);
  g_assert_cmpstr (json_object_get_string_member (item, "from"), ==, "pending");
  g_assert_cmpstr (json_object_get_string_member (item, "to"), ==, "in_transit");
  /* The real clock is long past the fixtures' estimated delivery. */
  g_assert_cmpuint (length_of (report, "delayed"), ==, 1);
  item = member_at (report, "delayed", 0);
  g_assert_cmpstr (json_object_get_string_member (item, "tracking_number"), ==, UPS_A);
  g_assert_cmpstr (json_object_get_string_member (item, "status"), ==, "in_transit");

  g_assert_cmpuint (length_of (report, "errors"), ==, 1);
  item = member_at (report, "errors", 0);
  g_assert_cmpuint (json_object_get_size (item), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (item, "tracking_number"), ==, DHL_C);
  g_assert_cmpstr (json_object_get_string_member (item, "kind"), ==, "not_found");
  g_assert_nonnull (strstr (json_object_get_string_member (item, "message"), "DHL"));
  fake_assert_no_secret (first.out);

  g_assert_cmpint (status_of (f, UPS_A), ==, WAYBILL_STATUS_IN_TRANSIT);
  g_assert_cmpint (status_of (f, DHL_C), ==, WAYBILL_STATUS_PENDING);

  /* At once again: nothing is due yet. */
  waybill (&again, f, "--json", "--quiet", NULL);
  g_assert_cmpint (again.status, ==, 0);
  g_clear_pointer (&report, json_object_unref);
  report = parse (again.out);
  g_assert_cmpint (json_object_get_int_member (report, "checked"), ==, 0);
  g_assert_cmpuint (length_of (report, "changed"), ==, 0);
  g_assert_cmpuint (length_of (report, "errors"), ==, 0);
  g_assert_cmpuint (fake_carrier_server_get_n_requests (f->server), ==, 3);

  /* --all asks every active one. */
  queue_ups (f, UPS_A, "ups/4-out-for-delivery.json");
  fake_response_fixture (fake_carrier_server_queue (f->server, DHL_PATH, 200),
                         "dhl/paket-5-delivered.json");
  waybill (&all, f, "--all", "--json", "--quiet", NULL);
  g_assert_cmpint (all.status, ==, 0);
  g_clear_pointer (&report, json_object_unref);
  report = parse (all.out);
  g_assert_cmpint (json_object_get_int_member (report, "checked"), ==, 2);
  g_assert_cmpuint (length_of (report, "changed"), ==, 2);
  g_assert_cmpuint (length_of (report, "errors"), ==, 0);
  g_assert_cmpint (status_of (f, UPS_A), ==, WAYBILL_STATUS_OUT_FOR_DELIVERY);
  g_assert_cmpint (status_of (f, DHL_C), ==, WAYBILL_STATUS_DELIVERED);

  /* --quiet: recorded, never announced. */
  g_assert_cmpint (count_announced (f, "out_for_delivery"), ==, 0);
  g_assert_cmpint (count_announced (f, "delivered"), ==, 0);
}

static void
test_announce (Fixture       *f,
               gconstpointer  data)
{
  g_auto(Run) first = { 0 };
  g_auto(Run) second = { 0 };

  queue_ups (f, UPS_A, "ups/3-in-transit.json");
  fake_response_fixture (fake_carrier_server_queue (f->server, DHL_PATH, 200),
                         "dhl/paket-3-in-transit.json");

  /* Human output, first answers: recorded, not announced (no news). */
  waybill (&first, f, NULL);
  g_assert_cmpint (first.status, ==, 0);
  g_assert_nonnull (strstr (first.out, "Checked 2 shipments.\n"));
  /* Late, too: the real clock is long past the fixtures' estimates. */
  g_assert_nonnull (strstr (first.out, "Order 1001: UPS " UPS_A " is now In Transit (was Pending) and late\n"));
  g_assert_nonnull (strstr (first.out, "Order 1003: DHL Paket " DHL_C " is now In Transit (was Pending) and late\n"));
  g_assert_cmpint (count_announced (f, "in_transit"), ==, 0);
  g_assert_cmpint (count_announced (f, "delayed"), ==, 0);

  /* Later changes are announced, though there is no notification server
   * at all: not an error. */
  queue_ups (f, UPS_A, "ups/4-out-for-delivery.json");
  fake_response_fixture (fake_carrier_server_queue (f->server, DHL_PATH, 200),
                         "dhl/paket-5-delivered.json");
  waybill (&second, f, "--all", NULL);
  g_assert_cmpint (second.status, ==, 0);
  g_assert_nonnull (strstr (second.out, "Order 1001: UPS " UPS_A " is now Out for Delivery (was In Transit)\n"));
  g_assert_nonnull (strstr (second.out, "Order 1003: DHL Paket " DHL_C " is now Delivered (was In Transit)\n"));
  g_assert_null (strstr (second.out, "Could not check"));
  g_assert_cmpint (count_announced (f, "out_for_delivery"), ==, 1);
  g_assert_cmpint (count_announced (f, "delivered"), ==, 1);
}

/* Messages on, for `waybill refresh`: the settings (in a key file,
 * GSETTINGS_BACKEND=keyfile) send email about out for delivery and
 * delivered through @sink, and order 1001 has an email address (1003 has
 * none: nobody to tell). */
static void
start_messages (Fixture  *f,
                SmtpSink *sink)
{
  g_autoptr(WaybillOrder) order = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *config = g_build_filename (f->dir, "config", NULL);
  g_autofree char *settings_dir = g_build_filename (config, "glib-2.0", "settings", NULL);
  g_autofree char *keyfile = g_build_filename (settings_dir, "keyfile", NULL);
  g_autofree char *settings = NULL;

  g_assert_cmpint (g_mkdir_with_parents (settings_dir, 0700), ==, 0);
  settings = g_strdup_printf ("[io/github/waybill/Waybill]\n"
                              "message-auto-out-for-delivery=true\n"
                              "message-auto-delivered=true\n"
                              "shop-name='Tea & Things'\n"
                              "smtp-host='127.0.0.1'\n"
                              "smtp-port=%u\n"
                              "smtp-security='none'\n"
                              "smtp-from='shop@example.com'\n", sink->port);
  g_assert_true (g_file_set_contents (keyfile, settings, -1, NULL));

  order = waybill_store_find_order (f->store, "1001", &error);
  g_assert_no_error (error);
  waybill_order_set_email (order, "grace@example.com");
  g_assert_true (waybill_store_update_order (f->store, order, &error));

  g_setenv ("GSETTINGS_BACKEND", "keyfile", TRUE);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
}

static void
stop_messages (SmtpSink *sink)
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_unsetenv ("XDG_CONFIG_HOME");
  smtp_sink_stop (sink);
}

/* Customer messages (issue #9): a headless refresh queues the message of
 * each change the settings send automatically, and sends it through the
 * shop's mail server (tests/smtp-sink.py here).  The settings reach the
 * binary through a key file (GSETTINGS_BACKEND=keyfile). */
static void
test_messages (Fixture       *f,
               gconstpointer  data)
{
  g_auto(Run) first = { 0 };
  g_auto(Run) second = { 0 };
  g_auto(Run) third = { 0 };
  SmtpSink sink = { 0 };
  g_autoptr(JsonObject) report = NULL;
  g_autofree char *mail = NULL;
  JsonObject *messages;

  smtp_sink_start (&sink, f->dir, NULL, NULL, 0);
  start_messages (f, &sink);

  /* First answers are no news: no message. */
  queue_ups (f, UPS_A, "ups/3-in-transit.json");
  fake_response_fixture (fake_carrier_server_queue (f->server, DHL_PATH, 200),
                         "dhl/paket-3-in-transit.json");
  waybill (&first, f, "--quiet", NULL);
  g_assert_cmpint (first.status, ==, 0);
  g_assert_null (strstr (first.out, "message"));

  queue_ups (f, UPS_A, "ups/4-out-for-delivery.json");
  fake_response_fixture (fake_carrier_server_queue (f->server, DHL_PATH, 200),
                         "dhl/paket-5-delivered.json");
  waybill (&second, f, "--all", "--quiet", "--json", NULL);
  if (second.status != 0)
    g_printerr ("%s\n", second.err);
  g_assert_cmpint (second.status, ==, 0);
  report = parse (second.out);
  messages = json_object_get_object_member (report, "messages");
  g_assert_nonnull (messages);
  g_assert_cmpint (json_object_get_int_member (messages, "queued"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (messages, "sent"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (messages, "failed"), ==, 0);

  g_assert_true (g_file_get_contents (sink.log_path, &mail, NULL, NULL));
  g_assert_nonnull (strstr (mail, "\"to\": [\"grace@example.com\"]"));
  g_assert_nonnull (strstr (mail, "Subject: Your order 1001 arrives today\\r\\n"));
  g_assert_nonnull (strstr (mail, "From: \\\"Tea & Things\\\" <shop@example.com>"));
  g_assert_null (strstr (strstr (mail, "\"data\"") + 1, "\"data\""));

  /* The same answers again: nothing new to say, nothing sent twice. */
  queue_ups (f, UPS_A, "ups/4-out-for-delivery.json");
  waybill (&third, f, "--all", "--quiet", NULL);
  g_assert_cmpint (third.status, ==, 0);
  g_assert_null (strstr (third.out, "message"));
  g_clear_pointer (&mail, g_free);
  g_assert_true (g_file_get_contents (sink.log_path, &mail, NULL, NULL));
  g_assert_null (strstr (strstr (mail, "\"data\"") + 1, "\"data\""));

  stop_messages (&sink);
}

static char *
message_state (Fixture *f)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *state = NULL;

  g_assert_cmpint (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT group_concat (state) FROM messages", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  state = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return state;
}

/* Killed while the mail server holds the message (it may have taken it):
 * the message stays claimed, and the next run does not send it again. */
static void
test_messages_killed (Fixture       *f,
                      gconstpointer  data)
{
  g_auto(Run) first = { 0 };
  g_auto(Run) again = { 0 };
  SmtpSink sink = { 0 };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *state = NULL;
  const char *binary = g_getenv ("WAYBILL_BINARY");
  gint64 deadline;

  smtp_sink_start_stalled (&sink, f->dir);
  start_messages (f, &sink);

  queue_ups (f, UPS_A, "ups/3-in-transit.json");
  fake_response_fixture (fake_carrier_server_queue (f->server, DHL_PATH, 200), "dhl/paket-3-in-transit.json");
  waybill (&first, f, "--quiet", NULL);
  g_assert_cmpint (first.status, ==, 0);

  /* The change to out for delivery queues a message; the server takes it
   * and hangs; the process is killed there. */
  queue_ups (f, UPS_A, "ups/4-out-for-delivery.json");
  fake_response_fixture (fake_carrier_server_queue (f->server, DHL_PATH, 200), "dhl/paket-3-in-transit.json");
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                              binary, "refresh", "--all", "--quiet", "--data-dir", f->dir, NULL);
  g_assert_no_error (error);
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_clear_pointer (&text, g_free);
      if (g_file_get_contents (sink.log_path, &text, NULL, NULL) && strstr (text, "stalled") != NULL)
        break;
      g_usleep (10 * 1000);
    }
  g_assert_nonnull (text);
  g_assert_nonnull (strstr (text, "\"stalled\": [\"grace@example.com\"]"));
  g_subprocess_send_signal (process, SIGKILL);
  g_subprocess_wait (process, NULL, NULL);
  state = message_state (f);
  g_assert_cmpstr (state, ==, "sending");

  /* The next run leaves it alone: it may have reached the customer. */
  queue_ups (f, UPS_A, "ups/4-out-for-delivery.json");
  fake_response_fixture (fake_carrier_server_queue (f->server, DHL_PATH, 200), "dhl/paket-3-in-transit.json");
  waybill (&again, f, "--all", "--quiet", NULL);
  g_assert_cmpint (again.status, ==, 0);
  g_clear_pointer (&text, g_free);
  g_assert_true (g_file_get_contents (sink.log_path, &text, NULL, NULL));
  g_assert_null (strstr (strstr (text, "stalled") + 1, "stalled"));
  g_clear_pointer (&state, g_free);
  state = message_state (f);
  g_assert_cmpstr (state, ==, "sending");

  stop_messages (&sink);
}

static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_auto(Run) nothing = { 0 };

  queue_ups (f, UPS_A, "ups/not-found-TW0001.json");
  fake_response_json (fake_carrier_server_queue (f->server, DHL_PATH, 503), "{\"status\":503}");

  /* Numbers that could not be checked are reported, not a failure. */
  waybill (&run, f, "--quiet", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Checked 2 shipments.\nNothing changed.\n"));
  g_assert_nonnull (strstr (run.out, "Could not check UPS " UPS_A " (order 1001): UPS does not know"));
  g_assert_nonnull (strstr (run.out, "Could not check DHL Paket " DHL_C " (order 1003): "));
  g_assert_cmpstr (run.err, ==, "");

  /* Nothing due: said so. */
  waybill (&nothing, f, NULL);
  g_assert_cmpint (nothing.status, ==, 0);
  g_assert_cmpstr (nothing.out, ==, "Nothing to check right now: no shipment is due.\n");
}

static void
test_locked (Fixture       *f,
             gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_autofree char *lock_path = g_build_filename (f->dir, "refresh.lock", NULL);
  int fd = g_open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

  /* The app is refreshing. */
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (flock (fd, LOCK_EX | LOCK_NB), ==, 0);

  waybill (&run, f, "--json", NULL);
  assert_one_error_line (&run, "Another Waybill is refreshing right now");
  g_assert_cmpuint (fake_carrier_server_get_n_requests (f->server), ==, 0);
  close (fd);
}

static void
test_bad_database (Fixture       *f,
                   gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_auto(Run) extra = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *garbage_dir = g_build_filename (f->dir, "garbage", NULL);
  g_autofree char *garbage = NULL;
  const char *binary = g_getenv ("WAYBILL_BINARY");
  int status = 0;
  char *out = NULL;
  char *err = NULL;

  g_assert_cmpint (g_mkdir (garbage_dir, 0700), ==, 0);
  garbage = waybill_paths_get_database_path (garbage_dir);
  g_file_set_contents (garbage, "this is no database, not even close to one", -1, &error);
  g_assert_no_error (error);

  {
    const char *argv[] = { binary, "refresh", "--data-dir", garbage_dir, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
    g_assert_no_error (error);
    run.out = out;
    run.err = err;
    run.status = WIFEXITED (status) ? WEXITSTATUS (status) : -1;
  }
  g_assert_cmpint (run.status, ==, 1);
  g_assert_true (g_str_has_prefix (run.err, "waybill: "));
  g_assert_true (strchr (run.err, '\n') == run.err + strlen (run.err) - 1);

  waybill (&extra, f, "now", NULL);
  assert_one_error_line (&extra, "“now”");
}

int
main (int   argc,
      char *argv[])
{
  /* No notification server, no keyring: each attempt fails at once. */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/waybill-test-bus", TRUE);

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/waybill/cli/refresh/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("json", test_json);
  ADD ("announce", test_announce);
  ADD ("errors", test_errors);
  ADD ("locked", test_locked);
  ADD ("bad-database", test_bad_database);
  ADD ("messages", test_messages);
  ADD ("messages-killed", test_messages_killed);

#undef ADD

  return g_test_run ();
}
