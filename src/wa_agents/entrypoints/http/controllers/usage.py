"""``/api/v1/usage``: tokens and cost of the agents' turns, summed per agent, session or day."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromQuery, QueryParameter

from wa_agents.domain.model.usage import UsageGroup
from wa_agents.domain.services.platform import Platform
from wa_agents.entrypoints.http.dto.common import aware
from wa_agents.entrypoints.http.dto.usage import UsageOut
from wa_agents.entrypoints.http.errors import errors
from wa_agents.entrypoints.http.security import BEARER, VIEWER

From = Annotated[
    datetime | None,
    QueryParameter(
        name="from", description="ISO time, inclusive (default: start of this month, UTC)"
    ),
]
To = Annotated[
    datetime | None, QueryParameter(name="to", description="ISO time, exclusive (default: no end)")
]


class UsageController(Controller):
    path = "/api/v1/usage"
    tags = ("usage",)
    security = BEARER

    @get(
        "/",
        guards=[VIEWER],
        responses=errors(400, 401, 422),
        summary="Turns, tokens and cost, summed per agent, session or day",
        description=(
            "Every agent turn records its model, prompt version, tool calls, tokens, latency "
            "and cost (from `WA_MODEL_PRICES`). A time without a zone is UTC."
        ),
    )
    async def usage(
        self,
        platform: NamedDependency[Platform],
        group_by: FromQuery[UsageGroup] = UsageGroup.AGENT,
        since: From = None,
        until: To = None,
    ) -> UsageOut:
        report = await platform.usage.report(group_by, aware(since), aware(until))
        return UsageOut.of(report)
