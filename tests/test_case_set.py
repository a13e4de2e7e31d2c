"""The case set itself is well formed: every diagnosis has its tickets, and evidence carries
a signal that the KB's signatures can see among the noise."""

from collections import defaultdict

import pytest
from casedata import ENCODINGS, load_cases

from engine.kb.patterns import compile_signature
from engine.kb.rulelang import atoms

CASES = load_cases()


def test_case_names_are_unique():
    keys = [c.key for c in CASES]
    assert len(keys) == len(set(keys))


def test_expected_ids_exist(real_kb):
    ids = {e.id for e in real_kb.kb.entries}
    assert sorted({c.expect for c in CASES if c.expect and c.expect not in ids}) == []


def test_every_diagnosis_has_a_text_ticket_and_an_evidence_ticket(real_kb):
    kinds = defaultdict(set)
    for case in CASES:
        if case.expect:
            kinds[case.expect].add("evidence" if case.evidence else "text")
    gaps = {e.id: sorted({"text", "evidence"} - kinds[e.id])
            for e in real_kb.kb.entries if e.kind == "diagnosis"
            if {"text", "evidence"} - kinds[e.id]}
    assert gaps == {}


def test_every_procedure_has_how_to_tickets(real_kb):
    counts = defaultdict(int)
    for case in CASES:
        counts[case.expect] += 1
    assert [e.id for e in real_kb.kb.entries if e.kind == "procedure" and counts[e.id] < 2] == []


def test_at_least_ten_out_of_scope_tickets():
    assert sum(1 for c in CASES if c.expect is None) >= 10


def test_tickets_do_not_copy_titles(real_kb):
    """Generalisation: a ticket that pastes its entry's title tests nothing."""
    titles = {e.id: e.title.lower() for e in real_kb.kb.entries}
    copied = [c.key for c in CASES if c.expect and titles[c.expect] in c.text.lower()]
    assert copied == []


@pytest.mark.parametrize("case", [c for c in CASES if c.evidence], ids=lambda c: c.key)
def test_evidence_has_signal_among_noise(real_kb, case):
    """The expected entry's own signatures match a line of the evidence, and not every line
    matches (there is noise). Encodings round-trip."""
    kb = real_kb.kb
    entry = kb.entry(case.expect) if case.expect else None
    compiled = {s.id: compile_signature(s)[0] for s in kb.signatures}
    lines = [line for ev in case.evidence for line in ev.content.splitlines() if line.strip()]
    for ev in case.evidence:
        assert ev.encoding in ENCODINGS
        codec, bom = ENCODINGS[ev.encoding]
        assert ev.to_bytes()[len(bom):].decode(codec).replace("\r\n", "\n") == ev.content
    assert len(lines) >= 5, "evidence should be a real-looking excerpt, not one line"
    if entry is None:
        return
    own = {r.signature for r in entry.evidence}
    tested = {a.fact for a in atoms(entry.rule)} if entry.rule else set()
    relevant = own | {s.id for s in kb.signatures if any(x.fact in tested for x in s.sets)}
    hits = [line for line in lines if any(compiled[sid].search(line) for sid in relevant)]
    assert hits, "no line of the evidence matches a signature that points to the entry"
    assert len(hits) < len(lines), "every line is signal: add the noise a real log has"


def test_the_evidence_reader_finds_each_cases_signal_in_its_real_encoding(real_kb, tmp_path):
    """Every evidence file, written as bytes in its declared encoding (UTF-16 with BOM and
    CRLF for PowerShell/Event Viewer exports), is read back and matched by the scanner."""
    from engine.evidence.scanner import Scanner
    kb = real_kb.kb
    scanner = Scanner(kb.signatures)
    missed = []
    for i, case in enumerate(c for c in CASES if c.evidence and c.expect):
        entry = kb.entry(case.expect)
        tested = {a.fact for a in atoms(entry.rule)} if entry.rule else set()
        relevant = {r.signature for r in entry.evidence} | {
            s.id for s in kb.signatures if any(x.fact in tested for x in s.sets)}
        hits = set()
        for j, ev in enumerate(case.evidence):
            path = tmp_path / f"{i}-{j}-{ev.file}"
            path.write_bytes(ev.to_bytes())
            report = scanner.scan_file(path)
            assert report.skipped is None, (case.key, report.skipped)
            hits |= {h.signature for h in report.hits}
        if not hits & relevant:
            missed.append(case.key)
    assert missed == []
