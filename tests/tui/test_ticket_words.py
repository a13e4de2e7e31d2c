"""The caller's words in the app: what the ticket says answers a question (not asked, shown in
the facts panel with the words), a correction is one key away, a weak reading only preselects
the answer, and when nothing is left to ask the reading that rules out the leader is named.
On the fixture KB with phrases added, as a maintainer adds them."""

from __future__ import annotations

import re
import shutil

import pytest
from tui_support import SIZE, screen_text

from engine.inference.compiled import CompiledKB
from engine.kb.loader import load_clean
from tui.screens.dialogs import AnswersDialog
from tui.screens.interview import InterviewScreen
from tui.screens.result import ResultScreen

from conftest import FIXTURE_KB

PHRASES = {
    "general.md": ("## product", "- ask when: always", [
        "- phrases:",
        "  - uccx: UCCX agent email; contact centre agents email"]),
    "uccx.md": ("## uccx.telnet-143", "- ask when: product is uccx", [
        "- phrases:",
        "  - yes: telnet 143 works; port 143 answers",
        "  - no: telnet 143 fails; port 143 blocked"]),
    "client.md": ("## pop3.stalls-then-recovers", "  - client.protocol is pop3", [
        "- phrases:",
        "  - no: POP3 never works at all"]),
}


@pytest.fixture(scope="module")
def worded_kb(tmp_path_factory):
    root = tmp_path_factory.mktemp("worded") / "kb"
    shutil.copytree(FIXTURE_KB, root)
    for name, (heading, anchor, lines) in PHRASES.items():
        path = root / "questions" / name
        text = path.read_text(encoding="utf-8")
        start = text.index(heading)
        at = text.index(anchor, start) + len(anchor)
        path.write_text(text[:at] + "\n" + "\n".join(lines) + text[at:], encoding="utf-8")
    with CompiledKB(load_clean(root)) as knowledge:
        yield root, knowledge


@pytest.fixture
def make_worded_app(worded_kb, store_path, search_cache):
    from tui.app import create_app

    root, knowledge = worded_kb
    return lambda: create_app(root, store_path=store_path, cache_dir=search_cache,
                              session_ids=lambda: "session-1", knowledge=knowledge)


async def type_ticket(pilot, text):
    await pilot.press("n")
    await pilot.press(*text, "escape")
    await pilot.pause()


async def test_what_the_ticket_says_is_not_asked_and_one_key_corrects_it(make_worded_app):
    app = make_worded_app()
    async with app.run_test(size=SIZE) as pilot:
        await type_ticket(pilot, "UCCX agent email is stuck. telnet 143 works from the agent PCs")
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        interview = app.session.interview
        told = {f.name: f for f in interview.facts()}
        assert told["product"].value == "uccx" and told["product"].source.kind == "ticket"
        assert told["uccx.telnet-143"].value == "yes"
        assert told["uccx.telnet-143"].source.words == "telnet 143 works"
        assert screen.current.id not in ("product", "uccx.telnet-143")   # not asked
        assert "telnet 143 works" in screen_text(app)                    # the facts panel

        await pilot.press("a")                                  # correct what the ticket said
        dialog = app.screen
        assert isinstance(dialog, AnswersDialog)
        shown = " ".join(screen_text(app).split())
        assert "does telnet <exchange> 143 connect?" in shown and "telnet 143 works" in shown
        index = next(i for i, row in enumerate(dialog.answers) if row[0] == "uccx.telnet-143")
        await pilot.press(*["down"] * index, "enter")
        assert screen.current.id == "uccx.telnet-143"
        await pilot.press("2")                                  # it does not connect after all
        await pilot.pause()
        assert interview.answers["uccx.telnet-143"] == "no"
        assert isinstance(app.screen, ResultScreen)
        assert app.screen.entry_id == "uccx-imap-port-unreachable"


async def test_a_weak_reading_preselects_the_answer_and_still_asks(make_worded_app):
    app = make_worded_app()
    async with app.run_test(size=SIZE) as pilot:
        await type_ticket(pilot, "UCCX agent email is stuck. Could it be that port 143 is blocked?")
        screen = app.screen
        interview = app.session.interview
        assert "uccx.telnet-143" not in {f.name for f in interview.facts()}
        for _ in range(10):
            if screen.current is None or screen.current.id == "uccx.telnet-143":
                break
            await answer(pilot, screen, "unknown")
        assert screen.current is not None and screen.current.id == "uccx.telnet-143"
        assert "the ticket suggests No" in screen_text(app)
        choices = screen.query_one("#choices")
        assert choices.get_option_at_index(choices.highlighted).id == "answer:no"


async def answer(pilot, screen, value):
    """Pick an answer by its value, with the digit key the app shows next to it."""
    choices = screen.query_one("#choices")
    ids = [choices.get_option_at_index(i).id for i in range(choices.option_count)]
    key = "0" if value == "unknown" else str(ids.index(f"answer:{value}") + 1)
    await pilot.press(key)
    await pilot.pause()


async def test_nothing_left_to_ask_names_the_words_that_rule_out_the_leader(make_worded_app):
    app = make_worded_app()
    async with app.run_test(size=SIZE) as pilot:
        await type_ticket(pilot, "POP3 doesn't work for the front desk mailbox since this morning")
        screen = app.screen
        assert screen.current.id == "product"
        await answer(pilot, screen, "client")
        assert screen.current.id == "client.protocol"
        await answer(pilot, screen, "pop3")
        for _ in range(10):
            if screen.current is None:
                break
            assert screen.current.id != "pop3.stalls-then-recovers"      # the ticket said it
            await answer(pilot, screen, "unknown")
        assert screen.current is None, screen.current.id
        shown = " ".join(screen_text(app).split())
        assert "The ticket's words answered pop3.stalls-then-recovers = no" in shown
        # the reading turned the leader away as the caller's answer would, so it may be the
        # nearest entry of a no-match by now: named either way
        assert re.search(r"\('POP3 doesn't work'\), which rules out (the nearest, )?"
                         r"pop3-user-connection-limit", shown)
        assert "press a to correct it" in shown


async def test_no_match_names_the_words_that_ruled_out_the_nearest_entry(tmp_path):
    """On the real KB: the caller's words ruled the POP3 limit entry out and nothing else
    fits; the app says no match and names the reading, so a misreading can be corrected."""
    from support import KB

    from tui.app import create_app

    app = create_app(KB, store_path=tmp_path / "s.sqlite3", cache_dir=tmp_path,
                     session_ids=lambda: "session-1")
    async with app.run_test(size=SIZE) as pilot:
        await type_ticket(pilot, "Our shop's POP3 doesn't work for the front desk mailbox "
                                 "since this morning.")
        screen = app.screen
        for value in ("client", "pop3"):
            await answer(pilot, screen, value)
        for _ in range(10):
            if screen.current is None:
                break
            await answer(pilot, screen, "unknown")
        assert screen.current is None, screen.current.id
        assert app.session.interview.differential().verdict == "no-match"
        shown = " ".join(screen_text(app).split())
        assert "No confident match in the knowledge base" in shown
        assert ("The ticket's words answered pop3.stalls-then-recovers = no ('POP3 doesn't "
                "work'), which rules out the nearest, pop3-user-connection-limit") in shown
        assert "press a to correct it" in shown
