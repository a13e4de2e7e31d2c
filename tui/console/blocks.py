"""Rendered blocks (engine.render) in a terminal: prose wrapped to the width, a caution in a
warning style above its commands, and every command printed whole on its own lines, with no
border, padding or wrapping, so that copying it from the terminal gives the exact command."""

from __future__ import annotations

from rich.console import Console
from rich.markdown import Markdown
from rich.text import Text

from engine.render import Block, Command, Heading, Meta, Prose, Step
from tui.console.safe import inert

CAUTION_STYLE = "bold yellow"
COMMAND_STYLE = "cyan"


def print_blocks(blocks: list[Block], console: Console) -> None:
    for block in blocks:
        if isinstance(block, Heading):
            console.print()
            style = "bold underline" if block.level == 1 else "bold"
            console.print(Text(inert(block.text), style=style))
        elif isinstance(block, Meta):
            for line in block.lines:
                console.print(Text(inert(line), style="dim"))
        elif isinstance(block, Prose):
            console.print(_markdown(block.markdown))
        elif isinstance(block, Command):
            print_command(block, console)
        elif isinstance(block, Step):
            _step(block, console)


def _markdown(text: str) -> Markdown:
    return Markdown(inert(text), hyperlinks=False)


def _step(step: Step, console: Console) -> None:
    head = f"{step.number}. " if step.number is not None else ""
    console.print(_markdown(head + step.text) if step.text else Text(head))
    if step.caution:
        console.print(Text(f"⚠ Caution: {inert(step.caution)}", style=CAUTION_STYLE))
    for command in step.commands:
        print_command(command, console)


def print_command(command: Command, console: Console) -> None:
    """Each line of the command as it is: never wrapped by us (the terminal may fold a long
    line on screen, but copying it gives the one line)."""
    console.print()
    for line in command.code.split("\n"):
        console.print(Text(inert(line), style=COMMAND_STYLE, no_wrap=True, overflow="ignore"),
                      soft_wrap=True, crop=False)
    console.print()
