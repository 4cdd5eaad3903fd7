/* waybill-tracking-number.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "waybill-carrier.h"

G_BEGIN_DECLS

/* The longest normalised tracking number: anything longer is not one.  The
 * longest real forms are a 34-digit barcode and a 39-character DHL
 * eCommerce id with its prefix. */
#define WAYBILL_TRACKING_NUMBER_MAX_LENGTH 64

/**
 * WaybillCheckDigit:
 * @WAYBILL_CHECK_DIGIT_NONE: the format has no check digit
 * @WAYBILL_CHECK_DIGIT_VALID: the check digit is right
 * @WAYBILL_CHECK_DIGIT_INVALID: the check digit is wrong: the number was
 *   mistyped and must not be sent to a carrier
 *
 * The verdict on a tracking number's check digit, for one carrier's format.
 */
typedef enum
{
  WAYBILL_CHECK_DIGIT_NONE,
  WAYBILL_CHECK_DIGIT_VALID,
  WAYBILL_CHECK_DIGIT_INVALID,
} WaybillCheckDigit;

/**
 * WaybillTrackingCandidate:
 * @carrier: the carrier whose format the number fits
 * @check_digit: the verdict of that format's check digit
 * @number: the number the carrier tracks: the normalised input, or the part
 *   of a scanned barcode that is the tracking number (the IMpb without its
 *   "420" + ZIP routing prefix, the FedEx number inside a 22- or 34-digit
 *   barcode, the DPD parcel number without its check character)
 * @format: a static id of the format that matched, such as "ups-1z",
 *   "fedex-express-12" or "s10": for logs, tests and tooltips
 *
 * One way of reading a tracking number.
 */
typedef struct
{
  const WaybillCarrier *carrier;
  WaybillCheckDigit     check_digit;
  char                 *number;
  const char           *format;
} WaybillTrackingCandidate;

const char               *waybill_check_digit_to_string       (WaybillCheckDigit               check_digit);
const char               *waybill_check_digit_get_label       (WaybillCheckDigit               check_digit);

WaybillTrackingCandidate *waybill_tracking_candidate_copy     (const WaybillTrackingCandidate *candidate);
void                      waybill_tracking_candidate_free     (WaybillTrackingCandidate       *candidate);

char                     *waybill_tracking_number_normalize   (const char                     *input);
GPtrArray                *waybill_tracking_number_detect      (const char                     *input,
                                                               char                          **out_normalized);
WaybillTrackingCandidate *waybill_tracking_number_verify      (const char                     *input,
                                                               const WaybillCarrier           *carrier);
const WaybillTrackingCandidate *
                          waybill_tracking_candidates_pick    (GPtrArray                      *candidates);

/* Check-digit algorithms, each on its own.  They take normalised numbers
 * (ASCII digits and upper-case letters, nothing else).  waybill_check_*()
 * returns whether a whole number, check digit included, is right; the
 * _compute() variants return the check character ('0'…'9', or 'A'…'Z' for
 * ISO 7064) for a body without it, or '\0' when the body is not of the
 * algorithm's form.  The demo generator uses them to make valid numbers. */

/* GS1 modulo 10, weights 3 and 1 from the right of the body: SSCC, USPS
 * IMpb and legacy 20-digit numbers, FedEx Ground, Canada Post, DHL Paket's
 * 20-digit SSCC. */
gboolean waybill_check_gs1_mod10                (const char *number);
char     waybill_check_gs1_mod10_compute        (const char *body);

/* UPS "1Z": the 15 characters after "1Z" (letters count as (code - 3)
 * mod 10), weights 1 and 2, modulo 10.  The body is those 15 characters. */
gboolean waybill_check_ups                      (const char *number);
char     waybill_check_ups_compute              (const char *body);

/* UPU S10 (two letters, eight digits, check digit, country code): weights
 * 8 6 4 2 3 5 9 7, 11 minus the sum modulo 11, 10 gives 0 and 11 gives 5.
 * The body is the eight serial digits. */
gboolean waybill_check_s10                      (const char *number);
char     waybill_check_s10_compute              (const char *body);

/* DHL Express waybill: the body read as one number, modulo 7. */
gboolean waybill_check_dhl_mod7                 (const char *number);
char     waybill_check_dhl_mod7_compute         (const char *body);

/* FedEx Express: weights 1, 3, 7 from the right of the body, modulo 11,
 * 10 gives 0.  Also the 34-digit barcodes' tail and door tags. */
gboolean waybill_check_fedex_mod11              (const char *number);
char     waybill_check_fedex_mod11_compute      (const char *body);

/* ISO/IEC 7064 MOD 37,36 (hybrid system over 0-9A-Z): DPD's check
 * character. */
gboolean waybill_check_iso7064_mod37_36         (const char *number);
char     waybill_check_iso7064_mod37_36_compute (const char *body);

/* Deutsche Post / DHL Paket Identcode and Leitcode: weights 4 and 9 from
 * the left, modulo 10. */
gboolean waybill_check_dhl_identcode            (const char *number);
char     waybill_check_dhl_identcode_compute    (const char *body);

/* GLS parcel number: weights 3 and 1 from the left, plus one, modulo 10. */
gboolean waybill_check_gls                      (const char *number);
char     waybill_check_gls_compute              (const char *body);

/* Luhn (ISO/IEC 7812): Purolator. */
gboolean waybill_check_luhn                     (const char *number);
char     waybill_check_luhn_compute             (const char *body);

/* OnTrac "C" and "D" numbers: the letter counts as 4 (C) or 5 (D), then
 * weights 1 and 2 from the left, modulo 10.  The body is the letter and
 * the 13 digits that follow. */
gboolean waybill_check_ontrac                   (const char *number);
char     waybill_check_ontrac_compute           (const char *body);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WaybillTrackingCandidate, waybill_tracking_candidate_free)

G_END_DECLS
