/* waybill-csv-reader.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-csv"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "waybill-csv-reader.h"

/* A streaming reader of RFC 4180 CSV, as shops and spreadsheets write it:
 * quoted fields may hold separators, doubled quotes and line breaks; lines
 * end in LF, CRLF or a lone CR; the separator (comma, semicolon or tab) is
 * read from the header line; UTF-8 may start with a byte-order mark, and
 * UTF-16 (Excel's "Unicode text") is converted.
 *
 * Memory is bounded: the reader holds one buffer of the file and the
 * current record, never the file.  Where files stray from the RFC the
 * reader is lenient and keeps what was written: a quote inside an unquoted
 * field is a quote, and text after a closing quote is appended. */

#define CHUNK_SIZE        (64 * 1024)
#define MAX_HEADER_PEEK   (1024 * 1024)
#define MAX_FIELDS        65536
#define ENCODING_SNIFF    512

/* A filter that counts the bytes read through it, so that the reader can
 * tell how far into the file it is, whatever decoding comes after. */
#define COUNTING_TYPE_STREAM (counting_stream_get_type ())
G_DECLARE_FINAL_TYPE (CountingStream, counting_stream, COUNTING, STREAM, GFilterInputStream)

struct _CountingStream
{
  GFilterInputStream parent_instance;
  guint64            bytes;
};

G_DEFINE_FINAL_TYPE (CountingStream, counting_stream, G_TYPE_FILTER_INPUT_STREAM)

static gssize
counting_stream_read (GInputStream  *stream,
                      void          *buffer,
                      gsize          count,
                      GCancellable  *cancellable,
                      GError       **error)
{
  CountingStream *self = COUNTING_STREAM (stream);
  GInputStream *base = g_filter_input_stream_get_base_stream (G_FILTER_INPUT_STREAM (stream));
  gssize n = g_input_stream_read (base, buffer, count, cancellable, error);

  if (n > 0)
    self->bytes += n;

  return n;
}

static void
counting_stream_class_init (CountingStreamClass *klass)
{
  G_INPUT_STREAM_CLASS (klass)->read_fn = counting_stream_read;
}

static void
counting_stream_init (CountingStream *self)
{
}

typedef enum
{
  STATE_FIELD_START,
  STATE_UNQUOTED,
  STATE_QUOTED,
  STATE_QUOTE_IN_QUOTED,
} State;

struct _WaybillCsvReader
{
  GObject         parent_instance;

  CountingStream *counter;
  GInputStream   *input;
  const char     *encoding;
  gboolean        started;
  gboolean        eof;
  gboolean        failed;

  char           *buf;
  gsize           buf_size;
  gsize           pos;
  gsize           len;
  /* The previous byte was a CR: a LF right after it ends the same line. */
  gboolean        after_cr;
  guint64         line;

  char            separator;
  gsize           max_field_size;

  /* The current record: its fields one after the other, each ended by a
   * NUL, their offsets, and the pointers handed out. */
  GString        *data;
  GArray         *offsets;
  GPtrArray      *fields;
  guint64         record_line;
};

G_DEFINE_FINAL_TYPE (WaybillCsvReader, waybill_csv_reader, G_TYPE_OBJECT)

G_DEFINE_QUARK (waybill-csv-error-quark, waybill_csv_error)

static void
waybill_csv_reader_dispose (GObject *object)
{
  WaybillCsvReader *self = (WaybillCsvReader *)object;

  g_clear_object (&self->input);
  g_clear_object (&self->counter);

  G_OBJECT_CLASS (waybill_csv_reader_parent_class)->dispose (object);
}

static void
waybill_csv_reader_finalize (GObject *object)
{
  WaybillCsvReader *self = (WaybillCsvReader *)object;

  g_free (self->buf);
  g_string_free (self->data, TRUE);
  g_array_unref (self->offsets);
  g_ptr_array_unref (self->fields);

  G_OBJECT_CLASS (waybill_csv_reader_parent_class)->finalize (object);
}

static void
waybill_csv_reader_class_init (WaybillCsvReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = waybill_csv_reader_dispose;
  object_class->finalize = waybill_csv_reader_finalize;
}

static void
waybill_csv_reader_init (WaybillCsvReader *self)
{
  self->buf_size = CHUNK_SIZE;
  self->buf = g_malloc (self->buf_size);
  self->line = 1;
  self->encoding = "UTF-8";
  self->max_field_size = WAYBILL_CSV_DEFAULT_MAX_FIELD_SIZE;
  self->data = g_string_sized_new (256);
  self->offsets = g_array_new (FALSE, FALSE, sizeof (gsize));
  self->fields = g_ptr_array_new ();
}

/**
 * waybill_csv_reader_new:
 * @stream: the CSV text, read from where it is
 *
 * Returns: (transfer full): a reader of @stream
 */
WaybillCsvReader *
waybill_csv_reader_new (GInputStream *stream)
{
  WaybillCsvReader *self;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);

  self = g_object_new (WAYBILL_TYPE_CSV_READER, NULL);
  self->counter = g_object_new (COUNTING_TYPE_STREAM,
                                "base-stream", stream,
                                "close-base-stream", FALSE,
                                NULL);

  return self;
}

/**
 * waybill_csv_reader_set_separator:
 * @separator: ',', ';' or '\t', or '\0' to detect it from the first line
 *
 * Call before reading the first record.
 */
void
waybill_csv_reader_set_separator (WaybillCsvReader *self,
                                  char              separator)
{
  g_return_if_fail (WAYBILL_IS_CSV_READER (self));
  g_return_if_fail (separator != '"' && separator != '\r' && separator != '\n');

  self->separator = separator;
}

/**
 * waybill_csv_reader_get_separator:
 *
 * Returns: the separator, or '\0' when it is to be detected and no record
 *   was read yet
 */
char
waybill_csv_reader_get_separator (WaybillCsvReader *self)
{
  g_return_val_if_fail (WAYBILL_IS_CSV_READER (self), '\0');

  return self->separator;
}

void
waybill_csv_reader_set_max_field_size (WaybillCsvReader *self,
                                       gsize             max_field_size)
{
  g_return_if_fail (WAYBILL_IS_CSV_READER (self));
  g_return_if_fail (max_field_size > 0);

  self->max_field_size = max_field_size;
}

/**
 * waybill_csv_reader_get_encoding:
 *
 * Returns: the file's encoding as detected: "UTF-8", "UTF-16LE" or
 *   "UTF-16BE"
 */
const char *
waybill_csv_reader_get_encoding (WaybillCsvReader *self)
{
  g_return_val_if_fail (WAYBILL_IS_CSV_READER (self), NULL);

  return self->encoding;
}

/**
 * waybill_csv_reader_get_bytes_read:
 *
 * Returns: how many bytes were taken from the stream so far (a little
 *   ahead of the records returned, by the size of a buffer): for progress
 */
guint64
waybill_csv_reader_get_bytes_read (WaybillCsvReader *self)
{
  g_return_val_if_fail (WAYBILL_IS_CSV_READER (self), 0);

  return self->counter != NULL ? self->counter->bytes : 0;
}

/**
 * waybill_csv_reader_get_line:
 *
 * Returns: the physical line (from 1) on which the last record read, or
 *   the one that failed, starts
 */
guint64
waybill_csv_reader_get_line (WaybillCsvReader *self)
{
  g_return_val_if_fail (WAYBILL_IS_CSV_READER (self), 0);

  return self->record_line;
}

guint
waybill_csv_reader_get_n_fields (WaybillCsvReader *self)
{
  g_return_val_if_fail (WAYBILL_IS_CSV_READER (self), 0);

  return self->offsets->len;
}

/**
 * waybill_csv_reader_get_field:
 * @index: a field of the last record
 *
 * Returns: (nullable): the field, valid until the next record is read;
 *   %NULL past the last field
 */
const char *
waybill_csv_reader_get_field (WaybillCsvReader *self,
                              guint             index)
{
  g_return_val_if_fail (WAYBILL_IS_CSV_READER (self), NULL);

  if (index >= self->offsets->len)
    return NULL;

  return self->data->str + g_array_index (self->offsets, gsize, index);
}

/**
 * waybill_csv_reader_get_fields:
 *
 * Returns: (array zero-terminated=1) (transfer none): the fields of the
 *   last record, valid until the next record is read
 */
const char * const *
waybill_csv_reader_get_fields (WaybillCsvReader *self)
{
  g_return_val_if_fail (WAYBILL_IS_CSV_READER (self), NULL);

  g_ptr_array_set_size (self->fields, 0);
  for (guint i = 0; i < self->offsets->len; i++)
    g_ptr_array_add (self->fields, self->data->str + g_array_index (self->offsets, gsize, i));
  g_ptr_array_add (self->fields, NULL);

  return (const char * const *) self->fields->pdata;
}

/* Reads the first bytes: a byte-order mark, or the zero bytes of UTF-16
 * without one, decide how the rest is decoded. */
static gboolean
start (WaybillCsvReader  *self,
       GCancellable      *cancellable,
       GError           **error)
{
  g_autoptr(GBufferedInputStream) buffered = NULL;
  g_autoptr(GCharsetConverter) converter = NULL;
  const guint8 *head;
  gsize available = 0;
  guint zeros_even = 0, zeros_odd = 0;
  const char *from = NULL;
  gsize skip = 0;

  buffered = G_BUFFERED_INPUT_STREAM (g_buffered_input_stream_new (G_INPUT_STREAM (self->counter)));
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (buffered), FALSE);

  for (;;)
    {
      gssize n;

      available = g_buffered_input_stream_get_available (buffered);
      if (available >= ENCODING_SNIFF)
        break;
      n = g_buffered_input_stream_fill (buffered, -1, cancellable, error);
      if (n < 0)
        return FALSE;
      if (n == 0)
        break;
    }

  head = g_buffered_input_stream_peek_buffer (buffered, &available);

  if (available >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF)
    skip = 3;
  else if (available >= 2 && head[0] == 0xFF && head[1] == 0xFE)
    from = "UTF-16LE", skip = 2;
  else if (available >= 2 && head[0] == 0xFE && head[1] == 0xFF)
    from = "UTF-16BE", skip = 2;
  else
    {
      /* UTF-16 without a mark: every other byte of Latin text is zero. */
      for (gsize i = 0; i + 1 < available; i += 2)
        {
          zeros_even += head[i] == 0;
          zeros_odd += head[i + 1] == 0;
        }
      if (available >= 4 && zeros_odd > available / 4 && zeros_even == 0)
        from = "UTF-16LE";
      else if (available >= 4 && zeros_even > available / 4 && zeros_odd == 0)
        from = "UTF-16BE";
    }

  if (skip > 0 && g_input_stream_skip (G_INPUT_STREAM (buffered), skip, cancellable, error) < 0)
    return FALSE;

  if (from == NULL)
    {
      self->input = G_INPUT_STREAM (g_steal_pointer (&buffered));
      return TRUE;
    }

  converter = g_charset_converter_new ("UTF-8", from, NULL);
  if (converter == NULL)
    {
      g_set_error (error, WAYBILL_CSV_ERROR, WAYBILL_CSV_ERROR_UNSUPPORTED,
                   _("The file is in %s, which this system cannot convert; "
                     "save it as “CSV UTF-8” and try again"), from);
      return FALSE;
    }

  self->encoding = from;
  self->input = g_converter_input_stream_new (G_INPUT_STREAM (buffered), G_CONVERTER (converter));
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (self->input), FALSE);

  return TRUE;
}

/* Reads more of the file after the unread bytes, moving them to the front
 * of the buffer.  Returns the number of new bytes: 0 at the end. */
static gssize
refill (WaybillCsvReader  *self,
        GCancellable      *cancellable,
        GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  gssize n;

  if (self->eof)
    return 0;

  if (self->pos > 0)
    {
      memmove (self->buf, self->buf + self->pos, self->len - self->pos);
      self->len -= self->pos;
      self->pos = 0;
    }

  if (self->len == self->buf_size)
    return 0;

  n = g_input_stream_read (self->input, self->buf + self->len, self->buf_size - self->len,
                           cancellable, &local_error);
  if (n < 0)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA) ||
          g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
        g_set_error (error, WAYBILL_CSV_ERROR, WAYBILL_CSV_ERROR_UNSUPPORTED,
                     _("The file starts as %s text but is not valid %s further on; "
                       "save it as “CSV UTF-8” and try again"),
                     self->encoding, self->encoding);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return -1;
    }

  if (n == 0)
    self->eof = TRUE;
  self->len += n;

  return n;
}

/* Picks the separator that occurs most often outside quotes in the first
 * line: a header names every column, so a comma-separated one has the
 * most commas.  Semicolons (Excel in much of Europe) and tabs (Excel's
 * "Unicode text") come next on a tie, then comma when none occur. */
static gboolean
detect_separator (WaybillCsvReader  *self,
                  GCancellable      *cancellable,
                  GError           **error)
{
  static const char candidates[] = { ',', ';', '\t' };
  guint counts[G_N_ELEMENTS (candidates)] = { 0 };
  gboolean quoted = FALSE;
  gsize i = 0;

  for (;;)
    {
      gboolean line_end = FALSE;
      gssize n;

      for (; self->pos + i < self->len; i++)
        {
          char c = self->buf[self->pos + i];

          if (c == '"')
            quoted = !quoted;
          else if (!quoted && (c == '\n' || c == '\r'))
            {
              line_end = TRUE;
              break;
            }
          else if (!quoted)
            for (guint k = 0; k < G_N_ELEMENTS (candidates); k++)
              counts[k] += c == candidates[k];
        }

      if (line_end || self->eof)
        break;

      /* The line goes on past the buffer: make room, within reason. */
      if (self->pos == 0 && self->len == self->buf_size)
        {
          if (self->buf_size >= MAX_HEADER_PEEK)
            break;
          self->buf_size *= 2;
          self->buf = g_realloc (self->buf, self->buf_size);
        }

      n = refill (self, cancellable, error);
      if (n < 0)
        return FALSE;
    }

  self->separator = candidates[0];
  for (guint k = 1; k < G_N_ELEMENTS (candidates); k++)
    if (counts[k] > counts[0] && counts[k] >= counts[1] && counts[k] >= counts[2])
      {
        self->separator = candidates[k];
        break;
      }

  return TRUE;
}

static void
begin_record (WaybillCsvReader *self)
{
  g_string_truncate (self->data, 0);
  g_array_set_size (self->offsets, 0);
  g_array_append_val (self->offsets, self->data->len);
}

static void
end_field (WaybillCsvReader *self)
{
  g_string_append_c (self->data, '\0');
}

static void
start_field (WaybillCsvReader *self)
{
  gsize offset = self->data->len;

  g_array_append_val (self->offsets, offset);
}

/* Checks the finished record: every field valid UTF-8. */
static gboolean
check_record (WaybillCsvReader  *self,
              GError           **error)
{
  for (guint i = 0; i < self->offsets->len; i++)
    {
      gsize offset = g_array_index (self->offsets, gsize, i);
      gsize end = i + 1 < self->offsets->len
                  ? g_array_index (self->offsets, gsize, i + 1) - 1
                  : self->data->len - 1;
      const char *bad = NULL;

      if (!g_utf8_validate (self->data->str + offset, end - offset, &bad))
        {
          guint64 line = self->record_line;

          /* Name the very line of the bad byte, which a multi-line field
           * puts below the record's first line. */
          for (const char *p = self->data->str; p < bad; p++)
            line += *p == '\n';
          g_set_error (error, WAYBILL_CSV_ERROR, WAYBILL_CSV_ERROR_ENCODING,
                       _("The text is not valid UTF-8 (line %llu, column %u); "
                         "save the file as “CSV UTF-8”"), (unsigned long long) line, i + 1);
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * waybill_csv_reader_read_record:
 *
 * Reads the next record; get its fields with waybill_csv_reader_get_field()
 * and its line with waybill_csv_reader_get_line().  Blank lines are
 * skipped.
 *
 * Returns: %TRUE when a record was read; %FALSE at the end of the file
 *   (without @error) or on an error.  After an error of
 *   %WAYBILL_CSV_ERROR_ENCODING, %WAYBILL_CSV_ERROR_TOO_LARGE or
 *   %WAYBILL_CSV_ERROR_UNTERMINATED the reader can go on with the next
 *   record; after any other it returns the same error again.
 */
gboolean
waybill_csv_reader_read_record (WaybillCsvReader  *self,
                                GCancellable      *cancellable,
                                GError           **error)
{
  State state;
  gsize record_cap;
  gsize field_size;
  gboolean too_large;
  gboolean any;

  g_return_val_if_fail (WAYBILL_IS_CSV_READER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->failed)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The file could not be read to the end"));
      return FALSE;
    }

  if (!self->started)
    {
      self->started = TRUE;
      if (!start (self, cancellable, error))
        goto failed;
      if (self->separator == '\0' && !detect_separator (self, cancellable, error))
        goto failed;
    }

  /* Many fields of fair size can make a record no one means either. */
  record_cap = self->max_field_size <= G_MAXSIZE / 2 ? 2 * self->max_field_size : G_MAXSIZE;

next_record:
  begin_record (self);
  state = STATE_FIELD_START;
  field_size = 0;
  too_large = FALSE;
  any = FALSE;
  self->record_line = self->line;

  for (;;)
    {
      char c;

      if (self->pos == self->len)
        {
          gssize n = refill (self, cancellable, error);

          if (n < 0)
            goto failed;
          if (n == 0 && self->pos == self->len)
            break;
        }

      c = self->buf[self->pos++];

      if (self->after_cr)
        {
          self->after_cr = FALSE;
          if (c == '\n')
            continue;
        }

      if (!any)
        {
          any = TRUE;
          self->record_line = self->line;
        }

      switch (state)
        {
        case STATE_FIELD_START:
        case STATE_UNQUOTED:
          if (c == self->separator)
            {
              end_field (self);
              if (self->offsets->len >= MAX_FIELDS)
                too_large = TRUE;
              else
                start_field (self);
              field_size = 0;
              state = STATE_FIELD_START;
              continue;
            }
          if (c == '\n' || c == '\r')
            {
              self->line++;
              self->after_cr = c == '\r';
              goto record_done;
            }
          if (c == '"' && state == STATE_FIELD_START)
            {
              state = STATE_QUOTED;
              continue;
            }
          state = STATE_UNQUOTED;
          break;

        case STATE_QUOTED:
          if (c == '"')
            {
              state = STATE_QUOTE_IN_QUOTED;
              continue;
            }
          if (c == '\r' || c == '\n')
            {
              /* One line break inside a field, whichever way it was
               * written, so that LF and CRLF files read the same. */
              self->line++;
              self->after_cr = c == '\r';
              c = '\n';
            }
          break;

        case STATE_QUOTE_IN_QUOTED:
          if (c == '"')
            {
              state = STATE_QUOTED;
              break;
            }
          if (c == self->separator)
            {
              end_field (self);
              if (self->offsets->len >= MAX_FIELDS)
                too_large = TRUE;
              else
                start_field (self);
              field_size = 0;
              state = STATE_FIELD_START;
              continue;
            }
          if (c == '\n' || c == '\r')
            {
              self->line++;
              self->after_cr = c == '\r';
              goto record_done;
            }
          /* Text after the closing quote: keep it. */
          state = STATE_UNQUOTED;
          break;

        default:
          g_assert_not_reached ();
        }

      if (too_large)
        continue;

      if (++field_size > self->max_field_size || self->data->len >= record_cap)
        {
          too_large = TRUE;
          continue;
        }
      g_string_append_c (self->data, c);
    }

  /* The end of the file. */
  if (!any)
    {
      g_array_set_size (self->offsets, 0);
      return FALSE;
    }

record_done:
  end_field (self);

  if (state == STATE_QUOTED && self->eof && self->pos == self->len)
    {
      g_array_set_size (self->offsets, 0);
      g_string_truncate (self->data, 0);
      g_set_error (error, WAYBILL_CSV_ERROR, WAYBILL_CSV_ERROR_UNTERMINATED,
                   _("A quoted field is never closed: a quote (\") is missing"));
      return FALSE;
    }

  if (too_large)
    {
      g_autofree char *size = g_format_size_full (self->max_field_size, G_FORMAT_SIZE_IEC_UNITS);

      g_array_set_size (self->offsets, 0);
      g_string_truncate (self->data, 0);
      g_set_error (error, WAYBILL_CSV_ERROR, WAYBILL_CSV_ERROR_TOO_LARGE,
                   _("A field is larger than %s, or there are too many fields; "
                     "a closing quote may be missing"), size);
      return FALSE;
    }

  /* A blank line is no record. */
  if (self->offsets->len == 1 && self->data->len == 1 && state == STATE_FIELD_START)
    goto next_record;

  return check_record (self, error);

failed:
  self->failed = TRUE;
  return FALSE;
}
