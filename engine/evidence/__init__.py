"""Evidence: reading files and pasted text in any usual encoding, matching the KB's signatures,
and masking the secrets in it."""

from engine.evidence.redact import Redaction, redact, redact_bytes, redact_data
from engine.evidence.scanner import EvidenceError, EvidenceReport, Hit, Scanner

__all__ = ["EvidenceError", "EvidenceReport", "Hit", "Redaction", "Scanner", "redact",
           "redact_bytes", "redact_data"]
