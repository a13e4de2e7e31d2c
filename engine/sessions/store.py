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

A stored payload that is not a JSON object (a damaged file, another program's write) comes
back as an `Event` with `damaged` set, for the reader to skip with a notice.

Every string in a `text` or `evidence` payload, and a session's title and ticket text, is
redacted (`engine.evidence.redact`) here, so no caller can forget: secrets never reach the disk.

Durability and concurrency: WAL, `synchronous=FULL`; every write is one `BEGIN IMMEDIATE` …
`COMMIT`: the write lock is taken up front, so two triage processes queue instead of failing
with "database is locked" (a deferred `BEGIN` that later writes fails at once), and SQLite's own
busy handler (`sqlite3.connect(timeout=...)`) waits for the lock up to `timeout`. When `append`
returns, the event is committed and survives a crash. One connection per thread.

Errors: every SQLite or file system failure is a `StoreError` with a one-line message and a
`reason` (busy, full, read-only, corrupt, unwritable, io, newer, not-found, closed). Nothing is
half written: a failed write left the store as it was, and the caller still holds what it tried
to write (`engine.sessions.ticket.Outbox` keeps it in memory, in order, and writes it later).
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any, Callable, TypeVar

from engine.evidence.redact import redact
from engine.sessions import schema
from engine.sessions.records import (
    STATUSES,
    Event,
    Session,
    SessionNotFound,
    SessionSummary,
    StoreError,
    default_store_path,
    event_json,
    new_session_id,
    now,
    preview,
)

__all__ = ["Event", "Session", "SessionNotFound", "SessionStore", "SessionSummary",
           "StoreError", "default_store_path", "new_session_id"]

T = TypeVar("T")
RECOVERY_PAUSE = 0.05       # seconds between tries when SQLite says "busy" without waiting


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
        if self._read(lambda conn: schema.stored_version(conn, self.path)) != schema.SCHEMA_VERSION:
            self._write(lambda conn: schema.migrate(conn, self.path))

    # --- sessions --------------------------------------------------------------------

    def create(self, title: str = "", kb_hash: str = "", ticket_text: str = "", *,
               session_id: str | None = None) -> str:
        """A new open session; its id (generated unless given)."""
        title, ticket_text = redact(title).text, redact(ticket_text).text
        session_id = session_id or new_session_id()
        at = now()
        self._write(lambda conn: conn.execute(
            "INSERT INTO sessions (id, created, updated, title, status, kb_hash, ticket_text)"
            " VALUES (?, ?, ?, ?, 'open', ?, ?)",
            (session_id, at, at, title, kb_hash, ticket_text)))
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
        return [SessionSummary(*row[:6], preview=preview(row[6])) for row in rows]

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
        changes["updated"] = now()
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
        at = now()

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
        """A session's events in order, to replay; a damaged one has `damaged` set."""
        rows = self._read(lambda conn: conn.execute(
            "SELECT seq, at, kind, payload FROM events WHERE session_id = ? ORDER BY seq",
            (session_id,)).fetchall())
        return [_event(*row) for row in rows]

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
            # SQLite's busy handler waits for another process's lock up to `timeout`
            conn = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None,
                                   check_same_thread=False)
        except sqlite3.Error as exc:
            raise self._error(exc) from exc
        try:
            self._patiently(lambda: conn.execute("PRAGMA journal_mode = WAL").fetchone())
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as exc:
            conn.close()
            raise self._error(exc) from exc
        except StoreError:
            conn.close()
            raise
        self._local.conn = conn
        with self._guard:
            # Textual's thread workers come and go: close what finished threads left open
            ended = [thread for thread in self._connections if not thread.is_alive()]
            _close_all([self._connections.pop(thread) for thread in ended])
            self._connections[threading.current_thread()] = conn
        return conn

    def _patiently(self, action: Callable[[], T]) -> T:
        """`action()`; SQLite's busy handler (`timeout=`) waits while another connection holds
        the lock. In WAL mode SQLite also says "busy" at once, without waiting, while another
        process recovers the log after a crash: that is tried again after a pause, until the
        same deadline."""
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                return action()
            except sqlite3.Error as exc:
                if not schema.is_busy(exc) or time.monotonic() + RECOVERY_PAUSE >= deadline:
                    raise self._error(exc) from exc
                time.sleep(RECOVERY_PAUSE)

    def _read(self, query: Callable[[sqlite3.Connection], T]) -> T:
        conn = self._connection()
        return self._patiently(lambda: query(conn))

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

        return self._patiently(transaction)

    def _error(self, exc: sqlite3.Error) -> StoreError:
        return schema.store_error(exc, self.path, self.timeout)


def _event(seq: int, at: str, kind: str, payload: str) -> Event:
    try:
        data = json.loads(payload)
    except (TypeError, ValueError, RecursionError) as exc:
        return Event(seq, at, kind, {}, damaged=f"not JSON ({type(exc).__name__})")
    if not isinstance(data, dict):
        return Event(seq, at, kind, {}, damaged=f"a JSON {type(data).__name__}, not an object")
    return Event(seq, at, kind, data)


def _close_all(connections: list[sqlite3.Connection]) -> None:
    for conn in connections:
        try:
            conn.close()
        except sqlite3.Error:
            pass
