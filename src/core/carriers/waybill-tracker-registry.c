/* waybill-tracker-registry.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-tracker-registry"

#include "config.h"

#include <glib/gi18n.h>

#include "waybill-carrier.h"
#include "waybill-tracker-registry.h"
#include "waybill-tracking-number.h"

/* Every tracking API Waybill knows, created once on one shared session.
 * DESIGN.md's rule for which API answers for a carrier lives here: the
 * carrier's own API when it is configured, else a configured aggregator
 * that covers the carrier, else none (the shipment is link-only). */
struct _WaybillTrackerRegistry
{
  GObject      parent_instance;

  SoupSession *session;
  /* element-type WaybillTracker, in the order of tracker_types */
  GPtrArray   *trackers;
};

G_DEFINE_FINAL_TYPE (WaybillTrackerRegistry, waybill_tracker_registry, G_TYPE_OBJECT)

/* Every tracking API, one line each: X (name) stands for the type
 * waybill_tracker_<name>_get_type() of waybill-tracker-<name>.c.  The
 * order is the order of waybill_tracker_registry_list(). */
#define WAYBILL_TRACKERS(X) \
  X (dhl)                   \
  X (ups)                   \
  X (fedex)                 \
  X (usps)                  \
  X (aftership)             \
  X (17track)

#define DECLARE_TYPE(name) GType waybill_tracker_##name##_get_type (void);
WAYBILL_TRACKERS (DECLARE_TYPE)
#undef DECLARE_TYPE

#define TYPE_ENTRY(name) waybill_tracker_##name##_get_type,
static GType (* const tracker_types[]) (void) = {
  WAYBILL_TRACKERS (TYPE_ENTRY)
};
#undef TYPE_ENTRY

static void
waybill_tracker_registry_dispose (GObject *object)
{
  WaybillTrackerRegistry *self = WAYBILL_TRACKER_REGISTRY (object);

  g_clear_pointer (&self->trackers, g_ptr_array_unref);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (waybill_tracker_registry_parent_class)->dispose (object);
}

static void
waybill_tracker_registry_class_init (WaybillTrackerRegistryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = waybill_tracker_registry_dispose;
}

static void
waybill_tracker_registry_init (WaybillTrackerRegistry *self)
{
  self->trackers = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * waybill_tracker_registry_new:
 * @session: (nullable): the session every tracker uses, %NULL for a new one
 *
 * Creates every tracker.  Origins and credentials come from the
 * environment at once; call waybill_tracker_registry_load_credentials_async()
 * to add the keyring's.
 *
 * Returns: (transfer full): a new registry
 */
WaybillTrackerRegistry *
waybill_tracker_registry_new (SoupSession *session)
{
  WaybillTrackerRegistry *self;

  g_return_val_if_fail (session == NULL || SOUP_IS_SESSION (session), NULL);

  self = g_object_new (WAYBILL_TYPE_TRACKER_REGISTRY, NULL);
  if (session != NULL)
    self->session = g_object_ref (session);
  else
    self->session = soup_session_new_with_options ("user-agent",
                                                   PACKAGE_NAME "/" PACKAGE_VERSION " ",
                                                   NULL);

  for (guint i = 0; i < G_N_ELEMENTS (tracker_types); i++)
    g_ptr_array_add (self->trackers,
                     g_object_new (tracker_types[i] (), "session", self->session, NULL));

  return self;
}

SoupSession *
waybill_tracker_registry_get_session (WaybillTrackerRegistry *self)
{
  g_return_val_if_fail (WAYBILL_IS_TRACKER_REGISTRY (self), NULL);

  return self->session;
}

/**
 * waybill_tracker_registry_list:
 *
 * Returns: (transfer container) (element-type WaybillTracker): every
 *   tracker, configured or not
 */
GPtrArray *
waybill_tracker_registry_list (WaybillTrackerRegistry *self)
{
  GPtrArray *list;

  g_return_val_if_fail (WAYBILL_IS_TRACKER_REGISTRY (self), NULL);

  list = g_ptr_array_new_full (self->trackers->len, g_object_unref);
  for (guint i = 0; i < self->trackers->len; i++)
    g_ptr_array_add (list, g_object_ref (g_ptr_array_index (self->trackers, i)));

  return list;
}

/**
 * waybill_tracker_registry_get:
 * @api_id: a tracking API id such as "ups"
 *
 * Returns: (transfer none) (nullable): the tracker, configured or not, or
 *   %NULL for an API Waybill does not know
 */
WaybillTracker *
waybill_tracker_registry_get (WaybillTrackerRegistry *self,
                              const char             *api_id)
{
  g_return_val_if_fail (WAYBILL_IS_TRACKER_REGISTRY (self), NULL);
  g_return_val_if_fail (api_id != NULL, NULL);

  for (guint i = 0; i < self->trackers->len; i++)
    {
      WaybillTracker *tracker = g_ptr_array_index (self->trackers, i);

      if (g_str_equal (waybill_tracker_get_id (tracker), api_id))
        return tracker;
    }

  return NULL;
}

/**
 * waybill_tracker_registry_for_carrier:
 * @carrier_id: a carrier id such as "dhl-express"
 *
 * Picks the API that answers for a carrier's shipments: the first
 * configured one of the carrier's APIs, which list the carrier's own API
 * before the aggregators.
 *
 * Returns: (transfer none) (nullable): the tracker, or %NULL when no
 *   configured API covers the carrier (the shipment is link-only)
 */
WaybillTracker *
waybill_tracker_registry_for_carrier (WaybillTrackerRegistry *self,
                                      const char             *carrier_id)
{
  const WaybillCarrier *carrier;
  const char * const *apis;

  g_return_val_if_fail (WAYBILL_IS_TRACKER_REGISTRY (self), NULL);
  g_return_val_if_fail (carrier_id != NULL, NULL);

  carrier = waybill_carrier_lookup (carrier_id);
  if (carrier == NULL)
    return NULL;

  apis = waybill_carrier_get_apis (carrier);
  for (guint i = 0; apis != NULL && apis[i] != NULL; i++)
    {
      WaybillTracker *tracker = waybill_tracker_registry_get (self, apis[i]);

      if (tracker != NULL && waybill_tracker_is_configured (tracker))
        return tracker;
    }

  return NULL;
}

typedef struct
{
  guint   pending;
  GError *error;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_error (&data->error);
  g_free (data);
}

static void
load_one_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LoadData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!waybill_tracker_load_credentials_finish (WAYBILL_TRACKER (source), result, &error))
    {
      g_debug ("No keyring credentials for %s: %s",
               waybill_tracker_get_id (WAYBILL_TRACKER (source)), error->message);
      if (data->error == NULL)
        data->error = g_steal_pointer (&error);
    }

  if (--data->pending > 0)
    return;

  if (data->error != NULL)
    g_task_return_error (task, g_steal_pointer (&data->error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * waybill_tracker_registry_load_credentials_async:
 *
 * Reads every tracker's credentials again, from the environment and the
 * keyring, all at once.
 */
void
waybill_tracker_registry_load_credentials_async (WaybillTrackerRegistry *self,
                                                 GCancellable           *cancellable,
                                                 GAsyncReadyCallback     callback,
                                                 gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *data;

  g_return_if_fail (WAYBILL_IS_TRACKER_REGISTRY (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, waybill_tracker_registry_load_credentials_async);
  data = g_new0 (LoadData, 1);
  data->pending = self->trackers->len;
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);

  if (data->pending == 0)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  for (guint i = 0; i < self->trackers->len; i++)
    waybill_tracker_load_credentials_async (g_ptr_array_index (self->trackers, i), cancellable,
                                            load_one_cb, g_object_ref (task));
}

/**
 * waybill_tracker_registry_load_credentials_finish:
 *
 * Returns: %TRUE when every tracker's credentials were read; %FALSE with
 *   the first error when the keyring could not be asked for some (those
 *   trackers keep what the environment gave them)
 */
gboolean
waybill_tracker_registry_load_credentials_finish (WaybillTrackerRegistry  *self,
                                                  GAsyncResult            *result,
                                                  GError                 **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Tracking one number, ad hoc (the window's look-up) */

typedef struct
{
  char                 *number;
  const WaybillCarrier *carrier;
  WaybillTracker       *tracker;
} TrackNumber;

static void
track_number_free (TrackNumber *data)
{
  g_free (data->number);
  g_clear_object (&data->tracker);
  g_free (data);
}

static void
track_number_done_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TrackNumber *data = g_task_get_task_data (task);
  g_autoptr(GPtrArray) replies = NULL;
  GError *error = NULL;
  WaybillTrackingReply *reply;

  replies = waybill_tracker_track_finish (WAYBILL_TRACKER (object), result, &error);
  if (replies == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (replies->len != 1)
    {
      g_task_return_new_error (task, WAYBILL_TRACKER_ERROR, WAYBILL_TRACKER_ERROR_BAD_RESPONSE,
                               _("%s gave no answer about this number"),
                               waybill_tracker_get_name (data->tracker));
      return;
    }

  reply = g_ptr_array_index (replies, 0);
  if (reply->error != NULL)
    g_task_return_error (task, g_error_copy (reply->error));
  else
    g_task_return_pointer (task, waybill_tracking_result_copy (reply->result),
                           (GDestroyNotify) waybill_tracking_result_free);
}

/**
 * waybill_tracker_registry_track_number_async:
 * @input: a tracking number as typed or scanned
 * @carrier_id: (nullable): the carrier, or %NULL to tell it from the number
 *
 * Asks the API that answers for the number's carrier about one number,
 * without a shipment in the store.  A number of no known format, of several
 * carriers, or with a wrong check digit is not asked about: that fails
 * with %WAYBILL_TRACKER_ERROR_NOT_FOUND and says which; a carrier no
 * configured API covers fails with %WAYBILL_TRACKER_ERROR_NOT_CONFIGURED.
 */
void
waybill_tracker_registry_track_number_async (WaybillTrackerRegistry *self,
                                             const char             *input,
                                             const char             *carrier_id,
                                             GCancellable           *cancellable,
                                             GAsyncReadyCallback     callback,
                                             gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  TrackNumber *data;
  const char *numbers[2] = { NULL, NULL };

  g_return_if_fail (WAYBILL_IS_TRACKER_REGISTRY (self));
  g_return_if_fail (input != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, waybill_tracker_registry_track_number_async);
  data = g_new0 (TrackNumber, 1);
  g_task_set_task_data (task, data, (GDestroyNotify) track_number_free);

  if (carrier_id != NULL)
    {
      g_autoptr(WaybillTrackingCandidate) verdict = NULL;

      data->carrier = waybill_carrier_lookup (carrier_id);
      if (data->carrier == NULL)
        {
          g_task_return_new_error (task, WAYBILL_TRACKER_ERROR, WAYBILL_TRACKER_ERROR_NOT_FOUND,
                                   _("Unknown carrier “%s”"), carrier_id);
          return;
        }
      verdict = waybill_tracking_number_verify (input, data->carrier);
      data->number = verdict != NULL ? g_strdup (verdict->number) : waybill_tracking_number_normalize (input);
    }
  else
    {
      g_autoptr(GPtrArray) candidates = waybill_tracking_number_detect (input, NULL);
      const WaybillTrackingCandidate *pick = waybill_tracking_candidates_pick (candidates);

      if (pick == NULL)
        {
          g_task_return_new_error (task, WAYBILL_TRACKER_ERROR, WAYBILL_TRACKER_ERROR_NOT_FOUND, "%s",
                                   candidates->len == 0
                                   ? _("This is not a tracking number of any carrier Waybill knows.")
                                   : _("The number could belong to several carriers; add it to an "
                                       "order and choose the carrier there."));
          return;
        }
      if (pick->check_digit == WAYBILL_CHECK_DIGIT_INVALID)
        {
          g_task_return_new_error (task, WAYBILL_TRACKER_ERROR, WAYBILL_TRACKER_ERROR_NOT_FOUND,
                                   _("The check digit is wrong: the number was probably mistyped."));
          return;
        }
      data->carrier = pick->carrier;
      data->number = g_strdup (pick->number);
    }

  data->tracker = waybill_tracker_registry_for_carrier (self, waybill_carrier_get_id (data->carrier));
  if (data->tracker == NULL)
    {
      g_task_return_new_error (task, WAYBILL_TRACKER_ERROR, WAYBILL_TRACKER_ERROR_NOT_CONFIGURED,
                               _("No tracking service is set up for %s. Add one in Preferences, "
                                 "under Carriers."),
                               waybill_carrier_get_name (data->carrier));
      return;
    }
  g_object_ref (data->tracker);

  /* Aggregators track better when told the carrier. */
  numbers[0] = data->number;
  waybill_tracker_set_carrier_hint (data->tracker, data->number, waybill_carrier_get_id (data->carrier));
  waybill_tracker_track_async (data->tracker, numbers, cancellable, track_number_done_cb,
                               g_steal_pointer (&task));
}

/**
 * waybill_tracker_registry_track_number_finish:
 * @out_number: (out) (optional) (transfer full): the number the carrier
 *   tracks (normalised; a scanned barcode's tracking part)
 * @out_carrier_id: (out) (optional) (transfer none): the carrier
 * @out_service: (out) (optional) (transfer none): the API that answered
 *
 * Returns: (transfer full): what the API said, or %NULL with @error set
 */
WaybillTrackingResult *
waybill_tracker_registry_track_number_finish (WaybillTrackerRegistry  *self,
                                              GAsyncResult            *result,
                                              char                   **out_number,
                                              const char             **out_carrier_id,
                                              const char             **out_service,
                                              GError                 **error)
{
  TrackNumber *data;
  WaybillTrackingResult *answer;

  g_return_val_if_fail (WAYBILL_IS_TRACKER_REGISTRY (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  data = g_task_get_task_data (G_TASK (result));
  answer = g_task_propagate_pointer (G_TASK (result), error);
  if (answer == NULL)
    return NULL;

  if (out_number != NULL)
    *out_number = g_strdup (data->number);
  if (out_carrier_id != NULL)
    *out_carrier_id = waybill_carrier_get_id (data->carrier);
  if (out_service != NULL)
    *out_service = waybill_tracker_get_name (data->tracker);

  return answer;
}
