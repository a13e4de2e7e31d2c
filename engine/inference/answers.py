"""Answers to the question bank: the stored form of what a caller said, or why it cannot be taken."""

from __future__ import annotations

import math

from engine.kb.models import Question

UNKNOWN = "unknown"
# The largest number an answer or a fact may hold: far above any count, size or time the KB
# compares (users, ms, MB), and well inside what durable-rules can take (1e20 already fails).
MAX_NUMBER = 1e12
UNKNOWN_WORDS = (UNKNOWN, "?", "don't know", "dont know", "not sure")


class AnswerError(ValueError):
    """An answer the KB cannot take: unknown question, or a value outside its choices."""


def normalise_answer(question: Question, value: str) -> str:
    """The stored form of an answer, or AnswerError naming what is allowed."""
    raw = str(value).strip()
    low = raw.lower()
    if low in UNKNOWN_WORDS:
        return UNKNOWN
    if question.type == "yes/no":
        if low in ("yes", "y", "true"):
            return "yes"
        if low in ("no", "n", "false"):
            return "no"
        raise AnswerError(f"'{raw}' is not an answer to {question.id}; "
                          f"valid answers: yes, no, unknown")
    if question.type == "choice":
        for choice in question.choices:
            if low in (choice.value.lower(), choice.label.lower()):
                return choice.value
        valid = ", ".join([c.value for c in question.choices] + [UNKNOWN])
        raise AnswerError(f"'{raw}' is not an answer to {question.id}; valid answers: {valid}")
    if question.type == "number":
        number = parse_number(raw)
        if number is None:
            raise AnswerError(f"{question.id} takes a number between {-MAX_NUMBER:g} and "
                              f"{MAX_NUMBER:g} (or unknown), not '{raw[:40]}'")
        return f"{number:g}"
    if not raw:
        raise AnswerError(f"{question.id} takes some text (or unknown)")
    return raw


def parse_number(text: str) -> float | None:
    """A finite number within ±MAX_NUMBER written as text (`3,000`, `2.5`), else None."""
    try:
        number = float(str(text).strip().replace(",", ""))
    except (ValueError, OverflowError):
        return None
    if not math.isfinite(number) or abs(number) > MAX_NUMBER:
        return None
    return number
