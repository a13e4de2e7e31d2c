"""imap, pop3 and smtp against local servers speaking Exchange's exact lines. Each test checks
the whole conversation the server received: no LOGIN, USER, PASS or AUTH, ever."""

import pytest
from probe_servers import exchange_server_name, line_server, plain_server

from engine.probes import run_probe

NAME = exchange_server_name("MBX01.contoso.com")
IMAP_GREETING = f"* OK The Microsoft Exchange IMAP4 service is ready. [{NAME}]\r\n".encode()
IMAP_CAPABILITY = ("* CAPABILITY IMAP4 IMAP4rev1 AUTH=NTLM AUTH=GSSAPI AUTH=PLAIN STARTTLS "
                   "UIDPLUS MOVE ID UNSELECT CLIENTACCEPTSPRIVACY IDLE NAMESPACE LITERAL+")
CREDENTIALS = ("LOGIN", "USER", "PASS", "AUTH", "AUTHENTICATE")


def never_credentials(received):
    words = {w.upper() for line in received for w in line.split()[:2]}
    assert not words & set(CREDENTIALS)


def imap_answer(line):
    tag, _, command = line.partition(" ")
    if command == "CAPABILITY":
        return f"{IMAP_CAPABILITY}\r\n{tag} OK CAPABILITY completed.\r\n".encode(), False
    if command == "LOGOUT":
        return (f"* BYE Microsoft Exchange Server IMAP4 server signing off.\r\n"
                f"{tag} OK LOGOUT completed.\r\n").encode(), True
    return f"{tag} BAD Command Error. 12\r\n".encode(), False


def test_imap_exchange():
    with line_server(IMAP_GREETING, imap_answer) as server:
        result = run_probe("imap", f"127.0.0.1:{server.port}", timeout=10)
    assert server.received == ["a1 CAPABILITY", "a2 LOGOUT"]
    never_credentials(server.received)
    assert result.error is None
    assert {o.name: o.value for o in result.observations if o.name != "imap.connect-ms"} == {
        "imap.banner": IMAP_GREETING.decode().rstrip(),
        "imap.exchange": "yes",
        "imap.server-name": "MBX01.contoso.com",
        "imap.capabilities": ",".join(IMAP_CAPABILITY.split()[2:]),
        "imap.starttls": "yes",
        "imap.auth-mechanisms": "NTLM,GSSAPI,PLAIN",
        "imap.login-disabled": "no",
    }
    assert result.verdicts == [f"IMAP on 127.0.0.1:{server.port}: Microsoft Exchange; "
                               "STARTTLS offered: yes"]


def test_imap_server_saying_bye_is_an_error_with_its_banner():
    greeting = b"* BYE Connection is closed. 13\r\n"
    with line_server(greeting, imap_answer) as server:
        result = run_probe("imap", f"127.0.0.1:{server.port}", timeout=10)
    assert server.received == []
    assert result.error == "the IMAP server refused the session: * BYE Connection is closed. 13"
    assert result.value("imap.banner") == "* BYE Connection is closed. 13"


def pop3_answer(line):
    if line == "CAPA":
        return (b"+OK\r\nTOP\r\nUIDL\r\nSASL NTLM GSSAPI PLAIN\r\nUSER\r\nSTLS\r\n.\r\n", False)
    if line == "QUIT":
        return b"+OK Microsoft Exchange Server POP3 server signing off.\r\n", True
    return b"-ERR Protocol error. 14\r\n", False


def test_pop3_exchange():
    greeting = f"+OK The Microsoft Exchange POP3 service is ready. [{NAME}]\r\n".encode()
    with line_server(greeting, pop3_answer) as server:
        result = run_probe("pop3", f"127.0.0.1:{server.port}", timeout=10)
    assert server.received == ["CAPA", "QUIT"]
    never_credentials(server.received)
    assert {o.name: o.value for o in result.observations if o.name != "pop3.connect-ms"} == {
        "pop3.banner": greeting.decode().rstrip(),
        "pop3.exchange": "yes",
        "pop3.server-name": "MBX01.contoso.com",
        "pop3.capabilities": "TOP,UIDL,SASL,USER,STLS",
        "pop3.starttls": "yes",
        "pop3.auth-mechanisms": "NTLM,GSSAPI,PLAIN",
        "pop3.user": "yes",
    }


def test_pop3_without_capa_leaves_starttls_unknown():
    def answer(line):
        if line == "QUIT":
            return b"+OK bye\r\n", True
        return b"-ERR unknown command\r\n", False
    with line_server(b"+OK POP3 server ready\r\n", answer) as server:
        result = run_probe("pop3", f"127.0.0.1:{server.port}", timeout=10)
    assert server.received == ["CAPA", "QUIT"]
    assert (result.value("pop3.exchange"), result.value("pop3.starttls")) == ("no", "unknown")


EHLO_REPLY = ["mail.contoso.com Hello [127.0.0.1]", "SIZE 37748736", "PIPELINING", "DSN",
              "ENHANCEDSTATUSCODES", "STARTTLS", "X-ANONYMOUSTLS", "AUTH NTLM",
              "X-EXPS GSSAPI NTLM", "8BITMIME", "BINARYMIME", "CHUNKING", "XRDST"]


def smtp_answer(reply_lines):
    def answer(line):
        if line.startswith("EHLO "):
            text = "".join(f"250-{r}\r\n" for r in reply_lines[:-1]) + f"250 {reply_lines[-1]}"
            return f"{text}\r\n".encode(), False
        if line == "QUIT":
            return b"221 2.0.0 Service closing transmission channel\r\n", True
        return b"500 5.3.3 Unrecognized command\r\n", False
    return answer


def test_smtp_exchange():
    greeting = (b"220 mail.contoso.com Microsoft ESMTP MAIL Service ready at "
                b"Mon, 3 Jun 2024 10:00:00 +0000\r\n")
    with line_server(greeting, smtp_answer(EHLO_REPLY)) as server:
        result = run_probe("smtp", f"127.0.0.1:{server.port}", ehlo="probe.contoso.com",
                           timeout=10)
    assert server.received == ["EHLO probe.contoso.com", "QUIT"]
    never_credentials(server.received)
    assert {o.name: o.value for o in result.observations if o.name != "smtp.connect-ms"} == {
        "smtp.banner": greeting.decode().rstrip(),
        "smtp.exchange": "yes",
        "smtp.hostname": "mail.contoso.com",
        "smtp.ehlo-name": "probe.contoso.com",
        "smtp.ehlo": "accepted",
        "smtp.extensions": "SIZE,PIPELINING,DSN,ENHANCEDSTATUSCODES,STARTTLS,X-ANONYMOUSTLS,"
                           "AUTH,X-EXPS,8BITMIME,BINARYMIME,CHUNKING,XRDST",
        "smtp.starttls": "yes",
        "smtp.auth-mechanisms": "NTLM",
        "smtp.size": 37748736,
    }


def test_smtp_exchange_recognised_by_ehlo_when_the_banner_is_customised():
    with line_server(b"220 Welcome\r\n", smtp_answer(EHLO_REPLY)) as server:
        result = run_probe("smtp", f"127.0.0.1:{server.port}", timeout=10)
    assert result.value("smtp.exchange") == "yes"
    assert server.received[0].startswith("EHLO ")        # a domain or an address literal
    assert result.value("smtp.ehlo-name") == server.received[0][5:]


def test_smtp_multiline_greeting_without_starttls():
    greeting = b"220-mx.example.org ESMTP Postfix\r\n220 no UCE\r\n"
    with line_server(greeting, smtp_answer(["mx.example.org", "PIPELINING", "8BITMIME"])) \
            as server:
        result = run_probe("smtp", f"127.0.0.1:{server.port}", timeout=10)
    assert (result.value("smtp.banner"), result.value("smtp.exchange"),
            result.value("smtp.starttls")) == ("220 mx.example.org ESMTP Postfix", "no", "no")


def test_smtp_refusing_service_says_so_and_quits():
    with line_server(b"554 5.7.1 No service for you\r\n", smtp_answer(EHLO_REPLY)) as server:
        result = run_probe("smtp", f"127.0.0.1:{server.port}", timeout=10)
    assert server.received == ["QUIT"]
    assert result.error == "the SMTP server refused the session: 554 5.7.1 No service for you"


@pytest.mark.parametrize("kind", ["imap", "pop3", "smtp"])
def test_a_port_speaking_something_else(kind):
    with plain_server(b"SSH-2.0-OpenSSH_9.6\r\n") as server:
        result = run_probe(kind, f"127.0.0.1:{server.port}", timeout=10)
    assert result.error_reason == "protocol"
    assert "answers, but not with" in result.error


def test_a_silent_port_times_out_waiting_for_the_greeting():
    with plain_server() as server:
        result = run_probe("imap", f"127.0.0.1:{server.port}", timeout=2)
    assert result.error == (f"127.0.0.1:{server.port} sent no IMAP greeting within 2 s (a "
                            "TLS-only port such as 993, 995 or 465? this probe speaks plain text)")
