"""The app under test: started from `create_app` on a small fixture KB (tests/fixtures/tui-kb:
IM and Presence, client protocols and UCCX entries copied from the real KB), with its session
store and search cache in a temporary folder and session ids that do not depend on the clock."""

import asyncio
import inspect
import itertools

import pytest
from tui_support import FIXTURE_KB


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    """Run `async def` tests (Pilot) in a fresh event loop; no asyncio plugin is needed."""
    if inspect.iscoroutinefunction(pyfuncitem.obj):
        names = pyfuncitem._fixtureinfo.argnames
        asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
        return True
    return None


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path, monkeypatch):
    """No test touches the user's data, cache or working folder."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def store_path(tmp_path):
    return tmp_path / "store" / "sessions.sqlite3"


@pytest.fixture(scope="session")
def fixture_knowledge():
    """The fixture KB made ready once for all the apps of the run (they leave it open)."""
    from engine.inference.compiled import CompiledKB
    from engine.kb.loader import load_clean

    with CompiledKB(load_clean(FIXTURE_KB)) as knowledge:
        yield knowledge


@pytest.fixture(scope="session")
def search_cache(tmp_path_factory):
    return tmp_path_factory.mktemp("search-cache")


@pytest.fixture
def make_app(tmp_path, store_path, fixture_knowledge, search_cache):
    """`make_app(**options)`: a fresh app on the fixture KB."""
    from tui.app import create_app

    counter = itertools.count(1)

    def make(**options):
        options.setdefault("store_path", store_path)
        options.setdefault("cache_dir", search_cache)
        options.setdefault("session_ids", lambda: f"session-{next(counter)}")
        options.setdefault("knowledge", fixture_knowledge)
        return create_app(FIXTURE_KB, **options)

    return make
