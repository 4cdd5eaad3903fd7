/* test-refresher.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>

#include "fake-carrier-server.h"
#include "waybill-refresher.h"
#include "test-util.h"

/* The refresher against the fake carrier server (DHL and UPS on
 * 127.0.0.1), with a manual clock: hours of schedule run in milliseconds.
 * The loop of run_until() moves the clock to the next timeout whenever
 * nothing else is going on and no HTTP request is on its way. */

#define DHL_PATH   "/track/shipments"
#define UPS_PATH   "/api/track/v1/details/"
#define TOKEN_PATH "/security/v1/oauth/token"

#define UPS_NUMBER "1Z999AA10123456784"
#define DHL_NUMBER "00340434161094042557"

/* Tuesday 12 March 2024, 00:00 UTC: the fixtures' parcels are on their way. */
#define T0 G_GINT64_CONSTANT (1710201600)

#define MINUTE (G_GINT64_CONSTANT (60) * G_USEC_PER_SEC)
#define HOUR   (60 * MINUTE)

/* ---- A network monitor the test switches -------------------------------- */

#define TEST_TYPE_NETWORK_MONITOR (test_network_monitor_get_type ())
G_DECLARE_FINAL_TYPE (TestNetworkMonitor, test_network_monitor, TEST, NETWORK_MONITOR, GObject)

struct _TestNetworkMonitor
{
  GObject  parent_instance;
  gboolean available;
};

enum {
  NM_PROP_0,
  NM_PROP_NETWORK_AVAILABLE,
  NM_PROP_NETWORK_METERED,
  NM_PROP_CONNECTIVITY,
};

static gboolean
test_network_monitor_can_reach (GNetworkMonitor     *monitor,
                                GSocketConnectable  *connectable,
                                GCancellable        *cancellable,
                                GError             **error)
{
  if (TEST_NETWORK_MONITOR (monitor)->available)
    return TRUE;

  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE, "No network (test)");
  return FALSE;
}

static void
test_network_monitor_iface_init (GNetworkMonitorInterface *iface)
{
  iface->can_reach = test_network_monitor_can_reach;
}

static gboolean
test_network_monitor_initable_init (GInitable     *initable,
                                    GCancellable  *cancellable,
                                    GError       **error)
{
  return TRUE;
}

static void
test_network_monitor_initable_iface_init (GInitableIface *iface)
{
  iface->init = test_network_monitor_initable_init;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (TestNetworkMonitor, test_network_monitor, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      test_network_monitor_initable_iface_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR,
                                                      test_network_monitor_iface_init))

static void
test_network_monitor_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  TestNetworkMonitor *self = TEST_NETWORK_MONITOR (object);

  switch (prop_id)
    {
    case NM_PROP_NETWORK_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    case NM_PROP_NETWORK_METERED:
      g_value_set_boolean (value, FALSE);
      break;
    case NM_PROP_CONNECTIVITY:
      g_value_set_enum (value, self->available ? G_NETWORK_CONNECTIVITY_FULL
                                               : G_NETWORK_CONNECTIVITY_LOCAL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_network_monitor_class_init (TestNetworkMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = test_network_monitor_get_property;
  g_object_class_override_property (object_class, NM_PROP_NETWORK_AVAILABLE, "network-available");
  g_object_class_override_property (object_class, NM_PROP_NETWORK_METERED, "network-metered");
  g_object_class_override_property (object_class, NM_PROP_CONNECTIVITY, "connectivity");
}

static void
test_network_monitor_init (TestNetworkMonitor *self)
{
  self->available = TRUE;
}

static void
test_network_monitor_set_available (TestNetworkMonitor *self,
                                    gboolean            available)
{
  if (self->available == available)
    return;

  self->available = available;
  g_object_notify (G_OBJECT (self), "network-available");
  g_signal_emit_by_name (self, "network-changed", available);
}

/* ---- A tracker with batches of three, answered from memory -------------- */

#define TEST_TYPE_TRACKER (test_tracker_get_type ())
G_DECLARE_FINAL_TYPE (TestTracker, test_tracker, TEST, TRACKER, WaybillTracker)

struct _TestTracker
{
  WaybillTracker  parent_instance;
  /* GStrv: the numbers of each request */
  GPtrArray      *calls;
  /* requests from this one on are kept waiting; G_MAXUINT for none */
  guint           hang_from;
  /* GTask, waiting */
  GPtrArray      *hanging;
  WaybillStatus   status;
};

G_DEFINE_FINAL_TYPE (TestTracker, test_tracker, WAYBILL_TYPE_TRACKER)

static GPtrArray *
test_replies (TestTracker        *self,
              const char * const *numbers)
{
  GPtrArray *replies = g_ptr_array_new_with_free_func ((GDestroyNotify) waybill_tracking_reply_free);
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (T0 - 3600);

  for (guint i = 0; numbers[i] != NULL; i++)
    {
      WaybillTrackingResult *result = waybill_tracking_result_new (self->status);
      g_autoptr(WaybillTrackingEvent) event = NULL;

      event = waybill_tracking_event_new (when, self->status, "T1", "Scanned", "Testville");
      waybill_tracking_result_add_event (result, event);
      g_ptr_array_add (replies, waybill_tracking_reply_new_result (numbers[i], result));
    }

  return replies;
}

static gboolean
test_tracker_cancel_idle_cb (gpointer user_data)
{
  GTask *task = user_data;

  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");

  return G_SOURCE_REMOVE;
}

static void
test_tracker_cancelled_cb (GCancellable *cancellable,
                           GTask        *task)
{
  TestTracker *self = g_task_get_source_object (task);
  guint index;

  /* The waiting list's reference goes to the idle callback. */
  if (g_ptr_array_find (self->hanging, task, &index))
    g_idle_add_full (G_PRIORITY_DEFAULT, test_tracker_cancel_idle_cb,
                     g_ptr_array_steal_index (self->hanging, index), g_object_unref);
}

static void
test_tracker_track_async (WaybillTracker      *tracker,
                          const char * const  *numbers,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  TestTracker *self = TEST_TRACKER (tracker);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_ptr_array_add (self->calls, g_strdupv ((char **) numbers));

  if (self->calls->len > self->hang_from)
    {
      g_ptr_array_add (self->hanging, g_object_ref (task));
      g_task_set_task_data (task, g_strdupv ((char **) numbers), (GDestroyNotify) g_strfreev);
      if (cancellable != NULL)
        g_signal_connect_object (cancellable, "cancelled",
                                 G_CALLBACK (test_tracker_cancelled_cb), task, 0);
      return;
    }

  g_task_return_pointer (task, test_replies (self, numbers), (GDestroyNotify) g_ptr_array_unref);
}

static GPtrArray *
test_tracker_track_finish (WaybillTracker  *tracker,
                           GAsyncResult    *result,
                           GError         **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Answers the requests kept waiting. */
static void
test_tracker_release (TestTracker *self)
{
  g_autoptr(GPtrArray) hanging = g_steal_pointer (&self->hanging);

  self->hanging = g_ptr_array_new_with_free_func (g_object_unref);
  self->hang_from = G_MAXUINT;
  for (guint i = 0; i < hanging->len; i++)
    {
      GTask *task = g_ptr_array_index (hanging, i);

      g_task_return_pointer (task, test_replies (self, g_task_get_task_data (task)),
                             (GDestroyNotify) g_ptr_array_unref);
    }
}

static void
test_tracker_finalize (GObject *object)
{
  TestTracker *self = TEST_TRACKER (object);

  g_ptr_array_unref (self->calls);
  g_ptr_array_unref (self->hanging);

  G_OBJECT_CLASS (test_tracker_parent_class)->finalize (object);
}

static void
test_tracker_class_init (TestTrackerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  WaybillTrackerClass *tracker_class = WAYBILL_TRACKER_CLASS (klass);

  object_class->finalize = test_tracker_finalize;

  tracker_class->id = "test";
  tracker_class->name = "Test";
  tracker_class->default_url = "http://127.0.0.1:9";
  tracker_class->batch_size = 3;
  tracker_class->requests_per_second = 5.0;
  tracker_class->auth = WAYBILL_TRACKER_AUTH_NONE;
  tracker_class->track_async = test_tracker_track_async;
  tracker_class->track_finish = test_tracker_track_finish;
}

static void
test_tracker_init (TestTracker *self)
{
  self->calls = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  self->hanging = g_ptr_array_new_with_free_func (g_object_unref);
  self->hang_from = G_MAXUINT;
  self->status = WAYBILL_STATUS_IN_TRANSIT;
}

/* ---- The fixture -------------------------------------------------------- */

typedef struct
{
  char        api;
  gint64      usec;
} Sent;

typedef struct
{
  char                   *dir;
  char                   *path;
  WaybillStore           *store;
  FakeCarrierServer      *server;
  WaybillTrackerRegistry *registry;
  WaybillClock           *clock;
  TestNetworkMonitor     *monitor;
  WaybillRefresher       *refresher;
  /* WaybillStatusChange, from status-changed */
  GPtrArray              *changes;
  /* "number kind", from error */
  GPtrArray              *errors;
  /* "api:paused:reason" and "api:resumed" */
  GPtrArray              *pauses;
  GArray                 *sent;
  guint                   in_flight;
  guint                   passes;
  guint                   progress_signals;
} Fixture;

static void
request_queued_cb (SoupSession *session,
                   SoupMessage *message,
                   Fixture     *f)
{
  const char *path = g_uri_get_path (soup_message_get_uri (message));
  Sent sent = { 0, waybill_clock_get_now_usec (f->clock) };

  f->in_flight++;
  if (g_str_has_prefix (path, DHL_PATH))
    sent.api = 'd';
  else if (g_str_has_prefix (path, UPS_PATH))
    sent.api = 'u';
  else
    return;
  g_array_append_val (f->sent, sent);
}

static void
request_unqueued_cb (SoupSession *session,
                     SoupMessage *message,
                     Fixture     *f)
{
  g_assert_cmpuint (f->in_flight, >, 0);
  f->in_flight--;
}

static void
status_changed_cb (WaybillRefresher    *refresher,
                   WaybillStatusChange *change,
                   Fixture             *f)
{
  g_ptr_array_add (f->changes, waybill_status_change_copy (change));
}

static void
error_cb (WaybillRefresher *refresher,
          gint64            shipment_id,
          const char       *tracking_number,
          const char       *kind,
          const char       *message,
          Fixture          *f)
{
  g_assert_cmpint (shipment_id, >, 0);
  g_assert_nonnull (message);
  fake_assert_no_secret (message);
  g_ptr_array_add (f->errors, g_strdup_printf ("%s %s", tracking_number, kind));
}

static void
api_paused_cb (WaybillRefresher      *refresher,
               const char            *api_id,
               WaybillRefresherPause  reason,
               Fixture               *f)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (WAYBILL_TYPE_REFRESHER_PAUSE);

  g_ptr_array_add (f->pauses, g_strdup_printf ("%s:paused:%s", api_id,
                                               g_enum_get_value (klass, reason)->value_nick));
}

static void
api_resumed_cb (WaybillRefresher *refresher,
                const char       *api_id,
                Fixture          *f)
{
  g_ptr_array_add (f->pauses, g_strdup_printf ("%s:resumed", api_id));
}

static void
pass_finished_cb (WaybillRefresher     *refresher,
                  WaybillRefreshReport *report,
                  Fixture              *f)
{
  g_assert_nonnull (report);
  f->passes++;
}

static void
progress_cb (WaybillRefresher *refresher,
             guint             checked,
             guint             total,
             Fixture          *f)
{
  g_assert_cmpuint (checked, <=, total);
  f->progress_signals++;
}

static WaybillRefresher *
new_refresher (Fixture      *f,
               WaybillStore *store)
{
  WaybillRefresher *refresher = waybill_refresher_new (store, f->registry, NULL);

  waybill_refresher_set_clock (refresher, f->clock);
  waybill_refresher_set_network_monitor (refresher, G_NETWORK_MONITOR (f->monitor));

  return refresher;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GDateTime) start = g_date_time_new_from_unix_utc (T0);
  SoupSession *session;

  f->server = fake_carrier_server_new ();
  fake_carrier_server_setup_env (f->server);

  f->dir = test_make_tmp_dir ("refresher");
  f->path = g_build_filename (f->dir, "waybill.db", NULL);
  f->store = test_open_store (f->path);

  f->registry = waybill_tracker_registry_new (NULL);
  session = waybill_tracker_registry_get_session (f->registry);
  g_signal_connect (session, "request-queued", G_CALLBACK (request_queued_cb), f);
  g_signal_connect (session, "request-unqueued", G_CALLBACK (request_unqueued_cb), f);

  f->clock = waybill_clock_new_manual (start);
  f->monitor = g_object_new (TEST_TYPE_NETWORK_MONITOR, NULL);

  f->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) waybill_status_change_free);
  f->errors = g_ptr_array_new_with_free_func (g_free);
  f->pauses = g_ptr_array_new_with_free_func (g_free);
  f->sent = g_array_new (FALSE, FALSE, sizeof (Sent));

  f->refresher = new_refresher (f, f->store);
  g_signal_connect (f->refresher, "status-changed", G_CALLBACK (status_changed_cb), f);
  g_signal_connect (f->refresher, "error", G_CALLBACK (error_cb), f);
  g_signal_connect (f->refresher, "api-paused", G_CALLBACK (api_paused_cb), f);
  g_signal_connect (f->refresher, "api-resumed", G_CALLBACK (api_resumed_cb), f);
  g_signal_connect (f->refresher, "pass-finished", G_CALLBACK (pass_finished_cb), f);
  g_signal_connect (f->refresher, "progress", G_CALLBACK (progress_cb), f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_false (waybill_refresher_get_refreshing (f->refresher));
  g_assert_finalize_object (f->refresher);
  g_assert_finalize_object (f->registry);
  g_assert_finalize_object (f->store);
  g_assert_finalize_object (f->clock);
  g_assert_finalize_object (f->monitor);
  g_assert_cmpuint (fake_carrier_server_get_n_unexpected (f->server), ==, 0);
  fake_carrier_server_free (f->server);

  g_ptr_array_unref (f->changes);
  g_ptr_array_unref (f->errors);
  g_ptr_array_unref (f->pauses);
  g_array_unref (f->sent);
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;

  return G_SOURCE_REMOVE;
}

/* Iterates until *done (or a condition function) holds, moving the clock
 * to the next timeout when nothing else can happen. */
typedef gboolean (*Condition) (Fixture *f, gconstpointer data);

static void
run_until_condition (Fixture       *f,
                     Condition      condition,
                     gconstpointer  data)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (20, timeout_cb, &timed_out);

  while (!condition (f, data) && !timed_out)
    {
      gint64 deadline;

      if (g_main_context_iteration (NULL, FALSE))
        continue;

      if (f->in_flight == 0 && waybill_clock_get_next_deadline (f->clock, &deadline))
        {
          waybill_clock_advance (f->clock, MAX (0, deadline - waybill_clock_get_now_usec (f->clock)));
          continue;
        }

      g_main_context_iteration (NULL, TRUE);
    }

  g_assert_false (timed_out);
  g_source_remove (id);
}

static gboolean
flag_is_set (Fixture       *f,
             gconstpointer  data)
{
  return *(const gboolean *) data;
}

static void
run_until (Fixture        *f,
           const gboolean *done)
{
  run_until_condition (f, flag_is_set, done);
}

/* Lets idle work happen without moving the clock. */
static void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

typedef struct
{
  gboolean              done;
  WaybillRefreshReport *report;
  GError               *error;
} PassWait;

static void
pass_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  PassWait *wait = user_data;

  wait->report = waybill_refresher_refresh_finish (WAYBILL_REFRESHER (source), result, &wait->error);
  wait->done = TRUE;
}

static WaybillRefreshReport *
run_pass_on (Fixture          *f,
             WaybillRefresher *refresher,
             gboolean          all_active,
             GError          **error)
{
  PassWait wait = { 0 };

  waybill_refresher_refresh_async (refresher, all_active, NULL, pass_done_cb, &wait);
  run_until (f, &wait.done);
  g_assert_false (waybill_refresher_get_refreshing (refresher));

  if (wait.error != NULL)
    {
      g_assert_null (wait.report);
      g_propagate_error (error, wait.error);
    }

  return wait.report;
}

static WaybillRefreshReport *
run_pass (Fixture  *f,
          gboolean  all_active)
{
  g_autoptr(GError) error = NULL;
  WaybillRefreshReport *report = run_pass_on (f, f->refresher, all_active, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);

  return report;
}

static void
advance (Fixture *f,
         gint64   usec)
{
  waybill_clock_advance (f->clock, usec);
}

static gint64
add_shipment_to (WaybillStore *store,
                 const char   *order_number,
                 const char   *carrier,
                 const char   *tracking_number)
{
  g_autoptr(WaybillOrder) order = waybill_order_new (order_number, "Ada Lovelace");
  g_autoptr(WaybillShipment) shipment = waybill_shipment_new (carrier, tracking_number);
  g_autoptr(GError) error = NULL;

  waybill_order_add_shipment (order, shipment);
  waybill_store_create_order (store, order, &error);
  g_assert_no_error (error);
  g_assert_cmpint (waybill_shipment_get_id (shipment), >, 0);

  return waybill_shipment_get_id (shipment);
}

static gint64
add_shipment (Fixture    *f,
              const char *order_number,
              const char *carrier,
              const char *tracking_number)
{
  return add_shipment_to (f->store, order_number, carrier, tracking_number);
}

static WaybillShipment *
get_shipment (Fixture *f,
              gint64   id)
{
  g_autoptr(GError) error = NULL;
  WaybillShipment *shipment = waybill_store_get_shipment (f->store, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (shipment);

  return shipment;
}

static gint64
unix_of (GDateTime *time)
{
  g_assert_nonnull (time);

  return g_date_time_to_unix (time);
}

static gint64
now_unix (Fixture *f)
{
  return waybill_clock_get_now_usec (f->clock) / G_USEC_PER_SEC;
}

/* Seconds from the shipment's last check to its next one. */
static gint64
scheduled_after_check (Fixture *f,
                       gint64   id)
{
  g_autoptr(WaybillShipment) shipment = get_shipment (f, id);

  return unix_of (waybill_shipment_get_next_check (shipment)) -
         unix_of (waybill_shipment_get_last_checked (shipment));
}

static WaybillStatus
status_of (Fixture *f,
           gint64   id)
{
  g_autoptr(WaybillShipment) shipment = get_shipment (f, id);

  return waybill_shipment_get_status (shipment);
}

static guint
count_sent (Fixture *f,
            char     api)
{
  guint n = 0;

  for (guint i = 0; i < f->sent->len; i++)
    if (g_array_index (f->sent, Sent, i).api == api)
      n++;

  return n;
}

static gint64
query_count (const char *path,
             const char *sql,
             gint64      shipment_id)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 count;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, shipment_id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return count;
}

static gint64
count_events (Fixture *f,
              gint64   id)
{
  return query_count (f->path, "SELECT count(*) FROM tracking_events WHERE shipment_id = ?", id);
}

static gint64
count_announced (Fixture    *f,
                 gint64      id,
                 const char *status)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM notifications "
                                          "WHERE shipment_id = ? AND status = '%s'", status);

  return query_count (f->path, sql, id);
}

static void
queue_ups (Fixture    *f,
           const char *number,
           const char *fixture)
{
  g_autofree char *path = g_strconcat (UPS_PATH, number, NULL);

  fake_response_fixture (fake_carrier_server_queue (f->server, path, 200), fixture);
}

static void
queue_dhl (Fixture    *f,
           const char *fixture)
{
  fake_response_fixture (fake_carrier_server_queue (f->server, DHL_PATH, 200), fixture);
}

static gboolean
answer_dhl_in_transit (FakeCarrierServer *server,
                       SoupServerMessage *message,
                       const char        *path,
                       gpointer           user_data)
{
  static char *body;
  static gsize length;

  if (body == NULL)
    body = fake_load_fixture ("dhl/paket-3-in-transit.json", &length);

  soup_server_message_set_status (message, 200, NULL);
  soup_server_message_set_response (message, "application/json", SOUP_MEMORY_STATIC, body, length);

  return TRUE;
}

/* ---- Tests -------------------------------------------------------------- */

static void
test_progression (Fixture       *f,
                  gconstpointer  data)
{
  static const struct
  {
    const char    *fixture;
    WaybillStatus  status;
    guint          minutes;
  } steps[] = {
    { "ups/1-label-created.json", WAYBILL_STATUS_INFO_RECEIVED, 360 },
    { "ups/2-picked-up.json", WAYBILL_STATUS_PICKED_UP, 180 },
    { "ups/3-in-transit.json", WAYBILL_STATUS_IN_TRANSIT, 180 },
    { "ups/4-out-for-delivery.json", WAYBILL_STATUS_OUT_FOR_DELIVERY, 30 },
    { "ups/5-delivered.json", WAYBILL_STATUS_DELIVERED, 0 },
  };
  gint64 id = add_shipment (f, "1042", "ups", UPS_NUMBER);
  WaybillStatus previous = WAYBILL_STATUS_PENDING;

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    queue_ups (f, UPS_NUMBER, steps[i].fixture);

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autoptr(WaybillRefreshReport) report = run_pass (f, FALSE);
      g_autoptr(WaybillShipment) shipment = get_shipment (f, id);
      WaybillStatusChange *change;

      g_assert_cmpuint (report->checked, ==, 1);
      g_assert_cmpuint (report->errors->len, ==, 0);
      g_assert_cmpuint (report->changes->len, ==, 1);
      g_assert_cmpuint (f->changes->len, ==, i + 1);
      change = g_ptr_array_index (f->changes, i);
      g_assert_cmpint (change->shipment_id, ==, id);
      g_assert_cmpstr (change->order_number, ==, "1042");
      g_assert_cmpstr (change->tracking_number, ==, UPS_NUMBER);
      g_assert_cmpint (change->from, ==, previous);
      g_assert_cmpint (change->to, ==, steps[i].status);
      /* Only the first answer about a new shipment is news to nobody. */
      g_assert_cmpint (change->first_fetch, ==, i == 0);
      g_assert_false (change->delayed);
      g_assert_cmpuint (fake_carrier_server_count (f->server, UPS_PATH), ==, i + 1);

      g_assert_cmpint (waybill_shipment_get_status (shipment), ==, steps[i].status);
      g_assert_cmpint (unix_of (waybill_shipment_get_last_checked (shipment)), ==, now_unix (f));
      if (steps[i].minutes == 0)
        {
          /* Final: never asked again. */
          g_assert_null (waybill_shipment_get_next_check (shipment));
          break;
        }
      g_assert_cmpint (scheduled_after_check (f, id), ==, steps[i].minutes * 60);
      previous = steps[i].status;

      /* A minute early nothing is due: nothing is asked. */
      advance (f, (gint64) steps[i].minutes * MINUTE - MINUTE);
      {
        g_autoptr(WaybillRefreshReport) early = run_pass (f, FALSE);

        g_assert_cmpuint (early->checked, ==, 0);
        g_assert_cmpuint (fake_carrier_server_count (f->server, UPS_PATH), ==, i + 1);
      }
      advance (f, MINUTE);
    }

  g_assert_cmpuint (count_events (f, id), ==, 6);

  /* Delivered: a day later, and even with --all, nothing is asked. */
  advance (f, 24 * HOUR);
  {
    g_autoptr(WaybillRefreshReport) due = run_pass (f, FALSE);
    g_autoptr(WaybillRefreshReport) all = run_pass (f, TRUE);

    g_assert_cmpuint (due->checked, ==, 0);
    g_assert_cmpuint (all->checked, ==, 0);
  }
  g_assert_cmpuint (fake_carrier_server_count (f->server, UPS_PATH), ==, G_N_ELEMENTS (steps));
  g_assert_cmpuint (fake_carrier_server_count (f->server, TOKEN_PATH), ==, 1);
  g_assert_cmpuint (f->errors->len, ==, 0);
  g_assert_nonnull (waybill_refresher_get_last_refresh (f->refresher));
  g_assert_cmpint (unix_of (waybill_refresher_get_last_refresh (f->refresher)), ==, now_unix (f));
  g_assert_cmpuint (f->progress_signals, >, 0);
}

static gboolean
has_status (Fixture       *f,
            gconstpointer  data)
{
  const WaybillStatus *wanted = data;

  for (guint i = 0; i < f->changes->len; i++)
    if (((WaybillStatusChange *) g_ptr_array_index (f->changes, i))->to == *wanted)
      return TRUE;

  return FALSE;
}

static void
test_start (Fixture       *f,
            gconstpointer  data)
{
  static const char * const fixtures[] = {
    "ups/1-label-created.json", "ups/2-picked-up.json", "ups/3-in-transit.json",
    "ups/4-out-for-delivery.json", "ups/5-delivered.json",
  };
  const WaybillStatus delivered = WAYBILL_STATUS_DELIVERED;
  gint64 id = add_shipment (f, "1042", "ups", UPS_NUMBER);
  gint64 link_only = add_shipment (f, "1043", "bike-courier", "BIKE-0001");
  gint64 started_at = now_unix (f);

  for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++)
    queue_ups (f, UPS_NUMBER, fixtures[i]);

  waybill_refresher_start (f->refresher);
  g_assert_true (waybill_refresher_get_started (f->refresher));
  run_until_condition (f, has_status, &delivered);

  /* Asked at once, then at each status's pace: 6 h + 3 h + 3 h + 30 min. */
  g_assert_cmpint (status_of (f, id), ==, WAYBILL_STATUS_DELIVERED);
  g_assert_cmpint (now_unix (f) - started_at, ==, (6 * 60 + 3 * 60 + 3 * 60 + 30) * 60);
  g_assert_cmpuint (f->changes->len, ==, G_N_ELEMENTS (fixtures));
  g_assert_cmpuint (f->passes, >=, G_N_ELEMENTS (fixtures));
  g_assert_cmpuint (fake_carrier_server_count (f->server, UPS_PATH), ==, G_N_ELEMENTS (fixtures));

  /* Only the link-only shipment is left: due again in a day, not asked. */
  {
    g_autoptr(WaybillShipment) other = get_shipment (f, link_only);

    g_assert_cmpint (waybill_shipment_get_status (other), ==, WAYBILL_STATUS_PENDING);
    g_assert_cmpint (unix_of (waybill_shipment_get_next_check (other)), >, now_unix (f));
  }

  /* Two days later: passes for the link-only one, no request. */
  for (guint i = 0; i < 2 * 24 * 12; i++)
    {
      drain ();
      advance (f, 5 * MINUTE);
    }
  drain ();
  g_assert_cmpuint (fake_carrier_server_get_n_requests (f->server), ==,
                    G_N_ELEMENTS (fixtures) + 1);

  waybill_refresher_stop (f->refresher);
  g_assert_false (waybill_refresher_get_started (f->refresher));
  g_assert_cmpuint (waybill_clock_get_n_timeouts (f->clock), ==, 0);
  drain ();
}

static void
test_link_only (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) trackers = waybill_tracker_registry_list (f->registry);
  WaybillTracker *ups = waybill_tracker_registry_get (f->registry, "ups");
  g_autoptr(WaybillCredentials) credentials = waybill_credentials_copy (waybill_tracker_get_credentials (ups));
  g_autoptr(WaybillRefreshReport) report = NULL;
  g_autoptr(WaybillRefreshReport) later = NULL;
  gint64 id = add_shipment (f, "7", "bike-courier", "BIKE-0001");
  gint64 waiting = add_shipment (f, "8", "ups", UPS_NUMBER);
  g_autoptr(WaybillShipment) shipment = NULL;

  /* No API set up (yet: the keyring is read after the start), neither
   * UPS nor an aggregator. */
  for (guint i = 0; i < trackers->len; i++)
    waybill_tracker_set_credentials (g_ptr_array_index (trackers, i), NULL);

  report = run_pass (f, TRUE);
  g_assert_cmpuint (report->checked, ==, 0);
  g_assert_cmpuint (report->link_only, ==, 2);
  g_assert_cmpuint (fake_carrier_server_get_n_requests (f->server), ==, 0);

  shipment = get_shipment (f, id);
  g_assert_null (waybill_shipment_get_last_checked (shipment));
  g_assert_cmpint (unix_of (waybill_shipment_get_next_check (shipment)), ==,
                   now_unix (f) + WAYBILL_REFRESHER_LINK_ONLY_INTERVAL / G_USEC_PER_SEC);

  /* The credentials arrive: the UPS one is asked at once, not in a day. */
  waybill_tracker_set_credentials (ups, credentials);
  queue_ups (f, UPS_NUMBER, "ups/3-in-transit.json");
  later = run_pass (f, FALSE);
  g_assert_cmpuint (later->checked, ==, 1);
  g_assert_cmpuint (later->link_only, ==, 0);
  g_assert_cmpint (status_of (f, waiting), ==, WAYBILL_STATUS_IN_TRANSIT);
  g_assert_cmpint (status_of (f, id), ==, WAYBILL_STATUS_PENDING);
}

static void
test_batches (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(TestTracker) tracker = g_object_new (TEST_TYPE_TRACKER, NULL);
  g_autoptr(WaybillRefreshReport) report = NULL;
  g_autoptr(GHashTable) asked = g_hash_table_new (g_str_hash, g_str_equal);
  gint64 ids[10];

  waybill_refresher_override_tracker (f->refresher, "test-carrier", WAYBILL_TRACKER (tracker));
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *order = g_strdup_printf ("B-%u", i);
      g_autofree char *number = g_strdup_printf ("TEST%06u", i);

      ids[i] = add_shipment (f, order, "test-carrier", number);
    }

  report = run_pass (f, FALSE);
  g_assert_cmpuint (report->checked, ==, 10);

  /* Three per request, each number once, at most five requests a second. */
  g_assert_cmpuint (tracker->calls->len, ==, 4);
  for (guint i = 0; i < tracker->calls->len; i++)
    {
      GStrv numbers = g_ptr_array_index (tracker->calls, i);

      g_assert_cmpuint (g_strv_length (numbers), ==, i < 3 ? 3 : 1);
      for (guint j = 0; numbers[j] != NULL; j++)
        {
          g_assert_false (g_hash_table_contains (asked, numbers[j]));
          g_hash_table_add (asked, numbers[j]);
        }
    }
  g_assert_cmpuint (g_hash_table_size (asked), ==, 10);

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_assert_cmpint (status_of (f, ids[i]), ==, WAYBILL_STATUS_IN_TRANSIT);
      g_assert_cmpint (scheduled_after_check (f, ids[i]), ==, 3 * 60 * 60);
    }
  g_assert_cmpfloat (waybill_refresher_get_requests_per_second (f->refresher, "test"), ==, 5.0);
}

static void
test_rate_limit (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(WaybillRefreshReport) report = NULL;
  g_autoptr(GHashTable) per_second = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *ups_body = NULL;
  gsize ups_length;
  gint64 start = waybill_clock_get_now_usec (f->clock);
  gint64 first_dhl = G_MAXINT64;
  gint64 last_dhl = 0;
  const guint n_dhl = 400;
  const guint n_ups = 100;

  fake_carrier_server_set_handler (f->server, DHL_PATH, answer_dhl_in_transit, NULL);
  ups_body = fake_load_fixture ("ups/3-in-transit.json", &ups_length);

  waybill_store_begin (f->store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < n_dhl + n_ups; i++)
    {
      g_autofree char *order = g_strdup_printf ("R-%u", i);
      g_autofree char *number = NULL;

      if (i < n_dhl)
        number = g_strdup_printf ("JJD%017u", i);
      else
        {
          g_autofree char *path = NULL;

          number = g_strdup_printf ("1Z999AA1%010u", i);
          path = g_strconcat (UPS_PATH, number, NULL);
          fake_response_body (fake_carrier_server_queue (f->server, path, 200),
                              "application/json", ups_body, ups_length);
        }
      add_shipment (f, order, i < n_dhl ? "dhl-parcel-de" : "ups", number);
    }
  waybill_store_commit (f->store, &error);
  g_assert_no_error (error);

  report = run_pass (f, FALSE);
  g_assert_cmpuint (report->checked, ==, n_dhl + n_ups);
  g_assert_cmpuint (report->errors->len, ==, 0);
  g_assert_cmpuint (f->changes->len, ==, n_dhl + n_ups);
  g_assert_cmpuint (count_sent (f, 'd'), ==, n_dhl);
  g_assert_cmpuint (count_sent (f, 'u'), ==, n_ups);

  /* Requests per second of the clock, per API: DHL allows 1, UPS 2. */
  for (guint i = 0; i < f->sent->len; i++)
    {
      Sent *sent = &g_array_index (f->sent, Sent, i);
      gint64 key = (sent->usec / G_USEC_PER_SEC) * 2 + (sent->api == 'u');
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (per_second, &key)) + 1;

      g_hash_table_replace (per_second, g_memdup2 (&key, sizeof key), GUINT_TO_POINTER (n));
      g_assert_cmpuint (n, <=, sent->api == 'u' ? 2 : 1);

      if (sent->api == 'd')
        {
          first_dhl = MIN (first_dhl, sent->usec);
          last_dhl = MAX (last_dhl, sent->usec);
        }
    }

  /* Paced, not slower than needed: 400 DHL requests take 399 s. */
  g_assert_cmpint (first_dhl, ==, start);
  g_assert_cmpint ((last_dhl - first_dhl) / G_USEC_PER_SEC, ==, n_dhl - 1);

}

/* Answers pile up for at most a few hundred shipments, even within the
 * flush interval: a fast API's answers are written (and announced) while
 * the pass goes on, not all at its end. */
static void
count_early_changes_cb (WaybillRefresher    *refresher,
                        WaybillStatusChange *change,
                        guint               *early)
{
  if (waybill_refresher_get_progress_checked (refresher) < waybill_refresher_get_progress_total (refresher))
    (*early)++;
}

static void
test_flush_by_count (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(WaybillRefreshReport) report = NULL;
  const guint n = 700;
  guint early = 0;
  gulong handler;

  fake_carrier_server_set_handler (f->server, DHL_PATH, answer_dhl_in_transit, NULL);
  waybill_store_begin (f->store, NULL);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *order = g_strdup_printf ("F-%u", i);
      g_autofree char *number = g_strdup_printf ("JJD%017u", i);

      add_shipment (f, order, "dhl-parcel-de", number);
    }
  waybill_store_commit (f->store, NULL);

  /* The clock stands still: the flush interval never runs out. */
  waybill_refresher_set_rate_limit (f->refresher, FALSE);
  g_assert_cmpuint (waybill_refresher_get_flush_interval (f->refresher), >, 0);
  handler = g_signal_connect (f->refresher, "status-changed", G_CALLBACK (count_early_changes_cb), &early);
  report = run_pass (f, FALSE);
  g_signal_handler_disconnect (f->refresher, handler);

  g_assert_cmpuint (report->checked, ==, n);
  g_assert_cmpuint (f->changes->len, ==, n);
  /* Written in slices of at most a few hundred: two before the end. */
  g_assert_cmpuint (early, >=, 2 * 300);
  g_assert_cmpuint (early, <, n);
  g_assert_cmpint (query_count (f->path, "SELECT count(*) FROM shipments WHERE status = 'in_transit' AND id > ?", 0), ==, n);
}

static void
test_unlimited (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(WaybillRefreshReport) report = NULL;
  gint64 before = waybill_clock_get_now_usec (f->clock);

  fake_carrier_server_set_handler (f->server, DHL_PATH, answer_dhl_in_transit, NULL);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *order = g_strdup_printf ("U-%u", i);
      g_autofree char *number = g_strdup_printf ("JJD%017u", i);

      add_shipment (f, order, "dhl-parcel-de", number);
    }

  /* Without the limit (benchmarks), nothing waits for the clock. */
  g_assert_true (waybill_refresher_get_rate_limit (f->refresher));
  waybill_refresher_set_rate_limit (f->refresher, FALSE);
  report = run_pass (f, FALSE);
  g_assert_cmpuint (report->checked, ==, 5);
  g_assert_cmpuint (count_sent (f, 'd'), ==, 5);
  g_assert_cmpint (waybill_clock_get_now_usec (f->clock), ==, before);

  /* An adjusted limit: 5 a second, so 5 more take 0.8 s. */
  waybill_refresher_set_rate_limit (f->refresher, TRUE);
  waybill_refresher_set_requests_per_second (f->refresher, "dhl", 5.0);
  g_assert_cmpfloat (waybill_refresher_get_requests_per_second (f->refresher, "dhl"), ==, 5.0);
  advance (f, 24 * HOUR);
  before = waybill_clock_get_now_usec (f->clock);
  g_clear_pointer (&report, waybill_refresh_report_free);
  report = run_pass (f, TRUE);
  g_assert_cmpuint (report->checked, ==, 5);
  g_assert_cmpint (waybill_clock_get_now_usec (f->clock) - before, ==, 4 * G_USEC_PER_SEC / 5);
  waybill_refresher_set_requests_per_second (f->refresher, "dhl", 0);
  g_assert_cmpfloat (waybill_refresher_get_requests_per_second (f->refresher, "dhl"), ==, 1.0);
}

static void
test_retry_after (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(WaybillRefreshReport) first = NULL;
  g_autoptr(WaybillRefreshReport) early = NULL;
  g_autoptr(WaybillRefreshReport) later = NULL;
  g_autoptr(GDateTime) until = NULL;
  gint64 t = now_unix (f);
  gint64 ids[3];
  gint64 ups;

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *order = g_strdup_printf ("RA-%u", i);
      g_autofree char *number = g_strdup_printf ("JJD%017u", i);

      ids[i] = add_shipment (f, order, "dhl-parcel-de", number);
    }
  ups = add_shipment (f, "RA-UPS", "ups", UPS_NUMBER);
  queue_ups (f, UPS_NUMBER, "ups/3-in-transit.json");

  fake_response_header (fake_response_json (fake_carrier_server_queue (f->server, DHL_PATH, 429),
                                            "{\"status\":429,\"title\":\"Too Many Requests\"}"),
                        "Retry-After", "120");

  first = run_pass (f, FALSE);
  /* The first DHL request was told to wait: the other two are not asked,
   * UPS is. */
  g_assert_cmpuint (count_sent (f, 'd'), ==, 1);
  g_assert_cmpuint (count_sent (f, 'u'), ==, 1);
  g_assert_cmpuint (first->checked, ==, 2);
  g_assert_cmpuint (first->deferred, ==, 2);
  g_assert_cmpuint (first->errors->len, ==, 1);
  g_assert_cmpstr (((WaybillRefreshError *) g_ptr_array_index (first->errors, 0))->kind, ==,
                   "rate_limited");
  g_assert_cmpuint (f->pauses->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->pauses, 0), ==, "dhl:paused:rate-limited");
  g_assert_cmpint (waybill_refresher_get_pause (f->refresher, "dhl", &until), ==,
                   WAYBILL_REFRESHER_PAUSE_RATE_LIMITED);
  g_assert_cmpint (unix_of (until), ==, t + 120);
  g_assert_cmpint (status_of (f, ups), ==, WAYBILL_STATUS_IN_TRANSIT);

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(WaybillShipment) shipment = get_shipment (f, ids[i]);

      /* Not the shipments' failure. */
      g_assert_cmpuint (waybill_shipment_get_failure_count (shipment), ==, 0);
      g_assert_cmpint (unix_of (waybill_shipment_get_next_check (shipment)), ==, t + 120);
    }

  /* Before the time is up, DHL is not asked, even with --all. */
  advance (f, 119 * G_USEC_PER_SEC);
  queue_ups (f, UPS_NUMBER, "ups/3-in-transit.json");
  early = run_pass (f, TRUE);
  g_assert_cmpuint (count_sent (f, 'd'), ==, 1);
  g_assert_cmpuint (count_sent (f, 'u'), ==, 2);
  g_assert_cmpuint (early->deferred, ==, 3);

  advance (f, G_USEC_PER_SEC);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    queue_dhl (f, "dhl/paket-3-in-transit.json");
  later = run_pass (f, FALSE);
  g_assert_cmpuint (later->checked, ==, 3);
  g_assert_cmpuint (count_sent (f, 'd'), ==, 4);
  g_assert_cmpstr (g_ptr_array_index (f->pauses, f->pauses->len - 1), ==, "dhl:resumed");
  g_assert_cmpint (waybill_refresher_get_pause (f->refresher, "dhl", NULL), ==,
                   WAYBILL_REFRESHER_PAUSE_NONE);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_assert_cmpint (status_of (f, ids[i]), ==, WAYBILL_STATUS_IN_TRANSIT);
}

static void
test_backoff (Fixture       *f,
              gconstpointer  data)
{
  gint64 id = add_shipment (f, "BO-1", "dhl-parcel-de", DHL_NUMBER);
  gint64 previous_delay = 0;

  for (guint n = 1; n <= 4; n++)
    {
      g_autoptr(WaybillRefreshReport) report = NULL;
      g_autoptr(WaybillShipment) shipment = NULL;
      gint64 full = (WAYBILL_REFRESHER_BACKOFF_BASE / G_USEC_PER_SEC) << (n - 1);
      gint64 delay;

      fake_response_json (fake_carrier_server_queue (f->server, DHL_PATH, 503),
                          "{\"status\":503,\"title\":\"Service Unavailable\"}");
      report = run_pass (f, FALSE);
      g_assert_cmpuint (report->checked, ==, 1);
      g_assert_cmpuint (report->errors->len, ==, 1);
      g_assert_cmpstr (((WaybillRefreshError *) g_ptr_array_index (report->errors, 0))->kind, ==,
                       "unavailable");
      g_assert_cmpuint (f->errors->len, ==, n);
      g_assert_cmpstr (g_ptr_array_index (f->errors, n - 1), ==, DHL_NUMBER " unavailable");

      shipment = get_shipment (f, id);
      g_assert_cmpuint (waybill_shipment_get_failure_count (shipment), ==, n);
      g_assert_nonnull (waybill_shipment_get_last_error (shipment));

      /* 5 min × 2^(n−1), less up to half of it (jitter). */
      delay = scheduled_after_check (f, id);
      g_assert_cmpint (delay, <=, full);
      g_assert_cmpint (delay, >=, full / 2);
      g_assert_cmpint (delay, >, previous_delay / 2);
      previous_delay = delay;

      /* Not due before its time. */
      advance (f, (delay - 1) * G_USEC_PER_SEC);
      {
        g_autoptr(WaybillRefreshReport) early = run_pass (f, FALSE);

        g_assert_cmpuint (early->checked, ==, 0);
      }
      advance (f, G_USEC_PER_SEC);
    }

  queue_dhl (f, "dhl/paket-3-in-transit.json");
  {
    g_autoptr(WaybillRefreshReport) report = run_pass (f, FALSE);
    g_autoptr(WaybillShipment) shipment = get_shipment (f, id);

    g_assert_cmpuint (report->errors->len, ==, 0);
    g_assert_cmpuint (waybill_shipment_get_failure_count (shipment), ==, 0);
    g_assert_null (waybill_shipment_get_last_error (shipment));
    g_assert_cmpint (scheduled_after_check (f, id), ==, 3 * 60 * 60);
  }
  g_assert_cmpuint (count_sent (f, 'd'), ==, 5);
}

static void
test_empty_answers (Fixture       *f,
                    gconstpointer  data)
{
  gint64 id = add_shipment (f, "EA-1", "dhl-parcel-de", DHL_NUMBER);

  /* A label nobody scanned: pending every 6 h, then 12 h, then daily. */
  for (guint n = 1; n <= 4; n++)
    {
      g_autoptr(WaybillRefreshReport) report = NULL;
      gint64 full = MIN ((gint64) 6 * 60 * 60 << (n - 1), 24 * 60 * 60);
      gint64 delay;

      fake_response_fixture (fake_carrier_server_queue (f->server, DHL_PATH, 404),
                             "dhl/error-404.json");
      report = run_pass (f, FALSE);
      g_assert_cmpuint (report->errors->len, ==, 1);
      g_assert_cmpstr (((WaybillRefreshError *) g_ptr_array_index (report->errors, 0))->kind, ==,
                       "not_found");
      g_assert_cmpint (status_of (f, id), ==, WAYBILL_STATUS_PENDING);

      delay = scheduled_after_check (f, id);
      g_assert_cmpint (delay, <=, full);
      g_assert_cmpint (delay, >=, full * 9 / 10);
      advance (f, delay * G_USEC_PER_SEC);
    }
  g_assert_cmpuint (count_sent (f, 'd'), ==, 4);
}

static void
test_auth_pause (Fixture       *f,
                 gconstpointer  data)
{
  WaybillTracker *dhl = waybill_tracker_registry_get (f->registry, "dhl");
  g_autoptr(WaybillCredentials) wrong = waybill_credentials_new ("not-the-key", NULL, NULL);
  g_autoptr(WaybillCredentials) right = waybill_credentials_new (FAKE_DHL_API_KEY, NULL, NULL);
  g_autoptr(WaybillRefreshReport) first = NULL;
  g_autoptr(WaybillRefreshReport) second = NULL;
  g_autoptr(WaybillRefreshReport) third = NULL;
  gint64 a = add_shipment (f, "AU-1", "dhl-parcel-de", "JJD00000000000000001");
  gint64 b = add_shipment (f, "AU-2", "dhl-parcel-de", "JJD00000000000000002");
  gint64 u = add_shipment (f, "AU-3", "ups", UPS_NUMBER);

  g_assert_nonnull (dhl);
  waybill_tracker_set_credentials (dhl, wrong);
  queue_ups (f, UPS_NUMBER, "ups/3-in-transit.json");

  first = run_pass (f, FALSE);
  g_assert_cmpuint (count_sent (f, 'd'), ==, 1);
  g_assert_cmpuint (count_sent (f, 'u'), ==, 1);
  g_assert_cmpuint (first->checked, ==, 2);
  g_assert_cmpuint (first->deferred, ==, 1);
  g_assert_cmpuint (first->errors->len, ==, 1);
  g_assert_cmpstr (((WaybillRefreshError *) g_ptr_array_index (first->errors, 0))->kind, ==, "auth");
  g_assert_cmpuint (f->pauses->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->pauses, 0), ==, "dhl:paused:auth");
  g_assert_cmpint (waybill_refresher_get_pause (f->refresher, "dhl", NULL), ==,
                   WAYBILL_REFRESHER_PAUSE_AUTH);
  g_assert_cmpint (status_of (f, u), ==, WAYBILL_STATUS_IN_TRANSIT);
  g_assert_cmpint (status_of (f, a), ==, WAYBILL_STATUS_PENDING);
  {
    g_autoptr(WaybillShipment) shipment = get_shipment (f, a);

    g_assert_cmpuint (waybill_shipment_get_failure_count (shipment), ==, 0);
  }

  /* An hour later, even with --all: DHL stays paused and is not asked. */
  advance (f, HOUR);
  queue_ups (f, UPS_NUMBER, "ups/3-in-transit.json");
  second = run_pass (f, TRUE);
  g_assert_cmpuint (count_sent (f, 'd'), ==, 1);
  g_assert_cmpuint (count_sent (f, 'u'), ==, 2);
  g_assert_cmpuint (second->deferred, ==, 2);

  /* The same wrong key again changes nothing. */
  waybill_tracker_set_credentials (dhl, wrong);
  g_assert_cmpuint (f->pauses->len, ==, 1);

  /* New credentials: DHL is resumed at once and both are asked, though
   * they are not due yet. */
  waybill_tracker_set_credentials (dhl, right);
  g_assert_cmpuint (f->pauses->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (f->pauses, 1), ==, "dhl:resumed");
  queue_dhl (f, "dhl/paket-3-in-transit.json");
  queue_dhl (f, "dhl/paket-3-in-transit.json");
  third = run_pass (f, FALSE);
  g_assert_cmpuint (third->checked, ==, 2);
  g_assert_cmpuint (count_sent (f, 'd'), ==, 3);
  g_assert_cmpint (status_of (f, a), ==, WAYBILL_STATUS_IN_TRANSIT);
  g_assert_cmpint (status_of (f, b), ==, WAYBILL_STATUS_IN_TRANSIT);
}

static gboolean
passes_at_least (Fixture       *f,
                 gconstpointer  data)
{
  return f->passes >= GPOINTER_TO_UINT (data);
}

static gboolean
go_offline_on_second (FakeCarrierServer *server,
                      SoupServerMessage *message,
                      const char        *path,
                      gpointer           user_data)
{
  Fixture *f = user_data;
  static guint n;

  if (++n == 2)
    test_network_monitor_set_available (f->monitor, FALSE);

  return answer_dhl_in_transit (server, message, path, NULL);
}

static void
test_offline (Fixture       *f,
              gconstpointer  data)
{
  gint64 first[2];
  gint64 second[3];

  for (guint i = 0; i < G_N_ELEMENTS (first); i++)
    {
      g_autofree char *order = g_strdup_printf ("OF-%u", i);
      g_autofree char *number = g_strdup_printf ("JJD%017u", i);

      first[i] = add_shipment (f, order, "dhl-parcel-de", number);
    }
  fake_carrier_server_set_handler (f->server, DHL_PATH, answer_dhl_in_transit, NULL);

  /* Started without network: nothing is asked. */
  test_network_monitor_set_available (f->monitor, FALSE);
  g_assert_true (waybill_refresher_get_offline (f->refresher));
  waybill_refresher_start (f->refresher);
  run_until_condition (f, passes_at_least, GUINT_TO_POINTER (1));
  g_assert_cmpuint (fake_carrier_server_get_n_requests (f->server), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (first); i++)
    g_assert_cmpint (status_of (f, first[i]), ==, WAYBILL_STATUS_PENDING);

  /* The network is back: a pass catches up at once, without waiting for
   * the shipments' next check (15 minutes on): one second, DHL's pace. */
  {
    gint64 before = now_unix (f);

    test_network_monitor_set_available (f->monitor, TRUE);
    g_assert_false (waybill_refresher_get_offline (f->refresher));
    run_until_condition (f, passes_at_least, GUINT_TO_POINTER (2));
    g_assert_cmpint (now_unix (f) - before, ==, 1);
  }
  g_assert_cmpuint (count_sent (f, 'd'), ==, 2);
  for (guint i = 0; i < G_N_ELEMENTS (first); i++)
    g_assert_cmpint (status_of (f, first[i]), ==, WAYBILL_STATUS_IN_TRANSIT);

  waybill_refresher_stop (f->refresher);
  drain ();

  /* The network goes away during a pass: what is left waits for it. */
  for (guint i = 0; i < G_N_ELEMENTS (second); i++)
    {
      g_autofree char *order = g_strdup_printf ("OF2-%u", i);
      g_autofree char *number = g_strdup_printf ("JJD1%016u", i);

      second[i] = add_shipment (f, order, "dhl-parcel-de", number);
    }
  fake_carrier_server_set_handler (f->server, DHL_PATH, go_offline_on_second, f);
  {
    g_autoptr(WaybillRefreshReport) report = run_pass (f, FALSE);

    g_assert_cmpuint (report->checked, ==, 2);
    g_assert_cmpuint (report->deferred, ==, 1);
    g_assert_true (report->offline);
    g_assert_cmpuint (count_sent (f, 'd'), ==, 4);
    g_assert_cmpint (status_of (f, second[2]), ==, WAYBILL_STATUS_PENDING);
  }

  test_network_monitor_set_available (f->monitor, TRUE);
  fake_carrier_server_set_handler (f->server, DHL_PATH, answer_dhl_in_transit, NULL);
  {
    g_autoptr(WaybillRefreshReport) report = run_pass (f, FALSE);

    g_assert_cmpuint (report->checked, ==, 1);
    g_assert_false (report->offline);
    g_assert_cmpint (status_of (f, second[2]), ==, WAYBILL_STATUS_IN_TRANSIT);
  }
  g_assert_cmpuint (count_sent (f, 'd'), ==, 5);
}

static gboolean
tracker_has_calls (Fixture       *f,
                   gconstpointer  data)
{
  const TestTracker *tracker = data;

  return tracker->calls->len >= 2 && tracker->hanging->len > 0;
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(TestTracker) tracker = g_object_new (TEST_TYPE_TRACKER, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GHashTable) first_batch = g_hash_table_new (g_str_hash, g_str_equal);
  PassWait wait = { 0 };
  gint64 ids[9];

  waybill_refresher_override_tracker (f->refresher, "test-carrier", WAYBILL_TRACKER (tracker));
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *order = g_strdup_printf ("C-%u", i);
      g_autofree char *number = g_strdup_printf ("TEST%06u", i);

      ids[i] = add_shipment (f, order, "test-carrier", number);
    }

  /* The second batch is kept waiting; the pass is cancelled then. */
  tracker->hang_from = 1;
  waybill_refresher_refresh_async (f->refresher, FALSE, cancellable, pass_done_cb, &wait);
  run_until_condition (f, tracker_has_calls, tracker);
  g_assert_true (waybill_refresher_get_refreshing (f->refresher));
  g_cancellable_cancel (cancellable);
  run_until (f, &wait.done);
  g_assert_null (wait.report);
  g_assert_error (wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&wait.error);
  g_assert_cmpuint (tracker->calls->len, ==, 2);
  g_assert_cmpuint (f->passes, ==, 0);

  /* The answered batch is written whole, the other not at all. */
  {
    GStrv numbers = g_ptr_array_index (tracker->calls, 0);

    for (guint j = 0; numbers[j] != NULL; j++)
      g_hash_table_add (first_batch, numbers[j]);
  }
  g_assert_cmpuint (g_hash_table_size (first_batch), ==, 3);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(WaybillShipment) shipment = get_shipment (f, ids[i]);

      if (g_hash_table_contains (first_batch, waybill_shipment_get_tracking_number (shipment)))
        {
          g_assert_cmpint (waybill_shipment_get_status (shipment), ==, WAYBILL_STATUS_IN_TRANSIT);
          g_assert_nonnull (waybill_shipment_get_next_check (shipment));
          g_assert_cmpint (count_events (f, ids[i]), ==, 1);
        }
      else
        {
          g_assert_cmpint (waybill_shipment_get_status (shipment), ==, WAYBILL_STATUS_PENDING);
          g_assert_null (waybill_shipment_get_last_checked (shipment));
          g_assert_null (waybill_shipment_get_next_check (shipment));
          g_assert_cmpint (count_events (f, ids[i]), ==, 0);
        }
    }

  /* The lock was let go: the next pass asks the six others. */
  tracker->hang_from = G_MAXUINT;
  {
    g_autoptr(WaybillRefreshReport) report = run_pass (f, FALSE);

    g_assert_cmpuint (report->checked, ==, 6);
    g_assert_cmpuint (tracker->calls->len, ==, 4);
  }

  /* waybill_refresher_stop() on quit, with a request on its way. */
  {
    gint64 late = add_shipment (f, "C-late", "test-carrier", "TEST999999");
    gboolean stopped = FALSE;

    tracker->hang_from = tracker->calls->len;
    waybill_refresher_start (f->refresher);
    run_until_condition (f, tracker_has_calls, tracker);
    g_assert_true (waybill_refresher_get_refreshing (f->refresher));
    waybill_refresher_stop (f->refresher);
    while (waybill_refresher_get_refreshing (f->refresher))
      g_main_context_iteration (NULL, TRUE);
    stopped = !waybill_refresher_get_started (f->refresher);
    g_assert_true (stopped);
    g_assert_cmpint (status_of (f, late), ==, WAYBILL_STATUS_PENDING);
    drain ();
  }
}

static void
test_lock (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(TestTracker) tracker_a = g_object_new (TEST_TYPE_TRACKER, NULL);
  g_autoptr(TestTracker) tracker_b = g_object_new (TEST_TYPE_TRACKER, NULL);
  g_autoptr(WaybillStore) store_b = NULL;
  g_autoptr(WaybillRefresher) refresher_b = NULL;
  g_autoptr(WaybillRefreshReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *lock_path = g_build_filename (f->dir, "refresh.lock", NULL);
  PassWait wait = { 0 };
  gint64 id = add_shipment (f, "L-1", "test-carrier", "TEST000001");

  /* Another process, as far as the lock is concerned: its own connection
   * and its own open file. */
  store_b = test_open_store (f->path);
  refresher_b = new_refresher (f, store_b);
  waybill_refresher_override_tracker (f->refresher, "test-carrier", WAYBILL_TRACKER (tracker_a));
  waybill_refresher_override_tracker (refresher_b, "test-carrier", WAYBILL_TRACKER (tracker_b));

  tracker_a->hang_from = 0;
  waybill_refresher_refresh_async (f->refresher, FALSE, NULL, pass_done_cb, &wait);
  while (tracker_a->hanging->len == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_file_test (lock_path, G_FILE_TEST_EXISTS));

  /* The second refresher skips its pass and says why. */
  report = run_pass_on (f, refresher_b, TRUE, &error);
  g_assert_null (report);
  g_assert_error (error, WAYBILL_REFRESHER_ERROR, WAYBILL_REFRESHER_ERROR_LOCKED);
  g_assert_cmpstr (error->message, ==, "Another Waybill is refreshing right now");
  g_clear_error (&error);
  g_assert_cmpuint (tracker_b->calls->len, ==, 0);
  g_assert_null (waybill_refresher_get_last_refresh (refresher_b));

  test_tracker_release (tracker_a);
  run_until (f, &wait.done);
  g_assert_no_error (wait.error);
  g_assert_cmpuint (wait.report->checked, ==, 1);
  g_clear_pointer (&wait.report, waybill_refresh_report_free);

  /* Free again. */
  report = run_pass_on (f, refresher_b, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->checked, ==, 1);
  g_assert_cmpuint (tracker_b->calls->len, ==, 1);
  g_assert_cmpint (status_of (f, id), ==, WAYBILL_STATUS_IN_TRANSIT);
}

static void
test_delay (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(WaybillNotifier) notifier = waybill_notifier_new (f->store, "io.github.waybill.Waybill",
                                                              "Waybill");
  gint64 id = add_shipment (f, "D-1", "ups", UPS_NUMBER);

  waybill_refresher_set_notifier (f->refresher, notifier);
  for (guint i = 0; i < 4; i++)
    queue_ups (f, UPS_NUMBER, "ups/3-in-transit.json");

  {
    g_autoptr(WaybillRefreshReport) report = run_pass (f, FALSE);

    g_assert_cmpuint (report->changes->len, ==, 1);
    g_assert_false (((WaybillStatusChange *) g_ptr_array_index (report->changes, 0))->delayed);
  }

  /* Past the estimated delivery (14 March, end of day), still in transit. */
  advance (f, 4 * 24 * HOUR);
  {
    g_autoptr(WaybillRefreshReport) report = run_pass (f, FALSE);
    WaybillStatusChange *change;

    g_assert_cmpuint (report->changes->len, ==, 1);
    change = g_ptr_array_index (report->changes, 0);
    g_assert_true (change->delayed);
    g_assert_cmpint (change->from, ==, WAYBILL_STATUS_IN_TRANSIT);
    g_assert_cmpint (change->to, ==, WAYBILL_STATUS_IN_TRANSIT);
    g_assert_false (change->first_fetch);
    g_assert_true (waybill_status_change_is_delay_only (change));
  }
  g_assert_cmpint (count_announced (f, id, "delayed"), ==, 1);

  /* Still late: not news any more. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(WaybillRefreshReport) report = NULL;

      advance (f, 3 * HOUR);
      report = run_pass (f, FALSE);
      g_assert_cmpuint (report->checked, ==, 1);
      g_assert_cmpuint (report->changes->len, ==, 0);
    }
  g_assert_cmpuint (f->changes->len, ==, 2);
  g_assert_cmpint (count_announced (f, id, "delayed"), ==, 1);
}

static void
test_settings (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.waybill.Waybill");
  gint64 id = add_shipment (f, "S-1", "ups", UPS_NUMBER);

  g_assert_cmpuint (waybill_refresher_get_interval (f->refresher, WAYBILL_STATUS_OUT_FOR_DELIVERY), ==, 30);
  g_assert_cmpuint (waybill_refresher_get_interval (f->refresher, WAYBILL_STATUS_IN_TRANSIT), ==, 180);
  g_assert_cmpuint (waybill_refresher_get_interval (f->refresher, WAYBILL_STATUS_PICKED_UP), ==, 180);
  g_assert_cmpuint (waybill_refresher_get_interval (f->refresher, WAYBILL_STATUS_INFO_RECEIVED), ==, 360);
  g_assert_cmpuint (waybill_refresher_get_interval (f->refresher, WAYBILL_STATUS_PENDING), ==, 360);
  g_assert_cmpuint (waybill_refresher_get_interval (f->refresher, WAYBILL_STATUS_DELIVERED), ==, 0);
  g_assert_cmpuint (waybill_refresher_get_interval (f->refresher, WAYBILL_STATUS_RETURNED), ==, 0);
  g_assert_cmpuint (waybill_store_get_delay_threshold (f->store), ==, 4 * 24 * 60 * 60);

  waybill_refresher_bind_settings (f->refresher, settings);
  g_settings_set_int (settings, "refresh-in-transit-minutes", 45);
  g_settings_set_int (settings, "delay-threshold-days", 2);
  g_assert_cmpuint (waybill_refresher_get_interval (f->refresher, WAYBILL_STATUS_IN_TRANSIT), ==, 45);
  g_assert_cmpuint (waybill_refresher_get_delay_threshold_days (f->refresher), ==, 2);
  g_assert_cmpuint (waybill_store_get_delay_threshold (f->store), ==, 2 * 24 * 60 * 60);

  queue_ups (f, UPS_NUMBER, "ups/3-in-transit.json");
  {
    g_autoptr(WaybillRefreshReport) report = run_pass (f, FALSE);

    g_assert_cmpuint (report->checked, ==, 1);
    g_assert_cmpint (scheduled_after_check (f, id), ==, 45 * 60);
  }
  g_settings_reset (settings, "refresh-in-transit-minutes");
  g_settings_reset (settings, "delay-threshold-days");
  g_assert_cmpuint (waybill_refresher_get_interval (f->refresher, WAYBILL_STATUS_IN_TRANSIT), ==, 180);
}

/* ---- Killed in the middle of a pass ------------------------------------- */

#define KILL_N       6
#define KILL_ANSWERS 3

static gboolean
requests_reach (Fixture       *f,
                gconstpointer  data)
{
  return fake_carrier_server_count (f->server, DHL_PATH) >= GPOINTER_TO_UINT (data);
}

static void
test_killed (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(WaybillNotifier) notifier = waybill_notifier_new (f->store, "io.github.waybill.Waybill",
                                                              "Waybill");
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *clock_arg = NULL;
  gint64 events_before[KILL_N];
  gint64 ids[KILL_N];
  const char *self_path = data;

  waybill_refresher_set_notifier (f->refresher, notifier);
  for (guint i = 0; i < KILL_N; i++)
    {
      g_autofree char *order = g_strdup_printf ("K-%u", i);
      g_autofree char *number = g_strdup_printf ("JJD%017u", i);

      ids[i] = add_shipment (f, order, "dhl-parcel-de", number);
    }

  /* Known to be in transit: the first answers, not announced. */
  fake_carrier_server_set_handler (f->server, DHL_PATH, answer_dhl_in_transit, NULL);
  {
    g_autoptr(WaybillRefreshReport) report = run_pass (f, FALSE);

    g_assert_cmpuint (report->checked, ==, KILL_N);
  }
  fake_carrier_server_set_handler (f->server, DHL_PATH, NULL, NULL);
  for (guint i = 0; i < KILL_N; i++)
    {
      g_assert_cmpint (count_announced (f, ids[i], "in_transit"), ==, 0);
      g_assert_cmpint (status_of (f, ids[i]), ==, WAYBILL_STATUS_IN_TRANSIT);
    }

  /* Four hours later another process runs a pass: three parcels are out
   * for delivery, then the carrier hangs on the fourth. */
  for (guint i = 0; i < KILL_ANSWERS; i++)
    queue_dhl (f, "dhl/paket-4-out-for-delivery.json");
  fake_response_mode (fake_carrier_server_queue (f->server, DHL_PATH, 200), FAKE_RESPONSE_NEVER_ANSWER);

  clock_arg = g_strdup_printf ("%" G_GINT64_FORMAT, T0 + 4 * 60 * 60);
  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                            self_path, "--refresh-child", f->path, clock_arg, NULL);
  g_assert_no_error (error);
  run_until_condition (f, requests_reach, GUINT_TO_POINTER (KILL_N + KILL_ANSWERS + 1));

  /* It holds the lock: this process skips. */
  {
    g_autoptr(WaybillRefreshReport) report = run_pass_on (f, f->refresher, TRUE, &error);

    g_assert_null (report);
    g_assert_error (error, WAYBILL_REFRESHER_ERROR, WAYBILL_REFRESHER_ERROR_LOCKED);
    g_clear_error (&error);
  }

  g_subprocess_force_exit (child);
  g_subprocess_wait (child, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (child));
  g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);

  /* What it had answered is recorded and announced; the rest untouched. */
  for (guint i = 0; i < KILL_N; i++)
    {
      gboolean answered = i < KILL_ANSWERS;

      g_assert_cmpint (status_of (f, ids[i]), ==,
                       answered ? WAYBILL_STATUS_OUT_FOR_DELIVERY : WAYBILL_STATUS_IN_TRANSIT);
      g_assert_cmpint (count_announced (f, ids[i], "out_for_delivery"), ==, answered ? 1 : 0);
      events_before[i] = count_events (f, ids[i]);
    }

  /* Restarted a minute later: the three left are asked, and only their
   * changes are told. */
  advance (f, 4 * HOUR + MINUTE);
  for (guint i = KILL_ANSWERS; i < KILL_N; i++)
    queue_dhl (f, "dhl/paket-4-out-for-delivery.json");
  {
    g_autoptr(WaybillRefreshReport) report = run_pass (f, FALSE);

    g_assert_cmpuint (report->checked, ==, KILL_N - KILL_ANSWERS);
    g_assert_cmpuint (report->changes->len, ==, KILL_N - KILL_ANSWERS);
    for (guint i = 0; i < report->changes->len; i++)
      {
        WaybillStatusChange *change = g_ptr_array_index (report->changes, i);

        g_assert_cmpint (change->shipment_id, ==, ids[KILL_ANSWERS + i]);
        g_assert_cmpint (change->from, ==, WAYBILL_STATUS_IN_TRANSIT);
        g_assert_cmpint (change->to, ==, WAYBILL_STATUS_OUT_FOR_DELIVERY);
        g_assert_false (change->first_fetch);
      }
  }

  /* Asking everything again duplicates nothing and tells nothing. */
  for (guint i = 0; i < KILL_N; i++)
    queue_dhl (f, "dhl/paket-4-out-for-delivery.json");
  {
    g_autoptr(WaybillRefreshReport) report = run_pass (f, TRUE);

    g_assert_cmpuint (report->checked, ==, KILL_N);
    g_assert_cmpuint (report->changes->len, ==, 0);
  }
  for (guint i = 0; i < KILL_N; i++)
    {
      g_assert_cmpint (status_of (f, ids[i]), ==, WAYBILL_STATUS_OUT_FOR_DELIVERY);
      g_assert_cmpint (count_announced (f, ids[i], "out_for_delivery"), ==, 1);
      g_assert_cmpint (count_events (f, ids[i]), ==, events_before[0]);
      if (i < KILL_ANSWERS)
        g_assert_cmpint (count_events (f, ids[i]), ==, events_before[i]);
    }
  g_assert_cmpuint (fake_carrier_server_pending (f->server, DHL_PATH), ==, 0);
}

/* The other process of test_killed: one pass, written batch by batch. */
static void
child_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  /* The test kills this process before the pass can end. */
  exit (3);
}

static gboolean
child_timeout_cb (gpointer user_data)
{
  exit (4);
}

static int
run_child (const char *db_path,
           const char *clock_text)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (g_ascii_strtoll (clock_text, NULL, 10));
  g_autoptr(WaybillStore) store = NULL;
  g_autoptr(WaybillTrackerRegistry) registry = NULL;
  g_autoptr(WaybillNotifier) notifier = NULL;
  g_autoptr(WaybillRefresher) refresher = NULL;
  g_autoptr(WaybillClock) clock = waybill_clock_new_manual (now);

  store = test_open_store (db_path);
  registry = waybill_tracker_registry_new (NULL);
  notifier = waybill_notifier_new (store, "io.github.waybill.Waybill", "Waybill");
  refresher = waybill_refresher_new (store, registry, notifier);
  waybill_refresher_set_clock (refresher, clock);
  waybill_refresher_set_rate_limit (refresher, FALSE);
  waybill_refresher_set_flush_interval (refresher, 0);
  waybill_refresher_refresh_async (refresher, FALSE, NULL, child_done_cb, NULL);
  g_timeout_add_seconds (30, child_timeout_cb, NULL);

  while (TRUE)
    g_main_context_iteration (NULL, TRUE);

  return 0;
}

int
main (int   argc,
      char *argv[])
{
  /* No notification server, no keyring: each attempt fails at once. */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/waybill-test-bus", TRUE);

  if (argc == 4 && g_str_equal (argv[1], "--refresh-child"))
    return run_child (argv[2], argv[3]);

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/waybill/refresher/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("progression", test_progression);
  ADD ("start", test_start);
  ADD ("link-only", test_link_only);
  ADD ("batches", test_batches);
  ADD ("rate-limit", test_rate_limit);
  ADD ("unlimited", test_unlimited);
  ADD ("flush-by-count", test_flush_by_count);
  ADD ("retry-after", test_retry_after);
  ADD ("backoff", test_backoff);
  ADD ("empty-answers", test_empty_answers);
  ADD ("auth-pause", test_auth_pause);
  ADD ("offline", test_offline);
  ADD ("cancel", test_cancel);
  ADD ("lock", test_lock);
  ADD ("delay", test_delay);
  ADD ("settings", test_settings);
  g_test_add ("/waybill/refresher/killed", Fixture, argv[0], fixture_setup, test_killed,
              fixture_teardown);

#undef ADD

  return g_test_run ();
}
