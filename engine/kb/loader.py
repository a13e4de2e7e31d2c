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
    ProbeMap,
    Question,
    RiskyCommand,
    Signature,
    SourceDocument,
    Words,
)
from engine.kb.paths import (  # noqa: F401  (ENV_VAR, bundled_kb_dir: the loader's API too)
    ENV_VAR,
    KBError,
    bundled_kb_dir,
    display_path,
    kb_files,
    resolve_kb_dir,
)
from engine.kb.placeholders import read_placeholders
from engine.kb.probemaps import read_probe_maps
from engine.kb.questions import read_questions
from engine.kb.risky import read_risky
from engine.kb.rulelang import Problems
from engine.kb.signatures import read_signatures
from engine.kb.sources import read_sources
from engine.kb.words import read_words


@dataclass
class LoadResult:
    kb: KnowledgeBase
    diagnostics: list[Diagnostic] = field(default_factory=list)
    failed_files: list[str] = field(default_factory=list)  # files nothing could be read from

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]


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
                       risky=tuple(parts.risky), probes=tuple(parts.probes),
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
    risky: list[RiskyCommand] = field(default_factory=list)
    probes: list[ProbeMap] = field(default_factory=list)
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
    "risky-commands": (read_risky, "risky"),
    "probes": (read_probe_maps, "probes"),
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
