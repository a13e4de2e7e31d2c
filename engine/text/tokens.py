"""Search text: one tokeniser for the index, the query and the snippets.

Text is cut into chunks: runs of letters, digits, `.`, `-` and `_`, with those three stripped
from both ends. A chunk that holds a digit, has `.`, `-` or `_` inside, or is in mixed case is a
**code** (error code, event id, hex value, SMTP status, cmdlet, parameter, file name). A code is
kept whole and lower-cased, never stemmed or split, so `4.4.0` is one token that `4 4 0` cannot
match, and `0x35` is one token. Every other chunk is a **word**, stemmed (Snowball English) so
`connecting` finds `connection`.

The words inside a code are indexed as words too (`Set-POPSettings` gives `set` and `popset`),
so prose finds it; the digits-only parts of a dotted code are not (`4.4.0` gives no `4`).

The same function (`chunk_tokens`) cuts the KB text for the search index, the user's query and
the snippets (`engine.search`), and the ticket text for matching (`engine.text.similarity`,
through `engine.text.lexicon`, which adds the KB's synonyms and stop words), so they agree.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

# A run of letters, digits and . - _ that starts and ends with a letter or digit.
CHUNK = re.compile(r"[^\W_](?:[\w.\-]*[^\W_])?")
_PART = re.compile(r"[^._\-]+")
EDGES = "._-"
_DIGIT = re.compile(r"\d").search
_CODE_WITH_NUMBER = re.compile(r"^([a-z]{1,4})(\d{3,})$")  # KB974571 -> also 974571
_STEMMER = snowballstemmer.stemmer("english")


@dataclass(frozen=True)
class Token:
    """One index form found in a text, with the span of the text it came from."""

    start: int
    end: int
    form: str      # what the index holds: a code (lower-cased) or a word stem
    kind: str      # "code" or "word"
    surface: str   # the chunk or part as written, folded (lower case, no accents)


def fold(text: str) -> str:
    """Case-folded without accents, compatibility forms unified: `Straße` and `STRASSE` are
    `strasse`, `Ｅｘｃｈａｎｇｅ` is `exchange`, `café` is `cafe`. Done before the FTS tokenizer
    sees a form, so the index, the query, the snippets and ticket matching all agree."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize(
        "NFKC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold())


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _STEMMER.stemWord(word)


def chunks(text: str):
    return ((match.start(), match.group()) for match in CHUNK.finditer(text))


def chunk_at(text: str, pos: int) -> tuple[int, str] | None:
    """The chunk of `text` that covers position `pos`, with its start."""
    start = pos
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_.-"):
        start -= 1
    match = CHUNK.search(text, start)
    if match is None or match.start() > pos:
        return None
    return match.start(), match.group()


def mixed_case(chunk: str) -> bool:
    """An upper-case letter after the first character, and a lower-case one somewhere."""
    rest = chunk[1:]
    return rest != rest.lower() and chunk != chunk.upper()


@lru_cache(maxsize=200_000)
def chunk_tokens(chunk: str) -> tuple[tuple[int, int, str, str, str], ...]:
    """(start, end, form, kind, surface) for one chunk, offsets relative to the chunk."""
    folded = fold(chunk)
    has_digit = _DIGIT(chunk) is not None
    compound = "." in chunk or "-" in chunk or "_" in chunk
    mixed = mixed_case(chunk)
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
            if mixed_case(text):
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
            for start, chunk in chunks(text)
            for rel_start, rel_end, form, kind, surface in chunk_tokens(chunk)]


