"""The pictures of the user guide and the README are snapshots of the app (docs/images/*.svg):
`python tests/tui/docs_images.py` copies them from tests/tui/__snapshots__ after
`pytest tests/tui/test_snapshots.py --snapshot-update`. A test fails while they differ."""

from __future__ import annotations

import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
SNAPSHOTS = HERE / "__snapshots__" / "test_snapshots"
IMAGES = HERE.parent.parent / "docs" / "images"

# docs/images name -> the snapshot it is (scenario and size, see scenarios.py)
PICTURES = {
    "interview.svg": "interview_with_answers_and_why-200x50",
    "interview-80x24.svg": "interview_after_a_ticket-80x24",
    "evidence.svg": "evidence_after_a_paste-80x24",
    "result.svg": "result-80x24",
    "search.svg": "search_a_symptom-80x24",
    "keys.svg": "keys_panel-80x24",
}


def snapshot(name: str) -> Path:
    return SNAPSHOTS / f"test_screen[{PICTURES[name]}].svg"


def main() -> None:
    IMAGES.mkdir(exist_ok=True)
    for name in PICTURES:
        shutil.copyfile(snapshot(name), IMAGES / name)
        print(f"docs/images/{name} <- {snapshot(name).name}")


if __name__ == "__main__":
    main()
