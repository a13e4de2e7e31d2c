"""`triage probe` prints what a server sent (banners, capabilities) inert: an escape sequence
in a greeting reaches no terminal (issue 13, item 6)."""

import json
import re

import pytest
from probe_servers import line_server
from support import run_triage

OSC52 = "\x1b]52;c;ZWNobyBwd25lZA==\x07"
CLEAR = "\x1b[2J\x9b2J"
HOSTILE = OSC52 + "\x1b]0;pwned\x1b\\" + CLEAR + "[link=file:///etc/passwd]click[/link]"
RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def assert_inert(text: str) -> None:
    assert RAW.findall(text.replace("\r\n", "\n")) == []


def hostile_imap(line):
    tag, _, command = line.partition(" ")
    if command == "CAPABILITY":
        return (f"* CAPABILITY IMAP4rev1 {OSC52}\r\n{tag} OK done\r\n").encode(), False
    return f"* BYE {CLEAR}\r\n{tag} OK LOGOUT completed.\r\n".encode(), True


@pytest.mark.parametrize("extra", [(), ("--json",)])
def test_probe_prints_what_a_server_sent_inert(extra):
    greeting = f"* OK The Microsoft Exchange IMAP4 service is ready. {HOSTILE}\r\n".encode()
    with line_server(greeting, hostile_imap) as server:
        result = run_triage("probe", "imap", f"127.0.0.1:{server.port}", "--timeout", "20",
                            *extra)
    assert_inert(result.stdout + result.stderr)
    assert "\\x1b]52" in result.stdout
    if extra:
        json.loads(result.stdout)
