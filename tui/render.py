"""Turning KB entries into terminal output (rich) and JSON data for the command line."""

from __future__ import annotations

import difflib

from rich.console import Console
from rich.markdown import Markdown
from rich.panel import Panel
from rich.table import Table

from engine.models import Condition, Entry, KnowledgeBase


def entry_summary(entry: Entry) -> dict:
    """One row of `triage list --json`."""
    return {"id": entry.id, "title": entry.title, "kind": entry.kind, "area": entry.area,
            "source": entry.source, "products": list(entry.products),
            "aliases": list(entry.aliases)}


def rule_lines(condition: Condition | None, depth: int = 0) -> list[str]:
    """The rule written back as the indented bullet list it was read from."""
    if condition is None:
        return []
    pad = "  " * depth
    if condition.kind == "atom":
        return [f"{pad}- {condition.text()}"]
    if condition.op == "all" and depth == 0:
        return [line for item in condition.items for line in rule_lines(item, depth)]
    head = {"all": "all of:", "any": "any of:", "none": "none of:"}.get(
        condition.op, f"{condition.op.replace('_', ' ')} {condition.count} of:")
    lines = [f"{pad}- {head}"]
    for item in condition.items:
        lines.extend(rule_lines(item, depth + 1))
    return lines


def entry_data(entry: Entry, kb: KnowledgeBase) -> dict:
    """`triage show --json`: the whole entry as data, plus the signatures it cites."""
    data = entry.model_dump(mode="json")
    data["rule_text"] = rule_lines(entry.rule)
    data["signatures"] = [
        {"id": s.id, "description": s.description, "literal": s.literal, "regex": s.regex,
         "sets": [f"{x.fact} is {x.value}" for x in s.sets]}
        for ref in entry.evidence if (s := kb.signature(ref.signature)) is not None
    ]
    return data


def nearest_ids(wanted: str, ids: list[str], n: int = 3) -> list[str]:
    close = difflib.get_close_matches(wanted, ids, n=n, cutoff=0.5)
    partial = [i for i in ids if wanted and wanted.lower() in i and i not in close]
    return (close + partial)[:n]


def print_list(entries: list[Entry], console: Console | None = None) -> None:
    console = console or Console()
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column("id", style="cyan", no_wrap=True)
    table.add_column("kind")
    table.add_column("area")
    table.add_column("title")
    for entry in entries:
        table.add_row(entry.id, entry.kind, entry.area, entry.title)
    console.print(table)
    console.print(f"{len(entries)} entries", style="dim")


def print_entry(entry: Entry, kb: KnowledgeBase, console: Console | None = None) -> None:
    console = console or Console()
    facts = [f"[bold]{entry.id}[/]  ·  {entry.kind}  ·  {entry.area}",
             f"products: {', '.join(entry.products)}",
             f"source: {entry.source}"]
    if entry.aliases:
        facts.append(f"also known as: {'; '.join(entry.aliases)}")
    if entry.related:
        facts.append(f"related: {', '.join(entry.related)}")
    console.print(Panel("\n".join(facts), title=entry.title, title_align="left"))
    console.print(Markdown(entry.body, code_theme="ansi_dark"))
