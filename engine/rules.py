"""durable-rules behind one small class: a compiled KB and its sessions (working memories).

Every quirk of durable-rules 2.0.28 we rely on is contained here and pinned by
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
- a ruleset name can be registered once per Host: each engine has its own Host and name;
- the C core has global state and no locks: one lock per engine around every call;
- C memory is freed on `close()`: every session's state, then the ruleset handle.
"""

from __future__ import annotations

import itertools
import logging
import threading
from dataclasses import dataclass

import durable.engine
import durable_rules_engine
from durable.engine import MessageNotHandledException, MessageObservedException

from engine.dnf import TooComplex, dnf, durable_rule, pattern_matches
from engine.models import KnowledgeBase

log = logging.getLogger("engine.rules")

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


class RuleEngine:
    """One KB compiled into a durable-rules ruleset; any number of sessions over it."""

    def __init__(self, kb: KnowledgeBase):
        self._lock = threading.RLock()
        self._name = f"triage_{next(_names)}"
        self._host = _QuietHost()
        self._firings: dict[str, list[Firing]] = {}
        self._errors: dict[str, list[BaseException]] = {}
        self._sessions: set[str] = set()
        self._negatives: dict[str, list[dict]] = {}
        self.rule_count = 0
        rules: dict[str, dict] = {
            "__session_open__": {"all": [{"m": {"name": OPEN_MARKER}}], "run": self._noop},
        }
        try:
            for entry in kb.entries:
                if entry.rule is None:
                    continue
                for i, conjunct in enumerate(dnf(entry.rule)):
                    key = f"entry:{entry.id}#{i}"
                    rules[key] = self._compile(key, conjunct, f"entry:{entry.id}", entry.id, None)
            for rule in kb.derived:
                fact = (rule.conclusion.fact, rule.conclusion.value)
                for i, conjunct in enumerate(dnf(rule.condition)):
                    key = f"{rule.id}#{i}"
                    rules[key] = self._compile(key, conjunct, rule.id, f"{fact[0]}={fact[1]}", fact)
        except TooComplex as exc:
            raise RuleEngineError(f"a rule is too complex to compile: {exc}") from exc
        self.rule_count = len(rules) - 1
        try:
            with self._lock:
                self._host.register_rulesets({self._name: rules})
        except Exception as exc:  # the C core refuses with a bare error code
            raise RuleEngineError(f"durable-rules could not compile the KB's "
                                  f"{self.rule_count} rules: {exc}") from exc
        self._ruleset = self._host.get_ruleset(self._name)

    # --- actions ---------------------------------------------------------------------

    def _noop(self, c) -> None:
        return None

    def _compile(self, key: str, conjunct, rule: str, conclusion: str, derived) -> dict:
        compiled = durable_rule(conjunct, self._action(key, rule, conclusion, derived))
        self._negatives[key] = [next(iter(p.values())) for p in compiled["all"]
                                if next(iter(p)).endswith("$not")]
        return compiled

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

    def open(self, sid: str) -> None:
        """Start a working memory. The marker makes an action run, so deleting it is safe."""
        with self._lock:
            if sid in self._sessions:
                return
            self._sessions.add(sid)
            self._call(sid, self._host.assert_fact, {"sid": sid, "name": OPEN_MARKER, "value": 1})

    def assert_fact(self, sid: str, name: str, value) -> list[Firing]:
        """Add a fact; return the rules that fired because of it (derived facts chain).
        Firings the new fact contradicts (through a negated pattern) are withdrawn."""
        with self._lock:
            before = len(self._firings.get(sid, []))
            self._call(sid, self._host.assert_fact, {"sid": sid, "name": name, "value": value})
            new = self._firings.get(sid, [])[before:]
            self._withdraw_contradicted(sid, name, value)
            current = self._firings.get(sid, [])
            return [f for f in new if f in current]

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
        """The rules that fired and still hold."""
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
        """The facts durable holds for the session (without the marker)."""
        with self._lock:
            return [f for f in self._host.get_facts(self._name, sid) if f.get("name") != OPEN_MARKER]

    def close_session(self, sid: str) -> None:
        with self._lock:
            if sid not in self._sessions:
                return
            self._sessions.discard(sid)
            self._firings.pop(sid, None)
            self._errors.pop(sid, None)
            self._host.delete_state(self._name, sid)

    def close(self) -> None:
        """Free the C memory: every session's state, then the ruleset itself."""
        with self._lock:
            for sid in list(self._sessions):
                self.close_session(sid)
            handle = getattr(self._ruleset, "_handle", None)
            if handle is not None:
                durable_rules_engine.delete_ruleset(handle)
                self._ruleset._handle = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _call(self, sid: str, method, fact: dict) -> None:
        try:
            method(self._name, fact)
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
