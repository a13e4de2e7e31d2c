"""The differential: every candidate entry with a confidence, and the verdict.

A small log-linear model over what the session knows, with one extra hypothesis, "the KB does
not cover this", so that a ticket nothing fits ends in no-match instead of a guess:

    score(entry) = TEXT * text similarity           (the ticket sounds like the entry)
                 + EVIDENCE * [a signature the entry cites matched, beyond naming the product]
                 + RULE * fraction of its rule's conditions met  } not for a procedure whose
                 + FIRED * [durable-rules fired its rule]         } rule is only its Applies to
                 - WAITING * [the answers left it open only through facts evidence alone sets]
                 + SUGGESTED * (strength of each suggestion from the ticket's words that
                               would meet more of its rule, less each that would rule it out)
                 + HOWTO * [a procedure, and the ticket asks how to do something]
                 - [a procedure, and the ticket does not ask how]
    score(not covered) = TEXT * NOT_COVERED_TEXT when there is ticket text, else 0,
                         or TEXT * NEAR_MISS * the text similarity of the entry the ticket
                         sounds most like among those ruled out, when more: a ticket whose
                         own words rule out the entry it sounds like is a near miss of it
                       + OUTSIDE_KB when the ticket names a cause no entry covers
                         ("the account is locked out": kb/language, Causes no entry covers)
                       + UNEXPLAINED when a specific signature matched (an error, an event)
                         and every entry that cites it is excluded: those left do not
                         account for what the caller sees

Confidences are the softmax of the scores. The verdict is no-match when "not covered" is at
least as likely as the top candidate, or the ticket only sounds like the top candidate (nothing
of its rule met beyond the product, no evidence) and it has under LEADS of the confidence: no
entry stands out, and the nearest are named instead. A rule that is false excludes its entry.
The fraction met counts what is known: a test on a question answered "unknown" is not met,
though the closed world takes it as false (`candidates.assess`). The constants were set by hand
to round values and checked against the case set (tests/test_accuracy.py reports the figures);
they are not fitted to it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Literal, Sequence

from engine.inference.truth import Support, Truth

TEXT = 30.0
EVIDENCE = 3.0
RULE = 2.5
CONTEXT = 0.5                # the product it is about is known: a little, not the rule's share
FIRED = 4.0
WAITING = 4.0                # every way to the rule the caller could confirm has been answered no
HOWTO = 1.5
SUGGESTED = 0.6              # an answer the ticket's words only suggest: a little, for or against
PROCEDURE_WITHOUT_HOWTO = 4.0
NOT_COVERED_TEXT = 0.13      # a ticket must sound more like an entry than this to beat "not covered"
OUTSIDE_KB = 8.0             # the ticket names a cause no entry covers: more than a rule met
                             # and fired (RULE + FIRED + CONTEXT); with how the ticket sounds
                             # like the entry as well, the entry can still lead
NEAR_MISS = 0.7              # share of a ruled-out entry's text similarity "not covered" takes:
                             # an entry left must sound nearly as much like the ticket to lead
UNEXPLAINED = 3.0            # what was seen only excluded entries explain: less than a cause
                             # named outright, since a misread fact may have excluded them

CONFIDENT = 0.6              # confidence the top candidate needs for a confident verdict
LEADS = 0.25                 # below this, a top candidate the ticket only sounds like is no
                             # match either: among several and "not covered", none stands out
LISTED = 0.01                # candidates below this confidence are not listed

Verdict = Literal["confident", "ambiguous", "no-match"]

@dataclass(slots=True)
class Candidate:
    id: str
    title: str
    kind: str
    support: Support | None          # None for an entry without a rule (a procedure)
    text: float = 0.0
    text_terms: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()   # signatures the entry cites that matched
    fired: bool = False              # durable-rules fired its rule
    settled: bool = False            # and every condition of it is known (none left to ask)
    waiting: bool = False            # open only through facts no question sets (evidence may)
    context: int = 0                 # tests met that only name the product (not the problem)
    scored: bool = True              # meeting its rule counts (not a procedure's Applies to)
    suggested: float = 0.0           # the ticket's suggestions for its rule, less those against
    suggestions: tuple[str, ...] = ()   # what they say ("against: ..." for the latter)
    score: float = 0.0
    confidence: float = 0.0

    @property
    def specific(self) -> float:
        """The share of its rule met beyond naming the product: knowing the product says
        nothing for one of its problems over another, or over one the KB does not cover."""
        if self.support is None:
            return 0.0
        needed = self.support.needed - self.context
        if needed <= 0:
            return 1.0 if self.support.truth is Truth.TRUE and self.context == 0 else 0.0
        return max(0.0, (self.support.met - self.context) / needed)

    @property
    def truth(self) -> Truth:
        return self.support.truth if self.support else Truth.UNKNOWN

    @property
    def holds(self) -> bool:
        """durable-rules fired its rule on the facts as they stand (closed world: what nobody
        has said is taken as not so; HOW lists the conditions still open)."""
        return self.fired


@dataclass
class Differential:
    verdict: Verdict
    candidates: list[Candidate]                  # alive, best first
    excluded: dict[str, str] = field(default_factory=dict)   # entry id -> why it is out
    not_covered: float = 0.0                     # confidence that the KB does not cover it
    outside: str = ""           # the ticket's words that name a cause no entry covers
    unexplained: tuple[str, ...] = ()   # signatures matched that only excluded entries cite
    near_miss: str = ""         # the ruled-out entry the ticket sounds like, when that made
                                # "not covered" likelier

    @property
    def top(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None

    def outside_note(self) -> str:
        """What the ticket names that no entry covers, as a sentence to show, or ""."""
        note = outside_cause_note(self.outside) + ". " if self.outside else ""
        if self.unexplained:
            note += unexplained_note(self.unexplained) + ". "
        if self.near_miss:
            note += near_miss_note(self.near_miss) + ". "
        return note

    def listed(self) -> list[Candidate]:
        return [c for c in self.candidates if c.confidence >= LISTED][:10]

    def nearest(self, limit: int | None = 3) -> list[Candidate]:
        """With no match, the entries near it (the first `limit` listed are the ones named
        "not a match"): the ticket sounds a little like them or some of their rule is met."""
        # listed among the entries alone: "not covered" taking most of the confidence (a cause
        # no entry covers, named outright) leaves the nearest ones to name all the same
        share = max(1.0 - self.not_covered, 1e-9)
        near = [c for c in self.candidates if c.confidence / share >= LISTED][:10]
        return [c for c in near[:limit] if c.text > 0 or (c.support and c.support.met)]


def outside_cause_note(words: str) -> str:
    """The sentence that quotes the ticket's words naming a cause no entry covers."""
    return f"The ticket names a cause no entry covers: '{words}'"


def unexplained_note(signatures: Sequence[str]) -> str:
    """The sentence that names signatures only entries already ruled out cite."""
    return (f"What the ticket shows ({', '.join(signatures)}) is explained only by entries "
            f"already ruled out")


def near_miss_note(entry_id: str) -> str:
    """The sentence that names the entry the ticket sounds like but its words rule out."""
    return f"The ticket sounds most like {entry_id}, which what it says rules out"


def score(candidate: Candidate, howto: bool) -> float:
    total = TEXT * candidate.text
    if candidate.evidence:
        total += EVIDENCE
    # a procedure whose rule is only where it applies (its `## Applies to`): a version that
    # rules it out excludes it, but meeting it says nothing for it (every Exchange 2010 ticket
    # meets "Exchange 2010"); how the ticket asks decides
    if candidate.suggested:
        total += SUGGESTED * candidate.suggested
    if candidate.support is not None and candidate.scored:
        total += RULE * candidate.specific
        if candidate.context:
            total += CONTEXT
        if candidate.holds:
            total += FIRED
        elif candidate.waiting:
            total -= WAITING
    if candidate.kind == "procedure":        # with or without a rule (where it applies)
        total += HOWTO if howto else -PROCEDURE_WITHOUT_HOWTO
    return total


def rank(candidates: list[Candidate], excluded: dict[str, str], howto: bool,
         has_text: bool, outside: str = "", unexplained: tuple[str, ...] = (),
         ruled_out: tuple[str, float] | None = None) -> Differential:
    """The candidates scored, by confidence; `ruled_out` is the excluded entry the ticket
    sounds most like and its text similarity."""
    for c in candidates:
        c.score = score(c, howto)
    null = TEXT * NOT_COVERED_TEXT if has_text else 0.0
    near_miss = ""
    if ruled_out is not None and TEXT * NEAR_MISS * ruled_out[1] > null:
        near_miss, null = ruled_out[0], TEXT * NEAR_MISS * ruled_out[1]
    if outside:
        null += OUTSIDE_KB
    if unexplained:
        null += UNEXPLAINED
    peak = max([null] + [c.score for c in candidates])
    weights = [math.exp(c.score - peak) for c in candidates]
    null_weight = math.exp(null - peak)
    total = sum(weights) + null_weight
    for c, w in zip(candidates, weights):
        c.confidence = w / total
    # by confidence, highest first, then by id: two stable sorts, without a key tuple each
    candidates.sort(key=attrgetter("id"))
    candidates.sort(key=attrgetter("confidence"), reverse=True)
    not_covered = null_weight / total
    top = candidates[0] if candidates else None
    if top is None or top.confidence <= not_covered or has_text and _only_sounds_like(top) \
            or outside and not top.holds:
        verdict: Verdict = "no-match"
    elif top.confidence >= CONFIDENT and not outside and (
            (top.holds and top.settled) or
            # a procedure with no rule of its own is the answer only to a caller who asks how
            (top.kind == "procedure" and (howto if top.support is None else top.settled))):
        verdict = "confident"
    else:
        verdict = "ambiguous"
    if verdict != "no-match":
        near_miss = ""             # named only where it is part of the reason for no match
    return Differential(verdict, candidates, excluded, not_covered, outside, unexplained,
                        near_miss)


def _only_sounds_like(top: Candidate) -> bool:
    """The top candidate leads by how the ticket sounds alone, and not by much (LEADS)."""
    return top.confidence < LEADS and top.specific == 0 and not top.evidence and \
        not top.holds
