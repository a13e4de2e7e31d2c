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


@dataclass(frozen=True)
class TicketText:
    text: str = ""
    scores: dict[str, TextScore] = field(default_factory=dict)   # entry id -> similarity
    howto: bool = False
