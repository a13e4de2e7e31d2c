"""What the search index holds of a piece of KB text: its index forms (tokenizer forms with the
KB's synonyms applied), its codes, and its words as written (for "did you mean" and snippets).
Each distinct piece is analysed once per build."""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from engine.text.lexicon import Lexicon
from engine.text.tokens import CHUNK, chunk_tokens, mixed_case, stem


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
    return written if compound or mixed_case(written) else folded


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
    chunks = CHUNK.findall(piece)
    if len(chunks) == 1:
        return chunk_info(chunks[0])
    infos = [chunk_info(chunk) for chunk in chunks]
    return ChunkInfo(forms=" ".join(info.forms for info in infos if info.forms),
                     codes=tuple(c for info in infos for c in info.codes),
                     vocabulary=tuple(v for info in infos for v in info.vocabulary))




def canonical(info: ChunkInfo, lexicon: Lexicon) -> ChunkInfo:
    """The piece's forms with the KB's synonyms applied."""
    if not lexicon.canon:
        return info
    form = lexicon.form
    return ChunkInfo(forms=" ".join(form(f) for f in info.forms.split()),
                     codes=tuple(form(c) for c in info.codes),
                     vocabulary=tuple((w, form(f), shown) for w, f, shown in info.vocabulary))
