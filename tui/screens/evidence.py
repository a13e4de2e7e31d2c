"""Evidence: paste what the caller sent, or open a log file; see the facts found with their
file:line and which questions they answer (those are no longer asked).

Scanning runs in a thread worker with a progress bar (Esc cancels it); the report comes back
as a message and is applied to the session on the UI thread, so the interview is only ever
used from one thread.
"""

from __future__ import annotations

import time
from pathlib import Path

from rich.console import Group
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label, ProgressBar, Static, TextArea
from textual.worker import Worker, get_current_worker

from engine.evidence import EvidenceError, EvidenceReport
from engine.sessions.ticket import EvidenceRecord, TicketSession

PROGRESS_EVERY = 0.05          # seconds between progress messages


class EvidenceScreen(Screen):
    """Add evidence to the current interview."""

    SUB_TITLE = "Evidence"
    BINDINGS = [
        Binding("ctrl+s", "add_paste", "Add paste"),
        Binding("ctrl+o", "open_file", "Open file"),
        Binding("escape", "leave", "Back / cancel scan"),
    ]

    class Progress(Message):
        def __init__(self, done: int, total: int):
            super().__init__()
            self.done, self.total = done, total

    class Scanned(Message):
        def __init__(self, report: EvidenceReport, kind: str, path: str):
            super().__init__()
            self.report, self.kind, self.path = report, kind, path

    class Failed(Message):
        def __init__(self, text: str, cancelled: bool = False):
            super().__init__()
            self.text, self.cancelled = text, cancelled

    def __init__(self, session: TicketSession, paste: str | None = None):
        super().__init__()
        self.session = session
        self.paste = paste
        self.worker: Worker | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Paste what the caller sent below and press [b]ctrl+s[/b], or type a file's "
                     "path and press [b]Enter[/b].", id="evidence-help")
        yield TextArea(id="paste", soft_wrap=True, placeholder="Paste an error message, a log "
                       "excerpt or cmdlet output here")
        with Horizontal(id="file-row"):
            yield Label("File", id="file-label")
            yield Input(id="path", compact=True, placeholder="path to a log or export, e.g. "
                        "C:\\Logs\\IMAP4BE20240502-1.LOG")
        with Horizontal(id="scan-row"):
            yield ProgressBar(id="progress", show_eta=False)
            yield Label(" scanning… Esc cancels", id="scan-label")
        with VerticalScroll(id="found"):
            yield Static("", id="evidence-list")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#scan-row").display = False
        self.show_records()
        area = self.query_one("#paste", TextArea)
        area.focus()
        if self.paste is not None:
            area.text = self.paste
            self.action_add_paste()

    # --- starting a scan -------------------------------------------------------------

    def action_add_paste(self) -> None:
        text = self.query_one("#paste", TextArea).text
        if not text.strip():
            self.notify("The paste box is empty: paste the caller's text first.",
                        severity="warning")
            return
        self.start(text, "paste")

    def action_open_file(self) -> None:
        self.query_one("#path", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        typed = event.value.strip().strip('"').strip("'")
        if not typed:
            self.notify("Type the path of a file to scan.", severity="warning")
            return
        self.start(str(Path(typed).expanduser()), "file")

    def start(self, source: str, kind: str) -> None:
        if self.scanning:
            self.notify("A scan is running: wait for it, or press Esc to cancel it.",
                        severity="warning")
            return
        bar = self.query_one("#progress", ProgressBar)
        bar.update(total=None, progress=0)
        self.query_one("#scan-row").display = True
        self.worker = self.scan(source, kind)

    @property
    def scanning(self) -> bool:
        return self.worker is not None and self.worker.is_running

    @work(thread=True, exclusive=True, group="scan")
    def scan(self, source: str, kind: str) -> None:
        """Scan in a worker thread; report back with a message (post_message is thread-safe)."""
        worker = get_current_worker()
        scanner = self.session.knowledge.scanner
        last = 0.0

        def progress(done: int, total: int) -> None:
            nonlocal last
            now = time.monotonic()
            if now - last >= PROGRESS_EVERY or done >= total:
                last = now
                self.post_message(self.Progress(done, total))

        try:
            if kind == "file":
                report = scanner.scan_file(source, progress=progress,
                                           cancelled=lambda: worker.is_cancelled)
            else:
                report = scanner.scan_text(source, "pasted text")
        except EvidenceError as exc:
            self.post_message(self.Failed(str(exc)))
            return
        except Exception as exc:   # a scanner bug must not take the app (and the call) down
            self.post_message(self.Failed(f"cannot scan {source if kind == 'file' else 'the paste'}"
                                          f": {type(exc).__name__}: {exc}"))
            return
        if worker.is_cancelled or "scan cancelled" in report.notes:
            self.post_message(self.Failed("Scan cancelled: nothing was added.", cancelled=True))
            return
        self.post_message(self.Scanned(report, kind, source if kind == "file" else ""))

    # --- results (UI thread) ---------------------------------------------------------

    def on_evidence_screen_progress(self, message: Progress) -> None:
        self.query_one("#progress", ProgressBar).update(total=max(message.total, 1),
                                                        progress=message.done)

    def on_evidence_screen_failed(self, message: Failed) -> None:
        self.query_one("#scan-row").display = False
        self.notify(message.text, severity="information" if message.cancelled else "error",
                    markup=False)

    def on_evidence_screen_scanned(self, message: Scanned) -> None:
        self.query_one("#scan-row").display = False
        report = message.report
        name = report.source
        if report.skipped:
            self.notify(f"{name}: {report.skipped}; nothing was added.", severity="warning",
                        markup=False)
            return
        record, saved = self.session.add_evidence(report, message.kind, message.path)
        self.app.report_saved(saved)
        facts = len(record.facts)
        masked = f"; {record.masked} secret{'s' if record.masked != 1 else ''} masked" \
            if record.masked else ""
        self.notify(f"{record.name}: {record.lines} line{'s' if record.lines != 1 else ''}, "
                    f"{facts} fact{'s' if facts != 1 else ''} found{masked}.",
                    title="Evidence added", markup=False)
        if message.kind == "paste":
            self.query_one("#paste", TextArea).text = ""
        self.show_records()

    def show_records(self) -> None:
        records = self.session.evidence
        target = self.query_one("#evidence-list", Static)
        if not records:
            target.update(Text("No evidence yet.", style="italic"))
            return
        target.update(Group(*[row for record in records for row in self.describe(record)]))

    def describe(self, record: EvidenceRecord) -> list[Text]:
        about = f"{record.kind}"
        if record.encoding and record.encoding != "text":
            about += f", {record.encoding}"
        about += f", {record.lines} line{'s' if record.lines != 1 else ''}"
        rows = [Text.assemble((record.name, "bold"), f"  ({about}, {len(record.facts)} facts)")]
        k = self.session.knowledge
        for name, value, line_no in record.facts:
            asked = [q.text.strip() for q in k.questions_by_fact.get(name, ())]
            answers = f"  answers: {asked[0]}" if asked else ""
            rows.append(Text(f"  {record.name}:{line_no}  {name} = {value}{answers}",
                             no_wrap=True, overflow="ellipsis"))
        if not record.facts:
            rows.append(Text("  no line matched a known signature", style="dim"))
        return rows

    # --- leaving ---------------------------------------------------------------------

    def action_leave(self) -> None:
        if self.scanning:
            self.worker.cancel()
            return
        self.app.pop_screen()
