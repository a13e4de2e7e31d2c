"""KB rules compiled for durable-rules: each entry rule and derived rule becomes one durable rule
per conjunct of its disjunctive normal form (`engine.inference.dnf`), in durable's JSON form."""

from __future__ import annotations

import json
from dataclasses import dataclass

from engine.inference.dnf import TooComplex, _name, dnf, durable_rule
from engine.kb.models import KnowledgeBase

OPEN_MARKER = "__open__"


class RuleEngineError(Exception):
    """A rule action failed, or durable-rules refused the compiled ruleset."""


@dataclass(slots=True)
class CompiledRule:
    """One durable rule (a conjunct of a KB rule's DNF), before it is given an action. Kept
    for as long as the engine lives (its ruleset may be built again): its patterns as JSON
    text, its pattern strings shared with the other rules'."""

    key: str
    rule: str                  # Firing.rule
    conclusion: str
    derived: tuple[str, str] | None
    source: str                # durable's "all" list, as JSON
    negatives: tuple[dict, ...]
    names: frozenset[str]      # fact names it tests (the marker left out)
    canon: tuple[tuple[str, str], ...]   # (fact name, pattern as text) for each pattern
    unconditional: bool        # no positive pattern: the session marker alone fires it

    @property
    def patterns(self) -> list[dict]:
        """durable's "all" list (a fresh one each time: durable keeps what it is given)."""
        return json.loads(self.source)


def compile_kb(kb: KnowledgeBase) -> dict[str, CompiledRule]:
    """Every entry rule and derived rule as durable rules (one per DNF conjunct), in KB order:
    entries first, then derived rules (durable fires simultaneous activations in definition
    order)."""
    compiled: dict[str, CompiledRule] = {}
    shared: dict = {}                # equal pattern texts and name sets: one object each
    try:
        for entry in kb.entries:
            if entry.rule is None:
                continue
            for i, conjunct in enumerate(dnf(entry.rule)):
                key = f"entry:{entry.id}#{i}"
                compiled[key] = compile_one(key, conjunct, f"entry:{entry.id}", entry.id, None,
                                            shared)
        for rule in kb.derived:
            fact = (rule.conclusion.fact, rule.conclusion.value)
            for i, conjunct in enumerate(dnf(rule.condition)):
                key = f"{rule.id}#{i}"
                compiled[key] = compile_one(key, conjunct, rule.id, f"{fact[0]}={fact[1]}", fact,
                                            shared)
    except TooComplex as exc:
        raise RuleEngineError(f"a rule is too complex to compile: {exc}") from exc
    return compiled


def compile_one(key: str, conjunct, rule: str, conclusion: str, derived,
                shared: dict | None = None) -> CompiledRule:
    patterns = durable_rule(conjunct, None)["all"]
    negatives, canon, names = [], [], set()
    unconditional = False
    for item in patterns:
        label, pattern = next(iter(item.items()))
        fact = _name(pattern)
        if label.endswith("$not"):
            negatives.append(pattern)
        elif fact == OPEN_MARKER:
            unconditional = True
        if fact != OPEN_MARKER:
            names.add(fact)
        canon.append((fact, repr(pattern)))   # dnf builds equal patterns alike
    shared = {} if shared is None else shared
    canon_ = tuple(shared.setdefault(item, item) for item in canon)
    names_ = frozenset(names)
    negatives_ = tuple(shared.setdefault(("$not", repr(p)), p) for p in negatives)
    return CompiledRule(key, rule, conclusion, derived, json.dumps(patterns), negatives_,
                        shared.setdefault(names_, names_), canon_, unconditional)
