/* smtp-sink-run.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>

#include "smtp-sink-run.h"

static void
start (SmtpSink   *sink,
       const char *dir,
       const char *user,
       const char *password,
       int         fail,
       gboolean    stall)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDataInputStream) in = NULL;
  g_autofree char *line = NULL;

  sink->log_path = g_build_filename (dir, "smtp.log", NULL);
  g_ptr_array_add (argv, g_strdup ("/usr/bin/python3"));
  g_ptr_array_add (argv, g_build_filename (TEST_SRCDIR, "smtp-sink.py", NULL));
  g_ptr_array_add (argv, g_strdup (sink->log_path));
  if (user != NULL)
    {
      g_ptr_array_add (argv, g_strdup ("--user"));
      g_ptr_array_add (argv, g_strdup (user));
      g_ptr_array_add (argv, g_strdup ("--password"));
      g_ptr_array_add (argv, g_strdup (password));
    }
  if (fail > 0)
    {
      g_ptr_array_add (argv, g_strdup ("--fail"));
      g_ptr_array_add (argv, g_strdup_printf ("%d", fail));
    }
  if (stall)
    g_ptr_array_add (argv, g_strdup ("--stall"));
  g_ptr_array_add (argv, NULL);

  sink->process = g_subprocess_newv ((const char * const *) argv->pdata,
                                     G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);

  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sink->process));
  line = g_data_input_stream_read_line (in, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  sink->port = (guint) g_ascii_strtoull (line, NULL, 10);
  g_assert_cmpuint (sink->port, >, 0);
}

/* Starts the sink with its log in @dir.  With @user, it asks for that user
 * name and @password; it answers the first @fail messages with 451 (try
 * again later). */
void
smtp_sink_start (SmtpSink   *sink,
                 const char *dir,
                 const char *user,
                 const char *password,
                 int         fail)
{
  start (sink, dir, user, password, fail, FALSE);
}

/* Starts a sink that takes every message and never answers it (it logs
 * {"stalled": recipients}). */
void
smtp_sink_start_stalled (SmtpSink   *sink,
                         const char *dir)
{
  start (sink, dir, NULL, NULL, 0, TRUE);
}

void
smtp_sink_stop (SmtpSink *sink)
{
  if (sink->process != NULL)
    {
      g_subprocess_send_signal (sink->process, SIGTERM);
      g_subprocess_wait (sink->process, NULL, NULL);
      g_clear_object (&sink->process);
    }
  g_clear_pointer (&sink->log_path, g_free);
}

/* The log's entries that have @member. */
GPtrArray *
smtp_sink_entries (SmtpSink   *sink,
                   const char *member)
{
  GPtrArray *entries = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (sink->log_path, &text, NULL, NULL))
    return entries;

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *object;

      if (*lines[i] == '\0')
        continue;
      g_assert_true (json_parser_load_from_data (parser, lines[i], -1, NULL));
      object = json_node_get_object (json_parser_get_root (parser));
      if (json_object_has_member (object, member))
        g_ptr_array_add (entries, json_object_ref (object));
    }

  return entries;
}

/* The value of the header @name of the mail @data, or %NULL. */
char *
smtp_mail_header (const char *data,
                  const char *name)
{
  g_auto(GStrv) lines = g_strsplit (data, "\r\n", -1);
  g_autofree char *prefix = g_strdup_printf ("%s: ", name);

  for (guint i = 0; lines[i] != NULL && *lines[i] != '\0'; i++)
    if (g_str_has_prefix (lines[i], prefix))
      return g_strdup (lines[i] + strlen (prefix));

  return NULL;
}

/* The body of the mail @data as the customer reads it (decoded when it
 * is base64). */
char *
smtp_mail_body (const char *data)
{
  const char *body = strstr (data, "\r\n\r\n");
  g_autofree char *encoding = smtp_mail_header (data, "Content-Transfer-Encoding");
  g_autofree guchar *raw = NULL;
  g_autoptr(GString) flat = g_string_new (NULL);
  gsize length;

  g_assert_nonnull (body);
  body += 4;
  if (g_strcmp0 (encoding, "base64") != 0)
    return g_strdup (body);

  for (const char *p = body; *p != '\0'; p++)
    if (*p != '\r' && *p != '\n')
      g_string_append_c (flat, *p);
  raw = g_base64_decode (flat->str, &length);

  return g_strndup ((const char *) raw, length);
}
