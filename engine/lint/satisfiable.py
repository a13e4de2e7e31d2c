"""Static check that a rule can fire at all: no condition contradicts another.

Facts set only by an answer hold one value; facts that evidence or derived rules set may hold
several (two event ids in one log), so for them only direct contradictions count
(`x is a` with `x is not a`, disjoint number ranges, `is known` with `is unknown`).
"""

from __future__ import annotations

import math
from collections import defaultdict

from engine.kb.models import Atom, Condition, Group
from engine.kb.vocabulary import FactInfo

_NUMERIC = ("at_least", "at_most", "more_than", "less_than")


def contradiction(condition: Condition, facts: dict[str, FactInfo]) -> str | None:
    """Why the condition can never hold, or None if some set of facts satisfies it."""
    if isinstance(condition, Atom):
        return _conflict([condition], facts.get(condition.fact))
    if condition.op == "none":
        return None
    reasons = [contradiction(item, facts) for item in condition.items]
    if condition.op == "any":
        if all(reasons):
            return "every alternative of 'any of' is impossible: " + reasons[0]
        return None
    if condition.op == "at_least":
        possible = sum(1 for r in reasons if r is None)
        if possible < (condition.count or 0):
            return f"'at least {condition.count} of' but only {possible} conditions can hold"
        return None
    if condition.op == "at_most":
        return None
    # all of: each item must be possible, and the atoms together must agree per fact
    for reason in reasons:
        if reason:
            return reason
    by_fact: dict[str, list[Atom]] = defaultdict(list)
    for atom in _conjoined_atoms(condition):
        by_fact[atom.fact].append(atom)
    for fact, group in by_fact.items():
        reason = _conflict(group, facts.get(fact))
        if reason:
            return reason
    return None


def _conjoined_atoms(group: Group):
    for item in group.items:
        if isinstance(item, Atom):
            yield item
        elif item.op == "all":
            yield from _conjoined_atoms(item)


def _conflict(atoms: list[Atom], info: FactInfo | None) -> str | None:
    ops = {a.op for a in atoms}
    name = atoms[0].fact
    if "unknown" in ops and ops - {"unknown"}:
        other = next(a for a in atoms if a.op != "unknown")
        return f"'{name} is unknown' contradicts '{other.text()}'"
    reason = _number_conflict([a for a in atoms if a.op in _NUMERIC])
    if reason:
        return reason
    single = info is not None and info.single_valued and not info.open_values
    if single:
        domain = set(info.values)
        for atom in atoms:
            domain = {v for v in domain if _value_holds(atom, v)}
        if not domain:
            texts = " and ".join(f"'{a.text()}'" for a in atoms if a.op not in ("known",))
            return f"{texts} cannot all hold: '{name}' takes one value at a time"
        return None
    required = {a.values[0] for a in atoms if a.op == "is"}
    excluded = {v for a in atoms if a.op in ("is_not", "not_one_of") for v in a.values}
    clash = required & excluded
    if clash:
        return f"'{name}' must be and must not be '{sorted(clash)[0]}'"
    for atom in atoms:
        if atom.op == "one_of" and set(atom.values) <= excluded:
            return f"'{atom.text()}' leaves no value once the excluded ones are removed"
    return None


def _value_holds(atom: Atom, value: str) -> bool:
    if atom.op == "is":
        return value == atom.values[0]
    if atom.op == "is_not":
        return value != atom.values[0]
    if atom.op == "one_of":
        return value in atom.values
    if atom.op == "not_one_of":
        return value not in atom.values
    if atom.op == "contains":
        return atom.values[0].lower() in value.lower()
    return True


def _number_conflict(atoms: list[Atom]) -> str | None:
    low, low_strict, high, high_strict = -math.inf, False, math.inf, False
    for atom in atoms:
        n = atom.number
        if atom.op in ("at_least", "more_than"):
            strict = atom.op == "more_than"
            if n > low or (n == low and strict):
                low, low_strict = n, strict
        else:
            strict = atom.op == "less_than"
            if n < high or (n == high and strict):
                high, high_strict = n, strict
    if low > high or (low == high and (low_strict or high_strict)):
        return " and ".join(f"'{a.text()}'" for a in atoms) + " leave no possible number"
    return None
