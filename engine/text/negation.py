"""Whether a negation reaches words of the ticket ("the limits were never raised", "not failing
completely: the UM test passes", '"search for Exchange servers" not used'), for the ticket reader
(engine.text.reading) and for signature facts found in the ticket (engine.inference.ticket)."""

from __future__ import annotations

import re

NEGATION_REACH = 40            # characters before the first word a negation still reaches

_NEGATION = re.compile(
    r"\b(?:not|no|zero|never|none|nor|neither|without|nothing|nobody|no[\s-]?one|cannot|"
    r"can['’]?t|won['’]?t|(?:do|does|did|is|are|was|were|has|have|had|could|would|should)"
    r"n['’]?t)\b", re.I)
# a negation of what follows only: "a specific server instead of searching for Exchange
# servers" (not "show as Shared instead of User": the words before it stand)
_INSTEAD = re.compile(r"\b(?:instead\s+of|rather\s+than)\b", re.I)
# what a negation does not reach past: "not showing in Outlook after the mailbox move" (the move
# happened), "hasn't worked since the update", "Unity doesn't notice when a mailbox moves"
_LINK = re.compile(r"\b(?:after|since|because|until|following|when|whenever)\b", re.I)
# a negation right before the first word ("not failing completely: ..."): it still reaches
# words read across a colon after it
_NEGATED_WORD = re.compile(_NEGATION.pattern + r"\s+$", re.I)
# a negation right after the words, about them: '"search for Exchange servers" not used',
# "the meeting status option unticked"
_NEGATED_AFTER = re.compile(# a hypothesis crossed off: "expired password - ruled out (OWA works)"
                            r"[\"'”’)]*\s*(?:[-–—:]\s*)?(?:ruled\s+out|excluded|eliminated)\b|"
                            r"[\"'”’)]*\s*(?:(?:is|was|are|were)\s+)?(?:not\s+(?:used|enabled|set|"
                            r"ticked|checked|selected|configured|in\s+use)|unticked|unchecked)\b|"
                            # what was looked at and came back empty: "checked her Outlook
                            # rules/junk, nothing", "... a rule was moving the messages: none"
                            r"(?:/[\w-]+|\s+\w+){0,2}\s*(?:->|=>|→|[,:–—-])\s*(?:(?:nothing|none)"
                            r"(?:\s+(?:there|found))?"
                            r"\s*(?:[.;!,]|\s+and\b|$)|nothing\s+(?:like|about)\b)", re.I)
# looked for and not found: "I looked in the event log for the back pressure warnings we had
# once before and there aren't any" (a search before the words, what came back after them)
_SEARCHED = re.compile(r"\b(?:looked|checked|searched|grepped|filtered|went\s+through|"
                       r"scanned)\b(?:\s+[\w-]+){0,6}?\s+for\b", re.I)
_NONE_FOUND = re.compile(r"[^.;!?\n]{0,50}?\b(?:and|but)\s+(?:there\s+(?:(?:are|is|were|was)"
                         r"n['’]?t|(?:are|is|were|was)\s+not)\s+any|(?:there(?:['’]s|\s+is|"
                         r"\s+was)|found|got|saw)\s+(?:nothing|none))\b", re.I)
# a phrase whose own negation is its last word ("Allow Bookings set to No", "search finds
# nothing"): the words right after it say it ("Allow Bookings setting is set to No")
_TRAILING = re.compile(r"[\"'”’)]*\s*(?:(?:is|was|are|were|set|to|now|still|=|:)\s*)*"
                       r"(?:no|none|nothing|off|false|\$false|disabled)\b", re.I)
_LAST_WORD = re.compile(r"\b(\w+)\W*$")
SCOPE = re.compile(r"[,:()\[\]]|\s[-–—]\s")     # a negation before one of these stops there
# a verb's negation ("can't access ..."), not a quantifier's, whose words may be the subject of
# the phrase's verb ("none of these people's mailboxes has been moved")
_OF_A_VERB = re.compile(r"not|never|cannot|\w+n['’]?t", re.I)
# a negation of being allowed to change something, not of the thing: "we are not permitted
# to modify the default throttling policy" says nothing against the mailbox being on the
# default policy (but "I did not touch its calendar processing settings" says they were not set)
_CHANGE = r"\s+(?:modify|change|touch|edit|alter|amend)\b"
_OF_A_CHANGE = re.compile(r"\s+(?:be\s+)?(?:permitted|allowed|able|supposed|meant)\s+to" + _CHANGE,
                          re.I)
_CANNOT_CHANGE = re.compile(_CHANGE, re.I)
_CANNOT = re.compile(r"can['’]?t|cannot", re.I)
# another clause, dictated without a full stop: a subject and its verb, a pronoun ("won't mount
# um we want to bring the SCR copy online") or the phrase's own first words ("account is just a
# plain domain user"); a verb's negation before one does not reach past it, one of saying or
# thinking does ("I don't think the account is ...")
_OWN_CLAUSE = re.compile(r"\w+(?:\s+\w+){0,2}\s+(?:is|are|was|were|has|have|had)\b", re.I)
_SUBJECT = re.compile(r"\b(?:we|i|they|he|she|you)\s+(?!not\b|n['’]t\b|do\b|did\b|does\b)"
                      r"(?:[a-z]+(?:['’](?:ve|re|d|ll))?)\b", re.I)
_OF_MIND = re.compile(r"\s+(?:think|believe|know|reckon|say|said|see|saw|feel|find|found|"
                      r"realise|realize|sure|certain|that|seem|mean|remember|idea|clue|if|"
                      r"whether)\b", re.I)


def says_not(text: str, start: int = 0, end: int | None = None) -> bool:
    """Whether the text (text[start:end], searched in place) has a negation of its own ("not a
    team mailbox"), reaching the words around it or not: "mailbox has not moved (same
    database" read as "mailbox moved to a new database"."""
    return _NEGATION.search(text, start, len(text) if end is None else end) is not None


def negated(clause: str, start: int, end: int, negative: bool = False,
            after: bool = True) -> bool:
    """Whether a negation reaches the words at clause[start:end] (one the phrase itself does not
    have, `negative`): inside them, or shortly before them and not cut off by a comma, a colon,
    a bracket or a dash ("never at all, since my mailbox was moved"), or right after them ('"search
    for Exchange servers" not used'). Words read across such a break are negated by what is after
    the last one: in "has no mailbox and isn't in any admin group, impersonation is there" the
    first part's "no" and "isn't" do not reach "impersonation". A negation right before the
    first word still reaches across a colon: "not failing completely: the UM test passes". The
    words right after count only with `after` (not for a phrase that has its own "not", whose
    negation is the one its words stand next to)."""
    if after and _NEGATED_AFTER.match(clause, end):
        return not negative
    if after and _NONE_FOUND.match(clause, end) and \
            _SEARCHED.search(clause, max(0, start - NEGATION_REACH), end):
        return not negative
    if clause.count("~~", 0, start) % 2 == 1 and "~~" in clause[end:]:
        return not negative        # crossed off in a note: "~~per-user limit~~ raised, not hit"
    zone_start = max(0, start - NEGATION_REACH)
    for stop in SCOPE.finditer(clause, zone_start, end):
        if stop.start() > start and stop.group() == ":" and \
                _NEGATED_WORD.search(clause, zone_start, start):
            return not negative
        zone_start = stop.end()
    for link in _LINK.finditer(clause, zone_start, start):
        zone_start = link.end()
    said_not = _NEGATION.search(clause, zone_start, end)
    if said_not and said_not.end() <= start and _OF_A_VERB.fullmatch(said_not.group()) and \
            (begins := _another_clause(clause, said_not.end(), start)):
        said_not = _NEGATION.search(clause, begins, end)
    if said_not and said_not.end() <= start and \
            (change := _OF_A_CHANGE.match(clause, said_not.end()) or
             _CANNOT.fullmatch(said_not.group()) and
             _CANNOT_CHANGE.match(clause, said_not.end())) and change.end() <= start:
        said_not = _NEGATION.search(clause, start, end)
    said_not = said_not or _INSTEAD.search(clause, zone_start, start)
    return bool(said_not) != negative


def _another_clause(clause: str, after: int, start: int) -> int:
    """Where another clause begins between a negation (ending at `after`) and the words at
    clause[start:], 0 if none does: a subject and its verb after the negation's own verb ("that
    database won't mount um we want to bring the SCR copy online"), or the words themselves, when
    they are a subject and its verb and the negation's verb and its object come between ("it
    can't access any user mailboxes the account is just a plain domain user"). Not after what
    the caller says or thinks ("I don't think the account is ...")."""
    if _OF_MIND.match(clause, after) is not None:
        return 0
    subject = _SUBJECT.search(clause, after, start)
    if subject is not None and re.search(r"\w", clause[after:subject.start()]):
        return subject.start()
    if _OWN_CLAUSE.match(clause, start) is not None and \
            len(re.findall(r"\w+", clause[after:start])) >= 3:
        return start
    return 0


def listed(words: str, breaks: re.Pattern) -> bool:
    """Whether words read across commas are a list of denials, each part with its own
    negation: "has no mailbox, isn't an admin, not in any admin group"."""
    parts = breaks.split(words)
    return len(parts) > 1 and all(_NEGATION.search(part) for part in parts)


def ends_negated(phrase: str) -> bool:
    """Whether a phrase's own negation is its last word ("Allow Bookings set to No")."""
    last = _LAST_WORD.search(phrase)
    return last is not None and _NEGATION.fullmatch(last.group(1)) is not None


def trails(clause: str, end: int) -> bool:
    """Whether the words right after clause[:end] are a negation that ends a phrase: "Allow
    Bookings setting is No", "... set to No"."""
    return _TRAILING.match(clause, end) is not None
