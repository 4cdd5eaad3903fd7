/* waybill-message-template.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-message"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "waybill-carrier.h"
#include "waybill-format.h"
#include "waybill-message-template.h"

/* Message templates: a subject and a body per event, for email, and a
 * short text for SMS.  The defaults are translated; what the shop writes
 * in Preferences is kept in the message-templates setting, a dictionary
 * of "EVENT-PART" (part: "subject", "body" or "sms") to text, so that a
 * template left alone follows the translation.
 *
 * Placeholders are {name}; one that is not known (a typo) is left as it is,
 * so that the shop sees it in the preview rather than losing text. */

const char * const waybill_message_placeholders[] = {
  "customer",
  "order_number",
  "carrier",
  "tracking_number",
  "tracking_link",
  "estimated_delivery",
  "status",
  "shop_name",
  NULL
};

/**
 * waybill_message_event_for_change:
 *
 * Which message, if any, tells a customer about @change.  The first
 * answer about a new shipment says nothing new, and is not told.
 *
 * Returns: the event, or %WAYBILL_MESSAGE_EVENT_INVALID
 */
WaybillMessageEvent
waybill_message_event_for_change (const WaybillStatusChange *change)
{
  g_return_val_if_fail (change != NULL, WAYBILL_MESSAGE_EVENT_INVALID);

  if (change->first_fetch)
    return WAYBILL_MESSAGE_EVENT_INVALID;

  if (waybill_status_change_is_delay_only (change))
    return WAYBILL_MESSAGE_EVENT_DELAYED;

  switch (change->to)
    {
    case WAYBILL_STATUS_PICKED_UP:
    case WAYBILL_STATUS_IN_TRANSIT:
      /* Shipped once: the carrier has the parcel for the first time. */
      if (change->from == WAYBILL_STATUS_PENDING || change->from == WAYBILL_STATUS_INFO_RECEIVED)
        return WAYBILL_MESSAGE_EVENT_SHIPPED;
      return change->delayed ? WAYBILL_MESSAGE_EVENT_DELAYED : WAYBILL_MESSAGE_EVENT_INVALID;
    case WAYBILL_STATUS_OUT_FOR_DELIVERY:
      return WAYBILL_MESSAGE_EVENT_OUT_FOR_DELIVERY;
    case WAYBILL_STATUS_DELIVERED:
      return WAYBILL_MESSAGE_EVENT_DELIVERED;
    case WAYBILL_STATUS_EXCEPTION:
      return WAYBILL_MESSAGE_EVENT_EXCEPTION;
    case WAYBILL_STATUS_AVAILABLE_FOR_PICKUP:
      return WAYBILL_MESSAGE_EVENT_READY_FOR_PICKUP;
    default:
      return change->delayed ? WAYBILL_MESSAGE_EVENT_DELAYED : WAYBILL_MESSAGE_EVENT_INVALID;
    }
}

/**
 * waybill_message_event_for_shipment:
 * @shipment: (nullable): a shipment
 *
 * The message that fits the shipment's state now, for "Notify Customer".
 */
WaybillMessageEvent
waybill_message_event_for_shipment (WaybillShipment *shipment)
{
  if (shipment == NULL)
    return WAYBILL_MESSAGE_EVENT_SHIPPED;

  switch (waybill_shipment_get_status (shipment))
    {
    case WAYBILL_STATUS_OUT_FOR_DELIVERY:
      return WAYBILL_MESSAGE_EVENT_OUT_FOR_DELIVERY;
    case WAYBILL_STATUS_DELIVERED:
      return WAYBILL_MESSAGE_EVENT_DELIVERED;
    case WAYBILL_STATUS_EXCEPTION:
    case WAYBILL_STATUS_FAILED_ATTEMPT:
    case WAYBILL_STATUS_RETURNED:
      return WAYBILL_MESSAGE_EVENT_EXCEPTION;
    case WAYBILL_STATUS_AVAILABLE_FOR_PICKUP:
      return WAYBILL_MESSAGE_EVENT_READY_FOR_PICKUP;
    default:
      return waybill_shipment_get_delayed (shipment) ? WAYBILL_MESSAGE_EVENT_DELAYED
                                                     : WAYBILL_MESSAGE_EVENT_SHIPPED;
    }
}

const char *
waybill_message_template_default_subject (WaybillMessageEvent event)
{
  switch (event)
    {
    case WAYBILL_MESSAGE_EVENT_SHIPPED:
      /* Translators: keep the {placeholders} as they are, in braces. */
      return _("Your order {order_number} is on its way");
    case WAYBILL_MESSAGE_EVENT_OUT_FOR_DELIVERY:
      return _("Your order {order_number} arrives today");
    case WAYBILL_MESSAGE_EVENT_DELIVERED:
      return _("Your order {order_number} was delivered");
    case WAYBILL_MESSAGE_EVENT_DELAYED:
      return _("Your order {order_number} is delayed");
    case WAYBILL_MESSAGE_EVENT_EXCEPTION:
      return _("A problem with the delivery of your order {order_number}");
    case WAYBILL_MESSAGE_EVENT_READY_FOR_PICKUP:
      return _("Your order {order_number} is ready for pickup");
    case WAYBILL_MESSAGE_EVENT_INVALID:
    case WAYBILL_N_MESSAGE_EVENTS:
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
waybill_message_template_default_body (WaybillMessageEvent event)
{
  switch (event)
    {
    case WAYBILL_MESSAGE_EVENT_SHIPPED:
      /* Translators: keep the {placeholders} as they are, in braces. */
      return _("Hello {customer},\n\n"
               "Good news: your order {order_number} has shipped with {carrier}.\n"
               "Tracking number: {tracking_number}\n"
               "Follow your parcel: {tracking_link}\n"
               "Expected delivery: {estimated_delivery}\n\n"
               "Thank you for shopping with us,\n"
               "{shop_name}");
    case WAYBILL_MESSAGE_EVENT_OUT_FOR_DELIVERY:
      return _("Hello {customer},\n\n"
               "Your order {order_number} is out for delivery with {carrier} and should "
               "arrive today.\n"
               "Follow your parcel: {tracking_link}\n\n"
               "{shop_name}");
    case WAYBILL_MESSAGE_EVENT_DELIVERED:
      return _("Hello {customer},\n\n"
               "{carrier} has delivered your order {order_number}. We hope you enjoy it!\n"
               "If anything is wrong, just reply to this message.\n\n"
               "{shop_name}");
    case WAYBILL_MESSAGE_EVENT_DELAYED:
      return _("Hello {customer},\n\n"
               "Your order {order_number} is taking longer than expected. {carrier} "
               "now reports: {status}.\n"
               "Follow your parcel: {tracking_link}\n"
               "We are keeping an eye on it and will let you know when it moves on.\n\n"
               "Sorry for the wait,\n"
               "{shop_name}");
    case WAYBILL_MESSAGE_EVENT_EXCEPTION:
      return _("Hello {customer},\n\n"
               "{carrier} reports a problem with the delivery of your order "
               "{order_number}: {status}.\n"
               "Follow your parcel: {tracking_link}\n"
               "We are looking into it and will be in touch.\n\n"
               "{shop_name}");
    case WAYBILL_MESSAGE_EVENT_READY_FOR_PICKUP:
      return _("Hello {customer},\n\n"
               "Your order {order_number} is waiting for you at the {carrier} pickup point.\n"
               "Details: {tracking_link}\n\n"
               "{shop_name}");
    case WAYBILL_MESSAGE_EVENT_INVALID:
    case WAYBILL_N_MESSAGE_EVENTS:
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
waybill_message_template_default_sms (WaybillMessageEvent event)
{
  switch (event)
    {
    case WAYBILL_MESSAGE_EVENT_SHIPPED:
      /* Translators: an SMS, keep it short; keep the {placeholders}. */
      return _("{shop_name}: your order {order_number} has shipped with {carrier}. "
               "Track it: {tracking_link}");
    case WAYBILL_MESSAGE_EVENT_OUT_FOR_DELIVERY:
      return _("{shop_name}: your order {order_number} is out for delivery today. "
               "Track it: {tracking_link}");
    case WAYBILL_MESSAGE_EVENT_DELIVERED:
      return _("{shop_name}: your order {order_number} was delivered. Enjoy!");
    case WAYBILL_MESSAGE_EVENT_DELAYED:
      return _("{shop_name}: your order {order_number} is delayed ({status}). "
               "Track it: {tracking_link}");
    case WAYBILL_MESSAGE_EVENT_EXCEPTION:
      return _("{shop_name}: there is a problem with the delivery of your order "
               "{order_number} ({status}). We are looking into it.");
    case WAYBILL_MESSAGE_EVENT_READY_FOR_PICKUP:
      return _("{shop_name}: your order {order_number} is ready for pickup. "
               "Details: {tracking_link}");
    case WAYBILL_MESSAGE_EVENT_INVALID:
    case WAYBILL_N_MESSAGE_EVENTS:
    default:
      g_return_val_if_reached (NULL);
    }
}

static char *
override_key (WaybillMessageEvent  event,
              const char          *part)
{
  return g_strdup_printf ("%s-%s", waybill_message_event_to_id (event), part);
}

static char *
get_part (GSettings           *settings,
          WaybillMessageEvent  event,
          const char          *part,
          const char          *fallback)
{
  g_autoptr(GVariant) overrides = NULL;
  g_autofree char *key = NULL;
  const char *text = NULL;

  if (settings == NULL)
    return g_strdup (fallback);

  key = override_key (event, part);
  overrides = g_settings_get_value (settings, "message-templates");
  if (g_variant_lookup (overrides, key, "&s", &text) && *text != '\0')
    return g_strdup (text);

  return g_strdup (fallback);
}

/**
 * waybill_message_template_get_subject:
 * @settings: (nullable): the app's settings; %NULL for the defaults
 *
 * Returns: (transfer full): the subject template of @event
 */
char *
waybill_message_template_get_subject (GSettings           *settings,
                                      WaybillMessageEvent  event)
{
  g_return_val_if_fail (event >= 0 && event < WAYBILL_N_MESSAGE_EVENTS, NULL);

  return get_part (settings, event, "subject", waybill_message_template_default_subject (event));
}

char *
waybill_message_template_get_body (GSettings           *settings,
                                   WaybillMessageEvent  event)
{
  g_return_val_if_fail (event >= 0 && event < WAYBILL_N_MESSAGE_EVENTS, NULL);

  return get_part (settings, event, "body", waybill_message_template_default_body (event));
}

char *
waybill_message_template_get_sms (GSettings           *settings,
                                  WaybillMessageEvent  event)
{
  g_return_val_if_fail (event >= 0 && event < WAYBILL_N_MESSAGE_EVENTS, NULL);

  return get_part (settings, event, "sms", waybill_message_template_default_sms (event));
}

/**
 * waybill_message_template_set:
 * @part: "subject", "body" or "sms"
 * @text: (nullable): the new text; %NULL, empty or the default text go
 *   back to the (translated) default
 *
 * Keeps what the shop wrote for one part of one template.
 */
void
waybill_message_template_set (GSettings           *settings,
                              WaybillMessageEvent  event,
                              const char          *part,
                              const char          *text)
{
  g_autoptr(GVariant) overrides = NULL;
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a{ss}"));
  g_autofree char *key = NULL;
  const char *fallback;
  GVariantIter iter;
  const char *k, *v;

  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (event >= 0 && event < WAYBILL_N_MESSAGE_EVENTS);

  if (g_strcmp0 (part, "subject") == 0)
    fallback = waybill_message_template_default_subject (event);
  else if (g_strcmp0 (part, "body") == 0)
    fallback = waybill_message_template_default_body (event);
  else if (g_strcmp0 (part, "sms") == 0)
    fallback = waybill_message_template_default_sms (event);
  else
    g_return_if_reached ();

  key = override_key (event, part);
  overrides = g_settings_get_value (settings, "message-templates");
  g_variant_iter_init (&iter, overrides);
  while (g_variant_iter_next (&iter, "{&s&s}", &k, &v))
    if (g_strcmp0 (k, key) != 0)
      g_variant_builder_add (&builder, "{ss}", k, v);

  if (text != NULL && *text != '\0' && g_strcmp0 (text, fallback) != 0)
    g_variant_builder_add (&builder, "{ss}", key, text);

  g_settings_set_value (settings, "message-templates", g_variant_builder_end (&builder));
}

/* Stored times are UTC; the shop's customers mostly live in its time
 * zone, so dates are told in the local one. */
static GDateTime *
local_or_null (GDateTime *time)
{
  return time != NULL ? g_date_time_to_local (time) : NULL;
}

static char *
format_estimate (WaybillShipment *shipment)
{
  g_autoptr(GDateTime) from = local_or_null (waybill_shipment_get_estimated_from (shipment));
  g_autoptr(GDateTime) to = local_or_null (waybill_shipment_get_estimated_to (shipment));
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  if (from == NULL && to == NULL)
    return g_strdup (_("not known yet"));
  if (from == NULL || to == NULL ||
      (g_date_time_get_year (from) == g_date_time_get_year (to) &&
       g_date_time_get_day_of_year (from) == g_date_time_get_day_of_year (to)))
    /* Translators: a date such as "Tuesday 3 December" in a message to a
     * customer, see strftime(3). */
    return g_date_time_format (from != NULL ? from : to, _("%A %-d %B"));

  a = g_date_time_format (from, _("%A %-d %B"));
  b = g_date_time_format (to, _("%A %-d %B"));
  /* Translators: a range of two dates */
  return g_strdup_printf (_("%s to %s"), a, b);
}

static char *
format_status (WaybillShipment *shipment)
{
  WaybillStatus status = waybill_shipment_get_status (shipment);

  if (status == WAYBILL_STATUS_EXCEPTION)
    {
      WaybillExceptionReason reason = waybill_shipment_get_exception_reason (shipment);

      /* Translators: a status and why, "Problem (held in customs)" */
      return g_strdup_printf (_("%s (%s)"), waybill_status_get_label (status),
                              waybill_exception_reason_get_label (reason));
    }

  return g_strdup (waybill_status_get_label (status));
}

/**
 * waybill_message_values_new:
 * @shipment: (nullable): the shipment the message is about; %NULL for the
 *   order's primary shipment
 * @shop_name: (nullable): the shop's name as customers know it
 *
 * The value of every placeholder for one order.
 *
 * Returns: (transfer full): placeholder name -> text
 */
GHashTable *
waybill_message_values_new (WaybillOrder    *order,
                            WaybillShipment *shipment,
                            const char      *shop_name)
{
  GHashTable *values = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  const char *customer;

  g_return_val_if_fail (WAYBILL_IS_ORDER (order), NULL);

  if (shipment == NULL)
    shipment = waybill_order_get_primary_shipment (order);

  customer = waybill_order_get_customer (order);
  g_hash_table_insert (values, (gpointer) "customer",
                       g_strdup (customer != NULL && *customer != '\0' ? customer : _("customer")));
  g_hash_table_insert (values, (gpointer) "order_number",
                       g_strdup (waybill_order_get_order_number (order)));
  g_hash_table_insert (values, (gpointer) "shop_name",
                       g_strdup (shop_name != NULL && *shop_name != '\0' ? shop_name : _("Your shop")));

  if (shipment != NULL)
    {
      const char *carrier_id = waybill_shipment_get_carrier (shipment);
      const char *number = waybill_shipment_get_tracking_number (shipment);
      const WaybillCarrier *carrier = carrier_id != NULL ? waybill_carrier_lookup (carrier_id) : NULL;
      char *link = carrier != NULL ? waybill_carrier_get_tracking_url (carrier, number) : NULL;

      g_hash_table_insert (values, (gpointer) "carrier",
                           g_strdup (carrier_id != NULL ? waybill_format_carrier_name (carrier_id)
                                                        : _("the carrier")));
      g_hash_table_insert (values, (gpointer) "tracking_number", g_strdup (number));
      g_hash_table_insert (values, (gpointer) "tracking_link",
                           link != NULL ? link : g_strdup (number));
      g_hash_table_insert (values, (gpointer) "estimated_delivery", format_estimate (shipment));
      g_hash_table_insert (values, (gpointer) "status", format_status (shipment));
    }
  else
    {
      g_hash_table_insert (values, (gpointer) "carrier", g_strdup (_("the carrier")));
      g_hash_table_insert (values, (gpointer) "tracking_number", g_strdup (""));
      g_hash_table_insert (values, (gpointer) "tracking_link", g_strdup (""));
      g_hash_table_insert (values, (gpointer) "estimated_delivery", g_strdup (_("not known yet")));
      g_hash_table_insert (values, (gpointer) "status",
                           g_strdup (waybill_status_get_label (waybill_order_get_display_status (order))));
    }

  return values;
}

/**
 * waybill_message_template_render:
 * @text: a template
 * @values: placeholder name -> text, from waybill_message_values_new()
 *
 * Fills in the placeholders.  Text that looks like a placeholder but is
 * not one ("{typo}", a lone brace) stays as written.  The result is plain
 * text: nothing is escaped.
 *
 * Returns: (transfer full): the message text
 */
char *
waybill_message_template_render (const char *text,
                                 GHashTable *values)
{
  GString *out;
  const char *p;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (values != NULL, NULL);

  out = g_string_sized_new (strlen (text) + 64);
  p = text;
  while (*p != '\0')
    {
      const char *open = strchr (p, '{');
      const char *close;
      g_autofree char *name = NULL;
      const char *value;

      if (open == NULL)
        {
          g_string_append (out, p);
          break;
        }

      g_string_append_len (out, p, open - p);
      close = strchr (open + 1, '}');
      if (close == NULL)
        {
          g_string_append (out, open);
          break;
        }

      name = g_strndup (open + 1, close - open - 1);
      value = g_hash_table_lookup (values, name);
      if (value != NULL)
        {
          g_string_append (out, value);
          p = close + 1;
        }
      else
        {
          /* Not ours: keep the brace and look again after it, so that
           * "{{order_number}" still fills in the inner one. */
          g_string_append_c (out, '{');
          p = open + 1;
        }
    }

  return g_string_free (out, FALSE);
}

/**
 * waybill_message_sample_order:
 *
 * An order to preview templates with.
 *
 * Returns: (transfer full): a made-up order with one shipment
 */
WaybillOrder *
waybill_message_sample_order (void)
{
  WaybillOrder *order = waybill_order_new ("1042", _("Alex Example"));
  g_autoptr(WaybillShipment) shipment = waybill_shipment_new ("dhl-express", "1234567890");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) eta = g_date_time_add_days (now, 2);

  waybill_order_set_email (order, "alex@example.com");
  waybill_shipment_set_status (shipment, WAYBILL_STATUS_IN_TRANSIT);
  waybill_shipment_set_estimated_delivery (shipment, eta, eta);
  waybill_order_add_shipment (order, shipment);

  return order;
}
