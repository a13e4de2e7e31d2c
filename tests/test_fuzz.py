"""Property tests of the parts that read strangers' text (issue 13, item 10): the evidence
reader, the rule-language parser and redaction, driven by hypothesis with fixed seeds
(`derandomize`: the same inputs every run, so CI cannot flake) for a few seconds each. The
same targets run for longer, with new inputs, under tests/fuzz/run.py (README there)."""

import codecs

from fuzz import targets
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FIXED = settings(max_examples=150, derandomize=True, deadline=None, database=None,
                 suppress_health_check=[HealthCheck.too_slow])

LOG_PIECES = ["UidCorruptionDetected", "error 0x8004", "done", "\r\n", "\n", "\r", " ", "é",
              "\x00", "\ufeff", "Ω", "\t", "ERROR 0XFF", "x" * 50]
log_text = st.lists(st.one_of(st.sampled_from(LOG_PIECES), st.text(max_size=5)),
                    max_size=40).map("".join)


@st.composite
def evidence_bytes(draw) -> bytes:
    text = draw(log_text)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be",
                                     "cp1252"]))
    data = text.encode(encoding, "replace")
    if draw(st.booleans()):
        cut = draw(st.integers(0, len(data)))
        data = data[:cut]                       # cut anywhere, even inside a character
    return data


@FIXED
@given(st.one_of(evidence_bytes(), st.binary(max_size=600)), st.integers(1, 9))
def test_the_evidence_reader_counts_every_line_and_finds_hits_on_them(data, chunk):
    targets.scan_bytes(data, chunk)


rule_pieces = ["product is uccx", "any of:", "all of:", "not:", "at least 2 of:", "  - ",
               "    - ", "x.y is more than 1e400", "a is one of \"b, c\", d", "is is is",
               "\n", "`", "\"", "none of:", "unity.users is at least 99999999999999999999"]
rules = st.lists(st.one_of(st.sampled_from(rule_pieces), st.text(max_size=8)),
                 max_size=25).map("".join)


@FIXED
@given(st.one_of(rules.map(str.encode), st.binary(max_size=300)))
def test_the_rule_parser_never_raises_and_names_lines(data):
    targets.parse_rules(data)


@FIXED
@given(st.one_of(st.binary(max_size=400), st.text(max_size=200).map(str.encode),
                 st.text(max_size=200).map(lambda t: codecs.BOM_UTF16_LE
                                           + t.encode("utf-16-le", "surrogatepass"))))
def test_redaction_is_idempotent_and_masks_every_known_form(data):
    targets.redact_text(data)
