"""Opening evidence files: regular files only, never waited on.

A FIFO given as evidence would block the reader until someone writes to it (forever, in the app's
worker); a device (`/dev/zero`, `/dev/tty`) never ends or waits for a person; a socket cannot be
opened. So a path is opened without blocking and checked on the open descriptor, and anything
but a regular file is refused with one line saying what it is.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

__all__ = ["EvidenceError", "describe_mode", "open_regular"]


from engine.evidence.report import EvidenceError  # noqa: E402  (one class for every reader)

_NOT_REGULAR = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"),
                (stat.S_ISDIR, "a directory"))


def describe_mode(mode: int) -> str:
    return next((name for test, name in _NOT_REGULAR if test(mode)), "not a file")


def open_regular(path: str | os.PathLike) -> BinaryIO:
    """`path` opened for reading if it is a regular file; EvidenceError (one line) otherwise.
    Opened without blocking (a FIFO would wait for a writer), checked on the open descriptor
    (no race with a path swapped in between), then read as usual."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise EvidenceError(f"evidence file not found: {path}") from None
    except IsADirectoryError:
        raise EvidenceError(f"evidence path is a directory, not a file: {path}") from None
    except OSError as exc:
        if exc.errno == errno.ENXIO:            # a socket (or a FIFO no one writes to)
            try:
                kind = describe_mode(os.stat(path).st_mode)
            except OSError:
                kind = "not a file"
            raise EvidenceError(f"evidence path is not a regular file ({kind}): {path}") from None
        raise EvidenceError(f"cannot read evidence file {path}: {exc.strerror or exc}") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise EvidenceError(f"evidence path is a directory, not a file: {path}")
        if not stat.S_ISREG(mode):
            raise EvidenceError(f"evidence path is not a regular file ({describe_mode(mode)}): "
                                f"{path}")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
