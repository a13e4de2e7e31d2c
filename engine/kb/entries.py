"""Reading one diagnosis or procedure file into an `Entry`."""

from __future__ import annotations

import re
import textwrap
from dataclasses import replace

from markdown_it.tree import SyntaxTreeNode
from pydantic import ValidationError

from engine.kb.frontmatter import FrontMatter
from engine.kb.markdown import Section as MdSection
from engine.kb.markdown import code_blocks, inline_nodes, sections, source_of
from engine.kb.models import CodeBlock, Entry, EvidenceRef, Section, Step
from engine.kb.records import validated
from engine.kb.rulelang import Problems, conjunction, item_text, parse_list, with_applicability

ENTRY_KEYS = ("id", "title", "kind", "area", "products", "tags", "aliases", "source", "related")
LIST_KEYS = ("products", "tags", "aliases", "related")
SHELLS = frozenset({"powershell", "cmd", "registry", "cli", "sql", "text", "vbscript", "bash"})

SECTIONS = {
    "diagnosis": ("symptoms", "applies to", "rule", "evidence", "cause", "fix", "verify",
                  "notes"),
    "procedure": ("when to use", "applies to", "prerequisites", "steps", "verify", "notes",
                  "rule"),
}
REQUIRED = {
    "diagnosis": ("symptoms", "rule", "cause", "fix", "verify"),
    "procedure": ("when to use", "steps", "verify"),
}
COMMAND_SECTIONS = frozenset({"fix", "steps", "verify", "prerequisites"})

_CMDLET = re.compile(r"^(?:Get|Set|New|Add|Remove|Enable|Disable|Start|Stop|Restart|Test|Move|"
                     r"Mount|Dismount|Restore|Resume|Suspend|Update|Install|Import|Export|"
                     r"Invoke|Clear|Search)-[A-Z][A-Za-z]+\b.*\s-\w+", re.IGNORECASE)
_EXECUTABLE = re.compile(r"^(?:eseutil|ngen(?:\.exe)?|setup(?:\.exe|\.com)?|telnet|nslookup|reg|"
                         r"sc|wusa|net|regedit|utils|run sql)\s+\S", re.IGNORECASE)
_LIST_MARKER = re.compile(r"^\s*(?:\d+[.)]|[-*+])\s+")
# A step's caution: a paragraph (or quote) inside it that starts "Caution:" (bold or not).
_CAUTION = re.compile(r"^(?:>\s*)?(?:\*\*|__)?caution:?(?:\*\*|__)?:?\s*(?P<text>.+)$",
                      re.IGNORECASE | re.DOTALL)
_SIGNATURE_REF = re.compile(r"^`?(?P<id>sig-[a-z0-9]+(?:-[a-z0-9]+)*)`?\s*(?:[:\u2014\u2013-]\s*(?P<note>.*))?$")


def looks_like_command(text: str) -> bool:
    """A whole command (cmdlet with parameters, or a known executable with arguments)."""
    text = text.strip()
    return bool(_CMDLET.match(text) or _EXECUTABLE.match(text))


def normalise_front_matter(data: dict, fm: FrontMatter | None = None,
                           problems: Problems | None = None) -> dict:
    """Lists may be written as one string; list items and numbers become strings. A list item
    that is itself a list or a mapping (other than a product with versions) is a problem at
    its line."""
    out = dict(data)
    for key in LIST_KEYS:
        value = out.get(key)
        if value is None:
            out.pop(key, None)
            continue
        if isinstance(value, (str, int, float)):
            value = [value]
        if isinstance(value, list):
            items = []
            for i, item in enumerate(value):
                text = _list_item(item)
                if text is None:
                    if problems is not None and fm is not None:
                        problems.add(fm.line_of(key, i), f"'{key}' item {i + 1} is a "
                                     f"{'list' if isinstance(item, list) else 'mapping'}; "
                                     f"write each item as plain text")
                    continue
                items.append(text)
            out[key] = tuple(items)
    for key in ("id", "title", "area", "source", "kind"):
        if isinstance(out.get(key), (int, float)):
            out[key] = str(out[key])
    return out


def _list_item(value) -> str | None:
    if isinstance(value, dict):
        if "name" not in value or not isinstance(value["name"], (str, int, float)):
            return None
        versions = value.get("versions")
        if versions:
            versions = versions if isinstance(versions, list) else [versions]
            return f"{value['name']} ({', '.join(str(v) for v in versions)})"
        return str(value["name"])
    if isinstance(value, list):
        return None
    return str(value)


def read_entry(path: str, text: str, tree: SyntaxTreeNode, fm: FrontMatter,
               problems: Problems) -> Entry | None:
    data = normalise_front_matter(fm.data, fm, problems)
    for key in data:
        if key not in ENTRY_KEYS:
            problems.add(fm.line_of(key), f"unknown front matter key '{key}' "
                                          f"(known: {', '.join(ENTRY_KEYS)})")
    fields = {k: v for k, v in data.items() if k in ENTRY_KEYS}
    kind = fields.get("kind")
    lines = text.splitlines(keepends=True)
    _, found = sections(tree, level=2)
    body_fields = _read_sections(kind, found, lines, problems) if kind in SECTIONS else {}
    if "rule" in body_fields or "applies_to" in body_fields:
        body_fields["written_rule"] = body_fields.get("rule")
        body_fields["rule"] = with_applicability(body_fields.get("rule"),
                                                 body_fields.get("applies_to"))
    body_start = next((c.map[0] for c in tree.children if c.type != "front_matter"), len(lines))
    try:
        return validated(Entry, **fields, **body_fields, path=path, line=fm.line,
                     body="".join(lines[body_start:]).strip("\n"), lines=dict(fm.key_lines))
    except ValidationError as exc:
        for error in exc.errors():
            loc = error["loc"]
            key = str(loc[0]) if loc else ""
            index = loc[1] if len(loc) > 1 and isinstance(loc[1], int) else None
            problems.add(fm.line_of(key, index), _explain(key, error, fields.get(key)))
        return None


def _explain(key: str, error: dict, value) -> str:
    kind = error["type"]
    if kind == "missing":
        return f"front matter lacks '{key}'"
    if key == "id" and kind == "string_pattern_mismatch":
        return f"id '{value}' must be lower-case words joined by '-' (e.g. pop3-user-connection-limit)"
    if key == "kind":
        return f"kind '{value}' must be 'diagnosis' or 'procedure'"
    if kind == "too_short":
        return f"'{key}' must not be empty"
    return f"front matter '{key}': {error['msg']}"


def _read_sections(kind: str, found: list[MdSection], lines: list[str],
                   problems: Problems) -> dict:
    allowed = SECTIONS[kind]
    seen: dict[str, MdSection] = {}
    for section in found:
        name = " ".join(section.title.lower().replace("`", "").split())
        if name not in allowed:
            problems.add(section.line, f"unknown section '## {section.title}' in a {kind} "
                                       f"(expected: {', '.join(s.title() for s in allowed)})")
            continue
        if name in seen:
            problems.add(section.line, f"section '## {section.title}' appears twice "
                                       f"(first at line {seen[name].line})")
            continue
        seen[name] = section
        if name in COMMAND_SECTIONS:
            _check_commands(section, problems)
    out: dict = {}
    for name in REQUIRED[kind]:
        if name not in seen or not seen[name].nodes:
            line = seen[name].line if name in seen else 1
            what = {"fix": "no fix", "verify": "no verification step", "steps": "no steps",
                    "rule": "no rule", "symptoms": "no symptoms", "cause": "no cause",
                    "when to use": "no 'When to use'"}[name]
            problems.add(line, f"{kind} has {what} (add a '## {name.title()}' section)")
    for name, section in seen.items():
        if name == "symptoms":
            out["symptoms"] = _bullets(section)
        elif name == "rule":
            out["rule"] = _rule(section, problems)
        elif name == "applies to":
            out["applies_to"] = _rule(section, problems, "Applies to")
        elif name == "evidence":
            out["evidence"] = _evidence(section, problems)
        elif name in ("fix", "steps"):
            out[name] = _steps(section, lines)
        else:
            key = name.replace(" ", "_")
            out[key] = Section(markdown=source_of(lines, section.nodes),
                               commands=tuple(b for n in section.nodes for b in code_blocks(n)),
                               line=section.line)
            if name == "verify":
                out["verify_steps"] = _steps(section, lines)
    return out


def _bullets(section: MdSection) -> tuple[str, ...]:
    found: list[str] = []
    for node in section.nodes:
        if node.type in ("bullet_list", "ordered_list"):
            found.extend(" ".join(item_text(item)[0].split()) for item in node.children)
    return tuple(text for text in found if text)


def _rule(section: MdSection, problems: Problems, title: str = "Rule"):
    lists = [n for n in section.nodes if n.type in ("bullet_list", "ordered_list")]
    if not lists:
        problems.add(section.line, f"## {title} has no conditions (write them as a bullet list)")
        return None
    if len(lists) > 1:
        problems.add(lists[1].map[0] + 1, "## Rule has more than one list; join the "
                                          "conditions into one list (use 'any of:' for "
                                          "alternatives)")
    return conjunction(parse_list(lists[0], problems), section.line)


def _evidence(section: MdSection, problems: Problems) -> tuple[EvidenceRef, ...]:
    refs: list[EvidenceRef] = []
    for node in section.nodes:
        if node.type not in ("bullet_list", "ordered_list"):
            continue
        for item in node.children:
            text, line = item_text(item)
            match = _SIGNATURE_REF.match(" ".join(text.split()))
            if not match:
                problems.add(line, f"evidence item must start with a signature id "
                                   f"(sig-...), found '{text.strip()[:60]}'")
                continue
            refs.append(EvidenceRef(signature=match.group("id"),
                                    note=(match.group("note") or "").strip(), line=line))
    return tuple(refs)


def _steps(section: MdSection, lines: list[str]) -> tuple[Step, ...]:
    steps: list[Step] = []
    for node in section.nodes:
        if node.type in ("bullet_list", "ordered_list"):
            steps.extend(_step(item, lines) for item in node.children)
        elif node.type in ("fence", "code_block") and steps:
            last = steps[-1]
            steps[-1] = replace(last, commands=last.commands + tuple(code_blocks(node)))
        else:
            steps.append(Step(text=source_of(lines, [node]), commands=tuple(code_blocks(node)),
                              line=node.map[0] + 1))
    return tuple(steps)


def _step(item: SyntaxTreeNode, lines: list[str]) -> Step:
    prose: list[str] = []
    commands: list[CodeBlock] = []
    caution, caution_line = None, 0
    for child in item.children:
        if child.type in ("fence", "code_block"):
            commands.extend(code_blocks(child))
            continue
        commands.extend(code_blocks(child))
        chunk = "".join(lines[child.map[0]:child.map[1]])
        found = _CAUTION.match(_LIST_MARKER.sub("", chunk.strip(), count=1)) \
            if child.type in ("paragraph", "blockquote") else None
        if found and caution is None:
            caution, caution_line = " ".join(found.group("text").split()), child.map[0] + 1
            continue
        prose.append(chunk)
    text = "".join(prose)
    text = _LIST_MARKER.sub("", text, count=1)
    first, _, rest = text.partition("\n")
    text = (first + "\n" + textwrap.dedent(rest)).strip()
    return Step(text=text, commands=tuple(commands), caution=caution, caution_line=caution_line,
                line=item.map[0] + 1)


def _check_commands(section: MdSection, problems: Problems) -> None:
    for node in section.nodes:
        for block in code_blocks(node):
            if not block.language:
                problems.add(block.line, "code block without a shell name: write ```powershell, "
                                         "```cmd, ```registry, ```cli, ```sql or ```text")
            elif block.language not in SHELLS:
                problems.add(block.line, f"unknown shell '{block.language}' on code block "
                                         f"(use one of: {', '.join(sorted(SHELLS))})")
        for inline in inline_nodes(node):
            line = inline.map[0] + 1 if inline.map else section.line
            spans = [c.content for c in inline.children if c.type == "code_inline"]
            plain = "".join(c.content for c in inline.children if c.type == "text")
            if any(looks_like_command(span) for span in spans) or looks_like_command(plain):
                problems.add(line, "command outside a fenced code block: put it in "
                                   "```powershell (or cmd, registry, cli) so it can be copied")
