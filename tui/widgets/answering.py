"""How the interview shows a question's choices and what is left to do when none is left."""

from __future__ import annotations

from textual import events
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from engine.inference import UNKNOWN
from engine.kb import Question
from tui.widgets.inline import UNKNOWN_LABEL, answer_text, keyed

NO_MATCH_HINT = "Add evidence or more ticket text, or search the knowledge base."
DONE_ACTIONS = {
    "confident": (("fix", "f", "Show the fix"), ("evidence", "e", "Add evidence"),
                  ("export", "x", "Export the transcript")),
    "ambiguous": (("fix", "f", "See the leading candidate's fix"),
                  ("evidence", "e", "Add evidence (a log, an error message)"),
                  ("search", "s", "Search the knowledge base")),
    "no-match": (("evidence", "e", "Add evidence (a log, an error message)"),
                 ("ticket", "t", "Describe the problem in the ticket text"),
                 ("search", "s", "Search the knowledge base")),
}


class Choices(OptionList):
    """A question's answers. Where the list stands depends only on its final size: after a
    resize, and once a new question's answers are laid out, the highlighted answer is brought
    into view from the top (OptionList keeps whatever offset it had scrolled to while a panel
    or a wrapped line was still changing its size, so the same question could show scrolled by
    a line or not)."""

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self.show_highlight)

    def show_highlight(self) -> None:
        self.scroll_home(animate=False, immediate=True)
        self.scroll_to_highlight()


def fill_choices(options: Choices, value_input: Input, question: Question,
                 previous: str | None, said: str | None) -> bool:
    """Show a question's choices (or its value box), with the answer given before, or the one
    the ticket or a probe said, highlighted; True when the value box is the one to type in."""
    choices = list(question.options())
    options.clear_options()
    if choices:
        value_input.display = False
        options.add_options([Option(keyed(str(n), label), id=f"answer:{value}")
                             for n, (value, label) in enumerate(choices, 1)])
        options.add_option(Option(keyed("0", UNKNOWN_LABEL), id=f"answer:{UNKNOWN}"))
        ids = [value for value, _ in choices] + [UNKNOWN]
        options.highlighted = ids.index(said) if said in ids else 0
        options.call_after_refresh(options.show_highlight)
        return False
    value_input.display = True
    value_input.placeholder = ("a number" if question.type == "number" else "an answer") \
        + "; Enter answers, ? means unknown"
    value_input.value = "" if said in (None, UNKNOWN) else said
    options.add_option(Option(keyed("0", UNKNOWN_LABEL), id=f"answer:{UNKNOWN}"))
    options.highlighted = 0
    return True


def answer_rows(interview) -> tuple[list[tuple[str, str, str]], dict[str, str]]:
    """The rows of the answers dialog: each answer given, then what the ticket or a probe said
    that a question could correct; and the latter by question (to highlight when re-asked)."""
    rows = []
    for qid, value in interview.answers.items():
        question = interview.question(qid)
        rows.append((qid, question.text.strip(), answer_text(question, value)))
    said: dict[str, str] = {}
    for fact in interview.base_facts():
        question = interview.compiled.questions.get(fact.name)
        if fact.source.kind in ("ticket", "probe") and question is not None \
                and question.id not in interview.answers and question.id not in said:
            said[question.id] = fact.value
            rows.append((question.id, question.text.strip(),
                         f"{answer_text(question, fact.value)}, {fact.source.describe()}"))
    return rows, said
