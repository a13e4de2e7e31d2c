"""Terminal and markup injection (issue 13, item 6): escape sequences and rich markup from
evidence, tickets, KB files, typed arguments and remote servers reach no output intact: every
path of the real CLI is fed OSC 52 (clipboard), OSC 0 (window title), CSI 2J (clear screen), a
C1 CSI and markup, and must print them as visible text."""

import json
import re
import shutil

import pytest
from support import KB, run_triage

OSC52 = "\x1b]52;c;ZWNobyBwd25lZA==\x07"
OSC0 = "\x1b]0;pwned\x1b\\"
CLEAR = "\x1b[2J\x9b2J"
MARKUP = "[link=file:///etc/passwd]click[/link][bold red]"
HOSTILE = OSC52 + OSC0 + CLEAR + MARKUP
RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")     # what must never be printed as it is
GATEWAY = "exch01.corp.example.com   SSL Connection/Certificate Verification Failed - SAN Mismatch"


def assert_inert(text: str) -> None:
    found = RAW.findall(text.replace("\r\n", "\n"))
    assert found == []


def test_diagnose_prints_escapes_from_evidence_and_ticket_as_text(tmp_path):
    log = tmp_path / "gateway.txt"
    log.write_text(f"{GATEWAY} {HOSTILE}\n", encoding="utf-8")
    human = run_triage("diagnose", "--text", f"Jabber shows no meetings {HOSTILE}",
                       "--evidence", str(log))
    assert human.returncode == 0, human.stderr
    assert_inert(human.stdout + human.stderr)
    flat = "".join(human.stdout.split())
    assert "\\x1b]52;c;ZWNobyBwd25lZA==\\x07" in flat
    assert "[link=file:///etc/passwd]click[/link][boldred]" in flat
    data = run_triage("diagnose", "--text", HOSTILE, "--evidence", str(log), "--json")
    assert data.returncode == 0, data.stderr
    assert_inert(data.stdout)
    assert not re.search(r"\\u00(1b|07)|\\u009b", data.stdout)   # not even as JSON escapes
    json.loads(data.stdout)


def test_search_echoes_a_hostile_query_inert():
    result = run_triage("search", "zzqqxx\x1b]qqzz\x07\x1b[2J\x9bqqxx")   # matches nothing
    assert result.returncode == 1
    assert_inert(result.stdout + result.stderr)
    assert "\\x1b]qqzz\\x07\\x1b[2J\\x9bqqxx" in result.stderr


@pytest.mark.parametrize("argv", [
    [HOSTILE],                                    # an unknown command
    ["probe", HOSTILE, "x"],                      # an unknown probe kind
    ["show", HOSTILE],                            # an unknown id
    ["diagnose", "--answer", HOSTILE],            # a malformed answer
    ["diagnose", "--evidence", f"/nonexistent/{HOSTILE}"],
    ["search", "x", "--limit", HOSTILE],
])
def test_errors_that_quote_what_was_typed_are_inert(argv):
    result = run_triage(*argv)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert_inert(result.stdout + result.stderr)


@pytest.fixture
def kb_copy(tmp_path):
    root = tmp_path / "kb"
    shutil.copytree(KB, root)
    return root


def test_a_kb_body_with_an_escape_sequence_is_a_lint_error_not_output(kb_copy):
    entry = kb_copy / "client-protocols" / "imap-uid-corruption.md"
    text = entry.read_text(encoding="utf-8").replace("## Cause\n", f"## Cause\n{OSC52}\n", 1)
    entry.write_text(text, encoding="utf-8")
    lint = run_triage("lint", str(kb_copy))
    assert lint.returncode == 1
    assert_inert(lint.stdout + lint.stderr)
    assert re.search(r"imap-uid-corruption\.md:\d+: control character \\x1b at column 1",
                     lint.stdout)
    for args in (("show", "imap-uid-corruption"), ("show", "imap-uid-corruption", "--json"),
                 ("search", "imap")):
        shown = run_triage("--kb", str(kb_copy), *args)
        assert shown.returncode == 2
        assert_inert(shown.stdout + shown.stderr)


def test_kb_titles_are_text_not_markup(kb_copy, tmp_path):
    entry = kb_copy / "client-protocols" / "imap-uid-corruption.md"
    text = entry.read_text(encoding="utf-8")
    title = re.search(r"^title: (.*)$", text, re.M).group(1)
    text = text.replace(f"title: {title}", f"title: \"{title} {MARKUP}\"", 1)
    entry.write_text(text, encoding="utf-8")
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    for args in (("show", "imap-uid-corruption"), ("list",), ("search", "UidCorruptionDetected")):
        result = run_triage("--kb", str(kb_copy), *args, env=env)
        assert result.returncode == 0, result.stderr
        assert "[link=file:///etc/passwd]click[/link]" in "".join(result.stdout.split()), args
