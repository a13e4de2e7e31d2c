"""The session store against real processes: killed with SIGKILL mid-write, and two writing at
once. The writer is tests/helpers/store_writer.py; it prints `ack SESSION SEQ` only after
`append` has returned, so every acknowledged answer must be in the store afterwards."""

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest

from engine.sessions.store import SessionStore

WRITER = Path(__file__).parent / "helpers" / "store_writer.py"
ROUNDS = 30            # two writers per round, each killed: 60 kills
pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL")


@pytest.fixture(autouse=True)
def _scratch_data_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))


def start_writer(db: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(WRITER), str(db), *args], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def complete_lines(output: str) -> list[str]:
    """Lines the writer finished printing (a kill may cut the last one)."""
    return output.split("\n")[:-1]


def integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def test_acknowledged_answers_survive_sigkill_at_random_points(tmp_path):
    seed = int(os.environ.get("TRIAGE_CRASH_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    db = tmp_path / "sessions.sqlite3"
    acked: dict[str, set[int]] = defaultdict(set)
    current: list[str | None] = [None, None]       # each lane's session, continued after a kill
    kills = early_kills = 0
    started = time.monotonic()

    for round_no in range(ROUNDS):
        writers = []
        for lane in (0, 1):
            fresh = current[lane] is None or rng.random() < 0.1
            where = ["--new"] if fresh else ["--session", current[lane]]
            writers.append((lane, start_writer(db, *where, "--tag", f"r{round_no}w{lane}")))
        rng.shuffle(writers)
        for lane, writer in writers:
            seen = ""
            if rng.random() < 0.2:
                # anywhere from start-up on: opening, first-time schema, creating the session
                time.sleep(rng.uniform(0.0, 0.15))
            else:
                seen = writer.stdout.readline()        # it is writing; now a random moment
                time.sleep(rng.uniform(0.0, 0.04))
            writer.send_signal(signal.SIGKILL)
            writer.wait(timeout=10)
            kills += 1
            out, err = seen + writer.stdout.read(), writer.stderr.read()
            for pipe in (writer.stdin, writer.stdout, writer.stderr):
                pipe.close()
            assert writer.returncode == -signal.SIGKILL, f"seed {seed}: the writer stopped: {err}"
            lines = complete_lines(out)
            early_kills += not any(line.startswith("ack ") for line in lines)
            for line in lines:
                word, *rest = line.split()
                if word == "session":
                    current[lane] = rest[0]
                elif word == "ack":
                    acked[rest[0]].add(int(rest[1]))

    elapsed = time.monotonic() - started
    total = sum(len(seqs) for seqs in acked.values())
    print(f"\nstore crash test: seed {seed}, {kills} SIGKILLs ({early_kills} before the first ack),"
          f" {total} acknowledged answers in {len(acked)} sessions, {elapsed:.1f} s")
    assert kills >= 50
    assert total > kills, f"seed {seed}: the writers hardly wrote anything"

    assert integrity(db) == "ok", f"seed {seed}"
    with SessionStore(db) as store:
        for session in store.sessions(limit=10_000):
            stored = [event.seq for event in store.events(session.id)]
            assert stored == list(range(1, len(stored) + 1)), f"seed {seed}: gap in {session.id}"
            missing = acked.pop(session.id, set()) - set(stored)
            assert not missing, f"seed {seed}: acknowledged but lost in {session.id}: {missing}"
    assert not acked, f"seed {seed}: acknowledged sessions missing from the store: {set(acked)}"


@pytest.mark.parametrize("shared", [False, True], ids=["a-session-each", "one-session"])
def test_two_processes_append_1000_answers_each_at_once(tmp_path, shared):
    db = tmp_path / "sessions.sqlite3"
    with SessionStore(db) as store:
        where = ["--session", store.create(title="shared")] if shared else ["--new"]
    writers = [start_writer(db, *where, "--count", "1000", "--tag", tag, "--wait-go")
               for tag in ("a", "b")]
    for writer in writers:
        assert writer.stdout.readline() == "ready\n", writer.stderr.read()
    started = time.monotonic()
    for writer in writers:
        writer.stdin.write("go\n")
        writer.stdin.flush()
    results = [writer.communicate(timeout=120) for writer in writers]
    elapsed = time.monotonic() - started

    acked = set()
    for writer, (out, err) in zip(writers, results):
        assert writer.returncode == 0, err
        assert "locked" not in err and "busy" not in err
        acks = [line.split()[1:] for line in complete_lines(out) if line.startswith("ack ")]
        assert len(acks) == 1000
        acked |= {(session, int(seq)) for session, seq in acks}
    assert len(acked) == 2000                       # no sequence number was handed out twice

    assert integrity(db) == "ok"
    with SessionStore(db) as store:
        sessions = {session for session, _ in acked}
        stored = {(s, e.seq): e.payload["value"] for s in sessions for e in store.events(s)}
    assert set(stored) == acked
    assert sorted(stored.values()) == sorted(f"{tag}-{n}" for tag in "ab" for n in range(1000))
    if shared:
        print(f"\ntwo writers, one session: 2000 answers in {elapsed:.1f} s")
    else:
        assert len(sessions) == 2
        print(f"\ntwo writers, a session each: 2000 answers in {elapsed:.1f} s")
