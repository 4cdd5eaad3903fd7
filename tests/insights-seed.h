/* insights-seed.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "waybill-store.h"

G_BEGIN_DECLS

/* A store with known insights (TZ=UTC), for the stats, CLI and window
 * tests.  Since 2025-11-01:
 *
 *   ups:   4 shipments, 3 delivered (all with an estimate), 2 on time,
 *          average transit (2 + 4 + 2) / 3 days, 1 exception (customs)
 *   fedex: 3 shipments, 1 delivered without an estimate (no on-time rate),
 *          transit 3 days, 1 exception (address)
 *   orders: 4 delivered, 2 exception, 1 processing (7)
 *   feedback: 3, average 11/3; week of 2025-11-03: 1 at 5; week of
 *          2025-11-10: 2 averaging 3
 *
 * All time adds one order created 2025-10-01 (dhl-express, delivered,
 * transit 1 day, on time) with feedback 1 given 2025-10-05. */
#define SEED_SINCE "2025-11-01"

void insights_seed (WaybillStore *store);

G_END_DECLS
