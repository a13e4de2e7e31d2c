"""The user's query as search terms, and the FTS5 expressions for them.

The query is cut by the same tokenizer as the index (`engine.text.tokens`) and given the KB's
synonyms and stop words (`engine.text.lexicon`). User text reaches FTS5 only as quoted strings.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.text.lexicon import Lexicon, member_forms
from engine.text.tokens import EDGES, chunk_tokens, chunks, fold, mixed_case, stem

MAX_QUERY_CHARS = 1000
MAX_TERMS = 16
MIN_PREFIX = 3


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



def fts_string(text: str) -> str:
    """An FTS5 string: always a literal, whatever it holds (operators, quotes, `*`, `:`)."""
    return '"' + text.replace('"', '""') + '"'



def query_term(chunk: str, prefix: bool = False, lexicon: Lexicon | None = None
               ) -> QueryTerm | None:
    """The term for one chunk of a query; None for a chunk that cannot be searched (`a`)."""
    tokens = chunk_tokens(chunk)
    if not tokens:
        return None
    folded = fold(chunk)
    whole = tokens[0]
    if whole[3] == "word":
        kind, forms = "word", (whole[2],)
    elif mixed_case(chunk) and not any(ch.isdigit() or ch in EDGES for ch in chunk):
        kind, forms = "mixed", tuple(dict.fromkeys((whole[2], stem(folded))))
    else:
        kind, forms = "code", (whole[2],)
    if lexicon is not None:
        forms = tuple(dict.fromkeys(lexicon.form(f) for f in forms))
    use_prefix = prefix and len(folded) >= MIN_PREFIX and forms == (whole[2],)
    return QueryTerm(text=chunk, forms=forms, kind=kind, prefix=folded if use_prefix else "")


def parse_query(query: str, lexicon: Lexicon | None = None,
                prefix_last: bool = True) -> list[QueryTerm]:
    """The user's text as terms. Anything goes in: FTS operators, quotes and brackets are plain
    text here, and every term reaches FTS5 only as a quoted string (`fts_string`). Words of a
    synonym phrase (`voice mail`) become one term; stop words are left out (a query of stop
    words only has no terms: it would rank entries by words that say nothing)."""
    lexicon = lexicon or Lexicon()
    text = query[:MAX_QUERY_CHARS]
    pieces = [chunk for _, chunk in chunks(text)]
    ends_open = bool(text) and not text[-1].isspace()
    keys = [member_forms(piece) for piece in pieces]
    terms: list[QueryTerm] = []
    seen: set[tuple[str, ...]] = set()
    i = 0
    while i < len(pieces):
        phrase = _phrase(lexicon, keys, i)
        if phrase is not None:
            length, name = phrase
            term: QueryTerm | None = QueryTerm(" ".join(pieces[i:i + length]), (name,), "word")
            i += length
        else:
            last = i == len(pieces) - 1
            term = query_term(pieces[i], prefix=prefix_last and last and ends_open,
                              lexicon=lexicon)
            i += 1
        if term is None or (term.forms in seen and not term.prefix):
            continue
        seen.add(term.forms)
        terms.append(term)
    content = [t for t in terms if not (t.kind == "word" and lexicon.is_stop(t.text))]
    return content[:MAX_TERMS]      # only stop words: nothing to search for (stop_words_in)


def stop_words_in(query: str, lexicon: Lexicon) -> tuple[str, ...]:
    """The stop words of a query, each once, as written (for saying why it finds nothing)."""
    words = [chunk for _, chunk in chunks(query[:MAX_QUERY_CHARS]) if lexicon.is_stop(chunk)]
    return tuple(dict.fromkeys(words))


def _phrase(lexicon: Lexicon, keys: list[tuple[str, ...]], i: int) -> tuple[int, str] | None:
    for length in range(min(lexicon.longest, len(keys) - i), 1, -1):
        forms = tuple(k[0] for k in keys[i:i + length] if k)
        if len(forms) == length and (name := lexicon.phrases.get(forms)) is not None:
            return length, name
    return None


def term_expression(term: QueryTerm) -> str:
    """An FTS5 expression for one term: any of its forms, or a token starting with its prefix.
    User text only ever reaches FTS5 as quoted strings (`fts_string`), never as syntax."""
    parts = [fts_string(form) for form in term.forms]
    if term.prefix:
        parts.append(fts_string(term.prefix) + " *")
    return "(" + " OR ".join(parts) + ")"
