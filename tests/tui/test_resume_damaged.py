"""Resuming a session whose stored events were damaged (another program's write, a disk error,
a hostile file): every bad event is skipped with a notice, the rest is replayed, the app never
crashes (issue 13, item 4)."""

import sqlite3

from tui_support import SIZE, notices

from engine.sessions.store import SessionStore
from tui.screens.interview import InterviewScreen
from tui.screens.sessions import SessionsScreen

DAMAGED = [
    ("text", "{not json"),
    ("answer", "[1, 2]"),
    ("evidence", '{"name": "big.log", "kind": "file", "lines": 1e400, "bytes": 1e400, '
                 '"hits": [], "counts": {}}'),
    ("evidence", '{"name": "odd.log", "kind": "file", "lines": 3, "hits": "abc", '
                 '"counts": [1, 2]}'),
    ("evidence", '{"name": "odd2.log", "hits": [{"signature": 7, "line_no": 1e400, '
                 '"line": null, "captures": 5}]}'),
    ("answer", '{"question": ["product"], "value": {"x": 1}}'),
    ("ruled-out", '{"entry": 1e400}'),
    ("retract", '{}'),
]


def damaged_store(store_path):
    with SessionStore(store_path) as store:
        store.create("Jabber calendar", session_id="s-damaged")
        store.append("s-damaged", "answer", {"question": "product", "value": "imp"})
    with sqlite3.connect(store_path) as conn:
        for seq, (kind, payload) in enumerate(DAMAGED, 2):
            conn.execute("INSERT INTO events (session_id, seq, at, kind, payload) "
                         "VALUES ('s-damaged', ?, '2024-01-01T00:00:00.000Z', ?, ?)",
                         (seq, kind, payload))


async def test_damaged_events_are_skipped_with_a_notice(make_app, store_path):
    damaged_store(store_path)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        assert isinstance(app.screen, SessionsScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)
        assert app.session.interview.answers == {"product": "imp"}
        text = " ".join(notices(app))
        assert "Event 2 (text) is damaged and was skipped" in text
        assert "Event 4 (evidence) is damaged and was skipped: OverflowError" in text
        assert "skipped" in text
