"""``/api/v1/approvals``: tool calls waiting for an operator, and their decisions."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import ClientException
from litestar.params import FromPath, Parameter

from wa_agents.domain.model.approval import ApprovalStatus
from wa_agents.domain.model.page import PageRequest
from wa_agents.domain.model.user import User
from wa_agents.domain.services.platform import Platform
from wa_agents.entrypoints.http.dto.tools import ApprovalOut, ApprovalPage, DecisionIn
from wa_agents.entrypoints.http.errors import errors
from wa_agents.entrypoints.http.security import BEARER, OPERATOR, VIEWER

_DECISION = msgspec.json.Decoder(DecisionIn)
Status = Literal["pending", "approved", "rejected", "expired"]


async def _reason(request: Request[Any, Any, Any]) -> str | None:
    body = await request.body()
    if not body.strip():
        return None
    try:
        return _DECISION.decode(body).reason
    except msgspec.DecodeError as exc:
        raise ClientException(f"body: {exc}") from None


class ApprovalController(Controller):
    path = "/api/v1/approvals"
    tags = ("approvals",)
    security = BEARER

    @get("/", guards=[VIEWER], responses=errors(400, 401), summary="Approvals, newest first")
    async def list_approvals(
        self,
        platform: NamedDependency[Platform],
        page: NamedDependency[PageRequest],
        status: Annotated[Status | None, Parameter(description="only this status")] = None,
    ) -> ApprovalPage:
        found = await platform.approvals.list(ApprovalStatus(status) if status else None, page)
        return ApprovalPage(
            [ApprovalOut.of(a) for a in found.items], found.total, page.limit, page.offset
        )

    @get("/{approval_id:str}", guards=[VIEWER], responses=errors(401, 404), summary="One")
    async def get_approval(
        self, approval_id: FromPath[str], platform: NamedDependency[Platform]
    ) -> ApprovalOut:
        return ApprovalOut.of(await platform.approvals.get(approval_id))

    @post(
        "/{approval_id:str}/approve",
        guards=[OPERATOR],
        status_code=200,
        responses=errors(401, 403, 404, 409),
        summary="Approve: the call runs and the agent answers",
        description="409 when the approval was decided already or has expired.",
    )
    async def approve(
        self,
        approval_id: FromPath[str],
        platform: NamedDependency[Platform],
        user: NamedDependency[User],
    ) -> ApprovalOut:
        return ApprovalOut.of(await platform.approvals.approve(approval_id, by=user.username))

    @post(
        "/{approval_id:str}/reject",
        guards=[OPERATOR],
        status_code=200,
        responses=errors(400, 401, 403, 404, 409),
        summary="Reject: the call does not run; the agent is told and answers",
        description='Body optional: `{"reason": str}` (the model reads it).',
    )
    async def reject(
        self,
        approval_id: FromPath[str],
        request: Request[Any, Any, Any],
        platform: NamedDependency[Platform],
        user: NamedDependency[User],
    ) -> ApprovalOut:
        reason = await _reason(request)
        decided = await platform.approvals.reject(approval_id, by=user.username, reason=reason)
        return ApprovalOut.of(decided)
