"""The live differential: each candidate with its confidence, best first, and the verdict."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from engine.inference import Differential

VERDICT = {
    "confident": ("confident", "differential--confident"),
    "ambiguous": ("ambiguous", "differential--ambiguous"),
    "no-match": ("no match", "differential--no-match"),
}
BAR = 10          # the widest bar; narrower when the panel is narrow
MIN_TITLE = 16    # columns left beside the ids for their titles to be worth showing


def bar(fraction: float, width: int = BAR) -> str:
    filled = max(0, min(width, round(fraction * width)))
    return "█" * filled + "░" * (width - filled)


class DifferentialPanel(Static):
    """Candidates with confidence bars; the border title says the verdict."""

    DEFAULT_CSS = """
    DifferentialPanel { height: auto; }
    """

    differential: Differential | None = None
    limit = 6

    def on_resize(self) -> None:
        if self.differential is not None:
            self.show(self.differential, self.limit)

    def show(self, differential: Differential, limit: int = 6) -> None:
        self.differential, self.limit = differential, limit
        label, css = VERDICT[differential.verdict]
        self.border_title = f"Differential · {label}"
        for _, other in VERDICT.values():
            self.remove_class(other)
        self.add_class(css)
        listed = differential.listed()[:limit]
        if not listed:
            self.update(Text("No candidate yet: answer the question or add evidence.",
                             style="italic"))
            return
        longest = max(len(c.id) for c in listed)
        width = self.content_size.width or 30
        bar_width = max(0, min(BAR, width - longest - 6))
        # the id whole; the title beside it when there is room, cut to fit (never the id)
        room = width - longest - 6 - (bar_width + 1 if bar_width >= 3 else 0)
        table = Table.grid(padding=(0, 1), expand=True)
        if bar_width >= 3:
            table.add_column(no_wrap=True)
        table.add_column(justify="right", no_wrap=True, width=4)
        table.add_column(no_wrap=True, overflow="ellipsis",
                         ratio=None if room >= MIN_TITLE else 1)
        if room >= MIN_TITLE:
            table.add_column(no_wrap=True, overflow="ellipsis", ratio=1)
        for n, candidate in enumerate(listed):
            style = "bold" if n == 0 else ""
            cells = [f"{candidate.confidence * 100:.0f}%", Text(candidate.id, style=style)]
            if bar_width >= 3:
                cells.insert(0, Text(bar(candidate.confidence, bar_width),
                                     style="green" if n == 0 else "dim"))
            if room >= MIN_TITLE:
                cells.append(Text(candidate.title, style="dim"))
            table.add_row(*cells)
        ruled_out = sum(1 for why in differential.excluded.values() if why.startswith("ruled out"))
        if ruled_out:
            cells = [""] * len(table.columns)
            cells[2 if bar_width >= 3 else 1] = Text(f"{ruled_out} ruled out", style="dim italic")
            table.add_row(*cells)
        self.update(table)
