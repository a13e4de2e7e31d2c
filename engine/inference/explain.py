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

    def summary(self) -> str:
        """One or two sentences for `why` in the diagnose output."""
        parts = []
        met = [c for c in self.conditions if c.state == "met"]
        if met:
            parts.append("its rule is met by " + "; ".join(c.as_dict()["condition"] for c in met))
        if self.evidence:
            parts.append("evidence matched " + ", ".join(self.evidence))
        if self.text_terms:
            parts.append("the ticket mentions " + ", ".join(f"'{t}'" for t in self.text_terms[:4]))
        still = [c for c in self.conditions if c.state == "open"]
        if still:
            parts.append("not yet known: " + "; ".join(c.as_dict()["condition"] for c in still))
        return ("; ".join(parts) or "nothing specific yet") + "."

    def as_dict(self) -> dict:
        return {
            "entry": self.entry, "title": self.title, "confidence": round(self.confidence, 3),
            "facts": [f.as_dict() for f in self.facts],
            "conditions": [c.as_dict() for c in self.conditions],
            "text_terms": list(self.text_terms), "evidence": list(self.evidence),
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
    out = []
    for item in condition.items:
        out += conditions(item, view, flip)
    return out


def how(compiled: CompiledKB, view: FactView, facts: list[Fact], differential: Differential,
        entry_id: str | None = None) -> How:
    """HOW the candidate (the top one when no id is given) is supported, given the session's
    lenient view and all its facts (derived ones included)."""
    candidate = _find(differential, entry_id)
    entry = compiled.entries[candidate.id]
    facts = _supporting(facts, entry)
    result = How(entry.id, entry.title, candidate.confidence, facts,
                 conditions(entry.rule, view), candidate.text_terms, candidate.evidence)
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


def why(compiled: CompiledKB, suggestion: Suggestion) -> str:
    """Which candidates the question separates, and how."""
    titles = compiled.entries
    lines = [suggestion.question.why.strip()] if suggestion.question.why else []
    def names(ids: list[str]) -> str:
        return ", ".join(ids[:3]) + (f" and {len(ids) - 3} more" if len(ids) > 3 else "")

    if suggestion.confirms:
        return "\n".join(lines + [_confirming(suggestion)])
    for value, kept in suggestion.splits.items():
        label = suggestion.question.label(value)
        line = f"'{label}' points to: {names(kept) or 'none of the leading candidates'}"
        out = suggestion.excludes.get(value, [])
        if out:
            line += f"; rules out: {names(out)}"
        lines.append(line)
    dropped = [cid for cid in suggestion.cares if cid in titles]
    if dropped:
        lines.append(f"It settles {len(dropped)} leading candidate"
                     f"{'s' if len(dropped) != 1 else ''}.")
    return "\n".join(lines)


def _confirming(suggestion: Suggestion) -> str:
    """WHY for a question that checks the leader when nothing else separates the candidates."""
    def labels(values: list[str]) -> str:
        return " or ".join(f"'{suggestion.question.label(v)}'" for v in values)
    line = f"It checks the leading candidate, {suggestion.confirms}"
    points = [v for v, ids in suggestion.splits.items() if ids]
    out = [v for v, ids in suggestion.excludes.items() if ids]
    parts = []
    if points:
        parts.append(f"{labels(points)} supports it")
    if out and points and len(out) > 2:
        parts.append("any other answer rules it out")
    elif out:
        parts.append(f"{labels(out)} rules it out")
    return line + (": " + "; ".join(parts) if parts else "") + "."
