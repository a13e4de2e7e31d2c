"""Entries and fixes as blocks (`engine.render.blocks`): the same parts in the same order for
every output. `entry_document` is what `triage show` and the entry screen show; `fix_document`
what `triage diagnose`, the result screen, a saved fix and the transcript show."""

from __future__ import annotations

import re
from pathlib import Path

from engine.inference.fixes import Fix, RenderedStep, render_fix
from engine.kb.models import Condition, Entry, KnowledgeBase
from engine.render.blocks import Block, Command, Heading, Meta, Prose, Step, markdown_blocks

KIND_LABEL = {"diagnosis": "diagnosis", "procedure": "how-to"}


def source_label(entry: Entry, kb: KnowledgeBase | None) -> str:
    """The entry's source by its title (the file name or URL after it)."""
    document = kb.source(entry.source) if kb is not None else None
    if document is None:
        return entry.source
    where = document.url or entry.source
    return f"{document.title} ({where})"


def applies_text(entry: Entry, kb: KnowledgeBase | None) -> str:
    """Where the entry applies, in words: "Exchange Server 2007; Windows Server 2008"."""
    if entry.applies_to is None:
        return ""
    condition = entry.applies_to
    items = condition.items if condition.kind == "group" and condition.op == "all" \
        else (condition,)
    parts = []
    for item in items:
        question = kb.question(item.fact) if kb is not None and item.kind == "atom" else None
        if item.kind == "atom" and item.op in ("is", "one_of") and question is not None:
            labels = [question.label(v) for v in item.values]
            if question.type == "yes/no":
                labels = [f"{question.text.rstrip('?')}: {'; '.join(labels)}"]
            parts.append(" or ".join(labels))
        else:
            parts.append(item.text())
    return "; ".join(parts)


def meta(entry: Entry, kb: KnowledgeBase | None) -> Meta:
    lines = [f"{entry.id} · {KIND_LABEL.get(entry.kind, entry.kind)} · {entry.area}",
             f"products: {', '.join(entry.products)}"]
    if entry.applies_to is not None:
        lines.append(f"applies to: {applies_text(entry, kb)}")
    aliases = [a for a in entry.aliases if a.casefold().strip() != entry.title.casefold().strip()]
    if aliases:                                    # the title is shown already
        lines.append(f"also known as: {'; '.join(aliases)}")
    lines.append(f"source: {source_label(entry, kb)}")
    if entry.related:
        lines.append(f"related: {', '.join(entry.related)}")
    return Meta(tuple(lines))


def entry_document(entry: Entry, kb: KnowledgeBase | None = None) -> list[Block]:
    """The whole entry: what it is, where it applies, how to recognise it, the fix."""
    out: list[Block] = [Heading(entry.title, 1), meta(entry, kb)]
    if entry.kind == "diagnosis":
        if entry.symptoms:
            out += [Heading("Symptoms"), Prose("\n".join(f"- {s}" for s in entry.symptoms))]
    else:
        out += _section("When to use it", entry.when_to_use.markdown)
        out += _section("Prerequisites", entry.prerequisites.markdown)
    if entry.written_rule is not None:
        out += [Heading("Rule"), Prose("\n".join(rule_lines(entry.written_rule)))]
    if entry.applies_to is not None:
        out += [Heading("Applies to"), Prose("\n".join(rule_lines(entry.applies_to)))]
    if entry.evidence:
        out += [Heading("Evidence"),
                Prose("\n".join(f"- `{ref.signature}`" + (f": {ref.note}" if ref.note else "")
                                for ref in entry.evidence))]
    if entry.kind == "diagnosis":
        out += _section("Cause", entry.cause.markdown)
    out += _fix_blocks(entry, render_fix(entry, {}))
    out += _section("Notes", entry.notes.markdown)
    return out


def fix_document(entry: Entry, fix: Fix, kb: KnowledgeBase | None = None,
                 level: int = 1) -> list[Block]:
    """An entry's fix as a person follows it: cause, steps (commands filled from the evidence),
    how to verify, the source."""
    about = [f"{entry.id} · {KIND_LABEL.get(entry.kind, entry.kind)} · {entry.area}"]
    if entry.applies_to is not None:
        about.append(f"applies to: {applies_text(entry, kb)}")
    out: list[Block] = [Heading(entry.title, level), Meta(tuple(about))]
    if entry.kind == "diagnosis":
        out += _section("Cause", entry.cause.markdown, level + 1)
    else:
        out += _section("When to use it", entry.when_to_use.markdown, level + 1)
    out += _fix_blocks(entry, fix, level + 1)
    if fix.filled:
        filled = ", ".join(f"`<{name}>` = `{value}`" for name, value in fix.filled.items())
        out.append(Prose(f"Filled in from the evidence: {filled}."))
    out += [Heading("Source", level + 1), Prose(f"{source_label(entry, kb)}; KB entry "
                                                f"`{entry.id}` ({entry_file(entry, kb)}).")]
    return out


def entry_file(entry: Entry, kb: KnowledgeBase | None) -> str:
    """The entry's file within the KB folder (`imp/imp-cert-san-mismatch.md`): the same on
    every machine, wherever the KB is."""
    if kb is None or not kb.root:
        return entry.path
    try:
        return Path(entry.path).resolve().relative_to(Path(kb.root).resolve()).as_posix()
    except (ValueError, OSError):
        return entry.path


def _fix_blocks(entry: Entry, fix: Fix, level: int = 2) -> list[Block]:
    out: list[Block] = [Heading("Fix" if entry.kind == "diagnosis" else "Steps", level)]
    out += [Prose("**Not filled in:** " + escape_markdown(note)) for note in fix.notes]
    out += [_step(step) for step in fix.steps]
    checks = fix.verify_steps
    if checks:
        out.append(Heading("Verify", level))
        if len(checks) == 1:
            out.append(_step(checks[0], numbered=False))
        else:
            out += [_step(step) for step in checks]
    return out


def escape_markdown(text: str) -> str:
    """Text shown as it is by a markdown renderer (every ASCII punctuation mark escaped)."""
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", " ".join(text.split()))


def _step(step: RenderedStep, numbered: bool = True) -> Step:
    return Step(step.number if numbered else None, step.text, step.caution,
                tuple(Command(code, language) for language, code in step.commands))


def _section(title: str, markdown: str, level: int = 2) -> list[Block]:
    blocks = markdown_blocks(markdown)
    return [Heading(title, level), *blocks] if blocks else []


def rule_lines(condition: Condition | None, depth: int = 0) -> list[str]:
    """A rule written back as the indented bullet list it was read from."""
    if condition is None:
        return []
    pad = "  " * depth
    if condition.kind == "atom":
        return [f"{pad}- {condition.text()}"]
    if condition.op == "all" and depth == 0:
        return [line for item in condition.items for line in rule_lines(item, depth)]
    head = {"all": "all of:", "any": "any of:", "none": "none of:"}.get(
        condition.op, f"{condition.op.replace('_', ' ')} {condition.count} of:")
    lines = [f"{pad}- {head}"]
    for item in condition.items:
        lines.extend(rule_lines(item, depth + 1))
    return lines
