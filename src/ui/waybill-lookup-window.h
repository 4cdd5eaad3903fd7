/* waybill-lookup-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "waybill-store.h"
#include "carriers/waybill-tracker-registry.h"

G_BEGIN_DECLS

#define WAYBILL_TYPE_LOOKUP_WINDOW (waybill_lookup_window_get_type ())

G_DECLARE_FINAL_TYPE (WaybillLookupWindow, waybill_lookup_window, WAYBILL, LOOKUP_WINDOW, AdwWindow)

WaybillLookupWindow *waybill_lookup_window_new         (GtkWindow              *parent,
                                                        WaybillStore           *store,
                                                        WaybillTrackerRegistry *registry,
                                                        const char             *input);
gboolean             waybill_lookup_window_get_busy    (WaybillLookupWindow    *self);
GtkWindow           *waybill_lookup_window_create_order (WaybillLookupWindow   *self);

G_END_DECLS
