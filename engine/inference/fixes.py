"""A fix made ready to run: the entry's steps (or a procedure's), with `<server>`-style
placeholders in commands filled from the values captured in the evidence (the server or mailbox
the log names), and how to verify it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from engine.inference.compiled import CompiledKB
from engine.inference.state import SessionState
from engine.kb.models import Entry, Step

_PLACEHOLDER = re.compile(r"<(?P<name>[a-z][a-z0-9_-]*)>")


@dataclass
class RenderedStep:
    number: int
    text: str
    commands: list[tuple[str, str]]            # (language, code) with placeholders filled
    caution: str | None = None

    def as_dict(self) -> dict:
        return {"step": self.number, "text": self.text,
                "commands": [{"language": lang, "code": code} for lang, code in self.commands],
                "caution": self.caution}


@dataclass
class Fix:
    entry: str
    steps: list[RenderedStep]
    verify: str                                # markdown, code blocks included
    verify_commands: list[tuple[str, str]]
    filled: dict[str, str]                     # placeholder -> value used
    verify_steps: list[RenderedStep] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"steps": [s.as_dict() for s in self.steps],
                "verify": {"text": self.verify,
                           "commands": [{"language": lang, "code": code}
                                        for lang, code in self.verify_commands],
                           "steps": [s.as_dict() for s in self.verify_steps]},
                "filled": self.filled}


def fill_placeholders(text: str, values: dict[str, str], used: dict[str, str]) -> str:
    def replace(match: re.Match) -> str:
        name = match.group("name")
        if name in values:
            used[name] = values[name]
            return values[name]
        return match.group(0)
    return _PLACEHOLDER.sub(replace, text)


def fix(compiled: CompiledKB, state: SessionState, entry_id: str) -> Fix:
    """The entry's fix with placeholders filled from what the session's evidence captured."""
    return render_fix(compiled.entries[entry_id], state.captures(entry_id))


def render_fix(entry: Entry, values: dict[str, str]) -> Fix:
    """The entry's steps and verification with placeholders filled from `values` (none: as
    the KB writes them)."""
    entry_id = entry.id
    used: dict[str, str] = {}

    def render(step: Step, number: int) -> RenderedStep:
        caution = fill_placeholders(step.caution, values, used) if step.caution else None
        return RenderedStep(number, fill_placeholders(_prose(step.text), values, used),
                            [(c.language, fill_placeholders(c.code, values, used))
                             for c in step.commands], caution)

    steps = [render(step, i) for i, step in enumerate(entry.actions, 1)]
    verify = fill_placeholders(entry.verify.markdown.strip(), values, used)
    commands = [(c.language, fill_placeholders(c.code, values, used))
                for c in entry.verify.commands]
    checks = [render(step, i) for i, step in enumerate(entry.verify_steps, 1)]
    return Fix(entry_id, steps, verify, commands, used, checks)


_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")


def _prose(markdown: str) -> str:
    """Step text without its fenced code (the commands are listed separately), with the
    source's hard line breaks inside a paragraph or list item joined up."""
    out: list[str] = []
    fenced = False
    for line in markdown.splitlines():
        if line.strip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if fenced:
            continue
        if not line.strip():
            if out and out[-1] != "":
                out.append("")
        elif out and out[-1] != "" and not _LIST_ITEM.match(line):
            out[-1] = out[-1].rstrip() + " " + line.strip()
        else:
            out.append(line.rstrip())
    return "\n".join(out).strip()
