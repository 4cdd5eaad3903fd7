/* waybill-feedback-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "waybill-store.h"

G_BEGIN_DECLS

#define WAYBILL_TYPE_FEEDBACK_WINDOW (waybill_feedback_window_get_type ())

G_DECLARE_FINAL_TYPE (WaybillFeedbackWindow, waybill_feedback_window, WAYBILL, FEEDBACK_WINDOW, AdwWindow)

WaybillFeedbackWindow *waybill_feedback_window_new         (GtkWindow             *parent,
                                                            WaybillStore          *store);
GListModel            *waybill_feedback_window_get_model   (WaybillFeedbackWindow *self);
const char            *waybill_feedback_window_get_summary (WaybillFeedbackWindow *self);
void                   waybill_feedback_window_import_file (WaybillFeedbackWindow *self,
                                                            GFile                 *file);
gboolean               waybill_feedback_window_is_importing (WaybillFeedbackWindow *self);

G_END_DECLS
