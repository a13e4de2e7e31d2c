"""The knowledge base as data: markdown files read into frozen dataclasses (see models.py),
checked with pydantic as they are read (records.py).

The names below are imported when first used (PEP 562), so a command that reads a KB from the
compiled-KB cache (`engine.kb.cache`) never imports the markdown and YAML readers."""

from __future__ import annotations

import importlib

_WHERE = {
    "kb_digest": "engine.kb.digest",
    "KBError": "engine.kb.loader", "LoadResult": "engine.kb.loader",
    "load_clean": "engine.kb.loader", "load_kb": "engine.kb.loader",
    "resolve_kb_dir": "engine.kb.loader",
    "Diagnostic": "engine.kb.models", "Entry": "engine.kb.models",
    "KnowledgeBase": "engine.kb.models", "Question": "engine.kb.models",
    "Signature": "engine.kb.models", "SourceDocument": "engine.kb.models",
    "Step": "engine.kb.models",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'engine.kb' has no attribute '{name}'")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
