"""Whether the ticket says a code it quotes is not there: "no UserConnectionLimitReached in
there", "didn't see any 15004", "the log has not shown a single ...", or right after it,
"searched the whole log for UidCorruptionDetected - nothing" (or "-> nothing"), "... for event
31551 and there's nothing". A signature's match that the caller denies sets none of its facts
(engine.inference.ticket.unsaid)."""

from __future__ import annotations

import itertools
import re

NEGATION_REACH = 40           # characters before a code a denial still reaches
ABSENT_REACH = 60             # characters after a code "... and there's nothing" may take
CODE_WORDS = 8                # code-like words of a signature match checked for a denial

# "no UserConnectionLimitReached in there", "didn't see any 15004": what comes right after
# says the log or the screen does not show it (a negation further away, or one an error
# message has itself - "cannot connect: 0x35" - does not)
_DENIED = re.compile(
    r"\b(?:no|zero|without|never\s+(?:see|saw|seen|got|get)|"
    r"(?:do|does|did|is|are|was|were|has|have|had)(?:n['’]?t|\s+not)\s+(?:see|saw|show|find|"
    r"found|contain|have|had|log|list|get|got|mention)\w*|"
    r"not\s+(?:a|any|one|seeing|showing|getting|finding|seen|shown|found|logged)|"
    r"nothing\s+(?:like|about))(?:\s+(?:any|a|an|the|single|sign|trace|mention|such|of|"
    r"more|longer|further|event|error|id|code|entry|entries|line|lines))*\s*[\"'“‘]?$", re.I)
_ABSENT = re.compile(r"\s*(?:(?:->|=>|→|[-–—:,])\s*)?(?:nothing|none|not found|no hits?|"
                     r"no results?|no matches|zero hits|0 hits|not there|not in there|not present)\b|"
                     r"[^.;!?\n]{0,30}?\b(?:and|but)\s+(?:there(?:['’]s| is| was)|found|got|saw)"
                     r"\s+(?:nothing|none|no hits?)\b", re.I)
_LAST_NAME = re.compile(r"\b[A-Z][A-Za-z]+$")
# the code-like words of an error string (`UserConnectionLimitReached`, `0x35`, `15004`): the
# words a denial names, wherever the signature's match starts ("POP3 ... no UserConnection...")
CODE_WORD = re.compile(r"\b(?:[A-Za-z]*[a-z][A-Z]\w*|0x[0-9A-Fa-f]+|\d{3,})\b")


def denied(line: str, start: int, end: int) -> bool:
    """Whether the words right before line[start:end], before one of its first CODE_WORDS
    code-like words ("... on Exchange 2010 ... no UserConnectionLimitReached") or before the
    name it ends on ("... calendar ... no Jabber here"), say it is not
    there ("no", "without", "didn't see any", "no sign of"), or the words right after it or
    them ("searched the log for UidCorruptionDetected - nothing")."""
    codes = list(itertools.islice(CODE_WORD.finditer(line, start, end), CODE_WORDS))
    starts = [start] + [m.start() for m in codes]
    # the name it ends on ("her calendar ... No Jabber on her PC")
    last = _LAST_NAME.search(line, start, end)
    if last is not None and last.start() > start:
        starts.append(last.start())
    if any(_DENIED.search(line[max(0, at - NEGATION_REACH):at]) is not None for at in starts):
        return True
    return any(_ABSENT.match(line, at, at + ABSENT_REACH) is not None
               for at in [end] + [m.end() for m in codes])
