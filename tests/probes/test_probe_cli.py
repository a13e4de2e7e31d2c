"""`triage probe` as a user runs it: a subprocess against local servers."""

import json
import socket

import pytest
from probe_servers import closed_port, line_server, plain_server
from support import run_triage

from tui.cli import main

SMTP_GREETING = b"220 mail.contoso.com Microsoft ESMTP MAIL Service ready\r\n"


def smtp(line):
    if line.startswith("EHLO"):
        return b"250-mail.contoso.com Hello\r\n250-STARTTLS\r\n250 X-ANONYMOUSTLS\r\n", False
    return b"221 2.0.0 Service closing transmission channel\r\n", True


def one_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    assert stderr.count("\n") == 1, stderr
    return stderr.rstrip("\n")


def test_json_shape():
    with line_server(SMTP_GREETING, smtp) as server:
        result = run_triage("probe", "smtp", f"127.0.0.1:{server.port}", "--json",
                            "--timeout", "20")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"kind", "target", "observations", "facts"} <= set(data)
    assert (data["kind"], data["target"], data["facts"], data["error"]) == (
        "smtp", f"127.0.0.1:{server.port}", {}, None)
    assert all(set(o) == {"name", "value", "detail"} for o in data["observations"])
    named = {o["name"]: o["value"] for o in data["observations"]}
    assert (named["smtp.exchange"], named["smtp.starttls"]) == ("yes", "yes")


def test_human_report_puts_the_verdict_first():
    with line_server(SMTP_GREETING, smtp) as server:
        result = run_triage("probe", "smtp", f"127.0.0.1:{server.port}", "--timeout", "20")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"smtp 127.0.0.1:{server.port}"
    assert lines[1] == (f"  SMTP on 127.0.0.1:{server.port}: Microsoft Exchange; "
                        "STARTTLS offered: yes")
    assert any(line.split()[:2] == ["smtp.starttls", "yes"] for line in lines[2:])


def test_port_reports_closed_ports_and_exits_zero():
    refused = closed_port()
    with plain_server() as server:
        result = run_triage("probe", "port", "127.0.0.1", str(server.port), str(refused),
                            "--json")
    assert result.returncode == 0, result.stderr
    named = {o["name"]: o["value"] for o in json.loads(result.stdout)["observations"]}
    assert (named[f"port.{server.port}.open"], named[f"port.{refused}.open"]) == ("yes", "no")


def test_refused_is_one_line_and_exit_1():
    port = closed_port()
    result = run_triage("probe", "tls", f"127.0.0.1:{port}")
    assert result.returncode == 1
    assert one_line(result.stderr) == (f"triage: 127.0.0.1:{port} refused the connection "
                                       "(nothing listens there, or a firewall rejects it)")


def test_failure_with_json_still_prints_the_result():
    port = closed_port()
    result = run_triage("probe", "imap", f"127.0.0.1:{port}", "--json")
    assert result.returncode == 1
    assert json.loads(result.stdout)["error_reason"] == "refused"
    one_line(result.stderr)


def test_not_tls_is_one_line():
    with plain_server(b"220 mail.contoso.com ESMTP\r\n") as server:
        result = run_triage("probe", "tls", f"127.0.0.1:{server.port}", "--timeout", "20")
    assert result.returncode == 1
    assert one_line(result.stderr) == (f"triage: 127.0.0.1:{server.port} answers, but not "
                                       "with TLS (wrong version number)")


@pytest.mark.parametrize("args, message", [
    (["probe", "nmap", "10.0.0.1"], "triage probe: argument KIND: invalid choice: 'nmap'"),
    (["probe", "tls", "10.0.0.0/24"], "triage: '10.0.0.0/24' is a network range; probes take "
                                      "one host"),
    (["probe", "port", "127.0.0.1", "1-1024"], "triage: not a port number: '1-1024'; probes "
                                               "take single ports, not ranges"),
    (["probe", "tls"], "triage probe tls: the following arguments are required: HOST[:PORT]"),
    (["probe", "http", "mail.contoso.com"], "triage: not an http(s) URL: 'mail.contoso.com'"),
    (["probe", "rtt", "127.0.0.1", "--count", "50"], "triage: --count must be between 1 and "
                                                     "20, not 50"),
    (["probe", "tls", "127.0.0.1", "--timeout", "0"], "triage probe tls: argument --timeout: "
                                                      "must be a number of seconds above 0"),
])
def test_usage_errors_are_one_line_and_exit_2(args, message):
    result = run_triage(*args)
    assert result.returncode == 2
    assert one_line(result.stderr).startswith(message)
    assert result.stdout == ""


def test_a_name_that_does_not_resolve(monkeypatch, capsys):
    def no_such_name(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    monkeypatch.setattr(socket, "getaddrinfo", no_such_name)
    assert main(["probe", "tls", "mail.contoso.invalid"]) == 1
    assert capsys.readouterr().err == ("triage: mail.contoso.invalid does not resolve "
                                       "(no such name)\n")


@pytest.mark.parametrize("kind", ["tls", "port", "imap", "pop3", "smtp", "http", "dns", "rtt"])
def test_probe_has_help_for_every_kind(kind, capsys):
    with pytest.raises(SystemExit) as exited:
        main(["probe", kind, "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert "--timeout" in out and "--json" in out and "--kb" in out
