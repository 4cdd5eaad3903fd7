/* waybill-a11y.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-a11y"

#include "config.h"

#include <glib/gi18n.h>

#include "waybill-a11y.h"

/* libadwaita 1.2 builds a few controls that a screen reader cannot name:
 * the preferences window's search button and search field, a password
 * row's show/hide button.  Each has a tooltip or a placeholder that says
 * what it does; this gives it the same words as its accessible label, and
 * keeps them the same when the tooltip changes (Show Text / Hide Text).
 * Controls with a label of their own are left alone. */

static gboolean
has_text_child (GtkWidget *widget)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    if ((GTK_IS_LABEL (c) && *gtk_label_get_text (GTK_LABEL (c)) != '\0') || has_text_child (c))
      return TRUE;

  return FALSE;
}

static void
tooltip_changed_cb (GtkWidget *button)
{
  const char *tooltip = gtk_widget_get_tooltip_text (button);

  if (tooltip != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
}

/**
 * waybill_a11y_name_icon_buttons:
 * @root: a window or part of one
 *
 * Names the icon-only buttons under @root by their tooltips and the search
 * fields by their placeholders (or "Search" when they have none).
 */
void
waybill_a11y_name_icon_buttons (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  if (GTK_IS_BUTTON (root) && !GTK_IS_CHECK_BUTTON (root) && !has_text_child (root) &&
      g_object_get_data (G_OBJECT (root), "waybill-a11y-named") == NULL)
    {
      g_object_set_data (G_OBJECT (root), "waybill-a11y-named", GINT_TO_POINTER (TRUE));
      tooltip_changed_cb (root);
      g_signal_connect (root, "notify::tooltip-text", G_CALLBACK (tooltip_changed_cb), NULL);
    }

  if (GTK_IS_SEARCH_ENTRY (root))
    {
      g_autofree char *placeholder = NULL;

      g_object_get (root, "placeholder-text", &placeholder, NULL);
      gtk_accessible_update_property (GTK_ACCESSIBLE (root), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      placeholder != NULL && *placeholder != '\0' ? placeholder : _("Search"),
                                      -1);
      return;
    }

  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    waybill_a11y_name_icon_buttons (c);
}
