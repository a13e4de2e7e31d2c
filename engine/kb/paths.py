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


def kb_files(root: Path, refused: list[tuple[Path, str]] | None = None) -> list[Path]:
    """The KB's markdown files (not README.md, nothing under a dot folder). A link is followed
    only when it stays inside the KB folder; one that leads out is not read, and goes to
    `refused` with why (a KB copied from elsewhere could otherwise read any file)."""
    home = root.resolve()
    found: list[Path] = []

    def outside(path: Path) -> bool:
        try:
            return not path.resolve().is_relative_to(home)
        except (OSError, RuntimeError):        # a loop of links
            return True

    def walk_error(exc: OSError) -> None:
        raise KBError(f"cannot read the knowledge base folder {root}: {exc.strerror or exc}")

    try:
        for folder, dirs, names in os.walk(root, onerror=walk_error):
            base = Path(folder)
            for name in sorted(dirs):
                if (base / name).is_symlink() and not name.startswith(".") \
                        and outside(base / name):
                    if refused is not None:
                        refused.append((base / name, "a link to a folder outside the knowledge "
                                                     "base folder: not followed"))
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for name in names:
                path = base / name
                if not name.endswith(".md") or name.lower() == "readme.md" or name[0] == ".":
                    continue
                if path.is_symlink() and outside(path):
                    if refused is not None:
                        refused.append((path, "a link to a file outside the knowledge base "
                                              "folder: not read"))
                    continue
                if path.is_file():
                    found.append(path)
    except OSError as exc:
        raise KBError(f"cannot read the knowledge base folder {root}: "
                      f"{exc.strerror or exc}") from None
    return sorted(found)
