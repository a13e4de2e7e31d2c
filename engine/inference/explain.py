"""HOW a conclusion was reached and WHY a question is asked.

HOW lists the facts (with their sources) behind the top candidate, each condition of its rule
as met / still open / failed, and what the runner-up lacks. WHY names the candidates each
answer to a question points to or rules out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.inference.compiled import CompiledKB
from engine.inference.differential import Candidate, Differential
from engine.inference.facts import Fact
from engine.inference.planner import Suggestion
from engine.inference.truth import FactView, Truth, atom_truth, condition_facts
from engine.kb.models import Atom, Condition, Entry

STATE = {Truth.TRUE: "met", Truth.UNKNOWN: "open", Truth.FALSE: "failed"}


@dataclass
class ConditionState:
    text: str                 # the condition in the rule language
    state: str                # met | open | failed
    negated: bool = False     # inside not / none of: "met" means the test itself is false

    def as_dict(self) -> dict:
        return {"condition": ("not " if self.negated else "") + self.text, "state": self.state}


@dataclass
class How:
    entry: str
    title: str
    confidence: float
    facts: list[Fact] = field(default_factory=list)
    conditions: list[ConditionState] = field(default_factory=list)
    text_terms: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    runner_up: str | None = None
    runner_up_lacks: list[ConditionState] = field(default_factory=list)
    suggested: tuple[str, ...] = ()      # what the ticket only suggests, for or "against: "
    assumed: tuple[str, ...] = ()        # "don't know" taken as the question's `if unknown`

    def summary(self) -> str:
        """A few plain sentences for `why` in the diagnose output and the transcript: what of
        the rule holds and what is still to learn, the evidence, the words of the ticket."""
        def tests(items: list[ConditionState]) -> str:
            return _and([_plain(c) for c in items], 4)

        met = [c for c in self.conditions if c.state == "met"]
        still = [c for c in self.conditions if c.state == "open"]
        failed = [c for c in self.conditions if c.state == "failed"]
        parts = []
        if met and not still and not failed:
            parts.append(f"Its rule holds: {tests(met)}.")
        elif met:
            parts.append(f"Of its rule, {tests(met)} {'holds' if len(met) == 1 else 'hold'}.")
        if still:
            parts.append(f"Still to learn: {tests(still)}.")
        if failed:
            parts.append(f"Against it: {tests(failed)} {'does' if len(failed) == 1 else 'do'} "
                         "not hold.")
        if self.evidence:
            parts.append(f"The evidence matches {_and(list(self.evidence))}.")
        if self.text_terms:
            parts.append("The ticket mentions "
                         f"{_and([repr(t) for t in self.text_terms[:4]])}.")
        if self.suggested:
            parts.append("It suggests, without settling it, "
                         f"{_and(list(self.suggested), 3)}.")
        if self.assumed:
            parts.append("The caller did not know, so it is taken that "
                         f"{_and(list(self.assumed), 3)}; check it.")
        return " ".join(parts) or "Nothing points to it yet."

    def as_dict(self) -> dict:
        return {
            "entry": self.entry, "title": self.title, "confidence": round(self.confidence, 3),
            "facts": [f.as_dict() for f in self.facts],
            "conditions": [c.as_dict() for c in self.conditions],
            "text_terms": list(self.text_terms), "evidence": list(self.evidence),
            "suggested": list(self.suggested), "assumed": list(self.assumed),
            "runner_up": self.runner_up,
            "runner_up_lacks": [c.as_dict() for c in self.runner_up_lacks],
        }


def conditions(condition: Condition | None, view: FactView,
               negated: bool = False) -> list[ConditionState]:
    """Every test in a rule with its state (met/open/failed), in rule order."""
    if condition is None:
        return []
    if isinstance(condition, Atom):
        truth = atom_truth(condition, view)
        if negated:
            truth = ~truth
        return [ConditionState(condition.text(), STATE[truth], negated)]
    flip = negated != (condition.op == "none")
    parts = [conditions(item, view, flip) for item in condition.items]
    either = negated if condition.op == "none" else (condition.op == "any") != negated
    needed = 1 if either else condition.count if condition.op == "at_least" and not negated \
        else None
    met = [part for part in parts if all(c.state == "met" for c in part)]
    if needed is not None and len(met) >= needed:
        # enough ways of an "any of" / "at least N of" hold: the others are not needed
        parts = met
    return [c for part in parts for c in part]


def how(compiled: CompiledKB, view: FactView, facts: list[Fact], differential: Differential,
        entry_id: str | None = None, doubted: tuple[str, ...] = ()) -> How:
    """HOW the candidate (the top one when no id is given) is supported, given the session's
    lenient view and all its facts (derived ones included); `doubted` are the questions the
    caller answered "unknown"."""
    candidate = _find(differential, entry_id)
    entry = compiled.entries[candidate.id]
    facts = _supporting(facts, entry)
    tested = set(condition_facts(entry.rule))
    assumed = tuple(f"{q.fact} is {q.if_unknown}" for q in
                    (compiled.questions[qid] for qid in doubted if qid in compiled.questions)
                    if q.if_unknown and q.fact in tested)
    result = How(entry.id, entry.title, candidate.confidence, facts,
                 conditions(entry.rule, view), candidate.text_terms, candidate.evidence,
                 suggested=candidate.suggestions, assumed=assumed)
    others = [c for c in differential.candidates if c.id != candidate.id]
    if others:
        rival = others[0]
        result.runner_up = rival.id
        result.runner_up_lacks = [c for c in conditions(compiled.entries[rival.id].rule, view)
                                  if c.state != "met"]
    return result


def _find(differential: Differential, entry_id: str | None) -> Candidate:
    for candidate in differential.candidates:
        if entry_id is None or candidate.id == entry_id:
            return candidate
    raise KeyError(entry_id or "no candidate")


def _supporting(facts: list[Fact], entry: Entry) -> list[Fact]:
    """The facts the entry's rule tests, and for derived ones the facts they came from."""
    wanted = set(condition_facts(entry.rule))
    changed = True
    while changed:
        changed = False
        for fact in facts:
            if fact.name in wanted and fact.source.kind == "rule":
                for name, _ in fact.source.facts:
                    if name not in wanted:
                        wanted.add(name)
                        changed = True
    return [f for f in facts if f.name in wanted]


def _plain(condition: ConditionState) -> str:
    """A test as a reader says it: `x is not y` rather than `not x is y`."""
    if condition.negated and " is " in condition.text:
        return condition.text.replace(" is ", " is not ", 1)
    return ("not " if condition.negated else "") + condition.text


UNKNOWN_LINE = "Unknown: the interview goes on with other questions."


def _and(items: list[str], most: int = 0) -> str:
    """`a`, `a and b`, `a, b and c`; with `most`, the first ones and `and N more`."""
    if most and len(items) > most:
        items = [*items[:most], f"{len(items) - most} more"]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def why(compiled: CompiledKB, suggestion: Suggestion) -> str:
    """WHY the question is asked: the KB's reason, then for every answer, in a sentence, the
    candidates it points to and those it rules out."""
    question = suggestion.question
    lines = [question.why.strip()] if question.why else []
    if suggestion.confirms:
        return "\n".join(lines + _confirming(suggestion))
    leaders = set(suggestion.leaders or suggestion.cares)
    for value, kept in suggestion.splits.items():
        out = suggestion.excludes.get(value, [])
        weaker = [c for c in suggestion.cares if c not in kept and c not in out]
        lines.append(f"{question.label(value)}: {_effect(kept, out, leaders, weaker)}.")
    lines.append(UNKNOWN_LINE)
    return "\n".join(lines)


def _effect(kept: list[str], out: list[str], leaders: set[str],
            weaker: list[str] | None = None) -> str:
    """What one answer does to the candidates in the running, in words: those it points to,
    those it rules out, and (when it does neither) those it makes less likely."""
    left = leaders - set(out)
    if not left:
        return f"rules out every candidate still in the running ({_and(out, 3)})"
    parts = []
    if kept:
        parts.append(f"points to {_and(kept, 3)}")
        if left == set(kept) and len(kept) == 1:
            parts[-1] += " (it would then be the only one left)"
    if out:
        parts.append(f"rules out {len(out)} others" if kept and len(out) > 3
                     else f"rules out {_and(out, 3)}")
    if not parts and weaker:
        parts.append(f"makes {_and(weaker, 3)} less likely")
    return "; ".join(parts) or "does not tell the leading candidates apart"


def _confirming(suggestion: Suggestion) -> list[str]:
    """WHY for a question that checks the leader when nothing else separates the candidates:
    the ticket (or the evidence) points to it, its rule does not hold yet."""
    leader = suggestion.confirms
    lines = [f"It checks the leading candidate, {leader}: it fits what we know, but its rule "
             "does not hold yet."]
    values = suggestion.question.values()
    kept = [v for v in values if suggestion.splits.get(v)]
    # a question that only rules the leader out (what it asks is one of its `not:` tests):
    # the answers that do not are no evidence for it, they leave it possible
    guard = len(kept) > 1 and all(v in kept or suggestion.excludes.get(v) for v in values)
    for value in values:
        if value in kept:
            effect = f"leaves {leader} possible" if guard else f"supports {leader}"
            lines.append(f"{suggestion.question.label(value)}: {effect}.")
        elif suggestion.excludes.get(value):
            lines.append(f"{suggestion.question.label(value)}: rules {leader} out.")
    lines.append(UNKNOWN_LINE)
    return lines
