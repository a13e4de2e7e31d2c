"""Whether a ticket, or one sentence of it, asks how to do something (a procedure's runbook)
rather than reports a fault: the differential's how-to score of procedures depends on it, and
a question sentence that asks how ("How do I enable SCR for SG1?") says what the caller wants
done, so the ticket reader takes its answer to "which task" as said, not only suggested."""

from __future__ import annotations

import re

_HOWTO = re.compile(
    r"\b(how (do|can|should|would|to) (i|we|you)|(?<!reading )(?<!read )how to|how does one|"
    r"procedure|"
    # "steps", but not a form's "Steps already taken:"
    r"steps?\b(?!\s+(?:already\s+|we\s+|i\s+)?(?:taken|tried|done|performed))|"
    r"runbook|checklist|walk (me |us )?through|instructions?|"
    r"(need|want|send|share|is there|any|step-by-step) (\w+ )?guide|guide (for|to|on)|"
    r"what(?:'s| is) the (right |best |correct |proper |safe )?(way|order|sequence)|"
    r"(right|best|correct|proper|safe|recommended) (way|order|sequence|process)|"
    r"(in )?(what|which) order|go about|how exactly|(any|what are the) gotchas|"
    r"which (server|node|member|box|machine|database|one) (goes |do (i|we) do |to do )?first|"
    r"((need|want)s?|(need|want|have|got)s? to (get|put|roll)) (sp ?\d|cu ?\d+|the (service "
    r"pack|cu|update rollup)) on|"
    r"what (do|should|must) (i|we) (need to )?do (on|to|before|first|now|afterwards|after|next)|"
    r"what (do|should|must|would) (i|we|you) (need to |have to )?(set ?up|configure|prepare|"
    r"put in place|have ready)|what (needs|has) to be (done|set ?up|configured|prepared)|"
    r"what (should|must|needs to) (already )?be (done|set ?up|configured|prepared|in place)|"
    r"(need|want) the (\w+ ){0,2}(commands?|cmdlets?|steps|prerequisites|syntax)|"
    r"(need|want|have|going|plan(ning)?)(ing)? to (set ?up|enable|activate|prepare|configure|"
    r"turn on|create|move|check|install|upgrade|apply|recover|restore|count|see|view|collect|"
    r"log|track|get)|"
    r"is there a way|can you (tell|show)|best practice|"
    # "what shell commands give these counts?", "No incident - it's a how-to."
    r"(which|what) (\w+ ){0,2}(commands?|cmdlets?|one[- ]?liners?|scripts?) (give|gives|get|"
    r"gets|show|shows|produce|produces|return|returns|would|will|do|should|can|to)|"
    r"(it['’]s|is|just) a how[- ]to|how[- ]to (request|question)|"
    r"(can|could) (i|we) (push|deploy|script|automate|roll) (it|this|that|them|out)\b|"
    r"(can|could) (it|this|that) be (scripted|automated|pushed|deployed|rolled out)|"
    r"(which|what) (settings|values|registry (keys|values)|keys|options|boxes) (do|should|must) "
    r"(i|we) (change|set|tick|touch|use)|"
    r"can (i|we) do (it |this |that )?(from|in|with) (the )?(shell|powershell|ems)|"
    r"(asks?|asked|wants?) (me |us )?for (a |the )?report|"
    r"is there (a|an|any) (\w+ ){0,2}(one[- ]?liner|commands?|cmdlets?|script|report)|"
    r"(^|[.!?,;:]\s*)any (\w+ ){0,2}(one[- ]?liners?|commands?|cmdlets?|scripts?)(?=\s*\?)|"
    r"(want|need)s? (the |a )?(number|count|list|report) of|"
    r"(wants?|needs?|like) to know how (many|much)|"
    r"what(?:['’]s| is| are) the (\w+ ){0,2}(one[- ]?liner|commands?|cmds?|cmdlets?|syntax|script|"
    r"registry values|reg values)|"
    r"(anyone|anybody|somebody|someone) (have|has|got) (a |the )?(\w+ ){0,2}(one[- ]?liner|"
    r"commands?|cmdlets?|syntax|script|registry values|reg values|steps))\b", re.IGNORECASE)


def asks_how(text: str) -> bool:
    """Whether a ticket asks how to do something (a procedure) rather than reports a fault."""
    return bool(_HOWTO.search(text))
