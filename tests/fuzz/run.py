"""Fuzz the parts that read strangers' text for a while (not part of the test suite).

    python tests/fuzz/run.py [--target scan|rules|redact|all] [--seconds 60]

With atheris installed (`pip install atheris`, or the `fuzz` extra) each target runs under
libFuzzer with coverage guidance for the given time; without it, hypothesis generates random
inputs for the same time (new seeds each run). A failing input is printed (and, with atheris,
saved as crash-* in the working folder) and the script exits 1.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from fuzz import targets  # noqa: E402

TARGETS = {"scan": targets.scan_bytes, "rules": targets.parse_rules,
           "redact": targets.redact_text}


def with_atheris(name: str, seconds: int) -> int:
    import atheris

    target = TARGETS[name]
    atheris.instrument_all()     # coverage of the engine's Python code guides the inputs
    atheris.Setup([sys.argv[0], f"-max_total_time={seconds}", "-rss_limit_mb=4096"], target)
    atheris.Fuzz()          # exits the process when the time is up or on a failure
    return 0


def with_hypothesis(name: str, seconds: int) -> int:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    target = TARGETS[name]
    deadline = time.monotonic() + seconds
    rounds = 0
    while time.monotonic() < deadline:
        @settings(max_examples=500, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(st.one_of(st.binary(max_size=4096),
                         st.sampled_from(targets.PREFIXES).flatmap(
                             lambda p: st.text(max_size=2000).map(
                                 lambda t: p + t.encode("utf-16-le" if p in (
                                     targets.PREFIXES[2],) else "utf-8", "surrogatepass")))))
        def run(data: bytes) -> None:
            target(data)
        run()
        rounds += 1
    print(f"{name}: {rounds * 500} inputs, no failure")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", choices=[*TARGETS, "all"], default="all")
    parser.add_argument("--seconds", type=int, default=60, help="per target (default: 60)")
    args = parser.parse_args()
    names = list(TARGETS) if args.target == "all" else [args.target]
    try:
        import atheris  # noqa: F401
        have_atheris = len(names) == 1     # libFuzzer runs one target per process
    except ImportError:
        have_atheris = False
    for name in names:
        if have_atheris:
            return with_atheris(name, args.seconds)
        with_hypothesis(name, args.seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
