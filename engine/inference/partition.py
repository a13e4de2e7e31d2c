"""Splitting a big KB across durable rulesets, within durable-rules' limits.

durable-rules refuses or hangs on big rulesets (see `engine.inference.rules`), so a KB that does
not fit `Limits` is partitioned: entries grouped by the most widely shared base fact their rules
require (`product is tmsxe`), a group too big split by the next one (`tmsxe.symptom is ...`),
small parts merged again; each ruleset carries the derived rules its entries need, transitively,
and gets a `Gate`: the tests every one of its entries requires.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Mapping

from engine.inference.compile import OPEN_MARKER, CompiledRule, RuleEngineError
from engine.inference.dnf import _same
from engine.kb.models import Atom, KnowledgeBase, required_atoms


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


@dataclass
class Plan:
    keys: list[str]
    gate: Gate | None
    eager: bool


class Bin:
    """A ruleset being filled: its rules and what they cost against the limits."""

    MARKER = (OPEN_MARKER, repr({"name": OPEN_MARKER}))

    def __init__(self, compiled: dict[str, CompiledRule], limits: Limits):
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


def partition(kb: KnowledgeBase, compiled: dict[str, CompiledRule], limits: Limits) -> list[Plan]:
    """Which compiled rules go into which durable ruleset (see the module docstring)."""
    if len(compiled) < limits.rules and Bin(compiled, limits).add(list(compiled)):
        return [Plan(list(compiled), None, True)]      # one ruleset, opened with each session

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

    def place(group: list[list[str]]) -> list[Bin]:
        """Fill rulesets in order, each rule with the derived rules it needs."""
        made = [Bin(compiled, limits)]

        def put(keys: list[str]) -> bool:
            if made[-1].add(with_closure(keys)):
                return True
            fresh = Bin(compiled, limits)
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
        keys = entry_keys(entry.id, compiled)
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

    bins: list[Bin] = []
    small: dict[str, list[Bin]] = defaultdict(list)
    for first, subgroups in groups.items():
        if first is None:
            bins += place(units(subgroups.values()))
            continue
        made = place(units(subgroups.values()))
        if len(made) > 1:      # too big: one part per second test, small parts merged again
            made = merge_small([b for key in sorted(subgroups, key=repr)
                           for b in place(units([subgroups[key]]))], limits)
        for b in made:
            (small[first[0]] if len(b.keys) < limits.small else bins).append(b)
    for made in small.values():     # small groups on one gate fact share rulesets
        bins += merge_small(made, limits)

    for b in bins:
        b.gate = ruleset_gate([compiled[k].conclusion for k in b.keys
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
        plans.append(Plan(keys, b.gate, eager))
    return plans


def merge_small(made: list[Bin], limits: Limits) -> list[Bin]:
    """Consecutive small rulesets joined while the result stays small enough."""
    merged: list[Bin] = []
    for b in made:
        if merged and len(merged[-1].keys) + len(b.keys) < limits.merge \
                and merged[-1].add(b.keys):
            continue
        merged.append(b)
    return merged


def ruleset_gate(entry_ids: list[str], tops: dict[str, list[Atom]]) -> Gate | None:
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


def entry_keys(entry_id: str, compiled: dict[str, CompiledRule]) -> list[str]:
    out = []
    for i in itertools.count():
        key = f"entry:{entry_id}#{i}"
        if key not in compiled:
            return out
        out.append(key)
