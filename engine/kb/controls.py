"""Control characters made visible: text strangers wrote, shown as what it is.

A control character in a ticket, a log line or a KB file could move the cursor, clear the
screen, retitle the window or write the clipboard (OSC 52) of whoever reads it in a terminal, and
neither rich nor Textual removes ESC. Every C0 and C1 control character but tab and newline
(and the Unicode line and paragraph separators, and the bidirectional overrides that can make
a command read differently from what it does) becomes a visible escape: `\\x1b`, `\\u202e`.
"""

from __future__ import annotations

import re

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return "\\r" if code == 0x0D else f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str) -> str:
    """`text` with every control character but tab and newline shown as an escape."""
    return CONTROL.sub(_escape, text) if CONTROL.search(text) else text
