/* waybill-cli-track.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "waybill-carrier.h"
#include "waybill-cli-private.h"
#include "waybill-format.h"
#include "waybill-tracker-registry.h"
#include "waybill-tracking-number.h"

/* `waybill track NUMBER`: ask the carrier about a number that belongs to no
 * order yet, for staff answering a customer.  Nothing is stored. */

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
  g_main_loop_run (wait->loop);

  return wait->result;
}

static int
fail_kind (gboolean    json,
           const char *kind,
           const char *message)
{
  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "error");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, kind);
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, message);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
      node = json_builder_get_root (builder);
      waybill_cli_print_json (node);
    }

  return waybill_cli_fail_printf ("track", "%s", message);
}

static void
add_time (JsonBuilder *builder,
          const char  *name,
          GDateTime   *time)
{
  g_autofree char *text = waybill_format_iso8601 (time);

  json_builder_set_member_name (builder, name);
  if (text != NULL)
    json_builder_add_string_value (builder, text);
  else
    json_builder_add_null_value (builder);
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

static gboolean
is_delayed (const WaybillTrackingResult *result)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GDateTime *eta = result->estimated_to ? result->estimated_to : result->estimated_from;

  return !waybill_status_is_final (result->status) && eta != NULL && g_date_time_compare (eta, now) < 0;
}

static void
print_result (const char                  *number,
              const WaybillCarrier        *carrier,
              WaybillTracker              *tracker,
              const WaybillTrackingResult *result,
              gboolean                     json)
{
  GDateTime *eta = result->estimated_to ? result->estimated_to : result->estimated_from;

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;

      json_builder_begin_object (builder);
      add_string (builder, "tracking_number", number);
      add_string (builder, "carrier", waybill_carrier_get_id (carrier));
      add_string (builder, "api", waybill_tracker_get_id (tracker));
      add_string (builder, "status", waybill_status_to_id (result->status));
      add_string (builder, "sub_status", result->sub_status);
      json_builder_set_member_name (builder, "delayed");
      json_builder_add_boolean_value (builder, is_delayed (result));
      add_time (builder, "estimated_delivery", eta);
      add_time (builder, "delivered_at", result->delivered_at);
      add_string (builder, "signed_by", result->signed_by);
      json_builder_set_member_name (builder, "events");
      json_builder_begin_array (builder);
      for (guint i = 0; i < result->events->len; i++)
        {
          WaybillTrackingEvent *event = g_ptr_array_index (result->events, i);

          json_builder_begin_object (builder);
          add_time (builder, "time", waybill_tracking_event_get_time (event));
          add_string (builder, "status", waybill_status_to_id (waybill_tracking_event_get_status (event)));
          add_string (builder, "description", waybill_tracking_event_get_description (event));
          add_string (builder, "location", waybill_tracking_event_get_location (event));
          add_string (builder, "code", waybill_tracking_event_get_code (event));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      node = json_builder_get_root (builder);
      waybill_cli_print_json (node);
      return;
    }

  g_print ("%s %s — %s%s\n", waybill_carrier_get_name (carrier), number,
           waybill_status_get_label (result->status), is_delayed (result) ? _(" (delayed)") : "");
  if (result->sub_status != NULL)
    g_print ("  %s\n", result->sub_status);
  if (result->delivered_at != NULL)
    {
      g_autofree char *when = waybill_format_date_time (result->delivered_at);

      g_print ("  %s: %s%s%s\n", _("Delivered"), when, result->signed_by ? " — " : "",
               result->signed_by ? result->signed_by : "");
    }
  else if (eta != NULL)
    {
      g_autofree char *when = waybill_format_date_time (eta);

      g_print ("  %s: %s\n", _("Estimated delivery"), when);
    }

  for (guint i = 0; i < result->events->len; i++)
    {
      WaybillTrackingEvent *event = g_ptr_array_index (result->events, i);
      g_autofree char *when = waybill_format_date_time (waybill_tracking_event_get_time (event));
      const char *location = waybill_tracking_event_get_location (event);

      g_print ("    %-20s  %s%s%s\n", when, waybill_tracking_event_get_description (event),
               location ? " — " : "", location ? location : "");
    }
}

int
waybill_cli_track (int    argc,
                   char **argv)
{
  WaybillCliCommon common = { 0 };
  g_autofree char *carrier_id = NULL;
  g_autofree char *via = NULL;
  const GOptionEntry entries[] = {
    { "carrier", 0, 0, G_OPTION_ARG_STRING, &carrier_id,
      N_("The carrier, when the number could be several carriers’"), N_("ID") },
    { "via", 0, 0, G_OPTION_ARG_STRING, &via,
      N_("Ask this tracking service: dhl, ups, fedex, usps, aftership or 17track"), N_("API") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(WaybillTrackerRegistry) registry = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GPtrArray) replies = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *input = NULL;
  g_autofree char *number = NULL;
  const WaybillCarrier *carrier = NULL;
  WaybillTracker *tracker;
  WaybillTrackingReply *reply;
  Wait wait = { 0 };
  int status = 1;

  context = waybill_cli_context_new ("track", _("NUMBER"),
                                     _("Ask the carrier where a parcel is, without adding an order."),
                                     entries, &common);
  if (!waybill_cli_parse (context, "track", &argc, &argv))
    goto out;

  if (argc < 2)
    {
      waybill_cli_fail_printf ("track", _("Give a tracking number (see “waybill track --help”)"));
      goto out;
    }

  input = g_strjoinv (" ", argv + 1);

  /* Which carrier, and the number it tracks. */
  if (carrier_id != NULL)
    {
      g_autoptr(WaybillTrackingCandidate) verdict = NULL;

      carrier = waybill_carrier_lookup (carrier_id);
      if (carrier == NULL)
        {
          waybill_cli_fail_printf ("track", _("Unknown carrier “%s”"), carrier_id);
          goto out;
        }
      verdict = waybill_tracking_number_verify (input, carrier);
      number = verdict != NULL ? g_strdup (verdict->number) : waybill_tracking_number_normalize (input);
    }
  else
    {
      g_autoptr(GPtrArray) candidates = waybill_tracking_number_detect (input, NULL);
      const WaybillTrackingCandidate *pick = waybill_tracking_candidates_pick (candidates);

      if (pick == NULL)
        {
          status = fail_kind (common.json, "not_found",
                              candidates->len == 0
                              ? _("This is not a known tracking number format; give --carrier")
                              : _("The number could belong to several carriers; give --carrier"));
          goto out;
        }
      if (pick->check_digit == WAYBILL_CHECK_DIGIT_INVALID)
        {
          status = fail_kind (common.json, "not_found",
                              _("The check digit is wrong: the number was probably mistyped"));
          goto out;
        }
      carrier = pick->carrier;
      number = g_strdup (pick->number);
    }

  loop = g_main_loop_new (NULL, FALSE);
  wait.loop = loop;

  registry = waybill_tracker_registry_new (NULL);
  waybill_tracker_registry_load_credentials_async (registry, NULL, done_cb, &wait);
  waybill_tracker_registry_load_credentials_finish (registry, wait_for (&wait), NULL);
  g_clear_object (&wait.result);

  if (via != NULL)
    {
      tracker = waybill_tracker_registry_get (registry, via);
      if (tracker == NULL)
        {
          waybill_cli_fail_printf ("track", _("Unknown tracking service “%s”; known: dhl, ups, fedex, "
                                              "usps, aftership, 17track"), via);
          goto out;
        }
    }
  else
    tracker = waybill_tracker_registry_for_carrier (registry, waybill_carrier_get_id (carrier));

  if (tracker == NULL || !waybill_tracker_is_configured (tracker))
    {
      g_autofree char *url = waybill_carrier_get_tracking_url (carrier, number);
      g_autofree char *message = NULL;

      if (tracker != NULL)
        message = g_strdup_printf (_("%s is not set up: add its credentials in Preferences or "
                                     "the environment"), waybill_tracker_get_name (tracker));
      else
        message = g_strdup_printf (_("No tracking service is set up for %s; add one in Preferences, "
                                     "or see %s"), waybill_carrier_get_name (carrier), url);
      status = fail_kind (common.json, "not_configured", message);
      goto out;
    }

  {
    const char *numbers[] = { number, NULL };

    /* Aggregators track better when told the carrier. */
    waybill_tracker_set_carrier_hint (tracker, number, waybill_carrier_get_id (carrier));
    waybill_tracker_track_async (tracker, numbers, NULL, done_cb, &wait);
    replies = waybill_tracker_track_finish (tracker, wait_for (&wait), &error);
    g_clear_object (&wait.result);
  }

  if (replies == NULL || replies->len != 1)
    {
      status = fail_kind (common.json, "bad_response",
                          error ? error->message : _("The tracking service gave no answer"));
      goto out;
    }

  reply = g_ptr_array_index (replies, 0);
  if (reply->error != NULL)
    {
      const char *kind = waybill_tracker_error_kind (reply->error);

      status = fail_kind (common.json, kind ? kind : "bad_response", reply->error->message);
      goto out;
    }

  print_result (number, carrier, tracker, reply->result, common.json);
  status = 0;

out:
  waybill_cli_common_clear (&common);
  return status;
}
