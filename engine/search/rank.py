"""Ranking: from the user's terms to entries in order, on one connection to the index.

1. `resolve`: each term as the index can match it. A term the index does not hold and that
   looks like a typo is replaced by the nearest word or name of the KB ("did you mean"); a
   prefix longer than the stem of the word meant (`statisti`) is shortened to it.
2. `Ranker.rank`: candidates from FTS5, scored by bm25 with a weight per field, times the
   square of the share of the terms an entry holds (read from its index forms, kept per field,
   which also tell the snippet where to look). FTS5 only gets the rarest terms: a term in more
   than a tenth of the entries (and more than 500) is common, and the rare ones together may
   be in 1,500 entries at most, so FTS5 never scores thousands of rows on a large KB; the
   common ones still count in the share. On the bundled KB every term goes to FTS5.
"""

from __future__ import annotations

import difflib
import sqlite3
from collections import OrderedDict
from dataclasses import dataclass, replace

from sqlite_utils import Database

from engine.search.build import KEY_FIELDS
from engine.search.documents import FIELDS
from engine.search.query import QueryTerm, query_term, term_expression
from engine.text.lexicon import Lexicon
from engine.text.tokens import fold

COMMON_SHARE = 0.1       # a term in more than this share of the entries is common ...
COMMON_MIN = 500         # ... and in more than this many
MIN_SIMILARITY = 0.8     # for a "did you mean" correction
MIN_TYPO_LENGTH = 4
SHARE_CANDIDATES = 10    # entries beyond the limit whose share is worked out
OR_BUDGET = 1500         # FTS5 scores the rarest terms, in this many entries together at most
FIELDS_CACHE = 512       # entries whose index forms are kept per connection
_TOP = "\U0010ffff"
_KEY_COLUMNS = "{" + " ".join(KEY_FIELDS) + "}"


@dataclass(frozen=True)
class Resolved:
    terms: list[QueryTerm]
    counts: list[int]            # how many entries each term can match, at most
    suggestion: str | None       # the query with typos corrected, if any were


def resolve(conn: sqlite3.Connection, query: str, terms: list[QueryTerm],
            lexicon: Lexicon | None = None) -> Resolved:
    resolved, counts, suggestion = [], [], query
    for term in terms:
        known, count = _known(conn, term)
        if known is None and term.correctable and (found := _nearest(conn, fold(term.text))):
            replacement = query_term(found, lexicon=lexicon)
            if replacement is not None:
                known, count = _known(conn, replacement)
                known = known or replacement
                suggestion = suggestion.replace(term.text, found, 1)
        resolved.append(known or term)
        counts.append(count)
    return Resolved(resolved, counts, suggestion.strip() if suggestion != query else None)


def _known(conn: sqlite3.Connection, term: QueryTerm) -> tuple[QueryTerm | None, int]:
    """The term as the index can match it, and how many entries hold it (at most); None if
    the index holds none of its forms and no token starting with its prefix. A prefix that
    starts a word of the KB but is longer than the word's stem (`statisti`: `statistics`,
    stem `statist`) is shortened to the stem."""
    count = sum(_count(conn, form) for form in term.forms)
    if not term.prefix:
        return (term if count else None), count
    prefix = term.prefix
    found = _prefix_count(conn, prefix)
    if not found and count:  # a whole word that starts no other: the word itself
        return replace(term, prefix=""), count
    if not found and term.kind == "word":
        row = conn.execute("SELECT stem FROM surfaces WHERE surface >= ? AND surface < ? "
                           "LIMIT 1", [prefix, prefix + _TOP]).fetchone()
        if row and prefix.startswith(row[0]):
            prefix = row[0]
            found = _prefix_count(conn, prefix)
    if found:
        return replace(term, prefix=prefix), count + found
    return (term if count else None), count


def _prefix_count(conn: sqlite3.Connection, prefix: str) -> int:
    (found,) = conn.execute(
        "SELECT sum(entries) FROM (SELECT entries FROM forms WHERE form >= ? AND form < ? "
        "LIMIT 200)", [prefix, prefix + _TOP]).fetchone()
    return found or 0


def _nearest(conn: sqlite3.Connection, typed: str) -> str | None:
    """The KB word or name (as written) closest to `typed`, if close enough to be a typo.
    Also finds a name the user was still typing: `UidCorruptoin` -> `UidCorruptionDetected`.
    Candidates share the first two characters (typos there are rare) and are about as long,
    or share the first four and are longer."""
    if len(typed) < MIN_TYPO_LENGTH:
        return None
    size = len(typed)
    rows = conn.execute(
        "SELECT term, display, form FROM terms WHERE term >= ? AND term < ? AND length(term) "
        "BETWEEN ? AND ? UNION ALL SELECT term, display, form FROM terms WHERE term >= ? AND "
        "term < ? AND length(term) > ?",
        [typed[:2], typed[:2] + _TOP, size - 2, size + 2, typed[:4], typed[:4] + _TOP, size + 2])
    close = []
    for term, display, form in rows:
        similarity = _similarity(typed, term)
        if len(term) > len(typed):  # still being typed?
            similarity = max(similarity, _similarity(typed, term[:len(typed)]) - 0.05)
        if similarity >= MIN_SIMILARITY:
            close.append((similarity, display, form))
    if not close:
        return None
    top = max(similarity for similarity, _, _ in close)
    tied = [(display, form) for similarity, display, form in close if similarity == top]
    return max(tied, key=lambda pair: (_count(conn, pair[1]), pair[0]))[0]


def _similarity(a: str, b: str) -> float:
    matcher = difflib.SequenceMatcher(None, a, b)
    return matcher.ratio() if matcher.quick_ratio() >= MIN_SIMILARITY - 0.05 else 0.0


def _count(conn: sqlite3.Connection, form: str) -> int:
    row = conn.execute("SELECT entries FROM forms WHERE form = ?", [form]).fetchone()
    return row[0] if row else 0


@dataclass(frozen=True)
class Ranked:
    score: float
    row: int
    held: tuple[frozenset[str], ...]   # per term: the fields that hold it (empty: none)

    @property
    def fields(self) -> dict[str, int]:
        """field -> how many of the terms it holds"""
        return {name: sum(1 for fields in self.held if name in fields) for name in FIELDS}


class Ranker:
    """Ranks on one connection to the index (sqlite3 connections are one per thread)."""

    def __init__(self, conn: sqlite3.Connection, entries: int):
        self.conn = conn
        self.entries = entries
        self._table = Database(conn, recursive_triggers=False, execute_plugins=False)["entries"]
        self._sql: dict[int, str] = {}
        # row -> each field's index forms, then all of them (with spaces around)
        self._fields: OrderedDict[int, tuple[str, ...]] = OrderedDict()

    def rank(self, resolved: Resolved, limit: int) -> list[Ranked]:
        """The best `limit` entries, best first."""
        terms = resolved.terms
        groups = [term_expression(term) for term in terms]
        scores = self._candidates(groups, resolved.counts, limit)
        needles = [tuple(f" {form} " for form in term.forms) +
                   ((f" {term.prefix}",) if term.prefix else ()) for term in terms]
        shares = {n: sum(1 for options in needles if any(o in texts[-1] for o in options))
                  / len(terms) for n, texts in self._fields_of(list(scores))}
        best = sorted(((scores[n] * share ** 2, n) for n, share in shares.items()),
                      key=lambda pair: (-pair[0], pair[1]))[:limit]
        return [Ranked(score, n, self._held(needles, n)) for score, n in best]

    def _candidates(self, groups: list[str], counts: list[int], limit: int) -> dict[int, float]:
        """row -> bm25 of the entries worth ranking. FTS5 only ever sees the rarest terms:
        those in few entries (together at most OR_BUDGET), so it never scores thousands of
        rows; the others count in the share. The same terms in both queries, so an entry has
        the same bm25 in both: the OR query finds the best, the AND query makes sure the
        entries holding all of those terms are there."""
        common = max(COMMON_MIN, int(self.entries * COMMON_SHARE))
        rare, total = [], 0
        for count, group in sorted(zip(counts, groups)):
            if count > common or (rare and total + count > OR_BUDGET):
                break
            rare.append(group)
            total += count
        if not rare:  # only common terms: where they name the problem, else anywhere
            every, some = " AND ".join(groups), " OR ".join(groups)
            return (self._bm25(f"{_KEY_COLUMNS} : ({every})", limit)
                    or self._bm25(every, limit)
                    or self._bm25(f"{_KEY_COLUMNS} : ({some})", limit + SHARE_CANDIDATES))
        scores = self._bm25(" OR ".join(rare), limit + SHARE_CANDIDATES)
        if len(rare) > 1:
            scores.update(self._bm25(" AND ".join(rare), limit))
        return scores

    def _bm25(self, expression: str, limit: int) -> dict[int, float]:
        """row -> relevance (bm25 with the field weights; larger is better)."""
        sql = self._sql.get(limit)
        if sql is None:
            sql = self._sql[limit] = self._table.search_sql(columns=["n"], limit=limit,
                                                            include_rank=True)
        return {n: -rank for n, rank in self.conn.execute(sql, {"query": expression})}

    def _held(self, needles: list[tuple[str, ...]], row: int) -> tuple[frozenset[str], ...]:
        """Per term, the fields of the entry that hold it. The index keeps each field's forms
        separated by spaces, so ' form ' is in the field's text when the field holds the form,
        and ' prefix' when it holds a form starting with the prefix."""
        texts = self._fields[row]
        return tuple(frozenset(name for name, text in zip(FIELDS, texts)
                               if any(o in text for o in options)) for options in needles)

    def _fields_of(self, rows: list[int]):
        cache = self._fields
        missing = []
        for n in rows:
            if n in cache:
                cache.move_to_end(n)  # the oldest go first, and these are in use
            else:
                missing.append(n)
        if missing:
            marks = ",".join("?" * len(missing))
            for n, *columns in self.conn.execute(
                    f"SELECT n, {', '.join(FIELDS)} FROM entries WHERE n IN ({marks})", missing):
                cache[n] = (*(f" {text} " for text in columns), f" {' '.join(columns)} ")
            while len(cache) > max(FIELDS_CACHE, len(rows)):
                cache.popitem(last=False)
        for n in rows:
            yield n, cache[n]


def hints(conn: sqlite3.Connection, terms: list[QueryTerm]) -> list[str]:
    """What to look for in an entry's text to find the terms (for snippets): codes and
    prefixes as they are, stems as every word the KB writes for them."""
    forms = [form for term in terms for form in term.forms]
    marks = ",".join("?" * len(forms))
    written = [row[0] for row in conn.execute(
        f"SELECT surface FROM surfaces WHERE stem IN ({marks})", forms)]
    return forms + [term.prefix for term in terms if term.prefix] + written
