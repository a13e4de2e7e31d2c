"""Interview sessions, kept as an append-only event log in SQLite, so an interview can be resumed
by replaying its events.

Event kinds the app writes (`append` takes any kind matching `^[a-z][a-z-]*$`; payloads are JSON
objects):

| kind | payload |
|---|---|
| `text` | `{text}`: what the caller said (ticket text added during the interview) |
| `answer` | `{question, value}` |
| `retract` | `{question}`: an answer taken back |
| `evidence` | `{name, kind (file or paste), encoding, lines, excerpt: [{line_no, line}], facts}` |
| `ruled-out` | `{entry}` |
| `result` | `{verdict, top, confidence, ...}` |

Every string in a `text` or `evidence` payload, and a session's title and ticket text, is
redacted (`engine.evidence.redact`) here, so no caller can forget: secrets never reach the disk.

Durability and concurrency: WAL, `synchronous=FULL`; every write is one `BEGIN IMMEDIATE` …
`COMMIT` (the write lock is taken up front, so two triage processes queue instead of failing
with "database is locked"), retried with short random sleeps until `timeout`. When `append`
returns, the event is committed and survives a crash. One connection per thread.

Errors: every SQLite or file system failure is a `StoreError` with a one-line message and a
`reason` (busy, full, read-only, corrupt, unwritable, io, newer, not-found, closed). Nothing is
half written: a failed write left the store as it was, and the caller still holds what it tried
to write (the app's `tui.session.Outbox` keeps it in memory, in order, and writes it later).
"""

from __future__ import annotations

import json
import random
import re
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, TypeVar

import platformdirs

from engine.evidence.redact import redact

T = TypeVar("T")

STATUSES = ("open", "resolved", "abandoned")
REDACTED_KINDS = frozenset({"text", "evidence"})
APPLICATION_ID = 0x74726961          # "tria" in the database header: this file is ours
_KIND = re.compile(r"[a-z][a-z-]*")
_PREVIEW_CHARS = 80


class StoreError(Exception):
    """The session store cannot do what was asked; `str()` is one line for a notice."""

    def __init__(self, message: str, reason: str = "error"):
        super().__init__(message)
        self.reason = reason

    @property
    def retryable(self) -> bool:
        """Worth trying again later (another triage holds the lock, the disk was full)."""
        return self.reason in ("busy", "full", "io")


class SessionNotFound(StoreError):
    def __init__(self, session_id: str):
        super().__init__(f"no such session in the session store: {session_id}", "not-found")


@dataclass(frozen=True)
class Event:
    seq: int
    at: str
    kind: str
    payload: dict[str, Any]


@dataclass(frozen=True)
class Session:
    id: str
    title: str
    status: str
    created: str
    updated: str
    kb_hash: str
    ticket_text: str


@dataclass(frozen=True)
class SessionSummary:
    """One line of the list to resume from."""

    id: str
    title: str
    status: str
    created: str
    updated: str
    events: int
    preview: str            # the ticket text's start, on one line


def default_store_path() -> Path:
    return Path(platformdirs.user_data_dir("triage", appauthor=False)) / "sessions.sqlite3"


def new_session_id() -> str:
    """Readable and sortable: `20240311-081244-3fa2c1` (UTC time, then random)."""
    return f"{datetime.now(timezone.utc):%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _redacted(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value).text
    if isinstance(value, dict):
        return {key: _redacted(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_redacted(item) for item in value]
    return value


def event_json(kind: str, payload: dict[str, Any]) -> str:
    """The payload as stored: checked, redacted when its kind needs it, as JSON.
    A bad kind or payload is a programming error: ValueError."""
    if not isinstance(kind, str) or not _KIND.fullmatch(kind):
        raise ValueError(f"event kind must match ^[a-z][a-z-]*$: {kind!r}")
    if not isinstance(payload, dict):
        raise ValueError(f"event payload must be a dict, not {type(payload).__name__}")
    if kind in REDACTED_KINDS:
        payload = _redacted(payload)
    try:
        return json.dumps(payload, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"event payload is not JSON: {exc}") from None


# --- schema --------------------------------------------------------------------------

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


# --- errors --------------------------------------------------------------------------

_BUSY, _LOCKED, _FULL, _READONLY = 5, 6, 13, 8
_CORRUPT, _NOTADB, _CANTOPEN, _IOERR, _PERM = 11, 26, 14, 10, 3


def _primary_code(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def _is_busy(exc: sqlite3.Error) -> bool:
    code = _primary_code(exc)
    if code is not None:
        return code in (_BUSY, _LOCKED)
    return "locked" in str(exc) or "busy" in str(exc)


class SessionStore:
    """Sessions and their events; safe to share between threads (one connection each) and
    between processes (SQLite's locks, taken up front)."""

    def __init__(self, path: Path | str | None = None, *, timeout: float = 5.0):
        self.path = Path(path) if path is not None else default_store_path()
        self.timeout = timeout
        self._local = threading.local()
        self._connections: dict[threading.Thread, sqlite3.Connection] = {}
        self._guard = threading.Lock()
        self._closed = False
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the folder for the session store: {self.path.parent}:"
                             f" {exc.strerror or exc}", "unwritable") from exc
        self._ensure_schema()

    # --- sessions --------------------------------------------------------------------

    def create(self, title: str = "", kb_hash: str = "", ticket_text: str = "", *,
               session_id: str | None = None) -> str:
        """A new open session; its id (generated unless given)."""
        title, ticket_text = redact(title).text, redact(ticket_text).text
        session_id = session_id or new_session_id()
        now = _now()
        self._write(lambda conn: conn.execute(
            "INSERT INTO sessions (id, created, updated, title, status, kb_hash, ticket_text)"
            " VALUES (?, ?, ?, ?, 'open', ?, ?)",
            (session_id, now, now, title, kb_hash, ticket_text)))
        return session_id

    def get(self, session_id: str) -> Session | None:
        row = self._read(lambda conn: conn.execute(
            "SELECT id, title, status, created, updated, kb_hash, ticket_text FROM sessions"
            " WHERE id = ?", (session_id,)).fetchone())
        return Session(*row) if row else None

    def sessions(self, limit: int = 50) -> list[SessionSummary]:
        """Newest first (by last change)."""
        rows = self._read(lambda conn: conn.execute(
            "SELECT s.id, s.title, s.status, s.created, s.updated,"
            " (SELECT COUNT(*) FROM events e WHERE e.session_id = s.id),"
            " substr(s.ticket_text, 1, 400)"
            " FROM sessions s ORDER BY s.updated DESC, s.rowid DESC LIMIT ?", (limit,)).fetchall())
        return [SessionSummary(*row[:6], preview=_preview(row[6])) for row in rows]

    def update(self, session_id: str, *, title: str | None = None, status: str | None = None,
               ticket_text: str | None = None) -> None:
        changes: dict[str, str] = {}
        if title is not None:
            changes["title"] = redact(title).text
        if status is not None:
            if status not in STATUSES:
                raise ValueError(f"status must be one of {', '.join(STATUSES)}: {status!r}")
            changes["status"] = status
        if ticket_text is not None:
            changes["ticket_text"] = redact(ticket_text).text
        changes["updated"] = _now()
        assignments = ", ".join(f"{column} = ?" for column in changes)

        def work(conn: sqlite3.Connection) -> None:
            cursor = conn.execute(f"UPDATE sessions SET {assignments} WHERE id = ?",
                                  (*changes.values(), session_id))
            if cursor.rowcount == 0:
                raise SessionNotFound(session_id)

        self._write(work)

    def delete(self, session_id: str) -> bool:
        """Remove a session and its events; False if there was none."""
        return self._write(lambda conn: conn.execute(
            "DELETE FROM sessions WHERE id = ?", (session_id,)).rowcount > 0)

    # --- events ----------------------------------------------------------------------

    def append(self, session_id: str, kind: str, payload: dict[str, Any]) -> int:
        """Add an event; its sequence number (1, 2, …). Committed and durable when this returns.
        On StoreError nothing was written: keep the event and call again later."""
        text = event_json(kind, payload)
        at = _now()

        def work(conn: sqlite3.Connection) -> int:
            known = conn.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone()
            if known is None:
                raise SessionNotFound(session_id)
            seq = conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM events WHERE session_id = ?",
                               (session_id,)).fetchone()[0]
            conn.execute("INSERT INTO events (session_id, seq, at, kind, payload)"
                         " VALUES (?, ?, ?, ?, ?)", (session_id, seq, at, kind, text))
            conn.execute("UPDATE sessions SET updated = ? WHERE id = ?", (at, session_id))
            return seq

        return self._write(work)

    def events(self, session_id: str) -> list[Event]:
        """A session's events in order, to replay."""
        rows = self._read(lambda conn: conn.execute(
            "SELECT seq, at, kind, payload FROM events WHERE session_id = ? ORDER BY seq",
            (session_id,)).fetchall())
        return [Event(seq, at, kind, json.loads(payload)) for seq, at, kind, payload in rows]

    # --- lifetime --------------------------------------------------------------------

    def close(self) -> None:
        """Close every thread's connection (at shutdown, when the workers are done)."""
        with self._guard:
            self._closed = True
            connections, self._connections = list(self._connections.values()), {}
        _close_all(connections)

    def __enter__(self) -> SessionStore:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    # --- plumbing --------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        if self._closed:
            raise StoreError(f"the session store is closed: {self.path}", "closed")
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            return conn
        try:
            # SQLite's own busy wait stays short: _retry() waits in small random steps instead,
            # which shares the lock fairly between processes that write in a tight loop
            conn = sqlite3.connect(self.path, timeout=0.01, isolation_level=None,
                                   check_same_thread=False)
        except sqlite3.Error as exc:
            raise self._error(exc) from exc
        try:
            self._retry(lambda: conn.execute("PRAGMA journal_mode = WAL").fetchone())
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
        except StoreError:
            conn.close()
            raise
        except sqlite3.Error as exc:
            conn.close()
            raise self._error(exc) from exc
        self._local.conn = conn
        with self._guard:
            # Textual's thread workers come and go: close what finished threads left open
            ended = [thread for thread in self._connections if not thread.is_alive()]
            _close_all([self._connections.pop(thread) for thread in ended])
            self._connections[threading.current_thread()] = conn
        return conn

    def _retry(self, action: Callable[[], T]) -> T:
        """`action()`, tried again while another connection holds the lock, up to `timeout`."""
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                return action()
            except sqlite3.Error as exc:
                if not _is_busy(exc):
                    raise self._error(exc) from exc
                if time.monotonic() >= deadline:
                    raise self._error(exc) from exc
                time.sleep(random.uniform(0.0005, 0.004))

    def _read(self, query: Callable[[sqlite3.Connection], T]) -> T:
        conn = self._connection()
        return self._retry(lambda: query(conn))

    def _write(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """`work` in one BEGIN IMMEDIATE … COMMIT: all of it or none of it."""
        conn = self._connection()

        def transaction() -> T:
            conn.execute("BEGIN IMMEDIATE")
            try:
                result = work(conn)
                conn.execute("COMMIT")
                return result
            except BaseException:
                if conn.in_transaction:
                    try:
                        conn.execute("ROLLBACK")
                    except sqlite3.Error:
                        pass
                raise

        return self._retry(transaction)

    def _ensure_schema(self) -> None:
        if self._read(self._version) == SCHEMA_VERSION:
            return

        def migrate(conn: sqlite3.Connection) -> None:
            version = self._version(conn)        # again: another process may have done it
            for step in MIGRATIONS[version:]:
                step(conn)
            conn.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION,))
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")

        self._write(migrate)

    def _version(self, conn: sqlite3.Connection) -> int:
        """The schema version; 0 for an empty database. A database of another program, or of
        a newer triage, is refused."""
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = {name for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        if (app_id and app_id != APPLICATION_ID) or (tables and "schema_version" not in tables):
            raise StoreError(f"this is not a triage session store: {self.path}", "corrupt")
        if not tables:
            return 0
        version = conn.execute("SELECT version FROM schema_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(f"the session store was written by a newer triage (schema {version},"
                             f" this one knows {SCHEMA_VERSION}): {self.path}", "newer")
        return version

    def _error(self, exc: sqlite3.Error) -> StoreError:
        code, text, path = _primary_code(exc), str(exc), self.path
        if code in (_BUSY, _LOCKED) or (code is None and _is_busy(exc)):
            return StoreError(f"the session store is busy (locked by another triage) for more than"
                              f" {self.timeout:g} s: {path}", "busy")
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


def _close_all(connections: list[sqlite3.Connection]) -> None:
    for conn in connections:
        try:
            conn.close()
        except sqlite3.Error:
            pass


def _preview(ticket_text: str) -> str:
    line = " ".join(ticket_text.split())
    return line if len(line) <= _PREVIEW_CHARS else line[:_PREVIEW_CHARS - 1] + "…"
