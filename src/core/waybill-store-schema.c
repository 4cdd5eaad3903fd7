/* waybill-store-schema.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-store"

#include "config.h"

#include <glib/gi18n.h>

#include "waybill-store-private.h"

/* Ordered migrations.  migrations[i] takes a database from version i to
 * version i + 1; PRAGMA user_version holds the version reached.  A released
 * migration is never edited: a change of schema is a new entry.
 *
 * Times are Unix seconds (UTC).  Event times keep the offset the carrier
 * gave in utc_offset (seconds), or NULL when the carrier gave a local time
 * without one; such a time is stored as if it were UTC. */
static const char * const migrations[] = {
  /* 0 -> 1: the first released schema. */
  "CREATE TABLE orders ("
  "  id INTEGER PRIMARY KEY,"
  "  order_number TEXT NOT NULL UNIQUE CHECK (length(order_number) > 0),"
  "  customer TEXT NOT NULL DEFAULT '',"
  "  email TEXT,"
  "  phone TEXT,"
  "  address TEXT,"
  "  items TEXT,"
  "  total REAL,"
  "  currency TEXT,"
  "  note TEXT,"
  "  stage TEXT NOT NULL DEFAULT 'received'"
  "    CHECK (stage IN ('received', 'processing', 'shipped', 'cancelled')),"
  "  archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),"
  "  created INTEGER NOT NULL,"
  "  updated INTEGER NOT NULL"
  ");"
  "CREATE TABLE shipments ("
  "  id INTEGER PRIMARY KEY,"
  "  order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,"
  "  carrier TEXT,"
  "  tracking_number TEXT NOT NULL CHECK (length(tracking_number) > 0),"
  "  status TEXT NOT NULL DEFAULT 'pending',"
  "  sub_status TEXT,"
  "  exception_reason TEXT,"
  "  estimated_from INTEGER,"
  "  estimated_to INTEGER,"
  "  delivered_at INTEGER,"
  "  signed_by TEXT,"
  "  last_event_at INTEGER,"
  "  last_checked INTEGER,"
  "  next_check INTEGER,"
  "  failure_count INTEGER NOT NULL DEFAULT 0,"
  "  last_error TEXT,"
  "  UNIQUE (order_id, tracking_number)"
  ");"
  "CREATE INDEX shipments_order ON shipments (order_id);"
  "CREATE INDEX shipments_tracking ON shipments (tracking_number);"
  "CREATE TABLE tracking_events ("
  "  id INTEGER PRIMARY KEY,"
  "  shipment_id INTEGER NOT NULL REFERENCES shipments (id) ON DELETE CASCADE,"
  "  time INTEGER NOT NULL,"
  "  utc_offset INTEGER,"
  "  status TEXT NOT NULL,"
  "  code TEXT NOT NULL DEFAULT '',"
  "  description TEXT NOT NULL DEFAULT '',"
  "  location TEXT,"
  "  UNIQUE (shipment_id, time, code, description)"
  ");"
  "CREATE TABLE notifications ("
  "  id INTEGER PRIMARY KEY,"
  "  shipment_id INTEGER NOT NULL REFERENCES shipments (id) ON DELETE CASCADE,"
  "  status TEXT NOT NULL,"
  "  announced_at INTEGER NOT NULL,"
  "  UNIQUE (shipment_id, status)"
  ");",

  /* 1 -> 2: the order list filters and sorts on a summary of each order's
   * shipments, kept on the order row; a delayed flag; the full-text search
   * index.  The summary and the index are filled from the existing data. */
  "ALTER TABLE orders ADD COLUMN status TEXT NOT NULL DEFAULT 'received';"
  "ALTER TABLE orders ADD COLUMN delayed INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE orders ADD COLUMN eta INTEGER;"
  "ALTER TABLE orders ADD COLUMN last_update INTEGER;"
  "ALTER TABLE shipments ADD COLUMN delayed INTEGER NOT NULL DEFAULT 0;"
  "UPDATE orders SET status = stage, last_update = updated;"
  /* The list pages by these indexes alone: each holds what the filters
   * test (status, delayed), so finding a page never reads the table. */
  "CREATE INDEX orders_created ON orders (archived, created DESC, status, delayed);"
  "CREATE INDEX orders_status ON orders (archived, status, created DESC);"
  "CREATE INDEX orders_eta ON orders (archived, eta, created DESC, status, delayed);"
  "CREATE INDEX orders_last_update ON orders (archived, last_update DESC, status, delayed);"
  "CREATE INDEX orders_number_nocase ON orders (order_number COLLATE NOCASE);"
  "CREATE INDEX shipments_next_check ON shipments (next_check);"
  "CREATE VIRTUAL TABLE search USING fts5 ("
  "  order_number, customer, email, tracking,"
  "  tokenize = 'unicode61 remove_diacritics 2',"
  "  prefix = '1 2 3'"
  ");"
  "INSERT INTO search (rowid, order_number, customer, email, tracking)"
  "  SELECT o.id, o.order_number, o.customer, coalesce (o.email, ''),"
  "         coalesce ((SELECT group_concat (s.tracking_number, ' ')"
  "                    FROM shipments s WHERE s.order_id = o.id), '')"
  "  FROM orders o;",

  /* 2 -> 3: what the last import wrote into each imported order (a JSON
   * object of field -> value), so that a later import can tell the
   * fields the user changed since from the ones the shop changed. */
  "CREATE TABLE import_origins ("
  "  order_id INTEGER PRIMARY KEY REFERENCES orders (id) ON DELETE CASCADE,"
  "  format TEXT NOT NULL,"
  "  imported_at INTEGER NOT NULL,"
  "  fields TEXT NOT NULL"
  ");",

  /* 3 -> 4: the list's sort orders end on the order id, and estimated
   * delivery puts orders without one last: with both in the indexes, a
   * page of the list is read from an index without sorting. */
  "DROP INDEX orders_created;"
  "DROP INDEX orders_eta;"
  "DROP INDEX orders_last_update;"
  "CREATE INDEX orders_created ON orders (archived, created DESC, id DESC, status, delayed);"
  "CREATE INDEX orders_eta ON orders (archived, eta IS NULL, eta, created DESC, id DESC, status, delayed);"
  "CREATE INDEX orders_last_update ON orders (archived, last_update DESC, id DESC, status, delayed);",

  /* 4 -> 5: a status that comes back (out for delivery, a failed attempt,
   * out for delivery again) is a new change and is announced again.  Each
   * shipment counts its status changes in status_seq (a trigger, so that
   * every path that writes a status counts), and an announcement is
   * recorded for the change it announced: (shipment, status, status_seq).
   * Announcements made before keep status_seq 0, the count every existing
   * shipment starts with, so none of them is repeated. */
  "ALTER TABLE shipments ADD COLUMN status_seq INTEGER NOT NULL DEFAULT 0;"
  "CREATE TRIGGER shipments_status_seq AFTER UPDATE OF status ON shipments"
  "  WHEN OLD.status IS NOT NEW.status "
  "BEGIN"
  "  UPDATE shipments SET status_seq = status_seq + 1 WHERE id = NEW.id;"
  "END;"
  "CREATE TABLE notifications_by_change ("
  "  id INTEGER PRIMARY KEY,"
  "  shipment_id INTEGER NOT NULL REFERENCES shipments (id) ON DELETE CASCADE,"
  "  status TEXT NOT NULL,"
  "  status_seq INTEGER NOT NULL DEFAULT 0,"
  "  announced_at INTEGER NOT NULL,"
  "  UNIQUE (shipment_id, status, status_seq)"
  ");"
  "INSERT INTO notifications_by_change (id, shipment_id, status, status_seq, announced_at)"
  "  SELECT id, shipment_id, status, 0, announced_at FROM notifications;"
  "DROP TABLE notifications;"
  "ALTER TABLE notifications_by_change RENAME TO notifications;",
  /* 5 -> 6: customers' feedback on their orders: a rating of 1 to 5, a
   * comment, when it was given and where it came from (typed in by staff,
   * or a survey answer imported from CSV).  The same answer imported
   * twice is one row; insights read feedback by date. */
  "CREATE TABLE feedback ("
  "  id INTEGER PRIMARY KEY,"
  "  order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,"
  "  rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),"
  "  comment TEXT NOT NULL DEFAULT '',"
  "  given_at INTEGER NOT NULL,"
  "  source TEXT NOT NULL CHECK (source IN ('staff', 'survey')),"
  "  recorded_at INTEGER NOT NULL,"
  "  UNIQUE (order_id, given_at, source, rating, comment)"
  ");"
  "CREATE INDEX feedback_given ON feedback (given_at);",
  /* 6 -> 7: customer messages (issue #9).  How each customer wants to hear
   * from the shop, kept with the order and remembered per email address
   * for later orders; and every message queued, sent or failed.  An
   * automatic message is unique per order, shipment, event and channel:
   * the row is written before the message goes out, so a customer is
   * never told the same thing twice (see waybill-outbox.c). */
  "ALTER TABLE orders ADD COLUMN contact TEXT"
  "  CHECK (contact IS NULL OR contact IN ('email', 'sms', 'none'));"
  "CREATE TABLE customer_contacts ("
  "  email TEXT PRIMARY KEY COLLATE NOCASE,"
  "  contact TEXT NOT NULL CHECK (contact IN ('email', 'sms', 'none')),"
  "  updated INTEGER NOT NULL"
  ");"
  "CREATE TABLE messages ("
  "  id INTEGER PRIMARY KEY,"
  "  order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,"
  "  shipment_id INTEGER REFERENCES shipments (id) ON DELETE SET NULL,"
  "  event TEXT NOT NULL,"
  "  channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),"
  "  recipient TEXT NOT NULL CHECK (length(recipient) > 0),"
  "  subject TEXT NOT NULL DEFAULT '',"
  "  body TEXT NOT NULL,"
  "  automatic INTEGER NOT NULL DEFAULT 0 CHECK (automatic IN (0, 1)),"
  "  state TEXT NOT NULL DEFAULT 'queued'"
  "    CHECK (state IN ('queued', 'sending', 'sent', 'failed')),"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  next_attempt INTEGER NOT NULL DEFAULT 0,"
  "  claimed_at INTEGER,"
  "  last_error TEXT,"
  "  provider_id TEXT,"
  "  created INTEGER NOT NULL,"
  "  sent_at INTEGER"
  ");"
  "CREATE UNIQUE INDEX messages_once ON messages (order_id, shipment_id, event, channel)"
  "  WHERE automatic = 1;"
  "CREATE INDEX messages_order ON messages (order_id, created);"
  "CREATE INDEX messages_due ON messages (state, next_attempt);"
  "CREATE INDEX messages_sent ON messages (sent_at);",
  /* 7 -> 8: the search index keeps every prefix of up to 8 characters.
   * Typing a tracking number from its start ("9400", "940011"), which
   * thousands of one carrier's parcels share, or a word most orders
   * have (an email domain), made FTS5 merge every word that begins so:
   * 5 ms a keystroke with 100,000 orders, 1.5–2 ms now, for 6 % more
   * disk. */
  "DROP TABLE search;"
  "CREATE VIRTUAL TABLE search USING fts5 ("
  "  order_number, customer, email, tracking,"
  "  tokenize = 'unicode61 remove_diacritics 2',"
  "  prefix = '1 2 3 4 5 6 7 8'"
  ");"
  "INSERT INTO search (rowid, order_number, customer, email, tracking)"
  "  SELECT o.id, o.order_number, o.customer, coalesce (o.email, ''),"
  "         coalesce ((SELECT group_concat (s.tracking_number, ' ')"
  "                    FROM shipments s WHERE s.order_id = o.id), '')"
  "  FROM orders o;",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == WAYBILL_STORE_SCHEMA_VERSION);

/* Runs the migrations from @from_version up to the current version, each
 * in its own transaction together with its new user_version, so that a
 * crash leaves the database at one version or the next, never between. */
gboolean
waybill_store_schema_migrate (sqlite3  *db,
                              int       from_version,
                              GError  **error)
{
  g_assert (from_version >= 0 && from_version <= WAYBILL_STORE_SCHEMA_VERSION);

  for (int v = from_version; v < WAYBILL_STORE_SCHEMA_VERSION; v++)
    {
      g_autofree char *sql = NULL;
      int rc;

      sql = g_strdup_printf ("BEGIN IMMEDIATE;"
                             "%s"
                             "PRAGMA user_version = %d;"
                             "PRAGMA application_id = %d;"
                             "COMMIT;",
                             migrations[v], v + 1, WAYBILL_STORE_APPLICATION_ID);
      rc = sqlite3_exec (db, sql, NULL, NULL, NULL);
      if (rc != SQLITE_OK)
        {
          waybill_store_set_error_from_db (error, db, rc, sqlite3_db_filename (db, "main"));
          sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
          g_prefix_error (error, _("Could not upgrade the database to version %d: "), v + 1);
          return FALSE;
        }

      g_debug ("Upgraded database to schema version %d", v + 1);
    }

  return TRUE;
}
