"""The durable-rules wrapper: each quirk we rely on is pinned here, and compiled rules fire
exactly when the KB condition holds (checked against a reference evaluator)."""

import contextlib
import itertools
import random

import durable.engine
import pytest
from bench.synthetic_kb import synthetic_kb  # tests/ is on sys.path (conftest)
from durable.engine import MessageNotHandledException, MessageObservedException
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.inference.derived import DerivedFacts
from engine.inference.rules import Limits, QuietHost, RuleEngine, RuleEngineError
from engine.kb.markdown import parse
from engine.kb.models import Atom, DerivedRule, Entry, FactSetting, KnowledgeBase
from engine.kb.rulelang import Problems, conjunction, parse_list


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
    host = QuietHost()
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
    host = QuietHost()
    host.register_rulesets({"quirk_swallow": {"r": {"all": [{"m": {"name": "a"}}], "run": boom}}})
    host.assert_fact("quirk_swallow", {"sid": "1", "name": "a", "value": 1})  # no exception


def test_quirk_default_host_starts_timer_threads_ours_does_not():
    assert durable.engine.Host._run is not QuietHost._run
    import threading
    before = threading.active_count()
    hosts = [QuietHost() for _ in range(20)]
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
        monkeypatch.setattr("engine.inference.ruleset._matched", broken)  # fails inside durable's call
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


# --- a KB too big for one durable ruleset: partitioned, gated, routed ------------------

@pytest.fixture(scope="module")
def big_kb():
    return synthetic_kb(products=20, per_product=250)          # 5,000 entries


@pytest.fixture(scope="module")
def big_engine(big_kb):
    with RuleEngine(big_kb) as engine:
        yield engine


@contextlib.contextmanager
def session(engine: RuleEngine, sid: str, facts: dict[str, set] | None = None):
    """An open session (closed afterwards whatever happens), given these facts."""
    engine.open(sid)
    try:
        for name, values in (facts or {}).items():
            for value in values:
                engine.assert_fact(sid, name, value)
        yield sid
    finally:
        engine.close_session(sid)


def closed_world(kb_, facts: dict[str, set]) -> dict[str, set]:
    """The facts plus every derived fact their derived rules conclude (closed world)."""
    view = DerivedFacts(kb_.derived).view({k: frozenset(v) for k, v in facts.items()},
                                          lambda name, view: False)
    return {k: set(v) for k, v in view.values.items()}


def test_the_real_kb_is_one_ruleset_opened_with_each_session(real_kb):
    with RuleEngine(real_kb.kb) as engine:
        assert [(r.gate, r.eager) for r in engine.rulesets()] == [(None, True)]
        engine.open("s")
        assert len(engine.opened("s")) == 1


def test_a_kb_of_5000_entries_compiles_into_rulesets_within_the_limits(big_kb, big_engine):
    infos = big_engine.rulesets()
    limits = big_engine.limits
    assert len(big_kb.entries) == 5000
    assert len(infos) > 1
    assert all(r.rules + 1 <= limits.rules and r.shared <= limits.shared
               and r.names <= limits.names for r in infos)
    # every entry rule is in exactly one ruleset; derived rules are copied where needed
    keys = [key for r in big_engine._rulesets for key in r._negatives]
    entry_keys = [key for key in keys if key.startswith("entry:")]
    assert len(entry_keys) == len(set(entry_keys)) == sum(r.entries for r in infos)
    assert len(set(keys)) == big_engine.rule_count
    # entries are grouped by product, then by symptom: each gated ruleset holds entries of
    # one product and a few of its symptoms, and is opened when both are known
    gates = [r.gate for r in infos if r.gate is not None]
    assert gates and all(len(g.values("product")) == 1 for g in gates)
    assert all(g.facts == {"product", f"{next(iter(g.values('product')))}.symptom"}
               for g in gates)
    assert sum(1 for r in infos if r.gate is None) <= 2


def test_facts_fire_the_right_entries_across_rulesets(big_kb, big_engine):
    rng = random.Random(7)
    questions = {q.id: q for q in big_kb.questions}
    for n, product in enumerate(["p1", "p7", "p13", "p20"]):
        facts = {"product": {product}, f"{product}.symptom": {f"s{rng.randint(1, 10)}"}}
        for qid, q in questions.items():
            if qid.startswith(f"{product}.q") or qid.startswith("p1.q"):
                facts[qid] = {rng.choice(q.values())}
        with session(big_engine, f"right{n}", facts) as sid:
            world = closed_world(big_kb, facts)
            expected = {e.id for e in big_kb.entries
                        if e.rule is not None and holds(e.rule, world)}
            fired = {f.conclusion for f in big_engine.firings(sid)
                     if f.rule.startswith("entry:")}
            assert fired == expected, product
            assert expected                       # the assignment does make something fire


def test_derived_chains_work_across_the_partition(big_kb, big_engine):
    """shared.degraded is concluded from p1.d2, itself from p1.d1 (p1's facts); entries of
    other products that need it are in other rulesets, which carry the chain with them."""
    needs_shared = [e for e in big_kb.entries if e.rule is not None and
                    "shared.degraded" in e.rule.text() and int(e.products[0][1:]) > 8]
    target = needs_shared[0]
    product = target.products[0]
    facts = {"product": {product}, "p1.q1": {"yes"}, "p1.q3": {"no"}}   # p1.d1, p1.d2
    atoms = [a for a in target.rule.items if hasattr(a, "fact") and a.fact != "shared.degraded"]
    for atom in atoms:
        facts.setdefault(atom.fact, set()).add(atom.values[0])
    with session(big_engine, "chain", facts) as sid:
        world = closed_world(big_kb, facts)
        assert world["shared.degraded"] == {"yes"}
        firings = big_engine.firings(sid)
        rules = [f.rule for f in firings]
        assert len(firings) == len(set(firings))                # each firing reported once
        assert ("derived:shared.degraded=yes", (("p1.d2", "yes"),)) in {(f.rule, f.facts)
                                                                       for f in firings}
        assert "derived:p1.d2=yes" in rules and "derived:p1.d1=yes" in rules
        expected = {e.id for e in big_kb.entries if e.rule is not None and holds(e.rule, world)}
        assert {f.conclusion for f in firings if f.rule.startswith("entry:")} == expected
        # taking p1.d1's input back (a changed answer replays) withdraws the whole chain
        big_engine.replay(sid, [(n, v) for n, vs in facts.items() for v in vs if n != "p1.q1"])
        assert "derived:shared.degraded=yes" not in {f.rule for f in big_engine.firings(sid)}


def test_a_gated_ruleset_is_opened_only_when_its_gate_matches(big_kb, big_engine):
    facts = {"product": ["p4", "p5"], "p5.symptom": ["s1"]}
    p5 = [r.name for r in big_engine.rulesets() if r.gate and r.gate.opens(facts)]
    others = [r.name for r in big_engine.rulesets() if r.gate and "p5" in r.gate.values("product")
              and r.name not in p5]
    assert p5 and others            # p5's rulesets for other symptoms stay closed
    details = {f"p5.q{q}": {"yes"} for q in range(1, 26)}
    with session(big_engine, "gated", {"p5.symptom": {"s1"}, **details}) as sid:
        assert not set(p5) & set(big_engine.opened(sid))
        big_engine.assert_fact(sid, "product", "p4")               # another product's gate
        assert not set(p5) & set(big_engine.opened(sid))
        before, opened = big_engine.activations, set(big_engine.opened(sid))
        fired = big_engine.assert_fact(sid, "product", "p5")
        assert set(big_engine.opened(sid)) - opened == set(p5)
        assert big_engine.activations - before == len(p5)
        assert not set(others) & set(big_engine.opened(sid))
        # the earlier facts were given to it: entries needing p5.symptom s1 fire now
        world = closed_world(big_kb, {"product": {"p4", "p5"}, "p5.symptom": {"s1"}, **details})
        expected = {e.id for e in big_kb.entries if e.rule is not None and holds(e.rule, world)}
        assert {f.conclusion for f in fired if f.rule.startswith("entry:")} == \
            {e for e in expected if e.startswith("p5-")}
        assert {f.conclusion for f in big_engine.firings(sid)
                if f.rule.startswith("entry:")} == expected


def test_a_session_opens_no_ruleset_until_a_fact_it_tests_arrives(big_engine):
    with session(big_engine, "lazy") as sid:
        assert big_engine.opened(sid) == []        # no rule of the KB fires on nothing
        big_engine.assert_fact(sid, "nobody.tests", "this")
        big_engine.assert_fact(sid, "p3.symptom", "s1")       # its gate needs the product
        assert big_engine.assert_fact(sid, "p3.q5", "yes") == []
        assert big_engine.opened(sid) == []
        fired = big_engine.assert_fact(sid, "p3.q1", "yes")     # derived rules: ungated
        assert [f.rule for f in fired] == ["derived:p3.d1=yes", "derived:p3.d2=yes",
                                           "derived:shared.degraded=yes"]
        assert [r.gate for r in big_engine.rulesets() if r.name in big_engine.opened(sid)] \
            == [None]


def test_many_sessions_open_and_close_on_a_partitioned_kb(big_engine):
    rng = random.Random(3)
    for i in range(300):
        sid = f"many{i}"
        big_engine.open(sid)
        product = f"p{rng.randint(1, 20)}"
        big_engine.assert_fact(sid, "product", product)
        big_engine.assert_fact(sid, f"{product}.symptom", f"s{rng.randint(1, 10)}")
        big_engine.assert_fact(sid, f"{product}.q{rng.randint(1, 25)}", "yes")
        if i % 3 == 0:
            big_engine.replay(sid, [("product", product)])
        big_engine.close_session(sid)
    assert big_engine._sessions == set()
    assert all(r._sessions == set() for r in big_engine._rulesets)


def partitioned_kb():
    """Every reference rule, each for two products, and derived rules over them: small
    enough to check exhaustively, split by tiny limits into gated and ungated rulesets."""
    entries = []
    for i, markdown in enumerate(RULES):
        for product in ("x", "y"):
            entries.append(entry(f"e{i}-{product}", f"- product is {product}\n" + markdown))
        entries.append(entry(f"e{i}-any", markdown))
    derived = [DerivedRule(conclusion=FactSetting(fact="d", value="yes", line=1),
                           condition=rule("- a is x\n- not:\n  - c is yes\n"), path="d.md", line=1),
               DerivedRule(conclusion=FactSetting(fact="e", value="yes", line=1),
                           condition=rule("- any of:\n  - d is yes\n  - b is r\n"), path="d.md",
                           line=1)]
    entries.append(entry("needs-e", "- product is y\n- e is yes\n"))
    entries.append(entry("z-only", "- product is z\n- a is x\n"))   # small groups: they
    entries.append(entry("w-only", "- product is w\n- b is p\n"))   # share one ruleset
    return kb(*entries, derived=derived)


TINY = Limits(rules=12, shared=6, names=8, tests_per_name=12, small=3, merge=6)


def test_tiny_limits_partition_the_reference_kb():
    with RuleEngine(partitioned_kb(), limits=TINY) as engine:
        infos = engine.rulesets()
        assert len(infos) > 3
        assert any(r.gate for r in infos) and any(r.eager for r in infos)
        assert any(r.gate and {"z", "w"} <= r.gate.values("product") for r in infos)
        assert all(r.rules + 1 <= TINY.rules and r.shared <= TINY.shared for r in infos)


@pytest.mark.parametrize("order", ["as-listed", "reversed"])
def test_a_partitioned_engine_fires_exactly_what_one_ruleset_fires(order):
    """Over every assignment (facts in both orders, so negations see late facts), the
    partitioned engine fires the same entries and derived facts as the reference."""
    kb_ = partitioned_kb()
    names = ["product", *FACT_VALUES]
    values = {"product": ["x", "y", "z"], **FACT_VALUES}
    with RuleEngine(kb_, limits=TINY) as engine:
        combos = itertools.product(*[[None, *values[n]] for n in names])
        for i, combo in enumerate(itertools.islice(combos, 0, None, 3)):
            assignment = {n: {v} for n, v in zip(names, combo) if v is not None}
            items = dict(assignment.items() if order == "as-listed"
                         else reversed(assignment.items()))
            with session(engine, f"p{i}", items) as sid:
                world = closed_world(kb_, assignment)
                expected = {e.id for e in kb_.entries if holds(e.rule, world)}
                firings = engine.firings(sid)
                assert {f.conclusion for f in firings
                        if f.rule.startswith("entry:")} == expected, assignment
                derived = [f.derived for f in firings if f.derived]
                assert {f"{n}={v}" for n, v in derived} == \
                    {f"{n}=yes" for n in ("d", "e") if "yes" in world.get(n, ())}
                assert len(firings) == len(set(firings))      # each firing reported once


# --- rulesets compiled when first needed, freed when idle ------------------------------

def _p5_facts() -> dict[str, set]:
    return {"product": {"p5"}, "p5.symptom": {"s1"}, **{f"p5.q{q}": {"yes"} for q in range(1, 26)}}


def test_a_ruleset_is_compiled_when_a_session_first_opens_in_it(big_kb):
    engine = RuleEngine(big_kb, keep_idle=0)
    try:
        assert engine.built() == []             # nothing of durable's before a session needs it
        with session(engine, "first", _p5_facts()) as sid:
            opened = engine.opened(sid)
            assert opened and sorted(engine.built()) == sorted(opened)
            first = engine.firings(sid)
        assert engine.built() == []             # idle, and no room kept for idle rulesets
        with session(engine, "again", _p5_facts()) as sid:   # compiled again: the same firings
            assert engine.firings(sid) == first and first
        assert all(r.builds == 2 for r in engine._rulesets if r.name in opened)
    finally:
        engine.close()


def test_idle_rulesets_are_kept_within_keep_idle_least_recently_used_freed_first(
        big_engine, monkeypatch):
    by_name = {r.name: r for r in big_engine._rulesets}
    with session(big_engine, "p5", _p5_facts()) as sid:
        p5 = big_engine.opened(sid)
    monkeypatch.setattr(big_engine, "keep_idle", sum(by_name[n].rule_count for n in p5))
    builds = {n: by_name[n].builds for n in p5}
    with session(big_engine, "p5 again", _p5_facts()):      # kept compiled: not built again
        assert {n: by_name[n].builds for n in p5} == builds
    with session(big_engine, "p9", {"product": {"p9"}, "p9.symptom": {"s2"}}) as sid:
        p9 = [n for n in big_engine.opened(sid) if by_name[n].gate]
        assert p9 and set(p5) <= set(big_engine.built())   # room while p9's are in use
    built = set(big_engine.built())
    assert set(p9) <= built and not set(p5) & built          # p5's were idle longest
    assert all(r.built or not r.in_use for r in big_engine._rulesets)


def test_replaying_a_session_does_not_compile_its_rulesets_again(big_engine, monkeypatch):
    monkeypatch.setattr(big_engine, "keep_idle", 0)
    by_name = {r.name: r for r in big_engine._rulesets}
    with session(big_engine, "replayed", _p5_facts()) as sid:
        builds = {n: by_name[n].builds for n in big_engine.opened(sid)}
        facts = [(n, v) for n, vs in _p5_facts().items() for v in vs if n != "p5.q1"]
        big_engine.replay(sid, facts)
        assert {n: by_name[n].builds for n in builds} == builds


def test_threads_sharing_an_engine_compile_and_free_rulesets_safely(big_engine, monkeypatch):
    """Sessions in several threads open, compile and free rulesets under the engine's lock:
    each gets the firings it gets alone."""
    import threading
    monkeypatch.setattr(big_engine, "keep_idle", 0)         # free every ruleset left idle
    products = ["p2", "p6", "p11", "p2"]
    alone = {}
    for product in set(products):
        facts = {"product": {product}, f"{product}.symptom": {"s3"},
                 **{f"{product}.q{q}": {"no"} for q in range(1, 26)}}
        with session(big_engine, f"alone-{product}", facts) as sid:
            alone[product] = {f.conclusion for f in big_engine.firings(sid)}
    got, errors = {}, []

    def work(n: int, product: str) -> None:
        try:
            for round_ in range(5):
                facts = {"product": {product}, f"{product}.symptom": {"s3"},
                         **{f"{product}.q{q}": {"no"} for q in range(1, 26)}}
                with session(big_engine, f"t{n}-{round_}", facts) as sid:
                    got[(n, round_)] = {f.conclusion for f in big_engine.firings(sid)}
        except BaseException as exc:          # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n, p)) for n, p in enumerate(products)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert all(got[(n, r)] == alone[p] for n, p in enumerate(products) for r in range(5))
    assert big_engine.built() == [] and big_engine._sessions == set()
