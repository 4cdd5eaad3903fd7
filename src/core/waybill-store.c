/* waybill-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "waybill-store-private.h"

/* WaybillStore is the only code that speaks SQL.  One store is one SQLite
 * connection and belongs to the thread that opened it; a thread that needs
 * the database opens its own store.  Several processes may have the same
 * file open: WAL mode lets readers go on while one writer writes, the busy
 * timeout makes writers queue, and waybill_store_watch() notices the
 * commits of other connections through PRAGMA data_version. */
struct _WaybillStore
{
  GObject     parent_instance;

  sqlite3    *db;
  char       *path;
  /* SQL text -> sqlite3_stmt, prepared once per connection */
  GHashTable *statements;
  guint       txn_depth;
  gboolean    changed_in_txn;
  gint64      data_version;
  guint       watch_id;
  gint64      delay_threshold;
  /* UTC offset in seconds -> GTimeZone, for reading event times */
  GHashTable *zones;
};

G_DEFINE_FINAL_TYPE (WaybillStore, waybill_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (waybill-store-error-quark, waybill_store_error)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define BUSY_TIMEOUT_MS 5000
#define DEFAULT_DELAY_THRESHOLD (4 * G_TIME_SPAN_DAY / G_USEC_PER_SEC)

#define ORDER_COLUMNS \
  "o.id, o.order_number, o.customer, o.email, o.phone, o.address, o.items, " \
  "o.total, o.currency, o.note, o.stage, o.archived, o.created, o.updated, " \
  "o.status, o.delayed"

#define SHIPMENT_COLUMNS \
  "s.id, s.order_id, s.carrier, s.tracking_number, s.status, s.sub_status, " \
  "s.exception_reason, s.estimated_from, s.estimated_to, s.delivered_at, " \
  "s.signed_by, s.last_event_at, s.last_checked, s.next_check, " \
  "s.failure_count, s.last_error, s.delayed"

static void
waybill_store_dispose (GObject *object)
{
  WaybillStore *self = (WaybillStore *)object;

  g_clear_handle_id (&self->watch_id, g_source_remove);

  G_OBJECT_CLASS (waybill_store_parent_class)->dispose (object);
}

static void
waybill_store_finalize (GObject *object)
{
  WaybillStore *self = (WaybillStore *)object;

  /* Statements must be finalized before the connection closes. */
  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->zones, g_hash_table_unref);

  G_OBJECT_CLASS (waybill_store_parent_class)->finalize (object);
}

static void
waybill_store_class_init (WaybillStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = waybill_store_dispose;
  object_class->finalize = waybill_store_finalize;

  /**
   * WaybillStore::changed:
   *
   * Emitted after this store committed a change, and, once watching, when
   * another connection (another process) committed one.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
statement_free (gpointer data)
{
  sqlite3_finalize (data);
}

static void
waybill_store_init (WaybillStore *self)
{
  self->zones = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_time_zone_unref);
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, statement_free);
  self->delay_threshold = DEFAULT_DELAY_THRESHOLD;
}

void
waybill_store_set_error_from_db (GError     **error,
                                 sqlite3     *db,
                                 int          rc,
                                 const char  *path)
{
  const char *detail = db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc);

  if (path == NULL || *path == '\0')
    path = _("the database");

  switch (rc & 0xff)
    {
    case SQLITE_NOTADB:
      g_set_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_NOT_A_DATABASE,
                   _("“%s” is not a Waybill database; it was left as it is"), path);
      break;
    case SQLITE_CORRUPT:
      g_set_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_CORRUPT,
                   _("The database “%s” is damaged (%s); restore it from a backup"),
                   path, detail);
      break;
    case SQLITE_READONLY:
      g_set_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_READ_ONLY,
                   _("The database “%s” is read-only; nothing was changed"), path);
      break;
    case SQLITE_FULL:
      g_set_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_DISK_FULL,
                   _("The disk is full, so nothing was saved; free some space and try again"));
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_BUSY,
                   _("The database is busy with another Waybill window or command; try again"));
      break;
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
      g_set_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_FAILED,
                   _("Could not open the database “%s”: %s"), path,
                   g_strerror (db != NULL ? sqlite3_system_errno (db) : EACCES));
      break;
    case SQLITE_IOERR:
      g_set_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_FAILED,
                   _("Could not read or write the database “%s”: %s"), path,
                   g_strerror (db != NULL ? sqlite3_system_errno (db) : EIO));
      break;
    case SQLITE_CONSTRAINT:
      g_set_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_INVALID,
                   _("The change was refused by the database: %s"), detail);
      break;
    default:
      g_set_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_FAILED,
                   _("Database error in “%s”: %s"), path, detail);
      break;
    }
}

static void
set_error (WaybillStore  *self,
           GError       **error,
           int            rc)
{
  waybill_store_set_error_from_db (error, self->db, rc, self->path);
}

/* Returns a reset statement for @sql, prepared on first use. */
static sqlite3_stmt *
prepare (WaybillStore  *self,
         const char    *sql,
         GError       **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_error (self, error, rc);
      return NULL;
    }

  g_hash_table_insert (self->statements, g_strdup (sql), stmt);

  return stmt;
}

sqlite3_stmt *
waybill_store_prepare (WaybillStore  *self,
                       const char    *sql,
                       GError       **error)
{
  g_return_val_if_fail (WAYBILL_IS_STORE (self), NULL);

  return prepare (self, sql, error);
}

void
waybill_store_set_error (WaybillStore  *self,
                         GError       **error,
                         int            rc)
{
  g_return_if_fail (WAYBILL_IS_STORE (self));

  set_error (self, error, rc);
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text != NULL && *text != '\0')
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static void
bind_time (sqlite3_stmt *stmt,
           int           index,
           GDateTime    *time)
{
  if (time != NULL)
    sqlite3_bind_int64 (stmt, index, g_date_time_to_unix (time));
  else
    sqlite3_bind_null (stmt, index);
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           index)
{
  return (const char *) sqlite3_column_text (stmt, index);
}

static GDateTime *
column_time (sqlite3_stmt *stmt,
             int           index)
{
  if (sqlite3_column_type (stmt, index) == SQLITE_NULL)
    return NULL;

  return g_date_time_new_from_unix_utc (sqlite3_column_int64 (stmt, index));
}

static WaybillStatus
column_status (sqlite3_stmt  *stmt,
               int            index,
               WaybillStatus  fallback)
{
  WaybillStatus status = waybill_status_from_id (column_text (stmt, index));

  return status == WAYBILL_STATUS_INVALID ? fallback : status;
}

/* Steps a statement that returns no rows. */
static gboolean
step_done (WaybillStore  *self,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_DONE || rc == SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return TRUE;
    }

  set_error (self, error, rc);
  sqlite3_reset (stmt);

  return FALSE;
}

static gboolean
exec (WaybillStore  *self,
      const char    *sql,
      GError       **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      set_error (self, error, rc);
      return FALSE;
    }

  return TRUE;
}

/* Transactions nest: the outermost is BEGIN IMMEDIATE (so that two writers
 * queue on the busy timeout instead of failing on upgrade), inner ones are
 * savepoints, so that a failed inner step can be undone alone. */
gboolean
waybill_store_begin (WaybillStore  *self,
                     GError       **error)
{
  g_return_val_if_fail (WAYBILL_IS_STORE (self), FALSE);

  if (!exec (self, self->txn_depth == 0 ? "BEGIN IMMEDIATE" : "SAVEPOINT nested", error))
    return FALSE;

  if (self->txn_depth == 0)
    self->changed_in_txn = FALSE;
  self->txn_depth++;

  return TRUE;
}

gboolean
waybill_store_commit (WaybillStore  *self,
                      GError       **error)
{
  g_return_val_if_fail (WAYBILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->txn_depth > 0, FALSE);

  if (self->txn_depth > 1)
    {
      if (!exec (self, "RELEASE nested", error))
        return FALSE;
      self->txn_depth--;
      self->changed_in_txn = TRUE;
      return TRUE;
    }

  if (!exec (self, "COMMIT", error))
    {
      /* A failed COMMIT (disk full, say) leaves the transaction open:
       * undo it so that the database stays as it was. */
      waybill_store_rollback (self);
      return FALSE;
    }

  self->txn_depth = 0;
  g_signal_emit (self, signals[CHANGED], 0);

  return TRUE;
}

void
waybill_store_rollback (WaybillStore *self)
{
  g_return_if_fail (WAYBILL_IS_STORE (self));

  if (self->txn_depth == 0)
    return;

  if (self->txn_depth > 1)
    sqlite3_exec (self->db, "ROLLBACK TO nested; RELEASE nested", NULL, NULL, NULL);
  else if (sqlite3_get_autocommit (self->db) == 0)
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);

  self->txn_depth--;
}

static gboolean
query_int (sqlite3     *db,
           const char  *sql,
           gint64      *out_value,
           int         *out_rc)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          *out_value = sqlite3_column_int64 (stmt, 0);
          rc = SQLITE_OK;
        }
    }
  sqlite3_finalize (stmt);
  *out_rc = rc;

  return rc == SQLITE_OK;
}

/* Creates the file ourselves, private to the user, before SQLite sees it:
 * SQLite would create it with the umask's permissions, and its -wal and
 * -shm files copy the permissions of the database file. */
static gboolean
ensure_database_file (const char  *path,
                      GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, WAYBILL_STORE_ERROR,
                   saved_errno == EROFS || saved_errno == EACCES
                   ? WAYBILL_STORE_ERROR_READ_ONLY : WAYBILL_STORE_ERROR_FAILED,
                   _("Could not create the data folder “%s”: %s"),
                   dir, g_strerror (saved_errno));
      return FALSE;
    }

  fd = g_open (path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
  if (fd >= 0)
    {
      close (fd);
      return TRUE;
    }

  if (errno == EEXIST)
    return TRUE;

  g_set_error (error, WAYBILL_STORE_ERROR,
               errno == EROFS || errno == EACCES
               ? WAYBILL_STORE_ERROR_READ_ONLY
               : errno == ENOSPC ? WAYBILL_STORE_ERROR_DISK_FULL : WAYBILL_STORE_ERROR_FAILED,
               _("Could not create the database “%s”: %s"), path, g_strerror (errno));

  return FALSE;
}

/**
 * waybill_store_open:
 * @path: the database file; it and its folder are created when missing
 *
 * Opens the database and brings its schema up to date.  A file that is not
 * a Waybill database, or one written by a newer Waybill, is refused and left
 * untouched.
 *
 * Returns: (transfer full): the store, or %NULL with @error set
 */
WaybillStore *
waybill_store_open (const char  *path,
                    GError     **error)
{
  g_autoptr(WaybillStore) self = NULL;
  gint64 version = 0;
  gint64 app_id = 0;
  gint64 n_tables = 0;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!ensure_database_file (path, error))
    return NULL;

  self = g_object_new (WAYBILL_TYPE_STORE, NULL);
  self->path = g_strdup (path);

  rc = sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE, NULL);
  if (rc != SQLITE_OK)
    {
      set_error (self, error, rc);
      return NULL;
    }

  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);

  /* Read before writing anything: these fail with SQLITE_NOTADB on a file
   * that is not a database, and tell us whose database it is. */
  if (!query_int (self->db, "PRAGMA user_version", &version, &rc) ||
      !query_int (self->db, "PRAGMA application_id", &app_id, &rc) ||
      !query_int (self->db, "SELECT count(*) FROM sqlite_master", &n_tables, &rc))
    {
      set_error (self, error, rc);
      return NULL;
    }

  if ((app_id != 0 && app_id != WAYBILL_STORE_APPLICATION_ID) ||
      (app_id == 0 && n_tables > 0))
    {
      g_set_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_NOT_A_DATABASE,
                   _("“%s” is a database of another program, not of Waybill; it was left as it is"),
                   path);
      return NULL;
    }

  if (version > WAYBILL_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_TOO_NEW,
                   _("The database “%s” was written by a newer version of Waybill "
                     "(format %d; this version reads up to %d); update Waybill to open it"),
                   path, (int) version, WAYBILL_STORE_SCHEMA_VERSION);
      return NULL;
    }

  if (sqlite3_db_readonly (self->db, "main") == 1)
    {
      set_error (self, error, SQLITE_READONLY);
      return NULL;
    }

  if (!exec (self, "PRAGMA journal_mode = WAL", error) ||
      !exec (self, "PRAGMA foreign_keys = ON", error) ||
      !exec (self, "PRAGMA synchronous = NORMAL", error) ||
      /* A page cache of about 20 MB: the pages of a 100,000-order list stay
       * in memory instead of being read again and again. */
      !exec (self, "PRAGMA cache_size = -20000", error))
    return NULL;

  if (version < WAYBILL_STORE_SCHEMA_VERSION &&
      !waybill_store_schema_migrate (self->db, (int) version, error))
    return NULL;

  query_int (self->db, "PRAGMA data_version", &self->data_version, &rc);

  return g_steal_pointer (&self);
}

const char *
waybill_store_get_path (WaybillStore *self)
{
  g_return_val_if_fail (WAYBILL_IS_STORE (self), NULL);

  return self->path;
}

sqlite3 *
waybill_store_get_db (WaybillStore *self)
{
  return self->db;
}

void
waybill_store_set_max_page_count (WaybillStore *self,
                                  guint         max_pages)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA max_page_count = %u", max_pages);

  sqlite3_exec (self->db, sql, NULL, NULL, NULL);
}

/**
 * waybill_store_check_for_changes:
 *
 * Emits #WaybillStore::changed if another connection committed a change
 * since the last check.
 *
 * Returns: %TRUE if there was a change
 */
gboolean
waybill_store_check_for_changes (WaybillStore *self)
{
  gint64 version = 0;
  int rc;

  g_return_val_if_fail (WAYBILL_IS_STORE (self), FALSE);

  if (self->txn_depth > 0 ||
      !query_int (self->db, "PRAGMA data_version", &version, &rc) ||
      version == self->data_version)
    return FALSE;

  self->data_version = version;
  g_signal_emit (self, signals[CHANGED], 0);

  return TRUE;
}

static gboolean
watch_cb (gpointer user_data)
{
  waybill_store_check_for_changes (WAYBILL_STORE (user_data));

  return G_SOURCE_CONTINUE;
}

/**
 * waybill_store_watch:
 * @interval_ms: how often to look, or 0 to stop watching
 *
 * Looks for changes committed by other processes every @interval_ms on the
 * thread-default main context.  Asking SQLite costs a few microseconds.
 */
void
waybill_store_watch (WaybillStore *self,
                     guint         interval_ms)
{
  g_return_if_fail (WAYBILL_IS_STORE (self));

  g_clear_handle_id (&self->watch_id, g_source_remove);
  if (interval_ms > 0)
    self->watch_id = g_timeout_add (interval_ms, watch_cb, self);
}

/* Reading */

static WaybillShipment *
shipment_from_row (sqlite3_stmt *stmt)
{
  WaybillShipment *shipment = waybill_shipment_new (column_text (stmt, 2), column_text (stmt, 3));
  g_autoptr(GDateTime) from = column_time (stmt, 7);
  g_autoptr(GDateTime) to = column_time (stmt, 8);
  g_autoptr(GDateTime) delivered = column_time (stmt, 9);
  g_autoptr(GDateTime) last_event = column_time (stmt, 11);
  g_autoptr(GDateTime) checked = column_time (stmt, 12);
  g_autoptr(GDateTime) next = column_time (stmt, 13);

  waybill_shipment_set_id (shipment, sqlite3_column_int64 (stmt, 0));
  waybill_shipment_set_order_id (shipment, sqlite3_column_int64 (stmt, 1));
  waybill_shipment_set_status (shipment, column_status (stmt, 4, WAYBILL_STATUS_PENDING));
  waybill_shipment_set_sub_status (shipment, column_text (stmt, 5));
  waybill_shipment_set_exception_reason (shipment,
                                         waybill_exception_reason_from_id (column_text (stmt, 6)));
  waybill_shipment_set_estimated_delivery (shipment, from, to);
  waybill_shipment_set_delivered_at (shipment, delivered);
  waybill_shipment_set_signed_by (shipment, column_text (stmt, 10));
  waybill_shipment_set_last_event_at (shipment, last_event);
  waybill_shipment_set_last_checked (shipment, checked);
  waybill_shipment_set_next_check (shipment, next);
  waybill_shipment_set_failure_count (shipment, sqlite3_column_int (stmt, 14));
  waybill_shipment_set_last_error (shipment, column_text (stmt, 15));
  waybill_shipment_set_delayed (shipment, sqlite3_column_int (stmt, 16));

  return shipment;
}

static gboolean
load_shipments (WaybillStore  *self,
                WaybillOrder  *order,
                GError       **error)
{
  sqlite3_stmt *stmt;
  GPtrArray *shipments = waybill_order_get_shipments (order);
  int rc;

  stmt = prepare (self, "SELECT " SHIPMENT_COLUMNS " FROM shipments s "
                        "WHERE s.order_id = ? ORDER BY s.id", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, waybill_order_get_id (order));
  g_ptr_array_set_size (shipments, 0);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (shipments, shipment_from_row (stmt));
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      set_error (self, error, rc);
      return FALSE;
    }

  return TRUE;
}

/* Loads the shipments of several orders with one query. */
static gboolean
load_shipments_of (WaybillStore  *self,
                   GPtrArray     *orders,
                   GError       **error)
{
  g_autoptr(GHashTable) by_id = NULL;
  g_autoptr(GString) ids = NULL;
  g_autofree gint64 *keys = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (orders->len <= 1)
    return orders->len == 0 || load_shipments (self, g_ptr_array_index (orders, 0), error);

  by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  keys = g_new (gint64, orders->len);
  ids = g_string_new ("[");
  for (guint i = 0; i < orders->len; i++)
    {
      WaybillOrder *order = g_ptr_array_index (orders, i);

      g_ptr_array_set_size (waybill_order_get_shipments (order), 0);
      keys[i] = waybill_order_get_id (order);
      g_hash_table_insert (by_id, &keys[i], order);
      g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "", waybill_order_get_id (order));
    }
  g_string_append_c (ids, ']');

  stmt = prepare (self, "SELECT " SHIPMENT_COLUMNS " FROM shipments s "
                        "WHERE s.order_id IN (SELECT value FROM json_each (?1)) ORDER BY s.id", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, ids->str, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 order_id = sqlite3_column_int64 (stmt, 1);
      WaybillOrder *order = g_hash_table_lookup (by_id, &order_id);

      if (order != NULL)
        g_ptr_array_add (waybill_order_get_shipments (order), shipment_from_row (stmt));
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      set_error (self, error, rc);
      return FALSE;
    }

  return TRUE;
}

static WaybillOrder *
order_from_row (sqlite3_stmt *stmt)
{
  WaybillOrder *order = waybill_order_new (column_text (stmt, 1), column_text (stmt, 2));
  g_autoptr(GDateTime) created = column_time (stmt, 12);
  g_autoptr(GDateTime) updated = column_time (stmt, 13);

  waybill_order_set_id (order, sqlite3_column_int64 (stmt, 0));
  waybill_order_set_email (order, column_text (stmt, 3));
  waybill_order_set_phone (order, column_text (stmt, 4));
  waybill_order_set_address (order, column_text (stmt, 5));
  waybill_order_set_items (order, column_text (stmt, 6));
  waybill_order_set_total (order, sqlite3_column_double (stmt, 7));
  waybill_order_set_currency (order, column_text (stmt, 8));
  waybill_order_set_note (order, column_text (stmt, 9));
  waybill_order_set_stage (order, column_status (stmt, 10, WAYBILL_STATUS_RECEIVED));
  waybill_order_set_archived (order, sqlite3_column_int (stmt, 11));
  waybill_order_set_created (order, created);
  waybill_order_set_updated (order, updated);
  waybill_order_set_display_status (order, column_status (stmt, 14, WAYBILL_STATUS_RECEIVED));
  waybill_order_set_delayed (order, sqlite3_column_int (stmt, 15));

  return order;
}

/* Runs a query of ORDER_COLUMNS rows, bound by the caller, and loads each
 * order's shipments. */
static GPtrArray *
collect_orders (WaybillStore  *self,
                sqlite3_stmt  *stmt,
                GError       **error)
{
  g_autoptr(GPtrArray) orders = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (orders, order_from_row (stmt));
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      set_error (self, error, rc);
      return NULL;
    }

  if (!load_shipments_of (self, orders, error))
    return NULL;

  return g_steal_pointer (&orders);
}

static WaybillOrder *
single_order (WaybillStore  *self,
              sqlite3_stmt  *stmt,
              const char    *what,
              GError       **error)
{
  g_autoptr(GPtrArray) orders = collect_orders (self, stmt, error);

  if (orders == NULL)
    return NULL;

  if (orders->len == 0)
    {
      g_set_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_NOT_FOUND,
                   _("No order matches “%s”"), what);
      return NULL;
    }

  return g_object_ref (g_ptr_array_index (orders, 0));
}

/**
 * waybill_store_get_order:
 *
 * Returns: (transfer full): the order with its shipments (without events),
 *   or %NULL with %WAYBILL_STORE_ERROR_NOT_FOUND
 */
WaybillOrder *
waybill_store_get_order (WaybillStore  *self,
                         gint64         order_id,
                         GError       **error)
{
  g_autofree char *what = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (WAYBILL_IS_STORE (self), NULL);

  stmt = prepare (self, "SELECT " ORDER_COLUMNS " FROM orders o WHERE o.id = ?", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, order_id);
  what = g_strdup_printf ("#%" G_GINT64_FORMAT, order_id);

  return single_order (self, stmt, what, error);
}

/**
 * waybill_store_find_order:
 * @order_number: an order number; case and a leading "#" do not matter
 *
 * Returns: (transfer full): the order, or %NULL with
 *   %WAYBILL_STORE_ERROR_NOT_FOUND
 */
WaybillOrder *
waybill_store_find_order (WaybillStore  *self,
                          const char    *order_number,
                          GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  WaybillOrder *order;
  sqlite3_stmt *stmt;
  const char *bare;

  g_return_val_if_fail (WAYBILL_IS_STORE (self), NULL);
  g_return_val_if_fail (order_number != NULL, NULL);

  bare = order_number[0] == '#' ? order_number + 1 : order_number;

  /* The exact spelling first: the unique index answers it at once. */
  stmt = prepare (self, "SELECT " ORDER_COLUMNS " FROM orders o WHERE o.order_number = ?", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, order_number, -1, SQLITE_TRANSIENT);
  order = single_order (self, stmt, order_number, &local_error);
  if (order != NULL ||
      !g_error_matches (local_error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_NOT_FOUND))
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      return order;
    }

  /* Then without the "#" and in any case. */
  stmt = prepare (self, "SELECT " ORDER_COLUMNS " FROM orders o "
                        "WHERE o.order_number = ?1 COLLATE NOCASE "
                        "   OR o.order_number = ?2 COLLATE NOCASE "
                        "ORDER BY o.order_number IN (?1, ?2) DESC LIMIT 1", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, order_number, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, bare, -1, SQLITE_TRANSIENT);

  return single_order (self, stmt, order_number, error);
}

/* Tracking numbers are kept as the carrier prints them without spaces and
 * in upper case; accept them pasted with spaces or in lower case. */
static char *
squeeze_tracking_number (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || c == '-' || c == '.')
        continue;
      g_string_append_unichar (out, g_unichar_toupper (c));
    }

  return g_string_free (out, FALSE);
}

/**
 * waybill_store_find_by_tracking:
 *
 * Returns: (transfer full): the order that has a shipment with this
 *   tracking number, or %NULL with %WAYBILL_STORE_ERROR_NOT_FOUND
 */
WaybillOrder *
waybill_store_find_by_tracking (WaybillStore  *self,
                                const char    *tracking_number,
                                GError       **error)
{
  g_autofree char *squeezed = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (WAYBILL_IS_STORE (self), NULL);
  g_return_val_if_fail (tracking_number != NULL, NULL);

  squeezed = squeeze_tracking_number (tracking_number);
  stmt = prepare (self, "SELECT " ORDER_COLUMNS " FROM orders o "
                        "WHERE o.id = (SELECT s.order_id FROM shipments s "
                        "              WHERE s.tracking_number = ? "
                        "              ORDER BY s.id DESC LIMIT 1)", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, squeezed, -1, SQLITE_TRANSIENT);

  return single_order (self, stmt, tracking_number, error);
}

static const char *
filter_condition (WaybillFilter filter)
{
  switch (filter)
    {
    case WAYBILL_FILTER_ALL:
      return "o.archived = 0";
    case WAYBILL_FILTER_ACTIVE:
      return "o.archived = 0 AND o.status NOT IN ('delivered', 'returned', 'cancelled', 'expired')";
    case WAYBILL_FILTER_ATTENTION:
      return "o.archived = 0 AND (o.status IN ('exception', 'failed_attempt') OR o.delayed = 1)";
    case WAYBILL_FILTER_OUT_FOR_DELIVERY:
      return "o.archived = 0 AND o.status = 'out_for_delivery'";
    case WAYBILL_FILTER_DELIVERED:
      return "o.archived = 0 AND o.status = 'delivered'";
    case WAYBILL_FILTER_ARCHIVED:
      return "o.archived = 1";
    case WAYBILL_N_FILTERS:
    default:
      g_assert_not_reached ();
    }
}

static const char *
sort_clause (WaybillSort sort)
{
  switch (sort)
    {
    case WAYBILL_SORT_NEWEST:
      return "o.created DESC, o.id DESC";
    case WAYBILL_SORT_ESTIMATED_DELIVERY:
      return "o.eta IS NULL, o.eta, o.created DESC, o.id DESC";
    case WAYBILL_SORT_LAST_UPDATE:
      return "o.last_update DESC, o.id DESC";
    case WAYBILL_N_SORTS:
    default:
      g_assert_not_reached ();
    }
}

static gboolean
check_query (const WaybillOrderQuery  *query,
             GError                  **error)
{
  if (query->filter >= WAYBILL_N_FILTERS || query->sort >= WAYBILL_N_SORTS ||
      (query->status != WAYBILL_STATUS_INVALID &&
       ((int) query->status < 0 || query->status >= WAYBILL_N_STATUSES)))
    {
      g_set_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_INVALID,
                   _("Unknown filter, status or sort order"));
      return FALSE;
    }

  return TRUE;
}

/* The list reads its pages by key ("keyset paging"): a page starts after
 * the sort values of the row before it, so SQLite seeks to it in the sort's
 * index instead of walking past every row before it as OFFSET does.  Where
 * a sort has NULLs or mixes directions, the rows after a key are a few
 * ranges of the index ("segments") that follow each other in the list,
 * each read in index order, one after the other until the page is full.
 * Parameters: ?1 status, ?3 rows to skip, ?4 rows wanted, ?5 created,
 * ?6 id, ?7 eta, ?8 last_update of the key. */

/* The key's columns, after ORDER_COLUMNS */
#define KEY_COLUMNS "o.eta, o.last_update"
#define KEY_ETA_COLUMN 16
#define KEY_LAST_UPDATE_COLUMN 17
#define MAX_SEGMENTS 3

static const char *
reverse_sort_clause (WaybillSort sort)
{
  switch (sort)
    {
    case WAYBILL_SORT_NEWEST:
      return "o.created, o.id";
    case WAYBILL_SORT_ESTIMATED_DELIVERY:
      return "o.eta IS NULL DESC, o.eta DESC, o.created, o.id";
    case WAYBILL_SORT_LAST_UPDATE:
      return "o.last_update, o.id";
    case WAYBILL_N_SORTS:
    default:
      g_assert_not_reached ();
    }
}

/* The segments that hold the rows after @key under @sort, in list order:
 * the condition of each and its order (the sort, less what the condition
 * fixes, so that the index gives the order). */
static guint
after_segments (WaybillSort             sort,
                const WaybillOrderKey  *key,
                const char            **conditions,
                const char            **orders)
{
  switch (sort)
    {
    case WAYBILL_SORT_NEWEST:
      conditions[0] = "(o.created, o.id) < (?5, ?6)";
      orders[0] = "o.created DESC, o.id DESC";
      return 1;

    case WAYBILL_SORT_LAST_UPDATE:
      /* NULLs come last in a descending sort. */
      if (!key->has_last_update)
        {
          conditions[0] = "o.last_update IS NULL AND o.id < ?6";
          orders[0] = "o.id DESC";
          return 1;
        }
      conditions[0] = "(o.last_update, o.id) < (?8, ?6)";
      orders[0] = "o.last_update DESC, o.id DESC";
      conditions[1] = "o.last_update IS NULL";
      orders[1] = "o.id DESC";
      return 2;

    case WAYBILL_SORT_ESTIMATED_DELIVERY:
      /* "o.eta IS ?7", not "=": SQLite would put the value in for o.eta
       * in "o.eta IS NULL" and no longer see the index's expression. */
      if (!key->has_eta)
        {
          conditions[0] = "(o.eta IS NULL) = 1 AND o.eta IS NULL AND (o.created, o.id) < (?5, ?6)";
          orders[0] = "o.created DESC, o.id DESC";
          return 1;
        }
      conditions[0] = "(o.eta IS NULL) = 0 AND o.eta IS ?7 AND (o.created, o.id) < (?5, ?6)";
      orders[0] = "o.created DESC, o.id DESC";
      conditions[1] = "(o.eta IS NULL) = 0 AND o.eta > ?7";
      orders[1] = "o.eta, o.created DESC, o.id DESC";
      conditions[2] = "(o.eta IS NULL) = 1 AND o.eta IS NULL";
      orders[2] = "o.created DESC, o.id DESC";
      return 3;

    case WAYBILL_N_SORTS:
    default:
      g_assert_not_reached ();
    }
}

/* Appends to @ids those of up to @limit rows of one segment (all of the
 * list when @condition is %NULL), in @order, leaving out the first
 * *@skip; takes the rows left out off *@skip. */
static gboolean
read_segment_ids (WaybillStore             *self,
                  const WaybillOrderQuery  *query,
                  const char               *condition,
                  const char               *order,
                  const WaybillOrderKey    *after,
                  guint                    *skip,
                  guint                     limit,
                  GArray                   *ids,
                  GError                  **error)
{
  g_autofree char *where = g_strdup_printf ("%s%s%s%s", filter_condition (query->filter),
                                            query->status != WAYBILL_STATUS_INVALID
                                            ? " AND o.status = ?1" : "",
                                            condition != NULL ? " AND " : "",
                                            condition != NULL ? condition : "");
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  int rc;

  for (guint pass = *skip > 0 ? 0 : 1; pass < 2; pass++)
    {
      /* Pass 0 counts the segment's rows up to the skip: a segment that
       * has no more is left out whole. */
      g_free (sql);
      sql = pass == 0
        ? g_strdup_printf ("SELECT count(*) FROM (SELECT 1 FROM orders o WHERE %s LIMIT ?4)", where)
        : g_strdup_printf ("SELECT o.id FROM orders o WHERE %s ORDER BY %s LIMIT ?4 OFFSET ?3",
                           where, order);
      stmt = prepare (self, sql, error);
      if (stmt == NULL)
        return FALSE;

      if (query->status != WAYBILL_STATUS_INVALID)
        sqlite3_bind_text (stmt, 1, waybill_status_to_id (query->status), -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, *skip);
      sqlite3_bind_int64 (stmt, 4, pass == 0 ? *skip : limit);
      if (after != NULL)
        {
          /* A parameter the condition does not use is not in the SQL:
           * binding it fails harmlessly. */
          sqlite3_bind_int64 (stmt, 5, after->created);
          sqlite3_bind_int64 (stmt, 6, after->id);
          sqlite3_bind_int64 (stmt, 7, after->eta);
          sqlite3_bind_int64 (stmt, 8, after->last_update);
        }

      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          gint64 value = sqlite3_column_int64 (stmt, 0);

          if (pass == 1)
            g_array_append_val (ids, value);
          else if (value < *skip)
            {
              *skip -= value;
              sqlite3_reset (stmt);
              return TRUE;
            }
        }
      sqlite3_reset (stmt);

      if (rc != SQLITE_DONE)
        {
          set_error (self, error, rc);
          return FALSE;
        }
    }

  *skip = 0;

  return TRUE;
}

static GPtrArray *
list_page (WaybillStore             *self,
           const WaybillOrderQuery  *query,
           const WaybillOrderKey    *after,
           gboolean                  from_end,
           guint                     skip,
           guint                     limit,
           WaybillOrderKey          *out_last,
           GError                  **error)
{
  static const WaybillOrderQuery default_query = WAYBILL_ORDER_QUERY_INIT;
  g_autoptr(GPtrArray) orders = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GString) id_list = g_string_new ("[");
  g_autofree char *sql = NULL;
  WaybillOrderKey last = { 0 };
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (WAYBILL_IS_STORE (self), NULL);

  if (query == NULL)
    query = &default_query;
  if (!check_query (query, error))
    return NULL;

  /* The page's ids come from the sort's index alone ... */
  if (after == NULL)
    {
      if (!read_segment_ids (self, query, NULL,
                             from_end ? reverse_sort_clause (query->sort) : sort_clause (query->sort),
                             NULL, &skip, limit, ids, error))
        return NULL;
    }
  else
    {
      const char *conditions[MAX_SEGMENTS];
      const char *orders_by[MAX_SEGMENTS];
      guint n = after_segments (query->sort, after, conditions, orders_by);

      for (guint i = 0; i < n && ids->len < limit; i++)
        if (!read_segment_ids (self, query, conditions[i], orders_by[i], after, &skip,
                               limit - ids->len, ids, error))
          return NULL;
    }

  /* ... then only those rows are read. */
  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (id_list, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "",
                            g_array_index (ids, gint64, i));
  g_string_append_c (id_list, ']');

  sql = g_strdup_printf ("SELECT " ORDER_COLUMNS ", " KEY_COLUMNS " FROM orders o "
                         "WHERE o.id IN (SELECT value FROM json_each (?1)) ORDER BY %s",
                         sort_clause (query->sort));
  stmt = prepare (self, sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id_list->str, -1, SQLITE_TRANSIENT);

  orders = g_ptr_array_new_with_free_func (g_object_unref);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (orders, order_from_row (stmt));
      last.id = sqlite3_column_int64 (stmt, 0);
      last.created = sqlite3_column_int64 (stmt, 12);
      last.has_eta = sqlite3_column_type (stmt, KEY_ETA_COLUMN) != SQLITE_NULL;
      last.eta = sqlite3_column_int64 (stmt, KEY_ETA_COLUMN);
      last.has_last_update = sqlite3_column_type (stmt, KEY_LAST_UPDATE_COLUMN) != SQLITE_NULL;
      last.last_update = sqlite3_column_int64 (stmt, KEY_LAST_UPDATE_COLUMN);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      set_error (self, error, rc);
      return NULL;
    }

  if (!load_shipments_of (self, orders, error))
    return NULL;

  if (out_last != NULL && orders->len > 0)
    *out_last = last;

  return g_steal_pointer (&orders);
}

/**
 * waybill_store_list_orders:
 * @query: (nullable): what to list and in which order; %NULL lists every
 *   order that is not archived, newest first
 * @offset: the first row of the page
 * @limit: the size of the page
 *
 * Walks past the @offset rows before the page: to read page after page,
 * waybill_store_list_orders_after() is faster.
 *
 * Returns: (transfer container) (element-type WaybillOrder): a page of
 *   orders with their shipments (without events)
 */
GPtrArray *
waybill_store_list_orders (WaybillStore             *self,
                           const WaybillOrderQuery  *query,
                           guint                     offset,
                           guint                     limit,
                           GError                  **error)
{
  return list_page (self, query, NULL, FALSE, offset, limit, NULL, error);
}

/**
 * waybill_store_list_orders_after:
 * @query: (nullable): as for waybill_store_list_orders()
 * @after: (nullable): the key of the row before the first row wanted, as
 *   @out_last gave it for the last row of the page before; %NULL from the
 *   first row
 * @skip: how many rows after @after to leave out (a jump ahead of the
 *   rows read so far)
 * @limit: the size of the page
 * @out_last: (out) (optional): the key of the page's last row, to read the
 *   next page after it; left as it is when the page is empty
 *
 * Lists the rows after a key: the next page starts where the last one
 * ended even if rows were added or deleted before it in between, and it
 * costs the same wherever it is in the list.
 *
 * Returns: (transfer container) (element-type WaybillOrder): a page of
 *   orders with their shipments (without events)
 */
GPtrArray *
waybill_store_list_orders_after (WaybillStore             *self,
                                 const WaybillOrderQuery  *query,
                                 const WaybillOrderKey    *after,
                                 guint                     skip,
                                 guint                     limit,
                                 WaybillOrderKey          *out_last,
                                 GError                  **error)
{
  return list_page (self, query, after, FALSE, skip, limit, out_last, error);
}

/**
 * waybill_store_list_orders_from_end:
 * @skip: how many rows at the end of the list come after the page
 * @limit: the size of the page
 * @out_last: (out) (optional): the key of the page's last row
 *
 * Lists a page counted from the end of the list, for a jump near the end
 * (the rows are in list order all the same).
 *
 * Returns: (transfer container) (element-type WaybillOrder): a page of
 *   orders with their shipments (without events)
 */
GPtrArray *
waybill_store_list_orders_from_end (WaybillStore             *self,
                                    const WaybillOrderQuery  *query,
                                    guint                     skip,
                                    guint                     limit,
                                    WaybillOrderKey          *out_last,
                                    GError                  **error)
{
  return list_page (self, query, NULL, TRUE, skip, limit, out_last, error);
}

/**
 * waybill_store_count_orders:
 *
 * Returns: the number of orders @query lists, or -1 with @error set
 */
gint64
waybill_store_count_orders (WaybillStore             *self,
                            const WaybillOrderQuery  *query,
                            GError                  **error)
{
  static const WaybillOrderQuery default_query = WAYBILL_ORDER_QUERY_INIT;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  gint64 count = -1;
  int rc;

  g_return_val_if_fail (WAYBILL_IS_STORE (self), -1);

  if (query == NULL)
    query = &default_query;
  if (!check_query (query, error))
    return -1;

  /* Every order but the archived, which are few: SQLite counts a whole
   * table from its smallest index without reading the rows, 0.2 ms for
   * 100,000 orders where stepping through the unarchived ones takes 5 ms
   * (before the window's first frame). */
  if (query->filter == WAYBILL_FILTER_ALL && query->status == WAYBILL_STATUS_INVALID)
    sql = g_strdup ("SELECT (SELECT count(*) FROM orders) -"
                    " (SELECT count(*) FROM orders WHERE archived = 1)");
  else
    sql = g_strdup_printf ("SELECT count(*) FROM orders o WHERE %s%s",
                           filter_condition (query->filter),
                           query->status != WAYBILL_STATUS_INVALID ? " AND o.status = ?1" : "");
  stmt = prepare (self, sql, error);
  if (stmt == NULL)
    return -1;

  if (query->status != WAYBILL_STATUS_INVALID)
    sqlite3_bind_text (stmt, 1, waybill_status_to_id (query->status), -1, SQLITE_STATIC);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  else
    set_error (self, error, rc);
  sqlite3_reset (stmt);

  return count;
}

static void
count_filters_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  g_autoptr(WaybillStore) store = NULL;
  g_autofree gint64 *counts = g_new0 (gint64, WAYBILL_N_FILTERS);
  GError *error = NULL;

  /* A connection of the thread's own: a store belongs to one thread. */
  store = waybill_store_open (task_data, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  for (WaybillFilter filter = 0; filter < WAYBILL_N_FILTERS; filter++)
    {
      WaybillOrderQuery query = { filter, WAYBILL_STATUS_INVALID, WAYBILL_SORT_NEWEST };

      if (g_task_return_error_if_cancelled (task))
        return;
      counts[filter] = waybill_store_count_orders (store, &query, &error);
      if (counts[filter] < 0)
        {
          g_task_return_error (task, error);
          return;
        }
    }

  g_task_return_pointer (task, g_steal_pointer (&counts), g_free);
}

/**
 * waybill_store_count_filters_async:
 *
 * Counts the orders of every #WaybillFilter in a thread, on a connection
 * of its own: a few milliseconds each over a big database, which the
 * window does not wait for.
 */
void
waybill_store_count_filters_async (WaybillStore        *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (WAYBILL_IS_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, waybill_store_count_filters_async);
  g_task_set_task_data (task, g_strdup (self->path), g_free);
  g_task_run_in_thread (task, count_filters_thread);
}

/**
 * waybill_store_count_filters_finish:
 * @out_counts: (array fixed-size=6): WAYBILL_N_FILTERS counts, by filter
 *
 * Returns: %TRUE with the counts, or %FALSE with @error set
 */
gboolean
waybill_store_count_filters_finish (WaybillStore  *self,
                                    GAsyncResult  *result,
                                    gint64        *out_counts,
                                    GError       **error)
{
  g_autofree gint64 *counts = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  counts = g_task_propagate_pointer (G_TASK (result), error);
  if (counts == NULL)
    return FALSE;

  memcpy (out_counts, counts, WAYBILL_N_FILTERS * sizeof (gint64));

  return TRUE;
}

/* Turns what a person typed into an FTS5 query: every word a prefix, all
 * words required.  Only letters and digits reach FTS5, so no input can be
 * read as FTS5 syntax. */
static char *
build_match_query (const char *text)
{
  GString *query = g_string_new (NULL);
  GString *word = g_string_new (NULL);
  GString *run = g_string_new (NULL);
  guint n_words = 0;

  for (const char *p = text; ; p = g_utf8_next_char (p))
    {
      gunichar c = *p ? g_utf8_get_char_validated (p, -1) : 0;

      if (c != 0 && c != (gunichar) -1 && c != (gunichar) -2 && g_unichar_isalnum (c))
        {
          g_string_append_unichar (word, c);
          g_string_append_unichar (run, c);
          continue;
        }

      if (word->len > 0)
        {
          if (query->len > 0)
            g_string_append_c (query, ' ');
          g_string_append_printf (query, "\"%s\"*", word->str);
          g_string_truncate (word, 0);
          n_words++;
        }

      if (c == 0 || c == (gunichar) -1 || c == (gunichar) -2)
        break;
    }

  g_string_free (word, TRUE);

  /* A tracking number pasted in groups ("9400 1118 9922 …") is one word in
   * the index: also look for the digits and letters run together. */
  if (n_words > 1 && run->len >= 8)
    {
      g_string_prepend_c (query, '(');
      g_string_append_printf (query, ") OR \"%s\"*", run->str);
    }
  g_string_free (run, TRUE);

  return g_string_free (query, query->len == 0);
}

static char *
escape_like (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '%');

  return g_string_free (out, FALSE);
}

/**
 * waybill_store_search:
 * @text: what the user typed: part of an order number, a name, an email
 *   address or a tracking number
 * @limit: the most results to return
 *
 * Every word of @text is matched as a prefix.  Exact order and tracking
 * numbers come first, then orders whose number, customer or email starts
 * with the text, then the rest; newest first within each, archived orders
 * after current ones.
 *
 * Only the newest 500 matches are ranked (and the exact numbers, wherever
 * they are): ranking every match of a short prefix that thousands of
 * orders share took tens of milliseconds, too long for search as you type.
 * There is no bm25 relevance within a group: it reads every match of each
 * word to weigh it, which cost 4-15 ms a keystroke for a word most orders
 * share (an email domain).
 *
 * Returns: (transfer container) (element-type WaybillOrder): the matches
 */
GPtrArray *
waybill_store_search (WaybillStore  *self,
                      const char    *text,
                      guint          limit,
                      GError       **error)
{
  g_autofree char *match = NULL;
  g_autofree char *squeezed = NULL;
  g_autofree char *like = NULL;
  g_autofree char *trimmed = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (WAYBILL_IS_STORE (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  match = build_match_query (text);
  if (match == NULL)
    return g_ptr_array_new_with_free_func (g_object_unref);

  trimmed = g_strstrip (g_strdup (text));
  squeezed = squeeze_tracking_number (trimmed);
  like = escape_like (trimmed[0] == '#' ? trimmed + 1 : trimmed);

  stmt = prepare (self,
                  "SELECT " ORDER_COLUMNS " FROM "
                  "  (SELECT * FROM (SELECT rowid FROM search "
                  "                  WHERE search MATCH ?1 ORDER BY rowid DESC LIMIT 500) "
                  "   UNION "
                  "   SELECT o.id FROM orders o "
                  "    WHERE o.order_number = ?2 COLLATE NOCASE OR o.order_number = ?3 COLLATE NOCASE "
                  "   UNION "
                  "   SELECT s.order_id FROM shipments s WHERE s.tracking_number = ?3) AS m "
                  "JOIN orders o ON o.id = m.rowid "
                  "ORDER BY "
                  "  CASE WHEN o.order_number = ?2 COLLATE NOCASE "
                  "         OR o.order_number = ?3 COLLATE NOCASE "
                  "         OR EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = o.id "
                  "                    AND s.tracking_number = ?3) THEN 0 "
                  "       WHEN o.order_number LIKE ?4 ESCAPE '\\' "
                  "         OR o.customer LIKE ?4 ESCAPE '\\' "
                  "         OR o.email LIKE ?4 ESCAPE '\\' THEN 1 "
                  "       ELSE 2 END, "
                  "  o.archived, o.created DESC, o.id DESC "
                  "LIMIT ?5", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, match, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, trimmed[0] == '#' ? trimmed + 1 : trimmed, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, squeezed, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, like, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, limit);

  return collect_orders (self, stmt, error);
}

/* Writing */

/* Brings the order row's summary of its shipments (display status, delayed
 * flag, estimated delivery, last update) and its search row up to date. */
static gboolean
refresh_order_summary_full (WaybillStore  *self,
                            gint64         order_id,
                            gboolean       update_search,
                            GError       **error)
{
  g_autoptr(GArray) statuses = g_array_new (FALSE, FALSE, sizeof (WaybillStatus));
  WaybillStatus stage = WAYBILL_STATUS_RECEIVED;
  WaybillStatus status;
  gboolean delayed = FALSE;
  gint64 eta = G_MAXINT64;
  gint64 last_update = 0;
  gboolean found = FALSE;
  g_autofree char *old_status = NULL;
  gboolean old_delayed = FALSE;
  /* G_MAXINT64 for NULL, as eta below */
  gint64 old_eta = G_MAXINT64;
  gint64 old_last_update = -1;
  sqlite3_stmt *stmt;
  int rc;

  /* One query for the order's stage, its summary as stored and all its
   * shipments. */
  stmt = prepare (self, "SELECT o.stage, o.updated, s.status, s.delayed, "
                        "  coalesce (s.estimated_to, s.estimated_from), s.last_event_at, s.id, "
                        "  o.status, o.delayed, o.eta, o.last_update "
                        "FROM orders o LEFT JOIN shipments s ON s.order_id = o.id "
                        "WHERE o.id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, order_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      WaybillStatus s;

      if (!found)
        {
          old_status = g_strdup (column_text (stmt, 7));
          old_delayed = sqlite3_column_int (stmt, 8) != 0;
          if (sqlite3_column_type (stmt, 9) != SQLITE_NULL)
            old_eta = sqlite3_column_int64 (stmt, 9);
          if (sqlite3_column_type (stmt, 10) != SQLITE_NULL)
            old_last_update = sqlite3_column_int64 (stmt, 10);
        }
      found = TRUE;
      stage = column_status (stmt, 0, WAYBILL_STATUS_RECEIVED);
      last_update = MAX (last_update, sqlite3_column_int64 (stmt, 1));
      if (sqlite3_column_type (stmt, 6) == SQLITE_NULL)
        continue;

      s = column_status (stmt, 2, WAYBILL_STATUS_PENDING);
      g_array_append_val (statuses, s);
      if (!waybill_status_is_final (s))
        {
          delayed |= sqlite3_column_int (stmt, 3) != 0;
          if (sqlite3_column_type (stmt, 4) != SQLITE_NULL)
            eta = MIN (eta, sqlite3_column_int64 (stmt, 4));
        }
      last_update = MAX (last_update, sqlite3_column_int64 (stmt, 5));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_error (self, error, rc);
      return FALSE;
    }
  if (!found)
    {
      g_set_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_NOT_FOUND,
                   _("The order no longer exists"));
      return FALSE;
    }

  status = waybill_status_for_order (stage, (WaybillStatus *) (gpointer) statuses->data,
                                     statuses->len);

  /* Every summary column is in one of the list's indexes: a column
   * written, even with its old value, rewrites the index entries.  So
   * nothing is written when nothing changed, and only the last update
   * (one index) when only that changed, as after most tracking results. */
  if (g_strcmp0 (old_status, waybill_status_to_id (status)) != 0 ||
      old_delayed != delayed ||
      old_eta != eta)
    {
      stmt = prepare (self, "UPDATE orders SET status = ?, delayed = ?, eta = ?, last_update = ? "
                            "WHERE id = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, waybill_status_to_id (status), -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 2, delayed);
      if (eta != G_MAXINT64)
        sqlite3_bind_int64 (stmt, 3, eta);
      sqlite3_bind_int64 (stmt, 4, last_update);
      sqlite3_bind_int64 (stmt, 5, order_id);
      if (!step_done (self, stmt, error))
        return FALSE;
    }
  else if (old_last_update != last_update)
    {
      stmt = prepare (self, "UPDATE orders SET last_update = ? WHERE id = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, last_update);
      sqlite3_bind_int64 (stmt, 2, order_id);
      if (!step_done (self, stmt, error))
        return FALSE;
    }

  if (!update_search)
    return TRUE;

  stmt = prepare (self, "DELETE FROM search WHERE rowid = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, order_id);
  if (!step_done (self, stmt, error))
    return FALSE;

  stmt = prepare (self,
                  "INSERT INTO search (rowid, order_number, customer, email, tracking) "
                  "SELECT o.id, o.order_number, o.customer, coalesce (o.email, ''), "
                  "       coalesce ((SELECT group_concat (s.tracking_number, ' ') "
                  "                  FROM shipments s WHERE s.order_id = o.id), '') "
                  "FROM orders o WHERE o.id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, order_id);

  return step_done (self, stmt, error);
}

static gboolean
refresh_order_summary (WaybillStore  *self,
                       gint64         order_id,
                       GError       **error)
{
  return refresh_order_summary_full (self, order_id, TRUE, error);
}

/* Tracking results change no searchable text: the search row stays. */
static gboolean
refresh_order_status (WaybillStore  *self,
                      gint64         order_id,
                      GError       **error)
{
  return refresh_order_summary_full (self, order_id, FALSE, error);
}

static gint64
now_unix (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static gboolean
check_order (WaybillOrder  *order,
             GError       **error)
{
  const char *number = waybill_order_get_order_number (order);
  WaybillStatus stage = waybill_order_get_stage (order);

  g_autofree char *trimmed = g_strstrip (g_strdup (number ? number : ""));

  if (*trimmed == '\0')
    {
      g_set_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_INVALID,
                   _("An order needs an order number"));
      return FALSE;
    }

  if (!waybill_status_is_order_stage (stage))
    {
      g_set_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_INVALID,
                   _("“%s” is not an order stage"), waybill_status_to_id (stage));
      return FALSE;
    }

  return TRUE;
}

static gboolean
is_unique_violation (WaybillStore *self)
{
  return sqlite3_extended_errcode (self->db) == SQLITE_CONSTRAINT_UNIQUE;
}

static gboolean insert_events (WaybillStore  *self,
                               gint64         shipment_id,
                               GPtrArray     *events,
                               GError       **error);

static gboolean
insert_shipment (WaybillStore     *self,
                 gint64            order_id,
                 WaybillShipment  *shipment,
                 GError          **error)
{
  g_autofree char *tracking = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (waybill_shipment_get_tracking_number (shipment) == NULL)
    {
      g_set_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_INVALID,
                   _("A shipment needs a tracking number"));
      return FALSE;
    }

  tracking = squeeze_tracking_number (waybill_shipment_get_tracking_number (shipment));
  if (*tracking == '\0')
    {
      g_set_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_INVALID,
                   _("A shipment needs a tracking number"));
      return FALSE;
    }

  stmt = prepare (self,
                  "INSERT INTO shipments (order_id, carrier, tracking_number, status, "
                  "  sub_status, exception_reason, estimated_from, estimated_to, delivered_at, "
                  "  signed_by, last_event_at, last_checked, next_check, failure_count, "
                  "  last_error, delayed) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, order_id);
  bind_text (stmt, 2, waybill_shipment_get_carrier (shipment));
  sqlite3_bind_text (stmt, 3, tracking, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, waybill_status_to_id (waybill_shipment_get_status (shipment)), -1,
                     SQLITE_STATIC);
  bind_text (stmt, 5, waybill_shipment_get_sub_status (shipment));
  bind_text (stmt, 6, waybill_exception_reason_to_id (waybill_shipment_get_exception_reason (shipment)));
  bind_time (stmt, 7, waybill_shipment_get_estimated_from (shipment));
  bind_time (stmt, 8, waybill_shipment_get_estimated_to (shipment));
  bind_time (stmt, 9, waybill_shipment_get_delivered_at (shipment));
  bind_text (stmt, 10, waybill_shipment_get_signed_by (shipment));
  bind_time (stmt, 11, waybill_shipment_get_last_event_at (shipment));
  bind_time (stmt, 12, waybill_shipment_get_last_checked (shipment));
  bind_time (stmt, 13, waybill_shipment_get_next_check (shipment));
  sqlite3_bind_int (stmt, 14, waybill_shipment_get_failure_count (shipment));
  bind_text (stmt, 15, waybill_shipment_get_last_error (shipment));
  sqlite3_bind_int (stmt, 16, waybill_shipment_get_delayed (shipment));

  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      if (is_unique_violation (self))
        g_set_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_DUPLICATE,
                     _("The order already has a shipment with tracking number %s"), tracking);
      else if (sqlite3_extended_errcode (self->db) == SQLITE_CONSTRAINT_FOREIGNKEY)
        g_set_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_NOT_FOUND,
                     _("The order no longer exists"));
      else
        set_error (self, error, rc);
      return FALSE;
    }

  waybill_shipment_set_id (shipment, sqlite3_last_insert_rowid (self->db));
  waybill_shipment_set_order_id (shipment, order_id);
  waybill_shipment_set_tracking_number (shipment, tracking);

  /* Events given with a new shipment (demo data, imports) are kept too. */
  return insert_events (self, waybill_shipment_get_id (shipment),
                        waybill_shipment_get_events (shipment), error);
}

/**
 * waybill_store_create_order:
 * @order: a new order; its shipments are created with it
 *
 * Sets the order's id, created and updated times on success.
 */
gboolean
waybill_store_create_order (WaybillStore  *self,
                            WaybillOrder  *order,
                            GError       **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *number = NULL;
  GPtrArray *shipments;
  GDateTime *created;
  sqlite3_stmt *stmt;
  gint64 id;
  int rc;

  g_return_val_if_fail (WAYBILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (WAYBILL_IS_ORDER (order), FALSE);
  g_return_val_if_fail (waybill_order_get_id (order) == 0, FALSE);

  if (!check_order (order, error))
    return FALSE;

  number = g_strdup (waybill_order_get_order_number (order));
  created = waybill_order_get_created (order) ?: now;

  if (!waybill_store_begin (self, error))
    return FALSE;

  stmt = prepare (self,
                  "INSERT INTO orders (order_number, customer, email, phone, address, items, "
                  "  total, currency, note, stage, archived, created, updated) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    goto failed;

  sqlite3_bind_text (stmt, 1, g_strstrip (number), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, waybill_order_get_customer (order) ?: "", -1, SQLITE_TRANSIENT);
  bind_text (stmt, 3, waybill_order_get_email (order));
  bind_text (stmt, 4, waybill_order_get_phone (order));
  bind_text (stmt, 5, waybill_order_get_address (order));
  bind_text (stmt, 6, waybill_order_get_items (order));
  if (waybill_order_get_total (order) > 0)
    sqlite3_bind_double (stmt, 7, waybill_order_get_total (order));
  bind_text (stmt, 8, waybill_order_get_currency (order));
  bind_text (stmt, 9, waybill_order_get_note (order));
  sqlite3_bind_text (stmt, 10, waybill_status_to_id (waybill_order_get_stage (order)), -1,
                     SQLITE_STATIC);
  sqlite3_bind_int (stmt, 11, waybill_order_get_archived (order));
  sqlite3_bind_int64 (stmt, 12, g_date_time_to_unix (created));
  sqlite3_bind_int64 (stmt, 13, g_date_time_to_unix (now));

  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      if (is_unique_violation (self))
        g_set_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_DUPLICATE,
                     _("An order numbered “%s” already exists"),
                     waybill_order_get_order_number (order));
      else
        set_error (self, error, rc);
      goto failed;
    }

  id = sqlite3_last_insert_rowid (self->db);

  shipments = waybill_order_get_shipments (order);
  for (guint i = 0; i < shipments->len; i++)
    if (!insert_shipment (self, id, g_ptr_array_index (shipments, i), error))
      goto failed;

  if (!refresh_order_summary (self, id, error))
    goto failed;

  if (!waybill_store_commit (self, error))
    goto failed_committing;

  waybill_order_set_id (order, id);
  waybill_order_set_created (order, created);
  waybill_order_set_updated (order, now);
  waybill_order_update_display_status (order);

  return TRUE;

failed:
  waybill_store_rollback (self);
failed_committing:
  /* The shipments were not saved after all. */
  for (guint i = 0; i < waybill_order_get_shipments (order)->len; i++)
    waybill_shipment_set_id (g_ptr_array_index (waybill_order_get_shipments (order), i), 0);
  return FALSE;
}

static gboolean
check_changed (WaybillStore  *self,
               const char    *what,
               GError       **error)
{
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_NOT_FOUND,
                   "%s", what);
      return FALSE;
    }

  return TRUE;
}

/**
 * waybill_store_update_order:
 *
 * Saves the order's own fields (not its shipments, which have their own
 * calls).
 */
gboolean
waybill_store_update_order (WaybillStore  *self,
                            WaybillOrder  *order,
                            GError       **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *number = NULL;
  sqlite3_stmt *stmt;
  gint64 id;
  int rc;

  g_return_val_if_fail (WAYBILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (WAYBILL_IS_ORDER (order), FALSE);

  if (!check_order (order, error))
    return FALSE;

  number = g_strdup (waybill_order_get_order_number (order));

  id = waybill_order_get_id (order);

  if (!waybill_store_begin (self, error))
    return FALSE;

  stmt = prepare (self,
                  "UPDATE orders SET order_number = ?, customer = ?, email = ?, phone = ?, "
                  "  address = ?, items = ?, total = ?, currency = ?, note = ?, stage = ?, "
                  "  archived = ?, updated = ? WHERE id = ?", error);
  if (stmt == NULL)
    goto failed;

  sqlite3_bind_text (stmt, 1, g_strstrip (number), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, waybill_order_get_customer (order) ?: "", -1, SQLITE_TRANSIENT);
  bind_text (stmt, 3, waybill_order_get_email (order));
  bind_text (stmt, 4, waybill_order_get_phone (order));
  bind_text (stmt, 5, waybill_order_get_address (order));
  bind_text (stmt, 6, waybill_order_get_items (order));
  if (waybill_order_get_total (order) > 0)
    sqlite3_bind_double (stmt, 7, waybill_order_get_total (order));
  bind_text (stmt, 8, waybill_order_get_currency (order));
  bind_text (stmt, 9, waybill_order_get_note (order));
  sqlite3_bind_text (stmt, 10, waybill_status_to_id (waybill_order_get_stage (order)), -1,
                     SQLITE_STATIC);
  sqlite3_bind_int (stmt, 11, waybill_order_get_archived (order));
  sqlite3_bind_int64 (stmt, 12, g_date_time_to_unix (now));
  sqlite3_bind_int64 (stmt, 13, id);

  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      if (is_unique_violation (self))
        g_set_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_DUPLICATE,
                     _("An order numbered “%s” already exists"),
                     waybill_order_get_order_number (order));
      else
        set_error (self, error, rc);
      goto failed;
    }

  if (!check_changed (self, _("The order no longer exists"), error) ||
      !refresh_order_summary (self, id, error))
    goto failed;

  if (!waybill_store_commit (self, error))
    return FALSE;

  waybill_order_set_updated (order, now);

  return TRUE;

failed:
  waybill_store_rollback (self);
  return FALSE;
}

gboolean
waybill_store_delete_order (WaybillStore  *self,
                            gint64         order_id,
                            GError       **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (WAYBILL_IS_STORE (self), FALSE);

  if (!waybill_store_begin (self, error))
    return FALSE;

  stmt = prepare (self, "DELETE FROM orders WHERE id = ?", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, order_id);
  if (!step_done (self, stmt, error) ||
      !check_changed (self, _("The order no longer exists"), error))
    goto failed;

  stmt = prepare (self, "DELETE FROM search WHERE rowid = ?", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, order_id);
  if (!step_done (self, stmt, error))
    goto failed;

  return waybill_store_commit (self, error);

failed:
  waybill_store_rollback (self);
  return FALSE;
}

gboolean
waybill_store_set_archived (WaybillStore  *self,
                            gint64         order_id,
                            gboolean       archived,
                            GError       **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (WAYBILL_IS_STORE (self), FALSE);

  if (!waybill_store_begin (self, error))
    return FALSE;

  stmt = prepare (self, "UPDATE orders SET archived = ?, updated = ? WHERE id = ?", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int (stmt, 1, !!archived);
  sqlite3_bind_int64 (stmt, 2, now_unix ());
  sqlite3_bind_int64 (stmt, 3, order_id);
  if (!step_done (self, stmt, error) ||
      !check_changed (self, _("The order no longer exists"), error))
    goto failed;

  return waybill_store_commit (self, error);

failed:
  waybill_store_rollback (self);
  return FALSE;
}

gboolean
waybill_store_add_shipment (WaybillStore     *self,
                            gint64            order_id,
                            WaybillShipment  *shipment,
                            GError          **error)
{
  g_return_val_if_fail (WAYBILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (WAYBILL_IS_SHIPMENT (shipment), FALSE);
  g_return_val_if_fail (waybill_shipment_get_id (shipment) == 0, FALSE);

  if (!waybill_store_begin (self, error))
    return FALSE;

  if (!insert_shipment (self, order_id, shipment, error) ||
      !refresh_order_summary (self, order_id, error))
    {
      waybill_store_rollback (self);
      waybill_shipment_set_id (shipment, 0);
      return FALSE;
    }

  if (!waybill_store_commit (self, error))
    {
      waybill_shipment_set_id (shipment, 0);
      return FALSE;
    }

  return TRUE;
}

/* Looks up the order a shipment belongs to, and its status. */
static gboolean
shipment_owner (WaybillStore   *self,
                gint64          shipment_id,
                gint64         *out_order_id,
                WaybillStatus  *out_status,
                gint64         *out_last_event,
                GError        **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare (self, "SELECT order_id, status, coalesce (last_event_at, 0) FROM shipments WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, shipment_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out_order_id = sqlite3_column_int64 (stmt, 0);
      if (out_status != NULL)
        *out_status = column_status (stmt, 1, WAYBILL_STATUS_PENDING);
      if (out_last_event != NULL)
        *out_last_event = sqlite3_column_int64 (stmt, 2);
    }
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE)
    {
      g_set_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_NOT_FOUND,
                   _("The shipment no longer exists"));
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      set_error (self, error, rc);
      return FALSE;
    }

  return TRUE;
}

/**
 * waybill_store_update_shipment:
 *
 * Saves what a person can edit on a shipment: carrier, tracking number,
 * status, estimated delivery, delivered time and delayed flag.
 */
gboolean
waybill_store_update_shipment (WaybillStore     *self,
                               WaybillShipment  *shipment,
                               GError          **error)
{
  g_autofree char *tracking = NULL;
  sqlite3_stmt *stmt;
  gint64 order_id = 0;
  int rc;

  g_return_val_if_fail (WAYBILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (WAYBILL_IS_SHIPMENT (shipment), FALSE);

  tracking = squeeze_tracking_number (waybill_shipment_get_tracking_number (shipment) ?: "");
  if (*tracking == '\0')
    {
      g_set_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_INVALID,
                   _("A shipment needs a tracking number"));
      return FALSE;
    }

  if (!waybill_store_begin (self, error))
    return FALSE;

  if (!shipment_owner (self, waybill_shipment_get_id (shipment), &order_id, NULL, NULL, error))
    goto failed;

  stmt = prepare (self,
                  "UPDATE shipments SET carrier = ?, tracking_number = ?, status = ?, "
                  "  sub_status = ?, exception_reason = ?, estimated_from = ?, estimated_to = ?, "
                  "  delivered_at = ?, signed_by = ?, next_check = ?, delayed = ? "
                  "WHERE id = ?", error);
  if (stmt == NULL)
    goto failed;

  bind_text (stmt, 1, waybill_shipment_get_carrier (shipment));
  sqlite3_bind_text (stmt, 2, tracking, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, waybill_status_to_id (waybill_shipment_get_status (shipment)), -1,
                     SQLITE_STATIC);
  bind_text (stmt, 4, waybill_shipment_get_sub_status (shipment));
  bind_text (stmt, 5, waybill_exception_reason_to_id (waybill_shipment_get_exception_reason (shipment)));
  bind_time (stmt, 6, waybill_shipment_get_estimated_from (shipment));
  bind_time (stmt, 7, waybill_shipment_get_estimated_to (shipment));
  bind_time (stmt, 8, waybill_shipment_get_delivered_at (shipment));
  bind_text (stmt, 9, waybill_shipment_get_signed_by (shipment));
  bind_time (stmt, 10, waybill_shipment_get_next_check (shipment));
  sqlite3_bind_int (stmt, 11, waybill_shipment_get_delayed (shipment));
  sqlite3_bind_int64 (stmt, 12, waybill_shipment_get_id (shipment));

  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      if (is_unique_violation (self))
        g_set_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_DUPLICATE,
                     _("The order already has a shipment with tracking number %s"), tracking);
      else
        set_error (self, error, rc);
      goto failed;
    }

  if (!refresh_order_summary (self, order_id, error))
    goto failed;

  if (!waybill_store_commit (self, error))
    return FALSE;

  waybill_shipment_set_tracking_number (shipment, tracking);

  return TRUE;

failed:
  waybill_store_rollback (self);
  return FALSE;
}

gboolean
waybill_store_remove_shipment (WaybillStore  *self,
                               gint64         shipment_id,
                               GError       **error)
{
  sqlite3_stmt *stmt;
  gint64 order_id = 0;

  g_return_val_if_fail (WAYBILL_IS_STORE (self), FALSE);

  if (!waybill_store_begin (self, error))
    return FALSE;

  if (!shipment_owner (self, shipment_id, &order_id, NULL, NULL, error))
    goto failed;

  stmt = prepare (self, "DELETE FROM shipments WHERE id = ?", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, shipment_id);
  if (!step_done (self, stmt, error) ||
      !refresh_order_summary (self, order_id, error))
    goto failed;

  return waybill_store_commit (self, error);

failed:
  waybill_store_rollback (self);
  return FALSE;
}

static WaybillShipment *
get_shipment (WaybillStore  *self,
              gint64         shipment_id,
              gboolean       with_events,
              GError       **error)
{
  g_autoptr(WaybillShipment) shipment = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (WAYBILL_IS_STORE (self), NULL);

  stmt = prepare (self, "SELECT " SHIPMENT_COLUMNS " FROM shipments s WHERE s.id = ?", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, shipment_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    shipment = shipment_from_row (stmt);
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE)
    {
      g_set_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_NOT_FOUND,
                   _("The shipment no longer exists"));
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      set_error (self, error, rc);
      return NULL;
    }

  if (with_events && !waybill_store_load_events (self, shipment, error))
    return NULL;

  return g_steal_pointer (&shipment);
}

/**
 * waybill_store_get_shipment:
 *
 * Returns: (transfer full): the shipment with its events
 */
WaybillShipment *
waybill_store_get_shipment (WaybillStore  *self,
                            gint64         shipment_id,
                            GError       **error)
{
  return get_shipment (self, shipment_id, TRUE, error);
}

/**
 * waybill_store_get_shipment_without_events:
 *
 * Like waybill_store_get_shipment(), without reading its events: for
 * callers that look at the shipment's own columns only.
 */
WaybillShipment *
waybill_store_get_shipment_without_events (WaybillStore  *self,
                                           gint64         shipment_id,
                                           GError       **error)
{
  return get_shipment (self, shipment_id, FALSE, error);
}

/* A time zone per UTC offset, made once: making one parses its name. */
static GTimeZone *
zone_for_offset (WaybillStore *self,
                 gint32        offset)
{
  GTimeZone *zone = g_hash_table_lookup (self->zones, GINT_TO_POINTER (offset));

  if (zone == NULL)
    {
      zone = g_time_zone_new_offset (offset);
      g_hash_table_insert (self->zones, GINT_TO_POINTER (offset), zone);
    }

  return zone;
}

/**
 * waybill_store_load_events:
 *
 * Loads the shipment's events, newest first, into
 * waybill_shipment_get_events().
 */
gboolean
waybill_store_load_events (WaybillStore     *self,
                           WaybillShipment  *shipment,
                           GError          **error)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (WAYBILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (WAYBILL_IS_SHIPMENT (shipment), FALSE);

  stmt = prepare (self, "SELECT id, time, utc_offset, status, code, description, location "
                        "FROM tracking_events WHERE shipment_id = ? "
                        "ORDER BY time DESC, id DESC", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, waybill_shipment_get_id (shipment));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (sqlite3_column_int64 (stmt, 1));
      g_autoptr(GDateTime) time = NULL;
      gboolean is_local = sqlite3_column_type (stmt, 2) == SQLITE_NULL;
      WaybillTrackingEvent *event;

      if (is_local)
        {
          /* A carrier's local time without an offset: show it as written. */
          g_autoptr(GTimeZone) local = g_time_zone_new_local ();

          time = g_date_time_new (local,
                                  g_date_time_get_year (utc), g_date_time_get_month (utc),
                                  g_date_time_get_day_of_month (utc), g_date_time_get_hour (utc),
                                  g_date_time_get_minute (utc), g_date_time_get_second (utc));
        }
      else
        {
          time = g_date_time_to_timezone (utc, zone_for_offset (self, sqlite3_column_int (stmt, 2)));
        }

      event = waybill_tracking_event_new (time ?: utc,
                                          column_status (stmt, 3, WAYBILL_STATUS_IN_TRANSIT),
                                          column_text (stmt, 4), column_text (stmt, 5),
                                          column_text (stmt, 6));
      waybill_tracking_event_set_id (event, sqlite3_column_int64 (stmt, 0));
      waybill_tracking_event_set_time_is_local (event, is_local);
      g_ptr_array_add (events, event);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      set_error (self, error, rc);
      return FALSE;
    }

  waybill_shipment_set_events (shipment, events);

  return TRUE;
}

/* The stored time of an event: Unix seconds, or for a carrier's local
 * time, the wall-clock reading as if it were UTC. */
static gint64
event_stamp (WaybillTrackingEvent *event)
{
  GDateTime *time = waybill_tracking_event_get_time (event);
  gint64 stamp = g_date_time_to_unix (time);

  if (waybill_tracking_event_get_time_is_local (event))
    stamp += g_date_time_get_utc_offset (time) / G_USEC_PER_SEC;

  return stamp;
}

/* Inserts events, dropping the ones already stored.  For a carrier's local
 * time the wall-clock reading is stored as if it were UTC. */
static gboolean
insert_events (WaybillStore  *self,
               gint64         shipment_id,
               GPtrArray     *events,
               GError       **error)
{
  sqlite3_stmt *stmt;

  stmt = prepare (self,
                  "INSERT OR IGNORE INTO tracking_events "
                  "  (shipment_id, time, utc_offset, status, code, description, location) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; i < events->len; i++)
    {
      WaybillTrackingEvent *event = g_ptr_array_index (events, i);
      GDateTime *time = waybill_tracking_event_get_time (event);
      gint64 stamp = event_stamp (event);

      sqlite3_bind_int64 (stmt, 1, shipment_id);
      sqlite3_bind_int64 (stmt, 2, stamp);
      if (waybill_tracking_event_get_time_is_local (event))
        sqlite3_bind_null (stmt, 3);
      else
        sqlite3_bind_int64 (stmt, 3, g_date_time_get_utc_offset (time) / G_USEC_PER_SEC);
      sqlite3_bind_text (stmt, 4, waybill_status_to_id (waybill_tracking_event_get_status (event)),
                         -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, waybill_tracking_event_get_code (event) ?: "", -1,
                         SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 6, waybill_tracking_event_get_description (event) ?: "", -1,
                         SQLITE_TRANSIENT);
      bind_text (stmt, 7, waybill_tracking_event_get_location (event));
      if (!step_done (self, stmt, error))
        return FALSE;
    }

  return TRUE;
}

/* A shipment is delayed when it is not final and either past its estimated
 * delivery or silent for longer than the threshold. */
static gboolean
compute_delayed (WaybillStatus status,
                 gint64        eta,
                 gint64        last_event,
                 gint64        now,
                 gint64        threshold)
{
  if (waybill_status_is_final (status))
    return FALSE;
  if (eta > 0 && eta < now)
    return TRUE;
  if (last_event > 0 && now - last_event > threshold)
    return TRUE;

  return FALSE;
}

/* Records one result.  Adds the shipment's order to @touched when what the
 * order's summary is made of (status, delayed, estimated delivery, newest
 * event) changed; the caller brings those summaries up to date once per
 * order. */
static gboolean
record_one (WaybillStore                *self,
            gint64                       shipment_id,
            const WaybillTrackingResult *result,
            gint64                       checked,
            WaybillStatus               *out_previous,
            GArray                      *touched,
            GError                     **error)
{
  sqlite3_stmt *stmt;
  gint64 order_id;
  gint64 last_event, old_last_event;
  gint64 eta = 0, old_eta;
  gboolean delayed, old_delayed;
  WaybillStatus previous;
  int rc;

  stmt = prepare (self, "SELECT order_id, status, coalesce (last_event_at, 0), delayed, "
                        "  coalesce (estimated_to, estimated_from, 0) "
                        "FROM shipments WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, shipment_id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_NOT_FOUND,
                     _("The shipment no longer exists"));
      else
        set_error (self, error, rc);
      sqlite3_reset (stmt);
      return FALSE;
    }
  order_id = sqlite3_column_int64 (stmt, 0);
  previous = column_status (stmt, 1, WAYBILL_STATUS_PENDING);
  old_last_event = sqlite3_column_int64 (stmt, 2);
  old_delayed = sqlite3_column_int (stmt, 3) != 0;
  old_eta = sqlite3_column_int64 (stmt, 4);
  sqlite3_reset (stmt);

  if (!insert_events (self, shipment_id, result->events, error))
    return FALSE;

  /* The newest event: the stored one or a new one. */
  last_event = old_last_event;
  for (guint i = 0; i < result->events->len; i++)
    last_event = MAX (last_event, event_stamp (g_ptr_array_index (result->events, i)));

  if (result->estimated_to != NULL)
    eta = g_date_time_to_unix (result->estimated_to);
  else if (result->estimated_from != NULL)
    eta = g_date_time_to_unix (result->estimated_from);
  delayed = compute_delayed (result->status, eta, last_event, checked, self->delay_threshold);

  /* No index holds these columns: the update touches the row alone. */
  stmt = prepare (self,
                  "UPDATE shipments SET status = ?, sub_status = ?, exception_reason = ?, "
                  "  estimated_from = ?, estimated_to = ?, delivered_at = ?, signed_by = ?, "
                  "  last_event_at = ?, last_checked = ?, failure_count = 0, last_error = NULL, "
                  "  delayed = ? "
                  "WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, waybill_status_to_id (result->status), -1, SQLITE_STATIC);
  bind_text (stmt, 2, result->sub_status);
  bind_text (stmt, 3, waybill_exception_reason_to_id (result->exception_reason));
  bind_time (stmt, 4, result->estimated_from);
  bind_time (stmt, 5, result->estimated_to);
  bind_time (stmt, 6, result->delivered_at);
  bind_text (stmt, 7, result->signed_by);
  if (last_event > 0)
    sqlite3_bind_int64 (stmt, 8, last_event);
  sqlite3_bind_int64 (stmt, 9, checked);
  sqlite3_bind_int (stmt, 10, delayed);
  sqlite3_bind_int64 (stmt, 11, shipment_id);
  if (!step_done (self, stmt, error))
    return FALSE;

  if (result->status != previous || delayed != old_delayed || eta != old_eta ||
      last_event != old_last_event)
    g_array_append_val (touched, order_id);

  if (out_previous != NULL)
    *out_previous = previous;

  return TRUE;
}

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/**
 * waybill_store_record_results:
 * @n_results: the number of results
 * @shipment_ids: (array length=n_results): the shipments
 * @results: (array length=n_results): what the carriers said
 * @checked_at: (nullable): when they said it; %NULL for now
 * @out_previous: (out caller-allocates) (array length=n_results) (optional):
 *   each shipment's status before
 *
 * Records a batch of tracking results in one transaction: all of them are
 * saved, or none.
 */
gboolean
waybill_store_record_results (WaybillStore                 *self,
                              guint                         n_results,
                              const gint64                 *shipment_ids,
                              WaybillTrackingResult * const *results,
                              GDateTime                    *checked_at,
                              WaybillStatus                *out_previous,
                              GError                      **error)
{
  g_autoptr(GArray) touched = NULL;
  gint64 checked;

  g_return_val_if_fail (WAYBILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (n_results == 0 || (shipment_ids != NULL && results != NULL), FALSE);

  checked = checked_at != NULL ? g_date_time_to_unix (checked_at) : now_unix ();

  for (guint i = 0; i < n_results; i++)
    g_return_val_if_fail (results[i] != NULL, FALSE);

  if (!waybill_store_begin (self, error))
    return FALSE;

  touched = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; i < n_results; i++)
    if (!record_one (self, shipment_ids[i], results[i], checked,
                     out_previous != NULL ? &out_previous[i] : NULL, touched, error))
      goto failed;

  /* Each order's summary once, however many of its shipments the batch
   * has, in id order (neighbours in the table and its indexes). */
  g_array_sort (touched, compare_int64);
  for (guint i = 0; i < touched->len; i++)
    {
      gint64 order_id = g_array_index (touched, gint64, i);

      if (i > 0 && order_id == g_array_index (touched, gint64, i - 1))
        continue;
      if (!refresh_order_status (self, order_id, error))
        goto failed;
    }

  return waybill_store_commit (self, error);

failed:
  waybill_store_rollback (self);
  return FALSE;
}

gboolean
waybill_store_record_result (WaybillStore                *self,
                             gint64                       shipment_id,
                             const WaybillTrackingResult *result,
                             GDateTime                   *checked_at,
                             WaybillStatus               *out_previous,
                             GError                     **error)
{
  WaybillTrackingResult *results[1] = { (WaybillTrackingResult *) result };

  g_return_val_if_fail (result != NULL, FALSE);

  return waybill_store_record_results (self, 1, &shipment_id, results, checked_at,
                                       out_previous, error);
}

/**
 * waybill_store_add_event:
 *
 * Adds an event by hand (for couriers without an API).  When it is the
 * newest event, the shipment takes its status.
 */
gboolean
waybill_store_add_event (WaybillStore          *self,
                         gint64                 shipment_id,
                         WaybillTrackingEvent  *event,
                         GError               **error)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new ();
  sqlite3_stmt *stmt;
  gint64 order_id = 0;

  g_return_val_if_fail (WAYBILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (WAYBILL_IS_TRACKING_EVENT (event), FALSE);

  g_ptr_array_add (events, event);

  if (!waybill_store_begin (self, error))
    return FALSE;

  if (!shipment_owner (self, shipment_id, &order_id, NULL, NULL, error) ||
      !insert_events (self, shipment_id, events, error))
    goto failed;

  stmt = prepare (self,
                  "UPDATE shipments SET status = ?1, last_event_at = ?2, "
                  "  delivered_at = CASE WHEN ?1 = 'delivered' THEN ?2 ELSE delivered_at END "
                  "WHERE id = ?3 AND coalesce (last_event_at, 0) <= ?2", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, waybill_status_to_id (waybill_tracking_event_get_status (event)), -1,
                     SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, g_date_time_to_unix (waybill_tracking_event_get_time (event)));
  sqlite3_bind_int64 (stmt, 3, shipment_id);
  if (!step_done (self, stmt, error) ||
      !refresh_order_summary (self, order_id, error))
    goto failed;

  return waybill_store_commit (self, error);

failed:
  waybill_store_rollback (self);
  return FALSE;
}

gboolean
waybill_store_record_failure (WaybillStore  *self,
                              gint64         shipment_id,
                              const char    *message,
                              GDateTime     *checked_at,
                              GError       **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (WAYBILL_IS_STORE (self), FALSE);

  if (!waybill_store_begin (self, error))
    return FALSE;

  stmt = prepare (self, "UPDATE shipments SET last_checked = ?, last_error = ?, "
                        "  failure_count = failure_count + 1 WHERE id = ?", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, checked_at != NULL ? g_date_time_to_unix (checked_at) : now_unix ());
  bind_text (stmt, 2, message);
  sqlite3_bind_int64 (stmt, 3, shipment_id);
  if (!step_done (self, stmt, error) ||
      !check_changed (self, _("The shipment no longer exists"), error))
    goto failed;

  return waybill_store_commit (self, error);

failed:
  waybill_store_rollback (self);
  return FALSE;
}

/**
 * waybill_store_mark_announced:
 * @out_was_new: (out) (optional): %FALSE when this change had already been
 *   announced
 *
 * Notes that the change of @shipment_id to @status was announced, so that
 * it is announced once, also across restarts and processes.  What is
 * recorded is the shipment's latest change of status (its status_seq), not
 * the status alone: when the status comes back later (out for delivery
 * again after a failed attempt), that is a new change, announced again.
 */
static gboolean
mark_announced (WaybillStore  *self,
                gint64         shipment_id,
                const char    *what,
                gboolean       per_change,
                gboolean      *out_was_new,
                GError       **error)
{
  sqlite3_stmt *stmt;
  int rc;

  /* A shipment that is gone gives status_seq 0 here and then fails the
   * foreign key, which says so below. */
  stmt = prepare (self, "INSERT OR IGNORE INTO notifications "
                        "  (shipment_id, status, status_seq, announced_at) "
                        "VALUES (?1, ?2, "
                        "  CASE WHEN ?4 THEN coalesce ((SELECT status_seq FROM shipments "
                        "                               WHERE id = ?1), 0) "
                        "       ELSE 0 END, ?3)", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, shipment_id);
  sqlite3_bind_text (stmt, 2, what, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, now_unix ());
  sqlite3_bind_int (stmt, 4, per_change);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      if (sqlite3_extended_errcode (self->db) == SQLITE_CONSTRAINT_FOREIGNKEY)
        g_set_error (error, WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_NOT_FOUND,
                     _("The shipment no longer exists"));
      else
        set_error (self, error, rc);
      return FALSE;
    }

  if (out_was_new != NULL)
    *out_was_new = sqlite3_changes (self->db) > 0;

  return TRUE;
}

gboolean
waybill_store_mark_announced (WaybillStore   *self,
                              gint64          shipment_id,
                              WaybillStatus   status,
                              gboolean       *out_was_new,
                              GError        **error)
{
  g_return_val_if_fail (WAYBILL_IS_STORE (self), FALSE);

  return mark_announced (self, shipment_id, waybill_status_to_id (status), TRUE, out_was_new, error);
}

/**
 * waybill_store_mark_delay_announced:
 * @out_was_new: (out) (optional): %FALSE when the delay had already been
 *   announced
 *
 * Like waybill_store_mark_announced(), for a shipment becoming delayed: a
 * delay is a flag beside the status, announced once per shipment.
 */
gboolean
waybill_store_mark_delay_announced (WaybillStore  *self,
                                    gint64         shipment_id,
                                    gboolean      *out_was_new,
                                    GError       **error)
{
  g_return_val_if_fail (WAYBILL_IS_STORE (self), FALSE);

  return mark_announced (self, shipment_id, "delayed", FALSE, out_was_new, error);
}

/**
 * waybill_store_list_due_shipments:
 * @now: (nullable): the time to compare with; %NULL for now
 * @all_active: list every shipment still on its way, due or not
 * @limit: the most shipments to return
 *
 * The shipments the refresher should ask about: not in a final status,
 * of an order that is not archived or cancelled, and due (never checked,
 * or their next check has come).  Those due longest come first.
 *
 * Returns: (transfer container) (element-type WaybillShipment): the
 *   shipments, without events
 */
GPtrArray *
waybill_store_list_due_shipments (WaybillStore  *self,
                                  GDateTime     *now,
                                  gboolean       all_active,
                                  guint          limit,
                                  GError       **error)
{
  g_autoptr(GPtrArray) shipments = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (WAYBILL_IS_STORE (self), NULL);

  stmt = prepare (self,
                  "SELECT " SHIPMENT_COLUMNS " FROM shipments s JOIN orders o ON o.id = s.order_id "
                  "WHERE s.status NOT IN ('delivered', 'returned', 'expired') "
                  "  AND o.archived = 0 AND o.stage != 'cancelled' "
                  "  AND (?1 OR s.next_check IS NULL OR s.next_check <= ?2) "
                  "ORDER BY s.next_check IS NOT NULL, s.next_check, s.id LIMIT ?3", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int (stmt, 1, !!all_active);
  sqlite3_bind_int64 (stmt, 2, now != NULL ? g_date_time_to_unix (now) : now_unix ());
  sqlite3_bind_int64 (stmt, 3, limit);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (shipments, shipment_from_row (stmt));
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      set_error (self, error, rc);
      return NULL;
    }

  return g_steal_pointer (&shipments);
}

/**
 * waybill_store_schedule_shipment:
 * @next_check: (nullable): when to ask again; %NULL for never
 *
 * Sets when the refresher asks about the shipment next.  Inside a
 * transaction of the caller it is part of it.
 */
gboolean
waybill_store_schedule_shipment (WaybillStore  *self,
                                 gint64         shipment_id,
                                 GDateTime     *next_check,
                                 GError       **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (WAYBILL_IS_STORE (self), FALSE);

  stmt = prepare (self, "UPDATE shipments SET next_check = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;

  bind_time (stmt, 1, next_check);
  sqlite3_bind_int64 (stmt, 2, shipment_id);
  if (!step_done (self, stmt, error))
    return FALSE;

  return check_changed (self, _("The shipment no longer exists"), error);
}

/**
 * waybill_store_set_delay_threshold:
 * @seconds: how long a parcel may go without a new event before it counts
 *   as delayed
 *
 * Used when tracking results are recorded (the delay-threshold-days
 * setting).
 */
void
waybill_store_set_delay_threshold (WaybillStore *self,
                                   guint         seconds)
{
  g_return_if_fail (WAYBILL_IS_STORE (self));
  g_return_if_fail (seconds > 0);

  self->delay_threshold = seconds;
}

guint
waybill_store_get_delay_threshold (WaybillStore *self)
{
  g_return_val_if_fail (WAYBILL_IS_STORE (self), 0);

  return (guint) self->delay_threshold;
}
