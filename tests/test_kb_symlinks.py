"""A link in the KB folder that leads outside it is refused with a path:line diagnostic, never
followed (issue 13, item 8): a KB copied from elsewhere could otherwise read any file."""

import shutil
from pathlib import Path

from support import run_triage

from engine.kb.loader import load_kb

FIXTURES = Path(__file__).parent / "fixtures" / "lint"


def kb_with_links(tmp_path):
    kb = tmp_path / "kb"
    shutil.copytree(FIXTURES / "base", kb)
    outside = tmp_path / "outside"
    (outside / "more").mkdir(parents=True)
    entry = (kb / "demo" / "demo-problem.md").read_text(encoding="utf-8")
    (outside / "stolen.md").write_text(entry.replace("demo-problem", "stolen"), encoding="utf-8")
    (outside / "more" / "other.md").write_text("---\nkind: words\n---\n", encoding="utf-8")
    (kb / "demo" / "stolen.md").symlink_to(outside / "stolen.md")
    (kb / "linked-folder").symlink_to(outside / "more", target_is_directory=True)
    (kb / "demo" / "inside-link.md").symlink_to(kb / "questions" / "demo.md")   # stays inside
    return kb


def test_links_leaving_the_kb_are_refused_at_their_path(tmp_path):
    kb = kb_with_links(tmp_path)
    result = load_kb(kb)
    assert "stolen" not in {e.id for e in result.kb.entries}
    refused = sorted(d.format() for d in result.diagnostics if "outside" in d.message)
    assert len(refused) == 2
    assert refused[0].startswith(f"{kb / 'demo' / 'stolen.md'}:1: a link to a file outside the "
                                 f"knowledge base folder")
    assert refused[1].startswith(f"{kb / 'linked-folder'}:1: a link to a folder outside")
    lint = run_triage("lint", ".", cwd=kb)
    assert lint.returncode == 1
    assert "demo/stolen.md:1: a link to a file outside the knowledge base folder" in lint.stdout
    assert "linked-folder:1: a link to a folder outside the knowledge base folder" in lint.stdout
