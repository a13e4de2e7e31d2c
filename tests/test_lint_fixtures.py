"""`triage lint` on fixture KBs: one broken KB per problem class, exact diagnostics expected.

Each case in fixtures/lint/cases/ is laid over the valid mini KB in fixtures/lint/base/; its
expected.txt holds the exact lines `triage lint .` must print (run from the KB folder).
"""

import shutil
from pathlib import Path

import pytest
from support import run_triage

FIXTURES = Path(__file__).parent / "fixtures" / "lint"
CASES = sorted(p.name for p in (FIXTURES / "cases").iterdir() if p.is_dir())


def build(tmp_path: Path, case: str | None) -> Path:
    kb = tmp_path / "kb"
    shutil.copytree(FIXTURES / "base", kb)
    if case:
        shutil.copytree(FIXTURES / "cases" / case, kb, dirs_exist_ok=True)
        (kb / "expected.txt").unlink()
    return kb


def test_base_kb_is_clean(tmp_path):
    kb = build(tmp_path, None)
    result = run_triage("lint", ".", cwd=kb)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


@pytest.mark.parametrize("case", CASES)
def test_lint_reports_exact_diagnostics(tmp_path, case):
    kb = build(tmp_path, case)
    expected = (FIXTURES / "cases" / case / "expected.txt").read_text(encoding="utf-8")
    result = run_triage("lint", ".", cwd=kb)
    assert result.stdout == expected
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stdout.splitlines() if line]
    assert len(lines) >= 1
    summary = result.stderr.strip().splitlines()[-1]
    assert summary.startswith(f"{len(lines)} problem")


def test_other_commands_refuse_a_broken_kb(tmp_path):
    kb = build(tmp_path, "broken-yaml")
    for args in (["list"], ["show", "demo-problem"]):
        result = run_triage(*args, "--kb", str(kb))
        assert result.returncode == 2
        assert result.stdout == ""
        assert result.stderr.count("\n") == 1
        assert "1 error" in result.stderr and "triage lint" in result.stderr


def test_lint_of_missing_folder_is_one_line(tmp_path):
    result = run_triage("lint", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert result.stderr == f"triage: knowledge base folder not found: {tmp_path / 'nowhere'}\n"
