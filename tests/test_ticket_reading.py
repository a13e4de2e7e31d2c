"""Reading the caller's words into answers (engine.text.reading), on a small KB written the way a
maintainer writes one: which words answer a question, which only suggest, and which say the
opposite. The real KB's phrases are exercised by the case set, the near misses and the
evaluation sets; here the reading rules themselves are pinned."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from engine.kb.loader import load_kb
from engine.text.lexicon import Lexicon
from engine.text.lines import MAX_TEXT, QUOTED_LINE, unwrap
from engine.text.reading import STRONG, TicketReader

FIXTURE = Path(__file__).parent / "fixtures" / "tui-kb"

QUESTIONS = """\
---
kind: questions
title: Questions for reading tests
---
# Questions for reading tests

## test.service-running
Is the Remote Registry service running on the server?

- type: yes/no
- why: test
- ask when: always
- phrases:
  - yes: Remote Registry service running; Remote Registry started
  - no: Remote Registry service stopped

## test.impersonation
Does the service account hold the ApplicationImpersonation role?

- type: yes/no
- why: test
- ask when: always
- phrases:
  - yes: ApplicationImpersonation role assigned
  - no: not a team mailbox

## test.hotfix
Is the update installed?

- type: yes/no
- why: test
- ask when: always
- phrases:
  - yes: KB974571 is on the server
  - no: KB974571 missing from the server

## test.shown-as
How does the console show the mailbox?

- type: choice
- choices:
  - room: a room mailbox
  - user: a user mailbox
- why: test
- ask when: always
- phrases:
  - room: shows as room mailbox
  - user: shows as user mailbox

## test.calendar
What does the user notice about the meeting status?

- type: choice
- choices:
  - none: no meeting status at all
  - one-user: one user has no meeting status, the others do
  - other-language: no meeting status since the users' language was changed
- why: test
- ask when: always
- narrower:
  - none: one-user; other-language
- phrases:
  - none: no meeting status in Jabber
  - one-user: no meeting status while colleagues are fine
  - other-language: switched the users to another language; English users work fine

## test.task
Which task?

- type: choice
- choices:
  - enable: turn the copy on
  - prepare: get the target ready
- why: test
- ask when: always
- phrases:
  - enable: enable SCR
  - prepare: prepare the target server

## test.reports
Which reports are empty?

- type: choice
- choices:
  - all: every report
  - mailbox: the mailbox report only
- why: test
- ask when: always
- phrases:
  - all: every SCOM report is empty
  - mailbox: top mailboxes report

## test.bookings
Does TMS allow bookings of the endpoint?

- type: yes/no
- why: test
- ask when: always
- phrases:
  - no: Allow Bookings set to No

## test.users
How many users?

- type: number
- unit: users
- why: test
- ask when: always
- units in text: users

## test.rtt
Round trip time?

- type: number
- unit: ms
- why: test
- ask when: always
- units in text: ms; milliseconds
"""


@pytest.fixture(scope="module")
def reader(tmp_path_factory):
    root = tmp_path_factory.mktemp("kb") / "kb"
    shutil.copytree(FIXTURE, root)
    (root / "questions" / "reading.md").write_text(QUESTIONS, encoding="utf-8")
    result = load_kb(root)
    assert not result.failed_files, result.diagnostics
    return TicketReader(result.kb, Lexicon.of(result.kb))


def said(reader, text: str) -> dict[str, str]:
    """question -> value for the readings that answer a question (strong ones)."""
    return {r.question: r.value for r in reader.read(textwrap.dedent(text))
            if r.strength >= STRONG and r.question.startswith("test.")}


def suggested(reader, text: str) -> dict[str, str]:
    """question -> value of its strongest suggestion (what the app preselects)."""
    out: dict[str, str] = {}
    for r in reader.read(textwrap.dedent(text)):
        if r.strength < STRONG and r.question.startswith("test."):
            out.setdefault(r.question, r.value)
    return out


def test_the_words_of_a_phrase_in_any_order_answer_it(reader):
    assert said(reader, "The service Remote Registry is running again.") == {
        "test.service-running": "yes"}


def test_a_negation_turns_a_yes_no_reading_around(reader):
    assert said(reader, "Remote Registry service is not running on EX01.") == {
        "test.service-running": "no"}
    assert said(reader, "Nobody started Remote Registry after patching.") == {
        "test.service-running": "no"}


def test_a_negation_behind_a_comma_does_not_reach(reader):
    assert said(reader, "Nothing helped, the Remote Registry service is running.") == {
        "test.service-running": "yes"}


def test_words_read_across_a_comma_are_negated_by_what_follows_the_comma(reader):
    # "not" is about the first part; "running" after the comma is said as it stands
    text = "Remote Registry service: nobody touched it, running on all nodes."
    assert suggested(reader, text) == {"test.service-running": "yes"}


def test_a_negation_right_before_the_words_reaches_across_a_colon(reader):
    # "not failing completely: the UM test passes": the "not" is about the words it precedes
    assert said(reader, "Not running: the Remote Registry service on EX02.") == {
        "test.service-running": "no"}
    # a negation further back is about something else: "key: value" after it is said as is
    assert said(reader, "Nothing changed on EX02: Remote Registry service is running.") == {
        "test.service-running": "yes"}


def test_a_negation_right_after_the_words_is_about_them(reader):
    assert said(reader, 'UM service: "Remote Registry service running" not ticked.') == {
        "test.service-running": "no"}
    assert said(reader, "Remote Registry service running, nothing else changed.") == {
        "test.service-running": "yes"}


def test_a_phrase_that_says_how_many_needs_the_ticket_to_say_it_too(reader):
    # "every" is a stop word: without the rule "the report came out of SCOM empty" would have
    # all the words of "every SCOM report is empty"
    assert said(reader, "Every SCOM report is empty since Monday.") == {"test.reports": "all"}
    assert said(reader, "All our SCOM reports come out empty.") == {"test.reports": "all"}
    assert said(reader, "The report came out of SCOM completely empty.") == {}
    assert suggested(reader, "The report came out of SCOM completely empty.") == {
        "test.reports": "all"}


def test_a_task_said_as_done_is_not_the_task_asked_for(reader):
    # the task verb after its object, in the past: what is so, not what the caller wants done
    text = "SCR from EX1 to EXDR enabled in May and healthy since."
    assert said(reader, text) == {}
    assert suggested(reader, text) == {"test.task": "enable"}
    assert said(reader, "We need SCR from EX1 to EXDR enabled for SG2.") == {
        "test.task": "enable"}
    assert said(reader, "How do I enable SCR from EX1 to EXDR?") == {"test.task": "enable"}


def test_a_negation_that_ends_a_phrase_is_read_right_after_its_words(reader):
    assert said(reader, "In TMS the endpoint's Allow Bookings setting is No.") == {
        "test.bookings": "no"}
    assert said(reader, "Allow Bookings is set to No for the endpoint.") == {
        "test.bookings": "no"}
    assert said(reader, "In TMS the endpoint's Allow Bookings setting is Yes.") == {}


def test_it_stands_for_a_name_said_before_in_the_line(reader):
    text = "Support said to remove KB974571 but it is not on the server at all."
    assert said(reader, text) == {"test.hotfix": "no"}
    text = "Read about KB974571 - not our case, that update is not on the server."
    assert said(reader, text) == {"test.hotfix": "no"}
    # nothing stands for the name here
    assert said(reader, "KB974571 came up in a forum; the server itself is fine.") == {}


def test_a_negation_drops_a_choice_reading(reader):
    assert "test.shown-as" not in said(reader, "It never shows as a room mailbox.")


def test_a_phrase_with_its_own_negation_needs_one_in_the_ticket(reader):
    assert said(reader, "Someone on the team opened the mailbox.") == {}
    assert said(reader, "It is not a team mailbox.") == {"test.impersonation": "no"}


def test_case_does_not_matter(reader):
    assert said(reader, "the applicationimpersonation role was assigned yesterday") == {
        "test.impersonation": "yes"}


def test_a_hard_wrapped_sentence_is_read_as_one(reader):
    assert said(reader, """\
        After the patch weekend we found the Remote Registry
        service stopped on both mailbox servers.
        """) == {"test.service-running": "no"}


def test_a_wrap_before_a_number_and_a_word_carries_the_sentence_on():
    text = ("HQ sent me an old internal how-to for our DAG members that talks about service pack\n"
            "1 for Exchange 2010, but our servers run a newer version.")
    assert unwrap(text).split("\n")[0].endswith("service pack 1 for Exchange 2010, but our "
                                                  "servers run a newer version.")
    # a numbered step, a date or a time starts a line of its own
    for line in ("1. Stop the service", "2026-12-01 10:00:01 SMTP 421 4.3.2",
                 "10:42 node came back"):
        text = "The admin on the night shift wrote these steps down in the ticket for us\n" + line
        assert unwrap(text).split("\n")[1] == line


def test_the_dot_of_an_abbreviation_does_not_end_the_clause(reader):
    # "incl." is not a sentence end: the phrase is read across it
    text = "The Remote Registry service incl. its dependencies is running on every node."
    assert said(reader, text) == {"test.service-running": "yes"}


def test_a_new_line_that_starts_a_sentence_is_a_new_clause(reader):
    assert said(reader, """\
        Remote Registry
        Service desk says it is running
        """) == {}


def test_a_dot_inside_a_name_or_a_version_does_not_end_the_clause(reader):
    # "store.exe", "ese.dll", "8.5(1)": a clause ends at a dot followed by a space or the end
    assert said(reader, "Remote Registry service on EX01.contoso.local is running") == {
        "test.service-running": "yes"}
    assert said(reader, "Remote Registry service is not running. KB974571 is on the server.") \
        == {"test.service-running": "no", "test.hotfix": "yes"}


def test_a_question_only_suggests(reader):
    text = "Could it be that the Remote Registry service stopped?"
    assert said(reader, text) == {}
    assert suggested(reader, text) == {"test.service-running": "no"}


def test_a_statement_before_a_question_after_a_comma_is_said(reader):
    text = "The Remote Registry service is running on both nodes, why does the DAG not start?"
    assert said(reader, text) == {"test.service-running": "yes"}
    text = "Is the Remote Registry service running on both nodes, or stopped?"
    assert said(reader, text) == {}


def test_a_question_that_asks_how_says_which_task_it_is(reader):
    # "How do I ...?" asks for the task named: a choice is read from it, not only suggested;
    # a yes/no is not ("how do I check the service is running?" does not say it runs)
    assert said(reader, "How do I get it to show as a room mailbox again?") == \
        {"test.shown-as": "room"}
    assert said(reader, "How do I check the Remote Registry service is running?") == {}
    assert said(reader, "Does it show as a room mailbox?") == {}


def test_words_read_across_a_comma_only_suggest(reader):
    text = "Rooms show as room mailboxes, whereas before they were plain user accounts."
    assert said(reader, text) == {"test.shown-as": "room"}
    user = [r for r in reader.read(text) if (r.question, r.value) == ("test.shown-as", "user")]
    assert user and all(r.strength < STRONG for r in user)


def test_a_comma_that_goes_on_about_the_same_thing_does_not_break_a_phrase(reader):
    text = "Checked the Remote Registry service on each node, it's running everywhere."
    assert said(reader, text) == {"test.service-running": "yes"}
    text = "Checked the Remote Registry service on each node, and the cluster is running."
    assert said(reader, text) == {}


def test_a_repeat_of_a_word_does_not_widen_the_span(reader):
    # "running ... running": the span ends at the first "running", before the negation
    text = "Remote Registry service running, it does not stop and is still running"
    assert said(reader, text) == {"test.service-running": "yes"}


def test_words_every_answer_has_do_not_suggest_one(reader):
    # "shows ... mailbox" is in the phrases of both answers: it says neither
    assert suggested(reader, "The mailboxes all show fine in the console.") == {}
    assert suggested(reader, "It shows as a room in the console.") == {"test.shown-as": "room"}


def test_the_questions_own_words_do_not_suggest_a_yes_or_no(reader):
    # "ApplicationImpersonation role" is what the question asks about, not its answer
    text = "We need to look at the ApplicationImpersonation role for the Unity account."
    assert suggested(reader, text) == {}
    assert suggested(reader, "ApplicationImpersonation was assigned to it.") == \
        {"test.impersonation": "yes"}


def test_what_an_exception_qualifies_is_not_said_outright(reader):
    text = "The Remote Registry service is running except on the two new servers."
    assert said(reader, text) == {}
    assert suggested(reader, text) == {"test.service-running": "yes"}


def test_what_was_done_before_only_suggests_a_choice(reader):
    # "set up in advance": history, not which answer it is now; a yes/no fact stays said
    text = "We had the room set up in advance so that it shows as a room mailbox."
    assert said(reader, text) == {}
    assert suggested(reader, text) == {"test.shown-as": "room"}
    assert said(reader, "We already started the Remote Registry service.") == {
        "test.service-running": "yes"}
    # "last month", "a while back": what was done then, not which one it is now
    text = "It was made to show as a room mailbox a while back, and that worked."
    assert said(reader, text) == {}
    assert suggested(reader, text) == {"test.shown-as": "room"}
    # a task the caller says they did ("we showed" for "shows as") is what was done then
    text = "We showed it as a room mailbox for the demo."
    assert said(reader, text) == {}
    assert said(reader, "The console shows it as a room mailbox.") == {"test.shown-as": "room"}
    assert said(reader, "The console showed it as a room mailbox.") == {"test.shown-as": "room"}
    # "at first", "on the first try": what it was then, not what it is now
    text = "At first the console showed it as a room mailbox. Now it is fine."
    assert said(reader, text) == {}
    assert suggested(reader, text) == {"test.shown-as": "room"}


def test_what_the_others_have_is_not_the_callers_answer(reader):
    # "the other mailboxes": those the problem spares, not the one the ticket is about
    text = "Mine is broken. The other mailboxes show as room mailbox, as they should."
    assert said(reader, text) == {}
    assert suggested(reader, text) == {"test.shown-as": "room"}
    # or said of them right after the words
    text = "Mine is broken; it shows as room mailbox for everyone else."
    assert said(reader, text) == {}
    assert suggested(reader, text) == {"test.shown-as": "room"}
    # unless the phrase itself is about the others
    assert said(reader, "No meeting status for Anna while colleagues are fine.") == {
        "test.calendar": "one-user"}


def test_an_open_quotation_carries_on_the_next_line(reader):
    text = 'The console says "it shows as room\nmailbox" now.\nSecond line.'
    assert unwrap(text) == 'The console says "it shows as room mailbox" now.\n\nSecond line.'
    wrapped = 'The console says "it shows as room\nMailbox" for Harbour.'
    assert said(reader, wrapped) == {"test.shown-as": "room"}
    # a line that ends a sentence, or a new one that starts with a capital, stays apart
    assert unwrap("It stopped.\nRemote Registry is running") == \
        "It stopped.\nRemote Registry is running"


def test_a_long_line_a_mail_client_broke_mid_sentence_carries_on():
    text = ("Only change I know of: the Exchange team did an IIS hardening and switched off Basic"
            " auth on\nEWS and Autodiscover, so only Windows auth is left there.\nNext line.")
    assert unwrap(text).split("\n")[0].endswith("auth on EWS and Autodiscover, so only Windows "
                                                 "auth is left there.")
    assert unwrap(text).count("\n") == text.count("\n")
    # an event's or a header's lines, a short line and a finished sentence stay apart
    event = ("Description: The Microsoft Exchange Information Store service could not start the"
             " database\nEvent ID: 15004")
    assert unwrap(event) == event
    assert unwrap("Remote Registry on MBX1\nService desk says it runs") == \
        "Remote Registry on MBX1\nService desk says it runs"
    # the wrap may fall right before a quotation
    quoted = ("Funny thing: it's only the PCs in the branch office that got the new antivirus\n"
              '"Mail Shield" last month, nothing else changed.')
    assert unwrap(quoted).split("\n")[0].endswith('antivirus "Mail Shield" last month, nothing '
                                                   'else changed.')
    log = "2024-05-01T10:00:00.000Z,MBX1,POP3 session for user@contoso.com failed with error x\n" \
          "2024-05-01T10:00:01.000Z,MBX1,next row"
    assert unwrap(log) == log
    # prose with a cmdlet's long words in it is still prose: "No" / "UidCorruptionDetected ..."
    notes = ("Engineer notes: turned on IMAP protocol logging with Set-ImapSettings "
             "-ProtocolLogEnabled $true. No\nUidCorruptionDetected anywhere for the mailbox.")
    assert unwrap(notes).split("\n")[0].endswith("$true. No UidCorruptionDetected anywhere for "
                                                  "the mailbox.")


def test_unwrapping_a_huge_paste_keeps_its_lines_and_bounds_them():
    quoted = 'Start "an open quote\n' + "At Foo.bar(Foo.java:12)\n" * 50_000
    out = unwrap(quoted)
    assert out.count("\n") == quoted.count("\n")
    assert max(map(len, out.split("\n"))) < QUOTED_LINE + 40      # the quote carries a little
    chained = "the line goes on without a stop\n" * 50_000
    out = unwrap(chained)
    assert out.count("\n") == chained.count("\n")
    assert max(map(len, out.split("\n"))) < MAX_TEXT + 40


def test_the_longer_phrase_wins_when_a_ticket_says_both(reader):
    assert said(reader, "I checked: KB974571 is missing from the server.") == {
        "test.hotfix": "no"}


def test_two_equal_readings_become_a_suggestion(reader):
    text = "Remote Registry service running on EX01 and Remote Registry service stopped on EX02"
    assert said(reader, text) == {}
    assert "test.service-running" in suggested(reader, text)


def test_words_for_a_narrower_answer_keep_the_general_one_from_ruling_it_out(reader):
    # "no meeting status" alone says the general answer
    assert said(reader, "No meeting status in Jabber for anyone.") == {"test.calendar": "none"}
    # with the narrower answer said outright, that one stands
    text = "Since we switched the users to another language: no meeting status in Jabber."
    assert said(reader, text) == {"test.calendar": "other-language"}
    # with the narrower answer only suggested, neither is settled: the question is asked,
    # the narrower answer preselected, and nothing rules its entry out
    text = "No meeting status in Jabber for the Munich office. The English users are fine."
    assert said(reader, text) == {}
    assert suggested(reader, text) == {"test.calendar": "other-language"}


def test_numbers_with_units(reader):
    assert said(reader, "About 3,000 users, and the RTT is 90 ms.") == {
        "test.users": "3000", "test.rtt": "90"}
    assert said(reader, "round trips of 120 milliseconds") == {"test.rtt": "120"}
    # the unit written onto the number, an acronym between the number and its unit
    assert said(reader, "ping from the CLI ~95ms avg") == {"test.rtt": "95"}
    assert said(reader, "about 4,200 SI users") == {"test.users": "4200"}


def test_a_year_after_a_product_name_is_a_version_not_a_count(reader):
    assert said(reader, "All Exchange 2016 users are affected.") == {}
    assert said(reader, "We have 2016 users on that server.") == {"test.users": "2016"}


def test_the_source_words_are_the_callers(reader):
    reading = next(r for r in reader.read("Yes, the Remote Registry service is running now.")
                   if r.question == "test.service-running")
    assert reading.words == "Remote Registry service is running"
    assert reading.line_no == 1


def test_only_the_first_part_of_a_huge_ticket_is_read(reader):
    text = "x " * MAX_TEXT + "Remote Registry service stopped"
    assert said(reader, text) == {}


def test_a_statement_taken_back_by_but_not_only_suggests(reader):
    text = "The Remote Registry service is running on EX01 but not on EX02."
    assert said(reader, text) == {}
    assert suggested(reader, text) == {"test.service-running": "yes"}


def test_a_guess_at_the_culprit_only_suggests(reader):
    # someone's theory is not what the caller saw: a suggestion, for a choice or a yes/no
    text = "The desk thinks it's because it shows as room mailbox."
    assert said(reader, text) == {}
    assert suggested(reader, text) == {"test.shown-as": "room"}
    text = "Maybe the Remote Registry service stopped on EX01."
    assert said(reader, text) == {}
    assert suggested(reader, text) == {"test.service-running": "no"}
    # a guess in brackets, or one the caller goes on from ("and we ..."), ends there
    assert said(reader, "Low volume (maybe 200 a day) and we saw Remote Registry started.") \
        == {"test.service-running": "yes"}


def test_zero_is_a_negation(reader):
    assert said(reader, "Zero Remote Registry service running on the nodes.") == {
        "test.service-running": "no"}


def test_what_worked_in_the_pilot_is_history(reader):
    text = "It showed as room mailbox and worked fine in the pilot, now users complain."
    assert said(reader, text) == {}
    assert suggested(reader, text) == {"test.shown-as": "room"}


def test_what_the_caller_means_to_do_only_suggests(reader):
    # "we need to raise ...", "I'll restart ...", "should we ...": not done, not so
    for text in ("We need to start the Remote Registry service on EX01.",
                 "I'm going to assign the ApplicationImpersonation role tonight.",
                 "Should we assign the ApplicationImpersonation role?"):
        assert said(reader, text) == {}, text
    assert suggested(reader, "We need to start the Remote Registry service on EX01.") == {
        "test.service-running": "yes"}
    assert said(reader, "We started the Remote Registry service on EX01.") == {
        "test.service-running": "yes"}


@pytest.mark.parametrize("text, answer", [
    ("Asked if the Remote Registry service is running: no, stopped on both.", "no"),
    ("Checked whether the Remote Registry service is running - yes, on all nodes.", "yes"),
    ("asked him if ApplicationImpersonation role assigned? no", "no"),
])
def test_a_question_put_to_the_caller_is_answered_by_the_reply(reader, text, answer):
    question = "test.service-running" if "Registry" in text else "test.impersonation"
    assert said(reader, text) == {question: answer}
    # the words shown as the source carry the reply, so the helpdesk person sees why
    reading = next(r for r in reader.read(text) if r.question == question)
    assert reading.words.rstrip().endswith(answer)


@pytest.mark.parametrize("reply, answer", [("User: no, it shows Stopped", "no"),
                                           ("yep, checked on both nodes", "yes"),
                                           ("Caller: Nope.", "no")])
def test_a_chat_question_is_answered_by_the_next_lines_reply(reader, reply, answer):
    text = f"Agent: Is the Remote Registry service running on EX01?\n{reply}\n"
    assert said(reader, text) == {"test.service-running": answer}


def test_a_chat_reply_is_shown_with_the_question_it_answers(reader):
    text = "Agent: Is the Remote Registry service running on EX01?\nUser: yep, on both\n"
    [reading] = [r for r in reader.read(text) if r.question == "test.service-running"]
    assert reading.words.endswith("? yep")


@pytest.mark.parametrize("text", [
    "Agent: Is the Remote Registry service running?\nUser: no idea, I can't log on there\n",
    "Agent: Is the Remote Registry service running, or stopped?\nUser: no clue\n",
    "Agent: Is the Remote Registry service running?\nUser: I think so\n"])
def test_a_chat_question_without_a_plain_yes_or_no_only_suggests(reader, text):
    assert said(reader, text) == {}
    assert "test.service-running" in suggested(reader, text)


@pytest.mark.parametrize("text", [
    "Asked if the Remote Registry service is running, he did not know.",
    "Asked if the Remote Registry service is running: not sure.",
    "Asked if the Remote Registry service is running: no idea, will check.",
])
def test_a_question_put_to_the_caller_without_a_reply_only_suggests(reader, text):
    assert said(reader, text) == {}
    assert suggested(reader, text) == {"test.service-running": "yes"}


@pytest.mark.parametrize("text", [
    "Remote Registry is disabled on EX01. Plan: set the Remote Registry service running again.",
    "Options: get the Remote Registry service running, or rebuild the node.",
    "Action plan: Remote Registry service running on all nodes, then retry."])
def test_an_engineers_plan_is_not_what_is_so(reader, text):
    assert said(reader, text).get("test.service-running") != "yes"


def test_a_next_line_in_handover_notes_is_a_plan(reader):
    text = ("- checked EX02, nothing odd in the app log\n"
            "Next: Remote Registry service running again on EX02, then retry.")
    assert said(reader, text).get("test.service-running") != "yes"


@pytest.mark.parametrize("text, answer", [
    # dictated, no full stop: the negation is the earlier verb's, a new subject starts after it
    ("the node won't come up um we got the Remote Registry service running on it though", "yes"),
    ("it can't reach the share at all the Remote Registry service is running on both", "yes"),
    # what the caller thinks or says is still negated
    ("I don't think the Remote Registry service is running on it", "no"),
    ("nobody said the Remote Registry service is running", "no"),
    # a quantifier's negation is the subject's: "none of ... has been moved"
    ("none of the four nodes' Remote Registry service is running", "no"),
])
def test_a_negation_does_not_reach_into_the_next_dictated_clause(reader, text, answer):
    assert said(reader, text).get("test.service-running") == answer


def test_what_was_found_the_last_time_it_happened_only_suggests(reader):
    text = ("Last time this happened we found the Remote Registry service stopped, so I looked "
            "again today.")
    assert said(reader, text) == {}
    assert suggested(reader, text) == {"test.service-running": "no"}
    # said of now, with the other occurrence after it
    text = "Remote Registry service running on both, we had that problem the last time."
    assert said(reader, text) == {"test.service-running": "yes"}


def test_what_a_cause_can_do_in_general_is_not_said(reader):
    text = ("I'd read that this can be caused by the Remote Registry service stopped after "
            "patching, so I checked, and the Remote Registry started fine on all nodes.")
    assert said(reader, text) == {"test.service-running": "yes"}


@pytest.mark.parametrize("text", [
    "Hypotheses: Remote Registry service stopped - ruled out (both nodes checked).",
    "- ~~Remote Registry service stopped~~ checked, fine",
])
def test_a_hypothesis_crossed_off_is_denied(reader, text):
    assert said(reader, text) == {"test.service-running": "yes"}


def test_a_plan_for_a_case_that_may_come_is_not_what_is_so(reader):
    text = ("The DR plan says if a node dies we find the Remote Registry service stopped and "
            "start it.")
    assert said(reader, text) == {}


def test_a_level_one_guess_label_makes_a_guess(reader):
    text = "L1 guess: the Remote Registry service stopped on the node."
    assert said(reader, text) == {}


def test_what_is_so_now_wins_over_what_was_so_before(reader):
    # the same question answered both ways: the part without a history word is the answer
    text = ("Last year's problem was the Remote Registry service stopped after patching, so I "
            "checked: the Remote Registry service is running on all five nodes.")
    assert said(reader, text) == {"test.service-running": "yes"}
    # "before" at the end of a clause is history too (a choice read there only suggests)
    text = "It shows as room mailbox before (the migration), users complain now."
    assert said(reader, text) == {}


def test_yet_starts_a_new_clause_a_negation_before_it_does_not_reach_past_it(reader):
    text = "Capture shows NO LOGIN yet the Remote Registry service running on EX02."
    assert said(reader, text) == {"test.service-running": "yes"}
    assert said(reader, "The Remote Registry service not yet running.") == {
        "test.service-running": "no"}


def test_today_after_a_comma_starts_what_is_so_now(reader):
    # "installed fine months ago, today ...": the history word stays in its own clause
    text = "It was installed fine months ago, today it shows as room mailbox."
    assert said(reader, text) == {"test.shown-as": "room"}


def test_a_sentence_ended_inside_a_quote_ends_its_negation_there(reader):
    # `"... NO AUTHENTICATE failed." Remote Registry ...`: the NO is the quoted reply's
    text = ('The capture shows "A1 NO AUTHENTICATE failed." Remote Registry service running '
            'on all nodes.')
    assert said(reader, text) == {"test.service-running": "yes"}


def test_what_the_caller_wondered_about_is_not_said(reader):
    text = "She wondered if the Remote Registry service stopped; checked, it is fine."
    assert said(reader, text) == {}


@pytest.mark.parametrize("text", [
    "A blog says the Remote Registry service stopped after the migration; should we restart it?",
    "Found an old blog saying the Remote Registry service stopped is the usual cause.",
    "Read a blog about the Remote Registry service stopped after patching, so I rebooted.",
    "I saw something online about Remote Registry service stopped on DAG members.",
])
def test_a_claim_from_a_blog_or_a_vendor_is_not_said(reader, text):
    assert said(reader, text) == {}
