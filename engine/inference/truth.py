"""Three-valued evaluation of rule conditions while an interview is still under way.

durable-rules answers "does the rule hold on the facts we have" (closed world). To rank
candidates and to choose questions we also need "could it still hold": a condition on a fact
that an unasked question may still settle is UNKNOWN, not false. This is Kleene's logic:

- a fact is *open* while something can still give it a value (an unasked question, or a
  derived rule whose own condition is still unknown), and *closed* otherwise (answered, even
  with "unknown"; known from evidence; or nothing left that could set it);
- on closed facts the result is exactly the closed-world truth durable computes (a test pinned
  in tests/test_truth.py), so TRUE here means the rule fired and nothing can withdraw it.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from typing import Callable, Mapping

from engine.kb.models import Atom, Condition, Group


class Truth(Enum):
    FALSE = 0
    UNKNOWN = 1
    TRUE = 2

    def __invert__(self) -> "Truth":
        return Truth(2 - self.value)


T, U, F = Truth.TRUE, Truth.UNKNOWN, Truth.FALSE
_EMPTY: frozenset = frozenset()


@lru_cache(maxsize=1 << 16)
def _number(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class FactView:
    """What a session knows: the values of each fact, and which facts may still change."""

    values: Mapping[str, frozenset[str]]
    is_open: Callable[[str], bool]

    def of(self, name: str) -> frozenset[str]:
        return self.values.get(name, _EMPTY)


def atom_truth(atom: Atom, view: FactView) -> Truth:
    return _TRUTHS[_compiled(atom).ev(view)]


def evaluate(condition: Condition, view: FactView) -> Truth:
    """Kleene's value of the condition. `all` stops at the first FALSE item, `any` and `none`
    at the first TRUE one: the rest cannot change the result."""
    return _TRUTHS[_compiled(condition).ev(view)]


def combine(group: Group, results: list[Truth]) -> Truth:
    if group.op == "all":
        return min(results, key=lambda t: t.value, default=T)
    if group.op == "any":
        return max(results, key=lambda t: t.value, default=F)
    if group.op == "none":
        return min((~r for r in results), key=lambda t: t.value, default=T)
    yes = sum(1 for r in results if r is T)
    maybe = sum(1 for r in results if r is U)
    n = group.count or 0
    if group.op == "at_least":
        return T if yes >= n else (F if yes + maybe < n else U)
    return F if yes > n else (T if yes + maybe <= n else U)         # at_most


@dataclass(frozen=True)
class Support:
    """How far a condition is met: its truth, and the positive tests met out of those needed
    on the closest way to make it true (for ranking partial matches)."""

    truth: Truth
    met: int
    needed: int

    @property
    def fraction(self) -> float:
        return self.met / self.needed if self.needed else (1.0 if self.truth is T else 0.0)


def support(condition: Condition, view: FactView, positive: bool = True) -> Support:
    """Truth plus a count of tests met along the best alternative: for `all`, the tests met
    of all its items; for `any`, the best item (truest, then most met, then fewest needed);
    `none` is `all` of the negations; `at least N of` counts its N best items."""
    truth, met, needed = _compiled(condition).sup(view, positive)
    return Support(_TRUTHS[truth], met, needed)


def prepare(condition: Condition) -> None:
    """Compile a condition now (CompiledKB does it for the whole KB when it is built)."""
    _compiled(condition)


# --- compiled conditions ---------------------------------------------------------------
# Inference evaluates the same conditions over and over (every candidate, for every answer
# planning tries). Each condition is compiled once into two closures over plain ints
# (0 false, 1 unknown, 2 true): `ev(view)` and `sup(view, positive) -> (truth, met, needed)`,
# which compute exactly what the definitions above say (checked in tests/test_truth.py).
# The closures depend only on a condition's shape (facts, tests, values, counts; not its line),
# so `prepare_all` gives conditions of the same shape the same closures: a 10,000-entry KB
# repeats `product is X` and its few detail tests thousands of times.

_TRUTHS = (F, U, T)


class _Compiled(weakref.ref):
    """A condition's closures, found by the condition's id; a weak reference to it, so the
    entry goes with its KB (the closures do not hold the condition)."""

    __slots__ = ("ev", "sup", "key")


_COMPILED: dict[int, _Compiled] = {}        # id(condition) -> its closures


def _compiled(condition: Condition) -> _Compiled:
    found = _COMPILED.get(id(condition))
    if found is not None and found() is condition:
        return found
    if isinstance(condition, Atom):
        ev, sup = _atom_closures(condition)
    else:
        ev, sup = _compile_group(condition, [_compiled(item) for item in condition.items])
    return _register(condition, ev, sup)


def _register(condition: Condition, ev, sup) -> _Compiled:
    key = id(condition)
    found = _Compiled(condition, _forget)
    found.ev, found.sup, found.key = ev, sup, key
    _COMPILED[key] = found
    return found


def _forget(ref: _Compiled) -> None:
    if _COMPILED.get(ref.key) is ref:
        del _COMPILED[ref.key]


def _atom_closures(atom: Atom) -> tuple:
    ev = _compile_atom(atom)

    def sup(view, positive, ev=ev):
        truth = ev(view) if positive else 2 - ev(view)
        return truth, (1 if truth == 2 else 0), 1
    return ev, sup


def prepare_all(conditions) -> None:
    """Compile these conditions (and every part of them) now, conditions of the same shape
    sharing their closures (CompiledKB does it for the whole KB when it is built)."""
    shapes: dict[tuple, tuple] = {}         # shape -> (ev, sup, shape number)
    for condition in conditions:
        if condition is not None:
            _prepare_shared(condition, shapes)


def _prepare_shared(condition: Condition, shapes: dict[tuple, tuple]) -> int:
    """Register the condition's closures (those of an earlier condition of the same shape if
    there is one); its shape's number."""
    found = _COMPILED.get(id(condition))
    if isinstance(condition, Atom):
        shape: tuple = ("atom", condition.fact, condition.op, condition.values, condition.number)
        items = None
    else:
        items = [_prepare_shared(item, shapes) for item in condition.items]
        shape = (condition.op, condition.count, *items)
    made = shapes.get(shape)
    if made is None:
        if found is not None and found() is condition:
            ev, sup = found.ev, found.sup
        elif items is None:
            ev, sup = _atom_closures(condition)
        else:
            ev, sup = _compile_group(condition, [_COMPILED[id(i)] for i in condition.items])
        made = shapes[shape] = (ev, sup, len(shapes))
    if found is None or found() is not condition:
        _register(condition, made[0], made[1])
    return made[2]


def _equals_any(values: tuple[str, ...]) -> Callable[[object], bool]:
    """`value` equals one of `values` the way durable compares (engine.dnf._same): as text,
    or as numbers when both are numbers."""
    text = frozenset(str(v) for v in values)
    numbers = {n for n in map(_number, values) if n is not None and n == n}   # no NaN

    def equals(value) -> bool:
        if str(value) in text:
            return True
        if not numbers:
            return False
        number = _number(value)
        return number is not None and number in numbers
    return equals


def _holder(atom: Atom) -> Callable[[object], bool]:
    """Whether one value of the fact passes the atom's test (is, one of, contains, numbers)."""
    op = atom.op
    if op in ("is", "one_of"):
        return _equals_any(atom.values)
    if op == "contains":
        needle = atom.values[0].lower()
        return lambda value: needle in str(value).lower()
    limit = _number(atom.number)
    compare = {"at_least": float.__ge__, "at_most": float.__le__,
               "more_than": float.__gt__, "less_than": float.__lt__}[op]

    def holds(value) -> bool:
        number = _number(value)
        return number is not None and limit is not None and compare(number, limit)
    return holds


def _compile_atom(atom: Atom):
    fact, op = atom.fact, atom.op
    if op == "known":
        def ev(view):
            if view.values.get(fact):
                return 2
            return 1 if view.is_open(fact) else 0
    elif op == "unknown":
        def ev(view):
            if view.values.get(fact):
                return 0
            return 1 if view.is_open(fact) else 2
    elif op in ("is_not", "not_one_of"):
        equals = _equals_any(atom.values)

        def ev(view):
            values = view.values.get(fact)
            if values:
                for value in values:
                    if equals(value):
                        return 0
                return 2
            return 1 if view.is_open(fact) else 0
    else:
        holds = _holder(atom)

        def ev(view):
            values = view.values.get(fact)
            if values:
                for value in values:
                    if holds(value):
                        return 2
                return 0
            return 1 if view.is_open(fact) else 0
    return ev


def _fraction(part: tuple) -> float:
    truth, met, needed = part
    return met / needed if needed else (1.0 if truth == 2 else 0.0)


def _all_of(parts: list[tuple]) -> tuple:
    truth, met, needed = 2, 0, 0
    for t, m, n in parts:
        if t < truth:
            truth = t
        met += m
        needed += n
    return truth, met, needed


def _any_of(parts: list[tuple]) -> tuple:
    """The first best part: truest, then the highest fraction met, then the fewest needed."""
    if not parts:
        return 0, 0, 1
    best, best_key = None, None
    for part in parts:
        key = (part[0], _fraction(part), -part[2])
        if best_key is None or key > best_key:
            best, best_key = part, key
    return best


def _compile_group(group: Group, items: list[_Compiled]):
    op, n = group.op, group.count or 0
    evs = tuple(item.ev for item in items)
    sups = tuple(item.sup for item in items)

    if op == "all" or op == "none":
        stop = 0 if op == "all" else 2

        def ev(view):
            result = 2
            for item in evs:
                truth = item(view)
                if truth == stop:
                    return 0
                if truth == 1:
                    result = 1
            return result
    elif op == "any":
        def ev(view):
            result = 0
            for item in evs:
                truth = item(view)
                if truth == 2:
                    return 2
                if truth == 1:
                    result = 1
            return result
    else:
        def ev(view):
            return _count(op, n, [item(view) for item in evs])

    if op == "none":
        def sup(view, positive):
            parts = [item(view, not positive) for item in sups]
            return _all_of(parts) if positive else _any_of(parts)
    elif op in ("at_least", "at_most"):
        keep = max(n, 1)

        def sup(view, positive):
            parts = [item(view, True) for item in sups]
            truth = _count(op, n, [p[0] for p in parts])
            if not positive:
                truth = 2 - truth
            elif op == "at_least":
                best = sorted(parts, key=lambda p: (p[0], _fraction(p)), reverse=True)[:keep]
                return truth, sum(p[1] for p in best), sum(p[2] for p in best)
            return truth, (1 if truth == 2 else 0), 1
    else:
        def sup(view, positive):
            parts = [item(view, positive) for item in sups]
            return _all_of(parts) if (op == "all") == positive else _any_of(parts)
    return ev, sup


def _count(op: str, n: int, truths: list[int]) -> int:
    yes = truths.count(2)
    maybe = truths.count(1)
    if op == "at_least":
        return 2 if yes >= n else (0 if yes + maybe < n else 1)
    return 0 if yes > n else (2 if yes + maybe <= n else 1)           # at_most


def condition_facts(condition: Condition | None) -> set[str]:
    """Every fact a condition tests directly."""
    if condition is None:
        return set()
    if isinstance(condition, Atom):
        return {condition.fact}
    out: set[str] = set()
    for item in condition.items:
        out |= condition_facts(item)
    return out
