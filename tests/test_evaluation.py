"""The engine on tickets it was not written for (tests/evaluation.py). The figures are printed
with every run; the floors below only catch a regression, the targets are in the issue tracker
and the closing notes."""

import pytest
from evaluation import single_shot, tickets
from support import KB

from engine.inference import CompiledKB
from engine.kb import load_clean


@pytest.fixture(scope="module")
def compiled():
    with CompiledKB(load_clean(KB)) as built:
        yield built


@pytest.mark.parametrize("name, floor", [("dev", (0.90, 0.95, 0.60)),
                                         ("blind", (0.88, 0.90, 0.40))])
def test_single_shot_on_tickets_never_seen(compiled, capsys, name, floor):
    result = single_shot(compiled, tickets(name))
    with capsys.disabled():
        print("\n" + result.line(name))
    assert result.in_scope >= 45 and result.out_of_scope >= 15
    assert result.top1 / result.in_scope >= floor[0]
    assert result.top3 / result.in_scope >= floor[1]
    assert result.no_match / result.out_of_scope >= floor[2]
