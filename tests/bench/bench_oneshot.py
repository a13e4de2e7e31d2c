"""One-shot `triage diagnose` CPU time against the bare import of its libraries, in one run.

    .venv/bin/python tests/bench/bench_oneshot.py
    .venv/bin/python tests/bench/bench_oneshot.py --runs 20

Each command is a fresh process; they run alternately (A B C A B C ...) so a change in the
machine's speed touches all alike, and each one's median CPU time (user + system, from the
operating system's accounting of the finished child) is reported:

- `diagnose`: `triage diagnose --text ... --json` with the compiled-KB cache warm (as every
  call after the first one for a KB), in a private XDG_CACHE_HOME;
- `diagnose, cold cache`: the same with the cache emptied before each run (the first call);
- `import (all its libraries)`: `python -c "import ..."` of every library `triage diagnose`
  uses: durable-rules, pydantic, google-re2, rich, markdown-it-py and its front matter plugin,
  PyYAML, platformdirs, PyStemmer and snowballstemmer (markdown and YAML: to read the KB);
- `import (a warm run's libraries)`: only those a warm run imports (no rich for --json, no
  markdown-it, no YAML): the stricter reference.

Goal: diagnose (warm) <= 2.0x the bare import of its libraries; exits 1 if missed. Both
ratios are printed.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEXT = "POP3 users say their client stalls; the POP3 log shows UserConnectionLimitReached"
ALL_LIBS = ("durable.engine, pydantic, re2, rich.console, markdown_it, "
            "mdit_py_plugins.front_matter, yaml, platformdirs, Stemmer, snowballstemmer")
WARM_LIBS = "durable.engine, pydantic, re2, platformdirs, Stemmer, snowballstemmer"


def cpu_of(command: list[str], env: dict) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, check=True, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args(argv)
    python = sys.executable
    diagnose = [python, "-m", "tui.cli", "diagnose", "--text", TEXT, "--json"]
    with tempfile.TemporaryDirectory(prefix="triage-bench-oneshot-") as tmp:
        env = {**os.environ, "XDG_CACHE_HOME": str(Path(tmp) / "cache")}
        env.pop("TRIAGE_KB", None)
        commands = {
            "diagnose": (diagnose, None),
            "diagnose, cold cache": (diagnose, Path(tmp) / "cache"),
            "import (all its libraries)": ([python, "-c", f"import {ALL_LIBS}"], None),
            "import (a warm run's libraries)": ([python, "-c", f"import {WARM_LIBS}"], None),
        }
        cpu_of(diagnose, env)                                   # warm the cache and the OS
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, (command, empty) in commands.items():
                if empty is not None:
                    shutil.rmtree(empty, ignore_errors=True)
                times[name].append(cpu_of(command, env))
                if empty is not None:
                    cpu_of(diagnose, env)                       # warm again for the next
    median = {name: statistics.median(values) for name, values in times.items()}
    for name, value in median.items():
        print(f"{name:<34} median CPU {value * 1000:6.0f} ms  (min {min(times[name]) * 1000:.0f},"
              f" max {max(times[name]) * 1000:.0f}; {args.runs} runs)")
    ratio = median["diagnose"] / median["import (all its libraries)"]
    strict = median["diagnose"] / median["import (a warm run's libraries)"]
    cold = median["diagnose, cold cache"] / median["import (all its libraries)"]
    print(f"diagnose / import of its libraries: {ratio:.2f}x (goal <= 2.0x); against a warm "
          f"run's libraries only: {strict:.2f}x; cold cache: {cold:.2f}x")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on "
          f"{os.cpu_count()} CPUs")
    return 0 if ratio <= 2.0 else 1


if __name__ == "__main__":
    sys.exit(main())
