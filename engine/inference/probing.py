"""Probe results as interview facts: the KB's probe maps (kb/probes.md) say which observation
answers which question. A fact from a probe has source `probe`: what was contacted, when, and
what was seen; like what the ticket says, a caller's answer to the same question outranks it."""

from __future__ import annotations

from engine.inference.answers import parse_number
from engine.inference.derived import DerivedFacts
from engine.inference.facts import Fact, Source
from engine.inference.truth import FactView, Truth, atom_truth
from engine.kb.models import KnowledgeBase, ProbeMap, ProbeSetting
from engine.probes import ProbeResult


def maps_for(kb: KnowledgeBase, kind: str) -> list[ProbeMap]:
    return [m for m in kb.probes if m.probe == kind]


def maps_checking(kb: KnowledgeBase, question_id: str) -> list[ProbeMap]:
    """The probe maps offered on a question ("check it")."""
    return [m for m in kb.probes if question_id in m.checks]


def probe_facts(result: ProbeResult, maps: list[ProbeMap]) -> list[Fact]:
    """The facts the maps draw from one probe's observations: per fact, the first line of a
    map that holds."""
    values: dict[str, frozenset[str]] = {}
    for observation in result.observations:
        values.setdefault(observation.name, frozenset({_text(observation.value)}))
    if result.error_reason:
        values["error"] = frozenset({result.error_reason})
    view = FactView(values, lambda name: False)
    facts: list[Fact] = []
    done: set[str] = set()
    for probe_map in maps:
        if probe_map.probe != result.kind:
            continue
        for setting in probe_map.sets:
            if setting.fact in done:
                continue
            value, seen = _value(setting, view, result)
            if value is None:
                continue
            done.add(setting.fact)
            source = Source("probe", f"{result.kind} {result.target}", line=result.started,
                            words=seen)
            facts.append(Fact(setting.fact, value, source))
    return facts


def _value(setting: ProbeSetting, view: FactView, result: ProbeResult
           ) -> tuple[str | None, str]:
    if setting.value.startswith("{"):
        name = setting.value.strip("{}")
        observed = result.value(name)
        number = parse_number(str(observed)) if observed is not None else None
        if number is None:
            return None, ""
        return f"{number:g}", f"{name} = {observed}"
    if setting.when is None or atom_truth(setting.when, view) is not Truth.TRUE:
        return None, ""
    name = setting.when.fact
    if name == "error":
        return setting.value, f"failed: {result.error or result.error_reason}"
    observed = result.value(name)
    detail = next((o.detail for o in result.observations if o.name == name and o.detail), "")
    return setting.value, f"{name} = {observed}" + (f" ({detail})" if detail else "")


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def probe_conclusions(kb: KnowledgeBase, result: ProbeResult) -> list[Fact]:
    """The probe's facts and what the KB's derived rules conclude from them alone (`tls.error
    is name-mismatch` -> `cert.host-name-covered is no`): what `triage probe --json` reports."""
    facts = probe_facts(result, maps_for(kb, result.kind))
    values: dict[str, frozenset[str]] = {}
    for fact in facts:
        values[fact.name] = values.get(fact.name, frozenset()) | {fact.value}
    derived = DerivedFacts(kb.derived)
    view = derived.view(values, lambda name, view: False)
    for name in derived.by_fact:
        for value in sorted(view.of(name) - values.get(name, frozenset())):
            used = tuple((f.name, f.value) for f in facts)
            facts.append(Fact(name, value, Source("rule", f"derived:{name}={value}",
                                                  facts=used)))
    return facts
