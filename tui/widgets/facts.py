"""What the session knows: each fact with where it came from (an answer, a line of the ticket
text or of the evidence, or a rule)."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.widgets import Static

from engine.inference import Fact


def source_text(fact: Fact) -> str:
    """A fact's source in a few words: `answer`, `cup.log:12: <the line>`, `rule …`."""
    source = fact.source
    if source.kind == "answer":
        return f"answer to {source.ref}"
    if source.kind == "rule":
        return "derived from " + ", ".join(f"{n} = {v}" for n, v in source.facts)
    if source.kind == "probe":
        return f"probe {source.ref}: {source.words}"
    if source.kind == "ticket" and not source.signature:
        return f"ticket: \u201c{source.words}\u201d"
    where = "ticket" if source.kind == "ticket" else source.ref
    return f"{where}:{source.line_no}: {source.line.strip()}"


class FactsPanel(Static):
    """Every fact of the session, each with its source under it."""

    DEFAULT_CSS = """
    FactsPanel { height: auto; }
    """

    def show(self, facts: list[Fact]) -> None:
        self.border_title = f"Facts · {len(facts)}"
        if not facts:
            self.update(Text("Nothing known yet.", style="italic"))
            return
        rows = []
        for fact in facts:
            rows.append(Text.assemble((fact.name, "bold"), " = ", (fact.value, "cyan"),
                                      no_wrap=True, overflow="ellipsis"))
            rows.append(Text("  ← " + source_text(fact), style="dim", no_wrap=True,
                             overflow="ellipsis"))
        self.update(Group(*rows))
