/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "waybill-application.h"
#include "waybill-cli.h"

/* Picks the command line or the window, nothing else: a verb as the first
 * argument runs without a display. */
int
main (int    argc,
      char **argv)
{
  g_autoptr(WaybillApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc >= 2 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") ||
                    g_str_equal (argv[1], "help")))
    {
      waybill_cli_print_usage ();
      return 0;
    }

  if (argc >= 2 && g_str_equal (argv[1], "--version"))
    {
      g_print ("waybill %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (argc >= 2 && argv[1][0] != '-')
    return waybill_cli_run (argc, argv);

  app = waybill_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
