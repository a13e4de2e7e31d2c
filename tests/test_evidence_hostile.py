"""Evidence that could hang, exhaust or crash triage (issue 13, items 4, 5 and 8): FIFOs,
devices and sockets are refused at once; stdin is sniffed and capped and its spool file removed
even on SIGTERM; an I/O error is one line; a line over 1 MiB keeps later line numbers true; a
captured number too big to compare is a note."""

import errno
import json
import os
import signal
import socket
import subprocess
import sys
import time

import pytest
from support import ROOT, run_triage

from engine.evidence import scanner as scanner_module
from engine.evidence.scanner import MAX_LINE_CHARS, EvidenceError, Scanner
from engine.kb.models import FactSetting, Signature

GATEWAY = ("exch01.corp.example.com   SSL Connection/Certificate Verification Failed - "
           "SAN Mismatch\n")


def one_line_error(result, code=2):
    assert result.returncode == code, (result.returncode, result.stderr)
    stderr = result.stderr if isinstance(result.stderr, str) else result.stderr.decode()
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("triage: "), result.stderr
    assert "Traceback" not in stderr
    return lines[0]


@pytest.fixture
def scanner():
    signature = Signature(id="sig-x", regex=r"SAN Mismatch", path="s.md", line=1,
                          sets=(FactSetting(fact="x", value="y", line=1),), examples=("e",))
    return Scanner([signature])


# --- what is not a regular file ---------------------------------------------------------

def test_a_fifo_is_refused_not_waited_on(tmp_path, scanner):
    fifo = tmp_path / "evidence.log"
    os.mkfifo(fifo)
    with pytest.raises(EvidenceError, match="not a regular file"):
        scanner.scan_file(fifo)
    line = one_line_error(run_triage("diagnose", "--evidence", str(fifo)))
    assert "not a regular file (a FIFO)" in line


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
def test_a_device_is_refused(device, scanner):
    with pytest.raises(EvidenceError, match="not a regular file"):
        scanner.scan_file(device)
    assert "a character device" in one_line_error(run_triage("diagnose", "--evidence", device))


def test_a_socket_is_refused(tmp_path, scanner):
    path = tmp_path / "s.sock"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        with pytest.raises(EvidenceError, match="not a regular file"):
            scanner.scan_file(path)
        assert "a socket" in one_line_error(run_triage("diagnose", "--evidence", str(path)))


# --- I/O errors -----------------------------------------------------------------------------

def test_an_io_error_while_reading_is_one_line():
    # reading the start of a process's own memory file fails with EIO, as a failing disk does
    line = one_line_error(run_triage("diagnose", "--evidence", "/proc/self/mem"))
    assert "cannot read evidence file /proc/self/mem" in line


def test_a_file_that_fails_mid_read_is_an_evidence_error(tmp_path, scanner, monkeypatch):
    path = tmp_path / "big.log"
    path.write_bytes(b"x" * (3 * scanner_module.CHUNK_BYTES) + GATEWAY.encode())
    real_open = scanner_module.open_regular

    class Vanishing:
        def __init__(self, stream):
            self.stream, self.reads = stream, 0

        def read(self, size=-1):
            self.reads += 1
            if self.reads > 2:
                raise OSError(errno.ESTALE, "Stale file handle")
            return self.stream.read(size)

        def __getattr__(self, name):
            return getattr(self.stream, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.stream.close()

    monkeypatch.setattr(scanner_module, "open_regular", lambda p: Vanishing(real_open(p)))
    with pytest.raises(EvidenceError, match="cannot read evidence file .*Stale file handle"):
        scanner.scan_file(path)


# --- stdin --------------------------------------------------------------------------------

def test_binary_stdin_is_refused_early(tmp_path):
    result = run_triage("diagnose", "--evidence", "-", stdin=b"\x00\x01\x02\x03" * 100_000,
                        env={"TMPDIR": str(tmp_path)})
    assert "stdin looks binary" in one_line_error(result)
    assert list(tmp_path.iterdir()) == []


def test_stdin_over_the_cap_stops_with_one_line_and_leaves_no_file(tmp_path):
    data = (GATEWAY * 40_000).encode()                 # 3.3 MB of text
    result = run_triage("diagnose", "--evidence", "-", stdin=data,
                        env={"TMPDIR": str(tmp_path), "TRIAGE_STDIN_LIMIT": str(1 << 20)})
    assert "stdin is over the 1 MiB limit" in one_line_error(result)
    assert list(tmp_path.iterdir()) == []


def test_the_stdin_cap_defaults_to_2_gib():
    from tui.cli import stdin
    assert stdin.stdin_limit({}) == 2 << 30
    assert stdin.stdin_limit({"TRIAGE_STDIN_LIMIT": "1000"}) == 1000


def test_sigterm_removes_the_stdin_spool_file(tmp_path):
    env = {**os.environ, "TMPDIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    env.pop("TRIAGE_KB", None)
    process = subprocess.Popen([sys.executable, "-m", "tui.cli", "diagnose", "--evidence", "-"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=env)
    try:
        process.stdin.write(GATEWAY.encode() * 1000)
        process.stdin.flush()
        deadline = time.monotonic() + 60
        while not list(tmp_path.glob("triage-stdin-*")) and time.monotonic() < deadline:
            time.sleep(0.05)
        spooled = list(tmp_path.glob("triage-stdin-*"))
        assert spooled, "the spool file never appeared"
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 128 + signal.SIGTERM
    assert err.decode().strip() == "triage: terminated"
    assert list(tmp_path.iterdir()) == []


# --- long lines and line numbers ---------------------------------------------------------

def test_a_line_over_the_limit_counts_as_one_line(tmp_path, scanner):
    path = tmp_path / "minified.log"
    path.write_bytes(b"a" * (3 * MAX_LINE_CHARS + 5) + b"\n" + GATEWAY.encode()
                     + b"b" * (3 * MAX_LINE_CHARS) + b"\nlast line\n" + GATEWAY.encode())
    report = scanner.scan_file(path)
    assert [(h.line_no, h.line) for h in report.hits] == [(2, GATEWAY.strip()),
                                                          (5, GATEWAY.strip())]
    assert report.lines == 5
    assert report.notes == ["2 lines longer than 1 MiB: only the first 1 MiB of each was read "
                            "(line numbers are kept)"]


# --- numbers captured from evidence ----------------------------------------------------------

@pytest.mark.parametrize("rtt", ["1" * 30, "9" * 400])
def test_a_huge_captured_number_is_a_note_not_a_crash(tmp_path, rtt):
    path = tmp_path / "ping.txt"
    path.write_text(f"rtt min/avg/max/mdev = 1.0/{rtt}/1.0/1.0 ms\n", encoding="utf-8")
    result = run_triage("diagnose", "--evidence", str(path), "--answer", "product=unity",
                        "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert "unity.rtt-ms" not in {f["name"] for f in data["facts"]}
    notes = data["evidence"][0]["notes"]
    assert len(notes) == 1 and notes[0].startswith("line 1: unity.rtt-ms: the captured number")
    assert "is too large to compare" in notes[0]
