"""engine/ is the product without a screen: no engine module may pull in Textual or tui."""

import pkgutil
import subprocess
import sys

import engine


def test_engine_modules_do_not_import_the_ui():
    names = [m.name for m in pkgutil.iter_modules(engine.__path__, "engine.")]
    assert names
    code = ("import sys, importlib\n"
            f"for name in {names!r}:\n"
            "    importlib.import_module(name)\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'tui'))\n"
            "print(bad)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
