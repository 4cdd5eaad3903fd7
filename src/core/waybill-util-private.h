/* waybill-util-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* g_set_str() arrived in GLib 2.76; our floor is 2.74.  Empty strings
 * are kept as NULL so that "no value" has a single spelling. */
static inline gboolean
waybill_set_str (char       **str_pointer,
                 const char  *new_str)
{
  char *copy;

  if (new_str != NULL && *new_str == '\0')
    new_str = NULL;

  if (*str_pointer == new_str || g_strcmp0 (*str_pointer, new_str) == 0)
    return FALSE;

  copy = g_strdup (new_str);
  g_free (*str_pointer);
  *str_pointer = copy;

  return TRUE;
}

static inline gboolean
waybill_set_date_time (GDateTime **dt_pointer,
                       GDateTime  *new_dt)
{
  if (*dt_pointer == new_dt)
    return FALSE;
  if (*dt_pointer != NULL && new_dt != NULL && g_date_time_equal (*dt_pointer, new_dt))
    return FALSE;

  if (new_dt != NULL)
    g_date_time_ref (new_dt);
  g_clear_pointer (dt_pointer, g_date_time_unref);
  *dt_pointer = new_dt;

  return TRUE;
}

G_END_DECLS
