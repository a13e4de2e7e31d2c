"""One KB entry rendered as markdown, with its related entries to open next."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList
from textual.widgets.option_list import Option

from engine.render import entry_document
from tui.widgets.document import DocumentView
from tui.widgets.result_row import entry_row


class EntryScreen(Screen):
    """An entry, and its related entries."""

    SUB_TITLE = "Entry"
    BINDINGS = [
        Binding("r", "related", "Related"),
        Binding("j", "scroll(1)", "Down", show=False),
        Binding("k", "scroll(-1)", "Up", show=False),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self, entry_id: str):
        super().__init__()
        self.entry_id = entry_id

    def compose(self) -> ComposeResult:
        entry = self.app.kb.entry(self.entry_id)
        yield Header()
        with VerticalScroll(id="entry-body"):
            yield DocumentView(entry_document(entry, self.app.kb), id="entry")
        related = [self.app.kb.entry(r) for r in entry.related]
        options = [Option(entry_row(e.id, e.title, e.area), id=e.id) for e in related if e]
        related_list = OptionList(*options, id="related")
        related_list.border_title = "Related entries · Enter opens"
        related_list.display = bool(options)
        yield related_list
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.entry_id
        self.query_one("#entry-body", VerticalScroll).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.app.open_entry(event.option.id)

    def action_related(self) -> None:
        related = self.query_one("#related", OptionList)
        if related.display:
            related.focus()
        else:
            self.notify("This entry lists no related entries.", severity="information")

    def action_scroll(self, lines: int) -> None:
        self.query_one("#entry-body", VerticalScroll).scroll_relative(y=lines, animate=False)
