"""Reading the caller's words into answers: the phrases and units the question bank lists
(kb/questions/*.md, `- phrases:` and `- units in text:`), found in the ticket with the one
tokenizer, the KB's synonyms and stemming, clause by clause, negation taken into account.

    reader = TicketReader(kb, lexicon)
    reader.read("We already raised the receive connector limits, no change.")
    -> [Reading(question="uccx.receive-connector-tuned", value="yes", strength=1.0, ...)]

A phrase matches when its content words occur in one clause of the ticket, in any order, close
together. Every word found: a strong reading, which answers the question. Most of them (two
thirds, and at least two words): a weak one, which only suggests the answer. A negation in the
clause around the words ("not", "no", "never", "doesn't", "without", ...) that the phrase
itself does not have turns a yes/no reading into its opposite and drops a choice reading: "the
limits were not raised" does not say they were. A number followed by one of a number
question's units ("about 3,000 users", "40 agents", "90 ms") answers it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from engine.kb.models import KnowledgeBase, Question
from engine.text.lexicon import Lexicon

STRONG = 1.0
WEAK = 0.6                     # share of a phrase's words that makes a suggestion
WINDOW_EXTRA = 4               # words that may come between a phrase's words
NEGATION_REACH = 40            # characters before the first word a negation still reaches
MAX_TEXT = 64 * 1024           # characters of a ticket read for phrases

_CLAUSE = re.compile(r"[.!?;\n]+|,\s*(?:but|although|though|however)\b|\bbut\b", re.I)
_NEGATION = re.compile(
    r"\b(?:not|no|never|none|nor|neither|without|nothing|cannot|can['’]?t|won['’]?t|"
    r"(?:do|does|did|is|are|was|were|has|have|had|could|would|should)n['’]?t)\b", re.I)
_NUMBER = re.compile(
    r"(?<![\w.,])(?P<n>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?P<k>\s?[kK]\b)?"
    r"(?:\s*(?:-|–|to)\s*(?P<upper>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?))?")


@dataclass(frozen=True)
class Reading:
    """What the ticket says about one question, and the words that say it."""

    question: str
    value: str
    strength: float            # 1.0: every word of the phrase; below: a suggestion only
    words: str                 # the ticket's words, as written
    line_no: int
    line: str
    phrase: str = ""           # the KB phrase (or unit) it matched
    negated: bool = False


@dataclass(frozen=True)
class _Phrase:
    question: Question
    value: str
    text: str
    forms: frozenset[str]
    size: int
    negative: bool             # the phrase itself says "not"


class TicketReader:
    def __init__(self, kb: KnowledgeBase, lexicon: Lexicon):
        self.lexicon = lexicon
        self.phrases: list[_Phrase] = []
        self.by_form: dict[str, list[int]] = {}
        self.units: list[tuple[frozenset[str], Question, str]] = []
        for question in kb.questions:
            for phrase in question.phrases:
                forms = [t.form for t in lexicon.terms(phrase.text)]
                if not forms:
                    continue
                index = len(self.phrases)
                self.phrases.append(_Phrase(question, phrase.value, phrase.text,
                                            frozenset(forms), len(set(forms)),
                                            bool(_NEGATION.search(phrase.text))))
                for form in set(forms):
                    self.by_form.setdefault(form, []).append(index)
            for unit in question.units_in_text:
                forms = frozenset(t.form for t in lexicon.terms(unit))
                if forms:
                    self.units.append((forms, question, unit))

    def read(self, text: str) -> list[Reading]:
        """Every reading of the ticket, strongest first for each question and value."""
        text = text[:MAX_TEXT]
        found: dict[tuple[str, str], Reading] = {}
        for line_no, line in enumerate(text.split("\n"), start=1):
            for start, end in _clauses(line):
                clause = line[start:end]
                if not clause.strip():
                    continue
                for reading in self._clause(clause, line, line_no):
                    key = (reading.question, reading.value)
                    if key not in found or reading.strength > found[key].strength:
                        found[key] = reading
        return sorted(found.values(), key=lambda r: (-r.strength, r.line_no, r.question))

    def negated(self, clause: str, start: int, end: int, negative: bool = False) -> bool:
        """Whether a negation reaches the words at clause[start:end] (one the phrase itself
        does not have)."""
        zone = clause[max(0, start - NEGATION_REACH):end]
        return bool(_NEGATION.search(zone)) != negative

    def _clause(self, clause: str, line: str, line_no: int) -> list[Reading]:
        terms = self.lexicon.terms(clause.lower())
        out: list[Reading] = []
        candidates: set[int] = set()
        for term in terms:
            candidates.update(self.by_form.get(term.form, ()))
        for index in candidates:
            phrase = self.phrases[index]
            span = _best_span(terms, phrase.forms, phrase.size)
            if span is None:
                continue
            matched, first, last = span
            strength = matched / phrase.size
            if strength < WEAK or (strength < STRONG and matched < 2):
                continue
            value: str | None = phrase.value
            negated = self.negated(clause, terms[first].start, terms[last].end, phrase.negative)
            if negated:
                value = _opposite(phrase.question, phrase.value)
                if value is None:
                    continue
            words = clause[terms[first].start:terms[last].end]
            out.append(Reading(phrase.question.id, value, round(strength, 3), words, line_no,
                               line, phrase.text, negated))
        out.extend(self._numbers(clause, terms, line, line_no))
        return out

    def _numbers(self, clause: str, terms, line: str, line_no: int) -> list[Reading]:
        if not self.units:
            return []
        out = []
        for match in _NUMBER.finditer(clause):
            after = [t for t in terms if t.start >= match.end()][:3]
            before = [t for t in terms if t.end <= match.start()][-3:]
            for forms, question, unit in self.units:
                if not (_starts(after, forms) or _ends(before, forms)):
                    continue
                value = _number(match)
                if value is None:
                    continue
                words = clause[match.start():after[0].end if _starts(after, forms) else
                               match.end()]
                out.append(Reading(question.id, f"{value:g}", STRONG, words.strip(), line_no,
                                   line, unit))
        return out


def _clauses(line: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in _CLAUSE.finditer(line):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(line)))
    return spans


def _best_span(terms, forms: frozenset[str], size: int) -> tuple[int, int, int] | None:
    """(words of the phrase found, first and last term index) for the tightest run of the
    clause's terms holding the most of them, or None."""
    positions = [i for i, t in enumerate(terms) if t.form in forms]
    if not positions:
        return None
    best = None
    limit = size + WINDOW_EXTRA
    for a, first in enumerate(positions):
        seen: set[str] = set()
        last = first
        for i in positions[a:]:
            if i - first >= limit:
                break
            seen.add(terms[i].form)
            last = i
        candidate = (len(seen), -(last - first), first, last)
        if best is None or candidate > best:
            best = candidate
    matched, _, first, last = best
    return matched, first, last


def _opposite(question: Question, value: str) -> str | None:
    if question.type == "yes/no":
        return {"yes": "no", "no": "yes"}.get(value)
    return None


def _starts(terms, forms: frozenset[str]) -> bool:
    return bool(terms) and terms[0].form in forms


def _ends(terms, forms: frozenset[str]) -> bool:
    return bool(terms) and terms[-1].form in forms


def _number(match: re.Match) -> float | None:
    def parse(text: str | None) -> float | None:
        if text is None:
            return None
        try:
            return float(text.replace(",", ""))
        except ValueError:
            return None

    low, high = parse(match.group("n")), parse(match.group("upper"))
    if low is None:
        return None
    value = (low + high) / 2 if high is not None and high > low else low
    if match.group("k"):
        value *= 1000
    return value if value <= 1e12 else None
