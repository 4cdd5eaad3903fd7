/* waybill-import.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "waybill-store.h"

G_BEGIN_DECLS

#define WAYBILL_IMPORT_ERROR (waybill_import_error_quark ())

/**
 * WaybillImportError:
 * @WAYBILL_IMPORT_ERROR_UNKNOWN_FORMAT: the header is not one of a known
 *   export, and no column mapping says where the order number is
 * @WAYBILL_IMPORT_ERROR_WRONG_FORMAT: the file is not of the format asked for
 * @WAYBILL_IMPORT_ERROR_MAPPING: a mapping is malformed or names a column
 *   the file does not have
 * @WAYBILL_IMPORT_ERROR_EMPTY: the file has no header row
 * @WAYBILL_IMPORT_ERROR_INVALID: a Waybill JSON export that cannot be read
 */
typedef enum
{
  WAYBILL_IMPORT_ERROR_UNKNOWN_FORMAT,
  WAYBILL_IMPORT_ERROR_WRONG_FORMAT,
  WAYBILL_IMPORT_ERROR_MAPPING,
  WAYBILL_IMPORT_ERROR_EMPTY,
  WAYBILL_IMPORT_ERROR_INVALID,
} WaybillImportError;

/**
 * WaybillImportFormat:
 * @WAYBILL_IMPORT_FORMAT_AUTO: tell the format from the header row (or from
 *   the JSON)
 * @WAYBILL_IMPORT_FORMAT_SHOPIFY: Shopify's "Export orders" CSV
 * @WAYBILL_IMPORT_FORMAT_WOOCOMMERCE: WooCommerce order exports (the
 *   Customer/Order CSV Export and Import Export Suite column names, the
 *   Advanced Order Export plugin's defaults, Analytics' download), with the
 *   Shipment Tracking plugin's columns
 * @WAYBILL_IMPORT_FORMAT_ETSY: Etsy's "Orders" or "Order Items" CSV
 * @WAYBILL_IMPORT_FORMAT_WAYBILL: Waybill's own CSV export
 * @WAYBILL_IMPORT_FORMAT_WAYBILL_JSON: Waybill's own JSON export
 * @WAYBILL_IMPORT_FORMAT_CUSTOM: any CSV, read through a column mapping
 */
typedef enum
{
  WAYBILL_IMPORT_FORMAT_AUTO,
  WAYBILL_IMPORT_FORMAT_SHOPIFY,
  WAYBILL_IMPORT_FORMAT_WOOCOMMERCE,
  WAYBILL_IMPORT_FORMAT_ETSY,
  WAYBILL_IMPORT_FORMAT_WAYBILL,
  WAYBILL_IMPORT_FORMAT_WAYBILL_JSON,
  WAYBILL_IMPORT_FORMAT_CUSTOM,
  WAYBILL_N_IMPORT_FORMATS,
  WAYBILL_IMPORT_FORMAT_INVALID = -1,
} WaybillImportFormat;

/**
 * WaybillImportField:
 *
 * The fields a column mapping can fill, with the ids of `--map FIELD=COLUMN`.
 */
typedef enum
{
  WAYBILL_IMPORT_FIELD_ORDER_NUMBER,
  WAYBILL_IMPORT_FIELD_CUSTOMER,
  WAYBILL_IMPORT_FIELD_EMAIL,
  WAYBILL_IMPORT_FIELD_PHONE,
  WAYBILL_IMPORT_FIELD_ADDRESS,
  WAYBILL_IMPORT_FIELD_ITEMS,
  WAYBILL_IMPORT_FIELD_TOTAL,
  WAYBILL_IMPORT_FIELD_CURRENCY,
  WAYBILL_IMPORT_FIELD_CREATED,
  WAYBILL_IMPORT_FIELD_TRACKING_NUMBER,
  WAYBILL_IMPORT_FIELD_CARRIER,
  WAYBILL_IMPORT_FIELD_NOTE,
  WAYBILL_N_IMPORT_FIELDS,
  WAYBILL_IMPORT_FIELD_INVALID = -1,
} WaybillImportField;

/**
 * WaybillImportFlags:
 * @WAYBILL_IMPORT_DRY_RUN: read and check everything, write nothing
 * @WAYBILL_IMPORT_SKIP_BAD: import the good rows when some are bad; without
 *   it, one bad row means nothing is written
 * @WAYBILL_IMPORT_OVERWRITE_EDITS: where the user changed an imported
 *   order in Waybill and the file changed it too, take the file's value
 *   (the conflict is still reported)
 */
typedef enum
{
  WAYBILL_IMPORT_FLAGS_NONE      = 0,
  WAYBILL_IMPORT_DRY_RUN         = 1 << 0,
  WAYBILL_IMPORT_SKIP_BAD        = 1 << 1,
  WAYBILL_IMPORT_OVERWRITE_EDITS = 1 << 2,
} WaybillImportFlags;

/* At most this many bad rows and conflicts are listed; all are counted. */
#define WAYBILL_IMPORT_MAX_REPORTED 1000

/**
 * WaybillImportBadRow:
 * @line: the physical line (from 1) where the row starts; 0 for an entry
 *   of a JSON export
 * @reason: what is wrong, in plain words, translated
 */
typedef struct
{
  guint64  line;
  char    *reason;
} WaybillImportBadRow;

/**
 * WaybillImportConflict:
 * @order_number: the order
 * @field: the field's id: "customer", "email", "phone", "address", "items",
 *   "total", "currency", "note", "stage" or "archived"
 * @ours: the value in Waybill, which the user set
 * @theirs: the value in the file
 * @overwritten: %TRUE when the file's value was taken
 *   (%WAYBILL_IMPORT_OVERWRITE_EDITS), %FALSE when the user's was kept
 *
 * A field that the user changed in Waybill since it was imported, and that
 * the file now changes too.
 */
typedef struct
{
  char       *order_number;
  const char *field;
  char       *ours;
  char       *theirs;
  gboolean    overwritten;
} WaybillImportConflict;

/**
 * WaybillImportResult:
 * @format: the format the file was read as
 * @dry_run: nothing was meant to be written
 * @written: the changes were saved; %FALSE for a dry run, or when bad rows
 *   stopped the import
 * @orders_new: orders that are (or would be) created
 * @orders_updated: existing orders that get new values or new shipments
 * @orders_unchanged: orders of the file already in Waybill as they are
 * @shipments_new: shipments that are (or would be) added
 * @rows: the records read, header excluded
 * @n_rows_bad: how many rows are bad
 * @rows_bad: (element-type WaybillImportBadRow): the first bad rows, in
 *   the order of the file
 * @n_conflicts: how many conflicts there are
 * @conflicts: (element-type WaybillImportConflict): the first conflicts
 * @preview: (element-type WaybillOrder): the first orders of the file as
 *   read, not as merged (see waybill_importer_set_preview_limit())
 *
 * What an import did, or would do.  The counts of a dry run, or of an
 * import that bad rows stopped, are those of the import with the bad rows
 * left out.
 */
typedef struct
{
  WaybillImportFormat  format;
  gboolean             dry_run;
  gboolean             written;
  guint                orders_new;
  guint                orders_updated;
  guint                orders_unchanged;
  guint                shipments_new;
  guint64              rows;
  guint                n_rows_bad;
  GPtrArray           *rows_bad;
  guint                n_conflicts;
  GPtrArray           *conflicts;
  GPtrArray           *preview;
} WaybillImportResult;

#define WAYBILL_TYPE_IMPORTER (waybill_importer_get_type ())

G_DECLARE_FINAL_TYPE (WaybillImporter, waybill_importer, WAYBILL, IMPORTER, GObject)

GQuark               waybill_import_error_quark          (void);

const char          *waybill_import_format_to_id         (WaybillImportFormat  format);
WaybillImportFormat  waybill_import_format_from_id       (const char          *id);
const char          *waybill_import_format_get_label     (WaybillImportFormat  format);
const char          *waybill_import_field_to_id          (WaybillImportField   field);
WaybillImportField   waybill_import_field_from_id        (const char          *id);

gboolean             waybill_import_inspect              (GFile               *file,
                                                          GCancellable        *cancellable,
                                                          WaybillImportFormat *out_format,
                                                          char              ***out_columns,
                                                          GError             **error);

void                 waybill_import_result_free          (WaybillImportResult *result);

WaybillImporter     *waybill_importer_new                (WaybillStore        *store);
WaybillStore        *waybill_importer_get_store          (WaybillImporter     *self);
void                 waybill_importer_set_format         (WaybillImporter     *self,
                                                          WaybillImportFormat  format);
WaybillImportFormat  waybill_importer_get_format         (WaybillImporter     *self);
void                 waybill_importer_set_flags          (WaybillImporter     *self,
                                                          WaybillImportFlags   flags);
WaybillImportFlags   waybill_importer_get_flags          (WaybillImporter     *self);
void                 waybill_importer_set_mapping        (WaybillImporter     *self,
                                                          WaybillImportField   field,
                                                          const char          *column);
const char          *waybill_importer_get_mapping        (WaybillImporter     *self,
                                                          WaybillImportField   field);
gboolean             waybill_importer_parse_mapping      (WaybillImporter     *self,
                                                          const char          *spec,
                                                          GError             **error);
void                 waybill_importer_set_preview_limit  (WaybillImporter     *self,
                                                          guint                n_orders);
double               waybill_importer_get_progress       (WaybillImporter     *self);

WaybillImportResult *waybill_importer_run                (WaybillImporter     *self,
                                                          GFile               *file,
                                                          GCancellable        *cancellable,
                                                          GError             **error);
void                 waybill_importer_run_async          (WaybillImporter     *self,
                                                          GFile               *file,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
WaybillImportResult *waybill_importer_run_finish         (WaybillImporter     *self,
                                                          GAsyncResult        *result,
                                                          GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WaybillImportResult, waybill_import_result_free)

G_END_DECLS
