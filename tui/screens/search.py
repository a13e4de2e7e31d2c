"""Search: results as you type, with a preview of the highlighted entry. With an empty query it
lists every entry by area (browsing)."""

from __future__ import annotations

from rich.text import Text
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

SNIPPET_CHARS = 90          # about two lines of the result list at 80 columns


class SearchScreen(Screen):
    """Search the KB, or browse it."""

    SUB_TITLE = "Search"
    BINDINGS = [
        Binding("enter", "open", "Open entry", show=True),
        Binding("down", "results", "Results", show=False),
        Binding("ctrl+f", "query", "Edit query"),
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
        results = message.results.results
        self.results_for = message.results.query
        hint = f"{len(results)} result{'s' if len(results) != 1 else ''}"
        if message.results.suggestion:
            hint += f" for “{message.results.suggestion}” (did you mean?)"
        self.query_one("#search-hint", Static).update(Content(hint))
        options = []
        for hit in results:
            clipped = hit.snippet if len(hit.snippet) <= SNIPPET_CHARS else \
                hit.snippet[:SNIPPET_CHARS - 1] + "…"
            snippet = Text(clipped, style="dim")
            for start, end in hit.highlights:
                snippet.stylize("bold reverse", start, min(end, SNIPPET_CHARS))
            prompt = Text.assemble((hit.title, "bold"), "\n", (hit.id, "cyan"), "\n", snippet)
            options.append(Option(prompt, id=hit.id))
        self.fill(options)

    def show_all(self) -> None:
        entries = sorted(self.app.kb.entries, key=lambda e: (e.area, e.title.lower()))
        self.results_for = ""
        self.query_one("#search-hint", Static).update(
            f"{len(entries)} entries by area; type to search")
        options = [Option(Text.assemble((e.title, "bold"), "\n", (f"{e.area} · {e.id}", "cyan")),
                          id=e.id) for e in entries]
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
        blocks = entry_document(entry, self.app.kb) if entry else [Prose("*No entry matches.*")]
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
