"""The interview driven with the keyboard only: ticket text, one question at a time, WHY, back,
changing an earlier answer, and on to a fix that is copied and saved."""

from tui_support import SIZE, notices, screen_text

from engine.sessions.store import SessionStore
from tui.screens.dialogs import AnswersDialog, SaveDialog
from tui.screens.interview import InterviewScreen
from tui.screens.result import ResultScreen
from tui.widgets.differential import DifferentialPanel


def kinds(store_path, session_id="session-1"):
    with SessionStore(store_path) as store:
        return [(e.kind, e.payload) for e in store.events(session_id)]


async def test_keyboard_only_from_ticket_to_a_copied_and_saved_fix(make_app, store_path, tmp_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        assert screen.current.id == "product"                  # the first question
        assert app.focused.id == "ticket"                       # a new interview: type first

        await pilot.press(*"no meetings in Jabber", "escape")
        assert app.session.interview.text == "no meetings in Jabber"
        assert app.focused.id == "choices"                      # back on the question

        await pilot.press("3")                                  # Calendar status in Jabber
        assert screen.current.id == "imp.gateway-status"
        await pilot.press("5")                                  # SAN Mismatch
        await pilot.pause()

        result = app.screen
        assert isinstance(result, ResultScreen)                 # confident: the fix opens
        assert result.entry_id == "imp-cert-san-mismatch"
        first_command = result.commands[0][0]
        assert first_command.startswith("Get-ExchangeCertificate")

        await pilot.press("c")
        assert app.clipboard == first_command
        assert any("copied" in n.lower() or "clipboard" in n.lower() for n in notices(app))

        await pilot.press("s")
        assert isinstance(app.screen, SaveDialog)
        await pilot.press("enter")
        saved = tmp_path / "triage-fix-imp-cert-san-mismatch.md"
        assert "Get-ExchangeCertificate" in saved.read_text()
        assert isinstance(app.screen, ResultScreen)

    events = kinds(store_path)
    assert [k for k, _ in events] == ["text", "answer", "answer", "result"]
    assert events[1][1] == {"question": "product", "value": "imp"}
    assert events[2][1] == {"question": "imp.gateway-status", "value": "san-mismatch"}
    assert events[3][1]["entry"] == "imp-cert-san-mismatch"


async def test_changing_an_earlier_answer_changes_the_differential(make_app, store_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "escape", "4")                             # UCCX agent email
        screen = app.screen
        assert screen.current.id == "uccx.telnet-143"
        await pilot.press("2")                                  # telnet fails
        await pilot.pause()
        assert isinstance(app.screen, ResultScreen)
        assert app.screen.entry_id == "uccx-imap-port-unreachable"
        await pilot.press("escape")
        panel = screen.query_one(DifferentialPanel)
        assert panel.differential.verdict == "confident"
        assert panel.differential.top.id == "uccx-imap-port-unreachable"
        assert "Differential · confident" in screen_text(app)

        await pilot.press("a")
        assert isinstance(app.screen, AnswersDialog)
        await pilot.press("down", "enter")                      # the telnet question
        assert screen.current.id == "uccx.telnet-143"
        assert "changing the answer (now: No)" in screen_text(app)
        await pilot.press("1")                                  # it does connect after all
        await pilot.pause()

        assert app.session.interview.answers == {"product": "uccx", "uccx.telnet-143": "yes"}
        shown = panel.differential                              # what the panel shows now
        assert shown.top.id != "uccx-imap-port-unreachable"
        assert "Differential · ambiguous" in screen_text(app)
        assert isinstance(app.screen, InterviewScreen)

    values = [p["value"] for k, p in kinds(store_path) if k == "answer"]
    assert values == ["uccx", "no", "yes"]


async def test_why_then_back_takes_the_last_answer_back_and_asks_it_again(make_app, store_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "escape", "4", "w")
        text = screen_text(app)
        assert "Why we ask" in text and "No: points to uccx-imap-port-unreachable" in text
        await pilot.press("w")
        assert "Why we ask" not in screen_text(app)

        screen = app.screen
        assert screen.current.id == "uccx.telnet-143"
        await pilot.press("b")
        assert app.session.interview.answers == {}
        assert screen.current.id == "product"
        assert "asked again" in screen_text(app)
        await pilot.press("0")                                  # unknown is an answer too
        assert app.session.interview.answers == {"product": "unknown"}
    assert [k for k, _ in kinds(store_path)] == ["answer", "retract", "answer"]


async def test_did_not_fix_it_rules_the_candidate_out_then_fixed_resolves(make_app, store_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "escape", "3", "5")
        await pilot.pause()
        assert app.screen.entry_id == "imp-cert-san-mismatch"
        await pilot.press("n")                                  # didn't fix it
        await pilot.pause()
        differential = app.session.interview.differential()
        assert "imp-cert-san-mismatch" in differential.excluded
        assert differential.top.id != "imp-cert-san-mismatch"
        assert isinstance(app.screen, InterviewScreen)
        await pilot.press("f")                                  # the next candidate's fix
        assert app.screen.entry_id == differential.top.id
        await pilot.press("d")                                  # that one did it
        await pilot.press("f1")                                 # every key, described
        assert app.screen.query("HelpPanel")
        await pilot.press("ctrl+t")
        assert app.theme == "textual-light"
    assert ("ruled-out", {"entry": "imp-cert-san-mismatch"}) in kinds(store_path)
    with SessionStore(store_path) as store:
        assert store.get("session-1").status == "resolved"


async def test_every_binding_has_a_description(make_app):
    from tui.app import TriageApp
    from tui.screens import dialogs, entry, evidence, home, interview, result, search, sessions

    classes = [TriageApp, home.HomeScreen, interview.InterviewScreen, evidence.EvidenceScreen,
               result.ResultScreen, search.SearchScreen, entry.EntryScreen,
               sessions.SessionsScreen, dialogs.SaveDialog, dialogs.ConfirmDialog,
               dialogs.AnswersDialog]
    for cls in classes:
        for binding in cls.BINDINGS:
            assert binding.description, f"{cls.__name__}: {binding.key} has no description"


async def test_a_number_question_takes_a_typed_answer(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "escape", "3")
        screen = app.screen
        screen.changing = "imp.ews-server-count"     # the fixture KB never plans it: ask it
        screen.refresh_view()
        value = screen.query_one("#value")
        assert value.display and "How many Exchange (EWS) servers" in screen_text(app)
        value.focus()
        await pilot.press(*"lots", "enter")
        assert any("takes a number" in n for n in notices(app))
        value.value = ""
        await pilot.press("1", "2", "enter")
        assert app.session.interview.answers["imp.ews-server-count"] == "12"
        assert app.focused.id == "choices"
