"""Derived facts in three-valued logic: which values the KB's derived rules conclude, and which
may still come, given what a session knows (forward chaining, evaluated lazily)."""

from __future__ import annotations

from typing import Callable, Iterable, Mapping

from engine.inference.truth import _EMPTY, FactView, _compiled, condition_facts
from engine.kb.models import DerivedRule


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
        open while some rule for them is still UNKNOWN. Lint forbids cycles.

        Derived values are worked out when first asked for (a derived fact's inputs first),
        so a view that is asked about a few facts, as planning's what-if views are, costs
        only those."""
        merged = _DerivedValues(values, self.by_fact)
        open_cache: dict[str, bool] = {}

        def is_open(name: str) -> bool:
            if name in open_cache:
                return open_cache[name]
            open_cache[name] = False            # guards against a cycle lint missed
            result = base_open(name, view)
            for rule in self.by_fact.get(name, ()):
                if rule.conclusion.value in merged.get(name, _EMPTY):
                    continue
                if _compiled(rule.condition).ev(view) == 1:
                    result = True
            open_cache[name] = result
            return result

        view = FactView(merged, is_open)
        merged.view = view
        return view


class _DerivedValues(dict):
    """A fact view's values: the base facts, and each derived fact's values computed (and
    kept) the first time it is read."""

    def __init__(self, values: Mapping[str, frozenset[str]],
                 rules: Mapping[str, list[DerivedRule]]):
        super().__init__(values)
        self._rules = rules
        self._pending = set(rules)
        self.view: FactView | None = None

    def _resolve(self, name: str) -> None:
        self._pending.discard(name)            # a cycle (lint forbids them) reads base values
        for rule in self._rules[name]:
            if _compiled(rule.condition).ev(self.view) == 2:
                dict.__setitem__(self, name, dict.get(self, name, _EMPTY) |
                                 {rule.conclusion.value})

    def _resolve_all(self) -> None:
        for name in list(self._pending):
            if name in self._pending:
                self._resolve(name)

    def get(self, name, default=None):
        if name in self._pending:
            self._resolve(name)
        return dict.get(self, name, default)

    def __getitem__(self, name):
        if name in self._pending:
            self._resolve(name)
        return dict.__getitem__(self, name)

    def __contains__(self, name) -> bool:
        if name in self._pending:
            self._resolve(name)
        return dict.__contains__(self, name)

    def __iter__(self):
        self._resolve_all()
        return dict.__iter__(self)

    def __len__(self) -> int:
        self._resolve_all()
        return dict.__len__(self)

    def keys(self):
        self._resolve_all()
        return dict.keys(self)

    def values(self):
        self._resolve_all()
        return dict.values(self)

    def items(self):
        self._resolve_all()
        return dict.items(self)

    def copy(self) -> dict:
        self._resolve_all()
        return dict(self.items())

    def __eq__(self, other) -> bool:
        self._resolve_all()
        return dict.__eq__(self, other)

    __hash__ = None
