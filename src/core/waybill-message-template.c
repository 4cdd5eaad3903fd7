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
 * so that the shop sees it in the preview rather than losing text.  A line
 * whose placeholder has nothing to say ({feedback_link} while the shop has
 * no feedback address, {tracking_link} of an order without a parcel) is
 * left out, so that no customer reads "Tell us how we did: " with nothing
 * after it. */

const char * const waybill_message_placeholders[] = {
  "customer",
  "order_number",
  "carrier",
  "tracking_number",
  "tracking_link",
  "estimated_delivery",
  "status",
  "shop_name",
  "feedback_link",
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
               "If anything is wrong, just reply to this message.\n"
               "How did we do? Tell us in a minute: {feedback_link}\n\n"
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

/* An email address as people write one: no spaces, one "@", a dot in
 * the domain.  Not RFC 5322: a customer reads it, no server parses it. */
static gboolean
looks_like_email (const char *text)
{
  const char *at = strchr (text, '@');

  return at != NULL && at != text && strchr (at + 1, '@') == NULL &&
         strchr (at + 1, '.') != NULL && at[1] != '.' && !g_str_has_suffix (text, ".") &&
         strpbrk (text, "/:<>(),;\"[]\\{}") == NULL;
}

/**
 * waybill_message_feedback_link:
 * @address: (nullable): where customers give feedback, as the shop wrote
 *   it: a web address (https://…, or www.… for which https:// is meant),
 *   or an email address; "{order_number}" in a web address is filled in
 * @order_number: (nullable): the order the message is about
 *
 * The link a message asks for feedback with.
 *
 * Returns: (transfer full) (nullable): the link; %NULL when @address is
 *   empty (no error) or not usable (@error says why)
 */
char *
waybill_message_feedback_link (const char  *address,
                               const char  *order_number,
                               GError     **error)
{
  g_autofree char *text = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *link = NULL;
  g_autoptr(GUri) uri = NULL;
  g_auto(GStrv) parts = NULL;
  const char *scheme;
  const char *host;

  if (address == NULL)
    return NULL;
  text = g_strstrip (g_strdup (address));
  if (*text == '\0')
    return NULL;

  for (const char *p = text; *p != '\0'; p++)
    if (g_ascii_isspace (*p))
      {
        g_set_error (error, WAYBILL_MESSAGE_ERROR, WAYBILL_MESSAGE_ERROR_NOT_CONFIGURED,
                     _("The feedback address “%s” has a space in it"), text);
        return NULL;
      }

  /* An email address ("mailto:" or not): taken as written. */
  {
    gboolean mailto = g_ascii_strncasecmp (text, "mailto:", 7) == 0;
    const char *at = strchr (text, '@');
    const char *slash = strchr (text, '/');

    if (mailto || (g_uri_peek_scheme (text) == NULL && at != NULL && (slash == NULL || at < slash)))
      {
        if (looks_like_email (mailto ? text + 7 : text))
          return g_steal_pointer (&text);
        g_set_error (error, WAYBILL_MESSAGE_ERROR, WAYBILL_MESSAGE_ERROR_NOT_CONFIGURED,
                     _("The feedback address “%s” is neither a web address (https://…) nor an email address"),
                     text);
        return NULL;
      }
  }

  /* "www.example.com/survey": the web address people mean. */
  if (g_uri_peek_scheme (text) == NULL && strstr (text, "://") == NULL)
    {
      char *with_scheme = g_strconcat ("https://", text, NULL);

      g_free (text);
      text = with_scheme;
    }

  escaped = g_uri_escape_string (order_number != NULL ? order_number : "", NULL, FALSE);
  parts = g_strsplit (text, "{order_number}", -1);
  link = g_strjoinv (escaped, parts);
  if (strpbrk (link, "{}") != NULL)
    {
      g_set_error (error, WAYBILL_MESSAGE_ERROR, WAYBILL_MESSAGE_ERROR_NOT_CONFIGURED,
                   _("The feedback address “%s” can hold no placeholder but {order_number}"), text);
      return NULL;
    }

  uri = g_uri_parse (link, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  host = uri != NULL ? g_uri_get_host (uri) : NULL;
  if (uri == NULL || (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0) ||
      host == NULL || *host == '\0' || (strchr (host, '.') == NULL && strchr (host, ':') == NULL))
    {
      g_set_error (error, WAYBILL_MESSAGE_ERROR, WAYBILL_MESSAGE_ERROR_NOT_CONFIGURED,
                   _("The feedback address “%s” is neither a web address (https://…) nor an email address"),
                   address);
      return NULL;
    }

  return g_steal_pointer (&link);
}

/**
 * waybill_message_values_new:
 * @shipment: (nullable): the shipment the message is about; %NULL for the
 *   order's primary shipment
 * @shop_name: (nullable): the shop's name as customers know it
 * @feedback_address: (nullable): where customers give feedback, see
 *   waybill_message_feedback_link(); %NULL, empty or unusable: the
 *   {feedback_link} is empty, and its line is left out
 *
 * The value of every placeholder for one order.
 *
 * Returns: (transfer full): placeholder name -> text
 */
GHashTable *
waybill_message_values_new (WaybillOrder    *order,
                            WaybillShipment *shipment,
                            const char      *shop_name,
                            const char      *feedback_address)
{
  GHashTable *values = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(GError) error = NULL;
  const char *customer;
  char *feedback;

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

  feedback = waybill_message_feedback_link (feedback_address, waybill_order_get_order_number (order), &error);
  if (error != NULL)
    g_debug ("No feedback line: %s", error->message);
  g_hash_table_insert (values, (gpointer) "feedback_link", feedback != NULL ? feedback : g_strdup (""));

  return values;
}

/* Fills in the placeholders of one line; @out_empty tells whether one of
 * them had no value. */
static void
render_line (GString     *out,
             const char  *line,
             gsize        length,
             GHashTable  *values,
             gboolean    *out_empty)
{
  const char *p = line;
  const char *end = line + length;

  while (p < end)
    {
      const char *open = memchr (p, '{', end - p);
      const char *close;
      g_autofree char *name = NULL;
      const char *value;

      if (open == NULL)
        {
          g_string_append_len (out, p, end - p);
          break;
        }

      g_string_append_len (out, p, open - p);
      close = memchr (open + 1, '}', end - open - 1);
      if (close == NULL)
        {
          g_string_append_len (out, open, end - open);
          break;
        }

      name = g_strndup (open + 1, close - open - 1);
      value = g_hash_table_lookup (values, name);
      if (value != NULL)
        {
          g_string_append (out, value);
          if (*value == '\0')
            *out_empty = TRUE;
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
}

static gboolean
is_blank (const char *text)
{
  for (; *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;

  return TRUE;
}

/**
 * waybill_message_template_render:
 * @text: a template
 * @values: placeholder name -> text, from waybill_message_values_new()
 *
 * Fills in the placeholders.  Text that looks like a placeholder but is
 * not one ("{typo}", a lone brace) stays as written.  A line with a
 * placeholder that has no value (an empty {feedback_link}) is left out,
 * unless nothing else would be left.  The result is plain text: nothing
 * is escaped.
 *
 * Returns: (transfer full): the message text
 */
char *
waybill_message_template_render (const char *text,
                                 GHashTable *values)
{
  GString *out;
  GString *all;
  const char *line;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (values != NULL, NULL);

  out = g_string_sized_new (strlen (text) + 64);
  all = g_string_sized_new (strlen (text) + 64);
  line = text;
  for (;;)
    {
      const char *newline = strchr (line, '\n');
      gsize length = newline != NULL ? (gsize) (newline - line) : strlen (line);
      gsize mark = out->len;
      gboolean empty = FALSE;

      render_line (out, line, length, values, &empty);
      g_string_append_len (all, out->str + mark, out->len - mark);
      if (newline != NULL)
        g_string_append_c (all, '\n');

      if (empty)
        {
          g_string_truncate (out, mark);
          /* The last line went: so does the line break before it. */
          if (newline == NULL && out->len > 0 && out->str[out->len - 1] == '\n')
            g_string_truncate (out, out->len - 1);
        }
      else if (newline != NULL)
        g_string_append_c (out, '\n');

      if (newline == NULL)
        break;
      line = newline + 1;
    }

  /* A one-line SMS "Rate us: {feedback_link}" is not sent empty. */
  if (is_blank (out->str) && !is_blank (all->str))
    {
      g_string_free (out, TRUE);
      return g_string_free (all, FALSE);
    }

  g_string_free (all, TRUE);
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
