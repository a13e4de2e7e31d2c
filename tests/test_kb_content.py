"""The real knowledge base: it loads clean, holds every catalog id, and every entry is complete."""

from pathlib import Path

import pytest
from support import KB

from engine.lint import lint

CATALOG = [line.split("\t") for line in
           (Path(__file__).parent / "data" / "catalog.tsv").read_text().splitlines()
           if line and not line.startswith("#")]


def test_catalog_has_all_54_ids():
    assert len(CATALOG) == 54


def test_real_kb_lints_clean():
    assert [d.format() for d in lint(KB)] == []


def test_every_catalog_id_exists_with_its_kind(real_kb):
    kinds = {e.id: e.kind for e in real_kb.kb.entries}
    missing = [i for i, _ in CATALOG if i not in kinds]
    wrong = [(i, kinds[i], k) for i, k in CATALOG if i in kinds and kinds[i] != k]
    assert (missing, wrong) == ([], [])


@pytest.fixture(scope="module")
def entries(real_kb):
    return real_kb.kb.entries


def test_diagnoses_are_complete(entries, real_kb):
    incomplete = {}
    for e in entries:
        if e.kind != "diagnosis":
            continue
        gaps = []
        if len(e.symptoms) < 3:
            gaps.append("fewer than 3 symptoms")
        if not e.aliases:
            gaps.append("no aliases")
        if e.rule is None:
            gaps.append("no rule")
        if not e.fix:
            gaps.append("no fix")
        if not (e.verify.markdown.strip()):
            gaps.append("no verification")
        if not e.cause.markdown.strip():
            gaps.append("no cause")
        if gaps:
            incomplete[e.id] = gaps
    assert incomplete == {}


def test_procedures_are_complete(entries):
    incomplete = {e.id for e in entries if e.kind == "procedure"
                  and not (e.steps and e.when_to_use.markdown and e.verify.markdown)}
    assert incomplete == set()


def test_every_fix_has_a_runnable_command(entries):
    """A helpdesk person needs something to copy: each diagnosis' fix or verification has one,
    unless the entry is tagged gui-only (the fix is done in an admin web page)."""
    without = [e.id for e in entries if e.kind == "diagnosis" and "gui-only" not in e.tags
               and not any(s.commands for s in e.fix) and not e.verify.commands]
    assert without == []


def test_gui_only_entries_really_have_no_commands(entries):
    tagged = [e.id for e in entries if "gui-only" in e.tags
              and (any(s.commands for s in e.fix) or e.verify.commands)]
    assert tagged == []


def test_every_entry_cites_a_listed_source_with_a_copy_or_url(real_kb, entries):
    kb = real_kb.kb
    assert {e.id: e.source for e in entries if kb.source(e.source) is None} == {}
    root = Path(kb.root)
    assert [s.id for s in kb.sources if s.file and not (root / s.file).is_file()] == []
    assert all(s.title for s in kb.sources)


@pytest.mark.parametrize("marker", [
    "UserConnectionLimitReached", "UidCorruptionDetected", "31551", "15004", "0x35",
    "0xC3EC78D8", "451 4.4.0 DNS query failed", "has open files", "SAN Mismatch",
    "NO AUTHENTICATE failed", 'exceeded the maximum of 16 objects of type "session"', "EXCDO.DLL",
])
def test_every_seed_marker_has_a_signature(real_kb, marker):
    """The markers the KB issue names: a line carrying each must match some signature."""
    from engine.kb.patterns import compile_signature
    line = f"2024-05-02 10:11:12 ERROR something happened: {marker} (see log)"
    if marker in ("31551", "15004"):
        line = f"Event ID:      {marker}"
    if marker == "0x35":
        line = "Cluster API 'AddClusterNode() (MaxPercentage=12) failed with 0x35.'"
    if marker == "has open files":
        line = "MSCORSVW(3404) has open files"
    if marker == "EXCDO.DLL":
        line = "Faulting application store.exe, version 8.1.240.5, faulting module EXCDO.DLL, version 8.1.240.5"
    hits = [s.id for s in real_kb.kb.signatures if compile_signature(s)[0].search(line)]
    assert hits, f"no signature matches {line!r}"
