"""Lint of kb/probes.md: what each probe map checks, sets and reads must exist."""

from __future__ import annotations

from engine.kb.models import Diagnostic, KnowledgeBase
from engine.kb.vocabulary import vocabulary
from engine.probes.catalog import is_observation

PREFIXES = {"tls": ("tls.",), "http": ("http.", "tls."), "port": ("port.",), "imap": ("imap.",),
            "pop3": ("pop3.",), "smtp": ("smtp.",), "dns": ("dns.",), "rtt": ("rtt.",)}


def check_probe_maps(kb: KnowledgeBase) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    questions = {q.id: q for q in kb.questions}
    facts = vocabulary(kb)
    for probe in kb.probes:
        def bad(line: int, message: str) -> None:
            found.append(Diagnostic(path=probe.path, line=line, message=message))

        for qid in probe.checks:
            if qid not in questions:
                bad(probe.line, f"probe map '{probe.title}' checks unknown question '{qid}'")
        if not probe.sets:
            bad(probe.line, f"probe map '{probe.title}' sets nothing ('- sets:' lines)")
        for setting in probe.sets:
            question = questions.get(setting.fact)
            if question is None:
                info = facts.get(setting.fact)
                if info is None:
                    bad(setting.line, f"'{setting.fact}' is no fact of the KB (a question, or "
                                      f"a fact a signature sets)")
                elif not info.open_values and setting.value not in info.values:
                    bad(setting.line, f"'{setting.value}' is not a value of '{setting.fact}' "
                                      f"(values: {', '.join(sorted(info.values))})")
                continue
            if setting.value.startswith("{"):
                name = setting.value.strip("{}")
                if question.type != "number":
                    bad(setting.line, f"'{setting.fact}' is a {question.type} question: copy "
                                      f"an observation only into a number question")
                elif not _readable(probe.probe, name):
                    bad(setting.line, f"probe '{probe.probe}' reports no '{name}'")
            elif question.type in ("yes/no", "choice") and \
                    setting.value not in question.values():
                bad(setting.line, f"'{setting.value}' is not an answer of '{setting.fact}' "
                                  f"(answers: {', '.join(question.values())})")
            if setting.when is not None and setting.when.fact != "error" \
                    and not _readable(probe.probe, setting.when.fact):
                bad(setting.line, f"probe '{probe.probe}' reports no '{setting.when.fact}'")
    return found


def _readable(kind: str, name: str) -> bool:
    return name.startswith(PREFIXES.get(kind, ())) and is_observation(name)
