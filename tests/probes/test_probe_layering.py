"""engine.probes stands alone: nothing from the rest of engine/, nor any UI; and the
observation names it can emit are exactly those its README documents."""

import re
import subprocess
import sys
from pathlib import Path

import engine.probes

README = Path(engine.probes.__file__).with_name("README.md")


def test_probes_import_nothing_else_from_engine_nor_the_ui():
    code = ("import sys, engine.probes\n"
            "print(sorted(m for m in sys.modules if (m.startswith('engine.') and not "
            "m.startswith('engine.probes')) or m.split('.')[0] in ('textual', 'tui', 'rich')))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


# What the f-string parts of observation names stand for.
EXPANSIONS = {"{protocol}": ["imap", "pop3", "smtp"], "{prefix}": ["tls.cert.N"],
              "{scheme}": ["ntlm", "negotiate", "basic", "bearer", "digest"]}


def emitted_names() -> set[str]:
    """Observation names in the source: literal first arguments of result.add(...)."""
    names = set()
    for path in Path(engine.probes.__file__).parent.glob("*.py"):
        for name in re.findall(r'\.add\(\s*f?"([a-z0-9.{}_-]+)"', path.read_text()):
            variants = [name]
            for part, values in EXPANSIONS.items():
                variants = [v.replace(part, value) for v in variants for value in values] \
                    if any(part in v for v in variants) else variants
            names.update(re.sub(r"\{[^}]*\}", "N", v) for v in variants)
    return names


def documented_names() -> set[str]:
    """The backquoted names in the first cell of the README's table rows; `P.` is each mail
    protocol and `<n>` any number."""
    names = set()
    for cell in re.findall(r"^\| ([^|]+) \|", README.read_text(), re.M):
        for name in re.findall(r"`([^`]+)`", cell):
            name = re.sub(r"<[^>]*>", "N", name)
            names.update([name.replace("P.", f"{p}.", 1) for p in ("imap", "pop3", "smtp")]
                         if name.startswith("P.") else [name])
    return names


def test_every_observation_name_is_in_the_readme():
    emitted = emitted_names()
    assert len(emitted) > 50, "the pattern found too few observation names"
    assert sorted(emitted - documented_names()) == []
    assert sorted(n for n in documented_names() - emitted if "." in n) == []   # none stale
