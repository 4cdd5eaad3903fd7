/* waybill-tracking-number.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-tracking-number"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "waybill-tracking-number.h"

/* Where the rules come from (all public):
 *  - UPS 1Z: the UPS check digit as documented in UPS's developer guides and
 *    implemented alike by every open-source tracking library;
 *  - FedEx: weights 1,3,7 modulo 11 for Express, GS1 modulo 10 for Ground
 *    and the 96 barcodes, the SmartPost/Ground Economy IMpb with its "92";
 *  - USPS: Publication 199 (IMpb), modulo 10 with weights 3 and 1;
 *  - UPU S10: the S10 standard, weights 8 6 4 2 3 5 9 7;
 *  - DHL Express: modulo 7; DHL Paket: the Identcode (weights 4 and 9)
 *    and SSCC (GS1); DPD: ISO/IEC 7064 MOD 37,36 per DPD's label spec;
 *  - GLS: GLS Uni-Box technical documentation, chapter 3.2.1;
 *  - Purolator: Luhn; OnTrac: modulo 10 with weights 1 and 2.
 * The detection below is hand-written rather than a list of regular
 * expressions: it runs on every keystroke of the order editor, so it makes
 * one pass over a string of at most 64 characters and allocates only the
 * results. */

#define DIGIT(c) ((guint) ((c) - '0'))

static const char alphabet36[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

static inline gboolean
is_digits (const char *s,
           gsize       len)
{
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (s[i]))
        return FALSE;
    }

  return TRUE;
}

static inline gboolean
is_letters (const char *s,
            gsize       len)
{
  for (gsize i = 0; i < len; i++)
    {
      if (s[i] < 'A' || s[i] > 'Z')
        return FALSE;
    }

  return TRUE;
}

static inline gboolean
is_alnum (const char *s,
          gsize       len)
{
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (s[i]) && (s[i] < 'A' || s[i] > 'Z'))
        return FALSE;
    }

  return TRUE;
}

static inline gboolean
has_prefix (const char *s,
            gsize       len,
            const char *prefix)
{
  gsize prefix_len = strlen (prefix);

  return len >= prefix_len && memcmp (s, prefix, prefix_len) == 0;
}

/* Check-digit arithmetic.  These take bodies already known to be of the
 * right characters; the public wrappers further down check that. */

/* GS1: weights 3, 1, 3… from the rightmost digit of the body leftwards.
 * @prefix, when not %NULL, is an application identifier that the check
 * digit covers but the printed number leaves out (USPS "91", FedEx "92"). */
static guint
gs1_expected (const char *prefix,
              const char *body,
              gsize       len)
{
  guint sum = 0;
  guint pos = 0;

  for (gsize i = len; i > 0; i--, pos++)
    sum += DIGIT (body[i - 1]) * ((pos & 1) ? 1 : 3);

  if (prefix != NULL)
    {
      for (gsize i = strlen (prefix); i > 0; i--, pos++)
        sum += DIGIT (prefix[i - 1]) * ((pos & 1) ? 1 : 3);
    }

  return (10 - sum % 10) % 10;
}

static inline gboolean
gs1_ok (const char *prefix,
        const char *number,
        gsize       len)
{
  return len >= 2 && gs1_expected (prefix, number, len - 1) == DIGIT (number[len - 1]);
}

/* UPS maps letters to digits with (code - 3) mod 10: A is 2, I is 0, S is 0. */
static inline guint
ups_value (char c)
{
  return g_ascii_isdigit (c) ? DIGIT (c) : (guint) (c - 3) % 10;
}

static guint
ups_expected (const char *body)
{
  guint sum = 0;

  for (guint i = 0; i < 15; i++)
    sum += ups_value (body[i]) * ((i & 1) ? 2 : 1);

  return (10 - sum % 10) % 10;
}

static guint
s10_expected (const char *serial)
{
  static const guint8 weights[8] = { 8, 6, 4, 2, 3, 5, 9, 7 };
  guint sum = 0;
  guint check;

  for (guint i = 0; i < 8; i++)
    sum += DIGIT (serial[i]) * weights[i];

  check = 11 - sum % 11;
  if (check == 10)
    check = 0;
  else if (check == 11)
    check = 5;

  return check;
}

/* The body read as one (arbitrarily long) number, modulo 7. */
static guint
mod7_expected (const char *body,
               gsize       len)
{
  guint rest = 0;

  for (gsize i = 0; i < len; i++)
    rest = (rest * 10 + DIGIT (body[i])) % 7;

  return rest;
}

static guint
fedex_expected (const char *body,
                gsize       len)
{
  static const guint8 weights[3] = { 1, 3, 7 };
  guint sum = 0;
  guint pos = 0;

  for (gsize i = len; i > 0; i--, pos++)
    sum += DIGIT (body[i - 1]) * weights[pos % 3];

  return sum % 11 % 10;
}

static inline guint
alnum_value (char c)
{
  return g_ascii_isdigit (c) ? DIGIT (c) : (guint) (c - 'A') + 10;
}

/* ISO/IEC 7064 hybrid system with M = 36: P starts at M; for each
 * character S = (P mod 37) + value, P = ((S mod 36) or 36) × 2; the check
 * character brings the final sum to 1 modulo 36. */
static guint
iso7064_expected (const char *body,
                  gsize       len)
{
  guint p = 36;

  for (gsize i = 0; i < len; i++)
    {
      guint s = (p % 37 + alnum_value (body[i])) % 36;

      p = (s == 0 ? 36 : s) * 2;
    }

  return (37 - p % 37) % 36;
}

static guint
identcode_expected (const char *body,
                    gsize       len)
{
  guint sum = 0;

  for (gsize i = 0; i < len; i++)
    sum += DIGIT (body[i]) * ((i & 1) ? 9 : 4);

  return (10 - sum % 10) % 10;
}

static guint
gls_expected (const char *body,
              gsize       len)
{
  guint sum = 1;

  for (gsize i = 0; i < len; i++)
    sum += DIGIT (body[i]) * ((i & 1) ? 1 : 3);

  return (10 - sum % 10) % 10;
}

static guint
luhn_expected (const char *body,
               gsize       len)
{
  guint sum = 0;
  guint pos = 0;

  for (gsize i = len; i > 0; i--, pos++)
    {
      guint d = DIGIT (body[i - 1]);

      if ((pos & 1) == 0)
        {
          d *= 2;
          if (d > 9)
            d -= 9;
        }
      sum += d;
    }

  return (10 - sum % 10) % 10;
}

/* @body is the letter and the 13 digits after it. */
static guint
ontrac_expected (const char *body)
{
  guint sum = body[0] == 'C' ? 4 : 5;

  for (guint i = 1; i < 14; i++)
    sum += DIGIT (body[i]) * ((i & 1) ? 2 : 1);

  return (10 - sum % 10) % 10;
}

/* Public check-digit functions. */

static inline gboolean
digits_ok (const char *number,
           gsize      *len,
           gsize       min_len)
{
  *len = strlen (number);
  return *len >= min_len && *len <= WAYBILL_TRACKING_NUMBER_MAX_LENGTH && is_digits (number, *len);
}

/**
 * waybill_check_gs1_mod10:
 * @number: digits, the last one the check digit
 *
 * GS1 modulo 10: USPS IMpb and legacy numbers, SSCC, FedEx Ground, Canada
 * Post, DHL Paket's 20-digit numbers.
 *
 * Returns: whether the check digit is right
 */
gboolean
waybill_check_gs1_mod10 (const char *number)
{
  gsize len;

  g_return_val_if_fail (number != NULL, FALSE);

  return digits_ok (number, &len, 2) && gs1_ok (NULL, number, len);
}

/**
 * waybill_check_gs1_mod10_compute:
 * @body: digits
 *
 * Returns: the GS1 check digit of @body, or '\0' if @body is not digits
 */
char
waybill_check_gs1_mod10_compute (const char *body)
{
  gsize len;

  g_return_val_if_fail (body != NULL, '\0');

  if (!digits_ok (body, &len, 1))
    return '\0';

  return (char) ('0' + gs1_expected (NULL, body, len));
}

/**
 * waybill_check_ups:
 * @number: a UPS "1Z" number of 18 characters
 *
 * Returns: whether the check digit is right
 */
gboolean
waybill_check_ups (const char *number)
{
  g_return_val_if_fail (number != NULL, FALSE);

  return strlen (number) == 18 &&
         number[0] == '1' && number[1] == 'Z' &&
         is_alnum (number + 2, 15) &&
         g_ascii_isdigit (number[17]) &&
         ups_expected (number + 2) == DIGIT (number[17]);
}

/**
 * waybill_check_ups_compute:
 * @body: the 15 characters after "1Z"
 *
 * Returns: the check digit, or '\0' if @body is not 15 digits or letters
 */
char
waybill_check_ups_compute (const char *body)
{
  g_return_val_if_fail (body != NULL, '\0');

  if (strlen (body) != 15 || !is_alnum (body, 15))
    return '\0';

  return (char) ('0' + ups_expected (body));
}

/**
 * waybill_check_s10:
 * @number: a UPU S10 item identifier such as "RB123456785GB"
 *
 * Only the check digit is verified; whether the country code exists is a
 * matter for waybill_tracking_number_detect().
 *
 * Returns: whether the check digit is right
 */
gboolean
waybill_check_s10 (const char *number)
{
  g_return_val_if_fail (number != NULL, FALSE);

  return strlen (number) == 13 &&
         is_letters (number, 2) &&
         is_digits (number + 2, 9) &&
         is_letters (number + 11, 2) &&
         s10_expected (number + 2) == DIGIT (number[10]);
}

/**
 * waybill_check_s10_compute:
 * @body: the eight serial digits
 *
 * Returns: the check digit, or '\0' if @body is not eight digits
 */
char
waybill_check_s10_compute (const char *body)
{
  g_return_val_if_fail (body != NULL, '\0');

  if (strlen (body) != 8 || !is_digits (body, 8))
    return '\0';

  return (char) ('0' + s10_expected (body));
}

/**
 * waybill_check_dhl_mod7:
 * @number: a DHL Express waybill number
 *
 * Returns: whether the check digit is right
 */
gboolean
waybill_check_dhl_mod7 (const char *number)
{
  gsize len;

  g_return_val_if_fail (number != NULL, FALSE);

  return digits_ok (number, &len, 2) &&
         mod7_expected (number, len - 1) == DIGIT (number[len - 1]);
}

/**
 * waybill_check_dhl_mod7_compute:
 * @body: digits
 *
 * Returns: the check digit, or '\0' if @body is not digits
 */
char
waybill_check_dhl_mod7_compute (const char *body)
{
  gsize len;

  g_return_val_if_fail (body != NULL, '\0');

  if (!digits_ok (body, &len, 1))
    return '\0';

  return (char) ('0' + mod7_expected (body, len));
}

/**
 * waybill_check_fedex_mod11:
 * @number: a FedEx Express number
 *
 * Returns: whether the check digit is right
 */
gboolean
waybill_check_fedex_mod11 (const char *number)
{
  gsize len;

  g_return_val_if_fail (number != NULL, FALSE);

  return digits_ok (number, &len, 2) &&
         fedex_expected (number, len - 1) == DIGIT (number[len - 1]);
}

/**
 * waybill_check_fedex_mod11_compute:
 * @body: digits
 *
 * Returns: the check digit, or '\0' if @body is not digits
 */
char
waybill_check_fedex_mod11_compute (const char *body)
{
  gsize len;

  g_return_val_if_fail (body != NULL, '\0');

  if (!digits_ok (body, &len, 1))
    return '\0';

  return (char) ('0' + fedex_expected (body, len));
}

/**
 * waybill_check_iso7064_mod37_36:
 * @number: digits and upper-case letters, the last one the check character
 *
 * Returns: whether the check character is right
 */
gboolean
waybill_check_iso7064_mod37_36 (const char *number)
{
  gsize len;

  g_return_val_if_fail (number != NULL, FALSE);

  len = strlen (number);
  return len >= 2 && len <= WAYBILL_TRACKING_NUMBER_MAX_LENGTH &&
         is_alnum (number, len) &&
         alphabet36[iso7064_expected (number, len - 1)] == number[len - 1];
}

/**
 * waybill_check_iso7064_mod37_36_compute:
 * @body: digits and upper-case letters
 *
 * Returns: the check character, or '\0' if @body has other characters
 */
char
waybill_check_iso7064_mod37_36_compute (const char *body)
{
  gsize len;

  g_return_val_if_fail (body != NULL, '\0');

  len = strlen (body);
  if (len < 1 || len > WAYBILL_TRACKING_NUMBER_MAX_LENGTH || !is_alnum (body, len))
    return '\0';

  return alphabet36[iso7064_expected (body, len)];
}

/**
 * waybill_check_dhl_identcode:
 * @number: a DHL Paket Identcode (12 digits) or Leitcode (14 digits)
 *
 * Returns: whether the check digit is right
 */
gboolean
waybill_check_dhl_identcode (const char *number)
{
  gsize len;

  g_return_val_if_fail (number != NULL, FALSE);

  return digits_ok (number, &len, 2) &&
         identcode_expected (number, len - 1) == DIGIT (number[len - 1]);
}

/**
 * waybill_check_dhl_identcode_compute:
 * @body: digits
 *
 * Returns: the check digit, or '\0' if @body is not digits
 */
char
waybill_check_dhl_identcode_compute (const char *body)
{
  gsize len;

  g_return_val_if_fail (body != NULL, '\0');

  if (!digits_ok (body, &len, 1))
    return '\0';

  return (char) ('0' + identcode_expected (body, len));
}

/**
 * waybill_check_gls:
 * @number: a GLS parcel number (11 digits and the check digit)
 *
 * Returns: whether the check digit is right
 */
gboolean
waybill_check_gls (const char *number)
{
  gsize len;

  g_return_val_if_fail (number != NULL, FALSE);

  return digits_ok (number, &len, 2) &&
         gls_expected (number, len - 1) == DIGIT (number[len - 1]);
}

/**
 * waybill_check_gls_compute:
 * @body: digits
 *
 * Returns: the check digit, or '\0' if @body is not digits
 */
char
waybill_check_gls_compute (const char *body)
{
  gsize len;

  g_return_val_if_fail (body != NULL, '\0');

  if (!digits_ok (body, &len, 1))
    return '\0';

  return (char) ('0' + gls_expected (body, len));
}

/**
 * waybill_check_luhn:
 * @number: digits, the last one the check digit
 *
 * Returns: whether the check digit is right
 */
gboolean
waybill_check_luhn (const char *number)
{
  gsize len;

  g_return_val_if_fail (number != NULL, FALSE);

  return digits_ok (number, &len, 2) &&
         luhn_expected (number, len - 1) == DIGIT (number[len - 1]);
}

/**
 * waybill_check_luhn_compute:
 * @body: digits
 *
 * Returns: the check digit, or '\0' if @body is not digits
 */
char
waybill_check_luhn_compute (const char *body)
{
  gsize len;

  g_return_val_if_fail (body != NULL, '\0');

  if (!digits_ok (body, &len, 1))
    return '\0';

  return (char) ('0' + luhn_expected (body, len));
}

static inline gboolean
is_ontrac_body (const char *s)
{
  return (s[0] == 'C' || s[0] == 'D') && is_digits (s + 1, 13);
}

/**
 * waybill_check_ontrac:
 * @number: an OnTrac number: "C" or "D" and 14 digits
 *
 * Returns: whether the check digit is right
 */
gboolean
waybill_check_ontrac (const char *number)
{
  g_return_val_if_fail (number != NULL, FALSE);

  return strlen (number) == 15 &&
         is_ontrac_body (number) &&
         g_ascii_isdigit (number[14]) &&
         ontrac_expected (number) == DIGIT (number[14]);
}

/**
 * waybill_check_ontrac_compute:
 * @body: "C" or "D" and 13 digits
 *
 * Returns: the check digit, or '\0' if @body is not of that form
 */
char
waybill_check_ontrac_compute (const char *body)
{
  g_return_val_if_fail (body != NULL, '\0');

  if (strlen (body) != 14 || !is_ontrac_body (body))
    return '\0';

  return (char) ('0' + ontrac_expected (body));
}

/* Verdicts. */

/**
 * waybill_check_digit_to_string:
 * @check_digit: a verdict
 *
 * Returns: "none", "valid" or "invalid", as the command line prints it
 */
const char *
waybill_check_digit_to_string (WaybillCheckDigit check_digit)
{
  switch (check_digit)
    {
    case WAYBILL_CHECK_DIGIT_NONE:
      return "none";
    case WAYBILL_CHECK_DIGIT_VALID:
      return "valid";
    case WAYBILL_CHECK_DIGIT_INVALID:
      return "invalid";
    default:
      g_return_val_if_reached ("none");
    }
}

/**
 * waybill_check_digit_get_label:
 * @check_digit: a verdict
 *
 * Returns: a short translated description of the verdict, for the user
 */
const char *
waybill_check_digit_get_label (WaybillCheckDigit check_digit)
{
  switch (check_digit)
    {
    case WAYBILL_CHECK_DIGIT_NONE:
      return _("No check digit");
    case WAYBILL_CHECK_DIGIT_VALID:
      return _("Check digit correct");
    case WAYBILL_CHECK_DIGIT_INVALID:
      return _("Check digit wrong: the number is mistyped");
    default:
      g_return_val_if_reached ("");
    }
}

/* Normalisation. */

/* Characters that only separate groups of a printed or pasted number, and
 * those that are invisible: removed.  Everything else that is not a letter
 * or a digit makes the input garbage. */
static gboolean
is_separator (gunichar c)
{
  switch (c)
    {
    case 0x00B7: /* middle dot */
    case 0x2022: /* bullet */
    case 0x2024: /* one dot leader */
    case 0x2027: /* hyphenation point */
    case 0x2212: /* minus sign */
    case 0x3002: /* ideographic full stop */
    case 0x30FB: /* katakana middle dot */
    case 0xFF08: /* fullwidth parentheses */
    case 0xFF09:
    case 0xFF0E: /* fullwidth full stop */
    case 0xFF61: /* halfwidth ideographic full stop */
    case 0xFF65: /* halfwidth katakana middle dot */
      return TRUE;
    default:
      break;
    }

  switch (g_unichar_type (c))
    {
    case G_UNICODE_CONTROL:
    case G_UNICODE_FORMAT:              /* zero-width space and joiners, BOM, soft hyphen, bidi marks */
    case G_UNICODE_SPACE_SEPARATOR:     /* no-break and ideographic spaces */
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
    case G_UNICODE_DASH_PUNCTUATION:    /* hyphens, en and em dashes */
      return TRUE;
    default:
      return FALSE;
    }
}

/* Writes the normalised form of @input into @out, which has room for
 * WAYBILL_TRACKING_NUMBER_MAX_LENGTH characters and a NUL.  Returns FALSE
 * for garbage: invalid UTF-8, a character that is neither a letter, a digit
 * nor a separator, or more characters than any tracking number has. */
static gboolean
normalize_into (const char *input,
                char       *out,
                guint      *out_len)
{
  const char *p = input;
  guint n = 0;

  out[0] = '\0';
  *out_len = 0;

  while (*p != '\0')
    {
      guchar c = (guchar) *p;
      gunichar uc;
      char keep = '\0';

      if (c < 0x80)
        {
          if (g_ascii_isdigit (c) || g_ascii_isupper (c))
            keep = (char) c;
          else if (g_ascii_islower (c))
            keep = g_ascii_toupper (c);
          else if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || g_ascii_iscntrl (c))
            keep = '\0';   /* A separator; "(" and ")" come from GS1 texts such as "(00)…". */
          else if (c == '%' && n == 0)
            keep = '\0';   /* DPD's barcode data starts with '%'. */
          else if (c == ']' && n == 0 && g_ascii_isalpha (p[1]) && g_ascii_isdigit (p[2]))
            {
              /* A scanner's AIM symbology identifier, such as "]C1". */
              p += 3;
              continue;
            }
          else
            return FALSE;

          p++;
        }
      else
        {
          uc = g_utf8_get_char_validated (p, -1);
          if (uc == (gunichar) -1 || uc == (gunichar) -2)
            return FALSE;
          p = g_utf8_next_char (p);

          /* Full-width forms, as East Asian input methods type them. */
          if (uc >= 0xFF10 && uc <= 0xFF19)
            keep = (char) ('0' + (uc - 0xFF10));
          else if (uc >= 0xFF21 && uc <= 0xFF3A)
            keep = (char) ('A' + (uc - 0xFF21));
          else if (uc >= 0xFF41 && uc <= 0xFF5A)
            keep = (char) ('A' + (uc - 0xFF41));
          else if (!is_separator (uc))
            return FALSE;
        }

      if (keep != '\0')
        {
          if (n == WAYBILL_TRACKING_NUMBER_MAX_LENGTH)
            return FALSE;
          out[n++] = keep;
        }
    }

  out[n] = '\0';
  *out_len = n;

  return TRUE;
}

/**
 * waybill_tracking_number_normalize:
 * @input: a tracking number as typed, pasted or scanned
 *
 * Removes spaces, dashes, dots, parentheses, control and invisible
 * characters, and upper-cases letters; full-width digits and letters become
 * ASCII.  A leading '%' (DPD barcodes) and a scanner's symbology identifier
 * ("]C1") are dropped.  Scanner forms are not shortened here: that is
 * waybill_tracking_number_detect()'s job, per carrier.
 *
 * Returns: (transfer full): the normalised number, never %NULL; "" when
 *   @input holds any other character, is not UTF-8, or is longer than
 *   %WAYBILL_TRACKING_NUMBER_MAX_LENGTH letters and digits
 */
char *
waybill_tracking_number_normalize (const char *input)
{
  char buffer[WAYBILL_TRACKING_NUMBER_MAX_LENGTH + 1];
  guint len;

  g_return_val_if_fail (input != NULL, g_strdup (""));

  if (!normalize_into (input, buffer, &len))
    return g_strdup ("");

  return g_strndup (buffer, len);
}

/* Recognition. */

/* Ranks order candidates with the same verdict: lower is more specific. */
enum {
  RANK_PREFIX_STRONG = 10,   /* "1Z", S10, "TBA", the 420 and 96 barcodes */
  RANK_CONSOLIDATOR = 15,    /* an IMpb whose mailer is known */
  RANK_PREFIX = 20,
  RANK_IMPB = 25,
  RANK_PREFIX_WEAK = 30,
  RANK_LENGTH = 40,          /* digits only, told apart by length */
  RANK_LENGTH_WEAK = 60,
  RANK_GUESS = 80,
};

#define MAX_MATCHES 8

typedef struct
{
  const char *carrier_id;
  const char *format;
  WaybillCheckDigit check_digit;
  guint rank;
  guint order;
  /* The tracked number, as a slice of the normalised string. */
  guint offset;
  guint length;
} Match;

typedef struct
{
  const char *s;
  guint len;
  Match matches[MAX_MATCHES];
  guint n_matches;
} Detection;

static inline WaybillCheckDigit
verdict (gboolean valid)
{
  return valid ? WAYBILL_CHECK_DIGIT_VALID : WAYBILL_CHECK_DIGIT_INVALID;
}

static void
add_match (Detection         *d,
           const char        *carrier_id,
           const char        *format,
           guint              rank,
           WaybillCheckDigit  check_digit,
           guint              offset,
           guint              length)
{
  Match *m;

  g_assert (d->n_matches < MAX_MATCHES);
  g_assert (offset + length <= d->len);

  m = &d->matches[d->n_matches];
  m->carrier_id = carrier_id;
  m->format = format;
  m->rank = rank;
  m->order = d->n_matches;
  m->check_digit = check_digit;
  m->offset = offset;
  m->length = length;
  d->n_matches++;
}

static inline void
add_whole (Detection         *d,
           const char        *carrier_id,
           const char        *format,
           guint              rank,
           WaybillCheckDigit  check_digit)
{
  add_match (d, carrier_id, format, rank, check_digit, 0, d->len);
}

static inline gboolean
is_impb_start (const char *s)
{
  return s[0] == '9' && s[1] >= '1' && s[1] <= '5';
}

/* An Intelligent Mail package barcode number (91…95 and 20–34 digits).
 * USPS delivers them all; consolidators whose mailer ids are known are
 * offered first. */
static void
detect_impb (Detection *d,
             guint      offset,
             guint      len)
{
  const char *s = d->s + offset;
  WaybillCheckDigit check = verdict (gs1_ok (NULL, s, len));

  if (len == 22)
    {
      /* DHL eCommerce Americas: mailer ids 699035 (six digits, "93") and
       * 931487032 (nine digits, "92"), and its "93612…" and "94748…"
       * ranges. */
      if (has_prefix (s, len, "93612") || has_prefix (s, len, "94748") ||
          (has_prefix (s, len, "93") && memcmp (s + 5, "699035", 6) == 0) ||
          (has_prefix (s, len, "92") && memcmp (s + 5, "931487032", 9) == 0))
        add_match (d, "dhl-ecommerce", "dhl-ecommerce-impb", RANK_CONSOLIDATOR, check, offset, len);
      /* FedEx SmartPost / Ground Economy: "92" and service type 612. */
      else if (has_prefix (s, len, "92612"))
        add_match (d, "fedex", "fedex-smartpost-22", RANK_CONSOLIDATOR, check, offset, len);
    }

  add_match (d, "usps", "usps-impb", RANK_IMPB, check, offset, len);
}

/* "420" + ZIP (5 or 9 digits) + IMpb: the routing prefix a scanner reads
 * from a USPS label.  Returns FALSE when the rest is not an IMpb. */
static gboolean
detect_usps_routing (Detection *d)
{
  static const guint zip_lengths[] = { 9, 5 };
  gboolean found = FALSE;
  gboolean found_valid = FALSE;
  guint found_offset = 0;

  for (guint i = 0; i < G_N_ELEMENTS (zip_lengths); i++)
    {
      guint offset = 3 + zip_lengths[i];
      guint rest;
      gboolean valid;

      if (offset + 20 > d->len)
        continue;

      rest = d->len - offset;
      if (rest > 34 || !is_impb_start (d->s + offset))
        continue;

      valid = gs1_ok (NULL, d->s + offset, rest);
      if (!found || (valid && !found_valid))
        {
          found = TRUE;
          found_valid = valid;
          found_offset = offset;
        }
    }

  if (found)
    detect_impb (d, found_offset, d->len - found_offset);

  return found;
}

/* Strips the leading zeros of a FedEx barcode's tail, down to the 12 digits
 * of an Express number. */
static void
add_fedex_tail (Detection  *d,
                const char *format)
{
  /* The last 14 digits are a 13-digit serial and its check digit. */
  guint offset = d->len - 14;
  WaybillCheckDigit check = verdict (fedex_expected (d->s + offset, 13) == DIGIT (d->s[d->len - 1]));

  while (offset < d->len - 12 && d->s[offset] == '0')
    offset++;

  add_match (d, "fedex", format, RANK_PREFIX_STRONG, check, offset, d->len - offset);
}

/* DPD: 14 digits and the ISO 7064 check character, or the 27 digits of the
 * parcel barcode (postcode, parcel number, service, country) and its check
 * character.  The parcel number is what DPD tracks. */
static void
detect_dpd_with_check (Detection *d)
{
  const char *s = d->s;
  guint n = d->len;

  if ((n != 15 && n != 28) || !is_digits (s, n - 1) || !is_alnum (s + n - 1, 1))
    return;

  add_match (d, "dpd", n == 15 ? "dpd-15" : "dpd-barcode-28", RANK_LENGTH + 5,
             verdict (alphabet36[iso7064_expected (s, n - 1)] == s[n - 1]),
             n == 15 ? 0 : 7, 14);
}

static void
detect_numeric (Detection *d)
{
  const char *s = d->s;
  guint n = d->len;

  if (n >= 28 && has_prefix (s, n, "420") && detect_usps_routing (d))
    return;

  if (n >= 20 && n <= 34 && is_impb_start (s))
    detect_impb (d, 0, n);

  switch (n)
    {
    case 10:
      add_whole (d, "dhl-express", "dhl-express-10", RANK_LENGTH - 10,
                 verdict (mod7_expected (s, 9) == DIGIT (s[9])));
      break;

    case 11:
      add_whole (d, "dhl-express", "dhl-express-11", RANK_LENGTH,
                 verdict (mod7_expected (s, 10) == DIGIT (s[10])));
      /* A GLS parcel number as shown without its check digit. */
      add_whole (d, "gls", "gls-11", RANK_LENGTH_WEAK + 10, WAYBILL_CHECK_DIGIT_NONE);
      break;

    case 12:
      add_whole (d, "fedex", "fedex-express-12", RANK_LENGTH,
                 verdict (fedex_expected (s, 11) == DIGIT (s[11])));
      add_whole (d, "dhl-parcel-de", "dhl-paket-identcode-12", RANK_LENGTH + 5,
                 verdict (identcode_expected (s, 11) == DIGIT (s[11])));
      add_whole (d, "gls", "gls-12", RANK_LENGTH + 10,
                 verdict (gls_expected (s, 11) == DIGIT (s[11])));
      if (s[0] <= '5')
        add_whole (d, "purolator", "purolator-12", RANK_LENGTH + 15,
                   verdict (luhn_expected (s, 11) == DIGIT (s[11])));
      break;

    case 14:
      /* Printed without its check character. */
      add_whole (d, "dpd", "dpd-14", RANK_LENGTH + 10, WAYBILL_CHECK_DIGIT_NONE);
      break;

    case 15:
      add_whole (d, "fedex", "fedex-ground-15", RANK_LENGTH, verdict (gs1_ok (NULL, s, n)));
      break;

    case 16:
      add_whole (d, "canada-post", "canada-post-16", RANK_LENGTH, verdict (gs1_ok (NULL, s, n)));
      break;

    case 18:
      add_whole (d, "fedex", "fedex-sscc-18", RANK_LENGTH_WEAK, verdict (gs1_ok (NULL, s, n)));
      break;

    case 20:
      if (is_impb_start (s))
        break;
      if (has_prefix (s, n, "00"))
        {
          /* "00" and an SSCC: DHL Paket's 20-digit numbers (00340434…). */
          add_whole (d, "dhl-parcel-de", "dhl-paket-sscc-20", RANK_PREFIX_WEAK,
                     verdict (gs1_ok (NULL, s, n)));
          break;
        }
      if (has_prefix (s, n, "6129") || has_prefix (s, n, "7489"))
        {
          /* SmartPost's number without the "92" its check digit covers. */
          add_whole (d, "fedex", "fedex-smartpost-20", RANK_PREFIX_WEAK,
                     verdict (gs1_ok ("92", s, n)));
        }
      /* Legacy USPS numbers: some check digits cover the "91" application
       * identifier of their barcode, some do not. */
      add_whole (d, "usps", "usps-20", RANK_LENGTH + 10,
                 verdict (gs1_ok (NULL, s, n) || gs1_ok ("91", s, n)));
      break;

    case 22:
      if (has_prefix (s, n, "96"))
        {
          /* FedEx Ground barcode: "96", two digits, service, then the
           * 15-digit Ground number. */
          add_match (d, "fedex", "fedex-ground-96-22", RANK_PREFIX_STRONG,
                     verdict (gs1_ok (NULL, s + 7, 15)), 7, 15);
        }
      break;

    case 27:
      if (!is_impb_start (s))
        add_match (d, "dpd", "dpd-barcode-27", RANK_PREFIX_WEAK, WAYBILL_CHECK_DIGIT_NONE, 7, 14);
      break;

    case 34:
      if (has_prefix (s, n, "96"))
        add_fedex_tail (d, "fedex-ground-96-34");
      else if (!is_impb_start (s) && !has_prefix (s, n, "420"))
        add_fedex_tail (d, "fedex-express-34");
      break;

    default:
      break;
    }

  detect_dpd_with_check (d);
}

/* ISO 3166-1 alpha-2 codes (and XK), one row per first letter, one bit per
 * second letter. */
static const guint32 country_codes[26] = {
  0x2df5978, 0x36f7bfb, 0x3f27ded, 0x2005610, 0x00e00d4, 0x0025700, 0x15fb9fb,
  0x01a3400, 0x00f7818, 0x000d010, 0x342b1d0, 0x13e0507, 0x3fffcfd, 0x212c975,
  0x0001000, 0x14e3cf1, 0x0000001, 0x0544010, 0x3ae7fdf, 0x26a7eec, 0x3041041,
  0x0102155, 0x0040020, 0x0000400, 0x0080010, 0x0401001,
};

static inline gboolean
is_country_code (const char *code)
{
  return (country_codes[code[0] - 'A'] >> (code[1] - 'A')) & 1;
}

static void
detect_s10 (Detection *d)
{
  const char *s = d->s;
  const WaybillCarrier *post;
  char country[3];

  if (!is_letters (s, 2) || !is_digits (s + 2, 9) || !is_letters (s + 11, 2) ||
      !is_country_code (s + 11))
    return;

  country[0] = s[11];
  country[1] = s[12];
  country[2] = '\0';

  post = waybill_carrier_for_country (country);

  /* Parcels ("C" service indicators) from Germany travel with DHL Paket,
   * Deutsche Post's parcel network. */
  if (s[0] == 'C' && country[0] == 'D' && country[1] == 'E')
    add_whole (d, "dhl-parcel-de", "s10", RANK_PREFIX_STRONG - 1,
               verdict (s10_expected (s + 2) == DIGIT (s[10])));

  add_whole (d,
             post != NULL ? waybill_carrier_get_id (post) : WAYBILL_CARRIER_INTERNATIONAL_POST,
             "s10", RANK_PREFIX_STRONG,
             verdict (s10_expected (s + 2) == DIGIT (s[10])));
}

/* Counts the letters at the start of @s. */
static guint
count_letters (const char *s,
               guint       len)
{
  guint i = 0;

  while (i < len && s[i] >= 'A' && s[i] <= 'Z')
    i++;

  return i;
}

static void
detect_alphanumeric (Detection *d)
{
  const char *s = d->s;
  guint n = d->len;
  guint letters = count_letters (s, n);
  gboolean digits_after_letters = is_digits (s + letters, n - letters);

  if (n == 18 && has_prefix (s, n, "1Z"))
    {
      add_whole (d, "ups", "ups-1z", RANK_PREFIX_STRONG,
                 verdict (g_ascii_isdigit (s[17]) && ups_expected (s + 2) == DIGIT (s[17])));
      return;
    }

  if (n == 13)
    detect_s10 (d);

  /* Amazon Logistics (US, Canada, Mexico). */
  if (letters == 3 && has_prefix (s, n, "TB") && (s[2] == 'A' || s[2] == 'C' || s[2] == 'M') &&
      n >= 12 && n <= 18 && digits_after_letters)
    add_whole (d, "amazon", "amazon-tba", RANK_PREFIX_STRONG, WAYBILL_CHECK_DIGIT_NONE);

  if (n == 15 && is_ontrac_body (s) && g_ascii_isdigit (s[14]))
    add_whole (d, "ontrac", "ontrac", RANK_PREFIX,
               verdict (ontrac_expected (s) == DIGIT (s[14])));

  /* LaserShip: "LX" and 8 digits, "1LS" and 12 to 14 digits. */
  if (n == 10 && letters == 2 && has_prefix (s, n, "LX") && digits_after_letters)
    add_whole (d, "lasership", "lasership-lx", RANK_PREFIX, WAYBILL_CHECK_DIGIT_NONE);
  if (n >= 15 && n <= 17 && has_prefix (s, n, "1LS") && is_digits (s + 3, n - 3))
    add_whole (d, "lasership", "lasership-1ls", RANK_PREFIX, WAYBILL_CHECK_DIGIT_NONE);

  /* DHL license plates: "JJD" and "JVGL" piece ids, used by DHL Express
   * and by DHL Paket; "JD" and 18 digits, DHL Express. */
  if ((letters == 3 && has_prefix (s, n, "JJD") && n >= 13 && n <= 25 && digits_after_letters) ||
      (letters == 4 && has_prefix (s, n, "JVGL") && n >= 10 && n <= 24 && digits_after_letters))
    {
      add_whole (d, "dhl-express", "dhl-license-plate", RANK_PREFIX, WAYBILL_CHECK_DIGIT_NONE);
      add_whole (d, "dhl-parcel-de", "dhl-license-plate", RANK_PREFIX + 5, WAYBILL_CHECK_DIGIT_NONE);
    }
  if (n == 20 && letters == 2 && has_prefix (s, n, "JD") && digits_after_letters)
    add_whole (d, "dhl-express", "dhl-express-jd", RANK_PREFIX, WAYBILL_CHECK_DIGIT_NONE);

  /* DHL eCommerce: a two-letter prefix and 10 to 39 digits. */
  if (letters == 2 && n >= 12 && n <= 41 && digits_after_letters)
    {
      static const char prefixes[][3] = {
        "GM", "LX", "RX", "UV", "CN", "SG", "TH", "IN", "HK", "MY",
      };

      for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
        {
          if (s[0] == prefixes[i][0] && s[1] == prefixes[i][1])
            {
              add_whole (d, "dhl-ecommerce", "dhl-ecommerce", RANK_PREFIX_WEAK,
                         WAYBILL_CHECK_DIGIT_NONE);
              break;
            }
        }
    }

  /* FedEx door tags: "DT" and a 12-digit number with the Express check. */
  if (n == 14 && letters == 2 && has_prefix (s, n, "DT") && digits_after_letters)
    add_whole (d, "fedex", "fedex-door-tag", RANK_PREFIX,
               verdict (fedex_expected (s + 2, 11) == DIGIT (s[13])));

  /* UPS Mail Innovations: "MI", the six-digit customer number, then the
   * shipper's id of up to 22 letters and digits. */
  if (n >= 9 && n <= 30 && has_prefix (s, n, "MI") && is_digits (s + 2, 6))
    add_whole (d, "ups", "ups-mail-innovations", RANK_PREFIX, WAYBILL_CHECK_DIGIT_NONE);

  /* UPS numbers of a letter and ten digits (InfoNotice, freight). */
  if (n == 11 && letters == 1 && strchr ("AFHJKMQTW", s[0]) != NULL && digits_after_letters)
    add_whole (d, "ups", "ups-letter-10", RANK_LENGTH_WEAK, WAYBILL_CHECK_DIGIT_NONE);

  /* Evri: 16 characters starting with "H". */
  if (n == 16 && s[0] == 'H' && letters < n)
    add_whole (d, "evri", "evri-16", RANK_LENGTH, WAYBILL_CHECK_DIGIT_NONE);

  /* PostNL (and DHL Parcel Benelux) "3S" codes: customer code and serial. */
  if (n >= 11 && n <= 22 && has_prefix (s, n, "3S"))
    {
      guint customer = count_letters (s + 2, n - 2);

      if ((customer == 3 || customer == 4) && is_digits (s + 2 + customer, n - 2 - customer) &&
          n - 2 - customer >= 5)
        add_whole (d, "postnl", "postnl-3s", RANK_PREFIX, WAYBILL_CHECK_DIGIT_NONE);
    }

  /* Colissimo (La Poste): a digit, a letter and 11 digits. */
  if (n == 13 && g_ascii_isdigit (s[0]) && s[1] >= 'A' && s[1] <= 'Z' && is_digits (s + 2, 11))
    add_whole (d, "la-poste", "colissimo-13", RANK_LENGTH, WAYBILL_CHECK_DIGIT_NONE);

  /* Purolator: three letters and nine digits. */
  if (n == 12 && letters == 3 && digits_after_letters)
    add_whole (d, "purolator", "purolator-alpha", RANK_LENGTH_WEAK, WAYBILL_CHECK_DIGIT_NONE);

  /* GLS Track ID: eight letters and digits, both present. */
  if (n == 8 && letters < n && !is_digits (s, n))
    add_whole (d, "gls", "gls-track-id", RANK_GUESS, WAYBILL_CHECK_DIGIT_NONE);

  detect_dpd_with_check (d);
}

static int
verdict_order (WaybillCheckDigit check_digit)
{
  switch (check_digit)
    {
    case WAYBILL_CHECK_DIGIT_VALID:
      return 0;
    case WAYBILL_CHECK_DIGIT_NONE:
      return 1;
    case WAYBILL_CHECK_DIGIT_INVALID:
    default:
      return 2;
    }
}

/* A number whose check digit is right for a carrier is that carrier's far
 * more likely than a format without check digit, which is more likely than
 * a format whose check digit fails.  Then the more specific format first. */
static int
compare_matches (const Match *a,
                 const Match *b)
{
  int diff = verdict_order (a->check_digit) - verdict_order (b->check_digit);

  if (diff != 0)
    return diff;
  if (a->rank != b->rank)
    return a->rank < b->rank ? -1 : 1;
  return (int) a->order - (int) b->order;
}

static void
sort_matches (Detection *d)
{
  /* Insertion sort: there are at most a handful. */
  for (guint i = 1; i < d->n_matches; i++)
    {
      Match m = d->matches[i];
      guint j = i;

      while (j > 0 && compare_matches (&m, &d->matches[j - 1]) < 0)
        {
          d->matches[j] = d->matches[j - 1];
          j--;
        }
      d->matches[j] = m;
    }
}

static void
detect_normalized (Detection *d)
{
  if (d->len == 0)
    return;

  if (is_digits (d->s, d->len))
    detect_numeric (d);
  else
    detect_alphanumeric (d);

  sort_matches (d);
}

/**
 * waybill_tracking_candidate_copy:
 * @candidate: a candidate
 *
 * Returns: (transfer full): a copy of @candidate
 */
WaybillTrackingCandidate *
waybill_tracking_candidate_copy (const WaybillTrackingCandidate *candidate)
{
  WaybillTrackingCandidate *copy;

  g_return_val_if_fail (candidate != NULL, NULL);

  copy = g_new0 (WaybillTrackingCandidate, 1);
  copy->carrier = candidate->carrier;
  copy->check_digit = candidate->check_digit;
  copy->number = g_strdup (candidate->number);
  copy->format = candidate->format;

  return copy;
}

/**
 * waybill_tracking_candidate_free:
 * @candidate: (nullable): a candidate
 *
 * Frees a candidate and its number.
 */
void
waybill_tracking_candidate_free (WaybillTrackingCandidate *candidate)
{
  if (candidate == NULL)
    return;

  g_free (candidate->number);
  g_free (candidate);
}

/**
 * waybill_tracking_number_detect:
 * @input: a tracking number as typed, pasted or scanned
 * @out_normalized: (out) (optional) (transfer full): the normalised input,
 *   as waybill_tracking_number_normalize() returns it
 *
 * Recognises the carriers whose formats @input fits, and checks each
 * format's check digit.  A number can fit several carriers (twelve digits
 * are FedEx Express, a DHL Paket Identcode, a GLS or a Purolator number):
 * every candidate is returned, a valid check digit first, then formats
 * without a check digit, then failing check digits; within each group the
 * more specific format first.  A carrier appears at most once.
 *
 * Cheap enough for every keystroke: one pass over at most 64 characters,
 * and allocations only for the results.
 *
 * Returns: (transfer full) (element-type WaybillTrackingCandidate): the
 *   candidates, possibly none; the array frees them
 */
GPtrArray *
waybill_tracking_number_detect (const char  *input,
                                char       **out_normalized)
{
  char buffer[WAYBILL_TRACKING_NUMBER_MAX_LENGTH + 1];
  Detection d = { 0 };
  GPtrArray *candidates;

  g_return_val_if_fail (input != NULL, NULL);

  if (!normalize_into (input, buffer, &d.len))
    {
      buffer[0] = '\0';
      d.len = 0;
    }
  d.s = buffer;

  detect_normalized (&d);

  candidates = g_ptr_array_new_full (d.n_matches, (GDestroyNotify) waybill_tracking_candidate_free);

  for (guint i = 0; i < d.n_matches; i++)
    {
      const Match *m = &d.matches[i];
      const WaybillCarrier *carrier = waybill_carrier_lookup (m->carrier_id);
      WaybillTrackingCandidate *candidate;
      gboolean seen = FALSE;

      g_assert (carrier != NULL);

      for (guint j = 0; j < candidates->len && !seen; j++)
        seen = ((WaybillTrackingCandidate *) g_ptr_array_index (candidates, j))->carrier == carrier;
      if (seen)
        continue;

      candidate = g_new0 (WaybillTrackingCandidate, 1);
      candidate->carrier = carrier;
      candidate->check_digit = m->check_digit;
      candidate->number = g_strndup (d.s + m->offset, m->length);
      candidate->format = m->format;
      g_ptr_array_add (candidates, candidate);
    }

  if (out_normalized != NULL)
    *out_normalized = g_strndup (d.s, d.len);

  return candidates;
}

/**
 * waybill_tracking_number_verify:
 * @input: a tracking number as typed, pasted or scanned
 * @carrier: the carrier the number is said to belong to
 *
 * Reads @input as a number of @carrier, for when the carrier is known
 * already (chosen by the user, or imported with the number).
 *
 * Returns: (transfer full) (nullable): the candidate for @carrier, or
 *   %NULL when @input fits none of @carrier's formats
 */
WaybillTrackingCandidate *
waybill_tracking_number_verify (const char           *input,
                                const WaybillCarrier *carrier)
{
  g_autoptr(GPtrArray) candidates = NULL;

  g_return_val_if_fail (input != NULL, NULL);
  g_return_val_if_fail (carrier != NULL, NULL);

  candidates = waybill_tracking_number_detect (input, NULL);

  for (guint i = 0; i < candidates->len; i++)
    {
      WaybillTrackingCandidate *candidate = g_ptr_array_index (candidates, i);

      if (candidate->carrier == carrier)
        return g_ptr_array_steal_index (candidates, i);
    }

  return NULL;
}

/**
 * waybill_tracking_candidates_pick:
 * @candidates: (element-type WaybillTrackingCandidate): candidates from
 *   waybill_tracking_number_detect()
 *
 * Chooses the carrier to fill in without asking: the only candidate, or
 * the only one whose check digit does not fail.  The pick may itself have a
 * failing check digit (when it is the only candidate): callers refuse it.
 *
 * Returns: (transfer none) (nullable): the candidate, or %NULL when there
 *   is none or the choice is ambiguous
 */
const WaybillTrackingCandidate *
waybill_tracking_candidates_pick (GPtrArray *candidates)
{
  const WaybillTrackingCandidate *pick = NULL;

  g_return_val_if_fail (candidates != NULL, NULL);

  if (candidates->len == 1)
    return g_ptr_array_index (candidates, 0);

  for (guint i = 0; i < candidates->len; i++)
    {
      const WaybillTrackingCandidate *candidate = g_ptr_array_index (candidates, i);

      if (candidate->check_digit == WAYBILL_CHECK_DIGIT_INVALID)
        continue;
      if (pick != NULL)
        return NULL;
      pick = candidate;
    }

  return pick;
}
