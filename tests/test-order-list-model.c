/* test-order-list-model.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "waybill-demo.h"
#include "waybill-order-list-model.h"

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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/waybill/order-list-model/pages-and-changes", test_pages_and_changes);

  return g_test_run ();
}
