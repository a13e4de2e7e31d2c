"""Answers given on the command line that cannot all hold are refused in one line
(issue 13, item 8), and numbers no one can compare are refused, not a crash (item 4)."""

import pytest
from support import run_triage


def test_conflicting_answers_are_refused():
    result = run_triage("diagnose", "--answer", "product=imp", "--answer", "product=uccx")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == ("triage: --answer product is given twice with different values "
                             "('imp' and 'uccx'); give it once\n")


@pytest.mark.parametrize("value", ["1e400", "inf", "nan", "1" * 26])
def test_numbers_out_of_range_are_one_line(value):
    result = run_triage("diagnose", "--answer", "product=unity", "--answer",
                        f"unity.users={value}")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "unity.users takes a number" in result.stderr
