/* waybill-cli-json.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-cli"

#include "config.h"

#include "waybill-cli-private.h"
#include "waybill-format.h"

/* The JSON the verbs print.  Field names are fixed by the issues: scripts
 * depend on them.  Absent values are null; times are ISO 8601 with offset. */

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_time (JsonBuilder *builder,
          const char  *name,
          GDateTime   *time)
{
  g_autoptr(GDateTime) local = time != NULL ? g_date_time_to_local (time) : NULL;
  g_autofree char *text = waybill_format_iso8601 (local);

  add_string (builder, name, text);
}

static void
add_event (JsonBuilder          *builder,
           WaybillTrackingEvent *event)
{
  GDateTime *time = waybill_tracking_event_get_time (event);
  g_autofree char *text = NULL;

  /* Events keep the carrier's own offset: "14:05 in Memphis" stays so. */
  text = waybill_format_iso8601 (time);

  json_builder_begin_object (builder);
  add_string (builder, "time", text);
  add_string (builder, "status", waybill_status_to_id (waybill_tracking_event_get_status (event)));
  add_string (builder, "description", waybill_tracking_event_get_description (event));
  add_string (builder, "location", waybill_tracking_event_get_location (event));
  add_string (builder, "code", waybill_tracking_event_get_code (event));
  json_builder_end_object (builder);
}

static void
add_shipment (JsonBuilder     *builder,
              WaybillShipment *shipment,
              gboolean         with_events)
{
  GDateTime *eta = waybill_shipment_get_estimated_to (shipment);
  WaybillExceptionReason reason = waybill_shipment_get_exception_reason (shipment);

  if (eta == NULL)
    eta = waybill_shipment_get_estimated_from (shipment);

  json_builder_begin_object (builder);
  add_string (builder, "carrier", waybill_shipment_get_carrier (shipment));
  add_string (builder, "tracking_number", waybill_shipment_get_tracking_number (shipment));
  add_string (builder, "status", waybill_status_to_id (waybill_shipment_get_status (shipment)));
  add_string (builder, "sub_status", waybill_shipment_get_sub_status (shipment));
  add_string (builder, "exception_reason",
              reason != WAYBILL_EXCEPTION_NONE ? waybill_exception_reason_to_id (reason) : NULL);
  add_time (builder, "estimated_delivery", eta);
  add_time (builder, "delivered_at", waybill_shipment_get_delivered_at (shipment));
  add_string (builder, "signed_by", waybill_shipment_get_signed_by (shipment));
  add_time (builder, "last_checked", waybill_shipment_get_last_checked (shipment));
  add_string (builder, "last_error", waybill_shipment_get_last_error (shipment));
  json_builder_set_member_name (builder, "delayed");
  json_builder_add_boolean_value (builder, waybill_shipment_get_delayed (shipment));

  if (with_events)
    {
      GPtrArray *events = waybill_shipment_get_events (shipment);

      json_builder_set_member_name (builder, "events");
      json_builder_begin_array (builder);
      for (guint i = 0; i < events->len; i++)
        add_event (builder, g_ptr_array_index (events, i));
      json_builder_end_array (builder);
    }

  json_builder_end_object (builder);
}

/**
 * waybill_cli_order_to_json:
 * @with_events: include each shipment's events (the shipments must have
 *   them loaded)
 *
 * Returns: (transfer full): the order as a JSON object
 */
JsonNode *
waybill_cli_order_to_json (WaybillOrder *order,
                           gboolean      with_events)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  GPtrArray *shipments = waybill_order_get_shipments (order);

  json_builder_begin_object (builder);
  add_string (builder, "order_number", waybill_order_get_order_number (order));
  add_string (builder, "customer", waybill_order_get_customer (order));
  add_string (builder, "email", waybill_order_get_email (order));
  add_string (builder, "phone", waybill_order_get_phone (order));
  add_string (builder, "status", waybill_status_to_id (waybill_order_get_display_status (order)));
  json_builder_set_member_name (builder, "delayed");
  json_builder_add_boolean_value (builder, waybill_order_get_delayed (order));
  json_builder_set_member_name (builder, "archived");
  json_builder_add_boolean_value (builder, waybill_order_get_archived (order));
  add_time (builder, "created", waybill_order_get_created (order));
  add_string (builder, "address", waybill_order_get_address (order));
  add_string (builder, "note", waybill_order_get_note (order));

  json_builder_set_member_name (builder, "shipments");
  json_builder_begin_array (builder);
  for (guint i = 0; i < shipments->len; i++)
    add_shipment (builder, g_ptr_array_index (shipments, i), with_events);
  json_builder_end_array (builder);

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
