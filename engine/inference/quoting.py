"""Filling `<placeholder>`s with values captured from evidence, safely for where they go.

A value comes from a line a stranger wrote. Before it goes into a command an administrator may
copy and run, it must (1) fit its placeholder's kind (`engine.kb.placeholders`: a mailbox name,
a host name, a number ...) and (2) be quoted for the command's shell, in the place of the
command it takes:

- PowerShell: a placeholder that is a whole argument becomes a single-quoted string (`'` and
  its typographic variants doubled, which PowerShell reads as one quote); inside a '...' string
  the quotes are doubled; inside a "..." string `` ` ``, `$` and the double quotes are escaped
  with a backtick; a placeholder glued to other text outside quotes (`<source>\\SG1`) takes only
  plain values (letters, digits, `.`, `-`, `_`, `@`), as does one in a comment.
- cmd, the Cisco CLI (`cli` blocks), registry paths and any other code: plain values only:
  these cannot quote safely (cmd expands `%` even inside quotes; the CLI has no quoting).
- prose (markdown): the value escaped for markdown; in an inline code span, plain values only.

A value that does not fit leaves the placeholder as it is (`<mailbox>`: never a live command)
and is reported with the reason, so the fix can say why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from engine.kb.placeholder_kinds import KINDS, PLACEHOLDER, check_value

POWERSHELL = frozenset({"powershell", "ps", "ps1", "pwsh", "posh"})
SHELL_NAMES = {"cmd": "cmd.exe", "bat": "cmd.exe", "cli": "Cisco CLI", "registry": "registry"}
PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]*")      # safe unquoted in every shell
SINGLE_QUOTES = "'\u2018\u2019\u201a\u201b"              # PowerShell takes all as '
DOUBLE_QUOTES = '"\u201c\u201d\u201e'                    # ... and all of these as "
_BEFORE_ARGUMENT = set(" \t\n(,;|{=")
_AFTER_ARGUMENT = set(" \t\n),;|}")
_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)


@dataclass(frozen=True)
class Refusal:
    """A captured value that was not put into a placeholder, and why."""

    placeholder: str
    value: str
    kind: str | None
    reason: str

    def note(self) -> str:
        return f"<{self.placeholder}> not filled: the captured value '{shorten(self.value)}' " \
               f"{self.reason}"

    def as_dict(self) -> dict:
        return {"placeholder": self.placeholder, "value": self.value, "kind": self.kind,
                "reason": self.reason, "note": self.note()}


def shorten(value: str, limit: int = 40) -> str:
    value = re.sub(r"[\x00-\x1f\x7f-\x9f]", "?", value)
    return value if len(value) <= limit else value[:limit - 1] + "…"


class Filler:
    """Fills placeholders in the parts of one fix; remembers what it filled and refused."""

    def __init__(self, values: dict[str, str], kinds: dict[str, str]):
        self.values = values
        self.kinds = kinds
        self.filled: dict[str, str] = {}
        self.refused: dict[str, Refusal] = {}

    # --- the parts of a fix ----------------------------------------------------------

    def command(self, code: str, language: str) -> str:
        language = (language or "").lower()
        if language in POWERSHELL:
            return self._powershell(code)
        shell = SHELL_NAMES.get(language, f"{language} code" if language else "code")
        return self._replace(code, lambda name, value, start: self._plain(name, value, shell))

    def prose(self, markdown: str) -> str:
        """Markdown text (no fences): values escaped; in `code spans` plain values only."""
        out, position = [], 0
        for span in _CODE_SPAN.finditer(markdown):
            out.append(self._prose_text(markdown[position:span.start()]))
            code = self._replace(span.group(0), lambda name, value, start:
                                 self._plain(name, value, "inline code"))
            out.append(code)
            position = span.end()
        out.append(self._prose_text(markdown[position:]))
        return "".join(out)

    def plain_text(self, text: str) -> str:
        """Text shown as it is (a caution): the value as captured, once it fits its kind."""
        return self._replace(text, lambda name, value, start: value)

    def markdown(self, markdown: str) -> str:
        """Markdown with fenced code: each fence filled for its language, the rest as prose."""
        out: list[str] = []
        prose: list[str] = []
        fence: tuple[str, str, list[str]] | None = None     # (marker, language, lines)
        for line in markdown.split("\n"):
            stripped = line.strip()
            if fence is None and stripped.startswith(("```", "~~~")):
                if prose:
                    out.append(self.prose("\n".join(prose)))
                prose = []
                out.append(line)
                fence = (stripped[:3], stripped[3:].strip().split(" ")[0], [])
            elif fence is not None and stripped.startswith(fence[0]):
                if fence[2]:
                    out.append(self.command("\n".join(fence[2]), fence[1]))
                out.append(line)
                fence = None
            elif fence is not None:
                fence[2].append(line)
            else:
                prose.append(line)
        if fence is not None:                                  # unclosed: still code
            out.append(self.command("\n".join(fence[2]), fence[1]))
        if prose:
            out.append(self.prose("\n".join(prose)))
        return "\n".join(out)

    # --- plumbing --------------------------------------------------------------------

    def _replace(self, text: str, fill) -> str:
        """Each placeholder with a captured value that fits its kind replaced by
        `fill(name, value, position)` (None: refused there, left as it is)."""
        def replace(match: re.Match) -> str:
            name = match.group("name")
            value = self.values.get(name)
            if value is None:
                return match.group(0)
            kind = self.kinds.get(name)
            if kind is None:
                self._refuse(name, value, None, "cannot be checked: the placeholder has no kind "
                                                "in the KB's placeholder list")
                return match.group(0)
            why = check_value(kind, value)
            if why is not None:
                self._refuse(name, value, kind, why.replace("it is", "is", 1))
                return match.group(0)
            filled = fill(name, value, match.start())
            if filled is None:
                return match.group(0)
            self.filled[name] = value
            return filled
        return PLACEHOLDER.sub(replace, text)

    def _refuse(self, name: str, value: str, kind: str | None, reason: str) -> None:
        self.refused.setdefault(name, Refusal(name, value, kind, reason))

    def _plain(self, name: str, value: str, where: str) -> str | None:
        if PLAIN.fullmatch(value):
            return value
        self._refuse(name, value, self.kinds.get(name),
                     f"has characters that cannot go unquoted into {where}: fill it in by hand")
        return None

    def _prose_text(self, text: str) -> str:
        return self._replace(text, lambda name, value, start:
                             _MARKDOWN_PUNCTUATION.sub(r"\\\1", value))

    def _powershell(self, code: str) -> str:
        states = _powershell_states(code)

        def fill(name: str, value: str, start: int) -> str | None:
            state = states.get(start, "bare")
            end = start + len(name) + 2
            if state == "single":
                return _double_single_quotes(value)
            if state == "double":
                return re.sub("([`$\u201c\u201d\u201e\"])", r"`\1", value)
            whole = (start == 0 or code[start - 1] in _BEFORE_ARGUMENT
                     or _after_parameter_colon(code, start)) \
                and (end == len(code) or code[end] in _AFTER_ARGUMENT)
            if state == "bare" and whole:
                return "'" + _double_single_quotes(value) + "'"
            return self._plain(name, value, "a PowerShell command at this place")
        return self._replace(code, fill)


def _double_single_quotes(value: str) -> str:
    return "".join(c + c if c in SINGLE_QUOTES else c for c in value)


def _after_parameter_colon(code: str, start: int) -> bool:
    """`-User:<user>`: the placeholder is the argument of a parameter written with a colon."""
    if start == 0 or code[start - 1] != ":":
        return False
    token = re.search(r"(?:^|[\s(])(-[A-Za-z][\w-]*):$", code[:start])
    return token is not None


def _powershell_states(code: str) -> dict[int, str]:
    """The lexical state (bare, single, double, comment, unknown) at each `<` of the code."""
    states: dict[int, str] = {}
    state = "bare"
    i, n = 0, len(code)
    if re.search(r"@['\"\u2018\u2019\u201a\u201b\u201c\u201d\u201e]\s*$", code, re.M):
        state = "unknown"        # a here-string: quote nothing, plain values only
    while i < n:
        c = code[i]
        if c == "<":
            states[i] = state
        if state == "unknown":
            pass
        elif state == "bare":
            if c == "`":
                i += 1
            elif c in SINGLE_QUOTES:
                state = "single"
            elif c in DOUBLE_QUOTES:
                state = "double"
            elif c == "#" and (i == 0 or code[i - 1] in " \t\n;"):
                state = "comment"
        elif state == "single":
            if c in SINGLE_QUOTES:
                if i + 1 < n and code[i + 1] in SINGLE_QUOTES:
                    i += 1
                else:
                    state = "bare"
        elif state == "double":
            if c == "`":
                i += 1
            elif c in DOUBLE_QUOTES:
                if i + 1 < n and code[i + 1] in DOUBLE_QUOTES:
                    i += 1
                else:
                    state = "bare"
        elif state == "comment" and c == "\n":
            state = "bare"
        i += 1
    return states


def kind_label(kind: str | None) -> str:
    return KINDS[kind].label if kind in KINDS else "a value"
