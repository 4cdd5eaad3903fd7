/* waybill-feedback-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define WAYBILL_TYPE_FEEDBACK_DIALOG (waybill_feedback_dialog_get_type ())

G_DECLARE_FINAL_TYPE (WaybillFeedbackDialog, waybill_feedback_dialog, WAYBILL, FEEDBACK_DIALOG, AdwMessageDialog)

GtkWidget *waybill_feedback_dialog_new         (GtkWindow             *parent,
                                                const char            *order_number);
guint      waybill_feedback_dialog_get_rating  (WaybillFeedbackDialog *self);
void       waybill_feedback_dialog_set_rating  (WaybillFeedbackDialog *self,
                                                guint                  rating);
char      *waybill_feedback_dialog_get_comment (WaybillFeedbackDialog *self);

G_END_DECLS
