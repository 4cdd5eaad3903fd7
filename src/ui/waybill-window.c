/* waybill-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-window"

#include "config.h"

#include <glib/gi18n.h>

#include "waybill-carrier.h"
#include "waybill-format.h"
#include "waybill-demo.h"
#include "waybill-export-ui.h"
#include "waybill-feedback.h"
#include "waybill-feedback-dialog.h"
#include "waybill-feedback-window.h"
#include "waybill-import-window.h"
#include "waybill-insights-window.h"
#include "waybill-order-detail.h"
#include "waybill-order-editor.h"
#include "waybill-preferences-window.h"
#include "waybill-order-list-model.h"
#include "waybill-order-row.h"
#include "waybill-lookup-window.h"
#include "waybill-tracking-number.h"
#include "waybill-status-reply.h"
#include "waybill-window.h"
#include "waybill-application.h"
#include "waybill-compose-window.h"

/* The main window: the order list on the left, the selected order on the
 * right; one pane below about 700 px.  It reads through the store's list
 * model and the store's calls only. */
struct _WaybillWindow
{
  AdwApplicationWindow   parent_instance;

  WaybillStore          *store;
  guint                  messages_idle;
  WaybillRefresher      *refresher;
  GSettings             *settings;
  WaybillOrderListModel *orders;
  /* The rows the list view is given: see show_first_rows() */
  GtkSliceListModel     *shown;
  gboolean               grow_shown;
  guint                  grow_id;
  gulong                 after_paint_id;
  gboolean               painted;
  gboolean               search_changing;
  GtkSingleSelection    *selection;
  gint64                 selected_id;
  WaybillOrder          *shown_order;
  GtkStringList         *filter_labels;
  WaybillFilter          filter;
  WaybillSort            sort;
  /* The last deleted order, kept whole until its toast is gone so that
   * Undo can put it back. */
  WaybillOrder          *deleted_order;
  GCancellable          *counts_cancellable;
  guint                  counts_idle_id;
  gboolean               counts_again;
  guint                  search_idle_id;
  /* The toast on screen: a new one replaces it rather than queueing.
   * The next one waits in pending_toast while the overlay still animates
   * (see present_toast()). */
  AdwToast              *toast;
  AdwToast              *pending_toast;
  guint                  toast_tick_id;
  gint64                 toast_quiet_at;
  gboolean               toast_settled;
  /* The tracking APIs the look-up asks when there is no refresher. */
  WaybillTrackerRegistry *lookup_registry;

  /* Template widgets */
  GtkStack              *main_stack;
  AdwStatusPage         *error_page;
  AdwToastOverlay       *toast_overlay;
  AdwLeaflet            *leaflet;
  GtkDropDown           *filter_dropdown;
  GtkWidget             *order_menu_button;
  GtkStack              *refresh_stack;
  GtkWidget             *refresh_button;
  GtkSpinner            *refresh_spinner;
  GtkWidget             *sidebar;
  GtkWidget             *content;
  AdwWindowTitle        *list_title;
  GtkSearchEntry        *search_entry;
  GtkStack              *list_stack;
  GtkListView           *order_list;
  AdwWindowTitle        *detail_title;
  GtkStack              *detail_stack;
  WaybillOrderDetail    *detail;
};

G_DEFINE_FINAL_TYPE (WaybillWindow, waybill_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SORT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const struct
{
  const char *id;
  const char *label;
} filters[WAYBILL_N_FILTERS] = {
  [WAYBILL_FILTER_ALL] = { "all", N_("All") },
  [WAYBILL_FILTER_ACTIVE] = { "active", N_("Active") },
  [WAYBILL_FILTER_ATTENTION] = { "attention", N_("Needs Attention") },
  [WAYBILL_FILTER_OUT_FOR_DELIVERY] = { "out-for-delivery", N_("Out for Delivery") },
  [WAYBILL_FILTER_DELIVERED] = { "delivered", N_("Delivered") },
  [WAYBILL_FILTER_ARCHIVED] = { "archived", N_("Archived") },
};

static const char * const sort_ids[WAYBILL_N_SORTS] = {
  [WAYBILL_SORT_NEWEST] = "newest",
  [WAYBILL_SORT_ESTIMATED_DELIVERY] = "estimated-delivery",
  [WAYBILL_SORT_LAST_UPDATE] = "last-update",
};

/* GTK 4.8's list view makes a row widget for each of up to 200 rows around
 * the ones on screen, and a row takes a few tenths of a millisecond to make,
 * lay out and throw away: 200 of them cost a first frame or a key in the
 * search field about 100 ms.  So the view is given the orders through a
 * slice that starts with a screenful of rows.  The whole list grows in
 * after each frame a few rows at a time (SHOWN_STEP, then all of it); search
 * results grow as far as the list is scrolled, or all at once for End. */
#define SHOWN_FIRST 16
#define SHOWN_STEP 24
#define SHOWN_MAX_WIDGETS 200

/* How many rows fill the list's height, from the rows it shows now. */
static guint
rows_on_screen (WaybillWindow *self)
{
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->order_list));
  guint n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->shown));
  double page, upper;

  if (adjustment == NULL || n_shown == 0)
    return SHOWN_FIRST;

  page = gtk_adjustment_get_page_size (adjustment);
  upper = gtk_adjustment_get_upper (adjustment);
  if (page <= 0 || upper <= 0)
    return SHOWN_FIRST;

  return CLAMP ((guint) (page / (upper / n_shown)) + 2, 4, SHOWN_MAX_WIDGETS);
}

static gboolean
grow_shown_idle (gpointer user_data)
{
  WaybillWindow *self = user_data;
  guint size, n_items;

  self->grow_id = 0;
  if (self->shown == NULL)
    return G_SOURCE_REMOVE;

  size = gtk_slice_list_model_get_size (self->shown);
  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->orders));
  if (self->grow_shown && (size >= n_items || size >= SHOWN_MAX_WIDGETS))
    {
      gtk_slice_list_model_set_size (self->shown, G_MAXUINT);
      self->grow_shown = FALSE;
    }
  else if (size < n_items)
    gtk_slice_list_model_set_size (self->shown, size + SHOWN_STEP);

  return G_SOURCE_REMOVE;
}

static void queue_filter_counts (WaybillWindow *self);

static gboolean
first_counts_idle (gpointer user_data)
{
  WaybillWindow *self = user_data;

  self->counts_idle_id = 0;
  queue_filter_counts (self);

  return G_SOURCE_REMOVE;
}

/* After each frame: the next few rows, and the filter counts once the first
 * frame is on screen. */
static void
after_paint_cb (WaybillWindow *self)
{
  if (self->shown == NULL)
    return;

  if (!self->painted)
    {
      self->painted = TRUE;
      self->counts_idle_id = g_idle_add_full (G_PRIORITY_LOW, first_counts_idle, self, NULL);
    }
  if (self->grow_shown && self->grow_id == 0)
    self->grow_id = g_idle_add_full (G_PRIORITY_LOW, grow_shown_idle, self, NULL);
}

static void
window_realize_cb (WaybillWindow *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  if (clock != NULL && self->after_paint_id == 0)
    self->after_paint_id = g_signal_connect_object (clock, "after-paint", G_CALLBACK (after_paint_cb),
                                                    self, G_CONNECT_SWAPPED);
}

static void
show_first_rows (WaybillWindow *self,
                 gboolean       grow)
{
  if (self->shown == NULL)
    return;

  g_clear_handle_id (&self->grow_id, g_source_remove);
  gtk_slice_list_model_set_size (self->shown, rows_on_screen (self));
  self->grow_shown = grow;
  if (grow && self->painted)
    gtk_widget_queue_draw (GTK_WIDGET (self->order_list));
}

/* Makes sure the list view has the row at @position. */
static void
show_row (WaybillWindow *self,
          guint          position)
{
  if (position != G_MAXUINT && position >= gtk_slice_list_model_get_size (self->shown))
    gtk_slice_list_model_set_size (self->shown, position + SHOWN_STEP);
}

/* Near the end of the rows shown, while there are more: a few more after
 * this frame. */
static void
list_scrolled_cb (WaybillWindow *self,
                  GtkAdjustment *adjustment)
{
  double value = gtk_adjustment_get_value (adjustment);
  double page = gtk_adjustment_get_page_size (adjustment);

  if (self->shown == NULL || self->grow_id != 0)
    return;

  if (value + 2 * page >= gtk_adjustment_get_upper (adjustment) &&
      gtk_slice_list_model_get_size (self->shown) < g_list_model_get_n_items (G_LIST_MODEL (self->orders)))
    self->grow_id = g_idle_add_full (G_PRIORITY_LOW, grow_shown_idle, self, NULL);
}

/* End goes to the last order, not to the last one shown so far: the
 * list view gets every row first, then moves there itself. */
static gboolean
list_key_pressed_cb (WaybillWindow         *self,
                     guint                  keyval,
                     guint                  keycode,
                     GdkModifierType        state,
                     GtkEventControllerKey *controller)
{
  if ((keyval == GDK_KEY_End || keyval == GDK_KEY_KP_End) && self->shown != NULL &&
      gtk_slice_list_model_get_size (self->shown) < g_list_model_get_n_items (G_LIST_MODEL (self->orders)))
    {
      g_clear_handle_id (&self->grow_id, g_source_remove);
      self->grow_shown = FALSE;
      gtk_slice_list_model_set_size (self->shown, G_MAXUINT);
    }

  return GDK_EVENT_PROPAGATE;
}

/* Rows shown that do not fill the list cannot be scrolled for more. */
static void
list_resized_cb (WaybillWindow *self,
                 GtkAdjustment *adjustment)
{
  if (gtk_adjustment_get_upper (adjustment) <= gtk_adjustment_get_page_size (adjustment))
    list_scrolled_cb (self, adjustment);
}

static void
apply_query (WaybillWindow *self)
{
  WaybillOrderQuery query = { self->filter, WAYBILL_STATUS_INVALID, self->sort };

  if (self->orders != NULL)
    {
      show_first_rows (self, waybill_order_list_model_get_search (self->orders) == NULL);
      waybill_order_list_model_set_query (self->orders, &query);
    }
}

/* The filter list shows how many orders each filter holds, kept current
 * as the database changes.  The counts are made in a thread: until the
 * first ones come the filters show no number, never a wrong one. */
static void
show_filter_counts (WaybillWindow *self,
                    const gint64  *counts)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < WAYBILL_N_FILTERS; i++)
    /* Translators: a filter of the order list and how many orders it shows, "Active (12)" */
    g_ptr_array_add (labels, g_strdup_printf (_("%s (%lld)"),
                                              g_dgettext (GETTEXT_PACKAGE, filters[i].label),
                                              (long long) MAX (counts[i], 0)));
  g_ptr_array_add (labels, NULL);

  /* Replace the labels in place so that the selection stays. */
  for (guint i = 0; i < WAYBILL_N_FILTERS; i++)
    {
      const char *current = gtk_string_list_get_string (self->filter_labels, i);

      if (g_strcmp0 (current, g_ptr_array_index (labels, i)) != 0)
        {
          const char *one[] = { g_ptr_array_index (labels, i), NULL };
          guint selected = gtk_drop_down_get_selected (self->filter_dropdown);

          gtk_string_list_splice (self->filter_labels, i, 1, one);
          gtk_drop_down_set_selected (self->filter_dropdown, selected);
        }
    }
}

static void start_filter_counts (WaybillWindow *self);

static void
filter_counts_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(WaybillWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 counts[WAYBILL_N_FILTERS];

  if (!waybill_store_count_filters_finish (WAYBILL_STORE (source), result, counts, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("Could not count the orders: %s", error->message);
      g_clear_object (&self->counts_cancellable);
      return;
    }

  g_clear_object (&self->counts_cancellable);
  show_filter_counts (self, counts);
  /* The database changed while counting: count again. */
  if (self->counts_again)
    start_filter_counts (self);
}

static void
start_filter_counts (WaybillWindow *self)
{
  if (self->store == NULL)
    return;

  self->counts_again = FALSE;
  self->counts_cancellable = g_cancellable_new ();
  waybill_store_count_filters_async (self->store, self->counts_cancellable, filter_counts_cb,
                                     g_object_ref (self));
}

static void
queue_filter_counts (WaybillWindow *self)
{
  if (!self->painted)
    return;

  if (self->counts_cancellable != NULL)
    self->counts_again = TRUE;
  else
    start_filter_counts (self);
}

static void
filter_selected_cb (WaybillWindow *self)
{
  guint selected = gtk_drop_down_get_selected (self->filter_dropdown);

  if (selected >= WAYBILL_N_FILTERS || selected == self->filter)
    return;

  self->filter = selected;
  apply_query (self);
}

static void
update_list_page (WaybillWindow *self)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->orders));
  g_autofree char *subtitle = NULL;

  if (n_items > 0)
    gtk_stack_set_visible_child_name (self->list_stack, "list");
  else if (waybill_order_list_model_get_search (self->orders) != NULL)
    gtk_stack_set_visible_child_name (self->list_stack, "no-results");
  else
    gtk_stack_set_visible_child_name (self->list_stack, "empty");

  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u order", "%u orders", n_items),
                              n_items);
  adw_window_title_set_subtitle (self->list_title, subtitle);
}

/* The first shipment that has a tracking number, for the copy and open
 * actions: the one the order's status comes from. */
static WaybillShipment *
shown_shipment (WaybillWindow *self)
{
  if (self->shown_order == NULL)
    return NULL;

  return waybill_order_get_primary_shipment (self->shown_order);
}

static void
update_order_actions (WaybillWindow *self)
{
  WaybillOrder *order = self->shown_order;
  WaybillShipment *shipment = shown_shipment (self);
  const WaybillCarrier *carrier = NULL;
  gboolean undelivered = FALSE;

  if (shipment != NULL)
    carrier = waybill_carrier_lookup (waybill_shipment_get_carrier (shipment));

  if (order != NULL)
    {
      GPtrArray *shipments = waybill_order_get_shipments (order);

      for (guint i = 0; i < shipments->len; i++)
        undelivered |= waybill_shipment_get_status (g_ptr_array_index (shipments, i)) != WAYBILL_STATUS_DELIVERED;
    }

  gtk_widget_set_visible (self->order_menu_button, order != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "order.copy-tracking-number", shipment != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "order.copy-tracking-link", carrier != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "order.open-carrier-page", carrier != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "order.mark-delivered", undelivered);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "order.archive",
                                 order != NULL && !waybill_order_get_archived (order));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "order.unarchive",
                                 order != NULL && waybill_order_get_archived (order));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "order.delete", order != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "order.edit", order != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "order.add-event", shipment != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "order.copy-status-reply", order != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "order.add-feedback", order != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "order.notify-customer", order != NULL);
}

/* libadwaita 1.2's AdwToastOverlay frees a toast's bookkeeping when the
 * toast's fade-out (300 ms) ends, even if its slide-in is still running;
 * the end of that slide-in then reads the freed memory, and the app
 * crashes once that memory has been reused.  A toast added while another
 * fades out slides in for 500 ms, so replacing it within 200 ms always
 * does this; a 300 ms slide-in does it when both end in the same frame.
 * So the window dismisses a toast only once it has slid in, and adds the
 * next one only once the old one has faded out.  No toast animation of
 * libadwaita 1.2 lasts longer than this: */
#define TOAST_ANIMATION_USEC (500 * G_TIME_SPAN_MILLISECOND)

static gboolean toast_tick_cb (GtkWidget     *overlay,
                               GdkFrameClock *frame_clock,
                               gpointer       user_data);

/* The overlay may animate until TOAST_ANIMATION_USEC after @now (the frame
 * clock's time, which the animations count in). */
static void
toast_wait (WaybillWindow *self,
            gint64         now)
{
  self->toast_quiet_at = MAX (self->toast_quiet_at, now + TOAST_ANIMATION_USEC);
  self->toast_settled = FALSE;
  if (self->toast_tick_id == 0)
    self->toast_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self->toast_overlay),
                                                        toast_tick_cb, self, NULL);
}

static gint64
toast_frame_time (WaybillWindow *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self->toast_overlay));

  return clock != NULL ? gdk_frame_clock_get_frame_time (clock) : g_get_monotonic_time ();
}

static void
toast_dismissed_cb (WaybillWindow *self,
                    AdwToast      *toast)
{
  if (self->toast == toast)
    self->toast = NULL;
  /* Dismissed by its timeout or its buttons: it fades out now. */
  if (self->toast_overlay != NULL && gtk_widget_get_mapped (GTK_WIDGET (self->toast_overlay)))
    toast_wait (self, toast_frame_time (self));
}

static void
add_toast (WaybillWindow *self,
           AdwToast      *toast)
{
  self->toast = toast;
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (toast_dismissed_cb), self, G_CONNECT_SWAPPED);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static gboolean
toast_tick_cb (GtkWidget     *overlay,
               GdkFrameClock *frame_clock,
               gpointer       user_data)
{
  WaybillWindow *self = user_data;
  gint64 now = gdk_frame_clock_get_frame_time (frame_clock);

  if (now < self->toast_quiet_at)
    return G_SOURCE_CONTINUE;
  /* Every animation of the overlay sees this frame's time, so all of them
   * end in this frame; act in the next one. */
  if (!self->toast_settled)
    {
      self->toast_settled = TRUE;
      return G_SOURCE_CONTINUE;
    }

  if (self->pending_toast == NULL)
    {
      self->toast_tick_id = 0;
      return G_SOURCE_REMOVE;
    }

  if (self->toast != NULL)
    adw_toast_dismiss (self->toast);
  else
    add_toast (self, g_steal_pointer (&self->pending_toast));
  toast_wait (self, now);

  return G_SOURCE_CONTINUE;
}

/* Takes @toast. */
static void
present_toast (WaybillWindow *self,
               AdwToast      *toast)
{
  /* Unmapped, the overlay animates nothing. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self->toast_overlay)))
    {
      g_clear_object (&self->pending_toast);
      if (self->toast != NULL)
        adw_toast_dismiss (self->toast);
      add_toast (self, toast);
      return;
    }

  /* A newer message replaces one still waiting. */
  g_clear_object (&self->pending_toast);
  if (self->toast_tick_id == 0 && self->toast == NULL)
    {
      add_toast (self, toast);
      toast_wait (self, toast_frame_time (self));
      return;
    }

  self->pending_toast = toast;
  if (self->toast_tick_id == 0)
    {
      /* The toast on screen has slid in: it can go now. */
      adw_toast_dismiss (self->toast);
      toast_wait (self, toast_frame_time (self));
    }
}

static void
show_toast (WaybillWindow *self,
            const char    *title)
{
  present_toast (self, adw_toast_new (title));
}

static void
show_error (WaybillWindow *self,
            const GError  *error)
{
  AdwToast *toast = adw_toast_new (error->message);

  adw_toast_set_timeout (toast, 0);
  present_toast (self, toast);
}

/* What the customer said about the order, under its summary. */
static void
show_order_feedback (WaybillWindow *self,
                     WaybillOrder  *order)
{
  g_autoptr(GPtrArray) feedback = NULL;
  g_autoptr(GError) error = NULL;

  if (order != NULL)
    {
      feedback = waybill_store_list_order_feedback (self->store, waybill_order_get_id (order), &error);
      if (feedback == NULL)
        g_warning ("Could not load the order’s feedback: %s", error->message);
    }

  waybill_order_detail_set_feedback (self->detail, feedback);
}

/* The order's messages to its customer (issue #9), under its timeline. */
static void
show_messages (WaybillWindow *self,
               WaybillOrder  *order)
{
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GError) error = NULL;

  if (order != NULL)
    {
      messages = waybill_store_list_messages (self->store, waybill_order_get_id (order), &error);
      if (messages == NULL)
        g_warning ("Could not load the order's messages: %s", error->message);
    }
  waybill_order_detail_set_messages (self->detail, messages);
}

/* A message sent or failed changes no order row: its list is read again
 * on every commit, here or in another process. */
static gboolean
refresh_messages_cb (gpointer user_data)
{
  WaybillWindow *self = user_data;

  self->messages_idle = 0;
  if (self->store != NULL && self->detail != NULL)
    show_messages (self, self->shown_order);

  return G_SOURCE_REMOVE;
}

/* Later, from the main loop: a commit may come in the middle of a change
 * of the widgets (a dialog closing, a row going away). */
static void
store_changed_messages_cb (WaybillWindow *self)
{
  if (self->messages_idle == 0)
    self->messages_idle = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, refresh_messages_cb,
                                           g_object_ref (self), g_object_unref);
}

static void
show_order (WaybillWindow *self,
            gint64         order_id)
{
  g_autoptr(WaybillOrder) order = NULL;
  g_autoptr(GError) error = NULL;

  self->selected_id = order_id;

  if (order_id > 0)
    {
      order = waybill_store_get_order (self->store, order_id, &error);
      if (order != NULL)
        {
          GPtrArray *shipments = waybill_order_get_shipments (order);

          for (guint i = 0; i < shipments->len; i++)
            if (!waybill_store_load_events (self->store, g_ptr_array_index (shipments, i), &error))
              {
                g_warning ("Could not load the timeline: %s", error->message);
                g_clear_error (&error);
              }
        }
      else if (!g_error_matches (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_NOT_FOUND))
        g_warning ("Could not load order: %s", error->message);
    }

  waybill_order_detail_set_order (self->detail, order);
  show_order_feedback (self, order);
  show_messages (self, order);
  g_set_object (&self->shown_order, order);
  update_order_actions (self);

  if (order != NULL)
    {
      g_autofree char *title = g_strdup_printf (_("Order %s"), waybill_order_get_order_number (order));

      adw_window_title_set_title (self->detail_title, title);
      adw_window_title_set_subtitle (self->detail_title, waybill_order_get_customer (order));
      gtk_stack_set_visible_child_name (self->detail_stack, "order");
    }
  else
    {
      self->selected_id = 0;
      adw_window_title_set_title (self->detail_title, "");
      adw_window_title_set_subtitle (self->detail_title, "");
      gtk_stack_set_visible_child_name (self->detail_stack, "none");
    }
}

static void
selection_changed_cb (WaybillWindow *self)
{
  WaybillOrder *order = gtk_single_selection_get_selected_item (self->selection);

  if (order != NULL)
    show_order (self, waybill_order_get_id (order));
}

static void
order_activated_cb (WaybillWindow *self,
                    guint          position)
{
  show_row (self, position);
  gtk_single_selection_set_selected (self->selection, position);
  adw_leaflet_set_visible_child (self->leaflet, self->content);
}

static void
back_clicked_cb (WaybillWindow *self)
{
  adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
}

static void
set_search (WaybillWindow *self,
            const char    *text)
{
  if (text != NULL && *text == '\0')
    text = NULL;
  if (g_strcmp0 (text, waybill_order_list_model_get_search (self->orders)) == 0)
    return;

  show_first_rows (self, text == NULL);
  self->search_changing = TRUE;
  waybill_order_list_model_set_search (self->orders, text);
  self->search_changing = FALSE;
}

static gboolean
apply_search_idle (gpointer user_data)
{
  WaybillWindow *self = user_data;

  self->search_idle_id = 0;
  set_search (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));

  return G_SOURCE_REMOVE;
}

/* Replacing the text (a paste over a selection) reports an empty field
 * first: search once for what the field holds in the end. */
static void
search_changed_cb (WaybillWindow *self)
{
  if (self->search_idle_id == 0)
    self->search_idle_id = g_idle_add_full (G_PRIORITY_DEFAULT, apply_search_idle, self, NULL);
}

static void
lookup_order_created_cb (WaybillWindow *self,
                         gint64         order_id)
{
  guint position = waybill_order_list_model_find (self->orders, order_id);

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  if (position != G_MAXUINT)
    waybill_window_select_order (self, position);
  else
    show_order (self, order_id);
}

static void
lookup_credentials_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!waybill_tracker_registry_load_credentials_finish (WAYBILL_TRACKER_REGISTRY (object), result, &error))
    g_message ("Could not read the carrier credentials from the keyring: %s", error->message);
}

/* No order has the number: ask the carrier about it (the look-up). */
static void
open_lookup (WaybillWindow *self,
             const char    *text)
{
  WaybillTrackerRegistry *registry = NULL;
  WaybillLookupWindow *lookup;
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  g_autoptr(GPtrArray) candidates = NULL;

  if (self->store == NULL || *stripped == '\0')
    return;

  /* Only what could be a tracking number is worth asking about (one with
   * a wrong check digit too: the look-up says so); a name that matches no
   * order just leaves the list empty. */
  candidates = waybill_tracking_number_detect (stripped, NULL);
  if (candidates->len == 0)
    return;

  if (self->refresher != NULL)
    registry = waybill_refresher_get_registry (self->refresher);
  if (registry == NULL)
    {
      if (self->lookup_registry == NULL)
        {
          self->lookup_registry = waybill_tracker_registry_new (NULL);
          waybill_tracker_registry_load_credentials_async (self->lookup_registry, NULL,
                                                           lookup_credentials_cb, NULL);
        }
      registry = self->lookup_registry;
    }

  lookup = waybill_lookup_window_new (GTK_WINDOW (self), self->store, registry, stripped);
  g_signal_connect_object (lookup, "order-created", G_CALLBACK (lookup_order_created_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (lookup));
}

/* Enter in the search field opens the best match: paste a tracking or
 * order number, press Enter, and the order is there.  When no order has
 * it, the look-up asks the carrier. */
static void
search_activate_cb (WaybillWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  /* The search waits a moment after typing; Enter should not. */
  g_clear_handle_id (&self->search_idle_id, g_source_remove);
  set_search (self, text);

  if (g_list_model_get_n_items (G_LIST_MODEL (self->orders)) > 0)
    order_activated_cb (self, 0);
  else
    open_lookup (self, text);
}

static void
lookup_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  WaybillWindow *self = WAYBILL_WINDOW (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}

/* After a reload (a change in the database, from here or another
 * process) keep showing the order that was shown. */
static void
orders_changed_cb (WaybillWindow *self)
{
  guint position;

  update_list_page (self);

  if (self->selected_id == 0)
    return;

  /* A new search text changes the rows, not the order shown: keep it as
   * it is, and do not bring in rows below the screenful to mark it. */
  position = waybill_order_list_model_find (self->orders, self->selected_id);
  if (position != G_MAXUINT &&
      (!self->search_changing || position < g_list_model_get_n_items (G_LIST_MODEL (self->shown))))
    {
      show_row (self, position);
      g_signal_handlers_block_by_func (self->selection, selection_changed_cb, self);
      gtk_single_selection_set_selected (self->selection, position);
      g_signal_handlers_unblock_by_func (self->selection, selection_changed_cb, self);
    }

  if (!self->search_changing)
    show_order (self, self->selected_id);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  gtk_list_item_set_child (item, GTK_WIDGET (waybill_order_row_new ()));
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  waybill_order_row_set_order (WAYBILL_ORDER_ROW (gtk_list_item_get_child (item)),
                               gtk_list_item_get_item (item));
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  waybill_order_row_set_order (WAYBILL_ORDER_ROW (gtk_list_item_get_child (item)), NULL);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  WaybillWindow *self = WAYBILL_WINDOW (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
copy_tracking_number_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  WaybillWindow *self = WAYBILL_WINDOW (widget);
  WaybillShipment *shipment = shown_shipment (self);

  if (shipment == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget),
                          waybill_shipment_get_tracking_number (shipment));
  show_toast (self, _("Tracking number copied"));
}

static char *
shown_tracking_url (WaybillWindow *self)
{
  WaybillShipment *shipment = shown_shipment (self);
  const WaybillCarrier *carrier;

  if (shipment == NULL)
    return NULL;

  carrier = waybill_carrier_lookup (waybill_shipment_get_carrier (shipment));
  if (carrier == NULL)
    return NULL;

  return waybill_carrier_get_tracking_url (carrier, waybill_shipment_get_tracking_number (shipment));
}

static void
copy_tracking_link_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  WaybillWindow *self = WAYBILL_WINDOW (widget);
  g_autofree char *url = shown_tracking_url (self);

  if (url == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), url);
  show_toast (self, _("Tracking link copied"));
}

static void
open_carrier_page_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  WaybillWindow *self = WAYBILL_WINDOW (widget);
  g_autofree char *url = shown_tracking_url (self);

  if (url != NULL)
    gtk_show_uri (GTK_WINDOW (self), url, GDK_CURRENT_TIME);
}

static void
notify_customer_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  WaybillWindow *self = WAYBILL_WINDOW (widget);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  g_autoptr(WaybillOutbox) outbox = NULL;

  if (self->shown_order == NULL || self->store == NULL)
    return;

  /* The app's outbox; a window of its own (tests) makes one. */
  if (WAYBILL_IS_APPLICATION (app) && waybill_application_get_outbox (WAYBILL_APPLICATION (app)) != NULL)
    outbox = g_object_ref (waybill_application_get_outbox (WAYBILL_APPLICATION (app)));
  else
    outbox = waybill_outbox_new (self->store, self->settings);

  gtk_window_present (GTK_WINDOW (waybill_compose_window_new (GTK_WINDOW (self), outbox, self->shown_order)));
}

static void
mark_delivered_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  WaybillWindow *self = WAYBILL_WINDOW (widget);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  g_autoptr(WaybillOrder) order = NULL;
  GPtrArray *shipments;

  if (self->shown_order == NULL)
    return;

  order = g_object_ref (self->shown_order);
  shipments = waybill_order_get_shipments (order);

  if (!waybill_store_begin (self->store, &error))
    {
      show_error (self, error);
      return;
    }

  for (guint i = 0; i < shipments->len; i++)
    {
      WaybillShipment *shipment = g_ptr_array_index (shipments, i);
      g_autoptr(WaybillTrackingEvent) event = NULL;

      if (waybill_shipment_get_status (shipment) == WAYBILL_STATUS_DELIVERED)
        continue;

      event = waybill_tracking_event_new (now, WAYBILL_STATUS_DELIVERED, "manual",
                                          _("Marked as delivered by hand"), NULL);
      if (!waybill_store_add_event (self->store, waybill_shipment_get_id (shipment), event, &error))
        {
          waybill_store_rollback (self->store);
          show_error (self, error);
          return;
        }
    }

  if (!waybill_store_commit (self->store, &error))
    show_error (self, error);
  else
    show_toast (self, _("Marked as delivered"));
}

/* The statuses a person can give an event by hand, for couriers without an
 * API: the shipment statuses, not the order stages. */
static const WaybillStatus event_statuses[] = {
  WAYBILL_STATUS_INFO_RECEIVED,
  WAYBILL_STATUS_PICKED_UP,
  WAYBILL_STATUS_IN_TRANSIT,
  WAYBILL_STATUS_OUT_FOR_DELIVERY,
  WAYBILL_STATUS_AVAILABLE_FOR_PICKUP,
  WAYBILL_STATUS_FAILED_ATTEMPT,
  WAYBILL_STATUS_DELIVERED,
  WAYBILL_STATUS_EXCEPTION,
  WAYBILL_STATUS_RETURNED,
};

static void
add_event_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       WaybillWindow    *self)
{
  GtkEditable *description = g_object_get_data (G_OBJECT (dialog), "description");
  GtkEditable *location = g_object_get_data (G_OBJECT (dialog), "location");
  GtkDropDown *status = g_object_get_data (G_OBJECT (dialog), "status");
  gint64 shipment_id = *(gint64 *) g_object_get_data (G_OBJECT (dialog), "shipment-id");
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(WaybillTrackingEvent) event = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint selected;

  if (g_strcmp0 (response, "add") != 0 || self->store == NULL)
    return;

  text = g_strstrip (g_strdup (gtk_editable_get_text (description)));
  selected = gtk_drop_down_get_selected (status);
  if (selected >= G_N_ELEMENTS (event_statuses))
    return;

  now = g_date_time_new_now_utc ();
  event = waybill_tracking_event_new (now, event_statuses[selected], "manual",
                                      *text != '\0' ? text : waybill_status_get_label (event_statuses[selected]),
                                      *gtk_editable_get_text (location) != '\0'
                                      ? gtk_editable_get_text (location) : NULL);
  if (!waybill_store_add_event (self->store, shipment_id, event, &error))
    show_error (self, error);
  else
    show_toast (self, _("Event added to the timeline"));
}

static GtkWidget *
labelled_entry (GtkBox     *box,
                const char *label)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_box_append (box, entry);

  return entry;
}

/* An event by hand, for a local courier without an API: it goes on the
 * timeline of the order's main shipment, at the current time. */
static void
add_event_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  WaybillWindow *self = WAYBILL_WINDOW (widget);
  WaybillShipment *shipment = shown_shipment (self);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  GtkWidget *dialog;
  GtkWidget *box;
  GtkWidget *status;
  g_autofree char *body = NULL;

  if (shipment == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (event_statuses); i++)
    gtk_string_list_append (names, waybill_status_get_label (event_statuses[i]));

  /* Translators: %s is a carrier and a tracking number */
  body = g_strdup_printf (_("The event goes on the timeline of %s %s, at the current time."),
                          waybill_format_carrier_name (waybill_shipment_get_carrier (shipment)),
                          waybill_shipment_get_tracking_number (shipment));
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Add Event"), body);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  status = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (names)), NULL);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (status), 2);
  gtk_accessible_update_property (GTK_ACCESSIBLE (status), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Status"), -1);
  gtk_box_append (GTK_BOX (box), status);
  g_object_set_data (G_OBJECT (dialog), "status", status);
  g_object_set_data (G_OBJECT (dialog), "description", labelled_entry (GTK_BOX (box), _("What happened")));
  g_object_set_data (G_OBJECT (dialog), "location", labelled_entry (GTK_BOX (box), _("Where (optional)")));
  {
    gint64 id = waybill_shipment_get_id (shipment);

    g_object_set_data_full (G_OBJECT (dialog), "shipment-id", g_memdup2 (&id, sizeof id), g_free);
  }
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "add", _("_Add"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "add", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "add");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (add_event_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
set_archived (WaybillWindow *self,
              gboolean       archived)
{
  g_autoptr(GError) error = NULL;

  if (self->shown_order == NULL)
    return;

  if (!waybill_store_set_archived (self->store, waybill_order_get_id (self->shown_order), archived, &error))
    show_error (self, error);
  else
    show_toast (self, archived ? _("Order archived") : _("Order moved out of the archive"));
}

static void
archive_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  set_archived (WAYBILL_WINDOW (widget), TRUE);
}

static void
unarchive_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  set_archived (WAYBILL_WINDOW (widget), FALSE);
}

static void
undo_delete_cb (WaybillWindow *self)
{
  g_autoptr(WaybillOrder) order = g_steal_pointer (&self->deleted_order);
  g_autoptr(GError) error = NULL;
  GPtrArray *shipments;

  if (order == NULL)
    return;

  /* Put it back as it was, timelines included, under a new id. */
  waybill_order_set_id (order, 0);
  shipments = waybill_order_get_shipments (order);
  for (guint i = 0; i < shipments->len; i++)
    waybill_shipment_set_id (g_ptr_array_index (shipments, i), 0);

  if (!waybill_store_create_order (self->store, order, &error))
    show_error (self, error);
  else
    show_order (self, waybill_order_get_id (order));
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  WaybillWindow *self = WAYBILL_WINDOW (widget);
  g_autoptr(WaybillOrder) order = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  AdwToast *toast;

  if (self->shown_order == NULL)
    return;

  /* The shown order has its events loaded: all Undo needs. */
  order = g_object_ref (self->shown_order);
  if (!waybill_store_delete_order (self->store, waybill_order_get_id (order), &error))
    {
      show_error (self, error);
      return;
    }

  g_set_object (&self->deleted_order, order);
  show_order (self, 0);

  title = g_strdup_printf (_("Order %s deleted"), waybill_order_get_order_number (order));
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (undo_delete_cb), self, G_CONNECT_SWAPPED);
  present_toast (self, toast);
}

static void
editor_saved_cb (WaybillWindow *self,
                 WaybillOrder  *order)
{
  guint position = waybill_order_list_model_find (self->orders, waybill_order_get_id (order));

  if (position != G_MAXUINT)
    waybill_window_select_order (self, position);
  else
    show_order (self, waybill_order_get_id (order));
}

static void
open_editor (WaybillWindow *self,
             WaybillOrder  *order)
{
  WaybillOrderEditor *editor;

  if (self->store == NULL)
    return;

  editor = waybill_order_editor_new (GTK_WINDOW (self), self->store, order);
  g_signal_connect_object (editor, "saved", G_CALLBACK (editor_saved_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
new_order_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  open_editor (WAYBILL_WINDOW (widget), NULL);
}

static void
edit_order_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  WaybillWindow *self = WAYBILL_WINDOW (widget);

  if (self->shown_order != NULL)
    open_editor (self, self->shown_order);
}

static void
import_response_cb (GtkNativeDialog *chooser,
                    int              response,
                    WaybillWindow   *self)
{
  if (response == GTK_RESPONSE_ACCEPT && self->store != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      WaybillImportWindow *import = waybill_import_window_new (GTK_WINDOW (self), self->store, file);

      gtk_window_present (GTK_WINDOW (import));
    }

  g_object_unref (chooser);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  WaybillWindow *self = WAYBILL_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) json = gtk_file_filter_new ();

  if (self->store == NULL)
    return;

  /* The native chooser goes through the portal inside Flatpak. */
  chooser = gtk_file_chooser_native_new (_("Import Orders"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (all, _("CSV and JSON Files"));
  gtk_file_filter_add_mime_type (all, "text/csv");
  gtk_file_filter_add_mime_type (all, "text/tab-separated-values");
  gtk_file_filter_add_mime_type (all, "application/json");
  gtk_file_filter_add_suffix (all, "csv");
  gtk_file_filter_add_suffix (all, "tsv");
  gtk_file_filter_add_suffix (all, "txt");
  gtk_file_filter_add_suffix (all, "json");
  gtk_file_filter_set_name (csv, _("CSV Files"));
  gtk_file_filter_add_mime_type (csv, "text/csv");
  gtk_file_filter_add_suffix (csv, "csv");
  gtk_file_filter_add_suffix (csv, "tsv");
  gtk_file_filter_set_name (json, _("Waybill JSON Exports"));
  gtk_file_filter_add_mime_type (json, "application/json");
  gtk_file_filter_add_suffix (json, "json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), csv);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), json);
  g_signal_connect_object (chooser, "response", G_CALLBACK (import_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(WaybillWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = waybill_export_ui_finish (result, &error);

  if (message != NULL)
    show_toast (self, message);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_error (self, error);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  WaybillWindow *self = WAYBILL_WINDOW (widget);

  if (self->store != NULL)
    waybill_export_ui_run_async (GTK_WINDOW (self), self->store, NULL, export_done_cb, g_object_ref (self));
}

/* The refresh button turns into a spinner while the carriers are asked;
 * its tooltip says when they were last asked. */
static void
update_refresh_state (WaybillWindow *self)
{
  gboolean refreshing;
  GDateTime *last = NULL;

  if (self->refresher == NULL)
    return;

  refreshing = waybill_refresher_get_refreshing (self->refresher);
  gtk_stack_set_visible_child_name (self->refresh_stack, refreshing ? "spinner" : "button");
  gtk_spinner_set_spinning (self->refresh_spinner, refreshing);

  g_object_get (self->refresher, "last-refresh", &last, NULL);
  if (last != NULL)
    {
      g_autofree char *when = waybill_format_date_time (last);
      /* Translators: %s is a time such as "Tue 3 Dec, 14:05" */
      g_autofree char *tooltip = g_strdup_printf (_("Refresh Now (last checked %s)"), when);

      gtk_widget_set_tooltip_text (self->refresh_button, tooltip);
      g_date_time_unref (last);
    }
}

static void
refresh_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(WaybillWindow) self = user_data;
  g_autoptr(WaybillRefreshReport) report = NULL;
  g_autoptr(GError) error = NULL;

  report = waybill_refresher_refresh_finish (WAYBILL_REFRESHER (object), result, &error);
  if (report == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error);
      return;
    }

  if (report->offline)
    show_toast (self, _("No network: the parcels will be checked when it is back"));
  else if (report->errors->len > 0)
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u parcel could not be checked; see its order",
                                                            "%u parcels could not be checked; see their orders",
                                                            report->errors->len),
                                               report->errors->len);

      show_toast (self, text);
    }
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  WaybillWindow *self = WAYBILL_WINDOW (widget);

  if (self->refresher != NULL)
    waybill_refresher_refresh_async (self->refresher, TRUE, NULL, refresh_done_cb, g_object_ref (self));
}

static void
api_paused_cb (WaybillWindow         *self,
               const char            *api_id,
               WaybillRefresherPause  reason)
{
  g_autofree char *text = NULL;

  if (reason != WAYBILL_REFRESHER_PAUSE_AUTH)
    return;

  /* Translators: %s is a tracking service such as "UPS" or "AfterShip" */
  text = g_strdup_printf (_("%s rejected Waybill’s credentials; check them in Preferences"),
                          api_id);
  show_toast (self, text);
}

/**
 * waybill_window_set_refresher:
 *
 * Gives the window the app's refresher: the Refresh Now button, its
 * progress and the last refresh time follow it.
 */
void
waybill_window_set_refresher (WaybillWindow    *self,
                              WaybillRefresher *refresher)
{
  g_return_if_fail (WAYBILL_IS_WINDOW (self));
  g_return_if_fail (refresher == NULL || WAYBILL_IS_REFRESHER (refresher));

  if (self->refresher != NULL)
    g_signal_handlers_disconnect_by_data (self->refresher, self);
  g_set_object (&self->refresher, refresher);

  gtk_widget_set_visible (GTK_WIDGET (self->refresh_stack), refresher != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.refresh", refresher != NULL);
  if (refresher == NULL)
    return;

  g_signal_connect_swapped (refresher, "notify::refreshing", G_CALLBACK (update_refresh_state), self);
  g_signal_connect_swapped (refresher, "notify::last-refresh", G_CALLBACK (update_refresh_state), self);
  g_signal_connect_swapped (refresher, "api-paused", G_CALLBACK (api_paused_cb), self);
  update_refresh_state (self);
}

static void
preferences_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  WaybillWindow *self = WAYBILL_WINDOW (widget);

  gtk_window_present (GTK_WINDOW (waybill_preferences_window_new (GTK_WINDOW (self), self->settings)));
}

/* The reply staff paste into a chat: where the order is, in words. */
static void
copy_status_reply_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  WaybillWindow *self = WAYBILL_WINDOW (widget);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *text = NULL;

  if (self->shown_order == NULL)
    return;

  text = waybill_status_reply_build (self->shown_order, now);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  show_toast (self, _("Reply copied"));
}

static void
add_feedback_response_cb (WaybillFeedbackDialog *dialog,
                          const char            *response,
                          WaybillWindow         *self)
{
  g_autoptr(WaybillFeedback) feedback = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *comment = NULL;
  gint64 order_id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "order-id"));

  if (g_strcmp0 (response, "save") != 0 || self->store == NULL ||
      waybill_feedback_dialog_get_rating (dialog) == 0)
    return;

  comment = waybill_feedback_dialog_get_comment (dialog);
  feedback = waybill_feedback_new (order_id, waybill_feedback_dialog_get_rating (dialog), comment, NULL,
                                   WAYBILL_FEEDBACK_SOURCE_STAFF);
  if (!waybill_store_add_feedback (self->store, feedback, NULL, &error))
    {
      show_error (self, error);
      return;
    }

  if (self->selected_id == order_id)
    show_order (self, order_id);
  show_toast (self, _("Feedback saved"));
}

static void
add_feedback_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  WaybillWindow *self = WAYBILL_WINDOW (widget);
  GtkWidget *dialog;

  if (self->shown_order == NULL)
    return;

  dialog = waybill_feedback_dialog_new (GTK_WINDOW (self), waybill_order_get_order_number (self->shown_order));
  /* The order is remembered by id: the shown order may be reloaded meanwhile. */
  g_object_set_data (G_OBJECT (dialog), "order-id",
                     GSIZE_TO_POINTER (waybill_order_get_id (self->shown_order)));
  g_signal_connect_object (dialog, "response", G_CALLBACK (add_feedback_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
remove_feedback_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  WaybillWindow *self = WAYBILL_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (self->store == NULL)
    return;

  if (!waybill_store_delete_feedback (self->store, g_variant_get_int64 (parameter), &error))
    {
      show_error (self, error);
      return;
    }

  show_order (self, self->selected_id);
  show_toast (self, _("Feedback removed"));
}

static void
insights_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  WaybillWindow *self = WAYBILL_WINDOW (widget);

  if (self->store != NULL)
    gtk_window_present (GTK_WINDOW (waybill_insights_window_new (GTK_WINDOW (self), self->store)));
}

static void
feedback_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  WaybillWindow *self = WAYBILL_WINDOW (widget);

  if (self->store != NULL)
    gtk_window_present (GTK_WINDOW (waybill_feedback_window_new (GTK_WINDOW (self), self->store)));
}

static void
load_demo_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  WaybillWindow *self = WAYBILL_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (!waybill_demo_fill (self->store, WAYBILL_DEMO_DEFAULT_ORDERS, 1042, &error))
    show_error (self, error);
}

static void
waybill_window_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  WaybillWindow *self = WAYBILL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SORT:
      g_value_set_string (value, sort_ids[self->sort]);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
waybill_window_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  WaybillWindow *self = WAYBILL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SORT:
      for (guint i = 0; i < WAYBILL_N_SORTS; i++)
        if (g_strcmp0 (g_value_get_string (value), sort_ids[i]) == 0 && self->sort != i)
          {
            self->sort = i;
            apply_query (self);
            g_object_notify_by_pspec (object, pspec);
          }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
waybill_window_dispose (GObject *object)
{
  WaybillWindow *self = WAYBILL_WINDOW (object);

  g_clear_handle_id (&self->counts_idle_id, g_source_remove);
  g_cancellable_cancel (self->counts_cancellable);
  g_clear_object (&self->counts_cancellable);
  g_clear_handle_id (&self->search_idle_id, g_source_remove);
  g_clear_handle_id (&self->grow_id, g_source_remove);
  self->grow_shown = FALSE;
  if (self->after_paint_id != 0)
    {
      GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

      if (clock != NULL)
        g_clear_signal_handler (&self->after_paint_id, clock);
      self->after_paint_id = 0;
    }
  if (self->toast_tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self->toast_overlay), self->toast_tick_id);
      self->toast_tick_id = 0;
    }
  g_clear_object (&self->pending_toast);
  gtk_widget_dispose_template (GTK_WIDGET (self), WAYBILL_TYPE_WINDOW);
  g_clear_object (&self->selection);
  g_clear_object (&self->shown);
  g_clear_object (&self->orders);
  if (self->refresher != NULL)
    g_signal_handlers_disconnect_by_data (self->refresher, self);
  g_clear_object (&self->refresher);
  g_clear_object (&self->lookup_registry);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->shown_order);
  g_clear_object (&self->deleted_order);

  G_OBJECT_CLASS (waybill_window_parent_class)->dispose (object);
}

static void
waybill_window_class_init (WaybillWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = waybill_window_dispose;
  object_class->get_property = waybill_window_get_property;
  object_class->set_property = waybill_window_set_property;

  properties[PROP_SORT] =
    g_param_spec_string ("sort", NULL, NULL, "newest",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (WAYBILL_TYPE_ORDER_DETAIL);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/waybill/Waybill/waybill-window.ui");
  gtk_widget_class_bind_template_child (widget_class, WaybillWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, WaybillWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, WaybillWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, WaybillWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, WaybillWindow, filter_dropdown);
  gtk_widget_class_bind_template_child (widget_class, WaybillWindow, order_menu_button);
  gtk_widget_class_bind_template_child (widget_class, WaybillWindow, refresh_stack);
  gtk_widget_class_bind_template_child (widget_class, WaybillWindow, refresh_button);
  gtk_widget_class_bind_template_child (widget_class, WaybillWindow, refresh_spinner);
  gtk_widget_class_bind_template_child (widget_class, WaybillWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, WaybillWindow, content);
  gtk_widget_class_bind_template_child (widget_class, WaybillWindow, list_title);
  gtk_widget_class_bind_template_child (widget_class, WaybillWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, WaybillWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, WaybillWindow, order_list);
  gtk_widget_class_bind_template_child (widget_class, WaybillWindow, detail_title);
  gtk_widget_class_bind_template_child (widget_class, WaybillWindow, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, WaybillWindow, detail);
  gtk_widget_class_bind_template_callback (widget_class, order_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);

  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.load-demo", NULL, load_demo_action);
  gtk_widget_class_install_action (widget_class, "win.lookup", NULL, lookup_action);
  gtk_widget_class_install_action (widget_class, "win.new-order", NULL, new_order_action);
  gtk_widget_class_install_action (widget_class, "win.preferences", NULL, preferences_action);
  gtk_widget_class_install_action (widget_class, "win.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.insights", NULL, insights_action);
  gtk_widget_class_install_action (widget_class, "win.feedback", NULL, feedback_action);
  gtk_widget_class_install_action (widget_class, "order.copy-status-reply", NULL, copy_status_reply_action);
  gtk_widget_class_install_action (widget_class, "order.add-feedback", NULL, add_feedback_action);
  gtk_widget_class_install_action (widget_class, "order.remove-feedback", "x", remove_feedback_action);
  gtk_widget_class_install_action (widget_class, "order.edit", NULL, edit_order_action);
  gtk_widget_class_install_action (widget_class, "order.add-event", NULL, add_event_action);
  gtk_widget_class_install_property_action (widget_class, "win.sort", "sort");
  gtk_widget_class_install_action (widget_class, "order.copy-tracking-number", NULL, copy_tracking_number_action);
  gtk_widget_class_install_action (widget_class, "order.copy-tracking-link", NULL, copy_tracking_link_action);
  gtk_widget_class_install_action (widget_class, "order.open-carrier-page", NULL, open_carrier_page_action);
  gtk_widget_class_install_action (widget_class, "order.mark-delivered", NULL, mark_delivered_action);
  gtk_widget_class_install_action (widget_class, "order.archive", NULL, archive_action);
  gtk_widget_class_install_action (widget_class, "order.unarchive", NULL, unarchive_action);
  gtk_widget_class_install_action (widget_class, "order.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "order.notify-customer", NULL, notify_customer_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK, "win.lookup", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new-order", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_comma, GDK_CONTROL_MASK, "win.preferences", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "order.archive", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, GDK_SHIFT_MASK, "order.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "order.copy-tracking-number", NULL);
}

/* The window keeps its size between runs.  Run from the build folder
 * without the schema installed, it simply does not. */
static void
bind_window_state (WaybillWindow *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID_BASE, TRUE);
  if (schema == NULL)
    return;

  self->settings = g_settings_new_full (schema, NULL, NULL);
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "sort-order", self, "sort", G_SETTINGS_BIND_DEFAULT);
}

/* The demo (build-aux/waybill-dev.sh run) plays the carriers on 127.0.0.1
 * and sets WAYBILL_SIMULATED_CARRIERS: a strip above everything says so. */
static void
add_simulated_carriers_banner (WaybillWindow *self)
{
  GtkWidget *content;
  GtkWidget *box;
  GtkWidget *label;

  if (g_getenv ("WAYBILL_SIMULATED_CARRIERS") == NULL)
    return;

  content = g_object_ref (adw_application_window_get_content (ADW_APPLICATION_WINDOW (self)));
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (self), NULL);

  label = gtk_label_new (_("Simulated carrier data: parcels move on their own for this demo"));
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_add_css_class (label, "warning");
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_name (label, "simulated-carriers-banner");
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
  gtk_widget_set_vexpand (content, TRUE);
  gtk_box_append (GTK_BOX (box), content);
  g_object_unref (content);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (self), box);
}

static void
waybill_window_init (WaybillWindow *self)
{
  const char *labels[WAYBILL_N_FILTERS + 1] = { NULL };

  gtk_widget_init_template (GTK_WIDGET (self));
  add_simulated_carriers_banner (self);
  g_signal_connect (self, "realize", G_CALLBACK (window_realize_cb), NULL);

  for (guint i = 0; i < WAYBILL_N_FILTERS; i++)
    labels[i] = g_dgettext (GETTEXT_PACKAGE, filters[i].label);
  self->filter_labels = gtk_string_list_new (labels);
  gtk_drop_down_set_model (self->filter_dropdown, G_LIST_MODEL (self->filter_labels));
  g_object_unref (self->filter_labels);
  g_signal_connect_object (self->filter_dropdown, "notify::selected",
                           G_CALLBACK (filter_selected_cb), self, G_CONNECT_SWAPPED);

  bind_window_state (self);
  update_order_actions (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.refresh", FALSE);

#if DEVELOPMENT
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif
}

static void
set_store (WaybillWindow *self,
           WaybillStore  *store)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  self->store = g_object_ref (store);
  self->orders = waybill_order_list_model_new (store);
  self->shown = gtk_slice_list_model_new (g_object_ref (G_LIST_MODEL (self->orders)), 0, SHOWN_FIRST);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->shown)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), NULL);
  gtk_list_view_set_factory (self->order_list, factory);
  gtk_list_view_set_model (self->order_list, GTK_SELECTION_MODEL (self->selection));

  g_signal_connect_object (self->selection, "selection-changed",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->orders, "items-changed",
                           G_CALLBACK (orders_changed_cb), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);

  g_signal_connect_object (store, "changed", G_CALLBACK (queue_filter_counts), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (store, "changed", G_CALLBACK (store_changed_messages_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->order_list)), "value-changed",
                           G_CALLBACK (list_scrolled_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->order_list)), "changed",
                           G_CALLBACK (list_resized_cb), self, G_CONNECT_SWAPPED);
  {
    GtkEventController *keys = gtk_event_controller_key_new ();

    gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
    g_signal_connect_object (keys, "key-pressed", G_CALLBACK (list_key_pressed_cb), self, G_CONNECT_SWAPPED);
    gtk_widget_add_controller (GTK_WIDGET (self->order_list), keys);
  }

  apply_query (self);
  show_first_rows (self, TRUE);
  update_list_page (self);
  /* The filter counts come after the first frame (after_paint_cb). */
  if (self->painted)
    queue_filter_counts (self);
  gtk_stack_set_visible_child_name (self->main_stack, "orders");
}

/**
 * waybill_window_new:
 * @application: (nullable): the #GtkApplication
 * @store: (nullable): the open store
 * @store_error: (nullable): why the store could not be opened
 *
 * Returns: (transfer full): a new window
 */
WaybillWindow *
waybill_window_new (gpointer      application,
                    WaybillStore *store,
                    const GError *store_error)
{
  WaybillWindow *self;

  g_return_val_if_fail (store == NULL || WAYBILL_IS_STORE (store), NULL);

  self = g_object_new (WAYBILL_TYPE_WINDOW, "application", application, NULL);

  if (store != NULL)
    set_store (self, store);
  else
    {
      adw_status_page_set_description (self->error_page,
                                       store_error ? store_error->message : _("Unknown error"));
      gtk_stack_set_visible_child_name (self->main_stack, "error");
    }

  return self;
}

GListModel *
waybill_window_get_orders (WaybillWindow *self)
{
  g_return_val_if_fail (WAYBILL_IS_WINDOW (self), NULL);

  return G_LIST_MODEL (self->orders);
}

void
waybill_window_select_order (WaybillWindow *self,
                             guint          position)
{
  g_return_if_fail (WAYBILL_IS_WINDOW (self));

  order_activated_cb (self, position);
}

GtkWidget *
waybill_window_get_detail (WaybillWindow *self)
{
  g_return_val_if_fail (WAYBILL_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->detail);
}

/**
 * waybill_window_show_order_id:
 *
 * Shows an order, wherever it is in the list (or not in it, for an
 * archived order under another filter): for a notification's
 * "Open Order".
 */
void
waybill_window_show_order_id (WaybillWindow *self,
                              gint64         order_id)
{
  guint position;

  g_return_if_fail (WAYBILL_IS_WINDOW (self));

  if (self->orders == NULL)
    return;

  position = waybill_order_list_model_find (self->orders, order_id);
  if (position != G_MAXUINT)
    waybill_window_select_order (self, position);
  else
    {
      show_order (self, order_id);
      adw_leaflet_set_visible_child (self->leaflet, self->content);
    }
}
