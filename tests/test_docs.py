"""Docs stay current with the code: every command has help and is described in the docs."""

import pytest
from support import ROOT, run_triage

COMMANDS = ["lint", "list", "show", "batch"]
DOCS = (ROOT / "README.md").read_text() + (ROOT / "docs" / "user-guide.md").read_text()


@pytest.mark.parametrize("command", COMMANDS)
def test_command_has_help_and_is_documented(command):
    result = run_triage(command, "--help")
    assert result.returncode == 0
    assert "--kb" in result.stdout
    assert f"triage {command}" in DOCS


def test_readme_starts_with_the_two_commands():
    lines = (ROOT / "README.md").read_text().splitlines()
    block = lines[lines.index("```sh") + 1: lines.index("```sh") + 3]
    assert block[0].startswith("python3.11 -m venv .venv") and "pip install" in block[0]
    assert block[1] == ".venv/bin/python -m pytest"


def test_docs_exist():
    for name in ("user-guide.md", "authoring.md", "architecture.md"):
        assert (ROOT / "docs" / name).stat().st_size > 500
