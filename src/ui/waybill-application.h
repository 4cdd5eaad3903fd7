/* waybill-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define WAYBILL_TYPE_APPLICATION (waybill_application_get_type ())

G_DECLARE_FINAL_TYPE (WaybillApplication, waybill_application, WAYBILL, APPLICATION, AdwApplication)

WaybillApplication *waybill_application_new        (void);
gpointer            waybill_application_get_outbox (WaybillApplication *self);

G_END_DECLS
