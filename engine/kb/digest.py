"""One fingerprint of a KB's content: it names the search index and the compiled-KB cache files
and tells a resumed session that the KB changed since it was saved.

It is a hash of every KB file's path (relative to the KB folder) and bytes, so it can be
computed without parsing anything, and the same KB copied elsewhere has the same fingerprint.
A KB built in memory (tests) has no files: its models are hashed instead.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Iterable

from engine.kb.models import KnowledgeBase
from engine.kb.records import as_data


def files_digest(root: Path, paths: Iterable[Path]) -> str:
    digest = hashlib.sha256(b"triage-kb 1\n")
    for path in paths:
        digest.update(path.relative_to(root).as_posix().encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:                     # the loader reports it; the hash just differs
            digest.update(b"\1unreadable")
        digest.update(b"\0")
    return digest.hexdigest()


def kb_digest(kb: KnowledgeBase, salt: str = "") -> str:
    """The KB's fingerprint, salted for one use (`search index 4`) so that a change of that
    use's own format also changes it."""
    base = kb.digest or _model_digest(kb)
    if not salt:
        return base
    return hashlib.sha256(f"{salt}\n{base}".encode()).hexdigest()


def _model_digest(kb: KnowledgeBase) -> str:
    data = {k: v for k, v in as_data(kb).items() if k not in ("root", "digest")}
    text = json.dumps(_without_paths(data), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _without_paths(value):
    if isinstance(value, dict):
        return {k: _without_paths(v) for k, v in value.items() if k != "path"}
    if isinstance(value, list):
        return [_without_paths(v) for v in value]
    return value
