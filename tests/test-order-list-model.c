/* test-order-list-model.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "waybill-demo.h"
#include "waybill-order-list-model.h"
#include "waybill-store-private.h"

typedef struct
{
  guint position, removed, added;
  guint n_signals;
} Changes;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Changes    *changes)
{
  changes->position = position;
  changes->removed = removed;
  changes->added = added;
  changes->n_signals++;
}

static void
test_pages_and_changes (void)
{
  g_autofree char *dir = g_dir_make_tmp ("waybill-model-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "waybill.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autoptr(GError) error = NULL;
  WaybillStore *store = waybill_store_open (path, &error);
  WaybillOrderListModel *model;
  WaybillOrderQuery query = WAYBILL_ORDER_QUERY_INIT;
  Changes changes = { 0 };
  g_autoptr(GPtrArray) direct = NULL;
  guint n;

  g_assert_no_error (error);
  waybill_demo_fill (store, 350, 5, &error);
  g_assert_no_error (error);

  model = waybill_order_list_model_new (store);
  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), &changes);
  n = g_list_model_get_n_items (G_LIST_MODEL (model));
  g_assert_cmpuint (n, ==, waybill_store_count_orders (store, &query, NULL));
  g_assert_cmpuint (n, >, 300);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (model)) == WAYBILL_TYPE_ORDER);

  /* Rows across page boundaries are the store's rows, in order. */
  direct = waybill_store_list_orders (store, &query, 0, n, &error);
  for (guint i = 0; i < n; i += 37)
    {
      g_autoptr(WaybillOrder) order = g_list_model_get_item (G_LIST_MODEL (model), i);

      g_assert_cmpint (waybill_order_get_id (order), ==,
                       waybill_order_get_id (g_ptr_array_index (direct, i)));
    }
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), n));

  /* find() knows the loaded rows. */
  g_assert_cmpuint (waybill_order_list_model_find (model,
                                                   waybill_order_get_id (g_ptr_array_index (direct, 37))), ==, 37);

  /* A write reloads the model. */
  {
    g_autoptr(WaybillOrder) order = waybill_order_new ("NEW-1", "New Customer");

    waybill_store_create_order (store, order, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpuint (changes.n_signals, ==, 1);
  g_assert_cmpuint (changes.removed, ==, n);
  g_assert_cmpuint (changes.added, ==, n + 1);

  /* A filter. */
  query.filter = WAYBILL_FILTER_DELIVERED;
  waybill_order_list_model_set_query (model, &query);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==,
                    waybill_store_count_orders (store, &query, NULL));

  /* A search replaces the listing; clearing it brings it back. */
  waybill_order_list_model_set_search (model, "NEW-1");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);
  waybill_order_list_model_set_search (model, "");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==,
                    waybill_store_count_orders (store, &query, NULL));

  g_assert_finalize_object (model);
  g_assert_finalize_object (store);
  g_remove (path);
  g_remove (wal);
  g_remove (shm);
  g_rmdir (dir);
}

static gint64
item_id (GListModel *model,
         guint       position)
{
  g_autoptr(WaybillOrder) order = g_list_model_get_item (model, position);

  g_assert_nonnull (order);

  return waybill_order_get_id (order);
}

static void
remove_database (const char *dir,
                 const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_remove (path);
  g_remove (wal);
  g_remove (shm);
  g_rmdir (dir);
}

/* 1,100 orders whose sort values tie a lot, with NULLs: eleven pages of
 * the model's 100 rows. */
static WaybillStore *
open_tied_store (char **out_dir,
                 char **out_path)
{
  g_autoptr(GError) error = NULL;
  WaybillStore *store;

  *out_dir = g_dir_make_tmp ("waybill-model-XXXXXX", NULL);
  *out_path = g_build_filename (*out_dir, "waybill.db", NULL);
  store = waybill_store_open (*out_path, &error);
  g_assert_no_error (error);
  waybill_demo_fill (store, 1100, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_exec (waybill_store_get_db (store),
                                 "UPDATE orders SET created = 1700000000 + (id % 13) * 60, "
                                 "  eta = CASE WHEN id % 4 = 0 THEN NULL ELSE 1700000000 + (id % 5) * 86400 END, "
                                 "  last_update = CASE WHEN id % 9 = 0 THEN NULL ELSE 1700000000 + (id % 6) END",
                                 NULL, NULL, NULL), ==, SQLITE_OK);

  return store;
}

/* Read in order, then in a random order after a reload (jumps with no
 * page boundary known, from the nearest one, and from the end): every
 * position holds the row one query over everything has there. */
static void
test_keyset_sequential_and_jumps (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  WaybillStore *store = open_tied_store (&dir, &path);
  WaybillOrderListModel *model = waybill_order_list_model_new (store);

  for (WaybillFilter filter = 0; filter < WAYBILL_N_FILTERS; filter++)
    for (WaybillSort sort = 0; sort < WAYBILL_N_SORTS; sort++)
      {
        WaybillOrderQuery query = { filter, WAYBILL_STATUS_INVALID, sort };
        g_autoptr(GError) error = NULL;
        g_autoptr(GPtrArray) all = NULL;
        g_autofree guint *order = NULL;
        guint n;

        waybill_order_list_model_set_query (model, &query);
        n = g_list_model_get_n_items (G_LIST_MODEL (model));
        all = waybill_store_list_orders (store, &query, 0, 100000, &error);
        g_assert_no_error (error);
        g_assert_cmpuint (all->len, ==, n);

        for (guint i = 0; i < n; i++)
          g_assert_cmpint (item_id (G_LIST_MODEL (model), i), ==,
                           waybill_order_get_id (g_ptr_array_index (all, i)));
        g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), n));

        waybill_order_list_model_reload (model);
        order = g_new (guint, n);
        for (guint i = 0; i < n; i++)
          order[i] = i;
        for (guint i = n; i > 1; i--)
          {
            guint j = g_test_rand_int_range (0, i);
            guint t = order[i - 1];

            order[i - 1] = order[j];
            order[j] = t;
          }
        for (guint i = 0; i < n; i++)
          g_assert_cmpint (item_id (G_LIST_MODEL (model), order[i]), ==,
                           waybill_order_get_id (g_ptr_array_index (all, order[i])));
        g_assert_null (waybill_order_list_model_get_error (model));
      }

  g_assert_finalize_object (model);
  g_assert_finalize_object (store);
  remove_database (dir, path);
}

/* Another process adds and deletes orders while the list is read, before
 * the model hears of it: the pages read after the change go on from where
 * the last one ended (no order twice), and the reload that follows shows
 * the database as it is. */
static void
test_keyset_changes_between_pages (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  WaybillStore *store = open_tied_store (&dir, &path);
  g_autoptr(GError) error = NULL;
  WaybillStore *other = waybill_store_open (path, &error);

  g_assert_no_error (error);

  for (WaybillSort sort = 0; sort < WAYBILL_N_SORTS; sort++)
    {
      WaybillOrderQuery query = { WAYBILL_FILTER_ALL, WAYBILL_STATUS_INVALID, sort };
      WaybillOrderListModel *model = waybill_order_list_model_new (store);
      g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
      g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr(GPtrArray) before = NULL;
      g_autoptr(GPtrArray) all = NULL;
      guint n;

      waybill_order_list_model_set_query (model, &query);
      n = g_list_model_get_n_items (G_LIST_MODEL (model));
      before = waybill_store_list_orders (store, &query, 0, 100000, &error);
      g_assert_no_error (error);

      for (guint i = 0; i < 250; i++)
        {
          gint64 id = item_id (G_LIST_MODEL (model), i);

          g_array_append_val (ids, id);
        }

      /* Delete the last row read, one read before it and one not read
       * yet; add an order.  The rows shift, so a page read by OFFSET
       * would leave rows out. */
      g_assert_true (waybill_store_delete_order (other, g_array_index (ids, gint64, 249), &error));
      g_assert_true (waybill_store_delete_order (other, g_array_index (ids, gint64, 10), &error));
      g_assert_true (waybill_store_delete_order (other,
                                                 waybill_order_get_id (g_ptr_array_index (before, 400)),
                                                 &error));
      for (guint i = 0; i < 1; i++)
        {
          g_autofree char *number = g_strdup_printf ("OTHER-%u-%u", sort, i);
          g_autoptr(WaybillOrder) order = waybill_order_new (number, "Another Process");

          g_assert_true (waybill_store_create_order (other, order, &error));
        }
      g_assert_no_error (error);

      /* The rest, before the model notices: nothing twice. */
      for (guint i = 250; i < n; i++)
        {
          g_autoptr(WaybillOrder) order = g_list_model_get_item (G_LIST_MODEL (model), i);
          gint64 id;

          /* Rows deleted meanwhile leave the end of the list short. */
          if (order == NULL)
            {
              g_assert_cmpuint (i, >=, n - 3);
              continue;
            }
          id = waybill_order_get_id (order);
          g_array_append_val (ids, id);
        }
      for (guint i = 0; i < ids->len; i++)
        {
          g_assert_false (g_hash_table_contains (seen, &g_array_index (ids, gint64, i)));
          g_hash_table_add (seen, &g_array_index (ids, gint64, i));
        }
      /* Every order that was there before and still is, once. */
      for (guint i = 0; i < before->len; i++)
        {
          gint64 id = waybill_order_get_id (g_ptr_array_index (before, i));

          g_assert_true (g_hash_table_contains (seen, &id) == (i != 400));
        }

      /* The watch (every 200 ms in the app) reloads the model. */
      g_assert_true (waybill_store_check_for_changes (store));
      all = waybill_store_list_orders (store, &query, 0, 100000, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, all->len);
      g_assert_cmpuint (all->len, ==, n - 2);
      for (guint i = 0; i < all->len; i += 7)
        g_assert_cmpint (item_id (G_LIST_MODEL (model), i), ==,
                         waybill_order_get_id (g_ptr_array_index (all, i)));

      g_assert_finalize_object (model);
    }

  g_assert_finalize_object (other);
  g_assert_finalize_object (store);
  remove_database (dir, path);
}

/* A new search text: the results are the store's, the orders both texts
 * find keep their objects, and only the changed stretch is reported. */
static void
test_search_keeps_unchanged_rows (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  WaybillStore *store = open_tied_store (&dir, &path);
  WaybillOrderListModel *model = waybill_order_list_model_new (store);
  static const char * const texts[] = { "a", "an", "ann", "anna", "zzzz-none", "example", "exam", "e" };
  Changes changes = { 0 };
  g_autoptr(GPtrArray) before = NULL;

  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), &changes);

  for (guint t = 0; t < G_N_ELEMENTS (texts); t++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) expected = waybill_store_search (store, texts[t], 200, &error);
      g_autoptr(GPtrArray) after = g_ptr_array_new_with_free_func (g_object_unref);
      guint n;

      g_assert_no_error (error);
      changes.n_signals = 0;
      waybill_order_list_model_set_search (model, texts[t]);
      n = g_list_model_get_n_items (G_LIST_MODEL (model));
      g_assert_cmpuint (n, ==, expected->len);
      for (guint i = 0; i < n; i++)
        {
          WaybillOrder *order = g_list_model_get_item (G_LIST_MODEL (model), i);

          g_assert_cmpint (waybill_order_get_id (order), ==,
                           waybill_order_get_id (g_ptr_array_index (expected, i)));
          g_ptr_array_add (after, order);
        }

      if (before != NULL)
        {
          guint same_before = 0;

          /* The rows before the change are the same objects, and an order
           * both searches found is the same object wherever it is. */
          g_assert_cmpuint (changes.n_signals, <=, 1);
          if (changes.n_signals == 0)
            g_assert_cmpuint (before->len, ==, after->len);
          for (guint i = 0; i < MIN (before->len, after->len); i++)
            if (g_ptr_array_index (before, i) == g_ptr_array_index (after, i))
              same_before++;
            else
              break;
          if (changes.n_signals == 1)
            {
              g_assert_cmpuint (changes.position, ==, same_before);
              g_assert_cmpuint (changes.position + changes.removed, <=, before->len);
              g_assert_cmpuint (before->len - changes.removed, ==, after->len - changes.added);
            }
          for (guint i = 0; i < before->len; i++)
            for (guint j = 0; j < after->len; j++)
              if (waybill_order_get_id (g_ptr_array_index (before, i)) ==
                  waybill_order_get_id (g_ptr_array_index (after, j)))
                g_assert_true (g_ptr_array_index (before, i) == g_ptr_array_index (after, j));
        }
      g_clear_pointer (&before, g_ptr_array_unref);
      before = g_steal_pointer (&after);
    }

  /* A change in the database reads every result again. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(WaybillOrder) first = g_list_model_get_item (G_LIST_MODEL (model), 0);
    g_autoptr(WaybillOrder) again = NULL;

    waybill_store_set_archived (store, waybill_order_get_id (first), TRUE, &error);
    g_assert_no_error (error);
    again = g_list_model_get_item (G_LIST_MODEL (model), 0);
    g_assert_true (again != first);
  }

  g_assert_finalize_object (model);
  g_clear_pointer (&before, g_ptr_array_unref);
  g_assert_finalize_object (store);
  remove_database (dir, path);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/waybill/order-list-model/pages-and-changes", test_pages_and_changes);
  g_test_add_func ("/waybill/order-list-model/keyset-sequential-and-jumps", test_keyset_sequential_and_jumps);
  g_test_add_func ("/waybill/order-list-model/keyset-changes-between-pages", test_keyset_changes_between_pages);
  g_test_add_func ("/waybill/order-list-model/search-keeps-unchanged-rows", test_search_keeps_unchanged_rows);

  return g_test_run ();
}
