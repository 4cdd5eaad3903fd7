/* waybill-format.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-format"

#include "config.h"

#include <glib/gi18n.h>

#include "waybill-carrier.h"
#include "waybill-format.h"

/* Words and dates as people read them, shared by the window and the
 * command line so that both say the same thing. */

/* GLib 2.74 reads the time zone file again on every
 * g_time_zone_new_local () while TZ is unset (each list row formats a few
 * times): keep the zone, and read it again only when TZ changes. */
G_LOCK_DEFINE_STATIC (local_zone);

static GTimeZone *
local_zone (void)
{
  static GTimeZone *zone;
  static char *zone_tz;
  const char *tz = g_getenv ("TZ");
  GTimeZone *result;

  G_LOCK (local_zone);
  if (zone == NULL || g_strcmp0 (tz, zone_tz) != 0)
    {
      g_clear_pointer (&zone, g_time_zone_unref);
      g_free (zone_tz);
      zone = g_time_zone_new_local ();
      zone_tz = g_strdup (tz);
    }
  result = g_time_zone_ref (zone);
  G_UNLOCK (local_zone);

  return result;
}

static GDateTime *
to_local (GDateTime *time)
{
  g_autoptr(GTimeZone) zone = local_zone ();

  return g_date_time_to_timezone (time, zone);
}

/**
 * waybill_format_now:
 *
 * Returns: (transfer full): the time now in the user's time zone
 */
GDateTime *
waybill_format_now (void)
{
  g_autoptr(GTimeZone) zone = local_zone ();

  return g_date_time_new_now (zone);
}

static int
days_between (GDateTime *from,
              GDateTime *to)
{
  g_autoptr(GDate) a = g_date_new_dmy (g_date_time_get_day_of_month (from),
                                       g_date_time_get_month (from),
                                       g_date_time_get_year (from));
  g_autoptr(GDate) b = g_date_new_dmy (g_date_time_get_day_of_month (to),
                                       g_date_time_get_month (to),
                                       g_date_time_get_year (to));

  return g_date_days_between (a, b);
}

/* "today", "tomorrow", "Tue 3 Dec" */
static char *
format_day (GDateTime *time,
            GDateTime *now)
{
  g_autoptr(GDateTime) local = to_local (time);
  g_autoptr(GDateTime) local_now = to_local (now);
  int days = days_between (local_now, local);

  if (days == 0)
    return g_strdup (_("today"));
  if (days == 1)
    return g_strdup (_("tomorrow"));
  if (days == -1)
    return g_strdup (_("yesterday"));

  /* Translators: a short date such as "Tue 3 Dec", see the strftime(3)
   * documentation; %-d is the day of the month */
  return g_date_time_format (local, _("%a %-d %b"));
}

/**
 * waybill_format_delivery_line:
 *
 * The one line the order list shows about a parcel's delivery:
 * "Arrives Tue 3 Dec", "Delivered 28 Nov", "Exception: customs".
 *
 * Returns: (transfer full): the line
 */
char *
waybill_format_delivery_line (WaybillShipment *shipment,
                              GDateTime       *now)
{
  GDateTime *eta;
  g_autofree char *day = NULL;

  g_return_val_if_fail (WAYBILL_IS_SHIPMENT (shipment), NULL);

  switch (waybill_shipment_get_status (shipment))
    {
    case WAYBILL_STATUS_DELIVERED:
      if (waybill_shipment_get_delivered_at (shipment) == NULL)
        return g_strdup (_("Delivered"));
      day = format_day (waybill_shipment_get_delivered_at (shipment), now);
      /* Translators: %s is a day such as "today" or "Tue 3 Dec" */
      return g_strdup_printf (_("Delivered %s"), day);

    case WAYBILL_STATUS_EXCEPTION:
      if (waybill_shipment_get_exception_reason (shipment) == WAYBILL_EXCEPTION_NONE)
        return g_strdup (_("Problem with the delivery"));
      /* Translators: %s is the reason, such as "Held in customs" */
      return g_strdup_printf (_("Problem: %s"),
                              waybill_exception_reason_get_label (waybill_shipment_get_exception_reason (shipment)));

    case WAYBILL_STATUS_RETURNED:
      return g_strdup (_("Returned to sender"));

    case WAYBILL_STATUS_EXPIRED:
      return g_strdup (_("The carrier stopped reporting"));

    case WAYBILL_STATUS_AVAILABLE_FOR_PICKUP:
      return g_strdup (_("Waiting to be collected"));

    case WAYBILL_STATUS_FAILED_ATTEMPT:
      return g_strdup (_("Delivery attempt failed"));

    default:
      break;
    }

  eta = waybill_shipment_get_estimated_to (shipment);
  if (eta == NULL)
    eta = waybill_shipment_get_estimated_from (shipment);
  if (eta == NULL)
    return g_strdup (_("No delivery date yet"));

  day = format_day (eta, now);
  if (waybill_shipment_get_delayed (shipment) && g_date_time_compare (eta, now) < 0)
    /* Translators: %s is a day such as "yesterday" or "Tue 3 Dec" */
    return g_strdup_printf (_("Was due %s"), day);

  /* Translators: %s is a day such as "today" or "Tue 3 Dec" */
  return g_strdup_printf (_("Arrives %s"), day);
}

/**
 * waybill_format_order_line:
 *
 * The delivery line of the order's primary shipment, or of the order's
 * stage when it has none.
 *
 * Returns: (transfer full): the line
 */
char *
waybill_format_order_line (WaybillOrder *order,
                           GDateTime    *now)
{
  WaybillShipment *shipment;

  g_return_val_if_fail (WAYBILL_IS_ORDER (order), NULL);

  shipment = waybill_order_get_primary_shipment (order);
  if (shipment != NULL)
    return waybill_format_delivery_line (shipment, now);

  switch (waybill_order_get_stage (order))
    {
    case WAYBILL_STATUS_CANCELLED:
      return g_strdup (_("Will not be shipped"));
    case WAYBILL_STATUS_SHIPPED:
      return g_strdup (_("Shipped, no tracking number"));
    default:
      return g_strdup (_("Not shipped yet"));
    }
}

/**
 * waybill_format_date_time:
 *
 * A time in the user's time zone and locale, for timelines.
 *
 * Returns: (transfer full): the text
 */
char *
waybill_format_date_time (GDateTime *time)
{
  g_autoptr(GDateTime) local = NULL;

  g_return_val_if_fail (time != NULL, NULL);

  local = to_local (time);

  /* Translators: a date and time such as "Tue 3 Dec, 14:05", see strftime(3) */
  return g_date_time_format (local, _("%a %-d %b, %H:%M"));
}

/**
 * waybill_format_iso8601:
 *
 * ISO 8601 with a numeric UTC offset, in the time's own zone.
 *
 * Returns: (transfer full) (nullable): the text, %NULL for a %NULL time
 */
char *
waybill_format_iso8601 (GDateTime *time)
{
  if (time == NULL)
    return NULL;

  return g_date_time_format (time, "%Y-%m-%dT%H:%M:%S%:z");
}

/**
 * waybill_format_carrier_name:
 * @carrier_id: (nullable): a carrier id such as "royal-mail"
 *
 * Returns: the carrier's name ("Royal Mail"), the id itself for a carrier
 *   this version does not know, or "Unknown carrier"
 */
const char *
waybill_format_carrier_name (const char *carrier_id)
{
  const WaybillCarrier *carrier;

  if (carrier_id == NULL || *carrier_id == '\0')
    return _("Unknown carrier");

  carrier = waybill_carrier_lookup (carrier_id);

  return carrier != NULL ? waybill_carrier_get_name (carrier) : carrier_id;
}
