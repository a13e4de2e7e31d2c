"""KB search: exact codes, stems and prefixes, "did you mean", the cached index (rebuilt when the
KB changes, replaced atomically, in memory when the cache is unusable), any input is safe, and
`triage search` per the command line contract."""

import json
import os
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import KB, run_triage

from engine.kb.loader import load_kb
from engine.kb.models import Entry, KnowledgeBase
from engine.search.build import build, file_uri, publish
from engine.search.documents import content_hash, documents
from engine.search.index import SearchIndex, SearchResults
from engine.search.query import parse_query
from engine.text.lexicon import Lexicon
from engine.text.tokens import analyze


def entry(entry_id: str, title: str, body: str = "", **fields) -> Entry:
    return Entry(id=entry_id, title=title, kind=fields.pop("kind", "diagnosis"), area="demo",
                 products=("Exchange Server 2016",), source="test", path=f"{entry_id}.md",
                 body=body, **fields)


def small_kb(*entries: Entry) -> KnowledgeBase:
    return KnowledgeBase(root="test", entries=entries)


DEMO = small_kb(
    entry("dns-queue", "Queue shows 451 4.4.0 DNS query failed",
          "## Cause\nTransport's own DNS lookup fails for the next hop.",
          aliases=("Set-TransportServer -ExternalDNSServers",)),
    entry("table-counts", "Counter table", "## Notes\nThe columns read 4 4 0 and then 451 rows."),
    entry("dag-start", "Start-DatabaseAvailabilityGroup fails",
          "## Cause\nAddClusterNode() failed with 0x35, the network path was not found."),
    entry("spaced-hex", "Spaced numbers", "## Notes\nThe log shows 0 x 35 between the fields."),
    entry("imap-uid", "IMAP log shows UidCorruptionDetected",
          "## Fix\n1. Repair it:\n   ```powershell\n   New-MailboxRepairRequest -Mailbox <m> "
          "-CorruptionType ImapID\n   ```", symptoms=("The application keeps connecting again",)),
    entry("pop-limit", "POP3 stalls", "## Fix\n```powershell\nSet-POPSettings "
          "-MaxConnectionsPerUser 32\n```", aliases=("mailbox statistics report",)),
)


@pytest.fixture
def demo(tmp_path):
    with SearchIndex.open(DEMO, cache_dir=tmp_path) as index:
        yield index


@pytest.fixture(scope="module")
def real_index(tmp_path_factory):
    with SearchIndex.open(load_kb(KB).kb, cache_dir=tmp_path_factory.mktemp("cache")) as index:
        yield index


def ids(results: SearchResults) -> list[str]:
    return [hit.id for hit in results.results]


# --- matching ---------------------------------------------------------------------------

def test_dotted_code_is_one_token_and_matches_exactly(demo):
    assert ids(demo.search("4.4.0")) == ["dns-queue"]
    assert ids(demo.search("451 4.4.0"))[0] == "dns-queue"
    assert [t.form for t in analyze("failed 4.4.0.")] == ["fail", "4.4.0"]


def test_hex_value_is_one_token(demo):
    assert [(t.form, t.kind) for t in analyze("failed with 0x35,")] == \
        [("fail", "word"), ("with", "word"), ("0x35", "code")]
    assert ids(demo.search("0x35")) == ["dag-start"]


def test_cmdlets_and_parameters_match_exactly_and_by_their_words(demo):
    assert ids(demo.search("Set-POPSettings")) == ["pop-limit"]
    assert ids(demo.search("-MaxConnectionsPerUser")) == ["pop-limit"]
    assert ids(demo.search("Set-TransportServer -ExternalDNSServers")) == ["dns-queue"]
    assert "imap-uid" in ids(demo.search("repair request"))


def test_words_match_by_stem(demo):
    assert ids(demo.search("connections")) == ["imap-uid"]
    assert ids(demo.search("statistic reports")) == ["pop-limit"]


def test_last_word_is_a_prefix(demo):
    assert ids(demo.search("UidCorr")) == ["imap-uid"]
    assert ids(demo.search("Set-POPSett")) == ["pop-limit"]
    assert ids(demo.search("statisti")) == ["pop-limit"]   # longer than the stem 'statist'
    finished = demo.search("UidCorr ")                     # a finished word is no prefix ...
    assert finished.suggestion == "UidCorruptionDetected"  # ... but may be a typo


def test_did_you_mean_for_a_typo(real_index):
    results = real_index.search("UidCorruptoin")
    assert results.suggestion == "UidCorruptionDetected"
    assert ids(results)[0] == "imap-uid-corruption"
    assert real_index.search("UidCorruptionDetected").suggestion is None


def test_snippet_highlights_what_matched(demo):
    hit = demo.search("0x35").results[0]
    assert hit.field == "body"
    assert [hit.snippet[s:e] for s, e in hit.highlights] == ["0x35"]
    hit = demo.search("451 4.4.0").results[0]
    assert [hit.snippet[s:e] for s, e in hit.highlights] == ["451", "4.4.0"]
    assert (hit.id, hit.title, hit.kind, hit.area) == \
        ("dns-queue", "Queue shows 451 4.4.0 DNS query failed", "diagnosis", "demo")


def test_scores_are_best_first_and_limit_holds(real_index):
    results = real_index.search("certificate", limit=4)
    scores = [hit.score for hit in results.results]
    assert len(scores) == 4 and scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("query", ["", "   ", "()", "*", "a", '"', "-", "::"])
def test_nothing_to_search_for_gives_no_results(demo, query):
    assert demo.search(query).results == []


def test_an_empty_kb_finds_nothing(tmp_path):
    with SearchIndex.open(small_kb(), cache_dir=tmp_path) as index:
        assert index.search("0x35").results == [] and index.search("mailbx").results == []


def test_operators_are_plain_words():
    stop = Lexicon.build([], ["not", "or"])
    assert [t.text for t in parse_query('NOT "4.4.0" OR (Set-POPSettings*)', stop)] == \
        ["4.4.0", "Set-POPSettings"]


# --- any input is safe ------------------------------------------------------------------

FTS_SYNTAX = st.sampled_from(['"', "'", "(", ")", "*", ":", "^", "-", "+", "AND", "OR", "NOT",
                              "NEAR", "NEAR(", "{", "}", "\x00", "\\", ";", " ", "\n", "é", "ß",
                              "İ", "\u2028", "\ufeff", "🙂", "0x35", "4.4.0", "Set-", "title:"])


@settings(max_examples=400, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.one_of(st.text(max_size=200),
                       st.lists(FTS_SYNTAX | st.text(max_size=8), max_size=30).map("".join)))
def test_no_query_raises(real_index, query):
    results = real_index.search(query, limit=5)
    assert len(results.results) <= 5
    for hit in results.results:
        assert all(0 <= s < e <= len(hit.snippet) for s, e in hit.highlights)


def test_very_long_and_binary_queries(real_index):
    assert isinstance(real_index.search("imap " * 200_000), SearchResults)
    assert isinstance(real_index.search("\x00\x01\x02" * 1000 + "0x35"), SearchResults)
    assert isinstance(real_index.search("x" * 100_000), SearchResults)


# --- the cached index -------------------------------------------------------------------

def test_index_is_reused_for_the_same_content(tmp_path, monkeypatch):
    first = SearchIndex.open(DEMO, cache_dir=tmp_path)
    first.close()
    monkeypatch.setattr("engine.search.build.build", lambda *a: pytest.fail("rebuilt"))
    with SearchIndex.open(DEMO, cache_dir=tmp_path) as second:
        assert second.image.path == first.image.path
        assert ids(second.search("0x35")) == ["dag-start"]


def test_rebuilt_when_the_kb_changes(tmp_path):
    kb_dir = tmp_path / "kb"
    shutil.copytree(KB, kb_dir)
    cache = tmp_path / "cache"
    old = SearchIndex.open(load_kb(kb_dir).kb, cache_dir=cache)
    assert old.search("frobnicated").results == []
    path = kb_dir / "client-protocols" / "pop3-user-connection-limit.md"
    path.write_text(path.read_text().replace(
        "## Symptoms\n", "## Symptoms\n- The mail client says the mailbox is frobnicated.\n"))
    with SearchIndex.open(load_kb(kb_dir).kb, cache_dir=cache) as new:
        assert new.image.path != old.image.path
        assert ids(new.search("frobnicated")) == ["pop3-user-connection-limit"]
        assert old.search("frobnicated").results == []      # the old index still answers
        assert ids(old.search("0x35")) == ["dag-start-network-path-not-found"]
    old.close()


def test_replaced_atomically_while_readers_read(tmp_path):
    index = SearchIndex.open(DEMO, cache_dir=tmp_path)
    path = index.image.path
    other = small_kb(entry("other", "Something else entirely"))
    images = [build(documents(kb), content_hash(kb)) for kb in (other, DEMO)]
    errors: list[BaseException] = []
    done = threading.Event()

    def read():
        while not done.is_set():
            try:
                conn = sqlite3.connect(file_uri(path), uri=True)
                conn.execute("SELECT count(*) FROM entries_fts WHERE entries_fts MATCH "
                             "'\"0x35\" OR \"else\"'").fetchone()
                conn.close()
            except BaseException as exc:  # a half-written file would show up here
                errors.append(exc)

    readers = [threading.Thread(target=read) for _ in range(2)]
    for reader in readers:
        reader.start()
    try:
        for round_ in range(20):
            publish(images[round_ % 2], path)
            assert ids(index.search("0x35")) == ["dag-start"]  # holds the file it opened
    finally:
        done.set()
        for reader in readers:
            reader.join()
    index.close()
    assert errors == []
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".sqlite"]  # no temporary left


def test_search_from_other_threads(demo):
    found = []
    for _ in range(5):  # a worker thread per search, as the search screen does
        worker = threading.Thread(target=lambda: found.append(ids(demo.search("0x35"))))
        worker.start()
        worker.join()
    assert found == [["dag-start"]] * 5 and ids(demo.search("0x35")) == ["dag-start"]
    assert len(demo._connections) == 2  # this thread's and the last worker's: no more


def test_unusable_cache_falls_back_to_memory(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    with SearchIndex.open(DEMO, cache_dir=blocker / "cache") as index:
        assert index.image.path is None
        assert index.warning and "in-memory" in index.warning and "\n" not in index.warning
        assert ids(index.search("0x35")) == ["dag-start"]


def test_corrupt_index_file_is_rebuilt(tmp_path):
    with SearchIndex.open(DEMO, cache_dir=tmp_path) as index:
        path = index.image.path
    path.write_bytes(b"not an index" * 100)
    with SearchIndex.open(DEMO, cache_dir=tmp_path) as index:
        assert index.warning is None and index.image.path == path
        assert ids(index.search("0x35")) == ["dag-start"]


def test_old_indexes_and_leftovers_are_pruned(tmp_path):
    for i in range(12):
        old = tmp_path / f"search-{i:024d}.sqlite"
        old.write_bytes(b"")
        os.utime(old, (1_000_000 + i, 1_000_000 + i))
    (tmp_path / "search-crashed.tmp").write_bytes(b"")
    os.utime(tmp_path / "search-crashed.tmp", (1_000_000, 1_000_000))
    with SearchIndex.open(DEMO, cache_dir=tmp_path) as index:
        kept = sorted(p.name for p in tmp_path.iterdir())
    assert len(kept) == 8 and index.image.path.name in kept
    assert f"search-{11:024d}.sqlite" in kept and f"search-{0:024d}.sqlite" not in kept


def test_default_cache_dir_follows_xdg(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    with SearchIndex.open(DEMO) as index:
        assert index.image.path.parent == tmp_path / "triage"


# --- the command line -------------------------------------------------------------------

def search_cli(tmp_path: Path, *args: str):
    return run_triage("search", *args, env={"XDG_CACHE_HOME": str(tmp_path)})


def test_cli_json_shape(tmp_path):
    result = search_cli(tmp_path, "451", "4.4.0", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["results"][0]["id"] == "transport-451-dns-query-failed"
    for row in data["results"]:
        assert {"id", "title", "score", "snippet"} <= set(row)
    scores = [row["score"] for row in data["results"]]
    assert scores == sorted(scores, reverse=True)


def test_cli_limit_and_human_output(tmp_path):
    result = search_cli(tmp_path, "certificate", "--limit", "2", "--json")
    assert len(json.loads(result.stdout)["results"]) == 2
    result = search_cli(tmp_path, "UidCorruptoin")
    assert result.returncode == 0, result.stderr
    assert "did you mean: UidCorruptionDetected?" in result.stdout
    assert "imap-uid-corruption" in result.stdout


def test_cli_no_match_is_exit_1_with_one_line(tmp_path):
    result = search_cli(tmp_path, "qqqzzzxxx")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.startswith("triage: no entries match 'qqqzzzxxx'")
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize("limit", ["0", "-3", "ten"])
def test_cli_bad_limit(tmp_path, limit):
    result = search_cli(tmp_path, "0x35", "--limit", limit)
    assert result.returncode == 2
    assert "--limit" in result.stderr and "Traceback" not in result.stderr


def test_cli_help_and_docs(tmp_path):
    result = search_cli(tmp_path, "--help")
    assert result.returncode == 0 and "--kb" in result.stdout and "--limit" in result.stdout
    guide = (Path(__file__).parent.parent / "docs" / "user-guide.md").read_text()
    assert "triage search" in guide


def test_cli_cache_unusable_still_searches(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = run_triage("search", "0x35", env={"XDG_CACHE_HOME": str(blocker)})
    assert result.returncode == 0
    assert "dag-start-network-path-not-found" in result.stdout
    assert result.stderr.startswith("triage: warning:") and result.stderr.count("\n") == 1
    assert os.path.isfile(blocker)
