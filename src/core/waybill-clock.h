/* waybill-clock.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * WaybillClockFunc:
 * @user_data: the data given to waybill_clock_add_timeout()
 *
 * Called once, when a timeout is due.
 */
typedef void (*WaybillClockFunc) (gpointer user_data);

#define WAYBILL_TYPE_CLOCK (waybill_clock_get_type ())

G_DECLARE_FINAL_TYPE (WaybillClock, waybill_clock, WAYBILL, CLOCK, GObject)

WaybillClock *waybill_clock_new               (void);
WaybillClock *waybill_clock_new_manual        (GDateTime        *start);
gboolean      waybill_clock_is_manual         (WaybillClock     *self);

gint64        waybill_clock_get_now_usec      (WaybillClock     *self);
GDateTime    *waybill_clock_get_now           (WaybillClock     *self);

guint         waybill_clock_add_timeout       (WaybillClock     *self,
                                               gint64            delay_usec,
                                               WaybillClockFunc  func,
                                               gpointer          user_data,
                                               GDestroyNotify    destroy);
void          waybill_clock_remove            (WaybillClock     *self,
                                               guint             id);

/* Manual clocks only */
void          waybill_clock_advance           (WaybillClock     *self,
                                               gint64            usec);
gboolean      waybill_clock_get_next_deadline (WaybillClock     *self,
                                               gint64           *out_usec);
guint         waybill_clock_get_n_timeouts    (WaybillClock     *self);

G_END_DECLS
