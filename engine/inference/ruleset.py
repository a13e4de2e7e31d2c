"""One durable-rules ruleset and its sessions, every quirk of durable-rules contained.

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

import threading
from collections import Counter
from dataclasses import dataclass

import durable.engine
import durable_rules_engine
from durable.engine import MessageNotHandledException, MessageObservedException

from engine.evidence.redact import redacting_logger
from engine.inference.compile import OPEN_MARKER, CompiledRule, RuleEngineError
from engine.inference.dnf import pattern_matches
from engine.inference.partition import Bin, Gate

log = redacting_logger("engine.inference.rules")


class QuietHost(durable.engine.Host):
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
class RulesetInfo:
    """What the partition made of one durable ruleset (for tests, benchmarks and logs)."""

    name: str
    rules: int                 # compiled rules in it, derived copies included
    entries: int               # entry rules in it
    gate: Gate | None
    eager: bool                # opened with every session
    names: int                 # distinct fact names tested (the session marker included)
    shared: int                # most rules ending on one identical pattern (session rule too)


class Ruleset:
    """One durable-rules ruleset with its own Host and name, and its sessions: firings,
    negated patterns and truth maintenance per session (what RuleEngine was before it was
    partitioned).

    durable's part (the Host and the C ruleset, ~10 KB per rule) is built when a session first
    opens in it, unless `build` asks for it now, and `release()` frees it while no session
    uses it; it is built again from the compiled rules when one opens."""

    def __init__(self, name: str, compiled: list[CompiledRule], lock: threading.RLock,
                 gate: Gate | None = None, eager: bool = True, build: bool = True):
        self._lock = lock
        self.name = name
        self.gate = gate
        self.eager = eager
        self._compiled = compiled
        self._host: QuietHost | None = None
        self._ruleset = None                  # durable's Ruleset, while built
        self.builds = 0                       # times durable compiled it
        self._firings: dict[str, list[Firing]] = {}
        self._errors: dict[str, list[BaseException]] = {}
        self._sessions: set[str] = set()
        self._negatives: dict[str, tuple[dict, ...]] = {c.key: c.negatives for c in compiled}
        self.names: frozenset[str] = frozenset().union(*(c.names for c in compiled))
        self.rule_count = len(compiled)
        self.entry_count = sum(1 for c in compiled if c.derived is None)
        shared = Counter(canon for c in compiled for _, canon in c.canon)
        shared[Bin.MARKER[1]] += 1                      # the session-open rule
        self.shared = max(shared.values())
        if build:
            self.build()

    @property
    def built(self) -> bool:
        return self._ruleset is not None

    def build(self) -> None:
        """Compile the ruleset in durable-rules (a fresh Host), if it is not built."""
        with self._lock:
            if self._ruleset is not None:
                return
            rules: dict[str, dict] = {
                "__session_open__": {"all": [{"m": {"name": OPEN_MARKER}}], "run": self._noop},
            }
            for c in self._compiled:
                rules[c.key] = {"all": c.patterns,   # durable pops "run" only: a fresh dict
                                "run": self._action(c.key, c.rule, c.conclusion, c.derived)}
            host = QuietHost()
            try:
                host.register_rulesets({self.name: rules})
            except Exception as exc:  # the C core refuses with a bare error code
                raise RuleEngineError(f"durable-rules could not compile a ruleset of "
                                      f"{self.rule_count} rules: {exc}") from exc
            self._host, self._ruleset = host, host.get_ruleset(self.name)
            # durable keeps the definition only to give it back (get_definition, which we do
            # not use): thousands of dicts the garbage collector would go through each time
            self._ruleset._definition = None
            self.builds += 1

    def release(self) -> bool:
        """Free durable's ruleset (its C memory) if no session is open in it; True if it was
        built and is freed now."""
        with self._lock:
            if self._sessions or self._ruleset is None:
                return False
            handle = getattr(self._ruleset, "_handle", None)
            if handle is not None:
                durable_rules_engine.delete_ruleset(handle)
                self._ruleset._handle = None
            self._host = self._ruleset = None
            return True

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

    @property
    def in_use(self) -> bool:
        """Some session is open in it."""
        return bool(self._sessions)

    def open(self, sid: str) -> None:
        """Start a working memory. The marker makes an action run, so deleting it is safe."""
        with self._lock:
            if sid in self._sessions:
                return
            self.build()
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
            self.release()

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


def _matched(c) -> list[dict]:
    """The facts a firing matched, from durable's closure (m_0, m_1, ... or m)."""
    found = []
    data = getattr(c, "_m", None) or {}
    for key, value in data.items():
        if isinstance(value, dict) and "name" in value and value.get("name") != OPEN_MARKER:
            found.append(value)
    return found
