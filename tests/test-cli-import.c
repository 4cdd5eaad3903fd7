/* test-cli-import.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cli-run.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/wait.h>

/* `waybill import` and `waybill export`, run as a user or a script would:
 * the real binary on private data folders. */

#define DATA TEST_SRCDIR "/data/import/"

typedef struct
{
  char *dir;
  char *other;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = test_make_tmp_dir ("cli-import");
  fixture->other = g_build_filename (fixture->dir, "other", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  remove_tree (fixture->dir);
  g_free (fixture->other);
  g_free (fixture->dir);
}

static guint
count_orders (const char *data_dir)
{
  g_auto(Run) run = { 0 };
  g_auto(Run) archived = { 0 };
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) archived_node = NULL;

  waybill (&run, data_dir, "list", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  node = parse (run.out);
  waybill (&archived, data_dir, "list", "--archived", "--json", NULL);
  g_assert_cmpint (archived.status, ==, 0);
  archived_node = parse (archived.out);

  return json_array_get_length (json_node_get_array (node)) +
         json_array_get_length (json_node_get_array (archived_node));
}

static void
test_help (Fixture       *fixture,
           gconstpointer  data)
{
  static const char * const import_options[] = { "--dry-run", "--format", "--map", "--skip-bad",
                                                 "--overwrite-edits", "--data-dir", "--json" };
  g_auto(Run) top = { 0 };
  g_auto(Run) import = { 0 };
  g_auto(Run) export = { 0 };

  waybill (&top, NULL, "--help", NULL);
  g_assert_cmpint (top.status, ==, 0);
  g_assert_nonnull (strstr (top.out, "import"));
  g_assert_nonnull (strstr (top.out, "export"));

  waybill (&import, NULL, "import", "--help", NULL);
  g_assert_cmpint (import.status, ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (import_options); i++)
    g_assert_nonnull (strstr (import.out, import_options[i]));

  waybill (&export, NULL, "export", "--help", NULL);
  g_assert_cmpint (export.status, ==, 0);
  g_assert_nonnull (strstr (export.out, "--format"));
  g_assert_nonnull (strstr (export.out, "--output"));
}

static void
test_import_json (Fixture       *fixture,
                  gconstpointer  data)
{
  g_auto(Run) first = { 0 };
  g_auto(Run) second = { 0 };
  g_auto(Run) newer = { 0 };
  g_auto(Run) show = { 0 };
  g_autoptr(JsonNode) first_node = NULL;
  g_autoptr(JsonNode) second_node = NULL;
  g_autoptr(JsonNode) newer_node = NULL;
  g_autoptr(JsonNode) show_node = NULL;
  JsonObject *result;
  JsonObject *shipment;

  waybill (&first, fixture->dir, "import", DATA "shopify-orders.csv", "--json", NULL);
  g_assert_cmpint (first.status, ==, 0);
  g_assert_cmpstr (first.err, ==, "");
  first_node = parse (first.out);
  result = json_node_get_object (first_node);
  g_assert_cmpstr (json_object_get_string_member (result, "format"), ==, "shopify");
  g_assert_cmpint (json_object_get_int_member (result, "orders_new"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (result, "orders_updated"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (result, "shipments_new"), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (result, "rows_bad")), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (result, "conflicts")), ==, 0);
  g_assert_true (json_object_get_boolean_member (result, "written"));
  g_assert_cmpuint (count_orders (fixture->dir), ==, 3);

  /* Twice: nothing new. */
  waybill (&second, fixture->dir, "import", DATA "shopify-orders.csv", "--json", NULL);
  g_assert_cmpint (second.status, ==, 0);
  second_node = parse (second.out);
  result = json_node_get_object (second_node);
  g_assert_cmpint (json_object_get_int_member (result, "orders_new"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (result, "orders_updated"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (result, "shipments_new"), ==, 0);
  g_assert_cmpuint (count_orders (fixture->dir), ==, 3);

  waybill (&newer, fixture->dir, "import", DATA "shopify-orders-updated.csv", "--format", "shopify",
           "--json", NULL);
  g_assert_cmpint (newer.status, ==, 0);
  newer_node = parse (newer.out);
  result = json_node_get_object (newer_node);
  g_assert_cmpint (json_object_get_int_member (result, "orders_new"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (result, "orders_updated"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (result, "shipments_new"), ==, 3);

  /* Carriers recognised. */
  waybill (&show, fixture->dir, "show", "#1004", "--json", NULL);
  g_assert_cmpint (show.status, ==, 0);
  show_node = parse (show.out);
  shipment = json_array_get_object_element (json_object_get_array_member (json_node_get_object (show_node),
                                                                          "shipments"), 0);
  g_assert_cmpstr (json_object_get_string_member (shipment, "carrier"), ==, "royal-mail");
  g_assert_cmpstr (json_object_get_string_member (shipment, "tracking_number"), ==, "RB123456785GB");
}

static void
test_bad_rows (Fixture       *fixture,
               gconstpointer  data)
{
  g_auto(Run) stopped = { 0 };
  g_auto(Run) human = { 0 };
  g_auto(Run) skipped = { 0 };
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) skipped_node = NULL;
  JsonArray *rows;
  static const gint64 lines[] = { 5, 6, 7, 8, 9, 10, 12 };

  waybill (&stopped, fixture->dir, "import", DATA "bad-rows.csv", "--json", NULL);
  assert_one_error_line (&stopped);
  g_assert_nonnull (strstr (stopped.err, "--skip-bad"));
  node = parse (stopped.out);
  rows = json_object_get_array_member (json_node_get_object (node), "rows_bad");
  g_assert_cmpuint (json_array_get_length (rows), ==, G_N_ELEMENTS (lines));
  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);

      g_assert_cmpint (json_object_get_int_member (row, "line"), ==, lines[i]);
      g_assert_cmpuint (strlen (json_object_get_string_member (row, "reason")), >, 10);
    }
  g_assert_false (json_object_get_boolean_member (json_node_get_object (node), "written"));
  /* Nothing written. */
  g_assert_cmpuint (count_orders (fixture->dir), ==, 0);

  waybill (&human, fixture->dir, "import", DATA "bad-rows.csv", NULL);
  assert_one_error_line (&human);
  g_assert_nonnull (strstr (human.out, "Line 8: "));
  g_assert_nonnull (strstr (human.out, "1Z999AA10123456785"));

  waybill (&skipped, fixture->dir, "import", DATA "bad-rows.csv", "--skip-bad", "--json", NULL);
  g_assert_cmpint (skipped.status, ==, 0);
  skipped_node = parse (skipped.out);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (skipped_node), "orders_new"), ==, 3);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (skipped_node),
                                                                         "rows_bad")), ==, 7);
  g_assert_cmpuint (count_orders (fixture->dir), ==, 3);
}

static void
test_dry_run (Fixture       *fixture,
              gconstpointer  data)
{
  g_auto(Run) dry = { 0 };
  g_autoptr(JsonNode) node = NULL;

  waybill (&dry, fixture->dir, "import", DATA "woocommerce-orders.csv", "--dry-run", "--json", NULL);
  g_assert_cmpint (dry.status, ==, 0);
  node = parse (dry.out);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "orders_new"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "shipments_new"), ==, 2);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (node), "dry_run"));
  g_assert_cmpuint (count_orders (fixture->dir), ==, 0);
}

static void
test_conflicts (Fixture       *fixture,
                gconstpointer  data)
{
  g_auto(Run) add = { 0 };
  g_auto(Run) import = { 0 };
  g_auto(Run) human = { 0 };
  g_autoptr(JsonNode) node = NULL;
  JsonArray *conflicts;
  JsonObject *conflict;

  waybill (&add, fixture->dir, "add", "--order", "2001", "--customer", "M. García", NULL);
  g_assert_cmpint (add.status, ==, 0);

  waybill (&import, fixture->dir, "import", DATA "woocommerce-orders.csv", "--json", NULL);
  g_assert_cmpint (import.status, ==, 0);
  node = parse (import.out);
  conflicts = json_object_get_array_member (json_node_get_object (node), "conflicts");
  g_assert_cmpuint (json_array_get_length (conflicts), ==, 1);
  conflict = json_array_get_object_element (conflicts, 0);
  g_assert_cmpstr (json_object_get_string_member (conflict, "order_number"), ==, "2001");
  g_assert_cmpstr (json_object_get_string_member (conflict, "field"), ==, "customer");
  g_assert_cmpstr (json_object_get_string_member (conflict, "ours"), ==, "M. García");
  g_assert_cmpstr (json_object_get_string_member (conflict, "theirs"), ==, "Maria García");
  g_assert_cmpstr (json_object_get_string_member (conflict, "kept"), ==, "ours");

  waybill (&human, fixture->dir, "import", DATA "woocommerce-orders.csv", NULL);
  g_assert_cmpint (human.status, ==, 0);
  g_assert_nonnull (strstr (human.out, "Order 2001: customer"));
}

static void
test_map (Fixture       *fixture,
          gconstpointer  data)
{
  g_auto(Run) unknown = { 0 };
  g_auto(Run) mapped = { 0 };
  g_auto(Run) bad_map = { 0 };
  g_auto(Run) bad_format = { 0 };
  g_auto(Run) missing = { 0 };
  g_autoptr(JsonNode) node = NULL;

  waybill (&unknown, fixture->dir, "import", DATA "custom.tsv", NULL);
  assert_one_error_line (&unknown);
  g_assert_nonnull (strstr (unknown.err, "--map"));

  waybill (&mapped, fixture->dir, "import", DATA "custom.tsv", "--map", "order_number=Ref",
           "--map", "customer=Client", "--map", "tracking_number=Parcel", "--map", "carrier=Shipper",
           "--json", NULL);
  g_assert_cmpint (mapped.status, ==, 0);
  node = parse (mapped.out);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "format"), ==, "custom");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "orders_new"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "shipments_new"), ==, 2);

  waybill (&bad_map, fixture->dir, "import", DATA "custom.tsv", "--map", "colour=Ref", NULL);
  assert_one_error_line (&bad_map);
  waybill (&bad_format, fixture->dir, "import", DATA "custom.tsv", "--format", "amazon", NULL);
  assert_one_error_line (&bad_format);
  waybill (&missing, fixture->dir, "import", DATA "no-such-file.csv", NULL);
  assert_one_error_line (&missing);
}

static GHashTable *
orders_by_number (const char *text)
{
  g_autoptr(JsonNode) node = parse (text);
  JsonArray *array = json_node_get_array (node);
  GHashTable *orders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *order = json_array_get_element (array, i);

      g_hash_table_insert (orders,
                           g_strdup (json_object_get_string_member (json_node_get_object (order), "order_number")),
                           json_to_string (order, FALSE));
    }

  return orders;
}

static void
assert_same_orders (const char *a,
                    const char *b)
{
  g_autoptr(GHashTable) first = orders_by_number (a);
  g_autoptr(GHashTable) second = orders_by_number (b);
  GHashTableIter iter;
  gpointer number, order;

  g_assert_cmpuint (g_hash_table_size (first), >, 0);
  g_assert_cmpuint (g_hash_table_size (first), ==, g_hash_table_size (second));
  g_hash_table_iter_init (&iter, first);
  while (g_hash_table_iter_next (&iter, &number, &order))
    g_assert_cmpstr (order, ==, g_hash_table_lookup (second, number));
}

static void
test_export_round_trip (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *json_path = g_build_filename (fixture->dir, "all.json", NULL);
  g_auto(Run) demo = { 0 };
  g_auto(Run) export = { 0 };
  g_auto(Run) import = { 0 };
  g_auto(Run) csv = { 0 };
  g_auto(Run) list_a = { 0 };
  g_auto(Run) list_b = { 0 };
  g_auto(Run) bad = { 0 };
  g_auto(Run) json_to_stdout = { 0 };
  g_autoptr(JsonNode) export_node = NULL;
  g_autoptr(JsonNode) import_node = NULL;

  waybill (&demo, fixture->dir, "demo", NULL);
  g_assert_cmpint (demo.status, ==, 0);

  waybill (&export, fixture->dir, "export", "--format", "json", "--output", json_path, "--json", NULL);
  g_assert_cmpint (export.status, ==, 0);
  export_node = parse (export.out);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (export_node), "orders"), ==,
                   count_orders (fixture->dir));
  g_assert_true (g_file_test (json_path, G_FILE_TEST_IS_REGULAR));

  waybill (&import, fixture->other, "import", json_path, "--json", NULL);
  g_assert_cmpint (import.status, ==, 0);
  import_node = parse (import.out);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (import_node), "format"), ==,
                   "waybill-json");
  g_assert_cmpuint (count_orders (fixture->other), ==, count_orders (fixture->dir));

  /* The two folders list the same orders (orders made in the same second
   * may come in another order). */
  waybill (&list_a, fixture->dir, "list", "--json", NULL);
  waybill (&list_b, fixture->other, "list", "--json", NULL);
  g_assert_cmpint (list_a.status, ==, 0);
  g_assert_cmpint (list_b.status, ==, 0);
  assert_same_orders (list_a.out, list_b.out);

  /* CSV to the standard output. */
  waybill (&csv, fixture->dir, "export", "--format", "csv", NULL);
  g_assert_cmpint (csv.status, ==, 0);
  g_assert_true (g_str_has_prefix (csv.out, "order_number,customer,email,phone,address,items,total,"
                                            "currency,created,stage,archived,note,carrier,"
                                            "tracking_number,status\r\n"));

  waybill (&bad, fixture->dir, "export", "--format", "xml", NULL);
  assert_one_error_line (&bad);
  waybill (&json_to_stdout, fixture->dir, "export", "--json", NULL);
  assert_one_error_line (&json_to_stdout);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/waybill/cli-import/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("help", test_help);
  ADD ("import-json", test_import_json);
  ADD ("bad-rows", test_bad_rows);
  ADD ("dry-run", test_dry_run);
  ADD ("conflicts", test_conflicts);
  ADD ("map", test_map);
  ADD ("export-round-trip", test_export_round_trip);

#undef ADD

  return g_test_run ();
}
