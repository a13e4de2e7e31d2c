"""Loading a KB folder: every markdown file into models, every problem into a diagnostic.

One bad file never stops the others: the loader collects `Diagnostic`s (path:line: message)
and returns whatever loaded. `engine.kb.lint` adds the checks that need the whole KB.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from engine.kb.controls import CONTROL, escape_controls
from engine.kb.derived import read_derived
from engine.kb.digest import files_digest
from engine.kb.entries import read_entry
from engine.kb.frontmatter import read_front_matter
from engine.kb.markdown import parse, sections
from engine.kb.models import (
    DerivedRule,
    Diagnostic,
    Entry,
    KnowledgeBase,
    Placeholders,
    Question,
    Signature,
    SourceDocument,
    Words,
)
from engine.kb.placeholders import read_placeholders
from engine.kb.questions import read_questions
from engine.kb.rulelang import Problems
from engine.kb.signatures import read_signatures
from engine.kb.sources import read_sources
from engine.kb.words import read_words

ENV_VAR = "TRIAGE_KB"


class KBError(Exception):
    """The KB cannot be used (missing folder, or errors that `triage lint` lists)."""


@dataclass
class LoadResult:
    kb: KnowledgeBase
    diagnostics: list[Diagnostic] = field(default_factory=list)
    failed_files: list[str] = field(default_factory=list)  # files nothing could be read from

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]


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


def load_clean(kb_dir: str | os.PathLike | None = None) -> KnowledgeBase:
    """The KB to run on (--kb DIR, $TRIAGE_KB or the bundled one); KBError, one line, when it
    is missing or has errors (`triage lint` lists them)."""
    root = resolve_kb_dir(kb_dir)
    result = load_kb(root)
    if result.errors:
        count = len(result.errors)
        raise KBError(f"the knowledge base at {display_path(root)} has {count} "
                      f"error{'s' if count != 1 else ''}; run 'triage lint "
                      f"{display_path(root)}' to see them")
    return result.kb


def load_kb(root: str | os.PathLike) -> LoadResult:
    root = Path(root)
    if not root.is_dir():
        raise KBError(f"knowledge base folder not found: {root}")
    parts = _Parts()
    diagnostics: list[Diagnostic] = []
    failed: list[str] = []
    refused: list[tuple[Path, str]] = []
    files = kb_files(root, refused)
    diagnostics.extend(Diagnostic(path=display_path(path), line=1, message=message)
                       for path, message in refused)
    if not files:
        raise KBError(f"the knowledge base folder {display_path(root)} holds no markdown files")
    for path in files:
        shown = display_path(path)
        problems = Problems()
        before = parts.count()
        _load_file(path, shown, root, problems, parts)
        if problems.items and before == parts.count():
            failed.append(shown)
        diagnostics.extend(Diagnostic(path=shown, line=line, message=message)
                           for line, message in problems.items)
    kb = KnowledgeBase(root=str(root), digest=files_digest(root, files),
                       entries=tuple(parts.entries), questions=tuple(parts.questions),
                       signatures=tuple(parts.signatures), derived=tuple(parts.derived),
                       words=tuple(parts.words), sources=tuple(parts.sources),
                       placeholders=tuple(parts.placeholders))
    return LoadResult(kb=kb, diagnostics=diagnostics, failed_files=failed)


@dataclass
class _Parts:
    """What the files of a KB hold, gathered while they are read."""

    entries: list[Entry] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    signatures: list[Signature] = field(default_factory=list)
    derived: list[DerivedRule] = field(default_factory=list)
    words: list[Words] = field(default_factory=list)
    sources: list[SourceDocument] = field(default_factory=list)
    placeholders: list[Placeholders] = field(default_factory=list)

    def count(self) -> int:
        return sum(len(v) for v in vars(self).values())


# kind -> (reader of its `##` sections, the list of _Parts it fills)
SECTION_KINDS = {
    "questions": (read_questions, "questions"),
    "signatures": (read_signatures, "signatures"),
    "derived": (read_derived, "derived"),
    "sources": (read_sources, "sources"),
    "words": (lambda path, found, problems: [read_words(path, found, problems)], "words"),
    "placeholders": (read_placeholders, "placeholders"),
}
KINDS = ("diagnosis", "procedure", *SECTION_KINDS)


def _load_file(path: Path, shown: str, root: Path, problems: Problems, parts: _Parts) -> None:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.add(1, f"cannot read file: {exc.strerror or exc}")
        return
    if b"\x00" in raw[:4096]:
        problems.add(1, "not a text file (binary content); KB files are UTF-8 markdown")
        return
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.add(line, "file is not valid UTF-8; save it as UTF-8")
        return
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _without_controls(text, problems)
    tree = parse(text)
    fm = read_front_matter(text, tree)
    for line, message in fm.problems:
        problems.add(line, message)
    if not fm.ok:
        return
    kind = fm.data.get("kind")
    if kind in ("diagnosis", "procedure"):
        entry = read_entry(shown, text, tree, fm, problems)
        if entry is not None:
            folder = path.parent.relative_to(root).as_posix()
            if entry.area != folder and folder != ".":
                problems.add(fm.line_of("area"), f"area '{entry.area}' does not match the "
                                                 f"folder '{folder}' the file is in")
            if entry.id != path.stem:
                problems.add(fm.line_of("id"), f"id '{entry.id}' does not match the file "
                                               f"name '{path.name}' (name it {entry.id}.md)")
            parts.entries.append(entry)
        return
    if kind in SECTION_KINDS:
        _, found = sections(tree, level=2)
        if not found:
            problems.add(fm.line, f"a {kind} file needs '## ' sections, one per item")
        reader, target = SECTION_KINDS[kind]
        getattr(parts, target).extend(reader(shown, found, problems))
        return
    known = ", ".join(KINDS)
    if kind is None:
        problems.add(fm.line, f"front matter lacks 'kind' ({known})")
    else:
        problems.add(fm.line_of("kind"), f"unknown kind '{kind}' ({known})")


def _without_controls(text: str, problems: Problems) -> str:
    """KB text holds no control character (an escape sequence in a title or a command would
    reach the terminal of whoever reads it): each is an error at its line, and shown as an
    escape (`\\x1b`) in what loads."""
    if not CONTROL.search(text):
        return text
    for number, line in enumerate(text.split("\n"), 1):
        found = CONTROL.search(line)
        if found:
            problems.add(number, f"control character {escape_controls(found.group())} at column "
                                 f"{found.start() + 1}: KB files hold plain text")
    return escape_controls(text)
