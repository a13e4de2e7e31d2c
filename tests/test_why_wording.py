"""WHY a question is asked and HOW a diagnosis was reached, as the helpdesk reads them (issue
16): one plain sentence per answer, on the real KB."""

import pytest

from engine.inference.compiled import CompiledKB
from engine.inference.interview import Interview


@pytest.fixture(scope="module")
def knowledge(real_kb):
    with CompiledKB(real_kb.kb) as k:
        yield k


@pytest.fixture
def session(knowledge):
    with Interview(knowledge) as s:
        yield s


def asked(session, question_id):
    assert question_id in [s.question.id for s in session.next_questions(limit=50)]
    return session.why(question_id)


def test_a_yes_no_question_says_what_each_answer_does(session):
    session.answer("product", "uccx")
    assert asked(session, "uccx.telnet-143") == (
        "If the IMAP port cannot be reached at all the cause is the network or the IMAP "
        "service, not throttling.\n"
        "Yes: points to uccx-imap-connection-limit; rules out uccx-imap-port-unreachable.\n"
        "No: points to uccx-imap-port-unreachable; rules out uccx-imap-connection-limit.\n"
        "Unknown: the interview goes on with other questions.")


def test_an_answer_that_leaves_one_candidate_says_so(session):
    session.answer("product", "client")
    assert asked(session, "client.protocol") == (
        "Each protocol has its own limits and logs.\n"
        "IMAP (an application or a mail client set up for IMAP): points to imap-uid-corruption "
        "(it would then be the only one left); rules out autodiscover-external-outlook-anywhere "
        "and pop3-user-connection-limit.\n"
        "POP3: points to pop3-user-connection-limit (it would then be the only one left); rules "
        "out autodiscover-external-outlook-anywhere and imap-uid-corruption.\n"
        "Outlook from outside the office (Outlook Anywhere): points to "
        "autodiscover-external-outlook-anywhere (it would then be the only one left); rules out "
        "imap-uid-corruption and pop3-user-connection-limit.\n"
        "Unknown: the interview goes on with other questions.")


def test_many_candidates_are_counted_not_listed(session):
    lines = asked(session, "product").splitlines()
    assert lines[0] == "It decides which part of the knowledge base applies, so it is asked first."
    office = next(line for line in lines if line.startswith("Office Communications Server"))
    assert office == ("Office Communications Server 2007 / 2007 R2: points to "
                      "ocs-activation-fails-kb974571 (it would then be the only one left); "
                      "rules out 50 others.")
    assert lines[-1] == "Unknown: the interview goes on with other questions."


def test_the_question_that_checks_the_leader_after_a_ticket(session):
    session.set_text("UCCX email account and the view information store status permission")
    first = session.next_questions()[0]
    # what rules it out comes first: the answers that do are named
    assert (first.question.id, first.confirms) == ("uccx.symptom",
                                                   "uccx-view-information-store-status")
    why = session.why("uccx.symptom").split("\n")
    assert ("Agents' replies go out late or are rejected: rules "
            "uccx-view-information-store-status out.") in why
    # the other symptoms are no evidence for it: they only leave it possible
    assert ("Agent email gets slow or fails when many agents work: leaves "
            "uccx-view-information-store-status possible.") in why
    session.answer("uccx.symptom", "emails-not-routed")
    first = session.next_questions()[0]
    assert first.confirms == "uccx-view-information-store-status"
    assert session.why(first.question.id) == (
        "UCCX needs it to read the mailbox store status.\n"
        "It checks the leading candidate, uccx-view-information-store-status: it fits what we "
        "know, but its rule does not hold yet.\n"
        "Yes: rules uccx-view-information-store-status out.\n"
        "No: supports uccx-view-information-store-status.\n"
        "Unknown: the interview goes on with other questions.")


def test_an_answer_that_would_rule_out_everything_says_so():
    from engine.inference.explain import _effect

    assert _effect([], ["a", "b"], {"a", "b"}) == \
        "rules out every candidate still in the running (a and b)"
    assert _effect([], [], {"a", "b"}, ["a"]) == "makes a less likely"
    assert _effect([], [], {"a", "b"}) == "does not tell the leading candidates apart"


def test_no_option_of_any_question_reads_none_of_the_leading_candidates(knowledge):
    for product in ("", "tmsxe", "unity", "imp", "uccx", "client", "exchange", "scom"):
        with Interview(knowledge) as session:
            if product:
                session.answer("product", product)
            for suggestion in session.next_questions(limit=50):
                text = session.why(suggestion.question.id)
                assert "none of the leading" not in text and "points to:" not in text
                lines = text.splitlines()
                for value, label in suggestion.question.options():
                    if value in suggestion.splits:      # every answer planned over has its line
                        assert any(line.startswith(f"{label}: ") for line in lines), label
                assert all(line.endswith(".") for line in lines), text


def test_how_in_sentences(session):
    session.set_text("UCCX email account and the view information store status permission")
    assert session.how().summary() == (
        "Of its rule, product is uccx holds. Still to learn: uccx.view-store-status is no and "
        "uccx.symptom is not one of outbound-throttled, other. The ticket mentions 'store "
        "status', 'view information', 'information store' and 'email account'.")
    session.answer("uccx.symptom", "emails-not-routed")
    session.answer("uccx.view-store-status", "no")
    assert session.how().summary().startswith(
        "Its rule holds: product is uccx, uccx.view-store-status is no and uccx.symptom is not "
        "one of outbound-throttled, other.")


def test_how_does_not_list_the_other_ways_of_an_any_of_that_holds(session):
    # imp-calendar-state-after-mailbox-move: any of (the symptom says the move, or a move
    # confirmed with another symptom); the symptom says it, so the move is not "still to learn"
    session.answer("product", "imp")
    session.answer("imp.symptom", "stopped-after-move")
    how = session.how("imp-calendar-state-after-mailbox-move")
    shown = [c.as_dict()["condition"] for c in how.conditions]
    assert "imp.symptom is stopped-after-move" in shown
    assert "mailbox.moved-recently is yes" not in shown
    assert "mailbox.moved-recently is yes" not in " ".join(
        session.open_conditions("imp-calendar-state-after-mailbox-move"))


def test_an_at_least_that_holds_lists_only_the_ways_that_hold():
    from engine.inference.explain import conditions
    from engine.inference.truth import FactView
    from engine.kb.models import Atom, Group

    def atom(fact):
        return Atom(kind="atom", fact=fact, op="is", values=("no",), line=0)

    rule = Group(kind="group", op="at_least", count=2, line=0,
                 items=(atom("a"), atom("b"), atom("c")))
    view = FactView({"a": frozenset({"no"}), "b": frozenset({"no"})}, lambda name: name == "c")
    assert [c.state for c in conditions(rule, view)] == ["met", "met"]
    view = FactView({"a": frozenset({"no"})}, lambda name: name in ("b", "c"))
    assert [c.state for c in conditions(rule, view)] == ["met", "open", "open"]
