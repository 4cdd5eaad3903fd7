/* fuzz-csv-reader.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for the CSV reader: any bytes, read to the end.  The
 * first byte picks the options (separator detected or given, a small field
 * limit), so that every path of the reader is reachable.
 */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "waybill-csv-reader.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const char separators[] = { '\0', ',', ';', '\t' };
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(WaybillCsvReader) reader = NULL;
  guint8 options = 0;
  guint64 last_line = 0;

  if (size > 0)
    {
      options = data[0];
      data++;
      size--;
    }

  stream = g_memory_input_stream_new_from_data (data, size, NULL);
  reader = waybill_csv_reader_new (stream);
  waybill_csv_reader_set_separator (reader, separators[options & 3]);
  if (options & 4)
    waybill_csv_reader_set_max_field_size (reader, 1 + (options >> 3));

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      const char * const *fields;
      guint n;

      if (!waybill_csv_reader_read_record (reader, NULL, &error))
        {
          if (error == NULL || error->domain != WAYBILL_CSV_ERROR ||
              error->code == WAYBILL_CSV_ERROR_UNSUPPORTED)
            break;
          g_assert_nonnull (error->message);
          continue;
        }

      /* Lines only go forward; every field is UTF-8 and NUL-free. */
      g_assert_cmpuint (waybill_csv_reader_get_line (reader), >=, last_line);
      last_line = waybill_csv_reader_get_line (reader);
      n = waybill_csv_reader_get_n_fields (reader);
      g_assert_cmpuint (n, >=, 1);
      fields = waybill_csv_reader_get_fields (reader);
      for (guint i = 0; i < n; i++)
        {
          g_assert_true (g_utf8_validate (fields[i], -1, NULL));
          g_assert_true (fields[i] == waybill_csv_reader_get_field (reader, i));
        }
      g_assert_null (fields[n]);
    }

  g_assert_cmpuint (waybill_csv_reader_get_bytes_read (reader), <=, size);

  return 0;
}
