"""The command line as a user meets it: `triage` in a subprocess, per the DESIGN.md contract."""

import json
import shutil
from pathlib import Path

from support import run_triage

CATALOG = dict(line.split("\t") for line in
               (Path(__file__).parent / "data" / "catalog.tsv").read_text().splitlines()
               if line and not line.startswith("#"))


def test_no_arguments_prints_help():
    result = run_triage()
    assert result.returncode == 0
    for command in ("lint", "list", "show"):
        assert command in result.stdout


def test_lint_bundled_kb_is_clean():
    result = run_triage("lint")
    assert (result.returncode, result.stdout) == (0, "")


def test_list_json_has_every_catalog_id_with_its_kind():
    result = run_triage("list", "--json")
    assert result.returncode == 0, result.stderr
    entries = json.loads(result.stdout)["entries"]
    for row in entries:
        assert {"id", "title", "kind", "area", "source"} <= set(row)
    kinds = {row["id"]: row["kind"] for row in entries}
    assert {i: kinds.get(i) for i in CATALOG} == CATALOG


def test_list_human_shows_ids_and_titles():
    result = run_triage("list")
    assert result.returncode == 0
    assert "pop3-user-connection-limit" in result.stdout
    assert "entries" in result.stdout


def test_list_piped_is_one_tab_separated_line_per_entry():
    """Piped into grep or cut, every entry is one whole line: id, kind, area, title."""
    lines = run_triage("list").stdout.splitlines()
    rows = [line.split("\t") for line in lines[:-1]]
    assert lines[-1] == f"{len(rows)} entries"
    assert all(len(row) == 4 for row in rows), rows
    pop3 = next(row for row in rows if row[0] == "pop3-user-connection-limit")
    assert pop3[1:3] == ["diagnosis", "client-protocols"]
    assert pop3[3].startswith("POP3 clients stall")


def test_show_json_is_the_whole_entry():
    result = run_triage("show", "pop3-user-connection-limit", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["id"] == "pop3-user-connection-limit"
    assert data["kind"] == "diagnosis"
    for key in ("title", "area", "products", "aliases", "source", "symptoms", "rule",
                "rule_text", "evidence", "signatures", "cause", "fix", "verify", "related"):
        assert key in data
    commands = [c["code"] for step in data["fix"] for c in step["commands"]]
    assert any("Set-POPSettings" in c and "MaxConnectionsPerUser" in c for c in commands)
    assert "UserConnectionLimitReached" in json.dumps(data["signatures"])


def test_show_renders_markdown_for_the_terminal():
    result = run_triage("show", "imap-uid-corruption")
    assert result.returncode == 0, result.stderr
    assert "New-MailboxRepairRequest" in result.stdout
    assert "000_7af9ba6985a3b637.txt" in result.stdout
    assert "```" not in result.stdout  # rendered, not raw markdown


def test_show_unknown_id_suggests_nearest():
    result = run_triage("show", "pop3-connection-limit")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("triage: no entry with id 'pop3-connection-limit'; did you mean:")
    assert "pop3-user-connection-limit" in result.stderr
    assert result.stderr.count("\n") == 1


def test_kb_option_and_environment_variable(tmp_path):
    small = tmp_path / "kb"
    shutil.copytree(Path(__file__).parent / "fixtures" / "lint" / "base", small)
    by_option = json.loads(run_triage("list", "--json", "--kb", str(small)).stdout)
    by_env = json.loads(run_triage("list", "--json", env={"TRIAGE_KB": str(small)}).stdout)
    assert [e["id"] for e in by_option["entries"]] == ["demo-problem"]
    assert by_env == by_option


def test_bad_usage_is_one_line_not_a_traceback():
    result = run_triage("show")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
