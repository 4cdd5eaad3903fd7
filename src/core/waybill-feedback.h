/* waybill-feedback.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "waybill-store.h"

G_BEGIN_DECLS

/**
 * WaybillFeedbackSource:
 * @WAYBILL_FEEDBACK_SOURCE_STAFF: typed in by staff (after a call, a chat)
 * @WAYBILL_FEEDBACK_SOURCE_SURVEY: an answer imported from a survey's CSV
 */
typedef enum
{
  WAYBILL_FEEDBACK_SOURCE_STAFF,
  WAYBILL_FEEDBACK_SOURCE_SURVEY,
  WAYBILL_N_FEEDBACK_SOURCES,
} WaybillFeedbackSource;

#define WAYBILL_FEEDBACK_MIN_RATING 1
#define WAYBILL_FEEDBACK_MAX_RATING 5

#define WAYBILL_TYPE_FEEDBACK (waybill_feedback_get_type ())

G_DECLARE_FINAL_TYPE (WaybillFeedback, waybill_feedback, WAYBILL, FEEDBACK, GObject)

WaybillFeedback      *waybill_feedback_new              (gint64                 order_id,
                                                         guint                  rating,
                                                         const char            *comment,
                                                         GDateTime             *given_at,
                                                         WaybillFeedbackSource  source);
gint64                waybill_feedback_get_id           (WaybillFeedback       *self);
void                  waybill_feedback_set_id           (WaybillFeedback       *self,
                                                         gint64                 id);
gint64                waybill_feedback_get_order_id     (WaybillFeedback       *self);
guint                 waybill_feedback_get_rating       (WaybillFeedback       *self);
const char           *waybill_feedback_get_comment      (WaybillFeedback       *self);
GDateTime            *waybill_feedback_get_given_at     (WaybillFeedback       *self);
WaybillFeedbackSource waybill_feedback_get_source       (WaybillFeedback       *self);
/* Filled by the store's lists, for display */
const char           *waybill_feedback_get_order_number (WaybillFeedback       *self);
const char           *waybill_feedback_get_customer     (WaybillFeedback       *self);
void                  waybill_feedback_set_order        (WaybillFeedback       *self,
                                                         const char            *order_number,
                                                         const char            *customer);

const char           *waybill_feedback_source_to_id     (WaybillFeedbackSource  source);
WaybillFeedbackSource waybill_feedback_source_from_id   (const char            *id);
const char           *waybill_feedback_source_get_label (WaybillFeedbackSource  source);

/* The store's feedback table (waybill-store-feedback.c). */
gboolean              waybill_store_add_feedback        (WaybillStore          *store,
                                                         WaybillFeedback       *feedback,
                                                         gboolean              *out_was_new,
                                                         GError               **error);
gboolean              waybill_store_delete_feedback     (WaybillStore          *store,
                                                         gint64                 feedback_id,
                                                         GError               **error);
GPtrArray            *waybill_store_list_feedback       (WaybillStore          *store,
                                                         GDateTime             *since,
                                                         GError               **error);
GPtrArray            *waybill_store_list_order_feedback (WaybillStore          *store,
                                                         gint64                 order_id,
                                                         GError               **error);

/* Survey answers from CSV (waybill-feedback-import.c). */
typedef struct
{
  guint  added;
  guint  duplicates;
  /* "Line 4: the rating “7” is not between 1 and 5", one per broken row */
  GPtrArray *problems;
} WaybillFeedbackImportReport;

WaybillFeedbackImportReport *waybill_feedback_import       (WaybillStore   *store,
                                                            GInputStream   *stream,
                                                            GCancellable   *cancellable,
                                                            GError        **error);
void                         waybill_feedback_import_file_async
                                                           (const char          *database_path,
                                                            GFile               *file,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
WaybillFeedbackImportReport *waybill_feedback_import_file_finish
                                                           (GAsyncResult        *result,
                                                            GError             **error);
void                         waybill_feedback_import_report_free
                                                           (WaybillFeedbackImportReport *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WaybillFeedbackImportReport, waybill_feedback_import_report_free)

G_END_DECLS
