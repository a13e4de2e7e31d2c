"""One row of a list of entries (search results, browsing, related entries): a line each for
the title, the id with what is known of the match, and the snippet. Every line is one line:
the title and the snippet end in an ellipsis when they do not fit, the id is never broken."""

from __future__ import annotations

from rich.text import Text

from engine.search import SearchHit

RELEVANCE_STYLE = {"strong": "bold green", "partial": "yellow", "weak": "dim"}


def line(*parts, style: str = "") -> Text:
    return Text.assemble(*parts, style=style)


def lines(*rows: Text) -> Text:
    """Rows of one option, each kept to one line (ellipsis) by the option list."""
    return Text("\n", no_wrap=True, overflow="ellipsis", end="").join(rows)


def hit_row(hit: SearchHit, nowhere: tuple[str, ...] = ()) -> Text:
    """A search result: title; `id  relevance · not: word`; the snippet, matches marked."""
    lacks = [word for word in hit.unmatched if word not in nowhere]
    about = [(hit.id, "cyan"), "  ", (hit.relevance, RELEVANCE_STYLE.get(hit.relevance, ""))]
    if lacks:
        about += [(" · not: ", "dim"), (", ".join(lacks), "yellow")]
    snippet = line(hit.snippet, style="dim")
    for start, end in hit.highlights:
        snippet.stylize("bold reverse", start, end)
    return lines(line((hit.title, "bold")), line(*about), snippet)


def entry_row(entry_id: str, title: str, about: str = "") -> Text:
    """An entry by name: title; `id  about`."""
    second = [(entry_id, "cyan")] + ([("  " + about, "dim")] if about else [])
    return lines(line((title, "bold")), line(*second))
