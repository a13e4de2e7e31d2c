"""The rule language's conditions as data: a test on one fact (`Atom`) and a combination of
them (`Group`); engine.kb.rulelang reads them from markdown, engine.inference evaluates them."""

from __future__ import annotations

from typing import Literal, Union

from engine.kb.records import Model, condition_model

AtomOp = Literal[
    "is", "is_not", "one_of", "not_one_of",
    "at_least", "at_most", "more_than", "less_than",
    "contains", "known", "unknown",
]
GroupOp = Literal["all", "any", "none", "at_least", "at_most"]


@condition_model
class Atom(Model):
    """A test on one fact: `product is tmsxe`, `unity.users is more than 2000`."""

    kind: Literal["atom"] = "atom"
    fact: str
    op: AtomOp
    values: tuple[str, ...] = ()
    number: float | None = None
    line: int = 0

    def text(self) -> str:
        """The condition written back in the rule language."""
        words = {
            "is": "is", "is_not": "is not", "one_of": "is one of",
            "not_one_of": "is not one of", "at_least": "is at least", "at_most": "is at most",
            "more_than": "is more than", "less_than": "is less than",
            "contains": "contains", "known": "is known", "unknown": "is unknown",
        }[self.op]
        if self.op in ("known", "unknown"):
            return f"{self.fact} {words}"
        if self.number is not None:
            return f"{self.fact} {words} {self.number:g}"
        return f"{self.fact} {words} {', '.join(_quote(v) for v in self.values)}"


@condition_model
class Group(Model):
    """A combination of conditions: all of / any of / none of / at least N of / at most N of."""

    kind: Literal["group"] = "group"
    op: GroupOp
    count: int | None = None
    items: tuple["Condition", ...]
    line: int = 0

    def text(self) -> str:
        head = {"all": "all of", "any": "any of", "none": "none of"}.get(self.op)
        if head is None:
            head = f"{self.op.replace('_', ' ')} {self.count} of"
        return f"{head}: " + "; ".join(item.text() for item in self.items)


Condition = Union[Atom, Group]


def required_atoms(condition: Condition | None) -> list[Atom]:
    """The `is` / `one of` tests a condition requires at its top level: if one is false, the
    condition is false (and each is a positive pattern of every conjunct of its DNF)."""
    if isinstance(condition, Atom):
        items = [condition]
    elif isinstance(condition, Group) and condition.op == "all":
        items = list(condition.items)
    else:
        return []
    return [a for a in items if isinstance(a, Atom) and a.op in ("is", "one_of") and a.values]


def _quote(value: str) -> str:
    if any(ch in value for ch in ' ,"') or value == "":
        return '"' + value.replace('"', '\\"') + '"'
    return value
