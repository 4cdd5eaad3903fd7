/* test-csv-reader.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "waybill-csv-reader.h"

/* Reads every record of @data; each record's fields joined by '|', with
 * its line: "2:a|b".  Errors show as "2:!code". */
static char *
read_all_sized (const char *data,
                gsize       size,
                char        separator,
                gsize       max_field_size)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (data, size, NULL);
  g_autoptr(WaybillCsvReader) reader = waybill_csv_reader_new (stream);
  g_autoptr(GString) out = g_string_new (NULL);

  if (separator != '\0')
    waybill_csv_reader_set_separator (reader, separator);
  if (max_field_size > 0)
    waybill_csv_reader_set_max_field_size (reader, max_field_size);

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = waybill_csv_reader_read_record (reader, NULL, &error);

      if (!ok && error == NULL)
        break;
      if (out->len > 0)
        g_string_append_c (out, '\n');
      g_string_append_printf (out, "%" G_GUINT64_FORMAT ":", waybill_csv_reader_get_line (reader));
      if (!ok)
        {
          g_assert_true (error->domain == WAYBILL_CSV_ERROR);
          g_string_append_printf (out, "!%d", error->code);
          if (error->code == WAYBILL_CSV_ERROR_UNSUPPORTED)
            break;
          continue;
        }
      for (guint i = 0; i < waybill_csv_reader_get_n_fields (reader); i++)
        g_string_append_printf (out, "%s%s", i > 0 ? "|" : "", waybill_csv_reader_get_field (reader, i));
      g_assert_null (waybill_csv_reader_get_field (reader, waybill_csv_reader_get_n_fields (reader)));
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
read_all (const char *data,
          char        separator)
{
  return read_all_sized (data, strlen (data), separator, 0);
}

static void
test_basic (void)
{
  g_autofree char *out = read_all ("a,b,c\n1,2,3\n,,\n4,5,6", '\0');

  g_assert_cmpstr (out, ==, "1:a|b|c\n2:1|2|3\n3:||\n4:4|5|6");
}

static void
test_quoting (void)
{
  g_autofree char *commas = read_all ("name,note\n\"Smith, Jr.\",\"He said \"\"hi\"\"\"\n", '\0');
  g_autofree char *breaks = read_all ("name,note\n\"a\",\"first\nsecond\r\nthird\rfourth\"\nnext,row\n", '\0');
  g_autofree char *lenient = read_all ("a,b\n5\" screen,\"quoted\"tail\n\"\",x\n", '\0');
  g_autofree char *empty_quoted = read_all ("a\n\"\"\n", '\0');

  g_assert_cmpstr (commas, ==, "1:name|note\n2:Smith, Jr.|He said \"hi\"");
  /* Line breaks inside a field are kept as "\n" whichever way they were
   * written, and counted: the next record starts on line 6. */
  g_assert_cmpstr (breaks, ==, "1:name|note\n2:a|first\nsecond\nthird\nfourth\n6:next|row");
  g_assert_cmpstr (lenient, ==, "1:a|b\n2:5\" screen|quotedtail\n3:|x");
  /* A quoted empty field is a record, not a blank line. */
  g_assert_cmpstr (empty_quoted, ==, "1:a\n2:");
}

static void
test_line_endings (void)
{
  g_autofree char *crlf = read_all ("a,b\r\n1,2\r\n\r\n3,4\r\n", '\0');
  g_autofree char *cr = read_all ("a,b\r1,2\r3,4", '\0');
  g_autofree char *blank = read_all ("\n\na,b\n\n\n1,2\n\n", '\0');
  g_autofree char *nothing = read_all ("", '\0');
  g_autofree char *only_blank = read_all ("\r\n\n", '\0');

  g_assert_cmpstr (crlf, ==, "1:a|b\n2:1|2\n4:3|4");
  g_assert_cmpstr (cr, ==, "1:a|b\n2:1|2\n3:3|4");
  g_assert_cmpstr (blank, ==, "3:a|b\n6:1|2");
  g_assert_cmpstr (nothing, ==, "");
  g_assert_cmpstr (only_blank, ==, "");
}

static void
test_bom (void)
{
  g_autofree char *out = read_all ("\xEF\xBB\xBFName,Email\r\n#1,a@example.com\r\n", '\0');

  g_assert_cmpstr (out, ==, "1:Name|Email\n2:#1|a@example.com");
}

static char
detect (const char *data)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (data, -1, NULL);
  g_autoptr(WaybillCsvReader) reader = waybill_csv_reader_new (stream);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (waybill_csv_reader_get_separator (reader), ==, '\0');
  g_assert_true (waybill_csv_reader_read_record (reader, NULL, &error));
  g_assert_no_error (error);

  return waybill_csv_reader_get_separator (reader);
}

static void
test_separator (void)
{
  g_autofree char *semicolons = read_all ("Order;Total;Note\n1;1,50;\"a;b\"\n", '\0');
  g_autofree char *tabs = read_all ("Order\tTotal\n1\t\"x\ty\"\n", '\0');
  g_autofree char *forced = read_all ("a;b,c\n1;2,3\n", ',');

  g_assert_cmpint (detect ("a,b,c\n"), ==, ',');
  g_assert_cmpint (detect ("a;b;c\n1,5;2,5;3\n"), ==, ';');
  g_assert_cmpint (detect ("a\tb\tc, d\n"), ==, '\t');
  /* Separators inside quotes do not count. */
  g_assert_cmpint (detect ("\"a;b;c;d\",e,f\n"), ==, ',');
  /* One column: comma. */
  g_assert_cmpint (detect ("only\n"), ==, ',');
  /* A tie goes to the comma. */
  g_assert_cmpint (detect ("a,b;c\n"), ==, ',');

  g_assert_cmpstr (semicolons, ==, "1:Order|Total|Note\n2:1|1,50|a;b");
  g_assert_cmpstr (tabs, ==, "1:Order|Total\n2:1|x\ty");
  g_assert_cmpstr (forced, ==, "1:a;b|c\n2:1;2|3");
}

static void
test_long_header (void)
{
  g_autoptr(GString) data = g_string_new (NULL);
  g_autofree char *out = NULL;

  /* A header longer than the reader's buffer is still read whole for the
   * separator. */
  for (guint i = 0; i < 20000; i++)
    g_string_append_printf (data, "%scolumn %u", i > 0 ? ";" : "", i);
  g_string_append (data, "\n");

  g_assert_cmpint (detect (data->str), ==, ';');
  out = read_all (data->str, '\0');
  g_assert_true (g_str_has_prefix (out, "1:column 0|column 1|"));
  g_assert_true (g_str_has_suffix (out, "|column 19999"));
}

static char *
convert (const char *utf8,
         const char *to,
         gboolean    bom,
         gsize      *out_size)
{
  g_autoptr(GError) error = NULL;
  gsize written = 0;
  g_autofree char *body = g_convert (utf8, -1, to, "UTF-8", NULL, &written, &error);
  char *data;

  g_assert_no_error (error);
  data = g_malloc (written + 2);
  if (bom && g_str_equal (to, "UTF-16LE"))
    memcpy (data, "\xFF\xFE", 2);
  else if (bom)
    memcpy (data, "\xFE\xFF", 2);
  memcpy (data + (bom ? 2 : 0), body, written);
  *out_size = written + (bom ? 2 : 0);

  return data;
}

static void
test_utf16 (void)
{
  static const char text[] = "Name\tBilling Name\r\n#1\tZoë Lefèvre\r\n#2\t\"山田, 健二\"\r\n";
  static const char expected[] = "1:Name|Billing Name\n2:#1|Zoë Lefèvre\n3:#2|山田, 健二";
  const char * const encodings[] = { "UTF-16LE", "UTF-16BE" };

  for (guint i = 0; i < G_N_ELEMENTS (encodings); i++)
    for (guint with_bom = 0; with_bom <= 1; with_bom++)
      {
        gsize size = 0;
        g_autofree char *data = convert (text, encodings[i], with_bom, &size);
        g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (data, size, NULL);
        g_autoptr(WaybillCsvReader) reader = waybill_csv_reader_new (stream);
        g_autoptr(GError) error = NULL;
        g_autofree char *out = read_all_sized (data, size, '\0', 0);

        g_test_message ("%s, %s", encodings[i], with_bom ? "with BOM" : "without BOM");
        g_assert_cmpstr (out, ==, expected);

        g_assert_true (waybill_csv_reader_read_record (reader, NULL, &error));
        g_assert_no_error (error);
        g_assert_cmpstr (waybill_csv_reader_get_encoding (reader), ==, encodings[i]);
        g_assert_cmpint (waybill_csv_reader_get_separator (reader), ==, '\t');
      }
}

static void
test_utf16_invalid (void)
{
  /* A lone high surrogate in the middle of UTF-16LE. */
  static const char data[] = "\xFF\xFE" "a\0,\0b\0\n\0" "1\0,\0\x00\xD8" "2\0\n\0";
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (data, sizeof data - 1, NULL);
  g_autoptr(WaybillCsvReader) reader = waybill_csv_reader_new (stream);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) again = NULL;
  gboolean ok = TRUE;

  /* The header may come before the converter meets the bad unit. */
  while (ok)
    {
      g_clear_error (&error);
      ok = waybill_csv_reader_read_record (reader, NULL, &error);
      g_assert_true (ok || error != NULL);
    }
  g_assert_error (error, WAYBILL_CSV_ERROR, WAYBILL_CSV_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "UTF-16LE"));
  g_assert_nonnull (strstr (error->message, "UTF-8"));

  /* The reader stays failed. */
  g_assert_false (waybill_csv_reader_read_record (reader, NULL, &again));
  g_assert_nonnull (again);
}

static void
test_invalid_utf8 (void)
{
  g_autofree char *out = read_all ("a,b\n1,Ren\xE9\n2,\"multi\nline \xFF\"\n3,ok\n", '\0');
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data ("a\n\"x\ny\xC3\"\n", -1, NULL);
  g_autoptr(WaybillCsvReader) reader = waybill_csv_reader_new (stream);
  g_autoptr(GError) error = NULL;

  /* Reported on the record's line, and the reader goes on. */
  g_assert_cmpstr (out, ==, "1:a|b\n2:!0\n3:!0\n5:3|ok");

  g_assert_true (waybill_csv_reader_read_record (reader, NULL, &error));
  g_assert_false (waybill_csv_reader_read_record (reader, NULL, &error));
  g_assert_error (error, WAYBILL_CSV_ERROR, WAYBILL_CSV_ERROR_ENCODING);
  /* The message names the very line of the bad byte. */
  g_assert_nonnull (strstr (error->message, "line 3"));
  g_assert_cmpuint (waybill_csv_reader_get_line (reader), ==, 2);
}

static void
test_nul_byte (void)
{
  static const char data[] = "a,b\n1,x\0y\n2,z\n";
  g_autofree char *out = read_all_sized (data, sizeof data - 1, '\0', 0);

  g_assert_cmpstr (out, ==, "1:a|b\n2:!0\n3:2|z");
}

static void
test_field_size (void)
{
  g_autoptr(GString) data = g_string_new ("id,note\n1,\"");
  g_autoptr(GString) big = g_string_new ("id,note\n1,");
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(WaybillCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  for (guint i = 0; i < 2000; i++)
    g_string_append_c (data, i % 10 == 9 ? '\n' : 'x');
  g_string_append (data, "\"\n2,short\n");

  /* Over the limit: reported, skipped, and the next record read. */
  out = read_all_sized (data->str, data->len, '\0', 1000);
  g_assert_cmpstr (out, ==, "1:id|note\n2:!1\n203:2|short");

  /* A 1 MB field is nothing unusual at the default limit. */
  for (guint i = 0; i < 1024 * 1024; i++)
    g_string_append_c (big, 'a' + i % 26);
  g_string_append (big, "\n2,after\n");
  stream = g_memory_input_stream_new_from_data (big->str, big->len, NULL);
  reader = waybill_csv_reader_new (stream);
  g_assert_true (waybill_csv_reader_read_record (reader, NULL, &error));
  g_assert_true (waybill_csv_reader_read_record (reader, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (waybill_csv_reader_get_field (reader, 1)), ==, 1024 * 1024);
  g_assert_true (waybill_csv_reader_read_record (reader, NULL, &error));
  g_assert_cmpstr (waybill_csv_reader_get_field (reader, 1), ==, "after");
  g_assert_false (waybill_csv_reader_read_record (reader, NULL, &error));
  g_assert_no_error (error);
}

static void
test_too_many_fields (void)
{
  g_autoptr(GString) data = g_string_new ("a\n");
  g_autofree char *out = NULL;

  for (guint i = 0; i < 70000; i++)
    g_string_append_c (data, ',');
  g_string_append (data, "\nlast\n");

  out = read_all_sized (data->str, data->len, ',', 0);
  g_assert_cmpstr (out, ==, "1:a\n2:!1\n3:last");
}

static void
test_unterminated (void)
{
  g_autofree char *out = read_all ("a,b\n1,2\n3,\"open\n4,5\n6,7\n", '\0');

  /* The open quote swallows the rest of the file: one error, then the
   * end. */
  g_assert_cmpstr (out, ==, "1:a|b\n2:1|2\n3:!2");
}

static void
test_fields_array (void)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data ("x,,\"z\"\n", -1, NULL);
  g_autoptr(WaybillCsvReader) reader = waybill_csv_reader_new (stream);
  const char * const *fields;

  g_assert_true (waybill_csv_reader_read_record (reader, NULL, NULL));
  fields = waybill_csv_reader_get_fields (reader);
  g_assert_cmpuint (g_strv_length ((char **) fields), ==, 3);
  g_assert_cmpstr (fields[0], ==, "x");
  g_assert_cmpstr (fields[1], ==, "");
  g_assert_cmpstr (fields[2], ==, "z");
  g_assert_null (fields[3]);
}

/* A stream that makes a CSV of @n_rows rows as it is read, and counts the
 * bytes it hands out: the file never exists, so a reader that kept it
 * would show in the count before the end. */
#define ROWS_TYPE_STREAM (rows_stream_get_type ())
G_DECLARE_FINAL_TYPE (RowsStream, rows_stream, ROWS, STREAM, GInputStream)

struct _RowsStream
{
  GInputStream parent_instance;
  guint        n_rows;
  guint        next_row;
  GString     *pending;
  gsize        pending_pos;
  guint64      bytes;
};

G_DEFINE_FINAL_TYPE (RowsStream, rows_stream, G_TYPE_INPUT_STREAM)

static gssize
rows_stream_read (GInputStream  *stream,
                  void          *buffer,
                  gsize          count,
                  GCancellable  *cancellable,
                  GError       **error)
{
  RowsStream *self = ROWS_STREAM (stream);
  gsize n;

  if (self->pending_pos == self->pending->len)
    {
      g_string_truncate (self->pending, 0);
      self->pending_pos = 0;
      if (self->next_row == 0)
        g_string_append (self->pending, "Order,Customer,Note\r\n");
      for (guint i = 0; i < 64 && self->next_row < self->n_rows; i++, self->next_row++)
        g_string_append_printf (self->pending, "%u,\"Customer %u, Ltd\",\"Line one\nline two\"\r\n",
                                self->next_row + 1, self->next_row);
    }

  n = MIN (count, self->pending->len - self->pending_pos);
  memcpy (buffer, self->pending->str + self->pending_pos, n);
  self->pending_pos += n;
  self->bytes += n;

  return n;
}

static void
rows_stream_finalize (GObject *object)
{
  g_string_free (ROWS_STREAM (object)->pending, TRUE);

  G_OBJECT_CLASS (rows_stream_parent_class)->finalize (object);
}

static void
rows_stream_class_init (RowsStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rows_stream_finalize;
  G_INPUT_STREAM_CLASS (klass)->read_fn = rows_stream_read;
}

static void
rows_stream_init (RowsStream *self)
{
  self->pending = g_string_new (NULL);
}

static void
test_streaming (void)
{
  g_autoptr(RowsStream) stream = g_object_new (ROWS_TYPE_STREAM, NULL);
  g_autoptr(WaybillCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  guint64 total;
  guint n = 0;

  stream->n_rows = 100000;
  reader = waybill_csv_reader_new (G_INPUT_STREAM (stream));

  g_assert_true (waybill_csv_reader_read_record (reader, NULL, &error));
  g_assert_cmpstr (waybill_csv_reader_get_field (reader, 0), ==, "Order");
  /* The header needs one buffer, not the file. */
  g_assert_cmpuint (stream->bytes, <, 256 * 1024);

  while (waybill_csv_reader_read_record (reader, NULL, &error))
    {
      n++;
      g_assert_cmpuint (waybill_csv_reader_get_n_fields (reader), ==, 3);
      if (n == 50000)
        {
          g_assert_cmpstr (waybill_csv_reader_get_field (reader, 1), ==, "Customer 49999, Ltd");
          g_assert_cmpstr (waybill_csv_reader_get_field (reader, 2), ==, "Line one\nline two");
          /* Two records a row's worth of lines: 1 + 2 * 50000 lines read. */
          g_assert_cmpuint (waybill_csv_reader_get_line (reader), ==, 2 + 2 * 49999);
          /* Half-way, the reader has read about half: it streams. */
          g_assert_cmpuint (stream->bytes, <, stream->bytes / stream->next_row * 50000 + 256 * 1024);
          g_assert_cmpuint (stream->next_row, <, 52000);
          g_assert_cmpuint (waybill_csv_reader_get_bytes_read (reader), ==, stream->bytes);
        }
    }
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 100000);

  total = stream->bytes;
  g_assert_cmpuint (total, >, 4 * 1024 * 1024);
  g_assert_cmpuint (waybill_csv_reader_get_bytes_read (reader), ==, total);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/waybill/csv-reader/basic", test_basic);
  g_test_add_func ("/waybill/csv-reader/quoting", test_quoting);
  g_test_add_func ("/waybill/csv-reader/line-endings", test_line_endings);
  g_test_add_func ("/waybill/csv-reader/bom", test_bom);
  g_test_add_func ("/waybill/csv-reader/separator", test_separator);
  g_test_add_func ("/waybill/csv-reader/long-header", test_long_header);
  g_test_add_func ("/waybill/csv-reader/utf16", test_utf16);
  g_test_add_func ("/waybill/csv-reader/utf16-invalid", test_utf16_invalid);
  g_test_add_func ("/waybill/csv-reader/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/waybill/csv-reader/nul-byte", test_nul_byte);
  g_test_add_func ("/waybill/csv-reader/field-size", test_field_size);
  g_test_add_func ("/waybill/csv-reader/too-many-fields", test_too_many_fields);
  g_test_add_func ("/waybill/csv-reader/unterminated", test_unterminated);
  g_test_add_func ("/waybill/csv-reader/fields-array", test_fields_array);
  g_test_add_func ("/waybill/csv-reader/streaming", test_streaming);

  return g_test_run ();
}
