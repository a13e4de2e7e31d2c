"""Hostile-input benchmark (not part of the test suite): inputs that used to take seconds or
minutes because some step was quadratic in them (issue 13, item 5).

    python tests/bench/bench_hostile.py

- one search on a KB whose entry body is 0.94 MB of matching words (the snippet window was
  quadratic in the matches of a field: 11 s, minutes in a debug build);
- one ticket text of 10 MB given to an interview (similarity over all of it, and locating each
  signature match from the start of its line: 17 s to 70 s);
- one 10 MB line of 250,000 signature matches scanned as evidence.

Prints wall and CPU seconds; generous bars (this machine is shared): 3 s, 10 s and 15 s.
Exits 1 if a bar is missed.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from engine.inference import CompiledKB, Interview  # noqa: E402
from engine.kb import loader  # noqa: E402
from engine.kb.models import Entry, KnowledgeBase  # noqa: E402
from engine.search.index import SearchIndex  # noqa: E402

GATEWAY = "exch01.corp.example.com   SSL Connection/Certificate Verification Failed - SAN Mismatch"


def timed(label: str, bar: float, action) -> bool:
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    ok = wall <= bar
    print(f"{label:<48} wall {wall:6.2f} s  cpu {cpu:6.2f} s  bar {bar:4.0f} s  "
          f"{'ok' if ok else 'MISSED'}")
    return ok


def main() -> int:
    body = "## Notes\n" + "mailbox repair request " * 41_000
    huge = Entry(id="huge", title="Huge entry", kind="diagnosis", area="demo",
                 products=("Exchange Server 2016",), source="test", path="huge.md", body=body)
    kb = KnowledgeBase(root="bench", entries=(huge,))
    results = []
    with tempfile.TemporaryDirectory() as cache, SearchIndex.open(kb, cache_dir=cache) as index:
        index.search("warm up")
        results.append(timed(f"search, {len(body) / 1e6:.2f} MB body of matches", 3,
                             lambda: index.search("mailbox repair request")))
    with CompiledKB(loader.load_clean(ROOT / "kb")) as compiled:
        ticket = "Jabber shows no meetings since Monday. " * 260_000 + "\n" + GATEWAY + "\n"
        with Interview(compiled) as session:
            results.append(timed(f"ticket text, {len(ticket) / 1e6:.0f} MB", 10,
                                 lambda: session.set_text(ticket)))
        line = (GATEWAY + " ") * 100_000
        results.append(timed(f"evidence, one {len(line) / 1e6:.0f} MB line of matches", 15,
                             lambda: compiled.scanner.scan_text(line)))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
