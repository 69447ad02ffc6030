"""Dead letters over HTTP: a poison job dies, shows in /api/v1/jobs, and can be retried."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.api import Api, api_container, api_settings, serving
from wa_agents.adapters.memory import SystemClock, TimeOrderedIdGenerator
from wa_agents.adapters.sqlalchemy import Database, SqlAlchemyUnitOfWorkFactory
from wa_agents.entrypoints.http import create_app


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'jobs.db'}"
    container = api_container(api_settings(tmp_path, database_url=url))
    with serving(create_app(container)) as base:
        harness = Api(base, container)
        harness.database_url = url  # type: ignore[attr-defined]
        yield harness
        harness.http.close()


def enqueue(api: Api, kind: str, payload: dict[str, Any]) -> str:
    """Put a job in the server's database from outside, as another process would."""

    async def put() -> str:
        database = Database(api.database_url)  # type: ignore[attr-defined]
        uow = SqlAlchemyUnitOfWorkFactory(database, SystemClock(), TimeOrderedIdGenerator())
        try:
            async with uow() as u:
                job = await u.jobs.enqueue(kind, payload, max_attempts=1)
                await u.commit()
        finally:
            await database.close()
        return job.id

    return asyncio.run(put())


def test_a_poison_job_is_listed_dead_and_can_be_retried(api: Api) -> None:
    admin = api.client(api.token())
    viewer = api.user("viewer")
    job_id = enqueue(api, "send", {"message_id": "ghost"})  # a reply that does not exist
    dead = api.wait_for(admin, "/api/v1/jobs", lambda body: body["total"] == 1)
    [job] = dead["items"]
    assert (job["id"], job["status"], job["attempts"]) == (job_id, "dead", 1)
    assert "ghost" in job["last_error"]
    assert viewer.get("/api/v1/jobs").status_code == 200
    assert viewer.post(f"/api/v1/jobs/{job_id}/retry").status_code == 403
    retried = admin.post(f"/api/v1/jobs/{job_id}/retry")
    assert retried.status_code == 200, retried.text
    assert retried.json()["status"] in ("pending", "running", "dead")
    api.wait_for(
        admin,
        f"/api/v1/jobs/{job_id}",
        lambda body: body["status"] == "dead" and body["attempts"] == 1,
    )
    trail = admin.get("/api/v1/audit", params={"action": "job.retry"}).json()
    assert trail["total"] == 1 and trail["items"][0]["actor"] == "root"


def test_retrying_what_is_not_dead_is_409_and_unknown_is_404(api: Api) -> None:
    admin = api.client(api.token())
    pending = enqueue(api, "unhandled", {"nothing": True})  # a kind no worker handles
    assert admin.post(f"/api/v1/jobs/{pending}/retry").status_code == 409
    assert admin.post("/api/v1/jobs/nope/retry").status_code == 404
    assert admin.get("/api/v1/jobs/nope").status_code == 404
    listed = admin.get("/api/v1/jobs", params={"status": "pending"}).json()
    assert [j["id"] for j in listed["items"]] == [pending]
    assert admin.get("/api/v1/jobs", params={"status": "zombie"}).status_code == 400
