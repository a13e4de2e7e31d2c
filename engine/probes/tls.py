"""The tls probe: two handshakes with one host.

1. Verification off (and every protocol version and cipher allowed), to read what the server
   presents even when a client would refuse it: protocol, cipher and the certificate chain.
   On Python 3.11 and 3.12 the whole presented chain comes from the ssl module's internal
   `_sslobj.get_unverified_chain()` (public as `SSLSocket.get_unverified_chain()` from 3.13);
   where neither exists only the leaf can be read (`getpeercert(binary_form=True)`), which
   `tls.chain-source` = `leaf-only` says.
2. Verification on, against the system trust store or --ca FILE, without hostname checking
   (the name is checked here, by RFC 6125, so that trust and name are reported apart):
   trusted yes/no with OpenSSL's reason. When that handshake fails for a reason other than the
   certificate and the server speaks only a legacy protocol, it is made once more with legacy
   protocols allowed, so that trust is still reported.
"""

from __future__ import annotations

import socket
import ssl
from dataclasses import dataclass
from datetime import datetime, timezone

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from engine.probes import certs, net
from engine.probes.models import ProbeError, ProbeResult, yes_no
from engine.probes.targets import HostPort, is_ip, to_ascii

try:
    from _ssl import ENCODING_DER
except ImportError:         # pragma: no cover - every CPython has it
    ENCODING_DER = 1

LEGACY = {"SSLv3", "TLSv1", "TLSv1.1"}
NOT_TLS_REASONS = {"WRONG_VERSION_NUMBER", "UNKNOWN_PROTOCOL", "HTTP_REQUEST",
                   "RECORD_LAYER_FAILURE", "PACKET_LENGTH_TOO_LONG", "UNEXPECTED_RECORD"}


@dataclass
class Handshake:
    version: str
    cipher: str
    chain: list[x509.Certificate]
    chain_source: str          # "server" (all it sent) or "leaf-only"


def lenient_context(verify: bool = False) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_REQUIRED if verify else ssl.CERT_NONE
    context.minimum_version = ssl.TLSVersion.MINIMUM_SUPPORTED
    try:
        context.set_ciphers("ALL:@SECLEVEL=0")
    except ssl.SSLError:       # pragma: no cover - an OpenSSL without security levels
        pass
    return context


def handshake_failure(exc: OSError, where: str, timeout: float) -> ProbeError:
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return ProbeError(f"{where} accepted the connection but sent no TLS handshake within "
                          f"{timeout:g} s (not TLS? STARTTLS ports such as 25, 110, 143 start "
                          "in plain text)", "not-tls")
    if isinstance(exc, ssl.SSLEOFError) or isinstance(exc, (ConnectionResetError,
                                                            BrokenPipeError)):
        return ProbeError(f"{where} closed the connection during the TLS handshake (not TLS, or "
                          "it accepts none of the protocol versions and ciphers offered)",
                          "not-tls")
    if isinstance(exc, ssl.SSLError):
        reason = exc.reason or ""
        if reason in NOT_TLS_REASONS:
            return ProbeError(f"{where} answers, but not with TLS "
                              f"({reason.lower().replace('_', ' ')})", "not-tls")
        return ProbeError(f"TLS handshake with {where} failed: "
                          f"{(reason or str(exc)).lower().replace('_', ' ')}", "protocol")
    return net.describe_failure(exc, where, timeout)


def handshake(hp: HostPort, sni: str | None, context: ssl.SSLContext,
              timeout: float) -> ssl.SSLSocket:
    """A TLS socket; ssl.SSLCertVerificationError passes through, other failures become
    ProbeErrors."""
    sock, _ = net.connect(hp, timeout)
    try:
        return context.wrap_socket(sock, server_hostname=sni)
    except ssl.SSLCertVerificationError:
        sock.close()
        raise
    except OSError as exc:
        sock.close()
        raise handshake_failure(exc, str(hp), timeout) from None


def presented_chain(tls: ssl.SSLSocket) -> tuple[list[x509.Certificate], str]:
    getter = getattr(tls, "get_unverified_chain", None) or \
        getattr(getattr(tls, "_sslobj", None), "get_unverified_chain", None)
    items = getter() if getter else None
    try:
        if items:
            ders = [i if isinstance(i, bytes) else i.public_bytes(ENCODING_DER) for i in items]
            return [x509.load_der_x509_certificate(d) for d in ders], "server"
        leaf = tls.getpeercert(binary_form=True)
        if not leaf:
            raise ProbeError("the server presented no certificate", "protocol")
        return [x509.load_der_x509_certificate(leaf)], "leaf-only"
    except ValueError as exc:
        raise ProbeError(f"the server's certificate cannot be parsed: {exc}", "protocol") from None


def fetch(hp: HostPort, sni: str | None, timeout: float) -> Handshake:
    with handshake(hp, sni, lenient_context(), timeout) as tls:
        cipher = tls.cipher()
        chain, source = presented_chain(tls)
        return Handshake(tls.version() or "unknown", cipher[0] if cipher else "unknown",
                         chain, source)


def verify(hp: HostPort, sni: str | None, store: list[x509.Certificate], ca_file: str | None,
           legacy: bool, timeout: float) -> tuple[int | None, str]:
    """(None, "ok") when the chain verifies; else OpenSSL's (code, message)."""
    if legacy:
        context = lenient_context(verify=True)
    else:
        context = ssl.create_default_context()
        context.check_hostname = False
    if ca_file:
        context.load_verify_locations(
            cadata="".join(c.public_bytes(Encoding.PEM).decode("ascii") for c in store))
    elif legacy:
        context.load_default_certs()
    try:
        handshake(hp, sni, context, timeout).close()
    except ssl.SSLCertVerificationError as exc:
        return exc.verify_code, exc.verify_message
    return None, "ok"


def probe_tls(result: ProbeResult, hp: HostPort, name: str | None = None,
              ca_file: str | None = None, timeout: float = 5.0) -> None:
    """Observations about the server's certificate for `name` (default: the host)."""
    name = (name or hp.host).strip()
    sni = name if is_ip(name) else to_ascii(name)   # a bad --name fails before any packet
    store = certs.load_store(ca_file)              # and so does a bad --ca
    shake = fetch(hp, sni, timeout)
    try:
        code, message = verify(hp, sni, store, ca_file, legacy=False, timeout=timeout)
    except ProbeError:
        if shake.version not in LEGACY:
            raise
        code, message = verify(hp, sni, store, ca_file, legacy=True, timeout=timeout)
    judge(result, shake.chain, store, name, code, message, ca_file)
    result.add("tls.protocol", shake.version)
    result.add("tls.cipher", shake.cipher)
    legacy = shake.version in LEGACY
    result.add("tls.legacy-protocol", yes_no(legacy),
               f"the server's best protocol is {shake.version}" if legacy else None)
    if legacy:
        result.verdicts.append(f"the server offers at most {shake.version}")
    result.add("tls.chain-source", shake.chain_source,
               "only the leaf could be read on this Python" if shake.chain_source == "leaf-only"
               else None)
    result.add("tls.chain-length", len(shake.chain))
    for index, cert in enumerate(shake.chain):
        add_certificate(result, f"tls.cert.{index}", certs.describe(cert))


def add_certificate(result: ProbeResult, prefix: str, facts: certs.CertFacts) -> None:
    result.add(f"{prefix}.subject", facts.subject)
    result.add(f"{prefix}.san-dns", ",".join(facts.san_dns))
    result.add(f"{prefix}.san-ip", ",".join(facts.san_ip))
    result.add(f"{prefix}.issuer", facts.issuer)
    result.add(f"{prefix}.not-before", facts.not_before.isoformat())
    result.add(f"{prefix}.not-after", facts.not_after.isoformat())
    result.add(f"{prefix}.key", f"{facts.key} {facts.key_bits}")
    result.add(f"{prefix}.signature-algorithm", facts.signature_algorithm)
    result.add(f"{prefix}.self-signed", yes_no(facts.self_signed))


def judge(result: ProbeResult, chain: list[x509.Certificate], store: list[x509.Certificate],
          name: str, code: int | None, message: str, ca_file: str | None) -> None:
    """The verdict observations about the leaf, and the lines a person reads first."""
    leaf, facts = chain[0], certs.describe(chain[0])
    now = datetime.now(timezone.utc)
    state = certs.validity(leaf, now)
    covered, how = certs.name_coverage(leaf, name)
    chain_verdict = certs.analyse_chain(chain, store, code)
    anchors = f"--ca {ca_file}" if ca_file else "the system trust store"
    days_left = (facts.not_after - now).days
    weak = [c for c in chain if certs.weak_signature(c) and not certs.is_self_signed(c)]

    result.add("tls.name", name)
    result.add("tls.name-covered", yes_no(covered), how)
    result.add("tls.trusted", yes_no(code is None),
               f"against {anchors}" + ("" if code is None else f": {message} (code {code})"))
    result.add("tls.verify-error", "none" if code is None else message)
    result.add("tls.expired", yes_no(state == "expired"),
               f"not after {facts.not_after:%Y-%m-%d %H:%M} UTC")
    result.add("tls.not-yet-valid", yes_no(state == "not-yet-valid"),
               f"not before {facts.not_before:%Y-%m-%d %H:%M} UTC")
    result.add("tls.days-left", days_left)
    result.add("tls.self-signed", yes_no(facts.self_signed))
    result.add("tls.missing-intermediate", chain_verdict.missing_intermediate, chain_verdict.detail)
    result.add("tls.unknown-ca", chain_verdict.unknown_ca)        # the detail is above
    result.add("tls.subject", facts.subject)
    result.add("tls.san-dns", ",".join(facts.san_dns))
    result.add("tls.issuer", facts.issuer)
    result.add("tls.key-type", facts.key)
    result.add("tls.key-bits", facts.key_bits)
    result.add("tls.signature-algorithm", facts.signature_algorithm)
    result.add("tls.weak-signature", yes_no(bool(weak)),
               ", ".join(certs.describe(c).subject for c in weak) or None)

    lines = result.verdicts
    lines.append(f"certificate covers {name} ({how})" if covered
                 else f"certificate does not cover {name} ({how.split(': ', 1)[-1]})")
    lines.append("trusted: yes" if code is None else f"trusted: no ({message})")
    if state == "expired":
        lines.append(f"certificate expired on {facts.not_after:%Y-%m-%d %H:%M} UTC")
    elif state == "not-yet-valid":
        lines.append(f"certificate is not valid before {facts.not_before:%Y-%m-%d %H:%M} UTC")
    if facts.self_signed:
        lines.append("certificate is self-signed")
    if chain_verdict.missing_intermediate == "yes":
        lines.append("the server does not send its intermediate certificate")
    elif chain_verdict.unknown_ca == "yes" and not facts.self_signed:
        lines.append(f"the issuing CA is not trusted by {anchors}")
    elif chain_verdict.missing_intermediate == "unknown":
        lines.append("missing intermediate or unknown CA: the server sent only its own "
                     "certificate")
    if weak:
        lines.append("signed with SHA-1 or MD5: current clients refuse it")
