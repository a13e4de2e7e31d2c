"""One interview tied to the session store: every action is written before the app shows it.

The app never changes an `Interview` directly: it calls a `TicketSession`, which applies the
action to the interview (so a bad answer is refused before anything is written), queues the
event and writes the queue to the store at once. When the store cannot take it (another triage
holds the lock for too long, the disk is full, the folder is read-only) the event stays queued
in memory, in order, and `save()` is tried again later: nothing entered is lost, and the app
says so instead of failing.

Resuming replays the stored events into a new interview, in order: ticket text, evidence,
answers (a changed answer is just a later answer event), answers taken back, candidates ruled
out.

Evidence is kept, and replayed, as the lines that matched a signature (with their line numbers,
the signature and its captures), redacted: not as the file. The original file may have changed
or gone by the time a session is resumed, and the store must never hold a secret, so the
interview is given the redacted hits both when the evidence is added and when it is replayed:
a live session and its resumed copy hold the same facts. The file's path is kept for the
transcript only.

This module does not import Textual: the crash test drives it from a plain process.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from engine.evidence.redact import redact
from engine.evidence.scanner import EvidenceReport, Hit
from engine.inference.compiled import CompiledKB
from engine.inference.interview import AnswerError, EvidenceItem, Interview
from engine.kb.controls import escape_controls
from engine.probes import ProbeResult
from engine.sessions.store import SessionNotFound, SessionStore, StoreError, new_session_id
from engine.sessions.transcript import EvidenceExcerpt, transcript

TITLE_CHARS = 70


def title_of(text: str) -> str:
    """A session's title: the first line of the ticket text, shortened."""
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return line if len(line) <= TITLE_CHARS else line[:TITLE_CHARS - 1] + "…"


# --- the store, opened lazily ----------------------------------------------------------

class StoreHandle:
    """The session store, opened on first use; if it cannot be opened (a read-only data
    folder, a damaged file) the error is kept and opening is tried again on the next use."""

    def __init__(self, path: str | Path | None = None, timeout: float = 1.5):
        self.path = path
        self.timeout = timeout
        self._store: SessionStore | None = None

    def get(self) -> SessionStore:
        if self._store is None:
            self._store = SessionStore(self.path, timeout=self.timeout)
        return self._store

    @property
    def location(self) -> str:
        if self._store is not None:
            return str(self._store.path)
        from engine.sessions.store import default_store_path
        return str(self.path or default_store_path())

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


class Outbox:
    """Writes the store has not taken yet, in order. `flush()` writes them and raises the
    first StoreError, keeping what was not written."""

    def __init__(self, handle: StoreHandle):
        self.handle = handle
        self._queue: deque[Callable[[SessionStore], object]] = deque()
        self.dropped: list[str] = []

    def __len__(self) -> int:
        return len(self._queue)

    def put(self, write: Callable[[SessionStore], object]) -> None:
        self._queue.append(write)

    def flush(self) -> int:
        written = 0
        while self._queue:
            store = self.handle.get()
            try:
                self._queue[0](store)
            except SessionNotFound as exc:      # deleted meanwhile (another window): never fits
                self._queue.popleft()
                self.dropped.append(str(exc))
                continue
            self._queue.popleft()
            written += 1
        return written


@dataclass
class Saved:
    """What happened to the writes of one action: `ok` when everything is on disk."""

    ok: bool
    message: str = ""           # the store's one-line error when not ok
    pending: int = 0            # writes still waiting


# --- evidence as stored ----------------------------------------------------------------

@dataclass
class EvidenceRecord:
    """One piece of evidence as the app shows, stores and exports it (redacted)."""

    name: str
    kind: str                                   # file | paste
    path: str = ""
    encoding: str = ""
    lines: int = 0
    bytes: int = 0
    skipped: str | None = None
    notes: list[str] = field(default_factory=list)
    excerpt: list[tuple[int, str]] = field(default_factory=list)
    facts: list[tuple[str, str, int]] = field(default_factory=list)   # name, value, line
    masked: int = 0                             # secrets masked in the matched lines

    def as_excerpt(self) -> EvidenceExcerpt:
        return EvidenceExcerpt(self.name, self.kind, self.encoding, self.lines, self.skipped,
                               list(self.excerpt))


def redacted_report(report: EvidenceReport) -> tuple[EvidenceReport, int]:
    """The report with every matched line and capture redacted, and how many secrets went."""
    masked = 0
    done: dict[str, str] = {}          # a line matched by several signatures counts once

    def clean(text: str) -> str:
        nonlocal masked
        if text not in done:
            result = redact(text)
            masked += result.count
            done[text] = escape_controls(result.text)     # no escape sequence reaches a screen
        return done[text]

    hits = [Hit(h.signature, h.source, h.line_no, clean(h.line),
                tuple((k, clean(v)) for k, v in h.captures)) for h in report.hits]
    out = EvidenceReport(report.source, report.encoding, report.lines, report.bytes, hits,
                         dict(report.counts), report.skipped, list(report.notes))
    return out, masked


def _record(item: EvidenceItem, kind: str, path: str, masked: int) -> EvidenceRecord:
    report = item.report
    excerpt = sorted({(hit.line_no, hit.line) for hit in report.hits})
    facts = [(f.name, f.value, f.source.line_no) for f in item.facts]
    return EvidenceRecord(item.name, kind, path, report.encoding, report.lines, report.bytes,
                          report.skipped, list(report.notes), excerpt, facts, masked)


def _payload(record: EvidenceRecord, report: EvidenceReport) -> dict[str, Any]:
    return {
        "name": record.name, "kind": record.kind, "path": record.path,
        "encoding": record.encoding, "lines": record.lines, "bytes": record.bytes,
        "skipped": record.skipped, "notes": record.notes, "masked": record.masked,
        "excerpt": [{"line_no": n, "line": line} for n, line in record.excerpt],
        "hits": [{"signature": h.signature, "line_no": h.line_no, "line": h.line,
                  "captures": [list(c) for c in h.captures]} for h in report.hits],
        "counts": dict(report.counts),
        "facts": [{"name": n, "value": v, "line_no": line} for n, v, line in record.facts],
    }


def probe_result_from(payload: dict[str, Any]) -> ProbeResult:
    """A stored probe result (`ProbeResult.to_json()`) back as the object."""
    result = ProbeResult(str(payload["kind"]), str(payload["target"]),
                         str(payload.get("started") or ""))
    for item in payload.get("observations") or ():
        result.add(str(item["name"]), item["value"], item.get("detail"))
    result.verdicts = [str(v) for v in payload.get("verdicts") or ()]
    result.error, result.error_reason = payload.get("error"), payload.get("error_reason")
    return result


def _report_from(payload: dict[str, Any]) -> EvidenceReport:
    name = str(payload.get("name") or "evidence")
    hits = [Hit(str(h["signature"]), name, int(h["line_no"]), str(h["line"]),
                tuple((str(k), str(v)) for k, v in h.get("captures", ())))
            for h in payload.get("hits", ())]
    return EvidenceReport(name, str(payload.get("encoding") or ""), int(payload.get("lines") or 0),
                          int(payload.get("bytes") or 0), hits,
                          {str(k): int(v) for k, v in (payload.get("counts") or {}).items()},
                          payload.get("skipped"), list(payload.get("notes") or ()))


# --- the session -----------------------------------------------------------------------

class TicketSession:
    """An interview and its place in the session store."""

    def __init__(self, knowledge: CompiledKB, outbox: Outbox, session_id: str, *,
                 title: str = "", created: str = "", status: str = "open"):
        self.knowledge = knowledge
        self.interview = Interview(knowledge)
        self.outbox = outbox
        self.id = session_id
        self.title = title
        self.created = created
        self.status = status
        self.evidence: list[EvidenceRecord] = []
        self.results: list[str] = []            # entries whose fix was shown, in order
        self.targets: dict[str, str] = {}        # probe targets typed, by what was asked for

    # --- starting --------------------------------------------------------------------

    @classmethod
    def start(cls, knowledge: CompiledKB, handle: StoreHandle, *, kb_hash: str = "",
              session_id: str | None = None) -> tuple[TicketSession, Saved]:
        """A new session; it is in the store (or queued for it) before this returns."""
        outbox = Outbox(handle)
        session_id = session_id or new_session_id()
        outbox.put(lambda store: store.create("", kb_hash, "", session_id=session_id))
        session = cls(knowledge, outbox, session_id)
        return session, session.save()

    @classmethod
    def resume(cls, knowledge: CompiledKB, handle: StoreHandle, session_id: str, *,
               kb_hash: str = "") -> tuple[TicketSession, list[str]]:
        """The stored session replayed into a new interview, and notes on anything that could
        not be replayed (the KB changed since). StoreError if it cannot be read."""
        store = handle.get()
        meta = store.get(session_id)
        if meta is None:
            raise SessionNotFound(session_id)
        events = store.events(session_id)
        session = cls(knowledge, Outbox(handle), session_id, title=meta.title,
                      created=meta.created, status=meta.status)
        notes = session._replay(events)
        if kb_hash and meta.kb_hash and kb_hash != meta.kb_hash:
            notes.insert(0, "the knowledge base has changed since this session was saved")
        return session, notes

    def _replay(self, events) -> list[str]:
        notes: list[str] = []
        interview = self.interview
        for event in events:
            payload, kind = event.payload, event.kind
            if event.damaged:
                notes.append(f"event {event.seq} ({kind}) is damaged and was skipped: "
                             f"{event.damaged}")
                continue
            try:
                if kind == "text":
                    interview.set_text(str(payload.get("text", "")))
                elif kind == "answer":
                    interview.answer(str(payload["question"]), str(payload["value"]))
                elif kind == "retract":
                    interview.retract(str(payload["question"]))
                elif kind == "ruled-out":
                    interview.rule_out(str(payload["entry"]))
                elif kind == "evidence":
                    report = _report_from(payload)
                    item = interview.add_evidence_report(report)
                    self.evidence.append(_record(item, str(payload.get("kind", "paste")),
                                                 str(payload.get("path", "")),
                                                 int(payload.get("masked") or 0)))
                elif kind == "probe":
                    interview.add_probe(probe_result_from(payload))
                elif kind == "result":
                    self.results.append(str(payload.get("entry", "")))
            except AnswerError as exc:
                notes.append(f"not replayed: {exc}")
            except Exception as exc:    # wrong types, 1e400 where a count goes: never a crash
                notes.append(f"event {event.seq} ({kind}) is damaged and was skipped: "
                             f"{type(exc).__name__}")
        return notes

    # --- actions: apply, then write --------------------------------------------------

    def set_text(self, text: str) -> Saved:
        """The ticket text (redacted, its control characters made visible, before the
        interview or the store sees it)."""
        text = escape_controls(redact(text).text)
        self.interview.set_text(text)
        self.title = title_of(text)
        self._append("text", {"text": text})
        title, session_id = self.title, self.id
        self.outbox.put(lambda store: store.update(session_id, title=title, ticket_text=text))
        return self.save()

    def answer(self, question_id: str, value: str) -> tuple[str, Saved]:
        """Answer or change an answer; AnswerError (nothing written) if the KB cannot take it."""
        stored = self.interview.answer(question_id, value)
        question = self.interview.question(question_id)
        self._append("answer", {"question": question.id, "value": stored})
        return stored, self.save()

    def retract(self, question_id: str) -> Saved:
        question = self.interview.question(question_id)
        self.interview.retract(question.id)
        self._append("retract", {"question": question.id})
        return self.save()

    def rule_out(self, entry_id: str) -> Saved:
        self.interview.rule_out(entry_id)
        self._append("ruled-out", {"entry": entry_id})
        return self.save()

    def add_evidence(self, report: EvidenceReport, kind: str, path: str = ""
                     ) -> tuple[EvidenceRecord, Saved]:
        """Evidence scanned by `knowledge.scanner` (in a worker): redacted, given to the
        interview, written to the store."""
        clean, masked = redacted_report(report)
        item = self.interview.add_evidence_report(clean)
        record = _record(item, kind, escape_controls(redact(path).text), masked)
        self.evidence.append(record)
        self._append("evidence", _payload(record, clean))
        return record, self.save()

    def add_probe(self, result: ProbeResult) -> Saved:
        """A probe run from the app (in a worker): given to the interview, written down."""
        self.interview.add_probe(result)
        self._append("probe", result.to_json())
        return self.save()

    def record_result(self, entry_id: str) -> Saved | None:
        """The fix of `entry_id` was shown (once per entry): kept in the session's history."""
        if self.results and self.results[-1] == entry_id:
            return None
        differential = self.interview.differential()
        candidate = next((c for c in differential.candidates if c.id == entry_id), None)
        self.results.append(entry_id)
        self._append("result", {
            "entry": entry_id, "verdict": differential.verdict,
            "confidence": round(candidate.confidence, 3) if candidate else 0.0,
            "title": candidate.title if candidate else entry_id})
        return self.save()

    def set_status(self, status: str) -> Saved:
        self.status = status
        session_id = self.id
        self.outbox.put(lambda store: store.update(session_id, status=status))
        return self.save()

    # --- writing ---------------------------------------------------------------------

    def _append(self, kind: str, payload: dict[str, Any]) -> None:
        session_id = self.id
        self.outbox.put(lambda store: store.append(session_id, kind, payload))

    @property
    def pending(self) -> int:
        return len(self.outbox)

    def save(self) -> Saved:
        """Write what is queued. Never raises for store reasons: the result says."""
        try:
            self.outbox.flush()
        except StoreError as exc:
            return Saved(False, str(exc), len(self.outbox))
        return Saved(True)

    # --- output ----------------------------------------------------------------------

    def transcript(self) -> str:
        return transcript(self.interview, title=self.title, session_id=self.id,
                          created=self.created, status=self.status,
                          evidence=[record.as_excerpt() for record in self.evidence])

    def close(self) -> None:
        self.interview.close()
