"""`triage batch`, run as a user runs it (a subprocess): JSONL and CSV in, one JSON line per
ticket out in input order, each line what `triage diagnose --json` prints for that ticket;
resumable; bad rows reported with their row number without stopping the run."""

import json
import shutil

import pytest
from batchdata import write_case_tickets
from support import ROOT, run_triage

EXAMPLE_CSV = ROOT / "docs" / "examples" / "tickets.csv"


def lines(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def diagnose_json(text, evidence=()):
    args = ["diagnose", "--text", text, "--json"]
    for path in evidence:
        args += ["--evidence", str(path)]
    result = run_triage(*args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def cases(tmp_path_factory):
    """The case set as JSONL (143 tickets, some with evidence in several encodings)."""
    return write_case_tickets(tmp_path_factory.mktemp("cases"))


@pytest.fixture(scope="module")
def one_worker(cases, tmp_path_factory):
    out = tmp_path_factory.mktemp("out") / "one.jsonl"
    result = run_triage("batch", str(cases), "--out", str(out), "--workers", "1")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return out


def test_one_line_per_ticket_in_input_order(cases, one_worker):
    ids = [json.loads(line)["id"] for line in cases.read_text().splitlines()]
    results = lines(one_worker)
    assert [r["id"] for r in results] == ids
    for result in results:
        assert {"id", "verdict", "diagnoses", "facts", "next_questions"} <= set(result)


def test_two_workers_write_the_same_bytes_as_one(cases, one_worker, tmp_path):
    out = tmp_path / "two.jsonl"
    result = run_triage("batch", str(cases), "--out", str(out), "--workers", "2")
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == one_worker.read_bytes()


def test_each_line_is_what_diagnose_json_prints(cases, one_worker):
    tickets = [json.loads(line) for line in cases.read_text().splitlines()]
    results = {r["id"]: r for r in lines(one_worker)}
    with_evidence = [t for t in tickets if t.get("evidence")][:4]
    text_only = [t for t in tickets if not t.get("evidence")][:3]
    for ticket in with_evidence + text_only:
        expected = diagnose_json(ticket["text"],
                                 [cases.parent / p for p in ticket.get("evidence", [])])
        got = dict(results[ticket["id"]])
        assert got.pop("id") == ticket["id"]
        assert got == expected


def test_a_servicenow_csv_export(tmp_path):
    """The docs' example: `number` is the id, `short_description` and `description` are
    joined into the text; the summary goes to stdout when the results go to a file."""
    out = tmp_path / "results.jsonl"
    result = run_triage("batch", str(EXAMPLE_CSV), "--out", str(out), "--summary")
    assert result.returncode == 0, result.stderr
    results = lines(out)
    assert [r["id"] for r in results] == [f"INC001200{i}" for i in range(1, 6)]
    assert "5 tickets" in result.stdout and "no-match" in result.stdout
    assert "imap-uid-corruption" in result.stdout
    text = ("POP3 users stall\n\nSeveral POP3 users say their mail client stalls now and then, "
            "and after a while it works again. The POP3 protocol log shows "
            "UserConnectionLimitReached.")
    got = dict(results[1])
    got.pop("id")
    assert got == diagnose_json(text)


def test_a_jira_csv_export_and_columns_named_on_the_command_line(tmp_path):
    jira = tmp_path / "jira.csv"
    jira.write_text("Issue key,Summary,Description,Status\n"
                    "OPS-1,POP3 clients stall,The POP3 log shows UserConnectionLimitReached,Open\n"
                    "OPS-2,Printer jams,Paper jams on floor 3,Open\n", encoding="utf-8")
    detected = run_triage("batch", str(jira))
    assert detected.returncode == 0, detected.stderr
    results = [json.loads(line) for line in detected.stdout.splitlines()]
    assert [r["id"] for r in results] == ["OPS-1", "OPS-2"]
    named = run_triage("batch", str(jira), "--id-column", "Status", "--text-column",
                       "Description", "--workers", "1")
    assert named.returncode == 1                              # Open twice: a duplicate id
    assert "row 2 (id Open): duplicate id 'Open' (first on row 1)" in named.stderr
    assert len(named.stdout.splitlines()) == 1
    missing = run_triage("batch", str(jira), "--text-column", "Body")
    assert missing.returncode == 2
    assert missing.stderr.startswith("triage: no column 'Body' in the CSV header")


def test_a_stopped_run_is_resumed(cases, one_worker, tmp_path):
    """A run killed mid-line left three whole lines and half of the fourth: the half line is
    cut off, the three are kept, the rest is diagnosed, and the file ends as a full run's."""
    full = one_worker.read_bytes().splitlines(keepends=True)
    out = tmp_path / "resumed.jsonl"
    out.write_bytes(b"".join(full[:3]) + full[3][:40])
    result = run_triage("batch", str(cases), "--out", str(out), "--workers", "2")
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == one_worker.read_bytes()
    again = run_triage("batch", str(cases), "--out", str(out), "--summary")
    assert again.returncode == 0
    assert out.read_bytes() == one_worker.read_bytes()        # nothing left to do
    assert f"{len(full)} tickets ({len(full)} from an earlier run)" in again.stdout


def test_bad_rows_are_reported_with_their_row_and_the_run_goes_on(tmp_path):
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "pop3.log").write_text(
        "2017-06-12T08:15:02.311Z,0A3F,3,10.0.0.21:995,,,-ERR Msg=UserConnectionLimitReached\n")
    rows = [
        b'{"id": "A1", "text": "POP3 clients stall", "evidence": ["logs/pop3.log"]}',
        b'{"id": "A2", "text": "broken',                                   # not JSON
        b'{"text": "no id here"}',                                          # no id
        b'{"id": "A4"}',                                                    # no text
        b'{"id": "A5", "text": "caf\xe9 latin-1"}',                         # not UTF-8
        b'{"id": "A6", "text": "x", "evidence": ["logs/missing.log"]}',     # unreadable evidence
        b'{"id": "A1", "text": "same id again"}',                           # duplicate
        b'{"id": 8, "text": "Jabber does not show meetings"}',
    ]
    source = tmp_path / "tickets.jsonl"
    source.write_bytes(b"\n".join(rows) + b"\n")
    result = run_triage("batch", str(source), "--workers", "2")
    assert result.returncode == 1
    errors = result.stderr.splitlines()
    assert errors[0].startswith("triage: row 2: not a JSON object")
    assert errors[1:] == [
        "triage: row 3: missing column 'id'",
        "triage: row 4 (id A4): missing column 'text'",
        "triage: row 5 (id A5): text is not valid UTF-8",
        f"triage: row 6 (id A6): evidence file not found: {tmp_path / 'logs' / 'missing.log'}",
        "triage: row 7 (id A1): duplicate id 'A1' (first on row 1)",
    ]
    results = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in results] == ["A1", "A4", "A5", "A6", 8]
    assert results[0]["verdict"] in ("confident", "ambiguous")
    assert any(f["source"]["kind"] == "evidence" for f in results[0]["facts"])
    assert results[1] == {"id": "A4", "error": "missing column 'text'"}
    assert results[2] == {"id": "A5", "error": "text is not valid UTF-8"}
    assert "verdict" in results[4]


def test_input_errors_are_one_line(tmp_path):
    missing = run_triage("batch", str(tmp_path / "nope.jsonl"))
    assert (missing.returncode, missing.stderr) == (
        2, f"triage: input file not found: {tmp_path / 'nope.jsonl'}\n")
    no_columns = tmp_path / "odd.csv"
    no_columns.write_text("a,b\n1,2\n")
    result = run_triage("batch", str(no_columns))
    assert result.returncode == 2
    assert "no id column found in the CSV header (a, b)" in result.stderr


def test_stdin_and_a_copied_example(tmp_path):
    shutil.copy(EXAMPLE_CSV, tmp_path / "export.csv")
    result = run_triage("batch", "-", "--format", "csv",
                        stdin=(tmp_path / "export.csv").read_text(encoding="utf-8"))
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 5
