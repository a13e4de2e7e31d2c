"""Helpers the tests import: run the real `triage` command as a user would, locate the bundled
KB. (A plain module, not conftest.py: pytest loads every conftest.py as the same module name.)"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KB = ROOT / "kb"


def run_triage(*args: str, cwd: Path | None = None, stdin: str | bytes | None = None,
               env: dict | None = None) -> subprocess.CompletedProcess:
    """`triage ARGS...` in a subprocess (the installed console script's module)."""
    full_env = {**os.environ, "COLUMNS": "100"}
    full_env.pop("TRIAGE_KB", None)  # the user's own setting must not leak into tests
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "tui.cli", *args], cwd=cwd, input=stdin,
                          capture_output=True, text=not isinstance(stdin, bytes),
                          env=full_env, timeout=120)
