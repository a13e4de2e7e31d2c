"""Near misses (tests/cases/near-misses.yaml): tickets that look like an entry whose fix is risky
but whose situation rules it out. Whatever the ticket, its evidence and the caller's answers,
and however long the interview goes on (the caller answers what the ticket's `answers:` say,
"unknown" to anything else), triage must never be confident on the entry named in `not:`.
Every diagnosis whose fix carries a caution has at least one near miss."""

from __future__ import annotations

import pytest
import yaml
from casedata import CASES_DIR, Case, load_cases

from engine.inference import UNKNOWN, CompiledKB, Interview

NEAR_FILE = CASES_DIR / "near-misses.yaml"
RAW = {raw["name"]: raw for raw in yaml.safe_load(NEAR_FILE.read_text(encoding="utf-8"))}
NEAR = [c for c in load_cases() if c.source == NEAR_FILE.name]
LIMIT = 12


@pytest.fixture(scope="module")
def compiled(real_kb):
    with CompiledKB(real_kb.kb) as built:
        yield built


def start(compiled: CompiledKB, case: Case, tmp_path) -> Interview:
    session = Interview(compiled)
    session.set_text(case.text)
    for i, evidence in enumerate(case.evidence):
        path = tmp_path / f"{i}-{evidence.file}"
        path.write_bytes(evidence.to_bytes())
        session.add_evidence_file(path)
    for question, value in case.answers.items():
        session.answer(question, value)
    return session


def test_every_near_miss_names_an_entry_and_says_where_it_should_go(real_kb):
    ids = {e.id for e in real_kb.kb.entries}
    assert NEAR and len(NEAR) == len(RAW)
    for name, raw in RAW.items():
        assert raw.get("not") in ids, name
        assert "expect" in raw and raw["expect"] != raw["not"], name


def test_every_risky_diagnosis_has_a_near_miss(real_kb):
    risky = {e.id for e in real_kb.kb.entries if e.kind == "diagnosis"
             if any(step.caution for step in e.fix)}
    covered = {raw["not"] for raw in RAW.values()}
    assert sorted(risky - covered) == []


@pytest.mark.parametrize("case", NEAR, ids=lambda c: c.name)
def test_a_near_miss_is_never_confident_on_the_entry_it_resembles(compiled, tmp_path, case):
    avoid = RAW[case.name]["not"]
    with start(compiled, case, tmp_path) as session:
        steps = []
        for _ in range(LIMIT):
            d = session.differential()
            assert not (d.verdict == "confident" and d.top.id == avoid), \
                f"confident on {avoid} after {steps}"
            if d.verdict == "confident":
                break
            suggestions = session.next_questions(1, d)
            if not suggestions:
                break
            question = suggestions[0].question
            value = case.answers.get(question.id, UNKNOWN)
            session.answer(question.id, value)
            steps.append((question.id, value))
        d = session.differential()
        assert not (d.verdict == "confident" and d.top.id == avoid), \
            f"confident on {avoid} after {steps}"
