"""YAML front matter: safe-loaded, with the file line of every top-level key."""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml
from markdown_it.tree import SyntaxTreeNode


@dataclass
class FrontMatter:
    data: dict = field(default_factory=dict)
    key_lines: dict[str, int] = field(default_factory=dict)
    line: int = 1
    problems: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def line_of(self, key: str, index: int | None = None) -> int:
        """The line of a top-level key, or of item `index` of its list."""
        if index is not None and f"{key}.{index}" in self.key_lines:
            return self.key_lines[f"{key}.{index}"]
        return self.key_lines.get(key, self.line)


def read_front_matter(text: str, tree: SyntaxTreeNode) -> FrontMatter:
    node = next((c for c in tree.children if c.type == "front_matter"), None)
    if node is None:
        first = text.split("\n", 1)[0].strip()
        if first == "---":
            return FrontMatter(problems=[(1, "front matter opened with '---' is never closed "
                                             "(add a closing '---' line)")])
        return FrontMatter(problems=[(1, "missing front matter: the file must start with a "
                                         "'---' block (id, title, kind, ...)")])
    content_line = node.map[0] + 2  # the line after the opening fence
    try:
        # YAML aliases (`*name`) are refused before anything is built: a few lines of nested
        # aliases expand to gigabytes ("billion laughs"), and front matter never needs them
        for event in yaml.parse(node.content, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                return FrontMatter(line=node.map[0] + 1, problems=[(
                    content_line + event.start_mark.line,
                    f"front matter uses a YAML alias (*{event.anchor}); write the value out")])
        root = yaml.compose(node.content, Loader=yaml.SafeLoader)
        data = yaml.safe_load(node.content)
    except yaml.MarkedYAMLError as exc:
        # Point at where the broken value starts (an unclosed quote), else where YAML gave up.
        mark = exc.context_mark or exc.problem_mark
        line = content_line + (mark.line if mark else 0)
        problem = " ".join(filter(None, (exc.context, exc.problem))) or str(exc)
        problem = " ".join(problem.split())          # one line, whatever YAML wrote
        return FrontMatter(line=node.map[0] + 1,
                           problems=[(line, f"front matter is not valid YAML: {problem}")])
    except yaml.YAMLError as exc:
        return FrontMatter(line=node.map[0] + 1, problems=[
            (content_line, f"front matter is not valid YAML: {' '.join(str(exc).split())}")])
    if not isinstance(data, dict):
        return FrontMatter(line=node.map[0] + 1,
                           problems=[(content_line, "front matter must be a mapping of "
                                                    "'key: value' lines")])
    key_lines: dict[str, int] = {}
    if isinstance(root, yaml.MappingNode):
        for key_node, value_node in root.value:
            key = str(key_node.value)
            key_lines[key] = content_line + key_node.start_mark.line
            if isinstance(value_node, yaml.SequenceNode):
                for i, item in enumerate(value_node.value):
                    key_lines[f"{key}.{i}"] = content_line + item.start_mark.line
    return FrontMatter(data=data, key_lines=key_lines, line=node.map[0] + 1)
