/* waybill-credentials.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

G_BEGIN_DECLS

/* The fields a tracking API may need, as stored in the keyring's "field"
 * attribute. */
#define WAYBILL_CREDENTIAL_API_KEY       "api_key"
#define WAYBILL_CREDENTIAL_CLIENT_ID     "client_id"
#define WAYBILL_CREDENTIAL_CLIENT_SECRET "client_secret"

/* The libsecret schema name: items carry the attributes "api" (a tracking
 * API id such as "ups") and "field" (one of the names above). */
#define WAYBILL_CREDENTIALS_SCHEMA_NAME "io.github.waybill.Waybill.Credentials"

/**
 * WaybillCredentials:
 * @api_key: (nullable): the key of APIs that take one (DHL, AfterShip, 17TRACK)
 * @client_id: (nullable): the OAuth client id (UPS, FedEx, USPS)
 * @client_secret: (nullable): the OAuth client secret
 *
 * The secrets of one tracking API.  Each field comes from the environment
 * (`WAYBILL_<ID>_API_KEY`, `WAYBILL_<ID>_CLIENT_ID`,
 * `WAYBILL_<ID>_CLIENT_SECRET`, with the API id upper-cased) when set there,
 * else from the keyring.  Secrets are never logged nor printed: use
 * waybill_credentials_describe() to say which fields are present.
 */
typedef struct
{
  char *api_key;
  char *client_id;
  char *client_secret;
} WaybillCredentials;

#define WAYBILL_TYPE_CREDENTIALS (waybill_credentials_get_type ())

GType               waybill_credentials_get_type       (void) G_GNUC_CONST;
const SecretSchema *waybill_credentials_get_schema     (void);

WaybillCredentials *waybill_credentials_new            (const char          *api_key,
                                                        const char          *client_id,
                                                        const char          *client_secret);
WaybillCredentials *waybill_credentials_copy           (const WaybillCredentials *self);
void                waybill_credentials_free           (WaybillCredentials  *self);
gboolean            waybill_credentials_equal          (const WaybillCredentials *a,
                                                        const WaybillCredentials *b);
gboolean            waybill_credentials_is_empty       (const WaybillCredentials *self);
gboolean            waybill_credentials_has_api_key    (const WaybillCredentials *self);
gboolean            waybill_credentials_has_client     (const WaybillCredentials *self);
const char         *waybill_credentials_get_field      (const WaybillCredentials *self,
                                                        const char          *field);
char               *waybill_credentials_describe       (const WaybillCredentials *self);

char               *waybill_credentials_env_name       (const char          *api_id,
                                                        const char          *suffix);
WaybillCredentials *waybill_credentials_from_env       (const char          *api_id);

/* Environment first, then the keyring, field by field.  Fields that are
 * found nowhere stay NULL; a keyring that cannot be reached is an error. */
void                waybill_credentials_lookup_async   (const char          *api_id,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
WaybillCredentials *waybill_credentials_lookup_finish  (GAsyncResult        *result,
                                                        GError             **error);
WaybillCredentials *waybill_credentials_lookup_sync    (const char          *api_id,
                                                        GCancellable        *cancellable,
                                                        GError             **error);

/* The keyring only.  @collection is a libsecret collection alias or path,
 * or %NULL for the default collection (SECRET_COLLECTION_DEFAULT). */
void                waybill_credentials_store_async    (const char          *api_id,
                                                        const char          *field,
                                                        const char          *secret,
                                                        const char          *collection,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean            waybill_credentials_store_finish   (GAsyncResult        *result,
                                                        GError             **error);
gboolean            waybill_credentials_store_sync     (const char          *api_id,
                                                        const char          *field,
                                                        const char          *secret,
                                                        const char          *collection,
                                                        GCancellable        *cancellable,
                                                        GError             **error);

/* Removes one field, or every field of the API when @field is %NULL.
 * Removing what is not there is not an error. */
void                waybill_credentials_clear_async    (const char          *api_id,
                                                        const char          *field,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean            waybill_credentials_clear_finish   (GAsyncResult        *result,
                                                        GError             **error);
gboolean            waybill_credentials_clear_sync     (const char          *api_id,
                                                        const char          *field,
                                                        GCancellable        *cancellable,
                                                        GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WaybillCredentials, waybill_credentials_free)

G_END_DECLS
