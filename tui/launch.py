"""Starting the app: in this terminal (`triage`), or in a web browser (`triage serve`).

Kept apart from `tui.cli` so the other commands never import Textual.
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

from engine.kb import resolve_kb_dir

WEB_DRIVER_ENV = "TEXTUAL_DRIVER"     # textual-serve runs each browser's app with this set


def can_run_here() -> bool:
    """A terminal to draw on, or textual-serve's web driver."""
    if os.environ.get(WEB_DRIVER_ENV):
        return True
    return sys.stdin.isatty() and sys.stdout.isatty()


def run_app(kb_dir: str | None) -> int:
    """The app in this terminal; returns when the user quits. KBError if the KB is unusable."""
    from tui.app import create_app

    app = create_app(kb_dir)
    app.run()
    return app.return_code or 0


def serve_command(kb_dir: str | None) -> str:
    """The command textual-serve starts for each browser: this triage, on the same KB."""
    argv = [sys.executable, "-m", "tui.cli"]
    if kb_dir:
        argv += ["--kb", str(Path(resolve_kb_dir(kb_dir)).resolve())]
    return shlex.join(argv)


def serve(kb_dir: str | None, host: str, port: int, public_url: str, token: str,
          allow_probes: bool = False) -> int:
    """The app in web browsers (one app process per visit, each needing `token`) until
    Ctrl+C (tui.webserve). Live checks would run on the server, whose place in the network is
    not the user's: off unless allowed."""
    from tui.webserve import build_server

    os.environ["TRIAGE_PROBES"] = "on" if allow_probes else "off"    # each visit's app
    build_server(serve_command(kb_dir), host, port, public_url, token).serve()
    return 0
