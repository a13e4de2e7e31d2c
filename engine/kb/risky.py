"""Risky commands: a `kind: risky-commands` file whose `##` sections each name what a kind of
command does (the heading) and give its RE2 pattern (`- regex:`)."""

from __future__ import annotations

from engine.kb.markdown import Section, section_fields, unquote_code
from engine.kb.models import RiskyCommand
from engine.kb.rulelang import Problems


def read_risky(path: str, found: list[Section], problems: Problems) -> list[RiskyCommand]:
    out = []
    for section in found:
        regex = ""
        line = section.line
        for item in section_fields(section, problems, "risky command"):
            if item.key != "regex":
                problems.add(item.line, f"unknown field '{item.key}' (known: regex)")
                continue
            regex, line = unquote_code(item.value), item.line
        if not regex:
            problems.add(section.line, f"'{section.title}' has no '- regex: `...`'")
            continue
        out.append(RiskyCommand(label=section.title, regex=regex, path=path, line=line))
    return out
