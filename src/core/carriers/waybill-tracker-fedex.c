/* waybill-tracker-fedex.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-tracker-fedex"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "waybill-oauth-token.h"
#include "waybill-tracker-fedex.h"

/* FedEx Track API v1: POST /track/v1/trackingnumbers with a JSON body that
 * asks about up to 30 numbers at once, and an OAuth client-credentials
 * token from POST /oauth/token (the client id and secret as form fields).
 *
 * The answer holds one completeTrackResults item per number asked, each
 * with trackResults: the latest status (a two-letter code such as DL, and
 * a derivedCode that groups codes), the scan events, the dates and times
 * (ACTUAL_DELIVERY, ESTIMATED_DELIVERY…) and the estimated delivery window;
 * or, for a number FedEx does not know, a per-number error
 * TRACKING.TRACKINGNUMBER.NOTFOUND inside an HTTP 200.
 *
 * A shipment FedEx says runs late (derivedCode RL, or a delayDetail with
 * status DELAYED) keeps the status of where it is; WaybillTrackingResult
 * has no delayed flag, so the delay shows as its exception_reason (delay,
 * weather or customs) beside a status that is not an exception. */
struct _WaybillTrackerFedex
{
  WaybillTracker     parent_instance;

  WaybillOAuthToken *token;
};

G_DEFINE_FINAL_TYPE (WaybillTrackerFedex, waybill_tracker_fedex, WAYBILL_TYPE_TRACKER)

#define TOKEN_PATH "/oauth/token"
#define TRACK_PATH "/track/v1/trackingnumbers"

/* FedEx's documented limit of numbers per request. */
#define BATCH_SIZE 30

#define STRV(...) ((const char * const []) { __VA_ARGS__, NULL })

/* ---- The status table --------------------------------------------------- */

typedef struct
{
  const char             *code;
  /* %WAYBILL_STATUS_INVALID: the code says nothing about where the parcel
   * is (a delivery option was changed, a return label was e-mailed…). */
  WaybillStatus           status;
  /* The reason of an exception when its words do not tell a better one. */
  WaybillExceptionReason  reason;
  /* A delay rather than a problem: with derivedCode RL it is "running
   * late", not an exception. */
  gboolean                is_delay;
} CodeInfo;

#define AS(c, st)        { c, WAYBILL_STATUS_##st, WAYBILL_EXCEPTION_NONE, FALSE }
#define EXC(c, reason)   { c, WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_##reason, FALSE }
#define DELAY(c, reason) { c, WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_##reason, TRUE }
#define NEUTRAL(c)       { c, WAYBILL_STATUS_INVALID, WAYBILL_EXCEPTION_NONE, FALSE }

/* FedEx "Tracking Status Codes" (eventType, latestStatusDetail.code), every
 * documented one, and the derived codes (derivedStatusCode, derivedCode)
 * that are not also event codes.  The possession codes of the same table
 * (CA carrier, RC recipient, SH shipper, CU customs, BR broker, TP transfer
 * partner) never appear as event types: CA and RC there mean "shipment
 * cancelled" and "CDO cancelled". */
static const CodeInfo codes[] = {
  /* Movement */
  AS ("AA", IN_TRANSIT),              /* At Airport */
  AS ("AC", IN_TRANSIT),              /* At Canada Post facility */
  AS ("AD", OUT_FOR_DELIVERY),        /* At Delivery */
  NEUTRAL ("AE"),                     /* Shipment arriving early */
  AS ("AF", IN_TRANSIT),              /* At local FedEx Facility */
  NEUTRAL ("AO"),                     /* Shipment arriving On-time */
  AS ("AP", INFO_RECEIVED),           /* At Pickup */
  AS ("AR", IN_TRANSIT),              /* Arrived at FedEx location */
  AS ("AX", IN_TRANSIT),              /* At USPS facility */
  EXC ("CA", OTHER),                  /* Shipment Cancelled */
  AS ("CH", IN_TRANSIT),              /* Location Changed */
  DELAY ("DD", DELAY),                /* Delivery Delay */
  EXC ("DE", OTHER),                  /* Delivery Exception */
  AS ("DL", DELIVERED),               /* Delivered */
  AS ("DP", IN_TRANSIT),              /* Departed */
  NEUTRAL ("DR"),                     /* Vehicle furnished but not used */
  NEUTRAL ("DS"),                     /* Vehicle Dispatched */
  DELAY ("DY", DELAY),                /* Delay */
  AS ("EA", IN_TRANSIT),              /* Enroute to Airport; Export Approved */
  AS ("ED", OUT_FOR_DELIVERY),        /* Enroute to Delivery */
  AS ("EO", IN_TRANSIT),              /* Enroute to Origin Airport */
  AS ("EP", INFO_RECEIVED),           /* Enroute to Pickup */
  AS ("FD", IN_TRANSIT),              /* At FedEx Destination */
  AS ("HL", AVAILABLE_FOR_PICKUP),    /* Hold at Location */
  AS ("HP", AVAILABLE_FOR_PICKUP),    /* Ready for Recipient Pickup */
  AS ("IT", IN_TRANSIT),              /* In Transit */
  AS ("IX", IN_TRANSIT),              /* In transit (see Details) */
  NEUTRAL ("LP"),                     /* Return label link cancelled by shipment originator */
  AS ("LO", IN_TRANSIT),              /* Left Origin */
  AS ("OC", INFO_RECEIVED),           /* Order Created */
  AS ("OD", OUT_FOR_DELIVERY),        /* Out for Delivery */
  AS ("OF", IN_TRANSIT),              /* At FedEx origin facility */
  AS ("OW", IN_TRANSIT),              /* On the way */
  AS ("OX", IN_TRANSIT),              /* Shipment information sent to USPS */
  DELAY ("PD", DELAY),                /* Pickup Delay */
  AS ("PF", IN_TRANSIT),              /* Plane in Flight */
  AS ("PL", IN_TRANSIT),              /* Plane Landed */
  AS ("PM", IN_TRANSIT),              /* In Progress */
  AS ("PU", PICKED_UP),               /* Picked Up */
  AS ("PX", PICKED_UP),               /* Picked up (see Details) */
  NEUTRAL ("RC"),                     /* CDO Cancelled */
  NEUTRAL ("RD"),                     /* Return label link expired */
  NEUTRAL ("RG"),                     /* Return label link expiring soon */
  NEUTRAL ("RM"),                     /* CDO Modified */
  NEUTRAL ("RP"),                     /* Return label link emailed to return sender */
  NEUTRAL ("RR"),                     /* CDO requested */
  AS ("RS", RETURNED),                /* Return to Shipper */
  EXC ("SE", OTHER),                  /* Shipment Exception */
  AS ("SF", IN_TRANSIT),              /* At Sort Facility */
  NEUTRAL ("SP"),                     /* Split Status */
  AS ("TR", IN_TRANSIT),              /* Transfer */
  /* Regulatory */
  AS ("CC", IN_TRANSIT),              /* Cleared Customs */
  EXC ("CD", CUSTOMS),                /* Clearance Delay */
  AS ("CP", IN_TRANSIT),              /* Clearance in Progress */
  /* Derived codes */
  AS ("IN", INFO_RECEIVED),           /* Initiated: label created */
};

#undef AS
#undef EXC
#undef DELAY
#undef NEUTRAL

/* Every list holds case-folded text (see waybill_text_fold()). */
static const struct
{
  WaybillExceptionReason      reason;
  const char * const         *words;
} reason_words[] = {
  { WAYBILL_EXCEPTION_CUSTOMS,
    STRV ("customs", "clearance", "broker", "duties", "duty", "regulatory",
          "government agency") },
  { WAYBILL_EXCEPTION_DAMAGED, STRV ("damage") },
  { WAYBILL_EXCEPTION_LOST,
    STRV ("lost", "unable to locate", "cannot be located", "could not be located") },
  { WAYBILL_EXCEPTION_REFUSED, STRV ("refused", "rejected", "declined") },
  { WAYBILL_EXCEPTION_ADDRESS,
    STRV ("address", "customer moved", "recipient moved", "has moved", "recipient unknown",
          "consignee unknown", "not at this location") },
  { WAYBILL_EXCEPTION_WEATHER,
    STRV ("weather", "natural disaster", "storm", "flood", "hurricane", "snow", "tornado") },
  { WAYBILL_EXCEPTION_DELAY,
    STRV ("delay", "running late", "arriving late", "late arrival", "missed", "rescheduled",
          "mechanical") },
};

static const char * const returned_words[] = STRV (
  "return to shipper", "returned to shipper", "returning to shipper", "return to sender",
  "returned to sender", "being returned");

/* A delivery exception that is a failed attempt, not a problem. */
static const char * const attempt_words[] = STRV (
  "customer not available", "recipient not available", "not available", "business closed",
  "no one available", "nobody available", "customer not in", "recipient not in",
  "delivery attempt", "attempted delivery",
  "future delivery requested", "customer requested future delivery");

static WaybillExceptionReason
reason_from_text (const char *folded)
{
  for (guint i = 0; i < G_N_ELEMENTS (reason_words); i++)
    if (waybill_text_has_any (folded, reason_words[i].words))
      return reason_words[i].reason;

  return WAYBILL_EXCEPTION_NONE;
}

/* delayDetail{type, subType, status}: type WEATHER, CLEARANCE, OPERATIONAL,
 * LOCAL, GENERAL… */
static WaybillExceptionReason
reason_from_delay_detail (JsonObject *delay_detail)
{
  const char *type = waybill_json_get_string (delay_detail, "type");

  if (type == NULL)
    return WAYBILL_EXCEPTION_NONE;
  if (g_ascii_strcasecmp (type, "WEATHER") == 0)
    return WAYBILL_EXCEPTION_WEATHER;
  if (g_ascii_strcasecmp (type, "CLEARANCE") == 0 || g_ascii_strcasecmp (type, "CUSTOMS") == 0)
    return WAYBILL_EXCEPTION_CUSTOMS;

  return WAYBILL_EXCEPTION_DELAY;
}

static gboolean
is_delayed (JsonObject *delay_detail)
{
  return g_strcmp0 (waybill_json_get_string (delay_detail, "status"), "DELAYED") == 0;
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

/* Why a parcel goes back, when its words say: refused, a wrong address… */
static WaybillExceptionReason
return_reason (const char *folded)
{
  WaybillExceptionReason reason = reason_from_text (folded);

  return reason != WAYBILL_EXCEPTION_DELAY ? reason : WAYBILL_EXCEPTION_NONE;
}

static gboolean
is_running_late (const char *derived)
{
  return derived != NULL && g_ascii_strcasecmp (derived, "RL") == 0;
}

/**
 * classify:
 * @code: (nullable): an eventType or latestStatusDetail.code
 * @derived: (nullable): its derivedStatusCode or derivedCode
 * @folded: the folded text that goes with it
 * @delay_detail: (nullable): its delayDetail
 * @out_reason: (out): the exception reason
 *
 * Returns: the Waybill status, or %WAYBILL_STATUS_INVALID when the codes
 *   say nothing about where the parcel is
 */
static WaybillStatus
classify (const char             *code,
          const char             *derived,
          const char             *folded,
          JsonObject             *delay_detail,
          WaybillExceptionReason *out_reason)
{
  const CodeInfo *info = lookup_code (code);
  WaybillExceptionReason reason;

  *out_reason = WAYBILL_EXCEPTION_NONE;

  /* The derived code groups the event codes, and names a few of its own. */
  if (info == NULL || info->status == WAYBILL_STATUS_INVALID)
    {
      const CodeInfo *derived_info = lookup_code (derived);

      if (derived_info != NULL)
        info = derived_info;
    }

  if (info == NULL)
    {
      /* A code this version does not know: its words may still tell. */
      if (waybill_text_has_any (folded, returned_words))
        {
          *out_reason = return_reason (folded);
          return WAYBILL_STATUS_RETURNED;
        }
      return is_running_late (derived) ? WAYBILL_STATUS_IN_TRANSIT : WAYBILL_STATUS_INVALID;
    }

  /* Running late is a delay of a parcel that moves, not an exception. */
  if (info->is_delay && is_running_late (derived))
    return WAYBILL_STATUS_IN_TRANSIT;

  if (info->status == WAYBILL_STATUS_RETURNED ||
      (info->status == WAYBILL_STATUS_EXCEPTION && waybill_text_has_any (folded, returned_words)))
    {
      *out_reason = return_reason (folded);
      return WAYBILL_STATUS_RETURNED;
    }
  if (info->status != WAYBILL_STATUS_EXCEPTION)
    return info->status;

  reason = reason_from_text (folded);
  if (g_ascii_strcasecmp (info->code, "DE") == 0 && reason != WAYBILL_EXCEPTION_REFUSED &&
      reason != WAYBILL_EXCEPTION_ADDRESS && reason != WAYBILL_EXCEPTION_DAMAGED &&
      waybill_text_has_any (folded, attempt_words))
    return WAYBILL_STATUS_FAILED_ATTEMPT;

  /* A clearance delay is customs and a cancelled shipment a problem,
   * whatever the words. */
  if (info->reason != WAYBILL_EXCEPTION_OTHER && info->reason != WAYBILL_EXCEPTION_DELAY)
    reason = info->reason;
  else if (g_ascii_strcasecmp (info->code, "CA") == 0)
    reason = WAYBILL_EXCEPTION_OTHER;
  else if (info->is_delay || is_delayed (delay_detail))
    {
      /* The delay's type (weather, clearance…) unless the words already
       * name something more precise than a delay. */
      WaybillExceptionReason detail_reason = reason_from_delay_detail (delay_detail);

      if (detail_reason != WAYBILL_EXCEPTION_NONE &&
          (detail_reason != WAYBILL_EXCEPTION_DELAY || reason == WAYBILL_EXCEPTION_NONE))
        reason = detail_reason;
    }

  *out_reason = reason != WAYBILL_EXCEPTION_NONE ? reason : info->reason;

  return WAYBILL_STATUS_EXCEPTION;
}

/* ---- Reading a track result --------------------------------------------- */

static char *
location_of (JsonObject *address)
{
  const char *city = waybill_json_get_string (address, "city");
  GString *location = g_string_new (NULL);

  waybill_location_append (location, city);
  waybill_location_append (location, waybill_json_get_string (address, "stateOrProvinceCode"));
  /* A scan without a city (label created) is placed by its postal code. */
  if (city == NULL || *city == '\0')
    waybill_location_append (location, waybill_json_get_string (address, "postalCode"));
  waybill_location_append (location, waybill_json_get_string (address, "countryCode"));

  if (location->len == 0)
    {
      g_string_free (location, TRUE);
      return NULL;
    }

  return g_string_free (location, FALSE);
}

/* "Delivery exception: Customer not available or business closed". */
static char *
join_texts (const char *main_text,
            const char *detail)
{
  g_autofree char *clean_main = waybill_text_clean (main_text);
  g_autofree char *clean_detail = waybill_text_clean (detail);

  if (clean_main == NULL)
    return g_steal_pointer (&clean_detail);
  if (clean_detail == NULL || g_ascii_strcasecmp (clean_main, clean_detail) == 0)
    return g_steal_pointer (&clean_main);

  return g_strdup_printf ("%s: %s", clean_main, clean_detail);
}

static char *
scan_text (JsonObject *scan)
{
  return join_texts (waybill_json_get_string (scan, "eventDescription"),
                     waybill_json_get_string (scan, "exceptionDescription"));
}

/* The first reason FedEx gives for the latest status, if any. */
static const char *
ancillary_reason (JsonObject *latest)
{
  JsonArray *details = waybill_json_get_array (latest, "ancillaryDetails");

  for (guint i = 0; i < waybill_json_array_length (details); i++)
    {
      JsonObject *detail = waybill_json_array_get_object (details, i);
      const char *text = waybill_json_get_string (detail, "reasonDescription");

      if (text == NULL)
        text = waybill_json_get_string (detail, "actionDescription");
      if (text != NULL && *text != '\0')
        return text;
    }

  return NULL;
}

typedef struct
{
  WaybillTrackingEvent   *event;
  JsonObject             *scan;
  WaybillStatus           status;
  WaybillExceptionReason  reason;
} Scan;

static void
scan_clear (Scan *scan)
{
  g_clear_object (&scan->event);
}

static int
compare_scans_newest_first (gconstpointer a,
                            gconstpointer b)
{
  const Scan *scan_a = a;
  const Scan *scan_b = b;

  return g_date_time_compare (waybill_tracking_event_get_time (scan_b->event),
                              waybill_tracking_event_get_time (scan_a->event));
}

static GArray *
read_scans (JsonArray *scan_events)
{
  GArray *scans = g_array_new (FALSE, TRUE, sizeof (Scan));

  g_array_set_clear_func (scans, (GDestroyNotify) scan_clear);

  for (guint i = 0; i < waybill_json_array_length (scan_events); i++)
    {
      JsonObject *object = waybill_json_array_get_object (scan_events, i);
      const char *code = waybill_json_get_string (object, "eventType");
      const char *derived = waybill_json_get_string (object, "derivedStatusCode");
      g_autoptr(GDateTime) time = NULL;
      g_autofree char *description = NULL;
      g_autofree char *folded = NULL;
      g_autofree char *location = NULL;
      gboolean is_local = FALSE;
      Scan scan = { NULL, object, WAYBILL_STATUS_INVALID, WAYBILL_EXCEPTION_NONE };
      WaybillStatus event_status;

      time = waybill_parse_iso8601 (waybill_json_get_string (object, "date"), &is_local);
      if (time == NULL)
        continue;

      description = scan_text (object);
      folded = waybill_text_fold (description);
      scan.status = classify (code, derived, folded,
                              waybill_json_get_object (object, "delayDetail"), &scan.reason);
      event_status = scan.status != WAYBILL_STATUS_INVALID ? scan.status
                                                            : WAYBILL_STATUS_IN_TRANSIT;

      location = location_of (waybill_json_get_object (object, "scanLocation"));
      scan.event = waybill_tracking_event_new (time, event_status,
                                               code != NULL && *code != '\0' ? code : derived,
                                               description, location);
      waybill_tracking_event_set_time_is_local (scan.event, is_local);
      g_array_append_val (scans, scan);
    }

  g_array_sort (scans, compare_scans_newest_first);

  return scans;
}

static GDateTime *
date_and_time (JsonObject *track_result,
               const char *type)
{
  JsonArray *items = waybill_json_get_array (track_result, "dateAndTimes");

  for (guint i = 0; i < waybill_json_array_length (items); i++)
    {
      JsonObject *item = waybill_json_array_get_object (items, i);

      if (g_strcmp0 (waybill_json_get_string (item, "type"), type) == 0)
        {
          GDateTime *time = waybill_parse_iso8601 (waybill_json_get_string (item, "dateTime"),
                                                   NULL);

          if (time != NULL)
            return time;
        }
    }

  return NULL;
}

/* A window {begins, ends}; either end may be missing. */
static gboolean
read_window (JsonObject            *window_holder,
             WaybillTrackingResult *result)
{
  JsonObject *window = waybill_json_get_object (window_holder, "window");
  g_autoptr(GDateTime) begins = NULL;
  g_autoptr(GDateTime) ends = NULL;

  begins = waybill_parse_iso8601 (waybill_json_get_string (window, "begins"), NULL);
  ends = waybill_parse_iso8601 (waybill_json_get_string (window, "ends"), NULL);
  if (begins == NULL && ends == NULL)
    return FALSE;

  /* A window that ends before it begins is no window. */
  if (begins != NULL && ends != NULL && g_date_time_compare (ends, begins) < 0)
    g_clear_pointer (&begins, g_date_time_unref);

  result->estimated_from = g_steal_pointer (&begins);
  result->estimated_to = g_steal_pointer (&ends);

  return TRUE;
}

/* The expected delivery: the estimated window, else an appointment, an
 * estimated date or the commitment, else the service's standard window.
 * A date at midnight is the whole day. */
static void
read_estimate (JsonObject            *track_result,
               WaybillTrackingResult *result)
{
  static const char * const types[] = { "APPOINTMENT_DELIVERY", "ESTIMATED_DELIVERY", "COMMITMENT" };

  if (read_window (waybill_json_get_object (track_result, "estimatedDeliveryTimeWindow"), result))
    return;

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autoptr(GDateTime) time = date_and_time (track_result, types[i]);

      if (time == NULL)
        continue;

      if (g_date_time_get_hour (time) == 0 && g_date_time_get_minute (time) == 0 &&
          g_date_time_get_second (time) == 0)
        result->estimated_to = g_date_time_add_full (time, 0, 0, 0, 23, 59, 59);
      else
        result->estimated_to = g_steal_pointer (&time);
      return;
    }

  read_window (waybill_json_get_object (track_result, "standardTransitTimeWindow"), result);
}

static WaybillTrackingResult *
parse_track_result (JsonObject *track_result)
{
  JsonObject *latest = waybill_json_get_object (track_result, "latestStatusDetail");
  JsonObject *delay_detail = waybill_json_get_object (latest, "delayDetail");
  const char *code = waybill_json_get_string (latest, "code");
  const char *derived = waybill_json_get_string (latest, "derivedCode");
  g_autoptr(GArray) scans = read_scans (waybill_json_get_array (track_result, "scanEvents"));
  WaybillExceptionReason reason = WAYBILL_EXCEPTION_NONE;
  WaybillStatus status;
  g_autofree char *description = NULL;
  g_autofree char *text = NULL;
  g_autofree char *folded = NULL;
  WaybillTrackingResult *result;
  gboolean delayed;

  description = waybill_text_clean (waybill_json_get_string (latest, "description"));
  if (description == NULL)
    description = waybill_text_clean (waybill_json_get_string (latest, "statusByLocale"));

  /* The latest status's words, its reasons, and those of the newest scan
   * of the same code. */
  text = join_texts (description, ancillary_reason (latest));
  if (scans->len > 0)
    {
      Scan *newest = &g_array_index (scans, Scan, 0);
      const char *newest_code = waybill_json_get_string (newest->scan, "eventType");

      if (code != NULL && g_strcmp0 (newest_code, code) == 0)
        {
          g_autofree char *scan_detail = waybill_text_clean (waybill_json_get_string (newest->scan,
                                                                                      "exceptionDescription"));
          g_autofree char *joined = g_strjoin (" | ", text ?: "", scan_detail ?: "", NULL);

          folded = waybill_text_fold (joined);
        }
    }
  if (folded == NULL)
    folded = waybill_text_fold (text);

  status = classify (code, derived, folded, delay_detail, &reason);

  /* Without a latest status that tells, the newest scan that does. */
  for (guint i = 0; status == WAYBILL_STATUS_INVALID && i < scans->len; i++)
    {
      Scan *scan = &g_array_index (scans, Scan, i);

      if (scan->status != WAYBILL_STATUS_INVALID)
        {
          status = scan->status;
          reason = scan->reason;
          if (text == NULL)
            text = g_strdup (waybill_tracking_event_get_description (scan->event));
        }
    }
  if (status == WAYBILL_STATUS_INVALID)
    status = scans->len > 0 ? WAYBILL_STATUS_IN_TRANSIT : WAYBILL_STATUS_PENDING;

  result = waybill_tracking_result_new (status);
  result->sub_status = g_steal_pointer (&text);
  if (status == WAYBILL_STATUS_EXCEPTION || status == WAYBILL_STATUS_RETURNED)
    result->exception_reason = reason;

  /* Running late: the delay's reason beside a status that is no problem. */
  delayed = is_running_late (derived) || is_delayed (delay_detail);
  if (delayed && status != WAYBILL_STATUS_EXCEPTION && !waybill_status_is_final (status))
    {
      result->exception_reason = reason_from_delay_detail (delay_detail);
      if (result->exception_reason == WAYBILL_EXCEPTION_NONE)
        result->exception_reason = WAYBILL_EXCEPTION_DELAY;
    }

  for (guint i = 0; i < scans->len; i++)
    waybill_tracking_result_add_event (result, g_array_index (scans, Scan, i).event);

  if (status == WAYBILL_STATUS_DELIVERED)
    {
      JsonObject *details = waybill_json_get_object (track_result, "deliveryDetails");
      const char *signer = waybill_json_get_string (details, "receivedByName");

      result->delivered_at = date_and_time (track_result, "ACTUAL_DELIVERY");
      for (guint i = 0; result->delivered_at == NULL && i < scans->len; i++)
        {
          Scan *scan = &g_array_index (scans, Scan, i);

          if (scan->status == WAYBILL_STATUS_DELIVERED)
            result->delivered_at = g_date_time_ref (waybill_tracking_event_get_time (scan->event));
        }

      if (signer == NULL || *signer == '\0')
        signer = waybill_json_get_string (details, "signedByName");
      result->signed_by = waybill_text_clean (signer);
    }
  else if (!waybill_status_is_final (status))
    read_estimate (track_result, result);

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

/* The error of a whole request: {transactionId, errors:[{code, message}]},
 * or NULL when the body holds no code this adapter knows. */
static GError *
error_from_errors (WaybillTracker            *tracker,
                   const WaybillHttpResponse *response,
                   JsonObject                *root)
{
  JsonArray *errors = waybill_json_get_array (root, "errors");

  for (guint i = 0; i < waybill_json_array_length (errors); i++)
    {
      const char *code = waybill_json_get_string (waybill_json_array_get_object (errors, i),
                                                  "code");

      if (code == NULL)
        continue;
      if (g_str_equal (code, "NOT.AUTHORIZED.ERROR") || g_str_equal (code, "FORBIDDEN.ERROR"))
        return waybill_tracker_error_new (tracker, WAYBILL_TRACKER_ERROR_AUTH, NULL);
      if (g_str_equal (code, "TOO.MANY.REQUESTS.ERROR") ||
          g_str_equal (code, "RATE.LIMIT.EXCEEDED.ERROR"))
        return waybill_tracker_error_new_rate_limited (tracker, response->retry_after_seconds);
      if (g_str_equal (code, "SERVICE.UNAVAILABLE.ERROR") ||
          g_str_equal (code, "INTERNAL.SERVER.ERROR") ||
          g_str_equal (code, "NOT.FOUND.ERROR"))
        {
          g_autofree char *detail = NULL;

          if (!waybill_http_response_is_success (response))
            detail = g_strdup_printf ("HTTP %u", response->status);

          return waybill_tracker_error_new (tracker, WAYBILL_TRACKER_ERROR_UNAVAILABLE, detail);
        }
    }

  return NULL;
}

/* A per-number error of trackResults[]: TRACKING.TRACKINGNUMBER.NOTFOUND… */
static GError *
error_from_item (WaybillTracker *tracker,
                 const char     *number,
                 JsonObject     *error)
{
  const char *code = waybill_json_get_string (error, "code");

  if (code == NULL)
    code = "";

  if (strstr (code, "INVALID") != NULL)
    return waybill_tracker_error_new_invalid_number (tracker, number);
  if (strstr (code, "UNAVAILABLE") != NULL)
    return waybill_tracker_error_new (tracker, WAYBILL_TRACKER_ERROR_UNAVAILABLE, NULL);
  if (strstr (code, "NOTFOUND") != NULL || strstr (code, "NOT.FOUND") != NULL ||
      strstr (code, "NOT_FOUND") != NULL || *code == '\0')
    return waybill_tracker_error_new_not_found (tracker, number);

  return waybill_tracker_error_new (tracker, WAYBILL_TRACKER_ERROR_BAD_RESPONSE, code);
}

/* Tracking numbers as FedEx may echo them: spaces dropped, any case. */
static gboolean
same_number (const char *a,
             const char *b)
{
  if (a == NULL || b == NULL)
    return FALSE;

  for (;;)
    {
      while (*a == ' ')
        a++;
      while (*b == ' ')
        b++;
      if (*a == '\0' || *b == '\0')
        return *a == *b;
      if (g_ascii_tolower (*a) != g_ascii_tolower (*b))
        return FALSE;
      a++;
      b++;
    }
}

static JsonObject *
find_complete_result (JsonArray  *complete_results,
                      const char *number,
                      guint       index,
                      guint       n_numbers)
{
  guint n = waybill_json_array_length (complete_results);

  for (guint i = 0; i < n; i++)
    {
      JsonObject *item = waybill_json_array_get_object (complete_results, i);
      JsonArray *track_results = waybill_json_get_array (item, "trackResults");

      if (same_number (waybill_json_get_string (item, "trackingNumber"), number))
        return item;

      for (guint j = 0; j < waybill_json_array_length (track_results); j++)
        if (same_number (waybill_json_lookup_string (waybill_json_array_get_object (track_results, j),
                                                     "trackingNumberInfo", "trackingNumber", NULL),
                         number))
          return item;
    }

  /* FedEx answers in the order asked: a number it echoes another way is
   * at its place. */
  if (n == n_numbers)
    return waybill_json_array_get_object (complete_results, index);

  return NULL;
}

static WaybillTrackingReply *
reply_for (WaybillTracker *tracker,
           const char     *number,
           JsonObject     *complete_result)
{
  JsonArray *track_results = waybill_json_get_array (complete_result, "trackResults");
  JsonObject *first_error = NULL;

  if (complete_result == NULL)
    return reply_error (number,
                        waybill_tracker_error_new (tracker, WAYBILL_TRACKER_ERROR_BAD_RESPONSE,
                                                   _("no result for this number")),
                        0);

  /* A number FedEx reused may have several results: the first that is not
   * an error. */
  for (guint i = 0; i < waybill_json_array_length (track_results); i++)
    {
      JsonObject *track_result = waybill_json_array_get_object (track_results, i);
      JsonObject *error = waybill_json_get_object (track_result, "error");

      if (track_result == NULL)
        continue;
      if (error != NULL)
        {
          if (first_error == NULL)
            first_error = error;
          continue;
        }
      if (waybill_json_get_object (track_result, "latestStatusDetail") == NULL &&
          waybill_json_get_array (track_result, "scanEvents") == NULL)
        continue;

      return waybill_tracking_reply_new_result (number, parse_track_result (track_result));
    }

  if (first_error != NULL)
    return reply_error (number, error_from_item (tracker, number, first_error), 0);

  return reply_error (number,
                      waybill_tracker_error_new (tracker, WAYBILL_TRACKER_ERROR_BAD_RESPONSE,
                                                 _("a result without a status")),
                      0);
}

static GPtrArray *
parse_response (WaybillTrackerFedex       *self,
                const char * const        *numbers,
                const WaybillHttpResponse *response)
{
  WaybillTracker *tracker = WAYBILL_TRACKER (self);
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *complete_results;
  guint n_numbers = g_strv_length ((char **) numbers);
  GPtrArray *replies;

  root = waybill_http_response_get_object (response, tracker, &parse_error);
  complete_results = waybill_json_get_array (waybill_json_get_object (root, "output"),
                                             "completeTrackResults");

  /* FedEx's own codes say more than the HTTP status. */
  if (!waybill_http_response_is_success (response) || complete_results == NULL)
    error = error_from_errors (tracker, response, root);
  if (error == NULL && response->status == SOUP_STATUS_NOT_FOUND)
    error = waybill_tracker_error_new (tracker, WAYBILL_TRACKER_ERROR_UNAVAILABLE, "HTTP 404");
  if (error == NULL)
    waybill_tracker_check_status (tracker, response, &error);
  if (error == NULL && root == NULL)
    error = g_steal_pointer (&parse_error);
  if (error == NULL && complete_results == NULL)
    error = waybill_tracker_error_new (tracker, WAYBILL_TRACKER_ERROR_BAD_RESPONSE,
                                       _("no results"));
  if (error != NULL)
    return waybill_tracking_replies_new_failed (numbers, error, response->retry_after_seconds);

  replies = waybill_tracking_replies_new ();
  for (guint i = 0; i < n_numbers; i++)
    g_ptr_array_add (replies,
                     reply_for (tracker, numbers[i],
                                find_complete_result (complete_results, numbers[i], i, n_numbers)));

  return replies;
}

/**
 * waybill_tracker_fedex_parse_response:
 * @numbers: (array zero-terminated=1): the numbers the request asked about
 * @status: the HTTP status
 * @body: the body
 *
 * Returns: (transfer full) (element-type WaybillTrackingReply): one reply
 *   per number of @numbers, in order
 */
GPtrArray *
waybill_tracker_fedex_parse_response (WaybillTrackerFedex *self,
                                      const char * const  *numbers,
                                      guint                status,
                                      GBytes              *body)
{
  g_autoptr(WaybillHttpResponse) response = NULL;

  g_return_val_if_fail (WAYBILL_IS_TRACKER_FEDEX (self), NULL);
  g_return_val_if_fail (numbers != NULL, NULL);

  response = waybill_http_response_new (status, NULL, body);

  return parse_response (self, numbers, response);
}

/* ---- Requests ----------------------------------------------------------- */

static SoupMessage *
build_request (WaybillTracker  *tracker,
               gpointer         user_data,
               GError         **error)
{
  const char * const *numbers = user_data;
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) body = NULL;
  SoupMessage *message;
  gsize length;
  char *json;

  message = waybill_tracker_new_message (tracker, "POST", TRACK_PATH, error);
  if (message == NULL)
    return NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "includeDetailedScans");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_set_member_name (builder, "trackingInfo");
  json_builder_begin_array (builder);
  for (guint i = 0; numbers[i] != NULL; i++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "trackingNumberInfo");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "trackingNumber");
      json_builder_add_string_value (builder, numbers[i]);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, &length);
  body = g_bytes_new_take (json, length);

  soup_message_headers_replace (soup_message_get_request_headers (message), "X-locale", "en_US");
  soup_message_set_request_body_from_bytes (message, "application/json", body);

  return message;
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WaybillTrackerFedex *self = g_task_get_source_object (task);
  const char * const *numbers = g_task_get_task_data (task);
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

  if (response == NULL)
    replies = waybill_tracking_replies_new_failed (numbers, error, retry_after);
  else
    replies = parse_response (self, numbers, response);

  g_task_return_pointer (task, replies, (GDestroyNotify) g_ptr_array_unref);
}

static void
waybill_tracker_fedex_track_async (WaybillTracker      *tracker,
                                   const char * const  *numbers,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  WaybillTrackerFedex *self = WAYBILL_TRACKER_FEDEX (tracker);
  GTask *task;

  g_assert (numbers[0] != NULL && g_strv_length ((char **) numbers) <= BATCH_SIZE);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, waybill_tracker_fedex_track_async);
  g_task_set_task_data (task, g_strdupv ((char **) numbers), (GDestroyNotify) g_strfreev);

  waybill_oauth_token_send_async (self->token, build_request,
                                  g_strdupv ((char **) numbers), (GDestroyNotify) g_strfreev,
                                  cancellable, sent_cb, task);
}

static GPtrArray *
waybill_tracker_fedex_track_finish (WaybillTracker  *tracker,
                                    GAsyncResult    *result,
                                    GError         **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
waybill_tracker_fedex_constructed (GObject *object)
{
  WaybillTrackerFedex *self = WAYBILL_TRACKER_FEDEX (object);

  G_OBJECT_CLASS (waybill_tracker_fedex_parent_class)->constructed (object);

  self->token = waybill_oauth_token_new (WAYBILL_TRACKER (self), TOKEN_PATH,
                                         WAYBILL_OAUTH_CLIENT_AUTH_FORM, NULL);
}

static void
waybill_tracker_fedex_dispose (GObject *object)
{
  WaybillTrackerFedex *self = WAYBILL_TRACKER_FEDEX (object);

  g_clear_object (&self->token);

  G_OBJECT_CLASS (waybill_tracker_fedex_parent_class)->dispose (object);
}

static void
waybill_tracker_fedex_class_init (WaybillTrackerFedexClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  WaybillTrackerClass *tracker_class = WAYBILL_TRACKER_CLASS (klass);

  object_class->constructed = waybill_tracker_fedex_constructed;
  object_class->dispose = waybill_tracker_fedex_dispose;

  tracker_class->id = "fedex";
  tracker_class->name = "FedEx";
  tracker_class->default_url = "https://apis.fedex.com";
  tracker_class->batch_size = BATCH_SIZE;
  /* 1,400 requests per 10 seconds. */
  tracker_class->requests_per_second = 140.0;
  tracker_class->auth = WAYBILL_TRACKER_AUTH_CLIENT;
  tracker_class->track_async = waybill_tracker_fedex_track_async;
  tracker_class->track_finish = waybill_tracker_fedex_track_finish;
}

static void
waybill_tracker_fedex_init (WaybillTrackerFedex *self)
{
}

/**
 * waybill_tracker_fedex_new:
 * @session: (nullable): the session to share, %NULL for a new one
 *
 * Returns: (transfer full): a FedEx tracker
 */
WaybillTracker *
waybill_tracker_fedex_new (SoupSession *session)
{
  return g_object_new (WAYBILL_TYPE_TRACKER_FEDEX, "session", session, NULL);
}
