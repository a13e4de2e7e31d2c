"""The fact vocabulary of a KB: which facts exist, who sets them, what values they take."""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.kb.models import KnowledgeBase
from engine.kb.patterns import placeholders


@dataclass
class FactInfo:
    name: str
    questions: list[str] = field(default_factory=list)
    signatures: list[str] = field(default_factory=list)
    derived: list[str] = field(default_factory=list)
    values: set[str] = field(default_factory=set)
    open_values: bool = False  # a number/text question, or a value taken from a capture
    numeric: bool = False

    @property
    def single_valued(self) -> bool:
        """Only an answer sets it: it holds one value at a time."""
        return bool(self.questions) and not self.signatures and not self.derived

    @property
    def setters(self) -> list[str]:
        return self.questions + self.signatures + self.derived


def vocabulary(kb: KnowledgeBase) -> dict[str, FactInfo]:
    facts: dict[str, FactInfo] = {}

    def info(name: str) -> FactInfo:
        return facts.setdefault(name, FactInfo(name))

    for question in kb.questions:
        fact = info(question.fact)
        fact.questions.append(question.id)
        if question.type in ("number", "text"):
            fact.open_values = True
            fact.numeric = fact.numeric or question.type == "number"
        else:
            fact.values.update(question.values())
    for signature in kb.signatures:
        for setting in signature.sets:
            fact = info(setting.fact)
            fact.signatures.append(signature.id)
            if placeholders(setting.value):
                fact.open_values = True
            else:
                fact.values.add(setting.value)
    for rule in kb.derived:
        fact = info(rule.conclusion.fact)
        fact.derived.append(rule.id)
        fact.values.add(rule.conclusion.value)
    return facts
