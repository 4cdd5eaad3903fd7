/* waybill-order.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-order"

#include "config.h"

#include <glib/gi18n.h>

#include "waybill-order.h"
#include "waybill-util-private.h"

/* An order of the shop.  The display status and the delayed flag are
 * derived from the shipments (waybill_order_update_display_status()); the
 * store keeps them in the database so that lists can filter on them. */

struct _WaybillOrder
{
  GObject parent_instance;

  gint64 id;
  char *order_number;
  char *customer;
  char *email;
  char *phone;
  char *address;
  char *items;
  double total;
  char *currency;
  char *note;
  WaybillStatus stage;
  WaybillStatus display_status;
  gboolean delayed;
  gboolean archived;
  GDateTime *created;
  GDateTime *updated;
  GPtrArray *shipments;
};

G_DEFINE_FINAL_TYPE (WaybillOrder, waybill_order, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_ORDER_NUMBER,
  PROP_CUSTOMER,
  PROP_EMAIL,
  PROP_PHONE,
  PROP_ADDRESS,
  PROP_ITEMS,
  PROP_TOTAL,
  PROP_CURRENCY,
  PROP_NOTE,
  PROP_STAGE,
  PROP_DISPLAY_STATUS,
  PROP_DELAYED,
  PROP_ARCHIVED,
  PROP_CREATED,
  PROP_UPDATED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
waybill_order_finalize (GObject *object)
{
  WaybillOrder *self = (WaybillOrder *)object;

  g_clear_pointer (&self->order_number, g_free);
  g_clear_pointer (&self->customer, g_free);
  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->phone, g_free);
  g_clear_pointer (&self->address, g_free);
  g_clear_pointer (&self->items, g_free);
  g_clear_pointer (&self->currency, g_free);
  g_clear_pointer (&self->note, g_free);
  g_clear_pointer (&self->created, g_date_time_unref);
  g_clear_pointer (&self->updated, g_date_time_unref);
  g_clear_pointer (&self->shipments, g_ptr_array_unref);

  G_OBJECT_CLASS (waybill_order_parent_class)->finalize (object);
}

static void
waybill_order_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  WaybillOrder *self = WAYBILL_ORDER (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_ORDER_NUMBER:
      g_value_set_string (value, self->order_number);
      break;
    case PROP_CUSTOMER:
      g_value_set_string (value, self->customer);
      break;
    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;
    case PROP_PHONE:
      g_value_set_string (value, self->phone);
      break;
    case PROP_ADDRESS:
      g_value_set_string (value, self->address);
      break;
    case PROP_ITEMS:
      g_value_set_string (value, self->items);
      break;
    case PROP_TOTAL:
      g_value_set_double (value, self->total);
      break;
    case PROP_CURRENCY:
      g_value_set_string (value, self->currency);
      break;
    case PROP_NOTE:
      g_value_set_string (value, self->note);
      break;
    case PROP_STAGE:
      g_value_set_enum (value, self->stage);
      break;
    case PROP_DISPLAY_STATUS:
      g_value_set_enum (value, self->display_status);
      break;
    case PROP_DELAYED:
      g_value_set_boolean (value, self->delayed);
      break;
    case PROP_ARCHIVED:
      g_value_set_boolean (value, self->archived);
      break;
    case PROP_CREATED:
      g_value_set_boxed (value, self->created);
      break;
    case PROP_UPDATED:
      g_value_set_boxed (value, self->updated);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
waybill_order_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  WaybillOrder *self = WAYBILL_ORDER (object);

  switch (prop_id)
    {
    case PROP_ID:
      waybill_order_set_id (self, g_value_get_int64 (value));
      break;
    case PROP_ORDER_NUMBER:
      waybill_order_set_order_number (self, g_value_get_string (value));
      break;
    case PROP_CUSTOMER:
      waybill_order_set_customer (self, g_value_get_string (value));
      break;
    case PROP_EMAIL:
      waybill_order_set_email (self, g_value_get_string (value));
      break;
    case PROP_PHONE:
      waybill_order_set_phone (self, g_value_get_string (value));
      break;
    case PROP_ADDRESS:
      waybill_order_set_address (self, g_value_get_string (value));
      break;
    case PROP_ITEMS:
      waybill_order_set_items (self, g_value_get_string (value));
      break;
    case PROP_TOTAL:
      waybill_order_set_total (self, g_value_get_double (value));
      break;
    case PROP_CURRENCY:
      waybill_order_set_currency (self, g_value_get_string (value));
      break;
    case PROP_NOTE:
      waybill_order_set_note (self, g_value_get_string (value));
      break;
    case PROP_STAGE:
      waybill_order_set_stage (self, g_value_get_enum (value));
      break;
    case PROP_DISPLAY_STATUS:
      waybill_order_set_display_status (self, g_value_get_enum (value));
      break;
    case PROP_DELAYED:
      waybill_order_set_delayed (self, g_value_get_boolean (value));
      break;
    case PROP_ARCHIVED:
      waybill_order_set_archived (self, g_value_get_boolean (value));
      break;
    case PROP_CREATED:
      waybill_order_set_created (self, g_value_get_boxed (value));
      break;
    case PROP_UPDATED:
      waybill_order_set_updated (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
waybill_order_class_init (WaybillOrderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = waybill_order_finalize;
  object_class->get_property = waybill_order_get_property;
  object_class->set_property = waybill_order_set_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ORDER_NUMBER] =
    g_param_spec_string ("order-number", NULL, NULL, NULL,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CUSTOMER] =
    g_param_spec_string ("customer", NULL, NULL, NULL,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_EMAIL] =
    g_param_spec_string ("email", NULL, NULL, NULL,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PHONE] =
    g_param_spec_string ("phone", NULL, NULL, NULL,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ADDRESS] =
    g_param_spec_string ("address", NULL, NULL, NULL,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ITEMS] =
    g_param_spec_string ("items", NULL, NULL, NULL,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_TOTAL] =
    g_param_spec_double ("total", NULL, NULL, 0, G_MAXDOUBLE, 0,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CURRENCY] =
    g_param_spec_string ("currency", NULL, NULL, NULL,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_NOTE] =
    g_param_spec_string ("note", NULL, NULL, NULL,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_STAGE] =
    g_param_spec_enum ("stage", NULL, NULL, WAYBILL_TYPE_STATUS, WAYBILL_STATUS_RECEIVED,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DISPLAY_STATUS] =
    g_param_spec_enum ("display-status", NULL, NULL, WAYBILL_TYPE_STATUS, WAYBILL_STATUS_RECEIVED,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DELAYED] =
    g_param_spec_boolean ("delayed", NULL, NULL, FALSE,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ARCHIVED] =
    g_param_spec_boolean ("archived", NULL, NULL, FALSE,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CREATED] =
    g_param_spec_boxed ("created", NULL, NULL, G_TYPE_DATE_TIME,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_UPDATED] =
    g_param_spec_boxed ("updated", NULL, NULL, G_TYPE_DATE_TIME,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
waybill_order_init (WaybillOrder *self)
{
  self->stage = WAYBILL_STATUS_RECEIVED;
  self->display_status = WAYBILL_STATUS_RECEIVED;
  self->shipments = g_ptr_array_new_with_free_func (g_object_unref);
}

gint64
waybill_order_get_id (WaybillOrder *self)
{
  g_return_val_if_fail (WAYBILL_IS_ORDER (self), 0);

  return self->id;
}

void
waybill_order_set_id (WaybillOrder *self,
                      gint64 id)
{
  g_return_if_fail (WAYBILL_IS_ORDER (self));

  if (self->id != id)
    {
      self->id = id;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
    }
}

const char *
waybill_order_get_order_number (WaybillOrder *self)
{
  g_return_val_if_fail (WAYBILL_IS_ORDER (self), NULL);

  return self->order_number;
}

void
waybill_order_set_order_number (WaybillOrder *self,
                                const char *order_number)
{
  g_return_if_fail (WAYBILL_IS_ORDER (self));

  if (waybill_set_str (&self->order_number, order_number))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORDER_NUMBER]);
}

const char *
waybill_order_get_customer (WaybillOrder *self)
{
  g_return_val_if_fail (WAYBILL_IS_ORDER (self), NULL);

  return self->customer;
}

void
waybill_order_set_customer (WaybillOrder *self,
                            const char *customer)
{
  g_return_if_fail (WAYBILL_IS_ORDER (self));

  if (waybill_set_str (&self->customer, customer))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CUSTOMER]);
}

const char *
waybill_order_get_email (WaybillOrder *self)
{
  g_return_val_if_fail (WAYBILL_IS_ORDER (self), NULL);

  return self->email;
}

void
waybill_order_set_email (WaybillOrder *self,
                         const char *email)
{
  g_return_if_fail (WAYBILL_IS_ORDER (self));

  if (waybill_set_str (&self->email, email))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EMAIL]);
}

const char *
waybill_order_get_phone (WaybillOrder *self)
{
  g_return_val_if_fail (WAYBILL_IS_ORDER (self), NULL);

  return self->phone;
}

void
waybill_order_set_phone (WaybillOrder *self,
                         const char *phone)
{
  g_return_if_fail (WAYBILL_IS_ORDER (self));

  if (waybill_set_str (&self->phone, phone))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PHONE]);
}

const char *
waybill_order_get_address (WaybillOrder *self)
{
  g_return_val_if_fail (WAYBILL_IS_ORDER (self), NULL);

  return self->address;
}

void
waybill_order_set_address (WaybillOrder *self,
                           const char *address)
{
  g_return_if_fail (WAYBILL_IS_ORDER (self));

  if (waybill_set_str (&self->address, address))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ADDRESS]);
}

const char *
waybill_order_get_items (WaybillOrder *self)
{
  g_return_val_if_fail (WAYBILL_IS_ORDER (self), NULL);

  return self->items;
}

void
waybill_order_set_items (WaybillOrder *self,
                         const char *items)
{
  g_return_if_fail (WAYBILL_IS_ORDER (self));

  if (waybill_set_str (&self->items, items))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEMS]);
}

double
waybill_order_get_total (WaybillOrder *self)
{
  g_return_val_if_fail (WAYBILL_IS_ORDER (self), 0);

  return self->total;
}

void
waybill_order_set_total (WaybillOrder *self,
                         double total)
{
  g_return_if_fail (WAYBILL_IS_ORDER (self));

  if (self->total != total)
    {
      self->total = total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
    }
}

const char *
waybill_order_get_currency (WaybillOrder *self)
{
  g_return_val_if_fail (WAYBILL_IS_ORDER (self), NULL);

  return self->currency;
}

void
waybill_order_set_currency (WaybillOrder *self,
                            const char *currency)
{
  g_return_if_fail (WAYBILL_IS_ORDER (self));

  if (waybill_set_str (&self->currency, currency))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENCY]);
}

const char *
waybill_order_get_note (WaybillOrder *self)
{
  g_return_val_if_fail (WAYBILL_IS_ORDER (self), NULL);

  return self->note;
}

void
waybill_order_set_note (WaybillOrder *self,
                        const char *note)
{
  g_return_if_fail (WAYBILL_IS_ORDER (self));

  if (waybill_set_str (&self->note, note))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOTE]);
}

WaybillStatus
waybill_order_get_stage (WaybillOrder *self)
{
  g_return_val_if_fail (WAYBILL_IS_ORDER (self), WAYBILL_STATUS_INVALID);

  return self->stage;
}

void
waybill_order_set_stage (WaybillOrder *self,
                         WaybillStatus stage)
{
  g_return_if_fail (WAYBILL_IS_ORDER (self));

  if (self->stage != stage)
    {
      self->stage = stage;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STAGE]);
    }
}

WaybillStatus
waybill_order_get_display_status (WaybillOrder *self)
{
  g_return_val_if_fail (WAYBILL_IS_ORDER (self), WAYBILL_STATUS_INVALID);

  return self->display_status;
}

void
waybill_order_set_display_status (WaybillOrder *self,
                                  WaybillStatus display_status)
{
  g_return_if_fail (WAYBILL_IS_ORDER (self));

  if (self->display_status != display_status)
    {
      self->display_status = display_status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISPLAY_STATUS]);
    }
}

gboolean
waybill_order_get_delayed (WaybillOrder *self)
{
  g_return_val_if_fail (WAYBILL_IS_ORDER (self), FALSE);

  return self->delayed;
}

void
waybill_order_set_delayed (WaybillOrder *self,
                           gboolean delayed)
{
  g_return_if_fail (WAYBILL_IS_ORDER (self));

  if (self->delayed != !!delayed)
    {
      self->delayed = !!delayed;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DELAYED]);
    }
}

gboolean
waybill_order_get_archived (WaybillOrder *self)
{
  g_return_val_if_fail (WAYBILL_IS_ORDER (self), FALSE);

  return self->archived;
}

void
waybill_order_set_archived (WaybillOrder *self,
                            gboolean archived)
{
  g_return_if_fail (WAYBILL_IS_ORDER (self));

  if (self->archived != !!archived)
    {
      self->archived = !!archived;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ARCHIVED]);
    }
}

GDateTime *
waybill_order_get_created (WaybillOrder *self)
{
  g_return_val_if_fail (WAYBILL_IS_ORDER (self), NULL);

  return self->created;
}

void
waybill_order_set_created (WaybillOrder *self,
                           GDateTime *created)
{
  g_return_if_fail (WAYBILL_IS_ORDER (self));

  if (waybill_set_date_time (&self->created, created))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREATED]);
}

GDateTime *
waybill_order_get_updated (WaybillOrder *self)
{
  g_return_val_if_fail (WAYBILL_IS_ORDER (self), NULL);

  return self->updated;
}

void
waybill_order_set_updated (WaybillOrder *self,
                           GDateTime *updated)
{
  g_return_if_fail (WAYBILL_IS_ORDER (self));

  if (waybill_set_date_time (&self->updated, updated))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED]);
}

WaybillOrder *
waybill_order_new (const char *order_number,
                   const char *customer)
{
  return g_object_new (WAYBILL_TYPE_ORDER,
                       "order-number", order_number,
                       "customer", customer,
                       NULL);
}

/**
 * waybill_order_get_shipments:
 *
 * Returns: (transfer none) (element-type WaybillShipment): the shipments
 */
GPtrArray *
waybill_order_get_shipments (WaybillOrder *self)
{
  g_return_val_if_fail (WAYBILL_IS_ORDER (self), NULL);

  return self->shipments;
}

void
waybill_order_add_shipment (WaybillOrder    *self,
                            WaybillShipment *shipment)
{
  g_return_if_fail (WAYBILL_IS_ORDER (self));
  g_return_if_fail (WAYBILL_IS_SHIPMENT (shipment));

  g_ptr_array_add (self->shipments, g_object_ref (shipment));
  waybill_order_update_display_status (self);
}

/**
 * waybill_order_update_display_status:
 *
 * Recomputes the display status and the delayed flag from the stage and
 * the shipments, by the rule of waybill_status_for_order().
 */
void
waybill_order_update_display_status (WaybillOrder *self)
{
  g_autofree WaybillStatus *statuses = NULL;
  gboolean delayed = FALSE;

  g_return_if_fail (WAYBILL_IS_ORDER (self));

  statuses = g_new0 (WaybillStatus, MAX (self->shipments->len, 1));
  for (guint i = 0; i < self->shipments->len; i++)
    {
      WaybillShipment *shipment = g_ptr_array_index (self->shipments, i);

      statuses[i] = waybill_shipment_get_status (shipment);
      delayed |= waybill_shipment_get_delayed (shipment);
    }

  waybill_order_set_display_status (self, waybill_status_for_order (self->stage, statuses,
                                                                    self->shipments->len));
  waybill_order_set_delayed (self, delayed);
}

/**
 * waybill_order_get_primary_shipment:
 *
 * The shipment that decides the order's display status: the one the list
 * shows carrier, tracking number and delivery line for.
 *
 * Returns: (transfer none) (nullable): the shipment, or %NULL
 */
WaybillShipment *
waybill_order_get_primary_shipment (WaybillOrder *self)
{
  g_return_val_if_fail (WAYBILL_IS_ORDER (self), NULL);

  for (guint i = 0; i < self->shipments->len; i++)
    {
      WaybillShipment *shipment = g_ptr_array_index (self->shipments, i);

      if (waybill_shipment_get_status (shipment) == self->display_status)
        return shipment;
    }

  return self->shipments->len > 0 ? g_ptr_array_index (self->shipments, 0) : NULL;
}
