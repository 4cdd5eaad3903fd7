/* smtp-sink-run.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* tests/smtp-sink.py on a free port of 127.0.0.1, for the tests that send
 * email; its log (a JSON object a line) holds what it received. */
typedef struct
{
  GSubprocess *process;
  char        *log_path;
  guint        port;
} SmtpSink;

void       smtp_sink_start         (SmtpSink   *sink,
                                    const char *dir,
                                    const char *user,
                                    const char *password,
                                    int         fail);
void       smtp_sink_start_stalled (SmtpSink   *sink,
                                    const char *dir);
void       smtp_sink_stop          (SmtpSink   *sink);
GPtrArray *smtp_sink_entries       (SmtpSink   *sink,
                                    const char *member);

/* What a mail in the sink's log says ("data" of an entry). */
char      *smtp_mail_header        (const char *data,
                                    const char *name);
char      *smtp_mail_body          (const char *data);

G_END_DECLS
