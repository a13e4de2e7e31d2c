"""A command copied from any output pastes as the exact command: `triage show`, `triage
diagnose`, the transcript and the app's result screen never wrap or cut one, however long
(here a 428-character Set-ThrottlingPolicy line, in an 80-column terminal)."""

import asyncio

import pytest
from support import KB, run_triage

from engine.inference.compiled import CompiledKB
from engine.inference.interview import Interview
from engine.kb.loader import load_clean
from engine.sessions.transcript import fix_markdown, transcript

ENTRY = "uccx-client-throttling-policy"


@pytest.fixture(scope="module")
def long_command():
    kb = load_clean(KB)
    lines = [line for step in kb.entry(ENTRY).fix for c in step.commands
             for line in c.code.split("\n")]
    longest = max(lines, key=len)
    assert len(longest) >= 200
    return longest


def test_show_prints_the_command_on_one_line(long_command):
    result = run_triage("show", ENTRY, env={"COLUMNS": "80"})
    assert result.returncode == 0, result.stderr
    assert long_command in result.stdout.splitlines()


def test_diagnose_prints_the_command_on_one_line(long_command):
    result = run_triage("diagnose", "--text", "Finesse agent email is slow at peak times",
                        "--answer", "product=uccx", "--answer", "uccx.symptom=slow-under-load",
                        "--answer", "uccx.custom-throttling-policy=no",
                        "--answer", "exchange.version=2010", env={"COLUMNS": "80"})
    assert result.returncode == 0, result.stderr
    assert ENTRY in result.stdout
    assert long_command in result.stdout.splitlines()


def test_the_saved_fix_and_the_transcript_hold_the_command_on_one_line(long_command):
    with CompiledKB(load_clean(KB)) as compiled, Interview(compiled) as session:
        session.answer("product", "uccx")
        session.answer("uccx.symptom", "slow-under-load")
        session.answer("uccx.custom-throttling-policy", "no")     # the entry leads the transcript
        assert long_command in [line.strip() for line in fix_markdown(session, ENTRY).split("\n")]
        assert long_command in [line.strip() for line in transcript(session).split("\n")]


def test_the_result_screen_copies_and_shows_the_command_whole(long_command, tmp_path):
    from tui.app import create_app
    from tui.screens.result import ResultScreen
    from tui.widgets.document import CommandView

    async def run():
        app = create_app(KB, store_path=tmp_path / "sessions.sqlite3", cache_dir=tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            app.start_interview()
            await pilot.pause()
            session = app.screen.session
            session.answer("product", "uccx")
            session.answer("uccx.symptom", "slow-under-load")
            app.push_screen(ResultScreen(session, ENTRY))
            await pilot.pause(0.3)
            screen = app.screen
            codes = [code for code, _ in screen.commands]
            index = next(i for i, code in enumerate(codes) if long_command in code.split("\n"))
            options = screen.query_one("#commands")
            options.highlighted = index
            await pilot.press("c")
            if screen.commands[index][1]:            # a risky command: a second key copies
                assert app.clipboard != codes[index]
                await pilot.press("c")
            assert app.clipboard == codes[index]
            shown = [view.command.code for view in screen.query(CommandView)]
            assert codes[index] in shown
            view = next(v for v in screen.query(CommandView) if v.command.code == codes[index])
            assert view.virtual_size.width >= len(long_command)      # one line, scrolls sideways

    asyncio.run(run())
