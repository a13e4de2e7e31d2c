"""An interview's whole state as data: the `triage diagnose --json` shape (see the command line
contract in docs/user-guide.md), also what `triage batch` writes per ticket."""

from __future__ import annotations

from engine.inference.interview import Interview


def report(session: Interview, limit: int = 3) -> dict:
    differential = session.differential()
    diagnoses, nearest = [], []
    if differential.verdict == "no-match":
        nearest = [{"id": c.id, "title": c.title, "kind": c.kind,
                    "confidence": round(c.confidence, 3)} for c in differential.nearest()]
        listed = []
    else:
        listed = differential.listed()
    for candidate in listed:
        explanation = session.how(candidate.id, differential)
        still = session.open_conditions(candidate.id)
        diagnoses.append({
            "id": candidate.id, "title": candidate.title, "kind": candidate.kind,
            "confidence": round(candidate.confidence, 3),
            "rule": "holds" if candidate.holds else candidate.truth.name.lower(),
            "waiting_on_evidence": candidate.waiting,
            "settled": candidate.settled,
            "open_conditions": still,
            "fix": session.fix(candidate.id).as_dict(),
            "why": explanation.summary(),
            "how": explanation.as_dict(),
        })
    questions = session.next_questions(limit, differential)
    return {
        "verdict": differential.verdict,
        "nothing_left_to_ask": differential.verdict != "confident" and not questions,
        "contested": [c.as_dict() for c in session.contested(differential)]
        if differential.verdict != "confident" and not questions else [],
        "diagnoses": diagnoses,
        "not_covered": round(differential.not_covered, 3),
        "outside_kb": differential.outside,
        "unexplained": list(differential.unexplained),
        "near_miss": differential.near_miss,
        "nearest": nearest,
        "facts": [f.as_dict() for f in session.facts()],
        "next_questions": [s.as_dict() for s in questions],
        "evidence": [{"name": item.name, "encoding": item.report.encoding,
                      "lines": item.report.lines, "bytes": item.report.bytes,
                      "skipped": item.report.skipped, "notes": item.report.notes,
                      "hits": sum(item.report.counts.values())} for item in session.evidence],
        "answers": session.answers,
        "ruled_out": sorted(session.ruled_out),
        "notes": [session.ticket.note] if session.ticket.note else [],
    }
