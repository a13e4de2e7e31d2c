"""How each screen looks, at 80x24 and at 200x50 (tests/tui/scenarios.py sets each one up).

Regenerate after a deliberate change of the look with
`python -m pytest tests/tui/test_snapshots.py --snapshot-update`, look at the screens as text
with `python tests/tui/look.py` and review the SVGs (a report of differences is written when
one fails); `python tests/tui/docs_images.py` then copies the ones the user guide shows.
Everything shown is deterministic: the fixture KB, session ids from the app factory, fixed
times in the session list, notices cleared.
"""

import pytest
from scenarios import APP_OPTIONS, NEEDS_SESSIONS, SCENARIOS, SIZES, seed_sessions


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("name", list(SCENARIOS))
def test_screen(snap_compare, make_app, store_path, name, size):
    if name in NEEDS_SESSIONS:
        seed_sessions(store_path)
    assert snap_compare(make_app(**APP_OPTIONS.get(name, {})), terminal_size=SIZES[size],
                        run_before=SCENARIOS[name])


def test_the_docs_show_the_app_as_it_is():
    """docs/images are snapshots: after `--snapshot-update`, run tests/tui/docs_images.py."""
    from docs_images import IMAGES, PICTURES, snapshot

    stale = [name for name in PICTURES
             if not (IMAGES / name).is_file()
             or (IMAGES / name).read_bytes() != snapshot(name).read_bytes()]
    assert stale == [], "run: python tests/tui/docs_images.py"
