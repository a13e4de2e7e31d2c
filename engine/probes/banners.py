"""The imap, pop3 and smtp probes: greeting, capabilities, polite goodbye. Nothing else.

Each conversation is fixed: IMAP `a1 CAPABILITY` then `a2 LOGOUT`; POP3 `CAPA` then `QUIT`;
SMTP `EHLO <local name>` then `QUIT`. LOGIN, USER, PASS and AUTH are never sent, nor is any
command that could change something. Replies are read line by line, with a cap on lines and
line length, each read bounded by the timeout.
"""

from __future__ import annotations

import base64
import binascii
import re
import socket

from engine.probes import net
from engine.probes.models import ProbeError, ProbeResult, yes_no
from engine.probes.targets import HostPort, to_ascii

DEFAULT_PORTS = {"imap": 143, "pop3": 110, "smtp": 25}
NAMES = {"imap": "IMAP", "pop3": "POP3", "smtp": "SMTP"}
MAX_LINES = 200
MAX_LINE = 8192

EXCHANGE_BANNERS = {
    "imap": re.compile(r"Microsoft Exchange\b.*\bIMAP4", re.I),
    "pop3": re.compile(r"Microsoft Exchange\b.*\bPOP3", re.I),
    "smtp": re.compile(r"Microsoft ESMTP MAIL Service", re.I),
}
# EHLO keywords only Exchange's transport advertises.
EXCHANGE_EHLO = {"X-EXPS", "X-ANONYMOUSTLS", "XEXCH50", "XSHADOW", "XSHADOWREQUEST", "XRDST",
                 "XPROXYFROM", "X-LINK2STATE"}
_SERVER_NAME = re.compile(r"\[([A-Za-z0-9+/]{8,}={0,2})\]\s*$")


class Conversation:
    """Lines in, lines out, over one socket; every failure becomes a ProbeError."""

    def __init__(self, sock: socket.socket, protocol: str, where: str, timeout: float):
        self.sock, self.protocol, self.where, self.timeout = sock, protocol, where, timeout
        self.reader = sock.makefile("rb")
        self.count = 0

    def line(self, waiting_for: str) -> str:
        self.count += 1
        if self.count > MAX_LINES:
            raise ProbeError(f"{self.where} sent more than {MAX_LINES} lines", "protocol")
        try:
            raw = self.reader.readline(MAX_LINE)
        except (socket.timeout, TimeoutError):
            hint = " (a TLS-only port such as 993, 995 or 465? this probe speaks plain text)" \
                if waiting_for == "greeting" else ""
            raise ProbeError(f"{self.where} sent no {NAMES[self.protocol]} {waiting_for} within "
                             f"{self.timeout:g} s{hint}", "protocol") from None
        except OSError as exc:
            raise ProbeError(f"{self.where} broke the connection while we waited for its "
                             f"{waiting_for}: {exc.strerror or exc}", "protocol") from None
        if not raw:
            raise ProbeError(f"{self.where} closed the connection before its {waiting_for}",
                             "protocol")
        return raw.decode("utf-8", "replace").rstrip("\r\n")

    def send(self, command: str) -> None:
        try:
            self.sock.sendall(command.encode("ascii") + b"\r\n")
        except OSError as exc:
            raise ProbeError(f"{self.where} broke the connection: {exc.strerror or exc}",
                             "protocol") from None

    def goodbye(self, command: str, done: re.Pattern) -> None:
        """Best effort: say goodbye and read the answer; silence or a closed socket is fine."""
        try:
            self.send(command)
            for _ in range(10):
                if done.match(self.line("goodbye")):
                    break
        except ProbeError:
            pass

    def close(self) -> None:
        self.reader.close()
        self.sock.close()


def server_name(banner: str) -> str | None:
    """Exchange 2013+ ends its IMAP and POP3 greetings with the server's FQDN, base64 UTF-16LE."""
    match = _SERVER_NAME.search(banner)
    if not match:
        return None
    try:
        name = base64.b64decode(match.group(1), validate=True).decode("utf-16-le")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return name if name.isprintable() and re.fullmatch(r"[\w.-]+", name) else None


def ehlo_name(sock: socket.socket, given: str | None) -> str:
    """--ehlo, else this machine's name if it is a domain name, else its address literal."""
    if given:
        return to_ascii(given)
    host = socket.gethostname()
    if "." in host:
        try:
            return to_ascii(host)
        except ProbeError:
            pass
    address = sock.getsockname()[0]
    return f"[IPv6:{address}]" if ":" in address else f"[{address}]"


def probe_mail(result: ProbeResult, protocol: str, hp: HostPort, timeout: float,
               ehlo: str | None = None) -> None:
    sock, elapsed = net.connect(hp, timeout)
    result.add(f"{protocol}.connect-ms", round(elapsed, 1))
    talk = Conversation(sock, protocol, str(hp), timeout)
    try:
        {"imap": _imap, "pop3": _pop3, "smtp": _smtp}[protocol](result, talk, ehlo)
    finally:
        talk.close()
    exchange = result.value(f"{protocol}.exchange") == "yes"
    starttls = result.value(f"{protocol}.starttls")
    result.verdicts.append(f"{NAMES[protocol]} on {hp}: "
                           + ("Microsoft Exchange" if exchange else "not recognised as Exchange")
                           + f"; STARTTLS offered: {starttls}")


def _banner(result: ProbeResult, protocol: str, banner: str, extra: str = "") -> None:
    result.add(f"{protocol}.banner", banner)
    exchange = bool(EXCHANGE_BANNERS[protocol].search(banner)) or bool(extra)
    result.add(f"{protocol}.exchange", yes_no(exchange),
               (extra or "the greeting is Exchange's") if exchange else
               "the greeting does not name Exchange (it can be customised)")
    name = server_name(banner)
    if name:
        result.add(f"{protocol}.server-name", name, "decoded from the greeting")


def _refused(protocol: str, banner: str) -> ProbeError:
    return ProbeError(f"the {NAMES[protocol]} server refused the session: {banner[:200]}",
                      "protocol")


def _imap(result: ProbeResult, talk: Conversation, _ehlo: str | None) -> None:
    banner = talk.line("greeting")
    if not banner.startswith(("* OK", "* PREAUTH", "* BYE")):
        raise ProbeError(f"{talk.where} answers, but not with an IMAP greeting: {banner[:80]!r}",
                         "protocol")
    _banner(result, "imap", banner)
    if banner.startswith("* BYE"):
        raise _refused("imap", banner)
    talk.send("a1 CAPABILITY")
    capabilities: list[str] = []
    while not (line := talk.line("CAPABILITY reply")).startswith("a1 "):
        if line.upper().startswith("* CAPABILITY "):
            capabilities += line.split()[2:]
    talk.goodbye("a2 LOGOUT", re.compile(r"a2 "))
    upper = [c.upper() for c in capabilities]
    known = bool(capabilities) or line.upper().startswith("A1 OK")
    result.add("imap.capabilities", ",".join(capabilities), line)
    result.add("imap.starttls", yes_no("STARTTLS" in upper) if known else "unknown")
    result.add("imap.auth-mechanisms", ",".join(c[5:] for c in capabilities
                                                 if c.upper().startswith("AUTH=")))
    result.add("imap.login-disabled", yes_no("LOGINDISABLED" in upper),
               "plain-text LOGIN is refused before STARTTLS" if "LOGINDISABLED" in upper else None)


def _pop3(result: ProbeResult, talk: Conversation, _ehlo: str | None) -> None:
    banner = talk.line("greeting")
    if not banner.startswith(("+OK", "-ERR")):
        raise ProbeError(f"{talk.where} answers, but not with a POP3 greeting: {banner[:80]!r}",
                         "protocol")
    _banner(result, "pop3", banner)
    if banner.startswith("-ERR"):
        raise _refused("pop3", banner)
    talk.send("CAPA")
    first = talk.line("CAPA reply")
    capabilities: list[str] = []
    if first.startswith("+OK"):
        while (line := talk.line("CAPA list")) != ".":
            capabilities.append(line.strip())
    talk.goodbye("QUIT", re.compile(r"[+-]"))
    names = [c.split()[0].upper() for c in capabilities if c.split()]
    known = first.startswith("+OK")
    result.add("pop3.capabilities", ",".join(names), None if known else f"CAPA refused: {first}")
    result.add("pop3.starttls", yes_no("STLS" in names) if known else "unknown")
    sasl = next((c.split()[1:] for c in capabilities if c.upper().startswith("SASL")), [])
    result.add("pop3.auth-mechanisms", ",".join(sasl))
    result.add("pop3.user", yes_no("USER" in names) if known else "unknown",
               "plain-text USER/PASS login is offered" if "USER" in names else None)


def _smtp_reply(talk: Conversation, waiting_for: str) -> tuple[str, list[str]]:
    """(code, text lines) of one possibly multi-line SMTP reply."""
    lines = []
    while True:
        line = talk.line(waiting_for)
        if not re.match(r"\d{3}[ -]|\d{3}$", line):
            raise ProbeError(f"{talk.where} answers, but not with SMTP: {line[:80]!r}",
                             "protocol")
        lines.append(line[4:])
        if line[3:4] != "-":
            return line[:3], lines


def _smtp(result: ProbeResult, talk: Conversation, ehlo: str | None) -> None:
    code, lines = _smtp_reply(talk, "greeting")
    banner = f"{code} {lines[0]}".rstrip()
    if code != "220":
        _banner(result, "smtp", banner)
        talk.goodbye("QUIT", re.compile(r"\d{3} "))
        raise _refused("smtp", banner)
    name = ehlo_name(talk.sock, ehlo)
    talk.send(f"EHLO {name}")
    ehlo_code, reply = _smtp_reply(talk, "EHLO reply")
    talk.goodbye("QUIT", re.compile(r"\d{3} "))
    extensions = [line.split()[0].upper() for line in reply[1:] if line.split()] \
        if ehlo_code == "250" else []
    marks = sorted(EXCHANGE_EHLO & set(extensions))
    _banner(result, "smtp", banner, f"EHLO offers {', '.join(marks)}" if marks else "")
    result.add("smtp.hostname", lines[0].split()[0] if lines[0].split() else "",
               "the name the server greets with")
    result.add("smtp.ehlo-name", name)
    result.add("smtp.ehlo", "accepted" if ehlo_code == "250" else "refused",
               None if ehlo_code == "250" else f"{ehlo_code} {' '.join(reply)}")
    result.add("smtp.extensions", ",".join(extensions))
    result.add("smtp.starttls", yes_no("STARTTLS" in extensions) if ehlo_code == "250"
               else "unknown")
    auth = next((line.split()[1:] for line in reply[1:] if line.upper().startswith("AUTH")), [])
    result.add("smtp.auth-mechanisms", ",".join(auth))
    size = next((line.split()[1] for line in reply[1:]
                 if line.upper().startswith("SIZE ") and len(line.split()) > 1), None)
    if size:
        result.add("smtp.size", int(size) if size.isdigit() else size, "largest message, bytes")
