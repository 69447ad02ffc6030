"""Usage and cost (``GET /api/v1/usage``), and an agent's memory and budget settings."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Annotated

import msgspec

from wa_agents.domain.model.conversation import MemoryPolicy
from wa_agents.domain.model.usage import Budget, UsageGroup, UsageRow, UsageTotals
from wa_agents.domain.services.usage import UsageReport
from wa_agents.entrypoints.http.dto.common import text

DEFAULT_BUDGET_MESSAGE = Budget().message


class MemoryPolicyIO(msgspec.Struct):
    """``summarize``: history past ``max_history_tokens`` is folded into a rolling summary
    made by the model (otherwise the oldest messages are dropped)."""

    summarize: bool = True

    def policy(self) -> MemoryPolicy:
        return MemoryPolicy(self.summarize)

    @classmethod
    def of(cls, policy: MemoryPolicy) -> MemoryPolicyIO:
        return cls(policy.summarize)


class BudgetIO(msgspec.Struct):
    """A monthly allowance (calendar month, UTC); null means no limit. Past it the agent
    answers ``message``, hands the conversation to a person and logs a warning."""

    # >= 1 and > 0, checked by the Budget itself (a 422): Litestar's schema of an optional
    # field drops its bounds, so the schema could not promise them anyway
    monthly_tokens: int | None = None
    monthly_cost_usd: float | None = None
    message: Annotated[str, text(1_000, 1)] = DEFAULT_BUDGET_MESSAGE

    def budget(self) -> Budget:
        return Budget(self.monthly_tokens, self.monthly_cost_usd, self.message)

    @classmethod
    def of(cls, budget: Budget) -> BudgetIO:
        return cls(**asdict(budget))


class UsageTotalsOut(msgspec.Struct):
    turns: int
    tokens_in: int
    tokens_out: int
    cost_usd: float

    @classmethod
    def of(cls, t: UsageTotals) -> UsageTotalsOut:
        return cls(t.turns, t.tokens_in, t.tokens_out, t.cost_usd)


class UsageRowOut(msgspec.Struct):
    key: str  # agent id, session id or UTC day (YYYY-MM-DD)
    label: str  # agent name, session display name, or the day
    turns: int
    tokens_in: int
    tokens_out: int
    cost_usd: float

    @classmethod
    def of(cls, row: UsageRow) -> UsageRowOut:
        t = row.totals
        return cls(row.key, row.label, t.turns, t.tokens_in, t.tokens_out, t.cost_usd)


class UsageOut(msgspec.Struct):
    group_by: UsageGroup
    from_: datetime = msgspec.field(name="from")
    to: datetime = msgspec.field(name="to")
    rows: list[UsageRowOut]  # required (no default), so the OpenAPI says they are always there
    total: UsageTotalsOut

    @classmethod
    def of(cls, report: UsageReport) -> UsageOut:
        return cls(
            report.group_by,
            report.since,
            report.until,
            [UsageRowOut.of(r) for r in report.rows],
            UsageTotalsOut.of(report.total),
        )
