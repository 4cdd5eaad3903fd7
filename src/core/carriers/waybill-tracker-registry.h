/* waybill-tracker-registry.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "waybill-tracker.h"

G_BEGIN_DECLS

#define WAYBILL_TYPE_TRACKER_REGISTRY (waybill_tracker_registry_get_type ())

G_DECLARE_FINAL_TYPE (WaybillTrackerRegistry, waybill_tracker_registry, WAYBILL, TRACKER_REGISTRY, GObject)

WaybillTrackerRegistry *waybill_tracker_registry_new                   (SoupSession            *session);
SoupSession            *waybill_tracker_registry_get_session           (WaybillTrackerRegistry *self);
GPtrArray              *waybill_tracker_registry_list                  (WaybillTrackerRegistry *self);
WaybillTracker         *waybill_tracker_registry_get                   (WaybillTrackerRegistry *self,
                                                                        const char             *api_id);
WaybillTracker         *waybill_tracker_registry_for_carrier           (WaybillTrackerRegistry *self,
                                                                        const char             *carrier_id);
void                    waybill_tracker_registry_load_credentials_async (WaybillTrackerRegistry *self,
                                                                         GCancellable           *cancellable,
                                                                         GAsyncReadyCallback     callback,
                                                                         gpointer                user_data);
gboolean                waybill_tracker_registry_load_credentials_finish (WaybillTrackerRegistry *self,
                                                                          GAsyncResult           *result,
                                                                          GError                **error);

void                    waybill_tracker_registry_track_number_async  (WaybillTrackerRegistry *self,
                                                                      const char             *input,
                                                                      const char             *carrier_id,
                                                                      GCancellable           *cancellable,
                                                                      GAsyncReadyCallback     callback,
                                                                      gpointer                user_data);
WaybillTrackingResult  *waybill_tracker_registry_track_number_finish (WaybillTrackerRegistry *self,
                                                                      GAsyncResult           *result,
                                                                      char                  **out_number,
                                                                      const char            **out_carrier_id,
                                                                      const char            **out_service,
                                                                      GError                **error);

G_END_DECLS
