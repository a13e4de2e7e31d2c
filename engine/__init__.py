"""triage's engine: the knowledge model, KB loading and linting, inference, evidence, search.

No UI code lives here (see tests/test_layering.py); the TUI and the CLI in `tui/` call it.
"""

__version__ = "0.1.0"
