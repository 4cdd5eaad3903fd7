/* test-tracking-number.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "waybill-tracking-number.h"

/* Test data: numbers from carriers' public documentation and API samples,
 * from the S10 standard's own example, and from the public test suites of
 * open tracking-number libraries.  Each valid number is followed by the
 * same number with one digit changed, which must fail. */

#define V WAYBILL_CHECK_DIGIT_VALID
#define I WAYBILL_CHECK_DIGIT_INVALID
#define N WAYBILL_CHECK_DIGIT_NONE

typedef struct
{
  const char *input;
  const char *carrier;
  WaybillCheckDigit check_digit;
  /* The number the carrier tracks; NULL when it is the normalised input. */
  const char *number;
} Case;

static char *
describe (const WaybillTrackingCandidate *candidate)
{
  if (candidate == NULL)
    return g_strdup ("(no candidate)");

  return g_strdup_printf ("%s/%s/%s",
                          waybill_carrier_get_id (candidate->carrier),
                          waybill_check_digit_to_string (candidate->check_digit),
                          candidate->number);
}

static char *
describe_all (GPtrArray *candidates)
{
  GString *all = g_string_new ("[");

  for (guint i = 0; i < candidates->len; i++)
    {
      g_autofree char *one = describe (g_ptr_array_index (candidates, i));

      g_string_append_printf (all, "%s%s", i > 0 ? " " : "", one);
    }
  g_string_append_c (all, ']');

  return g_string_free (all, FALSE);
}

static const WaybillTrackingCandidate *
find_candidate (GPtrArray  *candidates,
                const char *carrier_id)
{
  for (guint i = 0; i < candidates->len; i++)
    {
      const WaybillTrackingCandidate *candidate = g_ptr_array_index (candidates, i);

      if (g_strcmp0 (waybill_carrier_get_id (candidate->carrier), carrier_id) == 0)
        return candidate;
    }

  return NULL;
}

/* Checks that @c's input has a candidate for @c's carrier with the right
 * verdict and number.  Comparing strings makes a failure print what was
 * found instead. */
static void
check_case (const Case *c)
{
  g_autoptr(GPtrArray) candidates = NULL;
  g_autofree char *normalized = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *found = NULL;
  const WaybillTrackingCandidate *candidate;

  candidates = waybill_tracking_number_detect (c->input, &normalized);
  candidate = find_candidate (candidates, c->carrier);

  expected = g_strdup_printf ("%s: %s/%s/%s", c->input, c->carrier,
                              waybill_check_digit_to_string (c->check_digit),
                              c->number != NULL ? c->number : normalized);
  if (candidate != NULL)
    {
      g_autofree char *one = describe (candidate);

      found = g_strdup_printf ("%s: %s", c->input, one);
    }
  else
    {
      g_autofree char *all = describe_all (candidates);

      found = g_strdup_printf ("%s: no %s in %s", c->input, c->carrier, all);
    }

  g_assert_cmpstr (found, ==, expected);
  g_assert_nonnull (candidate->format);
}

static void
check_cases (const Case *cases,
             gsize       n_cases)
{
  for (gsize i = 0; i < n_cases; i++)
    check_case (&cases[i]);
}

/* The first candidate, for numbers that fit a single carrier best. */
static void
check_first (const char *input,
             const char *carrier_id)
{
  g_autoptr(GPtrArray) candidates = waybill_tracking_number_detect (input, NULL);
  g_autofree char *all = describe_all (candidates);
  g_autofree char *first = NULL;
  g_autofree char *expected = g_strdup_printf ("%s: %s", input, carrier_id);

  g_assert_cmpuint (candidates->len, >, 0);
  first = g_strdup_printf ("%s: %s", input,
                           waybill_carrier_get_id (((WaybillTrackingCandidate *) g_ptr_array_index (candidates, 0))->carrier));
  if (g_strcmp0 (first, expected) != 0)
    g_test_message ("candidates of %s: %s", input, all);
  g_assert_cmpstr (first, ==, expected);
}

static void
check_no_candidate (const char *input)
{
  g_autoptr(GPtrArray) candidates = waybill_tracking_number_detect (input, NULL);
  g_autofree char *all = describe_all (candidates);

  g_assert_cmpstr (all, ==, "[]");
}

/* Verdicts and their names. */

static void
test_check_digit_strings (void)
{
  g_assert_cmpstr (waybill_check_digit_to_string (WAYBILL_CHECK_DIGIT_NONE), ==, "none");
  g_assert_cmpstr (waybill_check_digit_to_string (WAYBILL_CHECK_DIGIT_VALID), ==, "valid");
  g_assert_cmpstr (waybill_check_digit_to_string (WAYBILL_CHECK_DIGIT_INVALID), ==, "invalid");

  g_assert_cmpstr (waybill_check_digit_get_label (WAYBILL_CHECK_DIGIT_NONE), !=, "");
  g_assert_cmpstr (waybill_check_digit_get_label (WAYBILL_CHECK_DIGIT_VALID), !=, "");
  g_assert_cmpstr (waybill_check_digit_get_label (WAYBILL_CHECK_DIGIT_INVALID), !=, "");
}

/* Normalisation. */

static void
test_normalize (void)
{
  static const struct {
    const char *input;
    const char *output;
  } cases[] = {
    { "1Z5R89390357567127", "1Z5R89390357567127" },
    { "1z 5r8 939 0357 5671 27", "1Z5R89390357567127" },
    { "  9400-1112-0254-4843-6103-64\n", "9400111202544843610364" },
    { "0414.4176.0228.964", "041441760228964" },
    { "rb 123 456 785 gb", "RB123456785GB" },
    { "(00) 3 4043463 992127887 0", "00340434639921278870" },
    { "9400\t1112\r\n0254", "940011120254" },
    /* No-break, thin and ideographic spaces, en and em dashes, minus sign. */
    { "1Z\u00a05R89\u2009390\u30003575\u20136712\u20147", "1Z5R89390357567127" },
    { "3318\u2212810025", "3318810025" },
    /* Invisible characters: zero-width space, joiner, BOM, soft hyphen,
     * left-to-right mark. */
    { "\ufeff33\u200b18\u200d81\u00ad00\u200e25", "3318810025" },
    /* Full-width digits and letters. */
    { "\uff32\uff22\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff15\uff47\uff42", "RB123456785GB" },
    /* Middle dots and full stops. */
    { "3318\u00b7810\u3002025", "3318810025" },
    /* A barcode scanner: AIM symbology identifier, GS1 group separator,
     * DPD's leading '%'. */
    { "]C1420221539101026837331000039521", "420221539101026837331000039521" },
    { "42022153\x1d" "9101026837331000039521", "420221539101026837331000039521" },
    { "%008182709980000020033350276", "008182709980000020033350276" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *output = waybill_tracking_number_normalize (cases[i].input);

      g_assert_cmpstr (output, ==, cases[i].output);
    }
}

static void
test_normalize_garbage (void)
{
  static const char * const garbage[] = {
    "",
    " ",
    "- - - . . .",
    "\t\n\r\v\f",
    "\x01\x02\x03\x1b\x7f",
    "\u200b\u200c\u200d\ufeff",
    "-\u2013\u2014\u00a0.",
    "héllo",
    "1Z5R8939035756712\u00e9",
    "Tracking #: 1Z5R89390357567127",
    "1Z5R8939/0357567127",
    ("\xff\xfe" "1234567890"),
    "12345\xc3",
    "\xf0\x9f\x93\xa6 3318810025",
    "\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669\u0660",
    "ß",
    "%",
    "]C1",
  };
  g_autofree char *long_digits = NULL;
  g_autofree char *long_spaces = NULL;
  g_autofree char *at_limit = NULL;
  g_autofree char *over_limit = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (garbage); i++)
    {
      g_autofree char *normalized = waybill_tracking_number_normalize (garbage[i]);
      g_autoptr(GPtrArray) candidates = NULL;
      char *out = NULL;

      g_assert_cmpstr (normalized, ==, "");

      candidates = waybill_tracking_number_detect (garbage[i], &out);
      g_assert_nonnull (candidates);
      g_assert_cmpuint (candidates->len, ==, 0);
      g_assert_cmpstr (out, ==, "");
      g_free (out);
    }

  /* 10 kB of digits is no tracking number, nor are 10 kB of spaces. */
  long_digits = g_strnfill (10 * 1024, '7');
  long_spaces = g_strnfill (10 * 1024, ' ');
  for (guint i = 0; i < 2; i++)
    {
      const char *input = i == 0 ? long_digits : long_spaces;
      g_autofree char *normalized = waybill_tracking_number_normalize (input);
      g_autoptr(GPtrArray) candidates = waybill_tracking_number_detect (input, NULL);

      g_assert_cmpstr (normalized, ==, "");
      g_assert_cmpuint (candidates->len, ==, 0);
    }

  /* The limit itself. */
  at_limit = g_strnfill (WAYBILL_TRACKING_NUMBER_MAX_LENGTH, 'A');
  over_limit = g_strnfill (WAYBILL_TRACKING_NUMBER_MAX_LENGTH + 1, 'A');
  {
    g_autofree char *a = waybill_tracking_number_normalize (at_limit);
    g_autofree char *b = waybill_tracking_number_normalize (over_limit);

    g_assert_cmpstr (a, ==, at_limit);
    g_assert_cmpstr (b, ==, "");
  }
}

/* Detection must survive anything typed, one keystroke at a time, since the
 * order editor runs it on every change. */
static void
test_every_keystroke (void)
{
  static const char * const typed[] = {
    "1Z 5R8 939 0357 5671 27",
    "420 22153 9101 0268 3733 1000 0395 21",
    "1001921334250001000300779017972697",
    "RB123456785GB",
    "008182709980000020033350276C",
    "JJD1410302937991",
    "\u00e9\u200b-\x01%]C",
  };

  for (guint i = 0; i < G_N_ELEMENTS (typed); i++)
    {
      gsize len = strlen (typed[i]);

      for (gsize j = 0; j <= len; j++)
        {
          g_autofree char *prefix = g_strndup (typed[i], j);
          g_autoptr(GPtrArray) candidates = NULL;
          g_autofree char *normalized = NULL;

          candidates = waybill_tracking_number_detect (prefix, &normalized);
          g_assert_nonnull (candidates);
          g_assert_nonnull (normalized);
          g_assert_cmpuint (candidates->len, <=, 8);
        }
    }

  /* Every byte value once, and random bytes. */
  for (guint b = 1; b < 256; b++)
    {
      char input[4] = { '1', (char) b, '2', '\0' };
      g_autoptr(GPtrArray) candidates = waybill_tracking_number_detect (input, NULL);

      g_assert_nonnull (candidates);
    }
  for (guint round = 0; round < 200; round++)
    {
      char input[40];
      g_autoptr(GPtrArray) candidates = NULL;

      for (guint k = 0; k < sizeof input - 1; k++)
        input[k] = (char) g_test_rand_int_range (1, 256);
      input[sizeof input - 1] = '\0';
      candidates = waybill_tracking_number_detect (input, NULL);
      g_assert_nonnull (candidates);
    }
}

/* Each check-digit algorithm on its own. */

static void
test_gs1_mod10 (void)
{
  /* SSCC, USPS and FedEx Ground numbers. */
  g_assert_true (waybill_check_gs1_mod10 ("00340434639921278870"));
  g_assert_true (waybill_check_gs1_mod10 ("9400111202544843610364"));
  g_assert_true (waybill_check_gs1_mod10 ("041441760228964"));
  g_assert_true (waybill_check_gs1_mod10 ("0073938000549297"));
  g_assert_false (waybill_check_gs1_mod10 ("00340434639921278871"));
  g_assert_false (waybill_check_gs1_mod10 ("9400111202544843620364"));
  g_assert_false (waybill_check_gs1_mod10 ("041441760228974"));

  g_assert_cmpint (waybill_check_gs1_mod10_compute ("0034043463992127887"), ==, '0');
  g_assert_cmpint (waybill_check_gs1_mod10_compute ("940011120254484361036"), ==, '4');
  /* GS1's own worked example: SSCC 1061414119283746 5 → 7. */
  g_assert_cmpint (waybill_check_gs1_mod10_compute ("10614141192837465"), ==, '7');

  g_assert_false (waybill_check_gs1_mod10 (""));
  g_assert_false (waybill_check_gs1_mod10 ("7"));
  g_assert_false (waybill_check_gs1_mod10 ("12A4"));
  g_assert_cmpint (waybill_check_gs1_mod10_compute (""), ==, '\0');
  g_assert_cmpint (waybill_check_gs1_mod10_compute ("12 4"), ==, '\0');
}

static void
test_ups_algorithm (void)
{
  g_assert_true (waybill_check_ups ("1Z5R89390357567127"));
  g_assert_true (waybill_check_ups ("1Z879E930346834440"));
  g_assert_true (waybill_check_ups ("1ZXX3150YW44070023"));
  g_assert_false (waybill_check_ups ("1Z5R89390357567128"));
  g_assert_false (waybill_check_ups ("1Z5R89390357667127"));
  g_assert_false (waybill_check_ups ("1Z1111111111111111"));
  g_assert_false (waybill_check_ups ("2Z5R89390357567127"));
  g_assert_false (waybill_check_ups ("1Z5R8939035756712"));
  g_assert_false (waybill_check_ups ("1Z5R8939035756712X"));

  g_assert_cmpint (waybill_check_ups_compute ("5R8939035756712"), ==, '7');
  g_assert_cmpint (waybill_check_ups_compute ("XX3150YW4407002"), ==, '3');
  g_assert_cmpint (waybill_check_ups_compute ("5R89390357567"), ==, '\0');
  g_assert_cmpint (waybill_check_ups_compute ("5R8939035756-12"), ==, '\0');
}

static void
test_s10_algorithm (void)
{
  /* The S10 standard's example and real items. */
  g_assert_true (waybill_check_s10 ("RB123456785GB"));
  g_assert_true (waybill_check_s10 ("LA680658838NL"));
  g_assert_true (waybill_check_s10 ("LY396870931DE"));
  g_assert_false (waybill_check_s10 ("RB123456786GB"));
  g_assert_false (waybill_check_s10 ("LA680658738NL"));
  g_assert_false (waybill_check_s10 ("RB12345678GB"));
  g_assert_false (waybill_check_s10 ("R1123456785GB"));

  g_assert_cmpint (waybill_check_s10_compute ("12345678"), ==, '5');
  g_assert_cmpint (waybill_check_s10_compute ("68065883"), ==, '8');
  g_assert_cmpint (waybill_check_s10_compute ("39687093"), ==, '1');
  g_assert_cmpint (waybill_check_s10_compute ("1234567"), ==, '\0');

  /* The special remainders.  00000000 sums to 0: 11 - 0 = 11 gives 5.
   * 02000000 sums to 2 × 6 = 12, remainder 1: 11 - 1 = 10 gives 0.
   * 10000000 sums to 8: 3.  00000003 sums to 21, remainder 10: 1.
   * 00000010 sums to 9: 2.  00100000 sums to 4: 7. */
  g_assert_cmpint (waybill_check_s10_compute ("00000000"), ==, '5');
  g_assert_cmpint (waybill_check_s10_compute ("10000000"), ==, '3');
  g_assert_cmpint (waybill_check_s10_compute ("00000003"), ==, '1');
  g_assert_cmpint (waybill_check_s10_compute ("00000010"), ==, '2');
  g_assert_cmpint (waybill_check_s10_compute ("00100000"), ==, '7');
  g_assert_cmpint (waybill_check_s10_compute ("02000000"), ==, '0');
}

static void
test_dhl_mod7_algorithm (void)
{
  g_assert_true (waybill_check_dhl_mod7 ("3318810025"));
  g_assert_true (waybill_check_dhl_mod7 ("8487135506"));
  g_assert_true (waybill_check_dhl_mod7 ("73891051146"));
  g_assert_false (waybill_check_dhl_mod7 ("3318810010"));
  g_assert_false (waybill_check_dhl_mod7 ("3318810034"));
  g_assert_false (waybill_check_dhl_mod7 ("3318820025"));
  /* A check digit of 7, 8 or 9 can never be right. */
  g_assert_false (waybill_check_dhl_mod7 ("3318810027"));

  g_assert_cmpint (waybill_check_dhl_mod7_compute ("331881002"), ==, '5');
  g_assert_cmpint (waybill_check_dhl_mod7_compute ("7389105114"), ==, '6');
  /* Longer than any integer type: the remainder is computed digit by digit. */
  g_assert_cmpint (waybill_check_dhl_mod7_compute ("99999999999999999999999999999"), ==, '4');
  g_assert_cmpint (waybill_check_dhl_mod7_compute ("33188A002"), ==, '\0');
}

static void
test_fedex_mod11_algorithm (void)
{
  g_assert_true (waybill_check_fedex_mod11 ("986578788855"));
  g_assert_true (waybill_check_fedex_mod11 ("123456789012"));
  g_assert_true (waybill_check_fedex_mod11 ("128667043726"));
  g_assert_true (waybill_check_fedex_mod11 ("0779017972697"));
  g_assert_false (waybill_check_fedex_mod11 ("996578788855"));
  g_assert_false (waybill_check_fedex_mod11 ("123456789013"));
  g_assert_false (waybill_check_fedex_mod11 ("128667053726"));

  g_assert_cmpint (waybill_check_fedex_mod11_compute ("98657878885"), ==, '5');
  g_assert_cmpint (waybill_check_fedex_mod11_compute ("12345678901"), ==, '2');
  /* A remainder of 10 gives 0: 7 × 1 + 1 × 3 = 10. */
  g_assert_cmpint (waybill_check_fedex_mod11_compute ("17"), ==, '0');
  g_assert_cmpint (waybill_check_fedex_mod11_compute ("1234x"), ==, '\0');
}

static void
test_iso7064_algorithm (void)
{
  /* DPD's parcel label specification examples. */
  g_assert_true (waybill_check_iso7064_mod37_36 ("008182709980000020033350276C"));
  g_assert_true (waybill_check_iso7064_mod37_36 ("008182709980000020045327276N"));
  g_assert_true (waybill_check_iso7064_mod37_36 ("01015026003653C"));
  g_assert_false (waybill_check_iso7064_mod37_36 ("008182709980000020033350276A"));
  g_assert_false (waybill_check_iso7064_mod37_36 ("008182709980000020045000000N"));
  g_assert_false (waybill_check_iso7064_mod37_36 ("01015026003663C"));

  g_assert_cmpint (waybill_check_iso7064_mod37_36_compute ("008182709980000020033350276"), ==, 'C');
  g_assert_cmpint (waybill_check_iso7064_mod37_36_compute ("01015026003653"), ==, 'C');
  g_assert_cmpint (waybill_check_iso7064_mod37_36_compute ("0101502600365a"), ==, '\0');
}

static void
test_identcode_algorithm (void)
{
  /* DHL Paket Identcode examples: a label, and Lobster's documentation. */
  g_assert_true (waybill_check_dhl_identcode ("201298452277"));
  g_assert_true (waybill_check_dhl_identcode ("428001369716"));
  g_assert_true (waybill_check_dhl_identcode ("123456789016"));
  g_assert_false (waybill_check_dhl_identcode ("201298452278"));
  g_assert_false (waybill_check_dhl_identcode ("428001469716"));

  g_assert_cmpint (waybill_check_dhl_identcode_compute ("42800136971"), ==, '6');
  g_assert_cmpint (waybill_check_dhl_identcode_compute ("12345678901"), ==, '6');
  g_assert_cmpint (waybill_check_dhl_identcode_compute ("20129845227"), ==, '7');
  g_assert_cmpint (waybill_check_dhl_identcode_compute ("2012984522X"), ==, '\0');
}

static void
test_gls_algorithm (void)
{
  /* 12345678901: 3+2+9+4+15+6+21+8+27+0+3 = 98, plus one is 99: 1. */
  g_assert_cmpint (waybill_check_gls_compute ("12345678901"), ==, '1');
  g_assert_true (waybill_check_gls ("123456789011"));
  g_assert_false (waybill_check_gls ("123456789012"));
  g_assert_false (waybill_check_gls ("123456789111"));
  /* The "plus one" is what tells it from GS1. */
  g_assert_false (waybill_check_gs1_mod10 ("123456789011"));
  g_assert_cmpint (waybill_check_gls_compute ("1234567890x"), ==, '\0');
}

static void
test_luhn_algorithm (void)
{
  /* Purolator PINs. */
  g_assert_true (waybill_check_luhn ("320595463938"));
  g_assert_true (waybill_check_luhn ("287809468872"));
  g_assert_true (waybill_check_luhn ("331434972567"));
  g_assert_false (waybill_check_luhn ("320595463939"));
  g_assert_false (waybill_check_luhn ("287809468875"));
  g_assert_false (waybill_check_luhn ("331434982567"));
  /* The textbook example. */
  g_assert_true (waybill_check_luhn ("79927398713"));
  g_assert_cmpint (waybill_check_luhn_compute ("7992739871"), ==, '3');
  g_assert_cmpint (waybill_check_luhn_compute ("7992-39871"), ==, '\0');
}

static void
test_ontrac_algorithm (void)
{
  g_assert_true (waybill_check_ontrac ("C11031500001879"));
  g_assert_true (waybill_check_ontrac ("C10999911320231"));
  g_assert_true (waybill_check_ontrac ("D10011354453707"));
  g_assert_true (waybill_check_ontrac ("D10011342332145"));
  g_assert_false (waybill_check_ontrac ("C11031500001889"));
  g_assert_false (waybill_check_ontrac ("C10000000000000"));
  g_assert_false (waybill_check_ontrac ("D10011342332144"));
  g_assert_false (waybill_check_ontrac ("E10011342332145"));

  g_assert_cmpint (waybill_check_ontrac_compute ("C1103150000187"), ==, '9');
  g_assert_cmpint (waybill_check_ontrac_compute ("D1001134598301"), ==, '0');
  g_assert_cmpint (waybill_check_ontrac_compute ("X1103150000187"), ==, '\0');
}

/* The algorithms that catch every single wrong digit do so. */
static void
test_single_digit_errors (void)
{
  static const struct {
    gboolean (*check) (const char *number);
    const char *number;
  } numbers[] = {
    { waybill_check_gs1_mod10, "9400111202544843610364" },
    { waybill_check_gs1_mod10, "00340433836442636597" },
    { waybill_check_gs1_mod10, "0073938000549297" },
    { waybill_check_gls, "123456789011" },
    { waybill_check_luhn, "320606146993" },
    { waybill_check_iso7064_mod37_36, "008182709980000020045327276N" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    {
      g_autofree char *copy = g_strdup (numbers[i].number);
      gsize len = strlen (copy);

      g_assert_true (numbers[i].check (copy));

      for (gsize pos = 0; pos < len; pos++)
        {
          char original = copy[pos];

          if (!g_ascii_isdigit (original))
            continue;

          for (char digit = '0'; digit <= '9'; digit++)
            {
              if (digit == original)
                continue;
              copy[pos] = digit;
              if (numbers[i].check (copy))
                g_error ("%s passes with one digit changed", copy);
            }
          copy[pos] = original;
        }
    }
}

/* Every _compute() gives a check digit that its check accepts. */
static void
test_compute_round_trip (void)
{
  static const struct {
    gboolean (*check) (const char *number);
    char (*compute) (const char *body);
    guint length;
    const char *first;
  } algorithms[] = {
    { waybill_check_gs1_mod10, waybill_check_gs1_mod10_compute, 21, NULL },
    { waybill_check_dhl_mod7, waybill_check_dhl_mod7_compute, 9, NULL },
    { waybill_check_fedex_mod11, waybill_check_fedex_mod11_compute, 11, NULL },
    { waybill_check_iso7064_mod37_36, waybill_check_iso7064_mod37_36_compute, 14, NULL },
    { waybill_check_dhl_identcode, waybill_check_dhl_identcode_compute, 11, NULL },
    { waybill_check_gls, waybill_check_gls_compute, 11, NULL },
    { waybill_check_luhn, waybill_check_luhn_compute, 11, NULL },
    { waybill_check_ontrac, waybill_check_ontrac_compute, 13, "C" },
    { waybill_check_ontrac, waybill_check_ontrac_compute, 13, "D" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (algorithms); i++)
    {
      for (guint round = 0; round < 100; round++)
        {
          GString *body = g_string_new (algorithms[i].first);
          g_autofree char *number = NULL;
          char check;

          for (guint k = 0; k < algorithms[i].length; k++)
            g_string_append_c (body, (char) ('0' + g_test_rand_int_range (0, 10)));

          check = algorithms[i].compute (body->str);
          g_assert_cmpint (check, !=, '\0');
          number = g_strdup_printf ("%s%c", body->str, check);
          g_assert_true (algorithms[i].check (number));
          g_string_free (body, TRUE);
        }
    }

  /* UPS and S10 bodies sit inside their numbers. */
  for (guint round = 0; round < 100; round++)
    {
      static const char chars[] = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ";
      char ups_body[16];
      char s10_body[9];
      g_autofree char *ups = NULL;
      g_autofree char *s10 = NULL;

      for (guint k = 0; k < 15; k++)
        ups_body[k] = chars[g_test_rand_int_range (0, sizeof chars - 1)];
      ups_body[15] = '\0';
      for (guint k = 0; k < 8; k++)
        s10_body[k] = (char) ('0' + g_test_rand_int_range (0, 10));
      s10_body[8] = '\0';

      ups = g_strdup_printf ("1Z%s%c", ups_body, waybill_check_ups_compute (ups_body));
      s10 = g_strdup_printf ("RR%s%cGB", s10_body, waybill_check_s10_compute (s10_body));
      g_assert_true (waybill_check_ups (ups));
      g_assert_true (waybill_check_s10 (s10));
    }
}

/* Recognition, carrier by carrier. */

static void
test_ups (void)
{
  static const Case cases[] = {
    { "1Z5R89390357567127", "ups", V, NULL },
    { "1Z879E930346834440", "ups", V, NULL },
    { "1Z410E7W0392751591", "ups", V, NULL },
    { "1Z8V92A70367203024", "ups", V, NULL },
    { "1ZXX3150YW44070023", "ups", V, NULL },   /* SurePost */
    { "1Z1442YY7229014688", "ups", V, NULL },   /* UPS Track API samples */
    { "1Z023E2X0214323462", "ups", V, NULL },
    { " 1 Z 8 V 9 2 A 7 0 3 6 7 2 0 3 0 2 4 ", "ups", V, "1Z8V92A70367203024" },
    { "1z879e930346834440", "ups", V, "1Z879E930346834440" },
    { "1Z5R89390357567128", "ups", I, NULL },
    { "1Z879E930346844440", "ups", I, NULL },
    { "1Z410E7W0392752591", "ups", I, NULL },
    { "1Z1442YY7229014788", "ups", I, NULL },
    { "1Z023E2X0214323463", "ups", I, NULL },
    { "1Z1111111111111111", "ups", I, NULL },
    /* Mail Innovations and the letter-and-ten-digits forms: no check digit. */
    { "MI123456ABC123DEF", "ups", N, NULL },
    { "T1234567890", "ups", N, NULL },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
  check_first ("1Z5R89390357567127", "ups");
  check_no_candidate ("2Z5R89390357567127");
  check_no_candidate ("1A5R89390357567127");
}

static void
test_fedex (void)
{
  static const Case cases[] = {
    /* Express, 12 digits. */
    { "986578788855", "fedex", V, NULL },
    { "477179081230", "fedex", V, NULL },
    { "799531274483", "fedex", V, NULL },
    { "790535312317", "fedex", V, NULL },
    { "974367662710", "fedex", V, NULL },
    { "128667043726", "fedex", V, NULL },   /* FedEx Track API samples */
    { "399368623212", "fedex", V, NULL },
    { "738488882438", "fedex", V, NULL },
    { "123456789012", "fedex", V, NULL },
    { "7905 3531 2317", "fedex", V, "790535312317" },
    { "996578788855", "fedex", I, NULL },
    { "477179081231", "fedex", I, NULL },
    { "799531374483", "fedex", I, NULL },
    { "128667043727", "fedex", I, NULL },
    { "399368623213", "fedex", I, NULL },
    { "738488882538", "fedex", I, NULL },
    /* Ground, 15 digits. */
    { "0414 4176 0228 964", "fedex", V, "041441760228964" },
    { "5682 8361 0012 000", "fedex", V, "568283610012000" },
    { "5682 8361 0012 734", "fedex", V, "568283610012734" },
    { "5682 8361 0012 732", "fedex", I, "568283610012732" },
    { "041441760228954", "fedex", I, NULL },
    /* SSCC-18. */
    { "00 0123 4500 0000 0027", "fedex", V, "000123450000000027" },
    { "000123450000000028", "fedex", I, NULL },
    /* SmartPost / Ground Economy: 20 digits (with the "92" their check
     * digit covers) and the 22-digit IMpb. */
    { "61299998820821171811", "fedex", V, NULL },
    { "61299998820821171812", "fedex", I, NULL },
    { "9261292700768711948021", "fedex", V, NULL },
    { "9261292700768711948020", "fedex", I, NULL },
    /* Door tags. */
    { "DT986578788855", "fedex", V, NULL },
    { "DT986578788856", "fedex", I, NULL },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
  check_first ("986578788855", "fedex");
  check_first ("041441760228964", "fedex");
}

static void
test_fedex_barcodes (void)
{
  static const Case cases[] = {
    /* The 22-digit "96" Ground barcode holds the 15-digit number. */
    { "9611020987654312345672", "fedex", V, "987654312345672" },
    { "96 1102 0987 6543 1234 5672", "fedex", V, "987654312345672" },
    { "9611020987654312345673", "fedex", I, "987654312345673" },
    { "9611020987654412345672", "fedex", I, "987654412345672" },
    /* The 34-digit barcodes hold the 12-digit number at their end. */
    { "1001921334250001000300779017972697", "fedex", V, "779017972697" },
    { "1001921380360001000300639585804382", "fedex", V, "639585804382" },
    { "1001901781990001000300617767839437", "fedex", V, "617767839437" },
    { "1002297871540001000300790695517286", "fedex", V, "790695517286" },
    { "1001901781990001000300617767839438", "fedex", I, "617767839438" },
    { "1002297871540001000300790695527286", "fedex", I, "790695527286" },
    { "9622001900000000000000776632517510", "fedex", V, "776632517510" },
    { "9622001560000000000000794808390594", "fedex", V, "794808390594" },
    { "9622001560001234567100794808390594", "fedex", V, "794808390594" },
    { "9632001560123456789900794808390594", "fedex", V, "794808390594" },
    { "9622001560001234567100794808390595", "fedex", I, "794808390595" },
    { "9622001560001234567100794808390597", "fedex", I, "794808390597" },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
  check_first ("9611020987654312345672", "fedex");
  check_first ("1001921334250001000300779017972697", "fedex");
}

static void
test_usps (void)
{
  static const Case cases[] = {
    /* IMpb, from USPS's API samples and shipment notices. */
    { "9400111202544843610364", "usps", V, NULL },
    { "9400111202544843610609", "usps", V, NULL },
    { "9400115901047177598206", "usps", V, NULL },
    { "9400109104250532908587", "usps", V, NULL },
    { "92419900000033499522966220", "usps", V, NULL },   /* 26 digits */
    { "9505 5110 6960 5048 6006 24", "usps", V, "9505511069605048600624" },
    { "9101 1234 5678 9000 0000 13", "usps", V, "9101123456789000000013" },
    { "92748931507708513018050063", "usps", V, NULL },
    { "9400 1112 0108 0805 4830 16", "usps", V, "9400111201080805483016" },
    { "9361 2898 7870 0317 6337 95", "usps", V, "9361289878700317633795" },
    { "9405803699300124287899", "usps", V, NULL },
    { "9400111202544843610365", "usps", I, NULL },
    { "9400111202544843611609", "usps", I, NULL },
    { "9400109104250532908588", "usps", I, NULL },
    { "92419900000033499522966221", "usps", I, NULL },
    { "9505511069605048700624", "usps", I, NULL },
    { "9200000000000000000000", "usps", I, NULL },
    /* Legacy 20-digit numbers; some check digits cover the "91" of the
     * barcode, some do not. */
    { "0307 1790 0005 2348 3741", "usps", V, "03071790000523483741" },
    { "7112 3456 7891 2345 6787", "usps", V, "71123456789123456787" },
    { "7196 9010 7560 0307 7385", "usps", V, "71969010756003077385" },
    { "0307 1790 0005 2348 3742", "usps", I, "03071790000523483742" },
    { "71969010756003077386", "usps", I, NULL },
    /* International items: S10. */
    { "RB123456785US", "usps", V, NULL },
    { "RB123456786US", "usps", I, NULL },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
  check_first ("9400111202544843610364", "usps");
  check_first ("03071790000523483741", "usps");
}

static void
test_usps_routing (void)
{
  static const Case cases[] = {
    /* "420" + ZIP + IMpb, as a scanner reads it. */
    { "420 22153 9101026837331000039521", "usps", V, "9101026837331000039521" },
    { "4201002334249200190132607600833457", "usps", V, "9200190132607600833457" },
    { "4201028200009261290113185417468510", "usps", V, "9261290113185417468510" },
    { "420941339405511899223428669715", "usps", V, "9405511899223428669715" },
    { "42094107\x1d" "9400111202544843610364", "usps", V, "9400111202544843610364" },
    { "420941071234\x1d" "9400111202544843610364", "usps", V, "9400111202544843610364" },
    { "]C142094107" "9400111202544843610364", "usps", V, "9400111202544843610364" },
    { "4201028200009261290113185417468511", "usps", I, "9261290113185417468511" },
    { "420221539101026837331000039522", "usps", I, "9101026837331000039522" },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
  check_first ("420221539101026837331000039521", "usps");
  /* "420" and a ZIP, then no IMpb. */
  check_no_candidate ("420000000000000000000000000000");
}

static void
test_s10 (void)
{
  static const Case cases[] = {
    { "RB123456785GB", "royal-mail", V, NULL },
    { "RB 123 456 785 GB", "royal-mail", V, "RB123456785GB" },
    { "RB123456785CA", "canada-post", V, NULL },
    { "LA680658838NL", "postnl", V, NULL },
    { "LY396870931DE", "deutsche-post", V, NULL },
    /* German parcels are DHL Paket's, and Deutsche Post's too. */
    { "CX123456785DE", "dhl-parcel-de", V, NULL },
    { "CX123456785DE", "deutsche-post", V, NULL },
    { "RB123456785FR", "la-poste", V, NULL },
    { "RB123456785AU", "australia-post", V, NULL },
    { "RB123456785CN", "china-post", V, NULL },
    { "RB123456785JP", "japan-post", V, NULL },
    { "RB123456785CH", "swiss-post", V, NULL },
    { "RB123456785IT", "poste-italiane", V, NULL },
    { "RB123456785ES", "correos", V, NULL },
    { "RB123456785SE", "postnord", V, NULL },
    { "RB123456785DK", "postnord", V, NULL },
    { "RB123456785IN", "india-post", V, NULL },
    { "RB123456785KR", "korea-post", V, NULL },
    { "RB123456785NZ", "new-zealand-post", V, NULL },
    { "RB123456785IE", "an-post", V, NULL },
    { "RB123456785BE", "bpost", V, NULL },
    { "RB123456785AT", "austrian-post", V, NULL },
    { "RB123456785PL", "polish-post", V, NULL },
    /* A country whose post is not in the table. */
    { "RB123456785CV", "international-post", V, NULL },
    { "RB123456786GB", "royal-mail", I, NULL },
    { "RB123456775CA", "canada-post", I, NULL },
    { "LA680658839NL", "postnl", I, NULL },
    { "LY396870932DE", "deutsche-post", I, NULL },
    { "LY396880931DE", "deutsche-post", I, NULL },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
  check_first ("RB123456785GB", "royal-mail");
  check_first ("CX123456785DE", "dhl-parcel-de");
  check_first ("RX123456785DE", "deutsche-post");
  /* XX is no country. */
  check_no_candidate ("RB123456785XX");
  check_no_candidate ("RB12345678GB");
}

static void
test_dhl_express (void)
{
  static const Case cases[] = {
    { "3318810025", "dhl-express", V, NULL },
    { "8487135506", "dhl-express", V, NULL },
    { "3318810036", "dhl-express", V, NULL },
    { "3318810014", "dhl-express", V, NULL },
    { "1099255990", "dhl-express", V, NULL },
    { "3821724944", "dhl-express", V, NULL },
    { "33 1881 0025", "dhl-express", V, "3318810025" },
    { "73891051146", "dhl-express", V, NULL },
    { "3318810010", "dhl-express", I, NULL },
    { "3318810034", "dhl-express", I, NULL },
    { "3318810011", "dhl-express", I, NULL },
    { "8487136506", "dhl-express", I, NULL },
    { "73891051149", "dhl-express", I, NULL },
    { "73891051147", "dhl-express", I, NULL },
    /* Piece ids: no check digit. */
    { "JJD0099999999", "dhl-express", N, NULL },
    { "JVGL0999999990", "dhl-express", N, NULL },
    { "JD014600003828240987", "dhl-express", N, NULL },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
  check_first ("3318810025", "dhl-express");
  check_first ("JJD0099999999", "dhl-express");
}

static void
test_dhl_paket (void)
{
  static const Case cases[] = {
    { "00340434639921278870", "dhl-parcel-de", V, NULL },
    { "00340433836442636597", "dhl-parcel-de", V, NULL },
    { "(00) 3 4043383 644263659 7", "dhl-parcel-de", V, "00340433836442636597" },
    { "00340434639921278871", "dhl-parcel-de", I, NULL },
    { "00340433836442736597", "dhl-parcel-de", I, NULL },
    /* Identcodes, 12 digits. */
    { "201298452277", "dhl-parcel-de", V, NULL },
    { "428001369716", "dhl-parcel-de", V, NULL },
    { "123456789016", "dhl-parcel-de", V, NULL },
    { "201298452278", "dhl-parcel-de", I, NULL },
    { "428001369726", "dhl-parcel-de", I, NULL },
    /* License plates. */
    { "JJD1410302937991", "dhl-parcel-de", N, NULL },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
  check_first ("00340434639921278870", "dhl-parcel-de");
  check_first ("428001369716", "dhl-parcel-de");
}

static void
test_dhl_ecommerce (void)
{
  static const Case cases[] = {
    { "GM2951173225174494", "dhl-ecommerce", N, NULL },
    { "GM 2 9 5 117 32 25 1 7 44 9 4", "dhl-ecommerce", N, "GM2951173225174494" },
    { "GM295117494011169042", "dhl-ecommerce", N, NULL },
    { "RX1234567890123", "dhl-ecommerce", N, NULL },
    /* IMpb numbers of DHL eCommerce Americas' mailer ids, which USPS
     * delivers: offered as DHL eCommerce first. */
    { "9374869903500930473876", "dhl-ecommerce", V, NULL },
    { "9361269903500576940071", "dhl-ecommerce", V, NULL },
    { "9261293148703201610999", "dhl-ecommerce", V, NULL },
    { "9274893148703201609685", "dhl-ecommerce", V, NULL },
    { "420191429374869903508237399523", "dhl-ecommerce", V, "9374869903508237399523" },
    { "9374869903500930473877", "dhl-ecommerce", I, NULL },
    { "9261293148703201610998", "dhl-ecommerce", I, NULL },
    { "9374869903500930473876", "usps", V, NULL },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
  check_first ("9374869903500930473876", "dhl-ecommerce");
  check_no_candidate ("GS295117494011169041");
}

static void
test_amazon (void)
{
  static const Case cases[] = {
    { "TBA502887274000", "amazon", N, NULL },
    { "TBA000000000000", "amazon", N, NULL },
    { " T B A 0 1 0 0 0 0 0 0 0 0 0 0 ", "amazon", N, "TBA010000000000" },
    { "tbc123456789012", "amazon", N, "TBC123456789012" },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
  check_no_candidate ("TBA50288727400A");
  check_no_candidate ("TBB000000000000");
}

static void
test_ontrac (void)
{
  static const Case cases[] = {
    { "C11031500001879", "ontrac", V, NULL },
    { "C 110 31 500 00187 9", "ontrac", V, "C11031500001879" },
    { "C10999911320231", "ontrac", V, NULL },
    { "C11121552953069", "ontrac", V, NULL },
    { "C11121553156000", "ontrac", V, NULL },
    { "C11121552829468", "ontrac", V, NULL },
    { "D10011354453707", "ontrac", V, NULL },
    { "D10011345983010", "ontrac", V, NULL },
    { "D10011342332145", "ontrac", V, NULL },
    { "C11031500001889", "ontrac", I, NULL },
    { "C10000000000000", "ontrac", I, NULL },
    { "C11121553156001", "ontrac", I, NULL },
    { "D10011345983012", "ontrac", I, NULL },
    { "D10011342332144", "ontrac", I, NULL },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_lasership (void)
{
  static const Case cases[] = {
    { "LX17635036", "lasership", N, NULL },
    { "LX 176 35035", "lasership", N, "LX17635035" },
    { "1LS717793482164", "lasership", N, NULL },
    { "1LS724505321754", "lasership", N, NULL },
    { "1LS7119013618127-1", "lasership", N, "1LS71190136181271" },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
  check_no_candidate ("LX1763503N");
  check_no_candidate ("1LX734505321754");
}

static void
test_dpd (void)
{
  static const Case cases[] = {
    /* 14 digits and the check character. */
    { "01015026003653C", "dpd", V, "01015026003653" },
    { "0101 5026 0036 53 C", "dpd", V, "01015026003653" },
    { "01015026003653D", "dpd", I, "01015026003653" },
    { "01015026003663C", "dpd", I, "01015026003663" },
    /* Without it. */
    { "01015026003653", "dpd", N, NULL },
    /* The parcel label barcode: postcode, parcel number, service,
     * country, and the check character of them all. */
    { "00 81827 0998 0000 0200 33 350 276 C", "dpd", V, "09980000020033" },
    { "0081 827 0998 0000 0200 45 327 276 N", "dpd", V, "09980000020045" },
    { "008182709980000020033350276A", "dpd", I, "09980000020033" },
    { "0081 827 0998 0000 0200 45 000 000 N", "dpd", I, "09980000020045" },
    /* As a scanner reads the barcode: '%' and no check character. */
    { "%0081827099800000200333502 76", "dpd", N, "09980000020033" },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
  check_first ("01015026003653C", "dpd");
}

static void
test_gls (void)
{
  /* Built with the published GLS rule; no real GLS number is public. */
  static const Case cases[] = {
    { "123456789011", "gls", V, NULL },
    { "123456789012", "gls", I, NULL },
    { "12345678901", "gls", N, NULL },
    /* The eight-character Track ID, GLS's own example. */
    { "XHAX4HDA", "gls", N, NULL },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_evri (void)
{
  static const Case cases[] = {
    { "H00F6A0041475344", "evri", N, NULL },
    { "H00F6A0043571732", "evri", N, NULL },
    { "h00f6a0043810576", "evri", N, "H00F6A0043810576" },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
  check_first ("H00F6A0041475344", "evri");
}

static void
test_canada_post (void)
{
  static const Case cases[] = {
    { "0073938000549297", "canada-post", V, NULL },
    { "0073 9380 0054 9297", "canada-post", V, "0073938000549297" },
    { "0073938000549292", "canada-post", I, NULL },
    { "0073938000559297", "canada-post", I, NULL },
    { "RB123456785CA", "canada-post", V, NULL },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
  check_first ("0073938000549297", "canada-post");
}

static void
test_purolator (void)
{
  static const Case cases[] = {
    { "320595463938", "purolator", V, NULL },
    { "320606146993", "purolator", V, NULL },
    { "287809468872", "purolator", V, NULL },
    { "320610804900", "purolator", V, NULL },
    { "331426749957", "purolator", V, NULL },
    { "331434972567", "purolator", V, NULL },
    { "320595463939", "purolator", I, NULL },
    { "287809468875", "purolator", I, NULL },
    { "331426759957", "purolator", I, NULL },
    { "KYV009956937", "purolator", N, NULL },
    { "CGK002986959", "purolator", N, NULL },
    { "JFV247545960", "purolator", N, NULL },
    { "TLR000083964", "purolator", N, NULL },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
  check_first ("320595463938", "purolator");
  check_no_candidate ("KY009956937");
}

static void
test_other_formats (void)
{
  static const Case cases[] = {
    { "3SBCC000123456", "postnl", N, NULL },
    { "3SABCD1234567", "postnl", N, NULL },
    { "6A12345678901", "la-poste", N, NULL },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

/* Several carriers, the verdicts, the order. */

static void
test_ambiguous (void)
{
  g_autoptr(GPtrArray) candidates = NULL;
  g_autofree char *normalized = NULL;
  g_autofree char *all = NULL;

  /* Twelve digits fit FedEx, DHL Paket, GLS and Purolator: FedEx's check
   * digit is right, the others fail and come after. */
  candidates = waybill_tracking_number_detect ("1234 5678 9012", &normalized);
  all = describe_all (candidates);
  g_assert_cmpstr (normalized, ==, "123456789012");
  g_assert_cmpstr (all, ==,
                   "[fedex/valid/123456789012 "
                   "dhl-parcel-de/invalid/123456789012 "
                   "gls/invalid/123456789012 "
                   "purolator/invalid/123456789012]");
  g_clear_pointer (&candidates, g_ptr_array_unref);
  g_clear_pointer (&all, g_free);

  /* A valid Purolator PIN goes first, ahead of the failing FedEx check. */
  candidates = waybill_tracking_number_detect ("320595463938", NULL);
  all = describe_all (candidates);
  g_assert_cmpstr (all, ==,
                   "[purolator/valid/320595463938 "
                   "fedex/invalid/320595463938 "
                   "dhl-parcel-de/invalid/320595463938 "
                   "gls/invalid/320595463938]");
  g_clear_pointer (&candidates, g_ptr_array_unref);
  g_clear_pointer (&all, g_free);

  /* Nothing fits: every verdict fails, and all are listed. */
  candidates = waybill_tracking_number_detect ("123456789010", NULL);
  for (guint i = 0; i < candidates->len; i++)
    {
      const WaybillTrackingCandidate *candidate = g_ptr_array_index (candidates, i);

      g_assert_cmpint (candidate->check_digit, ==, WAYBILL_CHECK_DIGIT_INVALID);
    }
  g_assert_cmpuint (candidates->len, ==, 4);
  g_clear_pointer (&candidates, g_ptr_array_unref);

  /* A valid check digit beats a format without one. */
  candidates = waybill_tracking_number_detect ("73891051146", NULL);
  all = describe_all (candidates);
  g_assert_cmpstr (all, ==, "[dhl-express/valid/73891051146 gls/none/73891051146]");
  g_clear_pointer (&candidates, g_ptr_array_unref);
  g_clear_pointer (&all, g_free);

  /* A carrier appears once even when two of its formats fit. */
  candidates = waybill_tracking_number_detect ("JJD0099999999", NULL);
  all = describe_all (candidates);
  g_assert_cmpstr (all, ==, "[dhl-express/none/JJD0099999999 dhl-parcel-de/none/JJD0099999999]");
}

static void
test_pick (void)
{
  struct {
    const char *input;
    const char *pick;
  } cases[] = {
    { "1Z5R89390357567127", "ups" },
    { "1Z5R89390357567128", "ups" },        /* the only one, though failing */
    { "123456789012", "fedex" },            /* the only one not failing */
    { "320595463938", "purolator" },
    { "123456789010", NULL },               /* four, all failing */
    { "73891051146", NULL },                /* DHL valid, GLS without check */
    { "9374869903500930473876", NULL },     /* DHL eCommerce and USPS */
    { "JJD0099999999", NULL },
    { "nonsense", NULL },
    { "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) candidates = waybill_tracking_number_detect (cases[i].input, NULL);
      const WaybillTrackingCandidate *pick = waybill_tracking_candidates_pick (candidates);

      g_assert_cmpstr (pick != NULL ? waybill_carrier_get_id (pick->carrier) : NULL, ==,
                       cases[i].pick);
    }
}

static void
test_verify (void)
{
  const WaybillCarrier *fedex = waybill_carrier_lookup ("fedex");
  const WaybillCarrier *gls = waybill_carrier_lookup ("gls");
  const WaybillCarrier *ups = waybill_carrier_lookup ("ups");
  g_autoptr(WaybillTrackingCandidate) a = NULL;
  g_autoptr(WaybillTrackingCandidate) b = NULL;
  g_autoptr(WaybillTrackingCandidate) c = NULL;
  g_autoptr(WaybillTrackingCandidate) copy = NULL;

  a = waybill_tracking_number_verify ("1234-5678-9012", fedex);
  g_assert_nonnull (a);
  g_assert_true (a->carrier == fedex);
  g_assert_cmpint (a->check_digit, ==, WAYBILL_CHECK_DIGIT_VALID);
  g_assert_cmpstr (a->number, ==, "123456789012");
  g_assert_cmpstr (a->format, ==, "fedex-express-12");

  b = waybill_tracking_number_verify ("123456789012", gls);
  g_assert_nonnull (b);
  g_assert_cmpint (b->check_digit, ==, WAYBILL_CHECK_DIGIT_INVALID);

  c = waybill_tracking_number_verify ("123456789012", ups);
  g_assert_null (c);

  copy = waybill_tracking_candidate_copy (a);
  g_assert_true (copy->carrier == a->carrier);
  g_assert_true (copy->number != a->number);
  g_assert_cmpstr (copy->number, ==, a->number);

  waybill_tracking_candidate_free (NULL);
}

static void
test_null_arguments (void)
{
  if (g_test_undefined ())
    {
      g_test_expect_message ("waybill-tracking-number", G_LOG_LEVEL_CRITICAL, "*assertion*");
      g_assert_null (waybill_tracking_number_detect (NULL, NULL));
      g_test_assert_expected_messages ();

      g_test_expect_message ("waybill-tracking-number", G_LOG_LEVEL_CRITICAL, "*assertion*");
      g_assert_false (waybill_check_ups (NULL));
      g_test_assert_expected_messages ();
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/waybill/tracking-number/check-digit-strings", test_check_digit_strings);
  g_test_add_func ("/waybill/tracking-number/normalize", test_normalize);
  g_test_add_func ("/waybill/tracking-number/normalize-garbage", test_normalize_garbage);
  g_test_add_func ("/waybill/tracking-number/every-keystroke", test_every_keystroke);

  g_test_add_func ("/waybill/tracking-number/algorithm/gs1-mod10", test_gs1_mod10);
  g_test_add_func ("/waybill/tracking-number/algorithm/ups", test_ups_algorithm);
  g_test_add_func ("/waybill/tracking-number/algorithm/s10", test_s10_algorithm);
  g_test_add_func ("/waybill/tracking-number/algorithm/dhl-mod7", test_dhl_mod7_algorithm);
  g_test_add_func ("/waybill/tracking-number/algorithm/fedex-mod11", test_fedex_mod11_algorithm);
  g_test_add_func ("/waybill/tracking-number/algorithm/iso7064-mod37-36", test_iso7064_algorithm);
  g_test_add_func ("/waybill/tracking-number/algorithm/dhl-identcode", test_identcode_algorithm);
  g_test_add_func ("/waybill/tracking-number/algorithm/gls", test_gls_algorithm);
  g_test_add_func ("/waybill/tracking-number/algorithm/luhn", test_luhn_algorithm);
  g_test_add_func ("/waybill/tracking-number/algorithm/ontrac", test_ontrac_algorithm);
  g_test_add_func ("/waybill/tracking-number/algorithm/single-digit-errors", test_single_digit_errors);
  g_test_add_func ("/waybill/tracking-number/algorithm/compute-round-trip", test_compute_round_trip);

  g_test_add_func ("/waybill/tracking-number/ups", test_ups);
  g_test_add_func ("/waybill/tracking-number/fedex", test_fedex);
  g_test_add_func ("/waybill/tracking-number/fedex-barcodes", test_fedex_barcodes);
  g_test_add_func ("/waybill/tracking-number/usps", test_usps);
  g_test_add_func ("/waybill/tracking-number/usps-routing", test_usps_routing);
  g_test_add_func ("/waybill/tracking-number/s10", test_s10);
  g_test_add_func ("/waybill/tracking-number/dhl-express", test_dhl_express);
  g_test_add_func ("/waybill/tracking-number/dhl-paket", test_dhl_paket);
  g_test_add_func ("/waybill/tracking-number/dhl-ecommerce", test_dhl_ecommerce);
  g_test_add_func ("/waybill/tracking-number/amazon", test_amazon);
  g_test_add_func ("/waybill/tracking-number/ontrac", test_ontrac);
  g_test_add_func ("/waybill/tracking-number/lasership", test_lasership);
  g_test_add_func ("/waybill/tracking-number/dpd", test_dpd);
  g_test_add_func ("/waybill/tracking-number/gls", test_gls);
  g_test_add_func ("/waybill/tracking-number/evri", test_evri);
  g_test_add_func ("/waybill/tracking-number/canada-post", test_canada_post);
  g_test_add_func ("/waybill/tracking-number/purolator", test_purolator);
  g_test_add_func ("/waybill/tracking-number/other-formats", test_other_formats);

  g_test_add_func ("/waybill/tracking-number/ambiguous", test_ambiguous);
  g_test_add_func ("/waybill/tracking-number/pick", test_pick);
  g_test_add_func ("/waybill/tracking-number/verify", test_verify);
  g_test_add_func ("/waybill/tracking-number/null-arguments", test_null_arguments);

  return g_test_run ();
}
