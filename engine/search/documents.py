"""What the search index knows of each KB entry: its fields as plain text.

Fields, most telling first: title, aliases (and tags, indexed with them and kept apart for
snippets), errors (the log lines and messages of the
evidence signatures the entry cites), symptoms (and "when to use" of a procedure), commands (the
code blocks), body (cause, fix, verification, notes, as prose). `content_hash` says when any of
it changes, without parsing anything, so an unchanged KB reuses its index at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from engine.kb.digest import kb_digest
from engine.kb.models import Entry, KnowledgeBase

INDEX_VERSION = "5"   # bump when the schema, the fields or the tokeniser change
FIELDS = ("title", "aliases", "errors", "symptoms", "commands", "body")   # indexed
TEXTS = (*FIELDS, "tags")      # kept as plain text for snippets; tags are indexed as aliases
SEPARATOR = " · "              # between the items of a list field (aliases, symptoms, ...)

_SKIPPED_SECTIONS = frozenset({"rule", "symptoms", "when to use"})  # not prose of the body
_MARKERS = re.compile(r"^[ \t]*(?:#+|\d+[.)]|[-*+])[ \t]+", re.MULTILINE)
_TITLE = re.compile(r"^# .*$", re.MULTILINE)
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


@dataclass(frozen=True)
class Document:
    """One entry's identity and each field as plain text (one line each)."""

    id: str
    kind: str
    area: str
    title: str
    aliases: str
    errors: str
    symptoms: str
    commands: str
    body: str
    tags: str = ""

    def indexed(self, field: str) -> str:
        """The text an index column holds: the aliases column holds the tags too."""
        if field == "aliases" and self.tags:
            return SEPARATOR.join(part for part in (self.aliases, self.tags) if part)
        return getattr(self, field)


def plain(markdown: str) -> str:
    """Markdown as one line of plain text: markup, list markers and table bars removed."""
    text = _MARKERS.sub("", markdown)
    if "](" in text:
        text = _LINK.sub(r"\1", text)
    return " ".join(text.replace("**", "").replace("`", "").replace("|", " ").split())


def _split_body(body: str) -> tuple[str, list[str]]:
    """The body's prose outside the sections indexed on their own, and its code blocks."""
    prose: list[str] = []
    code: list[str] = []
    for number, section in enumerate(("\n" + body).split("\n## ")):
        heading, _, text = section.partition("\n")
        if number == 0:  # before the first "## ": the title line and a procedure's preamble
            text = section
        elif heading.strip().lower() in _SKIPPED_SECTIONS:
            continue
        if "```" in text:  # prose ```lang\ncode``` prose ...: the odd parts are code blocks
            parts = text.split("```")
            code.extend(" ".join(block.partition("\n")[2].split()) for block in parts[1::2])
            text = "\n".join(parts[::2])
        prose.append(_TITLE.sub("", text) if number == 0 else text)
    return plain("\n".join(prose)), code


def document(entry: Entry, signatures: dict) -> Document:
    prose, code = _split_body(entry.body)
    errors = [text for ref in entry.evidence if (sig := signatures.get(ref.signature))
              for text in (sig.literal, *sig.examples) if text]
    symptoms = list(entry.symptoms)
    if entry.when_to_use.markdown:
        symptoms.append(plain(entry.when_to_use.markdown))
    return Document(
        id=entry.id, kind=entry.kind, area=entry.area, title=entry.title,
        aliases=SEPARATOR.join(entry.aliases), tags=SEPARATOR.join(entry.tags),
        errors=SEPARATOR.join(dict.fromkeys(" ".join(e.split()) for e in errors)),
        symptoms=SEPARATOR.join(symptoms), commands=SEPARATOR.join(code), body=prose)


def documents(kb: KnowledgeBase) -> list[Document]:
    signatures = {s.id: s for s in kb.signatures}
    return [document(entry, signatures) for entry in kb.entries]


def content_hash(kb: KnowledgeBase) -> str:
    """Changes when the KB changes, and when the index format does."""
    return kb_digest(kb, f"triage-search {INDEX_VERSION}")
