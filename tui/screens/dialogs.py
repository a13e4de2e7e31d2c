"""Small modal dialogs: save text to a file, confirm, pick an earlier answer to change."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tui.widgets.inline import inline_code


def write_text(path: Path, text: str, replace: bool = False) -> str | None:
    """Write `text` to `path`; the error as one line, or None. The folder must exist (none is
    created), and an existing file (or a link, even a dangling one) is replaced only when
    `replace` says so."""
    if not path.parent.is_dir():
        return f"the folder {path.parent} does not exist: create it first, or save elsewhere"
    try:
        with open(path, "w" if replace else "x", encoding="utf-8") as out:
            out.write(text)
    except FileExistsError:
        return f"{path} already exists"
    except OSError as exc:
        return f"cannot write {path}: {exc.strerror or exc}"
    return None


class SaveDialog(ModalScreen[Path | None]):
    """Where to save some text (a transcript, a fix); the default is in the current folder.
    An error keeps the dialog open so another place can be typed."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, default: Path, text: str):
        super().__init__()
        self.title_text = title
        self.default = default
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Content(self.title_text), classes="dialog-title")
            yield Label("Save to (Enter saves, Esc cancels):")
            yield Input(str(self.default), id="save-path")
            yield Static("", id="save-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.save()
        else:
            self.dismiss(None)

    def save(self, replace: bool = False) -> None:
        typed = self.query_one("#save-path", Input).value.strip()
        if not typed:
            self.query_one("#save-error", Static).update("Type a file name.")
            return
        path = Path(typed).expanduser()
        if path.is_dir():
            path = path / self.default.name
        if not replace and (path.exists() or path.is_symlink()):
            def answered(yes: bool | None) -> None:
                if yes:
                    self.save(replace=True)
            self.app.push_screen(ConfirmDialog(f"{path} already exists. Replace it?"), answered)
            return
        error = write_text(path, self.text, replace=replace)
        if error:
            self.query_one("#save-error", Static).update(Content(error))
            self.app.notify(error, severity="error", markup=False)
            return
        self.app.notify(f"Saved to {path.resolve()}", title="Saved", markup=False)
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question."""

    BINDINGS = [Binding("y", "answer(True)", "Yes"), Binding("n,escape", "answer(False)", "No")]

    def __init__(self, question: str):
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Content(self.question), classes="dialog-title")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Yes (y)", variant="error", id="yes")
                yield Button("No (n)", id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


class AnswersDialog(ModalScreen[tuple[str, str] | None]):
    """The answers given so far: pick one to change (Enter) or take back (r)."""

    BINDINGS = [
        Binding("enter", "pick('change')", "Change", show=True),
        Binding("r", "pick('retract')", "Take back"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, answers: list[tuple[str, str, str]]):
        """`answers`: (question id, question text, answer label), in the order asked."""
        super().__init__()
        self.answers = answers

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog dialog--wide"):
            yield Label("Change an earlier answer (Enter), take it back (r), Esc to close",
                        classes="dialog-title")
            yield OptionList(*[Option(Content.assemble(inline_code(text), "\n",
                                                       ("→ ", "dim"), (label, "bold")), id=qid)
                               for qid, text, label in self.answers], id="answers")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(("change", event.option.id))

    def action_pick(self, what: str) -> None:
        option = self.query_one("#answers", OptionList).highlighted_option
        if option is not None:
            self.dismiss((what, option.id))

    def action_cancel(self) -> None:
        self.dismiss(None)
