"""Three-valued evaluation agrees with durable-rules on closed facts, and never claims more than
the facts allow while questions are still open."""

import itertools

import pytest

from engine.rules import RuleEngine
from engine.truth import FactView, Truth, evaluate, support
from test_rules_engine import FACT_VALUES, RULES, entry, holds, kb, rule


def closed(assignment) -> FactView:
    return FactView({k: frozenset(v) for k, v in assignment.items()}, lambda name: False)


def partial_views():
    """Every split of the facts into known (one value), closed-empty and open."""
    names = list(FACT_VALUES)
    for states in itertools.product(*[["open", "none", *FACT_VALUES[n]] for n in names]):
        known = {n: {s} for n, s in zip(names, states) if s not in ("open", "none")}
        open_ = {n for n, s in zip(names, states) if s == "open"}
        yield known, open_


def completions(known, open_):
    open_ = sorted(open_)
    for combo in itertools.product(*[[None, *FACT_VALUES[n]] for n in open_]):
        full = {k: set(v) for k, v in known.items()}
        full.update({n: {v} for n, v in zip(open_, combo) if v is not None})
        yield full


@pytest.mark.parametrize("markdown", RULES)
def test_on_closed_facts_true_means_durable_fires(markdown):
    condition = rule(markdown)
    with RuleEngine(kb(entry("e", markdown))) as engine:
        names = list(FACT_VALUES)
        for i, combo in enumerate(itertools.product(*[[None, *FACT_VALUES[n]] for n in names])):
            assignment = {n: {v} for n, v in zip(names, combo) if v is not None}
            sid = f"s{i}"
            engine.open(sid)
            for name, values in assignment.items():
                for value in values:
                    engine.assert_fact(sid, name, value)
            fired = any(f.conclusion == "e" for f in engine.firings(sid))
            truth = evaluate(condition, closed(assignment))
            assert (truth is Truth.TRUE) == fired, (markdown, assignment)
            assert truth is not Truth.UNKNOWN
            engine.close_session(sid)


@pytest.mark.parametrize("markdown", RULES)
def test_true_and_false_are_settled_whatever_open_facts_turn_out_to_be(markdown):
    condition = rule(markdown)
    for known, open_ in partial_views():
        view = FactView({k: frozenset(v) for k, v in known.items()}, lambda n: n in open_)
        truth = evaluate(condition, view)
        outcomes = {holds(condition, full) for full in completions(known, open_)}
        if truth is Truth.TRUE:
            assert outcomes == {True}, (markdown, known, open_)
        elif truth is Truth.FALSE:
            assert outcomes == {False}, (markdown, known, open_)


def test_support_counts_the_tests_met_on_the_best_alternative():
    condition = rule("- a is x\n- any of:\n  - b is p\n  - all of:\n    - c is yes\n    - n is more than 5\n")
    view = FactView({"a": frozenset({"x"}), "c": frozenset({"yes"})}, lambda n: True)
    result = support(condition, view)
    assert result.truth is Truth.UNKNOWN
    assert (result.met, result.needed) == (2, 3)      # a is x, c is yes; n still open
    assert support(condition, closed({"a": {"y"}})).truth is Truth.FALSE
