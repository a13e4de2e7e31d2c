"""The durable-rules wrapper: each quirk we rely on is pinned here, and compiled rules fire
exactly when the KB condition holds (checked against a reference evaluator)."""

import itertools

import durable.engine
import pytest
from durable.engine import MessageNotHandledException, MessageObservedException
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.markdown import parse
from engine.models import Atom, DerivedRule, Entry, FactSetting, KnowledgeBase
from engine.rules import RuleEngine, RuleEngineError, _QuietHost
from engine.rulelang import Problems, conjunction, parse_list


def rule(markdown: str):
    problems = Problems()
    condition = conjunction(parse_list(parse(markdown).children[0], problems), 1)
    assert problems.items == []
    return condition


def entry(entry_id: str, markdown: str) -> Entry:
    return Entry(id=entry_id, title=entry_id, kind="diagnosis", area="demo", products=("x",),
                 source="s.txt", path=f"{entry_id}.md", rule=rule(markdown))


def kb(*entries: Entry, derived=()) -> KnowledgeBase:
    return KnowledgeBase(root="mem", entries=entries, derived=tuple(derived))


# --- durable-rules itself: the quirks the wrapper exists for -------------------------

def raw_host(name: str):
    host = _QuietHost()
    host.register_rulesets({name: {"r": {"all": [{"m": {"name": "a"}}], "run": lambda c: None}}})
    return host


def test_quirk_a_fact_no_rule_tests_raises_and_is_not_stored():
    host = raw_host("quirk_unhandled")
    with pytest.raises(MessageNotHandledException):
        host.assert_fact("quirk_unhandled", {"sid": "1", "name": "b", "value": 1})
    host.assert_fact("quirk_unhandled", {"sid": "1", "name": "a", "value": 1})
    assert [f["name"] for f in host.get_facts("quirk_unhandled", "1")] == ["a"]


def test_quirk_the_same_fact_twice_raises():
    host = raw_host("quirk_duplicate")
    host.assert_fact("quirk_duplicate", {"sid": "1", "name": "a", "value": 1})
    with pytest.raises(MessageObservedException):
        host.assert_fact("quirk_duplicate", {"sid": "1", "name": "a", "value": 1})


def test_quirk_a_ruleset_name_registers_once_per_host():
    host = raw_host("quirk_name")
    with pytest.raises(Exception, match="already registered"):
        host.register_rulesets({"quirk_name": {"r": {"all": [{"m": {"name": "a"}}],
                                                     "run": lambda c: None}}})


def test_quirk_exceptions_inside_actions_are_swallowed():
    def boom(c):
        raise ValueError("inside the action")
    host = _QuietHost()
    host.register_rulesets({"quirk_swallow": {"r": {"all": [{"m": {"name": "a"}}], "run": boom}}})
    host.assert_fact("quirk_swallow", {"sid": "1", "name": "a", "value": 1})  # no exception


def test_quirk_default_host_starts_timer_threads_ours_does_not():
    assert durable.engine.Host._run is not _QuietHost._run
    import threading
    before = threading.active_count()
    hosts = [_QuietHost() for _ in range(20)]
    assert threading.active_count() == before
    del hosts


# --- the wrapper ---------------------------------------------------------------------

def test_wrapper_treats_unhandled_and_duplicate_facts_as_no_ops():
    with RuleEngine(kb(entry("e", "- a is yes\n"))) as engine:
        engine.open("s")
        assert engine.assert_fact("s", "unrelated", "x") == []
        fired = engine.assert_fact("s", "a", "yes")
        assert [f.conclusion for f in fired] == ["e"]
        assert engine.assert_fact("s", "a", "yes") == []


def test_wrapper_reraises_an_action_error(monkeypatch):
    def broken(c):
        raise ValueError("broken action")
    with RuleEngine(kb(entry("e", "- a is yes\n"))) as engine:
        engine.open("s")
        monkeypatch.setattr("engine.rules._matched", broken)  # fails inside durable's call
        with pytest.raises(RuleEngineError, match="broken action"):
            engine.assert_fact("s", "a", "yes")


def test_sessions_and_engines_do_not_interfere():
    first = RuleEngine(kb(entry("e", "- a is yes\n")))
    second = RuleEngine(kb(entry("e", "- a is no\n")))  # same ids, another KB, same process
    try:
        for engine in (first, second):
            engine.open("s1")
            engine.open("s2")
        assert [f.conclusion for f in first.assert_fact("s1", "a", "yes")] == ["e"]
        assert first.firings("s2") == []
        assert second.assert_fact("s1", "a", "yes") == []
        assert [f.conclusion for f in second.assert_fact("s2", "a", "no")] == ["e"]
    finally:
        first.close()
        second.close()


def test_many_sessions_open_and_close_without_crashing():
    with RuleEngine(kb(entry("e", "- a is yes\n- b is no\n"))) as engine:
        for i in range(300):
            sid = f"s{i}"
            engine.open(sid)
            if i % 2:
                engine.assert_fact(sid, "a", "yes")
            engine.close_session(sid)
        assert engine._sessions == set()


def test_derived_facts_chain_forward_with_their_support():
    derived = [DerivedRule(conclusion=FactSetting(fact="cert.trusted", value="no", line=1),
                           condition=rule("- any of:\n  - tls.error is untrusted\n  - gw is bad\n"),
                           path="d.md", line=1)]
    with RuleEngine(kb(entry("cert-problem", "- product is unity\n- cert.trusted is no\n"),
                       derived=derived)) as engine:
        engine.open("s")
        engine.assert_fact("s", "product", "unity")
        fired = engine.assert_fact("s", "tls.error", "untrusted")
        assert [(f.rule, f.facts) for f in fired] == [
            ("derived:cert.trusted=no", (("tls.error", "untrusted"),)),
            ("entry:cert-problem", (("product", "unity"), ("cert.trusted", "no"))),
        ]


# --- compiled conditions fire exactly when the condition holds -----------------------

def holds(condition, facts: dict[str, set]) -> bool:
    """Reference semantics, closed world (an absent fact is unknown)."""
    if isinstance(condition, Atom):
        values = facts.get(condition.fact, set())
        op = condition.op
        if op == "known":
            return bool(values)
        if op == "unknown":
            return not values
        if op == "is":
            return condition.values[0] in values
        if op == "one_of":
            return bool(values & set(condition.values))
        if op == "is_not":
            return bool(values) and condition.values[0] not in values
        if op == "not_one_of":
            return bool(values) and not values & set(condition.values)
        nums = [v for v in values if isinstance(v, (int, float))]
        n = condition.number
        test = {"at_least": lambda v: v >= n, "at_most": lambda v: v <= n,
                "more_than": lambda v: v > n, "less_than": lambda v: v < n}[op]
        return any(test(v) for v in nums)
    results = [holds(item, facts) for item in condition.items]
    if condition.op == "all":
        return all(results)
    if condition.op == "any":
        return any(results)
    if condition.op == "none":
        return not any(results)
    if condition.op == "at_least":
        return sum(results) >= condition.count
    return sum(results) <= condition.count


RULES = [
    "- a is x\n- b is one of p, q\n",
    "- any of:\n  - a is x\n  - b is p\n- not:\n  - c is yes\n",
    "- a is not x\n- c is unknown\n",
    "- b is not one of p, q\n- a is known\n",
    "- n is more than 5\n- n is at most 9\n",
    "- at least 2 of:\n  - a is x\n  - b is p\n  - c is yes\n",
    "- at most 1 of:\n  - a is x\n  - b is p\n  - c is yes\n",
    "- none of:\n  - a is not x\n  - n is less than 3\n",
    "- not:\n  - all of:\n    - a is x\n    - any of:\n      - b is q\n      - c is yes\n",
]
FACT_VALUES = {"a": ["x", "y"], "b": ["p", "q", "r"], "c": ["yes", "no"], "n": [1, 5, 7, 9, 12]}


@pytest.mark.parametrize("markdown", RULES)
def test_compiled_rule_fires_exactly_when_condition_holds(markdown):
    condition = rule(markdown)
    with RuleEngine(kb(entry("e", markdown))) as engine:
        for i, assignment in enumerate(_assignments()):
            sid = f"s{i}"
            engine.open(sid)
            for name, values in assignment.items():
                for value in values:
                    engine.assert_fact(sid, name, value)
            fired = any(f.conclusion == "e" for f in engine.firings(sid))
            assert fired == holds(condition, assignment), (markdown, assignment)
            engine.close_session(sid)


def _assignments():
    """Every fact absent or holding one value (and a few two-valued cases)."""
    names = list(FACT_VALUES)
    for combo in itertools.product(*[[None, *FACT_VALUES[n]] for n in names]):
        yield {n: {v} for n, v in zip(names, combo) if v is not None}
    yield {"a": {"x", "y"}, "b": {"p", "r"}}


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(RULES), min_size=1, max_size=4))
def test_a_kb_of_many_rules_compiles_and_each_fires_independently(markdowns):
    entries = [entry(f"e{i}", m) for i, m in enumerate(markdowns)]
    with RuleEngine(kb(*entries)) as engine:
        engine.open("s")
        engine.assert_fact("s", "a", "x")
        engine.assert_fact("s", "b", "p")
        fired = {f.conclusion for f in engine.firings("s")}
        expected = {f"e{i}" for i, m in enumerate(markdowns)
                    if holds(rule(m), {"a": {"x"}, "b": {"p"}})}
        assert fired == expected


def test_a_later_fact_withdraws_a_firing_and_its_derived_conclusion():
    """durable does no truth maintenance: the wrapper withdraws what a new fact contradicts."""
    derived = [DerivedRule(conclusion=FactSetting(fact="x", value="yes", line=1),
                           condition=rule("- a is p\n- not:\n  - b is q\n"), path="d.md", line=1)]
    with RuleEngine(kb(entry("needs-x", "- x is yes\n"), derived=derived)) as engine:
        engine.open("s")
        engine.assert_fact("s", "a", "p")
        assert {f.conclusion for f in engine.firings("s")} == {"x=yes", "needs-x"}
        engine.assert_fact("s", "b", "q")
        assert engine.firings("s") == []
        assert {f["name"] for f in engine.facts("s")} == {"a", "b"}


def test_replay_rebuilds_the_session_after_an_answer_changes():
    with RuleEngine(kb(entry("e", "- a is yes\n- b is no\n"))) as engine:
        engine.open("s")
        engine.assert_fact("s", "a", "yes")
        engine.assert_fact("s", "b", "no")
        assert [f.conclusion for f in engine.firings("s")] == ["e"]
        assert engine.replay("s", [("a", "yes"), ("b", "yes")]) == []
        assert [f.conclusion for f in engine.replay("s", [("b", "no"), ("a", "yes")])] == ["e"]
