"""The command line starts fast: a command imports only what it runs. Textual is for the app
alone, and a one-shot diagnosis with a warm compiled-KB cache reads no markdown and checks
nothing with pydantic (the KB's records are plain dataclasses)."""

import json
import subprocess
import sys

import pytest
from support import ROOT

# (command line, modules that must not be imported)
COMMANDS = [
    (["diagnose", "--text", "POP3 clients stall", "--json"], ["textual", "markdown_it", "yaml",
                                                              "sqlite_utils", "dns", "pydantic"]),
    (["diagnose", "--text", "POP3 clients stall"], ["textual", "sqlite_utils", "pydantic"]),
    (["search", "pop3"], ["textual", "dns"]),
    (["show", "pop3-user-connection-limit"], ["textual", "sqlite_utils"]),
    (["list", "--json"], ["textual", "sqlite_utils", "dns"]),
    (["lint"], ["textual", "sqlite_utils"]),
    (["batch", str(ROOT / "docs" / "examples" / "tickets.csv"), "--workers", "1"],
     ["textual", "markdown_it", "sqlite_utils", "pydantic"]),
    (["probe", "port", "127.0.0.1", "9", "--timeout", "0.2"], ["textual", "durable"]),
]

CODE = """
import contextlib, io, json, sys
from tui.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
    try:
        code = main(sys.argv[1:])
    except SystemExit as exc:
        code = exc.code
print(json.dumps({"code": code, "modules": sorted({m.split('.')[0] for m in sys.modules})}))
"""


@pytest.mark.parametrize("argv, banned", COMMANDS, ids=[c[0][0] + str(i)
                                                        for i, c in enumerate(COMMANDS)])
def test_a_command_imports_only_what_it_needs(argv, banned, tmp_path):
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    for _ in range(2):              # the second run reads the compiled-KB cache
        result = subprocess.run([sys.executable, "-c", CODE, *argv], capture_output=True,
                                text=True, cwd=ROOT, env=env, timeout=120)
        assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.splitlines()[-1])
    assert found["code"] in (0, 1), found
    assert sorted(set(banned) & set(found["modules"])) == []
