"""Saved sessions, newest first: resume one, export its transcript, or delete it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from engine.kb.controls import escape_controls
from engine.sessions import SessionSummary, StoreError, TicketSession
from tui.screens.dialogs import ConfirmDialog

LIMIT = 200


def when(stamp: str) -> str:
    """`2024-05-02T09:12:44.061Z` as `2024-05-02 09:12` (UTC)."""
    return stamp[:16].replace("T", " ")


class SessionsScreen(Screen):
    """The session store's list."""

    SUB_TITLE = "Sessions"
    BINDINGS = [
        Binding("enter", "resume", "Resume", show=True),
        Binding("x", "export", "Export"),
        Binding("d", "delete", "Delete"),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self):
        super().__init__()
        self.rows: list[SessionSummary] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
        yield Static("", id="session-detail")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#sessions", DataTable)
        table.add_columns("updated (UTC)", "status", "events", "ticket")
        self.load()
        table.focus()

    def on_screen_resume(self) -> None:
        self.load()

    def load(self) -> None:
        table = self.query_one("#sessions", DataTable)
        table.clear()
        try:
            self.rows = self.app.store.get().sessions(limit=LIMIT)
        except StoreError as exc:
            self.rows = []
            self.query_one("#session-detail", Static).update(
                Content(f"The session store cannot be read: {exc}"))
            return
        for row in self.rows:
            cells = (when(row.updated), row.status, str(row.events),
                     row.title or row.preview or "(no ticket text)")
            table.add_row(*[Text(escape_controls(cell)) for cell in cells],   # text, not markup
                          key=row.id)
        detail = self.query_one("#session-detail", Static)
        if not self.rows:
            detail.update("No saved sessions yet: n on the home screen starts one.")
        else:
            self.show_detail(0)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_detail(event.cursor_row)

    def show_detail(self, index: int) -> None:
        if 0 <= index < len(self.rows):
            row = self.rows[index]
            self.query_one("#session-detail", Static).update(Content(escape_controls(
                f"{row.id} · started {when(row.created)}\n{row.preview or '(no ticket text)'}")))

    def selected(self) -> SessionSummary | None:
        table = self.query_one("#sessions", DataTable)
        if not self.rows or table.cursor_row is None or table.cursor_row >= len(self.rows):
            self.notify("No session selected.", severity="information")
            return None
        return self.rows[table.cursor_row]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_resume()

    def action_resume(self) -> None:
        row = self.selected()
        if row is not None:
            self.app.resume(row.id)

    def action_export(self) -> None:
        row = self.selected()
        if row is None:
            return
        try:
            session, _ = TicketSession.resume(self.app.knowledge, self.app.store, row.id)
        except StoreError as exc:
            self.notify(f"Cannot read the session: {exc}", severity="error", markup=False)
            return
        try:
            self.app.export_transcript(session)
        finally:
            session.close()

    def action_delete(self) -> None:
        row = self.selected()
        if row is None:
            return

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.app.store.get().delete(row.id)
            except StoreError as exc:
                self.notify(f"Not deleted: {exc}", severity="error", markup=False)
                return
            if self.app.session is not None and self.app.session.id == row.id:
                self.app.close_session()
            self.load()

        title = escape_controls(row.title or row.preview or row.id)
        self.app.push_screen(ConfirmDialog(f"Delete the session “{title}” and its events?"),
                             confirmed)
