"""Search text: one tokeniser for the index, the query and the snippets.

Text is cut into chunks: runs of letters, digits, `.`, `-` and `_`, with those three stripped
from both ends. A chunk that holds a digit, has `.`, `-` or `_` inside, or is in mixed case is a
**code** (error code, event id, hex value, SMTP status, cmdlet, parameter, file name). A code is
kept whole and lower-cased, never stemmed or split, so `4.4.0` is one token that `4 4 0` cannot
match, and `0x35` is one token. Every other chunk is a **word**, stemmed (Snowball English) so
`connecting` finds `connection`.

The words inside a code are indexed as words too (`Set-POPSettings` gives `set` and `popset`),
so prose finds it; the digits-only parts of a dotted code are not (`4.4.0` gives no `4`).

The same function (`chunk_tokens`) cuts the KB text for the index (`piece_info`), the user's
query (`parse_query`) and the snippets (`chunk_at`), so the three always agree.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import snowballstemmer

MAX_QUERY_CHARS = 1000
MAX_TERMS = 16
MIN_PREFIX = 3
# A run of letters, digits and . - _ that starts and ends with a letter or digit.
_CHUNK = re.compile(r"[^\W_](?:[\w.\-]*[^\W_])?")
_PART = re.compile(r"[^._\-]+")
_EDGES = "._-"
_DIGIT = re.compile(r"\d").search
_CODE_WITH_NUMBER = re.compile(r"^([a-z]{1,4})(\d{3,})$")  # KB974571 -> also 974571
_STEMMER = snowballstemmer.stemmer("english")

STOPWORDS = frozenset("""
a about after again all also am an and any are as at be been before being but by can cannot
could did do does doing don down during each few for from had has have having he her here hers
him his how i if in into is it its itself just me more most my no nor not of off on once only
or other our ours out over own same she should so some such than that the their theirs them then
there these they this those through to too under until up very was we were what when where
which while who whom why will with would you your yours
""".split())


@dataclass(frozen=True)
class Token:
    """One index form found in a text, with the span of the text it came from."""

    start: int
    end: int
    form: str      # what the index holds: a code (lower-cased) or a word stem
    kind: str      # "code" or "word"
    surface: str   # the chunk or part as written, folded (lower case, no accents)


@dataclass(frozen=True)
class QueryTerm:
    """One thing the user typed. It matches an entry holding any of `forms`, or (when `prefix`
    is set) any code or word starting with it."""

    text: str                 # as typed
    forms: tuple[str, ...]    # codes and/or stems
    kind: str                 # "code", "mixed" or "word"
    prefix: str = ""

    @property
    def correctable(self) -> bool:
        """Typos are only guessed for words and letter-only names, never for numbers."""
        return not any(ch.isdigit() for ch in self.text)


def fold(text: str) -> str:
    """Lower case without accents: what the FTS tokenizer does, done first so both agree."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _STEMMER.stemWord(word)


def fts_string(text: str) -> str:
    """An FTS5 string: always a literal, whatever it holds (operators, quotes, `*`, `:`)."""
    return '"' + text.replace('"', '""') + '"'


def _chunks(text: str):
    return ((match.start(), match.group()) for match in _CHUNK.finditer(text))


def chunk_at(text: str, pos: int) -> tuple[int, str] | None:
    """The chunk of `text` that covers position `pos`, with its start."""
    start = pos
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_.-"):
        start -= 1
    match = _CHUNK.search(text, start)
    if match is None or match.start() > pos:
        return None
    return match.start(), match.group()


def _mixed_case(chunk: str) -> bool:
    """An upper-case letter after the first character, and a lower-case one somewhere."""
    rest = chunk[1:]
    return rest != rest.lower() and chunk != chunk.upper()


@lru_cache(maxsize=200_000)
def chunk_tokens(chunk: str) -> tuple[tuple[int, int, str, str, str], ...]:
    """(start, end, form, kind, surface) for one chunk, offsets relative to the chunk."""
    folded = fold(chunk)
    has_digit = _DIGIT(chunk) is not None
    compound = "." in chunk or "-" in chunk or "_" in chunk
    mixed = _mixed_case(chunk)
    out: list[tuple[int, int, str, str, str]] = []
    if not (has_digit or compound or mixed):
        if len(folded) > 1:
            out.append((0, len(chunk), stem(folded), "word", folded))
        return tuple(out)
    out.append((0, len(chunk), folded, "code", folded))
    if compound:
        dotted = "." in chunk
        for part in _PART.finditer(chunk):
            text = part.group()
            part_folded = fold(text)
            span = (part.start(), part.end())
            if _DIGIT(text):
                if not text.isdigit() or not dotted:
                    out.append((*span, part_folded, "code", part_folded))
                continue
            if _mixed_case(text):
                out.append((*span, part_folded, "code", part_folded))
            if len(part_folded) > 1:
                out.append((*span, stem(part_folded), "word", part_folded))
    elif mixed:
        stemmed = stem(folded)
        if stemmed != folded:
            out.append((0, len(chunk), stemmed, "word", folded))
    elif has_digit and (found := _CODE_WITH_NUMBER.match(folded)):
        out.append((len(found.group(1)), len(chunk), found.group(2), "code", found.group(2)))
    return tuple(out)


def analyze(text: str) -> list[Token]:
    """Every index form of `text`, with the span it comes from."""
    return [Token(start + rel_start, start + rel_end, form, kind, surface)
            for start, chunk in _chunks(text)
            for rel_start, rel_end, form, kind, surface in chunk_tokens(chunk)]


class ChunkInfo(NamedTuple):
    """What the index needs from a chunk (or a piece of text): computed once per build."""

    forms: str                                    # its index forms, space-separated
    codes: tuple[str, ...]
    vocabulary: tuple[tuple[str, str, str], ...]  # (word or name folded, form, as written)


_NOTHING = ChunkInfo("", (), ())
_PUNCTUATION = "._-,;:!?()[]{}<>\"'`*"


def _shown(written: str, folded: str) -> str:
    """How "did you mean" shows a word or name: names as written, words in lower case."""
    compound = "." in written or "-" in written or "_" in written
    return written if compound or _mixed_case(written) else folded


@lru_cache(maxsize=100_000)
def chunk_info(chunk: str) -> ChunkInfo:
    tokens = chunk_tokens(chunk)
    return ChunkInfo(forms=" ".join(t[2] for t in tokens),
                     codes=tuple(t[2] for t in tokens if t[3] == "code"),
                     vocabulary=tuple((t[4], t[2], _shown(chunk[t[0]:t[1]], t[4]))
                                      for t in tokens))


def piece_info(piece: str) -> ChunkInfo:
    """The ChunkInfo of a piece of text without white space (all its chunks together)."""
    word = piece.strip(_PUNCTUATION)
    if word.isalpha() and (word.islower() or word.istitle()) and word.isascii():
        # most pieces: a plain word, perhaps with punctuation around it (same result as below)
        if len(word) < 2:
            return _NOTHING
        folded = word.lower()
        stemmed = stem(folded)
        return ChunkInfo(stemmed, (), ((folded, stemmed, folded),))
    chunks = _CHUNK.findall(piece)
    if len(chunks) == 1:
        return chunk_info(chunks[0])
    infos = [chunk_info(chunk) for chunk in chunks]
    return ChunkInfo(forms=" ".join(info.forms for info in infos if info.forms),
                     codes=tuple(c for info in infos for c in info.codes),
                     vocabulary=tuple(v for info in infos for v in info.vocabulary))


def query_term(chunk: str, prefix: bool = False) -> QueryTerm | None:
    """The term for one chunk of a query; None for a chunk that cannot be searched (`a`)."""
    tokens = chunk_tokens(chunk)
    if not tokens:
        return None
    folded = fold(chunk)
    whole = tokens[0]
    if whole[3] == "word":
        kind, forms = "word", (whole[2],)
    elif _mixed_case(chunk) and not any(ch.isdigit() or ch in _EDGES for ch in chunk):
        kind, forms = "mixed", tuple(dict.fromkeys((whole[2], stem(folded))))
    else:
        kind, forms = "code", (whole[2],)
    use_prefix = prefix and len(folded) >= MIN_PREFIX
    return QueryTerm(text=chunk, forms=forms, kind=kind, prefix=folded if use_prefix else "")


def parse_query(query: str, prefix_last: bool = True) -> list[QueryTerm]:
    """The user's text as terms. Anything goes in: FTS operators, quotes and brackets are plain
    text here, and every term reaches FTS5 only as a quoted string (`fts_string`)."""
    text = query[:MAX_QUERY_CHARS]
    chunks = [chunk for _, chunk in _chunks(text)]
    ends_open = bool(text) and not text[-1].isspace()
    terms: list[QueryTerm] = []
    seen: set[tuple[str, ...]] = set()
    for i, chunk in enumerate(chunks):
        last = i == len(chunks) - 1
        term = query_term(chunk, prefix=prefix_last and last and ends_open)
        if term is None or (term.forms in seen and not term.prefix):
            continue
        seen.add(term.forms)
        terms.append(term)
    content = [t for t in terms if not (t.kind == "word" and fold(t.text) in STOPWORDS)]
    return (content or terms)[:MAX_TERMS]


def term_expression(term: QueryTerm) -> str:
    """An FTS5 expression for one term: any of its forms, or a token starting with its prefix.
    User text only ever reaches FTS5 as quoted strings (`fts_string`), never as syntax."""
    parts = [fts_string(form) for form in term.forms]
    if term.prefix:
        parts.append(fts_string(term.prefix) + " *")
    return "(" + " OR ".join(parts) + ")"
