/* waybill-json-parse.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-tracker"

#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "waybill-json-parse.h"

/* A strict JSON parser (RFC 8259) that builds json-glib's nodes.
 *
 * The carriers' answers are large (a batch of 30 FedEx results is about
 * 140 KB) and the refresher reads thousands of them; json-glib's own
 * parser goes through GScanner one character at a time and spent more time
 * on that than on everything else the refresher does.  This one reads the
 * bytes directly, copies each string once, and hands the adapters the same
 * JsonNode tree, so nothing past the parse changes.  Differences from
 * json-glib: comments are refused; "\u0000" becomes U+FFFD where json-glib
 * cuts the string short; an integer past 64 bits is read as a double
 * (json-glib's wraps around to a wrong integer).  Text that is not UTF-8
 * is refused by both. */

typedef struct
{
  const char *p;
  const char *end;
  const char *start;
  guint       depth;
  guint       max_depth;
  GString    *buffer;
  GError    **error;
} Parser;

static gboolean parse_value (Parser    *parser,
                             JsonNode **out);

static gboolean
fail (Parser     *parser,
      const char *what)
{
  if (parser->error != NULL && *parser->error == NULL)
    g_set_error (parser->error, WAYBILL_JSON_PARSE_ERROR, WAYBILL_JSON_PARSE_ERROR_INVALID,
                 "%s at byte %" G_GSIZE_FORMAT, what, (gsize) (parser->p - parser->start));

  return FALSE;
}

static inline void
skip_space (Parser *parser)
{
  const char *p = parser->p;

  while (p < parser->end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
    p++;
  parser->p = p;
}

static int
hex_digit (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;

  return -1;
}

static gboolean
read_hex4 (Parser   *parser,
           gunichar *out)
{
  gunichar value = 0;

  if (parser->end - parser->p < 4)
    return fail (parser, "cut-short escape");

  for (guint i = 0; i < 4; i++)
    {
      int digit = hex_digit (parser->p[i]);

      if (digit < 0)
        return fail (parser, "bad \\u escape");
      value = value << 4 | (gunichar) digit;
    }
  parser->p += 4;
  *out = value;

  return TRUE;
}

/* Reads a string after its opening quote into parser->buffer, which then
 * holds valid UTF-8 without NUL. */
static gboolean
read_string (Parser *parser)
{
  GString *buffer = parser->buffer;
  const char *run;

  g_string_truncate (buffer, 0);
  run = parser->p;

  for (;;)
    {
      const char *p = parser->p;
      char c;

      /* The plain run up to a quote, a backslash or a control character. */
      while (p < parser->end && *p != '"' && *p != '\\' && (guchar) *p >= 0x20)
        p++;
      parser->p = p;

      if (p >= parser->end)
        return fail (parser, "unterminated string");

      c = *p;
      if ((guchar) c < 0x20)
        return fail (parser, "control character in a string");

      g_string_append_len (buffer, run, p - run);

      if (c == '"')
        {
          parser->p++;
          break;
        }

      /* An escape. */
      parser->p++;
      if (parser->p >= parser->end)
        return fail (parser, "cut-short escape");

      switch (*parser->p++)
        {
        case '"': g_string_append_c (buffer, '"'); break;
        case '\\': g_string_append_c (buffer, '\\'); break;
        case '/': g_string_append_c (buffer, '/'); break;
        case 'b': g_string_append_c (buffer, '\b'); break;
        case 'f': g_string_append_c (buffer, '\f'); break;
        case 'n': g_string_append_c (buffer, '\n'); break;
        case 'r': g_string_append_c (buffer, '\r'); break;
        case 't': g_string_append_c (buffer, '\t'); break;
        case 'u':
          {
            gunichar unit;

            if (!read_hex4 (parser, &unit))
              return FALSE;

            if (unit >= 0xd800 && unit <= 0xdbff)
              {
                gunichar low;

                if (parser->end - parser->p < 6 || parser->p[0] != '\\' || parser->p[1] != 'u')
                  return fail (parser, "lone surrogate");
                parser->p += 2;
                if (!read_hex4 (parser, &low))
                  return FALSE;
                if (low < 0xdc00 || low > 0xdfff)
                  return fail (parser, "lone surrogate");
                unit = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
              }
            else if (unit >= 0xdc00 && unit <= 0xdfff)
              return fail (parser, "lone surrogate");
            else if (unit == 0)
              /* C strings end at a NUL: it stands for a character that
               * cannot be shown, and the rest of the text is kept
               * (json-glib's parser cuts the string short there). */
              unit = 0xfffd;

            g_string_append_unichar (buffer, unit);
          }
          break;

        default:
          parser->p--;
          return fail (parser, "bad escape");
        }

      run = parser->p;
    }

  if (!g_utf8_validate_len (buffer->str, buffer->len, NULL))
    return fail (parser, "text that is not UTF-8");

  return TRUE;
}

static gboolean
parse_number (Parser    *parser,
              JsonNode **out)
{
  const char *p = parser->p;
  const char *begin = p;
  gboolean is_double = FALSE;
  char text[64];
  gsize len;

  if (p < parser->end && *p == '-')
    p++;
  if (p >= parser->end || !g_ascii_isdigit (*p))
    return fail (parser, "bad number");
  if (*p == '0')
    p++;
  else
    while (p < parser->end && g_ascii_isdigit (*p))
      p++;
  if (p < parser->end && *p == '.')
    {
      is_double = TRUE;
      p++;
      if (p >= parser->end || !g_ascii_isdigit (*p))
        return fail (parser, "bad number");
      while (p < parser->end && g_ascii_isdigit (*p))
        p++;
    }
  if (p < parser->end && (*p == 'e' || *p == 'E'))
    {
      is_double = TRUE;
      p++;
      if (p < parser->end && (*p == '+' || *p == '-'))
        p++;
      if (p >= parser->end || !g_ascii_isdigit (*p))
        return fail (parser, "bad number");
      while (p < parser->end && g_ascii_isdigit (*p))
        p++;
    }

  len = (gsize) (p - begin);
  if (len >= sizeof text)
    {
      /* No carrier writes a number this long; json-glib reads it as a
       * double, and so does this. */
      g_autofree char *copy = g_strndup (begin, len);

      *out = json_node_init_double (json_node_alloc (), g_ascii_strtod (copy, NULL));
      parser->p = p;
      return TRUE;
    }
  memcpy (text, begin, len);
  text[len] = '\0';
  parser->p = p;

  if (!is_double)
    {
      gint64 value;

      errno = 0;
      value = g_ascii_strtoll (text, NULL, 10);
      if (errno == 0)
        {
          *out = json_node_init_int (json_node_alloc (), value);
          return TRUE;
        }
    }

  *out = json_node_init_double (json_node_alloc (), g_ascii_strtod (text, NULL));

  return TRUE;
}

static gboolean
match_word (Parser     *parser,
            const char *word,
            gsize       len)
{
  if ((gsize) (parser->end - parser->p) < len || memcmp (parser->p, word, len) != 0)
    return fail (parser, "unexpected character");
  parser->p += len;

  return TRUE;
}

/* Steps over @c (and the white space after it) when it comes next. */
static gboolean
skip_char (Parser *parser,
           char    c)
{
  if (parser->p >= parser->end || *parser->p != c)
    return FALSE;
  parser->p++;
  skip_space (parser);

  return TRUE;
}

/* After a member or an element: a comma (*@more set) or @close. */
static gboolean
next_item (Parser   *parser,
           char      close,
           gboolean *more)
{
  skip_space (parser);
  *more = skip_char (parser, ',');
  if (*more || skip_char (parser, close))
    return TRUE;

  return fail (parser, close == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
}

static gboolean
parse_object (Parser    *parser,
              JsonNode **out)
{
  g_autoptr(JsonObject) object = json_object_new ();
  gboolean more;

  skip_char (parser, '{');
  more = !skip_char (parser, '}');
  while (more)
    {
      g_autofree char *long_name = NULL;
      char short_name[64];
      const char *name;
      JsonNode *value = NULL;

      if (parser->p >= parser->end || *parser->p != '"')
        return fail (parser, "expected a member name");
      parser->p++;
      if (!read_string (parser))
        return FALSE;
      /* The value reuses the buffer; json-glib copies the name again. */
      if (parser->buffer->len < sizeof short_name)
        {
          memcpy (short_name, parser->buffer->str, parser->buffer->len + 1);
          name = short_name;
        }
      else
        name = long_name = g_strndup (parser->buffer->str, parser->buffer->len);

      skip_space (parser);
      if (!skip_char (parser, ':'))
        return fail (parser, "expected ':'");
      if (!parse_value (parser, &value))
        return FALSE;
      /* A name given twice keeps its last value, as json-glib does. */
      json_object_set_member (object, name, value);

      if (!next_item (parser, '}', &more))
        return FALSE;
    }

  *out = json_node_init_object (json_node_alloc (), object);

  return TRUE;
}

static gboolean
parse_array (Parser    *parser,
             JsonNode **out)
{
  g_autoptr(JsonArray) array = json_array_new ();
  gboolean more;

  skip_char (parser, '[');
  more = !skip_char (parser, ']');
  while (more)
    {
      JsonNode *value = NULL;

      if (!parse_value (parser, &value))
        return FALSE;
      json_array_add_element (array, value);

      if (!next_item (parser, ']', &more))
        return FALSE;
    }

  *out = json_node_init_array (json_node_alloc (), array);

  return TRUE;
}

static gboolean
parse_value (Parser    *parser,
             JsonNode **out)
{
  gboolean ok;

  if (parser->p >= parser->end)
    return fail (parser, "cut short");

  switch (*parser->p)
    {
    case '{':
    case '[':
      if (++parser->depth > parser->max_depth)
        {
          if (parser->error != NULL && *parser->error == NULL)
            g_set_error (parser->error, WAYBILL_JSON_PARSE_ERROR, WAYBILL_JSON_PARSE_ERROR_TOO_DEEP,
                         "nested deeper than %u levels at byte %" G_GSIZE_FORMAT,
                         parser->max_depth, (gsize) (parser->p - parser->start));
          return FALSE;
        }
      ok = *parser->p == '{' ? parse_object (parser, out) : parse_array (parser, out);
      parser->depth--;
      return ok;

    case '"':
      parser->p++;
      if (!read_string (parser))
        return FALSE;
      *out = json_node_init_string (json_node_alloc (), parser->buffer->str);
      return TRUE;

    case 't':
      if (!match_word (parser, "true", 4))
        return FALSE;
      *out = json_node_init_boolean (json_node_alloc (), TRUE);
      return TRUE;

    case 'f':
      if (!match_word (parser, "false", 5))
        return FALSE;
      *out = json_node_init_boolean (json_node_alloc (), FALSE);
      return TRUE;

    case 'n':
      if (!match_word (parser, "null", 4))
        return FALSE;
      *out = json_node_init_null (json_node_alloc ());
      return TRUE;

    default:
      if (*parser->p == '-' || g_ascii_isdigit (*parser->p))
        return parse_number (parser, out);
      return fail (parser, "unexpected character");
    }
}

G_DEFINE_QUARK (waybill-json-parse-error-quark, waybill_json_parse_error)

/**
 * waybill_json_parse:
 * @data: the text, not necessarily NUL-terminated
 * @len: its length in bytes
 * @max_depth: how deep arrays and objects may nest
 *
 * Parses one JSON value, with white space around it and nothing else.
 *
 * Returns: (transfer full): the root node, sealed; or %NULL with
 *   @error set (WAYBILL_JSON_PARSE_ERROR_TOO_DEEP past @max_depth,
 *   otherwise WAYBILL_JSON_PARSE_ERROR_INVALID), saying what and where
 */
JsonNode *
waybill_json_parse (const char  *data,
                    gsize        len,
                    guint        max_depth,
                    GError     **error)
{
  g_autoptr(GString) buffer = NULL;
  g_autoptr(JsonNode) root = NULL;
  Parser parser = { 0 };

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (data == NULL)
    data = "";
  buffer = g_string_sized_new (256);
  parser.p = parser.start = data;
  parser.end = data + len;
  parser.max_depth = max_depth;
  parser.buffer = buffer;
  parser.error = error;

  /* A byte-order mark is no JSON, but some servers send one. */
  if (len >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    parser.p += 3;

  skip_space (&parser);
  if (!parse_value (&parser, &root))
    return NULL;
  skip_space (&parser);
  if (parser.p != parser.end)
    {
      fail (&parser, "text after the value");
      return NULL;
    }

  json_node_seal (root);

  return g_steal_pointer (&root);
}
