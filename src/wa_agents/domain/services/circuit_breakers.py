"""Circuit breakers around the chat model and the messaging gateway (port decorators).

While a circuit is open, calls fail at once with ``CircuitOpen`` instead of waiting on a
dependency that is down; the job runner puts such jobs back to wait (no attempt used), and
webhooks keep being accepted and stored, because they never call the model or the bridge.
Only infrastructure failures count: a disconnected number or a bad request is not an outage.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from wa_agents.domain.model.chat import ChatMessage, Completion, ToolSpec
from wa_agents.domain.model.circuit import CircuitBreaker
from wa_agents.domain.model.errors import (
    InfrastructureError,
    LLMRejected,
    LLMUnavailable,
    NumberRestricted,
    SessionNotConnected,
    Unavailable,
)
from wa_agents.domain.model.log import LogLevel
from wa_agents.domain.services.logs import LogService
from wa_agents.ports.chat_model import ChatModel
from wa_agents.ports.clock import Clock
from wa_agents.ports.messaging import MessagingGateway, OutgoingMedia, SessionInfo

T = TypeVar("T")


@dataclass
class CircuitBreakers:
    """The platform's breakers, one per dependency; built once by the host (the container),
    so health checks and metrics read the same state the job runner acts on."""

    model: CircuitBreaker = field(default_factory=lambda: CircuitBreaker("the chat model"))
    gateway: CircuitBreaker = field(default_factory=lambda: CircuitBreaker("the WhatsApp bridge"))
    transcriber: CircuitBreaker = field(
        default_factory=lambda: CircuitBreaker("the transcription service")
    )


class CircuitOpen(Unavailable):
    """A dependency is known to be down; try again at ``retry_at``."""

    def __init__(self, name: str, retry_at: datetime) -> None:
        super().__init__(
            f"{name} is unavailable (circuit open until {retry_at:%H:%M:%S})", retry_at
        )


class ModelOutage(Unavailable, LLMUnavailable):
    """The chat model could not be reached (or failed on its side): the turn waits for it,
    without using an attempt, instead of dying after a few quick retries."""


async def guarded(breaker: CircuitBreaker, clock: Clock, call: Callable[[], Awaitable[T]]) -> T:
    now = clock.now()
    if not breaker.allow(now):
        raise CircuitOpen(breaker.name, breaker.retry_at(now))
    try:
        result = await call()
    except (SessionNotConnected, LLMRejected, NumberRestricted):
        breaker.record_success()  # it answered (a number down or restricted, a refusal): up
        raise
    except InfrastructureError:
        breaker.record_failure(clock.now())
        raise
    except BaseException:
        breaker.trial_in_flight = False
        raise
    breaker.record_success()
    return result


class GuardedChatModel(ChatModel):
    """A failure to reach the model becomes ``ModelOutage`` (the job waits: a model outage
    never kills a message); a refused request stays ``LLMRejected`` (the job's attempts count).
    The circuit opening and closing again are written to the operational log."""

    def __init__(
        self,
        inner: ChatModel,
        clock: Clock,
        breaker: CircuitBreaker | None = None,
        logs: LogService | None = None,
    ) -> None:
        self.inner, self._clock, self._logs = inner, clock, logs
        self.breaker = breaker or CircuitBreaker("the chat model")

    async def complete(
        self,
        messages: Sequence[ChatMessage],
        tools: Sequence[ToolSpec] = (),
        *,
        model: str,
        temperature: float = 0.7,
        max_tokens: int | None = None,
    ) -> Completion:
        was_open = self.breaker.opened_at is not None
        try:
            result = await guarded(
                self.breaker,
                self._clock,
                lambda: self.inner.complete(
                    messages, tools, model=model, temperature=temperature, max_tokens=max_tokens
                ),
            )
        except (Unavailable, LLMRejected):
            raise
        except LLMUnavailable as exc:
            now = self._clock.now()
            if not was_open and self.breaker.opened_at is not None:
                await self._log(LogLevel.ERROR, f"the chat model is unreachable: {exc}")
            raise ModelOutage(
                f"the chat model is unavailable: {exc}", self.breaker.retry_at(now)
            ) from exc
        if was_open:
            await self._log(LogLevel.INFO, "the chat model answers again")
        return result

    async def _log(self, level: LogLevel, message: str) -> None:
        if self._logs is None:
            return
        with contextlib.suppress(Exception):  # a courtesy: the outage is handled either way
            await self._logs.log(level, "llm", message[:1_000], failures=self.breaker.failures)


class GuardedGateway(MessagingGateway):
    """Sends and presence go through the breaker; session management is left as it is."""

    def __init__(
        self, inner: MessagingGateway, clock: Clock, breaker: CircuitBreaker | None = None
    ) -> None:
        self.inner, self._clock = inner, clock
        self.breaker = breaker or CircuitBreaker("the WhatsApp bridge")

    async def create_session(self, session_id: str) -> SessionInfo:
        return await self.inner.create_session(session_id)

    async def get_session(self, session_id: str) -> SessionInfo:
        return await self.inner.get_session(session_id)

    async def reconnect(self, session_id: str) -> SessionInfo:
        return await self.inner.reconnect(session_id)

    async def logout(self, session_id: str) -> None:
        await self.inner.logout(session_id)

    async def request_pairing_code(self, session_id: str, phone_number: str) -> str:
        return await self.inner.request_pairing_code(session_id, phone_number)

    async def delete_session(self, session_id: str) -> None:
        await self.inner.delete_session(session_id)

    async def send_text(
        self, session_id: str, to_jid: str, text: str, *, idempotency_key: str
    ) -> str:
        return await guarded(
            self.breaker,
            self._clock,
            lambda: self.inner.send_text(session_id, to_jid, text, idempotency_key=idempotency_key),
        )

    async def send_media(
        self, session_id: str, to_jid: str, media: OutgoingMedia, *, idempotency_key: str
    ) -> str:
        return await guarded(
            self.breaker,
            self._clock,
            lambda: self.inner.send_media(
                session_id, to_jid, media, idempotency_key=idempotency_key
            ),
        )

    async def send_presence(self, session_id: str, jid: str, state: str) -> None:
        await guarded(
            self.breaker, self._clock, lambda: self.inner.send_presence(session_id, jid, state)
        )

    async def mark_read(self, session_id: str, jid: str, wa_message_ids: list[str]) -> None:
        await self.inner.mark_read(session_id, jid, wa_message_ids)
