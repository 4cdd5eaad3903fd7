/* waybill-credentials.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "waybill-credentials"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "waybill-credentials.h"
#include "waybill-util-private.h"

G_DEFINE_BOXED_TYPE (WaybillCredentials, waybill_credentials,
                     waybill_credentials_copy, waybill_credentials_free)

static const char * const all_fields[] = {
  WAYBILL_CREDENTIAL_API_KEY,
  WAYBILL_CREDENTIAL_CLIENT_ID,
  WAYBILL_CREDENTIAL_CLIENT_SECRET,
};

/* The environment variable suffix of each field, in all_fields order. */
static const char * const env_suffixes[] = {
  "API_KEY",
  "CLIENT_ID",
  "CLIENT_SECRET",
};

const SecretSchema *
waybill_credentials_get_schema (void)
{
  static const SecretSchema schema = {
    WAYBILL_CREDENTIALS_SCHEMA_NAME, SECRET_SCHEMA_NONE,
    {
      { "api", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "field", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static char *
dup_non_empty (const char *value)
{
  return value != NULL && *value != '\0' ? g_strdup (value) : NULL;
}

/**
 * waybill_credentials_new:
 *
 * Empty strings are kept as %NULL: "no value" has one spelling.
 *
 * Returns: (transfer full): new credentials
 */
WaybillCredentials *
waybill_credentials_new (const char *api_key,
                         const char *client_id,
                         const char *client_secret)
{
  WaybillCredentials *self = g_new0 (WaybillCredentials, 1);

  self->api_key = dup_non_empty (api_key);
  self->client_id = dup_non_empty (client_id);
  self->client_secret = dup_non_empty (client_secret);

  return self;
}

WaybillCredentials *
waybill_credentials_copy (const WaybillCredentials *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return waybill_credentials_new (self->api_key, self->client_id, self->client_secret);
}

void
waybill_credentials_free (WaybillCredentials *self)
{
  if (self == NULL)
    return;

  waybill_wipe_free (self->api_key);
  waybill_wipe_free (self->client_id);
  waybill_wipe_free (self->client_secret);
  g_free (self);
}

gboolean
waybill_credentials_equal (const WaybillCredentials *a,
                           const WaybillCredentials *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  return g_strcmp0 (a->api_key, b->api_key) == 0 &&
         g_strcmp0 (a->client_id, b->client_id) == 0 &&
         g_strcmp0 (a->client_secret, b->client_secret) == 0;
}

gboolean
waybill_credentials_is_empty (const WaybillCredentials *self)
{
  return self == NULL ||
         (self->api_key == NULL && self->client_id == NULL && self->client_secret == NULL);
}

gboolean
waybill_credentials_has_api_key (const WaybillCredentials *self)
{
  return self != NULL && self->api_key != NULL;
}

/* Whether both halves of an OAuth client are there. */
gboolean
waybill_credentials_has_client (const WaybillCredentials *self)
{
  return self != NULL && self->client_id != NULL && self->client_secret != NULL;
}

static char **
field_slot (WaybillCredentials *self,
            const char         *field)
{
  if (g_strcmp0 (field, WAYBILL_CREDENTIAL_API_KEY) == 0)
    return &self->api_key;
  if (g_strcmp0 (field, WAYBILL_CREDENTIAL_CLIENT_ID) == 0)
    return &self->client_id;
  if (g_strcmp0 (field, WAYBILL_CREDENTIAL_CLIENT_SECRET) == 0)
    return &self->client_secret;

  return NULL;
}

static gboolean
field_is_valid (const char *field)
{
  for (guint i = 0; i < G_N_ELEMENTS (all_fields); i++)
    if (g_strcmp0 (field, all_fields[i]) == 0)
      return TRUE;

  return FALSE;
}

/**
 * waybill_credentials_get_field:
 * @field: one of %WAYBILL_CREDENTIAL_API_KEY, %WAYBILL_CREDENTIAL_CLIENT_ID
 *   and %WAYBILL_CREDENTIAL_CLIENT_SECRET
 *
 * Returns: (nullable): the value of @field
 */
const char *
waybill_credentials_get_field (const WaybillCredentials *self,
                               const char               *field)
{
  char **slot;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (field_is_valid (field), NULL);

  slot = field_slot ((WaybillCredentials *) self, field);

  return *slot;
}

/**
 * waybill_credentials_describe:
 *
 * Says which fields are set, never their values, for logs and diagnostics:
 * "api_key, client_id" or "none".
 *
 * Returns: (transfer full): the description
 */
char *
waybill_credentials_describe (const WaybillCredentials *self)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_null_terminated (3, NULL, TRUE);

  if (self != NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (all_fields); i++)
        if (waybill_credentials_get_field (self, all_fields[i]) != NULL)
          g_ptr_array_add (names, (gpointer) all_fields[i]);
    }

  if (names->len == 0)
    return g_strdup ("none");

  return g_strjoinv (", ", (char **) names->pdata);
}

/**
 * waybill_credentials_env_name:
 * @api_id: a tracking API id such as "ups" or "17track"
 * @suffix: "URL", "API_KEY", "CLIENT_ID" or "CLIENT_SECRET"
 *
 * Returns: (transfer full): the variable's name, such as
 *   "WAYBILL_UPS_CLIENT_ID"
 */
char *
waybill_credentials_env_name (const char *api_id,
                              const char *suffix)
{
  g_autofree char *upper = NULL;

  g_return_val_if_fail (api_id != NULL, NULL);
  g_return_val_if_fail (suffix != NULL, NULL);

  upper = g_ascii_strup (api_id, -1);

  return g_strdup_printf ("WAYBILL_%s_%s", upper, suffix);
}

static char *
env_field (const char *api_id,
           guint       index)
{
  g_autofree char *name = waybill_credentials_env_name (api_id, env_suffixes[index]);

  return dup_non_empty (g_getenv (name));
}

/**
 * waybill_credentials_from_env:
 * @api_id: a tracking API id
 *
 * Reads the API's variables from the environment.  This never blocks.
 *
 * Returns: (transfer full) (nullable): the credentials, or %NULL when the
 *   environment has none for @api_id
 */
WaybillCredentials *
waybill_credentials_from_env (const char *api_id)
{
  g_autoptr(WaybillCredentials) self = NULL;

  g_return_val_if_fail (api_id != NULL, NULL);

  self = g_new0 (WaybillCredentials, 1);
  for (guint i = 0; i < G_N_ELEMENTS (all_fields); i++)
    *field_slot (self, all_fields[i]) = env_field (api_id, i);

  if (waybill_credentials_is_empty (self))
    return NULL;

  return g_steal_pointer (&self);
}

/* Lookup: the environment, then each missing field from the keyring, one
 * after the other. */
typedef struct
{
  char               *api_id;
  WaybillCredentials *credentials;
  guint               next_field;
} LookupData;

static void
lookup_data_free (LookupData *data)
{
  g_free (data->api_id);
  waybill_credentials_free (data->credentials);
  g_free (data);
}

static void lookup_next (GTask *task);

static void
lookup_field_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LookupData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  *field_slot (data->credentials, all_fields[data->next_field]) = dup_non_empty (secret);
  secret_password_free (secret);
  data->next_field++;

  lookup_next (g_steal_pointer (&task));
}

static void
lookup_next (GTask *task)
{
  LookupData *data = g_task_get_task_data (task);

  while (data->next_field < G_N_ELEMENTS (all_fields) &&
         *field_slot (data->credentials, all_fields[data->next_field]) != NULL)
    data->next_field++;

  if (data->next_field == G_N_ELEMENTS (all_fields))
    {
      g_task_return_pointer (task, g_steal_pointer (&data->credentials),
                             (GDestroyNotify) waybill_credentials_free);
      g_object_unref (task);
      return;
    }

  secret_password_lookup (waybill_credentials_get_schema (),
                          g_task_get_cancellable (task),
                          lookup_field_cb, task,
                          "api", data->api_id,
                          "field", all_fields[data->next_field],
                          NULL);
}

/**
 * waybill_credentials_lookup_async:
 * @api_id: a tracking API id such as "dhl"
 *
 * Finds the API's credentials: each field from the environment when set
 * there, else from the keyring.  When the environment has every field, the
 * keyring is not asked.
 */
void
waybill_credentials_lookup_async (const char          *api_id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;
  LookupData *data;

  g_return_if_fail (api_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, waybill_credentials_lookup_async);

  data = g_new0 (LookupData, 1);
  data->api_id = g_strdup (api_id);
  data->credentials = waybill_credentials_from_env (api_id);
  if (data->credentials == NULL)
    data->credentials = g_new0 (WaybillCredentials, 1);
  g_task_set_task_data (task, data, (GDestroyNotify) lookup_data_free);

  lookup_next (task);
}

/**
 * waybill_credentials_lookup_finish:
 *
 * Returns: (transfer full): the credentials, whose fields may all be
 *   %NULL, or %NULL with @error set when the keyring failed
 */
WaybillCredentials *
waybill_credentials_lookup_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == waybill_credentials_lookup_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * waybill_credentials_lookup_sync:
 *
 * Blocks on D-Bus: for the command line and tests, never the main loop of
 * the app.
 *
 * Returns: (transfer full): as waybill_credentials_lookup_finish()
 */
WaybillCredentials *
waybill_credentials_lookup_sync (const char    *api_id,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  g_autoptr(WaybillCredentials) self = NULL;

  g_return_val_if_fail (api_id != NULL, NULL);

  self = waybill_credentials_from_env (api_id);
  if (self == NULL)
    self = g_new0 (WaybillCredentials, 1);

  for (guint i = 0; i < G_N_ELEMENTS (all_fields); i++)
    {
      char **slot = field_slot (self, all_fields[i]);
      g_autoptr(GError) local_error = NULL;
      char *secret;

      if (*slot != NULL)
        continue;

      secret = secret_password_lookup_sync (waybill_credentials_get_schema (), cancellable,
                                            &local_error,
                                            "api", api_id,
                                            "field", all_fields[i],
                                            NULL);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      *slot = dup_non_empty (secret);
      secret_password_free (secret);
    }

  return g_steal_pointer (&self);
}

static char *
item_label (const char *api_id,
            const char *field)
{
  /* Translators: shown in the keyring manager (Seahorse); the first %s is
   * a tracking API id such as "ups", the second a field such as "api_key". */
  return g_strdup_printf (_("Waybill: %s %s"), api_id, field);
}

static void
store_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (secret_password_store_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * waybill_credentials_store_async:
 * @api_id: a tracking API id
 * @field: the field to store
 * @secret: its value, not empty
 * @collection: (nullable): the collection, %NULL for the default one
 *
 * Saves one field in the keyring, replacing the previous value.
 */
void
waybill_credentials_store_async (const char          *api_id,
                                 const char          *field,
                                 const char          *secret,
                                 const char          *collection,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autofree char *label = NULL;
  GTask *task;

  g_return_if_fail (api_id != NULL);
  g_return_if_fail (field_is_valid (field));
  g_return_if_fail (secret != NULL && *secret != '\0');

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, waybill_credentials_store_async);

  label = item_label (api_id, field);
  secret_password_store (waybill_credentials_get_schema (),
                         collection != NULL ? collection : SECRET_COLLECTION_DEFAULT,
                         label, secret, cancellable, store_cb, task,
                         "api", api_id,
                         "field", field,
                         NULL);
}

gboolean
waybill_credentials_store_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
waybill_credentials_store_sync (const char    *api_id,
                                const char    *field,
                                const char    *secret,
                                const char    *collection,
                                GCancellable  *cancellable,
                                GError       **error)
{
  g_autofree char *label = NULL;

  g_return_val_if_fail (api_id != NULL, FALSE);
  g_return_val_if_fail (field_is_valid (field), FALSE);
  g_return_val_if_fail (secret != NULL && *secret != '\0', FALSE);

  label = item_label (api_id, field);

  return secret_password_store_sync (waybill_credentials_get_schema (),
                                     collection != NULL ? collection : SECRET_COLLECTION_DEFAULT,
                                     label, secret, cancellable, error,
                                     "api", api_id,
                                     "field", field,
                                     NULL);
}

static void
clear_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  /* FALSE without an error only says that nothing matched. */
  secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static GHashTable *
clear_attributes (const char *api_id,
                  const char *field)
{
  GHashTable *attributes = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (attributes, (gpointer) "api", (gpointer) api_id);
  if (field != NULL)
    g_hash_table_insert (attributes, (gpointer) "field", (gpointer) field);

  return attributes;
}

void
waybill_credentials_clear_async (const char          *api_id,
                                 const char          *field,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = NULL;
  GTask *task;

  g_return_if_fail (api_id != NULL);
  g_return_if_fail (field == NULL || field_is_valid (field));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, waybill_credentials_clear_async);

  attributes = clear_attributes (api_id, field);
  secret_password_clearv (waybill_credentials_get_schema (), attributes, cancellable,
                          clear_cb, task);
}

gboolean
waybill_credentials_clear_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
waybill_credentials_clear_sync (const char    *api_id,
                                const char    *field,
                                GCancellable  *cancellable,
                                GError       **error)
{
  g_autoptr(GHashTable) attributes = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (api_id != NULL, FALSE);
  g_return_val_if_fail (field == NULL || field_is_valid (field), FALSE);

  attributes = clear_attributes (api_id, field);
  secret_password_clearv_sync (waybill_credentials_get_schema (), attributes, cancellable,
                               &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  return TRUE;
}
