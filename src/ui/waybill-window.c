/* waybill-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-window"

#include "config.h"

#include <glib/gi18n.h>

#include "waybill-order-detail.h"
#include "waybill-order-list-model.h"
#include "waybill-order-row.h"
#include "waybill-window.h"

/* The main window: the order list on the left, the selected order on the
 * right; one pane below about 700 px.  It reads through the store's list
 * model and the store's calls only. */
struct _WaybillWindow
{
  AdwApplicationWindow   parent_instance;

  WaybillStore          *store;
  GSettings             *settings;
  WaybillOrderListModel *orders;
  GtkSingleSelection    *selection;
  gint64                 selected_id;

  /* Template widgets */
  GtkStack              *main_stack;
  AdwStatusPage         *error_page;
  AdwLeaflet            *leaflet;
  GtkWidget             *sidebar;
  GtkWidget             *content;
  AdwWindowTitle        *list_title;
  GtkSearchEntry        *search_entry;
  GtkStack              *list_stack;
  GtkListView           *order_list;
  AdwWindowTitle        *detail_title;
  GtkStack              *detail_stack;
  WaybillOrderDetail    *detail;
};

G_DEFINE_FINAL_TYPE (WaybillWindow, waybill_window, ADW_TYPE_APPLICATION_WINDOW)

static void
update_list_page (WaybillWindow *self)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->orders));
  g_autofree char *subtitle = NULL;

  if (n_items > 0)
    gtk_stack_set_visible_child_name (self->list_stack, "list");
  else if (waybill_order_list_model_get_search (self->orders) != NULL)
    gtk_stack_set_visible_child_name (self->list_stack, "no-results");
  else
    gtk_stack_set_visible_child_name (self->list_stack, "empty");

  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u order", "%u orders", n_items),
                              n_items);
  adw_window_title_set_subtitle (self->list_title, subtitle);
}

static void
show_order (WaybillWindow *self,
            gint64         order_id)
{
  g_autoptr(WaybillOrder) order = NULL;
  g_autoptr(GError) error = NULL;

  self->selected_id = order_id;

  if (order_id > 0)
    {
      order = waybill_store_get_order (self->store, order_id, &error);
      if (order != NULL)
        {
          GPtrArray *shipments = waybill_order_get_shipments (order);

          for (guint i = 0; i < shipments->len; i++)
            if (!waybill_store_load_events (self->store, g_ptr_array_index (shipments, i), &error))
              {
                g_warning ("Could not load the timeline: %s", error->message);
                g_clear_error (&error);
              }
        }
      else if (!g_error_matches (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_NOT_FOUND))
        g_warning ("Could not load order: %s", error->message);
    }

  waybill_order_detail_set_order (self->detail, order);

  if (order != NULL)
    {
      g_autofree char *title = g_strdup_printf (_("Order %s"), waybill_order_get_order_number (order));

      adw_window_title_set_title (self->detail_title, title);
      adw_window_title_set_subtitle (self->detail_title, waybill_order_get_customer (order));
      gtk_stack_set_visible_child_name (self->detail_stack, "order");
    }
  else
    {
      self->selected_id = 0;
      adw_window_title_set_title (self->detail_title, "");
      adw_window_title_set_subtitle (self->detail_title, "");
      gtk_stack_set_visible_child_name (self->detail_stack, "none");
    }
}

static void
selection_changed_cb (WaybillWindow *self)
{
  WaybillOrder *order = gtk_single_selection_get_selected_item (self->selection);

  if (order != NULL)
    show_order (self, waybill_order_get_id (order));
}

static void
order_activated_cb (WaybillWindow *self,
                    guint          position)
{
  gtk_single_selection_set_selected (self->selection, position);
  adw_leaflet_set_visible_child (self->leaflet, self->content);
}

static void
back_clicked_cb (WaybillWindow *self)
{
  adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
}

static void
search_changed_cb (WaybillWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  waybill_order_list_model_set_search (self->orders, text);
}

/* After a reload (a change in the database, from here or another
 * process) keep showing the order that was shown. */
static void
orders_changed_cb (WaybillWindow *self)
{
  guint position;

  update_list_page (self);

  if (self->selected_id == 0)
    return;

  position = waybill_order_list_model_find (self->orders, self->selected_id);
  if (position != G_MAXUINT)
    {
      g_signal_handlers_block_by_func (self->selection, selection_changed_cb, self);
      gtk_single_selection_set_selected (self->selection, position);
      g_signal_handlers_unblock_by_func (self->selection, selection_changed_cb, self);
    }

  show_order (self, self->selected_id);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  gtk_list_item_set_child (item, GTK_WIDGET (waybill_order_row_new ()));
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  waybill_order_row_set_order (WAYBILL_ORDER_ROW (gtk_list_item_get_child (item)),
                               gtk_list_item_get_item (item));
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  waybill_order_row_set_order (WAYBILL_ORDER_ROW (gtk_list_item_get_child (item)), NULL);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  WaybillWindow *self = WAYBILL_WINDOW (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
waybill_window_dispose (GObject *object)
{
  WaybillWindow *self = WAYBILL_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), WAYBILL_TYPE_WINDOW);
  g_clear_object (&self->selection);
  g_clear_object (&self->orders);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (waybill_window_parent_class)->dispose (object);
}

static void
waybill_window_class_init (WaybillWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = waybill_window_dispose;

  g_type_ensure (WAYBILL_TYPE_ORDER_DETAIL);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/waybill/Waybill/waybill-window.ui");
  gtk_widget_class_bind_template_child (widget_class, WaybillWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, WaybillWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, WaybillWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, WaybillWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, WaybillWindow, content);
  gtk_widget_class_bind_template_child (widget_class, WaybillWindow, list_title);
  gtk_widget_class_bind_template_child (widget_class, WaybillWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, WaybillWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, WaybillWindow, order_list);
  gtk_widget_class_bind_template_child (widget_class, WaybillWindow, detail_title);
  gtk_widget_class_bind_template_child (widget_class, WaybillWindow, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, WaybillWindow, detail);
  gtk_widget_class_bind_template_callback (widget_class, order_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);

  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
}

/* The window keeps its size between runs.  Run from the build folder
 * without the schema installed, it simply does not. */
static void
bind_window_state (WaybillWindow *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID_BASE, TRUE);
  if (schema == NULL)
    return;

  self->settings = g_settings_new_full (schema, NULL, NULL);
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
}

static void
waybill_window_init (WaybillWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  bind_window_state (self);

#if DEVELOPMENT
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif
}

static void
set_store (WaybillWindow *self,
           WaybillStore  *store)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  self->store = g_object_ref (store);
  self->orders = waybill_order_list_model_new (store);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->orders)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), NULL);
  gtk_list_view_set_factory (self->order_list, factory);
  gtk_list_view_set_model (self->order_list, GTK_SELECTION_MODEL (self->selection));

  g_signal_connect_object (self->selection, "selection-changed",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->orders, "items-changed",
                           G_CALLBACK (orders_changed_cb), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);

  update_list_page (self);
  gtk_stack_set_visible_child_name (self->main_stack, "orders");
}

/**
 * waybill_window_new:
 * @application: (nullable): the #GtkApplication
 * @store: (nullable): the open store
 * @store_error: (nullable): why the store could not be opened
 *
 * Returns: (transfer full): a new window
 */
WaybillWindow *
waybill_window_new (gpointer      application,
                    WaybillStore *store,
                    const GError *store_error)
{
  WaybillWindow *self;

  g_return_val_if_fail (store == NULL || WAYBILL_IS_STORE (store), NULL);

  self = g_object_new (WAYBILL_TYPE_WINDOW, "application", application, NULL);

  if (store != NULL)
    set_store (self, store);
  else
    {
      adw_status_page_set_description (self->error_page,
                                       store_error ? store_error->message : _("Unknown error"));
      gtk_stack_set_visible_child_name (self->main_stack, "error");
    }

  return self;
}

GListModel *
waybill_window_get_orders (WaybillWindow *self)
{
  g_return_val_if_fail (WAYBILL_IS_WINDOW (self), NULL);

  return G_LIST_MODEL (self->orders);
}

void
waybill_window_select_order (WaybillWindow *self,
                             guint          position)
{
  g_return_if_fail (WAYBILL_IS_WINDOW (self));

  order_activated_cb (self, position);
}

GtkWidget *
waybill_window_get_detail (WaybillWindow *self)
{
  g_return_val_if_fail (WAYBILL_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->detail);
}
