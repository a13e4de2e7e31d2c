"""Tickets to diagnose, read from a JSONL file or a CSV export of a ticketing tool.

JSONL: one object per line, `{"id": ..., "text": "...", "evidence": ["logs/pop3.log", ...]}`;
evidence paths are relative to the JSONL file's folder (`evidence` may be one string).

CSV: a header row, then one ticket per record (quoted fields may span lines). The id column and
the text columns are found from the header, as the usual exports name them: ServiceNow
(`number`, `short_description` + `description`, or their labels `Number`, `Short description`),
Jira (`Issue key`, `Summary` + `Description`), or plain `id` and `text`; `id_column` and
`text_columns` name them instead. Several text columns are joined, a blank line between them.

A row that cannot be used (not JSON, no id, a missing column, text that is not valid UTF-8, an
id seen before) is a `Ticket` with a `problem`; reading goes on. Row numbers count from 1: the
line of a JSONL file, the record of a CSV file (the header is not counted).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

ID_NAMES = ("id", "number", "issue key", "key", "ticket", "ticket id", "ticket number",
            "incident", "case number", "case", "sys id")
TITLE_NAMES = ("short description", "summary", "subject", "title")
BODY_NAMES = ("description", "body", "details", "text")
JOIN = "\n\n"


class InputError(Exception):
    """The input as a whole cannot be read (missing file, no usable header)."""


@dataclass
class Ticket:
    row: int                       # 1-based line (JSONL) or record (CSV)
    id: object = None              # as written: a string, or a number in JSONL
    text: str = ""
    evidence: list[str] = field(default_factory=list)    # paths, resolved against the input
    problem: str | None = None     # why the row cannot be diagnosed
    duplicate: bool = False        # its id came before: no result line of its own

    @property
    def key(self) -> str | None:
        """The id as compared for duplicates and resuming (`7` and `"7"` are one id)."""
        return None if self.id is None else str(self.id)


def read_tickets(path: Path | None, data: bytes | None = None, fmt: str | None = None,
                 id_column: str | None = None,
                 text_columns: list[str] | None = None) -> list[Ticket]:
    """Every ticket of the input file (or of `data`, e.g. stdin, with paths relative to the
    working folder); `fmt` is "jsonl" or "csv", else chosen from the name or the content."""
    if data is None:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise InputError(f"input file not found: {path}") from None
        except IsADirectoryError:
            raise InputError(f"input is a directory, not a file: {path}") from None
        except OSError as exc:
            raise InputError(f"cannot read input file {path}: {exc.strerror or exc}") from None
    base = path.parent if path is not None else Path(".")
    fmt = fmt or guess_format(path, data)
    if fmt == "jsonl":
        tickets = list(_jsonl(data, base))
    else:
        tickets = list(_csv(data, id_column, text_columns,
                            "\t" if path is not None and path.suffix.lower() == ".tsv" else ","))
    _mark_duplicates(tickets)
    return tickets


def guess_format(path: Path | None, data: bytes) -> str:
    suffix = path.suffix.lower() if path is not None else ""
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if suffix in (".csv", ".tsv"):
        return "csv"
    return "jsonl" if data.lstrip(codecs.BOM_UTF8 + b" \t\r\n")[:1] == b"{" else "csv"


# --- JSONL ---------------------------------------------------------------------------

def _jsonl(data: bytes, base: Path):
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip():
            continue
        problem = None
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            line, problem = raw.decode("utf-8", "replace"), "text is not valid UTF-8"
        try:
            obj = json.loads(line)
        except ValueError as exc:
            yield Ticket(number, problem=f"not a JSON object: {exc}")
            continue
        if not isinstance(obj, dict):
            yield Ticket(number, problem="not a JSON object")
            continue
        ticket = Ticket(number, id=obj.get("id"))
        if ticket.id is None or isinstance(ticket.id, (dict, list, bool)) or \
                str(ticket.id).strip() == "":
            ticket.id, ticket.problem = None, "missing column 'id'"
            yield ticket
            continue
        text = obj.get("text")
        evidence = obj.get("evidence", [])
        if isinstance(evidence, str):
            evidence = [evidence]
        if problem:
            ticket.problem = problem
        elif "text" not in obj:
            ticket.problem = "missing column 'text'"
        elif not isinstance(text, str):
            ticket.problem = "'text' is not a string"
        elif not isinstance(evidence, list) or not all(isinstance(e, str) for e in evidence):
            ticket.problem = "'evidence' is not a list of paths"
        else:
            ticket.text = text
            ticket.evidence = [str(base / e) for e in evidence]
        yield ticket


# --- CSV -------------------------------------------------------------------------------

def _normal(name: str) -> str:
    return re.sub(r"[\s_\-]+", " ", name.strip().lower())


def _decode(data: bytes) -> str:
    """The file's text; bytes that are not UTF-8 kept as lone surrogates, so only the rows
    holding them are refused."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", "surrogateescape")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    return data.decode("utf-8", "surrogateescape")


def find_column(header: list[str], wanted: str) -> int | None:
    if wanted in header:
        return header.index(wanted)
    normal = [_normal(h) for h in header]
    return normal.index(_normal(wanted)) if _normal(wanted) in normal else None


def choose_columns(header: list[str], id_column: str | None,
                   text_columns: list[str] | None) -> tuple[int, list[int]]:
    """The indexes of the id column and the text columns, named or found from the header."""
    shown = ", ".join(h for h in header if h.strip()) or "(empty)"
    if id_column:
        id_index = find_column(header, id_column)
        if id_index is None:
            raise InputError(f"no column '{id_column}' in the CSV header ({shown})")
    else:
        id_index = next((find_column(header, n) for n in ID_NAMES
                         if find_column(header, n) is not None), None)
        if id_index is None:
            raise InputError(f"no id column found in the CSV header ({shown}); name it with "
                             f"--id-column")
    if text_columns:
        text_indexes = []
        for name in text_columns:
            index = find_column(header, name)
            if index is None:
                raise InputError(f"no column '{name}' in the CSV header ({shown})")
            text_indexes.append(index)
    else:
        text_indexes = []
        for names in (TITLE_NAMES, BODY_NAMES):
            index = next((find_column(header, n) for n in names
                          if find_column(header, n) is not None), None)
            if index is not None and index != id_index:
                text_indexes.append(index)
        if not text_indexes:
            raise InputError(f"no text column found in the CSV header ({shown}); name it "
                             f"with --text-column (repeat it to join several)")
    return id_index, text_indexes


def _csv(data: bytes, id_column: str | None, text_columns: list[str] | None, delimiter: str):
    reader = csv.reader(io.StringIO(_decode(data), newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError("the CSV input is empty (no header row)") from None
    except csv.Error as exc:
        raise InputError(f"the CSV header cannot be read: {exc}") from None
    header = [h.lstrip("\ufeff") for h in header]
    id_index, text_indexes = choose_columns(header, id_column, text_columns)
    number = 0
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            number += 1
            yield Ticket(number, problem=f"not a CSV record: {exc}")
            continue
        if not any(cell.strip() for cell in record):
            continue
        number += 1
        yield _csv_ticket(number, record, header, id_index, text_indexes)


def _csv_ticket(number: int, record: list[str], header: list[str], id_index: int,
                text_indexes: list[int]) -> Ticket:
    def undecodable(value: str) -> bool:
        return any("\udc80" <= ch <= "\udcff" for ch in value)

    ticket = Ticket(number)
    if id_index >= len(record) or not record[id_index].strip():
        ticket.problem = f"missing column '{header[id_index]}'"
        return ticket
    ticket.id = record[id_index].strip()
    if undecodable(ticket.id):
        ticket.id = ticket.id.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        ticket.problem = "text is not valid UTF-8"
        return ticket
    missing = [header[i] for i in text_indexes if i >= len(record)]
    if missing:
        ticket.problem = f"missing column '{missing[0]}'"
        return ticket
    parts = [record[i].strip() for i in text_indexes]
    if any(undecodable(p) for p in parts):
        ticket.problem = "text is not valid UTF-8"
        return ticket
    ticket.text = JOIN.join(p for p in parts if p)
    return ticket


def _mark_duplicates(tickets: list[Ticket]) -> None:
    first: dict[str, int] = {}
    for ticket in tickets:
        key = ticket.key
        if key is None:
            continue
        if key in first:
            ticket.problem = f"duplicate id '{key}' (first on row {first[key]})"
            ticket.duplicate = True
        else:
            first[key] = ticket.row
