/* waybill-status-reply.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-status-reply"

#include "config.h"

#include <glib/gi18n.h>

#include "waybill-carrier.h"
#include "waybill-format.h"
#include "waybill-status-reply.h"

/* The short reply staff paste into a chat or read out on the phone: where
 * the order is, in plain words and in the user's language, with the days
 * said the way people say them ("this morning", "yesterday", "on Monday 1
 * December"; due "today", "tomorrow", "Thursday 4 December") relative to
 * the given "now", in local time.
 *
 * Every sentence is one whole translatable message with the order (or
 * parcel) as its first argument, so that translators can order the words
 * as their language needs. */

static int
local_days_between (GDateTime *from,
                    GDateTime *to)
{
  g_autoptr(GDateTime) a = g_date_time_to_local (from);
  g_autoptr(GDateTime) b = g_date_time_to_local (to);
  g_autoptr(GDate) da = g_date_new_dmy (g_date_time_get_day_of_month (a),
                                        g_date_time_get_month (a),
                                        g_date_time_get_year (a));
  g_autoptr(GDate) db = g_date_new_dmy (g_date_time_get_day_of_month (b),
                                        g_date_time_get_month (b),
                                        g_date_time_get_year (b));

  return g_date_days_between (da, db);
}

/* When something happened: "this morning", "yesterday", "on Monday 1
 * December". */
static char *
format_past (GDateTime *time,
             GDateTime *now)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (time);
  int days = local_days_between (now, time);

  if (days >= 0)
    {
      int hour = g_date_time_get_hour (local);

      if (hour < 12)
        return g_strdup (_("this morning"));
      if (hour < 18)
        return g_strdup (_("this afternoon"));
      return g_strdup (_("this evening"));
    }
  if (days == -1)
    return g_strdup (_("yesterday"));

  /* Translators: a past day in a sentence, "on Monday 1 December", see
   * strftime(3); %-d is the day of the month without a leading zero */
  return g_date_time_format (local, _("on %A %-d %B"));
}

/* When something is due: "today", "tomorrow", "Thursday 4 December". */
static char *
format_due (GDateTime *time,
            GDateTime *now)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (time);
  int days = local_days_between (now, time);

  if (days == 0)
    return g_strdup (_("today"));
  if (days == 1)
    return g_strdup (_("tomorrow"));

  /* Translators: a day something is due, "Thursday 4 December", as in
   * "is due Thursday 4 December", see strftime(3) */
  return g_date_time_format (local, _("%A %-d %B"));
}

static const char *
exception_in_words (WaybillExceptionReason reason)
{
  switch (reason)
    {
    case WAYBILL_EXCEPTION_CUSTOMS:
      return _("it is waiting in customs");
    case WAYBILL_EXCEPTION_DAMAGED:
      return _("the parcel was damaged on the way");
    case WAYBILL_EXCEPTION_LOST:
      return _("the carrier cannot find the parcel");
    case WAYBILL_EXCEPTION_ADDRESS:
      return _("the carrier needs a more complete address");
    case WAYBILL_EXCEPTION_REFUSED:
      return _("the delivery was refused");
    case WAYBILL_EXCEPTION_WEATHER:
      return _("bad weather is slowing the carrier down");
    case WAYBILL_EXCEPTION_DELAY:
      return _("the carrier is running late");
    case WAYBILL_EXCEPTION_NONE:
    case WAYBILL_EXCEPTION_OTHER:
    case WAYBILL_N_EXCEPTION_REASONS:
    default:
      return _("the carrier reported a problem");
    }
}

/* The newest event: the store loads them newest first, and hand-made
 * shipments may list them in any order. */
static WaybillTrackingEvent *
latest_event (WaybillShipment *shipment)
{
  GPtrArray *events = waybill_shipment_get_events (shipment);
  WaybillTrackingEvent *latest = NULL;

  for (guint i = 0; i < events->len; i++)
    {
      WaybillTrackingEvent *event = g_ptr_array_index (events, i);

      if (latest == NULL ||
          g_date_time_compare (waybill_tracking_event_get_time (event),
                               waybill_tracking_event_get_time (latest)) > 0)
        latest = event;
    }

  return latest;
}

/* One or two sentences about one parcel; @subject is "Your order 1042" or
 * "Parcel 2". */
static void
append_shipment (GString         *text,
                 WaybillShipment *shipment,
                 const char      *subject,
                 GDateTime       *now)
{
  WaybillTrackingEvent *event = latest_event (shipment);
  const char *carrier_id = waybill_shipment_get_carrier (shipment);
  const WaybillCarrier *carrier = carrier_id != NULL ? waybill_carrier_lookup (carrier_id) : NULL;
  const char *carrier_name = carrier != NULL ? waybill_carrier_get_name (carrier) : NULL;
  const char *location = event != NULL ? waybill_tracking_event_get_location (event) : NULL;
  GDateTime *event_time = event != NULL ? waybill_tracking_event_get_time (event)
                                        : waybill_shipment_get_last_event_at (shipment);
  GDateTime *eta = waybill_shipment_get_estimated_to (shipment) ?: waybill_shipment_get_estimated_from (shipment);
  WaybillStatus status = waybill_shipment_get_status (shipment);
  g_autofree char *when = event_time != NULL ? format_past (event_time, now) : NULL;
  g_autofree char *due = NULL;
  g_autofree char *was_due = NULL;
  g_autofree char *url = NULL;

  if (location != NULL && *location == '\0')
    location = NULL;

  if (eta != NULL && !waybill_status_is_final (status))
    {
      if (local_days_between (now, eta) >= 0)
        due = format_due (eta, now);
      else
        was_due = format_past (eta, now);
    }

  if (event_time == NULL && (status == WAYBILL_STATUS_PENDING || status == WAYBILL_STATUS_PICKED_UP ||
                             status == WAYBILL_STATUS_IN_TRANSIT || status == WAYBILL_STATUS_INFO_RECEIVED))
    {
      /* No events yet: the carrier has the number but has not scanned
       * the parcel. */
      if (carrier_name != NULL)
        /* Translators: %1$s is "Your order 1042" or "Parcel 2", %2$s a carrier such as "UPS" */
        g_string_append_printf (text, _("%1$s is packed and handed to %2$s, who have not scanned it yet."),
                                subject, carrier_name);
      else
        /* Translators: %s is "Your order 1042" or "Parcel 2" */
        g_string_append_printf (text, _("%s is packed, and the carrier has not scanned it yet."),
                                subject);
      status = WAYBILL_STATUS_PENDING;
    }
  else
    switch (status)
      {
      case WAYBILL_STATUS_DELIVERED:
        {
          GDateTime *delivered = waybill_shipment_get_delivered_at (shipment) ?: event_time;
          g_autofree char *day = delivered != NULL ? format_past (delivered, now) : NULL;

          if (day != NULL)
            /* Translators: %1$s is "Your order 1042" or "Parcel 2", %2$s a time such as
             * "this morning", "yesterday" or "on Monday 1 December" */
            g_string_append_printf (text, _("%1$s was delivered %2$s."), subject, day);
          else
            /* Translators: %s is "Your order 1042" or "Parcel 2" */
            g_string_append_printf (text, _("%s has been delivered."), subject);
        }
        break;

      case WAYBILL_STATUS_OUT_FOR_DELIVERY:
        /* Translators: %s is "Your order 1042" or "Parcel 2" */
        g_string_append_printf (text, _("%s is out for delivery today."), subject);
        break;

      case WAYBILL_STATUS_AVAILABLE_FOR_PICKUP:
        if (location != NULL)
          /* Translators: %1$s is "Your order 1042" or "Parcel 2", %2$s a place */
          g_string_append_printf (text, _("%1$s is waiting to be collected at %2$s."), subject, location);
        else
          /* Translators: %s is "Your order 1042" or "Parcel 2" */
          g_string_append_printf (text, _("%s is waiting to be collected."), subject);
        break;

      case WAYBILL_STATUS_FAILED_ATTEMPT:
        if (when != NULL)
          /* Translators: %1$s is "Your order 1042" or "Parcel 2", %2$s a time such as
           * "this morning", %3$s a carrier such as "UPS" */
          g_string_append_printf (text, _("%1$s could not be delivered %2$s; %3$s will try again."),
                                  subject, when, carrier_name != NULL ? carrier_name : _("the carrier"));
        else
          /* Translators: %1$s is "Your order 1042" or "Parcel 2", %2$s a carrier such as "UPS" */
          g_string_append_printf (text, _("%1$s could not be delivered; %2$s will try again."),
                                  subject, carrier_name != NULL ? carrier_name : _("the carrier"));
        break;

      case WAYBILL_STATUS_EXCEPTION:
        /* Translators: %1$s is "Your order 1042" or "Parcel 2", %2$s what is wrong, such
         * as "it is waiting in customs" */
        g_string_append_printf (text, _("%1$s is held up: %2$s. We are looking into it."),
                                subject, exception_in_words (waybill_shipment_get_exception_reason (shipment)));
        break;

      case WAYBILL_STATUS_RETURNED:
        /* Translators: %s is "Your order 1042" or "Parcel 2" */
        g_string_append_printf (text, _("%s is on its way back to us; we will be in touch."), subject);
        break;

      case WAYBILL_STATUS_EXPIRED:
        /* Translators: %s is "Your order 1042" or "Parcel 2" */
        g_string_append_printf (text, _("%s has not been scanned by the carrier for a while; "
                                        "we are looking into it."), subject);
        break;

      case WAYBILL_STATUS_INFO_RECEIVED:
        if (due != NULL)
          /* Translators: %1$s is "Your order 1042" or "Parcel 2", %2$s a day such as
           * "tomorrow" or "Thursday 4 December" */
          g_string_append_printf (text, _("%1$s is ready and waiting for the carrier to pick it up; "
                                          "it is due %2$s."), subject, due);
        else
          /* Translators: %s is "Your order 1042" or "Parcel 2" */
          g_string_append_printf (text, _("%s is ready and waiting for the carrier to pick it up."),
                                  subject);
        break;

      default:
        if (when == NULL)
          /* Translators: %s is "Your order 1042" or "Parcel 2" */
          g_string_append_printf (text, _("%s is on its way."), subject);
        else if (location != NULL && due != NULL)
          /* Translators: %1$s is "Your order 1042" or "Parcel 2", %2$s a place such as
           * "Memphis, TN, US", %3$s a time such as "this morning" or "on Monday 1
           * December", %4$s a day such as "tomorrow" or "Thursday 4 December" */
          g_string_append_printf (text, _("%1$s was last scanned in %2$s %3$s and is due %4$s."),
                                  subject, location, when, due);
        else if (location != NULL)
          /* Translators: %1$s is "Your order 1042" or "Parcel 2", %2$s a place such as
           * "Memphis, TN, US", %3$s a time such as "this morning" */
          g_string_append_printf (text, _("%1$s was last scanned in %2$s %3$s."),
                                  subject, location, when);
        else if (due != NULL)
          /* Translators: %1$s is "Your order 1042" or "Parcel 2", %2$s a time such as
           * "this morning", %3$s a day such as "tomorrow" or "Thursday 4 December" */
          g_string_append_printf (text, _("%1$s was last scanned %2$s and is due %3$s."),
                                  subject, when, due);
        else
          /* Translators: %1$s is "Your order 1042" or "Parcel 2", %2$s a time such as
           * "this morning" */
          g_string_append_printf (text, _("%1$s is on its way; it was last scanned %2$s."),
                                  subject, when);
        break;
      }

  if (was_due != NULL)
    {
      g_string_append_c (text, ' ');
      /* Translators: %s is a past day such as "yesterday" or "on Monday 1 December" */
      g_string_append_printf (text, _("It was due %s and is running late."), was_due);
    }

  if (carrier != NULL && status != WAYBILL_STATUS_DELIVERED &&
      (url = waybill_carrier_get_tracking_url (carrier, waybill_shipment_get_tracking_number (shipment))) != NULL)
    {
      g_string_append_c (text, ' ');
      /* Translators: %s is the web address of the carrier's tracking page */
      g_string_append_printf (text, _("Track it here: %s"), url);
    }
}

/* An order without parcels: what its stage says. */
static char *
reply_without_shipments (WaybillOrder *order)
{
  const char *number = waybill_order_get_order_number (order);

  switch (waybill_order_get_stage (order))
    {
    case WAYBILL_STATUS_CANCELLED:
      /* Translators: %s is an order number such as "1042" */
      return g_strdup_printf (_("Your order %s was cancelled, so it will not be sent."), number);
    case WAYBILL_STATUS_SHIPPED:
      /* Translators: %s is an order number such as "1042" */
      return g_strdup_printf (_("Your order %s is on its way; we do not have its tracking number yet "
                                "and will send it as soon as we do."), number);
    case WAYBILL_STATUS_PROCESSING:
      /* Translators: %s is an order number such as "1042" */
      return g_strdup_printf (_("Your order %s is being prepared and will be on its way soon; "
                                "we will send the tracking details then."), number);
    default:
      /* Translators: %s is an order number such as "1042" */
      return g_strdup_printf (_("We have received your order %s and will let you know as soon "
                                "as it is on its way."), number);
    }
}

/**
 * waybill_status_reply_build:
 * @order: an order with its shipments, whose events are loaded
 * @now: the time the reply is for
 *
 * Builds a short plain-language reply on where the order is, for staff to
 * paste into a chat: "Your order 1042 was last scanned in Memphis, TN, US
 * this morning and is due Thursday 4 December. Track it here: …".  An
 * order sent in several parcels gets one line per parcel.
 *
 * Returns: (transfer full): the text
 */
char *
waybill_status_reply_build (WaybillOrder *order,
                            GDateTime    *now)
{
  GPtrArray *shipments;
  GString *text;

  g_return_val_if_fail (WAYBILL_IS_ORDER (order), NULL);
  g_return_val_if_fail (now != NULL, NULL);

  shipments = waybill_order_get_shipments (order);
  if (shipments->len == 0)
    return reply_without_shipments (order);

  text = g_string_new (NULL);

  if (shipments->len == 1)
    {
      /* Translators: the subject of a sentence about an order; %s is its number */
      g_autofree char *subject = g_strdup_printf (_("Your order %s"), waybill_order_get_order_number (order));

      append_shipment (text, g_ptr_array_index (shipments, 0), subject, now);
      return g_string_free (text, FALSE);
    }

  g_string_append_printf (text,
                          /* Translators: %1$s is an order number, %2$u how many parcels (2 or more) */
                          ngettext ("Your order %1$s was sent in %2$u parcel:",
                                    "Your order %1$s was sent in %2$u parcels:",
                                    shipments->len),
                          waybill_order_get_order_number (order), shipments->len);

  for (guint i = 0; i < shipments->len; i++)
    {
      /* Translators: the subject of a sentence about one parcel of an order; %u is 1, 2… */
      g_autofree char *subject = g_strdup_printf (_("Parcel %u"), i + 1);

      g_string_append (text, "\n");
      append_shipment (text, g_ptr_array_index (shipments, i), subject, now);
    }

  return g_string_free (text, FALSE);
}
