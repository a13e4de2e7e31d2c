"""The interview API the CLI and the TUI drive, on the real KB: facts with their sources,
answers that can be changed or taken back, evidence that answers questions, HOW / WHY, and
fixes with placeholders filled from the evidence."""

import pytest

from engine.evidence.scanner import EvidenceError
from engine.inference.compiled import CompiledKB
from engine.inference.interview import AnswerError, Interview
from engine.inference.report import report

IMAP_LOG = "\r\n".join([
    "#Software: Microsoft Exchange Server",
    "#Log-type: IMAP4 Protocol Log",
    "#Fields: dateTime,sessionId,seqNumber,sIP,cIP,user,duration,rqsize,rpsize,command,parameters,context",
    "2024-05-02T09:12:44.061Z,0000000000001A2F,2,10.10.5.21:1993,10.10.5.20:61322,crm-inbox@contoso.com,139,31,33,authenticate,PLAIN,R=OK,",
    "2024-05-02T09:12:45.645Z,0000000000001A2F,4,10.10.5.21:1993,10.10.5.20:61322,crm-inbox@contoso.com,1543,27,121,select,INBOX,R=OK;Rows=40211;Recent=0;Msg=UidCorruptionDetected13;Unseen=1240,",
    "2024-05-02T09:12:47.322Z,0000000000001A2F,6,10.10.5.21:1993,10.10.5.20:61322,crm-inbox@contoso.com,3,9,84,logout,,R=OK,",
]) + "\r\n"


@pytest.fixture(scope="module")
def knowledge(real_kb):
    with CompiledKB(real_kb.kb) as k:
        yield k


@pytest.fixture
def session(knowledge):
    with Interview(knowledge) as s:
        yield s


def test_the_first_question_is_which_product(session):
    assert session.differential().verdict == "no-match"       # nothing known yet
    first = session.next_questions()[0]
    assert first.question.id == "product"
    assert "imp-cert-san-mismatch" in first.splits["imp"]
    assert "imp-cert-san-mismatch" not in first.splits["unity"]


def test_every_fact_knows_its_source(session, tmp_path):
    log = tmp_path / "IMAP4BE20240502-1.LOG"
    log.write_bytes(b"\xff\xfe" + IMAP_LOG.encode("utf-16-le"))
    session.set_text("Our CRM pulls the crm-inbox mailbox over IMAP and now gets errors")
    session.add_evidence_file(log)
    session.answer("product", "client")
    facts = {(f.name, f.value): f.source for f in session.facts()}
    answer = facts[("product", "client")]
    assert (answer.kind, answer.ref) == ("answer", "product")
    hit = facts[("imap.log-error", "uid-corruption")]
    assert hit.kind == "evidence" and hit.ref == log.name and hit.line_no == 5
    assert "UidCorruptionDetected13" in hit.line
    assert hit.describe().startswith(f"{log.name}:5 ")


def test_a_derived_fact_names_its_rule_and_the_facts_it_came_from(session):
    session.add_evidence_text("Presence Gateway status:\n"
                              "SSL Connection/Certificate Verification Failed - SAN Mismatch\n")
    derived = {f.name: f.source for f in session.facts() if f.source.kind == "rule"}
    assert derived["cert.host-name-covered"].ref == "derived:cert.host-name-covered=no"
    assert ("tls.error", "name-mismatch") in derived["cert.host-name-covered"].facts
    # a certificate whose name does not match is not thereby untrusted (or missing)
    assert "cert.trusted" not in derived


def test_a_decisive_signature_is_confident_and_explains_how(session):
    session.add_evidence_text("SSL Connection/Certificate Verification Failed - SAN Mismatch")
    differential = session.differential()
    assert differential.verdict == "confident"
    assert differential.top.id == "imp-cert-san-mismatch"
    how = session.how()
    assert {c.state for c in how.conditions} == {"met"}
    assert any(f.source.kind == "evidence" for f in how.facts)
    assert how.runner_up and how.runner_up_lacks      # what the runner-up is missing
    assert session.next_questions() == []             # nothing left to ask


def test_evidence_answers_questions_so_they_are_not_asked(session):
    session.add_evidence_text("SSL Connection/Certificate Verification Failed - SAN Mismatch")
    session.rule_out("imp-cert-san-mismatch")          # keep the interview going
    asked = {s.question.id for s in session.next_questions(limit=50)}
    assert "product" not in asked and "imp.gateway-status" not in asked


def test_an_answered_question_is_never_asked_again(session):
    session.answer("product", "uccx")
    session.answer("uccx.telnet-143", "unknown")       # "unknown" is an answer too
    asked = {s.question.id for s in session.next_questions(limit=50)}
    assert "product" not in asked and "uccx.telnet-143" not in asked


def test_changing_an_answer_replays_the_session(session):
    session.answer("product", "uccx")
    session.answer("uccx.telnet-143", "no")
    assert session.differential().top.id == "uccx-imap-port-unreachable"
    assert ("exchange.reachable", "no") in {(f.name, f.value) for f in session.facts()}
    session.answer("uccx.telnet-143", "yes")           # the caller corrects themselves
    facts = {(f.name, f.value) for f in session.facts()}
    assert ("exchange.reachable", "no") not in facts   # the derived fact went with it
    assert session.differential().top.id != "uccx-imap-port-unreachable"
    session.retract("uccx.telnet-143")
    assert "uccx.telnet-143" in {s.question.id for s in session.next_questions(limit=50)}


def test_ruling_out_moves_to_the_next_candidate(session):
    session.add_evidence_text("SSL Connection/Certificate Verification Failed - SAN Mismatch")
    session.rule_out("imp-cert-san-mismatch")
    differential = session.differential()
    assert differential.top.id != "imp-cert-san-mismatch"
    assert "imp-cert-san-mismatch" in differential.excluded


def test_why_names_the_candidates_each_answer_points_to_or_rules_out(session):
    session.answer("product", "uccx")
    suggestion = session.next_questions()[0]
    text = session.why(suggestion.question.id)
    assert ": points to " in text and any(cid in text for cid in suggestion.cares)
    telnet = next(s for s in session.next_questions(limit=50) if s.question.id == "uccx.telnet-143")
    assert "uccx-imap-port-unreachable" in telnet.splits["no"]
    assert "uccx-imap-port-unreachable" not in telnet.splits["yes"]


def test_fix_commands_get_values_captured_from_evidence(session):
    session.answer("product", "client")
    session.add_evidence_text(IMAP_LOG, "imap.log")
    assert session.differential().top.id == "imap-uid-corruption"
    fix = session.fix("imap-uid-corruption")
    commands = [code for step in fix.steps for _, code in step.commands]
    assert any("New-MailboxRepairRequest -Mailbox 'crm-inbox@contoso.com'" in c for c in commands)
    assert fix.filled["mailbox"] == "crm-inbox@contoso.com"
    assert "<mailbox>" not in fix.verify


def test_a_how_to_ticket_gets_the_procedure(session):
    session.set_text("How do I switch our users over to the standby (SCR) copy of the storage "
                     "group on the DR server? The database name will be different there.")
    top = session.differential().top
    assert top.kind == "procedure"
    assert top.id.startswith("scr-activation")


def test_a_procedure_nobody_asked_for_is_never_the_confident_answer(session):
    # everything else is ruled out and the logging procedure sounds like the ticket, but the
    # caller reports a fault ("Steps already taken" is a form's field, not a request for steps)
    session.set_text("Affected service: IMAP for the new CRM connector\n"
                     "Description: the CRM fails to log in over IMAP every time; the protocol log "
                     "has nothing about UID corruption.\n"
                     "Steps already taken: turned on protocol logging\n")
    for question, value in {"product": "client", "client.protocol": "imap",
                            "imap.log-error": "other"}.items():
        session.answer(question, value)
    d = session.differential()
    assert d.verdict != "confident", d.top.id


def test_a_how_to_ticket_is_asked_where_its_procedure_applies_then_confident(session):
    # message tracking from the shell came with Exchange 2007: the procedure does not apply to
    # Exchange 2003, so a ticket that does not name the version is asked it before the
    # procedure is given as the answer
    session.set_text("Management wants the number of mails our hub transport servers sent last "
                     "month. How do I get that count?")
    d = session.differential()
    assert d.top.id == "message-tracking-hub-statistics" and d.verdict != "confident"
    asked = []
    while d.verdict != "confident" and len(asked) < 3:
        question = session.next_questions(1, d)[0].question.id
        asked.append(question)
        session.answer(question, {"product": "exchange", "exchange.version": "2010"}[question])
        d = session.differential()
    assert asked[-1:] == ["exchange.version"]
    assert (d.verdict, d.top.id) == ("confident", "message-tracking-hub-statistics")


@pytest.mark.parametrize("text, entry", [
    # message tracking from the shell came with Exchange 2007
    ("We're still on Exchange 2003. How do I count the mails the server sent last month with "
     "message tracking?", "message-tracking-hub-statistics"),
    # the log showed UserConnectionLimitReached last month; the limit was raised since and the
    # stalls go on: the per-user limit is not what is left
    ("POP3 stalls again for the helpdesk tool on our Ex2013 servers. We already set "
     "MaxConnectionsPerUser to 50 and restarted both POP3 services (after finding "
     "UserConnectionLimitReached in the logs last month). It still hangs, but only through the "
     "load balancer.", "pop3-user-connection-limit"),
    # the DAG member procedure is not for a server in no DAG
    ("Single Exchange 2010 SP1 server (all roles on one box). Trying to go to SP2 and setup "
     "fails the prerequisite check. What's the proper procedure?",
     "exchange2010-sp1-dag-member-upgrade"),
    # the script writes Windows Outlook profiles; a Mac has none
    ("Our sales team uses Outlook for Mac from home. Can I push the Outlook Anywhere settings to "
     "them with the registry script we use on the Windows PCs?",
     "outlook-anywhere-profile-by-script"),
])
def test_a_ticket_that_says_what_rules_an_entry_out_is_not_given_it(session, text, entry):
    session.set_text(text)
    d = session.differential()
    assert entry in d.excluded
    assert d.verdict != "confident"


def test_a_how_to_whose_procedure_is_all_that_is_left_asks_where_it_applies(session):
    # nothing but the procedure is left for an Outlook client: the planner still asks the one
    # thing it needs, and "don't know" is taken as the Windows PCs it is for
    session.set_text("How do I push the Outlook Anywhere settings into the existing Outlook "
                     "2007 profiles of 200 laptops with a logon script?")
    for value in ("client", "outlook-external", "unknown"):
        d = session.differential()
        if d.verdict == "confident":
            break
        question = session.next_questions(1, d)[0].question.id
        session.answer(question, value if question != "outlook.windows-profiles" else "unknown")
    d = session.differential()
    assert (d.verdict, d.top.id) == ("confident", "outlook-anywhere-profile-by-script")
    assert "outlook.windows-profiles" in session.answers


def test_words_found_both_within_a_clause_part_and_across_a_comma_are_read_within_it(session):
    # "forest, linked to those accounts" is the tighter run of the phrase's words, but it is
    # read across a comma; "accounts in their own AD forest" says it outright
    facts = session.set_text("Our Exchange 2007 console lists 300 mailboxes as Linked Mailbox. "
                             "Those staff log on with accounts in their own AD forest, linked "
                             "to those accounts.")
    assert ("mailbox.linked-by-design", "yes") in {(f.name, f.value) for f in facts}


def test_who_set_something_up_is_not_whether_it_is_set_up(session):
    # a negation nearby ("hasn't done this before") and "set SCR up" are not "SCR is not set
    # up yet": the task is bringing the copy online
    facts = session.set_text("Database in SG3 on MBX02 is corrupt, the server is fine. We "
                             "replicate SG3 to MBXDR01 with SCR on Exchange 2007 SP1. She "
                             "hasn't done this before and the guy who set SCR up has left.")
    assert ("scr.task", "enable") not in {(f.name, f.value) for f in facts}


def test_a_sentence_that_says_what_does_not_work_still_names_the_system(session):
    # "don't show 'In a meeting' in Jabber": not about a Jabber that is fine, and the Exchange
    # DAG the mailboxes moved to does not make it an Exchange ticket
    facts = session.set_text("Since the weekend migration to the new Exchange DAG, about 12 of "
                             "us who got moved don't show \"In a meeting\" in Jabber any more. "
                             "Colleagues who weren't moved yet still show it fine.")
    assert ("product", "imp") in {(f.name, f.value) for f in facts}
    assert session.differential().top.id == "imp-calendar-state-after-mailbox-move"


def test_a_how_to_ticket_about_a_system_the_kb_does_not_cover_gets_no_runbook(session):
    # the old Exchange 2007 commands are named, but there is no Exchange server left to run
    # them on: no procedure for our servers is the answer
    session.set_text("We went fully to Office 365 last year, no hubs any more. Finance wants "
                     "the number of emails sent per month. The old Exchange 2007 message "
                     "tracking commands don't exist in Exchange Online PowerShell. How do we "
                     "get those numbers now?")
    d = session.differential()
    assert d.verdict == "no-match"
    assert "message-tracking-hub-statistics" in d.excluded
    session.answer("product", "exchange")         # the helpdesk person corrects it
    assert session.differential().top.id == "message-tracking-hub-statistics"


def test_dont_know_whether_the_fix_was_made_is_taken_as_not_made_and_said(session):
    # `if unknown: no` on uccx.mapi-sessions-raised: making the registry change again is
    # harmless, so a caller who cannot say does not keep the answer from being confident;
    # HOW says what was taken
    session.set_text("UCCX agent email on Exchange 2010: agents cannot open their emails. The "
                     "Application log says the mailbox exceeded the maximum of 16 objects of "
                     "type session.")
    for question, value in [("uccx.symptom", "emails-not-routed"),
                            ("uccx.mapi-sessions-raised", "unknown")]:
        session.answer(question, value)
    d = session.differential()
    assert (d.verdict, d.top.id) == ("confident", "uccx-mapi-session-limit")
    how = session.how(differential=d)
    assert how.assumed == ("uccx.mapi-sessions-raised is no",)
    assert "did not know, so it is taken that uccx.mapi-sessions-raised is no; check it" in \
        how.summary()
    session.answer("uccx.mapi-sessions-raised", "yes")    # it was made: the entry is out
    assert "uccx-mapi-session-limit" in session.differential().excluded


def test_a_caller_who_cannot_say_whether_the_server_is_in_a_dag_gets_the_dag_procedure(session):
    session.set_text("We need SP1 on our Exchange 2010 mailbox servers this weekend. What is "
                     "the right order of things so users don't notice?")
    session.answer("product", "exchange")
    session.answer("exchange.dag-member", "unknown")
    d = session.differential()
    assert (d.verdict, d.top.id) == ("confident", "exchange2010-sp1-dag-member-upgrade")
    assert session.how(differential=d).assumed == ("exchange.dag-member is yes",)


def test_a_dont_know_answer_is_no_support_for_anything(session):
    # "don't know" closes the question; the closed world then takes its test as false, and a
    # rule that has it under `not:` (tmsxe-ews-autodiscover-unreachable: "not: the browser
    # test loads fine") must not count that as met
    session.set_text("Our video rooms show no availability in Outlook since Monday, TMSXE.")
    before = {c.id: c.score for c in session.differential().candidates}
    session.answer("tmsxe.ews-browser-test", "unknown")
    after = {c.id: c.score for c in session.differential().candidates}
    assert after["tmsxe-ews-autodiscover-unreachable"] <= \
        before["tmsxe-ews-autodiscover-unreachable"]


@pytest.mark.parametrize("question, value, message", [
    ("product", "lync", "valid answers: tmsxe, unity, imp"),
    ("prodcut", "imp", "did you mean product"),
    ("unity.users", "lots", "takes a number"),
    ("uccx.telnet-143", "maybe", "valid answers: yes, no, unknown"),
])
def test_bad_answers_name_what_is_valid(session, question, value, message):
    with pytest.raises(AnswerError, match=message):
        session.answer(question, value)


def test_answers_accept_labels_and_plain_forms(session):
    assert session.answer("product", "Calendar status in Jabber (Cisco IM and Presence)") == "imp"
    assert session.answer("mailbox.moved-recently", "Y") == "yes"
    assert session.answer("imp.gateway-status", "don't know") == "unknown"


def test_missing_evidence_is_an_error_and_binary_or_empty_is_skipped(session, tmp_path):
    with pytest.raises(EvidenceError):
        session.add_evidence_file(tmp_path / "nope.log")
    binary = tmp_path / "dump.bin"
    binary.write_bytes(bytes(range(256)) * 64)
    empty = tmp_path / "empty.log"
    empty.write_bytes(b"")
    assert session.add_evidence_file(binary).report.skipped
    assert session.add_evidence_file(empty).report.skipped
    assert session.differential().verdict == "no-match"


def test_sessions_are_independent(knowledge):
    with Interview(knowledge) as one, Interview(knowledge) as two:
        one.answer("product", "imp")
        assert two.answers == {}
        assert not any(f.name == "product" for f in two.facts())
        assert "unity-um-auth-mismatch" in one.differential().excluded
        assert "unity-um-auth-mismatch" not in two.differential().excluded


@pytest.mark.parametrize("ticket, product", [
    ("Users say Jabber shows them as available even when they are in a meeting in Outlook", "imp"),
    ("voicemails are not showing up in my outlook inbox anymore", "unity"),
    ("room booking from outlook doesn't create the meeting in TMS", "tmsxe"),
    ("agents can't get emails in finesse, the email tab keeps spinning", "uccx"),
    ("the exchange 2013 mailbox statistics report in SCOM is empty", "scom"),
])
def test_a_caller_naming_the_system_in_their_own_words_is_not_asked_which_system(
        session, ticket, product):
    session.set_text(ticket)
    assert session.state.values().get("product") == {product}
    assert session.differential().verdict == "ambiguous"
    asked = [s.question.id for s in session.next_questions()]
    assert asked and "product" not in asked


def test_the_ticket_answers_only_questions_about_its_own_product(session):
    # "everybody else ... fine" is also how a Unity caller says one user lacks voicemail
    session.set_text("New team member's Jabber never shows in a meeting. Everybody else on "
                     "the team shows it fine.")
    values = session.state.values()
    assert values.get("product") == {"imp"}
    assert not any(name.startswith("unity.") for name in values)


def test_transport_agents_do_not_make_it_contact_centre_email(session):
    session.set_text("anti-spam transport agent rejecting email from a partner")
    assert "uccx" not in session.state.values().get("product", set())


def test_a_leader_that_only_sounds_right_is_checked_before_it_is_confident(session):
    """All the mass on one candidate from the ticket text alone is not a diagnosis: the next
    question checks its rule, and WHY says which answer supports it and which rules it out."""
    # the ticket names the Exchange version (where the entry applies) but not whether the
    # permission was granted: the question that checks the leader is its own refuting one
    session.set_text("Does the UCCX email account need the view information store status "
                     "permission on Exchange 2010?")
    d = session.differential()
    assert d.top.id == "uccx-view-information-store-status" and not d.top.holds
    assert d.verdict == "ambiguous"
    # first what rules it out (agent email itself fine, or only the replies going out), then
    # its own test
    check = session.next_questions()[0]
    assert check.question.id == "uccx.symptom"
    assert check.confirms == "uccx-view-information-store-status"
    assert check.excludes["other"] == ["uccx-view-information-store-status"]
    session.answer("uccx.symptom", "emails-not-routed")
    check = session.next_questions()[0]
    assert check.question.id == "uccx.view-store-status"
    assert check.confirms == "uccx-view-information-store-status"
    assert check.excludes["yes"] == ["uccx-view-information-store-status"]
    why = session.why("uccx.view-store-status")
    assert "\nNo: supports uccx-view-information-store-status." in why
    assert "\nYes: rules uccx-view-information-store-status out." in why
    session.answer("uccx.view-store-status", "no")
    d = session.differential()
    assert (d.verdict, d.top.id) == ("confident", "uccx-view-information-store-status")


def test_refuting_the_checked_leader_moves_on_to_the_next_candidate(session):
    session.set_text("agent email tab stuck on loading forever in CAD")
    assert session.next_questions()[0].question.id == "uccx.telnet-143"
    session.answer("uccx.telnet-143", "yes")            # port 143 answers: not this one
    d = session.differential()
    assert "uccx-imap-port-unreachable" in d.excluded
    assert session.next_questions(), "the interview goes on with the remaining candidates"


def test_a_candidate_the_answers_turned_away_from_drops_even_if_evidence_could_revive_it(session):
    """The ticket sounds like the LDAP-removal entry, but the caller describes another symptom:
    its rule stays open only through a fact evidence alone can set, and it falls behind."""
    session.set_text("Jabber: someone we removed from the directory still shows up with a "
                     "calendar status")
    assert session.differential().top.id == "imp-ldap-user-removal-delay"
    session.answer("imp.gateway-status", "verified")
    assert {r["waiting_on_evidence"] for r in report(session)["diagnoses"]} == {False}
    session.answer("imp.symptom", "no-calendar-status")
    d = session.differential()
    ldap = next(c for c in d.candidates if c.id == "imp-ldap-user-removal-delay")
    assert ldap.truth.name == "UNKNOWN" and ldap.waiting
    assert d.top.id != ldap.id and ldap.confidence < d.top.confidence
    session.answer("imp.symptom", "unknown")          # the caller doesn't know after all
    ldap = next(c for c in session.differential().candidates if c.id == ldap.id)
    assert not ldap.waiting


def test_a_code_the_ticket_says_is_absent_sets_nothing(session):
    """The caller writes "no UserConnectionLimitReached anywhere in it": the POP3 signature
    matches the line (from "POP3" on, past "Exchange 2010"), but the log does not show it."""
    session.set_text("Our scanner polls a mailbox over POP3 on Exchange 2010 and never logs on. "
                     "I turned on POP3 logging: there is no UserConnectionLimitReached anywhere "
                     "in it, only the failed logon.")
    said = {(f.name, f.value) for f in session.state.text_facts}
    assert ("pop3.log-error", "user-connection-limit") not in said
    assert session.differential().verdict != "confident"
    session.set_text("Ticketing tool can't log in over IMAP on Exchange 2016. Searched the "
                     "whole IMAP log for UidCorruptionDetected - nothing, only NO LOGIN failed.")
    said = {(f.name, f.value) for f in session.state.text_facts}
    assert ("imap.log-error", "uid-corruption") not in said
    session.set_text("Every SCOM report is empty since the warehouse move. I searched the "
                     "Operations Manager log for event 31551 from the Exchange MP and there's "
                     "nothing.")
    said = {(f.name, f.value) for f in session.state.text_facts}
    assert ("event.id", "31551") not in said
    session.set_text("Since we raised the limit, the POP3 log has not shown a single "
                     "UserConnectionLimitReached, but the scanner still drops after 60 seconds.")
    said = {(f.name, f.value) for f in session.state.text_facts}
    assert ("pop3.log-error", "user-connection-limit") not in said
    session.set_text("POP3 on Exchange 2010: the log shows UserConnectionLimitReached for the "
                     "scanner account")
    said = {(f.name, f.value) for f in session.state.text_facts}
    assert ("pop3.log-error", "user-connection-limit") in said


@pytest.mark.parametrize("text, version", [
    ("Our old report tool was decommissioned with the Exchange 2003 servers. We're on Exchange "
     "2007 SP2 now and the mailbox reports are empty.", "2007"),
    ("Store keeps crashing on our Ex2k7 mailbox server since Tuesday.", "2007"),
    ("The 2k10 SP3 hub servers queue mail for one domain.", "2010"),
    ("Application log on the 2010 mailbox server is full of events for the UCCX mailbox.", "2010"),
    ("Our old 2007 hub died last year, we are on Exchange 2013 now.", "2013"),
    ("UCCX with Exchange 2016 CU15. A colleague found an old Cisco checklist written for "
     "Exchange 2010.", "2016"),
])
def test_the_version_running_now_is_the_one_read(session, text, version):
    # a version named as what ran before ("decommissioned with the Exchange 2003 servers") is
    # left out when the ticket names another; the engineers' short form "2k7" is a version
    facts = session.set_text(text)
    assert {f.value for f in facts if f.name == "exchange.version"} == {version}


def test_a_year_before_another_products_word_is_not_an_exchange_version(session):
    facts = session.set_text("Outlook 2016 mailbox settings keep resetting on one laptop.")
    assert not [f for f in facts if f.name == "exchange.version"]


def test_a_version_named_only_as_what_ran_before_stays_when_it_is_the_only_one(session):
    facts = session.set_text("The mailbox reports stopped after we decommissioned the old "
                             "Exchange 2003 box.")
    assert {f.value for f in facts if f.name == "exchange.version"} == {"2003"}


def test_a_mention_before_the_callers_answer_is_not_the_answer(session):
    # "Before you ask about Macs/Entourage - we have zero Macs": named, then denied
    facts = session.set_text("store.exe on MBX02 (Ex2007 SP1) has crashed twice a day since "
                             "Thursday. Before you ask about Macs/Entourage - we have zero Macs "
                             "in the company.")
    assert ("clients.entourage", "yes") not in {(f.name, f.value) for f in facts}


def test_a_version_the_caller_is_going_to_run_is_not_the_one_read(session):
    facts = session.set_text("Quick facts: Exchange 2007 SP1, two hub transport servers, mail "
                             "lost when one crashed.\nThe Exchange 2010 upgrade is planned for "
                             "Q3 - would that change anything?")
    assert {f.value for f in facts if f.name == "exchange.version"} == {"2007"}
    facts = session.set_text("Since the upgrade to Exchange 2013 from 2010 the setup of CU5 "
                             "fails.")
    assert {f.value for f in facts if f.name == "exchange.version"} == {"2013"}


def test_a_choice_the_tickets_symptom_makes_moot_is_not_read(session):
    """A hub server's "RAID controller died" reads as which SCR task it is, but the ticket is
    about mail lost in the crash: the SCR question is not asked there, so the words are not
    its answer, and no SCR runbook is confident. A transport dumpster on standalone mailbox
    servers is not the protection the question asks about."""
    facts = session.set_text(
        "Subject: lost emails during the HUB01 crash\nExchange 2007 SP1, two hub transport "
        "servers. The mailbox servers are standalone (no CCR). HUB01's RAID controller died "
        "and the queue database could not be recovered. Transport dumpster is configured.")
    said = {(f.name, f.value) for f in facts}
    assert ("exchange.symptom", "mail-lost-on-failure") in said
    assert not any(name in ("scr.task", "transport.shadow-redundancy") for name, _ in said)
    d = session.differential()
    assert d.verdict != "confident" and d.top.id == "transport-message-loss-on-failover"


def test_a_count_only_another_products_entries_test_is_not_read(session):
    """"4 nodes at HQ, 2 at DR" in a DAG ticket is no count of IM and Presence's Exchange
    servers; the Exchange version, which procedures of any product test, stays."""
    facts = session.set_text(
        "Exchange 2016 CU10 DAG (4 nodes HQ, 2 nodes DR). DR test failback fails adding the HQ "
        "nodes back into the cluster; the new firewall between the sites went live Saturday.")
    said = {(f.name, f.value) for f in facts}
    assert ("product", "exchange") in said and ("exchange.version", "2016") in said
    assert not any(name.startswith(("imp.", "tmsxe.", "unity.")) for name, _ in said)
    facts = session.set_text("Voicemail for our Skype for Business users on Exchange 2019: how "
                             "do we set up the UM dial plan like the old OCS one?")
    assert ("exchange.version", "2019") in {(f.name, f.value) for f in facts}


def test_words_read_across_a_bracket_do_not_outweigh_words_in_one_piece(session):
    # "mailbox hasn't moved (same database" holds more of a 'moved' phrase than "mailbox
    # hasn't moved" does of a 'not moved' one, but only across the bracket, with the "n't"
    # among its words: a suggestion, which the words in one piece outweigh
    facts = session.set_text("Jabber never shows her as In a meeting. Her mailbox hasn't moved "
                             "(same database for 3 years) and the gateway status is green.")
    assert ("mailbox.moved-recently", "no") in {(f.name, f.value) for f in facts}
    assert ("mailbox.moved-recently", "yes") not in {(f.name, f.value) for f in facts}
    d = session.differential()
    assert "imp-calendar-state-after-mailbox-move" not in [c.id for c in d.candidates]
    assert "mailbox.moved-recently" not in [s.question.id for s in session.next_questions(3, d)]


def test_a_bare_year_with_a_cumulative_update_is_the_exchange_version(session):
    facts = session.set_text("Outbound mail stuck in retry to some domains; we're on 2013 CU23.")
    assert ("exchange.version", "2013") in {(f.name, f.value) for f in facts}
    facts = session.set_text("SCOM reports empty; SQL Server 2016 CU3 hosts the reporting DB.")
    assert "exchange.version" not in {f.name for f in facts}


def test_a_count_that_picks_some_out_or_is_given_two_ways_is_not_the_count(session):
    # "the first 10 servers in the list" says which ones, not how many there are
    facts = session.set_text("Presence Gateway on IM and Presence: we have 14 Exchange servers "
                             "listed, the status area shows the first 10 servers only.")
    assert {f.value for f in facts if f.name == "imp.ews-server-count"} == {"14"}
    # two different counts: the question is asked, not answered from the ticket
    facts = session.set_text("Presence Gateway on IM and Presence: 12 Exchange servers in one "
                             "site and 3 Exchange servers in the other.")
    assert not [f for f in facts if f.name == "imp.ews-server-count"]


def test_a_code_the_caller_only_read_or_heard_about_is_not_in_their_log(session):
    """ "I read about UserConnectionLimitReached" names the code; the caller's own log need not
    show it, so its facts are not set and the POP3 limit is not confident in an interview
    where the log shows something else."""
    facts = session.set_text("After patching none of our POP3 users can download mail, nobody "
                             "at all. I read about UserConnectionLimitReached, should I raise "
                             "MaxConnectionsPerUser? Exchange 2016.")
    said = {(f.name, f.value) for f in facts}
    assert ("pop3.log-error", "user-connection-limit") not in said
    assert ("client.connection-limit", "reached") not in said
    # a hedge on a number is still the number; a mention before a colon ends there
    facts = session.set_text("Calendar status in Jabber lags on IM and Presence 11.5; maybe 20% "
                             "of people are jumping into meetings at once at 9.")
    assert ("imp.simultaneous-transitions-pct", "20") in {(f.name, f.value) for f in facts}
    facts = session.set_text("Before you say it's the IPv6 bug: this is Exchange 2013 CU20 and "
                             "the queues show 451 4.4.0 DNS query failed.")
    assert ("exchange.version", "2013") in {(f.name, f.value) for f in facts}
    # what a log showed before is history, not what it shows now
    facts = session.set_text("The scanner app cannot read dispatch@ over IMAP since Sunday. Last "
                             "year the IMAP log had UidCorruptionDetected; this time it has no "
                             "entries at all.")
    assert ("imap.log-error", "uid-corruption") not in {(f.name, f.value) for f in facts}


def test_a_number_inside_a_server_name_is_not_a_count(session):
    # "EX16-04" names a server; "4-5 minutes" is still a range and "14 servers" a count
    facts = session.set_text("Jabber calendar status: those 6 mailboxes were moved to the new "
                             "EX16-04 server on Friday. The gateway has 14 Exchange servers.")
    assert {f.value for f in facts if f.name == "imp.ews-server-count"} == {"14"}


@pytest.mark.parametrize("text", [
    "[SCOM] HUB02 - Health service heartbeat failure - Critical, cleared after 5h",
    "SCOM: Application Error event 1000 - store.exe crashed on MBX02 (x4 today)",
    "Thanks, Jo Bloggs | Sales Operations Manager | Contoso",
])
def test_an_alert_tag_or_a_job_title_does_not_make_it_a_scom_problem(session, text):
    assert ("product", "scom") not in {(f.name, f.value) for f in session.set_text(text)}


def test_the_scom_product_is_still_read_where_scom_is_the_subject(session):
    for text in ("The mailbox statistics report in SCOM is empty.",
                 "Nothing stands out in the Operations Manager log.",
                 "SCOM 2012 R2 with the Exchange 2013 MP.",
                 "Since Tuesday our SCOM: reports are empty."):
        assert ("product", "scom") in {(f.name, f.value) for f in session.set_text(text)}


def test_other_users_fine_on_the_new_server_settle_a_move_nobody_can_check_the_gateway_of(
        session):
    # the gateway status would rule out a failed connection; with nobody able to read it, the
    # interview asks whether users on the server the mailbox moved to are fine
    session.set_text("Jabber stopped showing 'In a meeting' for three users since their "
                     "mailboxes were moved to another Exchange server on Friday.")
    for question, value in [("imp.symptom", "stopped-after-move"),
                            ("imp.calendar-toggled", "no"), ("imp.gateway-status", "unknown")]:
        session.answer(question, value)
    d = session.differential()
    assert (d.verdict, d.top.id) == ("ambiguous", "imp-calendar-state-after-mailbox-move")
    assert session.next_questions(1, d)[0].question.id == "imp.peers-fine"
    session.answer("imp.peers-fine", "yes")
    d = session.differential()
    assert (d.verdict, d.top.id) == ("confident", "imp-calendar-state-after-mailbox-move")
    # and the caller's own words say it: not asked
    facts = session.set_text("Jabber never shows 'In a meeting' for the users we moved to the "
                             "new Exchange server; people already on the new server are fine.")
    assert ("imp.peers-fine", "yes") in {(f.name, f.value) for f in facts}


def test_dont_know_whether_the_licence_was_removed_is_taken_as_not_removed(session):
    # removing the IM and Presence licence is the fix; doing it again is harmless
    session.set_text("A user we deleted from AD this morning still shows online in Jabber. "
                     "The LDAP sync ran at 10:00 and CUCM shows him inactive.")
    for question, value in [("product", "imp"), ("imp.symptom", "deleted-user-still-online"),
                            ("imp.licence-removed", "unknown")]:
        session.answer(question, value)
    d = session.differential()
    assert (d.verdict, d.top.id) == ("confident", "imp-ldap-user-removal-delay")
    assert session.how(differential=d).assumed == ("imp.licence-removed is no",)


def test_a_check_the_ticket_says_came_back_clean_turns_away_as_an_answer_would(session):
    # "no 31551 events" read from the ticket counts like the caller's answer: an entry left
    # open only through facts evidence alone could set is not kept alive by them
    text = ("SCOM 2012 R2: the Exchange mailbox reports are empty for the two servers we "
            "rebuilt, the other servers are fine. {} Both Mailbox Statistics rules enabled.")
    session.set_text(text.format("No 31551 events in the Operations Manager log."))
    assert ("scom.event-31551", "no") in {(f.name, f.value) for f in session.text_facts}
    read = session.differential()
    session.set_text(text.format(""))
    session.answer("scom.event-31551", "no")
    answered = session.differential()
    for d in (read, answered):
        leader = {c.id: c for c in d.candidates}["scom-mailbox-stats-nvarchar-overflow"]
        assert leader.waiting and d.verdict != "confident"


def test_what_was_done_after_reading_about_something_is_read(session):
    # "we read about X" is what was read, not seen; what they then did is what was done
    facts = session.set_text("IM and Presence 12.5: a leaver still shows in Jabber. We read about "
                             "the 24 hour wait and on Wednesday we also unticked Enable User for "
                             "IM and Presence.")
    assert ("imp.licence-removed", "yes") in {(f.name, f.value) for f in facts}
    facts = session.set_text("Our CRM reads sales@ over IMAP and cannot log in since Monday. I "
                             "read about UID corruption on IMAP so I ran the repair request.")
    assert "imap.log-error" not in {f.name for f in facts}


def test_a_state_said_only_under_a_condition_is_not_read(session):
    facts = session.set_text("IM and Presence 8.5: the Jabber 'in a meeting' status is lovely "
                             "when it works, but on the hour it lags for 15 minutes.")
    assert ("imp.symptom", "other") not in {(f.name, f.value) for f in facts}


def test_instead_of_negates_what_follows_it_only(session):
    facts = session.set_text("Unity Connection single inbox: the unified messaging service is "
                             "configured with a specific Exchange server instead of letting it "
                             "search for Exchange servers.")
    assert {f.value for f in facts if f.name == "unity.um-service-target"} == \
        {"specific-server"}
    facts = session.set_text("After the move from Exchange 2003 to 2007 about 15 staff mailboxes "
                             "show as Shared instead of User in the console.")
    assert ("mailbox.shared-by-design", "yes") not in {(f.name, f.value) for f in facts}


def test_a_negation_does_not_reach_past_after_or_since(session):
    facts = session.set_text("Unity Connection: voicemails not showing in Outlook after the "
                             "mailbox move at the weekend.")
    assert ("mailbox.moved-recently", "yes") in {(f.name, f.value) for f in facts}


def test_exchange_is_still_a_version(session):
    facts = session.set_text("TMSXE: the booking service won't talk to our mailboxes. Our "
                             "Exchange is still 2010 with SP2.")
    assert ("exchange.version", "2010") in {(f.name, f.value) for f in facts}


def test_a_cause_listed_for_a_product_counts_for_the_entry_the_ticket_sounds_like(session):
    # no product named, but the ticket sounds like the IMAP entries: the IMAP certificate that
    # expired is a cause the KB lists for mail clients and no entry covers
    session.set_text("check_imap on EX01 is critical. The ticket tool fails on all of its IMAP "
                     "mailboxes, the protocol log shows no corruption entries, and the IMAP "
                     "certificate expired on Sunday.")
    d = session.differential()
    assert d.verdict == "no-match" and "certificate expired" in d.outside.lower()


@pytest.mark.parametrize("text, product", [
    ("Exchange 2007 SP1, one mailbox server. They want an SCR copy on the DR server before we "
     "start the Unity Connection migration.", "unity"),
    ("About 40 mailboxes show as Shared Mailbox after the 2003 to 2007 move (pre-req for the "
     "OCS/UM project).", "ocs"),
])
def test_a_product_named_as_the_project_the_work_is_for_is_not_the_system(session, text,
                                                                         product):
    assert ("product", product) not in {(f.name, f.value) for f in session.set_text(text)}


def test_a_product_the_ticket_says_is_not_there_is_not_the_system(session):
    # the calendar-status signature ends on "Jabber", which the caller says they do not have
    facts = session.set_text("Teams shows the sales manager as busy all afternoon although her "
                             "calendar is empty after 1pm. We checked it twice. No Jabber here.")
    assert ("product", "imp") not in {(f.name, f.value) for f in facts}
    assert session.differential().verdict == "no-match"


@pytest.mark.parametrize("version, top", [("2013", None),
                                          ("2007", "outlook-anywhere-profile-by-script")])
def test_the_profile_script_is_for_the_outlook_versions_its_source_covers(session, version, top):
    text = (f"How can we push the RPC over HTTP proxy settings into everyone's Outlook "
            f"{version} profiles with a logon script?")
    session.set_text(text)
    d = session.differential()
    if top is None:
        assert d.verdict == "no-match"
        assert "outlook-anywhere-profile-by-script" in d.excluded
    else:
        assert d.top.id == top


def test_mailboxes_moved_to_office_365_are_no_case_for_the_on_premises_client_entries(session):
    session.set_text("We moved all mailboxes to Office 365 in the spring and shut down the old "
                     "Exchange server. Since then the warehouse scanner can't download its mail "
                     "over POP3.")
    d = session.differential()
    assert d.verdict == "no-match" and "Office 365" in d.outside


def test_someone_elses_belief_about_the_cause_is_a_guess(session):
    session.set_text("Unity Connection: voicemails reach Outlook hours late for 4,200 users, "
                     "190 ms to Exchange. Greg thinks the Exchange servers are overloaded.")
    assert not session.differential().outside


def test_a_small_count_in_words_is_a_count_and_the_first_ten_are_not(session):
    facts = session.set_text("IM and Presence calendaring is broken for everybody. We have one "
                             "EWS server configured on the gateway.")
    assert ("imp.ews-server-count", "1") in {(f.name, f.value) for f in facts}
    facts = session.set_text("IM and Presence: the status area shows the first 10 EWS servers "
                             "and nothing for the rest.")
    assert "imp.ews-server-count" not in {f.name for f in facts}
    # a year before a name is a version: "our 2016 EWS servers" are not 2016 of them
    facts = session.set_text("IM and Presence calendaring fails on our 2016 EWS servers.")
    assert "imp.ews-server-count" not in {f.name for f in facts}


def test_what_was_looked_for_and_not_found_is_a_no(session):
    # a Spanish-speaking admin: "checked the event log for the back pressure thing, nothing
    # there, and ..." is no back pressure, not back pressure
    facts = session.set_text("Exchange 2013: since 8:00 no email goes out to the Internet. I "
                             "checked the event log for the back pressure thing, nothing there, "
                             "and the disks have 60% free.")
    assert ("transport.event-15004", "no") in {(f.name, f.value) for f in facts}


def test_advice_for_a_case_that_may_not_be_this_one_is_not_what_the_log_says(session):
    # an MSP's quoted advice ("if it says MSCORSVW has open files, wait for NGEN") is not the
    # customer's readiness check, which says a reboot is pending
    facts = session.set_text("Not the mscorsvw thing - the readiness check says there's a reboot "
                             "pending from a previous installation.\n"
                             "> If it says MSCORSVW has open files, wait for NGEN to finish.\n")
    assert ("setup.readiness-error", "mscorsvw-open-files") not in \
        {(f.name, f.value) for f in facts}


def test_a_code_grepped_for_with_an_arrow_to_nothing_is_not_there(session):
    facts = session.set_text("CRM IMAP connector can't log into sales@ since Friday. Protocol "
                             "logging on, the LOGIN attempts are rejected; grep for "
                             "UidCorruptionDetected -> nothing.")
    assert ("imap.log-error", "uid-corruption") not in {(f.name, f.value) for f in facts}


def test_a_task_someone_else_did_is_what_is_so_not_what_is_asked(session):
    # "(our last IT guy set it up)" says SCR exists, not that the caller wants to enable it
    facts = session.set_text("Exchange 2007: the SG2 database on our mailbox server is corrupt, "
                             "the server runs fine. We have SCR to the standby server (a "
                             "contractor set it up). How do we get people working again?")
    assert ("scr.task", "enable") not in {(f.name, f.value) for f in facts}


def test_a_code_that_names_what_was_read_is_not_in_the_log(session):
    # "the UserConnectionLimitReached thread": a forum thread read, not the caller's log
    facts = session.set_text("After the move to Exchange 2016 our scanners cannot log in over "
                             "POP3 at all. Found the UserConnectionLimitReached article online "
                             "but our log shows plain logon failures.")
    assert "client.connection-limit" not in {f.name for f in facts}
    assert ("pop3.log-error", "user-connection-limit") not in {(f.name, f.value) for f in facts}


def test_a_cause_checked_for_and_not_found_is_no_cause(session):
    # "checked her rules in case a rule was moving the messages: none" rules that cause out
    session.set_text("New starter gets voicemail on her handset but never in Outlook; the rest "
                     "of the office gets theirs. Looked at her inbox rules in case a rule was "
                     "moving the messages: none.")
    assert session.differential().outside == ""


def test_imap_limits_already_raised_rule_out_the_uccx_imap_limit(session):
    session.set_text("UCCX agents cannot get email, the capture shows NO AUTHENTICATE failed for "
                     "the shared account. The password is correct. We raised "
                     "MaxConnectionsPerUser to 2400 with Set-ImapSettings months ago.")
    assert "uccx-imap-connection-limit" in session.differential().excluded


def test_the_uccx_imap_limit_asks_whether_the_limits_were_raised(session):
    session.set_text("UCCX agents cannot get email, the capture shows NO AUTHENTICATE failed for "
                     "the shared account although the password is correct.")
    session.answer("uccx.telnet-143", "yes")
    assert session.differential().verdict != "confident"
    assert session.next_questions()[0].question.id == "uccx.imap-limits-raised"
    session.answer("uccx.imap-limits-raised", "no")
    assert session.differential().verdict != "confident"
    # the limit lets the first logins of a shift through: asked before it is confident
    assert session.next_questions()[0].question.id == "uccx.first-logins-work"
    session.answer("uccx.first-logins-work", "yes")
    d = session.differential()
    assert (d.verdict, d.top.id) == ("confident", "uccx-imap-connection-limit")


def test_rotated_service_account_passwords_are_a_cause_no_entry_covers(session):
    session.set_text("Nobody gets voicemail in Outlook since security rotated all the service "
                     "account passwords on Friday; the Unity Connection UM test fails to log on.")
    assert session.differential().outside


def test_a_password_tool_is_not_a_password_change(session):
    session.set_text("Unity single inbox is flaky for everyone since IT gave the Unity service "
                     "account a mailbox so it could be added to our password reset tool.")
    assert not session.differential().outside


def test_an_imp_account_without_impersonation_is_a_cause_no_entry_covers(session):
    session.set_text("New IM and Presence 14 calendaring with Exchange 2019: the gateway is "
                     "verified but nobody gets meeting status. Exchange hasn't given the "
                     "calendaring account ApplicationImpersonation yet.")
    d = session.differential()
    assert d.outside and d.verdict == "no-match"


def test_a_room_declining_a_recurring_series_is_no_tmsxe_entry(session):
    session.set_text("TMSXE: a recurring meeting gets declined by the room, one-off meetings "
                     "are fine and reach TMS.")
    assert session.differential().verdict == "no-match"


def test_password_never_expires_left_unticked_is_an_expired_password(session):
    # the name of the AD setting has its own "never": unticked, it says the password expired
    session.set_text("TMSXE stopped booking this morning; AD shows the service account's "
                     "password expired, password never expires was not ticked on it.")
    assert session.differential().outside


def test_a_comma_then_thats_goes_on_about_the_same_thing(session):
    # ", that's running" says the Remote Registry runs; the entry whose fix starts it is out
    facts = session.set_text("Exchange 2016 DAG: Start-DatabaseAvailabilityGroup fails after the "
                             "DR test, it is not the Remote Registry, that's running.")
    assert ("dag.remote-registry-running", "yes") in {(f.name, f.value) for f in facts}
    d = session.differential()
    assert not (d.verdict == "confident" and d.top.id == "dag-start-network-path-not-found")


def test_it_is_not_the_remote_registry_is_not_a_remote_registry_that_will_not_start(session):
    # the words of "will not start" in the wrong order: "start fails, it is not the Remote Registry"
    session.set_text("The DAG start fails, it is not the Remote Registry.")
    d = session.differential()
    assert not (d.verdict == "confident" and d.top.id == "dag-start-network-path-not-found")


@pytest.mark.parametrize("text, says, denies", [
    # "installed" again inside the bracket must not carry the words past the negation
    pytest.param("Adding the new front end to our OCS 2007 R2 pool fails at activation. Everyone "
                 "points at KB974571 but it is not installed (we checked installed updates "
                 "twice).", [("ocs.kb974571-installed", "no")],
                 [("ocs.kb974571-installed", "yes")], id="it-stays-negated-past-a-repeat"),
    pytest.param("TMSXE stopped creating conferences after we renewed the Exchange certificate. On "
                 "the TMSXE box the TMS site opens with the address bar green, the EWS URL shows "
                 "a red address bar.", [("tmsxe.ews-browser-test", "certificate-warning")],
                 [("tmsxe.ews-browser-test", "loads-ok")], id="one-green-one-red"),
    # "one director" is one user: the KB's words list makes job titles a user
    pytest.param("One director's Jabber never shows in a meeting; IM and Presence 11.5 with "
                 "Exchange 2013.", [("imp.symptom", "one-user-no-calendar-status")], [],
                 id="a-job-title-is-a-user"),
    # the phrase's own closing negation may stand after a comma: "search, nothing found"
    pytest.param("SCOM 2012 R2: the Exchange mailbox statistics report is empty. We ran the 1024 "
                 "character search, nothing found.", [("scom.long-addresses-found", "no")], [],
                 id="search-comma-nothing-found"),
    # "users we move stop getting voicemail", read across "(the CFO, naturally)", is weaker than
    # a suggestion: "everyone else fine" still says one user
    pytest.param("One VP (the CFO, naturally) stopped getting voicemails in Outlook three days "
                 "ago. Everyone else fine. Unity Connection 12.5.",
                 [("unity.symptom", "one-user-no-voicemail")], [],
                 id="narrower-not-even-suggested"),
    # "has no mailbox, isn't an admin": each part has its own negation
    pytest.param("Unity Connection single inbox test fails for every user. Its account has no "
                 "mailbox, is not an admin, never expires.",
                 [("unity.service-account-mailbox", "no")], [], id="a-list-of-denials"),
    pytest.param("New Unity Connection single inbox, nothing syncs. Require SSL on and we uploaded "
                 "the CAS certs. Get-ManagementRoleAssignment for the service account: no "
                 "ApplicationImpersonation.", [("unity.ssl-certificates", "uploaded"),
                                               ("service-account.impersonation", "no")], [],
                 id="cas-certs-uploaded-no-impersonation"),
    # "60 of 60 system licences used" says "all", which the phrase quantifies
    pytest.param("TMSXE: the new SX80 room cannot be booked as a video meeting, the other rooms "
                 "work. TMS licensing page: 60 of 60 system licences used.",
                 [("tmsxe.endpoint-licensed", "no")], [], id="n-of-n-is-all"),
    # a guess under a label, brackets and all
    pytest.param("UCCX agents' email tab stuck on Loading. Suspected root cause (team leader): "
                 "someone changed the email account password.", [],
                 [("uccx.account-password-ok", "no")], id="suspected-root-cause-label"),
    # said of those the problem spares
    pytest.param("UCCX: at 9am the last few agents have the Email Ready/Not Ready buttons greyed "
                 "out, but the agents who logged in first are working fine.",
                 [("uccx.symptom", "email-tab-loading")], [("uccx.symptom", "other")],
                 id="the-agents-who-logged-in-first"),
    # the connection limit lets the first logins of a shift through: when those fail too, it
    # is not the limit
    pytest.param("Since Tuesday none of the agents can get email in Cisco Agent Desktop, even the "
                 "first person in fails. Capture shows A1 NO AUTHENTICATE failed.",
                 [("uccx.first-logins-work", "no")], [], id="even-the-first-login-fails"),
    # "installed updates" is the list looked in, not the update being installed
    pytest.param("OCS 2007 R2 activation keeps failing on the new box. Went through installed "
                 "updates: KB974571 is not on this server.", [("ocs.kb974571-installed", "no")],
                 [("ocs.kb974571-installed", "yes")], id="installed-updates-is-a-list"),
    # a comma then "and it's ...", or a dash before the state: still about the same thing
    pytest.param("Start-DatabaseAvailabilityGroup fails after the failover drill. Remote Registry "
                 "was the first thing we looked at, and it's running on every member.",
                 [("dag.remote-registry-running", "yes")], [], id="comma-and-its"),
    pytest.param("DAG won't come back after the site test. Remote Registry on both nodes - "
                 "running, automatic start.", [("dag.remote-registry-running", "yes")], [],
                 id="dash-then-its-state"),
    # "both" is a count the ticket must give: one side set to Basic says nothing of the other
    pytest.param("Single inbox broken for all users. On the Connection side the unified messaging "
                 "account authentication is set to Basic.", [],
                 [("unity.auth-match", "yes")], id="one-side-is-not-both"),
    # "Before you ask:" introduces what was checked, not a guess
    pytest.param("Voicemail never reaches one nurse's Outlook, the ward gets theirs. Before you "
                 "ask: she is enabled for unified messaging, I looked myself.",
                 [("unity.user-um-enabled", "yes")], [], id="before-you-ask-colon"),
    # a copy queue that keeps growing is SCR running and failing, not SCR to be enabled
    pytest.param("Exchange 2007 SP1: the standby's copy queue for SG3 keeps growing since the "
                 "weekend, SG1 is fine. Should we just enable SCR again?",
                 [("scr.task", "other")], [("scr.task", "enable")], id="copy-queue-growing"),
    pytest.param("Exchange 2007: our mailbox box is down for days, mainboard gone. SCR copies of "
                 "every storage group sit on the standby machine.",
                 [("scr.task", "activate-server")], [], id="mainboard-gone"),
    pytest.param("Unity Connection single inbox: the UM service uses NTLM matching IIS on EWS and "
                 "Autodiscover, still nothing syncs for anyone.", [("unity.auth-match", "yes")],
                 [], id="ntlm-matching-iis"),
    pytest.param("The scanner's POP3 pickup stopped on Monday and does not come back on its own, "
                 "whatever we do.", [("pop3.stalls-then-recovers", "no")], [],
                 id="pop3-does-not-come-back"),
    pytest.param("UCCX 11 agent email: we rebuilt the account and re-did the limits from the Cisco "
                 "doc, IMAP limits raised to 2400, emails still sit in the inbox.",
                 [("uccx.imap-limits-raised", "yes")], [], id="imap-limits-redone"),
])
def test_the_tickets_words_set_these_facts(session, text, says, denies):
    said = {(f.name, f.value) for f in session.set_text(text)}
    for fact in says:
        assert fact in said
    for fact in denies:
        assert fact not in said


def test_an_outside_cause_with_the_entrys_event_but_not_its_rule_is_no_match(session):
    # the event the entry cites is there, but the ticket names another cause and nothing
    # the entry's rule needs: not "ambiguous" between the entry and nothing, no match
    session.set_text("SCOM: since the 3rd, event 31551 Failed to store data in the Data "
                     "Warehouse on both management servers; the exception says SqlException: "
                     "Login failed for user for the writer account.")
    d = session.differential()
    assert d.outside and d.verdict == "no-match"


def test_an_outside_cause_does_not_overrule_a_rule_that_holds(session):
    # the entry's own rule is met by what the ticket says: the cause named in passing only
    # keeps it from being confident, the entry stays a candidate
    session.set_text("UCCX agents' email replies queue up and leave slowly after we moved SMTP "
                     "to Exchange 2016; one test also showed client was not authenticated.")
    d = session.differential()
    assert d.outside and d.verdict != "confident"
    assert d.top.id == "uccx-smtp-receive-connector-limits" and d.top.holds


def test_a_certificate_left_on_iis_only_is_a_cause_no_entry_covers(session):
    session.set_text("Since the Exchange 2019 certificate renewal our Thunderbird users on "
                     "IMAP get a certificate warning and cannot connect; the certificate was "
                     "only enabled for IIS and SMTP.")
    d = session.differential()
    assert d.outside and d.verdict == "no-match"


def test_a_log_looked_through_for_a_code_that_is_not_there_denies_it(session):
    facts = session.set_text("Exchange 2013 hub: inbound mail from the internet stopped after the "
                             "server move. I searched the app log for the back pressure events we "
                             "saw in spring and there aren't any; queues are empty.")
    assert ("transport.event-15004", "no") in {(f.name, f.value) for f in facts}
    assert session.differential().verdict != "confident"


def test_a_request_to_look_for_an_event_is_not_the_event(session):
    # the engineer asks the caller to look for 15004; the caller's reply says there is none
    facts = session.set_text("Engineer: might be back pressure, please check for event 15004 "
                             "and the queue status.\nCustomer: no 15004 events anywhere, queues "
                             "are empty, disk is fine.")
    assert ("transport.event-15004", "yes") not in {(f.name, f.value) for f in facts}
    assert session.differential().verdict != "confident"


def test_an_instruction_at_the_head_of_a_sentence_is_not_what_was_done(session):
    facts = session.set_text("UCCX agent email on Exchange 2010 keeps failing now and then. "
                             "Support replied: Grant the account the View Information Store "
                             "status right on the organization and test again.")
    assert ("uccx.view-store-status", "yes") not in {(f.name, f.value) for f in facts}


def test_a_version_from_back_when_is_what_ran_before(session):
    facts = session.set_text("The DR runbook from when we were on Exchange 2007 says to turn on "
                             "standby continuous replication. We're on Exchange 2019 now with a "
                             "DAG; how do I enable SCR?")
    versions = {f.value for f in facts if f.name == "exchange.version"}
    assert "2007" not in versions
    assert session.differential().verdict != "confident"



def test_a_runbook_asked_for_is_about_the_version_in_question(session):
    # the document the caller has is about the version before; the one asked for is not
    facts = session.set_text("We need the approved runbook for installing Exchange 2016 CU22 on "
                             "our 4-node DAG (Exchange 2016 on Windows Server 2016). The only "
                             "runbook in our library is for putting Exchange 2010 SP1 on DAG "
                             "members.")
    versions = {f.value for f in facts if f.name == "exchange.version"}
    assert versions == {"2016"}
    d = session.differential()
    assert d.verdict != "confident"
    assert "exchange2010-sp1-dag-member-upgrade" not in [c.id for c in d.candidates[:1]]

def test_an_exchange_2010_server_at_an_old_service_pack_is_below_tmsxe_minimum(session):
    facts = session.set_text("TMSXE setup for the new office fails validating the Exchange "
                             "connection. Their Exchange 2010 server on SP2 was never updated; "
                             "impersonation is granted and EWS opens from the TMSXE server.")
    assert ("tmsxe.exchange-level", "older-level") in {(f.name, f.value) for f in facts}


def test_a_manual_directory_sync_is_a_sync_that_ran(session):
    facts = session.set_text("Jabber still shows a leaver online and in a meeting. We removed "
                             "her from AD this morning and ran the directory sync manually "
                             "straight after.")
    assert ("imp.ldap-synced", "yes") in {(f.name, f.value) for f in facts}


def test_a_room_booked_beyond_its_booking_window_is_no_tmsxe_entry(session):
    session.set_text("TMSXE: a video room booked from Outlook for next spring is declined at "
                     "once, with the reason: beyond the booking window. Next week's "
                     "bookings for the same room go through to TMS.")
    d = session.differential()
    assert d.outside and d.verdict == "no-match"


def test_viewmail_disabled_by_outlook_is_no_single_inbox_entry(session):
    session.set_text("Single inbox: voicemails arrive in Outlook 2019 for everyone, but there "
                     "is no player; Outlook shows ViewMail for Outlook under disabled add-ins "
                     "because it slowed start-up.")
    d = session.differential()
    assert d.outside and d.verdict == "no-match"


def test_a_negation_after_the_word_is_not_the_phrases_own(session):
    # "nobody has patched it since" needs "nobody" before "patched"
    facts = session.set_text("TMSXE: since Patch Tuesday nobody can book the video rooms from "
                             "Outlook; the TMSXE service was stopped after the reboot.")
    assert ("tmsxe.exchange-level", "older-level") not in {(f.name, f.value) for f in facts}
    facts = session.set_text("TMSXE cannot book rooms; that Exchange 2013 box, nobody has patched "
                             "it since it was built.")
    assert ("tmsxe.exchange-level", "older-level") in {(f.name, f.value) for f in facts}


def test_not_being_allowed_to_change_a_thing_does_not_deny_the_thing(session):
    # the negation is of modifying the policy, not of the mailbox being on the default one
    facts = session.set_text("UCCX agent email on Exchange 2010 SP2 is slow at the morning peak. "
                             "The UCCX mailbox has no specific throttling policy assigned. We are "
                             "not permitted to modify the default throttling policy because it "
                             "applies to all 2,100 users.")
    assert ("uccx.custom-throttling-policy", "yes") not in {(f.name, f.value) for f in facts}


def test_settings_nobody_touched_were_not_set(session):
    facts = session.set_text("TMSXE: the new video room shows no organizer for private meetings. "
                             "I created the room mailbox as an ordinary room and did not touch "
                             "any of its calendar processing settings.")
    assert ("tmsxe.room-calendar-processing", "yes") not in {(f.name, f.value) for f in facts}
