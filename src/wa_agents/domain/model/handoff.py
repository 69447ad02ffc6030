"""Handoff policy: how an agent hands a conversation to a person, and takes it back.

The transition itself is ``Conversation.switched`` (and its ``hand_off``/``resume``/``pause``
shorthands); ``domain.services.handoff`` is the one use case that applies it, audits it,
publishes it and tells the user.
"""

from __future__ import annotations

from dataclasses import dataclass

from wa_agents.domain.model.conversation import HandoffMode
from wa_agents.domain.model.errors import ValidationError

DEFAULT_HANDOFF_MESSAGE = "OK, a person will answer you here as soon as possible."
DEFAULT_RESUME_MESSAGE = "You are talking to the assistant again."
DEFAULT_RESUME_WORD = "/bot"
MAX_MESSAGE = 1_000
MAX_TIMEOUT_MINUTES = 30 * 24 * 60


@dataclass(frozen=True, slots=True, kw_only=True)
class HandoffPolicy:
    """Per agent. An empty ``message``/``resume_message`` says nothing on that switch; an
    empty ``resume_word`` means only an operator (or the timeout) brings the agent back;
    ``timeout_minutes`` None means a handoff lasts until an operator ends it."""

    message: str = DEFAULT_HANDOFF_MESSAGE
    resume_message: str = DEFAULT_RESUME_MESSAGE
    resume_word: str = DEFAULT_RESUME_WORD
    timeout_minutes: int | None = None

    def __post_init__(self) -> None:
        for name in ("message", "resume_message"):
            if len(getattr(self, name)) > MAX_MESSAGE:
                raise ValidationError(f"handoff.{name} must be at most {MAX_MESSAGE} characters")
        word = self.resume_word
        if word and (len(word) > 32 or word != word.strip() or " " in word):
            raise ValidationError("handoff.resume_word must be one word of at most 32 characters")
        if (
            self.timeout_minutes is not None
            and not 1 <= self.timeout_minutes <= MAX_TIMEOUT_MINUTES
        ):
            raise ValidationError(
                f"handoff.timeout_minutes must be between 1 and {MAX_TIMEOUT_MINUTES} (or null)"
            )

    def is_resume_word(self, text: str) -> bool:
        return bool(self.resume_word) and text.strip().casefold() == self.resume_word.casefold()

    def notice(self, mode: HandoffMode) -> str:
        """What the user is told when the conversation switches to ``mode`` ('' = nothing)."""
        if mode == HandoffMode.HUMAN:
            return self.message
        if mode == HandoffMode.AI:
            return self.resume_message
        return ""


@dataclass(frozen=True, slots=True)
class ModeRequest:
    """A switch asked for by a turn (the tool, ``/human``, the resume word, business hours),
    applied in the unit of work that writes the turn's replies, so both happen or neither.
    ``announce`` False: the switch says nothing (a reply already told the user)."""

    mode: HandoffMode
    by: str
    reason: str
    announce: bool = True


@dataclass(slots=True)
class TurnEffects:
    """What a turn's tools and commands ask for beyond their reply text."""

    mode: ModeRequest | None = None
