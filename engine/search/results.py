"""What a search gives back, in terms a reader can use: each hit with the words of the query it
holds and those it lacks and a relevance in one word; the words no entry holds; whether the
query reads like a symptom (which an interview narrows down better than a list).

Relevance, from what the entry holds of the query's words (after stop words, typos corrected):
- **strong**: every word, each where the entry names its problem (title, aliases and tags, error
  strings, symptoms);
- **partial**: every word, some only in passing (the body, the commands); or more than half of
  the words;
- **weak**: half of the words or fewer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.search.query import QueryTerm

NAMING_FIELDS = frozenset({"title", "aliases", "errors", "symptoms"})
SYMPTOM_WORDS = 3   # plain words (no code, cmdlet or name) that make a query a symptom


def relevance(held: tuple[frozenset[str], ...]) -> str:
    """strong / partial / weak, from the fields that hold each term (empty: not held)."""
    if not held:
        return "weak"
    count = sum(1 for fields in held if fields)
    if count == len(held):
        return "strong" if all(fields & NAMING_FIELDS for fields in held) else "partial"
    return "partial" if count * 2 > len(held) else "weak"


def reads_like_symptom(terms: list[QueryTerm]) -> bool:
    """Several plain words and no code: how a caller describes a problem, not how an engineer
    looks one up."""
    return len(terms) >= SYMPTOM_WORDS and all(term.kind == "word" for term in terms)


@dataclass(frozen=True)
class SearchHit:
    id: str
    title: str
    kind: str
    area: str
    score: float
    snippet: str                                  # plain text
    highlights: tuple[tuple[int, int], ...] = ()  # (start, end) spans into `snippet`
    field: str = ""                               # the field the snippet comes from
    relevance: str = ""                           # strong | partial | weak
    matched: tuple[str, ...] = ()                 # the query's words this entry holds
    unmatched: tuple[str, ...] = ()               # ... and those it does not

    def to_json(self) -> dict:
        return {"id": self.id, "title": self.title, "score": self.score,
                "snippet": self.snippet, "kind": self.kind, "area": self.area,
                "field": self.field, "highlights": [list(span) for span in self.highlights],
                "relevance": self.relevance, "matched": list(self.matched),
                "unmatched": list(self.unmatched)}


@dataclass(frozen=True)
class SearchResults:
    query: str
    results: list[SearchHit] = field(default_factory=list)
    suggestion: str | None = None   # "did you mean": the query the results are for, if changed
    words: tuple[str, ...] = ()     # the words searched for (stop words left out)
    unmatched: tuple[str, ...] = () # words that no entry holds
    symptom: bool = False           # the query reads like a symptom (see reads_like_symptom)
    stop_words: tuple[str, ...] = ()  # when the query holds nothing else: its stop words

    def to_json(self) -> dict:
        return {"results": [hit.to_json() for hit in self.results],
                "suggestion": self.suggestion, "words": list(self.words),
                "unmatched": list(self.unmatched)}
