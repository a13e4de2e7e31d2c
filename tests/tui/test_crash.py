"""The app's session layer killed with SIGKILL at random points, 50 times: on restart every
acknowledged answer is there (and nothing that was taken back), and the store is intact.

tests/tui/crash_driver.py forks one interview process per run from a parent that loaded the KB
once (so 50 kills take seconds, not a minute of start-ups); each run resumes the session the
previous one left, as the app does after a crash. Set TRIAGE_CRASH_SEED to replay a failure.
"""

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tui_support import FIXTURE_KB

from engine.inference.compiled import CompiledKB
from engine.kb.loader import load_kb
from engine.sessions.store import SessionNotFound, SessionStore
from engine.sessions.ticket import StoreHandle, TicketSession

DRIVER = Path(__file__).with_name("crash_driver.py")
ROOT = Path(__file__).resolve().parents[2]
KILLS = 50
RUNS_PER_SESSION = 10
ABSENT = None

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL")


class Driver:
    def __init__(self, store: Path):
        self.process = subprocess.Popen(
            [sys.executable, str(DRIVER), str(FIXTURE_KB), str(store)], cwd=ROOT,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert self.ask(None) == "ready"

    def ask(self, command: str | None) -> str:
        if command is not None:
            self.process.stdin.write(command + "\n")
            self.process.stdin.flush()
        return self.process.stdout.readline().strip()

    def close(self) -> None:
        try:
            self.ask("quit")
        except (BrokenPipeError, OSError):
            pass
        self.process.wait(timeout=10)


def allowed_answers(log: Path, before: dict[str, str]) -> tuple[dict[str, set], int]:
    """What each question's answer may be after the run: its last acknowledged value (or the
    one before the run), or any value tried after that (written, but killed before the
    acknowledgement); and how many answers were acknowledged."""
    state = {qid: {value} for qid, value in before.items()}
    tried: dict[str, set] = {}
    acked = 0
    lines = log.read_text().split("\n")[:-1] if log.exists() else []   # the last may be cut
    for line in lines:
        kind, _, rest = line.partition(" ")
        qid, _, value = rest.partition(" ")
        if kind == "try":
            tried.setdefault(qid, set()).add(value)
        elif kind == "tryretract":
            tried.setdefault(qid, set()).add(ABSENT)
        elif kind in ("ack", "ackretract"):
            state[qid] = {value if kind == "ack" else ABSENT}
            tried.pop(qid, None)
            acked += kind == "ack"
    for qid, values in tried.items():
        state[qid] = state.get(qid, {ABSENT}) | values
    return state, acked


def test_acknowledged_answers_survive_sigkill_at_random_points(tmp_path):
    seed = int(os.environ.get("TRIAGE_CRASH_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    store = tmp_path / "sessions.sqlite3"
    knowledge = CompiledKB(load_kb(FIXTURE_KB).kb)
    driver = Driver(store)
    acked_total = 0
    try:
        known: dict[str, dict[str, str]] = {}
        for run in range(KILLS):
            session_id = f"crash-{run // RUNS_PER_SESSION}"
            before = known.get(session_id, {})
            log = tmp_path / f"run-{run}.log"
            pid = int(driver.ask(f"run {session_id} {rng.randrange(1 << 30)} {log}").split()[1])
            time.sleep(rng.uniform(0.0, 0.15))
            os.kill(pid, signal.SIGKILL)
            assert driver.ask(f"wait {pid}").startswith("status")

            allowed, acked = allowed_answers(log, before)
            acked_total += acked
            try:
                session, notes = TicketSession.resume(knowledge, StoreHandle(store), session_id)
            except SessionNotFound:
                assert acked == 0 and not before, f"seed {seed}: session lost after acks"
                continue
            assert notes == [], f"seed {seed}: {notes}"
            answers = dict(session.interview.answers)
            session.close()
            for qid in set(allowed) | set(answers):
                assert answers.get(qid, ABSENT) in allowed.get(qid, {ABSENT}), \
                    f"seed {seed}, run {run}: {qid} is {answers.get(qid)!r}, " \
                    f"expected one of {allowed.get(qid)}"
            known[session_id] = answers
    finally:
        driver.close()

    assert acked_total > KILLS, f"seed {seed}: the runs were killed before they wrote much"
    conn = sqlite3.connect(store)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    with SessionStore(store) as sessions:
        texts = [e.payload["text"] for s in sessions.sessions() for e in sessions.events(s.id)
                 if e.kind == "text"]
    assert texts and all("Hunter2-secret" not in t and "Password=********" in t for t in texts)
