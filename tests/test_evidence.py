"""Reading evidence as it arrives from Windows and Cisco boxes: encodings, line endings,
binary and empty files, chunk boundaries, captures."""

import codecs

import pytest

from engine.evidence.scanner import CHUNK_BYTES, EvidenceError, Scanner, iter_blocks, sniff_encoding
from engine.kb.models import FactSetting, Signature

LINES = [
    "2017-06-12T08:15:01.101Z,0000000000000A3E,1,10.0.0.21:995,,,,,OpenSession,,",
    "Event ID:      15004",
    "Server: EX01.contoso.local café",
    "2017-06-12T08:15:02.311Z,0A3F,3,10.0.0.21:995,,,-ERR Msg=UserConnectionLimitReached",
    "done",
]


def signature(sid: str, *, literal=None, regex=None) -> Signature:
    return Signature(id=sid, literal=literal, regex=regex, path="s.md", line=1,
                     sets=(FactSetting(fact="x", value="y", line=1),), examples=("e",))


@pytest.fixture(scope="module")
def scanner():
    return Scanner([
        signature("sig-limit", literal="userconnectionlimitreached"),
        signature("sig-event", regex=r"Event ID:\s*(?P<event_id>\d+)"),
        signature("sig-server", regex=r"Server: (?P<server>[\w.]+)"),
        signature("sig-end", regex=r"^done$"),
    ])


def found(report):
    return [(h.signature, h.line_no, h.captured()) for h in report.hits]


EXPECTED = [("sig-event", 2, {"event_id": "15004"}), ("sig-server", 3, {"server": "EX01.contoso.local"}),
            ("sig-limit", 4, {}), ("sig-end", 5, {})]


@pytest.mark.parametrize("encoding, bom, newline", [
    ("utf-8", b"", "\n"),
    ("utf-8", codecs.BOM_UTF8, "\r\n"),
    ("utf-16-le", codecs.BOM_UTF16_LE, "\r\n"),   # Windows PowerShell 5.1 Out-File
    ("utf-16-le", b"", "\r\n"),                   # UTF-16 without a BOM
    ("utf-16-be", codecs.BOM_UTF16_BE, "\n"),
    ("cp1252", b"", "\r"),                        # old Mac line ends, Windows-1252
])
def test_encodings_and_line_endings(tmp_path, scanner, encoding, bom, newline):
    path = tmp_path / "log.txt"
    path.write_bytes(bom + newline.join(LINES).encode(encoding) + newline.encode(encoding))
    report = scanner.scan_file(path)
    assert report.skipped is None
    assert sorted(found(report), key=lambda h: h[1]) == EXPECTED
    assert report.lines == 5
    assert "café" in next(h.line for h in report.hits if h.signature == "sig-server")


def test_invalid_bytes_do_not_stop_the_scan(tmp_path, scanner):
    path = tmp_path / "mixed.log"
    path.write_bytes(b"caf\xc3\xa9 ok\n\xff\xfe\xfd broken \x81\nEvent ID: 31551\n")
    report = scanner.scan_file(path)
    assert found(report) == [("sig-event", 3, {"event_id": "31551"})]


def test_only_lf_cr_and_crlf_end_lines(scanner):
    report = scanner.scan_text("a\x0bb\x0cc\u2028d\x85e\nEvent ID: 1\n")
    assert found(report) == [("sig-event", 2, {"event_id": "1"})]


def test_binary_and_empty_files_are_skipped_with_a_note(tmp_path, scanner):
    binary = tmp_path / "dump.bin"
    binary.write_bytes(bytes(range(256)) * 64)
    empty = tmp_path / "empty.log"
    empty.write_bytes(b"")
    assert scanner.scan_file(binary).skipped.startswith("binary file")
    assert scanner.scan_file(empty).skipped == "empty file"
    assert scanner.scan_text("   \n").skipped == "empty"


def test_missing_file_and_directory_are_clear_errors(tmp_path, scanner):
    with pytest.raises(EvidenceError, match="evidence file not found"):
        scanner.scan_file(tmp_path / "nope.log")
    with pytest.raises(EvidenceError, match="is a directory"):
        scanner.scan_file(tmp_path)


def test_lines_split_across_chunks_and_multibyte_characters_survive(tmp_path, scanner):
    filler = "é" * (CHUNK_BYTES // 2 - 3)      # 2 bytes each: the chunk edge falls mid-line
    text = f"{filler}\r\nEvent ID: 42\r\n{filler}\r\nServer: EX02\r\n"
    path = tmp_path / "big.log"
    path.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    report = scanner.scan_file(path)
    assert found(report) == [("sig-event", 2, {"event_id": "42"}), ("sig-server", 4, {"server": "EX02"})]
    assert report.lines == 4


def test_a_match_must_lie_within_one_line(scanner):
    wide = Scanner([signature("sig-two", regex=r"alpha\s+beta")])
    assert found(wide.scan_text("alpha\nbeta\nalpha beta\n")) == [("sig-two", 3, {})]


def test_sniffing():
    assert sniff_encoding(codecs.BOM_UTF16_LE + "x".encode("utf-16-le")) == "utf-16"
    assert sniff_encoding("hello".encode("utf-16-le")) == "utf-16-le"
    assert sniff_encoding(b"caf\xe9") == "cp1252"
    assert sniff_encoding(b"\x00\x01\x02\x03\x04\x05") is None


def test_blocks_hold_whole_lines(tmp_path):
    import io
    data = ("x" * 1000 + "\r\n") * 3000
    blocks = list(iter_blocks(io.BytesIO(data.encode()), "utf-8"))
    assert all(b.endswith("\n") for b in blocks)
    assert sum(b.count("\n") for b in blocks) == 3000


def test_a_log_where_every_line_matches_counts_each_line_once_with_its_number(tmp_path, scanner):
    """A protocol log full of the same error: every line counted, a match twice on one line
    counted once, line numbers right across blocks, and only the first hits kept in full."""
    from engine.evidence.scanner import MAX_HITS_PER_SIGNATURE
    rows = 40_000                               # about 2.5 MB: several blocks
    line = "2017-06-12T08:15:02.311Z,0A3F,3,-ERR Msg=UserConnectionLimitReached UserConnectionLimitReached"
    path = tmp_path / "pop3.log"
    path.write_text("\r\n".join([line] * rows) + "\r\nServer: EX09\r\n", encoding="utf-8")
    report = scanner.scan_file(path)
    assert report.counts["sig-limit"] == rows
    limit_hits = [h.line_no for h in report.hits if h.signature == "sig-limit"]
    assert limit_hits == list(range(1, MAX_HITS_PER_SIGNATURE + 1))
    assert ("sig-server", rows + 1, {"server": "EX09"}) in found(report)
