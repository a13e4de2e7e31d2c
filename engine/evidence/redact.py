"""Masking secrets in evidence before it is stored or exported.

What is masked (the value only; the words around it stay, so an engineer can still read the
line): passwords in connection strings, config files, YAML-ish and JSON output and command
lines (`Password=…;`, `pwd=…`, `password: …`, `<Password>…</Password>`, `-Password "…"`,
`-Password (ConvertTo-SecureString "…" …)`, `/p:…`, `--password …`); `Authorization:
Basic|NTLM|Negotiate|Digest|Bearer …` headers; other bearer tokens; `user:password@` in URLs;
SMTP `AUTH PLAIN|LOGIN|…` payloads, inline and on the base64 lines that follow `AUTH LOGIN` in a
transcript or an Exchange SMTP protocol log (CSV; sessions there interleave, so lines are
followed per session); IMAP `AUTHENTICATE` payloads; IMAP `LOGIN user password` (the user stays,
the password goes); POP3 `PASS …`.

Every secret becomes `********` (its length is not kept). A value that already is all `*` is
left alone and not counted, so redacting twice changes nothing: the store redacts whatever it
is given, and the app may redact first to tell the user how many secrets it masked.

Patterns are RE2 (linear time, whatever the input) and match within a line. Bytes are decoded
with the evidence reader's rules first (UTF-16 with or without BOM, UTF-8 BOM, cp1252): a UTF-16
PowerShell export searched as bytes would hide every secret between NULs.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from typing import Callable

import re2

MASK = "********"
_MAX_PASSES = 3     # masking can expose new structure (a masked URL inside a key=value): re-check


@dataclass(frozen=True)
class Redaction:
    """The text with its secrets masked, how many were masked and of which kinds."""

    text: str
    count: int = 0
    kinds: tuple[str, ...] = ()
    encoding: str | None = None     # set by redact_bytes: how the bytes were decoded


# --- pattern pieces ------------------------------------------------------------------

_SP = r"[ \t]"
_DQ = r'"([^"\r\n]*)"'
_SQ = r"'([^'\r\n]*)'"
_B64 = r"[A-Za-z0-9+/]+={0,2}"
_MECHS = (r"PLAIN|LOGIN|XOAUTH2|OAUTHBEARER|NTLM|GSSAPI|CRAM-MD5|DIGEST-MD5|SCRAM-SHA-1"
          r"|SCRAM-SHA-256")
# where a client command starts in a transcript line: line start, a CSV field, or a
# "C:" / "Request:" / "SendData:" prefix (Wireshark summaries, client debug logs)
_CMD_START = r"(?:^[ \t]*|[,<>][ \t]*|\b(?:C|Request|SendData|Sent|Send)[ \t]*:[ \t]*)"
# IMAP LOGIN: the tag tells a command from prose ("Win10 login screen freezes", "Outlook shows a
# LOGIN prompt"): tags look like a001, A1, ABCD1 (anywhere, with upper-case LOGIN), or ? . a
# (at a line start: Microsoft's telnet examples use "? LOGIN"); lower-case "login" is taken
# with a short letters-and-digits tag at a line start, or after a client prefix
_LINE_START = r"(?:^[ \t]*|[,<>][ \t]*)"
_LOGIN_TAGGED = (r"(?:(?:^|[\s,<>:])[A-Za-z]{0,8}[0-9][A-Za-z0-9]*|" + _LINE_START
                 + r"(?:[?.]|[A-Za-z]))" + _SP + r"+LOGIN")
_LOGIN_CASUAL = _LINE_START + r"[A-Za-z]{1,2}[0-9]+" + _SP + r"+(?i:login)"
_LOGIN_PREFIXED = (r"\b(?:C|Request|SendData|Sent|Send)[ \t]*:[ \t]*[A-Za-z0-9.?]+" + _SP
                   + r"+(?i:login)")
_PW_KEYS = r"\w*(?:password|passwort|passwd|pwd)"
_AUTHORIZATION = r"(?i)\b(?:proxy-)?authorization[\"']?" + _SP + r"*[:=]" + _SP + r"*[\"']?"
_SECRET_KEYS = (r"\w*secret|access_?token|refresh_?token|id_?token|api_?key|accountkey"
                r"|sharedaccesskey")


def _re(source: str):
    opts = re2.Options()
    opts.log_errors = False     # RE2's C++ logging would draw over the TUI
    return re2.compile(source, opts)


_CMDLET = _re(r"^(?:Read|Get|ConvertTo|ConvertFrom|New|Import)-[A-Za-z]+$")
_NOT_SECRETS = {"", "$null", "$true", "$false", "null", "none", "true", "false", "{}", "[]", '""',
                "''", "system.security.securestring", "<securestring>", "securestring"}


def _plain_value(value: str) -> bool:
    """A value worth masking: not empty, not already masked, not a placeholder, a variable or
    a cmdlet that asks for it (`$pw = Read-Host -AsSecureString`)."""
    stripped = value.strip()
    if not stripped.strip("*"):
        return False
    if stripped.lower() in _NOT_SECRETS or _CMDLET.search(stripped):
        return False
    return stripped[0] not in "$(<[-"


def _sasl_payload(value: str) -> bool:
    """An AUTH payload, not the next mechanism or ESMTP keyword of an EHLO line
    (`250-AUTH NTLM LOGIN`, `AUTH LOGIN 8BITMIME`): those are short upper-case words."""
    if value == "=" or not value.strip("*"):
        return False
    keyword = len(value) <= 12 and value.isalnum() and value.isupper()
    return not keyword


@dataclass(frozen=True)
class _Rule:
    kind: str
    pattern: object
    keep: Callable[[str], bool] = _plain_value
    rest_of_line: bool = False       # the value runs to the end of the line: trim its tail

    @property
    def groups(self) -> int:
        return self.pattern.groups     # the alternatives for the value: the first that took part


_RULES: tuple[_Rule, ...] = (
    _Rule("authorization-header", _re(
        _AUTHORIZATION + r"(?:basic|ntlm|negotiate|bearer|kerberos)" + _SP + r"+([^\s\"',;]+)")),
    _Rule("authorization-header", _re(_AUTHORIZATION + r"digest" + _SP + r"+([^\r\n]+)"),
          rest_of_line=True),     # username="…", response="…": all of it
    _Rule("bearer-token", _re(r"(?i)\bbearer" + _SP + r"+([A-Za-z0-9\-._~+/]{16,}=*)")),
    _Rule("smtp-auth", _re(
        r"(?im)" + _CMD_START + r"AUTH" + _SP + r"+(?:" + _MECHS + r")" + _SP + r"+(" + _B64
        + r"|=)"), keep=_sasl_payload),
    _Rule("imap-auth", _re(
        r"(?im)\bAUTHENTICATE" + _SP + r"+(?:" + _MECHS + r")" + _SP + r"+(" + _B64 + r"|=)"),
        keep=_sasl_payload),
    _Rule("imap-login", _re(
        r"(?m)(?:" + _LOGIN_TAGGED + "|" + _LOGIN_CASUAL + "|" + _LOGIN_PREFIXED + r")" + _SP
        + r"+(?:\"(?:[^\"\\\r\n]|\\.)*\"|[^\s\"(){]+)" + _SP
        + r"+(?:\"((?:[^\"\\\r\n]|\\.)*)\"|([^\s\"(){]+))")),
    _Rule("pop3-pass", _re(r"(?im)(?:^[ \t]*|\b(?:C|Request)[ \t]*:[ \t]*)PASS" + _SP
                           + r"+([^\s]+)[ \t]*\r?$")),
    _Rule("url-credentials", _re(
        r"(?i)\b[a-z][a-z0-9+.-]{1,15}://[^\s/:@?#\"'<>]+:([^\s/@?#\"'<>]+)@")),
    _Rule("command-line-password", _re(
        r"(?i)\bConvertTo-SecureString\b[^\"'\r\n|;)]*?(?:" + _DQ + "|" + _SQ + ")")),
    _Rule("command-line-password", _re(
        r"(?i)(?:^|[\s(])--?(?:" + _PW_KEYS + r"|pass)(?::|=|" + _SP + r"+)(?:" + _DQ + "|" + _SQ
        + r"|([^\s\"'`;|),]+))")),
    _Rule("command-line-password", _re(
        r"(?i)(?:^|\s)/(?:p|pw|pass|password|pwd)[:=](?:" + _DQ + "|" + _SQ + r"|([^\s\"']+))")),
    _Rule("password", _re(
        r"(?i)<(?:" + _PW_KEYS + r"|" + _SECRET_KEYS + r")\b[^>\r\n]*>([^<\r\n]*)</")),
    _Rule("password", _re(
        r"(?i)\bkey" + _SP + r"*=" + _SP + r"*\"[^\"\r\n]*(?:password|pwd|secret)[^\"\r\n]*\""
        + _SP + r"+value" + _SP + r"*=" + _SP + r"*" + _DQ)),
    _Rule("password", _re(
        r"(?i)\b(?:" + _PW_KEYS + r"|" + _SECRET_KEYS + r")[\"']?" + _SP + r"*=" + _SP
        + r"*(?:" + _DQ + "|" + _SQ + r"|([^\s;&,\"'<>]+))")),
    _Rule("password", _re(
        r"(?i)\b(?:\w*(?:password|passwort|pwd)|" + _SECRET_KEYS + r")[\"']?" + _SP + r"*:"
        + _SP + r"*(?:" + _DQ + "|" + _SQ + r"|([^\s\"'][^\r\n]*))"), rest_of_line=True),
)


def _mask_spans(text: str, spans: list[tuple[int, int]]) -> str:
    pieces, end = [], 0
    for start, stop in sorted(spans):
        if start < end:
            continue
        pieces += [text[end:start], MASK]
        end = stop
    pieces.append(text[end:])
    return "".join(pieces)


def _apply_rule(rule: _Rule, text: str) -> tuple[str, int]:
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
    if not spans:
        return text, 0
    return _mask_spans(text, spans), len(spans)


# --- SASL exchanges over several lines -----------------------------------------------
# `AUTH LOGIN` (then a base64 user name and password, one line each), `AUTH PLAIN` without an
# initial response, `a1 AUTHENTICATE PLAIN` (IMAP): the secrets come on the following lines.

_FOLLOW_UPS = {"LOGIN": 2, "PLAIN": 1, "XOAUTH2": 1, "OAUTHBEARER": 1, "CRAM-MD5": 1,
               "NTLM": 2, "GSSAPI": 3, "DIGEST-MD5": 1, "SCRAM-SHA-1": 2, "SCRAM-SHA-256": 2}
_TRANSCRIPT_WINDOW = 12     # lines looked at after the command in a transcript
_CSV_WINDOW = 400           # ... in a protocol log, where other sessions' lines interleave

# Exchange SMTP protocol log: date-time,connector-id,session-id,sequence-number,local-endpoint,
# remote-endpoint,event (< or >),data,context. Send logs have the directions the other way
# round, so "the client" is whichever direction sent the AUTH command.
_CSV_TRIGGER = _re(
    r"(?m)^[0-9]{4}-[0-9]{2}-[0-9]{2}T[^,\r\n]*,([^,\r\n]*),([^,\r\n]*),[0-9]+,[^,\r\n]*,"
    r"[^,\r\n]*,([<>]),\"?AUTH" + _SP + r"+(" + _MECHS + r")(?:" + _SP + r"+([^\s,\"]+))?\"?,")
_TRANSCRIPT_TRIGGER = _re(
    r"(?im)(?:^[ \t]*|\b(?:C|Request|SendData|Sent|Send)[ \t]*:[ \t]*)"
    r"(AUTH|[A-Za-z0-9.]+" + _SP + r"+AUTHENTICATE)" + _SP + r"+(" + _MECHS + r")(?:" + _SP
    + r"+(\S+))?[ \t]*\r?$")
_CLIENT_LINE = _re(r"^[ \t]*(?:(?:[^\r\n]*\b(?:C|Request|SendData|Sent|Send)[ \t]*:[ \t]*)"
                   r"|[<>][ \t]*)?(" + _B64 + r")[ \t]*\r?$")
_SERVER_LINE = _re(r"(?i)^[ \t]*(?:[^\r\n]*\b(?:S|Response|Received)[ \t]*:[ \t]*)?"
                   r"(?:([0-9]{3})(?:[ -]|\r?$)|\+|\*)")
_B64_ONLY = _re("^" + _B64 + "$")


def _follow_ups(mechanism: str, initial: str | None) -> int:
    """How many client lines carry secrets after the command."""
    count = _FOLLOW_UPS.get(mechanism.upper(), 1)
    if initial and initial != "=":
        count -= 1      # LOGIN with the user name inline; PLAIN/XOAUTH2 inline: nothing follows
    return count


def _lines_after(text: str, pos: int, limit: int):
    """(start, end) of up to `limit` lines after the line holding `pos` (end excludes '\\n')."""
    pos = text.find("\n", pos)
    for _ in range(limit):
        if pos < 0:
            return
        start = pos + 1
        pos = text.find("\n", start)
        yield start, len(text) if pos < 0 else pos


def _csv_follow_ups(text: str) -> list[tuple[int, int, str]]:
    spans = []
    for match in _CSV_TRIGGER.finditer(text):
        connector, session, client, mechanism, initial = match.groups()
        pending = _follow_ups(mechanism, initial)
        window = _CSV_WINDOW if pending > 0 else 0
        for start, end in _lines_after(text, match.end(), window):
            fields = text[start:end].split(",", 8)
            if len(fields) < 8 or (fields[1], fields[2]) != (connector, session):
                continue                            # another session's line, or not a log line
            data = fields[7]
            if fields[6] != client:
                if data[:1] in ("2", "4", "5"):     # 235 accepted, 535 refused: it is over
                    break
                continue                            # 334: the server asks, the client answers
            if not _B64_ONLY.search(data) or not _sasl_payload(data):
                break                               # a new command (or already masked)
            offset = start + sum(len(f) + 1 for f in fields[:7])
            spans.append((offset, offset + len(data), "smtp-auth"))
            pending -= 1
            if pending == 0:
                break
    return spans


def _transcript_follow_ups(text: str) -> list[tuple[int, int, str]]:
    spans = []
    for match in _TRANSCRIPT_TRIGGER.finditer(text):
        command, mechanism, initial = match.groups()
        kind = "smtp-auth" if command.upper() == "AUTH" else "imap-auth"
        pending = _follow_ups(mechanism, initial)
        window = _TRANSCRIPT_WINDOW if pending > 0 else 0
        for start, end in _lines_after(text, match.start(), window):
            line = text[start:end]
            if not line.strip():
                continue
            server = _SERVER_LINE.search(line)
            if server is not None:
                if (server.group(1) or "")[:1] in ("2", "4", "5"):
                    break
                continue
            client = _CLIENT_LINE.search(line)
            if client is None or not _sasl_payload(client.group(1)):
                break
            spans.append((start + client.start(1), start + client.end(1), kind))
            pending -= 1
            if pending == 0:
                break
    return spans


def _sasl_lines(text: str, counts: dict[str, int]) -> str:
    """The base64 lines that follow `AUTH LOGIN` & co., masked."""
    spans = sorted(set(_csv_follow_ups(text) + _transcript_follow_ups(text)))
    for _, _, kind in spans:
        counts[kind] = counts.get(kind, 0) + 1
    return _mask_spans(text, [span[:2] for span in spans]) if spans else text


# --- entry points --------------------------------------------------------------------

def _one_pass(text: str, counts: dict[str, int]) -> str:
    text = _sasl_lines(text, counts)
    for rule in _RULES:
        text, found = _apply_rule(rule, text)
        if found:
            counts[rule.kind] = counts.get(rule.kind, 0) + found
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
