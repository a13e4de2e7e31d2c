"""Fixtures shared by the whole suite; the helpers tests import are in support.py."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from support import KB  # noqa: E402  (after the path is set)


@pytest.fixture(scope="session")
def real_kb():
    from engine.kb.loader import load_kb
    return load_kb(KB)
