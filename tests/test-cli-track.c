/* test-cli-track.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>

#include "fake-carrier-server.h"

/* `waybill track` as a person runs it, against the fake UPS API served by
 * this process: the child process talks HTTP to our main loop. */

#define NUMBER "1Z999AA10123456784"
#define NUMBER_PATH "/api/track/v1/details/" NUMBER

typedef struct
{
  int   status;
  char *out;
  char *err;
  gboolean done;
} Run;

static void
communicated_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_exit_status (G_SUBPROCESS (object));
  run->done = TRUE;
}

static void
waybill (Run                *run,
         const char * const *unset_env,
         ...)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  gint64 deadline;
  va_list ap;

  g_ptr_array_add (args, (char *) g_getenv ("WAYBILL_BINARY"));
  va_start (ap, unset_env);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  for (guint i = 0; unset_env != NULL && unset_env[i] != NULL; i++)
    g_subprocess_launcher_unsetenv (launcher, unset_env[i]);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, communicated_cb, run);

  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (!run->done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (run->done);
}

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static JsonObject *
parse_object (const char *text,
              JsonParser *parser)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);

  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_delivered (void)
{
  g_autoptr(FakeCarrierServer) server = fake_carrier_server_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(Run) json = { 0 };
  g_auto(Run) human = { 0 };
  JsonObject *object;
  JsonArray *events;

  fake_carrier_server_setup_env (server);
  fake_response_fixture (fake_carrier_server_queue (server, NUMBER_PATH, 200), "ups/5-delivered.json");
  fake_response_fixture (fake_carrier_server_queue (server, NUMBER_PATH, 200), "ups/5-delivered.json");

  waybill (&json, NULL, "track", "1z 999aa1 0123456784", "--json", NULL);
  g_assert_cmpstr (json.err, ==, "");
  g_assert_cmpint (json.status, ==, 0);
  object = parse_object (json.out, parser);
  g_assert_cmpstr (json_object_get_string_member (object, "tracking_number"), ==, NUMBER);
  g_assert_cmpstr (json_object_get_string_member (object, "carrier"), ==, "ups");
  g_assert_cmpstr (json_object_get_string_member (object, "api"), ==, "ups");
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "delivered");
  g_assert_false (json_object_get_boolean_member (object, "delayed"));
  g_assert_false (json_object_get_null_member (object, "delivered_at"));
  g_assert_true (json_object_has_member (object, "estimated_delivery"));
  events = json_object_get_array_member (object, "events");
  g_assert_cmpuint (json_array_get_length (events), >=, 5);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (events, 0), "status"), ==,
                   "delivered");
  for (guint i = 1; i < json_array_get_length (events); i++)
    {
      g_autoptr(GDateTime) newer = g_date_time_new_from_iso8601 (
        json_object_get_string_member (json_array_get_object_element (events, i - 1), "time"), NULL);
      g_autoptr(GDateTime) older = g_date_time_new_from_iso8601 (
        json_object_get_string_member (json_array_get_object_element (events, i), "time"), NULL);

      g_assert_nonnull (newer);
      g_assert_nonnull (older);
      g_assert_cmpint (g_date_time_compare (newer, older), >=, 0);
    }

  waybill (&human, NULL, "track", NUMBER, NULL);
  g_assert_cmpint (human.status, ==, 0);
  g_assert_nonnull (strstr (human.out, "Delivered"));
  g_assert_nonnull (strstr (human.out, "UPS"));
  /* The secret never shows. */
  fake_assert_no_secret (human.out);
  fake_assert_no_secret (json.out);
}

static void
test_errors (void)
{
  static const char * const no_ups[] = { "WAYBILL_UPS_CLIENT_ID", "WAYBILL_UPS_CLIENT_SECRET",
                                         "WAYBILL_AFTERSHIP_API_KEY", "WAYBILL_17TRACK_API_KEY", NULL };
  g_autoptr(FakeCarrierServer) server = fake_carrier_server_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(Run) not_found = { 0 };
  g_auto(Run) auth = { 0 };
  g_auto(Run) unconfigured = { 0 };
  g_auto(Run) garbage = { 0 };
  JsonObject *error;

  fake_carrier_server_setup_env (server);

  fake_response_fixture (fake_carrier_server_queue (server, NUMBER_PATH, 200), "ups/not-found-TW0001.json");
  waybill (&not_found, NULL, "track", NUMBER, "--json", NULL);
  g_assert_cmpint (not_found.status, ==, 1);
  error = json_object_get_object_member (parse_object (not_found.out, parser), "error");
  g_assert_cmpstr (json_object_get_string_member (error, "kind"), ==, "not_found");
  g_assert_cmpstr (json_object_get_string_member (error, "message"), !=, "");
  g_assert_true (g_str_has_prefix (not_found.err, "waybill track: "));

  fake_response_fixture (fake_carrier_server_queue (server, NUMBER_PATH, 401), "ups/error-250002.json");
  fake_response_fixture (fake_carrier_server_queue (server, NUMBER_PATH, 401), "ups/error-250002.json");
  waybill (&auth, NULL, "track", NUMBER, "--json", NULL);
  g_assert_cmpint (auth.status, ==, 1);
  error = json_object_get_object_member (parse_object (auth.out, parser), "error");
  g_assert_cmpstr (json_object_get_string_member (error, "kind"), ==, "auth");

  waybill (&unconfigured, no_ups, "track", NUMBER, "--json", NULL);
  g_assert_cmpint (unconfigured.status, ==, 1);
  error = json_object_get_object_member (parse_object (unconfigured.out, parser), "error");
  g_assert_cmpstr (json_object_get_string_member (error, "kind"), ==, "not_configured");
  /* It points to the carrier's own page instead. */
  g_assert_nonnull (strstr (json_object_get_string_member (error, "message"), "ups.com"));

  waybill (&garbage, NULL, "track", "hello", NULL);
  g_assert_cmpint (garbage.status, ==, 1);
  g_assert_true (g_str_has_prefix (garbage.err, "waybill track: "));
}

/* Every API through the same verb: a delivered parcel in each API's own
 * format gives the same answer. */
static void
test_every_api (void)
{
  static const struct
  {
    const char *api;
    const char *path;
    const char *fixture;
    const char *number;
    const char *carrier;
  } cases[] = {
    { "dhl", "/track/shipments", "dhl/paket-5-delivered.json", "00340434161094042557", "dhl-parcel-de" },
    { "ups", NUMBER_PATH, "ups/5-delivered.json", NUMBER, "ups" },
    { "fedex", "/track/v1/trackingnumbers", "fedex/5-delivered.json", "794612345671", "fedex" },
    { "usps", "/tracking/v3/tracking/9400111899560012345678", "usps/5-delivered.json",
      "9400111899560012345678", "usps" },
    { "aftership", "/tracking/2026-07/trackings", "aftership/5-delivered.json", "RR123456785GB", "royal-mail" },
    { "17track", "/track/v2.2/gettrackinfo", "17track/5-delivered.json", NUMBER, "ups" },
  };
  g_autoptr(FakeCarrierServer) server = fake_carrier_server_new ();

  fake_carrier_server_setup_env (server);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_auto(Run) run = { 0 };
      JsonObject *object;

      fake_response_fixture (fake_carrier_server_queue (server, cases[i].path, 200), cases[i].fixture);
      waybill (&run, NULL, "track", cases[i].number, "--carrier", cases[i].carrier,
               "--via", cases[i].api, "--json", NULL);
      g_test_message ("%s: %s%s", cases[i].api, run.out, run.err);
      g_assert_cmpint (run.status, ==, 0);
      object = parse_object (run.out, parser);
      g_assert_cmpstr (json_object_get_string_member (object, "api"), ==, cases[i].api);
      g_assert_cmpstr (json_object_get_string_member (object, "carrier"), ==, cases[i].carrier);
      g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "delivered");
      g_assert_false (json_object_get_null_member (object, "delivered_at"));
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "events")), >=, 3);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/waybill/cli-track/delivered", test_delivered);
  g_test_add_func ("/waybill/cli-track/errors", test_errors);
  g_test_add_func ("/waybill/cli-track/every-api", test_every_api);

  return g_test_run ();
}
