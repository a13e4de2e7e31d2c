"""triage's engine: the product without a screen, in parts that build on each other.

    kb         the knowledge base as data (markdown -> checked dataclasses)
    text       the one tokenizer and the KB's words; the ticket text against each entry
    evidence   evidence files and pasted text: encodings, signatures, redaction
    probes     read-only live checks of servers
    inference  durable-rules over the KB; interviews, differential, questions, HOW/WHY, fixes
    search     the KB in an FTS5 index
    render     entries and fixes as blocks every output draws
    lint       the KB checked against all of the above
    sessions   interviews in an SQLite event log; transcripts

Each part's public API is importable from the part itself (`from engine.inference import
Interview`). docs/architecture.md has the details.
"""
