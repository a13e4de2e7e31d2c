"""The triage terminal app: a helpdesk interview from the first question to the exact fix.

    create_app(kb_dir="tests/fixtures/tui-kb", store_path=tmp / "s.sqlite3").run()

The app holds the engine objects (the loaded KB, its `CompiledKB`, the search index, the session
store) and the current `TicketSession`; screens read them and send every change through the
session (`engine.sessions.ticket`), which writes it to the store before the screen shows it. The app has no
inference of its own.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from textual.app import App
from textual.binding import Binding

from engine.inference import CompiledKB
from engine.kb import KnowledgeBase, kb_digest, load_clean
from engine.search import SearchError, SearchIndex, SearchResults
from engine.sessions import Saved, StoreError, StoreHandle, TicketSession
from tui.commands import KBCommands

PROBES_ENV = "TRIAGE_PROBES"      # "off": the app offers no live checks (triage serve)
THEMES = ("textual-dark", "textual-light")
RETRY_SECONDS = 3.0


class TriageApp(App):
    """triage: interview, evidence, result, search, entries and saved sessions."""

    CSS_PATH = "app.tcss"
    TITLE = "triage"
    # Screens narrower than 100 columns stack their panes (app.tcss: Screen.-narrow ...)
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    COMMANDS = App.COMMANDS | {KBCommands}
    BINDINGS = [
        Binding("f1", "toggle_keys", "Keys", tooltip="Show or hide every key of this screen"),
        Binding("ctrl+t", "toggle_dark", "Theme",
                tooltip="Switch between the dark and the light theme"),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(self, kb: KnowledgeBase, knowledge: CompiledKB, store: StoreHandle, *,
                 kb_hash: str = "", cache_dir: str | Path | None = None,
                 theme: str = "textual-dark", session_ids=None, owns_knowledge: bool = True,
                 allow_probes: bool = True):
        super().__init__()
        self.allow_probes = allow_probes        # off in `triage serve` unless --allow-probes
        self._owns_knowledge = owns_knowledge
        self.kb = kb
        self.knowledge = knowledge
        self.store = store
        self.kb_hash = kb_hash
        self.cache_dir = cache_dir
        self.session: TicketSession | None = None
        self._orphans: list[TicketSession] = []     # closed sessions with unsaved changes
        self._index: SearchIndex | None = None
        self._index_lock = threading.Lock()
        self._session_ids = session_ids         # tests: a callable giving fixed session ids
        self._initial_theme = theme if theme in THEMES else THEMES[0]

    # --- lifetime --------------------------------------------------------------------

    def on_mount(self) -> None:
        from tui.screens.home import HomeScreen

        self.theme = self._initial_theme
        self.push_screen(HomeScreen())
        self.set_interval(RETRY_SECONDS, self.retry_pending)

    def on_unmount(self) -> None:
        for session in [*self._orphans, *([self.session] if self.session else [])]:
            session.save()            # a last try (quitting asked first if it was needed)
            session.close()
        if self._index is not None:
            self._index.close()
        self.store.close()
        if self._owns_knowledge:
            self.knowledge.close()

    def _fatal_error(self) -> None:
        """A bug in triage: one line on the terminal and the traceback, redacted and without
        local variables, in the log folder. (Textual's own report prints every local variable,
        pasted passwords included.)"""
        import sys
        import traceback

        import platformdirs

        from engine.evidence.redact import redact

        error = self._exception or sys.exc_info()[1]
        details = ""
        try:
            folder = Path(platformdirs.user_log_dir("triage", appauthor=False))
            folder.mkdir(parents=True, exist_ok=True)
            log = folder / "crash.log"
            text = "".join(traceback.format_exception(error)) if error else "unknown error"
            with log.open("a", encoding="utf-8") as out:
                out.write(redact(text).text + "\n")
            details = f" (traceback in {log})"
        except OSError:
            pass
        message = redact(f"{type(error).__name__}: {error}").text if error else "unknown error"
        self.bell()
        self._exit_renderables.append(f"triage: internal error: {message}{details}")
        self._close_messages_no_wait()

    # --- actions ---------------------------------------------------------------------

    async def action_quit(self) -> None:
        """Quit; if the store has not taken everything yet, say so and ask first."""
        from tui.screens.dialogs import ConfirmDialog

        for screen in self.screen_stack:
            if hasattr(screen, "apply_ticket"):
                screen.apply_ticket()            # typed in the ticket box, not applied yet
        sessions = [*self._orphans, *([self.session] if self.session else [])]
        unsaved = [saved for saved in (s.save() for s in sessions) if not saved.ok]
        if not unsaved:
            self.exit()
            return
        count = sum(saved.pending for saved in unsaved)
        question = (f"{count} change{'s are' if count != 1 else ' is'} not saved: "
                    f"{unsaved[0].message}. Quitting loses {'them' if count != 1 else 'it'} "
                    "(x exports the transcript first). Quit anyway?")

        def answered(quit_anyway: bool | None) -> None:
            if quit_anyway:
                self.exit()

        self.push_screen(ConfirmDialog(question), answered)

    def action_toggle_keys(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def action_new_interview(self) -> None:
        self.start_interview()

    def action_open_search(self) -> None:
        from tui.screens.search import SearchScreen
        self.push_screen(SearchScreen())

    def action_browse(self) -> None:
        from tui.screens.search import SearchScreen
        self.push_screen(SearchScreen(browse=True))

    def action_open_sessions(self) -> None:
        from tui.screens.sessions import SessionsScreen
        self.push_screen(SessionsScreen())

    def action_add_evidence(self) -> None:
        if self.session is None:
            self.notify("Start or resume an interview first: evidence belongs to one.",
                        severity="warning")
            return
        from tui.screens.evidence import EvidenceScreen
        self.push_screen(EvidenceScreen(self.session))

    def action_export_transcript(self) -> None:
        if self.session is None:
            self.notify("Start or resume an interview first: there is no transcript yet.",
                        severity="warning")
            return
        self.export_transcript(self.session)

    # --- sessions --------------------------------------------------------------------

    def start_interview(self, ticket: str = "") -> None:
        """A new interview; `ticket` is its ticket text, if there is one already."""
        from tui.screens.interview import InterviewScreen

        self.close_session()
        session_id = self._session_ids() if self._session_ids else None
        session, saved = TicketSession.start(self.knowledge, self.store, kb_hash=self.kb_hash,
                                             session_id=session_id)
        self.session = session
        self.report_saved(saved)
        if ticket.strip():
            self.report_saved(session.set_text(ticket))
        self.to_home()
        self.push_screen(InterviewScreen(session))

    def resume(self, session_id: str) -> None:
        from tui.screens.interview import InterviewScreen

        try:
            session, notes = TicketSession.resume(self.knowledge, self.store, session_id,
                                                  kb_hash=self.kb_hash)
        except StoreError as exc:
            self.notify(f"Cannot resume: {exc}", severity="error", markup=False)
            return
        self.close_session()
        self.session = session
        for note in notes:
            self.notify(note[:1].upper() + note[1:], severity="warning", markup=False)
        self.to_home()
        self.push_screen(InterviewScreen(session, resumed=True))

    def to_home(self) -> None:
        """Close every screen above home (an interview replaces the one before it)."""
        while len(self.screen_stack) > 2:
            self.pop_screen()

    def close_session(self) -> None:
        if self.session is not None:
            saved = self.session.save()
            if not saved.ok:
                # the old session still has unsaved events: keep them in the retry loop
                self._orphans.append(self.session)
            else:
                self.session.close()
            self.session = None

    def report_saved(self, saved: Saved | None) -> None:
        """A notice when the store did not take a change (it stays queued)."""
        if saved is None or saved.ok:
            return
        self.notify(f"Not saved yet ({saved.pending} change{'s' if saved.pending != 1 else ''} "
                    f"kept in memory, retrying): {saved.message}", title="Session store",
                    severity="warning", timeout=8, markup=False)

    def retry_pending(self) -> None:
        """Every few seconds: write what the store did not take before."""
        for session in list(self._orphans):
            if session.save().ok:
                self._orphans.remove(session)
                session.close()
        session = self.session
        if session is None or not session.pending:
            return
        count = session.pending
        if session.save().ok:
            self.notify(f"Saved the {count} change{'s' if count != 1 else ''} that were waiting.",
                        title="Session store")
            self.refresh_bindings()
            for screen in self.screen_stack:
                if hasattr(screen, "show_saved"):
                    screen.show_saved()

    def export_transcript(self, session: TicketSession) -> None:
        from tui.screens.dialogs import SaveDialog

        text = session.transcript()
        default = Path(f"triage-{session.id}.md")        # in the current folder
        self.push_screen(SaveDialog("Export the transcript (markdown, secrets masked)",
                                    default, text))

    # --- search ----------------------------------------------------------------------

    def search_index(self) -> SearchIndex | None:
        """The KB's search index, opened on first use (from any thread)."""
        with self._index_lock:
            if self._index is None:
                try:
                    self._index = SearchIndex.open(self.kb, cache_dir=self.cache_dir)
                except SearchError as exc:
                    self.call_later(self.notify, f"Search is unavailable: {exc}",
                                    severity="error", markup=False)
                    return None
            return self._index

    def search(self, query: str, limit: int = 20) -> SearchResults:
        """Search the KB (safe from a worker thread: one connection per thread)."""
        index = self.search_index()
        if index is None:
            return SearchResults(query=query)
        try:
            return index.search(query, limit=limit)
        except SearchError:
            return SearchResults(query=query)

    def open_entry(self, entry_id: str) -> None:
        from tui.screens.entry import EntryScreen
        if self.kb.entry(entry_id) is None:
            self.notify(f"No entry with id '{entry_id}'.", severity="warning", markup=False)
            return
        self.push_screen(EntryScreen(entry_id))


def create_app(kb_dir: str | Path | None = None, store_path: str | Path | None = None, *,
               cache_dir: str | Path | None = None, theme: str = "textual-dark",
               store_timeout: float = 1.5, session_ids=None,
               knowledge: CompiledKB | None = None,
               allow_probes: bool | None = None) -> TriageApp:
    """The app on a KB folder (default: --kb / $TRIAGE_KB / the bundled KB) and a session store
    (default: the user data directory). KBError if the KB cannot be used.

    Tests pass `knowledge` (built once from `kb_dir` and shared by many apps, which then leave
    it open) and `session_ids` (a callable giving ids that do not depend on the clock)."""
    owned = knowledge is None
    if knowledge is None:
        knowledge = CompiledKB(load_clean(kb_dir))
    kb = knowledge.kb
    store = StoreHandle(store_path, timeout=store_timeout)
    if allow_probes is None:        # `triage serve` turns them off unless --allow-probes
        allow_probes = os.environ.get(PROBES_ENV, "on") != "off"
    return TriageApp(kb, knowledge, store, kb_hash=kb_digest(kb)[:16], cache_dir=cache_dir,
                     theme=theme, session_ids=session_ids, owns_knowledge=owned,
                     allow_probes=allow_probes)
