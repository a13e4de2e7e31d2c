"""Placeholder kinds: what a value filled into a fix command's `<placeholder>` may look like
(kb/language/placeholders.md names each placeholder's kind). Kept apart from the file reader so
that filling a fix does not load the markdown parser."""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_VALUE_CHARS = 256
PLACEHOLDER = re.compile(r"<(?P<name>[a-z][a-z0-9_-]*)>")   # as fix commands write them

_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_DNS = rf"{_LABEL}(?:\.{_LABEL})*\.?"
_IPV4 = r"(?:[0-9]{1,3}\.){3}[0-9]{1,3}"
_IPV6 = r"[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}"


@dataclass(frozen=True)
class Kind:
    """What values a placeholder of this kind takes; `label` completes "is not ...".
    `pattern` None: never filled from evidence (a value someone must choose)."""

    label: str
    pattern: re.Pattern | None


KINDS: dict[str, Kind] = {
    # mailbox identities: SMTP address, alias, UPN, DOMAIN\name, display name ("Room 101")
    "mailbox": Kind("a mailbox name", re.compile(r"[^\W_][\w .'@+&\\-]*")),
    "account": Kind("an account name", re.compile(r"[^\W_][\w .'@\\-]*\$?")),
    "address": Kind("an e-mail address", re.compile(r"[\w.+'-]+@" + _DNS)),
    "host": Kind("a host name or IP address", re.compile(f"{_DNS}|{_IPV4}|{_IPV6}")),
    "domain": Kind("a DNS domain name", re.compile(_DNS)),
    "ip": Kind("an IP address", re.compile(f"{_IPV4}|{_IPV6}")),
    "database": Kind("a database name", re.compile(r"[^\W_][\w .-]*")),
    "name": Kind("a name", re.compile(r"[^\W_][\w .'&+()-]*")),
    "number": Kind("a number", re.compile(r"[0-9]{1,15}(?:\.[0-9]{1,6})?")),
    "word": Kind("a single word", re.compile(r"[A-Za-z]{1,40}")),
    "thumbprint": Kind("a certificate thumbprint", re.compile(r"[0-9A-Fa-f]{40}|[0-9A-Fa-f]{64}")),
    "dn": Kind("a distinguished name", re.compile(r"[\w /=.,'()-]+")),
    "path": Kind("a Windows path", re.compile(r"(?:[A-Za-z]:\\|\\\\)[\w .\\$()-]*")),
    "manual": Kind("a value to fill by hand", None),
}

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def check_value(kind: str, value: str) -> str | None:
    """Why `value` cannot be a `kind` (None: it can)."""
    spec = KINDS.get(kind)
    if spec is None:
        return f"'{kind}' is not a placeholder kind"
    if spec.pattern is None:
        return f"it is {spec.label}, never taken from evidence"
    if not value or len(value) > MAX_VALUE_CHARS:
        return f"it is not {spec.label} (empty, or over {MAX_VALUE_CHARS} characters)"
    if _CONTROL.search(value) or not spec.pattern.fullmatch(value):
        return f"it is not {spec.label}"
    return None
