/* waybill-util-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <string.h>

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

/* Secrets do not linger in freed memory. */
static inline void
waybill_wipe_free (char *secret)
{
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
  g_free (secret);
}

/* @text without the white space around it; %NULL when nothing is left. */
static inline char *
waybill_dup_trimmed (const char *text)
{
  char *copy;

  if (text == NULL)
    return NULL;
  copy = g_strstrip (g_strdup (text));
  if (*copy == '\0')
    g_clear_pointer (&copy, g_free);

  return copy;
}

G_END_DECLS
