"""How each screen looks, at 80x24 (and the interview also large and in the light theme).

Regenerate after a deliberate change of the look with
`python -m pytest tests/tui/test_snapshots.py --snapshot-update` and review the SVGs
(a report of differences is written when one fails). Everything shown is deterministic: the
fixture KB, session ids from the app factory, fixed times in the session list.
"""

import time

from tui_support import GATEWAY_PASTE

from engine.sessions.store import SessionStore

SMALL = (80, 24)


async def settle(pilot, condition=None, timeout=10.0):
    deadline = time.monotonic() + timeout
    while condition is not None and not condition():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.05)
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def clear_notices(pilot):
    pilot.app.clear_notifications()


def test_home(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SMALL)


def test_interview_first_question(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SMALL, press=["n"])


def test_interview_with_answers_and_why(snap_compare, make_app):
    async def ticket(pilot):
        await pilot.press("n")
        pilot.app.screen.query_one("#ticket").text = "Agents cannot use email since Monday"
        await pilot.press("escape", "4", "w")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=SMALL, run_before=ticket)


def test_interview_large_terminal(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=(140, 40), press=["n", "escape", "3"])


def test_interview_light_theme(snap_compare, make_app):
    assert snap_compare(make_app(theme="textual-light"), terminal_size=SMALL, press=["n", "escape", "4"])


def test_interview_keys_panel(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SMALL, press=["n", "escape", "f1"])


def test_answers_dialog(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SMALL, press=["n", "escape", "4", "0", "a"])


def test_evidence_after_a_paste(snap_compare, make_app):
    async def paste(pilot):
        await pilot.press("n", "escape", "e")
        pilot.app.screen.query_one("#paste").text = GATEWAY_PASTE
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: pilot.app.session.evidence)
        clear_notices(pilot)
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SMALL, run_before=paste)


def test_result(snap_compare, make_app):
    async def fix(pilot):
        await pilot.press("n", "escape", "3", "5")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=SMALL, run_before=fix)


def test_search_results_and_preview(snap_compare, make_app):
    async def search(pilot):
        await pilot.press("s", *"SAN")
        await settle(pilot, lambda: pilot.app.screen.results_for == "SAN")

    assert snap_compare(make_app(), terminal_size=SMALL, run_before=search)


def test_browse(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SMALL, press=["b"])


def test_entry(snap_compare, make_app):
    async def entry(pilot):
        pilot.app.open_entry("imap-uid-corruption")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=SMALL, run_before=entry)


def test_sessions(snap_compare, make_app, store_path):
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
    assert snap_compare(make_app(), terminal_size=SMALL, press=["r"])


def test_result_shows_a_caution_above_its_command(snap_compare, make_app):
    async def caution(pilot):
        await pilot.press("n", "escape", "3", "5")
        await settle(pilot)
        from tui.widgets.document import CautionView
        await pilot.pause(0.2)
        warning = pilot.app.screen.query(CautionView).first()
        pilot.app.screen.query_one("#result-body").scroll_to_widget(warning, animate=False,
                                                                    top=True)
        await pilot.pause(0.2)

    assert snap_compare(make_app(), terminal_size=SMALL, run_before=caution)
