"""Per-answer latency of an interview: `answer` + `differential` + `next_questions`.

    .venv/bin/python tests/bench/bench_inference.py              # real KB, then synthetic
    .venv/bin/python tests/bench/bench_inference.py --kb real
    .venv/bin/python tests/bench/bench_inference.py --kb synthetic --products 40 \
        --per-product 250 --sample 200 --profile

Simulated callers (tests/simulation.py) interview the system once for each diagnosis (on the
synthetic KB, for a seeded sample of them); every answer step is timed: the answer, the
differential, and the next questions (three, given the differential, as the CLI and the TUI
ask for them). Choosing the caller's answer is not timed. Also reported: building the CompiledKB
(rules, signatures, text index), how many times durable-rules compiled a ruleset (each is
compiled when a session first needs it and freed when idle beyond the engine's `keep_idle`),
and peak RSS. Targets: per answer p95 <= 10 ms on the real KB, <= 50 ms on a 10,000-entry
synthetic KB (the inference issue); on the synthetic KB also the first question p95 < 50 ms
and peak RSS < 250 MB (issue 17); exits 1 if one is missed (wall clock).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import resource
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(HERE)]

from simulation import caller_answer  # noqa: E402
from synthetic_kb import synthetic_kb  # noqa: E402

from engine.inference.compiled import CompiledKB  # noqa: E402
from engine.inference.interview import Interview  # noqa: E402

LIMIT = 15            # questions per interview, as tests/simulation.py


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_interview(knowledge: CompiledKB, entry, steps: list[float], cpu: list[float],
                  first: list[float]) -> bool:
    """One simulated caller; appends each answer step's seconds (wall clock, and CPU time of
    this thread: the machine may be shared). True if it ended confident on the entry."""
    with Interview(knowledge) as session:
        start = time.perf_counter()
        differential = session.differential()
        suggestions = session.next_questions(3, differential)
        first.append(time.perf_counter() - start)
        for _ in range(LIMIT):
            if differential.verdict == "confident" or not suggestions:
                break
            question = suggestions[0].question
            value = caller_answer(session, entry, question)
            start, start_cpu = time.perf_counter(), time.thread_time()
            session.answer(question.id, value)
            differential = session.differential()
            suggestions = session.next_questions(3, differential)
            steps.append(time.perf_counter() - start)
            cpu.append(time.thread_time() - start_cpu)
        return differential.verdict == "confident" and differential.top.id == entry.id


def percentiles(seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    if not ms:
        return "no steps"
    p = lambda q: ms[min(len(ms) - 1, int(round(q * (len(ms) - 1))))]  # noqa: E731
    return (f"n={len(ms)} p50={p(0.50):.2f} ms p95={p(0.95):.2f} ms max={ms[-1]:.2f} ms "
            f"mean={statistics.mean(ms):.2f} ms")


def p95_ms(seconds: list[float]) -> float:
    ms = sorted(s * 1000 for s in seconds)
    return ms[int(round(0.95 * (len(ms) - 1)))] if ms else 0.0


def bench(name: str, kb, sample: int | None, profile: bool, target_ms: float,
          first_ms: float | None = None, rss_mb: float | None = None) -> dict:
    """`target_ms`: per answer, p95; `first_ms`: the first question, p95; `rss_mb`: peak RSS
    of the process (None: no target)."""
    start = time.perf_counter()
    knowledge = CompiledKB(kb)
    build = time.perf_counter() - start
    rulesets = knowledge.rules.rulesets()
    print(f"\n== {name}: {len(kb.entries)} entries, {len(kb.questions)} questions, "
          f"{len(kb.derived)} derived rules, {knowledge.rules.rule_count} durable rules in "
          f"{len(rulesets)} ruleset(s)")
    print(f"CompiledKB build: {build:.2f} s; peak RSS so far {peak_rss_mb():.0f} MB")
    diagnoses = [e for e in kb.entries if e.kind == "diagnosis" and e.rule is not None]
    if sample and sample < len(diagnoses):
        diagnoses = random.Random(1).sample(diagnoses, sample)
    steps: list[float] = []
    cpu: list[float] = []
    first: list[float] = []
    confident = 0
    profiler = cProfile.Profile() if profile else None
    start = time.perf_counter()
    if profiler:
        profiler.enable()
    for entry in diagnoses:
        confident += run_interview(knowledge, entry, steps, cpu, first)
    if profiler:
        profiler.disable()
    wall = time.perf_counter() - start
    print(f"{len(diagnoses)} simulated interviews in {wall:.1f} s, {confident} confident on "
          f"their diagnosis")
    rules = knowledge.rules
    print(f"durable-rules compiled a ruleset {rules.compilations} time(s) for "
          f"{rules.activations} ruleset session(s); {len(rules.built())} compiled at the end "
          f"(idle ones kept up to {rules.keep_idle} rules)")
    print(f"first question (no answer yet): {percentiles(first)}")
    print(f"per answer (wall): {percentiles(steps)}")
    print(f"per answer (CPU):  {percentiles(cpu)}")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on "
          f"{os.cpu_count()} CPUs")
    p95 = p95_ms(steps)
    met = p95 <= target_ms
    print(f"per answer p95 {p95:.2f} ms {'meets' if met else 'MISSES'} the {target_ms:.0f} ms "
          f"target")
    if first_ms is not None:
        first_p95 = p95_ms(first)
        met &= first_p95 < first_ms
        print(f"first question p95 {first_p95:.2f} ms "
              f"{'meets' if first_p95 < first_ms else 'MISSES'} the < {first_ms:.0f} ms target")
    peak = peak_rss_mb()
    if rss_mb is not None:
        met &= peak < rss_mb
        print(f"peak RSS {peak:.0f} MB {'meets' if peak < rss_mb else 'MISSES'} the "
              f"< {rss_mb:.0f} MB target")
    else:
        print(f"peak RSS {peak:.0f} MB")
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(30)
        print(out.getvalue())
    knowledge.close()
    return {"build": build, "p95": p95, "steps": len(steps), "met": met}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kb", choices=["real", "synthetic", "both"], default="both")
    parser.add_argument("--products", type=int, default=40)
    parser.add_argument("--per-product", type=int, default=250)
    parser.add_argument("--sample", type=int, default=200,
                        help="synthetic diagnoses to interview (default 200)")
    parser.add_argument("--profile", action="store_true", help="cProfile the interviews")
    args = parser.parse_args(argv)
    met = True
    if args.kb in ("real", "both"):
        from engine.kb.loader import load_kb
        met &= bench("real KB", load_kb(ROOT / "kb").kb, None, args.profile, 10.0)["met"]
    if args.kb in ("synthetic", "both"):
        start = time.perf_counter()
        kb = synthetic_kb(args.products, args.per_product)
        print(f"\n(synthetic KB generated in {time.perf_counter() - start:.1f} s)")
        met &= bench(f"synthetic KB {args.products}x{args.per_product}", kb, args.sample,
                     args.profile, 50.0, first_ms=50.0, rss_mb=250.0)["met"]
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
