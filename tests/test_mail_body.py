"""A forwarded mail thread as ticket matching reads it (engine.text.mail): the headers,
separators, sign-offs with their signature, and disclaimers say nothing about the problem and
would make a long thread sound like no entry; the subject and the quoted mails stay."""

from engine.inference import CompiledKB, Interview
from engine.text.mail import body

THREAD = """From: Service Desk <servicedesk@contoso.com>
Sent: Tuesday, 14 March 2023 09:12
To: Messaging Team <messaging@contoso.com>
Subject: RE: FW: Jabber meeting status

Can someone pick this up please?

Thanks,
Mark Jones
IT Service Desk | Ext. 4455

-----Original Message-----
From: Anna K
> Since my mailbox was moved to the new database server on Monday my Jabber no longer
> shows "In a meeting". The people sitting next to me are fine.

This e-mail is confidential and intended solely for the addressee. If you have received it
in error, please delete it. Please consider the environment before printing this email.
"""


def test_the_boilerplate_goes_and_the_problem_stays():
    kept = body(THREAD)
    assert "Jabber meeting status" in kept and "RE:" not in kept
    assert "Since my mailbox was moved" in kept and ">" not in kept
    for gone in ("servicedesk@contoso.com", "Tuesday", "Mark Jones", "Ext. 4455",
                 "Original Message", "confidential", "environment"):
        assert gone not in kept, gone


def test_a_thread_sounds_like_the_entry_its_quoted_mail_describes(real_kb):
    mail = "\n".join(line[2:] for line in THREAD.splitlines() if line.startswith("> "))
    with CompiledKB(real_kb.kb) as compiled:
        scores = {}
        for name, text in (("thread", THREAD), ("mail", mail)):
            with Interview(compiled) as session:
                session.set_text(text)
                d = session.differential()
            assert d.verdict != "no-match"
            assert d.top.id == "imp-calendar-state-after-mailbox-move"
            scores[name] = d.top.text
    # the thread around it takes nothing away from how much the mail (with the subject) sounds
    # like the entry
    assert scores["thread"] >= scores["mail"]


def test_a_quoted_mail_is_read_with_its_lines_and_their_numbers(real_kb):
    with CompiledKB(real_kb.kb) as compiled, Interview(compiled) as session:
        facts = {f.name: f for f in session.set_text(THREAD)}
    # "... my Jabber no longer" / "> shows 'In a meeting'": one sentence once the > is off
    symptom = facts["imp.symptom"]
    assert symptom.value in ("no-calendar-status", "one-user-no-calendar-status")
    assert THREAD.splitlines()[symptom.source.line_no - 1].startswith("> ")
    assert facts["mailbox.moved-recently"].value == "yes"
