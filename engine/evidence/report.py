"""What a scan of one piece of evidence found: its hits (the first of each signature in full,
the rest counted), its encoding and size, and why it was skipped if it was."""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_HITS_PER_SIGNATURE = 20    # keep the first hits; count the rest


class EvidenceError(Exception):
    """Evidence that cannot be read at all (missing file, a directory, a FIFO or device, no
    permission, an I/O error)."""


@dataclass(frozen=True)
class Hit:
    """One line that matched one signature."""

    signature: str
    source: str
    line_no: int
    line: str
    captures: tuple[tuple[str, str], ...] = ()

    def captured(self) -> dict[str, str]:
        return dict(self.captures)


@dataclass
class EvidenceReport:
    source: str
    encoding: str = ""
    lines: int = 0
    bytes: int = 0
    hits: list[Hit] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)   # signature id -> all hits
    skipped: str | None = None                              # why nothing was read
    notes: list[str] = field(default_factory=list)
