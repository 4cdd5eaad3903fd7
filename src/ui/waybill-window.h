/* waybill-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "waybill-refresher.h"
#include "waybill-store.h"

G_BEGIN_DECLS

#define WAYBILL_TYPE_WINDOW (waybill_window_get_type ())

G_DECLARE_FINAL_TYPE (WaybillWindow, waybill_window, WAYBILL, WINDOW, AdwApplicationWindow)

WaybillWindow *waybill_window_new            (gpointer       application,
                                              WaybillStore  *store,
                                              const GError  *store_error);
GListModel    *waybill_window_get_orders     (WaybillWindow *self);
void           waybill_window_select_order   (WaybillWindow *self,
                                              guint          position);
GtkWidget     *waybill_window_get_detail     (WaybillWindow *self);
void           waybill_window_show_order_id  (WaybillWindow *self,
                                              gint64         order_id);
void           waybill_window_set_refresher  (WaybillWindow    *self,
                                              WaybillRefresher *refresher);

G_END_DECLS
