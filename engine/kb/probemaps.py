"""Probe maps: a `kind: probes` file whose `##` sections each say which questions a read-only
probe answers and how its observations map to answers (see kb/probes.md)."""

from __future__ import annotations

import re

from pydantic import ValidationError

from engine.kb.markdown import Section, first_paragraph, section_fields, validation_problems
from engine.kb.models import ProbeMap, ProbeSetting
from engine.kb.records import validated
from engine.kb.rulelang import Problems, clean, item_text, parse_atom

KINDS = ("tls", "port", "imap", "pop3", "smtp", "http", "dns", "rtt")
OPTIONS = ("port", "ports")
_SETTING = re.compile(r"^(?P<fact>\S+)\s+is\s+(?P<value>\S+?)(?:\s+when\s+(?P<when>.+))?$")


def read_probe_maps(path: str, found: list[Section], problems: Problems) -> list[ProbeMap]:
    maps = []
    for section in found:
        description, _ = first_paragraph(section.nodes)
        values: dict = {"title": section.title, "description": description, "path": path,
                        "line": section.line}
        options: list[tuple[str, str]] = []
        sets: list[ProbeSetting] = []
        for item in section_fields(section, problems, "probe map"):
            if item.key in ("probe", "target", "address"):
                values[item.key] = clean(item.value)
                if item.key == "probe" and values["probe"] not in KINDS:
                    problems.add(item.line, f"unknown probe '{values['probe']}' (known: "
                                            f"{', '.join(KINDS)})")
            elif item.key in OPTIONS:
                options.append((item.key, clean(item.value)))
            elif item.key == "checks":
                values["checks"] = tuple(c.strip() for c in item.value.split(",") if c.strip())
            elif item.key == "sets":
                texts = [(item.value, item.line)] if item.value else []
                if item.sub is not None:
                    texts += [item_text(child) for child in item.sub.children]
                sets += [s for text, line in texts
                         if (s := _setting(text, line, problems)) is not None]
            else:
                problems.add(item.line, f"unknown probe map field '{item.key}' (known: probe, "
                                        f"target, address, port, ports, checks, sets)")
        if "probe" not in values or "target" not in values:
            problems.add(section.line, f"probe map '{section.title}' needs '- probe:' and "
                                       f"'- target:'")
            continue
        try:
            maps.append(validated(ProbeMap, **values, options=tuple(options), sets=tuple(sets)))
        except ValidationError as exc:
            validation_problems(problems, section.line, f"probe map '{section.title}'", exc)
    return maps


def _setting(text: str, line: int, problems: Problems) -> ProbeSetting | None:
    match = _SETTING.match(" ".join(clean(text).split()))
    if not match:
        problems.add(line, f"expected 'FACT is VALUE when OBSERVATION is VALUE' or 'FACT is "
                           f"{{OBSERVATION}}', found '{text.strip()[:60]}'")
        return None
    when = None
    if match.group("when"):
        when = parse_atom(match.group("when"), line, problems)
        if when is None:
            return None
    elif not match.group("value").startswith("{"):
        problems.add(line, "a fixed value needs 'when OBSERVATION is VALUE'")
        return None
    try:
        return validated(ProbeSetting, fact=match.group("fact"),
                         value=match.group("value").strip('"'), when=when, line=line)
    except ValidationError as exc:
        validation_problems(problems, line, "probe setting", exc)
        return None
