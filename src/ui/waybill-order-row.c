/* waybill-order-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-order-row"

#include "config.h"

#include <glib/gi18n.h>

#include "waybill-format.h"
#include "waybill-order-row.h"
#include "waybill-status-pill.h"

/* One order in the list: number, customer, a status pill, the delivery
 * line and the tracking number.
 *
 *   NUMBER  Customer name …                    [Delayed]
 *   (● Status)  delivery line …
 *   Carrier tracking number …
 *
 * A search replaces every row on screen, so a row must be cheap to make:
 * it lays out and draws its texts itself with Pango, and only the status
 * pill (one widget: its colours and font come from style.css through
 * waybill-status-style) and the Delayed badge are widgets of their own.
 * The fonts follow the list's font and libadwaita's type classes: the
 * number as .heading, the delivery and tracking lines as .caption, the
 * tracking line dimmed as .dim-label.  The badge is made the first time
 * an order is delayed. */

#define MARGIN_Y     6
#define MARGIN_X     4
#define LINE_SPACING 3
#define SPACING      6
#define HEADING_PT   11
#define CAPTION_PT   9
#define DIM_OPACITY  0.55

struct _WaybillOrderRow
{
  GtkWidget     parent_instance;

  WaybillOrder *order;

  char         *number;
  char         *customer;
  char         *delivery;
  char         *tracking;   /* NULL: no parcel, no third line */

  /* Made from the texts when first needed, dropped when the texts or the
   * fonts change. */
  PangoLayout  *number_layout;
  PangoLayout  *customer_layout;
  PangoLayout  *delivery_layout;
  PangoLayout  *tracking_layout;
  PangoFontDescription *font;   /* the row's font the layouts were made with */
  int           number_width, number_height;
  int           customer_width, customer_height;
  int           delivery_width, delivery_height;
  int           tracking_width, tracking_height;
  int           ellipsis_width;

  GtkWidget    *status_pill;
  GtkWidget    *delayed_badge;   /* NULL until an order is delayed */

  /* Where size_allocate put the texts. */
  int           number_x, customer_x, line1_y, line1_height;
  int           delivery_x, line2_y, line2_height;
  int           line3_y, line3_height;
};

G_DEFINE_FINAL_TYPE (WaybillOrderRow, waybill_order_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ORDER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
clear_layouts (WaybillOrderRow *self)
{
  g_clear_object (&self->number_layout);
  g_clear_object (&self->customer_layout);
  g_clear_object (&self->delivery_layout);
  g_clear_object (&self->tracking_layout);
  g_clear_pointer (&self->font, pango_font_description_free);
}

static PangoLayout *
make_layout (WaybillOrderRow    *self,
             const char         *text,
             int                 points,
             PangoWeight         weight,
             PangoEllipsizeMode  ellipsize)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);

  if (points > 0 || weight != PANGO_WEIGHT_NORMAL)
    {
      PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
      g_autoptr(PangoFontDescription) font = pango_font_description_copy (pango_context_get_font_description (context));

      if (points > 0)
        pango_font_description_set_size (font, points * PANGO_SCALE);
      pango_font_description_set_weight (font, weight);
      pango_layout_set_font_description (layout, font);
    }
  pango_layout_set_ellipsize (layout, ellipsize);
  pango_layout_set_single_paragraph_mode (layout, TRUE);

  return layout;
}

/* The natural size of @layout, before it is given a width to draw in. */
static void
natural_size (PangoLayout *layout,
              int         *width,
              int         *height)
{
  PangoRectangle logical;

  pango_layout_get_pixel_extents (layout, NULL, &logical);
  *width = logical.width;
  *height = logical.height;
}

static void
ensure_layouts (WaybillOrderRow *self)
{
  const PangoFontDescription *font = pango_context_get_font_description (gtk_widget_get_pango_context (GTK_WIDGET (self)));

  if (self->number_layout != NULL && self->font != NULL && pango_font_description_equal (self->font, font))
    return;

  clear_layouts (self);
  self->font = pango_font_description_copy (font);
  self->number_layout = make_layout (self, self->number, HEADING_PT, PANGO_WEIGHT_BOLD, PANGO_ELLIPSIZE_NONE);
  self->customer_layout = make_layout (self, self->customer, 0, PANGO_WEIGHT_NORMAL, PANGO_ELLIPSIZE_END);
  self->delivery_layout = make_layout (self, self->delivery, CAPTION_PT, PANGO_WEIGHT_NORMAL, PANGO_ELLIPSIZE_END);
  self->tracking_layout = make_layout (self, self->tracking, CAPTION_PT, PANGO_WEIGHT_NORMAL,
                                       PANGO_ELLIPSIZE_MIDDLE);
  natural_size (self->number_layout, &self->number_width, &self->number_height);
  natural_size (self->customer_layout, &self->customer_width, &self->customer_height);
  natural_size (self->delivery_layout, &self->delivery_width, &self->delivery_height);
  natural_size (self->tracking_layout, &self->tracking_width, &self->tracking_height);

  /* What an ellipsized text needs at the least, as GtkLabel counts it. */
  {
    g_autoptr(PangoLayout) ellipsis = gtk_widget_create_pango_layout (GTK_WIDGET (self), "…");

    pango_layout_get_pixel_size (ellipsis, &self->ellipsis_width, NULL);
  }
}

static void
child_size (GtkWidget *child,
            int       *width,
            int       *height)
{
  if (child == NULL || !gtk_widget_get_visible (child))
    {
      *width = *height = 0;
      return;
    }
  gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, NULL, width, NULL, NULL);
  gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, -1, NULL, height, NULL, NULL);
}

static gboolean
badge_shown (WaybillOrderRow *self)
{
  return self->delayed_badge != NULL && gtk_widget_get_visible (self->delayed_badge);
}

/* The height of each line. */
static void
line_heights (WaybillOrderRow *self,
              int             *line1,
              int             *line2,
              int             *line3)
{
  int w, h;

  *line1 = MAX (self->number_height, self->customer_height);
  child_size (self->delayed_badge, &w, &h);
  *line1 = MAX (*line1, h);
  child_size (self->status_pill, &w, &h);
  *line2 = MAX (self->delivery_height, h);
  *line3 = self->tracking != NULL ? self->tracking_height : 0;
}

static void
waybill_order_row_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  WaybillOrderRow *self = WAYBILL_ORDER_ROW (widget);

  ensure_layouts (self);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      int number_w = self->number_width, customer_w = self->customer_width;
      int delivery_w = self->delivery_width, tracking_w = self->tracking_width;
      int badge_w, pill_w, h;
      int line1_min, line1_nat, line2_min, line2_nat, line3_min, line3_nat;

      child_size (self->delayed_badge, &badge_w, &h);
      child_size (self->status_pill, &pill_w, &h);

      line1_min = number_w + SPACING + MIN (customer_w, self->ellipsis_width);
      line1_nat = number_w + SPACING + customer_w;
      if (badge_shown (self))
        {
          line1_min += SPACING + badge_w;
          line1_nat += SPACING + badge_w;
        }
      line2_min = pill_w + SPACING + MIN (delivery_w, self->ellipsis_width);
      line2_nat = pill_w + SPACING + delivery_w;
      line3_min = self->tracking != NULL ? MIN (tracking_w, self->ellipsis_width) : 0;
      line3_nat = self->tracking != NULL ? tracking_w : 0;

      *minimum = 2 * MARGIN_X + MAX (line1_min, MAX (line2_min, line3_min));
      *natural = 2 * MARGIN_X + MAX (line1_nat, MAX (line2_nat, line3_nat));
    }
  else
    {
      int line1, line2, line3;

      line_heights (self, &line1, &line2, &line3);
      *minimum = *natural = 2 * MARGIN_Y + line1 + LINE_SPACING + line2 +
                            (self->tracking != NULL ? LINE_SPACING + line3 : 0);
    }
}

/* Mirrors @x for right-to-left text. */
static int
flip (GtkWidget *widget,
      int        x,
      int        width)
{
  if (gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL)
    return gtk_widget_get_width (widget) - x - width;
  return x;
}

static void
waybill_order_row_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  WaybillOrderRow *self = WAYBILL_ORDER_ROW (widget);
  int number_w = self->number_width, badge_w = 0, badge_h = 0, pill_w, pill_h, rest;

  ensure_layouts (self);
  line_heights (self, &self->line1_height, &self->line2_height, &self->line3_height);
  self->line1_y = MARGIN_Y;
  self->line2_y = self->line1_y + self->line1_height + LINE_SPACING;
  self->line3_y = self->line2_y + self->line2_height + LINE_SPACING;

  /* Line 1: the number whole, the customer in what is left, the badge at
   * the end. */
  self->number_x = MARGIN_X;
  self->customer_x = MARGIN_X + number_w + SPACING;
  rest = width - MARGIN_X - self->customer_x;
  if (badge_shown (self))
    {
      child_size (self->delayed_badge, &badge_w, &badge_h);
      rest -= SPACING + badge_w;
      gtk_widget_size_allocate (self->delayed_badge,
                                &(GtkAllocation) {
                                  flip (widget, width - MARGIN_X - badge_w, badge_w),
                                  self->line1_y + (self->line1_height - badge_h) / 2,
                                  badge_w, badge_h
                                }, -1);
    }
  pango_layout_set_width (self->customer_layout, MAX (rest, 0) * PANGO_SCALE);

  /* Line 2: the pill, then the delivery line. */
  child_size (self->status_pill, &pill_w, &pill_h);
  gtk_widget_size_allocate (self->status_pill,
                            &(GtkAllocation) {
                              flip (widget, MARGIN_X, pill_w),
                              self->line2_y + (self->line2_height - pill_h) / 2,
                              pill_w, pill_h
                            }, -1);
  self->delivery_x = MARGIN_X + pill_w + SPACING;
  pango_layout_set_width (self->delivery_layout, MAX (width - MARGIN_X - self->delivery_x, 0) * PANGO_SCALE);

  /* Line 3: the tracking number. */
  pango_layout_set_width (self->tracking_layout, MAX (width - 2 * MARGIN_X, 0) * PANGO_SCALE);
}

/* Draws @layout at the start of its place (@x and the layout's width, or
 * the text's), centred up and down like a label.  The text is placed by
 * its own extents, not by the layout's alignment: Pango swaps left and
 * right alignment for a paragraph whose direction differs from the
 * widget's (a Latin tracking number in a right-to-left window, a Hebrew
 * name in a left-to-right one). */
static void
draw_text (WaybillOrderRow *self,
           GtkSnapshot     *snapshot,
           PangoLayout     *layout,
           int              x,
           int              line_y,
           int              line_height,
           const GdkRGBA   *color)
{
  PangoRectangle logical;
  int width, text_x;

  pango_layout_get_pixel_extents (layout, NULL, &logical);
  width = pango_layout_get_width (layout) >= 0 ? pango_layout_get_width (layout) / PANGO_SCALE : logical.width;
  text_x = flip (GTK_WIDGET (self), x, width);
  if (gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL)
    text_x += width - logical.width;

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (text_x - logical.x,
                                                          line_y + (line_height - logical.height) / 2));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
waybill_order_row_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  WaybillOrderRow *self = WAYBILL_ORDER_ROW (widget);
  GdkRGBA color;
  int width = gtk_widget_get_width (widget);

  if (self->order == NULL)
    return;

  ensure_layouts (self);
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);

  /* Texts wider than the row are cut where they leave it. */
  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, gtk_widget_get_height (widget)));

  /* The number is drawn at its natural width, never ellipsized. */
  pango_layout_set_width (self->number_layout, -1);
  draw_text (self, snapshot, self->number_layout, self->number_x, self->line1_y, self->line1_height, &color);
  draw_text (self, snapshot, self->customer_layout, self->customer_x, self->line1_y, self->line1_height, &color);
  draw_text (self, snapshot, self->delivery_layout, self->delivery_x, self->line2_y, self->line2_height, &color);
  if (self->tracking != NULL)
    {
      gtk_snapshot_push_opacity (snapshot, DIM_OPACITY);
      draw_text (self, snapshot, self->tracking_layout, MARGIN_X, self->line3_y, self->line3_height, &color);
      gtk_snapshot_pop (snapshot);
    }
  gtk_snapshot_pop (snapshot);

  gtk_widget_snapshot_child (widget, self->status_pill, snapshot);
  if (badge_shown (self))
    gtk_widget_snapshot_child (widget, self->delayed_badge, snapshot);
}

/* The fonts changed (the text size, the font, the theme): lay out again. */
static void
fonts_changed (WaybillOrderRow *self)
{
  clear_layouts (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static void
waybill_order_row_css_changed (GtkWidget         *widget,
                               GtkCssStyleChange *change)
{
  WaybillOrderRow *self = WAYBILL_ORDER_ROW (widget);
  PangoContext *context;

  GTK_WIDGET_CLASS (waybill_order_row_parent_class)->css_changed (widget, change);
  /* Not for a colour (selected, hovered): the snapshot reads it anew. */
  context = gtk_widget_get_pango_context (widget);
  if (self->font != NULL && !pango_font_description_equal (self->font, pango_context_get_font_description (context)))
    fonts_changed (self);
}

static void
waybill_order_row_system_setting_changed (GtkWidget        *widget,
                                          GtkSystemSetting  setting)
{
  GTK_WIDGET_CLASS (waybill_order_row_parent_class)->system_setting_changed (widget, setting);
  fonts_changed (WAYBILL_ORDER_ROW (widget));
}

static void
waybill_order_row_direction_changed (GtkWidget        *widget,
                                     GtkTextDirection  previous)
{
  GTK_WIDGET_CLASS (waybill_order_row_parent_class)->direction_changed (widget, previous);
  fonts_changed (WAYBILL_ORDER_ROW (widget));
}

static void
update (WaybillOrderRow *self)
{
  WaybillShipment *shipment;
  WaybillStatus status;
  gboolean delayed;

  g_clear_pointer (&self->number, g_free);
  g_clear_pointer (&self->customer, g_free);
  g_clear_pointer (&self->delivery, g_free);
  g_clear_pointer (&self->tracking, g_free);
  clear_layouts (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));

  if (self->order == NULL)
    {
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL);
      return;
    }

  {
    g_autoptr(GDateTime) now = waybill_format_now ();

    self->delivery = waybill_format_order_line (self->order, now);
  }
  self->number = g_strdup (waybill_order_get_order_number (self->order));
  self->customer = g_strdup (waybill_order_get_customer (self->order));
  if (self->delivery == NULL)
    self->delivery = g_strdup ("");

  status = waybill_order_get_display_status (self->order);
  waybill_status_pill_set_status (WAYBILL_STATUS_PILL (self->status_pill), status);

  delayed = waybill_order_get_delayed (self->order);
  if (delayed && self->delayed_badge == NULL)
    {
      self->delayed_badge = gtk_label_new (_("Delayed"));
      gtk_widget_add_css_class (self->delayed_badge, "badge");
      gtk_widget_add_css_class (self->delayed_badge, "warning");
      gtk_widget_set_parent (self->delayed_badge, GTK_WIDGET (self));
    }
  if (self->delayed_badge != NULL)
    gtk_widget_set_visible (self->delayed_badge, delayed);

  shipment = waybill_order_get_primary_shipment (self->order);
  if (shipment != NULL)
    {
      const char *carrier = waybill_format_carrier_name (waybill_shipment_get_carrier (shipment));
      guint n = waybill_order_get_shipments (self->order)->len;

      if (n > 1)
        /* Translators: carrier, tracking number and how many more parcels */
        self->tracking = g_strdup_printf (_("%s %s (+%u more)"), carrier,
                                          waybill_shipment_get_tracking_number (shipment), n - 1);
      else
        self->tracking = g_strdup_printf ("%s %s", carrier,
                                          waybill_shipment_get_tracking_number (shipment));
      g_strstrip (self->tracking);
    }

  /* A screen reader reads the row as one: everything it shows. */
  {
    g_auto(GStrv) texts = waybill_order_row_dup_texts (self);
    g_autofree char *label = g_strjoinv (", ", texts);

    gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  }
}

static void
waybill_order_row_dispose (GObject *object)
{
  WaybillOrderRow *self = WAYBILL_ORDER_ROW (object);

  g_clear_pointer (&self->status_pill, gtk_widget_unparent);
  g_clear_pointer (&self->delayed_badge, gtk_widget_unparent);
  g_clear_object (&self->order);
  clear_layouts (self);

  G_OBJECT_CLASS (waybill_order_row_parent_class)->dispose (object);
}

static void
waybill_order_row_finalize (GObject *object)
{
  WaybillOrderRow *self = WAYBILL_ORDER_ROW (object);

  g_free (self->number);
  g_free (self->customer);
  g_free (self->delivery);
  g_free (self->tracking);

  G_OBJECT_CLASS (waybill_order_row_parent_class)->finalize (object);
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
  object_class->finalize = waybill_order_row_finalize;
  object_class->get_property = waybill_order_row_get_property;
  object_class->set_property = waybill_order_row_set_property;

  widget_class->measure = waybill_order_row_measure;
  widget_class->size_allocate = waybill_order_row_size_allocate;
  widget_class->snapshot = waybill_order_row_snapshot;
  widget_class->css_changed = waybill_order_row_css_changed;
  widget_class->system_setting_changed = waybill_order_row_system_setting_changed;
  widget_class->direction_changed = waybill_order_row_direction_changed;

  properties[PROP_ORDER] =
    g_param_spec_object ("order", NULL, NULL, WAYBILL_TYPE_ORDER,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "orderrow");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
waybill_order_row_init (WaybillOrderRow *self)
{
  self->status_pill = waybill_status_pill_new ();
  gtk_widget_set_parent (self->status_pill, GTK_WIDGET (self));
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

/* Whether a text of the row did not fit and is drawn ellipsized, as
 * pango_layout_is_ellipsized() says for a label; FALSE before the row is
 * laid out. */
gboolean
waybill_order_row_get_cut_short (WaybillOrderRow *self)
{
  g_return_val_if_fail (WAYBILL_IS_ORDER_ROW (self), FALSE);

  if (self->order == NULL || self->number_layout == NULL)
    return FALSE;

  return pango_layout_is_ellipsized (self->customer_layout) ||
         pango_layout_is_ellipsized (self->delivery_layout) ||
         (self->tracking != NULL && pango_layout_is_ellipsized (self->tracking_layout));
}

/**
 * waybill_order_row_dup_texts:
 *
 * Returns: (transfer full): every text the row shows, in reading order:
 *   the number, the customer, "Delayed", the status, the delivery line and
 *   the carrier with the tracking number; empty texts left out
 */
char **
waybill_order_row_dup_texts (WaybillOrderRow *self)
{
  g_autoptr(GStrvBuilder) builder = NULL;

  g_return_val_if_fail (WAYBILL_IS_ORDER_ROW (self), NULL);

  builder = g_strv_builder_new ();
  const char *shown[] = {
    self->number,
    self->customer,
    self->delayed_badge != NULL && gtk_widget_get_visible (self->delayed_badge) ?
      gtk_label_get_label (GTK_LABEL (self->delayed_badge)) : NULL,
    self->order != NULL ? waybill_status_pill_get_text (WAYBILL_STATUS_PILL (self->status_pill)) : NULL,
    self->delivery,
    self->tracking,
  };

  for (guint i = 0; i < G_N_ELEMENTS (shown); i++)
    if (shown[i] != NULL && *shown[i] != '\0')
      g_strv_builder_add (builder, shown[i]);

  return g_strv_builder_end (builder);
}
