"""The KB's source documents: a `kind: sources` file whose `##` sections are the documents entries
cite (the heading is the id an entry's `source:` names, the first paragraph its title, then
`- file:` a copy in the KB folder, or `- url:` where the public document lives, with an optional
`- file:` excerpt of it: the lines the KB takes from it, so the identifiers can be checked)."""

from __future__ import annotations

from engine.kb.markdown import Section, first_paragraph, section_fields
from engine.kb.models import SourceDocument
from engine.kb.rulelang import Problems, clean


def read_sources(path: str, found: list[Section], problems: Problems) -> list[SourceDocument]:
    documents = []
    for section in found:
        source_id = clean(section.title)
        title, _ = first_paragraph(section.nodes)
        values = {"file": "", "url": ""}
        for item in section_fields(section, problems, "source"):
            if item.key not in values:
                problems.add(item.line, f"unknown source field '{item.key}' (known: file, url)")
                continue
            values[item.key] = clean(item.value)
        if not title:
            problems.add(section.line, f"source '{source_id}' has no title (a paragraph under "
                                       f"the heading)")
            continue
        if not values["file"] and not values["url"]:
            problems.add(section.line, f"source '{source_id}' needs '- file:' (a copy in the KB) "
                                       f"or '- url:' (a public document)")
            continue
        if values["url"] and not values["url"].startswith(("https://", "http://")):
            problems.add(section.line, f"source '{source_id}': url must start with https://")
            continue
        documents.append(SourceDocument(id=source_id, title=title, path=path, line=section.line,
                                        **values))
    return documents
