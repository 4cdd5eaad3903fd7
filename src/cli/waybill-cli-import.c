/* waybill-cli-import.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-cli"

#include "config.h"

#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <unistd.h>

#include "waybill-cli-private.h"
#include "waybill-export.h"
#include "waybill-import.h"

/* The verbs that bring orders in and take them out: import, export. */

static JsonNode *
result_to_json (WaybillImportResult *result)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, waybill_import_format_to_id (result->format));
  json_builder_set_member_name (builder, "orders_new");
  json_builder_add_int_value (builder, result->orders_new);
  json_builder_set_member_name (builder, "orders_updated");
  json_builder_add_int_value (builder, result->orders_updated);
  json_builder_set_member_name (builder, "orders_unchanged");
  json_builder_add_int_value (builder, result->orders_unchanged);
  json_builder_set_member_name (builder, "shipments_new");
  json_builder_add_int_value (builder, result->shipments_new);
  json_builder_set_member_name (builder, "rows");
  json_builder_add_int_value (builder, result->rows);
  json_builder_set_member_name (builder, "dry_run");
  json_builder_add_boolean_value (builder, result->dry_run);
  json_builder_set_member_name (builder, "written");
  json_builder_add_boolean_value (builder, result->written);

  json_builder_set_member_name (builder, "rows_bad");
  json_builder_begin_array (builder);
  for (guint i = 0; i < result->rows_bad->len; i++)
    {
      WaybillImportBadRow *row = g_ptr_array_index (result->rows_bad, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "line");
      json_builder_add_int_value (builder, row->line);
      json_builder_set_member_name (builder, "reason");
      json_builder_add_string_value (builder, row->reason);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "rows_bad_total");
  json_builder_add_int_value (builder, result->n_rows_bad);

  json_builder_set_member_name (builder, "conflicts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < result->conflicts->len; i++)
    {
      WaybillImportConflict *conflict = g_ptr_array_index (result->conflicts, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "order_number");
      json_builder_add_string_value (builder, conflict->order_number);
      json_builder_set_member_name (builder, "field");
      json_builder_add_string_value (builder, conflict->field);
      json_builder_set_member_name (builder, "ours");
      json_builder_add_string_value (builder, conflict->ours);
      json_builder_set_member_name (builder, "theirs");
      json_builder_add_string_value (builder, conflict->theirs);
      json_builder_set_member_name (builder, "kept");
      json_builder_add_string_value (builder, conflict->overwritten ? "theirs" : "ours");
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "conflicts_total");
  json_builder_add_int_value (builder, result->n_conflicts);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* A value on one line: line breaks shown as " / ". */
static char *
one_line (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text != NULL ? text : "", "\n", -1);

  return g_strjoinv (" / ", lines);
}

static void
print_result (WaybillImportResult *result)
{
  g_print (_("Format: %s"), waybill_import_format_get_label (result->format));
  g_print ("\n");
  g_print (ngettext ("%u new order", "%u new orders", result->orders_new), result->orders_new);
  g_print (", ");
  g_print (ngettext ("%u updated", "%u updated", result->orders_updated), result->orders_updated);
  g_print (", ");
  g_print (ngettext ("%u unchanged", "%u unchanged", result->orders_unchanged), result->orders_unchanged);
  g_print ("; ");
  g_print (ngettext ("%u new shipment", "%u new shipments", result->shipments_new), result->shipments_new);
  g_print ("\n");

  for (guint i = 0; i < result->rows_bad->len; i++)
    {
      WaybillImportBadRow *row = g_ptr_array_index (result->rows_bad, i);

      if (row->line > 0)
        g_print (_("Line %llu: %s"), (unsigned long long) row->line, row->reason);
      else
        g_print ("%s", row->reason);
      g_print ("\n");
    }
  if (result->n_rows_bad > result->rows_bad->len)
    {
      g_print (ngettext ("… and %u more bad row", "… and %u more bad rows",
                         result->n_rows_bad - result->rows_bad->len),
               result->n_rows_bad - result->rows_bad->len);
      g_print ("\n");
    }

  for (guint i = 0; i < result->conflicts->len; i++)
    {
      WaybillImportConflict *conflict = g_ptr_array_index (result->conflicts, i);
      g_autofree char *ours = one_line (conflict->ours);
      g_autofree char *theirs = one_line (conflict->theirs);

      if (conflict->overwritten)
        g_print (_("Order %s: %s was changed in Waybill (“%s”); the file’s value replaced it (“%s”)"),
                 conflict->order_number, conflict->field, ours, theirs);
      else
        g_print (_("Order %s: %s was changed in Waybill (“%s”); kept, the file has “%s”"),
                 conflict->order_number, conflict->field, ours, theirs);
      g_print ("\n");
    }

  if (result->dry_run)
    g_print ("%s\n", _("Dry run: nothing was saved."));
}

int
waybill_cli_import (int    argc,
                    char **argv)
{
  WaybillCliCommon common = { 0 };
  g_autofree char *format_id = NULL;
  g_auto(GStrv) maps = NULL;
  gboolean dry_run = FALSE;
  gboolean skip_bad = FALSE;
  gboolean overwrite = FALSE;
  const GOptionEntry entries[] = {
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run,
      N_("Check the file and tell what would change, without saving anything"), NULL },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_id,
      N_("The file’s format: auto (the default), shopify, woocommerce, etsy or waybill"), N_("F") },
    { "map", 0, 0, G_OPTION_ARG_STRING_ARRAY, &maps,
      N_("Read FIELD from COLUMN, for a CSV of another format (order_number, customer, email, "
         "phone, address, items, total, currency, created, tracking_number, carrier, note); "
         "repeat for each field"), N_("FIELD=COLUMN") },
    { "skip-bad", 0, 0, G_OPTION_ARG_NONE, &skip_bad,
      N_("Import the good rows when some are bad (without it, nothing is imported)"), NULL },
    { "overwrite-edits", 0, 0, G_OPTION_ARG_NONE, &overwrite,
      N_("Where an order was changed in Waybill and in the file, take the file’s value"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(WaybillStore) store = NULL;
  g_autoptr(WaybillImporter) importer = NULL;
  g_autoptr(WaybillImportResult) result = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  WaybillImportFormat format = WAYBILL_IMPORT_FORMAT_AUTO;
  WaybillImportFlags flags = WAYBILL_IMPORT_FLAGS_NONE;
  int status = 1;

  context = waybill_cli_context_new ("import", _("FILE"),
                                     _("Import orders from a Shopify, WooCommerce or Etsy CSV export, "
                                       "from a Waybill CSV or JSON export, or from any CSV with --map. "
                                       "Importing the same file again changes nothing; a newer export "
                                       "updates the orders and adds their new shipments."),
                                     entries, &common);
  if (!waybill_cli_parse (context, "import", &argc, &argv))
    goto out;

  if (argc != 2)
    {
      waybill_cli_fail_printf ("import", _("Give one file to import (see “waybill import --help”)"));
      goto out;
    }

  if (format_id != NULL)
    {
      format = waybill_import_format_from_id (format_id);
      if (format == WAYBILL_IMPORT_FORMAT_WAYBILL_JSON)
        format = WAYBILL_IMPORT_FORMAT_WAYBILL;
      if (format == WAYBILL_IMPORT_FORMAT_INVALID || format == WAYBILL_IMPORT_FORMAT_CUSTOM)
        {
          waybill_cli_fail_printf ("import", _("Unknown format “%s”; use auto, shopify, woocommerce, "
                                               "etsy or waybill"), format_id);
          goto out;
        }
    }

  if (dry_run)
    flags |= WAYBILL_IMPORT_DRY_RUN;
  if (skip_bad)
    flags |= WAYBILL_IMPORT_SKIP_BAD;
  if (overwrite)
    flags |= WAYBILL_IMPORT_OVERWRITE_EDITS;

  file = g_file_new_for_commandline_arg (argv[1]);
  if (!g_file_query_exists (file, NULL))
    {
      waybill_cli_fail_printf ("import", _("No file “%s”"), argv[1]);
      goto out;
    }

  store = waybill_cli_open_store (&common);
  if (store == NULL)
    goto out;

  importer = waybill_importer_new (store);
  waybill_importer_set_format (importer, format);
  waybill_importer_set_flags (importer, flags);
  for (guint i = 0; maps != NULL && maps[i] != NULL; i++)
    if (!waybill_importer_parse_mapping (importer, maps[i], &error))
      {
        waybill_cli_fail ("import", error);
        goto out;
      }

  result = waybill_importer_run (importer, file, NULL, &error);
  if (result == NULL)
    {
      if (g_error_matches (error, WAYBILL_IMPORT_ERROR, WAYBILL_IMPORT_ERROR_UNKNOWN_FORMAT))
        waybill_cli_fail_printf ("import", _("%s (with --map order_number=COLUMN --map customer=COLUMN …)"),
                                 error->message);
      else
        waybill_cli_fail ("import", error);
      goto out;
    }

  if (common.json)
    {
      g_autoptr(JsonNode) node = result_to_json (result);

      waybill_cli_print_json (node);
    }
  else
    print_result (result);

  if (result->n_rows_bad > 0 && !skip_bad)
    {
      waybill_cli_fail_printf ("import",
                               ngettext ("%u row is bad, so nothing was imported; fix it, or add "
                                         "--skip-bad to import the other rows",
                                         "%u rows are bad, so nothing was imported; fix them, or add "
                                         "--skip-bad to import the other rows",
                                         result->n_rows_bad),
                               result->n_rows_bad);
      goto out;
    }

  status = 0;

out:
  waybill_cli_common_clear (&common);
  return status;
}

int
waybill_cli_export (int    argc,
                    char **argv)
{
  WaybillCliCommon common = { 0 };
  g_autofree char *format_id = NULL;
  g_autofree char *output = NULL;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_id,
      N_("csv (one row per shipment, for spreadsheets) or json (everything, the default)"), N_("F") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write to FILE instead of the standard output"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(WaybillStore) store = NULL;
  g_autoptr(GError) error = NULL;
  WaybillExportFormat format = WAYBILL_EXPORT_FORMAT_JSON;
  guint n_orders = 0;
  int status = 1;

  context = waybill_cli_context_new ("export", NULL,
                                     _("Export every order, archived ones too. The JSON export holds "
                                       "everything and imports back with “waybill import”."),
                                     entries, &common);
  if (!waybill_cli_parse (context, "export", &argc, &argv))
    goto out;

  if (argc > 1)
    {
      waybill_cli_fail_printf ("export", _("Unexpected argument “%s” (see “waybill export --help”)"), argv[1]);
      goto out;
    }

  if (format_id != NULL)
    {
      format = waybill_export_format_from_id (format_id);
      if (format == WAYBILL_EXPORT_FORMAT_INVALID)
        {
          waybill_cli_fail_printf ("export", _("Unknown format “%s”; use csv or json"), format_id);
          goto out;
        }
    }

  if (output == NULL && common.json)
    {
      waybill_cli_fail_printf ("export", _("--json needs --output FILE: the export itself goes to "
                                           "the standard output"));
      goto out;
    }

  store = waybill_cli_open_store (&common);
  if (store == NULL)
    goto out;

  if (output != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (output);

      if (!waybill_export_to_file (store, format, file, NULL, &n_orders, &error))
        {
          waybill_cli_fail ("export", error);
          goto out;
        }

      if (common.json)
        {
          g_autoptr(JsonBuilder) builder = json_builder_new ();
          g_autoptr(JsonNode) node = NULL;
          g_autofree char *path = g_file_get_path (file);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "format");
          json_builder_add_string_value (builder, waybill_export_format_to_id (format));
          json_builder_set_member_name (builder, "orders");
          json_builder_add_int_value (builder, n_orders);
          json_builder_set_member_name (builder, "output");
          json_builder_add_string_value (builder, path);
          json_builder_end_object (builder);
          node = json_builder_get_root (builder);
          waybill_cli_print_json (node);
        }
      else
        {
          g_print (ngettext ("Exported %u order to %s.", "Exported %u orders to %s.", n_orders),
                   n_orders, output);
          g_print ("\n");
        }
    }
  else
    {
      g_autoptr(GOutputStream) out = g_unix_output_stream_new (STDOUT_FILENO, FALSE);

      fflush (stdout);
      if (!waybill_export_to_stream (store, format, out, NULL, &n_orders, &error))
        {
          waybill_cli_fail ("export", error);
          goto out;
        }
    }

  status = 0;

out:
  waybill_cli_common_clear (&common);
  return status;
}
