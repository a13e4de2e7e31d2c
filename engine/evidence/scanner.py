"""Reading evidence (files, pasted text) and finding signatures in it, in one pass.

- Encodings: UTF-8 (with or without BOM), UTF-16 LE/BE with or without BOM (PowerShell 5.1
  `Out-File`, Event Viewer exports), cp1252; invalid bytes become U+FFFD, never an error.
- Lines end at `\\n`, `\\r\\n` or a lone `\\r` only (not at the other characters
  `str.splitlines` splits on), so line numbers match what an editor shows.
- Files are read in chunks through an incremental decoder: memory stays flat whatever the size.
- Matching: an RE2 set tells, per chunk, which signatures occur at all (most chunks of a big log
  have none); only those are searched, with RE2's never_nl so a match never crosses a line.
"""

from __future__ import annotations

import codecs
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Callable, Iterable

import re2

from engine.evidence.files import EvidenceError, open_regular
from engine.kb.models import Signature
from engine.kb.patterns import compile_signature, options, pattern_source

CHUNK_BYTES = 1 << 20          # 1 MiB of input per read
MAX_LINE_CHARS = 1 << 20       # a "line" longer than this is cut (minified or binary-ish data)
MAX_HITS_PER_SIGNATURE = 20    # keep the first hits; count the rest
SNIFF_BYTES = 64 * 1024
SET_MAX_MEM = 32 << 20         # RE2's budget for the signature set (default 8 MiB): a bound,
                               # used as the DFA needs states (scanning stays well under 100 MB)


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


# --- encodings -----------------------------------------------------------------------

def sniff_encoding(head: bytes, whole: bool = True) -> str | None:
    """The encoding of a file from its first bytes (`whole`: they are the entire file);
    None if it looks binary."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"             # the codec reads the BOM and picks the byte order
    sample = head[:4096]
    if b"\x00" in sample:
        even, odd = sample[0::2], sample[1::2]
        if odd and odd.count(0) > 0.3 * len(odd) and _texty(even):
            return "utf-16-le"
        if even and even.count(0) > 0.3 * len(even) and _texty(odd):
            return "utf-16-be"
        return None
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    if sample and controls > 0.1 * len(sample):
        return None
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(head, final=whole)
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"


def _texty(low_bytes: bytes) -> bool:
    """The low bytes of UTF-16 text: mostly printable, hardly ever zero."""
    printable = sum(1 for b in low_bytes if b >= 32 or b in (9, 10, 13))
    return low_bytes.count(0) < 0.05 * len(low_bytes) and printable >= 0.8 * len(low_bytes)


def _decoder(encoding: str):
    return codecs.getincrementaldecoder(encoding)(errors="replace")


# --- lines ---------------------------------------------------------------------------

def iter_blocks(stream: BinaryIO, encoding: str, on_bytes: Callable[[int], None] | None = None,
                on_long_line: Callable[[], None] | None = None):
    """Decoded text in blocks of whole lines, each block's line breaks normalised to '\\n'.
    A line longer than MAX_LINE_CHARS is cut to that length, the rest of it skipped: it still
    counts as one line, so the line numbers after it stay true."""
    decoder = _decoder(encoding)
    carry = ""
    skipping = False                 # inside the rest of a line that was cut
    while True:
        raw = stream.read(CHUNK_BYTES)
        final = not raw
        text = carry + decoder.decode(raw, final=final)
        if on_bytes is not None and raw:
            on_bytes(len(raw))
        if not final and text.endswith("\r"):
            text, carry = text[:-1], "\r"      # it may be the first half of '\r\n'
        else:
            carry = ""
        if "\r" in text:                         # most logs have none: skip both passes
            text = text.replace("\r\n", "\n")
            if "\r" in text:
                text = text.replace("\r", "\n")
        if skipping:
            cut = text.find("\n")
            if cut < 0:
                if final:
                    return
                continue                          # still the long line: drop it
            text, skipping = text[cut:], False    # its line break ends the kept part
        if final:
            if text:
                yield text
            return
        cut = text.rfind("\n")
        if cut < 0:
            if len(text) > MAX_LINE_CHARS:     # no line break for a megabyte: keep its start
                if on_long_line is not None:
                    on_long_line()
                yield text[:MAX_LINE_CHARS]
                skipping, carry = True, ""
                continue
            carry = text + carry
            continue
        yield text[: cut + 1]
        carry = text[cut + 1:] + carry


# --- matching ------------------------------------------------------------------------

class Scanner:
    """All of a KB's signatures, compiled once, matched in one pass over the evidence."""

    def __init__(self, signatures: Iterable[Signature]):
        self.signatures: list[Signature] = []
        self._block_patterns = []
        set_options = options(single_line=True)
        set_options.max_mem = SET_MAX_MEM          # the set's DFA: fewer cache resets
        self._set = re2.Set.SearchSet(set_options)
        for signature in signatures:
            _, error = compile_signature(signature)
            if error:
                continue  # lint reports it; evidence scanning just skips it
            source = pattern_source(signature)
            self._set.Add("(?m)" + source)  # ^ and $ at line ends, as per-line matching has them
            self.signatures.append(signature)
            self._block_patterns.append(re2.compile("(?m)" + source, options(single_line=True)))
        self._set.Compile()

    def scan_text(self, text: str, source: str = "pasted text") -> EvidenceReport:
        report = EvidenceReport(source=source, encoding="text", bytes=len(text.encode("utf-8",
                                                                                         "replace")))
        normalised = text.replace("\r\n", "\n").replace("\r", "\n")
        if not normalised.strip():
            report.skipped = "empty"
            return report
        if not normalised.endswith("\n"):
            normalised += "\n"
        self._scan_blocks([normalised], report)
        return report

    def scan_file(self, path: str | os.PathLike, progress: Callable[[int, int], None] | None = None,
                  cancelled: Callable[[], bool] | None = None) -> EvidenceReport:
        """Scan a regular file. EvidenceError (one line) for a missing file, a directory, a
        FIFO, device or socket (never waited on), or a read that fails part way."""
        path = Path(path)
        stream = open_regular(path)
        with stream:
            try:
                return self._scan_stream(stream, path, progress, cancelled)
            except OSError as exc:
                raise EvidenceError(f"cannot read evidence file {path}: "
                                    f"{exc.strerror or exc}") from None

    def _scan_stream(self, stream: BinaryIO, path: Path, progress, cancelled) -> EvidenceReport:
        size = os.fstat(stream.fileno()).st_size
        report = EvidenceReport(source=path.name, bytes=size)
        head = stream.read(SNIFF_BYTES)
        if not head:
            report.skipped = "empty file"
            return report
        encoding = sniff_encoding(head, whole=len(head) < SNIFF_BYTES)
        if encoding is None:
            report.skipped = "binary file (not text): skipped"
            return report
        report.encoding = encoding
        stream.seek(0)
        done = 0
        long_lines = 0

        def advance(n: int) -> None:
            nonlocal done
            done += n
            if progress is not None:
                progress(done, size)

        def long_line() -> None:
            nonlocal long_lines
            long_lines += 1

        blocks = iter_blocks(stream, encoding, advance, long_line)
        self._scan_blocks(blocks, report, cancelled)
        if long_lines:
            report.notes.append(f"{long_lines} line{'s' if long_lines != 1 else ''} longer than "
                                f"{MAX_LINE_CHARS >> 20} MiB: only the first "
                                f"{MAX_LINE_CHARS >> 20} MiB of each was read (line numbers "
                                f"are kept)")
        return report

    def _scan_blocks(self, blocks, report: EvidenceReport,
                     cancelled: Callable[[], bool] | None = None) -> None:
        line_base = 0
        for block in blocks:
            if cancelled is not None and cancelled():
                report.notes.append("scan cancelled")
                break
            found = self._set.Match(block)
            if found:
                self._hits_in_block(block, line_base, sorted(found), report)
            line_base += block.count("\n")
        report.lines = line_base

    def _hits_in_block(self, block: str, line_base: int, indexes: list[int],
                       report: EvidenceReport) -> None:
        for index in indexes:
            signature = self.signatures[index]
            last_line = 0                    # the line of the previous hit; matches come in order
            counted_to, line_no, start = 0, line_base + 1, 0
            for match in self._block_patterns[index].finditer(block):
                # each character is looked at once, however many matches share a long line
                newline = block.rfind("\n", counted_to, match.start())
                if newline >= 0:
                    line_no += block.count("\n", counted_to, newline + 1)
                    start = newline + 1
                counted_to = match.start()
                if line_no == last_line:
                    continue
                last_line = line_no
                end = block.find("\n", match.start())
                line = block[start:end if end >= 0 else len(block)]
                count = report.counts.get(signature.id, 0) + 1
                report.counts[signature.id] = count
                if count <= MAX_HITS_PER_SIGNATURE:
                    captures = tuple((k, v) for k, v in match.groupdict().items() if v)
                    report.hits.append(Hit(signature.id, report.source, line_no, line.strip()[:500],
                                           captures))
