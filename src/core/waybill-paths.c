/* waybill-paths.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-paths"

#include "config.h"

#include "waybill-paths.h"

/**
 * waybill_paths_get_data_dir:
 * @override: (nullable): a folder given on the command line (--data-dir)
 *
 * The folder that holds the database: @override, else $WAYBILL_DATA_DIR,
 * else $XDG_DATA_HOME/waybill.  Relative folders are made absolute so that
 * messages name the real place.
 *
 * Returns: (transfer full): the folder
 */
char *
waybill_paths_get_data_dir (const char *override)
{
  const char *env = g_getenv ("WAYBILL_DATA_DIR");
  const char *dir = NULL;

  if (override != NULL && *override != '\0')
    dir = override;
  else if (env != NULL && *env != '\0')
    dir = env;

  if (dir == NULL)
    return g_build_filename (g_get_user_data_dir (), "waybill", NULL);

  if (g_path_is_absolute (dir))
    return g_strdup (dir);

  return g_canonicalize_filename (dir, NULL);
}

char *
waybill_paths_get_database_path (const char *override)
{
  g_autofree char *dir = waybill_paths_get_data_dir (override);

  return g_build_filename (dir, "waybill.db", NULL);
}
