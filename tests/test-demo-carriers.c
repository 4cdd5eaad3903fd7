/* test-demo-carriers.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/prctl.h>

#include "test-util.h"

/* The demo's carriers: waybill-demo-carriers (WAYBILL_DEMO_CARRIERS) runs
 * as `build-aux/waybill-dev.sh run` starts it, one stage a second, and the
 * real binary (WAYBILL_BINARY) fills a demo database and refreshes it
 * against it a few times: the parcels move on, some are delivered and one
 * hits an exception. */

#define STEP_SECONDS "1"
/* The demo checks every moving parcel this often (not the GSettings
 * intervals, of 5 minutes at least). */
#define REFRESH_SECONDS "7"

typedef struct
{
  char        *dir;
  char        *data;
  GSubprocess *server;
  char       **envp;
} Fixture;

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  const char *server = g_getenv ("WAYBILL_DEMO_CARRIERS");
  g_autoptr(GError) error = NULL;
  g_autofree char *env_file = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_auto(GStrv) lines = NULL;
  gint64 deadline;

  g_assert_nonnull (server);
  f->dir = test_make_tmp_dir ("demo-carriers");
  f->data = g_build_filename (f->dir, "data", NULL);
  env_file = g_build_filename (f->dir, "carriers.env", NULL);

  /* The server goes when the test does, also when an assertion aborts it. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  f->server = g_subprocess_launcher_spawn (launcher, &error, server, "--step-seconds", STEP_SECONDS,
                                           "--env-file", env_file, "--data-dir", f->data, NULL);
  g_assert_no_error (error);

  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!g_file_get_contents (env_file, &contents, NULL, NULL) || contents[0] == '\0')
    {
      g_clear_pointer (&contents, g_free);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (G_USEC_PER_SEC / 20);
    }

  f->envp = g_get_environ ();
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *value = NULL;
      char *eq;

      if (!g_str_has_prefix (lines[i], "export "))
        continue;
      eq = strchr (lines[i], '=');
      g_assert_nonnull (eq);
      *eq = '\0';
      value = g_shell_unquote (eq + 1, &error);
      g_assert_no_error (error);
      f->envp = g_environ_setenv (f->envp, lines[i] + strlen ("export "), value, TRUE);
    }
  g_assert_nonnull (g_environ_getenv (f->envp, "WAYBILL_UPS_URL"));
  g_assert_nonnull (g_environ_getenv (f->envp, "WAYBILL_FEDEX_CLIENT_SECRET"));
  f->envp = g_environ_setenv (f->envp, "WAYBILL_SIMULATED_CARRIERS", "1", TRUE);
  f->envp = g_environ_setenv (f->envp, "WAYBILL_REFRESH_SECONDS", REFRESH_SECONDS, TRUE);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_subprocess_send_signal (f->server, SIGTERM);
  g_subprocess_wait (f->server, NULL, NULL);
  g_assert_true (g_subprocess_get_if_exited (f->server));
  g_assert_cmpint (g_subprocess_get_exit_status (f->server), ==, 0);
  g_object_unref (f->server);
  remove_tree (f->dir);
  g_strfreev (f->envp);
  g_free (f->data);
  g_free (f->dir);
}

static char *
waybill (Fixture    *f,
         const char *verb,
         ...)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *binary = g_getenv ("WAYBILL_BINARY");
  char *out = NULL;
  g_autofree char *err = NULL;
  const char *arg;
  va_list ap;

  g_assert_nonnull (binary);
  g_ptr_array_add (args, (char *) binary);
  g_ptr_array_add (args, (char *) verb);
  va_start (ap, verb);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, (char *) "--data-dir");
  g_ptr_array_add (args, f->data);
  g_ptr_array_add (args, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_environ (launcher, f->envp);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (process))
    g_error ("waybill %s failed: %s", verb, err);

  return out;
}

static int
rank (const char *status)
{
  const char * const order[] = {
    "info_received", "picked_up", "in_transit", "out_for_delivery", "delivered",
  };

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    if (g_str_equal (status, order[i]))
      return (int) i;

  return -1;
}

/* One `waybill refresh --all --json`; counts what the changes reached. */
static void
refresh (Fixture    *f,
         gboolean    forward_only,
         GHashTable *reached,
         guint      *n_forward)
{
  g_autofree char *out = waybill (f, "refresh", "--all", "--json", "--quiet", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  JsonArray *changed;

  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (root, "checked"), >, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "errors")), ==, 0);

  changed = json_object_get_array_member (root, "changed");
  for (guint i = 0; i < json_array_get_length (changed); i++)
    {
      JsonObject *change = json_array_get_object_element (changed, i);
      const char *from = json_object_get_string_member (change, "from");
      const char *to = json_object_get_string_member (change, "to");

      g_hash_table_add (reached, g_strdup (to));
      if (rank (to) > rank (from) && rank (from) >= 0)
        (*n_forward)++;
      /* Once the server has answered, a parcel only moves on. */
      if (forward_only && !g_str_equal (to, "exception"))
        g_assert_cmpint (rank (to), >, rank (from));
    }
}

/* Every parcel still moving is checked again WAYBILL_REFRESH_SECONDS after
 * its last check. */
static void
assert_next_checks (Fixture *f,
                    gint64   since)
{
  g_autofree char *path = g_build_filename (f->data, "waybill.db", NULL);
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = NULL;
  guint n = 0;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT next_check - last_checked FROM shipments"
                                       " WHERE last_checked >= ?1 AND status IN"
                                       " ('info_received', 'picked_up', 'in_transit',"
                                       "  'out_for_delivery', 'exception')",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, since);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_assert_cmpint (sqlite3_column_int64 (stmt, 0), >=, 7);
      g_assert_cmpint (sqlite3_column_int64 (stmt, 0), <=, 9);
      n++;
    }
  g_assert_cmpuint (n, >, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static void
test_progression (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GHashTable) reached = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *out = waybill (f, "demo", NULL);
  gint64 since = g_get_real_time () / G_USEC_PER_SEC;
  guint n_forward = 0;

  g_assert_nonnull (strstr (out, "demo orders"));

  /* The first answers too only move parcels on: the server starts each
   * number where the demo database has it (--data-dir). */
  refresh (f, TRUE, reached, &n_forward);
  n_forward = 0;
  for (guint pass = 0; pass < 3; pass++)
    {
      /* A stage a second: the next pass finds every moving parcel on. */
      g_usleep (3 * G_USEC_PER_SEC / 2);
      refresh (f, TRUE, reached, &n_forward);
    }

  g_assert_cmpuint (n_forward, >=, 3);
  g_assert_true (g_hash_table_contains (reached, "out_for_delivery"));
  g_assert_true (g_hash_table_contains (reached, "delivered"));
  g_assert_true (g_hash_table_contains (reached, "exception"));
  assert_next_checks (f, since);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/demo-carriers/progression", Fixture, NULL,
              fixture_setup, test_progression, fixture_teardown);

  return g_test_run ();
}
