/* waybill-insights-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-insights"

#include "config.h"

#include <glib/gi18n.h>

#include "waybill-format.h"
#include "waybill-insights-window.h"
#include "waybill-stats.h"

/* Insights over a period: carriers' on-time rate, transit time and
 * problems, orders by status and customers' ratings per week, as charts.
 * The figures are computed in a thread with a connection of its own
 * (waybill_stats_compute_async); the window shows at once and fills in.
 * Each chart's accessible description says its figures in words. */
struct _WaybillInsightsWindow
{
  AdwWindow      parent_instance;

  WaybillStore  *store;
  GCancellable  *cancellable;
  gboolean       loading;
  gboolean       reload_pending;
  guint          changed_id;

  GtkDropDown   *period_dropdown;
  GtkSpinner    *spinner;
  GtkLabel      *summary_label;
  WaybillChart  *on_time_chart;
  WaybillChart  *transit_chart;
  WaybillChart  *exceptions_chart;
  WaybillChart  *status_chart;
  WaybillChart  *rating_chart;
  WaybillChart  *feedback_count_chart;
};

G_DEFINE_FINAL_TYPE (WaybillInsightsWindow, waybill_insights_window, ADW_TYPE_WINDOW)

#define CHANGED_DELAY_MS 1000

static void reload (WaybillInsightsWindow *self);

static void
set_loading (WaybillInsightsWindow *self,
             gboolean               loading)
{
  self->loading = loading;
  gtk_spinner_set_spinning (self->spinner, loading);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), loading);
}

static void
append_item (GString    *text,
             const char *item)
{
  if (text->len > 0)
    /* Translators: between the items of a chart's description for screen readers */
    g_string_append (text, _("; "));
  g_string_append (text, item);
}

static void
fill_carriers (WaybillInsightsWindow *self,
               WaybillStats          *stats)
{
  g_autoptr(GString) on_time = g_string_new (NULL);
  g_autoptr(GString) transit = g_string_new (NULL);
  g_autoptr(GString) problems = g_string_new (NULL);
  const char *reason_names[WAYBILL_N_EXCEPTION_REASONS];
  guint reasons[WAYBILL_N_EXCEPTION_REASONS];
  guint n_reasons = 0;

  waybill_chart_clear (self->on_time_chart);
  waybill_chart_clear (self->transit_chart);
  waybill_chart_clear (self->exceptions_chart);
  waybill_chart_set_maximum (self->on_time_chart, 1.0);

  /* Only the reasons that occur get a colour and a place in the legend. */
  for (guint r = 1; r < WAYBILL_N_EXCEPTION_REASONS; r++)
    {
      gboolean seen = FALSE;

      for (guint i = 0; i < stats->carriers->len; i++)
        seen |= ((WaybillCarrierStats *) g_ptr_array_index (stats->carriers, i))->exceptions_by_reason[r] > 0;
      if (seen)
        {
          reasons[n_reasons] = r;
          reason_names[n_reasons] = waybill_exception_reason_get_label (r);
          n_reasons++;
        }
    }
  if (n_reasons == 0)
    {
      /* No problems at all: one series of zeros. */
      reason_names[0] = _("Problems");
      waybill_chart_set_series (self->exceptions_chart, 1, reason_names);
    }
  else
    waybill_chart_set_series (self->exceptions_chart, n_reasons, reason_names);

  for (guint i = 0; i < stats->carriers->len; i++)
    {
      WaybillCarrierStats *carrier = g_ptr_array_index (stats->carriers, i);
      const char *name = waybill_format_carrier_name (carrier->carrier);
      double values[WAYBILL_N_EXCEPTION_REASONS] = { 0 };
      g_autofree char *value = NULL;
      g_autofree char *item = NULL;
      g_autoptr(GString) detail = g_string_new (NULL);

      if (carrier->on_time_rate >= 0)
        {
          value = g_strdup_printf ("%.0f%%", carrier->on_time_rate * 100);
          /* Translators: %1$s is a carrier, %2$.0f a percentage, %3$u and %4$u parcels */
          item = g_strdup_printf (_("%1$s: %2$.0f%% on time (%3$u of %4$u)"), name,
                                  carrier->on_time_rate * 100, carrier->on_time,
                                  carrier->delivered_with_estimate);
          values[0] = carrier->on_time_rate;
        }
      else
        {
          value = g_strdup (_("no estimates"));
          /* Translators: %s is a carrier */
          item = g_strdup_printf (_("%s: no delivered parcel had an estimated day"), name);
        }
      waybill_chart_add_bar (self->on_time_chart, name, values, value);
      append_item (on_time, item);
      g_clear_pointer (&value, g_free);
      g_clear_pointer (&item, g_free);

      values[0] = MAX (carrier->average_transit_days, 0);
      if (carrier->average_transit_days >= 0)
        {
          /* Translators: a number of days with one decimal, "2.5 days" */
          value = g_strdup_printf (_("%.1f days"), carrier->average_transit_days);
          /* Translators: %1$s is a carrier, %2$.1f days */
          item = g_strdup_printf (_("%1$s: %2$.1f days"), name, carrier->average_transit_days);
        }
      else
        {
          value = g_strdup (_("no deliveries"));
          /* Translators: %s is a carrier */
          item = g_strdup_printf (_("%s: no deliveries"), name);
        }
      waybill_chart_add_bar (self->transit_chart, name, values, value);
      append_item (transit, item);
      g_clear_pointer (&value, g_free);
      g_clear_pointer (&item, g_free);

      for (guint r = 0; r < n_reasons; r++)
        {
          values[r] = carrier->exceptions_by_reason[reasons[r]];
          if (carrier->exceptions_by_reason[reasons[r]] > 0)
            g_string_append_printf (detail, "%s%s %u", detail->len > 0 ? ", " : "",
                                    reason_names[r], carrier->exceptions_by_reason[reasons[r]]);
        }
      if (n_reasons == 0)
        values[0] = 0;
      value = g_strdup_printf ("%u", carrier->exceptions);
      if (detail->len > 0)
        item = g_strdup_printf ("%s: %u (%s)", name, carrier->exceptions, detail->str);
      else
        item = g_strdup_printf ("%s: %u", name, carrier->exceptions);
      waybill_chart_add_bar (self->exceptions_chart, name, values, value);
      append_item (problems, item);
    }

  waybill_chart_set_description (self->on_time_chart, on_time->str);
  waybill_chart_set_description (self->transit_chart, transit->str);
  waybill_chart_set_description (self->exceptions_chart, problems->str);
}

static void
fill_statuses (WaybillInsightsWindow *self,
               WaybillStats          *stats)
{
  g_autoptr(GString) description = g_string_new (NULL);

  waybill_chart_clear (self->status_chart);
  for (guint s = 0; s < WAYBILL_N_STATUSES; s++)
    {
      double value = stats->orders_by_status[s];
      g_autofree char *text = NULL;
      g_autofree char *item = NULL;

      if (stats->orders_by_status[s] == 0)
        continue;
      text = g_strdup_printf ("%u", stats->orders_by_status[s]);
      item = g_strdup_printf ("%s: %u", waybill_status_get_label (s), stats->orders_by_status[s]);
      waybill_chart_add_bar (self->status_chart, waybill_status_get_label (s), &value, text);
      append_item (description, item);
    }
  waybill_chart_set_description (self->status_chart, description->str);
}

static char *
week_label (const GDate *week)
{
  g_autoptr(GDateTime) day = g_date_time_new_local (g_date_get_year (week), g_date_get_month (week),
                                                    g_date_get_day (week), 12, 0, 0);

  /* Translators: the Monday a week starts on, "24 Nov", see strftime(3) */
  return g_date_time_format (day, _("%-d %b"));
}

static void
fill_feedback (WaybillInsightsWindow *self,
               WaybillStats          *stats)
{
  g_autoptr(GString) ratings = g_string_new (NULL);
  g_autoptr(GString) counts = g_string_new (NULL);

  waybill_chart_clear (self->rating_chart);
  waybill_chart_clear (self->feedback_count_chart);
  waybill_chart_set_maximum (self->rating_chart, 5);

  for (guint i = 0; i < stats->feedback_weeks->len; i++)
    {
      WaybillFeedbackWeek *week = &g_array_index (stats->feedback_weeks, WaybillFeedbackWeek, i);
      g_autofree char *label = week_label (&week->week);
      g_autofree char *average = g_strdup_printf ("%.1f ★", week->average);
      g_autofree char *count = g_strdup_printf ("%u", week->count);
      g_autofree char *rating_item = NULL;
      g_autofree char *count_item = NULL;
      double value;

      value = week->average;
      waybill_chart_add_bar (self->rating_chart, label, &value, average);
      value = week->count;
      waybill_chart_add_bar (self->feedback_count_chart, label, &value, count);

      /* Translators: %1$s is a day such as "24 Nov", %2$.1f an average rating */
      rating_item = g_strdup_printf (_("week of %1$s: average %2$.1f of 5"), label, week->average);
      count_item = g_strdup_printf (ngettext ("week of %s: %u rating", "week of %s: %u ratings", week->count),
                                    label, week->count);
      append_item (ratings, rating_item);
      append_item (counts, count_item);
    }

  waybill_chart_set_description (self->rating_chart, ratings->str);
  waybill_chart_set_description (self->feedback_count_chart, counts->str);
}

static void
fill (WaybillInsightsWindow *self,
      WaybillStats          *stats)
{
  g_autoptr(GString) summary = g_string_new (NULL);
  guint shipments = 0;

  for (guint i = 0; i < stats->carriers->len; i++)
    shipments += ((WaybillCarrierStats *) g_ptr_array_index (stats->carriers, i))->shipments;

  g_string_append_printf (summary, ngettext ("%u order", "%u orders", stats->orders), stats->orders);
  g_string_append (summary, " · ");
  g_string_append_printf (summary, ngettext ("%u parcel", "%u parcels", shipments), shipments);
  g_string_append (summary, " · ");
  if (stats->feedback_count > 0)
    /* Translators: %.1f is an average rating out of 5, %u how many ratings */
    g_string_append_printf (summary, ngettext ("average rating %.1f of 5 from %u rating",
                                               "average rating %.1f of 5 from %u ratings",
                                               stats->feedback_count),
                            stats->feedback_average, stats->feedback_count);
  else
    g_string_append (summary, _("no ratings"));
  gtk_label_set_label (self->summary_label, summary->str);

  fill_carriers (self, stats);
  fill_statuses (self, stats);
  fill_feedback (self, stats);
}

static void
computed_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(WaybillInsightsWindow) self = user_data;
  g_autoptr(WaybillStats) stats = NULL;
  g_autoptr(GError) error = NULL;

  stats = waybill_stats_compute_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_loading (self, FALSE);

  if (stats == NULL)
    gtk_label_set_label (self->summary_label, error->message);
  else
    fill (self, stats);

  if (self->reload_pending)
    reload (self);
}

static void
reload (WaybillInsightsWindow *self)
{
  g_autoptr(GDateTime) since = NULL;
  static const int days[] = { 7, 30, 90 };
  guint period = gtk_drop_down_get_selected (self->period_dropdown);

  self->reload_pending = FALSE;
  if (self->store == NULL)
    return;

  if (period < G_N_ELEMENTS (days))
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autoptr(GDateTime) today = g_date_time_new_local (g_date_time_get_year (now),
                                                          g_date_time_get_month (now),
                                                          g_date_time_get_day_of_month (now), 0, 0, 0);

      /* The last N days include today. */
      since = g_date_time_add_days (today, 1 - days[period]);
    }

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  set_loading (self, TRUE);
  waybill_stats_compute_async (waybill_store_get_path (self->store), since, NULL, self->cancellable,
                               computed_cb, g_object_ref (self));
}

static void
period_changed_cb (WaybillInsightsWindow *self)
{
  reload (self);
}

static gboolean
changed_timeout_cb (gpointer user_data)
{
  WaybillInsightsWindow *self = user_data;

  self->changed_id = 0;
  if (self->loading)
    self->reload_pending = TRUE;
  else
    reload (self);

  return G_SOURCE_REMOVE;
}

/* The refresher commits often, and 100,000 orders take a few hundred
 * milliseconds to count: changes within a second are counted once, and a
 * change while counting counts again once done. */
static void
store_changed_cb (WaybillInsightsWindow *self)
{
  if (self->changed_id == 0)
    self->changed_id = g_timeout_add (CHANGED_DELAY_MS, changed_timeout_cb, self);
}

static void
waybill_insights_window_dispose (GObject *object)
{
  WaybillInsightsWindow *self = WAYBILL_INSIGHTS_WINDOW (object);

  g_clear_handle_id (&self->changed_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (waybill_insights_window_parent_class)->dispose (object);
}

static void
waybill_insights_window_class_init (WaybillInsightsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = waybill_insights_window_dispose;

  g_type_ensure (WAYBILL_TYPE_CHART);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/waybill/Waybill/waybill-insights-window.ui");
  gtk_widget_class_bind_template_child (widget_class, WaybillInsightsWindow, period_dropdown);
  gtk_widget_class_bind_template_child (widget_class, WaybillInsightsWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, WaybillInsightsWindow, summary_label);
  gtk_widget_class_bind_template_child (widget_class, WaybillInsightsWindow, on_time_chart);
  gtk_widget_class_bind_template_child (widget_class, WaybillInsightsWindow, transit_chart);
  gtk_widget_class_bind_template_child (widget_class, WaybillInsightsWindow, exceptions_chart);
  gtk_widget_class_bind_template_child (widget_class, WaybillInsightsWindow, status_chart);
  gtk_widget_class_bind_template_child (widget_class, WaybillInsightsWindow, rating_chart);
  gtk_widget_class_bind_template_child (widget_class, WaybillInsightsWindow, feedback_count_chart);
  gtk_widget_class_bind_template_callback (widget_class, period_changed_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
waybill_insights_window_init (WaybillInsightsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The last 30 days, before there is a store to read. */
  gtk_drop_down_set_selected (self->period_dropdown, WAYBILL_INSIGHTS_PERIOD_MONTH);

  waybill_chart_set_empty_text (self->on_time_chart, _("No parcels in this period"));
  waybill_chart_set_empty_text (self->transit_chart, _("No parcels in this period"));
  waybill_chart_set_empty_text (self->exceptions_chart, _("No parcels in this period"));
  waybill_chart_set_empty_text (self->status_chart, _("No orders in this period"));
  waybill_chart_set_empty_text (self->rating_chart, _("No ratings in this period"));
  waybill_chart_set_empty_text (self->feedback_count_chart, _("No ratings in this period"));
}

/**
 * waybill_insights_window_new:
 * @parent: (nullable): the main window
 *
 * Returns: (transfer full): a window showing the last 30 days; it starts
 *   computing at once
 */
WaybillInsightsWindow *
waybill_insights_window_new (GtkWindow    *parent,
                             WaybillStore *store)
{
  WaybillInsightsWindow *self;

  g_return_val_if_fail (WAYBILL_IS_STORE (store), NULL);

  self = g_object_new (WAYBILL_TYPE_INSIGHTS_WINDOW,
                       "transient-for", parent,
                       NULL);
  self->store = g_object_ref (store);
  g_signal_connect_object (store, "changed", G_CALLBACK (store_changed_cb), self, G_CONNECT_SWAPPED);
  reload (self);

  return self;
}

void
waybill_insights_window_set_period (WaybillInsightsWindow *self,
                                    WaybillInsightsPeriod  period)
{
  g_return_if_fail (WAYBILL_IS_INSIGHTS_WINDOW (self));
  g_return_if_fail (period <= WAYBILL_INSIGHTS_PERIOD_ALL);

  gtk_drop_down_set_selected (self->period_dropdown, period);
}

gboolean
waybill_insights_window_is_loading (WaybillInsightsWindow *self)
{
  g_return_val_if_fail (WAYBILL_IS_INSIGHTS_WINDOW (self), FALSE);

  return self->loading || self->reload_pending || self->changed_id != 0;
}

/**
 * waybill_insights_window_get_chart:
 * @name: "on-time", "transit", "exceptions", "status", "rating" or
 *   "feedback-count"
 *
 * Returns: (transfer none) (nullable): the chart, for tests
 */
WaybillChart *
waybill_insights_window_get_chart (WaybillInsightsWindow *self,
                                   const char            *name)
{
  g_return_val_if_fail (WAYBILL_IS_INSIGHTS_WINDOW (self), NULL);

  if (g_str_equal (name, "on-time"))
    return self->on_time_chart;
  if (g_str_equal (name, "transit"))
    return self->transit_chart;
  if (g_str_equal (name, "exceptions"))
    return self->exceptions_chart;
  if (g_str_equal (name, "status"))
    return self->status_chart;
  if (g_str_equal (name, "rating"))
    return self->rating_chart;
  if (g_str_equal (name, "feedback-count"))
    return self->feedback_count_chart;

  return NULL;
}

const char *
waybill_insights_window_get_summary (WaybillInsightsWindow *self)
{
  g_return_val_if_fail (WAYBILL_IS_INSIGHTS_WINDOW (self), NULL);

  return gtk_label_get_label (self->summary_label);
}
