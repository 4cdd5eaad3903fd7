#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A local SMTP server for the tests (python3-aiosmtpd): listens on
# 127.0.0.1 on a free port, prints the port on stdout, and appends one
# JSON line per event to the log file: {"auth": true|false},
# {"refused": N} for a DATA answered 451, {"stalled": [to]} for a DATA never
# answered (--stall), or {"from", "to", "data"} for a message accepted.
#
#   smtp-sink.py LOG [--user NAME --password SECRET] [--fail N] [--stall]

import argparse
import asyncio
import json
import logging
import sys
import warnings

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

parser = argparse.ArgumentParser()
parser.add_argument("log")
parser.add_argument("--user")
parser.add_argument("--password")
parser.add_argument("--fail", type=int, default=0)
parser.add_argument("--stall", action="store_true",
                    help="take each message but never answer (a server or a "
                         "network that hangs after DATA)")
args = parser.parse_args()

failures_left = args.fail

# AUTH without TLS is what the test wants; keep stderr for real trouble.
warnings.filterwarnings("ignore")
logging.getLogger("mail.log").setLevel(logging.CRITICAL)


def log(entry):
    with open(args.log, "a", encoding="utf-8") as f:
        f.write(json.dumps(entry) + "\n")


class Handler:
    async def handle_DATA(self, server, session, envelope):
        global failures_left
        if args.stall:
            log({"stalled": envelope.rcpt_tos})
            await asyncio.Event().wait()
        if failures_left > 0:
            failures_left -= 1
            log({"refused": args.fail - failures_left})
            return "451 4.3.0 Mailbox busy, try again later"
        log({"from": envelope.mail_from,
             "to": envelope.rcpt_tos,
             "data": envelope.content.decode("utf-8", "replace")})
        return "250 2.0.0 OK"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = (isinstance(auth_data, LoginPassword)
          and auth_data.login == args.user.encode()
          and auth_data.password == args.password.encode())
    log({"auth": ok})
    # handled=False: aiosmtpd answers 535 itself.
    return AuthResult(success=ok, handled=False)


async def main():
    kwargs = {}
    if args.user is not None:
        kwargs = dict(authenticator=authenticator, auth_required=True,
                      auth_require_tls=False)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(Handler(), **kwargs),
                                      "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    # The test holds our stdin: when it ends (or dies), so do we.
    stdin_closed = loop.create_future()

    def stdin_ready():
        if not sys.stdin.buffer.read1(4096) and not stdin_closed.done():
            stdin_closed.set_result(None)

    loop.add_reader(sys.stdin.fileno(), stdin_ready)
    await stdin_closed
    server.close()


try:
    asyncio.run(main())
except KeyboardInterrupt:
    sys.exit(0)
