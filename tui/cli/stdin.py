"""Evidence piped on stdin: spooled to a temporary file in chunks, so it is scanned like any
file (flat memory, encoding detection, binary check) whatever its size."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path
from typing import Iterator

CHUNK = 1 << 20


@contextlib.contextmanager
def stdin_file() -> Iterator[Path]:
    handle, name = tempfile.mkstemp(prefix="triage-stdin-")
    try:
        with os.fdopen(handle, "wb") as out:
            source = sys.stdin.buffer
            while chunk := source.read(CHUNK):
                out.write(chunk)
        yield Path(name)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(name)
