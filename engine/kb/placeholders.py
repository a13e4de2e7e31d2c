"""Placeholder kinds: what a `<mailbox>` or `<server>` in a fix command may be filled with.

A `kind: placeholders` file (kb/language/placeholders.md) has one `## kind` section per kind,
with bullets of the placeholder names of that kind (comma-separated). The kinds themselves are
fixed here: each says which values it takes, so a value captured from a stranger's log can be
checked before it goes into a command an administrator runs. A KB maintainer adds a placeholder
by naming it under its kind; `triage lint` reports a command placeholder that has no kind.

Values are checked whole (`fullmatch`), at most `MAX_VALUE_CHARS` long, and never hold a
control character. `engine.inference.quoting` then quotes a checked value for the command's
shell, or refuses it there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from engine.kb.markdown import Section
from engine.kb.models import PlaceholderName, Placeholders
from engine.kb.rulelang import Problems, item_text

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


def read_placeholders(path: str, found: list[Section], problems: Problems) -> list[Placeholders]:
    names: list[PlaceholderName] = []
    for section in found:
        kind = " ".join(section.title.lower().split())
        if kind not in KINDS:
            problems.add(section.line, f"unknown placeholder kind '## {section.title}' "
                                       f"(known: {', '.join(KINDS)})")
            continue
        for node in section.nodes:
            if node.type not in ("bullet_list", "ordered_list"):
                continue
            for item in node.children:
                text, line = item_text(item)
                for name in (n.strip().strip("<>`").strip() for n in text.split(",")):
                    if not name:
                        continue
                    if not re.fullmatch(r"[a-z][a-z0-9_-]*", name):
                        problems.add(line, f"a placeholder name is lower-case letters, digits, "
                                           f"'-' and '_', found '{name[:40]}'")
                        continue
                    names.append(PlaceholderName(name=name, kind=kind, line=line))
    return [Placeholders(names=tuple(names), path=path)]
