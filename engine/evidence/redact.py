"""Masking secrets in everything that leaves the engine: the one redaction layer.

Applied to evidence and ticket text before they are stored (engine.sessions), to transcripts,
to every string the command line prints or writes as JSON (tui.console.safe), and to the
engine's log records (`redacting_logger`). The forms it knows are data in
`engine.evidence.secret_rules` (following gitleaks' rule catalogue where it has the form), the
multi-line SASL exchanges are followed by `engine.evidence.sasl`.

What is masked (the value only; the words around it stay, so an engineer can still read the
line): passwords in connection strings, config files, YAML-ish and JSON output, registry output
and command lines (`Password=…;`, `Kennwort: …`, `<Password>…</Password>`, `-Password "…"`,
`ConvertTo-SecureString "…"`, `/p:…`, `--password …`, `net use … PASSWORD`, `curl -u user:…`,
`ldapsearch -w …`, `mysql -p…`, `sqlcmd -P …`, `DefaultPassword  REG_SZ  …`); API keys, client
secrets, `PrivateKey=`, AWS access keys, Azure SAS `sig=`; private key (PEM) blocks;
`Authorization` headers, bearer tokens, `X-API-Key`, cookies; `user:password@` in URLs; Cisco
`password 7 …`, `secret 5 …`, `snmp-server community …`; SMTP `AUTH` payloads (with the base64
lines after `AUTH LOGIN`), IMAP `LOGIN`/`AUTHENTICATE`, POP3 `PASS`.

Every secret becomes `********` (its length is not kept). A value that already is all `*` is
left alone and not counted, so redacting twice changes nothing: the store redacts whatever it
is given, and the app may redact first to tell the user how many secrets it masked.

Patterns are RE2 (linear time, whatever the input). Bytes are decoded with the evidence reader's
rules first (UTF-16 with or without BOM, UTF-8 BOM, cp1252): a UTF-16 PowerShell export searched
as bytes would hide every secret between NULs.
"""

from __future__ import annotations

import codecs
import logging
from dataclasses import dataclass
from typing import Any

import re2

from engine.evidence.sasl import follow_up_spans
from engine.evidence.secret_rules import RULES, Rule, compile_rule

MASK = "********"
_MAX_PASSES = 3     # masking can expose new structure (a masked URL inside a key=value): re-check


@dataclass(frozen=True)
class Redaction:
    """The text with its secrets masked, how many were masked and of which kinds."""

    text: str
    count: int = 0
    kinds: tuple[str, ...] = ()
    encoding: str | None = None     # set by redact_bytes: how the bytes were decoded


def _mask_spans(text: str, spans: list[tuple[int, int]]) -> str:
    pieces, end = [], 0
    for start, stop in sorted(spans):
        if start < end:
            continue
        pieces += [text[end:start], MASK]
        end = stop
    pieces.append(text[end:])
    return "".join(pieces)


def _spans(rule: Rule, text: str) -> list[tuple[int, int]]:
    if rule.spans is not None:
        return [(a, b) for a, b in rule.spans(text) if rule.keep(text[a:b])]
    spans = []
    for match in rule.pattern.finditer(text):
        group = next((g for g in range(1, rule.groups + 1) if match.start(g) >= 0), None)
        if group is None:
            continue
        start, stop = match.span(group)
        value = text[start:stop]
        if rule.rest_of_line:
            value = value.rstrip()
            stop = start + len(value)
        if rule.keep(value):
            spans.append((start, stop))
    return spans


def _screen():
    """One RE2 set of every rule's screen: which rules a text needs, in one pass over it."""
    options = re2.Options()
    options.log_errors = False
    screen = re2.Set.SearchSet(options)
    for rule in RULES:
        screen.Add(rule.screen)
    screen.Compile()
    return screen


_SCREEN = _screen()
_SASL = compile_rule(r"(?i)auth")       # every multi-line SASL exchange starts with AUTH…


def _one_pass(text: str, counts: dict[str, int]) -> str:
    follow_ups = follow_up_spans(text) if _SASL.search(text) else []
    for _, _, kind in follow_ups:
        counts[kind] = counts.get(kind, 0) + 1
    if follow_ups:
        text = _mask_spans(text, [span[:2] for span in follow_ups])
    needed = _SCREEN.Match(text)
    if not needed:
        return text
    for index in sorted(needed):
        rule = RULES[index]
        spans = _spans(rule, text)
        if spans:
            text = _mask_spans(text, spans)
            counts[rule.kind] = counts.get(rule.kind, 0) + len(spans)
    return text


def redact(text: str) -> Redaction:
    """`text` with every secret it holds masked. Never raises on any str."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:      # lone surrogates (pasted binary): RE2 needs valid UTF-8
        text = text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    counts: dict[str, int] = {}
    for _ in range(_MAX_PASSES):
        masked = _one_pass(text, counts)
        if masked == text:
            break
        text = masked
    return Redaction(text, sum(counts.values()), tuple(sorted(counts)))


def redact_bytes(data: bytes) -> Redaction:
    """Decode `data` as evidence is decoded (BOMs, UTF-16 without BOM, cp1252), then redact.
    Bytes that look binary are decoded as UTF-8 with replacement characters."""
    # imported here: engine.evidence.scanner pulls in the pydantic models, which the store (and a
    # process that only writes answers) does not otherwise need at start-up
    from engine.evidence.scanner import SNIFF_BYTES, sniff_encoding

    encoding = sniff_encoding(data[:SNIFF_BYTES], whole=len(data) <= SNIFF_BYTES) or "utf-8"
    text = codecs.decode(data, encoding, errors="replace")
    result = redact(text)
    return Redaction(result.text, result.count, result.kinds, encoding)


def redact_data(value: Any) -> Any:
    """Every string in a JSON-like value (dict keys too) redacted; tuples become lists."""
    if isinstance(value, str):
        return redact(value).text
    if isinstance(value, dict):
        return {redact_data(k) if isinstance(k, str) else k: redact_data(v)
                for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact_data(item) for item in value]
    return value


class RedactingFilter(logging.Filter):
    """Log records with their message (arguments filled in) redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:           # a bad format string: leave it to the handler to report
            return True
        record.msg, record.args = redact(message).text, ()
        return True


def redacting_logger(name: str) -> logging.Logger:
    """`logging.getLogger(name)` with a RedactingFilter (once): the engine's log lines may
    quote facts read from evidence."""
    log = logging.getLogger(name)
    if not any(isinstance(f, RedactingFilter) for f in log.filters):
        log.addFilter(RedactingFilter())
    return log
