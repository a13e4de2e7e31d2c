"""Lint: every `<placeholder>` a fix or verification command uses has a kind, so a value
captured from evidence can be checked before it is filled in (engine.kb.placeholders)."""

from __future__ import annotations

from engine.kb.models import CodeBlock, Diagnostic, KnowledgeBase
from engine.kb.placeholders import PLACEHOLDER


def check_placeholders(kb: KnowledgeBase) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    kinds: dict[str, tuple[str, str, int]] = {}
    for table in kb.placeholders:
        for item in table.names:
            first = kinds.setdefault(item.name, (item.kind, table.path, item.line))
            if first != (item.kind, table.path, item.line):
                found.append(Diagnostic(path=table.path, line=item.line, message=(
                    f"placeholder <{item.name}> is already listed under '{first[0]}' at "
                    f"{first[1]}:{first[2]}")))
    for entry in kb.entries:
        blocks: list[CodeBlock] = [c for step in (*entry.actions, *entry.verify_steps)
                                   for c in step.commands]
        blocks += entry.verify.commands
        seen: set[tuple[str, int]] = set()
        for block in blocks:
            for offset, line in enumerate(block.code.split("\n"), 1):
                for match in PLACEHOLDER.finditer(line):
                    name, at = match.group("name"), block.line + offset
                    if name in kinds or (name, at) in seen:
                        continue
                    seen.add((name, at))
                    found.append(Diagnostic(path=entry.path, line=at, message=(
                        f"placeholder <{name}> has no kind: list it under its kind in a "
                        f"'kind: placeholders' file (kb/language/placeholders.md)")))
    return found
