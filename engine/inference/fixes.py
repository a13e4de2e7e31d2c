"""A fix made ready to run: the entry's steps (or a procedure's), with `<server>`-style
placeholders in commands filled from the values captured in the evidence (the server or mailbox
the log names), and how to verify it.

A captured value is filled in only when it fits its placeholder's kind and can be quoted for
the command's shell (`engine.inference.quoting`); otherwise the placeholder stays and the fix
says why (`refused`, and a note the renderers show)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from engine.inference.compiled import CompiledKB
from engine.inference.quoting import Filler, Refusal
from engine.inference.state import SessionState
from engine.kb.models import Entry, Step


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
    refused: dict[str, Refusal] = field(default_factory=dict)   # placeholder -> why not

    @property
    def notes(self) -> list[str]:
        """One line per captured value left out: '<mailbox> not filled: ...'."""
        return [refusal.note() for refusal in self.refused.values()]

    def as_dict(self) -> dict:
        return {"steps": [s.as_dict() for s in self.steps],
                "verify": {"text": self.verify,
                           "commands": [{"language": lang, "code": code}
                                        for lang, code in self.verify_commands],
                           "steps": [s.as_dict() for s in self.verify_steps]},
                "filled": self.filled,
                "refused": [r.as_dict() for r in self.refused.values()]}


def fix(compiled: CompiledKB, state: SessionState, entry_id: str) -> Fix:
    """The entry's fix with placeholders filled from what the session's evidence captured."""
    return render_fix(compiled.entries[entry_id], state.captures(entry_id),
                      compiled.kb.placeholder_kinds())


def render_fix(entry: Entry, values: dict[str, str], kinds: dict[str, str] | None = None) -> Fix:
    """The entry's steps and verification with placeholders filled from `values` (none: as
    the KB writes them), each value checked against its placeholder's kind (`kinds`: name ->
    kind; a placeholder without one is never filled)."""
    filler = Filler(values, kinds or {})

    def render(step: Step, number: int) -> RenderedStep:
        caution = filler.plain_text(step.caution) if step.caution else None
        return RenderedStep(number, filler.prose(_prose(step.text)),
                            [(c.language, filler.command(c.code, c.language))
                             for c in step.commands], caution)

    steps = [render(step, i) for i, step in enumerate(entry.actions, 1)]
    verify = filler.markdown(entry.verify.markdown.strip())
    commands = [(c.language, filler.command(c.code, c.language)) for c in entry.verify.commands]
    checks = [render(step, i) for i, step in enumerate(entry.verify_steps, 1)]
    return Fix(entry.id, steps, verify, commands, filler.filled, checks, filler.refused)


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
