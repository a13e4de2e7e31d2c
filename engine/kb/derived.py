"""Derived facts: each `##` section of a `kind: derived` file concludes one fact value (its heading,
`cert.trusted is no`) from the conditions in its bullet list (forward chaining)."""

from __future__ import annotations

from engine.kb.markdown import Section, first_list, first_paragraph
from engine.kb.models import DerivedRule
from engine.kb.rulelang import Problems, clean, conjunction, parse_list, parse_setting


def read_derived(path: str, found: list[Section], problems: Problems) -> list[DerivedRule]:
    rules = []
    for section in found:
        conclusion = parse_setting(section.title, section.line, problems)
        node = first_list(section)
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
