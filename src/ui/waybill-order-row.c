/* waybill-order-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-order-row"

#include "config.h"

#include <glib/gi18n.h>

#include "waybill-format.h"
#include "waybill-order-row.h"
#include "waybill-status-style.h"

/* One order in the list: number, customer, a status pill, the delivery
 * line and the tracking number. */
struct _WaybillOrderRow
{
  GtkWidget     parent_instance;

  WaybillOrder *order;

  GtkLabel     *number_label;
  GtkLabel     *customer_label;
  GtkWidget    *delayed_badge;
  GtkWidget    *status_pill;
  GtkImage     *status_icon;
  GtkLabel     *status_label;
  GtkLabel     *delivery_label;
  GtkLabel     *tracking_label;
};

G_DEFINE_FINAL_TYPE (WaybillOrderRow, waybill_order_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ORDER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update (WaybillOrderRow *self)
{
  g_autoptr(GDateTime) now = waybill_format_now ();
  g_autofree char *line = NULL;
  g_autofree char *tracking = NULL;
  WaybillShipment *shipment;
  WaybillStatus status;

  if (self->order == NULL)
    return;

  status = waybill_order_get_display_status (self->order);
  shipment = waybill_order_get_primary_shipment (self->order);
  line = waybill_format_order_line (self->order, now);

  gtk_label_set_label (self->number_label, waybill_order_get_order_number (self->order));
  gtk_label_set_label (self->customer_label, waybill_order_get_customer (self->order));
  gtk_widget_set_visible (self->delayed_badge, waybill_order_get_delayed (self->order));
  waybill_status_style_apply (self->status_pill, self->status_icon, self->status_label, status);
  gtk_label_set_label (self->delivery_label, line);

  if (shipment != NULL)
    {
      const char *carrier = waybill_format_carrier_name (waybill_shipment_get_carrier (shipment));
      guint n = waybill_order_get_shipments (self->order)->len;

      if (n > 1)
        /* Translators: carrier, tracking number and how many more parcels */
        tracking = g_strdup_printf (_("%s %s (+%u more)"), carrier,
                                    waybill_shipment_get_tracking_number (shipment), n - 1);
      else
        tracking = g_strdup_printf ("%s %s", carrier,
                                    waybill_shipment_get_tracking_number (shipment));
    }
  gtk_label_set_label (self->tracking_label, tracking ? g_strstrip (tracking) : "");
  gtk_widget_set_visible (GTK_WIDGET (self->tracking_label), tracking != NULL);
}

static void
waybill_order_row_dispose (GObject *object)
{
  WaybillOrderRow *self = WAYBILL_ORDER_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), WAYBILL_TYPE_ORDER_ROW);
  /* The template's top box is not a bound child: unparent it here. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self));
       child != NULL;
       child = gtk_widget_get_first_child (GTK_WIDGET (self)))
    gtk_widget_unparent (child);
  g_clear_object (&self->order);

  G_OBJECT_CLASS (waybill_order_row_parent_class)->dispose (object);
}

static void
waybill_order_row_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  WaybillOrderRow *self = WAYBILL_ORDER_ROW (object);

  switch (prop_id)
    {
    case PROP_ORDER:
      g_value_set_object (value, self->order);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
waybill_order_row_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  WaybillOrderRow *self = WAYBILL_ORDER_ROW (object);

  switch (prop_id)
    {
    case PROP_ORDER:
      waybill_order_row_set_order (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
waybill_order_row_class_init (WaybillOrderRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = waybill_order_row_dispose;
  object_class->get_property = waybill_order_row_get_property;
  object_class->set_property = waybill_order_row_set_property;

  properties[PROP_ORDER] =
    g_param_spec_object ("order", NULL, NULL, WAYBILL_TYPE_ORDER,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/waybill/Waybill/waybill-order-row.ui");
  gtk_widget_class_bind_template_child (widget_class, WaybillOrderRow, number_label);
  gtk_widget_class_bind_template_child (widget_class, WaybillOrderRow, customer_label);
  gtk_widget_class_bind_template_child (widget_class, WaybillOrderRow, delayed_badge);
  gtk_widget_class_bind_template_child (widget_class, WaybillOrderRow, status_pill);
  gtk_widget_class_bind_template_child (widget_class, WaybillOrderRow, status_icon);
  gtk_widget_class_bind_template_child (widget_class, WaybillOrderRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, WaybillOrderRow, delivery_label);
  gtk_widget_class_bind_template_child (widget_class, WaybillOrderRow, tracking_label);
}

static void
waybill_order_row_init (WaybillOrderRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

WaybillOrderRow *
waybill_order_row_new (void)
{
  return g_object_new (WAYBILL_TYPE_ORDER_ROW, NULL);
}

WaybillOrder *
waybill_order_row_get_order (WaybillOrderRow *self)
{
  g_return_val_if_fail (WAYBILL_IS_ORDER_ROW (self), NULL);

  return self->order;
}

void
waybill_order_row_set_order (WaybillOrderRow *self,
                             WaybillOrder    *order)
{
  g_return_if_fail (WAYBILL_IS_ORDER_ROW (self));
  g_return_if_fail (order == NULL || WAYBILL_IS_ORDER (order));

  if (g_set_object (&self->order, order))
    {
      update (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORDER]);
    }
}
