/* fake-background-portal.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* org.freedesktop.portal.Background on the session bus, in the test's own
 * process (its own connection), answering RequestBackground as told and
 * keeping what it was asked. */
typedef struct
{
  GDBusConnection *connection;
  guint            object_id;
  guint            request_id;

  /* How to answer: the Response code (0 yes, 1 the user said no, 2
   * failed), what "autostart" says, and whether to answer at all. */
  guint32          response;
  gboolean         grant_autostart;
  gboolean         silent;

  /* What it was asked. */
  guint            n_calls;
  char            *parent_window;
  GVariant        *options;
  char            *handle;
  gboolean         closed;
} FakePortal;

FakePortal *fake_portal_new  (void);
void        fake_portal_free (FakePortal *portal);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FakePortal, fake_portal_free)

G_END_DECLS
