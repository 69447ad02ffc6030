"""Approvals of tool calls.

Inside a ``UnitOfWork``. ``add`` raises ``AlreadyExists`` for a duplicate id; ``get`` raises
``NotFound``. ``decide`` stores a decided approval only while the stored one is still PENDING
and returns whether it did (two deciders racing: exactly one wins). ``save_result`` records an
approved call's result. ``finish`` marks the resumed turn done only the first time and returns
whether it did (so a resumed turn writes its reply at most once). ``list`` pages approvals,
newest first, of one status or all.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from wa_agents.domain.model.approval import Approval, ApprovalStatus
from wa_agents.domain.model.page import Page, PageRequest


class ApprovalRepository(Protocol):
    async def add(self, approval: Approval) -> None: ...
    async def get(self, approval_id: str) -> Approval: ...
    async def decide(self, approval: Approval) -> bool: ...
    async def save_result(self, approval_id: str, result: dict[str, Any]) -> None: ...
    async def finish(self, approval_id: str, now: datetime) -> bool: ...
    async def list(self, status: ApprovalStatus | None, page: PageRequest) -> Page[Approval]: ...
