"""Per-agent monthly budgets: past its allowance an agent stops calling the model.

The check reads this calendar month's (UTC) usage of the agent before a turn. Over budget,
the turn answers the budget's message, the conversation is handed to a person through the one
handoff transition (``over_budget_handoff``: audited and published like every switch), and a
warning goes to the LOGS table and the process log (``log_over_budget``).
"""

from __future__ import annotations

import logging
from datetime import datetime

from wa_agents.domain.model.agent import Agent
from wa_agents.domain.model.conversation import Conversation, HandoffMode
from wa_agents.domain.model.handoff import ModeRequest
from wa_agents.domain.model.log import LogEntry, LogLevel
from wa_agents.domain.model.usage import UsageTotals, month_start
from wa_agents.ports.clock import Clock, IdGenerator
from wa_agents.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

BUDGET_EXCEEDED = "budget_exceeded"  # the reply's metadata flag
log = logging.getLogger("wa_agents.budgets")


async def spent_this_month(uow: UnitOfWorkFactory, agent: Agent, now: datetime) -> UsageTotals:
    async with uow() as u:
        return await u.usage.totals(agent_id=agent.id, since=month_start(now))


async def over_budget(uow: UnitOfWorkFactory, agent: Agent, now: datetime) -> UsageTotals | None:
    """This month's usage when it has reached the agent's budget; None while within it."""
    if not agent.budget.limited:
        return None
    spent = await spent_this_month(uow, agent, now)
    return spent if agent.budget.exceeded_by(spent) else None


def over_budget_handoff(agent_id: str) -> ModeRequest:
    """The switch a turn over budget asks of the handoff machine (which audits and publishes
    it); the budget's message already told the user, so the switch says nothing."""
    return ModeRequest(
        HandoffMode.HUMAN, f"agent:{agent_id}", "the agent reached its monthly budget", False
    )


async def log_over_budget(
    uow: UnitOfWork,
    conversation: Conversation,
    agent_id: str,
    spent: dict[str, object],
    clock: Clock,
    ids: IdGenerator,
) -> None:
    """Inside the turn's unit of work: a warning in the LOGS table (and the process log)."""
    reason = f"agent {agent_id} reached its monthly budget"
    await uow.logs.add(
        LogEntry(
            id=ids.new_id(),
            level=LogLevel.WARNING,
            source="budget",
            message=f"{reason}; {conversation.contact_jid} handed to a person",
            timestamp=clock.now(),
            details={"agent_id": agent_id, **spent},
            session_id=conversation.session_id,
        )
    )
    log.warning("%s; %s handed to a person", reason, conversation.key)
