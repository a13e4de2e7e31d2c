"""Running one probe: the dispatch from a kind to its module, and the failures put in words."""

from __future__ import annotations

from typing import Any, Callable

from engine.probes import banners, dnslookup, net, tls, web
from engine.probes.models import (
    ProbeError,
    ProbeResult,
)
from engine.probes.targets import parse_host, parse_host_port, parse_port, with_port

DEFAULT_TIMEOUT = 5.0



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
