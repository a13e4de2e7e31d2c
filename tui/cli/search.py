"""`triage search QUERY`: ranked KB search."""

from __future__ import annotations

from tui.cli.common import EXIT_PROBLEMS, CliError, load_clean, positive_int, stdout_console, warn


def add_parsers(commands, options) -> None:
    p = commands.add_parser(
        "search", parents=[options], help="ranked search of the KB: error codes, event ids, "
        "cmdlets, status lines, symptoms", description="Search the KB. Codes, event ids, "
        "SMTP status codes and cmdlet names match exactly, words by their stem, the last word "
        "also as the start of a word. Put '--' before a query that starts with '-'.")
    p.add_argument("query", nargs="+", metavar="QUERY", help="what to look for, e.g. 0x35, "
                   "'451 4.4.0', Set-POPSettings, 'SAN mismatch'")
    p.add_argument("--limit", type=positive_int, default=10, metavar="N",
                   help="at most N results (default: 10)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=cmd_search)


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
        print(json_text(inert_data(results.to_json())))
    elif results.results:
        view.print_results(results, stdout_console())
    if not results.results:
        raise CliError(view.no_match_message(query, results, bool(parse_query(query))),
                       EXIT_PROBLEMS)
    return 0
