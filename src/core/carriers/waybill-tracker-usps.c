/* waybill-tracker-usps.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-tracker-usps"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "waybill-oauth-token.h"
#include "waybill-tracker-usps.h"

/* USPS Tracking API v3: GET /tracking/v3/tracking/{n}?expand=DETAIL, one
 * number per request, with an OAuth client-credentials token from POST
 * /oauth2/v3/token (form fields, scope "tracking").  New applications get
 * about 60 requests an hour.
 *
 * The answer describes the item (status, statusCategory, statusSummary,
 * the expected or predicted delivery) and lists its trackingEvents newest
 * first.  Each event has a two-character eventCode from USPS's Product
 * Tracking event codes, which this adapter maps; an unknown code is read by
 * its words.  eventTimestamp is the local time of the place without an
 * offset; GMTTimestamp and GMTOffset give the same moment exactly, and are
 * preferred.  Text fields hold HTML: "USPS Ground Advantage<SUP>&#153;</SUP>".
 *
 * An "Arriving Late" alert keeps the status of where the item is; as
 * WaybillTrackingResult has no delayed flag, the delay shows as its
 * exception_reason (delay or weather) beside a status that is not an
 * exception. */
struct _WaybillTrackerUsps
{
  WaybillTracker     parent_instance;

  WaybillOAuthToken *token;
};

G_DEFINE_FINAL_TYPE (WaybillTrackerUsps, waybill_tracker_usps, WAYBILL_TYPE_TRACKER)

#define TOKEN_PATH "/oauth2/v3/token"
#define TRACK_PATH "/tracking/v3/tracking/"
#define SCOPE      "tracking"

#define STRV(...) ((const char * const []) { __VA_ARGS__, NULL })

/* ---- HTML in text fields ------------------------------------------------ */

/* Windows-1252 for the numeric references 128–159, which USPS uses as
 * such (&#153; for ™); 0 where the code page has no character. */
static const gunichar cp1252_high[32] = {
  0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
  0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

static const struct
{
  const char *name;
  gunichar    c;
} named_entities[] = {
  { "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' }, { "apos", '\'' },
  { "nbsp", ' ' }, { "reg", 0x00AE }, { "trade", 0x2122 }, { "copy", 0x00A9 },
  { "deg", 0x00B0 }, { "ndash", 0x2013 }, { "mdash", 0x2014 }, { "lsquo", 0x2018 },
  { "rsquo", 0x2019 }, { "ldquo", 0x201C }, { "rdquo", 0x201D }, { "hellip", 0x2026 },
  { "bull", 0x2022 }, { "middot", 0x00B7 }, { "eacute", 0x00E9 }, { "ntilde", 0x00F1 },
};

/* The longest entity this reads, "&#x10FFFF;" or "&hellip;" and a margin. */
#define MAX_ENTITY_LENGTH 12
/* The longest tag it drops: "<SUP>", "</sup>", "<br/>"… */
#define MAX_TAG_LENGTH 32

static void
append_unichar (GString  *out,
                gunichar  c)
{
  if (c == 0)
    return;
  /* Control characters, C1 included (&#129; is none in Windows-1252). */
  if (c < 0x20 || (c >= 0x7F && c <= 0x9F))
    c = ' ';
  else if (!g_unichar_validate (c))
    c = 0xFFFD;

  g_string_append_unichar (out, c);
}

/* Reads "&…;" at @p; returns its length, 0 when it is none. */
static gsize
read_entity (const char *p,
             gunichar   *out_c)
{
  gsize len = 1;
  guint64 value = 0;

  if (p[1] == '#')
    {
      gboolean hex = p[2] == 'x' || p[2] == 'X';
      gsize start = hex ? 3 : 2;
      gsize i;

      for (i = start; i < MAX_ENTITY_LENGTH && g_ascii_isxdigit (p[i]); i++)
        {
          if (!hex && !g_ascii_isdigit (p[i]))
            break;
          value = value * (hex ? 16 : 10) + (guint64) g_ascii_xdigit_value (p[i]);
        }
      if (i == start || p[i] != ';')
        return 0;

      if (value >= 0x80 && value <= 0x9F && cp1252_high[value - 0x80] != 0)
        value = cp1252_high[value - 0x80];
      *out_c = value > 0x10FFFF ? 0xFFFD : (gunichar) value;

      return i + 1;
    }

  while (len < MAX_ENTITY_LENGTH && g_ascii_isalnum (p[len]))
    len++;
  if (len == 1 || p[len] != ';')
    return 0;

  for (guint i = 0; i < G_N_ELEMENTS (named_entities); i++)
    if (strlen (named_entities[i].name) == len - 1 &&
        strncmp (named_entities[i].name, p + 1, len - 1) == 0)
      {
        *out_c = named_entities[i].c;
        return len + 1;
      }

  return 0;
}

/* Reads a tag "<SUP>", "</SUP>", "<br />" at @p; returns its length, 0
 * when "<" starts no tag (as in "<5 lbs"). */
static gsize
read_tag (const char *p)
{
  gsize i = p[1] == '/' ? 2 : 1;

  if (!g_ascii_isalpha (p[i]))
    return 0;

  for (; i < MAX_TAG_LENGTH && p[i] != '\0'; i++)
    {
      if (p[i] == '>')
        return i + 1;
      if (p[i] == '<')
        return 0;
    }

  return 0;
}

/**
 * waybill_tracker_usps_decode_html:
 * @text: (nullable): a text field of a USPS answer
 *
 * Returns: (transfer full) (nullable): the text with tags dropped (a line
 *   break becomes a space) and character references decoded, cleaned
 */
char *
waybill_tracker_usps_decode_html (const char *text)
{
  g_autofree char *valid = NULL;
  g_autoptr(GString) out = NULL;

  if (text == NULL)
    return NULL;

  valid = g_utf8_make_valid (text, -1);
  out = g_string_sized_new (strlen (valid));

  for (const char *p = valid; *p != '\0';)
    {
      gunichar c = 0;
      gsize len;

      if (*p == '&' && (len = read_entity (p, &c)) > 0)
        {
          append_unichar (out, c);
          p += len;
        }
      else if (*p == '<' && (len = read_tag (p)) > 0)
        {
          /* "Item<br>Delivered" reads as two words. */
          if (g_ascii_strncasecmp (p, "<br", 3) == 0)
            g_string_append_c (out, ' ');
          p += len;
        }
      else
        g_string_append_c (out, *p++);
    }

  return waybill_text_clean (out->str);
}

/* ---- The status table --------------------------------------------------- */

typedef struct
{
  const char             *code;
  /* %WAYBILL_STATUS_INVALID: the event says nothing about where the item
   * is; with @is_delay, it says the item runs late. */
  WaybillStatus           status;
  WaybillExceptionReason  reason;
  gboolean                is_delay;
} CodeInfo;

#define AS(c, st)      { c, WAYBILL_STATUS_##st, WAYBILL_EXCEPTION_NONE, FALSE }
#define EXC(c, reason) { c, WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_##reason, FALSE }
#define RET(c, reason) { c, WAYBILL_STATUS_RETURNED, WAYBILL_EXCEPTION_##reason, FALSE }
#define LATE(c)        { c, WAYBILL_STATUS_INVALID, WAYBILL_EXCEPTION_DELAY, TRUE }
#define NEUTRAL(c)     { c, WAYBILL_STATUS_INVALID, WAYBILL_EXCEPTION_NONE, FALSE }

/* USPS Product Tracking event codes (eventCode). */
static const CodeInfo codes[] = {
  /* Before USPS has the item */
  AS ("GX", INFO_RECEIVED),           /* Shipping Label Created, USPS Awaiting Item */
  AS ("MA", INFO_RECEIVED),           /* Pre-Shipment Info Sent to USPS (manifest) */
  AS ("89", INFO_RECEIVED),           /* Merchant Order Receipt Notification */
  AS ("TM", INFO_RECEIVED),           /* Shipment Received, Package Acceptance Pending */
  /* Acceptance */
  AS ("03", PICKED_UP),               /* Accepted at USPS Origin Facility / Picked Up */
  AS ("OA", PICKED_UP),               /* Origin Acceptance */
  AS ("UA", PICKED_UP),               /* Accepted at USPS Facility */
  AS ("PA", PICKED_UP),               /* Passive Acceptance (Shipment Acceptance) */
  AS ("AD", PICKED_UP),               /* Acceptance at Destination */
  AS ("80", PICKED_UP),               /* Picked Up by Shipping Partner */
  AS ("83", PICKED_UP),               /* Tendered to Postal Service */
  /* In transit */
  AS ("SF", IN_TRANSIT),              /* Departed Post Office */
  AS ("EF", IN_TRANSIT),              /* Departed Sort Facility */
  AS ("10", IN_TRANSIT),              /* Processed (Arrived at USPS Regional Facility) */
  AS ("PC", IN_TRANSIT),              /* Sorting / Processing Complete */
  AS ("T1", IN_TRANSIT),              /* Departed USPS Regional Facility */
  AS ("A1", IN_TRANSIT),              /* Arrived at USPS Regional Facility */
  AS ("TL", IN_TRANSIT),              /* In Transit to Next Facility */
  AS ("07", IN_TRANSIT),              /* Arrival at Unit (Arrived at Post Office) */
  AS ("14", IN_TRANSIT),              /* Arrival at Pickup Point */
  AS ("19", IN_TRANSIT),              /* DC eVS Arrive */
  AS ("41", IN_TRANSIT),              /* Received at Opening Unit */
  AS ("42", IN_TRANSIT),              /* USPS Handoff to Shipping Partner */
  AS ("81", IN_TRANSIT),              /* Arrived Shipping Partner Facility */
  AS ("82", IN_TRANSIT),              /* Departed Shipping Partner Facility */
  AS ("06", IN_TRANSIT),              /* Forwarded */
  AS ("08", IN_TRANSIT),              /* Missent */
  AS ("15", IN_TRANSIT),              /* Mis-shipped */
  NEUTRAL ("DX"),                     /* Delivery Status Not Updated */
  LATE ("71"),                        /* Rescheduled to Next Delivery Day */
  /* Delivery */
  AS ("OF", OUT_FOR_DELIVERY),        /* Out for Delivery */
  AS ("01", DELIVERED),               /* Delivered */
  AS ("17", DELIVERED),               /* Picked Up by Agent */
  AS ("43", DELIVERED),               /* Picked Up (at the Post Office) */
  AS ("16", AVAILABLE_FOR_PICKUP),    /* Available for Pickup */
  /* Delivery attempts: a notice was left */
  AS ("02", FAILED_ATTEMPT),          /* Notice Left */
  AS ("52", FAILED_ATTEMPT),          /* Notice Left */
  AS ("53", FAILED_ATTEMPT),          /* Receptacle Blocked */
  AS ("54", FAILED_ATTEMPT),          /* Receptacle Full / Item Oversized */
  AS ("55", FAILED_ATTEMPT),          /* No Secure Location Available */
  AS ("56", FAILED_ATTEMPT),          /* No Authorized Recipient Available */
  AS ("30", FAILED_ATTEMPT),          /* Delivery Attempted – No Access to Delivery Location */
  AS ("51", FAILED_ATTEMPT),          /* Business Closed */
  /* Problems */
  EXC ("05", ADDRESS),                /* Undeliverable as Addressed */
  EXC ("11", LOST),                   /* Dead Letter */
  /* Returns to the sender */
  RET ("04", REFUSED),                /* Refused */
  RET ("09", NONE),                   /* Return to Sender */
  RET ("21", ADDRESS),                /* No Such Number */
  RET ("22", ADDRESS),                /* Insufficient Address */
  RET ("23", ADDRESS),                /* Moved, Left No Address */
  RET ("24", ADDRESS),                /* Forward Expired */
  RET ("25", ADDRESS),                /* Addressee Unknown */
  RET ("26", ADDRESS),                /* Vacant */
  RET ("27", NONE),                   /* Unclaimed */
  RET ("28", OTHER),                  /* Deceased */
  RET ("29", NONE),                   /* Return to Sender: Other */
  RET ("31", NONE),                   /* Not Picked Up */
  RET ("44", NONE),                   /* Customer Recall */
};

#undef AS
#undef EXC
#undef RET
#undef LATE
#undef NEUTRAL

/* Words of eventType (and of status and statusCategory) for the codes this
 * table does not know; case-folded, tried in this order. */
static const char * const returned_words[] = STRV (
  "return to sender", "returned to sender", "returning to sender", "being returned",
  "return to shipper");

static const char * const attempt_words[] = STRV (
  "notice left", "delivery attempt", "attempted", "no access to delivery",
  "receptacle", "no secure location", "no authorized recipient", "business closed");

static const char * const pickup_ready_words[] = STRV (
  "available for pickup", "ready for pickup", "held at post office", "held at the post office",
  "being held", "awaiting pickup");

static const char * const delivered_words[] = STRV (
  "delivered", "picked up at post office", "picked up at the post office", "picked up by agent");

static const char * const customs_held_words[] = STRV (
  "held", "detained", "awaiting", "delay", "payment", "pending", "inspection");

static const char * const late_words[] = STRV (
  "arriving late", "running late", "delayed", "delay", "rescheduled");

static const char * const label_words[] = STRV (
  "label created", "pre-shipment", "preshipment", "awaiting item", "shipping label",
  "shipment info");

static const char * const accepted_words[] = STRV (
  "accepted", "acceptance", "in possession", "picked up", "tendered");

static const char * const transit_words[] = STRV (
  "in transit", "in-transit", "arrived", "departed", "processed", "processing",
  "moving through", "forwarded", "missent", "on its way", "on the way", "sorting");

static const struct
{
  WaybillExceptionReason      reason;
  const char * const         *words;
} reason_words[] = {
  { WAYBILL_EXCEPTION_CUSTOMS, STRV ("customs", "clearance", "duties", "duty") },
  { WAYBILL_EXCEPTION_DAMAGED, STRV ("damage") },
  { WAYBILL_EXCEPTION_LOST, STRV ("lost", "dead letter", "missing mail") },
  { WAYBILL_EXCEPTION_REFUSED, STRV ("refused") },
  { WAYBILL_EXCEPTION_ADDRESS,
    STRV ("address", "no such number", "addressee unknown", "moved", "vacant",
          "forward expired") },
  { WAYBILL_EXCEPTION_WEATHER, STRV ("weather", "natural disaster", "storm", "flood") },
  { WAYBILL_EXCEPTION_DELAY, STRV ("arriving late", "delay", "late") },
};

static const char * const problem_words[] = STRV (
  "alert", "exception", "undeliverable", "damage", "lost", "refused", "dead letter",
  "unable to deliver", "insufficient address", "no such number", "addressee unknown");

static WaybillExceptionReason
reason_from_text (const char *folded)
{
  for (guint i = 0; i < G_N_ELEMENTS (reason_words); i++)
    if (waybill_text_has_any (folded, reason_words[i].words))
      return reason_words[i].reason;

  return WAYBILL_EXCEPTION_NONE;
}

typedef struct
{
  WaybillStatus           status;
  WaybillExceptionReason  reason;
  gboolean                is_late;
} Classification;

static void
classify_text (const char     *text,
               Classification *out)
{
  g_autofree char *folded = waybill_text_fold (text);
  WaybillExceptionReason reason = reason_from_text (folded);

  out->status = WAYBILL_STATUS_INVALID;
  out->reason = WAYBILL_EXCEPTION_NONE;
  out->is_late = FALSE;

  if (waybill_text_has_any (folded, returned_words))
    {
      out->status = WAYBILL_STATUS_RETURNED;
      out->reason = reason != WAYBILL_EXCEPTION_DELAY ? reason : WAYBILL_EXCEPTION_NONE;
    }
  else if (waybill_text_has_any (folded, attempt_words))
    out->status = WAYBILL_STATUS_FAILED_ATTEMPT;
  else if (waybill_text_has_any (folded, STRV ("out for delivery")))
    out->status = WAYBILL_STATUS_OUT_FOR_DELIVERY;
  else if (waybill_text_has_any (folded, pickup_ready_words))
    out->status = WAYBILL_STATUS_AVAILABLE_FOR_PICKUP;
  else if (waybill_text_has_any (folded, delivered_words) &&
           !waybill_text_has_any (folded, STRV ("not delivered", "undelivered")))
    out->status = WAYBILL_STATUS_DELIVERED;
  else if (waybill_text_has_any (folded, STRV ("customs")))
    {
      /* Customs is a stage of the journey, until it holds the item. */
      if (waybill_text_has_any (folded, customs_held_words))
        {
          out->status = WAYBILL_STATUS_EXCEPTION;
          out->reason = WAYBILL_EXCEPTION_CUSTOMS;
        }
      else
        out->status = WAYBILL_STATUS_IN_TRANSIT;
    }
  else if (waybill_text_has_any (folded, late_words))
    {
      out->is_late = TRUE;
      out->reason = reason == WAYBILL_EXCEPTION_WEATHER ? reason : WAYBILL_EXCEPTION_DELAY;
    }
  else if (waybill_text_has_any (folded, problem_words))
    {
      out->status = WAYBILL_STATUS_EXCEPTION;
      out->reason = reason != WAYBILL_EXCEPTION_NONE && reason != WAYBILL_EXCEPTION_DELAY
                    ? reason : WAYBILL_EXCEPTION_OTHER;
    }
  else if (waybill_text_has_any (folded, STRV ("weather")))
    {
      out->is_late = TRUE;
      out->reason = WAYBILL_EXCEPTION_WEATHER;
    }
  else if (waybill_text_has_any (folded, label_words))
    out->status = WAYBILL_STATUS_INFO_RECEIVED;
  else if (waybill_text_has_any (folded, accepted_words))
    out->status = WAYBILL_STATUS_PICKED_UP;
  else if (waybill_text_has_any (folded, transit_words))
    out->status = WAYBILL_STATUS_IN_TRANSIT;
}

static const CodeInfo *
lookup_code (const char *code)
{
  if (code == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    if (g_ascii_strcasecmp (code, codes[i].code) == 0)
      return &codes[i];

  return NULL;
}

/* An event: its code when this table knows it, else its words. */
static void
classify_event (const char     *code,
                const char     *text,
                Classification *out)
{
  const CodeInfo *info = lookup_code (code);

  if (info == NULL)
    {
      classify_text (text, out);
      return;
    }

  out->status = info->status;
  out->reason = info->reason;
  out->is_late = info->is_delay;

  /* An undeliverable item says why in its words. */
  if (info->status == WAYBILL_STATUS_EXCEPTION)
    {
      g_autofree char *folded = waybill_text_fold (text);
      WaybillExceptionReason reason = reason_from_text (folded);

      if (reason != WAYBILL_EXCEPTION_NONE && reason != WAYBILL_EXCEPTION_DELAY)
        out->reason = reason;
    }
}

/* ---- Times -------------------------------------------------------------- */

/* "-05:00", "+0530", "-5" */
static gboolean
parse_offset (const char *text,
              int        *out_seconds)
{
  char digits[5];
  gsize len = 0;
  int hours, minutes = 0;

  if (text == NULL || (text[0] != '+' && text[0] != '-'))
    return FALSE;

  for (const char *p = text + 1; *p != '\0'; p++)
    {
      if (*p == ':')
        continue;
      if (!g_ascii_isdigit (*p) || len == sizeof digits - 1)
        return FALSE;
      digits[len++] = *p;
    }
  digits[len] = '\0';

  if (len == 0)
    return FALSE;
  if (len <= 2)
    hours = (int) g_ascii_strtoll (digits, NULL, 10);
  else
    {
      minutes = (int) g_ascii_strtoll (digits + len - 2, NULL, 10);
      digits[len - 2] = '\0';
      hours = (int) g_ascii_strtoll (digits, NULL, 10);
    }

  if (hours > 14 || minutes > 59)
    return FALSE;

  *out_seconds = (text[0] == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
  return TRUE;
}

/* The same wall-clock fields, read as UTC. */
static GDateTime *
fields_as_utc (GDateTime *time)
{
  return g_date_time_new_utc (g_date_time_get_year (time), g_date_time_get_month (time),
                              g_date_time_get_day_of_month (time), g_date_time_get_hour (time),
                              g_date_time_get_minute (time),
                              g_date_time_get_seconds (time));
}

static GDateTime *
at_offset (GDateTime *time,
           int        offset)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_offset (offset);

  return g_date_time_to_timezone (time, zone);
}

/* An event's time: GMTTimestamp shown at GMTOffset (or at the offset its
 * local time shows), else eventTimestamp at GMTOffset, else eventTimestamp
 * as written, a local time. */
static GDateTime *
event_time (JsonObject *event,
            gboolean   *out_is_local)
{
  gboolean local_is_local = FALSE, gmt_is_local = FALSE;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) gmt = NULL;
  int offset;
  gboolean has_offset;

  *out_is_local = FALSE;

  local = waybill_parse_iso8601 (waybill_json_get_string (event, "eventTimestamp"),
                                 &local_is_local);
  gmt = waybill_parse_iso8601 (waybill_json_get_string (event, "GMTTimestamp"), &gmt_is_local);
  has_offset = parse_offset (waybill_json_get_string (event, "GMTOffset"), &offset);

  if (gmt != NULL && gmt_is_local)
    {
      GDateTime *utc = fields_as_utc (gmt);

      g_date_time_unref (gmt);
      gmt = utc;
    }

  if (gmt != NULL)
    {
      if (has_offset)
        return at_offset (gmt, offset);

      /* No offset: the one between the local time and GMT, in quarters of
       * an hour (GMT has seconds the local time does not). */
      if (local != NULL && local_is_local)
        {
          g_autoptr(GDateTime) local_fields = fields_as_utc (local);
          gint64 seconds;

          if (local_fields != NULL)
            {
              seconds = g_date_time_difference (local_fields, gmt) / G_TIME_SPAN_SECOND;
              seconds = (seconds >= 0 ? seconds + 450 : seconds - 450) / 900 * 900;
              if (seconds >= -14 * 3600 && seconds <= 14 * 3600)
                return at_offset (gmt, (int) seconds);
            }
        }

      return g_steal_pointer (&gmt);
    }

  if (local == NULL)
    return NULL;

  if (local_is_local && has_offset)
    {
      g_autoptr(GTimeZone) zone = g_time_zone_new_offset (offset);

      return g_date_time_new (zone, g_date_time_get_year (local), g_date_time_get_month (local),
                              g_date_time_get_day_of_month (local), g_date_time_get_hour (local),
                              g_date_time_get_minute (local), g_date_time_get_seconds (local));
    }

  *out_is_local = local_is_local;
  return g_steal_pointer (&local);
}

/* "2024-11-22", or the date of a longer timestamp. */
static gboolean
parse_date (const char *text,
            int        *year,
            int        *month,
            int        *day)
{
  char tail;

  if (text == NULL || strlen (text) < 10)
    return FALSE;

  return sscanf (text, "%4d-%2d-%2d%c", year, month, day, &tail) >= 3 &&
         g_ascii_isdigit (text[9]) && (text[10] == '\0' || text[10] == 'T' || text[10] == ' ');
}

/* A window time: "13:00", "13:00:00", "1:00pm", "1:00 PM", "9pm". */
static gboolean
parse_clock (const char *text,
             int        *hour,
             int        *minute)
{
  g_autofree char *folded = NULL;
  const char *p;
  int h = 0, m = 0, n = 0;

  if (text == NULL)
    return FALSE;

  folded = g_ascii_strdown (text, -1);
  g_strstrip (folded);
  p = folded;

  for (; g_ascii_isdigit (*p) && n < 2; p++, n++)
    h = h * 10 + (*p - '0');
  if (n == 0)
    return FALSE;

  if (*p == ':')
    {
      p++;
      if (!g_ascii_isdigit (p[0]) || !g_ascii_isdigit (p[1]))
        return FALSE;
      m = (p[0] - '0') * 10 + (p[1] - '0');
      p += 2;
      /* Seconds, ignored. */
      if (p[0] == ':' && g_ascii_isdigit (p[1]) && g_ascii_isdigit (p[2]))
        p += 3;
    }

  while (*p == ' ')
    p++;

  if (g_str_equal (p, "am") || g_str_equal (p, "a.m.") ||
      g_str_equal (p, "pm") || g_str_equal (p, "p.m."))
    {
      if (h < 1 || h > 12)
        return FALSE;
      h = h % 12 + (p[0] == 'p' ? 12 : 0);
    }
  else if (*p != '\0')
    return FALSE;

  if (h > 23 || m > 59)
    return FALSE;

  *hour = h;
  *minute = m;
  return TRUE;
}

static GDateTime *
date_at_clock (const char *date,
               const char *clock)
{
  int year, month, day, hour, minute;

  if (!parse_date (date, &year, &month, &day) || !parse_clock (clock, &hour, &minute))
    return NULL;

  return waybill_date_time_new_local (year, month, day, hour, minute, 0);
}

/* A "by" time: the time itself, or the end of a day given alone (at
 * midnight). */
static GDateTime *
deadline (const char *text)
{
  g_autoptr(GDateTime) time = waybill_parse_iso8601 (text, NULL);

  if (time == NULL)
    return NULL;

  if (g_date_time_get_hour (time) == 0 && g_date_time_get_minute (time) == 0 &&
      g_date_time_get_second (time) == 0)
    return g_date_time_add_full (time, 0, 0, 0, 23, 59, 59);

  return g_steal_pointer (&time);
}

/* The field at the top level, or in deliveryDateExpectation where newer
 * answers put it. */
static const char *
expectation (JsonObject *root,
             const char *member)
{
  const char *value = waybill_json_get_string (root, member);

  if (value == NULL || *value == '\0')
    value = waybill_json_lookup_string (root, "deliveryDateExpectation", member, NULL);

  return value != NULL && *value != '\0' ? value : NULL;
}

/* The expected delivery: the predicted window when there is one, else the
 * expected time, else the predicted date, else the guaranteed time. */
static void
read_estimate (JsonObject            *root,
               WaybillTrackingResult *result)
{
  const char *date = expectation (root, "predictedDeliveryDate");
  const char *start = expectation (root, "predictedDeliveryWindowStartTime");
  const char *end = expectation (root, "predictedDeliveryWindowEndTime");
  static const char * const deadlines[] = {
    "expectedDeliveryTimeStamp", "expectedDeliveryDate", "predictedDeliveryTimeStamp",
    "predictedDeliveryDate", "guaranteedDeliveryTimeStamp", "guaranteedDeliveryDate",
  };

  if (date == NULL)
    date = expectation (root, "expectedDeliveryDate");
  if (date == NULL)
    date = expectation (root, "expectedDeliveryTimeStamp");

  if (date != NULL && (start != NULL || end != NULL))
    {
      g_autoptr(GDateTime) from = date_at_clock (date, start);
      g_autoptr(GDateTime) to = date_at_clock (date, end);

      if (from == NULL)
        from = waybill_parse_iso8601 (start, NULL);
      if (to == NULL)
        to = waybill_parse_iso8601 (end, NULL);
      if (from != NULL && to != NULL && g_date_time_compare (to, from) < 0)
        g_clear_pointer (&from, g_date_time_unref);
      if (to == NULL && from != NULL)
        {
          int year, month, day;

          if (parse_date (date, &year, &month, &day))
            to = waybill_date_time_new_local (year, month, day, 23, 59, 59);
        }

      if (to != NULL)
        {
          result->estimated_from = g_steal_pointer (&from);
          result->estimated_to = g_steal_pointer (&to);
          return;
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (deadlines); i++)
    {
      result->estimated_to = deadline (expectation (root, deadlines[i]));
      if (result->estimated_to != NULL)
        return;
    }
}

/* ---- Reading an answer -------------------------------------------------- */

static char *
location_of (JsonObject *event)
{
  g_autofree char *city = waybill_tracker_usps_decode_html (waybill_json_get_string (event,
                                                                                     "eventCity"));
  const char *state = waybill_json_get_string (event, "eventState");
  const char *zip = waybill_json_get_string (event, "eventZIP");
  g_autofree char *state_zip = NULL;
  GString *location = g_string_new (NULL);

  if (zip == NULL)
    zip = waybill_json_get_string (event, "eventZIPCode");
  state_zip = g_strjoin (" ", state ?: "", zip ?: "", NULL);

  waybill_location_append (location, city);
  waybill_location_append (location, state_zip);
  waybill_location_append (location, waybill_json_get_string (event, "eventCountry"));

  if (location->len == 0)
    {
      g_string_free (location, TRUE);
      return NULL;
    }

  return g_string_free (location, FALSE);
}

typedef struct
{
  WaybillTrackingEvent *event;
  JsonObject           *object;
  Classification        kind;
} Event;

static void
event_clear (Event *event)
{
  g_clear_object (&event->event);
}

static int
compare_events_newest_first (gconstpointer a,
                             gconstpointer b)
{
  const Event *event_a = a;
  const Event *event_b = b;

  return g_date_time_compare (waybill_tracking_event_get_time (event_b->event),
                              waybill_tracking_event_get_time (event_a->event));
}

static GArray *
read_events (JsonArray *tracking_events)
{
  GArray *events = g_array_new (FALSE, TRUE, sizeof (Event));

  g_array_set_clear_func (events, (GDestroyNotify) event_clear);

  for (guint i = 0; i < waybill_json_array_length (tracking_events); i++)
    {
      JsonObject *object = waybill_json_array_get_object (tracking_events, i);
      const char *code = waybill_json_get_string (object, "eventCode");
      g_autoptr(GDateTime) time = NULL;
      g_autofree char *description = NULL;
      g_autofree char *location = NULL;
      gboolean is_local;
      Event event = { NULL, object, { WAYBILL_STATUS_INVALID, WAYBILL_EXCEPTION_NONE, FALSE } };

      time = event_time (object, &is_local);
      if (time == NULL)
        continue;

      description = waybill_tracker_usps_decode_html (waybill_json_get_string (object,
                                                                               "eventType"));
      classify_event (code, description, &event.kind);
      location = location_of (object);

      event.event = waybill_tracking_event_new (time,
                                                event.kind.status != WAYBILL_STATUS_INVALID
                                                ? event.kind.status
                                                : WAYBILL_STATUS_IN_TRANSIT,
                                                code, description, location);
      waybill_tracking_event_set_time_is_local (event.event, is_local);
      g_array_append_val (events, event);
    }

  g_array_sort (events, compare_events_newest_first);

  return events;
}

static char *
signer_of (JsonObject *event)
{
  g_autofree char *name = waybill_tracker_usps_decode_html (waybill_json_get_string (event,
                                                                                     "name"));

  if (name != NULL)
    return g_steal_pointer (&name);

  return waybill_tracker_usps_decode_html (waybill_json_get_string (event, "recipientName"));
}

static WaybillTrackingResult *
parse_item (JsonObject *root)
{
  g_autoptr(GArray) events = read_events (waybill_json_get_array (root, "trackingEvents"));
  g_autofree char *status_text = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *category = NULL;
  Classification kind = { WAYBILL_STATUS_INVALID, WAYBILL_EXCEPTION_NONE, FALSE };
  WaybillExceptionReason late_reason = WAYBILL_EXCEPTION_NONE;
  WaybillTrackingResult *result;
  Event *deciding = NULL;

  status_text = waybill_tracker_usps_decode_html (waybill_json_get_string (root, "status"));
  summary = waybill_tracker_usps_decode_html (waybill_json_get_string (root, "statusSummary"));
  category = waybill_tracker_usps_decode_html (waybill_json_get_string (root, "statusCategory"));

  /* The newest event that tells where the item is; a late alert newer
   * than it marks the item late. */
  for (guint i = 0; i < events->len && deciding == NULL; i++)
    {
      Event *event = &g_array_index (events, Event, i);

      if (event->kind.is_late && late_reason == WAYBILL_EXCEPTION_NONE)
        late_reason = event->kind.reason;
      if (event->kind.status != WAYBILL_STATUS_INVALID)
        deciding = event;
    }

  if (deciding != NULL)
    kind = deciding->kind;
  else
    {
      /* No event tells: the item's status, then its category. */
      const char *texts[] = { status_text, category };

      for (guint i = 0; i < G_N_ELEMENTS (texts) && kind.status == WAYBILL_STATUS_INVALID; i++)
        {
          classify_text (texts[i], &kind);
          if (kind.is_late && late_reason == WAYBILL_EXCEPTION_NONE)
            late_reason = kind.reason;
        }
    }

  if (kind.status == WAYBILL_STATUS_INVALID)
    kind.status = events->len > 0 ? WAYBILL_STATUS_IN_TRANSIT : WAYBILL_STATUS_PENDING;

  /* "Return to Sender Processed" says why no more than the event before
   * it did: "No Such Number". */
  if (kind.status == WAYBILL_STATUS_RETURNED && kind.reason == WAYBILL_EXCEPTION_NONE)
    {
      for (guint i = 0; i < events->len && kind.reason == WAYBILL_EXCEPTION_NONE; i++)
        {
          Event *event = &g_array_index (events, Event, i);

          if (event->kind.status == WAYBILL_STATUS_RETURNED ||
              event->kind.status == WAYBILL_STATUS_EXCEPTION)
            kind.reason = event->kind.reason;
        }
    }

  result = waybill_tracking_result_new (kind.status);
  result->sub_status = status_text != NULL ? g_steal_pointer (&status_text)
                                           : g_steal_pointer (&summary);

  if (kind.status == WAYBILL_STATUS_EXCEPTION || kind.status == WAYBILL_STATUS_RETURNED)
    result->exception_reason = kind.reason;
  else if (late_reason != WAYBILL_EXCEPTION_NONE && !waybill_status_is_final (kind.status))
    result->exception_reason = late_reason;

  for (guint i = 0; i < events->len; i++)
    waybill_tracking_result_add_event (result, g_array_index (events, Event, i).event);

  if (kind.status == WAYBILL_STATUS_DELIVERED)
    {
      for (guint i = 0; i < events->len && result->delivered_at == NULL; i++)
        {
          Event *event = &g_array_index (events, Event, i);

          if (event->kind.status == WAYBILL_STATUS_DELIVERED)
            {
              result->delivered_at = g_date_time_ref (waybill_tracking_event_get_time (event->event));
              result->signed_by = signer_of (event->object);
            }
        }
    }
  else if (!waybill_status_is_final (kind.status))
    read_estimate (root, result);

  return result;
}

static WaybillTrackingReply *
reply_error (const char *number,
             GError     *error,
             guint       retry_after)
{
  WaybillTrackingReply *reply = waybill_tracking_reply_new_error (number, error, retry_after);

  g_error_free (error);

  return reply;
}

/* The words of {apiVersion, error:{code, message, errors:[{title, detail}]}},
 * folded. */
static char *
error_text (JsonObject *root)
{
  JsonObject *error = waybill_json_get_object (root, "error");
  JsonArray *errors = waybill_json_get_array (error, "errors");
  GString *text = g_string_new (waybill_json_get_string (error, "message"));
  g_autofree char *joined = NULL;

  /* OAuth-style errors: {"error":"invalid_request","error_description":…}. */
  g_string_append_c (text, ' ');
  g_string_append (text, waybill_json_get_string (root, "error_description") ?: "");

  for (guint i = 0; i < waybill_json_array_length (errors); i++)
    {
      JsonObject *item = waybill_json_array_get_object (errors, i);

      g_string_append_printf (text, " | %s | %s", waybill_json_get_string (item, "title") ?: "",
                              waybill_json_get_string (item, "detail") ?: "");
    }

  joined = g_string_free (text, FALSE);

  return waybill_text_fold (joined);
}

/* The HTTP status an error body names, when a 200 carries one. */
static guint
error_status (JsonObject *root)
{
  JsonObject *error = waybill_json_get_object (root, "error");
  gint64 code;

  if (error == NULL || !waybill_json_get_int (error, "code", &code) || code < 400 || code > 599)
    return 0;

  return (guint) code;
}

static WaybillTrackingReply *
parse_response (WaybillTrackerUsps        *self,
                const char                *number,
                const WaybillHttpResponse *response)
{
  WaybillTracker *tracker = WAYBILL_TRACKER (self);
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(GError) parse_error = NULL;
  GError *error = NULL;
  guint status = response->status;

  root = waybill_http_response_get_object (response, tracker, &parse_error);
  if (waybill_http_response_is_success (response) && error_status (root) != 0)
    status = error_status (root);

  /* "The tracking number may be incorrect or the status update is not yet
   * available": to Waybill, an unknown number. */
  if (status == SOUP_STATUS_NOT_FOUND)
    return reply_error (number, waybill_tracker_error_new_not_found (tracker, number), 0);
  if (status == SOUP_STATUS_BAD_REQUEST)
    {
      g_autofree char *text = error_text (root);

      if (waybill_text_has_any (text, STRV ("not yet available", "not found", "no record",
                                            "not available")))
        return reply_error (number, waybill_tracker_error_new_not_found (tracker, number), 0);
      if (waybill_text_has_any (text, STRV ("invalid", "incorrect", "not valid")))
        return reply_error (number, waybill_tracker_error_new_invalid_number (tracker, number), 0);
    }
  if (status != response->status)
    return reply_error (number, waybill_tracker_error_new_http (tracker, status), 0);
  if (!waybill_tracker_check_status (tracker, response, &error))
    return reply_error (number, error, response->retry_after_seconds);
  if (root == NULL)
    return reply_error (number, g_steal_pointer (&parse_error), 0);

  if (waybill_json_get_array (root, "trackingEvents") == NULL &&
      waybill_json_get_string (root, "status") == NULL &&
      waybill_json_get_string (root, "statusCategory") == NULL)
    return reply_error (number,
                        waybill_tracker_error_new (tracker, WAYBILL_TRACKER_ERROR_BAD_RESPONSE,
                                                   _("no tracking information")),
                        0);

  return waybill_tracking_reply_new_result (number, parse_item (root));
}

/**
 * waybill_tracker_usps_parse_response:
 * @number: the number asked about
 * @status: the HTTP status
 * @body: the body
 *
 * Returns: (transfer full): the reply for @number
 */
WaybillTrackingReply *
waybill_tracker_usps_parse_response (WaybillTrackerUsps *self,
                                     const char         *number,
                                     guint               status,
                                     GBytes             *body)
{
  g_autoptr(WaybillHttpResponse) response = NULL;

  g_return_val_if_fail (WAYBILL_IS_TRACKER_USPS (self), NULL);
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
  g_autofree char *path = g_strconcat (TRACK_PATH, escaped, "?expand=DETAIL", NULL);

  return waybill_tracker_new_message (tracker, "GET", path, error);
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WaybillTrackerUsps *self = g_task_get_source_object (task);
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
waybill_tracker_usps_track_async (WaybillTracker      *tracker,
                                  const char * const  *numbers,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  WaybillTrackerUsps *self = WAYBILL_TRACKER_USPS (tracker);
  GTask *task;

  g_assert (numbers[0] != NULL && numbers[1] == NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, waybill_tracker_usps_track_async);
  g_task_set_task_data (task, g_strdup (numbers[0]), g_free);

  waybill_oauth_token_send_async (self->token, build_request, g_strdup (numbers[0]), g_free,
                                  cancellable, sent_cb, task);
}

static GPtrArray *
waybill_tracker_usps_track_finish (WaybillTracker  *tracker,
                                   GAsyncResult    *result,
                                   GError         **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
waybill_tracker_usps_constructed (GObject *object)
{
  WaybillTrackerUsps *self = WAYBILL_TRACKER_USPS (object);

  G_OBJECT_CLASS (waybill_tracker_usps_parent_class)->constructed (object);

  self->token = waybill_oauth_token_new (WAYBILL_TRACKER (self), TOKEN_PATH,
                                         WAYBILL_OAUTH_CLIENT_AUTH_FORM, SCOPE);
}

static void
waybill_tracker_usps_dispose (GObject *object)
{
  WaybillTrackerUsps *self = WAYBILL_TRACKER_USPS (object);

  g_clear_object (&self->token);

  G_OBJECT_CLASS (waybill_tracker_usps_parent_class)->dispose (object);
}

static void
waybill_tracker_usps_class_init (WaybillTrackerUspsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  WaybillTrackerClass *tracker_class = WAYBILL_TRACKER_CLASS (klass);

  object_class->constructed = waybill_tracker_usps_constructed;
  object_class->dispose = waybill_tracker_usps_dispose;

  tracker_class->id = "usps";
  tracker_class->name = "USPS";
  tracker_class->default_url = "https://apis.usps.com";
  tracker_class->batch_size = 1;
  /* The hourly quota of a new application: 60 requests an hour. */
  tracker_class->requests_per_second = 60.0 / 3600.0;
  tracker_class->auth = WAYBILL_TRACKER_AUTH_CLIENT;
  tracker_class->track_async = waybill_tracker_usps_track_async;
  tracker_class->track_finish = waybill_tracker_usps_track_finish;
}

static void
waybill_tracker_usps_init (WaybillTrackerUsps *self)
{
}

/**
 * waybill_tracker_usps_new:
 * @session: (nullable): the session to share, %NULL for a new one
 *
 * Returns: (transfer full): a USPS tracker
 */
WaybillTracker *
waybill_tracker_usps_new (SoupSession *session)
{
  return g_object_new (WAYBILL_TYPE_TRACKER_USPS, "session", session, NULL);
}
