"""``/api/v1/jobs``: the queue's dead letters (and other states), and retrying a dead job."""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery

from wa_agents.domain.model.job import JobStatus
from wa_agents.domain.model.page import PageRequest
from wa_agents.domain.model.user import User
from wa_agents.domain.services.platform import Platform
from wa_agents.entrypoints.http.dto.jobs import JobOut, JobPage
from wa_agents.entrypoints.http.errors import errors
from wa_agents.entrypoints.http.security import BEARER, OPERATOR, VIEWER


class JobController(Controller):
    path = "/api/v1/jobs"
    tags = ("jobs",)
    security = BEARER

    @get("/", guards=[VIEWER], responses=errors(400, 401), summary="Jobs by status (default: dead)")
    async def list_jobs(
        self,
        platform: NamedDependency[Platform],
        page: NamedDependency[PageRequest],
        status: FromQuery[JobStatus | None] = JobStatus.DEAD,
    ) -> JobPage:
        found = await platform.jobs.list(status, page)
        return JobPage([JobOut.of(j) for j in found.items], found.total, page.limit, page.offset)

    @get("/{job_id:str}", guards=[VIEWER], responses=errors(401, 404), summary="One job")
    async def get_job(self, job_id: FromPath[str], platform: NamedDependency[Platform]) -> JobOut:
        return JobOut.of(await platform.jobs.get(job_id))

    @post(
        "/{job_id:str}/retry",
        status_code=200,
        guards=[OPERATOR],
        responses=errors(401, 403, 404, 409),
        summary="Run a dead job again from its first attempt (409 unless it is dead)",
    )
    async def retry(
        self,
        job_id: FromPath[str],
        platform: NamedDependency[Platform],
        user: NamedDependency[User],
    ) -> JobOut:
        return JobOut.of(await platform.jobs.retry(job_id, actor=user.username))
