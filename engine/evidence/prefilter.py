"""The scanner's literal prefilter: on which lines of a block a signature can match at all.

Every signature has clauses of required literals (`engine.evidence.literals`): a match holds a
literal of each clause. One clause per signature is its *anchor*; one RE2 regex, the
alternation of every anchor literal (case-insensitive), is searched through the block. Most
blocks of a big log hold no anchor and are done with after that single linear pass. A line that
holds one is a candidate line: the signatures whose anchor literal it holds, and whose other
clauses it meets too, are run on that line alone, with their own patterns. RE2 is linear in the
text at every step.

Which clause anchors a signature decides only the speed, never the result: the default is the
clause with the longest literals; for a big file, `Anchors.fitted` counts the literals in its
first block and anchors each signature on its rarest clause there (`MSExchangeTransport` is in
every line of some event logs, `15004` in a few); a signature whose rarest clause is still
common there is searched through each block with its own pattern instead of line by line.

It works on the bytes of UTF-8 or cp1252 text, where lower-casing bytes lower-cases every ASCII
letter and changes nothing else: sound as long as no other character can match an ASCII letter
of a literal, which in RE2's case folding only the Kelvin sign and the long s do (the scanner
sends a block holding one of them through the full patterns).
"""

from __future__ import annotations

from collections import defaultdict

import re2

from engine.evidence.literals import Clauses
from engine.kb.patterns import options

ANCHOR_MAX_MEM = 64 << 20
COMMON_SHARE = 64         # an anchor on more than one line in 64 of a big file's sample is common


class Prefilter:
    def __init__(self, clauses: list[Clauses | None]):
        """`clauses[i]`: the required literals of signature i, or None (no literal: it is a
        candidate on every line)."""
        self.clauses: list[tuple[tuple[bytes, ...], ...] | None] = [
            None if item is None else tuple(tuple(sorted(t.encode("ascii") for t in clause))
                                            for clause in item)
            for item in clauses]
        self.always = [i for i, item in enumerate(self.clauses) if item is None]
        self.filtered = [i for i, item in enumerate(self.clauses) if item is not None]
        self.default = Anchors(self, {i: 0 for i in self.filtered})

    def fitted(self, low: bytes) -> Anchors:
        """Anchors on each signature's rarest clause in this (lower-cased) sample."""
        counts: dict[bytes, int] = {}

        def rarity(clause: tuple[bytes, ...]) -> int:
            total = 0
            for text in clause:
                if text not in counts:
                    counts[text] = low.count(text)
                total += counts[text]
            return total

        choice = {i: min(range(len(self.clauses[i])), key=lambda k: (rarity(self.clauses[i][k]), k))
                  for i in self.filtered}
        # a signature whose rarest clause is still on many lines ("exch" and "201" in every
        # line of an Exchange log) would send most lines through its pattern one by one: it is
        # searched through the whole block instead, one linear RE2 pass
        common = max(1, (low.count(b"\n") + 1) // COMMON_SHARE)
        whole = tuple(i for i, k in choice.items() if rarity(self.clauses[i][k]) > common)
        for i in whole:
            del choice[i]
        if choice == self.default.choice and not whole:
            return self.default
        return Anchors(self, choice, whole)


class Anchors:
    """One anchor clause per signature, and the regex of all their literals."""

    def __init__(self, prefilter: Prefilter, choice: dict[int, int], whole: tuple[int, ...] = ()):
        self.prefilter = prefilter
        self.choice = choice
        self.whole = (*prefilter.always, *whole)     # searched through the whole block
        self.by_literal: dict[bytes, list[int]] = defaultdict(list)
        for index, k in choice.items():
            for text in prefilter.clauses[index][k]:
                self.by_literal[text].append(index)
        self.regex = None
        if self.by_literal:
            opts = options(case_sensitive=False, single_line=True)
            opts.max_mem = ANCHOR_MAX_MEM
            # longest first: at one position the longer literal wins; any one is enough
            ordered = sorted(self.by_literal, key=lambda t: (-len(t), t))
            self.regex = re2.compile(b"|".join(re2.escape(t) for t in ordered), opts)

    def candidates(self, block: bytes) -> list[tuple[int, int, int]]:
        """(signature, line start, line end) for each line of the block a signature may match
        on, sorted by signature then line."""
        out: list[tuple[int, int, int]] = []
        regex, clauses = self.regex, self.prefilter.clauses
        if regex is not None:
            position, size = 0, len(block)
            while position < size:
                match = regex.search(block, position)
                if match is None:
                    break
                start = block.rfind(b"\n", 0, match.start()) + 1
                end = block.find(b"\n", match.end() if match.end() > start else start)
                end = size if end < 0 else end
                line = block[start:end].lower()
                indexes = {i for text, sigs in self.by_literal.items() if text in line
                           for i in sigs}
                for index in indexes:
                    if all(any(t in line for t in clause) for clause in clauses[index]):
                        out.append((index, start, end))
                position = end + 1
        if self.whole:
            out.extend((index, -1, -1) for index in self.whole)
        out.sort()
        return out
