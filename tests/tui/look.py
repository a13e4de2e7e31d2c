"""Look at the app's screens as text, the way the snapshot tests set them up:

    python tests/tui/look.py                       # every scenario at 80x24 and 200x50
    python tests/tui/look.py search_a_symptom 80x24

A check by eye before accepting a snapshot (tests/tui/scenarios.py lists the scenarios)."""

from __future__ import annotations

import asyncio
import itertools
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scenarios import APP_OPTIONS, NEEDS_SESSIONS, SCENARIOS, SIZES, seed_sessions  # noqa: E402
from tui_support import FIXTURE_KB, screen_text  # noqa: E402


async def look(name: str, size: tuple[int, int], folder: Path, knowledge) -> str:
    from tui.app import create_app

    store = folder / f"{name}-{size[0]}x{size[1]}" / "sessions.sqlite3"
    store.parent.mkdir(parents=True, exist_ok=True)
    if name in NEEDS_SESSIONS:
        seed_sessions(store)
    counter = itertools.count(1)
    app = create_app(FIXTURE_KB, store_path=store, cache_dir=folder / "cache",
                     session_ids=lambda: f"session-{next(counter)}", knowledge=knowledge,
                     **APP_OPTIONS.get(name, {}))
    async with app.run_test(size=size) as pilot:
        await SCENARIOS[name](pilot)
        return screen_text(app)


def main(argv: list[str]) -> None:
    from engine.inference import CompiledKB
    from engine.kb import load_clean

    names = [a for a in argv if a in SCENARIOS] or list(SCENARIOS)
    sizes = [a for a in argv if a in SIZES] or list(SIZES)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_DATA_HOME"] = tmp
        os.chdir(tmp)
        with CompiledKB(load_clean(FIXTURE_KB)) as knowledge:
            for name in names:
                for size in sizes:
                    text = asyncio.run(look(name, SIZES[size], Path(tmp), knowledge))
                    print(f"=== {name} {size}")
                    print(text.rstrip("\n"))


if __name__ == "__main__":
    main(sys.argv[1:])
