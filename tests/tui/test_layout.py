"""Screens at 80x24 and 200x50 (issue 16): panes stack below 100 columns, ids are never broken,
the keys panel fits a key and its description on one line, and a symptom typed into search
becomes an interview's ticket."""

from tui_support import screen_text, wait_for

from tui.screens.interview import InterviewScreen
from tui.screens.search import SearchScreen
from tui.widgets.differential import DifferentialPanel

NARROW, WIDE = (80, 24), (200, 50)


def result_ids(screen):
    results = screen.query_one("#results")
    return [results.get_option_at_index(i).id for i in range(results.option_count)]


async def test_search_stacks_below_100_columns_and_sits_side_by_side_above(make_app):
    for size, stacked in ((NARROW, True), (WIDE, False)):
        app = make_app()
        async with app.run_test(size=size) as pilot:
            await pilot.press("s", *"certificate")
            screen = app.screen
            await wait_for(pilot, lambda: screen.results_for == "certificate")
            assert screen.has_class("-narrow") == stacked
            results, preview = screen.query_one("#results"), screen.query_one("#preview")
            if stacked:
                assert preview.region.y >= results.region.bottom
                assert results.region.width == preview.region.width == size[0]
            else:
                assert preview.region.x >= results.region.right
                assert results.region.height == preview.region.height


async def test_search_results_show_whole_ids_and_what_they_lack_at_80_columns(make_app):
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await pilot.press("s", *"users get no calendar status in jabber")
        screen = app.screen
        await wait_for(pilot, lambda: screen.results_for
                       == "users get no calendar status in jabber")
        text = screen_text(app)
        lines = text.splitlines()
        shown = [line for line in lines if "│" in line]
        for entry_id in result_ids(screen)[:2]:             # those in view: whole, on one line
            assert any(f"│ {entry_id}  " in line for line in shown), entry_id
        assert "  partial" in text or "  strong" in text or "  weak" in text   # a relevance
        assert "reads like a symptom: ctrl+n starts an interview with it" in text


async def test_ctrl_n_in_search_starts_an_interview_with_the_query_as_ticket(make_app):
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await pilot.press("s", *"jabber shows no meetings")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: isinstance(app.screen, InterviewScreen))
        assert app.session.interview.text == "jabber shows no meetings"
        assert app.screen.query_one("#ticket").text == "jabber shows no meetings"
        assert app.focused.id == "choices"                  # the ticket is there: on to questions


async def test_the_differential_shows_whole_ids_under_the_question_at_80_columns(make_app):
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await pilot.press("n", "escape", "3")               # IM and Presence: four candidates
        screen = app.screen
        panel = screen.query_one(DifferentialPanel)
        assert panel.region.y > screen.query_one("#choices").region.bottom
        text = screen_text(app)
        for candidate in panel.differential.listed()[:4]:
            assert f"% {candidate.id} " in text, candidate.id


async def test_why_takes_the_side_panels_place_on_a_narrow_screen_only(make_app):
    for size, side_shown in ((NARROW, False), (WIDE, True)):
        app = make_app()
        async with app.run_test(size=size) as pilot:
            await pilot.press("n", "escape", "4", "w")
            assert app.screen.query_one("#why").display
            assert app.screen.query_one("#side").display == side_shown
            await pilot.press("w")
            assert app.screen.query_one("#side").display


async def test_the_keys_panel_has_one_line_per_key_at_80_columns(make_app):
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await pilot.press("n", "escape", "f1")
        text = screen_text(app)
        assert "shift+tab Focus Previous" in text and "Copy selected text" in text
        assert "Choice 2" not in text                         # 1-9 says it once
        assert app.screen.query_one("HelpPanel").region.width >= 48
