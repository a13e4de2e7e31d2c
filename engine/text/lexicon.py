"""The KB's words applied to the one tokenizer: synonym groups and stop words (kb/language/*.md).

A synonym member is cut with the tokenizer (`engine.text.tokens`) into the forms of its chunks:
`takes ages` -> (`take`, `age`), `e-mail` -> (`e-mail`,). A member of one form maps that form to
the group's name; a member of several forms is a phrase, which a run of those forms in a text
becomes. The group's name is the first member's form (several forms joined by `_`).

Ticket matching (`engine.text.similarity`) and search (`engine.search`) both read text through
this, so "voice mail", "voice message" and "voicemail" are one term to both.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from engine.kb.models import KnowledgeBase
from engine.text.tokens import chunk_tokens, chunks, fold


def member_forms(text: str) -> tuple[str, ...]:
    """The forms of a word or phrase: each chunk's whole-chunk form (a code as written, lower
    case; a word's stem)."""
    out = []
    for _, chunk in chunks(text):
        tokens = chunk_tokens(chunk)
        if tokens:
            out.append(tokens[0][2])
    return tuple(out)


@dataclass(frozen=True)
class Term:
    """One content term of a text: its form after synonyms, the text it covers, its span."""

    form: str
    surface: str
    start: int
    end: int


@dataclass(frozen=True)
class Lexicon:
    canon: dict[str, str] = field(default_factory=dict)           # form -> group name
    phrases: dict[tuple[str, ...], str] = field(default_factory=dict)   # forms -> group name
    stopwords: frozenset[str] = frozenset()                       # folded words
    longest: int = 1                                              # forms in the longest phrase

    @classmethod
    def of(cls, kb: KnowledgeBase) -> Lexicon:
        groups = [group.members for words in kb.words for group in words.synonyms]
        stop = [word for words in kb.words for word, _ in words.stopwords]
        return cls.build(groups, stop)

    @classmethod
    def build(cls, groups: Iterable[Sequence[str]], stopwords: Iterable[str] = ()) -> Lexicon:
        canon: dict[str, str] = {}
        phrases: dict[tuple[str, ...], str] = {}
        for members in groups:
            keys = [member_forms(m) for m in members]
            keys = [k for k in keys if k]
            if not keys:
                continue
            name = "_".join(keys[0])
            for key in keys:
                if len(key) == 1:
                    canon.setdefault(key[0], name)
                else:
                    phrases.setdefault(key, name)
        longest = max((len(k) for k in phrases), default=1)
        return cls(canon, phrases, frozenset(fold(w) for w in stopwords), longest)

    def form(self, form: str) -> str:
        """A form with synonyms applied."""
        return self.canon.get(form, form)

    def is_stop(self, surface: str) -> bool:
        return fold(surface) in self.stopwords

    def terms(self, text: str, keep_stopwords: bool = False) -> list[Term]:
        """The text's terms: one per chunk (its whole-chunk form), phrases joined into their
        group's term, synonyms applied, stop words left out unless asked for."""
        raw: list[Term] = []
        for start, chunk in chunks(text):
            tokens = chunk_tokens(chunk)
            if tokens:
                s, e, form, _, surface = tokens[0]
                raw.append(Term(form, surface, start + s, start + e))
        out: list[Term] = []
        i = 0
        while i < len(raw):
            joined = self._phrase_at(raw, i)
            if joined is not None:
                length, name = joined
                out.append(Term(name, text[raw[i].start:raw[i + length - 1].end].lower(),
                                raw[i].start, raw[i + length - 1].end))
                i += length
                continue
            term = raw[i]
            if keep_stopwords or not self.is_stop(term.surface):
                out.append(Term(self.form(term.form), term.surface, term.start, term.end))
            i += 1
        return out

    def phrases_in(self, text: str) -> set[str]:
        """The names of the synonym phrases that occur in `text` (for the search index)."""
        if not self.phrases:
            return set()
        low = text.lower()
        if not any(key[0][:4] in low for key in self.phrases):
            return set()
        names = set(self.phrases.values())
        return {t.form for t in self.terms(text, keep_stopwords=True) if t.form in names}

    def _phrase_at(self, raw: list[Term], i: int) -> tuple[int, str] | None:
        if not self.phrases:
            return None
        for length in range(min(self.longest, len(raw) - i), 1, -1):
            name = self.phrases.get(tuple(t.form for t in raw[i:i + length]))
            if name is not None:
                return length, name
        return None
