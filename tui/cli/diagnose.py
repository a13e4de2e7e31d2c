"""`triage diagnose`: one-shot diagnosis from ticket text, evidence files and answers."""

from __future__ import annotations

from pathlib import Path

from engine.evidence import EvidenceError
from engine.inference import AnswerError, CompiledKB, Interview
from engine.inference.report import report as session_report
from engine.render import fix_document
from tui.cli.common import CliError, load_clean, stdout_console
from tui.cli.stdin import stdin_file
from tui.console.diagnose import print_report
from tui.console.safe import inert_data, json_text


def add_parsers(commands, options) -> None:
    p = commands.add_parser(
        "diagnose", parents=[options], help="one-shot diagnosis from ticket text, evidence "
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


def parse_answers(raw: list[str]) -> list[tuple[str, str]]:
    answers: dict[str, str] = {}
    for item in raw:
        name, sep, value = item.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name or not value:
            raise CliError(f"--answer takes NAME=VALUE (e.g. product=imp), not '{item[:60]}'")
        if name in answers and answers[name] != value:
            raise CliError(f"--answer {name} is given twice with different values "
                           f"('{answers[name][:30]}' and '{value[:30]}'); give it once")
        answers[name] = value
    return list(answers.items())


def check_evidence_paths(paths: list[str]) -> None:
    if paths.count("-") > 1:
        raise CliError("--evidence - (stdin) can be given only once")
    for path in paths:
        if path == "-":
            continue
        if not Path(path).exists():
            raise CliError(f"evidence file not found: {path}")
        if Path(path).is_dir():
            raise CliError(f"evidence is a directory, not a file: {path}")


def cmd_diagnose(args) -> int:
    answers = parse_answers(args.answer)
    check_evidence_paths(args.evidence)
    kb = load_clean(args.kb)
    with CompiledKB(kb) as compiled, Interview(compiled) as session:
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
        top = report["diagnoses"][0]["id"] if report["diagnoses"] else None
        fix = None
        if top and report["verdict"] != "no-match":
            fix = fix_document(kb.entry(top), session.fix(top), kb, level=2)
    if args.json:
        print(json_text(inert_data(report)))
    else:
        print_report(report, fix, stdout_console())    # redacted and inert when printed
    return 0

