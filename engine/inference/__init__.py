"""Inference: a KB compiled for durable-rules, interviews over it, and their explanations.

The names below are imported when first used (PEP 562): a command that only needs part of
inference (`triage probe` maps observations to facts) does not load durable-rules."""

from __future__ import annotations

import importlib

_WHERE = {
    "UNKNOWN": "engine.inference.answers", "AnswerError": "engine.inference.answers",
    "CompiledKB": "engine.inference.compiled",
    "Candidate": "engine.inference.differential", "Differential": "engine.inference.differential",
    "Fact": "engine.inference.facts", "Source": "engine.inference.facts",
    "EvidenceItem": "engine.inference.interview", "Interview": "engine.inference.interview",
    "Suggestion": "engine.inference.planner",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'engine.inference' has no attribute '{name}'")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
