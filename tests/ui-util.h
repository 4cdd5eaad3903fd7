/* ui-util.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* What the headless window tests share. */
void  iterate         (guint       ms);
void  ui_test_load_app_style (void);
char *widget_text     (gpointer    widget);
void  save_screenshot (GtkWidget  *widget,
                       const char *name);
GdkTexture *render_widget (GtkWidget *widget);
char *find_misplaced_child (GtkWidget *parent);
void  assert_order_detail_apart (GtkWidget *detail);

G_END_DECLS
