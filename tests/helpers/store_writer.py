"""Writes answers to a session store in a loop, as the app would, for the crash and
concurrency tests.

    store_writer.py DB (--new | --session ID) [--count N] [--tag T] [--wait-go]

Prints `session ID` once the session exists, then `ack ID SEQ` after each `append` has
returned (so the test knows exactly what was acknowledged), flushed at once. With `--wait-go`
it prints `ready` after opening the store and waits for a line on stdin, so several writers
start together. A StoreError is printed to stderr and exits with status 3.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))   # the checkout's engine/

from engine.sessions.store import SessionStore, StoreError  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("db", type=Path)
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--new", action="store_true")
    which.add_argument("--session")
    parser.add_argument("--count", type=int, default=0, help="0: until killed")
    parser.add_argument("--tag", default="w")
    parser.add_argument("--wait-go", action="store_true")
    args = parser.parse_args()
    out = sys.stdout
    try:
        # the other writer may hold the lock for all its writes: wait as long as it could take
        store = SessionStore(args.db, timeout=120.0)
        if args.wait_go:
            out.write("ready\n")
            out.flush()
            sys.stdin.readline()
        session = store.create(title=f"writer {args.tag}") if args.new else args.session
        out.write(f"session {session}\n")
        out.flush()
        n = 0
        while args.count == 0 or n < args.count:
            seq = store.append(session, "answer", {"question": f"{args.tag}-q{n}",
                                                   "value": f"{args.tag}-{n}"})
            out.write(f"ack {session} {seq}\n")
            out.flush()
            n += 1
    except StoreError as exc:
        print(f"store error: {exc}", file=sys.stderr)
        return 3
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
