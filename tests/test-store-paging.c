/* test-store-paging.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "waybill-demo.h"
#include "waybill-store-private.h"
#include "test-util.h"

/* Keyset paging (waybill_store_list_orders_after / _from_end), and the
 * filter counts made in a thread.  Pages read
 * one after the other give exactly the rows of one query over everything,
 * for every filter and sort, with ties on the sort values, NULL estimated
 * deliveries and last updates, skips, pages counted from the end, and rows
 * added and deleted between two pages.
 *
 * The rows' sort values are read with plain SQL and compared here in C,
 * apart from the store's ORDER BY, so that the test also checks the order
 * itself. */

typedef TestStoreDir Fixture;

static void
exec_sql (WaybillStore *store,
          const char   *sql)
{
  char *message = NULL;

  if (sqlite3_exec (waybill_store_get_db (store), sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

/* Demo orders whose sort values tie a lot: seven creation times, three
 * estimated deliveries and four last updates, with NULLs among them. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  test_store_dir_set_up (fixture, "paging");

  waybill_demo_fill (fixture->store, 260, 11, &error);
  g_assert_no_error (error);
  exec_sql (fixture->store,
            "UPDATE orders SET created = 1700000000 + (id % 7) * 100, "
            "  eta = CASE WHEN id % 5 = 0 THEN NULL ELSE 1700000000 + (id % 3) * 86400 END, "
            "  last_update = CASE WHEN id % 11 = 0 THEN NULL ELSE 1700000000 + (id % 4) END");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  test_store_dir_tear_down (fixture);
}

static WaybillOrderKey
read_key (WaybillStore *store,
          gint64        id)
{
  WaybillOrderKey key = { id, 0, 0, 0, FALSE, FALSE };
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (waybill_store_get_db (store),
                                       "SELECT created, eta, last_update FROM orders WHERE id = ?",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  key.created = sqlite3_column_int64 (stmt, 0);
  key.has_eta = sqlite3_column_type (stmt, 1) != SQLITE_NULL;
  key.eta = sqlite3_column_int64 (stmt, 1);
  key.has_last_update = sqlite3_column_type (stmt, 2) != SQLITE_NULL;
  key.last_update = sqlite3_column_int64 (stmt, 2);
  sqlite3_finalize (stmt);

  return key;
}

static int
compare_desc (gint64 a,
              gint64 b)
{
  return a > b ? -1 : a < b;
}

/* The list's order, written out: < 0 when @a comes before @b. */
static int
compare_keys (WaybillSort            sort,
              const WaybillOrderKey *a,
              const WaybillOrderKey *b)
{
  int c = 0;

  switch (sort)
    {
    case WAYBILL_SORT_NEWEST:
      break;
    case WAYBILL_SORT_ESTIMATED_DELIVERY:
      /* The earliest first, orders without an estimate last. */
      if (a->has_eta != b->has_eta)
        return a->has_eta ? -1 : 1;
      if (a->has_eta && a->eta != b->eta)
        return a->eta < b->eta ? -1 : 1;
      break;
    case WAYBILL_SORT_LAST_UPDATE:
      /* The latest first, orders never updated last. */
      if (a->has_last_update != b->has_last_update)
        return a->has_last_update ? -1 : 1;
      if (a->has_last_update && a->last_update != b->last_update)
        return compare_desc (a->last_update, b->last_update);
      return compare_desc (a->id, b->id);
    case WAYBILL_N_SORTS:
    default:
      g_assert_not_reached ();
    }

  c = compare_desc (a->created, b->created);

  return c != 0 ? c : compare_desc (a->id, b->id);
}

static GArray *
ids_of (GPtrArray *orders)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < orders->len; i++)
    {
      gint64 id = waybill_order_get_id (g_ptr_array_index (orders, i));

      g_array_append_val (ids, id);
    }

  return ids;
}

static void
assert_same_ids (GArray *got,
                 guint   got_from,
                 GArray *want,
                 guint   want_from,
                 guint   n)
{
  g_assert_cmpuint (got->len, >=, got_from + n);
  g_assert_cmpuint (want->len, >=, want_from + n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (g_array_index (got, gint64, got_from + i), ==,
                     g_array_index (want, gint64, want_from + i));
}

/* Everything @query lists, by one query, checked against compare_keys(). */
static GArray *
list_all (WaybillStore            *store,
          const WaybillOrderQuery *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = waybill_store_list_orders (store, query, 0, 100000, &error);
  GArray *ids;

  g_assert_no_error (error);
  ids = ids_of (all);
  g_assert_cmpint (ids->len, ==, waybill_store_count_orders (store, query, NULL));
  for (guint i = 1; i < ids->len; i++)
    {
      WaybillOrderKey a = read_key (store, g_array_index (ids, gint64, i - 1));
      WaybillOrderKey b = read_key (store, g_array_index (ids, gint64, i));

      g_assert_cmpint (compare_keys (query->sort, &a, &b), <, 0);
    }

  return ids;
}

static void
test_pages_concatenate (Fixture       *fixture,
                        gconstpointer  data)
{
  static const guint page_sizes[] = { 1, 7, 50, 1000 };
  guint n_ties = 0;

  for (WaybillFilter filter = 0; filter < WAYBILL_N_FILTERS; filter++)
    for (WaybillSort sort = 0; sort < WAYBILL_N_SORTS; sort++)
      for (guint s = 0; s < G_N_ELEMENTS (page_sizes); s++)
        {
          WaybillOrderQuery query = { filter, WAYBILL_STATUS_INVALID, sort };
          g_autoptr(GArray) all = list_all (fixture->store, &query);
          g_autoptr(GArray) paged = g_array_new (FALSE, FALSE, sizeof (gint64));
          WaybillOrderKey key = { 0 };
          gboolean first = TRUE;

          for (;;)
            {
              g_autoptr(GError) error = NULL;
              g_autoptr(GPtrArray) page = waybill_store_list_orders_after (fixture->store, &query,
                                                                           first ? NULL : &key, 0,
                                                                           page_sizes[s], &key, &error);
              g_autoptr(GArray) ids = NULL;

              g_assert_no_error (error);
              if (page->len == 0)
                break;
              g_assert_cmpuint (page->len, <=, page_sizes[s]);
              ids = ids_of (page);
              g_array_append_vals (paged, ids->data, ids->len);
              /* A page that repeats rows would never end. */
              g_assert_cmpuint (paged->len, <=, all->len);
              /* The key given back is the page's last row's. */
              g_assert_cmpint (key.id, ==, g_array_index (ids, gint64, ids->len - 1));
              g_assert_cmpint (compare_keys (sort, &key, &(WaybillOrderKey) { 0 }), !=, 0);
              {
                WaybillOrderKey stored = read_key (fixture->store, key.id);

                g_assert_cmpint (compare_keys (sort, &key, &stored), ==, 0);
              }
              first = FALSE;
            }

          g_assert_cmpuint (paged->len, ==, all->len);
          assert_same_ids (paged, 0, all, 0, all->len);

          for (guint i = 1; i < all->len; i++)
            {
              WaybillOrderKey a = read_key (fixture->store, g_array_index (all, gint64, i - 1));
              WaybillOrderKey b = read_key (fixture->store, g_array_index (all, gint64, i));

              n_ties += sort == WAYBILL_SORT_NEWEST ? a.created == b.created
                      : sort == WAYBILL_SORT_LAST_UPDATE ? a.has_last_update == b.has_last_update && a.last_update == b.last_update
                      : a.has_eta == b.has_eta && a.eta == b.eta;
            }
        }

  /* The data did test ties. */
  g_assert_cmpuint (n_ties, >, 100);
}

static void
test_status_filter (Fixture       *fixture,
                    gconstpointer  data)
{
  for (WaybillSort sort = 0; sort < WAYBILL_N_SORTS; sort++)
    {
      WaybillOrderQuery query = { WAYBILL_FILTER_ALL, WAYBILL_STATUS_DELIVERED, sort };
      g_autoptr(GArray) all = list_all (fixture->store, &query);
      g_autoptr(GArray) paged = g_array_new (FALSE, FALSE, sizeof (gint64));
      WaybillOrderKey key = { 0 };
      g_autoptr(GPtrArray) page = NULL;

      g_assert_cmpuint (all->len, >, 10);
      page = waybill_store_list_orders_after (fixture->store, &query, NULL, 0, 5, &key, NULL);
      while (page->len > 0)
        {
          g_autoptr(GArray) ids = ids_of (page);

          g_array_append_vals (paged, ids->data, ids->len);
          g_assert_cmpuint (paged->len, <=, all->len);
          g_ptr_array_unref (page);
          page = waybill_store_list_orders_after (fixture->store, &query, &key, 0, 5, &key, NULL);
        }
      g_assert_cmpuint (paged->len, ==, all->len);
      assert_same_ids (paged, 0, all, 0, all->len);
    }
}

/* A jump: skip rows after a key, or count from the end. */
static void
test_skip_and_from_end (Fixture       *fixture,
                        gconstpointer  data)
{
  for (WaybillFilter filter = 0; filter < WAYBILL_N_FILTERS; filter++)
    for (WaybillSort sort = 0; sort < WAYBILL_N_SORTS; sort++)
      {
        WaybillOrderQuery query = { filter, WAYBILL_STATUS_INVALID, sort };
        g_autoptr(GArray) all = list_all (fixture->store, &query);

        for (guint k = 0; k < all->len; k += 1 + k / 3)
          for (guint skip = 0; skip < all->len; skip += 1 + skip * 2)
            {
              WaybillOrderKey after = read_key (fixture->store, g_array_index (all, gint64, k));
              WaybillOrderKey last = { -1, 0, 0, 0, FALSE, FALSE };
              g_autoptr(GError) error = NULL;
              g_autoptr(GPtrArray) page = waybill_store_list_orders_after (fixture->store, &query, &after,
                                                                           skip, 9, &last, &error);
              g_autoptr(GArray) ids = NULL;
              guint expected = MIN (9, all->len - MIN (all->len, k + 1 + skip));

              g_assert_no_error (error);
              ids = ids_of (page);
              g_assert_cmpuint (ids->len, ==, expected);
              if (expected > 0)
                assert_same_ids (ids, 0, all, k + 1 + skip, expected);
              /* An empty page leaves the key alone. */
              if (expected == 0)
                g_assert_cmpint (last.id, ==, -1);
            }

        for (guint skip = 0; skip <= all->len; skip += 1 + skip / 2)
          {
            WaybillOrderKey last = { 0 };
            g_autoptr(GError) error = NULL;
            g_autoptr(GPtrArray) page = waybill_store_list_orders_from_end (fixture->store, &query, skip, 13,
                                                                            &last, &error);
            g_autoptr(GArray) ids = NULL;
            guint end = all->len - MIN (skip, all->len);
            guint expected = MIN (13, end);

            g_assert_no_error (error);
            ids = ids_of (page);
            g_assert_cmpuint (ids->len, ==, expected);
            assert_same_ids (ids, 0, all, end - expected, expected);
            if (expected > 0)
              g_assert_cmpint (last.id, ==, g_array_index (all, gint64, end - 1));
          }
      }
}

/* Rows added and deleted between two pages, before the key, after it and
 * the key's own row: the next page is the rows after the key as the
 * database is now, none twice, none left out. */
static void
test_changes_between_pages (Fixture       *fixture,
                            gconstpointer  data)
{
  for (WaybillSort sort = 0; sort < WAYBILL_N_SORTS; sort++)
    {
      WaybillOrderQuery query = { WAYBILL_FILTER_ALL, WAYBILL_STATUS_INVALID, sort };
      g_autoptr(GArray) before = list_all (fixture->store, &query);
      g_autoptr(GArray) now = NULL;
      g_autoptr(GArray) seen = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) first = NULL;
      g_autoptr(GPtrArray) next = NULL;
      g_autoptr(GArray) next_ids = NULL;
      WaybillOrderKey key = { 0 };
      guint expected_start = 0;
      g_autofree char *sql = NULL;

      first = waybill_store_list_orders_after (fixture->store, &query, NULL, 0, 30, &key, &error);
      g_assert_no_error (error);
      seen = ids_of (first);

      /* Delete a row before the key, the key's row and the row after it;
       * add one row that ties with the key and two new orders. */
      g_assert_true (waybill_store_delete_order (fixture->store, g_array_index (before, gint64, 3), &error));
      g_assert_true (waybill_store_delete_order (fixture->store, key.id, &error));
      g_assert_true (waybill_store_delete_order (fixture->store, g_array_index (before, gint64, 30), &error));
      g_assert_no_error (error);
      for (guint i = 0; i < 3; i++)
        {
          g_autofree char *number = g_strdup_printf ("TIE-%u-%u", sort, i);
          g_autoptr(WaybillOrder) order = waybill_order_new (number, "Tie Customer");

          g_assert_true (waybill_store_create_order (fixture->store, order, &error));
          g_assert_no_error (error);
          /* The first ties with the key on every sort value (it sorts
           * before it: a newer id), the second sorts just after the key,
           * the third keeps its own values. */
          if (i < 2)
            {
              gboolean by_update = sort == WAYBILL_SORT_LAST_UPDATE;
              g_autofree char *eta = key.has_eta
                ? g_strdup_printf ("%" G_GINT64_FORMAT, key.eta) : g_strdup ("NULL");
              g_autofree char *update = key.has_last_update
                ? g_strdup_printf ("%" G_GINT64_FORMAT, key.last_update - (i == 1 && by_update))
                : g_strdup ("NULL");

              sql = g_strdup_printf ("UPDATE orders SET created = %" G_GINT64_FORMAT ", eta = %s, "
                                     "last_update = %s WHERE id = %" G_GINT64_FORMAT,
                                     key.created - (i == 1 && !by_update), eta, update,
                                     waybill_order_get_id (order));
              exec_sql (fixture->store, sql);
              g_clear_pointer (&sql, g_free);
            }
        }

      now = list_all (fixture->store, &query);
      next = waybill_store_list_orders_after (fixture->store, &query, &key, 0, 30, NULL, &error);
      g_assert_no_error (error);
      next_ids = ids_of (next);

      /* Where the rows after the key start now, by compare_keys(). */
      while (expected_start < now->len)
        {
          WaybillOrderKey row = read_key (fixture->store, g_array_index (now, gint64, expected_start));

          if (compare_keys (sort, &row, &key) > 0)
            break;
          expected_start++;
        }
      g_assert_cmpuint (next_ids->len, ==, MIN (30, now->len - expected_start));
      assert_same_ids (next_ids, 0, now, expected_start, next_ids->len);

      /* None of the first page again. */
      for (guint i = 0; i < next_ids->len; i++)
        for (guint j = 0; j < seen->len; j++)
          g_assert_cmpint (g_array_index (next_ids, gint64, i), !=, g_array_index (seen, gint64, j));
    }
}

static void
test_bad_query (Fixture       *fixture,
                gconstpointer  data)
{
  WaybillOrderQuery query = { 42, WAYBILL_STATUS_INVALID, WAYBILL_SORT_NEWEST };
  WaybillOrderKey key = { 1, 0, 0, 0, FALSE, FALSE };
  g_autoptr(GError) error = NULL;

  g_assert_null (waybill_store_list_orders_after (fixture->store, &query, &key, 0, 10, NULL, &error));
  g_assert_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_INVALID);
  g_clear_error (&error);
  query.filter = WAYBILL_FILTER_ALL;
  query.sort = 7;
  g_assert_null (waybill_store_list_orders_from_end (fixture->store, &query, 0, 10, NULL, &error));
  g_assert_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_INVALID);
}

static void
counted_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
count_filters (WaybillStore *store,
               GCancellable *cancellable)
{
  GAsyncResult *result = NULL;

  waybill_store_count_filters_async (store, cancellable, counted_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return result;
}

/* The filter counts made in a thread are the counts; a database that
 * cannot be opened there is an error, and so is a cancelled count. */
static void
test_count_filters_async (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = count_filters (fixture->store, NULL);
  g_autoptr(GError) error = NULL;
  gint64 counts[WAYBILL_N_FILTERS];

  g_assert_true (waybill_store_count_filters_finish (fixture->store, result, counts, &error));
  g_assert_no_error (error);
  for (WaybillFilter filter = 0; filter < WAYBILL_N_FILTERS; filter++)
    {
      WaybillOrderQuery query = { filter, WAYBILL_STATUS_INVALID, WAYBILL_SORT_NEWEST };

      g_assert_cmpint (counts[filter], ==, waybill_store_count_orders (fixture->store, &query, NULL));
    }
  g_assert_cmpint (counts[WAYBILL_FILTER_ALL], >, 200);
  g_clear_object (&result);

  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    g_cancellable_cancel (cancellable);
    result = count_filters (fixture->store, cancellable);
    g_assert_false (waybill_store_count_filters_finish (fixture->store, result, counts, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);
    g_clear_object (&result);
  }

  /* The file gone and a folder in its place. */
  {
    g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (fixture->path, "-shm", NULL);

    g_assert_cmpint (g_remove (fixture->path), ==, 0);
    g_remove (wal);
    g_remove (shm);
    g_assert_cmpint (g_mkdir (fixture->path, 0700), ==, 0);
    result = count_filters (fixture->store, NULL);
    g_assert_false (waybill_store_count_filters_finish (fixture->store, result, counts, &error));
    g_assert_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_FAILED);
    g_assert_cmpint (g_rmdir (fixture->path), ==, 0);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/waybill/store-paging/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("pages-concatenate", test_pages_concatenate);
  ADD ("status-filter", test_status_filter);
  ADD ("skip-and-from-end", test_skip_and_from_end);
  ADD ("changes-between-pages", test_changes_between_pages);
  ADD ("bad-query", test_bad_query);
  ADD ("count-filters-async", test_count_filters_async);

  return g_test_run ();
}
