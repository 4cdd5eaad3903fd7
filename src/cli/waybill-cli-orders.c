/* waybill-cli-orders.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "waybill-carrier.h"
#include "waybill-cli-private.h"
#include "waybill-demo.h"
#include "waybill-tracking-number.h"
#include "waybill-format.h"

/* The verbs that read and write orders: add, list, show, lookup, demo. */

#define LIST_PAGE 1000

static void
print_order_row (WaybillOrder *order,
                 GDateTime    *now)
{
  WaybillShipment *shipment = waybill_order_get_primary_shipment (order);
  g_autofree char *delivery = waybill_format_order_line (order, now);
  g_autoptr(GString) line = g_string_new (NULL);

  waybill_cli_append_padded (line, waybill_order_get_order_number (order), 10, FALSE);
  waybill_cli_append_padded (line, waybill_order_get_customer (order), 22, FALSE);
  waybill_cli_append_padded (line, waybill_status_get_label (waybill_order_get_display_status (order)), 18, FALSE);
  waybill_cli_append_padded (line, shipment ? waybill_format_carrier_name (waybill_shipment_get_carrier (shipment)) : NULL, 14, FALSE);
  waybill_cli_append_padded (line, shipment ? waybill_shipment_get_tracking_number (shipment) : NULL, 22, FALSE);
  g_string_append (line, delivery);
  if (waybill_order_get_delayed (order))
    g_string_append (line, _(" (delayed)"));

  g_print ("%s\n", line->str);
}

static void
print_orders (GPtrArray *orders,
              gboolean   json)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (json)
    {
      g_autoptr(JsonArray) array = json_array_sized_new (orders->len);
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);

      for (guint i = 0; i < orders->len; i++)
        json_array_add_element (array, waybill_cli_order_to_json (g_ptr_array_index (orders, i), FALSE));
      json_node_set_array (node, array);
      waybill_cli_print_json (node);
      return;
    }

  for (guint i = 0; i < orders->len; i++)
    print_order_row (g_ptr_array_index (orders, i), now);
}

/* Checks a tracking number given to `add`: the carrier is filled in when
 * the number can only be one carrier's; a mistyped number is refused unless
 * --force.  On success *tracking is the number the carrier tracks. */
static gboolean
resolve_tracking (char     **tracking,
                  char     **carrier_id,
                  gboolean   force)
{
  g_autofree char *normalized = NULL;
  g_autoptr(GPtrArray) candidates = waybill_tracking_number_detect (*tracking, &normalized);

  if (*normalized == '\0')
    {
      waybill_cli_fail_printf ("add", _("“%s” is not a tracking number"), *tracking);
      return FALSE;
    }

  if (*carrier_id != NULL)
    {
      const WaybillCarrier *carrier = waybill_carrier_lookup (*carrier_id);
      g_autoptr(WaybillTrackingCandidate) verdict = NULL;

      if (carrier == NULL)
        {
          waybill_cli_fail_printf ("add", _("Unknown carrier “%s”; run “waybill detect %s” to see "
                                            "which carriers fit the number"), *carrier_id, normalized);
          return FALSE;
        }

      verdict = waybill_tracking_number_verify (*tracking, carrier);
      if (verdict == NULL && !force)
        {
          waybill_cli_fail_printf ("add", _("%s does not look like a %s tracking number; check it, "
                                            "or add --force to keep it as it is"),
                                   normalized, waybill_carrier_get_name (carrier));
          return FALSE;
        }
      if (verdict != NULL && verdict->check_digit == WAYBILL_CHECK_DIGIT_INVALID && !force)
        {
          waybill_cli_fail_printf ("add", _("The check digit of %s is wrong for %s: the number was "
                                            "probably mistyped (add --force to keep it anyway)"),
                                   normalized, waybill_carrier_get_name (carrier));
          return FALSE;
        }

      g_free (*tracking);
      *tracking = g_strdup (verdict != NULL ? verdict->number : normalized);
      return TRUE;
    }

  if (candidates->len == 0)
    {
      if (!force)
        {
          waybill_cli_fail_printf ("add", _("%s is not a known tracking number format; give "
                                            "--carrier, or add --force to keep it without one"),
                                   normalized);
          return FALSE;
        }
      g_free (*tracking);
      *tracking = g_steal_pointer (&normalized);
      return TRUE;
    }

  {
    const WaybillTrackingCandidate *pick = waybill_tracking_candidates_pick (candidates);

    if (pick == NULL)
      {
        g_autoptr(GString) names = g_string_new (NULL);

        for (guint i = 0; i < candidates->len; i++)
          {
            WaybillTrackingCandidate *c = g_ptr_array_index (candidates, i);

            if (c->check_digit == WAYBILL_CHECK_DIGIT_INVALID)
              continue;
            g_string_append_printf (names, "%s%s", names->len > 0 ? ", " : "",
                                    waybill_carrier_get_id (c->carrier));
          }
        if (names->len == 0)
          {
            if (!force)
              {
                waybill_cli_fail_printf ("add", _("The check digit of %s is wrong: the number was "
                                                  "probably mistyped (add --force to keep it anyway)"),
                                         normalized);
                return FALSE;
              }
            g_free (*tracking);
            *tracking = g_steal_pointer (&normalized);
            return TRUE;
          }
        waybill_cli_fail_printf ("add", _("%s could belong to several carriers (%s); say which "
                                          "with --carrier"), normalized, names->str);
        return FALSE;
      }

    if (pick->check_digit == WAYBILL_CHECK_DIGIT_INVALID && !force)
      {
        waybill_cli_fail_printf ("add", _("The check digit of %s is wrong for %s: the number was "
                                          "probably mistyped (add --force to keep it anyway)"),
                                 normalized, waybill_carrier_get_name (pick->carrier));
        return FALSE;
      }

    g_free (*carrier_id);
    *carrier_id = g_strdup (waybill_carrier_get_id (pick->carrier));
    g_free (*tracking);
    *tracking = g_strdup (pick->number);
  }

  return TRUE;
}

int
waybill_cli_add (int    argc,
                 char **argv)
{
  WaybillCliCommon common = { 0 };
  g_autofree char *number = NULL;
  g_autofree char *customer = NULL;
  g_autofree char *email = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *address = NULL;
  g_autofree char *note = NULL;
  g_autofree char *carrier = NULL;
  g_autofree char *tracking = NULL;
  gboolean force = FALSE;
  const GOptionEntry entries[] = {
    { "order", 0, 0, G_OPTION_ARG_STRING, &number, N_("The order number (required)"), N_("NUM") },
    { "customer", 0, 0, G_OPTION_ARG_STRING, &customer, N_("The customer’s name (required)"), N_("NAME") },
    { "email", 0, 0, G_OPTION_ARG_STRING, &email, N_("The customer’s email address"), N_("E") },
    { "phone", 0, 0, G_OPTION_ARG_STRING, &phone, N_("The customer’s phone number"), N_("P") },
    { "address", 0, 0, G_OPTION_ARG_STRING, &address, N_("The shipping address"), N_("A") },
    { "note", 0, 0, G_OPTION_ARG_STRING, &note, N_("A note for the shop"), N_("T") },
    { "carrier", 0, 0, G_OPTION_ARG_STRING, &carrier, N_("The carrier’s id, such as ups or royal-mail"), N_("ID") },
    { "tracking", 0, 0, G_OPTION_ARG_STRING, &tracking, N_("The parcel’s tracking number"), N_("N") },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force,
      N_("Keep a tracking number even if its check digit is wrong or it does not fit the carrier"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(WaybillStore) store = NULL;
  g_autoptr(WaybillOrder) order = NULL;
  g_autoptr(GError) error = NULL;
  int status = 1;

  context = waybill_cli_context_new ("add", NULL, _("Add an order."), entries, &common);
  if (!waybill_cli_parse (context, "add", &argc, &argv))
    goto out;

  if (argc > 1)
    {
      waybill_cli_fail_printf ("add", _("Unexpected argument “%s” (see “waybill add --help”)"), argv[1]);
      goto out;
    }
  if (number == NULL || *g_strstrip (number) == '\0')
    {
      waybill_cli_fail_printf ("add", _("--order NUM is required"));
      goto out;
    }
  if (customer == NULL || *g_strstrip (customer) == '\0')
    {
      waybill_cli_fail_printf ("add", _("--customer NAME is required"));
      goto out;
    }
  if (carrier != NULL && tracking == NULL)
    {
      waybill_cli_fail_printf ("add", _("--carrier needs a --tracking number"));
      goto out;
    }
  if (tracking != NULL && !resolve_tracking (&tracking, &carrier, force))
    goto out;

  store = waybill_cli_open_store (&common);
  if (store == NULL)
    goto out;

  order = waybill_order_new (number, customer);
  waybill_order_set_email (order, email);
  waybill_order_set_phone (order, phone);
  waybill_order_set_address (order, address);
  waybill_order_set_note (order, note);

  if (tracking != NULL)
    {
      g_autoptr(WaybillShipment) shipment = waybill_shipment_new (carrier, tracking);

      waybill_order_set_stage (order, WAYBILL_STATUS_SHIPPED);
      waybill_order_add_shipment (order, shipment);
    }

  if (!waybill_store_create_order (store, order, &error))
    {
      waybill_cli_fail ("add", error);
      goto out;
    }

  if (common.json)
    {
      g_autoptr(JsonNode) node = waybill_cli_order_to_json (order, FALSE);

      waybill_cli_print_json (node);
    }
  else
    {
      g_print (_("Added order %s for %s."), waybill_order_get_order_number (order),
               waybill_order_get_customer (order));
      g_print ("\n");
    }

  status = 0;

out:
  waybill_cli_common_clear (&common);
  return status;
}

int
waybill_cli_list (int    argc,
                  char **argv)
{
  WaybillCliCommon common = { 0 };
  WaybillOrderQuery query = WAYBILL_ORDER_QUERY_INIT;
  WaybillOrderKey last = { 0 };
  g_autofree char *status_id = NULL;
  gboolean archived = FALSE;
  const GOptionEntry entries[] = {
    { "status", 0, 0, G_OPTION_ARG_STRING, &status_id,
      N_("Only orders with this status, such as in_transit or delivered"), N_("S") },
    { "archived", 0, 0, G_OPTION_ARG_NONE, &archived, N_("List archived orders instead"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(WaybillStore) store = NULL;
  g_autoptr(GPtrArray) all = NULL;
  int status = 1;

  context = waybill_cli_context_new ("list", NULL, _("List orders, newest first."), entries, &common);
  if (!waybill_cli_parse (context, "list", &argc, &argv))
    goto out;

  if (argc > 1)
    {
      waybill_cli_fail_printf ("list", _("Unexpected argument “%s” (see “waybill list --help”)"), argv[1]);
      goto out;
    }

  if (status_id != NULL)
    {
      query.status = waybill_status_from_id (status_id);
      if (query.status == WAYBILL_STATUS_INVALID)
        {
          g_autoptr(GString) known = g_string_new (NULL);

          for (guint i = 0; i < WAYBILL_N_STATUSES; i++)
            g_string_append_printf (known, "%s%s", i > 0 ? ", " : "", waybill_status_to_id (i));
          waybill_cli_fail_printf ("list", _("Unknown status “%s”; known statuses: %s"),
                                   status_id, known->str);
          goto out;
        }
    }
  query.filter = archived ? WAYBILL_FILTER_ARCHIVED : WAYBILL_FILTER_ALL;

  store = waybill_cli_open_store (&common);
  if (store == NULL)
    goto out;

  /* Read in pages, each after the last row of the one before, so that a
   * large database never sits in memory twice. */
  all = g_ptr_array_new_with_free_func (g_object_unref);
  for (gboolean first = TRUE; ; first = FALSE)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) page = waybill_store_list_orders_after (store, &query, first ? NULL : &last, 0,
                                                                   LIST_PAGE, &last, &error);

      if (page == NULL)
        {
          waybill_cli_fail ("list", error);
          goto out;
        }

      for (guint i = 0; i < page->len; i++)
        g_ptr_array_add (all, g_object_ref (g_ptr_array_index (page, i)));

      if (page->len < LIST_PAGE)
        break;
    }

  print_orders (all, common.json);
  status = 0;

out:
  waybill_cli_common_clear (&common);
  return status;
}

static void
print_order_details (WaybillOrder *order)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  GPtrArray *shipments = waybill_order_get_shipments (order);

  g_print (_("Order %s — %s"), waybill_order_get_order_number (order),
           waybill_order_get_customer (order));
  g_print ("\n");
  g_print ("  %s: %s%s\n", _("Status"),
           waybill_status_get_label (waybill_order_get_display_status (order)),
           waybill_order_get_delayed (order) ? _(" (delayed)") : "");
  if (waybill_order_get_email (order))
    g_print ("  %s: %s\n", _("Email"), waybill_order_get_email (order));
  if (waybill_order_get_phone (order))
    g_print ("  %s: %s\n", _("Phone"), waybill_order_get_phone (order));
  if (waybill_order_get_archived (order))
    g_print ("  %s\n", _("Archived"));
  if (waybill_order_get_note (order))
    g_print ("  %s: %s\n", _("Note"), waybill_order_get_note (order));

  if (shipments->len == 0)
    {
      g_autofree char *line = waybill_format_order_line (order, now);

      g_print ("  %s\n", line);
    }

  for (guint i = 0; i < shipments->len; i++)
    {
      WaybillShipment *shipment = g_ptr_array_index (shipments, i);
      g_autofree char *line = waybill_format_delivery_line (shipment, now);
      GPtrArray *events = waybill_shipment_get_events (shipment);

      g_print ("\n  %s %s — %s\n",
               waybill_format_carrier_name (waybill_shipment_get_carrier (shipment)),
               waybill_shipment_get_tracking_number (shipment),
               waybill_status_get_label (waybill_shipment_get_status (shipment)));
      g_print ("  %s\n", line);
      if (waybill_shipment_get_last_error (shipment))
        g_print ("  %s: %s\n", _("Last error"), waybill_shipment_get_last_error (shipment));

      for (guint j = 0; j < events->len; j++)
        {
          WaybillTrackingEvent *event = g_ptr_array_index (events, j);
          g_autofree char *when = waybill_format_date_time (waybill_tracking_event_get_time (event));
          const char *location = waybill_tracking_event_get_location (event);

          g_print ("    %-20s  %s%s%s\n", when, waybill_tracking_event_get_description (event),
                   location ? " — " : "", location ? location : "");
        }
    }
}

int
waybill_cli_show (int    argc,
                  char **argv)
{
  WaybillCliCommon common = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(WaybillStore) store = NULL;
  g_autoptr(WaybillOrder) order = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *shipments;
  int status = 1;

  context = waybill_cli_context_new ("show", _("ORDER_OR_TRACKING_NUMBER"),
                                     _("Show an order and the timeline of each of its parcels."),
                                     NULL, &common);
  if (!waybill_cli_parse (context, "show", &argc, &argv))
    goto out;

  if (argc != 2)
    {
      waybill_cli_fail_printf ("show", _("Give one order number or tracking number (see “waybill show --help”)"));
      goto out;
    }

  store = waybill_cli_open_store (&common);
  if (store == NULL)
    goto out;

  order = waybill_store_find_order (store, argv[1], &error);
  if (order == NULL && g_error_matches (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_NOT_FOUND))
    {
      g_clear_error (&error);
      order = waybill_store_find_by_tracking (store, argv[1], &error);
    }
  if (order == NULL)
    {
      if (g_error_matches (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_NOT_FOUND))
        waybill_cli_fail_printf ("show", _("No order or tracking number “%s”"), argv[1]);
      else
        waybill_cli_fail ("show", error);
      goto out;
    }

  shipments = waybill_order_get_shipments (order);
  for (guint i = 0; i < shipments->len; i++)
    if (!waybill_store_load_events (store, g_ptr_array_index (shipments, i), &error))
      {
        waybill_cli_fail ("show", error);
        goto out;
      }

  if (common.json)
    {
      g_autoptr(JsonNode) node = waybill_cli_order_to_json (order, TRUE);

      waybill_cli_print_json (node);
    }
  else
    print_order_details (order);

  status = 0;

out:
  waybill_cli_common_clear (&common);
  return status;
}

int
waybill_cli_lookup (int    argc,
                    char **argv)
{
  WaybillCliCommon common = { 0 };
  int limit = 20;
  const GOptionEntry entries[] = {
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("Show at most N matches (default 20)"), N_("N") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(WaybillStore) store = NULL;
  g_autoptr(GPtrArray) orders = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  int status = 1;

  context = waybill_cli_context_new ("lookup", _("TEXT"),
                                     _("Find orders by order number, customer name, email or "
                                       "tracking number; best match first."),
                                     entries, &common);
  if (!waybill_cli_parse (context, "lookup", &argc, &argv))
    goto out;

  if (argc < 2)
    {
      waybill_cli_fail_printf ("lookup", _("Give the text to look for (see “waybill lookup --help”)"));
      goto out;
    }
  if (limit <= 0)
    {
      waybill_cli_fail_printf ("lookup", _("--limit must be a positive number"));
      goto out;
    }

  text = g_strjoinv (" ", argv + 1);

  store = waybill_cli_open_store (&common);
  if (store == NULL)
    goto out;

  orders = waybill_store_search (store, text, limit, &error);
  if (orders == NULL)
    {
      waybill_cli_fail ("lookup", error);
      goto out;
    }

  print_orders (orders, common.json);

  if (orders->len == 0)
    {
      waybill_cli_fail_printf ("lookup", _("No order matches “%s”"), text);
      goto out;
    }

  status = 0;

out:
  waybill_cli_common_clear (&common);
  return status;
}

int
waybill_cli_demo (int    argc,
                  char **argv)
{
  WaybillCliCommon common = { 0 };
  int n_orders = WAYBILL_DEMO_DEFAULT_ORDERS;
  int seed = 1042;
  const GOptionEntry entries[] = {
    { "orders", 0, 0, G_OPTION_ARG_INT, &n_orders, N_("How many orders to make (default 40)"), N_("N") },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, N_("Seed of the random choices, for the same orders again"), N_("SEED") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(WaybillStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;
  int status = 1;

  context = waybill_cli_context_new ("demo", NULL,
                                     _("Fill an empty database with realistic demo orders over "
                                       "several carriers and every status."),
                                     entries, &common);
  if (!waybill_cli_parse (context, "demo", &argc, &argv))
    goto out;

  if (argc > 1)
    {
      waybill_cli_fail_printf ("demo", _("Unexpected argument “%s” (see “waybill demo --help”)"), argv[1]);
      goto out;
    }
  if (n_orders <= 0 || n_orders > 10000000)
    {
      waybill_cli_fail_printf ("demo", _("--orders must be between 1 and 10000000"));
      goto out;
    }

  store = waybill_cli_open_store (&common);
  if (store == NULL)
    goto out;

  start = g_get_monotonic_time ();
  if (!waybill_demo_fill (store, n_orders, seed, &error))
    {
      waybill_cli_fail ("demo", error);
      goto out;
    }

  if (common.json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "orders");
      json_builder_add_int_value (builder, n_orders);
      json_builder_set_member_name (builder, "database");
      json_builder_add_string_value (builder, waybill_store_get_path (store));
      json_builder_set_member_name (builder, "seconds");
      json_builder_add_double_value (builder, (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
      json_builder_end_object (builder);
      node = json_builder_get_root (builder);
      waybill_cli_print_json (node);
    }
  else
    {
      g_print (g_dngettext (GETTEXT_PACKAGE, "Added %d demo order to %s.",
                            "Added %d demo orders to %s.", n_orders),
               n_orders, waybill_store_get_path (store));
      g_print ("\n");
    }

  status = 0;

out:
  waybill_cli_common_clear (&common);
  return status;
}
