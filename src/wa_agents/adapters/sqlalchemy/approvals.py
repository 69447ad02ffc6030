"""SQLAlchemy ``ApprovalRepository``: the ``approvals`` table."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, insert, select, update

from wa_agents.adapters.sqlalchemy.base import Repository
from wa_agents.adapters.sqlalchemy.convert import Row
from wa_agents.adapters.sqlalchemy.tables import ApprovalRow
from wa_agents.domain.model.approval import Approval, ApprovalStatus
from wa_agents.domain.model.page import Page, PageRequest
from wa_agents.ports.approvals import ApprovalRepository

approvals: Table = cast(Table, ApprovalRow.__table__)
a = approvals.c
_FIELDS = tuple(col.name for col in approvals.columns)


def _values(approval: Approval) -> dict[str, Any]:
    values = {name: getattr(approval, name) for name in _FIELDS}
    return {**values, "status": approval.status.value}


def _approval(row: Row) -> Approval:
    return Approval(**{**row, "status": ApprovalStatus(row["status"])})


class SqlAlchemyApprovalRepository(Repository, ApprovalRepository):
    async def add(self, approval: Approval) -> None:
        await self._insert_unique(
            insert(approvals).values(_values(approval)), "approval", approval.id
        )

    async def get(self, approval_id: str) -> Approval:
        return await self._one(
            select(approvals).where(a.id == approval_id), _approval, "approval", approval_id
        )

    async def decide(self, approval: Approval) -> bool:
        statement = (
            update(approvals)
            .where(a.id == approval.id, a.status == ApprovalStatus.PENDING.value)
            .values(
                status=approval.status.value,
                reason=approval.reason,
                decided_at=approval.decided_at,
                decided_by=approval.decided_by,
            )
        )
        return bool((await self._s.execute(statement)).rowcount)

    async def save_result(self, approval_id: str, result: dict[str, Any]) -> None:
        statement = update(approvals).where(a.id == approval_id).values(result=result)
        await self._changed(statement, "approval", approval_id)

    async def finish(self, approval_id: str, now: datetime) -> bool:
        statement = (
            update(approvals)
            .where(a.id == approval_id, a.finished_at.is_(None))
            .values(finished_at=now)
        )
        return bool((await self._s.execute(statement)).rowcount)

    async def list(self, status: ApprovalStatus | None, page: PageRequest) -> Page[Approval]:
        query = select(approvals)
        if status is not None:
            query = query.where(a.status == status.value)
        return await self._page(query, _approval, page, a.created_at.desc(), a.id.desc())
