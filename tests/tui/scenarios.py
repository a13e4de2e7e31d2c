"""Every screen of the app in a known state: what the snapshot tests photograph
(tests/tui/test_snapshots.py), what `python tests/tui/look.py` prints as text, and what
docs/images are made from. Each scenario is an `async def (pilot)` that brings the app from
its home screen to the screen to look at; `APP_OPTIONS` has the options its app is made with.

Everything shown is deterministic: the fixture KB, session ids from the app factory, fixed
times in the session list, notices cleared before the picture."""

from __future__ import annotations

import time

from tui_support import GATEWAY_PASTE

from engine.sessions.store import SessionStore

SMALL = (80, 24)
LARGE = (200, 50)
SIZES = {"80x24": SMALL, "200x50": LARGE}


async def settle(pilot, condition=None, timeout=10.0):
    deadline = time.monotonic() + timeout
    while condition is not None and not condition():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.05)
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    pilot.app.clear_notifications()
    await stable(pilot)


async def stable(pilot, rounds: int = 20) -> None:
    """Until two pictures of the screen in a row are the same: on a busy machine a list can be
    drawn once before a scrollbar appears beside it and again, wrapped narrower, after."""
    before = None
    for _ in range(rounds):
        await pilot.pause()
        now = pilot.app.export_screenshot()
        if now == before:
            return
        before = now


async def home(pilot):
    await settle(pilot)


async def interview_first_question(pilot):
    await pilot.press("n")
    await settle(pilot)


async def interview_after_a_ticket(pilot):
    await pilot.press("n")
    pilot.app.screen.query_one("#ticket").text = "Jabber shows no meetings since the upgrade"
    await pilot.press("escape")
    await settle(pilot)


async def interview_with_answers_and_why(pilot):
    await pilot.press("n")
    pilot.app.screen.query_one("#ticket").text = "Agents cannot use email since Monday"
    await pilot.press("escape", "4", "w")
    await settle(pilot)


async def interview_light_theme(pilot):
    await pilot.press("n", "escape", "4")
    await settle(pilot)


async def keys_panel(pilot):
    await pilot.press("n", "escape", "f1")
    await settle(pilot)


async def answers_dialog(pilot):
    await pilot.press("n", "escape", "4", "0", "a")
    await settle(pilot)


async def evidence_after_a_paste(pilot):
    await pilot.press("n", "escape", "e")
    pilot.app.screen.query_one("#paste").text = GATEWAY_PASTE
    await pilot.press("ctrl+s")
    await settle(pilot, lambda: pilot.app.session.evidence)


async def result(pilot):
    await pilot.press("n", "escape", "3", "5")
    await settle(pilot)


async def result_caution(pilot):
    """The result scrolled to a step's caution: the warning above its command."""
    from tui.widgets.document import CautionView

    await result(pilot)
    await pilot.pause(0.2)
    warning = pilot.app.screen.query(CautionView).first()
    pilot.app.screen.query_one("#result-body").scroll_to_widget(warning, animate=False, top=True)
    await pilot.pause(0.2)


async def search_results_and_preview(pilot):
    await pilot.press("s", *"SAN certificate")
    await settle(pilot, lambda: pilot.app.screen.results_for == "SAN certificate")


async def search_a_symptom(pilot):
    await pilot.press("s", *"users get no calendar status in jabber")
    await settle(pilot, lambda: pilot.app.screen.results_for
                 == "users get no calendar status in jabber")


async def entry(pilot):
    pilot.app.open_entry("imp-cert-san-mismatch")
    await settle(pilot)


async def browse(pilot):
    await pilot.press("b")
    await settle(pilot)


def seed_sessions(store_path):
    with SessionStore(store_path) as store:
        for n, (title, status) in enumerate([("Jabber shows no meetings", "resolved"),
                                             ("Agent email tab stuck on Loading", "open"),
                                             ("", "abandoned")], 1):
            sid = f"2024050{n}-0900{n}0-00000{n}"
            store.create(title, ticket_text=title, session_id=sid)
            store.append(sid, "answer", {"question": "product", "value": "imp"})
            store.update(sid, status=status)
        conn = store._connection()
        conn.execute("UPDATE sessions SET created = '2024-05-0' || substr(id, 8, 1) || "
                     "'T09:00:00.000Z', updated = '2024-05-0' || substr(id, 8, 1) || "
                     "'T09:30:00.000Z'")


async def sessions(pilot):
    await pilot.press("r")
    await settle(pilot)


SCENARIOS = {
    "home": home,
    "interview_first_question": interview_first_question,
    "interview_after_a_ticket": interview_after_a_ticket,
    "interview_with_answers_and_why": interview_with_answers_and_why,
    "interview_light_theme": interview_light_theme,
    "keys_panel": keys_panel,
    "answers_dialog": answers_dialog,
    "evidence_after_a_paste": evidence_after_a_paste,
    "result": result,
    "result_caution": result_caution,
    "search_results_and_preview": search_results_and_preview,
    "search_a_symptom": search_a_symptom,
    "entry": entry,
    "browse": browse,
    "sessions": sessions,
}
APP_OPTIONS = {"interview_light_theme": {"theme": "textual-light"}}
NEEDS_SESSIONS = {"sessions"}
