"""The redaction layer on every way out of the engine (issue 13, item 3): the session store, the
transcript, `diagnose`, `search` and `show` (text and JSON), and the engine's log records. The
forms themselves are tested in test_redact.py and test_redact_forms.py; here each path must
mask forms the old ad-hoc redaction missed."""

import codecs
import json
import logging
import shutil
import sqlite3

import pytest
from support import KB, run_triage

from engine.inference import CompiledKB
from engine.kb import loader
from engine.sessions.ticket import StoreHandle, TicketSession

SECRETS = ("Winter2024!", "0822455D0A16", "MIIEowIBAAKCAQEA7xVbqKYoZ1aJq0r3", "S3cr3tComm")
GATEWAY = "exch01.corp.example.com   SSL Connection/Certificate Verification Failed - SAN Mismatch"
PASTE = ("Jabber stopped showing meetings. The admin said he ran\n"
         "sqlcmd -S SQL01\\TMS -U sa -P Winter2024! -Q \"SELECT 1\"\n"
         "username admin privilege 15 password 7 0822455D0A16\n"
         "snmp-server community S3cr3tComm RO\n"
         "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7xVbqKYoZ1aJq0r3\n"
         "-----END RSA PRIVATE KEY-----\n")


def assert_clean(text: str) -> None:
    leaked = [secret for secret in SECRETS if secret in text]
    assert leaked == []


@pytest.fixture(scope="module")
def knowledge():
    with CompiledKB(loader.load_clean(KB)) as compiled:
        yield compiled


def test_the_store_and_the_transcript_hold_no_secret(knowledge, tmp_path):
    path = tmp_path / "sessions.sqlite3"
    handle = StoreHandle(path)
    session, saved = TicketSession.start(knowledge, handle, session_id="s1")
    session.set_text(PASTE)
    lines = [f"{GATEWAY}   sqlcmd -U sa -P Winter2024!", "snmp-server community S3cr3tComm RO"]
    report = knowledge.scanner.scan_text("\n".join(lines), "gateway.txt")
    session.add_evidence(report, "paste")
    session.answer("product", "imp")
    assert session.save().ok
    transcript = session.transcript()
    session.close()
    handle.close()
    assert "sqlcmd -U sa -P ********" in transcript
    assert_clean(transcript)
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT payload FROM events UNION ALL "
                            "SELECT title || ticket_text FROM sessions").fetchall()
    stored = "\n".join(row[0] for row in rows)
    assert "password 7 ********" in stored
    assert_clean(stored)
    for name in (path.name, path.name + "-wal"):
        if (tmp_path / name).exists():
            assert_clean((tmp_path / name).read_bytes().decode("utf-8", "replace"))


@pytest.mark.parametrize("bom,encoding", [(codecs.BOM_UTF16_LE, "utf-16-le"), (b"", "utf-8")])
def test_diagnose_prints_no_secret(tmp_path, bom, encoding):
    log = tmp_path / "gateway.txt"
    line = f"{GATEWAY}   ldapsearch -x -w Winter2024! -b dc=corp\r\n"
    log.write_bytes(bom + ("Presence Gateway Configuration\r\n" + line).encode(encoding))
    for extra in ((), ("--json",)):
        result = run_triage("diagnose", "--text", PASTE, "--evidence", str(log), *extra)
        assert result.returncode == 0, result.stderr
        assert "-w ********" in result.stdout
        assert_clean(result.stdout + result.stderr)
        if extra:
            json.loads(result.stdout)


@pytest.fixture(scope="module")
def kb_with_a_secret(tmp_path_factory):
    root = tmp_path_factory.mktemp("kb") / "kb"
    shutil.copytree(KB, root)
    entry = root / "client-protocols" / "imap-uid-corruption.md"
    text = entry.read_text(encoding="utf-8")
    text = text.replace("## Cause\n", "## Cause\nThe old runbook said to check the store with "
                        "`sqlcmd -S SQL01 -U sa -P Winter2024!` first (do not).\n\n", 1)
    entry.write_text(text, encoding="utf-8")
    return root


def test_show_and_search_print_no_secret(kb_with_a_secret, tmp_path):
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    for args in (("show", "imap-uid-corruption"), ("show", "imap-uid-corruption", "--json"),
                 ("search", "sqlcmd"), ("search", "sqlcmd", "--json")):
        result = run_triage("--kb", str(kb_with_a_secret), *args, env=env)
        assert result.returncode == 0, result.stderr
        assert "imap-uid-corruption" in result.stdout
        assert_clean(result.stdout + result.stderr)
    shown = run_triage("--kb", str(kb_with_a_secret), "show", "imap-uid-corruption", env=env)
    assert "-P ********" in shown.stdout


def test_engine_log_records_are_redacted(caplog):
    caplog.set_level(logging.DEBUG, logger="engine.inference.rules")
    logging.getLogger("engine.inference.rules").debug(
        "session %s: %s fired on %s", "s1", "rule-1", "sqlcmd -S sql01 -P Winter2024!")
    assert caplog.records[-1].getMessage() == \
        "session s1: rule-1 fired on sqlcmd -S sql01 -P ********"
