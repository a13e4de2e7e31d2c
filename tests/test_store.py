"""The session store: sessions and their event log, redaction on the way in, and a StoreError
(one line, with a reason) for every way the store can fail."""

import os
import sqlite3
import sys
import threading
import time

import pytest

import engine.sessions.schema as schema_module
from engine.sessions.store import (
    Event,
    Session,
    SessionNotFound,
    SessionStore,
    SessionSummary,
    StoreError,
    default_store_path,
)

EVIDENCE = {
    "name": "imap-telnet.txt", "kind": "paste", "encoding": "utf-16", "lines": 3,
    "excerpt": [{"line_no": 2, "line": "a1 LOGIN uccxmail Winter2024!"},
                {"line_no": 3, "line": "a1 NO AUTHENTICATE failed."}],
    "facts": [{"name": "imap.login", "value": "refused",
               "source": "Authorization: Basic dWNjeG1haWw6V2ludGVyMjAyNCE="}],
}
EVIDENCE_STORED = {
    "name": "imap-telnet.txt", "kind": "paste", "encoding": "utf-16", "lines": 3,
    "excerpt": [{"line_no": 2, "line": "a1 LOGIN uccxmail ********"},
                {"line_no": 3, "line": "a1 NO AUTHENTICATE failed."}],
    "facts": [{"name": "imap.login", "value": "refused",
               "source": "Authorization: Basic ********"}],
}


@pytest.fixture(autouse=True)
def _scratch_data_home(tmp_path, monkeypatch):
    """No test may touch the real user data directory."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))


@pytest.fixture
def store(tmp_path):
    with SessionStore(tmp_path / "sessions.sqlite3", timeout=0.3) as opened:
        yield opened


def holding_the_write_lock(path):
    """Another triage in the middle of a write: a connection holding BEGIN EXCLUSIVE."""
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN EXCLUSIVE")
    return other


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG_DATA_HOME is a Linux rule")
def test_default_store_is_created_in_a_fresh_data_home(tmp_path):
    expected = tmp_path / "xdg-data" / "triage" / "sessions.sqlite3"
    assert default_store_path() == expected
    with SessionStore() as store:
        assert store.path == expected
        session_id = store.create(title="first")
    conn = sqlite3.connect(expected)
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == {"schema_version", "sessions", "events"}
    assert conn.execute("SELECT version FROM schema_version").fetchall() == [(1,)]
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert conn.execute("SELECT id, title, status FROM sessions").fetchall() == [
        (session_id, "first", "open")]


def test_an_interview_is_written_and_replayed(store):
    session_id = store.create(title="Outlook keeps prompting", kb_hash="kb-3f2a",
                              ticket_text="Outlook asks for the password every few minutes")
    assert [store.append(session_id, kind, payload) for kind, payload in [
        ("text", {"text": "since the CU14 update"}),
        ("answer", {"question": "client", "value": "outlook"}),
        ("answer", {"question": "external", "value": "yes"}),
        ("retract", {"question": "external"}),
        ("ruled-out", {"entry": "autodiscover-external-outlook-anywhere"}),
        ("result", {"verdict": "confident", "top": "oa-auth-mismatch", "confidence": 0.82}),
    ]] == [1, 2, 3, 4, 5, 6]

    events = store.events(session_id)
    assert [(e.seq, e.kind, e.payload) for e in events] == [
        (1, "text", {"text": "since the CU14 update"}),
        (2, "answer", {"question": "client", "value": "outlook"}),
        (3, "answer", {"question": "external", "value": "yes"}),
        (4, "retract", {"question": "external"}),
        (5, "ruled-out", {"entry": "autodiscover-external-outlook-anywhere"}),
        (6, "result", {"verdict": "confident", "top": "oa-auth-mismatch", "confidence": 0.82}),
    ]
    assert all(isinstance(e, Event) and e.at.endswith("Z") for e in events)
    assert [e.at for e in events] == sorted(e.at for e in events)

    session = store.get(session_id)
    assert session == Session(session_id, "Outlook keeps prompting", "open", session.created,
                              events[-1].at, "kb-3f2a",
                              "Outlook asks for the password every few minutes")
    assert store.get("20240101-000000-000000") is None


def test_sessions_are_listed_newest_change_first(store):
    older = store.create(title="older", ticket_text="Free/busy  not shown\nfor room mailboxes")
    newer = store.create(title="newer", ticket_text="x" * 200)
    time.sleep(0.002)
    store.append(older, "answer", {"question": "q", "value": "v"})   # older changes last

    listed = store.sessions()
    assert [s.id for s in listed] == [older, newer]
    first, second = listed
    assert first == SessionSummary(older, "older", "open", first.created, first.updated, 1,
                                   "Free/busy not shown for room mailboxes")
    assert second.events == 0 and second.preview == "x" * 79 + "…"
    assert [s.id for s in store.sessions(limit=1)] == [older]


def test_update_and_delete(store):
    session_id = store.create(title="draft")
    store.append(session_id, "answer", {"question": "q", "value": "v"})
    store.update(session_id, title="IMAP limit", status="resolved",
                 ticket_text="UCCX agents get NO AUTHENTICATE failed")
    session = store.get(session_id)
    assert (session.title, session.status, session.ticket_text) == (
        "IMAP limit", "resolved", "UCCX agents get NO AUTHENTICATE failed")
    store.update(session_id, status="abandoned")
    assert store.get(session_id).title == "IMAP limit"          # unchanged fields stay
    with pytest.raises(ValueError):
        store.update(session_id, status="closed")

    assert store.delete(session_id) is True
    assert store.get(session_id) is None and store.events(session_id) == []
    assert store.delete(session_id) is False
    with pytest.raises(SessionNotFound) as raised:
        store.update(session_id, title="gone")
    assert raised.value.reason == "not-found"


def test_append_to_an_unknown_session_writes_nothing(store):
    with pytest.raises(SessionNotFound) as raised:
        store.append("20240101-000000-abcdef", "answer", {"question": "q", "value": "v"})
    assert str(raised.value) == "no such session in the session store: 20240101-000000-abcdef"
    assert store.events("20240101-000000-abcdef") == []


@pytest.mark.parametrize("kind,payload", [
    ("Answer", {}), ("", {}), ("ruled_out", {}), ("-x", {}), ("answer\n", {}),
    ("answer", ["not", "a", "dict"]),
    ("answer", {"value": {1, 2}}), ("answer", {"value": float("nan")}),
])
def test_malformed_events_are_refused(store, kind, payload):
    session_id = store.create()
    with pytest.raises(ValueError):
        store.append(session_id, kind, payload)
    assert store.events(session_id) == []


def test_any_well_formed_kind_is_accepted(store):
    session_id = store.create()
    assert store.append(session_id, "note-from-engineer", {"text": "called back"}) == 1


def test_evidence_and_text_are_redacted_before_they_are_stored(store, tmp_path):
    session_id = store.create(title="pwd=Winter2024!",
                              ticket_text="telnet test: a1 LOGIN uccxmail Winter2024!")
    store.append(session_id, "evidence", EVIDENCE)
    store.append(session_id, "text", {"text": "their script has Password=Winter2024!;"})
    store.append(session_id, "answer", {"question": "service-account", "value": "uccxmail"})
    store.update(session_id, ticket_text="again: a1 LOGIN uccxmail Winter2024!")

    assert [e.payload for e in store.events(session_id)] == [
        EVIDENCE_STORED, {"text": "their script has Password=********;"},
        {"question": "service-account", "value": "uccxmail"}]
    assert store.get(session_id).title == "pwd=********"
    assert store.get(session_id).ticket_text == "again: a1 LOGIN uccxmail ********"
    store.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("sessions.sqlite3*"))
    assert b"Winter2024!" not in raw and b"dWNjeG1haWw6V2ludGVyMjAyNCE=" not in raw


def test_threads_each_get_a_connection_and_share_the_store(tmp_path):
    # a generous timeout: the threads take turns with the write lock, for as long as it takes
    store = SessionStore(tmp_path / "sessions.sqlite3", timeout=60)
    session_id = store.create()
    errors = []

    def answer(worker):
        try:
            for n in range(50):
                store.append(session_id, "answer", {"question": f"w{worker}", "value": n})
        except Exception as exc:   # noqa: BLE001 - reported below
            errors.append(exc)

    workers = [threading.Thread(target=answer, args=(w,)) for w in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    events = store.events(session_id)
    assert [e.seq for e in events] == list(range(1, 201))
    for w in range(4):
        mine = [e.payload["value"] for e in events if e.payload["question"] == f"w{w}"]
        assert mine == list(range(50))


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts open files in /proc")
def test_connections_of_finished_threads_are_closed(store):
    """The TUI runs each write in a short-lived worker thread: connections must not pile up."""
    session_id = store.create()

    def open_files():
        return sum(1 for fd in os.listdir("/proc/self/fd")
                   if os.path.realpath(f"/proc/self/fd/{fd}").startswith(str(store.path)))

    for n in range(30):
        worker = threading.Thread(target=store.append, args=(session_id, "answer", {"n": n}))
        worker.start()
        worker.join()
    assert len(store.events(session_id)) == 30
    assert open_files() <= 3 * 3      # database, -wal, -shm for this thread and at most two more


def test_locked_beyond_the_timeout_is_a_store_error_and_nothing_is_half_written(store):
    session_id = store.create()
    other = holding_the_write_lock(store.path)
    started = time.monotonic()
    with pytest.raises(StoreError) as raised:
        store.append(session_id, "answer", {"question": "q", "value": "lost?"})
    waited = time.monotonic() - started
    assert raised.value.reason == "busy" and raised.value.retryable
    assert str(raised.value) == (f"the session store is busy (locked by another triage) for more"
                                 f" than 0.3 s: {store.path}")
    assert 0.3 <= waited < 2
    assert store.events(session_id) == []          # readers are not blocked by the writer (WAL)
    other.execute("ROLLBACK")
    other.close()
    assert store.append(session_id, "answer", {"question": "q", "value": "lost?"}) == 1


def test_a_writer_that_finishes_within_the_timeout_is_waited_for(store):
    session_id = store.create()
    other = holding_the_write_lock(store.path)
    threading.Timer(0.1, lambda: (other.execute("COMMIT"), other.close())).start()
    assert store.append(session_id, "answer", {"question": "q", "value": "v"}) == 1


def test_disk_full_is_a_store_error_that_writes_nothing_until_there_is_room(store):
    """SQLITE_FULL, as on a full disk, made with max_page_count on this thread's connection.
    (The app keeps refused writes in order in tui.session.Outbox; tests/tui cover that.)"""
    session_id = store.create()
    store.append(session_id, "answer", {"question": "q", "value": "v"})
    conn = store._connection()
    conn.execute(f"PRAGMA max_page_count = {conn.execute('PRAGMA page_count').fetchone()[0]}")
    big = dict(EVIDENCE, excerpt=[{"line_no": n, "line": "x" * 200} for n in range(500)])
    with pytest.raises(StoreError) as raised:
        store.append(session_id, "evidence", big)
    assert (raised.value.reason, str(raised.value)) == (
        "full", f"the disk holding the session store is full: {store.path}")
    assert [e.seq for e in store.events(session_id)] == [1]

    conn.execute("PRAGMA max_page_count = 1073741823")
    store.append(session_id, "evidence", big)
    store.append(session_id, "answer", {"question": "after", "value": "v"})
    assert [(e.seq, e.kind) for e in store.events(session_id)] == [
        (1, "answer"), (2, "evidence"), (3, "answer")]
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_write_refused_as_read_only_is_a_store_error(store):
    session_id = store.create()
    store._connection().execute("PRAGMA query_only = ON")
    with pytest.raises(StoreError) as raised:
        store.append(session_id, "answer", {"question": "q", "value": "v"})
    assert (raised.value.reason, str(raised.value)) == (
        "read-only", f"the session store is read-only: {store.path}")
    assert not raised.value.retryable


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root ignores file permissions")
def test_a_read_only_file_is_a_store_error(tmp_path):
    path = tmp_path / "sessions.sqlite3"
    with SessionStore(path) as store:
        session_id = store.create()
    path.chmod(0o444)
    with pytest.raises(StoreError) as raised:
        with SessionStore(path) as store:
            store.append(session_id, "answer", {"question": "q", "value": "v"})
    assert raised.value.reason in ("read-only", "unwritable")


def test_a_file_that_is_not_a_database_is_a_store_error(tmp_path):
    path = tmp_path / "sessions.sqlite3"
    path.write_text("Exchange Management Shell transcript\r\n" * 200)
    with pytest.raises(StoreError) as raised:
        SessionStore(path)
    assert (raised.value.reason, str(raised.value)) == (
        "corrupt", f"the session store is not a database or is damaged: {path}")


def test_another_programs_database_is_refused(tmp_path):
    path = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE mailboxes (name TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError) as raised:
        SessionStore(path)
    assert str(raised.value) == f"this is not a triage session store: {path}"


def test_a_folder_that_cannot_be_created_is_a_store_error(tmp_path):
    blocker = tmp_path / "data"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(StoreError) as raised:
        SessionStore(blocker / "triage" / "sessions.sqlite3")
    assert raised.value.reason == "unwritable"
    assert str(raised.value).startswith(
        f"cannot create the folder for the session store: {blocker}")


def test_a_directory_in_place_of_the_file_is_a_store_error(tmp_path):
    (tmp_path / "sessions.sqlite3").mkdir()
    with pytest.raises(StoreError) as raised:
        SessionStore(tmp_path / "sessions.sqlite3")
    assert raised.value.reason == "unwritable"


def test_closed_store_says_so(tmp_path):
    store = SessionStore(tmp_path / "sessions.sqlite3")
    store.close()
    with pytest.raises(StoreError) as raised:
        store.create()
    assert raised.value.reason == "closed"


def test_a_store_from_a_newer_triage_is_refused(tmp_path):
    path = tmp_path / "sessions.sqlite3"
    SessionStore(path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE schema_version SET version = 99")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError) as raised:
        SessionStore(path)
    assert raised.value.reason == "newer"


def test_migrations_run_once_and_keep_the_data(tmp_path, monkeypatch):
    path = tmp_path / "sessions.sqlite3"
    with SessionStore(path) as store:
        session_id = store.create(title="before")
        store.append(session_id, "answer", {"question": "q", "value": "v"})

    def add_tags(conn):
        conn.execute("ALTER TABLE sessions ADD COLUMN tags TEXT NOT NULL DEFAULT ''")

    monkeypatch.setattr(schema_module, "MIGRATIONS", schema_module.MIGRATIONS + (add_tags,))
    monkeypatch.setattr(schema_module, "SCHEMA_VERSION", 2)
    SessionStore(path).close()
    with SessionStore(path) as store:                   # a second open does not migrate again
        assert store.get(session_id).title == "before"
        assert [e.payload for e in store.events(session_id)] == [{"question": "q", "value": "v"}]
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT version FROM schema_version").fetchall() == [(2,)]
    assert conn.execute("SELECT tags FROM sessions").fetchall() == [("",)]
