"""GovernorAdmin: what operators see and change of a number's send governor."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from wa_agents.domain.services.governor import NumberReport, SendGovernor
from wa_agents.domain.services.sessions import SessionService
from wa_agents.ports.unit_of_work import UnitOfWorkFactory


class GovernorAdmin:
    def __init__(
        self, uow: UnitOfWorkFactory, governor: SendGovernor, sessions: SessionService
    ) -> None:
        self._uow, self._governor, self._sessions = uow, governor, sessions

    async def report(self, session_id: str) -> NumberReport:
        """The number's health, pause, recent sends, effective policy and its own overrides
        (``NotFound``)."""
        async with self._uow() as uow:
            session = await uow.sessions.get(session_id)
        policy = self._governor.policy(session.send_policy, session.send_min_interval_ms)
        report = await self._governor.report(session_id, policy, session.created_at)
        return replace(report, overrides=dict(session.send_policy or {}))

    async def set_policy(self, session_id: str, overrides: dict[str, Any] | None) -> NumberReport:
        """Replace the number's overrides (None or {}: the server's defaults)."""
        await self._sessions.configure(session_id, send_policy=overrides or None)
        return await self.report(session_id)

    async def resume(self, session_id: str) -> NumberReport:
        """Lift a pause (after a restriction, or a ban the operator has dealt with)."""
        await self.report(session_id)  # NotFound for an unknown session
        await self._governor.resume(session_id)
        return await self.report(session_id)
