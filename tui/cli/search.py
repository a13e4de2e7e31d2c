"""`triage search QUERY`: ranked KB search.

A query is often a cmdlet parameter (`-ExternalDNSServers`) and people add options after it,
so `search` reads its options anywhere on the line, after `--` too, and every other word, one
starting with `-` included, as part of the query:
`triage search -- -ExternalDNSServers --limit 3` searches for `-ExternalDNSServers` and shows
3 results, as does `triage search -ExternalDNSServers --limit 3`. (`options_anywhere` puts the
options first and the words after a `--` before argparse reads them.)
"""

from __future__ import annotations

from tui.cli.common import EXIT_PROBLEMS, CliError, load_clean, positive_int, stdout_console, warn

WITH_VALUE = ("--limit", "--kb")
FLAGS = ("--json",)
HELP = ("-h", "--help")


def add_parsers(commands, options) -> None:
    p = commands.add_parser(
        "search", parents=[options], help="ranked search of the KB: error codes, event ids, "
        "cmdlets, status lines, symptoms", description="Search the KB. Codes, event ids, "
        "SMTP status codes and cmdlet names match exactly, words by their stem, the last word "
        "also as the start of a word. Options are read anywhere on the line (after '--' too); "
        "every other word is part of the query, one starting with '-' included.")
    p.add_argument("query", nargs="+", metavar="QUERY", help="what to look for, e.g. 0x35, "
                   "'451 4.4.0', Set-POPSettings, -MaxConnectionsPerUser, 'SAN mismatch'")
    p.add_argument("--limit", type=positive_int, default=10, metavar="N",
                   help="at most N results (default: 10)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=cmd_search)


def _option(token: str) -> str | None:
    """The search option `token` names (`--lim` is `--limit`, as argparse allows), if any."""
    name = token.split("=", 1)[0]
    if not name.startswith("--") or len(name) < 3:
        return None
    found = [option for option in (*WITH_VALUE, *FLAGS, "--help") if option.startswith(name)]
    return found[0] if len(found) == 1 else None


def _command_index(argv: list[str]) -> int | None:
    """Where the command is: after the top-level options (`--kb DIR`, `-h`)."""
    i = 0
    while i < len(argv):
        token = argv[i]
        if token == "--kb":
            i += 2
        elif token.startswith("-"):
            i += 1
        else:
            return i
    return None


def options_anywhere(argv: list[str]) -> list[str]:
    """`triage search` arguments as argparse should read them: the options first, then `--`
    and the words of the query in their order. Other commands' arguments are left alone. An
    unknown `--option` before `--` stays an option (argparse refuses it rather than searching
    for it); after `--` it is a word."""
    at = _command_index(argv)
    if at is None or argv[at] != "search":
        return argv
    options: list[str] = []
    words: list[str] = []
    rest = argv[at + 1:]
    dashes = False
    k = 0
    while k < len(rest):
        token = rest[k]
        option = _option(token)
        if token == "--" and not dashes:
            dashes = True
        elif option in WITH_VALUE:
            if "=" in token:
                options.append(f"{option}={token.split('=', 1)[1]}")
            elif k + 1 < len(rest):
                options.append(f"{option}={rest[k + 1]}")
                k += 1
            else:
                options.append(option)          # argparse says the value is missing
        elif option in FLAGS:
            options.append(option)
        elif not dashes and (token in HELP or option == "--help"
                             or (token.startswith("--") and option is None)):
            options.append(token)
        else:
            words.append(token)
        k += 1
    return [*argv[:at + 1], *options, "--", *words]


def cmd_search(args) -> int:
    from engine.search import SearchError, SearchIndex, parse_query  # not for other commands
    from tui.console import search as view
    from tui.console.safe import inert_data, json_text

    query = " ".join(args.query)
    kb = load_clean(args.kb)
    try:
        with SearchIndex.open(kb) as index:
            if index.warning:
                warn(index.warning)
            results = index.search(query, limit=args.limit)
    except SearchError as exc:
        raise CliError(str(exc)) from None
    if args.json:
        print(json_text(inert_data({**results.to_json(), "hint": view.hint(results, args.kb)})))
    elif results.results:
        view.print_results(results, stdout_console(), args.kb)
    if not results.results:
        raise CliError(view.no_match_message(query, results, bool(parse_query(query))),
                       EXIT_PROBLEMS)
    return 0
