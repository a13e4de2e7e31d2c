"""Evidence in the app: a paste or a file answers questions (they are not asked), facts show
their file:line, a large file scans in a worker with a progress bar and can be cancelled, and
bad input is a notice, never a crash."""

import os
import threading
import time

from textual import events
from textual.widgets import ProgressBar
from tui_support import GATEWAY_PASTE, SECRET, SIZE, notices, screen_text, wait_for

from engine.sessions.store import SessionStore
from tui.screens.evidence import EvidenceScreen
from tui.screens.interview import InterviewScreen


async def open_file(pilot, path):
    """Type a path in the evidence screen's file box (set at once: typing is slow) and scan."""
    await pilot.press("ctrl+o")
    pilot.app.screen.query_one("#path").value = str(path)
    await pilot.press("enter")


async def test_pasted_evidence_answers_questions_so_they_are_skipped(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "escape")                    # from the ticket box to the question
        interview = app.screen
        assert interview.current.id == "product"
        # what the caller pasted into the chat: it only tells which product this is
        interview.post_message(events.Paste("Exchange Reachability (pingable)\n"))
        await wait_for(pilot, lambda: app.session.evidence)
        assert isinstance(app.screen, EvidenceScreen)
        assert "pasted text:1  product = imp" in screen_text(app)
        await pilot.press("escape")

        assert app.screen is interview
        assert interview.current.id == "imp.gateway-status"      # "which product" is skipped
        assert "product" not in app.session.interview.answers
        text = screen_text(app)
        assert "product = imp" in text and "← pasted text:1: Exc" in text   # the line cut to fit


async def test_evidence_file_facts_show_file_and_line_and_secrets_are_masked(make_app, tmp_path,
                                                                            store_path):
    log = tmp_path / "gateway-status.txt"
    text = GATEWAY_PASTE.replace("Mismatch", f"Mismatch svc Password={SECRET}")
    log.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))   # as PowerShell 5.1 writes it
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "escape", "e")
        await open_file(pilot, log)
        await wait_for(pilot, lambda: app.session.evidence)
        record = app.session.evidence[0]
        assert (record.name, record.kind, record.encoding) == ("gateway-status.txt", "file",
                                                              "utf-16")
        assert (3, "SSL Connection/Certificate Verification Failed - SAN Mismatch "
                   "svc Password=********") in record.excerpt
        assert record.masked == 1 and any("1 secret masked" in n for n in notices(app))
        assert "gateway-status.txt:3  imp.gateway-status = san-mismatch" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.entry_id == "imp-cert-san-mismatch"    # confident: the fix opens
    facts = {(f.name, f.value): f.source for f in app.session.interview.facts()}
    assert facts[("imp.gateway-status", "san-mismatch")].describe().startswith(
        "gateway-status.txt:3 ")
    assert SECRET not in repr(app.session.evidence)
    with SessionStore(store_path) as store:
        assert SECRET not in repr([e.payload for e in store.events("session-1")])


async def test_a_large_file_scans_in_a_worker_with_progress(make_app, tmp_path):
    log = tmp_path / "big.log"
    line = "2024-05-02T09:12:44.061Z,0000000000001A2F,2,10.10.5.21:1993,INBOX,R=OK,\n"
    with log.open("w") as out:
        out.write(line * (6_000_000 // len(line)))
        out.write("Exchange Reachability (unreachable)\n")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "escape", "e")
        await open_file(pilot, log)
        await wait_for(pilot, lambda: app.session.evidence)
        bar = app.screen.query_one(ProgressBar)
        assert bar.total == log.stat().st_size and bar.progress == bar.total
        record = app.session.evidence[0]
        assert record.facts[0][2] == record.lines                 # the last line matched


async def test_a_scan_can_be_cancelled_and_adds_nothing(make_app, tmp_path, monkeypatch):
    log = tmp_path / "slow.log"
    log.write_text("Exchange Reachability (unreachable)\n")
    app = make_app()
    started = threading.Event()

    def slow_scan(path, progress=None, cancelled=None):
        """A scan that takes as long as it is let: reports progress until cancelled."""
        for done in range(1, 10_000):
            progress(done, 10_000)
            started.set()
            if cancelled():
                from engine.evidence.scanner import EvidenceReport
                return EvidenceReport(source=os.path.basename(path), notes=["scan cancelled"])
            time.sleep(0.01)
        raise AssertionError("never cancelled")

    monkeypatch.setattr(app.knowledge.scanner, "scan_file", slow_scan)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "escape", "e")
        await open_file(pilot, log)
        await wait_for(pilot, started.is_set)
        await wait_for(pilot, lambda: (app.screen.query_one(ProgressBar).progress or 0) > 0)
        assert "Esc cancels" in screen_text(app)
        await pilot.press("escape")                               # cancels, stays
        await wait_for(pilot, lambda: any("cancelled" in n for n in notices(app)))
        assert isinstance(app.screen, EvidenceScreen)
        assert app.session.evidence == []
        await pilot.press("escape")
        assert isinstance(app.screen, InterviewScreen)


async def test_bad_evidence_is_a_notice_and_the_app_goes_on(make_app, tmp_path):
    binary = tmp_path / "dump.bin"
    binary.write_bytes(bytes(range(256)) * 64)
    empty = tmp_path / "empty.log"
    empty.write_bytes(b"")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "escape", "e", "ctrl+s")                     # empty paste
        path_input = app.screen.query_one("#path")
        for path in (tmp_path / "missing.log", tmp_path, binary, empty):
            path_input.value = str(path)
            path_input.focus()
            await pilot.press("enter")
            await wait_for(pilot, lambda: not app.screen.scanning)
            await pilot.pause()
        messages = notices(app)
        assert any("paste box is empty" in m for m in messages)
        assert any("evidence file not found" in m for m in messages)
        assert any("is a directory" in m for m in messages)
        assert any("dump.bin: binary file" in m for m in messages)
        assert any("empty.log: empty file" in m for m in messages)
        assert app.session.evidence == []
        assert isinstance(app.screen, EvidenceScreen)
        await pilot.press("escape", "3")                          # the interview goes on
        assert app.session.interview.answers == {"product": "imp"}


async def test_a_fifo_or_device_is_a_notice_and_the_worker_is_not_blocked(make_app, tmp_path):
    fifo = tmp_path / "pipe.log"
    os.mkfifo(fifo)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "escape", "e")
        path_input = app.screen.query_one("#path")
        for path in (fifo, "/dev/zero"):
            path_input.value = str(path)
            path_input.focus()
            await pilot.press("enter")
            await wait_for(pilot, lambda: not app.screen.scanning)
            await pilot.pause()
        messages = notices(app)
        assert any("not a regular file (a FIFO)" in m for m in messages)
        assert any("not a regular file (a character device)" in m for m in messages)
        assert app.session.evidence == []
