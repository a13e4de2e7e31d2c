"""The rule language read from markdown: every form of condition, and its problems."""

import pytest

from engine.kb.markdown import parse
from engine.kb.models import Atom, Group
from engine.kb.rulelang import Problems, conjunction, parse_atom, parse_list, split_values


def read(markdown: str):
    problems = Problems()
    tree = parse(markdown)
    rule = conjunction(parse_list(tree.children[0], problems), 1)
    return rule, problems.items


@pytest.mark.parametrize("text, expected", [
    ("product is tmsxe", Atom(fact="product", op="is", values=("tmsxe",), line=3)),
    ("`product` is `tmsxe`", Atom(fact="product", op="is", values=("tmsxe",), line=3)),
    ("mail.stuck is not yes", Atom(fact="mail.stuck", op="is_not", values=("yes",), line=3)),
    ("product is one of unity, imp", Atom(fact="product", op="one_of", values=("unity", "imp"), line=3)),
    ("product is not one of unity, imp",
     Atom(fact="product", op="not_one_of", values=("unity", "imp"), line=3)),
    ('imp.release is "8.5(1)"', Atom(fact="imp.release", op="is", values=("8.5(1)",), line=3)),
    ('os is one of "Windows Server 2008", 2012',
     Atom(fact="os", op="one_of", values=("Windows Server 2008", "2012"), line=3)),
    ("unity.users is at least 2000", Atom(fact="unity.users", op="at_least", number=2000, line=3)),
    ("unity.users is at most 2000", Atom(fact="unity.users", op="at_most", number=2000, line=3)),
    ("unity.rtt-ms is more than 80", Atom(fact="unity.rtt-ms", op="more_than", number=80, line=3)),
    ("unity.rtt-ms is less than 80.5", Atom(fact="unity.rtt-ms", op="less_than", number=80.5, line=3)),
    ("event.text contains nvarchar", Atom(fact="event.text", op="contains", values=("nvarchar",), line=3)),
    ("product is known", Atom(fact="product", op="known", line=3)),
    ("product is unknown", Atom(fact="product", op="unknown", line=3)),
])
def test_atoms(text, expected):
    problems = Problems()
    assert parse_atom(text, 3, problems) == expected
    assert problems.items == []


def test_top_level_bullets_are_joined_by_and_and_groups_nest():
    rule, problems = read(
        "- product is uccx\n"
        "- any of:\n"
        "  - uccx.imap-auth-failed is yes\n"
        "  - not:\n"
        "    - uccx.telnet-143 is no\n"
        "- at least 2 of:\n"
        "  - a is yes\n"
        "  - b is yes\n"
        "  - c is yes\n")
    assert problems == []
    assert rule == Group(op="all", line=1, items=(
        Atom(fact="product", op="is", values=("uccx",), line=1),
        Group(op="any", line=2, items=(
            Atom(fact="uccx.imap-auth-failed", op="is", values=("yes",), line=3),
            Group(op="none", line=4, items=(
                Atom(fact="uccx.telnet-143", op="is", values=("no",), line=5),)),
        )),
        Group(op="at_least", count=2, line=6, items=(
            Atom(fact="a", op="is", values=("yes",), line=7),
            Atom(fact="b", op="is", values=("yes",), line=8),
            Atom(fact="c", op="is", values=("yes",), line=9),
        )),
    ))


def test_a_single_bullet_is_the_rule_itself():
    rule, problems = read("- product is scom\n")
    assert rule == Atom(fact="product", op="is", values=("scom",), line=1)


@pytest.mark.parametrize("markdown, message", [
    ("- product equals mail\n", "not a condition: 'product equals mail'"),
    ("- any of:\n", "group 'any of:' needs a nested list of conditions"),
    ("- product is a, b\n", "condition 'product is a, b' has 2 values; use 'is one of' for a list"),
    ("- product is mail\n  - x is y\n", "'product is mail' has a nested list but is not a group"),
    ("- at least 3 of:\n  - a is b\n  - c is d\n", "'at least 3 of:' asks for 3 of only 2 conditions"),
])
def test_problems_name_the_line(markdown, message):
    _, problems = read(markdown)
    assert problems and problems[0][0] == 1
    assert problems[0][1].startswith(message)


def test_text_round_trips():
    atom = Atom(fact="os", op="one_of", values=("Windows Server 2008", "2012"))
    problems = Problems()
    assert parse_atom(atom.text(), 1, problems) == Atom(fact="os", op="one_of",
                                                         values=("Windows Server 2008", "2012"), line=1)


def test_split_values():
    assert split_values('a, "b, c", d') == ("a", "b, c", "d")
    assert split_values('"unclosed') is None
