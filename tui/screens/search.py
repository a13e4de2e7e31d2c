"""Search: results as you type, with a preview of the highlighted entry. With an empty query it
lists every entry by area (browsing). Each result says how well it matches and which words of
the query it lacks; a query that reads like a symptom is offered as the ticket of a new
interview (ctrl+n). Below 100 columns the preview goes under the list (app.tcss)."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from engine.render import Prose, entry_document
from engine.search import SearchResults
from tui.widgets.document import DocumentView
from tui.widgets.result_row import entry_row, hit_row


class SearchScreen(Screen):
    """Search the KB, or browse it."""

    SUB_TITLE = "Search"
    BINDINGS = [
        Binding("enter", "open", "Open entry", show=True),
        Binding("down", "results", "Results", show=False),
        Binding("ctrl+f", "query", "Edit query"),
        Binding("ctrl+n", "interview", "Interview",
                tooltip="Start an interview with the query as the ticket text"),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    class Found(Message):
        def __init__(self, results: SearchResults):
            super().__init__()
            self.results = results

    def __init__(self, query: str = "", browse: bool = False):
        super().__init__()
        self.initial = query
        self.browse = browse
        self.shown: str | None = None           # the entry in the preview
        self.results_for: str | None = None     # the query whose results are listed

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(self.initial, id="query", placeholder="Search: an error code, event id, "
                    "cmdlet or symptom (empty: every entry)")
        yield Static("", id="search-hint")
        with Horizontal(id="search-body"):
            yield OptionList(id="results")
            with VerticalScroll(id="preview"):
                yield DocumentView([], id="preview-entry")
        yield Footer()

    def on_mount(self) -> None:
        if self.browse:
            self.sub_title = "Browse"
        self.run_query(self.initial)
        if self.browse:
            self.query_one("#results", OptionList).focus()
        else:
            self.query_one("#query", Input).focus()

    # --- querying --------------------------------------------------------------------

    @on(Input.Changed, "#query")
    def query_changed(self, event: Input.Changed) -> None:
        self.run_query(event.value)

    def run_query(self, query: str) -> None:
        if not query.strip():
            self.show_all()
            return
        self.search(query)

    @work(thread=True, exclusive=True, group="search")
    def search(self, query: str) -> None:
        self.post_message(self.Found(self.app.search(query, limit=30)))

    def on_search_screen_found(self, message: Found) -> None:
        if message.results.query != self.query_one("#query", Input).value:
            return                                  # typed on since: a newer search follows
        found = message.results
        self.results_for = found.query
        self.query_one("#search-hint", Static).update(Content(self.hint(found)))
        self.fill([Option(hit_row(hit, found.unmatched), id=hit.id) for hit in found.results])

    @staticmethod
    def hint(found: SearchResults) -> str:
        """`3 results`, and what the reader should know about them."""
        count = len(found.results)
        parts = [f"{count} result{'s' if count != 1 else ''}"]
        if found.suggestion:
            parts[0] += f" for “{found.suggestion}” (did you mean?)"
        if found.unmatched:
            parts.append("matched nothing for " + " or ".join(f"“{w}”" for w in found.unmatched))
        if found.symptom:
            parts.append("reads like a symptom: ctrl+n starts an interview with it")
        return " · ".join(parts)

    def show_all(self) -> None:
        entries = sorted(self.app.kb.entries, key=lambda e: (e.area, e.title.lower()))
        self.results_for = ""
        self.query_one("#search-hint", Static).update(
            f"{len(entries)} entries by area; type to search")
        options = [Option(entry_row(e.id, e.title, e.area), id=e.id) for e in entries]
        self.fill(options)

    def fill(self, options: list[Option]) -> None:
        results = self.query_one("#results", OptionList)
        results.clear_options()
        results.add_options(options)
        if options:
            results.highlighted = 0
            self.preview(options[0].id)
        else:
            self.preview(None)

    # --- preview and opening ---------------------------------------------------------

    @on(OptionList.OptionHighlighted, "#results")
    def highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.preview(event.option.id)

    def preview(self, entry_id: str | None) -> None:
        if entry_id == self.shown:
            return
        self.shown = entry_id
        entry = self.app.kb.entry(entry_id) if entry_id else None
        # the title is in the list, beside or above: the preview starts with what it lacks
        blocks = entry_document(entry, self.app.kb)[1:] if entry else \
            [Prose("*No entry matches.*")]
        self.run_worker(self.query_one("#preview-entry", DocumentView).show(blocks),
                        group="preview", exclusive=True)
        self.query_one("#preview", VerticalScroll).scroll_home(animate=False)

    @on(OptionList.OptionSelected, "#results")
    def selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.app.open_entry(event.option.id)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        option = self.query_one("#results", OptionList).highlighted_option
        if option is None:
            self.notify("No entry to open: change the search.", severity="information")
            return
        self.app.open_entry(option.id)

    def action_results(self) -> None:
        self.query_one("#results", OptionList).focus()

    def action_query(self) -> None:
        self.query_one("#query", Input).focus()

    def action_interview(self) -> None:
        query = self.query_one("#query", Input).value.strip()
        self.app.start_interview(ticket=query)
