/* test-oauth-token.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "carriers/waybill-oauth-token.h"
#include "fake-carrier-server.h"

#define TOKEN_PATH "/oauth2/v3/token"
#define DATA_PATH "/data/v1/thing"
#define CLIENT_ID "test-client-id"
#define CLIENT_SECRET "test client secret&="

/* ---- A tracker and an API for the token alone --------------------------- */

#define TEST_TYPE_TRACKER (test_tracker_get_type ())
G_DECLARE_FINAL_TYPE (TestTracker, test_tracker, TEST, TRACKER, WaybillTracker)

struct _TestTracker
{
  WaybillTracker parent_instance;
};

G_DEFINE_FINAL_TYPE (TestTracker, test_tracker, WAYBILL_TYPE_TRACKER)

static void
test_tracker_class_init (TestTrackerClass *klass)
{
  WaybillTrackerClass *tracker_class = WAYBILL_TRACKER_CLASS (klass);

  tracker_class->id = "oauthtest";
  tracker_class->name = "Test API";
  tracker_class->default_url = "https://oauth.invalid";
  tracker_class->auth = WAYBILL_TRACKER_AUTH_CLIENT;
}

static void
test_tracker_init (TestTracker *self)
{
}

/* Accepts the client as form fields or in a Basic header. */
static gboolean
test_api_check_auth (FakeCarrierServer    *server,
                     const FakeCarrierApi *api,
                     SoupServerMessage    *message,
                     const char           *path)
{
  if (g_str_equal (path, TOKEN_PATH))
    {
      g_autoptr(GHashTable) form = fake_parse_form (message);
      const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (message),
                                                         "Authorization");
      g_autofree char *pair = g_strconcat (api->client_id, ":", api->client_secret, NULL);
      g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
      g_autofree char *basic = g_strconcat ("Basic ", encoded, NULL);

      if (g_strcmp0 (g_hash_table_lookup (form, "grant_type"), "client_credentials") == 0 &&
          ((g_strcmp0 (g_hash_table_lookup (form, "client_id"), api->client_id) == 0 &&
            g_strcmp0 (g_hash_table_lookup (form, "client_secret"), api->client_secret) == 0) ||
           g_strcmp0 (header, basic) == 0))
        return TRUE;

      fake_answer (message, SOUP_STATUS_UNAUTHORIZED,
                   "{\"error\":\"invalid_client\",\"error_description\":\"Client authentication failed\"}");
      return FALSE;
    }

  if (fake_carrier_server_check_bearer (server, api->id, message))
    return TRUE;

  fake_answer (message, SOUP_STATUS_UNAUTHORIZED, "{\"error\":\"invalid_token\"}");
  return FALSE;
}

static gboolean
test_api_handle_default (FakeCarrierServer    *server,
                         const FakeCarrierApi *api,
                         SoupServerMessage    *message,
                         const char           *path)
{
  if (g_str_equal (path, TOKEN_PATH))
    fake_carrier_server_serve_token (server, api->id, message);
  else
    fake_answer (message, SOUP_STATUS_OK, "{\"ok\":true}");

  return TRUE;
}

static const FakeCarrierApi test_api = {
  .id = "oauthtest",
  .paths = (const char * const []) { TOKEN_PATH, DATA_PATH, NULL },
  .client_id = CLIENT_ID,
  .client_secret = CLIENT_SECRET,
  .check_auth = test_api_check_auth,
  .handle_default = test_api_handle_default,
};

/* ---- Fixture ------------------------------------------------------------ */

typedef struct
{
  FakeCarrierServer *server;
  WaybillTracker    *tracker;
  WaybillOAuthToken *token;
  gint64             now;
} Fixture;

static gint64
fixture_clock (gpointer user_data)
{
  Fixture *f = user_data;

  return f->now;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  WaybillOAuthClientAuth client_auth = GPOINTER_TO_INT (data);
  g_autoptr(WaybillCredentials) credentials = waybill_credentials_new (NULL, CLIENT_ID,
                                                                       CLIENT_SECRET);

  f->server = fake_carrier_server_new ();
  fake_carrier_server_add_api (f->server, &test_api);
  f->tracker = g_object_new (TEST_TYPE_TRACKER,
                             "base-url", fake_carrier_server_get_url (f->server),
                             "credentials", credentials,
                             NULL);
  f->token = waybill_oauth_token_new (f->tracker, TOKEN_PATH, client_auth,
                                      client_auth == WAYBILL_OAUTH_CLIENT_AUTH_FORM ? "tracking"
                                                                                    : NULL);
  f->now = 1000;
  waybill_oauth_token_set_clock (f->token, fixture_clock, f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_finalize_object (f->token);
  g_assert_finalize_object (f->tracker);
  g_assert_cmpuint (fake_carrier_server_get_n_unexpected (f->server), ==, 0);
  fake_carrier_server_free (f->server);
}

typedef struct
{
  gboolean  done;
  char     *token;
  GError   *error;
  guint     retry_after;
} GetWait;

static void
get_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  GetWait *wait = user_data;

  wait->token = waybill_oauth_token_get_finish (WAYBILL_OAUTH_TOKEN (source), result,
                                                &wait->retry_after, &wait->error);
  g_assert_true ((wait->token == NULL) != (wait->error == NULL));
  wait->done = TRUE;
}

static void
wait_for (gboolean *done)
{
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (!*done)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, FALSE);
    }
}

static char *
get_token (Fixture  *f,
           guint    *out_retry_after,
           GError  **error)
{
  GetWait wait = { 0 };

  waybill_oauth_token_get_async (f->token, NULL, get_cb, &wait);
  wait_for (&wait.done);
  if (out_retry_after != NULL)
    *out_retry_after = wait.retry_after;
  if (wait.error != NULL)
    {
      fake_assert_no_secret (wait.error->message);
      g_assert_null (strstr (wait.error->message, CLIENT_SECRET));
      g_propagate_error (error, wait.error);
    }

  return wait.token;
}

static void
assert_token (Fixture    *f,
              const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = get_token (f, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, expected);
}

static void
assert_token_error (Fixture    *f,
                    int         code)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = get_token (f, NULL, &error);

  g_assert_null (token);
  g_assert_error (error, WAYBILL_TRACKER_ERROR, code);
}

/* ---- Tests -------------------------------------------------------------- */

static void
test_form (Fixture       *f,
           gconstpointer  data)
{
  const FakeRequest *request;
  g_autofree char *body = NULL;
  g_autoptr(GHashTable) form = NULL;

  g_assert_false (waybill_oauth_token_is_valid (f->token));
  assert_token (f, "oauthtest-token-1");
  g_assert_true (waybill_oauth_token_is_valid (f->token));
  assert_token (f, "oauthtest-token-1");
  g_assert_cmpuint (fake_carrier_server_count (f->server, TOKEN_PATH), ==, 1);

  request = fake_carrier_server_get_last_request (f->server, TOKEN_PATH);
  g_assert_cmpstr (request->method, ==, "POST");
  g_assert_null (request->query);
  g_assert_null (soup_message_headers_get_one (request->headers, "Authorization"));
  body = g_strndup (g_bytes_get_data (request->body, NULL), g_bytes_get_size (request->body));
  form = soup_form_decode (body);
  g_assert_cmpstr (g_hash_table_lookup (form, "grant_type"), ==, "client_credentials");
  g_assert_cmpstr (g_hash_table_lookup (form, "client_id"), ==, CLIENT_ID);
  g_assert_cmpstr (g_hash_table_lookup (form, "client_secret"), ==, CLIENT_SECRET);
  g_assert_cmpstr (g_hash_table_lookup (form, "scope"), ==, "tracking");
}

static void
test_basic (Fixture       *f,
            gconstpointer  data)
{
  const FakeRequest *request;
  g_autofree char *body = NULL;

  assert_token (f, "oauthtest-token-1");
  request = fake_carrier_server_get_last_request (f->server, TOKEN_PATH);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_one (request->headers, "Authorization"),
                                   "Basic "));
  body = g_strndup (g_bytes_get_data (request->body, NULL), g_bytes_get_size (request->body));
  g_assert_cmpstr (body, ==, "grant_type=client_credentials");
}

static void
test_shared_fetch (Fixture       *f,
                   gconstpointer  data)
{
  GetWait waits[3] = { { 0 } };

  for (guint i = 0; i < G_N_ELEMENTS (waits); i++)
    waybill_oauth_token_get_async (f->token, NULL, get_cb, &waits[i]);
  for (guint i = 0; i < G_N_ELEMENTS (waits); i++)
    {
      wait_for (&waits[i].done);
      g_assert_no_error (waits[i].error);
      g_assert_cmpstr (waits[i].token, ==, "oauthtest-token-1");
      g_free (waits[i].token);
    }

  g_assert_cmpuint (fake_carrier_server_count (f->server, TOKEN_PATH), ==, 1);
}

static void
test_expiry_number (Fixture       *f,
                    gconstpointer  data)
{
  fake_carrier_server_set_token_expires_in (f->server, "oauthtest", "3599");

  assert_token (f, "oauthtest-token-1");
  /* Kept until 60 s before it expires. */
  f->now += 3599 - 60 - 1;
  assert_token (f, "oauthtest-token-1");
  f->now += 1;
  g_assert_false (waybill_oauth_token_is_valid (f->token));
  assert_token (f, "oauthtest-token-2");
  g_assert_cmpuint (fake_carrier_server_count (f->server, TOKEN_PATH), ==, 2);
}

static void
test_expiry_string (Fixture       *f,
                    gconstpointer  data)
{
  fake_carrier_server_set_token_expires_in (f->server, "oauthtest", "\"14399\"");
  assert_token (f, "oauthtest-token-1");
  f->now += 14399 - 61;
  assert_token (f, "oauthtest-token-1");
  f->now += 1;
  assert_token (f, "oauthtest-token-2");

  /* A short life: renewed at half of it. */
  fake_carrier_server_set_token_expires_in (f->server, "oauthtest", "\"90\"");
  f->now += 100000;
  assert_token (f, "oauthtest-token-3");
  f->now += 44;
  assert_token (f, "oauthtest-token-3");
  f->now += 1;
  assert_token (f, "oauthtest-token-4");

  /* No expires_in at all: an hour. */
  fake_carrier_server_set_token_expires_in (f->server, "oauthtest", "null");
  f->now += 100000;
  assert_token (f, "oauthtest-token-5");
  f->now += 3600 - 61;
  assert_token (f, "oauthtest-token-5");
}

static void
test_invalidate (Fixture       *f,
                 gconstpointer  data)
{
  assert_token (f, "oauthtest-token-1");
  /* A token renewed since is kept. */
  waybill_oauth_token_invalidate (f->token, "oauthtest-token-0");
  g_assert_true (waybill_oauth_token_is_valid (f->token));
  waybill_oauth_token_invalidate (f->token, "oauthtest-token-1");
  g_assert_false (waybill_oauth_token_is_valid (f->token));
  assert_token (f, "oauthtest-token-2");
  waybill_oauth_token_invalidate (f->token, NULL);
  assert_token (f, "oauthtest-token-3");
}

static void
test_new_credentials (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(WaybillCredentials) other = waybill_credentials_new (NULL, CLIENT_ID, "changed");

  assert_token (f, "oauthtest-token-1");
  waybill_tracker_set_credentials (f->tracker, other);
  g_assert_false (waybill_oauth_token_is_valid (f->token));
  /* The server knows only the old secret. */
  assert_token_error (f, WAYBILL_TRACKER_ERROR_AUTH);
  g_assert_cmpuint (fake_carrier_server_count (f->server, TOKEN_PATH), ==, 2);
}

static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  guint retry_after = 0;

  fake_response_json (fake_carrier_server_queue (f->server, TOKEN_PATH, 400),
                      "{\"error\":\"invalid_client\"}");
  assert_token_error (f, WAYBILL_TRACKER_ERROR_AUTH);

  fake_response_json (fake_carrier_server_queue (f->server, TOKEN_PATH, 500), "{}");
  assert_token_error (f, WAYBILL_TRACKER_ERROR_UNAVAILABLE);

  fake_response_header (fake_carrier_server_queue (f->server, TOKEN_PATH, 429), "Retry-After", "9");
  token = get_token (f, &retry_after, &error);
  g_assert_error (error, WAYBILL_TRACKER_ERROR, WAYBILL_TRACKER_ERROR_RATE_LIMITED);
  g_assert_cmpuint (retry_after, ==, 9);

  fake_response_body (fake_carrier_server_queue (f->server, TOKEN_PATH, 200), "text/html",
                      "<html>login</html>", 18);
  assert_token_error (f, WAYBILL_TRACKER_ERROR_BAD_RESPONSE);

  fake_response_json (fake_carrier_server_queue (f->server, TOKEN_PATH, 200),
                      "{\"token_type\":\"Bearer\",\"expires_in\":3599}");
  assert_token_error (f, WAYBILL_TRACKER_ERROR_BAD_RESPONSE);

  fake_response_json (fake_carrier_server_queue (f->server, TOKEN_PATH, 200),
                      "{\"access_token\":42}");
  assert_token_error (f, WAYBILL_TRACKER_ERROR_BAD_RESPONSE);

  /* And all is well again. */
  assert_token (f, "oauthtest-token-1");
}

static void
test_bad_client (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(WaybillCredentials) wrong = waybill_credentials_new (NULL, CLIENT_ID, "nope-secret");
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  waybill_tracker_set_credentials (f->tracker, wrong);
  token = get_token (f, NULL, &error);
  g_assert_error (error, WAYBILL_TRACKER_ERROR, WAYBILL_TRACKER_ERROR_AUTH);
  g_assert_cmpstr (error->message, ==,
                   "Test API rejected Waybill’s credentials; check the Test API client ID and secret in Preferences");
  g_assert_null (strstr (error->message, "nope-secret"));
}

static void
test_not_configured (Fixture       *f,
                     gconstpointer  data)
{
  waybill_tracker_set_credentials (f->tracker, NULL);
  assert_token_error (f, WAYBILL_TRACKER_ERROR_NOT_CONFIGURED);
  g_assert_cmpuint (fake_carrier_server_get_n_requests (f->server), ==, 0);
}

static void
test_cancel_waiter (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GetWait cancelled = { 0 };
  GetWait kept = { 0 };

  waybill_oauth_token_get_async (f->token, cancellable, get_cb, &cancelled);
  waybill_oauth_token_get_async (f->token, NULL, get_cb, &kept);
  g_cancellable_cancel (cancellable);

  wait_for (&cancelled.done);
  g_assert_error (cancelled.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&cancelled.error);

  /* The fetch goes on for the other caller. */
  wait_for (&kept.done);
  g_assert_no_error (kept.error);
  g_assert_cmpstr (kept.token, ==, "oauthtest-token-1");
  g_free (kept.token);
  g_assert_cmpuint (fake_carrier_server_count (f->server, TOKEN_PATH), ==, 1);

  /* Already cancelled: nothing is fetched. */
  cancelled.done = FALSE;
  waybill_oauth_token_invalidate (f->token, NULL);
  waybill_oauth_token_get_async (f->token, cancellable, get_cb, &cancelled);
  wait_for (&cancelled.done);
  g_assert_error (cancelled.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&cancelled.error);
  g_assert_cmpuint (fake_carrier_server_count (f->server, TOKEN_PATH), ==, 1);
}

static void
test_timeout (Fixture       *f,
              gconstpointer  data)
{
  waybill_tracker_set_timeout_ms (f->tracker, 200);
  fake_response_mode (fake_carrier_server_queue (f->server, TOKEN_PATH, 200),
                      FAKE_RESPONSE_NEVER_ANSWER);
  assert_token_error (f, WAYBILL_TRACKER_ERROR_NETWORK);
}

/* ---- Sending with the token ---------------------------------------------- */

static SoupMessage *
build_data_request (WaybillTracker  *tracker,
                    gpointer         user_data,
                    GError         **error)
{
  guint *n_built = user_data;

  (*n_built)++;

  return waybill_tracker_new_message (tracker, "GET", DATA_PATH, error);
}

typedef struct
{
  gboolean             done;
  WaybillHttpResponse *response;
  GError              *error;
} SendWait;

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  SendWait *wait = user_data;

  wait->response = waybill_oauth_token_send_finish (WAYBILL_OAUTH_TOKEN (source), result, NULL,
                                                    &wait->error);
  wait->done = TRUE;
}

static WaybillHttpResponse *
send_data (Fixture *f,
           guint   *n_built)
{
  SendWait wait = { 0 };

  waybill_oauth_token_send_async (f->token, build_data_request, n_built, NULL, NULL,
                                  send_cb, &wait);
  wait_for (&wait.done);
  g_assert_no_error (wait.error);
  g_assert_nonnull (wait.response);

  return wait.response;
}

static void
test_send_renews_once (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(WaybillHttpResponse) first = NULL;
  g_autoptr(WaybillHttpResponse) renewed = NULL;
  g_autoptr(WaybillHttpResponse) refused = NULL;
  guint n_built = 0;

  first = send_data (f, &n_built);
  g_assert_cmpuint (first->status, ==, 200);
  g_assert_cmpuint (n_built, ==, 1);
  g_assert_cmpstr (soup_message_headers_get_one (fake_carrier_server_get_last_request (f->server, DATA_PATH)->headers,
                                                 "Authorization"),
                   ==, "Bearer oauthtest-token-1");

  /* Refused once: a new token, and the request again. */
  fake_response_json (fake_carrier_server_queue (f->server, DATA_PATH, 401),
                      "{\"error\":\"invalid_token\"}");
  renewed = send_data (f, &n_built);
  g_assert_cmpuint (renewed->status, ==, 200);
  g_assert_cmpuint (n_built, ==, 3);
  g_assert_cmpuint (fake_carrier_server_count (f->server, TOKEN_PATH), ==, 2);
  g_assert_cmpstr (soup_message_headers_get_one (fake_carrier_server_get_last_request (f->server, DATA_PATH)->headers,
                                                 "Authorization"),
                   ==, "Bearer oauthtest-token-2");

  /* Refused twice: the second refusal is the answer. */
  fake_response_json (fake_carrier_server_queue (f->server, DATA_PATH, 401), "{}");
  fake_response_json (fake_carrier_server_queue (f->server, DATA_PATH, 401), "{}");
  refused = send_data (f, &n_built);
  g_assert_cmpuint (refused->status, ==, 401);
  g_assert_cmpuint (n_built, ==, 5);
  g_assert_cmpuint (fake_carrier_server_count (f->server, TOKEN_PATH), ==, 3);
  g_assert_cmpuint (fake_carrier_server_count (f->server, DATA_PATH), ==, 5);
}

static void
test_send_expired (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(WaybillHttpResponse) first = NULL;
  g_autoptr(WaybillHttpResponse) second = NULL;
  guint n_built = 0;

  first = send_data (f, &n_built);
  fake_carrier_server_expire_tokens (f->server, "oauthtest");
  second = send_data (f, &n_built);
  g_assert_cmpuint (second->status, ==, 200);
  g_assert_cmpuint (fake_carrier_server_get_n_tokens (f->server, "oauthtest"), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  gconstpointer form = GINT_TO_POINTER (WAYBILL_OAUTH_CLIENT_AUTH_FORM);
  gconstpointer basic = GINT_TO_POINTER (WAYBILL_OAUTH_CLIENT_AUTH_BASIC);

  g_test_init (&argc, &argv, NULL);

#define ADD(path, data, func) \
  g_test_add ("/waybill/oauth-token/" path, Fixture, data, fixture_setup, func, fixture_teardown)

  ADD ("form", form, test_form);
  ADD ("basic", basic, test_basic);
  ADD ("shared-fetch", form, test_shared_fetch);
  ADD ("expiry-number", form, test_expiry_number);
  ADD ("expiry-string", basic, test_expiry_string);
  ADD ("invalidate", form, test_invalidate);
  ADD ("new-credentials", form, test_new_credentials);
  ADD ("errors", form, test_errors);
  ADD ("bad-client", basic, test_bad_client);
  ADD ("not-configured", form, test_not_configured);
  ADD ("cancel-waiter", form, test_cancel_waiter);
  ADD ("timeout", form, test_timeout);
  ADD ("send-renews-once", basic, test_send_renews_once);
  ADD ("send-expired", form, test_send_expired);

  return g_test_run ();
}
