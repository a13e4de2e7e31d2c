"""The secrets redaction masks, as data: one `Rule` per form, each an RE2 pattern whose first
group that took part is the secret value (or a function that finds the values' spans).

Where a form has a rule in gitleaks' default rule set (config/gitleaks.toml, RE2 syntax, the
maintained catalogue this list follows), `source` names it; the Exchange, Windows and Cisco forms
gitleaks does not cover (protocol logs, PowerShell, cmd, IOS configuration, registry output) say
`triage`. Unlike gitleaks, which reports a match, these keep everything around the value: the
verb, the user name, the host stay readable; only the value becomes `********`.

Patterns match within a line (`[^\\r\\n]`), except the PEM block, which spans lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import re2


def compile_rule(source: str):
    opts = re2.Options()
    opts.log_errors = False     # RE2's C++ logging would draw over the TUI
    return re2.compile(source, opts)


# --- pattern pieces ------------------------------------------------------------------

SP = r"[ \t]"
DQ = r'"([^"\r\n]*)"'
SQ = r"'([^'\r\n]*)'"
B64 = r"[A-Za-z0-9+/]+={0,2}"
MECHS = (r"PLAIN|LOGIN|XOAUTH2|OAUTHBEARER|NTLM|GSSAPI|CRAM-MD5|DIGEST-MD5|SCRAM-SHA-1"
         r"|SCRAM-SHA-256")
CLIENT_PREFIX = r"\b(?:C|Request|SendData|Sent|Send)[ \t]*:[ \t]*"
# where a client command starts in a transcript line: line start, a CSV field, or a
# "C:" / "Request:" / "SendData:" prefix (Wireshark summaries, client debug logs)
CMD_START = r"(?:^[ \t]*|[,<>][ \t]*|" + CLIENT_PREFIX + ")"
# IMAP LOGIN: the tag tells a command from prose ("Win10 login screen freezes", "Outlook shows a
# LOGIN prompt"): tags look like a001, A1, ABCD1 (anywhere, with upper-case LOGIN), or ? . a
# (at a line start: Microsoft's telnet examples use "? LOGIN"); lower-case "login" is taken
# with a short letters-and-digits tag at a line start, or after a client prefix
_LINE_START = r"(?:^[ \t]*|[,<>][ \t]*)"
_LOGIN_TAGGED = (r"(?:(?:^|[\s,<>:])[A-Za-z]{0,8}[0-9][A-Za-z0-9]*|" + _LINE_START
                 + r"(?:[?.]|[A-Za-z]))" + SP + r"+LOGIN")
_LOGIN_CASUAL = _LINE_START + r"[A-Za-z]{1,2}[0-9]+" + SP + r"+(?i:login)"
_LOGIN_PREFIXED = CLIENT_PREFIX + r"[A-Za-z0-9.?]+" + SP + r"+(?i:login)"
# "password" in the languages Exchange and Windows print it in (German Kennwort/Passwort,
# Dutch wachtwoord)
_PW_KEYS = r"\w*(?:password|passwort|passwd|pwd|kennwort|wachtwoord)"
_AUTHORIZATION = r"(?i)\b(?:proxy-)?authorization[\"']?" + SP + r"*[:=]" + SP + r"*[\"']?"
_SECRET_KEYS = (r"\w*secret|\w*secret_?access_?key|access_?token|refresh_?token|id_?token"
                r"|auth_?token|x-auth-token|security_?token|session_?token|api[_-]?key"
                r"|accountkey|sharedaccesskey|private_?key")
_VALUE = r"(?:" + DQ + "|" + SQ + r"|([^\s\"']+))"     # a quoted or bare argument


# --- what is worth masking -----------------------------------------------------------

_CMDLET = compile_rule(r"^(?:Read|Get|ConvertTo|ConvertFrom|New|Import)-[A-Za-z]+$")
_NOT_SECRETS = {"", "$null", "$true", "$false", "null", "none", "true", "false", "{}", "[]", '""',
                "''", "system.security.securestring", "<securestring>", "securestring"}
_BASE64_LOOK = compile_rule(r"[0-9+/=]|[a-z].*[A-Z]|[A-Z].*[a-z]")


def plain_value(value: str) -> bool:
    """A value worth masking: not empty, not already masked, not a placeholder, a variable or
    a cmdlet that asks for it (`$pw = Read-Host -AsSecureString`)."""
    stripped = value.strip()
    if not stripped.strip("*"):
        return False
    if stripped.lower() in _NOT_SECRETS or _CMDLET.search(stripped):
        return False
    return stripped[0] not in "$(<[-"


def any_value(value: str) -> bool:
    """Anything but an already masked value (where the place alone says it is a secret)."""
    return bool(value.strip().strip("*"))


def sasl_payload(value: str) -> bool:
    """An AUTH payload, not the next mechanism or ESMTP keyword of an EHLO line
    (`250-AUTH NTLM LOGIN`, `AUTH LOGIN 8BITMIME`): those are short upper-case words."""
    if value == "=" or not value.strip("*"):
        return False
    keyword = len(value) <= 12 and value.isalnum() and value.isupper()
    word = value.isalpha() and value.islower()          # "AUTH LOGIN failed ..."
    return not (keyword or word)


def sasl_payload_in_prose(value: str) -> bool:
    """An AUTH payload in the middle of a line: base64-looking, not a word ("AUTH LOGIN
    failed")."""
    return sasl_payload(value) and len(value) >= 8 and _BASE64_LOOK.search(value) is not None


@dataclass(frozen=True)
class Rule:
    kind: str
    pattern: object = None
    keep: Callable[[str], bool] = plain_value
    rest_of_line: bool = False       # the value runs to the end of the line: trim its tail
    source: str = "triage"           # the gitleaks rule id it follows, or triage's own
    spans: Callable[[str], list[tuple[int, int]]] | None = None   # instead of a pattern
    trigger: str = ""                # for `spans`: what the text must hold for it to apply

    @property
    def groups(self) -> int:
        return self.pattern.groups     # the alternatives for the value: the first that took part

    @property
    def screen(self) -> str:
        """RE2 source that matches wherever the rule may: one set of these tells at once which
        rules a text needs (most text needs none)."""
        return self.trigger or self.pattern.pattern


def _r(kind: str, source: str, *, keep=plain_value, rest_of_line: bool = False,
       origin: str = "triage") -> Rule:
    return Rule(kind, compile_rule(source), keep, rest_of_line, origin)


# --- finders for forms a single group cannot express ---------------------------------

_PEM = compile_rule(r"(?s)-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----(.*?)"
                    r"(-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----|\z)")
_PEM_LINE = compile_rule(r"^[ \t]*(?:[A-Za-z0-9+/=]+|[A-Za-z-]+:[^\r\n]*)[ \t]*\r?$")


def pem_bodies(text: str) -> list[tuple[int, int]]:
    """Each line of a private key block's body (the BEGIN and END lines stay): the line count
    is kept, so `file:line` references after it stay true. A block cut short (no END line)
    ends at the first line that is not base64 or a `Proc-Type:`-style header."""
    spans = []
    for match in _PEM.finditer(text):
        start, end = match.span(1)
        terminated = match.group(2) != ""
        position = start
        for index, line in enumerate(text[start:end].split("\n")):
            stripped = line.strip()
            if index > 0 and not terminated and stripped and not _PEM_LINE.search(line):
                break
            if stripped and stripped.strip("*"):
                offset = position + line.index(stripped[0])
                spans.append((offset, offset + len(stripped)))
            position += len(line) + 1
    return spans


_NET_COMMAND = compile_rule(r"(?im)\bnet(?:\.exe)?" + SP + r"+(use|user)\b([^\r\n]*)")
_ARGUMENT = compile_rule(r"\"[^\"]*\"|\S+")


def net_passwords(text: str) -> list[tuple[int, int]]:
    """`net use [X:] \\\\server\\share PASSWORD /user:DOMAIN\\name` and `net user NAME PASSWORD`:
    the positional argument after the share (or the user name); `*` (prompt) stays."""
    spans = []
    for match in _NET_COMMAND.finditer(text):
        verb = match.group(1).lower()
        base = match.start(2)
        positional = []
        for argument in _ARGUMENT.finditer(match.group(2)):
            value = argument.group(0)
            if value in ("|", "&", "&&", ">", ">>"):
                break                                   # the next command
            if value.startswith("/"):
                continue                                # /user:..., /persistent:no
            positional.append((base + argument.start(), base + argument.end(), value))
        if verb == "use":
            positional = [p for p in positional
                          if not (p[2].rstrip(":").isalpha() and p[2].endswith(":")) and p[2] != "*"
                          and not p[2].strip('"').startswith("\\\\")]
            candidates = positional[:1]
        else:
            candidates = positional[1:2]
        for start, end, value in candidates:
            if value.startswith('"') and value.endswith('"') and len(value) >= 2:
                start, end, value = start + 1, end - 1, value[1:-1]
            if value != "*" and plain_value(value):
                spans.append((start, end))
    return spans


_COOKIE = compile_rule(r"(?im)\b(set-)?cookie[\"']?" + SP + r"*:" + SP + r"*([^\r\n]+)")
_COOKIE_PAIR = compile_rule(r"([^=;\s]+)=([^;\r\n]*)")


def cookie_values(text: str) -> list[tuple[int, int]]:
    """`Cookie: a=1; b=2`: every value; `Set-Cookie: a=1; Path=/`: the first value only (the
    rest are attributes). Cookie names stay."""
    spans = []
    for match in _COOKIE.finditer(text):
        base = match.start(2)
        for index, pair in enumerate(_COOKIE_PAIR.finditer(match.group(2))):
            if match.group(1) and index > 0:
                break
            start, end = pair.span(2)
            value = pair.group(2).strip().strip('"')
            if value and value.strip("*"):
                spans.append((base + start, base + start + len(pair.group(2).rstrip())))
    return spans


# --- the rules, applied in this order ------------------------------------------------

RULES: tuple[Rule, ...] = (
    Rule("private-key", keep=any_value, source="gitleaks:private-key", spans=pem_bodies,
         trigger=r"(?i)-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY"),
    _r("authorization-header",
       _AUTHORIZATION + r"(?:basic|ntlm|negotiate|bearer|kerberos)" + SP + r"+([^\s\"',;]+)",
       origin="gitleaks:curl-auth-header"),
    _r("authorization-header", _AUTHORIZATION + r"digest" + SP + r"+([^\r\n]+)",
       rest_of_line=True),     # username="…", response="…": all of it
    _r("bearer-token", r"(?i)\bbearer" + SP + r"+([A-Za-z0-9\-._~+/]{16,}=*)",
       origin="gitleaks:curl-auth-header"),
    _r("smtp-auth", r"(?im)" + CMD_START + r"AUTH" + SP + r"+(?:" + MECHS + r")" + SP + r"+("
       + B64 + r"|=)", keep=sasl_payload),
    _r("smtp-auth", r"(?i)\bAUTH" + SP + r"+(?:" + MECHS + r")" + SP + r"+(" + B64 + r")",
       keep=sasl_payload_in_prose),
    _r("imap-auth", r"(?im)\bAUTHENTICATE" + SP + r"+(?:" + MECHS + r")" + SP + r"+(" + B64
       + r"|=)", keep=sasl_payload),
    _r("imap-login", r"(?m)(?:" + _LOGIN_TAGGED + "|" + _LOGIN_CASUAL + "|" + _LOGIN_PREFIXED
       + r")" + SP + r"+(?:\"(?:[^\"\\\r\n]|\\.)*\"|[^\s\"(){]+)" + SP
       + r"+(?:\"((?:[^\"\\\r\n]|\\.)*)\"|([^\s\"(){]+))"),
    # POP3 PASS: at a line start or after a client prefix in any case, upper-case anywhere
    # (a timestamped console line, a pasted session); in the Exchange POP3 log, its column
    _r("pop3-pass", r"(?im)(?:^[ \t]*|" + CLIENT_PREFIX + r")PASS" + SP
       + r"+([^\s]+)[ \t]*\r?$"),
    _r("pop3-pass", r"(?m)(?:^|[\s>:|])PASS" + SP + r"+([^\s]+)[ \t]*\r?$"),
    _r("pop3-pass", r"(?im),[0-9]+,pass,([^,\r\n]+),"),
    _r("url-credentials",
       r"(?i)\b[a-z][a-z0-9+.-]{1,15}://[^\s/:@?#\"'<>]+:([^\s/?#\"'<>]+)@[^\s/?#\"'<>@]",
       origin="gitleaks:generic-api-key"),
    _r("command-line-password",
       r"(?i)\bConvertTo-SecureString\b[^\"'\r\n|;)]*?(?:" + DQ + "|" + SQ + ")"),
    _r("command-line-password",
       r"(?i)(?:^|[\s(])--?(?:" + _PW_KEYS + r"|pass)(?::|=|" + SP + r"+)(?:" + DQ + "|" + SQ
       + r"|([^\s\"'`;|),]+))"),
    _r("command-line-password",
       r"(?i)(?:^|\s)/(?:p|pw|pass|password|pwd)[:=](?:" + DQ + "|" + SQ + r"|([^\s\"']+))"),
    Rule("command-line-password", source="triage", spans=net_passwords,
         trigger=r"(?i)\bnet(?:\.exe)?[ \t]+use"),
    _r("command-line-password", r"(?i:\bcurl(?:\.exe)?)\b[^\r\n]*?" + SP
       + r"(?:-u|-U|--user|--proxy-user)(?:=|" + SP + r"+)(?:\"[^\":\r\n]*:([^\"\r\n]*)\""
       + r"|'[^':\r\n]*:([^'\r\n]*)'|[^\s:\"']+:([^\s\"']+))", origin="gitleaks:curl-auth-user"),
    _r("command-line-password", r"(?i:\bldap(?:search|modify|add|delete|modrdn|compare|passwd"
       r"|whoami|exop)(?:\.exe)?)\b[^\r\n]*?" + SP + r"-w" + SP + r"*" + _VALUE),
    _r("command-line-password", r"(?i:\bmysql(?:dump|admin|import|check|show)?(?:\.exe)?)\b"
       r"[^\r\n]*?" + SP + r"-p(?:" + DQ + "|" + SQ + r"|([^\s\"']+))"),
    _r("command-line-password", r"(?i:\b(?:sqlcmd|osql|bcp)(?:\.exe)?)\b[^\r\n]*?" + SP
       + r"-P" + SP + r"*" + _VALUE),
    _r("cisco-secret", r"(?im)\b(?:password|secret|key)" + SP + r"+(?:0|5|6|7|8|9)" + SP
       + r"+(\S+)", keep=any_value),
    _r("cisco-secret", r"(?im)^[ \t]*(?:enable" + SP + r"+)?(?:password|secret)" + SP
       + r"+([^\s]+)[ \t]*\r?$"),
    _r("cisco-secret", r"(?i)\bsnmp-server" + SP + r"+community" + SP + r"+(\S+)"),
    _r("cloud-key", r"\b((?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b",
       origin="gitleaks:aws-access-token"),
    _r("cloud-key", r"(?i)[?&;]sig=([^&\s\"'<>#;]+)", origin="triage (Azure SAS)"),
    Rule("cookie", source="triage", spans=cookie_values, keep=any_value,
         trigger=r"(?i)cookie[\"']?[ \t]*:"),
    _r("password", r"(?i)\b\w*(?:password|passwort|pwd|secret|kennwort)\w*" + SP
       + r"+REG_(?:SZ|EXPAND_SZ|MULTI_SZ|BINARY)" + SP + r"+([^\r\n]+)", keep=any_value,
       rest_of_line=True),
    _r("password", r"(?i)<(?:" + _PW_KEYS + r"|" + _SECRET_KEYS + r")\b[^>\r\n]*>([^<\r\n]*)</"),
    _r("password", r"(?i)\bkey" + SP + r"*=" + SP + r"*\"[^\"\r\n]*(?:password|pwd|secret)"
       r"[^\"\r\n]*\"" + SP + r"+value" + SP + r"*=" + SP + r"*" + DQ),
    _r("password", r"(?i)\b(?:" + _PW_KEYS + r"|" + _SECRET_KEYS + r")[\"']?" + SP + r"*=" + SP
       + r"*(?:" + DQ + "|" + SQ + r"|([^\s;&,\"'<>]+))", origin="gitleaks:generic-api-key"),
    _r("password", r"(?i)\b(?:\w*(?:password|passwort|pwd|kennwort|wachtwoord)|" + _SECRET_KEYS
       + r")[\"']?" + SP + r"*:" + SP + r"*(?:" + DQ + "|" + SQ + r"|([^\s\"'][^\r\n]*))",
       rest_of_line=True, origin="gitleaks:generic-api-key"),
)
