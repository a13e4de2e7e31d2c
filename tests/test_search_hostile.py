"""Search on hostile or odd input (issue 13, items 5 and 8): snippets cost work in proportion to
the matches (a 1 MB entry body full of matches no longer takes seconds), a query of stop words
only returns nothing with a clear message, and `Straße`, `STRASSE` and `strasse` are one word."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import run_triage

from engine.kb.models import Entry, KnowledgeBase
from engine.search import snippet as snippet_module
from engine.search.index import SearchIndex
from engine.text.tokens import analyze, fold


def entry(entry_id: str, title: str, body: str = "", **fields) -> Entry:
    return Entry(id=entry_id, title=title, kind="diagnosis", area="demo",
                 products=("Exchange Server 2016",), source="test", path=f"{entry_id}.md",
                 body=body, **fields)


def reference_window_start(found, width):
    """The definition the snippet follows (quadratic): the match that begins the stretch of
    `width - LEAD` characters holding the most distinct terms, the first such."""
    best_start, best_score = found[0][0], -1
    for s, _, _ in found:
        covered = {i for s2, e2, i in found if s <= s2 and e2 <= s + width - snippet_module.LEAD}
        if len(covered) > best_score:
            best_start, best_score = s, len(covered)
    return max(0, best_start - snippet_module.LEAD)


matches = st.lists(st.tuples(st.integers(0, 2000), st.integers(1, 30), st.integers(0, 4)),
                   min_size=1, max_size=60).map(
    lambda items: sorted((s, s + length, term) for s, length, term in items))


@settings(max_examples=300, derandomize=True, deadline=None)
@given(matches, st.integers(60, 400))
def test_the_window_is_the_one_the_definition_gives(found, width):
    assert snippet_module._window_start(found, width) == reference_window_start(found, width)


class CountingList(list):
    """A list that counts how often it is walked through."""

    walks = 0

    def __iter__(self):
        type(self).walks += 1
        return super().__iter__()


def test_the_window_walks_the_matches_a_fixed_number_of_times():
    rng = random.Random(13)
    position, found = 0, []
    for _ in range(20_000):                     # a 1 MB body with 20,000 matches
        position += rng.randint(1, 80)
        found.append((position, position + 5, rng.randint(0, 3)))
    CountingList.walks = 0
    snippet_module._window_start(CountingList(found), 160)
    assert CountingList.walks <= 3              # was once per match: 20,001


def test_a_huge_body_full_of_matches_gives_a_snippet(tmp_path):
    body = "## Notes\n" + "mailbox repair request " * 40_000       # ~0.9 MB
    kb = KnowledgeBase(root="test", entries=(entry("huge", "Huge entry", body),
                                             entry("small", "Mailbox repair", "## Notes\nx")))
    with SearchIndex.open(kb, cache_dir=tmp_path) as index:
        results = index.search("mailbox repair request")
    assert {hit.id for hit in results.results} == {"huge", "small"}
    huge = next(hit for hit in results.results if hit.id == "huge")
    assert "mailbox repair request" in huge.snippet.lower()


# --- stop words ---------------------------------------------------------------------------

def test_a_query_of_stop_words_only_finds_nothing_and_says_why():
    result = run_triage("search", "the and of")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == ("triage: 'the and of' holds only common words (the, and, of): "
                             "add a word for the problem, a code or a cmdlet\n")
    data = run_triage("search", "the and of", "--json")
    assert data.returncode == 1 and '"results": []' in data.stdout


# --- folding ------------------------------------------------------------------------------

@pytest.mark.parametrize("text, folded", [("Straße", "strasse"), ("STRASSE", "strasse"),
                                          ("Ｅｘｃｈａｎｇｅ", "exchange"), ("café", "cafe"),
                                          ("ﬁle", "file"), ("İstanbul", "istanbul")])
def test_fold_is_casefold_and_compatibility_forms(text, folded):
    assert fold(text) == folded


def test_strasse_is_found_however_it_is_written(tmp_path):
    kb = KnowledgeBase(root="test", entries=(
        entry("german-address", "Postfach mit Straße im Anzeigenamen",
              "## Notes\nDie Adresse Hauptstraße 1 wird nicht gefunden."),
        entry("other", "Nothing German", "## Notes\nplain text")))
    with SearchIndex.open(kb, cache_dir=tmp_path) as index:
        for query in ("Straße", "strasse", "STRASSE", "hauptstrasse", "Hauptstraße"):
            assert [hit.id for hit in index.search(query).results] == ["german-address"], query
    assert [t.surface for t in analyze("Straße")] == ["strasse"]
