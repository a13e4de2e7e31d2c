"""durable-rules behind one small class: a compiled KB and its sessions (working memories).

`RuleEngine` is a facade over one or more durable rulesets (`engine.inference.ruleset.Ruleset`). A KB that fits the
`Limits` is one ruleset, opened with each session (the real KB: about 100 rules). A bigger KB
is partitioned (`engine.inference.partition`), because durable-rules refuses or hangs on big rulesets, and an
open session costs tens of KB of C memory per rule of its ruleset (measured: ~15 KB per rule
to compile a ruleset, ~22 KB per rule for each session opened in it):
- more than 4,096 rules: error 106; more than 256 rules ending on one identical pattern
  (an alpha node's beta list): error 108 (107 for an `$or` pattern);
- 512 distinct fact names in one ruleset (or 512 distinct tests under one name) make
  `create_ruleset` loop forever, silently.
Entries are grouped by the most widely shared base fact their rules require with an `is` /
`one of` test (`product is tmsxe`); a group too big for one ruleset is split by the next such
test (`tmsxe.symptom is ...`), and small parts are merged again. Each ruleset carries the
derived rules its entries need (transitively), so chaining happens inside it, and gets a
*gate*: the tests every one of its entries requires (`product is tmsxe` and `tmsxe.symptom is
one of ...`). A fact goes only to the rulesets that test its name; a ruleset's session is
opened the first time it gets such a fact, a gated one only once the session's facts pass its
gate (it then receives the session's earlier facts, which the facade keeps). A ruleset holding
a rule that fires without any positive fact (`c is unknown`) is opened with the session.
Every derived rule also lives in an ungated ruleset, so its firing is reported whatever the
gates; the same firing in several rulesets is reported once.

A ruleset is compiled in durable-rules when a session first opens in it (those opened with
every session: when the engine is made), not all up front: a 10,000-entry KB is 81 rulesets and
~200 MB of C memory, of which a session uses one or two. When its last session closes it is
kept compiled while the idle rulesets hold at most `keep_idle` rules together (the least
recently used are freed first) and compiled again (~10 ms for 230 rules) when a session needs
it next.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field

from engine.evidence.redact import redacting_logger
from engine.inference.compile import OPEN_MARKER, RuleEngineError, compile_kb
from engine.inference.partition import Gate, Limits, partition
from engine.inference.ruleset import Firing, QuietHost, Ruleset, RulesetInfo
from engine.kb.models import KnowledgeBase

__all__ = ["Firing", "Gate", "Limits", "QuietHost", "RuleEngine", "RuleEngineError",
           "RulesetInfo", "OPEN_MARKER"]

log = redacting_logger("engine.inference.rules")   # its lines quote facts from evidence
_names = itertools.count(1)

KEEP_IDLE = 1000        # rules of rulesets no session uses kept compiled (~20 KB each)


@dataclass
class _Session:
    facts: list[tuple[str, object]] = field(default_factory=list)   # as asserted, in order
    seen: set = field(default_factory=set)
    values: dict[str, list] = field(default_factory=dict)            # name -> values asserted
    opened: list[int] = field(default_factory=list)                  # ruleset indexes
    firings: list[Firing] = field(default_factory=list)             # de-duplicated, in order


class RuleEngine:
    """One KB compiled into durable-rules rulesets; any number of sessions over it."""

    def __init__(self, kb: KnowledgeBase, *, limits: Limits | None = None,
                 keep_idle: int = KEEP_IDLE):
        self._lock = threading.RLock()
        self._prefix = f"triage_{next(_names)}"
        self.limits = limits or Limits()
        self._state: dict[str, _Session] = {}
        self._sessions: set[str] = set()
        self.activations = 0          # ruleset sessions opened, over the engine's life
        self._rulesets: list[Ruleset] = []
        self.keep_idle = keep_idle
        self._idle: OrderedDict[int, None] = OrderedDict()    # built, no session: oldest first
        compiled = compile_kb(kb)
        self.rule_count = len(compiled)
        plans = partition(kb, compiled, self.limits)
        try:
            for i, plan in enumerate(plans):
                name = self._prefix if len(plans) == 1 else f"{self._prefix}_{i}"
                # those opened with every session are compiled now, the others when needed
                self._rulesets.append(Ruleset(name, [compiled[k] for k in plan.keys],
                                               self._lock, plan.gate, plan.eager,
                                               build=plan.eager))
        except RuleEngineError:
            self.close()
            raise
        self._routes: dict[str, list[int]] = defaultdict(list)
        for i, ruleset in enumerate(self._rulesets):
            for fact in ruleset.names:
                self._routes[fact].append(i)
        self._eager = [i for i, r in enumerate(self._rulesets) if r.eager]
        if len(self._rulesets) > 1:
            log.info("%d rules in %d rulesets (%d gated, %d opened with each session)",
                     self.rule_count, len(self._rulesets),
                     sum(1 for r in self._rulesets if r.gate), len(self._eager))

    # --- introspection -----------------------------------------------------------------

    def rulesets(self) -> list[RulesetInfo]:
        return [r.info() for r in self._rulesets]

    def built(self) -> list[str]:
        """The rulesets compiled in durable-rules now."""
        return [r.name for r in self._rulesets if r.built]

    @property
    def compilations(self) -> int:
        """Times a ruleset was compiled in durable-rules, over the engine's life."""
        return sum(r.builds for r in self._rulesets)

    def opened(self, sid: str) -> list[str]:
        """The rulesets whose working memory the session has opened so far."""
        state = self._state.get(sid)
        return [self._rulesets[i].name for i in state.opened] if state else []

    # --- sessions ----------------------------------------------------------------------

    def open(self, sid: str) -> None:
        """Start a session: the rulesets that can fire on no fact at all are opened now,
        the others when a fact they test arrives."""
        with self._lock:
            if sid in self._sessions:
                return
            self._sessions.add(sid)
            state = self._state[sid] = _Session()
            for i in self._eager:
                self._activate(sid, state, i)
            fired = [f for i in self._eager for f in self._rulesets[i].firings(sid)]
            self._merge(sid, state, fired)

    def assert_fact(self, sid: str, name: str, value) -> list[Firing]:
        """Add a fact; return the rules that fired because of it (derived facts chain).
        Firings the new fact contradicts (through a negated pattern) are withdrawn."""
        with self._lock:
            if sid not in self._sessions:
                self.open(sid)
            state = self._state[sid]
            key = (name, type(value).__name__, json.dumps(value, sort_keys=True, default=str))
            if key not in state.seen:
                state.seen.add(key)
                state.facts.append((name, value))
                state.values.setdefault(name, []).append(value)
            new: list[Firing] = []
            for i in self._routes.get(name, ()):
                ruleset = self._rulesets[i]
                if ruleset.is_open(sid):
                    new += ruleset.assert_fact(sid, name, value)
                elif ruleset.gate is None or ruleset.gate.opens(state.values):
                    new += self._activate(sid, state, i)    # the new fact is among its facts
            return self._merge(sid, state, new)

    def replay(self, sid: str, facts: list[tuple[str, object]]) -> list[Firing]:
        """Start the session again from these facts (after an answer changed or was taken
        back: durable cannot un-fire a rule, so the working memory is rebuilt)."""
        with self._lock:
            self._leave(sid)
            self.open(sid)
            for name, value in facts:
                self.assert_fact(sid, name, value)
            self._trim()          # (rulesets the session left are freed only now, if at all)
            return self.firings(sid)

    def firings(self, sid: str) -> list[Firing]:
        """The rules that fired and still hold (each once, in the order they fired)."""
        state = self._state.get(sid)
        return list(state.firings) if state else []

    def facts(self, sid: str) -> list[dict]:
        """The facts durable holds for the session (without the marker)."""
        with self._lock:
            state = self._state.get(sid)
            if state is None:
                return []
            out, seen = [], set()
            for i in state.opened:
                for fact in self._rulesets[i].facts(sid):
                    key = (fact.get("name"), json.dumps(fact.get("value"), default=str))
                    if key not in seen:
                        seen.add(key)
                        out.append(fact)
            return out

    def close_session(self, sid: str) -> None:
        with self._lock:
            self._leave(sid)
            self._trim()

    def close(self) -> None:
        """Free the C memory: every session's state, then each ruleset itself."""
        with self._lock:
            for sid in list(self._sessions):
                self._leave(sid)
            for ruleset in self._rulesets:
                ruleset.close()
            self._idle.clear()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _leave(self, sid: str) -> None:
        """Close the session; the rulesets no session uses any more become idle."""
        if sid not in self._sessions:
            return
        self._sessions.discard(sid)
        state = self._state.pop(sid)
        for i in state.opened:
            ruleset = self._rulesets[i]
            ruleset.close_session(sid)
            if not ruleset.in_use and not ruleset.eager:
                self._idle[i] = None
                self._idle.move_to_end(i)

    def _trim(self) -> None:
        """Free the least recently used idle rulesets while they hold over `keep_idle` rules."""
        idle = sum(self._rulesets[i].rule_count for i in self._idle)
        while self._idle and idle > self.keep_idle:
            i, _ = self._idle.popitem(last=False)
            ruleset = self._rulesets[i]
            idle -= ruleset.rule_count
            if ruleset.release():
                log.debug("ruleset %s freed (idle)", ruleset.name)

    def _activate(self, sid: str, state: _Session, i: int) -> list[Firing]:
        """Open the session in ruleset i (compiling it if it is not) and give it the
        session's facts it tests so far."""
        ruleset = self._rulesets[i]
        self._idle.pop(i, None)
        ruleset.open(sid)
        state.opened.append(i)
        self.activations += 1
        log.debug("session %s: ruleset %s opened", sid, ruleset.name)
        new = ruleset.firings(sid)
        for name, value in state.facts:
            if name in ruleset.names:
                new += ruleset.assert_fact(sid, name, value)
        return new

    def _merge(self, sid: str, state: _Session, new: list[Firing]) -> list[Firing]:
        """Record new firings once each (a derived rule may fire in several rulesets), drop
        the ones no ruleset holds any more; return the new ones that still hold."""
        if len(state.opened) == 1:               # one ruleset: its list is the record
            before = set(state.firings)
            state.firings = self._rulesets[state.opened[0]].firings(sid)
            held = set(state.firings)
            return [f for f in dict.fromkeys(new) if f in held and f not in before]
        held: set[Firing] = set()
        for i in state.opened:
            held.update(self._rulesets[i].firings(sid))
        known = set(state.firings)
        added = [f for f in dict.fromkeys(new) if f not in known]
        state.firings = [f for f in state.firings + added if f in held]
        return [f for f in added if f in held]
