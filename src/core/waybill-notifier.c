/* waybill-notifier.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-notifier"

#include "config.h"

#include <glib/gi18n.h>
#include <libnotify/notify.h>

#include "waybill-carrier.h"
#include "waybill-format.h"
#include "waybill-notifier.h"

/**
 * WaybillNotifier:
 *
 * Turns status changes into desktop notifications through libnotify: one
 * per change, or one summary when many change at once.  What was announced
 * is recorded in the store before it is shown, so a change is announced at
 * most once, also across restarts and crashes.
 *
 * Clicking a notification's buttons emits #WaybillNotifier::open-order,
 * #WaybillNotifier::copy-tracking-number or #WaybillNotifier::show-orders;
 * the application acts on them.  Buttons work while the process runs.
 */

/* The notifications kept alive so that their buttons still work.  Older
 * ones are let go: servers keep a handful on screen anyway. */
#define MAX_LIVE_NOTIFICATIONS 32

/* Lines of orders listed in the body of a summary notification. */
#define MAX_SUMMARY_LINES 3

#define ACTION_OPEN_ORDER    "app.open-order"
#define ACTION_COPY_TRACKING "app.copy-tracking-number"
#define ACTION_SHOW_ORDERS   "app.show-orders"
#define ACTION_DEFAULT       "default"

#define DATA_DEFAULT_ACTION "waybill-default-action"
#define DATA_ORDER_IDS      "waybill-order-ids"

#define KEY_ACTIVE  "notify-status-changes"
#define KEY_DELAYED "notify-delayed"

/* The per-status switches, their GSettings keys and their defaults, which
 * must match the schema's: the statuses a shop acts on are on, the steady
 * progress of a parcel is off.  Order stages and "pending" are never
 * announced. */
static const struct
{
  WaybillStatus  status;
  const char    *key;
  gboolean       enabled;
} status_switches[] = {
  { WAYBILL_STATUS_INFO_RECEIVED, "notify-info-received", FALSE },
  { WAYBILL_STATUS_PICKED_UP, "notify-picked-up", FALSE },
  { WAYBILL_STATUS_IN_TRANSIT, "notify-in-transit", FALSE },
  { WAYBILL_STATUS_OUT_FOR_DELIVERY, "notify-out-for-delivery", TRUE },
  { WAYBILL_STATUS_AVAILABLE_FOR_PICKUP, "notify-available-for-pickup", TRUE },
  { WAYBILL_STATUS_FAILED_ATTEMPT, "notify-failed-attempt", TRUE },
  { WAYBILL_STATUS_DELIVERED, "notify-delivered", TRUE },
  { WAYBILL_STATUS_EXCEPTION, "notify-exception", TRUE },
  { WAYBILL_STATUS_RETURNED, "notify-returned", TRUE },
  { WAYBILL_STATUS_EXPIRED, "notify-expired", FALSE },
};

#define DELAY_ENABLED_DEFAULT TRUE

struct _WaybillNotifier
{
  GObject       parent_instance;

  WaybillStore *store;
  char         *app_id;
  char         *app_name;
  GSettings    *settings;

  gboolean      enabled[WAYBILL_N_STATUSES];

  /* element-type NotifyNotification, oldest first */
  GQueue        live;

  guint         active : 1;
  guint         delay_enabled : 1;
  /* The server failed and that was logged; cleared by the next success. */
  guint         server_missing : 1;
  guint         caps_known : 1;
  guint         body_markup : 1;
};

G_DEFINE_FINAL_TYPE (WaybillNotifier, waybill_notifier, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_APP_ID,
  PROP_APP_NAME,
  PROP_ACTIVE,
  PROP_DELAY_ENABLED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  OPEN_ORDER,
  COPY_TRACKING_NUMBER,
  SHOW_ORDERS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
status_is_valid (WaybillStatus status)
{
  return (int) status >= 0 && status < WAYBILL_N_STATUSES;
}

static void
closed_cb (WaybillNotifier    *self,
           NotifyNotification *notification)
{
  if (g_queue_remove (&self->live, notification))
    {
      g_signal_handlers_disconnect_by_data (notification, self);
      g_object_unref (notification);
    }
}

static void
forget_notification (WaybillNotifier    *self,
                     NotifyNotification *notification)
{
  /* Its buttons must not call back into a notifier that is gone. */
  g_signal_handlers_disconnect_by_data (notification, self);
  notify_notification_clear_actions (notification);
  g_object_unref (notification);
}

static void
keep_alive (WaybillNotifier    *self,
            NotifyNotification *notification)
{
  g_queue_push_tail (&self->live, g_object_ref (notification));
  g_signal_connect_swapped (notification, "closed", G_CALLBACK (closed_cb), self);

  while (self->live.length > MAX_LIVE_NOTIFICATIONS)
    forget_notification (self, g_queue_pop_head (&self->live));
}

/* Buttons carry detailed action names ("app.open-order(int64 7)"), the
 * form a GApplication action would take; a summary's order ids are kept on
 * the notification instead of in its button. */
static void
activate (WaybillNotifier    *self,
          NotifyNotification *notification,
          const char         *action)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) target = NULL;
  g_autofree char *name = NULL;

  if (g_str_equal (action, ACTION_SHOW_ORDERS))
    {
      GArray *ids = g_object_get_data (G_OBJECT (notification), DATA_ORDER_IDS);

      if (ids != NULL)
        g_signal_emit (self, signals[SHOW_ORDERS], 0, ids);
      return;
    }

  if (!g_action_parse_detailed_name (action, &name, &target, &error))
    {
      g_warning ("Unknown notification action “%s”: %s", action, error->message);
      return;
    }

  if (g_str_equal (name, ACTION_OPEN_ORDER) &&
      target != NULL && g_variant_is_of_type (target, G_VARIANT_TYPE_INT64))
    g_signal_emit (self, signals[OPEN_ORDER], 0, g_variant_get_int64 (target));
  else if (g_str_equal (name, ACTION_COPY_TRACKING) &&
           target != NULL && g_variant_is_of_type (target, G_VARIANT_TYPE_STRING))
    g_signal_emit (self, signals[COPY_TRACKING_NUMBER], 0, g_variant_get_string (target, NULL));
  else
    g_warning ("Unknown notification action “%s”", action);
}

static void
action_cb (NotifyNotification *notification,
           char               *action,
           gpointer            user_data)
{
  WaybillNotifier *self = user_data;

  /* Clicking the notification itself does what its main button does. */
  if (g_str_equal (action, ACTION_DEFAULT))
    action = g_object_get_data (G_OBJECT (notification), DATA_DEFAULT_ACTION);

  if (action != NULL)
    activate (self, notification, action);
}

static void
add_action (WaybillNotifier    *self,
            NotifyNotification *notification,
            const char         *action,
            const char         *label)
{
  notify_notification_add_action (notification, action, label, action_cb, self, NULL);
}

static char *
order_name (const WaybillStatusChange *change)
{
  if (change->order_number != NULL && *change->order_number != '\0')
    return g_strdup (change->order_number);

  return g_strdup_printf ("%" G_GINT64_FORMAT, change->order_id);
}

static gboolean
is_critical (const WaybillStatusChange *change)
{
  return change->delayed || waybill_status_needs_attention (change->to);
}

static char *
exception_summary (const char             *order,
                   WaybillExceptionReason  reason)
{
  switch (reason)
    {
    case WAYBILL_EXCEPTION_CUSTOMS:
      /* Translators: a notification title; %s is an order number such as "1042" */
      return g_strdup_printf (_("Order %s has a problem: held in customs"), order);
    case WAYBILL_EXCEPTION_DAMAGED:
      /* Translators: a notification title; %s is an order number such as "1042" */
      return g_strdup_printf (_("Order %s has a problem: damaged"), order);
    case WAYBILL_EXCEPTION_LOST:
      /* Translators: a notification title; %s is an order number such as "1042" */
      return g_strdup_printf (_("Order %s has a problem: lost"), order);
    case WAYBILL_EXCEPTION_ADDRESS:
      /* Translators: a notification title; %s is an order number such as "1042" */
      return g_strdup_printf (_("Order %s has a problem: address issue"), order);
    case WAYBILL_EXCEPTION_REFUSED:
      /* Translators: a notification title; %s is an order number such as "1042" */
      return g_strdup_printf (_("Order %s has a problem: refused by the recipient"), order);
    case WAYBILL_EXCEPTION_WEATHER:
      /* Translators: a notification title; %s is an order number such as "1042" */
      return g_strdup_printf (_("Order %s has a problem: weather delay"), order);
    case WAYBILL_EXCEPTION_DELAY:
      /* Translators: a notification title; %s is an order number such as "1042" */
      return g_strdup_printf (_("Order %s has a problem: carrier delay"), order);
    case WAYBILL_EXCEPTION_NONE:
    case WAYBILL_EXCEPTION_OTHER:
    case WAYBILL_N_EXCEPTION_REASONS:
    default:
      /* Translators: a notification title; %s is an order number such as "1042" */
      return g_strdup_printf (_("Order %s has a problem"), order);
    }
}

/* A line a person reads at a glance: "Order 1042 is out for delivery". */
static char *
change_summary (const WaybillStatusChange *change)
{
  g_autofree char *order = order_name (change);

  if (waybill_status_change_is_delay_only (change))
    /* Translators: a notification title; %s is an order number such as "1042" */
    return g_strdup_printf (_("Order %s is delayed"), order);

  switch (change->to)
    {
    case WAYBILL_STATUS_PENDING:
      /* Translators: a notification title; %s is an order number such as "1042" */
      return g_strdup_printf (_("Order %s is waiting for tracking data"), order);
    case WAYBILL_STATUS_INFO_RECEIVED:
      /* Translators: a notification title; %s is an order number such as "1042" */
      return g_strdup_printf (_("Order %s has a shipping label"), order);
    case WAYBILL_STATUS_PICKED_UP:
      /* Translators: a notification title; %s is an order number such as "1042" */
      return g_strdup_printf (_("Order %s was picked up"), order);
    case WAYBILL_STATUS_IN_TRANSIT:
      /* Translators: a notification title; %s is an order number such as "1042" */
      return g_strdup_printf (_("Order %s is on its way"), order);
    case WAYBILL_STATUS_OUT_FOR_DELIVERY:
      /* Translators: a notification title; %s is an order number such as "1042" */
      return g_strdup_printf (_("Order %s is out for delivery"), order);
    case WAYBILL_STATUS_AVAILABLE_FOR_PICKUP:
      /* Translators: a notification title; %s is an order number such as "1042" */
      return g_strdup_printf (_("Order %s is ready for pickup"), order);
    case WAYBILL_STATUS_FAILED_ATTEMPT:
      /* Translators: a notification title; %s is an order number such as "1042" */
      return g_strdup_printf (_("Order %s: delivery attempt failed"), order);
    case WAYBILL_STATUS_DELIVERED:
      /* Translators: a notification title; %s is an order number such as "1042" */
      return g_strdup_printf (_("Order %s was delivered"), order);
    case WAYBILL_STATUS_EXCEPTION:
      return exception_summary (order, change->exception_reason);
    case WAYBILL_STATUS_RETURNED:
      /* Translators: a notification title; %s is an order number such as "1042" */
      return g_strdup_printf (_("Order %s is going back to the sender"), order);
    case WAYBILL_STATUS_EXPIRED:
      /* Translators: a notification title; %s is an order number such as "1042" */
      return g_strdup_printf (_("Order %s is no longer tracked"), order);
    case WAYBILL_STATUS_RECEIVED:
    case WAYBILL_STATUS_PROCESSING:
    case WAYBILL_STATUS_SHIPPED:
    case WAYBILL_STATUS_CANCELLED:
    case WAYBILL_N_STATUSES:
    case WAYBILL_STATUS_INVALID:
    default:
      /* Translators: a notification title; the first %s is an order number
       * such as "1042", the second a status such as "Processing" */
      return g_strdup_printf (_("Order %s: %s"), order, waybill_status_get_label (change->to));
    }
}

static const char *
carrier_name (const char *carrier_id)
{
  const WaybillCarrier *carrier;

  if (carrier_id == NULL || *carrier_id == '\0')
    return NULL;

  carrier = waybill_carrier_lookup (carrier_id);

  return carrier != NULL ? waybill_carrier_get_name (carrier) : carrier_id;
}

/* Appends a line of plain text, escaped when the server reads markup. */
static void
append_line (WaybillNotifier *self,
             GString         *body,
             const char      *line)
{
  if (body->len > 0)
    g_string_append_c (body, '\n');

  if (self->body_markup)
    {
      g_autofree char *escaped = g_markup_escape_text (line, -1);

      g_string_append (body, escaped);
    }
  else
    g_string_append (body, line);
}

/* Carrier and number, where the parcel is, and when it should arrive. */
static char *
change_body (WaybillNotifier           *self,
             const WaybillStatusChange *change)
{
  g_autoptr(GString) body = g_string_new (NULL);
  const char *carrier = carrier_name (change->carrier);
  gboolean has_number = change->tracking_number != NULL && *change->tracking_number != '\0';

  if (carrier != NULL && has_number)
    {
      /* Translators: a carrier and a tracking number, such as
       * "UPS 1Z999AA10123456784" */
      g_autofree char *line = g_strdup_printf (C_("notification", "%s %s"),
                                               carrier, change->tracking_number);

      append_line (self, body, line);
    }
  else if (carrier != NULL || has_number)
    append_line (self, body, carrier != NULL ? carrier : change->tracking_number);

  if (change->location != NULL && *change->location != '\0')
    {
      /* Translators: where the carrier last saw the parcel, such as
       * "Location: Leipzig, DE" */
      g_autofree char *line = g_strdup_printf (_("Location: %s"), change->location);

      append_line (self, body, line);
    }

  if (change->delayed && !waybill_status_change_is_delay_only (change))
    append_line (self, body, _("Running late"));

  if (change->estimated_delivery != NULL && !waybill_status_is_final (change->to))
    {
      g_autofree char *when = waybill_format_date_time (change->estimated_delivery);
      g_autofree char *line = NULL;

      if (change->delayed)
        /* Translators: %s is a date and time such as "Tue 3 Dec, 14:05" */
        line = g_strdup_printf (_("Was expected %s"), when);
      else
        /* Translators: %s is a date and time such as "Tue 3 Dec, 14:05" */
        line = g_strdup_printf (_("Expected %s"), when);

      append_line (self, body, line);
    }

  return g_string_free (g_steal_pointer (&body), FALSE);
}

static NotifyNotification *
new_notification (WaybillNotifier *self,
                  const char      *summary,
                  const char      *body,
                  gboolean         critical)
{
  NotifyNotification *notification = notify_notification_new (summary, body, self->app_id);

  notify_notification_set_app_name (notification, self->app_name);
  notify_notification_set_hint_string (notification, "desktop-entry", self->app_id);
  notify_notification_set_urgency (notification,
                                   critical ? NOTIFY_URGENCY_CRITICAL : NOTIFY_URGENCY_NORMAL);

  return notification;
}

static void
learn_server_caps (WaybillNotifier *self)
{
  GList *caps;

  if (self->caps_known)
    return;

  /* Only asked once a notification went through: asking a missing
   * server makes libnotify warn. */
  caps = notify_get_server_caps ();
  self->body_markup = g_list_find_custom (caps, "body-markup", (GCompareFunc) g_strcmp0) != NULL;
  self->caps_known = TRUE;
  g_list_free_full (caps, g_free);
}

/* Shows a notification.  A missing or failing server is logged once per
 * outage and is not an error: the changes stay recorded as announced. */
static gboolean
show (WaybillNotifier    *self,
      NotifyNotification *notification)
{
  g_autoptr(GError) error = NULL;

  if (!notify_notification_show (notification, &error))
    {
      if (!self->server_missing)
        g_message ("Could not show a desktop notification: %s", error->message);
      self->server_missing = TRUE;
      return FALSE;
    }

  if (self->server_missing)
    g_debug ("Desktop notifications work again");
  self->server_missing = FALSE;
  keep_alive (self, notification);

  return TRUE;
}

static gboolean
show_change (WaybillNotifier           *self,
             const WaybillStatusChange *change)
{
  NotifyNotification *notification;
  g_autofree char *summary = change_summary (change);
  g_autofree char *body = change_body (self, change);
  g_autofree char *open_order = NULL;
  gboolean shown;

  notification = new_notification (self, summary, body, is_critical (change));

  open_order = g_action_print_detailed_name (ACTION_OPEN_ORDER, g_variant_new_int64 (change->order_id));
  add_action (self, notification, open_order, _("Open Order"));
  if (change->tracking_number != NULL && *change->tracking_number != '\0')
    {
      g_autofree char *copy = NULL;

      copy = g_action_print_detailed_name (ACTION_COPY_TRACKING,
                                           g_variant_new_string (change->tracking_number));
      add_action (self, notification, copy, _("Copy Tracking Number"));
    }
  add_action (self, notification, ACTION_DEFAULT, _("Open Order"));
  g_object_set_data_full (G_OBJECT (notification), DATA_DEFAULT_ACTION,
                          g_steal_pointer (&open_order), g_free);

  shown = show (self, notification);
  g_object_unref (notification);

  return shown;
}

static gboolean
show_summary (WaybillNotifier *self,
              GPtrArray       *changes)
{
  NotifyNotification *notification;
  g_autoptr(GArray) order_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *summary = NULL;
  gboolean critical = FALSE;
  gboolean shown;

  for (guint i = 0; i < changes->len; i++)
    {
      const WaybillStatusChange *change = g_ptr_array_index (changes, i);
      gboolean seen = FALSE;

      critical |= is_critical (change);

      for (guint j = 0; j < order_ids->len && !seen; j++)
        seen = g_array_index (order_ids, gint64, j) == change->order_id;
      if (!seen)
        g_array_append_val (order_ids, change->order_id);

      if (i < MAX_SUMMARY_LINES)
        {
          g_autofree char *line = change_summary (change);

          append_line (self, body, line);
        }
    }

  if (changes->len > MAX_SUMMARY_LINES)
    {
      guint more = changes->len - MAX_SUMMARY_LINES;
      /* Translators: the last line of a list of parcels that changed */
      g_autofree char *line = g_strdup_printf (ngettext ("and %u more", "and %u more", more), more);

      append_line (self, body, line);
    }

  summary = g_strdup_printf (ngettext ("%u order changed status",
                                       "%u orders changed status",
                                       order_ids->len),
                             order_ids->len);

  notification = new_notification (self, summary, body->str, critical);
  add_action (self, notification, ACTION_SHOW_ORDERS, _("Show Orders"));
  add_action (self, notification, ACTION_DEFAULT, _("Show Orders"));
  g_object_set_data_full (G_OBJECT (notification), DATA_DEFAULT_ACTION,
                          g_strdup (ACTION_SHOW_ORDERS), g_free);
  g_object_set_data_full (G_OBJECT (notification), DATA_ORDER_IDS,
                          g_steal_pointer (&order_ids), (GDestroyNotify) g_array_unref);

  shown = show (self, notification);
  g_object_unref (notification);

  return shown;
}

static gboolean
wanted (WaybillNotifier           *self,
        const WaybillStatusChange *change)
{
  if (change->first_fetch)
    return FALSE;

  if (waybill_status_change_is_delay_only (change))
    return self->delay_enabled;

  return self->enabled[change->to] || (change->delayed && self->delay_enabled);
}

/* Records the change as announced; *out_new is FALSE when it already was. */
static gboolean
claim (WaybillNotifier           *self,
       const WaybillStatusChange *change,
       gboolean                  *out_new,
       GError                   **error)
{
  if (waybill_status_change_is_delay_only (change))
    return waybill_store_mark_delay_announced (self->store, change->shipment_id, out_new, error);

  return waybill_store_mark_announced (self->store, change->shipment_id, change->to,
                                       out_new, error);
}

/**
 * waybill_notifier_announce:
 * @self: a notifier
 * @changes: (element-type WaybillStatusChange): what changed in one pass
 * @error: where to put a store error
 *
 * Shows a notification for each change that is switched on, is not the
 * first answer about a shipment, and was not announced before; or one
 * summary when more than %WAYBILL_NOTIFIER_MAX_SINGLE remain.
 *
 * A missing notification server is not an error: it is logged once and
 * the changes count as announced.
 *
 * Returns: %FALSE if recording a change in the store failed; the changes
 *   recorded before it are still shown
 */
gboolean
waybill_notifier_announce (WaybillNotifier  *self,
                           GPtrArray        *changes,
                           GError          **error)
{
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (WAYBILL_IS_NOTIFIER (self), FALSE);
  g_return_val_if_fail (changes != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 0; i < changes->len; i++)
    {
      const WaybillStatusChange *change = g_ptr_array_index (changes, i);

      g_return_val_if_fail (change != NULL, FALSE);
      g_return_val_if_fail (status_is_valid (change->to), FALSE);
    }

  if (!self->active)
    return TRUE;

  due = g_ptr_array_new ();
  for (guint i = 0; i < changes->len; i++)
    {
      WaybillStatusChange *change = g_ptr_array_index (changes, i);
      gboolean is_new = FALSE;

      if (!wanted (self, change))
        continue;

      if (!claim (self, change, &is_new, &local_error))
        break;

      if (is_new)
        g_ptr_array_add (due, change);
    }

  if (due->len > WAYBILL_NOTIFIER_MAX_SINGLE)
    {
      if (show_summary (self, due))
        learn_server_caps (self);
    }
  else
    {
      for (guint i = 0; i < due->len; i++)
        {
          /* A server that failed once fails for the rest: do not wait on
           * it again. */
          if (!show_change (self, g_ptr_array_index (due, i)))
            break;
          learn_server_caps (self);
        }
    }

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}

WaybillNotifier *
waybill_notifier_new (WaybillStore *store,
                      const char   *app_id,
                      const char   *app_name)
{
  g_return_val_if_fail (WAYBILL_IS_STORE (store), NULL);
  g_return_val_if_fail (app_id != NULL && *app_id != '\0', NULL);
  g_return_val_if_fail (app_name != NULL && *app_name != '\0', NULL);

  return g_object_new (WAYBILL_TYPE_NOTIFIER,
                       "store", store,
                       "app-id", app_id,
                       "app-name", app_name,
                       NULL);
}

WaybillStore *
waybill_notifier_get_store (WaybillNotifier *self)
{
  g_return_val_if_fail (WAYBILL_IS_NOTIFIER (self), NULL);

  return self->store;
}

const char *
waybill_notifier_get_app_id (WaybillNotifier *self)
{
  g_return_val_if_fail (WAYBILL_IS_NOTIFIER (self), NULL);

  return self->app_id;
}

const char *
waybill_notifier_get_app_name (WaybillNotifier *self)
{
  g_return_val_if_fail (WAYBILL_IS_NOTIFIER (self), NULL);

  return self->app_name;
}

gboolean
waybill_notifier_get_active (WaybillNotifier *self)
{
  g_return_val_if_fail (WAYBILL_IS_NOTIFIER (self), FALSE);

  return self->active;
}

/**
 * waybill_notifier_set_active:
 *
 * The master switch: while %FALSE nothing is announced nor recorded.
 */
void
waybill_notifier_set_active (WaybillNotifier *self,
                             gboolean         active)
{
  g_return_if_fail (WAYBILL_IS_NOTIFIER (self));

  active = !!active;
  if (self->active == (guint) active)
    return;

  self->active = active;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
}

gboolean
waybill_notifier_get_enabled (WaybillNotifier *self,
                              WaybillStatus    status)
{
  g_return_val_if_fail (WAYBILL_IS_NOTIFIER (self), FALSE);
  g_return_val_if_fail (status_is_valid (status), FALSE);

  return self->enabled[status];
}

/**
 * waybill_notifier_set_enabled:
 *
 * Whether changes to @status are announced.
 */
void
waybill_notifier_set_enabled (WaybillNotifier *self,
                              WaybillStatus    status,
                              gboolean         enabled)
{
  g_return_if_fail (WAYBILL_IS_NOTIFIER (self));
  g_return_if_fail (status_is_valid (status));

  self->enabled[status] = !!enabled;
}

gboolean
waybill_notifier_get_delay_enabled (WaybillNotifier *self)
{
  g_return_val_if_fail (WAYBILL_IS_NOTIFIER (self), FALSE);

  return self->delay_enabled;
}

/**
 * waybill_notifier_set_delay_enabled:
 *
 * Whether a shipment becoming delayed is announced.
 */
void
waybill_notifier_set_delay_enabled (WaybillNotifier *self,
                                    gboolean         enabled)
{
  g_return_if_fail (WAYBILL_IS_NOTIFIER (self));

  enabled = !!enabled;
  if (self->delay_enabled == (guint) enabled)
    return;

  self->delay_enabled = enabled;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DELAY_ENABLED]);
}

static void
settings_changed_cb (WaybillNotifier *self,
                     const char      *key,
                     GSettings       *settings)
{
  for (guint i = 0; i < G_N_ELEMENTS (status_switches); i++)
    if (key == NULL || g_str_equal (key, status_switches[i].key))
      waybill_notifier_set_enabled (self, status_switches[i].status,
                                    g_settings_get_boolean (settings, status_switches[i].key));
}

/**
 * waybill_notifier_bind_settings:
 * @settings: settings of the app's schema
 *
 * Follows the switches of @settings: "notify-status-changes" as the
 * master switch, "notify-delayed" and one "notify-<status>" key per status.
 */
void
waybill_notifier_bind_settings (WaybillNotifier *self,
                                GSettings       *settings)
{
  g_return_if_fail (WAYBILL_IS_NOTIFIER (self));
  g_return_if_fail (G_IS_SETTINGS (settings));

  if (self->settings != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->settings, self);
      g_settings_unbind (self, "active");
      g_settings_unbind (self, "delay-enabled");
    }
  g_set_object (&self->settings, settings);

  g_settings_bind (settings, KEY_ACTIVE, self, "active", G_SETTINGS_BIND_GET);
  g_settings_bind (settings, KEY_DELAYED, self, "delay-enabled", G_SETTINGS_BIND_GET);
  g_signal_connect_object (settings, "changed", G_CALLBACK (settings_changed_cb), self,
                           G_CONNECT_SWAPPED);
  settings_changed_cb (self, NULL, settings);
}

static void
waybill_notifier_constructed (GObject *object)
{
  WaybillNotifier *self = WAYBILL_NOTIFIER (object);

  G_OBJECT_CLASS (waybill_notifier_parent_class)->constructed (object);

  g_assert (self->store != NULL);
  g_assert (self->app_id != NULL);

  /* libnotify is process-wide: the first caller names the process, and
   * each notification carries our own name anyway.  It never touches the
   * bus before the first notification. */
  if (!notify_is_initted ())
    notify_init (self->app_name != NULL ? self->app_name : self->app_id);
  if (self->app_name == NULL)
    self->app_name = g_strdup (self->app_id);
}

static void
waybill_notifier_dispose (GObject *object)
{
  WaybillNotifier *self = WAYBILL_NOTIFIER (object);
  NotifyNotification *notification;

  while ((notification = g_queue_pop_head (&self->live)) != NULL)
    forget_notification (self, notification);

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (waybill_notifier_parent_class)->dispose (object);
}

static void
waybill_notifier_finalize (GObject *object)
{
  WaybillNotifier *self = WAYBILL_NOTIFIER (object);

  g_free (self->app_id);
  g_free (self->app_name);

  G_OBJECT_CLASS (waybill_notifier_parent_class)->finalize (object);
}

static void
waybill_notifier_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  WaybillNotifier *self = WAYBILL_NOTIFIER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_APP_ID:
      g_value_set_string (value, self->app_id);
      break;
    case PROP_APP_NAME:
      g_value_set_string (value, self->app_name);
      break;
    case PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;
    case PROP_DELAY_ENABLED:
      g_value_set_boolean (value, self->delay_enabled);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
waybill_notifier_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  WaybillNotifier *self = WAYBILL_NOTIFIER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_APP_ID:
      self->app_id = g_value_dup_string (value);
      break;
    case PROP_APP_NAME:
      self->app_name = g_value_dup_string (value);
      break;
    case PROP_ACTIVE:
      waybill_notifier_set_active (self, g_value_get_boolean (value));
      break;
    case PROP_DELAY_ENABLED:
      waybill_notifier_set_delay_enabled (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
waybill_notifier_class_init (WaybillNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = waybill_notifier_constructed;
  object_class->dispose = waybill_notifier_dispose;
  object_class->finalize = waybill_notifier_finalize;
  object_class->get_property = waybill_notifier_get_property;
  object_class->set_property = waybill_notifier_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         WAYBILL_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /* Names the icon and the desktop entry of the notifications. */
  properties[PROP_APP_ID] =
    g_param_spec_string ("app-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_APP_NAME] =
    g_param_spec_string ("app-name", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL,
                          TRUE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  properties[PROP_DELAY_ENABLED] =
    g_param_spec_boolean ("delay-enabled", NULL, NULL,
                          DELAY_ENABLED_DEFAULT,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * WaybillNotifier::open-order:
   * @order_id: the order to show
   *
   * The "Open Order" button of a notification was clicked.
   */
  signals[OPEN_ORDER] =
    g_signal_new ("open-order",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);

  /**
   * WaybillNotifier::copy-tracking-number:
   * @tracking_number: the number to put on the clipboard
   */
  signals[COPY_TRACKING_NUMBER] =
    g_signal_new ("copy-tracking-number",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * WaybillNotifier::show-orders:
   * @order_ids: (element-type gint64): the orders of a summary notification
   *
   * The "Show Orders" button of a summary was clicked: the list should
   * show just these orders.
   */
  signals[SHOW_ORDERS] =
    g_signal_new ("show-orders",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ARRAY);
}

static void
waybill_notifier_init (WaybillNotifier *self)
{
  self->active = TRUE;
  self->delay_enabled = DELAY_ENABLED_DEFAULT;
  self->body_markup = TRUE;
  g_queue_init (&self->live);

  for (guint i = 0; i < G_N_ELEMENTS (status_switches); i++)
    self->enabled[status_switches[i].status] = status_switches[i].enabled;
}
