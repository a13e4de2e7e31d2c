"""Evidence signatures: each `##` section of a `kind: signatures` file is one signature (the
heading is its id, the first paragraph says what it recognises, then `- literal:` or `- regex:`,
`- sets:` the facts it asserts, and `- example:` lines it must match; `- source:` names a document
of the sources file when the entries citing the signature do not print the line it looks for)."""

from __future__ import annotations

from pydantic import ValidationError

from engine.kb.markdown import (
    FieldItem,
    Section,
    first_paragraph,
    section_fields,
    unquote_code,
    validation_problems,
)
from engine.kb.models import FactSetting, Signature
from engine.kb.records import validated
from engine.kb.rulelang import Problems, clean, item_text, parse_setting


def read_signatures(path: str, found: list[Section], problems: Problems) -> list[Signature]:
    return [s for section in found if (s := _signature(path, section, problems)) is not None]


def _signature(path: str, section: Section, problems: Problems) -> Signature | None:
    sid = clean(section.title)
    description, _ = first_paragraph(section.nodes)
    values: dict = {"id": sid, "description": description, "path": path, "line": section.line}
    examples: list[str] = []
    example_lines: list[int] = []
    sets: list[FactSetting] = []
    for item in section_fields(section, problems, "signature"):
        if item.key in ("literal", "regex"):
            if "literal" in values or "regex" in values:
                problems.add(item.line, f"signature '{sid}' has more than one pattern; "
                                        f"write one signature per pattern")
                continue
            values[item.key] = unquote_code(item.value)
            values["pattern_line"] = item.line
        elif item.key == "sets":
            sets.extend(_settings(item, problems))
        elif item.key in ("example", "examples"):
            if item.value:
                examples.append(unquote_code(item.value))
                example_lines.append(item.line)
            if item.sub is not None:
                for child in item.sub.children:
                    text, line = item_text(child)
                    examples.append(unquote_code(text))
                    example_lines.append(line)
        elif item.key == "source":
            values["source"] = clean(item.value)
            values["source_line"] = item.line
        elif item.key == "captures":
            continue  # documentation only: the pattern's named groups are the captures
        else:
            problems.add(item.line, f"unknown signature field '{item.key}' "
                                    f"(known: literal, regex, sets, example, captures, source)")
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
        return validated(Signature, **values, sets=tuple(sets), examples=tuple(examples),
                         example_lines=tuple(example_lines))
    except ValidationError as exc:
        validation_problems(problems, section.line, f"signature '{sid}'", exc)
        return None


def _settings(item: FieldItem, problems: Problems) -> list[FactSetting]:
    texts = [(item.value, item.line)] if item.value else []
    if item.sub is not None:
        texts.extend(item_text(child) for child in item.sub.children)
    found = [parse_setting(text, line, problems) for text, line in texts]
    return [s for s in found if s is not None]
