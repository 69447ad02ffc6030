"""The reply guard: an agent never says its system prompt back, whatever it was talked into.

``leaks_prompt`` compares lower-cased words: a reply that contains any run of ``WINDOW``
consecutive words of the prompt (or the whole prompt, when it is shorter) is a leak. Prompts
are instructions, rarely quoted in normal answers; a false alarm costs one refusal.
"""

from __future__ import annotations

import re

WINDOW = 8
REFUSAL = "Sorry, I can't share my instructions. How else can I help?"
_WORD = re.compile(r"[\w'@.:/-]+")


def _words(text: str) -> list[str]:
    return [w.strip(".:").lower() for w in _WORD.findall(text) if w.strip(".:")]


def leaks_prompt(reply: str, system_prompt: str) -> bool:
    prompt = _words(system_prompt)
    if len(prompt) < 3:
        return False  # too short to be told apart from an ordinary answer
    said = " " + " ".join(_words(reply)) + " "
    window = min(WINDOW, len(prompt))
    return any(
        " " + " ".join(prompt[i : i + window]) + " " in said
        for i in range(len(prompt) - window + 1)
    )


def guard_reply(reply: str, system_prompt: str) -> tuple[str, bool]:
    """The reply, or the refusal when it would leak the prompt (and whether it did)."""
    if leaks_prompt(reply, system_prompt):
        return REFUSAL, True
    return reply, False
