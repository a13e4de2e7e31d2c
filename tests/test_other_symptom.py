"""A ticket about another part of a product the KB covers (Finesse agent login in a UCCX
contact centre whose agent email is not in use) ends no-match: the caller's words answer the
symptom question with `other`, which turns off every question that could confirm the UCCX
email entries (`ask when: ... not: uccx.symptom is other`), so only evidence could still bring
them about. A ticket about agent email itself still leads to its entry."""

from __future__ import annotations

import pytest

from engine.inference import CompiledKB, Interview

UCCX_EMAIL_QUESTIONS = {"uccx.telnet-143", "uccx.imap-auth-failed",
                        "uccx.mapi-session-limit-event", "uccx.view-store-status"}


@pytest.fixture(scope="module")
def compiled(real_kb):
    with CompiledKB(real_kb.kb) as built:
        yield built


def test_another_part_of_the_product_is_no_match_and_its_checks_are_not_asked(compiled):
    with Interview(compiled) as session:
        facts = session.set_text(
            "UCCX 12.5 contact centre: since the upgrade our agents can't log in to Finesse, "
            "they get 'device not accessible' right after entering the extension. We don't "
            "use the email or chat channels at all.")
        assert ("uccx.symptom", "other") in {(f.name, f.value) for f in facts}
        differential = session.differential()
        assert differential.verdict == "no-match"
        assert all(c.waiting for c in differential.candidates if c.id.startswith("uccx-"))
        asked = {s.question.id for s in session.next_questions(limit=10)}
        assert not asked & UCCX_EMAIL_QUESTIONS


@pytest.mark.parametrize("ticket, family, top", [
    ("Contact centre agents: the Agent Email tab stays on Loading and the ready buttons are "
     "greyed out for everyone since this morning.", "uccx-", None),
    ("Unity Connection single inbox: one user gets no voicemail in Outlook, everyone else fine. "
     "She started last week.", "unity-", "unity-um-user-not-enabled"),
])
def test_a_symptom_the_kb_covers_still_reaches_the_products_entries(compiled, ticket, family,
                                                                     top):
    with Interview(compiled) as session:
        session.set_text(ticket)
        differential = session.differential()
        assert differential.verdict != "no-match"
        assert differential.top.id.startswith(family)
        assert top is None or differential.top.id == top
        assert not any(c.waiting for c in differential.candidates if c.id.startswith(family))


def test_a_not_in_an_ask_when_keeps_the_question_until_the_caller_says_otherwise(compiled):
    """`ask when: product is uccx; not: uccx.symptom is other`: asked while the symptom is
    unknown, not once the caller says the trouble is something else."""
    with Interview(compiled) as session:
        session.answer("product", "uccx")
        offered = {s.question.id for s in session.next_questions(limit=50)}
        assert UCCX_EMAIL_QUESTIONS <= offered
        session.answer("uccx.symptom", "other")
        offered = {s.question.id for s in session.next_questions(limit=50)}
        assert not offered & UCCX_EMAIL_QUESTIONS


@pytest.mark.parametrize("ticket, question", [
    ("TMSXE books the rooms fine and the meetings show up in TMS, but the big multi-site calls "
     "fail at start time: TMS says there are not enough routing resources on the bridge.",
     "tmsxe.symptom"),
    ("Single inbox works, voicemail shows up in Outlook fine, but the message waiting light on "
     "the desk phones stays on after the message was read in Outlook. Unity Connection 14.",
     "unity.symptom"),
])
def test_tmsxe_and_unity_tickets_about_something_else_end_no_match(compiled, ticket, question):
    """The TMSXE and Unity symptom questions have an `other` value too: the caller's words for
    what the KB does not cover answer it, the product's detail checks are turned off, and the
    verdict is no-match, not a guess among the product's entries."""
    with Interview(compiled) as session:
        facts = session.set_text(ticket)
        assert (question, "other") in {(f.name, f.value) for f in facts}
        differential = session.differential()
        assert differential.verdict == "no-match", [(c.id, c.confidence)
                                                    for c in differential.candidates[:3]]
