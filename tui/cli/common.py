"""What every `triage` command shares: its errors, exit codes and the `--kb` option."""

from __future__ import annotations

import argparse
import gc
import sys
from typing import TYPE_CHECKING, TypeVar

from engine.kb.paths import KBError

T = TypeVar("T")

if TYPE_CHECKING:
    from rich.console import Console

    from engine.inference import CompiledKB
    from engine.kb import KnowledgeBase

EXIT_PROBLEMS = 1   # lint found problems; an unknown id; nothing matched
EXIT_USAGE = 2      # bad arguments, unusable KB or input
EXIT_INTERNAL = 70  # a bug in triage


class ArgumentParser(argparse.ArgumentParser):
    """argparse with its usage errors made inert: they quote what was typed, and what was typed
    may come from a ticket (an escape sequence, a pasted password)."""

    def error(self, message: str):
        from tui.console.safe import inert

        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {inert(message)}\n")


class CliError(Exception):
    """A one-line error for stderr, with its exit code."""

    def __init__(self, message: str, code: int = EXIT_USAGE):
        super().__init__(message)
        self.code = code


def global_options(top: bool) -> argparse.ArgumentParser:
    """`--kb DIR`, accepted before the command and after it. After it, the default is left
    out (SUPPRESS), so a subcommand never overwrites a value given before it."""
    options = ArgumentParser(add_help=False)
    options.add_argument("--kb", metavar="DIR",
                         default=None if top else argparse.SUPPRESS,
                         help="knowledge base folder (default: $TRIAGE_KB, else the bundled KB)")
    return options


def load_clean(kb_arg: str | None) -> KnowledgeBase:
    """Load the KB for use (through the compiled-KB cache); refuse (one line) if it is missing
    or has errors."""
    from engine.kb.cache import load_clean_cached

    try:
        return loaded(load_clean_cached(kb_arg))
    except KBError as exc:
        raise CliError(str(exc)) from None


def load_compiled(kb_arg: str | None) -> CompiledKB:
    """The KB ready for interviews (`engine.inference.cached`); refused like `load_clean`."""
    from engine.inference.cached import compiled_kb

    try:
        return loaded(compiled_kb(kb_arg))
    except KBError as exc:
        raise CliError(str(exc)) from None


def loaded(value: T) -> T:
    """After the KB is loaded: what was allocated so far stays for the whole process, so it is
    set aside (gc.freeze) and the collector, off while starting up (tui.cli), comes back on for
    the work (evidence, reports) that does make garbage."""
    gc.freeze()
    gc.enable()
    return value


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not '{text}'")
    return value


def stdout_console() -> Console:
    from rich.console import Console

    return Console(highlight=False, emoji=False, markup=False)


def warn(message: str) -> None:
    from tui.console.safe import inert

    print(f"triage: warning: {inert(message)}", file=sys.stderr)
