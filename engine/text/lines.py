"""The ticket as it is read: its logical lines (a sentence a hard wrap broke is one line again)
and the clauses of a line (a phrase is matched within one)."""

from __future__ import annotations

import re

MAX_TEXT = 64 * 1024           # characters of a ticket read for phrases
QUOTED_LINE = 400              # a line this short that leaves a quotation open carries on
WRAPPED_LINE = 60              # a prose line this long that stops mid-sentence was hard-wrapped
PROSE_WORD = 10                # characters a word of prose takes on average at most, its space
                               # included (a cmdlet's long names too); a log row has far fewer

# the dot of "incl.", "e.g.", "approx.", "vs." does not end a sentence
_ABBREVIATION = r"(?<!\bincl)(?<!\be\.g)(?<!\bi\.e)(?<!\bapprox)(?<!\bvs)(?<!\bca)(?<!\bresp)"
# a sentence's end may be inside a closing quote or bracket: `NO AUTHENTICATE failed." Password`
_CLAUSE = re.compile(r"(?:[!?;\n]|" + _ABBREVIATION + r"\.[\"'”’)]*(?=\s|$))+|"
                     r",\s*(?:but|although|though|however)\b|\bbut\b|"
                     r"\byet\b(?=\s+(?:the|other|others|all|it|they|we|i|he|she|some|every\w*)\b)|"
                     r"\bexcept\b|,\s*(?:apart from|other than)\b|"
                     r",\s*(?=(?:and\s+)?(?:not|never|now|today|this\s+morning)\b)|"
                     r",\s*(?=(?:how|what|why|where|which|when|who|can|could|should|shall|would|"
                     r"will|do|does|did|is|are|any|anything|steps|pls|please)\b[^,.;!?\n]*\?)",
                     re.I)
_COUNTED = re.compile(r"\d{1,4}\s+[a-z]")     # "1 for Exchange 2010", "15 users who ..."
_LABEL = re.compile(r"[A-Za-z][\w .-]{0,25}:(?:\s|$)")    # "Event ID: 15004", "From: ..."


def unwrap(text: str) -> str:
    """The text with each sentence a hard wrap broke read as one line, the line count kept
    (a carried-on line leaves an empty line behind, so line numbers stay those of the text):
    a line carries on the one before when that one ends without punctuation and it starts
    with a small letter, or when that one is a long line of prose a mail client broke mid-
    sentence (`... switched off Basic auth on` / `EWS and Autodiscover`), or when a short one
    before leaves a quotation open (a pasted status string wrapped mid-way: `"... Certificate
    Missing` / `From Chain"`). Linear in the text:
    a logical line grows to MAX_TEXT characters at most."""
    out: list[str] = []
    parts: list[str] = []             # the logical line being carried on, in pieces
    slot = size = quotes = 0          # its place in `out`, its length, its double quotes
    for line in text.split("\n"):
        stripped = line.strip()
        if parts and stripped and size < MAX_TEXT and (
                (quotes % 2 == 1 and size < QUOTED_LINE) or
                (parts[-1][-1:] not in ".!?;:" and stripped[:1].islower()) or
                _wrapped(parts[-1], stripped)):
            parts.append(stripped)
            size += len(stripped) + 1
            quotes += stripped.count('"')
            out.append("")
            continue
        if len(parts) > 1:
            out[slot] = " ".join(parts)
        parts = [line.rstrip()] if stripped else []
        slot = len(out)
        out.append(line)                  # as it is, unless the next lines carry it on
        size, quotes = len(line), line.count('"')
    if len(parts) > 1:
        out[slot] = " ".join(parts)
    return "\n".join(out)


def _wrapped(before: str, line: str) -> bool:
    """Whether `line` goes on with the sentence of a long prose line a hard wrap cut: that one
    stops on a word or a comma, and this one starts with a word (or a quotation of one: `the new
    antivirus` / `"Mail Shield" last month`), or a number and a word (`service pack` / `1 for
    Exchange 2010`, not a date, a time or a numbered step) that is not a label
    ("Event ID: 15004", "Subject: ...") - a log's or an event's lines stay apart."""
    return (len(before) >= WRAPPED_LINE and (before[-1:].isalnum() or before[-1:] == ",")
            and (line.lstrip("\"'“‘(")[:1].isalpha() or _COUNTED.match(line) is not None)
            and before.count(" ") * PROSE_WORD >= len(before)
            and _LABEL.match(line) is None)


def lines(text: str) -> list[tuple[int, str]]:
    """(number of its first line, text) of each logical line (see `unwrap`)."""
    return [(line_no, line) for line_no, line in enumerate(unwrap(text).split("\n"), start=1)
            if line.strip()]


def clauses(line: str) -> list[tuple[int, int, bool]]:
    """(start, end, ends with a question mark) of each clause of a line, as the ticket is
    read: a phrase is matched within one of them."""
    spans, start = [], 0
    for match in _CLAUSE.finditer(line):
        spans.append((start, match.start(), "?" in match.group(0)))
        start = match.end()
    spans.append((start, len(line), False))
    return spans
