"""Batch input made from the case set (tests/cases/*.yaml): one JSONL line per case (its text,
its evidence files written beside the JSONL file), repeated with new ids if asked. Used by the
batch tests and tests/bench/bench_batch.py."""

from __future__ import annotations

import json
from pathlib import Path

from casedata import load_cases


def write_case_tickets(directory: Path, repeat: int = 1, with_evidence: bool = True) -> Path:
    """`directory/tickets.jsonl` (and `directory/evidence/...`); returns the JSONL path."""
    directory.mkdir(parents=True, exist_ok=True)
    lines = []
    cases = load_cases()
    for n in range(repeat):
        for i, case in enumerate(cases):
            row = {"id": f"T{n:03d}-{i:04d}", "text": case.text}
            if with_evidence and case.evidence:
                paths = []
                for j, evidence in enumerate(case.evidence):
                    rel = Path("evidence") / f"{i:04d}-{j}-{evidence.file}"
                    target = directory / rel
                    if not target.exists():
                        target.parent.mkdir(parents=True, exist_ok=True)
                        target.write_bytes(evidence.to_bytes())
                    paths.append(rel.as_posix())
                row["evidence"] = paths
            lines.append(json.dumps(row, ensure_ascii=False))
    path = directory / "tickets.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
