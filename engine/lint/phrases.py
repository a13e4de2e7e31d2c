"""Lint of what reads the ticket: question phrases and units (kb/questions/*.md)."""

from __future__ import annotations

from engine.kb.models import PRODUCT, Diagnostic, KnowledgeBase
from engine.text.lexicon import Lexicon
from engine.text.lines import clauses


COMMON_SHARE = 10            # a word in the phrases of this share (%) of the questions is common
COMMON_AT_LEAST = 6          # ... and of at least this many questions
GENERIC_MAX_WORDS = 2        # a phrase of this many words or fewer, all of them common, is generic


def common_words(kb: KnowledgeBase, lexicon: Lexicon) -> set[str]:
    """The words (stemmed forms) that the phrases of many questions use: "account", "mailbox",
    "server", "fails". Two of them together occur in tickets about anything."""
    users: dict[str, set[str]] = {}
    for question in kb.questions:
        for phrase in question.phrases:
            for term in lexicon.terms(phrase.text):
                users.setdefault(term.form, set()).add(question.id)
    least = max(COMMON_AT_LEAST, len(kb.questions) * COMMON_SHARE // 100)
    return {form for form, questions in users.items() if len(questions) >= least}


def check_phrases(kb: KnowledgeBase) -> list[Diagnostic]:
    lexicon = Lexicon.of(kb)
    found: list[Diagnostic] = []
    seen: dict[tuple[str, ...], tuple[str, str, str, int]] = {}
    common = common_words(kb, lexicon)
    for question in kb.questions:
        def bad(line: int, message: str) -> None:
            found.append(Diagnostic(path=question.path, line=line, message=message))

        if question.phrases and question.type not in ("yes/no", "choice"):
            bad(question.phrases[0].line, f"question '{question.id}' is a {question.type} "
                "question: it reads numbers with 'units in text', not phrases")
        if question.units_in_text and question.type != "number":
            bad(question.line, f"'units in text' is for number questions; '{question.id}' is "
                               f"a {question.type} question")
        values = set(question.values())
        for phrase in question.phrases:
            if phrase.value not in values:
                bad(phrase.line, f"'{phrase.value}' is not an answer of '{question.id}' "
                                 f"(answers: {', '.join(sorted(values))})")
                continue
            parts = [phrase.text[a:b] for a, b, _ in clauses(phrase.text)
                     if lexicon.terms(phrase.text[a:b])]
            if len(parts) > 1:
                bad(phrase.line, f"phrase '{phrase.text}' is two clauses ('{parts[0].strip()}' "
                                 f"and '{parts[1].strip()}'): a ticket is read clause by clause "
                                 f"(they end at . ! ? ; and 'but'), so it can never be read "
                                 f"whole; write one phrase for each")
                continue
            terms = lexicon.terms(phrase.text)
            key = tuple(t.form for t in terms)
            if not key:
                bad(phrase.line, f"phrase '{phrase.text}' has only stop words: it can never "
                                 f"be read")
                continue
            forms = set(key)
            if len(forms) <= GENERIC_MAX_WORDS and forms <= common:
                found.append(Diagnostic(
                    path=question.path, line=phrase.line, severity="warning",
                    message=f"phrase '{phrase.text}' has only words the phrases of many "
                            f"questions use ({', '.join(t.surface for t in terms)}): it answers "
                            f"'{question.id}' in tickets about anything; add a word that "
                            f"belongs to this question"))
            other = seen.get(key)
            if other and other[:2] != (question.id, phrase.value):
                bad(phrase.line, f"phrase '{phrase.text}' reads the same as '{other[2]}' "
                                 f"({other[0]} = {other[1]}, line {other[3]})")
            seen.setdefault(key, (question.id, phrase.value, phrase.text, phrase.line))
        for narrowing in question.narrowings:
            if question.type != "choice":
                bad(narrowing.line, f"'narrower' is for choice questions; '{question.id}' is "
                                    f"a {question.type} question")
                break
            for value in (narrowing.general, *narrowing.narrower):
                if value not in values:
                    bad(narrowing.line, f"'{value}' is not an answer of '{question.id}' "
                                        f"(answers: {', '.join(sorted(values))})")
            if narrowing.general in narrowing.narrower:
                bad(narrowing.line, f"'{narrowing.general}' cannot narrow itself")
        for unit in question.units_in_text:
            if not lexicon.terms(unit):
                bad(question.line, f"unit '{unit}' has only stop words: it can never be read")
    products = {c.value for q in kb.questions if q.id == PRODUCT for c in q.choices}
    for words in kb.words:
        for phrase in words.outside:
            for product in phrase.products:
                if product not in products:
                    found.append(Diagnostic(
                        path=words.path, line=phrase.line,
                        message=f"'for {product}:' is not a product (the answers of "
                                f"'{PRODUCT}': {', '.join(sorted(products))})"))
            forms = {t.form: t.surface for t in lexicon.terms(phrase.text)}
            if len(forms) < 2:
                found.append(Diagnostic(
                    path=words.path, line=phrase.line,
                    message=f"cause '{phrase.text}' has {len(forms) or 'no'} content word"
                            f"{'' if len(forms) == 1 else 's'} once stop words are left out "
                            f"({', '.join(forms.values()) or '-'}): every ticket that says it "
                            f"would name a cause no entry covers; say what is wrong in two "
                            f"words or more"))
    return found
