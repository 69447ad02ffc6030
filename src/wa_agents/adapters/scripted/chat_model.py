"""``ScriptedChatModel``: answers without any network, deterministically.

It is clearly labelled: every completion carries ``metadata["scripted"] = True`` and the
model name ``scripted``. Behaviour, in order:

1. a queued ``script`` of completions is played first (tests pin exact turns this way);
2. after tool results, it answers with what the tools returned;
3. when a ``ToolRule`` matches the last user message and that tool is offered, it calls it
   (the default rules end with ``search_knowledge`` for any question: an agent that has the
   tool answers from its documents, quoting titles and chunk ids);
4. otherwise it summarises, lists tasks, or echoes, depending on the system instruction.
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from wa_agents.domain.model.chat import (
    ChatMessage,
    ChatRole,
    Completion,
    TokenUsage,
    ToolCall,
    ToolSpec,
)
from wa_agents.domain.model.history import estimate_tokens
from wa_agents.ports.chat_model import ChatModel

ArgumentsFrom = Callable[[re.Match[str]], dict[str, Any]]
_TASK_WORDS = re.compile(
    r"\b(need to|must|please|todo|to do|remember to|should|don't forget)\b", re.I
)


@dataclass(frozen=True, slots=True)
class ToolRule:
    """Call ``tool`` when ``pattern`` matches the last user message."""

    pattern: str
    tool: str
    arguments: ArgumentsFrom = lambda _match: {}


DEFAULT_RULES = (
    ToolRule(r"\b(what time|what day|today|date)\b", "current_time"),
    ToolRule(
        r"\b(?:did i (?:say|mention)|find)\b\s+(?:about\s+)?(?P<q>[\w\s]+)",
        "search_history",
        lambda m: {"query": m.group("q").strip()},
    ),
    ToolRule(
        r"\b(talk to|speak to) (a )?(human|person)\b",
        "handoff_to_human",
        lambda _m: {"reason": "the user asked for a person"},
    ),
    # last: an agent given its knowledge base looks every other question up (the demo of
    # answers with citations); agents without the tool never reach this rule
    ToolRule(
        r"(?s)^\s*(?P<q>\S.*?)\s*$",
        "search_knowledge",
        lambda m: {"query": m.group("q")[:500]},
    ),
)


class ScriptedChatModel(ChatModel):
    fixed_model = "scripted"  # answers every agent itself, whatever model the agent names

    def __init__(
        self, *, script: Iterable[Completion] = (), rules: Sequence[ToolRule] = DEFAULT_RULES
    ) -> None:
        self._script = deque(script)
        self._rules = tuple(rules)
        self.calls: list[tuple[list[ChatMessage], list[str]]] = []  # inspection: what was asked

    def queue(self, *completions: Completion) -> None:
        self._script.extend(completions)

    async def complete(
        self,
        messages: Sequence[ChatMessage],
        tools: Sequence[ToolSpec] = (),
        *,
        model: str,
        temperature: float = 0.7,
        max_tokens: int | None = None,
    ) -> Completion:
        self.calls.append((list(messages), [t.name for t in tools]))
        usage = TokenUsage(sum(estimate_tokens(m.content) for m in messages), 0)
        if self._script:
            scripted = self._script.popleft()
            return Completion(
                text=scripted.text,
                tool_calls=scripted.tool_calls,
                model="scripted",
                usage=usage + scripted.usage,
                metadata={**scripted.metadata, "scripted": True},
            )
        text, calls = self._respond(list(messages), {t.name for t in tools})
        return Completion(
            text=text,
            tool_calls=calls,
            model="scripted",
            usage=usage + TokenUsage(0, estimate_tokens(text)),
            metadata={"scripted": True},
        )

    def _respond(
        self, messages: list[ChatMessage], offered: set[str]
    ) -> tuple[str, tuple[ToolCall, ...]]:
        last = messages[-1] if messages else ChatMessage(role=ChatRole.USER)
        if last.role == ChatRole.TOOL:
            results = []
            for m in reversed(messages):
                if m.role != ChatRole.TOOL:
                    break
                results.append(f"{m.name}: {m.content}")
            return "Here is what I found:\n" + "\n".join(reversed(results)), ()
        user_text = next((m.content for m in reversed(messages) if m.role == ChatRole.USER), "")
        for index, rule in enumerate(self._rules):
            match = re.search(rule.pattern, user_text, re.IGNORECASE)
            if match and rule.tool in offered:
                call = ToolCall(f"call_{len(self.calls)}_{index}", rule.tool, rule.arguments(match))
                return "", (call,)
        system = next((m.content for m in messages if m.role == ChatRole.SYSTEM), "").lower()
        return self._text_reply(system, user_text), ()

    @staticmethod
    def _text_reply(system: str, user_text: str) -> str:
        lines = [line.strip() for line in user_text.splitlines() if line.strip()]
        if "summar" in system:
            lines = [line for line in lines if not line.endswith(":")]  # headings
            head = "; ".join(lines[:3]) + (" …" if len(lines) > 3 else "")
            return f"Summary of {len(lines)} messages: {head}" if lines else "Nothing to summarise."
        if "extract" in system and "task" in system:
            tasks = [f"- {line}" for line in lines if _TASK_WORDS.search(line)]
            return "Tasks:\n" + "\n".join(tasks) if tasks else "No tasks found."
        return f"(scripted demo reply) You said: {json.dumps(user_text, ensure_ascii=False)[1:-1]}"
