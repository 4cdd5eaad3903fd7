/* waybill-paths.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *waybill_paths_get_data_dir      (const char *override);
char *waybill_paths_get_database_path (const char *override);

G_END_DECLS
