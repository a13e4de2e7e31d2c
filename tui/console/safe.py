"""Untrusted text made safe before it reaches a terminal or a JSON reader.

Tickets, evidence and KB files are written by others. A control character in them could move
the cursor, clear the screen, retitle the window or write the clipboard (OSC 52) of whoever
reads triage's output, and rich would read `[link=...]` in them as markup. So C0 and C1
control characters (but tab and newline) are shown as visible escapes, and text is always
printed as rich `Text`, never parsed as markup.

Everything printed goes through here, so this is also where the redaction layer
(engine.evidence.redact) is applied to the command line's output: a secret in a ticket, a log
line or a KB file is `********` in `diagnose`, `search`, `show`, `lint` and error messages alike.
"""

from __future__ import annotations

import json
import re
from typing import Any

from engine.evidence import redact
from engine.kb.controls import escape_controls


def inert(text: str) -> str:
    """`text` with its secrets masked and every control character but tab and newline shown
    as an escape."""
    return escape_controls(redact(text).text)


def inert_data(value: Any) -> Any:
    """Every string in a JSON-like value made inert."""
    if isinstance(value, str):
        return inert(value)
    if isinstance(value, dict):
        return {inert_data(k) if isinstance(k, str) else k: inert_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [inert_data(v) for v in value]
    return value


def json_text(data: Any) -> str:
    """JSON for stdout: non-ASCII text as it is, every control character escaped (json escapes
    C0 itself; C1 and the separators are escaped here too)."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return re.sub(r"[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]",
                  lambda m: f"\\u{ord(m.group()):04x}", text)
