"""The ticket text as weak evidence, on the real KB: callers' words for the same symptom meet,
codes stay whole, and words every entry uses count for little."""

import pytest

from engine.text.lexicon import Lexicon
from engine.text.similarity import TextMatcher
from engine.text.similarity import terms as kb_terms


@pytest.fixture(scope="module")
def lexicon(real_kb):
    return Lexicon.of(real_kb.kb)


@pytest.fixture
def terms(lexicon):
    return lambda text: kb_terms(text, lexicon)


def test_callers_words_for_the_same_symptom_meet(terms):
    assert terms("voicemails arrive late") == terms("voicemail appears slowly")
    assert terms("the email tab hangs") == terms("the email tab is stuck")
    assert terms("store.exe crashes") == terms("store.exe dies")
    assert terms("the server is unreachable") != terms("the server is late")   # not widened


def test_codes_stay_whole(terms):
    assert "4.4.0" in terms("451 4.4.0 DNS query failed")
    assert "0x35" in terms("failed with 0x35")
    assert "set-imapsettings" in terms("ran Set-ImapSettings")


@pytest.fixture(scope="module")
def matcher(real_kb):
    return TextMatcher(real_kb.kb)


def test_a_symptom_in_other_words_still_finds_its_entry(matcher):
    scores = matcher.score("voice messages take ages to land in Outlook once we passed 3000 users")
    best = sorted(scores.values(), key=lambda s: -s.score)[:3]
    assert "unity-um-scale-latency" in [s.entry for s in best]


def test_common_words_weigh_little(matcher):
    scores = matcher.score("Exchange server")
    assert max(s.score for s in scores.values()) < 0.1


def test_the_phrases_of_the_answers_an_entry_needs_describe_it(real_kb, matcher):
    # "database rebalancing" is in no entry's symptoms, only in the phrases that answer
    # mailbox.moved-recently = yes, which the moved-mailbox entries need
    text = "they were part of the Exchange database rebalancing"
    scores = matcher.score(text)
    needing = {e.id for e in real_kb.kb.entries
               if "mailbox.moved-recently" in str(e.rule) and "rebalanc" not in
               " ".join(e.symptoms).lower()}
    assert needing and needing <= set(scores)
    assert max(scores, key=lambda e: scores[e].score) in needing
