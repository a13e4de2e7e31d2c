"""Word lists: a `kind: words` file has a `## Synonyms` section (one group per bullet, members
separated by `~`), a `## Stop words` section (bullets of comma-separated words) and a
`## Causes no entry covers` section (bullets of phrases, several separated by `;`; a bullet that
starts `for unity, imp:` names causes no entry covers only in tickets about those products)."""

from __future__ import annotations

import re

from engine.kb.markdown import Section
from engine.kb.models import Phrase, SynonymGroup, Words
from engine.kb.rulelang import Problems, item_text

SECTIONS = ("synonyms", "stop words", "causes no entry covers")
_FOR = re.compile(r"^\s*for\s+([a-z0-9][a-z0-9 ,-]*?)\s*:\s*")


def read_words(path: str, found: list[Section], problems: Problems) -> Words:
    synonyms: list[SynonymGroup] = []
    stopwords: list[tuple[str, int]] = []
    outside: list[Phrase] = []
    for section in found:
        name = " ".join(section.title.lower().split())
        if name not in SECTIONS:
            problems.add(section.line, f"unknown section '## {section.title}' in a words file "
                                       f"(expected: Synonyms, Stop words, Causes no entry "
                                       f"covers)")
            continue
        for text, line in _bullets(section):
            if name == "synonyms":
                members = [" ".join(m.split()) for m in text.split("~")]
                if any(not m for m in members) or len(members) < 2:
                    problems.add(line, f"a synonym group needs two or more words or phrases "
                                       f"separated by '~', found '{text.strip()[:60]}'")
                    continue
                synonyms.append(SynonymGroup(members=tuple(members), path=path, line=line))
            elif name == "causes no entry covers":
                products: tuple[str, ...] = ()
                scoped = _FOR.match(text)
                if scoped:
                    products = tuple(p.strip() for p in scoped.group(1).split(",") if p.strip())
                    text = text[scoped.end():]
                for phrase in text.split(";"):
                    phrase = " ".join(phrase.split())
                    if len(phrase.split()) < 2:
                        if phrase:
                            problems.add(line, f"a cause is named in two or more words, found "
                                               f"'{phrase[:40]}'")
                        continue
                    outside.append(Phrase(value="yes", text=phrase, line=line, products=products))
            else:
                for word in text.split(","):
                    word = word.strip()
                    if not word:
                        continue
                    if len(word.split()) != 1:
                        problems.add(line, f"a stop word is one word, found '{word[:40]}' "
                                           f"(separate words with commas)")
                        continue
                    stopwords.append((word.lower(), line))
    return Words(synonyms=tuple(synonyms), stopwords=tuple(stopwords), outside=tuple(outside),
                 path=path)


def _bullets(section: Section):
    for node in section.nodes:
        if node.type in ("bullet_list", "ordered_list"):
            for item in node.children:
                yield item_text(item)
