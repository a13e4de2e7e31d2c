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

from typing import Any

from engine.probes.models import (
    FactMapping,
    Observation,
    ProbeError,
    ProbeResult,
    facts_from,
    yes_no,
)

__all__ = ["DESCRIPTIONS", "KINDS", "FactMapping", "Observation", "ProbeError", "ProbeResult",
           "facts_from", "run_probe", "yes_no"]

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
KINDS = tuple(DESCRIPTIONS)


def run_probe(kind: str, target: str, **options: Any) -> ProbeResult:
    """Run one probe (engine.probes.run; its network and certificate libraries are imported
    when a probe first runs, not by every command that names a kind)."""
    from engine.probes.run import run_probe as run

    return run(kind, target, **options)
