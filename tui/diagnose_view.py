"""`triage diagnose` for people: the verdict, the candidates, the fix, the facts and what to ask."""

from __future__ import annotations

from rich.console import Console, Group
from rich.markdown import Markdown
from rich.markup import escape
from rich.panel import Panel
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

VERDICT_STYLE = {"confident": "bold green", "ambiguous": "bold yellow", "no-match": "bold red"}
VERDICT_TEXT = {
    "confident": "Confident diagnosis",
    "ambiguous": "Not sure yet: answer the questions below to narrow it down",
    "no-match": "No confident match: the knowledge base does not seem to cover this",
}
LEXER = {"powershell": "powershell", "cmd": "batch", "cli": "text", "sql": "sql",
         "registry": "ini", "text": "text", "bash": "bash", "sh": "bash"}


def print_report(report: dict, console: Console | None = None) -> None:
    console = console or Console()
    verdict = report["verdict"]
    headline = VERDICT_TEXT[verdict]
    checks = [q for q in report["next_questions"] if q.get("confirms")]
    if verdict == "ambiguous" and checks and report["diagnoses"] \
            and checks[0]["confirms"] == report["diagnoses"][0]["id"]:
        headline = (f"Likely {checks[0]['confirms']}, from the ticket alone: answer "
                    f"{checks[0]['id']} below to confirm it")
    console.print(Text(headline, style=VERDICT_STYLE[verdict]))
    for item in report["evidence"]:
        line = f"evidence {item['name']}: {item['lines']} lines, {item['hits']} matches"
        if item["skipped"]:
            line = f"evidence {item['name']}: skipped ({item['skipped']})"
        console.print(Text(line, style="dim"))
    diagnoses = report["diagnoses"]
    if diagnoses:
        table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
        table.add_column("confidence", justify="right")
        table.add_column("id")
        table.add_column("title", overflow="fold")
        for d in diagnoses:
            table.add_row(f"{d['confidence'] * 100:.0f}%", d["id"], d["title"])
        console.print(table)
    if verdict != "no-match" and diagnoses:
        _print_fix(console, diagnoses[0], verdict)
    if report.get("nearest"):
        near = ", ".join(n["id"] for n in report["nearest"])
        console.print(Text(f"Closest entries (not a match): {near}", style="dim"))
    facts = report["facts"]
    if facts:
        console.print(Text("\nFacts", style="bold"))
        for fact in facts:
            console.print(f"  {escape(fact['name'])} = {escape(str(fact['value']))}  "
                          f"[dim]({escape(fact['described'])})[/dim]")
    questions = report["next_questions"]
    if questions:
        console.print(Text("\nNext questions (answer with --answer ID=VALUE)", style="bold"))
        for q in questions:
            console.print(f"  [bold]{escape(q['id'])}[/bold]: {escape(q['text'])}")
            for choice in q["choices"]:
                console.print(f"      {escape(choice['value'])}: {escape(choice['label'])}")
            if q["type"] == "number":
                console.print("      (a number)")
            console.print("      unknown: don't know")


def _print_fix(console: Console, top: dict, verdict: str) -> None:
    fix = top["fix"]
    title = ("Fix" if top["kind"] == "diagnosis" else "Steps") + f": {top['title']}"
    if verdict != "confident":
        title = f"If it is {top['id']}: " + ("fix" if top["kind"] == "diagnosis" else "steps")
    parts: list = [Text(f"Why: {top['why']}", style="italic")]
    for step in fix["steps"]:
        parts.append(Text(""))
        parts.append(Markdown(f"**{step['step']}.** {step['text']}"))
        for command in step["commands"]:
            parts.append(_code(command))
    if fix["verify"]["text"]:
        parts.append(Text("\nVerify", style="bold"))
        parts.append(Markdown(fix["verify"]["text"], code_theme="ansi_dark"))
    if fix["filled"]:
        filled = ", ".join(f"<{k}> = {v}" for k, v in fix["filled"].items())
        parts.append(Text(f"\nFilled from the evidence: {filled}", style="dim"))
    console.print(Panel(Group(*parts), title=escape(title), title_align="left"))


def _code(command: dict) -> Syntax:
    return Syntax(command["code"], LEXER.get(command["language"], "text"),
                  theme="ansi_dark", word_wrap=True, padding=(0, 2))
