/* waybill-tracker-aftership.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-tracker-aftership"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "waybill-tracker-aftership.h"
#include "waybill-tracker-private.h"

/* AfterShip Tracking API 2026-07: an aggregator of about a thousand
 * carriers, with the key in the as-api-key header.  Every reply is an
 * envelope {"meta":{code,type,message},"data":{...}}.
 *
 * AfterShip only knows the numbers its account was told about.  A batch is
 * read at once with GET /trackings?tracking_numbers=a,b (at most 50); each
 * number that is not there is created with POST /trackings (its slug from
 * the carrier hint, else AfterShip detects the courier) and then read with
 * GET /trackings/{id}, one number after the other.  A create that answers
 * 4003 (the tracking exists after all) reads the number again; a create
 * that fails otherwise is not_found, with AfterShip's reason.
 *
 * Statuses come from tag and subtag, AfterShip's own vocabulary: the tag
 * says the stage, the documented subtags (Exception_004 customs,
 * Exception_011 returned to sender…) say why. */
struct _WaybillTrackerAftership
{
  WaybillTracker parent_instance;
};

G_DEFINE_FINAL_TYPE (WaybillTrackerAftership, waybill_tracker_aftership, WAYBILL_TYPE_TRACKER)

#define API_PATH "/tracking/2026-07"

/* "tracking_numbers: … Supports up to 50 tracking numbers." */
#define BATCH_SIZE 50

/* The largest page GET /trackings gives: a number may have several
 * trackings (one per courier), and they must all fit in one page. */
#define LIST_LIMIT 200

/* meta.code values with a meaning of their own. */
#define META_ALREADY_EXISTS 4003
#define META_DOES_NOT_EXIST 4004

#define STRV(...) ((const char * const []) { __VA_ARGS__, NULL })

/* ---- Couriers ----------------------------------------------------------- */

/* Waybill carrier id -> AfterShip courier slug.  Carriers that are not
 * here are created without a slug: AfterShip detects the courier from the
 * number. */
static const struct
{
  const char *carrier_id;
  const char *slug;
} slugs[] = {
  { "ups", "ups" },
  { "fedex", "fedex" },
  { "usps", "usps" },
  { "dhl-express", "dhl" },
  { "dhl-parcel-de", "dhl-germany" },
  { "dhl-ecommerce", "dhl-global-mail" },
  { "ontrac", "ontrac" },
  { "lasership", "lasership" },
  { "dpd", "dpd" },
  { "gls", "gls" },
  { "canada-post", "canada-post" },
  { "purolator", "purolator" },
  { "royal-mail", "royal-mail" },
  { "deutsche-post", "deutsch-post" },
  { "la-poste", "la-poste-colissimo" },
  { "postnl", "postnl-3s" },
  { "australia-post", "australia-post" },
  { "china-post", "china-post" },
  { "japan-post", "japan-post" },
  { "swiss-post", "swiss-post" },
  { "poste-italiane", "poste-italiane" },
  { "correos", "spain-correos-es" },
  { "postnord", "postnord" },
  { "india-post", "india-post" },
  { "korea-post", "korea-post" },
  { "new-zealand-post", "new-zealand-post" },
  { "an-post", "an-post" },
  { "bpost", "bpost" },
  { "austrian-post", "austrian-post" },
  { "polish-post", "poczta-polska" },
  { "hongkong-post", "hong-kong-post" },
  { "singapore-post", "singapore-post" },
  { "posten-norge", "posten-norge" },
};

/**
 * waybill_tracker_aftership_slug_for_carrier:
 * @carrier_id: (nullable): a Waybill carrier id such as "royal-mail"
 *
 * Returns: (nullable): AfterShip's slug for the carrier, %NULL when
 *   AfterShip should detect the courier itself
 */
const char *
waybill_tracker_aftership_slug_for_carrier (const char *carrier_id)
{
  if (carrier_id == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (slugs); i++)
    if (g_str_equal (slugs[i].carrier_id, carrier_id))
      return slugs[i].slug;

  return NULL;
}

static const char *
slug_for_number (WaybillTracker *tracker,
                 const char     *number)
{
  return waybill_tracker_aftership_slug_for_carrier (waybill_tracker_get_carrier_hint (tracker,
                                                                                        number));
}

/* ---- Statuses ----------------------------------------------------------- */

static const struct
{
  const char    *tag;
  WaybillStatus  status;
} tags[] = {
  { "Pending", WAYBILL_STATUS_PENDING },
  { "InfoReceived", WAYBILL_STATUS_INFO_RECEIVED },
  { "InTransit", WAYBILL_STATUS_IN_TRANSIT },
  { "OutForDelivery", WAYBILL_STATUS_OUT_FOR_DELIVERY },
  { "AttemptFail", WAYBILL_STATUS_FAILED_ATTEMPT },
  { "Delivered", WAYBILL_STATUS_DELIVERED },
  { "AvailableForPickup", WAYBILL_STATUS_AVAILABLE_FOR_PICKUP },
  { "Exception", WAYBILL_STATUS_EXCEPTION },
  { "Expired", WAYBILL_STATUS_EXPIRED },
};

/* The documented subtags that say more than their tag ("Delivery
 * Sub-statuses"); the others (Delivered_001…005, AttemptFail_001…003,
 * InTransit_001…009, OutForDelivery_001…004, Pending_*…) are their tag. */
static const struct
{
  const char             *subtag;
  WaybillStatus           status;
  WaybillExceptionReason  reason;
} subtags[] = {
  { "InTransit_002", WAYBILL_STATUS_PICKED_UP, WAYBILL_EXCEPTION_NONE },        /* Acceptance scan */
  { "Exception_002", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_ADDRESS },     /* Customer moved */
  { "Exception_003", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_REFUSED },     /* Customer refused delivery */
  { "Exception_004", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_CUSTOMS },     /* Delayed (Customs clearance) */
  { "Exception_005", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_DELAY },       /* Delayed (External factors) */
  { "Exception_006", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_OTHER },       /* Held for payment */
  { "Exception_007", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_ADDRESS },     /* Incorrect address */
  { "Exception_008", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_OTHER },       /* Pick up missed */
  { "Exception_009", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_OTHER },       /* Rejected by carrier */
  { "Exception_010", WAYBILL_STATUS_RETURNED, WAYBILL_EXCEPTION_NONE },         /* Returning to sender */
  { "Exception_011", WAYBILL_STATUS_RETURNED, WAYBILL_EXCEPTION_NONE },         /* Returned to sender */
  { "Exception_012", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_DAMAGED },     /* Shipment damage */
  { "Exception_013", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_LOST },        /* Shipment lost */
  { "Exception_016", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_DELAY },       /* Delayed (Processing issue) */
  { "Exception_017", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_WEATHER },     /* Delayed (Extreme weather) */
  { "Exception_018", WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_CUSTOMS },     /* Incorrect / missing documents */
};

/* For exceptions whose subtag this version does not know: their text. */
static const struct
{
  WaybillExceptionReason  reason;
  const char * const     *words;
} reason_words[] = {
  { WAYBILL_EXCEPTION_CUSTOMS, STRV ("customs", "clearance", "documents", "duties", "import tax") },
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
 * @tag: (nullable): a tag ("Exception")
 * @subtag: (nullable): a subtag ("Exception_004")
 * @text: (nullable): the words that go with them, for unknown subtags
 * @out_reason: (out): the exception reason
 *
 * Returns: the Waybill status, %WAYBILL_STATUS_INVALID for a tag this
 *   version does not know
 */
static WaybillStatus
classify (const char             *tag,
          const char             *subtag,
          const char             *text,
          WaybillExceptionReason *out_reason)
{
  g_autofree char *tag_of_subtag = NULL;
  g_autofree char *folded = NULL;
  WaybillStatus status = WAYBILL_STATUS_INVALID;

  *out_reason = WAYBILL_EXCEPTION_NONE;

  for (guint i = 0; subtag != NULL && i < G_N_ELEMENTS (subtags); i++)
    if (g_str_equal (subtag, subtags[i].subtag))
      {
        *out_reason = subtags[i].reason;
        return subtags[i].status;
      }

  /* A subtag names its tag: "Delivered_002". */
  if (tag == NULL && subtag != NULL)
    {
      const char *underscore = strchr (subtag, '_');

      tag = tag_of_subtag = g_strndup (subtag, underscore ? (gsize) (underscore - subtag)
                                                          : strlen (subtag));
    }

  for (guint i = 0; tag != NULL && i < G_N_ELEMENTS (tags); i++)
    if (g_str_equal (tag, tags[i].tag))
      status = tags[i].status;

  if (status == WAYBILL_STATUS_EXCEPTION)
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

  return status;
}

/* A tracking or a checkpoint: its tag, subtag and words. */
static WaybillStatus
classify_object (JsonObject             *object,
                 WaybillExceptionReason *out_reason)
{
  g_autofree char *text = g_strjoin (" | ",
                                     waybill_json_get_string (object, "subtag_message") ?: "",
                                     waybill_json_get_string (object, "message") ?: "",
                                     NULL);

  return classify (waybill_json_get_string (object, "tag"),
                   waybill_json_get_string (object, "subtag"),
                   text, out_reason);
}

/* ---- Trackings ---------------------------------------------------------- */

static char *
location_of (JsonObject *checkpoint)
{
  GString *location = g_string_new (NULL);

  waybill_location_append (location, waybill_json_get_string (checkpoint, "city"));
  waybill_location_append (location, waybill_json_get_string (checkpoint, "state"));
  if (location->len == 0)
    waybill_location_append (location, waybill_json_get_string (checkpoint, "location"));
  waybill_location_append (location, waybill_json_get_string (checkpoint, "country_region"));

  if (location->len == 0)
    {
      g_string_free (location, TRUE);
      return NULL;
    }

  return g_string_free (location, FALSE);
}

static WaybillTrackingEvent *
event_from (JsonObject *checkpoint)
{
  g_autoptr(GDateTime) time = NULL;
  g_autofree char *description = NULL;
  g_autofree char *location = NULL;
  WaybillExceptionReason reason;
  WaybillTrackingEvent *event;
  WaybillStatus status;
  gboolean is_local = FALSE;
  const char *code;

  /* The local time of the event, with its offset when the courier gives one. */
  time = waybill_parse_iso8601 (waybill_json_get_string (checkpoint, "checkpoint_time"), &is_local);
  if (time == NULL)
    return NULL;

  status = classify_object (checkpoint, &reason);
  if (status == WAYBILL_STATUS_INVALID)
    status = WAYBILL_STATUS_IN_TRANSIT;

  code = waybill_json_get_string (checkpoint, "subtag");
  if (code == NULL)
    code = waybill_json_get_string (checkpoint, "tag");

  description = waybill_text_clean (waybill_json_get_string (checkpoint, "message"));
  if (description == NULL)
    description = waybill_text_clean (waybill_json_get_string (checkpoint, "subtag_message"));
  location = location_of (checkpoint);

  event = waybill_tracking_event_new (time, status, code, description, location);
  waybill_tracking_event_set_time_is_local (event, is_local);

  return event;
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

/* Reads an estimate object: an exact member, and a window around it. */
static gboolean
read_window (WaybillTrackingResult *result,
             JsonObject            *estimate,
             const char            *exact_member,
             const char            *min_member,
             const char            *max_member)
{
  g_autoptr(GDateTime) exact = NULL;
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) to = NULL;

  if (estimate == NULL)
    return FALSE;

  exact = waybill_parse_iso8601 (waybill_json_get_string (estimate, exact_member), NULL);
  from = waybill_parse_iso8601 (waybill_json_get_string (estimate, min_member), NULL);
  to = waybill_parse_iso8601 (waybill_json_get_string (estimate, max_member), NULL);

  if (from == NULL && exact != NULL)
    from = g_date_time_ref (exact);
  if (to == NULL && exact != NULL)
    to = g_date_time_ref (exact);
  if (from == NULL && to == NULL)
    return FALSE;
  if (from == NULL)
    from = g_date_time_ref (to);
  if (to == NULL)
    to = g_date_time_ref (from);
  if (g_date_time_compare (from, to) > 0)
    {
      GDateTime *swap = from;

      from = to;
      to = swap;
    }

  result->estimated_from = g_steal_pointer (&from);
  result->estimated_to = g_steal_pointer (&to);

  return TRUE;
}

/* The courier's own estimate first, then AfterShip's latest, then its
 * prediction, then the field of older API versions. */
static void
read_estimate (JsonObject            *tracking,
               WaybillTrackingResult *result)
{
  if (read_window (result, waybill_json_get_object (tracking, "courier_estimated_delivery_date"),
                   "estimated_delivery_date", "estimated_delivery_date_min",
                   "estimated_delivery_date_max"))
    return;
  if (read_window (result, waybill_json_get_object (tracking, "latest_estimated_delivery"),
                   "datetime", "datetime_min", "datetime_max"))
    return;
  if (read_window (result, waybill_json_get_object (tracking, "aftership_estimated_delivery_date"),
                   "estimated_delivery_date", "estimated_delivery_date_min",
                   "estimated_delivery_date_max"))
    return;

  read_window (result, tracking, "expected_delivery", "expected_delivery_min",
               "expected_delivery_max");
}

static WaybillTrackingResult *
parse_tracking (JsonObject *tracking)
{
  JsonArray *checkpoints = waybill_json_get_array (tracking, "checkpoints");
  g_autoptr(GDateTime) delivered_at = NULL;
  WaybillExceptionReason reason;
  WaybillTrackingResult *result;
  WaybillStatus status;

  status = classify_object (tracking, &reason);
  if (status == WAYBILL_STATUS_INVALID)
    status = waybill_json_array_length (checkpoints) > 0 ? WAYBILL_STATUS_IN_TRANSIT
                                                         : WAYBILL_STATUS_PENDING;
  /* A shipment on its way back says so here, whatever its tag. */
  if (waybill_json_get_bool (tracking, "return_to_sender"))
    status = WAYBILL_STATUS_RETURNED;

  result = waybill_tracking_result_new (status);
  result->exception_reason = status == WAYBILL_STATUS_EXCEPTION ||
                             status == WAYBILL_STATUS_RETURNED ? reason : WAYBILL_EXCEPTION_NONE;
  result->sub_status = waybill_text_clean (waybill_json_get_string (tracking, "subtag_message"));

  for (guint i = 0; i < waybill_json_array_length (checkpoints); i++)
    {
      g_autoptr(WaybillTrackingEvent) event = NULL;

      event = event_from (waybill_json_array_get_object (checkpoints, i));
      if (event == NULL)
        continue;
      waybill_tracking_result_add_event (result, event);

      if (waybill_tracking_event_get_status (event) == WAYBILL_STATUS_DELIVERED &&
          (delivered_at == NULL ||
           g_date_time_compare (waybill_tracking_event_get_time (event), delivered_at) > 0))
        {
          g_clear_pointer (&delivered_at, g_date_time_unref);
          delivered_at = g_date_time_ref (waybill_tracking_event_get_time (event));
        }
    }
  g_ptr_array_sort (result->events, compare_newest_first);

  if (result->sub_status == NULL && result->events->len > 0)
    result->sub_status = g_strdup (waybill_tracking_event_get_description (g_ptr_array_index (result->events, 0)));

  if (status == WAYBILL_STATUS_DELIVERED)
    {
      result->delivered_at = delivered_at != NULL
        ? g_date_time_ref (delivered_at)
        : waybill_parse_iso8601 (waybill_json_get_string (tracking, "shipment_delivery_date"), NULL);
      result->signed_by = waybill_text_clean (waybill_json_get_string (tracking, "signed_by"));
    }
  else if (!waybill_status_is_final (status))
    read_estimate (tracking, result);

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

static gint64
meta_code (JsonObject *root)
{
  gint64 code = 0;

  if (!waybill_json_get_int (waybill_json_get_object (root, "meta"), "code", &code))
    return 0;

  return code;
}

static const char *
meta_message (JsonObject *root)
{
  return waybill_json_lookup_string (root, "meta", "message", NULL);
}

/* Tracking numbers as AfterShip writes them back: its case, no spaces. */
static gboolean
same_number (const char *a,
             const char *b)
{
  if (a == NULL || b == NULL)
    return FALSE;

  while (*a != '\0' || *b != '\0')
    {
      if (g_ascii_isspace (*a))
        a++;
      else if (g_ascii_isspace (*b))
        b++;
      else if (g_ascii_tolower (*a) != g_ascii_tolower (*b))
        return FALSE;
      else
        a++, b++;
    }

  return TRUE;
}

/**
 * check_answer:
 * @root: (nullable): the body, when it is a JSON object
 *
 * The error of an answer that is not a success, from meta.code where the
 * body has one, else from the HTTP status.  Statuses with a meaning of
 * their own (4003, 4004) are the caller's.
 *
 * Returns: (nullable): the error, %NULL for a success
 */
static GError *
check_answer (WaybillTracker            *tracker,
              const WaybillHttpResponse *response,
              JsonObject                *root)
{
  gint64 code = meta_code (root);
  GError *error = NULL;

  if (code == 401 || code == 403)
    return waybill_tracker_error_new (tracker, WAYBILL_TRACKER_ERROR_AUTH, NULL);
  if (code == 429)
    return waybill_tracker_error_new_rate_limited (tracker, response->retry_after_seconds);
  if (code >= 500 && code <= 599 && waybill_http_response_is_success (response))
    {
      g_autofree char *detail = g_strdup_printf ("meta.code %" G_GINT64_FORMAT, code);

      return waybill_tracker_error_new (tracker, WAYBILL_TRACKER_ERROR_UNAVAILABLE, detail);
    }

  if (!waybill_tracker_check_status (tracker, response, &error))
    return error;

  /* An error envelope behind a success status. */
  if (code >= 400)
    {
      g_autofree char *detail = g_strdup_printf ("meta.code %" G_GINT64_FORMAT, code);

      return waybill_tracker_error_new (tracker, WAYBILL_TRACKER_ERROR_BAD_RESPONSE, detail);
    }

  return NULL;
}

static GError *
bad_shape (WaybillTracker *tracker,
           const char     *detail)
{
  return waybill_tracker_error_new (tracker, WAYBILL_TRACKER_ERROR_BAD_RESPONSE, detail);
}

/* A tracking is an object with at least its number or its tag. */
static JsonObject *
tracking_of (JsonObject *data)
{
  JsonObject *tracking = waybill_json_get_object (data, "tracking");

  if (tracking == NULL)
    tracking = data;
  if (waybill_json_get_string (tracking, "tracking_number") == NULL &&
      waybill_json_get_string (tracking, "tag") == NULL)
    return NULL;

  return tracking;
}

/* The tracking about @number in a list; when a number has several (one per
 * courier), the one of the hinted slug. */
static JsonObject *
find_tracking (JsonArray  *trackings,
               const char *number,
               const char *slug)
{
  JsonObject *found = NULL;

  for (guint i = 0; i < waybill_json_array_length (trackings); i++)
    {
      JsonObject *tracking = waybill_json_array_get_object (trackings, i);

      if (!same_number (waybill_json_get_string (tracking, "tracking_number"), number))
        continue;
      if (slug == NULL || g_strcmp0 (waybill_json_get_string (tracking, "slug"), slug) == 0)
        return tracking;
      if (found == NULL)
        found = tracking;
    }

  return found;
}

/**
 * read_list:
 * @numbers: the numbers asked
 * @replies: (out caller-allocates) (array length=n): one slot per number,
 *   left %NULL for a number that AfterShip does not have yet
 *
 * Reads an answer of GET /trackings?tracking_numbers=.
 */
static void
read_list (WaybillTrackerAftership    *self,
           const char * const         *numbers,
           guint                       n,
           const WaybillHttpResponse  *response,
           WaybillTrackingReply      **replies)
{
  WaybillTracker *tracker = WAYBILL_TRACKER (self);
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *trackings = NULL;

  root = waybill_http_response_get_object (response, tracker, &parse_error);

  /* "Tracking does not exist": none of them is known yet. */
  if (response->status == SOUP_STATUS_NOT_FOUND || meta_code (root) == META_DOES_NOT_EXIST)
    return;

  error = check_answer (tracker, response, root);
  if (error == NULL && root == NULL)
    error = g_steal_pointer (&parse_error);
  if (error == NULL)
    {
      trackings = waybill_json_get_array (waybill_json_get_object (root, "data"), "trackings");
      if (trackings == NULL)
        error = bad_shape (tracker, _("no trackings"));
    }
  if (error != NULL)
    {
      for (guint i = 0; i < n; i++)
        replies[i] = waybill_tracking_reply_new_error (numbers[i], error,
                                                       response->retry_after_seconds);
      return;
    }

  for (guint i = 0; i < n; i++)
    {
      JsonObject *tracking = find_tracking (trackings, numbers[i],
                                            slug_for_number (tracker, numbers[i]));

      if (tracking != NULL)
        replies[i] = waybill_tracking_reply_new_result (numbers[i], parse_tracking (tracking));
    }
}

/* Reads an answer of GET /trackings/{id}: one tracking. */
static WaybillTrackingReply *
read_one (WaybillTrackerAftership   *self,
          const char                *number,
          const WaybillHttpResponse *response)
{
  WaybillTracker *tracker = WAYBILL_TRACKER (self);
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(GError) parse_error = NULL;
  JsonObject *tracking;
  GError *error;

  root = waybill_http_response_get_object (response, tracker, &parse_error);

  if (response->status == SOUP_STATUS_NOT_FOUND || meta_code (root) == META_DOES_NOT_EXIST)
    return reply_error (number, waybill_tracker_error_new_not_found (tracker, number), 0);

  error = check_answer (tracker, response, root);
  if (error != NULL)
    return reply_error (number, error, response->retry_after_seconds);
  if (root == NULL)
    return reply_error (number, g_steal_pointer (&parse_error), 0);

  tracking = tracking_of (waybill_json_get_object (root, "data"));
  if (tracking == NULL)
    return reply_error (number, bad_shape (tracker, _("no tracking")), 0);

  return waybill_tracking_reply_new_result (number, parse_tracking (tracking));
}

/**
 * waybill_tracker_aftership_parse_response:
 * @number: the number asked about
 * @status: the HTTP status
 * @body: the body
 *
 * Returns: (transfer full): the reply for @number; a list without it is
 *   not_found
 */
WaybillTrackingReply *
waybill_tracker_aftership_parse_response (WaybillTrackerAftership *self,
                                          const char              *number,
                                          guint                    status,
                                          GBytes                  *body)
{
  g_autoptr(WaybillHttpResponse) response = NULL;
  g_autoptr(JsonObject) root = NULL;
  WaybillTrackingReply *reply = NULL;
  const char *numbers[] = { number, NULL };

  g_return_val_if_fail (WAYBILL_IS_TRACKER_AFTERSHIP (self), NULL);
  g_return_val_if_fail (number != NULL, NULL);

  response = waybill_http_response_new (status, NULL, body);
  root = waybill_http_response_get_object (response, WAYBILL_TRACKER (self), NULL);

  if (waybill_json_get_array (waybill_json_get_object (root, "data"), "trackings") == NULL)
    return read_one (self, number, response);

  read_list (self, numbers, 1, response, &reply);
  if (reply == NULL)
    reply = reply_error (number, waybill_tracker_error_new_not_found (WAYBILL_TRACKER (self),
                                                                      number), 0);

  return reply;
}

/* ---- Requests ----------------------------------------------------------- */

/* A batch: read at once, then the missing numbers created and read one
 * after the other. */
typedef struct
{
  GStrv                  numbers;
  guint                  n;
  /* One per number, NULL until known */
  WaybillTrackingReply **replies;
  /* The number being created and read */
  guint                  current;
} TrackData;

static void
track_data_free (TrackData *data)
{
  for (guint i = 0; i < data->n; i++)
    waybill_tracking_reply_free (data->replies[i]);
  g_free (data->replies);
  g_strfreev (data->numbers);
  g_free (data);
}

static SoupMessage *
new_message (WaybillTracker  *tracker,
             const char      *method,
             const char      *path,
             GBytes          *json_body,
             GError         **error)
{
  const WaybillCredentials *credentials = waybill_tracker_get_credentials (tracker);
  g_autofree char *full_path = g_strconcat (API_PATH, path, NULL);
  SoupMessage *message;

  if (!waybill_credentials_has_api_key (credentials))
    {
      g_propagate_error (error, waybill_tracker_error_new (tracker,
                                                           WAYBILL_TRACKER_ERROR_NOT_CONFIGURED,
                                                           NULL));
      return NULL;
    }

  message = waybill_tracker_new_message (tracker, method, full_path, error);
  if (message == NULL)
    return NULL;

  soup_message_headers_replace (soup_message_get_request_headers (message),
                                "as-api-key", credentials->api_key);
  if (json_body != NULL)
    soup_message_set_request_body_from_bytes (message, "application/json", json_body);

  return message;
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

/* Errors that would meet every number still to ask: they get it without
 * asking.  not_found and bad_response are about one number. */
static gboolean
error_is_for_all (const GError *error)
{
  return !g_error_matches (error, WAYBILL_TRACKER_ERROR, WAYBILL_TRACKER_ERROR_NOT_FOUND) &&
         !g_error_matches (error, WAYBILL_TRACKER_ERROR, WAYBILL_TRACKER_ERROR_BAD_RESPONSE);
}

static void
set_reply (TrackData            *data,
           guint                 index,
           WaybillTrackingReply *reply)
{
  g_assert (data->replies[index] == NULL);
  data->replies[index] = reply;

  if (reply->error != NULL && error_is_for_all (reply->error))
    for (guint i = index + 1; i < data->n; i++)
      if (data->replies[i] == NULL)
        data->replies[i] = waybill_tracking_reply_copy (reply);
}

static gboolean
return_if_cancelled (GTask  *task,
                     GError *error)
{
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FALSE;

  g_task_return_error (task, g_error_copy (error));
  return TRUE;
}

static void create_next (GTask *task);

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WaybillTrackerAftership *self = g_task_get_source_object (task);
  TrackData *data = g_task_get_task_data (task);
  const char *number = data->numbers[data->current];
  g_autoptr(WaybillHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = waybill_tracker_send_finish (WAYBILL_TRACKER (self), result, &error);
  if (return_if_cancelled (task, error))
    return;

  if (response == NULL)
    set_reply (data, data->current, waybill_tracking_reply_new_error (number, error, 0));
  else
    set_reply (data, data->current, read_one (self, number, response));

  create_next (g_steal_pointer (&task));
}

/* After a create that says the tracking exists: the number is read again. */
static void
reread_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WaybillTrackerAftership *self = g_task_get_source_object (task);
  TrackData *data = g_task_get_task_data (task);
  const char *number = data->numbers[data->current];
  const char *numbers[] = { number, NULL };
  g_autoptr(WaybillHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  WaybillTrackingReply *reply = NULL;

  response = waybill_tracker_send_finish (WAYBILL_TRACKER (self), result, &error);
  if (return_if_cancelled (task, error))
    return;

  if (response == NULL)
    reply = waybill_tracking_reply_new_error (number, error, 0);
  else
    read_list (self, numbers, 1, response, &reply);
  if (reply == NULL)
    reply = reply_error (number, waybill_tracker_error_new_not_found (WAYBILL_TRACKER (self),
                                                                      number), 0);

  set_reply (data, data->current, reply);
  create_next (g_steal_pointer (&task));
}

static char *
list_path (const char * const *numbers,
           guint               n)
{
  GString *path = g_string_new ("/trackings?tracking_numbers=");

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *escaped = g_uri_escape_string (numbers[i], NULL, FALSE);

      if (i > 0)
        g_string_append_c (path, ',');
      g_string_append (path, escaped);
    }
  g_string_append_printf (path, "&limit=%u", LIST_LIMIT);

  return g_string_free (path, FALSE);
}

/* Sends @message, or sets the error of the current number and goes on. */
static void
send_or_fail (GTask               *task,
              SoupMessage         *message,
              GError              *error,
              GAsyncReadyCallback  callback)
{
  WaybillTracker *tracker = g_task_get_source_object (task);
  TrackData *data = g_task_get_task_data (task);

  if (message == NULL)
    {
      set_reply (data, data->current,
                 waybill_tracking_reply_new_error (data->numbers[data->current], error, 0));
      g_error_free (error);
      create_next (task);
      return;
    }

  waybill_tracker_send_async (tracker, message, g_task_get_cancellable (task), callback, task);
  g_object_unref (message);
}

/* The reason a create failed, in AfterShip's words when it gave some. */
static GError *
create_refused (WaybillTracker *tracker,
                const char     *number,
                JsonObject     *root)
{
  g_autofree char *message = waybill_text_clean (meta_message (root));

  if (message == NULL)
    return waybill_tracker_error_new_not_found (tracker, number);

  /* Translators: the first %s is an API's name, the second a tracking
   * number, the third the API's reason, in English. */
  return g_error_new (WAYBILL_TRACKER_ERROR, WAYBILL_TRACKER_ERROR_NOT_FOUND,
                      _("%s cannot track %s: %s"), waybill_tracker_get_name (tracker), number,
                      message);
}

static void
create_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  WaybillTrackerAftership *self = g_task_get_source_object (task);
  WaybillTracker *tracker = WAYBILL_TRACKER (self);
  TrackData *data = g_task_get_task_data (task);
  const char *number = data->numbers[data->current];
  g_autoptr(WaybillHttpResponse) response = NULL;
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) parse_error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *escaped = NULL;
  JsonObject *tracking;
  SoupMessage *message;
  const char *id;
  gint64 code;

  response = waybill_tracker_send_finish (tracker, result, &error);
  if (return_if_cancelled (task, error))
    {
      g_object_unref (task);
      return;
    }
  if (response == NULL)
    {
      set_reply (data, data->current, waybill_tracking_reply_new_error (number, error, 0));
      create_next (task);
      return;
    }

  root = waybill_http_response_get_object (response, tracker, &parse_error);
  code = meta_code (root);

  /* Created meanwhile: read it as any other. */
  if (code == META_ALREADY_EXISTS)
    {
      const char *numbers[] = { number, NULL };

      path = list_path (numbers, 1);
      message = new_message (tracker, "GET", path, NULL, &error);
      send_or_fail (task, message, g_steal_pointer (&error), reread_cb);
      return;
    }

  error = check_answer (tracker, response, root);
  if (error == NULL && root == NULL)
    error = g_steal_pointer (&parse_error);
  if (error != NULL)
    {
      /* A refusal of this number (invalid number, unknown courier…). */
      if (g_error_matches (error, WAYBILL_TRACKER_ERROR, WAYBILL_TRACKER_ERROR_BAD_RESPONSE) &&
          ((response->status >= 400 && response->status <= 499) || code >= 400))
        {
          g_clear_error (&error);
          error = create_refused (tracker, number, root);
        }
      set_reply (data, data->current,
                 waybill_tracking_reply_new_error (number, error, response->retry_after_seconds));
      create_next (task);
      return;
    }

  tracking = tracking_of (waybill_json_get_object (root, "data"));
  id = waybill_json_get_string (tracking, "id");
  if (id == NULL || *id == '\0')
    {
      g_autoptr(GError) bad = bad_shape (tracker, _("a new tracking without an id"));

      set_reply (data, data->current, waybill_tracking_reply_new_error (number, bad, 0));
      create_next (task);
      return;
    }

  escaped = g_uri_escape_string (id, NULL, FALSE);
  path = g_strdup_printf ("/trackings/%s", escaped);
  message = new_message (tracker, "GET", path, NULL, &error);
  send_or_fail (task, message, g_steal_pointer (&error), read_cb);
}

static GBytes *
create_body (const char *number,
             const char *slug)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  char *json;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "tracking_number");
  json_builder_add_string_value (builder, number);
  if (slug != NULL)
    {
      json_builder_set_member_name (builder, "slug");
      json_builder_add_string_value (builder, slug);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json = json_to_string (root, FALSE);

  return g_bytes_new_take (json, strlen (json));
}

/* Creates the next number AfterShip did not have, or finishes.  Takes the
 * task's reference. */
static void
create_next (GTask *task)
{
  WaybillTracker *tracker = g_task_get_source_object (task);
  TrackData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;
  SoupMessage *message;
  const char *number;

  while (data->current < data->n && data->replies[data->current] != NULL)
    data->current++;

  if (data->current >= data->n)
    {
      finish (task);
      g_object_unref (task);
      return;
    }

  number = data->numbers[data->current];
  body = create_body (number, slug_for_number (tracker, number));
  message = new_message (tracker, "POST", "/trackings", body, &error);
  send_or_fail (task, message, error, create_cb);
}

static void
list_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  WaybillTrackerAftership *self = g_task_get_source_object (task);
  TrackData *data = g_task_get_task_data (task);
  g_autoptr(WaybillHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = waybill_tracker_send_finish (WAYBILL_TRACKER (self), result, &error);
  if (return_if_cancelled (task, error))
    {
      g_object_unref (task);
      return;
    }

  if (response == NULL)
    {
      for (guint i = 0; i < data->n; i++)
        data->replies[i] = waybill_tracking_reply_new_error (data->numbers[i], error, 0);
    }
  else
    read_list (self, (const char * const *) data->numbers, data->n, response, data->replies);

  data->current = 0;
  create_next (task);
}

static void
waybill_tracker_aftership_track_async (WaybillTracker      *tracker,
                                       const char * const  *numbers,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  WaybillTrackerAftership *self = WAYBILL_TRACKER_AFTERSHIP (tracker);
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  TrackData *data;
  GTask *task;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, waybill_tracker_aftership_track_async);

  data = g_new0 (TrackData, 1);
  data->numbers = g_strdupv ((char **) numbers);
  data->n = g_strv_length (data->numbers);
  data->replies = g_new0 (WaybillTrackingReply *, data->n);
  g_task_set_task_data (task, data, (GDestroyNotify) track_data_free);

  g_assert (data->n > 0 && data->n <= BATCH_SIZE);

  path = list_path (numbers, data->n);
  message = new_message (tracker, "GET", path, NULL, &error);
  if (message == NULL)
    {
      g_task_return_pointer (task, waybill_tracking_replies_new_failed (numbers, error, 0),
                             (GDestroyNotify) g_ptr_array_unref);
      g_object_unref (task);
      return;
    }

  waybill_tracker_send_async (tracker, message, cancellable, list_cb, task);
}

static GPtrArray *
waybill_tracker_aftership_track_finish (WaybillTracker  *tracker,
                                        GAsyncResult    *result,
                                        GError         **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
waybill_tracker_aftership_class_init (WaybillTrackerAftershipClass *klass)
{
  WaybillTrackerClass *tracker_class = WAYBILL_TRACKER_CLASS (klass);

  tracker_class->id = "aftership";
  tracker_class->name = "AfterShip";
  tracker_class->default_url = "https://api.aftership.com";
  tracker_class->batch_size = BATCH_SIZE;
  /* The tightest of the per-endpoint limits (GET one tracking: 5/s). */
  tracker_class->requests_per_second = 5.0;
  tracker_class->auth = WAYBILL_TRACKER_AUTH_API_KEY;
  tracker_class->track_async = waybill_tracker_aftership_track_async;
  tracker_class->track_finish = waybill_tracker_aftership_track_finish;
}

static void
waybill_tracker_aftership_init (WaybillTrackerAftership *self)
{
}

/**
 * waybill_tracker_aftership_new:
 * @session: (nullable): the session to share, %NULL for a new one
 *
 * Returns: (transfer full): an AfterShip tracker
 */
WaybillTracker *
waybill_tracker_aftership_new (SoupSession *session)
{
  return g_object_new (WAYBILL_TYPE_TRACKER_AFTERSHIP, "session", session, NULL);
}
