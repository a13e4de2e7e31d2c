"""One diagnosis session (an interview): ticket text, evidence and answers in; the differential,
the next question and the explanations out. This is the API the CLI and the TUI drive.

    with Knowledge(kb) as knowledge:
        session = Interview(knowledge)
        session.set_text("Jabber shows me available all day although I'm in meetings")
        session.add_evidence_file("cup.log")
        session.answer("product", "imp")
        session.differential().verdict, session.next_questions()

Facts have sources (engine.inference.facts). Answers are single-valued and can be changed or taken
back; durable-rules cannot un-fire a rule, so a change replays the session's facts.
"""

from __future__ import annotations

import difflib
import itertools
import os
from dataclasses import dataclass, field
from typing import Callable

from engine.inference import explain
from engine.inference.differential import Candidate, Differential, asks_how, rank
from engine.evidence.scanner import EvidenceReport
from engine.inference.compiled import Knowledge
from engine.kb.models import Condition, Question
from engine.kb.patterns import fill
from engine.inference.planner import Suggestion, plan
from engine.inference.facts import Fact, Source
from engine.kb.rulelang import atoms
from engine.inference.rules import Firing
from engine.inference.truth import FactView, Support, Truth, atom_truth, evaluate, support

UNKNOWN = "unknown"
_CONTRADICTED = "its conditions contradict the facts"
_FALSE = Support(Truth.FALSE, 0, 1)      # a false rule whose met/needed nobody reads
_sessions = itertools.count(1)


class AnswerError(ValueError):
    """An answer the KB cannot take: unknown question, or a value outside its choices."""


@dataclass
class EvidenceItem:
    name: str
    report: EvidenceReport
    facts: list[Fact] = field(default_factory=list)


class Interview:
    def __init__(self, knowledge: Knowledge):
        self.k = knowledge
        self.sid = f"s{next(_sessions)}"
        self.text = ""
        self.answers: dict[str, str] = {}          # question id -> value, or "unknown"
        self.evidence: list[EvidenceItem] = []
        self.text_facts: list[Fact] = []
        self.ruled_out: set[str] = set()
        self._text_scores: dict = {}
        self._howto = False
        self._cache: dict[str, Support] = {}
        # supports of the state with no facts are the same for every session: kept once in
        # Knowledge.initial_support, and used for each entry until a fact it depends on
        # comes (then its id is in _stale); None when the session no longer starts afresh
        self._stale: set[str] | None = set()
        self._views: dict = {}                     # state -> values / views built from it
        self._firings: list[Firing] = []
        self.k.rules.open(self.sid)
        self._closed = False

    # --- input -------------------------------------------------------------------------

    def set_text(self, text: str) -> list[Fact]:
        """The caller's ticket text: weak evidence for ranking, and scanned with the signatures
        (people paste error strings into tickets). Returns the facts found in it."""
        self.text = text or ""
        self._text_scores = self.k.text.score(self.text) if self.text.strip() else {}
        self._howto = asks_how(self.text)
        report = self.k.scanner.scan_text(self.text, "ticket text")
        self.text_facts = self._facts_from(report, "text", "ticket")
        self._replay()
        return list(self.text_facts)

    def add_evidence_file(self, path: str | os.PathLike,
                          progress: Callable[[int, int], None] | None = None,
                          cancelled: Callable[[], bool] | None = None,
                          name: str | None = None) -> EvidenceItem:
        """Scan a file (any size, any of the usual encodings). A missing file or a directory
        raises EvidenceError; a binary or empty file is skipped with a note in the report."""
        report = self.k.scanner.scan_file(path, progress=progress, cancelled=cancelled)
        if name:
            report.source = name
        return self._add_report(report)

    def add_evidence_text(self, text: str, name: str = "pasted text") -> EvidenceItem:
        return self._add_report(self.k.scanner.scan_text(text, name))

    def add_evidence_report(self, report: EvidenceReport) -> EvidenceItem:
        """Evidence scanned elsewhere (`self.k.scanner` in a worker thread, so the session is
        only touched from one thread), or rebuilt from a stored session: take its hits."""
        return self._add_report(report)

    def _add_report(self, report: EvidenceReport) -> EvidenceItem:
        name = report.source
        taken = {item.name for item in self.evidence}
        if name in taken:
            name = next(f"{report.source} ({i})" for i in itertools.count(2)
                        if f"{report.source} ({i})" not in taken)
        item = EvidenceItem(name, report, self._facts_from(report, "evidence", name))
        self.evidence.append(item)
        for fact in item.facts:
            self._assert(fact.name, fact.value)
        self._invalidate({f.name for f in item.facts})
        return item

    def remove_evidence(self, name: str) -> None:
        self.evidence = [item for item in self.evidence if item.name != name]
        self._replay()

    def answer(self, question_id: str, value: str) -> str:
        """Answer (or change the answer to) a question; "unknown" is always allowed.
        Returns the value as stored (a choice value, a number as text)."""
        question = self.question(question_id)
        value = normalise_answer(question, value)
        previous = self.answers.get(question.id)
        self.answers[question.id] = value
        if previous is None or previous == UNKNOWN:
            if value != UNKNOWN:
                self._assert(question.fact, value)
            self._invalidate({question.fact})
        elif previous != value:
            self._replay()
        return value

    def retract(self, question_id: str) -> None:
        """Take an answer back: the question can be asked again."""
        question = self.question(question_id)
        if self.answers.pop(question.id, None) is not None:
            self._replay()

    def rule_out(self, entry_id: str) -> None:
        """"This did not fix it": the candidate is set aside, the interview goes on."""
        if entry_id not in self.k.entries:
            raise AnswerError(f"no entry with id '{entry_id}'")
        self.ruled_out.add(entry_id)

    def question(self, question_id: str) -> Question:
        question = self.k.questions.get(question_id)
        if question is None:
            close = difflib.get_close_matches(question_id, list(self.k.questions), n=3)
            hint = f"did you mean {', '.join(close)}? " if close else ""
            known = ", ".join(sorted(self.k.questions))
            raise AnswerError(f"no question named '{question_id}'; {hint}questions: {known}")
        return question

    # --- facts -------------------------------------------------------------------------

    def _facts_from(self, report: EvidenceReport, kind: str, name: str) -> list[Fact]:
        facts: list[Fact] = []
        seen: set[tuple[str, str]] = set()
        for hit in report.hits:
            signature = self.k.kb.signature(hit.signature)
            if signature is None:
                continue
            captures = hit.captured()
            for setting in signature.sets:
                value = fill(setting.value, captures).strip().lower() if "{" in setting.value \
                    else setting.value
                key = (setting.fact, value)
                if key in seen:
                    continue
                seen.add(key)
                source = Source(kind, name, hit.line_no, hit.line, hit.signature)
                facts.append(Fact(setting.fact, value, source, hit.captures))
        return facts

    def base_facts(self) -> list[Fact]:
        """Facts given to the session: from the text, evidence and answers (not derived)."""
        facts = list(self.text_facts)
        for item in self.evidence:
            facts.extend(item.facts)
        for qid, value in self.answers.items():
            if value != UNKNOWN:
                question = self.k.questions[qid]
                facts.append(Fact(question.fact, value, Source("answer", qid)))
        return facts

    def facts(self) -> list[Fact]:
        """Every fact the session holds, derived ones included, each with its source."""
        facts = self.base_facts()
        seen = {(f.name, f.value) for f in facts}
        for firing in self._firings:
            if firing.derived is None:
                continue
            name, value = firing.derived
            if (name, value) in seen:
                continue
            seen.add((name, value))
            facts.append(Fact(name, value, Source("rule", firing.rule, facts=firing.facts)))
        return facts

    def _state(self) -> tuple:
        """What the session's facts are made of: views built from the same state are the
        same, so they are kept until it changes."""
        return (tuple(self.answers.items()), tuple(map(id, self.evidence)),
                id(self.text_facts))

    def values(self) -> dict[str, frozenset[str]]:
        state = self._state()
        if self._views.get("state") != state:
            # the objects are kept with their ids, so no id is reused while it is compared
            self._views = {"state": state, "refs": (list(self.evidence), self.text_facts)}
        if "values" not in self._views:
            values: dict[str, set[str]] = {}
            for fact in self.base_facts():
                values.setdefault(fact.name, set()).add(fact.value)
            self._views["values"] = {name: frozenset(v) for name, v in values.items()}
        return dict(self._views["values"])

    def view(self, strict: bool = False, overlay: dict[str, str] | None = None) -> FactView:
        """The session's facts for three-valued evaluation. Strict: a fact only evidence can
        set is closed (closed world, as durable sees it); otherwise it stays open (evidence
        may still show it). `overlay` pretends questions were answered (planning)."""
        values = self.values()              # also drops the views of an older state
        if not overlay and strict in self._views:
            return self._views[strict]
        answered = set(self.answers)
        for qid, value in (overlay or {}).items():
            answered.add(qid)
            fact = self.k.questions[qid].fact
            if value != UNKNOWN:
                values[fact] = frozenset({value})
        cache: dict[str, bool] = {}

        def base_open(name: str, view: FactView) -> bool:
            if name in cache:
                return cache[name]
            cache[name] = False                 # a question whose ask-when depends on itself
            if values.get(name):
                return False
            result = any(q.id not in answered and
                         (q.ask_when is None or evaluate(q.ask_when, view) is not Truth.FALSE)
                         for q in self.k.questions_by_fact.get(name, ()))
            if not result and not strict and name in self.k.signature_facts:
                result = not any(q.id in answered for q in self.k.questions_by_fact.get(name, ()))
            cache[name] = result
            return result

        view = self.k.derived.view(values, base_open)
        if not overlay:
            self._views[strict] = view
        return view

    # --- durable-rules -----------------------------------------------------------------

    def _typed(self, name: str, value: str):
        """Numbers go to durable-rules as numbers (a rule compares them), the rest as text."""
        if name in self.k.number_points:
            try:
                return float(value)
            except ValueError:
                return value
        return value

    def _assert(self, name: str, value) -> None:
        self.k.rules.assert_fact(self.sid, name, self._typed(name, value))
        self._firings = self.k.rules.firings(self.sid)

    def _replay(self) -> None:
        facts = [(f.name, self._typed(f.name, f.value)) for f in self.base_facts()]
        self._firings = self.k.rules.replay(self.sid, facts)
        self._cache.clear()
        self._stale = set() if self._empty() else None

    def _invalidate(self, facts: set[str]) -> None:
        dirty: set[str] = set()
        for fact in facts:
            dirty |= self.k.dependents.get(fact, set())
        if dirty:
            keep = self._cache.keys() - dirty
            if len(keep) < len(self._cache):
                self._cache = {k: self._cache[k] for k in keep}
            if self._stale is not None:
                self._stale |= dirty

    def fired(self) -> dict[str, Firing]:
        """Entries whose rule durable-rules fired (one firing each)."""
        out: dict[str, Firing] = {}
        for firing in self._firings:
            if firing.rule.startswith("entry:"):
                out.setdefault(firing.conclusion, firing)
        return out

    # --- conclusions -------------------------------------------------------------------

    def differential(self) -> Differential:
        lenient = self.view()
        fired = self.fired()
        hits = {hit.signature for item in self.evidence for hit in item.report.hits}
        hits |= {f.source.signature for f in self.text_facts}
        candidates: list[Candidate] = []
        cache, ruled_out, false = self._cache, self.ruled_out, Truth.FALSE
        initial, stale = self.k.initial_support, self._stale
        # entries whose rule requires a value a fact does not have (another product's) are
        # excluded in bulk: on a 10,000-entry KB that is most of them, and even a loop that
        # only skips each one costs milliseconds. They come first in `excluded`, each group
        # in KB order, then the other excluded entries in KB order.
        gated, groups = self._gated(self.k.gates)
        excluded = dict.fromkeys(itertools.chain.from_iterable(groups), _CONTRADICTED)
        for entry_id in itertools.chain(fired, ruled_out):
            excluded.pop(entry_id, None)
        rows = self.k.entry_rows
        if excluded:
            index = self.k.entry_index
            rows = [rows[i] for i in sorted(index[e] for e in self.k.entry_ids - excluded.keys())]
        # "waiting": turned away from by an answer, open only through evidence-set facts
        answered = {self.k.questions[qid].fact for qid, value in self.answers.items()
                    if value != UNKNOWN}
        strict = self.view(strict=True) if answered else None
        for entry_id, title, kind, rule in rows:
            if entry_id in ruled_out:
                excluded[entry_id] = "ruled out: it did not fix the problem"
                continue
            sup = None
            if rule is not None:
                is_fired = entry_id in fired
                sup = cache.get(entry_id)
                if sup is None and stale is not None and entry_id not in stale:
                    sup = initial.get(entry_id)
                if sup is None or (sup is _FALSE and is_fired):
                    sup = self._support(entry_id, lenient, is_fired)
                if sup.truth is false and not is_fired:
                    excluded[entry_id] = _CONTRADICTED
                    continue
                waiting = (strict is not None and not is_fired
                           and sup.truth is Truth.UNKNOWN
                           and not answered.isdisjoint(self.k.entry_deps[entry_id])
                           and evaluate(rule, strict) is false
                           and self._answer_contradicts(rule, lenient, answered))
            else:
                waiting = False
            text = self._text_scores.get(entry_id)
            cited = tuple(sorted(s for s in hits if entry_id in self.k.cited.get(s, ())
                                 and s in self.k.specific))
            candidates.append(Candidate(
                entry_id, title, kind, sup,
                text=text.score if text else 0.0, text_terms=text.terms if text else (),
                evidence=cited, fired=entry_id in fired, waiting=waiting))
        return rank(candidates, excluded, self._howto, bool(self._text_scores))

    @staticmethod
    def _answer_contradicts(rule: Condition, view: FactView, answered: set[str]) -> bool:
        """Whether an answer (to a fact in `answered`) makes one of the rule's tests false: a
        rule the answers have turned away from, not one nobody has asked about yet."""
        return any(atom.fact in answered and atom_truth(atom, view) is Truth.FALSE
                   for atom in atoms(rule))

    def _gated(self, gates: dict, strict: bool = False) -> tuple[frozenset[str], list[tuple]]:
        """The entries (or questions) of `gates` (Knowledge.gates, .question_gates) that
        require a value of a fact (`product is tmsxe`) the fact does not have, so their rule
        (or ask-when) is false: one test per group instead of one evaluation each. Also the
        groups they come from (ids in KB order). Kept with the views of the state."""
        key = ("gated", strict, id(gates))
        view = self.view(strict)
        if key not in self._views:
            found: list[tuple] = []
            facts = dict.fromkeys(f for f in itertools.chain(self.values(), self.k.derived.by_fact)
                                  if f in gates)
            for fact in facts:
                if not view.of(fact):
                    continue                     # no value yet: nothing is settled
                found += [ids for atom, ids in gates[fact]
                          if atom_truth(atom, view) is Truth.FALSE]
            ids = frozenset(itertools.chain.from_iterable(found))
            self._views[key] = (ids, found)
        return self._views[key]

    def false_by_gates(self, gates: dict, strict: bool = False) -> frozenset[str]:
        """The ids of `gates` whose condition a value of its fact makes false (see _gated)."""
        return self._gated(gates, strict)[0]

    def _support(self, entry_id: str, view: FactView, fired: bool = True) -> Support:
        """The entry's support, kept until a fact it depends on changes. An entry that did
        not fire and whose rule is false is only excluded: its truth is enough (`evaluate`
        stops at the first false test), not the count of tests met."""
        shared = self._stale is not None and entry_id not in self._stale
        cached = self._cache.get(entry_id)
        if cached is None and shared:
            cached = self.k.initial_support.get(entry_id)
        if cached is None or (cached is _FALSE and fired):
            rule = self.k.entries[entry_id].rule
            if not fired and evaluate(rule, view) is Truth.FALSE:
                cached = _FALSE
            else:
                cached = support(rule, view)
            if shared and self._empty():
                self.k.initial_support[entry_id] = cached
            else:
                self._cache[entry_id] = cached
        return cached

    def _empty(self) -> bool:
        """No fact given and no question answered: the state every session starts from."""
        return not self.answers and not self.evidence and not self.text_facts

    def next_questions(self, limit: int = 3, differential: Differential | None = None
                       ) -> list[Suggestion]:
        """The questions that best separate the leading candidates, best first; empty when
        the verdict is confident or nothing left to ask would help."""
        differential = differential or self.differential()
        if differential.verdict == "confident":
            return []
        return plan(self, differential, limit)

    def why(self, question_id: str) -> str:
        """WHY a question is asked: which candidates each answer keeps."""
        question = self.question(question_id)
        for suggestion in plan(self, self.differential(), limit=1000):
            if suggestion.question.id == question.id:
                return explain.why(self, suggestion)
        return (question.why or "").strip() or \
            "It no longer separates the leading candidates."

    def how(self, entry_id: str | None = None) -> explain.How:
        """HOW the top candidate (or the given one) is supported, and what the runner-up lacks."""
        return explain.how(self, self.differential(), entry_id)

    def fix(self, entry_id: str) -> explain.Fix:
        """The entry's fix (or procedure steps) with placeholders filled from evidence."""
        if entry_id not in self.k.entries:
            raise AnswerError(f"no entry with id '{entry_id}'")
        return explain.fix(self, entry_id)

    def report(self, limit: int = 3) -> dict:
        """The whole state as data: the `triage diagnose --json` shape."""
        differential = self.differential()
        diagnoses, nearest = [], []
        if differential.verdict == "no-match":
            nearest = [{"id": c.id, "title": c.title, "kind": c.kind,
                        "confidence": round(c.confidence, 3)}
                       for c in differential.listed()[:3]
                       if c.text > 0 or (c.support and c.support.met)]
            listed = []
        else:
            listed = differential.listed()
        for candidate in listed:
            explanation = explain.how(self, differential, candidate.id)
            diagnoses.append({
                "id": candidate.id, "title": candidate.title, "kind": candidate.kind,
                "confidence": round(candidate.confidence, 3),
                "rule": "holds" if candidate.holds else candidate.truth.name.lower(),
                "waiting_on_evidence": candidate.waiting,
                "fix": explain.fix(self, candidate.id).as_dict(),
                "why": explanation.summary(),
                "how": explanation.as_dict(),
            })
        return {
            "verdict": differential.verdict,
            "diagnoses": diagnoses,
            "not_covered": round(differential.not_covered, 3),
            "nearest": nearest,
            "facts": [f.as_dict() for f in self.facts()],
            "next_questions": [s.as_dict() for s in self.next_questions(limit, differential)],
            "evidence": [{"name": item.name, "encoding": item.report.encoding,
                          "lines": item.report.lines, "bytes": item.report.bytes,
                          "skipped": item.report.skipped, "notes": item.report.notes,
                          "hits": sum(item.report.counts.values())} for item in self.evidence],
            "answers": dict(self.answers),
            "ruled_out": sorted(self.ruled_out),
        }

    def captures(self, entry_id: str | None = None) -> dict[str, str]:
        """Values captured from evidence (server, mailbox, ...): those from signatures the
        entry cites first, then any other, the most frequent value of each name."""
        counts: dict[str, dict[str, tuple[int, int]]] = {}
        hits = [hit for item in self.evidence for hit in item.report.hits]
        for hit in hits:
            cited = 1 if entry_id and entry_id in self.k.cited.get(hit.signature, ()) else 0
            for name, value in hit.captures:
                if not value:
                    continue
                prior = counts.setdefault(name, {}).get(value, (0, 0))
                counts[name][value] = (max(prior[0], cited), prior[1] + 1)
        return {name: max(options.items(), key=lambda kv: kv[1])[0]
                for name, options in counts.items()}

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self.k.rules.close_session(self.sid)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def normalise_answer(question: Question, value: str) -> str:
    """The stored form of an answer, or AnswerError naming what is allowed."""
    raw = str(value).strip()
    low = raw.lower()
    if low in (UNKNOWN, "?", "don't know", "dont know", "not sure"):
        return UNKNOWN
    if question.type == "yes/no":
        if low in ("yes", "y", "true"):
            return "yes"
        if low in ("no", "n", "false"):
            return "no"
        raise AnswerError(f"'{raw}' is not an answer to {question.id}; "
                          f"valid answers: yes, no, unknown")
    if question.type == "choice":
        for choice in question.choices:
            if low in (choice.value.lower(), choice.label.lower()):
                return choice.value
        valid = ", ".join([c.value for c in question.choices] + [UNKNOWN])
        raise AnswerError(f"'{raw}' is not an answer to {question.id}; valid answers: {valid}")
    if question.type == "number":
        try:
            number = float(raw.replace(",", ""))
        except ValueError:
            raise AnswerError(f"{question.id} takes a number (or unknown), not '{raw}'") from None
        return f"{number:g}"
    if not raw:
        raise AnswerError(f"{question.id} takes some text (or unknown)")
    return raw
