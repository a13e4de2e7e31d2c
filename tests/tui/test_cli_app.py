"""`triage` alone opens the app (in a terminal); `triage serve` serves it to browsers on
localhost."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tui_support import FIXTURE_KB

from tui import cli, launch

ROOT = Path(__file__).resolve().parents[2]


def test_no_command_in_a_terminal_opens_the_app(monkeypatch):
    opened = []
    monkeypatch.setattr(launch, "can_run_here", lambda: True)
    monkeypatch.setattr(launch, "run_app", lambda kb: opened.append(kb) or 0)
    assert cli.main(["--kb", str(FIXTURE_KB)]) == 0
    assert opened == [str(FIXTURE_KB)]


def test_no_command_without_a_terminal_prints_the_help(monkeypatch, capsys):
    monkeypatch.setattr(launch, "can_run_here", lambda: False)
    assert cli.main([]) == 0
    assert "serve" in capsys.readouterr().out


def test_the_app_refuses_a_missing_kb_in_one_line(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(launch, "can_run_here", lambda: True)
    assert cli.main(["--kb", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("triage: knowledge base folder not found") and err.count("\n") == 1


def test_textual_serve_runs_this_triage_on_the_same_kb():
    command = launch.serve_command(str(FIXTURE_KB))
    assert command.startswith(f"{sys.executable} -m tui.cli --kb ")
    assert command.endswith(str(FIXTURE_KB.resolve()))
    assert launch.serve_command(None) == f"{sys.executable} -m tui.cli"


def test_serve_rejects_a_bad_port(capsys):
    assert cli.main(["serve", "--port", "70000"]) == 2
    assert "--port must be between 1 and 65535" in capsys.readouterr().err


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_answers_a_browser_on_localhost():
    port = free_port()
    token = "local-test-token-0123456789"
    server = subprocess.Popen([sys.executable, "-m", "tui.cli", "serve", "--kb", str(FIXTURE_KB),
                               "--port", str(port), "--token", token], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())   # keeps cookies
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with browser.open(f"http://127.0.0.1:{port}/?token={token}", timeout=2) as page:
                    body = page.read().decode()
                break
            except OSError:
                assert server.poll() is None, server.stdout.read().decode()
                assert time.monotonic() < deadline, "the server did not answer"
                time.sleep(0.2)
        assert "<html" in body.lower() and "triage" in body
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_a_bug_is_one_line_without_secrets_and_the_traceback_goes_to_the_log(
        make_app, monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    app = make_app()
    try:
        raise RuntimeError("cannot parse Password=Tr1age-S3cret!; a bug")
    except RuntimeError as exc:
        app._exception = exc
    app._fatal_error()                       # what Textual calls on an unhandled exception
    [message] = app._exit_renderables
    log = tmp_path / "state" / "triage" / "log" / "crash.log"
    assert message == ("triage: internal error: RuntimeError: cannot parse Password=********; "
                       f"a bug (traceback in {log})")
    assert "Traceback" in log.read_text() and "Tr1age" not in log.read_text()
