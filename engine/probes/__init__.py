"""Read-only live probes: tls, port, imap, pop3, smtp, http, dns, rtt.

    result = run_probe("tls", "mail.contoso.com", name="autodiscover.contoso.com")
    result.observations  # [Observation("tls.trusted", "no", "...: unable to get local ..."), ...]

Each probe contacts only the one host it is given, sends no credentials, makes a bounded number
of attempts and changes nothing. A target that cannot be probed (bad syntax, a range, an
unknown kind) raises ProbeError (reason "bad-target") before anything is sent; a probe that
could not observe (refused, timed out, name does not resolve, not TLS...) returns its
ProbeResult with `error` set and the observations it made until then.

The observation names and values are listed in README.md beside this file. This package
imports nothing from the rest of engine/.
"""

from __future__ import annotations

from typing import Any, Callable

from engine.probes import banners, dnslookup, net, tls, web
from engine.probes.models import (
    FactMapping,
    Observation,
    ProbeError,
    ProbeResult,
    facts_from,
    yes_no,
)
from engine.probes.targets import parse_host, parse_host_port, parse_port, with_port

__all__ = ["DESCRIPTIONS", "KINDS", "FactMapping", "Observation", "ProbeError", "ProbeResult", "facts_from",
           "run_probe", "yes_no"]

DEFAULT_TIMEOUT = 5.0

# What each probe does, in one line for a person (the CLI's help, the app's check dialog).
DESCRIPTIONS = {
    "tls": "TLS handshake: certificate chain, name coverage, trust, expiry (default port 443)",
    "port": "TCP connect to each port: open, refused or timed out",
    "imap": "IMAP greeting and CAPABILITY, then LOGOUT (default port 143)",
    "pop3": "POP3 greeting and CAPA, then QUIT (default port 110)",
    "smtp": "SMTP greeting and EHLO, then QUIT (default port 25)",
    "http": "one unauthenticated GET: status, redirects, authentication schemes offered",
    "dns": "A, AAAA, MX and autodiscover (A, CNAME, SRV) of an e-mail domain",
    "rtt": "TCP connect time: median, min, max over a few tries (default port 443)",
}


def _tls(result: ProbeResult, target: str, name: str | None = None, ca: str | None = None,
         timeout: float = DEFAULT_TIMEOUT) -> None:
    tls.probe_tls(result, parse_host_port(target, 443), name=name, ca_file=ca, timeout=timeout)


def _port(result: ProbeResult, target: str, ports: list[int | str] = (),
          timeout: float = DEFAULT_TIMEOUT) -> None:
    if not ports:
        raise ProbeError("name at least one port", "bad-target")
    numbers = [parse_port(str(p)) for p in ports]
    net.probe_port(result, with_port(parse_host(target), numbers[0]), numbers, timeout)


def _rtt(result: ProbeResult, target: str, port: int | str = 443, count: int = 5,
         timeout: float = DEFAULT_TIMEOUT) -> None:
    net.probe_rtt(result, with_port(parse_host(target), parse_port(str(port))), count, timeout)


def _mail(protocol: str) -> Callable[..., None]:
    def probe(result: ProbeResult, target: str, timeout: float = DEFAULT_TIMEOUT,
              ehlo: str | None = None) -> None:
        hp = parse_host_port(target, banners.DEFAULT_PORTS[protocol])
        banners.probe_mail(result, protocol, hp, timeout, ehlo=ehlo)
    return probe


def _http(result: ProbeResult, target: str, ca: str | None = None,
          timeout: float = DEFAULT_TIMEOUT) -> None:
    web.probe_http(result, target, ca_file=ca, timeout=timeout)


def _dns(result: ProbeResult, target: str, server: str | None = None,
         timeout: float = DEFAULT_TIMEOUT) -> None:
    dnslookup.probe_dns(result, target, server=server, timeout=timeout)


KINDS: dict[str, Callable[..., None]] = {
    "tls": _tls, "port": _port, "imap": _mail("imap"), "pop3": _mail("pop3"),
    "smtp": _mail("smtp"), "http": _http, "dns": _dns, "rtt": _rtt,
}


def run_probe(kind: str, target: str, **options: Any) -> ProbeResult:
    """Run one probe. ProbeError (reason "bad-target") for what cannot be probed at all."""
    if kind not in KINDS:
        raise ProbeError(f"unknown probe kind '{kind}' (kinds: {', '.join(KINDS)})",
                         "bad-target")
    timeout = options.get("timeout", DEFAULT_TIMEOUT)
    if not isinstance(timeout, (int, float)) or not 0 < timeout <= 120:
        raise ProbeError(f"timeout must be more than 0 and at most 120 s, not {timeout}",
                         "bad-target")
    result = ProbeResult(kind, target)
    try:
        KINDS[kind](result, target, **options)
    except ProbeError as exc:
        if exc.reason == "bad-target":
            raise
        return result.fail(exc)
    except OSError as exc:          # anything the probes did not put in words already
        return result.fail(ProbeError(f"network error: {exc.strerror or exc}", "network"))
    except ValueError as exc:       # a server's answer that cannot be read (a malformed
        return result.fail(ProbeError(  # certificate extension, an undecodable header)
            f"the server's answer cannot be read: {exc}", "protocol"))
    return result
