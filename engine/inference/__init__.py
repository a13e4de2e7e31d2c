"""Inference: a KB compiled for durable-rules, interviews over it, and their explanations."""

from engine.inference.answers import UNKNOWN, AnswerError
from engine.inference.compiled import CompiledKB
from engine.inference.differential import Candidate, Differential
from engine.inference.facts import Fact, Source
from engine.inference.interview import EvidenceItem, Interview
from engine.inference.planner import Suggestion
from engine.inference.report import report

__all__ = ["AnswerError", "Candidate", "CompiledKB", "Differential", "EvidenceItem", "Fact",
           "Interview", "Source", "Suggestion", "UNKNOWN", "report"]
