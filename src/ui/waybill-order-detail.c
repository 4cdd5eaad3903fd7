/* waybill-order-detail.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-order-detail"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "waybill-feedback.h"
#include "waybill-format.h"
#include "waybill-message.h"
#include "waybill-order-detail.h"
#include "waybill-status-style.h"

/* The selected order: who ordered what, where the parcels are, and each
 * parcel's timeline, newest event first.  The order it is given must have
 * its shipments' events loaded. */
struct _WaybillOrderDetail
{
  GtkWidget     parent_instance;

  WaybillOrder *order;
  GPtrArray    *shipment_groups;

  GtkLabel     *number_label;
  GtkLabel     *customer_label;
  GtkLabel     *contact_label;
  GtkWidget    *status_pill;
  GtkImage     *status_icon;
  GtkLabel     *status_label;
  AdwActionRow *delivery_row;
  AdwActionRow *items_row;
  AdwActionRow *address_row;
  AdwActionRow *note_row;
  GtkBox       *stepper;
  GtkBox       *shipments_box;
  AdwPreferencesGroup *feedback_group;
  GPtrArray    *feedback_rows;
  AdwPreferencesGroup *messages_group;
  GPtrArray    *message_rows;
  /* The messages of waybill_order_detail_set_messages(): the sent ones
   * also stand in their parcel's timeline. */
  GPtrArray    *messages;
};

G_DEFINE_FINAL_TYPE (WaybillOrderDetail, waybill_order_detail, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ORDER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_row (AdwActionRow *row,
         const char   *text)
{
  adw_action_row_set_subtitle (row, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (row), text != NULL && *text != '\0');
}

static GtkWidget *
make_event_row (WaybillTrackingEvent *event,
                gboolean              newest)
{
  g_autofree char *when = waybill_format_date_time (waybill_tracking_event_get_time (event));
  const char *location = waybill_tracking_event_get_location (event);
  const char *description = waybill_tracking_event_get_description (event);
  WaybillStatus status = waybill_tracking_event_get_status (event);
  g_autofree char *subtitle = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (waybill_status_get_icon_name (status));

  if (location != NULL)
    /* Translators: an event's time and place, such as "Tue 3 Dec, 14:05 · Memphis, TN" */
    subtitle = g_strdup_printf (_("%s · %s"), when, location);
  else
    subtitle = g_strdup (when);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 description && *description ? description
                                                             : waybill_status_get_label (status));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 3);

  gtk_widget_add_css_class (icon, "timeline-icon");
  gtk_widget_set_valign (icon, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (icon, waybill_status_get_style_class (status));
  if (newest)
    gtk_widget_add_css_class (row, "timeline-newest");
  gtk_widget_set_tooltip_text (icon, waybill_status_get_label (status));
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

  return row;
}

static char *
describe_check (WaybillShipment *shipment)
{
  GDateTime *checked = waybill_shipment_get_last_checked (shipment);
  g_autofree char *when = NULL;

  if (checked == NULL)
    return g_strdup (_("Not checked with the carrier yet"));

  when = waybill_format_date_time (checked);
  /* Translators: %s is a time such as "Tue 3 Dec, 14:05" */
  return g_strdup_printf (_("Last checked %s"), when);
}

/* A group's title is ellipsized by libadwaita 1.2; a shipment's title is
 * its tracking number, which must stay whole (large text, narrow
 * windows): it wraps instead. */
static void
wrap_title (GtkWidget  *widget,
            const char *title)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      if (GTK_IS_LABEL (c) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (c)), title) == 0)
        {
          gtk_label_set_ellipsize (GTK_LABEL (c), PANGO_ELLIPSIZE_NONE);
          gtk_label_set_wrap (GTK_LABEL (c), TRUE);
          gtk_label_set_wrap_mode (GTK_LABEL (c), PANGO_WRAP_WORD_CHAR);
          return;
        }
      wrap_title (c, title);
    }
}

static char *format_time (gint64 unix_time);

/* A message sent to the customer about this parcel, in its timeline. */
static GtkWidget *
make_sent_message_row (const WaybillMessage *message)
{
  g_autofree char *when = format_time (message->sent_at);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name ("mail-send-symbolic");
  const char *event = waybill_message_event_get_label (message->event);

  if (message->channel == WAYBILL_MESSAGE_CHANNEL_SMS)
    /* Translators: a line of a parcel's timeline, "Customer told by SMS: Out for delivery" */
    title = g_strdup_printf (_("Customer told by SMS: %s"), event);
  else
    /* Translators: a line of a parcel's timeline, "Customer told by email: Out for delivery" */
    title = g_strdup_printf (_("Customer told by email: %s"), event);
  /* Translators: when a message went out and to whom, "Tue 3 Dec, 14:05 · anna@example.com" */
  subtitle = g_strdup_printf (_("%s · %s"), when, message->recipient);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 3);
  gtk_widget_add_css_class (icon, "timeline-icon");
  gtk_widget_set_valign (icon, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (icon, _("Message to the customer"));
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  gtk_widget_add_css_class (row, "timeline-message");

  return row;
}

/* The messages sent about @shipment, newest first. */
static GPtrArray *
sent_messages_for (GPtrArray       *messages,
                   WaybillShipment *shipment)
{
  GPtrArray *sent = g_ptr_array_new ();
  gint64 id = waybill_shipment_get_id (shipment);

  for (guint i = 0; messages != NULL && i < messages->len; i++)
    {
      const WaybillMessage *message = g_ptr_array_index (messages, i);

      if (message->state == WAYBILL_MESSAGE_STATE_SENT && id > 0 && message->shipment_id == id)
        g_ptr_array_add (sent, (gpointer) message);
    }
  /* The store gives them oldest first. */
  for (guint i = 0; i < sent->len / 2; i++)
    {
      gpointer swap = sent->pdata[i];

      sent->pdata[i] = sent->pdata[sent->len - 1 - i];
      sent->pdata[sent->len - 1 - i] = swap;
    }

  return sent;
}

static GtkWidget *
make_shipment_group (WaybillShipment *shipment,
                     GPtrArray       *messages)
{
  g_autoptr(GPtrArray) sent = sent_messages_for (messages, shipment);
  guint next_message = 0;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *title = NULL;
  g_autofree char *line = waybill_format_delivery_line (shipment, now);
  g_autofree char *checked = describe_check (shipment);
  g_autofree char *description = NULL;
  const char *carrier = waybill_shipment_get_carrier (shipment);
  const char *error = waybill_shipment_get_last_error (shipment);
  GPtrArray *events = waybill_shipment_get_events (shipment);
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *pill = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  GtkWidget *pill_icon = gtk_image_new ();
  GtkWidget *pill_label = gtk_label_new (NULL);

  title = g_strdup_printf ("%s %s", waybill_format_carrier_name (carrier),
                           waybill_shipment_get_tracking_number (shipment));
  if (error != NULL)
    /* Translators: the delivery line, when it was checked, and the last error */
    description = g_strdup_printf (_("%s\n%s — %s"), line, checked, error);
  else
    description = g_strdup_printf ("%s\n%s", line, checked);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  wrap_title (group, title);

  gtk_widget_add_css_class (pill, "status-pill");
  gtk_widget_set_valign (pill, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (pill), pill_icon);
  gtk_box_append (GTK_BOX (pill), pill_label);
  waybill_status_style_apply (pill, GTK_IMAGE (pill_icon), GTK_LABEL (pill_label),
                              waybill_shipment_get_status (shipment));
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), pill);

  if (events->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No tracking events yet"));
      gtk_widget_add_css_class (row, "dim-label");
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }

  /* Events newest first, and each message sent to the customer where it
   * happened among them. */
  for (guint i = 0; i < events->len; i++)
    {
      WaybillTrackingEvent *event = g_ptr_array_index (events, i);
      gint64 at = g_date_time_to_unix (waybill_tracking_event_get_time (event));

      for (; next_message < sent->len; next_message++)
        {
          const WaybillMessage *message = g_ptr_array_index (sent, next_message);

          if (message->sent_at < at)
            break;
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), make_sent_message_row (message));
        }
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), make_event_row (event, i == 0));
    }
  for (; next_message < sent->len; next_message++)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                               make_sent_message_row (g_ptr_array_index (sent, next_message)));

  return group;
}

/* The way of an order to the customer, in five steps. */
static const struct
{
  const char *label;
  const char *icon_name;
} steps[] = {
  { N_("Received"), "mail-unread-symbolic" },
  { N_("Shipped"), "mail-send-symbolic" },
  { N_("In Transit"), "mail-send-receive-symbolic" },
  { N_("Out for Delivery"), "go-next-symbolic" },
  { N_("Delivered"), "emblem-ok-symbolic" },
};

/* Which step an order has reached, and whether something went wrong
 * there: an exception or a return is shown at the step it happened. */
static int
step_for_status (WaybillStatus  status,
                 gboolean      *problem)
{
  *problem = FALSE;

  switch (status)
    {
    case WAYBILL_STATUS_RECEIVED:
    case WAYBILL_STATUS_PROCESSING:
    case WAYBILL_STATUS_PENDING:
    case WAYBILL_STATUS_INFO_RECEIVED:
      return 0;
    case WAYBILL_STATUS_CANCELLED:
      *problem = TRUE;
      return 0;
    case WAYBILL_STATUS_SHIPPED:
    case WAYBILL_STATUS_PICKED_UP:
      return 1;
    case WAYBILL_STATUS_IN_TRANSIT:
      return 2;
    case WAYBILL_STATUS_EXCEPTION:
    case WAYBILL_STATUS_RETURNED:
    case WAYBILL_STATUS_EXPIRED:
      *problem = TRUE;
      return 2;
    case WAYBILL_STATUS_OUT_FOR_DELIVERY:
    case WAYBILL_STATUS_AVAILABLE_FOR_PICKUP:
      return 3;
    case WAYBILL_STATUS_FAILED_ATTEMPT:
      *problem = TRUE;
      return 3;
    case WAYBILL_STATUS_DELIVERED:
      return 4;
    case WAYBILL_N_STATUSES:
    case WAYBILL_STATUS_INVALID:
    default:
      return 0;
    }
}

static void
update_stepper (WaybillOrderDetail *self)
{
  WaybillStatus status = waybill_order_get_display_status (self->order);
  gboolean problem;
  int reached = step_for_status (status, &problem);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->stepper))) != NULL)
    gtk_box_remove (self->stepper, child);

  for (int i = 0; i < (int) G_N_ELEMENTS (steps); i++)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
      GtkWidget *icon;
      GtkWidget *label;
      const char *text = g_dgettext (GETTEXT_PACKAGE, steps[i].label);
      const char *icon_name = steps[i].icon_name;
      g_autofree char *accessible = NULL;

      /* Where it went wrong, the step says what happened. */
      if (i == reached && problem)
        {
          text = waybill_status_get_label (status);
          icon_name = waybill_status_get_icon_name (status);
        }

      icon = gtk_image_new_from_icon_name (icon_name);
      label = gtk_label_new (text);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
      gtk_widget_add_css_class (label, "caption");
      gtk_widget_add_css_class (icon, "step-icon");
      gtk_widget_set_halign (icon, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (box), icon);
      gtk_box_append (GTK_BOX (box), label);
      gtk_widget_add_css_class (box, "step");

      if (i < reached)
        gtk_widget_add_css_class (box, "done");
      else if (i == reached)
        gtk_widget_add_css_class (box, problem ? "problem" : "current");

      accessible = g_strdup_printf ("%s%s", text,
                                    i < reached ? _(": done") : i == reached ? _(": now") : "");
      gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
      gtk_box_append (self->stepper, box);
    }
}

static void
clear_shipments (WaybillOrderDetail *self)
{
  for (guint i = 0; i < self->shipment_groups->len; i++)
    gtk_box_remove (self->shipments_box, g_ptr_array_index (self->shipment_groups, i));
  g_ptr_array_set_size (self->shipment_groups, 0);
}

static void
update_shipments (WaybillOrderDetail *self)
{
  GPtrArray *shipments;

  clear_shipments (self);
  if (self->order == NULL)
    return;

  shipments = waybill_order_get_shipments (self->order);
  for (guint i = 0; i < shipments->len; i++)
    {
      GtkWidget *group = make_shipment_group (g_ptr_array_index (shipments, i), self->messages);

      gtk_box_append (self->shipments_box, group);
      g_ptr_array_add (self->shipment_groups, group);
    }
}

static void
update (WaybillOrderDetail *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *title = NULL;
  g_autofree char *contact = NULL;
  g_autofree char *line = NULL;
  g_autoptr(PangoAttrList) attributes = NULL;
  const char *email, *phone;

  clear_shipments (self);

  if (self->order == NULL)
    return;

  title = g_strdup_printf (_("Order %s"), waybill_order_get_order_number (self->order));
  gtk_label_set_label (self->number_label, title);
  gtk_label_set_label (self->customer_label, waybill_order_get_customer (self->order));

  email = waybill_order_get_email (self->order);
  phone = waybill_order_get_phone (self->order);
  if (email && phone)
    /* A line too long breaks after the dot, never before it. */
    contact = g_strdup_printf ("%s\u00a0· %s", email, phone);
  else
    contact = g_strdup (email ? email : phone ? phone : "");
  gtk_label_set_label (self->contact_label, contact);
  /* A phone number is read whole: the line never breaks inside it (its
   * text stays as it is, for copying). */
  attributes = pango_attr_list_new ();
  if (phone != NULL)
    {
      PangoAttribute *no_breaks = pango_attr_allow_breaks_new (FALSE);

      no_breaks->end_index = strlen (contact);
      no_breaks->start_index = no_breaks->end_index - strlen (phone);
      pango_attr_list_insert (attributes, no_breaks);
    }
  gtk_label_set_attributes (self->contact_label, attributes);
  gtk_widget_set_visible (GTK_WIDGET (self->contact_label), *contact != '\0');

  waybill_status_style_apply (self->status_pill, self->status_icon, self->status_label,
                              waybill_order_get_display_status (self->order));
  update_stepper (self);

  line = waybill_format_order_line (self->order, now);
  if (waybill_order_get_delayed (self->order))
    {
      g_autofree char *delayed = g_strdup_printf (_("%s (delayed)"), line);

      set_row (self->delivery_row, delayed);
    }
  else
    set_row (self->delivery_row, line);
  set_row (self->items_row, waybill_order_get_items (self->order));
  set_row (self->address_row, waybill_order_get_address (self->order));
  set_row (self->note_row, waybill_order_get_note (self->order));

  update_shipments (self);
}

static void
waybill_order_detail_dispose (GObject *object)
{
  WaybillOrderDetail *self = WAYBILL_ORDER_DETAIL (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), WAYBILL_TYPE_ORDER_DETAIL);
  /* The template's top box is not a bound child: unparent it here. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self));
       child != NULL;
       child = gtk_widget_get_first_child (GTK_WIDGET (self)))
    gtk_widget_unparent (child);
  g_clear_object (&self->order);

  G_OBJECT_CLASS (waybill_order_detail_parent_class)->dispose (object);
}

static void
waybill_order_detail_finalize (GObject *object)
{
  WaybillOrderDetail *self = WAYBILL_ORDER_DETAIL (object);

  g_clear_pointer (&self->shipment_groups, g_ptr_array_unref);
  g_clear_pointer (&self->feedback_rows, g_ptr_array_unref);
  g_clear_pointer (&self->message_rows, g_ptr_array_unref);
  g_clear_pointer (&self->messages, g_ptr_array_unref);

  G_OBJECT_CLASS (waybill_order_detail_parent_class)->finalize (object);
}

static void
waybill_order_detail_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  WaybillOrderDetail *self = WAYBILL_ORDER_DETAIL (object);

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
waybill_order_detail_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  WaybillOrderDetail *self = WAYBILL_ORDER_DETAIL (object);

  switch (prop_id)
    {
    case PROP_ORDER:
      waybill_order_detail_set_order (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
waybill_order_detail_class_init (WaybillOrderDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = waybill_order_detail_dispose;
  object_class->finalize = waybill_order_detail_finalize;
  object_class->get_property = waybill_order_detail_get_property;
  object_class->set_property = waybill_order_detail_set_property;

  properties[PROP_ORDER] =
    g_param_spec_object ("order", NULL, NULL, WAYBILL_TYPE_ORDER,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/waybill/Waybill/waybill-order-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, WaybillOrderDetail, number_label);
  gtk_widget_class_bind_template_child (widget_class, WaybillOrderDetail, customer_label);
  gtk_widget_class_bind_template_child (widget_class, WaybillOrderDetail, contact_label);
  gtk_widget_class_bind_template_child (widget_class, WaybillOrderDetail, status_pill);
  gtk_widget_class_bind_template_child (widget_class, WaybillOrderDetail, status_icon);
  gtk_widget_class_bind_template_child (widget_class, WaybillOrderDetail, status_label);
  gtk_widget_class_bind_template_child (widget_class, WaybillOrderDetail, delivery_row);
  gtk_widget_class_bind_template_child (widget_class, WaybillOrderDetail, items_row);
  gtk_widget_class_bind_template_child (widget_class, WaybillOrderDetail, address_row);
  gtk_widget_class_bind_template_child (widget_class, WaybillOrderDetail, note_row);
  gtk_widget_class_bind_template_child (widget_class, WaybillOrderDetail, stepper);
  gtk_widget_class_bind_template_child (widget_class, WaybillOrderDetail, shipments_box);
  gtk_widget_class_bind_template_child (widget_class, WaybillOrderDetail, feedback_group);
  gtk_widget_class_bind_template_child (widget_class, WaybillOrderDetail, messages_group);
}

static void
waybill_order_detail_init (WaybillOrderDetail *self)
{
  self->shipment_groups = g_ptr_array_new ();
  self->feedback_rows = g_ptr_array_new ();
  self->message_rows = g_ptr_array_new ();
  /* Once: a second call would build a second copy of the whole page,
   * laid over the first by the bin layout. */
  gtk_widget_init_template (GTK_WIDGET (self));
  waybill_order_detail_set_feedback (self, NULL);
  waybill_order_detail_set_messages (self, NULL);
}

WaybillOrder *
waybill_order_detail_get_order (WaybillOrderDetail *self)
{
  g_return_val_if_fail (WAYBILL_IS_ORDER_DETAIL (self), NULL);

  return self->order;
}

void
waybill_order_detail_set_order (WaybillOrderDetail *self,
                                WaybillOrder       *order)
{
  g_return_if_fail (WAYBILL_IS_ORDER_DETAIL (self));
  g_return_if_fail (order == NULL || WAYBILL_IS_ORDER (order));

  /* A reload gives a new object for the same order: always redraw. */
  g_set_object (&self->order, order);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORDER]);
}

/**
 * waybill_order_detail_set_feedback:
 * @feedback: (nullable) (element-type WaybillFeedback): the order's
 *   feedback, newest first
 *
 * Shows what the customer said about the order, under the summary.
 */
void
waybill_order_detail_set_feedback (WaybillOrderDetail *self,
                                   GPtrArray          *feedback)
{
  g_return_if_fail (WAYBILL_IS_ORDER_DETAIL (self));

  for (guint i = 0; i < self->feedback_rows->len; i++)
    adw_preferences_group_remove (self->feedback_group, g_ptr_array_index (self->feedback_rows, i));
  g_ptr_array_set_size (self->feedback_rows, 0);

  if (feedback == NULL || feedback->len == 0)
    {
      adw_preferences_group_set_description (self->feedback_group, _("No feedback from the customer yet"));
      return;
    }

  adw_preferences_group_set_description (self->feedback_group, NULL);

  for (guint i = 0; i < feedback->len; i++)
    {
      WaybillFeedback *item = g_ptr_array_index (feedback, i);
      guint rating = waybill_feedback_get_rating (item);
      const char *comment = waybill_feedback_get_comment (item);
      g_autoptr(GDateTime) local = g_date_time_to_local (waybill_feedback_get_given_at (item));
      g_autoptr(GString) stars = g_string_new (NULL);
      g_autofree char *day = NULL;
      g_autofree char *subtitle = NULL;
      g_autofree char *accessible = NULL;
      GtkWidget *row = adw_action_row_new ();

      for (guint s = 1; s <= WAYBILL_FEEDBACK_MAX_RATING; s++)
        g_string_append (stars, s <= rating ? "★" : "☆");

      /* Translators: a date such as "Tue 3 Dec 2025", see strftime(3) */
      day = g_date_time_format (local, _("%a %-d %b %Y"));
      /* Translators: when feedback was given and where it came from, "Tue 3 Dec 2025 · Survey" */
      subtitle = g_strdup_printf (_("%s · %s"), day,
                                  waybill_feedback_source_get_label (waybill_feedback_get_source (item)));

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), *comment ? comment : stars->str);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 4);
      if (*comment)
        {
          GtkWidget *label = gtk_label_new (stars->str);

          gtk_widget_add_css_class (label, "rating-stars");
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
        }

      {
        GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

        gtk_widget_add_css_class (remove, "flat");
        gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
        gtk_widget_set_tooltip_text (remove, _("Remove Feedback"));
        gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        _("Remove Feedback"), -1);
        gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "order.remove-feedback");
        gtk_actionable_set_action_target_value (GTK_ACTIONABLE (remove),
                                                g_variant_new_int64 (waybill_feedback_get_id (item)));
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      }

      accessible = g_strdup_printf (ngettext ("%u star: %s", "%u stars: %s", rating), rating,
                                    *comment ? comment : subtitle);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);

      adw_preferences_group_add (self->feedback_group, row);
      g_ptr_array_add (self->feedback_rows, row);
    }
}

/**
 * waybill_order_detail_get_feedback_group:
 *
 * Returns: (transfer none): the feedback section, for tests
 */
GtkWidget *
waybill_order_detail_get_feedback_group (WaybillOrderDetail *self)
{
  g_return_val_if_fail (WAYBILL_IS_ORDER_DETAIL (self), NULL);

  return GTK_WIDGET (self->feedback_group);
}
static char *
format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (unix_time);

  return waybill_format_date_time (time);
}

static GtkWidget *
make_message_row (const WaybillMessage *message)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new ();
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *when = NULL;
  const char *channel = message->channel == WAYBILL_MESSAGE_CHANNEL_SMS ? _("SMS") : _("Email");

  /* Translators: "Out for delivery · Email" */
  title = g_strdup_printf (_("%s · %s"), waybill_message_event_get_label (message->event), channel);

  switch (message->state)
    {
    case WAYBILL_MESSAGE_STATE_SENT:
      when = format_time (message->sent_at);
      /* Translators: "Sent Tue 3 Dec 14:05 to anna@example.com" */
      subtitle = g_strdup_printf (_("Sent %s to %s"), when, message->recipient);
      gtk_image_set_from_icon_name (GTK_IMAGE (icon), "mail-send-symbolic");
      break;
    case WAYBILL_MESSAGE_STATE_FAILED:
      subtitle = g_strdup_printf (_("Not sent: %s"), message->last_error != NULL ? message->last_error : "");
      gtk_image_set_from_icon_name (GTK_IMAGE (icon), "dialog-error-symbolic");
      gtk_widget_add_css_class (row, "error");
      break;
    case WAYBILL_MESSAGE_STATE_SENDING:
      subtitle = g_strdup_printf (_("Sending to %s…"), message->recipient);
      gtk_image_set_from_icon_name (GTK_IMAGE (icon), "mail-outbox-symbolic");
      break;
    case WAYBILL_MESSAGE_STATE_QUEUED:
    default:
      if (message->last_error != NULL)
        {
          when = format_time (message->next_attempt);
          /* Translators: "Not sent yet (next try Tue 3 Dec 14:05): the mail server…" */
          subtitle = g_strdup_printf (_("Not sent yet (next try %s): %s"), when, message->last_error);
          gtk_image_set_from_icon_name (GTK_IMAGE (icon), "dialog-warning-symbolic");
          gtk_widget_add_css_class (row, "warning");
        }
      else
        {
          subtitle = g_strdup_printf (_("Waiting to be sent to %s"), message->recipient);
          gtk_image_set_from_icon_name (GTK_IMAGE (icon), "mail-outbox-symbolic");
        }
      break;
    }

  /* Errors quote servers and addresses ("<anna@example.com>"): plain text. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

  return row;
}

/**
 * waybill_order_detail_set_messages:
 * @messages: (nullable) (element-type WaybillMessage): the order's messages
 *   to its customer, oldest first, as waybill_store_list_messages() gives
 *   them
 *
 * Shows what was sent, what waits and what failed, newest first.
 */
void
waybill_order_detail_set_messages (WaybillOrderDetail *self,
                                   GPtrArray          *messages)
{
  g_return_if_fail (WAYBILL_IS_ORDER_DETAIL (self));

  for (guint i = 0; i < self->message_rows->len; i++)
    adw_preferences_group_remove (self->messages_group, g_ptr_array_index (self->message_rows, i));
  g_ptr_array_set_size (self->message_rows, 0);

  if (messages != NULL)
    g_ptr_array_ref (messages);
  g_clear_pointer (&self->messages, g_ptr_array_unref);
  self->messages = messages;
  update_shipments (self);

  if (messages == NULL || messages->len == 0)
    {
      adw_preferences_group_set_description (self->messages_group, _("Nothing sent yet"));
      return;
    }

  adw_preferences_group_set_description (self->messages_group, NULL);
  for (guint i = messages->len; i > 0; i--)
    {
      GtkWidget *row = make_message_row (g_ptr_array_index (messages, i - 1));

      adw_preferences_group_add (self->messages_group, row);
      g_ptr_array_add (self->message_rows, row);
    }
}
