"""Evidence scanning throughput: the KB's signatures over a big log, against ripgrep and GNU grep.

    .venv/bin/python tests/bench/bench_scan.py                 # 1 GB log
    .venv/bin/python tests/bench/bench_scan.py --size 100M     # try it small
    .venv/bin/python tests/bench/bench_scan.py --size 1G --profile

Writes a realistic log (IIS, SMTP receive, message tracking, IMAP/POP protocol logs, event
log exports; a few lines that signatures match, taken from their examples, sprinkled in) to a
temporary directory, then scans it

- with `Scanner(kb.signatures).scan_file` (engine/evidence) in a child process, which
  reports its time and its peak RSS (goal: < 100 MB): on one core, then with every core
  (`scan_file(workers=N)`: line-aligned ranges in N processes);
- with ripgrep, `rg -j1 -i -c -f patterns` on the same patterns as RE2 writes them (ripgrep's
  syntax is RE2's; a pattern rg refuses is given in grep's form): the target, the scanner on
  one core at >= 1.0x its throughput. Without `rg` on PATH (Debian: `apt-get install
  ripgrep`) that column is skipped, with a message, and the run says so;
- for reference only, GNU `grep -E -i -c -f patterns.txt` with LC_ALL=C, the patterns
  converted to POSIX ERE (named and non-capturing groups become plain groups, inline flags are
  dropped and -i is used, `\\d` becomes `[0-9]`, escapes grep does not know are dropped); a
  pattern grep refuses is left out and named. grep is stopped after --grep-timeout seconds
  (some patterns make it very slow: 1 MB/s in a UTF-8 locale).

The commands run one after the other in the same run, the page cache warmed first; compare the
ratios, not the absolute figures (a shared machine). Wall clock and CPU time are both given.
Exits 1 if a goal is missed (scanner / ripgrep, CPU time, one core; peak RSS).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path[:0] = [str(ROOT)]

MB = 1 << 20


def parse_size(text: str) -> int:
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([kmg]?)b?", text.strip().lower())
    if not match:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (try 1G, 200M)")
    scale = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}[match.group(2)]
    return int(float(match.group(1)) * scale)


# --- the log -------------------------------------------------------------------------

USERS = ["jdoe", "asmith", "crm-inbox", "helpdesk", "orders", "b.meier", "svc-backup", "room-4a"]
HOSTS = ["EX01", "EX02", "EX03", "CAS01", "MBX07"]
UA = ["Microsoft+Office/16.0+(Windows+NT+10.0;+Microsoft+Outlook+16.0.5119;+Pro)",
      "Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)+AppleWebKit/537.36",
      "Apple-iPhone14C2/2001.100", "MSRPC", "ExchangeServicesClient/15.01.2507.006"]
PATHS = ["/EWS/Exchange.asmx", "/owa/", "/mapi/emsmdb/", "/Microsoft-Server-ActiveSync",
         "/autodiscover/autodiscover.xml", "/ecp/", "/rpc/rpcproxy.dll", "/oab/"]
EVENTS = [
    ("MSExchange ADAccess", 2080, "Process MSEXCHANGEADTOPOLOGY (PID={pid}). Exchange Active "
     "Directory Provider has discovered the following servers with the following characteristics"),
    ("MSExchangeTransport", 12014, "Microsoft Exchange could not find a certificate that contains "
     "the domain name mail{n}.contoso.com in the personal store on the local computer"),
    ("MSExchangeIS", 9646, "Mapi session with client type MoMT has {n} objects open"),
    ("MSExchangeRepl", 4114, "Database redundancy health check passed for DB{n}"),
    ("Service Control Manager", 7036, "The Microsoft Exchange Search service entered the running "
     "state"),
]


def noise_line(rng: random.Random) -> str:
    kind = rng.randrange(6)
    ts = (f"2024-05-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:"
          f"{rng.randint(0, 59):02d}.{rng.randint(0, 999):03d}Z")
    user = rng.choice(USERS)
    ip = f"10.10.{rng.randint(0, 20)}.{rng.randint(1, 254)}"
    if kind == 0:      # IIS W3C
        return (f"{ts[:10]} {ts[11:19]} {ip} {rng.choice(['GET', 'POST'])} {rng.choice(PATHS)} "
                f"&CorrelationID=<empty>;&cafeReqId={rng.getrandbits(64):016x}; 443 "
                f"CONTOSO\\{user} 10.20.{rng.randint(0, 9)}.{rng.randint(1, 254)} "
                f"{rng.choice(UA)} - {rng.choice([200, 200, 200, 302, 304, 440])} 0 0 "
                f"{rng.randint(1, 900)}")
    if kind == 1:      # SMTP receive protocol log
        verb = rng.choice(["EHLO mail.fabrikam.com", "MAIL FROM:<news@fabrikam.com>",
                           f"RCPT TO:<{user}@contoso.com>", "DATA", "QUIT",
                           "250 2.6.0 Queued mail for delivery", "220 EX01 Microsoft ESMTP MAIL"])
        return (f"{ts},{rng.choice(HOSTS)}\\Default Frontend {rng.choice(HOSTS)},"
                f"{rng.getrandbits(64):016X},{rng.randint(0, 40)},{ip}:25,"
                f"203.0.113.{rng.randint(1, 254)}:{rng.randint(1024, 65000)},"
                f"{rng.choice('<>*')},{verb},")
    if kind == 2:      # message tracking
        event = rng.choice(["RECEIVE", "DELIVER", "SEND", "SUBMIT", "HAREDIRECT"])
        return (f"{ts},{ip},{rng.choice(HOSTS)},203.0.113.{rng.randint(1, 254)},"
                f"{rng.choice(HOSTS)},08DC{rng.getrandbits(48):012X},SMTP,{event},"
                f"{rng.randint(10**10, 10**11)},<{rng.getrandbits(64):x}@contoso.com>,"
                f"{user}@contoso.com,,{rng.randint(1000, 90000)},1,,,Quarterly report "
                f"{rng.randint(1, 99)},sender@fabrikam.com,sender@fabrikam.com,,Originating,,,")
    if kind == 3:      # IMAP / POP protocol log
        command = rng.choice(["capability", "login", "select", "fetch", "uid fetch", "logout",
                              "noop", "idle", "stat", "retr", "list"])
        return (f"{ts},{rng.getrandbits(64):016X},{rng.randint(0, 30)},{ip}:993,"
                f"10.20.{rng.randint(0, 9)}.{rng.randint(1, 254)}:{rng.randint(1024, 65000)},"
                f"{user}@contoso.com,{rng.randint(0, 2000)},{rng.randint(0, 99)},"
                f"{rng.randint(0, 999)},{command},INBOX,R=OK;Rows={rng.randint(0, 5000)},")
    if kind == 4:      # event log export (CSV)
        source, event_id, text = rng.choice(EVENTS)
        return (f"Information,{rng.randint(1, 28):02d}.05.2024 {ts[11:19]},{source},{event_id},"
                f"General,\"{text.format(pid=rng.randint(100, 9000), n=rng.randint(1, 99))}\"")
    return (f"{ts} [{rng.randint(1, 64)}] INFO  Microsoft.Exchange.Data.Storage: mailbox "
            f"{user}@contoso.com sync state {rng.choice(['ok', 'pending', 'done'])} "
            f"items={rng.randint(0, 100000)}")


def write_log(path: Path, size: int, signals: list[str], every: int, seed: int = 7) -> int:
    """About `size` bytes of noise, with one signal line (chosen in turn) about every `every`
    bytes. Returns how many signal lines were written."""
    rng = random.Random(seed)
    pool = [noise_line(rng) for _ in range(40_000)]
    chunk = "\n".join(rng.choice(pool) for _ in range(150_000)).encode() + b"\n"  # ~20 MB
    written = placed = 0
    with path.open("wb", buffering=8 * MB) as out:
        while written < size:
            part = chunk[: size - written] if size - written < len(chunk) else chunk
            cut = part.rfind(b"\n") + 1 or len(part)
            part = part[:cut]
            pieces, start = [], 0
            offsets = sorted(rng.randrange(len(part)) for _ in range(max(1, len(part) // every)))
            for offset in offsets:
                line_end = part.find(b"\n", offset) + 1 or len(part)
                if line_end <= start:
                    continue
                pieces += [part[start:line_end], signals[placed % len(signals)].encode() + b"\n"]
                start = line_end
                placed += 1
            pieces.append(part[start:])
            block = b"".join(pieces)
            out.write(block)
            written += len(block)
    return placed


# --- patterns for grep ---------------------------------------------------------------

_CLASS_ESCAPES = {"d": "0-9", "s": "[:space:]", "w": "[:alnum:]_", "t": "\t"}
_ESCAPES = {"d": "[0-9]", "D": "[^0-9]", "t": "\t"}
_ERE_SPECIAL = set(".[]()*+?{}|^$\\")
_GNU_ESCAPES = set("swSWbB<>`'")


def to_ere(source: str) -> str:
    """An RE2 pattern as GNU grep -E (with -i) reads it."""
    source = re.sub(r"\(\?[imsU]+\)", "", source)            # inline flags: -i instead
    source = re.sub(r"\(\?P?<[A-Za-z_][A-Za-z0-9_]*>", "(", source)   # named groups
    source = source.replace("(?:", "(")                        # non-capturing groups
    out, i, in_class = [], 0, False
    while i < len(source):
        ch = source[i]
        if ch == "\\" and i + 1 < len(source):
            nxt = source[i + 1]
            if in_class:
                out.append(_CLASS_ESCAPES.get(nxt, "\\\\" if nxt == "\\" else nxt))
            elif nxt in _ESCAPES:
                out.append(_ESCAPES[nxt])
            elif nxt in _ERE_SPECIAL or nxt in _GNU_ESCAPES:
                out.append(ch + nxt)
            else:
                out.append(nxt)                                  # \  \- \' \, ...: the char
            i += 2
            continue
        if ch == "[" and not in_class:
            in_class = True
            out.append(ch)
            if source[i + 1: i + 2] == "^":
                out.append("^")
                i += 1
            if source[i + 1: i + 2] == "]":
                out.append("]")
                i += 1
        elif ch == "]" and in_class:
            in_class = False
            out.append(ch)
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def grep_patterns(signatures, directory: Path) -> tuple[Path, list[str]]:
    from engine.kb.patterns import pattern_source
    kept, skipped = [], []
    for signature in signatures:
        ere = to_ere(pattern_source(signature))
        probe = subprocess.run(["grep", "-E", "-i", "-e", ere], input=b"", capture_output=True)
        if probe.returncode == 2 or probe.stderr:
            skipped.append(f"{signature.id}: {probe.stderr.decode().strip()}")
            continue
        kept.append(ere)
    path = directory / "patterns.txt"
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return path, skipped


# --- running ---------------------------------------------------------------------------

def peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: Linux keeps ru_maxrss across
    exec, so a child started from a big parent would report the parent's size."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_scan(path: str, profile: bool, workers: int = 1) -> None:
    """In a child process: load the KB, scan the file, print what it took as JSON."""
    from engine.evidence.scanner import Scanner
    from engine.kb.loader import load_kb
    scanner = Scanner(load_kb(ROOT / "kb").kb.signatures)
    before = resource.getrusage(resource.RUSAGE_SELF)
    rss_before = peak_rss_mb()
    start = time.perf_counter()
    if profile:
        import cProfile
        import pstats
        profiler = cProfile.Profile()
        report = profiler.runcall(scanner.scan_file, path)
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(15)
    else:
        report = scanner.scan_file(path, workers=workers)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"seconds": seconds,
                      "cpu": after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
                      + children.ru_utime + children.ru_stime,
                      "rss_before_mb": rss_before, "rss_mb": peak_rss_mb(),
                      "lines": report.lines, "hits": sum(report.counts.values()),
                      "signatures": len(report.counts)}))


def run_grep(patterns: Path, log: Path, env: dict, command: tuple[str, ...] = ("grep", "-E"),
             timeout: float | None = None) -> dict | None:
    """One run of grep (or rg: `command`); None if it was stopped at `timeout`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    try:
        done = subprocess.run([*command, "-i", "-c", "-f", str(patterns), str(log)],
                              capture_output=True, env=env, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{command[0]} failed: {done.stderr.decode()}")
    return {"seconds": seconds, "lines": int(done.stdout or 0),
            "cpu": after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime}


def rg_patterns(signatures, directory: Path) -> Path:
    """The patterns as RE2 writes them (ripgrep reads the same syntax); one rg refuses is
    given in grep's form."""
    from engine.kb.patterns import pattern_source
    kept = []
    for signature in signatures:
        # named groups as plain groups: rg joins the patterns, and two may share a name
        source = re.sub(r"\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>", "(", pattern_source(signature))
        probe = subprocess.run(["rg", "-i", "-e", source], input=b"", capture_output=True)
        kept.append(source if probe.returncode != 2 else to_ere(source))
    path = directory / "rg-patterns.txt"
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return path


def scan_in_child(log: Path, profile: bool = False, workers: int = 1) -> dict:
    return json.loads(subprocess.run(
        [sys.executable, __file__, "--child-scan", str(log), "--workers", str(workers)] +
        (["--profile"] if profile else []),
        check=True, text=True, stdout=subprocess.PIPE).stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=parse_size, default=parse_size("1G"),
                        help="log size (default 1G; e.g. 100M)")
    parser.add_argument("--signal-every", type=parse_size, default=parse_size("5M"),
                        help="about one signal line per this many bytes (default 5M)")
    parser.add_argument("--dir", type=Path, help="where to write the log (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the log afterwards")
    parser.add_argument("--profile", action="store_true", help="cProfile the scan")
    parser.add_argument("--grep-timeout", type=float, default=120.0,
                        help="stop GNU grep (reference only) after this many seconds")
    parser.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--child-scan", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_scan:
        child_scan(args.child_scan, args.profile, args.workers)
        return 0

    from engine.kb.loader import load_kb
    kb = load_kb(ROOT / "kb").kb
    directory = Path(tempfile.mkdtemp(prefix="triage-bench-", dir=args.dir))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    try:
        patterns, skipped = grep_patterns(kb.signatures, directory)
        has_rg = shutil.which("rg") is not None
        print(f"{len(kb.signatures)} signatures; {len(kb.signatures) - len(skipped)} given to "
              f"grep ({patterns})")
        for line in skipped:
            print(f"  left out for grep: {line}")
        signals = [example for s in kb.signatures for example in s.examples]
        log = directory / "bench.log"
        start = time.perf_counter()
        placed = write_log(log, args.size, signals, args.signal_every)
        size = log.stat().st_size
        print(f"log: {size / MB:.0f} MB with {placed} signal lines, written in "
              f"{time.perf_counter() - start:.1f} s ({log})")

        env = dict(os.environ)
        c_env = {**env, "LC_ALL": "C"}
        run_grep(patterns, log, c_env, timeout=args.grep_timeout)      # warm the page cache
        rg = None
        if has_rg:
            rg_file = rg_patterns(kb.signatures, directory)
            run_grep(rg_file, log, env, ("rg", "-j1"))                   # warm
            rg = run_grep(rg_file, log, env, ("rg", "-j1"))
        scan = scan_in_child(log, args.profile)
        scan_all = scan_in_child(log, workers=cores) if cores > 1 else scan
        rg_again = run_grep(rg_file, log, env, ("rg", "-j1")) if has_rg else None
        grep_c = run_grep(patterns, log, c_env, timeout=args.grep_timeout)

        def rate(seconds: float) -> float:
            return size / MB / seconds if seconds else float("inf")

        print(f"scanner, 1 core:    {scan['seconds']:.2f} s = {rate(scan['seconds']):.0f} MB/s "
              f"(CPU {rate(scan['cpu']):.0f} MB/s); {scan['hits']} hits of "
              f"{scan['signatures']} signatures in {scan['lines']} lines; peak RSS "
              f"{scan['rss_mb']:.0f} MB ({scan['rss_before_mb']:.0f} MB before the scan)")
        print(f"scanner, {cores} cores:   {scan_all['seconds']:.2f} s = "
              f"{rate(scan_all['seconds']):.0f} MB/s (CPU of all processes "
              f"{scan_all['cpu']:.2f} s); same hits: {scan_all['hits'] == scan['hits']}")
        met = scan["rss_mb"] < 100
        if rg is not None:
            best = min((rg, rg_again), key=lambda r: r["cpu"])
            print(f"ripgrep (rg -j1):   {best['seconds']:.2f} s = {rate(best['seconds']):.0f} MB/s "
                  f"(CPU {rate(best['cpu']):.0f} MB/s); {best['lines']} matching lines "
                  f"(best of 2 runs, one before and one after the scanner)")
            ratio_cpu = best["cpu"] / scan["cpu"] if scan["cpu"] else float("inf")
            ratio = best["seconds"] / scan["seconds"]
            ratio_all = best["seconds"] / scan_all["seconds"]
            print(f"scanner / ripgrep, 1 core: {ratio_cpu:.2f}x CPU, {ratio:.2f}x wall "
                  f"(goal >= 1.0x); {cores} cores: {ratio_all:.2f}x wall")
            met &= ratio_cpu >= 1.0
        else:
            print("ripgrep: not installed (rg not on PATH; Debian: apt-get install ripgrep): "
                  "the ripgrep column is skipped and its goal not checked")
        if grep_c is None:
            print(f"GNU grep (LC_ALL=C), reference: stopped after {args.grep_timeout:.0f} s "
                  f"(< {rate(args.grep_timeout):.0f} MB/s)")
        else:
            print(f"GNU grep (LC_ALL=C), reference: {grep_c['seconds']:.2f} s = "
                  f"{rate(grep_c['seconds']):.0f} MB/s (CPU {rate(grep_c['cpu']):.0f} MB/s); "
                  f"{grep_c['lines']} matching lines; scanner / grep "
                  f"{grep_c['seconds'] / scan['seconds']:.2f}x wall")
        print(f"peak RSS of the scan: {scan['rss_mb']:.0f} MB (goal < 100 MB)")
        print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on "
              f"{os.cpu_count()} CPUs")
    finally:
        if args.keep:
            print(f"kept {directory}")
        else:
            shutil.rmtree(directory, ignore_errors=True)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
