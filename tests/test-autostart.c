/* test-autostart.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "fake-background-portal.h"
#include "waybill-autostart.h"

/* Starting at login: the autostart entry under $XDG_CONFIG_HOME, and the
 * Background portal (a fake one on the private session bus this test runs
 * on, see run-private-session.sh). */

static const char * const commandline[] = { "waybill", "--background", NULL };

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
set_enabled (WaybillAutostart  *autostart,
             gboolean           enabled,
             GCancellable      *cancellable,
             GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  waybill_autostart_set_enabled_async (autostart, enabled, "x11:2a", "Keep parcels up to date",
                                       cancellable, store_result_cb, &result);
  while (result == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (result);

  return waybill_autostart_set_enabled_finish (autostart, result, error);
}

static WaybillAutostart *
new_autostart (WaybillAutostartMethod method)
{
  WaybillAutostart *autostart = waybill_autostart_new ("io.github.waybill.Waybill", commandline);

  waybill_autostart_set_method (autostart, method);
  g_assert_cmpint (waybill_autostart_get_method (autostart), ==, method);

  return autostart;
}

static void
test_file (void)
{
  g_autoptr(WaybillAutostart) autostart = new_autostart (WAYBILL_AUTOSTART_METHOD_FILE);
  g_autofree char *path = waybill_autostart_get_file_path (autostart);
  g_autofree char *expected = g_build_filename (g_getenv ("XDG_CONFIG_HOME"), "autostart",
                                                "io.github.waybill.Waybill.desktop", NULL);
  g_autoptr(GKeyFile) keys = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *exec = NULL;
  g_autofree char *type = NULL;
  g_autofree char *icon = NULL;
  g_autofree char *name = NULL;
  GStatBuf st;

  g_assert_nonnull (g_getenv ("XDG_CONFIG_HOME"));
  g_assert_cmpstr (path, ==, expected);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  g_assert_true (set_enabled (autostart, TRUE, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0644);

  g_assert_true (g_key_file_load_from_file (keys, path, G_KEY_FILE_NONE, &error));
  g_assert_no_error (error);
  exec = g_key_file_get_string (keys, G_KEY_FILE_DESKTOP_GROUP, "Exec", &error);
  g_assert_cmpstr (exec, ==, "waybill --background");
  type = g_key_file_get_value (keys, G_KEY_FILE_DESKTOP_GROUP, "Type", NULL);
  g_assert_cmpstr (type, ==, "Application");
  icon = g_key_file_get_value (keys, G_KEY_FILE_DESKTOP_GROUP, "Icon", NULL);
  g_assert_cmpstr (icon, ==, "io.github.waybill.Waybill");
  name = g_key_file_get_value (keys, G_KEY_FILE_DESKTOP_GROUP, "Name", NULL);
  g_assert_cmpstr (name, ==, "Waybill");
  g_assert_true (g_key_file_get_boolean (keys, G_KEY_FILE_DESKTOP_GROUP, "NoDisplay", NULL));
  g_assert_true (g_key_file_get_boolean (keys, G_KEY_FILE_DESKTOP_GROUP, "X-GNOME-Autostart-enabled", NULL));

  /* Again: still one file, same content. */
  g_assert_true (set_enabled (autostart, TRUE, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (set_enabled (autostart, FALSE, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  /* Off when it is off already is no error. */
  g_assert_true (set_enabled (autostart, FALSE, NULL, &error));
  g_assert_no_error (error);
}

/* Arguments with spaces, quotes and % are quoted as the Desktop Entry
 * Specification asks, and read back as the same arguments. */
static void
test_file_quoting (void)
{
  const char * const odd[] = { "/opt/My Apps/waybill", "--note=100% \"sure\"", "--x=$HOME", NULL };
  g_autoptr(WaybillAutostart) autostart = waybill_autostart_new ("io.github.waybill.Waybill", odd);
  g_autofree char *entry = waybill_autostart_build_entry (autostart);
  g_autoptr(GKeyFile) keys = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *exec = NULL;

  g_assert_true (g_key_file_load_from_data (keys, entry, -1, G_KEY_FILE_NONE, &error));
  g_assert_no_error (error);
  exec = g_key_file_get_string (keys, G_KEY_FILE_DESKTOP_GROUP, "Exec", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (exec, ==, "\"/opt/My Apps/waybill\" \"--note=100%% \\\"sure\\\"\" \"--x=\\$HOME\"");
}

static void
test_file_error (void)
{
  g_autoptr(WaybillAutostart) autostart = new_autostart (WAYBILL_AUTOSTART_METHOD_FILE);
  g_autofree char *path = waybill_autostart_get_file_path (autostart);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *parent = g_path_get_dirname (dir);
  g_autoptr(GError) error = NULL;

  /* A file where the autostart folder should be. */
  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
  g_rmdir (dir);
  g_assert_true (g_file_set_contents (dir, "not a folder", -1, NULL));

  g_assert_false (set_enabled (autostart, TRUE, NULL, &error));
  g_assert_error (error, WAYBILL_AUTOSTART_ERROR, WAYBILL_AUTOSTART_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, dir));
  g_clear_error (&error);

  g_assert_cmpint (g_unlink (dir), ==, 0);
}

static void
assert_request (FakePortal *portal,
                gboolean    autostart)
{
  g_autofree const char **argv = NULL;
  const char *reason = NULL;
  const char *token = NULL;
  gboolean value = !autostart;

  g_assert_cmpstr (portal->parent_window, ==, "x11:2a");
  g_assert_true (g_variant_lookup (portal->options, "autostart", "b", &value));
  g_assert_cmpint (value, ==, autostart);
  g_assert_true (g_variant_lookup (portal->options, "reason", "&s", &reason));
  g_assert_cmpstr (reason, ==, "Keep parcels up to date");
  g_assert_true (g_variant_lookup (portal->options, "handle_token", "&s", &token));
  g_assert_true (g_str_has_prefix (token, "waybill"));
  g_assert_true (g_variant_lookup (portal->options, "commandline", "^a&s", &argv));
  g_assert_nonnull (argv);
  g_assert_cmpstrv (argv, commandline);
  g_assert_true (g_variant_lookup (portal->options, "dbus-activatable", "b", &value));
  g_assert_false (value);
}

static void
test_portal_granted (void)
{
  g_autoptr(FakePortal) portal = fake_portal_new ();
  g_autoptr(WaybillAutostart) autostart = new_autostart (WAYBILL_AUTOSTART_METHOD_PORTAL);
  g_autofree char *path = waybill_autostart_get_file_path (autostart);
  g_autoptr(GError) error = NULL;

  g_assert_true (set_enabled (autostart, TRUE, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (portal->n_calls, ==, 1);
  assert_request (portal, TRUE);
  /* The portal writes the entry, not the app. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  /* Off: the portal is asked without autostart, and "autostart: false"
   * is then the answer wanted. */
  portal->grant_autostart = FALSE;
  g_assert_true (set_enabled (autostart, FALSE, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (portal->n_calls, ==, 2);
  assert_request (portal, FALSE);
}

static void
test_portal_denied (void)
{
  g_autoptr(FakePortal) portal = fake_portal_new ();
  g_autoptr(WaybillAutostart) autostart = new_autostart (WAYBILL_AUTOSTART_METHOD_PORTAL);
  g_autoptr(GError) error = NULL;

  /* The user said no in the portal's dialog. */
  portal->response = 1;
  g_assert_false (set_enabled (autostart, TRUE, NULL, &error));
  g_assert_error (error, WAYBILL_AUTOSTART_ERROR, WAYBILL_AUTOSTART_ERROR_DENIED);
  g_assert_nonnull (strstr (error->message, "not allowed"));
  g_clear_error (&error);

  /* Background allowed, but not starting at login. */
  portal->response = 0;
  portal->grant_autostart = FALSE;
  g_assert_false (set_enabled (autostart, TRUE, NULL, &error));
  g_assert_error (error, WAYBILL_AUTOSTART_ERROR, WAYBILL_AUTOSTART_ERROR_DENIED);
  g_assert_nonnull (strstr (error->message, "start at login"));
  g_clear_error (&error);

  /* Something else went wrong. */
  portal->response = 2;
  g_assert_false (set_enabled (autostart, TRUE, NULL, &error));
  g_assert_error (error, WAYBILL_AUTOSTART_ERROR, WAYBILL_AUTOSTART_ERROR_FAILED);
  g_assert_cmpuint (portal->n_calls, ==, 3);
}

static void
test_portal_missing (void)
{
  g_autoptr(WaybillAutostart) autostart = new_autostart (WAYBILL_AUTOSTART_METHOD_PORTAL);
  g_autoptr(GError) error = NULL;

  g_assert_false (set_enabled (autostart, TRUE, NULL, &error));
  g_assert_error (error, WAYBILL_AUTOSTART_ERROR, WAYBILL_AUTOSTART_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "start Waybill at login"));
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

/* A portal whose dialog is never answered: cancelling closes the request. */
static void
test_portal_cancel (void)
{
  g_autoptr(FakePortal) portal = fake_portal_new ();
  g_autoptr(WaybillAutostart) autostart = new_autostart (WAYBILL_AUTOSTART_METHOD_PORTAL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  gint64 deadline;

  portal->silent = TRUE;
  g_timeout_add (200, cancel_cb, cancellable);
  g_assert_false (set_enabled (autostart, TRUE, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (portal->n_calls, ==, 1);

  deadline = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
  while (!portal->closed && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (portal->closed);
  g_clear_error (&error);

  /* Cancelled before it started: the portal is not asked. */
  g_assert_false (set_enabled (autostart, TRUE, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (portal->n_calls, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* The session bus and XDG_CONFIG_HOME are run-private-session.sh's. */
  if (g_getenv ("WAYBILL_TEST_PRIVATE_BUS") == NULL)
    {
      g_test_skip ("Needs run-private-session.sh");
      return 77;
    }

  g_test_add_func ("/waybill/autostart/file", test_file);
  g_test_add_func ("/waybill/autostart/file-quoting", test_file_quoting);
  g_test_add_func ("/waybill/autostart/file-error", test_file_error);
  g_test_add_func ("/waybill/autostart/portal-granted", test_portal_granted);
  g_test_add_func ("/waybill/autostart/portal-denied", test_portal_denied);
  g_test_add_func ("/waybill/autostart/portal-missing", test_portal_missing);
  g_test_add_func ("/waybill/autostart/portal-cancel", test_portal_cancel);

  return g_test_run ();
}
