/* waybill-import-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "waybill-store.h"

G_BEGIN_DECLS

#define WAYBILL_TYPE_IMPORT_WINDOW (waybill_import_window_get_type ())

G_DECLARE_FINAL_TYPE (WaybillImportWindow, waybill_import_window, WAYBILL, IMPORT_WINDOW, AdwWindow)

WaybillImportWindow *waybill_import_window_new      (GtkWindow           *parent,
                                                     WaybillStore        *store,
                                                     GFile               *file);
GFile               *waybill_import_window_get_file (WaybillImportWindow *self);

G_END_DECLS
