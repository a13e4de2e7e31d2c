"""What the command line prints for people (rich), and the JSON it prints for scripts. All text
that comes from outside triage (tickets, evidence, the KB) goes through `safe` first."""
