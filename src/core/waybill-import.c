/* waybill-import.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-import"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "waybill-carrier.h"
#include "waybill-csv-reader.h"
#include "waybill-export.h"
#include "waybill-import.h"
#include "waybill-store-private.h"
#include "waybill-tracking-number.h"

/* Imports orders from shop platforms' CSV exports, from Waybill's own CSV
 * and JSON exports, and from any CSV through a column mapping.
 *
 * Safe and repeatable:
 *
 *  - An import is one transaction: it is saved whole, or not at all (a dry
 *    run, bad rows without "skip bad", an error, a cancellation).
 *  - Orders are matched by order number, shipments by tracking number: a
 *    second import of the same file changes nothing, a newer export
 *    updates what changed and adds new shipments, never duplicates.
 *  - For every imported order, import_origins keeps the values the last
 *    import wrote.  Comparing the order with them tells which fields the
 *    user changed in Waybill since (a three-way merge, field by field): a
 *    field the file does not change keeps the user's value; a field both
 *    changed is a conflict, reported, and the user's value stays unless
 *    WAYBILL_IMPORT_OVERWRITE_EDITS.  The base of a kept conflict is left
 *    as it was, so that the next import reports it again and can still
 *    overwrite it.
 *
 * Files are read as a stream: a platform's export has one row per line
 * item, the rows of an order one after the other, so an order is complete
 * when the order number changes.  Only a fingerprint of every order met
 * stays in memory, to tell a repeated order from a different one with the
 * same number. */

G_DEFINE_QUARK (waybill-import-error-quark, waybill_import_error)

/* Formats and fields */

static const struct
{
  const char *id;
  const char *label;
} formats[] = {
  [WAYBILL_IMPORT_FORMAT_AUTO] = { "auto", N_("Detected from the file") },
  [WAYBILL_IMPORT_FORMAT_SHOPIFY] = { "shopify", N_("Shopify orders export") },
  [WAYBILL_IMPORT_FORMAT_WOOCOMMERCE] = { "woocommerce", N_("WooCommerce orders export") },
  [WAYBILL_IMPORT_FORMAT_ETSY] = { "etsy", N_("Etsy orders download") },
  [WAYBILL_IMPORT_FORMAT_WAYBILL] = { "waybill", N_("Waybill CSV export") },
  [WAYBILL_IMPORT_FORMAT_WAYBILL_JSON] = { "waybill-json", N_("Waybill JSON export") },
  [WAYBILL_IMPORT_FORMAT_CUSTOM] = { "custom", N_("CSV with mapped columns") },
};

G_STATIC_ASSERT (G_N_ELEMENTS (formats) == WAYBILL_N_IMPORT_FORMATS);

static const char * const field_ids[] = {
  [WAYBILL_IMPORT_FIELD_ORDER_NUMBER] = "order_number",
  [WAYBILL_IMPORT_FIELD_CUSTOMER] = "customer",
  [WAYBILL_IMPORT_FIELD_EMAIL] = "email",
  [WAYBILL_IMPORT_FIELD_PHONE] = "phone",
  [WAYBILL_IMPORT_FIELD_ADDRESS] = "address",
  [WAYBILL_IMPORT_FIELD_ITEMS] = "items",
  [WAYBILL_IMPORT_FIELD_TOTAL] = "total",
  [WAYBILL_IMPORT_FIELD_CURRENCY] = "currency",
  [WAYBILL_IMPORT_FIELD_CREATED] = "created",
  [WAYBILL_IMPORT_FIELD_TRACKING_NUMBER] = "tracking_number",
  [WAYBILL_IMPORT_FIELD_CARRIER] = "carrier",
  [WAYBILL_IMPORT_FIELD_NOTE] = "note",
};

G_STATIC_ASSERT (G_N_ELEMENTS (field_ids) == WAYBILL_N_IMPORT_FIELDS);

const char *
waybill_import_format_to_id (WaybillImportFormat format)
{
  g_return_val_if_fail ((int) format >= 0 && format < WAYBILL_N_IMPORT_FORMATS, NULL);

  return formats[format].id;
}

/**
 * waybill_import_format_from_id:
 *
 * Returns: the format, or %WAYBILL_IMPORT_FORMAT_INVALID
 */
WaybillImportFormat
waybill_import_format_from_id (const char *id)
{
  for (guint i = 0; id != NULL && i < G_N_ELEMENTS (formats); i++)
    if (g_ascii_strcasecmp (id, formats[i].id) == 0)
      return i;

  return WAYBILL_IMPORT_FORMAT_INVALID;
}

const char *
waybill_import_format_get_label (WaybillImportFormat format)
{
  g_return_val_if_fail ((int) format >= 0 && format < WAYBILL_N_IMPORT_FORMATS, NULL);

  return _(formats[format].label);
}

const char *
waybill_import_field_to_id (WaybillImportField field)
{
  g_return_val_if_fail ((int) field >= 0 && field < WAYBILL_N_IMPORT_FIELDS, NULL);

  return field_ids[field];
}

WaybillImportField
waybill_import_field_from_id (const char *id)
{
  for (guint i = 0; id != NULL && i < G_N_ELEMENTS (field_ids); i++)
    if (g_ascii_strcasecmp (id, field_ids[i]) == 0)
      return i;

  return WAYBILL_IMPORT_FIELD_INVALID;
}

/* What a column of a header can hold.  A format lists, for each, the
 * header names that hold it, the preferred first: the first one with a
 * value in a row wins. */
typedef enum
{
  COL_ORDER_NUMBER,
  COL_CUSTOMER,
  COL_FIRST_NAME,
  COL_LAST_NAME,
  COL_EMAIL,
  COL_PHONE,
  COL_ADDRESS,
  COL_SHIP_NAME,
  COL_SHIP_FIRST_NAME,
  COL_SHIP_LAST_NAME,
  COL_SHIP_COMPANY,
  COL_SHIP_STREET,
  COL_SHIP_ADDRESS1,
  COL_SHIP_ADDRESS2,
  COL_SHIP_CITY,
  COL_SHIP_PROVINCE,
  COL_SHIP_ZIP,
  COL_SHIP_COUNTRY,
  COL_ITEMS,
  COL_ITEM_NAME,
  COL_ITEM_QUANTITY,
  COL_ITEM_VARIANT,
  COL_TOTAL,
  COL_ITEM_TOTAL,
  COL_ORDER_SHIPPING,
  COL_ORDER_TAX,
  COL_CURRENCY,
  COL_CREATED,
  COL_NOTE,
  COL_STATUS,
  COL_FULFILLMENT,
  COL_CANCELLED_AT,
  COL_SHIPPED_AT,
  COL_TRACKING_NUMBER,
  COL_CARRIER,
  COL_CUSTOM_CARRIER,
  COL_STAGE,
  COL_ARCHIVED,
  COL_SHIPMENT_STATUS,
  N_COLS
} Column;

typedef struct
{
  Column      column;
  const char *name;
} ColumnName;

/* Shopify's "Export orders" CSV: one row per line item; the order's
 * columns are filled on its first row only.  The tracking columns are not
 * in Shopify's own export but in those of apps that add fulfilments. */
static const ColumnName shopify_columns[] = {
  { COL_ORDER_NUMBER, "Name" },
  { COL_EMAIL, "Email" },
  { COL_CUSTOMER, "Billing Name" },
  { COL_CUSTOMER, "Shipping Name" },
  { COL_PHONE, "Phone" },
  { COL_PHONE, "Shipping Phone" },
  { COL_PHONE, "Billing Phone" },
  { COL_SHIP_NAME, "Shipping Name" },
  { COL_SHIP_COMPANY, "Shipping Company" },
  { COL_SHIP_STREET, "Shipping Street" },
  { COL_SHIP_ADDRESS1, "Shipping Address1" },
  { COL_SHIP_ADDRESS2, "Shipping Address2" },
  { COL_SHIP_CITY, "Shipping City" },
  { COL_SHIP_PROVINCE, "Shipping Province" },
  { COL_SHIP_ZIP, "Shipping Zip" },
  { COL_SHIP_COUNTRY, "Shipping Country" },
  { COL_ITEM_NAME, "Lineitem name" },
  { COL_ITEM_QUANTITY, "Lineitem quantity" },
  { COL_TOTAL, "Total" },
  { COL_CURRENCY, "Currency" },
  { COL_CREATED, "Created at" },
  { COL_NOTE, "Notes" },
  { COL_FULFILLMENT, "Fulfillment Status" },
  { COL_CANCELLED_AT, "Cancelled at" },
  { COL_SHIPPED_AT, "Fulfilled at" },
  { COL_TRACKING_NUMBER, "Tracking Number" },
  { COL_TRACKING_NUMBER, "Fulfillment: Tracking Number" },
  { COL_CARRIER, "Tracking Company" },
  { COL_CARRIER, "Fulfillment: Tracking Company" },
};

/* WooCommerce has no order export of its own but Analytics' download; the
 * shops use export plugins.  The column names of the Customer/Order CSV
 * Export and of the Import Export Suite (snake case), of the Advanced
 * Order Export plugin's defaults (Title Case (Billing)) and of Analytics
 * are all read, and so are the Shipment Tracking plugin's fields. */
static const ColumnName woocommerce_columns[] = {
  { COL_ORDER_NUMBER, "order_number" },
  { COL_ORDER_NUMBER, "Order Number" },
  { COL_ORDER_NUMBER, "order_number_formatted" },
  { COL_ORDER_NUMBER, "Order #" },
  { COL_ORDER_NUMBER, "order_id" },
  { COL_ORDER_NUMBER, "Order ID" },
  { COL_CREATED, "order_date" },
  { COL_CREATED, "Order Date" },
  { COL_CREATED, "date" },
  { COL_CREATED, "Date" },
  { COL_STATUS, "status" },
  { COL_STATUS, "Order Status" },
  { COL_STATUS, "Status" },
  { COL_TOTAL, "order_total" },
  { COL_TOTAL, "Order Total Amount" },
  { COL_TOTAL, "Order Total" },
  { COL_CURRENCY, "order_currency" },
  { COL_CURRENCY, "Order Currency" },
  { COL_CURRENCY, "Currency" },
  { COL_EMAIL, "billing_email" },
  { COL_EMAIL, "Email (Billing)" },
  { COL_EMAIL, "customer_email" },
  { COL_PHONE, "billing_phone" },
  { COL_PHONE, "Phone (Billing)" },
  { COL_PHONE, "shipping_phone" },
  { COL_PHONE, "Phone (Shipping)" },
  { COL_CUSTOMER, "billing_full_name" },
  { COL_CUSTOMER, "Customer" },
  { COL_FIRST_NAME, "billing_first_name" },
  { COL_FIRST_NAME, "First Name (Billing)" },
  { COL_LAST_NAME, "billing_last_name" },
  { COL_LAST_NAME, "Last Name (Billing)" },
  { COL_SHIP_NAME, "shipping_full_name" },
  { COL_SHIP_FIRST_NAME, "shipping_first_name" },
  { COL_SHIP_FIRST_NAME, "First Name (Shipping)" },
  { COL_SHIP_LAST_NAME, "shipping_last_name" },
  { COL_SHIP_LAST_NAME, "Last Name (Shipping)" },
  { COL_SHIP_COMPANY, "shipping_company" },
  { COL_SHIP_COMPANY, "Company (Shipping)" },
  { COL_SHIP_STREET, "Address 1&2 (Shipping)" },
  { COL_SHIP_ADDRESS1, "shipping_address_1" },
  { COL_SHIP_ADDRESS1, "Address 1 (Shipping)" },
  { COL_SHIP_ADDRESS2, "shipping_address_2" },
  { COL_SHIP_ADDRESS2, "Address 2 (Shipping)" },
  { COL_SHIP_CITY, "shipping_city" },
  { COL_SHIP_CITY, "City (Shipping)" },
  { COL_SHIP_PROVINCE, "shipping_state" },
  { COL_SHIP_PROVINCE, "State Code (Shipping)" },
  { COL_SHIP_ZIP, "shipping_postcode" },
  { COL_SHIP_ZIP, "Postcode (Shipping)" },
  { COL_SHIP_COUNTRY, "shipping_country" },
  { COL_SHIP_COUNTRY, "Country Code (Shipping)" },
  { COL_NOTE, "customer_note" },
  { COL_NOTE, "Customer Note" },
  { COL_ITEM_NAME, "item_name" },
  { COL_ITEM_NAME, "Item Name" },
  { COL_ITEM_NAME, "Name" },
  { COL_ITEM_QUANTITY, "item_quantity" },
  { COL_ITEM_QUANTITY, "Quantity" },
  { COL_ITEMS, "Product(s)" },
  { COL_TRACKING_NUMBER, "tracking_number" },
  { COL_TRACKING_NUMBER, "Tracking Number" },
  { COL_CARRIER, "tracking_provider" },
  { COL_CARRIER, "Tracking Provider" },
  { COL_CUSTOM_CARRIER, "custom_tracking_provider" },
  { COL_CUSTOM_CARRIER, "Custom Tracking Provider" },
  { COL_SHIPPED_AT, "date_shipped" },
  { COL_SHIPPED_AT, "Date Shipped" },
};

/* Etsy's two downloads: "Orders" (one row per order) and "Order Items"
 * (one row per item, with the order's shipping and tax on each). */
static const ColumnName etsy_columns[] = {
  { COL_ORDER_NUMBER, "Order ID" },
  { COL_CREATED, "Sale Date" },
  { COL_CUSTOMER, "Full Name" },
  { COL_CUSTOMER, "Ship Name" },
  { COL_CUSTOMER, "Buyer" },
  { COL_FIRST_NAME, "First Name" },
  { COL_LAST_NAME, "Last Name" },
  { COL_SHIP_NAME, "Ship Name" },
  { COL_SHIP_NAME, "Full Name" },
  { COL_SHIP_ADDRESS1, "Street 1" },
  { COL_SHIP_ADDRESS1, "Ship Address1" },
  { COL_SHIP_ADDRESS2, "Street 2" },
  { COL_SHIP_ADDRESS2, "Ship Address2" },
  { COL_SHIP_CITY, "Ship City" },
  { COL_SHIP_PROVINCE, "Ship State" },
  { COL_SHIP_ZIP, "Ship Zipcode" },
  { COL_SHIP_COUNTRY, "Ship Country" },
  { COL_CURRENCY, "Currency" },
  { COL_TOTAL, "Order Total" },
  { COL_ITEM_TOTAL, "Item Total" },
  { COL_ORDER_SHIPPING, "Order Shipping" },
  { COL_ORDER_TAX, "Order Sales Tax" },
  { COL_ITEM_NAME, "Item Name" },
  { COL_ITEM_QUANTITY, "Quantity" },
  { COL_ITEM_VARIANT, "Variations" },
  { COL_STATUS, "Status" },
  { COL_SHIPPED_AT, "Date Shipped" },
  { COL_TRACKING_NUMBER, "Tracking Number" },
  { COL_TRACKING_NUMBER, "Tracking" },
  { COL_CARRIER, "Carrier" },
  { COL_CARRIER, "Shipping Carrier" },
};

static const ColumnName waybill_columns[] = {
  { COL_ORDER_NUMBER, "order_number" },
  { COL_CUSTOMER, "customer" },
  { COL_EMAIL, "email" },
  { COL_PHONE, "phone" },
  { COL_ADDRESS, "address" },
  { COL_ITEMS, "items" },
  { COL_TOTAL, "total" },
  { COL_CURRENCY, "currency" },
  { COL_CREATED, "created" },
  { COL_STAGE, "stage" },
  { COL_ARCHIVED, "archived" },
  { COL_NOTE, "note" },
  { COL_CARRIER, "carrier" },
  { COL_TRACKING_NUMBER, "tracking_number" },
  { COL_SHIPMENT_STATUS, "status" },
};

/* The header names that, all present, tell a format. */
static const struct
{
  WaybillImportFormat  format;
  const char          *names[5];
} signatures[] = {
  { WAYBILL_IMPORT_FORMAT_WAYBILL, { "order_number", "customer", "stage", "tracking_number" } },
  { WAYBILL_IMPORT_FORMAT_SHOPIFY, { "Name", "Financial Status", "Lineitem name" } },
  { WAYBILL_IMPORT_FORMAT_ETSY, { "Sale Date", "Order ID", "Full Name" } },
  { WAYBILL_IMPORT_FORMAT_ETSY, { "Sale Date", "Order ID", "Item Name" } },
  { WAYBILL_IMPORT_FORMAT_WOOCOMMERCE, { "order_id", "billing_first_name" } },
  { WAYBILL_IMPORT_FORMAT_WOOCOMMERCE, { "order_number", "billing_first_name" } },
  { WAYBILL_IMPORT_FORMAT_WOOCOMMERCE, { "Order Number", "Order Status", "Order Date" } },
  { WAYBILL_IMPORT_FORMAT_WOOCOMMERCE, { "Order Number", "First Name (Billing)" } },
  { WAYBILL_IMPORT_FORMAT_WOOCOMMERCE, { "order_id", "tracking_provider", "tracking_number" } },
  { WAYBILL_IMPORT_FORMAT_WOOCOMMERCE, { "Order #", "Customer type", "Net Sales" } },
};

static const Column field_columns[] = {
  [WAYBILL_IMPORT_FIELD_ORDER_NUMBER] = COL_ORDER_NUMBER,
  [WAYBILL_IMPORT_FIELD_CUSTOMER] = COL_CUSTOMER,
  [WAYBILL_IMPORT_FIELD_EMAIL] = COL_EMAIL,
  [WAYBILL_IMPORT_FIELD_PHONE] = COL_PHONE,
  [WAYBILL_IMPORT_FIELD_ADDRESS] = COL_ADDRESS,
  [WAYBILL_IMPORT_FIELD_ITEMS] = COL_ITEMS,
  [WAYBILL_IMPORT_FIELD_TOTAL] = COL_TOTAL,
  [WAYBILL_IMPORT_FIELD_CURRENCY] = COL_CURRENCY,
  [WAYBILL_IMPORT_FIELD_CREATED] = COL_CREATED,
  [WAYBILL_IMPORT_FIELD_TRACKING_NUMBER] = COL_TRACKING_NUMBER,
  [WAYBILL_IMPORT_FIELD_CARRIER] = COL_CARRIER,
  [WAYBILL_IMPORT_FIELD_NOTE] = COL_NOTE,
};

G_STATIC_ASSERT (G_N_ELEMENTS (field_columns) == WAYBILL_N_IMPORT_FIELDS);

/* The order fields an import writes and merges. */
typedef enum
{
  MF_CUSTOMER,
  MF_EMAIL,
  MF_PHONE,
  MF_ADDRESS,
  MF_ITEMS,
  MF_TOTAL,
  MF_CURRENCY,
  MF_NOTE,
  MF_STAGE,
  MF_ARCHIVED,
  N_MF
} MergeField;

static const char * const merge_field_ids[] = {
  "customer", "email", "phone", "address", "items", "total", "currency", "note", "stage", "archived",
};

G_STATIC_ASSERT (G_N_ELEMENTS (merge_field_ids) == N_MF);

/* Which header columns make a merge field present in a file. */
static const struct
{
  MergeField field;
  Column     columns[8];
  guint      n_columns;
} merge_sources[] = {
  { MF_CUSTOMER, { COL_CUSTOMER, COL_FIRST_NAME, COL_LAST_NAME, COL_SHIP_NAME, COL_SHIP_FIRST_NAME }, 5 },
  { MF_EMAIL, { COL_EMAIL }, 1 },
  { MF_PHONE, { COL_PHONE }, 1 },
  { MF_ADDRESS, { COL_ADDRESS, COL_SHIP_STREET, COL_SHIP_ADDRESS1, COL_SHIP_CITY, COL_SHIP_ZIP,
                  COL_SHIP_COUNTRY }, 6 },
  { MF_ITEMS, { COL_ITEMS, COL_ITEM_NAME }, 2 },
  { MF_TOTAL, { COL_TOTAL, COL_ITEM_TOTAL }, 2 },
  { MF_CURRENCY, { COL_CURRENCY }, 1 },
  { MF_NOTE, { COL_NOTE }, 1 },
  { MF_STAGE, { COL_STAGE, COL_STATUS, COL_FULFILLMENT, COL_CANCELLED_AT, COL_SHIPPED_AT }, 5 },
  { MF_ARCHIVED, { COL_ARCHIVED }, 1 },
};

G_STATIC_ASSERT (G_N_ELEMENTS (merge_sources) == N_MF);

/* Results */

static void
bad_row_free (gpointer data)
{
  WaybillImportBadRow *row = data;

  g_free (row->reason);
  g_free (row);
}

static void
conflict_free (gpointer data)
{
  WaybillImportConflict *conflict = data;

  g_free (conflict->order_number);
  g_free (conflict->ours);
  g_free (conflict->theirs);
  g_free (conflict);
}

static WaybillImportResult *
result_new (void)
{
  WaybillImportResult *result = g_new0 (WaybillImportResult, 1);

  result->rows_bad = g_ptr_array_new_with_free_func (bad_row_free);
  result->conflicts = g_ptr_array_new_with_free_func (conflict_free);
  result->preview = g_ptr_array_new_with_free_func (g_object_unref);

  return result;
}

void
waybill_import_result_free (WaybillImportResult *result)
{
  if (result == NULL)
    return;

  g_ptr_array_unref (result->rows_bad);
  g_ptr_array_unref (result->conflicts);
  g_ptr_array_unref (result->preview);
  g_free (result);
}

/* Reading values */

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;

  for (; *text; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;

  return TRUE;
}

/* Returns a trimmed copy, or NULL for a blank field. */
static char *
clean (const char *text)
{
  char *copy;

  if (is_blank (text))
    return NULL;

  copy = g_strstrip (g_strdup (text));

  return copy;
}

static gboolean
read_number (const char **p,
             int         *value,
             int         *digits)
{
  *value = 0;
  *digits = 0;

  while (g_ascii_isdigit (**p) && *digits < 9)
    {
      *value = *value * 10 + (**p - '0');
      (*digits)++;
      (*p)++;
    }

  return *digits > 0;
}

static void
skip_spaces (const char **p)
{
  while (**p == ' ' || **p == '\t')
    (*p)++;
}

/* Reads the dates that exports write: ISO 8601 ("2024-03-05T14:02:11Z"),
 * Shopify's "2024-03-05 14:02:11 -0500", WooCommerce's "2024-03-05 14:02"
 * and "3/5/2024 14:02", Etsy's "03/05/24", "05.03.2024", and Unix seconds
 * (the Shipment Tracking plugin's date).  Slashed dates are month first,
 * unless the first number cannot be a month.  A time without an offset is
 * local time. */
static GDateTime *
parse_date (const char *text)
{
  g_autoptr(GTimeZone) tz = NULL;
  const char *p = text;
  int a, b, c, na, nb, nc;
  int year, month, day;
  int hour = 0, minute = 0;
  double seconds = 0;
  char sep;

  if (text == NULL)
    return NULL;

  skip_spaces (&p);

  /* Unix seconds. */
  {
    const char *q = p;
    guint n = 0;

    while (g_ascii_isdigit (*q))
      q++, n++;
    skip_spaces (&q);
    if (*q == '\0' && n >= 9 && n <= 11)
      return g_date_time_new_from_unix_utc (g_ascii_strtoll (p, NULL, 10));
  }

  if (!read_number (&p, &a, &na))
    return NULL;
  sep = *p;
  if (sep != '-' && sep != '/' && sep != '.')
    return NULL;
  p++;
  if (!read_number (&p, &b, &nb) || *p != sep)
    return NULL;
  p++;
  if (!read_number (&p, &c, &nc))
    return NULL;

  if (na == 4)
    year = a, month = b, day = c;
  else if (nc == 4 || nc == 2)
    {
      year = nc == 2 ? (c < 70 ? 2000 + c : 1900 + c) : c;
      if (sep == '/')
        month = a, day = b;
      else
        day = a, month = b;
      if (month > 12 && day <= 12)
        {
          int swap = month;

          month = day;
          day = swap;
        }
    }
  else
    return NULL;

  if (*p == 'T' || *p == 't' || *p == ' ')
    {
      const char *q = p + 1;
      int n, digits;

      skip_spaces (&q);
      if (read_number (&q, &n, &digits) && digits <= 2 && *q == ':')
        {
          hour = n;
          q++;
          if (!read_number (&q, &minute, &digits) || digits != 2)
            return NULL;
          if (*q == ':')
            {
              int whole;

              q++;
              if (!read_number (&q, &whole, &digits) || digits != 2)
                return NULL;
              seconds = whole;
              if (*q == '.' || *q == ',')
                {
                  q++;
                  while (g_ascii_isdigit (*q))
                    q++;
                }
            }
          p = q;
          skip_spaces (&p);
          if (g_ascii_strncasecmp (p, "AM", 2) == 0 || g_ascii_strncasecmp (p, "PM", 2) == 0)
            {
              if (hour < 1 || hour > 12)
                return NULL;
              hour = hour % 12 + (g_ascii_toupper (*p) == 'P' ? 12 : 0);
              p += 2;
            }
        }
    }

  skip_spaces (&p);
  if (*p == 'Z' || *p == 'z')
    {
      tz = g_time_zone_new_utc ();
      p++;
    }
  else if (g_ascii_strncasecmp (p, "UTC", 3) == 0 || g_ascii_strncasecmp (p, "GMT", 3) == 0)
    {
      tz = g_time_zone_new_utc ();
      p += 3;
    }
  if (*p == '+' || *p == '-')
    {
      int sign = *p == '-' ? -1 : 1;
      int hh, mm = 0, digits;

      p++;
      if (!read_number (&p, &hh, &digits))
        return NULL;
      if (digits == 4)
        mm = hh % 100, hh /= 100;
      else if (digits > 2)
        return NULL;
      else if (*p == ':')
        {
          p++;
          if (!read_number (&p, &mm, &digits) || digits != 2)
            return NULL;
        }
      if (hh > 14 || mm > 59)
        return NULL;
      g_clear_pointer (&tz, g_time_zone_unref);
      tz = g_time_zone_new_offset (sign * (hh * 3600 + mm * 60));
    }

  skip_spaces (&p);
  if (*p != '\0')
    return NULL;

  if (tz == NULL)
    tz = g_time_zone_new_local ();

  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1 || day > 31 ||
      hour > 23 || minute > 59 || seconds > 59)
    return NULL;

  return g_date_time_new (tz, year, month, day, hour, minute, seconds);
}

static gboolean
is_amount_decoration (gunichar c)
{
  return g_unichar_isalpha (c) || g_unichar_type (c) == G_UNICODE_CURRENCY_SYMBOL ||
         g_unichar_isspace (c);
}

/* Reads an amount as shops write it: "29.99", "1,234.50", "1.234,50",
 * "29,99" (decimal comma), "$29.99", "29.99 EUR", "CHF 1'234.50".  The
 * decimal separator is the last of '.' and ',' when both occur; a lone
 * comma is decimal unless three digits follow it.  Digit groups must be of
 * three: "12.3.4" is no amount. */
static gboolean
parse_amount (const char *text,
              double     *out_value)
{
  g_autoptr(GString) number = g_string_new (NULL);
  g_autoptr(GArray) runs = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) seps = g_array_new (FALSE, FALSE, sizeof (gunichar));
  const char *start = text, *end;
  guint n_letters = 0;
  guint run = 0;
  int decimal = -1;
  char *tail = NULL;
  double value;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return FALSE;

  /* Currency codes and symbols around the number. */
  while (*start && !g_ascii_isdigit (*start) && *start != '-' && *start != '+' && *start != '.')
    {
      gunichar c = g_utf8_get_char (start);

      if (!is_amount_decoration (c))
        return FALSE;
      n_letters += g_unichar_isalpha (c);
      start = g_utf8_next_char (start);
    }
  end = start + strlen (start);
  while (end > start)
    {
      const char *prev = g_utf8_prev_char (end);
      gunichar c = g_utf8_get_char (prev);

      if (g_ascii_isdigit (*prev))
        break;
      if (!is_amount_decoration (c))
        return FALSE;
      n_letters += g_unichar_isalpha (c);
      end = prev;
    }
  if (n_letters > 3 || start == end)
    return FALSE;

  if (*start == '-')
    return FALSE;
  if (*start == '+')
    start++;

  /* Runs of digits between separators. */
  for (const char *p = start; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_ascii_isdigit (*p))
        {
          run++;
          continue;
        }
      if (c != '.' && c != ',' && c != '\'' && c != ' ' && c != 0x00A0 && c != 0x202F && c != 0x2019)
        return FALSE;
      if (run == 0)
        return FALSE;
      g_array_append_val (runs, run);
      g_array_append_val (seps, c);
      run = 0;
    }
  if (run == 0)
    return FALSE;
  g_array_append_val (runs, run);

  if (seps->len > 0)
    {
      guint last = seps->len - 1;
      gunichar c = g_array_index (seps, gunichar, last);
      guint n_same = 0, n_other = 0;

      for (guint i = 0; i < seps->len; i++)
        {
          gunichar s = g_array_index (seps, gunichar, i);

          n_same += s == c;
          n_other += (s == '.' || s == ',') && s != c;
        }

      if ((c == '.' || c == ',') && n_same == 1 &&
          (n_other > 0 || c == '.' || g_array_index (runs, guint, last + 1) != 3))
        decimal = last;
    }

  /* Every run between grouping separators is a group of three. */
  for (guint i = 1; i < runs->len; i++)
    if ((int) i - 1 != decimal && g_array_index (runs, guint, i) != 3)
      return FALSE;

  {
    guint index = 0;

    for (const char *p = start; p < end; p = g_utf8_next_char (p))
      {
        if (g_ascii_isdigit (*p))
          g_string_append_c (number, *p);
        else if ((int) index++ == decimal)
          g_string_append_c (number, '.');
      }
  }

  value = g_ascii_strtod (number->str, &tail);
  if (tail == number->str || *tail != '\0' || !isfinite (value))
    return FALSE;

  *out_value = value;

  return TRUE;
}

/* Amounts compare as text: two decimals when exact, else 15 digits. */
static char *
format_amount (double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (value <= 0)
    return g_strdup ("");

  if (fabs (value * 100 - round (value * 100)) < 1e-6)
    return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.2f", value));

  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.15g", value));
}

static gboolean
parse_bool (const char *text,
            gboolean   *out_value)
{
  static const char * const yes[] = { "yes", "true", "1", "y" };
  static const char * const no[] = { "no", "false", "0", "n", "" };

  for (guint i = 0; i < G_N_ELEMENTS (yes); i++)
    if (g_ascii_strcasecmp (text, yes[i]) == 0)
      return *out_value = TRUE, TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (no); i++)
    if (g_ascii_strcasecmp (text, no[i]) == 0)
      return *out_value = FALSE, TRUE;

  return FALSE;
}

/* A parcel an import adds. */
typedef struct
{
  char          *number;
  char          *carrier;
  WaybillStatus  status;
} NewShipment;

static void
new_shipment_free (gpointer data)
{
  NewShipment *shipment = data;

  g_free (shipment->number);
  g_free (shipment->carrier);
  g_free (shipment);
}

static gboolean
is_placeholder (const char *text)
{
  static const char * const placeholders[] = { "n/a", "na", "none", "-", "—", "–", "null" };

  for (guint i = 0; i < G_N_ELEMENTS (placeholders); i++)
    if (g_ascii_strcasecmp (text, placeholders[i]) == 0)
      return TRUE;

  return FALSE;
}

/* Reads one tracking number with the carrier name the platform gave, if
 * any: the number goes through carrier recognition; a name is matched to
 * the carrier table.  With @check, a failing check digit is an error: the
 * number was mistyped.  Returns the reason when the number is refused. */
static char *
resolve_tracking (const char   *raw,
                  const char   *carrier_name,
                  gboolean      check,
                  NewShipment **out_shipment)
{
  const WaybillCarrier *named = NULL;
  g_autofree char *normalized = NULL;
  g_autoptr(GPtrArray) candidates = NULL;
  NewShipment *shipment;

  *out_shipment = NULL;

  /* Waybill's own exports: the number and carrier id as they were kept,
   * whatever this version thinks of them. */
  if (!check)
    {
      shipment = g_new0 (NewShipment, 1);
      shipment->status = WAYBILL_STATUS_PENDING;
      shipment->number = g_strdup (raw);
      shipment->carrier = g_strdup (carrier_name);
      *out_shipment = shipment;
      return NULL;
    }

  candidates = waybill_tracking_number_detect (raw, &normalized);
  if (*normalized == '\0')
    return g_strdup_printf (_("“%s” is not a tracking number"), raw);

  if (carrier_name != NULL)
    named = waybill_carrier_match_name (carrier_name);

  shipment = g_new0 (NewShipment, 1);
  shipment->status = WAYBILL_STATUS_PENDING;

  if (named != NULL)
    {
      g_autoptr(WaybillTrackingCandidate) verdict = waybill_tracking_number_verify (raw, named);

      if (check && verdict != NULL && verdict->check_digit == WAYBILL_CHECK_DIGIT_INVALID)
        {
          new_shipment_free (shipment);
          return g_strdup_printf (_("The check digit of tracking number %s is wrong for %s: "
                                    "it was probably mistyped"),
                                  normalized, waybill_carrier_get_name (named));
        }

      /* The platform knows the carrier even when the number is of a form
       * this version does not know. */
      shipment->carrier = g_strdup (waybill_carrier_get_id (named));
      shipment->number = g_strdup (verdict != NULL ? verdict->number : normalized);
    }
  else
    {
      const WaybillTrackingCandidate *pick = waybill_tracking_candidates_pick (candidates);
      gboolean all_fail = candidates->len > 0;

      for (guint i = 0; i < candidates->len; i++)
        {
          WaybillTrackingCandidate *candidate = g_ptr_array_index (candidates, i);

          all_fail &= candidate->check_digit == WAYBILL_CHECK_DIGIT_INVALID;
        }

      if (check && all_fail)
        {
          new_shipment_free (shipment);
          return g_strdup_printf (_("The check digit of tracking number %s is wrong: "
                                    "it was probably mistyped"), normalized);
        }

      if (pick != NULL && pick->check_digit != WAYBILL_CHECK_DIGIT_INVALID)
        {
          shipment->carrier = g_strdup (waybill_carrier_get_id (pick->carrier));
          shipment->number = g_strdup (pick->number);
        }
      else
        shipment->number = g_steal_pointer (&normalized);
    }

  *out_shipment = shipment;

  return NULL;
}

/* An order as the file has it, ready to merge. */
typedef struct
{
  char          *number;
  guint64        line;
  guint          present;
  char          *values[N_MF];
  GDateTime     *created;
  GDateTime     *updated;
  /* NewShipment from CSV, or complete WaybillShipment from JSON */
  GPtrArray     *shipments;
  GPtrArray     *full_shipments;
  GPtrArray     *announced;
} Incoming;

static Incoming *
incoming_new (const char *number,
              guint64     line)
{
  Incoming *in = g_new0 (Incoming, 1);

  in->number = g_strdup (number);
  in->line = line;
  for (guint i = 0; i < N_MF; i++)
    in->values[i] = g_strdup ("");
  in->shipments = g_ptr_array_new_with_free_func (new_shipment_free);
  in->full_shipments = g_ptr_array_new_with_free_func (g_object_unref);
  in->announced = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  return in;
}

static void
incoming_free (Incoming *in)
{
  g_free (in->number);
  for (guint i = 0; i < N_MF; i++)
    g_free (in->values[i]);
  g_clear_pointer (&in->created, g_date_time_unref);
  g_clear_pointer (&in->updated, g_date_time_unref);
  g_ptr_array_unref (in->shipments);
  g_ptr_array_unref (in->full_shipments);
  g_ptr_array_unref (in->announced);
  g_free (in);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Incoming, incoming_free)

static void
incoming_set (Incoming   *in,
              MergeField  field,
              const char *value)
{
  g_free (in->values[field]);
  in->values[field] = g_strdup (value != NULL ? value : "");
}

/* The value of a merge field of a stored order, as text. */
static char *
order_value (WaybillOrder *order,
             MergeField    field)
{
  const char *text = NULL;

  switch (field)
    {
    case MF_CUSTOMER:
      text = waybill_order_get_customer (order);
      break;
    case MF_EMAIL:
      text = waybill_order_get_email (order);
      break;
    case MF_PHONE:
      text = waybill_order_get_phone (order);
      break;
    case MF_ADDRESS:
      text = waybill_order_get_address (order);
      break;
    case MF_ITEMS:
      text = waybill_order_get_items (order);
      break;
    case MF_TOTAL:
      return format_amount (waybill_order_get_total (order));
    case MF_CURRENCY:
      text = waybill_order_get_currency (order);
      break;
    case MF_NOTE:
      text = waybill_order_get_note (order);
      break;
    case MF_STAGE:
      text = waybill_status_to_id (waybill_order_get_stage (order));
      break;
    case MF_ARCHIVED:
      text = waybill_order_get_archived (order) ? "yes" : "no";
      break;
    case N_MF:
    default:
      g_assert_not_reached ();
    }

  return g_strdup (text != NULL ? text : "");
}

static void
order_set_value (WaybillOrder *order,
                 MergeField    field,
                 const char   *value)
{
  switch (field)
    {
    case MF_CUSTOMER:
      waybill_order_set_customer (order, value);
      break;
    case MF_EMAIL:
      waybill_order_set_email (order, value);
      break;
    case MF_PHONE:
      waybill_order_set_phone (order, value);
      break;
    case MF_ADDRESS:
      waybill_order_set_address (order, value);
      break;
    case MF_ITEMS:
      waybill_order_set_items (order, value);
      break;
    case MF_TOTAL:
      waybill_order_set_total (order, *value ? g_ascii_strtod (value, NULL) : 0);
      break;
    case MF_CURRENCY:
      waybill_order_set_currency (order, value);
      break;
    case MF_NOTE:
      waybill_order_set_note (order, value);
      break;
    case MF_STAGE:
      waybill_order_set_stage (order, waybill_status_from_id (value));
      break;
    case MF_ARCHIVED:
      waybill_order_set_archived (order, g_strcmp0 (value, "yes") == 0);
      break;
    case N_MF:
    default:
      g_assert_not_reached ();
    }
}

/* A field with nothing the user could have written: filling it from the
 * file overwrites nothing. */
static gboolean
is_unset (MergeField  field,
          const char *value)
{
  if (*value == '\0')
    return TRUE;
  if (field == MF_STAGE)
    return g_str_equal (value, "received");
  if (field == MF_ARCHIVED)
    return g_str_equal (value, "no");

  return FALSE;
}

/* The run */

typedef struct
{
  WaybillImportFormat  format;
  WaybillImportFlags   flags;
  char                *mapping[WAYBILL_N_IMPORT_FIELDS];
  guint                preview_limit;
} Config;

static void
config_clear (Config *config)
{
  for (guint i = 0; i < WAYBILL_N_IMPORT_FIELDS; i++)
    g_clear_pointer (&config->mapping[i], g_free);
}

typedef void (*ProgressFunc) (double   fraction,
                              gpointer user_data);

#define MAX_ALTERNATIVES 8

typedef struct
{
  const Config        *config;
  WaybillStore        *store;
  sqlite3             *db;
  GCancellable        *cancellable;
  ProgressFunc         progress;
  gpointer             progress_data;
  double               last_progress;
  guint64              size;
  WaybillImportResult *result;
  guint                n_writes;
  /* normalised order number -> fingerprint of its first appearance */
  GHashTable          *seen;
  sqlite3_stmt        *get_base;
  sqlite3_stmt        *set_base;
  sqlite3_stmt        *set_updated;

  /* CSV */
  WaybillImportFormat  format;
  char               **header;
  guint                n_header;
  int                  columns[N_COLS][MAX_ALTERNATIVES];
  guint                n_columns[N_COLS];
  GArray              *line_item_columns;
  guint                present;
  gboolean             has_status_column;
  gboolean             check_digits;
} Run;

static void
report_progress (Run    *run,
                 double  fraction)
{
  if (run->progress == NULL || fraction < run->last_progress + 0.01)
    return;

  run->last_progress = fraction;
  run->progress (MIN (fraction, 1.0), run->progress_data);
}

static void
add_bad_row (Run        *run,
             guint64     line,
             const char *reason)
{
  WaybillImportBadRow *row;

  run->result->n_rows_bad++;
  if (run->result->rows_bad->len >= WAYBILL_IMPORT_MAX_REPORTED)
    return;

  row = g_new0 (WaybillImportBadRow, 1);
  row->line = line;
  row->reason = g_strdup (reason);
  g_ptr_array_add (run->result->rows_bad, row);
}

static void
add_conflict (Run        *run,
              const char *number,
              MergeField  field,
              const char *ours,
              const char *theirs,
              gboolean    overwritten)
{
  WaybillImportConflict *conflict;

  run->result->n_conflicts++;
  if (run->result->conflicts->len >= WAYBILL_IMPORT_MAX_REPORTED)
    return;

  conflict = g_new0 (WaybillImportConflict, 1);
  conflict->order_number = g_strdup (number);
  conflict->field = merge_field_ids[field];
  conflict->ours = g_strdup (ours);
  conflict->theirs = g_strdup (theirs);
  conflict->overwritten = overwritten;
  g_ptr_array_add (run->result->conflicts, conflict);
}

static gboolean
db_error (Run     *run,
          int      rc,
          GError **error)
{
  waybill_store_set_error_from_db (error, run->db, rc, waybill_store_get_path (run->store));

  return FALSE;
}

/* The bases of the three-way merge live in import_origins (schema 3).
 * The store has no calls for them yet, so they are read and written here,
 * on the store's connection and inside its transaction. */
static gboolean
prepare_statements (Run     *run,
                    GError **error)
{
  int rc;

  if ((rc = sqlite3_prepare_v2 (run->db, "SELECT fields FROM import_origins WHERE order_id = ?",
                                -1, &run->get_base, NULL)) != SQLITE_OK ||
      (rc = sqlite3_prepare_v2 (run->db, "INSERT OR REPLACE INTO import_origins "
                                         "(order_id, format, imported_at, fields) VALUES (?, ?, ?, ?)",
                                -1, &run->set_base, NULL)) != SQLITE_OK ||
      (rc = sqlite3_prepare_v2 (run->db,
                                "UPDATE orders SET updated = ?1, last_update = max (?1, "
                                "  coalesce ((SELECT max (last_event_at) FROM shipments "
                                "             WHERE order_id = ?2), 0)) WHERE id = ?2",
                                -1, &run->set_updated, NULL)) != SQLITE_OK)
    return db_error (run, rc, error);

  return TRUE;
}

static void
finalize_statements (Run *run)
{
  g_clear_pointer (&run->get_base, sqlite3_finalize);
  g_clear_pointer (&run->set_base, sqlite3_finalize);
  g_clear_pointer (&run->set_updated, sqlite3_finalize);
}

/* Reads the values the last import wrote into @base (field id -> text). */
static gboolean
load_base (Run         *run,
           gint64       order_id,
           GHashTable  *base,
           gboolean    *out_found,
           GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  int rc;

  *out_found = FALSE;

  sqlite3_reset (run->get_base);
  sqlite3_bind_int64 (run->get_base, 1, order_id);
  rc = sqlite3_step (run->get_base);
  if (rc == SQLITE_DONE)
    {
      sqlite3_reset (run->get_base);
      return TRUE;
    }
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (run->get_base);
      return db_error (run, rc, error);
    }

  /* A damaged base is no base: every difference becomes a conflict. */
  if (json_parser_load_from_data (parser, (const char *) sqlite3_column_text (run->get_base, 0), -1, NULL) &&
      (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object = json_node_get_object (root);

      for (guint i = 0; i < N_MF; i++)
        {
          JsonNode *node = json_object_get_member (object, merge_field_ids[i]);

          if (node != NULL && json_node_get_value_type (node) == G_TYPE_STRING)
            g_hash_table_insert (base, (gpointer) merge_field_ids[i],
                                 g_strdup (json_node_get_string (node)));
        }
      *out_found = TRUE;
    }
  sqlite3_reset (run->get_base);

  return TRUE;
}

static gboolean
save_base (Run         *run,
           gint64       order_id,
           GHashTable  *base,
           GError     **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  int rc;

  json_builder_begin_object (builder);
  for (guint i = 0; i < N_MF; i++)
    {
      const char *value = g_hash_table_lookup (base, merge_field_ids[i]);

      if (value == NULL)
        continue;
      json_builder_set_member_name (builder, merge_field_ids[i]);
      json_builder_add_string_value (builder, value);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);

  sqlite3_reset (run->set_base);
  sqlite3_bind_int64 (run->set_base, 1, order_id);
  sqlite3_bind_text (run->set_base, 2, waybill_import_format_to_id (run->format), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (run->set_base, 3, g_get_real_time () / G_USEC_PER_SEC);
  sqlite3_bind_text (run->set_base, 4, text, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (run->set_base);
  sqlite3_reset (run->set_base);
  if (rc != SQLITE_DONE)
    return db_error (run, rc, error);

  run->n_writes++;

  return TRUE;
}

static gboolean
restore_updated (Run        *run,
                 gint64      order_id,
                 GDateTime  *updated,
                 GError    **error)
{
  int rc;

  sqlite3_reset (run->set_updated);
  sqlite3_bind_int64 (run->set_updated, 1, g_date_time_to_unix (updated));
  sqlite3_bind_int64 (run->set_updated, 2, order_id);
  rc = sqlite3_step (run->set_updated);
  sqlite3_reset (run->set_updated);
  if (rc != SQLITE_DONE)
    return db_error (run, rc, error);

  return TRUE;
}

static char *
normalize_order_number (const char *number)
{
  return g_utf8_casefold (number[0] == '#' ? number + 1 : number, -1);
}

/* What the file says of an order, to tell a repeat from a different order
 * with the same number. */
static char *
fingerprint (Incoming *in)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  for (guint i = 0; i < N_MF; i++)
    if (in->present & (1u << i))
      {
        g_checksum_update (checksum, (const guchar *) in->values[i], -1);
        g_checksum_update (checksum, (const guchar *) "\x1f", 1);
      }

  return g_strdup (g_checksum_get_string (checksum));
}

static WaybillShipment *
shipment_from_new (NewShipment *new_shipment)
{
  WaybillShipment *shipment = waybill_shipment_new (new_shipment->carrier, new_shipment->number);

  waybill_shipment_set_status (shipment, new_shipment->status);

  return shipment;
}

static WaybillShipment *
copy_shipment (WaybillShipment *shipment)
{
  WaybillShipment *copy = waybill_shipment_new (waybill_shipment_get_carrier (shipment),
                                                waybill_shipment_get_tracking_number (shipment));

  waybill_shipment_set_status (copy, waybill_shipment_get_status (shipment));

  return copy;
}

/* Builds the order @in describes, with new shipments; @for_store adds
 * the complete shipments of a JSON export themselves. */
static WaybillOrder *
incoming_to_order (Incoming *in,
                   gboolean  for_store)
{
  WaybillOrder *order = waybill_order_new (in->number, NULL);

  for (guint i = 0; i < N_MF; i++)
    if (in->present & (1u << i))
      order_set_value (order, i, in->values[i]);

  if (in->created != NULL)
    waybill_order_set_created (order, in->created);

  for (guint i = 0; i < in->shipments->len; i++)
    {
      g_autoptr(WaybillShipment) shipment = shipment_from_new (g_ptr_array_index (in->shipments, i));

      waybill_order_add_shipment (order, shipment);
    }
  for (guint i = 0; i < in->full_shipments->len; i++)
    {
      WaybillShipment *full = g_ptr_array_index (in->full_shipments, i);
      g_autoptr(WaybillShipment) shipment = for_store ? g_object_ref (full) : copy_shipment (full);

      waybill_order_add_shipment (order, shipment);
    }

  /* A new order with parcels has left, unless the file says otherwise. */
  if (!(in->present & (1u << MF_STAGE)) && waybill_order_get_shipments (order)->len > 0)
    waybill_order_set_stage (order, WAYBILL_STATUS_SHIPPED);

  waybill_order_update_display_status (order);

  return order;
}

static gboolean
mark_announced (Run              *run,
                WaybillShipment  *shipment,
                const char * const *statuses,
                GError          **error)
{
  for (guint i = 0; statuses != NULL && statuses[i] != NULL; i++)
    {
      WaybillStatus status = waybill_status_from_id (statuses[i]);

      if (status != WAYBILL_STATUS_INVALID &&
          !waybill_store_mark_announced (run->store, waybill_shipment_get_id (shipment), status,
                                         NULL, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
create_order (Run       *run,
              Incoming  *in,
              GError   **error)
{
  g_autoptr(WaybillOrder) order = incoming_to_order (in, TRUE);
  g_autoptr(GHashTable) base = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  GPtrArray *shipments;
  gint64 id;

  if (!waybill_store_create_order (run->store, order, error))
    return FALSE;
  id = waybill_order_get_id (order);
  run->n_writes++;

  if (in->updated != NULL && !restore_updated (run, id, in->updated, error))
    return FALSE;

  /* The complete shipments come after the new ones, in the same order as
   * their lists of announced statuses. */
  shipments = waybill_order_get_shipments (order);
  for (guint i = 0; i < in->announced->len; i++)
    if (!mark_announced (run, g_ptr_array_index (shipments, in->shipments->len + i),
                         g_ptr_array_index (in->announced, i), error))
      return FALSE;

  for (guint i = 0; i < N_MF; i++)
    if (in->present & (1u << i))
      g_hash_table_insert (base, (gpointer) merge_field_ids[i], g_strdup (in->values[i]));
  if (!save_base (run, id, base, error))
    return FALSE;

  run->result->orders_new++;
  run->result->shipments_new += shipments->len;

  return TRUE;
}

static gboolean
has_tracking_number (WaybillOrder *order,
                     const char   *number)
{
  GPtrArray *shipments = waybill_order_get_shipments (order);

  for (guint i = 0; i < shipments->len; i++)
    if (g_strcmp0 (waybill_shipment_get_tracking_number (g_ptr_array_index (shipments, i)), number) == 0)
      return TRUE;

  return FALSE;
}

static gboolean
add_shipment (Run                *run,
              WaybillOrder       *order,
              WaybillShipment    *shipment,
              const char * const *announced,
              guint              *n_added,
              GError            **error)
{
  if (has_tracking_number (order, waybill_shipment_get_tracking_number (shipment)))
    return TRUE;

  if (!waybill_store_add_shipment (run->store, waybill_order_get_id (order), shipment, error) ||
      !mark_announced (run, shipment, announced, error))
    return FALSE;

  waybill_order_add_shipment (order, shipment);
  run->n_writes++;
  (*n_added)++;

  return TRUE;
}

/* Merges @in into the stored @order, field by field (see the top). */
static gboolean
merge_order (Run           *run,
             Incoming      *in,
             WaybillOrder  *order,
             GError       **error)
{
  g_autoptr(GHashTable) base = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  gboolean overwrite = (run->config->flags & WAYBILL_IMPORT_OVERWRITE_EDITS) != 0;
  gboolean has_base = FALSE;
  gboolean base_changed = FALSE;
  gboolean changed = FALSE;
  gint64 id = waybill_order_get_id (order);
  guint n_added = 0;

  if (!load_base (run, id, base, &has_base, error))
    return FALSE;

  for (guint i = 0; i < N_MF; i++)
    {
      g_autofree char *ours = NULL;
      const char *theirs = in->values[i];
      const char *before;

      if (!(in->present & (1u << i)))
        continue;

      ours = order_value (order, i);
      before = g_hash_table_lookup (base, merge_field_ids[i]);

      if (g_str_equal (ours, theirs))
        {
          /* Both agree, whoever changed it. */
          if (g_strcmp0 (before, theirs) != 0)
            {
              g_hash_table_insert (base, (gpointer) merge_field_ids[i], g_strdup (theirs));
              base_changed = TRUE;
            }
          continue;
        }

      /* The file has not changed it since the last import: the value in
       * Waybill is the user's. */
      if (before != NULL && g_str_equal (before, theirs))
        continue;

      if ((before != NULL && g_str_equal (before, ours)) ||
          (before == NULL && is_unset (i, ours)))
        {
          order_set_value (order, i, theirs);
          changed = TRUE;
        }
      else
        {
          add_conflict (run, in->number, i, ours, theirs, overwrite);
          if (!overwrite)
            continue;
          order_set_value (order, i, theirs);
          changed = TRUE;
        }

      g_hash_table_insert (base, (gpointer) merge_field_ids[i], g_strdup (theirs));
      base_changed = TRUE;
    }

  if (changed)
    {
      if (!waybill_store_update_order (run->store, order, error))
        return FALSE;
      run->n_writes++;
    }

  for (guint i = 0; i < in->shipments->len; i++)
    {
      g_autoptr(WaybillShipment) shipment = shipment_from_new (g_ptr_array_index (in->shipments, i));

      if (!add_shipment (run, order, shipment, NULL, &n_added, error))
        return FALSE;
    }
  for (guint i = 0; i < in->full_shipments->len; i++)
    if (!add_shipment (run, order, g_ptr_array_index (in->full_shipments, i),
                       g_ptr_array_index (in->announced, i), &n_added, error))
      return FALSE;

  if ((base_changed || !has_base) && !save_base (run, id, base, error))
    return FALSE;

  if (changed || n_added > 0)
    run->result->orders_updated++;
  else
    run->result->orders_unchanged++;
  run->result->shipments_new += n_added;

  return TRUE;
}

static gboolean
fields_differ (Incoming     *in,
               WaybillOrder *order)
{
  for (guint i = 0; i < N_MF; i++)
    {
      g_autofree char *ours = NULL;

      if (!(in->present & (1u << i)))
        continue;
      ours = order_value (order, i);
      if (!g_str_equal (ours, in->values[i]))
        return TRUE;
    }

  return FALSE;
}

/* Writes one order of the file. */
static gboolean
apply_incoming (Run       *run,
                Incoming  *in,
                GError   **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(WaybillOrder) existing = NULL;
  g_autofree char *key = normalize_order_number (in->number);
  g_autofree char *print = fingerprint (in);
  const char *first_print;

  if (run->result->preview->len < run->config->preview_limit)
    g_ptr_array_add (run->result->preview, incoming_to_order (in, FALSE));

  existing = waybill_store_find_order (run->store, in->number, &local_error);
  if (existing == NULL && g_error_matches (local_error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_NOT_FOUND) &&
      in->number[0] != '#')
    {
      /* Typed in Waybill as Shopify shows it: "#1001". */
      g_autofree char *hashed = g_strconcat ("#", in->number, NULL);

      g_clear_error (&local_error);
      existing = waybill_store_find_order (run->store, hashed, &local_error);
    }
  if (existing == NULL && !g_error_matches (local_error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  /* The same order again further down the file: its shipments are welcome,
   * different details are not (which of the two would be right?). */
  first_print = g_hash_table_lookup (run->seen, key);
  if (first_print != NULL && existing != NULL)
    {
      guint n_added = 0;

      if (!g_str_equal (first_print, print) && fields_differ (in, existing))
        {
          g_autofree char *reason = g_strdup_printf (_("Order %s appears again with different "
                                                       "details; the first one was kept"),
                                                     in->number);

          add_bad_row (run, in->line, reason);
          return TRUE;
        }

      for (guint i = 0; i < in->shipments->len; i++)
        {
          g_autoptr(WaybillShipment) shipment = shipment_from_new (g_ptr_array_index (in->shipments, i));

          if (!add_shipment (run, existing, shipment, NULL, &n_added, error))
            return FALSE;
        }
      for (guint i = 0; i < in->full_shipments->len; i++)
        if (!add_shipment (run, existing, g_ptr_array_index (in->full_shipments, i),
                           g_ptr_array_index (in->announced, i), &n_added, error))
          return FALSE;
      run->result->shipments_new += n_added;

      return TRUE;
    }

  g_hash_table_insert (run->seen, g_steal_pointer (&key), g_steal_pointer (&print));

  if (existing == NULL)
    return create_order (run, in, error);

  return merge_order (run, in, existing, error);
}

/* CSV */

static gboolean
header_equal (const char *a,
              const char *b)
{
  return g_ascii_strcasecmp (a, b) == 0;
}

static int
find_header (Run        *run,
             const char *name)
{
  for (guint i = 0; i < run->n_header; i++)
    if (header_equal (run->header[i], name))
      return i;

  return -1;
}

static void
add_column (Run    *run,
            Column  column,
            int     index)
{
  if (index < 0 || run->n_columns[column] >= MAX_ALTERNATIVES)
    return;

  for (guint i = 0; i < run->n_columns[column]; i++)
    if (run->columns[column][i] == index)
      return;

  run->columns[column][run->n_columns[column]++] = index;
}

static void
resolve_table (Run              *run,
               const ColumnName *table,
               guint             n_table)
{
  for (guint i = 0; i < n_table; i++)
    add_column (run, table[i].column, find_header (run, table[i].name));
}

static WaybillImportFormat
detect_format (char  **header,
               guint   n_header)
{
  for (guint s = 0; s < G_N_ELEMENTS (signatures); s++)
    {
      gboolean all = TRUE;

      for (guint k = 0; k < G_N_ELEMENTS (signatures[s].names) && signatures[s].names[k]; k++)
        {
          gboolean found = FALSE;

          for (guint i = 0; i < n_header && !found; i++)
            found = header_equal (header[i], signatures[s].names[k]);
          all &= found;
        }

      if (all)
        return signatures[s].format;
    }

  return WAYBILL_IMPORT_FORMAT_INVALID;
}

static gboolean
has_mapping (const Config *config)
{
  for (guint i = 0; i < WAYBILL_N_IMPORT_FIELDS; i++)
    if (config->mapping[i] != NULL)
      return TRUE;

  return FALSE;
}

/* Decides the format and which column holds what. */
static gboolean
resolve_columns (Run     *run,
                 GError **error)
{
  WaybillImportFormat detected = detect_format (run->header, run->n_header);
  WaybillImportFormat format = run->config->format;

  if (format == WAYBILL_IMPORT_FORMAT_AUTO || format == WAYBILL_IMPORT_FORMAT_WAYBILL_JSON)
    {
      if (detected != WAYBILL_IMPORT_FORMAT_INVALID)
        format = detected;
      else if (has_mapping (run->config))
        format = WAYBILL_IMPORT_FORMAT_CUSTOM;
      else
        {
          g_set_error (error, WAYBILL_IMPORT_ERROR, WAYBILL_IMPORT_ERROR_UNKNOWN_FORMAT,
                       _("The columns of this file are not those of a Shopify, WooCommerce, "
                         "Etsy or Waybill export; say which column holds the order number, "
                         "the customer and the other fields"));
          return FALSE;
        }
    }

  run->format = format;
  run->result->format = format;

  for (guint i = 0; i < N_COLS; i++)
    run->n_columns[i] = 0;

  switch (format)
    {
    case WAYBILL_IMPORT_FORMAT_SHOPIFY:
      resolve_table (run, shopify_columns, G_N_ELEMENTS (shopify_columns));
      break;
    case WAYBILL_IMPORT_FORMAT_WOOCOMMERCE:
      resolve_table (run, woocommerce_columns, G_N_ELEMENTS (woocommerce_columns));
      /* Older exporters put each line item in a column of its own:
       * line_item_1 = "name:Mug|product_id:12|quantity:2|total:20.00". */
      for (guint i = 0; i < run->n_header; i++)
        if (g_ascii_strncasecmp (run->header[i], "line_item_", 10) == 0)
          g_array_append_val (run->line_item_columns, i);
      break;
    case WAYBILL_IMPORT_FORMAT_ETSY:
      resolve_table (run, etsy_columns, G_N_ELEMENTS (etsy_columns));
      break;
    case WAYBILL_IMPORT_FORMAT_WAYBILL:
      resolve_table (run, waybill_columns, G_N_ELEMENTS (waybill_columns));
      break;
    case WAYBILL_IMPORT_FORMAT_CUSTOM:
      break;
    case WAYBILL_IMPORT_FORMAT_AUTO:
    case WAYBILL_IMPORT_FORMAT_WAYBILL_JSON:
    case WAYBILL_N_IMPORT_FORMATS:
    case WAYBILL_IMPORT_FORMAT_INVALID:
    default:
      g_assert_not_reached ();
    }

  /* A mapping given by the user wins over what the format says. */
  for (guint f = 0; f < WAYBILL_N_IMPORT_FIELDS; f++)
    {
      const char *name = run->config->mapping[f];
      Column column = field_columns[f];
      int index;

      if (name == NULL)
        continue;

      index = find_header (run, name);
      if (index < 0)
        {
          g_set_error (error, WAYBILL_IMPORT_ERROR, WAYBILL_IMPORT_ERROR_MAPPING,
                       _("The file has no column “%s” (mapped to %s)"), name, field_ids[f]);
          return FALSE;
        }
      run->n_columns[column] = 0;
      add_column (run, column, index);

      /* A mapped address or customer is the whole of it. */
      if (column == COL_ADDRESS)
        for (Column c = COL_SHIP_NAME; c <= COL_SHIP_COUNTRY; c++)
          run->n_columns[c] = 0;
      if (column == COL_CUSTOMER)
        run->n_columns[COL_FIRST_NAME] = run->n_columns[COL_LAST_NAME] = 0;
      if (column == COL_ITEMS)
        run->n_columns[COL_ITEM_NAME] = 0;
    }

  if (run->n_columns[COL_ORDER_NUMBER] == 0)
    {
      if (run->config->format != WAYBILL_IMPORT_FORMAT_AUTO && format != detected &&
          format != WAYBILL_IMPORT_FORMAT_CUSTOM)
        g_set_error (error, WAYBILL_IMPORT_ERROR, WAYBILL_IMPORT_ERROR_WRONG_FORMAT,
                     _("This file is not a %s: it has no column with the order number"),
                     waybill_import_format_get_label (format));
      else
        g_set_error (error, WAYBILL_IMPORT_ERROR, WAYBILL_IMPORT_ERROR_MAPPING,
                     _("Say which column holds the order number (order_number)"));
      return FALSE;
    }

  run->present = 0;
  for (guint i = 0; i < N_MF; i++)
    for (guint k = 0; k < merge_sources[i].n_columns; k++)
      if (run->n_columns[merge_sources[i].columns[k]] > 0)
        run->present |= 1u << merge_sources[i].field;
  if (run->line_item_columns->len > 0)
    run->present |= 1u << MF_ITEMS;
  run->has_status_column = run->n_columns[COL_STAGE] > 0 || run->n_columns[COL_STATUS] > 0 ||
                           run->n_columns[COL_FULFILLMENT] > 0;

  /* Waybill's own exports hold numbers the user kept on purpose. */
  run->check_digits = format != WAYBILL_IMPORT_FORMAT_WAYBILL;

  return TRUE;
}

/* One row's values, by column, and the header name each came from. */
typedef struct
{
  char       *values[N_COLS];
  const char *sources[N_COLS];
} Row;

static void
row_clear (Row *row)
{
  for (guint i = 0; i < N_COLS; i++)
    g_clear_pointer (&row->values[i], g_free);
}

static void
row_read (Run                *run,
          const char * const *fields,
          guint               n_fields,
          Row                *row)
{
  for (guint c = 0; c < N_COLS; c++)
    for (guint k = 0; k < run->n_columns[c] && row->values[c] == NULL; k++)
      {
        int index = run->columns[c][k];

        if ((guint) index < n_fields && (row->values[c] = clean (fields[index])) != NULL)
          row->sources[c] = run->header[index];
      }
}

/* The rows of one order, one after the other in the file. */
typedef struct
{
  char      *number;
  guint64    line;
  gboolean   bad;
  /* the first value of each column over the rows */
  char      *values[N_COLS];
  GString   *items;
  double     item_total;
  gboolean   has_item_total;
  double     shipping_and_tax;
  GPtrArray *shipments;
  GHashTable *rows;
} Group;

static Group *
group_new (const char *number,
           guint64     line)
{
  Group *group = g_new0 (Group, 1);

  group->number = g_strdup (number);
  group->line = line;
  group->items = g_string_new (NULL);
  group->shipments = g_ptr_array_new_with_free_func (new_shipment_free);
  group->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  return group;
}

static void
group_free (Group *group)
{
  g_free (group->number);
  for (guint i = 0; i < N_COLS; i++)
    g_free (group->values[i]);
  g_string_free (group->items, TRUE);
  g_ptr_array_unref (group->shipments);
  g_hash_table_unref (group->rows);
  g_free (group);
}

static char *
join_nonempty (const char *separator,
               ...)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *part;
  va_list args;

  va_start (args, separator);
  while ((part = va_arg (args, const char *)) != (const char *) -1)
    {
      if (part == NULL || *part == '\0')
        continue;
      if (out->len > 0)
        g_string_append (out, separator);
      g_string_append (out, part);
    }
  va_end (args);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

#define END_OF_PARTS ((const char *) -1)

static char *
build_address (char **v)
{
  g_autofree char *name = NULL;
  g_autofree char *place = NULL;
  g_autofree char *city = NULL;
  const char *street1 = v[COL_SHIP_ADDRESS1];
  const char *street2 = v[COL_SHIP_ADDRESS2];

  if (v[COL_ADDRESS] != NULL)
    return g_strdup (v[COL_ADDRESS]);

  name = v[COL_SHIP_NAME] != NULL
         ? g_strdup (v[COL_SHIP_NAME])
         : join_nonempty (" ", v[COL_SHIP_FIRST_NAME], v[COL_SHIP_LAST_NAME], END_OF_PARTS);
  if (street1 == NULL)
    {
      street1 = v[COL_SHIP_STREET];
      street2 = NULL;
    }
  city = join_nonempty (", ", v[COL_SHIP_CITY], v[COL_SHIP_PROVINCE], END_OF_PARTS);
  place = join_nonempty (" ", city, v[COL_SHIP_ZIP], END_OF_PARTS);

  /* A name alone is no address. */
  if (street1 == NULL && street2 == NULL && *place == '\0' && v[COL_SHIP_COUNTRY] == NULL)
    return g_strdup ("");

  return join_nonempty ("\n", name, v[COL_SHIP_COMPANY], street1, street2, place,
                        v[COL_SHIP_COUNTRY], END_OF_PARTS);
}

static gboolean
status_is (const char         *status,
           const char * const *values)
{
  for (guint i = 0; values[i] != NULL; i++)
    if (g_ascii_strcasecmp (status, values[i]) == 0)
      return TRUE;

  return FALSE;
}

/* The order stage from the platform's statuses. */
static WaybillStatus
derive_stage (char **v)
{
  static const char * const cancelled[] = { "cancelled", "canceled", "refunded", "failed", "voided",
                                            "restocked", "trash", NULL };
  static const char * const shipped[] = { "completed", "complete", "shipped", "fulfilled",
                                          "delivered", NULL };
  static const char * const processing[] = { "processing", "on-hold", "on hold", "partial",
                                             "partially fulfilled", "partially shipped", "paid",
                                             "open", "in progress", NULL };
  const char *status = v[COL_STATUS] ? v[COL_STATUS] : "";
  const char *fulfillment = v[COL_FULFILLMENT] ? v[COL_FULFILLMENT] : "";

  if (v[COL_STAGE] != NULL)
    return waybill_status_from_id (v[COL_STAGE]);

  if (g_str_has_prefix (status, "wc-"))
    status += 3;

  if (v[COL_CANCELLED_AT] != NULL || status_is (status, cancelled) || status_is (fulfillment, cancelled))
    return WAYBILL_STATUS_CANCELLED;
  if (status_is (status, shipped) || status_is (fulfillment, shipped) || v[COL_SHIPPED_AT] != NULL)
    return WAYBILL_STATUS_SHIPPED;
  if (status_is (status, processing) || status_is (fulfillment, processing))
    return WAYBILL_STATUS_PROCESSING;

  return WAYBILL_STATUS_RECEIVED;
}

static Incoming *
group_finish (Run   *run,
              Group *group)
{
  Incoming *in = incoming_new (group->number, group->line);
  char **v = group->values;
  g_autofree char *customer = NULL;
  g_autofree char *address = NULL;
  g_autofree char *total = NULL;

  in->present = run->present;

  if (v[COL_CUSTOMER] != NULL)
    customer = g_strdup (v[COL_CUSTOMER]);
  else
    customer = join_nonempty (" ", v[COL_FIRST_NAME], v[COL_LAST_NAME], END_OF_PARTS);
  if (*customer == '\0')
    {
      g_free (customer);
      customer = v[COL_SHIP_NAME] != NULL
                 ? g_strdup (v[COL_SHIP_NAME])
                 : join_nonempty (" ", v[COL_SHIP_FIRST_NAME], v[COL_SHIP_LAST_NAME], END_OF_PARTS);
    }
  incoming_set (in, MF_CUSTOMER, customer);
  incoming_set (in, MF_EMAIL, v[COL_EMAIL]);
  incoming_set (in, MF_PHONE, v[COL_PHONE]);
  address = build_address (v);
  incoming_set (in, MF_ADDRESS, address);
  incoming_set (in, MF_ITEMS, v[COL_ITEMS] != NULL ? v[COL_ITEMS] : group->items->str);

  if (v[COL_TOTAL] != NULL)
    {
      double value = 0;

      parse_amount (v[COL_TOTAL], &value);
      total = format_amount (value);
    }
  else if (group->has_item_total)
    total = format_amount (group->item_total + group->shipping_and_tax);
  incoming_set (in, MF_TOTAL, total);

  incoming_set (in, MF_CURRENCY, v[COL_CURRENCY] != NULL ? v[COL_CURRENCY] : NULL);
  if (v[COL_CURRENCY] != NULL && strlen (v[COL_CURRENCY]) == 3)
    {
      g_autofree char *upper = g_ascii_strup (v[COL_CURRENCY], -1);

      incoming_set (in, MF_CURRENCY, upper);
    }
  incoming_set (in, MF_NOTE, v[COL_NOTE]);
  incoming_set (in, MF_STAGE, waybill_status_to_id (derive_stage (v)));
  /* Without a status column, only a shipping or cancelling date says
   * something of the stage; its absence says nothing. */
  if (!run->has_status_column && v[COL_SHIPPED_AT] == NULL && v[COL_CANCELLED_AT] == NULL)
    in->present &= ~(1u << MF_STAGE);
  if (v[COL_ARCHIVED] != NULL)
    {
      gboolean archived = FALSE;

      parse_bool (v[COL_ARCHIVED], &archived);
      incoming_set (in, MF_ARCHIVED, archived ? "yes" : "no");
    }
  else
    incoming_set (in, MF_ARCHIVED, "no");

  in->created = parse_date (v[COL_CREATED]);

  g_ptr_array_extend_and_steal (in->shipments, g_steal_pointer (&group->shipments));
  group->shipments = g_ptr_array_new_with_free_func (new_shipment_free);

  return in;
}

/* "name:Mug|product_id:12|quantity:2|total:20.00" -> "2 × Mug" */
static char *
parse_line_item_column (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, "|", -1);
  const char *name = NULL, *quantity = NULL;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (g_str_has_prefix (parts[i], "name:"))
        name = parts[i] + 5;
      else if (g_str_has_prefix (parts[i], "quantity:"))
        quantity = parts[i] + 9;
    }

  if (name == NULL)
    return g_strdup (text);
  if (quantity == NULL || *quantity == '\0')
    return g_strdup (name);

  return g_strdup_printf ("%s × %s", quantity, name);
}

static void
append_item (GString    *items,
             const char *name,
             const char *quantity,
             const char *variant)
{
  if (name == NULL)
    return;

  if (items->len > 0)
    g_string_append_c (items, '\n');
  if (quantity != NULL)
    g_string_append_printf (items, "%s × ", quantity);
  g_string_append (items, name);
  if (variant != NULL)
    g_string_append_printf (items, " (%s)", variant);
}

/* Checks a row.  Returns the reason when it is bad; otherwise fills in
 * the shipments it names. */
static char *
check_row (Run       *run,
           Row       *row,
           GPtrArray *shipments)
{
  static const Column dates[] = { COL_CREATED, COL_SHIPPED_AT, COL_CANCELLED_AT };
  static const Column amounts[] = { COL_TOTAL, COL_ITEM_TOTAL, COL_ORDER_SHIPPING, COL_ORDER_TAX };
  char **v = row->values;

  for (guint i = 0; i < G_N_ELEMENTS (dates); i++)
    {
      g_autoptr(GDateTime) date = NULL;

      if (v[dates[i]] == NULL)
        continue;
      date = parse_date (v[dates[i]]);
      if (date == NULL)
        return g_strdup_printf (_("The date “%s” in column “%s” cannot be read"),
                                v[dates[i]], row->sources[dates[i]]);
    }

  for (guint i = 0; i < G_N_ELEMENTS (amounts); i++)
    {
      double value;

      if (v[amounts[i]] != NULL && !parse_amount (v[amounts[i]], &value))
        return g_strdup_printf (_("The amount “%s” in column “%s” cannot be read"),
                                v[amounts[i]], row->sources[amounts[i]]);
    }

  if (v[COL_STAGE] != NULL &&
      !waybill_status_is_order_stage (waybill_status_from_id (v[COL_STAGE])))
    return g_strdup_printf (_("“%s” in column “%s” is not an order stage"),
                            v[COL_STAGE], row->sources[COL_STAGE]);

  if (v[COL_SHIPMENT_STATUS] != NULL)
    {
      WaybillStatus status = waybill_status_from_id (v[COL_SHIPMENT_STATUS]);

      if (status == WAYBILL_STATUS_INVALID || waybill_status_is_order_stage (status))
        return g_strdup_printf (_("“%s” in column “%s” is not a shipment status"),
                                v[COL_SHIPMENT_STATUS], row->sources[COL_SHIPMENT_STATUS]);
    }

  if (v[COL_ARCHIVED] != NULL)
    {
      gboolean archived;

      if (!parse_bool (v[COL_ARCHIVED], &archived))
        return g_strdup_printf (_("“%s” in column “%s” is neither yes nor no"),
                                v[COL_ARCHIVED], row->sources[COL_ARCHIVED]);
    }

  if (v[COL_TRACKING_NUMBER] != NULL)
    {
      const char *carrier = v[COL_CARRIER] != NULL ? v[COL_CARRIER] : v[COL_CUSTOM_CARRIER];
      g_auto(GStrv) numbers = g_strsplit_set (v[COL_TRACKING_NUMBER], ",;|\n", -1);

      for (guint i = 0; numbers[i] != NULL; i++)
        {
          NewShipment *shipment = NULL;
          char *reason;

          g_strstrip (numbers[i]);
          if (*numbers[i] == '\0' || is_placeholder (numbers[i]))
            continue;

          reason = resolve_tracking (numbers[i], carrier, run->check_digits, &shipment);
          if (reason != NULL)
            return reason;

          if (v[COL_SHIPMENT_STATUS] != NULL)
            shipment->status = waybill_status_from_id (v[COL_SHIPMENT_STATUS]);
          g_ptr_array_add (shipments, shipment);
        }
    }

  return NULL;
}

static gboolean
flush_group (Run     *run,
             Group  **group,
             GError **error)
{
  g_autoptr(Incoming) in = NULL;

  if (*group == NULL)
    return TRUE;

  if (!(*group)->bad)
    in = group_finish (run, *group);
  g_clear_pointer (group, group_free);

  return in == NULL || apply_incoming (run, in, error);
}

static gboolean
row_fields_all_empty (const char * const *fields,
                      guint               from,
                      guint               to)
{
  for (guint i = from; i < to; i++)
    if (!is_blank (fields[i]))
      return FALSE;

  return TRUE;
}

static char *
row_key (const char * const *fields,
         guint               n_fields)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  for (guint i = 0; i < n_fields; i++)
    {
      g_checksum_update (checksum, (const guchar *) fields[i], -1);
      g_checksum_update (checksum, (const guchar *) "\x1f", 1);
    }

  return g_strdup (g_checksum_get_string (checksum));
}

static gboolean
process_row (Run                 *run,
             const char * const  *fields,
             guint                n_fields,
             guint64              line,
             Group              **group,
             GError             **error)
{
  g_autoptr(GPtrArray) shipments = g_ptr_array_new_with_free_func (new_shipment_free);
  g_autofree char *reason = NULL;
  g_autofree char *key = NULL;
  Row row = { { 0 } };
  const char *number;
  gboolean ok = TRUE;

  if (n_fields < run->n_header ||
      (n_fields > run->n_header && !row_fields_all_empty (fields, run->n_header, n_fields)))
    {
      g_autofree char *wrong = g_strdup_printf (_("This row has %u fields where the header has %u"),
                                                n_fields, run->n_header);

      add_bad_row (run, line, wrong);
      /* If it names the current order, that order is incomplete. */
      row_read (run, fields, n_fields, &row);
      if (*group != NULL && row.values[COL_ORDER_NUMBER] != NULL &&
          g_str_equal (row.values[COL_ORDER_NUMBER], (*group)->number))
        (*group)->bad = TRUE;
      row_clear (&row);
      return TRUE;
    }

  row_read (run, fields, n_fields, &row);
  number = row.values[COL_ORDER_NUMBER];

  /* Shopify writes "#1001" where the shop says order 1001; Waybill finds
   * either from "1001" (its own exports keep numbers as they are). */
  if (number != NULL && number[0] == '#' && run->format != WAYBILL_IMPORT_FORMAT_WAYBILL)
    {
      memmove (row.values[COL_ORDER_NUMBER], number + 1, strlen (number));
      g_strchug (row.values[COL_ORDER_NUMBER]);
      if (*number == '\0')
        g_clear_pointer (&row.values[COL_ORDER_NUMBER], g_free);
      number = row.values[COL_ORDER_NUMBER];
    }

  if (number == NULL)
    {
      add_bad_row (run, line, _("The order number is missing"));
      goto out;
    }

  if (*group != NULL && !g_str_equal ((*group)->number, number))
    {
      ok = flush_group (run, group, error);
      if (!ok)
        goto out;
    }
  if (*group == NULL)
    *group = group_new (number, line);

  reason = check_row (run, &row, shipments);
  if (reason != NULL)
    {
      add_bad_row (run, line, reason);
      (*group)->bad = TRUE;
      goto out;
    }

  /* The very same row twice adds nothing. */
  key = row_key (fields, n_fields);
  if (!g_hash_table_add ((*group)->rows, g_steal_pointer (&key)))
    goto out;

  for (guint c = 0; c < N_COLS; c++)
    if ((*group)->values[c] == NULL && row.values[c] != NULL)
      (*group)->values[c] = g_strdup (row.values[c]);

  append_item ((*group)->items, row.values[COL_ITEM_NAME], row.values[COL_ITEM_QUANTITY],
               row.values[COL_ITEM_VARIANT]);
  for (guint i = 0; i < run->line_item_columns->len; i++)
    {
      guint index = g_array_index (run->line_item_columns, guint, i);
      g_autofree char *item = NULL;

      if (index >= n_fields || is_blank (fields[index]))
        continue;
      item = parse_line_item_column (fields[index]);
      append_item ((*group)->items, item, NULL, NULL);
    }

  if (row.values[COL_ITEM_TOTAL] != NULL)
    {
      double value = 0;

      parse_amount (row.values[COL_ITEM_TOTAL], &value);
      (*group)->item_total += value;
      if (!(*group)->has_item_total)
        {
          double shipping = 0, tax = 0;

          /* Etsy repeats the order's shipping and tax on every item. */
          if (row.values[COL_ORDER_SHIPPING] != NULL)
            parse_amount (row.values[COL_ORDER_SHIPPING], &shipping);
          if (row.values[COL_ORDER_TAX] != NULL)
            parse_amount (row.values[COL_ORDER_TAX], &tax);
          (*group)->shipping_and_tax = shipping + tax;
        }
      (*group)->has_item_total = TRUE;
    }

  for (guint i = 0; i < shipments->len; i++)
    {
      NewShipment *shipment = g_ptr_array_index (shipments, i);
      gboolean known = FALSE;

      for (guint k = 0; k < (*group)->shipments->len && !known; k++)
        known = g_str_equal (((NewShipment *) g_ptr_array_index ((*group)->shipments, k))->number,
                             shipment->number);
      if (!known)
        g_ptr_array_add ((*group)->shipments, g_ptr_array_steal_index (shipments, i--));
    }

out:
  row_clear (&row);

  return ok;
}

static gboolean
is_record_error (const GError *error)
{
  return g_error_matches (error, WAYBILL_CSV_ERROR, WAYBILL_CSV_ERROR_ENCODING) ||
         g_error_matches (error, WAYBILL_CSV_ERROR, WAYBILL_CSV_ERROR_TOO_LARGE) ||
         g_error_matches (error, WAYBILL_CSV_ERROR, WAYBILL_CSV_ERROR_UNTERMINATED);
}

static gboolean
read_header (WaybillCsvReader  *reader,
             char            ***out_header,
             guint             *out_n_header,
             GCancellable      *cancellable,
             GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) header = g_ptr_array_new_with_free_func (g_free);
  guint n;

  if (!waybill_csv_reader_read_record (reader, cancellable, &local_error))
    {
      if (local_error == NULL)
        g_set_error (error, WAYBILL_IMPORT_ERROR, WAYBILL_IMPORT_ERROR_EMPTY,
                     _("The file is empty"));
      else if (is_record_error (local_error))
        g_set_error (error, WAYBILL_IMPORT_ERROR, WAYBILL_IMPORT_ERROR_EMPTY,
                     _("The header row cannot be read: %s"), local_error->message);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  n = waybill_csv_reader_get_n_fields (reader);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (header, g_strstrip (g_strdup (waybill_csv_reader_get_field (reader, i))));
  g_ptr_array_add (header, NULL);

  *out_n_header = n;
  *out_header = (char **) g_ptr_array_free (g_steal_pointer (&header), FALSE);

  return TRUE;
}

static gboolean
import_csv (Run           *run,
            GInputStream  *stream,
            GError       **error)
{
  g_autoptr(WaybillCsvReader) reader = waybill_csv_reader_new (stream);
  Group *group = NULL;
  gboolean ok = FALSE;

  if (!read_header (reader, &run->header, &run->n_header, run->cancellable, error) ||
      !resolve_columns (run, error))
    return FALSE;

  for (;;)
    {
      g_autoptr(GError) local_error = NULL;

      if (g_cancellable_set_error_if_cancelled (run->cancellable, error))
        goto out;

      if (!waybill_csv_reader_read_record (reader, run->cancellable, &local_error))
        {
          if (local_error == NULL)
            break;
          if (!is_record_error (local_error))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              goto out;
            }
          /* Unread, the row may belong to any order: it is reported, and
           * the orders around it go on. */
          run->result->rows++;
          add_bad_row (run, waybill_csv_reader_get_line (reader), local_error->message);
          continue;
        }

      run->result->rows++;
      if (!process_row (run, waybill_csv_reader_get_fields (reader),
                        waybill_csv_reader_get_n_fields (reader),
                        waybill_csv_reader_get_line (reader), &group, error))
        goto out;

      if (run->size > 0 && (run->result->rows & 0xff) == 0)
        report_progress (run, (double) waybill_csv_reader_get_bytes_read (reader) / run->size);
    }

  ok = flush_group (run, &group, error);

out:
  g_clear_pointer (&group, group_free);

  return ok;
}

/* Waybill's JSON export */

static const char *
json_string (JsonObject *object,
             const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

/* Reads a time member; FALSE when it is there but not a time. */
static gboolean
json_time (JsonObject  *object,
           const char  *name,
           GDateTime  **out_time)
{
  const char *text = json_string (object, name);

  *out_time = NULL;
  if (text == NULL)
    return json_object_get_member (object, name) == NULL ||
           JSON_NODE_HOLDS_NULL (json_object_get_member (object, name));

  *out_time = g_date_time_new_from_iso8601 (text, NULL);

  return *out_time != NULL;
}

static WaybillTrackingEvent *
event_from_json (JsonObject  *object,
                 char       **out_reason)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) time = NULL;
  const char *text = json_string (object, "time");
  WaybillStatus status = waybill_status_from_id (json_string (object, "status"));
  WaybillTrackingEvent *event;
  gboolean is_local;

  if (text == NULL || (time = g_date_time_new_from_iso8601 (text, utc)) == NULL)
    {
      *out_reason = g_strdup_printf (_("a tracking event has no readable time"));
      return NULL;
    }

  /* A time written without an offset is a carrier's local time, as the
   * store keeps it: the same wall-clock reading, in the local zone. */
  is_local = strlen (text) > 10 && strpbrk (text + 10, "Zz+-") == NULL;
  if (is_local)
    {
      g_autoptr(GTimeZone) local = g_time_zone_new_local ();
      GDateTime *wall = g_date_time_new (local, g_date_time_get_year (time), g_date_time_get_month (time),
                                         g_date_time_get_day_of_month (time), g_date_time_get_hour (time),
                                         g_date_time_get_minute (time), g_date_time_get_second (time));

      if (wall != NULL)
        {
          g_date_time_unref (time);
          time = wall;
        }
    }

  event = waybill_tracking_event_new (time,
                                      status != WAYBILL_STATUS_INVALID ? status : WAYBILL_STATUS_IN_TRANSIT,
                                      json_string (object, "code"),
                                      json_string (object, "description"),
                                      json_string (object, "location"));
  waybill_tracking_event_set_time_is_local (event, is_local);

  return event;
}

static WaybillShipment *
shipment_from_json (JsonObject  *object,
                    GStrv       *out_announced,
                    char       **out_reason)
{
  g_autoptr(WaybillShipment) shipment = NULL;
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GStrvBuilder) announced = g_strv_builder_new ();
  g_autoptr(GDateTime) from = NULL, to = NULL, delivered = NULL, last_event = NULL;
  g_autoptr(GDateTime) checked = NULL, next = NULL;
  const char *number = json_string (object, "tracking_number");
  WaybillStatus status = waybill_status_from_id (json_string (object, "status"));
  JsonNode *node;

  if (number == NULL || *number == '\0')
    {
      *out_reason = g_strdup (_("a shipment has no tracking number"));
      return NULL;
    }
  if (status == WAYBILL_STATUS_INVALID || waybill_status_is_order_stage (status))
    {
      *out_reason = g_strdup_printf (_("shipment %s has an unknown status"), number);
      return NULL;
    }
  if (!json_time (object, "estimated_from", &from) || !json_time (object, "estimated_to", &to) ||
      !json_time (object, "delivered_at", &delivered) ||
      !json_time (object, "last_event_at", &last_event) ||
      !json_time (object, "last_checked", &checked) || !json_time (object, "next_check", &next))
    {
      *out_reason = g_strdup_printf (_("shipment %s has a time that cannot be read"), number);
      return NULL;
    }

  shipment = waybill_shipment_new (json_string (object, "carrier"), number);
  waybill_shipment_set_status (shipment, status);
  waybill_shipment_set_sub_status (shipment, json_string (object, "sub_status"));
  waybill_shipment_set_exception_reason (shipment,
                                         waybill_exception_reason_from_id (json_string (object, "exception_reason")));
  waybill_shipment_set_estimated_delivery (shipment, from, to);
  waybill_shipment_set_delivered_at (shipment, delivered);
  waybill_shipment_set_signed_by (shipment, json_string (object, "signed_by"));
  waybill_shipment_set_last_event_at (shipment, last_event);
  waybill_shipment_set_last_checked (shipment, checked);
  waybill_shipment_set_next_check (shipment, next);
  node = json_object_get_member (object, "failure_count");
  if (node != NULL && json_node_get_value_type (node) == G_TYPE_INT64)
    waybill_shipment_set_failure_count (shipment, CLAMP (json_node_get_int (node), 0, G_MAXINT));
  waybill_shipment_set_last_error (shipment, json_string (object, "last_error"));
  node = json_object_get_member (object, "delayed");
  if (node != NULL && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    waybill_shipment_set_delayed (shipment, json_node_get_boolean (node));

  node = json_object_get_member (object, "events");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          WaybillTrackingEvent *event;

          if (!JSON_NODE_HOLDS_OBJECT (element))
            {
              *out_reason = g_strdup_printf (_("shipment %s has an event that cannot be read"), number);
              return NULL;
            }
          event = event_from_json (json_node_get_object (element), out_reason);
          if (event == NULL)
            return NULL;
          g_ptr_array_add (events, event);
        }
    }
  waybill_shipment_set_events (shipment, events);

  node = json_object_get_member (object, "announced");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (json_node_get_value_type (element) == G_TYPE_STRING)
            g_strv_builder_add (announced, json_node_get_string (element));
        }
    }
  *out_announced = g_strv_builder_end (announced);

  return g_steal_pointer (&shipment);
}

static Incoming *
incoming_from_json (JsonObject  *object,
                    char       **out_reason)
{
  g_autoptr(Incoming) in = NULL;
  const char *number = json_string (object, "order_number");
  const char *stage_id = json_string (object, "stage");
  WaybillStatus stage = waybill_status_from_id (stage_id);
  JsonNode *node;

  if (number == NULL || is_blank (number))
    {
      *out_reason = g_strdup (_("The order number is missing"));
      return NULL;
    }

  in = incoming_new (number, 0);
  g_strstrip (in->number);
  in->present = (1u << N_MF) - 1;

  incoming_set (in, MF_CUSTOMER, json_string (object, "customer"));
  incoming_set (in, MF_EMAIL, json_string (object, "email"));
  incoming_set (in, MF_PHONE, json_string (object, "phone"));
  incoming_set (in, MF_ADDRESS, json_string (object, "address"));
  incoming_set (in, MF_ITEMS, json_string (object, "items"));
  incoming_set (in, MF_CURRENCY, json_string (object, "currency"));
  incoming_set (in, MF_NOTE, json_string (object, "note"));

  node = json_object_get_member (object, "total");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      (json_node_get_value_type (node) == G_TYPE_DOUBLE || json_node_get_value_type (node) == G_TYPE_INT64))
    {
      g_autofree char *total = format_amount (json_node_get_double (node));

      incoming_set (in, MF_TOTAL, total);
    }
  else if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      *out_reason = g_strdup_printf (_("Order %s: the total cannot be read"), number);
      return NULL;
    }

  if (stage_id != NULL && !waybill_status_is_order_stage (stage))
    {
      *out_reason = g_strdup_printf (_("Order %s: “%s” is not an order stage"), number, stage_id);
      return NULL;
    }
  incoming_set (in, MF_STAGE, waybill_status_to_id (stage_id != NULL ? stage : WAYBILL_STATUS_RECEIVED));

  node = json_object_get_member (object, "archived");
  incoming_set (in, MF_ARCHIVED, node != NULL && json_node_get_value_type (node) == G_TYPE_BOOLEAN &&
                                  json_node_get_boolean (node) ? "yes" : "no");

  if (!json_time (object, "created", &in->created) || !json_time (object, "updated", &in->updated))
    {
      *out_reason = g_strdup_printf (_("Order %s: a date cannot be read"), number);
      return NULL;
    }

  node = json_object_get_member (object, "shipments");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          g_autofree char *reason = NULL;
          WaybillShipment *shipment = NULL;
          GStrv announced = NULL;

          if (JSON_NODE_HOLDS_OBJECT (element))
            shipment = shipment_from_json (json_node_get_object (element), &announced, &reason);
          if (shipment == NULL)
            {
              *out_reason = g_strdup_printf (_("Order %s: %s"), number,
                                             reason ? reason : _("a shipment cannot be read"));
              return NULL;
            }
          g_ptr_array_add (in->full_shipments, shipment);
          g_ptr_array_add (in->announced, announced);
        }
    }

  return g_steal_pointer (&in);
}

static gboolean
import_json (Run           *run,
             GInputStream  *stream,
             GError       **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  JsonObject *object;
  JsonNode *orders;
  JsonArray *array;
  guint n;

  run->format = WAYBILL_IMPORT_FORMAT_WAYBILL_JSON;
  run->result->format = run->format;

  if (!json_parser_load_from_stream (parser, stream, run->cancellable, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          local_error->domain != JSON_PARSER_ERROR)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, WAYBILL_IMPORT_ERROR, WAYBILL_IMPORT_ERROR_INVALID,
                     _("The file is not a Waybill JSON export: %s"), local_error->message);
      return FALSE;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      g_strcmp0 (json_string (json_node_get_object (root), "format"), "waybill") != 0 ||
      (orders = json_object_get_member (json_node_get_object (root), "orders")) == NULL ||
      !JSON_NODE_HOLDS_ARRAY (orders))
    {
      g_set_error (error, WAYBILL_IMPORT_ERROR, WAYBILL_IMPORT_ERROR_INVALID,
                   _("The file is JSON, but not a Waybill export"));
      return FALSE;
    }

  object = json_node_get_object (root);
  if (json_object_get_int_member_with_default (object, "version", 1) > WAYBILL_EXPORT_JSON_VERSION)
    {
      g_set_error (error, WAYBILL_IMPORT_ERROR, WAYBILL_IMPORT_ERROR_INVALID,
                   _("The file was exported by a newer version of Waybill; update Waybill to import it"));
      return FALSE;
    }

  array = json_node_get_array (orders);
  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autoptr(Incoming) in = NULL;
      g_autofree char *reason = NULL;

      if (g_cancellable_set_error_if_cancelled (run->cancellable, error))
        return FALSE;

      run->result->rows++;
      if (JSON_NODE_HOLDS_OBJECT (element))
        in = incoming_from_json (json_node_get_object (element), &reason);
      if (in == NULL)
        {
          g_autofree char *where = g_strdup_printf (_("Entry %u of the orders: %s"), i + 1,
                                                    reason ? reason : _("not an order"));

          add_bad_row (run, 0, where);
          continue;
        }

      if (!apply_incoming (run, in, error))
        return FALSE;

      report_progress (run, (double) (i + 1) / n);
    }

  return TRUE;
}

/* Looks at the first bytes: JSON starts with '{'. */
static gboolean
looks_like_json (GBufferedInputStream  *stream,
                 GCancellable          *cancellable,
                 GError               **error)
{
  const guint8 *head;
  gsize available;
  gsize i = 0;

  if (g_buffered_input_stream_fill (stream, -1, cancellable, error) < 0)
    return FALSE;

  head = g_buffered_input_stream_peek_buffer (stream, &available);
  if (available >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF)
    i = 3;
  while (i < available && g_ascii_isspace (head[i]))
    i++;

  return i < available && head[i] == '{';
}

static WaybillImportResult *
run_import (const Config  *config,
            WaybillStore  *store,
            GFile         *file,
            ProgressFunc   progress,
            gpointer       progress_data,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(WaybillImportResult) result = result_new ();
  g_autoptr(GFileInputStream) file_stream = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  Run run = { 0 };
  gboolean json = FALSE;
  gboolean ok = FALSE;

  file_stream = g_file_read (file, cancellable, error);
  if (file_stream == NULL)
    return NULL;

  run.config = config;
  run.store = store;
  run.db = waybill_store_get_db (store);
  run.cancellable = cancellable;
  run.progress = progress;
  run.progress_data = progress_data;
  run.last_progress = -1;
  run.result = result;
  run.seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  run.line_item_columns = g_array_new (FALSE, FALSE, sizeof (guint));
  result->dry_run = (config->flags & WAYBILL_IMPORT_DRY_RUN) != 0;

  info = g_file_input_stream_query_info (file_stream, G_FILE_ATTRIBUTE_STANDARD_SIZE, cancellable, NULL);
  if (info != NULL)
    run.size = g_file_info_get_size (info);

  stream = g_buffered_input_stream_new (G_INPUT_STREAM (file_stream));

  if (config->format == WAYBILL_IMPORT_FORMAT_WAYBILL_JSON)
    json = TRUE;
  else if (config->format == WAYBILL_IMPORT_FORMAT_AUTO || config->format == WAYBILL_IMPORT_FORMAT_WAYBILL)
    {
      json = looks_like_json (G_BUFFERED_INPUT_STREAM (stream), cancellable, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          goto out_no_transaction;
        }
    }

  if (!prepare_statements (&run, error) || !waybill_store_begin (store, error))
    goto out_no_transaction;

  if (json)
    ok = import_json (&run, stream, error);
  else
    ok = import_csv (&run, stream, error);

  if (ok && run.n_writes > 0 && !result->dry_run &&
      (result->n_rows_bad == 0 || (config->flags & WAYBILL_IMPORT_SKIP_BAD)))
    {
      ok = waybill_store_commit (store, error);
      result->written = ok;
    }
  else
    {
      waybill_store_rollback (store);
      result->written = ok && !result->dry_run &&
                        (result->n_rows_bad == 0 || (config->flags & WAYBILL_IMPORT_SKIP_BAD));
    }

  if (ok)
    report_progress (&run, 1.0);

out_no_transaction:
  finalize_statements (&run);
  g_hash_table_unref (run.seen);
  g_array_unref (run.line_item_columns);
  g_strfreev (run.header);

  return ok ? g_steal_pointer (&result) : NULL;
}

/**
 * waybill_import_inspect:
 * @out_format: (out) (optional): the format the header tells, or
 *   %WAYBILL_IMPORT_FORMAT_CUSTOM when it is none of the known ones
 * @out_columns: (out) (optional) (transfer full): the header's column
 *   names, for a mapping page; %NULL for a JSON export
 *
 * Reads the start of @file only: quick enough to call before an import.
 */
gboolean
waybill_import_inspect (GFile                *file,
                        GCancellable         *cancellable,
                        WaybillImportFormat  *out_format,
                        char               ***out_columns,
                        GError              **error)
{
  g_autoptr(GFileInputStream) file_stream = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(WaybillCsvReader) reader = NULL;
  g_autoptr(GError) local_error = NULL;
  char **header = NULL;
  guint n_header = 0;
  WaybillImportFormat format;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  file_stream = g_file_read (file, cancellable, error);
  if (file_stream == NULL)
    return FALSE;
  stream = g_buffered_input_stream_new (G_INPUT_STREAM (file_stream));

  if (looks_like_json (G_BUFFERED_INPUT_STREAM (stream), cancellable, &local_error))
    {
      if (out_format != NULL)
        *out_format = WAYBILL_IMPORT_FORMAT_WAYBILL_JSON;
      if (out_columns != NULL)
        *out_columns = NULL;
      return TRUE;
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  reader = waybill_csv_reader_new (stream);
  if (!read_header (reader, &header, &n_header, cancellable, error))
    return FALSE;

  format = detect_format (header, n_header);
  if (out_format != NULL)
    *out_format = format != WAYBILL_IMPORT_FORMAT_INVALID ? format : WAYBILL_IMPORT_FORMAT_CUSTOM;
  if (out_columns != NULL)
    *out_columns = header;
  else
    g_strfreev (header);

  return TRUE;
}

/* The importer */

struct _WaybillImporter
{
  GObject       parent_instance;

  WaybillStore *store;
  Config        config;
  double        progress;
};

G_DEFINE_FINAL_TYPE (WaybillImporter, waybill_importer, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_FORMAT,
  PROP_PROGRESS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
waybill_importer_dispose (GObject *object)
{
  WaybillImporter *self = (WaybillImporter *)object;

  g_clear_object (&self->store);

  G_OBJECT_CLASS (waybill_importer_parent_class)->dispose (object);
}

static void
waybill_importer_finalize (GObject *object)
{
  WaybillImporter *self = (WaybillImporter *)object;

  config_clear (&self->config);

  G_OBJECT_CLASS (waybill_importer_parent_class)->finalize (object);
}

static void
waybill_importer_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  WaybillImporter *self = WAYBILL_IMPORTER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_FORMAT:
      g_value_set_int (value, self->config.format);
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
waybill_importer_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  WaybillImporter *self = WAYBILL_IMPORTER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_FORMAT:
      waybill_importer_set_format (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
waybill_importer_class_init (WaybillImporterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = waybill_importer_dispose;
  object_class->finalize = waybill_importer_finalize;
  object_class->get_property = waybill_importer_get_property;
  object_class->set_property = waybill_importer_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         WAYBILL_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * WaybillImporter:format:
   *
   * The #WaybillImportFormat to read files as; %WAYBILL_IMPORT_FORMAT_AUTO
   * to tell it from each file.
   */
  properties[PROP_FORMAT] =
    g_param_spec_int ("format", NULL, NULL,
                      WAYBILL_IMPORT_FORMAT_AUTO, WAYBILL_N_IMPORT_FORMATS - 1,
                      WAYBILL_IMPORT_FORMAT_AUTO,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * WaybillImporter:progress:
   *
   * How much of the running import is done, from 0 to 1; bind it to a
   * progress bar.  Updated on the main context of the thread that started
   * the import.
   */
  properties[PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL,
                         0.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
waybill_importer_init (WaybillImporter *self)
{
  self->config.format = WAYBILL_IMPORT_FORMAT_AUTO;
}

/**
 * waybill_importer_new:
 * @store: the database to import into
 *
 * Returns: (transfer full): an importer into @store
 */
WaybillImporter *
waybill_importer_new (WaybillStore *store)
{
  g_return_val_if_fail (WAYBILL_IS_STORE (store), NULL);

  return g_object_new (WAYBILL_TYPE_IMPORTER, "store", store, NULL);
}

/**
 * waybill_importer_get_store:
 *
 * Returns: (transfer none): the store imported into
 */
WaybillStore *
waybill_importer_get_store (WaybillImporter *self)
{
  g_return_val_if_fail (WAYBILL_IS_IMPORTER (self), NULL);

  return self->store;
}

void
waybill_importer_set_format (WaybillImporter     *self,
                             WaybillImportFormat  format)
{
  g_return_if_fail (WAYBILL_IS_IMPORTER (self));
  g_return_if_fail ((int) format >= 0 && format < WAYBILL_N_IMPORT_FORMATS);

  if (self->config.format == format)
    return;

  self->config.format = format;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FORMAT]);
}

WaybillImportFormat
waybill_importer_get_format (WaybillImporter *self)
{
  g_return_val_if_fail (WAYBILL_IS_IMPORTER (self), WAYBILL_IMPORT_FORMAT_AUTO);

  return self->config.format;
}

void
waybill_importer_set_flags (WaybillImporter    *self,
                            WaybillImportFlags  flags)
{
  g_return_if_fail (WAYBILL_IS_IMPORTER (self));

  self->config.flags = flags;
}

WaybillImportFlags
waybill_importer_get_flags (WaybillImporter *self)
{
  g_return_val_if_fail (WAYBILL_IS_IMPORTER (self), WAYBILL_IMPORT_FLAGS_NONE);

  return self->config.flags;
}

/**
 * waybill_importer_set_mapping:
 * @column: (nullable): the name of the column (its header) that holds
 *   @field, or %NULL to forget the mapping
 *
 * Says which column holds a field: for a CSV of no known format, or to
 * correct a known one.  Header names match without regard to case.
 */
void
waybill_importer_set_mapping (WaybillImporter    *self,
                              WaybillImportField  field,
                              const char         *column)
{
  g_return_if_fail (WAYBILL_IS_IMPORTER (self));
  g_return_if_fail ((int) field >= 0 && field < WAYBILL_N_IMPORT_FIELDS);

  g_free (self->config.mapping[field]);
  self->config.mapping[field] = column != NULL && *column != '\0' ? g_strdup (column) : NULL;
}

const char *
waybill_importer_get_mapping (WaybillImporter    *self,
                              WaybillImportField  field)
{
  g_return_val_if_fail (WAYBILL_IS_IMPORTER (self), NULL);
  g_return_val_if_fail ((int) field >= 0 && field < WAYBILL_N_IMPORT_FIELDS, NULL);

  return self->config.mapping[field];
}

/**
 * waybill_importer_parse_mapping:
 * @spec: "FIELD=COLUMN", as given to `waybill import --map`
 *
 * Returns: %TRUE if @spec was understood and set
 */
gboolean
waybill_importer_parse_mapping (WaybillImporter  *self,
                                const char       *spec,
                                GError          **error)
{
  g_autofree char *name = NULL;
  const char *equals;
  WaybillImportField field;

  g_return_val_if_fail (WAYBILL_IS_IMPORTER (self), FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);

  equals = strchr (spec, '=');
  if (equals == NULL || equals == spec || equals[1] == '\0')
    {
      g_set_error (error, WAYBILL_IMPORT_ERROR, WAYBILL_IMPORT_ERROR_MAPPING,
                   _("“%s” is not FIELD=COLUMN"), spec);
      return FALSE;
    }

  name = g_strstrip (g_strndup (spec, equals - spec));
  field = waybill_import_field_from_id (name);
  if (field == WAYBILL_IMPORT_FIELD_INVALID)
    {
      g_autofree char *known = g_strjoinv (", ", (char **) field_ids);

      g_set_error (error, WAYBILL_IMPORT_ERROR, WAYBILL_IMPORT_ERROR_MAPPING,
                   _("Unknown field “%s”; the fields are %s"), name, known);
      return FALSE;
    }

  {
    g_autofree char *column = g_strstrip (g_strdup (equals + 1));

    waybill_importer_set_mapping (self, field, column);
  }

  return TRUE;
}

/**
 * waybill_importer_set_preview_limit:
 * @n_orders: how many orders of the file to keep in the result's preview
 */
void
waybill_importer_set_preview_limit (WaybillImporter *self,
                                    guint            n_orders)
{
  g_return_if_fail (WAYBILL_IS_IMPORTER (self));

  self->config.preview_limit = n_orders;
}

double
waybill_importer_get_progress (WaybillImporter *self)
{
  g_return_val_if_fail (WAYBILL_IS_IMPORTER (self), 0.0);

  return self->progress;
}

static void
set_progress (WaybillImporter *self,
              double           progress)
{
  if (self->progress == progress)
    return;

  self->progress = progress;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
}

static void
config_copy (Config       *to,
             const Config *from)
{
  *to = *from;
  for (guint i = 0; i < WAYBILL_N_IMPORT_FIELDS; i++)
    to->mapping[i] = g_strdup (from->mapping[i]);
}

static void
sync_progress (double   fraction,
               gpointer user_data)
{
  set_progress (WAYBILL_IMPORTER (user_data), fraction);
}

/**
 * waybill_importer_run:
 *
 * Imports @file on this thread, through the importer's store.  See
 * waybill_importer_run_async() to keep a window responsive.
 *
 * Returns: (transfer full): what the import did (or would do), or %NULL
 *   with @error set when the file cannot be imported at all; bad rows are
 *   not errors: they are in the result
 */
WaybillImportResult *
waybill_importer_run (WaybillImporter  *self,
                      GFile            *file,
                      GCancellable     *cancellable,
                      GError          **error)
{
  g_return_val_if_fail (WAYBILL_IS_IMPORTER (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  set_progress (self, 0.0);

  return run_import (&self->config, self->store, file, sync_progress, self, cancellable, error);
}

typedef struct
{
  Config        config;
  char         *path;
  GFile        *file;
  GMainContext *context;
} AsyncRun;

static void
async_run_free (gpointer data)
{
  AsyncRun *async = data;

  config_clear (&async->config);
  g_free (async->path);
  g_object_unref (async->file);
  g_main_context_unref (async->context);
  g_free (async);
}

typedef struct
{
  WaybillImporter *importer;
  double           fraction;
} ProgressUpdate;

static gboolean
progress_update_cb (gpointer data)
{
  ProgressUpdate *update = data;

  set_progress (update->importer, update->fraction);

  return G_SOURCE_REMOVE;
}

static void
progress_update_free (gpointer data)
{
  ProgressUpdate *update = data;

  g_object_unref (update->importer);
  g_free (update);
}

/* In the import thread: the importer belongs to the main context. */
static void
thread_progress (double   fraction,
                 gpointer user_data)
{
  GTask *task = user_data;
  AsyncRun *async = g_task_get_task_data (task);
  ProgressUpdate *update = g_new0 (ProgressUpdate, 1);
  g_autoptr(GSource) source = NULL;

  update->importer = g_object_ref (g_task_get_source_object (task));
  update->fraction = fraction;
  /* Always through a source: g_main_context_invoke() runs the function
   * right here, in this thread, when the caller's thread happens not to
   * be iterating its context at this moment. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, progress_update_cb, update, progress_update_free);
  g_source_attach (source, async->context);
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  AsyncRun *async = task_data;
  g_autoptr(WaybillStore) store = NULL;
  WaybillImportResult *result;
  GError *error = NULL;

  /* SQLite connections belong to one thread: this one opens its own. */
  store = waybill_store_open (async->path, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  result = run_import (&async->config, store, async->file, thread_progress, task, cancellable, &error);
  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) waybill_import_result_free);
}

/**
 * waybill_importer_run_async:
 * @file: the file to import
 * @cancellable: (nullable): cancels the import, which then writes nothing
 *
 * Imports @file in a thread, through a connection of its own to the
 * store's database.  #WaybillImporter:progress follows it on the calling
 * thread's main context.  The settings are taken as they are now.
 */
void
waybill_importer_run_async (WaybillImporter     *self,
                            GFile               *file,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AsyncRun *async;

  g_return_if_fail (WAYBILL_IS_IMPORTER (self));
  g_return_if_fail (G_IS_FILE (file));

  set_progress (self, 0.0);

  async = g_new0 (AsyncRun, 1);
  config_copy (&async->config, &self->config);
  async->path = g_strdup (waybill_store_get_path (self->store));
  async->file = g_object_ref (file);
  async->context = g_main_context_ref_thread_default ();

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, waybill_importer_run_async);
  g_task_set_task_data (task, async, async_run_free);
  g_task_run_in_thread (task, import_thread);
}

/**
 * waybill_importer_run_finish:
 *
 * Returns: (transfer full): the result, as waybill_importer_run() returns
 *   it.  When it was written, the importer's store has announced the
 *   change (#WaybillStore::changed), so lists show the new orders at once.
 */
WaybillImportResult *
waybill_importer_run_finish (WaybillImporter  *self,
                             GAsyncResult     *result,
                             GError          **error)
{
  WaybillImportResult *import_result;

  g_return_val_if_fail (WAYBILL_IS_IMPORTER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == waybill_importer_run_async, NULL);

  import_result = g_task_propagate_pointer (G_TASK (result), error);
  if (import_result != NULL && import_result->written)
    waybill_store_check_for_changes (self->store);

  return import_result;
}
