"""A cache of what is expensive to make from a KB and pure: the loaded models, and (one layer
up) the text matcher's vectors. Loading the bundled KB (markdown-it, YAML, pydantic's checks)
takes about half a second; reading it back from the cache takes a few milliseconds.

An entry is a pickle in the user cache folder (platformdirs: `XDG_CACHE_HOME` moves it), named
after a key the caller derives from the KB's fingerprint (`engine.kb.digest.files_digest` over
`loader.kb_files`, computed from the files' bytes before anything is parsed), so an edited KB
gets a new file. Each file starts with a stamp of the code that wrote it (triage's source files,
the Python version, the format; the models are plain dataclasses, so no library's version): a
file from other code, a truncated or corrupt file, or one that does not unpickle, is ignored and
rebuilt. Files are written beside their
final name and `os.replace`d into place, so a reader in another process sees a whole file or
none; two processes building the same entry at once both write a good file and the last one
wins. A cache folder that cannot be written is not an error: the value is just not kept.

The files are pickles, read only from the user's own cache folder: whoever can write there can
already run code as the user.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, TypeVar

import platformdirs

from engine.kb.digest import files_digest
from engine.kb.models import KnowledgeBase
from engine.kb.paths import KBError, display_path, kb_files, resolve_kb_dir

FORMAT = b"triage-cache 2\n"
KEEP_FILES = 16                   # most recently used entries kept in the folder
STALE_TMP_SECONDS = 3600
SUFFIX = ".pickle"
T = TypeVar("T")


def cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir("triage")) / "compiled"


def code_stamp() -> bytes:
    """What the pickled objects' classes depend on: the engine's source files (path, size,
    modification time: a stat each, no reading) and Python's version."""
    engine_dir = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(FORMAT)
    digest.update(f"{sys.version}\0".encode())
    for folder, _, files in sorted(os.walk(engine_dir)):
        for name in sorted(files):
            if name.endswith(".py"):
                stat = os.stat(os.path.join(folder, name))
                digest.update(f"{folder[len(str(engine_dir)):]}/{name}\0{stat.st_size}\0"
                              f"{stat.st_mtime_ns}\0".encode())
    return digest.hexdigest().encode() + b"\n"


def kb_key(root: Path, digest: str, use: str) -> str:
    """The name of a cache entry for the KB at `root` with this fingerprint: where it is
    matters too (paths in the models are written as the user gave them), and what the entry
    holds (`use`)."""
    text = f"{use}\0{root}\0{display_path(root)}\0{digest}"
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def fingerprint(kb_dir: str | os.PathLike | None) -> tuple[Path, str]:
    """The KB folder (--kb, $TRIAGE_KB or the bundled one) and the fingerprint of its files,
    read without parsing them. KBError if the folder is missing or holds no KB file."""
    root = resolve_kb_dir(kb_dir)
    if not root.is_dir():
        raise KBError(f"knowledge base folder not found: {root}")
    files = kb_files(root)
    return root, files_digest(root, files)


def load_clean_cached(kb_dir: str | os.PathLike | None = None,
                      cache: "Cache | None" = None) -> KnowledgeBase:
    """`loader.load_clean`, through the cache: the same KB, a few milliseconds instead of the
    whole parse when these files were loaded before."""
    from engine.kb.loader import load_clean  # the markdown readers: only on a miss

    root, digest = fingerprint(kb_dir)
    cache = cache if cache is not None else Cache()
    return cache.get_or_make(kb_key(root, digest, "kb"), lambda: load_clean(root),
                             accept=lambda kb: isinstance(kb, KnowledgeBase)
                             and kb.digest == digest)


class Cache:
    """Pickled values by key in one folder (default: the user cache folder)."""

    def __init__(self, directory: Path | None = None):
        self.directory = directory if directory is not None else cache_dir()
        self._stamp: bytes | None = None

    @property
    def stamp(self) -> bytes:
        if self._stamp is None:
            self._stamp = code_stamp()
        return self._stamp

    def path(self, key: str) -> Path:
        return self.directory / f"{key}{SUFFIX}"

    def get(self, key: str):
        """The value stored under `key`, or None (absent, from other code, or unreadable)."""
        path = self.path(key)
        enabled = gc.isenabled()
        gc.disable()            # unpickling allocates only what it keeps: nothing to collect
        try:
            with path.open("rb") as stream:
                if stream.readline() != self.stamp:
                    return None
                value = pickle.load(stream)
        except Exception:                # missing, truncated, corrupt, classes that changed
            return None
        finally:
            if enabled:
                gc.enable()
        try:
            os.utime(path)               # most recently used: kept by prune()
        except OSError:
            pass
        return value

    def put(self, key: str, value) -> bool:
        """Store `value` (atomically); False when the folder cannot be written."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix="tmp-", suffix=".tmp", dir=self.directory)
        except OSError:
            return False
        try:
            with os.fdopen(fd, "wb") as stream:
                stream.write(self.stamp)
                pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path(key))
        except Exception:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            return False
        self.prune(keep=self.path(key))
        return True

    def get_or_make(self, key: str, make: Callable[[], T], accept: Callable[[object], bool]
                    = lambda value: True) -> T:
        value = self.get(key)
        if value is not None and accept(value):
            return value
        value = make()
        if accept(value):              # e.g. the files changed while they were read
            self.put(key, value)
        return value

    def prune(self, keep: Path) -> None:
        """Keep the most recently used entries; remove temporary files left by a crash."""
        try:
            found = list(self.directory.iterdir())
        except OSError:
            return
        now = time.time()

        def mtime(path: Path) -> float:
            try:
                return path.stat().st_mtime
            except OSError:
                return now

        entries = sorted((p for p in found if p.suffix == SUFFIX and p != keep), key=mtime,
                         reverse=True)
        stale = [p for p in found if p.suffix == ".tmp" and now - mtime(p) > STALE_TMP_SECONDS]
        for path in entries[KEEP_FILES - 1:] + stale:
            try:
                path.unlink()
            except OSError:
                pass
