/* waybill-carrier.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-carrier"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "waybill-carrier.h"

struct _WaybillCarrier
{
  const char *id;
  /* A proper noun: shown as is, never translated. */
  const char *name;
  /* ISO 3166-1 alpha-2 code of the home country, "" when there is none. */
  const char *country;
  /* The public web tracking page; "{number}" stands for the number. */
  const char *url_template;
  const char * const *apis;
  /* Other spellings met in e-mails, marketplaces and CSV exports. */
  const char * const *aliases;
  /* The countries whose UPU S10 items this carrier delivers, for posts. */
  const char * const *s10_countries;
};

#define STRV(...) ((const char * const []) { __VA_ARGS__, NULL })
#define NO_STRV   ((const char * const []) { NULL })

#define APIS_AGGREGATORS STRV (WAYBILL_API_AFTERSHIP, WAYBILL_API_17TRACK)
#define APIS_DHL         STRV (WAYBILL_API_DHL, WAYBILL_API_AFTERSHIP, WAYBILL_API_17TRACK)

#define URL_17TRACK "https://t.17track.net/en#nums={number}"

/* Keep in the order a person picking from a list would expect: the big
 * parcel carriers first, then the posts.  Ids are stable: they are stored
 * in the database and printed by the command line. */
static const WaybillCarrier carriers[] = {
  {
    "ups", "UPS", "US",
    "https://www.ups.com/track?loc=en_US&tracknum={number}",
    STRV (WAYBILL_API_UPS, WAYBILL_API_AFTERSHIP, WAYBILL_API_17TRACK),
    STRV ("United Parcel Service", "UPS Ground", "UPS Express", "UPS Mail Innovations",
          "UPS SurePost", "UPS Worldwide"),
    NO_STRV,
  },
  {
    "fedex", "FedEx", "US",
    "https://www.fedex.com/fedextrack/?trknbr={number}",
    STRV (WAYBILL_API_FEDEX, WAYBILL_API_AFTERSHIP, WAYBILL_API_17TRACK),
    STRV ("Federal Express", "FDX", "FedEx Express", "FedEx Ground", "FedEx Home Delivery",
          "FedEx SmartPost", "FedEx Ground Economy", "FedEx International"),
    NO_STRV,
  },
  {
    "usps", "USPS", "US",
    "https://tools.usps.com/go/TrackConfirmAction?tLabels={number}",
    STRV (WAYBILL_API_USPS, WAYBILL_API_AFTERSHIP, WAYBILL_API_17TRACK),
    STRV ("United States Postal Service", "US Postal Service", "U.S. Postal Service",
          "US Mail", "U.S. Mail", "US Post", "USPS Priority Mail", "USPS First Class"),
    STRV ("US", "PR", "GU", "VI", "AS", "MP"),
  },
  {
    "dhl-express", "DHL Express", "DE",
    "https://www.dhl.com/global-en/home/tracking/tracking-express.html?submit=1&tracking-id={number}",
    APIS_DHL,
    STRV ("DHL", "DHL Worldwide Express", "DHL International", "DHL Air Express"),
    NO_STRV,
  },
  {
    "dhl-parcel-de", "DHL Paket", "DE",
    "https://www.dhl.de/en/privatkunden/dhl-sendungsverfolgung.html?piececode={number}",
    APIS_DHL,
    STRV ("DHL Parcel Germany", "DHL Parcel DE", "DHL Germany", "DHL Paket Germany",
          "DHL Parcel", "Deutsche Post DHL", "DHL Paket GmbH", "DHL Päckchen"),
    NO_STRV,
  },
  {
    "dhl-ecommerce", "DHL eCommerce", "US",
    "https://www.dhl.com/global-en/home/tracking/tracking-ecommerce.html?submit=1&tracking-id={number}",
    APIS_DHL,
    STRV ("DHL eCommerce Solutions", "DHL eCommerce Americas", "DHL eCommerce Asia",
          "DHL Global Mail", "DHL GlobalMail", "DHL SmartMail", "DHL eCS"),
    NO_STRV,
  },
  {
    "amazon", "Amazon Logistics", "US",
    "https://track.amazon.com/tracking/{number}",
    APIS_AGGREGATORS,
    STRV ("Amazon", "Amazon Shipping", "AMZL", "Amazon.com", "Amazon Logistics US"),
    NO_STRV,
  },
  {
    "ontrac", "OnTrac", "US",
    "https://www.ontrac.com/tracking/?number={number}",
    APIS_AGGREGATORS,
    STRV ("On Trac", "OnTrac Logistics"),
    NO_STRV,
  },
  {
    "lasership", "LaserShip", "US",
    "https://www.lasership.com/track/{number}",
    APIS_AGGREGATORS,
    STRV ("Laser Ship"),
    NO_STRV,
  },
  {
    "dpd", "DPD", "DE",
    "https://tracking.dpd.de/status/en_US/parcel/{number}",
    APIS_AGGREGATORS,
    STRV ("Dynamic Parcel Distribution", "DPD Group", "DPDgroup", "DPD Germany", "DPD UK",
          "DPD France", "DPD Local"),
    NO_STRV,
  },
  {
    "gls", "GLS", "NL",
    "https://gls-group.eu/GROUP/en/parcel-tracking?match={number}",
    APIS_AGGREGATORS,
    STRV ("General Logistics Systems", "GLS Group", "GLS Germany", "GLS Parcel"),
    NO_STRV,
  },
  {
    "evri", "Evri", "GB",
    "https://www.evri.com/track/parcel/{number}",
    APIS_AGGREGATORS,
    STRV ("Hermes UK", "Hermes Parcelnet", "myHermes", "Evri UK"),
    NO_STRV,
  },
  {
    "canada-post", "Canada Post", "CA",
    "https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor={number}",
    APIS_AGGREGATORS,
    STRV ("Postes Canada", "Canada Post Corporation", "Société canadienne des postes"),
    STRV ("CA"),
  },
  {
    "purolator", "Purolator", "CA",
    "https://www.purolator.com/en/shipping/tracker?pin={number}",
    APIS_AGGREGATORS,
    STRV ("Purolator Courier", "Purolator Inc"),
    NO_STRV,
  },
  {
    "royal-mail", "Royal Mail", "GB",
    "https://www.royalmail.com/track-your-item#/tracking-results/{number}",
    APIS_AGGREGATORS,
    STRV ("Royal Mail Group", "Royal Mail Tracked", "Royal Mail Special Delivery"),
    STRV ("GB", "GG", "JE", "IM"),
  },
  {
    "deutsche-post", "Deutsche Post", "DE",
    "https://www.deutschepost.de/de/s/sendungsverfolgung/verfolgen.html?piececode={number}",
    APIS_DHL,
    STRV ("Deutsche Post AG", "Deutsche Post Brief", "Deutsche Post Einschreiben"),
    STRV ("DE"),
  },
  {
    "la-poste", "La Poste", "FR",
    "https://www.laposte.fr/outils/suivre-vos-envois?code={number}",
    APIS_AGGREGATORS,
    STRV ("Colissimo", "La Poste Colissimo", "Groupe La Poste", "French Post"),
    STRV ("FR", "MC", "AD", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF"),
  },
  {
    "postnl", "PostNL", "NL",
    "https://jouw.postnl.nl/track-and-trace/{number}",
    APIS_AGGREGATORS,
    STRV ("Post NL", "TNT Post", "Dutch Post", "PostNL International"),
    STRV ("NL"),
  },
  {
    "australia-post", "Australia Post", "AU",
    "https://auspost.com.au/mypost/track/details/{number}",
    APIS_AGGREGATORS,
    STRV ("AusPost", "Australian Postal Corporation"),
    STRV ("AU", "CX", "CC", "NF"),
  },
  {
    "china-post", "China Post", "CN",
    URL_17TRACK,
    APIS_AGGREGATORS,
    STRV ("China EMS", "EMS China", "China Post Group", "China Post Air Mail"),
    STRV ("CN"),
  },
  {
    "japan-post", "Japan Post", "JP",
    "https://trackings.post.japanpost.jp/services/srv/search/direct?locale=en&reqCodeNo1={number}",
    APIS_AGGREGATORS,
    STRV ("Nippon Post", "JP Post", "Japan Post Holdings"),
    STRV ("JP"),
  },
  {
    "swiss-post", "Swiss Post", "CH",
    "https://service.post.ch/ekp-web/ui/entry/search/{number}",
    APIS_AGGREGATORS,
    STRV ("Die Post", "Die Schweizerische Post", "La Poste Suisse", "Posta Svizzera",
          "PostCH"),
    STRV ("CH", "LI"),
  },
  {
    "poste-italiane", "Poste Italiane", "IT",
    "https://www.poste.it/cerca/index.html#/risultati-spedizioni/{number}",
    APIS_AGGREGATORS,
    STRV ("Italian Post", "Poste Italiane SpA"),
    STRV ("IT", "SM", "VA"),
  },
  {
    "correos", "Correos", "ES",
    "https://www.correos.es/es/en/tools/tracker/items/details?tracking-number={number}",
    APIS_AGGREGATORS,
    STRV ("Correos de España", "Correos Spain", "Spanish Post", "Correos Express"),
    STRV ("ES"),
  },
  {
    "postnord", "PostNord", "SE",
    "https://tracking.postnord.com/en/?id={number}",
    APIS_AGGREGATORS,
    STRV ("Post Nord", "PostNord Sverige", "PostNord Danmark", "Posten AB", "Post Danmark"),
    STRV ("SE", "DK", "FO", "GL"),
  },
  {
    "india-post", "India Post", "IN",
    URL_17TRACK,
    APIS_AGGREGATORS,
    STRV ("Indian Post", "Department of Posts", "Speed Post"),
    STRV ("IN"),
  },
  {
    "korea-post", "Korea Post", "KR",
    "https://service.epost.go.kr/trace.RetrieveEmsRigiTraceList.comm?POST_CODE={number}",
    APIS_AGGREGATORS,
    STRV ("ePost Korea", "Korean Post", "Korea Post EMS"),
    STRV ("KR"),
  },
  {
    "new-zealand-post", "New Zealand Post", "NZ",
    "https://www.nzpost.co.nz/tools/tracking/item/{number}",
    APIS_AGGREGATORS,
    STRV ("NZ Post", "NZPost", "CourierPost"),
    STRV ("NZ", "CK", "NU", "TK"),
  },
  {
    "an-post", "An Post", "IE",
    "https://www.anpost.com/Post-Parcels/Track/History?item={number}",
    APIS_AGGREGATORS,
    STRV ("Irish Post", "An Post Ireland"),
    STRV ("IE"),
  },
  {
    "bpost", "bpost", "BE",
    "https://track.bpost.cloud/btr/web/#/search?lang=en&itemCode={number}",
    APIS_AGGREGATORS,
    STRV ("Belgian Post", "bpost group", "De Post", "La Poste Belgique", "Belgium Post"),
    STRV ("BE"),
  },
  {
    "austrian-post", "Austrian Post", "AT",
    "https://www.post.at/s/sendungsdetails?snr={number}",
    APIS_AGGREGATORS,
    STRV ("Österreichische Post", "Oesterreichische Post", "Post AG", "Post.at"),
    STRV ("AT"),
  },
  {
    "polish-post", "Poczta Polska", "PL",
    "https://emonitoring.poczta-polska.pl/?numer={number}",
    APIS_AGGREGATORS,
    STRV ("Polish Post", "Pocztex"),
    STRV ("PL"),
  },
  {
    "hongkong-post", "Hongkong Post", "HK",
    URL_17TRACK,
    APIS_AGGREGATORS,
    STRV ("Hong Kong Post", "HK Post"),
    STRV ("HK"),
  },
  {
    "singapore-post", "Singapore Post", "SG",
    URL_17TRACK,
    APIS_AGGREGATORS,
    STRV ("SingPost"),
    STRV ("SG"),
  },
  {
    "posten-norge", "Posten Norge", "NO",
    "https://sporing.posten.no/sporing/{number}",
    APIS_AGGREGATORS,
    STRV ("Posten", "Norway Post", "Bring"),
    STRV ("NO", "SJ"),
  },
  {
    "posti", "Posti", "FI",
    "https://www.posti.fi/en/tracking#/lahetys/{number}",
    APIS_AGGREGATORS,
    STRV ("Itella", "Finland Post", "Posti Group"),
    STRV ("FI", "AX"),
  },
  {
    WAYBILL_CARRIER_INTERNATIONAL_POST, "International Post", "",
    URL_17TRACK,
    APIS_AGGREGATORS,
    STRV ("UPU", "Universal Postal Union", "National Post", "Postal Service", "EMS"),
    NO_STRV,
  },
};

static const WaybillCarrier * const *
get_pointers (void)
{
  static const WaybillCarrier *pointers[G_N_ELEMENTS (carriers) + 1];
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      for (guint i = 0; i < G_N_ELEMENTS (carriers); i++)
        pointers[i] = &carriers[i];
      pointers[G_N_ELEMENTS (carriers)] = NULL;
      g_once_init_leave (&initialized, 1);
    }

  return (const WaybillCarrier * const *) pointers;
}

/**
 * waybill_carrier_get_all:
 * @n_carriers: (out) (optional): the number of carriers
 *
 * Returns: (transfer none) (array zero-terminated=1): every known carrier,
 *   in display order
 */
const WaybillCarrier * const *
waybill_carrier_get_all (guint *n_carriers)
{
  if (n_carriers != NULL)
    *n_carriers = G_N_ELEMENTS (carriers);

  return get_pointers ();
}

/**
 * waybill_carrier_lookup:
 * @id: a carrier id such as "dhl-express"
 *
 * Returns: (transfer none) (nullable): the carrier, or %NULL if @id is not
 *   a known id.  Ids are matched exactly.
 */
const WaybillCarrier *
waybill_carrier_lookup (const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (carriers); i++)
    {
      if (strcmp (carriers[i].id, id) == 0)
        return &carriers[i];
    }

  return NULL;
}

/**
 * waybill_carrier_for_country:
 * @country_code: an ISO 3166-1 alpha-2 code, such as "GB"
 *
 * Finds the national post that delivers the UPU S10 items of a country.
 *
 * Returns: (transfer none) (nullable): the post, or %NULL if the table has
 *   no post for that country
 */
const WaybillCarrier *
waybill_carrier_for_country (const char *country_code)
{
  g_return_val_if_fail (country_code != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (carriers); i++)
    {
      for (guint j = 0; carriers[i].s10_countries[j] != NULL; j++)
        {
          if (g_ascii_strcasecmp (carriers[i].s10_countries[j], country_code) == 0)
            return &carriers[i];
        }
    }

  return NULL;
}

/* Reduces a name to the letters and digits that tell carriers apart:
 * "U.S. Postal Service" and "us postal-service" give the same key, and so do
 * "Österreichische Post" and "Osterreichische Post". */
static char *
fold_name (const char *name)
{
  g_autofree char *ascii = NULL;
  GString *key;

  ascii = g_str_to_ascii (name, "C");
  key = g_string_sized_new (strlen (ascii));

  for (const char *p = ascii; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (key, g_ascii_tolower (*p));
    }

  return g_string_free (key, FALSE);
}

/* Words that CSV exports and shop platforms add around a carrier's name and
 * that never tell two carriers apart. */
static const char * const noise_words[] = {
  "the", "group", "plc", "inc", "incorporated", "ltd", "limited", "llc", "gmbh", "ag",
  "sa", "spa", "nv", "bv", "ab", "as", "co", "corp", "corporation", "company",
  "holding", "holdings", "tracking", "shipping", "parcel", "parcels",
};

static gboolean
is_noise_word (const char *word)
{
  for (guint i = 0; i < G_N_ELEMENTS (noise_words); i++)
    {
      if (g_ascii_strcasecmp (word, noise_words[i]) == 0)
        return TRUE;
    }

  return FALSE;
}

/* The same key as fold_name(), without the noise words. */
static char *
fold_name_without_noise (const char *name)
{
  g_autofree char *ascii = NULL;
  g_auto(GStrv) words = NULL;
  GString *key;

  ascii = g_str_to_ascii (name, "C");
  for (char *p = ascii; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p))
        *p = ' ';
    }

  words = g_strsplit (ascii, " ", -1);
  key = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    {
      if (words[i][0] == '\0' || is_noise_word (words[i]))
        continue;
      for (const char *p = words[i]; *p != '\0'; p++)
        g_string_append_c (key, g_ascii_tolower (*p));
    }

  return g_string_free (key, FALSE);
}

typedef struct
{
  char *key;
  const WaybillCarrier *carrier;
} NameKey;

/* Every folded spelling of every carrier: ids, names and aliases.  Built
 * once; it is small (a few hundred short strings). */
static const NameKey *
get_name_keys (guint *n_keys)
{
  static NameKey *keys = NULL;
  static guint n = 0;
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      g_autoptr(GArray) array = g_array_new (FALSE, FALSE, sizeof (NameKey));

      for (guint i = 0; i < G_N_ELEMENTS (carriers); i++)
        {
          const WaybillCarrier *carrier = &carriers[i];
          NameKey k;

          k.carrier = carrier;

          k.key = fold_name (carrier->id);
          g_array_append_val (array, k);
          k.key = fold_name (carrier->name);
          g_array_append_val (array, k);
          for (guint j = 0; carrier->aliases[j] != NULL; j++)
            {
              k.key = fold_name (carrier->aliases[j]);
              g_array_append_val (array, k);
            }
        }

      n = array->len;
      keys = (NameKey *) (gpointer) g_array_free (g_steal_pointer (&array), FALSE);
      g_once_init_leave (&initialized, 1);
    }

  *n_keys = n;
  return keys;
}

static const WaybillCarrier *
match_key_exactly (const char *key)
{
  const NameKey *keys;
  guint n_keys;

  if (key[0] == '\0')
    return NULL;

  keys = get_name_keys (&n_keys);
  for (guint i = 0; i < n_keys; i++)
    {
      if (strcmp (keys[i].key, key) == 0)
        return keys[i].carrier;
    }

  return NULL;
}

/* The carrier whose longest key starts @key, as in "fedexhomedelivery2day"
 * or "royalmailtracked48".  Keys shorter than three characters are left out
 * so that a stray "as" or "co" never decides. */
static const WaybillCarrier *
match_key_prefix (const char *key)
{
  const WaybillCarrier *best = NULL;
  gsize best_len = 0;
  const NameKey *keys;
  guint n_keys;

  keys = get_name_keys (&n_keys);
  for (guint i = 0; i < n_keys; i++)
    {
      gsize len = strlen (keys[i].key);

      if (len >= 3 && len > best_len && g_str_has_prefix (key, keys[i].key))
        {
          best = keys[i].carrier;
          best_len = len;
        }
    }

  return best;
}

/**
 * waybill_carrier_match_name:
 * @name: a carrier's name as people and other programs write it
 *
 * Finds a carrier from a free-form name, for example a column of a CSV
 * import: "USPS", "United States Postal Service", "Royal Mail Group plc",
 * "Deutsche Post DHL", "fedex_ground".  Case, spaces, punctuation and
 * accents are ignored, and so are words such as "Group", "Inc" or "GmbH".
 * An id ("dhl-express") is matched too.  Failing an exact match, the
 * carrier whose name starts the given name wins ("FedEx Home Delivery
 * 2Day" is FedEx).
 *
 * "DHL" alone means DHL Express, the DHL that ships worldwide.
 *
 * Returns: (transfer none) (nullable): the carrier, or %NULL if no
 *   carrier's name fits
 */
const WaybillCarrier *
waybill_carrier_match_name (const char *name)
{
  const WaybillCarrier *carrier;
  g_autofree char *key = NULL;
  g_autofree char *short_key = NULL;

  g_return_val_if_fail (name != NULL, NULL);

  if (!g_utf8_validate (name, -1, NULL))
    return NULL;

  key = fold_name (name);
  if ((carrier = match_key_exactly (key)) != NULL)
    return carrier;

  short_key = fold_name_without_noise (name);
  if ((carrier = match_key_exactly (short_key)) != NULL)
    return carrier;

  if ((carrier = match_key_prefix (key)) != NULL)
    return carrier;

  return match_key_prefix (short_key);
}

/**
 * waybill_carrier_get_id:
 * @self: a carrier
 *
 * Returns: the stable id, such as "royal-mail"
 */
const char *
waybill_carrier_get_id (const WaybillCarrier *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->id;
}

/**
 * waybill_carrier_get_name:
 * @self: a carrier
 *
 * The display name is a proper noun and is not translated.
 *
 * Returns: the display name, such as "Royal Mail"
 */
const char *
waybill_carrier_get_name (const WaybillCarrier *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->name;
}

/**
 * waybill_carrier_get_country:
 * @self: a carrier
 *
 * Returns: the ISO 3166-1 alpha-2 code of the carrier's home country, or ""
 *   for the international post fallback
 */
const char *
waybill_carrier_get_country (const WaybillCarrier *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->country;
}

/**
 * waybill_carrier_get_aliases:
 * @self: a carrier
 *
 * Returns: (transfer none) (array zero-terminated=1): other names of the
 *   carrier, as waybill_carrier_match_name() knows them
 */
const char * const *
waybill_carrier_get_aliases (const WaybillCarrier *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->aliases;
}

/**
 * waybill_carrier_get_apis:
 * @self: a carrier
 *
 * The tracking APIs that can answer for the carrier, best first: its own
 * API when it has one, then the aggregators.
 *
 * Returns: (transfer none) (array zero-terminated=1): API ids such as
 *   "ups", "aftership", "17track"
 */
const char * const *
waybill_carrier_get_apis (const WaybillCarrier *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->apis;
}

/**
 * waybill_carrier_has_api:
 * @self: a carrier
 * @api_id: an API id such as "dhl"
 *
 * Returns: whether the API can track the carrier's parcels
 */
gboolean
waybill_carrier_has_api (const WaybillCarrier *self,
                         const char           *api_id)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (api_id != NULL, FALSE);

  return g_strv_contains ((const char * const *) self->apis, api_id);
}

/**
 * waybill_carrier_get_tracking_url_template:
 * @self: a carrier
 *
 * Returns: the public tracking page, with "{number}" where the tracking
 *   number goes
 */
const char *
waybill_carrier_get_tracking_url_template (const WaybillCarrier *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->url_template;
}

/**
 * waybill_carrier_get_tracking_url:
 * @self: a carrier
 * @tracking_number: a tracking number, normally normalised already
 *
 * Returns: (transfer full): the address of the carrier's public tracking
 *   page for @tracking_number, which is URI-escaped
 */
char *
waybill_carrier_get_tracking_url (const WaybillCarrier *self,
                                  const char           *tracking_number)
{
  static const char placeholder[] = "{number}";
  g_autofree char *escaped = NULL;
  const char *at;
  GString *url;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (tracking_number != NULL, NULL);

  escaped = g_uri_escape_string (tracking_number, NULL, FALSE);
  at = strstr (self->url_template, placeholder);
  g_assert (at != NULL);

  url = g_string_new_len (self->url_template, at - self->url_template);
  g_string_append (url, escaped);
  g_string_append (url, at + strlen (placeholder));

  return g_string_free (url, FALSE);
}
