"""Search benchmark (not part of the test suite): query latency and index build time.

    python tests/bench/bench_search.py [--rounds N]

Prints p50/p95/max query latency over the public query set (tests/search_queries.yaml) on the
real KB and on a synthetic 10,000-entry KB generated here, and the time to build the 10,000
entry index from nothing. Bars (GitHub issue 4): p95 <= 5 ms on the real KB, <= 20 ms on 10k
entries, build <= 10 s. Exits 1 if a bar is missed.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import re
import statistics
import sys
import tempfile
import time
import timeit
from pathlib import Path

import snowballstemmer
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from engine.kb.loader import load_kb  # noqa: E402
from engine.kb.models import KnowledgeBase  # noqa: E402
from engine.search.index import SearchIndex  # noqa: E402

QUERIES = ROOT / "tests" / "search_queries.yaml"
BARS = {"real p95 ms": 5.0, "10k p95 ms": 20.0, "10k build s": 10.0}
_LONG_WORD = re.compile(r"\b[a-z]{5,}\b")
VERBS = ("Get", "Set", "New", "Remove", "Enable", "Disable", "Test", "Start", "Restart")
NOUNS = ("Mailbox", "Transport", "Queue", "Connector", "Policy", "Database", "Certificate",
         "Calendar", "Session", "Replication", "Gateway", "Directory", "Journal", "Rule")


def _pseudo_words(rng: random.Random, count: int) -> list[str]:
    syllables = [c + v for c in "bcdfghklmnprstvwz" for v in ("a", "e", "i", "o", "u", "ar",
                                                           "en", "is", "on", "ul")]
    words: dict[str, None] = {}
    while len(words) < count:
        words["".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))] = None
    return list(words)


def synthetic_kb(real: KnowledgeBase, size: int, seed: int = 4) -> KnowledgeBase:
    """`size` entries: the real ones, then variants of them. A variant keeps the structure and
    size of its real entry, swaps about a third of its longer words for words of a Zipf-
    distributed vocabulary of 30,000 (other products, other errors: a large KB's vocabulary
    is broad), and gets codes, a cmdlet, a parameter, an event id and an SMTP status of its
    own."""
    rng = random.Random(seed)
    vocabulary = _pseudo_words(rng, 30_000)
    weights = [1 / (rank + 1) ** 1.07 for rank in range(len(vocabulary))]
    pool = iter(())

    def swap(match: re.Match) -> str:
        nonlocal pool
        if rng.random() > 0.35:
            return match.group()
        word = next(pool, None)
        if word is None:
            pool = iter(rng.choices(vocabulary, weights, k=4096))
            word = next(pool)
        return word

    def vary(text: str) -> str:
        return _LONG_WORD.sub(swap, text)

    entries = list(real.entries)
    for i in range(size - len(entries)):
        base = real.entries[i % len(real.entries)]
        cmdlet = f"{rng.choice(VERBS)}-{rng.choice(NOUNS)}{rng.choice(NOUNS)}{i}"
        parameter = f"-{rng.choice(NOUNS)}Limit{i % 97}"
        code = f"0x{rng.getrandbits(32):08X}"
        event = str(rng.randint(1000, 65000))
        status = (f"{rng.choice((421, 450, 451, 452, 550, 554))} {rng.randint(4, 5)}."
                  f"{rng.randint(1, 7)}.{rng.randint(0, 9)}")
        body = vary(base.body) + (f"\n\n## Notes\n- The server logs event {event} with {code}; "
                                  f"the queue shows {status}.\n\n```powershell\n{cmdlet} "
                                  f"-Identity <server> {parameter} 20\n```\n")
        entries.append(dataclasses.replace(base, **{
            "id": f"synthetic-{i:05d}", "title": f"{vary(base.title)} ({code})",
            "aliases": (*map(vary, base.aliases), f"{cmdlet} {parameter}", f"event {event}",
                        status), "symptoms": tuple(map(vary, base.symptoms)),
            "body": body, "source": "synthetic", "path": "synthetic.md"}))
    return KnowledgeBase(root="synthetic", entries=tuple(entries), signatures=real.signatures)


def latencies(index: SearchIndex, queries: list[str], rounds: int
              ) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of each search (CPU time shows what a busy machine
    adds by making the search wait for a processor)."""
    for query in queries:  # warm up: page cache, stemmer cache
        index.search(query)
    wall, cpu = [], []
    for _ in range(rounds):
        for query in queries:
            start, start_cpu = time.perf_counter(), time.thread_time()
            index.search(query)
            wall.append((time.perf_counter() - start) * 1000)
            cpu.append((time.thread_time() - start_cpu) * 1000)
    return wall, cpu


def p95(timings: list[float]) -> float:
    return sorted(timings)[int(len(timings) * 0.95) - 1]


def summary(name: str, timings: tuple[list[float], list[float]]) -> float:
    wall, cpu = timings
    print(f"{name}: {len(wall)} searches, p50 {statistics.median(wall):.2f} ms, "
          f"p95 {p95(wall):.2f} ms, max {max(wall):.2f} ms (CPU time: p50 "
          f"{statistics.median(cpu):.2f} ms, p95 {p95(cpu):.2f} ms)")
    return p95(wall)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--size", type=int, default=10_000)
    args = parser.parse_args(argv)
    queries = [q["q"] for q in yaml.safe_load(QUERIES.read_text())["queries"]]
    speed = min(timeit.repeat("sum(range(1000))", number=2000, repeat=5)) / 2000 * 1e6
    stemmer = type(snowballstemmer.stemmer("english"))
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}; "
          f"sum(range(1000)) takes {speed:.1f} us; stemmer {stemmer.__module__}."
          f"{stemmer.__name__}")
    real = load_kb(ROOT / "kb").kb
    figures = {}
    with tempfile.TemporaryDirectory() as cache:
        with SearchIndex.open(real, cache_dir=Path(cache)) as index:
            figures["real p95 ms"] = summary(f"real KB ({len(real.entries)} entries)",
                                             latencies(index, queries, args.rounds))
        big = synthetic_kb(real, args.size)
        start, cpu = time.perf_counter(), time.process_time()
        index = SearchIndex.open(big, cache_dir=Path(cache))
        figures["10k build s"] = time.perf_counter() - start
        print(f"synthetic KB: {len(big.entries)} entries, "
              f"{sum(len(e.body) for e in big.entries) / 1e6:.1f} MB of markdown, index built "
              f"in {figures['10k build s']:.2f} s ({time.process_time() - cpu:.2f} s of CPU; "
              f"{index.image.path.stat().st_size / 1e6:.1f} MB)")
        with index:
            figures["10k p95 ms"] = summary("synthetic KB", latencies(index, queries,
                                                                     max(1, args.rounds // 3)))
        start = time.perf_counter()
        SearchIndex.open(big, cache_dir=Path(cache)).close()
        print(f"reopening the cached 10k index: {time.perf_counter() - start:.2f} s")
    missed = [name for name, bar in BARS.items() if figures[name] > bar]
    for name in missed:
        print(f"MISSED: {name} = {figures[name]:.2f} (bar {BARS[name]})")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
