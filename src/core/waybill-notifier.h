/* waybill-notifier.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "waybill-status-change.h"
#include "waybill-store.h"

G_BEGIN_DECLS

/* More changes than this in one call are announced by one summary. */
#define WAYBILL_NOTIFIER_MAX_SINGLE 3

#define WAYBILL_TYPE_NOTIFIER (waybill_notifier_get_type ())

G_DECLARE_FINAL_TYPE (WaybillNotifier, waybill_notifier, WAYBILL, NOTIFIER, GObject)

WaybillNotifier *waybill_notifier_new               (WaybillStore     *store,
                                                     const char       *app_id,
                                                     const char       *app_name);
WaybillStore    *waybill_notifier_get_store         (WaybillNotifier  *self);
const char      *waybill_notifier_get_app_id        (WaybillNotifier  *self);
const char      *waybill_notifier_get_app_name      (WaybillNotifier  *self);

gboolean         waybill_notifier_get_active        (WaybillNotifier  *self);
void             waybill_notifier_set_active        (WaybillNotifier  *self,
                                                     gboolean          active);
gboolean         waybill_notifier_get_enabled       (WaybillNotifier  *self,
                                                     WaybillStatus     status);
void             waybill_notifier_set_enabled       (WaybillNotifier  *self,
                                                     WaybillStatus     status,
                                                     gboolean          enabled);
gboolean         waybill_notifier_get_delay_enabled (WaybillNotifier  *self);
void             waybill_notifier_set_delay_enabled (WaybillNotifier  *self,
                                                     gboolean          enabled);
void             waybill_notifier_bind_settings     (WaybillNotifier  *self,
                                                     GSettings        *settings);

gboolean         waybill_notifier_announce          (WaybillNotifier  *self,
                                                     GPtrArray        *changes,
                                                     GError          **error);

G_END_DECLS
