"""The ticket text as weak evidence: how much it sounds like each entry.

Each entry becomes a weighted bag of terms: stemmed words and adjacent word pairs from its
title, aliases, symptoms (as callers say them), tags, the labels of the answers its rule needs,
and, with less weight, the ticket phrases for those answers (other callers' words for the same
situation) and its cause. A ticket is scored against every entry by TF-IDF cosine
similarity, so words every entry uses ("Exchange", "server") count for little and the words
that tell entries apart count for much. Codes (`0x35`, `4.4.0`, `31551`, cmdlet names) are kept
whole as tokens.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from dataclasses import dataclass

from engine.kb.models import PRODUCT, Atom, Condition, Entry, KnowledgeBase
from engine.text.lexicon import Lexicon

# Field weights: how strongly a term in that part of an entry describes it.
WEIGHTS = {"title": 3.0, "aliases": 3.0, "symptoms": 2.0, "tags": 1.5, "answers": 1.5,
           "phrases": 0.5, "products": 1.0, "cause": 0.7, "when": 2.0}
PAIR_WEIGHT = 1.5
UNKNOWN_WEIGHT = 0.5     # a ticket word no entry uses, against the weight of the rarest word


def surface_terms(text: str, lexicon: Lexicon) -> list[tuple[str, str]]:
    """(term, the words as written) for the content words and codes, in order: the one
    tokenizer, lower-cased first (a ticket's `uidcorruptiondetected` is the KB's
    `UidCorruptionDetected`), with the KB's synonyms and stop words."""
    return [(term.form, term.surface) for term in lexicon.terms(text.lower())]


def terms(text: str, lexicon: Lexicon) -> list[str]:
    """Stemmed content words and codes, in order."""
    return [term for term, _ in surface_terms(text, lexicon)]


def features(text: str, lexicon: Lexicon) -> Counter:
    """Terms plus adjacent pairs (`connect limit`, `mailbox move`)."""
    words = terms(text, lexicon)
    bag = Counter(words)
    for a, b in zip(words, words[1:]):
        if a != b:
            bag[f"{a} {b}"] += PAIR_WEIGHT
    return bag


def answers(condition: Condition | None) -> list[tuple[str, str]]:
    """(fact, value) of each answer a rule asks for, not under `not:`."""
    if condition is None:
        return []
    if isinstance(condition, Atom):
        return [(condition.fact, v) for v in condition.values] \
            if condition.op in ("is", "one_of") else []
    if condition.op == "none":
        return []
    return [answer for item in condition.items for answer in answers(item)]


def entry_fields(entry: Entry, labels: dict[tuple[str, str], str],
                 phrases: dict[tuple[str, str], list[str]]) -> dict[str, str]:
    """The entry's text by field; `phrases` are the ticket phrases of each (fact, value), which
    product it is left out (every entry of a product would share them)."""
    needed = answers(entry.rule)
    return {
        "title": entry.title,
        "aliases": "\n".join(entry.aliases),
        "symptoms": "\n".join(entry.symptoms),
        "tags": " ".join(t.replace("-", " ") for t in entry.tags),
        "answers": "\n".join(labels[a] for a in needed if a in labels),
        "phrases": "\n".join(text for a in needed for text in phrases.get(a, ())),
        "products": " ".join(entry.products),
        "cause": entry.cause.markdown,
        "when": entry.when_to_use.markdown,
    }


@dataclass(frozen=True)
class TextScore:
    entry: str
    score: float                      # cosine similarity, 0..1
    terms: tuple[str, ...]            # the shared terms that weigh most, for explanations


class TextMatcher:
    def __init__(self, kb: KnowledgeBase, lexicon: Lexicon | None = None):
        self.lexicon = lexicon if lexicon is not None else Lexicon.of(kb)
        labels = {(q.fact, c.value): c.label for q in kb.questions for c in q.choices}
        phrases: dict[tuple[str, str], list[str]] = {}
        for question in kb.questions:
            if question.id != PRODUCT:
                for phrase in question.phrases:
                    phrases.setdefault((question.fact, phrase.value), []).append(phrase.text)
        bags: dict[str, Counter] = {}
        for entry in kb.entries:
            bag: Counter = Counter()
            for name, text in entry_fields(entry, labels, phrases).items():
                for term, count in features(text, self.lexicon).items():
                    bag[term] += WEIGHTS[name] * count
            bags[entry.id] = bag
        n = len(bags)
        df = Counter(term for bag in bags.values() for term in bag)
        self.idf = {term: math.log((1 + n) / (1 + count)) + 1.0 for term, count in df.items()}
        self.max_idf = math.log(1 + n) + 1.0
        # term -> (entries by their number in `ids`, weights): the postings, in KB order, as
        # two flat arrays (a 10,000-entry KB has ~170,000 of them; as tuples in lists they
        # took ~20 MB, and as much again in the cache)
        self.ids: list[str] = list(bags)
        postings: dict[str, tuple[array, array]] = {}
        for number, (entry_id, bag) in enumerate(bags.items()):
            vector = {t: (1 + math.log(c)) * self.idf[t] for t, c in bag.items() if c > 0}
            norm = math.sqrt(sum(w * w for w in vector.values())) or 1.0
            for term, weight in vector.items():
                found = postings.get(term)
                if found is None:
                    found = postings[term] = (array("l"), array("d"))
                found[0].append(number)
                found[1].append(weight / norm)
        self.index = postings

    def score(self, text: str) -> dict[str, TextScore]:
        """Similarity of the text to every entry that shares a term with it."""
        bag = features(text, self.lexicon)
        pairs = surface_terms(text, self.lexicon)
        written = {term: word for term, word in reversed(pairs)}
        written.update({f"{a} {b}": f"{x} {y}" for (a, x), (b, y) in
                        reversed(list(zip(pairs, pairs[1:])))})
        query = {t: (1 + math.log(c)) * self.idf[t] for t, c in bag.items()
                 if t in self.idf and c > 0}
        norm = math.sqrt(sum(w * w for w in query.values()))
        if not norm:
            return {}
        # Words no entry uses are what the ticket says beyond the KB: they count in the
        # ticket's length (so the KB matches less of it), at a share of the rarest weight.
        unknown = sum(1 for t in bag if " " not in t and t not in self.idf)
        norm = math.sqrt(norm * norm + unknown * (UNKNOWN_WEIGHT * self.max_idf) ** 2)
        totals: dict[str, float] = {}
        shared: dict[str, list[tuple[float, str]]] = {}
        ids = self.ids
        for term, weight in query.items():
            found = self.index.get(term)
            if found is None:
                continue
            for number, entry_weight in zip(*found):
                entry_id = ids[number]
                part = weight / norm * entry_weight
                totals[entry_id] = totals.get(entry_id, 0.0) + part
                shared.setdefault(entry_id, []).append((part, term))
        return {entry_id: TextScore(entry_id, total, _leading(shared[entry_id], written))
                for entry_id, total in totals.items()}


def _leading(shared: list[tuple[float, str]], written: dict[str, str]) -> tuple[str, ...]:
    """The shared terms that weigh most, as the ticket wrote them, without repeating a word
    already shown in a pair."""
    out: list[str] = []
    for _, term in sorted(shared, reverse=True):
        word = written.get(term, term)
        if any(word in shown.split() for shown in out):
            continue
        out.append(word)
        if len(out) == 5:
            break
    return tuple(out)
