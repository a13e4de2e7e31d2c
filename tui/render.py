"""Turning KB entries into terminal output (rich) and JSON data for the command line."""

from __future__ import annotations

import difflib

from rich.console import Console
from rich.markdown import Markdown
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from engine.kb.models import Condition, Entry, KnowledgeBase


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


def kind_label(entry: Entry) -> str:
    return "how-to" if entry.kind == "procedure" else entry.kind


def print_list(entries: list[Entry], console: Console | None = None) -> None:
    """Every entry, grouped by area. Piped or redirected, one tab-separated line per entry
    (id, kind, area, title) that grep and cut can use; in a terminal, a heading per area and
    the title under the id when the terminal is too narrow to keep it on the same line."""
    console = console or Console()
    if not console.is_terminal:
        lines = [f"{e.id}\t{e.kind}\t{e.area}\t{e.title}" for e in entries]
        console.file.write("\n".join(lines + [f"{len(entries)} entries"]) + "\n")
        return
    width = max((len(e.id) for e in entries), default=0)
    side_by_side = console.width >= width + 12 + 40
    by_area: dict[str, list[Entry]] = {}
    for entry in entries:
        by_area.setdefault(entry.area, []).append(entry)
    for area, members in by_area.items():
        console.print(f"[bold]{area}[/] [dim]({len(members)})[/]", highlight=False)
        if not side_by_side:
            for entry in members:
                console.print(f"  [cyan]{entry.id}[/]  [dim]{kind_label(entry)}[/]")
                console.print(Padding(Text(entry.title), (0, 0, 0, 4)))
            continue
        table = Table(show_header=False, box=None, pad_edge=False, padding=(0, 2, 0, 0))
        table.add_column("id", style="cyan", no_wrap=True)
        table.add_column("kind", style="dim", no_wrap=True)
        table.add_column("title", overflow="fold")
        for entry in members:
            table.add_row(entry.id, kind_label(entry), entry.title)
        console.print(Padding(table, (0, 0, 0, 2)))
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
