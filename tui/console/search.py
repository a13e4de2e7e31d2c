"""`triage search` in the terminal: ranked entries, each with the snippet that matched and the
matches highlighted (rich), and the "did you mean" line."""

from __future__ import annotations

from rich.console import Console
from rich.padding import Padding
from rich.text import Text

from engine.search import SearchResults
from tui.console.safe import inert

HIGHLIGHT = "bold yellow"


def snippet_text(snippet: str, highlights) -> Text:
    safe = inert(snippet)
    text = Text(safe)
    if safe == snippet:                     # escapes would move the highlights' offsets
        for start, end in highlights:
            text.stylize(HIGHLIGHT, start, end)
    return text


def print_results(results: SearchResults, console: Console) -> None:
    if results.suggestion:
        console.print(Text.assemble(("did you mean: ", "yellow"), (inert(results.suggestion),
                                                                  "bold"),
                                    ("? (these results are for it)", "yellow")))
    for rank, hit in enumerate(results.results, start=1):
        console.print(Text.assemble((f"{rank:>2}. ", "dim"), (hit.id, "bold cyan"),
                                    (f"  {hit.kind} · {hit.area} · score {hit.score:g}", "dim")),
                      no_wrap=True, overflow="ellipsis")
        console.print(Padding(Text(inert(hit.title), style="bold"), (0, 0, 0, 4), expand=False))
        line = Text(f"{hit.field}: ", style="dim") if hit.field != "title" else Text()
        line.append_text(snippet_text(hit.snippet, hit.highlights))
        console.print(Padding(line, (0, 0, 0, 4), expand=False))
    count = len(results.results)
    console.print(Text(f"{count} result{'s' if count != 1 else ''} · 'triage show ID' shows an "
                       f"entry in full", style="dim"))


def no_match_message(query: str, results: SearchResults, searchable: bool) -> str:
    """One line for stderr when nothing matched."""
    shown = inert(query if len(query) <= 60 else query[:59] + "…")
    if results.stop_words:
        return (f"'{shown}' holds only common words ({inert(', '.join(results.stop_words))}): "
                f"add a word for the problem, a code or a cmdlet")
    if not searchable:
        return f"nothing to search for in '{shown}' (type a word, code or cmdlet)"
    message = f"no entries match '{shown}'"
    if results.suggestion:
        message += f"; did you mean: {inert(results.suggestion)}?"
    return message + "; try fewer or other words"
