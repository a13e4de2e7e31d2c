"""Three-valued evaluation agrees with durable-rules on closed facts, and never claims more than
the facts allow while questions are still open."""

import itertools

import pytest
from test_rules_engine import FACT_VALUES, RULES, entry, holds, kb, rule

from engine.inference.rules import RuleEngine
from engine.inference.truth import FactView, Truth, evaluate, support


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


# --- the compiled evaluator computes what the definitions say -----------------------------
# truth.py compiles each condition into closures (inference evaluates the same conditions
# again and again). The reference below is the plain recursive definition it replaced.

from engine.inference.dnf import _same  # noqa: E402
from engine.inference.truth import Support, atom_truth, combine  # noqa: E402
from engine.kb.models import Atom  # noqa: E402

T, U, F = Truth.TRUE, Truth.UNKNOWN, Truth.FALSE


def ref_atom(atom, view):
    values = view.of(atom.fact)
    open_ = not values and view.is_open(atom.fact)
    op = atom.op
    if op == "known":
        return T if values else (U if open_ else F)
    if op == "unknown":
        return F if values else (U if open_ else T)
    if op in ("is_not", "not_one_of"):
        if any(_same(v, w) for v in values for w in atom.values):
            return F
        return T if values else (U if open_ else F)
    return T if any(ref_holds(atom, v) for v in values) else (U if open_ else F)


def ref_holds(atom, value):
    if atom.op in ("is", "one_of"):
        return any(_same(value, w) for w in atom.values)
    if atom.op == "contains":
        return atom.values[0].lower() in str(value).lower()
    try:
        number, limit = float(value), float(atom.number)
    except (TypeError, ValueError):
        return False
    return {"at_least": number >= limit, "at_most": number <= limit,
            "more_than": number > limit, "less_than": number < limit}[atom.op]


def ref_evaluate(condition, view):
    if isinstance(condition, Atom):
        return ref_atom(condition, view)
    return combine(condition, [ref_evaluate(item, view) for item in condition.items])


def ref_support(condition, view, positive=True):
    if isinstance(condition, Atom):
        truth = ref_atom(condition, view)
        truth = truth if positive else ~truth
        return Support(truth, 1 if truth is T else 0, 1)
    op = condition.op
    if op == "none":
        parts = [ref_support(item, view, not positive) for item in condition.items]
        return ref_all(parts) if positive else ref_any(parts)
    if op in ("at_least", "at_most"):
        parts = [ref_support(item, view) for item in condition.items]
        truth = combine(condition, [p.truth for p in parts])
        if not positive:
            truth = ~truth
        if op == "at_least" and positive:
            best = sorted(parts, key=lambda p: (p.truth.value, p.fraction), reverse=True)
            best = best[:max(condition.count or 0, 1)]
            return Support(truth, sum(p.met for p in best), sum(p.needed for p in best))
        return Support(truth, 1 if truth is T else 0, 1)
    parts = [ref_support(item, view, positive) for item in condition.items]
    return ref_all(parts) if (op == "all") == positive else ref_any(parts)


def ref_all(parts):
    truth = min((p.truth for p in parts), key=lambda t: t.value, default=T)
    return Support(truth, sum(p.met for p in parts), sum(p.needed for p in parts))


def ref_any(parts):
    if not parts:
        return Support(F, 0, 1)
    return max(parts, key=lambda p: (p.truth.value, p.fraction, -p.needed))


MORE_RULES = [
    "- a is one of x, y\n- b contains P\n- none of:\n  - c is known\n  - n is at least 7\n",
    "- at most 1 of:\n  - a is x\n  - not:\n    - b is not one of p, r\n  - n is 5\n",
    "- any of:\n  - at least 2 of:\n    - a is x\n    - b is q\n    - c is unknown\n"
    "  - n is less than 3\n",
    "- not:\n  - at least 1 of:\n    - a is y\n    - c is no\n- n is 5.0\n",
]


@pytest.mark.parametrize("markdown", RULES + MORE_RULES)
def test_compiled_evaluation_and_support_equal_the_definitions(markdown):
    condition = rule(markdown)
    for known, open_ in partial_views():
        for values in (known, {**known, "b": {"p", "r"}, "n": {"5", "x"}}):
            view = FactView({k: frozenset(v) for k, v in values.items()}, lambda n: n in open_)
            assert evaluate(condition, view) is ref_evaluate(condition, view), (markdown, values)
            for positive in (True, False):
                assert support(condition, view, positive) == \
                    ref_support(condition, view, positive), (markdown, values, positive)
            for atom in _atoms(condition):
                assert atom_truth(atom, view) is ref_atom(atom, view)


def _atoms(condition):
    if isinstance(condition, Atom):
        return [condition]
    return [a for item in condition.items for a in _atoms(item)]
