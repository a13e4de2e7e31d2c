"""The ticket text as the differential uses it: how much it sounds like each entry, and whether
it asks how to do something (a procedure) rather than reports a fault."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from engine.text.similarity import TextScore

_HOWTO = re.compile(
    r"\b(how (do|can|should|would) (i|we|you)|how to|steps? (to|for)|procedure|runbook|"
    r"walk (me )?through|guide|instructions?|what is the (right )?way|need to (set ?up|enable|"
    r"activate|prepare|configure|turn on|create|move|check)|want(ing)? to (set ?up|enable|"
    r"activate|prepare|configure|turn on|create|check|see|view|collect|log|track)|"
    r"is there a way)\b", re.IGNORECASE)


def asks_how(text: str) -> bool:
    """Whether a ticket asks how to do something (a procedure) rather than reports a fault."""
    return bool(_HOWTO.search(text))


MATCH_CHARS = 64 * 1024     # how much of a ticket is compared with the entries (all of it is
                            # scanned for signatures): a 10 MB paste would take many seconds


def for_matching(text: str) -> tuple[str, str | None]:
    """The part of the ticket text compared with the entries, and a note when it was cut."""
    if len(text) <= MATCH_CHARS:
        return text, None
    return text[:MATCH_CHARS], (f"the ticket text is {len(text):,} characters: only the first "
                                f"{MATCH_CHARS // 1024} KiB were compared with the entries "
                                f"(all of it was searched for known log lines)")


@dataclass(frozen=True)
class TicketText:
    text: str = ""
    scores: dict[str, TextScore] = field(default_factory=dict)   # entry id -> similarity
    howto: bool = False
    note: str | None = None     # why only part of it was compared
