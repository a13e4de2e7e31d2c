"""One diagnosis session (an interview): ticket text, evidence and answers in; the differential,
the next question and the explanations out. This is the API the CLI and the TUI drive.

    with CompiledKB(kb) as compiled, Interview(compiled) as session:
        session.set_text("Jabber shows me available all day although I'm in meetings")
        session.add_evidence_file("cup.log")
        session.answer("product", "imp")
        session.differential().verdict, session.next_questions()

The interview keeps what it was told in a `SessionState` and mirrors the facts into a
durable-rules session, whose firings say which rules hold. Facts have sources
(engine.inference.facts). Answers are single-valued and can be changed or taken back;
durable-rules cannot un-fire a rule, so a change replays the session's facts.
"""

from __future__ import annotations

import difflib
import itertools
import os
from typing import Callable

from engine.evidence.scanner import EvidenceReport
from engine.inference import explain, fixes
from engine.inference.answers import UNKNOWN, AnswerError, normalise_answer, parse_number
from engine.inference.candidates import assess
from engine.inference.compiled import CompiledKB
from engine.inference.differential import Differential
from engine.inference.facts import Fact, Source, facts_from_report
from engine.inference.planner import Contested, Suggestion, contested, plan
from engine.inference.probing import maps_for, probe_facts
from engine.inference.rules import Firing
from engine.inference.state import EvidenceItem, ProbeItem, SessionState
from engine.inference.supports import Supports
from engine.inference.ticket import (TicketText, asks_how, current, for_matching, on_topic,
                                     read_facts, unsaid)
from engine.kb.models import Question
from engine.probes import ProbeResult
from engine.text.lines import unwrap
from engine.text.mail import body

__all__ = ["AnswerError", "EvidenceItem", "Interview", "UNKNOWN"]

_sessions = itertools.count(1)


class Interview:
    def __init__(self, compiled: CompiledKB):
        self.compiled = compiled
        self.sid = f"s{next(_sessions)}"
        self.state = SessionState(compiled)
        self.ticket = TicketText()
        self.ruled_out: set[str] = set()
        self._supports = Supports(compiled, self.state)
        self._firings: list[Firing] = []
        self._closed = False
        compiled.rules.open(self.sid)

    # --- what the session holds (read-only views of its state) -------------------------

    @property
    def text(self) -> str:
        return self.state.text

    @property
    def answers(self) -> dict[str, str]:
        return dict(self.state.answers)

    @property
    def evidence(self) -> list[EvidenceItem]:
        return list(self.state.evidence)

    @property
    def text_facts(self) -> list[Fact]:
        return list(self.state.text_facts)

    # --- input -------------------------------------------------------------------------

    def set_text(self, text: str) -> list[Fact]:
        """The caller's ticket text: weak evidence for ranking, and scanned with the signatures
        (people paste error strings into tickets). Returns the facts found in it."""
        text = text or ""
        matched, note = for_matching(text)
        # compared and read without a mail thread's boilerplate (line numbers kept): a quoted
        # mail's wrapped lines carry on once their `>` marks are off
        prose = body(matched) if matched.strip() else ""
        scores = self.compiled.text.score(prose) if prose else {}
        # a pasted error string a mail client wrapped is read whole (line numbers kept)
        report = self.compiled.scanner.scan_text(unwrap(text), "ticket text")
        readings = self.compiled.reader.read(prose) if prose else []
        self.ticket = TicketText(text, scores, asks_how(matched), tuple(readings), note)
        signature_facts = facts_from_report(self.compiled.kb, report, "ticket", "ticket")
        said = current(unsaid(signature_facts, report, self.compiled), self.compiled)
        read = read_facts(readings, self.compiled, said)
        self.state.set_text(text, on_topic(said, self.compiled, read) + read)
        self._replay()
        return list(self.state.text_facts)

    def add_evidence_file(self, path: str | os.PathLike,
                          progress: Callable[[int, int], None] | None = None,
                          cancelled: Callable[[], bool] | None = None,
                          name: str | None = None) -> EvidenceItem:
        """Scan a file (any size, any of the usual encodings). A missing file or a directory
        raises EvidenceError; a binary or empty file is skipped with a note in the report."""
        report = self.compiled.scanner.scan_file(path, progress=progress, cancelled=cancelled)
        if name:
            report.source = name
        return self.add_evidence_report(report)

    def add_evidence_text(self, text: str, name: str = "pasted text") -> EvidenceItem:
        return self.add_evidence_report(self.compiled.scanner.scan_text(text, name))

    def add_evidence_report(self, report: EvidenceReport) -> EvidenceItem:
        """Evidence scanned elsewhere (`compiled.scanner` in a worker thread, so the session
        is only touched from one thread), or rebuilt from a stored session: take its hits."""
        facts = facts_from_report(self.compiled.kb, report, "evidence", report.source)
        item = self.state.add_evidence(report, facts)
        for fact in item.facts:
            self._assert(fact.name, fact.value)
        self._supports.invalidate({f.name for f in item.facts})
        return item

    def add_probe(self, result: ProbeResult) -> ProbeItem:
        """A read-only probe's result (engine.probes): the facts the KB's probe maps draw from
        it join the session, each with what was contacted and seen as its source."""
        facts = probe_facts(result, maps_for(self.compiled.kb, result.kind))
        item = self.state.add_probe(result, facts)
        answered = {self.compiled.questions[q].fact for q in self.state.answers}
        for fact in facts:
            if fact.name not in answered:
                self._assert(fact.name, fact.value)
        self._supports.invalidate({f.name for f in facts})
        return item

    @property
    def probes(self) -> list[ProbeItem]:
        return list(self.state.probes)

    def answer(self, question_id: str, value: str) -> str:
        """Answer (or change the answer to) a question; "unknown" is always allowed.
        Returns the value as stored (a choice value, a number as text)."""
        question = self.question(question_id)
        value = normalise_answer(question, value)
        previous = self.state.set_answer(question.id, value)
        overrides = previous is None and any(
            f.name == question.fact for f in itertools.chain(
                self.state.text_facts, *(item.facts for item in self.state.probes)))
        if overrides:
            self._replay()                  # the ticket's word on this fact gives way
        elif previous is None or previous == UNKNOWN:
            if value != UNKNOWN:
                self._assert(question.fact, value)
            self._supports.invalidate({question.fact})
        elif previous != value:
            self._replay()
        return value

    def retract(self, question_id: str) -> None:
        """Take an answer back: the question can be asked again."""
        question = self.question(question_id)
        if self.state.drop_answer(question.id):
            self._replay()

    def rule_out(self, entry_id: str) -> None:
        """"This did not fix it": the candidate is set aside, the interview goes on."""
        if entry_id not in self.compiled.entries:
            raise AnswerError(f"no entry with id '{entry_id}'")
        self.ruled_out.add(entry_id)

    def question(self, question_id: str) -> Question:
        question = self.compiled.questions.get(question_id)
        if question is None:
            names = list(self.compiled.questions)
            close = difflib.get_close_matches(question_id, names, n=3)
            hint = f"did you mean {', '.join(close)}? " if close else ""
            raise AnswerError(f"no question named '{question_id}'; {hint}questions: "
                              f"{', '.join(sorted(names))}")
        return question

    # --- facts -------------------------------------------------------------------------

    def base_facts(self) -> list[Fact]:
        """Facts given to the session: from the text, evidence and answers (not derived)."""
        return self.state.base_facts()

    def facts(self) -> list[Fact]:
        """Every fact the session holds, derived ones included, each with its source."""
        facts = self.state.base_facts()
        seen = {(f.name, f.value) for f in facts}
        for firing in self._firings:
            if firing.derived is None or firing.derived in seen:
                continue
            seen.add(firing.derived)
            name, value = firing.derived
            facts.append(Fact(name, value, Source("rule", firing.rule, facts=firing.facts)))
        return facts

    def fired(self) -> dict[str, Firing]:
        """Entries whose rule durable-rules fired (one firing each)."""
        out: dict[str, Firing] = {}
        for firing in self._firings:
            if firing.rule.startswith("entry:"):
                out.setdefault(firing.conclusion, firing)
        return out

    # --- durable-rules -----------------------------------------------------------------

    def _typed(self, name: str, value: str):
        """Numbers go to durable-rules as numbers (a rule compares them), the rest as text."""
        if name in self.compiled.number_points:
            number = parse_number(value)
            return value if number is None else number    # text: no comparison matches it
        return value

    def _assert(self, name: str, value) -> None:
        self.compiled.rules.assert_fact(self.sid, name, self._typed(name, value))
        self._firings = self.compiled.rules.firings(self.sid)

    def _replay(self) -> None:
        facts = [(f.name, self._typed(f.name, f.value)) for f in self.state.base_facts()]
        self._firings = self.compiled.rules.replay(self.sid, facts)
        self._supports.reset()

    # --- conclusions -------------------------------------------------------------------

    def differential(self) -> Differential:
        return assess(self.compiled, self.state, self._supports, self.fired(), self.ruled_out,
                      self.ticket)

    def next_questions(self, limit: int = 3, differential: Differential | None = None
                       ) -> list[Suggestion]:
        """The questions that best separate the leading candidates, best first; empty when
        the verdict is confident or nothing left to ask would help."""
        differential = differential or self.differential()
        if differential.verdict == "confident":
            return []
        return plan(self.compiled, self.state, differential, limit)

    def contested(self, differential: Differential | None = None) -> list[Contested]:
        """When nothing is left to ask: what the ticket's words (or a probe) answered that
        rules out one of the leading candidates. Not asked again, since the caller said it;
        named so that a misreading can be corrected."""
        differential = differential or self.differential()
        if differential.verdict == "confident" or self.next_questions(1, differential):
            return []
        # no-match: the nearest entries, named "not a match", are the ones to check
        pool = (differential.candidates if differential.verdict == "ambiguous"
                else differential.nearest(None))
        leaders = [c.id for c in pool if c.kind == "diagnosis"][:3]
        return contested(self.compiled, self.state, leaders)

    def why(self, question_id: str) -> str:
        """WHY a question is asked: which candidates each answer points to or rules out."""
        question = self.question(question_id)
        for suggestion in plan(self.compiled, self.state, self.differential(), limit=1000):
            if suggestion.question.id == question.id:
                return explain.why(self.compiled, suggestion)
        return (question.why or "").strip() or \
            "It no longer separates the leading candidates."

    def how(self, entry_id: str | None = None,
            differential: Differential | None = None) -> explain.How:
        """HOW the top candidate (or the given one) is supported, and what the runner-up lacks."""
        return explain.how(self.compiled, self.state.view(certain=True), self.facts(),
                           differential or self.differential(), entry_id,
                           tuple(self.state.doubted()))

    def open_conditions(self, entry_id: str) -> list[str]:
        """The conditions of the entry's rule nobody has settled yet (what keeps it from being
        confident), in the rule language."""
        certain = self.state.view(strict=True, certain=True)
        return [c.as_dict()["condition"] for c in
                explain.conditions(self.compiled.entries[entry_id].rule, certain)
                if c.state == "open"]

    def fix(self, entry_id: str) -> fixes.Fix:
        """The entry's fix (or procedure steps) with placeholders filled from evidence."""
        if entry_id not in self.compiled.entries:
            raise AnswerError(f"no entry with id '{entry_id}'")
        return fixes.fix(self.compiled, self.state, entry_id)

    def captures(self, entry_id: str | None = None) -> dict[str, str]:
        return self.state.captures(entry_id)

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self.compiled.rules.close_session(self.sid)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
