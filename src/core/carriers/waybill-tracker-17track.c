/* waybill-tracker-17track.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-tracker-17track"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "waybill-tracker-17track.h"
#include "waybill-tracker-private.h"

/* 17TRACK API v2.2: an aggregator of thousands of carriers, with the key in
 * the 17token header.  Every call is POST /track/v2.2/<verb> with a JSON
 * array of up to 40 {"number", "carrier"?}, answered by an envelope
 * {"code":0,"data":{"accepted":[…],"rejected":[{number,error{code,message}}]}};
 * a failure of the whole call has a code other than 0 and data.errors.
 *
 * 17TRACK only tracks registered numbers.  A batch asks gettrackinfo
 * first; the numbers rejected as not registered (-18019902) are
 * registered (already registered, -18019901, is fine) and asked again:
 * at most three calls.  A carrier 17TRACK cannot detect (-18019903) is
 * not_found with a message that says so.
 *
 * latest_status gives a status and a sub_status of 17TRACK's own
 * vocabulary (InTransit_CustomsProcessing, Exception_Returning…); events
 * come from each provider (the origin carrier, then the destination one). */
struct _WaybillTracker17track
{
  WaybillTracker parent_instance;
};

G_DEFINE_FINAL_TYPE (WaybillTracker17track, waybill_tracker_17track, WAYBILL_TYPE_TRACKER)

#define API_PATH "/track/v2.2"
#define BATCH_SIZE 40

/* 17TRACK's error codes. */
enum
{
  CODE_IP_NOT_ALLOWED = -18010001,
  CODE_INVALID_KEY = -18010002,
  CODE_SERVICE_ERROR = -18010003,
  CODE_ACCOUNT_DISABLED = -18010004,
  CODE_UNAUTHORIZED = -18010005,
  CODE_FIELD_REQUIRED = -18010010,
  CODE_FIELD_INVALID = -18010011,
  CODE_FIELD_FORMAT = -18010012,
  CODE_DATA_INVALID = -18010013,
  CODE_REQUEST_LIMIT = -18010014,
  CODE_ALREADY_REGISTERED = -18019901,
  CODE_NOT_REGISTERED = -18019902,
  CODE_CARRIER_NOT_DETECTED = -18019903,
  CODE_DAILY_LIMIT = -18019907,
  CODE_QUOTA_USED_UP = -18019908,
  CODE_NO_INFORMATION = -18019909,
  CODE_WRONG_CARRIER = -18019910,
};

#define STRV(...) ((const char * const []) { __VA_ARGS__, NULL })

/* ---- Carriers ----------------------------------------------------------- */

/* Waybill carrier id -> 17TRACK carrier code.  Carriers that are not here
 * are sent without one: 17TRACK detects the carrier from the number. */
static const struct
{
  const char *carrier_id;
  guint       code;
} carrier_codes[] = {
  { "dhl-express", 100001 },
  { "ups", 100002 },
  { "fedex", 100003 },
  { "usps", 21051 },
  { "dhl-parcel-de", 7041 },
  { "china-post", 3011 },
};

/**
 * waybill_tracker_17track_code_for_carrier:
 * @carrier_id: (nullable): a Waybill carrier id such as "ups"
 *
 * Returns: 17TRACK's code for the carrier, 0 when 17TRACK should detect
 *   the carrier itself
 */
guint
waybill_tracker_17track_code_for_carrier (const char *carrier_id)
{
  if (carrier_id == NULL)
    return 0;

  for (guint i = 0; i < G_N_ELEMENTS (carrier_codes); i++)
    if (g_str_equal (carrier_codes[i].carrier_id, carrier_id))
      return carrier_codes[i].code;

  return 0;
}

/* ---- Statuses ----------------------------------------------------------- */

/* latest_status.status, and the stages of events and milestones. */
static const struct
{
  const char    *name;
  WaybillStatus  status;
} statuses[] = {
  { "NotFound", WAYBILL_STATUS_PENDING },
  { "InfoReceived", WAYBILL_STATUS_INFO_RECEIVED },
  { "InTransit", WAYBILL_STATUS_IN_TRANSIT },
  { "Expired", WAYBILL_STATUS_EXPIRED },
  { "AvailableForPickup", WAYBILL_STATUS_AVAILABLE_FOR_PICKUP },
  { "OutForDelivery", WAYBILL_STATUS_OUT_FOR_DELIVERY },
  { "DeliveryFailure", WAYBILL_STATUS_FAILED_ATTEMPT },
  { "Delivered", WAYBILL_STATUS_DELIVERED },
  { "Exception", WAYBILL_STATUS_EXCEPTION },
  /* Stages only */
  { "PickedUp", WAYBILL_STATUS_PICKED_UP },
  { "Departure", WAYBILL_STATUS_IN_TRANSIT },
  { "Arrival", WAYBILL_STATUS_IN_TRANSIT },
  { "Returning", WAYBILL_STATUS_RETURNED },
  { "Returned", WAYBILL_STATUS_RETURNED },
};

/* Every documented sub_status.  Those whose main status says enough are
 * here too, so that an unknown one is told apart. */
static const struct
{
  const char             *name;
  WaybillStatus           status;
  WaybillExceptionReason  reason;
} sub_statuses[] = {
  { "NotFound_Other", WAYBILL_STATUS_PENDING, WAYBILL_EXCEPTION_NONE },
  { "NotFound_InvalidCode", WAYBILL_STATUS_PENDING, WAYBILL_EXCEPTION_NONE },
  { "InfoReceived", WAYBILL_STATUS_INFO_RECEIVED, WAYBILL_EXCEPTION_NONE },
  { "InTransit_PickedUp", WAYBILL_STATUS_PICKED_UP, WAYBILL_EXCEPTION_NONE },
  { "InTransit_Other", WAYBILL_STATUS_IN_TRANSIT, WAYBILL_EXCEPTION_NONE },
  { "InTransit_Departure", WAYBILL_STATUS_IN_TRANSIT, WAYBILL_EXCEPTION_NONE },
  { "InTransit_Arrival", WAYBILL_STATUS_IN_TRANSIT, WAYBILL_EXCEPTION_NONE },
  { "InTransit_CustomsProcessing", WAYBILL_STATUS_IN_TRANSIT, WAYBILL_EXCEPTION_NONE },
  { "InTransit_CustomsReleased", WAYBILL_STATUS_IN_TRANSIT, WAYBILL_EXCEPTION_NONE },
  /* Customs wait for information: someone has to act. */
  { "InTransit_CustomsRequiringInformation", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_CUSTOMS },
  { "Expired_Other", WAYBILL_STATUS_EXPIRED, WAYBILL_EXCEPTION_NONE },
  { "AvailableForPickup_Other", WAYBILL_STATUS_AVAILABLE_FOR_PICKUP, WAYBILL_EXCEPTION_NONE },
  { "OutForDelivery_Other", WAYBILL_STATUS_OUT_FOR_DELIVERY, WAYBILL_EXCEPTION_NONE },
  { "DeliveryFailure_Other", WAYBILL_STATUS_FAILED_ATTEMPT, WAYBILL_EXCEPTION_NONE },
  { "DeliveryFailure_NoBody", WAYBILL_STATUS_FAILED_ATTEMPT, WAYBILL_EXCEPTION_NONE },
  { "DeliveryFailure_Security", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_CUSTOMS },
  { "DeliveryFailure_Rejected", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_REFUSED },
  { "DeliveryFailure_InvalidAddress", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_ADDRESS },
  { "Delivered_Other", WAYBILL_STATUS_DELIVERED, WAYBILL_EXCEPTION_NONE },
  { "Exception_Other", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_OTHER },
  { "Exception_Returning", WAYBILL_STATUS_RETURNED, WAYBILL_EXCEPTION_NONE },
  { "Exception_Returned", WAYBILL_STATUS_RETURNED, WAYBILL_EXCEPTION_NONE },
  { "Exception_NoBody", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_ADDRESS },
  { "Exception_Security", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_CUSTOMS },
  { "Exception_Damage", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_DAMAGED },
  { "Exception_Rejected", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_REFUSED },
  { "Exception_Delayed", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_DELAY },
  { "Exception_Lost", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_LOST },
  { "Exception_Destroyed", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_OTHER },
  { "Exception_Cancel", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_OTHER },
};

/* For an Exception whose sub_status this version does not know: its text. */
static const struct
{
  WaybillExceptionReason  reason;
  const char * const     *words;
} reason_words[] = {
  { WAYBILL_EXCEPTION_CUSTOMS, STRV ("customs", "clearance", "duties", "import tax") },
  { WAYBILL_EXCEPTION_DAMAGED, STRV ("damage") },
  { WAYBILL_EXCEPTION_LOST, STRV ("lost", "missing") },
  { WAYBILL_EXCEPTION_ADDRESS, STRV ("address", "moved", "recipient unknown", "unknown recipient") },
  { WAYBILL_EXCEPTION_REFUSED, STRV ("refused", "refusal", "rejected") },
  { WAYBILL_EXCEPTION_WEATHER, STRV ("weather", "storm", "natural disaster") },
  { WAYBILL_EXCEPTION_DELAY, STRV ("delay", "late") },
};

static const char * const returned_words[] = STRV (
  "returned to sender", "return to sender", "returning to sender", "returned to shipper",
  "return to shipper", "being returned");

/**
 * classify:
 * @status: (nullable): a main status or a stage ("InTransit", "PickedUp")
 * @sub_status: (nullable): a sub_status ("InTransit_PickedUp")
 * @text: (nullable): the words that go with them, for unknown sub_statuses
 * @out_reason: (out): the exception reason
 *
 * Returns: the Waybill status, %WAYBILL_STATUS_INVALID when neither is
 *   known
 */
static WaybillStatus
classify (const char             *status,
          const char             *sub_status,
          const char             *text,
          WaybillExceptionReason *out_reason)
{
  g_autofree char *folded = NULL;
  WaybillStatus result = WAYBILL_STATUS_INVALID;

  *out_reason = WAYBILL_EXCEPTION_NONE;

  for (guint i = 0; sub_status != NULL && i < G_N_ELEMENTS (sub_statuses); i++)
    if (g_str_equal (sub_status, sub_statuses[i].name))
      {
        *out_reason = sub_statuses[i].reason;
        return sub_statuses[i].status;
      }

  for (guint i = 0; status != NULL && i < G_N_ELEMENTS (statuses); i++)
    if (g_str_equal (status, statuses[i].name))
      result = statuses[i].status;

  if (result == WAYBILL_STATUS_EXCEPTION)
    {
      folded = waybill_text_fold (text);
      if (waybill_text_has_any (folded, returned_words))
        return WAYBILL_STATUS_RETURNED;

      *out_reason = WAYBILL_EXCEPTION_OTHER;
      for (guint i = 0; i < G_N_ELEMENTS (reason_words); i++)
        if (waybill_text_has_any (folded, reason_words[i].words))
          {
            *out_reason = reason_words[i].reason;
            break;
          }
    }

  return result;
}

/* ---- Track info --------------------------------------------------------- */

/* time_iso is the local time with its offset.  Without an offset, the GMT
 * field says when it was; without either, the local time is kept as local. */
static GDateTime *
event_time (JsonObject *event,
            gboolean   *out_is_local)
{
  g_autoptr(GDateTime) local = NULL;
  gboolean is_local = FALSE;
  GDateTime *time;

  *out_is_local = FALSE;

  time = waybill_parse_iso8601 (waybill_json_get_string (event, "time_iso"), &is_local);
  if (time != NULL && !is_local)
    return time;
  local = time;

  time = waybill_parse_iso8601 (waybill_json_get_string (event, "time_utc"), &is_local);
  if (time != NULL && !is_local)
    return time;
  g_clear_pointer (&time, g_date_time_unref);

  if (local != NULL)
    {
      *out_is_local = TRUE;
      return g_steal_pointer (&local);
    }

  /* time_raw: {"date":"2024-05-02","time":"14:05:00","timezone":"+02:00"} */
  {
    JsonObject *raw = waybill_json_get_object (event, "time_raw");
    const char *date = waybill_json_get_string (raw, "date");
    const char *clock = waybill_json_get_string (raw, "time");
    const char *zone = waybill_json_get_string (raw, "timezone");
    g_autofree char *text = NULL;

    if (date == NULL)
      return NULL;
    text = g_strconcat (date, clock ? "T" : "", clock ? clock : "", zone ? zone : "", NULL);
    return waybill_parse_iso8601 (text, out_is_local);
  }
}

static char *
location_of (JsonObject *event)
{
  JsonObject *address = waybill_json_get_object (event, "address");
  GString *location = g_string_new (NULL);

  waybill_location_append (location, waybill_json_get_string (event, "location"));
  if (location->len == 0)
    {
      waybill_location_append (location, waybill_json_get_string (address, "city"));
      waybill_location_append (location, waybill_json_get_string (address, "state"));
      waybill_location_append (location, waybill_json_get_string (address, "country"));
    }

  if (location->len == 0)
    {
      g_string_free (location, TRUE);
      return NULL;
    }

  return g_string_free (location, FALSE);
}

static char *
description_of (JsonObject *event)
{
  g_autofree char *description = waybill_text_clean (waybill_json_get_string (event,
                                                                              "description"));

  if (description != NULL)
    return g_steal_pointer (&description);

  return waybill_text_clean (waybill_json_lookup_string (event, "description_translation",
                                                         "description", NULL));
}

static WaybillTrackingEvent *
event_from (JsonObject *event)
{
  g_autoptr(GDateTime) time = NULL;
  g_autofree char *description = NULL;
  g_autofree char *location = NULL;
  WaybillExceptionReason reason;
  WaybillTrackingEvent *result;
  WaybillStatus status;
  gboolean is_local;
  const char *code;

  time = event_time (event, &is_local);
  if (time == NULL)
    return NULL;

  description = description_of (event);
  status = classify (waybill_json_get_string (event, "stage"),
                     waybill_json_get_string (event, "sub_status"), description, &reason);
  if (status == WAYBILL_STATUS_INVALID || status == WAYBILL_STATUS_PENDING)
    status = WAYBILL_STATUS_IN_TRANSIT;

  code = waybill_json_get_string (event, "sub_status");
  if (code == NULL)
    code = waybill_json_get_string (event, "stage");
  location = location_of (event);

  result = waybill_tracking_event_new (time, status, code, description, location);
  waybill_tracking_event_set_time_is_local (result, is_local);

  return result;
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

/* Every provider's events, newest first. */
static GPtrArray *
events_of (JsonObject *track_info)
{
  JsonArray *providers = waybill_json_get_array (waybill_json_get_object (track_info, "tracking"),
                                                 "providers");
  GPtrArray *events = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < waybill_json_array_length (providers); i++)
    {
      JsonArray *list = waybill_json_get_array (waybill_json_array_get_object (providers, i),
                                                "events");

      for (guint j = 0; j < waybill_json_array_length (list); j++)
        {
          WaybillTrackingEvent *event = event_from (waybill_json_array_get_object (list, j));

          if (event != NULL)
            g_ptr_array_add (events, event);
        }
    }
  g_ptr_array_sort (events, compare_newest_first);

  return events;
}

static GDateTime *
milestone_time (JsonObject *track_info,
                const char *key_stage)
{
  JsonArray *milestones = waybill_json_get_array (track_info, "milestone");

  for (guint i = 0; i < waybill_json_array_length (milestones); i++)
    {
      JsonObject *milestone = waybill_json_array_get_object (milestones, i);
      gboolean is_local;

      if (g_strcmp0 (waybill_json_get_string (milestone, "key_stage"), key_stage) == 0)
        return event_time (milestone, &is_local);
    }

  return NULL;
}

static GError *
error_not_found (WaybillTracker *tracker,
                 const char     *number,
                 const char     *sub_status)
{
  if (g_strcmp0 (sub_status, "NotFound_InvalidCode") == 0)
    return waybill_tracker_error_new_invalid_number (tracker, number);

  /* Translators: the first %s is an API's name, the second a tracking number. */
  return g_error_new (WAYBILL_TRACKER_ERROR, WAYBILL_TRACKER_ERROR_NOT_FOUND,
                      _("%s has no information about tracking number %s yet"),
                      waybill_tracker_get_name (tracker), number);
}

/* One item of data.accepted of gettrackinfo. */
static WaybillTrackingReply *
parse_item (WaybillTracker *tracker,
            const char     *number,
            JsonObject     *item)
{
  JsonObject *track_info = waybill_json_get_object (item, "track_info");
  JsonObject *latest = waybill_json_get_object (track_info, "latest_status");
  JsonObject *latest_event = waybill_json_get_object (track_info, "latest_event");
  const char *main_status = waybill_json_get_string (latest, "status");
  const char *sub_status = waybill_json_get_string (latest, "sub_status");
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  WaybillExceptionReason reason;
  WaybillTrackingResult *result;
  WaybillStatus status;

  if (track_info == NULL)
    {
      error = waybill_tracker_error_new (tracker, WAYBILL_TRACKER_ERROR_BAD_RESPONSE,
                                         _("no track_info"));
      return waybill_tracking_reply_new_error (number, error, 0);
    }

  events = events_of (track_info);
  text = description_of (latest_event);
  status = classify (main_status, sub_status, text, &reason);

  /* Registered, but the carrier has nothing to say (yet). */
  if (status == WAYBILL_STATUS_PENDING && events->len == 0)
    {
      error = error_not_found (tracker, number, sub_status);
      return waybill_tracking_reply_new_error (number, error, 0);
    }
  if (status == WAYBILL_STATUS_INVALID)
    {
      if (events->len == 0)
        {
          error = waybill_tracker_error_new (tracker, WAYBILL_TRACKER_ERROR_BAD_RESPONSE,
                                             _("a tracking without a status"));
          return waybill_tracking_reply_new_error (number, error, 0);
        }
      status = waybill_tracking_event_get_status (g_ptr_array_index (events, 0));
    }

  result = waybill_tracking_result_new (status);
  result->exception_reason = status == WAYBILL_STATUS_EXCEPTION ||
                             status == WAYBILL_STATUS_RETURNED ? reason : WAYBILL_EXCEPTION_NONE;
  result->sub_status = waybill_text_clean (waybill_json_get_string (latest, "sub_status_descr"));
  if (result->sub_status == NULL)
    result->sub_status = g_steal_pointer (&text);
  if (result->sub_status == NULL && events->len > 0)
    result->sub_status = g_strdup (waybill_tracking_event_get_description (g_ptr_array_index (events, 0)));

  for (guint i = 0; i < events->len; i++)
    waybill_tracking_result_add_event (result, g_ptr_array_index (events, i));

  if (status == WAYBILL_STATUS_DELIVERED)
    {
      for (guint i = 0; i < events->len && result->delivered_at == NULL; i++)
        {
          WaybillTrackingEvent *event = g_ptr_array_index (events, i);

          if (waybill_tracking_event_get_status (event) == WAYBILL_STATUS_DELIVERED)
            result->delivered_at = g_date_time_ref (waybill_tracking_event_get_time (event));
        }
      if (result->delivered_at == NULL)
        result->delivered_at = milestone_time (track_info, "Delivered");
    }
  else if (!waybill_status_is_final (status))
    {
      JsonObject *estimate = waybill_json_lookup_object (track_info, "time_metrics",
                                                         "estimated_delivery_date", NULL);

      result->estimated_from = waybill_parse_iso8601 (waybill_json_get_string (estimate, "from"),
                                                      NULL);
      result->estimated_to = waybill_parse_iso8601 (waybill_json_get_string (estimate, "to"),
                                                    NULL);
      if (result->estimated_from == NULL && result->estimated_to != NULL)
        result->estimated_from = g_date_time_ref (result->estimated_to);
      if (result->estimated_to == NULL && result->estimated_from != NULL)
        result->estimated_to = g_date_time_ref (result->estimated_from);
    }

  return waybill_tracking_reply_new_result (number, result);
}

/* ---- Answers ------------------------------------------------------------ */

typedef enum
{
  VERB_GETTRACKINFO,
  VERB_REGISTER,
} Verb;

static gboolean
is_auth_code (gint64 code)
{
  return code == CODE_IP_NOT_ALLOWED || code == CODE_INVALID_KEY ||
         code == CODE_ACCOUNT_DISABLED || code == CODE_UNAUTHORIZED;
}

/**
 * error_for_code:
 * @number: (nullable): the number the code is about, %NULL for the code of
 *   a whole call
 * @message: (nullable): 17TRACK's own words
 *
 * Returns: (transfer full): the error of a 17TRACK error code
 */
static GError *
error_for_code (WaybillTracker *tracker,
                gint64          code,
                const char     *number,
                const char     *message,
                guint           retry_after)
{
  const char *name = waybill_tracker_get_name (tracker);
  g_autofree char *clean = waybill_text_clean (message);

  if (is_auth_code (code))
    return waybill_tracker_error_new (tracker, WAYBILL_TRACKER_ERROR_AUTH, NULL);

  switch (code)
    {
    case CODE_REQUEST_LIMIT:
    case CODE_DAILY_LIMIT:
      return waybill_tracker_error_new_rate_limited (tracker, retry_after);

    case CODE_QUOTA_USED_UP:
      return waybill_tracker_error_new (tracker, WAYBILL_TRACKER_ERROR_UNAVAILABLE,
                                        _("the account’s tracking quota is used up"));

    case CODE_SERVICE_ERROR:
      return waybill_tracker_error_new (tracker, WAYBILL_TRACKER_ERROR_UNAVAILABLE, clean);

    default:
      break;
    }

  if (number == NULL)
    {
      g_autofree char *detail = clean != NULL
        ? g_strdup_printf ("%s, code %" G_GINT64_FORMAT, clean, code)
        : g_strdup_printf ("code %" G_GINT64_FORMAT, code);

      return waybill_tracker_error_new (tracker, WAYBILL_TRACKER_ERROR_BAD_RESPONSE, detail);
    }

  switch (code)
    {
    case CODE_CARRIER_NOT_DETECTED:
      /* Translators: the first %s is an API's name, the second a tracking number. */
      return g_error_new (WAYBILL_TRACKER_ERROR, WAYBILL_TRACKER_ERROR_NOT_FOUND,
                          _("%s cannot tell which carrier tracking number %s belongs to; "
                            "set the shipment’s carrier"), name, number);

    case CODE_WRONG_CARRIER:
      /* Translators: the first %s is an API's name, the second a tracking number. */
      return g_error_new (WAYBILL_TRACKER_ERROR, WAYBILL_TRACKER_ERROR_NOT_FOUND,
                          _("%s does not track %s with this carrier; check the shipment’s carrier"),
                          name, number);

    case CODE_NOT_REGISTERED:
    case CODE_NO_INFORMATION:
      return error_not_found (tracker, number, NULL);

    case CODE_FIELD_REQUIRED:
    case CODE_FIELD_INVALID:
    case CODE_FIELD_FORMAT:
    case CODE_DATA_INVALID:
      return waybill_tracker_error_new_invalid_number (tracker, number);

    default:
      if (clean != NULL)
        /* Translators: the first %s is an API's name, the second a tracking
         * number, the third the API's reason, in English. */
        return g_error_new (WAYBILL_TRACKER_ERROR, WAYBILL_TRACKER_ERROR_NOT_FOUND,
                            _("%s cannot track %s: %s"), name, number, clean);
      return waybill_tracker_error_new_not_found (tracker, number);
    }
}

/**
 * check_envelope:
 * @root: (nullable): the body, when it is a JSON object
 *
 * Returns: (nullable): the error of a whole call: the envelope's code or
 *   data.errors, else the HTTP status; %NULL when the call succeeded
 */
static GError *
check_envelope (WaybillTracker            *tracker,
                const WaybillHttpResponse *response,
                JsonObject                *root)
{
  JsonObject *data = waybill_json_get_object (root, "data");
  JsonObject *first = waybill_json_array_get_object (waybill_json_get_array (data, "errors"), 0);
  gint64 code = 0;
  GError *error = NULL;

  if (waybill_json_get_int (first, "code", &code) && code != 0)
    return error_for_code (tracker, code, NULL, waybill_json_get_string (first, "message"),
                           response->retry_after_seconds);

  if (!waybill_tracker_check_status (tracker, response, &error))
    return error;

  /* A code without errors: the numbers may still say more. */
  if (waybill_json_get_int (root, "code", &code) && code != 0 &&
      waybill_json_get_array (data, "accepted") == NULL &&
      waybill_json_get_array (data, "rejected") == NULL)
    return error_for_code (tracker, code, NULL, NULL, response->retry_after_seconds);

  return NULL;
}

static gboolean
same_number (const char *a,
             const char *b)
{
  return a != NULL && b != NULL && g_ascii_strcasecmp (a, b) == 0;
}

static JsonObject *
find_item (JsonArray  *items,
           const char *number)
{
  for (guint i = 0; i < waybill_json_array_length (items); i++)
    {
      JsonObject *item = waybill_json_array_get_object (items, i);

      if (same_number (waybill_json_get_string (item, "number"), number))
        return item;
    }

  return NULL;
}

/**
 * read_answer:
 * @asked: (array length=n): the numbers of the call
 * @replies: (array length=n): filled with the reply about each number, or
 *   left %NULL when the number goes on to the next step
 * @unregistered: (array length=n) (nullable): set for the numbers a first
 *   gettrackinfo says are not registered; when %NULL, they are not_found
 *
 * Reads the answer of a gettrackinfo or register call.  After register,
 * the numbers accepted or already registered are left %NULL.
 */
static void
read_answer (WaybillTracker             *tracker,
             Verb                        verb,
             const char * const         *asked,
             guint                       n,
             const WaybillHttpResponse  *response,
             WaybillTrackingReply      **replies,
             gboolean                   *unregistered)
{
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *data = NULL;
  JsonArray *accepted = NULL;
  JsonArray *rejected = NULL;

  root = waybill_http_response_get_object (response, tracker, &parse_error);
  error = check_envelope (tracker, response, root);
  if (error == NULL && root == NULL)
    error = g_steal_pointer (&parse_error);
  if (error == NULL)
    {
      data = waybill_json_get_object (root, "data");
      accepted = waybill_json_get_array (data, "accepted");
      rejected = waybill_json_get_array (data, "rejected");
      if (accepted == NULL && rejected == NULL)
        error = waybill_tracker_error_new (tracker, WAYBILL_TRACKER_ERROR_BAD_RESPONSE,
                                           _("neither accepted nor rejected numbers"));
    }
  if (error != NULL)
    {
      for (guint i = 0; i < n; i++)
        replies[i] = waybill_tracking_reply_new_error (asked[i], error,
                                                       response->retry_after_seconds);
      return;
    }

  for (guint i = 0; i < n; i++)
    {
      JsonObject *item = find_item (accepted, asked[i]);
      JsonObject *refusal;
      gint64 code = 0;

      if (item != NULL)
        {
          if (verb == VERB_GETTRACKINFO)
            replies[i] = parse_item (tracker, asked[i], item);
          continue;
        }

      refusal = waybill_json_get_object (find_item (rejected, asked[i]), "error");
      if (refusal == NULL)
        {
          g_autoptr(GError) missing = NULL;

          /* A register that says nothing is asked about again. */
          if (verb == VERB_REGISTER)
            continue;
          missing = waybill_tracker_error_new (tracker, WAYBILL_TRACKER_ERROR_BAD_RESPONSE,
                                               _("nothing about this number"));
          replies[i] = waybill_tracking_reply_new_error (asked[i], missing, 0);
          continue;
        }

      waybill_json_get_int (refusal, "code", &code);
      if (verb == VERB_REGISTER && code == CODE_ALREADY_REGISTERED)
        continue;
      if (verb == VERB_GETTRACKINFO && code == CODE_NOT_REGISTERED && unregistered != NULL)
        {
          unregistered[i] = TRUE;
          continue;
        }

      {
        g_autoptr(GError) refused = error_for_code (tracker, code, asked[i],
                                                    waybill_json_get_string (refusal, "message"),
                                                    response->retry_after_seconds);

        replies[i] = waybill_tracking_reply_new_error (asked[i], refused,
                                                       response->retry_after_seconds);
      }
    }
}

/**
 * waybill_tracker_17track_parse_response:
 * @numbers: (array zero-terminated=1): the numbers asked about
 * @status: the HTTP status
 * @body: the body
 *
 * Returns: (transfer full) (element-type WaybillTrackingReply): one reply
 *   per number
 */
GPtrArray *
waybill_tracker_17track_parse_response (WaybillTracker17track *self,
                                        const char * const    *numbers,
                                        guint                  status,
                                        GBytes                *body)
{
  g_autoptr(WaybillHttpResponse) response = NULL;
  g_autofree WaybillTrackingReply **replies = NULL;
  GPtrArray *result = waybill_tracking_replies_new ();
  guint n;

  g_return_val_if_fail (WAYBILL_IS_TRACKER_17TRACK (self), NULL);
  g_return_val_if_fail (numbers != NULL, NULL);

  n = g_strv_length ((char **) numbers);
  replies = g_new0 (WaybillTrackingReply *, n + 1);
  response = waybill_http_response_new (status, NULL, body);
  read_answer (WAYBILL_TRACKER (self), VERB_GETTRACKINFO, numbers, n, response, replies, NULL);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (result, replies[i]);

  return result;
}

/* ---- Requests ----------------------------------------------------------- */

typedef enum
{
  STEP_ASK,
  STEP_REGISTER,
  STEP_ASK_AGAIN,
  STEP_DONE,
} Step;

typedef struct
{
  GStrv                  numbers;
  guint                  n;
  /* One per number, NULL until known */
  WaybillTrackingReply **replies;
  /* Rejected as not registered by the first gettrackinfo */
  gboolean              *unregistered;
  Step                   step;
  /* The indexes the call in flight asks about */
  GArray                *asked;
} TrackData;

static void
track_data_free (TrackData *data)
{
  for (guint i = 0; i < data->n; i++)
    waybill_tracking_reply_free (data->replies[i]);
  g_free (data->replies);
  g_free (data->unregistered);
  g_strfreev (data->numbers);
  g_array_unref (data->asked);
  g_free (data);
}

static GBytes *
request_body (WaybillTracker *tracker,
              TrackData      *data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(JsonNode) root = NULL;
  char *json;

  json_builder_begin_array (builder);
  for (guint i = 0; i < data->asked->len; i++)
    {
      const char *number = data->numbers[g_array_index (data->asked, guint, i)];
      guint code = waybill_tracker_17track_code_for_carrier (waybill_tracker_get_carrier_hint (tracker,
                                                                                               number));

      /* A number asked twice is one item. */
      if (!g_hash_table_add (seen, (gpointer) number))
        continue;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "number");
      json_builder_add_string_value (builder, number);
      if (code != 0)
        {
          json_builder_set_member_name (builder, "carrier");
          json_builder_add_int_value (builder, code);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  json = json_to_string (root, FALSE);

  return g_bytes_new_take (json, strlen (json));
}

static void
finish (GTask *task)
{
  TrackData *data = g_task_get_task_data (task);
  GPtrArray *replies = waybill_tracking_replies_new ();

  for (guint i = 0; i < data->n; i++)
    {
      g_assert (data->replies[i] != NULL);
      g_ptr_array_add (replies, g_steal_pointer (&data->replies[i]));
    }

  g_task_return_pointer (task, replies, (GDestroyNotify) g_ptr_array_unref);
}

static void call_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data);

/* Sends the call of the current step about the numbers it concerns, or
 * finishes when there is none.  Takes the task's reference. */
static void
next_call (GTask *task)
{
  WaybillTracker *tracker = g_task_get_source_object (task);
  const WaybillCredentials *credentials = waybill_tracker_get_credentials (tracker);
  TrackData *data = g_task_get_task_data (task);
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  const char *path;

  g_array_set_size (data->asked, 0);
  for (guint i = 0; i < data->n; i++)
    if (data->replies[i] == NULL &&
        (data->step == STEP_ASK || (data->step != STEP_DONE && data->unregistered[i])))
      g_array_append_val (data->asked, i);

  if (data->asked->len == 0)
    {
      finish (task);
      g_object_unref (task);
      return;
    }

  path = data->step == STEP_REGISTER ? API_PATH "/register" : API_PATH "/gettrackinfo";
  message = waybill_tracker_new_message (tracker, "POST", path, &error);
  if (message != NULL && !waybill_credentials_has_api_key (credentials))
    {
      g_clear_object (&message);
      error = waybill_tracker_error_new (tracker, WAYBILL_TRACKER_ERROR_NOT_CONFIGURED, NULL);
    }
  if (message == NULL)
    {
      for (guint i = 0; i < data->asked->len; i++)
        {
          guint index = g_array_index (data->asked, guint, i);

          data->replies[index] = waybill_tracking_reply_new_error (data->numbers[index], error, 0);
        }
      finish (task);
      g_object_unref (task);
      return;
    }

  soup_message_headers_replace (soup_message_get_request_headers (message),
                                "17token", credentials->api_key);
  body = request_body (tracker, data);
  soup_message_set_request_body_from_bytes (message, "application/json", body);

  waybill_tracker_send_async (tracker, message, g_task_get_cancellable (task), call_cb, task);
}

static void
call_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  WaybillTracker *tracker = g_task_get_source_object (task);
  TrackData *data = g_task_get_task_data (task);
  g_autoptr(WaybillHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree const char **asked = NULL;
  g_autofree WaybillTrackingReply **replies = NULL;
  g_autofree gboolean *unregistered = NULL;
  guint n = data->asked->len;

  response = waybill_tracker_send_finish (tracker, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  asked = g_new0 (const char *, n + 1);
  replies = g_new0 (WaybillTrackingReply *, n);
  unregistered = g_new0 (gboolean, n);
  for (guint i = 0; i < n; i++)
    asked[i] = data->numbers[g_array_index (data->asked, guint, i)];

  if (response == NULL)
    {
      for (guint i = 0; i < n; i++)
        replies[i] = waybill_tracking_reply_new_error (asked[i], error, 0);
    }
  else
    read_answer (tracker, data->step == STEP_REGISTER ? VERB_REGISTER : VERB_GETTRACKINFO,
                 asked, n, response, replies,
                 data->step == STEP_ASK ? unregistered : NULL);

  for (guint i = 0; i < n; i++)
    {
      guint index = g_array_index (data->asked, guint, i);

      g_assert (data->replies[index] == NULL);
      data->replies[index] = replies[i];
      if (data->step == STEP_ASK)
        data->unregistered[index] = unregistered[i];
    }

  data->step = data->step == STEP_ASK ? STEP_REGISTER
             : data->step == STEP_REGISTER ? STEP_ASK_AGAIN
             : STEP_DONE;
  next_call (task);
}

static void
waybill_tracker_17track_track_async (WaybillTracker      *tracker,
                                     const char * const  *numbers,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  WaybillTracker17track *self = WAYBILL_TRACKER_17TRACK (tracker);
  TrackData *data;
  GTask *task;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, waybill_tracker_17track_track_async);

  data = g_new0 (TrackData, 1);
  data->numbers = g_strdupv ((char **) numbers);
  data->n = g_strv_length (data->numbers);
  data->replies = g_new0 (WaybillTrackingReply *, data->n);
  data->unregistered = g_new0 (gboolean, data->n);
  data->asked = g_array_new (FALSE, FALSE, sizeof (guint));
  data->step = STEP_ASK;
  g_task_set_task_data (task, data, (GDestroyNotify) track_data_free);

  g_assert (data->n > 0 && data->n <= BATCH_SIZE);

  next_call (task);
}

static GPtrArray *
waybill_tracker_17track_track_finish (WaybillTracker  *tracker,
                                      GAsyncResult    *result,
                                      GError         **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
waybill_tracker_17track_class_init (WaybillTracker17trackClass *klass)
{
  WaybillTrackerClass *tracker_class = WAYBILL_TRACKER_CLASS (klass);

  tracker_class->id = "17track";
  tracker_class->name = "17TRACK";
  tracker_class->default_url = "https://api.17track.net";
  tracker_class->batch_size = BATCH_SIZE;
  /* "About 3 requests per second". */
  tracker_class->requests_per_second = 3.0;
  tracker_class->auth = WAYBILL_TRACKER_AUTH_API_KEY;
  tracker_class->track_async = waybill_tracker_17track_track_async;
  tracker_class->track_finish = waybill_tracker_17track_track_finish;
}

static void
waybill_tracker_17track_init (WaybillTracker17track *self)
{
}

/**
 * waybill_tracker_17track_new:
 * @session: (nullable): the session to share, %NULL for a new one
 *
 * Returns: (transfer full): a 17TRACK tracker
 */
WaybillTracker *
waybill_tracker_17track_new (SoupSession *session)
{
  return g_object_new (WAYBILL_TYPE_TRACKER_17TRACK, "session", session, NULL);
}
