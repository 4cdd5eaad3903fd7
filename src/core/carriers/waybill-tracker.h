/* waybill-tracker.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "waybill-credentials.h"
#include "waybill-tracking-result.h"

G_BEGIN_DECLS

#define WAYBILL_TRACKER_ERROR (waybill_tracker_error_quark ())

/**
 * WaybillTrackerError:
 * @WAYBILL_TRACKER_ERROR_AUTH: the API rejected the credentials (401/403…)
 * @WAYBILL_TRACKER_ERROR_NOT_FOUND: the API does not know the number
 * @WAYBILL_TRACKER_ERROR_RATE_LIMITED: too many requests; see the reply's
 *   retry_after_seconds
 * @WAYBILL_TRACKER_ERROR_UNAVAILABLE: the service is down (5xx)
 * @WAYBILL_TRACKER_ERROR_BAD_RESPONSE: an answer that cannot be read: not
 *   JSON, an HTML page, the wrong shape, cut short or over 8 MiB
 * @WAYBILL_TRACKER_ERROR_NETWORK: no answer: refused, DNS, TLS, timeout
 * @WAYBILL_TRACKER_ERROR_NOT_CONFIGURED: no credentials for the API
 *
 * The error kinds of DESIGN.md.  Messages name the API and say what to do,
 * in words a shop owner understands; they never hold a secret.
 */
typedef enum
{
  WAYBILL_TRACKER_ERROR_AUTH,
  WAYBILL_TRACKER_ERROR_NOT_FOUND,
  WAYBILL_TRACKER_ERROR_RATE_LIMITED,
  WAYBILL_TRACKER_ERROR_UNAVAILABLE,
  WAYBILL_TRACKER_ERROR_BAD_RESPONSE,
  WAYBILL_TRACKER_ERROR_NETWORK,
  WAYBILL_TRACKER_ERROR_NOT_CONFIGURED,
} WaybillTrackerError;

/**
 * WaybillTrackerAuth:
 * @WAYBILL_TRACKER_AUTH_NONE: the API needs no credentials
 * @WAYBILL_TRACKER_AUTH_API_KEY: an API key (`WAYBILL_<ID>_API_KEY`)
 * @WAYBILL_TRACKER_AUTH_CLIENT: an OAuth client id and secret
 *   (`WAYBILL_<ID>_CLIENT_ID`, `WAYBILL_<ID>_CLIENT_SECRET`)
 *
 * What a tracker needs to be configured.
 */
typedef enum
{
  WAYBILL_TRACKER_AUTH_NONE,
  WAYBILL_TRACKER_AUTH_API_KEY,
  WAYBILL_TRACKER_AUTH_CLIENT,
} WaybillTrackerAuth;

/**
 * WaybillTrackingReply:
 * @number: the tracking number, as asked
 * @result: (nullable): the answer, when there is one
 * @error: (nullable): why there is no answer; exactly one of @result and
 *   @error is set
 * @retry_after_seconds: with a rate_limited or unavailable error, how long
 *   the API asked to wait; 0 when it did not say
 *
 * What a tracking API said about one tracking number.
 */
typedef struct
{
  char                  *number;
  WaybillTrackingResult *result;
  GError                *error;
  guint                  retry_after_seconds;
} WaybillTrackingReply;

#define WAYBILL_TYPE_TRACKING_REPLY (waybill_tracking_reply_get_type ())

GType                 waybill_tracking_reply_get_type   (void) G_GNUC_CONST;
WaybillTrackingReply *waybill_tracking_reply_new_result (const char                 *number,
                                                         WaybillTrackingResult      *result);
WaybillTrackingReply *waybill_tracking_reply_new_error  (const char                 *number,
                                                         const GError               *error,
                                                         guint                       retry_after_seconds);
WaybillTrackingReply *waybill_tracking_reply_copy       (const WaybillTrackingReply *self);
void                  waybill_tracking_reply_free       (WaybillTrackingReply       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WaybillTrackingReply, waybill_tracking_reply_free)

#define WAYBILL_TYPE_TRACKER (waybill_tracker_get_type ())

G_DECLARE_DERIVABLE_TYPE (WaybillTracker, waybill_tracker, WAYBILL, TRACKER, GObject)

/**
 * WaybillTrackerClass:
 * @id: the API id ("dhl"): names the environment variables and keyring items
 * @name: the API's name as people know it ("DHL"), never translated
 * @default_url: the production origin ("https://api-eu.dhl.com"), without a
 *   trailing slash; `WAYBILL_<ID>_URL` replaces it
 * @batch_size: the most numbers one request may carry
 * @requests_per_second: the documented rate limit
 * @auth: which credentials the API needs
 * @is_configured: whether a request can be made; the default checks that
 *   the credentials @auth asks for are there
 * @track_async: asks about at most @batch_size numbers in one request (or
 *   one per number, for APIs that take one)
 * @track_finish: returns a #GPtrArray of #WaybillTrackingReply, one per
 *   number in the order asked; a failure of the whole request is the same
 *   error on every reply (see waybill_tracking_replies_new_failed()).  It
 *   returns %NULL only with %G_IO_ERROR_CANCELLED.
 *
 * A subclass sets the fields in its class_init and implements the two
 * virtual functions; the base class splits longer lists into batches,
 * answers not_configured without asking, and stops asking after an error
 * that would only repeat (auth, rate_limited, not_configured).
 */
struct _WaybillTrackerClass
{
  GObjectClass        parent_class;

  const char         *id;
  const char         *name;
  const char         *default_url;
  guint               batch_size;
  double              requests_per_second;
  WaybillTrackerAuth  auth;

  gboolean   (*is_configured) (WaybillTracker       *self);
  void       (*track_async)   (WaybillTracker       *self,
                               const char * const   *numbers,
                               GCancellable         *cancellable,
                               GAsyncReadyCallback   callback,
                               gpointer              user_data);
  GPtrArray *(*track_finish)  (WaybillTracker       *self,
                               GAsyncResult         *result,
                               GError              **error);

  /*< private >*/
  gpointer padding[8];
};

/* The default time a request may take, in milliseconds. */
#define WAYBILL_TRACKER_DEFAULT_TIMEOUT_MS 30000

GQuark              waybill_tracker_error_quark             (void);
const char         *waybill_tracker_error_kind              (const GError        *error);

const char         *waybill_tracker_get_id                  (WaybillTracker      *self);
const char         *waybill_tracker_get_name                (WaybillTracker      *self);
guint               waybill_tracker_get_batch_size          (WaybillTracker      *self);
double              waybill_tracker_get_requests_per_second (WaybillTracker      *self);
WaybillTrackerAuth  waybill_tracker_get_auth                (WaybillTracker      *self);
const char         *waybill_tracker_get_base_url            (WaybillTracker      *self);
void                waybill_tracker_set_base_url            (WaybillTracker      *self,
                                                             const char          *base_url);
SoupSession        *waybill_tracker_get_session             (WaybillTracker      *self);
guint               waybill_tracker_get_timeout_ms          (WaybillTracker      *self);
void                waybill_tracker_set_timeout_ms          (WaybillTracker      *self,
                                                             guint                timeout_ms);
const WaybillCredentials *
                    waybill_tracker_get_credentials         (WaybillTracker      *self);
void                waybill_tracker_set_credentials         (WaybillTracker      *self,
                                                             const WaybillCredentials *credentials);
void                waybill_tracker_load_credentials_async  (WaybillTracker      *self,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
gboolean            waybill_tracker_load_credentials_finish (WaybillTracker      *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);
gboolean            waybill_tracker_is_configured           (WaybillTracker      *self);
void                waybill_tracker_set_carrier_hint        (WaybillTracker      *self,
                                                             const char          *number,
                                                             const char          *carrier_id);
const char         *waybill_tracker_get_carrier_hint        (WaybillTracker      *self,
                                                             const char          *number);

void                waybill_tracker_track_async             (WaybillTracker      *self,
                                                             const char * const  *numbers,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
GPtrArray          *waybill_tracker_track_finish            (WaybillTracker      *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);

G_END_DECLS
