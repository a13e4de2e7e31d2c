"""port and rtt against local listeners; failures in words (refused, unresolved, unreachable)."""

import errno
import socket

import pytest
from probe_servers import closed_port, plain_server

from engine.probes import ProbeError, run_probe
from engine.probes.net import describe_failure


def test_port_open_and_refused():
    refused = closed_port()
    with plain_server() as server:
        result = run_probe("port", "127.0.0.1", ports=[server.port, refused], timeout=10)
    assert result.error is None
    assert result.value("port.address") == "127.0.0.1"
    assert result.value(f"port.{server.port}.open") == "yes"
    assert result.value(f"port.{server.port}.state") == "open"
    assert result.value(f"port.{server.port}.connect-ms") >= 0
    assert result.value(f"port.{refused}.open") == "no"
    assert result.value(f"port.{refused}.state") == "refused"
    assert result.value(f"port.{refused}.connect-ms") is None
    assert result.verdicts == [f"closed or filtered: {refused}"]


def test_port_takes_at_most_twenty_ports_and_no_ranges():
    with pytest.raises(ProbeError, match="at most 20 ports at once, not 21"):
        run_probe("port", "127.0.0.1", ports=list(range(1000, 1021)))
    with pytest.raises(ProbeError, match="probes take single ports, not ranges"):
        run_probe("port", "127.0.0.1", ports=["1-1024"])


def test_rtt_shape():
    with plain_server() as server:
        result = run_probe("rtt", "127.0.0.1", port=server.port, count=3, timeout=10)
    assert result.error is None
    names = [o.name for o in result.observations]
    assert names == ["rtt.address", "rtt.median-ms", "rtt.min-ms", "rtt.max-ms", "rtt.samples",
                     "rtt.failures"]
    low, median, high = (result.value(f"rtt.{n}-ms") for n in ("min", "median", "max"))
    assert 0 < low <= median <= high
    assert (result.value("rtt.samples"), result.value("rtt.failures")) == (3, 0)


def test_rtt_to_a_closed_port_is_an_error():
    result = run_probe("rtt", "127.0.0.1", port=closed_port(), count=2, timeout=10)
    assert result.error_reason == "refused"
    assert result.observations == []


def test_a_name_that_does_not_resolve(monkeypatch):
    def no_such_name(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    monkeypatch.setattr(socket, "getaddrinfo", no_such_name)
    result = run_probe("port", "nothing.contoso.invalid", ports=[443])
    assert (result.error, result.error_reason) == (
        "nothing.contoso.invalid does not resolve (no such name)", "unresolved")


@pytest.mark.parametrize("exc, message, reason", [
    (ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused"),
     "h:1 refused the connection (nothing listens there, or a firewall rejects it)", "refused"),
    (socket.timeout("timed out"),
     "no answer from h:1 within 5 s (timed out: filtered, or the host is down)", "timeout"),
    (OSError(errno.EHOSTUNREACH, "No route to host"),
     "h:1 is unreachable (No route to host)", "unreachable"),
    (OSError(errno.ENETUNREACH, "Network is unreachable"),
     "h:1 is unreachable (Network is unreachable)", "unreachable"),
])
def test_failures_in_words(exc, message, reason):
    failure = describe_failure(exc, "h:1", 5)
    assert (str(failure), failure.reason) == (message, reason)


@pytest.mark.parametrize("kind, options", [("port", {"ports": [443]}), ("rtt", {"port": 443})])
def test_port_and_rtt_take_the_host_alone(kind, options):
    with pytest.raises(ProbeError, match="give the host alone, not '127.0.0.1:25'"):
        run_probe(kind, "127.0.0.1:25", **options)
