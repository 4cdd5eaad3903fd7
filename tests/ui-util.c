/* ui-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ui-util.h"

#include "waybill-order-detail.h"
#include "waybill-order-row.h"

/* Runs the main context for at least @ms milliseconds. */
void
iterate (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  do
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (1000);
    }
  while (g_get_monotonic_time () < end);
}

static void
collect_text (GtkWidget *widget,
              GString   *out)
{
  if (!gtk_widget_get_visible (widget))
    return;

  if (GTK_IS_LABEL (widget))
    g_string_append_printf (out, "%s\n", gtk_label_get_label (GTK_LABEL (widget)));

  /* An order in the list draws most of its texts itself. */
  if (WAYBILL_IS_ORDER_ROW (widget))
    {
      g_auto(GStrv) texts = waybill_order_row_dup_texts (WAYBILL_ORDER_ROW (widget));

      for (guint i = 0; texts[i] != NULL; i++)
        g_string_append_printf (out, "%s\n", texts[i]);
      return;
    }

  /* Only the stack's page on screen counts. */
  if (GTK_IS_STACK (widget))
    {
      GtkWidget *page = gtk_stack_get_visible_child (GTK_STACK (widget));

      if (page != NULL)
        collect_text (page, out);
      return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_text (child, out);
}

/* The text of every label a person could read in @widget, a line each. */
char *
widget_text (gpointer widget)
{
  GString *out = g_string_new (NULL);

  collect_text (GTK_WIDGET (widget), out);

  return g_string_free (out, FALSE);
}

/* With WAYBILL_SCREENSHOT_DIR set, saves what @widget shows as NAME there
 * (the README's and the metainfo's screenshots are made this way). */
void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  const char *dir = g_getenv ("WAYBILL_SCREENSHOT_DIR");
  g_autofree char *path = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  if (dir == NULL)
    return;

  iterate (300);
  texture = render_widget (widget);
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Saved %s", path);
}

/* What @widget looks like on screen now, drawn by its window's renderer. */
GdkTexture *
render_widget (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  GtkSnapshot *snapshot;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);

  return gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node,
                                      &GRAPHENE_RECT_INIT (0, 0, width, height));
}

/* The first label's text inside @widget, to say which widget is meant. */
static const char *
first_label (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && *gtk_label_get_text (GTK_LABEL (widget)) != '\0')
    return gtk_label_get_text (GTK_LABEL (widget));

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      const char *text = first_label (c);

      if (text != NULL)
        return text;
    }

  return NULL;
}

static char *
describe_placed (GtkWidget             *widget,
                 const graphene_rect_t *r)
{
  const char *text = first_label (widget);

  return g_strdup_printf ("%s \"%s\" at %.0f,%.0f %.0fx%.0f", G_OBJECT_TYPE_NAME (widget),
                          text != NULL ? text : "", r->origin.x, r->origin.y, r->size.width, r->size.height);
}

/* Whether two of @parent's children on screen share some of their area,
 * or one reaches outside @parent (GTK draws it anyway, over what is
 * next): a sentence saying which, or NULL when each has its own place. */
char *
find_misplaced_child (GtkWidget *parent)
{
  float width = gtk_widget_get_width (parent);
  float height = gtk_widget_get_height (parent);

  for (GtkWidget *a = gtk_widget_get_first_child (parent); a != NULL; a = gtk_widget_get_next_sibling (a))
    {
      graphene_rect_t ra;

      if (!gtk_widget_get_mapped (a))
        continue;
      if (!gtk_widget_compute_bounds (a, parent, &ra))
        return g_strdup_printf ("%s has no place in %s", G_OBJECT_TYPE_NAME (a), G_OBJECT_TYPE_NAME (parent));

      /* Half a pixel: rounding of fractional scales. */
      if (ra.origin.x < -0.5f || ra.origin.y < -0.5f ||
          ra.origin.x + ra.size.width > width + 0.5f || ra.origin.y + ra.size.height > height + 0.5f)
        {
          g_autofree char *what = describe_placed (a, &ra);

          return g_strdup_printf ("%s reaches outside its %s of %.0fx%.0f", what, G_OBJECT_TYPE_NAME (parent),
                                  width, height);
        }

      for (GtkWidget *b = gtk_widget_get_next_sibling (a); b != NULL; b = gtk_widget_get_next_sibling (b))
        {
          graphene_rect_t rb, both;

          if (!gtk_widget_get_mapped (b) || !gtk_widget_compute_bounds (b, parent, &rb))
            continue;
          if (graphene_rect_intersection (&ra, &rb, &both) && both.size.width > 0.5f && both.size.height > 0.5f)
            {
              g_autofree char *first = describe_placed (a, &ra);
              g_autofree char *second = describe_placed (b, &rb);

              return g_strdup_printf ("%s and %s overlap in %s", first, second, G_OBJECT_TYPE_NAME (parent));
            }
        }
    }

  return NULL;
}

static void
assert_apart (GtkWidget  *parent,
              const char *what)
{
  g_autofree char *misplaced = find_misplaced_child (parent);

  if (misplaced != NULL)
    g_test_message ("order detail, %s: %s", what, misplaced);
  g_assert_null (misplaced);
}

/* The order detail on screen shows each of its parts once, one under the
 * other, and the stepper's steps side by side within it: nothing is drawn
 * over anything else, whatever the text size or the window's width. */
void
assert_order_detail_apart (GtkWidget *detail)
{
  GtkWidget *page, *stepper;

  g_assert_true (WAYBILL_IS_ORDER_DETAIL (detail));
  g_assert_true (gtk_widget_get_mapped (detail));

  /* One page (its scroller), not two laid over each other. */
  assert_apart (detail, "the page");

  page = gtk_widget_get_parent (waybill_order_detail_get_feedback_group (WAYBILL_ORDER_DETAIL (detail)));
  assert_apart (page, "its sections");

  stepper = GTK_WIDGET (gtk_widget_get_template_child (detail, WAYBILL_TYPE_ORDER_DETAIL, "stepper"));
  g_assert_true (gtk_widget_get_mapped (stepper));
  assert_apart (stepper, "the stepper");
  for (GtkWidget *step = gtk_widget_get_first_child (stepper); step != NULL; step = gtk_widget_get_next_sibling (step))
    assert_apart (step, "a step");
}

/* What AdwApplication and GtkApplication do for the app's windows, for
 * tests that build them without one: the app's style sheet and its icons
 * from the resources. */
void
ui_test_load_app_style (void)
{
  GdkDisplay *display = gdk_display_get_default ();
  GtkCssProvider *provider = gtk_css_provider_new ();

  gtk_css_provider_load_from_resource (provider, "/io/github/waybill/Waybill/style.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_unref (provider);
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (display),
                                    "/io/github/waybill/Waybill/icons");
}
