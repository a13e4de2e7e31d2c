"""Batch diagnosis: many tickets (JSONL or a CSV export) to one result line each, in order,
in worker processes; resumable (see `engine.batch.output`)."""

from engine.batch.diagnosis import redacted, ticket_report
from engine.batch.output import Summary, finished
from engine.batch.run import Outcome, default_workers, diagnose_tickets
from engine.batch.tickets import InputError, Ticket, read_tickets

__all__ = ["InputError", "Outcome", "Summary", "Ticket", "default_workers",
           "diagnose_tickets", "finished", "read_tickets", "redacted", "ticket_report"]
