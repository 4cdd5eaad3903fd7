/* waybill-autostart.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define WAYBILL_AUTOSTART_ERROR (waybill_autostart_error_quark ())

/**
 * WaybillAutostartError:
 * @WAYBILL_AUTOSTART_ERROR_DENIED: the user or the system did not allow
 *   Waybill to start at login (the Background portal said no)
 * @WAYBILL_AUTOSTART_ERROR_FAILED: the request could not be made or the
 *   autostart entry could not be written
 */
typedef enum
{
  WAYBILL_AUTOSTART_ERROR_DENIED,
  WAYBILL_AUTOSTART_ERROR_FAILED,
} WaybillAutostartError;

/**
 * WaybillAutostartMethod:
 * @WAYBILL_AUTOSTART_METHOD_AUTO: the portal inside Flatpak, else the file
 * @WAYBILL_AUTOSTART_METHOD_FILE: an entry in `$XDG_CONFIG_HOME/autostart`
 * @WAYBILL_AUTOSTART_METHOD_PORTAL: org.freedesktop.portal.Background
 */
typedef enum
{
  WAYBILL_AUTOSTART_METHOD_AUTO,
  WAYBILL_AUTOSTART_METHOD_FILE,
  WAYBILL_AUTOSTART_METHOD_PORTAL,
} WaybillAutostartMethod;

#define WAYBILL_TYPE_AUTOSTART (waybill_autostart_get_type ())

G_DECLARE_FINAL_TYPE (WaybillAutostart, waybill_autostart, WAYBILL, AUTOSTART, GObject)

GQuark                  waybill_autostart_error_quark     (void);

WaybillAutostart       *waybill_autostart_new             (const char              *app_id,
                                                           const char * const      *commandline);
void                    waybill_autostart_set_method      (WaybillAutostart        *self,
                                                           WaybillAutostartMethod   method);
WaybillAutostartMethod  waybill_autostart_get_method      (WaybillAutostart        *self);
char                   *waybill_autostart_get_file_path   (WaybillAutostart        *self);
char                   *waybill_autostart_build_entry     (WaybillAutostart        *self);

void                    waybill_autostart_set_enabled_async  (WaybillAutostart     *self,
                                                              gboolean              enabled,
                                                              const char           *parent_window,
                                                              const char           *reason,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
gboolean                waybill_autostart_set_enabled_finish (WaybillAutostart     *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);

G_END_DECLS
