"""Home: start an interview, search the KB, resume a saved session, browse the entries."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from engine.sessions import StoreError

CHOICES = (
    ("new_interview", "n", "New interview", "a ticket, one question at a time, to the fix"),
    ("open_search", "s", "Search the knowledge base", "error codes, event ids, cmdlets, symptoms"),
    ("open_sessions", "r", "Resume a session", "the saved interviews"),
    ("browse", "b", "Browse entries", "every entry, by area"),
    ("quit", "q", "Quit", ""),
)


def plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


class HomeScreen(Screen):
    """Where the app starts."""

    SUB_TITLE = "Home"
    BINDINGS = [
        Binding("n", "app.new_interview", "New interview"),
        Binding("s", "app.open_search", "Search"),
        Binding("r", "app.open_sessions", "Resume"),
        Binding("b", "app.browse", "Browse"),
        Binding("q", "app.quit", "Quit", show=False),   # ctrl+q, shown, quits everywhere
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home"):
            yield Static("Exchange and Cisco integration troubleshooting", id="home-title")
            yield Static(self.kb_line(), id="home-kb")
            yield OptionList(*[self.option(*choice) for choice in CHOICES], id="home-menu")
            yield Static("", id="home-sessions")
        yield Footer()

    def kb_line(self) -> str:
        kb = self.app.kb
        diagnoses = sum(1 for e in kb.entries if e.kind == "diagnosis")
        return (f"Knowledge base: {plural(len(kb.entries), 'entry', 'entries')} "
                f"({plural(diagnoses, 'diagnosis', 'diagnoses')}, "
                f"{plural(len(kb.entries) - diagnoses, 'procedure')}), "
                f"{plural(len(kb.questions), 'question')}, "
                f"{plural(len(kb.signatures), 'evidence signature')}")

    @staticmethod
    def option(action: str, key: str, label: str, help_text: str) -> Option:
        return Option(Content.assemble((key, "bold"), f"  {label}",
                                       (f"  {help_text}" if help_text else "", "dim")), id=action)

    def on_screen_resume(self) -> None:
        self.query_one("#home-menu", OptionList).focus()
        try:
            count = len(self.app.store.get().sessions(limit=1000))
            text = (f"{count} saved session{'s' if count != 1 else ''}: r resumes one."
                    if count else "No saved sessions yet.")
        except StoreError as exc:
            text = f"The session store cannot be used: {exc}"
        self.query_one("#home-sessions", Static).update(Content(text))

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        await self.app.run_action(event.option.id)
