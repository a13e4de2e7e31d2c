"""`--kb DIR` is honoured by every command, before or after its name (issue 13, item 2)."""

import shutil
from pathlib import Path

import pytest
from support import run_triage

FIXTURES = Path(__file__).parent / "fixtures" / "lint"


@pytest.fixture
def broken(tmp_path):
    kb = tmp_path / "broken"
    shutil.copytree(FIXTURES / "base", kb)
    shutil.copytree(FIXTURES / "cases" / "unknown-references", kb, dirs_exist_ok=True)
    (kb / "expected.txt").unlink()
    return kb


@pytest.mark.parametrize("where", ["before", "after"])
def test_lint_checks_the_kb_given_with_kb(broken, where):
    args = ["--kb", str(broken), "lint"] if where == "before" else ["lint", "--kb", str(broken)]
    result = run_triage(*args)
    assert result.returncode == 1
    assert result.stdout.strip() and "Traceback" not in result.stderr


@pytest.mark.parametrize("command", [["list"], ["show", "x"], ["search", "x"],
                                     ["diagnose", "--text", "x"], ["lint"]])
def test_a_missing_kb_is_one_line_and_exit_2(command):
    result = run_triage("--kb", "/does/not/exist", *command)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "/does/not/exist" in result.stderr


@pytest.mark.parametrize("command", [["list"], ["search", "x"], ["lint"]])
def test_an_empty_kb_folder_is_one_line_and_exit_2(tmp_path, command):
    empty = tmp_path / "empty-kb"
    empty.mkdir()
    result = run_triage(*command, "--kb", str(empty))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip() == (f"triage: the knowledge base folder {empty} holds no "
                                      f"markdown files")
