"""Every identifier an entry states must occur in the source document the entry cites.

A helpdesk person follows a confident answer, so a Cisco bug id, a KB article number, an event id,
a registry path, an SMTP status code or a version number that is in no source is a fact nobody can
stand behind. This test reads each entry file as raw text, pulls out identifier-shaped tokens and
looks each one up in the copy of the document it cites (kb/sources.md lists the documents and
where their copies are; case and whitespace normalised). Switches set to a constant in commands
("-DeleteSubject $false") are checked the same way, the way back from a sourced switch being
allowed. A token the source does not hold fails the test: leave the fact out, or cite the source
that holds it. Prose claims (what a setting means, an order of work) are beyond a token check;
they need a reader.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from engine.kb.loader import load_kb

ROOT = Path(__file__).resolve().parent.parent
KB = ROOT / "kb"
_LOADED = load_kb(KB).kb
ENTRY_FILES = sorted(Path(e.path).resolve() for e in _LOADED.entries)

# Identifier-shaped tokens: (label, pattern). Patterns are matched case-insensitively against the
# entry text; each match is one token to find in the source.
PATTERNS: list[tuple[str, re.Pattern]] = [(label, re.compile(p, re.IGNORECASE)) for label, p in [
    ("Cisco bug id", r"\bCSC[a-z]{2}\d{5}\b"),
    ("KB article", r"\bKB\s?\d{5,7}\b"),
    ("TechNote", r"\bTech\s?Note\s+\d+\b"),
    ("hex code", r"\b0x[0-9a-f]+\b"),
    ("event id", r"\bevents?\s+(?:id\s+)?\d{2,5}\b"),
    ("event id", r"\bEvent\s?ID\s*(?::|-eq|=)?\s*\d{2,5}\b"),
    ("event id", r"\bId\s*=\s*\d{3,5}(?:\s*,\s*\d{3,5})*"),
    ("registry path", r"\b(?:HKLM|HKCU|HKEY_[A-Z_]+)\\[^\"`\]\r\n]*"),
    ("key length", r"\b\d+[- ]bit\b"),
    ("Cisco trace component", r"(?-i:\bCs(?:MbxSync|Ews|ExMbxLocator|WebDav|[A-Z][a-z]+[A-Z]\w*)\b)"),
    ("EWS response code", r"(?-i:\bError[A-Z][a-z]+[A-Z]\w*\b)"),
    ("SMTP status", r"\b[245]\.\d{1,3}\.\d{1,3}\b"),
    ("release", r"\b\d+\.\d+\(\d+\)"),
    ("service pack", r"\bSP\s?\d\b"),
    ("cumulative update", r"\bCU\s?\d+\b"),
    ("update rollup", r"\b(?:Update\s+Rollup|Roll-?up|RU|UR)\s?\d+\b"),
    ("dotted number", r"(?<![\w.])\d+(?:\.\d+)+(?![\w.]*\w)"),
    ("number", r"(?<![\w.:/\\-])\d{3,}(?![\w.]*\w)(?!\(\d)"),
]]

# A command's switch set to a constant, "-DeleteSubject $false", "-SSLOffloading:$False": the value
# is a fact as much as an id is. Comparison operators (-eq $false) are not switches.
SWITCH = re.compile(r"(?<![\w-])-(?!(?:eq|ne|gt|ge|lt|le|like|notlike|match|notmatch|and|or|not)\b)"
                    r"(\w+)(?::|\s+)\$(true|false|null)\b", re.IGNORECASE)
_OPPOSITE = {"true": "false", "false": "true"}

# Tokens that are the project's own, not facts from a source. Keep this list short; each needs a
# reason.
ALLOWED: dict[str, str] = {
    "443": "the HTTPS port: the sources say HTTPS (and 001 names port 443 for Autodiscover); the "
           "number belongs to the protocol, not to a source",
    "kb974571": "part of the entry id ocs-activation-fails-kb974571, which other entries name in "
                "related: and Notes (the article number itself is in source 004)",
}

# The same, for one entry only: (entry id, token) -> why.
ALLOWED_IN: dict[tuple[str, str], str] = {
    ("scr-activation-database-portability", "-allowfilerestore $true"):
        "the shell form of the source's step 5, 'allow itself to be overwritten during a restore' "
        "(source 001 gives only the EMC property)",
    ("unity-um-service-account-mailbox", "-enabled $true"):
        "the source's rule for the account: 'must be enabled'",
    ("unity-um-service-account-mailbox", "-passwordneverexpires $true"):
        "the source's rule for the account: 'password never expire'",
    ("unity-um-auth-mismatch", "401"): "HTTP's status for a refused authentication (RFC 7235); the "
                                       "source says the methods must match, and a method IIS does "
                                       "not accept gets this answer by the protocol's definition",
}

# An entry may correct an obvious typo of its source, and must then quote the source's spelling
# (in its Notes). (entry id, token as the entry writes it) -> (the source's spelling, the fragment
# the entry must quote). The test checks that the source really has that spelling.
CORRECTED: dict[tuple[str, str], tuple[str, str]] = {
    # The Cisco UCCX checklist prints the Information Store service key with a doubled E.
    ("uccx-mapi-session-limit",
     r"HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\MSExchangeIS\ParametersSystem"):
        (r"HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\MSEExchangeIS\ParametersSystem",
         "`MSEExchangeIS`"),
}

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                         "\u2013": "-", "\u2014": "-", "\u00a0": " "})


def normalise(text: str) -> str:
    text = text.translate(_QUOTES).lower()
    text = re.sub(r"\bkb\s+(\d)", r"kb\1", text)           # "KB 959241" and "KB959241"
    text = re.sub(r"\btech\s?note\s+", "technote ", text)
    text = text.replace("hklm\\", "hkey_local_machine\\").replace("hkcu\\", "hkey_current_user\\")
    return re.sub(r"\s+", " ", text)


def _token_regex(token: str) -> re.Pattern:
    """A token as a pattern over normalised source text: placeholders (<profile>) match anything
    (also nothing, as the source may leave the slot empty), a number must not be part of a longer
    number."""
    parts = re.split(r"(<[^<>]+>)", normalise(token).strip())
    body = "".join(".{0,80}?" if p.startswith("<") else re.escape(p) for p in parts)
    if re.match(r"\d", body):
        body = r"(?<![\d])" + body
    if re.search(r"\d$", body):
        body += r"(?![\d])"
    return re.compile(body)


def switches(text: str) -> set[str]:
    """Switch settings as "-name $value" (lower case, colon form folded to a space)."""
    return {f"-{m.group(1).lower()} ${m.group(2).lower()}" for m in SWITCH.finditer(text)}


def switch_in_source(switch: str, source_switches: set[str]) -> bool:
    """A switch setting the source gives, or the counterpart of one it gives (the way back from
    "-ProtocolLogEnabled $true" is "-ProtocolLogEnabled $false")."""
    name, _, value = switch.partition(" $")
    return switch in source_switches or f"{name} ${_OPPOSITE.get(value, value)}" in source_switches


def tokens(text: str) -> set[tuple[str, str]]:
    found = set()
    for label, pattern in PATTERNS:
        for m in pattern.finditer(text):
            token = m.group(0).rstrip(" .,;:)'")
            if label == "event id":
                # the number(s) are the fact; "event 15004" and "Event ID: 15004" are the same
                for number in re.findall(r"\d{2,5}", token):
                    found.add((label, number))
                continue
            found.add((label, token))
    return found


def entry_source(path: Path) -> tuple[str, str, str]:
    """The entry's id, the text of the document it cites, and its own text."""
    entry = next(e for e in _LOADED.entries if Path(e.path).resolve() == path)
    document = _LOADED.source(entry.source)
    assert document is not None, f"{entry.id} cites '{entry.source}', which kb/sources.md lacks"
    assert document.file, f"{entry.id} cites {document.url}, with no copy in the KB to check"
    return entry.id, (KB / document.file).read_text(encoding="utf-8"), \
        path.read_text(encoding="utf-8")


def check_entry(path: Path) -> tuple[list[str], set]:
    """The tokens of one entry that its source lacks, and the allow-list keys it used."""
    entry_id, source, text = entry_source(path)
    source_text = normalise(source)
    corrected = {(e, normalise(tok)): v for (e, tok), v in CORRECTED.items()}
    missing, used = [], set()
    for label, token in sorted(tokens(text)):
        key = normalise(token).strip()
        if key in ALLOWED:
            used.add(key)
            continue
        if (entry_id, key) in ALLOWED_IN:
            used.add((entry_id, key))
            continue
        if (entry_id, key) in corrected:
            typo, quote = corrected[(entry_id, key)]
            assert _token_regex(typo).search(source_text), f"{entry_id}: source lacks {typo!r}"
            assert quote in text, f"{entry_id}: corrects the source but does not quote {quote}"
            used.add((entry_id, key))
            continue
        if not _token_regex(token).search(source_text):
            missing.append(f"{label}: {token}")
    source_switches = switches(source_text)
    for switch in sorted(switches(text)):
        name, _, value = switch.partition(" $")
        allowed = {(entry_id, switch), (entry_id, f"{name} ${_OPPOSITE.get(value, value)}")}
        if allowed & set(ALLOWED_IN):
            used |= allowed & set(ALLOWED_IN)     # an allowed switch, or its way back
        elif not switch_in_source(switch, source_switches):
            missing.append(f"switch value: {switch}")
    return missing, used


def missing_tokens(path: Path) -> list[str]:
    return check_entry(path)[0]


@pytest.mark.parametrize("path", ENTRY_FILES, ids=lambda p: p.stem)
def test_identifiers_occur_in_cited_source(path):
    assert missing_tokens(path) == []


# --- signatures ------------------------------------------------------------------------------
# A signature's pattern and description are checked the same way: an event id, a hex code, an
# SMTP status, a build number or an EWS response code a signature looks for must occur in the
# source of at least one entry that cites the signature in its Evidence (any source, for a
# signature no entry cites: the product names and the callers' words). The examples are left
# out: they are invented lines around the marker (addresses, times, process ids).

SIGNATURES = sorted(_LOADED.signatures, key=lambda s: s.id)

# (signature id, token) -> why.
SIGNATURE_ALLOWED: dict[tuple[str, str], str] = {
    ("sig-http-401", "401"): "HTTP's status for a refused authentication (RFC 7235), the form in "
                             "which a refused NTLM or Basic logon reaches the client",
    ("sig-unity-http-401", "401"): "HTTP's status for a refused authentication (RFC 7235), as "
                                   "Unity Connection's HTTP client reports it",
    ("sig-pop3-user-connection-limit", "110"): "POP3's own port (RFC 1939): it tells a POP3 row "
                                               "of the protocol log from an IMAP4 one",
    ("sig-pop3-user-connection-limit", "995"): "POP3 over TLS (RFC 8314): it tells a POP3 row of "
                                               "the protocol log from an IMAP4 one",
    # Versions the sources do not cover must still be recognised: a known other version is what
    # lets `## Applies to` rule an entry out (exchange.version, windows.version).
    ("sig-exchange-version", "2019"): "a value of the question exchange.version, so that a ticket "
                                      "on Exchange 2019 rules out what applies to 2007 or 2010",
    ("sig-exchange-version-migration-target", "2019"): "a value of the question exchange.version",
    ("sig-exchange-version-role", "2019"): "a value of the question exchange.version",
    ("sig-exchange-version-cu", "2019"): "a value of the question exchange.version",
    ("sig-windows-version", "2019"): "a value of the question windows.version, so that a ticket on "
                                     "Windows Server 2019 rules out what applies to 2008",
    ("sig-tmsxe-exchange-level-supported", "sp 1"): "source 000's 'Exchange Server 2013 SP1', "
                                                    "also written with a space",
    ("sig-tmsxe-exchange-level-supported", "sp 3"): "source 000's 'Exchange Server 2010 Sp3', "
                                                    "also written with a space",
}


def regex_text(pattern: str) -> str:
    """A regular expression as the text it looks for, near enough to find identifiers in it:
    flags and group names dropped, `\\b` and `\\s` as spaces, other escapes undone. Character
    classes and counts stay as they are; they hold no identifier."""
    text = re.sub(r"\(\?[a-zA-Z]+\)", "", pattern)
    text = re.sub(r"\(\?P<\w+>", "(", text)
    text = re.sub(r"\\[bBsSdDwW][*+?]?", " ", text)
    return re.sub(r"\\(.)", r"\1", text)


def signature_sources(signature) -> list[str]:
    """The text of the document the signature cites itself, if any, and of the documents cited
    by the entries that list it as evidence, or of every document when neither is given."""
    ids = {e.source for e in _LOADED.entries
           if any(ref.signature == signature.id for ref in e.evidence)}
    if signature.source:
        ids.add(signature.source)
    ids = ids or {d.id for d in _LOADED.sources}
    out = []
    for source_id in sorted(ids):
        document = _LOADED.source(source_id)
        assert document is not None and document.file, f"{signature.id}: no copy of {source_id}"
        out.append(normalise((KB / document.file).read_text(encoding="utf-8")))
    return out


def check_signature(signature) -> tuple[list[str], set]:
    """The identifiers of one signature that none of its sources holds, and the allow-list
    keys it used."""
    pattern = signature.literal if signature.literal is not None else \
        regex_text(signature.regex or "")
    sources = signature_sources(signature)
    missing, used = [], set()
    for label, token in sorted(tokens(f"{signature.description}\n{pattern}")):
        key = normalise(token).strip()
        if key in ALLOWED:
            used.add(key)
            continue
        if (signature.id, key) in SIGNATURE_ALLOWED:
            used.add((signature.id, key))
            continue
        if not any(_token_regex(token).search(text) for text in sources):
            missing.append(f"{label}: {token}")
    return missing, used


@pytest.mark.parametrize("signature", SIGNATURES, ids=lambda s: s.id)
def test_signature_identifiers_occur_in_a_citing_entrys_source(signature):
    assert check_signature(signature)[0] == []


@pytest.mark.parametrize("pattern, token", [
    (r"(?i)452 4\.3\.1 Insufficient system resources", "4.3.1"),
    (r"ErrorServerBusy", "ErrorServerBusy"),
    (r"Version 15\.1 \(Build 225\.\d+\)", "15.1"),
    (r"(?i)\bevent(?: ?id)?\s*:?\s*9646\b", "9646"),
    (r"(?i)Failed \(0x80072EE7\)", "0x80072EE7"),
])
def test_checker_sees_identifiers_in_patterns(pattern, token):
    """Identifiers written as a regular expression are seen as the text they match."""
    assert token in {t for _, t in tokens(regex_text(pattern))}


def test_allow_lists_hold_only_tokens_in_use():
    """An allow-list line no entry or signature needs any more is removed, so the list stays
    short."""
    used = set().union(*(check_entry(p)[1] for p in ENTRY_FILES),
                       *(check_signature(s)[1] for s in SIGNATURES))
    corrected = {(e, normalise(tok)) for e, tok in CORRECTED}
    assert (set(ALLOWED) | set(ALLOWED_IN) | set(SIGNATURE_ALLOWED) | corrected) - used == set()


def test_every_entry_is_checked():
    assert len(ENTRY_FILES) >= 56


@pytest.mark.parametrize("text, token", [
    ("Older releases lack NTLMv2 (Cisco bug CSCub61107).", "CSCub61107"),
    ("see Cisco TechNote 116488", "TechNote 116488"),
    ("MSExchangeIS event 9646 is logged", "9646"),
    ("1024-bit certificates can fail", "1024-bit"),
    ("CsMbxSync level 19 traces: count above 999", "CsMbxSync"),
    ("AdminDisplayVersion 14.1 is SP1", "14.1"),
    ("From Exchange 2010 SP2 RU4 on", "RU4"),
    ("Microsoft KB 940881", "KB 940881"),
    ("fails with 0x80072EE7", "0x80072EE7"),
    ("MSExchangeIS event 9646", "9646"),
    ("reg add \"HKLM\\SYSTEM\\X\\Y\" /v Z", "HKLM\\SYSTEM\\X\\Y"),
    ("421 4.4.2 Message submission rate", "4.4.2"),
])
def test_checker_sees_identifiers(text, token):
    """The shapes the review found wrong are the shapes this test extracts."""
    assert token in {t for _, t in tokens(text)}


@pytest.mark.parametrize("command, source, ok", [
    ("Set-CalendarProcessing -Identity <room> -DeleteSubject $false", "Delete the subject", False),
    ("Set-TransportServer -ExternalDNSAdapterEnabled $false", "451 4.4.0 DNS query failed", False),
    ("Set-IMAPSettings -ProtocolLogEnabled $false", "Set-IMAPSettings -ProtocolLogEnabled $true", True),
    ("Enable-OutlookAnywhere -SSLOffloading:$False", "-SSLOffloading:$False", True),
    ("Where-Object {$_.Sealed -eq $false}", "", True),
])
def test_checker_sees_switch_values(command, source, ok):
    """Room settings with values the source never gives, and a switch of a fix path the source
    does not describe, are caught; a counterpart of a sourced switch and an operator are not."""
    source_switches = switches(normalise(source))
    assert all(switch_in_source(s, source_switches) for s in switches(command)) is ok


def test_a_signature_is_checked_against_its_own_source():
    """The EWS throttling markers are in no seed: each names the public document that prints it
    (kb/sources.md, url and excerpt), and its tokens are looked up there, not anywhere."""
    signature = next(s for s in SIGNATURES if s.id == "sig-ews-server-busy")
    document = _LOADED.source(signature.source)
    assert document is not None and document.url.startswith("https://learn.microsoft.com/")
    assert check_signature(signature)[0] == []
    seed_only = [normalise((KB / d.file).read_text(encoding="utf-8"))
                 for d in _LOADED.sources if not d.url]
    assert not any("errorserverbusy" in text for text in seed_only)
