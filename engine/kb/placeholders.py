"""Placeholder kinds: what a `<mailbox>` or `<server>` in a fix command may be filled with.

A `kind: placeholders` file (kb/language/placeholders.md) has one `## kind` section per kind,
with bullets of the placeholder names of that kind (comma-separated). The kinds themselves are
fixed here: each says which values it takes, so a value captured from a stranger's log can be
checked before it goes into a command an administrator runs. A KB maintainer adds a placeholder
by naming it under its kind; `triage lint` reports a command placeholder that has no kind.

Values are checked whole (`fullmatch`), at most `MAX_VALUE_CHARS` long, and never hold a
control character. `engine.inference.quoting` then quotes a checked value for the command's
shell, or refuses it there.
"""

from __future__ import annotations

import re

from engine.kb.markdown import Section
from engine.kb.models import PlaceholderName, Placeholders
from engine.kb.placeholder_kinds import KINDS, MAX_VALUE_CHARS, PLACEHOLDER, Kind, check_value  # noqa: F401
from engine.kb.rulelang import Problems, item_text


def read_placeholders(path: str, found: list[Section], problems: Problems) -> list[Placeholders]:
    names: list[PlaceholderName] = []
    for section in found:
        kind = " ".join(section.title.lower().split())
        if kind not in KINDS:
            problems.add(section.line, f"unknown placeholder kind '## {section.title}' "
                                       f"(known: {', '.join(KINDS)})")
            continue
        for node in section.nodes:
            if node.type not in ("bullet_list", "ordered_list"):
                continue
            for item in node.children:
                text, line = item_text(item)
                for name in (n.strip().strip("<>`").strip() for n in text.split(",")):
                    if not name:
                        continue
                    if not re.fullmatch(r"[a-z][a-z0-9_-]*", name):
                        problems.add(line, f"a placeholder name is lower-case letters, digits, "
                                           f"'-' and '_', found '{name[:40]}'")
                        continue
                    names.append(PlaceholderName(name=name, kind=kind, line=line))
    return [Placeholders(names=tuple(names), path=path)]
