"""The question bank's phrases, compiled for finding in a ticket: each phrase's word forms
(the one tokenizer, the KB's synonyms and stemming), indexed by form, and the tightest run of a
clause's words that holds the most of them.

    book = PhraseBook(kb, lexicon)
    for index in book.candidates(terms):
        phrase = book.phrases[index]
        span = best_span(terms, phrase.forms, phrase.size)   # (found, first, last) or None

A phrase's words may stand in any order, with up to WINDOW_EXTRA other words between them.
Besides the questions' own phrases, the causes no entry covers (a words file's `## Causes no
entry covers`) are compiled as yes/no questions of their own (`cause.outside-kb`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from engine.kb.models import OUTSIDE, KnowledgeBase, Question
from engine.text import negation
from engine.text.lexicon import Lexicon

WINDOW_EXTRA = 4               # words that may come between a phrase's words
# a phrase that says how many ("every SCOM report is empty", "fails for every user"), which the
# ticket must say too: "every" and "all" are stop words, so "the report came out of SCOM empty"
# has all of its other words
_QUANTIFIED = re.compile(r"\b(?:every|each|both)\b|\ball\b(?!\s*(?:$|;))", re.I)


@dataclass(frozen=True)
class Phrase:
    question: Question
    value: str
    text: str
    forms: frozenset[str]
    size: int
    negative: bool             # the phrase itself says "not"
    telling: frozenset[str]    # its words that tell its value from the question's others
    order: tuple[str, ...]     # its forms in the order written
    task: str = ""             # its first word when that is a verb's plain form ("turn on SCR")
    trailing: bool = False     # its own negation is its last word ("Allow Bookings set to No")
    quantified: bool = False   # it says how many ("every SCOM report is empty")
    denier: str = ""           # the form of a negation among its words ("nobody has patched")


class PhraseBook:
    """Every phrase of the question bank and of the causes no entry covers, indexed by word
    form, and every number question's units (`- units in text:`)."""

    def __init__(self, kb: KnowledgeBase, lexicon: Lexicon):
        self.phrases: list[Phrase] = []
        self.by_form: dict[str, list[int]] = {}
        self.units: list[tuple[tuple[str, ...], Question, str]] = []
        for question in [*kb.questions, *outside(kb)]:
            self._add(question, lexicon)

    def candidates(self, terms) -> set[int]:
        """The phrases with at least one word among the terms."""
        found: set[int] = set()
        for term in terms:
            found.update(self.by_form.get(term.form, ()))
        return found

    def _add(self, question: Question, lexicon: Lexicon) -> None:
        # each phrase's forms in the order written, each once
        said_terms = [lexicon.terms(phrase.text.lower()) for phrase in question.phrases]
        orders = [tuple(dict.fromkeys(t.form for t in found)) for found in said_terms]
        said = [(phrase, frozenset(order)) for phrase, order in zip(question.phrases, orders)]
        shared = common(said)
        if question.type == "yes/no":
            # "unified messaging service ... account": what the question asks about, found
            # without the rest of "the unified messaging account has a mailbox"
            shared |= {t.form for t in lexicon.terms(question.text.lower())}
        for (phrase, forms), order, found in zip(said, orders, said_terms):
            if not forms:
                continue
            index = len(self.phrases)
            lead = found[:1]
            task = lead[0].form if lead and question.type == "choice" and \
                lead[0].start == 0 and not lead[0].surface.endswith("ed") else ""
            denier = next((t.form for t in found if negation.says_not(t.surface)), "")
            self.phrases.append(Phrase(question, phrase.value, phrase.text, forms, len(forms),
                                       negation.says_not(phrase.text), forms - shared, order,
                                       task, negation.ends_negated(phrase.text),
                                       _QUANTIFIED.search(phrase.text) is not None, denier))
            for form in set(forms):
                self.by_form.setdefault(form, []).append(index)
        for unit in question.units_in_text:
            forms = tuple(t.form for t in lexicon.terms(unit.lower()))
            if forms:
                self.units.append((forms, question, unit))


def outside(kb: KnowledgeBase) -> list[Question]:
    """The causes no entry covers (a words file's `## Causes no entry covers`) as yes/no
    questions of their own: read like any other, negation and all ("the account is not locked
    out" does not name one). No rule asks them and they set no fact; the differential weighs a
    ticket that names one toward no-match. Causes for some products only are one question per
    product (`cause.outside-kb.unity`), which counts only in a ticket about that product."""
    phrases = [p for words in kb.words for p in words.outside]
    if not phrases:
        return []
    path = next(words for words in kb.words if words.outside).path
    groups: dict[str, list] = {}
    for phrase in phrases:
        for product in phrase.products or ("",):
            groups.setdefault(f"{OUTSIDE}.{product}" if product else OUTSIDE, []).append(phrase)
    return [Question(id=qid, text="Does the ticket name a cause no entry covers?",
                     type="yes/no", phrases=tuple(group), path=path, line=group[0].line)
            for qid, group in groups.items()]


def best_span(terms, forms: frozenset[str], size: int, broken=None
              ) -> tuple[int, int, int] | None:
    """(words of the phrase found, first and last term index) for the tightest run of the
    clause's terms holding the most of them, or None; one that `broken(first, last)` says is
    read across a break only when no other run holds as many ("accounts in their own AD
    forest" over "forest, linked to those accounts")."""
    positions = [i for i, t in enumerate(terms) if t.form in forms]
    if not positions:
        return None
    best = None
    limit = size + WINDOW_EXTRA
    for a, first in enumerate(positions):
        seen, last = last_new(terms, positions, a, first + limit)
        whole = broken is None or not broken(first, last)
        candidate = (seen, whole, -(last - first), first, last)
        if best is None or candidate > best:
            best = candidate
    matched, _, _, first, last = best
    return matched, first, last


def last_new(terms, positions: list[int], start: int = 0, stop: int | None = None
             ) -> tuple[int, int]:
    """(distinct forms, index of the last term that added one) over the positions from the
    start-th one, up to a term index of stop: a run of a phrase's words ends at the last word
    that added a form not seen yet, so a repeat further on ("it's NOT installed (checked the
    installed updates list)") does not widen it."""
    seen: set[str] = set()
    last = positions[start]
    for i in positions[start:]:
        if stop is not None and i >= stop:
            break
        if terms[i].form not in seen:
            seen.add(terms[i].form)
            last = i
    return len(seen), last


def common(said) -> frozenset[str]:
    """Words the phrases of half or more of a question's answers (two at least) use: "show"
    and "mailbox" in "shows as linked mailbox", "shows as room mailbox". Found alone they
    do not say which answer, so a partial match needs one of the other words. For a yes/no
    question, the words of the question itself are added by the caller: they name its topic."""
    values: dict[str, set[str]] = {}
    for phrase, forms in said:
        for form in forms:
            values.setdefault(form, set()).add(phrase.value)
    answers = len({phrase.value for phrase, _ in said})
    return frozenset(form for form, found in values.items()
                     if len(found) >= max(2, (answers + 1) // 2))
