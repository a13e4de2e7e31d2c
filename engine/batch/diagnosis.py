"""One ticket diagnosed exactly as `triage diagnose --json` does it: an interview given the
ticket text, then each evidence file; its report (`engine.inference.report`) with every string
redacted and its control characters escaped, as the command line prints it (tui.console.safe)."""

from __future__ import annotations

from engine.evidence import redact
from engine.inference import CompiledKB, Interview
from engine.inference.report import report
from engine.kb.controls import escape_controls


def ticket_report(compiled: CompiledKB, text: str, evidence: list[str]) -> dict:
    """The `diagnose --json` data for a ticket. EvidenceError for a file that cannot be read."""
    with Interview(compiled) as session:
        if text:
            session.set_text(text)
        for path in evidence:
            session.add_evidence_file(path)
        return redacted(report(session))


def redacted(value, _seen: dict | None = None):
    """Every string of a report redacted and made inert: what people paste into tickets holds
    no secret and no control character. (A report repeats many strings, ids and kinds: each
    distinct one is done once.)"""
    seen = {} if _seen is None else _seen
    if isinstance(value, str):
        text = seen.get(value)
        if text is None:
            text = seen[value] = escape_controls(redact(value).text)
        return text
    if isinstance(value, dict):
        return {redacted(k, seen) if isinstance(k, str) else k: redacted(v, seen)
                for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [redacted(v, seen) for v in value]
    return value
