"""`triage diagnose`: one-shot diagnosis from ticket text, evidence files and answers."""

from __future__ import annotations

from pathlib import Path

from tui.cli.common import CliError, load_compiled, stdout_console
from tui.cli.stdin import stdin_file
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
    p.add_argument("--probe", metavar="KIND:TARGET", action="append", default=[],
                   help="run a read-only live check first and let its result answer "
                        "questions, e.g. tls:mail.contoso.com (repeatable)")
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


def parse_probes(raw: list[str]) -> list[tuple[str, str]]:
    if not raw:
        return []
    from engine.probes import KINDS

    out = []
    for item in raw:
        kind, sep, target = item.partition(":")
        if not sep or kind.strip() not in KINDS or not target.strip():
            raise CliError(f"--probe takes KIND:TARGET with KIND one of {', '.join(KINDS)} "
                           f"(e.g. tls:mail.contoso.com), not '{item[:60]}'")
        out.append((kind.strip(), target.strip()))
    return out


def probe(kind: str, target: str):
    """One read-only probe; its failure to observe is a result too (the maps read `error`)."""
    from engine.probes import ProbeError, run_probe

    try:
        return run_probe(kind, target)
    except ProbeError as exc:
        raise CliError(f"--probe {kind}:{target}: {exc}") from None


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
    from engine.evidence import EvidenceError
    from engine.inference import AnswerError, Interview
    from engine.inference.report import report as session_report

    answers = parse_answers(args.answer)
    probes = parse_probes(args.probe)
    check_evidence_paths(args.evidence)
    with load_compiled(args.kb) as compiled, Interview(compiled) as session:
        kb = compiled.kb
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
            for kind, target in probes:
                session.add_probe(probe(kind, target))
        except (AnswerError, EvidenceError) as exc:
            raise CliError(str(exc)) from None
        report = session_report(session)
        if args.json:
            print(json_text(inert_data(report)))    # redacted and inert (tui.console.safe)
            return 0
        from engine.render import fix_document
        from tui.console.diagnose import print_report

        top = report["diagnoses"][0]["id"] if report["diagnoses"] else None
        fix = None
        if top and report["verdict"] != "no-match":
            fix = fix_document(kb.entry(top), session.fix(top), kb, level=2)
    print_report(report, fix, stdout_console())    # redacted and inert when printed
    return 0
