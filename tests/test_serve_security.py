"""`triage serve` (issue 13, item 7): every request needs the token (a cookie set by the first
visit with ?token=), a websocket from another site is refused, the page points browsers at the
public address (never 0.0.0.0), and serving beyond this machine is warned about."""

import http.client
import os
import socket
import subprocess
import sys
import time

import pytest
from support import ROOT

from tui.cli import main

TOKEN = "test-token-0123456789abcdef"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    port = free_port()
    public = f"http://triage-host.example:{port}"
    env = {**os.environ, "PYTHONPATH": str(ROOT),
           "XDG_DATA_HOME": str(tmp_path_factory.mktemp("data"))}
    env.pop("TRIAGE_KB", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "tui.cli", "serve", "--port", str(port), "--token", TOKEN,
         "--public-url", public], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "triage serve did not start"
            time.sleep(0.1)
    yield port, public
    process.terminate()
    out, _ = process.communicate(timeout=30)
    assert f"Serving triage at {public}/?token={TOKEN}" in out.decode()


def get(port, path, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    body = response.read().decode("utf-8", "replace")
    conn.close()
    return response, body


def test_nothing_is_served_without_the_token(served):
    port, _ = served
    for path in ("/", "/static/js/textual.js", "/ws", "/download/x"):
        response, _ = get(port, path)
        assert response.status == 401, path
    response, _ = get(port, "/?token=wrong-token-0123456789")
    assert response.status == 403


def test_the_token_sets_a_strict_cookie_and_leaves_the_address(served):
    port, public = served
    response, _ = get(port, f"/?token={TOKEN}")
    assert response.status == 303 and response.getheader("Location") == "/"
    cookie = response.getheader("Set-Cookie")
    assert cookie.startswith(f"triage_token={TOKEN};")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    page, body = get(port, "/", {"Cookie": f"triage_token={TOKEN}"})
    assert page.status == 200
    assert f"ws://triage-host.example:{port}/ws" in body and "0.0.0.0" not in body
    asset, _ = get(port, "/static/js/textual.js", {"Cookie": f"triage_token={TOKEN}"})
    assert asset.status == 200


def test_a_websocket_from_another_site_is_refused(served):
    port, _ = served
    upgrade = {"Cookie": f"triage_token={TOKEN}", "Connection": "Upgrade",
               "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
               "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
               "Origin": "http://evil.example"}
    response, _ = get(port, "/ws", upgrade)
    assert response.status == 403


def test_serving_beyond_this_machine_is_warned_about(monkeypatch, capsys):
    calls = []
    monkeypatch.setattr("tui.launch.serve", lambda *args: calls.append(args) or 0)
    monkeypatch.delenv("TRIAGE_SERVE_TOKEN", raising=False)
    assert main(["serve", "--host", "0.0.0.0", "--port", "8123"]) == 0
    out, err = capsys.readouterr()
    assert err.startswith("triage: warning: serving on 0.0.0.0, not only this machine")
    (kb, host, port, public, token, probes), = calls
    assert probes is False                       # no live checks from the server by default
    assert (host, port) == ("0.0.0.0", 8123)
    assert public == f"http://{socket.getfqdn()}:8123" and "0.0.0.0" not in public
    assert len(token) >= 16 and f"{public}/?token={token}" in out

    calls.clear()
    assert main(["serve"]) == 0
    assert capsys.readouterr().err == ""             # loopback: no warning
    assert calls[0][3] == "http://127.0.0.1:8000"
    assert main(["serve", "--token", "short"]) == 2
