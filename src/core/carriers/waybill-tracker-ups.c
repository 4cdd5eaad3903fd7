/* waybill-tracker-ups.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-tracker-ups"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "waybill-oauth-token.h"
#include "waybill-tracker-ups.h"

/* UPS Track API v1: GET /api/track/v1/details/{inquiryNumber} with an OAuth
 * client-credentials token from POST /security/v1/oauth/token (the client
 * id and secret in a Basic header).  Every request carries a transId of its
 * own and a transactionSrc.
 *
 * Each activity has a status: its type (M label created, P pickup, I in
 * transit, D delivered, X exception, MV voided…), a two-letter code (OT/OF
 * out for delivery…) and a three-digit status code from UPS's table of
 * "Status/Description Codes", which is the most precise of the three.  An
 * unknown number is HTTP 200 with the warning TW0001. */
struct _WaybillTrackerUps
{
  WaybillTracker     parent_instance;

  WaybillOAuthToken *token;
};

G_DEFINE_FINAL_TYPE (WaybillTrackerUps, waybill_tracker_ups, WAYBILL_TYPE_TRACKER)

#define TOKEN_PATH "/security/v1/oauth/token"
#define TRANSACTION_SOURCE "waybill"

#define STRV(...) ((const char * const []) { __VA_ARGS__, NULL })

/* ---- The status table --------------------------------------------------- */

typedef struct
{
  gboolean               known;
  /* %WAYBILL_STATUS_INVALID: the activity type decides the status; the
   * reason is used when that status is an exception. */
  WaybillStatus          status;
  WaybillExceptionReason reason;
} CodeInfo;

#define AS(st)      { TRUE, WAYBILL_STATUS_##st, WAYBILL_EXCEPTION_NONE }
#define EXC(reason) { TRUE, WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_##reason }
#define RET(reason) { TRUE, WAYBILL_STATUS_RETURNED, WAYBILL_EXCEPTION_##reason }
#define TYPE(reason) { TRUE, WAYBILL_STATUS_INVALID, WAYBILL_EXCEPTION_##reason }

/* UPS "Status/Description Codes" (status.statusCode), every documented one. */
static const CodeInfo status_codes[] = {
  [0] = TYPE (NONE),                  /* Status Not Available */
  [3] = AS (INFO_RECEIVED),           /* Shipment Ready for UPS */
  [5] = AS (IN_TRANSIT),              /* On the Way */
  [6] = AS (OUT_FOR_DELIVERY),        /* Out for Delivery */
  [7] = EXC (OTHER),                  /* Shipment Information Voided */
  [10] = AS (IN_TRANSIT),             /* On the Way */
  [11] = AS (DELIVERED),              /* Delivered */
  [12] = TYPE (CUSTOMS),              /* Clearance in Progress */
  [13] = EXC (OTHER),                 /* Exception */
  [14] = AS (IN_TRANSIT),             /* Clearance Completed */
  [16] = AS (IN_TRANSIT),             /* In Warehouse */
  [17] = AS (AVAILABLE_FOR_PICKUP),   /* Held for Customer Pickup */
  [18] = AS (IN_TRANSIT),             /* Delivery Change Requested: Hold for Pickup */
  [19] = AS (IN_TRANSIT),             /* Held for Future Delivery */
  [20] = AS (IN_TRANSIT),             /* Held for Future Delivery Requested */
  [21] = AS (OUT_FOR_DELIVERY),       /* Out for Delivery */
  [22] = AS (FAILED_ATTEMPT),         /* First Attempt Made */
  [23] = AS (FAILED_ATTEMPT),         /* Second Delivery Attempted */
  [24] = AS (FAILED_ATTEMPT),         /* Final Attempt Made */
  [25] = AS (IN_TRANSIT),             /* On the Way */
  [26] = AS (DELIVERED),              /* Delivered by Local Post Office */
  [27] = AS (IN_TRANSIT),             /* Delivery Address Change Requested */
  [28] = AS (IN_TRANSIT),             /* Delivery Address Changed */
  [29] = EXC (OTHER),                 /* Exception: Action Required */
  [30] = EXC (OTHER),                 /* Local Post Office Exception */
  [32] = TYPE (WEATHER),              /* Adverse Weather May Cause Delay */
  [33] = RET (NONE),                  /* Return to Sender Requested */
  [34] = RET (NONE),                  /* Returned to Sender */
  [35] = RET (NONE),                  /* Returning to Sender */
  [36] = RET (NONE),                  /* Returning to Sender: In Transit */
  [37] = AS (OUT_FOR_DELIVERY),       /* Out for Delivery */
  [38] = AS (PICKED_UP),              /* Picked Up by UPS */
  [39] = AS (IN_TRANSIT),             /* On the Way */
  [40] = AS (AVAILABLE_FOR_PICKUP),   /* Ready for Customer Pickup */
  [41] = TYPE (NONE),                 /* Service Upgrade Requested */
  [42] = TYPE (NONE),                 /* Service Upgraded */
  [43] = TYPE (NONE),                 /* Voided Pickup */
  [44] = AS (IN_TRANSIT),             /* On the Way to UPS */
  [45] = AS (IN_TRANSIT),             /* On the Way to UPS */
  [46] = TYPE (DELAY),                /* Delay */
  [47] = AS (IN_TRANSIT),             /* On the Way */
  [48] = TYPE (DELAY),                /* Delay */
  [49] = EXC (DELAY),                 /* Delay: Action Required */
  [50] = EXC (ADDRESS),               /* Address Information Required */
  [51] = EXC (WEATHER),               /* Delay: Emergency Situation or Severe Weather */
  [52] = EXC (WEATHER),               /* Delay: Severe Weather */
  [53] = EXC (WEATHER),               /* Delay: Severe Weather */
  [54] = AS (IN_TRANSIT),             /* Delivery Change Requested */
  [55] = AS (IN_TRANSIT),             /* Rescheduled Delivery */
  [56] = TYPE (NONE),                 /* Service Upgrade Requested */
  [57] = AS (IN_TRANSIT),             /* On the Way to a Local UPS Access Point */
  [58] = EXC (CUSTOMS),               /* Clearance Information Required */
  [59] = EXC (DAMAGED),               /* Damage Reported */
  [60] = AS (FAILED_ATTEMPT),         /* Delivery Attempted */
  [61] = AS (FAILED_ATTEMPT),         /* Delivery Attempted: Adult Signature Required */
  [62] = AS (FAILED_ATTEMPT),         /* Delivery Attempted: Funds Required */
  [63] = AS (IN_TRANSIT),             /* Delivery Change Completed */
  [64] = EXC (REFUSED),               /* Delivery Refused */
  [65] = TYPE (NONE),                 /* Pickup Attempted */
  [66] = AS (FAILED_ATTEMPT),         /* Post Office Delivery Attempted */
  [67] = RET (NONE),                  /* Returned to Sender by Post Office */
  [68] = EXC (LOST),                  /* Sent to Lost and Found */
  [69] = EXC (OTHER),                 /* Unable to Deliver */
  [70] = AS (IN_TRANSIT),             /* Package not at UPS Access Point yet */
  [71] = AS (IN_TRANSIT),             /* Preparing for Delivery */
  [72] = AS (OUT_FOR_DELIVERY),       /* Loaded on Delivery Vehicle */
  [73] = AS (IN_TRANSIT),             /* In Transit to UPS Delivery Partner */
  [74] = AS (IN_TRANSIT),             /* UPS Delivery Partner has Shipment */
  [75] = AS (IN_TRANSIT),             /* Scheduled for Delivery */
  [76] = EXC (OTHER),                 /* UPS Delivery Partner Exception */
  [77] = AS (INFO_RECEIVED),          /* Scheduled for Pickup Today */
  [78] = AS (OUT_FOR_DELIVERY),       /* Your Driver is Arriving Soon! */
  [79] = AS (IN_TRANSIT),             /* Order Processed: In Transit to UPS */
  [80] = AS (INFO_RECEIVED),          /* Order Processed: Ready for UPS */
  [81] = RET (DAMAGED),               /* Returned - Damage Reported */
  [82] = TYPE (NONE),                 /* Delivery Instructions Received */
  [83] = EXC (OTHER),                 /* Held */
  [84] = AS (IN_TRANSIT),             /* Cleared */
  [85] = EXC (OTHER),                 /* Held for COD Payment */
  [86] = TYPE (DELAY),                /* Delay */
  [87] = AS (IN_TRANSIT),             /* On the Way */
  [88] = TYPE (NONE),                 /* Test */
  [89] = AS (OUT_FOR_DELIVERY),       /* Out for Delivery */
  [90] = TYPE (DELAY),                /* Delay */
  [91] = AS (OUT_FOR_DELIVERY),       /* Out for Delivery */
  [92] = TYPE (CUSTOMS),              /* Customs Clearance in Progress */
  [93] = EXC (LOST),                  /* Premier Recovery In Progress */
  [94] = AS (IN_TRANSIT),             /* Premier Recovery Completed */
  [95] = AS (IN_TRANSIT),             /* Additional Attempt Requested */
  [96] = AS (IN_TRANSIT),             /* Address Change Confirmed */
  [97] = AS (IN_TRANSIT),             /* Address Change Requested */
  [98] = AS (IN_TRANSIT),             /* Deliver to Original Address Requested */
  [99] = AS (IN_TRANSIT),             /* Deliver to Original Address Confirmed */
  [100] = AS (IN_TRANSIT),            /* Hold at UPS Access Point Confirmed */
  [101] = AS (IN_TRANSIT),            /* Hold at UPS Access Point Requested */
  [102] = AS (IN_TRANSIT),            /* Hold for Courier Requested */
  [103] = AS (IN_TRANSIT),            /* Hold for Courier Confirmed */
  [104] = AS (IN_TRANSIT),            /* Hold for Instructions Confirmed */
  [105] = AS (IN_TRANSIT),            /* Hold for Instructions Requested */
  [106] = AS (IN_TRANSIT),            /* Hold for Pickup Confirmed */
  [107] = AS (IN_TRANSIT),            /* Hold for Pickup Requested */
  [108] = AS (IN_TRANSIT),            /* Hold for Pickup Today Confirmed */
  [109] = AS (IN_TRANSIT),            /* Hold for Pickup Today Requested */
  [110] = TYPE (NONE),                /* Refrigeration Confirmed */
  [111] = TYPE (NONE),                /* Refrigeration Requested */
  [112] = TYPE (NONE),                /* Re-Ice Confirmed */
  [113] = TYPE (NONE),                /* Re-Ice Requested */
  [114] = TYPE (NONE),                /* Request Canceled */
  [115] = AS (IN_TRANSIT),            /* Reschedule Delivery Confirmed */
  [116] = AS (IN_TRANSIT),            /* Reschedule Delivery Requested */
  [117] = RET (NONE),                 /* Return by Saturday Confirmed */
  [118] = RET (NONE),                 /* Return to Sender Confirmed */
  [119] = RET (NONE),                 /* Return to Sender Requested */
  [120] = AS (IN_TRANSIT),            /* Saturday Delivery Confirmed */
  [121] = AS (IN_TRANSIT),            /* Saturday Delivery Requested */
  [122] = TYPE (NONE),                /* Upgrade Confirmed */
  [123] = TYPE (CUSTOMS),             /* Pending Release From Non-UPS Broker */
  [124] = EXC (CUSTOMS),              /* Clearance Information Needed */
  [125] = EXC (CUSTOMS),              /* Clearance Information Needed */
  [126] = EXC (CUSTOMS),              /* Pending Government Agency Release */
  [127] = TYPE (NONE),                /* Investigation Closed */
  [128] = TYPE (NONE),                /* Investigation Canceled */
  [129] = EXC (LOST),                 /* Investigation Opened */
  [130] = EXC (OTHER),                /* Claim in Progress */
  [131] = TYPE (NONE),                /* Final Pickup Attempted */
  [132] = TYPE (DELAY),               /* Airport Security Delay */
  [133] = TYPE (NONE),                /* Return Label Left With Customer */
  [134] = AS (IN_TRANSIT),            /* Cleared Import Customs */
  [135] = TYPE (NONE),                /* Second Pickup Attempted */
  [136] = AS (IN_TRANSIT),            /* Delivery Rescheduled for Saturday */
  [137] = AS (IN_TRANSIT),            /* Transferred to UPS Delivery Partner */
  [138] = AS (IN_TRANSIT),            /* Awaiting Scheduled Departure */
  [139] = EXC (OTHER),                /* Security Access Required */
  [140] = EXC (OTHER),                /* Claim Paid */
  [141] = EXC (CUSTOMS),              /* Incomplete Documentation Received */
  [142] = TYPE (NONE),                /* Claim Voided */
  [143] = AS (DELIVERED),             /* Delivered to Agent */
  [144] = AS (AVAILABLE_FOR_PICKUP),  /* Delivered to Post Office for Pickup */
  [145] = AS (FAILED_ATTEMPT),        /* Delivery Attempted */
  [146] = AS (OUT_FOR_DELIVERY),      /* Out for Delivery */
  [147] = EXC (OTHER),                /* Seized by Law Enforcement */
  [148] = TYPE (NONE),                /* Package Information Unavailable */
  [149] = EXC (OTHER),                /* Prohibited Contents, Package Destroyed */
  [153] = TYPE (NONE),                /* Updated Delivery Time */
  [154] = TYPE (NONE),                /* Updated Delivery Date */
  [155] = TYPE (NONE),                /* Delivery Photo */
  [156] = TYPE (NONE),                /* Commercial Inside Release */
  [157] = AS (INFO_RECEIVED),         /* Shipment Ready for UPS */
  [158] = AS (IN_TRANSIT),            /* On the Way */
  [159] = AS (IN_TRANSIT),            /* On the Way */
  [160] = AS (PICKED_UP),             /* We Have Your Package */
  [161] = AS (AVAILABLE_FOR_PICKUP),  /* Delivered to UPS Access Point */
  [162] = AS (OUT_FOR_DELIVERY),      /* Out for Delivery */
  [163] = TYPE (NONE),                /* Package Information Unavailable */
  [164] = AS (IN_TRANSIT),            /* On the Way */
  [165] = AS (IN_TRANSIT),            /* On the Way */
  [166] = AS (INFO_RECEIVED),         /* Shipment Ready for Roadie */
  [167] = AS (PICKED_UP),             /* Dropped off at UPS Store by Customer */
  [168] = AS (PICKED_UP),             /* Dropped off at Retail Location by Customer */
  [169] = AS (PICKED_UP),             /* Dropped off at a UPS Access Point by Customer */
};

/* Movement and manifest scans (status.code) that say more than type I, P
 * or M: UPS's "Movement Scans" and "Manifest Codes". */
static const struct
{
  const char    *code;
  WaybillStatus  status;
} scan_codes[] = {
  { "OT", WAYBILL_STATUS_OUT_FOR_DELIVERY },  /* Out for delivery */
  { "OF", WAYBILL_STATUS_OUT_FOR_DELIVERY },  /* Out for delivery */
  { "OD", WAYBILL_STATUS_OUT_FOR_DELIVERY },  /* Loaded on delivery vehicle */
  { "YF", WAYBILL_STATUS_OUT_FOR_DELIVERY },  /* USPS Out for Delivery */
  { "YI", WAYBILL_STATUS_OUT_FOR_DELIVERY },  /* Out For Delivery to UPS Access Point */
  { "PU", WAYBILL_STATUS_PICKED_UP },         /* Pickup scan */
  { "PC", WAYBILL_STATUS_PICKED_UP },         /* Pickup by UPS Package Car */
  { "PT", WAYBILL_STATUS_PICKED_UP },         /* Pickup by UPS trailer */
  { "OR", WAYBILL_STATUS_PICKED_UP },         /* Origin scan */
  { "XD", WAYBILL_STATUS_PICKED_UP },         /* Drop off */
  { "MP", WAYBILL_STATUS_INFO_RECEIVED },     /* Billing information received */
  { "DP", WAYBILL_STATUS_INFO_RECEIVED },     /* Manifest processed */
  { "OC", WAYBILL_STATUS_INFO_RECEIVED },     /* Shipper created a label */
  { "PL", WAYBILL_STATUS_INFO_RECEIVED },     /* Shipper created a label */
  { "RD", WAYBILL_STATUS_INFO_RECEIVED },     /* Label created, Roadie */
};

/* For exception codes, of which UPS documents well over a thousand, the
 * words of the description tell the reason.  Case-folded. */
static const struct
{
  WaybillExceptionReason      reason;
  const char * const         *words;
} reason_words[] = {
  { WAYBILL_EXCEPTION_CUSTOMS,
    STRV ("customs", "clearance", "government agency", "broker", "import charges", "duty",
          "duties", "brokerage") },
  { WAYBILL_EXCEPTION_DAMAGED, STRV ("damage") },
  { WAYBILL_EXCEPTION_LOST,
    STRV ("lost", "missing", "could not be located", "cannot be located", "not be located",
          "unable to locate") },
  { WAYBILL_EXCEPTION_REFUSED, STRV ("refused", "declined", "does not want", "rejected") },
  { WAYBILL_EXCEPTION_ADDRESS,
    STRV ("address", "moved", "addressee unknown", "no such number", "not serve the destination") },
  { WAYBILL_EXCEPTION_WEATHER,
    STRV ("weather", "emergency situation", "natural disaster", "storm", "flood", "hurricane") },
  { WAYBILL_EXCEPTION_DELAY,
    STRV ("delay", "late ", "missed", "rescheduled", "mechanical failure", "misrouted",
          "incorrectly sorted") },
};

static const char * const returned_words[] = STRV (
  "returned to sender", "returned to the sender", "return to sender", "return to the sender",
  "returning to sender", "being returned", "will be returned");

static WaybillExceptionReason
reason_from_text (const char *description)
{
  g_autofree char *folded = waybill_text_fold (description);

  for (guint i = 0; i < G_N_ELEMENTS (reason_words); i++)
    if (waybill_text_has_any (folded, reason_words[i].words))
      return reason_words[i].reason;

  return WAYBILL_EXCEPTION_OTHER;
}

static WaybillStatus
status_from_type (const char *type)
{
  if (type == NULL)
    return WAYBILL_STATUS_INVALID;
  if (g_str_equal (type, "M"))
    return WAYBILL_STATUS_INFO_RECEIVED;
  if (g_str_equal (type, "MV"))
    return WAYBILL_STATUS_EXCEPTION;
  if (g_str_equal (type, "P"))
    return WAYBILL_STATUS_PICKED_UP;
  if (g_str_equal (type, "I") || g_str_equal (type, "DO") || g_str_equal (type, "DD") ||
      g_str_equal (type, "W"))
    return WAYBILL_STATUS_IN_TRANSIT;
  if (g_str_equal (type, "D"))
    return WAYBILL_STATUS_DELIVERED;
  if (g_str_equal (type, "X"))
    return WAYBILL_STATUS_EXCEPTION;

  /* NA (not available), U (updates) and anything newer. */
  return WAYBILL_STATUS_INVALID;
}

static const CodeInfo *
lookup_status_code (const char *status_code)
{
  guint64 number;

  if (status_code == NULL ||
      !g_ascii_string_to_unsigned (status_code, 10, 0, G_N_ELEMENTS (status_codes) - 1,
                                   &number, NULL) ||
      !status_codes[number].known)
    return NULL;

  return &status_codes[number];
}

/**
 * classify:
 * @status: an activity's (or currentStatus's) status object
 * @out_reason: (out): the exception reason
 *
 * Returns: the Waybill status, or %WAYBILL_STATUS_INVALID when the status
 *   says nothing about where the parcel is (an update, "not available")
 */
static WaybillStatus
classify (JsonObject             *status,
          WaybillExceptionReason *out_reason)
{
  const char *type = waybill_json_get_string (status, "type");
  const char *code = waybill_json_get_string (status, "code");
  const char *description = waybill_json_get_string (status, "description");
  const CodeInfo *info = lookup_status_code (waybill_json_get_string (status, "statusCode"));
  WaybillStatus result = status_from_type (type);
  g_autofree char *folded = NULL;

  *out_reason = WAYBILL_EXCEPTION_NONE;

  /* A voided label stays a problem, whatever else the status says. */
  if (g_strcmp0 (type, "MV") == 0)
    {
      *out_reason = WAYBILL_EXCEPTION_OTHER;
      return WAYBILL_STATUS_EXCEPTION;
    }

  if (result == WAYBILL_STATUS_DELIVERED)
    {
      /* Delivered to an access point or back to the sender is not "delivered". */
      if (info != NULL && (info->status == WAYBILL_STATUS_AVAILABLE_FOR_PICKUP ||
                           info->status == WAYBILL_STATUS_RETURNED))
        {
          *out_reason = info->reason;
          return info->status;
        }
      return WAYBILL_STATUS_DELIVERED;
    }

  if (info != NULL && info->status != WAYBILL_STATUS_INVALID)
    {
      if (info->status == WAYBILL_STATUS_EXCEPTION || info->status == WAYBILL_STATUS_RETURNED)
        *out_reason = info->reason;
      return info->status;
    }

  if (result != WAYBILL_STATUS_EXCEPTION && code != NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (scan_codes); i++)
        if (g_str_equal (code, scan_codes[i].code))
          return scan_codes[i].status;
    }

  if (result == WAYBILL_STATUS_EXCEPTION)
    {
      folded = waybill_text_fold (description);
      if (waybill_text_has_any (folded, returned_words))
        return WAYBILL_STATUS_RETURNED;

      *out_reason = info != NULL && info->reason != WAYBILL_EXCEPTION_NONE
                    ? info->reason
                    : reason_from_text (description);
    }

  return result;
}

/* ---- Times -------------------------------------------------------------- */

static gboolean
parse_digits (const char *text,
              guint       n,
              int        *out)
{
  int value = 0;

  for (guint i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      value = value * 10 + (text[i] - '0');
    }
  *out = value;

  return TRUE;
}

/* "20220126" */
static gboolean
parse_date (const char *text,
            int        *year,
            int        *month,
            int        *day)
{
  return text != NULL && strlen (text) == 8 &&
         parse_digits (text, 4, year) && parse_digits (text + 4, 2, month) &&
         parse_digits (text + 6, 2, day);
}

/* "163000", "1630" or "16:30:00" */
static gboolean
parse_time (const char *text,
            int        *hour,
            int        *minute,
            int        *second)
{
  g_autofree char *digits = NULL;
  gsize len;

  if (text == NULL)
    return FALSE;

  digits = g_strdup (text);
  g_strdelimit (digits, ":", ' ');
  {
    char *w = digits;

    for (const char *r = digits; *r != '\0'; r++)
      if (*r != ' ')
        *w++ = *r;
    *w = '\0';
  }

  len = strlen (digits);
  *second = 0;
  if (len != 4 && len != 6)
    return FALSE;

  return parse_digits (digits, 2, hour) && parse_digits (digits + 2, 2, minute) &&
         (len == 4 || parse_digits (digits + 4, 2, second));
}

/* "-05:00", "+0100", "-5" */
static gboolean
parse_offset (const char *text,
              int        *out_seconds)
{
  int sign, hours = 0, minutes = 0;
  g_autofree char *digits = NULL;
  gsize len;

  if (text == NULL || (text[0] != '+' && text[0] != '-'))
    return FALSE;

  sign = text[0] == '-' ? -1 : 1;
  digits = g_strdup (text + 1);
  {
    char *w = digits;

    for (const char *r = digits; *r != '\0'; r++)
      if (*r != ':')
        *w++ = *r;
    *w = '\0';
  }

  len = strlen (digits);
  if (len == 1 || len == 2)
    {
      if (!parse_digits (digits, len, &hours))
        return FALSE;
    }
  else if (len == 3 || len == 4)
    {
      if (!parse_digits (digits, len - 2, &hours) || !parse_digits (digits + len - 2, 2, &minutes))
        return FALSE;
    }
  else
    return FALSE;

  if (hours > 18 || minutes > 59)
    return FALSE;

  *out_seconds = sign * (hours * 3600 + minutes * 60);
  return TRUE;
}

/* An activity's time: the GMT fields when UPS gives them (shown at the
 * offset of the place), else the local date and time as written. */
static GDateTime *
activity_time (JsonObject *activity,
               gboolean   *out_is_local)
{
  int year, month, day, hour, minute, second, offset = 0;
  gboolean has_offset = parse_offset (waybill_json_get_string (activity, "gmtOffset"), &offset);

  *out_is_local = FALSE;

  if (parse_date (waybill_json_get_string (activity, "gmtDate"), &year, &month, &day) &&
      parse_time (waybill_json_get_string (activity, "gmtTime"), &hour, &minute, &second))
    {
      g_autoptr(GDateTime) utc = NULL;
      g_autoptr(GTimeZone) zone = NULL;

      if (hour > 23 || minute > 59 || second > 59)
        return NULL;
      utc = g_date_time_new_utc (year, month, day, hour, minute, second);
      if (utc == NULL)
        return NULL;
      if (!has_offset)
        return g_steal_pointer (&utc);

      zone = g_time_zone_new_offset (offset);
      return g_date_time_to_timezone (utc, zone);
    }

  if (!parse_date (waybill_json_get_string (activity, "date"), &year, &month, &day))
    return NULL;
  if (!parse_time (waybill_json_get_string (activity, "time"), &hour, &minute, &second))
    hour = minute = second = 0;

  if (has_offset)
    {
      g_autoptr(GTimeZone) zone = g_time_zone_new_offset (offset);

      if (hour > 23 || minute > 59 || second > 59)
        return NULL;
      return g_date_time_new (zone, year, month, day, hour, minute, second);
    }

  *out_is_local = TRUE;
  return waybill_date_time_new_local (year, month, day, hour, minute, second);
}

static GDateTime *
date_at (const char *date,
         const char *time,
         gboolean    end_of_day)
{
  int year, month, day, hour = 0, minute = 0, second = 0;

  if (!parse_date (date, &year, &month, &day))
    return NULL;

  if (!parse_time (time, &hour, &minute, &second))
    {
      hour = end_of_day ? 23 : 0;
      minute = second = end_of_day ? 59 : 0;
    }

  return waybill_date_time_new_local (year, month, day, hour, minute, second);
}

/* ---- Reading a package -------------------------------------------------- */

static char *
location_of (JsonObject *activity)
{
  JsonObject *address = waybill_json_lookup_object (activity, "location", "address", NULL);
  const char *country = waybill_json_get_string (address, "countryCode");
  GString *location = g_string_new (NULL);

  waybill_location_append (location, waybill_json_get_string (address, "city"));
  waybill_location_append (location, waybill_json_get_string (address, "stateProvince"));
  waybill_location_append (location, country ? country : waybill_json_get_string (address, "country"));

  if (location->len == 0)
    {
      g_string_free (location, TRUE);
      return NULL;
    }

  return g_string_free (location, FALSE);
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  WaybillTrackingEvent *event_a = *(WaybillTrackingEvent **) a;
  WaybillTrackingEvent *event_b = *(WaybillTrackingEvent **) b;

  return g_date_time_compare (waybill_tracking_event_get_time (event_b),
                              waybill_tracking_event_get_time (event_a));
}

/* The expected delivery: a rescheduled date over the scheduled one, with
 * the time window when there is one. */
static void
read_estimate (JsonObject            *package,
               WaybillTrackingResult *result)
{
  JsonArray *dates = waybill_json_get_array (package, "deliveryDate");
  JsonObject *time = waybill_json_get_object (package, "deliveryTime");
  const char *chosen = NULL;
  const char *time_type = waybill_json_get_string (time, "type");
  const char *start = waybill_json_get_string (time, "startTime");
  const char *end = waybill_json_get_string (time, "endTime");
  int rank = 0;
  int year, month, day;

  for (guint i = 0; i < waybill_json_array_length (dates); i++)
    {
      JsonObject *item = waybill_json_array_get_object (dates, i);
      const char *type = waybill_json_get_string (item, "type");
      int item_rank = g_strcmp0 (type, "RDD") == 0 ? 3 :
                      g_strcmp0 (type, "SDD") == 0 ? 2 :
                      g_strcmp0 (type, "DEL") == 0 ? 0 : 1;

      if (item_rank > rank &&
          parse_date (waybill_json_get_string (item, "date"), &year, &month, &day))
        {
          rank = item_rank;
          chosen = waybill_json_get_string (item, "date");
        }
    }

  if (chosen == NULL)
    return;

  /* Times of the delivery itself are no estimate. */
  if (g_strcmp0 (time_type, "DEL") == 0)
    start = end = NULL;

  if (start != NULL)
    result->estimated_from = date_at (chosen, start, FALSE);
  result->estimated_to = date_at (chosen, end, TRUE);
}

static GDateTime *
delivered_time_of (JsonObject *package)
{
  JsonArray *dates = waybill_json_get_array (package, "deliveryDate");
  JsonObject *time = waybill_json_get_object (package, "deliveryTime");

  for (guint i = 0; i < waybill_json_array_length (dates); i++)
    {
      JsonObject *item = waybill_json_array_get_object (dates, i);

      if (g_strcmp0 (waybill_json_get_string (item, "type"), "DEL") == 0)
        return date_at (waybill_json_get_string (item, "date"),
                        g_strcmp0 (waybill_json_get_string (time, "type"), "DEL") == 0
                        ? waybill_json_get_string (time, "endTime") : NULL,
                        FALSE);
    }

  return NULL;
}

static WaybillTrackingResult *
parse_package (JsonObject *package)
{
  JsonArray *activities = waybill_json_get_array (package, "activity");
  JsonObject *current = waybill_json_get_object (package, "currentStatus");
  WaybillExceptionReason reason = WAYBILL_EXCEPTION_NONE;
  WaybillStatus status = WAYBILL_STATUS_INVALID;
  g_autofree char *sub_status = NULL;
  g_autoptr(GDateTime) delivered_at = NULL;
  WaybillTrackingResult *result;
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < waybill_json_array_length (activities); i++)
    {
      JsonObject *activity = waybill_json_array_get_object (activities, i);
      JsonObject *activity_status = waybill_json_get_object (activity, "status");
      g_autoptr(GDateTime) time = NULL;
      g_autofree char *description = NULL;
      g_autofree char *location = NULL;
      WaybillExceptionReason event_reason;
      WaybillStatus event_status;
      WaybillTrackingEvent *event;
      gboolean is_local;
      const char *code;

      time = activity_time (activity, &is_local);
      if (time == NULL)
        continue;

      event_status = classify (activity_status, &event_reason);
      if (event_status == WAYBILL_STATUS_INVALID)
        event_status = WAYBILL_STATUS_IN_TRANSIT;

      code = waybill_json_get_string (activity_status, "code");
      if (code == NULL)
        code = waybill_json_get_string (activity_status, "statusCode");
      description = waybill_text_clean (waybill_json_get_string (activity_status, "description"));
      location = location_of (activity);

      event = waybill_tracking_event_new (time, event_status, code, description, location);
      waybill_tracking_event_set_time_is_local (event, is_local);
      g_ptr_array_add (events, event);

      if (event_status == WAYBILL_STATUS_DELIVERED &&
          (delivered_at == NULL || g_date_time_compare (time, delivered_at) > 0))
        {
          g_clear_pointer (&delivered_at, g_date_time_unref);
          delivered_at = g_date_time_ref (time);
        }
    }
  g_ptr_array_sort (events, compare_newest_first);

  /* The package's current status, else the newest activity that tells. */
  if (current != NULL)
    {
      status = classify (current, &reason);
      sub_status = waybill_text_clean (waybill_json_get_string (current, "description"));
    }
  for (guint i = 0; status == WAYBILL_STATUS_INVALID && i < waybill_json_array_length (activities); i++)
    {
      JsonObject *activity_status =
        waybill_json_get_object (waybill_json_array_get_object (activities, i), "status");

      status = classify (activity_status, &reason);
      if (status != WAYBILL_STATUS_INVALID)
        {
          g_free (sub_status);
          sub_status = waybill_text_clean (waybill_json_get_string (activity_status,
                                                                    "description"));
        }
    }
  if (status == WAYBILL_STATUS_INVALID)
    status = events->len > 0 ? WAYBILL_STATUS_IN_TRANSIT : WAYBILL_STATUS_PENDING;

  result = waybill_tracking_result_new (status);
  result->exception_reason = status == WAYBILL_STATUS_EXCEPTION ||
                             status == WAYBILL_STATUS_RETURNED ? reason : WAYBILL_EXCEPTION_NONE;
  if (status == WAYBILL_STATUS_EXCEPTION && result->exception_reason == WAYBILL_EXCEPTION_NONE)
    result->exception_reason = WAYBILL_EXCEPTION_OTHER;
  result->sub_status = g_steal_pointer (&sub_status);
  for (guint i = 0; i < events->len; i++)
    waybill_tracking_result_add_event (result, g_ptr_array_index (events, i));

  if (status == WAYBILL_STATUS_DELIVERED)
    {
      result->delivered_at = delivered_at ? g_date_time_ref (delivered_at)
                                          : delivered_time_of (package);
      result->signed_by = waybill_text_clean (waybill_json_lookup_string (package,
                                                                          "deliveryInformation",
                                                                          "receivedBy", NULL));
    }
  else if (!waybill_status_is_final (status))
    read_estimate (package, result);

  return result;
}

/* ---- Answers ------------------------------------------------------------ */

static WaybillTrackingReply *
reply_error (const char *number,
             GError     *error,
             guint       retry_after)
{
  WaybillTrackingReply *reply = waybill_tracking_reply_new_error (number, error, retry_after);

  g_error_free (error);

  return reply;
}

static gboolean
is_auth_code (const char *code)
{
  /* 250001 invalid access license, 250002 invalid authentication
   * information, 250003 invalid access license number… */
  return g_str_has_prefix (code, "2500");
}

/* The error of the first entry of {"response":{"errors":[{code, message}]}},
 * or NULL when the body holds none this adapter knows. */
static GError *
error_from_errors (WaybillTrackerUps         *self,
                   const char                *number,
                   const WaybillHttpResponse *response,
                   JsonObject                *root)
{
  WaybillTracker *tracker = WAYBILL_TRACKER (self);
  JsonArray *errors = waybill_json_get_array (waybill_json_get_object (root, "response"),
                                              "errors");

  for (guint i = 0; i < waybill_json_array_length (errors); i++)
    {
      JsonObject *item = waybill_json_array_get_object (errors, i);
      const char *code = waybill_json_get_string (item, "code");

      if (code == NULL)
        continue;
      if (is_auth_code (code))
        return waybill_tracker_error_new (tracker, WAYBILL_TRACKER_ERROR_AUTH, NULL);
      if (g_str_equal (code, "10429"))
        return waybill_tracker_error_new_rate_limited (tracker, response->retry_after_seconds);
      if (g_str_equal (code, "TW0001"))
        return waybill_tracker_error_new_not_found (tracker, number);
      if (g_str_equal (code, "TV1002"))
        return waybill_tracker_error_new_invalid_number (tracker, number);
    }

  return NULL;
}

static gboolean
has_warning (JsonObject *shipment,
             const char *code)
{
  JsonArray *warnings = waybill_json_get_array (shipment, "warnings");

  for (guint i = 0; i < waybill_json_array_length (warnings); i++)
    if (g_strcmp0 (waybill_json_get_string (waybill_json_array_get_object (warnings, i), "code"),
                   code) == 0)
      return TRUE;

  return FALSE;
}

static JsonObject *
find_by (JsonArray  *array,
         const char *member,
         const char *number)
{
  for (guint i = 0; i < waybill_json_array_length (array); i++)
    {
      JsonObject *item = waybill_json_array_get_object (array, i);

      if (g_strcmp0 (waybill_json_get_string (item, member), number) == 0)
        return item;
    }

  return waybill_json_array_get_object (array, 0);
}

static WaybillTrackingReply *
parse_response (WaybillTrackerUps         *self,
                const char                *number,
                const WaybillHttpResponse *response)
{
  WaybillTracker *tracker = WAYBILL_TRACKER (self);
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(GError) parse_error = NULL;
  JsonObject *shipment, *package;
  GError *error = NULL;

  root = waybill_http_response_get_object (response, tracker, &parse_error);

  /* UPS's own codes say more than the HTTP status. */
  error = error_from_errors (self, number, response, root);
  if (error != NULL)
    return reply_error (number, error, response->retry_after_seconds);

  if (response->status == SOUP_STATUS_NOT_FOUND)
    return reply_error (number, waybill_tracker_error_new_not_found (tracker, number), 0);
  if (!waybill_tracker_check_status (tracker, response, &error))
    return reply_error (number, error, response->retry_after_seconds);
  if (root == NULL)
    return reply_error (number, g_steal_pointer (&parse_error), 0);

  shipment = find_by (waybill_json_get_array (waybill_json_get_object (root, "trackResponse"),
                                              "shipment"),
                      "inquiryNumber", number);
  if (shipment == NULL)
    return reply_error (number,
                        waybill_tracker_error_new (tracker, WAYBILL_TRACKER_ERROR_BAD_RESPONSE,
                                                   _("no shipment")),
                        0);

  /* An unknown number: HTTP 200 with a warning. */
  if (has_warning (shipment, "TW0001"))
    return reply_error (number, waybill_tracker_error_new_not_found (tracker, number), 0);

  package = find_by (waybill_json_get_array (shipment, "package"), "trackingNumber", number);
  if (package == NULL)
    {
      if (waybill_json_get_array (shipment, "warnings") != NULL)
        return reply_error (number, waybill_tracker_error_new_not_found (tracker, number), 0);
      return reply_error (number,
                          waybill_tracker_error_new (tracker, WAYBILL_TRACKER_ERROR_BAD_RESPONSE,
                                                     _("no package")),
                          0);
    }

  return waybill_tracking_reply_new_result (number, parse_package (package));
}

/**
 * waybill_tracker_ups_parse_response:
 * @number: the number asked about
 * @status: the HTTP status
 * @body: the body
 *
 * Returns: (transfer full): the reply for @number
 */
WaybillTrackingReply *
waybill_tracker_ups_parse_response (WaybillTrackerUps *self,
                                    const char        *number,
                                    guint              status,
                                    GBytes            *body)
{
  g_autoptr(WaybillHttpResponse) response = NULL;

  g_return_val_if_fail (WAYBILL_IS_TRACKER_UPS (self), NULL);
  g_return_val_if_fail (number != NULL, NULL);

  response = waybill_http_response_new (status, NULL, body);

  return parse_response (self, number, response);
}

/* ---- Requests ----------------------------------------------------------- */

static SoupMessage *
build_request (WaybillTracker  *tracker,
               gpointer         user_data,
               GError         **error)
{
  const char *number = user_data;
  g_autofree char *escaped = g_uri_escape_string (number, NULL, FALSE);
  g_autofree char *path = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  GString *trans_id = g_string_new (NULL);
  SoupMessage *message;
  SoupMessageHeaders *headers;

  path = g_strdup_printf ("/api/track/v1/details/%s?locale=en_US&returnSignature=false",
                          escaped);
  message = waybill_tracker_new_message (tracker, "GET", path, error);
  if (message == NULL)
    {
      g_string_free (trans_id, TRUE);
      return NULL;
    }

  /* transId: unique per request, at most 32 characters. */
  for (const char *p = uuid; *p != '\0'; p++)
    if (*p != '-')
      g_string_append_c (trans_id, *p);

  headers = soup_message_get_request_headers (message);
  soup_message_headers_replace (headers, "transId", trans_id->str);
  g_string_free (trans_id, TRUE);
  soup_message_headers_replace (headers, "transactionSrc", TRANSACTION_SOURCE);

  return message;
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WaybillTrackerUps *self = g_task_get_source_object (task);
  const char *number = g_task_get_task_data (task);
  g_autoptr(WaybillHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  guint retry_after = 0;
  GPtrArray *replies;

  response = waybill_oauth_token_send_finish (WAYBILL_OAUTH_TOKEN (source), result,
                                              &retry_after, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  replies = waybill_tracking_replies_new ();
  if (response == NULL)
    g_ptr_array_add (replies, waybill_tracking_reply_new_error (number, error, retry_after));
  else
    g_ptr_array_add (replies, parse_response (self, number, response));

  g_task_return_pointer (task, replies, (GDestroyNotify) g_ptr_array_unref);
}

static void
waybill_tracker_ups_track_async (WaybillTracker      *tracker,
                                 const char * const  *numbers,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  WaybillTrackerUps *self = WAYBILL_TRACKER_UPS (tracker);
  GTask *task;

  g_assert (numbers[0] != NULL && numbers[1] == NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, waybill_tracker_ups_track_async);
  g_task_set_task_data (task, g_strdup (numbers[0]), g_free);

  waybill_oauth_token_send_async (self->token, build_request, g_strdup (numbers[0]), g_free,
                                  cancellable, sent_cb, task);
}

static GPtrArray *
waybill_tracker_ups_track_finish (WaybillTracker  *tracker,
                                  GAsyncResult    *result,
                                  GError         **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
waybill_tracker_ups_constructed (GObject *object)
{
  WaybillTrackerUps *self = WAYBILL_TRACKER_UPS (object);

  G_OBJECT_CLASS (waybill_tracker_ups_parent_class)->constructed (object);

  self->token = waybill_oauth_token_new (WAYBILL_TRACKER (self), TOKEN_PATH,
                                         WAYBILL_OAUTH_CLIENT_AUTH_BASIC, NULL);
}

static void
waybill_tracker_ups_dispose (GObject *object)
{
  WaybillTrackerUps *self = WAYBILL_TRACKER_UPS (object);

  g_clear_object (&self->token);

  G_OBJECT_CLASS (waybill_tracker_ups_parent_class)->dispose (object);
}

static void
waybill_tracker_ups_class_init (WaybillTrackerUpsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  WaybillTrackerClass *tracker_class = WAYBILL_TRACKER_CLASS (klass);

  object_class->constructed = waybill_tracker_ups_constructed;
  object_class->dispose = waybill_tracker_ups_dispose;

  tracker_class->id = "ups";
  tracker_class->name = "UPS";
  tracker_class->default_url = "https://onlinetools.ups.com";
  tracker_class->batch_size = 1;
  /* UPS publishes no figure; stay gentle. */
  tracker_class->requests_per_second = 2.0;
  tracker_class->auth = WAYBILL_TRACKER_AUTH_CLIENT;
  tracker_class->track_async = waybill_tracker_ups_track_async;
  tracker_class->track_finish = waybill_tracker_ups_track_finish;
}

static void
waybill_tracker_ups_init (WaybillTrackerUps *self)
{
}

/**
 * waybill_tracker_ups_new:
 * @session: (nullable): the session to share, %NULL for a new one
 *
 * Returns: (transfer full): a UPS tracker
 */
WaybillTracker *
waybill_tracker_ups_new (SoupSession *session)
{
  return g_object_new (WAYBILL_TYPE_TRACKER_UPS, "session", session, NULL);
}
