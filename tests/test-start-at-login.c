/* test-start-at-login.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ui-util.h"

#include <adwaita.h>

#include "fake-background-portal.h"
#include "waybill-autostart.h"
#include "waybill-preferences-window.h"

/* Preferences → Start at Login: the switch writes and removes the
 * autostart entry (under run-xvfb.sh's own XDG_CONFIG_HOME), and a "no"
 * from the Background portal (a fake one on the private bus) puts the
 * switch back and says why on the row. */

static GSettings *
new_settings (void)
{
  g_autoptr(GSettingsSchema) schema =
    g_settings_schema_source_lookup (g_settings_schema_source_get_default (), "io.github.waybill.Waybill", TRUE);

  g_assert_nonnull (schema);
  return g_settings_new_full (schema, NULL, NULL);
}

static GtkWidget *
find_login_row (GtkWidget *root)
{
  GSList *stack = g_slist_prepend (NULL, root);
  GtkWidget *found = NULL;

  while (stack != NULL)
    {
      GtkWidget *w = stack->data;

      stack = g_slist_delete_link (stack, stack);
      if (found == NULL && ADW_IS_ACTION_ROW (w) &&
          g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (w)), "Start at Login") == 0)
        found = w;
      for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
        stack = g_slist_prepend (stack, c);
    }
  g_assert_nonnull (found);

  return found;
}

static GtkSwitch *
switch_of (GtkWidget *row)
{
  GtkWidget *toggle = adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row));

  g_assert_true (GTK_IS_SWITCH (toggle));
  return GTK_SWITCH (toggle);
}

/* Flips the switch as a click does, and waits for the answer. */
static void
flip (GtkSwitch *toggle)
{
  gtk_switch_set_active (toggle, !gtk_switch_get_active (toggle));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (toggle)));
  for (int i = 0; i < 300 && !gtk_widget_get_sensitive (GTK_WIDGET (toggle)); i++)
    iterate (10);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (toggle)));
}

static WaybillPreferencesWindow *
open_preferences (GSettings        *settings,
                  WaybillAutostart *autostart)
{
  WaybillPreferencesWindow *prefs = waybill_preferences_window_new (NULL, settings);

  if (autostart != NULL)
    waybill_preferences_window_set_autostart (prefs, autostart);
  gtk_window_set_default_size (GTK_WINDOW (prefs), 640, 760);
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (prefs), "refresh");
  gtk_window_present (GTK_WINDOW (prefs));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (prefs));
  iterate (100);

  return prefs;
}

static void
test_file (void)
{
  const char * const commandline[] = { "waybill", "--background", NULL };
  g_autoptr(GSettings) settings = new_settings ();
  g_autoptr(WaybillAutostart) autostart = waybill_autostart_new (APP_ID, commandline);
  g_autofree char *path = NULL;
  g_autofree char *entry = NULL;
  WaybillPreferencesWindow *prefs;
  GtkWidget *row;
  GtkSwitch *toggle;

  waybill_autostart_set_method (autostart, WAYBILL_AUTOSTART_METHOD_FILE);
  path = waybill_autostart_get_file_path (autostart);
  g_assert_true (g_str_has_prefix (path, g_getenv ("XDG_CONFIG_HOME")));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_false (g_settings_get_boolean (settings, "start-at-login"));

  prefs = open_preferences (settings, autostart);
  row = find_login_row (GTK_WIDGET (prefs));
  toggle = switch_of (row);
  g_assert_false (gtk_switch_get_active (toggle));

  flip (toggle);
  g_assert_true (gtk_switch_get_state (toggle));
  g_assert_true (g_settings_get_boolean (settings, "start-at-login"));
  g_assert_true (g_file_get_contents (path, &entry, NULL, NULL));
  g_assert_nonnull (strstr (entry, "Exec=waybill --background\n"));
  save_screenshot (GTK_WIDGET (prefs), "preferences-start-at-login.png");

  flip (toggle);
  g_assert_false (gtk_switch_get_state (toggle));
  g_assert_false (g_settings_get_boolean (settings, "start-at-login"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  gtk_window_destroy (GTK_WINDOW (prefs));
  iterate (50);

  /* An entry made elsewhere (by hand, an older Waybill): the switch and
   * the setting follow the file. */
  g_assert_true (g_file_set_contents (path, entry, -1, NULL));
  prefs = open_preferences (settings, autostart);
  toggle = switch_of (find_login_row (GTK_WIDGET (prefs)));
  g_assert_true (gtk_switch_get_active (toggle));
  g_assert_true (gtk_switch_get_state (toggle));
  g_assert_true (g_settings_get_boolean (settings, "start-at-login"));
  flip (toggle);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_false (g_settings_get_boolean (settings, "start-at-login"));
  gtk_window_destroy (GTK_WINDOW (prefs));
  iterate (50);
}

static void
test_portal_denied (void)
{
  const char * const commandline[] = { "waybill", "--background", NULL };
  g_autoptr(FakePortal) portal = fake_portal_new ();
  g_autoptr(GSettings) settings = new_settings ();
  g_autoptr(WaybillAutostart) autostart = waybill_autostart_new (APP_ID, commandline);
  WaybillPreferencesWindow *prefs;
  GtkWidget *row;
  GtkSwitch *toggle;
  const char *token = NULL;

  waybill_autostart_set_method (autostart, WAYBILL_AUTOSTART_METHOD_PORTAL);
  g_settings_reset (settings, "start-at-login");
  prefs = open_preferences (settings, autostart);
  row = find_login_row (GTK_WIDGET (prefs));
  toggle = switch_of (row);

  /* The user says no in the portal's dialog. */
  portal->response = 1;
  flip (toggle);
  g_assert_cmpuint (portal->n_calls, ==, 1);
  g_assert_true (g_variant_lookup (portal->options, "handle_token", "&s", &token));
  /* The portal is told which window asks (x11:XID under Xvfb). */
  g_assert_true (g_str_has_prefix (portal->parent_window, "x11:"));
  g_assert_false (gtk_switch_get_state (toggle));
  g_assert_false (gtk_switch_get_active (toggle));
  g_assert_false (g_settings_get_boolean (settings, "start-at-login"));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "Waybill was not allowed to run in the background. "
                   "You can allow it in the system settings, under Apps.");
  g_assert_true (gtk_widget_has_css_class (row, "error"));
  save_screenshot (GTK_WIDGET (prefs), "preferences-start-at-login-denied.png");

  /* Allowed the second time: on, and the message is gone. */
  portal->response = 0;
  portal->grant_autostart = TRUE;
  flip (toggle);
  g_assert_cmpuint (portal->n_calls, ==, 2);
  g_assert_true (gtk_switch_get_state (toggle));
  g_assert_true (g_settings_get_boolean (settings, "start-at-login"));
  g_assert_false (gtk_widget_has_css_class (row, "error"));
  g_assert_null (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "not allowed"));

  gtk_window_destroy (GTK_WINDOW (prefs));
  iterate (50);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/waybill/start-at-login/file", test_file);
  g_test_add_func ("/waybill/start-at-login/portal-denied", test_portal_denied);

  return g_test_run ();
}
