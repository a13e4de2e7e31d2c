"""Evidence piped on stdin: spooled to a temporary file in chunks, so it is scanned like any
file (flat memory, encoding detection) whatever its size, within limits:

- the first 64 KiB are sniffed before anything else is read: binary data (`/dev/zero`, an
  image, a zip) is refused at once instead of being copied to disk;
- at most `TRIAGE_STDIN_LIMIT` bytes (default 2 GiB) are spooled; past that, one line says so
  (a bigger log can be given as a file: `--evidence PATH` reads it in place, with no copy);
- the spool file is removed however the command ends: an error, Ctrl+C, or SIGTERM (the
  command line turns SIGTERM into an exception, see `tui.cli.main`).
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path
from typing import BinaryIO, Iterator, Mapping

from engine.evidence.scanner import SNIFF_BYTES, sniff_encoding
from tui.cli.common import CliError

CHUNK = 1 << 20
DEFAULT_LIMIT = 2 << 30          # 2 GiB
LIMIT_ENV = "TRIAGE_STDIN_LIMIT"


def stdin_limit(environ: Mapping[str, str] = os.environ) -> int:
    """The most bytes stdin may bring: $TRIAGE_STDIN_LIMIT if it is a positive whole number."""
    try:
        value = int(environ.get(LIMIT_ENV, ""))
    except ValueError:
        return DEFAULT_LIMIT
    return value if value > 0 else DEFAULT_LIMIT


def size_text(n: int) -> str:
    for unit, shift in (("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if n >= 1 << shift and n % (1 << shift) == 0:
            return f"{n >> shift} {unit}"
    return f"{n} bytes"


def _read_head(source: BinaryIO) -> bytes:
    parts, size = [], 0
    while size < SNIFF_BYTES:
        chunk = source.read(SNIFF_BYTES - size)
        if not chunk:
            break
        parts.append(chunk)
        size += len(chunk)
    return b"".join(parts)


@contextlib.contextmanager
def stdin_file(source: BinaryIO | None = None, limit: int | None = None) -> Iterator[Path]:
    source = source if source is not None else sys.stdin.buffer
    limit = limit if limit is not None else stdin_limit()
    handle, name = tempfile.mkstemp(prefix="triage-stdin-")
    try:
        with os.fdopen(handle, "wb") as out:
            head = _read_head(source)
            if head and sniff_encoding(head, whole=len(head) < SNIFF_BYTES) is None:
                raise CliError("stdin looks binary (not text): refused; give a text log")
            total = len(head)
            out.write(head)
            while chunk := source.read(CHUNK):
                total += len(chunk)
                if total > limit:
                    raise CliError(f"stdin is over the {size_text(limit)} limit for evidence "
                                   f"({LIMIT_ENV}); save it to a file and give --evidence PATH")
                out.write(chunk)
        yield Path(name)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(name)
