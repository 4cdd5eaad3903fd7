/* cli-run.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "test-util.h"

G_BEGIN_DECLS

/* Runs the real `waybill` binary (from $WAYBILL_BINARY) as a person or a
 * script would, for the command-line tests. */
typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

void      run_clear             (Run        *run);
void      waybill               (Run        *run,
                                 const char *data_dir,
                                 ...) G_GNUC_NULL_TERMINATED;
JsonNode *parse                 (const char *text);
void      assert_one_error_line (Run        *run);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

G_END_DECLS
