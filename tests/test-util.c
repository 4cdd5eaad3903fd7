/* test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "test-util.h"

#include <glib/gstdio.h>

/* Makes a new directory "waybill-NAME-XXXXXX" under the temporary
 * directory; the test fails if it cannot. Free it with g_free(). */
char *
test_make_tmp_dir (const char *name)
{
  g_autofree char *template = g_strdup_printf ("waybill-%s-XXXXXX", name);
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp (template, &error);

  g_assert_no_error (error);

  return dir;
}

/* Opens (creating it if need be) the store at PATH; the test fails if it
 * cannot. */
WaybillStore *
test_open_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  WaybillStore *store = waybill_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);

  return store;
}

void
test_store_dir_set_up (TestStoreDir *t,
                       const char   *name)
{
  t->dir = test_make_tmp_dir (name);
  t->path = g_build_filename (t->dir, "waybill.db", NULL);
  t->store = test_open_store (t->path);
}

void
test_store_dir_tear_down (TestStoreDir *t)
{
  if (t->store != NULL)
    g_assert_finalize_object (g_steal_pointer (&t->store));
  remove_tree (t->dir);
  g_clear_pointer (&t->path, g_free);
  g_clear_pointer (&t->dir, g_free);
}

/* Removes PATH and everything below it; what is not there is skipped. */
void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

static const char * const keys_to_reset[] = {
  "shop-name", "feedback-address", "message-templates", "message-daily-limit", "smtp-host", "smtp-port",
  "smtp-security", "smtp-username", "smtp-from", "sms-from",
  "message-auto-shipped", "message-auto-out-for-delivery", "message-auto-delivered",
  "message-auto-delayed", "message-auto-exception", "message-auto-ready-for-pickup",
};

/* The settings of customer messages back at their defaults, whatever an
 * earlier test set (the tests share one memory backend per process). */
void
test_reset_message_settings (GSettings *settings)
{
  for (guint i = 0; i < G_N_ELEMENTS (keys_to_reset); i++)
    g_settings_reset (settings, keys_to_reset[i]);
}
