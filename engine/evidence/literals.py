"""The literals a pattern cannot match without: the scanner's prefilter (as in ripgrep and RE2's
own prefilter). For `Failed to (read|open) (?P<file>\\S+)` every match contains "failed to read "
or "failed to open ", so a line holding neither cannot match and the pattern is never run on it.

`required(source)` returns clauses of such sets of lower-case ASCII strings (any match contains
a string of every clause, compared ASCII-case-insensitively), or None when there is nothing
useful (`\\d+`, `.*`): the pattern must then be run everywhere. The pattern is read with Python's own regex
parser after RE2-only syntax is rewritten to a *wider* equivalent (a POSIX class becomes "any
ASCII character"), so the set can only be too permissive, never too strict. A string that is
not all ASCII is cut at its non-ASCII characters (RE2's case folding maps `K` to the Kelvin
sign); the scanner sends text that is not all ASCII through the full patterns anyway.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

try:                                     # Python 3.11+: the parser's new home
    from re import _constants as C
    from re import _parser as sre_parse
except ImportError:                      # pragma: no cover
    import sre_constants as C
    import sre_parse

MAX_SET = 64            # alternatives kept while multiplying out (a|b)(c|d)...
MIN_USEFUL = 3          # a set whose shortest string is shorter than this is no filter
MAX_CLAUSES = 4         # clauses kept per node
_POSIX = re.compile(r"\[:\^?[a-z]+:\]")
_FLAGS = re.compile(r"\(\?[imsU]+\)")


Clauses = tuple[frozenset[str], ...]       # each clause: one of its strings is in every match


@dataclass(frozen=True)
class _Info:
    exact: frozenset[str] | None      # every string the node matches (small, finite), or None
    need: Clauses                     # clauses every match satisfies (empty: no filter)


_ANY = _Info(None, ())


def required(source: str) -> Clauses | None:
    """Clauses of lower-case ASCII strings: every match of `source` contains a string of each
    clause. `Jabber.*(meeting|calendar)` gives ({"jabber"}, {"meeting", "calendar"}). None when
    nothing worth filtering on is certain."""
    try:
        tree = sre_parse.parse(_python_syntax(source))
    except Exception:                    # syntax this reader does not know: no filter
        return None
    info = _seq(list(tree))
    clauses = info.need + ((info.exact,) if info.exact else ())
    return _useful(clauses) or None


def _python_syntax(source: str) -> str:
    """RE2 syntax Python's parser reads differently or not at all, made wider or the same."""
    source = _POSIX.sub(r"\\x00-\\x7f", source)         # [[:space:]] -> [\x00-\x7f]
    source = _FLAGS.sub("", source)                      # case is ignored here anyway
    source = source.replace("(?<", "(?P<").replace("(?P<=", "(?<=").replace("(?P<!", "(?<!")
    return source.replace(r"\z", r"\Z")


def _useful(clauses) -> Clauses:
    """The clauses worth testing: all-ASCII, no string shorter than MIN_USEFUL, none implied
    by another, the best MAX_CLAUSES of them."""
    kept: list[frozenset[str]] = []
    for clause in clauses:
        clause = _ascii(clause) if clause else None
        if clause and min(len(s) for s in clause) >= MIN_USEFUL:
            clause = _minimal(clause)
            if clause not in kept:
                kept.append(clause)
    # a clause X is implied by Y when every string of Y contains a string of X
    kept = [x for x in kept if not any(
        y is not x and y != x and all(any(a in b for a in x) for b in y) for y in kept)]
    kept.sort(key=_score, reverse=True)
    return tuple(kept[:MAX_CLAUSES])


def _score(clause: frozenset[str]) -> tuple:
    return (min(len(s) for s in clause), -len(clause))


def _seq(items: list) -> _Info:
    """A concatenation: runs of exact items multiply out into longer literals; the runs and
    the other items' clauses are all needed."""
    clauses: list[frozenset[str]] = []
    run: frozenset[str] = frozenset({""})
    all_exact = True
    for op, av in items:
        info = _node(op, av)
        if info.exact is not None:
            product = frozenset(a + b for a in run for b in info.exact)
            if len(product) <= MAX_SET:
                run = product
                continue
            clauses.append(run)
            run = info.exact
            all_exact = False
            continue
        all_exact = False
        clauses.append(run)
        clauses.extend(info.need)
        run = frozenset({""})
    if not all_exact:
        clauses.append(run)
    return _Info(run if all_exact else None, _useful(clauses))


def _node(op, av) -> _Info:
    if op is C.LITERAL:
        return _Info(frozenset({chr(av).lower()}), ())
    if op is C.AT:                                       # ^ $ \b \A: empty width
        return _Info(frozenset({""}), ())
    if op is C.SUBPATTERN:
        return _seq(list(av[-1]))
    if op is C.BRANCH:
        return _alternatives([_seq(list(branch)) for branch in av[1]])
    if op is C.IN:
        return _char_class(av)
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
        low, high, item = av
        inner = _seq(list(item))
        if low == 0:
            if high == 1 and inner.exact is not None:    # x? -> {"", x}
                return _Info(inner.exact | {""}, ())
            return _ANY
        if low == high and inner.exact is not None and len(inner.exact) ** low <= MAX_SET:
            return _seq([(C.SUBPATTERN, (None, 0, 0, item))] * low)
        return _Info(None, _useful(inner.need + ((inner.exact,) if inner.exact else ())))
    return _ANY                          # ., \d, \s, [^x], anything else: no literal


def _alternatives(branches: list[_Info]) -> _Info:
    """Each branch's clauses (its exact strings count as one); the alternation needs, for each
    choice of one clause per branch, their union."""
    exact: frozenset[str] | None = frozenset()
    for info in branches:
        exact = exact | info.exact if exact is not None and info.exact is not None else None
    if exact is not None and len(exact) > MAX_SET:
        exact = None
    per_branch = [_useful(info.need + ((info.exact,) if info.exact else ()))
                  for info in branches]
    if not all(per_branch):
        return _Info(exact, ())
    combos = [frozenset()]
    for options in per_branch:
        combos = [c | o for c in combos for o in options[:MAX_CLAUSES]]
        if len(combos) > 4 * MAX_CLAUSES:
            combos = [frozenset().union(*(o[0] for o in per_branch))]
            break
    return _Info(exact, _useful(combos))


def _char_class(items) -> _Info:
    chars: set[str] = set()
    for op, av in items:
        if op is C.LITERAL:
            chars.add(chr(av).lower())
        elif op is C.RANGE and av[1] - av[0] < 8:
            chars.update(chr(c).lower() for c in range(av[0], av[1] + 1))
        else:                            # NEGATE, CATEGORY (\d \s \w), a wide range
            return _ANY
    return _Info(frozenset(chars), None) if len(chars) <= 8 else _ANY


def _ascii(need: frozenset[str]) -> frozenset[str] | None:
    """Each string cut to its longest all-ASCII piece (a sound, shorter requirement)."""
    out = set()
    for text in need:
        if text.isascii():
            out.add(text)
            continue
        pieces = [p for p in re.split(r"[^\x00-\x7f]+", text) if p]
        if not pieces:
            return None
        out.add(max(pieces, key=len))
    return frozenset(out)


def _minimal(need: frozenset[str]) -> frozenset[str]:
    """Drop a string that contains another of the set (finding the shorter one is enough)."""
    ordered = sorted(need, key=len)
    kept: list[str] = []
    for text in ordered:
        if not any(k in text for k in kept):
            kept.append(text)
    return frozenset(kept)
