"""How far each entry's rule is met in one session, kept until a fact it depends on changes.

Evaluating every rule after every answer is what a 10,000-entry KB cannot afford, so a
session keeps each entry's `Support` and forgets only those of the entries whose facts an
answer or a piece of evidence touched (`CompiledKB.dependents`). While a session has no facts
at all, the supports are the same for every session: they are shared through
`CompiledKB.initial_support` until the first fact an entry depends on arrives.
"""

from __future__ import annotations

from engine.inference.compiled import CompiledKB
from engine.inference.state import SessionState
from engine.inference.truth import FactView, Support, Truth, evaluate, support

FALSE = Support(Truth.FALSE, 0, 1)      # a false rule whose met/needed nobody reads


class Supports:
    def __init__(self, compiled: CompiledKB, state: SessionState):
        self.compiled = compiled
        self.state = state
        self._cache: dict[str, Support] = {}
        # the entries whose shared initial support no longer fits this session; None once
        # the session has had facts and was rebuilt (nothing shared applies any more)
        self._stale: set[str] | None = set()

    def reset(self) -> None:
        """After the session was rebuilt from its facts: nothing kept is known to hold."""
        self._cache.clear()
        self._stale = set() if self.state.empty() else None

    def invalidate(self, facts: set[str]) -> None:
        """Facts changed: forget the supports of the entries that depend on them."""
        dirty: set[str] = set()
        for fact in facts:
            dirty |= self.compiled.dependents.get(fact, set())
        if not dirty:
            return
        if not dirty.isdisjoint(self._cache):
            self._cache = {k: v for k, v in self._cache.items() if k not in dirty}
        if self._stale is not None:
            self._stale |= dirty

    def known(self, entry_id: str) -> Support | None:
        """The support kept for the entry, if any."""
        found = self._cache.get(entry_id)
        if found is None and self._stale is not None and entry_id not in self._stale:
            found = self.compiled.initial_support.get(entry_id)
        return found

    def of(self, entry_id: str, view: FactView, fired: bool = True) -> Support:
        """The entry's support. An entry that did not fire and whose rule is false is only
        excluded: its truth is enough (`evaluate` stops at the first false test), not the
        count of tests met."""
        found = self.known(entry_id)
        if found is not None and not (found is FALSE and fired):
            return found
        rule = self.compiled.entries[entry_id].rule
        if not fired and evaluate(rule, view) is Truth.FALSE:
            found = FALSE
        else:
            found = support(rule, view)
        shared = self._stale is not None and entry_id not in self._stale
        if shared and self.state.empty():
            self.compiled.initial_support[entry_id] = found
        else:
            self._cache[entry_id] = found
        return found
