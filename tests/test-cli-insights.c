/* test-cli-insights.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "cli-run.h"
#include "insights-seed.h"
#include "waybill-paths.h"

/* `waybill stats`, `waybill feedback` and `waybill reply` with the real
 * binary, on the seeded store of insights-seed.c. */

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = test_make_tmp_dir ("cli-insights");

  if (data != NULL)
    {
      g_autofree char *path = waybill_paths_get_database_path (fixture->dir);
      g_autoptr(WaybillStore) store = test_open_store (path);

      insights_seed (store);
    }
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static JsonObject *
carrier_object (JsonObject *root,
                const char *id)
{
  JsonArray *carriers = json_object_get_array_member (root, "carriers");

  for (guint i = 0; i < json_array_get_length (carriers); i++)
    {
      JsonObject *carrier = json_array_get_object_element (carriers, i);

      if (g_str_equal (json_object_get_string_member (carrier, "carrier"), id))
        return carrier;
    }

  return NULL;
}

static void
test_stats_json (Fixture       *fixture,
                 gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_autoptr(JsonNode) node = NULL;
  JsonObject *root, *ups, *fedex, *statuses, *feedback;

  waybill (&run, fixture->dir, "stats", "--since", SEED_SINCE, "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");

  node = parse (run.out);
  root = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (root, "since"), ==, SEED_SINCE);
  g_assert_true (json_object_has_member (root, "until"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "carriers")), ==, 2);

  ups = carrier_object (root, "ups");
  g_assert_nonnull (ups);
  g_assert_cmpint (json_object_get_int_member (ups, "shipments"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (ups, "delivered"), ==, 3);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (ups, "on_time_rate"), 0.6667, 1e-9);
  /* As written, not as json-glib's 17 digits (0.66669999999999996). */
  g_assert_nonnull (strstr (run.out, "\"on_time_rate\" : 0.6667,"));
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (ups, "average_transit_days"), 2.6667, 1e-9);
  g_assert_cmpint (json_object_get_int_member (ups, "exceptions"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (ups, "exceptions_by_reason"),
                                               "customs"), ==, 1);

  fedex = carrier_object (root, "fedex");
  g_assert_nonnull (fedex);
  g_assert_cmpint (json_object_get_int_member (fedex, "shipments"), ==, 3);
  g_assert_true (json_object_get_null_member (fedex, "on_time_rate"));
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (fedex, "average_transit_days"), 3.0, 1e-9);

  statuses = json_object_get_object_member (root, "statuses");
  g_assert_cmpint (json_object_get_size (statuses), ==, 3);
  g_assert_cmpint (json_object_get_int_member (statuses, "delivered"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (statuses, "exception"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (statuses, "processing"), ==, 1);

  feedback = json_object_get_object_member (root, "feedback");
  g_assert_cmpint (json_object_get_int_member (feedback, "count"), ==, 3);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (feedback, "average"), 3.67, 1e-9);
}

static void
test_stats_all_time_table (Fixture       *fixture,
                           gconstpointer  data)
{
  g_auto(Run) run = { 0 };

  waybill (&run, fixture->dir, "stats", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "All orders up to "));
  g_assert_nonnull (strstr (run.out, "Carrier"));
  /* UPS: 4 shipments, 3 delivered, 67% on time, 2.7 days, 1 exception. */
  g_assert_true (g_regex_match_simple ("\\nUPS +4 +3 +67% +2\\.7 +1\\n", run.out, 0, 0));
  g_assert_true (g_regex_match_simple ("\\nFedEx +3 +1 +– +3\\.0 +1\\n", run.out, 0, 0));
  g_assert_true (g_regex_match_simple ("\\nDHL Express +1 +1 +100% +1\\.0 +0\\n", run.out, 0, 0));
  g_assert_true (g_regex_match_simple ("\\n  Delivered +5\\n", run.out, 0, 0));
  g_assert_nonnull (strstr (run.out, "Feedback: 4 ratings, average 3.0 of 5"));

  /* The columns line up, counted in characters: the FedEx row's "–" (three
   * bytes) ends where UPS's "67%" ends. */
  {
    g_auto(GStrv) lines = g_strsplit (run.out, "\n", -1);
    const char *ups = NULL, *fedex = NULL;

    for (guint i = 0; lines[i] != NULL; i++)
      if (g_str_has_prefix (lines[i], "UPS "))
        ups = lines[i];
      else if (g_str_has_prefix (lines[i], "FedEx "))
        fedex = lines[i];
    g_assert_nonnull (ups);
    g_assert_nonnull (fedex);
    g_assert_cmpint (g_utf8_strlen (ups, -1), ==, g_utf8_strlen (fedex, -1));
    g_assert_cmpint (g_utf8_pointer_to_offset (ups, strstr (ups, "67%") + 3), ==,
                     g_utf8_pointer_to_offset (fedex, strstr (fedex, "–") + strlen ("–")));
  }
}

static void
test_stats_empty (Fixture       *fixture,
                  gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_auto(Run) json = { 0 };
  g_autoptr(JsonNode) node = NULL;
  JsonObject *root;

  waybill (&run, fixture->dir, "stats", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "No shipments in this period."));
  g_assert_nonnull (strstr (run.out, "Feedback: none in this period"));

  waybill (&json, fixture->dir, "stats", "--json", NULL);
  g_assert_cmpint (json.status, ==, 0);
  node = parse (json.out);
  root = json_node_get_object (node);
  g_assert_true (json_object_get_null_member (root, "since"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "carriers")), ==, 0);
  g_assert_cmpint (json_object_get_size (json_object_get_object_member (root, "statuses")), ==, 0);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (root, "feedback"), "count"), ==, 0);
  g_assert_true (json_object_get_null_member (json_object_get_object_member (root, "feedback"), "average"));
}

static void
test_stats_bad_input (Fixture       *fixture,
                      gconstpointer  data)
{
  const char *bad[] = { "last week", "2025-02-30", "" };
  g_autofree char *file = g_build_filename (fixture->dir, "not-a-dir", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_auto(Run) run = { 0 };

      waybill (&run, fixture->dir, "stats", "--since", bad[i], NULL);
      assert_one_error_line (&run);
      g_assert_nonnull (strstr (run.err, "is not a date such as 2025-11-01"));
      g_assert_cmpstr (run.out, ==, "");
    }

  {
    g_auto(Run) run = { 0 };

    waybill (&run, fixture->dir, "stats", "extra", NULL);
    assert_one_error_line (&run);
  }

  {
    g_auto(Run) run = { 0 };

    g_assert_true (g_file_set_contents (file, "x", -1, NULL));
    waybill (&run, file, "stats", NULL);
    assert_one_error_line (&run);
  }

  {
    g_auto(Run) run = { 0 };

    waybill (&run, NULL, "stats", "--help", NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "--since"));
  }
}

static void
test_feedback_add_list (Fixture       *fixture,
                        gconstpointer  data)
{
  g_auto(Run) add = { 0 };
  g_auto(Run) same = { 0 };
  g_auto(Run) list = { 0 };
  g_auto(Run) order = { 0 };
  g_auto(Run) table = { 0 };
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) order_node = NULL;
  JsonObject *root, *first;

  waybill (&add, fixture->dir, "feedback", "add", "2003", "--rating", "4", "--comment", "Quick, thanks",
           "--date", "2025-12-01", NULL);
  g_assert_cmpint (add.status, ==, 0);
  g_assert_cmpstr (add.out, ==, "Saved a rating of 4 stars for order 2003.\n");

  /* The same again is kept once. */
  waybill (&same, fixture->dir, "feedback", "add", "2003", "--rating", "4", "--comment", "Quick, thanks",
           "--date", "2025-12-01", NULL);
  g_assert_cmpint (same.status, ==, 0);
  g_assert_cmpstr (same.out, ==, "This feedback on order 2003 was already recorded.\n");

  waybill (&list, fixture->dir, "feedback", "list", "--json", NULL);
  g_assert_cmpint (list.status, ==, 0);
  node = parse (list.out);
  root = json_node_get_object (node);
  g_assert_cmpint (json_object_get_int_member (root, "count"), ==, 5);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (root, "average"), 3.2, 1e-9);
  first = json_array_get_object_element (json_object_get_array_member (root, "feedback"), 0);
  g_assert_cmpstr (json_object_get_string_member (first, "order_number"), ==, "2003");
  g_assert_cmpstr (json_object_get_string_member (first, "customer"), ==, "Chloé Costa");
  g_assert_cmpint (json_object_get_int_member (first, "rating"), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (first, "comment"), ==, "Quick, thanks");
  g_assert_cmpstr (json_object_get_string_member (first, "source"), ==, "staff");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (first, "date"), "2025-12-01T12:00:00"));

  waybill (&order, fixture->dir, "feedback", "list", "--order", "2002", "--json", NULL);
  g_assert_cmpint (order.status, ==, 0);
  order_node = parse (order.out);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (order_node), "count"), ==, 1);

  waybill (&table, fixture->dir, "feedback", "list", "--since", SEED_SINCE, NULL);
  g_assert_cmpint (table.status, ==, 0);
  g_assert_true (g_str_has_prefix (table.out, "4 ratings, average 3.8 of 5\n"));
  g_assert_nonnull (strstr (table.out, "2025-11-10  ★★☆☆☆  2002     Ben Brooks"));
  g_assert_nonnull (strstr (table.out, "“Arrived a day late”"));
}

static void
test_feedback_bad_input (Fixture       *fixture,
                         gconstpointer  data)
{
  struct {
    const char *args[8];
    const char *message;
  } cases[] = {
    { { "feedback", "add", "2003", NULL }, "rating from 1 to 5" },
    { { "feedback", "add", "2003", "--rating", "6", NULL }, "rating from 1 to 5" },
    { { "feedback", "add", "9999", "--rating", "3", NULL }, "No order or tracking number “9999”" },
    { { "feedback", "add", "2003", "--rating", "3", "--date", "soon", NULL }, "not a date" },
    { { "feedback", NULL }, "add, import, list or delete" },
    { { "feedback", "frobnicate", NULL }, "is not add, import, list or delete" },
    { { "feedback", "import", "/nonexistent/answers.csv", NULL }, "answers.csv" },
    { { "feedback", "delete", "abc", NULL }, "not a feedback id" },
    { { "feedback", "delete", "999", NULL }, "no longer exists" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Run) run = { 0 };
      const char **a = cases[i].args;

      waybill (&run, fixture->dir, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], NULL);
      assert_one_error_line (&run);
      if (strstr (run.err, cases[i].message) == NULL)
        g_error ("case %u: “%s” lacks “%s”", i, run.err, cases[i].message);
    }
}

static void
test_feedback_import (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *csv = g_build_filename (fixture->dir, "survey.csv", NULL);
  g_auto(Run) first = { 0 };
  g_auto(Run) again = { 0 };
  g_autoptr(JsonNode) node = NULL;
  JsonObject *root;

  g_assert_true (g_file_set_contents (csv,
                                      "order,rating,comment,date\n"
                                      "2003,5,Great,2025-11-20\n"
                                      "2004,9,Wrong,2025-11-20\n"
                                      "2042,3,,2025-11-21\n", -1, NULL));

  waybill (&first, fixture->dir, "feedback", "import", csv, NULL);
  g_assert_cmpint (first.status, ==, 0);
  g_assert_cmpstr (first.out, ==,
                   "1 answer imported, 0 already there, 2 rows skipped\n"
                   "Line 3: the rating “9” is not a whole number from 1 to 5\n"
                   "Line 4: there is no order “2042”\n");

  waybill (&again, fixture->dir, "feedback", "import", csv, "--json", NULL);
  g_assert_cmpint (again.status, ==, 0);
  node = parse (again.out);
  root = json_node_get_object (node);
  g_assert_cmpint (json_object_get_int_member (root, "added"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (root, "duplicates"), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "problems")), ==, 2);
}

static void
test_reply (Fixture       *fixture,
            gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_auto(Run) json = { 0 };
  g_auto(Run) by_tracking = { 0 };
  g_auto(Run) missing = { 0 };
  g_autoptr(JsonNode) node = NULL;

  waybill (&run, fixture->dir, "reply", "2007", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "Your order 2007 is being prepared and will be on its way soon; "
                                "we will send the tracking details then.\n");

  waybill (&json, fixture->dir, "reply", "2001", "--json", NULL);
  g_assert_cmpint (json.status, ==, 0);
  node = parse (json.out);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "order_number"), ==, "2001");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "reply"), ==,
                   "Your order 2001 was delivered on Thursday 6 November.");

  waybill (&by_tracking, fixture->dir, "reply", "1Z0000000000000004", NULL);
  g_assert_cmpint (by_tracking.status, ==, 0);
  g_assert_true (g_str_has_prefix (by_tracking.out, "Your order 2004 is held up: it is waiting in customs."));

  waybill (&missing, fixture->dir, "reply", "nope", NULL);
  assert_one_error_line (&missing);
  g_assert_nonnull (strstr (missing.err, "“nope”"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, seeded, func) \
  g_test_add (path, Fixture, seeded ? "seeded" : NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/waybill/cli/stats/json", TRUE, test_stats_json);
  ADD ("/waybill/cli/stats/all-time-table", TRUE, test_stats_all_time_table);
  ADD ("/waybill/cli/stats/empty", FALSE, test_stats_empty);
  ADD ("/waybill/cli/stats/bad-input", FALSE, test_stats_bad_input);
  ADD ("/waybill/cli/feedback/add-list", TRUE, test_feedback_add_list);
  ADD ("/waybill/cli/feedback/bad-input", TRUE, test_feedback_bad_input);
  ADD ("/waybill/cli/feedback/import", TRUE, test_feedback_import);
  ADD ("/waybill/cli/reply", TRUE, test_reply);

  return g_test_run ();
}
