"""Text: the one tokenizer, the KB's words (synonyms, stop words), and the ticket text matched
against each entry."""

from engine.text.lexicon import Lexicon
from engine.text.similarity import TextMatcher

__all__ = ["Lexicon", "TextMatcher"]
