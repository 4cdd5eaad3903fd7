/* waybill-preferences-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "waybill-credentials.h"
#include "waybill-tracker-registry.h"
#include "waybill-preferences-window.h"
#include "waybill-a11y.h"

#ifdef GDK_WINDOWING_X11
#include <gdk/x11/gdkx.h>
#endif
#include "waybill-application.h"
#include "waybill-messages-page.h"

/* Preferences: carrier accounts (kept in the keyring through
 * waybill-credentials), how often parcels are checked, and which changes
 * are announced.  Settings apply at once, as in every GNOME app. */
struct _WaybillPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
  GCancellable         *cancellable;
  WaybillTrackerRegistry *registry;
  WaybillAutostart     *autostart;
  GCancellable         *autostart_cancellable;
  GtkWidget            *login_row;
  GtkWidget            *login_switch;

  AdwPreferencesPage   *carriers_page;
  AdwPreferencesGroup  *intervals_group;
  AdwPreferencesGroup  *delay_group;
  AdwPreferencesGroup  *background_group;
  AdwPreferencesGroup  *notify_main_group;
  AdwPreferencesGroup  *notify_status_group;
};

G_DEFINE_FINAL_TYPE (WaybillPreferencesWindow, waybill_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* The tracking APIs and what each needs. */
static const struct
{
  const char *id;
  const char *name;
  const char *description;
  gboolean    client;
} apis[] = {
  { "dhl", "DHL", N_("Every DHL division, with a key from the DHL developer portal"), FALSE },
  { "ups", "UPS", N_("UPS parcels, with a client ID and secret from the UPS developer portal"), TRUE },
  { "fedex", "FedEx", N_("FedEx parcels, with a client ID and secret from the FedEx developer portal"), TRUE },
  { "usps", "USPS", N_("USPS mail and parcels, with a client ID and secret from the USPS developer portal"), TRUE },
  { "aftership", "AfterShip", N_("Parcels of over a thousand carriers, with an AfterShip API key"), FALSE },
  { "17track", "17TRACK", N_("Parcels of over a thousand carriers, with a 17TRACK API key"), FALSE },
};

/* A well-formed number to ask each API about when testing the connection:
 * any answer but "credentials rejected" proves the account works. */
static const struct
{
  const char *api;
  const char *number;
  const char *carrier;
} probes[] = {
  { "dhl", "00340434161094042557", "dhl-parcel-de" },
  { "ups", "1Z999AA10123456784", "ups" },
  { "fedex", "123456789012", "fedex" },
  { "usps", "9400111202555842761023", "usps" },
  { "aftership", "1Z999AA10123456784", "ups" },
  { "17track", "1Z999AA10123456784", "ups" },
};

static const struct
{
  const char *key;
  const char *title;
} intervals[] = {
  { "refresh-out-for-delivery-minutes", N_("Out for delivery") },
  { "refresh-in-transit-minutes", N_("In transit") },
  { "refresh-picked-up-minutes", N_("Picked up") },
  { "refresh-info-received-minutes", N_("Label created") },
  { "refresh-pending-minutes", N_("No tracking data yet") },
};

static const struct
{
  const char *key;
  const char *title;
} notify_keys[] = {
  { "notify-out-for-delivery", N_("Is out for delivery") },
  { "notify-delivered", N_("Is delivered") },
  { "notify-available-for-pickup", N_("Is ready for pickup") },
  { "notify-failed-attempt", N_("Could not be delivered") },
  { "notify-exception", N_("Has a problem") },
  { "notify-delayed", N_("Is delayed") },
  { "notify-returned", N_("Goes back to the sender") },
  { "notify-picked-up", N_("Is picked up") },
  { "notify-in-transit", N_("Moves on in transit") },
  { "notify-info-received", N_("Gets a shipping label") },
  { "notify-expired", N_("Is no longer tracked") },
};

typedef struct
{
  WaybillPreferencesWindow *self;
  char                     *api_id;
  const char               *field;
  GtkWidget                *row;
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_free (data->api_id);
  g_object_unref (data->row);
  g_free (data);
}

static void
stored_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  SaveData *data = user_data;
  g_autoptr(GError) error = NULL;

  if (!waybill_credentials_store_finish (result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          AdwToast *toast = adw_toast_new_format (_("Could not save to the keyring: %s"), error->message);

          gtk_widget_add_css_class (data->row, "error");
          adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (data->self), toast);
        }
    }
  else
    {
      gtk_widget_remove_css_class (data->row, "error");
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (data->self),
                                        adw_toast_new (_("Saved in the keyring")));
    }

  save_data_free (data);
}

static void
credential_apply_cb (AdwEntryRow *row,
                     gpointer     user_data)
{
  WaybillPreferencesWindow *self = user_data;
  SaveData *data = g_new0 (SaveData, 1);
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  data->self = self;
  data->api_id = g_strdup (g_object_get_data (G_OBJECT (row), "api-id"));
  data->field = g_object_get_data (G_OBJECT (row), "field");
  data->row = g_object_ref (GTK_WIDGET (row));

  waybill_credentials_store_async (data->api_id, data->field, text, NULL,
                                   self->cancellable, stored_cb, data);
}

typedef struct
{
  GtkWidget *rows[3];
} ApiRows;

static void
looked_up_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autofree ApiRows *rows = user_data;
  g_autoptr(WaybillCredentials) credentials = NULL;
  g_autoptr(GError) error = NULL;

  credentials = waybill_credentials_lookup_finish (result, &error);
  if (credentials == NULL)
    {
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("Could not read the keyring: %s", error->message);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      for (guint i = 0; i < G_N_ELEMENTS (rows->rows); i++)
        g_clear_object (&rows->rows[i]);
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (rows->rows); i++)
    {
      GtkWidget *row = rows->rows[i];
      const char *value;

      if (row == NULL)
        continue;

      value = waybill_credentials_get_field (credentials, g_object_get_data (G_OBJECT (row), "field"));
      if (value != NULL && *gtk_editable_get_text (GTK_EDITABLE (row)) == '\0')
        {
          /* Filling the field is not an edit: no Apply button for it. */
          g_signal_handlers_block_matched (row, G_SIGNAL_MATCH_FUNC, 0, 0, NULL, credential_apply_cb, NULL);
          gtk_editable_set_text (GTK_EDITABLE (row), value);
          g_signal_handlers_unblock_matched (row, G_SIGNAL_MATCH_FUNC, 0, 0, NULL, credential_apply_cb, NULL);
        }
      g_object_unref (row);
    }
}

typedef struct
{
  GtkWidget *row;
  GtkWidget *button;
  char      *api_id;
} TestData;

static void
test_data_free (TestData *data)
{
  g_object_unref (data->row);
  g_object_unref (data->button);
  g_free (data->api_id);
  g_free (data);
}

static void
show_test_result (TestData   *data,
                  const char *text,
                  gboolean    ok)
{
  adw_action_row_set_subtitle (ADW_ACTION_ROW (data->row), text);
  gtk_widget_set_sensitive (data->button, TRUE);
  if (ok)
    {
      gtk_widget_remove_css_class (data->row, "error");
      gtk_widget_add_css_class (data->row, "success");
    }
  else
    {
      gtk_widget_remove_css_class (data->row, "success");
      gtk_widget_add_css_class (data->row, "error");
    }
}

static void
tested_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  TestData *data = user_data;
  g_autoptr(GPtrArray) replies = NULL;
  g_autoptr(GError) error = NULL;
  WaybillTrackingReply *reply;

  replies = waybill_tracker_track_finish (WAYBILL_TRACKER (object), result, &error);
  if (replies == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_test_result (data, error->message, FALSE);
      test_data_free (data);
      return;
    }

  reply = g_ptr_array_index (replies, 0);
  if (reply->error == NULL ||
      g_error_matches (reply->error, WAYBILL_TRACKER_ERROR, WAYBILL_TRACKER_ERROR_NOT_FOUND))
    /* The API answered for the account: it works. */
    show_test_result (data, _("Connected: the account works"), TRUE);
  else
    show_test_result (data, reply->error->message, FALSE);

  test_data_free (data);
}

static void
credentials_ready_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  TestData *data = user_data;
  WaybillTracker *tracker = WAYBILL_TRACKER (object);
  g_autoptr(GError) error = NULL;
  const char *numbers[] = { NULL, NULL };

  if (!waybill_tracker_load_credentials_finish (tracker, result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      test_data_free (data);
      return;
    }

  if (!waybill_tracker_is_configured (tracker))
    {
      show_test_result (data, _("Enter the account’s credentials first"), FALSE);
      test_data_free (data);
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (probes); i++)
    if (g_str_equal (probes[i].api, data->api_id))
      {
        numbers[0] = probes[i].number;
        waybill_tracker_set_carrier_hint (tracker, probes[i].number, probes[i].carrier);
      }

  waybill_tracker_track_async (tracker, numbers,
                               g_object_get_data (G_OBJECT (data->row), "cancellable"),
                               tested_cb, data);
}

static void
test_connection_cb (GtkButton                *button,
                    WaybillPreferencesWindow *self)
{
  TestData *data = g_new0 (TestData, 1);
  WaybillTracker *tracker;

  data->button = g_object_ref (GTK_WIDGET (button));
  data->row = g_object_ref (gtk_widget_get_ancestor (GTK_WIDGET (button), ADW_TYPE_ACTION_ROW));
  data->api_id = g_strdup (g_object_get_data (G_OBJECT (button), "api-id"));
  g_object_set_data (G_OBJECT (data->row), "cancellable", self->cancellable);

  if (self->registry == NULL)
    self->registry = waybill_tracker_registry_new (NULL);
  tracker = waybill_tracker_registry_get (self->registry, data->api_id);

  gtk_widget_set_sensitive (data->button, FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (data->row), _("Asking…"));

  /* The credentials may have just been saved: read them again. */
  waybill_tracker_load_credentials_async (tracker, self->cancellable, credentials_ready_cb, data);
}

static void
add_test_row (WaybillPreferencesWindow *self,
              AdwPreferencesGroup      *group,
              const char               *api_id)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Test"));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Test Connection"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_object_set_data_full (G_OBJECT (button), "api-id", g_strdup (api_id), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (test_connection_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  adw_preferences_group_add (group, row);
}

static GtkWidget *
add_credential_row (WaybillPreferencesWindow *self,
                    AdwPreferencesGroup      *group,
                    const char               *api_id,
                    const char               *field,
                    const char               *title,
                    gboolean                  secret)
{
  GtkWidget *row = secret ? adw_password_entry_row_new () : adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "api-id", g_strdup (api_id), g_free);
  g_object_set_data (G_OBJECT (row), "field", (gpointer) field);
  g_signal_connect (row, "apply", G_CALLBACK (credential_apply_cb), self);
  adw_preferences_group_add (group, row);

  return row;
}

static void
build_carriers_page (WaybillPreferencesWindow *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (apis); i++)
    {
      GtkWidget *group = adw_preferences_group_new ();
      ApiRows *rows = g_new0 (ApiRows, 1);
      g_autofree char *env = waybill_credentials_env_name (apis[i].id, apis[i].client
                                                                       ? WAYBILL_CREDENTIAL_CLIENT_ID
                                                                       : WAYBILL_CREDENTIAL_API_KEY);

      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), apis[i].name);
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                             g_dgettext (GETTEXT_PACKAGE, apis[i].description));

      if (apis[i].client)
        {
          rows->rows[0] = g_object_ref (add_credential_row (self, ADW_PREFERENCES_GROUP (group), apis[i].id,
                                                            WAYBILL_CREDENTIAL_CLIENT_ID, _("Client ID"), FALSE));
          rows->rows[1] = g_object_ref (add_credential_row (self, ADW_PREFERENCES_GROUP (group), apis[i].id,
                                                            WAYBILL_CREDENTIAL_CLIENT_SECRET, _("Client Secret"), TRUE));
        }
      else
        rows->rows[0] = g_object_ref (add_credential_row (self, ADW_PREFERENCES_GROUP (group), apis[i].id,
                                                          WAYBILL_CREDENTIAL_API_KEY, _("API Key"), TRUE));

      if (g_getenv (env) != NULL)
        {
          GtkWidget *note = adw_action_row_new ();

          /* Translators: %s is an environment variable such as WAYBILL_UPS_CLIENT_ID */
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (note), _("Set by the environment"));
          adw_action_row_set_subtitle (ADW_ACTION_ROW (note), env);
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), note);
        }

      add_test_row (self, ADW_PREFERENCES_GROUP (group), apis[i].id);
      adw_preferences_page_add (self->carriers_page, ADW_PREFERENCES_GROUP (group));
      waybill_credentials_lookup_async (apis[i].id, self->cancellable, looked_up_cb, rows);
    }
}

static GtkWidget *
add_spin_row (AdwPreferencesGroup *group,
              GSettings           *settings,
              const char          *key,
              const char          *title,
              const char          *subtitle,
              double               min,
              double               max)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (min, max, 1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  g_object_set_data (G_OBJECT (row), "spin", spin);
  if (settings != NULL)
    g_settings_bind (settings, key, spin, "value", G_SETTINGS_BIND_DEFAULT);
  adw_preferences_group_add (group, row);

  return row;
}

static GtkWidget *
add_switch_row (AdwPreferencesGroup *group,
                GSettings           *settings,
                const char          *key,
                const char          *title,
                const char          *subtitle)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *toggle = gtk_switch_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
  g_object_set_data (G_OBJECT (row), "switch", toggle);
  if (settings != NULL)
    g_settings_bind (settings, key, toggle, "active", G_SETTINGS_BIND_DEFAULT);
  adw_preferences_group_add (group, row);

  return row;
}

/* Start at Login: the switch moves when the autostart entry is written or
 * the Background portal said yes; a "no" stays visible on the row. */

#define LOGIN_SUBTITLE N_("Start without a window when you log in, to keep checking parcels")

/* The window as the portals name it, for the portal's dialog. */
static char *
parent_window_handle (WaybillPreferencesWindow *self)
{
#ifdef GDK_WINDOWING_X11
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (self));

  if (surface != NULL && GDK_IS_X11_SURFACE (surface))
    return g_strdup_printf ("x11:%lx", (unsigned long) gdk_x11_surface_get_xid (surface));
#endif

  return g_strdup ("");
}

static void
autostart_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  WaybillPreferencesWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean wanted;

  if (!waybill_autostart_set_enabled_finish (WAYBILL_AUTOSTART (object), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_object_unref (self);
      return;
    }

  wanted = gtk_switch_get_active (GTK_SWITCH (self->login_switch));
  gtk_widget_set_sensitive (self->login_switch, TRUE);
  g_clear_object (&self->autostart_cancellable);

  if (error != NULL)
    {
      /* Back to how it was, with the reason in words. */
      g_message ("Could not change starting at login: %s", error->message);
      gtk_switch_set_state (GTK_SWITCH (self->login_switch), !wanted);
      gtk_switch_set_active (GTK_SWITCH (self->login_switch), !wanted);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->login_row), error->message);
      gtk_widget_add_css_class (self->login_row, "error");
    }
  else
    {
      gtk_switch_set_state (GTK_SWITCH (self->login_switch), wanted);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->login_row), _(LOGIN_SUBTITLE));
      gtk_widget_remove_css_class (self->login_row, "error");
      if (self->settings != NULL)
        g_settings_set_boolean (self->settings, "start-at-login", wanted);
    }

  g_object_unref (self);
}

static gboolean
login_state_set_cb (GtkSwitch                *toggle,
                    gboolean                  state,
                    WaybillPreferencesWindow *self)
{
  g_autofree char *parent = NULL;

  /* Nothing to do: put back as it was. */
  if (state == gtk_switch_get_state (toggle))
    return FALSE;
  if (self->autostart == NULL || self->autostart_cancellable != NULL)
    return TRUE;

  /* The switch shows the wish at once and its state once it is done. */
  gtk_widget_set_sensitive (self->login_switch, FALSE);
  self->autostart_cancellable = g_cancellable_new ();
  parent = parent_window_handle (self);
  waybill_autostart_set_enabled_async (self->autostart, state, parent,
                                       _("Waybill checks your parcels and tells you when they change"),
                                       self->autostart_cancellable, autostart_done_cb,
                                       g_object_ref (self));

  return TRUE;
}

/* The switch as things are: the setting, or outside Flatpak the entry
 * itself (someone may have removed it, or made it by hand). */
static void
sync_login_switch (WaybillPreferencesWindow *self)
{
  gboolean on = self->settings != NULL && g_settings_get_boolean (self->settings, "start-at-login");

  if (self->login_switch == NULL)
    return;

  if (self->autostart != NULL &&
      waybill_autostart_get_method (self->autostart) == WAYBILL_AUTOSTART_METHOD_FILE)
    {
      g_autofree char *path = waybill_autostart_get_file_path (self->autostart);

      on = g_file_test (path, G_FILE_TEST_EXISTS);
      if (self->settings != NULL && g_settings_get_boolean (self->settings, "start-at-login") != on)
        g_settings_set_boolean (self->settings, "start-at-login", on);
    }

  g_signal_handlers_block_by_func (self->login_switch, login_state_set_cb, self);
  gtk_switch_set_state (GTK_SWITCH (self->login_switch), on);
  gtk_switch_set_active (GTK_SWITCH (self->login_switch), on);
  g_signal_handlers_unblock_by_func (self->login_switch, login_state_set_cb, self);
}

static void
add_login_row (WaybillPreferencesWindow *self)
{
  self->login_row = add_switch_row (self->background_group, NULL, NULL, _("Start at Login"),
                                    _(LOGIN_SUBTITLE));
  self->login_switch = g_object_get_data (G_OBJECT (self->login_row), "switch");
  g_signal_connect (self->login_switch, "state-set", G_CALLBACK (login_state_set_cb), self);
  sync_login_switch (self);
}

/**
 * waybill_preferences_window_set_autostart:
 * @autostart: (nullable): what writes the autostart entry or asks the
 *   portal; %NULL to use the one for this app
 *
 * Replaces how starting at login is done (the tests point it at a fake
 * portal).
 */
void
waybill_preferences_window_set_autostart (WaybillPreferencesWindow *self,
                                          WaybillAutostart         *autostart)
{
  static const char * const commandline[] = { "waybill", "--background", NULL };

  g_return_if_fail (WAYBILL_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (autostart == NULL || WAYBILL_IS_AUTOSTART (autostart));

  g_clear_object (&self->autostart);
  self->autostart = autostart != NULL ? g_object_ref (autostart) : waybill_autostart_new (APP_ID, commandline);
  sync_login_switch (self);
}

static void
build_settings_pages (WaybillPreferencesWindow *self)
{
  GSettingsSchema *schema = NULL;

  if (self->settings != NULL)
    g_object_get (self->settings, "settings-schema", &schema, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (intervals); i++)
    add_spin_row (self->intervals_group, self->settings, intervals[i].key,
                  g_dgettext (GETTEXT_PACKAGE, intervals[i].title), NULL, 5, 10080);

  add_spin_row (self->delay_group, self->settings, "delay-threshold-days",
                _("Days without news"),
                _("A parcel that the carrier has not scanned for this many days is marked as delayed"),
                1, 60);

  add_switch_row (self->background_group, self->settings, "run-in-background",
                  _("Run in Background"),
                  _("Keep checking parcels and announcing changes after the window is closed"));
  add_login_row (self);

  add_switch_row (self->notify_main_group, self->settings, "notify-status-changes",
                  _("Desktop Notifications"),
                  _("Announce when a parcel changes state"));

  for (guint i = 0; i < G_N_ELEMENTS (notify_keys); i++)
    {
      GtkWidget *row;

      if (schema != NULL && !g_settings_schema_has_key (schema, notify_keys[i].key))
        continue;
      row = add_switch_row (self->notify_status_group, self->settings, notify_keys[i].key,
                            g_dgettext (GETTEXT_PACKAGE, notify_keys[i].title), NULL);
      if (self->settings != NULL)
        g_settings_bind (self->settings, "notify-status-changes", row, "sensitive", G_SETTINGS_BIND_GET);
    }

  g_clear_pointer (&schema, g_settings_schema_unref);
}

static void
waybill_preferences_window_dispose (GObject *object)
{
  WaybillPreferencesWindow *self = WAYBILL_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), WAYBILL_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_object (&self->registry);
  g_cancellable_cancel (self->autostart_cancellable);
  g_clear_object (&self->autostart_cancellable);
  g_clear_object (&self->autostart);

  G_OBJECT_CLASS (waybill_preferences_window_parent_class)->dispose (object);
}

static void
waybill_preferences_window_class_init (WaybillPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = waybill_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/waybill/Waybill/waybill-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, WaybillPreferencesWindow, carriers_page);
  gtk_widget_class_bind_template_child (widget_class, WaybillPreferencesWindow, intervals_group);
  gtk_widget_class_bind_template_child (widget_class, WaybillPreferencesWindow, delay_group);
  gtk_widget_class_bind_template_child (widget_class, WaybillPreferencesWindow, background_group);
  gtk_widget_class_bind_template_child (widget_class, WaybillPreferencesWindow, notify_main_group);
  gtk_widget_class_bind_template_child (widget_class, WaybillPreferencesWindow, notify_status_group);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
waybill_preferences_window_init (WaybillPreferencesWindow *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Customer messages (issue #9), a page of its own. */
static void
add_messages_page (WaybillPreferencesWindow *self)
{
  GApplication *app = g_application_get_default ();
  WaybillMessagesPage *page;

  if (self->settings == NULL)
    return;

  page = waybill_messages_page_new (self->settings);
  if (WAYBILL_IS_APPLICATION (app))
    waybill_messages_page_set_outbox (page, waybill_application_get_outbox (WAYBILL_APPLICATION (app)));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), ADW_PREFERENCES_PAGE (page));
}

/**
 * waybill_preferences_window_new:
 * @parent: (nullable): the window it belongs to
 * @settings: (nullable): the app's settings; %NULL when the schema is not
 *   installed (running from the build folder), which leaves only the
 *   carrier accounts
 *
 * Returns: (transfer none): the window, owned by GTK like every toplevel
 */
WaybillPreferencesWindow *
waybill_preferences_window_new (GtkWindow *parent,
                                GSettings *settings)
{
  WaybillPreferencesWindow *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self = g_object_new (WAYBILL_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       NULL);
  self->settings = settings != NULL ? g_object_ref (settings) : NULL;

  waybill_preferences_window_set_autostart (self, NULL);
  build_carriers_page (self);
  build_settings_pages (self);
  add_messages_page (self);
  /* libadwaita's own search button and password peek buttons. */
  waybill_a11y_name_icon_buttons (GTK_WIDGET (self));

  return self;
}
