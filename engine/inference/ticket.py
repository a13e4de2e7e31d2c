"""The ticket text as the differential uses it: how much it sounds like each entry, and whether
it asks how to do something (a procedure) rather than reports a fault."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from engine.evidence.scanner import EvidenceReport
from engine.inference.compiled import CompiledKB
from engine.inference.facts import Fact, Source
from engine.inference.truth import FactView, Truth, atom_truth, evaluate
from engine.kb.models import OUTSIDE, PRODUCT, Question
from engine.text.aside import Aside
from engine.text.denial import denied
from engine.text.howto import asks_how
from engine.text.negation import negated
from engine.text.reading import STRONG, Reading
from engine.text.similarity import TextScore

__all__ = ["MATCH_CHARS", "PRODUCT", "TicketText", "another_product", "asks_how",
           "for_matching", "current", "read_facts", "unsaid"]

FORMER_REACH = 60          # characters before a version that may say it was the one before
# "decommissioned with the Exchange 2003 servers", "our old 2007 box", "migrated from ...":
# the version the caller ran before (or a document is about), not the one the question is about
_FORMER = re.compile(r"\b(?:old|older|former|formerly|previous|previously|legacy|retired|"
                     r"decommissioned|decommissioning|(?:migrat\w*|mov\w*|upgrad\w*|came|"
                     r"coming)\s+(?:\w+\s+){0,3}?from|used\s+to\s+(?:be|run)|"
                     # "the runbook from when we were on Exchange 2007", "back when we ran 2010"
                     r"(?:back|from)\s+when\s+(?:we|i|they|it)\s+(?:were|was|ran|had|used))\b"
                     r"(?:\s+\S+){0,4}\s*$", re.I)
# "the old wiki page you wrote for Exchange 2010 SP1": what a document is about, not what the
# servers run; unless the document is what the caller asks for ("we need the runbook for
# installing Exchange 2016 CU22"): that one is about the system in question
_DOCUMENT = re.compile(r"\b(?:guide|wiki|article|blog|post|checklist|runbook|write-?up|"
                       r"documentation|notes|how-?to|document|procedure|instructions)"
                       r"(?:\s+\S+){0,4}?\s+(?:for|about|on|covers)\b(?:\s+\S+){0,4}\s*$", re.I)
_ASKED_FOR = re.compile(r"\b(?:need|needs|want|wants|looking\s+for|asking\s+for|ask\s+for|"
                        r"request|requesting|send\s+(?:me|us)|is\s+there|do\s+(?:we|you)\s+have|"
                        r"give\s+(?:me|us))\s+(?:\S+\s+){0,3}$", re.I)
# "the Exchange 2010 upgrade is planned for Q3", "we're moving to 2016 next year": the version
# the caller is going to run, not the one the question is about
_PLANNED = re.compile(r"\b(?:(?:plan(?:s|ned|ning)?|scheduled|going)\s+to\s+(?:\w+\s+){0,2}|"
                      r"(?:upgrading|migrating|moving)\s+(?:\w+\s+){0,2}?to\s+|"
                      r"will\s+(?:\w+\s+){0,2})(?:\S+\s+){0,2}$", re.I)
_PLANNED_AFTER = re.compile(r"\S*\s+(?:\w+\s+){0,2}?(?:upgrade|migration|move|rollout)\s+"
                            r"(?:is\s+|was\s+|has\s+been\s+)?(?:planned|scheduled|coming|next)"
                            # "migration to Exchange 2010 planned for Q2"
                            r"\b|\S*\s+(?:(?:is|are)\s+)?(?:planned|scheduled)\s+(?:for|in|next)\b",
                            re.I)
# "we're on Exchange 2016 CU19", "we now run 2013": what runs now, said outright; beside it, a
# value the ticket also names (in a quoted note, "that was 2009 and Exchange 2007") is not
_NOW = re.compile(r"\b(?:we['’]?re|we\s+are|we\s+now|we|now|currently|today|still)\s+"
                  r"(?:(?:all\s+|now\s+|currently\s+|still\s+)?(?:on|running|run|using|use)|"
                  r"on)\s+(?:[^\s.;:!?]+\s+){0,6}$", re.I)
NOW_REACH = 60             # characters before a version "we're on" may stand
# "the first 10 servers in the list", "the other 3 nodes": which ones, not how many there are
_SELECTION = re.compile(r"\b(?:first|last|top|bottom|other|remaining|newest|oldest)\s+$", re.I)
# "before we start the Unity Connection migration", "(pre-req for the OCS/UM project)": a
# product named as the project the work is for, not the system in trouble
_PROJECT_BEFORE = re.compile(r"\b(?:before|ahead\s+of|prior\s+to|for|pre-?req\w*\s+for|"
                             r"in\s+preparation\s+for|as\s+part\s+of)(?:\s+\w+){0,3}\s+$",
                             re.I)
_PROJECT_AFTER = re.compile(r"(?:/\w+)?\s+(?:migration|project|rollout|roll-out|deployment|"
                            r"go-live|pilot)\b", re.I)
MATCH_CHARS = 64 * 1024     # how much of a ticket is compared with the entries (all of it is
                            # scanned for signatures): a 10 MB paste would take many seconds


def for_matching(text: str) -> tuple[str, str | None]:
    """The part of the ticket text compared with the entries, and a note when it was cut."""
    if len(text) <= MATCH_CHARS:
        return text, None
    return text[:MATCH_CHARS], (f"the ticket text is {len(text):,} characters: only the first "
                                f"{MATCH_CHARS // 1024} KiB were compared with the entries "
                                f"(all of it was searched for known log lines)")


@dataclass(frozen=True)
class TicketText:
    text: str = ""
    scores: dict[str, TextScore] = field(default_factory=dict)   # entry id -> similarity
    howto: bool = False
    readings: tuple[Reading, ...] = ()          # what its words answer (engine.text.reading)
    note: str | None = None     # why only part of it was compared

    @property
    def suggestions(self) -> list[Reading]:
        """The answers the ticket's words suggest without settling them (weak readings)."""
        return [r for r in self.readings if r.strength < STRONG]

    def outside(self, products: frozenset[str] = frozenset()) -> str:
        """The words that name a cause no entry covers, said outright ("the account is locked
        out"), or "": a cause listed for some products only counts for a ticket about one of
        them (`products`, what the session knows)."""
        scoped = {f"{OUTSIDE}.{product}" for product in products}
        named = [r for r in self.readings if (r.question == OUTSIDE or r.question in scoped)
                 and r.value == "yes" and r.strength >= STRONG]
        # the words that come first in the ticket, the longer of two that start together
        first = min(named, default=None,
                    key=lambda r: (r.line_no, r.line.find(r.words), -len(r.words)))
        return first.words if first else ""

    def suggestion(self, question_id: str) -> Reading | None:
        """The answer the ticket's words suggest for one question, if any."""
        return next((r for r in self.suggestions if r.question == question_id), None)


def read_facts(readings, compiled: CompiledKB, known: list[Fact] = ()) -> list[Fact]:
    """The ticket's strong readings as facts, with the caller's words as their source; those
    of a question the rest of the ticket says is not asked are left out: one about another
    product than the one the ticket is about ("everybody else on the team shows it fine" in
    a Jabber ticket says nothing about voicemail), or a choice its symptom rules out."""
    facts = []
    for reading in readings:
        if reading.strength < STRONG:
            continue
        question = compiled.questions.get(reading.question)
        if question is None:
            continue
        facts.append((question, Fact(question.fact, reading.value,
                                     Source("ticket", "ticket", reading.line_no, reading.line,
                                            words=reading.words))))
    # what the ticket is about (`compiled.topics`): its product and what is wrong with it
    said: dict[str, set[str]] = {}
    for fact in [*known, *(f for _, f in facts)]:
        if fact.name in compiled.topics:
            said.setdefault(fact.name, set()).add(fact.value)
    view = FactView({name: frozenset(values) for name, values in said.items()},
                    lambda name: name not in said)
    elsewhere = another_product(frozenset(said.get(PRODUCT, ())))
    # a choice the rest of the ticket makes moot ("RAID controller died" is not which SCR task
    # it is when the ticket is about mail lost in the crash); a yes/no statement stays ("we set
    # the room calendar processing" is so, whatever else is wrong)
    return [f for question, f in facts if not elsewhere(question) and not (
        question.type == "choice" and question.ask_when is not None and
        evaluate(question.ask_when, view) is Truth.FALSE)]


def on_topic(facts: list[Fact], compiled: CompiledKB, read: list[Fact] = ()) -> list[Fact]:
    """Signature facts found in the ticket, less those that only another product's questions
    ask and only its entries test, given the products the ticket names (`facts` and the facts
    `read` from its words): "4 nodes in HQ, 2 in DR" in a DAG ticket is no count of IM and
    Presence's Exchange servers. A fact an entry of any product may test (the Exchange version
    a procedure applies to) stays."""
    products = frozenset(f.value for f in [*facts, *read] if f.name == PRODUCT)
    if not products:
        return facts
    elsewhere = another_product(products)
    view = _products_view(products)
    gated = {entry_id for atom, ids in compiled.gates.get(PRODUCT, ())
             if atom_truth(atom, view) is Truth.FALSE for entry_id in ids}
    out = []
    for fact in facts:
        questions = compiled.questions_by_fact.get(fact.name, ())
        if (questions and all(elsewhere(question) for question in questions)
                and compiled.dependents.get(fact.name, set()) <= gated):
            continue
        out.append(fact)
    return out


def another_product(products: frozenset[str]) -> Callable[[Question], bool]:
    """Whether a question is about another product than `products`: its ask-when is false on
    the product alone. With no product known, none is."""
    if not products:
        return lambda question: False
    view = _products_view(products)
    return lambda question: (question.ask_when is not None and
                             evaluate(question.ask_when, view) is Truth.FALSE)


def _products_view(products: frozenset[str]) -> FactView:
    """The facts as if only the products were known (every other fact open)."""
    return FactView({PRODUCT: products}, lambda name: name != PRODUCT)


def unsaid(facts: list[Fact], report: EvidenceReport, compiled: CompiledKB) -> list[Fact]:
    """Facts signatures found in the ticket, with a yes/no statement a negation reaches ("no
    event 15004 in the log") turned into its opposite, and without a count that picks some
    out of more ("the first 10 servers in the list"). Other facts (which product, which error
    code) stay: "voicemails are not showing up" still names Unity Connection; but not a match
    the words right before deny ("no UserConnectionLimitReached in there")."""
    out = []
    spans: dict[tuple, tuple[int, int] | None] = {}    # one per signature, line and captures
    for fact in facts:
        source = fact.source
        key = (source.signature, source.line_no, fact.captures)
        if key not in spans:
            spans[key] = compiled.scanner.span(source.signature, source.line, fact.captures)
        span = spans[key]
        if span is None:
            out.append(fact)
            continue
        if Aside.mentioned(source.line, *span):
            continue        # "I read about UserConnectionLimitReached": named, not seen
        if fact.name == PRODUCT and _PROJECT_AFTER.match(source.line, span[1]) and \
                _PROJECT_BEFORE.search(source.line, max(0, span[0] - FORMER_REACH), span[0]):
            continue        # "before we start the Unity Connection migration"
        questions = compiled.questions_by_fact.get(fact.name, ())
        if questions and questions[0].type == "number":
            at = _value_at(fact, source.line, span)
            if _SELECTION.search(source.line, max(0, at - FORMER_REACH), at):
                continue        # "the first 10 servers in the list": which, not how many
        statement = bool(questions) and questions[0].type == "yes/no" and \
            fact.value in ("yes", "no")
        if not statement:
            # "no UserConnectionLimitReached in the log": not seen, so none of its facts
            if not denied(source.line, *span):
                out.append(fact)
            continue
        if not negated(source.line, *span):
            out.append(fact)
            continue
        flipped = "no" if fact.value == "yes" else "yes"
        out.append(Fact(fact.name, flipped, Source(
            "ticket", "ticket", source.line_no, source.line, source.signature,
            words=source.line[max(0, span[0] - 40):span[1]].strip())))
    return out


def _value_at(fact: Fact, line: str, span: tuple[int, int]) -> int:
    """Where the value the match captured starts ("our old 2007 hub": the match starts at
    "our"), or the match's start when it captures none."""
    found = [line.find(value, span[0], span[1]) for _, value in fact.captures if value]
    return min([i for i in found if i >= 0] or [span[0]])


def _about_document(line: str, start: int) -> bool:
    """The value at `start` is what a document the caller has is about, not one asked for."""
    found = _DOCUMENT.search(line, max(0, start - FORMER_REACH), start)
    return found is not None and \
        _ASKED_FOR.search(line, max(0, found.start() - FORMER_REACH), found.start()) is None


def current(facts: list[Fact], compiled: CompiledKB) -> list[Fact]:
    """Signature facts with, for a fact the ticket gives two values or more ("our old report
    tool went with the Exchange 2003 servers ... we're on Exchange 2007 SP2"), those named as
    what ran before or what is to come ("the Exchange 2010 upgrade is planned for Q3") left
    out, as long as another value is left. A count or a value read from the text (a version)
    given two ways with nothing to tell them apart is left out: it is asked."""
    values: dict[str, set[str]] = {}
    for fact in facts:
        values.setdefault(fact.name, set()).add(fact.value)
    torn = {name for name, found in values.items() if len(found) > 1}
    if not torn:
        return facts
    former: set[tuple[str, str]] = set()       # a value named only as what ran before
    present: set[tuple[str, str]] = set()
    now: set[tuple[str, str]] = set()          # a value said outright to run now
    for fact in facts:
        if fact.name not in torn:
            continue
        span = compiled.scanner.span(fact.source.signature, fact.source.line, fact.captures) \
            if fact.source.signature else None
        line = fact.source.line
        before = said_now = False
        if span is not None:
            at = _value_at(fact, line, span)
            # before the match ("old checklist written for Exchange 2010") or before the value
            # it captured ("our old 2007 hub", a match that starts at "our")
            before = _PLANNED_AFTER.match(line, span[1]) is not None or any(
                _FORMER.search(line, max(0, start - FORMER_REACH), start) is not None or
                _PLANNED.search(line, max(0, start - FORMER_REACH), start) is not None or
                _about_document(line, start) for start in {span[0], at})
            said_now = not before and _NOW.search(line, max(0, at - NOW_REACH), at) is not None
        pair = (fact.name, fact.value)
        (former if before else present).add(pair)
        if said_now:
            now.add(pair)
    former -= present
    # beside a value said to run now, the others the ticket names are what ran before
    named_now = {name for name, _ in now}
    stale = {pair for pair in present if pair[0] in named_now and pair not in now}
    former |= stale
    present -= stale
    kept = {name for name, _ in present}
    # a count or a version the ticket gives two ways, neither said to be the one before or the
    # one now, is asked: "the first 10 servers ... why 4 servers"; "closed as the Exchange 2007
    # bug ... these are Exchange 2013 CU20" (a rule for either would otherwise hold)
    read = {fact.name for fact in facts if any(value for _, value in fact.captures)}
    asked = {name for name in kept
             if len({value for fact_name, value in present if fact_name == name}) > 1 and
             any(q.type == "number" or q.type == "choice" and name in read
                 for q in compiled.questions_by_fact.get(name, ()))}
    return [fact for fact in facts if fact.name not in asked and
            ((fact.name, fact.value) not in former or fact.name not in kept)]
