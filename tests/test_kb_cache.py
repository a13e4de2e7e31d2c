"""The compiled-KB cache (engine.kb.cache, engine.inference.cached): the same KB as a fresh
load, keyed by the files' content before anything is parsed, rebuilt when stale, corrupt or
written by other code, atomic, and never a reason to fail."""

import json
import shutil
import subprocess
import sys

import pytest
from support import KB, run_triage

from engine.inference.cached import compiled_kb
from engine.kb import cache as kb_cache
from engine.kb.cache import Cache, load_clean_cached
from engine.kb.loader import load_clean


@pytest.fixture
def kb_copy(tmp_path):
    root = tmp_path / "kb"
    shutil.copytree(KB, root)
    return root


def entries(cache_dir):
    return sorted(p.name for p in cache_dir.glob("*.pickle"))


def test_a_cached_kb_is_the_kb_a_fresh_load_gives(tmp_path, kb_copy, monkeypatch):
    cache = Cache(tmp_path / "cache")
    first = load_clean_cached(kb_copy, cache)
    assert first == load_clean(kb_copy)
    assert len(entries(cache.directory)) == 1

    import engine.kb.loader as loader
    monkeypatch.setattr(loader, "load_clean", lambda *a: pytest.fail("parsed the KB again"))
    assert load_clean_cached(kb_copy, cache) == first


def test_an_edited_kb_gets_a_new_entry(tmp_path, kb_copy):
    cache = Cache(tmp_path / "cache")
    load_clean_cached(kb_copy, cache)
    path = next(kb_copy.rglob("pop3-user-connection-limit.md"))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: POP3 clients", "title: Edited POP3 clients", 1), encoding="utf-8")
    kb = load_clean_cached(kb_copy, cache)
    assert kb.entry("pop3-user-connection-limit").title.startswith("Edited POP3")
    assert len(entries(cache.directory)) == 2


@pytest.mark.parametrize("damage", ["truncate", "garbage", "other code", "empty"])
def test_a_damaged_or_foreign_entry_is_rebuilt(tmp_path, kb_copy, damage):
    cache = Cache(tmp_path / "cache")
    expected = load_clean_cached(kb_copy, cache)
    [path] = cache.directory.glob("*.pickle")
    data = path.read_bytes()
    path.write_bytes({"truncate": data[: len(data) // 2],
                      "garbage": data[:200] + b"\x00garbage" + data[300:],
                      "other code": b"0" * 64 + b"\n" + data.split(b"\n", 1)[1],
                      "empty": b""}[damage])
    fresh = Cache(cache.directory)
    assert load_clean_cached(kb_copy, fresh) == expected
    assert path.read_bytes() == data          # written again, whole


def test_the_stamp_names_the_code_and_python(monkeypatch):
    stamp = kb_cache.code_stamp()
    monkeypatch.setattr(sys, "version", sys.version + " (another build)")
    assert kb_cache.code_stamp() != stamp


def test_an_unwritable_cache_folder_is_not_an_error(tmp_path, kb_copy):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    cache = Cache(blocked / "cache")
    assert load_clean_cached(kb_copy, cache) == load_clean(kb_copy)
    with compiled_kb(kb_copy, cache) as compiled:
        assert compiled.kb.entry("pop3-user-connection-limit") is not None


def test_old_entries_are_pruned_and_leftover_temporary_files_removed(tmp_path, kb_copy):
    cache = Cache(tmp_path / "cache")
    cache.directory.mkdir(parents=True)
    for i in range(kb_cache.KEEP_FILES + 5):
        assert cache.put(f"key{i}", {"n": i})
    leftover = cache.directory / "tmp-crashed.tmp"
    leftover.write_bytes(b"half")
    import os
    os.utime(leftover, (0, 0))
    cache.put("last", 1)
    assert len(entries(cache.directory)) == kb_cache.KEEP_FILES
    assert not leftover.exists()
    assert cache.get("last") == 1


def test_the_cache_lives_in_xdg_cache_home_and_gives_the_same_diagnosis(tmp_path):
    args = ("diagnose", "--text", "POP3 users get UserConnectionLimitReached", "--json")
    env = {"XDG_CACHE_HOME": str(tmp_path / "xdg")}
    cold = run_triage(*args, env=env)
    assert cold.returncode == 0, cold.stderr
    assert len(entries(tmp_path / "xdg" / "triage" / "compiled")) == 1
    warm = run_triage(*args, env=env)
    assert json.loads(warm.stdout) == json.loads(cold.stdout)


def test_processes_sharing_the_cache_all_get_the_kb(tmp_path, kb_copy):
    """Four processes fill the same entry at once: each gets the KB, the folder ends with one
    whole entry and no temporary file."""
    code = ("import sys; from engine.kb.cache import Cache, load_clean_cached; "
            "from pathlib import Path; "
            "kb = load_clean_cached(sys.argv[1], Cache(Path(sys.argv[2]))); "
            "print(len(kb.entries))")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(kb_copy), str(tmp_path / "c")],
                              stdout=subprocess.PIPE, text=True) for _ in range(4)]
    counts = {p.communicate(timeout=120)[0].strip() for p in procs}
    assert len(counts) == 1 and int(counts.pop()) > 10
    assert len(entries(tmp_path / "c")) == 1
    assert not list((tmp_path / "c").glob("*.tmp"))
