/* waybill-demo.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-demo"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "waybill-demo.h"
#include "waybill-feedback.h"
#include "waybill-tracking-number.h"

/* Demo data: orders a small shop could have this week, over several
 * carriers and every status, with timelines relative to now.  The same
 * seed gives the same orders (apart from the dates, which follow the
 * clock), so tests can rely on them. */

typedef enum
{
  REGION_US,
  REGION_GB,
  REGION_DE,
  REGION_CA,
  REGION_AU,
  REGION_NL,
} Region;

typedef struct
{
  const char *carrier;
  Region      region;
} DemoCarrier;

static const DemoCarrier carriers[] = {
  { "ups", REGION_US },
  { "fedex", REGION_US },
  { "usps", REGION_US },
  { "dhl-express", REGION_DE },
  { "royal-mail", REGION_GB },
  { "canada-post", REGION_CA },
  { "australia-post", REGION_AU },
  { "postnl", REGION_NL },
};

static const char * const first_names[] = {
  "Anna", "Ben", "Chloé", "David", "Emma", "Felix", "Grace", "Hiro", "Isabel", "Jonas",
  "Katarzyna", "Liam", "Maya", "Noah", "Olivia", "Pablo", "Quinn", "Rosa", "Samir", "Tess",
  "Uma", "Victor", "Wen", "Xavier", "Yara", "Zoë", "Amir", "Brigitte", "Carlos", "Dana",
};

static const char * const last_names[] = {
  "Andersson", "Brooks", "Costa", "Dubois", "Evans", "Fischer", "García", "Hughes", "Ito",
  "Jensen", "Kowalski", "López", "Müller", "Nguyen", "O'Brien", "Patel", "Quinn", "Rossi",
  "Schmidt", "Tanaka", "Umar", "Visser", "Walsh", "Young", "Zimmermann", "Bauer", "Chen",
};

static const char * const products[] = {
  "Hand-thrown mug", "Linen tea towel", "Beeswax candle", "Wool beanie", "Leather card wallet",
  "Ceramic planter", "Botanical print A4", "Soy wax melts", "Knitted scarf", "Oak cutting board",
  "Enamel pin set", "Notebook, dotted", "Silver stud earrings", "Herbal soap bar",
  "Cotton tote bag",
};

static const char * const cities[][5] = {
  [REGION_US] = { "Memphis, TN, US", "Louisville, KY, US", "Chicago, IL, US", "Denver, CO, US",
                  "Portland, OR, US" },
  [REGION_GB] = { "Bristol, GB", "Birmingham Mail Centre, GB", "Manchester, GB", "Leeds, GB",
                  "Glasgow, GB" },
  [REGION_DE] = { "Leipzig, DE", "Cologne, DE", "Frankfurt, DE", "Hamburg, DE", "Munich, DE" },
  [REGION_CA] = { "Mississauga, ON, CA", "Montréal, QC, CA", "Winnipeg, MB, CA",
                  "Calgary, AB, CA", "Vancouver, BC, CA" },
  [REGION_AU] = { "Sydney, NSW, AU", "Melbourne, VIC, AU", "Brisbane, QLD, AU",
                  "Adelaide, SA, AU", "Perth, WA, AU" },
  [REGION_NL] = { "Amsterdam, NL", "Utrecht, NL", "Nieuwegein, NL", "Rotterdam, NL",
                  "Eindhoven, NL" },
};

static const char * const streets[] = {
  "12 Harbour Street", "48 Elm Avenue", "7 Mill Lane", "230 King Street", "5 Station Road",
  "91 Church Road", "16 Rue des Lilas", "3 Lindenstraße",
};

/* The course of a demo order: where its parcel is now. */
typedef struct
{
  WaybillStatus          status;
  WaybillExceptionReason reason;
  gboolean               delayed;
  gboolean               archived;
} Scenario;

static const Scenario scenarios[] = {
  { WAYBILL_STATUS_RECEIVED },
  { WAYBILL_STATUS_PROCESSING },
  { WAYBILL_STATUS_PENDING },
  { WAYBILL_STATUS_INFO_RECEIVED },
  { WAYBILL_STATUS_PICKED_UP },
  { WAYBILL_STATUS_IN_TRANSIT },
  { WAYBILL_STATUS_IN_TRANSIT },
  { WAYBILL_STATUS_IN_TRANSIT, .delayed = TRUE },
  { WAYBILL_STATUS_OUT_FOR_DELIVERY },
  { WAYBILL_STATUS_AVAILABLE_FOR_PICKUP },
  { WAYBILL_STATUS_FAILED_ATTEMPT },
  { WAYBILL_STATUS_DELIVERED },
  { WAYBILL_STATUS_DELIVERED },
  { WAYBILL_STATUS_DELIVERED, .archived = TRUE },
  { WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_CUSTOMS },
  { WAYBILL_STATUS_EXCEPTION, WAYBILL_EXCEPTION_ADDRESS },
  { WAYBILL_STATUS_RETURNED },
  { WAYBILL_STATUS_EXPIRED },
  { WAYBILL_STATUS_CANCELLED },
  { WAYBILL_STATUS_OUT_FOR_DELIVERY, .delayed = TRUE },
};

/* Random digits and letters with the carrier's real check digit, so that
 * demo numbers pass carrier recognition. */
static void
random_digits (GRand *rand,
               char  *out,
               guint  n)
{
  for (guint i = 0; i < n; i++)
    out[i] = '0' + g_rand_int_range (rand, 0, 10);
  out[n] = '\0';
}

static char *
make_ups (GRand *rand)
{
  static const char alphabet[] = "0123456789ABCDEFGHJKLMNPRSTUVWXY";
  char body[16];

  for (int i = 0; i < 6; i++)
    body[i] = alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];
  body[6] = '0';
  body[7] = "1233"[g_rand_int_range (rand, 0, 4)];
  random_digits (rand, body + 8, 7);

  return g_strdup_printf ("1Z%s%c", body, waybill_check_ups_compute (body));
}

static char *
make_fedex (GRand *rand)
{
  char body[12];

  body[0] = '7';
  random_digits (rand, body + 1, 10);

  return g_strdup_printf ("%s%c", body, waybill_check_fedex_mod11_compute (body));
}

static char *
make_usps (GRand *rand)
{
  char body[22];

  memcpy (body, "9400111", 7);
  random_digits (rand, body + 7, 14);

  return g_strdup_printf ("%s%c", body, waybill_check_gs1_mod10_compute (body));
}

static char *
make_dhl_express (GRand *rand)
{
  char body[10];

  body[0] = '1' + g_rand_int_range (rand, 0, 9);
  random_digits (rand, body + 1, 8);

  return g_strdup_printf ("%s%c", body, waybill_check_dhl_mod7_compute (body));
}

/* UPU S10: two letters, eight digits, a check digit and the country. */
static char *
make_s10 (GRand      *rand,
          const char *service,
          const char *country)
{
  char digits[9];

  random_digits (rand, digits, 8);

  return g_strdup_printf ("%s%s%c%s", service, digits, waybill_check_s10_compute (digits), country);
}

static char *
make_tracking_number (GRand      *rand,
                      const char *carrier)
{
  if (g_str_equal (carrier, "ups"))
    return make_ups (rand);
  if (g_str_equal (carrier, "fedex"))
    return make_fedex (rand);
  if (g_str_equal (carrier, "usps"))
    return make_usps (rand);
  if (g_str_equal (carrier, "dhl-express"))
    return make_dhl_express (rand);
  if (g_str_equal (carrier, "royal-mail"))
    return make_s10 (rand, "RB", "GB");
  if (g_str_equal (carrier, "canada-post"))
    return make_s10 (rand, "RR", "CA");
  if (g_str_equal (carrier, "australia-post"))
    return make_s10 (rand, "RR", "AU");
  if (g_str_equal (carrier, "postnl"))
    return make_s10 (rand, "RS", "NL");

  g_assert_not_reached ();
}

typedef struct
{
  WaybillStatus status;
  const char   *code;
  const char   *description;
} Step;

/* The usual course of a parcel, in order. */
static const Step course[] = {
  { WAYBILL_STATUS_INFO_RECEIVED, "MP", "Shipping label created, awaiting item" },
  { WAYBILL_STATUS_PICKED_UP, "PU", "Picked up by the carrier" },
  { WAYBILL_STATUS_IN_TRANSIT, "AR", "Arrived at sort facility" },
  { WAYBILL_STATUS_IN_TRANSIT, "DP", "Departed sort facility" },
  { WAYBILL_STATUS_IN_TRANSIT, "AR", "Arrived at regional hub" },
  { WAYBILL_STATUS_IN_TRANSIT, "DP", "Departed regional hub" },
  { WAYBILL_STATUS_IN_TRANSIT, "AR", "Arrived at delivery depot" },
  { WAYBILL_STATUS_OUT_FOR_DELIVERY, "OD", "Out for delivery" },
};

static void
add_event (WaybillShipment *shipment,
           GDateTime       *time,
           WaybillStatus    status,
           const char      *code,
           const char      *description,
           const char      *location)
{
  g_autoptr(WaybillTrackingEvent) event =
    waybill_tracking_event_new (time, status, code, description, location);

  g_ptr_array_add (waybill_shipment_get_events (shipment), g_steal_pointer (&event));
}

static const char *
final_step_text (const Scenario *scenario,
                 const char    **code)
{
  switch (scenario->status)
    {
    case WAYBILL_STATUS_DELIVERED:
      *code = "DL";
      return "Delivered, left at front door";
    case WAYBILL_STATUS_AVAILABLE_FOR_PICKUP:
      *code = "PK";
      return "Ready for collection at the local post office";
    case WAYBILL_STATUS_FAILED_ATTEMPT:
      *code = "NA";
      return "Delivery attempted, nobody home; we will try again next business day";
    case WAYBILL_STATUS_EXCEPTION:
      *code = "EX";
      return scenario->reason == WAYBILL_EXCEPTION_CUSTOMS
             ? "Held by customs, awaiting import documents"
             : "Address incomplete, the carrier needs the flat number";
    case WAYBILL_STATUS_RETURNED:
      *code = "RS";
      return "Returned to sender";
    default:
      *code = NULL;
      return NULL;
    }
}

/* Builds the shipment's timeline backwards from now: the last event was a
 * few hours ago (days for stale and delayed parcels). */
static WaybillShipment *
make_shipment (GRand          *rand,
               const Scenario *scenario,
               GDateTime      *now,
               const DemoCarrier *carrier,
               guint           min_events)
{
  g_autofree char *tracking = make_tracking_number (rand, carrier->carrier);
  g_autoptr(WaybillShipment) shipment = waybill_shipment_new (carrier->carrier, tracking);
  g_autoptr(GDateTime) time = NULL;
  g_autoptr(GDateTime) eta = NULL;
  const char *final_code = NULL;
  const char *final_text = final_step_text (scenario, &final_code);
  guint n_course;
  guint hours_ago;
  guint extra_hops;

  waybill_shipment_set_status (shipment, scenario->status);
  waybill_shipment_set_exception_reason (shipment, scenario->reason);
  waybill_shipment_set_delayed (shipment, scenario->delayed);

  switch (scenario->status)
    {
    case WAYBILL_STATUS_PENDING:
      n_course = 0;
      break;
    case WAYBILL_STATUS_INFO_RECEIVED:
      n_course = 1;
      break;
    case WAYBILL_STATUS_PICKED_UP:
      n_course = 2;
      break;
    case WAYBILL_STATUS_IN_TRANSIT:
    case WAYBILL_STATUS_EXCEPTION:
    case WAYBILL_STATUS_RETURNED:
      n_course = g_rand_int_range (rand, 3, 7);
      break;
    case WAYBILL_STATUS_EXPIRED:
      n_course = 3;
      break;
    default:
      n_course = G_N_ELEMENTS (course);
      break;
    }

  /* Bulk demo data asks for longer timelines: repeat hub scans. */
  extra_hops = n_course >= 4 && n_course + (final_text ? 1 : 0) < min_events
               ? min_events - n_course - (final_text ? 1 : 0) : 0;

  hours_ago = scenario->delayed ? 24 * 6 : scenario->status == WAYBILL_STATUS_EXPIRED ? 24 * 40
              : (guint) g_rand_int_range (rand, 1, 30);
  if (scenario->status == WAYBILL_STATUS_DELIVERED && scenario->archived)
    hours_ago += 24 * 20;
  time = g_date_time_add_hours (now, -(int) hours_ago);

  /* Events are added newest first, walking back in time. */
  if (final_text != NULL)
    {
      add_event (shipment, time, scenario->status, final_code, final_text,
                 cities[carrier->region][g_rand_int_range (rand, 0, 5)]);
      if (scenario->status == WAYBILL_STATUS_DELIVERED)
        {
          waybill_shipment_set_delivered_at (shipment, time);
          waybill_shipment_set_signed_by (shipment, "FRONT DOOR");
        }
    }

  for (int i = (int) n_course - 1; i >= 0; i--)
    {
      guint repeats = (i == 3) ? extra_hops + 1 : 1;

      for (guint r = 0; r < repeats; r++)
        {
          GDateTime *earlier;

          if (final_text != NULL || i < (int) n_course - 1 || r > 0)
            {
              earlier = g_date_time_add_minutes (time, -g_rand_int_range (rand, 90, 60 * 14));
              g_date_time_unref (time);
              time = earlier;
            }
          add_event (shipment, time, course[i].status, course[i].code, course[i].description,
                     cities[carrier->region][(i + r) % 5]);
        }
    }

  if (waybill_shipment_get_events (shipment)->len > 0)
    waybill_shipment_set_last_event_at (shipment,
      waybill_tracking_event_get_time (g_ptr_array_index (waybill_shipment_get_events (shipment), 0)));

  if (!waybill_status_is_final (scenario->status))
    {
      int days = scenario->delayed ? -2 : g_rand_int_range (rand, 0, 4);
      g_autoptr(GDateTime) day = g_date_time_add_days (now, days);

      eta = g_date_time_new_utc (g_date_time_get_year (day), g_date_time_get_month (day),
                                 g_date_time_get_day_of_month (day), 18, 0, 0);
      if (scenario->status == WAYBILL_STATUS_OUT_FOR_DELIVERY && !scenario->delayed)
        {
          g_autoptr(GDateTime) today = g_date_time_new_utc (g_date_time_get_year (now),
                                                            g_date_time_get_month (now),
                                                            g_date_time_get_day_of_month (now),
                                                            9, 0, 0);

          waybill_shipment_set_estimated_delivery (shipment, today, eta);
        }
      else if (scenario->status != WAYBILL_STATUS_PENDING)
        waybill_shipment_set_estimated_delivery (shipment, NULL, eta);
    }

  {
    g_autoptr(GDateTime) checked = g_date_time_add_minutes (now, -g_rand_int_range (rand, 5, 90));

    waybill_shipment_set_last_checked (shipment, checked);
  }

  if (scenario->status == WAYBILL_STATUS_EXCEPTION)
    waybill_shipment_set_sub_status (shipment, waybill_exception_reason_get_label (scenario->reason));

  return g_steal_pointer (&shipment);
}

static WaybillOrder *
make_order (GRand          *rand,
            guint           index,
            const Scenario *scenario,
            GDateTime      *now,
            guint           min_events)
{
  const char *first = first_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (first_names))];
  const char *last = last_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (last_names))];
  const DemoCarrier *carrier = &carriers[g_rand_int_range (rand, 0, G_N_ELEMENTS (carriers))];
  g_autofree char *number = g_strdup_printf ("%u", 1001 + index);
  g_autofree char *customer = g_strdup_printf ("%s %s", first, last);
  g_autofree char *email = NULL;
  g_autofree char *address = NULL;
  g_autofree char *items = NULL;
  g_autofree char *phone = NULL;
  g_autoptr(WaybillOrder) order = waybill_order_new (number, customer);
  g_autoptr(GDateTime) created = NULL;
  g_autofree char *login = NULL;
  guint n_items = g_rand_int_range (rand, 1, 4);
  GString *items_text = g_string_new (NULL);
  double total = 0;

  login = g_utf8_strdown (first, -1);
  email = g_strdup_printf ("%s.%c%u@example.com", login, g_ascii_tolower (last[0]),
                           g_rand_int_range (rand, 1, 99));
  phone = g_strdup_printf ("+1 555 01%02d", g_rand_int_range (rand, 0, 100));
  address = g_strdup_printf ("%s %s\n%s\n%s", first, last,
                             streets[g_rand_int_range (rand, 0, G_N_ELEMENTS (streets))],
                             cities[carrier->region][g_rand_int_range (rand, 0, 5)]);

  for (guint i = 0; i < n_items; i++)
    {
      guint quantity = g_rand_int_range (rand, 1, 3);
      double price = g_rand_int_range (rand, 8, 60) + 0.5;

      g_string_append_printf (items_text, "%s%u × %s", i > 0 ? "\n" : "", quantity,
                              products[g_rand_int_range (rand, 0, G_N_ELEMENTS (products))]);
      total += quantity * price;
    }
  items = g_string_free (items_text, FALSE);

  waybill_order_set_email (order, email);
  waybill_order_set_phone (order, phone);
  waybill_order_set_address (order, address);
  waybill_order_set_items (order, items);
  waybill_order_set_total (order, total);
  waybill_order_set_currency (order, carrier->region == REGION_US ? "USD"
                                     : carrier->region == REGION_GB ? "GBP"
                                     : carrier->region == REGION_CA ? "CAD"
                                     : carrier->region == REGION_AU ? "AUD" : "EUR");
  waybill_order_set_archived (order, scenario->archived);

  if (waybill_status_is_order_stage (scenario->status))
    {
      waybill_order_set_stage (order, scenario->status);
      created = g_date_time_add_hours (now, -g_rand_int_range (rand, 1, 20));
    }
  else
    {
      g_autoptr(WaybillShipment) shipment = make_shipment (rand, scenario, now, carrier, min_events);
      GPtrArray *events = waybill_shipment_get_events (shipment);
      GDateTime *first_event = events->len > 0
                               ? waybill_tracking_event_get_time (g_ptr_array_index (events, events->len - 1))
                               : now;

      waybill_order_set_stage (order, WAYBILL_STATUS_SHIPPED);
      waybill_order_add_shipment (order, shipment);
      created = g_date_time_add_hours (first_event, -g_rand_int_range (rand, 2, 30));

      /* Some orders went out in two parcels. */
      if (min_events > 0 ? g_rand_boolean (rand) : g_rand_int_range (rand, 0, 6) == 0)
        {
          Scenario second = *scenario;
          g_autoptr(WaybillShipment) other = NULL;

          if (!scenario->delayed && scenario->status != WAYBILL_STATUS_EXCEPTION)
            second.status = WAYBILL_STATUS_DELIVERED;
          other = make_shipment (rand, &second, now, carrier, min_events);
          waybill_order_add_shipment (order, other);
        }
    }

  waybill_order_set_created (order, created);

  if (index % 7 == 3)
    waybill_order_set_note (order, "Gift: please leave the invoice out of the parcel.");

  return g_steal_pointer (&order);
}

static const char * const good_comments[] = {
  "Lovely, thank you!", "Arrived quickly and well packed.", "Exactly as pictured.",
  "Great quality, will order again.", "", "Perfect gift, thanks.", "",
};

static const char * const poor_comments[] = {
  "Took much longer than promised.", "The box was dented.", "Arrived late for the birthday.",
  "", "Nobody told me it was delayed.",
};

/* Delivered parcels get the estimate the carrier had given (mostly met,
 * some carriers worse than others), and many delivered orders get their
 * customer's feedback a little later, so that insights have something to
 * show.  These draws come from a generator of their own, so that the
 * orders themselves stay what the seed always made. */
static void
add_estimates (GRand        *rand,
               WaybillOrder *order)
{
  GPtrArray *shipments = waybill_order_get_shipments (order);

  for (guint i = 0; i < shipments->len; i++)
    {
      WaybillShipment *shipment = g_ptr_array_index (shipments, i);
      GDateTime *delivered = waybill_shipment_get_delivered_at (shipment);
      const char *carrier = waybill_shipment_get_carrier (shipment);
      g_autoptr(GDateTime) day = NULL;
      g_autoptr(GDateTime) eta = NULL;
      int late_in_ten = 1 + (int) (g_str_hash (carrier != NULL ? carrier : "") % 4);
      int offset;

      if (delivered == NULL || waybill_shipment_get_estimated_to (shipment) != NULL)
        continue;

      offset = g_rand_int_range (rand, 0, 10) < late_in_ten ? -g_rand_int_range (rand, 1, 3)
                                                            : g_rand_int_range (rand, 0, 2);
      day = g_date_time_add_days (delivered, offset);
      eta = g_date_time_new_utc (g_date_time_get_year (day), g_date_time_get_month (day),
                                 g_date_time_get_day_of_month (day), 18, 0, 0);
      waybill_shipment_set_estimated_delivery (shipment, NULL, eta);
    }
}

static gboolean
add_feedback (WaybillStore  *store,
              GRand         *rand,
              WaybillOrder  *order,
              GDateTime     *now,
              GError       **error)
{
  GPtrArray *shipments = waybill_order_get_shipments (order);
  WaybillShipment *shipment;
  GDateTime *delivered;
  GDateTime *eta;
  g_autoptr(GDateTime) given = NULL;
  g_autoptr(WaybillFeedback) feedback = NULL;
  gboolean late;
  guint rating;
  const char *comment;
  GTimeSpan span;

  if (shipments->len == 0 || g_rand_int_range (rand, 0, 10) >= 7)
    return TRUE;

  shipment = g_ptr_array_index (shipments, 0);
  delivered = waybill_shipment_get_delivered_at (shipment);
  if (delivered == NULL)
    return TRUE;

  eta = waybill_shipment_get_estimated_to (shipment);
  late = eta != NULL && g_date_time_compare (delivered, eta) > 0;
  rating = late ? g_rand_int_range (rand, 1, 4) : g_rand_int_range (rand, 3, 6);
  comment = rating >= 4 ? good_comments[g_rand_int_range (rand, 0, G_N_ELEMENTS (good_comments))]
                        : poor_comments[g_rand_int_range (rand, 0, G_N_ELEMENTS (poor_comments))];
  /* Some time between the delivery and now. */
  span = g_date_time_difference (now, delivered);
  if (span <= G_TIME_SPAN_MINUTE)
    return TRUE;
  given = g_date_time_add (delivered, (GTimeSpan) (g_rand_double (rand) * span));

  feedback = waybill_feedback_new (waybill_order_get_id (order), rating, comment, given,
                                   g_rand_int_range (rand, 0, 10) < 7 ? WAYBILL_FEEDBACK_SOURCE_SURVEY
                                                                      : WAYBILL_FEEDBACK_SOURCE_STAFF);

  return waybill_store_add_feedback (store, feedback, NULL, error);
}

/**
 * waybill_demo_fill:
 * @store: an empty store
 * @n_orders: how many orders to make
 * @seed: the seed of the random choices
 *
 * Fills an empty database with demo orders, in one transaction.  Every
 * status appears when @n_orders is at least the number of scenarios (20).
 * With more than 1,000 orders, every shipment gets 5 to 15 events.
 */
gboolean
waybill_demo_fill (WaybillStore  *store,
                   guint          n_orders,
                   guint32        seed,
                   GError       **error)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GRand) extra = g_rand_new_with_seed (seed ^ 0x5eed);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  gint64 existing;

  g_return_val_if_fail (WAYBILL_IS_STORE (store), FALSE);

  existing = waybill_store_count_orders (store, NULL, error);
  if (existing < 0)
    return FALSE;
  if (existing > 0)
    {
      g_set_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_INVALID,
                   _("The database already has orders; demo data goes into an empty one "
                     "(use --data-dir with a new folder)"));
      return FALSE;
    }

  if (!waybill_store_begin (store, error))
    return FALSE;

  for (guint i = 0; i < n_orders; i++)
    {
      const Scenario *scenario = &scenarios[i % G_N_ELEMENTS (scenarios)];
      guint min_events = n_orders > 1000 ? g_rand_int_range (rand, 5, 16) : 0;
      g_autoptr(WaybillOrder) order = NULL;

      if (i >= G_N_ELEMENTS (scenarios))
        scenario = &scenarios[g_rand_int_range (rand, 0, G_N_ELEMENTS (scenarios))];

      order = make_order (rand, i, scenario, now, min_events);
      add_estimates (extra, order);
      if (!waybill_store_create_order (store, order, error) ||
          !add_feedback (store, extra, order, now, error))
        {
          waybill_store_rollback (store);
          return FALSE;
        }
    }

  return waybill_store_commit (store, error);
}
