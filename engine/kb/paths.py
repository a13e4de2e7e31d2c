"""Where a KB is and which files are in it: light enough to fingerprint a KB (and find it in
the compiled-KB cache) without importing the markdown and YAML readers."""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "TRIAGE_KB"


class KBError(Exception):
    """The KB cannot be used (missing folder, or errors that `triage lint` lists)."""


def bundled_kb_dir() -> Path:
    """The KB shipped with triage: inside the installed package, or next to it in a checkout."""
    package = Path(__file__).resolve().parents[1]          # engine/
    for candidate in (package / "_bundled_kb", package.parent / "kb"):
        if candidate.is_dir():
            return candidate
    return package.parent / "kb"


def resolve_kb_dir(arg: str | os.PathLike | None = None) -> Path:
    """--kb DIR, else $TRIAGE_KB, else the bundled KB."""
    if arg:
        return Path(arg)
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    return bundled_kb_dir()


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def kb_files(root: Path) -> list[Path]:
    try:
        return sorted(p for p in root.rglob("*.md")
                      if p.is_file() and p.name.lower() != "readme.md"
                      and not any(part.startswith(".") for part in p.relative_to(root).parts))
    except OSError as exc:
        raise KBError(f"cannot read the knowledge base folder {root}: "
                      f"{exc.strerror or exc}") from None
