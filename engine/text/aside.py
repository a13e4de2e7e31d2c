"""Words that put what a choice's phrase says aside, so that it is only a suggestion: it was so
before ("we enabled SCR last month", "at first the check complained about MSCORSVW", "we turned
on SCR for SG1" for the task "turn on SCR"), or it is so for others than the caller ("the other
agents are working emails fine"). Which system it is (`product`) is never put aside: "we went
fully to Office 365 last year" still says it. A guess at the culprit or a mere mention before a
phrase ("says it's the VPN client", "might be", "before you ask about Macs") puts any answer
aside, `product` included; so does an intention to do what a phrase says ("we need to raise
MaxConnectionsPerUser"), `product` aside. Also here: the reply to a question the helpdesk put
to the caller ("Asked if mailboxes moved: no"), what was so before in the part of a clause
("last year's problem where ..., so I checked: ..."), and a code the caller only read or heard
about ("I read about UserConnectionLimitReached"), which sets none of its signature's facts."""

from __future__ import annotations

import re

from engine.text.denial import CODE_WORD, CODE_WORDS
from engine.text.lexicon import Lexicon

_HISTORY = re.compile(r"\b(?:already|in advance|beforehand|ahead of time|previously|only ever|"
                      r"ever done|in the lab|last time|used to|in the past|"
                      r"last (?:month|year)|(?:months|years) ago|a while (?:back|ago)|"
                      r"at first|initially|originally|first (?:attempt|try|run)|"
                      r"worked (?:fine|ok|okay|well|great|perfectly)|in the pilot|"
                      r"before(?=\s*(?:[(),.;:!?]|$)))\b", re.I)
# another occurrence of the problem: "last time this happened", "the previous outage"
_ANOTHER_TIME = re.compile(r"\b(?:(?:the\s+)?last\s+time\s+(?:(?:this|it|that)\s+(?:happened|"
                           r"occurred|broke|failed)|we\s+(?:had|saw)\s+(?:this|it))|"
                           r"the\s+(?:previous|last)\s+(?:time|incident|outage)|"
                           r"previous\s+(?:incident|outage)|the\s+time\s+before|"
                           r"last\s+(?:year|month|week)['’]s\s+(?:problem|issue|incident|outage))\b",
                           re.I)
# "we need SCR enabled", "want it activated": the state asked for, not the one there is
_WANTED = re.compile(r"\b(?:need|needs|want|wants|wanted|should|must|to\s+be|to\s+get|get|getting|"
                     r"have|has|let|make|how)\b", re.I)
WANT_REACH = 40                # characters before a past participle a wish may stand
# "we turned on ...", "I've already set up ...": the caller did it
_DONE_BY = re.compile(r"\b(?:we|i)(?:['’]ve|\s+have|\s+had)?(?:\s+(?:already|just|then|also))?"
                      r"\s+$", re.I)
# "our last IT guy set it up", "a contractor built it": someone else's doing, so what is so
_BY_SOMEONE = re.compile(r"\b(?:guy|someone|somebody|he|she|they|contractor|consultant|"
                         r"predecessor|partner|vendor|colleague)\s+(?:had\s+|has\s+)?$", re.I)
# "the other agents are working emails fine": the clause is about those the problem spares
_SPARED = re.compile(r"\b(?:the other|all other|everyone else|everybody else|the rest|others|"
                     r"colleagues|other\s+(?:users|people|agents|staff|colleagues)['’]?|"
                     # "the agents who logged in first are working fine": those in before
                     # the limit or the change
                     r"(?:agents|users|people|ones)\s+(?:who|that)\s+(?:logged|signed|got)\s+"
                     r"(?:in|on)\s+(?:first|earlier|early)|the\s+first\s+(?:\d+\s+|few\s+)?"
                     r"(?:agents|users|people)\s+(?:to\s+)?(?:log|sign)\s*(?:in|on))\b[^,;:]*$",
                     re.I)
# ... or said of them right after: "calendar status works fine for everyone else"
_SPARED_AFTER = re.compile(r"[^,;:.]{0,30}?\bfor\s+(?:everyone\s+else|everybody\s+else|"
                           r"all\s+(?:the\s+)?others?|the\s+others?|other\s+users|the\s+rest|"
                           r"(?:my\s+|her\s+|his\s+|their\s+)?colleagues|others)\b", re.I)
_SPARED_WORDS = "other others rest colleagues everyone everybody"
_SPARED_WORD = re.compile(r"\b(?:" + "|".join(_SPARED_WORDS.split()) + r")\b", re.I)
# "the guy at the desk says it's the VPN client", "might be the Jabber upgrade": a guess at
# the culprit, the caller's or someone else's, not what the caller saw
_GUESS = re.compile(r"\b(?:(?:says?|said|thinks?|thought|reckons?|insists?|swears?)\s+"
                    r"(?:it['’]s|it\s+(?:is|was|must\s+be|might\s+be)|that['’]s|"
                    r"the\s+(?:problem|culprit|cause)\s+is)|suspects?|suspected|blames?|"
                    r"blamed|suggested|suggests|(?:might|may|could)\s+(?:be|have\s+been)|"
                    r"maybe|perhaps|sounds\s+like|"
                    # "I started re-reading how to enable SCR": what was read up on
                    r"(?:re-?)?read(?:ing)?\s+(?:up\s+on\s+|about\s+)?how\s+to|"
                    r"look(?:ed|ing)\s+up\s+how\s+to|"
                    # advice for a case that may not be this one: "if it says MSCORSVW has
                    # open files, wait for NGEN"
                    r"if\s+(?:it|you|the\s+\w+)\s+(?:says?|shows?|sees?|gets?)|"
                    # "Greg thinks the Exchange servers are overloaded"
                    r"(?:thinks|reckons|believes)\s+(?:that\s+)?(?:the|it|its|our|their)\b|"
                    r"(?:i|we)\s*(?:(?:had|have|['’]d|['’]ve)\s+)?(?:\w+ly\s+)?(?:think|believe|"
                    r"assumed?|read\s+(?:that|somewhere))\b|"
                    # what a cause can do in general: "this can be caused by the Remote
                    # Registry service being turned off after patching"
                    r"(?:can|could|may|might|is\s+often|is\s+usually)\s+be\s+caused\s+by|"
                    # "I read about UID corruption on IMAP so I ran ...": what was read of
                    r"(?:i|we)\s+(?:(?:have|['’]ve)\s+)?(?:read|heard)\s+(?:\w+\s+)?about|"
                    r"probably|guess(?:ed|es)?|theor(?:y|ies)|hunch|not\s+sure\s+if|"
                    r"wonder(?:s|ed|ing)?\s+(?:if|whether)|could\s+it\s+be|"
                    r"(?:ask(?:ed|ing)?|question(?:ed|s)?)\s+about|"
                    # "before you ask about Macs" (not "Before you ask: he is enabled ...")
                    r"before\s+you\s+ask\s+(?:about|if|whether)|"
                    # someone else's claim: "a blog says linked mailboxes are orphans", "found
                    # an old blog saying remove the orphaned account"
                    r"(?:blog|article|post|forum|thread|google|vendor)\s+"
                    r"(?:\w+\s+)?(?:says?|said|saying|claims?|claiming|suggests?|suggesting)|"
                    # what was read about: "read a blog about UID corruption on IMAP, so I ran"
                    r"(?:blog|article|post|forum|thread)\s+about|"
                    r"(?:read|heard|saw)\s+something\s+(?:online\s+)?about)\b",
                    re.I)
# "lovely when it works", "fine if it is working at all": a condition, not a state
_CONDITIONAL = re.compile(r"\b(?:when|if|whenever)\s+(?:it|they|that)\s+(?:(?:is|are|does|do)\s+)?"
                          r"(?:works?|working)\b", re.I)
# "the DR plan says if one storage group goes corrupt we bring that DB up ...": what a plan
# does in a case that may come, not what is so
_PLAN_IF = re.compile(r"\b(?:plan|runbook|procedure|process|policy|design)\s+(?:says|states|is)\s+"
                      r"(?:that\s+)?(?:if|when|whenever|should)\b", re.I)
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")
# "I saw the UserConnectionLimitReached thread", "I know the KB974571 story": a code that names
# what was read, right before the word for it
_MENTION_AFTER = re.compile(r"\s+(?:forum\s+|blog\s+|kb\s+)?(?:thread|article|post|blog|story|"
                            r"write-?up)s?\b", re.I)
# "I read about UserConnectionLimitReached", "the desk thinks it's the 0x35 thing", "if it says
# MSCORSVW has open files, wait": a code named,
# not one the caller's own log shows (not "maybe 20 %": a hedge on a number is a number)
_MENTION = re.compile(r"\b(?:if\s+(?:it|you|the\s+\w+)\s+(?:says?|shows?|sees?|gets?)|"
                      r"(?:read|reading|heard|hearing|googled|searched|asked|asking|know|"
                      r"knew)\s+(?:\w+\s+)?about|before\s+you\s+(?:ask|say|suggest)|"
                      r"(?:article|post|thread|blog)\s+(?:\w+\s+)?(?:about|on|mentions?)|"
                      r"(?:says?|said|thinks?|thought|insists?|swears?)\s+(?:it['’]s|it\s+is|"
                      r"it\s+must\s+be)|suspects?|blames?|could\s+it\s+be|is\s+it\s+the)\b",
                      re.I)
# "(maybe 200 a day) and we already raised the limits", "says it is X so I ran the check", "read
# about it and on Wednesday we unticked it": a guess or a mention ends before what was done,
# and at a colon ("Before you say it's the IPv6 bug: this is Exchange 2013", "Asked about Remote
# Registry: running"); a label's guess goes on past its own colon ("my theory: the spam filter")
_ENDS = r"\s[-–—]\s|\b(?:and|so)\s+(?:(?:on|last|this|next|at|in)\s+\w+\s+)?(?:we|i)\b"
_ASIDE_ENDS = re.compile(r"[():\[\]]|" + _ENDS, re.I)
# "Suspected root cause (team leader): someone changed the password", "[eng1] first suspicion:
# ...": a label that makes what follows it in the clause a guess, brackets and all
_GUESS_LABEL = re.compile(r"\s*(?:\[[^\]\n]{0,20}\]\s*)?(?:(?:first|initial|my|our|main|"
                          r"[\w’'-]{1,12})\s+)?"
                          r"(?:suspected|suspect|suspicion|possible|probable|likely|theory|guess)"
                          r"\b[^:\n.]{0,40}:", re.I)
# "please check for event 15004", "Look in the app log for 15004": a request to look for a
# code, not a sign it is there
_REQUEST = re.compile(r"(?:\b(?:please|pls|kindly|can\s+you|could\s+you|you\s+should|"
                      r"you\s+(?:need|may\s+want|might\s+want)\s+to)\s+|^\s*)"
                      r"(?:check|look|search|grep|filter|scan)\s+(?:[\w-]+\s+){0,5}?"
                      r"(?:for|whether)\b", re.I)
_HISTORY_ENDS = re.compile(r"[():,\[\]]|" + _ENDS, re.I)   # "died last year, we are on 2013 now"
# "we need to raise MaxConnectionsPerUser", "I'll restart the service", "should we grant
# impersonation?": what is meant to be done, right before the phrase (a word may come between)
_INTENT = re.compile(r"(?:\b(?:need|needs|want|wants|wanted|going|plan|plans|planning|planned|"
                     r"have|has|ought|about|asked|asking|decided|intend|intends)\s+to|"
                     r"\b(?:we|i)\s*(?:will|['’]ll|shall)|"
                     r"\b(?:should|shall|can|could|must)\s+(?:we|i)|\blet['’]?s)"
                     r"(?:\s+\w+)?\s+$", re.I)
# "Asked if mailboxes moved: no, never", "checked whether it's only him - yes": a question put
# to the caller, and what came back right after it
_ASKED_IF = re.compile(r"\b(?:asked|asking|checked|checking|q)\s*(?:him|her|them|the\s+user|"
                       r"the\s+caller)?\s*(?:if|whether)\b", re.I)
_REPLY = re.compile(r"[^:=?!.;\n]{0,30}?(?:[:=?]|\s[-–—]|\s*->)\s*[\"'“]?"
                    r"(?:(?P<yes>yes|yep|yeah|correct|confirmed|true|affirmative)|"
                    r"(?P<no>no(?!\s+idea)|nope|never|not(?!\s+(?:sure|certain|known|clear))|"
                    r"negative|false))\b", re.I)
INTENT_REACH = 40           # characters before a phrase an intention is looked for in
# "Plan: set Remote Registry to Automatic", "Options: switch the service to search": what an
# engineer's notes propose to do, not what is so
_PLAN = re.compile(r"\s*(?:action\s+|proposed\s+|recommended\s+)?(?:plan|options?|"
                   r"next(?:\s+(?:steps?|actions?|shift))?|actions?|recommendations?|fix|to\s*do|"
                   r"to\s+try|follow[\s-]?up|suggestions?|workaround)\s*:", re.I)
# a speaker's name before what they said in a pasted chat or call note ("Engineer wrote: ...")
_SPEAKER = r"\s*(?:[A-Za-z][\w .'-]{0,20}:\s*)?"
# "Grant the account the View Information Store status right", "Then restart the service": an
# instruction at the head of a sentence, what to do, not what was done ("Granted ...", "Set
# ..." and "Run ..." read either way, so they are not here)
_IMPERATIVE = re.compile(_SPEAKER +
                         r"(?:(?:so|then|now|next|first|just|please|pls|kindly|ok|okay)[,\s]+)*"
                         r"(?:grant|add|enable|disable|restart|create|remove|raise|increase|"
                         r"install|upload|assign|configure|give|try|make\s+sure|ensure)"
                         r"(?![\w-])", re.I)
# a chat or a call note pasted line by line: the line after a yes/no question starts with the
# reply, after the speaker's name ("Agent: Does the account have a mailbox?" / "User: no, ...")
_NEXT_REPLY = re.compile(_SPEAKER + r"[\"'“]?"
                         r"(?:(?P<yes>yes|yep|yeah|yup|correct|confirmed|affirmative)|"
                         r"(?P<no>no(?!\s+(?:idea|wait|clue))|nope|nah|negative))\b(?!\s*\?)",
                         re.I)
_EITHER = re.compile(r"\bor\b", re.I)      # "is it slow at busy times, or every message?"


class Aside:
    """The tests, with the KB's word forms for "the others" (a phrase about them, "everyone
    else fine", is not put aside by them)."""

    def __init__(self, lexicon: Lexicon):
        self.spared_forms = frozenset(t.form for t in lexicon.terms(_SPARED_WORDS))

    def before(self, clause: str, phrase: str, task: str, lead, words=()) -> bool:
        """What was so before: a history word anywhere in the clause (the phrase's own ones
        aside), or the phrase's task verb (`task`, its form) said by the caller in the past
        tense at `lead`, the first word of the match, or after its object among the matched
        `words` that follow it, as what is so ("SCR from MBX01 to MBX-DR enabled last week", "SCR is enabled
        and healthy"), not what is wanted ("we need SCR enabled")."""
        if _HISTORY.search(clause) is not None and _HISTORY.search(phrase) is None:
            return True
        if not task:
            return False
        if lead.form == task and lead.surface.endswith("ed") and \
                _DONE_BY.search(clause, 0, lead.start) is not None:
            return True
        return any(word.form == task and (
            word.surface.endswith("ed") and
            _WANTED.search(clause, max(0, word.start - WANT_REACH), word.start) is None or
            # "(our last IT guy set it up)": someone else did it, in the past
            _BY_SOMEONE.search(clause, max(0, word.start - WANT_REACH), word.start) is not None)
            for word in words)

    @staticmethod
    def earlier(clause: str, phrase: str, start: int, end: int) -> bool:
        """A history word in the part of the clause the words at clause[start:end] stand in,
        up to a colon or a semicolon ("last year's problem where Remote Registry was disabled,
        so I checked: it is running now"), the phrase's own ones aside."""
        head = _part_start(clause, start)
        tail = min([i for i in (clause.find(":", end), clause.find(";", end)) if i >= 0] or
                   [len(clause)])
        return _HISTORY.search(clause, head, tail) is not None and _HISTORY.search(phrase) is None

    @staticmethod
    def another_time(clause: str, start: int) -> bool:
        """Words said of another occurrence of the problem, before them in the part of the
        clause they stand in ("Last time this happened we found the Remote Registry service
        disabled, so this time I checked first: ..."): what was found then, not now ("Remote
        Registry is running, we had that problem the last time" says it runs)."""
        return _ANOTHER_TIME.search(clause, _part_start(clause, start), start) is not None

    @staticmethod
    def guessed(clause: str, said_from: int) -> bool:
        """A guess at the culprit comes before the match in the clause."""
        label = _GUESS_LABEL.match(clause)
        return label is not None and label.end() <= said_from or \
            _open(_GUESS, _ASIDE_ENDS, clause, 0, said_from)

    @staticmethod
    def conditional(clause: str, said_from: int, said_to: int) -> bool:
        """The words say only when it holds ("the status is lovely when it works"), or what a
        plan does in a case that may come ("the DR plan says if one storage group goes corrupt
        we bring that DB up"), not that it does."""
        return _CONDITIONAL.search(clause, said_from, said_to) is not None or \
            _PLAN_IF.search(clause, 0, said_from) is not None

    @staticmethod
    def intended(clause: str, said_from: int, task: str) -> bool:
        """What the caller means to do, not what was done or is so ("we need to raise ...",
        "Plan: set Remote Registry to Automatic"), for a phrase that is not itself a task to do
        ("turn on SCR" says which task)."""
        return not task and (_INTENT.search(
            clause, max(0, said_from - INTENT_REACH), said_from) is not None or
            _PLAN.match(clause) is not None or _IMPERATIVE.match(clause) is not None)

    @staticmethod
    def reply(line: str, said_from: int, said_to: int) -> tuple[str, int] | None:
        """For words the helpdesk asked the caller about ("Asked if mailboxes moved: no"), the
        reply right after them and where it ends: ("yes" or "no", end), or ("", said_to) when
        none follows; None when they were not asked about."""
        asked = _last(_ASKED_IF, line, max(0, said_from - INTENT_REACH), said_from)
        if asked is None or any(c in line[asked.end():said_from] for c in ":?=.;"):
            return None
        found = _REPLY.match(line, said_to)
        if found is None:
            return "", said_to
        return ("yes" if found.group("yes") else "no"), found.end()

    @staticmethod
    def next_reply(question: str, line: str) -> tuple[str, str] | None:
        """The caller's reply to a yes/no question, when `line`, the line after the question,
        starts with it: ("yes" or "no", the word said); None for an either-or question or
        another reply."""
        if _EITHER.search(question) is not None:
            return None
        found = _NEXT_REPLY.match(line)
        if found is None:
            return None
        return ("yes", found.group("yes")) if found.group("yes") else ("no", found.group("no"))

    @staticmethod
    def mentioned(line: str, start: int, end: int) -> bool:
        """A signature's match at line[start:end] whose code-like words ("POP3 ... I read
        about UserConnectionLimitReached") follow a mention or a guess in their sentence ("I
        read about ...", "maybe it's the 0x35 thing"), or a history word ("last year the log
        had ..."), or name what was read ("the UserConnectionLimitReached thread"): named, or
        seen before, not in the caller's log now."""
        found = list(CODE_WORD.finditer(line, start, end))[:CODE_WORDS]
        if any(_MENTION_AFTER.match(line, m.end()) for m in found):
            return True     # "I saw the UserConnectionLimitReached thread"
        codes = [m.start() for m in found]
        for at in codes or [start]:
            stop = _last(_SENTENCE_END, line, 0, at)
            since = stop.end() if stop else 0
            # or seen before, not now: "last year the IMAP log had UidCorruptionDetected"
            if _open(_MENTION, _ASIDE_ENDS, line, since, at) or \
                    _open(_HISTORY, _HISTORY_ENDS, line, since, at) or \
                    _REQUEST.search(line[since:at]) is not None:
                return True
        return False

    @staticmethod
    def others(clause: str, said_from: int, said_to: int, about_others: bool) -> bool:
        """What those the problem spares have: the clause is about them up to the match or in it
        ("the agents who logged in first are working fine"), or the words right after it say so
        ("works fine for everyone else"), and the phrase is not itself about them
        (`about_others`)."""
        return (_SPARED.search(clause, 0, said_to) is not None or
                _SPARED_AFTER.match(clause, said_to) is not None) and not about_others

    def about_others(self, forms: frozenset[str], text: str) -> bool:
        """Whether a phrase (its forms, and its text, since "other" is a stop word) is itself
        about those the problem spares: "colleagues get their voicemails fine"."""
        return not forms.isdisjoint(self.spared_forms) or _SPARED_WORD.search(text) is not None


def _last(pattern: re.Pattern, text: str, start: int, end: int) -> re.Match | None:
    """The last match of `pattern` in text[start:end], or None."""
    found = None
    for found in pattern.finditer(text, start, end):
        pass
    return found


def _part_start(clause: str, at: int) -> int:
    """Where the part of the clause that holds `at` starts: after the last colon or semicolon
    before it."""
    return max(clause.rfind(":", 0, at), clause.rfind(";", 0, at)) + 1


def _open(pattern: re.Pattern, ends: re.Pattern, text: str, start: int, end: int) -> bool:
    """Whether the last match of `pattern` in text[start:end] reaches `end`: none of `ends`
    comes between it and `end`."""
    found = _last(pattern, text, start, end)
    return found is not None and ends.search(text, found.end(), end) is None
