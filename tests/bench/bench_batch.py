"""`triage batch` throughput with one worker and with every core, in the same run.

    .venv/bin/python tests/bench/bench_batch.py                # the case set x 4 (572 tickets)
    .venv/bin/python tests/bench/bench_batch.py --repeat 10

The tickets are the case set's (tests/cases/*.yaml: ticket text, evidence files in several
encodings), repeated with new ids. Each configuration runs `triage batch` as a process (the
compiled-KB cache warm, as after any first run), one worker then every core, alternately, and
the best of `--runs` is kept; the outputs must be byte for byte the same. Reports tickets per
second and the ratio (no fixed goal: on a 2-core machine about 1.7-1.9x is what two processes
can give). Wall clock: the figure a user waits for.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from batchdata import write_case_tickets  # noqa: E402


def run(source: Path, out: Path, workers: int) -> float:
    out.unlink(missing_ok=True)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "tui.cli", "batch", str(source), "--out", str(out),
                    "--workers", str(workers)], check=True, cwd=ROOT)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=4, help="copies of the case set")
    parser.add_argument("--runs", type=int, default=2, help="runs of each configuration")
    args = parser.parse_args(argv)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    with tempfile.TemporaryDirectory(prefix="triage-bench-batch-") as tmp:
        directory = Path(tmp)
        source = write_case_tickets(directory / "input", args.repeat)
        tickets = len(source.read_text(encoding="utf-8").splitlines())
        run(source, directory / "warm.jsonl", 1)          # fills the compiled-KB cache
        one, many = [], []
        for _ in range(args.runs):
            one.append(run(source, directory / "one.jsonl", 1))
            many.append(run(source, directory / "many.jsonl", cores))
        same = (directory / "one.jsonl").read_bytes() == (directory / "many.jsonl").read_bytes()
    print(f"{tickets} tickets (the case set x {args.repeat}), best of {args.runs} runs each")
    print(f"1 worker:  {min(one):.2f} s = {tickets / min(one):.1f} tickets/s")
    print(f"{cores} workers: {min(many):.2f} s = {tickets / min(many):.1f} tickets/s")
    print(f"ratio {cores} workers / 1 worker: {min(one) / min(many):.2f}x; "
          f"identical output: {same}")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on "
          f"{os.cpu_count()} CPUs")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
