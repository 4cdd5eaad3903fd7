/* waybill-autostart.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-autostart"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "waybill-autostart.h"

/* Starting Waybill at login, hidden, so that it keeps checking parcels.
 *
 * Outside a sandbox that is an XDG autostart entry,
 * `$XDG_CONFIG_HOME/autostart/APP_ID.desktop`, written or removed.  Inside
 * Flatpak (there is a /.flatpak-info) the app cannot write there; it asks
 * the Background portal instead (RequestBackground with autostart), which
 * may show the user a dialog and may say no.  libportal is not used: the
 * portal is two D-Bus calls and a signal. */

#define PORTAL_BUS_NAME   "org.freedesktop.portal.Desktop"
#define PORTAL_PATH       "/org/freedesktop/portal/desktop"
#define PORTAL_BACKGROUND "org.freedesktop.portal.Background"
#define PORTAL_REQUEST    "org.freedesktop.portal.Request"

struct _WaybillAutostart
{
  GObject                 parent_instance;

  char                   *app_id;
  GStrv                   commandline;
  WaybillAutostartMethod  method;
};

G_DEFINE_FINAL_TYPE (WaybillAutostart, waybill_autostart, G_TYPE_OBJECT)

G_DEFINE_QUARK (waybill-autostart-error-quark, waybill_autostart_error)

static void
waybill_autostart_finalize (GObject *object)
{
  WaybillAutostart *self = WAYBILL_AUTOSTART (object);

  g_free (self->app_id);
  g_strfreev (self->commandline);

  G_OBJECT_CLASS (waybill_autostart_parent_class)->finalize (object);
}

static void
waybill_autostart_class_init (WaybillAutostartClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = waybill_autostart_finalize;
}

static void
waybill_autostart_init (WaybillAutostart *self)
{
}

/**
 * waybill_autostart_new:
 * @app_id: the application id; it names the autostart entry
 * @commandline: what to run at login, program first ("waybill",
 *   "--background")
 */
WaybillAutostart *
waybill_autostart_new (const char         *app_id,
                       const char * const *commandline)
{
  WaybillAutostart *self;

  g_return_val_if_fail (app_id != NULL && g_application_id_is_valid (app_id), NULL);
  g_return_val_if_fail (commandline != NULL && commandline[0] != NULL, NULL);

  self = g_object_new (WAYBILL_TYPE_AUTOSTART, NULL);
  self->app_id = g_strdup (app_id);
  self->commandline = g_strdupv ((char **) commandline);

  return self;
}

/**
 * waybill_autostart_set_method:
 *
 * Chooses the file or the portal; %WAYBILL_AUTOSTART_METHOD_AUTO (the
 * default) takes the portal inside Flatpak only.
 */
void
waybill_autostart_set_method (WaybillAutostart       *self,
                              WaybillAutostartMethod  method)
{
  g_return_if_fail (WAYBILL_IS_AUTOSTART (self));

  self->method = method;
}

/**
 * waybill_autostart_get_method:
 *
 * Returns: the method used, never %WAYBILL_AUTOSTART_METHOD_AUTO
 */
WaybillAutostartMethod
waybill_autostart_get_method (WaybillAutostart *self)
{
  g_return_val_if_fail (WAYBILL_IS_AUTOSTART (self), WAYBILL_AUTOSTART_METHOD_FILE);

  if (self->method != WAYBILL_AUTOSTART_METHOD_AUTO)
    return self->method;

  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS) ? WAYBILL_AUTOSTART_METHOD_PORTAL
                                                            : WAYBILL_AUTOSTART_METHOD_FILE;
}

/**
 * waybill_autostart_get_file_path:
 *
 * Returns: (transfer full): where the autostart entry is written
 */
char *
waybill_autostart_get_file_path (WaybillAutostart *self)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (WAYBILL_IS_AUTOSTART (self), NULL);

  name = g_strconcat (self->app_id, ".desktop", NULL);
  return g_build_filename (g_get_user_config_dir (), "autostart", name, NULL);
}

/* One argument of an Exec line, quoted as the Desktop Entry
 * Specification asks: in double quotes when it holds a reserved character,
 * with ", `, $ and \ escaped inside them; a % is always doubled. */
static void
append_exec_arg (GString    *exec,
                 const char *arg)
{
  static const char reserved[] = " \t\n\"'\\><~|&;$*?#()`";
  gboolean quote = arg[0] == '\0' || strpbrk (arg, reserved) != NULL;

  if (exec->len > 0)
    g_string_append_c (exec, ' ');
  if (quote)
    g_string_append_c (exec, '"');
  for (const char *p = arg; *p != '\0'; p++)
    {
      if (*p == '%')
        g_string_append_c (exec, '%');
      else if (quote && strchr ("\"`$\\", *p) != NULL)
        g_string_append_c (exec, '\\');
      g_string_append_c (exec, *p);
    }
  if (quote)
    g_string_append_c (exec, '"');
}

/**
 * waybill_autostart_build_entry:
 *
 * Returns: (transfer full): the text of the autostart entry
 */
char *
waybill_autostart_build_entry (WaybillAutostart *self)
{
  g_autoptr(GKeyFile) keys = g_key_file_new ();
  g_autoptr(GString) exec = g_string_new (NULL);
  static const char group[] = G_KEY_FILE_DESKTOP_GROUP;

  g_return_val_if_fail (WAYBILL_IS_AUTOSTART (self), NULL);

  for (guint i = 0; self->commandline[i] != NULL; i++)
    append_exec_arg (exec, self->commandline[i]);

  g_key_file_set_string (keys, group, G_KEY_FILE_DESKTOP_KEY_TYPE, G_KEY_FILE_DESKTOP_TYPE_APPLICATION);
  g_key_file_set_string (keys, group, G_KEY_FILE_DESKTOP_KEY_NAME, _("Waybill"));
  g_key_file_set_string (keys, group, G_KEY_FILE_DESKTOP_KEY_COMMENT,
                         _("Checks parcels in the background and announces changes"));
  g_key_file_set_string (keys, group, G_KEY_FILE_DESKTOP_KEY_EXEC, exec->str);
  g_key_file_set_string (keys, group, G_KEY_FILE_DESKTOP_KEY_ICON, self->app_id);
  g_key_file_set_boolean (keys, group, G_KEY_FILE_DESKTOP_KEY_TERMINAL, FALSE);
  g_key_file_set_boolean (keys, group, G_KEY_FILE_DESKTOP_KEY_NO_DISPLAY, TRUE);
  g_key_file_set_boolean (keys, group, "X-GNOME-Autostart-enabled", TRUE);

  return g_key_file_to_data (keys, NULL, NULL);
}

/* The file */

static gboolean
write_entry (WaybillAutostart  *self,
             gboolean           enabled,
             GError           **error)
{
  g_autofree char *path = waybill_autostart_get_file_path (self);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *entry = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!enabled)
    {
      if (g_remove (path) != 0 && errno != ENOENT)
        {
          int saved = errno;

          g_set_error (error, WAYBILL_AUTOSTART_ERROR, WAYBILL_AUTOSTART_ERROR_FAILED,
                       _("Could not remove “%s”: %s"), path, g_strerror (saved));
          return FALSE;
        }
      return TRUE;
    }

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, WAYBILL_AUTOSTART_ERROR, WAYBILL_AUTOSTART_ERROR_FAILED,
                   _("Could not create the folder “%s”: %s"), dir, g_strerror (saved));
      return FALSE;
    }

  entry = waybill_autostart_build_entry (self);
  if (!g_file_set_contents_full (path, entry, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, &local_error))
    {
      g_set_error (error, WAYBILL_AUTOSTART_ERROR, WAYBILL_AUTOSTART_ERROR_FAILED,
                   _("Could not write the autostart entry: %s"), local_error->message);
      return FALSE;
    }

  return TRUE;
}

static void
write_entry_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  GError *error = NULL;

  if (write_entry (source_object, GPOINTER_TO_INT (task_data), &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* The portal */

typedef struct
{
  GDBusConnection *connection;
  char            *handle;
  guint            response_id;
  gulong           cancelled_id;
  gboolean         enabled;
  gboolean         done;
  char            *parent_window;
  char            *reason;
} PortalCall;

static void
portal_call_free (PortalCall *call)
{
  if (call->response_id != 0)
    g_dbus_connection_signal_unsubscribe (call->connection, call->response_id);
  g_clear_object (&call->connection);
  g_free (call->handle);
  g_free (call->parent_window);
  g_free (call->reason);
  g_free (call);
}

static void
portal_finish (GTask  *task,
               GError *error)
{
  PortalCall *call = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (call->done)
    {
      g_clear_error (&error);
      return;
    }
  call->done = TRUE;

  if (call->cancelled_id != 0)
    {
      g_cancellable_disconnect (cancellable, call->cancelled_id);
      call->cancelled_id = 0;
    }
  if (call->response_id != 0)
    {
      g_dbus_connection_signal_unsubscribe (call->connection, call->response_id);
      call->response_id = 0;
    }

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
response_cb (GDBusConnection *connection,
             const char      *sender,
             const char      *path,
             const char      *interface,
             const char      *signal,
             GVariant        *parameters,
             gpointer         user_data)
{
  GTask *task = user_data;
  PortalCall *call = g_task_get_task_data (task);
  g_autoptr(GVariant) results = NULL;
  gboolean autostart = FALSE;
  guint32 response;

  if (call->done || !g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(ua{sv})")))
    return;

  g_variant_get (parameters, "(u@a{sv})", &response, &results);
  if (response == 1)
    {
      portal_finish (task, g_error_new (WAYBILL_AUTOSTART_ERROR, WAYBILL_AUTOSTART_ERROR_DENIED,
                                        _("Waybill was not allowed to run in the background. "
                                          "You can allow it in the system settings, under Apps.")));
      return;
    }
  if (response != 0)
    {
      portal_finish (task, g_error_new (WAYBILL_AUTOSTART_ERROR, WAYBILL_AUTOSTART_ERROR_FAILED,
                                        _("The system could not set Waybill to start at login.")));
      return;
    }

  /* Asked to start at login, the portal may still let the app run in the
   * background without it. */
  if (call->enabled &&
      (!g_variant_lookup (results, "autostart", "b", &autostart) || !autostart))
    {
      portal_finish (task, g_error_new (WAYBILL_AUTOSTART_ERROR, WAYBILL_AUTOSTART_ERROR_DENIED,
                                        _("Waybill was not allowed to start at login. "
                                          "You can allow it in the system settings, under Apps.")));
      return;
    }

  portal_finish (task, NULL);
}

static void
subscribe_response (GTask      *task,
                    const char *handle)
{
  PortalCall *call = g_task_get_task_data (task);

  if (call->response_id != 0)
    g_dbus_connection_signal_unsubscribe (call->connection, call->response_id);
  g_free (call->handle);
  call->handle = g_strdup (handle);
  call->response_id = g_dbus_connection_signal_subscribe (call->connection, PORTAL_BUS_NAME,
                                                          PORTAL_REQUEST, "Response", handle, NULL,
                                                          G_DBUS_SIGNAL_FLAGS_NONE,
                                                          response_cb, g_object_ref (task),
                                                          g_object_unref);
}

static void
request_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PortalCall *call = g_task_get_task_data (task);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  const char *handle = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  if (reply == NULL)
    {
      /* Cancelled, or no portal at all. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        portal_finish (task, g_steal_pointer (&error));
      else
        portal_finish (task, g_error_new (WAYBILL_AUTOSTART_ERROR, WAYBILL_AUTOSTART_ERROR_FAILED,
                                          _("Could not ask the system to start Waybill at login: %s"),
                                          error->message));
      return;
    }

  if (call->done)
    return; /* the response came before the reply, or it was cancelled */

  /* Portals before version 0.9 do not build the handle from the token. */
  g_variant_get (reply, "(&o)", &handle);
  if (g_strcmp0 (handle, call->handle) != 0)
    subscribe_response (task, handle);
}

static void
close_request_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GVariant *reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, NULL);

  /* Nothing to do with the answer: the request is over either way. */
  g_clear_pointer (&reply, g_variant_unref);
}

static gboolean
cancelled_idle_cb (gpointer user_data)
{
  GTask *task = user_data;
  PortalCall *call = g_task_get_task_data (task);

  if (!call->done)
    {
      /* The dialog, if any, goes away; the answer is not waited for. */
      g_dbus_connection_call (call->connection, PORTAL_BUS_NAME, call->handle, PORTAL_REQUEST,
                              "Close", NULL, NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                              close_request_cb, NULL);
      portal_finish (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                _("The request was cancelled")));
    }
  g_object_unref (task);

  return G_SOURCE_REMOVE;
}

static void
cancelled_cb (GCancellable *cancellable,
              GTask        *task)
{
  /* Later, in the task's context: not from within the cancellation,
   * where disconnecting from the cancellable would deadlock. */
  g_autoptr(GSource) source = g_idle_source_new ();

  g_source_set_callback (source, cancelled_idle_cb, g_object_ref (task), NULL);
  g_source_attach (source, g_task_get_context (task));
}

static void
send_request (GTask *task)
{
  WaybillAutostart *self = g_task_get_source_object (task);
  PortalCall *call = g_task_get_task_data (task);
  g_autofree char *token = NULL;
  g_autofree char *sender = NULL;
  g_autofree char *handle = NULL;
  GVariantBuilder options;

  /* The request's object path is known before the call, so the answer
   * cannot slip past: ":1.42" asking with token T answers on
   * /org/freedesktop/portal/desktop/request/1_42/T. */
  token = g_strdup_printf ("waybill%u", g_random_int ());
  sender = g_strdup (g_dbus_connection_get_unique_name (call->connection) + 1);
  g_strdelimit (sender, ".", '_');
  handle = g_strdup_printf (PORTAL_PATH "/request/%s/%s", sender, token);
  subscribe_response (task, handle);

  if (g_task_get_cancellable (task) != NULL)
    call->cancelled_id = g_cancellable_connect (g_task_get_cancellable (task), G_CALLBACK (cancelled_cb),
                                                task, NULL);

  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", "handle_token", g_variant_new_string (token));
  g_variant_builder_add (&options, "{sv}", "reason", g_variant_new_string (call->reason));
  g_variant_builder_add (&options, "{sv}", "autostart", g_variant_new_boolean (call->enabled));
  g_variant_builder_add (&options, "{sv}", "commandline",
                         g_variant_new_strv ((const char * const *) self->commandline, -1));
  g_variant_builder_add (&options, "{sv}", "dbus-activatable", g_variant_new_boolean (FALSE));

  g_dbus_connection_call (call->connection, PORTAL_BUS_NAME, PORTAL_PATH, PORTAL_BACKGROUND,
                          "RequestBackground",
                          g_variant_new ("(sa{sv})", call->parent_window, &options),
                          G_VARIANT_TYPE ("(o)"), G_DBUS_CALL_FLAGS_NONE, -1,
                          g_task_get_cancellable (task), request_done_cb, g_object_ref (task));
}

static void
bus_ready_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  PortalCall *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  call->connection = g_bus_get_finish (result, &error);
  if (call->connection == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        portal_finish (task, g_steal_pointer (&error));
      else
        portal_finish (task, g_error_new (WAYBILL_AUTOSTART_ERROR, WAYBILL_AUTOSTART_ERROR_FAILED,
                                          _("Could not ask the system to start Waybill at login: %s"),
                                          error->message));
      return;
    }

  send_request (task);
}

static void
request_portal (GTask      *task,
                gboolean    enabled,
                const char *parent_window,
                const char *reason)
{
  PortalCall *call = g_new0 (PortalCall, 1);

  g_task_set_task_data (task, call, (GDestroyNotify) portal_call_free);
  call->enabled = enabled;
  call->parent_window = g_strdup (parent_window != NULL ? parent_window : "");
  call->reason = g_strdup (reason != NULL ? reason : "");
  g_bus_get (G_BUS_TYPE_SESSION, g_task_get_cancellable (task), bus_ready_cb, task);
}

/**
 * waybill_autostart_set_enabled_async:
 * @enabled: whether Waybill is to start at login
 * @parent_window: (nullable): the window asking, as the portals name it
 *   ("x11:1a2b"), for a dialog the portal shows
 * @reason: (nullable): why, shown by the portal
 *
 * Writes or removes the autostart entry, or asks the Background portal.
 * The portal's "no" is %WAYBILL_AUTOSTART_ERROR_DENIED.
 */
void
waybill_autostart_set_enabled_async (WaybillAutostart    *self,
                                     gboolean             enabled,
                                     const char          *parent_window,
                                     const char          *reason,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (WAYBILL_IS_AUTOSTART (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, waybill_autostart_set_enabled_async);

  if (waybill_autostart_get_method (self) == WAYBILL_AUTOSTART_METHOD_PORTAL)
    {
      /* The task is owned by the call until portal_finish(). */
      request_portal (g_object_ref (task), enabled, parent_window, reason);
      return;
    }

  g_task_set_task_data (task, GINT_TO_POINTER (enabled), NULL);
  g_task_run_in_thread (task, write_entry_thread);
}

gboolean
waybill_autostart_set_enabled_finish (WaybillAutostart  *self,
                                      GAsyncResult      *result,
                                      GError           **error)
{
  g_return_val_if_fail (WAYBILL_IS_AUTOSTART (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
