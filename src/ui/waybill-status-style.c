/* waybill-status-style.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-status-style"

#include "config.h"

#include "waybill-status-style.h"

static const char * const pill_classes[] = {
  "neutral", "accent", "success", "warning", "error", "dim",
};

/* Gives a status pill the one colour class from style.css of @status. */
void
waybill_status_style_set_class (GtkWidget     *pill,
                                WaybillStatus  status)
{
  const char *wanted = waybill_status_get_style_class (status);

  g_return_if_fail (GTK_IS_WIDGET (pill));

  for (guint i = 0; i < G_N_ELEMENTS (pill_classes); i++)
    if (!g_str_equal (pill_classes[i], wanted))
      gtk_widget_remove_css_class (pill, pill_classes[i]);
  gtk_widget_add_css_class (pill, wanted);
}

/* Paints a status pill: icon, label and one colour class from style.css. */
void
waybill_status_style_apply (GtkWidget     *pill,
                            GtkImage      *icon,
                            GtkLabel      *label,
                            WaybillStatus  status)
{
  g_return_if_fail (GTK_IS_WIDGET (pill));

  waybill_status_style_set_class (pill, status);
  gtk_image_set_from_icon_name (icon, waybill_status_get_icon_name (status));
  gtk_label_set_label (label, waybill_status_get_label (status));
}
