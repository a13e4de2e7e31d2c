"""What a person reads from a search (issue 16): a relevance in words, the words of the query
each result holds and lacks, "matched nothing for" a word no entry holds, snippets that keep
to one field, headers that fit the terminal without cutting an id, a hint to start an
interview for a symptom, and options after `--` taken as options."""

import json
from pathlib import Path

import pytest
from support import KB, run_triage

from engine.kb.loader import load_kb
from engine.kb.models import Entry, KnowledgeBase
from engine.search.index import SearchIndex
from engine.search.results import relevance


def entry(entry_id: str, title: str, body: str = "", **fields) -> Entry:
    return Entry(id=entry_id, title=title, kind="diagnosis", area="demo",
                 products=("Exchange Server 2016",), source="test", path=f"{entry_id}.md",
                 body=body, **fields)


DEMO = KnowledgeBase(root="test", entries=(
    entry("queue-dns", "Queue shows 451 4.4.0 DNS query failed",
          "## Cause\nThe transport service cannot resolve the next hop.",
          aliases=("remote queue retry", "DNS lookup of the smart host fails"),
          tags=("transport", "dns", "queue")),
    entry("queue-size", "Submission queue grows", "## Notes\nThe event log shows event 15004.",
          aliases=("messages pile up in the submission queue",), tags=("transport", "queue")),
))


@pytest.fixture
def demo(tmp_path):
    with SearchIndex.open(DEMO, cache_dir=tmp_path) as index:
        yield index


def search_cli(tmp_path: Path, *args: str, columns: int = 80):
    return run_triage("search", *args, env={"XDG_CACHE_HOME": str(tmp_path),
                                            "COLUMNS": str(columns)})


# --- the engine ---------------------------------------------------------------------------

def test_relevance_in_words():
    naming, body = frozenset({"aliases"}), frozenset({"body"})
    assert relevance((naming, frozenset({"title", "body"}))) == "strong"
    assert relevance((naming, body)) == "partial"              # every word, one in passing
    assert relevance((naming, naming, frozenset())) == "partial"   # more than half
    assert relevance((naming, frozenset())) == "weak"          # half or fewer
    assert relevance(()) == "weak"


def test_each_hit_names_the_words_it_holds_and_lacks(demo):
    results = demo.search("queue dns retry")
    assert results.words == ("queue", "dns", "retry")
    assert results.unmatched == ()
    first, second = results.results
    assert (first.id, first.relevance, first.matched, first.unmatched) == \
        ("queue-dns", "strong", ("queue", "dns", "retry"), ())
    assert (second.id, second.relevance, second.matched, second.unmatched) == \
        ("queue-size", "weak", ("queue",), ("dns", "retry"))


def test_a_word_no_entry_holds_is_named_once(demo):
    results = demo.search("event 1025")
    assert results.unmatched == ("1025",)
    assert [(h.id, h.matched, h.unmatched, h.relevance) for h in results.results] == \
        [("queue-size", ("event",), ("1025",), "weak")]


def test_a_snippet_keeps_to_one_field_and_shows_the_matching_items(demo):
    hit = demo.search("smart host").results[0]
    assert (hit.field, hit.snippet) == ("aliases", "DNS lookup of the smart host fails")
    hit = demo.search("transport").results[0]             # only in the tags
    assert (hit.field, hit.snippet) == ("tags", "transport")
    assert [hit.snippet[s:e] for s, e in hit.highlights] == ["transport"]


def test_symptom_queries_are_told_from_lookups(demo):
    assert demo.search("messages pile up in the queue").symptom          # plain words
    assert not demo.search("451 4.4.0 queue").symptom                     # a code
    assert not demo.search("queue dns").symptom                           # two words


def test_json_keeps_the_contract_and_adds_the_reading(tmp_path):
    result = search_cli(tmp_path, "event", "1025", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["unmatched"] == ["1025"] and data["words"] == ["event", "1025"]
    assert data["hint"] is None
    for row in data["results"]:
        assert {"id", "title", "score", "snippet", "relevance", "matched", "unmatched",
                "field"} <= set(row)
        assert (row["matched"], row["unmatched"], row["relevance"]) == \
            (["event"], ["1025"], "weak")


# --- the command line, as a person reads it -----------------------------------------------

def test_matched_nothing_for_a_word_no_entry_holds(tmp_path):
    result = search_cli(tmp_path, "event", "1025")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "matched nothing for '1025'; these results match the other words"
    assert "score" not in result.stdout                      # no raw bm25 figures
    assert " weak · " in lines[1]


def test_each_result_says_which_words_it_lacks(tmp_path):
    # ("intermittently" would count: the KB's synonyms make it the symptoms' "sometimes")
    result = search_cli(tmp_path, "single", "inbox", "not", "syncing", "weekends")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "unity-um-scale-latency  partial · diagnosis · unity" in out
    assert "3 of 4 words: single, inbox, syncing; not: weekends" in out


def test_a_symptom_gets_a_hint_to_start_an_interview(tmp_path):
    result = search_cli(tmp_path, "single inbox not syncing")
    lines = result.stdout.splitlines()
    assert lines[-2:] == ["this reads like a symptom; an interview asks what tells these apart:",
                          "  triage diagnose --text 'single inbox not syncing'"]
    data = json.loads(search_cli(tmp_path, "single inbox not syncing", "--json").stdout)
    assert data["hint"].endswith("triage diagnose --text 'single inbox not syncing'")
    assert "reads like a symptom" not in search_cli(tmp_path, "0x35").stdout


def test_options_after_a_double_dash_are_options(tmp_path):
    result = search_cli(tmp_path, "--", "-MaxConnectionsPerUser", "--limit", "1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith(" 1. pop3-user-connection-limit  ")
    assert "1 result ·" in result.stdout
    data = json.loads(search_cli(tmp_path, "--", "-MaxConnectionsPerUser", "--json",
                                 "--limit=2").stdout)
    assert len(data["results"]) == 2 and data["words"] == ["MaxConnectionsPerUser"]
    # and without the double dash: a word that starts with '-' is a word
    data = json.loads(search_cli(tmp_path, "Set-POPSettings", "-MaxConnectionsPerUser",
                                 "--json").stdout)
    assert data["words"] == ["Set-POPSettings", "MaxConnectionsPerUser"]
    assert data["results"][0]["id"] == "pop3-user-connection-limit"


def test_an_unknown_option_is_refused_not_searched_for(tmp_path):
    result = search_cli(tmp_path, "0x35", "--jsn")
    assert result.returncode == 2 and "--jsn" in result.stderr
    result = search_cli(tmp_path, "0x35", "--limit")
    assert result.returncode == 2 and "--limit" in result.stderr


@pytest.mark.parametrize("columns", [40, 80, 200])
def test_headers_fit_the_terminal_and_never_cut_an_id(tmp_path, columns):
    result = search_cli(tmp_path, "certificate", "--limit", "30", columns=columns)
    assert result.returncode == 0, result.stderr
    kb_ids = {e.id for e in load_kb(KB).kb.entries}
    shown = [line.split(". ", 1)[1].split()[0] for line in result.stdout.splitlines()
             if line[:4].strip().rstrip(".").isdigit()]
    assert len(shown) > 10 and set(shown) <= kb_ids
    for line in result.stdout.splitlines():
        assert len(line) <= max(columns, 4 + max(map(len, kb_ids))), line
        assert not line.endswith(" "), line


def test_no_entry_shows_its_title_twice(real_kb, tmp_path):
    """IM and Presence entries have an alias equal to their title (the gateway's status line):
    the entry's meta lines and its search snippets do not show it again."""
    from engine.render.documents import meta

    kb = real_kb.kb
    for entry in kb.entries:
        assert not any(entry.title in line for line in meta(entry, kb).lines), entry.id
    with SearchIndex.open(kb, cache_dir=tmp_path) as index:
        for entry in kb.entries:
            for hit in index.search(entry.title, limit=3).results:
                if hit.field != "title":
                    assert hit.title not in hit.snippet.split(" · "), (entry.id, hit.id)
