"""One big evidence file scanned by several processes, with the report one process gives.

The file is cut at chunk boundaries (multiples of the reader's 1 MiB chunk); each range starts
where the single reader's block after that boundary starts (`reading.range_start`), so every
process reads exactly the blocks the single reader would, and the merged report has the same
hits, line numbers, captures and counts, in the same order: line numbers are shifted by the
lines of the ranges before, and only the first hits of each signature over the whole file are
kept. A file the cut cannot be made in (not UTF-8 or cp1252, a line of a megabyte or more) is
scanned by one process: `scan_ranges` returns None.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from engine.evidence.reading import (
    ASCII_SUPERSETS,
    CHUNK_BYTES,
    LongLine,
    iter_range_blocks,
    range_start,
)
from engine.evidence.report import MAX_HITS_PER_SIGNATURE, EvidenceReport, Hit

MIN_RANGE = 8 * CHUNK_BYTES          # smaller files are not worth a process
RANGES_PER_WORKER = 4                # smaller pieces even out the workers' speeds


def plan(size: int, workers: int) -> list[int]:
    """The chunk boundaries to cut at: 0, ..., size."""
    pieces = max(1, min(workers * RANGES_PER_WORKER, size // MIN_RANGE))
    step = -(-size // pieces // CHUNK_BYTES) * CHUNK_BYTES
    return list(range(0, size, step)) + [size]


def scan_ranges(scanner, path: Path, report, workers: int):
    """The file's report, scanned in ranges by `workers` processes; None when it cannot be cut
    (the caller scans it whole)."""
    if report.encoding not in ASCII_SUPERSETS or report.bytes < 2 * MIN_RANGE:
        return None
    bounds = plan(report.bytes, workers)
    with path.open("rb") as stream:
        begins = [range_start(stream, b) for b in bounds[:-1]]
    if any(b is None for b in begins):
        return None
    jobs = [(str(path), report.encoding, begin, boundary, stop, stop == report.bytes)
            for begin, boundary, stop in zip(begins, bounds[:-1], bounds[1:])]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(min(workers, len(jobs)), mp_context=context,
                             initializer=_start, initargs=(type(scanner), scanner._given)) as pool:
        parts = list(pool.map(_scan_range, jobs))
    if any(part is None for part in parts):
        return None
    return merge(report, parts)


def merge(report, parts):
    """The ranges' reports (in file order) as one."""
    offset = 0
    kept = Counter(hit.signature for hit in report.hits)
    for part in parts:
        for hit in part.hits:                # each part kept its own first hits, in order
            if kept[hit.signature] < MAX_HITS_PER_SIGNATURE:
                kept[hit.signature] += 1
                report.hits.append(Hit(hit.signature, report.source, hit.line_no + offset,
                                       hit.line, hit.captures))
        for sid, count in part.counts.items():
            report.counts[sid] = report.counts.get(sid, 0) + count
        offset += part.lines
    report.lines = offset
    return report


# --- in each worker process ------------------------------------------------------------

_worker: dict = {}


def _start(scanner_class, signatures) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker["scanner"] = scanner_class(signatures)


def _scan_range(job):
    path, encoding, begin, boundary, stop, eof = job
    scanner = _worker["scanner"]
    part = EvidenceReport(source=Path(path).name, encoding=encoding)
    try:
        with open(path, "rb") as stream:
            scanner._scan_blocks(iter_range_blocks(stream, encoding, begin, boundary, stop, eof),
                                 part, fit=True)
    except LongLine:
        return None
    return part
