"""Markdown drawn as one rich renderable: much quicker to show than Textual's `Markdown`
widget (one widget per block), which matters for long fixes and entries at every keystroke
of a search."""

from __future__ import annotations

from rich.markdown import Markdown
from textual.widgets import Static


class MarkdownView(Static):
    """A markdown document; put it in a scrolling container."""

    DEFAULT_CSS = """
    MarkdownView { height: auto; }
    """

    def __init__(self, text: str = "", **kwargs):
        super().__init__("", **kwargs)
        self.text = text

    def on_mount(self) -> None:
        self.show(self.text)
        self.watch(self.app, "theme", lambda _: self.show(self.text), init=False)

    def show(self, text: str) -> None:
        self.text = text
        dark = self.app.current_theme.dark if self.is_attached else True
        self.update(Markdown(text, code_theme="monokai" if dark else "default",
                             hyperlinks=False))
