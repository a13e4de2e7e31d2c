"""The tls probe against local TLS servers with trustme certificates."""

from datetime import datetime, timedelta, timezone

import pytest
from probe_servers import plain_server, self_signed, server_context, tls_server, write_chain

from engine.probes import run_probe


def probe(port, **options):
    return run_probe("tls", f"127.0.0.1:{port}", timeout=10, **options)


def values(result, *names):
    return {name: result.value(name) for name in names}


VERDICT = ("tls.trusted", "tls.name-covered", "tls.expired", "tls.not-yet-valid",
           "tls.self-signed", "tls.missing-intermediate", "tls.unknown-ca")


def test_good_chain_is_trusted_with_its_root(pki):
    leaf = pki.intermediate.issue_cert("mail.contoso.com", "autodiscover.contoso.com")
    with tls_server(pki.context("good", leaf)) as server:
        result = probe(server.port, name="mail.contoso.com", ca=pki.root_file)
    assert result.error is None
    assert values(result, *VERDICT) == {
        "tls.trusted": "yes", "tls.name-covered": "yes", "tls.expired": "no",
        "tls.not-yet-valid": "no", "tls.self-signed": "no", "tls.missing-intermediate": "no",
        "tls.unknown-ca": "no"}
    assert result.value("tls.protocol") in ("TLSv1.2", "TLSv1.3")
    assert result.value("tls.chain-source") == "server"
    assert result.value("tls.chain-length") == 2
    assert result.value("tls.cert.0.san-dns") == "mail.contoso.com,autodiscover.contoso.com"
    assert result.value("tls.cert.1.subject") == result.value("tls.issuer")
    assert result.value("tls.key-type") == "EC secp256r1"
    assert result.value("tls.key-bits") == 256
    assert result.value("tls.signature-algorithm") == "ecdsa-with-SHA256"
    assert result.verdicts[:2] == ["certificate covers mail.contoso.com (SAN mail.contoso.com)",
                                   "trusted: yes"]


def test_name_not_covered(pki):
    leaf = pki.intermediate.issue_cert("mail.contoso.com")
    with tls_server(pki.context("mail", leaf)) as server:
        result = probe(server.port, name="autodiscover.contoso.com", ca=pki.root_file)
    assert values(result, "tls.trusted", "tls.name-covered") == {
        "tls.trusted": "yes", "tls.name-covered": "no"}
    assert result.verdicts[0] == ("certificate does not cover autodiscover.contoso.com "
                                  "(SAN names are mail.contoso.com)")


@pytest.mark.parametrize("name, covered", [
    ("mail.contoso.com", "yes"), ("MAIL.Contoso.COM", "yes"), ("a.b.contoso.com", "no"),
    ("contoso.com", "no")])
def test_wildcard_covers_one_label(pki, name, covered):
    leaf = pki.intermediate.issue_cert("*.contoso.com")
    with tls_server(pki.context("wildcard", leaf)) as server:
        result = probe(server.port, name=name, ca=pki.root_file)
    assert result.value("tls.name-covered") == covered


def test_ip_address_target_matches_ip_san(pki):
    leaf = pki.intermediate.issue_cert("127.0.0.1")
    with tls_server(pki.context("ip", leaf)) as server:
        result = probe(server.port, ca=pki.root_file)
    assert values(result, "tls.name", "tls.name-covered", "tls.cert.0.san-ip") == {
        "tls.name": "127.0.0.1", "tls.name-covered": "yes", "tls.cert.0.san-ip": "127.0.0.1"}


def test_expired(pki):
    now = datetime.now(timezone.utc)
    leaf = pki.intermediate.issue_cert("mail.contoso.com", not_before=now - timedelta(days=400),
                                       not_after=now - timedelta(days=10))
    with tls_server(pki.context("expired", leaf)) as server:
        result = probe(server.port, name="mail.contoso.com", ca=pki.root_file)
    assert values(result, *VERDICT) == {
        "tls.trusted": "no", "tls.name-covered": "yes", "tls.expired": "yes",
        "tls.not-yet-valid": "no", "tls.self-signed": "no", "tls.missing-intermediate": "no",
        "tls.unknown-ca": "no"}
    assert result.value("tls.verify-error") == "certificate has expired"
    assert result.value("tls.days-left") < 0
    assert "trusted: no (certificate has expired)" in result.verdicts
    assert any(line.startswith("certificate expired on ") for line in result.verdicts)


def test_not_yet_valid(pki):
    now = datetime.now(timezone.utc)
    leaf = pki.intermediate.issue_cert("mail.contoso.com", not_before=now + timedelta(days=10),
                                       not_after=now + timedelta(days=400))
    with tls_server(pki.context("future", leaf)) as server:
        result = probe(server.port, name="mail.contoso.com", ca=pki.root_file)
    assert values(result, "tls.trusted", "tls.expired", "tls.not-yet-valid") == {
        "tls.trusted": "no", "tls.expired": "no", "tls.not-yet-valid": "yes"}
    assert result.value("tls.verify-error") == "certificate is not yet valid"


def test_missing_intermediate_with_the_root_trusted(pki):
    leaf = pki.intermediate.issue_cert("mail.contoso.com")
    with tls_server(pki.context("leafonly", leaf, send="leaf")) as server:
        result = probe(server.port, name="mail.contoso.com", ca=pki.root_file)
    assert values(result, "tls.trusted", "tls.verify-error", "tls.missing-intermediate",
                  "tls.unknown-ca", "tls.chain-length") == {
        "tls.trusted": "no", "tls.verify-error": "unable to get local issuer certificate",
        "tls.missing-intermediate": "yes", "tls.unknown-ca": "no", "tls.chain-length": 1}
    assert "the server does not send its intermediate certificate" in result.verdicts


def test_unknown_ca_when_the_server_sends_its_intermediate(pki):
    leaf = pki.intermediate.issue_cert("mail.contoso.com")
    with tls_server(pki.context("unknown", leaf)) as server:
        result = probe(server.port, name="mail.contoso.com")        # the system store
    assert values(result, "tls.trusted", "tls.missing-intermediate", "tls.unknown-ca") == {
        "tls.trusted": "no", "tls.missing-intermediate": "no", "tls.unknown-ca": "yes"}
    assert "the issuing CA is not trusted by the system trust store" in result.verdicts


def test_unknown_ca_when_the_server_sends_its_root(pki):
    leaf = pki.intermediate.issue_cert("mail.contoso.com")
    with tls_server(pki.context("full", leaf, send="full")) as server:
        result = probe(server.port, name="mail.contoso.com")
    assert values(result, "tls.trusted", "tls.verify-error", "tls.missing-intermediate",
                  "tls.unknown-ca", "tls.chain-length") == {
        "tls.trusted": "no", "tls.verify-error": "self-signed certificate in certificate chain",
        "tls.missing-intermediate": "no", "tls.unknown-ca": "yes", "tls.chain-length": 3}


def test_leaf_alone_from_an_unknown_ca_is_honestly_unknown(pki):
    leaf = pki.root.issue_cert("mail.contoso.com")
    with tls_server(pki.context("rootleaf", leaf, send="leaf")) as server:
        result = probe(server.port, name="mail.contoso.com")
    assert values(result, "tls.trusted", "tls.missing-intermediate", "tls.unknown-ca") == {
        "tls.trusted": "no", "tls.missing-intermediate": "unknown", "tls.unknown-ca": "unknown"}


def test_self_signed(tmp_path):
    cert, key = self_signed(["mail.contoso.com"])
    context = server_context(write_chain(tmp_path, "self", [cert], key))
    with tls_server(context) as server:
        result = probe(server.port, name="mail.contoso.com")
    assert values(result, *VERDICT) == {
        "tls.trusted": "no", "tls.name-covered": "yes", "tls.expired": "no",
        "tls.not-yet-valid": "no", "tls.self-signed": "yes", "tls.missing-intermediate": "no",
        "tls.unknown-ca": "yes"}
    assert result.value("tls.verify-error") == "self-signed certificate"
    assert "certificate is self-signed" in result.verdicts


def test_self_signed_certificate_given_as_ca_is_trusted(tmp_path):
    cert, key = self_signed(["mail.contoso.com"])
    (tmp_path / "trust.pem").write_bytes(cert)
    context = server_context(write_chain(tmp_path, "self", [cert], key))
    with tls_server(context) as server:
        result = probe(server.port, name="mail.contoso.com", ca=str(tmp_path / "trust.pem"))
    assert values(result, "tls.trusted", "tls.self-signed") == {
        "tls.trusted": "yes", "tls.self-signed": "yes"}


@pytest.mark.parametrize("greeting", [b"220 mail.contoso.com ESMTP\r\n",
                                      b"HTTP/1.1 400 Bad Request\r\n\r\n"])
def test_a_port_that_answers_but_not_with_tls(greeting):
    with plain_server(greeting) as server:
        result = probe(server.port)
    assert result.error_reason == "not-tls"
    assert result.error.startswith(f"127.0.0.1:{server.port} answers, but not with TLS")
    assert result.observations == []


def test_a_silent_port_is_not_tls():
    with plain_server() as server:
        result = run_probe("tls", f"127.0.0.1:{server.port}", timeout=2)
    assert result.error_reason == "not-tls"
    assert "sent no TLS handshake" in result.error


def test_a_bad_ca_file_is_refused_before_connecting(tmp_path):
    (tmp_path / "junk.pem").write_text("not a certificate")
    from engine.probes import ProbeError
    with pytest.raises(ProbeError) as caught:
        run_probe("tls", "127.0.0.1:1", ca=str(tmp_path / "junk.pem"))
    assert caught.value.reason == "bad-target"
    assert str(caught.value) == f"--ca {tmp_path / 'junk.pem'} holds no certificate (PEM or DER)"


def test_a_server_speaking_only_tls_1_0_is_still_judged(pki):
    import ssl
    import warnings
    leaf = pki.intermediate.issue_cert("mail.contoso.com")
    context = pki.context("legacy", leaf)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        context.minimum_version = context.maximum_version = ssl.TLSVersion.TLSv1
    try:
        context.set_ciphers("ALL:@SECLEVEL=0")
    except ssl.SSLError:
        pytest.skip("this OpenSSL cannot serve TLS 1.0")
    with tls_server(context) as server:
        result = probe(server.port, name="mail.contoso.com", ca=pki.root_file)
    if result.error_reason in ("not-tls", "protocol"):
        pytest.skip(f"this OpenSSL will not speak TLS 1.0: {result.error}")
    assert values(result, "tls.protocol", "tls.legacy-protocol", "tls.trusted") == {
        "tls.protocol": "TLSv1", "tls.legacy-protocol": "yes", "tls.trusted": "yes"}
    assert "the server offers at most TLSv1" in result.verdicts


def test_an_idna_name_is_sent_and_matched_as_its_a_label(pki):
    leaf = pki.intermediate.issue_cert("xn--bcher-kva.contoso.com")
    with tls_server(pki.context("idna", leaf)) as server:
        result = probe(server.port, name="Bücher.contoso.com", ca=pki.root_file)
    assert values(result, "tls.name", "tls.name-covered", "tls.trusted") == {
        "tls.name": "Bücher.contoso.com", "tls.name-covered": "yes", "tls.trusted": "yes"}


def test_a_bad_name_is_refused_before_connecting():
    from engine.probes import ProbeError
    with pytest.raises(ProbeError, match="not a valid host name"):
        run_probe("tls", "127.0.0.1:1", name="bad..name")
