"""Sessions: everything entered is in the store before the app shows it, a new app resumes it,
the transcript is exported without a secret in it, and a locked or full store is a notice
that loses nothing."""

import sqlite3

from tui_support import GATEWAY_PASTE, SECRET, SIZE, notices, screen_text, wait_for

from engine.sessions.store import SessionStore, StoreError
from tui.screens.dialogs import ConfirmDialog, SaveDialog
from tui.screens.interview import InterviewScreen
from tui.screens.sessions import SessionsScreen


async def add_paste(pilot, text):
    await pilot.press("e")
    pilot.app.screen.query_one("#paste").text = text
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: pilot.app.session.evidence)
    await pilot.press("escape")


async def test_a_new_app_resumes_the_session_and_exports_a_redacted_transcript(
        make_app, store_path, tmp_path):
    first = make_app()
    async with first.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        ticket = first.screen.query_one("#ticket")
        ticket.text = f"Jabber calendar status gone, svc password={SECRET}"
        await pilot.press("escape")                             # applies the ticket text
        await pilot.press("1")                                  # product: tmsxe (wrong)
        await pilot.press("a", "enter", "3")                    # changed to imp
        await add_paste(pilot, GATEWAY_PASTE.replace("Mismatch", f"Mismatch Password={SECRET}"))
        await pilot.pause()
        state = first.session.interview
        answers, facts = dict(state.answers), [(f.name, f.value, f.source.describe())
                                               for f in state.facts()]
        evidence = list(first.session.evidence)
        # the app is "killed" here: no clean shutdown is needed for the data to be there
    with SessionStore(store_path) as store:
        raw = " ".join(e.payload.__repr__() for e in store.events("session-1"))
        assert SECRET not in raw and "********" in raw

    second = make_app()
    async with second.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        assert isinstance(second.screen, SessionsScreen)
        assert "Jabber calendar status gone, svc password=********" in screen_text(second)
        await pilot.press("enter")
        assert isinstance(second.screen, InterviewScreen)
        resumed = second.session.interview
        assert resumed.answers == answers == {"product": "imp"}
        assert [(f.name, f.value, f.source.describe()) for f in resumed.facts()] == facts
        assert second.session.evidence == evidence
        assert any("Resumed: 1 answers, 1 evidence items" in n for n in notices(second))

        await pilot.press("x")
        assert isinstance(second.screen, SaveDialog)
        await pilot.press("enter")
    transcript = (tmp_path / "triage-session-1.md").read_text()
    assert SECRET not in transcript
    for part in ("## Ticket text", "password=********",
                 "## Questions and answers", "(`product`)", "Calendar status in Jabber",
                 "## Evidence", "pasted text:3", "Password=********",
                 "## Differential", "`imp-cert-san-mismatch`",
                 "## Diagnosis", "#### Fix", "Get-ExchangeCertificate", "#### Verify",
                 "How it was concluded"):
        assert part in transcript, part


async def test_a_locked_store_is_a_notice_and_the_answers_are_written_later(make_app, store_path):
    app = make_app(store_timeout=0.2)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "escape")
        blocker = sqlite3.connect(store_path, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")                      # another triage holds the lock
        try:
            await pilot.press("4", "2")
            await pilot.pause()
            assert app.session.interview.answers == {"product": "uccx", "uccx.telnet-143": "no"}
            assert any("Not saved yet" in n and "busy" in n for n in notices(app))
            assert app.session.pending >= 2
            await pilot.press("escape")                         # leave the result screen
            assert "not saved yet" in screen_text(app)
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        app.retry_pending()                                     # the app's timer does this
        await pilot.pause()
        assert app.session.pending == 0
        assert "✓ Saved" in screen_text(app)
    with SessionStore(store_path) as store:
        answers = [e.payload for e in store.events("session-1") if e.kind == "answer"]
    assert answers == [{"question": "product", "value": "uccx"},
                       {"question": "uccx.telnet-143", "value": "no"}]


async def test_a_full_disk_is_a_notice_and_nothing_is_lost(make_app, store_path, monkeypatch):
    app = make_app()
    real_append = SessionStore.append

    def full(*args, **kwargs):
        raise StoreError(f"the disk holding the session store is full: {store_path}", "full")

    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "escape")
        monkeypatch.setattr(SessionStore, "append", full)
        await pilot.press("3")
        assert any("disk holding the session store is full" in n for n in notices(app))
        assert app.session.interview.answers == {"product": "imp"}
        monkeypatch.setattr(SessionStore, "append", real_append)
        await pilot.press("5")                                  # the next write flushes both
        await pilot.pause()
        assert app.session.pending == 0
    with SessionStore(store_path) as store:
        assert [e.payload["value"] for e in store.events("session-1") if e.kind == "answer"] \
            == ["imp", "san-mismatch"]


async def test_a_store_that_cannot_be_opened_still_lets_the_interview_run(make_app, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the store's folder should be")
    app = make_app(store_path=blocked / "sessions.sqlite3")
    async with app.run_test(size=SIZE) as pilot:
        assert "session store cannot be used" in screen_text(app)
        await pilot.press("n", "escape", "3", "5")
        await pilot.pause()
        assert app.session.interview.answers == {"product": "imp",
                                                 "imp.gateway-status": "san-mismatch"}
        assert app.session.pending > 0
        assert any("Not saved yet" in n for n in notices(app))
        await pilot.press("escape", "escape", "r")              # the list says why it is empty
        assert "cannot be read" in screen_text(app)
        await pilot.press("ctrl+q")                             # unsaved changes: ask first
        assert isinstance(app.screen, ConfirmDialog)
        assert "not saved" in screen_text(app)
        await pilot.press("n")
        assert app.is_running and isinstance(app.screen, SessionsScreen)
        await pilot.press("ctrl+q", "y")
        assert not app.is_running


async def test_delete_a_session_whose_title_looks_like_markup(make_app, store_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        app.screen.query_one("#ticket").text = "[/b] Jabber [red]calendar[/"
        await pilot.press("escape", "3", "escape", "r")
        assert "session-1" in screen_text(app)
        assert "[/b] Jabber [red]calendar[/" in screen_text(app)
        await pilot.press("d")
        assert "Delete the session “[/b] Jabber [red]calendar[/”" in screen_text(app)
        await pilot.press("y")
        assert "No saved sessions yet" in screen_text(app)
    with SessionStore(store_path) as store:
        assert store.sessions() == []
