"""In-memory ``ApprovalRepository``."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from wa_agents.adapters.memory.database import MemoryDatabase
from wa_agents.adapters.memory.table import Table
from wa_agents.domain.model.approval import Approval, ApprovalStatus
from wa_agents.domain.model.page import Page, PageRequest
from wa_agents.ports.approvals import ApprovalRepository


class MemoryApprovalRepository(ApprovalRepository):
    def __init__(self, db: MemoryDatabase) -> None:
        self._table: Table[str, Approval] = Table(
            lambda: db.approvals, "approval", lambda a: a.id, lambda a: (a.created_at, a.id)
        )

    async def add(self, approval: Approval) -> None:
        self._table.add(approval)

    async def get(self, approval_id: str) -> Approval:
        return self._table.get(approval_id)

    async def decide(self, approval: Approval) -> bool:
        if self._table.get(approval.id).status != ApprovalStatus.PENDING:
            return False
        stored = self._table.get(approval.id)
        self._table.update(
            replace(
                stored,
                status=approval.status,
                reason=approval.reason,
                decided_at=approval.decided_at,
                decided_by=approval.decided_by,
            )
        )
        return True

    async def save_result(self, approval_id: str, result: dict[str, Any]) -> None:
        self._table.update(replace(self._table.get(approval_id), result=result))

    async def finish(self, approval_id: str, now: datetime) -> bool:
        stored = self._table.get(approval_id)
        if stored.finished_at is not None:
            return False
        self._table.update(replace(stored, finished_at=now))
        return True

    async def list(self, status: ApprovalStatus | None, page: PageRequest) -> Page[Approval]:
        return self._table.page(
            page, lambda a: status is None or a.status == status, newest_first=True
        )
