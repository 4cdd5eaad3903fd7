/* waybill-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-application"

#include "config.h"

#include <glib/gi18n.h>

#include "waybill-application.h"
#include "waybill-notifier.h"
#include "waybill-outbox.h"
#include "waybill-refresher.h"
#include "waybill-tracker-registry.h"
#include "waybill-paths.h"
#include "waybill-store.h"
#include "waybill-window.h"

/* How often the window looks for changes made by another process (the
 * command line, a second window's refresh). */
#define WATCH_INTERVAL_MS 1000

struct _WaybillApplication
{
  AdwApplication  parent_instance;

  char           *data_dir;
  WaybillStore   *store;
  GError         *store_error;
  GSettings      *settings;
  WaybillNotifier *notifier;
  WaybillTrackerRegistry *registry;
  WaybillRefresher *refresher;
  WaybillOutbox  *outbox;
  gboolean        held;
  gboolean        start_hidden;
  gboolean        background_held;
};

G_DEFINE_FINAL_TYPE (WaybillApplication, waybill_application, ADW_TYPE_APPLICATION)

WaybillApplication *
waybill_application_new (void)
{
  return g_object_new (WAYBILL_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/waybill/Waybill",
                       NULL);
}

static int
waybill_application_handle_local_options (GApplication *app,
                                          GVariantDict *options)
{
  WaybillApplication *self = WAYBILL_APPLICATION (app);
  const char *data_dir = NULL;

  if (g_variant_dict_lookup (options, "data-dir", "^&ay", &data_dir))
    self->data_dir = g_strdup (data_dir);

  /* Started at login: no window, only the refresher.  When Waybill runs
   * already, there is nothing to do. */
  if (g_variant_dict_contains (options, "background"))
    {
      g_autoptr(GError) error = NULL;

      if (!g_application_register (app, NULL, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      if (g_application_get_is_remote (app))
        return 0;
      self->start_hidden = TRUE;
    }

  return -1;
}

static WaybillWindow *
get_window (WaybillApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    {
      g_application_activate (G_APPLICATION (self));
      window = gtk_application_get_active_window (GTK_APPLICATION (self));
    }

  return WAYBILL_IS_WINDOW (window) ? WAYBILL_WINDOW (window) : NULL;
}

static void
notifier_open_order_cb (WaybillApplication *self,
                        gint64              order_id)
{
  WaybillWindow *window = get_window (self);

  if (window == NULL)
    return;

  waybill_window_show_order_id (window, order_id);
  gtk_window_present (GTK_WINDOW (window));
}

static void
notifier_copy_cb (WaybillApplication *self,
                  const char         *tracking_number)
{
  WaybillWindow *window = get_window (self);

  if (window != NULL)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (window)), tracking_number);
}

static void
notifier_show_orders_cb (WaybillApplication *self,
                         GArray             *order_ids)
{
  WaybillWindow *window = get_window (self);

  if (window == NULL || order_ids == NULL || order_ids->len == 0)
    return;

  /* The first changed order; the list shows the others by their status. */
  waybill_window_show_order_id (window, g_array_index (order_ids, gint64, 0));
  gtk_window_present (GTK_WINDOW (window));
}

static GSettings *
load_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID_BASE, TRUE);

  return schema != NULL ? g_settings_new_full (schema, NULL, NULL) : NULL;
}

static void
credentials_loaded_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!waybill_tracker_registry_load_credentials_finish (WAYBILL_TRACKER_REGISTRY (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("Could not read the carrier credentials from the keyring: %s", error->message);
}

/* With "Run in background" the app stays (and keeps refreshing) after its
 * last window closes; launching Waybill again shows the window. */
static void
run_in_background_changed_cb (WaybillApplication *self)
{
  gboolean wanted = g_settings_get_boolean (self->settings, "run-in-background");

  if (wanted && !self->held)
    g_application_hold (G_APPLICATION (self));
  else if (!wanted && self->held)
    g_application_release (G_APPLICATION (self));
  self->held = wanted;
}

static void
outbox_secrets_loaded_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!waybill_outbox_load_secrets_finish (WAYBILL_OUTBOX (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("Could not read the message accounts from the keyring: %s", error->message);
}

/* Customer messages (issue #9): each change the refresher records may
 * queue a message; the outbox sends it (once) on its own timer. */
static void
refresher_status_changed_cb (WaybillApplication        *self,
                             const WaybillStatusChange *change)
{
  g_autoptr(GPtrArray) changes = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (changes, (gpointer) change);
  if (waybill_outbox_queue_changes (self->outbox, changes, &error) == G_MAXUINT)
    g_warning ("Could not queue a message to the customer: %s", error->message);
}

static void
ensure_outbox (WaybillApplication *self)
{
  self->outbox = waybill_outbox_new (self->store, self->settings);
  waybill_outbox_load_secrets_async (self->outbox, NULL, outbox_secrets_loaded_cb, NULL);
  g_signal_connect_object (self->refresher, "status-changed",
                           G_CALLBACK (refresher_status_changed_cb), self, G_CONNECT_SWAPPED);
  waybill_outbox_start (self->outbox);
}

/**
 * waybill_application_get_outbox:
 *
 * Returns: (transfer none) (nullable) (type WaybillOutbox): the outbox of
 *   customer messages, %NULL when the database could not be opened
 */
gpointer
waybill_application_get_outbox (WaybillApplication *self)
{
  g_return_val_if_fail (WAYBILL_IS_APPLICATION (self), NULL);

  return self->outbox;
}

static void
ensure_store (WaybillApplication *self)
{
  g_autofree char *path = NULL;

  if (self->store != NULL || self->store_error != NULL)
    return;

  path = waybill_paths_get_database_path (self->data_dir);
  self->store = waybill_store_open (path, &self->store_error);
  if (self->store == NULL)
    {
      g_warning ("%s", self->store_error->message);
      return;
    }

  waybill_store_watch (self->store, WATCH_INTERVAL_MS);

  self->settings = load_settings ();
  if (self->settings != NULL)
    waybill_store_set_delay_threshold (self->store,
                                       g_settings_get_int (self->settings, "delay-threshold-days") * 24 * 3600);

  self->notifier = waybill_notifier_new (self->store, APP_ID, _("Waybill"));
  if (self->settings != NULL)
    waybill_notifier_bind_settings (self->notifier, self->settings);
  g_signal_connect_object (self->notifier, "open-order", G_CALLBACK (notifier_open_order_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->notifier, "copy-tracking-number", G_CALLBACK (notifier_copy_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->notifier, "show-orders", G_CALLBACK (notifier_show_orders_cb), self, G_CONNECT_SWAPPED);

  /* Tracking is refreshed in the background for as long as the app runs;
   * credentials arrive from the keyring a moment later, and the refresher
   * catches up when they do. */
  self->registry = waybill_tracker_registry_new (NULL);
  waybill_tracker_registry_load_credentials_async (self->registry, NULL, credentials_loaded_cb, NULL);
  self->refresher = waybill_refresher_new (self->store, self->registry, self->notifier);
  if (self->settings != NULL)
    {
      waybill_refresher_bind_settings (self->refresher, self->settings);
      g_signal_connect_object (self->settings, "changed::run-in-background",
                               G_CALLBACK (run_in_background_changed_cb), self, G_CONNECT_SWAPPED);
      run_in_background_changed_cb (self);
    }
  waybill_refresher_start (self->refresher);
  ensure_outbox (self);
}

static void
waybill_application_activate (GApplication *app)
{
  WaybillApplication *self = WAYBILL_APPLICATION (app);
  GtkWindow *window;

  /* Started with --background: the refresher runs and the app stays until
   * it is quit; launching Waybill again shows the window. */
  if (self->start_hidden)
    {
      self->start_hidden = FALSE;
      ensure_store (self);
      if (!self->background_held)
        {
          g_application_hold (app);
          self->background_held = TRUE;
        }
      return;
    }

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window == NULL)
    {
      ensure_store (self);
      window = GTK_WINDOW (waybill_window_new (self, self->store, self->store_error));
      if (self->refresher != NULL)
        waybill_window_set_refresher (WAYBILL_WINDOW (window), self->refresher);
    }

  gtk_window_present (window);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  static const char *developers[] = { "The Waybill developers", NULL };
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  adw_show_about_window (window,
                         "application-name", _("Waybill"),
                         "application-icon", APP_ID,
                         "developer-name", _("The Waybill developers"),
                         "version", PACKAGE_VERSION,
                         "website", "https://github.com/waybill/waybill",
                         "issue-url", "https://github.com/waybill/waybill/issues",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "developers", developers,
                         /* Translators: put your names here, one per line */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "about", about_action },
};

static void
waybill_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };
  static const char *search_accels[] = { "<Control>f", NULL };
  static const char *lookup_accels[] = { "<Control>l", NULL };
  static const char *new_order_accels[] = { "<Control>n", NULL };
  static const char *refresh_accels[] = { "<Control>r", NULL };

  G_APPLICATION_CLASS (waybill_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "window.close", close_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.search", search_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.lookup", lookup_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.new-order", new_order_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.refresh", refresh_accels);
}

static void
waybill_application_shutdown (GApplication *app)
{
  WaybillApplication *self = WAYBILL_APPLICATION (app);

  /* Writes what the carriers already answered, then stops. */
  if (self->refresher != NULL)
    waybill_refresher_stop (self->refresher);
  if (self->outbox != NULL)
    waybill_outbox_stop (self->outbox);

  G_APPLICATION_CLASS (waybill_application_parent_class)->shutdown (app);
}

static void
waybill_application_dispose (GObject *object)
{
  WaybillApplication *self = WAYBILL_APPLICATION (object);

  g_clear_object (&self->outbox);
  g_clear_object (&self->refresher);
  g_clear_object (&self->registry);
  g_clear_object (&self->notifier);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (waybill_application_parent_class)->dispose (object);
}

static void
waybill_application_finalize (GObject *object)
{
  WaybillApplication *self = WAYBILL_APPLICATION (object);

  g_clear_pointer (&self->data_dir, g_free);
  g_clear_error (&self->store_error);

  G_OBJECT_CLASS (waybill_application_parent_class)->finalize (object);
}

static void
waybill_application_class_init (WaybillApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = waybill_application_dispose;
  object_class->finalize = waybill_application_finalize;
  app_class->activate = waybill_application_activate;
  app_class->startup = waybill_application_startup;
  app_class->shutdown = waybill_application_shutdown;
  app_class->handle_local_options = waybill_application_handle_local_options;
}

static void
waybill_application_init (WaybillApplication *self)
{
  const GOptionEntry entries[] = {
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Use the database in DIR"), N_("DIR") },
    { "background", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Start without a window and keep checking parcels (used when starting at login)"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Opens the Waybill window. Run “waybill --help” "
                                              "for the command-line verbs."));
}
