"""Certificates: what one says (parsed with `cryptography`), whether it covers a name, and why a
chain is not trusted (missing intermediate or unknown CA).

Name matching follows RFC 6125: DNS names in the subjectAltName take precedence, and the CN is
looked at only when there are none; a wildcard counts only as the whole left-most label
(`*.contoso.com`), matches exactly one label, never the bare domain, never an IP address;
comparison is case-insensitive on the A-label (IDNA) form. IP addresses match IP SANs only.
"""

from __future__ import annotations

import ipaddress
import ssl
import warnings
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
from cryptography.x509.oid import NameOID

from engine.probes.models import ProbeError

WEAK_HASHES = {"md5", "sha1"}
# OpenSSL verify codes (X509_V_ERR_*) that mean "the chain could not be built to an anchor".
NO_ISSUER = {2, 20}            # unable to get issuer certificate (locally)
SELF_SIGNED_LEAF, SELF_SIGNED_IN_CHAIN = 18, 19


@dataclass(frozen=True)
class CertFacts:
    subject: str
    issuer: str
    san_dns: list[str]
    san_ip: list[str]
    not_before: datetime
    not_after: datetime
    key: str                   # "RSA", "EC secp256r1", "Ed25519"...
    key_bits: int
    signature_algorithm: str
    self_signed: bool


def describe(cert: x509.Certificate) -> CertFacts:
    key = cert.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        key_type, bits = "RSA", key.key_size
    elif isinstance(key, ec.EllipticCurvePublicKey):
        key_type, bits = f"EC {key.curve.name}", key.key_size
    elif isinstance(key, dsa.DSAPublicKey):
        key_type, bits = "DSA", key.key_size
    elif isinstance(key, ed25519.Ed25519PublicKey):
        key_type, bits = "Ed25519", 256
    elif isinstance(key, ed448.Ed448PublicKey):
        key_type, bits = "Ed448", 456
    else:
        key_type, bits = type(key).__name__, 0
    oid = cert.signature_algorithm_oid
    return CertFacts(
        subject=cert.subject.rfc4514_string(), issuer=cert.issuer.rfc4514_string(),
        san_dns=san_dns(cert), san_ip=[str(ip) for ip in san_values(cert, x509.IPAddress)],
        not_before=cert.not_valid_before_utc, not_after=cert.not_valid_after_utc,
        key=key_type, key_bits=bits,
        signature_algorithm=getattr(oid, "_name", None) or oid.dotted_string,
        self_signed=is_self_signed(cert))


def san_values(cert: x509.Certificate, kind: type) -> list:
    try:
        extension = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except x509.ExtensionNotFound:
        return []
    return extension.value.get_values_for_type(kind)


def san_dns(cert: x509.Certificate) -> list[str]:
    return san_values(cert, x509.DNSName)


def common_names(cert: x509.Certificate) -> list[str]:
    return [str(a.value) for a in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]


def is_self_signed(cert: x509.Certificate) -> bool:
    if cert.subject != cert.issuer:
        return False
    try:
        cert.verify_directly_issued_by(cert)
    except (InvalidSignature, ValueError, TypeError):  # bad signature or unsupported key
        return False
    return True


def weak_signature(cert: x509.Certificate) -> bool:
    try:
        algorithm = cert.signature_hash_algorithm
    except UnsupportedAlgorithm:
        return False
    return algorithm is not None and algorithm.name in WEAK_HASHES


def validity(cert: x509.Certificate, now: datetime | None = None) -> str:
    """'valid', 'expired' or 'not-yet-valid' at `now`."""
    now = now or datetime.now(timezone.utc)
    if now > cert.not_valid_after_utc:
        return "expired"
    if now < cert.not_valid_before_utc:
        return "not-yet-valid"
    return "valid"


# --- name coverage -----------------------------------------------------------------------

def _ascii(name: str) -> str | None:
    try:
        return name.strip().rstrip(".").encode("idna").decode("ascii").lower()
    except UnicodeError:
        return None


def match_pattern(pattern: str, host: str) -> bool:
    """Does one presented DNS identifier cover `host` (an A-label, lowercase)?"""
    if "*" not in pattern:
        return _ascii(pattern) == host
    if not pattern.startswith("*.") or "*" in pattern[2:]:
        return False                          # partial or inner wildcards are not honoured
    rest = _ascii(pattern[2:])
    if rest is None or "." not in rest:       # "*.com": too broad to honour
        return False
    first, sep, remainder = host.partition(".")
    return bool(first and sep and remainder == rest)


def name_coverage(cert: x509.Certificate, name: str) -> tuple[bool, str]:
    """(covered, how): the identifier that matched, or what the certificate names instead."""
    try:
        ip = ipaddress.ip_address(name)
    except ValueError:
        ip = None
    if ip is not None:
        ips = san_values(cert, x509.IPAddress)
        if ip in ips:
            return True, f"SAN IP address {ip}"
        listed = ", ".join(map(str, ips)) or "none"
        return False, f"{ip} is not among the SAN IP addresses ({listed}); names never cover an IP"
    host = _ascii(name)
    dns = san_dns(cert)
    source, patterns = ("SAN", dns) if dns else ("CN", common_names(cert))
    if host is not None:
        for pattern in patterns:
            if match_pattern(pattern, host):
                how = f"{source} {pattern}"
                if source == "CN":
                    how += " (the certificate has no SAN DNS names: current clients ignore the CN)"
                return True, how
    listed = ", ".join(patterns) or "none"
    return False, f"{name} is not covered: {source} names are {listed}"


# --- trust store and chain analysis ------------------------------------------------------

def load_certificates(data: bytes, where: str) -> list[x509.Certificate]:
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificates(data)
        return [x509.load_der_x509_certificate(data)]
    except ValueError:
        raise ProbeError(f"{where} holds no certificate (PEM or DER)", "bad-target") from None


def load_store(ca_file: str | None) -> list[x509.Certificate]:
    """The anchors the verifying handshake uses: --ca FILE, else the system store."""
    if ca_file:
        try:
            data = Path(ca_file).read_bytes()
        except OSError as exc:
            raise ProbeError(f"cannot read --ca {ca_file}: {exc.strerror or exc}",
                             "bad-target") from None
        return load_certificates(data, f"--ca {ca_file}")
    with warnings.catch_warnings():     # old roots with odd serials: warned of, still used
        warnings.simplefilter("ignore")
        return _system_store()


def _system_store() -> list[x509.Certificate]:
    certs = []
    for der in ssl.create_default_context().get_ca_certs(binary_form=True):
        try:
            certs.append(x509.load_der_x509_certificate(der))
        except ValueError:
            continue
    if not certs:                   # a capath-only store is loaded lazily by OpenSSL
        paths = ssl.get_default_verify_paths()
        files = [Path(paths.cafile)] if paths.cafile else []
        if paths.capath and Path(paths.capath).is_dir():
            files += sorted(Path(paths.capath).glob("*.pem"))[:2000]
        for path in files:
            try:
                certs += x509.load_pem_x509_certificates(path.read_bytes())
            except (OSError, ValueError):
                continue
    return certs


@dataclass(frozen=True)
class ChainVerdict:
    missing_intermediate: str   # yes / no / unknown
    unknown_ca: str             # yes / no / unknown
    detail: str


def _organisation(name: x509.Name) -> str | None:
    values = name.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    return str(values[0].value) if values else None


def top_of_presented(chain: list[x509.Certificate]) -> x509.Certificate:
    """Walk from the leaf through the certificates the server sent, issuer by issuer."""
    top, seen = chain[0], {0}
    while True:
        step = next((i for i, c in enumerate(chain) if i not in seen and c.subject == top.issuer),
                    None)
        if step is None or top.subject == top.issuer:
            return top
        seen.add(step)
        top = chain[step]


def analyse_chain(chain: list[x509.Certificate], store: list[x509.Certificate],
                  verify_code: int | None) -> ChainVerdict:
    """Why the chain is (not) trusted, told apart as well as a read-only probe can.

    verify_code is None when the verifying handshake succeeded. The probe never fetches the
    missing certificate from elsewhere (AIA), so "the server did not send the intermediate" and
    "this machine does not trust the CA" are told apart from what is at hand: the top of the
    chain the server sent, and the store.
    """
    if verify_code is None:
        return ChainVerdict("no", "no", "the chain reaches a trusted root")
    if verify_code not in NO_ISSUER | {SELF_SIGNED_LEAF, SELF_SIGNED_IN_CHAIN}:
        return ChainVerdict("no", "no", "the chain was built to a trusted root; it failed "
                                        "for another reason")
    top = top_of_presented(chain)
    if is_self_signed(top) or verify_code in (SELF_SIGNED_LEAF, SELF_SIGNED_IN_CHAIN):
        what = "the certificate is self-signed" if top is chain[0] else \
            f"the server sent its chain up to the root '{top.subject.rfc4514_string()}'"
        return ChainVerdict("no", "yes", f"{what}, and that root is not in the trust store")
    issuer = top.issuer.rfc4514_string()
    organisation = _organisation(top.issuer)
    kin = [c for c in store if organisation and _organisation(c.subject) == organisation]
    if kin:
        return ChainVerdict("yes", "no", (
            f"the issuer '{issuer}' is not in the trust store and the server did not send it, "
            f"but the store trusts '{kin[0].subject.rfc4514_string()}' of the same "
            "organisation: the server most likely lacks the intermediate certificate"))
    if top is chain[0]:
        return ChainVerdict("unknown", "unknown", (
            f"the server sent only its own certificate, and its issuer '{issuer}' is not in the "
            "trust store: either the server lacks the intermediate certificate, or this "
            "machine does not trust the CA (check the issuer's CA certificate)"))
    return ChainVerdict("no", "yes", (
        f"the server sent {len(chain) - 1} CA certificate(s) up to '{top.subject.rfc4514_string()}'"
        f", whose issuer '{issuer}' is not in the trust store: most likely the root CA is not "
        "trusted here"))
