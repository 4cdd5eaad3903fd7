/* waybill-store-feedback.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-store"

#include "config.h"

#include <glib/gi18n.h>

#include "waybill-feedback.h"
#include "waybill-store-private.h"

/* The feedback table of WaybillStore (schema version 6): a part of the
 * store kept in its own file. */

#define FEEDBACK_COLUMNS \
  "f.id, f.order_id, f.rating, f.comment, f.given_at, f.source, o.order_number, o.customer"

static WaybillFeedback *
feedback_from_row (sqlite3_stmt *stmt)
{
  g_autoptr(GDateTime) given_at = g_date_time_new_from_unix_utc (sqlite3_column_int64 (stmt, 4));
  WaybillFeedback *feedback;

  feedback = waybill_feedback_new (sqlite3_column_int64 (stmt, 1),
                                   sqlite3_column_int (stmt, 2),
                                   (const char *) sqlite3_column_text (stmt, 3),
                                   given_at,
                                   waybill_feedback_source_from_id ((const char *) sqlite3_column_text (stmt, 5)));
  waybill_feedback_set_id (feedback, sqlite3_column_int64 (stmt, 0));
  waybill_feedback_set_order (feedback,
                              (const char *) sqlite3_column_text (stmt, 6),
                              (const char *) sqlite3_column_text (stmt, 7));

  return feedback;
}

static GPtrArray *
collect (WaybillStore  *store,
         sqlite3_stmt  *stmt,
         GError       **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, feedback_from_row (stmt));
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      waybill_store_set_error (store, error, rc);
      return NULL;
    }

  return g_steal_pointer (&list);
}

/**
 * waybill_store_add_feedback:
 * @out_was_new: (out) (optional): %FALSE when the same feedback (order,
 *   date, source, rating and comment) was already there
 *
 * Saves feedback on an existing order.  Saving the same feedback again
 * (importing a survey twice, say) keeps the one row there is, and gives
 * @feedback that row's id.
 *
 * Returns: %FALSE with %WAYBILL_STORE_ERROR_INVALID for a rating outside
 *   1 to 5, %WAYBILL_STORE_ERROR_NOT_FOUND when the order does not exist
 */
gboolean
waybill_store_add_feedback (WaybillStore     *store,
                            WaybillFeedback  *feedback,
                            gboolean         *out_was_new,
                            GError          **error)
{
  sqlite3_stmt *stmt;
  gboolean was_new;
  gint64 id = 0;
  int rc;

  g_return_val_if_fail (WAYBILL_IS_STORE (store), FALSE);
  g_return_val_if_fail (WAYBILL_IS_FEEDBACK (feedback), FALSE);

  if (waybill_feedback_get_rating (feedback) < WAYBILL_FEEDBACK_MIN_RATING ||
      waybill_feedback_get_rating (feedback) > WAYBILL_FEEDBACK_MAX_RATING)
    {
      g_set_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_INVALID,
                   _("A rating is 1 to 5 stars, not %u"), waybill_feedback_get_rating (feedback));
      return FALSE;
    }

  if (!waybill_store_begin (store, error))
    return FALSE;

  stmt = waybill_store_prepare (store, "SELECT 1 FROM orders WHERE id = ?", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, waybill_feedback_get_order_id (feedback));
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_NOT_FOUND,
                   _("The order no longer exists"));
      goto failed;
    }
  if (rc != SQLITE_ROW)
    {
      waybill_store_set_error (store, error, rc);
      goto failed;
    }

  stmt = waybill_store_prepare (store,
                                "INSERT INTO feedback (order_id, rating, comment, given_at, source, recorded_at) "
                                "VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
                                "ON CONFLICT DO NOTHING "
                                "RETURNING id", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, waybill_feedback_get_order_id (feedback));
  sqlite3_bind_int (stmt, 2, waybill_feedback_get_rating (feedback));
  sqlite3_bind_text (stmt, 3, waybill_feedback_get_comment (feedback), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, g_date_time_to_unix (waybill_feedback_get_given_at (feedback)));
  sqlite3_bind_text (stmt, 5, waybill_feedback_source_to_id (waybill_feedback_get_source (feedback)),
                     -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, g_get_real_time () / G_USEC_PER_SEC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      id = sqlite3_column_int64 (stmt, 0);
      rc = sqlite3_step (stmt);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      waybill_store_set_error (store, error, rc);
      goto failed;
    }

  was_new = id != 0;
  if (!was_new)
    {
      stmt = waybill_store_prepare (store,
                                    "SELECT id FROM feedback WHERE order_id = ? AND given_at = ? "
                                    "AND source = ? AND rating = ? AND comment = ?", error);
      if (stmt == NULL)
        goto failed;
      sqlite3_bind_int64 (stmt, 1, waybill_feedback_get_order_id (feedback));
      sqlite3_bind_int64 (stmt, 2, g_date_time_to_unix (waybill_feedback_get_given_at (feedback)));
      sqlite3_bind_text (stmt, 3, waybill_feedback_source_to_id (waybill_feedback_get_source (feedback)),
                         -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 4, waybill_feedback_get_rating (feedback));
      sqlite3_bind_text (stmt, 5, waybill_feedback_get_comment (feedback), -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        id = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW)
        {
          waybill_store_set_error (store, error, rc == SQLITE_DONE ? SQLITE_INTERNAL : rc);
          goto failed;
        }
    }

  if (!waybill_store_commit (store, error))
    return FALSE;

  waybill_feedback_set_id (feedback, id);
  if (out_was_new != NULL)
    *out_was_new = was_new;

  return TRUE;

failed:
  waybill_store_rollback (store);
  return FALSE;
}

gboolean
waybill_store_delete_feedback (WaybillStore  *store,
                               gint64         feedback_id,
                               GError       **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (WAYBILL_IS_STORE (store), FALSE);

  if (!waybill_store_begin (store, error))
    return FALSE;

  stmt = waybill_store_prepare (store, "DELETE FROM feedback WHERE id = ?", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, feedback_id);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      waybill_store_set_error (store, error, sqlite3_errcode (waybill_store_get_db (store)));
      sqlite3_reset (stmt);
      goto failed;
    }
  sqlite3_reset (stmt);
  if (sqlite3_changes (waybill_store_get_db (store)) == 0)
    {
      g_set_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_NOT_FOUND,
                   _("That feedback no longer exists"));
      goto failed;
    }

  return waybill_store_commit (store, error);

failed:
  waybill_store_rollback (store);
  return FALSE;
}

/**
 * waybill_store_list_feedback:
 * @since: (nullable): only feedback given at or after this time
 *
 * Returns: (transfer container) (element-type WaybillFeedback): feedback,
 *   newest first, or %NULL on error
 */
GPtrArray *
waybill_store_list_feedback (WaybillStore  *store,
                             GDateTime     *since,
                             GError       **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (WAYBILL_IS_STORE (store), NULL);

  stmt = waybill_store_prepare (store,
                                "SELECT " FEEDBACK_COLUMNS " FROM feedback f "
                                "JOIN orders o ON o.id = f.order_id "
                                "WHERE f.given_at >= ? "
                                "ORDER BY f.given_at DESC, f.id DESC", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, since != NULL ? g_date_time_to_unix (since) : G_MININT64);

  return collect (store, stmt, error);
}

/**
 * waybill_store_list_order_feedback:
 *
 * Returns: (transfer container) (element-type WaybillFeedback): the
 *   order's feedback, newest first, or %NULL on error
 */
GPtrArray *
waybill_store_list_order_feedback (WaybillStore  *store,
                                   gint64         order_id,
                                   GError       **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (WAYBILL_IS_STORE (store), NULL);

  stmt = waybill_store_prepare (store,
                                "SELECT " FEEDBACK_COLUMNS " FROM feedback f "
                                "JOIN orders o ON o.id = f.order_id "
                                "WHERE f.order_id = ? "
                                "ORDER BY f.given_at DESC, f.id DESC", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, order_id);

  return collect (store, stmt, error);
}
