"""Managed memory: history past the agent's token budget is folded into a rolling summary.

The agent sees its system prompt, the conversation's summary (when there is one) and the
newest messages after it that fit the budget. When the unsummarised messages no longer fit,
the older ones are given to the model with the summary so far, and its answer becomes the
new summary: about half the budget is kept as verbatim messages, so a summary is not remade
on every turn. The caller stores the new ``Memory`` with the reply (same unit of work).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from wa_agents.domain.model.agent import Agent
from wa_agents.domain.model.chat import ChatMessage, ChatRole, ImagePart, TokenUsage
from wa_agents.domain.model.conversation import Memory
from wa_agents.domain.model.history import estimate_tokens, fit_history
from wa_agents.domain.model.message import Direction, Message
from wa_agents.ports.chat_model import ChatModel

SUMMARY_INSTRUCTION = (
    "You keep the memory of a WhatsApp conversation between a user and an assistant. "
    "Summarize the summary so far and the new messages into one short summary: who the user "
    "is, what they asked and were told, open questions, promises made. Facts only, "
    "at most {words} words."
)
SUMMARY_HEADING = "Summary of the earlier conversation:\n"
MAX_SUMMARY_CHARS = 4_000
MAX_FOLD_CHARS = 32_000  # of transcript given to one summary call (the newest part)


@dataclass(frozen=True, slots=True)
class Recall:
    """What the model is shown, and what the memory became on the way."""

    window: list[Message]
    summary: str
    updated: Memory | None = None  # set when a new summary was made
    usage: TokenUsage = field(default_factory=TokenUsage)
    model: str = ""


def summary_limit(agent: Agent) -> int:
    """At most a third of the agent's history budget (in characters), so the summary never
    crowds out the conversation itself."""
    return min(MAX_SUMMARY_CHARS, agent.max_history_tokens * 4 // 3)


def _cost(message: Message) -> int:
    return estimate_tokens(message.content)


def transcript(messages: Sequence[Message]) -> str:
    lines = [
        f"{'User' if m.direction == Direction.INBOUND else 'Assistant'}: {m.content}"
        for m in messages
    ]
    return "\n".join(lines)[-MAX_FOLD_CHARS:]


def context_messages(
    agent: Agent, recall: Recall, images: Mapping[str, tuple[ImagePart, ...]] | None = None
) -> list[ChatMessage]:
    """The system prompt, the rolling summary, the window; ``images`` (by message id) go
    with the user's messages as image parts."""
    system = [ChatMessage(role=ChatRole.SYSTEM, content=agent.system_prompt)]
    if recall.summary:
        system.append(ChatMessage(role=ChatRole.SYSTEM, content=SUMMARY_HEADING + recall.summary))
    given = images or {}
    return [*system, *(_chat(m, given.get(m.id, ())) for m in recall.window)]


def _chat(message: Message, images: tuple[ImagePart, ...]) -> ChatMessage:
    if message.direction == Direction.INBOUND:
        return ChatMessage(role=ChatRole.USER, content=message.content, images=images)
    return ChatMessage(role=ChatRole.ASSISTANT, content=message.content)


class MemoryKeeper:
    def __init__(self, model: ChatModel) -> None:
        self._model = model

    async def recall(
        self, agent: Agent, history: Sequence[Message], memory: Memory, now: datetime
    ) -> Recall:
        fresh = [m for m in history if m.content and not memory.covers(m.timestamp, m.id)]
        budget = max(agent.max_history_tokens - estimate_tokens(agent.system_prompt), 0)
        if memory.summary:
            budget = max(budget - estimate_tokens(SUMMARY_HEADING + memory.summary), 0)
        if not agent.memory.summarize or sum(map(_cost, fresh)) <= budget:
            return Recall(fit_history(fresh, budget, _cost), memory.summary)
        kept = fit_history(fresh, budget // 2, _cost) or fresh[-1:]
        folded = fresh[: len(fresh) - len(kept)]
        if not folded:
            return Recall(kept, memory.summary)
        return await self._fold(agent, memory, folded, kept, now)

    async def _fold(
        self,
        agent: Agent,
        memory: Memory,
        folded: list[Message],
        kept: list[Message],
        now: datetime,
    ) -> Recall:
        limit = summary_limit(agent)
        words = max(limit // 6, 20)
        so_far = f"Summary so far:\n{memory.summary}\n\n" if memory.summary else ""
        completion = await self._model.complete(
            [
                ChatMessage(role=ChatRole.SYSTEM, content=SUMMARY_INSTRUCTION.format(words=words)),
                ChatMessage(
                    role=ChatRole.USER,
                    content=f"{so_far}New messages:\n{transcript(folded)}",
                ),
            ],
            model=agent.model,
            temperature=0.2,
        )
        summary = completion.text.strip()[:limit]
        if not summary:  # nothing usable: keep the old memory, drop the oldest messages
            return Recall(kept, memory.summary, None, completion.usage, completion.model)
        last = folded[-1]
        updated = Memory(summary, last.timestamp, last.id, now)
        return Recall(kept, summary, updated, completion.usage, completion.model)
