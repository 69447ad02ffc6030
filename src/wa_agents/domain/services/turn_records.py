"""What every answered agent turn leaves beside its reply: the ``ai.reply`` audit row and the
usage row (tokens, latency, cost), whether the turn ran straight through or resumed after an
approval."""

from __future__ import annotations

from typing import Any

from wa_agents.domain.model.message import Message
from wa_agents.domain.model.usage import TurnUsage
from wa_agents.domain.services.agent_turn import TurnResult
from wa_agents.domain.services.audit import record_audit
from wa_agents.ports.clock import Clock, IdGenerator
from wa_agents.ports.unit_of_work import UnitOfWork


async def record_turn(
    uow: UnitOfWork,
    ids: IdGenerator,
    clock: Clock,
    agent_id: str | None,
    reply: Message,
    turn: TurnResult,
    **details: Any,
) -> None:
    """Inside ``uow``, with the reply: its audit row (plus ``details``) and its usage row."""
    await record_audit(
        uow,
        ids,
        clock,
        actor=f"agent:{agent_id or '-'}",
        action="ai.reply",
        target=f"{reply.session_id}/{reply.contact_jid}",
        model=turn.model,
        prompt_version=turn.prompt_version,
        tool_calls=turn.tool_calls,
        latency_ms=turn.latency_ms,
        prompt_tokens=turn.usage.prompt_tokens,
        completion_tokens=turn.usage.completion_tokens,
        cost_usd=turn.cost_usd,
        message_id=reply.id,
        **details,
    )
    usage = TurnUsage(
        id=ids.new_id(),
        agent_id=agent_id,
        session_id=reply.session_id,
        contact_jid=reply.contact_jid,
        message_id=reply.id,
        model=turn.model,
        prompt_version=turn.prompt_version,
        tokens_in=turn.usage.prompt_tokens,
        tokens_out=turn.usage.completion_tokens,
        latency_ms=turn.latency_ms,
        cost_usd=turn.cost_usd,
        tool_calls=turn.tool_calls,
        created_at=reply.timestamp,
    )
    await uow.usage.add(usage)
