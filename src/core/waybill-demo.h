/* waybill-demo.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "waybill-store.h"

G_BEGIN_DECLS

#define WAYBILL_DEMO_DEFAULT_ORDERS 40

gboolean waybill_demo_fill (WaybillStore  *store,
                            guint          n_orders,
                            guint32        seed,
                            GError       **error);

G_END_DECLS
