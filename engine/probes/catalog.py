"""The observation names probes report, as README.md beside this module documents them (a test
keeps the two in step with the code), for KB lint to check probe maps against."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

README = Path(__file__).with_name("README.md")
PROTOCOLS = ("imap", "pop3", "smtp")


@lru_cache(maxsize=1)
def documented_names() -> frozenset[str]:
    """The backquoted names in the first cell of the README's table rows; `P.` is each mail
    protocol and `<n>` any number (written `N`)."""
    names: set[str] = set()
    try:
        text = README.read_text(encoding="utf-8")
    except OSError:
        return frozenset()
    for cell in re.findall(r"^\| ([^|]+) \|", text, re.M):
        for name in re.findall(r"`([^`]+)`", cell):
            name = re.sub(r"<[^>]*>", "N", name)
            names.update([name.replace("P.", f"{p}.", 1) for p in PROTOCOLS]
                         if name.startswith("P.") else [name])
    return frozenset(names)


def is_observation(name: str) -> bool:
    """Whether a probe reports an observation of this name (`port.143.open` is `port.N.open`)."""
    names = documented_names()
    return not names or re.sub(r"\.\d+\.", ".N.", name) in names
