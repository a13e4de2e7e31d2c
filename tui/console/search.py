"""`triage search` in the terminal: ranked entries, each with its relevance, the words of the
query it lacks, and the snippet that matched (matches highlighted); the "did you mean" and
"matched nothing for" lines; a hint to start an interview when the query reads like a symptom.

Every line fits the terminal: an id is never cut (what does not fit beside it goes on the next
line), titles and snippets wrap under their result."""

from __future__ import annotations

import shlex

from rich.console import Console
from rich.text import Text

from engine.search import SearchHit, SearchResults
from tui.console.safe import inert

HIGHLIGHT = "bold yellow"
RELEVANCE_STYLE = {"strong": "bold green", "partial": "yellow", "weak": "dim"}
FIELD_LABEL = {"aliases": "also known as", "tags": "tags", "errors": "error text",
               "symptoms": "symptoms", "commands": "commands", "body": "text"}
INDENT = 4


def snippet_text(snippet: str, highlights) -> Text:
    safe = inert(snippet)
    text = Text(safe)
    if safe == snippet:                     # escapes would move the highlights' offsets
        for start, end in highlights:
            text.stylize(HIGHLIGHT, start, end)
    return text


def quoted(words) -> str:
    return " or ".join(f"'{inert(word)}'" for word in words)


def header(rank: int, hit: SearchHit, width: int) -> list[Text]:
    """`rank. id  relevance · kind · area` on one line when it fits, else the id alone and the
    rest on the next line: the id is never cut."""
    first = Text.assemble((f"{rank:>2}. ", "dim"), (inert(hit.id), "bold cyan"))
    rest = Text.assemble((hit.relevance, RELEVANCE_STYLE.get(hit.relevance, "")),
                         (f" · {hit.kind} · {hit.area}", "dim"))
    if first.cell_len + 2 + rest.cell_len <= width:
        return [Text.assemble(first, "  ", rest)]
    return [first, Text.assemble(" " * INDENT, rest)]


def words_line(hit: SearchHit, nowhere: tuple[str, ...]) -> Text | None:
    """`2 of 3 words: single, inbox; not: syncing` when the entry lacks a word that others
    hold (a word no entry holds is said once, above the results)."""
    lacks = [word for word in hit.unmatched if word not in nowhere]
    if not lacks:
        return None
    total = len(hit.matched) + len(lacks)
    return Text.assemble((f"{len(hit.matched)} of {total} words: ", "dim"),
                         inert(", ".join(hit.matched)), ("; not: ", "dim"),
                         (inert(", ".join(lacks)), "yellow"))


HINT = "this reads like a symptom; an interview asks what tells these apart:"


def interview_command(results: SearchResults, kb: str | None = None) -> str:
    """The `triage diagnose` command that starts an interview from the query (same KB)."""
    where = f" --kb {shlex.quote(inert(kb))}" if kb else ""
    return f"triage diagnose{where} --text {shlex.quote(inert(results.query.strip()))}"


def hint(results: SearchResults, kb: str | None = None) -> str | None:
    """For a query that reads like a symptom: an interview separates the candidates better
    than a list does."""
    return f"{HINT} {interview_command(results, kb)}" if results.symptom else None


def print_results(results: SearchResults, console: Console, kb: str | None = None) -> None:
    width = console.width
    if results.suggestion:
        indented(console, Text.assemble(("did you mean: ", "yellow"),
                                        (inert(results.suggestion), "bold"),
                                        ("? (these results are for it)", "yellow")), 0)
    if results.unmatched:
        indented(console, Text.assemble(("matched nothing for ", "yellow"),
                                        (quoted(results.unmatched), "bold"),
                                        ("; these results match the other words", "yellow")), 0)
    for rank, hit in enumerate(results.results, start=1):
        for line in header(rank, hit, width):
            console.print(line, soft_wrap=True)
        indented(console, Text(inert(hit.title), style="bold"))
        words = words_line(hit, results.unmatched)
        if words is not None:
            indented(console, words)
        label = FIELD_LABEL.get(hit.field)
        line = Text(f"{label}: ", style="dim") if label else Text()
        line.append_text(snippet_text(hit.snippet, hit.highlights))
        indented(console, line)
    count = len(results.results)
    indented(console, Text(f"{count} result{'s' if count != 1 else ''} · 'triage show ID' "
                           f"shows an entry in full", style="dim"), 0)
    if results.symptom:
        command = interview_command(results, kb)
        if len(HINT) + 1 + len(command) <= width:
            console.print(Text.assemble((HINT, "cyan"), " ", (command, "bold")), soft_wrap=True)
        else:                                   # the command whole, on a line of its own
            indented(console, Text(HINT, style="cyan"), 0)
            console.print(Text(f"  {command}", style="bold"), soft_wrap=True)


def indented(console: Console, text: Text, indent: int = INDENT) -> None:
    """`text` wrapped to the terminal (under its result), no line padded with spaces."""
    for line in text.wrap(console, max(20, console.width - indent)):
        line.rstrip()
        console.print(Text.assemble(" " * indent, line), soft_wrap=True)


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
