"""Lint: every step whose command is risky (kb/language/risky-commands.md) carries a caution."""

from __future__ import annotations

import re2

from engine.kb.models import Diagnostic, KnowledgeBase
from engine.kb.patterns import options


def check_cautions(kb: KnowledgeBase) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    patterns = []
    for risky in kb.risky:
        try:
            patterns.append((risky, re2.compile("(?i)" + risky.regex, options())))
        except re2.error as exc:
            reason = exc.args[0] if exc.args else exc
            if isinstance(reason, bytes):
                reason = reason.decode("utf-8", "replace")
            found.append(Diagnostic(path=risky.path, line=risky.line,
                                    message=f"risky command pattern does not compile under "
                                            f"RE2: {reason}"))
    for entry in kb.entries:
        for section, steps in (("fix" if entry.kind == "diagnosis" else "steps", entry.actions),
                               ("verify", entry.verify_steps)):
            for number, step in enumerate(steps, 1):
                if step.caution:
                    continue
                hit = _first_risky(step, patterns)
                if hit is None:
                    continue
                risky, block, text = hit
                found.append(Diagnostic(
                    path=entry.path, line=block.line,
                    message=f"{section} step {number} runs '{text.strip()[:50]}' ({risky.label}) "
                            f"without a caution: add a paragraph 'Caution: ...' to the step "
                            f"(what it affects, the outage, how to back out)"))
    return found


def _first_risky(step, patterns):
    for block in step.commands:
        for text in block.code.split("\n"):
            for risky, pattern in patterns:
                if pattern.search(text):
                    return risky, block, text
    return None
