/* waybill-clock.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-clock"

#include "config.h"

#include "waybill-clock.h"

/**
 * WaybillClock:
 *
 * Where the refresher reads the time and waits.  The system clock reads
 * the wall clock and waits with main-context timeouts; a manual clock
 * (for tests and benchmarks) stands still until waybill_clock_advance()
 * moves it, firing the timeouts that fall due on the way, so that hours of
 * schedule run in milliseconds.
 */
struct _WaybillClock
{
  GObject     parent_instance;

  gboolean    manual;
  gint64      now_usec;
  guint       next_id;
  /* id -> Timeout */
  GHashTable *timeouts;
};

G_DEFINE_FINAL_TYPE (WaybillClock, waybill_clock, G_TYPE_OBJECT)

typedef struct
{
  WaybillClock     *clock;
  guint             id;
  gint64            deadline_usec;
  guint             source_id;
  WaybillClockFunc  func;
  gpointer          user_data;
  GDestroyNotify    destroy;
} Timeout;

static void
timeout_free (Timeout *timeout)
{
  if (timeout->destroy != NULL)
    timeout->destroy (timeout->user_data);
  g_free (timeout);
}

static void
waybill_clock_finalize (GObject *object)
{
  WaybillClock *self = WAYBILL_CLOCK (object);
  GHashTableIter iter;
  Timeout *timeout;

  g_hash_table_iter_init (&iter, self->timeouts);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &timeout))
    g_clear_handle_id (&timeout->source_id, g_source_remove);
  g_hash_table_unref (self->timeouts);

  G_OBJECT_CLASS (waybill_clock_parent_class)->finalize (object);
}

static void
waybill_clock_class_init (WaybillClockClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = waybill_clock_finalize;
}

static void
waybill_clock_init (WaybillClock *self)
{
  self->timeouts = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) timeout_free);
}

/**
 * waybill_clock_new:
 *
 * Returns: (transfer full): the system clock
 */
WaybillClock *
waybill_clock_new (void)
{
  return g_object_new (WAYBILL_TYPE_CLOCK, NULL);
}

/**
 * waybill_clock_new_manual:
 * @start: the time it shows until it is advanced
 *
 * Returns: (transfer full): a clock that moves only when told
 */
WaybillClock *
waybill_clock_new_manual (GDateTime *start)
{
  WaybillClock *self;

  g_return_val_if_fail (start != NULL, NULL);

  self = g_object_new (WAYBILL_TYPE_CLOCK, NULL);
  self->manual = TRUE;
  self->now_usec = g_date_time_to_unix (start) * G_USEC_PER_SEC +
                   g_date_time_get_microsecond (start);

  return self;
}

gboolean
waybill_clock_is_manual (WaybillClock *self)
{
  g_return_val_if_fail (WAYBILL_IS_CLOCK (self), FALSE);

  return self->manual;
}

/**
 * waybill_clock_get_now_usec:
 *
 * Returns: the time in microseconds since the Unix epoch
 */
gint64
waybill_clock_get_now_usec (WaybillClock *self)
{
  g_return_val_if_fail (WAYBILL_IS_CLOCK (self), 0);

  return self->manual ? self->now_usec : g_get_real_time ();
}

/**
 * waybill_clock_get_now:
 *
 * Returns: (transfer full): the time, in UTC
 */
GDateTime *
waybill_clock_get_now (WaybillClock *self)
{
  g_autoptr(GDateTime) seconds = NULL;
  gint64 usec;

  g_return_val_if_fail (WAYBILL_IS_CLOCK (self), NULL);

  usec = waybill_clock_get_now_usec (self);
  seconds = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);

  return g_date_time_add (seconds, usec % G_USEC_PER_SEC);
}

static gboolean
system_timeout_cb (gpointer user_data)
{
  Timeout *timeout = user_data;
  WaybillClock *self = timeout->clock;

  timeout->source_id = 0;
  g_hash_table_steal (self->timeouts, GUINT_TO_POINTER (timeout->id));
  timeout->func (timeout->user_data);
  timeout_free (timeout);

  return G_SOURCE_REMOVE;
}

/**
 * waybill_clock_add_timeout:
 * @delay_usec: how long to wait, in microseconds; 0 or less for the next
 *   main-context iteration (the next advance of a manual clock)
 * @func: what to call, once
 * @destroy: (nullable): frees @user_data after @func ran or the timeout
 *   was removed
 *
 * Returns: an id for waybill_clock_remove(), never 0
 */
guint
waybill_clock_add_timeout (WaybillClock     *self,
                           gint64            delay_usec,
                           WaybillClockFunc  func,
                           gpointer          user_data,
                           GDestroyNotify    destroy)
{
  Timeout *timeout;

  g_return_val_if_fail (WAYBILL_IS_CLOCK (self), 0);
  g_return_val_if_fail (func != NULL, 0);

  delay_usec = MAX (delay_usec, 0);

  timeout = g_new0 (Timeout, 1);
  timeout->clock = self;
  do
    timeout->id = ++self->next_id;
  while (timeout->id == 0 || g_hash_table_contains (self->timeouts, GUINT_TO_POINTER (timeout->id)));
  timeout->deadline_usec = waybill_clock_get_now_usec (self) + delay_usec;
  timeout->func = func;
  timeout->user_data = user_data;
  timeout->destroy = destroy;
  g_hash_table_insert (self->timeouts, GUINT_TO_POINTER (timeout->id), timeout);

  if (!self->manual)
    {
      guint64 ms = ((guint64) delay_usec + 999) / 1000;

      timeout->source_id = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) MIN (ms, G_MAXUINT),
                                               system_timeout_cb, timeout, NULL);
    }

  return timeout->id;
}

/**
 * waybill_clock_remove:
 * @id: an id from waybill_clock_add_timeout() that has not fired
 *
 * Removes a timeout that has not fired yet.
 */
void
waybill_clock_remove (WaybillClock *self,
                      guint         id)
{
  Timeout *timeout;

  g_return_if_fail (WAYBILL_IS_CLOCK (self));

  timeout = g_hash_table_lookup (self->timeouts, GUINT_TO_POINTER (id));
  g_return_if_fail (timeout != NULL);

  g_clear_handle_id (&timeout->source_id, g_source_remove);
  g_hash_table_remove (self->timeouts, GUINT_TO_POINTER (id));
}

static Timeout *
earliest (WaybillClock *self)
{
  GHashTableIter iter;
  Timeout *timeout;
  Timeout *first = NULL;

  g_hash_table_iter_init (&iter, self->timeouts);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &timeout))
    if (first == NULL || timeout->deadline_usec < first->deadline_usec ||
        (timeout->deadline_usec == first->deadline_usec && timeout->id < first->id))
      first = timeout;

  return first;
}

/**
 * waybill_clock_advance:
 * @usec: how far, in microseconds, 0 or more
 *
 * Moves a manual clock forward.  The timeouts that fall due on the way
 * fire in the order of their deadlines, each seeing the clock at its
 * deadline, also those added by a timeout that fired.
 */
void
waybill_clock_advance (WaybillClock *self,
                       gint64        usec)
{
  gint64 target;
  Timeout *timeout;

  g_return_if_fail (WAYBILL_IS_CLOCK (self));
  g_return_if_fail (self->manual);
  g_return_if_fail (usec >= 0);

  g_object_ref (self);
  target = self->now_usec + usec;

  while ((timeout = earliest (self)) != NULL && timeout->deadline_usec <= target)
    {
      self->now_usec = MAX (self->now_usec, timeout->deadline_usec);
      g_hash_table_steal (self->timeouts, GUINT_TO_POINTER (timeout->id));
      timeout->func (timeout->user_data);
      timeout_free (timeout);
    }

  self->now_usec = target;
  g_object_unref (self);
}

/**
 * waybill_clock_get_next_deadline:
 * @out_usec: (out) (optional): when the next timeout is due, in
 *   microseconds since the epoch
 *
 * Returns: %TRUE when a timeout is waiting
 */
gboolean
waybill_clock_get_next_deadline (WaybillClock *self,
                                 gint64       *out_usec)
{
  Timeout *first;

  g_return_val_if_fail (WAYBILL_IS_CLOCK (self), FALSE);

  first = earliest (self);
  if (first == NULL)
    return FALSE;

  if (out_usec != NULL)
    *out_usec = first->deadline_usec;

  return TRUE;
}

guint
waybill_clock_get_n_timeouts (WaybillClock *self)
{
  g_return_val_if_fail (WAYBILL_IS_CLOCK (self), 0);

  return g_hash_table_size (self->timeouts);
}
