"""`triage diagnose` as a user runs it: the contract's JSON shape, evidence from files and
stdin in Windows encodings, answers, and one-line errors for bad input."""

import json

import pytest
from support import run_triage

GATEWAY = ("Presence Gateway Configuration\r\nStatus: Ready\r\n"
           "exch01.corp.example.com   SSL Connection/Certificate Verification Failed - SAN Mismatch\r\n")


def diagnose_json(*args, stdin=None):
    result = run_triage("diagnose", *args, "--json", stdin=stdin)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_json_follows_the_contract(tmp_path):
    path = tmp_path / "gateway.txt"
    path.write_bytes(b"\xff\xfe" + GATEWAY.encode("utf-16-le"))     # PowerShell 5.1 Out-File
    data = diagnose_json("--text", "Jabber stopped showing meetings", "--evidence", str(path))
    assert data["verdict"] == "confident"
    top = data["diagnoses"][0]
    assert {"id", "title", "kind", "confidence", "fix", "why"} <= set(top)
    assert top["id"] == "imp-cert-san-mismatch" and top["kind"] == "diagnosis"
    assert top["fix"]["steps"] and top["fix"]["verify"]["text"]
    assert 0 < top["confidence"] <= 1
    sources = {(f["name"], f["source"]["kind"]) for f in data["facts"]}
    assert ("imp.gateway-status", "evidence") in sources
    line = next(f["source"] for f in data["facts"] if f["name"] == "imp.gateway-status")
    assert line["ref"] == "gateway.txt" and line["line_no"] == 3
    assert data["next_questions"] == []


def test_answers_narrow_it_and_the_next_questions_say_what_to_ask():
    data = diagnose_json("--answer", "product=uccx")
    assert data["verdict"] == "ambiguous"
    assert all(d["id"].startswith("uccx-") for d in data["diagnoses"])
    assert data["next_questions"] and {"id", "text"} <= set(data["next_questions"][0])
    assert "product" not in {q["id"] for q in data["next_questions"]}
    more = diagnose_json("--answer", "product=uccx", "--answer", "uccx.telnet-143=no")
    assert more["verdict"] == "ambiguous"         # agent email, or only the replies going out?
    assert more["diagnoses"][0]["id"] == "uccx-imap-port-unreachable"
    assert more["next_questions"][0]["id"] == "uccx.symptom"
    more = diagnose_json("--answer", "product=uccx", "--answer", "uccx.telnet-143=no",
                         "--answer", "uccx.symptom=email-tab-loading")
    assert more["verdict"] == "confident"
    assert more["diagnoses"][0]["id"] == "uccx-imap-port-unreachable"


def test_a_leader_from_the_ticket_alone_is_named_with_the_question_that_confirms_it():
    text = ("Does the UCCX email account need the view information store status permission on "
            "Exchange 2010?")
    data = diagnose_json("--text", text)
    assert data["verdict"] == "ambiguous"
    assert data["diagnoses"][0]["id"] == "uccx-view-information-store-status"
    # first what would rule it out (agent email itself is fine, or only replies going out)
    check = data["next_questions"][0]
    assert (check["id"], check["confirms"]) == ("uccx.symptom",
                                                "uccx-view-information-store-status")
    human = run_triage("diagnose", "--text", text).stdout
    assert ("the question uccx.symptom below confirms it or rules it out"
            in " ".join(human.split()))
    seen = diagnose_json("--text", text, "--answer", "uccx.symptom=emails-not-routed")
    check = seen["next_questions"][0]
    assert (check["id"], check["confirms"]) == ("uccx.view-store-status",
                                                "uccx-view-information-store-status")
    done = diagnose_json("--text", text, "--answer", "uccx.symptom=emails-not-routed",
                         "--answer", "uccx.view-store-status=no")
    assert done["verdict"] == "confident"


def test_evidence_from_stdin():
    data = diagnose_json("--evidence", "-", stdin=GATEWAY)
    assert data["diagnoses"][0]["id"] == "imp-cert-san-mismatch"
    assert data["evidence"][0]["name"] == "stdin"


def test_a_ticket_the_kb_does_not_cover_is_no_match():
    data = diagnose_json("--text", "The office printer on floor 3 prints blank pages since the "
                                   "toner was changed.")
    assert data["verdict"] == "no-match"
    assert data["diagnoses"] == []


def test_a_ticket_that_only_sounds_a_little_like_several_entries_is_no_match():
    # a room's wall panel: words of the TMSXE entries, nothing of their rules
    data = diagnose_json("--text", "The touch panel outside the Fjord meeting room stopped "
                                   "listing today's bookings this morning. The room calendar in "
                                   "Outlook is full and people can book it fine.")
    assert data["verdict"] == "no-match" and data["diagnoses"] == []
    near = [n["id"] for n in data["nearest"]]
    assert near and all(n.startswith("tmsxe-") for n in near)     # still named as not a match


def test_a_ticket_that_names_a_cause_no_entry_covers_is_no_match_and_says_so():
    text = ("UCCX agent email: the Email tab sits on Loading for every agent since this morning. "
            "Found it: the shared email account is locked out after AD rotated its password.")
    data = diagnose_json("--text", text)
    assert data["verdict"] == "no-match"
    assert data["outside_kb"] == "account is locked"
    assert any(n["id"].startswith("uccx-") for n in data["nearest"])
    human = run_triage("diagnose", "--text", text).stdout
    assert "The ticket names a cause no entry covers: 'account is locked'" in human
    # said the other way round, it is no cause at all
    data = diagnose_json("--text", "UCCX agent email: the Email tab sits on Loading for every "
                                   "agent since this morning. The account is not locked out.")
    assert data["outside_kb"] == "" and data["verdict"] != "no-match"


def test_a_cause_no_entry_covers_is_named_with_its_words_together():
    # "the mailbox is full" names one; "full of session errors for the contact-centre
    # mailbox" has the same words far apart, and is the MAPI session limit's symptom
    data = diagnose_json("--text", "Exchange 2010: one user can't send, Outlook says the "
                                   "mailbox is full.")
    assert data["outside_kb"] == "mailbox is full"
    data = diagnose_json("--text", "The Exchange guys say the event log is full of session "
                                   "errors for the contact-centre mailbox.")
    assert data["outside_kb"] == ""


@pytest.mark.parametrize("text", [
    "We moved 25 mailboxes to Exchange Online (hybrid) last week. Since then those users get no "
    "voicemail in Outlook; everyone else still gets them.",
    "Jabber stopped showing In a meeting for the three users we migrated to Office 365 on "
    "Saturday; the rest are fine.",
])
def test_a_mailbox_in_exchange_online_is_a_cause_no_entry_covers_for_the_integrations(text):
    data = diagnose_json("--text", text)
    assert data["verdict"] == "no-match"
    assert "Exchange Online" in data["outside_kb"] or "Office 365" in data["outside_kb"]


def test_rooms_in_exchange_online_are_not_a_cause_no_entry_covers_for_tmsxe():
    # TMSXE has entries for Office 365 (ADFS and directory sync): the same words are no cause
    # outside the KB there
    data = diagnose_json("--text", "We moved the video rooms to Exchange Online; TMSXE cannot "
                                   "book them since, we don't run ADFS or directory sync.")
    assert data["outside_kb"] == ""
    assert "tmsxe-unsupported-exchange-version" in [d["id"] for d in data["diagnoses"]]


def test_an_error_only_ruled_out_entries_explain_is_no_match_and_named():
    # "NO AUTHENTICATE failed" is the connection limit's, but only with the password right
    text = ("All UCCX agents can't get email since this morning, NO AUTHENTICATE failed on every "
            "login. The AD team reset the UCCX mailbox password yesterday.")
    data = diagnose_json("--text", text)
    assert data["verdict"] == "no-match"
    assert data["unexplained"] == ["sig-imap-authenticate-failed"]
    assert "exchange.throttled" not in {f["name"] for f in data["facts"]}
    human = " ".join(run_triage("diagnose", "--text", text).stdout.split())
    assert ("What the ticket shows (sig-imap-authenticate-failed) is explained only by entries "
            "already ruled out") in human
    # with the password right, the same error is the limit's
    data = diagnose_json("--text", text.replace("The AD team reset the UCCX mailbox password "
                                                "yesterday.", "The password is correct."))
    assert data["unexplained"] == [] and data["verdict"] != "no-match"


@pytest.mark.parametrize("text, words", [
    # a stopped service, a blocked port
    ("New app can't collect mail over POP3 on Exchange 2016, every attempt refused. In "
     "services.msc Microsoft Exchange POP3 and POP3 Backend are Stopped.",
     "POP3 Backend are Stopped"),
    ("No mail goes out to outside domains since the ISP switch, internal is fine. Telnet from the "
     "hub to any external MX on port 25 just times out.", "port 25 just times"),
    # a password that expired, for an integration whose entries cover other account problems
    ("Video rooms stopped syncing to TMS for every room at 6am. The TMSXE service account's "
     "password has expired, nobody ticked never expires.", "password has expired"),
    # a scoped cause, in a ticket whose product is only implied by what is wrong: "Outlook
    # from outside" answers which client, a question asked only about mail clients
    ("Since Sunday Outlook over the internet does not connect for anyone, Autodiscover "
     "resolves fine from outside. The public certificate on the CAS expired at midnight.",
     "public certificate on the CAS expired"),
    # a negation that is the phrase's last word, read from the words right after it
    ("One telepresence room declines every booking from Outlook. In TMS the endpoint's Allow "
     "Bookings setting is No.", "Allow Bookings setting"),
])
def test_a_cause_no_entry_covers_is_no_match_and_quoted(text, words):
    data = diagnose_json("--text", text)
    assert data["verdict"] == "no-match"
    assert data["outside_kb"] == words


@pytest.mark.parametrize("text", [
    # what was looked at and came back empty is no cause
    "New starter gets voicemail on the phone but never in Outlook; everyone else does. "
    "Checked her Outlook rules/junk, nothing.",
    # a guess is no cause either
    "Voicemail stopped reaching Outlook for everyone on Monday. I think an inbox rule did it, "
    "but none of the users has any.",
])
def test_a_cause_checked_and_not_found_or_only_guessed_is_none(text):
    data = diagnose_json("--text", text)
    assert data["outside_kb"] == ""
    assert data["verdict"] != "no-match"


def test_human_output_reads_in_a_terminal(tmp_path):
    path = tmp_path / "gateway.txt"
    path.write_text(GATEWAY)
    result = run_triage("diagnose", "--evidence", str(path))
    assert result.returncode == 0
    assert "Confident diagnosis" in result.stdout
    assert "imp-cert-san-mismatch" in result.stdout
    assert "Verify" in result.stdout and "gateway.txt:3" in result.stdout


@pytest.mark.parametrize("content", [b"", bytes(range(256)) * 40])
def test_empty_or_binary_evidence_is_a_clean_no_match_with_a_note(tmp_path, content):
    path = tmp_path / "evidence.bin"
    path.write_bytes(content)
    data = diagnose_json("--evidence", str(path))
    assert data["verdict"] == "no-match"
    assert data["evidence"][0]["skipped"]


@pytest.mark.parametrize("args, message", [
    (["--evidence", "/no/such/file.log"], "evidence file not found: /no/such/file.log"),
    (["--evidence", "."], "evidence is a directory"),
    (["--answer", "product"], "--answer takes NAME=VALUE"),
    (["--answer", "product=lync"], "valid answers: tmsxe, unity, imp, uccx"),
    (["--answer", "colour=blue"], "no question named 'colour'"),
])
def test_bad_input_is_one_line_on_stderr(args, message):
    result = run_triage("diagnose", *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_what_the_ticket_said_against_the_leader_is_named_not_asked_again():
    text = "Our shop's POP3 doesn't work for the front desk mailbox since this morning."
    args = ("--text", text, "--answer", "product=client", "--answer", "client.protocol=pop3",
            "--answer", "pop3.log-error=unknown")
    data = diagnose_json(*args)
    # with its rule ruled out by the words, the POP3 entry is the nearest, not a match; the
    # words that ruled it out are named either way
    assert data["verdict"] in ("ambiguous", "no-match") and data["nothing_left_to_ask"]
    assert data["next_questions"] == []
    said = data["contested"][0]
    assert said["question"] == "pop3.stalls-then-recovers" and said["value"] == "no"
    assert said["words"] == "POP3 doesn't work"
    nearest = (data["diagnoses"] or data["nearest"])[0]
    assert said["rules_out"] == nearest["id"] == "pop3-user-connection-limit"
    human = " ".join(run_triage("diagnose", *args).stdout.split())
    assert ("the ticket's words answered pop3.stalls-then-recovers = no ('POP3 doesn't work')"
            in human)
    assert "--answer pop3.stalls-then-recovers=VALUE" in human
    corrected = diagnose_json(*args, "--answer", "pop3.stalls-then-recovers=yes")
    assert corrected["contested"] == []


TMSXE_BUSY = (
    "2024-02-19 09:00:58,102 INFO  [Sync] Cycle started, 41 room mailboxes\r\n"
    "2024-02-19 09:01:12,883 ERROR [Sync] GetUserAvailability for vc-room-oslo@corp.example.com failed\r\n"
    "Microsoft.Exchange.WebServices.Data.ServerBusyException: The server cannot service this "
    "request right now. Try again later.\r\n"
    "   at Microsoft.Exchange.WebServices.Data.ServiceRequestBase.ProcessWebException(WebException webException)\r\n"
    "2024-02-19 09:01:13,004 WARN  [Sync] 12 rooms deferred to the next cycle\r\n")


def test_an_ews_server_busy_exception_in_a_tmsxe_log_reads_as_throttling(tmp_path):
    """The EWS Managed API's ServerBusyException is Exchange throttling the service account: it
    answers the throttling question from the log, with file and line; the entry still waits for
    what the log cannot tell (what the users see, whether impersonation is granted)."""
    path = tmp_path / "tmsxe.log"
    path.write_text(TMSXE_BUSY, encoding="utf-8")
    data = diagnose_json("--text", "TMSXE: video room bookings show up late on monday mornings",
                         "--evidence", str(path))
    fact = next(f for f in data["facts"] if f["name"] == "exchange.throttled")
    assert fact["value"] == "yes" and fact["source"]["kind"] == "evidence"
    assert fact["source"]["line_no"] == 3
    assert data["diagnoses"][0]["id"] == "tmsxe-service-account-throttled"
    assert data["verdict"] != "confident"
    asked = [q["id"] for q in data["next_questions"]]
    assert asked[0] in ("tmsxe.symptom", "service-account.impersonation"), asked


def test_dont_know_whether_a_fix_was_made_is_taken_as_not_yet_and_said():
    result = run_triage("diagnose", "--json", "--text",
                        "UCCX agent email on Exchange 2010: agents cannot open their emails. "
                        "The Application log says the mailbox exceeded the maximum of 16 "
                        "objects of type session.",
                        "--answer", "uccx.symptom=emails-not-routed",
                        "--answer", "uccx.mapi-sessions-raised=unknown")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    top = data["diagnoses"][0]
    assert (data["verdict"], top["id"]) == ("confident", "uccx-mapi-session-limit")
    assert top["how"]["assumed"] == ["uccx.mapi-sessions-raised is no"]
    assert "taken that uccx.mapi-sessions-raised is no" in top["why"]


def test_a_near_miss_of_an_entry_its_words_rule_out_is_no_match_and_named():
    # sounds like the SCR activation, but a hub transport server has no SCR copy to activate
    text = ("Our Exchange 2007 SP1 hub transport server HUB02 is dead, the whole server is lost. "
            "We have SCR for the mailbox servers. Can we activate HUB02 from SCR? It has no "
            "SCR copy of the failed server.")
    data = diagnose_json("--text", text)
    assert data["verdict"] == "no-match"
    assert data["near_miss"] == "scr-activation-recover-server"
    human = " ".join(run_triage("diagnose", "--text", text).stdout.split())
    assert ("The ticket sounds most like scr-activation-recover-server, which what it says rules "
            "out") in human
    # the entry with its rule met: no near miss, whatever it sounds like
    data = diagnose_json("--text", "Exchange 2007 SP1: the whole mailbox server is lost; SCR "
                                   "copies of all storage groups are on the standby box. How do "
                                   "I bring the whole server up on the standby?")
    assert data["near_miss"] == ""
    assert data["diagnoses"][0]["id"] == "scr-activation-recover-server"
