"""Many tickets diagnosed in worker processes, results in input order.

Each worker loads the compiled KB once (`engine.inference.cached`: from the cache, so a worker
is ready in a fraction of a second) and diagnoses the tickets it is given. Results come back in
the order of the input whatever the number of workers (`Pool.imap`), so the output of a run is
the same with one worker or many. Workers are started with "spawn": nothing of the parent
(threads of a progress display, durable-rules' C state) is copied into them, and they ignore
Ctrl-C, which the parent handles by stopping them.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from dataclasses import dataclass
from typing import Callable, Iterator

from engine.batch.diagnosis import ticket_report
from engine.batch.tickets import Ticket
from engine.evidence import EvidenceError
from engine.inference.cached import compiled_kb

Encode = Callable[[dict], str]      # a result object -> its output line (no newline)


@dataclass(frozen=True)
class Outcome:
    ticket: Ticket
    line: str | None          # the output line; None for a row that gets none (a duplicate)
    error: str | None         # why the ticket has no diagnosis


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def diagnose_tickets(tickets: list[Ticket], kb_dir, encode: Encode,
                     workers: int | None = None) -> Iterator[Outcome]:
    """An `Outcome` per ticket, in order. KBError (before any outcome) if the KB is unusable."""
    workers = min(workers or default_workers(), max(1, len(tickets)))
    compiled = compiled_kb(kb_dir)      # refuses a broken KB now; fills the cache for workers
    if workers == 1:
        with compiled:
            for ticket in tickets:
                yield _outcome(ticket, *_diagnose(compiled, ticket, encode))
        return
    compiled.close()
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers, initializer=_start_worker, initargs=(kb_dir, encode)) as pool:
        chunk = max(1, min(8, len(tickets) // (workers * 8)))
        for ticket, result in zip(tickets, pool.imap(_work, tickets, chunksize=chunk)):
            yield _outcome(ticket, *result)


def _outcome(ticket: Ticket, line: str | None, error: str | None) -> Outcome:
    return Outcome(ticket, line, error)


def _diagnose(compiled, ticket: Ticket, encode: Encode) -> tuple[str | None, str | None]:
    if ticket.problem:
        if ticket.id is None or ticket.duplicate:
            return None, ticket.problem
        return encode({"id": ticket.id, "error": ticket.problem}), ticket.problem
    try:
        data = ticket_report(compiled, ticket.text, ticket.evidence)
    except EvidenceError as exc:
        return encode({"id": ticket.id, "error": str(exc)}), str(exc)
    except Exception as exc:            # a bug in triage: this ticket fails, the run goes on
        error = f"internal error: {type(exc).__name__}: {exc}"
        return encode({"id": ticket.id, "error": error}), error
    return encode({"id": ticket.id, **data}), None


# --- in each worker process ------------------------------------------------------------

_worker: dict = {}      # this worker process's compiled KB and encoder


def _start_worker(kb_dir, encode: Encode) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)      # the parent stops the pool
    _worker["compiled"] = compiled_kb(kb_dir)
    _worker["encode"] = encode


def _work(ticket: Ticket) -> tuple[str | None, str | None]:
    return _diagnose(_worker["compiled"], ticket, _worker["encode"])
