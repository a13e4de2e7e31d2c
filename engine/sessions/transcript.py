"""An interview written out as markdown: the transcript for the ticket, and the fix on its own.

    transcript(session, title="Jabber shows no meetings", evidence=[...])

The transcript holds the ticket text, the questions and answers in the order they were asked,
the evidence excerpts with `name:line` references, the facts and where each came from, the
differential, and the fix and its verification for the leading candidate with HOW it was
concluded. It is redacted as a whole (engine.evidence.redact) before it is returned, whatever its parts
were: a transcript leaves the machine, so no secret may be in it.

Nothing here reads a clock or makes an id: the same session gives the same text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from engine.evidence.redact import redact
from engine.kb.models import Question
from engine.render import fix_document, to_markdown
from engine.render.markdown import fence

if TYPE_CHECKING:
    from engine.inference.differential import Differential
    from engine.inference.interview import Interview

STATE_MARK = {"met": "met", "open": "not known yet", "failed": "not met"}
VERDICT_TEXT = {
    "confident": "confident diagnosis",
    "ambiguous": "not sure yet (several candidates)",
    "no-match": "no confident match in the knowledge base",
}


@dataclass
class EvidenceExcerpt:
    """One piece of evidence as the transcript shows it: where it came from and its lines
    that matched a signature."""

    name: str
    kind: str = "paste"                  # file | paste
    encoding: str = ""
    lines: int = 0
    skipped: str | None = None
    excerpt: list[tuple[int, str]] = field(default_factory=list)   # (line number, line)


def answer_label(question: Question, value: str, markdown: bool = True) -> str:
    """An answer as the caller heard it: the choice's label (and its value, as code in
    markdown)."""
    if value == "unknown":
        return "unknown (don't know)"
    for choice in question.choices:
        if choice.value == value:
            return f"{choice.label} (`{value}`)" if markdown else f"{choice.label} ({value})"
    if question.type == "yes/no":
        return value
    return f"{value} {question.unit}".strip()


def excerpts_of(session: "Interview") -> list[EvidenceExcerpt]:
    """The session's evidence as excerpts: each item's matched lines, in line order."""
    out = []
    for item in session.evidence:
        lines = sorted({(hit.line_no, hit.line) for hit in item.report.hits})
        out.append(EvidenceExcerpt(item.name, "paste" if item.report.encoding == "text" else "file",
                                   item.report.encoding, item.report.lines, item.report.skipped,
                                   lines))
    return out


def _quote(text: str) -> list[str]:
    return ["> " + line if line.strip() else ">" for line in text.strip().splitlines()]


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def fix_markdown(session: "Interview", entry_id: str, heading: str = "#") -> str:
    """The fix (or procedure steps) for one entry with commands filled from the evidence, how
    to verify it, its cause and source: what "save fix" writes (engine.render's blocks)."""
    compiled = session.compiled
    entry = compiled.entries[entry_id]
    return to_markdown(fix_document(entry, session.fix(entry_id), compiled.kb, level=len(heading)))


def how_markdown(session: "Interview", entry_id: str | None = None, heading: str = "##") -> str:
    """HOW the candidate was concluded: the facts behind it with their sources, each condition
    of its rule, and what the runner-up lacks."""
    how = session.how(entry_id)
    out = [f"{heading} How it was concluded", "", how.summary()[:1].upper() + how.summary()[1:], ""]
    if how.facts:
        out += ["Facts used:", ""]
        out += [f"- `{f.name}` = `{f.value}`, from {f.source.describe()}" for f in how.facts]
        out.append("")
    if how.conditions:
        out += ["Its rule:", ""]
        out += [f"- {c.as_dict()['condition']}: **{STATE_MARK[c.state]}**" for c in how.conditions]
        out.append("")
    if how.runner_up:
        lacks = "; ".join(c.as_dict()["condition"] for c in how.runner_up_lacks) or "nothing"
        out += [f"The runner-up, `{how.runner_up}`, lacks: {lacks}.", ""]
    return "\n".join(out).rstrip() + "\n"


def differential_markdown(differential: "Differential") -> list[str]:
    out = [f"Verdict: **{VERDICT_TEXT[differential.verdict]}**.", ""]
    listed = differential.listed()
    if listed:
        out += ["| confidence | entry | title |", "|---:|---|---|"]
        out += [f"| {c.confidence * 100:.0f}% | `{c.id}` | {_cell(c.title)} |" for c in listed]
        out.append("")
    ruled_out = [eid for eid, why in differential.excluded.items() if why.startswith("ruled out")]
    if ruled_out:
        out += ["Ruled out (the fix did not help): " +
                ", ".join(f"`{eid}`" for eid in sorted(ruled_out)) + ".", ""]
    return out


def transcript(session: "Interview", *, title: str = "", session_id: str = "",
               created: str = "", status: str = "",
               evidence: list[EvidenceExcerpt] | None = None) -> str:
    """The whole interview as markdown for a ticket, redacted."""
    evidence = excerpts_of(session) if evidence is None else evidence
    differential = session.differential()
    out = [f"# triage transcript{': ' + title.strip() if title.strip() else ''}", ""]
    meta = [("session", session_id), ("started", created), ("status", status)]
    meta = [f"{name}: {value}" for name, value in meta if value]
    if meta:
        out += [" · ".join(meta), ""]

    out += ["## Ticket text", ""]
    out += (_quote(session.text) if session.text.strip() else ["(none)"]) + [""]

    out += ["## Questions and answers", ""]
    if session.answers:
        for n, (qid, value) in enumerate(session.answers.items(), 1):
            question = session.compiled.questions.get(qid)
            if question is None:
                out.append(f"{n}. `{qid}`: {value}")
                continue
            out.append(f"{n}. {question.text.strip()} (`{qid}`)  ")
            out.append(f"   **{answer_label(question, value)}**")
    else:
        out.append("(no questions answered)")
    out.append("")

    out += ["## Evidence", ""]
    if not evidence:
        out += ["(none)", ""]
    for item in evidence:
        about = [item.kind]
        if item.encoding and item.encoding != "text":
            about.append(item.encoding)
        if item.lines:
            about.append(f"{item.lines} line{'s' if item.lines != 1 else ''}")
        out += [f"### {item.name} ({', '.join(about)})", ""]
        if item.skipped:
            out += [f"Skipped: {item.skipped}.", ""]
        elif item.excerpt:
            width = len(str(max(n for n, _ in item.excerpt)))
            block = "\n".join(f"{item.name}:{n:<{width}}  {line}" for n, line in item.excerpt)
            out += fence(block, "text") + [""]
        else:
            out += ["No line matched a known signature.", ""]

    if session.probes:
        out += ["## Live checks", ""]
        for item in session.probes:
            result = item.result
            status = f"failed: {result.error}" if result.error else "done"
            out += [f"### {result.kind} {result.target} ({result.started}, {status})", ""]
            out += [f"- {line}" for line in result.verdicts]
            out += [f"- answered `{f.name}` = `{f.value}`, from {f.source.words}"
                    for f in item.facts] or ["- answered nothing"]
            out.append("")

    facts = session.facts()
    out += ["## Facts", ""]
    out += [f"- `{f.name}` = `{f.value}`, from {f.source.describe()}" for f in facts] or ["(none)"]
    out.append("")

    out += ["## Differential", ""] + differential_markdown(differential)

    top = differential.top
    if top is not None and differential.verdict != "no-match":
        label = "Diagnosis" if differential.verdict == "confident" else "Leading candidate"
        out += [f"## {label}", "", fix_markdown(session, top.id, heading="###").rstrip(), ""]
        out += [how_markdown(session, top.id, heading="###").rstrip(), ""]
    else:
        questions = session.next_questions(3, differential)
        if questions:
            out += ["## Questions still open", ""]
            out += [f"- {s.question.text.strip()} (`{s.question.id}`)" for s in questions]
            out.append("")
    return redact("\n".join(out).rstrip() + "\n").text
