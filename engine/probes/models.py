"""What a probe returns: a ProbeResult holding Observations, or a ProbeError that says why not.

An observation's `name` is a stable dotted key (the table is in README.md beside this module);
its `value` is a short string ("yes", "no", "unknown", a list joined by commas) or a number;
`detail` is free text for a person. Code that maps observations to interview facts keys on
`name` and `value` only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Mapping

Value = str | int | float


class ProbeError(Exception):
    """A probe could not observe: one line for a person, and a stable `reason` for scripts.

    Reasons: bad-target, unresolved, refused, timeout, unreachable, not-tls, protocol, network.
    """

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Observation:
    name: str
    value: Value
    detail: str | None = None

    def to_json(self) -> dict:
        return {"name": self.name, "value": self.value, "detail": self.detail}


@dataclass
class ProbeResult:
    kind: str
    target: str
    started: str = field(default_factory=lambda: now_iso())
    observations: list[Observation] = field(default_factory=list)
    verdicts: list[str] = field(default_factory=list)   # the few lines a person reads first
    error: str | None = None
    error_reason: str | None = None

    def add(self, name: str, value: Value, detail: str | None = None) -> Observation:
        observation = Observation(name, value, detail)
        self.observations.append(observation)
        return observation

    def value(self, name: str) -> Value | None:
        """The value of the first observation called `name`, or None."""
        return next((o.value for o in self.observations if o.name == name), None)

    def fail(self, error: ProbeError) -> "ProbeResult":
        self.error, self.error_reason = str(error), error.reason
        return self

    def to_json(self) -> dict:
        return {"kind": self.kind, "target": self.target, "started": self.started,
                "observations": [o.to_json() for o in self.observations],
                "verdicts": list(self.verdicts), "error": self.error,
                "error_reason": self.error_reason}


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


FactMapping = Mapping[str, tuple[str, Mapping[str, str]]]


def facts_from(result: ProbeResult, mapping: FactMapping) -> dict[str, str]:
    """Facts from observations: `mapping` is {observation name: (fact name, {observed value:
    fact value})}, e.g. {"tls.name-covered": ("cert-name-mismatch", {"no": "yes", "yes": "no"})}.

    An observation whose value is not in its value map gives no fact (the probe saw something
    the KB has no word for). When several observations give the same fact, the first wins.
    """
    facts: dict[str, str] = {}
    for observation in result.observations:
        if observation.name not in mapping:
            continue
        fact, values = mapping[observation.name]
        value = values.get(str(observation.value))
        if value is not None and fact not in facts:
            facts[fact] = value
    return facts
