"""The session store's SQLite schema, its migrations, and SQLite errors as StoreErrors."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Callable

from engine.sessions.records import StoreError

APPLICATION_ID = 0x74726961          # "tria" in the database header: this file is ours


def _schema_1(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    conn.execute("INSERT INTO schema_version (version) VALUES (0)")
    conn.execute("""
        CREATE TABLE sessions (
            id          TEXT PRIMARY KEY,
            created     TEXT NOT NULL,
            updated     TEXT NOT NULL,
            title       TEXT NOT NULL DEFAULT '',
            status      TEXT NOT NULL DEFAULT 'open'
                        CHECK (status IN ('open', 'resolved', 'abandoned')),
            kb_hash     TEXT NOT NULL DEFAULT '',
            ticket_text TEXT NOT NULL DEFAULT ''
        )""")
    conn.execute("CREATE INDEX sessions_by_updated ON sessions (updated)")
    conn.execute("""
        CREATE TABLE events (
            session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            seq        INTEGER NOT NULL,
            at         TEXT NOT NULL,
            kind       TEXT NOT NULL,
            payload    TEXT NOT NULL,
            PRIMARY KEY (session_id, seq)
        ) WITHOUT ROWID""")


# Migration hook: to change the schema, append a function; it runs once, inside the write
# transaction that moves a store from version N to N+1.
MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (_schema_1,)
SCHEMA_VERSION = len(MIGRATIONS)


_BUSY, _LOCKED, _FULL, _READONLY = 5, 6, 13, 8
_CORRUPT, _NOTADB, _CANTOPEN, _IOERR, _PERM = 11, 26, 14, 10, 3


def _primary_code(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def is_busy(exc: sqlite3.Error) -> bool:
    code = _primary_code(exc)
    if code is not None:
        return code in (_BUSY, _LOCKED)
    return "locked" in str(exc) or "busy" in str(exc)


def stored_version(conn: sqlite3.Connection, path: Path) -> int:
    """The schema version; 0 for an empty database. A database of another program, or of a
    newer triage, is refused."""
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    tables = {name for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    if (app_id and app_id != APPLICATION_ID) or (tables and "schema_version" not in tables):
        raise StoreError(f"this is not a triage session store: {path}", "corrupt")
    if not tables:
        return 0
    version = conn.execute("SELECT version FROM schema_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreError(f"the session store was written by a newer triage (schema {version},"
                         f" this one knows {SCHEMA_VERSION}): {path}", "newer")
    return version


def migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Bring the schema up to date (inside the caller's write transaction)."""
    version = stored_version(conn, path)       # again: another process may have done it
    for step in MIGRATIONS[version:]:
        step(conn)
    conn.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION,))
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def store_error(exc: sqlite3.Error, path: Path, timeout: float) -> StoreError:
    """A one-line StoreError, with its reason, for what SQLite raised."""
    code, text = _primary_code(exc), str(exc)
    if code in (_BUSY, _LOCKED) or (code is None and is_busy(exc)):
        return StoreError(f"the session store is busy (locked by another triage) for more than"
                          f" {timeout:g} s: {path}", "busy")
    if code == _FULL or "is full" in text:
        return StoreError(f"the disk holding the session store is full: {path}", "full")
    if code == _READONLY or "readonly" in text:
        return StoreError(f"the session store is read-only: {path}", "read-only")
    if code in (_CORRUPT, _NOTADB) or "not a database" in text or "malformed" in text:
        return StoreError(f"the session store is not a database or is damaged: {path}",
                          "corrupt")
    if code in (_CANTOPEN, _PERM) or "unable to open" in text:
        return StoreError(f"cannot open the session store (is its folder writable?): {path}",
                          "unwritable")
    if code == _IOERR:
        return StoreError(f"the session store could not be read or written ({text}): {path}",
                          "io")
    return StoreError(f"the session store failed: {text}: {path}")
