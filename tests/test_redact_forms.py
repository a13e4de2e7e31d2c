"""Secrets found in helpdesk evidence beyond the Exchange protocols (issue 13, item 3): each
form masked in UTF-8 and in UTF-16 LE with a BOM (as Windows PowerShell writes), at the start
of a line and after other text, and only its value: the verbs, names and hosts stay."""

import codecs

import pytest

from engine.evidence.redact import MASK, redact, redact_bytes

M = MASK
PEM = ("-----BEGIN RSA PRIVATE KEY-----\n"
       "MIIEowIBAAKCAQEA7xVbqKYoZ1aJq0r3mB9p2Yt5LqW8Y3jQkE0vZ2T4h5nRr1sD\n"
       "q8vN3tYx0p9Lm2Qw7Er5Ty6Ui8Op0As1Df2Gh3Jk4Lz5Xc6Vb7Nm8Qa9Ws0Ed1R\n"
       "-----END RSA PRIVATE KEY-----")
PEM_MASKED = (f"-----BEGIN RSA PRIVATE KEY-----\n{M}\n{M}\n-----END RSA PRIVATE KEY-----")

# (name, text, expected, kind): the text as it appears in a paste
FORMS = [
    ("pem-private-key", PEM, PEM_MASKED, "private-key"),
    ("pem-pkcs8-unterminated", "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC",
     f"-----BEGIN PRIVATE KEY-----\n{M}", "private-key"),
    ("aws-access-key-id", "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
     f"aws_access_key_id = {M}", "cloud-key"),
    ("aws-secret-access-key", "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
     f"aws_secret_access_key = {M}", "password"),
    ("cisco-password-7", "username admin privilege 15 password 7 0822455D0A16",
     f"username admin privilege 15 password 7 {M}", "cisco-secret"),
    ("cisco-secret-5", "enable secret 5 $1$mERr$hx5rVt7rPNoS4wqbXKX7m0",
     f"enable secret 5 {M}", "cisco-secret"),
    ("cisco-snmp-community", "snmp-server community S3cr3tComm RO 10",
     f"snmp-server community {M} RO 10", "cisco-secret"),
    ("net-use", "net use Z: \\\\fs01\\scans Winter2024! /user:CONTOSO\\svc-scan",
     f"net use Z: \\\\fs01\\scans {M} /user:CONTOSO\\svc-scan", "command-line-password"),
    ("net-use-password-last", "net use \\\\ex01\\c$ /user:CONTOSO\\admin Winter2024!",
     f"net use \\\\ex01\\c$ /user:CONTOSO\\admin {M}", "command-line-password"),
    ("net-user", "net user svc-scan Winter2024! /add /domain",
     f"net user svc-scan {M} /add /domain", "command-line-password"),
    ("azure-sas", "https://contoso.blob.core.windows.net/logs?sv=2022-11-02&sp=rl"
     "&se=2024-12-31&sig=abc%2Fdef123XYZ%3D",
     f"https://contoso.blob.core.windows.net/logs?sv=2022-11-02&sp=rl&se=2024-12-31&sig={M}",
     "cloud-key"),
    ("ldapsearch", 'ldapsearch -x -H ldap://dc01.contoso.com -D "CN=svc-unity,DC=contoso,DC=com"'
     ' -w Winter2024! -b "DC=contoso,DC=com"',
     f'ldapsearch -x -H ldap://dc01.contoso.com -D "CN=svc-unity,DC=contoso,DC=com" -w {M} '
     '-b "DC=contoso,DC=com"', "command-line-password"),
    ("kennwort", "Benutzer: CONTOSO\\svc-tms  Kennwort: Sommer2024!",
     f"Benutzer: CONTOSO\\svc-tms  Kennwort: {M}", "password"),
    ("wireguard-private-key", "PrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=",
     f"PrivateKey = {M}", "password"),
    ("curl-user", "curl -u svc-tms:Winter2024! https://mail.contoso.com/EWS/Exchange.asmx",
     f"curl -u svc-tms:{M} https://mail.contoso.com/EWS/Exchange.asmx", "command-line-password"),
    ("mysql-p", "mysql -h db01 -u tms -pWinter2024! tmsng",
     f"mysql -h db01 -u tms -p{M} tmsng", "command-line-password"),
    ("sqlcmd-P", 'sqlcmd -S SQL01\\TMS -U sa -P Winter2024! -Q "SELECT 1"',
     f'sqlcmd -S SQL01\\TMS -U sa -P {M} -Q "SELECT 1"', "command-line-password"),
    ("x-api-key", "X-API-Key: 3f9a1c0e7b2d4e6f8a0b1c2d3e4f5a6b", f"X-API-Key: {M}", "password"),
    ("cookie", "Cookie: ASP.NET_SessionId=abc123def; X-BackEndCookie=S-1-5-21=u56Lnp2ejJq",
     f"Cookie: ASP.NET_SessionId={M}; X-BackEndCookie={M}", "cookie"),
    ("set-cookie", "Set-Cookie: cadata=7b2a9e0c1d; path=/; secure; HttpOnly",
     f"Set-Cookie: cadata={M}; path=/; secure; HttpOnly", "cookie"),
    ("registry-default-password", "    DefaultPassword    REG_SZ    Winter2024!",
     f"    DefaultPassword    REG_SZ    {M}", "password"),
    ("url-password-with-at", "ftp://svc:p@ss@ftp.contoso.com/drop",
     f"ftp://svc:{M}@ftp.contoso.com/drop", "url-credentials"),
    ("pop3-pass-mid-line", "10:12:01 >> PASS Winter2024!", f"10:12:01 >> PASS {M}", "pop3-pass"),
    ("pop3-pass-after-user", "USER scanner | PASS Winter2024!", f"USER scanner | PASS {M}",
     "pop3-pass"),
    ("smtp-auth-plain-mid-line", "then I sent AUTH PLAIN AHNjYW5uZXIAV2ludGVyMjAyNCE= and got 535",
     f"then I sent AUTH PLAIN {M} and got 535", "smtp-auth"),
]
IDS = [f[0] for f in FORMS]
PREFIX = "2024-03-11 08:12:44.123 [7] ticket 4711 pasted: "


@pytest.mark.parametrize("name,text,expected,kind", FORMS, ids=IDS)
def test_each_form_is_masked_and_the_line_kept(name, text, expected, kind):
    result = redact(text)
    assert result.text == expected
    assert result.kinds == (kind,)


@pytest.mark.parametrize("name,text,expected,kind", FORMS, ids=IDS)
def test_each_form_is_masked_after_other_text(name, text, expected, kind):
    assert redact(PREFIX + text).text == PREFIX + expected


@pytest.mark.parametrize("name,text,expected,kind", FORMS, ids=IDS)
def test_each_form_is_masked_in_utf16_with_a_bom(name, text, expected, kind):
    document = f"Windows PowerShell transcript start\r\n{PREFIX}{text}\r\nPS C:\\> exit\r\n"
    data = codecs.BOM_UTF16_LE + document.encode("utf-16-le")
    result = redact_bytes(data)
    assert result.encoding == "utf-16"
    assert result.text == document.replace(text, expected)
    assert redact_bytes(document.encode("utf-8")).text == result.text


def test_a_whole_paste_of_every_form_keeps_its_lines():
    text = "\n".join(f[1] for f in FORMS)
    result = redact(text)
    assert result.text == "\n".join(f[2] for f in FORMS)
    assert result.text.count("\n") == text.count("\n")
    assert redact(result.text).count == 0               # idempotent


@pytest.mark.parametrize("line", [
    "net use Z: \\\\fs01\\scans /persistent:no",          # no password given
    "net use Z: \\\\fs01\\scans * /user:CONTOSO\\svc-scan",  # asks for it
    "net user svc-scan /domain",
    "mysql -h db01 -u tms -p tmsng",                      # -p alone prompts
    "sqlcmd -S SQL01 -E -Q \"SELECT 1\"",
    "curl -u svc-tms https://mail.contoso.com/",          # no password in it
    "ldapsearch -x -W -b DC=contoso,DC=com",              # -W prompts
    "Password age 7 days",
    "AUTH LOGIN failed for scanner@contoso.com",
    "the tests PASS",
    "-----BEGIN CERTIFICATE-----",
    "Cookie:",
    "DefaultUserName    REG_SZ    svc-kiosk",
    "https://contoso.sharepoint.com/sites/it?design=signature",
])
def test_lookalikes_stay(line):
    assert redact(line).text == line
