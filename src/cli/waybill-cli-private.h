/* waybill-cli-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "waybill-store.h"

G_BEGIN_DECLS

/* What every verb accepts: --data-dir DIR and --json. */
typedef struct
{
  char     *data_dir;
  gboolean  json;
} WaybillCliCommon;

GOptionContext *waybill_cli_context_new   (const char        *verb,
                                           const char        *parameters,
                                           const char        *summary,
                                           const GOptionEntry *entries,
                                           WaybillCliCommon  *common);
gboolean        waybill_cli_parse         (GOptionContext    *context,
                                           const char        *verb,
                                           int               *argc,
                                           char            ***argv);
WaybillStore   *waybill_cli_open_store    (WaybillCliCommon  *common);
int             waybill_cli_fail          (const char        *verb,
                                           const GError      *error);
int             waybill_cli_fail_printf   (const char        *verb,
                                           const char        *format,
                                           ...) G_GNUC_PRINTF (2, 3);
void            waybill_cli_print_json    (JsonNode          *node);
char           *waybill_cli_shorten_numbers (const char      *json);
void            waybill_cli_append_padded (GString           *line,
                                           const char        *text,
                                           guint              width,
                                           gboolean           align_right);
void            waybill_cli_common_clear  (WaybillCliCommon  *common);

JsonNode       *waybill_cli_order_to_json (WaybillOrder      *order,
                                           gboolean           with_events);

int             waybill_cli_add           (int                argc,
                                           char             **argv);
int             waybill_cli_list          (int                argc,
                                           char             **argv);
int             waybill_cli_show          (int                argc,
                                           char             **argv);
int             waybill_cli_lookup        (int                argc,
                                           char             **argv);
int             waybill_cli_track         (int                argc,
                                           char             **argv);
int             waybill_cli_refresh       (int                argc,
                                           char             **argv);
int             waybill_cli_detect        (int                argc,
                                           char             **argv);
int             waybill_cli_demo          (int                argc,
                                           char             **argv);
int             waybill_cli_import        (int                argc,
                                           char             **argv);
int             waybill_cli_export        (int                argc,
                                           char             **argv);
int             waybill_cli_reply         (int                argc,
                                           char             **argv);
int             waybill_cli_feedback      (int                argc,
                                           char             **argv);
int             waybill_cli_stats         (int                argc,
                                           char             **argv);

G_END_DECLS
