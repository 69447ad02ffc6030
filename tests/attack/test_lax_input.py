"""Query timestamps are what the schema says (RFC 3339 date-time): ``?until=0.5`` or
``?since=1e9``, which Litestar used to read as epoch seconds, are a 400."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.api import Api, api_container, api_settings, serving
from wa_agents.entrypoints.http import create_app


@pytest.fixture
def admin(tmp_path: Path) -> Iterator[httpx.Client]:
    container = api_container(api_settings(tmp_path))
    with serving(create_app(container)) as url:
        harness = Api(url, container)
        with harness.client(harness.token()) as client:
            yield client
        harness.http.close()


@pytest.mark.parametrize("path", ["/api/v1/logs", "/api/v1/audit"])
def test_a_timestamp_must_be_a_date_time(admin: httpx.Client, path: str) -> None:
    for bad in ("0.5", "1e9", "1700000000", "2026-01-01", "yesterday"):
        answer = admin.get(path, params={"until": bad})
        assert answer.status_code == 400, (bad, answer.text)
        assert "RFC 3339" in answer.json()["detail"]
    for good in ("2026-01-01T00:00:00Z", "2026-01-01T00:00:00.5+02:00", "2026-01-01T00:00:00"):
        answer = admin.get(path, params={"since": good, "until": "2099-01-01T00:00:00Z"})
        assert answer.status_code == 200, (good, answer.text)
