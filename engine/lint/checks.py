"""`triage lint`: every problem in a KB as `path:line: message`.

The loader reports what is wrong inside one file; the checks here need the whole KB:
duplicate ids, references to things that do not exist, facts nothing can set, rules that can
never fire, questions nobody needs, unsafe or non-matching patterns.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from pathlib import Path

from engine.inference.dnf import MAX_CONJUNCTS, TooComplex, dnf
from engine.kb.loader import load_kb
from engine.kb.models import Atom, Condition, Diagnostic, KnowledgeBase
from engine.kb.patterns import capture_names, compile_signature, placeholders
from engine.kb.rulelang import atoms
from engine.kb.vocabulary import FactInfo, vocabulary
from engine.lint.cautions import check_cautions
from engine.lint.phrases import check_phrases
from engine.lint.placeholders import check_placeholders
from engine.lint.probemaps import check_probe_maps
from engine.lint.satisfiable import contradiction
from engine.text.lexicon import member_forms

# Ordinary lines any log has: a signature that matches one of them is too broad.
NOISE = (
    "2024-03-11 09:12:44,310 INFO  Service started successfully",
    "Log Name:      Application",
    "Level:         Information",
    "#Fields: dateTime,sessionId,seqNumber,sIP,cIP,user,duration,rqsize,rpsize,command,parameters,context",
    "Get-Mailbox | Format-List Name,Database",
    "The operation completed successfully.",
    "Connected to mail.contoso.com.",
    "10569	117.908423	10.4.3.90	10.4.4.95	IMAP	107 Response: * OK The Microsoft Exchange IMAP4 service is ready.",
)


def lint(root: str | Path) -> list[Diagnostic]:
    result = load_kb(root)
    found = list(result.diagnostics)
    # A file that did not load hides what it uses: don't report its questions as unused.
    found.extend(check(result.kb, complete=not result.failed_files))
    return sorted(set(found), key=lambda d: (d.path, d.line, d.message))


def check(kb: KnowledgeBase, complete: bool = True) -> list[Diagnostic]:
    facts = vocabulary(kb)
    found: list[Diagnostic] = []
    found += _duplicates(kb)
    found += _references(kb)
    found += _conditions(kb, facts)
    if complete:
        found += _unused_questions(kb)
    found += _signatures(kb, facts, complete)
    found += _entries(kb)
    found += _derived_cycles(kb)
    found += _words(kb)
    found += _sources(kb)
    found += check_phrases(kb)
    found += check_cautions(kb)
    found += check_probe_maps(kb)
    found += check_placeholders(kb)
    return found


def _d(path: str, line: int, message: str, severity: str = "error") -> Diagnostic:
    return Diagnostic(path=path, line=line, message=message, severity=severity)


def _nearest(word: str, options) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _duplicates(kb: KnowledgeBase) -> list[Diagnostic]:
    found = []
    for what, items in (("entry id", kb.entries), ("question id", kb.questions),
                        ("signature id", kb.signatures)):
        first: dict[str, object] = {}
        for item in items:
            if item.id in first:
                other = first[item.id]
                found.append(_d(item.path, item.line, f"duplicate {what} '{item.id}' "
                                                      f"(also in {other.path}:{other.line})"))
            else:
                first[item.id] = item
    return found


def _references(kb: KnowledgeBase) -> list[Diagnostic]:
    ids = {e.id for e in kb.entries}
    signature_ids = {s.id for s in kb.signatures}
    found = []
    for entry in kb.entries:
        for i, related in enumerate(entry.related):
            line = entry.line_of("related", i)
            if related not in ids:
                found.append(_d(entry.path, line, f"related entry '{related}' does not "
                                                  f"exist{_nearest(related, ids)}"))
            elif related == entry.id:
                found.append(_d(entry.path, line, "an entry cannot be related to itself"))
        for ref in entry.evidence:
            if ref.signature not in signature_ids:
                found.append(_d(entry.path, ref.line, f"unknown signature '{ref.signature}'"
                                                      f"{_nearest(ref.signature, signature_ids)}"))
    return found


def _rules(kb: KnowledgeBase):
    """(path, line, owner description, condition) for every condition in the KB."""
    for entry in kb.entries:
        if entry.rule is not None:
            yield entry.path, entry.rule.line, f"rule of '{entry.id}'", entry.rule
    for rule in kb.derived:
        yield rule.path, rule.line, f"derived fact '{rule.conclusion.fact} is " \
                                    f"{rule.conclusion.value}'", rule.condition
    for question in kb.questions:
        if question.ask_when is not None:
            yield question.path, question.line, f"'ask when' of '{question.id}'", question.ask_when


def _conditions(kb: KnowledgeBase, facts: dict[str, FactInfo]) -> list[Diagnostic]:
    found = []
    for path, line, owner, condition in _rules(kb):
        for atom in atoms(condition):
            found += _atom_problems(path, atom, facts)
        reason = contradiction(condition, facts)
        if reason:
            found.append(_d(path, line, f"{owner} can never fire: {reason}"))
        elif not owner.startswith("'ask when'"):
            try:
                dnf(condition)
            except TooComplex:
                found.append(_d(path, line, f"{owner} is too complex for the rule engine: "
                                            f"written out it has more than {MAX_CONJUNCTS} "
                                            f"alternatives; split it or use fewer nested "
                                            f"'any of' / 'at least N of' groups"))
    return found


def _atom_problems(path: str, atom: Atom, facts: dict[str, FactInfo]) -> list[Diagnostic]:
    info = facts.get(atom.fact)
    if info is None:
        return [_d(path, atom.line, f"fact '{atom.fact}' is never set by any question, "
                                    f"signature or derived fact{_nearest(atom.fact, facts)}")]
    if atom.op in ("at_least", "at_most", "more_than", "less_than") and not info.numeric:
        return [_d(path, atom.line, f"'{atom.text()}' compares a number, but '{atom.fact}' "
                                    f"is not a number question")]
    if atom.op in ("is", "is_not", "one_of", "not_one_of") and not info.open_values:
        return [_d(path, atom.line, f"'{value}' is not a value '{atom.fact}' can take "
                                    f"(possible: {', '.join(sorted(info.values))})"
                                    f"{_nearest(value, info.values)}")
                for value in atom.values if value not in info.values]
    return []


def _unused_questions(kb: KnowledgeBase) -> list[Diagnostic]:
    used = {a.fact for e in kb.entries if e.rule for a in atoms(e.rule)}
    used |= {a.fact for r in kb.derived for a in atoms(r.condition)}
    return [_d(q.path, q.line, f"question '{q.id}' is not needed by any rule", "warning")
            for q in kb.questions if q.fact not in used]


def _signatures(kb: KnowledgeBase, facts: dict[str, FactInfo], complete: bool) -> list[Diagnostic]:
    tested = {a.fact for e in kb.entries if e.rule for a in atoms(e.rule)}
    tested |= {a.fact for r in kb.derived for a in atoms(r.condition)}
    found = []
    for signature in kb.signatures:
        if signature.source and kb.source(signature.source) is None:
            found.append(_unknown_source(kb, signature.path,
                                         signature.source_line or signature.line,
                                         signature.source, f"signature '{signature.id}': "))
        compiled, error = compile_signature(signature)
        at = signature.pattern_line or signature.line
        if error:
            found.append(_d(signature.path, at, f"signature '{signature.id}': {error}"))
            continue
        if compiled.search("") is not None:
            found.append(_d(signature.path, at, f"signature '{signature.id}' "
                                                f"matches an empty line"))
            continue
        for i, example in enumerate(signature.examples):
            if compiled.search(example) is None:
                found.append(_d(signature.path, signature.example_line(i),
                                f"signature '{signature.id}' does not match its example "
                                f"'{example[:70]}'"))
        noisy = next((n for n in NOISE if compiled.search(n)), None)
        if noisy:
            found.append(_d(signature.path, at, f"signature '{signature.id}' is too "
                            f"broad: it matches the ordinary line '{noisy[:60]}'"))
        groups = capture_names(compiled)
        for setting in signature.sets:
            for name in placeholders(setting.value) - groups:
                found.append(_d(signature.path, setting.line, f"'{{{name}}}' is not a named "
                                f"group of the pattern (groups: {', '.join(sorted(groups)) or 'none'})"))
        if complete and not any(s.fact in tested for s in signature.sets):
            found.append(_d(signature.path, signature.line, f"signature '{signature.id}' sets "
                            f"no fact that any rule tests", "warning"))
    return found


def _unknown_source(kb: KnowledgeBase, path: str, line: int, source_id: str,
                    who: str = "") -> Diagnostic:
    """A cited source the KB's sources file does not list, with the ones it does."""
    ids = [s.id for s in kb.sources]
    listed = ", ".join(ids) or "none: add a kind: sources file"
    return _d(path, line, f"{who}source '{source_id}' is not in the KB's sources file "
                          f"(listed: {listed}){_nearest(source_id, ids)}")


def _entries(kb: KnowledgeBase) -> list[Diagnostic]:
    signatures = {s.id: s for s in kb.signatures}
    derived_inputs = _derived_inputs(kb)
    found = []
    for entry in kb.entries:
        if kb.source(entry.source) is None:
            found.append(_unknown_source(kb, entry.path, entry.line_of("source"), entry.source))
        if entry.kind != "diagnosis":
            continue
        if len(entry.symptoms) < 3:
            found.append(_d(entry.path, entry.line, f"diagnosis has {len(entry.symptoms)} "
                            f"symptom(s); give at least 3 phrasings as callers say them",
                            "warning"))
        if not entry.aliases:
            found.append(_d(entry.path, entry.line, "diagnosis has no aliases (other names "
                                                    "people use for it)", "warning"))
        tested = _tested_facts(entry.rule, derived_inputs) if entry.rule else set()
        for ref in entry.evidence:
            signature = signatures.get(ref.signature)
            if signature and not any(s.fact in tested for s in signature.sets):
                found.append(_d(entry.path, ref.line, f"signature '{ref.signature}' sets nothing "
                                f"this entry's rule tests ({', '.join(s.fact for s in signature.sets)})",
                                "warning"))
    return found


def _derived_inputs(kb: KnowledgeBase) -> dict[str, set[str]]:
    inputs: dict[str, set[str]] = defaultdict(set)
    for rule in kb.derived:
        inputs[rule.conclusion.fact] |= {a.fact for a in atoms(rule.condition)}
    return inputs


def _tested_facts(condition: Condition, inputs: dict[str, set[str]]) -> set[str]:
    """Facts a rule tests, directly or through the derived facts it uses."""
    pending = [a.fact for a in atoms(condition)]
    seen: set[str] = set()
    while pending:
        fact = pending.pop()
        if fact in seen:
            continue
        seen.add(fact)
        pending.extend(inputs.get(fact, ()))
    return seen


def _derived_cycles(kb: KnowledgeBase) -> list[Diagnostic]:
    inputs = _derived_inputs(kb)
    found = []
    for rule in kb.derived:
        fact = rule.conclusion.fact
        reachable = _tested_facts(rule.condition, inputs)
        if fact in reachable:
            found.append(_d(rule.path, rule.line, f"derived fact '{fact}' depends on itself "
                                                  f"(a cycle through other derived facts)"))
    return found


def _words(kb: KnowledgeBase) -> list[Diagnostic]:
    """Synonym groups: each word or phrase in one group only, no stop word in a group, nothing
    the tokenizer reads as empty."""
    found = []
    stop = {word for words in kb.words for word, _ in words.stopwords}
    owner: dict[tuple[str, ...], tuple[str, int]] = {}
    for words in kb.words:
        for group in words.synonyms:
            for member in group.members:
                key = member_forms(member)
                if not key:
                    found.append(_d(group.path, group.line, f"'{member}' has no word the "
                                                            f"tokenizer keeps"))
                    continue
                if member.lower() in stop:
                    found.append(_d(group.path, group.line, f"'{member}' is a stop word: it "
                                                            f"would never be read"))
                first = owner.setdefault(key, (group.path, group.line))
                if first != (group.path, group.line):
                    found.append(_d(group.path, group.line, f"'{member}' reads the same as a member of "
                                    f"the group at {first[0]}:{first[1]}"))
    return found


def _sources(kb: KnowledgeBase) -> list[Diagnostic]:
    found = []
    seen: dict[str, object] = {}
    root = Path(kb.root)
    for source in kb.sources:
        if source.id in seen:
            found.append(_d(source.path, source.line, f"duplicate source id '{source.id}'"))
        seen[source.id] = source
        if source.file:
            where = (root / source.file).resolve()
            if not where.is_relative_to(root.resolve()):
                found.append(_d(source.path, source.line, f"source file '{source.file}' is "
                                                          f"outside the KB folder"))
            elif not where.is_file():
                found.append(_d(source.path, source.line, f"source file '{source.file}' not "
                                                          f"found in the KB folder"))
    return found
