/* waybill-refresher.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "waybill-clock.h"
#include "waybill-notifier.h"
#include "waybill-status-change.h"
#include "waybill-store.h"
#include "carriers/waybill-tracker-registry.h"

G_BEGIN_DECLS

#define WAYBILL_REFRESHER_ERROR (waybill_refresher_error_quark ())

/**
 * WaybillRefresherError:
 * @WAYBILL_REFRESHER_ERROR_LOCKED: another refresher (in this process or
 *   another: the app, `waybill refresh`) is writing right now; the pass
 *   was skipped
 * @WAYBILL_REFRESHER_ERROR_FAILED: the lock file could not be opened
 */
typedef enum
{
  WAYBILL_REFRESHER_ERROR_LOCKED,
  WAYBILL_REFRESHER_ERROR_FAILED,
} WaybillRefresherError;

/**
 * WaybillRefresherPause:
 * @WAYBILL_REFRESHER_PAUSE_NONE: the API is asked
 * @WAYBILL_REFRESHER_PAUSE_RATE_LIMITED: the API asked to wait (429,
 *   Retry-After); it is asked again when the time is up
 * @WAYBILL_REFRESHER_PAUSE_AUTH: the API rejected the credentials; it is
 *   asked again once they change
 *
 * Why a tracking API is not asked for now.
 */
typedef enum
{
  WAYBILL_REFRESHER_PAUSE_NONE,
  WAYBILL_REFRESHER_PAUSE_RATE_LIMITED,
  WAYBILL_REFRESHER_PAUSE_AUTH,
} WaybillRefresherPause;

#define WAYBILL_TYPE_REFRESHER_PAUSE (waybill_refresher_pause_get_type ())

GType waybill_refresher_pause_get_type (void) G_GNUC_CONST;

/* Shipments of carriers without a configured API are looked at again after
 * this long (their next check is put this far out). */
#define WAYBILL_REFRESHER_LINK_ONLY_INTERVAL (24 * G_TIME_SPAN_HOUR)
/* Shipments left out because their API is paused for its credentials, or
 * because there is no network, are scheduled this far out; they are asked
 * as soon as the API or the network comes back. */
#define WAYBILL_REFRESHER_PAUSED_INTERVAL    (15 * G_TIME_SPAN_MINUTE)
/* Backoff after the n-th failure in a row: BASE × 2^(n−1), at most MAX,
 * then a random part of it taken off (jitter). */
#define WAYBILL_REFRESHER_BACKOFF_BASE       (5 * G_TIME_SPAN_MINUTE)
#define WAYBILL_REFRESHER_BACKOFF_MAX        G_TIME_SPAN_DAY
/* How long to wait when an API says "too many requests" without saying
 * how long. */
#define WAYBILL_REFRESHER_DEFAULT_RETRY_AFTER (60 * G_TIME_SPAN_SECOND)

/**
 * WaybillRefreshError:
 * @shipment_id: the shipment
 * @order_id: its order
 * @order_number: (nullable): the order's number
 * @carrier: (nullable): the carrier id
 * @tracking_number: the tracking number asked about
 * @api_id: the tracking API that answered ("ups")
 * @kind: the error kind, as waybill_tracker_error_kind() names it
 * @message: what went wrong, in words a person understands
 *
 * One number that could not be checked in a pass.
 */
typedef struct
{
  gint64  shipment_id;
  gint64  order_id;
  char   *order_number;
  char   *carrier;
  char   *tracking_number;
  char   *api_id;
  char   *kind;
  char   *message;
} WaybillRefreshError;

#define WAYBILL_TYPE_REFRESH_ERROR (waybill_refresh_error_get_type ())

GType                waybill_refresh_error_get_type (void) G_GNUC_CONST;
WaybillRefreshError *waybill_refresh_error_copy     (const WaybillRefreshError *self);
void                 waybill_refresh_error_free     (WaybillRefreshError       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WaybillRefreshError, waybill_refresh_error_free)

/**
 * WaybillRefreshReport:
 * @checked: shipments asked about that got an answer, a result or an error
 * @deferred: shipments that were due but left for later: their API is
 *   paused (rate limit, credentials), there is no network, or the pass was
 *   cancelled before they were asked
 * @link_only: shipments that were due but have no tracking API (their
 *   carrier's page is all there is); they are looked at again in a day
 * @offline: whether shipments were left out because there is no network
 * @changes: (element-type WaybillStatusChange): the status changes, and the
 *   shipments that became delayed, in the order they were recorded
 * @errors: (element-type WaybillRefreshError): the numbers that could not
 *   be checked
 *
 * What one pass did.
 */
typedef struct
{
  guint      checked;
  guint      deferred;
  guint      link_only;
  gboolean   offline;
  GPtrArray *changes;
  GPtrArray *errors;
} WaybillRefreshReport;

#define WAYBILL_TYPE_REFRESH_REPORT (waybill_refresh_report_get_type ())

GType                 waybill_refresh_report_get_type (void) G_GNUC_CONST;
WaybillRefreshReport *waybill_refresh_report_new      (void);
WaybillRefreshReport *waybill_refresh_report_copy     (const WaybillRefreshReport *self);
void                  waybill_refresh_report_free     (WaybillRefreshReport       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WaybillRefreshReport, waybill_refresh_report_free)

#define WAYBILL_TYPE_REFRESHER (waybill_refresher_get_type ())

G_DECLARE_FINAL_TYPE (WaybillRefresher, waybill_refresher, WAYBILL, REFRESHER, GObject)

GQuark            waybill_refresher_error_quark     (void);

WaybillRefresher *waybill_refresher_new             (WaybillStore           *store,
                                                     WaybillTrackerRegistry *registry,
                                                     WaybillNotifier        *notifier);

WaybillStore     *waybill_refresher_get_store       (WaybillRefresher       *self);
WaybillTrackerRegistry *
                  waybill_refresher_get_registry    (WaybillRefresher       *self);
WaybillNotifier  *waybill_refresher_get_notifier    (WaybillRefresher       *self);
void              waybill_refresher_set_notifier    (WaybillRefresher       *self,
                                                     WaybillNotifier        *notifier);
WaybillClock     *waybill_refresher_get_clock       (WaybillRefresher       *self);
void              waybill_refresher_set_clock       (WaybillRefresher       *self,
                                                     WaybillClock           *clock);
GNetworkMonitor  *waybill_refresher_get_network_monitor (WaybillRefresher   *self);
void              waybill_refresher_set_network_monitor (WaybillRefresher   *self,
                                                     GNetworkMonitor        *monitor);

/* Schedule */
guint             waybill_refresher_get_interval    (WaybillRefresher       *self,
                                                     WaybillStatus           status);
void              waybill_refresher_set_interval    (WaybillRefresher       *self,
                                                     WaybillStatus           status,
                                                     guint                   minutes);
guint             waybill_refresher_get_delay_threshold_days
                                                    (WaybillRefresher       *self);
void              waybill_refresher_set_delay_threshold_days
                                                    (WaybillRefresher       *self,
                                                     guint                   days);
void              waybill_refresher_bind_settings   (WaybillRefresher       *self,
                                                     GSettings              *settings);

/* Limits */
gboolean          waybill_refresher_get_rate_limit  (WaybillRefresher       *self);
void              waybill_refresher_set_rate_limit  (WaybillRefresher       *self,
                                                     gboolean                rate_limit);
double            waybill_refresher_get_requests_per_second
                                                    (WaybillRefresher       *self,
                                                     const char             *api_id);
void              waybill_refresher_set_requests_per_second
                                                    (WaybillRefresher       *self,
                                                     const char             *api_id,
                                                     double                  requests_per_second);
guint             waybill_refresher_get_flush_interval (WaybillRefresher    *self);
void              waybill_refresher_set_flush_interval (WaybillRefresher    *self,
                                                     guint                   seconds);
WaybillRefresherPause
                  waybill_refresher_get_pause       (WaybillRefresher       *self,
                                                     const char             *api_id,
                                                     GDateTime             **out_until);
void              waybill_refresher_override_tracker (WaybillRefresher      *self,
                                                     const char             *carrier_id,
                                                     WaybillTracker         *tracker);

/* State, for the window */
gboolean          waybill_refresher_get_refreshing  (WaybillRefresher       *self);
guint             waybill_refresher_get_progress_checked (WaybillRefresher  *self);
guint             waybill_refresher_get_progress_total   (WaybillRefresher  *self);
GDateTime        *waybill_refresher_get_last_refresh (WaybillRefresher      *self);
gboolean          waybill_refresher_get_offline     (WaybillRefresher       *self);
gboolean          waybill_refresher_get_started     (WaybillRefresher       *self);

/* Passes */
void              waybill_refresher_refresh_async   (WaybillRefresher       *self,
                                                     gboolean                all_active,
                                                     GCancellable           *cancellable,
                                                     GAsyncReadyCallback     callback,
                                                     gpointer                user_data);
WaybillRefreshReport *
                  waybill_refresher_refresh_finish  (WaybillRefresher       *self,
                                                     GAsyncResult           *result,
                                                     GError                **error);
void              waybill_refresher_start           (WaybillRefresher       *self);
void              waybill_refresher_stop            (WaybillRefresher       *self);

G_END_DECLS
