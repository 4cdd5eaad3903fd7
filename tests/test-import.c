/* test-import.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "waybill-import.h"
#include "waybill-store-private.h"
#include "test-util.h"

#define DATA TEST_SRCDIR "/data/import/"

typedef TestStoreDir Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  test_store_dir_set_up (fixture, "import");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  test_store_dir_tear_down (fixture);
}

static WaybillImportResult *
import_full (Fixture             *fixture,
             const char          *name,
             WaybillImportFormat  format,
             WaybillImportFlags   flags,
             const char * const  *maps,
             GError             **error)
{
  g_autoptr(WaybillImporter) importer = waybill_importer_new (fixture->store);
  g_autofree char *path = g_path_is_absolute (name) ? g_strdup (name) : g_strconcat (DATA, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  waybill_importer_set_format (importer, format);
  g_assert_cmpint (waybill_importer_get_format (importer), ==, format);
  waybill_importer_set_flags (importer, flags);
  g_assert_cmpint (waybill_importer_get_flags (importer), ==, flags);
  for (guint i = 0; maps != NULL && maps[i] != NULL; i++)
    {
      g_autoptr(GError) map_error = NULL;

      g_assert_true (waybill_importer_parse_mapping (importer, maps[i], &map_error));
      g_assert_no_error (map_error);
    }

  return waybill_importer_run (importer, file, NULL, error);
}

static WaybillImportResult *
import (Fixture            *fixture,
        const char         *name,
        WaybillImportFlags  flags)
{
  g_autoptr(GError) error = NULL;
  WaybillImportResult *result = import_full (fixture, name, WAYBILL_IMPORT_FORMAT_AUTO, flags, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);

  return result;
}

static WaybillOrder *
find (Fixture    *fixture,
      const char *number)
{
  g_autoptr(GError) error = NULL;
  WaybillOrder *order = waybill_store_find_order (fixture->store, number, &error);

  g_assert_no_error (error);
  g_assert_nonnull (order);

  return order;
}

static WaybillShipment *
shipment_of (WaybillOrder *order,
             const char   *tracking_number)
{
  GPtrArray *shipments = waybill_order_get_shipments (order);

  for (guint i = 0; i < shipments->len; i++)
    if (g_strcmp0 (waybill_shipment_get_tracking_number (g_ptr_array_index (shipments, i)),
                   tracking_number) == 0)
      return g_ptr_array_index (shipments, i);

  g_assert_not_reached ();
}

static gint64
query_int (Fixture    *fixture,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (waybill_store_get_db (fixture->store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

static gint64
n_orders (Fixture *fixture)
{
  return query_int (fixture, "SELECT count(*) FROM orders");
}

static gint64
n_shipments (Fixture *fixture)
{
  return query_int (fixture, "SELECT count(*) FROM shipments");
}

static int
dump_row_cb (void  *data,
             int    n_columns,
             char **values,
             char **names)
{
  GString *out = data;

  for (int i = 0; i < n_columns; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? "|" : "", values[i] ? values[i] : "NULL");
  g_string_append_c (out, '\n');

  return 0;
}

/* Every row of every table, to tell "nothing changed" exactly. */
static char *
dump (Fixture *fixture)
{
  static const char * const tables[] = { "orders", "shipments", "tracking_events", "notifications",
                                         "import_origins", "search" };
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s ORDER BY rowid", tables[i]);

      g_string_append_printf (out, "[%s]\n", tables[i]);
      g_assert_cmpint (sqlite3_exec (waybill_store_get_db (fixture->store), sql, dump_row_cb, out, NULL),
                       ==, SQLITE_OK);
    }

  return g_string_free (out, FALSE);
}

static gint64
unix_of (const char *iso)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (time);

  return g_date_time_to_unix (time);
}

static void
assert_no_bad_rows (WaybillImportResult *result)
{
  for (guint i = 0; i < result->rows_bad->len; i++)
    {
      WaybillImportBadRow *row = g_ptr_array_index (result->rows_bad, i);

      g_test_message ("line %" G_GUINT64_FORMAT ": %s", row->line, row->reason);
    }
  g_assert_cmpuint (result->n_rows_bad, ==, 0);
  g_assert_cmpuint (result->rows_bad->len, ==, 0);
}

static void
test_ids (void)
{
  g_assert_cmpstr (waybill_import_format_to_id (WAYBILL_IMPORT_FORMAT_SHOPIFY), ==, "shopify");
  g_assert_cmpint (waybill_import_format_from_id ("WooCommerce"), ==, WAYBILL_IMPORT_FORMAT_WOOCOMMERCE);
  g_assert_cmpint (waybill_import_format_from_id ("waybill-json"), ==, WAYBILL_IMPORT_FORMAT_WAYBILL_JSON);
  g_assert_cmpint (waybill_import_format_from_id ("xml"), ==, WAYBILL_IMPORT_FORMAT_INVALID);
  g_assert_cmpint (waybill_import_format_from_id (NULL), ==, WAYBILL_IMPORT_FORMAT_INVALID);
  for (guint i = 0; i < WAYBILL_N_IMPORT_FORMATS; i++)
    {
      g_assert_cmpint (waybill_import_format_from_id (waybill_import_format_to_id (i)), ==, i);
      g_assert_nonnull (waybill_import_format_get_label (i));
    }
  for (guint i = 0; i < WAYBILL_N_IMPORT_FIELDS; i++)
    g_assert_cmpint (waybill_import_field_from_id (waybill_import_field_to_id (i)), ==, i);
  g_assert_cmpint (waybill_import_field_from_id ("tracking_number"), ==, WAYBILL_IMPORT_FIELD_TRACKING_NUMBER);
  g_assert_cmpint (waybill_import_field_from_id ("colour"), ==, WAYBILL_IMPORT_FIELD_INVALID);
}

static void
test_inspect (void)
{
  static const struct
  {
    const char          *name;
    WaybillImportFormat  format;
    guint                n_columns;
    const char          *first;
  } cases[] = {
    { "shopify-orders.csv", WAYBILL_IMPORT_FORMAT_SHOPIFY, 79, "Name" },
    { "shopify-orders-updated.csv", WAYBILL_IMPORT_FORMAT_SHOPIFY, 81, "Name" },
    { "shopify-unicode-text.txt", WAYBILL_IMPORT_FORMAT_SHOPIFY, 14, "Name" },
    { "woocommerce-orders.csv", WAYBILL_IMPORT_FORMAT_WOOCOMMERCE, 40, "order_id" },
    { "woocommerce-export-plugin.csv", WAYBILL_IMPORT_FORMAT_WOOCOMMERCE, 40, "Order Number" },
    { "etsy-sold-orders.csv", WAYBILL_IMPORT_FORMAT_ETSY, 36, "Sale Date" },
    { "etsy-sold-order-items.csv", WAYBILL_IMPORT_FORMAT_ETSY, 33, "Sale Date" },
    { "custom.tsv", WAYBILL_IMPORT_FORMAT_CUSTOM, 8, "Ref" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strconcat (DATA, cases[i].name, NULL);
      g_autoptr(GFile) data_file = g_file_new_for_path (path);
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) columns = NULL;
      WaybillImportFormat format = WAYBILL_IMPORT_FORMAT_INVALID;

      g_test_message ("%s", cases[i].name);
      g_assert_true (waybill_import_inspect (data_file, NULL, &format, &columns, &error));
      g_assert_no_error (error);
      g_assert_cmpint (format, ==, cases[i].format);
      g_assert_cmpuint (g_strv_length (columns), ==, cases[i].n_columns);
      g_assert_cmpstr (columns[0], ==, cases[i].first);
    }
}

static void
test_shopify (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(WaybillImportResult) result = import (fixture, "shopify-orders.csv", WAYBILL_IMPORT_FLAGS_NONE);
  g_autoptr(WaybillOrder) anna = NULL;
  g_autoptr(WaybillOrder) john = NULL;
  g_autoptr(WaybillOrder) li = NULL;
  g_autoptr(WaybillOrder) by_hash = NULL;

  assert_no_bad_rows (result);
  g_assert_cmpint (result->format, ==, WAYBILL_IMPORT_FORMAT_SHOPIFY);
  g_assert_true (result->written);
  g_assert_false (result->dry_run);
  g_assert_cmpuint (result->orders_new, ==, 3);
  g_assert_cmpuint (result->orders_updated, ==, 0);
  g_assert_cmpuint (result->orders_unchanged, ==, 0);
  g_assert_cmpuint (result->shipments_new, ==, 0);
  /* Six line items, one row each. */
  g_assert_cmpuint (result->rows, ==, 6);
  g_assert_cmpuint (result->n_conflicts, ==, 0);
  g_assert_cmpint (n_orders (fixture), ==, 3);

  /* "#1001" is order 1001, found either way. */
  anna = find (fixture, "1001");
  by_hash = find (fixture, "#1001");
  g_assert_cmpint (waybill_order_get_id (anna), ==, waybill_order_get_id (by_hash));
  g_assert_cmpstr (waybill_order_get_order_number (anna), ==, "1001");
  g_assert_cmpstr (waybill_order_get_customer (anna), ==, "Anna Müller");
  g_assert_cmpstr (waybill_order_get_email (anna), ==, "anna.mueller@example.com");
  g_assert_cmpstr (waybill_order_get_phone (anna), ==, "+49 30 1234567");
  g_assert_cmpstr (waybill_order_get_address (anna), ==,
                   "Anna Müller\nHauptstraße 5\nHinterhaus\nBerlin, BE 10115\nDE");
  /* Order columns on the first row only; the items of every row. */
  g_assert_cmpstr (waybill_order_get_items (anna), ==, "1 × Mug \"Classic\", 350 ml\n2 × Coaster - Oak");
  g_assert_cmpfloat_with_epsilon (waybill_order_get_total (anna), 41.50, 0.001);
  g_assert_cmpstr (waybill_order_get_currency (anna), ==, "EUR");
  g_assert_cmpstr (waybill_order_get_note (anna), ==, "Please ring twice.\nLeave with neighbour if out.");
  g_assert_cmpint (waybill_order_get_stage (anna), ==, WAYBILL_STATUS_SHIPPED);
  g_assert_cmpint (g_date_time_to_unix (waybill_order_get_created (anna)), ==,
                   unix_of ("2024-03-05T14:02:11+01:00"));

  john = find (fixture, "1002");
  g_assert_cmpstr (waybill_order_get_customer (john), ==, "John O'Neil");
  g_assert_cmpstr (waybill_order_get_address (john), ==,
                   "John O'Neil\nO'Neil & Sons\n12 Elm St\nSuite 4\nSpringfield, IL 62701\nUS");
  g_assert_cmpstr (waybill_order_get_items (john), ==,
                   "1 × Walnut Desk\n1 × Cable tray\n2 × Felt pads (4-pack)");
  g_assert_cmpfloat_with_epsilon (waybill_order_get_total (john), 1215.0, 0.001);
  g_assert_cmpint (waybill_order_get_stage (john), ==, WAYBILL_STATUS_RECEIVED);
  g_assert_null (waybill_order_get_note (john));

  li = find (fixture, "1003");
  g_assert_cmpint (waybill_order_get_stage (li), ==, WAYBILL_STATUS_CANCELLED);
  g_assert_cmpstr (waybill_order_get_currency (li), ==, "GBP");
  g_assert_cmpuint (waybill_order_get_shipments (li)->len, ==, 0);
}

static void
test_same_file_twice (Fixture       *fixture,
                      gconstpointer  data)
{
  static const char * const files[] = {
    "shopify-orders.csv", "woocommerce-orders.csv", "woocommerce-export-plugin.csv",
    "etsy-sold-orders.csv", "etsy-sold-order-items.csv", "shopify-unicode-text.txt",
  };
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(WaybillImportResult) first = import (fixture, files[i], WAYBILL_IMPORT_FLAGS_NONE);

      assert_no_bad_rows (first);
    }
  before = dump (fixture);

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(WaybillImportResult) again = import (fixture, files[i], WAYBILL_IMPORT_FLAGS_NONE);

      g_test_message ("%s", files[i]);
      assert_no_bad_rows (again);
      g_assert_true (again->written);
      g_assert_cmpuint (again->orders_new, ==, 0);
      g_assert_cmpuint (again->orders_updated, ==, 0);
      g_assert_cmpuint (again->orders_unchanged, >, 0);
      g_assert_cmpuint (again->shipments_new, ==, 0);
      g_assert_cmpuint (again->n_conflicts, ==, 0);
    }

  /* Not a single value changed, not even a time. */
  after = dump (fixture);
  g_assert_cmpstr (before, ==, after);
}

static void
test_shopify_updated (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(WaybillImportResult) first = import (fixture, "shopify-orders.csv", WAYBILL_IMPORT_FLAGS_NONE);
  g_autoptr(WaybillImportResult) newer = import (fixture, "shopify-orders-updated.csv", WAYBILL_IMPORT_FLAGS_NONE);
  g_autoptr(WaybillImportResult) again = NULL;
  g_autoptr(WaybillOrder) anna = NULL;
  g_autoptr(WaybillOrder) john = NULL;
  g_autoptr(WaybillOrder) sam = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  WaybillShipment *shipment;

  assert_no_bad_rows (newer);
  g_assert_cmpuint (newer->orders_new, ==, 1);
  g_assert_cmpuint (newer->orders_updated, ==, 2);
  g_assert_cmpuint (newer->orders_unchanged, ==, 1);
  g_assert_cmpuint (newer->shipments_new, ==, 3);
  g_assert_cmpuint (newer->n_conflicts, ==, 0);
  g_assert_cmpint (n_orders (fixture), ==, 4);
  g_assert_cmpint (n_shipments (fixture), ==, 3);

  /* Carriers by name ("DHL Paket", "USPS", "Royal Mail"). */
  anna = find (fixture, "1001");
  g_assert_cmpuint (waybill_order_get_shipments (anna)->len, ==, 1);
  shipment = shipment_of (anna, "00340434639921278870");
  g_assert_cmpstr (waybill_shipment_get_carrier (shipment), ==, "dhl-parcel-de");
  g_assert_cmpint (waybill_shipment_get_status (shipment), ==, WAYBILL_STATUS_PENDING);

  john = find (fixture, "1002");
  g_assert_cmpstr (waybill_shipment_get_carrier (shipment_of (john, "9400111899223334445561")), ==, "usps");
  g_assert_cmpint (waybill_order_get_stage (john), ==, WAYBILL_STATUS_SHIPPED);
  g_assert_cmpstr (waybill_order_get_address (john), ==,
                   "John O'Neil\nO'Neil & Sons\n14 Elm St\nSuite 4\nSpringfield, IL 62701\nUS");
  /* What did not change stays. */
  g_assert_cmpstr (waybill_order_get_items (john), ==,
                   "1 × Walnut Desk\n1 × Cable tray\n2 × Felt pads (4-pack)");

  sam = find (fixture, "1004");
  g_assert_cmpstr (waybill_order_get_customer (sam), ==, "Sam Taylor");
  g_assert_cmpstr (waybill_shipment_get_carrier (shipment_of (sam, "RB123456785GB")), ==, "royal-mail");

  /* The newer file again: nothing. */
  before = dump (fixture);
  again = import (fixture, "shopify-orders-updated.csv", WAYBILL_IMPORT_FLAGS_NONE);
  g_assert_cmpuint (again->orders_new + again->orders_updated + again->shipments_new, ==, 0);
  g_assert_cmpuint (again->orders_unchanged, ==, 4);
  after = dump (fixture);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpuint (first->orders_new, ==, 3);
}

static void
test_user_edits (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(WaybillImportResult) first = import (fixture, "shopify-orders.csv", WAYBILL_IMPORT_FLAGS_NONE);
  g_autoptr(WaybillImportResult) newer = NULL;
  g_autoptr(WaybillImportResult) again = NULL;
  g_autoptr(WaybillImportResult) overwrite = NULL;
  g_autoptr(WaybillImportResult) settled = NULL;
  g_autoptr(WaybillOrder) john = find (fixture, "1002");
  g_autoptr(WaybillOrder) anna = find (fixture, "1001");
  g_autoptr(WaybillOrder) john_after = NULL;
  g_autoptr(WaybillOrder) anna_after = NULL;
  g_autoptr(GError) error = NULL;
  WaybillImportConflict *conflict;

  /* The user corrects an address the shop will also change, and a note
   * the shop will not. */
  waybill_order_set_address (john, "John O'Neil\n12 Elm Street, back entrance\nSpringfield, IL 62701\nUS");
  g_assert_true (waybill_store_update_order (fixture->store, john, &error));
  g_assert_no_error (error);
  waybill_order_set_note (anna, "Customer called: neighbour is fine.");
  g_assert_true (waybill_store_update_order (fixture->store, anna, &error));
  g_assert_no_error (error);

  newer = import (fixture, "shopify-orders-updated.csv", WAYBILL_IMPORT_FLAGS_NONE);
  assert_no_bad_rows (newer);
  g_assert_cmpuint (newer->n_conflicts, ==, 1);
  g_assert_cmpuint (newer->conflicts->len, ==, 1);
  conflict = g_ptr_array_index (newer->conflicts, 0);
  g_assert_cmpstr (conflict->order_number, ==, "1002");
  g_assert_cmpstr (conflict->field, ==, "address");
  g_assert_cmpstr (conflict->ours, ==, "John O'Neil\n12 Elm Street, back entrance\nSpringfield, IL 62701\nUS");
  g_assert_cmpstr (conflict->theirs, ==, "John O'Neil\nO'Neil & Sons\n14 Elm St\nSuite 4\nSpringfield, IL 62701\nUS");
  g_assert_false (conflict->overwritten);

  /* The user's edits stay; the shop's other changes land. */
  john_after = find (fixture, "1002");
  g_assert_cmpstr (waybill_order_get_address (john_after), ==,
                   "John O'Neil\n12 Elm Street, back entrance\nSpringfield, IL 62701\nUS");
  g_assert_cmpint (waybill_order_get_stage (john_after), ==, WAYBILL_STATUS_SHIPPED);
  g_assert_cmpuint (waybill_order_get_shipments (john_after)->len, ==, 1);
  anna_after = find (fixture, "1001");
  g_assert_cmpstr (waybill_order_get_note (anna_after), ==, "Customer called: neighbour is fine.");
  g_clear_object (&john_after);
  g_clear_object (&anna_after);

  /* Again: still reported, still kept, nothing written. */
  again = import (fixture, "shopify-orders-updated.csv", WAYBILL_IMPORT_FLAGS_NONE);
  g_assert_cmpuint (again->n_conflicts, ==, 1);
  g_assert_cmpuint (again->orders_updated, ==, 0);
  john_after = find (fixture, "1002");
  g_assert_cmpstr (waybill_order_get_address (john_after), ==,
                   "John O'Neil\n12 Elm Street, back entrance\nSpringfield, IL 62701\nUS");
  g_clear_object (&john_after);

  /* Told otherwise, the file wins. */
  overwrite = import (fixture, "shopify-orders-updated.csv", WAYBILL_IMPORT_OVERWRITE_EDITS);
  g_assert_cmpuint (overwrite->n_conflicts, ==, 1);
  conflict = g_ptr_array_index (overwrite->conflicts, 0);
  g_assert_true (conflict->overwritten);
  g_assert_cmpuint (overwrite->orders_updated, ==, 1);
  john_after = find (fixture, "1002");
  g_assert_cmpstr (waybill_order_get_address (john_after), ==,
                   "John O'Neil\nO'Neil & Sons\n14 Elm St\nSuite 4\nSpringfield, IL 62701\nUS");
  /* The note the file did not change is still the user's. */
  anna_after = find (fixture, "1001");
  g_assert_cmpstr (waybill_order_get_note (anna_after), ==, "Customer called: neighbour is fine.");

  settled = import (fixture, "shopify-orders-updated.csv", WAYBILL_IMPORT_FLAGS_NONE);
  g_assert_cmpuint (settled->n_conflicts, ==, 0);
  g_assert_cmpuint (settled->orders_updated, ==, 0);
  g_assert_cmpuint (first->orders_new, ==, 3);
}

static void
test_hand_made_order (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(WaybillOrder) order = waybill_order_new ("2001", "Maria G.");
  g_autoptr(WaybillImportResult) result = NULL;
  g_autoptr(WaybillOrder) after = NULL;
  g_autoptr(GError) error = NULL;
  WaybillImportConflict *conflict;

  g_assert_true (waybill_store_create_order (fixture->store, order, &error));
  g_assert_no_error (error);

  result = import (fixture, "woocommerce-orders.csv", WAYBILL_IMPORT_FLAGS_NONE);
  assert_no_bad_rows (result);
  g_assert_cmpuint (result->orders_new, ==, 2);
  g_assert_cmpuint (result->orders_updated, ==, 1);

  /* What the user typed differs: a conflict.  What was empty is filled. */
  g_assert_cmpuint (result->n_conflicts, ==, 1);
  conflict = g_ptr_array_index (result->conflicts, 0);
  g_assert_cmpstr (conflict->order_number, ==, "2001");
  g_assert_cmpstr (conflict->field, ==, "customer");
  g_assert_cmpstr (conflict->ours, ==, "Maria G.");
  g_assert_cmpstr (conflict->theirs, ==, "Maria García");

  after = find (fixture, "2001");
  g_assert_cmpstr (waybill_order_get_customer (after), ==, "Maria G.");
  g_assert_cmpstr (waybill_order_get_email (after), ==, "maria@example.com");
  g_assert_cmpint (waybill_order_get_stage (after), ==, WAYBILL_STATUS_SHIPPED);
  g_assert_cmpuint (waybill_order_get_shipments (after)->len, ==, 1);
}

static void
test_woocommerce (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(WaybillImportResult) result = import (fixture, "woocommerce-orders.csv", WAYBILL_IMPORT_FLAGS_NONE);
  g_autoptr(WaybillImportResult) newer = NULL;
  g_autoptr(WaybillOrder) maria = NULL;
  g_autoptr(WaybillOrder) tom = NULL;
  g_autoptr(WaybillOrder) priya = NULL;
  g_autoptr(WaybillOrder) lukas = NULL;

  assert_no_bad_rows (result);
  g_assert_cmpint (result->format, ==, WAYBILL_IMPORT_FORMAT_WOOCOMMERCE);
  g_assert_cmpuint (result->orders_new, ==, 3);
  g_assert_cmpuint (result->shipments_new, ==, 2);

  maria = find (fixture, "2001");
  g_assert_cmpstr (waybill_order_get_customer (maria), ==, "Maria García");
  g_assert_cmpstr (waybill_order_get_items (maria), ==, "2 × Candle, \"Fig & Cedar\"\n1 × Matches");
  g_assert_cmpstr (waybill_order_get_address (maria), ==,
                   "Maria García\n500 Market St\nApt 3\nSan Francisco, CA 94105\nUS");
  g_assert_cmpstr (waybill_order_get_note (maria), ==, "Gift wrap, please");
  g_assert_cmpstr (waybill_order_get_currency (maria), ==, "USD");
  g_assert_cmpint (waybill_order_get_stage (maria), ==, WAYBILL_STATUS_SHIPPED);
  /* A time without an offset is local time (UTC in the tests). */
  g_assert_cmpint (g_date_time_to_unix (waybill_order_get_created (maria)), ==, unix_of ("2024-05-02T10:15:00Z"));
  g_assert_cmpstr (waybill_shipment_get_carrier (shipment_of (maria, "1Z999AA10123456784")), ==, "ups");

  tom = find (fixture, "2002");
  g_assert_cmpint (waybill_order_get_stage (tom), ==, WAYBILL_STATUS_PROCESSING);
  g_assert_cmpuint (waybill_order_get_shipments (tom)->len, ==, 0);
  g_assert_cmpint (g_date_time_to_unix (waybill_order_get_created (tom)), ==, unix_of ("2024-05-03T18:40:00Z"));

  priya = find (fixture, "2003");
  g_assert_cmpstr (waybill_shipment_get_carrier (shipment_of (priya, "RB876543216GB")), ==, "royal-mail");
  g_clear_object (&maria);
  g_clear_object (&tom);

  newer = import (fixture, "woocommerce-orders-updated.csv", WAYBILL_IMPORT_FLAGS_NONE);
  assert_no_bad_rows (newer);
  g_assert_cmpuint (newer->orders_new, ==, 1);
  g_assert_cmpuint (newer->orders_updated, ==, 2);
  g_assert_cmpuint (newer->orders_unchanged, ==, 1);
  g_assert_cmpuint (newer->shipments_new, ==, 2);

  /* A second parcel in the same cell; a number written in groups. */
  maria = find (fixture, "2001");
  g_assert_cmpuint (waybill_order_get_shipments (maria)->len, ==, 2);
  g_assert_cmpstr (waybill_shipment_get_carrier (shipment_of (maria, "1Z8V92A70367203024")), ==, "ups");
  tom = find (fixture, "2002");
  g_assert_cmpint (waybill_order_get_stage (tom), ==, WAYBILL_STATUS_SHIPPED);
  g_assert_cmpstr (waybill_shipment_get_carrier (shipment_of (tom, "9400111899223334447770")), ==, "usps");
  lukas = find (fixture, "2004");
  g_assert_cmpstr (waybill_order_get_address (lukas), ==, "Lukas Schmidt\nMarienplatz 1\nMünchen 80331\nDE");
  g_assert_cmpfloat_with_epsilon (waybill_order_get_total (lukas), 9.90, 0.001);
}

static void
test_woocommerce_plugin (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(WaybillImportResult) result = import (fixture, "woocommerce-export-plugin.csv", WAYBILL_IMPORT_FLAGS_NONE);
  g_autoptr(WaybillOrder) juergen = NULL;
  g_autoptr(WaybillOrder) elodie = NULL;

  /* Byte-order mark, semicolons, CRLF, decimal commas. */
  assert_no_bad_rows (result);
  g_assert_cmpint (result->format, ==, WAYBILL_IMPORT_FORMAT_WOOCOMMERCE);
  g_assert_cmpuint (result->orders_new, ==, 2);
  g_assert_cmpuint (result->shipments_new, ==, 1);

  juergen = find (fixture, "4101");
  g_assert_cmpstr (waybill_order_get_customer (juergen), ==, "Jürgen Weiß");
  g_assert_cmpstr (waybill_order_get_items (juergen), ==, "1 × Lampe „Nordlicht“\n2 × Glühbirne");
  g_assert_cmpstr (waybill_order_get_address (juergen), ==, "Jürgen Weiß\nKönigsallee 1; 3. OG\nDüsseldorf 40212\nDE");
  g_assert_cmpstr (waybill_order_get_note (juergen), ==, "Bitte beim Nachbarn abgeben; danke!");
  g_assert_cmpfloat_with_epsilon (waybill_order_get_total (juergen), 49.90, 0.001);
  g_assert_cmpint (waybill_order_get_stage (juergen), ==, WAYBILL_STATUS_SHIPPED);
  g_assert_cmpstr (waybill_shipment_get_carrier (shipment_of (juergen, "00340434639921278870")), ==, "dhl-parcel-de");

  elodie = find (fixture, "4102");
  g_assert_cmpfloat_with_epsilon (waybill_order_get_total (elodie), 1234.50, 0.001);
  g_assert_cmpint (waybill_order_get_stage (elodie), ==, WAYBILL_STATUS_PROCESSING);
}

static void
test_etsy (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(WaybillImportResult) orders = import (fixture, "etsy-sold-orders.csv", WAYBILL_IMPORT_FLAGS_NONE);
  g_autoptr(WaybillImportResult) items = NULL;
  g_autoptr(WaybillOrder) jane = NULL;
  g_autoptr(WaybillOrder) robert = NULL;

  assert_no_bad_rows (orders);
  g_assert_cmpint (orders->format, ==, WAYBILL_IMPORT_FORMAT_ETSY);
  g_assert_cmpuint (orders->orders_new, ==, 2);

  jane = find (fixture, "3012345671");
  g_assert_cmpstr (waybill_order_get_customer (jane), ==, "Jane Doe");
  g_assert_cmpstr (waybill_order_get_address (jane), ==, "Jane Doe\n100 Main St\nBoston, MA 02108\nUnited States");
  g_assert_cmpfloat_with_epsilon (waybill_order_get_total (jane), 53.00, 0.001);
  g_assert_cmpint (waybill_order_get_stage (jane), ==, WAYBILL_STATUS_SHIPPED);
  g_assert_cmpint (g_date_time_to_unix (waybill_order_get_created (jane)), ==, unix_of ("2024-03-05T00:00:00Z"));
  g_assert_null (waybill_order_get_items (jane));

  robert = find (fixture, "3012345672");
  g_assert_cmpstr (waybill_order_get_customer (robert), ==, "Robert Smith, Jr.");
  g_assert_cmpstr (waybill_order_get_address (robert), ==,
                   "Robert Smith, Jr.\n42 \"Old\" Mill Rd\nUnit 2\nAustin, TX 73301\nUnited States");
  g_assert_cmpint (waybill_order_get_stage (robert), ==, WAYBILL_STATUS_PROCESSING);
  g_clear_object (&jane);
  g_clear_object (&robert);

  /* The order items fill in what the orders download leaves out. */
  items = import (fixture, "etsy-sold-order-items.csv", WAYBILL_IMPORT_FLAGS_NONE);
  assert_no_bad_rows (items);
  g_assert_cmpuint (items->orders_new, ==, 0);
  g_assert_cmpuint (items->orders_updated, ==, 2);
  g_assert_cmpuint (items->n_conflicts, ==, 0);
  jane = find (fixture, "3012345671");
  g_assert_cmpstr (waybill_order_get_items (jane), ==,
                   "1 × Silver ring, hammered (Size: 7)\n1 × Silver ring, plain (Size: 6)");
  /* Items, shipping and tax add up to the order total. */
  g_assert_cmpfloat_with_epsilon (waybill_order_get_total (jane), 53.00, 0.001);
  robert = find (fixture, "3012345672");
  g_assert_cmpfloat_with_epsilon (waybill_order_get_total (robert), 20.24, 0.001);
  /* The items download has no status: the stage stays. */
  g_assert_cmpint (waybill_order_get_stage (robert), ==, WAYBILL_STATUS_PROCESSING);
}

static void
test_unicode_text (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(WaybillImportResult) result = import (fixture, "shopify-unicode-text.txt", WAYBILL_IMPORT_FLAGS_NONE);
  g_autoptr(WaybillOrder) zoe = NULL;
  g_autoptr(WaybillOrder) kenji = NULL;

  assert_no_bad_rows (result);
  g_assert_cmpuint (result->orders_new, ==, 2);

  zoe = find (fixture, "1101");
  g_assert_cmpstr (waybill_order_get_customer (zoe), ==, "Zoë Lefèvre");
  g_assert_cmpstr (waybill_order_get_items (zoe), ==, "1 × Tasse «Zoë»\n2 × Sous-verre");
  g_assert_cmpint (g_date_time_to_unix (waybill_order_get_created (zoe)), ==, unix_of ("2024-04-01T10:00:00+02:00"));
  kenji = find (fixture, "1102");
  g_assert_cmpstr (waybill_order_get_customer (kenji), ==, "山田 健二");
  g_assert_cmpstr (waybill_order_get_items (kenji), ==, "1 × 湯呑み");
  g_assert_cmpfloat_with_epsilon (waybill_order_get_total (kenji), 3200, 0.001);
  g_assert_cmpstr (waybill_order_get_currency (kenji), ==, "JPY");
}

static void
test_custom_mapping (Fixture       *fixture,
                     gconstpointer  data)
{
  static const char * const maps[] = {
    "order_number=Ref", "customer=Client", "email=e-mail", "created=Placed on", "total=Amount",
    "tracking_number=Parcel", "carrier=Shipper", "note=Comments", NULL
  };
  static const char * const missing[] = { "order_number=Reference", NULL };
  static const char * const no_number[] = { "customer=Client", NULL };
  g_autoptr(WaybillImportResult) result = NULL;
  g_autoptr(WaybillImportResult) failed = NULL;
  g_autoptr(WaybillImporter) importer = waybill_importer_new (fixture->store);
  g_autoptr(WaybillOrder) nora = NULL;
  g_autoptr(WaybillOrder) ole = NULL;
  g_autoptr(WaybillOrder) per = NULL;
  g_autoptr(GError) error = NULL;

  /* Without a mapping, an unknown header is refused. */
  failed = import_full (fixture, "custom.tsv", WAYBILL_IMPORT_FORMAT_AUTO, 0, NULL, &error);
  g_assert_error (error, WAYBILL_IMPORT_ERROR, WAYBILL_IMPORT_ERROR_UNKNOWN_FORMAT);
  g_assert_null (failed);
  g_clear_error (&error);

  failed = import_full (fixture, "custom.tsv", WAYBILL_IMPORT_FORMAT_AUTO, 0, missing, &error);
  g_assert_error (error, WAYBILL_IMPORT_ERROR, WAYBILL_IMPORT_ERROR_MAPPING);
  g_assert_nonnull (strstr (error->message, "Reference"));
  g_assert_null (failed);
  g_clear_error (&error);

  failed = import_full (fixture, "custom.tsv", WAYBILL_IMPORT_FORMAT_AUTO, 0, no_number, &error);
  g_assert_error (error, WAYBILL_IMPORT_ERROR, WAYBILL_IMPORT_ERROR_MAPPING);
  g_assert_null (failed);
  g_clear_error (&error);

  g_assert_false (waybill_importer_parse_mapping (importer, "colour=Shade", &error));
  g_assert_error (error, WAYBILL_IMPORT_ERROR, WAYBILL_IMPORT_ERROR_MAPPING);
  g_clear_error (&error);
  g_assert_false (waybill_importer_parse_mapping (importer, "customer", &error));
  g_assert_error (error, WAYBILL_IMPORT_ERROR, WAYBILL_IMPORT_ERROR_MAPPING);
  g_clear_error (&error);
  g_assert_true (waybill_importer_parse_mapping (importer, "note = Comments", &error));
  g_assert_cmpstr (waybill_importer_get_mapping (importer, WAYBILL_IMPORT_FIELD_NOTE), ==, "Comments");
  waybill_importer_set_mapping (importer, WAYBILL_IMPORT_FIELD_NOTE, NULL);
  g_assert_null (waybill_importer_get_mapping (importer, WAYBILL_IMPORT_FIELD_NOTE));
  g_assert_cmpint (n_orders (fixture), ==, 0);

  result = import_full (fixture, "custom.tsv", WAYBILL_IMPORT_FORMAT_AUTO, 0, maps, &error);
  g_assert_no_error (error);
  assert_no_bad_rows (result);
  g_assert_cmpint (result->format, ==, WAYBILL_IMPORT_FORMAT_CUSTOM);
  g_assert_cmpuint (result->orders_new, ==, 3);
  g_assert_cmpuint (result->shipments_new, ==, 2);

  nora = find (fixture, "A-17");
  g_assert_cmpstr (waybill_order_get_customer (nora), ==, "Nora Jensen");
  g_assert_cmpstr (waybill_order_get_note (nora), ==, "Tab\there, \"quoted\" and\nsecond line");
  g_assert_cmpfloat_with_epsilon (waybill_order_get_total (nora), 18.50, 0.001);
  /* A parcel, with no stage in the file: the new order has shipped. */
  g_assert_cmpint (waybill_order_get_stage (nora), ==, WAYBILL_STATUS_SHIPPED);
  g_assert_cmpstr (waybill_shipment_get_carrier (shipment_of (nora, "RB123456785GB")), ==, "royal-mail");
  g_assert_cmpint (g_date_time_to_unix (waybill_order_get_created (nora)), ==, unix_of ("2024-07-01T00:00:00Z"));

  ole = find (fixture, "A-18");
  g_assert_cmpstr (waybill_order_get_customer (ole), ==, "Ole, the Elder");
  /* "deutsche post" is matched to the carrier table. */
  g_assert_cmpstr (waybill_shipment_get_carrier (shipment_of (ole, "LX123456785DE")), ==, "deutsche-post");
  /* Month first. */
  g_assert_cmpint (g_date_time_to_unix (waybill_order_get_created (ole)), ==, unix_of ("2024-07-02T00:00:00Z"));

  per = find (fixture, "A-19");
  g_assert_null (waybill_order_get_email (per));
  g_assert_cmpfloat_with_epsilon (waybill_order_get_total (per), 0, 0.001);
  g_assert_cmpint (waybill_order_get_stage (per), ==, WAYBILL_STATUS_RECEIVED);
  g_assert_cmpint (g_date_time_to_unix (waybill_order_get_created (per)), ==, unix_of ("2024-07-03T08:00:00Z"));
}

static void
assert_bad_row (WaybillImportResult *result,
                guint                index,
                guint64              line,
                const char          *part)
{
  WaybillImportBadRow *row;

  g_assert_cmpuint (index, <, result->rows_bad->len);
  row = g_ptr_array_index (result->rows_bad, index);
  g_test_message ("line %" G_GUINT64_FORMAT ": %s", row->line, row->reason);
  g_assert_cmpuint (row->line, ==, line);
  g_assert_nonnull (strstr (row->reason, part));
}

static void
check_bad_rows (WaybillImportResult *result)
{
  g_assert_cmpuint (result->n_rows_bad, ==, 7);
  g_assert_cmpuint (result->rows_bad->len, ==, 7);
  assert_bad_row (result, 0, 5, "order number is missing");
  assert_bad_row (result, 1, 6, "“yesterday”");
  assert_bad_row (result, 2, 7, "“twelve”");
  assert_bad_row (result, 3, 8, "check digit of tracking number 1Z999AA10123456785");
  assert_bad_row (result, 4, 9, "5 fields where the header has 13");
  assert_bad_row (result, 5, 10, "UTF-8");
  assert_bad_row (result, 6, 12, "never closed");
}

static void
test_bad_rows (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(WaybillImportResult) none = import (fixture, "bad-rows.csv", WAYBILL_IMPORT_FLAGS_NONE);
  g_autoptr(WaybillImportResult) rest = NULL;
  g_autoptr(WaybillOrder) don = NULL;
  g_autoptr(WaybillOrder) alan = NULL;
  g_autoptr(GError) error = NULL;

  /* Without "skip bad": every bad row named, nothing written. */
  check_bad_rows (none);
  g_assert_false (none->written);
  g_assert_cmpuint (none->orders_new, ==, 3);
  g_assert_cmpint (n_orders (fixture), ==, 0);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM import_origins"), ==, 0);

  rest = import (fixture, "bad-rows.csv", WAYBILL_IMPORT_SKIP_BAD);
  check_bad_rows (rest);
  g_assert_true (rest->written);
  g_assert_cmpuint (rest->orders_new, ==, 3);
  g_assert_cmpuint (rest->shipments_new, ==, 1);
  g_assert_cmpint (n_orders (fixture), ==, 3);

  don = find (fixture, "5008");
  g_assert_cmpstr (waybill_order_get_note (don), ==, "He said \"read it all\"");
  alan = find (fixture, "5002");
  g_assert_cmpstr (waybill_shipment_get_carrier (shipment_of (alan, "9400105555500000000018")), ==, "usps");
  g_assert_null (waybill_store_find_order (fixture->store, "5005", &error));
  g_assert_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_NOT_FOUND);
}

static void
test_dry_run (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(WaybillImportResult) result = import (fixture, "woocommerce-orders.csv", WAYBILL_IMPORT_DRY_RUN);
  g_autoptr(WaybillImportResult) real = NULL;

  g_assert_true (result->dry_run);
  g_assert_false (result->written);
  g_assert_cmpuint (result->orders_new, ==, 3);
  g_assert_cmpuint (result->shipments_new, ==, 2);
  g_assert_cmpint (n_orders (fixture), ==, 0);
  g_assert_cmpint (n_shipments (fixture), ==, 0);

  real = import (fixture, "woocommerce-orders.csv", WAYBILL_IMPORT_FLAGS_NONE);
  g_assert_cmpuint (real->orders_new, ==, result->orders_new);
  g_assert_cmpint (n_orders (fixture), ==, 3);
}

static void
test_duplicates (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(WaybillImportResult) result = import (fixture, "duplicates.csv", WAYBILL_IMPORT_FLAGS_NONE);
  g_autoptr(WaybillImportResult) conflicting = NULL;
  g_autoptr(WaybillOrder) kay = NULL;
  g_autoptr(WaybillOrder) max = NULL;

  /* A repeated row, a repeated order further down, a number twice in an
   * order: one order, its two parcels, no duplicates. */
  assert_no_bad_rows (result);
  g_assert_cmpuint (result->orders_new, ==, 2);
  g_assert_cmpuint (result->shipments_new, ==, 2);
  g_assert_cmpint (n_orders (fixture), ==, 2);
  g_assert_cmpint (n_shipments (fixture), ==, 2);
  kay = find (fixture, "6001");
  g_assert_cmpstr (waybill_order_get_items (kay), ==, "1 × Poster A\n1 × Poster B");
  g_assert_cmpuint (waybill_order_get_shipments (kay)->len, ==, 2);

  /* The same number with other details: which is right?  Reported. */
  conflicting = import (fixture, "duplicates-conflicting.csv", WAYBILL_IMPORT_SKIP_BAD);
  g_assert_cmpuint (conflicting->n_rows_bad, ==, 1);
  assert_bad_row (conflicting, 0, 4, "6101");
  max = find (fixture, "6101");
  g_assert_cmpstr (waybill_order_get_email (max), ==, "max@example.com");
}

static char *
write_temp (Fixture    *fixture,
            const char *name,
            const char *contents,
            gssize      length)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (fixture->dir, name, NULL);

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);

  return path;
}

static void
test_values (Fixture       *fixture,
             gconstpointer  data)
{
  static const char * const maps[] = { "order_number=n", "total=t", "created=c", NULL };
  static const struct
  {
    const char *total;
    double      value;
    const char *created;
    const char *iso;
  } good[] = {
    { "1,234.50", 1234.50, "2024-03-05 14:02:11 -0500", "2024-03-05T14:02:11-05:00" },
    { "1.234,50", 1234.50, "03/05/24", "2024-03-05T00:00:00Z" },
    { "$29.99", 29.99, "05.03.2024", "2024-03-05T00:00:00Z" },
    { "29,99 €", 29.99, "2024-03-05T14:02:11Z", "2024-03-05T14:02:11Z" },
    { "CHF 1'234.50", 1234.50, "1714660000", "2024-05-02T14:26:40Z" },
    { "1 234,5", 1234.5, "3/5/2024 2:05 PM", "2024-03-05T14:05:00Z" },
    { "USD 7", 7, "2024-03-05 14:02:11.250+05:30", "2024-03-05T14:02:11+05:30" },
    { "0.5", 0.5, "25/12/2024 23:59", "2024-12-25T23:59:00Z" },
    { "1,234", 1234, "2024/03/05 08:00 UTC", "2024-03-05T08:00:00Z" },
  };
  static const char * const bad_totals[] = { "twelve", "12.3.4", "-5.00", "1..5", "12,34,5", "1O.00" };
  static const char * const bad_dates[] = { "yesterday", "31/31/2024", "2024-02-30", "2024-03-05 25:00", "5 March" };
  g_autoptr(GString) csv = g_string_new ("n;t;c\n");
  g_autoptr(WaybillImportResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_string_append_printf (csv, "G%u;%s;%s\n", i, good[i].total, good[i].created);
  for (guint i = 0; i < G_N_ELEMENTS (bad_totals); i++)
    g_string_append_printf (csv, "T%u;%s;\n", i, bad_totals[i]);
  for (guint i = 0; i < G_N_ELEMENTS (bad_dates); i++)
    g_string_append_printf (csv, "D%u;;%s\n", i, bad_dates[i]);
  path = write_temp (fixture, "values.csv", csv->str, csv->len);

  result = import_full (fixture, path, WAYBILL_IMPORT_FORMAT_AUTO, WAYBILL_IMPORT_SKIP_BAD, maps, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->orders_new, ==, G_N_ELEMENTS (good));
  g_assert_cmpuint (result->n_rows_bad, ==, G_N_ELEMENTS (bad_totals) + G_N_ELEMENTS (bad_dates));

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autofree char *number = g_strdup_printf ("G%u", i);
      g_autoptr(WaybillOrder) order = find (fixture, number);

      g_test_message ("%s %s", good[i].total, good[i].created);
      g_assert_cmpfloat_with_epsilon (waybill_order_get_total (order), good[i].value, 0.0001);
      g_assert_cmpint (g_date_time_to_unix (waybill_order_get_created (order)), ==, unix_of (good[i].iso));
    }
  for (guint i = 0; i < result->rows_bad->len; i++)
    {
      WaybillImportBadRow *row = g_ptr_array_index (result->rows_bad, i);

      g_assert_cmpuint (row->line, ==, 2 + G_N_ELEMENTS (good) + i);
      g_assert_nonnull (strstr (row->reason, i < G_N_ELEMENTS (bad_totals) ? "amount" : "date"));
      n++;
    }
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (bad_totals) + G_N_ELEMENTS (bad_dates));
}

static void
test_big_field (Fixture       *fixture,
                gconstpointer  data)
{
  static const char * const maps[] = { "order_number=number", "customer=name", "note=note", NULL };
  g_autoptr(GString) csv = g_string_new ("number,name,note\r\n7001,\"Big, Note\",\"");
  g_autoptr(WaybillImportResult) result = NULL;
  g_autoptr(WaybillOrder) order = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  for (guint i = 0; i < 1024 * 1024; i++)
    g_string_append_c (csv, i % 100 == 99 ? '\n' : i % 7 == 0 ? '"' : 'a' + i % 26);
  /* The quotes inside are doubled, as in a real file. */
  {
    g_autoptr(GString) body = g_string_new (NULL);
    const char *start = csv->str + strlen ("number,name,note\r\n7001,\"Big, Note\",\"");

    for (const char *p = start; *p; p++)
      {
        if (*p == '"')
          g_string_append_c (body, '"');
        g_string_append_c (body, *p);
      }
    g_string_truncate (csv, start - csv->str);
    g_string_append_len (csv, body->str, body->len);
  }
  g_string_append (csv, "\"\r\n7002,Small,\r\n");
  path = write_temp (fixture, "big.csv", csv->str, csv->len);

  result = import_full (fixture, path, WAYBILL_IMPORT_FORMAT_AUTO, 0, maps, &error);
  g_assert_no_error (error);
  assert_no_bad_rows (result);
  g_assert_cmpuint (result->orders_new, ==, 2);
  order = find (fixture, "7001");
  g_assert_cmpuint (strlen (waybill_order_get_note (order)), ==, 1024 * 1024);
  g_assert_cmpint (waybill_order_get_note (order)[0], ==, '"');
  g_assert_cmpstr (waybill_order_get_customer (order), ==, "Big, Note");
}

static void
test_wrong_format (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(WaybillImportResult) result = NULL;
  g_autoptr(WaybillImportResult) forced = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *empty = write_temp (fixture, "empty.csv", "", 0);
  g_autofree char *json = write_temp (fixture, "other.json", "{\"orders\": 3}", -1);

  result = import_full (fixture, "etsy-sold-orders.csv", WAYBILL_IMPORT_FORMAT_SHOPIFY, 0, NULL, &error);
  g_assert_error (error, WAYBILL_IMPORT_ERROR, WAYBILL_IMPORT_ERROR_WRONG_FORMAT);
  g_assert_null (result);
  g_clear_error (&error);

  result = import_full (fixture, empty, WAYBILL_IMPORT_FORMAT_AUTO, 0, NULL, &error);
  g_assert_error (error, WAYBILL_IMPORT_ERROR, WAYBILL_IMPORT_ERROR_EMPTY);
  g_assert_null (result);
  g_clear_error (&error);

  result = import_full (fixture, json, WAYBILL_IMPORT_FORMAT_AUTO, 0, NULL, &error);
  g_assert_error (error, WAYBILL_IMPORT_ERROR, WAYBILL_IMPORT_ERROR_INVALID);
  g_assert_null (result);
  g_clear_error (&error);

  result = import_full (fixture, "no-such-file.csv", WAYBILL_IMPORT_FORMAT_AUTO, 0, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_null (result);
  g_clear_error (&error);

  /* A known format, named: read as such. */
  forced = import_full (fixture, "etsy-sold-orders.csv", WAYBILL_IMPORT_FORMAT_ETSY, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (forced->orders_new, ==, 2);
}

static void
test_preview (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(WaybillImporter) importer = waybill_importer_new (fixture->store);
  g_autoptr(GFile) file = g_file_new_for_path (DATA "woocommerce-orders.csv");
  g_autoptr(WaybillImportResult) result = NULL;
  g_autoptr(GError) error = NULL;
  WaybillOrder *first;

  g_assert_true (waybill_importer_get_store (importer) == fixture->store);
  waybill_importer_set_preview_limit (importer, 2);
  waybill_importer_set_flags (importer, WAYBILL_IMPORT_DRY_RUN);
  result = waybill_importer_run (importer, file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->preview->len, ==, 2);
  first = g_ptr_array_index (result->preview, 0);
  g_assert_cmpstr (waybill_order_get_order_number (first), ==, "2001");
  g_assert_cmpstr (waybill_order_get_customer (first), ==, "Maria García");
  g_assert_cmpuint (waybill_order_get_shipments (first)->len, ==, 1);
  g_assert_cmpint (waybill_order_get_id (first), ==, 0);
  g_assert_cmpint (n_orders (fixture), ==, 0);
  g_assert_cmpfloat (waybill_importer_get_progress (importer), ==, 1.0);
}

/* A shop of @n_orders orders in Waybill's own CSV, written for the test. */
static char *
write_big_file (Fixture *fixture,
                guint    n_orders)
{
  g_autoptr(GString) csv = g_string_new ("order_number,customer,email,phone,address,items,total,currency,"
                                         "created,stage,archived,note,carrier,tracking_number,status\n");
  /* Long notes make a file of several read buffers from few orders, so
   * that progress moves in steps. */
  g_autofree char *note = g_strnfill (400, 'n');

  for (guint i = 0; i < n_orders; i++)
    g_string_append_printf (csv, "B%u,Customer %u,c%u@example.com,,\"Street %u\nTown\",1 × Thing,%u.50,EUR,"
                                 "2024-01-01T00:00:00Z,received,no,%s,,,\n", i, i, i, i, i % 100, note);

  return write_temp (fixture, "big-shop.csv", csv->str, csv->len);
}

static void
cancel_on_progress_cb (GObject    *object,
                       GParamSpec *pspec,
                       gpointer    user_data)
{
  WaybillImporter *importer = WAYBILL_IMPORTER (object);

  if (waybill_importer_get_progress (importer) > 0.0)
    g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *path = write_big_file (fixture, 1000);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(WaybillImporter) importer = waybill_importer_new (fixture->store);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(WaybillImportResult) result = NULL;
  g_autoptr(WaybillImportResult) complete = NULL;
  g_autoptr(GError) error = NULL;

  /* Cancelled part-way: nothing of it is written. */
  g_signal_connect (importer, "notify::progress", G_CALLBACK (cancel_on_progress_cb), cancellable);
  result = waybill_importer_run (importer, file, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (result);
  g_assert_cmpfloat (waybill_importer_get_progress (importer), >, 0.0);
  g_assert_cmpfloat (waybill_importer_get_progress (importer), <, 1.0);
  g_assert_cmpint (n_orders (fixture), ==, 0);
  g_clear_error (&error);

  /* The store is usable at once: the transaction is gone. */
  g_signal_handlers_disconnect_by_func (importer, cancel_on_progress_cb, cancellable);
  complete = import (fixture, "woocommerce-orders.csv", WAYBILL_IMPORT_FLAGS_NONE);
  g_assert_cmpuint (complete->orders_new, ==, 3);
  g_assert_cmpint (n_orders (fixture), ==, 3);
}

typedef struct
{
  WaybillImportResult *result;
  GError              *error;
  gboolean             done;
  GThread             *main_thread;
  guint                n_progress;
  double               last_progress;
  gboolean             monotonic;
  guint                n_changed;
} AsyncState;

static void
async_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  AsyncState *state = user_data;

  state->result = waybill_importer_run_finish (WAYBILL_IMPORTER (object), result, &state->error);
  state->done = TRUE;
}

static void
async_progress_cb (GObject    *object,
                   GParamSpec *pspec,
                   gpointer    user_data)
{
  AsyncState *state = user_data;
  double progress = waybill_importer_get_progress (WAYBILL_IMPORTER (object));

  /* On the main context, never in the import thread. */
  g_assert_true (g_thread_self () == state->main_thread);
  state->monotonic &= progress >= state->last_progress;
  state->last_progress = progress;
  state->n_progress++;
}

static void
changed_cb (WaybillStore *store,
            gpointer      user_data)
{
  ((AsyncState *) user_data)->n_changed++;
}

static void
wait_for (AsyncState *state)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!state->done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  /* Progress updates queued before the end. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (state->done);
}

/* Drops the last reference the test holds.  The import thread lets go of
 * its task (and so of the importer and its store) just after the result
 * reached the main context: wait for that. */
static void
unref_and_wait (gpointer object)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  GWeakRef ref;
  GObject *alive;

  g_weak_ref_init (&ref, object);
  g_object_unref (object);
  while ((alive = g_weak_ref_get (&ref)) != NULL && g_get_monotonic_time () < deadline)
    {
      g_object_unref (alive);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_null (alive);
  g_weak_ref_clear (&ref);
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *path = write_big_file (fixture, 600);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  WaybillImporter *importer = waybill_importer_new (fixture->store);
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  AsyncState state = { NULL };
  AsyncState stopped = { NULL };

  state.main_thread = stopped.main_thread = g_thread_self ();
  state.monotonic = TRUE;
  g_signal_connect (importer, "notify::progress", G_CALLBACK (async_progress_cb), &state);
  g_signal_connect (fixture->store, "changed", G_CALLBACK (changed_cb), &state);

  waybill_importer_run_async (importer, file, NULL, async_done_cb, &state);
  wait_for (&state);
  g_assert_no_error (state.error);
  g_assert_nonnull (state.result);
  g_assert_true (state.result->written);
  g_assert_cmpuint (state.result->orders_new, ==, 600);
  g_assert_cmpuint (state.n_progress, >=, 3);
  g_assert_true (state.monotonic);
  g_assert_cmpfloat (waybill_importer_get_progress (importer), ==, 1.0);
  /* The window's store learns of the new orders at once. */
  g_assert_cmpuint (state.n_changed, ==, 1);
  g_assert_cmpint (n_orders (fixture), ==, 600);
  g_clear_pointer (&state.result, waybill_import_result_free);

  /* Cancelled before it starts: an error, and nothing written. */
  g_signal_handlers_disconnect_by_func (importer, async_progress_cb, &state);
  g_cancellable_cancel (cancelled);
  waybill_importer_run_async (importer, file, cancelled, async_done_cb, &stopped);
  wait_for (&stopped);
  g_assert_error (stopped.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (stopped.result);
  g_clear_error (&stopped.error);
  g_assert_cmpuint (state.n_changed, ==, 1);

  g_signal_handlers_disconnect_by_func (fixture->store, changed_cb, &state);
  unref_and_wait (importer);
}

static void
test_busy_database (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(WaybillStore) other = NULL;
  g_autoptr(WaybillImportResult) result = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  /* Another process holds the write lock past the busy timeout: the
   * import fails cleanly and leaves nothing behind. */
  other = test_open_store (fixture->path);
  db = waybill_store_get_db (other);
  g_assert_cmpint (sqlite3_busy_timeout (waybill_store_get_db (fixture->store), 50), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);

  result = import_full (fixture, "woocommerce-orders.csv", WAYBILL_IMPORT_FORMAT_AUTO, 0, NULL, &error);
  g_assert_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_BUSY);
  g_assert_null (result);
  g_clear_error (&error);

  g_assert_cmpint (sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  result = import_full (fixture, "woocommerce-orders.csv", WAYBILL_IMPORT_FORMAT_AUTO, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->orders_new, ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/waybill/import/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/waybill/import/ids", test_ids);
  g_test_add_func ("/waybill/import/inspect", test_inspect);
  ADD ("shopify", test_shopify);
  ADD ("same-file-twice", test_same_file_twice);
  ADD ("shopify-updated", test_shopify_updated);
  ADD ("user-edits", test_user_edits);
  ADD ("hand-made-order", test_hand_made_order);
  ADD ("woocommerce", test_woocommerce);
  ADD ("woocommerce-plugin", test_woocommerce_plugin);
  ADD ("etsy", test_etsy);
  ADD ("unicode-text", test_unicode_text);
  ADD ("custom-mapping", test_custom_mapping);
  ADD ("bad-rows", test_bad_rows);
  ADD ("dry-run", test_dry_run);
  ADD ("duplicates", test_duplicates);
  ADD ("values", test_values);
  ADD ("big-field", test_big_field);
  ADD ("wrong-format", test_wrong_format);
  ADD ("preview", test_preview);
  ADD ("cancel", test_cancel);
  ADD ("async", test_async);
  ADD ("busy-database", test_busy_database);

#undef ADD

  return g_test_run ();
}
