"""The project's case set (tests/cases/*.yaml): tickets as users write them, each with the
entry id triage should reach (or null when the KB does not cover it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

CASES_DIR = Path(__file__).parent / "cases"
ENCODINGS = {
    "utf-8": ("utf-8", b""),
    "utf-8-sig": ("utf-8", b"\xef\xbb\xbf"),
    "utf-16-le-bom": ("utf-16-le", b"\xff\xfe"),
    "utf-16-le": ("utf-16-le", b""),
    "cp1252": ("cp1252", b""),
}


@dataclass
class Evidence:
    file: str
    encoding: str
    content: str

    def to_bytes(self) -> bytes:
        codec, bom = ENCODINGS[self.encoding]
        text = self.content.replace("\r\n", "\n").replace("\n", "\r\n") \
            if self.encoding.startswith("utf-16") else self.content
        return bom + text.encode(codec)


@dataclass
class Case:
    name: str
    expect: str | None
    text: str
    source: str
    evidence: list[Evidence] = field(default_factory=list)
    answers: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.source}::{self.name}"


def load_cases() -> list[Case]:
    cases: list[Case] = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for raw in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            cases.append(Case(
                name=raw["name"], expect=raw.get("expect"), text=raw.get("text", ""),
                source=path.name,
                evidence=[Evidence(e["file"], e.get("encoding", "utf-8"), e["content"])
                          for e in raw.get("evidence") or []],
                answers={str(k): str(v) for k, v in (raw.get("answers") or {}).items()},
            ))
    return cases
