"""Searching the KB: `SearchIndex.open(kb)` then `index.search("451 4.4.0")`.

The index (`engine.search.build`) is an SQLite FTS5 database cached in the user cache directory
and rebuilt when the KB's content changes. A query is cut by the same tokeniser as the KB
(`engine.text.tokens`): codes match exactly, words by stem, the last word also as a prefix
(as-you-type), and every piece of user text reaches FTS5 as a quoted string, so no input can
cause a syntax error. `engine.search.rank` corrects typos ("did you mean") and ranks: bm25 with
a weight per field, times the square of the share of the query's terms an entry holds.
`engine.search.snippet` cuts the snippet.

One SQLite connection per thread (sqlite3 connections cannot be shared between threads): the
TUI searches from worker threads while the main thread holds the index; the connections of
finished threads are closed.
"""

from __future__ import annotations

import sqlite3
import threading

from engine.kb.models import KnowledgeBase
from engine.search.build import IndexImage, build, file_uri, prepare
from engine.search.documents import TEXTS, content_hash, documents
from engine.search.query import QueryTerm, parse_query, stop_words_in
from engine.search.rank import Ranked, Ranker, hints, resolve
from engine.search.results import SearchHit, SearchResults, reads_like_symptom, relevance
from engine.search.snippet import TermMatcher, make_snippet
from engine.text.lexicon import Lexicon


class SearchError(Exception):
    """The index cannot be built or read; the message is one line for the user."""


class SearchIndex:
    """A searchable KB. Build or reuse one with `SearchIndex.open(kb)`; close it when done
    (or use it as a context manager)."""

    def __init__(self, image: IndexImage, lexicon: Lexicon | None = None):
        self.image = image
        self.lexicon = lexicon or Lexicon()
        self.warning = image.warning  # why the cache could not be used, if it could not
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: dict[threading.Thread, sqlite3.Connection] = {}
        self._closed = False

    @classmethod
    def open(cls, kb: KnowledgeBase, cache_dir=None) -> SearchIndex:
        """The index for this KB's content: reused from the cache directory (default: the
        user cache directory) or built there. If the cache is unusable the index is built in
        memory and `warning` says why; SearchError only if no index can be built at all."""
        lexicon = Lexicon.of(kb)
        try:
            try:
                image = prepare(kb, lexicon, cache_dir)
            except OSError as exc:
                image = _in_memory(kb, lexicon, f"cannot use the search index cache "
                                                 f"({exc.strerror or exc}); using an in-memory index")
            index = cls(image, lexicon)
            try:
                index._connection()
            except SearchError as exc:
                index.close()
                index = cls(_in_memory(kb, lexicon, f"{exc}; using an in-memory index"), lexicon)
                index._connection()
            return index
        except sqlite3.Error as exc:
            raise SearchError(f"cannot build the search index: {exc}") from None

    def close(self) -> None:
        with self._lock:
            self._closed = True
            for conn in self._connections.values():
                conn.close()
            self._connections.clear()

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _connection(self) -> sqlite3.Connection:
        if self._closed:
            raise SearchError("the search index is closed")
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            return conn
        try:
            if self.image.path is not None:
                conn = sqlite3.connect(file_uri(self.image.path), uri=True,
                                       check_same_thread=False)
            else:
                conn = sqlite3.connect(":memory:", check_same_thread=False)
                conn.deserialize(self.image.data)
            (entries,) = conn.execute("SELECT value FROM meta WHERE key = 'entries'").fetchone()
        except (sqlite3.Error, TypeError) as exc:
            raise SearchError(f"cannot read the search index: {exc}") from None
        with self._lock:
            # A worker thread per search (Textual's workers) must not leave a connection each.
            for thread in [t for t in self._connections if not t.is_alive()]:
                self._connections.pop(thread).close()
            self._connections[threading.current_thread()] = conn
        self._local.conn = conn
        self._local.ranker = Ranker(conn, int(entries))
        return conn

    # --- searching ------------------------------------------------------------------

    def search(self, query: str, limit: int = 10) -> SearchResults:
        """Entries matching `query`, best first, each with the words of the query it holds and
        lacks; the words no entry holds. Any string is safe; an empty one (or one with nothing
        searchable in it) gives no results."""
        if limit < 1:
            raise ValueError("limit must be at least 1")
        query = str(query)
        terms = parse_query(query, self.lexicon)
        if not terms:
            return SearchResults(query=query, stop_words=stop_words_in(query, self.lexicon))
        conn = self._connection()
        try:
            resolved = resolve(conn, query, terms, self.lexicon)
            ranked = self._local.ranker.rank(resolved, limit)
            hits = self._hits(conn, ranked, resolved.terms,
                              TermMatcher(resolved.terms, hints(conn, resolved.terms),
                                          self.lexicon))
        except sqlite3.Error as exc:
            raise SearchError(f"search failed: {exc}") from None
        words = tuple(term.text for term in resolved.terms)
        nowhere = tuple(word for word, count in zip(words, resolved.counts) if not count)
        return SearchResults(query=query, results=hits, suggestion=resolved.suggestion,
                             words=words, unmatched=nowhere,
                             symptom=reads_like_symptom(resolved.terms))

    def _hits(self, conn: sqlite3.Connection, ranked: list[Ranked], terms: list[QueryTerm],
              matcher: TermMatcher) -> list[SearchHit]:
        marks = ",".join("?" * len(ranked))
        columns = ", ".join(f"text_{field}" for field in TEXTS)
        rows = {row[0]: row[1:] for row in conn.execute(
            f"SELECT n, id, kind, area, {columns} FROM entries WHERE n IN ({marks})",
            [hit.row for hit in ranked])}
        hits = []
        for hit in ranked:
            entry_id, kind, area, *plain = rows[hit.row]
            texts = dict(zip(TEXTS, plain))
            snippet = make_snippet(texts, matcher, hit.fields)
            hits.append(SearchHit(
                id=entry_id, title=texts["title"], kind=kind, area=area,
                score=round(hit.score, 4), snippet=snippet.text, highlights=snippet.highlights,
                field=snippet.field, relevance=relevance(hit.held),
                matched=tuple(t.text for t, where in zip(terms, hit.held) if where),
                unmatched=tuple(t.text for t, where in zip(terms, hit.held) if not where)))
        return hits


def _in_memory(kb: KnowledgeBase, lexicon: Lexicon, warning: str) -> IndexImage:
    digest = content_hash(kb)
    return IndexImage(digest=digest, data=build(documents(kb), digest, lexicon), warning=warning)
