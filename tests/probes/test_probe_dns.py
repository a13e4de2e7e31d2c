"""dns against a local dnslib server: records, NXDOMAIN, no answer, SERVFAIL, time-out."""

import pytest
from probe_servers import dns_server, silent_udp_port

from engine.probes import ProbeError, run_probe

ZONE = """
contoso.com.                    300 IN A     192.0.2.10
contoso.com.                    300 IN AAAA  2001:db8::10
contoso.com.                    300 IN MX    20 backup.contoso.com.
contoso.com.                    300 IN MX    10 mail.contoso.com.
mail.contoso.com.               300 IN A     192.0.2.25
autodiscover.contoso.com.       300 IN CNAME mail.contoso.com.
_autodiscover._tcp.contoso.com. 300 IN SRV   0 0 443 mail.contoso.com.
fabrikam.com.                   300 IN MX    10 mail.fabrikam.com.
"""


@pytest.fixture(scope="module")
def server():
    with dns_server(ZONE, servfail=("broken.com",)) as running:
        yield running


def lookup(server, name):
    return run_probe("dns", name, server=f"127.0.0.1:{server.port}", timeout=10)


def test_a_domain_with_everything(server):
    result = lookup(server, "contoso.com")
    assert result.error is None
    assert {o.name: o.value for o in result.observations} == {
        "dns.server": f"127.0.0.1:{server.port}",
        "dns.a": "192.0.2.10", "dns.aaaa": "2001:db8::10", "dns.resolves": "yes",
        "dns.mx": "10 mail.contoso.com,20 backup.contoso.com",
        "dns.autodiscover": "192.0.2.25", "dns.autodiscover-cname": "mail.contoso.com",
        "dns.autodiscover-resolves": "yes", "dns.autodiscover-srv": "0 0 443 mail.contoso.com",
        "dns.autodiscover-srv-target": "mail.contoso.com:443"}
    assert result.verdicts == ["contoso.com: resolves", "MX: 10 mail.contoso.com,20 "
                               "backup.contoso.com", "autodiscover.contoso.com: resolves "
                               "(192.0.2.25)", "_autodiscover._tcp.contoso.com SRV: 0 0 443 "
                               "mail.contoso.com"]


def test_an_email_address_means_its_domain(server):
    assert lookup(server, "someone@contoso.com").value("dns.a") == "192.0.2.10"


def test_a_domain_without_autodiscover(server):
    result = lookup(server, "fabrikam.com")
    assert {o.name: o.value for o in result.observations if o.name != "dns.server"} == {
        "dns.a": "no-answer", "dns.aaaa": "no-answer", "dns.resolves": "no",
        "dns.mx": "10 mail.fabrikam.com", "dns.autodiscover": "nxdomain",
        "dns.autodiscover-cname": "nxdomain", "dns.autodiscover-resolves": "no",
        "dns.autodiscover-srv": "nxdomain"}


def test_a_domain_that_does_not_exist(server):
    result = lookup(server, "nothing.example")
    assert result.error is None
    assert (result.value("dns.a"), result.value("dns.mx"), result.value("dns.resolves")) == (
        "nxdomain", "nxdomain", "no")


def test_servfail_is_an_observation(server):
    result = lookup(server, "broken.com")
    assert result.error is None
    assert (result.value("dns.a"), result.value("dns.mx")) == ("servfail", "servfail")


def test_a_server_that_never_answers_is_an_error():
    with silent_udp_port() as port:
        result = run_probe("dns", "contoso.com", server=f"127.0.0.1:{port}", timeout=1)
    assert (result.error, result.error_reason) == (
        f"no answer from the DNS server 127.0.0.1:{port} within 1 s", "timeout")


@pytest.mark.parametrize("name, server, message", [
    ("192.0.2.1", "127.0.0.1", "the dns probe takes a domain name (contoso.com), not an "
                               "address: '192.0.2.1'"),
    ("contoso.com", "dns.contoso.com", "--server takes an IP address, not 'dns.contoso.com'"),
    ("contoso.com", "10.0.0.0/8", "'10.0.0.0/8' is a network range; probes take one host"),
])
def test_bad_names_and_servers(name, server, message):
    with pytest.raises(ProbeError) as caught:
        run_probe("dns", name, server=server)
    assert str(caught.value) == message
