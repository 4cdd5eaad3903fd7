/* waybill-order-list-model.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-order-list-model"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "waybill-order-list-model.h"

/* A GListModel of the store's orders that never holds them all: it knows
 * the count and fetches the page of rows around the position asked for,
 * keeping a few pages.  A list view asks only for the rows it shows, so a
 * database of 100,000 orders costs a few pages of memory.
 *
 * Pages are read by key: the model keeps the key of the last row of every
 * page it has read (a few bytes a page, kept when the page itself is
 * dropped), and reads page i + 1 after the last key of page i.  A jump
 * starts from the nearest page boundary it knows before it, or counts from
 * the end of the list when that is nearer.
 *
 * With a search text the model holds the (bounded) search results instead. */

#define PAGE_SIZE 100
#define MAX_PAGES 16
#define SEARCH_LIMIT 200

struct _WaybillOrderListModel
{
  GObject            parent_instance;

  WaybillStore      *store;
  WaybillOrderQuery  query;
  char              *search;
  guint              n_items;
  /* page number -> GPtrArray of WaybillOrder */
  GHashTable        *pages;
  /* page numbers, most recently used first, to drop the oldest page */
  GQueue             recent;
  /* page number -> WaybillOrderKey of its last row */
  GHashTable        *boundaries;
  GPtrArray         *results;
  GError            *error;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (WaybillOrderListModel, waybill_order_list_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_STORE,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
waybill_order_list_model_get_item_type (GListModel *model)
{
  return WAYBILL_TYPE_ORDER;
}

static guint
waybill_order_list_model_get_n_items (GListModel *model)
{
  return WAYBILL_ORDER_LIST_MODEL (model)->n_items;
}

static void
set_error (WaybillOrderListModel *self,
           GError                *error)
{
  if (error != NULL)
    g_warning ("Could not load orders: %s", error->message);
  g_clear_error (&self->error);
  self->error = error;
}

/* Reads a page: after the nearest page boundary known before it, or from
 * the end of the list when that is nearer. */
static GPtrArray *
load_page (WaybillOrderListModel *self,
           guint                  page_no)
{
  GError *error = NULL;
  WaybillOrderKey last;
  const WaybillOrderKey *after = NULL;
  guint64 skip = (guint64) page_no * PAGE_SIZE;
  guint64 page_end = MIN ((guint64) self->n_items, skip + PAGE_SIZE);
  GHashTableIter iter;
  gpointer key, value;
  GPtrArray *page;

  g_hash_table_iter_init (&iter, self->boundaries);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint before = GPOINTER_TO_UINT (key);
      guint64 distance = (guint64) (page_no - 1 - before) * PAGE_SIZE;

      if (before < page_no && distance < skip)
        {
          after = value;
          skip = distance;
        }
    }

  if (self->n_items - page_end < skip)
    page = waybill_store_list_orders_from_end (self->store, &self->query, self->n_items - page_end,
                                               page_end - (guint64) page_no * PAGE_SIZE, &last, &error);
  else
    page = waybill_store_list_orders_after (self->store, &self->query, after, skip, PAGE_SIZE,
                                            &last, &error);
  if (page == NULL)
    {
      set_error (self, error);
      return NULL;
    }

  if (page->len > 0)
    g_hash_table_insert (self->boundaries, GUINT_TO_POINTER (page_no),
                         g_memdup2 (&last, sizeof last));

  return page;
}

static gpointer
waybill_order_list_model_get_item (GListModel *model,
                                   guint       position)
{
  WaybillOrderListModel *self = WAYBILL_ORDER_LIST_MODEL (model);
  guint page_no = position / PAGE_SIZE;
  GPtrArray *page;

  if (position >= self->n_items)
    return NULL;

  if (self->search != NULL)
    return position < self->results->len
           ? g_object_ref (g_ptr_array_index (self->results, position)) : NULL;

  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page_no));
  if (page != NULL && g_queue_peek_head (&self->recent) != GUINT_TO_POINTER (page_no))
    {
      g_queue_remove (&self->recent, GUINT_TO_POINTER (page_no));
      g_queue_push_head (&self->recent, GUINT_TO_POINTER (page_no));
    }
  if (page == NULL)
    {
      page = load_page (self, page_no);
      if (page == NULL)
        return NULL;

      if (g_hash_table_size (self->pages) >= MAX_PAGES)
        g_hash_table_remove (self->pages, g_queue_pop_tail (&self->recent));
      g_hash_table_insert (self->pages, GUINT_TO_POINTER (page_no), page);
      g_queue_push_head (&self->recent, GUINT_TO_POINTER (page_no));
    }

  if (position % PAGE_SIZE >= page->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (page, position % PAGE_SIZE));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = waybill_order_list_model_get_item_type;
  iface->get_n_items = waybill_order_list_model_get_n_items;
  iface->get_item = waybill_order_list_model_get_item;
}

/**
 * waybill_order_list_model_reload:
 *
 * Forgets what was loaded and counts again; the store's changes do this
 * by themselves.
 */
/* After a new search text: the orders the last results also had keep
 * their objects (the data was read a moment ago), and only the positions
 * between the unchanged first and last results are reported as changed,
 * so that a list view keeps the rows it has for them. */
static void
search_again (WaybillOrderListModel *self)
{
  g_autoptr(GPtrArray) old = g_steal_pointer (&self->results);
  GError *error = NULL;
  guint old_n = self->n_items;
  guint prefix = 0, suffix = 0;

  set_error (self, NULL);
  self->results = waybill_store_search (self->store, self->search, SEARCH_LIMIT, &error);
  if (self->results == NULL)
    set_error (self, error);
  self->n_items = self->results != NULL ? self->results->len : 0;

  if (old != NULL && self->results != NULL)
    {
      g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
      g_autoptr(GArray) ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), old->len);

      for (guint i = 0; i < old->len; i++)
        {
          gint64 id = waybill_order_get_id (g_ptr_array_index (old, i));

          g_array_append_val (ids, id);
        }
      for (guint i = 0; i < old->len; i++)
        g_hash_table_insert (by_id, &g_array_index (ids, gint64, i), g_ptr_array_index (old, i));

      for (guint i = 0; i < self->results->len; i++)
        {
          gint64 id = waybill_order_get_id (g_ptr_array_index (self->results, i));
          WaybillOrder *known = g_hash_table_lookup (by_id, &id);

          if (known != NULL)
            {
              g_object_unref (g_ptr_array_index (self->results, i));
              g_ptr_array_index (self->results, i) = g_object_ref (known);
            }
        }

      while (prefix < old->len && prefix < self->results->len &&
             g_ptr_array_index (old, prefix) == g_ptr_array_index (self->results, prefix))
        prefix++;
      while (suffix < old->len - prefix && suffix < self->results->len - prefix &&
             g_ptr_array_index (old, old->len - 1 - suffix) ==
             g_ptr_array_index (self->results, self->results->len - 1 - suffix))
        suffix++;
    }

  if (old_n - prefix - suffix > 0 || self->n_items - prefix - suffix > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), prefix, old_n - prefix - suffix,
                                self->n_items - prefix - suffix);
  if (old_n != self->n_items)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

void
waybill_order_list_model_reload (WaybillOrderListModel *self)
{
  guint old_n_items;

  g_return_if_fail (WAYBILL_IS_ORDER_LIST_MODEL (self));

  old_n_items = self->n_items;
  g_hash_table_remove_all (self->pages);
  g_hash_table_remove_all (self->boundaries);
  g_queue_clear (&self->recent);
  g_clear_pointer (&self->results, g_ptr_array_unref);
  set_error (self, NULL);

  if (self->search != NULL)
    {
      GError *error = NULL;

      self->results = waybill_store_search (self->store, self->search, SEARCH_LIMIT, &error);
      if (self->results == NULL)
        set_error (self, error);
      self->n_items = self->results != NULL ? self->results->len : 0;
    }
  else
    {
      GError *error = NULL;
      gint64 count = waybill_store_count_orders (self->store, &self->query, &error);

      if (count < 0)
        set_error (self, error);
      self->n_items = MAX (count, 0);
    }

  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n_items, self->n_items);
  if (old_n_items != self->n_items)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
store_changed_cb (WaybillOrderListModel *self,
                  WaybillStore          *store)
{
  waybill_order_list_model_reload (self);
}

static void
waybill_order_list_model_constructed (GObject *object)
{
  WaybillOrderListModel *self = WAYBILL_ORDER_LIST_MODEL (object);

  G_OBJECT_CLASS (waybill_order_list_model_parent_class)->constructed (object);

  g_signal_connect_object (self->store, "changed",
                           G_CALLBACK (store_changed_cb), self, G_CONNECT_SWAPPED);
  waybill_order_list_model_reload (self);
}

static void
waybill_order_list_model_dispose (GObject *object)
{
  WaybillOrderListModel *self = WAYBILL_ORDER_LIST_MODEL (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->results, g_ptr_array_unref);
  g_hash_table_remove_all (self->pages);
  g_queue_clear (&self->recent);

  G_OBJECT_CLASS (waybill_order_list_model_parent_class)->dispose (object);
}

static void
waybill_order_list_model_finalize (GObject *object)
{
  WaybillOrderListModel *self = WAYBILL_ORDER_LIST_MODEL (object);

  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_clear_pointer (&self->boundaries, g_hash_table_unref);
  g_clear_pointer (&self->search, g_free);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (waybill_order_list_model_parent_class)->finalize (object);
}

static void
waybill_order_list_model_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  WaybillOrderListModel *self = WAYBILL_ORDER_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->n_items);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
waybill_order_list_model_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  WaybillOrderListModel *self = WAYBILL_ORDER_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
waybill_order_list_model_class_init (WaybillOrderListModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = waybill_order_list_model_constructed;
  object_class->dispose = waybill_order_list_model_dispose;
  object_class->finalize = waybill_order_list_model_finalize;
  object_class->get_property = waybill_order_list_model_get_property;
  object_class->set_property = waybill_order_list_model_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, WAYBILL_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
waybill_order_list_model_init (WaybillOrderListModel *self)
{
  WaybillOrderQuery query = WAYBILL_ORDER_QUERY_INIT;

  self->query = query;
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  self->boundaries = g_hash_table_new_full (NULL, NULL, NULL, g_free);
}

WaybillOrderListModel *
waybill_order_list_model_new (WaybillStore *store)
{
  g_return_val_if_fail (WAYBILL_IS_STORE (store), NULL);

  return g_object_new (WAYBILL_TYPE_ORDER_LIST_MODEL, "store", store, NULL);
}

WaybillStore *
waybill_order_list_model_get_store (WaybillOrderListModel *self)
{
  g_return_val_if_fail (WAYBILL_IS_ORDER_LIST_MODEL (self), NULL);

  return self->store;
}

void
waybill_order_list_model_set_query (WaybillOrderListModel   *self,
                                    const WaybillOrderQuery *query)
{
  g_return_if_fail (WAYBILL_IS_ORDER_LIST_MODEL (self));
  g_return_if_fail (query != NULL);

  if (memcmp (&self->query, query, sizeof *query) == 0)
    return;

  self->query = *query;
  waybill_order_list_model_reload (self);
}

/**
 * waybill_order_list_model_set_search:
 * @text: (nullable): the search text; %NULL or "" lists by the query again
 */
void
waybill_order_list_model_set_search (WaybillOrderListModel *self,
                                     const char            *text)
{
  g_return_if_fail (WAYBILL_IS_ORDER_LIST_MODEL (self));

  if (text != NULL && *text == '\0')
    text = NULL;
  if (g_strcmp0 (self->search, text) == 0)
    return;

  g_free (self->search);
  self->search = g_strdup (text);
  if (self->search != NULL && self->results != NULL)
    search_again (self);
  else
    waybill_order_list_model_reload (self);
}

const char *
waybill_order_list_model_get_search (WaybillOrderListModel *self)
{
  g_return_val_if_fail (WAYBILL_IS_ORDER_LIST_MODEL (self), NULL);

  return self->search;
}

/**
 * waybill_order_list_model_find:
 *
 * Looks for an order among the rows loaded so far (the pages a view has
 * shown), to keep a selection across a reload without loading everything.
 *
 * Returns: its position, or %GTK_INVALID_LIST_POSITION (G_MAXUINT)
 */
guint
waybill_order_list_model_find (WaybillOrderListModel *self,
                               gint64                 order_id)
{
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (WAYBILL_IS_ORDER_LIST_MODEL (self), G_MAXUINT);

  if (self->results != NULL)
    {
      for (guint i = 0; i < self->results->len; i++)
        if (waybill_order_get_id (g_ptr_array_index (self->results, i)) == order_id)
          return i;
      return G_MAXUINT;
    }

  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GPtrArray *page = value;

      for (guint i = 0; i < page->len; i++)
        if (waybill_order_get_id (g_ptr_array_index (page, i)) == order_id)
          return GPOINTER_TO_UINT (key) * PAGE_SIZE + i;
    }

  return G_MAXUINT;
}

/**
 * waybill_order_list_model_get_error:
 *
 * Returns: (nullable): why the last load failed, or %NULL
 */
const GError *
waybill_order_list_model_get_error (WaybillOrderListModel *self)
{
  g_return_val_if_fail (WAYBILL_IS_ORDER_LIST_MODEL (self), NULL);

  return self->error;
}
