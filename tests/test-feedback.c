/* test-feedback.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "waybill-feedback.h"
#include "waybill-store-private.h"
#include "test-util.h"

typedef struct
{
  char         *dir;
  char         *path;
  WaybillStore *store;
  gint64        order_id;
} Fixture;

static gint64
add_order (WaybillStore *store,
           const char   *number,
           const char   *customer)
{
  g_autoptr(WaybillOrder) order = waybill_order_new (number, customer);
  g_autoptr(GError) error = NULL;

  waybill_store_create_order (store, order, &error);
  g_assert_no_error (error);

  return waybill_order_get_id (order);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = test_make_tmp_dir ("feedback");
  fixture->path = g_build_filename (fixture->dir, "waybill.db", NULL);
  fixture->store = test_open_store (fixture->path);
  fixture->order_id = add_order (fixture->store, "1042", "Anna Andersson");
  add_order (fixture->store, "1043", "Ben Brooks");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->store);
  remove_tree (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static gint64
count_rows (WaybillStore *store)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (waybill_store_get_db (store), "SELECT count(*) FROM feedback",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return n;
}

static void
changed_cb (WaybillStore *store,
            guint        *count)
{
  (*count)++;
}

static void
test_add_list_delete (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) monday = g_date_time_new_from_iso8601 ("2025-12-01T10:00:00Z", NULL);
  g_autoptr(GDateTime) tuesday = g_date_time_new_from_iso8601 ("2025-12-02T10:00:00Z", NULL);
  g_autoptr(WaybillFeedback) first = waybill_feedback_new (fixture->order_id, 4, "  Nice mug  ", monday,
                                                           WAYBILL_FEEDBACK_SOURCE_STAFF);
  g_autoptr(WaybillFeedback) second = waybill_feedback_new (fixture->order_id, 2, NULL, tuesday,
                                                            WAYBILL_FEEDBACK_SOURCE_SURVEY);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) mine = NULL;
  g_autoptr(GPtrArray) other = NULL;
  g_autoptr(GPtrArray) recent = NULL;
  WaybillFeedback *f;
  gboolean was_new = FALSE;
  guint changes = 0;

  g_signal_connect (fixture->store, "changed", G_CALLBACK (changed_cb), &changes);

  g_assert_true (waybill_store_add_feedback (fixture->store, first, &was_new, &error));
  g_assert_no_error (error);
  g_assert_true (was_new);
  g_assert_cmpint (waybill_feedback_get_id (first), >, 0);
  g_assert_true (waybill_store_add_feedback (fixture->store, second, NULL, &error));
  g_assert_cmpuint (changes, ==, 2);

  all = waybill_store_list_feedback (fixture->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 2);
  /* Newest first, with the order's number and customer. */
  f = g_ptr_array_index (all, 0);
  g_assert_cmpuint (waybill_feedback_get_rating (f), ==, 2);
  g_assert_cmpstr (waybill_feedback_get_comment (f), ==, "");
  g_assert_cmpint (waybill_feedback_get_source (f), ==, WAYBILL_FEEDBACK_SOURCE_SURVEY);
  g_assert_cmpstr (waybill_feedback_get_order_number (f), ==, "1042");
  g_assert_cmpstr (waybill_feedback_get_customer (f), ==, "Anna Andersson");
  f = g_ptr_array_index (all, 1);
  g_assert_cmpstr (waybill_feedback_get_comment (f), ==, "Nice mug");
  g_assert_cmpint (waybill_feedback_get_source (f), ==, WAYBILL_FEEDBACK_SOURCE_STAFF);
  g_assert_true (g_date_time_equal (waybill_feedback_get_given_at (f), monday));

  recent = waybill_store_list_feedback (fixture->store, tuesday, &error);
  g_assert_cmpuint (recent->len, ==, 1);

  mine = waybill_store_list_order_feedback (fixture->store, fixture->order_id, &error);
  g_assert_cmpuint (mine->len, ==, 2);
  other = waybill_store_list_order_feedback (fixture->store, fixture->order_id + 1, &error);
  g_assert_cmpuint (other->len, ==, 0);

  g_assert_true (waybill_store_delete_feedback (fixture->store, waybill_feedback_get_id (first), &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (fixture->store), ==, 1);
  g_assert_false (waybill_store_delete_feedback (fixture->store, waybill_feedback_get_id (first), &error));
  g_assert_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_NOT_FOUND);

  /* Deleting the order deletes its feedback. */
  g_clear_error (&error);
  g_assert_true (waybill_store_delete_order (fixture->store, fixture->order_id, &error));
  g_assert_cmpint (count_rows (fixture->store), ==, 0);

  g_signal_handlers_disconnect_by_func (fixture->store, changed_cb, &changes);
}

static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  const guint bad_ratings[] = { 0, 6, 100 };

  for (guint i = 0; i < G_N_ELEMENTS (bad_ratings); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(WaybillFeedback) f = waybill_feedback_new (fixture->order_id, bad_ratings[i], "x", NULL,
                                                           WAYBILL_FEEDBACK_SOURCE_STAFF);

      g_assert_false (waybill_store_add_feedback (fixture->store, f, NULL, &error));
      g_assert_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "1 to 5"));
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(WaybillFeedback) f = waybill_feedback_new (9999, 3, "x", NULL, WAYBILL_FEEDBACK_SOURCE_STAFF);

    g_assert_false (waybill_store_add_feedback (fixture->store, f, NULL, &error));
    g_assert_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_NOT_FOUND);
  }

  g_assert_cmpint (count_rows (fixture->store), ==, 0);
}

static void
test_same_twice (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 ("2025-12-01T10:00:00Z", NULL);
  g_autoptr(WaybillFeedback) a = waybill_feedback_new (fixture->order_id, 5, "Great", when,
                                                       WAYBILL_FEEDBACK_SOURCE_SURVEY);
  g_autoptr(WaybillFeedback) b = waybill_feedback_new (fixture->order_id, 5, "Great", when,
                                                       WAYBILL_FEEDBACK_SOURCE_SURVEY);
  gboolean was_new = TRUE;

  g_assert_true (waybill_store_add_feedback (fixture->store, a, NULL, &error));
  g_assert_true (waybill_store_add_feedback (fixture->store, b, &was_new, &error));
  g_assert_no_error (error);
  g_assert_false (was_new);
  g_assert_cmpint (waybill_feedback_get_id (b), ==, waybill_feedback_get_id (a));
  g_assert_cmpint (count_rows (fixture->store), ==, 1);
}

static WaybillFeedbackImportReport *
import_text (WaybillStore  *store,
             const char    *text,
             GError       **error)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (g_strdup (text), -1, g_free);

  return waybill_feedback_import (store, stream, NULL, error);
}

static const char survey_csv[] =
  "Submitted At,Order Number,Rating,Comments\n"
  "2025-12-01 09:30,1042,5,\"Lovely, thank you\"\n"
  "2025-12-01,#1043,3,\n"
  "2025-12-02,1099,4,No such order\n"
  "2025-12-02,1042,7,Too many stars\n"
  "2025-12-02,1042,four,Words\n"
  "next tuesday,1042,4,Bad date\n"
  ",,,\n"
  "2025-12-03T08:00:00+01:00,1043,1,\"Broken\"\n"
  "2025-12-03,,2,No order number\n";

static void
test_import (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WaybillFeedbackImportReport) report = NULL;
  g_autoptr(WaybillFeedbackImportReport) again = NULL;
  g_autoptr(GPtrArray) list = NULL;
  const char *expected[] = {
    "Line 4: there is no order “1099”",
    "Line 5: the rating “7” is not a whole number from 1 to 5",
    "Line 6: the rating “four” is not a whole number from 1 to 5",
    "Line 7: the date “next tuesday” is not a date such as 2025-12-04",
    "Line 10: the order number is missing",
  };

  report = import_text (fixture->store, survey_csv, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->added, ==, 3);
  g_assert_cmpuint (report->duplicates, ==, 0);
  g_assert_cmpuint (report->problems->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpstr (g_ptr_array_index (report->problems, i), ==, expected[i]);

  list = waybill_store_list_feedback (fixture->store, NULL, &error);
  g_assert_cmpuint (list->len, ==, 3);
  g_assert_cmpstr (waybill_feedback_get_comment (g_ptr_array_index (list, 0)), ==, "Broken");
  g_assert_cmpstr (waybill_feedback_get_order_number (g_ptr_array_index (list, 0)), ==, "1043");
  g_assert_cmpint (waybill_feedback_get_source (g_ptr_array_index (list, 0)), ==, WAYBILL_FEEDBACK_SOURCE_SURVEY);
  /* A date alone is noon: after 09:30 the same day. */
  g_assert_cmpstr (waybill_feedback_get_order_number (g_ptr_array_index (list, 1)), ==, "1043");
  g_assert_cmpstr (waybill_feedback_get_comment (g_ptr_array_index (list, 2)), ==, "Lovely, thank you");

  /* Importing the same answers again adds nothing. */
  again = import_text (fixture->store, survey_csv, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->added, ==, 0);
  g_assert_cmpuint (again->duplicates, ==, 3);
  g_assert_cmpint (count_rows (fixture->store), ==, 3);
}

static void
test_import_bad_files (Fixture       *fixture,
                       gconstpointer  data)
{
  const char *files[] = {
    "",
    "Order,Comment\n1042,Nice\n",
    "Rating,Date\n5,2025-12-01\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(WaybillFeedbackImportReport) report = import_text (fixture->store, files[i], &error);

      g_assert_null (report);
      g_assert_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_INVALID);
    }

  g_assert_cmpint (count_rows (fixture->store), ==, 0);
}

/* A broken quote swallows the rest of the file: the rows before it stay. */
static void
test_import_unterminated (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WaybillFeedbackImportReport) report =
    import_text (fixture->store, "order,rating,date,comment\n1042,5,2025-12-01,ok\n1043,4,2025-12-01,\"open\n", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (report->added, ==, 1);
  g_assert_cmpuint (report->problems->len, ==, 1);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (report->problems, 0), "Line 3: "));
}

/* Survey tools in many countries export with semicolons, and with a BOM. */
static void
test_import_semicolons (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WaybillFeedbackImportReport) report =
    import_text (fixture->store, "\xef\xbb\xbfOrder;Score;Feedback;Timestamp\r\n"
                                 "1042;5;\"Schnell; gut verpackt\";2025-12-01 08:00:00\r\n", &error);
  g_autoptr(GPtrArray) list = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (report->added, ==, 1);
  g_assert_cmpuint (report->problems->len, ==, 0);
  list = waybill_store_list_order_feedback (fixture->store, fixture->order_id, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (waybill_feedback_get_comment (g_ptr_array_index (list, 0)), ==, "Schnell; gut verpackt");
  g_assert_cmpuint (waybill_feedback_get_rating (g_ptr_array_index (list, 0)), ==, 5);
}

static void
imported_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask **out = user_data;

  *out = g_object_ref (G_TASK (result));
}

static WaybillFeedbackImportReport *
import_file_async (Fixture  *fixture,
                   GFile    *file,
                   GError  **error)
{
  g_autoptr(GTask) task = NULL;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  waybill_feedback_import_file_async (fixture->path, file, NULL, imported_cb, &task);
  while (task == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (task);

  return waybill_feedback_import_file_finish (G_ASYNC_RESULT (task), error);
}

/* In a thread with a connection of its own; this store sees the rows. */
static void
test_import_file_async (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *csv = g_build_filename (fixture->dir, "survey.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (csv);
  g_autoptr(GFile) missing = g_file_new_for_path ("/nonexistent/survey.csv");
  g_autoptr(WaybillFeedbackImportReport) report = NULL;
  g_autoptr(WaybillFeedbackImportReport) none = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (csv, survey_csv, -1, NULL));
  report = import_file_async (fixture, file, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->added, ==, 3);
  g_assert_cmpuint (report->problems->len, ==, 5);
  g_assert_cmpint (count_rows (fixture->store), ==, 3);

  none = import_file_async (fixture, missing, &error);
  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

/* A full disk ends the import and keeps nothing of it. */
static void
test_import_disk_full (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) csv = g_string_new ("order,rating,date,comment\n");
  g_autoptr(WaybillFeedbackImportReport) report = NULL;
  sqlite3_stmt *stmt = NULL;
  guint pages;

  for (guint i = 0; i < 2000; i++)
    g_string_append_printf (csv, "1042,%u,2025-12-01 10:%02u:%02u,%s %u\n", i % 5 + 1, (i / 60) % 60, i % 60,
                            "A long comment that takes room in the database page after page", i);

  g_assert_cmpint (sqlite3_prepare_v2 (waybill_store_get_db (fixture->store), "PRAGMA page_count", -1,
                                       &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  pages = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  waybill_store_set_max_page_count (fixture->store, pages + 2);

  report = import_text (fixture->store, csv->str, &error);
  g_assert_null (report);
  g_assert_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_DISK_FULL);
  g_assert_cmpint (count_rows (fixture->store), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/waybill/feedback/add-list-delete", test_add_list_delete);
  ADD ("/waybill/feedback/refused", test_refused);
  ADD ("/waybill/feedback/same-twice", test_same_twice);
  ADD ("/waybill/feedback/import", test_import);
  ADD ("/waybill/feedback/import-bad-files", test_import_bad_files);
  ADD ("/waybill/feedback/import-unterminated", test_import_unterminated);
  ADD ("/waybill/feedback/import-semicolons", test_import_semicolons);
  ADD ("/waybill/feedback/import-file-async", test_import_file_async);
  ADD ("/waybill/feedback/import-disk-full", test_import_disk_full);

  return g_test_run ();
}
