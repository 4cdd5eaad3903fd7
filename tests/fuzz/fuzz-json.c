/* fuzz-json.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for the parser of the carriers' answers: any text is
 * parsed or refused without crashing or leaking, and whatever it accepts
 * json-glib accepts too, as the same tree.  (json-glib takes a little more
 * than this parser, such as comments; the other way round is a bug.)
 * Left out of the comparison: integers too long for 64 bits (this parser
 * reads them as doubles, json-glib's wraps them around) and "\u0000"
 * (U+FFFD here, the end of the string for json-glib).
 */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "carriers/waybill-json-parse.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) ours = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *text = NULL;
  g_autofree char *ours_text = NULL;
  g_autofree char *theirs_text = NULL;

  /* A copy of exactly @size bytes: ASan sees any read past the end. */
  text = g_memdup2 (data, size);
  ours = waybill_json_parse (text, size, 64, &error);
  if (ours == NULL)
    {
      g_assert (error != NULL && error->domain == WAYBILL_JSON_PARSE_ERROR);
      return 0;
    }
  g_assert (error == NULL);

  /* Accepted text holds no NUL byte, so json-glib may read it as a
   * string. */
  g_assert (memchr (data, '\0', size) == NULL);
  g_clear_pointer (&text, g_free);
  text = g_strndup ((const char *) data, size);
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, text, (gssize) size, &error))
    g_error ("json-glib refused what was accepted: %s", error->message);

  if (g_strstr_len (text, size, "\\u0000") != NULL)
    return 0;
  for (size_t i = 0, run = 0; i < size; i++)
    {
      run = g_ascii_isdigit (data[i]) ? run + 1 : 0;
      if (run >= 19)
        return 0;
    }

  g_assert (json_node_equal (ours, json_parser_get_root (parser)));
  ours_text = json_to_string (ours, FALSE);
  theirs_text = json_to_string (json_parser_get_root (parser), FALSE);
  g_assert (g_str_equal (ours_text, theirs_text));

  return 0;
}
