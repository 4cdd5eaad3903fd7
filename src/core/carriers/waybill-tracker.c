/* waybill-tracker.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-tracker"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "waybill-tracker-private.h"

/* WaybillTracker is one tracking API (a carrier's own, or an aggregator):
 * where it lives, what it needs, how fast it may be asked, and how to ask
 * it.  The subclasses only build requests and read answers; this class owns
 * the session, the origin, the credentials and the batching. */
typedef struct
{
  SoupSession        *session;
  char               *base_url;
  guint               timeout_ms;
  WaybillCredentials *credentials;
  /* number -> Waybill carrier id, for the APIs that serve many carriers */
  GHashTable         *carrier_hints;
} WaybillTrackerPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (WaybillTracker, waybill_tracker, G_TYPE_OBJECT)

G_DEFINE_QUARK (waybill-tracker-error-quark, waybill_tracker_error)

G_DEFINE_BOXED_TYPE (WaybillTrackingReply, waybill_tracking_reply,
                     waybill_tracking_reply_copy, waybill_tracking_reply_free)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_BATCH_SIZE,
  PROP_REQUESTS_PER_SECOND,
  PROP_BASE_URL,
  PROP_SESSION,
  PROP_TIMEOUT_MS,
  PROP_CREDENTIALS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- Replies ---------------------------------------------------------- */

/**
 * waybill_tracking_reply_new_result:
 * @number: the tracking number
 * @result: (transfer full): the answer
 *
 * Returns: (transfer full): a new reply
 */
WaybillTrackingReply *
waybill_tracking_reply_new_result (const char            *number,
                                   WaybillTrackingResult *result)
{
  WaybillTrackingReply *self;

  g_return_val_if_fail (number != NULL, NULL);
  g_return_val_if_fail (result != NULL, NULL);

  self = g_new0 (WaybillTrackingReply, 1);
  self->number = g_strdup (number);
  self->result = result;

  return self;
}

/**
 * waybill_tracking_reply_new_error:
 * @number: the tracking number
 * @error: why there is no answer; copied
 * @retry_after_seconds: how long the API asked to wait, or 0
 *
 * Returns: (transfer full): a new reply
 */
WaybillTrackingReply *
waybill_tracking_reply_new_error (const char   *number,
                                  const GError *error,
                                  guint         retry_after_seconds)
{
  WaybillTrackingReply *self;

  g_return_val_if_fail (number != NULL, NULL);
  g_return_val_if_fail (error != NULL, NULL);

  self = g_new0 (WaybillTrackingReply, 1);
  self->number = g_strdup (number);
  self->error = g_error_copy (error);
  self->retry_after_seconds = retry_after_seconds;

  return self;
}

WaybillTrackingReply *
waybill_tracking_reply_copy (const WaybillTrackingReply *self)
{
  WaybillTrackingReply *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (WaybillTrackingReply, 1);
  copy->number = g_strdup (self->number);
  copy->result = self->result ? waybill_tracking_result_copy (self->result) : NULL;
  copy->error = self->error ? g_error_copy (self->error) : NULL;
  copy->retry_after_seconds = self->retry_after_seconds;

  return copy;
}

void
waybill_tracking_reply_free (WaybillTrackingReply *self)
{
  if (self == NULL)
    return;

  g_free (self->number);
  g_clear_pointer (&self->result, waybill_tracking_result_free);
  g_clear_error (&self->error);
  g_free (self);
}

/**
 * waybill_tracking_replies_new:
 *
 * Returns: (transfer full) (element-type WaybillTrackingReply): an empty
 *   array that frees its replies
 */
GPtrArray *
waybill_tracking_replies_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) waybill_tracking_reply_free);
}

/**
 * waybill_tracking_replies_new_failed:
 * @numbers: the numbers of a request that failed as a whole
 * @error: the failure
 * @retry_after_seconds: how long the API asked to wait, or 0
 *
 * Returns: (transfer full) (element-type WaybillTrackingReply): the same
 *   error for every number
 */
GPtrArray *
waybill_tracking_replies_new_failed (const char * const *numbers,
                                     const GError       *error,
                                     guint               retry_after_seconds)
{
  GPtrArray *replies = waybill_tracking_replies_new ();

  for (guint i = 0; numbers != NULL && numbers[i] != NULL; i++)
    g_ptr_array_add (replies, waybill_tracking_reply_new_error (numbers[i], error,
                                                                retry_after_seconds));

  return replies;
}

/* ---- Errors ----------------------------------------------------------- */

/**
 * waybill_tracker_error_kind:
 * @error: (nullable): an error
 *
 * The error's kind as the command line and the refresher name it.
 *
 * Returns: (nullable): "auth", "not_found", "rate_limited", "unavailable",
 *   "bad_response", "network" or "not_configured"; %NULL for an error of
 *   another domain
 */
const char *
waybill_tracker_error_kind (const GError *error)
{
  static const char * const kinds[] = {
    [WAYBILL_TRACKER_ERROR_AUTH] = "auth",
    [WAYBILL_TRACKER_ERROR_NOT_FOUND] = "not_found",
    [WAYBILL_TRACKER_ERROR_RATE_LIMITED] = "rate_limited",
    [WAYBILL_TRACKER_ERROR_UNAVAILABLE] = "unavailable",
    [WAYBILL_TRACKER_ERROR_BAD_RESPONSE] = "bad_response",
    [WAYBILL_TRACKER_ERROR_NETWORK] = "network",
    [WAYBILL_TRACKER_ERROR_NOT_CONFIGURED] = "not_configured",
  };

  if (error == NULL || error->domain != WAYBILL_TRACKER_ERROR ||
      error->code < 0 || (gsize) error->code >= G_N_ELEMENTS (kinds))
    return NULL;

  return kinds[error->code];
}

static const char *
credentials_hint (WaybillTracker *self)
{
  switch (WAYBILL_TRACKER_GET_CLASS (self)->auth)
    {
    case WAYBILL_TRACKER_AUTH_API_KEY:
      return _("API key");
    case WAYBILL_TRACKER_AUTH_CLIENT:
      return _("client ID and secret");
    case WAYBILL_TRACKER_AUTH_NONE:
    default:
      return _("settings");
    }
}

/**
 * waybill_tracker_error_new:
 * @code: the kind of error
 * @detail: (nullable): what went wrong, in a few words, for the kinds
 *   whose message has room for it (unavailable, bad_response, network)
 *
 * Builds the message of each kind with the API's name.  @detail must not
 * hold a secret.
 *
 * Returns: (transfer full): a new error
 */
GError *
waybill_tracker_error_new (WaybillTracker      *self,
                           WaybillTrackerError  code,
                           const char          *detail)
{
  const char *name = waybill_tracker_get_name (self);

  switch (code)
    {
    case WAYBILL_TRACKER_ERROR_AUTH:
      if (WAYBILL_TRACKER_GET_CLASS (self)->auth == WAYBILL_TRACKER_AUTH_API_KEY)
        /* Translators: both %s are an API's name, such as "DHL". */
        return g_error_new (WAYBILL_TRACKER_ERROR, code,
                            _("%s rejected Waybill’s API key; check the %s API key in Preferences"),
                            name, name);
      return g_error_new (WAYBILL_TRACKER_ERROR, code,
                          _("%s rejected Waybill’s credentials; check the %s client ID and secret in Preferences"),
                          name, name);

    case WAYBILL_TRACKER_ERROR_NOT_FOUND:
      return g_error_new (WAYBILL_TRACKER_ERROR, code,
                          _("%s does not know this tracking number"), name);

    case WAYBILL_TRACKER_ERROR_RATE_LIMITED:
      return waybill_tracker_error_new_rate_limited (self, 0);

    case WAYBILL_TRACKER_ERROR_UNAVAILABLE:
      if (detail != NULL)
        /* Translators: %s is an API's name, then a detail such as "HTTP 503". */
        return g_error_new (WAYBILL_TRACKER_ERROR, code,
                            _("%s’s tracking service is not available right now (%s); Waybill will try again later"),
                            name, detail);
      return g_error_new (WAYBILL_TRACKER_ERROR, code,
                          _("%s’s tracking service is not available right now; Waybill will try again later"),
                          name);

    case WAYBILL_TRACKER_ERROR_BAD_RESPONSE:
      if (detail != NULL)
        return g_error_new (WAYBILL_TRACKER_ERROR, code,
                            _("%s sent an answer Waybill cannot read (%s)"), name, detail);
      return g_error_new (WAYBILL_TRACKER_ERROR, code,
                          _("%s sent an answer Waybill cannot read"), name);

    case WAYBILL_TRACKER_ERROR_NETWORK:
      if (detail != NULL)
        /* Translators: %s is an API's name, then what went wrong. */
        return g_error_new (WAYBILL_TRACKER_ERROR, code,
                            _("Could not reach %s: %s"), name, detail);
      return g_error_new (WAYBILL_TRACKER_ERROR, code, _("Could not reach %s"), name);

    case WAYBILL_TRACKER_ERROR_NOT_CONFIGURED:
    default:
      /* Translators: the first %s is an API's name, the second what it
       * needs, such as "API key" or "client ID and secret". */
      return g_error_new (WAYBILL_TRACKER_ERROR, WAYBILL_TRACKER_ERROR_NOT_CONFIGURED,
                          _("%s is not set up; add the %s %s in Preferences"),
                          name, name, credentials_hint (self));
    }
}

/**
 * waybill_tracker_error_new_not_found:
 *
 * Returns: (transfer full): "DHL does not know tracking number …"
 */
GError *
waybill_tracker_error_new_not_found (WaybillTracker *self,
                                     const char     *number)
{
  /* Translators: the first %s is an API's name, the second a number. */
  return g_error_new (WAYBILL_TRACKER_ERROR, WAYBILL_TRACKER_ERROR_NOT_FOUND,
                      _("%s does not know tracking number %s"),
                      waybill_tracker_get_name (self), number);
}

/**
 * waybill_tracker_error_new_invalid_number:
 *
 * A not_found error for a number the API says cannot be one of its own.
 *
 * Returns: (transfer full): a new error
 */
GError *
waybill_tracker_error_new_invalid_number (WaybillTracker *self,
                                          const char     *number)
{
  /* Translators: the first %s is a tracking number, the second an API's name. */
  return g_error_new (WAYBILL_TRACKER_ERROR, WAYBILL_TRACKER_ERROR_NOT_FOUND,
                      _("%s is not a valid %s tracking number"),
                      number, waybill_tracker_get_name (self));
}

GError *
waybill_tracker_error_new_rate_limited (WaybillTracker *self,
                                        guint           retry_after_seconds)
{
  const char *name = waybill_tracker_get_name (self);

  if (retry_after_seconds > 0)
    return g_error_new (WAYBILL_TRACKER_ERROR, WAYBILL_TRACKER_ERROR_RATE_LIMITED,
                        g_dngettext (GETTEXT_PACKAGE,
                                     "%s asked Waybill to slow down; try again in %u second",
                                     "%s asked Waybill to slow down; try again in %u seconds",
                                     retry_after_seconds),
                        name, retry_after_seconds);

  return g_error_new (WAYBILL_TRACKER_ERROR, WAYBILL_TRACKER_ERROR_RATE_LIMITED,
                      _("%s asked Waybill to slow down; try again later"), name);
}

/**
 * waybill_tracker_error_new_http:
 * @status: an HTTP status that is not a success
 *
 * The usual meaning of a status: 401 and 403 auth, 429 rate_limited, 5xx
 * unavailable, anything else bad_response.  Adapters handle the statuses
 * their API gives another meaning (404…) before calling this.
 *
 * Returns: (transfer full): a new error
 */
GError *
waybill_tracker_error_new_http (WaybillTracker *self,
                                guint           status)
{
  g_autofree char *detail = g_strdup_printf ("HTTP %u", status);

  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    return waybill_tracker_error_new (self, WAYBILL_TRACKER_ERROR_AUTH, NULL);
  if (status == WAYBILL_HTTP_TOO_MANY_REQUESTS)
    return waybill_tracker_error_new_rate_limited (self, 0);
  if (status >= 500 && status <= 599)
    return waybill_tracker_error_new (self, WAYBILL_TRACKER_ERROR_UNAVAILABLE, detail);

  return waybill_tracker_error_new (self, WAYBILL_TRACKER_ERROR_BAD_RESPONSE, detail);
}

/* ---- The object ------------------------------------------------------- */

static char *
resolve_base_url (WaybillTracker *self,
                  const char     *base_url)
{
  WaybillTrackerClass *klass = WAYBILL_TRACKER_GET_CLASS (self);
  g_autofree char *env_name = NULL;
  const char *env_value = NULL;
  char *url;

  if (base_url == NULL || *base_url == '\0')
    {
      if (klass->id != NULL)
        {
          env_name = waybill_credentials_env_name (klass->id, "URL");
          env_value = g_getenv (env_name);
        }
      base_url = env_value != NULL && *env_value != '\0' ? env_value : klass->default_url;
    }

  url = g_strdup (base_url != NULL ? base_url : "");
  /* Paths are appended as they are in the API's documentation. */
  while (*url != '\0' && g_str_has_suffix (url, "/"))
    url[strlen (url) - 1] = '\0';

  return url;
}

static void
waybill_tracker_constructed (GObject *object)
{
  WaybillTracker *self = WAYBILL_TRACKER (object);
  WaybillTrackerPrivate *priv = waybill_tracker_get_instance_private (self);
  WaybillTrackerClass *klass = WAYBILL_TRACKER_GET_CLASS (self);

  G_OBJECT_CLASS (waybill_tracker_parent_class)->constructed (object);

  g_assert (klass->id != NULL && klass->name != NULL);
  g_assert (klass->batch_size > 0);

  if (priv->session == NULL)
    priv->session = soup_session_new_with_options ("user-agent",
                                                   PACKAGE_NAME "/" PACKAGE_VERSION " ",
                                                   NULL);
  if (priv->base_url == NULL)
    priv->base_url = resolve_base_url (self, NULL);
  /* The environment never blocks; the keyring is asked by
   * waybill_tracker_load_credentials_async(). */
  if (priv->credentials == NULL)
    priv->credentials = waybill_credentials_from_env (klass->id);
}

static void
waybill_tracker_dispose (GObject *object)
{
  WaybillTracker *self = WAYBILL_TRACKER (object);
  WaybillTrackerPrivate *priv = waybill_tracker_get_instance_private (self);

  g_clear_object (&priv->session);

  G_OBJECT_CLASS (waybill_tracker_parent_class)->dispose (object);
}

static void
waybill_tracker_finalize (GObject *object)
{
  WaybillTracker *self = WAYBILL_TRACKER (object);
  WaybillTrackerPrivate *priv = waybill_tracker_get_instance_private (self);

  g_free (priv->base_url);
  waybill_credentials_free (priv->credentials);
  g_hash_table_unref (priv->carrier_hints);

  G_OBJECT_CLASS (waybill_tracker_parent_class)->finalize (object);
}

static void
waybill_tracker_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  WaybillTracker *self = WAYBILL_TRACKER (object);
  WaybillTrackerPrivate *priv = waybill_tracker_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, waybill_tracker_get_id (self));
      break;
    case PROP_NAME:
      g_value_set_string (value, waybill_tracker_get_name (self));
      break;
    case PROP_BATCH_SIZE:
      g_value_set_uint (value, waybill_tracker_get_batch_size (self));
      break;
    case PROP_REQUESTS_PER_SECOND:
      g_value_set_double (value, waybill_tracker_get_requests_per_second (self));
      break;
    case PROP_BASE_URL:
      g_value_set_string (value, priv->base_url);
      break;
    case PROP_SESSION:
      g_value_set_object (value, priv->session);
      break;
    case PROP_TIMEOUT_MS:
      g_value_set_uint (value, priv->timeout_ms);
      break;
    case PROP_CREDENTIALS:
      g_value_set_boxed (value, priv->credentials);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
waybill_tracker_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  WaybillTracker *self = WAYBILL_TRACKER (object);
  WaybillTrackerPrivate *priv = waybill_tracker_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      waybill_tracker_set_base_url (self, g_value_get_string (value));
      break;
    case PROP_SESSION:
      g_set_object (&priv->session, g_value_get_object (value));
      break;
    case PROP_TIMEOUT_MS:
      waybill_tracker_set_timeout_ms (self, g_value_get_uint (value));
      break;
    case PROP_CREDENTIALS:
      waybill_tracker_set_credentials (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
waybill_tracker_real_is_configured (WaybillTracker *self)
{
  WaybillTrackerPrivate *priv = waybill_tracker_get_instance_private (self);

  switch (WAYBILL_TRACKER_GET_CLASS (self)->auth)
    {
    case WAYBILL_TRACKER_AUTH_API_KEY:
      return waybill_credentials_has_api_key (priv->credentials);
    case WAYBILL_TRACKER_AUTH_CLIENT:
      return waybill_credentials_has_client (priv->credentials);
    case WAYBILL_TRACKER_AUTH_NONE:
    default:
      return TRUE;
    }
}

static void
waybill_tracker_class_init (WaybillTrackerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = waybill_tracker_constructed;
  object_class->dispose = waybill_tracker_dispose;
  object_class->finalize = waybill_tracker_finalize;
  object_class->get_property = waybill_tracker_get_property;
  object_class->set_property = waybill_tracker_set_property;

  klass->batch_size = 1;
  klass->requests_per_second = 1.0;
  klass->auth = WAYBILL_TRACKER_AUTH_API_KEY;
  klass->is_configured = waybill_tracker_real_is_configured;

  /**
   * WaybillTracker:id:
   *
   * The API id, such as "dhl".
   */
  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_BATCH_SIZE] =
    g_param_spec_uint ("batch-size", NULL, NULL, 1, G_MAXUINT, 1,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_REQUESTS_PER_SECOND] =
    g_param_spec_double ("requests-per-second", NULL, NULL, 0.0, G_MAXDOUBLE, 1.0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * WaybillTracker:base-url:
   *
   * The origin requests go to: scheme, host and port.  %NULL at
   * construction means `WAYBILL_<ID>_URL`, else the production origin.
   */
  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * WaybillTracker:session:
   *
   * The session requests go through; trackers of one registry share one.
   * TLS certificates are always verified.
   */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, SOUP_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * WaybillTracker:timeout-ms:
   *
   * How long a request may take, sending and reading, in milliseconds.
   */
  properties[PROP_TIMEOUT_MS] =
    g_param_spec_uint ("timeout-ms", NULL, NULL, 1, G_MAXUINT,
                       WAYBILL_TRACKER_DEFAULT_TIMEOUT_MS,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT |
                       G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * WaybillTracker:credentials:
   *
   * The secrets requests carry.  At construction they come from the
   * environment; waybill_tracker_load_credentials_async() adds the
   * keyring's.
   */
  properties[PROP_CREDENTIALS] =
    g_param_spec_boxed ("credentials", NULL, NULL, WAYBILL_TYPE_CREDENTIALS,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
waybill_tracker_init (WaybillTracker *self)
{
  WaybillTrackerPrivate *priv = waybill_tracker_get_instance_private (self);

  priv->timeout_ms = WAYBILL_TRACKER_DEFAULT_TIMEOUT_MS;
  priv->carrier_hints = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

const char *
waybill_tracker_get_id (WaybillTracker *self)
{
  g_return_val_if_fail (WAYBILL_IS_TRACKER (self), NULL);

  return WAYBILL_TRACKER_GET_CLASS (self)->id;
}

const char *
waybill_tracker_get_name (WaybillTracker *self)
{
  g_return_val_if_fail (WAYBILL_IS_TRACKER (self), NULL);

  return WAYBILL_TRACKER_GET_CLASS (self)->name;
}

guint
waybill_tracker_get_batch_size (WaybillTracker *self)
{
  g_return_val_if_fail (WAYBILL_IS_TRACKER (self), 1);

  return WAYBILL_TRACKER_GET_CLASS (self)->batch_size;
}

double
waybill_tracker_get_requests_per_second (WaybillTracker *self)
{
  g_return_val_if_fail (WAYBILL_IS_TRACKER (self), 1.0);

  return WAYBILL_TRACKER_GET_CLASS (self)->requests_per_second;
}

WaybillTrackerAuth
waybill_tracker_get_auth (WaybillTracker *self)
{
  g_return_val_if_fail (WAYBILL_IS_TRACKER (self), WAYBILL_TRACKER_AUTH_NONE);

  return WAYBILL_TRACKER_GET_CLASS (self)->auth;
}

const char *
waybill_tracker_get_base_url (WaybillTracker *self)
{
  WaybillTrackerPrivate *priv = waybill_tracker_get_instance_private (self);

  g_return_val_if_fail (WAYBILL_IS_TRACKER (self), NULL);

  return priv->base_url;
}

/**
 * waybill_tracker_set_base_url:
 * @base_url: (nullable): an origin such as "http://127.0.0.1:8080", or
 *   %NULL for `WAYBILL_<ID>_URL` or else the production origin
 */
void
waybill_tracker_set_base_url (WaybillTracker *self,
                              const char     *base_url)
{
  WaybillTrackerPrivate *priv = waybill_tracker_get_instance_private (self);
  g_autofree char *url = NULL;

  g_return_if_fail (WAYBILL_IS_TRACKER (self));

  url = resolve_base_url (self, base_url);
  if (g_strcmp0 (url, priv->base_url) == 0)
    return;

  g_free (priv->base_url);
  priv->base_url = g_steal_pointer (&url);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URL]);
}

SoupSession *
waybill_tracker_get_session (WaybillTracker *self)
{
  WaybillTrackerPrivate *priv = waybill_tracker_get_instance_private (self);

  g_return_val_if_fail (WAYBILL_IS_TRACKER (self), NULL);

  return priv->session;
}

guint
waybill_tracker_get_timeout_ms (WaybillTracker *self)
{
  WaybillTrackerPrivate *priv = waybill_tracker_get_instance_private (self);

  g_return_val_if_fail (WAYBILL_IS_TRACKER (self), WAYBILL_TRACKER_DEFAULT_TIMEOUT_MS);

  return priv->timeout_ms;
}

void
waybill_tracker_set_timeout_ms (WaybillTracker *self,
                                guint           timeout_ms)
{
  WaybillTrackerPrivate *priv = waybill_tracker_get_instance_private (self);

  g_return_if_fail (WAYBILL_IS_TRACKER (self));
  g_return_if_fail (timeout_ms > 0);

  if (priv->timeout_ms == timeout_ms)
    return;

  priv->timeout_ms = timeout_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT_MS]);
}

/**
 * waybill_tracker_get_credentials:
 *
 * Returns: (nullable) (transfer none): the credentials in use
 */
const WaybillCredentials *
waybill_tracker_get_credentials (WaybillTracker *self)
{
  WaybillTrackerPrivate *priv = waybill_tracker_get_instance_private (self);

  g_return_val_if_fail (WAYBILL_IS_TRACKER (self), NULL);

  return priv->credentials;
}

/**
 * waybill_tracker_set_credentials:
 * @credentials: (nullable): the new credentials; copied
 */
void
waybill_tracker_set_credentials (WaybillTracker           *self,
                                 const WaybillCredentials *credentials)
{
  WaybillTrackerPrivate *priv = waybill_tracker_get_instance_private (self);

  g_return_if_fail (WAYBILL_IS_TRACKER (self));

  if (waybill_credentials_is_empty (credentials))
    credentials = NULL;
  if (waybill_credentials_equal (priv->credentials, credentials))
    return;

  g_clear_pointer (&priv->credentials, waybill_credentials_free);
  if (credentials != NULL)
    priv->credentials = waybill_credentials_copy (credentials);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREDENTIALS]);
}

static void
load_credentials_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WaybillTracker *self = g_task_get_source_object (task);
  g_autoptr(WaybillCredentials) credentials = NULL;
  GError *error = NULL;

  credentials = waybill_credentials_lookup_finish (result, &error);
  if (credentials == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  waybill_tracker_set_credentials (self, credentials);
  g_task_return_boolean (task, TRUE);
}

/**
 * waybill_tracker_load_credentials_async:
 *
 * Reads the credentials again: the environment, then the keyring for what
 * the environment does not hold.  When the environment already configures
 * the tracker, the keyring is not asked.
 */
void
waybill_tracker_load_credentials_async (WaybillTracker      *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(WaybillCredentials) env = NULL;

  g_return_if_fail (WAYBILL_IS_TRACKER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, waybill_tracker_load_credentials_async);

  env = waybill_credentials_from_env (waybill_tracker_get_id (self));
  if (env != NULL)
    {
      waybill_tracker_set_credentials (self, env);
      if (waybill_tracker_is_configured (self))
        {
          g_task_return_boolean (task, TRUE);
          return;
        }
    }

  waybill_credentials_lookup_async (waybill_tracker_get_id (self), cancellable,
                                    load_credentials_cb, g_steal_pointer (&task));
}

/**
 * waybill_tracker_load_credentials_finish:
 *
 * Returns: %TRUE when the credentials were read (they may still be
 *   missing: see waybill_tracker_is_configured()), %FALSE when the keyring
 *   could not be asked
 */
gboolean
waybill_tracker_load_credentials_finish (WaybillTracker  *self,
                                         GAsyncResult    *result,
                                         GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
waybill_tracker_is_configured (WaybillTracker *self)
{
  g_return_val_if_fail (WAYBILL_IS_TRACKER (self), FALSE);

  return WAYBILL_TRACKER_GET_CLASS (self)->is_configured (self);
}

/**
 * waybill_tracker_set_carrier_hint:
 * @number: a tracking number, as it will be asked
 * @carrier_id: (nullable): the Waybill id of the carrier that moves it
 *   ("royal-mail"), or %NULL to forget it
 *
 * Says which carrier a number belongs to.  track_async() takes bare
 * numbers, which is all a carrier's own API needs; an aggregator (AfterShip,
 * 17TRACK) serves hundreds of carriers and would otherwise have to guess
 * from the number, which fails or guesses wrong for numbers that several
 * carriers use.  Callers that know the carrier (the refresher, `waybill
 * track`) set the hint before asking, on whatever tracker answers; the
 * trackers that have no use for it ignore it.  Hints stay until replaced or
 * forgotten.
 */
void
waybill_tracker_set_carrier_hint (WaybillTracker *self,
                                  const char     *number,
                                  const char     *carrier_id)
{
  WaybillTrackerPrivate *priv = waybill_tracker_get_instance_private (self);

  g_return_if_fail (WAYBILL_IS_TRACKER (self));
  g_return_if_fail (number != NULL);

  if (carrier_id == NULL || *carrier_id == '\0')
    g_hash_table_remove (priv->carrier_hints, number);
  else
    g_hash_table_replace (priv->carrier_hints, g_strdup (number), g_strdup (carrier_id));
}

/**
 * waybill_tracker_get_carrier_hint:
 * @number: a tracking number
 *
 * Returns: (nullable): the carrier id set by
 *   waybill_tracker_set_carrier_hint() for @number, or %NULL
 */
const char *
waybill_tracker_get_carrier_hint (WaybillTracker *self,
                                  const char     *number)
{
  WaybillTrackerPrivate *priv = waybill_tracker_get_instance_private (self);

  g_return_val_if_fail (WAYBILL_IS_TRACKER (self), NULL);
  g_return_val_if_fail (number != NULL, NULL);

  return g_hash_table_lookup (priv->carrier_hints, number);
}

/* ---- Tracking: batches, one after the other --------------------------- */

typedef struct
{
  GStrv      numbers;
  guint      n_numbers;
  guint      next;
  GStrv      batch;
  GPtrArray *replies;
} TrackData;

static void
track_data_free (TrackData *data)
{
  g_strfreev (data->numbers);
  g_strfreev (data->batch);
  g_clear_pointer (&data->replies, g_ptr_array_unref);
  g_free (data);
}

/* Errors that the next request would meet again at once. */
static gboolean
error_stops_batches (const GError *error)
{
  return g_error_matches (error, WAYBILL_TRACKER_ERROR, WAYBILL_TRACKER_ERROR_AUTH) ||
         g_error_matches (error, WAYBILL_TRACKER_ERROR, WAYBILL_TRACKER_ERROR_RATE_LIMITED) ||
         g_error_matches (error, WAYBILL_TRACKER_ERROR, WAYBILL_TRACKER_ERROR_NOT_CONFIGURED);
}

static void
fail_remaining (TrackData                  *data,
                const WaybillTrackingReply *model)
{
  for (; data->next < data->n_numbers; data->next++)
    g_ptr_array_add (data->replies,
                     waybill_tracking_reply_new_error (data->numbers[data->next], model->error,
                                                       model->retry_after_seconds));
}

static void track_next_batch (GTask *task);

static void
track_batch_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WaybillTracker *self = g_task_get_source_object (task);
  TrackData *data = g_task_get_task_data (task);
  guint batch_len = g_strv_length (data->batch);
  g_autoptr(GPtrArray) replies = NULL;
  g_autoptr(GError) error = NULL;
  WaybillTrackingReply *last = NULL;

  replies = WAYBILL_TRACKER_GET_CLASS (self)->track_finish (self, result, &error);
  if (replies == NULL)
    {
      if (error == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          g_cancellable_is_cancelled (g_task_get_cancellable (task)))
        {
          if (error == NULL)
            error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      /* A subclass that reports a whole-request failure this way still
       * gets one reply per number. */
      replies = waybill_tracking_replies_new_failed ((const char * const *) data->batch,
                                                     error, 0);
    }

  for (guint i = 0; i < batch_len; i++)
    {
      WaybillTrackingReply *reply = i < replies->len ? g_ptr_array_index (replies, i) : NULL;

      if (reply == NULL || (reply->result == NULL) == (reply->error == NULL))
        {
          g_autoptr(GError) bad = waybill_tracker_error_new (self,
                                                             WAYBILL_TRACKER_ERROR_BAD_RESPONSE,
                                                             NULL);

          g_critical ("%s tracker gave no usable reply for a number", waybill_tracker_get_id (self));
          last = waybill_tracking_reply_new_error (data->batch[i], bad, 0);
        }
      else
        {
          last = waybill_tracking_reply_copy (reply);
          g_free (last->number);
          last->number = g_strdup (data->batch[i]);
        }
      g_ptr_array_add (data->replies, last);
    }
  data->next += batch_len;

  /* When every number of the batch met the same wall, the next batch would
   * too: the rest get the same answer without asking. */
  if (last != NULL && last->error != NULL && error_stops_batches (last->error))
    {
      gboolean all_same = TRUE;

      for (guint i = data->replies->len - batch_len; i < data->replies->len; i++)
        {
          WaybillTrackingReply *reply = g_ptr_array_index (data->replies, i);

          if (reply->error == NULL || !g_error_matches (reply->error, last->error->domain,
                                                        last->error->code))
            all_same = FALSE;
        }
      if (all_same)
        fail_remaining (data, last);
    }

  track_next_batch (g_steal_pointer (&task));
}

static void
track_next_batch (GTask *task)
{
  WaybillTracker *self = g_task_get_source_object (task);
  TrackData *data = g_task_get_task_data (task);
  guint batch_size = waybill_tracker_get_batch_size (self);
  guint n;

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  if (data->next >= data->n_numbers)
    {
      g_task_return_pointer (task, g_steal_pointer (&data->replies),
                             (GDestroyNotify) g_ptr_array_unref);
      g_object_unref (task);
      return;
    }

  n = MIN (batch_size, data->n_numbers - data->next);
  g_strfreev (data->batch);
  data->batch = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    data->batch[i] = g_strdup (data->numbers[data->next + i]);

  WAYBILL_TRACKER_GET_CLASS (self)->track_async (self, (const char * const *) data->batch,
                                                 g_task_get_cancellable (task),
                                                 track_batch_cb, task);
}

/**
 * waybill_tracker_track_async:
 * @numbers: (array zero-terminated=1): the tracking numbers to ask about;
 *   any number of them
 * @cancellable: (nullable): a #GCancellable
 *
 * Asks the API about @numbers, in batches of #WaybillTracker:batch-size,
 * one batch after the other.  Pacing requests to the API's rate limit is
 * the caller's business (the refresher's): this sends the batches at once.
 */
void
waybill_tracker_track_async (WaybillTracker      *self,
                             const char * const  *numbers,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;
  TrackData *data;

  g_return_if_fail (WAYBILL_IS_TRACKER (self));
  g_return_if_fail (numbers != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (WAYBILL_TRACKER_GET_CLASS (self)->track_async != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, waybill_tracker_track_async);

  data = g_new0 (TrackData, 1);
  data->numbers = g_strdupv ((char **) numbers);
  data->n_numbers = g_strv_length (data->numbers);
  data->replies = waybill_tracking_replies_new ();
  g_task_set_task_data (task, data, (GDestroyNotify) track_data_free);

  if (data->n_numbers > 0 && !waybill_tracker_is_configured (self))
    {
      g_autoptr(GError) error = waybill_tracker_error_new (self,
                                                           WAYBILL_TRACKER_ERROR_NOT_CONFIGURED,
                                                           NULL);
      g_autoptr(WaybillTrackingReply) model = waybill_tracking_reply_new_error ("", error, 0);

      fail_remaining (data, model);
    }

  track_next_batch (task);
}

/**
 * waybill_tracker_track_finish:
 *
 * Returns: (transfer full) (element-type WaybillTrackingReply): one reply
 *   per number, in the order asked; %NULL only when cancelled
 */
GPtrArray *
waybill_tracker_track_finish (WaybillTracker  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (WAYBILL_IS_TRACKER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == waybill_tracker_track_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
