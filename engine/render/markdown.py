"""Blocks as markdown: the transcript, a saved fix, and what the app's markdown views show.
Commands are fenced code blocks, never wrapped; a caution is a quote above its commands."""

from __future__ import annotations

from engine.render.blocks import Block, Command, Heading, Meta, Prose, Step


def fence(code: str, language: str = "", indent: str = "") -> list[str]:
    ticks = "```"
    while ticks in code:
        ticks += "`"
    lines = [f"{ticks}{language}", *code.rstrip("\n").split("\n"), ticks]
    return [indent + line if line else "" for line in lines]


def to_markdown(blocks: list[Block]) -> str:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            out += ["#" * block.level + " " + block.text, ""]
        elif isinstance(block, Meta):
            out += ["  \n".join(block.lines), ""]
        elif isinstance(block, Prose):
            out += [block.markdown.strip("\n"), ""]
        elif isinstance(block, Command):
            out += fence(block.code, block.language) + [""]
        elif isinstance(block, Step):
            out += _step(block)
    return "\n".join(out).rstrip() + "\n"


def _step(step: Step) -> list[str]:
    indent = "   " if step.number is not None else ""
    text = step.text.strip().replace("\n", "\n" + indent)
    out = [f"{step.number}. {text}" if step.number is not None else text, ""]
    if step.caution:
        out += [f"{indent}> **Caution:** {step.caution}", ""]
    for command in step.commands:
        out += fence(command.code, command.language, indent) + [""]
    return out
