"""A loaded KB made ready for interviews: compiled rules, signatures, text matching, and the
indexes inference needs (which questions set a fact, which entries a fact can change)."""

from __future__ import annotations

import gc
import itertools
from collections import defaultdict

from engine.evidence.scanner import Scanner
from engine.inference.derived import DerivedFacts
from engine.inference.rules import RuleEngine
from engine.inference.truth import condition_facts, prepare_all
from engine.kb.models import (PRODUCT, Atom, Condition, Entry, KnowledgeBase, Question,
                              required_atoms)
from engine.kb.rulelang import atoms
from engine.text.lexicon import Lexicon
from engine.text.reading import TicketReader
from engine.text.similarity import TextMatcher

CONTEXT = frozenset({PRODUCT})          # facts that say which system, not which problem


class CompiledKB:
    """Everything an interview needs from a KB, built once per loaded KB and shared by all
    its sessions. `close()` frees the durable-rules memory."""

    def __init__(self, kb: KnowledgeBase, text: TextMatcher | None = None,
                 reader: TicketReader | None = None):
        """`text`, `reader`: the KB's text matcher and ticket reader when they are already
        made (engine.inference.cached reads them from the cache)."""
        enabled = gc.isenabled()
        gc.disable()        # a build allocates only what it keeps: collecting finds nothing
        try:                # (and took 3 of 15 s building a 10,000-entry KB)
            self._build(kb, text, reader)
        finally:
            if enabled:
                gc.enable()
        # Everything built so far lives as long as the KB: the garbage collector need not
        # look at it again. A 10,000-entry KB is over a million objects, and each full
        # collection of them took ~300 ms, landing in the middle of some answer. close()
        # gives them back to the collector.
        gc.freeze()

    def _build(self, kb: KnowledgeBase, text: TextMatcher | None,
               reader: TicketReader | None) -> None:
        self.kb = kb
        self.entries: dict[str, Entry] = {e.id: e for e in kb.entries}
        # (id, title, kind, rule, whether meeting the rule counts for it: not for a procedure
        # whose rule is only its `## Applies to`) of every entry, in KB order: plain tuples
        # for the loops that visit every entry on each answer (pydantic reads are slower)
        self.entry_rows = [(e.id, e.title, e.kind, e.rule,
                            e.kind != "procedure" or e.written_rule is not None)
                           for e in kb.entries]
        self.entry_index = {e.id: i for i, e in enumerate(kb.entries)}
        self.entry_ids = frozenset(self.entry_index)
        self.questions: dict[str, Question] = {q.id: q for q in kb.questions}
        self.question_order = {q.id: i for i, q in enumerate(kb.questions)}
        self.questions_by_fact: dict[str, list[Question]] = defaultdict(list)
        for question in kb.questions:
            self.questions_by_fact[question.fact].append(question)
        # what a ticket is about: its product, and for it what is wrong (a choice asked as
        # soon as one product is known: `exchange.symptom`, `client.protocol`)
        # a topic is asked about one product only: its answer names the product too
        self.topic_product = {q.fact: q.ask_when.values[0] for q in kb.questions if _topic(q)}
        self.topics = frozenset({PRODUCT} | self.topic_product.keys())
        self.signature_facts: set[str] = {s.fact for sig in kb.signatures for s in sig.sets}
        self.derived = DerivedFacts(kb.derived)
        self.scanner = Scanner(kb.signatures)
        self.lexicon = text.lexicon if text is not None else Lexicon.of(kb)
        self.text = text if text is not None else TextMatcher(kb, self.lexicon)
        self.reader = reader if reader is not None else TicketReader(kb, self.lexicon)
        self.rules = RuleEngine(kb)
        # a signature cited by an entry, that says more than which product it is about
        self.cited: dict[str, set[str]] = defaultdict(set)
        for entry in kb.entries:
            for ref in entry.evidence:
                self.cited[ref.signature].add(entry.id)
        self.specific = {sig.id for sig in kb.signatures
                         if any(s.fact != PRODUCT for s in sig.sets)}
        same: dict[frozenset, frozenset] = {}          # equal sets of facts: one object
        self.entry_deps: dict[str, frozenset[str]] = {}
        for entry in kb.entries:
            facts = frozenset(self.depends_on(entry.rule))
            self.entry_deps[entry.id] = same.setdefault(facts, facts)
        self.dependents: dict[str, set[str]] = defaultdict(set)
        for entry_id, facts in self.entry_deps.items():
            for fact in facts:
                self.dependents[fact].add(entry_id)
        self.number_points = _number_points(kb)
        # the tests of entries' rules that only name the product they are about: each test
        # once, with the entries that require it (an entry once per time it does)
        context: dict[tuple, tuple[Atom, list[str]]] = {}
        for entry in kb.entries:
            for atom in required_atoms(entry.rule):
                if atom.fact in CONTEXT:
                    shape = (atom.fact, atom.op, atom.values, atom.number)
                    context.setdefault(shape, (atom, []))[1].append(entry.id)
        self.context_groups = [(atom, tuple(ids)) for atom, ids in context.values()]
        # each entry's support when nothing is known yet: the same for every session (filled
        # by the first sessions, see engine.inference.supports)
        self.initial_support: dict[str, object] = {}
        # entries and questions whose rule / ask-when requires a value of a fact (`product is
        # tmsxe`): once the fact has values none of which passes, they are all false at once
        self.gates = _gates({e.id: e.rule for e in kb.entries})
        # the products each entry's rule requires (`product is imp`), or else those its
        # questions are asked about (`exchange.version is 2010`: exchange, client, uccx)
        asked_for = {q.fact: _named_products(q.ask_when)
                     for q in kb.questions if q.ask_when is not None}
        self.entry_products = {e.id: _products(e.rule, asked_for) for e in kb.entries}
        # fact -> entry -> the numbers of the entry's groups in gates[fact] (planning asks
        # whether an answer closes one of a few candidates, not which entries it closes)
        self.gate_numbers: dict[str, dict[str, tuple[int, ...]]] = {}
        shared: dict[tuple, tuple] = {}
        for fact, groups in self.gates.items():
            numbers: dict[str, list[int]] = defaultdict(list)
            for number, (_, ids) in enumerate(groups):
                for entry_id in ids:
                    numbers[entry_id].append(number)
            self.gate_numbers[fact] = {e: shared.setdefault(tuple(n), tuple(n))
                                       for e, n in numbers.items()}
        self.closing: dict[tuple[str, str], frozenset[int]] = {}    # see planner._closed_by
        self.question_gates = _gates({q.id: q.ask_when for q in kb.questions})
        # compiled once now, not during the first answers (conditions of one shape share)
        prepare_all(itertools.chain((e.rule for e in kb.entries),
                                    (q.ask_when for q in kb.questions),
                                    (r.condition for r in kb.derived)))

    def depends_on(self, condition: Condition | None) -> set[str]:
        """Every fact whose value or openness can change the condition's truth: the facts it
        tests, the inputs of derived facts among them, and what decides whether the questions
        for those facts are asked."""
        todo = list(condition_facts(condition))
        seen: set[str] = set()
        while todo:
            fact = todo.pop()
            if fact in seen:
                continue
            seen.add(fact)
            todo.extend(self.derived.inputs(fact) - {fact})
            for question in self.questions_by_fact.get(fact, ()):
                todo.extend(condition_facts(question.ask_when))
        return seen

    def close(self) -> None:
        self.rules.close()
        gc.unfreeze()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


Gates = dict[str, list[tuple[Atom, tuple[str, ...]]]]


def _topic(question: Question) -> bool:
    """A choice asked as soon as one product is known: what is wrong with it."""
    when = question.ask_when
    return (question.type == "choice" and isinstance(when, Atom) and when.fact == PRODUCT
            and when.op == "is" and len(when.values) == 1)


def _gates(conditions: dict[str, Condition | None]) -> Gates:
    """fact -> [(a top-level `is` / `one of` test that several conditions require, their ids
    in order)]."""
    groups: dict[tuple, tuple[Atom, list[str]]] = {}
    for key, condition in conditions.items():
        for atom in required_atoms(condition):
            groups.setdefault((atom.fact, atom.op, atom.values), (atom, []))[1].append(key)
    gates: Gates = defaultdict(list)
    for atom, ids in groups.values():     # the first condition's test stands for them all
        if len(ids) > 1:
            gates[atom.fact].append((atom, tuple(ids)))
    return dict(gates)


def _number_points(kb: KnowledgeBase) -> dict[str, list[str]]:
    """For number questions: one representative answer per interval between the limits the
    rules use (`more than 2000` gives 2000 and 2001), so planning can split on them."""
    limits: dict[str, set[float]] = defaultdict(set)

    def walk(condition: Condition | None) -> None:
        if condition is None:
            return
        if isinstance(condition, Atom):
            if condition.number is not None:
                limits[condition.fact].add(condition.number)
            return
        for item in condition.items:
            walk(item)

    for entry in kb.entries:
        walk(entry.rule)
    for rule in kb.derived:
        walk(rule.condition)
    points: dict[str, list[str]] = {}
    for fact, values in limits.items():
        ordered = sorted(values)
        chosen = [ordered[0] - 1] + [v for v in ordered]
        chosen += [(a + b) / 2 for a, b in zip(ordered, ordered[1:])] + [ordered[-1] + 1]
        points[fact] = [f"{v:g}" for v in sorted(set(chosen))]
    return points


def _named_products(condition) -> frozenset[str]:
    """The products a condition requires by name (`product is imp`)."""
    return frozenset(v for a in required_atoms(condition) if a.fact == PRODUCT for v in a.values)


def _products(rule, asked_for: dict[str, frozenset[str]]) -> frozenset[str]:
    """The products a rule requires by name, or else those the facts it tests are asked
    about (a procedure's `not: exchange.version is 2003`)."""
    named = _named_products(rule)
    if named or rule is None:
        return named
    return frozenset().union(*(asked_for.get(a.fact, frozenset()) for a in atoms(rule)))
