/* waybill-status.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-status"

#include "config.h"

#include <glib/gi18n.h>

#include "waybill-status.h"

typedef struct
{
  const char *id;
  const char *label;
  const char *icon_name;
  const char *style_class;
  /* How far along the way to the customer a parcel in this status is.  Used
   * to pick an order's "least advanced" shipment. */
  int progress;
} StatusInfo;

static const StatusInfo status_info[WAYBILL_N_STATUSES] = {
  [WAYBILL_STATUS_RECEIVED] = { "received", N_("Received"), "mail-unread-symbolic", "neutral", 0 },
  [WAYBILL_STATUS_PROCESSING] = { "processing", N_("Processing"), "emblem-system-symbolic", "neutral", 1 },
  [WAYBILL_STATUS_SHIPPED] = { "shipped", N_("Shipped"), "mail-send-symbolic", "accent", 3 },
  [WAYBILL_STATUS_CANCELLED] = { "cancelled", N_("Cancelled"), "action-unavailable-symbolic", "dim", 100 },
  [WAYBILL_STATUS_PENDING] = { "pending", N_("Pending"), "content-loading-symbolic", "neutral", 1 },
  [WAYBILL_STATUS_INFO_RECEIVED] = { "info_received", N_("Label Created"), "document-edit-symbolic", "neutral", 2 },
  [WAYBILL_STATUS_PICKED_UP] = { "picked_up", N_("Picked Up"), "mail-send-symbolic", "accent", 3 },
  [WAYBILL_STATUS_IN_TRANSIT] = { "in_transit", N_("In Transit"), "mail-send-receive-symbolic", "accent", 4 },
  [WAYBILL_STATUS_OUT_FOR_DELIVERY] = { "out_for_delivery", N_("Out for Delivery"), "go-next-symbolic", "accent", 5 },
  [WAYBILL_STATUS_AVAILABLE_FOR_PICKUP] = { "available_for_pickup", N_("Ready for Pickup"), "mark-location-symbolic", "warning", 6 },
  [WAYBILL_STATUS_FAILED_ATTEMPT] = { "failed_attempt", N_("Delivery Attempt Failed"), "dialog-warning-symbolic", "warning", 5 },
  [WAYBILL_STATUS_DELIVERED] = { "delivered", N_("Delivered"), "emblem-ok-symbolic", "success", 10 },
  [WAYBILL_STATUS_EXCEPTION] = { "exception", N_("Problem"), "dialog-error-symbolic", "error", -1 },
  [WAYBILL_STATUS_RETURNED] = { "returned", N_("Returned to Sender"), "edit-undo-symbolic", "error", 9 },
  [WAYBILL_STATUS_EXPIRED] = { "expired", N_("No Longer Tracked"), "alarm-symbolic", "dim", 9 },
};

static const struct
{
  const char *id;
  const char *label;
} reason_info[WAYBILL_N_EXCEPTION_REASONS] = {
  [WAYBILL_EXCEPTION_NONE] = { "", "" },
  [WAYBILL_EXCEPTION_CUSTOMS] = { "customs", N_("Held in customs") },
  [WAYBILL_EXCEPTION_DAMAGED] = { "damaged", N_("Damaged") },
  [WAYBILL_EXCEPTION_LOST] = { "lost", N_("Lost") },
  [WAYBILL_EXCEPTION_ADDRESS] = { "address", N_("Address problem") },
  [WAYBILL_EXCEPTION_REFUSED] = { "refused", N_("Refused by the recipient") },
  [WAYBILL_EXCEPTION_WEATHER] = { "weather", N_("Weather delay") },
  [WAYBILL_EXCEPTION_DELAY] = { "delay", N_("Carrier delay") },
  [WAYBILL_EXCEPTION_OTHER] = { "other", N_("Other problem") },
};

GType
waybill_status_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    {
      static GEnumValue values[WAYBILL_N_STATUSES + 1];
      GType type;

      for (guint i = 0; i < WAYBILL_N_STATUSES; i++)
        {
          values[i].value = i;
          values[i].value_name = status_info[i].id;
          values[i].value_nick = status_info[i].id;
        }
      type = g_enum_register_static (g_intern_static_string ("WaybillStatus"), values);
      g_once_init_leave (&type_id, type);
    }

  return type_id;
}

static gboolean
status_is_valid (WaybillStatus status)
{
  return (int) status >= 0 && status < WAYBILL_N_STATUSES;
}

const char *
waybill_status_to_id (WaybillStatus status)
{
  g_return_val_if_fail (status_is_valid (status), NULL);

  return status_info[status].id;
}

/**
 * waybill_status_from_id:
 * @id: (nullable): a status id such as "in_transit"
 *
 * Returns: the status, or %WAYBILL_STATUS_INVALID for an unknown id
 */
WaybillStatus
waybill_status_from_id (const char *id)
{
  if (id == NULL)
    return WAYBILL_STATUS_INVALID;

  for (guint i = 0; i < WAYBILL_N_STATUSES; i++)
    if (g_str_equal (id, status_info[i].id))
      return i;

  return WAYBILL_STATUS_INVALID;
}

const char *
waybill_status_get_label (WaybillStatus status)
{
  g_return_val_if_fail (status_is_valid (status), NULL);

  return g_dgettext (GETTEXT_PACKAGE, status_info[status].label);
}

const char *
waybill_status_get_icon_name (WaybillStatus status)
{
  g_return_val_if_fail (status_is_valid (status), NULL);

  return status_info[status].icon_name;
}

/* The CSS class of the status pill: one of neutral, accent, success,
 * warning, error and dim. */
const char *
waybill_status_get_style_class (WaybillStatus status)
{
  g_return_val_if_fail (status_is_valid (status), NULL);

  return status_info[status].style_class;
}

gboolean
waybill_status_is_order_stage (WaybillStatus status)
{
  return status >= WAYBILL_STATUS_RECEIVED && status <= WAYBILL_STATUS_CANCELLED;
}

/* Final statuses are never checked again by the refresher. */
gboolean
waybill_status_is_final (WaybillStatus status)
{
  return status == WAYBILL_STATUS_DELIVERED ||
         status == WAYBILL_STATUS_RETURNED ||
         status == WAYBILL_STATUS_EXPIRED ||
         status == WAYBILL_STATUS_CANCELLED;
}

gboolean
waybill_status_needs_attention (WaybillStatus status)
{
  return status == WAYBILL_STATUS_EXCEPTION ||
         status == WAYBILL_STATUS_FAILED_ATTEMPT;
}

int
waybill_status_get_progress (WaybillStatus status)
{
  g_return_val_if_fail (status_is_valid (status), 0);

  return status_info[status].progress;
}

const char *
waybill_exception_reason_to_id (WaybillExceptionReason reason)
{
  g_return_val_if_fail (reason < WAYBILL_N_EXCEPTION_REASONS, NULL);

  return reason_info[reason].id;
}

WaybillExceptionReason
waybill_exception_reason_from_id (const char *id)
{
  if (id == NULL || *id == '\0')
    return WAYBILL_EXCEPTION_NONE;

  for (guint i = 1; i < WAYBILL_N_EXCEPTION_REASONS; i++)
    if (g_str_equal (id, reason_info[i].id))
      return i;

  return WAYBILL_EXCEPTION_OTHER;
}

const char *
waybill_exception_reason_get_label (WaybillExceptionReason reason)
{
  g_return_val_if_fail (reason < WAYBILL_N_EXCEPTION_REASONS, NULL);

  if (reason == WAYBILL_EXCEPTION_NONE)
    return "";

  return g_dgettext (GETTEXT_PACKAGE, reason_info[reason].label);
}

/**
 * waybill_status_for_order:
 * @stage: the order's own stage (received, processing, shipped, cancelled)
 * @shipment_statuses: (array length=n_shipments): the statuses of the
 *   order's shipments
 * @n_shipments: the number of shipments
 *
 * The rule of DESIGN.md: a cancelled order stays cancelled; an order shows
 * its stage until it has shipments, then the least advanced status of its
 * active shipments, where an exception always wins.  "Active" leaves out
 * shipments that stopped being tracked (expired) unless none is left.
 *
 * Returns: the status to display for the order
 */
WaybillStatus
waybill_status_for_order (WaybillStatus        stage,
                          const WaybillStatus *shipment_statuses,
                          guint                n_shipments)
{
  WaybillStatus least = WAYBILL_STATUS_INVALID;
  WaybillStatus fallback = WAYBILL_STATUS_INVALID;

  g_return_val_if_fail (waybill_status_is_order_stage (stage), WAYBILL_STATUS_RECEIVED);

  if (stage == WAYBILL_STATUS_CANCELLED || n_shipments == 0)
    return stage;

  for (guint i = 0; i < n_shipments; i++)
    {
      WaybillStatus s = shipment_statuses[i];

      if (!status_is_valid (s) || waybill_status_is_order_stage (s))
        continue;

      if (s == WAYBILL_STATUS_EXCEPTION)
        return s;

      if (s == WAYBILL_STATUS_EXPIRED)
        {
          fallback = s;
          continue;
        }

      if (least == WAYBILL_STATUS_INVALID ||
          status_info[s].progress < status_info[least].progress)
        least = s;
    }

  if (least != WAYBILL_STATUS_INVALID)
    return least;
  if (fallback != WAYBILL_STATUS_INVALID)
    return fallback;

  return stage;
}
