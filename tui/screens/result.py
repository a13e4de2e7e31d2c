"""The result: diagnosis, cause, fix steps with the commands filled from the evidence, how to
verify, the source, and HOW it was concluded. Commands can be copied (OSC 52, which not every
terminal honours) and the fix saved to a file. "This did not fix it" rules the candidate out
and the interview goes on with the next one.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from engine.render import Step, fix_document
from engine.sessions import TicketSession
from engine.sessions.transcript import fix_markdown, how_markdown
from tui.widgets.document import DocumentView
from tui.widgets.markdown_view import MarkdownView

VERDICT = {"confident": "Confident diagnosis",
           "ambiguous": "Not certain yet: the leading candidate",
           "no-match": "No confident match: the nearest entry"}


class ResultScreen(Screen):
    """One candidate's fix, for the current interview."""

    SUB_TITLE = "Result"
    BINDINGS = [
        Binding("c", "copy", "Copy command"),
        Binding("s", "save", "Save fix"),
        Binding("n", "not_fixed", "Didn't fix it"),
        Binding("d", "fixed", "Fixed"),
        Binding("x", "export", "Export"),
        Binding("e", "evidence", "Evidence"),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self, session: TicketSession, entry_id: str):
        super().__init__()
        self.session = session
        self.entry_id = entry_id
        self.commands: list[tuple[str, str | None]] = []   # (code, caution of its step)
        self.armed: int | None = None          # a risky command waiting for its second key

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="result-verdict")
        with VerticalScroll(id="result-body"):
            yield DocumentView([], id="result-fix")
            yield MarkdownView("", id="result-how")
        yield OptionList(id="commands")
        yield Footer()

    def on_mount(self) -> None:
        interview = self.session.interview
        differential = interview.differential()
        candidate = next((c for c in differential.candidates if c.id == self.entry_id), None)
        confidence = f"{candidate.confidence * 100:.0f}%" if candidate else "ruled out"
        verdict = f"{VERDICT[differential.verdict]} · {confidence} · {self.entry_id}"
        still = interview.open_conditions(self.entry_id) if candidate is not None else []
        if still and differential.verdict != "confident":
            verdict += "\nNot yet known: " + "; ".join(still)
        self.query_one("#result-verdict", Static).update(Content(verdict))
        entry = interview.compiled.entries[self.entry_id]
        blocks = fix_document(entry, interview.fix(self.entry_id), self.app.kb)
        self.query_one("#result-fix", DocumentView).blocks = blocks
        self.run_worker(self.query_one("#result-fix", DocumentView).show(blocks))
        how = self.query_one("#result-how", MarkdownView)
        how.display = candidate is not None
        if candidate is not None:
            how.show(how_markdown(interview, self.entry_id))
        self.commands = [(command.code, step.caution) for step in blocks
                         if isinstance(step, Step) for command in step.commands]
        options = self.query_one("#commands", OptionList)
        options.add_options([Option(Content.assemble(
                                 (str(n), "bold"), ("  ⚠", "bold $warning") if caution else "",
                                 f" {code.strip().splitlines()[0]}"
                                 + (" …" if "\n" in code.strip() else "")), id=str(n - 1))
                             for n, (code, caution) in enumerate(self.commands, 1)])
        options.border_title = "Commands · c copies the highlighted one"
        options.display = bool(self.commands)
        if self.commands:
            options.highlighted = 0
            options.focus()
        self.app.report_saved(self.session.record_result(self.entry_id))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.copy(int(event.option.id))

    def action_copy(self) -> None:
        options = self.query_one("#commands", OptionList)
        if not self.commands or options.highlighted is None:
            self.notify("This fix has no command to copy.", severity="information")
            return
        self.copy(options.highlighted)

    def copy(self, index: int) -> None:
        code, caution = self.commands[index]
        if caution and self.armed != index:
            self.armed = index
            self.notify(f"{caution}\nPress c again to copy it.", severity="warning",
                        title=f"Command {index + 1} needs care", markup=False, timeout=10)
            return
        self.armed = None
        self.app.copy_to_clipboard(code)
        self.notify("Sent to the clipboard (OSC 52). If your terminal ignores it, press s to "
                    "save the fix to a file.", title=f"Command {index + 1} copied")

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.armed = None                       # moving to another command disarms the copy

    def action_save(self) -> None:
        from tui.screens.dialogs import SaveDialog

        text = fix_markdown(self.session.interview, self.entry_id)
        default = Path(f"triage-fix-{self.entry_id}.md")
        self.app.push_screen(SaveDialog("Save the fix (markdown)", default, text))

    def action_not_fixed(self) -> None:
        self.app.report_saved(self.session.rule_out(self.entry_id))
        self.notify(f"{self.entry_id} ruled out; on to the next candidate.", title="Ruled out",
                    markup=False)
        self.app.pop_screen()

    def action_fixed(self) -> None:
        self.app.report_saved(self.session.set_status("resolved"))
        self.notify("Session marked as resolved. x exports the transcript for the ticket.",
                    title="Fixed")

    def action_export(self) -> None:
        self.app.export_transcript(self.session)

    def action_evidence(self) -> None:
        from tui.screens.evidence import EvidenceScreen
        self.app.push_screen(EvidenceScreen(self.session))
