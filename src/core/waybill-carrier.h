/* waybill-carrier.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * WaybillCarrier:
 *
 * A company that moves parcels: UPS, DHL Express, Royal Mail…
 *
 * Carriers are static, constant entries of a built-in table: they are never
 * allocated nor freed, and a `const WaybillCarrier *` stays valid for the
 * life of the process, so it can be compared by address.
 *
 * A carrier is not a tracking API.  Each carrier lists the ids of the
 * tracking APIs that can answer for it (see DESIGN.md): its own API when it
 * has one ("ups", "fedex", "usps", "dhl"), then the aggregators
 * ("aftership", "17track").
 */
typedef struct _WaybillCarrier WaybillCarrier;

/* Tracking API ids, as returned by waybill_carrier_get_apis(). */
#define WAYBILL_API_DHL       "dhl"
#define WAYBILL_API_UPS       "ups"
#define WAYBILL_API_FEDEX     "fedex"
#define WAYBILL_API_USPS      "usps"
#define WAYBILL_API_AFTERSHIP "aftership"
#define WAYBILL_API_17TRACK   "17track"

/* The carrier used for UPU S10 items of a country whose post is not in the
 * table.  Its country is "" and its web page is a multi-carrier tracker. */
#define WAYBILL_CARRIER_INTERNATIONAL_POST "international-post"

const WaybillCarrier         *waybill_carrier_lookup                    (const char           *id);
const WaybillCarrier         *waybill_carrier_match_name                (const char           *name);
const WaybillCarrier         *waybill_carrier_for_country               (const char           *country_code);
const WaybillCarrier * const *waybill_carrier_get_all                   (guint                *n_carriers);

const char                   *waybill_carrier_get_id                    (const WaybillCarrier *self);
const char                   *waybill_carrier_get_name                  (const WaybillCarrier *self);
const char                   *waybill_carrier_get_country               (const WaybillCarrier *self);
const char * const           *waybill_carrier_get_aliases               (const WaybillCarrier *self);
const char * const           *waybill_carrier_get_apis                  (const WaybillCarrier *self);
gboolean                      waybill_carrier_has_api                   (const WaybillCarrier *self,
                                                                         const char           *api_id);
const char                   *waybill_carrier_get_tracking_url_template (const WaybillCarrier *self);
char                         *waybill_carrier_get_tracking_url          (const WaybillCarrier *self,
                                                                         const char           *tracking_number);

G_END_DECLS
