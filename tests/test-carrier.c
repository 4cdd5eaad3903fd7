/* test-carrier.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "waybill-carrier.h"

/* The ids issue 3 fixes; they are stored in databases and printed by the
 * command line, so they never change. */
static const char * const required_ids[] = {
  "ups", "fedex", "usps", "dhl-express", "dhl-parcel-de", "dhl-ecommerce", "amazon",
  "ontrac", "lasership", "dpd", "gls", "evri", "canada-post", "purolator", "royal-mail",
  "deutsche-post", "la-poste", "postnl", "australia-post", "china-post", "japan-post",
  "swiss-post", "poste-italiane", "correos", "postnord", "india-post", "korea-post",
  "new-zealand-post", "an-post", "bpost", "austrian-post", "polish-post",
};

static const char * const known_apis[] = {
  WAYBILL_API_DHL, WAYBILL_API_UPS, WAYBILL_API_FEDEX, WAYBILL_API_USPS,
  WAYBILL_API_AFTERSHIP, WAYBILL_API_17TRACK, NULL,
};

static void
test_table (void)
{
  const WaybillCarrier * const *all;
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_carriers = 0;
  guint counted = 0;

  all = waybill_carrier_get_all (&n_carriers);
  g_assert_nonnull (all);
  g_assert_cmpuint (n_carriers, >=, G_N_ELEMENTS (required_ids));
  g_assert_true (waybill_carrier_get_all (NULL) == all);

  for (guint i = 0; all[i] != NULL; i++)
    {
      const WaybillCarrier *carrier = all[i];
      const char *id = waybill_carrier_get_id (carrier);
      const char *name = waybill_carrier_get_name (carrier);
      const char *country = waybill_carrier_get_country (carrier);
      const char *url = waybill_carrier_get_tracking_url_template (carrier);
      const char * const *apis = waybill_carrier_get_apis (carrier);
      const char *placeholder;

      counted++;

      /* Ids: unique, lower-case words joined by dashes. */
      g_assert_nonnull (id);
      g_assert_false (g_hash_table_contains (ids, id));
      g_hash_table_add (ids, (gpointer) id);
      for (const char *p = id; *p != '\0'; p++)
        g_assert_true (g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '-');
      g_assert_true (waybill_carrier_lookup (id) == carrier);

      g_assert_nonnull (name);
      g_assert_cmpstr (name, !=, "");
      g_assert_nonnull (waybill_carrier_get_aliases (carrier));

      /* ISO 3166-1 alpha-2, or "" for the international fallback only. */
      if (g_strcmp0 (id, WAYBILL_CARRIER_INTERNATIONAL_POST) == 0)
        g_assert_cmpstr (country, ==, "");
      else
        {
          g_assert_cmpuint (strlen (country), ==, 2);
          g_assert_true (g_ascii_isupper (country[0]) && g_ascii_isupper (country[1]));
        }

      /* An https page with exactly one place for the number. */
      g_assert_true (g_str_has_prefix (url, "https://"));
      placeholder = strstr (url, "{number}");
      g_assert_nonnull (placeholder);
      g_assert_null (strstr (placeholder + 1, "{number}"));

      /* At least one API; only known ones; the aggregators always. */
      g_assert_nonnull (apis);
      g_assert_nonnull (apis[0]);
      for (guint j = 0; apis[j] != NULL; j++)
        g_assert_true (g_strv_contains (known_apis, apis[j]));
      g_assert_true (waybill_carrier_has_api (carrier, WAYBILL_API_AFTERSHIP));
      g_assert_true (waybill_carrier_has_api (carrier, WAYBILL_API_17TRACK));
    }

  g_assert_cmpuint (counted, ==, n_carriers);

  for (guint i = 0; i < G_N_ELEMENTS (required_ids); i++)
    {
      if (!g_hash_table_contains (ids, required_ids[i]))
        g_error ("carrier %s is missing", required_ids[i]);
    }
}

static void
test_lookup (void)
{
  const WaybillCarrier *ups = waybill_carrier_lookup ("ups");

  g_assert_nonnull (ups);
  g_assert_cmpstr (waybill_carrier_get_id (ups), ==, "ups");
  g_assert_cmpstr (waybill_carrier_get_name (ups), ==, "UPS");
  g_assert_cmpstr (waybill_carrier_get_country (ups), ==, "US");

  g_assert_cmpstr (waybill_carrier_get_name (waybill_carrier_lookup ("dhl-express")), ==, "DHL Express");
  g_assert_cmpstr (waybill_carrier_get_name (waybill_carrier_lookup ("royal-mail")), ==, "Royal Mail");
  g_assert_cmpstr (waybill_carrier_get_country (waybill_carrier_lookup ("dhl-parcel-de")), ==, "DE");
  g_assert_cmpstr (waybill_carrier_get_country (waybill_carrier_lookup ("canada-post")), ==, "CA");

  /* Ids are exact: other spellings are waybill_carrier_match_name()'s. */
  g_assert_null (waybill_carrier_lookup ("UPS"));
  g_assert_null (waybill_carrier_lookup ("dhl"));
  g_assert_null (waybill_carrier_lookup (""));
  g_assert_null (waybill_carrier_lookup ("ups "));
}

static void
test_match_name (void)
{
  static const struct {
    const char *name;
    const char *id;
  } cases[] = {
    { "USPS", "usps" },
    { "usps", "usps" },
    { "United States Postal Service", "usps" },
    { "U.S. Postal Service", "usps" },
    { "  united   STATES postal-service ", "usps" },
    { "Royal Mail Group", "royal-mail" },
    { "Royal Mail Group plc", "royal-mail" },
    { "ROYAL MAIL", "royal-mail" },
    { "Royal Mail Tracked 48", "royal-mail" },
    { "Deutsche Post DHL", "dhl-parcel-de" },
    { "Deutsche Post", "deutsche-post" },
    { "Deutsche Post AG", "deutsche-post" },
    { "DHL", "dhl-express" },
    { "DHL Express", "dhl-express" },
    { "dhl-express", "dhl-express" },
    { "DHL Paket", "dhl-parcel-de" },
    { "DHL Paket GmbH", "dhl-parcel-de" },
    { "DHL eCommerce", "dhl-ecommerce" },
    { "DHL Global Mail", "dhl-ecommerce" },
    { "UPS", "ups" },
    { "United Parcel Service", "ups" },
    { "United Parcel Service Inc.", "ups" },
    { "UPS Mail Innovations", "ups" },
    { "FedEx", "fedex" },
    { "Fed Ex", "fedex" },
    { "Federal Express Corporation", "fedex" },
    { "fedex_ground", "fedex" },
    { "FedEx Home Delivery 2Day", "fedex" },
    { "Amazon Logistics", "amazon" },
    { "AMZL", "amazon" },
    { "OnTrac", "ontrac" },
    { "LaserShip", "lasership" },
    { "DPD", "dpd" },
    { "DPD UK", "dpd" },
    { "GLS", "gls" },
    { "General Logistics Systems", "gls" },
    { "Evri", "evri" },
    { "Hermes UK", "evri" },
    { "Canada Post", "canada-post" },
    { "Postes Canada", "canada-post" },
    { "Purolator", "purolator" },
    { "La Poste", "la-poste" },
    { "Colissimo", "la-poste" },
    { "PostNL", "postnl" },
    { "Australia Post", "australia-post" },
    { "China Post", "china-post" },
    { "Japan Post", "japan-post" },
    { "Swiss Post", "swiss-post" },
    { "Die Schweizerische Post", "swiss-post" },
    { "Poste Italiane", "poste-italiane" },
    { "Correos", "correos" },
    { "Correos de España", "correos" },
    { "PostNord", "postnord" },
    { "India Post", "india-post" },
    { "Korea Post", "korea-post" },
    { "NZ Post", "new-zealand-post" },
    { "New Zealand Post", "new-zealand-post" },
    { "An Post", "an-post" },
    { "bpost", "bpost" },
    { "Austrian Post", "austrian-post" },
    { "Österreichische Post AG", "austrian-post" },
    { "Poczta Polska", "polish-post" },
    { "Polish Post", "polish-post" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const WaybillCarrier *carrier = waybill_carrier_match_name (cases[i].name);
      g_autofree char *got = g_strdup_printf ("%s → %s", cases[i].name,
                                              carrier != NULL ? waybill_carrier_get_id (carrier) : "(none)");
      g_autofree char *expected = g_strdup_printf ("%s → %s", cases[i].name, cases[i].id);

      g_assert_cmpstr (got, ==, expected);
    }

  g_assert_null (waybill_carrier_match_name (""));
  g_assert_null (waybill_carrier_match_name ("   "));
  g_assert_null (waybill_carrier_match_name ("Acme Couriers"));
  g_assert_null (waybill_carrier_match_name ("Hermes"));
  g_assert_null (waybill_carrier_match_name ("Post"));
  g_assert_null (waybill_carrier_match_name ("Group Inc"));
  g_assert_null (waybill_carrier_match_name ("\xff\xfe"));
}

static void
test_for_country (void)
{
  g_assert_cmpstr (waybill_carrier_get_id (waybill_carrier_for_country ("GB")), ==, "royal-mail");
  g_assert_cmpstr (waybill_carrier_get_id (waybill_carrier_for_country ("gb")), ==, "royal-mail");
  g_assert_cmpstr (waybill_carrier_get_id (waybill_carrier_for_country ("US")), ==, "usps");
  g_assert_cmpstr (waybill_carrier_get_id (waybill_carrier_for_country ("DE")), ==, "deutsche-post");
  g_assert_cmpstr (waybill_carrier_get_id (waybill_carrier_for_country ("CA")), ==, "canada-post");
  g_assert_cmpstr (waybill_carrier_get_id (waybill_carrier_for_country ("SE")), ==, "postnord");
  g_assert_cmpstr (waybill_carrier_get_id (waybill_carrier_for_country ("DK")), ==, "postnord");
  g_assert_cmpstr (waybill_carrier_get_id (waybill_carrier_for_country ("PL")), ==, "polish-post");
  g_assert_null (waybill_carrier_for_country ("BR"));
  g_assert_null (waybill_carrier_for_country ("ZZ"));
  g_assert_null (waybill_carrier_for_country (""));

  /* Carriers that are no post deliver no S10 items. */
  for (guint i = 0; i < 2; i++)
    {
      const char *country = i == 0 ? "NL" : "DE";
      const WaybillCarrier *post = waybill_carrier_for_country (country);

      g_assert_cmpstr (waybill_carrier_get_id (post), !=, "gls");
      g_assert_cmpstr (waybill_carrier_get_id (post), !=, "dhl-express");
    }
}

static void
test_tracking_url (void)
{
  static const struct {
    const char *id;
    const char *number;
    const char *url;
  } cases[] = {
    { "ups", "1Z5R89390357567127", "https://www.ups.com/track?loc=en_US&tracknum=1Z5R89390357567127" },
    { "fedex", "123456789012", "https://www.fedex.com/fedextrack/?trknbr=123456789012" },
    { "usps", "9400111202544843610364", "https://tools.usps.com/go/TrackConfirmAction?tLabels=9400111202544843610364" },
    { "evri", "H00F6A0041475344", "https://www.evri.com/track/parcel/H00F6A0041475344" },
    /* Whatever the number holds is escaped. */
    { "ups", "A B/C?D&E#F", "https://www.ups.com/track?loc=en_US&tracknum=A%20B%2FC%3FD%26E%23F" },
    { "ups", "", "https://www.ups.com/track?loc=en_US&tracknum=" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const WaybillCarrier *carrier = waybill_carrier_lookup (cases[i].id);
      g_autofree char *url = waybill_carrier_get_tracking_url (carrier, cases[i].number);

      g_assert_cmpstr (url, ==, cases[i].url);
    }

  /* Every template gives an address without the placeholder. */
  for (const WaybillCarrier * const *all = waybill_carrier_get_all (NULL); *all != NULL; all++)
    {
      g_autofree char *url = waybill_carrier_get_tracking_url (*all, "RB123456785GB");
      g_autoptr(GUri) uri = NULL;

      g_assert_null (strstr (url, "{number}"));
      g_assert_nonnull (strstr (url, "RB123456785GB"));
      uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
      g_assert_nonnull (uri);
      g_assert_cmpstr (g_uri_get_scheme (uri), ==, "https");
    }
}

static void
test_apis (void)
{
  static const struct {
    const char *id;
    const char *own_api;
  } cases[] = {
    { "ups", WAYBILL_API_UPS },
    { "fedex", WAYBILL_API_FEDEX },
    { "usps", WAYBILL_API_USPS },
    { "dhl-express", WAYBILL_API_DHL },
    { "dhl-parcel-de", WAYBILL_API_DHL },
    { "dhl-ecommerce", WAYBILL_API_DHL },
    { "deutsche-post", WAYBILL_API_DHL },
    { "royal-mail", NULL },
    { "dpd", NULL },
    { "international-post", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const WaybillCarrier *carrier = waybill_carrier_lookup (cases[i].id);
      const char * const *apis = waybill_carrier_get_apis (carrier);

      if (cases[i].own_api != NULL)
        {
          /* The carrier's own API comes first. */
          g_assert_cmpstr (apis[0], ==, cases[i].own_api);
          g_assert_true (waybill_carrier_has_api (carrier, cases[i].own_api));
        }
      else
        {
          g_assert_cmpstr (apis[0], ==, WAYBILL_API_AFTERSHIP);
          g_assert_cmpstr (apis[1], ==, WAYBILL_API_17TRACK);
          g_assert_null (apis[2]);
        }
    }

  g_assert_false (waybill_carrier_has_api (waybill_carrier_lookup ("ups"), WAYBILL_API_FEDEX));
  g_assert_false (waybill_carrier_has_api (waybill_carrier_lookup ("ups"), "nonsense"));
}

static void
test_null_arguments (void)
{
  if (g_test_undefined ())
    {
      g_test_expect_message ("waybill-carrier", G_LOG_LEVEL_CRITICAL, "*assertion*");
      g_assert_null (waybill_carrier_lookup (NULL));
      g_test_assert_expected_messages ();

      g_test_expect_message ("waybill-carrier", G_LOG_LEVEL_CRITICAL, "*assertion*");
      g_assert_null (waybill_carrier_get_name (NULL));
      g_test_assert_expected_messages ();
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/waybill/carrier/table", test_table);
  g_test_add_func ("/waybill/carrier/lookup", test_lookup);
  g_test_add_func ("/waybill/carrier/match-name", test_match_name);
  g_test_add_func ("/waybill/carrier/for-country", test_for_country);
  g_test_add_func ("/waybill/carrier/tracking-url", test_tracking_url);
  g_test_add_func ("/waybill/carrier/apis", test_apis);
  g_test_add_func ("/waybill/carrier/null-arguments", test_null_arguments);

  return g_test_run ();
}
