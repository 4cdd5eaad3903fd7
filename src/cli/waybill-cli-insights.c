/* waybill-cli-insights.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "waybill-cli-private.h"
#include "waybill-feedback.h"
#include "waybill-format.h"
#include "waybill-stats.h"
#include "waybill-status-reply.h"

/* Keeping customers informed: `waybill reply`, `waybill feedback` and
 * `waybill stats`. */

static WaybillOrder *
find_order (WaybillStore  *store,
            const char    *verb,
            const char    *text)
{
  g_autoptr(GError) error = NULL;
  WaybillOrder *order;

  order = waybill_store_find_order (store, text, &error);
  if (order == NULL && g_error_matches (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_NOT_FOUND))
    {
      g_clear_error (&error);
      order = waybill_store_find_by_tracking (store, text, &error);
    }
  if (order == NULL)
    {
      if (g_error_matches (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_NOT_FOUND))
        waybill_cli_fail_printf (verb, _("No order or tracking number “%s”"), text);
      else
        waybill_cli_fail (verb, error);
    }

  return order;
}

static char *
format_day_iso (GDateTime *time)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (time);

  return g_date_time_format (local, "%Y-%m-%d");
}

/* `waybill reply ORDER_OR_TRACKING`: the status reply staff paste into a
 * chat. */
int
waybill_cli_reply (int    argc,
                   char **argv)
{
  WaybillCliCommon common = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(WaybillStore) store = NULL;
  g_autoptr(WaybillOrder) order = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GPtrArray *shipments;
  int status = 1;

  context = waybill_cli_context_new ("reply", _("ORDER_OR_TRACKING_NUMBER"),
                                     _("Print a short reply for the customer on where their order is, "
                                       "ready to paste into a chat or an e-mail."),
                                     NULL, &common);
  if (!waybill_cli_parse (context, "reply", &argc, &argv))
    goto out;

  if (argc != 2)
    {
      waybill_cli_fail_printf ("reply", _("Give one order number or tracking number (see “waybill reply --help”)"));
      goto out;
    }

  store = waybill_cli_open_store (&common);
  if (store == NULL)
    goto out;

  order = find_order (store, "reply", argv[1]);
  if (order == NULL)
    goto out;

  shipments = waybill_order_get_shipments (order);
  for (guint i = 0; i < shipments->len; i++)
    if (!waybill_store_load_events (store, g_ptr_array_index (shipments, i), &error))
      {
        waybill_cli_fail ("reply", error);
        goto out;
      }

  text = waybill_status_reply_build (order, now);

  if (common.json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "order_number");
      json_builder_add_string_value (builder, waybill_order_get_order_number (order));
      json_builder_set_member_name (builder, "reply");
      json_builder_add_string_value (builder, text);
      json_builder_end_object (builder);
      node = json_builder_get_root (builder);
      waybill_cli_print_json (node);
    }
  else
    g_print ("%s\n", text);

  status = 0;

out:
  waybill_cli_common_clear (&common);
  return status;
}

static void
add_feedback_json (JsonBuilder     *builder,
                   WaybillFeedback *feedback)
{
  g_autofree char *date = waybill_format_iso8601 (waybill_feedback_get_given_at (feedback));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, waybill_feedback_get_id (feedback));
  json_builder_set_member_name (builder, "order_number");
  json_builder_add_string_value (builder, waybill_feedback_get_order_number (feedback));
  json_builder_set_member_name (builder, "customer");
  json_builder_add_string_value (builder, waybill_feedback_get_customer (feedback));
  json_builder_set_member_name (builder, "rating");
  json_builder_add_int_value (builder, waybill_feedback_get_rating (feedback));
  json_builder_set_member_name (builder, "comment");
  json_builder_add_string_value (builder, waybill_feedback_get_comment (feedback));
  json_builder_set_member_name (builder, "date");
  json_builder_add_string_value (builder, date);
  json_builder_set_member_name (builder, "source");
  json_builder_add_string_value (builder, waybill_feedback_source_to_id (waybill_feedback_get_source (feedback)));
  json_builder_end_object (builder);
}

static int
feedback_add (WaybillCliCommon *common,
              WaybillStore     *store,
              const char       *order_text,
              int               rating,
              const char       *comment,
              const char       *date_text)
{
  g_autoptr(WaybillOrder) order = NULL;
  g_autoptr(WaybillFeedback) feedback = NULL;
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GError) error = NULL;
  gboolean was_new = FALSE;

  if (rating < WAYBILL_FEEDBACK_MIN_RATING || rating > WAYBILL_FEEDBACK_MAX_RATING)
    return waybill_cli_fail_printf ("feedback", _("Give a rating from 1 to 5 with --rating"));

  if (date_text != NULL)
    {
      g_autoptr(GDateTime) day = waybill_stats_parse_since (date_text, &error);

      if (day == NULL)
        return waybill_cli_fail ("feedback", error);
      date = g_date_time_add_hours (day, 12);
    }

  order = find_order (store, "feedback", order_text);
  if (order == NULL)
    return 1;

  feedback = waybill_feedback_new (waybill_order_get_id (order), rating, comment, date,
                                   WAYBILL_FEEDBACK_SOURCE_STAFF);
  if (!waybill_store_add_feedback (store, feedback, &was_new, &error))
    return waybill_cli_fail ("feedback", error);
  waybill_feedback_set_order (feedback, waybill_order_get_order_number (order),
                              waybill_order_get_customer (order));

  if (common->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;

      add_feedback_json (builder, feedback);
      node = json_builder_get_root (builder);
      waybill_cli_print_json (node);
    }
  else if (!was_new)
    {
      /* Translators: %s is an order number */
      g_print (_("This feedback on order %s was already recorded."), waybill_order_get_order_number (order));
      g_print ("\n");
    }
  else
    {
      /* Translators: %u is a rating from 1 to 5, %s an order number */
      g_print (ngettext ("Saved a rating of %u star for order %s.",
                         "Saved a rating of %u stars for order %s.", rating),
               (guint) rating, waybill_order_get_order_number (order));
      g_print ("\n");
    }

  return 0;
}

static int
feedback_import (WaybillCliCommon *common,
                 WaybillStore     *store,
                 const char       *path)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(WaybillFeedbackImportReport) report = NULL;
  g_autoptr(GError) error = NULL;

  stream = g_file_read (file, NULL, &error);
  if (stream == NULL)
    return waybill_cli_fail ("feedback", error);

  report = waybill_feedback_import (store, G_INPUT_STREAM (stream), NULL, &error);
  if (report == NULL)
    return waybill_cli_fail ("feedback", error);

  if (common->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "added");
      json_builder_add_int_value (builder, report->added);
      json_builder_set_member_name (builder, "duplicates");
      json_builder_add_int_value (builder, report->duplicates);
      json_builder_set_member_name (builder, "problems");
      json_builder_begin_array (builder);
      for (guint i = 0; i < report->problems->len; i++)
        json_builder_add_string_value (builder, g_ptr_array_index (report->problems, i));
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      node = json_builder_get_root (builder);
      waybill_cli_print_json (node);
    }
  else
    {
      g_print (ngettext ("%u answer imported", "%u answers imported", report->added), report->added);
      g_print (", ");
      g_print (ngettext ("%u already there", "%u already there", report->duplicates), report->duplicates);
      g_print (", ");
      g_print (ngettext ("%u row skipped", "%u rows skipped", report->problems->len), report->problems->len);
      g_print ("\n");
      for (guint i = 0; i < report->problems->len; i++)
        g_print ("%s\n", (const char *) g_ptr_array_index (report->problems, i));
    }

  return 0;
}

static int
feedback_list (WaybillCliCommon *common,
               WaybillStore     *store,
               const char       *order_text,
               const char       *since_text)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GDateTime) since = NULL;
  g_autoptr(GError) error = NULL;
  guint sum = 0;

  if (since_text != NULL && (since = waybill_stats_parse_since (since_text, &error)) == NULL)
    return waybill_cli_fail ("feedback", error);

  if (order_text != NULL)
    {
      g_autoptr(WaybillOrder) order = find_order (store, "feedback", order_text);

      if (order == NULL)
        return 1;
      list = waybill_store_list_order_feedback (store, waybill_order_get_id (order), &error);
    }
  else
    list = waybill_store_list_feedback (store, since, &error);
  if (list == NULL)
    return waybill_cli_fail ("feedback", error);

  for (guint i = 0; i < list->len; i++)
    sum += waybill_feedback_get_rating (g_ptr_array_index (list, i));

  if (common->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "count");
      json_builder_add_int_value (builder, list->len);
      json_builder_set_member_name (builder, "average");
      if (list->len > 0)
        json_builder_add_double_value (builder, round (100.0 * sum / list->len) / 100.0);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "feedback");
      json_builder_begin_array (builder);
      for (guint i = 0; i < list->len; i++)
        add_feedback_json (builder, g_ptr_array_index (list, i));
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      node = json_builder_get_root (builder);
      waybill_cli_print_json (node);
      return 0;
    }

  if (list->len == 0)
    {
      g_print ("%s\n", _("No feedback yet."));
      return 0;
    }

  /* Translators: %u is how many ratings, %.1f their average out of 5 */
  g_print (ngettext ("%u rating, average %.1f of 5", "%u ratings, average %.1f of 5", list->len),
           list->len, (double) sum / list->len);
  g_print ("\n\n");
  for (guint i = 0; i < list->len; i++)
    {
      WaybillFeedback *feedback = g_ptr_array_index (list, i);
      g_autofree char *day = format_day_iso (waybill_feedback_get_given_at (feedback));
      g_autoptr(GString) stars = g_string_new (NULL);

      for (guint s = 1; s <= WAYBILL_FEEDBACK_MAX_RATING; s++)
        g_string_append (stars, s <= waybill_feedback_get_rating (feedback) ? "★" : "☆");

      g_print ("%s  %s  %-8s %-20s %s\n", day, stars->str, waybill_feedback_get_order_number (feedback),
               waybill_feedback_get_customer (feedback),
               waybill_feedback_source_get_label (waybill_feedback_get_source (feedback)));
      if (*waybill_feedback_get_comment (feedback) != '\0')
        g_print ("            “%s”\n", waybill_feedback_get_comment (feedback));
    }

  return 0;
}

int
waybill_cli_feedback (int    argc,
                      char **argv)
{
  WaybillCliCommon common = { 0 };
  int rating = 0;
  char *comment = NULL;
  char *date = NULL;
  char *order = NULL;
  char *since = NULL;
  const GOptionEntry entries[] = {
    { "rating", 0, 0, G_OPTION_ARG_INT, &rating, N_("add: the rating, 1 to 5"), N_("N") },
    { "comment", 0, 0, G_OPTION_ARG_STRING, &comment, N_("add: what the customer said"), N_("TEXT") },
    { "date", 0, 0, G_OPTION_ARG_STRING, &date, N_("add: the day it was given (default: now)"), N_("YYYY-MM-DD") },
    { "order", 0, 0, G_OPTION_ARG_STRING, &order, N_("list: only this order’s feedback"), N_("ORDER") },
    { "since", 0, 0, G_OPTION_ARG_STRING, &since, N_("list: only feedback given since this day"), N_("YYYY-MM-DD") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(WaybillStore) store = NULL;
  int status = 1;

  context = waybill_cli_context_new ("feedback", _("add ORDER --rating N | import FILE | list | delete ID"),
                                     _("Record and list customers’ feedback on their orders:\n"
                                       "  add ORDER --rating N [--comment TEXT] [--date DAY]\n"
                                       "  import FILE   survey answers from CSV (order, rating, comment, date)\n"
                                       "  list [--order ORDER] [--since DAY]\n"
                                       "  delete ID"),
                                     entries, &common);
  if (!waybill_cli_parse (context, "feedback", &argc, &argv))
    goto out;

  if (argc < 2)
    {
      waybill_cli_fail_printf ("feedback", _("Say add, import, list or delete (see “waybill feedback --help”)"));
      goto out;
    }

#define EXPECT_ARGS(n, message) \
  if (argc != (n)) { waybill_cli_fail_printf ("feedback", "%s", message); goto out; }

  if (g_str_equal (argv[1], "add"))
    {
      EXPECT_ARGS (3, _("Give one order number: waybill feedback add ORDER --rating N"));
      if ((store = waybill_cli_open_store (&common)) != NULL)
        status = feedback_add (&common, store, argv[2], rating, comment, date);
    }
  else if (g_str_equal (argv[1], "import"))
    {
      EXPECT_ARGS (3, _("Give one file: waybill feedback import FILE"));
      if ((store = waybill_cli_open_store (&common)) != NULL)
        status = feedback_import (&common, store, argv[2]);
    }
  else if (g_str_equal (argv[1], "list"))
    {
      EXPECT_ARGS (2, _("Unexpected argument (see “waybill feedback --help”)"));
      if ((store = waybill_cli_open_store (&common)) != NULL)
        status = feedback_list (&common, store, order, since);
    }
  else if (g_str_equal (argv[1], "delete"))
    {
      g_autoptr(GError) error = NULL;
      guint64 id = 0;

      EXPECT_ARGS (3, _("Give one feedback id: waybill feedback delete ID"));
      if (!g_ascii_string_to_unsigned (argv[2], 10, 1, G_MAXINT64, &id, NULL))
        {
          waybill_cli_fail_printf ("feedback", _("“%s” is not a feedback id (see “waybill feedback list --json”)"),
                                   argv[2]);
          goto out;
        }
      if ((store = waybill_cli_open_store (&common)) == NULL)
        goto out;
      if (!waybill_store_delete_feedback (store, id, &error))
        waybill_cli_fail ("feedback", error);
      else
        status = 0;
    }
  else
    waybill_cli_fail_printf ("feedback", _("“%s” is not add, import, list or delete"), argv[1]);

#undef EXPECT_ARGS

out:
  g_free (comment);
  g_free (date);
  g_free (order);
  g_free (since);
  waybill_cli_common_clear (&common);
  return status;
}

static void
add_rate (JsonBuilder *builder,
          const char  *name,
          double       value)
{
  json_builder_set_member_name (builder, name);
  if (value < 0)
    json_builder_add_null_value (builder);
  else
    json_builder_add_double_value (builder, round (value * 10000) / 10000);
}

static void
print_stats_json (WaybillStats *stats)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *since = stats->since != NULL ? format_day_iso (stats->since) : NULL;
  g_autofree char *until = format_day_iso (stats->until);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "since");
  if (since != NULL)
    json_builder_add_string_value (builder, since);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "until");
  json_builder_add_string_value (builder, until);

  json_builder_set_member_name (builder, "carriers");
  json_builder_begin_array (builder);
  for (guint i = 0; i < stats->carriers->len; i++)
    {
      WaybillCarrierStats *carrier = g_ptr_array_index (stats->carriers, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "carrier");
      json_builder_add_string_value (builder, carrier->carrier);
      json_builder_set_member_name (builder, "shipments");
      json_builder_add_int_value (builder, carrier->shipments);
      json_builder_set_member_name (builder, "delivered");
      json_builder_add_int_value (builder, carrier->delivered);
      add_rate (builder, "on_time_rate", carrier->on_time_rate);
      add_rate (builder, "average_transit_days", carrier->average_transit_days);
      json_builder_set_member_name (builder, "exceptions");
      json_builder_add_int_value (builder, carrier->exceptions);
      json_builder_set_member_name (builder, "exceptions_by_reason");
      json_builder_begin_object (builder);
      for (guint r = 1; r < WAYBILL_N_EXCEPTION_REASONS; r++)
        if (carrier->exceptions_by_reason[r] > 0)
          {
            json_builder_set_member_name (builder, waybill_exception_reason_to_id (r));
            json_builder_add_int_value (builder, carrier->exceptions_by_reason[r]);
          }
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "statuses");
  json_builder_begin_object (builder);
  for (guint s = 0; s < WAYBILL_N_STATUSES; s++)
    if (stats->orders_by_status[s] > 0)
      {
        json_builder_set_member_name (builder, waybill_status_to_id (s));
        json_builder_add_int_value (builder, stats->orders_by_status[s]);
      }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "feedback");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "count");
  json_builder_add_int_value (builder, stats->feedback_count);
  json_builder_set_member_name (builder, "average");
  if (stats->feedback_count > 0)
    json_builder_add_double_value (builder, round (stats->feedback_average * 100) / 100);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  node = json_builder_get_root (builder);
  waybill_cli_print_json (node);
}

static void
print_stats_table (WaybillStats *stats)
{
  g_autofree char *until = format_day_iso (stats->until);

  if (stats->since != NULL)
    {
      g_autofree char *since = format_day_iso (stats->since);

      /* Translators: a period, "Orders created from 2025-11-01 to 2025-12-02" */
      g_print (_("Orders created from %s to %s"), since, until);
    }
  else
    /* Translators: %s is a day such as 2025-12-02 */
    g_print (_("All orders up to %s"), until);
  g_print ("\n\n");

  if (stats->carriers->len == 0)
    g_print ("%s\n", _("No shipments in this period."));
  else
    {
      g_autoptr(GString) header = g_string_new (NULL);

      const char *headings[] = { _("Carrier"), _("Shipments"), _("Delivered"),
                                 _("On time"), _("Transit days"), _("Exceptions") };
      guint widths[G_N_ELEMENTS (headings)] = { 20, 9, 9, 8, 12, 10 };

      /* A translated heading may be wider than the figures under it. */
      for (guint c = 0; c < G_N_ELEMENTS (headings); c++)
        widths[c] = MAX (widths[c], (guint) g_utf8_strlen (headings[c], -1));
      for (guint c = 0; c < G_N_ELEMENTS (headings); c++)
        waybill_cli_append_padded (header, headings[c], widths[c], c > 0);
      g_strchomp (header->str);
      g_print ("%s\n", header->str);
      for (guint i = 0; i < stats->carriers->len; i++)
        {
          WaybillCarrierStats *carrier = g_ptr_array_index (stats->carriers, i);
          g_autofree char *rate = carrier->on_time_rate >= 0
                                  ? g_strdup_printf ("%.0f%%", carrier->on_time_rate * 100) : g_strdup ("–");
          g_autofree char *transit = carrier->average_transit_days >= 0
                                     ? g_strdup_printf ("%.1f", carrier->average_transit_days) : g_strdup ("–");

          g_autofree char *shipments = g_strdup_printf ("%u", carrier->shipments);
          g_autofree char *delivered = g_strdup_printf ("%u", carrier->delivered);
          g_autofree char *exceptions = g_strdup_printf ("%u", carrier->exceptions);
          g_autoptr(GString) line = g_string_new (NULL);

          const char *cells[] = { waybill_format_carrier_name (carrier->carrier), shipments, delivered,
                                  rate, transit, exceptions };

          for (guint c = 0; c < G_N_ELEMENTS (cells); c++)
            waybill_cli_append_padded (line, cells[c], widths[c], c > 0);
          g_strchomp (line->str);
          g_print ("%s\n", line->str);
        }
    }

  g_print ("\n%s\n", _("Orders by status:"));
  for (guint s = 0; s < WAYBILL_N_STATUSES; s++)
    if (stats->orders_by_status[s] > 0)
      {
        g_autoptr(GString) line = g_string_new ("  ");

        waybill_cli_append_padded (line, waybill_status_get_label (s), 30, FALSE);
        g_string_append_printf (line, "%u", stats->orders_by_status[s]);
        g_print ("%s\n", line->str);
      }
  if (stats->orders == 0)
    g_print ("  %s\n", _("No orders in this period."));

  g_print ("\n");
  if (stats->feedback_count > 0)
    g_print (ngettext ("Feedback: %u rating, average %.1f of 5", "Feedback: %u ratings, average %.1f of 5",
                       stats->feedback_count),
             stats->feedback_count, stats->feedback_average);
  else
    g_print ("%s", _("Feedback: none in this period"));
  g_print ("\n");
}

int
waybill_cli_stats (int    argc,
                   char **argv)
{
  WaybillCliCommon common = { 0 };
  char *since_text = NULL;
  const GOptionEntry entries[] = {
    { "since", 0, 0, G_OPTION_ARG_STRING, &since_text,
      N_("Only orders created (and feedback given) since this day"), N_("YYYY-MM-DD") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(WaybillStore) store = NULL;
  g_autoptr(WaybillStats) stats = NULL;
  g_autoptr(GDateTime) since = NULL;
  g_autoptr(GError) error = NULL;
  int status = 1;

  context = waybill_cli_context_new ("stats", NULL,
                                     _("Print how carriers do (on-time rate, transit days, exceptions), "
                                       "orders by status and customers’ feedback, over the orders created "
                                       "in a period."),
                                     entries, &common);
  if (!waybill_cli_parse (context, "stats", &argc, &argv))
    goto out;

  if (argc > 1)
    {
      waybill_cli_fail_printf ("stats", _("Unexpected argument “%s” (see “waybill stats --help”)"), argv[1]);
      goto out;
    }

  if (since_text != NULL && (since = waybill_stats_parse_since (since_text, &error)) == NULL)
    {
      waybill_cli_fail ("stats", error);
      goto out;
    }

  store = waybill_cli_open_store (&common);
  if (store == NULL)
    goto out;

  stats = waybill_stats_compute (store, since, NULL, &error);
  if (stats == NULL)
    {
      waybill_cli_fail ("stats", error);
      goto out;
    }

  if (common.json)
    print_stats_json (stats);
  else
    print_stats_table (stats);

  status = 0;

out:
  g_free (since_text);
  waybill_cli_common_clear (&common);
  return status;
}
