/* waybill-tracker-registry.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-tracker-registry"

#include "config.h"

#include "waybill-carrier.h"
#include "waybill-tracker-registry.h"

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
