"""A KB file written to hurt the reader (issue 13, item 5): a YAML alias bomb and nested list
items in front matter are refused at their line, at once, without expanding anything."""

import shutil
from pathlib import Path

from engine.kb.loader import load_kb

FIXTURES = Path(__file__).parent / "fixtures" / "lint"
BOMB = """---
id: demo-bomb
kind: diagnosis
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: [*h, *h, *h, *h, *h, *h, *h, *h, *h]
---
# Bomb
"""
NESTED = """---
id: demo-nested
kind: diagnosis
aliases:
  - - nested
    - list
---
# Nested
"""


def test_an_alias_bomb_and_nested_lists_are_refused_at_their_line(tmp_path):
    kb = tmp_path / "kb"
    shutil.copytree(FIXTURES / "base", kb)
    (kb / "demo" / "demo-bomb.md").write_text(BOMB, encoding="utf-8")
    (kb / "demo" / "demo-nested.md").write_text(NESTED, encoding="utf-8")
    result = load_kb(kb)
    found = {(Path(d.path).name, d.line, d.message) for d in result.diagnostics}
    assert ("demo-bomb.md", 5, "front matter uses a YAML alias (*a); write the value out") in found
    assert ("demo-nested.md", 5, "'aliases' item 1 is a list; write each item as plain text") \
        in found
    assert {e.id for e in result.kb.entries} == {"demo-problem"}
