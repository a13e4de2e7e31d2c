"""Reading the shared files: the question bank, evidence signatures and derived facts.

Each is a markdown file whose `##` sections are the items: the heading is the id (or, for a
derived fact, the conclusion), a paragraph describes it, a bullet list of `key: value` fields
(or, for a derived fact, the conditions) follows.
"""

from __future__ import annotations

from typing import Callable

from pydantic import ValidationError

from engine.kb.markdown import FieldItem, Section, field_items, first_paragraph, unquote_code
from engine.kb.models import Choice, DerivedRule, FactSetting, Question, Signature
from engine.kb.rulelang import Problems, clean, conjunction, item_text, parse_atom, parse_list, parse_setting, split_values

QUESTION_TYPES = {
    "yes/no": "yes/no", "yes-no": "yes/no", "yesno": "yes/no", "boolean": "yes/no",
    "choice": "choice", "one of": "choice", "number": "number", "text": "text",
    "free text": "text",
}


def _first_list(section: Section):
    return next((n for n in section.nodes if n.type in ("bullet_list", "ordered_list")), None)


def _fields(section: Section, problems: Problems, what: str) -> list[FieldItem]:
    node = _first_list(section)
    if node is None:
        problems.add(section.line, f"{what} '{section.title}' has no '- key: value' list")
        return []
    items, bad = field_items(node)
    for line, message in bad:
        problems.add(line, message)
    return items


def _validation(problems: Problems, line: int, what: str, exc: ValidationError) -> None:
    for error in exc.errors():
        where = ".".join(str(p) for p in error["loc"])
        problems.add(line, f"{what}: '{where}' {error['msg'].lower()}")


# --- questions ---------------------------------------------------------------------

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
    }
    for item in _fields(section, problems, "question"):
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
    try:
        return Question(**values)
    except ValidationError as exc:
        _validation(problems, section.line, f"question '{qid}'", exc)
        return None


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


def _ask_when(item: FieldItem, problems: Problems):
    if item.sub is not None:
        return conjunction(parse_list(item.sub, problems), item.line)
    if clean(item.value).lower() in ("always", ""):
        return None
    return parse_atom(item.value, item.line, problems)


# --- signatures --------------------------------------------------------------------

def read_signatures(path: str, found: list[Section], problems: Problems) -> list[Signature]:
    return [s for section in found if (s := _signature(path, section, problems)) is not None]


def _signature(path: str, section: Section, problems: Problems) -> Signature | None:
    sid = clean(section.title)
    description, _ = first_paragraph(section.nodes)
    values: dict = {"id": sid, "description": description, "path": path, "line": section.line}
    examples: list[str] = []
    sets: list[FactSetting] = []
    for item in _fields(section, problems, "signature"):
        if item.key in ("literal", "regex"):
            if "literal" in values or "regex" in values:
                problems.add(item.line, f"signature '{sid}' has more than one pattern; "
                                        f"write one signature per pattern")
                continue
            values[item.key] = unquote_code(item.value)
        elif item.key == "sets":
            sets.extend(_settings(item, problems))
        elif item.key in ("example", "examples"):
            if item.value:
                examples.append(unquote_code(item.value))
            if item.sub is not None:
                examples.extend(unquote_code(item_text(c)[0]) for c in item.sub.children)
        elif item.key == "captures":
            continue  # documentation only: the pattern's named groups are the captures
        else:
            problems.add(item.line, f"unknown signature field '{item.key}' "
                                    f"(known: literal, regex, sets, example, captures)")
    if "literal" not in values and "regex" not in values:
        problems.add(section.line, f"signature '{sid}' has no pattern ('- literal: `...`' "
                                   f"or '- regex: `...`')")
        return None
    if not sets:
        problems.add(section.line, f"signature '{sid}' sets no facts ('- sets:' list)")
        return None
    if not examples:
        problems.add(section.line, f"signature '{sid}' has no example line ('- example: `...`')")
        return None
    try:
        return Signature(**values, sets=tuple(sets), examples=tuple(examples))
    except ValidationError as exc:
        _validation(problems, section.line, f"signature '{sid}'", exc)
        return None


def _settings(item: FieldItem, problems: Problems) -> list[FactSetting]:
    texts = [(item.value, item.line)] if item.value else []
    if item.sub is not None:
        texts.extend(item_text(child) for child in item.sub.children)
    found = [parse_setting(text, line, problems) for text, line in texts]
    return [s for s in found if s is not None]


# --- derived facts -----------------------------------------------------------------

def read_derived(path: str, found: list[Section], problems: Problems) -> list[DerivedRule]:
    rules = []
    for section in found:
        conclusion = parse_setting(section.title, section.line, problems)
        node = _first_list(section)
        if node is None:
            problems.add(section.line, f"derived fact '{clean(section.title)}' has no "
                                       f"conditions (a bullet list under the heading)")
            continue
        condition = conjunction(parse_list(node, problems), node.map[0] + 1)
        if conclusion is None or condition is None:
            continue
        description, _ = first_paragraph(section.nodes)
        rules.append(DerivedRule(conclusion=conclusion, description=description,
                                 condition=condition, path=path, line=section.line))
    return rules
