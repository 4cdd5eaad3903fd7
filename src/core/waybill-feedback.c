/* waybill-feedback.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-feedback"

#include "config.h"

#include <glib/gi18n.h>

#include "waybill-feedback.h"

/* What a customer said about an order: a rating of 1 to 5 stars, a
 * comment, when, and where it came from.  The order's number and customer
 * ride along for lists, so that a list of feedback needs no second query. */
struct _WaybillFeedback
{
  GObject                parent_instance;

  gint64                 id;
  gint64                 order_id;
  guint                  rating;
  char                  *comment;
  GDateTime             *given_at;
  WaybillFeedbackSource  source;
  char                  *order_number;
  char                  *customer;
};

G_DEFINE_FINAL_TYPE (WaybillFeedback, waybill_feedback, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RATING,
  PROP_COMMENT,
  PROP_ORDER_NUMBER,
  PROP_CUSTOMER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
waybill_feedback_finalize (GObject *object)
{
  WaybillFeedback *self = (WaybillFeedback *)object;

  g_clear_pointer (&self->comment, g_free);
  g_clear_pointer (&self->given_at, g_date_time_unref);
  g_clear_pointer (&self->order_number, g_free);
  g_clear_pointer (&self->customer, g_free);

  G_OBJECT_CLASS (waybill_feedback_parent_class)->finalize (object);
}

static void
waybill_feedback_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  WaybillFeedback *self = WAYBILL_FEEDBACK (object);

  switch (prop_id)
    {
    case PROP_RATING:
      g_value_set_uint (value, self->rating);
      break;
    case PROP_COMMENT:
      g_value_set_string (value, self->comment);
      break;
    case PROP_ORDER_NUMBER:
      g_value_set_string (value, self->order_number);
      break;
    case PROP_CUSTOMER:
      g_value_set_string (value, self->customer);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
waybill_feedback_class_init (WaybillFeedbackClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = waybill_feedback_finalize;
  object_class->get_property = waybill_feedback_get_property;

  properties[PROP_RATING] =
    g_param_spec_uint ("rating", NULL, NULL,
                       0, WAYBILL_FEEDBACK_MAX_RATING, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMMENT] =
    g_param_spec_string ("comment", NULL, NULL, "",
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ORDER_NUMBER] =
    g_param_spec_string ("order-number", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CUSTOMER] =
    g_param_spec_string ("customer", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
waybill_feedback_init (WaybillFeedback *self)
{
  self->comment = g_strdup ("");
}

/**
 * waybill_feedback_new:
 * @order_id: the order's id in the store
 * @rating: 1 to 5 (the store refuses anything else)
 * @comment: (nullable): what the customer said
 * @given_at: (nullable): when; %NULL for now
 * @source: typed in or imported
 *
 * Returns: (transfer full): new feedback, not yet stored
 */
WaybillFeedback *
waybill_feedback_new (gint64                 order_id,
                      guint                  rating,
                      const char            *comment,
                      GDateTime             *given_at,
                      WaybillFeedbackSource  source)
{
  WaybillFeedback *self;

  g_return_val_if_fail (source < WAYBILL_N_FEEDBACK_SOURCES, NULL);

  self = g_object_new (WAYBILL_TYPE_FEEDBACK, NULL);
  self->order_id = order_id;
  self->rating = rating;
  g_free (self->comment);
  self->comment = g_strstrip (g_strdup (comment != NULL ? comment : ""));
  self->given_at = given_at != NULL ? g_date_time_ref (given_at) : g_date_time_new_now_utc ();
  self->source = source;

  return self;
}

gint64
waybill_feedback_get_id (WaybillFeedback *self)
{
  g_return_val_if_fail (WAYBILL_IS_FEEDBACK (self), 0);

  return self->id;
}

void
waybill_feedback_set_id (WaybillFeedback *self,
                         gint64           id)
{
  g_return_if_fail (WAYBILL_IS_FEEDBACK (self));

  self->id = id;
}

gint64
waybill_feedback_get_order_id (WaybillFeedback *self)
{
  g_return_val_if_fail (WAYBILL_IS_FEEDBACK (self), 0);

  return self->order_id;
}

guint
waybill_feedback_get_rating (WaybillFeedback *self)
{
  g_return_val_if_fail (WAYBILL_IS_FEEDBACK (self), 0);

  return self->rating;
}

const char *
waybill_feedback_get_comment (WaybillFeedback *self)
{
  g_return_val_if_fail (WAYBILL_IS_FEEDBACK (self), NULL);

  return self->comment;
}

GDateTime *
waybill_feedback_get_given_at (WaybillFeedback *self)
{
  g_return_val_if_fail (WAYBILL_IS_FEEDBACK (self), NULL);

  return self->given_at;
}

WaybillFeedbackSource
waybill_feedback_get_source (WaybillFeedback *self)
{
  g_return_val_if_fail (WAYBILL_IS_FEEDBACK (self), WAYBILL_FEEDBACK_SOURCE_STAFF);

  return self->source;
}

const char *
waybill_feedback_get_order_number (WaybillFeedback *self)
{
  g_return_val_if_fail (WAYBILL_IS_FEEDBACK (self), NULL);

  return self->order_number;
}

const char *
waybill_feedback_get_customer (WaybillFeedback *self)
{
  g_return_val_if_fail (WAYBILL_IS_FEEDBACK (self), NULL);

  return self->customer;
}

void
waybill_feedback_set_order (WaybillFeedback *self,
                            const char      *order_number,
                            const char      *customer)
{
  g_return_if_fail (WAYBILL_IS_FEEDBACK (self));

  if (g_strcmp0 (self->order_number, order_number) != 0)
    {
      g_free (self->order_number);
      self->order_number = g_strdup (order_number);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORDER_NUMBER]);
    }
  if (g_strcmp0 (self->customer, customer) != 0)
    {
      g_free (self->customer);
      self->customer = g_strdup (customer);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CUSTOMER]);
    }
}

const char *
waybill_feedback_source_to_id (WaybillFeedbackSource source)
{
  switch (source)
    {
    case WAYBILL_FEEDBACK_SOURCE_SURVEY:
      return "survey";
    case WAYBILL_FEEDBACK_SOURCE_STAFF:
    case WAYBILL_N_FEEDBACK_SOURCES:
    default:
      return "staff";
    }
}

WaybillFeedbackSource
waybill_feedback_source_from_id (const char *id)
{
  return g_strcmp0 (id, "survey") == 0 ? WAYBILL_FEEDBACK_SOURCE_SURVEY
                                       : WAYBILL_FEEDBACK_SOURCE_STAFF;
}

/**
 * waybill_feedback_source_get_label:
 *
 * Returns: where feedback came from, in words: "Entered by staff", "Survey"
 */
const char *
waybill_feedback_source_get_label (WaybillFeedbackSource source)
{
  switch (source)
    {
    case WAYBILL_FEEDBACK_SOURCE_SURVEY:
      /* Translators: where a customer's feedback came from */
      return _("Survey");
    case WAYBILL_FEEDBACK_SOURCE_STAFF:
    case WAYBILL_N_FEEDBACK_SOURCES:
    default:
      /* Translators: where a customer's feedback came from */
      return _("Entered by staff");
    }
}
