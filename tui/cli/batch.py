"""`triage batch INPUT [--out FILE] [--workers N]`: many tickets (JSONL or a CSV export) to
JSONL results, one line per ticket, in input order: `{"id", ...}` plus what `triage diagnose
--json` prints for that ticket, or `{"id", "error"}` (engine.batch does the work)."""

from __future__ import annotations

import json
import re
import sys
from contextlib import nullcontext
from pathlib import Path

from tui.cli.common import EXIT_PROBLEMS, CliError, positive_int
from tui.console.safe import inert, inert_data


def add_parsers(commands, options) -> None:
    p = commands.add_parser(
        "batch", parents=[options], help="diagnose many tickets (JSONL or CSV) to JSONL "
        "results, one line per ticket",
        description="Diagnose every ticket of INPUT as 'triage diagnose --json' would and "
        "write one JSON line per ticket, in input order: its id and the diagnose keys "
        "(verdict, diagnoses, facts, next_questions ...), or its id and an error. INPUT is "
        "JSONL ({\"id\", \"text\", \"evidence\": [paths relative to the file]}) or a CSV "
        "export (ServiceNow, Jira ...: the id and text columns are found from the header). "
        "With --out, ids already in FILE are skipped, so a stopped run can be resumed. A bad "
        "row is reported on stderr with its row number; the run goes on (exit 1 at the end).")
    p.add_argument("input", metavar="INPUT", help="a .jsonl or .csv file, or '-' for stdin")
    p.add_argument("--out", metavar="FILE", help="write results here (appending, resumable); "
                   "default: stdout")
    p.add_argument("--workers", type=positive_int, metavar="N",
                   help="worker processes (default: one per core)")
    p.add_argument("--format", choices=("jsonl", "csv"),
                   help="the input's format (default: from the name, else the content)")
    p.add_argument("--id-column", metavar="NAME", help="CSV: the id column (default: found "
                   "from the header: number, Issue key, id ...)")
    p.add_argument("--text-column", metavar="NAME", action="append",
                   help="CSV: a text column; repeat it to join several (default: found from "
                   "the header: short_description + description, Summary + Description ...)")
    p.add_argument("--summary", action="store_true", help="print how many tickets got each "
                   "verdict and each diagnosis (to stdout with --out, else to stderr)")
    p.set_defaults(run=cmd_batch)


def result_line(data: dict) -> str:
    """One output line: the JSON `diagnose --json` prints (every string made inert the same
    way), on one line."""
    text = json.dumps(inert_data(data), ensure_ascii=False, separators=(",", ":"))
    return re.sub(r"[\x7f-\x9f\u2028\u2029]", lambda m: f"\\u{ord(m.group()):04x}", text)


def cmd_batch(args) -> int:
    from engine.batch import InputError, Summary, diagnose_tickets, finished, read_tickets
    from engine.kb.paths import KBError

    path = None if args.input == "-" else Path(args.input)
    try:
        tickets = read_tickets(path, sys.stdin.buffer.read() if path is None else None,
                               args.format, args.id_column, args.text_column)
    except InputError as exc:
        raise CliError(str(exc)) from None
    summary = Summary()
    out_path = Path(args.out) if args.out else None
    if out_path is not None and out_path.is_dir():
        raise CliError(f"--out is a directory, not a file: {out_path}")
    done = finished(out_path, summary) if out_path is not None else set()
    todo = [t for t in tickets if t.key is None or t.key not in done or t.duplicate]
    bad = 0
    try:
        out = out_path.open("a", encoding="utf-8") if out_path is not None else sys.stdout
    except OSError as exc:
        raise CliError(f"cannot write {out_path}: {exc.strerror or exc}") from None
    try:
        with out if out_path is not None else nullcontext(), _progress(len(todo), out_path) as step:
            for outcome in diagnose_tickets(todo, args.kb, result_line, args.workers):
                if outcome.error:
                    bad += 1
                    shown = f" (id {inert(str(outcome.ticket.id))})" if outcome.ticket.id \
                        is not None else ""
                    print(f"triage: row {outcome.ticket.row}{shown}: {inert(outcome.error)}",
                          file=sys.stderr)
                if outcome.line is not None:
                    out.write(outcome.line + "\n")
                    out.flush()
                    summary.add(json.loads(outcome.line))
                step()
    except KBError as exc:
        raise CliError(str(exc)) from None
    if args.summary:
        print_summary(summary, len(tickets) - len(todo),
                      sys.stdout if out_path is not None else sys.stderr)
    return EXIT_PROBLEMS if bad else 0


def _progress(total: int, out_path: Path | None):
    """A progress bar on stderr when it is a terminal (and the results do not go to that
    terminal); otherwise nothing. Returns a context giving the function to call per ticket."""
    if not sys.stderr.isatty() or (out_path is None and sys.stdout.isatty()) or total < 2:
        return nullcontext(lambda: None)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    class _Bar:
        def __enter__(self):
            self.progress = Progress("diagnosing", BarColumn(), MofNCompleteColumn(),
                                     TimeRemainingColumn(), console=Console(stderr=True),
                                     transient=True)
            self.progress.start()
            self.task = self.progress.add_task("tickets", total=total)
            return lambda: self.progress.advance(self.task)

        def __exit__(self, *exc):
            self.progress.stop()

    return _Bar()


def print_summary(summary, skipped: int, stream) -> None:
    from engine.batch.output import VERDICTS

    print(f"{summary.total} tickets" + (f" ({skipped} from an earlier run)" if skipped else ""),
          file=stream)
    for verdict in VERDICTS:
        print(f"  {verdict:<10} {summary.verdicts[verdict]:>6}", file=stream)
    rows = summary.rows()
    if not rows:
        return
    width = max(len(r[0]) for r in rows)
    print(f"\n{'top diagnosis':<{width}}  confident  ambiguous  title", file=stream)
    for entry_id, title, confident, ambiguous in rows:
        print(f"{entry_id:<{width}}  {confident:>9}  {ambiguous:>9}  {inert(title)}",
              file=stream)
