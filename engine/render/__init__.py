"""Rendering entries and fixes: one list of blocks for every output (see blocks.py)."""

from engine.render.blocks import Block, Command, Heading, Meta, Prose, Step, commands
from engine.render.documents import entry_document, fix_document, rule_lines, source_label
from engine.render.markdown import to_markdown

__all__ = ["Block", "Command", "Heading", "Meta", "Prose", "Step", "commands", "entry_document",
           "fix_document", "rule_lines", "source_label", "to_markdown"]
