/* test-json-parse.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The parser of the carriers' answers: the same tree as json-glib's for
 * every fixture and for the corners of the grammar, and an error for
 * everything that is not JSON.
 */

#include "config.h"

#include <string.h>

#include "carriers/waybill-json-parse.h"

static JsonNode *
parse_glib (const char *text,
            gsize       len)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, (gssize) len, &error);
  g_assert_no_error (error);

  return json_parser_steal_root (parser);
}

/* Ours and json-glib's trees are equal, and printed alike. */
static void
assert_same_tree (const char *text,
                  gsize       len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) ours = waybill_json_parse (text, len, 128, &error);
  g_autoptr(JsonNode) theirs = NULL;
  g_autofree char *ours_text = NULL;
  g_autofree char *theirs_text = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (ours);
  g_assert_true (json_node_is_immutable (ours));
  theirs = parse_glib (text, len);
  g_assert_true (json_node_equal (ours, theirs));

  ours_text = json_to_string (ours, FALSE);
  theirs_text = json_to_string (theirs, FALSE);
  g_assert_cmpstr (ours_text, ==, theirs_text);
}

static void
assert_invalid (const char *text,
                gsize       len,
                int         code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = waybill_json_parse (text, len, 16, &error);

  if (root != NULL)
    g_error ("parsed, should have been refused: %.*s", (int) len, text);
  g_assert_error (error, WAYBILL_JSON_PARSE_ERROR, code);
  /* The message says where. */
  g_assert_nonnull (strstr (error->message, "at byte"));
}

static void
test_fixtures (void)
{
  static const char * const carriers[] = { "dhl", "ups", "fedex", "usps", "aftership", "17track" };
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (carriers); i++)
    {
      g_autofree char *dir_path = g_build_filename (TEST_SRCDIR, "data", "carriers", carriers[i], NULL);
      g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
      const char *name;

      g_assert_nonnull (dir);
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (dir_path, name, NULL);
          g_autofree char *contents = NULL;
          gsize len;

          if (!g_str_has_suffix (name, ".json"))
            continue;
          g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
          g_test_message ("%s", path);
          assert_same_tree (contents, len);
          n++;
        }
    }

  /* Every carrier has fixtures; a wrong directory would check nothing. */
  g_assert_cmpuint (n, >=, 30);
}

static void
test_values (void)
{
  static const char * const texts[] = {
    "{}",
    "[]",
    "  {\"a\" : [ 1 , 2 ] }\n",
    "\"just a string\"",
    "true", "false", "null",
    "0", "-0", "42", "-17", "9223372036854775807", "-9223372036854775808",
    "3.25", "-0.5", "1e3", "1E-2", "2.5e+10",
    "{\"\":\"empty name\"}",
    "{\"a\":{\"b\":{\"c\":[[],{},[{}]]}}}",
    "[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]",
    "[\"\\u00e9\\u20ac\\ud83d\\udce6\"]",
    "[\"Zustellung \xc3\xbc\xe2\x82\xac \xf0\x9f\x93\xa6\"]",
    "{\"a\":1,\"a\":2}",
    "{\"status\":\"delivered\",\"when\":\"2024-03-01T10:00:00Z\",\"n\":[1,2.5,true,null]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_test_message ("%s", texts[i]);
      assert_same_tree (texts[i], strlen (texts[i]));
    }
}

static void
test_values_read (void)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  JsonArray *array;
  const char text[] = "{\"s\":\"caf\\u00e9 \\ud83d\\udce6\",\"i\":-12,\"big\":12345678901234567890,"
                      "\"d\":0.125,\"b\":true,\"z\":null,\"a\":[1,\"x\"],\"dup\":1,\"dup\":\"last\"}";

  root = waybill_json_parse (text, strlen (text), 8, &error);
  g_assert_no_error (error);
  object = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (object, "s"), ==, "caf\xc3\xa9 \xf0\x9f\x93\xa6");
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (object, "i")), ==, G_TYPE_INT64);
  g_assert_cmpint (json_object_get_int_member (object, "i"), ==, -12);
  /* Past 64 bits: a double, near enough (json-glib's parser wraps it
   * around to -1). */
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (object, "big")), ==, G_TYPE_DOUBLE);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (object, "big"), 12345678901234567890.0, 1e5);
  g_assert_cmpfloat (json_object_get_double_member (object, "d"), ==, 0.125);
  g_assert_true (json_object_get_boolean_member (object, "b"));
  g_assert_true (json_object_get_null_member (object, "z"));
  array = json_object_get_array_member (object, "a");
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (array, 1), ==, "x");
  g_assert_cmpstr (json_object_get_string_member (object, "dup"), ==, "last");
  g_assert_cmpuint (json_object_get_size (object), ==, 8);
}

/* "\u0000" cannot be in a C string: it becomes U+FFFD and the rest of the
 * text is kept (json-glib's parser cuts the string short there). */
static void
test_nul_escape (void)
{
  const char text[] = "{\"remark\":\"left at\\u0000 the door\"}";
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = waybill_json_parse (text, strlen (text), 8, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "remark"), ==,
                   "left at\xef\xbf\xbd the door");
}

/* Not NUL-terminated: the parser reads @len bytes and no further. */
static void
test_length (void)
{
  const char text[] = "{\"a\":[1,2]}garbage";
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = waybill_json_parse (text, strlen ("{\"a\":[1,2]}"), 8, &error);
  g_autofree char *cut = g_memdup2 ("[\"abc\"]", 5);

  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (root), "a")), ==, 2);

  /* A copy without its end, and no NUL after it (valgrind/ASan would see
   * a read past it). */
  assert_invalid (cut, 5, WAYBILL_JSON_PARSE_ERROR_INVALID);
}

static void
test_invalid (void)
{
  static const char * const texts[] = {
    "",
    "   ",
    "{",
    "[1,2",
    "{\"a\":1,}",
    "[1,2,]",
    "{\"a\" 1}",
    "{a:1}",
    "{'a':1}",
    "[1 2]",
    "{\"a\":1}{}",
    "{\"a\":1} x",
    "\"unterminated",
    "[\"tab\tinside\"]",
    "[\"new\nline\"]",
    "[\"\\x41\"]",
    "[\"\\u12\"]",
    "[\"\\u12g4\"]",
    "[\"\\ud83d\"]",
    "[\"\\ud83d\\u0041\"]",
    "[\"\\udce6\"]",
    "[\"\\",
    "[01]",
    "[-]",
    "[1.]",
    "[.5]",
    "[1e]",
    "[1e+]",
    "[+1]",
    "[0x10]",
    "[NaN]",
    "[Infinity]",
    "[tru]",
    "[nul]",
    "[falsey]",
    "/* comment */ {}",
    "{} // comment",
    "<html><body>Bad gateway</body></html>",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_test_message ("%s", texts[i]);
      assert_invalid (texts[i], strlen (texts[i]), WAYBILL_JSON_PARSE_ERROR_INVALID);
    }
}

static void
test_not_utf8 (void)
{
  static const char * const texts[] = {
    "[\"caf\xe9\"]",                 /* Latin-1 */
    "{\"na\xffme\":1}",              /* in a name */
    "[\"\xc3\"]",                    /* cut-short sequence */
    "[\"\xed\xa0\x80\"]",            /* a surrogate written out */
    "[\"\xc0\xaf\"]",                /* overlong */
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    assert_invalid (texts[i], strlen (texts[i]), WAYBILL_JSON_PARSE_ERROR_INVALID);

  /* A NUL byte in the text is no JSON either. */
  assert_invalid ("[\"a\0b\"]", 7, WAYBILL_JSON_PARSE_ERROR_INVALID);
}

static void
test_byte_order_mark (void)
{
  const char text[] = "\xef\xbb\xbf{\"a\":1}";
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = waybill_json_parse (text, strlen (text), 8, &error);

  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "a"), ==, 1);
}

static void
test_depth (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;

  /* 16 levels are allowed, 17 are not. */
  for (guint i = 0; i < 16; i++)
    g_string_append (text, i % 2 ? "{\"k\":" : "[");
  g_string_append (text, "1");
  for (guint i = 16; i > 0; i--)
    g_string_append (text, (i - 1) % 2 ? "}" : "]");
  root = waybill_json_parse (text->str, text->len, 16, &error);
  g_assert_no_error (error);
  g_assert_nonnull (root);

  g_string_prepend (text, "[");
  g_string_append (text, "]");
  assert_invalid (text->str, text->len, WAYBILL_JSON_PARSE_ERROR_TOO_DEEP);

  /* Megabytes of "[" end at the limit, not with the stack. */
  g_string_truncate (text, 0);
  for (guint i = 0; i < 4 * 1024 * 1024; i++)
    g_string_append_c (text, '[');
  assert_invalid (text->str, text->len, WAYBILL_JSON_PARSE_ERROR_TOO_DEEP);
}

/* Every way of cutting a real answer short is an error, never a crash or
 * a partial tree. */
static void
test_cut_short (void)
{
  g_autofree char *path = g_build_filename (TEST_SRCDIR, "data", "carriers", "ups", "3-in-transit.json", NULL);
  g_autofree char *contents = NULL;
  gsize len;
  gsize end;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  /* The fixture ends with white space after its last brace. */
  end = len;
  while (end > 0 && g_ascii_isspace (contents[end - 1]))
    end--;
  g_assert_cmpint (contents[end - 1], ==, '}');

  for (gsize cut = 0; cut < end; cut++)
    {
      g_autofree char *copy = g_memdup2 (contents, cut);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) root = waybill_json_parse (copy, cut, 128, &error);

      g_assert_null (root);
      g_assert_error (error, WAYBILL_JSON_PARSE_ERROR, WAYBILL_JSON_PARSE_ERROR_INVALID);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json-parse/fixtures", test_fixtures);
  g_test_add_func ("/json-parse/values", test_values);
  g_test_add_func ("/json-parse/values-read", test_values_read);
  g_test_add_func ("/json-parse/nul-escape", test_nul_escape);
  g_test_add_func ("/json-parse/length", test_length);
  g_test_add_func ("/json-parse/invalid", test_invalid);
  g_test_add_func ("/json-parse/not-utf8", test_not_utf8);
  g_test_add_func ("/json-parse/byte-order-mark", test_byte_order_mark);
  g_test_add_func ("/json-parse/depth", test_depth);
  g_test_add_func ("/json-parse/cut-short", test_cut_short);

  return g_test_run ();
}
