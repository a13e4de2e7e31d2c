"""The knowledge model: what a loaded KB is made of.

Everything here is plain data (frozen dataclasses, engine.kb.records). Loading builds them from
markdown (`engine.kb.loader`) and checks what the author wrote (`validated`); linting checks
them (`engine.kb.lint`), inference and search read them.
"""

from __future__ import annotations

import dataclasses
from typing import Annotated, Literal

from engine.kb.conditions import Atom, Condition, Group, required_atoms
from engine.kb.records import MinLen, Model, Pattern, model

__all__ = ["Atom", "Condition", "Group", "required_atoms"]  # the rule language, with the rest

FACT_NAME = r"^[a-z0-9]+(?:[.-][a-z0-9]+)*$"
ENTRY_ID = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
PRODUCT = "product"          # the question (and fact) of which system the caller means
OUTSIDE = "cause.outside-kb"  # the reading of a cause no entry covers (a words file's list)


@model
class Diagnostic(Model):
    """One problem found in the KB, pointing at the file and line to fix."""

    path: str
    line: int
    message: str
    severity: Literal["error", "warning"] = "error"

    def format(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{self.path}:{self.line}: {prefix}{self.message}"


# --- entries -----------------------------------------------------------------------

@model
class CodeBlock(Model):
    language: str
    code: str
    line: int


@model
class Step(Model):
    """One fix or procedure step: prose (markdown), the commands it runs, and the caution an
    author wrote for it (a paragraph starting `Caution:`): what it affects, the outage, how to
    back out."""

    text: str
    commands: tuple[CodeBlock, ...] = ()
    caution: str | None = None
    caution_line: int = 0
    line: int


@model
class Section(Model):
    """A free-form section: its markdown and the commands found in it."""

    markdown: str = ""
    commands: tuple[CodeBlock, ...] = ()
    line: int = 0


@model
class EvidenceRef(Model):
    signature: str
    note: str = ""
    line: int


@model
class Entry(Model):
    """A diagnosis (a problem a caller can have) or a procedure (a runbook)."""

    id: Annotated[str, Pattern(ENTRY_ID)]
    title: Annotated[str, MinLen(1)]
    kind: Literal["diagnosis", "procedure"]
    area: Annotated[str, MinLen(1)]
    products: Annotated[tuple[str, ...], MinLen(1)]
    tags: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    source: Annotated[str, MinLen(1)]
    related: tuple[str, ...] = ()

    path: str
    line: int = 1
    symptoms: tuple[str, ...] = ()
    # the rule inference uses: the `## Rule` conditions and, from `## Applies to`, that no
    # known fact puts the problem outside where it applies (engine.kb.rulelang.applicability)
    rule: Condition | None = None
    written_rule: Condition | None = None       # `## Rule` as the author wrote it
    applies_to: Condition | None = None         # `## Applies to` as the author wrote it
    evidence: tuple[EvidenceRef, ...] = ()
    cause: Section = Section()
    fix: tuple[Step, ...] = ()
    when_to_use: Section = Section()
    prerequisites: Section = Section()
    steps: tuple[Step, ...] = ()
    verify: Section = Section()
    verify_steps: tuple[Step, ...] = ()       # the verification as steps (its list items)
    notes: Section = Section()
    body: str = ""
    # front matter lines: "source" -> its line, "related.2" -> the line of its third item
    lines: dict[str, int] = dataclasses.field(default_factory=dict)

    def line_of(self, key: str, index: int | None = None) -> int:
        """The line of a front matter key (or of one item of its list) for a diagnostic."""
        if index is not None and f"{key}.{index}" in self.lines:
            return self.lines[f"{key}.{index}"]
        return self.lines.get(key, self.line)

    @property
    def actions(self) -> tuple[Step, ...]:
        """The ordered steps to carry out: the fix of a diagnosis, the steps of a procedure."""
        return self.fix if self.kind == "diagnosis" else self.steps


# --- question bank, signatures, derived facts --------------------------------------

@model
class Choice(Model):
    value: str
    label: str


@model
class Phrase(Model):
    """Words in a ticket that give a question its answer: `already raised the receive
    connector limits` -> uccx.receive-connector-tuned = yes."""

    value: str
    text: str
    line: int
    products: tuple[str, ...] = ()      # a cause no entry covers: only for these products


@model
class Narrowing(Model):
    """Answers that are special cases of another: `one-user-no-calendar-status`,
    `localized-calendar-broken` narrow `no-calendar-status` (Jabber never shows "In a meeting",
    for one user, or for users of another language). A ticket's words for the general answer
    do not rule out the narrower ones the ticket also has words for."""

    general: str
    narrower: tuple[str, ...]
    line: int


@model
class Question(Model):
    id: Annotated[str, Pattern(FACT_NAME)]
    text: Annotated[str, MinLen(1)]
    type: Literal["yes/no", "choice", "number", "text"]
    choices: tuple[Choice, ...] = ()
    why: str = ""
    ask_when: Condition | None = None
    unit: str = ""
    phrases: tuple[Phrase, ...] = ()          # ticket words that answer it (choice, yes/no)
    units_in_text: tuple[str, ...] = ()        # words after a number that answer it (number)
    narrowings: tuple[Narrowing, ...] = ()     # answers that are special cases of another
    if_unknown: str = ""      # the answer "don't know" is taken as (whether a fix was made)
    path: str
    line: int

    @property
    def fact(self) -> str:
        return self.id

    def values(self) -> tuple[str, ...]:
        """The values an answer may take (empty for number and text)."""
        return tuple(value for value, _ in self.options())

    def options(self) -> tuple[tuple[str, str], ...]:
        """(value, label) of each answer offered (empty for number and text)."""
        if self.type == "yes/no":
            return (("yes", "Yes"), ("no", "No"))
        return tuple((choice.value, choice.label) for choice in self.choices)

    def label(self, value: str) -> str:
        """How an answer value reads to the caller: its choice's label, Yes / No."""
        return dict(self.options()).get(value, value)


@model
class FactSetting(Model):
    """`fact is value` as a signature or derived rule asserts it."""

    fact: Annotated[str, Pattern(FACT_NAME)]
    value: str
    line: int


@model
class Signature(Model):
    id: Annotated[str, Pattern(r"^sig-[a-z0-9]+(?:-[a-z0-9]+)*$")]
    description: str = ""
    literal: str | None = None
    regex: str | None = None
    sets: Annotated[tuple[FactSetting, ...], MinLen(1)]
    examples: Annotated[tuple[str, ...], MinLen(1)]
    path: str
    line: int
    pattern_line: int = 0                       # the `- literal:` / `- regex:` line
    source: str = ""                            # a document of its own (`- source:`), when the
    source_line: int = 0                        # entries citing it do not print its marker
    example_lines: tuple[int, ...] = ()         # the line of each example

    def example_line(self, index: int) -> int:
        return self.example_lines[index] if index < len(self.example_lines) else self.line

    @property
    def pattern_text(self) -> str:
        return self.literal if self.literal is not None else (self.regex or "")


@model
class DerivedRule(Model):
    """A rule that concludes a fact other rules can use (forward chaining)."""

    conclusion: FactSetting
    description: str = ""
    condition: Condition
    path: str
    line: int

    @property
    def id(self) -> str:
        return f"derived:{self.conclusion.fact}={self.conclusion.value}"


@model
class SynonymGroup(Model):
    """Words or phrases that mean the same in a ticket; the first names the group."""

    members: Annotated[tuple[str, ...], MinLen(2)]
    path: str
    line: int


@model
class Words(Model):
    """A `kind: words` file: synonym groups and stop words (engine.text.lexicon reads them)."""

    synonyms: tuple[SynonymGroup, ...] = ()
    stopwords: tuple[tuple[str, int], ...] = ()       # (word, line)
    outside: tuple[Phrase, ...] = ()       # causes no entry covers, as tickets name them
    path: str
    line: int = 1


@model
class RiskyCommand(Model):
    """A kind of command that interrupts a service or changes data, rights or the registry:
    a step running one must carry a caution."""

    label: str
    regex: str
    path: str
    line: int


@model
class ProbeSetting(Model):
    """`FACT is VALUE when OBSERVATION is VALUE` (or `FACT is {OBSERVATION}`) in a probe map."""

    fact: Annotated[str, Pattern(FACT_NAME)]
    value: str                        # a value, or `{observation}` to copy one
    when: Atom | None = None          # over observations (and `error`, the failure reason)
    line: int


@model
class ProbeMap(Model):
    """What one read-only probe can answer in an interview (kb/probes.md)."""

    title: str
    description: str = ""
    probe: str
    target: str                       # what the person is asked for
    address: str = "{target}"         # the probe target made from it
    options: tuple[tuple[str, str], ...] = ()      # port, ports
    checks: tuple[str, ...] = ()      # the questions it is offered on
    sets: tuple[ProbeSetting, ...] = ()
    path: str
    line: int


@model
class SourceDocument(Model):
    """A document entries may cite: a copy in the KB's sources folder, or a public URL."""

    id: str
    title: str
    file: str = ""                 # relative to the KB folder
    url: str = ""
    path: str
    line: int


@model
class PlaceholderName(Model):
    """One `<name>` fix commands use, and its kind (engine.kb.placeholders.KINDS)."""

    name: str
    kind: str
    line: int


@model
class Placeholders(Model):
    """A `kind: placeholders` file: which kind of value each command placeholder takes."""

    names: tuple[PlaceholderName, ...] = ()
    path: str
    line: int = 1


@model
class KnowledgeBase(Model):
    root: str
    digest: str = ""               # engine.kb.digest: set by the loader from the files
    entries: tuple[Entry, ...] = ()
    questions: tuple[Question, ...] = ()
    signatures: tuple[Signature, ...] = ()
    derived: tuple[DerivedRule, ...] = ()
    words: tuple[Words, ...] = ()
    sources: tuple[SourceDocument, ...] = ()
    risky: tuple[RiskyCommand, ...] = ()
    probes: tuple[ProbeMap, ...] = ()
    placeholders: tuple[Placeholders, ...] = ()

    def placeholder_kinds(self) -> dict[str, str]:
        """Placeholder name -> kind (the first file naming it wins; lint reports the rest)."""
        kinds: dict[str, str] = {}
        for table in self.placeholders:
            for item in table.names:
                kinds.setdefault(item.name, item.kind)
        return kinds

    def source(self, source_id: str) -> SourceDocument | None:
        return next((s for s in self.sources if s.id == source_id), None)

    def entry(self, entry_id: str) -> Entry | None:
        return next((e for e in self.entries if e.id == entry_id), None)

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def signature(self, signature_id: str) -> Signature | None:
        return next((s for s in self.signatures if s.id == signature_id), None)
