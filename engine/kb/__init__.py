"""The knowledge base as data: markdown files read into pydantic models (see models.py)."""

from engine.kb.digest import kb_digest
from engine.kb.loader import KBError, LoadResult, load_clean, load_kb, resolve_kb_dir
from engine.kb.models import (
                              Diagnostic,
                              Entry,
                              KnowledgeBase,
                              Question,
                              Signature,
                              SourceDocument,
                              Step,
)

__all__ = ["Diagnostic", "Entry", "KBError", "KnowledgeBase", "LoadResult", "Question",
           "Signature", "SourceDocument", "Step", "kb_digest", "load_clean", "load_kb",
           "resolve_kb_dir"]
