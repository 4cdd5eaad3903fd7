/* waybill-json-parse.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define WAYBILL_JSON_PARSE_ERROR (waybill_json_parse_error_quark ())

typedef enum
{
  WAYBILL_JSON_PARSE_ERROR_INVALID,
  WAYBILL_JSON_PARSE_ERROR_TOO_DEEP,
} WaybillJsonParseError;

GQuark    waybill_json_parse_error_quark (void);

JsonNode *waybill_json_parse             (const char  *data,
                                          gsize        len,
                                          guint        max_depth,
                                          GError     **error);

G_END_DECLS
