/* demo-carrier-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * waybill-demo-carriers: the fake carrier server of the tests, on
 * 127.0.0.1, answering every tracking number of the carriers' own APIs
 * (DHL, UPS, FedEx, USPS) and of AfterShip (the posts of the demo) with a
 * scripted progression driven by the time since it started, for
 * `build-aux/waybill-dev.sh run`:
 *
 *   label created → picked up → in transit → out for delivery → delivered
 *
 * one stage every --step-seconds (20 by default).  Each number starts at a
 * stage of its own (a hash of the number), so some parcels are out for
 * delivery and one is delivered within the first minute; one number in
 * five ends in an exception instead of going out for delivery.  The
 * answers are the fixtures of tests/data/carriers/<api>/ with the number
 * put in.  With --data-dir, a number that Waybill's database already has
 * further along starts where the database has it, so that no parcel of the
 * demo moves backwards (a parcel in transit is never "picked up" again).
 *
 *   waybill-demo-carriers [--step-seconds N] [--time-offset S] [--env-file PATH]
 *                         [--data-dir DIR]
 *
 * prints the server's URL on stdout, writes the shell assignments that
 * point Waybill at it (WAYBILL_<API>_URL, credentials) to --env-file, and
 * runs until killed.  The port is an ephemeral one: the URL printed and
 * the environment file say which.  17TRACK is not played: with AfterShip
 * configured, Waybill asks AfterShip first.
 */

#include "config.h"

#include <glib-unix.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carriers/waybill-credentials.h"
#include "fake-carrier-server.h"
#include "waybill-paths.h"
#include "waybill-store.h"

#define N_STAGES 5   /* label created … delivered */

typedef struct
{
  const FakeCarrierApi *real;
  /* the stages' fixtures, then the exception (NULL: none) */
  const char           *stages[N_STAGES];
  const char           *exception;
  /* the numbers in those fixtures, replaced by the one asked for */
  const char * const   *fixture_numbers;
} DemoApi;

static const DemoApi demo_apis[] = {
  {
    &fake_carrier_api_dhl,
    { "dhl/paket-1-label-created.json", "dhl/paket-2-picked-up.json",
      "dhl/paket-3-in-transit.json", "dhl/paket-4-out-for-delivery.json",
      "dhl/paket-5-delivered.json" },
    NULL,
    (const char * const []) { "00340434161094042557", NULL },
  },
  {
    &fake_carrier_api_ups,
    { "ups/1-label-created.json", "ups/2-picked-up.json", "ups/3-in-transit.json",
      "ups/4-out-for-delivery.json", "ups/5-delivered.json" },
    "ups/exception-customs.json",
    (const char * const []) { "1Z999AA10123456784", "1Z4E2F390398765432", NULL },
  },
  {
    &fake_carrier_api_fedex,
    { "fedex/1-label-created.json", "fedex/2-picked-up.json", "fedex/3-in-transit.json",
      "fedex/4-out-for-delivery.json", "fedex/5-delivered.json" },
    "fedex/exception-address.json",
    (const char * const []) { "794612345671", "794623456782", NULL },
  },
  {
    &fake_carrier_api_usps,
    { "usps/1-label-created.json", "usps/2-accepted.json", "usps/3-in-transit.json",
      "usps/4-out-for-delivery.json", "usps/5-delivered.json" },
    "usps/exception-undeliverable.json",
    (const char * const []) { "9400111899560012345678", "9205590164917312751089", NULL },
  },
  {
    /* The posts (Royal Mail, Canada Post…) through the aggregator */
    &fake_carrier_api_aftership,
    { "aftership/1-info-received.json", "aftership/2-picked-up.json",
      "aftership/3-in-transit.json", "aftership/4-out-for-delivery.json",
      "aftership/5-delivered.json" },
    "aftership/exception-customs.json",
    (const char * const []) { "RR123456785GB", "1Z4E2F390398765432", NULL },
  },
};

static FakeCarrierApi wrappers[G_N_ELEMENTS (demo_apis)];

static gint64 start_time;
/* numbers headed for an exception (a set) */
static GHashTable *exceptions;
static int step_seconds = 20;
static int time_offset;
/* Waybill's database (--data-dir), and the stage each number asked for
 * starts at (number → stage + 1) */
static char *database_path;
static WaybillStore *store;
static GHashTable *first_stages;

static const DemoApi *
demo_api_for (const FakeCarrierApi *api)
{
  for (guint i = 0; i < G_N_ELEMENTS (wrappers); i++)
    if (api == &wrappers[i])
      return &demo_apis[i];

  g_assert_not_reached ();
}

/* Where the database has @number: the stage of its shipment's status, or
 * -1 when it has none of the five. */
static int
stored_stage (const char *number)
{
  g_autoptr(WaybillOrder) order = NULL;
  GPtrArray *shipments;

  /* Opened at the first question: the demo database may be made after
   * the server starts. */
  if (store == NULL && database_path != NULL && g_file_test (database_path, G_FILE_TEST_EXISTS))
    {
      g_autoptr(GError) error = NULL;

      store = waybill_store_open (database_path, &error);
      if (store == NULL)
        {
          g_printerr ("%s\n", error->message);
          g_clear_pointer (&database_path, g_free);
        }
    }
  if (store == NULL)
    return -1;
  order = waybill_store_find_by_tracking (store, number, NULL);
  if (order == NULL)
    return -1;

  shipments = waybill_order_get_shipments (order);
  for (guint i = 0; i < shipments->len; i++)
    {
      WaybillShipment *shipment = g_ptr_array_index (shipments, i);

      if (g_strcmp0 (waybill_shipment_get_tracking_number (shipment), number) != 0)
        continue;
      switch ((int) waybill_shipment_get_status (shipment))
        {
        case WAYBILL_STATUS_INFO_RECEIVED: return 0;
        case WAYBILL_STATUS_PICKED_UP: return 1;
        case WAYBILL_STATUS_IN_TRANSIT: return 2;
        case WAYBILL_STATUS_OUT_FOR_DELIVERY:
        case WAYBILL_STATUS_AVAILABLE_FOR_PICKUP:
        case WAYBILL_STATUS_FAILED_ATTEMPT: return 3;
        case WAYBILL_STATUS_DELIVERED: return 4;
        /* A parcel held up stays held up. */
        case WAYBILL_STATUS_EXCEPTION:
          g_hash_table_add (exceptions, g_strdup (number));
          return 3;
        default: return -1;
        }
    }

  return -1;
}

/* The stage @number starts at: a hash of it, or where the database has
 * it when that is further along; the same for every later answer. */
static gint64
first_stage (const char *number,
             guint       hash)
{
  gpointer known = g_hash_table_lookup (first_stages, number);
  int stage;

  if (known != NULL)
    return GPOINTER_TO_INT (known) - 1;

  stage = MAX ((int) (hash % 4), stored_stage (number));
  g_hash_table_insert (first_stages, g_strdup (number), GINT_TO_POINTER (stage + 1));

  return stage;
}

/* The fixture that tells where @number is now. */
static const char *
scripted_fixture (const DemoApi *demo,
                  const char    *number)
{
  guint hash = g_str_hash (number);
  gint64 elapsed = (g_get_monotonic_time () - start_time) / G_USEC_PER_SEC + time_offset;
  gint64 stage = first_stage (number, hash) + elapsed / MAX (step_seconds, 1);

  /* The first number asked of an API that has exceptions, and one in
   * five after it, hit one instead of going out for delivery. */
  if (demo->exception != NULL && (hash % 5 == 0 || g_hash_table_size (exceptions) == 0))
    g_hash_table_add (exceptions, g_strdup (number));
  if (stage >= 3 && g_hash_table_contains (exceptions, number))
    return demo->exception;

  return demo->stages[MIN (stage, N_STAGES - 1)];
}

/* The fixtures' dates (2024-03-13, or 20240313 for UPS), moved so that
 * the latest is today. */
static gboolean
parse_date (const char *text,
            GDate      *date)
{
  guint year, month, day;

  if (text[4] == '-')
    {
      year = atoi (text);
      month = atoi (text + 5);
      day = atoi (text + 8);
    }
  else
    {
      guint value = atoi (text);

      year = value / 10000;
      month = value / 100 % 100;
      day = value % 100;
    }

  if (!g_date_valid_dmy (day, month, year))
    return FALSE;
  g_date_set_dmy (date, day, month, year);
  return TRUE;
}

static gboolean
latest_date_cb (const GMatchInfo *info,
                GString          *result,
                gpointer          user_data)
{
  guint *latest = user_data;
  g_autofree char *text = g_match_info_fetch (info, 1);
  GDate date;

  if (parse_date (text, &date))
    *latest = MAX (*latest, g_date_get_julian (&date));
  return FALSE;
}

static gboolean
shift_date_cb (const GMatchInfo *info,
               GString          *result,
               gpointer          user_data)
{
  gint *delta = user_data;
  g_autofree char *all = g_match_info_fetch (info, 0);
  g_autofree char *text = g_match_info_fetch (info, 1);
  GDate date;

  if (!parse_date (text, &date))
    {
      g_string_append (result, all);
      return FALSE;
    }

  if (*delta >= 0)
    g_date_add_days (&date, *delta);
  else
    g_date_subtract_days (&date, -*delta);

  if (text[4] == '-')
    g_string_append_printf (result, "%04u-%02u-%02u", g_date_get_year (&date),
                            g_date_get_month (&date), g_date_get_day (&date));
  else
    g_string_append_printf (result, "\"%04u%02u%02u\"", g_date_get_year (&date),
                            g_date_get_month (&date), g_date_get_day (&date));
  return FALSE;
}

static char *
move_dates (const char *text)
{
  static GRegex *dashed, *compact;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  guint latest = 0;
  gint delta;
  GDate today;
  g_autofree char *step = NULL;

  if (dashed == NULL)
    {
      dashed = g_regex_new ("(20\\d\\d-\\d\\d-\\d\\d)", 0, 0, NULL);
      compact = g_regex_new ("\"(20\\d{6})\"", 0, 0, NULL);
    }

  g_free (g_regex_replace_eval (dashed, text, -1, 0, 0, latest_date_cb, &latest, NULL));
  g_free (g_regex_replace_eval (compact, text, -1, 0, 0, latest_date_cb, &latest, NULL));
  if (latest == 0)
    return g_strdup (text);

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
  delta = (gint) g_date_get_julian (&today) - (gint) latest;

  step = g_regex_replace_eval (dashed, text, -1, 0, 0, shift_date_cb, &delta, NULL);
  return g_regex_replace_eval (compact, step, -1, 0, 0, shift_date_cb, &delta, NULL);
}

static char *
scripted_answer (const DemoApi *demo,
                 const char    *number)
{
  g_autofree char *contents = fake_load_fixture (scripted_fixture (demo, number), NULL);
  char *text = g_steal_pointer (&contents);

  for (guint i = 0; demo->fixture_numbers[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (text, demo->fixture_numbers[i], -1);

      g_free (text);
      text = g_strjoinv (number, parts);
    }

  contents = g_steal_pointer (&text);
  return move_dates (contents);
}

static char *
last_segment (const char *path)
{
  const char *slash = strrchr (path, '/');

  return g_uri_unescape_string (slash != NULL ? slash + 1 : path, NULL);
}

/* A batch (FedEx, AfterShip): each number's fixture, its entries of the
 * list at @outer.@list gathered into the envelope of the first. */
static void
answer_batch (const DemoApi      *demo,
              SoupServerMessage  *message,
              GPtrArray          *numbers,
              const char         *outer,
              const char         *list)
{
  g_autoptr(JsonNode) envelope = NULL;
  g_autoptr(JsonArray) items = json_array_new ();
  g_autofree char *reply = NULL;

  for (guint i = 0; i < numbers->len; i++)
    {
      g_autoptr(JsonParser) one = json_parser_new ();
      g_autofree char *text = scripted_answer (demo, g_ptr_array_index (numbers, i));
      JsonObject *object;
      JsonArray *array;

      if (!json_parser_load_from_data (one, text, -1, NULL))
        continue;
      object = json_object_get_object_member (json_node_get_object (json_parser_get_root (one)),
                                              outer);
      array = json_object_get_array_member (object, list);
      for (guint j = 0; j < json_array_get_length (array); j++)
        json_array_add_element (items, json_node_copy (json_array_get_element (array, j)));
      if (envelope == NULL)
        envelope = json_node_copy (json_parser_get_root (one));
    }

  if (envelope == NULL)
    {
      fake_answer (message, SOUP_STATUS_BAD_REQUEST, "{\"demo\":\"no tracking number\"}");
      return;
    }

  json_object_set_array_member (json_object_get_object_member (json_node_get_object (envelope),
                                                               outer),
                                list, json_array_ref (items));
  reply = json_to_string (envelope, FALSE);
  fake_answer (message, SOUP_STATUS_OK, reply);
}

/* FedEx: POST {"trackingInfo":[{"trackingNumberInfo":{"trackingNumber"}}]} */
static void
answer_fedex (const DemoApi     *demo,
              SoupServerMessage *message)
{
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (message));
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) numbers = g_ptr_array_new ();
  JsonNode *root;
  JsonArray *infos = NULL;

  if (json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                  (gssize) g_bytes_get_size (body), NULL) &&
      (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root) &&
      json_object_has_member (json_node_get_object (root), "trackingInfo"))
    infos = json_object_get_array_member (json_node_get_object (root), "trackingInfo");

  for (guint i = 0; infos != NULL && i < json_array_get_length (infos); i++)
    {
      JsonObject *info = json_array_get_object_element (infos, i);
      JsonObject *number_info;

      number_info = info ? json_object_get_object_member (info, "trackingNumberInfo") : NULL;
      if (number_info != NULL && json_object_has_member (number_info, "trackingNumber"))
        g_ptr_array_add (numbers,
                         (gpointer) json_object_get_string_member (number_info, "trackingNumber"));
    }

  answer_batch (demo, message, numbers, "output", "completeTrackResults");
}

/* AfterShip: GET /trackings?tracking_numbers=a,b.  Every number is known
 * already, so that nothing is created. */
static void
answer_aftership (const DemoApi     *demo,
                  SoupServerMessage *message,
                  const char        *path)
{
  GUri *uri = soup_server_message_get_uri (message);
  g_autoptr(GHashTable) query = NULL;
  g_autoptr(GPtrArray) numbers = g_ptr_array_new ();
  g_auto(GStrv) list = NULL;

  if (g_uri_get_query (uri) != NULL)
    query = soup_form_decode (g_uri_get_query (uri));
  if (!g_str_has_suffix (path, "/trackings") || query == NULL ||
      g_hash_table_lookup (query, "tracking_numbers") == NULL)
    {
      fake_answer (message, SOUP_STATUS_NOT_FOUND,
                   "{\"meta\":{\"code\":4004,\"type\":\"NotFound\","
                   "\"message\":\"Tracking does not exist.\"},\"data\":{}}");
      return;
    }

  list = g_strsplit (g_hash_table_lookup (query, "tracking_numbers"), ",", -1);
  for (guint i = 0; list[i] != NULL; i++)
    if (list[i][0] != '\0')
      g_ptr_array_add (numbers, list[i]);

  answer_batch (demo, message, numbers, "data", "trackings");
}

static gboolean
demo_check_auth (FakeCarrierServer    *server,
                 const FakeCarrierApi *api,
                 SoupServerMessage    *message,
                 const char           *path)
{
  const DemoApi *demo = demo_api_for (api);

  return demo->real->check_auth (server, demo->real, message, path);
}

static gboolean
demo_handle_default (FakeCarrierServer    *server,
                     const FakeCarrierApi *api,
                     SoupServerMessage    *message,
                     const char           *path)
{
  const DemoApi *demo = demo_api_for (api);
  g_autofree char *number = NULL;
  g_autofree char *reply = NULL;

  /* The token endpoints */
  if (demo->real->handle_default != NULL &&
      demo->real->handle_default (server, demo->real, message, path))
    return TRUE;

  if (demo->real == &fake_carrier_api_fedex)
    {
      answer_fedex (demo, message);
      return TRUE;
    }

  if (demo->real == &fake_carrier_api_aftership)
    {
      answer_aftership (demo, message, path);
      return TRUE;
    }

  if (demo->real == &fake_carrier_api_dhl)
    {
      GUri *uri = soup_server_message_get_uri (message);
      g_autoptr(GHashTable) query = NULL;

      if (g_uri_get_query (uri) != NULL)
        query = soup_form_decode (g_uri_get_query (uri));
      if (query != NULL && g_hash_table_lookup (query, "trackingNumber") != NULL)
        number = g_strdup (g_hash_table_lookup (query, "trackingNumber"));
    }
  else
    {
      /* UPS, USPS: the number ends the path */
      number = last_segment (path);
    }

  if (number == NULL || number[0] == '\0')
    return FALSE;

  reply = scripted_answer (demo, number);
  fake_answer (message, SOUP_STATUS_OK, reply);
  return TRUE;
}

static gboolean
write_env_file (const char  *path,
                GError     **error)
{
  g_autoptr(GString) text = g_string_new ("# waybill-demo-carriers: source this file\n");
  const char * const suffixes[] = { "URL", "API_KEY", "CLIENT_ID", "CLIENT_SECRET" };

  for (guint i = 0; i < G_N_ELEMENTS (demo_apis); i++)
    for (guint j = 0; j < G_N_ELEMENTS (suffixes); j++)
      {
        g_autofree char *name = waybill_credentials_env_name (demo_apis[i].real->id, suffixes[j]);
        g_autofree char *quoted = NULL;
        const char *value = g_getenv (name);

        if (value == NULL)
          continue;
        quoted = g_shell_quote (value);
        g_string_append_printf (text, "export %s=%s\n", name, quoted);
      }

  return g_file_set_contents (path, text->str, text->len, error);
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *env_file = NULL;
  g_autofree char *data_dir = NULL;
  FakeCarrierServer *server;
  const GOptionEntry entries[] = {
    { "step-seconds", 0, 0, G_OPTION_ARG_INT, &step_seconds,
      "Seconds between a parcel's stages (20)", "N" },
    { "time-offset", 0, 0, G_OPTION_ARG_INT, &time_offset,
      "Start as if this many seconds had passed", "S" },
    { "env-file", 0, 0, G_OPTION_ARG_FILENAME, &env_file,
      "Write the shell assignments that point Waybill here to PATH", "PATH" },
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &data_dir,
      "Start each parcel no earlier than Waybill's database in DIR has it", "DIR" },
    { NULL }
  };

  context = g_option_context_new ("— simulated carrier APIs for the Waybill demo");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  if (data_dir != NULL)
    database_path = waybill_paths_get_database_path (data_dir);

  start_time = g_get_monotonic_time ();
  exceptions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  first_stages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  server = fake_carrier_server_new ();
  for (guint i = 0; i < G_N_ELEMENTS (demo_apis); i++)
    {
      wrappers[i] = *demo_apis[i].real;
      wrappers[i].check_auth = demo_check_auth;
      wrappers[i].handle_default = demo_handle_default;
      fake_carrier_server_add_api (server, &wrappers[i]);
    }
  fake_carrier_server_setup_env (server);

  if (env_file != NULL && !write_env_file (env_file, &error))
    {
      g_printerr ("%s\n", error->message);
      fake_carrier_server_free (server);
      return 1;
    }

  g_print ("%s\n", fake_carrier_server_get_url (server));
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_main_loop_run (loop);

  fake_carrier_server_free (server);
  g_hash_table_unref (exceptions);
  g_hash_table_unref (first_stages);
  g_clear_object (&store);
  g_free (database_path);
  return 0;
}
