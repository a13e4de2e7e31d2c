"""Finding signatures in evidence (files, pasted text) in one pass.

Reading (encodings, line ends, blocks of whole lines) is `engine.evidence.reading`. Matching,
per block of lines:
- a block of a UTF-8 or cp1252 file goes through the literal prefilter
  (`engine.evidence.prefilter`): one RE2 set of the literals each signature requires tells
  which signatures can occur at all; only their candidate lines are searched, with the
  signature's own pattern;
- a block holding a Kelvin sign or a long s (RE2 reads them as `k` and `s`), UTF-16 files,
  pasted text that is not ASCII, go through an RE2 set of the full patterns,
  then the patterns it reports, over the block, with RE2's never_nl so a match never crosses a
  line.
Both give the same hits (tests/test_scan_prefilter.py compares them on generated logs). The
patterns are compiled when the first evidence is scanned, not when the KB is loaded.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Iterable

import re2

from engine.evidence.files import open_regular
from engine.evidence.literals import required
from engine.evidence.prefilter import Prefilter
from engine.evidence.reading import (  # noqa: F401  (CHUNK_BYTES, iter_blocks: this module's API too)
    ASCII_SUPERSETS,
    CHUNK_BYTES,
    MAX_LINE_CHARS,
    SNIFF_BYTES,
    block_text,
    iter_blocks,
    iter_byte_blocks,
    sniff_encoding,
)
from engine.evidence.report import (  # noqa: F401  (the scanner's API)
    MAX_HITS_PER_SIGNATURE,
    EvidenceError,
    EvidenceReport,
    Hit,
)
from engine.kb.models import Signature
from engine.kb.patterns import options, pattern_source

FIT_BYTES = 8 * CHUNK_BYTES    # a file this big gets prefilter anchors fitted to its content,
FIT_SAMPLE = 256 << 10         # counted in this much of its first block
SET_MAX_MEM = 32 << 20         # RE2's budget for the signature set (default 8 MiB): a bound,
                               # used as the DFA needs states (scanning stays well under 100 MB)


# The only characters outside ASCII that RE2's case-insensitive matching takes for ASCII
# letters: the Kelvin sign (k) and the long s (s). A block holding one (as UTF-8) is matched
# with the full patterns; any other block, ASCII or not, goes through the literal prefilter.
def _folds_to_ascii(block: bytes) -> bool:
    return b"\xe2\x84\xaa" in block or b"\xc5\xbf" in block


class Scanner:
    """All of a KB's signatures, compiled once (on first use), matched in one pass."""

    def __init__(self, signatures: Iterable[Signature], prefilter: bool = True):
        """`prefilter=False`: every block through the full patterns (the reference the
        prefiltered scan is tested against)."""
        self._given = list(signatures)
        self._use_prefilter = prefilter
        self._ready = False
        self._full_set = None
        self._whole_sets: dict[tuple[int, ...], object] = {}
        self._prefilter_made: Prefilter | None = None

    def _prepare(self) -> None:
        if self._ready:
            return
        self._signatures: list[Signature] = []
        self._block_patterns = []
        for signature in self._given:
            source = pattern_source(signature)
            if not source.strip() or (signature.literal is not None
                                      and not signature.literal.strip()):
                continue  # lint reports it; evidence scanning just skips it
            try:          # ^ and $ at line ends; never across a line
                pattern = re2.compile("(?m)" + source, options(single_line=True))
            except re2.error:
                continue
            self._signatures.append(signature)
            self._block_patterns.append(pattern)
        self._ready = True

    @property
    def _prefilter(self) -> Prefilter | None:
        """The literal prefilter, made when the first file needs it (a ticket's text does
        not: reading every pattern's literals costs more than scanning a short text)."""
        if not self._use_prefilter:
            return None
        if self._prefilter_made is None:
            self._prepare()
            self._prefilter_made = Prefilter([required(pattern_source(s))
                                              for s in self._signatures])
        return self._prefilter_made

    @property
    def signatures(self) -> list[Signature]:
        """The signatures that compiled (the others are lint's business)."""
        self._prepare()
        return self._signatures

    def _full(self):
        """The RE2 set of all full patterns, for blocks the prefilter does not take."""
        if self._full_set is None:
            set_options = options(single_line=True)
            set_options.max_mem = SET_MAX_MEM          # the set's DFA: fewer cache resets
            full = re2.Set.SearchSet(set_options)
            for signature in self._signatures:
                full.Add("(?m)" + pattern_source(signature))
            full.Compile()
            self._full_set = full
        return self._full_set

    def _whole_set(self, indexes: tuple[int, ...]):
        """An RE2 set of these signatures' patterns: one pass over a block says which of the
        signatures searched through whole blocks can match in it at all."""
        made = self._whole_sets.get(indexes)
        if made is None:
            set_options = options(single_line=True)
            set_options.max_mem = SET_MAX_MEM
            made = re2.Set.SearchSet(set_options)
            for index in indexes:
                made.Add("(?m)" + pattern_source(self._signatures[index]))
            made.Compile()
            self._whole_sets[indexes] = made
        return made

    def span(self, signature_id: str, line: str, captures=()) -> tuple[int, int] | None:
        """Where a signature matches in `line` (to read the words around it): the match that
        captured `captures` when they are given ("Exchange 2003 ... Exchange 2007")."""
        for signature, pattern in zip(self.signatures, self._block_patterns):
            if signature.id == signature_id:
                for match in pattern.finditer(line):
                    if not captures or _captured(match) == tuple(captures):
                        return match.start(), match.end()
                return None
        return None

    def scan_text(self, text: str, source: str = "pasted text") -> EvidenceReport:
        report = EvidenceReport(source=source, encoding="text", bytes=len(text.encode("utf-8",
                                                                                         "replace")))
        normalised = text.replace("\r\n", "\n").replace("\r", "\n")
        if not normalised.strip():
            report.skipped = "empty"
            return report
        if not normalised.endswith("\n"):
            normalised += "\n"
        self._scan_blocks([normalised], report)      # short: the full patterns are quicker
        return report

    def scan_file(self, path: str | os.PathLike, progress: Callable[[int, int], None] | None = None,
                  cancelled: Callable[[], bool] | None = None, workers: int = 1) -> EvidenceReport:
        """`workers` > 1: a big UTF-8 or cp1252 file is cut into line-aligned ranges scanned
        by that many processes (engine.evidence.parallel); the report is the same."""
        path = Path(path)
        stream = open_regular(path)       # a FIFO, device or socket: one line, never waited on
        with stream:
            try:
                return self._scan_stream(stream, path, progress, cancelled, workers)
            except OSError as exc:        # a read that fails part way (EIO, a vanished file)
                raise EvidenceError(f"cannot read evidence file {path}: "
                                    f"{exc.strerror or exc}") from None

    def _scan_stream(self, stream, path: Path, progress, cancelled,
                     workers: int) -> EvidenceReport:
        size = os.fstat(stream.fileno()).st_size
        report = EvidenceReport(source=path.name, bytes=size)
        encoding = self._sniff(stream, report)
        if encoding is None:
            return report
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

        if workers > 1 and progress is None and cancelled is None:
            from engine.evidence.parallel import scan_ranges

            merged = scan_ranges(self, path, report, workers)
            if merged is not None:
                return merged
        fast = encoding in ASCII_SUPERSETS and self._use_prefilter
        reader = iter_byte_blocks if fast else iter_blocks
        self._scan_blocks(reader(stream, encoding, advance, on_long_line=long_line), report,
                          cancelled, fit=size >= FIT_BYTES)
        if long_lines:
            report.notes.append(f"{long_lines} line{'s' if long_lines != 1 else ''} longer than "
                                f"{MAX_LINE_CHARS >> 20} MiB: only the first "
                                f"{MAX_LINE_CHARS >> 20} MiB of each was read (line numbers "
                                f"are kept)")
        return report

    @staticmethod
    def _sniff(stream, report: EvidenceReport) -> str | None:
        """The file's encoding (and the stream back at its start), or None with the reason
        in the report."""
        head = stream.read(SNIFF_BYTES)
        if not head:
            report.skipped = "empty file"
            return None
        encoding = sniff_encoding(head, whole=len(head) < SNIFF_BYTES)
        if encoding is None:
            report.skipped = "binary file (not text): skipped"
            return None
        report.encoding = encoding
        stream.seek(0)
        return encoding

    def _scan_blocks(self, blocks, report: EvidenceReport,
                     cancelled: Callable[[], bool] | None = None, fit: bool = False) -> None:
        """`fit`: choose the prefilter's anchors on the first block (a big file)."""
        self._prepare()
        line_base = 0
        anchors = None
        for block in blocks:
            if cancelled is not None and cancelled():
                report.notes.append("scan cancelled")
                break
            if anchors is None and isinstance(block, bytes) and self._use_prefilter:
                anchors = self._prefilter.default
                if fit:
                    anchors = self._prefilter.fitted(block[:FIT_SAMPLE].lower())
            line_base = self.scan_block(block, line_base, report, anchors)
        report.lines = line_base

    def scan_block(self, block: bytes | str, line_base: int, report: EvidenceReport,
                   anchors=None) -> int:
        """Add the block's hits to the report; return the line count after it."""
        if isinstance(block, bytes):
            if anchors is not None and (block.isascii() or not _folds_to_ascii(block)):
                self._prefiltered(block, line_base, report, anchors)
                return line_base + block.count(b"\n")
            block = block_text(block, report.encoding)
        found = self._full().Match(block)
        if found:
            self._hits_in_block(block, line_base, sorted(found), report)
        return line_base + block.count("\n")

    def _prefiltered(self, block: bytes, line_base: int, report: EvidenceReport,
                     anchors) -> None:
        current = None
        whole: tuple[str, list[int]] | None = None     # the block's text, what may match in it
        for index, start, end in anchors.candidates(block):
            if start < 0:    # no literal, or a common one: searched through the whole block
                if whole is None:
                    text = block_text(block, report.encoding)
                    whole = (text, self._whole_set(anchors.whole).Match(text) or ())
                if anchors.whole.index(index) in whole[1]:
                    self._hits_in_block(whole[0], line_base, [index], report)
                continue
            if index != current:
                current, counted_to, line_no = index, 0, line_base + 1
            line = block_text(block[start:end], report.encoding)
            seen: set[tuple] = set()         # one hit for each value the line names
            for match in self._block_patterns[index].finditer(line):
                captured = _captured(match)
                if captured in seen:
                    continue
                if not seen:
                    line_no += block.count(b"\n", counted_to, start)
                    counted_to = start
                seen.add(captured)
                self._record(report, index, line_no, line, match)

    def _hits_in_block(self, block: str, line_base: int, indexes: list[int],
                       report: EvidenceReport) -> None:
        for index in indexes:
            last_line = 0                    # the line of the previous hit; matches come in order
            seen: set[tuple] = set()         # what the hits on that line captured
            counted_to, line_no, start = 0, line_base + 1, 0
            for match in self._block_patterns[index].finditer(block):
                # each character is looked at once, however many matches share a long line
                newline = block.rfind("\n", counted_to, match.start())
                if newline >= 0:
                    line_no += block.count("\n", counted_to, newline + 1)
                    start = newline + 1
                counted_to = match.start()
                captured = _captured(match)
                if line_no != last_line:
                    last_line, seen = line_no, set()
                elif captured in seen:
                    continue                 # the same value again on its line: one hit
                seen.add(captured)
                end = block.find("\n", match.start())
                self._record(report, index, line_no, block[start:end if end >= 0 else len(block)],
                             match)

    def _record(self, report: EvidenceReport, index: int, line_no: int, line: str,
                match) -> None:
        signature = self._signatures[index]
        count = report.counts.get(signature.id, 0) + 1
        report.counts[signature.id] = count
        if count <= MAX_HITS_PER_SIGNATURE:
            captures = _captured(match)
            report.hits.append(Hit(signature.id, report.source, line_no, line.strip()[:500],
                                   captures))


def _captured(match) -> tuple[tuple[str, str], ...]:
    return tuple((k, v) for k, v in match.groupdict().items() if v)
