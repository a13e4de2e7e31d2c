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

from dataclasses import dataclass
from enum import Enum
from typing import Callable, Iterable, Mapping

from engine.dnf import _same
from engine.models import Atom, Condition, DerivedRule, Group


class Truth(Enum):
    FALSE = 0
    UNKNOWN = 1
    TRUE = 2

    def __invert__(self) -> "Truth":
        return Truth(2 - self.value)


T, U, F = Truth.TRUE, Truth.UNKNOWN, Truth.FALSE


@dataclass(frozen=True)
class FactView:
    """What a session knows: the values of each fact, and which facts may still change."""

    values: Mapping[str, frozenset[str]]
    is_open: Callable[[str], bool]

    def of(self, name: str) -> frozenset[str]:
        return self.values.get(name, frozenset())


def atom_truth(atom: Atom, view: FactView) -> Truth:
    values = view.of(atom.fact)
    open_ = not values and view.is_open(atom.fact)
    op = atom.op
    if op == "known":
        return T if values else (U if open_ else F)
    if op == "unknown":
        return F if values else (U if open_ else T)
    if op in ("is_not", "not_one_of"):
        if any(_same(v, w) for v in values for w in atom.values):
            return F
        if values:
            return T
        return U if open_ else F
    if any(_holds(atom, v) for v in values):
        return T
    return U if open_ else F


def _holds(atom: Atom, value: str) -> bool:
    op = atom.op
    if op in ("is", "one_of"):
        return any(_same(value, w) for w in atom.values)
    if op == "contains":
        return atom.values[0].lower() in str(value).lower()
    try:
        number, limit = float(value), float(atom.number)
    except (TypeError, ValueError):
        return False
    return {"at_least": number >= limit, "at_most": number <= limit,
            "more_than": number > limit, "less_than": number < limit}[op]


def evaluate(condition: Condition, view: FactView) -> Truth:
    if isinstance(condition, Atom):
        return atom_truth(condition, view)
    results = [evaluate(item, view) for item in condition.items]
    return combine(condition, results)


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
    """Truth plus a count of tests met along the best alternative."""
    if isinstance(condition, Atom):
        truth = atom_truth(condition, view)
        if not positive:
            truth = ~truth
        return Support(truth, 1 if truth is T else 0, 1)
    op = condition.op
    if op == "none":
        parts = [support(item, view, not positive) for item in condition.items]
        return _all(parts) if positive else _any(parts)
    if op in ("at_least", "at_most"):
        parts = [support(item, view) for item in condition.items]
        truth = combine(condition, [p.truth for p in parts])
        if not positive:
            truth = ~truth
        if op == "at_least" and positive:
            best = sorted(parts, key=lambda p: (p.truth.value, p.fraction), reverse=True)
            best = best[:max(condition.count or 0, 1)]
            return Support(truth, sum(p.met for p in best), sum(p.needed for p in best))
        return Support(truth, 1 if truth is T else 0, 1)
    parts = [support(item, view, positive) for item in condition.items]
    if (op == "all") == positive:
        return _all(parts)
    return _any(parts)


def _all(parts: list[Support]) -> Support:
    truth = min((p.truth for p in parts), key=lambda t: t.value, default=T)
    return Support(truth, sum(p.met for p in parts), sum(p.needed for p in parts))


def _any(parts: list[Support]) -> Support:
    if not parts:
        return Support(F, 0, 1)
    best = max(parts, key=lambda p: (p.truth.value, p.fraction, -p.needed))
    return best


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


class DerivedFacts:
    """Three-valued closure of the KB's derived rules: which derived values hold, may still
    come, or cannot come any more, given what the session knows."""

    def __init__(self, rules: Iterable[DerivedRule]):
        self.by_fact: dict[str, list[DerivedRule]] = {}
        for rule in rules:
            self.by_fact.setdefault(rule.conclusion.fact, []).append(rule)

    def inputs(self, fact: str) -> set[str]:
        """The base facts a fact depends on through derived rules (itself included)."""
        seen: set[str] = set()
        todo = [fact]
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            for rule in self.by_fact.get(name, ()):
                todo.extend(condition_facts(rule.condition))
        return seen

    def view(self, values: Mapping[str, frozenset[str]],
             base_open: Callable[[str, FactView], bool]) -> FactView:
        """A view where derived facts carry the values their rules conclude (TRUE) and are
        open while some rule for them is still UNKNOWN. Lint forbids cycles."""
        merged: dict[str, frozenset[str]] = dict(values)
        open_cache: dict[str, bool] = {}

        def is_open(name: str) -> bool:
            if name in open_cache:
                return open_cache[name]
            open_cache[name] = False            # guards against a cycle lint missed
            result = base_open(name, view)
            for rule in self.by_fact.get(name, ()):
                if rule.conclusion.value in merged.get(name, frozenset()):
                    continue
                if evaluate(rule.condition, view) is U:
                    result = True
            open_cache[name] = result
            return result

        view = FactView(merged, is_open)
        for name in self._ordered():
            for rule in self.by_fact[name]:
                if evaluate(rule.condition, view) is T:
                    merged[name] = merged.get(name, frozenset()) | {rule.conclusion.value}
        return view

    def _ordered(self) -> list[str]:
        """Derived facts in dependency order (inputs first)."""
        order: list[str] = []
        seen: set[str] = set()

        def visit(name: str) -> None:
            if name in seen:
                return
            seen.add(name)
            for rule in self.by_fact.get(name, ()):
                for dep in condition_facts(rule.condition):
                    if dep in self.by_fact:
                        visit(dep)
            order.append(name)

        for name in self.by_fact:
            visit(name)
        return order
