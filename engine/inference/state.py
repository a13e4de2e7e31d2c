"""What one interview has been told, and the views of it that rules are evaluated on.

`SessionState` holds the ticket text and the facts read from it, the evidence items and the
answers. Every change goes through its methods, which bump `version`; the views built from a
version (the fact values, the lenient and strict three-valued views, the gate look-ups) are
kept in a `_Views` until the next change.

Two views, both three-valued (`engine.inference.truth`):
- **lenient**: a fact is open while an unasked question could set it, or while only evidence
  can set it and no question about it was answered (a log may still show it): for ranking;
- **strict**: a fact only evidence can set is closed (closed world, as durable-rules sees it):
  for deciding what to ask and whether a rule is settled.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from engine.evidence.scanner import EvidenceReport
from engine.inference.answers import UNKNOWN
from engine.inference.compiled import CompiledKB, Gates
from engine.inference.facts import Fact, Source
from engine.inference.truth import FactView, Truth, atom_truth, evaluate
from engine.probes import ProbeResult


@dataclass
class EvidenceItem:
    name: str
    report: EvidenceReport
    facts: list[Fact] = field(default_factory=list)


@dataclass
class ProbeItem:
    """A probe run during the interview and the facts it gave."""

    result: ProbeResult
    facts: list[Fact] = field(default_factory=list)


@dataclass
class _Views:
    """Views of one version of the state."""

    version: int
    values: dict[str, frozenset[str]] | None = None
    kept: dict[tuple[bool, bool], FactView] = field(default_factory=dict)  # (strict, certain)
    closed: FactView | None = None
    gated: dict[tuple[bool, int], tuple[frozenset[str], list[tuple[str, ...]]]] = \
        field(default_factory=dict)


class SessionState:
    def __init__(self, compiled: CompiledKB):
        self.compiled = compiled
        self.text = ""
        self.text_facts: list[Fact] = []
        self.evidence: list[EvidenceItem] = []
        self.answers: dict[str, str] = {}          # question id -> value, or "unknown"
        self.probes: list[ProbeItem] = []
        self.version = 0
        self._views = _Views(-1)

    # --- changes -----------------------------------------------------------------------

    def set_text(self, text: str, facts: list[Fact]) -> None:
        self.text, self.text_facts = text, facts
        self.version += 1

    def add_evidence(self, report: EvidenceReport, facts: list[Fact]) -> EvidenceItem:
        """Add a scanned piece of evidence under a name not yet taken (`log (2)`)."""
        taken = {item.name for item in self.evidence}
        name = report.source
        if name in taken:
            name = next(f"{report.source} ({i})" for i in itertools.count(2)
                        if f"{report.source} ({i})" not in taken)
        item = EvidenceItem(name, report, [_renamed(f, name) for f in facts])
        self.evidence.append(item)
        self.version += 1
        return item

    def add_probe(self, result: ProbeResult, facts: list[Fact]) -> ProbeItem:
        item = ProbeItem(result, facts)
        self.probes.append(item)
        self.version += 1
        return item

    def set_answer(self, question_id: str, value: str) -> str | None:
        """Record an answer; the previous one (None if none)."""
        previous = self.answers.get(question_id)
        self.answers[question_id] = value
        self.version += 1
        return previous

    def drop_answer(self, question_id: str) -> bool:
        if self.answers.pop(question_id, None) is None:
            return False
        self.version += 1
        return True

    def empty(self) -> bool:
        """No fact given and no question answered: the state every session starts from."""
        return not (self.answers or self.evidence or self.text_facts or self.probes)

    # --- facts -------------------------------------------------------------------------

    def base_facts(self) -> list[Fact]:
        """Facts given to the session: from the ticket, evidence and answers (not derived).
        An answer outranks what the ticket said about the same fact (its words, or an error
        string pasted into it): the person asked the caller."""
        answered = {self.compiled.questions[qid].fact for qid in self.answers}
        facts = [f for f in self.text_facts if f.name not in answered]
        facts += [f for item in self.probes for f in item.facts if f.name not in answered]
        for item in self.evidence:
            facts.extend(item.facts)
        for qid, value in self.answers.items():
            if value != UNKNOWN:
                question = self.compiled.questions[qid]
                facts.append(Fact(question.fact, value, Source("answer", qid)))
        return facts

    def doubted(self) -> list[str]:
        """The questions the caller answered "unknown", in the order answered."""
        return [qid for qid, value in self.answers.items() if value == UNKNOWN]

    def answered_facts(self) -> set[str]:
        """Facts a caller's answer (not "unknown") has set."""
        return {self.compiled.questions[qid].fact for qid, value in self.answers.items()
                if value != UNKNOWN}

    def _current(self) -> _Views:
        if self._views.version != self.version:
            self._views = _Views(self.version)
        return self._views

    def values(self) -> dict[str, frozenset[str]]:
        views = self._current()
        if views.values is None:
            values: dict[str, set[str]] = {}
            for fact in self.base_facts():
                values.setdefault(fact.name, set()).add(fact.value)
            views.values = {name: frozenset(v) for name, v in values.items()}
        return dict(views.values)

    def view(self, strict: bool = False, overlay: dict[str, str] | None = None,
             certain: bool = False) -> FactView:
        """The facts for three-valued evaluation (see the module docstring). `overlay`
        pretends questions were answered (planning's what-if views, never kept). With
        `certain`, a fact whose only question was answered "unknown" stays open, so a condition
        on it, one that would rule a diagnosis out included, is not settled: the caller did not
        know, so nobody has checked it."""
        views = self._current()
        values = self.values()
        if not overlay:
            kept = views.kept.get((strict, certain))
            if kept is not None:
                return kept
        compiled = self.compiled
        answered = set(self.answers)
        doubted = set(self.doubted())
        for qid, value in (overlay or {}).items():
            answered.add(qid)
            doubted.discard(qid)
            if value != UNKNOWN:
                values[compiled.questions[qid].fact] = frozenset({value})
            else:
                doubted.add(qid)
        if certain:
            # "don't know" whether the fix was already made: taken as its `if unknown` answer
            # (making it again is harmless), so it does not keep a rule from being settled
            for qid in list(doubted):
                question = compiled.questions.get(qid)
                if question is not None and question.if_unknown:
                    doubted.discard(qid)
                    values.setdefault(question.fact, frozenset({question.if_unknown}))
        cache: dict[str, bool] = {}

        def base_open(name: str, view: FactView) -> bool:
            if name in cache:
                return cache[name]
            cache[name] = False                 # a question whose ask-when depends on itself
            if values.get(name):
                return False
            asking = compiled.questions_by_fact.get(name, ())
            result = any(q.id not in answered and
                         (q.ask_when is None or evaluate(q.ask_when, view) is not Truth.FALSE)
                         for q in asking)
            if not result and certain:
                result = any(q.id in doubted for q in asking)
            if not result and not strict and name in compiled.signature_facts:
                result = not any(q.id in answered for q in asking)
            cache[name] = result
            return result

        view = compiled.derived.view(values, base_open)
        if not overlay:
            views.kept[(strict, certain)] = view
        return view

    def closed_view(self) -> FactView:
        """The facts as durable-rules sees them: what nobody has said is not so. An ask-when
        holds in it when its positive tests are known true and none of its `not:` tests is
        ("ask when product is uccx, unless the agents' trouble is something else")."""
        views = self._current()
        view = views.closed
        if view is None:
            view = views.closed = self.compiled.derived.view(self.values(),
                                                             lambda name, view: False)
        return view

    def gated(self, gates: Gates, strict: bool = False
              ) -> tuple[frozenset[str], list[tuple[str, ...]]]:
        """The ids in `gates` (CompiledKB.gates, .question_gates) whose rule or ask-when
        requires a value of a fact (`product is tmsxe`) that the fact does not have, so it is
        false: one test per group instead of one evaluation each. Also the groups they come
        from (ids in KB order)."""
        views = self._current()
        key = (strict, id(gates))
        if key not in views.gated:
            view = self.view(strict)
            found: list[tuple[str, ...]] = []
            names = itertools.chain(self.values(), self.compiled.derived.by_fact)
            for fact in dict.fromkeys(f for f in names if f in gates):
                if not view.of(fact):
                    continue                     # no value yet: nothing is settled
                found += [ids for atom, ids in gates[fact]
                          if atom_truth(atom, view) is Truth.FALSE]
            views.gated[key] = (frozenset(itertools.chain.from_iterable(found)), found)
        return views.gated[key]

    def signature_hits(self) -> set[str]:
        """Signatures that matched in the evidence or the ticket text."""
        hits = {hit.signature for item in self.evidence for hit in item.report.hits}
        return hits | {f.source.signature for f in self.text_facts if f.source.signature}

    def captures(self, entry_id: str | None = None) -> dict[str, str]:
        """Values captured from evidence (server, mailbox, ...): those from signatures the
        entry cites first, then any other, the most frequent value of each name."""
        counts: dict[str, dict[str, tuple[int, int]]] = {}
        cited_by = self.compiled.cited
        for item in self.evidence:
            for hit in item.report.hits:
                cited = 1 if entry_id and entry_id in cited_by.get(hit.signature, ()) else 0
                for name, value in hit.captures:
                    if not value:
                        continue
                    prior = counts.setdefault(name, {}).get(value, (0, 0))
                    counts[name][value] = (max(prior[0], cited), prior[1] + 1)
        return {name: max(options.items(), key=lambda kv: kv[1])[0]
                for name, options in counts.items()}


def _renamed(fact: Fact, name: str) -> Fact:
    """The fact with its evidence source under the item's final name."""
    if fact.source.ref == name:
        return fact
    source = Source(fact.source.kind, name, fact.source.line_no, fact.source.line,
                    fact.source.signature, fact.source.facts)
    return Fact(fact.name, fact.value, source, fact.captures)
