"""Evidence patterns compiled with RE2: linear time, no back-references, no look-around.

RE2 refuses anything that could take super-linear time, so "it compiles" is the safety
check. Its C++ error logging is switched off so nothing is drawn over a terminal UI.
"""

from __future__ import annotations

import re

import re2

from engine.kb.models import Signature

_PLACEHOLDER = re.compile(r"\{(?P<name>[a-z_][a-z0-9_]*)\}")


def options(case_sensitive: bool = True, single_line: bool = False) -> "re2.Options":
    """RE2 options; `single_line` never lets a match run across a line break (so a pattern
    searched over a block of many lines behaves as if searched line by line)."""
    opts = re2.Options()
    opts.log_errors = False
    opts.case_sensitive = case_sensitive
    opts.never_nl = single_line
    return opts


def pattern_source(signature: Signature) -> str:
    """The RE2 source of a signature: a literal becomes an escaped, case-insensitive pattern."""
    if signature.literal is not None:
        return "(?i)" + re2.escape(signature.literal)
    return signature.regex or ""


def compile_signature(signature: Signature):
    """(compiled pattern, None) or (None, why it is refused)."""
    source = pattern_source(signature)
    if not source.strip() or (signature.literal is not None and not signature.literal.strip()):
        return None, "pattern is empty"
    try:
        return re2.compile(source, options()), None
    except re2.error as exc:
        message = exc.args[0] if exc.args else exc
        if isinstance(message, bytes):
            message = message.decode("utf-8", errors="replace")
        return None, _explain(signature.regex or "", str(message))


def _explain(regex: str, error: str) -> str:
    if re.search(r"\\[1-9]", regex):
        return f"back-references are not allowed (not linear-time): {error}"
    if re.search(r"\(\?<?[=!]", regex):
        return f"look-ahead / look-behind is not allowed (not linear-time): {error}"
    return f"regex does not compile under RE2: {error}"


def capture_names(compiled) -> set[str]:
    return set(getattr(compiled, "groupindex", {}) or {})


def placeholders(value: str) -> set[str]:
    """`{server}` references to captures in a fact value."""
    return {m.group("name") for m in _PLACEHOLDER.finditer(value)}


def fill(value: str, captures: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: captures.get(m.group("name"), m.group(0)), value)
