"""The records the KB is made of: frozen dataclasses with slots, checked with pydantic when an
author's markdown is loaded (`validated`: types, patterns, lengths, no unknown keys).

pydantic is imported only to validate: a command that reads the compiled KB from the cache
(engine.kb.cache) never pays for it, and the records are smaller and faster to read than
pydantic models.
"""

from __future__ import annotations

import dataclasses
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")
model = dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
# conditions are compiled once each and the compiled form is dropped with them (a weak reference)
condition_model = dataclasses.dataclass(frozen=True, slots=True, kw_only=True, weakref_slot=True)


class Model:
    """The base of every model: what pydantic needs to validate one (unknown keys refused)."""

    __slots__ = ()
    __pydantic_config__ = {"extra": "forbid"}


class Pattern:
    """`Annotated[str, Pattern(regex)]`: the text must match (checked by `validated`)."""

    __slots__ = ("regex",)

    def __init__(self, regex: str):
        self.regex = regex

    def __get_pydantic_core_schema__(self, source, handler):
        return {**handler(source), "pattern": self.regex}


class MinLen:
    """`Annotated[str | tuple, MinLen(n)]`: at least n characters or items."""

    __slots__ = ("n",)

    def __init__(self, n: int):
        self.n = n

    def __get_pydantic_core_schema__(self, source, handler):
        return {**handler(source), "min_length": self.n}


@cache
def _adapter(cls: type):
    from pydantic import TypeAdapter

    return TypeAdapter(cls)


def validated(cls: type[T], **fields: Any) -> T:
    """A model built from what an author wrote, checked: raises pydantic's ValidationError
    (engine.kb.markdown.validation_problems turns it into lint problems)."""
    return _adapter(cls).validate_python(fields)


def as_data(value: Any) -> Any:
    """A model as JSON-ready data (what `triage show --json` prints): dataclasses as dicts,
    tuples as lists; an entry's front matter line numbers are left out."""
    if isinstance(value, Model):
        return {f.name: as_data(getattr(value, f.name)) for f in dataclasses.fields(value)
                if f.name != "lines"}
    if isinstance(value, (tuple, list)):
        return [as_data(item) for item in value]
    if isinstance(value, dict):
        return {key: as_data(item) for key, item in value.items()}
    return value
