"""A rendered entry or fix as a list of blocks, the one form every output is made from.

`triage show`, `triage diagnose`, the app's entry and result screens, the saved fix and the
transcript all render the same blocks in the same order (`engine.render.documents` makes them);
each output only decides how a block looks. A `Command` is never wrapped or cut by any of them:
copied from a terminal, a screen or a file, it pastes as the exact command.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.kb.markdown import parse


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2


@dataclass(frozen=True)
class Meta:
    """Short facts about the entry, one per line ("products: ...", "source: ...")."""

    lines: tuple[str, ...]


@dataclass(frozen=True)
class Prose:
    """Markdown text without code blocks: wrapped freely."""

    markdown: str


@dataclass(frozen=True)
class Command:
    code: str
    language: str = ""


@dataclass(frozen=True)
class Step:
    """One numbered step: its text, the caution to read before running it, its commands."""

    number: int | None
    text: str
    caution: str | None = None
    commands: tuple[Command, ...] = ()


Block = Heading | Meta | Prose | Command | Step


def markdown_blocks(markdown: str) -> list[Block]:
    """Free markdown (a cause, a note) as prose and the commands fenced in it, in order; a list
    item holding a command becomes its prose, then its command."""
    text = markdown.strip("\n")
    if not text.strip():
        return []
    lines = text.split("\n")
    out: list[Block] = []
    prose: list[str] = []

    def flush() -> None:
        if "".join(prose).strip():
            out.append(Prose("\n".join(prose).strip("\n")))
        prose.clear()

    position = 0
    for node in parse(text).children:
        if node.map is None:
            continue
        prose.extend(lines[position:node.map[0]])
        position = node.map[1]
        fences = _fences(node)
        if not fences:
            prose.extend(lines[node.map[0]:node.map[1]])
            continue
        at = node.map[0]
        for fence in fences:
            prose.extend(lines[at:fence.map[0]])
            flush()
            out.append(_command(fence))
            at = fence.map[1]
        prose.extend(lines[at:node.map[1]])
    prose.extend(lines[position:])
    flush()
    return out


def _fences(node) -> list:
    found = []
    for child in node.children:
        if child.type in ("fence", "code_block") and child.map is not None:
            found.append(child)
        else:
            found.extend(_fences(child))
    if node.type in ("fence", "code_block") and node.map is not None:
        found.insert(0, node)
    return found


def _command(node) -> Command:
    language = (node.info or "").strip().split(" ")[0].lower() if node.type == "fence" else ""
    return Command(node.content.rstrip("\n"), language)


def commands(blocks: list[Block]) -> list[Command]:
    """Every command of a document, in order (what a copy key offers)."""
    out: list[Command] = []
    for block in blocks:
        if isinstance(block, Command):
            out.append(block)
        elif isinstance(block, Step):
            out.extend(block.commands)
    return out
