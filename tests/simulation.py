"""A simulated caller for interview tests: it has one problem (a KB entry) and answers every
question the way that problem implies, "unknown" to anything the problem does not decide."""

from __future__ import annotations

from engine.inference.interview import UNKNOWN, Interview
from engine.inference.planner import answer_values
from engine.inference.truth import Truth, evaluate, support
from engine.kb.models import Entry, Question


def opened(session: Interview, entry: Entry, overlay: dict[str, str]) -> int:
    """How many questions about the entry's facts the answer would make askable (a caller
    with this problem picks the symptom that leads to it)."""
    view = session.state.view(strict=True, overlay=overlay)
    deps = session.compiled.entry_deps[entry.id]
    return sum(1 for q in session.compiled.kb.questions
               if q.fact in deps and q.id not in session.answers and q.id not in overlay
               and q.ask_when is not None and evaluate(q.ask_when, view) is Truth.TRUE)


def caller_answer(session: Interview, entry: Entry, question: Question) -> str:
    """The answer that keeps the entry's rule likeliest true: never one that rules it out; then
    one that makes it true, else meets more of it, else settles more of it (a caller with the
    problem knows that what would rule it out is not so), else leads to its questions;
    "unknown" when the problem does not decide."""
    best_key, best = None, UNKNOWN
    # "other" says the trouble is none of those the KB lists for the product: never the answer
    # of a caller whose problem is a KB entry (it would only silence the entry's own questions)
    values = [v for v in answer_values(session.compiled, question) if v != "other"]
    for value in [UNKNOWN, *values]:
        overlay = {question.id: value}
        result = support(entry.rule, session.state.view(overlay=overlay))
        sure = support(entry.rule, session.state.view(strict=True, certain=True, overlay=overlay))
        # never an answer that rules the problem out, however much of the rule it seems to
        # meet (a failing gateway status makes the symptom "no calendar status", which closes
        # the question a `not:` of a deleted-user entry waits on)
        key = (sure.truth is not Truth.FALSE, result.truth.value, result.fraction,
               sure.truth.value, sure.fraction, opened(session, entry, overlay))
        if best_key is None or key > best_key:
            best_key, best = key, value
    return best


def interview(session: Interview, entry: Entry, limit: int = 15) -> list[tuple[str, str]]:
    """Ask the next best question until the verdict is confident; the questions and answers."""
    asked: list[tuple[str, str]] = []
    while len(asked) < limit:
        differential = session.differential()
        if differential.verdict == "confident":
            break
        suggestions = session.next_questions(1, differential)
        if not suggestions:
            break
        question = suggestions[0].question
        value = caller_answer(session, entry, question)
        session.answer(question.id, value)
        asked.append((question.id, value))
    return asked
