/* waybill-feedback-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-feedback-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "waybill-feedback.h"
#include "waybill-feedback-dialog.h"

/* "Add Feedback…": a rating of 1 to 5 stars and a comment, typed in by
 * staff after a call or a chat.  The stars are a group of toggle buttons,
 * each with its own accessible name ("3 stars"), reachable with Tab and
 * chosen with Space; Save waits for a rating.  The caller saves on the
 * "save" response. */
struct _WaybillFeedbackDialog
{
  AdwMessageDialog  parent_instance;

  GtkToggleButton  *stars[WAYBILL_FEEDBACK_MAX_RATING];
  guint             rating;

  GtkBox           *stars_box;
  GtkLabel         *rating_label;
  GtkTextView      *comment_view;
};

G_DEFINE_FINAL_TYPE (WaybillFeedbackDialog, waybill_feedback_dialog, ADW_TYPE_MESSAGE_DIALOG)

static const char *
rating_words (guint rating)
{
  switch (rating)
    {
    case 1:
      return _("Very poor");
    case 2:
      return _("Poor");
    case 3:
      return _("Fair");
    case 4:
      return _("Good");
    case 5:
    default:
      return _("Excellent");
    }
}

static void
update (WaybillFeedbackDialog *self)
{
  for (guint i = 0; i < WAYBILL_FEEDBACK_MAX_RATING; i++)
    gtk_button_set_icon_name (GTK_BUTTON (self->stars[i]),
                              i < self->rating ? "starred-symbolic" : "non-starred-symbolic");

  if (self->rating > 0)
    {
      /* Translators: %u is a rating, %s a word such as "Good" */
      g_autofree char *text = g_strdup_printf (ngettext ("%u of 5 stars: %s", "%u of 5 stars: %s",
                                                         self->rating),
                                               self->rating, rating_words (self->rating));

      gtk_label_set_label (self->rating_label, text);
    }

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "save", self->rating > 0);
}

static void
star_toggled_cb (GtkToggleButton       *button,
                 WaybillFeedbackDialog *self)
{
  if (!gtk_toggle_button_get_active (button))
    return;

  for (guint i = 0; i < WAYBILL_FEEDBACK_MAX_RATING; i++)
    if (self->stars[i] == button)
      self->rating = i + 1;

  update (self);
}

static void
waybill_feedback_dialog_class_init (WaybillFeedbackDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/waybill/Waybill/waybill-feedback-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, WaybillFeedbackDialog, stars_box);
  gtk_widget_class_bind_template_child (widget_class, WaybillFeedbackDialog, rating_label);
  gtk_widget_class_bind_template_child (widget_class, WaybillFeedbackDialog, comment_view);
}

static void
waybill_feedback_dialog_init (WaybillFeedbackDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* For tests, which type the comment. */
  g_object_set_data (G_OBJECT (self), "comment-view", self->comment_view);

  for (guint i = 0; i < WAYBILL_FEEDBACK_MAX_RATING; i++)
    {
      GtkWidget *star = gtk_toggle_button_new ();
      g_autofree char *name = g_strdup_printf (ngettext ("%u star", "%u stars", i + 1), i + 1);

      gtk_widget_add_css_class (star, "flat");
      gtk_widget_add_css_class (star, "rating-star");
      gtk_widget_set_tooltip_text (star, name);
      gtk_accessible_update_property (GTK_ACCESSIBLE (star), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
      if (i > 0)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (star), self->stars[0]);
      g_signal_connect (star, "toggled", G_CALLBACK (star_toggled_cb), self);
      gtk_box_append (self->stars_box, star);
      self->stars[i] = GTK_TOGGLE_BUTTON (star);
    }

  update (self);
}

/**
 * waybill_feedback_dialog_new:
 * @order_number: the order the feedback is about, for the dialog's text
 */
GtkWidget *
waybill_feedback_dialog_new (GtkWindow  *parent,
                             const char *order_number)
{
  g_autofree char *body = NULL;

  g_return_val_if_fail (order_number != NULL, NULL);

  /* Translators: %s is an order number */
  body = g_strdup_printf (_("What did the customer think of order %s?"), order_number);

  return g_object_new (WAYBILL_TYPE_FEEDBACK_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       "body", body,
                       NULL);
}

/**
 * waybill_feedback_dialog_get_rating:
 *
 * Returns: the chosen rating, 1 to 5, or 0 before one is chosen
 */
guint
waybill_feedback_dialog_get_rating (WaybillFeedbackDialog *self)
{
  g_return_val_if_fail (WAYBILL_IS_FEEDBACK_DIALOG (self), 0);

  return self->rating;
}

void
waybill_feedback_dialog_set_rating (WaybillFeedbackDialog *self,
                                    guint                  rating)
{
  g_return_if_fail (WAYBILL_IS_FEEDBACK_DIALOG (self));
  g_return_if_fail (rating >= 1 && rating <= WAYBILL_FEEDBACK_MAX_RATING);

  gtk_toggle_button_set_active (self->stars[rating - 1], TRUE);
}

/**
 * waybill_feedback_dialog_get_comment:
 *
 * Returns: (transfer full): the comment, without surrounding spaces
 */
char *
waybill_feedback_dialog_get_comment (WaybillFeedbackDialog *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (WAYBILL_IS_FEEDBACK_DIALOG (self), NULL);

  buffer = gtk_text_view_get_buffer (self->comment_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);

  return g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
}
