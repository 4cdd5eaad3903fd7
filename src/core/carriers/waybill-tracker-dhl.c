/* waybill-tracker-dhl.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-tracker-dhl"

#include "config.h"

#include <glib/gi18n.h>

#include "waybill-tracker-dhl.h"
#include "waybill-tracker-private.h"

/* DHL Shipment Tracking – Unified: one API for every DHL division (Express,
 * Paket, eCommerce, Freight…).  GET /track/shipments?trackingNumber=N with
 * the header DHL-API-Key; one number per request.
 *
 * Its statusCode says only pre-transit, transit, delivered, failure or
 * unknown.  Out for delivery, ready for pickup, failed attempts and returns
 * are told in free text, in the language of the division (English and
 * German at least), or by returnFlag; the text is read for them. */
struct _WaybillTrackerDhl
{
  WaybillTracker parent_instance;
};

G_DEFINE_FINAL_TYPE (WaybillTrackerDhl, waybill_tracker_dhl, WAYBILL_TYPE_TRACKER)

#define STRV(...) ((const char * const []) { __VA_ARGS__, NULL })

/* Every list holds case-folded text (see waybill_text_fold()). */
static const char * const returned_words[] = STRV (
  "return", "rücksendung", "ruecksendung", "retour", "back to the sender", "back to sender",
  "an den absender", "zum absender", "zurück an", "zurück zum", "zurückgesandt",
  "zurückgeschickt", "zurückgesendet", "zurückgeleitet", "geht zurück", "wird zurück");

/* Phrases that say the parcel waits for the recipient, whatever the code. */
static const char * const pickup_ready_words[] = STRV (
  "ready for pickup", "ready for pick-up", "ready for pick up", "ready for collection",
  "available for pickup", "available for collection", "awaiting collection",
  "awaiting pickup", "can be collected", "can be picked up",
  "zur abholung", "abholbereit", "bereit zur abholung", "kann abgeholt werden",
  "kann ab sofort", "abholfrist");

/* Places where a parcel waits: meaningful while it is not delivered. */
static const char * const pickup_place_words[] = STRV (
  "abholung", "filiale", "packstation", "paketshop", "postfiliale", "paketkasten",
  "parcel locker", "parcelshop", "parcel shop", "service point", "servicepoint",
  "pickup point", "pick-up point", "pickup location", "access point", "locker");

static const char * const attempt_words[] = STRV (
  "could not be delivered", "delivery attempt", "attempted delivery", "delivery was attempted",
  "unsuccessful delivery", "delivery was not possible", "delivery not possible",
  "not delivered", "not at home", "recipient was not", "recipient not available",
  "nicht zugestellt", "nicht angetroffen", "zustellversuch", "nicht möglich",
  "benachrichtigungskarte");

static const char * const picked_up_words[] = STRV (
  "picked up", "pickup scan", "dropped off", "accepted", "handed over to dhl",
  "received by dhl", "eingeliefert", "abgeholt", "an dhl übergeben", "angenommen");

static const char * const out_for_delivery_words[] = STRV (
  "out for delivery", "with delivery courier", "on vehicle for delivery",
  "loaded onto the delivery vehicle", "loaded onto delivery vehicle",
  "on its way to the recipient", "being delivered", "delivery today",
  "zustellung", "in zustellung", "wird zugestellt", "heute zugestellt",
  "zustellfahrzeug", "auf dem weg zum empfänger", "auf dem weg zu ihnen");

static const struct
{
  WaybillExceptionReason      reason;
  const char * const         *words;
} reason_words[] = {
  { WAYBILL_EXCEPTION_CUSTOMS,
    STRV ("customs", "clearance", "zoll", "verzoll", "douane", "aduana", "dogana") },
  { WAYBILL_EXCEPTION_DAMAGED,
    STRV ("damage", "beschädig", "beschaedig", "beschadig") },
  { WAYBILL_EXCEPTION_LOST,
    STRV ("lost", "verloren", "nicht auffindbar", "verlust") },
  { WAYBILL_EXCEPTION_ADDRESS,
    STRV ("address", "adress", "anschrift", "recipient unknown", "unknown recipient",
          "empfänger unbekannt", "empfaenger unbekannt", "moved", "verzogen") },
  { WAYBILL_EXCEPTION_REFUSED,
    STRV ("refused", "refusal", "rejected", "declined", "verweigert", "annahmeverweigerung") },
  { WAYBILL_EXCEPTION_WEATHER,
    STRV ("weather", "wetter", "storm", "sturm", "unwetter", "natural disaster") },
  { WAYBILL_EXCEPTION_DELAY,
    STRV ("delay", "verzöger", "verzoeger", "verspät", "verspaet", "later than") },
};

static WaybillExceptionReason
reason_from_text (const char *folded)
{
  for (guint i = 0; i < G_N_ELEMENTS (reason_words); i++)
    if (waybill_text_has_any (folded, reason_words[i].words))
      return reason_words[i].reason;

  return WAYBILL_EXCEPTION_NONE;
}

/* The text of a status or an event, folded for matching. */
static char *
fold_status_text (JsonObject *status)
{
  g_autofree char *joined = g_strjoin (" | ",
                                       waybill_json_get_string (status, "status") ?: "",
                                       waybill_json_get_string (status, "description") ?: "",
                                       waybill_json_get_string (status, "remark") ?: "",
                                       NULL);

  return waybill_text_fold (joined);
}

/**
 * classify:
 * @status: a "status" object or an "events" item
 * @return_flag: whether the shipment says it is a return
 * @out_reason: (out): the exception reason, with %WAYBILL_STATUS_EXCEPTION
 *
 * Returns: the Waybill status, %WAYBILL_STATUS_INVALID for an unknown code
 *   without telling text
 */
static WaybillStatus
classify (JsonObject             *status,
          gboolean                return_flag,
          WaybillExceptionReason *out_reason)
{
  g_autofree char *text = fold_status_text (status);
  g_autofree char *code = waybill_text_fold (waybill_json_get_string (status, "statusCode"));
  WaybillExceptionReason reason;

  *out_reason = WAYBILL_EXCEPTION_NONE;

  if (return_flag || waybill_json_get_bool (status, "returnFlag") ||
      waybill_text_has_any (text, returned_words))
    return WAYBILL_STATUS_RETURNED;

  if (g_str_equal (code, "delivered"))
    return WAYBILL_STATUS_DELIVERED;

  if (waybill_text_has_any (text, pickup_ready_words))
    return WAYBILL_STATUS_AVAILABLE_FOR_PICKUP;

  if (g_str_equal (code, "failure"))
    {
      /* A named problem says more than "the delivery failed". */
      reason = reason_from_text (text);
      if (reason != WAYBILL_EXCEPTION_NONE && reason != WAYBILL_EXCEPTION_DELAY)
        {
          *out_reason = reason;
          return WAYBILL_STATUS_EXCEPTION;
        }
      if (waybill_text_has_any (text, attempt_words))
        return WAYBILL_STATUS_FAILED_ATTEMPT;
      if (waybill_text_has_any (text, pickup_place_words))
        return WAYBILL_STATUS_AVAILABLE_FOR_PICKUP;

      *out_reason = reason != WAYBILL_EXCEPTION_NONE ? reason : WAYBILL_EXCEPTION_OTHER;
      return WAYBILL_STATUS_EXCEPTION;
    }

  if (waybill_text_has_any (text, attempt_words))
    return WAYBILL_STATUS_FAILED_ATTEMPT;

  if (g_str_equal (code, "pre-transit") || g_str_equal (code, "transit"))
    {
      if (waybill_text_has_any (text, picked_up_words))
        return WAYBILL_STATUS_PICKED_UP;
      if (waybill_text_has_any (text, pickup_place_words))
        return WAYBILL_STATUS_AVAILABLE_FOR_PICKUP;
      if (waybill_text_has_any (text, out_for_delivery_words))
        return WAYBILL_STATUS_OUT_FOR_DELIVERY;

      return g_str_equal (code, "transit") ? WAYBILL_STATUS_IN_TRANSIT
                                           : WAYBILL_STATUS_INFO_RECEIVED;
    }

  /* "unknown", or a code this version does not know: the text may tell. */
  if (waybill_text_has_any (text, out_for_delivery_words))
    return WAYBILL_STATUS_OUT_FOR_DELIVERY;

  return WAYBILL_STATUS_INVALID;
}

static char *
location_of (JsonObject *status)
{
  JsonObject *address = waybill_json_lookup_object (status, "location", "address", NULL);
  GString *location = g_string_new (NULL);

  waybill_location_append (location, waybill_json_get_string (address, "addressLocality"));
  waybill_location_append (location, waybill_json_get_string (address, "countryCode"));

  if (location->len == 0)
    {
      g_string_free (location, TRUE);
      return NULL;
    }

  return g_string_free (location, FALSE);
}

static char *
description_of (JsonObject *status)
{
  const char *description = waybill_json_get_string (status, "description");
  const char *text = waybill_json_get_string (status, "status");
  g_autofree char *clean = waybill_text_clean (description);

  return clean != NULL ? g_steal_pointer (&clean) : waybill_text_clean (text);
}

static WaybillTrackingEvent *
event_from (JsonObject *status,
            gboolean    return_flag)
{
  g_autoptr(GDateTime) time = NULL;
  g_autofree char *description = NULL;
  g_autofree char *location = NULL;
  WaybillExceptionReason reason;
  WaybillTrackingEvent *event;
  WaybillStatus event_status;
  gboolean is_local = FALSE;
  const char *code;

  time = waybill_parse_iso8601 (waybill_json_get_string (status, "timestamp"), &is_local);
  if (time == NULL)
    return NULL;

  event_status = classify (status, return_flag, &reason);
  if (event_status == WAYBILL_STATUS_INVALID)
    event_status = WAYBILL_STATUS_IN_TRANSIT;

  code = waybill_json_get_string (status, "statusDetailed");
  if (code == NULL)
    code = waybill_json_get_string (status, "statusCode");

  description = description_of (status);
  location = location_of (status);
  event = waybill_tracking_event_new (time, event_status, code, description, location);
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

static char *
signer_of (JsonObject *proof)
{
  JsonObject *signed_by = waybill_json_get_object (proof, "signed");
  const char *name = waybill_json_get_string (signed_by, "name");
  g_autofree char *full = NULL;

  if (name == NULL)
    name = waybill_json_get_string (proof, "signee");
  if (name != NULL)
    return waybill_text_clean (name);

  full = g_strjoin (" ", waybill_json_get_string (signed_by, "givenName") ?: "",
                    waybill_json_get_string (signed_by, "familyName") ?: "", NULL);

  return waybill_text_clean (full);
}

static gboolean
id_matches (JsonObject *shipment,
            const char *number)
{
  const char *id = waybill_json_get_string (shipment, "id");
  gint64 numeric;

  if (id != NULL)
    return g_ascii_strcasecmp (id, number) == 0;

  if (waybill_json_get_int (shipment, "id", &numeric))
    {
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, numeric);

      return g_str_equal (text, number);
    }

  return FALSE;
}

static WaybillTrackingResult *
parse_shipment (JsonObject *shipment)
{
  JsonObject *status = waybill_json_get_object (shipment, "status");
  JsonObject *details = waybill_json_get_object (shipment, "details");
  JsonObject *proof = waybill_json_get_object (details, "proofOfDelivery");
  JsonObject *frame = waybill_json_get_object (shipment, "estimatedDeliveryTimeFrame");
  JsonArray *events = waybill_json_get_array (shipment, "events");
  WaybillTrackingResult *result;
  WaybillExceptionReason reason = WAYBILL_EXCEPTION_NONE;
  WaybillStatus current;
  gboolean return_flag;

  return_flag = waybill_json_get_bool (shipment, "returnFlag") ||
                waybill_json_get_bool (details, "returnFlag");

  current = classify (status, return_flag, &reason);
  if (current == WAYBILL_STATUS_INVALID)
    current = WAYBILL_STATUS_PENDING;

  result = waybill_tracking_result_new (current);
  result->exception_reason = reason;
  result->sub_status = description_of (status);

  for (guint i = 0; i < waybill_json_array_length (events); i++)
    {
      g_autoptr(WaybillTrackingEvent) event = NULL;

      event = event_from (waybill_json_array_get_object (events, i), FALSE);
      if (event != NULL)
        waybill_tracking_result_add_event (result, event);
    }

  /* Some divisions give the latest status without the list of events. */
  if (result->events->len == 0)
    {
      g_autoptr(WaybillTrackingEvent) event = event_from (status, return_flag);

      if (event != NULL)
        waybill_tracking_result_add_event (result, event);
    }
  g_ptr_array_sort (result->events, compare_newest_first);

  if (current == WAYBILL_STATUS_DELIVERED)
    {
      result->delivered_at = waybill_parse_iso8601 (waybill_json_get_string (proof, "timestamp"),
                                                    NULL);
      if (result->delivered_at == NULL)
        result->delivered_at = waybill_parse_iso8601 (waybill_json_get_string (status, "timestamp"),
                                                      NULL);
      result->signed_by = signer_of (proof);
    }
  else if (!waybill_status_is_final (current))
    {
      result->estimated_from = waybill_parse_iso8601 (waybill_json_get_string (frame, "estimatedFrom"),
                                                      NULL);
      result->estimated_to = waybill_parse_iso8601 (waybill_json_get_string (frame, "estimatedThrough"),
                                                    NULL);
      if (result->estimated_from == NULL && result->estimated_to == NULL)
        {
          const char *eta = waybill_json_get_string (shipment, "estimatedTimeOfDelivery");

          result->estimated_from = waybill_parse_iso8601 (eta, NULL);
          result->estimated_to = result->estimated_from ? g_date_time_ref (result->estimated_from)
                                                        : NULL;
        }
    }

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

static WaybillTrackingReply *
parse_response (WaybillTrackerDhl         *self,
                const char                *number,
                const WaybillHttpResponse *response)
{
  WaybillTracker *tracker = WAYBILL_TRACKER (self);
  g_autoptr(JsonObject) root = NULL;
  JsonArray *shipments;
  JsonObject *shipment = NULL;
  GError *error = NULL;

  /* Problem details (RFC 7807) tell little more than the status. */
  if (response->status == SOUP_STATUS_NOT_FOUND)
    return reply_error (number, waybill_tracker_error_new_not_found (tracker, number), 0);
  if (response->status == SOUP_STATUS_BAD_REQUEST)
    return reply_error (number, waybill_tracker_error_new_invalid_number (tracker, number), 0);
  if (!waybill_tracker_check_status (tracker, response, &error))
    return reply_error (number, error, response->retry_after_seconds);

  root = waybill_http_response_get_object (response, tracker, &error);
  if (root == NULL)
    return reply_error (number, error, 0);

  shipments = waybill_json_get_array (root, "shipments");
  if (shipments == NULL)
    return reply_error (number,
                        waybill_tracker_error_new (tracker, WAYBILL_TRACKER_ERROR_BAD_RESPONSE,
                                                   _("no shipments")),
                        0);
  if (waybill_json_array_length (shipments) == 0)
    return reply_error (number, waybill_tracker_error_new_not_found (tracker, number), 0);

  for (guint i = 0; i < waybill_json_array_length (shipments) && shipment == NULL; i++)
    {
      JsonObject *candidate = waybill_json_array_get_object (shipments, i);

      if (id_matches (candidate, number))
        shipment = candidate;
    }
  if (shipment == NULL)
    shipment = waybill_json_array_get_object (shipments, 0);
  if (shipment == NULL || waybill_json_get_object (shipment, "status") == NULL)
    return reply_error (number,
                        waybill_tracker_error_new (tracker, WAYBILL_TRACKER_ERROR_BAD_RESPONSE,
                                                   _("a shipment without a status")),
                        0);

  return waybill_tracking_reply_new_result (number, parse_shipment (shipment));
}

/**
 * waybill_tracker_dhl_parse_response:
 * @number: the number asked about
 * @status: the HTTP status
 * @body: the body
 *
 * Returns: (transfer full): the reply for @number
 */
WaybillTrackingReply *
waybill_tracker_dhl_parse_response (WaybillTrackerDhl *self,
                                    const char        *number,
                                    guint              status,
                                    GBytes            *body)
{
  g_autoptr(WaybillHttpResponse) response = NULL;

  g_return_val_if_fail (WAYBILL_IS_TRACKER_DHL (self), NULL);
  g_return_val_if_fail (number != NULL, NULL);

  response = waybill_http_response_new (status, NULL, body);

  return parse_response (self, number, response);
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WaybillTrackerDhl *self = g_task_get_source_object (task);
  const char *number = g_task_get_task_data (task);
  g_autoptr(WaybillHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *replies;

  response = waybill_tracker_send_finish (WAYBILL_TRACKER (self), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  replies = waybill_tracking_replies_new ();
  if (response == NULL)
    g_ptr_array_add (replies, waybill_tracking_reply_new_error (number, error, 0));
  else
    g_ptr_array_add (replies, parse_response (self, number, response));

  g_task_return_pointer (task, replies, (GDestroyNotify) g_ptr_array_unref);
}

static void
waybill_tracker_dhl_track_async (WaybillTracker      *tracker,
                                 const char * const  *numbers,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  WaybillTrackerDhl *self = WAYBILL_TRACKER_DHL (tracker);
  const WaybillCredentials *credentials = waybill_tracker_get_credentials (tracker);
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_assert (numbers[0] != NULL && numbers[1] == NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, waybill_tracker_dhl_track_async);
  g_task_set_task_data (task, g_strdup (numbers[0]), g_free);

  escaped = g_uri_escape_string (numbers[0], NULL, FALSE);
  path = g_strdup_printf ("/track/shipments?trackingNumber=%s", escaped);
  message = waybill_tracker_new_message (tracker, "GET", path, &error);
  if (message == NULL || !waybill_credentials_has_api_key (credentials))
    {
      if (error == NULL)
        error = waybill_tracker_error_new (tracker, WAYBILL_TRACKER_ERROR_NOT_CONFIGURED, NULL);
      g_task_return_pointer (task, waybill_tracking_replies_new_failed (numbers, error, 0),
                             (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  soup_message_headers_replace (soup_message_get_request_headers (message),
                                "DHL-API-Key", credentials->api_key);

  waybill_tracker_send_async (tracker, message, cancellable, sent_cb, g_steal_pointer (&task));
}

static GPtrArray *
waybill_tracker_dhl_track_finish (WaybillTracker  *tracker,
                                  GAsyncResult    *result,
                                  GError         **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
waybill_tracker_dhl_class_init (WaybillTrackerDhlClass *klass)
{
  WaybillTrackerClass *tracker_class = WAYBILL_TRACKER_CLASS (klass);

  tracker_class->id = "dhl";
  tracker_class->name = "DHL";
  tracker_class->default_url = "https://api-eu.dhl.com";
  tracker_class->batch_size = 1;
  /* The free tier: 1 call per second, 250 per day. */
  tracker_class->requests_per_second = 1.0;
  tracker_class->auth = WAYBILL_TRACKER_AUTH_API_KEY;
  tracker_class->track_async = waybill_tracker_dhl_track_async;
  tracker_class->track_finish = waybill_tracker_dhl_track_finish;
}

static void
waybill_tracker_dhl_init (WaybillTrackerDhl *self)
{
}

/**
 * waybill_tracker_dhl_new:
 * @session: (nullable): the session to share, %NULL for a new one
 *
 * Returns: (transfer full): a DHL tracker
 */
WaybillTracker *
waybill_tracker_dhl_new (SoupSession *session)
{
  return g_object_new (WAYBILL_TYPE_TRACKER_DHL, "session", session, NULL);
}
