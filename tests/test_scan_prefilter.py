"""The prefiltered scanner against the reference (every block through the full patterns, the
scanner as it was before the prefilter): the same report, hit for hit (line numbers, lines,
captures, order), count for count, on generated logs that mix log noise, every signature's
examples in odd case, non-ASCII text, every kind of line end, chunk edges and over-long lines;
and the same report from several processes scanning ranges of one file."""

import random
import sys
from pathlib import Path

import pytest

from engine.evidence.literals import required
from engine.evidence.reading import CHUNK_BYTES
from engine.evidence.scanner import Scanner

sys.path.insert(0, str(Path(__file__).parent / "bench"))
from bench_scan import noise_line  # noqa: E402


@pytest.fixture(scope="module")
def signatures(real_kb):
    return real_kb.kb.signatures


@pytest.fixture(scope="module")
def scanners(signatures):
    return Scanner(signatures), Scanner(signatures, prefilter=False)


def report_data(report):
    return (report.encoding, report.lines, report.skipped, report.counts, report.hits)


def mangle_case(rng, text):
    return "".join(c.upper() if rng.random() < 0.3 else c.lower() if rng.random() < 0.3 else c
                   for c in text)


def generated_log(seed: int, size: int, signatures) -> bytes:
    rng = random.Random(seed)
    examples = [e for s in signatures for e in s.examples]
    newline = rng.choice(["\n", "\r\n", "\r", "mixed"])
    out, total = [], 0
    while total < size:
        roll = rng.random()
        if roll < 0.02:
            line = rng.choice(examples)
        elif roll < 0.03:
            line = mangle_case(rng, rng.choice(examples))
        elif roll < 0.035:          # a signal inside other text, non-ASCII around it
            line = f"é ☃ {rng.choice(examples)} —"
        elif roll < 0.0352 and seed < 3:     # RE2 takes these for k and s
            line = mangle_case(rng, rng.choice(examples)).replace("k", "\u212a").replace(
                "s", "ſ")
        elif roll < 0.04:
            line = rng.choice(examples)[: rng.randrange(1, 30)]      # cut short
        else:
            line = noise_line(rng)
        end = rng.choice(["\n", "\r\n", "\r"]) if newline == "mixed" else newline
        data = (line + end).encode("utf-8")
        out.append(data)
        total += len(data)
    return b"".join(out)


@pytest.mark.parametrize("seed", range(6))
def test_prefiltered_scan_is_the_reference_scan(tmp_path, scanners, signatures, seed):
    data = generated_log(seed, 2 * CHUNK_BYTES + 12345 * seed, signatures)
    if seed == 4:
        data = b"\xef\xbb\xbf" + data                               # UTF-8 BOM
    if seed == 5:
        data = data.replace("é".encode(), b"\xe9")                  # cp1252 bytes
    path = tmp_path / "log.txt"
    path.write_bytes(data)
    new, old = (s.scan_file(path) for s in scanners)
    assert sum(new.counts.values()) > 10
    assert report_data(new) == report_data(old)
    text = data.decode("utf-8", "replace")[:200_000]
    assert report_data(scanners[0].scan_text(text)) == report_data(scanners[1].scan_text(text))


def test_chunk_edges_and_lines_longer_than_a_chunk(tmp_path, scanners, signatures):
    """A '\\r' as the last byte of a chunk, '\\r\\n' split by a chunk edge, a line of two
    megabytes (the reader cuts it), signals right at each edge."""
    example = b"2017-06-12T08:15:02.311Z,0A3F,3,-ERR Msg=UserConnectionLimitReached"
    filler = b"x" * 100 + b"\n"
    head = filler * (CHUNK_BYTES // len(filler))
    pad = b"y" * (CHUNK_BYTES - len(head) - 1)
    data = head + pad + b"\r" + example + b"\r\n"                     # '\r' at the edge
    data += b"z" * (2 * CHUNK_BYTES + 7) + b" " + example + b"\n"     # a 2 MB line
    data += filler * 3000 + example[:20] + b"\r" + b"\n" + example + b"\n"
    path = tmp_path / "edges.log"
    path.write_bytes(data)
    new, old = (s.scan_file(path) for s in scanners)
    assert report_data(new) == report_data(old)
    assert new.counts.get("sig-connection-limit-reached", 0) >= 2


def test_ranges_scanned_by_two_processes_give_the_same_report(tmp_path, scanners, signatures):
    piece = generated_log(11, 2 * CHUNK_BYTES + 777, signatures)
    path = tmp_path / "big.log"
    path.write_bytes(piece * 9)                      # 18 MB: 4 ranges of 4 or 5 chunks
    one = scanners[0].scan_file(path)
    two = scanners[0].scan_file(path, workers=2)
    assert sum(one.counts.values()) > 1000
    assert report_data(two) == report_data(one)


def test_a_file_with_a_line_longer_than_a_range_is_scanned_whole(tmp_path, scanners):
    data = b"a" * (20 * CHUNK_BYTES) + b" UserConnectionLimitReached\n" + b"b\n" * 10
    path = tmp_path / "long.log"
    path.write_bytes(data)
    assert report_data(scanners[0].scan_file(path, workers=2)) == \
        report_data(scanners[1].scan_file(path))


@pytest.mark.parametrize("source, expected", [
    (r"(?i)Failed to (read|open) (?P<file>\S+)", ({"failed to read ", "failed to open "},)),
    (r"\bJabber\b.{0,100}\b(meeting|calendar)s?\b", ({"jabber"}, {"calendar", "meeting"})),
    (r"Reachability[[:space:]:-]*\(\s*unreachable\s*\)", ({"unreachable"}, {"reachability"})),
    (r"\d+\.\d+", None),                        # nothing certain
    (r"ab|\w+", None),                          # one branch needs nothing
    (r"(?:x{0,3}|yz)tail", ({"tail"},)),
    (r"caf\u00e9 au lait", ({" au lait"},)),    # cut at the non-ASCII character
])
def test_required_literals(source, expected):
    found = required(source)
    assert (None if found is None else {frozenset(c) for c in found}) == \
        (None if expected is None else {frozenset(c) for c in expected})


def test_every_kb_signature_has_literals_its_examples_hold(signatures):
    """The bundled KB never falls back to scanning a block with every pattern; and each
    example line holds a literal of every clause (a wrong literal would lose hits)."""
    from engine.kb.patterns import pattern_source
    for signature in signatures:
        clauses = required(pattern_source(signature))
        assert clauses, signature.id
        for example in signature.examples:
            low = example.lower()
            assert all(any(t in low for t in clause) for clause in clauses), (signature.id,
                                                                               example)


def test_signatures_whose_literals_are_on_every_line_are_searched_block_by_block(
        tmp_path, scanners, signatures):
    """A big Exchange log where every line holds "Exchange 2016" and "Windows" (the literals
    of the version signatures): those signatures are searched through whole blocks, not line
    by line, and the report is still the reference's, hits at the right lines."""
    from engine.evidence.scanner import FIT_BYTES, FIT_SAMPLE
    rng = random.Random(11)
    examples = [e for s in signatures for e in s.examples]
    lines, total, i = [], 0, 0
    while total < FIT_BYTES + CHUNK_BYTES:
        i += 1
        if i % 5000 == 0:
            line = rng.choice(examples)
        elif i % 7919 == 0:
            line = "host MBX01 runs Exchange 2010 SP1 on Windows Server 2008 R2 (Win2008)"
        else:
            line = (f"2016-03-{i % 28 + 1:02d}T10:00:00Z,MBX01,Exchange 2016 CU3 on Windows, "
                    f"{noise_line(rng)}")
        data = (line + "\n").encode("utf-8")
        lines.append(data)
        total += len(data)
    path = tmp_path / "big.log"
    path.write_bytes(b"".join(lines))
    prefiltered, reference = scanners
    anchors = prefiltered._prefilter.fitted(path.read_bytes()[:FIT_SAMPLE].lower())
    assert len(anchors.whole) > len(prefiltered._prefilter.always)
    new, old = prefiltered.scan_file(path), reference.scan_file(path)
    assert report_data(new) == report_data(old)
    assert new.counts.get("sig-windows-version-r2", 0) > 0
