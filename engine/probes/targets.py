"""Target syntax: one host (a DNS name or an IP address), optionally with a port.

Probes contact exactly the host they are given, so anything that names more than one host is
refused here, before any packet is sent: CIDR blocks, dash ranges, wildcards, lists.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from engine.probes.models import ProbeError

_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")   # '_' for SRV-style and AD names


@dataclass(frozen=True)
class HostPort:
    host: str            # as given (an IPv6 address without brackets)
    port: int
    ascii_host: str      # the A-label (IDNA) form used on the wire

    @property
    def is_ip(self) -> bool:
        return is_ip(self.host)

    def __str__(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"


def is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def to_ascii(name: str) -> str:
    """A DNS name's A-label form, lowercase, without a final dot; ProbeError if it is not one."""
    name = name.strip().rstrip(".")
    if not name:
        raise ProbeError("empty host name", "bad-target")
    try:
        ascii_name = name.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise ProbeError(f"not a valid host name: '{name}'", "bad-target") from None
    if len(ascii_name) > 253 or not all(_LABEL.match(label) for label in ascii_name.split(".")):
        raise ProbeError(f"not a valid host name: '{name}'", "bad-target")
    return ascii_name


def check_host(host: str) -> str:
    """The host's wire form; refuses ranges and lists with a message that says why."""
    if not host:
        raise ProbeError("no host given", "bad-target")
    if is_ip(host):
        return host
    if "/" in host:
        raise ProbeError(f"'{host}' is a network range; probes take one host", "bad-target")
    if any(c in host for c in ",; *?"):
        raise ProbeError(f"'{host}' is not one host name; probes take one host", "bad-target")
    if re.fullmatch(r"[\d.]+-[\d.]+", host):
        raise ProbeError(f"'{host}' is an address range; probes take one host", "bad-target")
    if re.fullmatch(r"[\d.]+", host):
        raise ProbeError(f"'{host}' is not a valid IP address", "bad-target")
    return to_ascii(host)


def parse_port(text: str) -> int:
    if not re.fullmatch(r"\d{1,5}", text.strip()):
        hint = "; probes take single ports, not ranges" if "-" in text else ""
        raise ProbeError(f"not a port number: '{text}'{hint}", "bad-target")
    port = int(text)
    if not 1 <= port <= 65535:
        raise ProbeError(f"port must be between 1 and 65535, not {port}", "bad-target")
    return port


def parse_host_port(text: str, default_port: int) -> HostPort:
    """'host', 'host:port', '192.0.2.1:25', '[2001:db8::1]:443' or a bare IPv6 address."""
    text = text.strip()
    if "://" in text:
        raise ProbeError(f"'{text}' is a URL; give HOST[:PORT] (the http probe takes URLs)",
                         "bad-target")
    if text.startswith("["):
        host, sep, rest = text[1:].partition("]")
        if not sep or not is_ip(host) or (rest and not rest.startswith(":")):
            raise ProbeError(f"bad target '{text}': use [IPv6]:PORT", "bad-target")
        port = parse_port(rest[1:]) if rest else default_port
    elif text.count(":") > 1:                 # a bare IPv6 address takes no port
        host, port = text, default_port
        if not is_ip(host):
            raise ProbeError(f"bad target '{text}': write an IPv6 address with a port as "
                             "[ADDRESS]:PORT", "bad-target")
    else:
        host, sep, port_text = text.partition(":")
        port = parse_port(port_text) if sep else default_port
    return HostPort(host, port, check_host(host))


def parse_host(text: str) -> HostPort:
    """One host without a port (the port comes from elsewhere: `port` PORTs, `rtt --port`)."""
    hp = parse_host_port(text, 0)
    if hp.port:
        raise ProbeError(f"give the host alone, not '{text}': the ports are separate arguments",
                         "bad-target")
    return hp


def with_port(hp: HostPort, port: int) -> HostPort:
    return HostPort(hp.host, port, hp.ascii_host)
