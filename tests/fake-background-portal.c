/* fake-background-portal.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "fake-background-portal.h"

static const char introspection[] =
  "<node>"
  "  <interface name='org.freedesktop.portal.Background'>"
  "    <method name='RequestBackground'>"
  "      <arg type='s' name='parent_window' direction='in'/>"
  "      <arg type='a{sv}' name='options' direction='in'/>"
  "      <arg type='o' name='handle' direction='out'/>"
  "    </method>"
  "    <property name='version' type='u' access='read'/>"
  "  </interface>"
  "  <interface name='org.freedesktop.portal.Request'>"
  "    <method name='Close'/>"
  "  </interface>"
  "</node>";

static GDBusNodeInfo *node_info;

typedef struct
{
  FakePortal *portal;
  char       *destination;
} Answer;

static gboolean
answer_cb (gpointer user_data)
{
  Answer *answer = user_data;
  FakePortal *portal = answer->portal;
  GVariantBuilder results;

  g_variant_builder_init (&results, G_VARIANT_TYPE_VARDICT);
  if (portal->response == 0)
    {
      g_variant_builder_add (&results, "{sv}", "background", g_variant_new_boolean (TRUE));
      g_variant_builder_add (&results, "{sv}", "autostart", g_variant_new_boolean (portal->grant_autostart));
    }
  g_dbus_connection_emit_signal (portal->connection, answer->destination, portal->handle,
                                 "org.freedesktop.portal.Request", "Response",
                                 g_variant_new ("(ua{sv})", portal->response, &results), NULL);
  g_free (answer->destination);
  g_free (answer);

  return G_SOURCE_REMOVE;
}

static void
request_method_cb (GDBusConnection       *connection,
                   const char            *sender,
                   const char            *path,
                   const char            *interface,
                   const char            *method,
                   GVariant              *parameters,
                   GDBusMethodInvocation *invocation,
                   gpointer               user_data)
{
  FakePortal *portal = user_data;

  portal->closed = TRUE;
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static const GDBusInterfaceVTable request_vtable = { request_method_cb, NULL, NULL, { 0 } };

static void
method_cb (GDBusConnection       *connection,
           const char            *sender,
           const char            *path,
           const char            *interface,
           const char            *method,
           GVariant              *parameters,
           GDBusMethodInvocation *invocation,
           gpointer               user_data)
{
  FakePortal *portal = user_data;
  g_autofree char *unique = g_strdup (sender + 1);
  const char *token = "none";
  Answer *answer;

  portal->n_calls++;
  g_clear_pointer (&portal->parent_window, g_free);
  g_clear_pointer (&portal->options, g_variant_unref);
  g_variant_get (parameters, "(s@a{sv})", &portal->parent_window, &portal->options);
  g_variant_lookup (portal->options, "handle_token", "&s", &token);

  g_strdelimit (unique, ".", '_');
  g_free (portal->handle);
  portal->handle = g_strdup_printf ("/org/freedesktop/portal/desktop/request/%s/%s", unique, token);
  if (portal->request_id != 0)
    g_dbus_connection_unregister_object (connection, portal->request_id);
  portal->request_id = g_dbus_connection_register_object (connection, portal->handle,
                                                          node_info->interfaces[1], &request_vtable,
                                                          portal, NULL, NULL);

  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(o)", portal->handle));

  if (portal->silent)
    return;

  answer = g_new0 (Answer, 1);
  answer->portal = portal;
  answer->destination = g_strdup (sender);
  g_timeout_add (20, answer_cb, answer);
}

static GVariant *
get_property_cb (GDBusConnection  *connection,
                 const char       *sender,
                 const char       *path,
                 const char       *interface,
                 const char       *property,
                 GError          **error,
                 gpointer          user_data)
{
  return g_variant_new_uint32 (1);
}

static const GDBusInterfaceVTable vtable = { method_cb, get_property_cb, NULL, { 0 } };

FakePortal *
fake_portal_new (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  g_autoptr(GVariant) reply = NULL;
  FakePortal *portal = g_new0 (FakePortal, 1);
  guint32 result = 0;

  if (node_info == NULL)
    node_info = g_dbus_node_info_new_for_xml (introspection, &error);
  g_assert_no_error (error);

  portal->grant_autostart = TRUE;
  address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  portal->connection = g_dbus_connection_new_for_address_sync (address,
                                                               G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                               G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                               NULL, NULL, &error);
  g_assert_no_error (error);
  portal->object_id = g_dbus_connection_register_object (portal->connection,
                                                         "/org/freedesktop/portal/desktop",
                                                         node_info->interfaces[0], &vtable,
                                                         portal, NULL, &error);
  g_assert_no_error (error);

  reply = g_dbus_connection_call_sync (portal->connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.portal.Desktop", 4 /* DO_NOT_QUEUE */),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &result);
  g_assert_cmpuint (result, ==, 1 /* PRIMARY_OWNER */);

  return portal;
}

void
fake_portal_free (FakePortal *portal)
{
  if (portal->request_id != 0)
    g_dbus_connection_unregister_object (portal->connection, portal->request_id);
  g_dbus_connection_unregister_object (portal->connection, portal->object_id);
  g_dbus_connection_close_sync (portal->connection, NULL, NULL);
  g_object_unref (portal->connection);
  g_free (portal->parent_window);
  g_free (portal->handle);
  g_clear_pointer (&portal->options, g_variant_unref);
  g_free (portal);
}
