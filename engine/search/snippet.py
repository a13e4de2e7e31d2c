"""Snippets: the part of an entry that shows why it matched, with the matches marked.

The entry's fields are cut with the same tokeniser as the index (`engine.text.tokens`), so what
is highlighted is exactly what matched: `4.4.0` is marked in `451 4.4.0 DNS query failed`, and
`connecting` is marked for a search on `connection`.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from engine.search.documents import SEPARATOR
from engine.search.query import QueryTerm
from engine.text.lexicon import Lexicon
from engine.text.tokens import chunk_at, chunk_tokens

SNIPPET_WIDTH = 160
LEAD = 40            # characters of context before the first match
ELLIPSIS = "…"
# Where a snippet may come from, best first. The title is shown anyway, so it is only the
# snippet when nothing else matched.
SNIPPET_FIELDS = ("aliases", "tags", "errors", "symptoms", "commands", "body", "title")
LIST_FIELDS = frozenset({"aliases", "tags", "errors", "symptoms", "commands"})


@dataclass(frozen=True)
class Snippet:
    field: str
    text: str
    highlights: tuple[tuple[int, int], ...]


class TermMatcher:
    """Which query term (by position) a token of entry text satisfies, if any.

    `hints` are strings one of which occurs (in any case) in every chunk of text that can
    match: the codes and prefixes themselves, and the words the KB writes for each stem.
    `str.find` locates them (much faster than cutting the whole text, or than one regular
    expression of alternatives), and only the chunks around them are cut into tokens."""

    def __init__(self, terms: list[QueryTerm], hints: Iterable[str],
                 lexicon: Lexicon | None = None):
        self.lexicon = lexicon or Lexicon()
        self.count = len(terms)
        self.forms: dict[str, int] = {}
        for i, term in enumerate(terms):
            for form in term.forms:
                self.forms.setdefault(form, i)
        self.prefixes = [(term.prefix, i) for i, term in enumerate(terms) if term.prefix]
        # A literal that starts with another is found by it (tokens are checked one by one).
        literals = sorted({h.lower() for h in hints if h})
        self.literals = [w for i, w in enumerate(literals)
                         if not any(w.startswith(v) for v in literals[:i])]

    def matches(self, text: str) -> list[tuple[int, int, int]]:
        """(start, end, term index) for every matching token of `text`, in text order."""
        lower = text.lower()
        if len(lower) != len(text):  # a rare character whose lower case is longer
            lower = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)
        positions: set[int] = set()
        for literal in self.literals:
            # A token starts a chunk or a part of one: after a character that is not a letter
            # or digit (but `KB974571` also holds the token 974571).
            anywhere = literal.isdigit()
            at = lower.find(literal)
            while at >= 0:
                if anywhere or at == 0 or not lower[at - 1].isalnum():
                    positions.add(at)
                at = lower.find(literal, at + 1)
        found: list[tuple[int, int, int]] = []
        done: set[int] = set()
        for position in sorted(positions):
            located = chunk_at(text, position)
            if located is None or located[0] in done:
                continue
            start, chunk = located
            done.add(start)
            for rel_start, rel_end, form, _, surface in chunk_tokens(chunk):
                index = self.forms.get(self.lexicon.form(form))
                if index is None:
                    index = next((i for p, i in self.prefixes if surface.startswith(p)), None)
                if index is not None:
                    found.append((start + rel_start, start + rel_end, index))
        return found


def make_snippet(fields: dict[str, str], matcher: TermMatcher,
                 counts: dict[str, int] | None = None, width: int = SNIPPET_WIDTH) -> Snippet:
    """The field showing the most distinct query terms, with the spans of the matches. A list
    field (aliases, tags, error strings, symptoms, commands) shows only its items that match,
    each whole when it fits, never run into another field; prose is cut to about `width`
    characters around its matches. `counts` (how many terms each field holds, from the index)
    spares looking at fields that cannot win."""
    order = list(SNIPPET_FIELDS)
    if counts is not None:
        counts = {**counts, "tags": counts.get("aliases", 0)}   # indexed with the aliases
        order.sort(key=lambda f: -counts.get(f, 0))  # stable: ties keep SNIPPET_FIELDS order
    best: tuple[int, str, list] | None = None
    for field in order:
        if counts is not None and best is not None and counts.get(field, 0) <= best[0]:
            break
        text = fields.get(field) or ""
        found = matcher.matches(text) if text else []
        distinct = len({i for *_, i in found})
        if distinct and (best is None or distinct > best[0]):
            best = (distinct, field, found)
            if distinct == matcher.count:
                break
    if best is None:
        field = next((f for f in ("symptoms", "body", "aliases") if fields.get(f)), "title")
        text = fields.get(field) or ""
        if field in LIST_FIELDS:
            text = text.split(SEPARATOR)[0]
        return Snippet(field, _cut(text, 0, width)[0], ())
    _, field, found = best
    if field in LIST_FIELDS:
        snippet = _items(field, fields[field], matcher, width, fields.get("title") or "")
        if snippet.text:
            return snippet
        # what matched there only repeats the title: the next best field
        return make_snippet({**fields, field: ""}, matcher,
                            None if counts is None else {**counts, field: 0}, width)
    return _window(field, fields[field], found, width)


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _items(field: str, text: str, matcher: TermMatcher, width: int, title: str = "") -> Snippet:
    """The items of a list field that show the terms: the item adding the most terms not yet
    shown first, while they fit in `width`; shown in the field's order, each cut around its
    matches when it is longer than the room left. An item that repeats the title (shown
    anyway) is left out."""
    items = [(n, item, matcher.matches(item)) for n, item in enumerate(text.split(SEPARATOR))
             if not _same(item, title)]
    items = [(n, item, found) for n, item, found in items if found]
    chosen: list[tuple[int, str, list]] = []
    shown: set[int] = set()
    room = width
    while items and room > 0:
        gain, n, item, found = max(((len({i for *_, i in f} - shown), n, it, f)
                                    for n, it, f in items), key=lambda c: (c[0], -c[1]))
        if gain == 0 or (chosen and len(item) > room):
            break
        items.remove((n, item, found))
        chosen.append((n, item, found))
        shown |= {i for *_, i in found}
        room -= len(item) + len(SEPARATOR)
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    at = 0
    for _, item, found in sorted(chosen, key=lambda c: c[0]):
        if parts:
            at += len(SEPARATOR)
        piece = _window("", item, found, max(width - at, width // 2))
        parts.append(piece.text)
        spans += [(at + s, at + e) for s, e in piece.highlights]
        at += len(piece.text)
    return Snippet(field, SEPARATOR.join(parts), tuple(spans))


def _window(field: str, text: str, found: list[tuple[int, int, int]], width: int) -> Snippet:
    """`text` cut to about `width` characters around its matches (`found`), with their spans."""
    if len(text) <= width:
        start, cut, offset = 0, text, 0
    else:
        start = _window_start(found, width)
        cut, offset = _cut(text, start, width)
    spans: list[tuple[int, int]] = []
    for s, e, _ in found:
        s, e = s - offset, e - offset
        if s >= 0 and e <= len(cut):
            if spans and s <= spans[-1][1]:
                spans[-1] = (spans[-1][0], max(e, spans[-1][1]))
            else:
                spans.append((s, e))
    return Snippet(field, cut, tuple(spans))


def _window_start(found: list[tuple[int, int, int]], width: int) -> int:
    """Start the window just before the match that begins the richest stretch of text: the
    first match `s` whose stretch [s, s + width - LEAD] holds the most distinct terms.

    In time proportional to the matches times the terms (a 1 MB body can hold tens of
    thousands of matches): each match (s2, e2, term) counts for every window start s with
    e2 - reach <= s <= s2, a run of consecutive starts (`found` is in text order), so each
    term's runs are added up with a difference array."""
    reach = width - LEAD
    starts = [s for s, _, _ in found]
    n = len(starts)
    runs: dict[int, list[int]] = {}
    for s2, e2, term in found:
        first = bisect_left(starts, e2 - reach)
        last = bisect_right(starts, s2)            # exclusive
        if first < last:
            marks = runs.get(term)
            if marks is None:
                marks = runs[term] = [0] * (n + 1)
            marks[first] += 1
            marks[last] -= 1
    depth = dict.fromkeys(runs, 0)
    best_start, best_score = starts[0], -1
    for i in range(n):
        score = 0
        for term, marks in runs.items():
            depth[term] += marks[i]
            score += depth[term] > 0
        if score > best_score:
            best_start, best_score = starts[i], score
    return max(0, best_start - LEAD)


def _cut(text: str, start: int, width: int) -> tuple[str, int]:
    """`text[start:start+width]` snapped to word boundaries, with ellipses where cut.
    Returns the cut text and the offset to subtract from positions in `text`."""
    if start > 0:
        space = text.rfind(" ", 0, start + 1)
        start = space + 1 if space >= 0 and start - space < 20 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start + width // 2 else end
    prefix = ELLIPSIS if start > 0 else ""
    suffix = ELLIPSIS if end < len(text) else ""
    return prefix + text[start:end].strip() + suffix, start - len(prefix) + \
        (len(text[start:end]) - len(text[start:end].lstrip()))
