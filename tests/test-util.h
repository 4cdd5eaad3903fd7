/* test-util.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "waybill-store.h"

G_BEGIN_DECLS

/* What many tests set up the same way: a private temporary directory, a
 * fresh store in it, and the directory removed again afterwards. */

char         *test_make_tmp_dir (const char *name);
WaybillStore *test_open_store   (const char *path);
void          remove_tree       (const char *path);

/* A fresh store (waybill.db) in a temporary directory "waybill-NAME-…"
 * of its own; tear_down checks that nothing else holds the store. */
typedef struct
{
  char         *dir;
  char         *path;
  WaybillStore *store;
} TestStoreDir;

void          test_store_dir_set_up    (TestStoreDir *t,
                                        const char   *name);
void          test_store_dir_tear_down (TestStoreDir *t);

/* The settings of customer messages back at their defaults. */
void          test_reset_message_settings (GSettings *settings);

G_END_DECLS
