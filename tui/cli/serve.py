"""`triage` alone (the app in this terminal) and `triage serve` (the app in web browsers)."""

from __future__ import annotations

import argparse
import getpass
import os

from engine.kb.paths import KBError
from tui.cli.common import CliError, load_clean, warn


def add_parsers(commands, options) -> None:
    p = commands.add_parser(
        "serve", parents=[options], help="the app in a web browser (textual-serve); "
        "localhost only unless --host says otherwise; a token is required",
        description="Serve the triage app to web browsers: each visit gets its own app. "
        "It listens on 127.0.0.1 unless --host names another address. Every visit needs the "
        "token printed at start (or given with --token or $TRIAGE_SERVE_TOKEN): whoever has it "
        "can read every saved session and read and write files on this machine through the "
        "app. Another address than 127.0.0.1 is warned about: put HTTPS in front of it "
        "(docs/user-guide.md).")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    p.add_argument("--allow-probes", action="store_true",
                   help="offer live checks in the served app; they run on this server, so "
                        "only where its network position is the users' (default: off)")
    p.add_argument("--public-url", metavar="URL", help="the address browsers use, e.g. "
                   "https://triage.corp.example behind a reverse proxy (default: "
                   "http://HOST:PORT, this machine's name when HOST is 0.0.0.0)")
    p.add_argument("--token", help="the token visits must bring (default: $TRIAGE_SERVE_TOKEN, "
                   "else a new random one, printed); at least 16 characters")
    p.set_defaults(run=cmd_serve)


def cmd_app(args, parser: argparse.ArgumentParser) -> int:
    """`triage` alone: the app, when there is a terminal to draw it on; else the help."""
    from tui import launch

    if not launch.can_run_here():
        parser.print_help()
        return 0
    try:
        return launch.run_app(args.kb)
    except KBError as exc:
        raise CliError(str(exc)) from None


def cmd_serve(args) -> int:
    from tui import launch, webserve

    if not 0 < args.port < 65536:
        raise CliError(f"--port must be between 1 and 65535, not {args.port}")
    token = args.token or os.environ.get(webserve.TOKEN_ENV) or webserve.new_token()
    if len(token) < 16 or not token.isprintable() or " " in token:
        raise CliError("--token must be at least 16 printable characters without spaces")
    public_url = (args.public_url or webserve.default_public_url(args.host, args.port)).rstrip("/")
    if not public_url.startswith(("http://", "https://")):
        raise CliError(f"--public-url must start with http:// or https://, not '{public_url}'")
    load_clean(args.kb)            # a broken KB fails here, not in every browser tab
    if not webserve.is_loopback(args.host):
        warn(f"serving on {args.host}, not only this machine: anyone who can reach port "
             f"{args.port} and has the token can read every saved session and read and write "
             f"files here as {getpass.getuser()}; use HTTPS in front of it (docs/user-guide.md)")
    print(f"Serving triage at {public_url}/?token={token}", flush=True)
    print("Open that address in a browser (the token is needed once per browser); Ctrl+C stops.",
          flush=True)
    try:
        return launch.serve(args.kb, args.host, args.port, public_url, token,
                            args.allow_probes)
    except OSError as exc:
        raise CliError(f"cannot serve on {args.host}:{args.port}: {exc.strerror or exc}") from None
