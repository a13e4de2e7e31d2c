"""engine.sessions.ticket without a screen: what is written for each action, how a session is resumed,
what happens when the store fails, and that it never imports Textual."""

import subprocess
import sys

import pytest
from tui_support import FIXTURE_KB, GATEWAY_PASTE, SECRET

from engine.inference.interview import AnswerError
from engine.sessions.store import SessionStore, StoreError
from engine.sessions.ticket import StoreHandle, TicketSession, title_of

ROOT = FIXTURE_KB.parents[2]


@pytest.fixture
def handle(store_path):
    handle = StoreHandle(store_path)
    yield handle
    handle.close()


def paste(session, text, name="pasted text"):
    return session.add_evidence(session.knowledge.scanner.scan_text(text, name), "paste")


def test_each_action_is_one_event_written_before_it_returns(fixture_knowledge, handle):
    session, saved = TicketSession.start(fixture_knowledge, handle, session_id="s1")
    assert saved.ok
    session.set_text(f"Jabber calendar status gone\nsvc password={SECRET}")
    session.answer("product", "Calendar status in Jabber (Cisco IM and Presence)")
    with pytest.raises(AnswerError):
        session.answer("product", "lync")                    # refused: nothing written
    record, saved = paste(session, GATEWAY_PASTE.replace("Mismatch", f"Mismatch pwd={SECRET}"))
    session.retract("product")
    session.rule_out("imp-cert-san-mismatch")
    session.record_result("imp-cert-subject-cn-mismatch")
    session.set_status("resolved")

    store = handle.get()
    events = store.events("s1")
    assert [e.kind for e in events] == ["text", "answer", "evidence", "retract", "ruled-out",
                                        "result"]
    assert events[1].payload == {"question": "product", "value": "imp"}
    evidence = events[2].payload
    assert evidence["excerpt"] == [{"line_no": 2, "line": "Exchange Reachability (pingable)"},
                                   {"line_no": 3, "line": "SSL Connection/Certificate "
                                                          "Verification Failed - SAN Mismatch "
                                                          "pwd=********"}]
    assert record.masked == 1 and evidence["masked"] == 1
    assert SECRET not in repr([e.payload for e in events])
    meta = store.get("s1")
    assert (meta.title, meta.status) == ("Jabber calendar status gone", "resolved")
    assert SECRET not in meta.ticket_text


def test_a_resumed_session_is_the_same_interview(fixture_knowledge, handle):
    live, _ = TicketSession.start(fixture_knowledge, handle, session_id="s1")
    live.set_text("Agents cannot use email since Monday")
    live.answer("product", "uccx")
    paste(live, "Connecting To exch01...Could not open connection to the host, on port 143: "
                "Connect failed\n", "telnet.txt")
    live.answer("uccx.imap-auth-failed", "no")
    live.answer("uccx.imap-auth-failed", "unknown")          # changed
    live.rule_out("uccx-imap-connection-limit")

    resumed, notes = TicketSession.resume(fixture_knowledge, handle, "s1")
    assert notes == []
    a, b = live.interview, resumed.interview
    assert (b.text, b.answers, b.ruled_out) == (a.text, a.answers, a.ruled_out)
    assert [(f.name, f.value, f.source) for f in b.facts()] == \
        [(f.name, f.value, f.source) for f in a.facts()]
    assert resumed.evidence == live.evidence
    assert resumed.transcript().split("\n", 3)[3] == live.transcript().split("\n", 3)[3]


def test_a_changed_kb_is_noted_and_what_no_longer_fits_is_skipped(fixture_knowledge, handle):
    store = handle.get()
    store.create("old", kb_hash="before", session_id="old")
    store.append("old", "answer", {"question": "product", "value": "imp"})
    store.append("old", "answer", {"question": "retired.question", "value": "yes"})
    session, notes = TicketSession.resume(fixture_knowledge, handle, "old", kb_hash="after")
    assert session.interview.answers == {"product": "imp"}
    assert notes[0] == "the knowledge base has changed since this session was saved"
    assert notes[1].startswith("not replayed: no question named 'retired.question'")


def test_writes_the_store_refuses_wait_in_order_and_go_out_later(fixture_knowledge, handle,
                                                                 monkeypatch):
    session, _ = TicketSession.start(fixture_knowledge, handle, session_id="s1")
    real = SessionStore.append

    def busy(*args, **kwargs):
        raise StoreError("the session store is busy (locked by another triage)", "busy")

    monkeypatch.setattr(SessionStore, "append", busy)
    _, saved = session.answer("product", "uccx")
    assert (saved.ok, saved.pending) == (False, 1) and "busy" in saved.message
    _, saved = session.answer("uccx.telnet-143", "no")
    assert saved.pending == 2
    monkeypatch.setattr(SessionStore, "append", real)
    assert session.save().ok and session.pending == 0
    assert [e.payload["question"] for e in handle.get().events("s1")] == \
        ["product", "uccx.telnet-143"]


def test_a_store_that_cannot_open_keeps_everything_in_memory(fixture_knowledge, tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("")
    session, saved = TicketSession.start(fixture_knowledge, StoreHandle(blocked / "s.sqlite3"))
    assert not saved.ok and "cannot create the folder" in saved.message
    _, saved = session.answer("product", "imp")
    assert saved.pending == 2 and session.interview.answers == {"product": "imp"}


def test_titles():
    assert title_of("\n  Jabber shows nobody in meetings \nmore") == "Jabber shows nobody in meetings"
    assert title_of("x" * 100) == "x" * 69 + "…"


def test_the_session_layer_does_not_import_textual():
    code = "import sys, engine.sessions.ticket; print('textual' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, check=True)
    assert result.stdout.strip() == "False"
