"""TCP: resolving the one host, connecting (with failures in plain words), the port and rtt probes.

A host name is resolved once; at most one address of each family (the resolver's first IPv6
and first IPv4, in its order) is tried, each for at most `timeout` seconds. No other address,
port or host is ever contacted.
"""

from __future__ import annotations

import errno
import socket
import statistics
import time

from engine.probes.models import ProbeError, ProbeResult, yes_no
from engine.probes.targets import HostPort

MAX_PORTS = 20      # one command line may name at most this many ports
MAX_TRIES = 20      # rtt --count at most
PAUSE = 0.05        # seconds between rtt tries: bounded and gentle

_UNREACHABLE = {errno.ENETUNREACH, errno.EHOSTUNREACH, errno.EHOSTDOWN, errno.EADDRNOTAVAIL,
                errno.ENETDOWN}


def resolve(hp: HostPort) -> list[tuple[int, tuple]]:
    """(family, sockaddr) for at most one address per family, in the resolver's order."""
    try:
        infos = socket.getaddrinfo(hp.ascii_host, hp.port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        if exc.errno == socket.EAI_AGAIN:
            raise ProbeError(f"{hp.host} could not be resolved: the DNS server did not answer "
                             "(temporary failure)", "unresolved") from None
        raise ProbeError(f"{hp.host} does not resolve (no such name)", "unresolved") from None
    except UnicodeError:
        raise ProbeError(f"not a valid host name: '{hp.host}'", "bad-target") from None
    picked: dict[int, tuple] = {}
    for family, _type, _proto, _name, sockaddr in infos:
        picked.setdefault(family, sockaddr)
    return list(picked.items())


def describe_failure(exc: OSError, where: str, timeout: float) -> ProbeError:
    if isinstance(exc, ConnectionRefusedError):
        return ProbeError(f"{where} refused the connection (nothing listens there, or a "
                          "firewall rejects it)", "refused")
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return ProbeError(f"no answer from {where} within {timeout:g} s (timed out: filtered, "
                          "or the host is down)", "timeout")
    if exc.errno in _UNREACHABLE:
        return ProbeError(f"{where} is unreachable ({exc.strerror or exc})", "unreachable")
    return ProbeError(f"cannot connect to {where}: {exc.strerror or exc}", "network")


def connect_address(family: int, sockaddr: tuple, timeout: float) -> tuple[socket.socket, float]:
    """A connected socket and the connect time in ms; OSError as the socket raised it."""
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    started = time.perf_counter()
    try:
        sock.connect(sockaddr)
    except BaseException:
        sock.close()
        raise
    return sock, (time.perf_counter() - started) * 1000


def connect(hp: HostPort, timeout: float) -> tuple[socket.socket, float]:
    """Connect to the host (its first address of each family at most); ProbeError if none."""
    failure: OSError | None = None
    for family, sockaddr in resolve(hp):
        try:
            return connect_address(family, sockaddr, timeout)
        except OSError as exc:
            failure = failure if isinstance(failure, ConnectionRefusedError) else exc
    raise describe_failure(failure or OSError("no address"), str(hp), timeout)


def address_text(sockaddr: tuple) -> str:
    return sockaddr[0]


def probe_port(result: ProbeResult, hp: HostPort, ports: list[int], timeout: float) -> None:
    """port.<n>.open yes/no for each port, with port.<n>.state and the connect time."""
    if len(ports) > MAX_PORTS:
        raise ProbeError(f"at most {MAX_PORTS} ports at once, not {len(ports)}", "bad-target")
    addresses = resolve(hp)
    result.add("port.address", address_text(addresses[0][1]),
               f"{hp.host} resolves to {', '.join(address_text(a) for _f, a in addresses)}"
               if not hp.is_ip else None)
    for port in dict.fromkeys(ports):
        state, detail, elapsed = "unreachable", "", None
        for family, sockaddr in addresses:
            sockaddr = (sockaddr[0], port, *sockaddr[2:])
            try:
                sock, elapsed = connect_address(family, sockaddr, timeout)
            except OSError as exc:
                failure = describe_failure(exc, f"{address_text(sockaddr)}:{port}", timeout)
                state, detail = failure.reason, str(failure)
                continue
            sock.close()
            state, detail = "open", f"connected in {elapsed:.1f} ms"
            break
        result.add(f"port.{port}.open", yes_no(state == "open"), detail)
        result.add(f"port.{port}.state", state)
        if elapsed is not None and state == "open":
            result.add(f"port.{port}.connect-ms", round(elapsed, 1))
    closed = [p for p in dict.fromkeys(ports) if result.value(f"port.{p}.open") == "no"]
    result.verdicts.append(f"closed or filtered: {', '.join(map(str, closed))}" if closed
                           else "every port is open")


def probe_rtt(result: ProbeResult, hp: HostPort, count: int, timeout: float) -> None:
    """TCP connect time, `count` tries to the same address: median, min, max in ms."""
    if not 1 <= count <= MAX_TRIES:
        raise ProbeError(f"--count must be between 1 and {MAX_TRIES}, not {count}", "bad-target")
    sock, first = connect(hp, timeout)
    peer = sock.getpeername()
    family = sock.family
    sock.close()
    times, failures = [first], []
    for _ in range(count - 1):
        time.sleep(PAUSE)
        try:
            sock, elapsed = connect_address(family, peer, timeout)
        except OSError as exc:
            failures.append(describe_failure(exc, str(hp), timeout).reason)
            continue
        sock.close()
        times.append(elapsed)
    result.add("rtt.address", address_text(peer))
    result.add("rtt.median-ms", round(statistics.median(times), 2))
    result.add("rtt.min-ms", round(min(times), 2))
    result.add("rtt.max-ms", round(max(times), 2))
    result.add("rtt.samples", len(times), f"{len(times)} of {count} connects succeeded")
    result.add("rtt.failures", len(failures), ", ".join(failures) or None)
    result.verdicts.append(f"TCP connect to {hp}: median {statistics.median(times):.1f} ms "
                           f"(min {min(times):.1f}, max {max(times):.1f}, {len(times)} tries)")
