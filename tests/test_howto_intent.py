"""Whether a ticket asks how to do something (a procedure's runbook) or reports a fault: the
how-to score of procedures in the differential depends on it (engine.inference.ticket)."""

import pytest

from engine.inference.ticket import asks_how


@pytest.mark.parametrize("text", [
    "How do I enable SCR for SG1?",
    "Service pack on the DAG members next weekend - how exactly? Which server first?",
    "Setup finished on the first node. What do I do afterwards to get the copies back?",
    "What should I do on the standby now, before anything breaks?",
    "What do we need to do before the CU, in what order?",
    "I need SP1 on them this weekend without taking mail down. what order?",
    "We have to get CU23 on the DAG members next week, anything special?",
    "Boss asks me for a report of mails per hub in March. Can I do it from the shell?",
    "Is there a guide for moving the active databases off a DAG member?",
    "Need the enable command and the prerequisites (paths, databases per storage group).",
    "We want the exact cmdlets to turn on protocol logging for IMAP.",
    "Planning to move the mailbox server to new hardware, is there a way to keep the copy?",
    "SP1 on our DAG this weekend: what's the right order of things so we don't take an outage?",
    "Can someone give me the proper sequence for a DAG member, so I can write up the change?",
    "How would we go about moving the whole server to the DR box?",
    "What should we set up on the target ahead of time?",
    "What needs to be prepared on the standby before the cutover?",
    "What should already be set up on the standby server beforehand?",
    "Mgmt wants msgs sent per hub per week. What's the EMS one-liner?",
    "Anyone have the reg values under Windows Messaging Subsystem for the proxy server name?",
    "Is there a shell one-liner for this rather than exporting all the tracking logs to Excel?",
    "The director wants the number of emails sent through our two hubs last month.",
])
def test_questions_about_doing_something_ask_how(text):
    assert asks_how(text)


@pytest.mark.parametrize("text", [
    "Outlook shows 0x8004010F when syncing, what should I do?",
    "Mail to one domain is stuck with 451 4.4.0 DNS query failed.",
    "Store.exe keeps crashing since Tuesday, faulting module excdo.dll.",
    "We need the mail to flow again, the queues are full.",
    "The messages arrive in the wrong order since the patch.",
    "Which user first reported it? The queue is stuck since 9.",
    "We already have SP1 on all three servers and the store still crashes.",
    "Steps already taken: restarted the IMAP4 service, protocol logging on.",
    "It's set to port 143 with no encryption because that's what the vendor's guide shows.",
    "We followed the guide and the test on the service still fails.",
    "Anyone else have this problem with the scanner since Tuesday?",
    "Is there a problem with the hub since the patch? The number of queued mails keeps rising.",
])
def test_fault_reports_do_not(text):
    assert not asks_how(text)


@pytest.mark.parametrize("text", [
    "About 200 laptops need Outlook Anywhere. Can I push it with a script or registry?",
    "Which settings do I change in each profile?",
    "Can this be scripted for every PC?",
])
def test_asking_whether_it_can_be_pushed_or_which_settings_to_change_asks_how(text):
    assert asks_how(text)


def test_saying_what_someone_changed_is_not_asking_how():
    assert not asks_how("My Outlook keeps crashing, which settings did you change yesterday?")


@pytest.mark.parametrize("text, asks", [
    ("exch 2007, 2 hubs. any ems one liner?", True),
    ("Is there a one liner for that?", True),
    ("any news?", False),
    ("The scheduled task runs the export. Any script running at night?", False),
])
def test_a_bare_request_for_a_one_liner_asks_how(text, asks):
    assert asks_how(text) is asks


def test_wanting_to_know_how_many_asks_how():
    assert asks_how("The CFO wants to know how many emails went out through our two hubs.")
