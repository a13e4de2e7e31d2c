"""Reading the caller's words into answers: the phrases and units the question bank lists
(kb/questions/*.md, `- phrases:` and `- units in text:`), found in the ticket with the one
tokenizer, the KB's synonyms and stemming, clause by clause, negation taken into account.

    reader = TicketReader(kb, lexicon)
    reader.read("We already raised the receive connector limits, no change.")
    -> [Reading(question="uccx.receive-connector-tuned", value="yes", strength=1.0, ...)]

A phrase matches when its content words occur in one clause of the ticket, in any order, close
together. Every word found: a strong reading, which answers the question. Most of them (two
thirds, and at least two words, one of them more than the question's topic): a weak one,
which only suggests the answer. A negation in the clause around the words ("not", "no",
"never", "doesn't", "without", ...) that the phrase itself does not have turns a yes/no
reading into its opposite and drops a choice reading: "the limits were not raised" does not
say they were. A number followed by one of a number question's units ("about 3,000 users",
"40 agents", "90 ms") answers it. "It" or "that update" before a phrase's other words stands
for a name said before in the line ("but it is NOT installed": engine.text.anaphora).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from engine.kb.models import OUTSIDE, PRODUCT, KnowledgeBase, Question
from engine.text import anaphora, negation
from engine.text.aside import Aside
from engine.text.howto import asks_how
from engine.text.lexicon import Lexicon
from engine.text.lines import MAX_TEXT, clauses, lines
from engine.text.numbers import quantities
from engine.text.phrases import Phrase, PhraseBook, best_span

STRONG = 1.0
QUANTIFIER_REACH = 20          # characters before a phrase's first word its "every" may stand
# what a ticket must say for a phrase that says how many (engine.text.phrases)
_QUANTIFIER = re.compile(r"\b(?:every|each|both|all|everything|everyone|everybody|none|nothing|"
                         r"nobody|no\s*one|whole|entire|any|(\d+)\s+(?:out\s+)?of\s+\1)\b", re.I)
WEAK = 0.6                     # share of a phrase's words that makes a suggestion
VERBATIM = 3                  # a phrase this long found word for word counts one word more

_QUALIFIED = re.compile(
    r"\s*,?\s*(?:except|apart from|other than)\b|"
    r"\s*,?\s*(?:but|although|though|however)\b[^.!?;\n]{0,30}?\b(?:not|never|no|none|nobody|"
    r"no[\s-]?one|nothing|(?:do|does|did|is|are|was|were|has|have)n['’]?t)\b", re.I)
# a phrase read across one is a suggestion; not across a comma that goes on about the same
# thing ("Remote Registry on all six nodes, it's on Automatic", "... Registry, and that's
# running"), nor across a dash before the state it is in ("Remote Registry on all nodes -
# running and automatic")
_BREAK = re.compile(r",(?!\s*(?:and\s+)?(?:it|they|that)(?:['’](?:s|re)\b|"
                    r"\s+(?:is|are|was|were|has|have)\b))|"
                    r"\s[-–—]\s(?!(?:running|stopped|started|enabled|disabled|installed|"
                    r"missing|present|automatic|manual|on|off)\b)", re.I)


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
    matched: int = 1           # the phrase's words found
    verbatim: bool = False     # all of them, next to each other and in the phrase's order
    past: bool = False         # said of what was so before ("last year's problem where ...")


class TicketReader:
    def __init__(self, kb: KnowledgeBase, lexicon: Lexicon):
        self.lexicon = lexicon
        self.aside = Aside(lexicon)
        self.book = PhraseBook(kb, lexicon)
        # the phrases that are themselves about those the problem spares ("colleagues get
        # their voicemails fine"): their words are no aside about the others
        self.about_others = frozenset(i for i, p in enumerate(self.book.phrases)
                                      if self.aside.about_others(p.forms, p.text))
        # question -> general answer -> its narrower answers (`- narrower:`)
        self.narrower: dict[str, dict[str, frozenset[str]]] = {
            question.id: {n.general: frozenset(n.narrower) for n in question.narrowings}
            for question in kb.questions if question.narrowings}

    def read(self, text: str) -> list[Reading]:
        """Every reading of the ticket, strongest first for each question and value."""
        text = text[:MAX_TEXT]
        found: dict[tuple[str, str], Reading] = {}
        logical = lines(text)
        for index, (line_no, line) in enumerate(logical):
            named: set[str] = set()        # the line's names so far ("KB974571"), for "it"
            spans = [span for span in clauses(line) if line[span[0]:span[1]].strip()]
            for start, end, asked in spans:
                clause = line[start:end]
                # a chat's question answered on the next line ("Agent: Any mailbox?" /
                # "User: no, ..."): the reply decides, as in "asked if it has a mailbox: no"
                answer = self.aside.next_reply(clause, logical[index + 1][1]) \
                    if asked and (start, end, asked) == spans[-1] and \
                    index + 1 < len(logical) else None
                # "works for English users but not for the French office": not said outright
                doubtful = asked or _QUALIFIED.match(line, end) is not None
                terms = self.lexicon.terms(clause.lower())
                # "How do I enable SCR for SG1?" asks for a task: it says which one
                task = asked and asks_how(clause)
                for reading in self._clause(clause, line, line_no, doubtful, terms, named,
                                            task, start, answer):
                    key = (reading.question, reading.value)
                    # the strongest, the weightiest, then the one said first: which one is
                    # kept must not depend on the order phrases happen to be tried in
                    if key not in found or _rank(reading) > _rank(found[key]):
                        found[key] = reading
                named.update(anaphora.names(clause, terms))
        readings = _narrowed(found.values(), self.narrower) if self.narrower else found.values()
        return sorted(_undecided(readings), key=lambda r: (-r.strength, r.line_no, r.question))

    def _clause(self, clause: str, line: str, line_no: int, asked: bool, terms,
                named: set[str], task: bool, at: int = 0,
                answer: tuple[str, str] | None = None) -> list[Reading]:
        out: list[Reading] = []
        anaphor, named = anaphora.find(clause, terms, named)

        def broken(first: int, last: int, phrase: Phrase | None = None) -> bool:
            # "ran the long proxy address check, nothing found": a phrase's closing negation
            # may follow a break; "has no mailbox, isn't an admin": so may a list of denials
            start, stop = terms[first].start, terms[last].end
            if phrase and phrase.trailing:
                stop = next((terms[i - 1].end for i in range(first + 1, last + 1)
                             if negation.says_not(terms[i].surface)), stop)
            return _BREAK.search(clause, start, stop) is not None and not (
                phrase and phrase.negative and negation.listed(clause[start:stop], _BREAK))

        for index in self.book.candidates(terms):
            phrase = self.book.phrases[index]
            span = best_span(terms, phrase.forms, phrase.size, lambda a, b: broken(a, b, phrase))
            if span is None:
                continue
            matched, first, last = span
            if phrase.question.id.startswith(OUTSIDE) and last - first > phrase.size + 1:
                continue    # a cause is named outright: not "full of ... errors for the mailbox"
            said_from = terms[first].start
            if anaphor is not None and (matched < phrase.size or
                                        _BREAK.search(clause, said_from, terms[last].end)):
                resolved = anaphora.resolved(terms, phrase.forms, anaphor, named)
                if resolved is not None:
                    first, last = resolved
                    matched, said_from = phrase.size, anaphor.start()
            strength = matched / phrase.size
            if phrase.denier and not _denies_first(terms, first, last, phrase):
                strength *= WEAK    # "since Patch Tuesday nobody can book" is not "nobody
                # has patched it since": a negation reaches what follows it, not what is before
            if strength < WEAK or (strength < STRONG and matched < 2):
                continue
            if strength < STRONG and not any(terms[i].form in phrase.telling
                                             for i in range(first, last + 1)):
                continue          # "mailboxes all show": words every answer's phrases have
            choice = phrase.question.type == "choice"
            # what was so before, or is so for the others, a guess, or only a condition
            # ("lovely when it works"): engine.text.aside
            aside = choice and phrase.question.id != PRODUCT and (
                not task and self.aside.before(clause, phrase.text, phrase.task, terms[first],
                                               terms[first + 1:last + 1])
                or self.aside.others(clause, said_from, terms[last].end,
                                     index in self.about_others)) or \
                self.aside.guessed(clause, said_from) or \
                self.aside.another_time(clause, said_from) or \
                self.aside.conditional(clause, said_from, terms[last].end) or \
                phrase.question.id != PRODUCT and \
                self.aside.intended(clause, said_from, phrase.task)
            # "Asked if mailboxes moved: no": the caller's reply decides (engine.text.aside)
            replied = None if phrase.question.id == PRODUCT else \
                self.aside.reply(line, at + said_from, at + terms[last].end)
            reply = replied[0] if replied else \
                answer[0] if answer and phrase.question.id != PRODUCT else None
            if (asked and not (task and choice) and not reply) or aside or reply == "" or \
                    broken(first, last, phrase) or phrase.quantified and \
                    not _QUANTIFIER.search(clause, max(0, said_from - QUANTIFIER_REACH),
                                           terms[last].end):
                # "is that the orphaned account issue?"; "rooms show as room mailboxes,
                # whereas before they were plain user accounts"; "we prepared the target in
                # advance" (what was done, not which one it is now): a suggestion at most
                strength *= WEAK                  # kept in order: a full match first
            value: str | None = phrase.value
            said_not = negation.negated(clause, terms[first].start, terms[last].end,
                                        after=not phrase.negative) or \
                phrase.trailing and negation.trails(clause, terms[last].end)
            said_not = said_not != (reply == "no")
            if phrase.negative and not said_not:
                continue                          # "not a team mailbox" needs its "not"
            if not said_not and not phrase.negative and \
                    negation.says_not(clause, said_from, terms[last].end):
                strength *= WEAK          # a "not" among the words that a bracket cut off
            negated = said_not != phrase.negative
            if negated and phrase.question.id == PRODUCT:
                # "Jabber doesn't show 'In a meeting'" still says which system it is
                negated = False
            if negated:
                value = _opposite(phrase.question, phrase.value)
                if value is None:
                    continue
            # the caller's words, with the reply they gave when asked ("mailboxes moved: no")
            words = clause[said_from:terms[last].end]
            if replied and reply:
                words = line[at + said_from:replied[1]]
            elif reply:                            # the next line of a chat replied
                words = f"{words}? {answer[1]}"
            verbatim = (matched == phrase.size == last - first + 1 and
                        tuple(t.form for t in terms[first:last + 1]) == phrase.order)
            out.append(Reading(phrase.question.id, value, round(strength, 3), words, line_no,
                               line, phrase.text, negated, matched, verbatim,
                               self.aside.earlier(clause, phrase.text, said_from,
                                                  terms[last].end)))
        if not asked:               # "about 3,000 users", "40 agents"
            units = self.book.units
            out.extend(Reading(question.id, value, STRONG, words, line_no, line, unit)
                       for question, value, words, unit in quantities(clause, terms, units))
        return out


def _narrowed(readings, narrower: dict[str, dict[str, frozenset[str]]]) -> list[Reading]:
    """The readings, less what a general answer's words would rule out: where the ticket also
    has words for one of its narrower answers ("Jabber never shows the meeting status" and
    "since we set their users to German"), the general answer gives way to a narrower one said
    outright and is only a suggestion beside one the words only suggest."""
    readings = list(readings)
    said: dict[str, dict[str, float]] = {}
    for reading in readings:
        values = said.setdefault(reading.question, {})
        values[reading.value] = max(values.get(reading.value, 0.0), reading.strength)
    out = []
    for reading in readings:
        special = narrower.get(reading.question, {}).get(reading.value)
        if special:
            found = [strength for value, strength in said[reading.question].items()
                     if value in special and strength >= WEAK]
            if found and max(found) >= STRONG:
                continue
            if found and reading.strength > WEAK:
                reading = replace(reading, strength=WEAK)
        out.append(reading)
    return out


def _undecided(readings) -> list[Reading]:
    """The readings, settled where the ticket answers a question two ways at full strength:
    what is so now over what was so before, then the reading of the longer phrase ("KB974571
    missing from the server" over "KB974571 is on the server"), a phrase of VERBATIM words or
    more found word for word counting one word more than it has (in "normal users' mailboxes
    are listed as Shared Mailbox", "listed as a shared mailbox" stands as written, "listed as
    a normal user mailbox" does not); when no one does ("licensed" here, "ran out of licences"
    there), or the longer is read across a comma, colon, bracket or dash and the other is not,
    all of them become suggestions: asked, not settled from the words."""
    readings = list(readings)
    strong: dict[str, list[Reading]] = {}
    for reading in readings:
        if reading.strength >= STRONG:
            strong.setdefault(reading.question, []).append(reading)
    beaten: set[tuple[str, str]] = set()
    torn: set[str] = set()
    for question, found in strong.items():
        if len({r.value for r in found}) < 2:
            continue
        now = [r for r in found if not r.past]
        if now and len(now) < len(found):
            # "last year's problem where Remote Registry was disabled ... it is running now"
            beaten.update((question, r.value) for r in found if r.past and
                          all(n.value != r.value for n in now))
            found = now
            if len({r.value for r in found}) < 2:
                continue
        most = max(map(_weight, found))
        winners = {r.value for r in found if _weight(r) == most}
        across = [negation.SCOPE.search(r.words) is not None for r in found]
        if len(winners) == 1 and not all(across) and \
                any(a for r, a in zip(found, across) if r.value in winners):
            # the longer one is read across a bracket or a colon, the other in one piece ("her
            # mailbox hasn't moved (same database for 3 years)"): neither wins
            winners = {r.value for r in found}
        if len(winners) == 1:
            beaten.update((question, r.value) for r in found if r.value not in winners)
        else:
            torn.add(question)
    return [replace(r, strength=WEAK) if r.question in torn else r for r in readings
            if (r.question, r.value) not in beaten]


def _rank(reading: Reading) -> tuple:
    return (reading.strength, _weight(reading), -reading.line_no,
            -reading.line.find(reading.words), len(reading.words))


def _denies_first(terms, first: int, last: int, phrase: Phrase) -> bool:
    """Whether the phrase's own negation word ("nobody") stands before the word it negates, the
    phrase's next one ("patched"), in terms[first:last + 1]."""
    negates = phrase.order[phrase.order.index(phrase.denier) + 1:][:1]   # () when it ends it
    at = next((i for i in range(first, last + 1) if terms[i].form == phrase.denier), None)
    return at is not None and not any(terms[i].form in negates for i in range(first, at))


def _weight(reading: Reading) -> int:
    """How much a reading says against another of the same question: its phrase's words found,
    one more when VERBATIM of them or more stand word for word in the phrase's order."""
    return reading.matched + (reading.verbatim and reading.matched >= VERBATIM)


def _opposite(question: Question, value: str) -> str | None:
    if question.type == "yes/no":
        return {"yes": "no", "no": "yes"}.get(value)
    return None
