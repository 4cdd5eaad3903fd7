/* waybill-store-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "waybill-store.h"

G_BEGIN_DECLS

/* "WYBL" in the SQLite header, so that another program's database is never
 * mistaken for ours. */
#define WAYBILL_STORE_APPLICATION_ID 0x5759424c

gboolean  waybill_store_schema_migrate      (sqlite3  *db,
                                             int       from_version,
                                             GError  **error);
void      waybill_store_set_error_from_db   (GError  **error,
                                             sqlite3  *db,
                                             int       rc,
                                             const char *path);

/* For tests: make the database behave as if the disk were full once it
 * holds @max_pages pages. */
void      waybill_store_set_max_page_count  (WaybillStore *self,
                                             guint         max_pages);
sqlite3  *waybill_store_get_db              (WaybillStore *self);

/* For the store's sibling files (feedback, insights): a cached prepared
 * statement, reset, and the store's way of turning an SQLite code into a
 * GError. */
sqlite3_stmt *waybill_store_prepare         (WaybillStore  *self,
                                             const char    *sql,
                                             GError       **error);
void      waybill_store_set_error           (WaybillStore  *self,
                                             GError       **error,
                                             int            rc);

G_END_DECLS
