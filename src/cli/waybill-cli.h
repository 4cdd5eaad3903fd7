/* waybill-cli.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean waybill_cli_is_verb     (const char *name);
int      waybill_cli_run         (int         argc,
                                  char      **argv);
void     waybill_cli_print_usage (void);

G_END_DECLS
