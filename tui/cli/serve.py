"""`triage` alone (the app in this terminal) and `triage serve` (the app in web browsers)."""

from __future__ import annotations

import argparse

from engine.kb.paths import KBError
from tui.cli.common import CliError, load_clean


def add_parsers(commands, options) -> None:
    p = commands.add_parser(
        "serve", parents=[options], help="the app in a web browser (textual-serve); "
        "localhost only unless --host says otherwise",
        description="Serve the triage app to web browsers: each visit gets its own app. "
        "It listens on 127.0.0.1 unless --host names another address.")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    p.add_argument("--allow-probes", action="store_true",
                   help="offer live checks in the served app; they run on this server, so "
                        "only where its network position is the users' (default: off)")
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
    from tui import launch

    if not 0 < args.port < 65536:
        raise CliError(f"--port must be between 1 and 65535, not {args.port}")
    load_clean(args.kb)            # a broken KB fails here, not in every browser tab
    try:
        return launch.serve(args.kb, args.host, args.port, args.allow_probes)
    except OSError as exc:
        raise CliError(f"cannot serve on {args.host}:{args.port}: {exc.strerror or exc}") from None
