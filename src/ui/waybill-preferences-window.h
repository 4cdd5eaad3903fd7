/* waybill-preferences-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "waybill-autostart.h"

G_BEGIN_DECLS

#define WAYBILL_TYPE_PREFERENCES_WINDOW (waybill_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (WaybillPreferencesWindow, waybill_preferences_window, WAYBILL, PREFERENCES_WINDOW, AdwPreferencesWindow)

WaybillPreferencesWindow *waybill_preferences_window_new (GtkWindow *parent,
                                                          GSettings *settings);
void                      waybill_preferences_window_set_autostart (WaybillPreferencesWindow *self,
                                                                    WaybillAutostart         *autostart);

G_END_DECLS
