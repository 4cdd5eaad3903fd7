/* waybill-store-messages.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-store"

#include "config.h"

#include <glib/gi18n.h>

#include "waybill-store-private.h"

/* The store's part for customer messages: contact preferences and the
 * messages table.  Messages are few (a handful per order), so statements
 * are prepared per call rather than cached. */

typedef struct
{
  WaybillStore *store;
  sqlite3_stmt *stmt;
} Query;

static void
query_clear (Query *q)
{
  g_clear_pointer (&q->stmt, sqlite3_finalize);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Query, query_clear)

static gboolean
query_prepare (Query         *q,
               WaybillStore  *store,
               const char    *sql,
               GError       **error)
{
  sqlite3 *db = waybill_store_get_db (store);
  int rc;

  q->store = store;
  rc = sqlite3_prepare_v2 (db, sql, -1, &q->stmt, NULL);
  if (rc != SQLITE_OK)
    {
      waybill_store_set_error_from_db (error, db, rc, waybill_store_get_path (store));
      return FALSE;
    }

  return TRUE;
}

static void
query_fail (Query   *q,
            int      rc,
            GError **error)
{
  sqlite3 *db = waybill_store_get_db (q->store);

  waybill_store_set_error_from_db (error, db, rc, waybill_store_get_path (q->store));
}

/* Runs a statement that returns no rows. */
static gboolean
query_run (Query   *q,
           GError **error)
{
  int rc = sqlite3_step (q->stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      query_fail (q, rc, error);
      return FALSE;
    }

  return TRUE;
}

static int
changes (WaybillStore *store)
{
  return sqlite3_changes (waybill_store_get_db (store));
}

static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           index,
                   const char   *text)
{
  if (text != NULL && *text != '\0')
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static gint64
now_unix (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* ---- Contact preference --------------------------------------------- */

/**
 * waybill_store_set_contact:
 * @contact: how the customer of @order_id wants to hear from the shop;
 *   %WAYBILL_CONTACT_UNSET forgets the order's choice
 *
 * Keeps the choice with the order and, when the order has an email
 * address, remembers it for that address, so that the customer's later
 * orders start with the same choice.
 */
gboolean
waybill_store_set_contact (WaybillStore    *self,
                           gint64           order_id,
                           WaybillContact   contact,
                           GError         **error)
{
  g_auto(Query) update = { 0 };
  g_auto(Query) remember = { 0 };

  g_return_val_if_fail (WAYBILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (contact <= WAYBILL_CONTACT_NONE, FALSE);

  if (!waybill_store_begin (self, error))
    return FALSE;

  if (!query_prepare (&update, self, "UPDATE orders SET contact = ? WHERE id = ?", error))
    goto failed;
  bind_text_or_null (update.stmt, 1, waybill_contact_to_id (contact));
  sqlite3_bind_int64 (update.stmt, 2, order_id);
  if (!query_run (&update, error))
    goto failed;
  if (changes (self) == 0)
    {
      g_set_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_NOT_FOUND,
                   _("The order no longer exists"));
      goto failed;
    }

  if (contact != WAYBILL_CONTACT_UNSET)
    {
      if (!query_prepare (&remember, self,
                          "INSERT INTO customer_contacts (email, contact, updated) "
                          "SELECT trim (email), ?2, ?3 FROM orders "
                          "WHERE id = ?1 AND length (trim (coalesce (email, ''))) > 0 "
                          "ON CONFLICT (email) DO UPDATE SET contact = excluded.contact, "
                          "  updated = excluded.updated", error))
        goto failed;
      sqlite3_bind_int64 (remember.stmt, 1, order_id);
      sqlite3_bind_text (remember.stmt, 2, waybill_contact_to_id (contact), -1, SQLITE_STATIC);
      sqlite3_bind_int64 (remember.stmt, 3, now_unix ());
      if (!query_run (&remember, error))
        goto failed;
    }

  return waybill_store_commit (self, error);

failed:
  waybill_store_rollback (self);
  return FALSE;
}

/**
 * waybill_store_get_contact:
 * @out_contact: (out): the order's choice, else the one remembered for its
 *   email address, else %WAYBILL_CONTACT_UNSET
 * @out_remembered: (out) (optional): %TRUE when the choice comes from an
 *   earlier order of the same email address
 */
gboolean
waybill_store_get_contact (WaybillStore    *self,
                           gint64           order_id,
                           WaybillContact  *out_contact,
                           gboolean        *out_remembered,
                           GError         **error)
{
  g_auto(Query) q = { 0 };
  int rc;

  g_return_val_if_fail (WAYBILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (out_contact != NULL, FALSE);

  if (!query_prepare (&q, self,
                      "SELECT o.contact, c.contact FROM orders o "
                      "LEFT JOIN customer_contacts c ON c.email = trim (o.email) "
                      "WHERE o.id = ?", error))
    return FALSE;
  sqlite3_bind_int64 (q.stmt, 1, order_id);
  rc = sqlite3_step (q.stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_NOT_FOUND,
                   _("The order no longer exists"));
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      query_fail (&q, rc, error);
      return FALSE;
    }

  *out_contact = waybill_contact_from_id ((const char *) sqlite3_column_text (q.stmt, 0));
  if (out_remembered != NULL)
    *out_remembered = FALSE;
  if (*out_contact == WAYBILL_CONTACT_UNSET)
    {
      *out_contact = waybill_contact_from_id ((const char *) sqlite3_column_text (q.stmt, 1));
      if (out_remembered != NULL)
        *out_remembered = *out_contact != WAYBILL_CONTACT_UNSET;
    }

  return TRUE;
}

/**
 * waybill_store_lookup_contact_for_email:
 *
 * Returns: the choice remembered for @email, or %WAYBILL_CONTACT_UNSET
 *   (also on error)
 */
WaybillContact
waybill_store_lookup_contact_for_email (WaybillStore  *self,
                                        const char    *email,
                                        GError       **error)
{
  g_auto(Query) q = { 0 };
  g_autofree char *trimmed = NULL;
  int rc;

  g_return_val_if_fail (WAYBILL_IS_STORE (self), WAYBILL_CONTACT_UNSET);

  if (email == NULL)
    return WAYBILL_CONTACT_UNSET;
  trimmed = g_strstrip (g_strdup (email));
  if (*trimmed == '\0')
    return WAYBILL_CONTACT_UNSET;

  if (!query_prepare (&q, self, "SELECT contact FROM customer_contacts WHERE email = ?", error))
    return WAYBILL_CONTACT_UNSET;
  sqlite3_bind_text (q.stmt, 1, trimmed, -1, SQLITE_STATIC);
  rc = sqlite3_step (q.stmt);
  if (rc == SQLITE_ROW)
    return waybill_contact_from_id ((const char *) sqlite3_column_text (q.stmt, 0));
  if (rc != SQLITE_DONE)
    query_fail (&q, rc, error);

  return WAYBILL_CONTACT_UNSET;
}

/* ---- Messages ---------------------------------------------------------- */

#define MESSAGE_COLUMNS \
  "id, order_id, shipment_id, event, channel, recipient, subject, body, automatic, " \
  "state, attempts, next_attempt, last_error, provider_id, created, sent_at"

static WaybillMessage *
message_from_row (sqlite3_stmt *stmt)
{
  WaybillMessage *message = waybill_message_new ();
  WaybillMessageEvent event;

  message->id = sqlite3_column_int64 (stmt, 0);
  message->order_id = sqlite3_column_int64 (stmt, 1);
  message->shipment_id = sqlite3_column_int64 (stmt, 2);
  event = waybill_message_event_from_id ((const char *) sqlite3_column_text (stmt, 3));
  message->event = event != WAYBILL_MESSAGE_EVENT_INVALID ? event : WAYBILL_MESSAGE_EVENT_SHIPPED;
  if (!waybill_message_channel_from_id ((const char *) sqlite3_column_text (stmt, 4), &message->channel))
    message->channel = WAYBILL_MESSAGE_CHANNEL_EMAIL;
  message->recipient = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  message->subject = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
  message->body = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
  message->automatic = sqlite3_column_int (stmt, 8);
  if (!waybill_message_state_from_id ((const char *) sqlite3_column_text (stmt, 9), &message->state))
    message->state = WAYBILL_MESSAGE_STATE_FAILED;
  message->attempts = sqlite3_column_int (stmt, 10);
  message->next_attempt = sqlite3_column_int64 (stmt, 11);
  message->last_error = g_strdup ((const char *) sqlite3_column_text (stmt, 12));
  message->provider_id = g_strdup ((const char *) sqlite3_column_text (stmt, 13));
  message->created = sqlite3_column_int64 (stmt, 14);
  message->sent_at = sqlite3_column_int64 (stmt, 15);

  return message;
}

static GPtrArray *
collect_messages (Query   *q,
                  GError **error)
{
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func ((GDestroyNotify) waybill_message_free);
  int rc;

  while ((rc = sqlite3_step (q->stmt)) == SQLITE_ROW)
    g_ptr_array_add (messages, message_from_row (q->stmt));

  if (rc != SQLITE_DONE)
    {
      query_fail (q, rc, error);
      return NULL;
    }

  return g_steal_pointer (&messages);
}

/* Begins a transaction and prepares @sql, an UPDATE of messages, in it;
 * finish with update_commit(). */
static gboolean
update_begin (Query         *q,
              WaybillStore  *store,
              const char    *sql,
              GError       **error)
{
  if (!waybill_store_begin (store, error))
    return FALSE;
  if (!query_prepare (q, store, sql, error))
    {
      waybill_store_rollback (store);
      return FALSE;
    }

  return TRUE;
}

/* Runs the UPDATE update_begin() prepared and commits it, or rolls it back
 * on error.  With @must_change, an UPDATE that changes no row is the
 * error "no longer in the outbox". */
static gboolean
update_commit (Query     *q,
               gboolean   must_change,
               guint     *out_changes,
               GError   **error)
{
  guint n;

  if (!query_run (q, error))
    goto failed;
  n = changes (q->store);
  if (must_change && n == 0)
    {
      g_set_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_NOT_FOUND,
                   _("The message is no longer in the outbox"));
      goto failed;
    }
  if (!waybill_store_commit (q->store, error))
    return FALSE;
  if (out_changes != NULL)
    *out_changes = n;

  return TRUE;

failed:
  waybill_store_rollback (q->store);
  return FALSE;
}

/**
 * waybill_store_queue_message:
 * @message: the message; its id is set when it is stored
 * @now: the time (Unix seconds) to note as its creation
 * @out_was_new: (out) (optional): %FALSE when @message is automatic and the
 *   same message (order, shipment, event, channel) was queued before: then
 *   nothing is stored, and the customer is not told twice
 *
 * Puts a message in the outbox, due at @message's next_attempt (0: now).
 */
gboolean
waybill_store_queue_message (WaybillStore    *self,
                             WaybillMessage  *message,
                             gint64           now,
                             gboolean        *out_was_new,
                             GError         **error)
{
  g_auto(Query) q = { 0 };
  gboolean was_new;

  g_return_val_if_fail (WAYBILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (message != NULL, FALSE);
  g_return_val_if_fail (message->event >= 0 && message->event < WAYBILL_N_MESSAGE_EVENTS, FALSE);

  if (message->recipient == NULL || *message->recipient == '\0')
    {
      g_set_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_INVALID,
                   _("The message has no recipient"));
      return FALSE;
    }

  if (!waybill_store_begin (self, error))
    return FALSE;

  if (!query_prepare (&q, self,
                      "INSERT OR IGNORE INTO messages (order_id, shipment_id, event, channel, "
                      "  recipient, subject, body, automatic, state, next_attempt, created) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)", error))
    goto failed;
  sqlite3_bind_int64 (q.stmt, 1, message->order_id);
  if (message->shipment_id > 0)
    sqlite3_bind_int64 (q.stmt, 2, message->shipment_id);
  else
    sqlite3_bind_null (q.stmt, 2);
  sqlite3_bind_text (q.stmt, 3, waybill_message_event_to_id (message->event), -1, SQLITE_STATIC);
  sqlite3_bind_text (q.stmt, 4, waybill_message_channel_to_id (message->channel), -1, SQLITE_STATIC);
  sqlite3_bind_text (q.stmt, 5, message->recipient, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (q.stmt, 6, message->subject != NULL ? message->subject : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (q.stmt, 7, message->body != NULL ? message->body : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (q.stmt, 8, !!message->automatic);
  sqlite3_bind_int64 (q.stmt, 9, message->next_attempt);
  sqlite3_bind_int64 (q.stmt, 10, now);
  if (!query_run (&q, error))
    {
      if (sqlite3_extended_errcode (waybill_store_get_db (self)) == SQLITE_CONSTRAINT_FOREIGNKEY)
        {
          g_clear_error (error);
          g_set_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_NOT_FOUND,
                       _("The order no longer exists"));
        }
      goto failed;
    }

  was_new = changes (self) > 0;
  if (was_new)
    {
      message->id = sqlite3_last_insert_rowid (waybill_store_get_db (self));
      message->state = WAYBILL_MESSAGE_STATE_QUEUED;
      message->created = now;
    }
  if (out_was_new != NULL)
    *out_was_new = was_new;

  return waybill_store_commit (self, error);

failed:
  waybill_store_rollback (self);
  return FALSE;
}

/**
 * waybill_store_list_messages:
 *
 * Returns: (transfer container) (element-type WaybillMessage): the
 *   messages of the order, oldest first
 */
GPtrArray *
waybill_store_list_messages (WaybillStore  *self,
                             gint64         order_id,
                             GError       **error)
{
  g_auto(Query) q = { 0 };

  g_return_val_if_fail (WAYBILL_IS_STORE (self), NULL);

  if (!query_prepare (&q, self, "SELECT " MESSAGE_COLUMNS " FROM messages "
                                "WHERE order_id = ? ORDER BY created, id", error))
    return NULL;
  sqlite3_bind_int64 (q.stmt, 1, order_id);

  return collect_messages (&q, error);
}

/**
 * waybill_store_list_due_messages:
 *
 * Returns: (transfer container) (element-type WaybillMessage): the queued
 *   messages whose next attempt has come, longest waiting first
 */
GPtrArray *
waybill_store_list_due_messages (WaybillStore  *self,
                                 gint64         now,
                                 guint          limit,
                                 GError       **error)
{
  g_auto(Query) q = { 0 };

  g_return_val_if_fail (WAYBILL_IS_STORE (self), NULL);

  if (!query_prepare (&q, self, "SELECT " MESSAGE_COLUMNS " FROM messages "
                                "WHERE state = 'queued' AND next_attempt <= ? "
                                "ORDER BY next_attempt, id LIMIT ?", error))
    return NULL;
  sqlite3_bind_int64 (q.stmt, 1, now);
  sqlite3_bind_int64 (q.stmt, 2, limit);

  return collect_messages (&q, error);
}

/**
 * waybill_store_get_next_message_time:
 * @out_time: (out): when the next queued message is due, or 0 when none
 *   is queued
 */
gboolean
waybill_store_get_next_message_time (WaybillStore  *self,
                                     gint64        *out_time,
                                     GError       **error)
{
  g_auto(Query) q = { 0 };
  int rc;

  g_return_val_if_fail (WAYBILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (out_time != NULL, FALSE);

  if (!query_prepare (&q, self, "SELECT min (next_attempt) FROM messages WHERE state = 'queued'", error))
    return FALSE;
  rc = sqlite3_step (q.stmt);
  if (rc != SQLITE_ROW)
    {
      query_fail (&q, rc, error);
      return FALSE;
    }

  *out_time = sqlite3_column_type (q.stmt, 0) == SQLITE_NULL ? 0 : sqlite3_column_int64 (q.stmt, 0);

  return TRUE;
}

/**
 * waybill_store_claim_message:
 * @out_claimed: (out): %FALSE when the message was not queued any more
 *   (another window or `waybill refresh` took it, or it was sent)
 *
 * Marks the message as being sent, and commits that, before it goes out.
 * Only one process can claim a message.  See waybill-outbox.c for what
 * happens to a message whose sender crashed while it was claimed.
 */
gboolean
waybill_store_claim_message (WaybillStore  *self,
                             gint64         message_id,
                             gint64         now,
                             gboolean      *out_claimed,
                             GError       **error)
{
  g_auto(Query) q = { 0 };
  guint n;

  g_return_val_if_fail (WAYBILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (out_claimed != NULL, FALSE);

  if (!update_begin (&q, self,
                     "UPDATE messages SET state = 'sending', attempts = attempts + 1, "
                     "  claimed_at = ? WHERE id = ? AND state = 'queued'", error))
    return FALSE;
  sqlite3_bind_int64 (q.stmt, 1, now);
  sqlite3_bind_int64 (q.stmt, 2, message_id);
  if (!update_commit (&q, FALSE, &n, error))
    return FALSE;
  *out_claimed = n > 0;

  return TRUE;
}

gboolean
waybill_store_message_sent (WaybillStore  *self,
                            gint64         message_id,
                            const char    *provider_id,
                            gint64         now,
                            GError       **error)
{
  g_auto(Query) q = { 0 };

  g_return_val_if_fail (WAYBILL_IS_STORE (self), FALSE);

  /* Also from failed: a message that recovery gave up on while it was in
   * fact on its way is sent after all. */
  if (!update_begin (&q, self,
                     "UPDATE messages SET state = 'sent', sent_at = ?, provider_id = ?, "
                     "  last_error = NULL WHERE id = ? AND state IN ('sending', 'failed')", error))
    return FALSE;
  sqlite3_bind_int64 (q.stmt, 1, now);
  bind_text_or_null (q.stmt, 2, provider_id);
  sqlite3_bind_int64 (q.stmt, 3, message_id);

  return update_commit (&q, TRUE, NULL, error);
}

/**
 * waybill_store_message_failed:
 * @error_text: why, for people
 * @next_attempt: when to try again (Unix seconds), or 0 to give up: the
 *   message then stays failed
 * @refund_attempt: the attempt does not count towards giving up (it
 *   failed on the shop's side: credentials, settings)
 */
gboolean
waybill_store_message_failed (WaybillStore  *self,
                              gint64         message_id,
                              const char    *error_text,
                              gint64         next_attempt,
                              gboolean       refund_attempt,
                              GError       **error)
{
  g_auto(Query) q = { 0 };

  g_return_val_if_fail (WAYBILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (next_attempt >= 0, FALSE);

  if (!update_begin (&q, self,
                     "UPDATE messages SET state = ?, next_attempt = ?, last_error = ?, "
                     "  attempts = max (0, attempts - ?) "
                     "WHERE id = ? AND state IN ('sending', 'queued')", error))
    return FALSE;
  sqlite3_bind_text (q.stmt, 1, next_attempt > 0 ? "queued" : "failed", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (q.stmt, 2, next_attempt);
  bind_text_or_null (q.stmt, 3, error_text);
  sqlite3_bind_int (q.stmt, 4, refund_attempt ? 1 : 0);
  sqlite3_bind_int64 (q.stmt, 5, message_id);

  return update_commit (&q, TRUE, NULL, error);
}

/**
 * waybill_store_count_sent_messages:
 * @since: Unix seconds
 *
 * Counts the messages sent since @since, and those being sent right now,
 * for the daily limit.
 *
 * Returns: the count, or -1 with @error set
 */
gint64
waybill_store_count_sent_messages (WaybillStore  *self,
                                   gint64         since,
                                   GError       **error)
{
  g_auto(Query) q = { 0 };
  int rc;

  g_return_val_if_fail (WAYBILL_IS_STORE (self), -1);

  if (!query_prepare (&q, self,
                      "SELECT count(*) FROM messages WHERE sent_at >= ?1 "
                      "  OR (state = 'sending' AND claimed_at >= ?1)", error))
    return -1;
  sqlite3_bind_int64 (q.stmt, 1, since);
  rc = sqlite3_step (q.stmt);
  if (rc != SQLITE_ROW)
    {
      query_fail (&q, rc, error);
      return -1;
    }

  return sqlite3_column_int64 (q.stmt, 0);
}

/**
 * waybill_store_recover_messages:
 * @stale_before: messages claimed before this time (Unix seconds) count
 *   as interrupted
 * @error_text: what to tell the user about them
 *
 * A message still marked as being sent long after it was claimed belongs
 * to a Waybill that stopped (crashed, was killed) while sending it: it may
 * or may not have reached the customer.  It is marked failed, never sent
 * again by itself; the user sees it on the order and may send it by hand.
 *
 * Returns: how many messages were marked, or G_MAXUINT with @error set
 */
guint
waybill_store_recover_messages (WaybillStore  *self,
                                gint64         stale_before,
                                const char    *error_text,
                                GError       **error)
{
  g_auto(Query) q = { 0 };
  guint n;

  g_return_val_if_fail (WAYBILL_IS_STORE (self), G_MAXUINT);

  if (!update_begin (&q, self,
                     "UPDATE messages SET state = 'failed', last_error = ? "
                     "WHERE state = 'sending' AND claimed_at < ?", error))
    return G_MAXUINT;
  bind_text_or_null (q.stmt, 1, error_text);
  sqlite3_bind_int64 (q.stmt, 2, stale_before);
  if (!update_commit (&q, FALSE, &n, error))
    return G_MAXUINT;

  return n;
}
