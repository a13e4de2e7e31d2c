"""Numbers in the caller's words: a number followed (or preceded) by one of a number question's
units in text (`- units in text:` in kb/questions/*.md) answers it: "about 3,000 users",
"40 agents", "90 ms", "95ms", "3k mailboxes", "4-5 minutes" (a range gives its middle), "4,200
SI users" (an acronym may come between), "one EWS server" (a small count in words). A year right
after a name ("Exchange 2016 users") is a version, not a count, and "the first 10 servers" says
which ones, not how many."""

from __future__ import annotations

import re
from typing import Iterator

_YEAR = re.compile(r"(?:19[89]\d|20[0-4]\d)")
_PROPER = re.compile(r"[A-Z][\w.&-]*\s+$")        # "Exchange 2016", "Server 2008"
# a small count in words: "one EWS server", "two hubs", "twelve agents"
_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}
_NUMBER = re.compile(
    r"(?<![\w.,])(?<!\w-)(?P<n>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|(?i:" + "|".join(_WORDS) +
    r")(?=\s))(?P<k>\s?[kK]\b)?"
    r"(?:\s*(?:-|–|to)\s*(?P<upper>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?))?")
# "the first 10 servers in the list", "the other 3 nodes": which ones, not how many there are
_SELECTION = re.compile(r"\b(?:first|last|top|bottom|other|remaining|newest|oldest)\s+$", re.I)
_GLUED = re.compile(r"[A-Za-z]+\b")            # "95ms", "30min": the unit written onto it
_ACRONYM = re.compile(r"[A-Z][A-Z&]{1,4}")      # "4,200 SI users", "40 CCX agents"
LARGEST = 1e12


def quantities(clause: str, terms, units) -> Iterator[tuple[object, str, str, str]]:
    """(question, value, the words, the unit) for each number in the clause next to one of
    `units` ((unit's forms, question, unit) triples); `terms` are the clause's tokens."""
    if not units:
        return
    for match in _NUMBER.finditer(clause):
        if _YEAR.fullmatch(match.group(0)) and _PROPER.search(clause, 0, match.start()):
            continue                          # "Exchange 2016 users": a version
        if _YEAR.fullmatch(match.group(0)) and _after_name(clause, match.end()):
            continue                          # "our 2016 EWS servers": a version
        if _SELECTION.search(clause, max(0, match.start() - 12), match.start()):
            continue                          # "the first 10 servers": which, not how many
        after = [t for t in terms if t.start >= match.end()]
        if after and _ACRONYM.fullmatch(clause, after[0].start, after[0].end):
            named = after[1:]                     # the product's name between: "SI users"
        else:
            named = after
        before = [t for t in terms if t.end <= match.start()]
        glued = _GLUED.match(clause, match.end())
        for forms, question, unit in units:
            if glued is not None and glued.group().lower() == unit.lower():
                end = glued.end()
            elif _starts(after, forms):
                end = after[len(forms) - 1].end
            elif _starts(named, forms):
                end = named[len(forms) - 1].end
            elif _ends(before, forms):
                end = match.end()
            else:
                continue
            value = _number(match)
            if value is not None:
                yield question, f"{value:g}", clause[match.start():end].strip(), unit


def _after_name(clause: str, end: int) -> bool:
    """Whether a name (a capital letter) comes right after the number."""
    rest = clause[end:end + 2].lstrip()
    return bool(rest) and rest[0].isupper()


def _starts(terms, forms: tuple[str, ...]) -> bool:
    return tuple(t.form for t in terms[:len(forms)]) == forms


def _ends(terms, forms: tuple[str, ...]) -> bool:
    return len(terms) >= len(forms) and tuple(t.form for t in terms[-len(forms):]) == forms


def _number(match: re.Match) -> float | None:
    def parse(text: str | None) -> float | None:
        if text is None:
            return None
        if text.lower() in _WORDS:
            return float(_WORDS[text.lower()])
        try:
            return float(text.replace(",", ""))
        except ValueError:
            return None

    low, high = parse(match.group("n")), parse(match.group("upper"))
    if low is None:
        return None
    value = (low + high) / 2 if high is not None and high > low else low
    if match.group("k"):
        value *= 1000
    return value if value <= LARGEST else None
