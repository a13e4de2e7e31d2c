"""The screens of the triage app, one per module."""
