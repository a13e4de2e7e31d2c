"""Markdown reading shared by every KB file kind: one parser, sections, fields, code blocks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.front_matter import front_matter_plugin

from engine.kb.models import CodeBlock
from engine.kb.rulelang import item_text, nested_list


@lru_cache(maxsize=1)
def build_parser() -> MarkdownIt:
    """The one markdown parser of the KB: CommonMark + tables + front matter."""
    return MarkdownIt("commonmark").enable("table").use(front_matter_plugin)


def parse(text: str) -> SyntaxTreeNode:
    return SyntaxTreeNode(build_parser().parse(text))


@dataclass
class Section:
    """The nodes under one heading, up to the next heading of the same or higher level."""

    title: str
    level: int
    line: int  # 1-based line of the heading
    nodes: list[SyntaxTreeNode]

    def end_line(self, default: int) -> int:
        return self.nodes[-1].map[1] if self.nodes else default


def sections(tree: SyntaxTreeNode, level: int) -> tuple[list[SyntaxTreeNode], list[Section]]:
    """Split top-level nodes at headings of `level`: (nodes before the first, sections)."""
    before: list[SyntaxTreeNode] = []
    found: list[Section] = []
    for node in tree.children:
        if node.type == "front_matter":
            continue
        if node.type == "heading" and int(node.tag[1]) <= level:
            if int(node.tag[1]) == level:
                found.append(Section(heading_text(node), level, node.map[0] + 1, []))
            elif found:  # a higher-level heading closes the current section
                found.append(Section("", int(node.tag[1]), node.map[0] + 1, []))
            continue
        (found[-1].nodes if found else before).append(node)
    return before, [s for s in found if s.title]


def heading_text(node: SyntaxTreeNode) -> str:
    return node.children[0].content.strip() if node.children else ""


def source_of(lines: list[str], nodes: list[SyntaxTreeNode]) -> str:
    """The markdown source text covered by `nodes`."""
    if not nodes:
        return ""
    start, end = nodes[0].map[0], nodes[-1].map[1]
    return "".join(lines[start:end]).strip("\n")


def code_blocks(node: SyntaxTreeNode) -> list[CodeBlock]:
    """Every fenced or indented code block inside `node` (itself included)."""
    found: list[CodeBlock] = []
    if node.type in ("fence", "code_block"):
        language = (node.info or "").strip().split(" ")[0].lower() if node.type == "fence" else ""
        found.append(CodeBlock(language=language, code=node.content.rstrip("\n"),
                               line=node.map[0] + 1))
    for child in node.children:
        found.extend(code_blocks(child))
    return found


def inline_nodes(node: SyntaxTreeNode):
    """Every inline node (a paragraph's or heading's text) inside `node`."""
    if node.type == "inline":
        yield node
    for child in node.children:
        yield from inline_nodes(child)


def first_paragraph(nodes: list[SyntaxTreeNode]) -> tuple[str, int]:
    """The text of the paragraphs before the first list, joined; and its line."""
    parts: list[str] = []
    line = 0
    for node in nodes:
        if node.type != "paragraph":
            if parts:
                break
            continue
        parts.append(" ".join(node.children[0].content.split()))
        line = line or node.map[0] + 1
    return " ".join(parts), line


@dataclass
class FieldItem:
    """`- key: value` in a question or signature, with an optional nested list."""

    key: str
    value: str
    line: int
    sub: SyntaxTreeNode | None


_FIELD = re.compile(r"^(?P<key>[A-Za-z][A-Za-z ]*?)\s*:\s*(?P<value>.*)$", re.DOTALL)


def field_items(list_node: SyntaxTreeNode) -> tuple[list[FieldItem], list[tuple[int, str]]]:
    """Read `- key: value` bullets; bullets that are not fields come back as problems."""
    items: list[FieldItem] = []
    problems: list[tuple[int, str]] = []
    for item in list_node.children:
        text, line = item_text(item)
        match = _FIELD.match(text.strip())
        if not match:
            problems.append((line, f"expected 'key: value', found '{text.strip()[:60]}'"))
            continue
        items.append(FieldItem(match.group("key").strip().lower(), match.group("value").strip(),
                               line, nested_list(item)))
    return items, problems


def unquote_code(value: str) -> str:
    """`` `x` `` or ``` `` x `` ``` -> x (as markdown inline code spans are written)."""
    value = value.strip()
    match = re.match(r"^(`+)(.*)\1$", value, re.DOTALL)
    if not match:
        return value
    inner = match.group(2)
    if inner.startswith(" ") and inner.endswith(" ") and inner.strip():
        inner = inner[1:-1]
    return inner


def first_list(section: Section) -> SyntaxTreeNode | None:
    return next((n for n in section.nodes if n.type in ("bullet_list", "ordered_list")), None)


def section_fields(section: Section, problems, what: str) -> list[FieldItem]:
    """The `- key: value` list of a question or signature section; problems reported."""
    node = first_list(section)
    if node is None:
        problems.add(section.line, f"{what} '{section.title}' has no '- key: value' list")
        return []
    items, bad = field_items(node)
    for line, message in bad:
        problems.add(line, message)
    return items


def validation_problems(problems, line: int, what: str, exc) -> None:
    """A pydantic ValidationError as problems at `line`."""
    for error in exc.errors():
        where = ".".join(str(p) for p in error["loc"])
        problems.add(line, f"{what}: '{where}' {error['msg'].lower()}")
