"""Fitting conversation history into a token budget."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from wa_agents.domain.model.command import CommandName, parse_command
from wa_agents.domain.model.message import Direction, Message, MessageType

T = TypeVar("T")


def estimate_tokens(text: str) -> int:
    """A cheap, model-agnostic estimate: about four characters a token, plus framing."""
    return len(text) // 4 + 4


def fit_history(items: Sequence[T], budget: int, cost: Callable[[T], int]) -> list[T]:
    """The longest suffix of ``items`` (newest last) whose total cost is within ``budget``.

    Order is kept; nothing in the middle is dropped, so the model never sees a gap.
    """
    kept: list[T] = []
    spent = 0
    for item in reversed(items):
        spent += cost(item)
        if spent > budget:
            break
        kept.append(item)
    kept.reverse()
    return kept


def is_command_traffic(message: Message) -> bool:
    """Commands and their answers are not conversation: the model never sees them."""
    if message.direction == Direction.OUTBOUND:
        return "command" in message.metadata
    return message.message_type == MessageType.TEXT and parse_command(message.content) is not None


def conversational(history: list[Message]) -> list[Message]:
    """History after the last /reset, without command traffic."""
    start = 0
    for index, message in enumerate(history):
        command = parse_command(message.content) if message.direction == Direction.INBOUND else None
        if command is not None and command.name == CommandName.RESET:
            start = index + 1
    return [m for m in history[start:] if not is_command_traffic(m)]
