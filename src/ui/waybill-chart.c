/* waybill-chart.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-chart"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "waybill-chart.h"

/* A horizontal bar chart drawn with cairo: one row per bar, its label on
 * the left, the bar, and the figure in words after it.  A bar may be a
 * stack of several series (exceptions by reason), with a legend below.
 *
 * Colours are libadwaita's palette at a middle shade, readable on both the
 * light and the dark background; text takes the widget's own colour.  A
 * screen reader cannot see bars: the chart is an image whose accessible
 * description lists every figure, set by whoever fills it. */

#define ROW_HEIGHT 28
#define BAR_HEIGHT 16
#define GAP 10
#define LEGEND_SWATCH 12

typedef struct
{
  char   *label;
  double *values;
  char   *value_text;
} Bar;

struct _WaybillChart
{
  GtkWidget  parent_instance;

  GPtrArray *bars;
  GStrv      series;
  double     maximum;
  char      *empty_text;
  char      *description;
};

G_DEFINE_FINAL_TYPE (WaybillChart, waybill_chart, GTK_TYPE_WIDGET)

/* Blue 3, orange 3, purple 2, green 4, red 2, yellow 4, brown 2, light blue. */
static const GdkRGBA palette[] = {
  { 0.208, 0.518, 0.894, 1 },
  { 1.000, 0.471, 0.000, 1 },
  { 0.753, 0.380, 0.796, 1 },
  { 0.180, 0.761, 0.494, 1 },
  { 0.929, 0.200, 0.231, 1 },
  { 0.898, 0.647, 0.039, 1 },
  { 0.710, 0.514, 0.353, 1 },
  { 0.600, 0.757, 0.945, 1 },
};

static void
bar_free (gpointer data)
{
  Bar *bar = data;

  g_free (bar->label);
  g_free (bar->values);
  g_free (bar->value_text);
  g_free (bar);
}

static guint
n_series (WaybillChart *self)
{
  return self->series != NULL ? MAX (1, g_strv_length (self->series)) : 1;
}

static gboolean
has_legend (WaybillChart *self)
{
  return self->series != NULL && g_strv_length (self->series) > 1 && self->bars->len > 0;
}

static void
get_text_color (GtkWidget *widget,
                GdkRGBA   *color)
{
#if GTK_CHECK_VERSION (4, 10, 0)
  gtk_widget_get_color (widget, color);
#else
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), color);
#endif
}

static PangoLayout *
make_layout (WaybillChart *self,
             const char   *text)
{
  return gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
}

static int
text_width (WaybillChart *self,
            const char   *text)
{
  g_autoptr(PangoLayout) layout = make_layout (self, text);
  int width;

  pango_layout_get_pixel_size (layout, &width, NULL);

  return width;
}

static int
legend_rows (WaybillChart *self,
             int           width)
{
  int rows = 1, x = 0;

  if (!has_legend (self))
    return 0;

  for (guint s = 0; self->series[s] != NULL; s++)
    {
      int item = LEGEND_SWATCH + 6 + text_width (self, self->series[s]) + 18;

      if (x > 0 && x + item > width)
        {
          rows++;
          x = 0;
        }
      x += item;
    }

  return rows;
}

static void
waybill_chart_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  WaybillChart *self = WAYBILL_CHART (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 240;
      *natural = 320;
    }
  else
    {
      int rows = MAX (1, (int) self->bars->len);

      *minimum = *natural = rows * ROW_HEIGHT +
                            legend_rows (self, for_size > 0 ? for_size : 480) * ROW_HEIGHT;
    }
}

/* Draws @text @x from the chart's start edge (its left, or its right in a
 * right-to-left chart), centred up and down on @y_center; cut short with
 * "…" past @max_width when that is above 0.  The text is placed by its own
 * extents: Pango's alignment flips for a paragraph whose direction differs
 * from the widget's. */
static void
draw_text (cairo_t      *cr,
           WaybillChart *self,
           const char   *text,
           double        x,
           double        y_center,
           int           max_width)
{
  g_autoptr(PangoLayout) layout = make_layout (self, text);
  PangoRectangle logical;
  double left;

  if (max_width > 0)
    {
      pango_layout_set_width (layout, max_width * PANGO_SCALE);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  pango_layout_get_pixel_extents (layout, NULL, &logical);
  if (gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL)
    left = gtk_widget_get_width (GTK_WIDGET (self)) - x - logical.width;
  else
    left = x;
  cairo_move_to (cr, left - logical.x, y_center - logical.height / 2.0);
  pango_cairo_show_layout (cr, layout);
}

static void
rounded_rect (cairo_t *cr,
              double   x,
              double   y,
              double   w,
              double   h,
              double   r)
{
  r = MIN (r, MIN (w, h) / 2);
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

/* Where a shape from @x, @w wide, starts: mirrored in a right-to-left
 * chart, whose labels are on the right and whose bars grow leftwards. */
static double
start_x (WaybillChart *self,
         double        x,
         double        w)
{
  if (gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL)
    return gtk_widget_get_width (GTK_WIDGET (self)) - x - w;
  return x;
}

static void
waybill_chart_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  WaybillChart *self = WAYBILL_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  guint series = n_series (self);
  GdkRGBA text, track;
  cairo_t *cr;
  int label_width = 0, value_width = 0, bar_x, bar_space;
  double maximum = self->maximum;

  if (width <= 0 || height <= 0)
    return;

  get_text_color (widget, &text);
  track = text;
  track.alpha = 0.08;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  if (self->bars->len == 0)
    {
      GdkRGBA dim = text;

      dim.alpha = 0.55;
      gdk_cairo_set_source_rgba (cr, &dim);
      draw_text (cr, self, self->empty_text != NULL ? self->empty_text : _("Nothing to show"),
                 0, ROW_HEIGHT / 2.0, width);
      cairo_destroy (cr);
      return;
    }

  for (guint i = 0; i < self->bars->len; i++)
    {
      Bar *bar = g_ptr_array_index (self->bars, i);
      double total = 0;

      label_width = MAX (label_width, text_width (self, bar->label));
      if (bar->value_text != NULL)
        value_width = MAX (value_width, text_width (self, bar->value_text));
      for (guint s = 0; s < series; s++)
        total += bar->values[s];
      if (self->maximum <= 0)
        maximum = MAX (maximum, total);
    }

  /* Labels take at most half the width; longer ones are ellipsized. */
  label_width = MIN (label_width, width / 2);
  bar_x = label_width + GAP;
  bar_space = MAX (20, width - bar_x - GAP - value_width);

  for (guint i = 0; i < self->bars->len; i++)
    {
      Bar *bar = g_ptr_array_index (self->bars, i);
      double y = i * ROW_HEIGHT;
      double center = y + ROW_HEIGHT / 2.0;
      double x = bar_x;

      gdk_cairo_set_source_rgba (cr, &text);
      draw_text (cr, self, bar->label, 0, center, label_width);

      gdk_cairo_set_source_rgba (cr, &track);
      rounded_rect (cr, start_x (self, bar_x, bar_space), center - BAR_HEIGHT / 2.0, bar_space, BAR_HEIGHT, 4);
      cairo_fill (cr);

      for (guint s = 0; s < series; s++)
        {
          double w = maximum > 0 ? bar->values[s] / maximum * bar_space : 0;

          if (w <= 0)
            continue;
          gdk_cairo_set_source_rgba (cr, &palette[s % G_N_ELEMENTS (palette)]);
          if (series == 1)
            rounded_rect (cr, start_x (self, x, MAX (w, 2)), center - BAR_HEIGHT / 2.0, MAX (w, 2), BAR_HEIGHT, 4);
          else
            cairo_rectangle (cr, start_x (self, x, w), center - BAR_HEIGHT / 2.0, w, BAR_HEIGHT);
          cairo_fill (cr);
          x += w;
        }

      if (bar->value_text != NULL)
        {
          gdk_cairo_set_source_rgba (cr, &text);
          draw_text (cr, self, bar->value_text, bar_x + bar_space + GAP, center, 0);
        }
    }

  if (has_legend (self))
    {
      double y = self->bars->len * ROW_HEIGHT;
      double x = bar_x;

      for (guint s = 0; self->series[s] != NULL; s++)
        {
          int item = LEGEND_SWATCH + 6 + text_width (self, self->series[s]) + 18;

          if (x > bar_x && x + item > width)
            {
              x = bar_x;
              y += ROW_HEIGHT;
            }
          gdk_cairo_set_source_rgba (cr, &palette[s % G_N_ELEMENTS (palette)]);
          rounded_rect (cr, start_x (self, x, LEGEND_SWATCH), y + (ROW_HEIGHT - LEGEND_SWATCH) / 2.0,
                        LEGEND_SWATCH, LEGEND_SWATCH, 3);
          cairo_fill (cr);
          gdk_cairo_set_source_rgba (cr, &text);
          draw_text (cr, self, self->series[s], x + LEGEND_SWATCH + 6, y + ROW_HEIGHT / 2.0, 0);
          x += item;
        }
    }

  cairo_destroy (cr);
}

static void
waybill_chart_finalize (GObject *object)
{
  WaybillChart *self = WAYBILL_CHART (object);

  g_clear_pointer (&self->bars, g_ptr_array_unref);
  g_clear_pointer (&self->series, g_strfreev);
  g_clear_pointer (&self->empty_text, g_free);
  g_clear_pointer (&self->description, g_free);

  G_OBJECT_CLASS (waybill_chart_parent_class)->finalize (object);
}

static void
waybill_chart_class_init (WaybillChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = waybill_chart_finalize;
  widget_class->measure = waybill_chart_measure;
  widget_class->snapshot = waybill_chart_snapshot;

  gtk_widget_class_set_css_name (widget_class, "chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
waybill_chart_init (WaybillChart *self)
{
  self->bars = g_ptr_array_new_with_free_func (bar_free);
}

GtkWidget *
waybill_chart_new (void)
{
  return g_object_new (WAYBILL_TYPE_CHART, NULL);
}

void
waybill_chart_clear (WaybillChart *self)
{
  g_return_if_fail (WAYBILL_IS_CHART (self));

  g_ptr_array_set_size (self->bars, 0);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

/**
 * waybill_chart_set_series:
 * @names: the name of each series of a stacked chart, for the legend
 *
 * Bars added after this take n_series values.
 */
void
waybill_chart_set_series (WaybillChart       *self,
                          guint               n,
                          const char * const *names)
{
  g_return_if_fail (WAYBILL_IS_CHART (self));
  g_return_if_fail (self->bars->len == 0);

  g_clear_pointer (&self->series, g_strfreev);
  self->series = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    self->series[i] = g_strdup (names[i]);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

/**
 * waybill_chart_set_maximum:
 * @maximum: the value of a full bar; 0 for the largest bar's
 */
void
waybill_chart_set_maximum (WaybillChart *self,
                           double        maximum)
{
  g_return_if_fail (WAYBILL_IS_CHART (self));

  self->maximum = maximum;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
waybill_chart_add_bar (WaybillChart *self,
                       const char   *label,
                       const double *values,
                       const char   *value_text)
{
  Bar *bar;

  g_return_if_fail (WAYBILL_IS_CHART (self));
  g_return_if_fail (label != NULL && values != NULL);

  bar = g_new0 (Bar, 1);
  bar->label = g_strdup (label);
  bar->values = g_memdup2 (values, sizeof (double) * n_series (self));
  for (guint s = 0; s < n_series (self); s++)
    if (!isfinite (bar->values[s]) || bar->values[s] < 0)
      bar->values[s] = 0;
  bar->value_text = g_strdup (value_text);
  g_ptr_array_add (self->bars, bar);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
waybill_chart_set_empty_text (WaybillChart *self,
                              const char   *text)
{
  g_return_if_fail (WAYBILL_IS_CHART (self));

  g_free (self->empty_text);
  self->empty_text = g_strdup (text);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * waybill_chart_set_description:
 *
 * The figures in words, for screen readers (the accessible description).
 */
void
waybill_chart_set_description (WaybillChart *self,
                               const char   *description)
{
  g_return_if_fail (WAYBILL_IS_CHART (self));

  g_free (self->description);
  self->description = g_strdup (description);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description != NULL ? description : "", -1);
}

const char *
waybill_chart_get_description (WaybillChart *self)
{
  g_return_val_if_fail (WAYBILL_IS_CHART (self), NULL);

  return self->description;
}

guint
waybill_chart_get_n_bars (WaybillChart *self)
{
  g_return_val_if_fail (WAYBILL_IS_CHART (self), 0);

  return self->bars->len;
}
