"""The transcript for the ticket (engine.sessions.transcript): every part of the interview in markdown,
the same text for the same session, and no secret in it whatever was entered."""

from pathlib import Path

import pytest

from engine.inference.compiled import CompiledKB
from engine.inference.interview import Interview
from engine.kb.loader import load_kb
from engine.sessions.transcript import EvidenceExcerpt, answer_label, fix_markdown, transcript

FIXTURE_KB = Path(__file__).parent / "fixtures" / "tui-kb"
SECRET = "Tr1age-S3cret!"


@pytest.fixture(scope="module")
def knowledge():
    with CompiledKB(load_kb(FIXTURE_KB).kb) as k:
        yield k


@pytest.fixture
def session(knowledge):
    with Interview(knowledge) as s:
        yield s


def test_a_transcript_holds_the_whole_interview_in_order(session):
    session.set_text(f"Agents cannot get email.\nThe service account password={SECRET}")
    session.answer("product", "uccx")
    session.add_evidence_text("telnet exch01 143\nConnecting To exch01...Could not open "
                              f"connection to the host, on port 143: Connect failed pwd={SECRET}\n",
                              "telnet.txt")
    session.answer("uccx.telnet-143", "no")
    text = transcript(session, title="Agent email", session_id="s-1", status="open")

    assert SECRET not in text
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == ["## Ticket text", "## Questions and answers", "## Evidence", "## Facts",
                        "## Differential", "## Diagnosis"]
    assert text.startswith("# triage transcript: Agent email\n\nsession: s-1 · status: open\n")
    assert "> The service account password=********" in text
    assert ("1. Which system is the caller having trouble with? (`product`)  \n"
            "   **Contact-centre agent email (Cisco UCCX / Agent Desktop) (`uccx`)**") in text
    assert "telnet.txt:2  Connecting To exch01...Could not open connection" in text
    assert "pwd=********" in text
    assert "`uccx.telnet-143` = `no`, from telnet.txt:2 (sig-uccx-telnet-143-connect-failed)" \
        in text
    assert "Verdict: **confident diagnosis**." in text
    assert "| `uccx-imap-port-unreachable` |" in text
    assert "#### Fix" in text and "#### Verify" in text and "### How it was concluded" in text
    assert "   telnet <ip address of exchange> 143" in text     # commands stay inside their step
    assert transcript(session, title="Agent email", session_id="s-1", status="open") == text


def test_nothing_known_yet_is_said_plainly(session):
    text = transcript(session)
    assert "## Ticket text\n\n(none)" in text
    assert "(no questions answered)" in text
    assert "## Evidence\n\n(none)" in text
    assert "no confident match" in text
    assert "## Questions still open" in text and "(`product`)" in text


def test_given_excerpts_are_used_and_a_skipped_file_says_why(session):
    excerpts = [EvidenceExcerpt("cup.log", "file", "utf-16", 1200,
                                excerpt=[(7, "SAN Mismatch"), (1100, "Password=hunter2")]),
                EvidenceExcerpt("dump.bin", "file", skipped="binary file (not text): skipped")]
    text = transcript(session, evidence=excerpts)
    assert "### cup.log (file, utf-16, 1200 lines)" in text
    assert "cup.log:7     SAN Mismatch\ncup.log:1100  Password=********" in text
    assert "hunter2" not in text
    assert "Skipped: binary file (not text): skipped." in text


def test_ruled_out_candidates_are_listed(session):
    session.add_evidence_text("SSL Connection/Certificate Verification Failed - SAN Mismatch")
    session.rule_out("imp-cert-san-mismatch")
    assert "Ruled out (the fix did not help): `imp-cert-san-mismatch`." in transcript(session)


def test_the_fix_alone_has_filled_commands_and_its_source(session):
    session.answer("product", "client")
    session.add_evidence_text(
        "2024-05-02T09:12:45.645Z,0000000000001A2F,4,10.10.5.21:1993,10.10.5.20:61322,"
        "crm-inbox@contoso.com,1543,27,121,select,INBOX,R=OK;Msg=UidCorruptionDetected13,\n",
        "imap.log")
    fix = fix_markdown(session, "imap-uid-corruption")
    assert fix.startswith("# IMAP clients fail on one mailbox")
    assert "New-MailboxRepairRequest -Mailbox 'crm-inbox@contoso.com'" in fix
    assert "Filled in from the evidence: `<mailbox>` = `crm-inbox@contoso.com`" in fix
    assert "## Source" in fix and "imap-uid-corruption.md" in fix


def test_answer_labels(knowledge):
    product = knowledge.questions["product"]
    assert answer_label(product, "imp") == \
        "Calendar status in Jabber (Cisco IM and Presence) (`imp`)"
    assert answer_label(product, "imp", markdown=False) == \
        "Calendar status in Jabber (Cisco IM and Presence) (imp)"
    assert answer_label(product, "unknown") == "unknown (don't know)"
    assert answer_label(knowledge.questions["uccx.telnet-143"], "yes") == "yes"
