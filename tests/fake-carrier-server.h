/* fake-carrier-server.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A local server that plays the carriers' tracking APIs for tests: a
 * SoupServer on 127.0.0.1 with an ephemeral port, each API on its real
 * paths, checking the API's own credentials (keys, OAuth tokens) and
 * answering what the test queued, as the API would.
 *
 * Typical use:
 *
 *   FakeCarrierServer *server = fake_carrier_server_new ();
 *   fake_carrier_server_setup_env (server);       // WAYBILL_<ID>_URL + credentials
 *   fake_response_fixture (fake_carrier_server_queue (server, "/track/shipments", 200),
 *                          "dhl/delivered.json");
 *   tracker = waybill_tracker_dhl_new (NULL);
 *   reply = fake_track_one (tracker, "00340434161094042557");
 *   g_assert_cmpuint (fake_carrier_server_count (server, "/track/shipments"), ==, 1);
 *   fake_carrier_server_free (server);
 *
 * Adding an API: write fake-carrier-server-<id>.c defining a FakeCarrierApi
 * (paths, credentials, check_auth and, for OAuth, a handle_default that
 * serves the token endpoint with fake_carrier_server_serve_token()), declare
 * it below, list it in fake-carrier-server.c's `apis` table, and add the
 * file to fake_server_lib in tests/meson.build.
 */

#pragma once

#include <libsoup/soup.h>

#include "carriers/waybill-tracker.h"

G_BEGIN_DECLS

typedef struct _FakeCarrierServer FakeCarrierServer;
typedef struct _FakeResponse      FakeResponse;
typedef struct _FakeCarrierApi    FakeCarrierApi;

/**
 * FakeResponseMode:
 * @FAKE_RESPONSE_NORMAL: answer with the status, headers and body
 * @FAKE_RESPONSE_NEVER_ANSWER: keep the request waiting until the server
 *   is freed (the client's timeout must fire)
 * @FAKE_RESPONSE_TRUNCATED: declare the body's full Content-Length, send
 *   half of it, then close the connection
 * @FAKE_RESPONSE_CHUNKED: send the body chunked, without a Content-Length
 */
typedef enum
{
  FAKE_RESPONSE_NORMAL,
  FAKE_RESPONSE_NEVER_ANSWER,
  FAKE_RESPONSE_TRUNCATED,
  FAKE_RESPONSE_CHUNKED,
} FakeResponseMode;

/**
 * FakeRequest:
 *
 * A request as the server received it.
 */
typedef struct
{
  char               *method;
  char               *path;
  char               *query;
  SoupMessageHeaders *headers;
  GBytes             *body;
  /* Whether check_auth accepted it. */
  gboolean            authorized;
} FakeRequest;

/**
 * FakeHandlerFunc:
 *
 * Answers a request in place of the queue (soup_server_message_set_status()
 * and _set_response()).  Returns %FALSE to leave it to the queue.
 */
typedef gboolean (*FakeHandlerFunc) (FakeCarrierServer *server,
                                     SoupServerMessage *message,
                                     const char        *path,
                                     gpointer           user_data);

/**
 * FakeCarrierApi:
 * @id: the API id, as in WAYBILL_<ID>_URL
 * @paths: (array zero-terminated=1): the path prefixes it serves
 * @api_key: (nullable): the key it accepts
 * @client_id: (nullable): the OAuth client it accepts
 * @client_secret: (nullable): and its secret
 * @check_auth: returns %TRUE when the request carries the right
 *   credentials; otherwise answers as the API does and returns %FALSE
 * @handle_default: (nullable): answers a request nothing is queued for
 *   (the token endpoint); returns %FALSE when it does not
 */
struct _FakeCarrierApi
{
  const char          *id;
  const char * const  *paths;
  const char          *api_key;
  const char          *client_id;
  const char          *client_secret;
  gboolean           (*check_auth)     (FakeCarrierServer    *server,
                                        const FakeCarrierApi *api,
                                        SoupServerMessage    *message,
                                        const char           *path);
  gboolean           (*handle_default) (FakeCarrierServer    *server,
                                        const FakeCarrierApi *api,
                                        SoupServerMessage    *message,
                                        const char           *path);
};

/* The APIs, one file each. */
extern const FakeCarrierApi fake_carrier_api_dhl;
extern const FakeCarrierApi fake_carrier_api_ups;
extern const FakeCarrierApi fake_carrier_api_fedex;
extern const FakeCarrierApi fake_carrier_api_usps;
extern const FakeCarrierApi fake_carrier_api_aftership;
extern const FakeCarrierApi fake_carrier_api_17track;

#define FAKE_DHL_API_KEY       "fake-dhl-key-5c1e"
#define FAKE_UPS_CLIENT_ID     "fake-ups-client-7a2b"
#define FAKE_UPS_CLIENT_SECRET "fake-ups-secret-9d4f"
#define FAKE_FEDEX_CLIENT_ID     "fake-fedex-client-3e8c"
#define FAKE_FEDEX_CLIENT_SECRET "fake-fedex-secret-6b1d"
#define FAKE_USPS_CLIENT_ID      "fake-usps-client-8f5a"
#define FAKE_USPS_CLIENT_SECRET  "fake-usps-secret-2c7e"
#define FAKE_AFTERSHIP_API_KEY   "fake-aftership-key-4d9b"
#define FAKE_17TRACK_API_KEY     "fake-17track-key-7a3f"

/* The server */
FakeCarrierServer *fake_carrier_server_new             (void);
void               fake_carrier_server_free            (FakeCarrierServer *self);
const char        *fake_carrier_server_get_url         (FakeCarrierServer *self);
void               fake_carrier_server_setup_env       (FakeCarrierServer *self);
void               fake_carrier_server_add_api         (FakeCarrierServer    *self,
                                                        const FakeCarrierApi *api);

/* Scripted answers: a queue per path, served in order. */
FakeResponse      *fake_carrier_server_queue           (FakeCarrierServer *self,
                                                        const char        *path,
                                                        guint              status);
FakeResponse      *fake_response_json                  (FakeResponse      *response,
                                                        const char        *json);
FakeResponse      *fake_response_body                  (FakeResponse      *response,
                                                        const char        *content_type,
                                                        const char        *body,
                                                        gsize              length);
FakeResponse      *fake_response_fixture               (FakeResponse      *response,
                                                        const char        *name);
FakeResponse      *fake_response_header                (FakeResponse      *response,
                                                        const char        *name,
                                                        const char        *value);
FakeResponse      *fake_response_mode                  (FakeResponse      *response,
                                                        FakeResponseMode   mode);
void               fake_carrier_server_set_handler     (FakeCarrierServer *self,
                                                        const char        *path,
                                                        FakeHandlerFunc    func,
                                                        gpointer           user_data);
guint              fake_carrier_server_pending         (FakeCarrierServer *self,
                                                        const char        *path);

/* What was asked */
guint              fake_carrier_server_count           (FakeCarrierServer *self,
                                                        const char        *path_prefix);
guint              fake_carrier_server_get_n_requests  (FakeCarrierServer *self);
const FakeRequest *fake_carrier_server_get_request     (FakeCarrierServer *self,
                                                        guint              index);
const FakeRequest *fake_carrier_server_get_last_request (FakeCarrierServer *self,
                                                        const char        *path_prefix);
guint              fake_carrier_server_get_n_unexpected (FakeCarrierServer *self);

/* OAuth, for the APIs that use it */
gboolean           fake_carrier_server_check_bearer    (FakeCarrierServer *self,
                                                        const char        *api_id,
                                                        SoupServerMessage *message);
void               fake_carrier_server_serve_token     (FakeCarrierServer *self,
                                                        const char        *api_id,
                                                        SoupServerMessage *message);
void               fake_carrier_server_set_token_expires_in
                                                       (FakeCarrierServer *self,
                                                        const char        *api_id,
                                                        const char        *json_value);
void               fake_carrier_server_expire_tokens   (FakeCarrierServer *self,
                                                        const char        *api_id);
guint              fake_carrier_server_get_n_tokens    (FakeCarrierServer *self,
                                                        const char        *api_id);
GHashTable        *fake_parse_form                     (SoupServerMessage *message);
void               fake_answer                         (SoupServerMessage *message,
                                                        guint              status,
                                                        const char        *json);

/* Test helpers */
char              *fake_load_fixture                   (const char        *name,
                                                        gsize             *out_length);
GPtrArray         *fake_track                          (WaybillTracker    *tracker,
                                                        const char * const *numbers,
                                                        GError           **error);
WaybillTrackingReply *fake_track_one                   (WaybillTracker    *tracker,
                                                        const char        *number);
void               fake_assert_error                   (const WaybillTrackingReply *reply,
                                                        WaybillTrackerError code);
void               fake_assert_no_secret               (const char        *text);

guint16            fake_closed_port                    (void);
void               fake_cancelled_cb                   (GObject           *source,
                                                        GAsyncResult      *result,
                                                        gpointer           user_data);
gboolean           fake_cancel_cb                      (gpointer           user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FakeCarrierServer, fake_carrier_server_free)

G_END_DECLS
