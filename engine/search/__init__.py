"""Search: the KB in an SQLite FTS5 index, searched by error code, event id, cmdlet or words."""

from engine.search.index import SearchError, SearchIndex
from engine.search.query import parse_query
from engine.search.results import SearchHit, SearchResults

__all__ = ["SearchError", "SearchHit", "SearchIndex", "SearchResults", "parse_query"]
