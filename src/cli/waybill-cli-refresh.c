/* waybill-cli-refresh.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>

#include "waybill-carrier.h"
#include "waybill-cli-private.h"
#include "waybill-outbox.h"
#include "waybill-refresher.h"

/* `waybill refresh [--all] [--quiet] [--json]`: one pass of the refresher,
 * headless, for cron jobs and systemd timers.  Numbers that could not be
 * checked are reported, not failures of the command: it exits 0.  It exits
 * 1 with one line on stderr when nothing could be done at all: the
 * database cannot be opened, another Waybill (the app, another `waybill
 * refresh`) is refreshing right now, or there is no network. */

typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} Wait;

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

static GAsyncResult *
wait_for (Wait *wait)
{
  g_clear_object (&wait->result);
  g_main_loop_run (wait->loop);

  return wait->result;
}

/* Ctrl+C or a service manager's SIGTERM: what was answered is written
 * before the command ends. */
static gboolean
interrupted_cb (gpointer user_data)
{
  waybill_refresher_stop (WAYBILL_REFRESHER (user_data));

  return G_SOURCE_CONTINUE;
}

static GSettings *
load_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  /* Not installed (run from the build folder): the defaults then. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID_BASE, TRUE);

  return schema != NULL ? g_settings_new_full (schema, NULL, NULL) : NULL;
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

typedef struct
{
  guint queued;
  guint sent;
  guint failed;
} MessageCounts;

static void
print_json (const WaybillRefreshReport *report,
            const MessageCounts        *messages)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "checked");
  json_builder_add_int_value (builder, report->checked);

  json_builder_set_member_name (builder, "changed");
  json_builder_begin_array (builder);
  for (guint i = 0; i < report->changes->len; i++)
    {
      const WaybillStatusChange *change = g_ptr_array_index (report->changes, i);

      if (change->from == change->to)
        continue;

      json_builder_begin_object (builder);
      add_string (builder, "order_number", change->order_number);
      add_string (builder, "tracking_number", change->tracking_number);
      add_string (builder, "from", waybill_status_to_id (change->from));
      add_string (builder, "to", waybill_status_to_id (change->to));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  /* Beside the status: the shipments that became late in this pass. */
  json_builder_set_member_name (builder, "delayed");
  json_builder_begin_array (builder);
  for (guint i = 0; i < report->changes->len; i++)
    {
      const WaybillStatusChange *change = g_ptr_array_index (report->changes, i);

      if (!change->delayed)
        continue;

      json_builder_begin_object (builder);
      add_string (builder, "order_number", change->order_number);
      add_string (builder, "tracking_number", change->tracking_number);
      add_string (builder, "status", waybill_status_to_id (change->to));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "errors");
  json_builder_begin_array (builder);
  for (guint i = 0; i < report->errors->len; i++)
    {
      const WaybillRefreshError *error = g_ptr_array_index (report->errors, i);

      json_builder_begin_object (builder);
      add_string (builder, "tracking_number", error->tracking_number);
      add_string (builder, "kind", error->kind);
      add_string (builder, "message", error->message);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  /* Messages to customers (issue #9): queued for this pass's changes, and
   * sent or given up on in this run. */
  json_builder_set_member_name (builder, "messages");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "queued");
  json_builder_add_int_value (builder, messages->queued);
  json_builder_set_member_name (builder, "sent");
  json_builder_add_int_value (builder, messages->sent);
  json_builder_set_member_name (builder, "failed");
  json_builder_add_int_value (builder, messages->failed);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  node = json_builder_get_root (builder);
  waybill_cli_print_json (node);
}

static const char *
carrier_name (const char *carrier_id)
{
  const WaybillCarrier *carrier = carrier_id != NULL ? waybill_carrier_lookup (carrier_id) : NULL;

  if (carrier != NULL)
    return waybill_carrier_get_name (carrier);

  return carrier_id != NULL ? carrier_id : "";
}

static void
print_messages (const MessageCounts *messages)
{
  if (messages->sent > 0)
    {
      g_print (g_dngettext (GETTEXT_PACKAGE, "Sent %u message to customers.",
                            "Sent %u messages to customers.", messages->sent),
               messages->sent);
      g_print ("\n");
    }
  if (messages->failed > 0)
    {
      g_print (g_dngettext (GETTEXT_PACKAGE,
                            "%u message to customers could not be sent; the order shows why.",
                            "%u messages to customers could not be sent; the orders show why.",
                            messages->failed),
               messages->failed);
      g_print ("\n");
    }
}

static void
print_human (const WaybillRefreshReport *report,
             gboolean                    all_active)
{
  gboolean changed = FALSE;

  if (report->checked == 0 && report->deferred == 0 && report->errors->len == 0)
    {
      if (report->link_only > 0)
        g_print (g_dngettext (GETTEXT_PACKAGE,
                              "Nothing to check: %u due shipment has no tracking service set up.\n",
                              "Nothing to check: %u due shipments have no tracking service set up.\n",
                              report->link_only),
                 report->link_only);
      else if (all_active)
        g_print ("%s\n", _("Nothing to check: no shipment is on its way."));
      else
        g_print ("%s\n", _("Nothing to check right now: no shipment is due."));
      return;
    }

  g_print (g_dngettext (GETTEXT_PACKAGE, "Checked %u shipment.\n", "Checked %u shipments.\n",
                        report->checked),
           report->checked);

  for (guint i = 0; i < report->changes->len; i++)
    {
      const WaybillStatusChange *change = g_ptr_array_index (report->changes, i);
      const char *order = change->order_number != NULL ? change->order_number : "?";

      if (change->from != change->to)
        {
          /* Translators: "Order 1042: UPS 1Z… is now Out for Delivery (was In Transit)". */
          g_print (_("Order %s: %s %s is now %s (was %s)"), order, carrier_name (change->carrier),
                   change->tracking_number, waybill_status_get_label (change->to),
                   waybill_status_get_label (change->from));
          if (change->delayed)
            g_print (" %s", _("and late"));
          g_print ("\n");
          changed = TRUE;
        }
      else if (change->delayed)
        {
          g_print (_("Order %s: %s %s is late"), order, carrier_name (change->carrier),
                   change->tracking_number);
          g_print ("\n");
          changed = TRUE;
        }
    }
  if (!changed && report->checked > 0)
    g_print ("%s\n", _("Nothing changed."));

  for (guint i = 0; i < report->errors->len; i++)
    {
      const WaybillRefreshError *error = g_ptr_array_index (report->errors, i);

      /* Translators: "Could not check UPS 1Z… (order 1042): UPS does not know…". */
      g_print (_("Could not check %s %s (order %s): %s"), carrier_name (error->carrier),
               error->tracking_number, error->order_number != NULL ? error->order_number : "?",
               error->message);
      g_print ("\n");
    }

  if (report->deferred > 0)
    {
      g_print (g_dngettext (GETTEXT_PACKAGE,
                            "%u shipment was left for later: its tracking service asked Waybill to wait or rejected its credentials, or there is no network.",
                            "%u shipments were left for later: their tracking service asked Waybill to wait or rejected its credentials, or there is no network.",
                            report->deferred),
               report->deferred);
      g_print ("\n");
    }
}

/* Messages to customers for the changes of this pass, when the settings
 * send them automatically, and those left from earlier runs that are due.
 * A failure here is reported on the orders, never a failure of the
 * refresh. */
static void
send_messages (WaybillStore               *store,
               GSettings                  *settings,
               const WaybillRefreshReport *report,
               Wait                       *wait,
               MessageCounts              *counts)
{
  g_autoptr(WaybillOutbox) outbox = waybill_outbox_new (store, settings);
  g_autoptr(GError) error = NULL;
  gint64 next = 0;

  counts->queued = waybill_outbox_queue_changes (outbox, report->changes, &error);
  if (counts->queued == G_MAXUINT)
    {
      g_printerr ("%s\n", error->message);
      counts->queued = 0;
      return;
    }

  if (!waybill_store_get_next_message_time (store, &next, &error))
    {
      g_printerr ("%s\n", error->message);
      return;
    }
  if (next == 0 || next > g_get_real_time () / G_USEC_PER_SEC)
    return;

  /* Something is due: the secrets, from the environment or the keyring. */
  waybill_outbox_load_secrets_async (outbox, NULL, done_cb, wait);
  if (!waybill_outbox_load_secrets_finish (outbox, wait_for (wait), &error))
    {
      g_debug ("Keyring not read for messages: %s", error->message);
      g_clear_error (&error);
    }

  waybill_outbox_process_async (outbox, NULL, done_cb, wait);
  if (!waybill_outbox_process_finish (outbox, wait_for (wait), &counts->sent, &counts->failed, &error))
    g_printerr ("%s\n", error->message);
}

int
waybill_cli_refresh (int    argc,
                     char **argv)
{
  WaybillCliCommon common = { 0 };
  gboolean all_active = FALSE;
  gboolean quiet = FALSE;
  const GOptionEntry entries[] = {
    { "all", 0, 0, G_OPTION_ARG_NONE, &all_active,
      N_("Check every shipment still on its way, not only those due"), NULL },
    { "quiet", 0, 0, G_OPTION_ARG_NONE, &quiet,
      N_("Record changes without desktop notifications"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(WaybillStore) store = NULL;
  g_autoptr(WaybillTrackerRegistry) registry = NULL;
  g_autoptr(WaybillNotifier) notifier = NULL;
  g_autoptr(WaybillRefresher) refresher = NULL;
  g_autoptr(WaybillRefreshReport) report = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  Wait wait = { 0 };
  MessageCounts messages = { 0 };
  guint sigint_id = 0;
  guint sigterm_id = 0;
  int status = 1;

  context = waybill_cli_context_new ("refresh", NULL,
                                     _("Ask the carriers about the shipments that are due, record "
                                       "what changed and announce it on the desktop."),
                                     entries, &common);
  if (!waybill_cli_parse (context, "refresh", &argc, &argv))
    goto out;

  if (argc > 1)
    {
      waybill_cli_fail_printf ("refresh", _("“%s” is not an option of refresh (see “waybill refresh --help”)"),
                               argv[1]);
      goto out;
    }

  store = waybill_cli_open_store (&common);
  if (store == NULL)
    goto out;

  loop = g_main_loop_new (NULL, FALSE);
  wait.loop = loop;

  /* The environment, then the keyring; a keyring that cannot be reached
   * leaves what the environment gave. */
  registry = waybill_tracker_registry_new (NULL);
  waybill_tracker_registry_load_credentials_async (registry, NULL, done_cb, &wait);
  if (!waybill_tracker_registry_load_credentials_finish (registry, wait_for (&wait), &error))
    {
      g_debug ("Keyring not read: %s", error->message);
      g_clear_error (&error);
    }

  settings = load_settings ();
  if (!quiet)
    {
      notifier = waybill_notifier_new (store, APP_ID, _("Waybill"));
      if (settings != NULL)
        waybill_notifier_bind_settings (notifier, settings);
    }

  refresher = waybill_refresher_new (store, registry, notifier);
  if (settings != NULL)
    waybill_refresher_bind_settings (refresher, settings);

  sigint_id = g_unix_signal_add (SIGINT, interrupted_cb, refresher);
  sigterm_id = g_unix_signal_add (SIGTERM, interrupted_cb, refresher);

  waybill_refresher_refresh_async (refresher, all_active, NULL, done_cb, &wait);
  report = waybill_refresher_refresh_finish (refresher, wait_for (&wait), &error);
  if (report == NULL)
    {
      waybill_cli_fail ("refresh", error);
      goto out;
    }

  if (report->offline && report->checked == 0)
    {
      waybill_cli_fail_printf ("refresh", _("No network connection: nothing was checked"));
      goto out;
    }

  send_messages (store, settings, report, &wait, &messages);

  if (common.json)
    print_json (report, &messages);
  else
    {
      print_human (report, all_active);
      print_messages (&messages);
    }
  status = 0;

out:
  if (sigint_id != 0)
    g_source_remove (sigint_id);
  if (sigterm_id != 0)
    g_source_remove (sigterm_id);
  g_clear_object (&wait.result);
  waybill_cli_common_clear (&common);
  return status;
}
