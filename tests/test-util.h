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

/* The settings of customer messages back at their defaults. */
void          test_reset_message_settings (GSettings *settings);

G_END_DECLS
