/* waybill-tracker-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the tracker subclasses share: HTTP with a timeout and a size limit,
 * errors with messages people understand, JSON members read safely, and
 * the parsing of times and free text.  Only files under src/core/carriers
 * (and the tests and fuzzers) include this.
 *
 * Adding an API (waybill-tracker-dhl.c is the model for an API key,
 * waybill-tracker-ups.c for OAuth):
 *
 *  1. waybill-tracker-<id>.{c,h}: a final subclass of WaybillTracker whose
 *     class_init sets id, name, default_url, batch_size,
 *     requests_per_second and auth, and track_async/track_finish.
 *  2. track_async builds the request with waybill_tracker_new_message()
 *     (credentials in headers or the body, never in the path), sends it
 *     with waybill_tracker_send_async() — or, for OAuth, through a
 *     WaybillOAuthToken with waybill_oauth_token_send_async(), which
 *     renews the token once on a 401 — and completes with one
 *     WaybillTrackingReply per number, in order.  A transport error is
 *     the same error for every number (waybill_tracking_replies_new_failed());
 *     only G_IO_ERROR_CANCELLED makes track_finish return NULL.
 *  3. Reading an answer: handle the statuses the API gives a meaning of
 *     its own (404 not found, 200 with a "not found" warning…), then
 *     waybill_tracker_check_status() for the rest, then
 *     waybill_http_response_get_object() and the waybill_json_*() getters,
 *     which never crash on a wrong type.  Keep the parser callable without
 *     HTTP (waybill_tracker_<id>_parse_response()) for tests and fuzzers.
 *  4. One line in WAYBILL_TRACKERS of waybill-tracker-registry.c, one in
 *     src/core/carriers/meson.build, one in po/POTFILES.in.
 *  5. Tests: tests/fake-carrier-server-<id>.c and test-tracker-<id>.c;
 *     a fuzz target in tests/fuzz.
 */

#pragma once

#include <json-glib/json-glib.h>

#include "waybill-tracker.h"

G_BEGIN_DECLS

/* A bigger body is a bad_response: no tracking answer comes near it. */
#define WAYBILL_TRACKER_MAX_BODY_SIZE (8 * 1024 * 1024)

/* libsoup 3.2 has no name for it. */
#define WAYBILL_HTTP_TOO_MANY_REQUESTS 429

/* Longest wait a Retry-After or rate-limit header may ask for. */
#define WAYBILL_TRACKER_MAX_RETRY_AFTER (2 * 24 * 60 * 60)

/* ---- Errors ----------------------------------------------------------- */

GError     *waybill_tracker_error_new          (WaybillTracker      *self,
                                                WaybillTrackerError  code,
                                                const char          *detail);
GError     *waybill_tracker_error_new_not_found
                                               (WaybillTracker      *self,
                                                const char          *number);
GError     *waybill_tracker_error_new_invalid_number
                                               (WaybillTracker      *self,
                                                const char          *number);
GError     *waybill_tracker_error_new_rate_limited
                                               (WaybillTracker      *self,
                                                guint                retry_after_seconds);
GError     *waybill_tracker_error_new_http     (WaybillTracker      *self,
                                                guint                status);

GPtrArray  *waybill_tracking_replies_new       (void);
GPtrArray  *waybill_tracking_replies_new_failed (const char * const *numbers,
                                                const GError        *error,
                                                guint                retry_after_seconds);

/* ---- HTTP ------------------------------------------------------------- */

/**
 * WaybillHttpResponse:
 * @status: the HTTP status
 * @headers: (nullable): the response headers
 * @body: the body, never %NULL (maybe empty), at most
 *   %WAYBILL_TRACKER_MAX_BODY_SIZE bytes
 * @retry_after_seconds: from `Retry-After` (seconds or an HTTP date) or a
 *   rate-limit reset header; 0 when there is none
 *
 * A complete answer, whatever its status.
 */
typedef struct
{
  guint               status;
  SoupMessageHeaders *headers;
  GBytes             *body;
  guint               retry_after_seconds;
} WaybillHttpResponse;

WaybillHttpResponse *waybill_http_response_new       (guint                status,
                                                      SoupMessageHeaders  *headers,
                                                      GBytes              *body);
void                 waybill_http_response_free      (WaybillHttpResponse *response);
gboolean             waybill_http_response_is_success (const WaybillHttpResponse *response);
JsonNode            *waybill_http_response_parse_json (const WaybillHttpResponse *response,
                                                       WaybillTracker       *tracker,
                                                       GError              **error);
JsonObject          *waybill_http_response_get_object (const WaybillHttpResponse *response,
                                                       WaybillTracker       *tracker,
                                                       GError              **error);

guint                waybill_http_parse_retry_after   (SoupMessageHeaders  *headers,
                                                       GDateTime           *now);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WaybillHttpResponse, waybill_http_response_free)

SoupMessage         *waybill_tracker_new_message      (WaybillTracker      *self,
                                                       const char          *method,
                                                       const char          *path_and_query,
                                                       GError             **error);
void                 waybill_tracker_send_async       (WaybillTracker      *self,
                                                       SoupMessage         *message,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
WaybillHttpResponse *waybill_tracker_send_finish      (WaybillTracker      *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);
gboolean             waybill_tracker_check_status     (WaybillTracker      *self,
                                                       const WaybillHttpResponse *response,
                                                       GError             **error);

/* ---- JSON, read safely: a missing member or one of the wrong type is
 * NULL/FALSE, never a crash.  Every function accepts a NULL object. ---- */

JsonObject *waybill_json_get_object        (JsonObject *object,
                                            const char *member);
JsonArray  *waybill_json_get_array         (JsonObject *object,
                                            const char *member);
const char *waybill_json_get_string        (JsonObject *object,
                                            const char *member);
gboolean    waybill_json_get_int           (JsonObject *object,
                                            const char *member,
                                            gint64     *out_value);
gboolean    waybill_json_get_double        (JsonObject *object,
                                            const char *member,
                                            double     *out_value);
gboolean    waybill_json_get_bool          (JsonObject *object,
                                            const char *member);
guint       waybill_json_array_length      (JsonArray  *array);
JsonObject *waybill_json_array_get_object  (JsonArray  *array,
                                            guint       index);
const char *waybill_json_array_get_string  (JsonArray  *array,
                                            guint       index);
JsonObject *waybill_json_lookup_object     (JsonObject *object,
                                            const char *first_member,
                                            ...) G_GNUC_NULL_TERMINATED;
const char *waybill_json_lookup_string     (JsonObject *object,
                                            const char *first_member,
                                            ...) G_GNUC_NULL_TERMINATED;

/* ---- Times and text --------------------------------------------------- */

GDateTime  *waybill_parse_iso8601          (const char *text,
                                            gboolean   *out_is_local);
GDateTime  *waybill_date_time_new_local    (int         year,
                                            int         month,
                                            int         day,
                                            int         hour,
                                            int         minute,
                                            int         second);
char       *waybill_text_fold              (const char *text);
gboolean    waybill_text_has_any           (const char         *folded,
                                            const char * const *needles);
char       *waybill_text_clean             (const char *text);
void        waybill_location_append        (GString    *location,
                                            const char *part);

G_END_DECLS
