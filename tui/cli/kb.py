"""`triage lint`, `triage list` and `triage show`: the KB itself."""

from __future__ import annotations

import sys
from pathlib import Path

from engine.kb.paths import KBError, resolve_kb_dir
from tui.cli.common import EXIT_PROBLEMS, CliError, load_clean, stdout_console
from tui.console.safe import inert, inert_data, json_text


def add_parsers(commands, options) -> None:
    p = commands.add_parser("lint", parents=[options], help="check a knowledge base; exit 1 "
                            "with 'path:line: message' lines when it has problems")
    p.add_argument("kb_dir", nargs="?", metavar="KB_DIR", help="the KB to check (default: --kb)")
    p.set_defaults(run=cmd_lint)

    p = commands.add_parser("list", parents=[options], help="list all entries")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=cmd_list)

    p = commands.add_parser("show", parents=[options], help="show one entry, rendered")
    p.add_argument("id", help="entry id, e.g. pop3-user-connection-limit")
    p.add_argument("--json", action="store_true", help="print the entry as JSON data")
    p.set_defaults(run=cmd_show)


def cmd_lint(args) -> int:
    from engine.lint import lint  # the loader and every check: lint only

    root = Path(args.kb_dir) if args.kb_dir else resolve_kb_dir(args.kb)
    try:
        problems = lint(root)
    except KBError as exc:
        raise CliError(str(exc)) from None
    for problem in problems:
        print(inert(problem.format()))
    if problems:
        errors = sum(1 for p in problems if p.severity == "error")
        print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} "
              f"({errors} error{'s' if errors != 1 else ''}, {len(problems) - errors} "
              f"warning{'s' if len(problems) - errors != 1 else ''})", file=sys.stderr)
        return EXIT_PROBLEMS
    return 0


def cmd_list(args) -> int:
    from tui.console import entries as view

    kb = load_clean(args.kb)
    found = sorted(kb.entries, key=lambda e: (e.area, e.id))
    if args.json:
        print(json_text(inert_data({"entries": [view.entry_summary(e, kb) for e in found]})))
    else:
        view.print_list(found, stdout_console())
    return 0


def cmd_show(args) -> int:
    from tui.console import entries as view

    kb = load_clean(args.kb)
    entry = kb.entry(args.id)
    if entry is None:
        suggestions = view.nearest_ids(args.id, [e.id for e in kb.entries])
        hint = f"; did you mean: {', '.join(suggestions)}?" if suggestions else \
            "; 'triage list' shows every id"
        raise CliError(f"no entry with id '{inert(args.id)}'{hint}", EXIT_PROBLEMS)
    if args.json:
        print(json_text(inert_data(view.entry_data(entry, kb))))
    else:
        view.print_entry(entry, kb, stdout_console())
    return 0
