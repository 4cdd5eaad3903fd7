/* bench-refresh.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib-unix.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "carriers/waybill-credentials.h"
#include "carriers/waybill-json-parse.h"
#include "../fake-carrier-server.h"
#include "waybill-refresher.h"
#include "waybill-store.h"

/* refresh.throughput: N shipments refreshed by WaybillRefresher against
 * the fake FedEx API (batches of 30, OAuth) on 127.0.0.1, beside a bare
 * libsoup loop sending the same requests to the same server with the same
 * concurrency (one request at a time per API, as the refresher asks), the
 * rate limit off.  refresh.rss: the refreshing process's peak resident
 * memory.  Prints
 *   refresh.throughput VALUE shipments/s limit=VALUE ratio=VALUE
 *   refresh.bare_parse VALUE shipments/s limit=VALUE ratio=VALUE
 *   refresh.rss VALUE MB
 *   refresh.cpu VALUE s
 * refresh.bare_parse is the bare loop that also parses each answer into
 * json-glib's nodes with the trackers' parser, and does nothing else: the
 * least any client that reads the answers does, beside the same limit.
 * with the medians of WAYBILL_BENCH_RUNS runs (default 5) of
 * WAYBILL_BENCH_SHIPMENTS shipments (default 10,000).
 *
 * The server runs in a process of its own, and each run of either side in
 * a fresh process on a fresh copy of the database, so that neither side
 * inherits the other's connections, caches or memory:
 *   bench-refresh                  the whole benchmark
 *   bench-refresh serve            the server; prints its URL, ends on EOF
 *   bench-refresh refresh DB       one refresher pass; prints ms, the
 *                                  number checked, KiB and CPU ms
 *   bench-refresh bare N           one bare loop over N numbers; prints ms
 *   bench-refresh bare-parse N     the same, parsing each answer
 *   bench-refresh database DB N    makes the database of N shipments
 * (the URL and credentials come from the WAYBILL_FEDEX_* variables). */

#define TRACK_PATH "/track/v1/trackingnumbers"
#define TOKEN_PATH "/oauth/token"
#define BATCH      30

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), compare_double);

  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

/* The tracking numbers of the benchmark, the same on both sides. */
static char *
tracking_number (guint i)
{
  return g_strdup_printf ("7946%08u", i);
}

/* ---- serve -------------------------------------------------------------- */

typedef struct
{
  /* FedEx's in-transit answer for one number, split where the number goes */
  char **template;
} Serve;

/* Answers a track request with an in-transit result for each number asked,
 * in FedEx's format (the fixture's, with the number put in). */
static gboolean
answer_track (FakeCarrierServer *server,
              SoupServerMessage *message,
              const char        *path,
              gpointer           user_data)
{
  Serve *serve = user_data;
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (message));
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GString) answer = g_string_new ("{\"transactionId\":\"bench\",\"output\":{\"completeTrackResults\":[");
  JsonArray *items;

  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                             (gssize) g_bytes_get_size (body), NULL));
  items = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "trackingInfo");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      const char *number = json_object_get_string_member (json_object_get_object_member (item, "trackingNumberInfo"),
                                                          "trackingNumber");
      g_autofree char *result = g_strjoinv (number, serve->template);

      if (i > 0)
        g_string_append_c (answer, ',');
      g_string_append (answer, result);
    }
  g_string_append (answer, "]}}");

  soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (message, "application/json", SOUP_MEMORY_COPY, answer->str, answer->len);

  return TRUE;
}

static gboolean
stdin_closed_cb (int          fd,
                 GIOCondition condition,
                 gpointer     user_data)
{
  char buffer[64];

  if ((condition & G_IO_IN) && read (fd, buffer, sizeof buffer) > 0)
    return G_SOURCE_CONTINUE;

  g_main_loop_quit (user_data);

  return G_SOURCE_REMOVE;
}

static int
serve (void)
{
  g_autoptr(FakeCarrierServer) server = fake_carrier_server_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *fixture = NULL;
  g_autofree char *one = NULL;
  JsonArray *results;
  Serve data;
  gsize length;

  fixture = fake_load_fixture ("fedex/3-in-transit.json", &length);
  g_assert_true (json_parser_load_from_data (parser, fixture, (gssize) length, NULL));
  results = json_object_get_array_member (json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                                                         "output"),
                                          "completeTrackResults");
  one = json_to_string (json_array_get_element (results, 0), FALSE);
  data.template = g_strsplit (one, "794612345671", -1);
  g_assert_cmpuint (g_strv_length (data.template), >, 1);

  fake_carrier_server_set_handler (server, TRACK_PATH, answer_track, &data);
  g_unix_fd_add (0, G_IO_IN | G_IO_HUP | G_IO_ERR, stdin_closed_cb, loop);

  printf ("%s\n", fake_carrier_server_get_url (server));
  fflush (stdout);
  g_main_loop_run (loop);

  g_strfreev (data.template);

  return 0;
}

/* ---- refresh ------------------------------------------------------------ */

static void
pass_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  WaybillRefreshReport **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = waybill_refresher_refresh_finish (WAYBILL_REFRESHER (source), result, &error);
  g_assert_no_error (error);
}

static int
refresh (const char *db_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WaybillStore) store = waybill_store_open (db_path, &error);
  g_autoptr(WaybillTrackerRegistry) registry = NULL;
  g_autoptr(WaybillRefresher) refresher = NULL;
  g_autoptr(WaybillRefreshReport) report = NULL;
  struct rusage usage;
  double start, elapsed;

  g_assert_no_error (error);
  registry = waybill_tracker_registry_new (NULL);
  refresher = waybill_refresher_new (store, registry, NULL);
  waybill_refresher_set_rate_limit (refresher, FALSE);

  start = now_ms ();
  waybill_refresher_refresh_async (refresher, TRUE, NULL, pass_done_cb, &report);
  while (report == NULL)
    g_main_context_iteration (NULL, TRUE);
  elapsed = now_ms () - start;

  g_assert_cmpuint (report->errors->len, ==, 0);
  getrusage (RUSAGE_SELF, &usage);
  printf ("%.1f %u %ld %.1f\n", elapsed, report->checked, usage.ru_maxrss,
          (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000.0 +
          (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000.0);

  return 0;
}

/* ---- bare --------------------------------------------------------------- */

typedef struct
{
  SoupSession *session;
  const char  *url;
  char        *token;
  guint        n;
  guint        next;
  guint        answered;
  gboolean     parse;
  gboolean     done;
} Bare;

static void bare_send_next (Bare *bare);

static void
bare_track_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Bare *bare = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (body), >, 0);
  bare->answered++;

  if (bare->parse)
    {
      gsize size;
      const char *data = g_bytes_get_data (body, &size);
      g_autoptr(JsonNode) root = waybill_json_parse (data, size, 128, &error);

      g_assert_no_error (error);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
    }

  if (bare->next < bare->n)
    bare_send_next (bare);
  else
    bare->done = TRUE;
}

/* The request the FedEx tracker sends: the same path, headers and body. */
static void
bare_send_next (Bare *bare)
{
  g_autoptr(GString) body = g_string_new ("{\"includeDetailedScans\":true,\"trackingInfo\":[");
  g_autofree char *uri = g_strconcat (bare->url, TRACK_PATH, NULL);
  g_autofree char *authorization = g_strconcat ("Bearer ", bare->token, NULL);
  g_autoptr(SoupMessage) message = soup_message_new ("POST", uri);
  g_autoptr(GBytes) bytes = NULL;
  SoupMessageHeaders *headers = soup_message_get_request_headers (message);

  for (guint i = 0; i < BATCH && bare->next < bare->n; i++, bare->next++)
    {
      g_autofree char *number = tracking_number (bare->next);

      g_string_append_printf (body, "%s{\"trackingNumberInfo\":{\"trackingNumber\":\"%s\"}}",
                              i > 0 ? "," : "", number);
    }
  g_string_append (body, "]}");
  bytes = g_string_free_to_bytes (g_steal_pointer (&body));

  soup_message_headers_replace (headers, "Authorization", authorization);
  soup_message_headers_replace (headers, "Accept", "application/json");
  soup_message_headers_replace (headers, "X-locale", "en_US");
  soup_message_set_request_body_from_bytes (message, "application/json", bytes);
  soup_session_send_and_read_async (bare->session, message, G_PRIORITY_DEFAULT, NULL, bare_track_cb, bare);
}

static void
bare_token_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Bare *bare = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                             (gssize) g_bytes_get_size (body), &error));
  bare->token = g_strdup (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)),
                                                         "access_token"));
  bare_send_next (bare);
}

static int
bare (guint    n,
      gboolean parse)
{
  g_autofree char *url_name = waybill_credentials_env_name ("fedex", "URL");
  g_autofree char *id_name = waybill_credentials_env_name ("fedex", "CLIENT_ID");
  g_autofree char *secret_name = waybill_credentials_env_name ("fedex", "CLIENT_SECRET");
  g_autofree char *uri = NULL;
  g_autofree char *form = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) bytes = NULL;
  Bare data = { 0 };
  double start, elapsed;

  data.session = soup_session_new ();
  data.url = g_getenv (url_name);
  data.n = n;
  data.parse = parse;
  g_assert_nonnull (data.url);

  start = now_ms ();
  uri = g_strconcat (data.url, TOKEN_PATH, NULL);
  form = g_strdup_printf ("grant_type=client_credentials&client_id=%s&client_secret=%s",
                          g_getenv (id_name), g_getenv (secret_name));
  bytes = g_bytes_new (form, strlen (form));
  message = soup_message_new ("POST", uri);
  soup_message_set_request_body_from_bytes (message, "application/x-www-form-urlencoded", bytes);
  soup_session_send_and_read_async (data.session, message, G_PRIORITY_DEFAULT, NULL, bare_token_cb, &data);
  while (!data.done)
    g_main_context_iteration (NULL, TRUE);
  elapsed = now_ms () - start;

  g_assert_cmpuint (data.answered, ==, (n + BATCH - 1) / BATCH);
  printf ("%.1f\n", elapsed);

  g_free (data.token);
  g_object_unref (data.session);

  return 0;
}

/* ---- the whole benchmark ------------------------------------------------ */

/* A database of @n orders with one FedEx shipment each, never checked. */
static void
make_database (const char *path,
               guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WaybillStore) store = waybill_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_true (waybill_store_begin (store, &error));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *number = g_strdup_printf ("B-%06u", i);
      g_autofree char *tracking = tracking_number (i);
      g_autoptr(WaybillOrder) order = waybill_order_new (number, "Benchmark Customer");
      g_autoptr(WaybillShipment) shipment = waybill_shipment_new ("fedex", tracking);

      waybill_order_set_stage (order, WAYBILL_STATUS_SHIPPED);
      waybill_order_add_shipment (order, shipment);
      g_assert_true (waybill_store_create_order (store, order, &error));
    }
  g_assert_true (waybill_store_commit (store, &error));
}

static void
copy_file (const char *from,
           const char *to)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) source = g_file_new_for_path (from);
  g_autoptr(GFile) target = g_file_new_for_path (to);

  g_file_copy (source, target, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
}

static char *
run_child (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);

  return out;
}

int
main (int   argc,
      char *argv[])
{
  const char *n_env = g_getenv ("WAYBILL_BENCH_SHIPMENTS");
  const char *runs_env = g_getenv ("WAYBILL_BENCH_RUNS");
  guint n = n_env ? (guint) atoi (n_env) : 10000;
  guint runs = runs_env ? (guint) CLAMP (atoi (runs_env), 1, 99) : 5;
  g_autofree char *self_path = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *template = NULL;
  g_autofree char *run_db = NULL;
  g_autofree char *n_text = NULL;
  g_autofree double *refresher = NULL;
  g_autofree double *limit = NULL;
  g_autofree double *parsing = NULL;
  g_autofree double *rss = NULL;
  g_autofree double *cpu = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOChannel) server_out = NULL;
  g_autofree char *url = NULL;
  GPid server_pid;
  int server_in, server_stdout;
  double r, b, p;

  if (argc > 1 && g_str_equal (argv[1], "serve"))
    return serve ();
  if (argc > 2 && g_str_equal (argv[1], "refresh"))
    return refresh (argv[2]);
  if (argc > 2 && g_str_equal (argv[1], "bare"))
    return bare ((guint) atoi (argv[2]), FALSE);
  if (argc > 2 && g_str_equal (argv[1], "bare-parse"))
    return bare ((guint) atoi (argv[2]), TRUE);
  if (argc > 3 && g_str_equal (argv[1], "database"))
    {
      make_database (argv[2], (guint) atoi (argv[3]));
      return 0;
    }

  self_path = g_file_read_link ("/proc/self/exe", &error);
  g_assert_no_error (error);
  dir = g_dir_make_tmp ("waybill-bench-refresh-XXXXXX", &error);
  g_assert_no_error (error);
  template = g_build_filename (dir, "template.db", NULL);
  run_db = g_build_filename (dir, "waybill.db", NULL);
  n_text = g_strdup_printf ("%u", n);
  make_database (template, n);

  {
    const char *serve_argv[] = { self_path, "serve", NULL };
    gsize length;

    g_spawn_async_with_pipes (NULL, (char **) serve_argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                              &server_pid, &server_in, &server_stdout, NULL, &error);
    g_assert_no_error (error);
    server_out = g_io_channel_unix_new (server_stdout);
    g_io_channel_set_close_on_unref (server_out, TRUE);
    g_io_channel_read_line (server_out, &url, NULL, &length, &error);
    g_assert_no_error (error);
    g_assert_nonnull (url);
    url[length] = '\0';
  }

  {
    g_autofree char *url_name = waybill_credentials_env_name ("fedex", "URL");
    g_autofree char *id_name = waybill_credentials_env_name ("fedex", "CLIENT_ID");
    g_autofree char *secret_name = waybill_credentials_env_name ("fedex", "CLIENT_SECRET");

    g_setenv (url_name, url, TRUE);
    g_setenv (id_name, FAKE_FEDEX_CLIENT_ID, TRUE);
    g_setenv (secret_name, FAKE_FEDEX_CLIENT_SECRET, TRUE);
  }

  refresher = g_new (double, runs);
  limit = g_new (double, runs);
  parsing = g_new (double, runs);
  rss = g_new (double, runs);
  cpu = g_new (double, runs);
  /* The three sides take turns, each run starting with another one. */
  for (guint i = 0; i < runs; i++)
    for (guint turn = 0; turn < 3; turn++)
      {
        guint side = (turn + i) % 3;

        if (side == 0)
          {
            const char *refresh_argv[] = { self_path, "refresh", run_db, NULL };
            g_autofree char *out = NULL;
            g_autofree char *wal = g_strconcat (run_db, "-wal", NULL);
            double ms;
            guint checked;
            long kib;
            double cpu_ms;

            g_remove (wal);
            copy_file (template, run_db);
            out = run_child (refresh_argv);
            g_assert_cmpint (sscanf (out, "%lf %u %ld %lf", &ms, &checked, &kib, &cpu_ms), ==, 4);
            g_assert_cmpuint (checked, ==, n);
            refresher[i] = ms;
            rss[i] = kib / 1024.0;
            cpu[i] = cpu_ms;
          }
        else
          {
            const char *bare_argv[] = { self_path, side == 1 ? "bare" : "bare-parse", n_text, NULL };
            g_autofree char *out = run_child (bare_argv);

            if (side == 1)
              limit[i] = g_ascii_strtod (out, NULL);
            else
              parsing[i] = g_ascii_strtod (out, NULL);
          }
      }

  close (server_in);
  waitpid (server_pid, NULL, 0);
  g_spawn_close_pid (server_pid);

  /* Throughput in shipments a second: the ratio is the bare time over the
   * refresher's. */
  r = median (refresher, runs);
  b = median (limit, runs);
  p = median (parsing, runs);
  printf ("refresh.throughput %.0f shipments/s limit=%.0f ratio=%.2f\n", n / (r / 1000.0), n / (b / 1000.0), b / r);
  printf ("refresh.bare_parse %.0f shipments/s limit=%.0f ratio=%.2f\n", n / (p / 1000.0), n / (b / 1000.0), b / p);
  printf ("refresh.rss %.1f MB\n", median (rss, runs));
  /* The refreshing process's own CPU time, which the noise of a shared
   * machine moves less than the wall clock. */
  printf ("refresh.cpu %.2f s\n", median (cpu, runs) / 1000.0);

  {
    g_autofree char *wal = g_strconcat (run_db, "-wal", NULL);
    g_autofree char *shm = g_strconcat (run_db, "-shm", NULL);
    g_autofree char *lock = g_build_filename (dir, "refresh.lock", NULL);

    g_remove (template);
    g_remove (run_db);
    g_remove (wal);
    g_remove (shm);
    g_remove (lock);
    g_rmdir (dir);
  }

  return 0;
}
