"""Target syntax, RFC 6125 name matching and facts_from: pure functions, no sockets."""

import ipaddress
from datetime import datetime, timedelta, timezone

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from engine.probes import ProbeError, ProbeResult, facts_from
from engine.probes.certs import match_pattern, name_coverage
from engine.probes.targets import HostPort, parse_host_port


@pytest.mark.parametrize("text, expected", [
    ("mail.contoso.com", HostPort("mail.contoso.com", 443, "mail.contoso.com")),
    ("Mail.Contoso.com:8443", HostPort("Mail.Contoso.com", 8443, "mail.contoso.com")),
    ("192.0.2.10:25", HostPort("192.0.2.10", 25, "192.0.2.10")),
    ("[2001:db8::1]:993", HostPort("2001:db8::1", 993, "2001:db8::1")),
    ("2001:db8::1", HostPort("2001:db8::1", 443, "2001:db8::1")),
    ("bücher.contoso.com", HostPort("bücher.contoso.com", 443, "xn--bcher-kva.contoso.com")),
    ("mail.contoso.com.", HostPort("mail.contoso.com.", 443, "mail.contoso.com")),
])
def test_targets(text, expected):
    assert parse_host_port(text, 443) == expected


@pytest.mark.parametrize("text, message", [
    ("10.0.0.0/24", "'10.0.0.0/24' is a network range; probes take one host"),
    ("10.0.0.1-10.0.0.9", "'10.0.0.1-10.0.0.9' is an address range; probes take one host"),
    ("*.contoso.com", "'*.contoso.com' is not one host name; probes take one host"),
    ("a.contoso.com,b.contoso.com", "'a.contoso.com,b.contoso.com' is not one host name; "
                                    "probes take one host"),
    ("mail.contoso.com:0", "port must be between 1 and 65535, not 0"),
    ("mail.contoso.com:70000", "port must be between 1 and 65535, not 70000"),
    ("mail.contoso.com:25-110", "not a port number: '25-110'; probes take single ports, "
                                "not ranges"),
    ("https://mail.contoso.com", "'https://mail.contoso.com' is a URL; give HOST[:PORT] (the "
                                 "http probe takes URLs)"),
    ("999.1.1.1", "'999.1.1.1' is not a valid IP address"),
    ("-bad-.contoso.com", "not a valid host name: '-bad-.contoso.com'"),
    ("", "no host given"),
    ("[::1", "bad target '[::1': use [IPv6]:PORT"),
])
def test_bad_targets(text, message):
    with pytest.raises(ProbeError) as caught:
        parse_host_port(text, 443)
    assert (str(caught.value), caught.value.reason) == (message, "bad-target")


@pytest.mark.parametrize("pattern, host, covered", [
    ("mail.contoso.com", "mail.contoso.com", True),
    ("MAIL.CONTOSO.COM", "mail.contoso.com", True),
    ("mail.contoso.com.", "mail.contoso.com", True),
    ("*.contoso.com", "mail.contoso.com", True),
    ("*.contoso.com", "a.b.contoso.com", False),
    ("*.contoso.com", "contoso.com", False),
    ("*.com", "contoso.com", False),
    ("m*.contoso.com", "mail.contoso.com", False),
    ("mail.*.com", "mail.contoso.com", False),
    ("*.*.contoso.com", "a.b.contoso.com", False),
    ("xn--bcher-kva.contoso.com", "xn--bcher-kva.contoso.com", True),
    ("bücher.contoso.com", "xn--bcher-kva.contoso.com", True),
])
def test_match_pattern(pattern, host, covered):
    assert match_pattern(pattern, host) is covered


def certificate(cn: str | None, dns: list[str] = (), ips: list[str] = ()) -> x509.Certificate:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)] if cn else [])
    now = datetime.now(timezone.utc)
    builder = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
               .public_key(key.public_key()).serial_number(1)
               .not_valid_before(now).not_valid_after(now + timedelta(days=1)))
    sans = [x509.DNSName(d) for d in dns] + [x509.IPAddress(ipaddress.ip_address(i)) for i in ips]
    if sans:
        builder = builder.add_extension(x509.SubjectAlternativeName(sans), critical=False)
    return builder.sign(key, hashes.SHA256())


def test_san_dns_names_take_precedence_over_the_cn():
    cert = certificate("legacy.contoso.com", dns=["mail.contoso.com"])
    assert name_coverage(cert, "legacy.contoso.com") == (
        False, "legacy.contoso.com is not covered: SAN names are mail.contoso.com")
    assert name_coverage(cert, "mail.contoso.com") == (True, "SAN mail.contoso.com")


def test_the_cn_counts_only_without_san_dns_names():
    covered, how = name_coverage(certificate("mail.contoso.com"), "Mail.Contoso.com")
    assert covered
    assert how == ("CN mail.contoso.com (the certificate has no SAN DNS names: current clients "
                   "ignore the CN)")


def test_ip_addresses_match_ip_sans_only_never_a_wildcard_or_cn():
    cert = certificate("192.0.2.10", dns=["*.contoso.com"], ips=["192.0.2.20"])
    assert name_coverage(cert, "192.0.2.20") == (True, "SAN IP address 192.0.2.20")
    assert name_coverage(cert, "192.0.2.10") == (
        False, "192.0.2.10 is not among the SAN IP addresses (192.0.2.20); names never cover "
               "an IP")


def test_facts_from_maps_observed_values_to_fact_values():
    result = ProbeResult("tls", "mail.contoso.com")
    result.add("tls.name-covered", "no")
    result.add("tls.trusted", "no", "unable to get local issuer certificate")
    result.add("tls.missing-intermediate", "unknown")
    result.add("tls.days-left", 12)
    mapping = {
        "tls.name-covered": ("cert-name-mismatch", {"no": "yes", "yes": "no"}),
        "tls.missing-intermediate": ("chain-incomplete", {"yes": "yes", "no": "no"}),
        "tls.days-left": ("cert-days-left", {"12": "few"}),
        "tls.protocol": ("legacy-tls", {"TLSv1": "yes"}),
    }
    assert facts_from(result, mapping) == {"cert-name-mismatch": "yes", "cert-days-left": "few"}


def test_facts_from_the_first_observation_wins():
    result = ProbeResult("port", "mail.contoso.com")
    result.add("port.25.open", "no")
    result.add("port.587.open", "yes")
    mapping = {"port.25.open": ("smtp-reachable", {"yes": "yes", "no": "no"}),
               "port.587.open": ("smtp-reachable", {"yes": "yes", "no": "no"})}
    assert facts_from(result, mapping) == {"smtp-reachable": "no"}
