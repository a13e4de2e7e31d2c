"""The output of a batch run: what an earlier run already wrote (to resume it) and the counts a
lead wants (`Summary`).

A run writes each line whole and flushes it, so a killed run leaves complete lines and at most
one partial last line; `finished` cuts that partial line off and returns the ids of the lines
before it, which a resumed run skips."""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

VERDICTS = ("confident", "ambiguous", "no-match", "error")


@dataclass
class Summary:
    verdicts: Counter = field(default_factory=Counter)
    entries: dict[str, Counter] = field(default_factory=dict)   # top entry id -> verdicts
    titles: dict[str, str] = field(default_factory=dict)

    def add(self, result: dict) -> None:
        """Count one result object (a line of the output)."""
        if "error" in result:
            self.verdicts["error"] += 1
            return
        verdict = result.get("verdict", "no-match")
        self.verdicts[verdict] += 1
        diagnoses = result.get("diagnoses") or []
        if verdict != "no-match" and diagnoses:
            top = diagnoses[0]
            self.entries.setdefault(top["id"], Counter())[verdict] += 1
            self.titles[top["id"]] = top.get("title", "")

    @property
    def total(self) -> int:
        return sum(self.verdicts.values())

    def rows(self) -> list[tuple[str, str, int, int]]:
        """(entry id, title, confident, ambiguous) by number of tickets, most first."""
        rows = [(eid, self.titles[eid], c["confident"], c["ambiguous"])
                for eid, c in self.entries.items()]
        return sorted(rows, key=lambda r: (-(r[2] + r[3]), r[0]))


def finished(path: Path, summary: Summary | None = None) -> set[str]:
    """The ids an earlier run wrote to `path` (as strings), after cutting off a partial last
    line; each complete line is also counted in `summary`. Nothing if the file is absent."""
    try:
        with path.open("rb+") as stream:
            data = stream.read()
            if data and not data.endswith(b"\n"):
                keep = data.rfind(b"\n") + 1
                stream.truncate(keep)
                data = data[:keep]
                stream.flush()
                os.fsync(stream.fileno())
    except FileNotFoundError:
        return set()
    done: set[str] = set()
    for raw in data.split(b"\n"):
        if not raw.strip():
            continue
        try:
            result = json.loads(raw)
        except ValueError:
            continue                # not ours; it is left as it is
        if isinstance(result, dict) and result.get("id") is not None:
            done.add(str(result["id"]))
            if summary is not None:
                summary.add(result)
    return done
