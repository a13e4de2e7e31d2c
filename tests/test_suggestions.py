"""What the ticket's words only suggest (a weak reading: a question mark, part of a phrase)
counts a little in the ranking, for the entries it would support and against those it would
rule out, and settles nothing: the question is still asked, with the suggestion preselected."""

from __future__ import annotations

import pytest

from engine.inference import CompiledKB, Interview

SAYS = "Since Monday Jabber no longer shows me as In a meeting. The person next to me still has it."
WONDERS = SAYS + " Could it be because my mailbox was moved to the new servers last week?"


@pytest.fixture(scope="module")
def knowledge(real_kb):
    return CompiledKB(real_kb.kb)


def test_a_suggestion_speaks_for_the_entry_it_would_support(knowledge):
    with Interview(knowledge) as session:
        session.set_text(WONDERS)
        d = session.differential()
        suggestion = session.ticket.suggestion("mailbox.moved-recently")
        assert suggestion is not None and suggestion.value == "yes"
        assert d.top.id == "imp-calendar-state-after-mailbox-move"
        assert d.top.suggested > 0
        assert d.verdict != "confident"                 # it settles nothing
        how = session.how(differential=d)
        assert how.suggested == ("mailbox.moved-recently is yes ('mailbox was moved to the new "
                                 "servers')",)
        assert "suggests, without settling it, mailbox.moved-recently is yes" in how.summary()
        asked = [s.question.id for s in session.next_questions(3, d)]
        assert "mailbox.moved-recently" in asked
        # the caller's answer replaces it: "no" rules the entry out
        session.answer("mailbox.moved-recently", "no")
        assert "imp-calendar-state-after-mailbox-move" not in \
            [c.id for c in session.differential().candidates]


def test_without_the_suggestion_nothing_is_added(knowledge):
    with Interview(knowledge) as session:
        session.set_text(SAYS)
        d = session.differential()
        assert all(c.suggested == 0 for c in d.candidates)


def test_an_answered_question_leaves_its_suggestion_out(knowledge):
    with Interview(knowledge) as session:
        session.set_text(WONDERS)
        session.answer("mailbox.moved-recently", "yes")
        d = session.differential()
        assert all(c.suggested == 0 for c in d.candidates)


def test_a_status_string_the_mail_client_wrapped_is_read_whole(knowledge):
    text = ('IM&P 12.5 to Exchange 2016, new internal PKI. The Presence Gateway now says "SSL '
            'Connection/Certificate Verification Failed - Certificate Missing\n'
            'From Chain". Calendar status is gone for everyone.')
    with Interview(knowledge) as session:
        facts = session.set_text(text)
        assert ("imp.gateway-status", "cert-missing-from-chain") in \
            {(f.name, f.value) for f in facts}
        assert {f.source.line_no for f in facts if f.name == "imp.gateway-status"} == {1}
        assert session.differential().top.id == "imp-cert-missing-from-chain"


def test_a_suggestion_about_another_products_question_counts_for_nothing(knowledge):
    # "Exchange certs" half-matches the Jabber gateway's "bad certificates" status; in a Unity
    # ticket that says nothing (through the derived "certificate not trusted") for Unity's
    # certificate entry
    text = ("New single inbox deployment, CUC 12.5 against Exchange 2019. Nobody gets voicemail "
            "in Outlook. The UM service test can authenticate to Exchange but then fails when "
            "it tries to get into a user's mailbox. Exchange certs are uploaded to CUC.")
    with Interview(knowledge) as session:
        session.set_text(text)
        assert session.ticket.suggestion("imp.gateway-status") is not None
        d = session.differential()
        assert not any("imp.gateway-status" in s for c in d.candidates for s in c.suggestions)
