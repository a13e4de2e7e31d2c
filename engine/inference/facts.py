"""Facts and where they came from: an answer, the ticket text, an evidence line, or a rule."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from engine.evidence.scanner import EvidenceReport
from engine.inference.answers import parse_number
from engine.kb.models import KnowledgeBase
from engine.kb.patterns import fill

SourceKind = Literal["answer", "ticket", "evidence", "rule", "probe"]


@dataclass(frozen=True)
class Source:
    kind: SourceKind
    ref: str                     # question id, "ticket", evidence name, rule id, probe target
    line_no: int = 0             # for ticket and evidence: 1-based line number
    line: str = ""               # the line itself (evidence, ticket)
    signature: str = ""          # the signature that matched (ticket, evidence)
    facts: tuple[tuple[str, str], ...] = ()   # for rule: the facts it fired on
    words: str = ""              # ticket: the caller's words that said it; probe: what was seen

    def describe(self) -> str:
        if self.kind == "answer":
            return f"answer to {self.ref}"
        if self.kind == "rule":
            used = ", ".join(f"{n} = {v}" for n, v in self.facts)
            return f"rule {self.ref}" + (f" (from {used})" if used else "")
        if self.kind == "probe":
            return f"probe {self.ref}: {_clip(self.words)}"
        if self.kind == "ticket" and not self.signature:
            return f"from the ticket: '{_clip(self.words, 80)}'"
        where = "ticket text" if self.kind == "ticket" else self.ref
        return f"{where}:{self.line_no} ({self.signature}): {_clip(self.line)}"

    def as_dict(self) -> dict:
        data: dict = {"kind": self.kind, "ref": self.ref}
        if self.kind in ("ticket", "evidence"):
            data.update(line_no=self.line_no, line=self.line, signature=self.signature)
        if self.words:
            data["words"] = self.words
        if self.kind == "rule":
            data["facts"] = [{"name": n, "value": v} for n, v in self.facts]
        return data


@dataclass(frozen=True)
class Fact:
    name: str
    value: str
    source: Source
    captures: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    def as_dict(self) -> dict:
        return {"name": self.name, "value": self.value, "source": self.source.as_dict(),
                "described": self.source.describe()}


def _clip(text: str, limit: int = 160) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[:limit - 1] + "…"


_NUMERAL = re.compile(r"[+-]?[0-9][0-9,]*(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?")


def facts_from_report(kb: KnowledgeBase, report: EvidenceReport, kind: SourceKind,
                      name: str) -> list[Fact]:
    """The facts the signature hits of a scan set, each once, with the line that set it. A
    value may take a capture (`{server}`), lower-cased."""
    facts: list[Fact] = []
    seen: set[tuple[str, str]] = set()
    for hit in report.hits:
        signature = kb.signature(hit.signature)
        if signature is None:
            continue
        captures = hit.captured()
        for setting in signature.sets:
            value = fill(setting.value, captures).strip().lower() if "{" in setting.value \
                else setting.value
            if "{" in setting.value and _NUMERAL.fullmatch(value) and parse_number(value) is None:
                report.notes.append(f"line {hit.line_no}: {setting.fact}: the captured number "
                                    f"{_clip(value, 24)} is too large to compare; ignored")
                continue
            key = (setting.fact, value)
            if key in seen:
                continue
            seen.add(key)
            source = Source(kind, name, hit.line_no, hit.line, hit.signature)
            facts.append(Fact(setting.fact, value, source, hit.captures))
    return facts
