/* waybill-store.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "waybill-message.h"
#include "waybill-order.h"
#include "waybill-shipment.h"
#include "waybill-tracking-result.h"

G_BEGIN_DECLS

#define WAYBILL_STORE_ERROR (waybill_store_error_quark ())

typedef enum
{
  WAYBILL_STORE_ERROR_FAILED,
  WAYBILL_STORE_ERROR_NOT_A_DATABASE,
  WAYBILL_STORE_ERROR_TOO_NEW,
  WAYBILL_STORE_ERROR_READ_ONLY,
  WAYBILL_STORE_ERROR_DISK_FULL,
  WAYBILL_STORE_ERROR_BUSY,
  WAYBILL_STORE_ERROR_CORRUPT,
  WAYBILL_STORE_ERROR_NOT_FOUND,
  WAYBILL_STORE_ERROR_DUPLICATE,
  WAYBILL_STORE_ERROR_INVALID,
} WaybillStoreError;

/* The quick filters of the order list.  Every filter but ARCHIVED leaves
 * archived orders out. */
typedef enum
{
  WAYBILL_FILTER_ALL,
  WAYBILL_FILTER_ACTIVE,
  WAYBILL_FILTER_ATTENTION,
  WAYBILL_FILTER_OUT_FOR_DELIVERY,
  WAYBILL_FILTER_DELIVERED,
  WAYBILL_FILTER_ARCHIVED,
  WAYBILL_N_FILTERS,
} WaybillFilter;

typedef enum
{
  WAYBILL_SORT_NEWEST,
  WAYBILL_SORT_ESTIMATED_DELIVERY,
  WAYBILL_SORT_LAST_UPDATE,
  WAYBILL_N_SORTS,
} WaybillSort;

typedef struct
{
  WaybillFilter filter;
  /* WAYBILL_STATUS_INVALID for any status */
  WaybillStatus status;
  WaybillSort   sort;
} WaybillOrderQuery;

#define WAYBILL_ORDER_QUERY_INIT { WAYBILL_FILTER_ALL, WAYBILL_STATUS_INVALID, WAYBILL_SORT_NEWEST }

/* A row's place in the sorted order list: the values every sort orders
 * by.  waybill_store_list_orders_after() fills one in for the last row of
 * a page and lists the rows after it (keyset paging). */
typedef struct
{
  gint64   id;
  gint64   created;
  gint64   eta;
  gint64   last_update;
  gboolean has_eta;
  gboolean has_last_update;
} WaybillOrderKey;

/* The schema version this build writes; see waybill-store-schema.c. */
#define WAYBILL_STORE_SCHEMA_VERSION 8

#define WAYBILL_TYPE_STORE (waybill_store_get_type ())

G_DECLARE_FINAL_TYPE (WaybillStore, waybill_store, WAYBILL, STORE, GObject)

GQuark            waybill_store_error_quark        (void);

WaybillStore     *waybill_store_open               (const char               *path,
                                                    GError                  **error);
const char       *waybill_store_get_path           (WaybillStore             *self);
void              waybill_store_watch              (WaybillStore             *self,
                                                    guint                     interval_ms);
gboolean          waybill_store_check_for_changes  (WaybillStore             *self);

/* Orders */
gboolean          waybill_store_create_order       (WaybillStore             *self,
                                                    WaybillOrder             *order,
                                                    GError                  **error);
gboolean          waybill_store_update_order       (WaybillStore             *self,
                                                    WaybillOrder             *order,
                                                    GError                  **error);
gboolean          waybill_store_delete_order       (WaybillStore             *self,
                                                    gint64                    order_id,
                                                    GError                  **error);
gboolean          waybill_store_set_archived       (WaybillStore             *self,
                                                    gint64                    order_id,
                                                    gboolean                  archived,
                                                    GError                  **error);
WaybillOrder     *waybill_store_get_order          (WaybillStore             *self,
                                                    gint64                    order_id,
                                                    GError                  **error);
WaybillOrder     *waybill_store_find_order         (WaybillStore             *self,
                                                    const char               *order_number,
                                                    GError                  **error);
WaybillOrder     *waybill_store_find_by_tracking   (WaybillStore             *self,
                                                    const char               *tracking_number,
                                                    GError                  **error);
GPtrArray        *waybill_store_list_orders        (WaybillStore             *self,
                                                    const WaybillOrderQuery  *query,
                                                    guint                     offset,
                                                    guint                     limit,
                                                    GError                  **error);
GPtrArray        *waybill_store_list_orders_after  (WaybillStore             *self,
                                                    const WaybillOrderQuery  *query,
                                                    const WaybillOrderKey    *after,
                                                    guint                     skip,
                                                    guint                     limit,
                                                    WaybillOrderKey          *out_last,
                                                    GError                  **error);
GPtrArray        *waybill_store_list_orders_from_end (WaybillStore           *self,
                                                    const WaybillOrderQuery  *query,
                                                    guint                     skip,
                                                    guint                     limit,
                                                    WaybillOrderKey          *out_last,
                                                    GError                  **error);
gint64            waybill_store_count_orders       (WaybillStore             *self,
                                                    const WaybillOrderQuery  *query,
                                                    GError                  **error);
void              waybill_store_count_filters_async (WaybillStore           *self,
                                                    GCancellable             *cancellable,
                                                    GAsyncReadyCallback       callback,
                                                    gpointer                  user_data);
gboolean          waybill_store_count_filters_finish (WaybillStore          *self,
                                                    GAsyncResult             *result,
                                                    gint64                   *out_counts,
                                                    GError                  **error);
GPtrArray        *waybill_store_search             (WaybillStore             *self,
                                                    const char               *text,
                                                    guint                     limit,
                                                    GError                  **error);

/* Shipments */
gboolean          waybill_store_add_shipment       (WaybillStore             *self,
                                                    gint64                    order_id,
                                                    WaybillShipment          *shipment,
                                                    GError                  **error);
gboolean          waybill_store_update_shipment    (WaybillStore             *self,
                                                    WaybillShipment          *shipment,
                                                    GError                  **error);
gboolean          waybill_store_remove_shipment    (WaybillStore             *self,
                                                    gint64                    shipment_id,
                                                    GError                  **error);
WaybillShipment  *waybill_store_get_shipment       (WaybillStore             *self,
                                                    gint64                    shipment_id,
                                                    GError                  **error);
WaybillShipment  *waybill_store_get_shipment_without_events
                                                   (WaybillStore             *self,
                                                    gint64                    shipment_id,
                                                    GError                  **error);
gboolean          waybill_store_load_events        (WaybillStore             *self,
                                                    WaybillShipment          *shipment,
                                                    GError                  **error);
gboolean          waybill_store_add_event          (WaybillStore             *self,
                                                    gint64                    shipment_id,
                                                    WaybillTrackingEvent     *event,
                                                    GError                  **error);
gboolean          waybill_store_record_result      (WaybillStore             *self,
                                                    gint64                    shipment_id,
                                                    const WaybillTrackingResult *result,
                                                    GDateTime                *checked_at,
                                                    WaybillStatus            *out_previous,
                                                    GError                  **error);
gboolean          waybill_store_record_results     (WaybillStore             *self,
                                                    guint                     n_results,
                                                    const gint64             *shipment_ids,
                                                    WaybillTrackingResult * const *results,
                                                    GDateTime                *checked_at,
                                                    WaybillStatus            *out_previous,
                                                    GError                  **error);
gboolean          waybill_store_record_failure     (WaybillStore             *self,
                                                    gint64                    shipment_id,
                                                    const char               *message,
                                                    GDateTime                *checked_at,
                                                    GError                  **error);

/* Refresh scheduling */
GPtrArray        *waybill_store_list_due_shipments (WaybillStore             *self,
                                                    GDateTime                *now,
                                                    gboolean                  all_active,
                                                    guint                     limit,
                                                    GError                  **error);
gboolean          waybill_store_schedule_shipment  (WaybillStore             *self,
                                                    gint64                    shipment_id,
                                                    GDateTime                *next_check,
                                                    GError                  **error);
void              waybill_store_set_delay_threshold (WaybillStore            *self,
                                                    guint                     seconds);
guint             waybill_store_get_delay_threshold (WaybillStore            *self);

/* Announced notifications */
gboolean          waybill_store_mark_announced     (WaybillStore             *self,
                                                    gint64                    shipment_id,
                                                    WaybillStatus             status,
                                                    gboolean                 *out_was_new,
                                                    GError                  **error);

gboolean          waybill_store_mark_delay_announced (WaybillStore           *self,
                                                    gint64                    shipment_id,
                                                    gboolean                 *out_was_new,
                                                    GError                  **error);

/* Customer messages (waybill-store-messages.c) */
gboolean          waybill_store_set_contact        (WaybillStore             *self,
                                                    gint64                    order_id,
                                                    WaybillContact            contact,
                                                    GError                  **error);
gboolean          waybill_store_get_contact        (WaybillStore             *self,
                                                    gint64                    order_id,
                                                    WaybillContact           *out_contact,
                                                    gboolean                 *out_remembered,
                                                    GError                  **error);
WaybillContact    waybill_store_lookup_contact_for_email
                                                   (WaybillStore             *self,
                                                    const char               *email,
                                                    GError                  **error);
gboolean          waybill_store_queue_message      (WaybillStore             *self,
                                                    WaybillMessage           *message,
                                                    gint64                    now,
                                                    gboolean                 *out_was_new,
                                                    GError                  **error);
GPtrArray        *waybill_store_list_messages      (WaybillStore             *self,
                                                    gint64                    order_id,
                                                    GError                  **error);
GPtrArray        *waybill_store_list_due_messages  (WaybillStore             *self,
                                                    gint64                    now,
                                                    guint                     limit,
                                                    GError                  **error);
gboolean          waybill_store_get_next_message_time (WaybillStore          *self,
                                                    gint64                   *out_time,
                                                    GError                  **error);
gboolean          waybill_store_claim_message      (WaybillStore             *self,
                                                    gint64                    message_id,
                                                    gint64                    now,
                                                    gboolean                 *out_claimed,
                                                    GError                  **error);
gboolean          waybill_store_message_sent       (WaybillStore             *self,
                                                    gint64                    message_id,
                                                    const char               *provider_id,
                                                    gint64                    now,
                                                    GError                  **error);
gboolean          waybill_store_message_failed     (WaybillStore             *self,
                                                    gint64                    message_id,
                                                    const char               *error_text,
                                                    gint64                    next_attempt,
                                                    gboolean                  refund_attempt,
                                                    GError                  **error);
gint64            waybill_store_count_sent_messages (WaybillStore            *self,
                                                    gint64                    since,
                                                    GError                  **error);
guint             waybill_store_recover_messages   (WaybillStore             *self,
                                                    gint64                    stale_before,
                                                    const char               *error_text,
                                                    GError                  **error);

/* Bulk writes (demo data, imports): one transaction around many calls. */
gboolean          waybill_store_begin              (WaybillStore             *self,
                                                    GError                  **error);
gboolean          waybill_store_commit             (WaybillStore             *self,
                                                    GError                  **error);
void              waybill_store_rollback           (WaybillStore             *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WaybillOrderQuery, g_free)

G_END_DECLS
