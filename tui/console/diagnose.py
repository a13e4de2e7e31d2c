"""`triage diagnose` for people: the verdict, the candidates, the fix, the facts and what to ask."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from engine.inference.differential import (near_miss_note, outside_cause_note,
                                            unexplained_note)
from engine.render import Block
from tui.console.blocks import print_blocks
from tui.console.safe import inert

VERDICT_STYLE = {"confident": "bold green", "ambiguous": "bold yellow", "no-match": "bold red"}
VERDICT_TEXT = {
    "confident": "Confident diagnosis",
    "ambiguous": "Not sure yet: answer the questions below to narrow it down",
    "no-match": "No confident match: the knowledge base does not seem to cover this",
}


def headline(report: dict) -> str:
    verdict = report["verdict"]
    checks = [q for q in report["next_questions"] if q.get("confirms")]
    if verdict == "ambiguous" and checks and report["diagnoses"] \
            and checks[0]["confirms"] == report["diagnoses"][0]["id"]:
        return (f"Likely {checks[0]['confirms']}, from the ticket alone and not confirmed "
                f"yet: the question {checks[0]['id']} below confirms it or rules it out")
    if verdict != "confident" and report["diagnoses"] and not report["next_questions"]:
        return (VERDICT_TEXT[verdict].split(":")[0] + ": nothing left to ask; the best "
                "candidates are below")
    return VERDICT_TEXT[verdict]


def print_contested(report: dict, console: Console) -> None:
    """What the ticket's words answered that rules a candidate out, so a misreading can be
    corrected."""
    for said in report.get("contested", ()):
        console.print(Text(
            f"  the ticket's words answered {inert(said['question'])} = "
            f"{inert(said['value'])} ('{inert(said['words'])}'), which rules out "
            f"{inert(said['rules_out'])}; if that is wrong: --answer "
            f"{inert(said['question'])}=VALUE", style="yellow"))


def print_report(report: dict, fix: list[Block] | None, console: Console) -> None:
    """The report (`engine.inference.report`) and the leading candidate's fix as blocks."""
    verdict = report["verdict"]
    console.print(Text(headline(report), style=VERDICT_STYLE[verdict]))
    for note in report.get("notes", ()):
        console.print(Text(f"note: {inert(note)}", style="dim"))
    for item in report["evidence"]:
        line = f"evidence {item['name']}: {item['lines']} lines, {item['hits']} matches"
        if item["skipped"]:
            line = f"evidence {item['name']}: skipped ({item['skipped']})"
        console.print(Text(inert(line), style="dim"))
        for note in item.get("notes", ()):
            console.print(Text(f"  note: {inert(note)}", style="dim"))
    diagnoses = report["diagnoses"]
    if diagnoses:
        table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
        table.add_column("confidence", justify="right")
        table.add_column("id", no_wrap=True)
        table.add_column("title", overflow="fold")
        for d in diagnoses:
            table.add_row(f"{d['confidence'] * 100:.0f}%", d["id"], Text(inert(d["title"])))
        console.print(table)
    if verdict != "no-match" and diagnoses:
        top = diagnoses[0]
        if verdict != "confident":
            console.print(Text(f"\nIf it is {top['id']}:", style="bold yellow"))
        console.print(Text(f"Why: {inert(top['why'])}", style="italic"))
        for condition in top.get("open_conditions", ()):
            console.print(Text(f"  not yet known: {inert(condition)}", style="yellow"))
        print_contested(report, console)
        if fix:
            print_blocks(fix, console)
    if report.get("outside_kb"):
        console.print(Text(outside_cause_note(inert(report["outside_kb"])), style="yellow"))
    if report.get("unexplained"):
        console.print(Text(unexplained_note(report["unexplained"]), style="yellow"))
    if report.get("near_miss"):
        console.print(Text(near_miss_note(report["near_miss"]), style="yellow"))
    if report.get("nearest"):
        near = ", ".join(n["id"] for n in report["nearest"])
        console.print(Text(f"Closest entries (not a match): {near}", style="dim"))
        if verdict == "no-match":
            print_contested(report, console)
    if report["facts"]:
        console.print(Text("\nFacts", style="bold"))
        for fact in report["facts"]:
            console.print(Text.assemble(f"  {inert(fact['name'])} = {inert(str(fact['value']))}  ",
                                        (f"({inert(fact['described'])})", "dim")))
    questions = report["next_questions"]
    if questions:
        console.print(Text("\nNext questions (answer with --answer ID=VALUE)", style="bold"))
        for q in questions:
            console.print(Text.assemble("  ", (q["id"], "bold"), f": {inert(q['text'])}"))
            for choice in q["choices"]:
                console.print(Text(f"      {choice['value']}: {inert(choice['label'])}"))
            if q["type"] == "number":
                console.print(Text("      (a number)"))
            console.print(Text("      unknown: don't know"))
