"""triage's user interfaces: the `triage` command line and the Textual app."""
