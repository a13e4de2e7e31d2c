"""A `CompiledKB` for a KB folder, with what is pure and expensive to make read from the cache
(`engine.kb.cache`): the loaded models, the text matcher's vectors and the ticket reader's
phrase index. The rest is rebuilt in
each process: durable-rules' rulesets live in C memory and cannot be pickled (they take a few
milliseconds for the bundled KB), nor can RE2's compiled signatures (the same)."""

from __future__ import annotations

import os

from engine.inference.compiled import CompiledKB
from engine.kb.cache import Cache, fingerprint, kb_key
from engine.kb.models import KnowledgeBase
from engine.text.reading import TicketReader
from engine.text.similarity import TextMatcher

USE = "compiled 3"      # change it when what is stored changes shape


def compiled_kb(kb_dir: str | os.PathLike | None = None, cache: Cache | None = None) -> CompiledKB:
    """The KB at `kb_dir` (--kb, $TRIAGE_KB or the bundled one) ready for interviews.
    KBError, one line, when it is missing or has errors."""
    root, digest = fingerprint(kb_dir)
    cache = cache if cache is not None else Cache()

    def make() -> tuple[KnowledgeBase, TextMatcher, TicketReader]:
        from engine.kb.loader import load_clean  # the markdown readers: only on a miss

        kb = load_clean(root)
        text = TextMatcher(kb)
        return kb, text, TicketReader(kb, text.lexicon)

    def fits(value) -> bool:
        return (isinstance(value, tuple) and len(value) == 3
                and isinstance(value[0], KnowledgeBase) and value[0].digest == digest
                and isinstance(value[1], TextMatcher) and isinstance(value[2], TicketReader))

    kb, text, reader = cache.get_or_make(kb_key(root, digest, USE), make, accept=fits)
    return CompiledKB(kb, text=text, reader=reader)
