"""The shape of the code: engine/ is the product without a screen, its parts are layered as
docs/architecture.md draws them (import-linter contracts in pyproject.toml), and every module is
small enough to read at once."""

import pkgutil
import subprocess
import sys
from pathlib import Path

import engine

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 400


def engine_modules() -> list[str]:
    return [m.name for m in pkgutil.walk_packages(engine.__path__, "engine.")]


def test_engine_modules_do_not_import_the_ui():
    names = engine_modules()
    assert "engine.inference.interview" in names and "engine.kb.loader" in names
    code = ("import sys, importlib\n"
            f"for name in {names!r}:\n"
            "    importlib.import_module(name)\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'tui'))\n"
            "print(bad)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_import_contracts_are_kept():
    code = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(no_cache=True))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_no_module_is_too_long_to_read_at_once():
    long = {str(p.relative_to(ROOT)): n for p in sorted((ROOT / "engine").rglob("*.py"))
            + sorted((ROOT / "tui").rglob("*.py"))
            if "_bundled_kb" not in p.parts and (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert long == {}


def test_engine_top_level_is_only_the_package_face():
    flat = sorted(p.name for p in (ROOT / "engine").glob("*.py"))
    assert flat == ["__init__.py"]
