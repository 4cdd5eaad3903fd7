/* fuzz-helpers.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for the text every adapter reads: times, Retry-After
 * and rate-limit headers, free text and locations.
 */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "carriers/waybill-tracker-private.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const char * const needles[] = { "zustellung", "return", NULL };
  static const char * const headers[] = {
    "Retry-After", "RateLimit-Reset", "X-RateLimit-Reset", "RateLimit",
  };
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(GDateTime) time = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_utc (2024, 1, 1, 0, 0, 0);
  g_autofree char *folded = NULL;
  g_autofree char *clean = NULL;
  g_autoptr(GString) location = g_string_new ("PARAMUS");
  gboolean is_local;

  time = waybill_parse_iso8601 (text, &is_local);
  folded = waybill_text_fold (text);
  (void) waybill_text_has_any (folded, needles);
  clean = waybill_text_clean (text);
  waybill_location_append (location, text);

  for (guint i = 0; i < G_N_ELEMENTS (headers); i++)
    {
      g_autoptr(SoupMessageHeaders) h = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);

      if (!g_utf8_validate (text, -1, NULL) || strpbrk (text, "\r\n") != NULL)
        break;
      soup_message_headers_append (h, headers[i], text);
      g_assert (waybill_http_parse_retry_after (h, now) <= WAYBILL_TRACKER_MAX_RETRY_AFTER);
    }

  return 0;
}
