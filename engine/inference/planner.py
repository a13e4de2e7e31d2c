"""The next best question: the one whose answer is expected to tell the candidates apart best.

For each question that may be asked now (not answered, its fact not already known from the
text or evidence, its ask-when condition true), each candidate predicts its answer: values
that make its rule true are likeliest, values that leave it open less so, values that make it
false impossible (a candidate whose rule does not care predicts every value alike). The expected information gain is the entropy of the candidates' confidences minus the
expected entropy after the answer. Only the leading candidates are planned over (TOP); the rest
of the mass is one "other" bucket that no answer splits.

When no question separates the candidates any more (the leader has nearly all the mass, from
the ticket text, say) but durable-rules has not fired the leader's rule, the planner switches
to confirming it: it asks the questions the leader's rule depends on, a test that can refute
it first. A diagnosis is never confident on how the ticket sounds alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from engine.inference.compiled import CompiledKB
from engine.inference.differential import Differential
from engine.inference.state import SessionState
from engine.inference.truth import FactView, Support, Truth, atom_truth, evaluate, support
from engine.kb.models import Atom, Question
from engine.kb.rulelang import atoms

TOP = 60               # candidates planned over
MIN_GAIN = 0.02        # bits: below this a question is not worth the caller's time


def likelihood(before: Support, after: Support) -> float:
    """How likely a candidate makes an answer, by what the answer does to its rule: an answer
    that makes it true is likeliest, then one that meets more of it, then one that leaves it
    open; one that makes it false does not happen."""
    if after.truth is Truth.TRUE:
        return 1.0
    if after.truth is Truth.FALSE:
        return 0.0
    return 0.6 if after.fraction > before.fraction else 0.15


@dataclass
class Suggestion:
    question: Question
    gain: float                                        # expected information gain, bits
    splits: dict[str, list[str]] = field(default_factory=dict)   # answer -> candidates it points to
    cares: list[str] = field(default_factory=list)    # candidates whose rule the answer settles
    excludes: dict[str, list[str]] = field(default_factory=dict)  # answer -> candidates it rules out
    confirms: str | None = None                       # the leader this question checks
    leaders: tuple[str, ...] = ()                     # the candidates planned over

    def as_dict(self) -> dict:
        return {"id": self.question.id, "text": self.question.text, "type": self.question.type,
                "choices": [{"value": value, "label": label}
                            for value, label in self.question.options()],
                "gain": round(self.gain, 3), "why": self.question.why, "splits": self.splits,
                "confirms": self.confirms}


def answer_values(compiled: CompiledKB, question: Question) -> list[str]:
    if question.type == "number":
        return compiled.number_points.get(question.fact, [])
    return list(question.values())


def askable(compiled: CompiledKB, state: SessionState) -> list[Question]:
    """Questions that make sense now: unanswered, fact unknown, ask-when true (its positive
    tests known true, none of its `not:` tests known true: state.closed_view)."""
    view = state.closed_view()
    known = state.values()
    closed, _ = state.gated(compiled.question_gates, strict=True)
    out = []
    for question in compiled.kb.questions:
        if question.id in closed:
            continue                # its ask-when requires a value its fact does not have
        if question.id in state.answers or known.get(question.fact):
            continue
        if question.type == "text":
            continue                # free text cannot be planned over
        if question.ask_when is not None and evaluate(question.ask_when, view) is not Truth.TRUE:
            continue
        out.append(question)
    return out


def plan(compiled: CompiledKB, state: SessionState, differential: Differential,
         limit: int = 3) -> list[Suggestion]:
    """The next questions, best first. A leader that fired with a condition still open is
    checked first (a question that could rule it out before anything else); otherwise the
    questions that best split the leading candidates; when none does, the leading candidates'
    own open conditions (and the questions that open them), so an interview that is not
    confident has a next question while anything asked could still change it."""
    # diagnoses, and procedures with a rule of their own (which step of SCR it is)
    leaders = [c for c in differential.candidates
               if c.kind == "diagnosis" or (c.support is not None and c.scored)][:TOP]
    first = differential.top
    # a procedure that leads may be all that is left (a how-to about Outlook clients): it
    # still has where it applies to settle
    leading_procedure = first is not None and first.kind == "procedure" and \
        first.support is not None and first not in leaders
    if not (leaders or leading_procedure) or differential.verdict == "confident":
        return []
    questions = askable(compiled, state)
    now = {c.id: c.support for c in leaders}
    checks, suggestions = [], []
    if leaders:
        top = leaders[0]
        if top is first and top.fired and not top.settled:
            checks = confirm(compiled, state, top.id, questions, now)
        suggestions = _by_gain(compiled, state, leaders, questions, now)
    if checks:
        asked = {s.question.id for s in checks}
        return (checks + [s for s in suggestions if s.question.id not in asked])[:limit]
    if not suggestions:
        # a procedure that leads only needs where it applies settled (the version)
        if leading_procedure:
            leaders = [first, *leaders]
            now[first.id] = first.support
        for candidate in leaders[:3]:
            if candidate.fired and candidate.settled:
                continue
            suggestions = confirm(compiled, state, candidate.id, questions, now)
            if suggestions:
                break
    return suggestions[:limit]


@dataclass(frozen=True)
class Contested:
    """A question the ticket's words (or a probe) answered, where that answer rules out a
    leading candidate: not asked again (the caller said it), but named when nothing is left
    to ask, so the helpdesk person can correct a misreading."""

    question: Question
    value: str
    words: str
    rules_out: str

    def as_dict(self) -> dict:
        return {"question": self.question.id, "text": self.question.text, "value": self.value,
                "words": self.words, "rules_out": self.rules_out}


def contested(compiled: CompiledKB, state: SessionState, entry_ids: list[str]
              ) -> list[Contested]:
    """What the ticket's words said that stands in the way of each of these candidates."""
    view = state.view(strict=True)
    said = {f.name: f for f in state.base_facts() if f.source.kind in ("ticket", "probe")
            and not f.source.signature}
    out: list[Contested] = []
    for entry_id in entry_ids:
        for atom, negated in _polar(compiled.entries[entry_id].rule):
            fact = said.get(atom.fact)
            if fact is None or atom_truth(atom, view) is not (Truth.TRUE if negated
                                                               else Truth.FALSE):
                continue
            for question in compiled.questions_by_fact.get(atom.fact, ()):
                if question.id in state.answers or any(c.question.id == question.id
                                                       for c in out):
                    continue
                out.append(Contested(question, fact.value,
                                     fact.source.words or fact.source.line, entry_id))
    return out


def _polar(condition, negated: bool = False):
    """(atom, whether the rule needs it false) for each test of a rule."""
    if condition is None:
        return
    if isinstance(condition, Atom):
        yield condition, negated
        return
    flip = negated != (condition.op == "none")
    for item in condition.items:
        yield from _polar(item, flip)


def _by_gain(compiled: CompiledKB, state: SessionState, leaders: list, questions: list[Question],
             now: dict[str, Support]) -> list[Suggestion]:
    """Questions by expected information gain over the leading candidates' confidences."""
    weights = {c.id: c.confidence for c in leaders}
    total = sum(weights.values())
    if total <= 0:
        weights = {c: 1.0 for c in weights}
        total = float(len(weights))
    rest = max(0.0, 1.0 - total) if total <= 1.0 else 0.0
    probs = {c: w / (total + rest) for c, w in weights.items()}
    rest_p = rest / (total + rest) if total + rest else 0.0
    base = _entropy(list(probs.values()) + [rest_p])
    suggestions = []
    for question in questions:
        values = answer_values(compiled, question)
        if len(values) < 2:
            continue
        likely, cares = predict(compiled, state, question, values, list(probs), now)
        if not cares:
            continue
        after = 0.0
        splits: dict[str, list[str]] = {}
        excludes: dict[str, list[str]] = {}
        uniform = 1.0 / len(values)
        best = {cid: max(likely[cid].values()) for cid in cares}
        for value in values:
            joint = {cid: p * (likely[cid].get(value, 0.0) if cid in likely else uniform)
                     for cid, p in probs.items()}
            joint = {cid: p for cid, p in joint.items() if p > 0}
            p_value = sum(joint.values()) + rest_p * uniform
            if p_value <= 0:
                continue
            after += p_value * _entropy([v / p_value for v in joint.values()] +
                                        [rest_p * uniform / p_value])
            splits[value] = [cid for cid in cares if likely[cid].get(value, 0.0) == best[cid]]
            excludes[value] = [cid for cid in cares if likely[cid].get(value, 0.0) == 0.0]
        gain = base - after
        if gain >= MIN_GAIN:
            suggestions.append(Suggestion(question, gain, splits, cares, excludes,
                                          leaders=tuple(probs)))
    suggestions.sort(key=lambda s: (-round(s.gain, 6), compiled.question_order[s.question.id]))
    return suggestions


def predict(compiled: CompiledKB, state: SessionState, question: Question, values: list[str],
            candidates: list[str], now: dict[str, Support], certain: bool = False
            ) -> tuple[dict[str, dict[str, float]], list[str]]:
    """Each candidate's distribution over the question's answers, for the candidates whose
    rule the answer matters to (the others predict every answer alike and are left out).
    With `certain`, as the verdict sees the rules (`SessionState.view`): a check answered
    "unknown" is still open, so a question that settles it another way counts."""
    likely: dict[str, dict[str, float]] = {}     # candidate -> answer -> P(answer)
    caring = [cid for cid in candidates if question.fact in compiled.entry_deps[cid]]
    numbers = compiled.gate_numbers.get(question.fact, {})
    for value in values:
        closed = _closed_by(compiled, question.fact, value)
        view = None
        for cid in caring:
            if closed and any(n in closed for n in numbers.get(cid, ())):
                p = 0.0                          # requires another value: false
            else:
                if view is None:
                    view = state.view(overlay={question.id: value}, certain=certain)
                rule = compiled.entries[cid].rule
                truth = evaluate(rule, view)     # true or false: how far it is met
                if truth is Truth.UNKNOWN:       # does not matter (see likelihood)
                    p = likelihood(now[cid], support(rule, view))
                else:
                    p = 1.0 if truth is Truth.TRUE else 0.0
            likely.setdefault(cid, {})[value] = p
    cares = []
    for cid, by_value in list(likely.items()):
        total = sum(by_value.values())
        if total == 0 or len(set(by_value.values())) == 1:
            del likely[cid]             # false whatever the answer, or does not care
            continue
        likely[cid] = {v: w / total for v, w in by_value.items()}
        cares.append(cid)
    return likely, cares


def confirm(compiled: CompiledKB, state: SessionState, leader: str, questions: list[Question],
            now: dict[str, Support]) -> list[Suggestion]:
    """Questions that check one candidate's rule: those with an answer that would refute it
    first (a real test), then those that would complete it, then those that only advance it,
    then the questions that must be answered before one of its open conditions can be asked
    (a gate: `exchange.symptom` before the queue error); in the KB's question order within
    each."""
    ranked = []
    for question in questions:
        values = answer_values(compiled, question)
        if len(values) < 2:
            continue
        likely, cares = predict(compiled, state, question, values, [leader], now, certain=True)
        if leader not in likely:
            continue
        by_value = likely[leader]
        refutes = [v for v, p in by_value.items() if p == 0.0]
        best = max(by_value.values())
        points = [v for v, p in by_value.items() if p == best]
        view = state.view(overlay={question.id: points[0]}, certain=True)
        completes = evaluate(compiled.entries[leader].rule, view) is Truth.TRUE
        rank = (0 if refutes else 1, 0 if completes else 1, compiled.question_order[question.id])
        ranked.append((rank, Suggestion(question, 0.0, {v: [leader] for v in points}, [leader],
                                        {v: [leader] for v in refutes}, confirms=leader)))
    taken = {s.question.id for _, s in ranked}
    for question, points in gates(compiled, state, leader, questions):
        if question.id not in taken:
            taken.add(question.id)
            ranked.append(((2, 1, compiled.question_order[question.id]),
                           Suggestion(question, 0.0, {v: [leader] for v in points}, [leader],
                                      {}, confirms=leader)))
    ranked.sort(key=lambda pair: pair[0])
    return [suggestion for _, suggestion in ranked]


def gates(compiled: CompiledKB, state: SessionState, entry_id: str,
          questions: list[Question]) -> list[tuple[Question, list[str]]]:
    """Askable questions whose answer opens the question of one of the entry's open
    conditions (its ask-when is not settled yet), each with the answers that open it."""
    strict = state.view(strict=True)
    open_facts = {a.fact for a in atoms(compiled.entries[entry_id].rule)
                  if atom_truth(a, strict) is Truth.UNKNOWN}
    by_fact: dict[str, list[Question]] = {}
    for question in questions:
        by_fact.setdefault(question.fact, []).append(question)
    found: list[tuple[Question, list[str]]] = []
    for fact in sorted(open_facts, key=str):
        for closed in compiled.questions_by_fact.get(fact, ()):
            if closed.id in state.answers or closed.ask_when is None \
                    or evaluate(closed.ask_when, strict) is not Truth.UNKNOWN:
                continue
            for atom in atoms(closed.ask_when):
                for gate in by_fact.get(atom.fact, ()):
                    opening = [v for v in answer_values(compiled, gate)
                               if evaluate(closed.ask_when, state.view(
                                   strict=True, overlay={gate.id: v})) is Truth.TRUE]
                    if opening:
                        found.append((gate, opening))
    return found


def _closed_by(compiled: CompiledKB, fact: str, value: str) -> frozenset[int]:
    """The groups of `CompiledKB.gates[fact]` (by number) whose entries require, at their top
    level, a value of `fact` other than `value`: answering `value` makes them false, no need
    to evaluate them. The same for every session: kept in `CompiledKB.closing`."""
    if fact in compiled.derived.by_fact:
        return frozenset()          # a derived fact may get other values from its rules
    found = compiled.closing.get((fact, value))
    if found is None:
        view = FactView({fact: frozenset({value})}, lambda name: False)
        found = frozenset(number for number, (atom, _) in enumerate(compiled.gates.get(fact, ()))
                          if atom_truth(atom, view) is Truth.FALSE)
        compiled.closing[(fact, value)] = found
    return found


def _entropy(ps: list[float]) -> float:
    return -sum(p * math.log2(p) for p in ps if p > 0)
