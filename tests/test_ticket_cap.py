"""A huge ticket text (issue 13, item 5): only its first 64 KiB are compared with the entries
(the work asserted, not a duration), with a note in the report and the app; signatures still
find a known log line anywhere in it."""

import pytest
from support import KB

from engine.inference import CompiledKB, Interview
from engine.inference.report import report
from engine.inference.ticket import MATCH_CHARS
from engine.kb import loader

GATEWAY = "exch01.corp.example.com   SSL Connection/Certificate Verification Failed - SAN Mismatch"


@pytest.fixture(scope="module")
def compiled():
    with CompiledKB(loader.load_clean(KB)) as knowledge:
        yield knowledge


def test_a_10_mb_ticket_is_matched_on_its_start_and_scanned_whole(compiled, monkeypatch):
    text = "Lorem ipsum dolor sit amet, consectetur. " * 250_000 + "\n" + GATEWAY + "\n"
    assert len(text) > 10_000_000
    seen = []
    score = compiled.text.score
    monkeypatch.setattr(compiled.text, "score", lambda t: seen.append(len(t)) or score(t))
    with Interview(compiled) as session:
        facts = session.set_text(text)
        assert seen == [MATCH_CHARS]
        assert ("imp.gateway-status", "san-mismatch") in {(f.name, f.value) for f in facts}
        assert session.ticket.note.startswith("the ticket text is 10,")
        assert report(session)["notes"] == [session.ticket.note]


def test_an_ordinary_ticket_has_no_note(compiled):
    with Interview(compiled) as session:
        session.set_text("Jabber shows no meetings")
        assert session.ticket.note is None and report(session)["notes"] == []


class CountingText(str):
    """A str that adds up the characters its searches look at."""

    looked = 0

    def _note(self, start, end):
        type(self).looked += max(0, (len(self) if end is None else end) - (start or 0))

    def rfind(self, sub, start=None, end=None):
        self._note(start, end)
        return super().rfind(sub, start, end)

    def find(self, sub, start=None, end=None):
        self._note(start, end)
        return super().find(sub, start, end)

    def count(self, sub, start=None, end=None):
        self._note(start, end)
        return super().count(sub, start, end)


def test_many_matches_on_one_long_line_are_located_in_one_pass(compiled):
    """A ticket is one block: 50,000 matches on one 2 MB line must not each search back to the
    line start (that made a 10 MB ticket take 70 s)."""
    from engine.evidence.scanner import EvidenceReport

    scanner = compiled.scanner
    index = next(i for i, s in enumerate(scanner.signatures) if s.id == "sig-imp-san-mismatch")
    block = CountingText((GATEWAY + " ") * 25_000 + "\nlast\n")
    CountingText.looked = 0
    report = EvidenceReport("ticket")
    scanner._hits_in_block(block, 0, [index], report)
    assert [h.line_no for h in report.hits] == [1]
    assert CountingText.looked <= 3 * len(block)      # was ~ matches x line length / 2
