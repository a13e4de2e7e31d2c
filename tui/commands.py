"""The command palette (ctrl+p): actions of the app, and the KB searched as you type; choosing
an entry opens it."""

from __future__ import annotations

import asyncio
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

# (name, help, app action); the action runs on the app
ACTIONS = (
    ("New interview", "Start a helpdesk interview for a new ticket", "new_interview"),
    ("Search the knowledge base", "Error codes, event ids, cmdlets, symptoms", "open_search"),
    ("Browse entries", "Every entry of the knowledge base, by area", "browse"),
    ("Resume a session", "The saved interviews, newest first", "open_sessions"),
    ("Add evidence", "Paste text or open a log file for the current interview", "add_evidence"),
    ("Export transcript", "The current interview as markdown for the ticket", "export_transcript"),
    ("Toggle light/dark theme", "Switch between the dark and the light theme", "toggle_dark"),
)
ENTRY_HITS = 8


class KBCommands(Provider):
    """triage's actions and the KB's entries."""

    async def discover(self) -> Hits:
        for name, help_text, action in ACTIONS:
            yield DiscoveryHit(name, partial(self.app.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, action in ACTIONS:
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(self.app.run_action, action),
                          text=name, help=help_text)
        if len(query.strip()) < 2:
            return
        results = await asyncio.to_thread(self.app.search, query, ENTRY_HITS)
        for rank, hit in enumerate(results.results):
            # the index ranks; the palette sorts by score: keep the index's order below actions
            score = 0.9 * (1 - rank / (len(results.results) + 1))
            # Content, not str: the palette would read a title's brackets as markup
            yield Hit(score, Content(hit.title), partial(self.app.open_entry, hit.id),
                      text=hit.title,
                      help=Content(f"{hit.id} · {hit.relevance} · {hit.kind} · {hit.area}"))
