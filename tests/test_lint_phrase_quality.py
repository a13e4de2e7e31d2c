"""`triage lint` on phrases that read badly: one made only of words the phrases of many
questions use ("the account has a mailbox": in a ticket about anything else those two words
still occur close together, so it would answer its question), and one that spans two clauses
(the reader matches a phrase within one clause, so it could never be read whole)."""

import shutil
from pathlib import Path

import pytest

from support import run_triage

BASE = Path(__file__).parent / "fixtures" / "lint" / "base"
WORDS = Path(__file__).parent.parent / "kb" / "language" / "words.md"     # the stop words


def questions(generic: str) -> str:
    blocks = ["---\nkind: questions\ntitle: Accounts and mailboxes\n---\n"]
    for n in range(6):
        phrase = generic if n == 0 else f"service {n} account mailbox number {n} rule{n}"
        blocks.append(f"## mail.account-{n}\nIs account {n} set up?\n\n- type: yes/no\n"
                      f"- why: test\n- ask when: product is mail\n- phrases:\n"
                      f"  - yes: {phrase}\n")
    return "\n".join(blocks)


def lint_with(tmp_path: Path, generic: str):
    kb = tmp_path / "kb"
    shutil.copytree(BASE, kb)
    (kb / "language").mkdir()
    shutil.copy(WORDS, kb / "language" / "words.md")
    (kb / "questions" / "accounts.md").write_text(questions(generic), encoding="utf-8")
    return run_triage("lint", ".", cwd=kb)


@pytest.mark.parametrize("phrase, line", [
    ("the account has a mailbox",
     "questions/accounts.md:13: warning: phrase 'the account has a mailbox' has only words the "
     "phrases of many questions use (account, mailbox): it answers 'mail.account-0' in tickets "
     "about anything; add a word that belongs to this question"),
    # the reader never sees "renewed" and "not uploaded" in one clause: "but" ends it
    ("certificate renewed but not uploaded",
     "questions/accounts.md:13: phrase 'certificate renewed but not uploaded' is two clauses "
     "('certificate renewed' and 'not uploaded'): a ticket is read clause by clause (they end "
     "at . ! ? ; and 'but'), so it can never be read whole; write one phrase for each"),
])
def test_a_phrase_that_reads_badly_is_reported_at_its_line(tmp_path, phrase, line):
    result = lint_with(tmp_path, phrase)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert line in result.stdout.splitlines()


def test_a_word_that_belongs_to_the_question_makes_it_specific(tmp_path):
    result = lint_with(tmp_path, "the archive account has a mailbox")
    assert "warning: phrase" not in result.stdout


def lint_questions(tmp_path: Path, name: str, text: str) -> list[str]:
    """`triage lint` on the valid mini KB with one more questions file: its output lines."""
    kb = tmp_path / "kb"
    shutil.copytree(BASE, kb)
    (kb / "questions" / name).write_text(text, encoding="utf-8")
    result = run_triage("lint", ".", cwd=kb)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    return result.stdout.splitlines()


def test_a_narrower_answer_that_is_not_an_answer_is_reported_at_its_line(tmp_path):
    lines = lint_questions(
        tmp_path, "calendar.md",
        "---\nkind: questions\ntitle: Calendar\n---\n\n## cal.symptom\nWhat is wrong?\n\n"
        "- type: choice\n- choices:\n  - none: no status\n  - one-user: one user\n"
        "- why: test\n- ask when: product is mail\n- narrower:\n"
        "  - none: one-user; moved-user\n  - one-user: one-user\n")
    assert ("questions/calendar.md:16: 'moved-user' is not an answer of 'cal.symptom' "
            "(answers: none, one-user)") in lines
    assert "questions/calendar.md:17: 'one-user' cannot narrow itself" in lines


def test_an_if_unknown_that_is_not_an_answer_is_reported_at_its_line(tmp_path):
    lines = lint_questions(
        tmp_path, "fixes.md",
        "---\nkind: questions\ntitle: Fixes\n---\n\n## mail.limit-raised\nWas the limit "
        "raised already?\n\n- type: yes/no\n- why: test\n- if unknown: maybe\n"
        "- ask when: product is mail\n")
    assert ("questions/fixes.md:11: question 'mail.limit-raised': 'if unknown: maybe' is not "
            "one of its answers (yes, no)") in lines


def lint_with_cause(tmp_path, bullet: str):
    """`triage lint` on the test KB with the real words file, `bullet` added to its Causes no
    entry covers; the result and the bullet's line."""
    kb = tmp_path / "kb"
    shutil.copytree(BASE, kb)
    (kb / "language").mkdir()
    text = WORDS.read_text(encoding="utf-8").replace(
        "- transport rule;", f"{bullet}\n- transport rule;", 1)
    (kb / "language" / "words.md").write_text(text, encoding="utf-8")
    return run_triage("lint", ".", cwd=kb), text.splitlines().index(bullet) + 1


def test_a_cause_no_entry_covers_of_one_content_word_is_reported_at_its_line(tmp_path):
    # "still has the old password" is "password" once the stop words are out: every ticket
    # that names a password would name a cause no entry covers
    result, line_no = lint_with_cause(tmp_path, "- still has the old password")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert (f"language/words.md:{line_no}: cause 'still has the old password' has 1 content "
            f"word once stop words are left out (password): every ticket that says it would "
            f"name a cause no entry covers; say what is wrong in two words or more"
            in result.stdout.splitlines())


def test_a_cause_for_a_product_that_does_not_exist_is_reported_at_its_line(tmp_path):
    result, line_no = lint_with_cause(tmp_path, "- for mail, voip: moved to Exchange Online")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    errors = [line for line in result.stdout.splitlines()
              if line.startswith(f"language/words.md:{line_no}:")]
    assert errors == [f"language/words.md:{line_no}: 'for voip:' is not a product (the answers "
                      f"of 'product': mail, voice)"]
