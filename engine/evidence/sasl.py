"""SASL exchanges over several lines: `AUTH LOGIN` (then a base64 user name and password, one
line each), `AUTH PLAIN` without an initial response, `a1 AUTHENTICATE PLAIN` (IMAP): the secrets
come on the lines that follow the command, in a telnet transcript or interleaved with other
sessions' lines in an Exchange SMTP protocol log (CSV), which is followed per session."""

from __future__ import annotations

from engine.evidence.secret_rules import B64, MECHS, SP, compile_rule, sasl_payload

_FOLLOW_UPS = {"LOGIN": 2, "PLAIN": 1, "XOAUTH2": 1, "OAUTHBEARER": 1, "CRAM-MD5": 1,
               "NTLM": 2, "GSSAPI": 3, "DIGEST-MD5": 1, "SCRAM-SHA-1": 2, "SCRAM-SHA-256": 2}
_TRANSCRIPT_WINDOW = 12     # lines looked at after the command in a transcript
_CSV_WINDOW = 400           # ... in a protocol log, where other sessions' lines interleave

# Exchange SMTP protocol log: date-time,connector-id,session-id,sequence-number,local-endpoint,
# remote-endpoint,event (< or >),data,context. Send logs have the directions the other way
# round, so "the client" is whichever direction sent the AUTH command.
_CSV_TRIGGER = compile_rule(
    r"(?m)^[0-9]{4}-[0-9]{2}-[0-9]{2}T[^,\r\n]*,([^,\r\n]*),([^,\r\n]*),[0-9]+,[^,\r\n]*,"
    r"[^,\r\n]*,([<>]),\"?AUTH" + SP + r"+(" + MECHS + r")(?:" + SP + r"+([^\s,\"]+))?\"?,")
_TRANSCRIPT_TRIGGER = compile_rule(
    r"(?im)(?:^[ \t]*|\b(?:C|Request|SendData|Sent|Send)[ \t]*:[ \t]*)"
    r"(AUTH|[A-Za-z0-9.]+" + SP + r"+AUTHENTICATE)" + SP + r"+(" + MECHS + r")(?:" + SP
    + r"+(\S+))?[ \t]*\r?$")
_CLIENT_LINE = compile_rule(
    r"^[ \t]*(?:(?:[^\r\n]*\b(?:C|Request|SendData|Sent|Send)[ \t]*:[ \t]*)"
    r"|[<>][ \t]*)?(" + B64 + r")[ \t]*\r?$")
_SERVER_LINE = compile_rule(
    r"(?i)^[ \t]*(?:[^\r\n]*\b(?:S|Response|Received)[ \t]*:[ \t]*)?"
    r"(?:([0-9]{3})(?:[ -]|\r?$)|\+|\*)")
_B64_ONLY = compile_rule("^" + B64 + "$")


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
            if not _B64_ONLY.search(data) or not sasl_payload(data):
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
            if client is None or not sasl_payload(client.group(1)):
                break
            spans.append((start + client.start(1), start + client.end(1), kind))
            pending -= 1
            if pending == 0:
                break
    return spans


def follow_up_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of every base64 line that follows `AUTH LOGIN` & co."""
    return sorted(set(_csv_follow_ups(text) + _transcript_follow_ups(text)))
