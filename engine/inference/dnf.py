"""Rule conditions into durable-rules patterns: disjunctive normal form over name/value facts.

durable-rules matches a rule when every positive pattern binds a fact and no fact matches a
negated (`$not`) pattern. A KB condition with `any of`, `not:` and `at least N of` becomes
several durable rules, one per conjunct of its DNF; firing any of them fires the condition.
Facts have the shape `{"name": ..., "value": ...}` (few distinct attributes: see
shared/notes/durable-rules.md on the 512-attribute hang).
"""

from __future__ import annotations

import itertools
import re

from engine.kb.models import Atom, Condition, Group

Pattern = tuple[str, dict]          # ("m" | "not", durable expression)
Conjunct = tuple[Pattern, ...]

MAX_CONJUNCTS = 256


class TooComplex(Exception):
    """A condition whose DNF would have more than MAX_CONJUNCTS conjuncts."""


def _value(atom: Atom) -> dict:
    if atom.op in ("one_of", "not_one_of") and len(atom.values) > 1:
        return {"$or": [{"value": v} for v in atom.values]}
    if atom.op in ("at_least", "at_most", "more_than", "less_than"):
        op = {"at_least": "$gte", "at_most": "$lte", "more_than": "$gt", "less_than": "$lt"}[atom.op]
        return {op: {"value": atom.number}}
    if atom.op == "contains":
        text = re.sub(r"[^A-Za-z0-9 _-]", ".", atom.values[0])
        return {"$imt": {"value": f".*{text}.*"}}
    return {"value": atom.values[0]}


def _has(atom: Atom) -> dict:
    return {"$and": [{"name": atom.fact}, _value(atom)]}


def _has_other(atom: Atom) -> dict:
    """A value of the fact that is none of the atom's values."""
    return {"$and": [{"name": atom.fact}, *({"$neq": {"value": v}} for v in atom.values)]}


def _exists(atom: Atom) -> dict:
    return {"name": atom.fact}


def literal(atom: Atom, positive: bool) -> list[Conjunct]:
    """An atom (or its negation) as alternatives of pattern lists."""
    op = atom.op
    if positive:
        if op == "known":
            return [(("m", _exists(atom)),)]
        if op == "unknown":
            return [(("not", _exists(atom)),)]
        if op in ("is_not", "not_one_of"):
            # durable hides a fact bound by a positive pattern from the rule's $not patterns,
            # so "known, and no value is v" is: some other value, and no fact with v.
            return [(("m", _has_other(atom)), ("not", _has(atom)))]
        return [(("m", _has(atom)),)]
    if op == "known":
        return [(("not", _exists(atom)),)]
    if op == "unknown":
        return [(("m", _exists(atom)),)]
    if op in ("is_not", "not_one_of"):      # not(known and no v) = unknown, or has v
        return [(("not", _exists(atom)),), (("m", _has(atom)),)]
    return [(("not", _has(atom)),)]


def dnf(condition: Condition, positive: bool = True) -> list[Conjunct]:
    """Alternatives (OR) of conjunctions (AND) of durable patterns."""
    if isinstance(condition, Atom):
        return literal(condition, positive)
    items = condition.items
    op = condition.op
    if op == "none":                 # none of = all of the negations; its negation = any of
        if positive:
            return _all([dnf(i, False) for i in items])
        return _any([dnf(i, True) for i in items])
    if op == "at_most":
        return dnf(Group(op="at_least", count=(condition.count or 0) + 1, items=items), not positive)
    if op == "at_least":
        n = condition.count or 0
        if not positive:             # fewer than n hold = at least k-n+1 of them fail
            n = len(items) - n + 1
        alternatives: list[Conjunct] = []
        for subset in itertools.combinations(items, max(n, 0)):
            alternatives += _all([dnf(i, positive) for i in subset])
            _check(alternatives)
        return alternatives
    if (op == "all") == positive:
        return _all([dnf(i, positive) for i in items])
    return _any([dnf(i, positive) for i in items])


def _any(parts: list[list[Conjunct]]) -> list[Conjunct]:
    out = [c for part in parts for c in part]
    _check(out)
    return out


def _all(parts: list[list[Conjunct]]) -> list[Conjunct]:
    out: list[Conjunct] = [()]
    for part in parts:
        out = [a + b for a in out for b in part]
        _check(out)
    return out


def _check(alternatives: list) -> None:
    if len(alternatives) > MAX_CONJUNCTS:
        raise TooComplex(f"more than {MAX_CONJUNCTS} alternatives")


def durable_rule(conjunct: Conjunct, run) -> dict:
    """One durable rule in its JSON form: `{"all": [{"m_0": ...}, {"m_1$not": ...}], "run": f}`.
    A rule needs at least one positive pattern: the session marker stands in when it has none.
    """
    patterns = []
    positives = [p for kind, p in conjunct if kind == "m"]
    negatives = [p for kind, p in conjunct if kind == "not"]
    if not positives:
        positives = [{"name": "__open__"}]
    for i, pattern in enumerate(_dedupe(positives)):
        patterns.append({f"m_{i}": pattern})
    for j, pattern in enumerate(_dedupe(negatives), start=len(patterns)):
        patterns.append({f"m_{j}$not": pattern})
    return {"all": patterns, "run": run}


_RANGE = ("$gt", "$gte", "$lt", "$lte")


def _dedupe(patterns: list[dict]) -> list[dict]:
    """Each positive pattern binds a different fact in durable, so tests that must hold of
    the same fact are merged: number ranges into one pattern (a number is one answer), and a
    bare `{"name": f}` existence test is dropped when another pattern already binds f."""
    bound = {_name(p) for p in patterns if "$and" in p}
    ranges: dict[str, list[dict]] = {}
    seen: list[dict] = []
    for pattern in patterns:
        if "$and" not in pattern and _name(pattern) in bound:
            continue
        tests = pattern.get("$and", [])[1:]
        if tests and all(next(iter(t)) in _RANGE for t in tests):
            ranges.setdefault(_name(pattern), []).extend(tests)
            continue
        if pattern not in seen:
            seen.append(pattern)
    for name, tests in ranges.items():
        seen.append({"$and": [{"name": name}, *tests]})
    return seen


def _name(pattern: dict) -> str:
    if "name" in pattern:
        return pattern["name"]
    return pattern["$and"][0]["name"]


def pattern_matches(pattern: dict, name: str, value) -> bool:
    """Whether a fact would match a durable pattern of ours (used for truth maintenance)."""
    if "$and" not in pattern:
        return pattern.get("name") == name
    parts = pattern["$and"]
    return parts[0].get("name") == name and all(_test(t, value) for t in parts[1:])


def _same(a, b) -> bool:
    """durable's loosely typed equality: 1, 1.0 and "1" are the same value."""
    if str(a) == str(b):
        return True
    try:
        return float(a) == float(b)
    except (TypeError, ValueError):
        return False


def _test(test: dict, value) -> bool:
    if "value" in test:
        return _same(value, test["value"])
    if "$or" in test:
        return any(_test(t, value) for t in test["$or"])
    if "$neq" in test:
        return not _same(value, test["$neq"]["value"])
    if "$imt" in test:
        return re.fullmatch(test["$imt"]["value"], str(value), re.IGNORECASE | re.DOTALL) is not None
    op, bound = next(iter(test.items()))
    try:
        number, limit = float(value), float(bound["value"])
    except (TypeError, ValueError):
        return False
    return {"$gt": number > limit, "$gte": number >= limit,
            "$lt": number < limit, "$lte": number <= limit}[op]
