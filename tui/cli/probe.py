"""`triage probe KIND TARGET ... [--json] [--timeout S]`: read-only live checks.

The probes are engine.probes; this module is their command line: arguments in, a short report
or the JSON of the command line contract out. Errors are one line on stderr: exit 2 for a
target or option that cannot be probed (nothing was sent), exit 1 when the probe could not
observe (refused, timed out, name does not resolve, not TLS...).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:                      # imported when a probe runs, not for other commands
    from rich.console import Console

    from engine.probes import ProbeResult

from engine.probes import DESCRIPTIONS
from tui.cli.common import CliError, load_clean, warn
from tui.console.safe import inert

EXIT_FAILED = 1     # the probe ran but could not observe
EXIT_USAGE = 2      # bad target or options: nothing was sent

KIND_HELP = DESCRIPTIONS


class ProbeArgumentParser(argparse.ArgumentParser):
    """Usage errors in one line (the contract: one clear line on stderr)."""

    def error(self, message: str):
        self.exit(EXIT_USAGE, f"{self.prog}: {inert(message)} (see '{self.prog} --help')\n")


def seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value <= 120:
        raise argparse.ArgumentTypeError(f"must be a number of seconds above 0 and at most "
                                         f"120, not '{text}'")
    return value


def add_parsers(subparsers, options: argparse.ArgumentParser) -> None:
    """Add `probe` and its kinds to the `triage` command line."""
    parents = [options]
    probe = subparsers.add_parser(
        "probe", parents=parents, help="read-only live check of a server: "
        + ", ".join(KIND_HELP), description="Read-only live checks. Each probe contacts only "
        "the host given, sends no credentials, makes a bounded number of attempts and changes "
        "nothing. --json prints {kind, target, observations, facts}.")
    probe.error = ProbeArgumentParser.error.__get__(probe)   # unknown KIND: one line too
    kinds = probe.add_subparsers(dest="kind", metavar="KIND", required=True,
                                 parser_class=ProbeArgumentParser)
    shared = argparse.ArgumentParser(add_help=False)
    shared.add_argument("--json", action="store_true", help="print JSON")
    shared.add_argument("--timeout", type=seconds, default=5.0, metavar="S",
                        help="seconds to wait for each connection or answer (default: 5)")

    def kind(name: str, target: str, target_help: str) -> argparse.ArgumentParser:
        parser = kinds.add_parser(name, parents=[*parents, shared], help=KIND_HELP[name],
                                  description=KIND_HELP[name] + ".")
        parser.add_argument("target", metavar=target, help=target_help)
        return parser

    p = kind("tls", "HOST[:PORT]", "e.g. mail.contoso.com or 192.0.2.10:8443")
    p.add_argument("--name", help="the name to ask for (SNI) and to check against the "
                                  "certificate (default: HOST)")
    p.add_argument("--ca", metavar="FILE", help="trust these CA certificates (PEM or DER) "
                                               "instead of the system store")
    p = kind("port", "HOST", "one host name or address")
    p.add_argument("ports", nargs="+", metavar="PORT", help="one or more ports, e.g. 443 25")
    for name, port in (("imap", 143), ("pop3", 110), ("smtp", 25)):
        p = kind(name, "HOST[:PORT]", f"e.g. mail.contoso.com (port {port})")
    p.add_argument("--ehlo", metavar="NAME", help="the name to greet with (default: this "
                                                 "machine's name, else its address)")
    p = kind("http", "URL", "e.g. https://mail.contoso.com/EWS/Exchange.asmx")
    p.add_argument("--ca", metavar="FILE", help="for https: trust these CA certificates "
                                               "instead of the system store")
    p = kind("dns", "NAME", "the e-mail domain, e.g. contoso.com")
    p.add_argument("--server", metavar="IP[:PORT]", help="ask only this DNS server")
    p = kind("rtt", "HOST", "one host name or address")
    p.add_argument("--port", default="443", metavar="P", help="TCP port (default: 443)")
    p.add_argument("--count", type=int, default=5, metavar="N", help="tries (default: 5)")
    probe.set_defaults(run=run)


OPTIONS = {"tls": ("name", "ca"), "port": ("ports",), "imap": (), "pop3": (), "smtp": ("ehlo",),
           "http": ("ca",), "dns": ("server",), "rtt": ("port", "count")}


def run(args: argparse.Namespace) -> int:
    from engine.probes import ProbeError, run_probe
    from tui.console.safe import inert, inert_data, json_text

    options = {name: getattr(args, name) for name in OPTIONS[args.kind]}
    try:
        result = run_probe(args.kind, args.target, timeout=args.timeout, **options)
    except ProbeError as exc:
        print(f"triage: {inert(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    facts = kb_facts(args.kb, result)
    if args.json:
        print(json_text(inert_data(result_json(result, facts))))
    else:
        print_result(result)
        for fact in facts:
            print(inert(f"  {fact.name} = {fact.value}  ({fact.source.describe()})"))
    if result.error:
        print(f"triage: {inert(result.error)}", file=sys.stderr)
        return EXIT_FAILED
    return 0


def kb_facts(kb_dir: str | None, result: ProbeResult) -> list:
    """The interview facts the KB's probe maps (kb/probes.md) draw from the result; none, with
    a warning, when the KB cannot be loaded (the probe itself does not need it)."""
    from engine.inference.probing import probe_conclusions

    try:
        kb = load_clean(kb_dir)
    except CliError as exc:
        warn(f"{exc}; no facts drawn from the probe")
        return []
    return probe_conclusions(kb, result)


def result_json(result: ProbeResult, facts: list | None = None) -> dict:
    """The contract's shape: {kind, target, observations, facts: {NAME: VALUE}}, plus more."""
    data = {**result.to_json(), "facts": {f.name: f.value for f in facts or ()}}
    data["fact_sources"] = {f.name: f.source.describe() for f in facts or ()}
    return data


def print_result(result: ProbeResult, console: Console | None = None) -> None:
    """Verdict lines first, then one observation per line."""
    from rich.console import Console
    from rich.text import Text

    console = console or Console(highlight=False)
    console.print(Text(inert(f"{result.kind} {result.target}"), style="bold"), soft_wrap=True)
    for line in result.verdicts:
        console.print(Text(inert(f"  {line}"), style="bold"), soft_wrap=True)
    if result.error:
        console.print(Text(inert(f"  failed: {result.error}"), style="bold red"), soft_wrap=True)
    width = max((len(o.name) for o in result.observations), default=0)
    if result.observations:
        console.print()
    for observation in result.observations:
        value = observation.value if observation.value != "" else "-"
        line = Text(inert(f"  {observation.name:<{width}}  {value}"))
        if observation.detail:
            line.append(inert(f"  ({observation.detail})"), style="dim")
        console.print(line, soft_wrap=True)
