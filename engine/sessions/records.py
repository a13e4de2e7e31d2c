"""What the session store holds: sessions, their events, and the errors it reports."""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import platformdirs

from engine.evidence.redact import redact_data

STATUSES = ("open", "resolved", "abandoned")
_KIND = re.compile(r"[a-z][a-z-]*")
PREVIEW_CHARS = 80


class StoreError(Exception):
    """The session store cannot do what was asked; `str()` is one line for a notice."""

    def __init__(self, message: str, reason: str = "error"):
        super().__init__(message)
        self.reason = reason

    @property
    def retryable(self) -> bool:
        """Worth trying again later (another triage holds the lock, the disk was full)."""
        return self.reason in ("busy", "full", "io")


class SessionNotFound(StoreError):
    def __init__(self, session_id: str):
        super().__init__(f"no such session in the session store: {session_id}", "not-found")


@dataclass(frozen=True)
class Event:
    seq: int
    at: str
    kind: str
    payload: dict[str, Any]
    damaged: str = ""           # why the stored payload could not be read (then it is {})


@dataclass(frozen=True)
class Session:
    id: str
    title: str
    status: str
    created: str
    updated: str
    kb_hash: str
    ticket_text: str


@dataclass(frozen=True)
class SessionSummary:
    """One line of the list to resume from."""

    id: str
    title: str
    status: str
    created: str
    updated: str
    events: int
    preview: str            # the ticket text's start, on one line


def default_store_path() -> Path:
    return Path(platformdirs.user_data_dir("triage", appauthor=False)) / "sessions.sqlite3"


def new_session_id() -> str:
    """Readable and sortable: `20240311-081244-3fa2c1` (UTC time, then random)."""
    return f"{datetime.now(timezone.utc):%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def event_json(kind: str, payload: dict[str, Any]) -> str:
    """The payload as stored: checked, every string redacted (whatever the kind: an answer
    or a result may quote evidence too), as JSON.
    A bad kind or payload is a programming error: ValueError."""
    if not isinstance(kind, str) or not _KIND.fullmatch(kind):
        raise ValueError(f"event kind must match ^[a-z][a-z-]*$: {kind!r}")
    if not isinstance(payload, dict):
        raise ValueError(f"event payload must be a dict, not {type(payload).__name__}")
    payload = redact_data(payload)
    try:
        return json.dumps(payload, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"event payload is not JSON: {exc}") from None


def preview(ticket_text: str) -> str:
    line = " ".join(ticket_text.split())
    return line if len(line) <= PREVIEW_CHARS else line[:PREVIEW_CHARS - 1] + "…"
