/* waybill-export-ui.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "waybill-export.h"
#include "waybill-store.h"

G_BEGIN_DECLS

void   waybill_export_ui_run_async     (GtkWindow            *parent,
                                        WaybillStore         *store,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
void   waybill_export_ui_to_file_async (WaybillStore         *store,
                                        WaybillExportFormat   format,
                                        GFile                *file,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
char  *waybill_export_ui_finish        (GAsyncResult         *result,
                                        GError              **error);

G_END_DECLS
