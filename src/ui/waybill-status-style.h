/* waybill-status-style.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "waybill-status.h"

G_BEGIN_DECLS

void waybill_status_style_set_class (GtkWidget     *pill,
                                     WaybillStatus  status);
void waybill_status_style_apply (GtkWidget     *pill,
                                 GtkImage      *icon,
                                 GtkLabel      *label,
                                 WaybillStatus  status);

G_END_DECLS
