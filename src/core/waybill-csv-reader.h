/* waybill-csv-reader.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define WAYBILL_CSV_ERROR (waybill_csv_error_quark ())

/**
 * WaybillCsvError:
 * @WAYBILL_CSV_ERROR_ENCODING: a record is not valid UTF-8
 * @WAYBILL_CSV_ERROR_TOO_LARGE: a field (or a record) is larger than the
 *   reader accepts
 * @WAYBILL_CSV_ERROR_UNTERMINATED: a quoted field runs to the end of the file
 * @WAYBILL_CSV_ERROR_UNSUPPORTED: the file is in an encoding the reader
 *   cannot convert
 *
 * The first three concern one record: the reader has consumed it, and the
 * next call to waybill_csv_reader_read_record() goes on with the next one,
 * so that an importer can report the record and carry on.  The last one,
 * like I/O errors, ends the reading.
 */
typedef enum
{
  WAYBILL_CSV_ERROR_ENCODING,
  WAYBILL_CSV_ERROR_TOO_LARGE,
  WAYBILL_CSV_ERROR_UNTERMINATED,
  WAYBILL_CSV_ERROR_UNSUPPORTED,
} WaybillCsvError;

/* The largest field accepted by default: a note with a pasted e-mail thread
 * fits, a runaway quote that swallows the rest of a file does not. */
#define WAYBILL_CSV_DEFAULT_MAX_FIELD_SIZE (16 * 1024 * 1024)

#define WAYBILL_TYPE_CSV_READER (waybill_csv_reader_get_type ())

G_DECLARE_FINAL_TYPE (WaybillCsvReader, waybill_csv_reader, WAYBILL, CSV_READER, GObject)

GQuark              waybill_csv_error_quark               (void);

WaybillCsvReader   *waybill_csv_reader_new                (GInputStream      *stream);
void                waybill_csv_reader_set_separator      (WaybillCsvReader  *self,
                                                           char               separator);
char                waybill_csv_reader_get_separator      (WaybillCsvReader  *self);
void                waybill_csv_reader_set_max_field_size (WaybillCsvReader  *self,
                                                           gsize              max_field_size);
gboolean            waybill_csv_reader_read_record        (WaybillCsvReader  *self,
                                                           GCancellable      *cancellable,
                                                           GError           **error);
guint               waybill_csv_reader_get_n_fields       (WaybillCsvReader  *self);
const char         *waybill_csv_reader_get_field          (WaybillCsvReader  *self,
                                                           guint              index);
const char * const *waybill_csv_reader_get_fields         (WaybillCsvReader  *self);
guint64             waybill_csv_reader_get_line           (WaybillCsvReader  *self);
const char         *waybill_csv_reader_get_encoding       (WaybillCsvReader  *self);
guint64             waybill_csv_reader_get_bytes_read     (WaybillCsvReader  *self);

G_END_DECLS
