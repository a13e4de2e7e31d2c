"""Fuzz targets: each takes arbitrary bytes, drives one part that reads text strangers write,
and checks what must hold whatever the input. Run briefly by tests/test_fuzz.py (hypothesis,
fixed seeds) and for as long as wanted by tests/fuzz/run.py (atheris when installed).

- `scan_bytes`: the evidence reader (encoding sniffing, chunked decoding, line splitting,
  signature matching): never raises, counts every line break, and each hit's line is the line
  of the decoded text at its line number;
- `parse_rules`: the rule language (markdown bullets into conditions): never raises, every
  problem names a line of the input;
- `redact_text`: redaction: never raises, masks nothing twice (idempotent), and a password
  given in a known form never survives.
"""

from __future__ import annotations

import codecs
import os
import tempfile

from engine.evidence import scanner as scanner_module
from engine.evidence.redact import MASK, redact, redact_bytes
from engine.kb.markdown import parse
from engine.kb.models import FactSetting, Signature
from engine.kb.rulelang import Problems, conjunction, parse_list

_SIGNATURES = [
    Signature(id="sig-literal", literal="UidCorruptionDetected", path="s.md", line=1,
              sets=(FactSetting(fact="x", value="y", line=1),), examples=("e",)),
    Signature(id="sig-regex", regex=r"(?i)error (?P<code>0x[0-9a-f]+)", path="s.md", line=1,
              sets=(FactSetting(fact="x", value="y", line=1),), examples=("e",)),
    Signature(id="sig-anchored", regex=r"^done$", path="s.md", line=1,
              sets=(FactSetting(fact="x", value="y", line=1),), examples=("e",)),
]
_SCANNER = scanner_module.Scanner(_SIGNATURES)
PREFIXES = (b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def scan_bytes(data: bytes, chunk: int = 7) -> None:
    """`data` as an evidence file, read in `chunk`-byte pieces (boundaries everywhere)."""
    handle, name = tempfile.mkstemp(prefix="triage-fuzz-")
    saved = scanner_module.CHUNK_BYTES
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        scanner_module.CHUNK_BYTES = chunk
        report = _SCANNER.scan_file(name)
    finally:
        scanner_module.CHUNK_BYTES = saved
        os.unlink(name)
    if report.skipped:
        assert not report.hits
        return
    text = codecs.decode(data, report.encoding, "replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if report.encoding in ("utf-16", "utf-8-sig"):
        text = text.lstrip("\ufeff")
    assert report.lines == text.count("\n"), (report.lines, text.count("\n"))
    lines = text.split("\n")
    for hit in report.hits:
        assert 1 <= hit.line_no <= len(lines)
        assert hit.line == lines[hit.line_no - 1].strip()[:500]


def parse_rules(data: bytes) -> None:
    """`data` as the bullets of a rule section."""
    text = data.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n")
    markdown = "- " + text.replace("\n", "\n- ") if not text.startswith(("-", "*")) else text
    tree = parse(markdown)
    problems = Problems()
    for node in tree.children:
        if node.type in ("bullet_list", "ordered_list"):
            conjunction(parse_list(node, problems), 1)
    last = markdown.count("\n") + 1
    for line, message in problems.items:
        assert 1 <= line <= last and isinstance(message, str) and message


FORMS = ("Password={pw};", "-Password \"{pw}\"", "a1 LOGIN user {pw}", "PASS {pw}",
         "https://user:{pw}@host/x", "sqlcmd -S s -U sa -P {pw}", "net use \\\\s\\c {pw}",
         "Kennwort: {pw}", "curl -u user:{pw} https://x", "password 7 {pw}")


def redact_text(data: bytes) -> None:
    """`data` as pasted text, and as a password in each known form."""
    text = data.decode("utf-8", "replace")
    once = redact(text)
    twice = redact(once.text)
    assert twice.text == once.text and twice.count == 0
    redact_bytes(data)
    password = "".join(ch for ch in text if ch.isalnum())[:20]
    if len(password) >= 8 and not password.isdigit():
        password = "Zq" + password
        for form in FORMS:
            masked = redact(f"10:00:01 pasted: {form.format(pw=password)}").text
            assert password not in masked and MASK in masked, (form, masked)
