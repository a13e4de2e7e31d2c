"""From a session's facts to its candidates: which entries are still possible, how far each rule
is met, what the ticket text and the evidence say for each; `differential.rank` then scores them.
"""

from __future__ import annotations

import itertools
from operator import attrgetter

from engine.inference.compiled import CompiledKB
from engine.inference.differential import Candidate, Differential, rank
from engine.inference.rules import Firing
from engine.inference.state import SessionState
from engine.inference.supports import Supports
from engine.inference.ticket import PRODUCT, TicketText, another_product
from engine.inference.truth import FactView, Support, Truth, atom_truth, evaluate, support
from engine.kb.models import Condition
from engine.kb.rulelang import atoms

CONTRADICTED = "its conditions contradict the facts"
RULED_OUT = "ruled out: it did not fix the problem"
ELSEWHERE = "the caller's system is not one this knowledge base covers"
OTHER_PRODUCT = frozenset({"other"})


def assess(compiled: CompiledKB, state: SessionState, supports: Supports,
           fired: dict[str, Firing], ruled_out: set[str], ticket: TicketText) -> Differential:
    lenient = state.view()
    hits = state.signature_hits()
    candidates: list[Candidate] = []
    false = Truth.FALSE
    # entries whose rule requires a value a fact does not have (another product's) are
    # excluded in bulk: on a 10,000-entry KB that is most of them, and even a loop that only
    # skips each one costs milliseconds. They come first in `excluded`, each group in KB
    # order, then the other excluded entries in KB order.
    _, groups = state.gated(compiled.gates)
    excluded = dict.fromkeys(itertools.chain.from_iterable(groups), CONTRADICTED)
    for entry_id in itertools.chain(fired, ruled_out):
        excluded.pop(entry_id, None)
    rows = compiled.entry_rows
    if excluded:
        index = compiled.entry_index
        rows = [rows[i] for i in sorted(index[e] for e in compiled.entry_ids - excluded.keys())]
    # "waiting": turned away from by an answer, or no longer asked about (the ticket's words
    # or an answer turned its questions off), and open only through evidence-set facts; a
    # ticket reading that contradicts the rule does not count here: the leader stays, and
    # `Interview.contested` names the reading so it can be corrected
    answered = state.answered_facts() | {f.name for f in state.text_facts if f.source.words}
    silent = Silenced(compiled, state.answers, lenient)
    known = bool(state.values())
    strict = state.view(strict=True)
    certain = state.view(strict=True, certain=True)
    # the tests met that only name the product, each test evaluated once for its entries
    context_met: dict[str, int] = {}
    for atom, ids in compiled.context_groups:
        if atom_truth(atom, lenient) is Truth.TRUE:
            for entry_id in ids:
                context_met[entry_id] = context_met.get(entry_id, 0) + 1
    # the specific signatures that matched, by the entries that cite them
    cited_by: dict[str, list[str]] = {}
    for signature in hits:
        if signature in compiled.specific:
            for entry_id in compiled.cited.get(signature, ()):
                cited_by.setdefault(entry_id, []).append(signature)
    support_of, scores, unknown = supports.of, ticket.scores, Truth.UNKNOWN
    # the facts of questions answered "unknown", and the facts with those left open
    doubted = {compiled.questions[qid].fact for qid in state.doubted()
               if qid in compiled.questions}
    unsure = state.view(certain=True) if doubted else lenient
    hints = suggestions(compiled, state, ticket)
    # a diagnosis names its product in its rule; a procedure only where it applies (the
    # Exchange version): with the system known to be another one ("we moved fully to Office
    # 365"), no runbook for our servers is the answer either
    elsewhere = state.values().get(PRODUCT) == OTHER_PRODUCT
    for entry_id, title, kind, rule, scored in rows:    # (for every entry still possible)
        if entry_id in ruled_out:
            excluded[entry_id] = RULED_OUT
            continue
        if elsewhere and kind == "procedure":
            excluded[entry_id] = ELSEWHERE
            continue
        sup = None
        is_fired = waiting = settled = False
        context = 0
        if rule is not None:
            is_fired = entry_id in fired
            # confident needs every condition known, those under `not:` and where it applies
            # included: what nobody has asked, or the caller did not know, is not taken as
            # "no" (durable's closed world)
            settled = is_fired and evaluate(rule, certain) is Truth.TRUE
            sup = support_of(entry_id, lenient, is_fired)
            if sup.truth is false and not is_fired:
                excluded[entry_id] = CONTRADICTED
                continue
            if doubted and not doubted.isdisjoint(compiled.entry_deps[entry_id]):
                # "don't know" closes a question, and the closed world then takes its test
                # as false; a `not:` on it is not met by that: count only what is known
                known_only = support(rule, unsure)
                sup = Support(sup.truth, known_only.met, known_only.needed)
            if not is_fired and sup.truth is unknown:
                deps = compiled.entry_deps[entry_id]
                turned = (bool(answered) and not answered.isdisjoint(deps)
                          and answer_contradicts(rule, lenient, answered))
                if not turned and known:        # an ask-when is false only on a known fact
                    turned = any(silent(atom.fact) for atom in atoms(rule))
                waiting = turned and evaluate(rule, strict) is false
            if context_met:
                context = context_met.get(entry_id, 0)
        else:
            is_fired = entry_id in fired
        text = scores.get(entry_id) if scores else None
        cited = tuple(sorted(cited_by[entry_id])) if entry_id in cited_by else ()
        suggested, said = 0.0, ()
        if hints and sup is not None:
            suggested, said = _suggested(rule, sup, compiled.entry_deps[entry_id], hints)
        candidates.append(Candidate(
            entry_id, title, kind, sup, text.score if text else 0.0,
            text.terms if text else (), cited, is_fired, settled, waiting, context,
            scored=scored, suggested=suggested, suggestions=said))
    # what the ticket or a log showed (a specific signature) that only entries already out
    # explain: the ones left do not account for it ("NO AUTHENTICATE failed", yet the password
    # was reset yesterday)
    unexplained = tuple(sorted(sig for sig in hits if sig in compiled.specific
                               and compiled.cited.get(sig)
                               and compiled.cited[sig] <= excluded.keys()))
    # a cause listed for some products counts for the product the ticket is about, or, with
    # none known, the one of the entry it sounds most like ("certificate expired" in a ticket
    # about an IMAP tool that names no product)
    about = products(compiled, state.values())
    if not about and candidates:
        about = compiled.entry_products[max(candidates, key=attrgetter("text")).id]
    outside = ticket.outside(about)
    return rank(candidates, excluded, ticket.howto, bool(ticket.scores), outside, unexplained,
                _sounds_like(scores, excluded))


def _sounds_like(scores, excluded: dict[str, str]) -> tuple[str, float] | None:
    """The excluded entry the ticket's text sounds most like, and how much (ties: by id)."""
    if not scores or not excluded:
        return None
    small, large = (scores, excluded) if len(scores) <= len(excluded) else (excluded, scores)
    found = min(((-scores[e].score, e) for e in small if e in large), default=None)
    return None if found is None else (found[1], -found[0])


def products(compiled: CompiledKB, values: dict[str, frozenset[str]]) -> frozenset[str]:
    """The products the session knows of: those named, and each that a known topic is about
    ("external Outlook users" answers `client.protocol`, asked only about mail clients)."""
    named = values.get(PRODUCT, frozenset())
    implied = {compiled.topic_product[fact] for fact in values if fact in compiled.topic_product}
    return named | implied if implied else named


def suggestions(compiled: CompiledKB, state: SessionState, ticket: TicketText
                ) -> list[tuple[str, float, FactView, str]]:
    """(fact, strength, the facts as if the caller had said it, what it says) for each answer
    the ticket's words only suggest (a weak reading) to a question nobody has answered about a
    fact that is not known otherwise."""
    out: list[tuple[str, float, FactView, str]] = []
    weak = ticket.suggestions
    known = state.values() if weak else {}
    # like the strong readings (`ticket.read_facts`): not one about another product's question
    # ("Exchange certs" in a Unity ticket says nothing of the Jabber gateway's status)
    elsewhere = another_product(known.get(PRODUCT, frozenset()))
    for reading in weak:
        if reading.question in state.answers:
            continue
        question = compiled.questions.get(reading.question)
        if question is None or question.fact in known:
            continue
        if elsewhere(question):
            continue
        out.append((question.fact, reading.strength,
                    state.view(overlay={reading.question: reading.value}),
                    f"{question.fact} is {reading.value} ('{reading.words}')"))
    return out


def _suggested(rule: Condition, sup: Support, deps, hints) -> tuple[float, tuple[str, ...]]:
    """How much the ticket's suggestions speak for the rule (the strength of each one that
    would meet more of it, less that of each one that would rule it out), and what they say
    ("against: ..." for those that would rule it out)."""
    total, said = 0.0, []
    for fact, strength, view, text in hints:
        if fact not in deps:
            continue
        alt = support(rule, view)
        if alt.truth is Truth.FALSE:
            total -= strength
            said.append(f"against: {text}")
        elif alt.fraction > sup.fraction:
            total += strength
            said.append(text)
    return total, tuple(said)


def answer_contradicts(rule: Condition, view: FactView, answered: set[str]) -> bool:
    """Whether an answer (to a fact in `answered`) makes one of the rule's tests false: a rule
    the answers have turned away from, not one nobody has asked about yet."""
    return any(atom.fact in answered and atom_truth(atom, view) is Truth.FALSE
               for atom in atoms(rule))




class Silenced:
    """Whether what is known stops the interview from asking about a fact: every question
    that sets it is unanswered and its ask-when is false (the caller described another
    symptom: "agent email itself is fine"). A rule that needs such a fact can only be brought
    about by evidence now. Each fact is worked out once per differential, when first needed."""

    __slots__ = ("compiled", "answers", "view", "known")

    def __init__(self, compiled: CompiledKB, answers: dict[str, str], view: FactView):
        self.compiled, self.answers, self.view = compiled, answers, view
        self.known: dict[str, bool] = {}

    def __call__(self, fact: str) -> bool:
        found = self.known.get(fact)
        if found is None:
            asking = self.compiled.questions_by_fact.get(fact, ())
            found = bool(asking) and all(
                q.id not in self.answers and q.ask_when is not None
                and evaluate(q.ask_when, self.view) is Truth.FALSE for q in asking)
            self.known[fact] = found
        return found
