/* waybill-cli.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "waybill-cli.h"
#include "waybill-cli-private.h"
#include "waybill-paths.h"

/* The command line: `waybill VERB [OPTIONS]`.  It never needs a display.
 * Every verb exits 0 on success and 1 with one line on stderr on error. */

typedef struct
{
  const char *name;
  const char *summary;
  int       (*run) (int argc, char **argv);
} Verb;

static const Verb verbs[] = {
  { "add", N_("Add an order, with a tracking number if it has one"), waybill_cli_add },
  { "list", N_("List orders, newest first"), waybill_cli_list },
  { "show", N_("Show an order and its tracking timeline"), waybill_cli_show },
  { "lookup", N_("Find orders by number, name, email or tracking number"), waybill_cli_lookup },
  { "detect", N_("Tell which carrier a tracking number belongs to"), waybill_cli_detect },
  { "track", N_("Ask the carrier where a parcel is, without adding an order"), waybill_cli_track },
  { "refresh", N_("Check the due shipments with their carriers and announce changes"), waybill_cli_refresh },
  { "demo", N_("Fill an empty database with demo orders"), waybill_cli_demo },
  { "import", N_("Import orders from a shop’s CSV export or a Waybill export"), waybill_cli_import },
  { "export", N_("Export every order as CSV or JSON"), waybill_cli_export },
  { "reply", N_("Print a reply for the customer on where their order is"), waybill_cli_reply },
  { "feedback", N_("Record, import and list customers’ feedback"), waybill_cli_feedback },
  { "stats", N_("Print on-time rates, transit days, exceptions and feedback"), waybill_cli_stats },
};

gboolean
waybill_cli_is_verb (const char *name)
{
  if (name == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (verbs); i++)
    if (g_str_equal (name, verbs[i].name))
      return TRUE;

  return FALSE;
}

void
waybill_cli_print_usage (void)
{
  g_print ("%s\n  waybill [--data-dir DIR] [--background]\n  waybill VERB [OPTIONS]\n\n", _("Usage:"));
  g_print ("%s\n\n", _("Waybill keeps a shop’s orders and parcels in view. "
                       "Without a verb it opens the window."));
  g_print ("%s\n", _("Verbs:"));
  for (guint i = 0; i < G_N_ELEMENTS (verbs); i++)
    g_print ("  %-8s %s\n", verbs[i].name, _(verbs[i].summary));
  g_print ("\n%s\n", _("Options:"));
  g_print ("  --data-dir DIR  %s\n", _("Use the database in DIR (default: $WAYBILL_DATA_DIR, "
                                       "else ~/.local/share/waybill)"));
  g_print ("  --background    %s\n", _("Start without a window and keep checking parcels "
                                       "(used when starting at login)"));
  g_print ("  --version       %s\n", _("Print the version"));
  g_print ("  --help          %s\n\n", _("Print this help"));
  g_print ("%s\n", _("Run “waybill VERB --help” for the options of a verb."));
}

/**
 * waybill_cli_run:
 * @argv: the whole command line; argv[1] is the verb
 *
 * Returns: the exit status
 */
int
waybill_cli_run (int    argc,
                 char **argv)
{
  g_return_val_if_fail (argc >= 2, 1);

  for (guint i = 0; i < G_N_ELEMENTS (verbs); i++)
    if (g_str_equal (argv[1], verbs[i].name))
      return verbs[i].run (argc - 1, argv + 1);

  return waybill_cli_fail_printf (NULL, _("“%s” is not a verb; run “waybill --help” for the list"),
                                  argv[1]);
}

GOptionContext *
waybill_cli_context_new (const char         *verb,
                         const char         *parameters,
                         const char         *summary,
                         const GOptionEntry *entries,
                         WaybillCliCommon   *common)
{
  const GOptionEntry common_entries[] = {
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &common->data_dir,
      N_("Use the database in DIR"), N_("DIR") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &common->json,
      N_("Print JSON"), NULL },
    { NULL }
  };
  g_autofree char *name = g_strdup_printf ("waybill %s", verb);
  GOptionContext *context;

  /* --help says "waybill VERB [OPTION…] PARAMETERS": GOption puts the
   * program's name first. */
  g_set_prgname (name);
  context = g_option_context_new (parameters);

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, summary);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, common_entries, GETTEXT_PACKAGE);
  g_option_context_set_help_enabled (context, TRUE);

  return context;
}

gboolean
waybill_cli_parse (GOptionContext   *context,
                   const char       *verb,
                   int              *argc,
                   char           ***argv)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      waybill_cli_fail_printf (verb, _("%s (see “waybill %s --help”)"), error->message, verb);
      return FALSE;
    }

  return TRUE;
}

WaybillStore *
waybill_cli_open_store (WaybillCliCommon *common)
{
  g_autofree char *path = waybill_paths_get_database_path (common->data_dir);
  g_autoptr(GError) error = NULL;
  WaybillStore *store;

  store = waybill_store_open (path, &error);
  if (store == NULL)
    waybill_cli_fail (NULL, error);

  return store;
}

/* One line on stderr: messages never span lines, so scripts can show them
 * as they are. */
int
waybill_cli_fail (const char   *verb,
                  const GError *error)
{
  g_autofree char *line = g_strdup (error != NULL ? error->message : _("Unknown error"));

  g_strdelimit (line, "\r\n", ' ');
  if (verb != NULL)
    g_printerr ("waybill %s: %s\n", verb, line);
  else
    g_printerr ("waybill: %s\n", line);

  return 1;
}

int
waybill_cli_fail_printf (const char *verb,
                         const char *format,
                         ...)
{
  g_autoptr(GError) error = NULL;
  va_list args;

  va_start (args, format);
  error = g_error_new_valist (G_IO_ERROR, G_IO_ERROR_FAILED, format, args);
  va_end (args);

  return waybill_cli_fail (verb, error);
}

/* json-glib writes every double with 17 significant digits, so 0.6667
 * comes out as 0.66669999999999996.  Writes each number outside strings
 * with the fewest digits that read back as the same value instead (15 are
 * always enough for the rounded figures the verbs print).  A number that
 * 15 digits would change is written as it was. */
char *
waybill_cli_shorten_numbers (const char *json)
{
  GString *out = g_string_sized_new (strlen (json));
  gboolean in_string = FALSE;

  for (const char *p = json; *p != '\0'; p++)
    {
      if (in_string)
        {
          g_string_append_c (out, *p);
          if (*p == '\\' && p[1] != '\0')
            g_string_append_c (out, *++p);
          else if (*p == '"')
            in_string = FALSE;
        }
      else if (*p == '"')
        {
          in_string = TRUE;
          g_string_append_c (out, *p);
        }
      else if (*p == '-' || g_ascii_isdigit (*p))
        {
          const char *start = p;
          g_autofree char *token = NULL;

          while (p[1] != '\0' && strchr ("0123456789.eE+-", p[1]) != NULL)
            p++;
          token = g_strndup (start, p - start + 1);
          if (strpbrk (token, ".eE") != NULL)
            {
              char buffer[G_ASCII_DTOSTR_BUF_SIZE];
              double value = g_ascii_strtod (token, NULL);

              g_ascii_formatd (buffer, sizeof buffer, "%.15g", value);
              /* Only when it is the same double; otherwise as it was. */
              g_string_append (out, g_ascii_strtod (buffer, NULL) == value ? buffer : token);
            }
          else
            g_string_append (out, token);
        }
      else
        g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

/* Pads to a width in characters, not bytes, so that names with accents
 * and translated headings line up; then two spaces between columns. */
void
waybill_cli_append_padded (GString    *line,
                           const char *text,
                           guint       width,
                           gboolean    align_right)
{
  glong length;

  if (text == NULL)
    text = "";

  length = g_utf8_strlen (text, -1);
  if (!align_right)
    g_string_append (line, text);
  for (glong i = length; i < (glong) width; i++)
    g_string_append_c (line, ' ');
  if (align_right)
    g_string_append (line, text);
  g_string_append (line, "  ");
}

void
waybill_cli_print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *generated = NULL;
  g_autofree char *text = NULL;

  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  generated = json_generator_to_data (generator, NULL);
  text = waybill_cli_shorten_numbers (generated);
  fputs (text, stdout);
  fputc ('\n', stdout);
  fflush (stdout);
}

void
waybill_cli_common_clear (WaybillCliCommon *common)
{
  g_clear_pointer (&common->data_dir, g_free);
}
