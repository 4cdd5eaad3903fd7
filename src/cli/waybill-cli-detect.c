/* waybill-cli-detect.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "waybill-carrier.h"
#include "waybill-cli-private.h"
#include "waybill-tracking-number.h"

/* `waybill detect NUMBER`: which carrier a number belongs to, and whether
 * its check digit is right.  It never touches the database. */

int
waybill_cli_detect (int    argc,
                    char **argv)
{
  WaybillCliCommon common = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GPtrArray) candidates = NULL;
  g_autofree char *input = NULL;
  g_autofree char *number = NULL;
  gboolean any_good = FALSE;
  int status = 1;

  context = waybill_cli_context_new ("detect", _("NUMBER"),
                                     _("Tell which carrier a tracking number belongs to and "
                                       "whether its check digit is right."),
                                     NULL, &common);
  if (!waybill_cli_parse (context, "detect", &argc, &argv))
    goto out;

  if (argc < 2)
    {
      waybill_cli_fail_printf ("detect", _("Give a tracking number (see “waybill detect --help”)"));
      goto out;
    }

  /* A number pasted in groups may come as several arguments. */
  input = g_strjoinv (" ", argv + 1);
  candidates = waybill_tracking_number_detect (input, &number);

  for (guint i = 0; i < candidates->len; i++)
    {
      WaybillTrackingCandidate *candidate = g_ptr_array_index (candidates, i);

      any_good |= candidate->check_digit != WAYBILL_CHECK_DIGIT_INVALID;
    }

  if (common.json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "input");
      json_builder_add_string_value (builder, input);
      json_builder_set_member_name (builder, "number");
      json_builder_add_string_value (builder, number);
      json_builder_set_member_name (builder, "candidates");
      json_builder_begin_array (builder);
      for (guint i = 0; i < candidates->len; i++)
        {
          WaybillTrackingCandidate *candidate = g_ptr_array_index (candidates, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "carrier");
          json_builder_add_string_value (builder, waybill_carrier_get_id (candidate->carrier));
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, waybill_carrier_get_name (candidate->carrier));
          json_builder_set_member_name (builder, "check_digit");
          json_builder_add_string_value (builder, waybill_check_digit_to_string (candidate->check_digit));
          json_builder_set_member_name (builder, "tracking_number");
          json_builder_add_string_value (builder, candidate->number);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      node = json_builder_get_root (builder);
      waybill_cli_print_json (node);
    }
  else if (candidates->len > 0)
    {
      g_print ("%s\n", number);
      for (guint i = 0; i < candidates->len; i++)
        {
          WaybillTrackingCandidate *candidate = g_ptr_array_index (candidates, i);

          g_print ("  %-24s %s", waybill_carrier_get_name (candidate->carrier),
                   waybill_check_digit_get_label (candidate->check_digit));
          if (g_strcmp0 (candidate->number, number) != 0)
            /* Translators: the number the carrier tracks, from a longer barcode */
            g_print (_(" (tracked as %s)"), candidate->number);
          g_print ("\n");
        }
    }

  if (candidates->len == 0)
    {
      waybill_cli_fail_printf ("detect", _("“%s” is not a known tracking number format"), input);
      goto out;
    }
  if (!any_good)
    {
      waybill_cli_fail_printf ("detect", _("The check digit of “%s” is wrong for every carrier "
                                           "it could belong to: it was probably mistyped"), number);
      goto out;
    }

  status = 0;

out:
  waybill_cli_common_clear (&common);
  return status;
}
