/* waybill-status-pill.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-status-pill"

#include "config.h"

#include "waybill-status-pill.h"
#include "waybill-status-style.h"

/* A status pill as one widget, for the rows of the order list: the icon
 * and the status drawn side by side.  Its background, padding, colour,
 * font and opacity are its own CSS node's (.status-pill and the status's
 * colour class in style.css), as for the pill of the order detail, which
 * is a box with an image and a label: this one is cheaper to make, and a
 * search makes one for every row on screen. */

#define ICON_SIZE 12
#define SPACING   4

struct _WaybillStatusPill
{
  GtkWidget     parent_instance;

  const char   *icon_name;
  const char   *text;
  PangoLayout  *layout;     /* made when first needed */
  GdkPaintable *icon;       /* looked up when first drawn */
};

G_DEFINE_FINAL_TYPE (WaybillStatusPill, waybill_status_pill, GTK_TYPE_WIDGET)

static void
forget_rendering (WaybillStatusPill *self)
{
  g_clear_object (&self->layout);
  g_clear_object (&self->icon);
}

static PangoLayout *
get_layout (WaybillStatusPill *self)
{
  if (self->layout == NULL)
    self->layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), self->text);

  return self->layout;
}

static void
waybill_status_pill_measure (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  WaybillStatusPill *self = WAYBILL_STATUS_PILL (widget);
  PangoRectangle logical;

  pango_layout_get_pixel_extents (get_layout (self), NULL, &logical);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = ICON_SIZE + SPACING + logical.width;
  else
    *minimum = *natural = MAX (ICON_SIZE, logical.height);
}

static void
waybill_status_pill_snapshot (GtkWidget   *widget,
                              GtkSnapshot *snapshot)
{
  WaybillStatusPill *self = WAYBILL_STATUS_PILL (widget);
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  PangoRectangle logical;
  GdkRGBA color;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);

  if (self->icon == NULL && self->icon_name != NULL)
    self->icon = GDK_PAINTABLE (gtk_icon_theme_lookup_icon (gtk_icon_theme_get_for_display (gtk_widget_get_display (widget)),
                                                            self->icon_name, NULL, ICON_SIZE,
                                                            gtk_widget_get_scale_factor (widget),
                                                            gtk_widget_get_direction (widget), 0));
  if (self->icon != NULL)
    {
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (rtl ? width - ICON_SIZE : 0, (height - ICON_SIZE) / 2));
      gtk_symbolic_paintable_snapshot_symbolic (GTK_SYMBOLIC_PAINTABLE (self->icon), snapshot,
                                                ICON_SIZE, ICON_SIZE, &color, 1);
      gtk_snapshot_restore (snapshot);
    }

  pango_layout_get_pixel_extents (get_layout (self), NULL, &logical);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (rtl ? 0 : ICON_SIZE + SPACING,
                                                          (height - logical.height) / 2));
  gtk_snapshot_append_layout (snapshot, self->layout, &color);
  gtk_snapshot_restore (snapshot);
}

static void
waybill_status_pill_css_changed (GtkWidget         *widget,
                                 GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (waybill_status_pill_parent_class)->css_changed (widget, change);
  /* The font (size, weight) comes with the colour class; the icon theme
   * may change too. */
  forget_rendering (WAYBILL_STATUS_PILL (widget));
  gtk_widget_queue_resize (widget);
}

static void
waybill_status_pill_system_setting_changed (GtkWidget        *widget,
                                            GtkSystemSetting  setting)
{
  GTK_WIDGET_CLASS (waybill_status_pill_parent_class)->system_setting_changed (widget, setting);
  forget_rendering (WAYBILL_STATUS_PILL (widget));
  gtk_widget_queue_resize (widget);
}

static void
waybill_status_pill_direction_changed (GtkWidget        *widget,
                                       GtkTextDirection  previous)
{
  GTK_WIDGET_CLASS (waybill_status_pill_parent_class)->direction_changed (widget, previous);
  forget_rendering (WAYBILL_STATUS_PILL (widget));
  gtk_widget_queue_resize (widget);
}

static void
waybill_status_pill_dispose (GObject *object)
{
  forget_rendering (WAYBILL_STATUS_PILL (object));

  G_OBJECT_CLASS (waybill_status_pill_parent_class)->dispose (object);
}

static void
waybill_status_pill_class_init (WaybillStatusPillClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = waybill_status_pill_dispose;
  widget_class->measure = waybill_status_pill_measure;
  widget_class->snapshot = waybill_status_pill_snapshot;
  widget_class->css_changed = waybill_status_pill_css_changed;
  widget_class->system_setting_changed = waybill_status_pill_system_setting_changed;
  widget_class->direction_changed = waybill_status_pill_direction_changed;

  /* The same node as the detail's pill, a box, for the same style. */
  gtk_widget_class_set_css_name (widget_class, "box");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
waybill_status_pill_init (WaybillStatusPill *self)
{
  gtk_widget_add_css_class (GTK_WIDGET (self), "status-pill");
}

GtkWidget *
waybill_status_pill_new (void)
{
  return g_object_new (WAYBILL_TYPE_STATUS_PILL, NULL);
}

/* Shows @status: its icon, its name and its colour. */
void
waybill_status_pill_set_status (WaybillStatusPill *self,
                                WaybillStatus      status)
{
  g_return_if_fail (WAYBILL_IS_STATUS_PILL (self));

  waybill_status_style_set_class (GTK_WIDGET (self), status);
  self->icon_name = waybill_status_get_icon_name (status);
  self->text = waybill_status_get_label (status);
  forget_rendering (self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, self->text, -1);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

/* The status's name, as shown. */
const char *
waybill_status_pill_get_text (WaybillStatusPill *self)
{
  g_return_val_if_fail (WAYBILL_IS_STATUS_PILL (self), NULL);

  return self->text;
}
