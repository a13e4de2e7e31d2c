"""`triage list` and `triage show` for people, and their JSON."""

from __future__ import annotations

import difflib

from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from engine.kb import Entry, KnowledgeBase
from engine.kb.records import as_data
from engine.render import entry_document, rule_lines
from engine.render.documents import KIND_LABEL, applies_text
from tui.console.blocks import print_blocks
from tui.console.safe import inert


def entry_summary(entry: Entry, kb: KnowledgeBase | None = None) -> dict:
    """One row of `triage list --json`."""
    document = kb.source(entry.source) if kb is not None else None
    return {"id": entry.id, "title": entry.title, "kind": entry.kind, "area": entry.area,
            "source": entry.source, "source_title": document.title if document else "",
            "products": list(entry.products), "aliases": list(entry.aliases)}


def entry_data(entry: Entry, kb: KnowledgeBase) -> dict:
    """`triage show --json`: the whole entry as data, its source and the signatures it cites."""
    data = as_data(entry)
    data["rule_text"] = rule_lines(entry.written_rule)
    data["applies_to_text"] = rule_lines(entry.applies_to)
    data["applies_to_summary"] = applies_text(entry, kb)
    document = kb.source(entry.source)
    data["source_document"] = ({"id": document.id, "title": document.title,
                                "file": document.file, "url": document.url}
                               if document else None)
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


def print_list(entries: list[Entry], console: Console) -> None:
    """Every entry, grouped by area. Piped or redirected, one tab-separated line per entry
    (id, kind, area, title) that grep and cut can use; in a terminal, a heading per area and
    the title under the id when the terminal is too narrow to keep it on the same line."""
    if not console.is_terminal:
        lines = [inert(f"{e.id}\t{e.kind}\t{e.area}\t{e.title}") for e in entries]
        console.file.write("\n".join(lines + [f"{len(entries)} entries"]) + "\n")
        return
    width = max((len(e.id) for e in entries), default=0)
    side_by_side = console.width >= width + 12 + 40
    by_area: dict[str, list[Entry]] = {}
    for entry in entries:
        by_area.setdefault(entry.area, []).append(entry)
    for area, members in by_area.items():
        console.print(Text.assemble((inert(area), "bold"), (f" ({len(members)})", "dim")))
        if not side_by_side:
            for entry in members:
                console.print(Text.assemble("  ", (entry.id, "cyan"), "  ",
                                            (KIND_LABEL[entry.kind], "dim")))
                console.print(Padding(Text(inert(entry.title)), (0, 0, 0, 4)))
            continue
        table = Table(show_header=False, box=None, pad_edge=False, padding=(0, 2, 0, 0))
        table.add_column("id", style="cyan", no_wrap=True)
        table.add_column("kind", style="dim", no_wrap=True)
        table.add_column("title", overflow="fold")
        for entry in members:
            table.add_row(Text(entry.id), Text(KIND_LABEL[entry.kind]), Text(inert(entry.title)))
        console.print(Padding(table, (0, 0, 0, 2)))
    console.print(Text(f"{len(entries)} entries", style="dim"))


def print_entry(entry: Entry, kb: KnowledgeBase, console: Console) -> None:
    print_blocks(entry_document(entry, kb), console)
