"""KB rules compiled for durable-rules: each entry rule and derived rule becomes one durable rule
per conjunct of its disjunctive normal form (`engine.inference.dnf`), in durable's JSON form."""

from __future__ import annotations

from dataclasses import dataclass

from engine.inference.dnf import TooComplex, _name, dnf, durable_rule
from engine.kb.models import KnowledgeBase

OPEN_MARKER = "__open__"


class RuleEngineError(Exception):
    """A rule action failed, or durable-rules refused the compiled ruleset."""


@dataclass
class CompiledRule:
    """One durable rule (a conjunct of a KB rule's DNF), before it is given an action."""

    key: str
    rule: str                  # Firing.rule
    conclusion: str
    derived: tuple[str, str] | None
    patterns: list[dict]       # durable's "all" list
    negatives: list[dict]
    names: frozenset[str]      # fact names it tests (the marker left out)
    canon: tuple[tuple[str, str], ...]   # (fact name, pattern as JSON) for each pattern
    unconditional: bool        # no positive pattern: the session marker alone fires it


def compile_kb(kb: KnowledgeBase) -> dict[str, CompiledRule]:
    """Every entry rule and derived rule as durable rules (one per DNF conjunct), in KB order:
    entries first, then derived rules (durable fires simultaneous activations in definition
    order)."""
    compiled: dict[str, CompiledRule] = {}
    try:
        for entry in kb.entries:
            if entry.rule is None:
                continue
            for i, conjunct in enumerate(dnf(entry.rule)):
                key = f"entry:{entry.id}#{i}"
                compiled[key] = compile_one(key, conjunct, f"entry:{entry.id}", entry.id, None)
        for rule in kb.derived:
            fact = (rule.conclusion.fact, rule.conclusion.value)
            for i, conjunct in enumerate(dnf(rule.condition)):
                key = f"{rule.id}#{i}"
                compiled[key] = compile_one(key, conjunct, rule.id, f"{fact[0]}={fact[1]}", fact)
    except TooComplex as exc:
        raise RuleEngineError(f"a rule is too complex to compile: {exc}") from exc
    return compiled


def compile_one(key: str, conjunct, rule: str, conclusion: str, derived) -> CompiledRule:
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
    return CompiledRule(key, rule, conclusion, derived, patterns, negatives, frozenset(names),
                     tuple(canon), unconditional)
