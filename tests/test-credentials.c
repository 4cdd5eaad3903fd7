/* test-credentials.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs inside `dbus-run-session`: gnome-keyring is D-Bus activated on the
 * private bus and keeps a session collection in memory, which is where
 * these tests store (SECRET_COLLECTION_SESSION).  Nothing touches the
 * developer's own keyring.
 */

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "carriers/waybill-credentials.h"
#include "carriers/waybill-tracker-dhl.h"
#include "carriers/waybill-tracker-registry.h"
#include "carriers/waybill-tracker-ups.h"

static const char * const apis[] = { "dhl", "ups", "fedex", "usps", "aftership", "17track" };

static void
clear_env (void)
{
  static const char * const suffixes[] = { "URL", "API_KEY", "CLIENT_ID", "CLIENT_SECRET" };

  for (guint i = 0; i < G_N_ELEMENTS (apis); i++)
    for (guint j = 0; j < G_N_ELEMENTS (suffixes); j++)
      {
        g_autofree char *name = waybill_credentials_env_name (apis[i], suffixes[j]);

        g_unsetenv (name);
      }
}

static void
setup (void)
{
  g_autoptr(GError) error = NULL;

  clear_env ();
  for (guint i = 0; i < G_N_ELEMENTS (apis); i++)
    {
      waybill_credentials_clear_sync (apis[i], NULL, NULL, &error);
      g_assert_no_error (error);
    }
}

static void
store (const char *api_id,
       const char *field,
       const char *secret)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (waybill_credentials_store_sync (api_id, field, secret, SECRET_COLLECTION_SESSION,
                                                 NULL, &error));
  g_assert_no_error (error);
}

static void
test_env (void)
{
  g_autoptr(WaybillCredentials) none = NULL;
  g_autoptr(WaybillCredentials) ups = NULL;
  g_autofree char *described = NULL;

  setup ();
  none = waybill_credentials_from_env ("ups");
  g_assert_null (none);

  g_setenv ("WAYBILL_UPS_CLIENT_ID", "env-id", TRUE);
  g_setenv ("WAYBILL_UPS_CLIENT_SECRET", "env-secret", TRUE);
  g_setenv ("WAYBILL_UPS_API_KEY", "", TRUE);
  ups = waybill_credentials_from_env ("ups");
  g_assert_nonnull (ups);
  g_assert_null (ups->api_key);
  g_assert_cmpstr (ups->client_id, ==, "env-id");
  g_assert_cmpstr (ups->client_secret, ==, "env-secret");
  g_assert_true (waybill_credentials_has_client (ups));
  g_assert_false (waybill_credentials_has_api_key (ups));
  g_assert_cmpstr (waybill_credentials_get_field (ups, WAYBILL_CREDENTIAL_CLIENT_ID), ==, "env-id");

  /* Says which fields there are, never what they hold. */
  described = waybill_credentials_describe (ups);
  g_assert_cmpstr (described, ==, "client_id, client_secret");
  g_assert_null (strstr (described, "env-secret"));
  clear_env ();
}

static void
test_keyring_sync (void)
{
  g_autoptr(WaybillCredentials) dhl = NULL;
  g_autoptr(WaybillCredentials) after_clear = NULL;
  g_autoptr(WaybillCredentials) other = NULL;
  g_autoptr(GError) error = NULL;

  setup ();
  store ("dhl", WAYBILL_CREDENTIAL_API_KEY, "keyring-dhl-key");
  store ("ups", WAYBILL_CREDENTIAL_CLIENT_ID, "keyring-ups-id");

  dhl = waybill_credentials_lookup_sync ("dhl", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dhl->api_key, ==, "keyring-dhl-key");
  g_assert_null (dhl->client_id);

  /* Another API's items are not mixed in. */
  other = waybill_credentials_lookup_sync ("fedex", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (waybill_credentials_is_empty (other));

  /* A second store replaces the value. */
  store ("dhl", WAYBILL_CREDENTIAL_API_KEY, "keyring-dhl-key-2");
  g_clear_pointer (&dhl, waybill_credentials_free);
  dhl = waybill_credentials_lookup_sync ("dhl", NULL, &error);
  g_assert_cmpstr (dhl->api_key, ==, "keyring-dhl-key-2");

  g_assert_true (waybill_credentials_clear_sync ("dhl", WAYBILL_CREDENTIAL_API_KEY, NULL, &error));
  g_assert_no_error (error);
  after_clear = waybill_credentials_lookup_sync ("dhl", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (after_clear->api_key);

  /* Clearing what is not there is fine. */
  g_assert_true (waybill_credentials_clear_sync ("dhl", NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
test_env_wins (void)
{
  g_autoptr(WaybillCredentials) ups = NULL;
  g_autoptr(GError) error = NULL;

  setup ();
  store ("ups", WAYBILL_CREDENTIAL_CLIENT_ID, "keyring-id");
  store ("ups", WAYBILL_CREDENTIAL_CLIENT_SECRET, "keyring-secret");
  g_setenv ("WAYBILL_UPS_CLIENT_ID", "env-id", TRUE);

  /* Field by field: the environment's id, the keyring's secret. */
  ups = waybill_credentials_lookup_sync ("ups", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ups->client_id, ==, "env-id");
  g_assert_cmpstr (ups->client_secret, ==, "keyring-secret");
  clear_env ();
}

typedef struct
{
  gboolean            done;
  gboolean            ok;
  WaybillCredentials *credentials;
  GError             *error;
} Wait;

static void
wait_for (Wait *wait)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!wait->done)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
stored_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Wait *wait = user_data;

  wait->ok = waybill_credentials_store_finish (result, &wait->error);
  wait->done = TRUE;
}

static void
looked_up_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Wait *wait = user_data;

  wait->credentials = waybill_credentials_lookup_finish (result, &wait->error);
  wait->done = TRUE;
}

static void
cleared_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Wait *wait = user_data;

  wait->ok = waybill_credentials_clear_finish (result, &wait->error);
  wait->done = TRUE;
}

static void
test_keyring_async (void)
{
  Wait stored = { 0 }, stored2 = { 0 }, looked_up = { 0 }, cleared = { 0 }, again = { 0 };

  setup ();
  waybill_credentials_store_async ("17track", WAYBILL_CREDENTIAL_API_KEY, "async-key",
                                   SECRET_COLLECTION_SESSION, NULL, stored_cb, &stored);
  wait_for (&stored);
  g_assert_no_error (stored.error);
  g_assert_true (stored.ok);
  waybill_credentials_store_async ("17track", WAYBILL_CREDENTIAL_CLIENT_ID, "async-id",
                                   SECRET_COLLECTION_SESSION, NULL, stored_cb, &stored2);
  wait_for (&stored2);
  g_assert_no_error (stored2.error);

  waybill_credentials_lookup_async ("17track", NULL, looked_up_cb, &looked_up);
  wait_for (&looked_up);
  g_assert_no_error (looked_up.error);
  g_assert_cmpstr (looked_up.credentials->api_key, ==, "async-key");
  g_assert_cmpstr (looked_up.credentials->client_id, ==, "async-id");
  waybill_credentials_free (looked_up.credentials);

  /* Every field of the API at once. */
  waybill_credentials_clear_async ("17track", NULL, NULL, cleared_cb, &cleared);
  wait_for (&cleared);
  g_assert_no_error (cleared.error);
  g_assert_true (cleared.ok);

  waybill_credentials_lookup_async ("17track", NULL, looked_up_cb, &again);
  wait_for (&again);
  g_assert_no_error (again.error);
  g_assert_true (waybill_credentials_is_empty (again.credentials));
  waybill_credentials_free (again.credentials);
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Wait *wait = user_data;

  if (WAYBILL_IS_TRACKER (source))
    wait->ok = waybill_tracker_load_credentials_finish (WAYBILL_TRACKER (source), result,
                                                        &wait->error);
  else
    wait->ok = waybill_tracker_registry_load_credentials_finish (WAYBILL_TRACKER_REGISTRY (source),
                                                                 result, &wait->error);
  wait->done = TRUE;
}

static void
test_tracker_loads (void)
{
  g_autoptr(WaybillTracker) dhl = NULL;
  g_autoptr(WaybillTrackerRegistry) registry = NULL;
  Wait loaded = { 0 }, registry_loaded = { 0 };

  setup ();
  dhl = waybill_tracker_dhl_new (NULL);
  g_assert_false (waybill_tracker_is_configured (dhl));

  store ("dhl", WAYBILL_CREDENTIAL_API_KEY, "keyring-dhl-key");
  waybill_tracker_load_credentials_async (dhl, NULL, loaded_cb, &loaded);
  wait_for (&loaded);
  g_assert_no_error (loaded.error);
  g_assert_true (loaded.ok);
  g_assert_true (waybill_tracker_is_configured (dhl));
  g_assert_cmpstr (waybill_tracker_get_credentials (dhl)->api_key, ==, "keyring-dhl-key");

  /* The registry reads every tracker's; UPS from the keyring too. */
  store ("ups", WAYBILL_CREDENTIAL_CLIENT_ID, "keyring-ups-id");
  store ("ups", WAYBILL_CREDENTIAL_CLIENT_SECRET, "keyring-ups-secret");
  registry = waybill_tracker_registry_new (NULL);
  g_assert_null (waybill_tracker_registry_for_carrier (registry, "ups"));
  waybill_tracker_registry_load_credentials_async (registry, NULL, loaded_cb, &registry_loaded);
  wait_for (&registry_loaded);
  g_assert_no_error (registry_loaded.error);
  g_assert_true (waybill_tracker_registry_for_carrier (registry, "ups") ==
                 waybill_tracker_registry_get (registry, "ups"));
  g_assert_true (waybill_tracker_registry_for_carrier (registry, "dhl-express") ==
                 waybill_tracker_registry_get (registry, "dhl"));

  /* Cleared from the keyring: no longer configured after a reload. */
  g_assert_true (waybill_credentials_clear_sync ("ups", NULL, NULL, NULL));
  registry_loaded.done = FALSE;
  waybill_tracker_registry_load_credentials_async (registry, NULL, loaded_cb, &registry_loaded);
  wait_for (&registry_loaded);
  g_assert_no_error (registry_loaded.error);
  g_assert_null (waybill_tracker_registry_for_carrier (registry, "ups"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* These tests clear Waybill's items: never on the developer's own
   * session bus.  tests/meson.build runs them under dbus-run-session and
   * says so with WAYBILL_TEST_PRIVATE_BUS. */
  if (g_getenv ("WAYBILL_TEST_PRIVATE_BUS") == NULL || g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_printerr ("Run with: dbus-run-session -- env WAYBILL_TEST_PRIVATE_BUS=1 %s\n", argv[0]);
      return 77;
    }

  g_test_add_func ("/waybill/credentials/env", test_env);
  g_test_add_func ("/waybill/credentials/keyring-sync", test_keyring_sync);
  g_test_add_func ("/waybill/credentials/env-wins", test_env_wins);
  g_test_add_func ("/waybill/credentials/keyring-async", test_keyring_async);
  g_test_add_func ("/waybill/credentials/tracker-loads", test_tracker_loads);

  return g_test_run ();
}
