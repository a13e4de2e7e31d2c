"""Search as you type with a preview, entries with their related entries, browsing, and the
command palette searching the KB from anywhere."""


from tui_support import SIZE, screen_text, wait_for

from tui.commands import KBCommands
from tui.screens.entry import EntryScreen
from tui.screens.interview import InterviewScreen
from tui.screens.search import SearchScreen


def result_ids(screen):
    results = screen.query_one("#results")
    return [results.get_option_at_index(i).id for i in range(results.option_count)]


async def test_search_as_you_type_then_open_an_entry_and_a_related_one(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await pilot.press(*"uid")
        await wait_for(pilot, lambda: result_ids(screen)[:1] == ["imap-uid-corruption"])
        await pilot.press("backspace", "backspace", "backspace", *"SAN")
        await wait_for(pilot, lambda: result_ids(screen)[:1] == ["imp-cert-san-mismatch"])
        assert screen.shown == "imp-cert-san-mismatch"           # the preview
        assert "imp-cert-san-mismatch · diagnosis · imp" in screen_text(app)
        await pilot.press("down", "down")                        # into the list, 2nd result
        second = result_ids(screen)[1]
        await pilot.press("enter")
        assert isinstance(app.screen, EntryScreen) and app.screen.entry_id == second

        entry = app.kb.entry(second)
        await pilot.press("r", "enter")                          # the first related entry
        assert isinstance(app.screen, EntryScreen)
        assert app.screen.entry_id == entry.related[0]
        await pilot.press("escape", "escape")
        assert app.screen is screen


async def test_browse_lists_every_entry_by_area(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b")
        ids = result_ids(app.screen)
        assert sorted(ids) == sorted(e.id for e in app.kb.entries)
        areas = [app.kb.entry(i).area for i in ids]
        assert areas == sorted(areas)


async def test_a_search_that_finds_nothing_says_so(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s", *"zzqx")
        await wait_for(pilot, lambda: "0 results" in screen_text(app))
        await pilot.press("enter")                               # nothing to open: a notice
        assert isinstance(app.screen, SearchScreen)


async def test_the_command_palette_jumps_to_entries_and_actions(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p", *"uid")
        await wait_for(pilot, lambda: "imap-uid-corruption" in screen_text(app))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EntryScreen))
        assert app.screen.entry_id == "imap-uid-corruption"

        # the same provider without typing into the palette: actions by name
        provider = KBCommands(app.screen)
        hits = [hit async for hit in provider.search("new in")]
        assert hits[0].text == "New interview"
        await hits[0].command()
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen) and app.session is not None
        hits = [hit async for hit in provider.search("SAN mismatch")]
        assert "imp-cert-san-mismatch" in [str(h.help).split(" ")[0] for h in hits]
