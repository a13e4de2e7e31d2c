"""durable-rules behind one small class: a compiled KB and its sessions (working memories).

`RuleEngine` is a facade over one or more durable rulesets (`_Ruleset`). A KB that fits the
`Limits` is one ruleset, opened with each session (the real KB: about 100 rules). A bigger KB
is partitioned (`_partition`), because durable-rules refuses or hangs on big rulesets, and an
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

Every quirk of durable-rules 2.0.28 we rely on is contained in `_Ruleset` and pinned by
tests/test_rules_engine.py (see shared/notes/durable-rules.md):
- the default Host starts timer threads that race `delete_state`: ours does nothing in `_run`;
- `delete_state` crashes unless an action ran in the session: opening a session asserts a
  marker fact that fires a no-op rule;
- `$not` patterns are not truth maintenance: a rule that fired stays fired when a fact that
  its negation forbids arrives later. The engine keeps every compiled rule's negated patterns,
  withdraws the firings a new fact contradicts, and retracts derived facts that lose their
  last support (cascading); changing an answer replays the session from its facts;
- asserting a fact no rule tests raises MessageNotHandledException (and does not store it),
  asserting the same fact twice raises MessageObservedException: both are no-ops here. Such a
  fact is not in `facts()`: the caller keeps the full record of facts and their sources;
- exceptions inside actions are swallowed by durable: our actions record them, and they are
  re-raised after the call returns;
- a ruleset name can be registered once per Host: each ruleset has its own Host and name;
- the C core has global state and no locks: one lock per engine around every call;
- C memory is freed on `close()`: every session's state, then each ruleset handle.
"""

from __future__ import annotations

import itertools
import json
import logging
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Mapping

import durable.engine
import durable_rules_engine
from durable.engine import MessageNotHandledException, MessageObservedException

from engine.inference.dnf import TooComplex, _name, _same, dnf, durable_rule, pattern_matches
from engine.kb.models import Atom, KnowledgeBase, required_atoms

log = logging.getLogger("engine.inference.rules")

OPEN_MARKER = "__open__"
_names = itertools.count(1)


class RuleEngineError(Exception):
    """A rule action failed, or durable-rules refused the compiled ruleset."""


class _QuietHost(durable.engine.Host):
    """A Host without the background timer threads: we drive it synchronously."""

    def _run(self):
        pass


@dataclass(frozen=True)
class Firing:
    """A rule that fired: which, what it concluded, and the facts it matched."""

    rule: str                              # "entry:<id>" or "derived:<fact>=<value>"
    conclusion: str                        # an entry id, or "<fact>=<value>"
    facts: tuple[tuple[str, str], ...]     # (name, value) of every fact it matched
    key: str = ""                          # the compiled (durable) rule that fired
    derived: tuple[str, str] | None = None # the fact it asserted, for a derived rule


@dataclass(frozen=True)
class Limits:
    """How big one durable ruleset may get: well below where durable-rules fails."""

    rules: int = 1500          # durable: error 106 above 4,096
    shared: int = 200          # rules ending on one identical pattern; durable: 108 above 256
    names: int = 400           # distinct fact names; durable hangs at 512
    tests_per_name: int = 400  # distinct patterns on one fact name; durable hangs at 512
    small: int = 100           # a part of fewer rules shares a ruleset with other parts
    merge: int = 400           # (same first gate fact) up to this many rules


@dataclass(frozen=True)
class Gate:
    """Every entry rule of a ruleset requires each of these facts to have one of its values
    (`product is tmsxe`, and maybe `tmsxe.symptom is one of ...`): no rule of it can fire
    before they all do."""

    tests: tuple[tuple[str, frozenset], ...]

    @property
    def facts(self) -> set[str]:
        return {fact for fact, _ in self.tests}

    def values(self, fact: str) -> frozenset:
        return next((values for name, values in self.tests if name == fact), frozenset())

    def opens(self, facts: Mapping[str, list]) -> bool:
        """Whether the session's facts (name -> values asserted) pass every test."""
        return all(any(_same(v, w) for v in facts.get(fact, ()) for w in values)
                   for fact, values in self.tests)


@dataclass(frozen=True)
class RulesetInfo:
    """What the partition made of one durable ruleset (for tests, benchmarks and logs)."""

    name: str
    rules: int                 # compiled rules in it, derived copies included
    entries: int               # entry rules in it
    gate: Gate | None
    eager: bool                # opened with every session
    names: int                 # distinct fact names tested (the session marker included)
    shared: int                # most rules ending on one identical pattern (session rule too)


@dataclass
class _Compiled:
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


class _Ruleset:
    """One durable-rules ruleset with its own Host and name, and its sessions: firings,
    negated patterns and truth maintenance per session (what RuleEngine was before it was
    partitioned)."""

    def __init__(self, name: str, compiled: list[_Compiled], lock: threading.RLock,
                 gate: Gate | None = None, eager: bool = True):
        self._lock = lock
        self.name = name
        self.gate = gate
        self.eager = eager
        self._host = _QuietHost()
        self._firings: dict[str, list[Firing]] = {}
        self._errors: dict[str, list[BaseException]] = {}
        self._sessions: set[str] = set()
        self._negatives: dict[str, list[dict]] = {}
        self.names: frozenset[str] = frozenset().union(*(c.names for c in compiled))
        self.rule_count = len(compiled)
        self.entry_count = sum(1 for c in compiled if c.derived is None)
        shared = Counter(canon for c in compiled for _, canon in c.canon)
        shared[_Bin.MARKER[1]] += 1                      # the session-open rule
        self.shared = max(shared.values())
        rules: dict[str, dict] = {
            "__session_open__": {"all": [{"m": {"name": OPEN_MARKER}}], "run": self._noop},
        }
        for c in compiled:
            rules[c.key] = {"all": c.patterns,   # durable pops "run" only: a fresh dict
                            "run": self._action(c.key, c.rule, c.conclusion, c.derived)}
            self._negatives[c.key] = c.negatives
        try:
            with self._lock:
                self._host.register_rulesets({self.name: rules})
        except Exception as exc:  # the C core refuses with a bare error code
            raise RuleEngineError(f"durable-rules could not compile a ruleset of "
                                  f"{self.rule_count} rules: {exc}") from exc
        self._ruleset = self._host.get_ruleset(self.name)

    def info(self) -> RulesetInfo:
        return RulesetInfo(self.name, self.rule_count, self.entry_count, self.gate, self.eager,
                           len(self.names) + 1, self.shared)

    # --- actions ---------------------------------------------------------------------

    def _noop(self, c) -> None:
        return None

    def _action(self, key: str, rule: str, conclusion: str, derived: tuple[str, str] | None):
        def run(c) -> None:
            sid = str(c.s.sid) if c.s.sid is not None else "0"
            try:
                matched = tuple((str(m["name"]), str(m["value"])) for m in _matched(c))
                self._firings.setdefault(sid, []).append(
                    Firing(rule, conclusion, matched, key, derived))
                log.debug("session %s: %s fired on %s", sid, rule, matched)
                if derived is not None:
                    try:
                        c.assert_fact({"name": derived[0], "value": derived[1]})
                    except MessageObservedException:
                        pass  # concluded already (another rule, or evidence): nothing new
                    except MessageNotHandledException:
                        pass  # no rule tests the conclusion; the Firing still names it
            except BaseException as exc:  # durable would swallow it: keep it for re-raising
                self._errors.setdefault(sid, []).append(exc)
        return run

    # --- sessions ----------------------------------------------------------------------

    def is_open(self, sid: str) -> bool:
        return sid in self._sessions

    def open(self, sid: str) -> None:
        """Start a working memory. The marker makes an action run, so deleting it is safe."""
        with self._lock:
            if sid in self._sessions:
                return
            self._sessions.add(sid)
            self._call(sid, self._host.assert_fact, {"sid": sid, "name": OPEN_MARKER, "value": 1})

    def assert_fact(self, sid: str, name: str, value) -> list[Firing]:
        with self._lock:
            before = len(self._firings.get(sid, []))
            self._call(sid, self._host.assert_fact, {"sid": sid, "name": name, "value": value})
            new = self._firings.get(sid, [])[before:]
            self._withdraw_contradicted(sid, name, value)
            current = self._firings.get(sid, [])
            return [f for f in new if f in current]

    def firings(self, sid: str) -> list[Firing]:
        return list(self._firings.get(sid, []))

    def _withdraw_contradicted(self, sid: str, name: str, value) -> None:
        firings = self._firings.get(sid, [])
        dead = [f for f in firings
                if any(pattern_matches(p, name, value) for p in self._negatives.get(f.key, ()))]
        while dead:
            firing = dead.pop()
            if firing not in firings:
                continue
            firings.remove(firing)
            log.debug("session %s: %s withdrawn", sid, firing.rule)
            if firing.derived is None or any(f.derived == firing.derived for f in firings):
                continue
            lost = (firing.derived[0], str(firing.derived[1]))
            self._call(sid, self._host.retract_fact,
                       {"sid": sid, "name": lost[0], "value": firing.derived[1]})
            dead.extend(f for f in firings if lost in f.facts)

    def facts(self, sid: str) -> list[dict]:
        with self._lock:
            if sid not in self._sessions:
                return []
            return [f for f in self._host.get_facts(self.name, sid)
                    if f.get("name") != OPEN_MARKER]

    def close_session(self, sid: str) -> None:
        with self._lock:
            if sid not in self._sessions:
                return
            self._sessions.discard(sid)
            self._firings.pop(sid, None)
            self._errors.pop(sid, None)
            self._host.delete_state(self.name, sid)

    def close(self) -> None:
        with self._lock:
            for sid in list(self._sessions):
                self.close_session(sid)
            handle = getattr(self._ruleset, "_handle", None)
            if handle is not None:
                durable_rules_engine.delete_ruleset(handle)
                self._ruleset._handle = None

    def _call(self, sid: str, method, fact: dict) -> None:
        try:
            method(self.name, fact)
        except MessageObservedException:
            pass  # the same fact again: nothing changes
        except MessageNotHandledException:
            pass  # no rule tests this fact: durable does not store it, nothing can fire
        errors = self._errors.pop(sid, None)
        if errors:
            raise RuleEngineError(f"a rule action failed: {errors[0]!r}") from errors[0]


@dataclass
class _Session:
    facts: list[tuple[str, object]] = field(default_factory=list)   # as asserted, in order
    seen: set = field(default_factory=set)
    values: dict[str, list] = field(default_factory=dict)            # name -> values asserted
    opened: list[int] = field(default_factory=list)                  # ruleset indexes
    firings: list[Firing] = field(default_factory=list)             # de-duplicated, in order


class RuleEngine:
    """One KB compiled into durable-rules rulesets; any number of sessions over it."""

    def __init__(self, kb: KnowledgeBase, *, limits: Limits | None = None):
        self._lock = threading.RLock()
        self._prefix = f"triage_{next(_names)}"
        self.limits = limits or Limits()
        self._state: dict[str, _Session] = {}
        self._sessions: set[str] = set()
        self.activations = 0          # ruleset sessions opened, over the engine's life
        self._rulesets: list[_Ruleset] = []
        compiled = _compile_kb(kb)
        self.rule_count = len(compiled)
        plans = _partition(kb, compiled, self.limits)
        try:
            for i, plan in enumerate(plans):
                name = self._prefix if len(plans) == 1 else f"{self._prefix}_{i}"
                self._rulesets.append(_Ruleset(name, [compiled[k] for k in plan.keys],
                                               self._lock, plan.gate, plan.eager))
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
            self.close_session(sid)
            self.open(sid)
            for name, value in facts:
                self.assert_fact(sid, name, value)
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
            if sid not in self._sessions:
                return
            self._sessions.discard(sid)
            state = self._state.pop(sid)
            for i in state.opened:
                self._rulesets[i].close_session(sid)

    def close(self) -> None:
        """Free the C memory: every session's state, then each ruleset itself."""
        with self._lock:
            for sid in list(self._sessions):
                self.close_session(sid)
            for ruleset in self._rulesets:
                ruleset.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _activate(self, sid: str, state: _Session, i: int) -> list[Firing]:
        """Open the session in ruleset i and give it the session's facts it tests so far."""
        ruleset = self._rulesets[i]
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


def _matched(c) -> list[dict]:
    """The facts a firing matched, from durable's closure (m_0, m_1, ... or m)."""
    found = []
    data = getattr(c, "_m", None) or {}
    for key, value in data.items():
        if isinstance(value, dict) and "name" in value and value.get("name") != OPEN_MARKER:
            found.append(value)
    return found


# --- compiling -------------------------------------------------------------------------

def _compile_kb(kb: KnowledgeBase) -> dict[str, _Compiled]:
    """Every entry rule and derived rule as durable rules (one per DNF conjunct), in KB order:
    entries first, then derived rules (durable fires simultaneous activations in definition
    order)."""
    compiled: dict[str, _Compiled] = {}
    try:
        for entry in kb.entries:
            if entry.rule is None:
                continue
            for i, conjunct in enumerate(dnf(entry.rule)):
                key = f"entry:{entry.id}#{i}"
                compiled[key] = _compile_one(key, conjunct, f"entry:{entry.id}", entry.id, None)
        for rule in kb.derived:
            fact = (rule.conclusion.fact, rule.conclusion.value)
            for i, conjunct in enumerate(dnf(rule.condition)):
                key = f"{rule.id}#{i}"
                compiled[key] = _compile_one(key, conjunct, rule.id, f"{fact[0]}={fact[1]}", fact)
    except TooComplex as exc:
        raise RuleEngineError(f"a rule is too complex to compile: {exc}") from exc
    return compiled


def _compile_one(key: str, conjunct, rule: str, conclusion: str, derived) -> _Compiled:
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
    return _Compiled(key, rule, conclusion, derived, patterns, negatives, frozenset(names),
                     tuple(canon), unconditional)


# --- partitioning ----------------------------------------------------------------------

@dataclass
class _Plan:
    keys: list[str]
    gate: Gate | None
    eager: bool


class _Bin:
    """A ruleset being filled: its rules and what they cost against the limits."""

    MARKER = (OPEN_MARKER, repr({"name": OPEN_MARKER}))

    def __init__(self, compiled: dict[str, _Compiled], limits: Limits):
        self.compiled = compiled
        self.limits = limits
        self.gate: Gate | None = None
        self.keys: list[str] = []
        self.keyset: set[str] = set()
        self.shared: Counter = Counter([self.MARKER[1]])       # the session-open rule
        self.names: set[str] = {OPEN_MARKER}
        self.tests: dict[str, set[str]] = defaultdict(set)

    def add(self, keys) -> bool:
        """Add these rules (those not in already) if the bin stays within its limits."""
        new = [k for k in dict.fromkeys(keys) if k not in self.keyset]
        if not new:
            return True
        if len(self.keys) + len(new) + 1 > self.limits.rules:      # + the session-open rule
            return False
        shared: Counter = Counter()
        names: set[str] = set()
        tests: dict[str, set[str]] = defaultdict(set)
        for key in new:
            for fact, canon in self.compiled[key].canon:
                shared[canon] += 1
                names.add(fact)
                tests[fact].add(canon)
        if any(self.shared[c] + n > self.limits.shared for c, n in shared.items()):
            return False
        if len(self.names | names) > self.limits.names:
            return False
        if any(len(self.tests[f] | t) > self.limits.tests_per_name for f, t in tests.items()):
            return False
        self.keys += new
        self.keyset.update(new)
        self.shared.update(shared)
        self.names |= names
        for fact, t in tests.items():
            self.tests[fact] |= t
        return True


def _partition(kb: KnowledgeBase, compiled: dict[str, _Compiled], limits: Limits) -> list[_Plan]:
    """Which compiled rules go into which durable ruleset (see the module docstring)."""
    if len(compiled) < limits.rules and _Bin(compiled, limits).add(list(compiled)):
        return [_Plan(list(compiled), None, True)]      # one ruleset, opened with each session

    derived_keys: dict[str, list[str]] = defaultdict(list)     # fact -> rules concluding it
    for key, c in compiled.items():
        if c.derived is not None:
            derived_keys[c.derived[0]].append(key)
    needs: dict[str, list[str]] = {}

    def needed(fact: str) -> list[str]:
        """The derived rules a test of this fact needs, transitively."""
        if fact not in needs:
            needs[fact] = []                    # a cycle (lint forbids them) stops here
            out: dict[str, None] = {}
            for key in derived_keys.get(fact, ()):
                out[key] = None
                for name in compiled[key].names:
                    out.update(dict.fromkeys(needed(name)))
            needs[fact] = list(out)
        return needs[fact]

    def with_closure(keys: list[str]) -> list[str]:
        out = dict.fromkeys(keys)
        for key in keys:
            for fact in compiled[key].names:
                out.update(dict.fromkeys(needed(fact)))
        return list(out)

    def place(group: list[list[str]]) -> list[_Bin]:
        """Fill rulesets in order, each rule with the derived rules it needs."""
        made = [_Bin(compiled, limits)]

        def put(keys: list[str]) -> bool:
            if made[-1].add(with_closure(keys)):
                return True
            fresh = _Bin(compiled, limits)
            if not fresh.add(with_closure(keys)):
                return False
            made.append(fresh)
            return True

        for keys in group:
            if put(keys):
                continue
            for key in keys:    # too big for one ruleset: each conjunct is a rule of its own
                if not put([key]):
                    raise RuleEngineError(f"{key} and the derived rules it needs do not fit "
                                          f"in one durable ruleset ({limits})")
        return [b for b in made if b.keys]

    # entries are grouped by their most widely shared top-level test of a base fact (the
    # product), a group too big for one ruleset by its next one (the product's symptom)
    entries = [e for e in kb.entries if e.rule is not None]
    popularity: Counter = Counter()
    tops: dict[str, list[Atom]] = {}
    for entry in entries:
        tops[entry.id] = [a for a in required_atoms(entry.rule) if a.fact not in derived_keys]
        popularity.update({a.fact for a in tops[entry.id]})
    groups: dict[tuple | None, dict[tuple | None, list]] = defaultdict(lambda: defaultdict(list))
    for entry in entries:
        keys = _entry_keys(entry.id, compiled)
        atoms = sorted(tops[entry.id], key=lambda a: -popularity[a.fact])
        first, second = [(a.fact, tuple(sorted(a.values))) for a in atoms[:2]] + \
            [None] * (2 - min(len(atoms), 2))
        # then entries with the same other tests, then testing the same facts, stay together
        rest = tuple((a.fact, tuple(sorted(a.values))) for a in atoms[2:])
        tested = tuple(sorted(frozenset().union(*(compiled[k].names for k in keys))))
        groups[first][second].append(((rest, tested), keys))

    def units(subgroups) -> list[list[str]]:
        return [keys for _, keys in sorted((u for g in subgroups for u in g),
                                           key=lambda u: u[0])]

    bins: list[_Bin] = []
    small: dict[str, list[_Bin]] = defaultdict(list)
    for first, subgroups in groups.items():
        if first is None:
            bins += place(units(subgroups.values()))
            continue
        made = place(units(subgroups.values()))
        if len(made) > 1:      # too big: one part per second test, small parts merged again
            made = _merge([b for key in sorted(subgroups, key=repr)
                           for b in place(units([subgroups[key]]))], limits)
        for b in made:
            (small[first[0]] if len(b.keys) < limits.small else bins).append(b)
    for made in small.values():     # small groups on one gate fact share rulesets
        bins += _merge(made, limits)

    for b in bins:
        b.gate = _gate([compiled[k].conclusion for k in b.keys
                        if compiled[k].derived is None], tops)

    # every derived rule also lives in an ungated ruleset, so it fires whatever the gates
    homed = {k for b in bins if b.gate is None for k in b.keys}
    leftover = [k for k in compiled if compiled[k].derived is not None and k not in homed]
    if leftover:
        bins += place([[k] for k in leftover])

    order = {key: i for i, key in enumerate(compiled)}
    plans = []
    for b in bins:
        keys = sorted(b.keys, key=order.__getitem__)     # definition order, as in the KB
        eager = b.gate is None and any(compiled[k].unconditional for k in keys)
        plans.append(_Plan(keys, b.gate, eager))
    return plans


def _merge(made: list[_Bin], limits: Limits) -> list[_Bin]:
    """Consecutive small rulesets joined while the result stays small enough."""
    merged: list[_Bin] = []
    for b in made:
        if merged and len(merged[-1].keys) + len(b.keys) < limits.merge \
                and merged[-1].add(b.keys):
            continue
        merged.append(b)
    return merged


def _gate(entry_ids: list[str], tops: dict[str, list[Atom]]) -> Gate | None:
    """The tests every one of these entries requires, each fact with the union of the values
    they require (none: the ruleset is opened by any fact it tests)."""
    if not entry_ids:
        return None
    common: dict[str, set] | None = None
    for entry_id in dict.fromkeys(entry_ids):
        atoms: dict[str, set] = {}
        for atom in tops[entry_id]:
            atoms.setdefault(atom.fact, set(atom.values))
        if common is None:
            common = atoms
        else:
            common = {f: common[f] | atoms[f] for f in common if f in atoms}
        if not common:
            return None
    return Gate(tuple((f, frozenset(v)) for f, v in sorted(common.items())))


def _entry_keys(entry_id: str, compiled: dict[str, _Compiled]) -> list[str]:
    out = []
    for i in itertools.count():
        key = f"entry:{entry_id}#{i}"
        if key not in compiled:
            return out
        out.append(key)
