/* waybill-lookup-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-lookup-window"

#include "config.h"

#include <glib/gi18n.h>

#include "waybill-carrier.h"
#include "waybill-format.h"
#include "waybill-lookup-window.h"
#include "waybill-order-editor.h"

/* The look-up's answer for a number no order has: the number is tracked
 * ad hoc through the configured APIs (waybill_tracker_registry_track_number_async,
 * no HTTP here) and what the carrier says is shown: status, carrier,
 * estimated delivery and the events.  "Create Order from This" opens the
 * editor with the number and carrier filled in; once the order is saved,
 * the events fetched here are recorded on its shipment, so that nothing
 * is asked twice. */
struct _WaybillLookupWindow
{
  AdwWindow               parent_instance;

  WaybillStore           *store;
  WaybillTrackerRegistry *registry;
  GCancellable           *cancellable;
  char                   *input;

  /* What the carrier said. */
  char                   *number;
  char                   *carrier_id;
  WaybillTrackingResult  *result;
  GDateTime              *checked_at;
  gboolean                saved;

  AdwWindowTitle         *window_title;
  GtkStack               *stack;
  GtkSpinner             *spinner;
  GtkLabel               *loading_label;
  AdwStatusPage          *error_page;
  AdwActionRow           *status_row;
  GtkImage               *status_icon;
  AdwActionRow           *carrier_row;
  AdwActionRow           *delivery_row;
  AdwPreferencesGroup    *events_group;
  GtkButton              *create_button;
};

G_DEFINE_FINAL_TYPE (WaybillLookupWindow, waybill_lookup_window, ADW_TYPE_WINDOW)

enum {
  ORDER_CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
error_title (const GError *error)
{
  if (error->domain == WAYBILL_TRACKER_ERROR)
    switch ((WaybillTrackerError) error->code)
      {
      case WAYBILL_TRACKER_ERROR_NOT_FOUND:
        return _("Nothing Found");
      case WAYBILL_TRACKER_ERROR_AUTH:
        return _("The Carrier Account Was Rejected");
      case WAYBILL_TRACKER_ERROR_RATE_LIMITED:
        return _("Too Many Requests");
      case WAYBILL_TRACKER_ERROR_UNAVAILABLE:
        return _("Tracking Service Unavailable");
      case WAYBILL_TRACKER_ERROR_BAD_RESPONSE:
        return _("Unreadable Answer");
      case WAYBILL_TRACKER_ERROR_NETWORK:
        return _("No Connection");
      case WAYBILL_TRACKER_ERROR_NOT_CONFIGURED:
        return _("No Tracking Service Set Up");
      default:
        break;
      }

  return _("Could Not Look Up the Number");
}

static void
show_error (WaybillLookupWindow *self,
            const GError        *error)
{
  g_autofree char *description = NULL;

  adw_status_page_set_title (self->error_page, error_title (error));
  /* Translators: the number looked up, then why it could not be tracked */
  description = g_strdup_printf (_("No order has the number “%s”.\n%s"), self->input, error->message);
  adw_status_page_set_description (self->error_page, description);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

static GtkWidget *
make_event_row (WaybillTrackingEvent *event)
{
  g_autofree char *when = waybill_format_date_time (waybill_tracking_event_get_time (event));
  const char *location = waybill_tracking_event_get_location (event);
  const char *description = waybill_tracking_event_get_description (event);
  WaybillStatus status = waybill_tracking_event_get_status (event);
  g_autofree char *subtitle = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (waybill_status_get_icon_name (status));

  if (location != NULL && *location != '\0')
    /* Translators: an event's time and place, such as "Tue 3 Dec, 14:05 · Memphis, TN" */
    subtitle = g_strdup_printf (_("%s · %s"), when, location);
  else
    subtitle = g_strdup (when);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 description != NULL && *description != '\0'
                                 ? description : waybill_status_get_label (status));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 3);
  gtk_widget_add_css_class (icon, "timeline-icon");
  gtk_widget_add_css_class (icon, waybill_status_get_style_class (status));
  gtk_widget_set_valign (icon, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (icon, waybill_status_get_label (status));
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  waybill_status_get_label (status), -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

  return row;
}

static int
newest_first (gconstpointer a,
              gconstpointer b)
{
  WaybillTrackingEvent *ea = *(WaybillTrackingEvent **) a;
  WaybillTrackingEvent *eb = *(WaybillTrackingEvent **) b;

  return g_date_time_compare (waybill_tracking_event_get_time (eb), waybill_tracking_event_get_time (ea));
}

static char *
describe_delivery (WaybillTrackingResult *result)
{
  if (result->delivered_at != NULL)
    return waybill_format_date_time (result->delivered_at);
  if (result->estimated_to != NULL || result->estimated_from != NULL)
    return waybill_format_date_time (result->estimated_to ? result->estimated_to : result->estimated_from);
  if (waybill_status_is_final (result->status))
    return g_strdup (_("None: the parcel is no longer on its way"));

  return g_strdup (_("The carrier has not said yet"));
}

static void
show_result (WaybillLookupWindow *self,
             const char          *service)
{
  WaybillTrackingResult *result = self->result;
  g_autoptr(GPtrArray) events = g_ptr_array_new ();
  g_autofree char *status = NULL;
  g_autofree char *carrier = NULL;
  g_autofree char *delivery = describe_delivery (result);
  const char *carrier_name = waybill_format_carrier_name (self->carrier_id);

  if (result->status == WAYBILL_STATUS_EXCEPTION && result->exception_reason != WAYBILL_EXCEPTION_NONE)
    /* Translators: a status and its reason, such as "Exception: customs" */
    status = g_strdup_printf (_("%s: %s"), waybill_status_get_label (result->status),
                              waybill_exception_reason_get_label (result->exception_reason));
  else
    status = g_strdup (waybill_status_get_label (result->status));
  adw_action_row_set_subtitle (self->status_row, status);
  gtk_image_set_from_icon_name (self->status_icon, waybill_status_get_icon_name (result->status));
  gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), "timeline-icon");
  gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), waybill_status_get_style_class (result->status));

  if (service != NULL && g_strcmp0 (service, carrier_name) != 0)
    /* Translators: a carrier, its tracking number and the service that
     * answered, such as "Royal Mail · AB123456789GB · via AfterShip" */
    carrier = g_strdup_printf (_("%s · %s · via %s"), carrier_name, self->number, service);
  else
    /* Translators: a carrier and its tracking number */
    carrier = g_strdup_printf (_("%s · %s"), carrier_name, self->number);
  adw_action_row_set_subtitle (self->carrier_row, carrier);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->delivery_row),
                                 result->delivered_at != NULL ? _("Delivered") : _("Estimated Delivery"));
  adw_action_row_set_subtitle (self->delivery_row, delivery);

  for (guint i = 0; i < result->events->len; i++)
    g_ptr_array_add (events, g_ptr_array_index (result->events, i));
  g_ptr_array_sort (events, newest_first);
  for (guint i = 0; i < events->len; i++)
    adw_preferences_group_add (self->events_group, make_event_row (g_ptr_array_index (events, i)));
  if (events->len == 0)
    adw_preferences_group_set_description (self->events_group, _("The carrier has no events for this parcel yet."));

  gtk_stack_set_visible_child_name (self->stack, "result");
  gtk_widget_grab_focus (GTK_WIDGET (self->create_button));
}

static void
tracked_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(WaybillLookupWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  const char *carrier_id = NULL;
  const char *service = NULL;

  self->result = waybill_tracker_registry_track_number_finish (WAYBILL_TRACKER_REGISTRY (object), result,
                                                               &self->number, &carrier_id, &service,
                                                               &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);
  gtk_spinner_stop (self->spinner);

  if (self->result == NULL)
    {
      show_error (self, error);
      return;
    }

  self->carrier_id = g_strdup (carrier_id);
  self->checked_at = g_date_time_new_now_utc ();
  show_result (self, service);
}

/* Once the order is saved, the answer already fetched is recorded on its
 * shipment for this number. */
static void
editor_saved_cb (WaybillLookupWindow *self,
                 WaybillOrder        *order)
{
  GPtrArray *shipments = waybill_order_get_shipments (order);

  for (guint i = 0; i < shipments->len; i++)
    {
      WaybillShipment *shipment = g_ptr_array_index (shipments, i);
      g_autoptr(GError) error = NULL;

      if (g_strcmp0 (waybill_shipment_get_tracking_number (shipment), self->number) != 0)
        continue;

      if (!waybill_store_record_result (self->store, waybill_shipment_get_id (shipment), self->result,
                                        self->checked_at, NULL, &error))
        g_warning ("Could not keep the tracking events looked up: %s", error->message);
      break;
    }

  self->saved = TRUE;
  g_signal_emit (self, signals[ORDER_CREATED], 0, waybill_order_get_id (order));
}

/* Saved: the look-up is done.  Cancelled: back to the answer. */
static void
editor_destroy_cb (WaybillLookupWindow *self)
{
  if (self->saved)
    gtk_window_destroy (GTK_WINDOW (self));
  else
    gtk_window_present (GTK_WINDOW (self));
}

/**
 * waybill_lookup_window_create_order:
 *
 * Opens the order editor with the number and its carrier filled in, as
 * "Create Order from This" does.  The look-up closes when it is saved.
 *
 * Returns: (transfer none) (nullable): the editor, or %NULL when there is
 *   no answer to create an order from
 */
GtkWindow *
waybill_lookup_window_create_order (WaybillLookupWindow *self)
{
  WaybillOrderEditor *editor;
  GtkWindow *parent;

  g_return_val_if_fail (WAYBILL_IS_LOOKUP_WINDOW (self), NULL);

  if (self->result == NULL || self->store == NULL)
    return NULL;

  /* The editor belongs to the main window: the look-up goes away with it. */
  parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  editor = waybill_order_editor_new (parent != NULL ? parent : GTK_WINDOW (self), self->store, NULL);
  waybill_order_editor_set_tracking (editor, self->number, self->carrier_id);
  g_signal_connect_object (editor, "saved", G_CALLBACK (editor_saved_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  g_signal_connect_object (editor, "destroy", G_CALLBACK (editor_destroy_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (editor));

  return GTK_WINDOW (editor);
}

static void
create_clicked_cb (WaybillLookupWindow *self)
{
  waybill_lookup_window_create_order (self);
}

gboolean
waybill_lookup_window_get_busy (WaybillLookupWindow *self)
{
  g_return_val_if_fail (WAYBILL_IS_LOOKUP_WINDOW (self), FALSE);

  return self->cancellable != NULL;
}

static void
waybill_lookup_window_dispose (GObject *object)
{
  WaybillLookupWindow *self = WAYBILL_LOOKUP_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), WAYBILL_TYPE_LOOKUP_WINDOW);
  g_clear_object (&self->store);
  g_clear_object (&self->registry);

  G_OBJECT_CLASS (waybill_lookup_window_parent_class)->dispose (object);
}

static void
waybill_lookup_window_finalize (GObject *object)
{
  WaybillLookupWindow *self = WAYBILL_LOOKUP_WINDOW (object);

  g_free (self->input);
  g_free (self->number);
  g_free (self->carrier_id);
  g_clear_pointer (&self->result, waybill_tracking_result_free);
  g_clear_pointer (&self->checked_at, g_date_time_unref);

  G_OBJECT_CLASS (waybill_lookup_window_parent_class)->finalize (object);
}

static void
waybill_lookup_window_class_init (WaybillLookupWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = waybill_lookup_window_dispose;
  object_class->finalize = waybill_lookup_window_finalize;

  /**
   * WaybillLookupWindow::order-created:
   * @order_id: the new order
   *
   * Emitted when an order made from the look-up is saved.
   */
  signals[ORDER_CREATED] =
    g_signal_new ("order-created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/waybill/Waybill/waybill-lookup-window.ui");
  gtk_widget_class_bind_template_child (widget_class, WaybillLookupWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, WaybillLookupWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, WaybillLookupWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, WaybillLookupWindow, loading_label);
  gtk_widget_class_bind_template_child (widget_class, WaybillLookupWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, WaybillLookupWindow, status_row);
  gtk_widget_class_bind_template_child (widget_class, WaybillLookupWindow, status_icon);
  gtk_widget_class_bind_template_child (widget_class, WaybillLookupWindow, carrier_row);
  gtk_widget_class_bind_template_child (widget_class, WaybillLookupWindow, delivery_row);
  gtk_widget_class_bind_template_child (widget_class, WaybillLookupWindow, events_group);
  gtk_widget_class_bind_template_child (widget_class, WaybillLookupWindow, create_button);
  gtk_widget_class_bind_template_callback (widget_class, create_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
waybill_lookup_window_init (WaybillLookupWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * waybill_lookup_window_new:
 * @parent: (nullable): the main window
 * @store: where an order made from the answer is saved
 * @registry: the tracking APIs to ask
 * @input: the number as typed or pasted
 *
 * Creates the look-up and starts asking at once.
 *
 * Returns: (transfer none): the window, owned by GTK like every toplevel
 */
WaybillLookupWindow *
waybill_lookup_window_new (GtkWindow              *parent,
                           WaybillStore           *store,
                           WaybillTrackerRegistry *registry,
                           const char             *input)
{
  WaybillLookupWindow *self;
  g_autofree char *asking = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (WAYBILL_IS_STORE (store), NULL);
  g_return_val_if_fail (WAYBILL_IS_TRACKER_REGISTRY (registry), NULL);
  g_return_val_if_fail (input != NULL, NULL);

  self = g_object_new (WAYBILL_TYPE_LOOKUP_WINDOW,
                       "transient-for", parent,
                       "application", parent ? gtk_window_get_application (parent) : NULL,
                       NULL);
  self->store = g_object_ref (store);
  self->registry = g_object_ref (registry);
  self->input = g_strstrip (g_strdup (input));
  self->cancellable = g_cancellable_new ();

  adw_window_title_set_subtitle (self->window_title, self->input);
  /* Translators: %s is the number looked up */
  asking = g_strdup_printf (_("No order has “%s”. Asking the carrier…"), self->input);
  gtk_label_set_label (self->loading_label, asking);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  gtk_spinner_start (self->spinner);

  waybill_tracker_registry_track_number_async (registry, self->input, NULL, self->cancellable,
                                               tracked_cb, g_object_ref (self));

  return self;
}
