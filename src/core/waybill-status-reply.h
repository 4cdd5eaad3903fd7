/* waybill-status-reply.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "waybill-order.h"

G_BEGIN_DECLS

char *waybill_status_reply_build (WaybillOrder *order,
                                  GDateTime    *now);

G_END_DECLS
