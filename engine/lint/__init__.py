"""`triage lint`: a KB checked against everything that will use it (the loader, RE2, durable-rules,
the interview), every problem as `path:line: message`."""

from engine.lint.checks import check, lint

__all__ = ["check", "lint"]
