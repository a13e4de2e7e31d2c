"""The `triage` command line (contract: shared/DESIGN.md, "Command line contract").

Every command takes `--kb DIR` (default: $TRIAGE_KB, else the bundled KB). Errors are one
line on stderr and a non-zero exit code; a traceback is never shown.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from engine.evidence.scanner import EvidenceError
from engine.inference.compiled import CompiledKB
from engine.inference.interview import AnswerError, Interview
from engine.inference.report import report as session_report
from engine.kb import loader
from engine.kb.loader import KBError, resolve_kb_dir
from engine.kb.models import KnowledgeBase
from engine.lint import lint
from engine.search.index import SearchError, SearchIndex
from engine.search.query import parse_query
from tui import probe_cli, render, search_view
from tui.diagnose_view import print_report
from tui.stdin import stdin_file

EXIT_PROBLEMS = 1   # lint found problems; an unknown id
EXIT_USAGE = 2      # bad arguments, unusable KB or input
EXIT_INTERNAL = 70  # a bug in triage


class CliError(Exception):
    """A one-line error for stderr, with its exit code."""

    def __init__(self, message: str, code: int = EXIT_USAGE):
        super().__init__(message)
        self.code = code


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--kb", metavar="DIR", help="knowledge base folder (default: $TRIAGE_KB, "
                                                    "else the bundled KB)")
    parser = argparse.ArgumentParser(
        prog="triage", parents=[common],
        description="Troubleshooting expert system for Microsoft Exchange and its Cisco "
                    "integrations (TMSXE, Unity Connection, IM and Presence, UCCX). "
                    "Without a command, opens the app in this terminal.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = commands.add_parser("lint", parents=[common], help="check a knowledge base; exit 1 "
                            "with 'path:line: message' lines when it has problems")
    p.add_argument("kb_dir", nargs="?", metavar="KB_DIR", help="the KB to check (default: --kb)")
    p.set_defaults(run=cmd_lint)

    p = commands.add_parser("list", parents=[common], help="list all entries")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=cmd_list)

    p = commands.add_parser("show", parents=[common], help="show one entry, rendered")
    p.add_argument("id", help="entry id, e.g. pop3-user-connection-limit")
    p.add_argument("--json", action="store_true", help="print the entry as JSON data")
    p.set_defaults(run=cmd_show)

    p = commands.add_parser(
        "search", parents=[common], help="ranked search of the KB: error codes, event ids, "
        "cmdlets, status lines, symptoms", description="Search the KB. Codes, event ids, "
        "SMTP status codes and cmdlet names match exactly, words by their stem, the last word "
        "also as the start of a word. Put '--' before a query that starts with '-'.")
    p.add_argument("query", nargs="+", metavar="QUERY", help="what to look for, e.g. 0x35, "
                   "'451 4.4.0', Set-POPSettings, 'SAN mismatch'")
    p.add_argument("--limit", type=positive_int, default=10, metavar="N",
                   help="at most N results (default: 10)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=cmd_search)

    p = commands.add_parser(
        "diagnose", parents=[common], help="one-shot diagnosis from ticket text, evidence "
        "files and answers", description="Diagnose from the ticket text, evidence (log files, "
        "cmdlet output, event exports; '-' reads stdin) and answers to the interview's "
        "questions. Prints the verdict, the candidates, the fix, the facts and the next "
        "questions to ask.")
    p.add_argument("--text", metavar="T", default="", help="the ticket text, as the caller wrote it")
    p.add_argument("--evidence", metavar="PATH", action="append", default=[],
                   help="an evidence file, or '-' for stdin (repeatable)")
    p.add_argument("--answer", metavar="NAME=VALUE", action="append", default=[],
                   help="an answer to a question, e.g. product=imp or unknown (repeatable)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=cmd_diagnose)

    p = commands.add_parser(
        "serve", parents=[common], help="the app in a web browser (textual-serve); "
        "localhost only unless --host says otherwise",
        description="Serve the triage app to web browsers: each visit gets its own app. "
        "It listens on 127.0.0.1 unless --host names another address.")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    p.set_defaults(run=cmd_serve)
    probe_cli.add_parser(commands, [common])
    return parser


def load_clean(kb_arg: str | None) -> KnowledgeBase:
    """Load the KB for use; refuse (one line) if it is missing or has errors."""
    try:
        return loader.load_clean(kb_arg)
    except KBError as exc:
        raise CliError(str(exc)) from None


def cmd_lint(args) -> int:
    root = Path(args.kb_dir) if args.kb_dir else resolve_kb_dir(args.kb)
    try:
        problems = lint(root)
    except KBError as exc:
        raise CliError(str(exc)) from None
    for problem in problems:
        print(problem.format())
    if problems:
        errors = sum(1 for p in problems if p.severity == "error")
        print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} "
              f"({errors} error{'s' if errors != 1 else ''}, {len(problems) - errors} "
              f"warning{'s' if len(problems) - errors != 1 else ''})", file=sys.stderr)
        return EXIT_PROBLEMS
    return 0


def cmd_list(args) -> int:
    kb = load_clean(args.kb)
    entries = sorted(kb.entries, key=lambda e: (e.area, e.id))
    if args.json:
        print(json.dumps({"entries": [render.entry_summary(e) for e in entries]}, indent=2))
    else:
        render.print_list(entries)
    return 0


def cmd_show(args) -> int:
    kb = load_clean(args.kb)
    entry = kb.entry(args.id)
    if entry is None:
        suggestions = render.nearest_ids(args.id, [e.id for e in kb.entries])
        hint = f"; did you mean: {', '.join(suggestions)}?" if suggestions else \
            "; 'triage list' shows every id"
        raise CliError(f"no entry with id '{args.id}'{hint}", EXIT_PROBLEMS)
    if args.json:
        print(json.dumps(render.entry_data(entry, kb), indent=2))
    else:
        render.print_entry(entry, kb)
    return 0


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not '{text}'")
    return value


def cmd_search(args) -> int:
    query = " ".join(args.query)
    kb = load_clean(args.kb)
    try:
        with SearchIndex.open(kb) as index:
            if index.warning:
                print(f"triage: warning: {index.warning}", file=sys.stderr)
            results = index.search(query, limit=args.limit)
    except SearchError as exc:
        raise CliError(str(exc)) from None
    if args.json:
        print(json.dumps(results.to_json(), indent=2, ensure_ascii=False))
    elif results.results:
        search_view.print_results(results)
    if not results.results:
        raise CliError(search_view.no_match_message(query, results, bool(parse_query(query))),
                       EXIT_PROBLEMS)
    return 0


def parse_answers(raw: list[str]) -> list[tuple[str, str]]:
    answers = []
    for item in raw:
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise CliError(f"--answer takes NAME=VALUE (e.g. product=imp), not '{item}'")
        answers.append((name.strip(), value.strip()))
    return answers


def cmd_diagnose(args) -> int:
    answers = parse_answers(args.answer)
    if args.evidence.count("-") > 1:
        raise CliError("--evidence - (stdin) can be given only once")
    for path in args.evidence:
        if path != "-" and not Path(path).exists():
            raise CliError(f"evidence file not found: {path}")
        if path != "-" and Path(path).is_dir():
            raise CliError(f"evidence is a directory, not a file: {path}")
    kb = load_clean(args.kb)
    with CompiledKB(kb) as knowledge, Interview(knowledge) as session:
        try:
            for name, value in answers:
                session.answer(name, value)
            if args.text:
                session.set_text(args.text)
            for path in args.evidence:
                if path == "-":
                    with stdin_file() as spooled:
                        session.add_evidence_file(spooled, name="stdin")
                else:
                    session.add_evidence_file(path)
        except (AnswerError, EvidenceError) as exc:
            raise CliError(str(exc)) from None
        report = session_report(session)
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        print_report(report)
    return 0


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
        return launch.serve(args.kb, args.host, args.port)
    except OSError as exc:
        raise CliError(f"cannot serve on {args.host}:{args.port}: {exc.strerror or exc}") from None


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            return cmd_app(args, parser)
        return args.run(args)
    except CliError as exc:
        print(f"triage: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print("triage: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # never a traceback: one line, and a code that says "bug"
        print(f"triage: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
