"""The parts of a forwarded mail thread that say nothing about the problem: header lines
(From, Sent, To, Cc; the Subject stays, without its RE: and FW:), "Original Message" and
"On ... wrote:" lines, sign-offs with the signature under them, and disclaimers. Ticket
matching weighs the rest: every word counts in a ticket's length, so a long thread's
boilerplate would make it sound like no entry at all. The quoted text itself stays (the
detail is often in the mail forwarded), without its `>` marks."""

from __future__ import annotations

import re

_HEADER = re.compile(r"^\s*(?:from|sent|to|cc|bcc|date|importance|reply-to)\s*:", re.I)
_SUBJECT = re.compile(r"^\s*subject\s*:\s*(?:(?:re|fw|fwd|aw|wg|tr)\s*:\s*)*", re.I)
_SEPARATOR = re.compile(r"^\s*(?:-{2,}\s*(?:original message|forwarded message)\b.*|"
                        r"on\s.{4,80}\swrote:\s*|_{5,}|-{5,})\s*$", re.I)
_SIGN_OFF = re.compile(r"^\s*(?:thanks|thank you|many thanks|thanks again|cheers|regards|"
                       r"kind regards|best regards|warm regards|best wishes|best|br|rgds|"
                       r"sent from my \w+)\b[\s,.!]*(?:\w+[\s,.!]*)?$", re.I)
_DISCLAIMER = re.compile(r"\b(?:confidential and (?:may be )?(?:intended|privileged)|"
                         r"received (?:this|it) (?:e-?mail |message )?in error|"
                         r"consider the environment before printing)\b", re.I)
_QUOTE = re.compile(r"^\s*(?:>\s?)+")
SIGNATURE_LINES = 6      # lines under a sign-off taken as the signature, at most


def body(text: str) -> str:
    """The text without a mail thread's boilerplate: a line left out becomes an empty one, so
    line numbers stay those of the text."""
    out: list[str] = []
    signature = 0
    for line in text.split("\n"):
        line = _QUOTE.sub("", line)
        if _HEADER.match(line) or _SEPARATOR.match(line) or _DISCLAIMER.search(line):
            signature = 0
            out.append("")
            continue
        subject = _SUBJECT.match(line)
        if subject:
            signature = 0
            out.append(line[subject.end():])
            continue
        if _SIGN_OFF.match(line):
            signature = SIGNATURE_LINES
            out.append("")
            continue
        if signature:
            if line.strip():
                signature -= 1
                out.append("")
                continue
            signature = 0
        out.append(line)
    return "\n".join(out)
