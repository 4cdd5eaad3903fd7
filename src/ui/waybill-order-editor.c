/* waybill-order-editor.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-order-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "waybill-carrier.h"
#include "waybill-format.h"
#include "waybill-order-editor.h"
#include "waybill-tracking-number.h"

/* The order editor: a modal window that adds an order or edits one, with
 * its shipments.  Everything is kept in the form until Save, which writes
 * through the store's calls in one transaction; problems are shown on the
 * field they concern, never in a popup.  A tracking number is checked as
 * it is typed, and its carrier chosen from the number. */

/* The fields whose content is checked, each with a short message beside
 * it.  A field's message is only shown once the person has left the field
 * or tried to save: nobody wants to be told off while still typing. */
typedef enum
{
  FIELD_NUMBER,
  FIELD_CUSTOMER,
  FIELD_EMAIL,
  N_FIELDS
} Field;

/* What can be done with the tracking number being typed. */
typedef enum
{
  TRACKING_EMPTY,
  /* The number fits the chosen carrier: it can be added. */
  TRACKING_OK,
  /* Something is off (a wrong check digit, an unknown format): it is only
   * added after an explicit "Keep Anyway". */
  TRACKING_CONFIRM,
  /* It cannot be added at all (not a tracking number, already there). */
  TRACKING_INVALID,
} TrackingState;

struct _WaybillOrderEditor
{
  AdwWindow             parent_instance;

  WaybillStore         *store;
  /* The order as it was loaded; NULL for a new order. */
  WaybillOrder         *order;
  /* The shipments shown: those kept from the order, then new ones. */
  GPtrArray            *shipments;
  GArray               *removed_ids;
  GPtrArray            *shipment_rows;
  const WaybillCarrier * const *carriers;
  guint                 n_carriers;
  /* The order number the store refused as a duplicate, until changed. */
  char                 *rejected_number;

  TrackingState         tracking_state;
  char                 *tracking_number;
  const WaybillCarrier *tracking_carrier;
  gboolean              carrier_overridden;
  gboolean              setting_carrier;

  gboolean              reveal[N_FIELDS];
  gboolean              can_save;
  gboolean              modified;
  gboolean              done;
  GtkWindow            *discard_dialog;

  /* Template widgets */
  GtkWidget            *cancel_button;
  GtkWidget            *save_button;
  AdwToastOverlay      *toast_overlay;
  AdwEntryRow          *number_row;
  GtkLabel             *number_error;
  AdwEntryRow          *customer_row;
  GtkLabel             *customer_error;
  AdwEntryRow          *email_row;
  GtkLabel             *email_error;
  AdwEntryRow          *phone_row;
  GtkTextView          *address_view;
  GtkTextBuffer        *address_buffer;
  GtkTextView          *items_view;
  GtkTextBuffer        *items_buffer;
  AdwEntryRow          *note_row;
  AdwPreferencesGroup  *shipments_group;
  AdwEntryRow          *tracking_row;
  GtkImage             *tracking_icon;
  GtkWidget            *add_button;
  AdwActionRow         *verdict_row;
  GtkImage             *verdict_icon;
  GtkWidget            *keep_button;
  AdwComboRow          *carrier_row;
  AdwComboRow          *contact_row;
  /* The contact preference as loaded (issue #9), kept apart from the
   * order's own fields: it is saved with waybill_store_set_contact(). */
  WaybillContact        loaded_contact;
};

G_DEFINE_FINAL_TYPE (WaybillOrderEditor, waybill_order_editor, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CAN_SAVE,
  PROP_MODIFIED,
  N_PROPS
};

enum {
  SAVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Field values */

static char *
entry_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

static char *
buffer_text (GtkTextBuffer *buffer)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);

  return g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
}

typedef enum
{
  VALUE_NUMBER,
  VALUE_CUSTOMER,
  VALUE_EMAIL,
  VALUE_PHONE,
  VALUE_ADDRESS,
  VALUE_ITEMS,
  VALUE_NOTE,
  N_VALUES
} Value;

static char *
get_value (WaybillOrderEditor *self,
           Value               value)
{
  switch (value)
    {
    case VALUE_NUMBER:
      return entry_text (self->number_row);
    case VALUE_CUSTOMER:
      return entry_text (self->customer_row);
    case VALUE_EMAIL:
      return entry_text (self->email_row);
    case VALUE_PHONE:
      return entry_text (self->phone_row);
    case VALUE_ADDRESS:
      return buffer_text (self->address_buffer);
    case VALUE_ITEMS:
      return buffer_text (self->items_buffer);
    case VALUE_NOTE:
      return entry_text (self->note_row);
    case N_VALUES:
    default:
      g_assert_not_reached ();
    }
}

static const char *
get_original (WaybillOrderEditor *self,
              Value               value)
{
  const char *original = NULL;

  if (self->order == NULL)
    return "";

  switch (value)
    {
    case VALUE_NUMBER:
      original = waybill_order_get_order_number (self->order);
      break;
    case VALUE_CUSTOMER:
      original = waybill_order_get_customer (self->order);
      break;
    case VALUE_EMAIL:
      original = waybill_order_get_email (self->order);
      break;
    case VALUE_PHONE:
      original = waybill_order_get_phone (self->order);
      break;
    case VALUE_ADDRESS:
      original = waybill_order_get_address (self->order);
      break;
    case VALUE_ITEMS:
      original = waybill_order_get_items (self->order);
      break;
    case VALUE_NOTE:
      original = waybill_order_get_note (self->order);
      break;
    case N_VALUES:
    default:
      g_assert_not_reached ();
    }

  return original ? original : "";
}

/* Whether a field differs from the order as loaded.  Surrounding blanks
 * do not count: they are never saved. */
static gboolean
value_changed (WaybillOrderEditor *self,
               Value               value)
{
  g_autofree char *current = get_value (self, value);
  g_autofree char *original = g_strstrip (g_strdup (get_original (self, value)));

  return g_strcmp0 (current, original) != 0;
}

static void
set_value (WaybillOrder *order,
           Value         value,
           const char   *text)
{
  switch (value)
    {
    case VALUE_NUMBER:
      waybill_order_set_order_number (order, text);
      break;
    case VALUE_CUSTOMER:
      waybill_order_set_customer (order, text);
      break;
    case VALUE_EMAIL:
      waybill_order_set_email (order, text);
      break;
    case VALUE_PHONE:
      waybill_order_set_phone (order, text);
      break;
    case VALUE_ADDRESS:
      waybill_order_set_address (order, text);
      break;
    case VALUE_ITEMS:
      waybill_order_set_items (order, text);
      break;
    case VALUE_NOTE:
      waybill_order_set_note (order, text);
      break;
    case N_VALUES:
    default:
      g_assert_not_reached ();
    }
}

static gboolean
order_fields_changed (WaybillOrderEditor *self)
{
  for (Value v = 0; v < N_VALUES; v++)
    if (value_changed (self, v))
      return TRUE;

  return FALSE;
}

/* Copies the fields that were changed onto @order; every field when
 * @all is set. */
static void
apply_values (WaybillOrderEditor *self,
              WaybillOrder       *order,
              gboolean            all)
{
  for (Value v = 0; v < N_VALUES; v++)
    if (all || value_changed (self, v))
      {
        g_autofree char *text = get_value (self, v);

        set_value (order, v, text);
      }
}

/* A plain check that catches typing mistakes, not a full RFC 5322 parser:
 * one "@", no blanks, and a dot inside the domain. */
static gboolean
is_valid_email (const char *email)
{
  return g_regex_match_simple ("^[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+$", email, 0, 0);
}

/* Inline errors */

static GtkWidget *
field_row (WaybillOrderEditor *self,
           Field               field)
{
  switch (field)
    {
    case FIELD_NUMBER:
      return GTK_WIDGET (self->number_row);
    case FIELD_CUSTOMER:
      return GTK_WIDGET (self->customer_row);
    case FIELD_EMAIL:
      return GTK_WIDGET (self->email_row);
    case N_FIELDS:
    default:
      g_assert_not_reached ();
    }
}

static GtkLabel *
field_label (WaybillOrderEditor *self,
             Field               field)
{
  switch (field)
    {
    case FIELD_NUMBER:
      return self->number_error;
    case FIELD_CUSTOMER:
      return self->customer_error;
    case FIELD_EMAIL:
      return self->email_error;
    case N_FIELDS:
    default:
      g_assert_not_reached ();
    }
}

/* The problem with a field, or NULL. */
static const char *
field_problem (WaybillOrderEditor *self,
               Field               field)
{
  g_autofree char *text = NULL;

  switch (field)
    {
    case FIELD_NUMBER:
      text = get_value (self, VALUE_NUMBER);
      if (*text == '\0')
        return _("Required");
      if (self->rejected_number != NULL && g_strcmp0 (text, self->rejected_number) == 0)
        return _("Already used");
      return NULL;

    case FIELD_CUSTOMER:
      text = get_value (self, VALUE_CUSTOMER);
      return *text == '\0' ? _("Required") : NULL;

    case FIELD_EMAIL:
      text = get_value (self, VALUE_EMAIL);
      return *text != '\0' && !is_valid_email (text) ? _("Not a valid address") : NULL;

    case N_FIELDS:
    default:
      g_assert_not_reached ();
    }
}

static void
show_field_problem (WaybillOrderEditor *self,
                    Field               field)
{
  GtkWidget *row = field_row (self, field);
  GtkLabel *label = field_label (self, field);
  const char *problem = self->reveal[field] ? field_problem (self, field) : NULL;

  if (problem != NULL)
    {
      gtk_label_set_label (label, problem);
      gtk_widget_add_css_class (row, "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, problem,
                                      -1);
      gtk_accessible_update_state (GTK_ACCESSIBLE (row),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                   -1);
    }
  else
    {
      gtk_widget_remove_css_class (row, "error");
      gtk_accessible_reset_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      gtk_accessible_reset_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID);
    }

  gtk_widget_set_visible (GTK_WIDGET (label), problem != NULL);
}

/* Whether a shipment was added here, as opposed to loaded with the order. */
static gboolean
is_new_shipment (WaybillOrderEditor *self,
                 WaybillShipment    *shipment)
{
  return self->order == NULL ||
         !g_ptr_array_find (waybill_order_get_shipments (self->order), shipment, NULL);
}

/* Form state */

static gboolean
compute_modified (WaybillOrderEditor *self)
{
  const char *tracking = gtk_editable_get_text (GTK_EDITABLE (self->tracking_row));

  if (self->removed_ids->len > 0)
    return TRUE;

  for (guint i = 0; i < self->shipments->len; i++)
    if (is_new_shipment (self, g_ptr_array_index (self->shipments, i)))
      return TRUE;

  /* A number typed but not added yet would be lost too. */
  if (*tracking != '\0')
    return TRUE;

  if (adw_combo_row_get_selected (self->contact_row) != self->loaded_contact)
    return TRUE;

  return order_fields_changed (self);
}

static gboolean
compute_can_save (WaybillOrderEditor *self)
{
  for (Field f = 0; f < N_FIELDS; f++)
    if (field_problem (self, f) != NULL)
      return FALSE;

  /* A number still in the field is saved with the order when it is fine;
   * one that needs a second look keeps the order from being saved, so
   * that it is not dropped silently. */
  return self->tracking_state == TRACKING_EMPTY || self->tracking_state == TRACKING_OK;
}

static void
update_state (WaybillOrderEditor *self)
{
  gboolean can_save = compute_can_save (self);
  gboolean modified = compute_modified (self);

  for (Field f = 0; f < N_FIELDS; f++)
    show_field_problem (self, f);

  gtk_widget_set_sensitive (self->save_button, can_save);

  if (can_save != self->can_save)
    {
      self->can_save = can_save;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_SAVE]);
    }

  if (modified != self->modified)
    {
      self->modified = modified;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
    }
}

static void
reveal_problems (WaybillOrderEditor *self)
{
  for (Field f = 0; f < N_FIELDS; f++)
    self->reveal[f] = TRUE;

  update_state (self);

  for (Field f = 0; f < N_FIELDS; f++)
    if (field_problem (self, f) != NULL)
      {
        gtk_widget_grab_focus (field_row (self, f));
        return;
      }

  if (self->tracking_state == TRACKING_CONFIRM || self->tracking_state == TRACKING_INVALID)
    gtk_widget_grab_focus (GTK_WIDGET (self->tracking_row));
}

static void
field_changed_cb (WaybillOrderEditor *self)
{
  update_state (self);
}

static void
field_left_cb (WaybillOrderEditor      *self,
               GtkEventControllerFocus *controller)
{
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));

  for (Field f = 0; f < N_FIELDS; f++)
    if (field_row (self, f) == row && !self->reveal[f])
      {
        self->reveal[f] = TRUE;
        update_state (self);
      }
}

/* Shipments */

static void remove_clicked_cb (WaybillOrderEditor *self,
                               GtkButton          *button);

static GtkWidget *
make_shipment_row (WaybillOrderEditor *self,
                   WaybillShipment    *shipment)
{
  const char *number = waybill_shipment_get_tracking_number (shipment);
  g_autofree char *remove_label = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 waybill_format_carrier_name (waybill_shipment_get_carrier (shipment)));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), number);
  gtk_widget_add_css_class (row, "property");

  /* Translators: %s is a tracking number */
  remove_label = g_strdup_printf (_("Remove Shipment %s"), number);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Remove Shipment"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label,
                                  -1);
  gtk_widget_add_css_class (button, "flat");
  g_object_set_data (G_OBJECT (button), "shipment", shipment);
  g_signal_connect_object (button, "clicked", G_CALLBACK (remove_clicked_cb), self,
                           G_CONNECT_SWAPPED);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

  return row;
}

static void
rebuild_shipment_rows (WaybillOrderEditor *self)
{
  for (guint i = 0; i < self->shipment_rows->len; i++)
    adw_preferences_group_remove (self->shipments_group, g_ptr_array_index (self->shipment_rows, i));
  g_ptr_array_set_size (self->shipment_rows, 0);

  for (guint i = 0; i < self->shipments->len; i++)
    {
      GtkWidget *row = make_shipment_row (self, g_ptr_array_index (self->shipments, i));

      adw_preferences_group_add (self->shipments_group, row);
      g_ptr_array_add (self->shipment_rows, row);
    }

  adw_preferences_group_set_description (self->shipments_group,
                                         self->shipments->len == 0
                                         ? _("No shipments yet: add a tracking number below.")
                                         : NULL);
}

static void
remove_clicked_cb (WaybillOrderEditor *self,
                   GtkButton          *button)
{
  WaybillShipment *shipment = g_object_get_data (G_OBJECT (button), "shipment");
  gint64 id = waybill_shipment_get_id (shipment);

  /* A removed shipment of the order is only deleted on Save. */
  if (id > 0)
    g_array_append_val (self->removed_ids, id);
  g_ptr_array_remove (self->shipments, shipment);

  rebuild_shipment_rows (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->tracking_row));
  update_state (self);
}

/* The tracking number being typed */

static gboolean
is_listed (WaybillOrderEditor *self,
           const char         *number)
{
  for (guint i = 0; i < self->shipments->len; i++)
    {
      WaybillShipment *shipment = g_ptr_array_index (self->shipments, i);
      g_autofree char *listed = waybill_tracking_number_normalize (waybill_shipment_get_tracking_number (shipment));

      if (g_strcmp0 (listed, number) == 0)
        return TRUE;
    }

  return FALSE;
}

/* The combo row lists "Unknown" first, then every carrier. */
static const WaybillCarrier *
selected_carrier (WaybillOrderEditor *self)
{
  guint selected = adw_combo_row_get_selected (self->carrier_row);

  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION || selected > self->n_carriers)
    return NULL;

  return self->carriers[selected - 1];
}

static void
select_carrier (WaybillOrderEditor   *self,
                const WaybillCarrier *carrier)
{
  guint position = 0;

  for (guint i = 0; i < self->n_carriers; i++)
    if (self->carriers[i] == carrier)
      position = i + 1;

  self->setting_carrier = TRUE;
  adw_combo_row_set_selected (self->carrier_row, position);
  self->setting_carrier = FALSE;
}

/* The carrier to fill in without asking: the one the number can only
 * belong to, else the first whose check digit holds, else the first (so
 * that a mistyped number is judged by the carrier it was meant for). */
static const WaybillCarrier *
guess_carrier (GPtrArray *candidates)
{
  const WaybillTrackingCandidate *pick = waybill_tracking_candidates_pick (candidates);

  if (pick != NULL)
    return pick->carrier;

  for (guint i = 0; i < candidates->len; i++)
    {
      const WaybillTrackingCandidate *candidate = g_ptr_array_index (candidates, i);

      if (candidate->check_digit != WAYBILL_CHECK_DIGIT_INVALID)
        return candidate->carrier;
    }

  if (candidates->len > 0)
    return ((const WaybillTrackingCandidate *) g_ptr_array_index (candidates, 0))->carrier;

  return NULL;
}

/* The other carriers the number fits, for "Could also be …". */
static char *
other_carriers (GPtrArray            *candidates,
                const WaybillCarrier *chosen)
{
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < candidates->len; i++)
    {
      const WaybillTrackingCandidate *candidate = g_ptr_array_index (candidates, i);

      if (candidate->carrier == chosen || candidate->check_digit == WAYBILL_CHECK_DIGIT_INVALID)
        continue;
      if (names->len > 0)
        /* Translators: the separator of a list of carrier names */
        g_string_append (names, _(", "));
      g_string_append (names, waybill_carrier_get_name (candidate->carrier));
    }

  return names->len > 0 ? g_string_free (g_steal_pointer (&names), FALSE) : NULL;
}

static void
show_tracking (WaybillOrderEditor *self,
               TrackingState       state,
               const char         *icon_name,
               const char         *style,
               const char         *title,
               const char         *subtitle)
{
  static const char * const styles[] = { "error", "warning", "success" };
  GtkWidget *row = GTK_WIDGET (self->tracking_row);
  GtkWidget *verdict = GTK_WIDGET (self->verdict_row);

  self->tracking_state = state;

  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    {
      gtk_widget_remove_css_class (verdict, styles[i]);
      gtk_widget_remove_css_class (GTK_WIDGET (self->tracking_icon), styles[i]);
    }
  gtk_widget_remove_css_class (row, "error");

  gtk_widget_set_visible (verdict, title != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->tracking_icon), icon_name != NULL);
  if (icon_name != NULL)
    {
      gtk_image_set_from_icon_name (self->verdict_icon, icon_name);
      gtk_image_set_from_icon_name (self->tracking_icon, icon_name);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->tracking_icon), title);
    }
  if (style != NULL)
    {
      gtk_widget_add_css_class (verdict, style);
      gtk_widget_add_css_class (GTK_WIDGET (self->tracking_icon), style);
      if (g_str_equal (style, "error"))
        gtk_widget_add_css_class (row, "error");
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->verdict_row), title ? title : "");
  adw_action_row_set_subtitle (self->verdict_row, subtitle ? subtitle : "");

  if (title != NULL && state != TRACKING_OK)
    gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, title,
                                    -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);

  gtk_widget_set_sensitive (self->add_button, state == TRACKING_OK);
  gtk_widget_set_visible (self->keep_button, state == TRACKING_CONFIRM);
}

/* Checks the number as typed against the carrier chosen, or against the
 * carrier the number itself points to. */
static void
check_tracking (WaybillOrderEditor *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->tracking_row));
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(WaybillTrackingCandidate) verdict = NULL;
  g_autofree char *normalized = NULL;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *others = NULL;
  const WaybillCarrier *carrier;

  g_clear_pointer (&self->tracking_number, g_free);
  self->tracking_carrier = NULL;

  if (*text == '\0')
    {
      show_tracking (self, TRACKING_EMPTY, NULL, NULL, NULL, NULL);
      return;
    }

  candidates = waybill_tracking_number_detect (text, &normalized);

  if (*normalized == '\0')
    {
      show_tracking (self, TRACKING_INVALID, "dialog-error-symbolic", "error",
                     _("Not a tracking number"),
                     _("Tracking numbers have letters and digits only."));
      return;
    }

  if (!self->carrier_overridden)
    select_carrier (self, guess_carrier (candidates));

  carrier = selected_carrier (self);
  self->tracking_carrier = carrier;

  if (carrier != NULL)
    verdict = waybill_tracking_number_verify (text, carrier);

  /* The number the carrier tracks: a scanned barcode holds more. */
  self->tracking_number = g_strdup (verdict != NULL ? verdict->number : normalized);

  if (is_listed (self, self->tracking_number))
    {
      show_tracking (self, TRACKING_INVALID, "dialog-error-symbolic", "error",
                     _("Already added to this order"), NULL);
      return;
    }

  if (carrier == NULL)
    {
      if (candidates->len == 0)
        show_tracking (self, TRACKING_CONFIRM, "dialog-warning-symbolic", "warning",
                       _("Unknown tracking number format"),
                       _("Check the number and choose the carrier, or keep it as it is."));
      else
        show_tracking (self, TRACKING_CONFIRM, "dialog-warning-symbolic", "warning",
                       _("No carrier chosen"),
                       _("Without a carrier the parcel cannot be followed. Choose one, or keep the number anyway."));
      return;
    }

  others = other_carriers (candidates, carrier);

  if (verdict == NULL)
    {
      /* Translators: %s is a carrier's name */
      title = g_strdup_printf (_("Not a %s tracking number"), waybill_carrier_get_name (carrier));
      if (others != NULL)
        /* Translators: %s is a list of carrier names */
        subtitle = g_strdup_printf (_("It looks like %s. Check the carrier, or keep the number anyway."),
                                    others);
      else
        subtitle = g_strdup (_("Check the number and the carrier, or keep the number anyway."));
      show_tracking (self, TRACKING_CONFIRM, "dialog-warning-symbolic", "warning", title, subtitle);
      return;
    }

  if (verdict->check_digit == WAYBILL_CHECK_DIGIT_INVALID)
    {
      /* Translators: %s is a carrier's name */
      title = g_strdup_printf (_("Check digit wrong for %s: probably mistyped"),
                               waybill_carrier_get_name (carrier));
      if (others != NULL)
        /* Translators: %s is a list of carrier names */
        subtitle = g_strdup_printf (_("It fits %s. Check the carrier, or keep the number anyway."),
                                    others);
      else
        subtitle = g_strdup (_("Check the number, or keep it if it is printed like this."));
      show_tracking (self, TRACKING_CONFIRM, "dialog-error-symbolic", "error", title, subtitle);
      return;
    }

  /* Translators: a carrier's name and the verdict on the check digit,
   * such as "UPS · Check digit correct" */
  title = g_strdup_printf (_("%s · %s"), waybill_carrier_get_name (carrier),
                           waybill_check_digit_get_label (verdict->check_digit));
  if (others != NULL)
    /* Translators: %s is a list of carrier names */
    subtitle = g_strdup_printf (_("Could also be %s: choose the carrier below."), others);
  show_tracking (self, TRACKING_OK, "object-select-symbolic", "success", title, subtitle);
}

static void
add_tracking (WaybillOrderEditor *self)
{
  g_autoptr(WaybillShipment) shipment = NULL;

  g_assert (self->tracking_number != NULL);

  shipment = waybill_shipment_new (self->tracking_carrier
                                   ? waybill_carrier_get_id (self->tracking_carrier)
                                   : NULL,
                                   self->tracking_number);
  g_ptr_array_add (self->shipments, g_steal_pointer (&shipment));
  rebuild_shipment_rows (self);

  /* Clearing the field checks it again, which resets the carrier. */
  gtk_editable_set_text (GTK_EDITABLE (self->tracking_row), "");
}

static void
tracking_changed_cb (WaybillOrderEditor *self)
{
  /* An emptied field starts afresh: the next number picks its carrier. */
  if (*gtk_editable_get_text (GTK_EDITABLE (self->tracking_row)) == '\0')
    {
      self->carrier_overridden = FALSE;
      select_carrier (self, NULL);
    }

  check_tracking (self);
  update_state (self);
}

static void
carrier_selected_cb (WaybillOrderEditor *self)
{
  if (self->setting_carrier)
    return;

  /* The person chose: keep the choice while the number is edited. */
  self->carrier_overridden = TRUE;
  check_tracking (self);
  update_state (self);
}

static void
add_clicked_cb (WaybillOrderEditor *self)
{
  if (self->tracking_state == TRACKING_OK)
    add_tracking (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->tracking_row));
}

static void
keep_clicked_cb (WaybillOrderEditor *self)
{
  if (self->tracking_state == TRACKING_CONFIRM)
    add_tracking (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->tracking_row));
}

/* Saving */

static void
show_error (WaybillOrderEditor *self,
            const GError       *error)
{
  AdwToast *toast = adw_toast_new (error->message);

  adw_toast_set_timeout (toast, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
forget_new_ids (WaybillOrderEditor *self)
{
  /* A failed save leaves nothing written: the new shipments are new still. */
  for (guint i = 0; i < self->shipments->len; i++)
    {
      WaybillShipment *shipment = g_ptr_array_index (self->shipments, i);

      if (is_new_shipment (self, shipment))
        {
          waybill_shipment_set_id (shipment, 0);
          waybill_shipment_set_order_id (shipment, 0);
        }
    }
}

static gboolean
create_order (WaybillOrderEditor  *self,
              gint64              *out_id,
              gboolean            *out_duplicate,
              GError             **error)
{
  g_autoptr(WaybillOrder) order = waybill_order_new (NULL, NULL);

  apply_values (self, order, TRUE);
  for (guint i = 0; i < self->shipments->len; i++)
    waybill_order_add_shipment (order, g_ptr_array_index (self->shipments, i));

  if (!waybill_store_create_order (self->store, order, error))
    {
      *out_duplicate = TRUE;
      return FALSE;
    }

  *out_id = waybill_order_get_id (order);
  return TRUE;
}

/* Writes the changes in one transaction: the order's own fields (only
 * those that were changed, onto the order as it is in the store now, so
 * that a change made elsewhere meanwhile is kept), then the shipments. */
static gboolean
update_order (WaybillOrderEditor  *self,
              gint64              *out_id,
              gboolean            *out_duplicate,
              GError             **error)
{
  gint64 id = waybill_order_get_id (self->order);

  if (!waybill_store_begin (self->store, error))
    return FALSE;

  if (order_fields_changed (self))
    {
      g_autoptr(WaybillOrder) current = waybill_store_get_order (self->store, id, error);

      if (current == NULL)
        goto failed;

      apply_values (self, current, FALSE);
      if (!waybill_store_update_order (self->store, current, error))
        {
          *out_duplicate = TRUE;
          goto failed;
        }
    }

  for (guint i = 0; i < self->removed_ids->len; i++)
    {
      g_autoptr(GError) local_error = NULL;

      /* Removed elsewhere already: that is what was asked. */
      if (!waybill_store_remove_shipment (self->store,
                                          g_array_index (self->removed_ids, gint64, i),
                                          &local_error) &&
          !g_error_matches (local_error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          goto failed;
        }
    }

  for (guint i = 0; i < self->shipments->len; i++)
    {
      WaybillShipment *shipment = g_ptr_array_index (self->shipments, i);

      if (is_new_shipment (self, shipment) &&
          !waybill_store_add_shipment (self->store, id, shipment, error))
        goto failed;
    }

  if (!waybill_store_commit (self->store, error))
    return FALSE;

  *out_id = id;
  return TRUE;

failed:
  waybill_store_rollback (self->store);
  return FALSE;
}

/* The customer's choice of messages, when it was changed. */
static gboolean
save_contact (WaybillOrderEditor  *self,
              gint64               id,
              GError             **error)
{
  WaybillContact contact = adw_combo_row_get_selected (self->contact_row);

  if (contact > WAYBILL_CONTACT_NONE || contact == self->loaded_contact)
    return TRUE;

  return waybill_store_set_contact (self->store, id, contact, error);
}

/**
 * waybill_order_editor_save:
 * @self: an editor
 *
 * Saves the form when it is valid, emits #WaybillOrderEditor::saved and
 * closes the editor.  When it is not valid, shows every problem on its
 * field and moves the focus to the first.
 *
 * Returns: whether the order was saved
 */
gboolean
waybill_order_editor_save (WaybillOrderEditor *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WaybillOrder) saved = NULL;
  gboolean duplicate = FALSE;
  gboolean ok;
  gint64 id = 0;

  g_return_val_if_fail (WAYBILL_IS_ORDER_EDITOR (self), FALSE);

  if (self->done)
    return FALSE;

  if (!self->can_save)
    {
      reveal_problems (self);
      return FALSE;
    }

  /* A number typed and fine but not added yet goes with the order. */
  if (self->tracking_state == TRACKING_OK)
    add_tracking (self);

  if (self->order != NULL && !compute_modified (self))
    {
      id = waybill_order_get_id (self->order);
      ok = TRUE;
    }
  else if (self->order == NULL)
    ok = create_order (self, &id, &duplicate, &error);
  else
    ok = update_order (self, &id, &duplicate, &error);

  if (!ok)
    {
      forget_new_ids (self);

      if (duplicate && g_error_matches (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_DUPLICATE))
        {
          g_free (self->rejected_number);
          self->rejected_number = get_value (self, VALUE_NUMBER);
          reveal_problems (self);
        }
      else
        {
          g_warning ("Could not save the order: %s", error->message);
          show_error (self, error);
          update_state (self);
        }

      return FALSE;
    }

  if (!save_contact (self, id, &error))
    {
      /* The order is saved; only the choice is not. */
      g_warning ("Could not save the contact preference: %s", error->message);
      g_clear_error (&error);
    }

  saved = waybill_store_get_order (self->store, id, &error);
  if (saved == NULL)
    {
      /* It was written; only reading it back failed.  Say so, and still
       * report the order with what is known of it. */
      g_warning ("Could not read the saved order back: %s", error->message);
      saved = waybill_order_new (NULL, NULL);
      apply_values (self, saved, TRUE);
      waybill_order_set_id (saved, id);
    }

  self->done = TRUE;
  g_object_ref (self);
  g_signal_emit (self, signals[SAVED], 0, saved);
  gtk_window_destroy (GTK_WINDOW (self));
  g_object_unref (self);

  return TRUE;
}

static void
save_clicked_cb (WaybillOrderEditor *self)
{
  waybill_order_editor_save (self);
}

/* Enter in a field saves, as the default button of a dialog would. */
static void
entry_activated_cb (WaybillOrderEditor *self)
{
  waybill_order_editor_save (self);
}

/* Enter in the tracking number adds it; Enter in the empty field saves. */
static void
tracking_activated_cb (WaybillOrderEditor *self)
{
  switch (self->tracking_state)
    {
    case TRACKING_EMPTY:
      waybill_order_editor_save (self);
      break;
    case TRACKING_OK:
      add_tracking (self);
      break;
    case TRACKING_CONFIRM:
    case TRACKING_INVALID:
    default:
      /* The verdict says what to do; a second Enter must not keep a
       * mistyped number without a look. */
      gtk_widget_error_bell (GTK_WIDGET (self->tracking_row));
      break;
    }
}

/* Ctrl+S; always enabled, so that it shows what is missing when the form
 * is not complete yet. */
static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  waybill_order_editor_save (WAYBILL_ORDER_EDITOR (widget));
}

/* Closing */

static void
discard_response_cb (WaybillOrderEditor *self,
                     const char         *response)
{
  if (g_strcmp0 (response, "discard") != 0)
    return;

  self->done = TRUE;
  g_object_ref (self);
  gtk_window_close (GTK_WINDOW (self));
  g_object_unref (self);
}

static void
ask_to_discard (WaybillOrderEditor *self)
{
  AdwMessageDialog *dialog;

  if (self->discard_dialog != NULL)
    {
      gtk_window_present (self->discard_dialog);
      return;
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Discard Changes?"),
                                                       self->order == NULL
                                                       ? _("The new order has not been added yet. If you discard it, what you entered is lost.")
                                                       : _("The changes to this order have not been saved. If you discard them, they are lost.")));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (discard_response_cb), self,
                           G_CONNECT_SWAPPED);

  self->discard_dialog = GTK_WINDOW (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->discard_dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static gboolean
waybill_order_editor_close_request (GtkWindow *window)
{
  WaybillOrderEditor *self = WAYBILL_ORDER_EDITOR (window);

  if (!self->done && compute_modified (self))
    {
      ask_to_discard (self);
      return TRUE;
    }

  return GTK_WINDOW_CLASS (waybill_order_editor_parent_class)->close_request (window);
}

/* GObject */

static void
waybill_order_editor_dispose (GObject *object)
{
  WaybillOrderEditor *self = WAYBILL_ORDER_EDITOR (object);

  /* The dialog may outlive the editor for a moment (it is still emitting
   * its response): it must not point to the editor any more. */
  if (self->discard_dialog != NULL)
    {
      GtkWindow *dialog = self->discard_dialog;

      g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->discard_dialog);
      self->discard_dialog = NULL;
      gtk_window_set_transient_for (dialog, NULL);
      gtk_window_destroy (dialog);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), WAYBILL_TYPE_ORDER_EDITOR);
  g_clear_pointer (&self->shipments, g_ptr_array_unref);
  g_clear_object (&self->order);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (waybill_order_editor_parent_class)->dispose (object);
}

static void
waybill_order_editor_finalize (GObject *object)
{
  WaybillOrderEditor *self = WAYBILL_ORDER_EDITOR (object);

  g_clear_pointer (&self->removed_ids, g_array_unref);
  g_clear_pointer (&self->shipment_rows, g_ptr_array_unref);
  g_free (self->rejected_number);
  g_free (self->tracking_number);

  G_OBJECT_CLASS (waybill_order_editor_parent_class)->finalize (object);
}

static void
waybill_order_editor_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  WaybillOrderEditor *self = WAYBILL_ORDER_EDITOR (object);

  switch (prop_id)
    {
    case PROP_CAN_SAVE:
      g_value_set_boolean (value, self->can_save);
      break;
    case PROP_MODIFIED:
      g_value_set_boolean (value, self->modified);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
waybill_order_editor_class_init (WaybillOrderEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = waybill_order_editor_dispose;
  object_class->finalize = waybill_order_editor_finalize;
  object_class->get_property = waybill_order_editor_get_property;
  window_class->close_request = waybill_order_editor_close_request;

  /**
   * WaybillOrderEditor:can-save:
   *
   * Whether the form is complete and right, so that Save does something.
   */
  properties[PROP_CAN_SAVE] =
    g_param_spec_boolean ("can-save", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * WaybillOrderEditor:modified:
   *
   * Whether closing now would lose something.
   */
  properties[PROP_MODIFIED] =
    g_param_spec_boolean ("modified", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * WaybillOrderEditor::saved:
   * @self: the editor
   * @order: the order as saved, read back from the store
   *
   * Emitted once the order is saved, just before the editor closes.
   */
  signals[SAVED] =
    g_signal_new ("saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, WAYBILL_TYPE_ORDER);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/waybill/Waybill/waybill-order-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, WaybillOrderEditor, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, WaybillOrderEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, WaybillOrderEditor, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, WaybillOrderEditor, number_row);
  gtk_widget_class_bind_template_child (widget_class, WaybillOrderEditor, number_error);
  gtk_widget_class_bind_template_child (widget_class, WaybillOrderEditor, customer_row);
  gtk_widget_class_bind_template_child (widget_class, WaybillOrderEditor, customer_error);
  gtk_widget_class_bind_template_child (widget_class, WaybillOrderEditor, email_row);
  gtk_widget_class_bind_template_child (widget_class, WaybillOrderEditor, email_error);
  gtk_widget_class_bind_template_child (widget_class, WaybillOrderEditor, phone_row);
  gtk_widget_class_bind_template_child (widget_class, WaybillOrderEditor, address_view);
  gtk_widget_class_bind_template_child (widget_class, WaybillOrderEditor, address_buffer);
  gtk_widget_class_bind_template_child (widget_class, WaybillOrderEditor, items_view);
  gtk_widget_class_bind_template_child (widget_class, WaybillOrderEditor, items_buffer);
  gtk_widget_class_bind_template_child (widget_class, WaybillOrderEditor, note_row);
  gtk_widget_class_bind_template_child (widget_class, WaybillOrderEditor, shipments_group);
  gtk_widget_class_bind_template_child (widget_class, WaybillOrderEditor, tracking_row);
  gtk_widget_class_bind_template_child (widget_class, WaybillOrderEditor, tracking_icon);
  gtk_widget_class_bind_template_child (widget_class, WaybillOrderEditor, add_button);
  gtk_widget_class_bind_template_child (widget_class, WaybillOrderEditor, verdict_row);
  gtk_widget_class_bind_template_child (widget_class, WaybillOrderEditor, verdict_icon);
  gtk_widget_class_bind_template_child (widget_class, WaybillOrderEditor, keep_button);
  gtk_widget_class_bind_template_child (widget_class, WaybillOrderEditor, carrier_row);
  gtk_widget_class_bind_template_child (widget_class, WaybillOrderEditor, contact_row);
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, tracking_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, tracking_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, keep_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, carrier_selected_cb);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
text_focus_cb (GtkEventControllerFocus *controller)
{
  GtkWidget *view = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  GtkWidget *row = gtk_widget_get_ancestor (view, ADW_TYPE_PREFERENCES_ROW);

  if (gtk_event_controller_focus_is_focus (controller))
    gtk_widget_add_css_class (row, "focused");
  else
    gtk_widget_remove_css_class (row, "focused");
}

static void
text_row_pressed_cb (GtkGestureClick *gesture,
                     int              n_press,
                     double           x,
                     double           y,
                     GtkWidget       *view)
{
  gtk_widget_grab_focus (view);
}

/* The multi-line fields look and behave like the entry rows around them:
 * the row shows the focus, a click anywhere on it goes to the text, and
 * the text view has no background of its own, which would stand out in
 * dark mode. */
static void
style_text_row (GtkWidget *view)
{
  GtkWidget *row = gtk_widget_get_ancestor (view, ADW_TYPE_PREFERENCES_ROW);
  GtkEventController *focus = gtk_event_controller_focus_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  gtk_widget_remove_css_class (view, "view");
  gtk_widget_add_css_class (row, "entry");
  g_signal_connect (focus, "notify::is-focus", G_CALLBACK (text_focus_cb), NULL);
  gtk_widget_add_controller (view, focus);
  g_signal_connect (click, "pressed", G_CALLBACK (text_row_pressed_cb), view);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (click));
}

static void
waybill_order_editor_init (WaybillOrderEditor *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  self->shipments = g_ptr_array_new_with_free_func (g_object_unref);
  self->removed_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->shipment_rows = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  /* "Unknown" first: a number of no known format may be kept without a
   * carrier, and the combo row always has something selected. */
  self->carriers = waybill_carrier_get_all (&self->n_carriers);
  gtk_string_list_append (names, _("Unknown"));
  for (guint i = 0; i < self->n_carriers; i++)
    gtk_string_list_append (names, waybill_carrier_get_name (self->carriers[i]));
  self->setting_carrier = TRUE;
  adw_combo_row_set_model (self->carrier_row, G_LIST_MODEL (names));
  self->setting_carrier = FALSE;

  style_text_row (GTK_WIDGET (self->address_view));
  style_text_row (GTK_WIDGET (self->items_view));

  /* In WaybillContact order. */
  {
    g_autoptr(GtkStringList) contacts = gtk_string_list_new (NULL);

    for (WaybillContact c = WAYBILL_CONTACT_UNSET; c <= WAYBILL_CONTACT_NONE; c++)
      gtk_string_list_append (contacts, waybill_contact_get_label (c));
    g_signal_handlers_block_by_func (self->contact_row, field_changed_cb, self);
    adw_combo_row_set_model (self->contact_row, G_LIST_MODEL (contacts));
    adw_combo_row_set_selected (self->contact_row, WAYBILL_CONTACT_UNSET);
    g_signal_handlers_unblock_by_func (self->contact_row, field_changed_cb, self);
  }

  for (Field f = 0; f < N_FIELDS; f++)
    {
      GtkEventController *controller = gtk_event_controller_focus_new ();

      g_signal_connect_object (controller, "leave", G_CALLBACK (field_left_cb), self,
                               G_CONNECT_SWAPPED);
      gtk_widget_add_controller (field_row (self, f), controller);
      gtk_widget_add_css_class (GTK_WIDGET (field_label (self, f)), "caption");
    }
}

static void
set_text (AdwEntryRow *row,
          const char  *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
}

static void
set_buffer (GtkTextBuffer *buffer,
            const char    *text)
{
  gtk_text_buffer_set_text (buffer, text ? text : "", -1);
}

static void
load_contact (WaybillOrderEditor *self,
              WaybillOrder       *order)
{
  g_autoptr(GError) error = NULL;
  WaybillContact contact = WAYBILL_CONTACT_UNSET;
  gboolean remembered = FALSE;

  if (!waybill_store_get_contact (self->store, waybill_order_get_id (order), &contact, &remembered, &error))
    g_debug ("No contact preference: %s", error->message);

  /* A choice remembered from an earlier order is shown, and saved with
   * this one only when changed. */
  self->loaded_contact = contact;
  adw_combo_row_set_selected (self->contact_row, contact);
}

static void
load_order (WaybillOrderEditor *self,
            WaybillOrder       *order)
{
  GPtrArray *shipments = waybill_order_get_shipments (order);

  self->order = g_object_ref (order);

  set_text (self->number_row, waybill_order_get_order_number (order));
  set_text (self->customer_row, waybill_order_get_customer (order));
  set_text (self->email_row, waybill_order_get_email (order));
  set_text (self->phone_row, waybill_order_get_phone (order));
  set_buffer (self->address_buffer, waybill_order_get_address (order));
  set_buffer (self->items_buffer, waybill_order_get_items (order));
  set_text (self->note_row, waybill_order_get_note (order));

  for (guint i = 0; i < shipments->len; i++)
    g_ptr_array_add (self->shipments, g_object_ref (g_ptr_array_index (shipments, i)));

  load_contact (self, order);

  /* What came from the store is shown as it is, problems included. */
  for (Field f = 0; f < N_FIELDS; f++)
    self->reveal[f] = TRUE;
}

/**
 * waybill_order_editor_new:
 * @parent: (nullable): the window the editor belongs to
 * @store: the store to save to
 * @order: (nullable): the order to edit, or %NULL for a new order
 *
 * Creates the editor.  It edits what is in the store: the order is read
 * again by its id, with all its shipments.  Present it with
 * gtk_window_present(); it destroys itself when closed.
 *
 * Returns: (transfer none): the editor, owned by GTK like every toplevel
 */
WaybillOrderEditor *
waybill_order_editor_new (GtkWindow    *parent,
                          WaybillStore *store,
                          WaybillOrder *order)
{
  WaybillOrderEditor *self;
  g_autoptr(WaybillOrder) stored = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (WAYBILL_IS_STORE (store), NULL);
  g_return_val_if_fail (order == NULL || WAYBILL_IS_ORDER (order), NULL);

  self = g_object_new (WAYBILL_TYPE_ORDER_EDITOR,
                       "transient-for", parent,
                       "application", parent ? gtk_window_get_application (parent) : NULL,
                       NULL);
  self->store = g_object_ref (store);

  if (order != NULL)
    {
      g_autoptr(GError) error = NULL;

      stored = waybill_store_get_order (store, waybill_order_get_id (order), &error);
      if (stored == NULL)
        g_warning ("Could not read order %s again: %s",
                   waybill_order_get_order_number (order), error->message);
      load_order (self, stored ? stored : order);
    }

  gtk_window_set_title (GTK_WINDOW (self), order ? _("Edit Order") : _("New Order"));
  gtk_button_set_label (GTK_BUTTON (self->save_button), order ? _("_Save") : _("_Add"));

  rebuild_shipment_rows (self);
  check_tracking (self);
  update_state (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->number_row));

  return self;
}

/**
 * waybill_order_editor_get_order_id:
 *
 * Returns: the id of the order edited, or 0 for a new order
 */
gint64
waybill_order_editor_get_order_id (WaybillOrderEditor *self)
{
  g_return_val_if_fail (WAYBILL_IS_ORDER_EDITOR (self), 0);

  return self->order ? waybill_order_get_id (self->order) : 0;
}

gboolean
waybill_order_editor_get_modified (WaybillOrderEditor *self)
{
  g_return_val_if_fail (WAYBILL_IS_ORDER_EDITOR (self), FALSE);

  return self->modified;
}

gboolean
waybill_order_editor_get_can_save (WaybillOrderEditor *self)
{
  g_return_val_if_fail (WAYBILL_IS_ORDER_EDITOR (self), FALSE);

  return self->can_save;
}

/**
 * waybill_order_editor_set_tracking:
 * @number: a tracking number
 * @carrier_id: (nullable): its carrier, chosen as if by hand; %NULL to
 *   let the number pick it
 *
 * Fills in the tracking number field, as the look-up's "Create Order from
 * This" does.  The number is checked as if typed.
 */
void
waybill_order_editor_set_tracking (WaybillOrderEditor *self,
                                   const char         *number,
                                   const char         *carrier_id)
{
  g_return_if_fail (WAYBILL_IS_ORDER_EDITOR (self));
  g_return_if_fail (number != NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->tracking_row), number);
  if (carrier_id != NULL && waybill_carrier_lookup (carrier_id) != NULL)
    {
      select_carrier (self, waybill_carrier_lookup (carrier_id));
      self->carrier_overridden = TRUE;
      check_tracking (self);
      update_state (self);
    }
}
