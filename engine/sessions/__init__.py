"""Sessions: interviews kept in an SQLite event log, resumed by replay, written out as
transcripts."""

from engine.sessions.store import (
                                   SessionNotFound,
                                   SessionStore,
                                   SessionSummary,
                                   StoreError,
                                   default_store_path,
)
from engine.sessions.ticket import Saved, StoreHandle, TicketSession
from engine.sessions.transcript import transcript

__all__ = ["Saved", "SessionNotFound", "SessionStore", "SessionSummary", "StoreError",
           "StoreHandle", "TicketSession", "default_store_path", "transcript"]
