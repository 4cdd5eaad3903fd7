/* waybill-export.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "waybill-store.h"

G_BEGIN_DECLS

/**
 * WaybillExportFormat:
 * @WAYBILL_EXPORT_FORMAT_CSV: Waybill's CSV: one row per shipment (one row
 *   for an order without shipments), the order's columns on every row; it
 *   opens in a spreadsheet and imports back
 * @WAYBILL_EXPORT_FORMAT_JSON: everything (orders, notes, shipments, their
 *   tracking events and the announced status changes), for a backup or a
 *   move: it imports back without loss
 */
typedef enum
{
  WAYBILL_EXPORT_FORMAT_CSV,
  WAYBILL_EXPORT_FORMAT_JSON,
  WAYBILL_N_EXPORT_FORMATS,
  WAYBILL_EXPORT_FORMAT_INVALID = -1,
} WaybillExportFormat;

/* The columns of Waybill's CSV, in order. */
#define WAYBILL_EXPORT_CSV_COLUMNS \
  "order_number", "customer", "email", "phone", "address", "items", "total", \
  "currency", "created", "stage", "archived", "note", "carrier", "tracking_number", "status"

/* The version of the JSON export's layout, in its "version" member. */
#define WAYBILL_EXPORT_JSON_VERSION 1

/**
 * WaybillExportProgressFunc:
 * @fraction: how much is done, from 0 to 1
 * @user_data: the data given with the function
 *
 * Called now and then during an export; for waybill_export_async(), on the
 * main context of the thread that started it.
 */
typedef void (*WaybillExportProgressFunc) (double   fraction,
                                           gpointer user_data);

const char          *waybill_export_format_to_id   (WaybillExportFormat        format);
WaybillExportFormat  waybill_export_format_from_id (const char                *id);

gboolean             waybill_export_to_stream      (WaybillStore              *store,
                                                    WaybillExportFormat        format,
                                                    GOutputStream             *stream,
                                                    GCancellable              *cancellable,
                                                    guint                     *out_n_orders,
                                                    GError                   **error);
gboolean             waybill_export_to_file        (WaybillStore              *store,
                                                    WaybillExportFormat        format,
                                                    GFile                     *file,
                                                    GCancellable              *cancellable,
                                                    guint                     *out_n_orders,
                                                    GError                   **error);
void                 waybill_export_async          (WaybillStore              *store,
                                                    WaybillExportFormat        format,
                                                    GFile                     *file,
                                                    WaybillExportProgressFunc  progress,
                                                    gpointer                   progress_data,
                                                    GDestroyNotify             progress_data_free,
                                                    GCancellable              *cancellable,
                                                    GAsyncReadyCallback        callback,
                                                    gpointer                   user_data);
gboolean             waybill_export_finish         (GAsyncResult              *result,
                                                    guint                     *out_n_orders,
                                                    GError                   **error);

G_END_DECLS
