"""Saving a transcript or a fix never overwrites a file without asking and never creates
folders (issue 13, item 7)."""

from textual.app import App
from tui_support import notices

from tui.screens.dialogs import ConfirmDialog, SaveDialog


class Host(App):
    def __init__(self, dialog):
        super().__init__()
        self.dialog = dialog
        self.result = "pending"

    def on_mount(self) -> None:
        self.push_screen(self.dialog, lambda value: setattr(self, "result", value))


async def test_an_existing_file_is_replaced_only_after_yes(tmp_path):
    target = tmp_path / "fix.md"
    target.write_text("the engineer's own notes", encoding="utf-8")
    app = Host(SaveDialog("Save the fix", target, "new text"))
    async with app.run_test() as pilot:
        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        assert isinstance(app.screen, SaveDialog)
        assert target.read_text(encoding="utf-8") == "the engineer's own notes"
        await pilot.press("enter")
        await pilot.press("y")
        await pilot.pause()
    assert target.read_text(encoding="utf-8") == "new text"
    assert app.result == target


async def test_a_dangling_link_is_asked_about_too(tmp_path):
    link = tmp_path / "fix.md"
    link.symlink_to(tmp_path / "elsewhere" / "victim.md")
    app = Host(SaveDialog("Save the fix", link, "new text"))
    async with app.run_test() as pilot:
        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
    assert not (tmp_path / "elsewhere").exists()


async def test_a_missing_folder_is_an_error_and_not_created(tmp_path):
    target = tmp_path / "no" / "such" / "folder" / "fix.md"
    app = Host(SaveDialog("Save the fix", target, "text"))
    async with app.run_test() as pilot:
        await pilot.press("enter")
        assert isinstance(app.screen, SaveDialog)
        assert any("does not exist" in n for n in notices(app))
    assert not (tmp_path / "no").exists()
