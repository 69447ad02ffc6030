"""Cutting a document's text into passages for search.

Sections start at Markdown headings (``#`` … ``######``; HTML headings arrive as such); a
passage never crosses a section, and carries its section's heading path ("Returns > Refunds")
as its first line. Inside a section, sentences are packed up to ``max_chars``, and each passage
repeats the last sentences of the one before it (up to ``overlap_chars``) so an answer split
across a boundary is found whole in one of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_CHARS = 800  # ~200 tokens: under MiniLM's 256-token window, heading included
OVERLAP_CHARS = 160

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_SENTENCE_END = re.compile(r"(?<=[.!?…:;])\s+")


@dataclass(frozen=True, slots=True)
class Passage:
    heading: str
    text: str  # the heading line (if any), then the body


def _sections(text: str) -> list[tuple[str, list[str]]]:
    path: list[tuple[int, str]] = []
    sections: list[tuple[str, list[str]]] = [("", [])]
    for line in text.splitlines():
        found = _HEADING.match(line.strip())
        if found:
            level = len(found.group(1))
            path = [(lvl, name) for lvl, name in path if lvl < level] + [(level, found.group(2))]
            sections.append((" > ".join(name for _, name in path), []))
        else:
            sections[-1][1].append(line)
    return [(heading, lines) for heading, lines in sections if any(x.strip() for x in lines)]


def _sentences(lines: list[str], max_chars: int) -> list[str]:
    paragraphs = re.split(r"\n\s*\n", "\n".join(lines))
    pieces: list[str] = []
    for paragraph in paragraphs:
        for line in paragraph.splitlines():  # list items and table rows stay apart
            for sentence in _SENTENCE_END.split(" ".join(line.split())):
                pieces += _split_long(sentence, max_chars) if sentence else []
    return pieces


def _split_long(sentence: str, max_chars: int) -> list[str]:
    if len(sentence) <= max_chars:
        return [sentence]
    words, parts, current = sentence.split(" "), [], ""
    for word in words:
        if current and len(current) + 1 + len(word) > max_chars:
            parts.append(current)
            current = ""
        current = f"{current} {word}".strip()[:max_chars]
    return [*parts, current] if current else parts


def _pack(sentences: list[str], budget: int, overlap: int) -> list[list[str]]:
    chunks: list[list[str]] = []
    current: list[str] = []
    for sentence in sentences:
        if current and sum(len(s) + 1 for s in current) + len(sentence) > budget:
            chunks.append(current)
            carried: list[str] = []
            for previous in reversed(current):
                if sum(len(s) + 1 for s in carried) + len(previous) > overlap:
                    break
                carried.insert(0, previous)
            current = carried if len(carried) < len(current) else []
        current.append(sentence)
    return [*chunks, current] if current else chunks


def chunk_text(
    text: str, *, max_chars: int = MAX_CHARS, overlap_chars: int = OVERLAP_CHARS
) -> list[Passage]:
    """The passages of ``text``, in document order."""
    passages: list[Passage] = []
    for heading, lines in _sections(text):
        budget = max(max_chars - len(heading) - 1, max_chars // 2)
        for sentences in _pack(_sentences(lines, budget), budget, overlap_chars):
            body = " ".join(sentences)
            passages.append(Passage(heading, f"{heading}\n{body}" if heading else body))
    return passages
