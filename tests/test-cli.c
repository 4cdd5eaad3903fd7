/* test-cli.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cli-run.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

/* Runs the real binary on a private data folder, as a user or a script
 * would, and checks its output, JSON and exit codes. */

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = test_make_tmp_dir ("cli");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static void
test_help (Fixture       *fixture,
           gconstpointer  data)
{
  static const char * const verbs[] = { "add", "list", "show", "lookup", "detect", "demo" };
  g_auto(Run) top = { 0 };

  waybill (&top, NULL, "--help", NULL);
  g_assert_cmpint (top.status, ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (verbs); i++)
    {
      g_auto(Run) run = { 0 };
      g_autofree char *usage = g_strdup_printf ("Usage:\n  waybill %s [OPTION…]", verbs[i]);

      g_assert_nonnull (strstr (top.out, verbs[i]));
      waybill (&run, NULL, verbs[i], "--help", NULL);
      g_assert_cmpint (run.status, ==, 0);
      /* The usage line names the program and the verb once each. */
      g_assert_true (g_str_has_prefix (run.out, usage));
      g_assert_nonnull (strstr (run.out, "--data-dir"));
      g_assert_nonnull (strstr (run.out, "--json"));
    }
}

static void
test_add_show_list (Fixture       *fixture,
                    gconstpointer  data)
{
  g_auto(Run) add = { 0 };
  g_auto(Run) show = { 0 };
  g_auto(Run) by_tracking = { 0 };
  g_auto(Run) list = { 0 };
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) list_node = NULL;
  JsonObject *order, *shipment;
  JsonArray *shipments;

  waybill (&add, fixture->dir, "add", "--order", "1042", "--customer", "Anna Müller",
           "--email", "anna@example.com", "--phone", "+44 20 7946 0000",
           "--carrier", "ups", "--tracking", "1Z 999AA1 0123456784", NULL);
  g_assert_cmpint (add.status, ==, 0);
  g_assert_nonnull (strstr (add.out, "1042"));
  g_assert_cmpstr (add.err, ==, "");

  waybill (&show, fixture->dir, "show", "1042", "--json", NULL);
  g_assert_cmpint (show.status, ==, 0);
  node = parse (show.out);
  order = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (order, "order_number"), ==, "1042");
  g_assert_cmpstr (json_object_get_string_member (order, "customer"), ==, "Anna Müller");
  g_assert_cmpstr (json_object_get_string_member (order, "email"), ==, "anna@example.com");
  g_assert_cmpstr (json_object_get_string_member (order, "phone"), ==, "+44 20 7946 0000");
  g_assert_cmpstr (json_object_get_string_member (order, "status"), ==, "pending");
  g_assert_false (json_object_get_boolean_member (order, "delayed"));
  g_assert_false (json_object_get_boolean_member (order, "archived"));
  /* ISO 8601 with an offset. */
  g_assert_nonnull (g_date_time_new_from_iso8601 (json_object_get_string_member (order, "created"), NULL));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (order, "created"), "+00:00"));
  shipments = json_object_get_array_member (order, "shipments");
  g_assert_cmpuint (json_array_get_length (shipments), ==, 1);
  shipment = json_array_get_object_element (shipments, 0);
  g_assert_cmpstr (json_object_get_string_member (shipment, "carrier"), ==, "ups");
  g_assert_cmpstr (json_object_get_string_member (shipment, "tracking_number"), ==, "1Z999AA10123456784");
  g_assert_cmpstr (json_object_get_string_member (shipment, "status"), ==, "pending");
  /* Absent values are null, present as members. */
  g_assert_true (json_object_has_member (shipment, "estimated_delivery"));
  g_assert_true (json_object_get_null_member (shipment, "estimated_delivery"));
  g_assert_true (json_object_get_null_member (shipment, "delivered_at"));
  g_assert_true (json_object_get_null_member (shipment, "last_checked"));
  g_assert_true (json_object_get_null_member (shipment, "last_error"));
  g_assert_true (json_object_get_null_member (shipment, "sub_status"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (shipment, "events")), ==, 0);

  /* Found by its tracking number too, typed any way. */
  waybill (&by_tracking, fixture->dir, "show", "1z999aa10123456784", NULL);
  g_assert_cmpint (by_tracking.status, ==, 0);
  g_assert_nonnull (strstr (by_tracking.out, "Anna Müller"));

  waybill (&list, fixture->dir, "list", "--json", NULL);
  g_assert_cmpint (list.status, ==, 0);
  list_node = parse (list.out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list_node)), ==, 1);
  order = json_array_get_object_element (json_node_get_array (list_node), 0);
  shipment = json_array_get_object_element (json_object_get_array_member (order, "shipments"), 0);
  /* list leaves the events out. */
  g_assert_false (json_object_has_member (shipment, "events"));
}

static void
test_demo_list_show (Fixture       *fixture,
                     gconstpointer  data)
{
  g_auto(Run) demo = { 0 };
  g_auto(Run) list = { 0 };
  g_auto(Run) delivered = { 0 };
  g_auto(Run) archived = { 0 };
  g_auto(Run) again = { 0 };
  g_autoptr(JsonNode) all = NULL;
  g_autoptr(JsonNode) only = NULL;
  g_autoptr(JsonNode) arch = NULL;
  JsonArray *orders;
  guint with_events = 0;

  waybill (&demo, fixture->dir, "demo", NULL);
  g_assert_cmpint (demo.status, ==, 0);

  waybill (&list, fixture->dir, "list", "--json", NULL);
  g_assert_cmpint (list.status, ==, 0);
  all = parse (list.out);
  orders = json_node_get_array (all);
  g_assert_cmpuint (json_array_get_length (orders), >=, 35);

  /* Every listed order shows with its timeline; events newest first. */
  for (guint i = 0; i < json_array_get_length (orders); i++)
    {
      JsonObject *o = json_array_get_object_element (orders, i);
      g_auto(Run) show = { 0 };
      g_autoptr(JsonNode) node = NULL;
      JsonArray *shipments;

      waybill (&show, fixture->dir, "show", json_object_get_string_member (o, "order_number"), "--json", NULL);
      g_assert_cmpint (show.status, ==, 0);
      node = parse (show.out);
      shipments = json_object_get_array_member (json_node_get_object (node), "shipments");
      for (guint j = 0; j < json_array_get_length (shipments); j++)
        {
          JsonArray *events = json_object_get_array_member (json_array_get_object_element (shipments, j), "events");

          for (guint k = 1; k < json_array_get_length (events); k++)
            {
              g_autoptr(GDateTime) newer = g_date_time_new_from_iso8601 (
                json_object_get_string_member (json_array_get_object_element (events, k - 1), "time"), NULL);
              g_autoptr(GDateTime) older = g_date_time_new_from_iso8601 (
                json_object_get_string_member (json_array_get_object_element (events, k), "time"), NULL);

              g_assert_nonnull (newer);
              g_assert_cmpint (g_date_time_compare (newer, older), >=, 0);
            }
          with_events += json_array_get_length (events) > 0;
        }
    }
  g_assert_cmpuint (with_events, >=, 20);

  waybill (&delivered, fixture->dir, "list", "--status", "delivered", "--json", NULL);
  g_assert_cmpint (delivered.status, ==, 0);
  only = parse (delivered.out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (only)), >=, 1);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (only)); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_node_get_array (only), i), "status"), ==, "delivered");

  waybill (&archived, fixture->dir, "list", "--archived", "--json", NULL);
  arch = parse (archived.out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (arch)), >=, 1);
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (json_node_get_array (arch), 0), "archived"));

  /* A second demo would mix with real orders: refused. */
  waybill (&again, fixture->dir, "demo", NULL);
  assert_one_error_line (&again);
}

static void
test_lookup (Fixture       *fixture,
             gconstpointer  data)
{
  g_auto(Run) a = { 0 };
  g_auto(Run) b = { 0 };
  g_auto(Run) lookup = { 0 };
  g_auto(Run) none = { 0 };
  g_autoptr(JsonNode) node = NULL;
  JsonArray *results;

  waybill (&a, fixture->dir, "add", "--order", "5001", "--customer", "Ida Lindqvist", "--email", "ida@example.se", NULL);
  waybill (&b, fixture->dir, "add", "--order", "50010", "--customer", "Lind Bakery", NULL);
  g_assert_cmpint (a.status, ==, 0);
  g_assert_cmpint (b.status, ==, 0);

  waybill (&lookup, fixture->dir, "lookup", "5001", "--json", NULL);
  g_assert_cmpint (lookup.status, ==, 0);
  node = parse (lookup.out);
  results = json_node_get_array (node);
  g_assert_cmpuint (json_array_get_length (results), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 0), "order_number"), ==, "5001");

  waybill (&none, fixture->dir, "lookup", "nobody-here", NULL);
  assert_one_error_line (&none);
}

static void
test_errors (Fixture       *fixture,
             gconstpointer  data)
{
  g_auto(Run) unknown_order = { 0 };
  g_auto(Run) missing = { 0 };
  g_auto(Run) bad_option = { 0 };
  g_auto(Run) bad_status = { 0 };
  g_auto(Run) bad_verb = { 0 };
  g_auto(Run) dup1 = { 0 };
  g_auto(Run) dup2 = { 0 };
  g_auto(Run) bad_db = { 0 };
  g_auto(Run) bad_count = { 0 };
  g_autofree char *bad_dir = g_build_filename (fixture->dir, "bad", NULL);
  g_autofree char *bad_file = g_build_filename (bad_dir, "waybill.db", NULL);
  g_autofree char *contents = NULL;

  waybill (&unknown_order, fixture->dir, "show", "999", NULL);
  assert_one_error_line (&unknown_order);
  g_assert_nonnull (strstr (unknown_order.err, "999"));
  g_assert_cmpstr (unknown_order.out, ==, "");

  waybill (&missing, fixture->dir, "add", "--order", "1", NULL);
  assert_one_error_line (&missing);
  g_assert_nonnull (strstr (missing.err, "--customer"));

  waybill (&bad_option, fixture->dir, "list", "--frobnicate", NULL);
  assert_one_error_line (&bad_option);

  waybill (&bad_status, fixture->dir, "list", "--status", "lost-in-space", NULL);
  assert_one_error_line (&bad_status);
  g_assert_nonnull (strstr (bad_status.err, "in_transit"));

  waybill (&bad_verb, fixture->dir, "frobnicate", NULL);
  assert_one_error_line (&bad_verb);

  waybill (&bad_count, fixture->dir, "demo", "--orders", "-3", NULL);
  assert_one_error_line (&bad_count);

  waybill (&dup1, fixture->dir, "add", "--order", "7", "--customer", "A", NULL);
  g_assert_cmpint (dup1.status, ==, 0);
  waybill (&dup2, fixture->dir, "add", "--order", "7", "--customer", "B", NULL);
  assert_one_error_line (&dup2);
  g_assert_nonnull (strstr (dup2.err, "already exists"));

  /* A file that is not a database: a clear error, and the file stays. */
  g_mkdir_with_parents (bad_dir, 0700);
  g_file_set_contents (bad_file, "hello, I am a text file and not SQLite at all, sorry\n", -1, NULL);
  waybill (&bad_db, bad_dir, "list", NULL);
  assert_one_error_line (&bad_db);
  g_assert_nonnull (strstr (bad_db.err, "not a Waybill database"));
  g_file_get_contents (bad_file, &contents, NULL, NULL);
  g_assert_cmpstr (contents, ==, "hello, I am a text file and not SQLite at all, sorry\n");
}

static JsonObject *
first_candidate (JsonNode *node)
{
  JsonArray *candidates = json_object_get_array_member (json_node_get_object (node), "candidates");

  g_assert_cmpuint (json_array_get_length (candidates), >=, 1);
  return json_array_get_object_element (candidates, 0);
}

static void
test_detect (Fixture       *fixture,
             gconstpointer  data)
{
  g_auto(Run) good = { 0 };
  g_auto(Run) typo = { 0 };
  g_auto(Run) garbage = { 0 };
  g_auto(Run) human = { 0 };
  g_autoptr(JsonNode) good_node = NULL;
  g_autoptr(JsonNode) typo_node = NULL;
  JsonObject *candidate;

  waybill (&good, NULL, "detect", "1z 999 aa1 01234 56784", "--json", NULL);
  g_assert_cmpint (good.status, ==, 0);
  good_node = parse (good.out);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (good_node), "input"), ==,
                   "1z 999 aa1 01234 56784");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (good_node), "number"), ==,
                   "1Z999AA10123456784");
  candidate = first_candidate (good_node);
  g_assert_cmpstr (json_object_get_string_member (candidate, "carrier"), ==, "ups");
  g_assert_cmpstr (json_object_get_string_member (candidate, "name"), ==, "UPS");
  g_assert_cmpstr (json_object_get_string_member (candidate, "check_digit"), ==, "valid");

  /* One digit changed: still listed, marked invalid, exit 1. */
  waybill (&typo, NULL, "detect", "1Z999AA10123456785", "--json", NULL);
  assert_one_error_line (&typo);
  typo_node = parse (typo.out);
  candidate = first_candidate (typo_node);
  g_assert_cmpstr (json_object_get_string_member (candidate, "carrier"), ==, "ups");
  g_assert_cmpstr (json_object_get_string_member (candidate, "check_digit"), ==, "invalid");

  waybill (&garbage, NULL, "detect", "hello world", NULL);
  assert_one_error_line (&garbage);
  g_assert_nonnull (strstr (garbage.err, "not a known tracking number format"));

  waybill (&human, NULL, "detect", "1Z999AA10123456784", NULL);
  g_assert_cmpint (human.status, ==, 0);
  g_assert_nonnull (strstr (human.out, "UPS"));
}

static void
test_add_checks_tracking (Fixture       *fixture,
                          gconstpointer  data)
{
  g_auto(Run) filled = { 0 };
  g_auto(Run) typo = { 0 };
  g_auto(Run) forced = { 0 };
  g_auto(Run) wrong_carrier = { 0 };
  g_auto(Run) unknown_carrier = { 0 };
  g_auto(Run) ambiguous = { 0 };
  g_auto(Run) chosen = { 0 };
  g_auto(Run) show = { 0 };
  g_autoptr(JsonNode) node = NULL;
  JsonObject *shipment;

  /* The carrier is filled in when only one fits. */
  waybill (&filled, fixture->dir, "add", "--order", "T-1", "--customer", "A", "--tracking",
           "1z999aa10123456784", "--json", NULL);
  g_assert_cmpint (filled.status, ==, 0);
  node = parse (filled.out);
  shipment = json_array_get_object_element (json_object_get_array_member (json_node_get_object (node), "shipments"), 0);
  g_assert_cmpstr (json_object_get_string_member (shipment, "carrier"), ==, "ups");
  g_assert_cmpstr (json_object_get_string_member (shipment, "tracking_number"), ==, "1Z999AA10123456784");

  /* A mistyped number is refused, and nothing is written. */
  waybill (&typo, fixture->dir, "add", "--order", "T-2", "--customer", "B", "--tracking",
           "1Z999AA10123456785", NULL);
  assert_one_error_line (&typo);
  g_assert_nonnull (strstr (typo.err, "--force"));
  waybill (&show, fixture->dir, "show", "T-2", NULL);
  g_assert_cmpint (show.status, ==, 1);

  waybill (&forced, fixture->dir, "add", "--order", "T-2", "--customer", "B", "--tracking",
           "1Z999AA10123456785", "--force", NULL);
  g_assert_cmpint (forced.status, ==, 0);

  waybill (&wrong_carrier, fixture->dir, "add", "--order", "T-3", "--customer", "C", "--tracking",
           "1Z999AA10123456784", "--carrier", "fedex", NULL);
  assert_one_error_line (&wrong_carrier);

  waybill (&unknown_carrier, fixture->dir, "add", "--order", "T-3", "--customer", "C", "--tracking",
           "1Z999AA10123456784", "--carrier", "pony-express", NULL);
  assert_one_error_line (&unknown_carrier);
  g_assert_nonnull (strstr (unknown_carrier.err, "pony-express"));

  /* A number that fits two carriers needs --carrier. */
  waybill (&ambiguous, fixture->dir, "add", "--order", "T-4", "--customer", "D", "--tracking",
           "719678094233", NULL);
  assert_one_error_line (&ambiguous);
  g_assert_nonnull (strstr (ambiguous.err, "--carrier"));
  waybill (&chosen, fixture->dir, "add", "--order", "T-4", "--customer", "D", "--tracking",
           "719678094233", "--carrier", "fedex", NULL);
  g_assert_cmpint (chosen.status, ==, 0);
}

static void
test_data_dir_from_environment (Fixture       *fixture,
                                gconstpointer  data)
{
  g_auto(Run) add = { 0 };
  g_autofree char *db = g_build_filename (fixture->dir, "env", "waybill.db", NULL);
  g_autofree char *env_dir = g_build_filename (fixture->dir, "env", NULL);

  g_setenv ("WAYBILL_DATA_DIR", env_dir, TRUE);
  waybill (&add, NULL, "add", "--order", "E-1", "--customer", "Env", NULL);
  g_unsetenv ("WAYBILL_DATA_DIR");
  g_assert_cmpint (add.status, ==, 0);
  g_assert_true (g_file_test (db, G_FILE_TEST_EXISTS));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/waybill/cli/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("help", test_help);
  ADD ("add-show-list", test_add_show_list);
  ADD ("demo-list-show", test_demo_list_show);
  ADD ("lookup", test_lookup);
  ADD ("errors", test_errors);
  ADD ("data-dir-from-environment", test_data_dir_from_environment);
  ADD ("detect", test_detect);
  ADD ("add-checks-tracking", test_add_checks_tracking);

  return g_test_run ();
}
