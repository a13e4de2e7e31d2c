"""The interview: the ticket text, one question at a time, the live differential and the facts.

Keys 1-9 answer with a choice, 0 (or u) says "unknown"; w shows WHY the question is asked
(which candidates each answer points to or rules out); b goes back one answer; a lists the answers to change
one. When the verdict becomes confident the result screen opens by itself. Pasting text while
no text box has the focus adds it as evidence.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from engine.inference import UNKNOWN, AnswerError, Differential
from engine.inference.probing import maps_checking
from engine.kb import Question
from engine.kb.controls import escape_controls
from engine.sessions import TicketSession
from tui.widgets.answering import DONE_ACTIONS, NO_MATCH_HINT, Choices, answer_rows, fill_choices
from tui.widgets.differential import DifferentialPanel
from tui.widgets.facts import FactsPanel
from tui.widgets.inline import answer_text, inline_code, keyed


class InterviewScreen(Screen):
    """One ticket's interview."""

    SUB_TITLE = "Interview"
    BINDINGS = [
        Binding("1", "choose(1)", "Answer", key_display="1-9"),
        # 2-9 work like 1 ("1-9 Answer"): kept out of the footer and the keys panel (F1)
        *[Binding(str(n), f"choose({n})", f"Choice {n}", show=False, system=True)
          for n in range(2, 10)],
        Binding("0,u", "choose(0)", "Unknown", key_display="0"),
        Binding("w", "why", "Why?"),
        Binding("b", "back", "Back"),
        Binding("a", "answers", "Answers"),
        Binding("e", "evidence", "Evidence"),
        Binding("k", "check", "Check it"),
        Binding("f", "fix", "Fix"),
        Binding("t", "ticket", "Ticket"),
        Binding("x", "export", "Export"),
        Binding("s", "app.open_search", "Search", show=False),
        Binding("escape", "leave", "Home"),
    ]

    def __init__(self, session: TicketSession, resumed: bool = False):
        super().__init__()
        self.session = session
        self.resumed = resumed
        self.current: Question | None = None
        self.changing: str | None = None        # a question re-asked to change its answer
        self.checking: str | None = None        # the leader the question confirms, if it does
        self.show_why = False
        self.shown_results: set[str] = set()    # confident tops whose result opened by itself
        self.applied_ticket = session.interview.text   # the ticket text as last applied
        self.said: dict[str, str] = {}          # a ticket or probe fact being corrected

    # --- layout ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="ticket-row"):
            yield Label("Ticket", id="ticket-label")
            yield TextArea(self.session.interview.text, id="ticket", compact=True,
                           placeholder="Type what the caller says (optional); Tab or Esc goes to "
                                       "the questions.",
                           highlight_cursor_line=False)
        with Horizontal(id="interview-body"):
            with VerticalScroll(id="ask"):
                yield Static("", id="question-head")
                yield Static("", id="question-text")
                yield Choices(id="choices")
                yield Input(id="value", compact=True, placeholder="a number; ? for unknown")
                yield Static("", id="why")
                yield Static("", id="save-state")
            with VerticalScroll(id="side"):
                yield DifferentialPanel(id="differential")
                yield FactsPanel(id="facts")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_view()
        self.show_saved()
        differential = self.session.interview.differential()
        if differential.verdict == "confident" and differential.top is not None:
            self.shown_results.add(differential.top.id)   # resumed: f shows it again
        if self.resumed:
            interview = self.session.interview
            self.notify(f"Resumed: {len(interview.answers)} answers, "
                        f"{len(self.session.evidence)} evidence items restored.",
                        title="Session")
        if self.fresh():
            self.query_one("#ticket", TextArea).focus()    # the caller speaks first
        else:
            self.query_one("#choices", OptionList).focus()

    def fresh(self) -> bool:
        """A new interview: nothing typed, answered or pasted yet."""
        interview = self.session.interview
        return not (self.resumed or interview.text.strip() or interview.answers
                    or self.session.evidence)

    def on_screen_resume(self) -> None:
        self.refresh_view()
        self.show_saved()
        self.maybe_show_result()

    # --- what is shown ---------------------------------------------------------------

    def refresh_view(self) -> None:
        interview = self.session.interview
        differential = interview.differential()
        self.query_one(DifferentialPanel).show(differential)
        self.query_one(FactsPanel).show(interview.facts())
        if self.changing is not None:
            self.current = interview.question(self.changing)
        else:
            suggestions = interview.next_questions(1, differential)
            self.current = suggestions[0].question if suggestions else None
            self.checking = suggestions[0].confirms if suggestions else None
        if self.current is not None:
            self.show_question(self.current)
        else:
            self.show_done(differential)
        self.show_why_text()

    def show_question(self, question: Question) -> None:
        interview = self.session.interview
        previous = interview.answers.get(question.id)
        number = list(interview.answers).index(question.id) + 1 if previous is not None \
            else len(interview.answers) + 1
        head = f"Question {number}"
        suggested = interview.ticket.suggestion(question.id) if previous is None else None
        if previous is not None:
            head += f" · changing the answer (now: {answer_text(question, previous)})"
        elif suggested is not None:
            head += f" · the ticket suggests {answer_text(question, suggested.value)}"
        elif question.id == self.changing:
            head += " · asked again"
        elif self.checking and self.changing is None:
            head += f" · checking {self.checking}"
        self.query_one("#question-head", Static).update(Content(head))
        text = question.text.strip()
        if question.unit:
            text += f" ({question.unit})"
        self.query_one("#question-text", Static).update(inline_code(text))
        said = previous if previous is not None else \
            (suggested.value if suggested is not None else self.said.get(question.id))
        focus_value = fill_choices(self.query_one("#choices", Choices),
                                   self.query_one("#value", Input), question, previous, said)
        if focus_value and self.focused is self.query_one("#choices", OptionList):
            self.query_one("#value", Input).focus()   # a number is typed: Esc goes back

    def contested_text(self, differential: Differential, which: str) -> str:
        """Each reading of the ticket that rules out a leading or the nearest entry."""
        return "".join(
            f"\nThe ticket's words answered {said.question.id} = {said.value} "
            f"('{escape_controls(said.words)}'), which rules out {which}{said.rules_out}: "
            f"press a to correct it if that is wrong."
            for said in self.session.interview.contested(differential)[:2])

    def show_done(self, differential: Differential) -> None:
        top = differential.top
        if differential.verdict == "confident" and top is not None:
            head = f"Diagnosis reached ({top.confidence * 100:.0f}%)"
            text = top.title
        elif differential.verdict == "ambiguous" and top is not None:
            head = "No question left that separates the candidates"
            text = f"Leading: {top.title} ({top.confidence * 100:.0f}%)"
            text += self.contested_text(differential, "")
        else:
            head = "No confident match in the knowledge base"
            text = differential.outside_note() + NO_MATCH_HINT
            text += self.contested_text(differential, "the nearest, ")
        self.query_one("#question-head", Static).update(Content(head))
        self.query_one("#question-text", Static).update(Content(text))
        self.query_one("#value", Input).display = False
        options = self.query_one("#choices", OptionList)
        options.clear_options()
        options.add_options([Option(keyed(key, label), id=f"do:{action}")
                             for action, key, label in DONE_ACTIONS[differential.verdict]])
        options.highlighted = 0

    def show_why_text(self) -> None:
        why = self.query_one("#why", Static)
        why.display = self.show_why and self.current is not None
        self.set_class(why.display, "-why")     # narrow screens: WHY in place of the side
        if why.display:
            why.update(Content("Why we ask: " + self.session.interview.why(self.current.id)))
            self.call_after_refresh(why.scroll_visible)     # below a long list of choices

    def show_saved(self) -> None:
        pending = self.session.pending
        state = self.query_one("#save-state", Static)
        state.set_class(bool(pending), "unsaved")
        if pending:
            state.update(f"▲ {pending} change{'s' if pending != 1 else ''} not saved yet "
                         "(kept in memory; retrying)")
        else:
            title = self.session.title or "no ticket text yet"
            state.update(Content(f"✓ Saved · {title}"))

    def after_change(self) -> None:
        self.refresh_view()
        self.show_saved()
        self.maybe_show_result()

    def maybe_show_result(self) -> None:
        """Open the result when the verdict has just become confident for a new top."""
        if self.app.screen is not self:
            return
        differential = self.session.interview.differential()
        top = differential.top
        if differential.verdict == "confident" and top is not None \
                and top.id not in self.shown_results:
            self.shown_results.add(top.id)
            self.open_result(top.id)

    def open_result(self, entry_id: str) -> None:
        from tui.screens.result import ResultScreen
        self.app.push_screen(ResultScreen(self.session, entry_id))

    # --- answering -------------------------------------------------------------------

    def give(self, value: str) -> bool:
        """Answer the question on display; False (and a notice) if the KB cannot take it."""
        question = self.current
        if question is None:
            return False
        try:
            _, saved = self.session.answer(question.id, value)
        except AnswerError as exc:
            self.notify(str(exc), severity="warning", markup=False)
            return False
        self.app.report_saved(saved)
        self.changing = None
        self.after_change()
        return True

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        kind, _, value = (event.option.id or "").partition(":")
        if kind == "answer":
            self.give(value)
        elif kind == "do":
            self.run_done_action(value)

    def run_done_action(self, action: str) -> None:
        actions = {"fix": self.action_fix, "evidence": self.action_evidence,
                   "export": self.action_export, "ticket": self.action_ticket,
                   "search": self.app.action_open_search}
        actions[action]()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "value":
            value = event.value.strip()
            if not value:
                self.notify("Type an answer, or ? if the caller doesn't know.", severity="warning")
                return
            if self.give(value):
                self.query_one("#choices", OptionList).focus()

    def action_choose(self, n: int) -> None:
        if self.current is None:
            return
        choices = list(self.current.options())
        if n == 0:
            self.give(UNKNOWN)
        elif n <= len(choices):
            self.give(choices[n - 1][0])

    # --- the ticket text -------------------------------------------------------------

    def apply_ticket(self) -> None:
        """Give the ticket box's text to the session, if it changed since it was last given."""
        text = self.query_one("#ticket", TextArea).text
        if text.strip() == self.applied_ticket.strip():
            return
        self.applied_ticket = text
        saved = self.session.set_text(text)
        self.app.report_saved(saved)
        if self.session.interview.ticket.note:
            self.notify(self.session.interview.ticket.note, severity="information", markup=False)
        self.after_change()

    def on_screen_suspend(self) -> None:
        self.apply_ticket()          # another screen opened while the ticket box was in use

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if getattr(event.widget, "id", None) == "ticket":
            self.apply_ticket()

    def action_ticket(self) -> None:
        self.query_one("#ticket", TextArea).focus()

    def action_leave(self) -> None:
        if self.focused is not None and self.focused.id in ("ticket", "value"):
            self.query_one("#choices", OptionList).focus()    # the blur applies the ticket
            return
        self.app.pop_screen()

    def on_paste(self, event: events.Paste) -> None:
        """Text pasted while no text box has the focus: it is evidence."""
        if not event.text.strip():
            self.notify("The paste was empty: nothing was added.", severity="warning")
            return
        from tui.screens.evidence import EvidenceScreen
        self.app.push_screen(EvidenceScreen(self.session, paste=event.text))

    # --- navigation ------------------------------------------------------------------

    def action_why(self) -> None:
        self.show_why = not self.show_why
        self.show_why_text()

    def action_back(self) -> None:
        if self.changing is not None:
            self.changing = None
            self.refresh_view()
            return
        answers = list(self.session.interview.answers)
        if not answers:
            self.notify("No answer to go back to.", severity="information")
            return
        last = answers[-1]
        self.app.report_saved(self.session.retract(last))
        self.changing = last
        self.after_change()

    def action_answers(self) -> None:
        from tui.screens.dialogs import AnswersDialog

        rows, self.said = answer_rows(self.session.interview)
        if not rows:
            self.notify("No answers yet.", severity="information")
            return
        self.app.push_screen(AnswersDialog(rows), self.answer_picked)

    def answer_picked(self, picked: tuple[str, str] | None) -> None:
        if picked is None:
            return
        what, qid = picked
        if what == "retract":
            self.app.report_saved(self.session.retract(qid))
            self.changing = None
            self.after_change()
        else:
            self.changing = qid
            self.refresh_view()
            self.query_one("#choices", OptionList).focus()

    def action_evidence(self) -> None:
        from tui.screens.evidence import EvidenceScreen
        self.app.push_screen(EvidenceScreen(self.session))

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "check":          # only where a probe can answer the question on display
            return bool(self.current is not None and self.app.allow_probes
                        and maps_checking(self.app.kb, self.current.id))
        return True

    def action_check(self) -> None:
        """Let a read-only probe answer the question on display (the person confirms what is
        contacted; the result is the answer's source and can be overruled)."""
        from tui.screens.probe_dialog import ProbeDialog

        maps = maps_checking(self.app.kb, self.current.id) if self.current else []
        if not maps:
            return
        self.app.push_screen(ProbeDialog(maps[0], self.session), self.probe_done)

    def probe_done(self, result) -> None:
        if result is None:
            return
        saved = self.session.add_probe(result)
        self.app.report_saved(saved)
        item = self.session.interview.probes[-1]
        told = "; ".join(f"{f.name} = {f.value}" for f in item.facts) or "nothing it can answer"
        self.notify(f"{result.kind} {result.target}: {told}", markup=False,
                    title="Checked" if not result.error else "Checked (it failed)")
        self.after_change()

    def action_fix(self) -> None:
        top = self.session.interview.differential().top
        if top is None:
            self.notify("No candidate yet: answer a question or add evidence.",
                        severity="warning")
            return
        self.open_result(top.id)

    def action_export(self) -> None:
        self.app.export_transcript(self.session)
