"""What "it" and "that update" stand for in a ticket: a name said before in the same line.

    "Everyone online says uninstall KB974571 but it is NOT installed on this box."

The phrase "KB974571 installed" has only "installed" in the second clause; "it" right before
it stands for the name said before ("KB974571", a word of letters and digits: an update, an
event or an error code), so the phrase is read there in full, and negated. Only names are
resolved: "it" for a whole situation ("it is slow") has nothing to stand for.
"""

from __future__ import annotations

import re

from engine.text.phrases import last_new

REACH = 30                  # characters after "it" / "that update" its other words may start

# a name with letters and digits (an update, an event or error code): what "it" may stand for
_NAME = re.compile(r"(?=[a-z]*\d)(?=\d*[a-z])[a-z0-9]{4,}", re.I)
_ANAPHOR = re.compile(r"\b(?:it|(?:that|this|the)\s+(?:update|patch|hotfix|fix|one|kb|event|"
                      r"error|code))\b", re.I)


def names(clause: str, terms) -> set[str]:
    """The forms of the clause's names ("KB974571" -> "kb974571")."""
    return {t.form for t in terms if _NAME.fullmatch(clause[t.start:t.end])}


def find(clause: str, terms, named: set[str] | frozenset[str]
         ) -> tuple[re.Match | None, set[str]]:
    """The clause's first "it" / "that update" and the names it may stand for (said before it,
    earlier in the line or in this clause); (None, ...) when there is none or nothing named."""
    anaphor = _ANAPHOR.search(clause)
    if anaphor is None:
        return None, set(named)
    found = set(named) | names(clause, [t for t in terms if t.end <= anaphor.start()])
    return (anaphor if found else None), found


def resolved(terms, forms: frozenset[str], anaphor: re.Match, named: set[str]
             ) -> tuple[int, int] | None:
    """(first, last term index) of a phrase's words right after the anaphor when the names
    said before stand for the rest of them; None when they do not. The words end at the last
    one that adds a word of the phrase (engine.text.phrases.last_new): a repeat further on
    does not stretch them past a bracket its negation stops at."""
    near = [i for i, t in enumerate(terms) if t.form in forms and
            anaphor.end() <= t.start <= anaphor.end() + REACH]
    if not near or not forms - {terms[i].form for i in near} <= named:
        return None
    return near[0], last_new(terms, near)[1]
