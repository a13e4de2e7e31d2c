"""Confident means safe to follow, checked over the whole real KB:

- a caller for whom one of a diagnosis's refuting conditions (under `not:`) or where it applies
  (`## Applies to`) rules it out never gets a confident verdict on it, however the rest of the
  interview goes and even when the ticket quotes the entry's own error string;
- from any one of its own symptoms, in the caller's words, an interview reaches every diagnosis
  (no dead end: while the verdict is not confident there is a next question).
"""

from __future__ import annotations

import pytest
from simulation import caller_answer

from engine.inference import CompiledKB, Interview
from engine.kb.models import Atom, Condition

LIMIT = 15


@pytest.fixture(scope="module")
def compiled(real_kb):
    with CompiledKB(real_kb.kb) as built:
        yield built


def refuting(condition: Condition | None, negated: bool = False):
    """(atom, values that rule the rule out) for each test the rule needs to be false, or true
    in the case of where it applies."""
    if condition is None:
        return
    if isinstance(condition, Atom):
        if negated and condition.op in ("is", "one_of"):
            yield condition, tuple(condition.values)
        elif negated and condition.op in ("is_not", "not_one_of"):
            yield condition, None                      # applies to: any other value
        return
    if negated and condition.op == "all" and len(condition.items) > 1:
        # together they rule it out ("the connection failed, and not for one user only"): no
        # one answer does
        return
    flip = negated != (condition.op == "none")
    for item in condition.items:
        yield from refuting(item, flip)


def cases(kb):
    out = []
    for entry in kb.entries:
        if entry.kind != "diagnosis":
            continue
        questions = {q.fact: q for q in kb.questions}
        for atom, values in refuting(entry.rule):
            question = questions.get(atom.fact)
            if question is None or question.type not in ("yes/no", "choice"):
                continue                              # only evidence can set it
            if values is None:
                values = tuple(v for v in question.values() if v not in atom.values)
            for value in values[:2]:
                out.append((entry.id, question.id, value))
    return out


def run(session: Interview, entry, refuted: tuple[str, str]) -> list[tuple[str, str, str]]:
    """Interview a caller with this problem but for one answer that rules it out; every
    confident verdict on the entry along the way."""
    qid, value = refuted
    session.answer(qid, value)          # said up front: a question derived facts settle is never asked
    bad = []
    for _ in range(LIMIT):
        d = session.differential()
        if d.verdict == "confident" and d.top.id == entry.id:
            bad.append((entry.id, qid, value))
            break
        if d.verdict == "confident":
            break
        suggestions = session.next_questions(1, d)
        if not suggestions:
            break
        question = suggestions[0].question
        session.answer(question.id, caller_answer(session, entry, question))
    return bad


def test_there_are_refuting_conditions_to_check(real_kb):
    assert len(cases(real_kb.kb)) >= 50


def test_a_caller_whose_answer_rules_it_out_never_gets_it_confident(compiled, real_kb):
    bad = []
    for entry_id, qid, value in cases(real_kb.kb):
        entry = compiled.entries[entry_id]
        with Interview(compiled) as session:
            bad += run(session, entry, (qid, value))
    assert bad == []


def test_its_error_string_in_the_ticket_does_not_outrank_an_answer_that_rules_it_out(
        compiled, real_kb):
    kb = real_kb.kb
    bad = []
    for entry_id, qid, value in cases(kb):
        entry = compiled.entries[entry_id]
        cited = [kb.signature(ref.signature) for ref in entry.evidence]
        examples = [s.examples[0] for s in cited if s is not None and s.examples]
        if not examples:
            continue
        with Interview(compiled) as session:
            session.set_text("\n".join(examples))
            session.answer(qid, value)
            bad += run(session, entry, (qid, value))
    assert bad == []


def test_every_diagnosis_is_reached_from_its_own_symptom_text(compiled, real_kb):
    stuck = []
    for entry in real_kb.kb.entries:
        if entry.kind != "diagnosis":
            continue
        for symptom in entry.symptoms[:3]:
            with Interview(compiled) as session:
                session.set_text(symptom)
                for _ in range(LIMIT):
                    d = session.differential()
                    if d.verdict == "confident":
                        break
                    suggestions = session.next_questions(1, d)
                    if not suggestions:
                        break
                    question = suggestions[0].question
                    session.answer(question.id, caller_answer(session, entry, question))
                d = session.differential()
                if d.verdict != "confident" or d.top.id != entry.id:
                    stuck.append(f"{entry.id} from '{symptom[:50]}': {d.verdict} "
                                 f"{d.top.id if d.top else None}")
    assert stuck == []


