"""Short text as the KB writes it, on screen: `code` spans shown as code, not backticks; a
choice with its key in bold."""

from __future__ import annotations

from textual.content import Content

from engine.inference import UNKNOWN
from engine.kb import Question

UNKNOWN_LABEL = "Unknown / the caller doesn't know"


def answer_text(question: Question, value: str) -> str:
    """An answer as the caller heard it: the choice's label, Yes / No, a number with its unit."""
    if value == UNKNOWN:
        return UNKNOWN_LABEL
    if question.type == "number":
        return f"{value} {question.unit}".strip()
    return question.label(value)


def keyed(key: str, label: str) -> Content:
    """A choice with its key in bold: `1  Yes`."""
    return Content.assemble((key, "bold"), f"  {label}")


def inline_code(text: str) -> Content:
    """Question text as written in the KB, with `code` spans shown as code, not backticks."""
    parts = text.split("`")
    if len(parts) % 2 == 0:                  # an unpaired backtick: show the text as it is
        return Content(text)
    return Content.assemble(*[(part, "bold $text-accent") if n % 2 else part
                              for n, part in enumerate(parts) if part])
