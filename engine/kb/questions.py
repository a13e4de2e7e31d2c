"""The question bank: each `##` section of a `kind: questions` file is one question (the heading
is its id and fact name, the first paragraph the question as the caller hears it, then a list of
`- type:`, `- choices:`, `- why:`, `- ask when:`, `- unit:`, `- phrases:`,
`- units in text:`, `- narrower:` and `- if unknown:` fields)."""

from __future__ import annotations

from typing import Callable

from pydantic import ValidationError

from engine.kb.markdown import (
    FieldItem,
    Section,
    first_paragraph,
    section_fields,
    validation_problems,
)
from engine.kb.models import Choice, Narrowing, Phrase, Question
from engine.kb.records import validated
from engine.kb.rulelang import (
    Problems,
    clean,
    conjunction,
    item_text,
    parse_atom,
    parse_list,
    split_values,
)

QUESTION_TYPES = {
    "yes/no": "yes/no", "yes-no": "yes/no", "yesno": "yes/no", "boolean": "yes/no",
    "choice": "choice", "one of": "choice", "number": "number", "text": "text",
    "free text": "text",
}


def read_questions(path: str, found: list[Section], problems: Problems) -> list[Question]:
    return [q for section in found if (q := _question(path, section, problems)) is not None]


def _question(path: str, section: Section, problems: Problems) -> Question | None:
    qid = clean(section.title)
    text, _ = first_paragraph(section.nodes)
    values: dict = {"id": qid, "text": text, "path": path, "line": section.line}
    handlers: dict[str, Callable[[FieldItem], None]] = {
        "type": lambda f: values.__setitem__("type", _question_type(f, problems)),
        "choices": lambda f: values.__setitem__("choices", _choices(f, problems)),
        "why": lambda f: values.__setitem__("why", " ".join(f.value.split())),
        "ask when": lambda f: values.__setitem__("ask_when", _ask_when(f, problems)),
        "unit": lambda f: values.__setitem__("unit", f.value.strip().strip('"')),
        "phrases": lambda f: values.__setitem__("phrases", _phrases(f, problems)),
        "units in text": lambda f: values.__setitem__("units_in_text", _units(f, problems)),
        "narrower": lambda f: values.__setitem__("narrowings", _narrowings(f, problems)),
        "if unknown": lambda f: values.update(if_unknown=clean(f.value).strip('"'),
                                              if_unknown_line=f.line),
    }
    for item in section_fields(section, problems, "question"):
        handler = handlers.get(item.key)
        if handler is None:
            problems.add(item.line, f"unknown question field '{item.key}' "
                                    f"(known: {', '.join(handlers)})")
        else:
            handler(item)
    if not text:
        problems.add(section.line, f"question '{qid}' has no question text (a paragraph "
                                   f"under the heading)")
        return None
    if values.get("type") is None:
        problems.add(section.line, f"question '{qid}' has no valid 'type' "
                                   f"(yes/no, choice, number or text)")
        return None
    if values["type"] == "choice" and not values.get("choices"):
        problems.add(section.line, f"choice question '{qid}' lists no choices")
        return None
    if_unknown_line = values.pop("if_unknown_line", section.line)
    try:
        question = validated(Question, **values)
    except ValidationError as exc:
        validation_problems(problems, section.line, f"question '{qid}'", exc)
        return None
    if question.if_unknown and question.if_unknown not in question.values():
        problems.add(if_unknown_line, f"question '{qid}': 'if unknown: {question.if_unknown}' is "
                                       f"not one of its answers ({', '.join(question.values())})")
        return None
    return question


def _question_type(item: FieldItem, problems: Problems) -> str | None:
    kind = QUESTION_TYPES.get(" ".join(item.value.lower().split()))
    if kind is None:
        problems.add(item.line, f"unknown question type '{item.value}' "
                                f"(use yes/no, choice, number or text)")
    return kind


def _choices(item: FieldItem, problems: Problems) -> tuple[Choice, ...]:
    if item.sub is None:
        problems.add(item.line, "choices need a nested list: '- value: what the caller says'")
        return ()
    choices: list[Choice] = []
    seen: set[str] = set()
    for child in item.sub.children:
        text, line = item_text(child)
        raw_value, sep, label = text.partition(":")
        if raw_value.strip().startswith('"'):  # a quoted value may contain ':'
            closing = text.find('"', text.find('"') + 1)
            raw_value, label = text[: closing + 1], text[closing + 1:].lstrip().removeprefix(":")
            sep = ":"
        values = split_values(clean(raw_value))
        if not sep or not values or len(values) != 1:
            problems.add(line, f"choice must read 'value: label', found '{text.strip()[:60]}'")
            continue
        value = values[0]
        if value in seen:
            problems.add(line, f"choice '{value}' is listed twice")
            continue
        seen.add(value)
        choices.append(Choice(value=value, label=" ".join(label.split()) or value))
    return tuple(choices)


def _phrases(item: FieldItem, problems: Problems) -> tuple[Phrase, ...]:
    """`- phrases:` then one bullet per answer value: `- yes: already raised the limits;
    limits were increased` (phrases separated by `;`)."""
    return tuple(Phrase(value=value, text=phrase, line=line)
                 for value, parts, line in _per_value(item, problems, "phrases",
                                                      "value: a phrase; another")
                 for phrase in (" ".join(p.split()).strip('"') for p in parts) if phrase)


def _narrowings(item: FieldItem, problems: Problems) -> tuple[Narrowing, ...]:
    """`- narrower:` then one bullet per general answer: `- no-calendar-status:
    one-user-no-calendar-status; localized-calendar-broken` (its special cases, by `;`)."""
    found = []
    for value, parts, line in _per_value(item, problems, "narrower",
                                         "general answer: a narrower answer; another",
                                         needs_parts=True):
        found.append(Narrowing(general=value, narrower=tuple(clean(p) for p in parts if clean(p)),
                               line=line))
    return tuple(found)


def _per_value(item: FieldItem, problems: Problems, field: str, form: str,
               needs_parts: bool = False) -> list[tuple[str, list[str], int]]:
    """(value, its `;`-separated parts, line) of each bullet `- value: a; b` of a field with a
    nested list; a bullet that does not read so is reported at its line and left out."""
    if item.sub is None:
        needs = "need" if field.endswith("s") else "needs"
        problems.add(item.line, f"{field} {needs} a nested list: '- {form}'")
        return []
    found = []
    for child in item.sub.children:
        text, line = item_text(child)
        raw_value, sep, rest = text.partition(":")
        values = split_values(clean(raw_value))
        parts = rest.split(";")
        if not sep or len(values) != 1 or (needs_parts and not any(map(clean, parts))):
            problems.add(line, f"{field} must read '{form}', found '{text.strip()[:60]}'")
            continue
        found.append((values[0], parts, line))
    return found


def _units(item: FieldItem, problems: Problems) -> tuple[str, ...]:
    """`- units in text: users; mailboxes` (the words that follow a number in a ticket)."""
    units = tuple(" ".join(u.split()) for u in item.value.split(";") if u.strip())
    if not units:
        problems.add(item.line, "units in text needs words, e.g. 'users; mailboxes'")
    return units


def _ask_when(item: FieldItem, problems: Problems):
    if item.sub is not None:
        return conjunction(parse_list(item.sub, problems), item.line)
    if clean(item.value).lower() in ("always", ""):
        return None
    return parse_atom(item.value, item.line, problems)
