"""The rule language: conditions over facts, written as markdown bullet lists.

    - product is uccx
    - any of:
      - uccx.imap-auth-failed is yes
      - imap.response is authenticate-failed

Top-level bullets are joined by "and". See docs/authoring.md for the full grammar.
Parsing never raises: problems are returned as (line, message) pairs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from engine.kb.models import Atom, Condition, FactSetting, Group

if TYPE_CHECKING:                 # annotations only: inference uses atoms() without markdown-it
    from markdown_it.tree import SyntaxTreeNode

_FACT = r"(?P<fact>[a-z0-9]+(?:[.-][a-z0-9]+)*)"
_NUMBER = r"(?P<number>-?\d+(?:\.\d+)?)"

# Order matters: the longer phrase must be tried before its prefix ("is not one of" before "is not").
_ATOM_FORMS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (op, re.compile(rf"^{_FACT}\s+{phrase}$", re.IGNORECASE))
    for op, phrase in (
        ("known", r"is\s+known"),
        ("unknown", r"is\s+unknown"),
        ("not_one_of", r"is\s+not\s+one\s+of\s+(?P<values>.+)"),
        ("one_of", r"is\s+one\s+of\s+(?P<values>.+)"),
        ("at_least", rf"is\s+at\s+least\s+{_NUMBER}"),
        ("at_most", rf"is\s+at\s+most\s+{_NUMBER}"),
        ("more_than", rf"is\s+more\s+than\s+{_NUMBER}"),
        ("less_than", rf"is\s+less\s+than\s+{_NUMBER}"),
        ("is_not", r"is\s+not\s+(?P<values>.+)"),
        ("is", r"is\s+(?P<values>.+)"),
        ("contains", r"contains\s+(?P<values>.+)"),
    )
)
_GROUP_HEAD = re.compile(
    r"^(?:(?P<word>all of|any of|none of|not)|(?P<bound>at least|at most)\s+(?P<count>\d+)\s+of)\s*:$",
    re.IGNORECASE,
)
_VALUE = re.compile(r'\s*(?:"(?P<quoted>(?:[^"\\]|\\.)*)"|(?P<bare>[^,"]+?))\s*(?:,|$)')


@dataclass
class Problems:
    """Where parsing problems are collected: (line, message)."""

    items: list[tuple[int, str]] = field(default_factory=list)

    def add(self, line: int, message: str) -> None:
        self.items.append((line, message))


def clean(text: str) -> str:
    """Drop backticks (allowed around names and values) and collapse whitespace."""
    return " ".join(text.replace("`", "").split())


def split_values(text: str) -> tuple[str, ...] | None:
    """`a, "b c", d` -> ("a", "b c", "d"); None if the list is malformed."""
    values: list[str] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        match = _VALUE.match(text, pos)
        if not match or match.end() == pos:
            return None
        if match.group("quoted") is not None:
            values.append(match.group("quoted").replace('\\"', '"'))
        else:
            values.append(match.group("bare").strip())
        pos = match.end()
    return tuple(values) if values else None


def parse_atom(text: str, line: int, problems: Problems) -> Atom | None:
    """One condition on one line, e.g. `unity.users is more than 2000`."""
    text = clean(text)
    for op, form in _ATOM_FORMS:
        match = form.match(text)
        if not match:
            continue
        fact = match.group("fact")
        if "number" in form.groupindex:
            return Atom(fact=fact, op=op, number=float(match.group("number")), line=line)
        if "values" not in form.groupindex:
            return Atom(fact=fact, op=op, line=line)
        values = split_values(match.group("values"))
        if values is None:
            problems.add(line, f"cannot read the value(s) in condition '{text}'")
            return None
        if op in ("is", "is_not", "contains") and len(values) != 1:
            problems.add(line, f"condition '{text}' has {len(values)} values; "
                               f"use 'is one of' for a list")
            return None
        return Atom(fact=fact, op=op, values=values, line=line)
    problems.add(line, f"not a condition: '{text}' (expected e.g. 'product is tmsxe', "
                       f"'x is one of a, b', 'n is at least 3', 'any of:')")
    return None


def parse_setting(text: str, line: int, problems: Problems) -> FactSetting | None:
    """`fact is value`: what a signature or derived rule asserts."""
    atom = parse_atom(text, line, problems)
    if atom is None:
        return None
    if atom.op != "is":
        problems.add(line, f"'{clean(text)}' must have the form 'fact is value'")
        return None
    return FactSetting(fact=atom.fact, value=atom.values[0], line=line)


def item_text(item: SyntaxTreeNode) -> tuple[str, int]:
    """The first paragraph's raw text of a list item, and its 1-based line."""
    for child in item.children:
        if child.type == "paragraph":
            inline = child.children[0]
            return inline.content, child.map[0] + 1
    return "", item.map[0] + 1


def nested_list(item: SyntaxTreeNode) -> SyntaxTreeNode | None:
    return next((c for c in item.children if c.type in ("bullet_list", "ordered_list")), None)


def parse_list(node: SyntaxTreeNode, problems: Problems) -> tuple[Condition, ...]:
    """Every bullet of a list as a condition (groups recurse into their nested list)."""
    conditions: list[Condition] = []
    for item in node.children:
        condition = parse_item(item, problems)
        if condition is not None:
            conditions.append(condition)
    return tuple(conditions)


def parse_item(item: SyntaxTreeNode, problems: Problems) -> Condition | None:
    text, line = item_text(item)
    head = _GROUP_HEAD.match(clean(text))
    sub = nested_list(item)
    if head is None:
        if sub is not None:
            problems.add(line, f"'{clean(text)}' has a nested list but is not a group "
                               f"(all of: / any of: / none of: / not: / at least N of:)")
        return parse_atom(text, line, problems)
    if sub is None:
        problems.add(line, f"group '{clean(text)}' needs a nested list of conditions")
        return None
    items = parse_list(sub, problems)
    if not items:
        return None
    word = (head.group("word") or "").lower()
    if word:
        op = {"all of": "all", "any of": "any", "none of": "none", "not": "none"}[word]
        return Group(op=op, items=items, line=line)
    count = int(head.group("count"))
    op = "at_least" if head.group("bound").lower() == "at least" else "at_most"
    if count > len(items):
        problems.add(line, f"'{clean(text)}' asks for {count} of only {len(items)} conditions")
    return Group(op=op, count=count, items=items, line=line)


def conjunction(conditions: tuple[Condition, ...], line: int) -> Condition | None:
    """Top-level bullets are joined by 'and'; a single bullet stands alone."""
    if not conditions:
        return None
    if len(conditions) == 1:
        return conditions[0]
    return Group(op="all", items=conditions, line=line)


def applicability(condition: Condition) -> Condition:
    """Where an entry applies, as conditions inference can enforce without demanding an answer:
    `exchange.version is 2007` becomes "not: exchange.version is not 2007", which only a known
    other version makes false. Until the fact is known the condition is open (so the entry is
    not confident before it is asked); an "unknown" answer leaves the entry possible. Groups
    are kept as written (they are required as they stand)."""
    items = condition.items if isinstance(condition, Group) and condition.op == "all" \
        else (condition,)
    out: list[Condition] = []
    for item in items:
        if isinstance(item, Atom) and item.op in ("is", "one_of") and item.values:
            op = "is_not" if len(item.values) == 1 else "not_one_of"
            negated = Atom(fact=item.fact, op=op, values=item.values, line=item.line)
            out.append(Group(op="none", items=(negated,), line=item.line))
        else:
            out.append(item)
    return out[0] if len(out) == 1 else Group(op="all", items=tuple(out), line=condition.line)


def with_applicability(rule: Condition | None, applies: Condition | None) -> Condition | None:
    """The rule inference uses: the written rule and where the entry applies."""
    if applies is None:
        return rule
    extra = applicability(applies)
    if rule is None:
        return extra
    parts = list(rule.items) if isinstance(rule, Group) and rule.op == "all" else [rule]
    parts += list(extra.items) if isinstance(extra, Group) and extra.op == "all" else [extra]
    return Group(op="all", items=tuple(parts), line=rule.line)


def atoms(condition: Condition):
    """Every atom in a condition tree, depth first."""
    if isinstance(condition, Atom):
        yield condition
    else:
        for item in condition.items:
            yield from atoms(item)
