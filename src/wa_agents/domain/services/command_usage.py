"""Usage records for the model calls that commands make (``/summarize``, ``/tasks``).

Written at once in a unit of work of their own (the command's reply is written later by the
turn): a turn that crashes and runs again called the model twice, and both calls are counted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wa_agents.domain.model.chat import Completion
from wa_agents.domain.model.usage import PriceTable, TurnUsage, prompt_version
from wa_agents.ports.clock import Clock, IdGenerator
from wa_agents.ports.unit_of_work import UnitOfWorkFactory

if TYPE_CHECKING:
    from wa_agents.domain.services.commands import CommandContext


class UsageRecorder:
    def __init__(
        self, uow: UnitOfWorkFactory, clock: Clock, ids: IdGenerator, prices: PriceTable
    ) -> None:
        self._uow, self._clock, self._ids, self.prices = uow, clock, ids, prices

    async def record(
        self, ctx: CommandContext, instruction: str, completion: Completion, latency_ms: int
    ) -> None:
        usage = completion.usage
        model = completion.model or (ctx.agent.model if ctx.agent else "")
        record = TurnUsage(
            id=self._ids.new_id(),
            agent_id=ctx.agent.id if ctx.agent else None,
            session_id=ctx.session_id,
            contact_jid=ctx.contact_jid,
            message_id=None,
            model=model,
            prompt_version=prompt_version(instruction),
            tokens_in=usage.prompt_tokens,
            tokens_out=usage.completion_tokens,
            latency_ms=latency_ms,
            cost_usd=self.prices.cost(model, usage.prompt_tokens, usage.completion_tokens),
            tool_calls=[],
            created_at=self._clock.now(),
        )
        async with self._uow() as uow:
            await uow.usage.add(record)
            await uow.commit()
