"""The http probe: one unauthenticated GET, redirects followed on the same host only.

At most 5 redirects are followed, each reported; a redirect to another host is reported and not
followed (a probe contacts only the host it was given: probe that URL by name). For https the
TLS facts of the `tls` probe come first (for the first https host and port). No credentials,
cookies or request body are ever sent; at most 64 KiB of each response body is read.
"""

from __future__ import annotations

import http.client
import re
import socket
from dataclasses import dataclass, field
from urllib.parse import quote, urljoin, urlsplit

from engine.probes import net, tls
from engine.probes.models import ProbeError, ProbeResult, yes_no
from engine.probes.targets import HostPort, parse_host_port

MAX_REDIRECTS = 5
MAX_BODY = 64 * 1024
USER_AGENT = "triage-probe/0.1 (read-only check)"
REDIRECTS = {301, 302, 303, 307, 308}
EXCHANGE_HEADERS = ("X-FEServer", "X-BEServer", "X-OWA-Version", "X-CalculatedBETarget",
                    "X-DiagInfo")
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


@dataclass(frozen=True)
class Url:
    text: str
    scheme: str
    hp: HostPort
    path: str


@dataclass
class Challenge:
    scheme: str
    params: list[str] = field(default_factory=list)


def parse_url(text: str) -> Url:
    parts = urlsplit(text.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ProbeError(f"not an http(s) URL: '{text}' (e.g. "
                         "https://mail.contoso.com/EWS/Exchange.asmx)", "bad-target")
    if "@" in parts.netloc:
        raise ProbeError("the URL carries a user name or password; probes never send "
                         "credentials", "bad-target")
    scheme = parts.scheme.lower()
    hp = parse_host_port(parts.netloc, 443 if scheme == "https" else 80)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    if re.search(r"[\x00-\x20\x7f]", path):
        raise ProbeError(f"the URL has spaces or control characters: '{text}'", "bad-target")
    return Url(text.strip(), scheme, hp, quote(path, safe="!#$%&'()*+,/:;=?@[]~"))


def split_commas(text: str) -> list[str]:
    """Split at commas that are not inside a quoted string."""
    items, current, quoted, escaped = [], [], False, False
    for char in text:
        if escaped:
            escaped = False
        elif char == "\\" and quoted:
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            items.append("".join(current))
            current = []
            continue
        current.append(char)
    items.append("".join(current))
    return [item.strip() for item in items if item.strip()]


def challenges(header_values: list[str]) -> list[Challenge]:
    """The challenges in WWW-Authenticate headers (RFC 9110 11.6.1): several headers, and
    several comma-joined challenges in one, with their auth-params or token68."""
    found: list[Challenge] = []
    for value in header_values:
        for item in split_commas(value):
            match = _TOKEN.match(item)
            if not match:
                continue
            rest = item[match.end():].lstrip()
            if rest.startswith("=") and found:      # name=value: a parameter of the last one
                found[-1].params.append(item)
            elif not rest.startswith("="):
                found.append(Challenge(match.group(0), [rest] if rest else []))
    return found


def get(url: Url, timeout: float) -> tuple[int, str, http.client.HTTPMessage]:
    if url.scheme == "https":
        sock = tls.handshake(url.hp, url.hp.ascii_host, tls.lenient_context(), timeout)
        connection = http.client.HTTPSConnection(url.hp.ascii_host, url.hp.port, timeout=timeout)
    else:
        sock, _ = net.connect(url.hp, timeout)
        connection = http.client.HTTPConnection(url.hp.ascii_host, url.hp.port, timeout=timeout)
    connection.sock = sock               # connected by us: one host, bounded attempts
    try:
        connection.request("GET", url.path, headers={"User-Agent": USER_AGENT,
                                                     "Accept": "*/*", "Connection": "close"})
        response = connection.getresponse()
        response.read(MAX_BODY)
        return response.status, response.reason, response.headers
    except (socket.timeout, TimeoutError):
        raise ProbeError(f"no HTTP response from {url.hp} within {timeout:g} s",
                         "timeout") from None
    except (http.client.HTTPException, ConnectionError) as exc:
        raise ProbeError(f"{url.hp} answers, but not with HTTP ({type(exc).__name__}"
                         f"{': ' + str(exc) if str(exc) else ''})", "protocol") from None
    finally:
        connection.close()


def probe_http(result: ProbeResult, target: str, ca_file: str | None = None,
               timeout: float = 5.0) -> None:
    url, tls_done, hops = parse_url(target), False, 0
    while True:
        if url.scheme == "https" and not tls_done:
            tls.probe_tls(result, url.hp, ca_file=ca_file, timeout=timeout)
            tls_done = True
        status, reason, headers = get(url, timeout)
        location = headers.get("Location")
        if status not in REDIRECTS or not location:
            break
        hops += 1
        following = urljoin(url.text, location)
        result.add(f"http.redirect.{hops}", f"{status} {following}", f"from {url.text}")
        if hops > MAX_REDIRECTS:
            result.verdicts.append(f"more than {MAX_REDIRECTS} redirects: stopped")
            break
        try:
            next_url = parse_url(following)
        except ProbeError as exc:
            result.verdicts.append(f"redirect to {following} not followed: {exc}")
            break
        if next_url.hp.ascii_host != url.hp.ascii_host:
            result.add("http.redirect-not-followed", following,
                       "another host: a probe contacts only the host it is given")
            result.verdicts.append(f"redirected to another host, not followed: {following}")
            break
        url = next_url
    report(result, url, status, reason, headers, hops)


def report(result: ProbeResult, url: Url, status: int, reason: str,
           headers: http.client.HTTPMessage, hops: int) -> None:
    found = challenges(headers.get_all("WWW-Authenticate") or [])
    schemes = list({c.scheme.lower(): c.scheme for c in found}.values())
    lower = {s.lower() for s in schemes}
    exchange = {h: headers[h].strip() for h in EXCHANGE_HEADERS if headers.get(h)}
    result.add("http.status", status, reason)
    result.add("http.final-url", url.text)
    result.add("http.redirects", hops)
    result.add("http.server", headers.get("Server", "").strip())
    result.add("http.auth-schemes", ",".join(schemes),
               "; ".join(f"{c.scheme} {' '.join(c.params)}".strip() for c in found) or None)
    for scheme in ("ntlm", "negotiate", "basic", "bearer", "digest"):
        result.add(f"http.{scheme}", yes_no(scheme in lower))
    result.add("http.exchange", yes_no(bool(exchange)),
               ", ".join(f"{k}: {v}" for k, v in exchange.items()) or None)
    if exchange.get("X-FEServer"):
        result.add("http.exchange-frontend", exchange["X-FEServer"])
    result.verdicts.insert(0, f"HTTP {status} {reason} from {url.text}"
                           + (f"; authentication offered: {', '.join(schemes)}" if schemes
                              else ""))
