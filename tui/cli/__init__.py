"""The `triage` command line (contract: docs/user-guide.md, "Commands").

Every command takes `--kb DIR` before or after its name (default: $TRIAGE_KB, else the bundled
KB). Errors are one line on stderr and a non-zero exit code; a traceback is never shown.
"""

from __future__ import annotations

import gc

# Starting up allocates only what the process keeps (modules, then the KB): the collector
# would walk it all for nothing (a tenth of a one-shot command's time). It is back on once
# the KB is loaded (tui.cli.common.loaded) and from the start for the app, serve and batch.
gc.disable()

import argparse  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402

from tui.cli import batch, diagnose, kb, probe, search, serve
from tui.cli.common import EXIT_INTERNAL, ArgumentParser, CliError, global_options
from tui.console.safe import inert

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(
        prog="triage", parents=[global_options(top=True)],
        description="Troubleshooting expert system for Microsoft Exchange and its Cisco "
                    "integrations (TMSXE, Unity Connection, IM and Presence, UCCX). "
                    "Without a command, opens the app in this terminal.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND",
                                     parser_class=ArgumentParser)
    options = global_options(top=False)
    for module in (kb, search, diagnose, batch, probe, serve):
        module.add_parsers(commands, options)
    return parser


class Terminated(BaseException):
    """SIGTERM, raised where the command is, so that cleanup (`finally`) runs: a spool file of
    stdin is removed. A BaseException, so no `except Exception` on the way swallows it."""


def _terminate(signum, frame) -> None:
    raise Terminated()


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(search.options_anywhere(sys.argv[1:] if argv is None else argv))
        if args.command in (None, "serve", "batch"):
            gc.enable()                         # long-running: collect as usual
        if args.command is None:
            return serve.cmd_app(args, parser)
        if args.command != "serve":             # the app and textual-serve handle their own
            signal.signal(signal.SIGTERM, _terminate)
        return args.run(args)
    except Terminated:
        print("triage: terminated", file=sys.stderr)
        return 128 + signal.SIGTERM
    except CliError as exc:
        print(f"triage: {inert(str(exc))}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print("triage: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # never a traceback: one line, and a code that says "bug"
        print(f"triage: internal error: {type(exc).__name__}: {inert(str(exc))}",
              file=sys.stderr)
        return EXIT_INTERNAL
