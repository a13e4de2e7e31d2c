"""Building the search index: KB entries into an SQLite FTS5 database (sqlite-utils).

One row per entry in `entries`, holding each field (`engine.search.documents`) as index forms
(`engine.text.tokens`: codes whole, words stemmed, separated by spaces), which the FTS5 table
`entries_fts` indexes; its tokenizer keeps `.`, `-` and `_` inside tokens, so what our tokeniser
wrote as one token stays one. The same row keeps each field as plain text (`text_*`), which
snippets are cut from. `terms` holds the words and names of the KB as written, for "did you
mean"; `forms` how many entries hold each index form; `surfaces` the words written for each
stem, so a snippet finds `connecting` for `connect` without cutting the whole entry. As many
empty rows as entries keep bm25's idf positive for common words.

A built index is a file named after the content hash of what it indexes. It is built in memory,
written to a temporary file beside its final name and moved into place with `os.replace`, so a
reader sees either no file or a complete one, and a reader of an older index keeps its file.
"""

from __future__ import annotations

import gc
import os
import re
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from sqlite_utils import Database

from engine.kb.models import KnowledgeBase
from engine.search.documents import FIELDS, INDEX_VERSION, TEXTS, Document, content_hash, documents
from engine.search.forms import ChunkInfo, canonical, piece_info
from engine.text.lexicon import Lexicon

APP_NAME = "triage"
KEY_FIELDS = ("title", "aliases", "errors", "symptoms")  # their codes also go to "errors"
WEIGHTS = {"title": 10.0, "aliases": 8.0, "errors": 6.0, "symptoms": 3.0, "commands": 2.5,
           "body": 1.0}
TOKENIZE = "unicode61 remove_diacritics 2 tokenchars '._-'"
FILE_PREFIX = "search-"
KEEP_FILES = 8
STALE_TMP_SECONDS = 3600
_HAS_DIGIT = re.compile(r"\d").search


@dataclass(frozen=True)
class IndexImage:
    """A built index: a published file, or (when the cache is unusable) bytes for memory."""

    digest: str
    path: Path | None = None
    data: bytes | None = None
    warning: str | None = None


def default_cache_dir() -> Path:
    """The user cache directory (platformdirs: honours XDG_CACHE_HOME on Linux)."""
    return Path(platformdirs.user_cache_dir(APP_NAME))


class _Pieces(dict):
    """Piece of text (between white space) -> its index forms; each distinct piece is
    analysed once per build, and what else it yields is kept in `info`."""

    def __init__(self, lexicon: Lexicon):
        super().__init__()
        self.lexicon = lexicon
        self.info: dict[str, ChunkInfo] = {}

    def __missing__(self, piece: str) -> str:
        info = self.info[piece] = canonical(piece_info(piece), self.lexicon)
        self[piece] = info.forms
        return info.forms


class _Builder:
    """Turns documents into rows; what it learns of each distinct piece stays in `pieces`."""

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        self.pieces = _Pieces(lexicon)

    def row(self, n: int, doc: Document) -> dict:
        row = {"n": n, "id": doc.id, "kind": doc.kind, "area": doc.area}
        info = self.pieces.info
        codes: set[str] = set()  # the codes that name this problem, not all it mentions
        for field in FIELDS:
            row[f"text_{field}"] = getattr(doc, field)
            text = doc.indexed(field)
            pieces = text.split()
            if field == "title":
                pieces.append(doc.id)
            unique = dict.fromkeys(pieces)
            row[field] = " ".join(map(self.pieces.__getitem__, unique))
            phrases = self.lexicon.phrases_in(text)
            if phrases:
                row[field] += " " + " ".join(sorted(phrases))
            if field in KEY_FIELDS:
                codes.update(*[info[piece].codes for piece in unique])
        row["errors"] += " " + " ".join(sorted(codes))
        row["text_tags"] = doc.tags
        return row

    def vocabulary(self) -> tuple[dict[str, tuple[str, str]], set[tuple[str, str]]]:
        """Every word and name of the KB: folded -> (index form, as written); and the
        (stem, word as written) pairs."""
        vocabulary: dict[str, tuple[str, str]] = {}
        written: set[tuple[str, str]] = set()
        for info in self.pieces.info.values():
            for folded, form, shown in info.vocabulary:
                vocabulary.setdefault(folded, (form, shown))
                if form != folded:
                    written.add((form, folded))
        return vocabulary, written


def build(docs: list[Document], digest: str, lexicon: Lexicon | None = None) -> bytes:
    """The whole index, built in memory; returned as the bytes of an SQLite database."""
    db = Database(memory=True, execute_plugins=False)
    db.execute("PRAGMA journal_mode=OFF")
    builder = _Builder(lexicon or Lexicon())
    collecting = gc.isenabled()
    gc.disable()  # millions of small objects, none cyclic: the collector only slows this down
    try:
        rows = [builder.row(n, doc) for n, doc in enumerate(docs, start=1)]
    finally:
        if collecting:
            gc.enable()
    # Empty rows, as many as entries, so that FTS5's bm25 keeps a positive idf for a term that
    # is in more than half of the entries (it clamps log((N - n + 0.5) / (n + 0.5)) to ~0):
    # with them the idf is log((2N - n + 0.5) / (n + 0.5)), zero only for a term in every entry.
    empty = dict.fromkeys((*FIELDS, *(f"text_{field}" for field in TEXTS)), "")
    rows.extend({"n": len(docs) + i, "id": None, "kind": "", "area": "", **empty}
                for i in range(1, len(docs) + 1))
    entries = db["entries"]
    columns = {"n": int, "id": str, "kind": str, "area": str,
               **dict.fromkeys((*FIELDS, *(f"text_{field}" for field in TEXTS)), str)}
    entries.create(columns, pk="n")
    # executemany: sqlite-utils' insert_all spends more time preparing rows than SQLite does
    db.conn.executemany(f"INSERT INTO entries VALUES ({', '.join('?' * len(columns))})",
                        ([row[name] for name in columns] for row in rows))
    entries.create_index(["id"])
    entries.enable_fts(FIELDS, fts_version="FTS5", tokenize=TOKENIZE)
    weights = ", ".join(f"{WEIGHTS[field]:g}" for field in FIELDS)
    db.execute("INSERT INTO entries_fts(entries_fts, rank) VALUES ('rank', ?)",
               [f"bm25({weights})"])
    db["entries_fts"].optimize()
    # How many entries hold each index form (fts5vocab counts them by reading the whole
    # doclist on every look-up: once here, so a query looks them up in a b-tree).
    db.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, entries_fts, row)")
    db.execute("CREATE TABLE forms (form TEXT PRIMARY KEY, entries INTEGER) WITHOUT ROWID")
    db.execute("INSERT INTO forms SELECT term, doc FROM temp.vocab")
    db.execute("DROP TABLE temp.vocab")
    # "did you mean": the words and names of the KB (3+ characters, no digits) as written,
    # with their index form.
    vocabulary, written = builder.vocabulary()
    db["terms"].create({"term": str, "display": str, "form": str}, pk="term")
    db.conn.executemany("INSERT INTO terms VALUES (?, ?, ?)",
                        ((folded, shown, form) for folded, (form, shown) in vocabulary.items()
                         if len(folded) >= 3 and not _HAS_DIGIT(folded)))
    # snippets: the words the KB writes for each stem
    db["surfaces"].create({"stem": str, "surface": str})
    db.conn.executemany("INSERT INTO surfaces VALUES (?, ?)", written)
    db["surfaces"].create_index(["stem"])
    db["meta"].insert_all([{"key": "digest", "value": digest},
                           {"key": "version", "value": INDEX_VERSION},
                           {"key": "entries", "value": str(len(docs))}], pk="key")
    db.conn.commit()
    data = db.conn.serialize()
    db.conn.close()
    return data


def read_digest(conn: sqlite3.Connection) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = 'digest'").fetchone()
    return row[0] if row else None


def file_uri(path: Path) -> str:
    """Read-only and immutable: a published index is never written again."""
    return path.resolve().as_uri() + "?mode=ro&immutable=1"


def _usable(path: Path, digest: str) -> bool:
    try:
        conn = sqlite3.connect(file_uri(path), uri=True)
        try:
            ok = read_digest(conn) == digest
            conn.execute("SELECT rowid FROM entries_fts WHERE entries_fts MATCH '\"x\"' LIMIT 1")
            return ok
        finally:
            conn.close()
    except sqlite3.Error:
        return False


def publish(data: bytes, path: Path) -> None:
    """Write `data` to `path` atomically: a temporary file beside it, fsync, rename."""
    fd, tmp = tempfile.mkstemp(prefix=FILE_PREFIX, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def prune(directory: Path, keep: Path) -> None:
    """Drop leftovers: old temporary files, and all but the most recently used indexes."""

    def age(path: Path) -> float:
        try:
            return now - path.stat().st_mtime
        except OSError:
            return 0.0

    now = time.time()
    try:
        found = list(directory.glob(f"{FILE_PREFIX}*"))
    except OSError:
        return
    indexes = sorted((p for p in found if p.suffix == ".sqlite" and p != keep), key=age)
    stale = [p for p in found if p.suffix == ".tmp" and age(p) > STALE_TMP_SECONDS]
    for path in indexes[KEEP_FILES - 1:] + stale:
        try:
            path.unlink()
        except OSError:
            pass  # gone already, in use (Windows) or a read-only folder: not our problem


def prepare(kb: KnowledgeBase, lexicon: Lexicon, cache_dir: Path | None = None) -> IndexImage:
    """Reuse the cached index for this content, or build and publish it; if the cache cannot
    be used, an in-memory image with a warning saying why."""
    digest = content_hash(kb)
    directory = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    path = directory / f"{FILE_PREFIX}{digest[:24]}.sqlite"
    if path.is_file() and _usable(path, digest):
        try:
            os.utime(path)  # most recently used: kept by prune()
        except OSError:
            pass
        return IndexImage(digest=digest, path=path)
    data = build(documents(kb), digest, lexicon)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        publish(data, path)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        return IndexImage(digest=digest, data=data,
                          warning=f"cannot write the search index cache in {directory} "
                                  f"({reason}); using an in-memory index")
    prune(directory, keep=path)
    return IndexImage(digest=digest, path=path)
