"""Circuit breakers around the chat model and the messaging gateway (port decorators).

While a circuit is open, calls fail at once with ``CircuitOpen`` instead of waiting on a
dependency that is down; the job runner puts such jobs back to wait (no attempt used), and
webhooks keep being accepted and stored, because they never call the model or the bridge.
Only infrastructure failures count: a disconnected number or a bad request is not an outage.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import TypeVar

from wa_agents.domain.model.chat import ChatMessage, Completion, ToolSpec
from wa_agents.domain.model.circuit import CircuitBreaker
from wa_agents.domain.model.errors import InfrastructureError, SessionNotConnected
from wa_agents.ports.chat_model import ChatModel
from wa_agents.ports.clock import Clock
from wa_agents.ports.messaging import MessagingGateway, SessionInfo

T = TypeVar("T")


class CircuitOpen(InfrastructureError):
    """A dependency is known to be down; try again at ``retry_at``."""

    def __init__(self, name: str, retry_at: datetime) -> None:
        super().__init__(f"{name} is unavailable (circuit open until {retry_at:%H:%M:%S})")
        self.retry_at = retry_at


async def guarded(breaker: CircuitBreaker, clock: Clock, call: Callable[[], Awaitable[T]]) -> T:
    now = clock.now()
    if not breaker.allow(now):
        raise CircuitOpen(breaker.name, breaker.retry_at(now))
    try:
        result = await call()
    except SessionNotConnected:
        breaker.record_success()  # the bridge answered: it is up
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
    def __init__(
        self, inner: ChatModel, clock: Clock, breaker: CircuitBreaker | None = None
    ) -> None:
        self.inner, self._clock = inner, clock
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
        return await guarded(
            self.breaker,
            self._clock,
            lambda: self.inner.complete(
                messages, tools, model=model, temperature=temperature, max_tokens=max_tokens
            ),
        )


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

    async def send_presence(self, session_id: str, jid: str, state: str) -> None:
        await guarded(
            self.breaker, self._clock, lambda: self.inner.send_presence(session_id, jid, state)
        )

    async def mark_read(self, session_id: str, jid: str, wa_message_ids: list[str]) -> None:
        await self.inner.mark_read(session_id, jid, wa_message_ids)
