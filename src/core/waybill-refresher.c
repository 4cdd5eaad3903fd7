/* waybill-refresher.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-refresher"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sys/file.h>
#include <unistd.h>

#include "waybill-refresher.h"

/**
 * WaybillRefresher:
 *
 * Keeps every active shipment current.  A pass takes the shipments that
 * are due from the store, groups them per tracking API up to the API's
 * batch size, and asks each API at most as fast as its rate limit allows
 * (a token bucket per API, one request at a time per API, the APIs side by
 * side).  What the APIs answer is written one transaction per batch, with
 * each shipment's next check, chosen by its new status: sooner when out
 * for delivery, never once delivered.
 *
 * An API that says "too many requests" is left alone until its
 * Retry-After is over; one that rejects the credentials until they change.
 * A shipment whose check fails is asked again later and later (exponential
 * backoff with jitter).  While GNetworkMonitor reports no network nothing
 * is asked, and a pass catches up when it returns.
 *
 * Announcing exactly once, also after a crash: answers wait in memory for
 * at most #WaybillRefresher:flush-interval seconds (or until answers for
 * a few hundred shipments wait), then the waiting batches are written
 * (one transaction each) and their changes handed to the notifier, which
 * records what it announces in the store, all in one go before the main
 * loop runs again.  A process killed before the writes
 * loses only answers, which the next pass asks again (nothing was
 * recorded, so a change is still a change); one killed after them has
 * nothing left to say.  Only a kill within those few milliseconds of
 * SQLite work, between a COMMIT and the notifier's record, can lose a
 * popup; none can repeat one.
 *
 * Only one refresher writes at a time, across processes too: a pass holds
 * an exclusive flock() on `refresh.lock` beside the database, and a pass
 * that finds it taken is skipped with %WAYBILL_REFRESHER_ERROR_LOCKED.
 * The kernel lets go of the lock when its holder dies, even by SIGKILL.
 *
 * Time comes from a #WaybillClock, so that tests run days of schedule in
 * milliseconds.
 */

/* The longest the app's timer sleeps before looking at the wall clock
 * again: a suspended laptop's timers do not count the time it slept. */
#define MAX_SLEEP      (5 * G_TIME_SPAN_MINUTE)
/* The shortest time between two passes the timer starts itself, so that a
 * shipment that stays due cannot make the refresher spin. */
#define MIN_GAP        (10 * G_TIME_SPAN_SECOND)
/* How long to wait before trying again when a timed pass failed or found
 * another refresher at work. */
#define RETRY_GAP      (60 * G_TIME_SPAN_SECOND)

#define DEFAULT_FLUSH_INTERVAL 10
/* Answers for this many shipments are written without waiting for the
 * flush interval: a fast API (no rate limit, big batches) would otherwise
 * pile up a whole pass of answers in memory and write them all at the end,
 * instead of while the next requests are on their way. */
#define FLUSH_MAX_SHIPMENTS 300

#define LOCK_FILE_NAME "refresh.lock"

struct _WaybillRefresher
{
  GObject                 parent_instance;

  WaybillStore           *store;
  WaybillTrackerRegistry *registry;
  WaybillNotifier        *notifier;
  WaybillClock           *clock;
  GNetworkMonitor        *monitor;
  gulong                  monitor_handler;

  /* minutes, by status; 0 for never */
  guint                   intervals[WAYBILL_N_STATUSES];
  guint                   delay_threshold_days;
  gboolean                rate_limit;
  /* WAYBILL_REFRESH_SECONDS, for the demo; 0 for the intervals above */
  guint                   demo_interval_seconds;
  guint                   flush_interval;

  /* api id -> ApiState */
  GHashTable             *apis;
  /* carrier id -> WaybillTracker, or link_only_marker */
  GHashTable             *overrides;
  /* shipment ids left out while their API or the network was away */
  GHashTable             *deferred;
  /* credentials changed: shipments never checked may have an API now */
  gboolean                recheck_never_checked;
  /* WaybillTracker whose credentials are followed */
  GHashTable             *watched;
  GRand                  *rand;

  struct _Pass           *pass;
  /* GTask, waiting for the running pass to end */
  GQueue                  requests;
  /* the pass the refresher queued itself, until it starts */
  GTask                  *auto_task;
  guint                   run_idle;
  /* the timer starts no pass before this */
  gint64                  not_before_usec;

  gboolean                started;
  guint                   wake_timer;
  guint                   wake_idle;
  gulong                  store_changed_handler;

  gboolean                offline;
  guint                   progress_checked;
  guint                   progress_total;
  GDateTime              *last_refresh;
};

G_DEFINE_FINAL_TYPE (WaybillRefresher, waybill_refresher, G_TYPE_OBJECT)

G_DEFINE_QUARK (waybill-refresher-error-quark, waybill_refresher_error)

G_DEFINE_ENUM_TYPE (WaybillRefresherPause, waybill_refresher_pause,
  G_DEFINE_ENUM_VALUE (WAYBILL_REFRESHER_PAUSE_NONE, "none"),
  G_DEFINE_ENUM_VALUE (WAYBILL_REFRESHER_PAUSE_RATE_LIMITED, "rate-limited"),
  G_DEFINE_ENUM_VALUE (WAYBILL_REFRESHER_PAUSE_AUTH, "auth"))

G_DEFINE_BOXED_TYPE (WaybillRefreshError, waybill_refresh_error,
                     waybill_refresh_error_copy, waybill_refresh_error_free)

G_DEFINE_BOXED_TYPE (WaybillRefreshReport, waybill_refresh_report,
                     waybill_refresh_report_copy, waybill_refresh_report_free)

enum {
  PROP_0,
  PROP_STORE,
  PROP_REGISTRY,
  PROP_NOTIFIER,
  PROP_CLOCK,
  PROP_NETWORK_MONITOR,
  PROP_REFRESH_OUT_FOR_DELIVERY_MINUTES,
  PROP_REFRESH_IN_TRANSIT_MINUTES,
  PROP_REFRESH_PICKED_UP_MINUTES,
  PROP_REFRESH_INFO_RECEIVED_MINUTES,
  PROP_REFRESH_PENDING_MINUTES,
  PROP_DELAY_THRESHOLD_DAYS,
  PROP_RATE_LIMIT,
  PROP_FLUSH_INTERVAL,
  PROP_REFRESHING,
  PROP_PROGRESS_CHECKED,
  PROP_PROGRESS_TOTAL,
  PROP_LAST_REFRESH,
  PROP_OFFLINE,
  PROP_STARTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  STATUS_CHANGED,
  ERROR,
  PROGRESS,
  PASS_FINISHED,
  API_PAUSED,
  API_RESUMED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The statuses whose interval is a setting, with its key and default. */
static const struct
{
  WaybillStatus  status;
  guint          prop_id;
  const char    *key;
  guint          minutes;
} interval_keys[] = {
  { WAYBILL_STATUS_OUT_FOR_DELIVERY, PROP_REFRESH_OUT_FOR_DELIVERY_MINUTES,
    "refresh-out-for-delivery-minutes", 30 },
  { WAYBILL_STATUS_IN_TRANSIT, PROP_REFRESH_IN_TRANSIT_MINUTES,
    "refresh-in-transit-minutes", 180 },
  { WAYBILL_STATUS_PICKED_UP, PROP_REFRESH_PICKED_UP_MINUTES,
    "refresh-picked-up-minutes", 180 },
  { WAYBILL_STATUS_INFO_RECEIVED, PROP_REFRESH_INFO_RECEIVED_MINUTES,
    "refresh-info-received-minutes", 360 },
  { WAYBILL_STATUS_PENDING, PROP_REFRESH_PENDING_MINUTES,
    "refresh-pending-minutes", 360 },
};

#define MIN_INTERVAL_MINUTES 5
#define MAX_INTERVAL_MINUTES 10080

/* Marks a carrier made link-only by waybill_refresher_override_tracker(). */
static char link_only_marker;

static void
override_free (gpointer data)
{
  if (data != &link_only_marker)
    g_object_unref (data);
}

/* ---- Boxed types ------------------------------------------------------ */

WaybillRefreshError *
waybill_refresh_error_copy (const WaybillRefreshError *self)
{
  WaybillRefreshError *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->order_number = g_strdup (self->order_number);
  copy->carrier = g_strdup (self->carrier);
  copy->tracking_number = g_strdup (self->tracking_number);
  copy->api_id = g_strdup (self->api_id);
  copy->kind = g_strdup (self->kind);
  copy->message = g_strdup (self->message);

  return copy;
}

void
waybill_refresh_error_free (WaybillRefreshError *self)
{
  if (self == NULL)
    return;

  g_free (self->order_number);
  g_free (self->carrier);
  g_free (self->tracking_number);
  g_free (self->api_id);
  g_free (self->kind);
  g_free (self->message);
  g_free (self);
}

/**
 * waybill_refresh_report_new:
 *
 * Returns: (transfer full): an empty report
 */
WaybillRefreshReport *
waybill_refresh_report_new (void)
{
  WaybillRefreshReport *self = g_new0 (WaybillRefreshReport, 1);

  self->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) waybill_status_change_free);
  self->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) waybill_refresh_error_free);

  return self;
}

WaybillRefreshReport *
waybill_refresh_report_copy (const WaybillRefreshReport *self)
{
  WaybillRefreshReport *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = waybill_refresh_report_new ();
  copy->checked = self->checked;
  copy->deferred = self->deferred;
  copy->link_only = self->link_only;
  copy->offline = self->offline;
  for (guint i = 0; i < self->changes->len; i++)
    g_ptr_array_add (copy->changes, waybill_status_change_copy (g_ptr_array_index (self->changes, i)));
  for (guint i = 0; i < self->errors->len; i++)
    g_ptr_array_add (copy->errors, waybill_refresh_error_copy (g_ptr_array_index (self->errors, i)));

  return copy;
}

void
waybill_refresh_report_free (WaybillRefreshReport *self)
{
  if (self == NULL)
    return;

  g_ptr_array_unref (self->changes);
  g_ptr_array_unref (self->errors);
  g_free (self);
}

/* ---- Small helpers ---------------------------------------------------- */

static GDateTime *
date_time_from_usec (gint64 usec)
{
  g_autoptr(GDateTime) seconds = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);

  return g_date_time_add (seconds, usec % G_USEC_PER_SEC);
}

static gint64
date_time_to_usec (GDateTime *time)
{
  return g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time);
}

static gint64
now_usec (WaybillRefresher *self)
{
  return waybill_clock_get_now_usec (self->clock);
}

static gint64 *
int64_dup (gint64 value)
{
  return g_memdup2 (&value, sizeof value);
}

/* Minutes between two checks of a shipment in @status; 0 for never. */
static guint
interval_minutes (WaybillRefresher *self,
                  WaybillStatus     status)
{
  switch (status)
    {
    case WAYBILL_STATUS_OUT_FOR_DELIVERY:
    case WAYBILL_STATUS_IN_TRANSIT:
    case WAYBILL_STATUS_PICKED_UP:
    case WAYBILL_STATUS_INFO_RECEIVED:
    case WAYBILL_STATUS_PENDING:
      return self->intervals[status];

    /* Something happens at the door or went wrong: watch it as closely
     * as a parcel on its way. */
    case WAYBILL_STATUS_FAILED_ATTEMPT:
    case WAYBILL_STATUS_EXCEPTION:
      return self->intervals[WAYBILL_STATUS_IN_TRANSIT];

    /* It waits for the customer: nothing moves by the hour. */
    case WAYBILL_STATUS_AVAILABLE_FOR_PICKUP:
      return self->intervals[WAYBILL_STATUS_INFO_RECEIVED];

    case WAYBILL_STATUS_DELIVERED:
    case WAYBILL_STATUS_RETURNED:
    case WAYBILL_STATUS_EXPIRED:
    case WAYBILL_STATUS_CANCELLED:
      return 0;

    /* Order stages are no shipment status; treat one as "no data yet". */
    case WAYBILL_STATUS_RECEIVED:
    case WAYBILL_STATUS_PROCESSING:
    case WAYBILL_STATUS_SHIPPED:
    case WAYBILL_N_STATUSES:
    case WAYBILL_STATUS_INVALID:
    default:
      return self->intervals[WAYBILL_STATUS_PENDING];
    }
}

static gint64
interval_usec (WaybillRefresher *self,
               WaybillStatus     status)
{
  guint minutes = interval_minutes (self, status);

  if (minutes > 0 && self->demo_interval_seconds > 0)
    return (gint64) self->demo_interval_seconds * G_TIME_SPAN_SECOND;

  return (gint64) minutes * G_TIME_SPAN_MINUTE;
}

/* The delay before asking again after the @failures-th failure in a row. */
static gint64
backoff_usec (WaybillRefresher *self,
              const GError     *error,
              guint             failures,
              WaybillStatus     status)
{
  gint64 base = WAYBILL_REFRESHER_BACKOFF_BASE;
  gint64 cap = WAYBILL_REFRESHER_BACKOFF_MAX;
  gint64 delay;
  double low = 0.5;

  if (g_error_matches (error, WAYBILL_TRACKER_ERROR, WAYBILL_TRACKER_ERROR_NOT_FOUND))
    {
      /* An empty answer: the carrier does not know the number yet (a
       * label that was not scanned).  Ask at the status's pace, then half
       * as often after each empty answer, up to once a day. */
      base = interval_usec (self, status);
      if (base == 0)
        base = interval_usec (self, WAYBILL_STATUS_PENDING);
      cap = MAX (cap, base);
      low = 0.9;
    }

  delay = base;
  for (guint i = 1; i < failures && delay < cap; i++)
    delay *= 2;
  delay = MIN (delay, cap);

  return (gint64) ((double) delay * g_rand_double_range (self->rand, low, 1.0));
}

static gboolean
shipment_is_due (WaybillShipment *shipment,
                 gint64           now)
{
  GDateTime *next = waybill_shipment_get_next_check (shipment);

  return next == NULL || date_time_to_usec (next) <= now;
}

/* ---- Tracking APIs ---------------------------------------------------- */

typedef struct
{
  WaybillRefresher      *self;
  char                  *id;
  WaybillTracker        *tracker;
  /* 0 for the tracker's own limit */
  double                 requests_per_second;
  /* The token bucket, with room for one token: the earliest time the next
   * request may go. */
  gint64                 next_request_usec;
  WaybillRefresherPause  pause;
  gint64                 paused_until_usec;
  WaybillCredentials    *rejected;
  guint                  resume_timer;
} ApiState;

static void
api_state_free (ApiState *api)
{
  if (api->resume_timer != 0)
    waybill_clock_remove (api->self->clock, api->resume_timer);
  g_clear_object (&api->tracker);
  g_clear_pointer (&api->rejected, waybill_credentials_free);
  g_free (api->id);
  g_free (api);
}

static void schedule_catch_up (WaybillRefresher *self);

static void
api_resume (ApiState *api)
{
  if (api->pause == WAYBILL_REFRESHER_PAUSE_NONE)
    return;

  if (api->resume_timer != 0)
    {
      waybill_clock_remove (api->self->clock, api->resume_timer);
      api->resume_timer = 0;
    }
  api->pause = WAYBILL_REFRESHER_PAUSE_NONE;
  api->paused_until_usec = 0;
  g_clear_pointer (&api->rejected, waybill_credentials_free);

  g_debug ("%s is asked again", api->id);
  g_signal_emit (api->self, signals[API_RESUMED], 0, api->id);
}

static void
resume_timer_cb (gpointer user_data)
{
  ApiState *api = user_data;

  api->resume_timer = 0;
  api_resume (api);
}

static void
api_pause_rate_limited (ApiState *api,
                        gint64    now,
                        guint     retry_after_seconds)
{
  WaybillRefresher *self = api->self;
  gint64 wait = retry_after_seconds > 0 ? (gint64) retry_after_seconds * G_TIME_SPAN_SECOND
                                        : WAYBILL_REFRESHER_DEFAULT_RETRY_AFTER;
  gint64 until = now + wait;

  /* A rejected key outranks a busy service: it will not pass by itself. */
  if (api->pause == WAYBILL_REFRESHER_PAUSE_AUTH)
    return;
  if (api->pause == WAYBILL_REFRESHER_PAUSE_RATE_LIMITED && api->paused_until_usec >= until)
    return;

  if (api->resume_timer != 0)
    waybill_clock_remove (self->clock, api->resume_timer);
  api->resume_timer = waybill_clock_add_timeout (self->clock, until - now, resume_timer_cb, api, NULL);
  api->paused_until_usec = until;

  if (api->pause != WAYBILL_REFRESHER_PAUSE_RATE_LIMITED)
    {
      api->pause = WAYBILL_REFRESHER_PAUSE_RATE_LIMITED;
      g_debug ("%s asked to wait %" G_GINT64_FORMAT " s", api->id, wait / G_TIME_SPAN_SECOND);
      g_signal_emit (self, signals[API_PAUSED], 0, api->id, WAYBILL_REFRESHER_PAUSE_RATE_LIMITED);
    }
}

static void
api_pause_auth (ApiState *api)
{
  const WaybillCredentials *credentials = waybill_tracker_get_credentials (api->tracker);

  if (api->pause == WAYBILL_REFRESHER_PAUSE_AUTH)
    return;

  if (api->resume_timer != 0)
    {
      waybill_clock_remove (api->self->clock, api->resume_timer);
      api->resume_timer = 0;
    }
  api->pause = WAYBILL_REFRESHER_PAUSE_AUTH;
  api->paused_until_usec = 0;
  g_clear_pointer (&api->rejected, waybill_credentials_free);
  if (credentials != NULL)
    api->rejected = waybill_credentials_copy (credentials);

  g_message ("%s rejected the credentials; it is not asked until they change", api->id);
  g_signal_emit (api->self, signals[API_PAUSED], 0, api->id, WAYBILL_REFRESHER_PAUSE_AUTH);
}

/* Whether the API is paused at @now; a Retry-After that is over resumes it. */
static gboolean
api_is_paused (ApiState *api,
               gint64    now)
{
  switch (api->pause)
    {
    case WAYBILL_REFRESHER_PAUSE_RATE_LIMITED:
      if (now >= api->paused_until_usec)
        {
          api_resume (api);
          return FALSE;
        }
      return TRUE;

    case WAYBILL_REFRESHER_PAUSE_AUTH:
      if (!waybill_credentials_equal (api->rejected, waybill_tracker_get_credentials (api->tracker)))
        {
          api_resume (api);
          return FALSE;
        }
      return TRUE;

    case WAYBILL_REFRESHER_PAUSE_NONE:
    default:
      return FALSE;
    }
}

/* New credentials (Preferences, the keyring read at start): a paused API
 * may be asked again, and shipments that were link-only for want of them
 * may have an API now. */
static void
credentials_changed_cb (WaybillTracker   *tracker,
                        GParamSpec       *pspec,
                        WaybillRefresher *self)
{
  ApiState *api = g_hash_table_lookup (self->apis, waybill_tracker_get_id (tracker));

  if (api != NULL && api->tracker == tracker && api->pause == WAYBILL_REFRESHER_PAUSE_AUTH)
    api_is_paused (api, now_usec (self));

  self->recheck_never_checked = TRUE;
  schedule_catch_up (self);
}

static void
watch_tracker (WaybillRefresher *self,
               WaybillTracker   *tracker)
{
  if (g_hash_table_contains (self->watched, tracker))
    return;

  g_hash_table_add (self->watched, g_object_ref (tracker));
  g_signal_connect_object (tracker, "notify::credentials",
                           G_CALLBACK (credentials_changed_cb), self, 0);
}

static ApiState *
api_state (WaybillRefresher *self,
           WaybillTracker   *tracker)
{
  const char *id = waybill_tracker_get_id (tracker);
  ApiState *api = g_hash_table_lookup (self->apis, id);

  if (api != NULL && api->tracker == tracker)
    return api;

  if (api == NULL)
    {
      api = g_new0 (ApiState, 1);
      api->self = self;
      api->id = g_strdup (id);
      g_hash_table_insert (self->apis, api->id, api);
    }
  else
    {
      /* Another tracker for the same API (an override): it takes over the
       * bucket and the pause. */
      g_clear_object (&api->tracker);
    }

  api->tracker = g_object_ref (tracker);
  watch_tracker (self, tracker);

  return api;
}

static gint64
api_request_interval (WaybillRefresher *self,
                      ApiState         *api)
{
  double rps = api->requests_per_second > 0 ? api->requests_per_second
                                            : waybill_tracker_get_requests_per_second (api->tracker);

  if (!self->rate_limit || rps <= 0)
    return 0;

  /* Rounded up: never a hair faster than the limit. */
  return (gint64) ceil ((double) G_USEC_PER_SEC / rps);
}

/* Whether the API answers without the network: an origin on this machine
 * (the fake carrier server of the tests and the demo), as the network
 * monitor sees it.  Host names are not resolved here: that could block. */
static gboolean
api_reachable_offline (WaybillRefresher *self,
                       ApiState         *api)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GSocketConnectable) address = NULL;
  const char *host;
  int port;

  uri = g_uri_parse (waybill_tracker_get_base_url (api->tracker), G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || (host = g_uri_get_host (uri)) == NULL)
    return FALSE;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    host = "127.0.0.1";
  if (!g_hostname_is_ip_address (host))
    return FALSE;

  port = g_uri_get_port (uri);
  address = g_network_address_new (host, port > 0 ? (guint16) port : 443);

  return g_network_monitor_can_reach (self->monitor, address, NULL, NULL);
}

static WaybillTracker *
tracker_for_carrier (WaybillRefresher *self,
                     const char       *carrier_id)
{
  gpointer value;

  if (carrier_id == NULL || *carrier_id == '\0')
    return NULL;

  if (g_hash_table_lookup_extended (self->overrides, carrier_id, NULL, &value))
    return value == &link_only_marker ? NULL : value;

  return waybill_tracker_registry_for_carrier (self->registry, carrier_id);
}

/* ---- The lock --------------------------------------------------------- */

static int
lock_acquire (WaybillRefresher  *self,
              GError           **error)
{
  g_autofree char *dir = g_path_get_dirname (waybill_store_get_path (self->store));
  g_autofree char *path = g_build_filename (dir, LOCK_FILE_NAME, NULL);
  int fd;

  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, WAYBILL_REFRESHER_ERROR, WAYBILL_REFRESHER_ERROR_FAILED,
                   _("Could not open the refresh lock “%s”: %s"), path, g_strerror (saved_errno));
      return -1;
    }

  while (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      int saved_errno = errno;

      if (saved_errno == EINTR)
        continue;

      close (fd);
      if (saved_errno == EWOULDBLOCK)
        g_set_error_literal (error, WAYBILL_REFRESHER_ERROR, WAYBILL_REFRESHER_ERROR_LOCKED,
                             _("Another Waybill is refreshing right now"));
      else
        g_set_error (error, WAYBILL_REFRESHER_ERROR, WAYBILL_REFRESHER_ERROR_FAILED,
                     _("Could not lock “%s”: %s"), path, g_strerror (saved_errno));
      return -1;
    }

  return fd;
}

static void
lock_release (int *fd)
{
  if (*fd < 0)
    return;

  /* Closing the only descriptor of the open file lets go of the lock. */
  close (*fd);
  *fd = -1;
}

/* ---- A pass ----------------------------------------------------------- */

typedef struct _Pass Pass;

typedef struct
{
  Pass     *pass;
  ApiState *api;
  /* WaybillShipment, waiting to be asked */
  GQueue    queue;
  gboolean  in_flight;
  guint     timer;
} Lane;

/* What one request answered, waiting to be written. */
typedef struct
{
  char      *api_id;
  /* WaybillShipment, as listed */
  GPtrArray *shipments;
  /* WaybillTrackingReply, one per shipment */
  GPtrArray *replies;
  /* per shipment: a network error while the network is away, which is
   * nobody's failure */
  GArray    *offline;
  gint64     checked_usec;
} Outcome;

/* A shipment not asked, to be scheduled. */
typedef struct
{
  gint64   shipment_id;
  gint64   next_usec;
  /* asked again as soon as its API or the network comes back */
  gboolean remember;
} Deferral;

struct _Pass
{
  WaybillRefresher     *self;
  GTask                *task;
  gboolean              all_active;
  GCancellable         *cancellable;
  gulong                task_cancel_handler;
  GSource              *cancel_source;
  int                   lock_fd;
  /* api id -> Lane */
  GHashTable           *lanes;
  guint                 in_flight;
  /* Outcome, not written yet */
  GPtrArray            *outcomes;
  gint64                outcomes_since_usec;
  /* shipments in the waiting outcomes */
  guint                 outcomes_shipments;
  GArray               *deferrals;
  WaybillRefreshReport *report;
  gboolean              cancelled;
  gboolean              finished;
  /* in pass_flush(), whose signals may call back */
  gboolean              flushing;
  GError               *error;
};

typedef struct
{
  Lane      *lane;
  GPtrArray *shipments;
} Batch;

static void
lane_free (Lane *lane)
{
  if (lane->timer != 0)
    waybill_clock_remove (lane->pass->self->clock, lane->timer);
  g_queue_clear_full (&lane->queue, g_object_unref);
  g_free (lane);
}

static void
outcome_free (Outcome *outcome)
{
  g_free (outcome->api_id);
  g_ptr_array_unref (outcome->shipments);
  g_ptr_array_unref (outcome->replies);
  g_array_unref (outcome->offline);
  g_free (outcome);
}

static void
pass_free (Pass *pass)
{
  g_assert (pass->in_flight == 0);

  g_clear_pointer (&pass->lanes, g_hash_table_unref);
  if (pass->task_cancel_handler != 0)
    g_cancellable_disconnect (g_task_get_cancellable (pass->task), pass->task_cancel_handler);
  if (pass->cancel_source != NULL)
    {
      g_source_destroy (pass->cancel_source);
      g_source_unref (pass->cancel_source);
    }
  lock_release (&pass->lock_fd);
  g_clear_object (&pass->cancellable);
  g_clear_object (&pass->task);
  g_ptr_array_unref (pass->outcomes);
  g_array_unref (pass->deferrals);
  g_clear_pointer (&pass->report, waybill_refresh_report_free);
  g_clear_error (&pass->error);
  g_object_unref (pass->self);
  g_free (pass);
}

static void
set_progress (WaybillRefresher *self,
              guint             checked,
              guint             total)
{
  gboolean changed_checked = self->progress_checked != checked;
  gboolean changed_total = self->progress_total != total;

  if (!changed_checked && !changed_total)
    return;

  self->progress_checked = checked;
  self->progress_total = total;
  if (changed_checked)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS_CHECKED]);
  if (changed_total)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS_TOTAL]);
  g_signal_emit (self, signals[PROGRESS], 0, checked, total);
}

static void
defer (Pass    *pass,
       gint64   shipment_id,
       gint64   next_usec,
       gboolean remember)
{
  Deferral deferral = { shipment_id, next_usec, remember };

  g_array_append_val (pass->deferrals, deferral);
}

static WaybillOrder *
lookup_order (WaybillRefresher *self,
              gint64            order_id)
{
  g_autoptr(GError) error = NULL;
  WaybillOrder *order = waybill_store_get_order (self->store, order_id, &error);

  if (order == NULL)
    g_debug ("Order %" G_GINT64_FORMAT " went away: %s", order_id, error->message);

  return order;
}

static WaybillRefreshError *
refresh_error_new (WaybillRefresher *self,
                   WaybillShipment  *shipment,
                   const char       *api_id,
                   const GError     *error)
{
  WaybillRefreshError *item = g_new0 (WaybillRefreshError, 1);
  g_autoptr(WaybillOrder) order = lookup_order (self, waybill_shipment_get_order_id (shipment));
  const char *kind = waybill_tracker_error_kind (error);

  item->shipment_id = waybill_shipment_get_id (shipment);
  item->order_id = waybill_shipment_get_order_id (shipment);
  item->order_number = order != NULL ? g_strdup (waybill_order_get_order_number (order)) : NULL;
  item->carrier = g_strdup (waybill_shipment_get_carrier (shipment));
  item->tracking_number = g_strdup (waybill_shipment_get_tracking_number (shipment));
  item->api_id = g_strdup (api_id);
  item->kind = g_strdup (kind != NULL ? kind : "bad_response");
  item->message = g_strdup (error->message);

  return item;
}

/* What is known about a shipment before its answer is written. */
typedef struct
{
  gint64         shipment_id;
  WaybillStatus  previous;
  gboolean       was_delayed;
  gboolean       first_fetch;
} Recorded;

static gboolean
is_gone (const GError *error)
{
  return g_error_matches (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_NOT_FOUND);
}

/* Writes one request's answers in one transaction: results, failures and
 * every shipment's next check.  All of it, or nothing. */
static gboolean
write_outcome (Pass       *pass,
               Outcome    *outcome,
               GPtrArray  *changes,
               GPtrArray  *errors,
               GError    **error)
{
  WaybillRefresher *self = pass->self;
  ApiState *api = g_hash_table_lookup (self->apis, outcome->api_id);
  g_autoptr(GArray) recorded = g_array_new (FALSE, FALSE, sizeof (Recorded));
  g_autoptr(GArray) remembered = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) failed = g_ptr_array_new_with_free_func ((GDestroyNotify) waybill_refresh_error_free);
  g_autoptr(GDateTime) checked_at = date_time_from_usec (outcome->checked_usec);
  /* the results, recorded together after the loop: one summary per order */
  g_autoptr(GArray) result_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) results = g_ptr_array_new ();
  g_autofree WaybillStatus *previous = NULL;
  gint64 checked = outcome->checked_usec;

  if (!waybill_store_begin (self->store, error))
    return FALSE;

  for (guint i = 0; i < outcome->shipments->len; i++)
    {
      WaybillShipment *listed = g_ptr_array_index (outcome->shipments, i);
      WaybillTrackingReply *reply = g_ptr_array_index (outcome->replies, i);
      gint64 id = waybill_shipment_get_id (listed);
      g_autoptr(WaybillShipment) current = NULL;
      g_autoptr(GDateTime) next = NULL;
      g_autoptr(GError) local_error = NULL;
      gint64 next_usec = 0;

      /* Deleted or edited while it was asked about: the answer is not
       * about this shipment any more. */
      current = waybill_store_get_shipment_without_events (self->store, id, &local_error);
      if (current == NULL)
        {
          if (is_gone (local_error))
            continue;
          g_propagate_error (error, g_steal_pointer (&local_error));
          goto failed;
        }
      if (g_strcmp0 (waybill_shipment_get_tracking_number (current),
                     waybill_shipment_get_tracking_number (listed)) != 0 ||
          g_strcmp0 (waybill_shipment_get_carrier (current),
                     waybill_shipment_get_carrier (listed)) != 0)
        continue;

      if (reply->result != NULL)
        {
          Recorded record = { id, WAYBILL_STATUS_PENDING, FALSE, FALSE };
          WaybillStatus status = waybill_shipment_get_status (current);

          record.was_delayed = waybill_shipment_get_delayed (current);
          record.first_fetch = waybill_shipment_get_last_checked (current) == NULL ||
                               (status == WAYBILL_STATUS_PENDING &&
                                waybill_shipment_get_last_event_at (current) == NULL);

          /* The shipment was just read in this transaction: it is
           * there when the results are recorded below. */
          g_array_append_val (recorded, record);
          g_array_append_val (result_ids, id);
          g_ptr_array_add (results, reply->result);

          if (interval_minutes (self, reply->result->status) > 0)
            next_usec = checked + interval_usec (self, reply->result->status);
        }
      else if (g_array_index (outcome->offline, gboolean, i))
        {
          /* The network went away under the request: not the shipment's
           * failure; it is asked when the network is back. */
          next_usec = checked + WAYBILL_REFRESHER_PAUSED_INTERVAL;
          g_array_append_val (remembered, id);
        }
      else
        {
          const GError *reply_error = reply->error;

          g_ptr_array_add (failed, refresh_error_new (self, current, outcome->api_id, reply_error));

          if (g_error_matches (reply_error, WAYBILL_TRACKER_ERROR, WAYBILL_TRACKER_ERROR_RATE_LIMITED))
            {
              /* Nobody's failure either: the API is paused until then. */
              next_usec = api != NULL && api->paused_until_usec > checked
                          ? api->paused_until_usec
                          : checked + WAYBILL_REFRESHER_DEFAULT_RETRY_AFTER;
            }
          else if (g_error_matches (reply_error, WAYBILL_TRACKER_ERROR, WAYBILL_TRACKER_ERROR_AUTH))
            {
              next_usec = checked + WAYBILL_REFRESHER_PAUSED_INTERVAL;
              g_array_append_val (remembered, id);
            }
          else if (g_error_matches (reply_error, WAYBILL_TRACKER_ERROR,
                                    WAYBILL_TRACKER_ERROR_NOT_CONFIGURED))
            {
              next_usec = checked + WAYBILL_REFRESHER_LINK_ONLY_INTERVAL;
            }
          else
            {
              guint failures = waybill_shipment_get_failure_count (current) + 1;

              if (!waybill_store_record_failure (self->store, id, reply_error->message, checked_at,
                                                 &local_error))
                {
                  if (is_gone (local_error))
                    continue;
                  g_propagate_error (error, g_steal_pointer (&local_error));
                  goto failed;
                }
              next_usec = checked + backoff_usec (self, reply_error, failures,
                                                  waybill_shipment_get_status (current));
              /* A service that said when it is back is not asked before. */
              if (api != NULL && api->pause == WAYBILL_REFRESHER_PAUSE_RATE_LIMITED)
                next_usec = MAX (next_usec, api->paused_until_usec);
            }
        }

      if (next_usec > 0)
        next = date_time_from_usec (next_usec);
      if (!waybill_store_schedule_shipment (self->store, id, next, &local_error))
        {
          if (is_gone (local_error))
            continue;
          g_propagate_error (error, g_steal_pointer (&local_error));
          goto failed;
        }
    }

  previous = g_new (WaybillStatus, MAX (results->len, 1));
  if (results->len > 0 &&
      !waybill_store_record_results (self->store, results->len, (const gint64 *) (gpointer) result_ids->data,
                                     (WaybillTrackingResult * const *) results->pdata, checked_at,
                                     previous, error))
    goto failed;
  for (guint i = 0; i < recorded->len; i++)
    g_array_index (recorded, Recorded, i).previous = previous[i];

  if (!waybill_store_commit (self->store, error))
    return FALSE;

  for (guint i = 0; i < remembered->len; i++)
    g_hash_table_add (self->deferred, int64_dup (g_array_index (remembered, gint64, i)));

  /* What changed, read back as the store now has it: the delayed flag is
   * the store's to compute. */
  for (guint i = 0; i < recorded->len; i++)
    {
      const Recorded *record = &g_array_index (recorded, Recorded, i);
      g_autoptr(WaybillShipment) shipment = NULL;
      g_autoptr(WaybillOrder) order = NULL;
      WaybillStatusChange *change;
      gboolean became_delayed;

      shipment = waybill_store_get_shipment_without_events (self->store, record->shipment_id, NULL);
      if (shipment == NULL)
        continue;

      became_delayed = !record->was_delayed && waybill_shipment_get_delayed (shipment);
      if (waybill_shipment_get_status (shipment) == record->previous && !became_delayed)
        continue;

      order = lookup_order (self, waybill_shipment_get_order_id (shipment));
      if (order == NULL)
        continue;

      waybill_store_load_events (self->store, shipment, NULL);
      change = waybill_status_change_new_for_shipment (order, shipment, record->previous);
      change->first_fetch = record->first_fetch;
      change->delayed = became_delayed;
      g_ptr_array_add (changes, change);
    }

  g_ptr_array_extend_and_steal (errors, g_steal_pointer (&failed));

  return TRUE;

failed:
  waybill_store_rollback (self->store);
  return FALSE;
}

static gboolean
write_deferrals (Pass    *pass,
                 GError **error)
{
  WaybillRefresher *self = pass->self;

  if (pass->deferrals->len == 0)
    return TRUE;

  if (!waybill_store_begin (self->store, error))
    return FALSE;

  for (guint i = 0; i < pass->deferrals->len; i++)
    {
      const Deferral *deferral = &g_array_index (pass->deferrals, Deferral, i);
      g_autoptr(GDateTime) next = date_time_from_usec (deferral->next_usec);
      g_autoptr(GError) local_error = NULL;

      if (!waybill_store_schedule_shipment (self->store, deferral->shipment_id, next, &local_error) &&
          !is_gone (local_error))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          waybill_store_rollback (self->store);
          return FALSE;
        }
    }

  if (!waybill_store_commit (self->store, error))
    return FALSE;

  for (guint i = 0; i < pass->deferrals->len; i++)
    {
      const Deferral *deferral = &g_array_index (pass->deferrals, Deferral, i);

      if (deferral->remember)
        g_hash_table_add (self->deferred, int64_dup (deferral->shipment_id));
    }
  g_array_set_size (pass->deferrals, 0);

  return TRUE;
}

/* Writes what waits in memory, then announces and tells.  Synchronous:
 * nothing of the main loop runs between a commit and the notifier. */
static void
pass_flush (Pass *pass)
{
  WaybillRefresher *self = pass->self;
  g_autoptr(GPtrArray) outcomes = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GError) error = NULL;

  if (pass->flushing)
    return;

  if (pass->error == NULL && !write_deferrals (pass, &error))
    {
      g_warning ("Could not schedule the shipments left for later: %s", error->message);
      pass->error = g_steal_pointer (&error);
    }

  if (pass->outcomes->len == 0)
    return;

  outcomes = g_steal_pointer (&pass->outcomes);
  pass->outcomes = g_ptr_array_new_with_free_func ((GDestroyNotify) outcome_free);
  pass->outcomes_shipments = 0;
  changes = g_ptr_array_new_with_free_func ((GDestroyNotify) waybill_status_change_free);
  errors = g_ptr_array_new_with_free_func ((GDestroyNotify) waybill_refresh_error_free);

  for (guint i = 0; i < outcomes->len && pass->error == NULL; i++)
    if (!write_outcome (pass, g_ptr_array_index (outcomes, i), changes, errors, &error))
      {
        g_warning ("Could not record tracking answers: %s", error->message);
        pass->error = g_steal_pointer (&error);
      }

  /* Handlers may stop the refresher or ask for a pass: the pass outlives
   * them (it ends only from the main loop), and is not flushed again. */
  pass->flushing = TRUE;

  /* First the record of what is announced, then everything else. */
  if (self->notifier != NULL && changes->len > 0 &&
      !waybill_notifier_announce (self->notifier, changes, &error))
    {
      g_warning ("Could not record announced changes: %s", error->message);
      g_clear_error (&error);
    }

  for (guint i = 0; i < changes->len; i++)
    {
      WaybillStatusChange *change = g_ptr_array_index (changes, i);

      g_ptr_array_add (pass->report->changes, waybill_status_change_copy (change));
      g_signal_emit (self, signals[STATUS_CHANGED], 0, change);
    }

  for (guint i = 0; i < errors->len; i++)
    {
      WaybillRefreshError *item = g_ptr_array_index (errors, i);

      g_ptr_array_add (pass->report->errors, waybill_refresh_error_copy (item));
      g_signal_emit (self, signals[ERROR], 0, item->shipment_id, item->tracking_number,
                     item->kind, item->message);
    }

  pass->flushing = FALSE;
}

static void lane_pump (Lane *lane);
static void pass_maybe_finish (Pass *pass);
static void wake_cb (gpointer user_data);
static void run_next_request (WaybillRefresher *self);
static void arm_next_due (WaybillRefresher *self);

/* Leaves a lane's waiting shipments for later: its API is paused, or the
 * network is away. */
static void
lane_defer_all (Lane *lane,
                gint64 now)
{
  Pass *pass = lane->pass;
  WaybillShipment *shipment;
  guint n = 0;

  while ((shipment = g_queue_pop_head (&lane->queue)) != NULL)
    {
      gint64 id = waybill_shipment_get_id (shipment);

      if (lane->api->pause == WAYBILL_REFRESHER_PAUSE_RATE_LIMITED)
        defer (pass, id, lane->api->paused_until_usec, FALSE);
      else
        defer (pass, id, now + WAYBILL_REFRESHER_PAUSED_INTERVAL, TRUE);
      g_object_unref (shipment);
      n++;
    }

  pass->report->deferred += n;
  set_progress (pass->self, pass->self->progress_checked, pass->self->progress_total - n);
}

static void
lane_timer_cb (gpointer user_data)
{
  Lane *lane = user_data;
  Pass *pass = lane->pass;

  lane->timer = 0;
  lane_pump (lane);
  pass_maybe_finish (pass);
}

static void
lane_batch_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Batch *batch = user_data;
  Lane *lane = batch->lane;
  Pass *pass = lane->pass;
  WaybillRefresher *self = pass->self;
  ApiState *api = lane->api;
  g_autoptr(GPtrArray) shipments = batch->shipments;
  g_autoptr(GPtrArray) replies = NULL;
  g_autoptr(GError) error = NULL;
  Outcome *outcome;
  gint64 now = now_usec (self);
  guint n_offline = 0;

  g_free (batch);
  lane->in_flight = FALSE;
  pass->in_flight--;

  replies = waybill_tracker_track_finish (WAYBILL_TRACKER (source), result, &error);
  if (pass->cancelled || g_cancellable_is_cancelled (pass->cancellable) ||
      (replies == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)))
    {
      /* Cancelled: the batch is dropped whole, even when its answer made
       * it in time; its shipments stay due. */
      pass->report->deferred += shipments->len;
      pass_maybe_finish (pass);
      return;
    }

  if (replies == NULL || replies->len != shipments->len)
    {
      /* Against the tracker contract; every number gets the error. */
      g_autoptr(GError) bad = error != NULL ? g_error_copy (error)
                                            : g_error_new_literal (WAYBILL_TRACKER_ERROR,
                                                                   WAYBILL_TRACKER_ERROR_BAD_RESPONSE,
                                                                   _("The tracking service gave no usable answer"));

      g_clear_pointer (&replies, g_ptr_array_unref);
      replies = g_ptr_array_new_with_free_func ((GDestroyNotify) waybill_tracking_reply_free);
      for (guint i = 0; i < shipments->len; i++)
        g_ptr_array_add (replies,
                         waybill_tracking_reply_new_error (waybill_shipment_get_tracking_number (g_ptr_array_index (shipments, i)),
                                                           bad, 0));
    }

  outcome = g_new0 (Outcome, 1);
  outcome->api_id = g_strdup (api->id);
  outcome->shipments = g_steal_pointer (&shipments);
  outcome->replies = g_steal_pointer (&replies);
  outcome->offline = g_array_sized_new (FALSE, TRUE, sizeof (gboolean), outcome->shipments->len);
  g_array_set_size (outcome->offline, outcome->shipments->len);
  outcome->checked_usec = now;

  for (guint i = 0; i < outcome->replies->len; i++)
    {
      WaybillTrackingReply *reply = g_ptr_array_index (outcome->replies, i);

      if (reply->error == NULL || reply->error->domain != WAYBILL_TRACKER_ERROR)
        continue;

      switch (reply->error->code)
        {
        case WAYBILL_TRACKER_ERROR_RATE_LIMITED:
          api_pause_rate_limited (api, now, reply->retry_after_seconds);
          break;

        case WAYBILL_TRACKER_ERROR_UNAVAILABLE:
          if (reply->retry_after_seconds > 0)
            api_pause_rate_limited (api, now, reply->retry_after_seconds);
          break;

        case WAYBILL_TRACKER_ERROR_AUTH:
          api_pause_auth (api);
          break;

        case WAYBILL_TRACKER_ERROR_NETWORK:
          if (!g_network_monitor_get_network_available (self->monitor) &&
              !api_reachable_offline (self, api))
            {
              g_array_index (outcome->offline, gboolean, i) = TRUE;
              n_offline++;
            }
          break;

        default:
          break;
        }
    }

  if (pass->outcomes->len == 0)
    pass->outcomes_since_usec = now;
  g_ptr_array_add (pass->outcomes, outcome);

  pass->report->checked += outcome->shipments->len - n_offline;
  pass->report->deferred += n_offline;
  if (n_offline > 0)
    pass->report->offline = TRUE;
  set_progress (self, pass->report->checked, self->progress_total - n_offline);

  /* The next request first: it is on its way while the answers are
   * written. */
  lane_pump (lane);
  pass->outcomes_shipments += outcome->shipments->len;
  if (now - pass->outcomes_since_usec >= (gint64) self->flush_interval * G_TIME_SPAN_SECOND ||
      pass->outcomes_shipments >= FLUSH_MAX_SHIPMENTS)
    pass_flush (pass);

  pass_maybe_finish (pass);
}

static void
lane_pump (Lane *lane)
{
  Pass *pass = lane->pass;
  WaybillRefresher *self = pass->self;
  ApiState *api = lane->api;
  g_autoptr(GPtrArray) shipments = NULL;
  g_autoptr(GPtrArray) numbers = NULL;
  Batch *batch;
  guint batch_size;
  gint64 now;

  if (pass->cancelled || pass->finished || pass->error != NULL ||
      lane->in_flight || lane->timer != 0 || g_queue_is_empty (&lane->queue))
    return;

  now = now_usec (self);

  if (api_is_paused (api, now))
    {
      lane_defer_all (lane, now);
      return;
    }

  if (self->offline && !api_reachable_offline (self, api))
    {
      pass->report->offline = TRUE;
      lane_defer_all (lane, now);
      return;
    }

  if (self->rate_limit && now < api->next_request_usec)
    {
      lane->timer = waybill_clock_add_timeout (self->clock, api->next_request_usec - now,
                                               lane_timer_cb, lane, NULL);
      return;
    }

  batch_size = MAX (waybill_tracker_get_batch_size (api->tracker), 1);
  shipments = g_ptr_array_new_with_free_func (g_object_unref);
  numbers = g_ptr_array_new ();
  while (shipments->len < batch_size && !g_queue_is_empty (&lane->queue))
    {
      WaybillShipment *shipment = g_queue_pop_head (&lane->queue);
      const char *number = waybill_shipment_get_tracking_number (shipment);

      /* An aggregator serves many carriers: it is told which one. */
      waybill_tracker_set_carrier_hint (api->tracker, number, waybill_shipment_get_carrier (shipment));
      g_ptr_array_add (shipments, shipment);
      g_ptr_array_add (numbers, (gpointer) number);
    }
  g_ptr_array_add (numbers, NULL);

  api->next_request_usec = now + api_request_interval (self, api);
  lane->in_flight = TRUE;
  pass->in_flight++;

  batch = g_new0 (Batch, 1);
  batch->lane = lane;
  batch->shipments = g_steal_pointer (&shipments);

  waybill_tracker_track_async (api->tracker, (const char * const *) numbers->pdata,
                               pass->cancellable, lane_batch_cb, batch);
}

static void
pass_finish (Pass *pass)
{
  WaybillRefresher *self = pass->self;
  GHashTableIter iter;
  Lane *lane;

  g_assert (!pass->finished);
  g_assert (pass->in_flight == 0);

  pass->finished = TRUE;

  /* Cancelled: what was not asked stays due, as it was. */
  g_hash_table_iter_init (&iter, pass->lanes);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &lane))
    {
      pass->report->deferred += g_queue_get_length (&lane->queue);
      g_queue_clear_full (&lane->queue, g_object_unref);
      if (lane->timer != 0)
        {
          waybill_clock_remove (self->clock, lane->timer);
          lane->timer = 0;
        }
    }

  pass_flush (pass);
  lock_release (&pass->lock_fd);

  self->pass = NULL;
  self->not_before_usec = now_usec (self) +
                          (pass->error != NULL && !pass->cancelled ? RETRY_GAP : MIN_GAP);

  if (pass->error != NULL)
    g_task_return_error (pass->task, g_steal_pointer (&pass->error));
  else if (pass->cancelled)
    g_task_return_new_error (pass->task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             _("The refresh was cancelled"));
  else
    {
      /* Without network nothing was refreshed. */
      if (!pass->report->offline || pass->report->checked > 0)
        {
          g_clear_pointer (&self->last_refresh, g_date_time_unref);
          self->last_refresh = waybill_clock_get_now (self->clock);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_REFRESH]);
        }
      g_signal_emit (self, signals[PASS_FINISHED], 0, pass->report);
      g_task_return_pointer (pass->task, g_steal_pointer (&pass->report),
                             (GDestroyNotify) waybill_refresh_report_free);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFRESHING]);
  run_next_request (self);
  pass_free (pass);
}

static void
pass_maybe_finish (Pass *pass)
{
  GHashTableIter iter;
  Lane *lane;

  if (pass->finished || pass->in_flight > 0)
    return;

  if (!pass->cancelled && pass->error == NULL)
    {
      g_hash_table_iter_init (&iter, pass->lanes);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &lane))
        if (!g_queue_is_empty (&lane->queue) || lane->timer != 0)
          return;
    }

  pass_finish (pass);
}

static gboolean
pass_cancelled_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  Pass *pass = user_data;

  pass->cancelled = TRUE;
  pass_maybe_finish (pass);

  return G_SOURCE_REMOVE;
}

static void
task_cancelled_cb (GCancellable *cancellable,
                   GCancellable *pass_cancellable)
{
  /* May run in another thread; the pass notices in the main context. */
  g_cancellable_cancel (pass_cancellable);
}

static Lane *
pass_lane (Pass     *pass,
           ApiState *api)
{
  Lane *lane = g_hash_table_lookup (pass->lanes, api->id);

  if (lane == NULL)
    {
      lane = g_new0 (Lane, 1);
      lane->pass = pass;
      lane->api = api;
      g_queue_init (&lane->queue);
      g_hash_table_insert (pass->lanes, api->id, lane);
    }

  return lane;
}

static void
pass_start (Pass *pass)
{
  WaybillRefresher *self = pass->self;
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GDateTime) now_time = NULL;
  g_autoptr(GError) error = NULL;
  gboolean with_deferred = g_hash_table_size (self->deferred) > 0;
  gboolean recheck = self->recheck_never_checked;
  GHashTableIter iter;
  Lane *lane;
  guint total = 0;
  gint64 now;

  set_progress (self, 0, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFRESHING]);

  if (g_cancellable_is_cancelled (pass->cancellable))
    {
      pass->cancelled = TRUE;
      pass_finish (pass);
      return;
    }

  pass->lock_fd = lock_acquire (self, &error);
  if (pass->lock_fd < 0)
    {
      g_debug ("Refresh skipped: %s", error->message);
      pass->error = g_steal_pointer (&error);
      pass_finish (pass);
      return;
    }

  now = now_usec (self);
  now_time = date_time_from_usec (now);

  self->recheck_never_checked = FALSE;
  listed = waybill_store_list_due_shipments (self->store, now_time,
                                             pass->all_active || with_deferred || recheck,
                                             G_MAXUINT, &error);
  if (listed == NULL)
    {
      pass->error = g_steal_pointer (&error);
      pass_finish (pass);
      return;
    }

  for (guint i = 0; i < listed->len; i++)
    {
      WaybillShipment *shipment = g_ptr_array_index (listed, i);
      gint64 id = waybill_shipment_get_id (shipment);
      gboolean was_deferred = g_hash_table_contains (self->deferred, &id);
      WaybillTracker *tracker;
      ApiState *api;

      tracker = tracker_for_carrier (self, waybill_shipment_get_carrier (shipment));

      if (!pass->all_active && !was_deferred && !shipment_is_due (shipment, now) &&
          !(recheck && tracker != NULL && waybill_shipment_get_last_checked (shipment) == NULL))
        continue;

      if (tracker == NULL)
        {
          /* Link-only: nothing to ask; look again in a while, in case an
           * API for the carrier was set up. */
          g_hash_table_remove (self->deferred, &id);
          defer (pass, id, now + WAYBILL_REFRESHER_LINK_ONLY_INTERVAL, FALSE);
          pass->report->link_only++;
          continue;
        }

      api = api_state (self, tracker);
      if (api_is_paused (api, now) || (self->offline && !api_reachable_offline (self, api)))
        {
          if (was_deferred && !shipment_is_due (shipment, now))
            continue;

          if (api->pause == WAYBILL_REFRESHER_PAUSE_RATE_LIMITED)
            defer (pass, id, api->paused_until_usec, FALSE);
          else
            defer (pass, id, now + WAYBILL_REFRESHER_PAUSED_INTERVAL, TRUE);
          if (self->offline && api->pause == WAYBILL_REFRESHER_PAUSE_NONE)
            pass->report->offline = TRUE;
          pass->report->deferred++;
          continue;
        }

      g_hash_table_remove (self->deferred, &id);
      g_queue_push_tail (&pass_lane (pass, api)->queue, g_object_ref (shipment));
      total++;
    }

  /* The link-only and paused ones are scheduled before anything is asked. */
  pass_flush (pass);
  if (pass->error != NULL)
    {
      pass_finish (pass);
      return;
    }

  set_progress (self, 0, total);

  g_hash_table_iter_init (&iter, pass->lanes);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &lane))
    lane_pump (lane);

  pass_maybe_finish (pass);
}

typedef struct
{
  gboolean all_active;
} Request;

static gboolean
run_next_request_cb (gpointer user_data)
{
  WaybillRefresher *self = user_data;
  GTask *task;
  Request *request;
  GCancellable *task_cancellable;
  Pass *pass;

  self->run_idle = 0;

  if (self->pass != NULL)
    return G_SOURCE_REMOVE;

  task = g_queue_pop_head (&self->requests);
  if (task == NULL)
    {
      arm_next_due (self);
      return G_SOURCE_REMOVE;
    }
  if (task == self->auto_task)
    self->auto_task = NULL;

  request = g_task_get_task_data (task);

  pass = g_new0 (Pass, 1);
  pass->self = g_object_ref (self);
  pass->task = task;
  pass->all_active = request->all_active;
  pass->lock_fd = -1;
  pass->cancellable = g_cancellable_new ();
  pass->lanes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) lane_free);
  pass->outcomes = g_ptr_array_new_with_free_func ((GDestroyNotify) outcome_free);
  pass->deferrals = g_array_new (FALSE, FALSE, sizeof (Deferral));
  pass->report = waybill_refresh_report_new ();

  task_cancellable = g_task_get_cancellable (task);
  if (task_cancellable != NULL)
    pass->task_cancel_handler = g_cancellable_connect (task_cancellable,
                                                       G_CALLBACK (task_cancelled_cb),
                                                       g_object_ref (pass->cancellable),
                                                       g_object_unref);
  pass->cancel_source = g_cancellable_source_new (pass->cancellable);
  g_source_set_callback (pass->cancel_source, G_SOURCE_FUNC (pass_cancelled_cb), pass, NULL);
  g_source_attach (pass->cancel_source, g_main_context_get_thread_default ());

  self->pass = pass;
  pass_start (pass);

  return G_SOURCE_REMOVE;
}

static void
run_next_request (WaybillRefresher *self)
{
  if (self->run_idle == 0)
    self->run_idle = g_idle_add_full (G_PRIORITY_DEFAULT, run_next_request_cb, self, NULL);
}

/* ---- Running by itself ------------------------------------------------ */

static void
auto_pass_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  WaybillRefresher *self = WAYBILL_REFRESHER (source);
  g_autoptr(WaybillRefreshReport) report = NULL;
  g_autoptr(GError) error = NULL;

  report = waybill_refresher_refresh_finish (self, result, &error);
  if (report == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Another refresher at work is no trouble: it records the same. */
      if (g_error_matches (error, WAYBILL_REFRESHER_ERROR, WAYBILL_REFRESHER_ERROR_LOCKED))
        g_debug ("Refresh skipped: %s", error->message);
      else
        g_warning ("Refresh failed: %s", error->message);
    }

  arm_next_due (self);
}

static void
queue_auto_pass (WaybillRefresher *self)
{
  GTask *task;
  Request *request;

  if (!self->started || self->auto_task != NULL)
    return;

  task = g_task_new (self, NULL, auto_pass_done_cb, NULL);
  self->auto_task = task;
  g_task_set_source_tag (task, waybill_refresher_refresh_async);
  request = g_new0 (Request, 1);
  g_task_set_task_data (task, request, g_free);
  g_queue_push_tail (&self->requests, task);
  run_next_request (self);
}

static void
wake_cb (gpointer user_data)
{
  WaybillRefresher *self = user_data;

  self->wake_timer = 0;
  arm_next_due (self);
}

/* The time the next shipment falls due, in µs; FALSE when none will. */
static gboolean
next_due_usec (WaybillRefresher *self,
               gint64           *out_usec)
{
  g_autoptr(GDateTime) far = g_date_time_new_utc (9999, 12, 31, 0, 0, 0);
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GError) error = NULL;
  GDateTime *next;

  first = waybill_store_list_due_shipments (self->store, far, FALSE, 1, &error);
  if (first == NULL)
    {
      g_warning ("Could not look for due shipments: %s", error->message);
      *out_usec = now_usec (self) + RETRY_GAP;
      return TRUE;
    }
  if (first->len == 0)
    return FALSE;

  next = waybill_shipment_get_next_check (g_ptr_array_index (first, 0));
  *out_usec = next != NULL ? date_time_to_usec (next) : G_MININT64;

  return TRUE;
}

/* Runs a pass now if a shipment is due, else sleeps until one is. */
static void
arm_next_due (WaybillRefresher *self)
{
  gint64 now;
  gint64 due;

  if (!self->started || self->pass != NULL || self->auto_task != NULL ||
      !g_queue_is_empty (&self->requests))
    return;

  if (self->wake_timer != 0)
    {
      waybill_clock_remove (self->clock, self->wake_timer);
      self->wake_timer = 0;
    }

  if (!next_due_usec (self, &due))
    return;

  now = now_usec (self);
  due = MAX (due, self->not_before_usec);
  if (due <= now)
    {
      queue_auto_pass (self);
      return;
    }

  self->wake_timer = waybill_clock_add_timeout (self->clock, MIN (due - now, MAX_SLEEP),
                                                wake_cb, self, NULL);
}

static gboolean
wake_idle_cb (gpointer user_data)
{
  WaybillRefresher *self = user_data;

  self->wake_idle = 0;
  arm_next_due (self);

  return G_SOURCE_REMOVE;
}

/* A change in the store (a new shipment, another process's pass): look
 * again at what is due, once the burst of changes is over. */
static void
store_changed_cb (WaybillRefresher *self)
{
  if (!self->started || self->pass != NULL || self->wake_idle != 0)
    return;

  self->wake_idle = g_idle_add_full (G_PRIORITY_LOW, wake_idle_cb, self, NULL);
}

/* The network or an API came back: ask what was left for it now. */
static void
schedule_catch_up (WaybillRefresher *self)
{
  /* Queued after a running pass, which may have left some out. */
  queue_auto_pass (self);
}

static void
update_offline (WaybillRefresher *self)
{
  gboolean offline = !g_network_monitor_get_network_available (self->monitor);

  if (offline == self->offline)
    return;

  self->offline = offline;
  g_debug ("The network is %s", offline ? "away" : "back");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFLINE]);

  if (!offline)
    schedule_catch_up (self);
}

static void
network_changed_cb (GNetworkMonitor  *monitor,
                    gboolean          available,
                    WaybillRefresher *self)
{
  update_offline (self);
}

/* ---- The object ------------------------------------------------------- */

static void
waybill_refresher_constructed (GObject *object)
{
  WaybillRefresher *self = WAYBILL_REFRESHER (object);

  G_OBJECT_CLASS (waybill_refresher_parent_class)->constructed (object);

  g_assert (self->store != NULL);
  g_assert (self->registry != NULL);

  if (self->clock == NULL)
    self->clock = waybill_clock_new ();
  if (self->monitor == NULL)
    waybill_refresher_set_network_monitor (self, g_network_monitor_get_default ());

  waybill_store_set_delay_threshold (self->store, self->delay_threshold_days * 24 * 60 * 60);

  /* Every API, also those not configured yet: their credentials may come. */
  {
    g_autoptr(GPtrArray) trackers = waybill_tracker_registry_list (self->registry);

    for (guint i = 0; i < trackers->len; i++)
      watch_tracker (self, g_ptr_array_index (trackers, i));
  }
  self->store_changed_handler = g_signal_connect_swapped (self->store, "changed",
                                                          G_CALLBACK (store_changed_cb), self);
}

static void
waybill_refresher_dispose (GObject *object)
{
  WaybillRefresher *self = WAYBILL_REFRESHER (object);

  waybill_refresher_stop (self);
  g_assert (self->pass == NULL);

  g_clear_handle_id (&self->run_idle, g_source_remove);
  g_clear_handle_id (&self->wake_idle, g_source_remove);
  if (self->wake_timer != 0 && self->clock != NULL)
    waybill_clock_remove (self->clock, self->wake_timer);
  self->wake_timer = 0;

  /* The API states hold clock timeouts: gone before the clock. */
  g_hash_table_remove_all (self->apis);
  g_hash_table_remove_all (self->overrides);
  g_hash_table_remove_all (self->watched);

  if (self->store != NULL)
    g_clear_signal_handler (&self->store_changed_handler, self->store);
  if (self->monitor != NULL)
    g_clear_signal_handler (&self->monitor_handler, self->monitor);

  g_clear_object (&self->notifier);
  g_clear_object (&self->monitor);
  g_clear_object (&self->registry);
  g_clear_object (&self->store);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (waybill_refresher_parent_class)->dispose (object);
}

static void
waybill_refresher_finalize (GObject *object)
{
  WaybillRefresher *self = WAYBILL_REFRESHER (object);

  g_hash_table_unref (self->apis);
  g_hash_table_unref (self->overrides);
  g_hash_table_unref (self->deferred);
  g_hash_table_unref (self->watched);
  g_rand_free (self->rand);
  g_clear_pointer (&self->last_refresh, g_date_time_unref);

  G_OBJECT_CLASS (waybill_refresher_parent_class)->finalize (object);
}

static guint
status_for_prop (guint prop_id)
{
  for (guint i = 0; i < G_N_ELEMENTS (interval_keys); i++)
    if (interval_keys[i].prop_id == prop_id)
      return interval_keys[i].status;

  g_assert_not_reached ();
}

static void
waybill_refresher_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  WaybillRefresher *self = WAYBILL_REFRESHER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_REGISTRY:
      g_value_set_object (value, self->registry);
      break;
    case PROP_NOTIFIER:
      g_value_set_object (value, self->notifier);
      break;
    case PROP_CLOCK:
      g_value_set_object (value, self->clock);
      break;
    case PROP_NETWORK_MONITOR:
      g_value_set_object (value, self->monitor);
      break;
    case PROP_REFRESH_OUT_FOR_DELIVERY_MINUTES:
    case PROP_REFRESH_IN_TRANSIT_MINUTES:
    case PROP_REFRESH_PICKED_UP_MINUTES:
    case PROP_REFRESH_INFO_RECEIVED_MINUTES:
    case PROP_REFRESH_PENDING_MINUTES:
      g_value_set_int (value, (int) self->intervals[status_for_prop (prop_id)]);
      break;
    case PROP_DELAY_THRESHOLD_DAYS:
      g_value_set_int (value, (int) self->delay_threshold_days);
      break;
    case PROP_RATE_LIMIT:
      g_value_set_boolean (value, self->rate_limit);
      break;
    case PROP_FLUSH_INTERVAL:
      g_value_set_uint (value, self->flush_interval);
      break;
    case PROP_REFRESHING:
      g_value_set_boolean (value, waybill_refresher_get_refreshing (self));
      break;
    case PROP_PROGRESS_CHECKED:
      g_value_set_uint (value, self->progress_checked);
      break;
    case PROP_PROGRESS_TOTAL:
      g_value_set_uint (value, self->progress_total);
      break;
    case PROP_LAST_REFRESH:
      g_value_set_boxed (value, self->last_refresh);
      break;
    case PROP_OFFLINE:
      g_value_set_boolean (value, self->offline);
      break;
    case PROP_STARTED:
      g_value_set_boolean (value, self->started);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
waybill_refresher_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  WaybillRefresher *self = WAYBILL_REFRESHER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_REGISTRY:
      self->registry = g_value_dup_object (value);
      break;
    case PROP_NOTIFIER:
      waybill_refresher_set_notifier (self, g_value_get_object (value));
      break;
    case PROP_CLOCK:
      waybill_refresher_set_clock (self, g_value_get_object (value));
      break;
    case PROP_NETWORK_MONITOR:
      waybill_refresher_set_network_monitor (self, g_value_get_object (value));
      break;
    case PROP_REFRESH_OUT_FOR_DELIVERY_MINUTES:
    case PROP_REFRESH_IN_TRANSIT_MINUTES:
    case PROP_REFRESH_PICKED_UP_MINUTES:
    case PROP_REFRESH_INFO_RECEIVED_MINUTES:
    case PROP_REFRESH_PENDING_MINUTES:
      waybill_refresher_set_interval (self, status_for_prop (prop_id), (guint) g_value_get_int (value));
      break;
    case PROP_DELAY_THRESHOLD_DAYS:
      waybill_refresher_set_delay_threshold_days (self, (guint) g_value_get_int (value));
      break;
    case PROP_RATE_LIMIT:
      waybill_refresher_set_rate_limit (self, g_value_get_boolean (value));
      break;
    case PROP_FLUSH_INTERVAL:
      waybill_refresher_set_flush_interval (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
waybill_refresher_class_init (WaybillRefresherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = waybill_refresher_constructed;
  object_class->dispose = waybill_refresher_dispose;
  object_class->finalize = waybill_refresher_finalize;
  object_class->get_property = waybill_refresher_get_property;
  object_class->set_property = waybill_refresher_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, WAYBILL_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REGISTRY] =
    g_param_spec_object ("registry", NULL, NULL, WAYBILL_TYPE_TRACKER_REGISTRY,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * WaybillRefresher:notifier:
   *
   * Announces the changes of every pass, when set.
   */
  properties[PROP_NOTIFIER] =
    g_param_spec_object ("notifier", NULL, NULL, WAYBILL_TYPE_NOTIFIER,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CLOCK] =
    g_param_spec_object ("clock", NULL, NULL, WAYBILL_TYPE_CLOCK,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * WaybillRefresher:network-monitor:
   *
   * Tells when there is no network; the default monitor unless set.
   */
  properties[PROP_NETWORK_MONITOR] =
    g_param_spec_object ("network-monitor", NULL, NULL, G_TYPE_NETWORK_MONITOR,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /* The names and ranges of the GSettings keys, for g_settings_bind(). */
  for (guint i = 0; i < G_N_ELEMENTS (interval_keys); i++)
    properties[interval_keys[i].prop_id] =
      g_param_spec_int (interval_keys[i].key, NULL, NULL,
                        MIN_INTERVAL_MINUTES, MAX_INTERVAL_MINUTES, (int) interval_keys[i].minutes,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DELAY_THRESHOLD_DAYS] =
    g_param_spec_int ("delay-threshold-days", NULL, NULL, 1, 60, 4,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * WaybillRefresher:rate-limit:
   *
   * Whether requests are paced to each API's rate limit.  Off only for
   * benchmarks against a local server.
   */
  properties[PROP_RATE_LIMIT] =
    g_param_spec_boolean ("rate-limit", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * WaybillRefresher:flush-interval:
   *
   * The longest time, in seconds, answers wait in memory before they are
   * written and announced together (one summary instead of a popup per
   * parcel).  0 writes each batch as soon as it is answered.
   */
  properties[PROP_FLUSH_INTERVAL] =
    g_param_spec_uint ("flush-interval", NULL, NULL, 0, 3600, DEFAULT_FLUSH_INTERVAL,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_REFRESHING] =
    g_param_spec_boolean ("refreshing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PROGRESS_CHECKED] =
    g_param_spec_uint ("progress-checked", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PROGRESS_TOTAL] =
    g_param_spec_uint ("progress-total", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * WaybillRefresher:last-refresh:
   *
   * When the last pass that ran to its end ended; %NULL before.
   */
  properties[PROP_LAST_REFRESH] =
    g_param_spec_boxed ("last-refresh", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_OFFLINE] =
    g_param_spec_boolean ("offline", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_STARTED] =
    g_param_spec_boolean ("started", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * WaybillRefresher::status-changed:
   * @change: the change, recorded and (with a notifier) announced
   *
   * A shipment changed status, or became delayed.
   */
  signals[STATUS_CHANGED] =
    g_signal_new ("status-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  WAYBILL_TYPE_STATUS_CHANGE | G_SIGNAL_TYPE_STATIC_SCOPE);
  /**
   * WaybillRefresher::error:
   * @shipment_id: the shipment
   * @tracking_number: its number
   * @kind: the error kind ("auth", "not_found", "rate_limited",
   *   "unavailable", "bad_response", "network", "not_configured")
   * @message: what went wrong, for people
   *
   * A number could not be checked.
   */
  signals[ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 4,
                  G_TYPE_INT64, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);
  /**
   * WaybillRefresher::progress:
   * @checked: shipments answered so far in this pass
   * @total: shipments this pass asks about
   */
  signals[PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
  /**
   * WaybillRefresher::pass-finished:
   * @report: what the pass did
   *
   * A pass ran to its end (not skipped, cancelled or failed).
   */
  signals[PASS_FINISHED] =
    g_signal_new ("pass-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  WAYBILL_TYPE_REFRESH_REPORT | G_SIGNAL_TYPE_STATIC_SCOPE);
  /**
   * WaybillRefresher::api-paused:
   * @api_id: the tracking API ("ups")
   * @reason: a #WaybillRefresherPause
   *
   * The API is not asked for now: it asked to wait, or rejected the
   * credentials (it is asked again once they change).
   */
  signals[API_PAUSED] =
    g_signal_new ("api-paused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                  G_TYPE_STRING, WAYBILL_TYPE_REFRESHER_PAUSE);
  signals[API_RESUMED] =
    g_signal_new ("api-resumed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
waybill_refresher_init (WaybillRefresher *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (interval_keys); i++)
    self->intervals[interval_keys[i].status] = interval_keys[i].minutes;
  self->delay_threshold_days = 4;
  self->rate_limit = TRUE;
  /* The demo (build-aux/waybill-dev.sh run) plays the carriers on
   * 127.0.0.1 (tests/demo-carrier-server.c): their rate limits are not
   * the real APIs', and parcels move within seconds. */
  if (g_getenv ("WAYBILL_SIMULATED_CARRIERS") != NULL)
    {
      const char *seconds = g_getenv ("WAYBILL_REFRESH_SECONDS");

      self->rate_limit = FALSE;
      if (seconds != NULL)
        self->demo_interval_seconds = (guint) MIN (g_ascii_strtoull (seconds, NULL, 10), 86400);
    }
  self->flush_interval = DEFAULT_FLUSH_INTERVAL;
  self->apis = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) api_state_free);
  self->overrides = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, override_free);
  self->deferred = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->watched = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  self->rand = g_rand_new ();
  g_queue_init (&self->requests);
}

/**
 * waybill_refresher_new:
 * @store: the database
 * @registry: the tracking APIs; load their credentials before the first
 *   pass (waybill_tracker_registry_load_credentials_async())
 * @notifier: (nullable): announces changes; %NULL to announce nothing
 *
 * Returns: (transfer full): a new refresher, not started
 */
WaybillRefresher *
waybill_refresher_new (WaybillStore           *store,
                       WaybillTrackerRegistry *registry,
                       WaybillNotifier        *notifier)
{
  g_return_val_if_fail (WAYBILL_IS_STORE (store), NULL);
  g_return_val_if_fail (WAYBILL_IS_TRACKER_REGISTRY (registry), NULL);
  g_return_val_if_fail (notifier == NULL || WAYBILL_IS_NOTIFIER (notifier), NULL);

  return g_object_new (WAYBILL_TYPE_REFRESHER,
                       "store", store,
                       "registry", registry,
                       "notifier", notifier,
                       NULL);
}

WaybillStore *
waybill_refresher_get_store (WaybillRefresher *self)
{
  g_return_val_if_fail (WAYBILL_IS_REFRESHER (self), NULL);

  return self->store;
}

WaybillTrackerRegistry *
waybill_refresher_get_registry (WaybillRefresher *self)
{
  g_return_val_if_fail (WAYBILL_IS_REFRESHER (self), NULL);

  return self->registry;
}

WaybillNotifier *
waybill_refresher_get_notifier (WaybillRefresher *self)
{
  g_return_val_if_fail (WAYBILL_IS_REFRESHER (self), NULL);

  return self->notifier;
}

void
waybill_refresher_set_notifier (WaybillRefresher *self,
                                WaybillNotifier  *notifier)
{
  g_return_if_fail (WAYBILL_IS_REFRESHER (self));
  g_return_if_fail (notifier == NULL || WAYBILL_IS_NOTIFIER (notifier));

  if (g_set_object (&self->notifier, notifier))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOTIFIER]);
}

WaybillClock *
waybill_refresher_get_clock (WaybillRefresher *self)
{
  g_return_val_if_fail (WAYBILL_IS_REFRESHER (self), NULL);

  return self->clock;
}

/**
 * waybill_refresher_set_clock:
 * @clock: (nullable): where time comes from; %NULL for the system clock
 *
 * Set it before the refresher is started or asked for a pass.
 */
void
waybill_refresher_set_clock (WaybillRefresher *self,
                             WaybillClock     *clock)
{
  g_autoptr(WaybillClock) system = NULL;

  g_return_if_fail (WAYBILL_IS_REFRESHER (self));
  g_return_if_fail (clock == NULL || WAYBILL_IS_CLOCK (clock));
  g_return_if_fail (self->pass == NULL && self->wake_timer == 0);

  if (clock == NULL)
    clock = system = waybill_clock_new ();

  if (self->clock == clock)
    return;

  /* Pauses wait on the old clock; they end with it. */
  if (self->clock != NULL)
    {
      GHashTableIter iter;
      ApiState *api;

      g_hash_table_iter_init (&iter, self->apis);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &api))
        {
          if (api->resume_timer != 0)
            waybill_clock_remove (self->clock, api->resume_timer);
          api->resume_timer = 0;
          api->next_request_usec = 0;
          if (api->pause == WAYBILL_REFRESHER_PAUSE_RATE_LIMITED)
            api_resume (api);
        }
    }

  g_set_object (&self->clock, clock);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOCK]);
}

GNetworkMonitor *
waybill_refresher_get_network_monitor (WaybillRefresher *self)
{
  g_return_val_if_fail (WAYBILL_IS_REFRESHER (self), NULL);

  return self->monitor;
}

/**
 * waybill_refresher_set_network_monitor:
 * @monitor: (nullable): the monitor; %NULL for the default one
 */
void
waybill_refresher_set_network_monitor (WaybillRefresher *self,
                                       GNetworkMonitor  *monitor)
{
  g_return_if_fail (WAYBILL_IS_REFRESHER (self));
  g_return_if_fail (monitor == NULL || G_IS_NETWORK_MONITOR (monitor));

  if (monitor == NULL)
    monitor = g_network_monitor_get_default ();

  if (self->monitor == monitor)
    return;

  if (self->monitor != NULL)
    g_clear_signal_handler (&self->monitor_handler, self->monitor);
  g_set_object (&self->monitor, monitor);
  self->monitor_handler = g_signal_connect (monitor, "network-changed",
                                            G_CALLBACK (network_changed_cb), self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NETWORK_MONITOR]);
  update_offline (self);
}

/**
 * waybill_refresher_get_interval:
 *
 * Returns: the minutes between two checks of a shipment in @status; 0 for
 *   the statuses that are never checked again
 */
guint
waybill_refresher_get_interval (WaybillRefresher *self,
                                WaybillStatus     status)
{
  g_return_val_if_fail (WAYBILL_IS_REFRESHER (self), 0);

  return interval_minutes (self, status);
}

/**
 * waybill_refresher_set_interval:
 * @status: out for delivery, in transit, picked up, info received or
 *   pending (the others follow one of these, or are never checked)
 * @minutes: 5 to 10080 (a week)
 */
void
waybill_refresher_set_interval (WaybillRefresher *self,
                                WaybillStatus     status,
                                guint             minutes)
{
  g_return_if_fail (WAYBILL_IS_REFRESHER (self));
  g_return_if_fail (minutes >= MIN_INTERVAL_MINUTES && minutes <= MAX_INTERVAL_MINUTES);

  for (guint i = 0; i < G_N_ELEMENTS (interval_keys); i++)
    if (interval_keys[i].status == status)
      {
        if (self->intervals[status] == minutes)
          return;
        self->intervals[status] = minutes;
        g_object_notify_by_pspec (G_OBJECT (self), properties[interval_keys[i].prop_id]);
        return;
      }

  g_return_if_reached ();
}

guint
waybill_refresher_get_delay_threshold_days (WaybillRefresher *self)
{
  g_return_val_if_fail (WAYBILL_IS_REFRESHER (self), 0);

  return self->delay_threshold_days;
}

/**
 * waybill_refresher_set_delay_threshold_days:
 * @days: how many days without a scan make a parcel delayed, 1 to 60
 *
 * Sets the store's threshold, used when answers are recorded.
 */
void
waybill_refresher_set_delay_threshold_days (WaybillRefresher *self,
                                            guint             days)
{
  g_return_if_fail (WAYBILL_IS_REFRESHER (self));
  g_return_if_fail (days >= 1 && days <= 60);

  if (self->store != NULL)
    waybill_store_set_delay_threshold (self->store, days * 24 * 60 * 60);

  if (self->delay_threshold_days == days)
    return;

  self->delay_threshold_days = days;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DELAY_THRESHOLD_DAYS]);
}

/**
 * waybill_refresher_bind_settings:
 * @settings: the app's settings (io.github.waybill.Waybill)
 *
 * Takes the refresh intervals and the delay threshold from @settings, and
 * follows them.
 */
void
waybill_refresher_bind_settings (WaybillRefresher *self,
                                 GSettings        *settings)
{
  g_return_if_fail (WAYBILL_IS_REFRESHER (self));
  g_return_if_fail (G_IS_SETTINGS (settings));

  for (guint i = 0; i < G_N_ELEMENTS (interval_keys); i++)
    g_settings_bind (settings, interval_keys[i].key, self, interval_keys[i].key,
                     G_SETTINGS_BIND_GET);
  g_settings_bind (settings, "delay-threshold-days", self, "delay-threshold-days",
                   G_SETTINGS_BIND_GET);
}

gboolean
waybill_refresher_get_rate_limit (WaybillRefresher *self)
{
  g_return_val_if_fail (WAYBILL_IS_REFRESHER (self), TRUE);

  return self->rate_limit;
}

void
waybill_refresher_set_rate_limit (WaybillRefresher *self,
                                  gboolean          rate_limit)
{
  g_return_if_fail (WAYBILL_IS_REFRESHER (self));

  rate_limit = !!rate_limit;
  if (self->rate_limit == rate_limit)
    return;

  self->rate_limit = rate_limit;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE_LIMIT]);
}

/**
 * waybill_refresher_get_requests_per_second:
 * @api_id: a tracking API id
 *
 * Returns: the limit the refresher keeps to for the API: the one set with
 *   waybill_refresher_set_requests_per_second(), else the API's documented
 *   one; 0 for an API it has not met
 */
double
waybill_refresher_get_requests_per_second (WaybillRefresher *self,
                                           const char       *api_id)
{
  ApiState *api;
  WaybillTracker *tracker;

  g_return_val_if_fail (WAYBILL_IS_REFRESHER (self), 0);
  g_return_val_if_fail (api_id != NULL, 0);

  api = g_hash_table_lookup (self->apis, api_id);
  if (api != NULL && api->requests_per_second > 0)
    return api->requests_per_second;
  if (api != NULL)
    return waybill_tracker_get_requests_per_second (api->tracker);

  tracker = waybill_tracker_registry_get (self->registry, api_id);

  return tracker != NULL ? waybill_tracker_get_requests_per_second (tracker) : 0;
}

/**
 * waybill_refresher_set_requests_per_second:
 * @api_id: a tracking API id known to the registry (or overridden)
 * @requests_per_second: the limit; 0 for the API's documented one
 *
 * Adjusts an API's rate limit, for an account with a higher (or lower)
 * quota than the documented one.
 */
void
waybill_refresher_set_requests_per_second (WaybillRefresher *self,
                                           const char       *api_id,
                                           double            requests_per_second)
{
  ApiState *api;

  g_return_if_fail (WAYBILL_IS_REFRESHER (self));
  g_return_if_fail (api_id != NULL);
  g_return_if_fail (requests_per_second >= 0);

  api = g_hash_table_lookup (self->apis, api_id);
  if (api == NULL)
    {
      WaybillTracker *tracker = waybill_tracker_registry_get (self->registry, api_id);

      g_return_if_fail (tracker != NULL);
      api = api_state (self, tracker);
    }

  api->requests_per_second = requests_per_second;
}

guint
waybill_refresher_get_flush_interval (WaybillRefresher *self)
{
  g_return_val_if_fail (WAYBILL_IS_REFRESHER (self), 0);

  return self->flush_interval;
}

void
waybill_refresher_set_flush_interval (WaybillRefresher *self,
                                      guint             seconds)
{
  g_return_if_fail (WAYBILL_IS_REFRESHER (self));
  g_return_if_fail (seconds <= 3600);

  if (self->flush_interval == seconds)
    return;

  self->flush_interval = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FLUSH_INTERVAL]);
}

/**
 * waybill_refresher_get_pause:
 * @api_id: a tracking API id
 * @out_until: (out) (optional) (transfer full) (nullable): with
 *   %WAYBILL_REFRESHER_PAUSE_RATE_LIMITED, when it ends
 *
 * Returns: why the API is not asked, or %WAYBILL_REFRESHER_PAUSE_NONE
 */
WaybillRefresherPause
waybill_refresher_get_pause (WaybillRefresher  *self,
                             const char        *api_id,
                             GDateTime        **out_until)
{
  ApiState *api;

  g_return_val_if_fail (WAYBILL_IS_REFRESHER (self), WAYBILL_REFRESHER_PAUSE_NONE);
  g_return_val_if_fail (api_id != NULL, WAYBILL_REFRESHER_PAUSE_NONE);

  if (out_until != NULL)
    *out_until = NULL;

  api = g_hash_table_lookup (self->apis, api_id);
  if (api == NULL || !api_is_paused (api, now_usec (self)))
    return WAYBILL_REFRESHER_PAUSE_NONE;

  if (out_until != NULL && api->pause == WAYBILL_REFRESHER_PAUSE_RATE_LIMITED)
    *out_until = date_time_from_usec (api->paused_until_usec);

  return api->pause;
}

/**
 * waybill_refresher_override_tracker:
 * @carrier_id: a carrier id
 * @tracker: (nullable): the tracker that answers for the carrier's
 *   shipments, or %NULL to make them link-only
 *
 * Replaces the registry's choice for one carrier: for tests, benchmarks
 * and the demo.
 */
void
waybill_refresher_override_tracker (WaybillRefresher *self,
                                    const char       *carrier_id,
                                    WaybillTracker   *tracker)
{
  g_return_if_fail (WAYBILL_IS_REFRESHER (self));
  g_return_if_fail (carrier_id != NULL);
  g_return_if_fail (tracker == NULL || WAYBILL_IS_TRACKER (tracker));

  if (tracker != NULL)
    api_state (self, tracker);

  g_hash_table_replace (self->overrides, g_strdup (carrier_id),
                        tracker != NULL ? g_object_ref (tracker) : (gpointer) &link_only_marker);
}

/**
 * waybill_refresher_get_refreshing:
 *
 * Returns: whether a pass is running
 */
gboolean
waybill_refresher_get_refreshing (WaybillRefresher *self)
{
  g_return_val_if_fail (WAYBILL_IS_REFRESHER (self), FALSE);

  return self->pass != NULL;
}

guint
waybill_refresher_get_progress_checked (WaybillRefresher *self)
{
  g_return_val_if_fail (WAYBILL_IS_REFRESHER (self), 0);

  return self->progress_checked;
}

guint
waybill_refresher_get_progress_total (WaybillRefresher *self)
{
  g_return_val_if_fail (WAYBILL_IS_REFRESHER (self), 0);

  return self->progress_total;
}

/**
 * waybill_refresher_get_last_refresh:
 *
 * Returns: (nullable) (transfer none): when the last pass ended
 */
GDateTime *
waybill_refresher_get_last_refresh (WaybillRefresher *self)
{
  g_return_val_if_fail (WAYBILL_IS_REFRESHER (self), NULL);

  return self->last_refresh;
}

gboolean
waybill_refresher_get_offline (WaybillRefresher *self)
{
  g_return_val_if_fail (WAYBILL_IS_REFRESHER (self), FALSE);

  return self->offline;
}

gboolean
waybill_refresher_get_started (WaybillRefresher *self)
{
  g_return_val_if_fail (WAYBILL_IS_REFRESHER (self), FALSE);

  return self->started;
}

/**
 * waybill_refresher_refresh_async:
 * @all_active: ask about every shipment still on its way, due or not
 *   (the "Refresh now" button, `waybill refresh --all`)
 * @cancellable: (nullable): stops the pass; what was answered before is
 *   still written, batch by batch
 *
 * Runs one pass: asks about the shipments that are due (or all active
 * ones), records the answers, and announces the changes.  A pass asked for
 * while another runs starts when that one ends.
 */
void
waybill_refresher_refresh_async (WaybillRefresher    *self,
                                 gboolean             all_active,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;
  Request *request;

  g_return_if_fail (WAYBILL_IS_REFRESHER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, waybill_refresher_refresh_async);
  request = g_new0 (Request, 1);
  request->all_active = all_active;
  g_task_set_task_data (task, request, g_free);

  g_queue_push_tail (&self->requests, task);
  run_next_request (self);
}

/**
 * waybill_refresher_refresh_finish:
 *
 * Returns: (transfer full): what the pass did, or %NULL with
 *   %WAYBILL_REFRESHER_ERROR_LOCKED (another refresher was at work; nothing
 *   was done), %G_IO_ERROR_CANCELLED, or a store error
 */
WaybillRefreshReport *
waybill_refresher_refresh_finish (WaybillRefresher  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  g_return_val_if_fail (WAYBILL_IS_REFRESHER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == waybill_refresher_refresh_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * waybill_refresher_start:
 *
 * Runs passes by itself from now on: at once, then whenever a shipment
 * falls due, when the network comes back, and when a paused API is
 * available again.  For the app; call waybill_refresher_stop() on quit.
 */
void
waybill_refresher_start (WaybillRefresher *self)
{
  g_return_if_fail (WAYBILL_IS_REFRESHER (self));

  if (self->started)
    return;

  self->started = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STARTED]);
  queue_auto_pass (self);
}

/**
 * waybill_refresher_stop:
 *
 * Stops running passes by itself and cancels the running pass and the
 * waiting ones.  Answers already received are written before it returns;
 * a batch still on its way is dropped whole (its shipments stay due).
 */
void
waybill_refresher_stop (WaybillRefresher *self)
{
  GTask *task;

  g_return_if_fail (WAYBILL_IS_REFRESHER (self));

  if (self->started)
    {
      self->started = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STARTED]);
    }

  if (self->wake_timer != 0)
    {
      waybill_clock_remove (self->clock, self->wake_timer);
      self->wake_timer = 0;
    }
  g_clear_handle_id (&self->wake_idle, g_source_remove);

  self->auto_task = NULL;
  while ((task = g_queue_pop_head (&self->requests)) != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The refresh was cancelled"));
      g_object_unref (task);
    }

  if (self->pass != NULL && !self->pass->finished)
    {
      Pass *pass = self->pass;

      /* What was answered is written now, in case the process ends before
       * the main loop runs again; the pass itself ends from the main loop,
       * once the requests on their way came back cancelled. */
      pass->cancelled = TRUE;
      pass_flush (pass);
      g_cancellable_cancel (pass->cancellable);
    }
}
