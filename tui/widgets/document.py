"""A rendered entry or fix (engine.render blocks) on screen: prose as markdown, each caution in
a warning style above its commands, and each command on its own lines, never wrapped: a wide
command scrolls sideways, so what is selected and copied is the exact command."""

from __future__ import annotations

from rich.markdown import Markdown
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import HorizontalScroll, Vertical
from textual.widgets import Static

from engine.render import Block, Command, Heading, Meta, Prose, Step


class CommandView(HorizontalScroll):
    """One command: its lines as they are, scrolling sideways when wider than the screen."""

    DEFAULT_CSS = """
    CommandView { height: auto; background: $boost; margin: 0 0 1 2; scrollbar-size-horizontal: 1; }
    CommandView > Static { width: auto; color: $text; }
    """

    def __init__(self, command: Command, **kwargs):
        super().__init__(**kwargs)
        self.command = command

    def compose(self) -> ComposeResult:
        yield Static(Text(self.command.code, no_wrap=True, overflow="ignore"))


class CautionView(Static):
    DEFAULT_CSS = """
    CautionView { height: auto; color: $warning; border-left: thick $warning; padding: 0 1;
                  margin: 0 0 1 2; }
    """


class DocumentView(Vertical):
    """The blocks of an entry or a fix, top to bottom; put it in a scrolling container."""

    DEFAULT_CSS = """
    DocumentView { height: auto; }
    DocumentView > .prose { height: auto; }
    DocumentView > .heading { text-style: bold; margin-top: 1; }
    DocumentView > .title { text-style: bold underline; }
    DocumentView > .meta { color: $text-muted; }
    """

    def __init__(self, blocks: list[Block], **kwargs):
        super().__init__(**kwargs)
        self.blocks = blocks

    def compose(self) -> ComposeResult:
        for block in self.blocks:
            yield from _widgets(block)

    async def show(self, blocks: list[Block]) -> None:
        self.blocks = blocks
        await self.remove_children()
        await self.mount_all([w for block in blocks for w in _widgets(block)])


def _markdown(text: str) -> Static:
    return Static(Markdown(text, hyperlinks=False), classes="prose")


def _widgets(block: Block):
    if isinstance(block, Heading):
        yield Static(Text(block.text), classes="title" if block.level == 1 else "heading")
    elif isinstance(block, Meta):
        yield Static(Text("\n".join(block.lines)), classes="meta")
    elif isinstance(block, Prose):
        yield _markdown(block.markdown)
    elif isinstance(block, Command):
        yield CommandView(block)
    elif isinstance(block, Step):
        head = f"{block.number}. " if block.number is not None else ""
        yield _markdown(head + block.text)
        if block.caution:
            yield CautionView(Text(f"⚠ Caution: {block.caution}"))
        for command in block.commands:
            yield CommandView(command)
